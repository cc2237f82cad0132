// SPDX-License-Identifier: GPL-2.0
/*
 * The SEV platform's keys and certificates through /dev/sev, checked with
 * OpenSSL: PEK_CSR, PDH_CERT_EXPORT (every signature of the chain
 * verified), PEK_GEN and PDH_GEN, PEK_CERT_IMPORT of an OCA made here (a
 * new PEK and PDH certificate after it, as AMD's sev-tool tests), the API
 * version in every certificate, and the length queries, blob limits,
 * permissions and transient INIT of upstream's /dev/sev.
 */
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "kselftest_harness.h"
#include "sev_cert.h"
#include "sev_test_util.h"

#define SIM_ID		0
#define CERT_LEN	SEV_CERT_LEN
#define SIGNED_LEN	SEV_CERT_SIGNED_LEN
#define USAGE_OCA	0x1001
#define USAGE_PEK	0x1002
#define USAGE_PDH	0x1003
#define USAGE_CEK	0x1004
#define USAGE_NONE	0x1000
#define ALGO_ECDSA	0x2
#define ALGO_ECDH	0x3

/* Is one of @c's signatures with @usage a valid one by @signer's key? */
static int signed_by(const struct sev_cert *c, const struct sev_cert *signer,
		     uint32_t usage)
{
	EVP_PKEY *key = sev_cert_key(signer);
	int i, good = 0;

	for (i = 0; key && i < 2 && !good; i++) {
		const struct sev_cert_sig *s = &c->sig[i];
		uint8_t rb[48], sb[48], *der = NULL;
		ECDSA_SIG *es = ECDSA_SIG_new();
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		int len;

		if (s->usage != usage || s->algo != ALGO_ECDSA)
			goto next;
		be_from_le(rb, s->r);
		be_from_le(sb, s->s);
		ECDSA_SIG_set0(es, BN_bin2bn(rb, 48, NULL), BN_bin2bn(sb, 48, NULL));
		len = i2d_ECDSA_SIG(es, &der);
		if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0 &&
		    EVP_DigestVerify(md, der, len, (const uint8_t *)c,
				     SIGNED_LEN) == 1)
			good = 1;
		OPENSSL_free(der);
next:
		ECDSA_SIG_free(es);
		EVP_MD_CTX_free(md);
	}
	EVP_PKEY_free(key);
	return good;
}

/* Sign slot @slot of @c with @key (an OpenSSL P-384 key) as @usage. */
static void sign_cert(struct sev_cert *c, int slot, uint32_t usage, EVP_PKEY *key)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[128], be[48];
	const uint8_t *p = der;
	size_t len = sizeof(der);
	ECDSA_SIG *es;
	int i;

	EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key);
	EVP_DigestSign(md, der, &len, (const uint8_t *)c, SIGNED_LEN);
	es = d2i_ECDSA_SIG(NULL, &p, len);
	memset(&c->sig[slot], 0, sizeof(c->sig[slot]));
	c->sig[slot].usage = usage;
	c->sig[slot].algo = ALGO_ECDSA;
	BN_bn2binpad(ECDSA_SIG_get0_r(es), be, 48);
	for (i = 0; i < 48; i++)
		c->sig[slot].r[i] = be[47 - i];
	BN_bn2binpad(ECDSA_SIG_get0_s(es), be, 48);
	for (i = 0; i < 48; i++)
		c->sig[slot].s[i] = be[47 - i];
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
}

/*
 * An OCA: a new P-384 key and its self-signed SEV certificate, with the
 * API version given (sev-tool's create_oca_cert() takes PLATFORM_STATUS's).
 */
static EVP_PKEY *make_oca(struct sev_cert *oca, uint8_t api_major,
			  uint8_t api_minor)
{
	EVP_PKEY *key = EVP_EC_gen("secp384r1");
	uint8_t point[97], be[48];
	size_t len;
	int i;

	memset(oca, 0, sizeof(*oca));
	EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point,
					sizeof(point), &len);
	oca->version = 1;
	oca->api_major = api_major;
	oca->api_minor = api_minor;
	oca->usage = USAGE_OCA;
	oca->algo = ALGO_ECDSA;
	oca->curve = 2;
	memcpy(be, point + 1, 48);
	for (i = 0; i < 48; i++)
		oca->qx[i] = be[47 - i];
	memcpy(be, point + 49, 48);
	for (i = 0; i < 48; i++)
		oca->qy[i] = be[47 - i];
	oca->sig[1].usage = USAGE_NONE;
	sign_cert(oca, 0, USAGE_OCA, key);
	return key;
}

struct chain {
	struct sev_cert pdh, pek, oca, cek;
};

static int export(int fd, struct chain *c, uint32_t *error)
{
	struct sev_user_data_pdh_cert_export in = {
		.pdh_cert_address = (uintptr_t)&c->pdh,
		.pdh_cert_len = CERT_LEN,
		.cert_chain_address = (uintptr_t)&c->pek,
		.cert_chain_len = 3 * CERT_LEN,
	};

	return sev_cmd(fd, SEV_PDH_CERT_EXPORT, &in, error);
}

static int csr(int fd, struct sev_cert *out, uint32_t *error)
{
	struct sev_user_data_pek_csr in = {
		.address = (uintptr_t)out, .length = CERT_LEN,
	};

	return sev_cmd(fd, SEV_PEK_CSR, &in, error);
}

FIXTURE(pki) {
	int fd, fd_ro;
	struct chain c;
};

FIXTURE_SETUP(pki)
{
	ASSERT_EQ(0, sim_fresh_device(SIM_ID, &self->fd, &self->fd_ro));
}

FIXTURE_TEARDOWN(pki)
{
	close(self->fd);
	close(self->fd_ro);
	sim_del(SIM_ID);
}

TEST_F(pki, certificate_format)
{
	EXPECT_EQ(CERT_LEN, sizeof(struct sev_cert));
}

TEST_F(pki, export_chain_verifies_with_openssl)
{
	uint32_t error;

	ASSERT_EQ(0, export(self->fd_ro, &self->c, &error));
	EXPECT_EQ(0, error);
	EXPECT_EQ(USAGE_PDH, self->c.pdh.usage);
	EXPECT_EQ(ALGO_ECDH, self->c.pdh.algo);
	EXPECT_EQ(USAGE_PEK, self->c.pek.usage);
	EXPECT_EQ(USAGE_OCA, self->c.oca.usage);
	EXPECT_EQ(USAGE_CEK, self->c.cek.usage);
	EXPECT_EQ(2, self->c.pek.curve) TH_LOG("P-384");
	EXPECT_TRUE(signed_by(&self->c.pdh, &self->c.pek, USAGE_PEK));
	EXPECT_TRUE(signed_by(&self->c.pek, &self->c.oca, USAGE_OCA));
	EXPECT_TRUE(signed_by(&self->c.pek, &self->c.cek, USAGE_CEK));
	EXPECT_TRUE(signed_by(&self->c.oca, &self->c.oca, USAGE_OCA));
	/* and a tampered certificate does not verify */
	self->c.pdh.qx[3] ^= 1;
	EXPECT_FALSE(signed_by(&self->c.pdh, &self->c.pek, USAGE_PEK));
}

TEST_F(pki, length_queries)
{
	struct sev_user_data_pdh_cert_export ex = { 0 };
	struct sev_user_data_pek_csr in = { 0 };
	uint32_t error;

	EXPECT_EQ(-EIO, sev_cmd(self->fd, SEV_PEK_CSR, &in, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(CERT_LEN, in.length);

	EXPECT_EQ(-EIO, sev_cmd(self->fd_ro, SEV_PDH_CERT_EXPORT, &ex, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(CERT_LEN, ex.pdh_cert_len);
	EXPECT_EQ(3 * CERT_LEN, ex.cert_chain_len);

	/* a buffer one byte short is a query too */
	in.address = (uintptr_t)&self->c.pek;
	in.length = CERT_LEN - 1;
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SEV_PEK_CSR, &in, &error));
	EXPECT_EQ(CERT_LEN, in.length);
}

TEST_F(pki, oversized_lengths)
{
	static uint8_t big[0x4001];
	struct sev_user_data_pek_csr in = {
		.address = (uintptr_t)big, .length = sizeof(big),
	};
	struct sev_user_data_pek_cert_import im = {
		.pek_cert_address = (uintptr_t)big, .pek_cert_len = sizeof(big),
		.oca_cert_address = (uintptr_t)big, .oca_cert_len = CERT_LEN,
	};
	uint32_t error;

	EXPECT_EQ(-EFAULT, sev_cmd(self->fd, SEV_PEK_CSR, &in, &error))
		TH_LOG("upstream answers EFAULT for a blob over 16 KiB");
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SEV_PEK_CERT_IMPORT, &im, &error));
	im.pek_cert_len = 0;
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SEV_PEK_CERT_IMPORT, &im, &error));
}

TEST_F(pki, permissions)
{
	struct sev_cert out;
	uint32_t error;

	EXPECT_EQ(-EPERM, sev_cmd(self->fd_ro, SEV_PEK_GEN, NULL, &error));
	EXPECT_EQ(-EPERM, sev_cmd(self->fd_ro, SEV_PDH_GEN, NULL, &error));
	EXPECT_EQ(-EPERM, csr(self->fd_ro, &out, &error));
}

TEST_F(pki, pek_gen_changes_pek_and_pdh)
{
	struct chain before;
	uint32_t error;

	ASSERT_EQ(0, export(self->fd, &before, &error));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PDH_GEN, NULL, &error));
	ASSERT_EQ(0, export(self->fd, &self->c, &error));
	EXPECT_EQ(0, memcmp(before.pek.qx, self->c.pek.qx, 72));
	EXPECT_NE(0, memcmp(before.pdh.qx, self->c.pdh.qx, 72));
	EXPECT_TRUE(signed_by(&self->c.pdh, &self->c.pek, USAGE_PEK));

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PEK_GEN, NULL, &error));
	memcpy(&before, &self->c, sizeof(before));
	ASSERT_EQ(0, export(self->fd, &self->c, &error));
	EXPECT_NE(0, memcmp(before.pek.qx, self->c.pek.qx, 72));
	EXPECT_NE(0, memcmp(before.pdh.qx, self->c.pdh.qx, 72));
	EXPECT_TRUE(signed_by(&self->c.pek, &self->c.oca, USAGE_OCA));
}

TEST_F(pki, csr_carries_the_current_pek)
{
	struct sev_cert req;
	uint32_t error;

	ASSERT_EQ(0, csr(self->fd, &req, &error));
	ASSERT_EQ(0, export(self->fd, &self->c, &error));
	EXPECT_EQ(USAGE_PEK, req.usage);
	EXPECT_EQ(0, memcmp(req.qx, self->c.pek.qx, 72));
	EXPECT_EQ(0, memcmp(req.qy, self->c.pek.qy, 72));
	EXPECT_EQ(USAGE_NONE, req.sig[0].usage) TH_LOG("a request is unsigned");
}

TEST_F(pki, import_makes_the_platform_externally_owned)
{
	struct sev_user_data_status st;
	struct sev_cert req, oca, other;
	struct sev_user_data_pek_cert_import im = {
		.pek_cert_address = (uintptr_t)&req, .pek_cert_len = CERT_LEN,
		.oca_cert_address = (uintptr_t)&oca, .oca_cert_len = CERT_LEN,
	};
	EVP_PKEY *key, *k2;
	uint32_t error;

	ASSERT_EQ(0, csr(self->fd, &req, &error));
	key = make_oca(&oca, 0, 0);
	k2 = make_oca(&other, 0, 0);
	ASSERT_TRUE(key && k2);

	/* signed by someone else: refused */
	sign_cert(&req, 0, USAGE_OCA, k2);
	EVP_PKEY_free(k2);
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SEV_PEK_CERT_IMPORT, &im, &error));
	EXPECT_EQ(SEV_RET_BAD_SIGNATURE, error);

	sign_cert(&req, 0, USAGE_OCA, key);
	EXPECT_EQ(-EPERM, sev_cmd(self->fd_ro, SEV_PEK_CERT_IMPORT, &im, &error));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PEK_CERT_IMPORT, &im, &error));
	EXPECT_EQ(0, error);

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(1, st.flags & 1) TH_LOG("owner: external");
	ASSERT_EQ(0, export(self->fd, &self->c, &error));
	EXPECT_EQ(0, memcmp(&self->c.oca, &oca, CERT_LEN));
	EXPECT_TRUE(signed_by(&self->c.pek, &oca, USAGE_OCA));
	EXPECT_TRUE(signed_by(&self->c.pek, &self->c.cek, USAGE_CEK));

	/* FACTORY_RESET: self-owned again, with new keys */
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, st.flags & 1);
	EVP_PKEY_free(key);
}

/*
 * AMD's sev-tool, test_pek_cert_import (src/tests.cpp, run by --test_all
 * against real firmware): after PEK_CSR and PEK_CERT_IMPORT both the PEK
 * and the PDH certificate must be new. The PEK key is the one the CSR
 * carried; the PDH is a new key, signed by it.
 */
TEST_F(pki, import_makes_new_pek_and_pdh_certificates)
{
	struct sev_user_data_pek_cert_import im;
	struct sev_user_data_status st;
	struct chain before;
	struct sev_cert req, oca, other;
	EVP_PKEY *key, *k2;
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	ASSERT_EQ(0, export(self->fd, &before, &error));
	ASSERT_EQ(0, csr(self->fd, &req, &error));
	key = make_oca(&oca, st.api_major, st.api_minor);
	k2 = make_oca(&other, st.api_major, st.api_minor);
	ASSERT_TRUE(key && k2);
	im = (struct sev_user_data_pek_cert_import){
		.pek_cert_address = (uintptr_t)&req, .pek_cert_len = CERT_LEN,
		.oca_cert_address = (uintptr_t)&oca, .oca_cert_len = CERT_LEN,
	};

	/* a refused import changes nothing, the PDH included */
	sign_cert(&req, 0, USAGE_OCA, k2);
	EVP_PKEY_free(k2);
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SEV_PEK_CERT_IMPORT, &im, &error));
	EXPECT_EQ(SEV_RET_BAD_SIGNATURE, error);
	ASSERT_EQ(0, export(self->fd, &self->c, &error));
	EXPECT_EQ(0, memcmp(&before, &self->c, sizeof(before)));

	sign_cert(&req, 0, USAGE_OCA, key);
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PEK_CERT_IMPORT, &im, &error));
	EXPECT_EQ(0, error);
	ASSERT_EQ(0, export(self->fd, &self->c, &error));
	EXPECT_NE(0, memcmp(&before.pek, &self->c.pek, CERT_LEN))
		TH_LOG("sev-tool: PEK cert did not change");
	EXPECT_NE(0, memcmp(&before.pdh, &self->c.pdh, CERT_LEN))
		TH_LOG("sev-tool: PDH cert did not change");
	EXPECT_EQ(0, memcmp(before.pek.qx, self->c.pek.qx, 72))
		TH_LOG("the PEK is the key the CSR carried");
	EXPECT_NE(0, memcmp(before.pdh.qx, self->c.pdh.qx, 72))
		TH_LOG("a new PDH key, not only a new signature");
	EXPECT_EQ(USAGE_PDH, self->c.pdh.usage);
	EXPECT_TRUE(signed_by(&self->c.pdh, &self->c.pek, USAGE_PEK));
	EXPECT_TRUE(signed_by(&self->c.pek, &oca, USAGE_OCA));
	EXPECT_TRUE(signed_by(&self->c.pek, &self->c.cek, USAGE_CEK));
	EVP_PKEY_free(key);
}

/*
 * The SEV certificate format (spec 55766, appendix C) carries the API
 * version of the firmware that made the certificate, the one
 * PLATFORM_STATUS reports; an imported OCA keeps the owner's.
 */
TEST_F(pki, certificates_carry_the_firmware_api_version)
{
	struct sev_user_data_pek_cert_import im;
	struct sev_user_data_status st;
	struct sev_cert req, oca;
	EVP_PKEY *key;
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	ASSERT_NE(0, st.api_major | st.api_minor);
	ASSERT_EQ(0, export(self->fd, &self->c, &error));
	EXPECT_EQ(st.api_major, self->c.pdh.api_major);
	EXPECT_EQ(st.api_minor, self->c.pdh.api_minor);
	EXPECT_EQ(st.api_major, self->c.pek.api_major);
	EXPECT_EQ(st.api_minor, self->c.pek.api_minor);
	EXPECT_EQ(st.api_major, self->c.oca.api_major)
		TH_LOG("a self-owned platform's OCA is the firmware's own");
	EXPECT_EQ(st.api_minor, self->c.oca.api_minor);
	EXPECT_EQ(st.api_major, self->c.cek.api_major);
	EXPECT_EQ(st.api_minor, self->c.cek.api_minor);

	ASSERT_EQ(0, csr(self->fd, &req, &error));
	EXPECT_EQ(st.api_major, req.api_major);
	EXPECT_EQ(st.api_minor, req.api_minor);

	/* An OCA with another version than the firmware's is kept as signed */
	key = make_oca(&oca, 0, 17);
	ASSERT_NE(NULL, key);
	sign_cert(&req, 0, USAGE_OCA, key);
	im = (struct sev_user_data_pek_cert_import){
		.pek_cert_address = (uintptr_t)&req, .pek_cert_len = CERT_LEN,
		.oca_cert_address = (uintptr_t)&oca, .oca_cert_len = CERT_LEN,
	};
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PEK_CERT_IMPORT, &im, &error));
	ASSERT_EQ(0, export(self->fd, &self->c, &error));
	EXPECT_EQ(0, self->c.oca.api_major);
	EXPECT_EQ(17, self->c.oca.api_minor);
	EXPECT_EQ(st.api_major, self->c.pek.api_major);
	EXPECT_EQ(st.api_minor, self->c.pek.api_minor);
	EXPECT_EQ(st.api_major, self->c.pdh.api_major);
	EXPECT_EQ(st.api_minor, self->c.pdh.api_minor);
	EVP_PKEY_free(key);
}

TEST_F(pki, commands_bring_an_uninit_platform_up_for_one_call)
{
	struct sev_user_data_status st;
	struct chain again;
	struct sev_cert req;
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	ASSERT_EQ(0, st.state);

	EXPECT_EQ(0, csr(self->fd, &req, &error));
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_PEK_GEN, NULL, &error));
	EXPECT_EQ(0, export(self->fd, &self->c, &error));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, st.state) TH_LOG("shut down again after each");
	/*
	 * The keys are the platform's persistent state: the INIT and
	 * SHUTDOWN around a one-off command leave PEK and PDH alone.
	 */
	EXPECT_EQ(0, export(self->fd, &again, &error));
	EXPECT_EQ(0, memcmp(&again, &self->c, sizeof(again)));
	/* export needs writable only when it has to bring the platform up */
	EXPECT_EQ(-EPERM, export(self->fd_ro, &self->c, &error));
}

TEST_HARNESS_MAIN
