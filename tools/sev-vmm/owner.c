// SPDX-License-Identifier: GPL-2.0
/*
 * The SEV guest owner's side of LAUNCH_START (spec 55766, "Key
 * Management" and "LAUNCH_START"), played by the tool when no owner's
 * files are given, so that it can check LAUNCH_MEASURE itself:
 *
 *   - an ephemeral ECDH P-384 key, sent as a certificate in the PDH format
 *     (the "DH certificate"), and the shared secret Z with the platform's
 *     PDH (from /dev/sev's PDH_CERT_EXPORT)
 *   - master secret = KDF(Z, "sev-master-secret", NONCE), and from it
 *     KEK = KDF(master, "sev-kek") and KIK = KDF(master, "sev-kik"), the
 *     KDF being NIST SP 800-108 in counter mode with HMAC-SHA256
 *   - fresh TEK and TIK, wrapped: WRAP_TK = AES-128-CTR(KEK, WRAP_IV,
 *     TEK || TIK), WRAP_MAC = HMAC-SHA256(KIK, WRAP_TK), and
 *     POLICY_MAC = HMAC-SHA256(TIK, POLICY)
 *
 * The firmware unwraps the same keys; LAUNCH_MEASURE's MAC is then under a
 * TIK only the owner and the firmware know. Z is the x coordinate of the
 * shared point, big-endian, as OpenSSL derives it and as sev-psp-sim
 * (tests/kunit/sev_test_owner.c) takes it.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sev-vmm.h"

#define SEV_USAGE_PDH		0x1003
#define SEV_USAGE_INVALID	0x1000
#define SEV_ALGO_ECDH_SHA256	0x3
#define SEV_ALGO_ECDH_SHA384	0x103
#define SEV_CURVE_P384		2
#define P384_LEN		48

/* A certificate in the SEV format (spec 55766, appendix C.1) */
struct sev_cert {
	u32 version;
	u8 api_major;
	u8 api_minor;
	u8 rsvd[2];
	u32 pub_usage;
	u32 pub_algo;
	u32 curve;
	u8 qx[72];
	u8 qy[72];
	u8 rsvd_key[0x404 - 4 - 2 * 72];
	struct {
		u32 usage;
		u32 algo;
		u8 sig[0x200];
	} sig[2];
};

static_assert(sizeof(struct sev_cert) == SEV_CERT_LEN, "SEV cert size");

/* 72-byte little-endian into 48-byte big-endian, and back */
static void le72_to_be48(const u8 *le, u8 *be)
{
	int i;

	for (i = 0; i < P384_LEN; i++)
		be[i] = le[P384_LEN - 1 - i];
}

static void be48_to_le72(const u8 *be, u8 *le)
{
	int i;

	memset(le, 0, 72);
	for (i = 0; i < P384_LEN; i++)
		le[i] = be[P384_LEN - 1 - i];
}

static EVP_PKEY *p384_from_point(const u8 x[P384_LEN], const u8 y[P384_LEN])
{
	u8 point[1 + 2 * P384_LEN];
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point,
					sizeof(point)),
		OSSL_PARAM_END
	};
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *key = NULL;

	point[0] = 0x04;
	memcpy(point + 1, x, P384_LEN);
	memcpy(point + 1 + P384_LEN, y, P384_LEN);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

static void kdf(const u8 *key, size_t keylen, const char *label,
		const u8 *ctx, size_t ctxlen, u8 *out, size_t len)
{
	u8 msg[64], mac[SHA256_LEN];
	size_t n = 0, llen = strlen(label);
	unsigned int maclen = sizeof(mac);
	u32 v = 1;

	memcpy(msg + n, &v, 4);
	n += 4;
	memcpy(msg + n, label, llen + 1);	/* with its 0x00 separator */
	n += llen + 1;
	if (ctxlen)
		memcpy(msg + n, ctx, ctxlen);
	n += ctxlen;
	v = len * 8;
	memcpy(msg + n, &v, 4);
	n += 4;
	if (!HMAC(EVP_sha256(), key, keylen, msg, n, mac, &maclen))
		vmm_err("KDF: HMAC-SHA256 failed");
	memcpy(out, mac, len);
}

static void hmac256(const u8 *key, size_t keylen, const void *data,
		    size_t len, u8 out[SHA256_LEN])
{
	unsigned int n = SHA256_LEN;

	if (!HMAC(EVP_sha256(), key, keylen, data, len, out, &n))
		vmm_err("HMAC-SHA256 failed");
}

static void aes128_ctr(const u8 key[16], const u8 iv[16], u8 *buf, int len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int out = 0;

	if (!ctx || !EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, key, iv) ||
	    !EVP_EncryptUpdate(ctx, buf, &out, buf, len) || out != len)
		vmm_err("AES-128-CTR failed");
	EVP_CIPHER_CTX_free(ctx);
}

void owner_make_session(struct sev_owner *o, const u8 *pdh, size_t pdh_len,
			u32 policy)
{
	struct sev_cert pdh_cert, *cert = (struct sev_cert *)o->dh_cert;
	u8 x[P384_LEN], y[P384_LEN], z[P384_LEN];
	u8 master[16], kek[16], kik[16];
	BIGNUM *bx = NULL, *by = NULL;
	EVP_PKEY *mine, *peer;
	EVP_PKEY_CTX *ctx;
	size_t zlen = sizeof(z);

	if (pdh_len < sizeof(pdh_cert))
		vmm_err("PDH_CERT_EXPORT: %zu bytes, not a certificate", pdh_len);
	memcpy(&pdh_cert, pdh, sizeof(pdh_cert));
	if (pdh_cert.pub_usage != SEV_USAGE_PDH ||
	    (pdh_cert.pub_algo != SEV_ALGO_ECDH_SHA256 &&
	     pdh_cert.pub_algo != SEV_ALGO_ECDH_SHA384) ||
	    pdh_cert.curve != SEV_CURVE_P384)
		vmm_err("the platform's PDH certificate is not an ECDH P-384 key (usage %#x, algorithm %#x, curve %u)",
			pdh_cert.pub_usage, pdh_cert.pub_algo, pdh_cert.curve);
	le72_to_be48(pdh_cert.qx, x);
	le72_to_be48(pdh_cert.qy, y);
	peer = p384_from_point(x, y);
	if (!peer)
		vmm_err("the platform's PDH is not a point on P-384");

	mine = EVP_EC_gen("P-384");
	if (!mine ||
	    !EVP_PKEY_get_bn_param(mine, OSSL_PKEY_PARAM_EC_PUB_X, &bx) ||
	    !EVP_PKEY_get_bn_param(mine, OSSL_PKEY_PARAM_EC_PUB_Y, &by) ||
	    BN_bn2binpad(bx, x, P384_LEN) != P384_LEN ||
	    BN_bn2binpad(by, y, P384_LEN) != P384_LEN)
		vmm_err("cannot make the guest owner's P-384 key");
	memset(cert, 0, sizeof(*cert));
	cert->version = 1;
	cert->pub_usage = SEV_USAGE_PDH;
	cert->pub_algo = SEV_ALGO_ECDH_SHA256;
	cert->curve = SEV_CURVE_P384;
	be48_to_le72(x, cert->qx);
	be48_to_le72(y, cert->qy);
	/* not signed: LAUNCH_START takes the owner's key as it is */
	cert->sig[0].usage = SEV_USAGE_INVALID;
	cert->sig[1].usage = SEV_USAGE_INVALID;

	ctx = EVP_PKEY_CTX_new(mine, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer(ctx, peer) <= 0 ||
	    EVP_PKEY_derive(ctx, z, &zlen) <= 0 || zlen != sizeof(z))
		vmm_err("ECDH with the platform's PDH failed");
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(peer);
	BN_free(bx);
	BN_free(by);

	if (RAND_bytes(o->session.nonce, 16) != 1 ||
	    RAND_bytes(o->session.wrap_iv, 16) != 1 ||
	    RAND_bytes(o->tek, 16) != 1 || RAND_bytes(o->tik, 16) != 1)
		vmm_err("no random bytes");
	o->have_tik = true;
	kdf(z, sizeof(z), "sev-master-secret", o->session.nonce, 16, master,
	    sizeof(master));
	kdf(master, sizeof(master), "sev-kek", NULL, 0, kek, sizeof(kek));
	kdf(master, sizeof(master), "sev-kik", NULL, 0, kik, sizeof(kik));

	memcpy(o->session.wrap_tk, o->tek, 16);
	memcpy(o->session.wrap_tk + 16, o->tik, 16);
	aes128_ctr(kek, o->session.wrap_iv, o->session.wrap_tk, 32);
	hmac256(kik, sizeof(kik), o->session.wrap_tk, 32, o->session.wrap_mac);
	hmac256(o->tik, 16, &policy, sizeof(policy), o->session.policy_mac);

	memset(z, 0, sizeof(z));
	memset(master, 0, sizeof(master));
	memset(kek, 0, sizeof(kek));
	memset(kik, 0, sizeof(kik));
}
