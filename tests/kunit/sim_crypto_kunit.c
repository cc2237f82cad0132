// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the simulator's ECDSA P-384 signing, verifying and key derivation
 * (drivers/psp/sim/sim-crypto.c), checked against the kernel's own,
 * independent ECDSA verifier ("ecdsa-nist-p384", built into the debug
 * kernel); ECDH agreeing both ways; the SEV KDF, HMAC-SHA256 and
 * AES-128-CTR against known answers.
 */
#include <crypto/akcipher.h>
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/scatterlist.h>

#include "sim.h"

/* One DER INTEGER from a 48-byte big-endian value */
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

/*
 * The kernel's ECDSA verifier (crypto/ecdsa.c), an implementation
 * independent of the simulator's signer and verifier: 0 for a good
 * signature. The signature goes in as DER, the digest after it.
 */
static int kernel_ecdsa_verify(const u8 *x, const u8 *y, const u8 *digest,
			       const u8 *r, const u8 *s)
{
	u8 key[1 + 2 * SIM_P384_BYTES], *buf;
	struct akcipher_request *req = NULL;
	struct crypto_akcipher *tfm;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	size_t siglen;
	int ret;

	tfm = crypto_alloc_akcipher("ecdsa-nist-p384", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	key[0] = 0x04;	/* uncompressed point */
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
		KUNIT_EXPECT_EQ(test, 0,
				sim_ecdsa_p384_verify(x, y, digest, r, s));
	}

	/* deterministic: the same digest gives the same signature */
	KUNIT_ASSERT_EQ(test, 0, sim_ecdsa_p384_sign(priv, digest, r2, s2));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r, r2, sizeof(r)));
	KUNIT_EXPECT_EQ(test, 0, memcmp(s, s2, sizeof(s)));

	/* and a changed digest or signature does not verify */
	digest[7] ^= 1;
	KUNIT_EXPECT_NE(test, 0, kernel_ecdsa_verify(x, y, digest, r, s));
	KUNIT_EXPECT_EQ(test, -EKEYREJECTED,
			sim_ecdsa_p384_verify(x, y, digest, r, s));
	digest[7] ^= 1;
	s[40] ^= 0x10;
	KUNIT_EXPECT_NE(test, 0, kernel_ecdsa_verify(x, y, digest, r, s));
	KUNIT_EXPECT_EQ(test, -EKEYREJECTED,
			sim_ecdsa_p384_verify(x, y, digest, r, s));
	s[40] ^= 0x10;

	/* r or s out of [1, n - 1], and a public key off the curve */
	memset(r2, 0, sizeof(r2));
	KUNIT_EXPECT_EQ(test, -EBADMSG,
			sim_ecdsa_p384_verify(x, y, digest, r2, s));
	memset(s2, 0xff, sizeof(s2));
	KUNIT_EXPECT_EQ(test, -EBADMSG,
			sim_ecdsa_p384_verify(x, y, digest, r, s2));
	y[20] ^= 1;
	KUNIT_EXPECT_EQ(test, -EKEYREJECTED,
			sim_ecdsa_p384_verify(x, y, digest, r, s));
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

/* Known answers: the virtee/sev crate's KDF and HMAC vectors, SP 800-38A. */
static void sev_kdf_hmac_and_ctr_known_answers(struct kunit *test)
{
	static const u8 master[16] = {
		0xab, 0x4d, 0x26, 0x9f, 0xcc, 0x62, 0xbe, 0xdb,
		0x45, 0x11, 0xd5, 0x6c, 0x38, 0x6c, 0xe7, 0x06,
	};
	static const u8 mac[32] = {
		0xaa, 0x78, 0x55, 0xe1, 0x38, 0x39, 0xdd, 0x76,
		0x7c, 0xd5, 0xda, 0x7c, 0x1f, 0xf5, 0x03, 0x65,
		0x40, 0xc9, 0x26, 0x4b, 0x7a, 0x80, 0x30, 0x29,
		0x31, 0x5e, 0x55, 0x37, 0x52, 0x87, 0xb4, 0xaf,
	};
	static const u8 key[16] = {
		0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
		0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
	};
	static const u8 iv[16] = {
		0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
		0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
	};
	static const u8 plain[16] = {
		0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
		0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
	};
	static const u8 cipher[16] = {
		0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26,
		0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce,
	};
	u8 zero[16] = {}, out[32], buf[16];

	KUNIT_ASSERT_EQ(test, 0, sim_sev_kdf(zero, 16, "sev-master-secret",
					     zero, 16, out, 16));
	KUNIT_EXPECT_EQ(test, 0, memcmp(out, master, 16));
	KUNIT_ASSERT_EQ(test, 0, sim_hmac_sha256(zero, 16, zero, 4, out));
	KUNIT_EXPECT_EQ(test, 0, memcmp(out, mac, 32));
	memcpy(buf, plain, 16);
	KUNIT_ASSERT_EQ(test, 0, sim_aes128_ctr(key, iv, buf, 16));
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, cipher, 16));
	KUNIT_ASSERT_EQ(test, 0, sim_aes128_ctr(key, iv, buf, 16));
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, plain, 16));
}

static void ecdh_agrees_both_ways(struct kunit *test)
{
	u8 a[SIM_P384_BYTES], b[SIM_P384_BYTES];
	u8 ax[SIM_P384_BYTES], ay[SIM_P384_BYTES];
	u8 bx[SIM_P384_BYTES], by[SIM_P384_BYTES];
	u8 zab[SIM_P384_BYTES], zba[SIM_P384_BYTES];

	KUNIT_ASSERT_EQ(test, 0, sim_p384_derive_key("s", 1, "a", "", 0, a));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_derive_key("s", 1, "b", "", 0, b));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_public_key(a, ax, ay));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_public_key(b, bx, by));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_ecdh(a, bx, by, zab));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_ecdh(b, ax, ay, zba));
	KUNIT_EXPECT_EQ(test, 0, memcmp(zab, zba, sizeof(zab)));
	KUNIT_EXPECT_NE(test, 0, memcmp(zab, ax, sizeof(zab)));

	/* a point off the curve is refused, not multiplied */
	bx[0] ^= 1;
	KUNIT_EXPECT_NE(test, 0, sim_p384_ecdh(a, bx, by, zab));
}

/* The firmware's 72-byte little-endian form, and what is not one. */
static void le72_round_trip_and_refusal(struct kunit *test)
{
	u8 be[SIM_P384_BYTES], le[SIM_SEV_ECC_LEN], back[SIM_P384_BYTES];
	int i;

	for (i = 0; i < SIM_P384_BYTES; i++)
		be[i] = i + 1;
	sim_p384_to_le72(le, be);
	KUNIT_EXPECT_EQ(test, SIM_P384_BYTES, (int)le[0]);
	KUNIT_EXPECT_TRUE(test, sim_p384_from_le72(back, le));
	KUNIT_EXPECT_EQ(test, 0, memcmp(back, be, sizeof(be)));
	le[SIM_P384_BYTES + 3] = 1;
	KUNIT_EXPECT_FALSE(test, sim_p384_from_le72(back, le));
}

static struct kunit_case sim_crypto_cases[] = {
	KUNIT_CASE(p384_key_derivation_is_deterministic),
	KUNIT_CASE(ecdsa_signature_verifies_with_kernel_ecdsa),
	KUNIT_CASE(vcek_follows_secret_and_tcb),
	KUNIT_CASE(sev_kdf_hmac_and_ctr_known_answers),
	KUNIT_CASE(ecdh_agrees_both_ways),
	KUNIT_CASE(le72_round_trip_and_refusal),
	{}
};

static struct kunit_suite sim_crypto_suite = {
	.name = "sim_crypto",
	.test_cases = sim_crypto_cases,
};

kunit_test_suite(sim_crypto_suite);
