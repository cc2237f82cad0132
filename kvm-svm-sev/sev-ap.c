// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP AP creation (GHCB specification, AMD 56421, "SNP AP Creation"), as
 * KVM's sev_snp_ap_creation(): a vCPU of an SNP guest starts, restarts or
 * stops another with a VMSA of the guest's own, in its private memory.
 *
 * The request is recorded on the target under its snp_vmsa_mutex and the
 * target takes it up at its next KVM_RUN (KVM's
 * KVM_REQ_UPDATE_PROTECTED_GUEST_STATE): with a VMSA in private memory
 * (a guest_memfd frame) it runs from that VMSA; without one it is halted
 * (KVM_EXIT_HLT) until a new request gives it one. CREATE_ON_INIT records
 * the VMSA for the target's next INIT and does not take it up now.
 */
#include <linux/kvm-sev.h>
#include <asm/svm.h>

#include <sev-psp/kernel-compat.h>
#include "sev.h"

/* The largest guest physical address, as MAXPHYADDR can be (52 bits) */
#define SNP_AP_GPA_BITS		52

static struct kvm_vcpu *kvm_get_vcpu_by_id(struct kvm *kvm, u32 id)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	for (i = 0; (vcpu = kvm_get_vcpu(kvm, i)); i++)
		if (vcpu->vcpu_id == id)
			return vcpu;
	return NULL;
}

/**
 * sev_snp_ap_creation() - SVM_VMGEXIT_AP_CREATION
 * @vcpu: the vCPU that asks, its GHCB checked (RAX valid but to destroy)
 * @info1: the request (bits 31:0) and the target's APIC ID (63:32)
 * @info2: the VMSA's GPA
 *
 * RAX must be the VM's VMSA features (an AP may not run with others), the
 * VMSA's GPA a page's and not 2 MiB aligned (the CPU erratum KVM avoids).
 *
 * Return: 0, or -EINVAL: the guest is answered INVALID_INPUT.
 */
int sev_snp_ap_creation(struct kvm_vcpu *vcpu, u64 info1, u64 info2)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);
	u32 request = lower_32_bits(info1);
	struct kvm_vcpu *target;
	int r = 0;

	target = kvm_get_vcpu_by_id(vcpu->kvm, upper_32_bits(info1));
	if (!target)
		return -EINVAL;

	if (request != SVM_VMGEXIT_AP_CREATE_ON_INIT &&
	    request != SVM_VMGEXIT_AP_CREATE &&
	    request != SVM_VMGEXIT_AP_DESTROY)
		return -EINVAL;
	if (request != SVM_VMGEXIT_AP_DESTROY &&
	    (vcpu->sev_es.ghcb->save.rax != sev->vmsa_features ||
	     !PAGE_ALIGNED(info2) || info2 >> SNP_AP_GPA_BITS ||
	     IS_ALIGNED(info2, PMD_SIZE)))
		return -EINVAL;

	mutex_lock(&target->snp_vmsa_mutex);
	target->sev_es.snp_vmsa_gpa = request == SVM_VMGEXIT_AP_DESTROY ?
				      INVALID_PAGE : info2;
	/* CREATE_ON_INIT waits for the target's INIT: no update now */
	if (request != SVM_VMGEXIT_AP_CREATE_ON_INIT)
		target->sev_es.snp_ap_update = true;
	mutex_unlock(&target->snp_vmsa_mutex);
	return r;
}

/**
 * sev_snp_update_protected_guest_state() - an AP request, at KVM_RUN
 * @vcpu: the vCPU, its mutex held
 *
 * A request recorded for @vcpu takes effect: a VMSA in private memory
 * makes it runnable, its state the guest's; none halts it.
 *
 * Return: 1 when it runs; 0 with KVM_EXIT_HLT when it is halted.
 */
int sev_snp_update_protected_guest_state(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u64 gpa;

	mutex_lock(&vcpu->snp_vmsa_mutex);
	if (es->snp_ap_update) {
		es->snp_ap_update = false;
		gpa = es->snp_vmsa_gpa;
		es->snp_vmsa_gpa = INVALID_PAGE;
		es->snp_ap_halted = gpa == INVALID_PAGE ||
			!kvm_sev_host->gfn_has_gmem(vcpu->kvm, gpa >> PAGE_SHIFT);
		if (!es->snp_ap_halted) {
			es->snp_guest_vmsa_gpa = gpa;
			vcpu->guest_state_protected = true;
		}
	}
	mutex_unlock(&vcpu->snp_vmsa_mutex);

	if (!es->snp_ap_halted)
		return 1;
	vcpu->run->exit_reason = KVM_EXIT_HLT;
	return 0;
}
