// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMGEXIT for SEV-ES and SNP guests, as KVM's sev_handle_vmgexit(): the
 * GHCB MSR says what the guest asks, a GHCB MSR protocol request
 * (sev-ghcb-msr.c) or the exit its GHCB page describes.
 *
 * A GHCB page is checked before anything of it is used, as KVM's
 * sev_es_validate_vmgexit(): GHCB usage 0 (the standard format), the exit
 * code and both exit info fields valid, and every register the exit
 * needs valid. A malformed exit is answered in the GHCB (sw_exit_info_1 2,
 * the reason in sw_exit_info_2) and the guest resumes to read it. The
 * check reads the vCPU's copy of the page and nothing else, so KUnit
 * (kvm_sev_ghcb) tests it on pages of its own.
 */
#include <linux/kvm-sev.h>
#include <asm/svm.h>

#include <sev-psp/kernel-compat.h>
#include "sev.h"
#include "trace.h"

/*
 * SNP guest requests (sev-guest-req.c): an SNP guest's only; the request
 * and response pages (SW_EXITINFO1 and 2) page-aligned and not the same;
 * the extended request's certificate buffer and its pages in RAX and RBX.
 */
static u64 snp_check_guest_req_input(const struct ghcb *ghcb,
				     const u8 *valid, bool snp, bool ext)
{
	u64 req_gpa = ghcb->save.sw_exit_info_1;
	u64 resp_gpa = ghcb->save.sw_exit_info_2;

	if (!snp)
		return GHCB_ERR_INVALID_EVENT;
	if (ext && (!ghcb_bitmap_valid(valid, rax) ||
		    !ghcb_bitmap_valid(valid, rbx)))
		return GHCB_ERR_MISSING_INPUT;
	if (!PAGE_ALIGNED(req_gpa) || !PAGE_ALIGNED(resp_gpa) ||
	    req_gpa == resp_gpa)
		return GHCB_ERR_INVALID_INPUT;
	return 0;
}

/*
 * The registers and the scratch area each exit needs (@valid: the GHCB's
 * valid bitmap); else the reason.
 */
static u64 sev_es_check_exit_input(const struct ghcb *ghcb, const u8 *valid,
				   bool snp)
{
	bool has_rax = ghcb_bitmap_valid(valid, rax);
	bool has_rcx = ghcb_bitmap_valid(valid, rcx);
	bool has_rdx = ghcb_bitmap_valid(valid, rdx);
	bool has_scratch = ghcb_bitmap_valid(valid, sw_scratch);
	u64 info1 = ghcb->save.sw_exit_info_1;

	switch (ghcb->save.sw_exit_code) {
	case SVM_EXIT_READ_DR7:
	case SVM_EXIT_RDTSC:
	case SVM_EXIT_RDTSCP:
	case SVM_EXIT_INVD:
	case SVM_EXIT_WBINVD:
	case SVM_VMGEXIT_NMI_COMPLETE:
	case SVM_VMGEXIT_AP_HLT_LOOP:
	case SVM_VMGEXIT_AP_JUMP_TABLE:
	case SVM_VMGEXIT_UNSUPPORTED_EVENT:
	case SVM_VMGEXIT_HV_FEATURES:
	case SVM_VMGEXIT_TERM_REQUEST:
		return 0;
	case SVM_EXIT_WRITE_DR7:
		return has_rax ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_EXIT_RDPMC:
		return has_rcx ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_EXIT_CPUID:
		if (!has_rax || !has_rcx)
			return GHCB_ERR_MISSING_INPUT;
		if ((u32)ghcb->save.rax == 0xd &&
		    !ghcb_bitmap_valid(valid, xcr0))
			return GHCB_ERR_MISSING_INPUT;
		return 0;
	case SVM_EXIT_IOIO:
		if (info1 & SVM_IOIO_STR_MASK)
			return has_scratch ? 0 : GHCB_ERR_MISSING_INPUT;
		/* OUT gives its value in RAX */
		if (!(info1 & SVM_IOIO_TYPE_MASK) && !has_rax)
			return GHCB_ERR_MISSING_INPUT;
		return 0;
	case SVM_EXIT_MSR:
		if (!has_rcx)
			return GHCB_ERR_MISSING_INPUT;
		if (info1 && (!has_rax || !has_rdx))
			return GHCB_ERR_MISSING_INPUT;
		return 0;
	case SVM_EXIT_VMMCALL:
		return has_rax && ghcb_bitmap_valid(valid, cpl) ?
		       0 : GHCB_ERR_MISSING_INPUT;
	case SVM_EXIT_MONITOR:
		return has_rax && has_rcx && has_rdx ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_EXIT_MWAIT:
		return has_rax && has_rcx ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_VMGEXIT_MMIO_READ:
	case SVM_VMGEXIT_MMIO_WRITE:
		return has_scratch ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_VMGEXIT_AP_CREATION:
		if (!snp)
			return GHCB_ERR_INVALID_EVENT;
		/* RAX: the VMSA features, but to destroy */
		if (lower_32_bits(info1) != SVM_VMGEXIT_AP_DESTROY && !has_rax)
			return GHCB_ERR_MISSING_INPUT;
		return 0;
	case SVM_VMGEXIT_PSC:
		if (!snp)
			return GHCB_ERR_INVALID_EVENT;
		return has_scratch ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_VMGEXIT_GUEST_REQUEST:
		return snp_check_guest_req_input(ghcb, valid, snp, false);
	case SVM_VMGEXIT_EXT_GUEST_REQUEST:
		return snp_check_guest_req_input(ghcb, valid, snp, true);
	default:
		return GHCB_ERR_INVALID_EVENT;
	}
}

/**
 * sev_es_check_vmgexit() - may the exit a GHCB describes be handled?
 * @ghcb: the vCPU's copy of the guest's GHCB
 * @valid_bitmap: the guest's valid bitmap of it (the copy's is cleared)
 * @snp: the guest is an SNP guest
 *
 * As KVM's sev_es_validate_vmgexit(), on the copy alone: GHCB usage 0, the
 * exit code and both exit info fields valid, and what the exit needs.
 *
 * Return: 0, or the reason for sw_exit_info_2 (GHCB_ERR_*).
 */
u64 sev_es_check_vmgexit(const struct ghcb *ghcb, const u8 *valid_bitmap,
			 bool snp)
{
	if (ghcb->ghcb_usage)
		return GHCB_ERR_INVALID_USAGE;
	if (!ghcb_bitmap_valid(valid_bitmap, sw_exit_code) ||
	    !ghcb_bitmap_valid(valid_bitmap, sw_exit_info_1) ||
	    !ghcb_bitmap_valid(valid_bitmap, sw_exit_info_2))
		return GHCB_ERR_MISSING_INPUT;
	return sev_es_check_exit_input(ghcb, valid_bitmap, snp);
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_es_check_vmgexit);

/*
 * As KVM's sev_es_validate_vmgexit(): 0 when the exit may be handled; 1
 * with the guest answered why not.
 */
static int sev_es_validate_vmgexit(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u64 reason;

	reason = sev_es_check_vmgexit(es->ghcb, es->valid_bitmap,
				      sev_snp_guest(vcpu->kvm));
	if (!reason)
		return 0;

	pr_debug_ratelimited("kvm-sev: vmgexit %#llx: reason %llu\n",
			     es->ghcb->save.sw_exit_code, reason);
	svm_vmgexit_bad_input(vcpu, reason);
	return 1;
}

/* An exit the VMM saw is answered at the next KVM_RUN: the guest resumes. */
static int sev_es_complete_resume(struct kvm_vcpu *vcpu)
{
	return 1;
}

/* The exit of the GHCB at @ghcb_gpa, read into the vCPU's copy */
static int sev_dispatch_ghcb_exit(struct kvm_vcpu *vcpu, u64 ghcb_gpa,
				  u64 exit_code, u64 info1, u64 info2)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	int r;

	/*
	 * An SNP guest's GHCB is the one it registered (GHCB specification,
	 * "GHCB GPA Registration"): any other is answered NOT_REGISTERED,
	 * in the page the guest gave.
	 */
	if (sev_snp_guest(vcpu->kvm) && ghcb_gpa != es->ghcb_registered_gpa) {
		svm_vmgexit_bad_input(vcpu, GHCB_ERR_NOT_REGISTERED);
		return 1;
	}
	r = sev_es_validate_vmgexit(vcpu);
	if (r)
		return r;

	svm_vmgexit_set_info(vcpu, 0, 0);

	switch (exit_code) {
	case SVM_VMGEXIT_PSC:
		r = snp_handle_psc(vcpu);
		break;
	case SVM_VMGEXIT_AP_CREATION:
		if (sev_snp_ap_creation(vcpu, info1, info2))
			svm_vmgexit_bad_input(vcpu, GHCB_ERR_INVALID_INPUT);
		r = 1;
		break;
	case SVM_VMGEXIT_GUEST_REQUEST:
		r = snp_handle_guest_req(vcpu, info1, info2);
		break;
	case SVM_VMGEXIT_EXT_GUEST_REQUEST:
		r = snp_handle_ext_guest_req(vcpu, info1, info2);
		break;
	default:
		r = sev_es_handle_nae(vcpu, exit_code, info1, info2);
	}

	/* every exit to the VMM is finished by the next KVM_RUN */
	if (!r && !vcpu->complete_userspace_io)
		vcpu->complete_userspace_io = sev_es_complete_resume;
	return r;
}

static int sev_handle_ghcb_exit(struct kvm_vcpu *vcpu, u64 ghcb_gpa)
{
	const struct ghcb *ghcb;
	u64 exit_code, info1, info2;
	int r;

	r = sev_es_map_ghcb(vcpu, ghcb_gpa);
	/* a GHCB no memory slot holds: the guest just resumes, as KVM */
	if (r)
		return 1;

	/* as the guest gave them, for the trace: the answer overwrites them */
	ghcb = vcpu->sev_es.ghcb;
	exit_code = ghcb->save.sw_exit_code;
	info1 = ghcb->save.sw_exit_info_1;
	info2 = ghcb->save.sw_exit_info_2;
	r = sev_dispatch_ghcb_exit(vcpu, ghcb_gpa, exit_code, info1, info2);
	trace_kvm_sev_vmgexit(vcpu, exit_code, info1, info2, r);
	return r;
}

/**
 * sev_handle_vmgexit() - the VMGEXIT of a vCPU whose state is protected
 * @vcpu: the vCPU, its mutex held; vcpu->run for an exit to the VMM
 *
 * Return: 1 when the guest resumes; 0 for an exit to the VMM; -errno.
 */
int sev_handle_vmgexit(struct kvm_vcpu *vcpu)
{
	u64 ghcb_gpa = vcpu->sev_es.ghcb_msr;
	int r;

	if (ghcb_gpa & GHCB_MSR_INFO_MASK) {
		r = sev_handle_vmgexit_msr_protocol(vcpu);
		trace_kvm_sev_ghcb_msr(vcpu, ghcb_gpa, r);
		return r;
	}

	/* without a GHCB the guest just resumes, as KVM does */
	if (!ghcb_gpa)
		return 1;

	return sev_handle_ghcb_exit(vcpu, ghcb_gpa);
}
