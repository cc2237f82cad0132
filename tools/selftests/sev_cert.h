/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SEV certificate format (SEV API, spec 55766, appendix C.1) and a
 * certificate's key as an OpenSSL key, for the selftests that check the
 * platform's keys and signatures (they link with -lcrypto). Numbers in
 * certificates and signatures are little-endian, 72 bytes for P-384's 48.
 */
#ifndef SEV_CERT_H
#define SEV_CERT_H

#include <stdint.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#define SEV_CERT_LEN		0x824
#define SEV_CERT_SIGNED_LEN	0x414	/* what the signatures cover */

/* No padding anywhere (sev_pki_test checks the size) */
struct sev_cert_sig {
	uint32_t usage, algo;
	uint8_t r[72], s[72], rsvd[0x200 - 144];
};

struct sev_cert {
	uint32_t version;
	uint8_t api_major, api_minor, rsvd[2];
	uint32_t usage, algo;
	uint32_t curve;
	uint8_t qx[72], qy[72], pub_rsvd[0x404 - 4 - 144];
	struct sev_cert_sig sig[2];
};

/* A P-384 number: 48 bytes big-endian from the 72 little-endian ones */
static inline void be_from_le(uint8_t *be, const uint8_t *le)
{
	int i;

	for (i = 0; i < 48; i++)
		be[i] = le[47 - i];
}

/* @c's public key, or NULL */
static inline EVP_PKEY *sev_cert_key(const struct sev_cert *c)
{
	uint8_t point[97];
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *key = NULL;

	point[0] = 4;
	be_from_le(point + 1, c->qx);
	be_from_le(point + 49, c->qy);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     "secp384r1", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      point, sizeof(point));
	params[2] = OSSL_PARAM_construct_end();
	if (ctx && EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

#endif /* SEV_CERT_H */
