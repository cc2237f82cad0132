// SPDX-License-Identifier: GPL-2.0
/*
 * What the firmware's cryptography for one attestation report costs on
 * this CPU with OpenSSL, the baseline for kvm_sev_bench's guest requests:
 * the report's signature (ECDSA P-384 over its SHA-384, as the VCEK signs
 * it) and the response's seal (AES-256-GCM of a report response under a
 * VMPCK, the guest library's snp_msg_encrypt(), as the firmware seals it).
 * The simulated firmware does both with the kernel's generic code; this
 * is what optimised userspace code takes for the same work.
 */
#include <errno.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "kvm_sev_bench.h"
#include "snp_guest_lib.h"

/* Calls of @op(@arg) for @secs: per second, 0 if one failed */
static double ops_per_s(int (*op)(void *arg, unsigned long i), void *arg,
			double secs)
{
	double t0 = now_s(), t;
	unsigned long n = 0;

	do {
		if (op(arg, n++))
			return 0;
		t = now_s() - t0;
	} while (t < secs);
	return n / t;
}

struct sign_ctx {
	EVP_PKEY *key;
	u8 report[SNP_REPORT_SIGNED_LEN];
};

static int sign_report(void *arg, unsigned long i)
{
	struct sign_ctx *c = arg;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	u8 sig[128];
	size_t len = sizeof(sig);
	int ok;

	c->report[0] = i;	/* another report each time */
	ok = md && EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL,
				      c->key) == 1 &&
	     EVP_DigestSign(md, sig, &len, c->report, sizeof(c->report)) == 1;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -EIO;
}

struct seal_ctx {
	u8 vmpck[SNP_MSG_VMPCK_LEN];
	struct sev_psp_report_rsp rsp;
	struct sev_psp_msg page;
};

static int seal_report(void *arg, unsigned long i)
{
	struct seal_ctx *c = arg;

	return snp_msg_encrypt(&c->page, c->vmpck, 0, 2 * i + 2,
			       SNP_MSG_REPORT_RSP, &c->rsp, sizeof(c->rsp));
}

int bench_report_crypto(double secs, struct crypto_rates *r)
{
	static struct sign_ctx sign;
	static struct seal_ctx seal;

	memset(r, 0, sizeof(*r));
	sign.key = EVP_EC_gen("P-384");
	if (!sign.key)
		return -EIO;
	memset(sign.report, 0x5a, sizeof(sign.report));
	memset(seal.vmpck, 0xa5, sizeof(seal.vmpck));
	memset(&seal.rsp, 0x5a, sizeof(seal.rsp));
	r->sign = ops_per_s(sign_report, &sign, secs);
	r->seal = ops_per_s(seal_report, &seal, secs);
	EVP_PKEY_free(sign.key);
	return r->sign && r->seal ? 0 : -EIO;
}
