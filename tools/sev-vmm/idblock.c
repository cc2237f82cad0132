// SPDX-License-Identifier: GPL-2.0
/*
 * The SNP ID block and its ID_AUTH page (spec 56860, SNP_LAUNCH_FINISH):
 * the guest owner names the launch digest and policy it expects, signs
 * that 96-byte block with its ID key (ECDSA P-384, SHA-384), and may sign
 * the ID key with an author key. The firmware refuses the launch when the
 * digest or policy differ from its own (BAD_MEASUREMENT, POLICY_FAILURE),
 * so an accepted ID block naming the digest computed here proves the
 * firmware computed the same one.
 *
 * In the 4 KiB ID_AUTH page, keys and signatures are little-endian and
 * zero-extended to 72 bytes: a signature is R then S in a 512-byte
 * structure, a public key the curve (2: P-384), QX and QY in a 0x404-byte
 * one (as sev-snp-measure's id_block.py and the firmware read them).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/decoder.h>

#include "sev-vmm.h"

#define ID_ALGO_ECDSA_P384_SHA384	1
#define ID_CURVE_P384			2
#define P384_LEN			48

struct ecdsa_sig {
	u8 r[72];
	u8 s[72];
	u8 rsvd[512 - 144];
};

struct ecdsa_pubkey {
	u32 curve;
	u8 qx[72];
	u8 qy[72];
	u8 rsvd[0x404 - 148];
};

struct id_auth {
	u32 id_key_algo;
	u32 auth_key_algo;
	u8 rsvd1[56];
	struct ecdsa_sig id_block_sig;
	struct ecdsa_pubkey id_key;
	u8 rsvd2[60];
	struct ecdsa_sig id_key_sig;
	struct ecdsa_pubkey author_key;
	u8 rsvd3[0x1000 - 0xc84];
};

static_assert(sizeof(struct snp_id_block) == ID_BLOCK_LEN, "ID block size");
static_assert(sizeof(struct id_auth) == ID_AUTH_LEN, "ID_AUTH size");
static_assert(offsetof(struct id_auth, id_key) == 0x240, "ID key offset");
static_assert(offsetof(struct id_auth, author_key) == 0x880, "author key");

static void bn_to_le72(const BIGNUM *bn, u8 out[72])
{
	memset(out, 0, 72);
	if (BN_bn2lebinpad(bn, out, P384_LEN) != P384_LEN)
		vmm_err("a P-384 number does not fit in 48 bytes");
}

static EVP_PKEY *load_key(const char *field, const char *path)
{
	char group[32] = "";
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY *key;
	FILE *f;

	if (!path) {
		key = EVP_EC_gen("P-384");
		if (!key)
			vmm_err("cannot make a P-384 key");
		return key;
	}
	f = fopen(path, "r");
	if (!f)
		opt_err(field, "%s: %s", path, strerror(errno));
	key = NULL;
	dctx = OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", NULL, NULL,
					     EVP_PKEY_KEYPAIR, NULL, NULL);
	if (!dctx || !OSSL_DECODER_from_fp(dctx, f) || !key)
		opt_err(field, "%s: not a PEM private key", path);
	OSSL_DECODER_CTX_free(dctx);
	fclose(f);
	if (!EVP_PKEY_is_a(key, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					    group, sizeof(group), NULL) ||
	    strcmp(group, "secp384r1"))
		opt_err(field, "%s: not an ECDSA P-384 key (curve '%s'); the firmware takes P-384 only",
			path, group);
	return key;
}

static void pubkey(EVP_PKEY *key, struct ecdsa_pubkey *out)
{
	BIGNUM *x = NULL, *y = NULL;

	memset(out, 0, sizeof(*out));
	if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y))
		vmm_err("cannot read a P-384 public key");
	out->curve = ID_CURVE_P384;
	bn_to_le72(x, out->qx);
	bn_to_le72(y, out->qy);
	BN_free(x);
	BN_free(y);
}

static void sign(EVP_PKEY *key, const void *data, size_t len,
		 struct ecdsa_sig *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	u8 der[128];
	const u8 *p = der;
	size_t derlen = sizeof(der);
	const BIGNUM *r, *s;
	ECDSA_SIG *sig;

	if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, key) <= 0 ||
	    EVP_DigestSign(ctx, der, &derlen, data, len) <= 0)
		vmm_err("ECDSA P-384 signing failed");
	EVP_MD_CTX_free(ctx);
	sig = d2i_ECDSA_SIG(NULL, &p, derlen);
	if (!sig)
		vmm_err("ECDSA signature not DER");
	ECDSA_SIG_get0(sig, &r, &s);
	memset(out, 0, sizeof(*out));
	bn_to_le72(r, out->r);
	bn_to_le72(s, out->s);
	ECDSA_SIG_free(sig);
}

void id_key_check(const char *field, const char *path)
{
	EVP_PKEY_free(load_key(field, path));
}

void id_auth_make(const struct snp_id_block *blk, const struct id_keys *k,
		  u8 auth[ID_AUTH_LEN], u8 id_key_digest[SHA384_LEN],
		  u8 author_key_digest[SHA384_LEN])
{
	struct id_auth *a = (struct id_auth *)auth;
	EVP_PKEY *id_key = load_key("--id-key", k->id_key_path);
	EVP_PKEY *author = NULL;

	memset(a, 0, sizeof(*a));
	a->id_key_algo = ID_ALGO_ECDSA_P384_SHA384;
	sign(id_key, blk, sizeof(*blk), &a->id_block_sig);
	pubkey(id_key, &a->id_key);
	sha384(&a->id_key, sizeof(a->id_key), id_key_digest);
	memset(author_key_digest, 0, SHA384_LEN);
	if (k->author_key_path) {
		author = load_key("--author-key", k->author_key_path);
		a->auth_key_algo = ID_ALGO_ECDSA_P384_SHA384;
		sign(author, &a->id_key, sizeof(a->id_key), &a->id_key_sig);
		pubkey(author, &a->author_key);
		sha384(&a->author_key, sizeof(a->author_key),
		       author_key_digest);
		EVP_PKEY_free(author);
	}
	EVP_PKEY_free(id_key);
}
