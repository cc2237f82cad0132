// SPDX-License-Identifier: GPL-2.0
/*
 * snp-certs: an AMD-style certificate chain for a simulated SEV-SNP chip,
 * standing in for AMD's key distribution service.
 *
 *   snp-certs issue --vcek-pub HEX --chip-id HEX --tcb TCB --out DIR
 *       make ARK and ASK (RSA, RSASSA-PSS with SHA-384, self-signed ARK)
 *       and a VCEK certificate for the chip's P-384 public key (the
 *       uncompressed point in HEX) with AMD's VCEK extensions (TCB SPLs,
 *       hardware id, product name), signed by the ASK; writes ark.pem,
 *       ask.pem, vcek.pem and certs.bin, the GUID-table blob an extended
 *       guest request returns (VCEK, ASK, ARK)
 *   snp-certs from-sim ID --out DIR
 *       the same for simulated PSP sevsimID, reading its public key, chip
 *       id and reported TCB from debugfs
 *   snp-certs load BLOB [--tcb TCB]
 *       install the blob (and, with --tcb, that reported TCB in the same
 *       call) through SNP_SET_EXT_CONFIG on /dev/sev
 *
 * Options: --rsa-bits N (default 4096, as AMD's), --product NAME
 * (default Milan). Exit status 0 on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <linux/psp-sev.h>
#include <linux/sev-psp.h>

#define CHIP_ID_LEN	64
#define POINT_LEN	97
#define AMD_OID		"1.3.6.1.4.1.3704.1."

struct opts {
	const char *vcek_hex, *chip_hex, *out, *product;
	uint64_t tcb;
	int have_tcb;
	int rsa_bits;
};

static void die(const char *what)
{
	fprintf(stderr, "snp-certs: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static int unhex(const char *hex, unsigned char *out, size_t len)
{
	size_t i;

	if (strlen(hex) != 2 * len)
		return -1;
	for (i = 0; i < len; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return 0;
}

static void add_name(X509_NAME *n, const char *cn)
{
	X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_ASC,
				   (const unsigned char *)"Engineering", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
				   (const unsigned char *)"US", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "L", MBSTRING_ASC,
				   (const unsigned char *)"Santa Clara", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "ST", MBSTRING_ASC,
				   (const unsigned char *)"CA", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
				   (const unsigned char *)"Advanced Micro Devices", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext || !X509_add_ext(x, ext, -1))
		die("cannot add an extension");
	X509_EXTENSION_free(ext);
}

/*
 * An AMD extension: @der becomes the extnValue's contents as it is, the
 * DER of an INTEGER or IA5String, or for the hwID the raw chip id.
 */
static void add_amd_ext(X509 *x, const char *oid, unsigned char *der, int len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext;

	if (!obj || !os || !ASN1_OCTET_STRING_set(os, der, len))
		die("cannot encode an AMD extension");
	ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
	if (!ext || !X509_add_ext(x, ext, -1))
		die("cannot add an AMD extension");
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
	OPENSSL_free(der);
}

static void add_amd_int(X509 *x, const char *oid, long v)
{
	ASN1_INTEGER *ai = ASN1_INTEGER_new();
	unsigned char *der = NULL;
	int len;

	ASN1_INTEGER_set(ai, v);
	len = i2d_ASN1_INTEGER(ai, &der);
	ASN1_INTEGER_free(ai);
	add_amd_ext(x, oid, der, len);
}

static X509 *new_cert(long serial, const char *cn, EVP_PKEY *key, X509 *issuer)
{
	X509 *x = X509_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 25L * 365 * 24 * 3600);
	add_name(X509_get_subject_name(x), cn);
	X509_set_issuer_name(x, X509_get_subject_name(issuer ? issuer : x));
	X509_set_pubkey(x, key);
	return x;
}

/* RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt, as AMD signs. */
static void sign_pss(X509 *x, EVP_PKEY *key)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;

	if (EVP_DigestSignInit(ctx, &pctx, EVP_sha384(), NULL, key) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) <= 0 ||
	    X509_sign_ctx(x, ctx) <= 0)
		die("cannot sign a certificate");
	EVP_MD_CTX_free(ctx);
}

static EVP_PKEY *p384_public(const unsigned char point[POINT_LEN])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point,
					POINT_LEN),
		OSSL_PARAM_END
	};
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *key = NULL;

	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		die("not a P-384 public key");
	EVP_PKEY_CTX_free(ctx);
	return key;
}

static void write_pem(const char *dir, const char *name, X509 *x)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || !PEM_write_X509(f, x))
		die("cannot write a certificate");
	fclose(f);
}

/* The blob: GUID table (VCEK, ASK, ARK, terminator), then the DER certs. */
static void write_blob(const char *dir, X509 *vcek, X509 *ask, X509 *ark)
{
	static const unsigned char guids[3][16] = {
		SEV_PSP_GUID_VCEK, SEV_PSP_GUID_ASK, SEV_PSP_GUID_ARK,
	};
	X509 *certs[3] = { vcek, ask, ark };
	struct sev_psp_cert_table_entry e[4];
	unsigned char *blob, *der;
	uint32_t off = sizeof(e), len, size;
	char path[512];
	FILE *f;
	int i;

	blob = calloc(1, SEV_PSP_CERT_BLOB_MAX);
	memset(e, 0, sizeof(e));
	for (i = 0; i < 3; i++) {
		der = NULL;
		len = i2d_X509(certs[i], &der);
		if (off + len > SEV_PSP_CERT_BLOB_MAX)
			die("certificates do not fit in 16 KiB");
		memcpy(e[i].guid, guids[i], 16);
		e[i].offset = off;
		e[i].length = len;
		memcpy(blob + off, der, len);
		off += len;
		OPENSSL_free(der);
	}
	memcpy(blob, e, sizeof(e));
	size = (off + 4095) & ~4095u;

	snprintf(path, sizeof(path), "%s/certs.bin", dir);
	f = fopen(path, "w");
	if (!f || fwrite(blob, 1, size, f) != size)
		die("cannot write certs.bin");
	fclose(f);
	free(blob);
}

static int issue(const struct opts *o)
{
	unsigned char point[POINT_LEN], chip_id[CHIP_ID_LEN], *der = NULL;
	EVP_PKEY *ark_key, *ask_key, *vcek_key;
	ASN1_IA5STRING *product;
	X509 *ark, *ask, *vcek;
	char cn[64];
	int len;

	if (!o->vcek_hex || unhex(o->vcek_hex, point, POINT_LEN) || point[0] != 4)
		die("--vcek-pub wants an uncompressed P-384 point in hex");
	if (!o->chip_hex || unhex(o->chip_hex, chip_id, CHIP_ID_LEN))
		die("--chip-id wants 64 bytes in hex");
	if (!o->out || !o->have_tcb)
		die("--out and --tcb are needed");
	mkdir(o->out, 0755);

	ark_key = EVP_RSA_gen(o->rsa_bits);
	ask_key = EVP_RSA_gen(o->rsa_bits);
	vcek_key = p384_public(point);
	if (!ark_key || !ask_key)
		die("RSA key generation failed");

	snprintf(cn, sizeof(cn), "ARK-%s", o->product);
	ark = new_cert(1, cn, ark_key, NULL);
	add_ext(ark, ark, NID_basic_constraints, "critical,CA:TRUE");
	add_ext(ark, ark, NID_key_usage, "critical,keyCertSign,cRLSign");
	add_ext(ark, ark, NID_subject_key_identifier, "hash");
	sign_pss(ark, ark_key);

	snprintf(cn, sizeof(cn), "SEV-%s", o->product);
	ask = new_cert(2, cn, ask_key, ark);
	add_ext(ask, ark, NID_basic_constraints, "critical,CA:TRUE");
	add_ext(ask, ark, NID_key_usage, "critical,keyCertSign,cRLSign");
	add_ext(ask, ark, NID_subject_key_identifier, "hash");
	sign_pss(ask, ark_key);

	vcek = new_cert(3, "SEV-VCEK", vcek_key, ask);
	/* AMD's VCEK extensions: structure version, product, TCB, chip */
	add_amd_int(vcek, AMD_OID "1", 1);
	product = ASN1_IA5STRING_new();
	ASN1_STRING_set(product, o->product, -1);
	len = i2d_ASN1_IA5STRING(product, &der);
	ASN1_IA5STRING_free(product);
	add_amd_ext(vcek, AMD_OID "2", der, len);
	add_amd_int(vcek, AMD_OID "3.1", o->tcb & 0xff);	/* boot loader */
	add_amd_int(vcek, AMD_OID "3.2", o->tcb >> 8 & 0xff);	/* TEE */
	add_amd_int(vcek, AMD_OID "3.3", o->tcb >> 48 & 0xff);	/* SNP */
	add_amd_int(vcek, AMD_OID "3.4", 0);
	add_amd_int(vcek, AMD_OID "3.5", 0);
	add_amd_int(vcek, AMD_OID "3.6", 0);
	add_amd_int(vcek, AMD_OID "3.7", 0);
	add_amd_int(vcek, AMD_OID "3.8", o->tcb >> 56 & 0xff);	/* microcode */
	/*
	 * The hwID is the one extension the KDS does not DER-encode: its
	 * extnValue holds the 64-byte chip id itself. Verifiers compare that
	 * value with the report's CHIP_ID byte for byte (tinfoil's does),
	 * so an inner OCTET STRING (66 bytes) fails attestation.
	 */
	der = OPENSSL_memdup(chip_id, CHIP_ID_LEN);
	if (!der)
		die("out of memory");
	add_amd_ext(vcek, AMD_OID "4", der, CHIP_ID_LEN);
	sign_pss(vcek, ask_key);

	write_pem(o->out, "ark.pem", ark);
	write_pem(o->out, "ask.pem", ask);
	write_pem(o->out, "vcek.pem", vcek);
	write_blob(o->out, vcek, ask, ark);
	printf("snp-certs: chain for tcb %#llx in %s\n",
	       (unsigned long long)o->tcb, o->out);
	return 0;
}

/* "key: value" from a debugfs file */
static int read_key(const char *path, const char *key, char *out, size_t size)
{
	char line[512];
	size_t klen = strlen(key);
	FILE *f = fopen(path, "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':' &&
		    sscanf(line + klen + 1, " %511s", line) == 1 &&
		    strlen(line) < size) {
			strcpy(out, line);
			found = 0;
			break;
		}
	fclose(f);
	return found;
}

static int from_sim(struct opts *o, int id)
{
	static char point[2 * POINT_LEN + 2], chip[2 * CHIP_ID_LEN + 2];
	char path[256], tcb[32];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/sev-psp-sim/sevsim%d/vcek_pub", id);
	if (read_key(path, "point", point, sizeof(point)) ||
	    read_key(path, "tcb", tcb, sizeof(tcb)))
		die("cannot read the simulated chip's VCEK (is sevsimID there?)");
	snprintf(path, sizeof(path), "/sys/kernel/debug/sev-psp-sim/sevsim%d/chip_id", id);
	f = fopen(path, "r");
	if (!f || !fgets(chip, sizeof(chip), f))
		die("cannot read the chip id");
	fclose(f);
	chip[strcspn(chip, "\n")] = '\0';
	o->vcek_hex = point;
	o->chip_hex = chip;
	o->tcb = strtoull(tcb, NULL, 0);
	o->have_tcb = 1;
	return issue(o);
}

static int load(const struct opts *o, const char *file)
{
	struct sev_user_data_snp_config cfg = { .reported_tcb = o->tcb };
	struct sev_user_data_ext_snp_config ext = { 0 };
	struct sev_issue_cmd arg = { .cmd = SNP_SET_EXT_CONFIG };
	static unsigned char blob[SEV_PSP_CERT_BLOB_MAX];
	FILE *f = fopen(file, "r");
	size_t len;
	int fd;

	if (!f)
		die("cannot open the blob");
	len = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	fd = open("/dev/sev", O_RDWR);
	if (fd < 0)
		die("cannot open /dev/sev");
	ext.certs_address = (uintptr_t)blob;
	ext.certs_len = len;
	if (o->have_tcb)
		ext.config_address = (uintptr_t)&cfg;
	arg.data = (uintptr_t)&ext;
	if (ioctl(fd, SEV_ISSUE_CMD, &arg)) {
		fprintf(stderr, "snp-certs: SNP_SET_EXT_CONFIG: %s (firmware status %#x)\n",
			strerror(errno), arg.error);
		return 1;
	}
	close(fd);
	printf("snp-certs: loaded %zu bytes\n", len);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .rsa_bits = 4096, .product = "Milan" };
	const char *cmd = argc > 1 ? argv[1] : "", *arg = NULL;
	int i;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--vcek-pub") && i + 1 < argc) {
			o.vcek_hex = argv[++i];
		} else if (!strcmp(argv[i], "--chip-id") && i + 1 < argc) {
			o.chip_hex = argv[++i];
		} else if (!strcmp(argv[i], "--tcb") && i + 1 < argc) {
			o.tcb = strtoull(argv[++i], NULL, 0);
			o.have_tcb = 1;
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			o.out = argv[++i];
		} else if (!strcmp(argv[i], "--rsa-bits") && i + 1 < argc) {
			o.rsa_bits = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--product") && i + 1 < argc) {
			o.product = argv[++i];
		} else if (!arg && argv[i][0] != '-') {
			arg = argv[i];
		} else {
			fprintf(stderr, "snp-certs: unknown argument %s\n", argv[i]);
			return 2;
		}
	}

	if (!strcmp(cmd, "issue"))
		return issue(&o);
	if (!strcmp(cmd, "from-sim") && arg && o.out)
		return from_sim(&o, atoi(arg));
	if (!strcmp(cmd, "load") && arg)
		return load(&o, arg);
	fprintf(stderr, "usage: snp-certs issue --vcek-pub HEX --chip-id HEX --tcb TCB --out DIR\n"
		"       snp-certs from-sim ID --out DIR\n"
		"       snp-certs load BLOB [--tcb TCB]\n");
	return 2;
}
