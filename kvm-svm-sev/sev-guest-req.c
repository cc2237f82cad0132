// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP guest requests (GHCB specification, AMD 56421, "SNP Guest Request"
 * and "SNP Extended Guest Request"), as KVM's snp_handle_guest_req() and
 * snp_handle_ext_guest_req(): the guest's encrypted message to the
 * firmware and back, and for an attestation report the certificates that
 * go with it.
 *
 * The firmware never touches a guest page: the request is copied into a
 * page of the VM's, the firmware answers into a firmware-owned page of the
 * VM's, and that is copied to the guest's response page. The pages are
 * made with the guest context (SNP_LAUNCH_START) and freed with the VM;
 * SNP contexts are never moved nor mirrored (sev-migrate.c), so neither
 * are they. guest_req_mutex makes it one request of the VM at a time.
 *
 * The answer is SW_EXITINFO2: the VMM's error in bits 63:32 (INVALID_LEN,
 * BUSY, GENERIC), the firmware's status in 31:0. A request that got no
 * firmware status (no PSP, a timeout, a dead PSP) fails KVM_RUN: the guest
 * gets no answer it could take as the firmware's, nor a BUSY that would
 * have it retry a PSP that will never answer. After a timeout the
 * firmware may still read the request page: it is leaked with the VM
 * rather than freed.
 *
 * An extended request (RAX the certificate buffer's GPA, RBX its pages)
 * gets certificates only with MSG_REPORT_REQ, the message type being the
 * plaintext header's; any other message is a plain request, as upstream.
 * The certificates come from, in order:
 *   1. the VMM, when it enabled KVM_SEV_SNP_ENABLE_REQ_CERTS: the exit
 *      KVM_EXIT_SNP_REQ_CERTS {gpa, npages, ret}; the VMM writes the table
 *      into the guest and answers in ret (snp_complete_req_certs());
 *   2. the host-wide blob (SNP_SET_EXT_CONFIG on /dev/sev), taken by the
 *      PSP driver under the same hold of its lock as the request, so the
 *      report's reported TCB is the certificates';
 *   3. none: an empty table (one all-zero 24-byte entry).
 * A buffer too small is answered INVALID_LEN, RBX the pages needed, before
 * the firmware sees the message: the guest's sequence number is not used
 * up and it sends the identical message again.
 *
 * Throttling: guest_req_rate requests per second per VM (0: no limit, the
 * value a VM's SNP_LAUNCH_START finds); over it, BUSY without forwarding,
 * and the guest sends the same message again.
 */
#include <linux/kvm-sev.h>
#include <linux/module.h>
#include <asm/svm.h>

#include <sev-psp/api.h>
#include <sev-psp/kernel-compat.h>
#include <sev-psp/snp-msg.h>
#include "sev.h"
#include "trace.h"

static unsigned int guest_req_rate;
module_param(guest_req_rate, uint, 0644);
MODULE_PARM_DESC(guest_req_rate,
		 "SNP guest requests per second per VM, 0: no limit (read at SNP_LAUNCH_START)");

/* An empty certificate table: its terminator, one all-zero entry */
#define SNP_CERT_TABLE_ENTRY_LEN	24

int snp_guest_req_init(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);

	sev->guest_req_buf = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!sev->guest_req_buf)
		return -ENOMEM;
	sev->guest_resp_buf = sev_psp_alloc_firmware_page(GFP_KERNEL_ACCOUNT);
	if (!sev->guest_resp_buf) {
		free_page((unsigned long)sev->guest_req_buf);
		sev->guest_req_buf = NULL;
		return -ENOMEM;
	}
	/* a burst of the rate in each second; the limit says nothing */
	ratelimit_state_init(&sev->guest_req_rs, HZ, READ_ONCE(guest_req_rate));
	ratelimit_set_flags(&sev->guest_req_rs, RATELIMIT_MSG_ON_RELEASE);
	return 0;
}

void snp_guest_req_cleanup(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);

	if (sev->guest_resp_buf)
		sev_psp_free_firmware_page(sev->guest_resp_buf);
	if (sev->guest_req_abandoned)
		pr_warn("kvm-sev: a guest request did not complete, leaking its page\n");
	else
		free_page((unsigned long)sev->guest_req_buf);
	sev->guest_resp_buf = NULL;
	sev->guest_req_buf = NULL;
}

/* KVM_SEV_SNP_ENABLE_REQ_CERTS: the VMM gives the certificates */
int snp_enable_req_certs(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	if (!sev_snp_guest(kvm) || kvm->created_vcpus)
		return -EINVAL;

	to_kvm_sev_info(kvm)->snp_certs_enabled = true;
	return 0;
}

static void snp_guest_req_answer(struct kvm_vcpu *vcpu, u32 vmm_err,
				 u32 fw_err)
{
	trace_kvm_sev_guest_req(vcpu, vmm_err, fw_err);
	svm_vmgexit_success(vcpu, SNP_GUEST_ERR(vmm_err, fw_err));
}

/* Over the VM's rate: answered BUSY, true */
static bool snp_guest_req_throttled(struct kvm_vcpu *vcpu)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);

	if (!sev->guest_req_rs.burst || __ratelimit(&sev->guest_req_rs))
		return false;
	snp_guest_req_answer(vcpu, SNP_GUEST_VMM_ERR_BUSY, 0);
	return true;
}

/*
 * The firmware's answer in sev->guest_resp_buf, for the request already
 * copied into sev->guest_req_buf; guest_req_mutex held. With @certs, an
 * extended request: the host-wide certificates, @certs_room bytes of
 * them at most, are put in *@certs (see sev_psp_snp_guest_request()).
 * 1 with the guest answered, 0 when the message went to the firmware
 * (*@fw_err its status), -errno to fail KVM_RUN.
 */
static int snp_guest_req_forward(struct kvm_vcpu *vcpu,
				 struct sev_psp_certs **certs, u32 certs_room,
				 int *fw_err)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);
	struct sev_data_snp_guest_request data = {
		.gctx_paddr = __psp_pa(sev->snp_context),
		.req_paddr = __psp_pa(sev->guest_req_buf),
		.res_paddr = __psp_pa(sev->guest_resp_buf),
	};
	int ret;

	*fw_err = 0;
	/* the context's firmware is gone, as the VM is (sev_issue_cmd()) */
	if (sev_context_stale(sev))
		return -EIO;
	ret = sev_psp_snp_guest_request(&data, certs, certs_room, fw_err);
	if (!ret || *fw_err)
		return 0;

	if (ret == -ENOSPC && certs && *certs) {
		/* the firmware did not see it: the same message again */
		vcpu->sev_es.ghcb->save.rbx =
			DIV_ROUND_UP((*certs)->len, PAGE_SIZE);
		snp_guest_req_answer(vcpu, SNP_GUEST_VMM_ERR_INVALID_LEN, 0);
		return 1;
	}
	/* the firmware may still read the request: never freed */
	if (sev_cmd_unfinished(ret))
		sev->guest_req_abandoned = true;
	pr_debug_ratelimited("kvm-sev: guest request: no firmware status (%d)\n",
			     ret);
	return ret;
}

/* The request page from the guest into the VM's page */
static int snp_guest_req_read(struct kvm_vcpu *vcpu, u64 req_gpa)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);

	return kvm_sev_host->read_guest(vcpu->kvm, req_gpa, sev->guest_req_buf,
					PAGE_SIZE);
}

/* The firmware's answer to the guest: its response page and status */
static int snp_guest_req_reply(struct kvm_vcpu *vcpu, u64 resp_gpa,
			       int fw_err)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);

	if (kvm_sev_host->write_guest(vcpu->kvm, resp_gpa, sev->guest_resp_buf,
				      PAGE_SIZE))
		return -EFAULT;
	snp_guest_req_answer(vcpu, 0, fw_err);
	return 1;
}

/* A plain request whose message is in sev->guest_req_buf */
static int __snp_handle_guest_req(struct kvm_vcpu *vcpu, u64 resp_gpa)
{
	int ret, fw_err;

	ret = snp_guest_req_forward(vcpu, NULL, 0, &fw_err);
	if (ret)
		return ret;
	return snp_guest_req_reply(vcpu, resp_gpa, fw_err);
}

/**
 * snp_handle_guest_req() - SVM_VMGEXIT_GUEST_REQUEST
 * @vcpu: the vCPU, its mutex held, its GHCB checked (SNP guest; the two
 *	  GPAs page-aligned and different)
 * @req_gpa: the guest's request page
 * @resp_gpa: the guest's response page
 *
 * Return: 1 with the guest answered; -errno to fail KVM_RUN.
 */
int snp_handle_guest_req(struct kvm_vcpu *vcpu, u64 req_gpa, u64 resp_gpa)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);
	int ret;

	/* no context yet: the firmware would have none to name */
	if (!sev->guest_req_buf) {
		snp_guest_req_answer(vcpu, SNP_GUEST_VMM_ERR_GENERIC, 0);
		return 1;
	}
	mutex_lock(&sev->guest_req_mutex);
	if (snp_guest_req_throttled(vcpu))
		ret = 1;
	else if (snp_guest_req_read(vcpu, req_gpa))
		ret = -EFAULT;
	else
		ret = __snp_handle_guest_req(vcpu, resp_gpa);
	mutex_unlock(&sev->guest_req_mutex);
	return ret;
}

/*
 * The VMM's answer to KVM_EXIT_SNP_REQ_CERTS, at the next KVM_RUN: with
 * the certificates written, the request goes to the firmware (read again:
 * the mutex is not held across the exit, as upstream); else the guest
 * learns why not. A value the interface does not have fails KVM_RUN.
 */
static int snp_complete_req_certs(struct kvm_vcpu *vcpu)
{
	struct kvm_exit_snp_req_certs *rc = kvm_run_snp_req_certs(vcpu->run);
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);
	u64 ret = READ_ONCE(rc->ret);
	int r;

	switch (ret) {
	case 0:
		break;
	case ENOSPC:
		vcpu->sev_es.ghcb->save.rbx = READ_ONCE(rc->npages);
		snp_guest_req_answer(vcpu, SNP_GUEST_VMM_ERR_INVALID_LEN, 0);
		return 1;
	case EAGAIN:
		snp_guest_req_answer(vcpu, SNP_GUEST_VMM_ERR_BUSY, 0);
		return 1;
	case EIO:
		snp_guest_req_answer(vcpu, SNP_GUEST_VMM_ERR_GENERIC, 0);
		return 1;
	default:
		return -EINVAL;
	}

	mutex_lock(&sev->guest_req_mutex);
	if (snp_guest_req_read(vcpu, vcpu->sev_es.snp_req_gpa))
		r = -EFAULT;
	else
		r = __snp_handle_guest_req(vcpu, vcpu->sev_es.snp_resp_gpa);
	mutex_unlock(&sev->guest_req_mutex);
	return r;
}

/* The host-wide certificates (or an empty table) with the report */
static int snp_ext_guest_req_host_certs(struct kvm_vcpu *vcpu, u64 resp_gpa,
					u64 certs_gpa, u64 npages)
{
	static const u8 empty_table[SNP_CERT_TABLE_ENTRY_LEN];
	u32 room = min_t(u64, npages, U32_MAX >> PAGE_SHIFT) << PAGE_SHIFT;
	struct sev_psp_certs *certs = NULL;
	int ret, fw_err;

	ret = snp_guest_req_forward(vcpu, &certs, room, &fw_err);
	if (ret)
		goto out;

	/* the certificates first: the guest reads them after the report */
	if (certs && certs->len)
		ret = kvm_sev_host->write_guest(vcpu->kvm, certs_gpa, certs->data,
						certs->len);
	else if (npages)
		ret = kvm_sev_host->write_guest(vcpu->kvm, certs_gpa,
						empty_table, sizeof(empty_table));
	if (ret) {
		ret = -EFAULT;
		goto out;
	}
	ret = snp_guest_req_reply(vcpu, resp_gpa, fw_err);
out:
	if (certs)
		sev_psp_snp_certs_put(certs);
	return ret;
}

/**
 * snp_handle_ext_guest_req() - SVM_VMGEXIT_EXT_GUEST_REQUEST
 * @vcpu: the vCPU, its mutex held, its GHCB checked (as a plain request,
 *	  and RAX and RBX valid)
 * @req_gpa: the guest's request page
 * @resp_gpa: the guest's response page
 *
 * Return: 1 with the guest answered; 0 for KVM_EXIT_SNP_REQ_CERTS;
 * -errno to fail KVM_RUN.
 */
int snp_handle_ext_guest_req(struct kvm_vcpu *vcpu, u64 req_gpa,
			     u64 resp_gpa)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);
	struct ghcb *ghcb = vcpu->sev_es.ghcb;
	u64 certs_gpa = ghcb->save.rax, npages = ghcb->save.rbx;
	struct kvm_exit_snp_req_certs *rc;
	struct sev_psp_msg_hdr *hdr;
	int ret;

	if (!PAGE_ALIGNED(certs_gpa)) {
		svm_vmgexit_bad_input(vcpu, GHCB_ERR_INVALID_INPUT);
		return 1;
	}
	if (!sev->guest_req_buf) {
		snp_guest_req_answer(vcpu, SNP_GUEST_VMM_ERR_GENERIC, 0);
		return 1;
	}

	mutex_lock(&sev->guest_req_mutex);
	if (snp_guest_req_throttled(vcpu)) {
		ret = 1;
		goto out;
	}
	if (snp_guest_req_read(vcpu, req_gpa)) {
		ret = -EFAULT;
		goto out;
	}

	/* the header is the AEAD's AAD: in the clear */
	hdr = sev->guest_req_buf;
	if (hdr->msg_type != SNP_MSG_REPORT_REQ) {
		ret = __snp_handle_guest_req(vcpu, resp_gpa);
		goto out;
	}
	if (!sev->snp_certs_enabled) {
		ret = snp_ext_guest_req_host_certs(vcpu, resp_gpa, certs_gpa,
						   npages);
		goto out;
	}

	/* the VMM's certificates: it answers at the next KVM_RUN */
	vcpu->sev_es.snp_req_gpa = req_gpa;
	vcpu->sev_es.snp_resp_gpa = resp_gpa;
	rc = kvm_run_snp_req_certs(vcpu->run);
	vcpu->run->exit_reason = KVM_EXIT_SNP_REQ_CERTS;
	rc->gpa = certs_gpa;
	rc->npages = npages;
	rc->ret = 0;
	vcpu->complete_userspace_io = snp_complete_req_certs;
	ret = 0;
out:
	mutex_unlock(&sev->guest_req_mutex);
	return ret;
}
