// SPDX-License-Identifier: GPL-2.0
/*
 * sev-vmm --attest, the guest owner's half: is this report from a genuine
 * SNP firmware about the guest that was launched?
 *
 *   - the certificate table (GUIDs, offsets and lengths, each checked
 *     against the buffer) names the VCEK, the ASK and the ARK;
 *   - the VCEK chains to the ARK (OpenSSL's X509_verify_cert: RSASSA-PSS
 *     signatures, CA constraints, validity), the ARK being the one the
 *     owner trusts (--ark) or, without one, the table's own (said so);
 *   - the report is signed (ECDSA P-384 with SHA-384 over its first
 *     0x2a0 bytes) by the VCEK's key, and the VCEK is the chip's and its
 *     TCB's (the hwID and SPL extensions against CHIP_ID and
 *     REPORTED_TCB);
 *   - the report is this launch's: the nonce, VMPL 0, the measurement
 *     (the launch digest computed in userspace), the policy, the host
 *     data and the ID key digest.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <linux/sev-psp.h>

#include "snp_guest_lib.h"
#include "attest.h"

#define AMD_OID		"1.3.6.1.4.1.3704.1."

struct chain {
	X509 *vcek, *ask, *ark;
};

static int fail(const char *what)
{
	printf("attest: FAILED: %s\n", what);
	ERR_print_errors_fp(stdout);
	return 1;
}

/* An entry's certificate, bounds checked; NULL if it does not parse */
static X509 *table_cert(const struct sev_psp_cert_table_entry *e,
			const uint8_t *certs, size_t len)
{
	const unsigned char *p = certs + e->offset;

	if ((uint64_t)e->offset + e->length > len || !e->length)
		return NULL;
	return d2i_X509(NULL, &p, e->length);
}

/* The table's VCEK, ASK and ARK; 0, or 1 with what is wrong printed */
static int parse_table(const uint8_t *certs, size_t len, struct chain *c)
{
	static const uint8_t vcek[16] = SEV_PSP_GUID_VCEK;
	static const uint8_t ask[16] = SEV_PSP_GUID_ASK;
	static const uint8_t ark[16] = SEV_PSP_GUID_ARK;
	static const uint8_t none[16];
	const struct sev_psp_cert_table_entry *e;
	X509 **slot;
	size_t i, n = len / sizeof(*e);

	e = (const struct sev_psp_cert_table_entry *)certs;
	for (i = 0; i < n && memcmp(e[i].guid, none, 16); i++) {
		slot = !memcmp(e[i].guid, vcek, 16) ? &c->vcek :
		       !memcmp(e[i].guid, ask, 16) ? &c->ask :
		       !memcmp(e[i].guid, ark, 16) ? &c->ark : NULL;
		if (!slot)
			continue;	/* another certificate: not needed */
		if (*slot)
			return fail("the certificate table names a certificate twice");
		*slot = table_cert(&e[i], certs, len);
		if (!*slot)
			return fail("a certificate of the table is outside it or not DER X.509");
	}
	if (i == n)
		return fail("the certificate table has no terminating entry");
	if (!c->vcek || !c->ask || !c->ark)
		return fail("the certificate table lacks the VCEK, the ASK or the ARK");
	printf("attest: certificate table: VCEK, ASK and ARK (%zu entries)\n",
	       i);
	return 0;
}

static X509 *load_pem(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x;

	if (!f)
		return NULL;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	return x;
}

/* VCEK <- ASK <- ARK, the ARK trusted */
static int verify_chain(const struct attest *a, const struct chain *c)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	struct stack_st_X509 *untrusted = sk_X509_new_null(); /* STACK_OF() */
	X509 *trusted = c->ark, *given = NULL;
	int ok = 0;

	if (a->ark_path) {
		given = load_pem(a->ark_path);
		if (!given || X509_cmp(given, c->ark)) {
			X509_free(given);
			X509_STORE_CTX_free(ctx);
			X509_STORE_free(store);
			sk_X509_free(untrusted);
			return fail(given ? "the table's ARK is not the trusted one (--ark)" :
				    "--ark: not a PEM certificate");
		}
		trusted = given;
	}
	if (store && ctx && untrusted && X509_STORE_add_cert(store, trusted) &&
	    sk_X509_push(untrusted, c->ask) &&
	    X509_STORE_CTX_init(ctx, store, c->vcek, untrusted))
		ok = X509_verify_cert(ctx) == 1;
	if (!ok && ctx)
		printf("attest: chain: %s\n",
		       X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	X509_free(given);
	sk_X509_free(untrusted);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	if (!ok)
		return fail("the VCEK does not chain to the ARK");
	printf("attest: VCEK <- ASK <- ARK verified (ARK %s)\n",
	       a->ark_path ? "as given by --ark" :
	       "from the table itself: no --ark to trust");
	return 0;
}

/* ECDSA P-384 / SHA-384 over the report's signed part, by the VCEK */
static int verify_signature(const struct sev_psp_attestation_report *r,
			    X509 *vcek)
{
	EVP_PKEY *key = X509_get0_pubkey(vcek);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *br = BN_lebin2bn(r->sig_r, sizeof(r->sig_r), NULL);
	BIGNUM *bs = BN_lebin2bn(r->sig_s, sizeof(r->sig_s), NULL);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	int derlen = -1, ok = 0;

	if (sig && br && bs && ECDSA_SIG_set0(sig, br, bs)) {
		/* the signature's now */
		br = NULL;
		bs = NULL;
		derlen = i2d_ECDSA_SIG(sig, &der);
	}
	if (key && EVP_PKEY_get_base_id(key) == EVP_PKEY_EC && md &&
	    derlen > 0 &&
	    EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, key) == 1)
		ok = EVP_DigestVerify(md, der, derlen, (const void *)r,
				      SNP_REPORT_SIGNED_LEN) == 1;
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	BN_free(br);
	BN_free(bs);
	ECDSA_SIG_free(sig);
	if (!ok)
		return fail("the report's signature is not the VCEK's");
	printf("attest: report signature (ECDSA P-384, SHA-384) verified with the VCEK\n");
	return 0;
}

/* The contents of the VCEK's AMD extension @oid; NULL if it has none */
static const ASN1_OCTET_STRING *amd_ext(X509 *x, const char *oid)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int i = obj ? X509_get_ext_by_OBJ(x, obj, -1) : -1;

	ASN1_OBJECT_free(obj);
	return i < 0 ? NULL : X509_EXTENSION_get_data(X509_get_ext(x, i));
}

/* An SPL extension (a DER INTEGER): its value, or -1 */
static long amd_spl(X509 *x, const char *oid)
{
	const ASN1_OCTET_STRING *os = amd_ext(x, oid);
	const unsigned char *p;
	ASN1_INTEGER *i;
	long v;

	if (!os)
		return -1;
	p = ASN1_STRING_get0_data(os);
	i = d2i_ASN1_INTEGER(NULL, &p, ASN1_STRING_length(os));
	v = i ? ASN1_INTEGER_get(i) : -1;
	ASN1_INTEGER_free(i);
	return v;
}

/* The VCEK is the chip's, for the TCB the report names */
static int check_vcek(const struct sev_psp_attestation_report *r, X509 *vcek)
{
	const ASN1_OCTET_STRING *hwid = amd_ext(vcek, AMD_OID "4");
	uint64_t tcb = le64toh(r->reported_tcb);
	int bad = 0;

	if (!(le32toh(r->signer_info) & SNP_REPORT_SIGNER_MASK_CHIP_KEY) &&
	    (!hwid || ASN1_STRING_length(hwid) != sizeof(r->chip_id) ||
	     memcmp(ASN1_STRING_get0_data(hwid), r->chip_id,
		    sizeof(r->chip_id))))
		bad |= fail("the VCEK's hwID is not the report's CHIP_ID");
	if (amd_spl(vcek, AMD_OID "3.1") != (long)(tcb & 0xff) ||
	    amd_spl(vcek, AMD_OID "3.2") != (long)(tcb >> 8 & 0xff) ||
	    amd_spl(vcek, AMD_OID "3.3") != (long)(tcb >> 48 & 0xff) ||
	    amd_spl(vcek, AMD_OID "3.8") != (long)(tcb >> 56 & 0xff))
		bad |= fail("the VCEK's TCB is not the report's REPORTED_TCB");
	if (!bad)
		printf("attest: the VCEK is the chip's (hwID = CHIP_ID), at TCB %#018llx\n",
		       (unsigned long long)tcb);
	return bad;
}

static int same(const char *what, const void *got, const void *want,
		size_t len)
{
	if (memcmp(got, want, len)) {
		printf("attest: FAILED: the report's %s is not the expected one\n",
		       what);
		return 1;
	}
	printf("attest: %s as expected\n", what);
	return 0;
}

/* The report is the one asked for, about the guest that was launched */
static int check_fields(const struct attest *a,
			const struct sev_psp_attestation_report *r,
			const uint8_t *report_data)
{
	uint64_t policy = htole64(a->policy);
	int bad = 0;

	if (le32toh(r->version) < SNP_REPORT_VERSION ||
	    le32toh(r->signature_algo) != SNP_REPORT_SIG_ALGO_ECDSA_P384_SHA384 ||
	    (le32toh(r->signer_info) & SNP_REPORT_SIGNER_SIGNING_KEY) >> 2 !=
	    SNP_REPORT_SIGNING_KEY_VCEK || le32toh(r->vmpl))
		bad |= fail("report version, algorithm, signing key or VMPL");
	bad |= same("REPORT_DATA (the guest's nonce)", r->report_data,
		    report_data, sizeof(r->report_data));
	bad |= same("MEASUREMENT (the launch digest computed here)",
		    r->measurement, a->measurement, sizeof(r->measurement));
	bad |= same("POLICY", &r->policy, &policy, sizeof(policy));
	bad |= same("HOST_DATA", r->host_data, a->host_data,
		    sizeof(r->host_data));
	if (a->id_key_digest)
		bad |= same("ID_KEY_DIGEST", r->id_key_digest,
			    a->id_key_digest, sizeof(r->id_key_digest));
	else
		printf("attest: ID_KEY_DIGEST not checked (the ID block was given)\n");
	return bad;
}

int attest_verify(const struct attest *a, const void *report,
		  const uint8_t *report_data, const uint8_t *certs, size_t len)
{
	const struct sev_psp_attestation_report *r = report;
	struct chain c = {};
	int bad;

	bad = parse_table(certs, len, &c);
	bad = bad ?: verify_chain(a, &c);
	bad = bad ?: verify_signature(r, c.vcek);
	bad = bad ?: check_vcek(r, c.vcek);
	bad = bad ?: check_fields(a, r, report_data);
	X509_free(c.vcek);
	X509_free(c.ask);
	X509_free(c.ark);
	printf("attest: %s\n", bad ? "the report does NOT check out" :
	       "report verified: signed by the VCEK, which chains to the ARK; measurement = launch digest");
	return bad;
}
