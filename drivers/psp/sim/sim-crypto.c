// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated firmware's cryptography, on the kernel's own primitives:
 * SHA-384, HMAC-SHA384/256 and the SEV KDF through crypto_shash, AES-GCM
 * and AES-CTR through crypto_aead/skcipher, ECDH and ECDSA P-384 signing on
 * the NIST P-384 arithmetic crypto/ecc exports (the kernel verifies ECDSA
 * but does not sign). Keys the firmware derives (the VCEK from the chip
 * secret and a TCB) are deterministic given their inputs, and so are
 * signatures (the nonce is derived from the key and the digest, in the
 * spirit of RFC 6979), so tests are reproducible.
 */
#include <crypto/aead.h>
#include <crypto/ecdh.h>
#include <crypto/hash.h>
#include <crypto/internal/ecc.h>
#include <crypto/sha2.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

#define P384_DIGITS	(SIM_P384_BYTES / sizeof(u64))

static int sim_hmac(const char *alg, const void *key, size_t keylen,
		    const void *data, size_t len, u8 *out)
{
	struct crypto_shash *tfm;
	int ret;

	tfm = crypto_alloc_shash(alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_shash_setkey(tfm, key, keylen);
	if (!ret)
		ret = crypto_shash_tfm_digest(tfm, data, len, out);
	crypto_free_shash(tfm);
	return ret;
}

int sim_hmac_sha384(const void *key, size_t keylen, const void *data,
		    size_t len, u8 out[SIM_P384_BYTES])
{
	return sim_hmac("hmac(sha384)", key, keylen, data, len, out);
}

int sim_hmac_sha256(const void *key, size_t keylen, const void *data,
		    size_t len, u8 out[SHA256_DIGEST_SIZE])
{
	return sim_hmac("hmac(sha256)", key, keylen, data, len, out);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_hmac_sha256);

/**
 * sim_sev_kdf() - the SEV API's key derivation function
 * @key:	the key derived from
 * @keylen:	its length
 * @label:	the label ("sev-master-secret", "sev-kek", ...)
 * @ctx:	the context (a nonce), may be empty
 * @ctx_len:	its length
 * @out:	the derived key
 * @len:	its length, at most 32 bytes
 *
 * NIST SP 800-108 in counter mode with HMAC-SHA256:
 * HMAC(key, i || label || 0x00 || context || L), i and L (the output length
 * in bits) as 32-bit little-endian numbers. Return: 0 or a negative errno.
 */
int sim_sev_kdf(const void *key, size_t keylen, const char *label,
		const void *ctx, size_t ctx_len, u8 *out, size_t len)
{
	size_t llen = strlen(label), n = 4 + llen + 1 + ctx_len + 4;
	u8 mac[SHA256_DIGEST_SIZE], *msg;
	__le32 v;
	int ret;

	if (len > sizeof(mac))
		return -EINVAL;
	msg = kmalloc(n, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	v = cpu_to_le32(1);
	memcpy(msg, &v, 4);
	memcpy(msg + 4, label, llen);
	msg[4 + llen] = 0;
	memcpy(msg + 5 + llen, ctx, ctx_len);
	v = cpu_to_le32(len * 8);
	memcpy(msg + 5 + llen + ctx_len, &v, 4);
	ret = sim_hmac_sha256(key, keylen, msg, n, mac);
	memcpy(out, mac, len);
	memzero_explicit(mac, sizeof(mac));
	kfree_sensitive(msg);
	return ret;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_sev_kdf);

/*
 * One SHA-384 transform for the module's life: a digest keeps its state
 * on the caller's stack, so every caller may share it. Allocating one
 * per digest cost an SNP launch more than the hashing (two a page).
 */
static struct crypto_shash *sim_sha384_tfm;

int sim_sha384(const void *data, size_t len, u8 out[SIM_P384_BYTES])
{
	return crypto_shash_tfm_digest(sim_sha384_tfm, data, len, out);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_sha384);

/*
 * The kernel's SHA-384 alone, as the SNP launch uses it: one digest per
 * 4 KiB page, @pages of them. What it takes (ns) is the baseline for
 * SNP_LAUNCH_UPDATE's own rate (kvm_sev_bench reads both in one run,
 * through debugfs sha384_bench).
 */
int sim_sha384_bench(unsigned int pages, u64 *ns)
{
	u8 out[SIM_P384_BYTES];
	unsigned int i;
	void *page;
	u64 start;
	int ret = 0;

	page = (void *)__get_free_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	memset(page, 0x5a, PAGE_SIZE);
	start = ktime_get_ns();
	for (i = 0; i < pages && !ret; i++)
		ret = sim_sha384(page, PAGE_SIZE, out);
	*ns = ktime_get_ns() - start;
	free_page((unsigned long)page);
	return ret;
}

static const struct ecc_curve *p384(void)
{
	return ecc_get_curve(ECC_CURVE_NIST_P384);
}

/*
 * How crypto/ecc's ecc_make_pub_key() and crypto_ecdh_shared_secret() take
 * a private key: as big-endian bytes they swap themselves (6.1), or as
 * native digits (later kernels, which swap in ecdh's set_secret instead).
 * Nothing in the headers tells; sim_crypto_init() asks the kernel once.
 */
static bool sim_ecc_priv_native;

/* @priv (big-endian) as the kernel's ecc takes a private key, into @d */
static void sim_p384_kernel_priv(u64 d[P384_DIGITS], const void *priv)
{
	if (sim_ecc_priv_native)
		vli_from_be64(d, priv, P384_DIGITS);
	else
		memcpy(d, priv, SIM_P384_BYTES);
}

/*
 * A known answer (checked with OpenSSL): k = SHA-384("sev-psp-sim: the
 * kernel's P-384 known answer") mod n, and the x of k G, both big-endian.
 */
static const u8 sim_kat_priv[SIM_P384_BYTES] = {
	0x9b, 0x38, 0x03, 0x93, 0x91, 0x23, 0xe8, 0x17,
	0x71, 0x92, 0x22, 0x77, 0x5c, 0xe0, 0x76, 0x74,
	0x0f, 0x2e, 0xf4, 0x90, 0x8e, 0xe4, 0xd7, 0xba,
	0x98, 0x73, 0xd2, 0xa3, 0x81, 0xa8, 0x60, 0x21,
	0x64, 0xf4, 0x91, 0xbd, 0x7e, 0xf8, 0x2f, 0x8c,
	0xf4, 0x25, 0x68, 0x5c, 0xbc, 0x29, 0xd8, 0xd9,
};

static const u8 sim_kat_x[SIM_P384_BYTES] = {
	0x79, 0xc5, 0xd4, 0x60, 0x12, 0x19, 0x3d, 0xc9,
	0xe4, 0x8b, 0x8f, 0xae, 0xcc, 0xe3, 0xb8, 0x5e,
	0xbc, 0x4d, 0xfa, 0x1a, 0x77, 0x6b, 0x39, 0x9a,
	0x33, 0x02, 0x77, 0xec, 0x25, 0x96, 0xbe, 0xae,
	0xbb, 0x12, 0xc5, 0x46, 0x6f, 0xce, 0xc0, 0x1b,
	0x65, 0x17, 0x44, 0xdd, 0xd6, 0x4a, 0xcd, 0xef,
};

/**
 * sim_crypto_init() - learn how the kernel's ecc takes a private key, and
 * allocate the shared SHA-384 transform
 *
 * The way that gives the known answer's public key is the kernel's.
 * Return: 0, -EINVAL when neither way gives it, or the allocation's error.
 */
int __init sim_crypto_init(void)
{
	u8 x[SIM_P384_BYTES], y[SIM_P384_BYTES];
	int native;

	for (native = 0; native <= 1; native++) {
		sim_ecc_priv_native = native;
		if (!sim_p384_public_key(sim_kat_priv, x, y) &&
		    !memcmp(x, sim_kat_x, SIM_P384_BYTES))
			break;
	}
	if (native > 1) {
		pr_err("sev-psp-sim: the kernel's P-384 arithmetic gives no known answer\n");
		return -EINVAL;
	}
	sim_sha384_tfm = crypto_alloc_shash("sha384", 0, 0);
	return PTR_ERR_OR_ZERO(sim_sha384_tfm);
}

void sim_crypto_exit(void)
{
	crypto_free_shash(sim_sha384_tfm);
}

/* r = a + b mod m, for a, b < m: the one modular operation ecc lacks */
static void vli_mod_add_p384(u64 *r, const u64 *a, const u64 *b, const u64 *m)
{
	u64 carry = 0;
	unsigned int i;

	for (i = 0; i < P384_DIGITS; i++) {
		u64 sum = a[i] + b[i] + carry;

		carry = sum < a[i] || (carry && sum == a[i]);
		r[i] = sum;
	}
	if (carry || vli_cmp(r, m, P384_DIGITS) >= 0)
		vli_sub(r, r, m, P384_DIGITS);
}

/*
 * A P-384 private key in [1, n - 1], from HMAC-SHA384(secret, label || ctx):
 * the same inputs always give the same key.
 */
int sim_p384_derive_key(const void *secret, size_t secret_len,
			const char *label, const void *ctx, size_t ctx_len,
			u8 priv[SIM_P384_BYTES])
{
	const struct ecc_curve *curve = p384();
	u64 v[P384_DIGITS], nm1[P384_DIGITS], one[P384_DIGITS] = { 1 };
	size_t llen = strlen(label);
	u8 *msg;
	int ret;

	msg = kmalloc(llen + ctx_len, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	memcpy(msg, label, llen);
	memcpy(msg + llen, ctx, ctx_len);
	ret = sim_hmac_sha384(secret, secret_len, msg, llen + ctx_len, priv);
	kfree_sensitive(msg);
	if (ret)
		return ret;

	/* v mod (n - 1) + 1; v < 2^384 < 2(n - 1), so one subtraction does */
	vli_from_be64(v, priv, P384_DIGITS);
	vli_sub(nm1, curve->n, one, P384_DIGITS);
	if (vli_cmp(v, nm1, P384_DIGITS) >= 0)
		vli_sub(v, v, nm1, P384_DIGITS);
	vli_mod_add_p384(v, v, one, curve->n);
	ecc_swap_digits(v, (u64 *)priv, P384_DIGITS);
	memzero_explicit(v, sizeof(v));
	return 0;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_p384_derive_key);

/* The public key of @priv: x and y, big-endian. */
int sim_p384_public_key(const u8 priv[SIM_P384_BYTES],
			u8 x[SIM_P384_BYTES], u8 y[SIM_P384_BYTES])
{
	u64 d[P384_DIGITS], pub[2 * P384_DIGITS];
	int ret;

	sim_p384_kernel_priv(d, priv);
	ret = ecc_make_pub_key(ECC_CURVE_NIST_P384, P384_DIGITS, d, pub);
	memzero_explicit(d, sizeof(d));
	if (ret)
		return ret;
	memcpy(x, pub, SIM_P384_BYTES);
	memcpy(y, pub + P384_DIGITS, SIM_P384_BYTES);
	return 0;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_p384_public_key);

/* ECDH: the x coordinate of @priv times the point (@x, @y), big-endian. */
int sim_p384_ecdh(const u8 priv[SIM_P384_BYTES], const u8 x[SIM_P384_BYTES],
		  const u8 y[SIM_P384_BYTES], u8 shared[SIM_P384_BYTES])
{
	u64 d[P384_DIGITS], pub[2 * P384_DIGITS], z[P384_DIGITS];
	int ret;

	sim_p384_kernel_priv(d, priv);
	memcpy(pub, x, SIM_P384_BYTES);
	memcpy(pub + P384_DIGITS, y, SIM_P384_BYTES);
	/* checks that the point is on the curve */
	ret = crypto_ecdh_shared_secret(ECC_CURVE_NIST_P384, P384_DIGITS, d,
					pub, z);
	if (!ret)
		memcpy(shared, z, SIM_P384_BYTES);
	memzero_explicit(d, sizeof(d));
	memzero_explicit(z, sizeof(z));
	return ret;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_p384_ecdh);

/**
 * sim_ecdsa_p384_sign() - ECDSA P-384 signature of a SHA-384 digest
 * @priv:	private key, big-endian
 * @digest:	the message's SHA-384
 * @r_out:	out: r, big-endian
 * @s_out:	out: s, big-endian
 *
 * s = k^-1 (e + r d) mod n with r = (k G).x mod n, k derived from the key
 * and the digest. Return: 0, or a negative errno.
 */
int sim_ecdsa_p384_sign(const u8 priv[SIM_P384_BYTES],
			const u8 digest[SIM_P384_BYTES],
			u8 r_out[SIM_P384_BYTES], u8 s_out[SIM_P384_BYTES])
{
	const struct ecc_curve *curve = p384();
	const u64 *n = curve->n;
	u64 d[P384_DIGITS], e[P384_DIGITS], k[P384_DIGITS], kbe[P384_DIGITS];
	u64 r[P384_DIGITS], s[P384_DIGITS], t[P384_DIGITS];
	u64 kinv[P384_DIGITS], kd[P384_DIGITS], point[2 * P384_DIGITS];
	u8 seed[2 * SIM_P384_BYTES + 1];
	int ret = -EAGAIN, try;

	vli_from_be64(d, priv, P384_DIGITS);
	vli_from_be64(e, digest, P384_DIGITS);
	if (vli_cmp(e, n, P384_DIGITS) >= 0)
		vli_sub(e, e, n, P384_DIGITS);

	memcpy(seed, priv, SIM_P384_BYTES);
	memcpy(seed + SIM_P384_BYTES, digest, SIM_P384_BYTES);
	for (try = 0; try < 8; try++) {
		seed[2 * SIM_P384_BYTES] = try;
		ret = sim_hmac_sha384(priv, SIM_P384_BYTES, seed, sizeof(seed),
				      (u8 *)kbe);
		if (ret)
			break;
		vli_from_be64(k, kbe, P384_DIGITS);
		ret = -EAGAIN;
		if (vli_is_zero(k, P384_DIGITS) ||
		    vli_cmp(k, n, P384_DIGITS) >= 0)
			continue;

		/* (k G).x mod n */
		sim_p384_kernel_priv(kd, kbe);
		if (ecc_make_pub_key(ECC_CURVE_NIST_P384, P384_DIGITS, kd,
				     point))
			continue;
		vli_from_be64(r, point, P384_DIGITS);
		if (vli_cmp(r, n, P384_DIGITS) >= 0)
			vli_sub(r, r, n, P384_DIGITS);
		if (vli_is_zero(r, P384_DIGITS))
			continue;

		vli_mod_mult_slow(t, r, d, n, P384_DIGITS);
		vli_mod_add_p384(t, t, e, n);
		vli_mod_inv(kinv, k, n, P384_DIGITS);
		vli_mod_mult_slow(s, kinv, t, n, P384_DIGITS);
		if (vli_is_zero(s, P384_DIGITS))
			continue;

		ecc_swap_digits(r, (u64 *)r_out, P384_DIGITS);
		ecc_swap_digits(s, (u64 *)s_out, P384_DIGITS);
		ret = 0;
		break;
	}

	memzero_explicit(d, sizeof(d));
	memzero_explicit(k, sizeof(k));
	memzero_explicit(kbe, sizeof(kbe));
	memzero_explicit(kd, sizeof(kd));
	memzero_explicit(kinv, sizeof(kinv));
	memzero_explicit(seed, sizeof(seed));
	return ret;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_ecdsa_p384_sign);

/**
 * sim_ecdsa_p384_verify() - check an ECDSA P-384 signature
 * @x:		public key x, big-endian
 * @y:		public key y, big-endian
 * @digest:	48-byte digest (a shorter hash right-aligned)
 * @r:		signature r, big-endian
 * @s:		signature s, big-endian
 *
 * X = (e s^-1) G + (r s^-1) Q; good when X.x mod n is r. Done here with
 * the ECC library rather than the kernel's "ecdsa-nist-p384": Debian's
 * 6.1 kernel is built without CONFIG_CRYPTO_ECDSA, and the firmware must
 * check ID_AUTH signatures there too. (The KUnit suite sim_crypto checks
 * this against the kernel's verifier on the debug kernel.)
 * Return: 0 for a good signature, -EKEYREJECTED for a bad one or a
 * public key not on the curve, -EBADMSG for r or s out of range.
 */
int sim_ecdsa_p384_verify(const u8 *x, const u8 *y, const u8 *digest,
			  const u8 *r, const u8 *s)
{
	const struct ecc_curve *curve = p384();
	const u64 *n = curve->n;
	u64 qx[P384_DIGITS], qy[P384_DIGITS], vx[P384_DIGITS], vy[P384_DIGITS];
	u64 rr[P384_DIGITS], ss[P384_DIGITS], e[P384_DIGITS];
	u64 sinv[P384_DIGITS], u1[P384_DIGITS], u2[P384_DIGITS];
	struct ecc_point q = ECC_POINT_INIT(qx, qy, P384_DIGITS);
	struct ecc_point v = ECC_POINT_INIT(vx, vy, P384_DIGITS);

	vli_from_be64(qx, x, P384_DIGITS);
	vli_from_be64(qy, y, P384_DIGITS);
	if (ecc_is_pubkey_valid_full(curve, &q))
		return -EKEYREJECTED;

	vli_from_be64(rr, r, P384_DIGITS);
	vli_from_be64(ss, s, P384_DIGITS);
	if (vli_is_zero(rr, P384_DIGITS) || vli_cmp(rr, n, P384_DIGITS) >= 0 ||
	    vli_is_zero(ss, P384_DIGITS) || vli_cmp(ss, n, P384_DIGITS) >= 0)
		return -EBADMSG;

	vli_from_be64(e, digest, P384_DIGITS);
	vli_mod_inv(sinv, ss, n, P384_DIGITS);
	vli_mod_mult_slow(u1, e, sinv, n, P384_DIGITS);
	vli_mod_mult_slow(u2, rr, sinv, n, P384_DIGITS);
	ecc_point_mult_shamir(&v, u1, &curve->g, u2, &q, curve);
	if (vli_cmp(vx, n, P384_DIGITS) >= 0)
		vli_sub(vx, vx, n, P384_DIGITS);
	return vli_cmp(vx, rr, P384_DIGITS) ? -EKEYREJECTED : 0;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_ecdsa_p384_verify);

/**
 * sim_aes256_gcm() - AES-256-GCM, in place
 * @encrypt:	encrypt (else decrypt and check the tag)
 * @key:	32-byte key
 * @iv:		12-byte IV
 * @aad:	additional authenticated data
 * @aad_len:	its length
 * @data:	plaintext in, ciphertext out (or the other way)
 * @len:	its length
 * @tag:	16-byte tag: written when encrypting, checked when decrypting
 *
 * Return: 0; -EBADMSG for a tag that does not match; another errno.
 */
int sim_aes256_gcm(bool encrypt, const u8 *key, const u8 *iv, const void *aad,
		   size_t aad_len, u8 *data, size_t len, u8 *tag)
{
	struct crypto_aead *tfm;
	struct aead_request *req = NULL;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u8 *buf, ivbuf[12];
	int ret;

	tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_aead_setkey(tfm, key, 32);
	if (!ret)
		ret = crypto_aead_setauthsize(tfm, 16);
	if (ret)
		goto out_free_tfm;

	/* one buffer: aad || text || tag */
	buf = kmalloc(aad_len + len + 16, GFP_KERNEL);
	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!buf || !req) {
		ret = -ENOMEM;
		goto out_free;
	}
	memcpy(buf, aad, aad_len);
	memcpy(buf + aad_len, data, len);
	if (!encrypt)
		memcpy(buf + aad_len + len, tag, 16);
	memcpy(ivbuf, iv, sizeof(ivbuf));

	sg_init_one(&sg, buf, aad_len + len + 16);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, aad_len);
	aead_request_set_crypt(req, &sg, &sg, encrypt ? len : len + 16, ivbuf);
	ret = crypto_wait_req(encrypt ? crypto_aead_encrypt(req) :
			      crypto_aead_decrypt(req), &wait);
	if (!ret) {
		memcpy(data, buf + aad_len, len);
		if (encrypt)
			memcpy(tag, buf + aad_len + len, 16);
	}
out_free:
	aead_request_free(req);
	kfree_sensitive(buf);
out_free_tfm:
	crypto_free_aead(tfm);
	return ret;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_aes256_gcm);

/* A big-endian P-384 value as the firmware's formats have it: 72 bytes LE. */
void sim_p384_to_le72(u8 *dst, const u8 *be)
{
	int i;

	memset(dst, 0, SIM_SEV_ECC_LEN);
	for (i = 0; i < SIM_P384_BYTES; i++)
		dst[i] = be[SIM_P384_BYTES - 1 - i];
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_p384_to_le72);

/*
 * ... and back: the low 48 bytes of @src, big-endian. False when the 24
 * bytes above them are not zero: then it is no P-384 value at all.
 */
bool sim_p384_from_le72(u8 *be, const u8 *src)
{
	static const u8 zero[SIM_SEV_ECC_LEN - SIM_P384_BYTES];
	int i;

	for (i = 0; i < SIM_P384_BYTES; i++)
		be[i] = src[SIM_P384_BYTES - 1 - i];
	return !memcmp(src + SIM_P384_BYTES, zero, sizeof(zero));
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_p384_from_le72);

/* AES-128-CTR in place, as the SEV API wraps keys and launch secrets. */
int sim_aes128_ctr(const u8 key[16], const u8 iv[16], u8 *data, size_t len)
{
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u8 ivbuf[16];
	int ret;

	tfm = crypto_alloc_skcipher("ctr(aes)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_skcipher_setkey(tfm, key, 16);
	if (ret)
		goto out_free_tfm;
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		ret = -ENOMEM;
		goto out_free_tfm;
	}
	memcpy(ivbuf, iv, sizeof(ivbuf));
	sg_init_one(&sg, data, len);
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	skcipher_request_set_crypt(req, &sg, &sg, len, ivbuf);
	ret = crypto_wait_req(crypto_skcipher_encrypt(req), &wait);
	skcipher_request_free(req);
out_free_tfm:
	crypto_free_skcipher(tfm);
	return ret;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_aes128_ctr);
