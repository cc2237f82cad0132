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
 * the reason in sw_exit_info_2) and the guest resumes to read it.
 */
#include <linux/kvm-sev.h>
#include <asm/svm.h>

#include <sev-psp/kernel-compat.h>
#include "sev.h"

/*
 * SNP guest requests (sev-guest-req.c): an SNP guest's only; the request
 * and response pages (SW_EXITINFO1 and 2) page-aligned and not the same;
 * the extended request's certificate buffer and its pages in RAX and RBX.
 */
static u64 snp_check_guest_req_input(struct kvm_vcpu *vcpu, bool ext)
{
	struct ghcb *ghcb = vcpu->sev_es.ghcb;
	u64 req_gpa = ghcb->save.sw_exit_info_1;
	u64 resp_gpa = ghcb->save.sw_exit_info_2;

	if (!sev_snp_guest(vcpu->kvm))
		return GHCB_ERR_INVALID_EVENT;
	if (ext && (!kvm_ghcb_valid(vcpu, rax) || !kvm_ghcb_valid(vcpu, rbx)))
		return GHCB_ERR_MISSING_INPUT;
	if (!PAGE_ALIGNED(req_gpa) || !PAGE_ALIGNED(resp_gpa) ||
	    req_gpa == resp_gpa)
		return GHCB_ERR_INVALID_INPUT;
	return 0;
}

/* The registers and the scratch area each exit needs; else the reason */
static u64 sev_es_check_exit_input(struct kvm_vcpu *vcpu, u64 exit_code,
				   u64 info1)
{
	switch (exit_code) {
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
		return kvm_ghcb_valid(vcpu, rax) ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_EXIT_RDPMC:
		return kvm_ghcb_valid(vcpu, rcx) ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_EXIT_CPUID:
		if (!kvm_ghcb_valid(vcpu, rax) || !kvm_ghcb_valid(vcpu, rcx))
			return GHCB_ERR_MISSING_INPUT;
		if ((u32)vcpu->sev_es.ghcb->save.rax == 0xd &&
		    !kvm_ghcb_valid(vcpu, xcr0))
			return GHCB_ERR_MISSING_INPUT;
		return 0;
	case SVM_EXIT_IOIO:
		if (info1 & SVM_IOIO_STR_MASK)
			return kvm_ghcb_valid(vcpu, sw_scratch) ?
			       0 : GHCB_ERR_MISSING_INPUT;
		/* OUT gives its value in RAX */
		if (!(info1 & SVM_IOIO_TYPE_MASK) && !kvm_ghcb_valid(vcpu, rax))
			return GHCB_ERR_MISSING_INPUT;
		return 0;
	case SVM_EXIT_MSR:
		if (!kvm_ghcb_valid(vcpu, rcx))
			return GHCB_ERR_MISSING_INPUT;
		if (info1 && (!kvm_ghcb_valid(vcpu, rax) ||
			      !kvm_ghcb_valid(vcpu, rdx)))
			return GHCB_ERR_MISSING_INPUT;
		return 0;
	case SVM_EXIT_VMMCALL:
		return kvm_ghcb_valid(vcpu, rax) && kvm_ghcb_valid(vcpu, cpl) ?
		       0 : GHCB_ERR_MISSING_INPUT;
	case SVM_EXIT_MONITOR:
		return kvm_ghcb_valid(vcpu, rax) && kvm_ghcb_valid(vcpu, rcx) &&
		       kvm_ghcb_valid(vcpu, rdx) ? 0 : GHCB_ERR_MISSING_INPUT;
	case SVM_EXIT_MWAIT:
		return kvm_ghcb_valid(vcpu, rax) && kvm_ghcb_valid(vcpu, rcx) ?
		       0 : GHCB_ERR_MISSING_INPUT;
	case SVM_VMGEXIT_MMIO_READ:
	case SVM_VMGEXIT_MMIO_WRITE:
		return kvm_ghcb_valid(vcpu, sw_scratch) ?
		       0 : GHCB_ERR_MISSING_INPUT;
	case SVM_VMGEXIT_AP_CREATION:
		if (!sev_snp_guest(vcpu->kvm))
			return GHCB_ERR_INVALID_EVENT;
		/* RAX: the VMSA features, but to destroy */
		if (lower_32_bits(info1) != SVM_VMGEXIT_AP_DESTROY &&
		    !kvm_ghcb_valid(vcpu, rax))
			return GHCB_ERR_MISSING_INPUT;
		return 0;
	case SVM_VMGEXIT_PSC:
		if (!sev_snp_guest(vcpu->kvm))
			return GHCB_ERR_INVALID_EVENT;
		return kvm_ghcb_valid(vcpu, sw_scratch) ?
		       0 : GHCB_ERR_MISSING_INPUT;
	case SVM_VMGEXIT_GUEST_REQUEST:
		return snp_check_guest_req_input(vcpu, false);
	case SVM_VMGEXIT_EXT_GUEST_REQUEST:
		return snp_check_guest_req_input(vcpu, true);
	default:
		return GHCB_ERR_INVALID_EVENT;
	}
}

/*
 * As KVM's sev_es_validate_vmgexit(): 0 when the exit may be handled; 1
 * with the guest answered why not.
 */
static int sev_es_validate_vmgexit(struct kvm_vcpu *vcpu)
{
	struct ghcb *ghcb = vcpu->sev_es.ghcb;
	u64 reason;

	if (ghcb->ghcb_usage) {
		reason = GHCB_ERR_INVALID_USAGE;
	} else if (!kvm_ghcb_valid(vcpu, sw_exit_code) ||
		   !kvm_ghcb_valid(vcpu, sw_exit_info_1) ||
		   !kvm_ghcb_valid(vcpu, sw_exit_info_2)) {
		reason = GHCB_ERR_MISSING_INPUT;
	} else {
		reason = sev_es_check_exit_input(vcpu, ghcb->save.sw_exit_code,
						 ghcb->save.sw_exit_info_1);
	}
	if (!reason)
		return 0;

	pr_debug_ratelimited("kvm-sev: vmgexit %#llx: reason %llu\n",
			     ghcb->save.sw_exit_code, reason);
	svm_vmgexit_bad_input(vcpu, reason);
	return 1;
}

/* An exit the VMM saw is answered at the next KVM_RUN: the guest resumes. */
static int sev_es_complete_resume(struct kvm_vcpu *vcpu)
{
	return 1;
}

static int sev_handle_ghcb_exit(struct kvm_vcpu *vcpu, u64 ghcb_gpa)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u64 exit_code, info1, info2;
	int r;

	r = sev_es_map_ghcb(vcpu, ghcb_gpa);
	/* a GHCB no memory slot holds: the guest just resumes, as KVM */
	if (r)
		return 1;

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

	exit_code = es->ghcb->save.sw_exit_code;
	info1 = es->ghcb->save.sw_exit_info_1;
	info2 = es->ghcb->save.sw_exit_info_2;
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

/**
 * sev_handle_vmgexit() - the VMGEXIT of a vCPU whose state is protected
 * @vcpu: the vCPU, its mutex held; vcpu->run for an exit to the VMM
 *
 * Return: 1 when the guest resumes; 0 for an exit to the VMM; -errno.
 */
int sev_handle_vmgexit(struct kvm_vcpu *vcpu)
{
	u64 ghcb_gpa = vcpu->sev_es.ghcb_msr;

	if (ghcb_gpa & GHCB_MSR_INFO_MASK)
		return sev_handle_vmgexit_msr_protocol(vcpu);

	/* without a GHCB the guest just resumes, as KVM does */
	if (!ghcb_gpa)
		return 1;

	return sev_handle_ghcb_exit(vcpu, ghcb_gpa);
}
