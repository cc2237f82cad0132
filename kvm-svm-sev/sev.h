/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV part of the SVM host (as arch/x86/kvm/svm/sev.c): ASIDs, SEV
 * guest state, the launch flows, debugging, mirroring and moving. The host
 * (host-*.c) calls the functions under "host interface"; the rest is
 * shared between the sev-*.c files.
 */
#ifndef KVM_SEV_SEV_H
#define KVM_SEV_SEV_H

#include <linux/export.h>
#include <linux/io.h>
#include <linux/mem_encrypt.h>
#include <linux/mm.h>
#include <sev-psp/kernel-compat.h>	/* <linux/psp-sev.h> and what it lacks */

#include "kvm.h"

/* VMSA features (SEV_FEATURES of the VMSA), as <asm/svm.h> of 6.12 */
#ifndef SVM_SEV_FEAT_SNP_ACTIVE
#define SVM_SEV_FEAT_SNP_ACTIVE		BIT(0)
#endif
#ifndef SVM_SEV_FEAT_DEBUG_SWAP
#define SVM_SEV_FEAT_DEBUG_SWAP		BIT(5)
#endif

#define GHCB_VERSION_MAX	2
#define SEV_POLICY_NODBG	BIT(0)
#define SEV_POLICY_ES		BIT(2)

/*
 * kvm-sev's internals that its KUnit suites test (tests/kunit/kvm_sev_*):
 * exported to them only, in a namespace of their own.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sym) \
	EXPORT_SYMBOL_NS_GPL(sym, KVM_SEV_KUNIT)
#else
#define EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sym)
#endif

/* host interface */
int sev_hardware_setup(const struct kvm_sev_host_ops *ops);
void sev_hardware_unsetup(void);
u64 sev_supported_vm_types(void);
int sev_dev_get_attr(u32 group, u64 attr, u64 *val);
void sev_vm_init(struct kvm *kvm);
void sev_vm_destroy(struct kvm *kvm);
int sev_vcpu_create(struct kvm_vcpu *vcpu);
void sev_vcpu_free(struct kvm_vcpu *vcpu);
int sev_mem_enc_ioctl(struct kvm *kvm, void __user *argp);
int sev_mem_enc_register_region(struct kvm *kvm, struct kvm_enc_region *range);
int sev_mem_enc_unregister_region(struct kvm *kvm,
				  struct kvm_enc_region *range);
int sev_vm_copy_enc_context_from(struct kvm *kvm, struct kvm *source_kvm);
int sev_vm_move_enc_context_from(struct kvm *kvm, struct kvm *source_kvm);
bool sev_gmem_invalidate(struct kvm *kvm, u64 pfn);
int sev_gmem_prepare(struct kvm *kvm, u64 gfn, u64 pfn);
int sev_es_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data);
int sev_es_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data);
int sev_handle_vmgexit(struct kvm_vcpu *vcpu);
void sev_es_unmap_ghcb(struct kvm_vcpu *vcpu, bool writeback);
int sev_snp_update_protected_guest_state(struct kvm_vcpu *vcpu);

static inline bool sev_guest(const struct kvm *kvm)
{
	return kvm->sev_info.active;
}

static inline bool sev_es_guest(const struct kvm *kvm)
{
	const struct kvm_sev_info *sev = &kvm->sev_info;

	return sev->active && sev->es_active;
}

static inline bool sev_snp_guest(const struct kvm *kvm)
{
	const struct kvm_sev_info *sev = &kvm->sev_info;

	return sev_es_guest(kvm) &&
	       (sev->vmsa_features & SVM_SEV_FEAT_SNP_ACTIVE);
}

/* A page's address for the firmware: with the C-bit where SME is on */
static inline u64 sev_page_pa(struct page *page)
{
	return __sme_set(page_to_phys(page));
}

static inline bool is_mirror_sev(const struct kvm_sev_info *sev)
{
	return !!sev->enc_context_owner;
}

/*
 * A firmware command that did not complete (timeout, PSP removed): the
 * firmware may still read or write the pages it was given, so they stay
 * pinned or leaked rather than go back to the VMM or the allocator.
 */
static inline bool sev_cmd_unfinished(int ret)
{
	return ret == -ETIMEDOUT || ret == -ENODEV;
}

/* sev-asid.c: ASIDs, their flushing, and unbinding them from a guest */
int sev_asid_setup(bool snp);
void sev_asid_teardown(void);
int sev_asid_new(struct kvm_sev_info *sev, unsigned long vm_type);
void sev_asid_free(struct kvm_sev_info *sev);
int sev_bind_asid(struct kvm *kvm, unsigned int handle, int *error);
void sev_unbind_asid(unsigned int handle);
int sev_snp_decommission(u64 gctx_paddr);
void sev_asid_ranges(unsigned int *min_sev, unsigned int *max_sev,
		     unsigned int *max_sev_es);

/* sev-mem.c: firmware commands for a VM, pinned VMM memory, regions */
int __sev_issue_cmd(int fd, int id, void *data, int *error);
int sev_issue_cmd(struct kvm *kvm, int id, void *data, int *error);
void sev_abandon_pinned(struct page **pages);
bool sev_context_stale(const struct kvm_sev_info *sev);
struct page **sev_pin_memory(struct kvm *kvm, unsigned long uaddr,
			     unsigned long ulen, unsigned long *n,
			     unsigned int flags);
void sev_unpin_memory(struct kvm *kvm, struct page **pages,
		      unsigned long npages);
unsigned long get_num_contig_pages(unsigned long idx, struct page **inpages,
				   unsigned long npages);
void *sev_copy_user_blob(u64 uaddr, u32 len);
void sev_unregister_all_regions(struct kvm *kvm);

/* sev-launch.c: SEV and SEV-ES launch, status, attestation */
int sev_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_update_vmsa(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_measure(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_secret(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_guest_status(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_get_attestation_report(struct kvm *kvm, struct kvm_sev_cmd *argp);

/* sev-snp.c: SNP launch, guest contexts, private pages */
u64 sev_snp_policy_bits(void);
int snp_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp);
int snp_launch_update(struct kvm *kvm, struct kvm_sev_cmd *argp);
int snp_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp);
bool snp_vm_destroy(struct kvm *kvm);
bool snp_vcpu_free_vmsa(struct kvm_vcpu *vcpu);

/* sev-migrate.c: the rules of copy and move, on both VMs locked */
int sev_mirror_check(const struct kvm *dst, const struct kvm *src);
int sev_move_check(const struct kvm *dst, const struct kvm *src);
int sev_move_check_vcpus(const struct kvm *dst, const struct kvm *src);
void sev_mirror_release(struct kvm *kvm);

/*
 * What a guest may ask of this host (GHCB_MSR_HV_FT_REQ and the
 * SVM_VMGEXIT_HV_FEATURES event): SNP, and AP creation. Upstream KVM
 * gives the same answer to SEV-ES and SNP guests.
 */
#define GHCB_HV_FT_SUPPORTED	(GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION)

/* The GHCB's shared buffer, where a scratch area in the GHCB must be */
#define GHCB_SHARED_BUF_OFFSET	offsetof(struct ghcb, shared_buffer)
#define GHCB_SHARED_BUF_END	(GHCB_SHARED_BUF_OFFSET + GHCB_SHARED_BUF_SIZE)

/* Is @field marked valid in @bitmap, a GHCB's valid bitmap? */
#define ghcb_bitmap_valid(bitmap, field)				\
	test_bit(GHCB_BITMAP_IDX(field), (const unsigned long *)(bitmap))

/* Did the guest mark @field of its GHCB valid? (the copy's bitmap) */
#define kvm_ghcb_valid(vcpu, field)					\
	ghcb_bitmap_valid((vcpu)->sev_es.valid_bitmap, field)

/* sev-ghcb.c: the GHCB page of a VMGEXIT, its scratch area, the answer */
void svm_vmgexit_set_info(struct kvm_vcpu *vcpu, u64 info1, u64 info2);
void svm_vmgexit_bad_input(struct kvm_vcpu *vcpu, u64 reason);
void svm_vmgexit_success(struct kvm_vcpu *vcpu, u64 data);
int sev_es_term_exit(struct kvm_vcpu *vcpu, u64 data);
int sev_es_map_ghcb(struct kvm_vcpu *vcpu, u64 gpa);
u64 sev_es_check_scratch(u64 ghcb_gpa, u64 gpa, u64 len, bool *in_ghcb);
int setup_vmgexit_scratch(struct kvm_vcpu *vcpu, bool sync, u64 len);

/* sev-psc.c: page state changes */

/* The descriptor: the header, then up to 253 entries */
struct psc_buffer {
	struct psc_hdr hdr;
	struct psc_entry entries[];
} __packed;

/* The next run of a descriptor's entries: one exit to the VMM */
struct snp_psc_run {
	u16 idx;		/* its first entry */
	u16 count;		/* entries; 0: none is left */
	u8 operation;		/* VMGEXIT_PSC_OP_PRIVATE or _SHARED */
	bool huge;		/* of 2 MiB pages */
	u64 gfn;
	u64 npages;		/* 4 KiB pages */
};

u64 snp_psc_desc_len(u64 ghcb_gpa, u64 gpa);
u64 snp_psc_next_run(struct psc_buffer *psc, u64 len, struct snp_psc_run *run);
void snp_psc_run_done(struct psc_buffer *psc, u16 idx, u16 count);
int snp_psc_made(struct kvm_vcpu *vcpu);
void snp_psc_exit(struct kvm_vcpu *vcpu, u64 gpa, u64 npages, bool private,
		  bool huge);
int snp_handle_psc(struct kvm_vcpu *vcpu);

/* sev-ap.c: SNP AP creation */
int sev_snp_ap_creation(struct kvm_vcpu *vcpu, u64 info1, u64 info2);

/* sev-ghcb-msr.c: the GHCB MSR protocol */
int sev_ghcb_setup(void);
void sev_es_vcpu_reset(struct kvm_vcpu *vcpu);
int sev_handle_vmgexit_msr_protocol(struct kvm_vcpu *vcpu);

/* sev-nae.c: the exits of a GHCB page that SEV-ES guests have */
int sev_es_handle_nae(struct kvm_vcpu *vcpu, u64 exit_code, u64 info1,
		      u64 info2);

/* sev-guest-req.c: SNP guest requests, their pages and certificates */
int snp_guest_req_init(struct kvm *kvm);
void snp_guest_req_cleanup(struct kvm *kvm);
int snp_enable_req_certs(struct kvm *kvm, struct kvm_sev_cmd *argp);
int snp_handle_guest_req(struct kvm_vcpu *vcpu, u64 req_gpa, u64 resp_gpa);
int snp_handle_ext_guest_req(struct kvm_vcpu *vcpu, u64 req_gpa,
			     u64 resp_gpa);

/* sev-vmgexit.c: the check of a GHCB page's exit */
u64 sev_es_check_vmgexit(const struct ghcb *ghcb, const u8 *valid_bitmap,
			 bool snp);

/* sev.c: who may issue a command; one command */
int sev_mem_enc_cmd_check(const struct kvm *kvm, u32 cmd_id);
int sev_do_mem_enc_cmd(struct kvm *kvm, struct kvm_sev_cmd *cmd);

/* sev-dbg.c */
int sev_dbg_crypt(struct kvm *kvm, struct kvm_sev_cmd *argp, bool dec);

#endif /* KVM_SEV_SEV_H */
