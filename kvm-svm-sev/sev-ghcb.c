// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GHCB page of a VMGEXIT (GHCB specification, AMD 56421, "GHCB
 * Protocol"), as KVM's sev_es_sync_from_ghcb(), setup_vmgexit_scratch()
 * and sev_es_unmap_ghcb().
 *
 * The guest may change its GHCB at any time, also while KVM reads it, so
 * the page is read once, at the VMGEXIT, into the vCPU's own copy: every
 * check and every use is of the same bytes. The answer (the registers,
 * sw_exit_info_1/2 and what the exit wrote into a scratch area) is built
 * in the copy and written back to the guest's page only when the guest is
 * entered again, as KVM writes through its mapping before VMRUN; the rest
 * of the page is not written, so nothing of the guest's is undone.
 *
 * The GHCB is in the guest's shared memory: the VMM's mapping of a memory
 * slot, read and written through struct kvm_sev_host_ops.
 */
#include <linux/kvm-sev.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/svm.h>

#include <sev-psp/kernel-compat.h>
#include "sev.h"

/* The largest scratch area outside the GHCB KVM copies: 16 pages */
#define GHCB_SCRATCH_AREA_LIMIT		(16ULL * PAGE_SIZE)

/* The answer to the exit: sw_exit_info_1 and sw_exit_info_2 */
void svm_vmgexit_set_info(struct kvm_vcpu *vcpu, u64 info1, u64 info2)
{
	ghcb_set_sw_exit_info_1(vcpu->sev_es.ghcb, info1);
	ghcb_set_sw_exit_info_2(vcpu->sev_es.ghcb, info2);
}

/* A malformed exit: sw_exit_info_1 2, and why in sw_exit_info_2 */
void svm_vmgexit_bad_input(struct kvm_vcpu *vcpu, u64 reason)
{
	svm_vmgexit_set_info(vcpu, 2, reason);
}

void svm_vmgexit_success(struct kvm_vcpu *vcpu, u64 data)
{
	svm_vmgexit_set_info(vcpu, 0, data);
}

/* The guest ends itself: the VMM gets KVM_SYSTEM_EVENT_SEV_TERM. */
int sev_es_term_exit(struct kvm_vcpu *vcpu, u64 data)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = KVM_SYSTEM_EVENT_SEV_TERM;
	run->system_event.ndata = 1;
	run->system_event.data[0] = data;
	return 0;
}

/*
 * Read the guest's GHCB at @gpa into the vCPU's copy, as KVM's
 * kvm_vcpu_map() and sev_es_sync_from_ghcb(): the valid bitmap is kept
 * aside and cleared in the copy, so that only what KVM answers is valid
 * when the guest reads it back; a register the guest did not mark valid
 * reads as 0. -EFAULT when no memory slot holds the page.
 */
int sev_es_map_ghcb(struct kvm_vcpu *vcpu, u64 gpa)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	struct ghcb *ghcb = es->ghcb_buf;
	int r;

	r = kvm_sev_host->read_guest(vcpu->kvm, gpa, ghcb, PAGE_SIZE);
	if (r)
		return r;

	memcpy(es->valid_bitmap, ghcb->save.valid_bitmap,
	       sizeof(es->valid_bitmap));
	memset(ghcb->save.valid_bitmap, 0, sizeof(ghcb->save.valid_bitmap));
	if (!kvm_ghcb_valid(vcpu, rax))
		ghcb->save.rax = 0;
	if (!kvm_ghcb_valid(vcpu, rbx))
		ghcb->save.rbx = 0;
	if (!kvm_ghcb_valid(vcpu, rcx))
		ghcb->save.rcx = 0;
	if (!kvm_ghcb_valid(vcpu, rdx))
		ghcb->save.rdx = 0;
	es->sw_scratch = kvm_ghcb_valid(vcpu, sw_scratch) ?
			 ghcb->save.sw_scratch : 0;
	es->ghcb_gpa = gpa;
	es->ghcb = ghcb;
	return 0;
}

/**
 * sev_es_check_scratch() - may a scratch area be where the guest put it?
 * @ghcb_gpa: the GHCB's page
 * @gpa: the scratch area (sw_scratch)
 * @len: its length in bytes
 * @in_ghcb: set: the area is in the GHCB's page
 *
 * As KVM's setup_vmgexit_scratch(): in the GHCB's page only inside its
 * shared buffer, elsewhere at most 16 pages (KVM copies it); never at 0
 * and never wrapping.
 *
 * Return: 0, or GHCB_ERR_INVALID_SCRATCH_AREA.
 */
u64 sev_es_check_scratch(u64 ghcb_gpa, u64 gpa, u64 len, bool *in_ghcb)
{
	u64 end;

	*in_ghcb = (gpa & PAGE_MASK) == ghcb_gpa;
	if (!gpa || check_add_overflow(gpa, len, &end))
		return GHCB_ERR_INVALID_SCRATCH_AREA;
	if (*in_ghcb) {
		if (gpa < ghcb_gpa + GHCB_SHARED_BUF_OFFSET ||
		    end > ghcb_gpa + GHCB_SHARED_BUF_END)
			return GHCB_ERR_INVALID_SCRATCH_AREA;
	} else if (len > GHCB_SCRATCH_AREA_LIMIT) {
		return GHCB_ERR_INVALID_SCRATCH_AREA;
	}
	return 0;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_es_check_scratch);

/*
 * The scratch area of an exit that moves @len bytes (sw_scratch): in the
 * GHCB's shared buffer, or elsewhere in guest memory and then copied into
 * a buffer of its own (at most 16 pages), to be written back at entry if
 * @sync (the exit gives the guest data). 0; 1 with the guest answered
 * INVALID_SCRATCH_AREA; -errno.
 */
int setup_vmgexit_scratch(struct kvm_vcpu *vcpu, bool sync, u64 len)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u64 reason;
	bool in_ghcb;
	void *va;

	reason = sev_es_check_scratch(es->ghcb_gpa, es->sw_scratch, len,
				      &in_ghcb);
	if (reason) {
		svm_vmgexit_bad_input(vcpu, reason);
		return 1;
	}

	if (in_ghcb) {
		va = (void *)es->ghcb + (es->sw_scratch - es->ghcb_gpa);
		es->ghcb_sa_free = false;
	} else {
		va = kvzalloc(len, GFP_KERNEL_ACCOUNT);
		if (!va)
			return -ENOMEM;
		if (kvm_sev_host->read_guest(vcpu->kvm, es->sw_scratch, va,
					     len)) {
			kvfree(va);
			return -EFAULT;
		}
		es->ghcb_sa_free = true;
	}
	es->ghcb_sa = va;
	es->ghcb_sa_len = len;
	es->ghcb_sa_sync = sync;
	return 0;
}

/* Part of the copy back into the guest's GHCB */
static void sev_es_write_ghcb(struct kvm_vcpu *vcpu, size_t off, size_t len)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;

	/* the VMM took the memory away: the guest has no GHCB left */
	if (kvm_sev_host->write_guest(vcpu->kvm, es->ghcb_gpa + off,
				      (void *)es->ghcb + off, len))
		pr_debug_ratelimited("kvm-sev: GHCB %#llx is gone\n",
				     es->ghcb_gpa);
}

/**
 * sev_es_unmap_ghcb() - end the VMGEXIT of a GHCB page
 * @vcpu: the vCPU, its mutex held
 * @writeback: the guest is entered: give it the answer
 *
 * As KVM's sev_es_sync_to_ghcb() and sev_es_unmap_ghcb(): the registers
 * (each valid now), sw_exit_info_1/2, the valid bitmap and a scratch area
 * the exit wrote go back to the guest's page; the copy is done with.
 */
void sev_es_unmap_ghcb(struct kvm_vcpu *vcpu, bool writeback)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	struct ghcb *ghcb = es->ghcb;

	if (!ghcb)
		return;

	if (writeback) {
		ghcb_set_rax(ghcb, ghcb->save.rax);
		ghcb_set_rbx(ghcb, ghcb->save.rbx);
		ghcb_set_rcx(ghcb, ghcb->save.rcx);
		ghcb_set_rdx(ghcb, ghcb->save.rdx);
		sev_es_write_ghcb(vcpu, offsetof(struct ghcb, save.rax),
				  sizeof(u64));
		/* rcx, rdx and rbx; sw_exit_info_1 and _2: each side by side */
		sev_es_write_ghcb(vcpu, offsetof(struct ghcb, save.rcx),
				  3 * sizeof(u64));
		sev_es_write_ghcb(vcpu, offsetof(struct ghcb, save.sw_exit_info_1),
				  2 * sizeof(u64));
		sev_es_write_ghcb(vcpu, offsetof(struct ghcb, save.valid_bitmap),
				  sizeof(ghcb->save.valid_bitmap));
	}

	if (es->ghcb_sa && writeback && es->ghcb_sa_sync) {
		if (es->ghcb_sa_free)
			kvm_sev_host->write_guest(vcpu->kvm, es->sw_scratch,
						  es->ghcb_sa, es->ghcb_sa_len);
		else
			sev_es_write_ghcb(vcpu, es->ghcb_sa - (void *)ghcb,
					  es->ghcb_sa_len);
	}
	if (es->ghcb_sa_free)
		kvfree(es->ghcb_sa);
	es->ghcb_sa = NULL;
	es->ghcb_sa_free = false;
	es->ghcb_sa_sync = false;
	es->ghcb = NULL;
}
