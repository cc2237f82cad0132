// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the simulator's ECDSA P-384 signing and key derivation
 * (drivers/psp/sim/sim-crypto.c), checked against the kernel's own,
 * independent ECDSA verifier ("ecdsa-nist-p384").
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "../../drivers/psp/sim/sim.h"

/*
 * sim_ecdsa_p384_verify() hands the signature to the kernel's own ECDSA
 * verifier (crypto/ecdsa.c): an implementation independent of the signer.
 */
static int kernel_ecdsa_verify(const u8 *x, const u8 *y, const u8 *digest,
			       const u8 *r, const u8 *s)
{
	return sim_ecdsa_p384_verify(x, y, digest, r, s);
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
