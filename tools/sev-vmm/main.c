// SPDX-License-Identifier: GPL-2.0
/*
 * sev-vmm: launch Debian's OVMF as an SEV, SEV-ES or SEV-SNP guest on
 * /dev/kvm-sev as QEMU does, print the launch digest computed here beside
 * the firmware's, and say what QEMU and KVM on an AMD host would measure.
 * It launches and measures; no guest instruction runs on /dev/kvm-sev, so
 * --attest plays the SNP guest's first attestation (attest.h).
 *
 * Every launch parameter is a named option; each is checked before any
 * device is opened, and a refusal names the option (see --help).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sev-vmm.h"

#define DEFAULT_OVMF	"/usr/share/ovmf/OVMF.fd"
#define DEFAULT_CPU	"EPYC-v4"
#define DEFAULT_MEMORY	(64ULL << 20)
#define MAX_MEMORY_MIB	2048
/* a certificate table the VMM gives: the guest's 16 pages at most */
#define VMM_CERTS_MAX	(16 * PAGE_SIZE)

enum {
	OPT_TYPE = 256, OPT_OVMF, OPT_VCPUS, OPT_CPU, OPT_MEMORY, OPT_POLICY,
	OPT_VMSA_FEATURES, OPT_KVM_DEV, OPT_SEV_DEV, OPT_DUMP_VMSA, OPT_OFFLINE,
	OPT_HELP_POLICY,
	OPT_DH_CERT, OPT_SESSION, OPT_TIK, OPT_OWNER_DIR,
	OPT_ID_BLOCK, OPT_ID_AUTH, OPT_AUTHOR_KEY_EN, OPT_ID_KEY, OPT_AUTHOR_KEY,
	OPT_FAMILY_ID, OPT_IMAGE_ID, OPT_GUEST_SVN, OPT_NO_ID_BLOCK, OPT_ID_DIR,
	OPT_HOST_DATA, OPT_GOSVW, OPT_VCEK_DISABLED, OPT_CPUID_PAGE,
	OPT_CPUID_NO_RETRY, OPT_ATTEST, OPT_ATTEST_DIR, OPT_ARK, OPT_VMM_CERTS,
	OPT_MAX
};

static const struct option long_opts[] = {
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "ovmf", required_argument, NULL, OPT_OVMF },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "vmsa-features", required_argument, NULL, OPT_VMSA_FEATURES },
	{ "kvm-dev", required_argument, NULL, OPT_KVM_DEV },
	{ "sev-dev", required_argument, NULL, OPT_SEV_DEV },
	{ "dump-vmsa", required_argument, NULL, OPT_DUMP_VMSA },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "dh-cert", required_argument, NULL, OPT_DH_CERT },
	{ "session", required_argument, NULL, OPT_SESSION },
	{ "tik", required_argument, NULL, OPT_TIK },
	{ "owner-dir", required_argument, NULL, OPT_OWNER_DIR },
	{ "id-block", required_argument, NULL, OPT_ID_BLOCK },
	{ "id-auth", required_argument, NULL, OPT_ID_AUTH },
	{ "author-key-enabled", no_argument, NULL, OPT_AUTHOR_KEY_EN },
	{ "id-key", required_argument, NULL, OPT_ID_KEY },
	{ "author-key", required_argument, NULL, OPT_AUTHOR_KEY },
	{ "family-id", required_argument, NULL, OPT_FAMILY_ID },
	{ "image-id", required_argument, NULL, OPT_IMAGE_ID },
	{ "guest-svn", required_argument, NULL, OPT_GUEST_SVN },
	{ "no-id-block", no_argument, NULL, OPT_NO_ID_BLOCK },
	{ "id-dir", required_argument, NULL, OPT_ID_DIR },
	{ "host-data", required_argument, NULL, OPT_HOST_DATA },
	{ "gosvw", required_argument, NULL, OPT_GOSVW },
	{ "vcek-disabled", no_argument, NULL, OPT_VCEK_DISABLED },
	{ "cpuid-page", required_argument, NULL, OPT_CPUID_PAGE },
	{ "cpuid-no-retry", no_argument, NULL, OPT_CPUID_NO_RETRY },
	{ "attest", no_argument, NULL, OPT_ATTEST },
	{ "attest-dir", required_argument, NULL, OPT_ATTEST_DIR },
	{ "ark", required_argument, NULL, OPT_ARK },
	{ "vmm-certs", required_argument, NULL, OPT_VMM_CERTS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "help-policy", no_argument, NULL, OPT_HELP_POLICY },
	{ NULL, 0, NULL, 0 }
};

static void print_help(void)
{
	printf("usage: sev-vmm --type sev|sev-es|snp [options]\n"
"\n"
"Launch OVMF as an SEV, SEV-ES or SEV-SNP guest on /dev/kvm-sev, in QEMU's\n"
"order, and compare the launch digest computed here with the firmware's.\n"
"The guest is launched and measured, not run. Exit status: 0 when the\n"
"digests agree, 1 when they do not or the launch fails, 2 for a bad option.\n"
"\n"
"Guest:\n"
"  --type T             sev, sev-es or snp (required)\n"
"  --ovmf PATH          OVMF image with SEV metadata, mapped to end at 4 GiB\n"
"                       (default " DEFAULT_OVMF ", Debian's ovmf)\n"
"  --vcpus N            vCPUs, 1 to %d (default 1); one VMSA each\n"
"  --cpu MODEL          vCPU model; its CPUID signature is RDX at reset\n"
"                       (default " DEFAULT_CPU "; --cpu help lists them)\n"
"  --memory SIZE        guest RAM from GPA 0, e.g. 64M (default 64M, at most\n"
"                       2048M); must hold OVMF's SEV metadata sections\n"
"  --policy FLAGS       guest policy as comma-separated named flags, never a\n"
"                       number (--help-policy lists them); default: QEMU's,\n"
"                       nodbg for SEV and SEV-ES, smt for SNP\n"
"  --vmsa-features F    KVM_SEV_INIT2 VMSA features: debug-swap (SEV-ES, SNP)\n"
"\n"
"SEV and SEV-ES guest owner (default: this tool is the owner and makes the\n"
"session with the platform's PDH, so it can check LAUNCH_MEASURE):\n"
"  --dh-cert FILE       the owner's DH certificate (2084 bytes, raw or base64)\n"
"  --session FILE       the owner's session (128 bytes, raw or base64)\n"
"  --tik FILE           the owner's TIK (16 bytes), to check LAUNCH_MEASURE\n"
"  --owner-dir DIR      write the session made here: godh.cert session.bin\n"
"                       tek.bin tik.bin (reusable with the three above)\n"
"\n"
"SEV-SNP (default: an ID block naming the digest computed here, signed with\n"
"a P-384 ID key made for the launch; its acceptance proves the firmware's\n"
"digest is the same):\n"
"  --id-block FILE      ID block to use as is (96 bytes, raw or base64)\n"
"  --id-auth FILE       its ID_AUTH page (4096 bytes, raw or base64)\n"
"  --author-key-enabled the given ID_AUTH holds an author key signature\n"
"  --id-key PEM         sign the ID block with this P-384 private key\n"
"  --author-key PEM     and sign the ID key with this P-384 author key\n"
"  --family-id HEX      ID block family id (32 hex digits; default zero)\n"
"  --image-id HEX       ID block image id (32 hex digits; default zero)\n"
"  --guest-svn N        ID block guest SVN (default 0)\n"
"  --id-dir DIR         write the ID block and ID_AUTH made here\n"
"  --no-id-block        finish without an ID block (the firmware's digest\n"
"                       is then not checked)\n"
"  --host-data HEX      SNP_LAUNCH_FINISH host data (64 hex digits)\n"
"  --gosvw HEX          guest OS visible workarounds (32 hex digits)\n"
"  --vcek-disabled      reports may not be signed with the VCEK\n"
"  --cpuid-page FILE    CPUID page to give (4096 bytes, raw or base64) in\n"
"                       place of the one made from --cpu\n"
"  --cpuid-no-retry     stop, as QEMU does, when the firmware corrects the\n"
"                       CPUID page (default: report and retry once)\n"
"\n"
"SEV-SNP attestation, after the launch (the guest plays no part on this\n"
"host, so the tool plays it):\n"
"  --attest             as the guest: VMPCK0 from the secrets page, an\n"
"                       extended report request (asked with no certificate\n"
"                       pages, then resent with the pages needed); as the\n"
"                       guest owner: the report's signature by the VCEK of\n"
"                       the returned certificates, their chain to the ARK,\n"
"                       the measurement against the launch digest\n"
"  --ark PEM            the ARK to trust (default: the table's own)\n"
"  --vmm-certs FILE     the VMM gives this certificate table (KVM_SEV_SNP_\n"
"                       ENABLE_REQ_CERTS; default: the host's, /dev/sev's)\n"
"  --attest-dir DIR     write report.bin and certs.bin\n"
"\n"
"Other:\n"
"  --dump-vmsa DIR      write each vCPU's VMSA page, as measured, to\n"
"                       DIR/vmsaN.bin\n"
"  --offline            compute the digests only, open no device\n"
"  --kvm-dev PATH       KVM device (default " KVM_SEV_DEV_PATH ")\n"
"  --sev-dev PATH       PSP device (default /dev/sev)\n"
"  -v, --verbose        say each step\n"
"  -h, --help           this text; --help-policy: the policy flags\n",
	       VMM_MAX_VCPUS);
}

static enum guest_type parse_type(const char *s)
{
	if (!strcmp(s, "sev"))
		return GUEST_SEV;
	if (!strcmp(s, "sev-es"))
		return GUEST_SEV_ES;
	if (!strcmp(s, "snp"))
		return GUEST_SNP;
	opt_err("--type", "'%s' is not sev, sev-es or snp", s);
}

static u64 parse_vmsa_features(const char *s)
{
	char *copy = strdup(s), *tok, *save = NULL;
	u64 f = 0;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "debug-swap"))
			opt_err("--vmsa-features", "unknown feature '%s' (known: debug-swap)",
				tok);
		if (f & SVM_SEV_FEAT_DEBUG_SWAP)
			opt_err("--vmsa-features", "'%s' given twice", tok);
		f |= SVM_SEV_FEAT_DEBUG_SWAP;
	}
	free(copy);
	if (!f)
		opt_err("--vmsa-features", "empty");
	return f;
}

/* "--name" of an option, for messages */
static const char *opt_name(int opt)
{
	static char buf[32];
	const struct option *o;

	for (o = long_opts; o->name; o++)
		if (o->val == opt)
			break;
	snprintf(buf, sizeof(buf), "--%s", o->name ? o->name : "?");
	return buf;
}

/* Options that belong to one kind of guest only */
static const int sev_only[] = { OPT_DH_CERT, OPT_SESSION, OPT_TIK,
				OPT_OWNER_DIR };
static const int snp_only[] = {
	OPT_ID_BLOCK, OPT_ID_AUTH, OPT_AUTHOR_KEY_EN, OPT_ID_KEY,
	OPT_AUTHOR_KEY, OPT_FAMILY_ID, OPT_IMAGE_ID, OPT_GUEST_SVN,
	OPT_NO_ID_BLOCK, OPT_ID_DIR, OPT_HOST_DATA, OPT_GOSVW,
	OPT_VCEK_DISABLED, OPT_CPUID_PAGE, OPT_CPUID_NO_RETRY, OPT_ATTEST,
	OPT_ATTEST_DIR, OPT_ARK, OPT_VMM_CERTS,
};

/* What only an attestation takes */
static const int attest_only[] = { OPT_ATTEST_DIR, OPT_ARK, OPT_VMM_CERTS };

/* What a given ID block makes meaningless, and what --no-id-block does */
static const int id_made_here[] = { OPT_ID_KEY, OPT_AUTHOR_KEY,
				    OPT_FAMILY_ID, OPT_IMAGE_ID,
				    OPT_GUEST_SVN, OPT_ID_DIR };
static const int id_any[] = { OPT_ID_BLOCK, OPT_ID_AUTH, OPT_AUTHOR_KEY_EN,
			      OPT_ID_KEY, OPT_AUTHOR_KEY, OPT_FAMILY_ID,
			      OPT_IMAGE_ID, OPT_GUEST_SVN, OPT_ID_DIR };

static void check_combinations(const struct launch *l, const bool *seen)
{
	const char *type = l->type == GUEST_SEV ? "sev" :
			   l->type == GUEST_SEV_ES ? "sev-es" : "snp";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sev_only); i++)
		if (seen[sev_only[i]] && l->type == GUEST_SNP)
			opt_err(opt_name(sev_only[i]), "only for --type sev or sev-es, not %s",
				type);
	for (i = 0; i < ARRAY_SIZE(snp_only); i++)
		if (seen[snp_only[i]] && l->type != GUEST_SNP)
			opt_err(opt_name(snp_only[i]), "only for --type snp, not %s",
				type);
	if (seen[OPT_VMSA_FEATURES] && l->type == GUEST_SEV)
		opt_err("--vmsa-features", "contradicts --type sev: an SEV guest has no VMSA");

	if (seen[OPT_DH_CERT] != seen[OPT_SESSION])
		opt_err(seen[OPT_DH_CERT] ? "--dh-cert" : "--session",
			"needs %s: LAUNCH_START takes the owner's certificate and session together",
			seen[OPT_DH_CERT] ? "--session" : "--dh-cert");
	if (seen[OPT_TIK] && !seen[OPT_SESSION])
		opt_err("--tik",
			"only with --dh-cert and --session: without them this tool makes the TIK");
	if (seen[OPT_OWNER_DIR] && seen[OPT_DH_CERT])
		opt_err("--owner-dir",
			"contradicts --dh-cert: the owner's files are given, not made here");

	if (seen[OPT_ID_BLOCK] != seen[OPT_ID_AUTH])
		opt_err(seen[OPT_ID_BLOCK] ? "--id-block" : "--id-auth",
			"needs %s: SNP_LAUNCH_FINISH takes both",
			seen[OPT_ID_BLOCK] ? "--id-auth" : "--id-block");
	if (seen[OPT_AUTHOR_KEY_EN] && !seen[OPT_ID_AUTH])
		opt_err("--author-key-enabled",
			"only with --id-auth (with --author-key it is implied)");
	for (i = 0; i < ARRAY_SIZE(id_made_here); i++)
		if (seen[id_made_here[i]] && seen[OPT_ID_BLOCK])
			opt_err(opt_name(id_made_here[i]),
				"contradicts --id-block: a given ID block is used as it is");
	for (i = 0; i < ARRAY_SIZE(id_any); i++)
		if (seen[id_any[i]] && seen[OPT_NO_ID_BLOCK])
			opt_err(opt_name(id_any[i]), "contradicts --no-id-block");

	for (i = 0; i < ARRAY_SIZE(attest_only); i++)
		if (seen[attest_only[i]] && !l->attest)
			opt_err(opt_name(attest_only[i]), "only with --attest");
	if (l->attest && l->offline)
		opt_err("--attest", "contradicts --offline: a report needs a launched guest");
	if (l->attest && l->vcek_disabled)
		opt_err("--attest",
			"contradicts --vcek-disabled: the check wants a VCEK-signed report");

	if (l->offline && (seen[OPT_KVM_DEV] || seen[OPT_SEV_DEV] ||
			   seen[OPT_OWNER_DIR] || seen[OPT_ID_DIR] ||
			   seen[OPT_DH_CERT] || seen[OPT_ID_BLOCK]))
		opt_err("--offline",
			"opens no device and makes no launch: it contradicts the device, owner and ID block options");
}

/* A file option's contents, or NULL when it was not given */
static u8 *load_opt_blob(const char *field, const char *path, size_t len)
{
	u8 *buf;

	if (!path)
		return NULL;
	buf = malloc(len);
	if (!buf)
		vmm_err("out of memory");
	load_blob(field, path, buf, len);
	return buf;
}

/* Every file given is read and checked before a device is opened. */
static void load_files(struct launch *l)
{
	l->dh_cert = load_opt_blob("--dh-cert", l->dh_cert_path, SEV_CERT_LEN);
	l->session = load_opt_blob("--session", l->session_path,
				   sizeof(struct sev_session));
	l->tik = load_opt_blob("--tik", l->tik_path, 16);
	l->id_block = load_opt_blob("--id-block", l->id_block_path,
				    ID_BLOCK_LEN);
	l->id_auth = load_opt_blob("--id-auth", l->id_auth_path, ID_AUTH_LEN);
	l->cpuid_page = load_opt_blob("--cpuid-page", l->cpuid_path,
				      PAGE_SIZE);
	if (l->vmm_certs_path) {
		l->vmm_certs = load_file("--vmm-certs", l->vmm_certs_path,
					 VMM_CERTS_MAX, &l->vmm_certs_len);
		if (!l->vmm_certs_len)
			opt_err("--vmm-certs", "%s: empty", l->vmm_certs_path);
	}
	if (l->ark_path) {
		size_t len;

		free(load_file("--ark", l->ark_path, VMM_CERTS_MAX, &len));
	}
	if (l->keys.id_key_path)
		id_key_check("--id-key", l->keys.id_key_path);
	if (l->keys.author_key_path)
		id_key_check("--author-key", l->keys.author_key_path);
}

/* OVMF must have what the guest type needs, in the RAM given */
static void check_ovmf(const struct launch *l)
{
	const struct ovmf *o = l->ovmf;
	u32 i;

	if (l->type != GUEST_SEV && l->vcpus > 1 && !o->has_reset_block)
		opt_err("--ovmf",
			"%s has no SEV-ES reset block (GUID 00f771de-1a7e-4fcb-890e-68c77e2fb44e): the APs of an %s guest cannot start",
			o->path, l->type == GUEST_SNP ? "SNP" : "SEV-ES");
	if (l->type != GUEST_SNP)
		return;
	if (!o->nsections)
		opt_err("--ovmf",
			"%s has no SEV metadata (GUID dc886566-984a-4798-a75e-5585a7bf67cc): an SNP guest needs its sections (Debian's is /usr/share/ovmf/OVMF.fd; OVMF_CODE_4M.fd has none)",
			o->path);
	for (i = 0; i < o->nsections; i++) {
		const struct ovmf_section *s = &o->sections[i];

		if ((u64)s->gpa + s->size > l->ram_size)
			opt_err("--memory",
				"%lluM does not hold OVMF's SEV metadata section %u (%s at %#x+%#x)",
				(unsigned long long)(l->ram_size >> 20), i,
				ovmf_section_name(s->type), s->gpa, s->size);
		if (s->type == OVMF_SECTION_KERNEL_HASHES)
			vmm_info("OVMF metadata section %u (kernel hashes): no kernel is given, so ZERO pages, as QEMU\n",
				 i);
	}
}

static void print_plan(const struct launch *l)
{
	static const char * const names[] = { "SEV", "SEV-ES", "SEV-SNP" };
	char pol[128];

	policy_string(l->type, l->policy, true, pol, sizeof(pol));
	vmm_info("sev-vmm: %s guest, %u vCPU%s %s (signature %#010x), %lluM RAM\n",
		 names[l->type], l->vcpus, l->vcpus > 1 ? "s" : "", l->cpu->name,
		 cpu_signature(l->cpu), (unsigned long long)(l->ram_size >> 20));
	vmm_info("OVMF: %s, %zu KiB at GPA %#llx", l->ovmf->path,
		 l->ovmf->size >> 10, (unsigned long long)l->ovmf->gpa);
	if (l->ovmf->has_reset_block)
		vmm_info(", SEV-ES AP reset address %#x", l->ovmf->ap_reset_eip);
	vmm_info(", %u SEV metadata section%s\n", l->ovmf->nsections,
		 l->ovmf->nsections == 1 ? "" : "s");
	vmm_info("policy: %s (%#llx)%s\n", pol, (unsigned long long)l->policy,
		 l->vmsa_features ? ", VMSA features: debug-swap" : "");
}

int main(int argc, char **argv)
{
	static struct ovmf ovmf;
	struct launch l = {
		.kvm_path = KVM_SEV_DEV_PATH,
		.sev_path = "/dev/sev",
		.vcpus = 1,
		.ram_size = DEFAULT_MEMORY,
	};
	const char *type = NULL, *policy = NULL, *cpu = DEFAULT_CPU;
	const char *ovmf_path = DEFAULT_OVMF;
	bool seen[OPT_MAX] = {};
	struct timespec t0, t1;
	int opt, ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((opt = getopt_long(argc, argv, "vh", long_opts, NULL)) != -1) {
		if (opt >= OPT_TYPE && opt < OPT_MAX) {
			if (seen[opt])
				opt_err(opt_name(opt), "given twice");
			seen[opt] = true;
		}
		switch (opt) {
		case OPT_TYPE:
			type = optarg;
			break;
		case OPT_OVMF:
			ovmf_path = optarg;
			break;
		case OPT_VCPUS:
			l.vcpus = parse_u64("--vcpus", optarg, 1, VMM_MAX_VCPUS);
			break;
		case OPT_CPU:
			cpu = optarg;
			break;
		case OPT_MEMORY:
			l.ram_size = parse_size_mib("--memory", optarg, 1,
						    MAX_MEMORY_MIB) << 20;
			break;
		case OPT_POLICY:
			policy = optarg;
			break;
		case OPT_VMSA_FEATURES:
			l.vmsa_features = parse_vmsa_features(optarg);
			break;
		case OPT_KVM_DEV:
			l.kvm_path = optarg;
			break;
		case OPT_SEV_DEV:
			l.sev_path = optarg;
			break;
		case OPT_DUMP_VMSA:
			l.dump_vmsa_dir = optarg;
			break;
		case OPT_OFFLINE:
			l.offline = true;
			break;
		case OPT_DH_CERT:
			l.dh_cert_path = optarg;
			break;
		case OPT_SESSION:
			l.session_path = optarg;
			break;
		case OPT_TIK:
			l.tik_path = optarg;
			break;
		case OPT_OWNER_DIR:
			l.owner_dir = optarg;
			break;
		case OPT_ID_BLOCK:
			l.id_block_path = optarg;
			break;
		case OPT_ID_AUTH:
			l.id_auth_path = optarg;
			break;
		case OPT_AUTHOR_KEY_EN:
			l.author_key_en = true;
			break;
		case OPT_ID_KEY:
			l.keys.id_key_path = optarg;
			break;
		case OPT_AUTHOR_KEY:
			l.keys.author_key_path = optarg;
			break;
		case OPT_FAMILY_ID:
			parse_hex("--family-id", optarg, l.family_id, 16);
			break;
		case OPT_IMAGE_ID:
			parse_hex("--image-id", optarg, l.image_id, 16);
			break;
		case OPT_GUEST_SVN:
			l.guest_svn = parse_u64("--guest-svn", optarg, 0,
						UINT32_MAX);
			break;
		case OPT_NO_ID_BLOCK:
			l.no_id_block = true;
			break;
		case OPT_ID_DIR:
			l.id_dir = optarg;
			break;
		case OPT_HOST_DATA:
			parse_hex("--host-data", optarg, l.host_data, 32);
			break;
		case OPT_GOSVW:
			parse_hex("--gosvw", optarg, l.gosvw, 16);
			break;
		case OPT_VCEK_DISABLED:
			l.vcek_disabled = true;
			break;
		case OPT_CPUID_PAGE:
			l.cpuid_path = optarg;
			break;
		case OPT_CPUID_NO_RETRY:
			l.cpuid_no_retry = true;
			break;
		case OPT_ATTEST:
			l.attest = true;
			break;
		case OPT_ATTEST_DIR:
			l.attest_dir = optarg;
			break;
		case OPT_ARK:
			l.ark_path = optarg;
			break;
		case OPT_VMM_CERTS:
			l.vmm_certs_path = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			print_help();
			return 0;
		case OPT_HELP_POLICY:
			policy_help();
			return 0;
		default:
			fprintf(stderr, "sev-vmm: see --help\n");
			return 2;
		}
	}
	if (optind < argc)
		opt_err(argv[optind], "unexpected argument (options start with --)");
	if (!strcmp(cpu, "help")) {
		cpu_model_help();
		return 0;
	}
	if (!type)
		opt_err("--type", "missing: sev, sev-es or snp");

	l.type = parse_type(type);
	l.cpu = cpu_model_find(cpu);
	if (!l.cpu)
		opt_err("--cpu", "unknown model '%s' (--cpu help lists them)", cpu);
	if (policy)
		l.policy = parse_policy(l.type, policy);
	else
		l.policy = l.type == GUEST_SNP ? SNP_POLICY_DEFAULT :
			   SEV_POLICY_DEFAULT |
			   (l.type == GUEST_SEV_ES ? SEV_POLICY_ES : 0);
	check_combinations(&l, seen);
	load_files(&l);

	ovmf_load(&ovmf, ovmf_path);
	l.ovmf = &ovmf;
	check_ovmf(&l);
	print_plan(&l);

	ret = l.type == GUEST_SNP ? launch_snp(&l) : launch_sev(&l);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	vmm_info("sev-vmm: %s in %.3f s\n", ret ? "FAILED" : "done",
		 (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return ret;
}
