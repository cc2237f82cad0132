// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the simulator's ECDSA P-384 signing and key derivation
 * (drivers/psp/sim/sim-crypto.c), checked against the kernel's own,
 * independent ECDSA verifier ("ecdsa-nist-p384").
 */
#include <crypto/akcipher.h>
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "../../drivers/psp/sim/sim.h"

/* One DER INTEGER from a 48-byte big-endian value. */
static size_t der_int(u8 *out, const u8 *v)
{
	size_t i = 0, len;

	while (i < SIM_P384_BYTES - 1 && !v[i])
		i++;
	len = SIM_P384_BYTES - i;
	out[0] = 0x02;
	if (v[i] & 0x80) {
		out[1] = len + 1;
		out[2] = 0;
		memcpy(out + 3, v + i, len);
		return len + 3;
	}
	out[1] = len;
	memcpy(out + 2, v + i, len);
	return len + 2;
}

/* Verify (r, s) over @digest with the public key, by crypto/ecdsa.c. */
static int kernel_ecdsa_verify(const u8 *x, const u8 *y, const u8 *digest,
			       const u8 *r, const u8 *s)
{
	u8 key[1 + 2 * SIM_P384_BYTES], *buf;
	struct crypto_akcipher *tfm;
	struct akcipher_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	size_t siglen;
	int ret;

	tfm = crypto_alloc_akcipher("ecdsa-nist-p384", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	key[0] = 0x04;
	memcpy(key + 1, x, SIM_P384_BYTES);
	memcpy(key + 1 + SIM_P384_BYTES, y, SIM_P384_BYTES);
	ret = crypto_akcipher_set_pub_key(tfm, key, sizeof(key));
	if (ret)
		goto out_free_tfm;

	buf = kzalloc(128 + SIM_P384_BYTES, GFP_KERNEL);
	req = akcipher_request_alloc(tfm, GFP_KERNEL);
	if (!buf || !req) {
		ret = -ENOMEM;
		goto out_free;
	}
	siglen = der_int(buf + 2, r);
	siglen += der_int(buf + 2 + siglen, s);
	buf[0] = 0x30;
	buf[1] = siglen;
	siglen += 2;
	memcpy(buf + siglen, digest, SIM_P384_BYTES);

	sg_init_one(&sg, buf, siglen + SIM_P384_BYTES);
	akcipher_request_set_crypt(req, &sg, NULL, siglen, SIM_P384_BYTES);
	akcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	ret = crypto_wait_req(crypto_akcipher_verify(req), &wait);
out_free:
	akcipher_request_free(req);
	kfree(buf);
out_free_tfm:
	crypto_free_akcipher(tfm);
	return ret;
}

static const u8 secret[SIM_CHIP_SECRET_LEN] = "simulated chip secret for kunit";

static void p384_key_derivation_is_deterministic(struct kunit *test)
{
	u8 a[SIM_P384_BYTES], b[SIM_P384_BYTES], c[SIM_P384_BYTES];
	u64 tcb1 = 1, tcb2 = 2;

	KUNIT_ASSERT_EQ(test, 0, sim_p384_derive_key(secret, sizeof(secret),
						     "vcek", &tcb1, 8, a));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_derive_key(secret, sizeof(secret),
						     "vcek", &tcb1, 8, b));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_derive_key(secret, sizeof(secret),
						     "vcek", &tcb2, 8, c));
	KUNIT_EXPECT_EQ(test, 0, memcmp(a, b, sizeof(a)));
	KUNIT_EXPECT_NE(test, 0, memcmp(a, c, sizeof(a)));
}

static void ecdsa_signature_verifies_with_kernel_ecdsa(struct kunit *test)
{
	u8 priv[SIM_P384_BYTES], x[SIM_P384_BYTES], y[SIM_P384_BYTES];
	u8 digest[SIM_P384_BYTES], r[SIM_P384_BYTES], s[SIM_P384_BYTES];
	u8 r2[SIM_P384_BYTES], s2[SIM_P384_BYTES];
	int i;

	KUNIT_ASSERT_EQ(test, 0, sim_p384_derive_key(secret, sizeof(secret),
						     "test", "", 0, priv));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_public_key(priv, x, y));

	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, 0, sim_sha384(&i, sizeof(i), digest));
		KUNIT_ASSERT_EQ(test, 0, sim_ecdsa_p384_sign(priv, digest, r, s));
		KUNIT_EXPECT_EQ(test, 0,
				kernel_ecdsa_verify(x, y, digest, r, s));
	}

	/* deterministic: the same digest gives the same signature */
	KUNIT_ASSERT_EQ(test, 0, sim_ecdsa_p384_sign(priv, digest, r2, s2));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r, r2, sizeof(r)));
	KUNIT_EXPECT_EQ(test, 0, memcmp(s, s2, sizeof(s)));

	/* and a changed digest or signature does not verify */
	digest[7] ^= 1;
	KUNIT_EXPECT_NE(test, 0, kernel_ecdsa_verify(x, y, digest, r, s));
	digest[7] ^= 1;
	s[40] ^= 0x10;
	KUNIT_EXPECT_NE(test, 0, kernel_ecdsa_verify(x, y, digest, r, s));
}

static void vcek_follows_secret_and_tcb(struct kunit *test)
{
	struct sim_fw *fw = kunit_kzalloc(test, sizeof(*fw), GFP_KERNEL);
	u8 a[SIM_P384_BYTES], b[SIM_P384_BYTES];

	KUNIT_ASSERT_NOT_NULL(test, fw);
	memcpy(fw->chip_secret, secret, sizeof(secret));
	KUNIT_ASSERT_EQ(test, 0, sim_fw_vcek(fw, 0x7308000000000003ULL, a));
	KUNIT_ASSERT_EQ(test, 0, sim_fw_vcek(fw, 0x7307000000000003ULL, b));
	KUNIT_EXPECT_NE(test, 0, memcmp(a, b, sizeof(a)));
	fw->chip_secret[0] ^= 1;
	KUNIT_ASSERT_EQ(test, 0, sim_fw_vcek(fw, 0x7308000000000003ULL, b));
	KUNIT_EXPECT_NE(test, 0, memcmp(a, b, sizeof(a)));
}

static struct kunit_case sim_crypto_cases[] = {
	KUNIT_CASE(p384_key_derivation_is_deterministic),
	KUNIT_CASE(ecdsa_signature_verifies_with_kernel_ecdsa),
	KUNIT_CASE(vcek_follows_secret_and_tcb),
	{}
};

static struct kunit_suite sim_crypto_suite = {
	.name = "sim_crypto",
	.test_cases = sim_crypto_cases,
};

kunit_test_suite(sim_crypto_suite);
