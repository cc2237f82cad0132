// SPDX-License-Identifier: GPL-2.0-only
/*
 * Launching an SEV or SEV-ES guest (SEV API, spec 55766, chapter 6), as
 * KVM_MEMORY_ENCRYPT_OP commands: LAUNCH_START creates the firmware's
 * guest context and binds the VM's ASID to it; LAUNCH_UPDATE_DATA and
 * LAUNCH_UPDATE_VMSA encrypt guest memory and VMSAs in place and measure
 * them; LAUNCH_MEASURE gives the guest owner the measurement; LAUNCH_SECRET
 * injects its secret; LAUNCH_FINISH makes the guest runnable. GUEST_STATUS
 * can be asked at any time after LAUNCH_START, GET_ATTESTATION_REPORT once
 * LAUNCH_MEASURE has fixed the digest it signs (the firmware refuses it
 * before: INVALID_GUEST_STATE).
 *
 * Every command runs under kvm->lock (sev_mem_enc_ioctl()). A firmware
 * refusal is -EIO with the firmware's status in the command's error.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/svm.h>

#include <sev-psp/api.h>
#include "sev.h"

int sev_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct sev_data_launch_start start = {};
	struct kvm_sev_launch_start params;
	void *dh_blob = NULL, *session_blob = NULL;
	int *error = &argp->error;
	u64 epoch;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	/* one guest context per VM */
	if (sev->handle)
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data),
			   sizeof(params)))
		return -EFAULT;

	if (params.dh_uaddr) {
		dh_blob = sev_copy_user_blob(params.dh_uaddr, params.dh_len);
		if (IS_ERR(dh_blob))
			return PTR_ERR(dh_blob);
		start.dh_cert_address = __psp_pa(dh_blob);
		start.dh_cert_len = params.dh_len;
	}
	if (params.session_uaddr) {
		session_blob = sev_copy_user_blob(params.session_uaddr,
						  params.session_len);
		if (IS_ERR(session_blob)) {
			ret = PTR_ERR(session_blob);
			session_blob = NULL;
			goto out;
		}
		start.session_address = __psp_pa(session_blob);
		start.session_len = params.session_len;
	}

	start.handle = params.handle;
	start.policy = params.policy;

	/* before the command: a PSP replaced meanwhile makes it stale */
	epoch = sev_psp_epoch();
	ret = __sev_issue_cmd(argp->sev_fd, SEV_CMD_LAUNCH_START, &start,
			      error);
	if (ret)
		goto out;

	ret = sev_bind_asid(kvm, start.handle, error);
	if (ret) {
		/* the context exists but has no ASID: not this VM's */
		struct sev_data_decommission decommission = {
			.handle = start.handle,
		};

		sev_guest_decommission(&decommission, NULL);
		goto out;
	}

	params.handle = start.handle;
	if (copy_to_user(u64_to_user_ptr(argp->data), &params,
			 sizeof(params))) {
		sev_unbind_asid(start.handle);
		ret = -EFAULT;
		goto out;
	}

	sev->handle = start.handle;
	sev->psp_epoch = epoch;
	sev->fd = argp->sev_fd;
	sev->policy = params.policy;
out:
	kfree(session_blob);
	kfree(dh_blob);
	return ret;
}

int sev_launch_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_launch_update_data data = {};
	struct kvm_sev_launch_update_data params;
	unsigned long vaddr, vaddr_end, size, npages, i, pages;
	struct page **inpages;
	int ret = 0;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data),
			   sizeof(params)))
		return -EFAULT;

	vaddr = params.uaddr;
	size = params.len;
	if (check_add_overflow(vaddr, size, &vaddr_end))
		return -EINVAL;

	inpages = sev_pin_memory(kvm, vaddr, size, &npages, FOLL_WRITE);
	if (IS_ERR(inpages))
		return PTR_ERR(inpages);

	data.handle = to_kvm_sev_info(kvm)->handle;
	for (i = 0; vaddr < vaddr_end; i += pages) {
		unsigned long offset = offset_in_page(vaddr), len;

		/* as many physically contiguous pages as one command takes */
		pages = get_num_contig_pages(i, inpages, npages);
		len = min_t(unsigned long, pages * PAGE_SIZE - offset, size);

		data.len = len;
		data.address = sev_page_pa(inpages[i]) + offset;
		ret = sev_issue_cmd(kvm, SEV_CMD_LAUNCH_UPDATE_DATA, &data,
				    &argp->error);
		if (ret)
			break;
		size -= len;
		vaddr += len;
	}

	if (sev_cmd_unfinished(ret)) {
		sev_abandon_pinned(inpages);
		return ret;
	}
	/* encrypted in place: the pages changed */
	for (i = 0; i < npages; i++)
		set_page_dirty_lock(inpages[i]);
	sev_unpin_memory(kvm, inpages, npages);
	return ret;
}

static int __sev_launch_update_vmsa(struct kvm *kvm, struct kvm_vcpu *vcpu,
				    int *error)
{
	struct sev_data_launch_update_vmsa vmsa = {};
	int ret;

	/*
	 * A VMSA already encrypted holds the guest's state now, not the
	 * host's: it is measured again as it is (as KVM, which issues the
	 * command for every vCPU each time).
	 */
	if (!vcpu->guest_state_protected) {
		kvm_sev_host->sync_vmsa(vcpu, vcpu->vmsa);
		vcpu->vmsa->sev_features = to_kvm_sev_info(kvm)->vmsa_features;
	}

	vmsa.handle = to_kvm_sev_info(kvm)->handle;
	vmsa.address = __psp_pa(vcpu->vmsa);
	vmsa.len = PAGE_SIZE;
	ret = sev_issue_cmd(kvm, SEV_CMD_LAUNCH_UPDATE_VMSA, &vmsa, error);
	if (ret)
		return ret;

	vcpu->guest_state_protected = true;
	return 0;
}

int sev_launch_update_vmsa(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;
	int ret;

	if (!sev_es_guest(kvm))
		return -ENOTTY;

	for (i = 0; (vcpu = kvm_get_vcpu(kvm, i)); i++) {
		ret = mutex_lock_killable(&vcpu->mutex);
		if (ret)
			return ret;
		ret = __sev_launch_update_vmsa(kvm, vcpu, &argp->error);
		mutex_unlock(&vcpu->mutex);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * LAUNCH_MEASURE and ATTESTATION_REPORT answer the same way: a blob of the
 * firmware's size into the VMM's buffer; or, asked with a length of 0,
 * only that size, written back with the firmware's INVALID_LEN answer
 * returned as it is (-EIO), as KVM does.
 */
struct sev_blob_query {
	int cmd;
	void *data;		/* the command's buffer */
	u64 *address;		/* ... its blob address and length */
	u32 *len;
};

static int sev_blob_out(struct kvm *kvm, struct kvm_sev_cmd *argp,
			struct sev_blob_query *q, u64 uaddr, u32 *ulen)
{
	void __user *p = u64_to_user_ptr(uaddr);
	u32 len = *ulen;
	void *blob = NULL;
	int ret;

	if (len && p) {
		if (len > SEV_FW_BLOB_MAX_SIZE)
			return -EINVAL;
		blob = kzalloc(len, GFP_KERNEL_ACCOUNT);
		if (!blob)
			return -ENOMEM;
		*q->address = __psp_pa(blob);
		*q->len = len;
	}

	ret = sev_issue_cmd(kvm, q->cmd, q->data, &argp->error);
	if (len && ret)
		goto out;
	if (blob && copy_to_user(p, blob, len)) {
		ret = -EFAULT;
		goto out;
	}
	*ulen = *q->len;
out:
	kfree(blob);
	return ret;
}

int sev_launch_measure(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	void __user *measure = u64_to_user_ptr(argp->data);
	struct sev_data_launch_measure data = {};
	struct kvm_sev_launch_measure params;
	struct sev_blob_query q = {
		.cmd = SEV_CMD_LAUNCH_MEASURE, .data = &data,
		.address = &data.address, .len = &data.len,
	};
	u32 asked;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, measure, sizeof(params)))
		return -EFAULT;

	data.handle = to_kvm_sev_info(kvm)->handle;
	asked = params.len;
	ret = sev_blob_out(kvm, argp, &q, params.uaddr, &params.len);
	if ((!ret || !asked) &&
	    copy_to_user(measure, &params, sizeof(params)))
		ret = -EFAULT;
	return ret;
}

int sev_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_launch_finish data = {};

	if (!sev_guest(kvm))
		return -ENOTTY;

	data.handle = to_kvm_sev_info(kvm)->handle;
	return sev_issue_cmd(kvm, SEV_CMD_LAUNCH_FINISH, &data, &argp->error);
}

int sev_guest_status(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_guest_status params = {};
	struct sev_data_guest_status data = {};
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;

	data.handle = to_kvm_sev_info(kvm)->handle;
	ret = sev_issue_cmd(kvm, SEV_CMD_GUEST_STATUS, &data, &argp->error);
	if (ret)
		return ret;

	params.policy = data.policy;
	params.state = data.state;
	params.handle = data.handle;
	if (copy_to_user(u64_to_user_ptr(argp->data), &params, sizeof(params)))
		ret = -EFAULT;
	return ret;
}

int sev_launch_secret(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_launch_secret data = {};
	struct kvm_sev_launch_secret params;
	struct page **pages;
	void *blob, *hdr;
	unsigned long n, i;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data),
			   sizeof(params)))
		return -EFAULT;

	pages = sev_pin_memory(kvm, params.guest_uaddr, params.guest_len, &n,
			       FOLL_WRITE);
	if (IS_ERR(pages))
		return PTR_ERR(pages);

	/* the firmware writes the secret to one physical range */
	if (get_num_contig_pages(0, pages, n) != n) {
		ret = -EINVAL;
		goto e_unpin;
	}

	data.guest_address = sev_page_pa(pages[0]) +
			     offset_in_page(params.guest_uaddr);
	data.guest_len = params.guest_len;

	blob = sev_copy_user_blob(params.trans_uaddr, params.trans_len);
	if (IS_ERR(blob)) {
		ret = PTR_ERR(blob);
		goto e_unpin;
	}
	data.trans_address = __psp_pa(blob);
	data.trans_len = params.trans_len;

	hdr = sev_copy_user_blob(params.hdr_uaddr, params.hdr_len);
	if (IS_ERR(hdr)) {
		ret = PTR_ERR(hdr);
		goto e_free_blob;
	}
	data.hdr_address = __psp_pa(hdr);
	data.hdr_len = params.hdr_len;

	data.handle = to_kvm_sev_info(kvm)->handle;
	ret = sev_issue_cmd(kvm, SEV_CMD_LAUNCH_UPDATE_SECRET, &data,
			    &argp->error);
	kfree(hdr);
e_free_blob:
	kfree(blob);
e_unpin:
	if (sev_cmd_unfinished(ret)) {
		sev_abandon_pinned(pages);
		return ret;
	}
	for (i = 0; i < n; i++)
		set_page_dirty_lock(pages[i]);
	sev_unpin_memory(kvm, pages, n);
	return ret;
}

int sev_get_attestation_report(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	void __user *report = u64_to_user_ptr(argp->data);
	struct sev_data_attestation_report data = {};
	struct kvm_sev_attestation_report params;
	struct sev_blob_query q = {
		.cmd = SEV_CMD_ATTESTATION_REPORT, .data = &data,
		.address = &data.address, .len = &data.len,
	};
	u32 asked;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, report, sizeof(params)))
		return -EFAULT;

	data.handle = to_kvm_sev_info(kvm)->handle;
	memcpy(data.mnonce, params.mnonce, sizeof(params.mnonce));
	asked = params.len;
	ret = sev_blob_out(kvm, argp, &q, params.uaddr, &params.len);
	if ((!ret || !asked) &&
	    copy_to_user(report, &params, sizeof(params)))
		ret = -EFAULT;
	return ret;
}
