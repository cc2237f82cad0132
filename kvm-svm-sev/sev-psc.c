// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP page state changes (GHCB specification, AMD 56421, "Page State
 * Change"), as KVM's snp_begin_psc(): the guest asks that pages become
 * private or shared, through the GHCB MSR protocol (one 4 KiB page) or a
 * descriptor in the GHCB's scratch area (up to 253 entries of a 4 KiB or
 * 2 MiB page each).
 *
 * The VMM owns the guest's memory map, so each run of adjacent entries of
 * one operation and page size goes to it as one KVM_HC_MAP_GPA_RANGE
 * hypercall exit (it must have asked for them, KVM_CAP_EXIT_HYPERCALL);
 * it changes the memory attributes and answers. What the guest's next
 * access would do on hardware (KVM's fault on a private page:
 * kvm_gmem_get_pfn() and sev_gmem_prepare()) is done when the VMM answers
 * a change to private: the range's guest_memfd pages are assigned to the
 * guest in the RMP. A page made shared leaves the RMP and is freed then,
 * as QEMU frees it from the guest_memfd on upstream KVM: the private copy
 * and the shared page are never both the guest's.
 *
 * The descriptor is the guest's and is read once with the GHCB (the
 * scratch copy); KVM writes back its progress, cur_entry and each entry's
 * cur_page, so a change cut short (an error, the VMM's) is resumed by the
 * guest from where it stopped, and a 2 MiB entry partly done goes on as
 * 4 KiB pages.
 */
#include <linux/kvm-sev.h>
#include <linux/kvm_para.h>
#include <asm/svm.h>

#include <sev-psp/kernel-compat.h>
#include <sev-psp/platform.h>
#include "sev.h"
#include "trace.h"

/*
 * The answer: sw_exit_info_1 0 ("no action"), the result in
 * sw_exit_info_2, as KVM's snp_complete_psc().
 */
static void snp_complete_psc(struct kvm_vcpu *vcpu, u64 psc_ret)
{
	vcpu->sev_es.psc_inflight = 0;
	vcpu->sev_es.psc_idx = 0;
	svm_vmgexit_set_info(vcpu, 0, psc_ret);
}

/**
 * snp_psc_run_done() - entries of a descriptor are done: all their pages
 * @psc: the descriptor (the scratch copy)
 * @idx: the first entry
 * @count: how many
 *
 * The guest resumes a change from cur_entry and each entry's cur_page.
 */
void snp_psc_run_done(struct psc_buffer *psc, u16 idx, u16 count)
{
	for (; count; count--, idx++)
		psc->entries[idx].cur_page = psc->entries[idx].pagesize ?
					     RMP_2M_PAGES : 1;
	psc->hdr.cur_entry = idx;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(snp_psc_run_done);

/* The entries of the range the VMM did are done */
static void __snp_complete_one_psc(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;

	snp_psc_run_done(es->ghcb_sa, es->psc_idx, es->psc_inflight);
	es->psc_inflight = 0;
}

/**
 * snp_psc_made() - the VMM has answered the page state change exit
 * @vcpu: the vCPU whose guest asked; its range in sev_es.psc_* (never the
 *	  VMM's kvm_run, which it may have rewritten), the VMM's answer in
 *	  run->hypercall.ret
 *
 * When the VMM made the change, a range made private has its guest_memfd
 * pages assigned to the guest in the RMP, as the guest's first access to
 * each would on hardware; one made shared has them freed, out of the RMP
 * first.
 *
 * Return: 0; -EIO when the VMM did not make the change; -errno when a page
 * could not be given to the guest.
 */
int snp_psc_made(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u64 vmm_ret = vcpu->run->hypercall.ret;
	int ret = -EIO;

	if (!vmm_ret)
		ret = kvm_sev_host->gmem_convert(vcpu->kvm,
						 es->psc_gpa >> PAGE_SHIFT,
						 es->psc_npages, es->psc_private);
	trace_kvm_sev_psc(vcpu, vmm_ret, ret);
	return ret;
}

/* The exit of one range to the VMM, KVM_HC_MAP_GPA_RANGE; kept to finish */
void snp_psc_exit(struct kvm_vcpu *vcpu, u64 gpa, u64 npages, bool private,
		  bool huge)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	struct kvm_run *run = vcpu->run;

	es->psc_gpa = gpa;
	es->psc_npages = npages;
	es->psc_private = private;
	es->psc_huge = huge;
	run->exit_reason = KVM_EXIT_HYPERCALL;
	run->hypercall.nr = KVM_HC_MAP_GPA_RANGE;
	run->hypercall.args[0] = gpa;
	run->hypercall.args[1] = npages;
	run->hypercall.args[2] =
		(private ? KVM_MAP_GPA_RANGE_ENCRYPTED :
			   KVM_MAP_GPA_RANGE_DECRYPTED) |
		(huge ? KVM_MAP_GPA_RANGE_PAGE_SZ_2M :
			KVM_MAP_GPA_RANGE_PAGE_SZ_4K);
	kvm_run_hypercall_set_long_mode(run);
	run->hypercall.ret = 0;
}

static int snp_begin_psc(struct kvm_vcpu *vcpu);

/* The VMM answered the exit of one range: the next, or the answer */
static int snp_complete_one_psc(struct kvm_vcpu *vcpu)
{
	if (snp_psc_made(vcpu)) {
		snp_complete_psc(vcpu, VMGEXIT_PSC_ERROR_GENERIC);
		return 1;
	}
	__snp_complete_one_psc(vcpu);
	return snp_begin_psc(vcpu);
}

/**
 * snp_psc_next_run() - the next run of a descriptor's entries for the VMM
 * @psc: the descriptor (the scratch copy): the guest wrote every field
 * @len: its length in bytes, which its header must name entries inside
 * @run: set: the run, of entries of one operation and page size, each
 *	 adjacent to the one before
 *
 * From the descriptor's cur_entry, as KVM's snp_begin_psc(): skip what is
 * done (moving cur_entry on), take the next entry and the adjacent ones of
 * the same operation and size after it. A 2 MiB entry partly done goes on
 * as 4 KiB pages, so no 2 MiB entry joins its run. PSMASH and UNSMASH ask
 * nothing of the VMM (the RMP's page size follows the backing, which the
 * host picks): their runs are marked done here.
 *
 * Return: 0, with @run->count 0 when no entry is left to change; or the
 * error for sw_exit_info_2 (VMGEXIT_PSC_ERROR_INVALID_HDR or _ENTRY).
 */
u64 snp_psc_next_run(struct psc_buffer *psc, u64 len, struct snp_psc_run *run)
{
	struct psc_hdr *hdr = &psc->hdr;
	struct psc_entry start;
	u16 idx, idx_end;
	u64 gfn, npages;
	bool huge;

next_range:
	idx_end = hdr->end_entry;
	/* the header, and every entry it names, inside the scratch area */
	if (idx_end >= VMGEXIT_PSC_MAX_COUNT ||
	    struct_size(psc, entries, idx_end + 1) > len)
		return VMGEXIT_PSC_ERROR_INVALID_HDR;

	for (idx = hdr->cur_entry; idx <= idx_end; idx++, hdr->cur_entry++) {
		start = psc->entries[idx];
		gfn = start.gfn;
		huge = start.pagesize;
		npages = huge ? RMP_2M_PAGES : 1;

		if (start.cur_page > npages || !IS_ALIGNED(gfn, npages))
			return VMGEXIT_PSC_ERROR_INVALID_ENTRY;
		/* a 2 MiB entry partly done goes on as 4 KiB pages */
		if (start.cur_page) {
			npages -= start.cur_page;
			gfn += start.cur_page;
			huge = false;
		}
		if (npages)
			break;
	}
	if (idx > idx_end) {
		run->count = 0;
		return 0;
	}

	run->idx = idx;
	run->count = 1;
	while (++idx <= idx_end) {
		struct psc_entry e = psc->entries[idx];

		if (e.operation != start.operation ||
		    e.gfn != gfn + npages || e.cur_page ||
		    !!e.pagesize != huge)
			break;
		run->count++;
		npages += huge ? RMP_2M_PAGES : 1;
	}

	if (start.operation != VMGEXIT_PSC_OP_PRIVATE &&
	    start.operation != VMGEXIT_PSC_OP_SHARED) {
		/* done; on to the next range (a loop, not recursion) */
		snp_psc_run_done(psc, run->idx, run->count);
		goto next_range;
	}
	run->operation = start.operation;
	run->huge = huge;
	run->gfn = gfn;
	run->npages = npages;
	return 0;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(snp_psc_next_run);

/* The next run of the descriptor to the VMM, or the answer */
static int snp_begin_psc(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	struct snp_psc_run run;
	u64 psc_ret;

	psc_ret = snp_psc_next_run(es->ghcb_sa, es->ghcb_sa_len, &run);
	if (psc_ret || !run.count) {
		snp_complete_psc(vcpu, psc_ret);
		return 1;
	}

	es->psc_idx = run.idx;
	es->psc_inflight = run.count;
	snp_psc_exit(vcpu, run.gfn << PAGE_SHIFT, run.npages,
		     run.operation == VMGEXIT_PSC_OP_PRIVATE, run.huge);
	vcpu->complete_userspace_io = snp_complete_one_psc;
	return 0;
}

/**
 * snp_psc_desc_len() - how long a descriptor at @gpa may be
 * @ghcb_gpa: the GHCB's page
 * @gpa: the descriptor (sw_scratch)
 *
 * In the GHCB's shared buffer, the rest of it; elsewhere a whole shared
 * buffer's (2032 bytes, the guest's struct snp_psc_desc). Where the scratch
 * area may be is sev_es_check_scratch()'s to say: past the shared buffer
 * in the GHCB's page the length wraps, and it refuses that.
 */
u64 snp_psc_desc_len(u64 ghcb_gpa, u64 gpa)
{
	if ((gpa & PAGE_MASK) == ghcb_gpa &&
	    offset_in_page(gpa) >= GHCB_SHARED_BUF_OFFSET)
		return GHCB_SHARED_BUF_END - offset_in_page(gpa);
	return GHCB_SHARED_BUF_SIZE;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(snp_psc_desc_len);

/**
 * snp_handle_psc() - SVM_VMGEXIT_PSC: the descriptor at sw_scratch
 * @vcpu: the vCPU, its GHCB checked
 *
 * The descriptor is the rest of the shared buffer when it is in the GHCB,
 * else a whole one (2032 bytes) elsewhere; its header must name entries
 * inside it. Its progress is written back at entry.
 *
 * Return: 1 to resume the guest; 0 for the VMM's exit; -errno.
 */
int snp_handle_psc(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u64 len;
	int r;

	if (!(READ_ONCE(vcpu->kvm->exit_hypercalls) &
	      BIT_ULL(KVM_HC_MAP_GPA_RANGE))) {
		snp_complete_psc(vcpu, VMGEXIT_PSC_ERROR_GENERIC);
		return 1;
	}
	len = snp_psc_desc_len(es->ghcb_gpa, es->sw_scratch);
	if (len < sizeof(struct psc_hdr)) {
		snp_complete_psc(vcpu, VMGEXIT_PSC_ERROR_INVALID_HDR);
		return 1;
	}
	r = setup_vmgexit_scratch(vcpu, true, len);
	if (r)
		return r;
	return snp_begin_psc(vcpu);
}
