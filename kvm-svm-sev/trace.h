/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvm-sev's trace events (TRACE_SYSTEM kvm_sev): VMGEXITs and GHCB MSR
 * protocol requests, SNP guest requests, page state changes, and ASIDs.
 * Documentation/kvm-sev.rst ("Trace events") describes them; sev-trace.c
 * instantiates them. The VM is named by its ASID (0 before it has one).
 *
 * Each event reads what it reports from the vCPU at its call site, so that
 * a call site is one line and the handlers are as they were.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvm_sev

#if !defined(KVM_SEV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KVM_SEV_TRACE_H

#include <linux/kvm-sev.h>
#include <linux/tracepoint.h>
#include <linux/types.h>
#include <asm/svm.h>

#include <sev-psp/kernel-compat.h>
#include <sev-psp/snp-msg.h>
#include "sev.h"

/*
 * A VMGEXIT through a GHCB page: the exit code and exit info as the guest
 * gave them, the handler's return value (1: the guest resumes, 0: an exit
 * to the VMM, which answers at the next KVM_RUN; -errno fails KVM_RUN) and
 * the sw_exit_info_1/2 of the answer as it stands then.
 */
TRACE_EVENT(kvm_sev_vmgexit,
	    TP_PROTO(struct kvm_vcpu *vcpu, u64 exit_code, u64 info1, u64 info2,
		     int ret),
	    TP_ARGS(vcpu, exit_code, info1, info2, ret),
	    TP_STRUCT__entry(__field(unsigned int, asid)
			     __field(int, vcpu_id)
			     __field(u64, exit_code)
			     __field(u64, info1)
			     __field(u64, info2)
			     __field(int, ret)
			     __field(u64, out1)
			     __field(u64, out2)),
	    TP_fast_assign(const struct ghcb *ghcb = vcpu->sev_es.ghcb;

			   __entry->asid = to_kvm_sev_info(vcpu->kvm)->asid;
			   __entry->vcpu_id = vcpu->vcpu_id;
			   __entry->exit_code = exit_code;
			   __entry->info1 = info1;
			   __entry->info2 = info2;
			   __entry->ret = ret;
			   __entry->out1 = ghcb ? ghcb->save.sw_exit_info_1 : 0;
			   __entry->out2 = ghcb ? ghcb->save.sw_exit_info_2 : 0),
	    TP_printk("asid=%u vcpu=%d exit_code=%#llx info1=%#llx info2=%#llx ret=%d out1=%#llx out2=%#llx",
		      __entry->asid, __entry->vcpu_id, __entry->exit_code,
		      __entry->info1, __entry->info2, __entry->ret,
		      __entry->out1, __entry->out2)
);

/*
 * A GHCB MSR protocol request: the MSR as the guest wrote it, the
 * handler's return value (as kvm_sev_vmgexit's) and the MSR after it, the
 * response (unchanged for a request this host does not know).
 */
TRACE_EVENT(kvm_sev_ghcb_msr,
	    TP_PROTO(struct kvm_vcpu *vcpu, u64 msr, int ret),
	    TP_ARGS(vcpu, msr, ret),
	    TP_STRUCT__entry(__field(unsigned int, asid)
			     __field(int, vcpu_id)
			     __field(u64, msr)
			     __field(int, ret)
			     __field(u64, resp)),
	    TP_fast_assign(__entry->asid = to_kvm_sev_info(vcpu->kvm)->asid;
			   __entry->vcpu_id = vcpu->vcpu_id;
			   __entry->msr = msr;
			   __entry->ret = ret;
			   __entry->resp = vcpu->sev_es.ghcb_msr),
	    TP_printk("asid=%u vcpu=%d msr=%#llx ret=%d resp=%#llx",
		      __entry->asid, __entry->vcpu_id, __entry->msr,
		      __entry->ret, __entry->resp)
);

/*
 * An SNP guest request answered: the message type of the request page
 * last copied in (its header is in the clear; 0 before the VM has a
 * request page), and the answer's VMM error and firmware status.
 */
TRACE_EVENT(kvm_sev_guest_req,
	    TP_PROTO(struct kvm_vcpu *vcpu, u32 vmm_err, u32 fw_err),
	    TP_ARGS(vcpu, vmm_err, fw_err),
	    TP_STRUCT__entry(__field(unsigned int, asid)
			     __field(int, vcpu_id)
			     __field(u8, msg_type)
			     __field(u32, fw_err)
			     __field(u32, vmm_err)),
	    TP_fast_assign(const struct sev_psp_msg_hdr *hdr =
				to_kvm_sev_info(vcpu->kvm)->guest_req_buf;

			   __entry->asid = to_kvm_sev_info(vcpu->kvm)->asid;
			   __entry->vcpu_id = vcpu->vcpu_id;
			   __entry->msg_type = hdr ? hdr->msg_type : 0;
			   __entry->fw_err = fw_err;
			   __entry->vmm_err = vmm_err),
	    TP_printk("asid=%u vcpu=%d msg_type=%u fw_err=%#x vmm_err=%#x",
		      __entry->asid, __entry->vcpu_id, __entry->msg_type,
		      __entry->fw_err, __entry->vmm_err)
);

/*
 * The VMM answered a page state change exit (one run of 4 KiB or 2 MiB
 * pages, to private or shared): its KVM_HC_MAP_GPA_RANGE return value, and
 * then 0 or the -errno of giving the pages to the guest or taking them.
 */
TRACE_EVENT(kvm_sev_psc,
	    TP_PROTO(struct kvm_vcpu *vcpu, u64 vmm_ret, int ret),
	    TP_ARGS(vcpu, vmm_ret, ret),
	    TP_STRUCT__entry(__field(unsigned int, asid)
			     __field(int, vcpu_id)
			     __field(u64, gpa)
			     __field(u64, npages)
			     __field(bool, private)
			     __field(bool, huge)
			     __field(u64, vmm_ret)
			     __field(int, ret)),
	    TP_fast_assign(__entry->asid = to_kvm_sev_info(vcpu->kvm)->asid;
			   __entry->vcpu_id = vcpu->vcpu_id;
			   __entry->gpa = vcpu->sev_es.psc_gpa;
			   __entry->npages = vcpu->sev_es.psc_npages;
			   __entry->private = vcpu->sev_es.psc_private;
			   __entry->huge = vcpu->sev_es.psc_huge;
			   __entry->vmm_ret = vmm_ret;
			   __entry->ret = ret),
	    TP_printk("asid=%u vcpu=%d gpa=%#llx npages=%llu to=%s size=%s vmm_ret=%llu ret=%d",
		      __entry->asid, __entry->vcpu_id, __entry->gpa,
		      __entry->npages,
		      __entry->private ? "private" : "shared",
		      __entry->huge ? "2M" : "4K", __entry->vmm_ret,
		      __entry->ret)
);

/* An ASID for a VM of @vm_type: the ASID, or -errno when none was had */
TRACE_EVENT(kvm_sev_asid_alloc,
	    TP_PROTO(unsigned long vm_type, int asid),
	    TP_ARGS(vm_type, asid),
	    TP_STRUCT__entry(__field(unsigned long, vm_type)
			     __field(int, asid)),
	    TP_fast_assign(__entry->vm_type = vm_type;
			   __entry->asid = asid),
	    TP_printk("vm_type=%lu asid=%d", __entry->vm_type, __entry->asid)
);

/* A VM's ASID freed: reusable after the next flush */
TRACE_EVENT(kvm_sev_asid_free,
	    TP_PROTO(unsigned int asid),
	    TP_ARGS(asid),
	    TP_STRUCT__entry(__field(unsigned int, asid)),
	    TP_fast_assign(__entry->asid = asid),
	    TP_printk("asid=%u", __entry->asid)
);

/* The freed ASIDs flushed (WBINVD and DF_FLUSH): how many, now reusable */
TRACE_EVENT(kvm_sev_asid_flush,
	    TP_PROTO(unsigned int count),
	    TP_ARGS(count),
	    TP_STRUCT__entry(__field(unsigned int, count)),
	    TP_fast_assign(__entry->count = count),
	    TP_printk("count=%u", __entry->count)
);

#endif /* KVM_SEV_TRACE_H */

/* An out-of-tree module: -I$(src) (kvm-svm-sev/Kbuild) finds it in "." */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
