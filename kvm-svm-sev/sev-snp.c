// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP guests: their launch (KVM_SEV_SNP_LAUNCH_START, _UPDATE,
 * _FINISH), their guest context and teardown, with upstream KVM's rules.
 *
 * An SNP guest's private memory is guest_memfd's (the host's), never the
 * VMM's: LAUNCH_UPDATE copies the VMM's source into each page, assigns it
 * to the guest in the RMP (immutable until the firmware measures it) and
 * has the firmware take it. A page the firmware refused is reclaimed
 * (SNP_PAGE_RECLAIM) and given back to the hypervisor; one that cannot be
 * is leaked, never freed: the kernel must not reuse memory the RMP still
 * protects. So are a guest context the firmware did not decommission and
 * that guest's ASID.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/svm.h>

#include <sev-psp/api.h>
#include <sev-psp/platform.h>
#include "sev.h"

/* SNP guest policy bits KVM accepts (SNP firmware ABI, spec 56860) */
#define SNP_POLICY_MASK_API_MINOR	GENMASK_ULL(7, 0)
#define SNP_POLICY_MASK_API_MAJOR	GENMASK_ULL(15, 8)
#define SNP_POLICY_MASK_SMT		BIT_ULL(16)
#define SNP_POLICY_MASK_RSVD_MBO	BIT_ULL(17)
#define SNP_POLICY_MASK_DEBUG		BIT_ULL(19)
#define SNP_POLICY_MASK_SINGLE_SOCKET	BIT_ULL(20)
#define SNP_POLICY_MASK_VALID		(SNP_POLICY_MASK_API_MINOR | \
					 SNP_POLICY_MASK_API_MAJOR | \
					 SNP_POLICY_MASK_SMT | \
					 SNP_POLICY_MASK_RSVD_MBO | \
					 SNP_POLICY_MASK_DEBUG | \
					 SNP_POLICY_MASK_SINGLE_SOCKET)

/* Where the firmware measures each vCPU's VMSA (KVM's INITIAL_VMSA_GPA) */
#define SNP_INITIAL_VMSA_GPA		0xFFFFFFFFF000ULL

u64 sev_snp_policy_bits(void)
{
	return SNP_POLICY_MASK_VALID;
}

static u64 snp_ctx_pa(struct kvm_sev_info *sev)
{
	return __psp_pa(sev->snp_context);
}

/*
 * Give a page the firmware may own back to the hypervisor: reclaim it,
 * then make it shared in the RMP. -EIO when it must be leaked.
 */
static int snp_page_reclaim(u64 pfn)
{
	struct sev_data_snp_page_reclaim data = {
		.paddr = __sme_set(PFN_PHYS(pfn)),
	};
	int ret, error = 0;

	ret = sev_psp_do_cmd(SEV_CMD_SNP_PAGE_RECLAIM, &data, &error);
	if (ret || sev_rmp_make_shared(pfn, RMP_PG_SIZE_4K)) {
		pr_err_ratelimited("kvm-sev: pfn %#llx: cannot reclaim (%d, %#x), leaked\n",
				   pfn, ret, error);
		return -EIO;
	}
	return 0;
}

/* A new guest context: a firmware page after SNP_GCTX_CREATE, or NULL */
static void *snp_context_create(struct kvm_sev_cmd *argp)
{
	struct sev_data_snp_addr data = {};
	void *context;
	int ret;

	context = sev_psp_alloc_firmware_page(GFP_KERNEL_ACCOUNT);
	if (!context)
		return NULL;

	data.address = __psp_pa(context);
	ret = __sev_issue_cmd(argp->sev_fd, SEV_CMD_SNP_GCTX_CREATE, &data,
			      &argp->error);
	if (ret) {
		pr_debug("kvm-sev: SNP_GCTX_CREATE failed, ret=%d, error=%#x\n",
			 ret, argp->error);
		sev_psp_free_firmware_page(context);
		return NULL;
	}
	return context;
}

/*
 * SNP_DECOMMISSION, then the context page back: 0, or an error with the
 * context kept (and its page leaked), so the guest keeps its ASID. The
 * firmware refusing (-EIO) is a bug; a PSP that gave no status (dead,
 * timed out, removed) is one its driver reported already.
 */
static int snp_decommission_context(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	int ret;

	if (!sev->snp_context)
		return 0;

	/*
	 * The firmware that had the context is gone: nothing to
	 * decommission. The page goes back through the firmware there is
	 * now (kept, as any, if it cannot reclaim it).
	 */
	if (sev_context_stale(sev)) {
		sev_psp_free_firmware_page(sev->snp_context);
		sev->snp_context = NULL;
		return 0;
	}

	ret = sev_snp_decommission(snp_ctx_pa(sev));
	if (ret) {
		WARN_ONCE(ret == -EIO, "kvm-sev: SNP_DECOMMISSION failed (%d)\n",
			  ret);
		return ret;
	}

	sev_psp_free_firmware_page(sev->snp_context);
	sev->snp_context = NULL;
	return 0;
}

int snp_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct sev_data_snp_launch_start start = {};
	struct sev_data_snp_activate activate = {};
	struct kvm_sev_snp_launch_start params;
	u64 epoch;
	int rc;

	if (!sev_snp_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data),
			   sizeof(params)))
		return -EFAULT;

	/* one launch per guest */
	if (sev->snp_context)
		return -EINVAL;
	if (params.flags)
		return -EINVAL;
	if (params.policy & ~SNP_POLICY_MASK_VALID)
		return -EINVAL;
	/*
	 * Bit 17 must be one; SMT is the firmware's to judge, against the
	 * platform (as upstream since the SMT check left KVM).
	 */
	if (!(params.policy & SNP_POLICY_MASK_RSVD_MBO))
		return -EINVAL;
	/* KVM cannot promise a guest one socket */
	if (params.policy & SNP_POLICY_MASK_SINGLE_SOCKET)
		return -EINVAL;

	/*
	 * The pages of its guest requests (sev-guest-req.c) first: a
	 * failure after the firmware has the context is one it must undo.
	 */
	rc = snp_guest_req_init(kvm);
	if (rc)
		return rc;
	epoch = sev_psp_epoch();
	sev->snp_context = snp_context_create(argp);
	sev->psp_epoch = epoch;
	if (!sev->snp_context) {
		snp_guest_req_cleanup(kvm);
		return -ENOTTY;
	}

	start.gctx_paddr = snp_ctx_pa(sev);
	start.policy = params.policy;
	memcpy(start.gosvw, params.gosvw, sizeof(params.gosvw));
	rc = __sev_issue_cmd(argp->sev_fd, SEV_CMD_SNP_LAUNCH_START, &start,
			     &argp->error);
	if (rc)
		goto e_free_context;

	sev->fd = argp->sev_fd;
	activate.gctx_paddr = snp_ctx_pa(sev);
	activate.asid = sev->asid;
	rc = sev_issue_cmd(kvm, SEV_CMD_SNP_ACTIVATE, &activate, &argp->error);
	if (rc)
		goto e_free_context;
	return 0;

e_free_context:
	snp_decommission_context(kvm);
	snp_guest_req_cleanup(kvm);
	return rc;
}

struct snp_populate_args {
	u8 type;
	int sev_fd;
	u64 uaddr;		/* the VMM's source of the first page */
	u64 first_gfn;
	int fw_error;
};

/* One guest_memfd page: filled, made the guest's, measured. */
static int sev_gmem_post_populate(struct kvm *kvm, u64 gfn, u64 pfn,
				  void *opaque)
{
	struct snp_populate_args *args = opaque;
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct sev_data_snp_launch_update fw_args = {};
	void __user *src = NULL;
	struct rmp_state rmp;
	void *vaddr;
	int ret;

	if (args->type != KVM_SEV_SNP_PAGE_TYPE_ZERO)
		src = u64_to_user_ptr(args->uaddr +
				      ((gfn - args->first_gfn) << PAGE_SHIFT));

	if (sev_rmp_read(pfn, &rmp))
		return -EINVAL;
	if (rmp.assigned)
		return -EEXIST;

	if (src) {
		vaddr = kmap_local_pfn(pfn);
		ret = copy_from_user(vaddr, src, PAGE_SIZE) ? -EFAULT : 0;
		kunmap_local(vaddr);
		if (ret)
			return ret;
	}

	ret = sev_rmp_make_private(pfn, gfn << PAGE_SHIFT, RMP_PG_SIZE_4K,
				   sev->asid, true);
	if (ret)
		return -EIO;

	fw_args.gctx_paddr = snp_ctx_pa(sev);
	fw_args.address = __sme_set(PFN_PHYS(pfn));
	fw_args.page_size = RMP_PG_SIZE_4K;
	fw_args.page_type = args->type;
	ret = __sev_issue_cmd(args->sev_fd, SEV_CMD_SNP_LAUNCH_UPDATE,
			      &fw_args, &args->fw_error);
	if (!ret)
		return 0;

	/*
	 * The firmware corrects a CPUID page it refuses and leaves it
	 * readable: the VMM gets the values it would accept.
	 */
	if (!snp_page_reclaim(pfn) &&
	    args->type == KVM_SEV_SNP_PAGE_TYPE_CPUID &&
	    args->fw_error == SEV_RET_INVALID_PARAM) {
		vaddr = kmap_local_pfn(pfn);
		if (copy_to_user(src, vaddr, PAGE_SIZE))
			pr_debug("kvm-sev: CPUID page not copied back\n");
		kunmap_local(vaddr);
	}
	return ret;
}

static bool snp_page_type_valid(u8 type)
{
	return type == KVM_SEV_SNP_PAGE_TYPE_NORMAL ||
	       type == KVM_SEV_SNP_PAGE_TYPE_ZERO ||
	       type == KVM_SEV_SNP_PAGE_TYPE_UNMEASURED ||
	       type == KVM_SEV_SNP_PAGE_TYPE_SECRETS ||
	       type == KVM_SEV_SNP_PAGE_TYPE_CPUID;
}

/*
 * As upstream: the pages done are reported by moving gfn_start, uaddr and
 * len on; an error after the first page is a success that stops early (the
 * VMM calls again for the rest), an error on the first page is -EIO.
 */
int snp_launch_update(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct kvm_sev_snp_launch_update params;
	struct snp_populate_args args = {};
	long count;

	if (!sev_snp_guest(kvm) || !sev->snp_context)
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data),
			   sizeof(params)))
		return -EFAULT;
	if (!params.len || !PAGE_ALIGNED(params.len) || params.flags ||
	    !snp_page_type_valid(params.type))
		return -EINVAL;
	/* the first page's slot; the others are the populate's to check */
	if (!kvm_sev_host->gfn_has_gmem(kvm, params.gfn_start))
		return -EINVAL;
	/*
	 * A context of a firmware that is gone: sev_issue_cmd()'s answer,
	 * before any page is made private for it
	 */
	if (sev_context_stale(sev)) {
		argp->error = 0;
		return -EIO;
	}

	args.type = params.type;
	args.sev_fd = argp->sev_fd;
	args.uaddr = params.uaddr;
	args.first_gfn = params.gfn_start;
	count = kvm_sev_host->gmem_populate(kvm, params.gfn_start,
					    params.len >> PAGE_SHIFT,
					    sev_gmem_post_populate, &args);
	if (count < 0) {
		argp->error = args.fw_error;
		pr_debug("kvm-sev: SNP launch update: %ld, error %#x\n", count,
			 args.fw_error);
		return -EIO;
	}

	params.gfn_start += count;
	params.len -= count << PAGE_SHIFT;
	if (params.type != KVM_SEV_SNP_PAGE_TYPE_ZERO)
		params.uaddr += count << PAGE_SHIFT;
	if (copy_to_user(u64_to_user_ptr(argp->data), &params, sizeof(params)))
		return -EFAULT;
	return 0;
}

/* Every vCPU's VMSA, measured at SNP_INITIAL_VMSA_GPA */
static int snp_launch_update_vmsa(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct sev_data_snp_launch_update data = {};
	struct kvm_vcpu *vcpu;
	unsigned long i;
	u64 pfn;
	int ret;

	data.gctx_paddr = snp_ctx_pa(sev);
	data.page_type = SNP_PAGE_TYPE_VMSA;

	for (i = 0; (vcpu = kvm_get_vcpu(kvm, i)); i++) {
		ret = mutex_lock_killable(&vcpu->mutex);
		if (ret)
			return ret;
		/* measured once: a second FINISH finds it protected */
		if (vcpu->guest_state_protected) {
			ret = -EINVAL;
			goto unlock;
		}
		kvm_sev_host->sync_vmsa(vcpu, vcpu->vmsa);
		vcpu->vmsa->sev_features = sev->vmsa_features;

		pfn = PHYS_PFN(__pa(vcpu->vmsa));
		ret = sev_rmp_make_private(pfn, SNP_INITIAL_VMSA_GPA,
					   RMP_PG_SIZE_4K, sev->asid, true);
		if (ret) {
			ret = -EIO;
			goto unlock;
		}
		data.address = __sme_set(PFN_PHYS(pfn));
		ret = __sev_issue_cmd(argp->sev_fd, SEV_CMD_SNP_LAUNCH_UPDATE,
				      &data, &argp->error);
		if (ret) {
			/* the page stays the guest's: leaked at vCPU free */
			if (snp_page_reclaim(pfn))
				vcpu->vmsa_leaked = true;
			goto unlock;
		}
		vcpu->guest_state_protected = true;
unlock:
		mutex_unlock(&vcpu->mutex);
		if (ret)
			return ret;
	}
	return 0;
}

int snp_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct kvm_sev_snp_launch_finish params;
	struct sev_data_snp_launch_finish *data;
	void *id_block = NULL, *id_auth = NULL;
	int ret;

	if (!sev_snp_guest(kvm))
		return -ENOTTY;
	if (!sev->snp_context)
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data),
			   sizeof(params)))
		return -EFAULT;
	if (params.flags)
		return -EINVAL;
	/* as in snp_launch_update(): the VMSAs stay as they are */
	if (sev_context_stale(sev)) {
		argp->error = 0;
		return -EIO;
	}

	/*
	 * Before the VMSAs: once measured they cannot be again, so a
	 * failure after that step leaves a guest that cannot be finished.
	 */
	data = kzalloc(sizeof(*data), GFP_KERNEL_ACCOUNT);
	if (!data)
		return -ENOMEM;

	ret = snp_launch_update_vmsa(kvm, argp);
	if (ret)
		goto out;

	if (params.id_block_en) {
		id_block = sev_copy_user_blob(params.id_block_uaddr,
					      KVM_SEV_SNP_ID_BLOCK_SIZE);
		if (IS_ERR(id_block)) {
			ret = PTR_ERR(id_block);
			id_block = NULL;
			goto out;
		}
		data->id_block_en = 1;
		data->id_block_paddr = __sme_pa(id_block);

		id_auth = sev_copy_user_blob(params.id_auth_uaddr,
					     KVM_SEV_SNP_ID_AUTH_SIZE);
		if (IS_ERR(id_auth)) {
			ret = PTR_ERR(id_auth);
			id_auth = NULL;
			goto out;
		}
		data->id_auth_paddr = __sme_pa(id_auth);
		if (params.auth_key_en)
			data->auth_key_en = 1;
	}

	data->vcek_disabled = params.vcek_disabled;
	memcpy(data->host_data, params.host_data, KVM_SEV_SNP_FINISH_DATA_SIZE);
	data->gctx_paddr = snp_ctx_pa(sev);
	ret = sev_issue_cmd(kvm, SEV_CMD_SNP_LAUNCH_FINISH, data, &argp->error);
out:
	kfree(id_auth);
	kfree(id_block);
	kfree(data);
	return ret;
}

/*
 * The guest's context goes; false when it could not (its ASID must then
 * stay taken).
 */
bool snp_vm_destroy(struct kvm *kvm)
{
	return !snp_decommission_context(kvm);
}

/* A vCPU's VMSA page back to the hypervisor; false: leak it */
bool snp_vcpu_free_vmsa(struct kvm_vcpu *vcpu)
{
	struct rmp_state rmp;
	u64 pfn;

	if (!vcpu->vmsa)
		return true;
	if (vcpu->vmsa_leaked)
		return false;
	pfn = PHYS_PFN(__pa(vcpu->vmsa));
	if (sev_rmp_read(pfn, &rmp))
		return false;
	if (!rmp.assigned)
		return true;
	if (rmp.immutable)
		return !snp_page_reclaim(pfn);
	if (sev_rmp_make_shared(pfn, RMP_PG_SIZE_4K)) {
		pr_err_ratelimited("kvm-sev: VMSA pfn %#llx not made shared, leaked\n",
				   pfn);
		return false;
	}
	return true;
}

/**
 * sev_gmem_prepare() - a private guest_memfd page the guest may now use
 * @kvm: the SNP VM
 * @gfn: where the guest has it
 * @pfn: the page
 *
 * As KVM's sev_gmem_prepare(): assigned to the guest in the RMP at @gfn
 * (4 KiB, not validated: the guest's PVALIDATE does that), unless it is
 * assigned already.
 *
 * Return: 0; -EBUSY for a page the RMP assigns elsewhere; -EIO.
 */
int sev_gmem_prepare(struct kvm *kvm, u64 gfn, u64 pfn)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct rmp_state rmp;

	if (!sev_snp_guest(kvm))
		return 0;
	if (sev_rmp_read(pfn, &rmp))
		return -EIO;
	if (rmp.assigned)
		return rmp.asid == sev->asid && rmp.gpa == gfn << PAGE_SHIFT ?
		       0 : -EBUSY;
	if (sev_rmp_make_private(pfn, gfn << PAGE_SHIFT, RMP_PG_SIZE_4K,
				 sev->asid, false))
		return -EIO;
	return 0;
}

/*
 * A guest_memfd page is freed: give it back to the hypervisor if the RMP
 * assigns it. True when it must be leaked instead.
 */
bool sev_gmem_invalidate(struct kvm *kvm, u64 pfn)
{
	struct rmp_state rmp;

	if (!sev_snp_platform_enabled())
		return false;
	if (sev_rmp_read(pfn, &rmp))
		return true;
	if (!rmp.assigned)
		return false;
	/* a page the firmware still holds (a refused, unreclaimed one) */
	if (rmp.immutable)
		return !!snp_page_reclaim(pfn);
	if (sev_rmp_make_shared(pfn, RMP_PG_SIZE_4K)) {
		pr_err_ratelimited("kvm-sev: guest_memfd pfn %#llx not made shared, leaked\n",
				   pfn);
		return true;
	}
	return false;
}
