/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sev-vmm: launch Debian's OVMF as an SEV, SEV-ES or SEV-SNP guest on
 * /dev/kvm-sev the way QEMU does, and measure it in userspace too.
 *
 * One header for the tool's files, each of which owns one concern:
 *   main.c        options, their validation, the run
 *   args.c        hex strings, numbers and files given as options
 *   policy.c      guest policies as named flags
 *   ovmf.c        the OVMF image: its GUIDed footer table, SEV metadata
 *   cpu.c         named vCPU models and the SNP CPUID page
 *   vmsa.c        QEMU's reset state and the VMSA page built from it
 *   measure.c     the launch digests, computed here
 *   owner.c       the SEV guest owner: DH key, session, TIK
 *   idblock.c     the SNP ID block and its signed ID_AUTH page
 *   vm.c          /dev/kvm-sev and /dev/sev: VM, memory, vCPUs
 *   launch-sev.c  the SEV and SEV-ES launch
 *   launch-snp.c  the SEV-SNP launch
 *   attest.c, attest-verify.c  --attest: the guest's first attestation
 *                 and the guest owner's check of it (attest.h)
 */
#ifndef SEV_VMM_H
#define SEV_VMM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include <linux/kvm-sev.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* printf format checking, under the kernel's name */
#define __gcc_attr(...)		__attribute__((__VA_ARGS__))
#define __printf(a, b)		__gcc_attr(format(printf, a, b))

#define PAGE_SIZE	4096UL
#define FOUR_GIB	0x100000000ULL
#define SHA256_LEN	32
#define SHA384_LEN	48

/* KVM_CAP_MAX_VCPUS of /dev/kvm-sev; checked at run time too */
#define VMM_MAX_VCPUS	64

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1ULL << (n))

enum guest_type { GUEST_SEV, GUEST_SEV_ES, GUEST_SNP };

/*
 * The firmware's structures below are laid out by their natural alignment
 * (no packing needed); static_assert()s check each against the spec.
 */

/* ---- args.c ---------------------------------------------------------- */

/* Report a bad option: "sev-vmm: --FIELD: ..." on stderr, exit 2. */
noreturn void __printf(2, 3) opt_err(const char *field, const char *fmt, ...);
noreturn void __printf(1, 2) vmm_err(const char *fmt, ...);
void __printf(1, 2) vmm_info(const char *fmt, ...);
extern int verbose;

void parse_hex(const char *field, const char *s, u8 *out, size_t len);
u64 parse_u64(const char *field, const char *s, u64 min, u64 max);
u64 parse_size_mib(const char *field, const char *s, u64 min, u64 max);
/* A file of @len bytes, raw or in base64 (as QEMU's options take them) */
void load_blob(const char *field, const char *path, u8 *out, size_t len);
/* A whole file, at most @max bytes; *@len is its size */
u8 *load_file(const char *field, const char *path, size_t max, size_t *len);
void save_file(const char *dir, const char *name, const void *buf,
	       size_t len);
void hex_string(char *out, const u8 *buf, size_t len);

/* ---- policy.c -------------------------------------------------------- */

/* SEV guest policy (spec 55766, "Guest Policy") */
#define SEV_POLICY_NODBG	BIT(0)
#define SEV_POLICY_NOKS		BIT(1)
#define SEV_POLICY_ES		BIT(2)
#define SEV_POLICY_NOSEND	BIT(3)
#define SEV_POLICY_DOMAIN	BIT(4)
#define SEV_POLICY_SEV		BIT(5)

/* SNP guest policy (spec 56860, "Guest Policy") */
#define SNP_POLICY_SMT		BIT(16)
#define SNP_POLICY_RSVD_MBO	BIT(17)
#define SNP_POLICY_MIGRATE_MA	BIT(18)
#define SNP_POLICY_DEBUG	BIT(19)
#define SNP_POLICY_SINGLE_SOCKET BIT(20)

/* QEMU's defaults: sev-guest policy 0x1, sev-snp-guest policy 0x30000 */
#define SEV_POLICY_DEFAULT	SEV_POLICY_NODBG
#define SNP_POLICY_DEFAULT	(SNP_POLICY_SMT | SNP_POLICY_RSVD_MBO)

u64 parse_policy(enum guest_type type, const char *s);
void policy_string(enum guest_type type, u64 policy, bool with_version,
		   char *out, size_t len);
void policy_help(void);

/* ---- ovmf.c ---------------------------------------------------------- */

/* OVMF's SEV metadata section types (OvmfPkg/ResetVector) */
#define OVMF_SECTION_SNP_SEC_MEM	1
#define OVMF_SECTION_SNP_SECRETS	2
#define OVMF_SECTION_CPUID		3
#define OVMF_SECTION_SVSM_CAA		4
#define OVMF_SECTION_KERNEL_HASHES	0x10

#define OVMF_MAX_SECTIONS	32

struct ovmf_section {
	u32 gpa;
	u32 size;
	u32 type;
};

struct ovmf {
	const char *path;
	u8 *data;		/* the image, page-aligned, as mapped */
	size_t size;
	u64 gpa;		/* where it starts: it ends at 4 GiB */
	bool has_reset_block;
	u32 ap_reset_eip;	/* the SEV-ES reset block's address */
	u32 nsections;
	struct ovmf_section sections[OVMF_MAX_SECTIONS];
};

void ovmf_load(struct ovmf *o, const char *path);
const char *ovmf_section_name(u32 type);

/* ---- cpu.c ----------------------------------------------------------- */

struct cpu_model {
	const char *name;
	u32 family, model, stepping;
	u32 cbitpos;		/* CPUID 0x8000001F EBX[5:0] */
	const char *what;
};

#define SNP_CPUID_MAX	64

struct snp_cpuid_fn {
	u32 eax_in;
	u32 ecx_in;
	u64 xcr0_in;
	u64 xss_in;
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
	u64 reserved;
};

struct snp_cpuid_table {
	u32 count;
	u32 reserved1;
	u64 reserved2;
	struct snp_cpuid_fn fn[SNP_CPUID_MAX];
};

static_assert(sizeof(struct snp_cpuid_fn) == 48, "CPUID function entry");
static_assert(sizeof(struct snp_cpuid_table) <= PAGE_SIZE, "CPUID page");

const struct cpu_model *cpu_model_find(const char *name);
void cpu_model_help(void);
u32 cpu_signature(const struct cpu_model *m);
void cpu_build_cpuid_page(const struct cpu_model *m, enum guest_type type,
			  unsigned int vcpus, void *page);
/* Print what the firmware changed in a CPUID page it refused. */
void cpu_report_cpuid_changes(const void *given, const void *corrected);

/* ---- vmsa.c ---------------------------------------------------------- */

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

static_assert(sizeof(struct vmcb_seg) == 16, "VMCB segment");

/* The VMSA page (APM vol. 2, table B-4; struct sev_es_save_area) */
struct vmsa {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	u64 vmpl0_ssp, vmpl1_ssp, vmpl2_ssp, vmpl3_ssp;
	u64 u_cet;
	u8 reserved_1[2];
	u8 vmpl;
	u8 cpl;
	u8 reserved_2[4];
	u64 efer;
	u8 reserved_3[104];
	u64 xss, cr4, cr3, cr0, dr7, dr6, rflags, rip;
	u64 dr0, dr1, dr2, dr3;
	u64 dr0_addr_mask, dr1_addr_mask, dr2_addr_mask, dr3_addr_mask;
	u8 reserved_4[24];
	u64 rsp, s_cet, ssp, isst_addr, rax, star, lstar, cstar, sfmask;
	u64 kernel_gs_base, sysenter_cs, sysenter_esp, sysenter_eip, cr2;
	u8 reserved_5[32];
	u64 g_pat, dbgctl, br_from, br_to, last_excp_from, last_excp_to;
	u8 reserved_7[80];
	u32 pkru;
	u32 tsc_aux;
	u8 reserved_8[16];
	u64 reserved_9;
	u64 rcx, rdx, rbx;
	u64 reserved_10;
	u64 rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15;
	u8 reserved_11[16];
	u64 guest_exit_info_1, guest_exit_info_2, guest_exit_int_info;
	u64 guest_nrip, sev_features, vintr_ctrl, guest_exit_code;
	u64 virtual_tom, tlb_id, pcpu_id, event_inj, xcr0;
	u8 reserved_12[16];
	u64 x87_dp;
	u32 mxcsr;
	u16 x87_ftw, x87_fsw, x87_fcw, x87_fop, x87_ds, x87_cs;
	u64 x87_rip;
	u8 fpreg_x87[80];
	u8 fpreg_xmm[256];
	u8 fpreg_ymm[256];
	u8 unused[2448];
};

/* sev_features bits (APM vol. 2, "SEV_FEATURES") */
#define SVM_SEV_FEAT_SNP_ACTIVE		BIT(0)
#define SVM_SEV_FEAT_DEBUG_SWAP		BIT(5)

/* XSTATE_BV naming the x87 and SSE components of an XSAVE image */
#define XSAVE_XSTATE_FP_SSE		0x3

/* The registers a VMM gives one vCPU: what QEMU puts at reset */
struct vcpu_state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	u16 fcw;
	u32 mxcsr;
	u64 xcr0;
};

void vcpu_reset_state(struct vcpu_state *st, u32 signature, bool bsp,
		      bool es, u32 ap_reset_eip);
void vmsa_build(struct vmsa *v, const struct vcpu_state *st,
		u64 sev_features);

/* ---- measure.c ------------------------------------------------------- */

/* SNP launch digest (spec 56860, "PAGE_INFO"), page by page */
#define SNP_PAGE_TYPE_NORMAL		1
#define SNP_PAGE_TYPE_VMSA		2
#define SNP_PAGE_TYPE_ZERO		3
#define SNP_PAGE_TYPE_UNMEASURED	4
#define SNP_PAGE_TYPE_SECRETS		5
#define SNP_PAGE_TYPE_CPUID		6

/* Where SNP VMSAs are measured (KVM's INITIAL_VMSA_GPA) */
#define SNP_VMSA_GPA	0xFFFFFFFFF000ULL

struct snp_digest {
	u8 ld[SHA384_LEN];
	u64 pages;
};

void snp_digest_init(struct snp_digest *d);
void snp_digest_pages(struct snp_digest *d, u8 type, u64 gpa,
		      const void *data, size_t len);
const char *snp_page_type_name(u8 type);

/* SEV/SEV-ES launch digest: SHA-256 of everything measured, in order */
struct sev_digest;
struct sev_digest *sev_digest_new(void);
void sev_digest_update(struct sev_digest *d, const void *data, size_t len);
void sev_digest_final(struct sev_digest *d, u8 out[SHA256_LEN]);

/* LAUNCH_MEASURE's MEASURE (spec 55766), as the guest owner checks it */
void sev_launch_measure_mac(const u8 tik[16], u8 api_major, u8 api_minor,
			    u8 build, u32 policy, const u8 digest[SHA256_LEN],
			    const u8 mnonce[16], u8 out[SHA256_LEN]);

void sha384(const void *data, size_t len, u8 out[SHA384_LEN]);

/* ---- owner.c --------------------------------------------------------- */

#define SEV_CERT_LEN	0x824

/* LAUNCH_START's session blob (spec 55766, "Session data") */
struct sev_session {
	u8 nonce[16];
	u8 wrap_tk[32];
	u8 wrap_iv[16];
	u8 wrap_mac[32];
	u8 policy_mac[32];
};

static_assert(sizeof(struct sev_session) == 128, "LAUNCH_START session");

struct sev_owner {
	u8 dh_cert[SEV_CERT_LEN];	/* the owner's, PDH format */
	struct sev_session session;
	u8 tek[16];
	u8 tik[16];
	bool have_tik;
};

/* Make a session for the platform whose PDH certificate is @pdh. */
void owner_make_session(struct sev_owner *o, const u8 *pdh, size_t pdh_len,
			u32 policy);

/* ---- idblock.c ------------------------------------------------------- */

struct snp_id_block {
	u8 ld[SHA384_LEN];
	u8 family_id[16];
	u8 image_id[16];
	u32 version;
	u32 guest_svn;
	u64 policy;
};

#define ID_BLOCK_LEN	96
#define ID_AUTH_LEN	4096

struct id_keys {
	const char *id_key_path;	/* PEM, or NULL: made here */
	const char *author_key_path;	/* PEM, or NULL: none */
};

/* Is @path a P-384 private key in PEM? (exits naming @field if not) */
void id_key_check(const char *field, const char *path);
/* Sign @blk into the 4 KiB ID_AUTH page @auth. */
void id_auth_make(const struct snp_id_block *blk, const struct id_keys *k,
		  u8 auth[ID_AUTH_LEN], u8 id_key_digest[SHA384_LEN],
		  u8 author_key_digest[SHA384_LEN]);

/* ---- vm.c ------------------------------------------------------------ */

struct vm {
	int kvm_fd, vm_fd, sev_fd;
	int vcpu_fd[VMM_MAX_VCPUS];
	unsigned int nr_vcpus;
	u8 *ram;		/* the VMM's guest RAM at GPA 0 */
	u64 ram_size;
	u8 *flash;		/* the OVMF image, mapped to end at 4 GiB */
	u64 flash_gpa, flash_size;
	int gmem_ram, gmem_flash;
};

const char *fw_error_name(u32 error);
int sev_cmd(struct vm *vm, u32 id, void *data, u32 *fw_error);
void sev_cmd_or_die(struct vm *vm, const char *what, u32 id, void *data);
void vm_create(struct vm *vm, const char *kvm_path, const char *sev_path,
	       enum guest_type type, u64 vmsa_features);
void vm_add_memory(struct vm *vm, enum guest_type type,
		   const struct ovmf *o, u64 ram_size);
void vm_add_vcpu(struct vm *vm, const struct vcpu_state *st);
void vm_platform_status(struct vm *vm, u8 *api_major, u8 *api_minor,
			u8 *build);
u8 *vm_pdh_cert(struct vm *vm, size_t *len);
void vm_destroy(struct vm *vm);

/* ---- launch ---------------------------------------------------------- */

struct launch {
	enum guest_type type;
	const struct ovmf *ovmf;
	const struct cpu_model *cpu;
	unsigned int vcpus;
	u64 ram_size;
	u64 policy;
	u64 vmsa_features;
	const char *kvm_path, *sev_path;
	const char *dump_vmsa_dir;
	bool offline;		/* measure only: no device */

	/* SEV, SEV-ES */
	const char *dh_cert_path, *session_path, *tik_path;
	const char *owner_dir;

	/* SNP */
	const char *id_block_path, *id_auth_path;
	bool author_key_en;
	bool no_id_block;
	struct id_keys keys;
	const char *id_dir;
	u8 family_id[16], image_id[16];
	u32 guest_svn;
	u8 host_data[32];
	u8 gosvw[16];
	bool vcek_disabled;
	const char *cpuid_path;
	bool cpuid_no_retry;
	/* --attest: the guest's first attestation, played after the launch */
	bool attest;
	const char *attest_dir, *ark_path, *vmm_certs_path;
	u8 *vmm_certs;		/* --vmm-certs: the VMM gives the table */
	size_t vmm_certs_len;

	/* the files above, read and checked before any device is opened */
	u8 *dh_cert, *session, *tik;
	u8 *id_block, *id_auth, *cpuid_page;
};

/* The VMSA pages of the guest, as KVM makes them */
struct vmsa *launch_vmsas(const struct launch *l, struct vcpu_state *states);
void launch_dump_vmsas(const struct launch *l, const struct vmsa *v);
void print_digest(const char *label, const u8 *d, size_t len,
		  const char *note);

int launch_sev(const struct launch *l);
int launch_snp(const struct launch *l);

#endif /* SEV_VMM_H */
