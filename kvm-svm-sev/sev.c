// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV guests of the SVM host: what the host supports, a VM's SEV state from
 * KVM_SEV_INIT2 (or the legacy KVM_SEV_INIT / KVM_SEV_ES_INIT) to its
 * destruction, and the KVM_MEMORY_ENCRYPT_OP dispatcher, with upstream
 * KVM's rules: which VM types take which commands, what a mirror may do.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/svm.h>

#include <sev-psp/api.h>
#include <sev-psp/kernel-compat.h>
#include <sev-psp/platform.h>
#include "sev.h"

static bool sev_es_enabled;
static bool sev_snp_enabled;
static u64 sev_supported_vmsa_features;

int sev_hardware_setup(const struct kvm_sev_host_ops *ops)
{
	unsigned int min_sev, max_sev, max_sev_es;
	bool snp = sev_snp_platform_enabled();
	int ret;

	kvm_sev_host = ops;
	ret = sev_ghcb_setup();
	if (ret)
		return ret;
	ret = sev_asid_setup(snp);
	if (ret)
		return ret;
	sev_asid_ranges(&min_sev, &max_sev, &max_sev_es);

	/* SEV-ES (and SNP) guests need ASIDs below the plain SEV ones */
	sev_es_enabled = max_sev_es >= 1;
	sev_snp_enabled = sev_es_enabled && snp;
	sev_supported_vmsa_features = sev_es_enabled ? SVM_SEV_FEAT_DEBUG_SWAP : 0;

	pr_info("kvm-sev: SEV ASIDs %u-%u, SEV-ES %s, SEV-SNP %s\n", min_sev,
		max_sev, sev_es_enabled ? "enabled" : "disabled",
		sev_snp_enabled ? "enabled" : "disabled");
	return 0;
}

void sev_hardware_unsetup(void)
{
	sev_asid_teardown();
}

u64 sev_supported_vm_types(void)
{
	u64 types = BIT_ULL(KVM_X86_DEFAULT_VM) | BIT_ULL(KVM_X86_SEV_VM);

	if (sev_es_enabled)
		types |= BIT_ULL(KVM_X86_SEV_ES_VM);
	if (sev_snp_enabled)
		types |= BIT_ULL(KVM_X86_SNP_VM);
	return types;
}

/* KVM_GET_DEVICE_ATTR on the system fd */
int sev_dev_get_attr(u32 group, u64 attr, u64 *val)
{
	if (group != KVM_X86_GRP_SEV)
		return -ENXIO;

	switch (attr) {
	case KVM_X86_SEV_VMSA_FEATURES:
		*val = sev_supported_vmsa_features;
		return 0;
	case KVM_X86_SNP_POLICY_BITS:
		*val = sev_snp_enabled ? sev_snp_policy_bits() : 0;
		return 0;
	case KVM_X86_SEV_SNP_REQ_CERTS:
		/* KVM_SEV_SNP_ENABLE_REQ_CERTS and its exit */
		*val = sev_snp_enabled;
		return 0;
	default:
		return -ENXIO;
	}
}

/* A new VM: a protected VM type waits for KVM_SEV_INIT2. */
void sev_vm_init(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);

	INIT_LIST_HEAD(&sev->regions_list);
	INIT_LIST_HEAD(&sev->mirror_vms);
	INIT_LIST_HEAD(&sev->mirror_entry);
	mutex_init(&sev->guest_req_mutex);
	sev->need_init = kvm->vm_type != KVM_X86_DEFAULT_VM;
}

/*
 * The last reference is gone (mirrors hold one on their owner, so an
 * owner goes after its mirrors): release the guest context and the ASID,
 * once.
 */
void sev_vm_destroy(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);

	if (!sev_guest(kvm))
		return;

	if (is_mirror_sev(sev)) {
		sev_mirror_release(kvm);
		return;
	}

	WARN_ON(!list_empty(&sev->mirror_vms));
	sev_unregister_all_regions(kvm);
	if (sev_snp_guest(kvm)) {
		snp_guest_req_cleanup(kvm);
		/* a context the firmware kept keeps its ASID too */
		if (!snp_vm_destroy(kvm))
			return;
	} else if (!sev_context_stale(sev)) {
		/* (a gone PSP's handle may be another guest's now) */
		sev_unbind_asid(sev->handle);
	}
	sev_asid_free(sev);
}

int sev_vcpu_create(struct kvm_vcpu *vcpu)
{
	if (!sev_es_guest(vcpu->kvm))
		return 0;

	/* the VMSA: the vCPU's state, encrypted at LAUNCH_UPDATE_VMSA */
	vcpu->vmsa = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	/* where the GHCB of each VMGEXIT is read to (sev-ghcb.c) */
	vcpu->sev_es.ghcb_buf = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->vmsa || !vcpu->sev_es.ghcb_buf) {
		free_page((unsigned long)vcpu->vmsa);
		free_page((unsigned long)vcpu->sev_es.ghcb_buf);
		vcpu->vmsa = NULL;
		vcpu->sev_es.ghcb_buf = NULL;
		return -ENOMEM;
	}
	sev_es_vcpu_reset(vcpu);
	return 0;
}

void sev_vcpu_free(struct kvm_vcpu *vcpu)
{
	sev_es_unmap_ghcb(vcpu, false);
	free_page((unsigned long)vcpu->sev_es.ghcb_buf);
	vcpu->sev_es.ghcb_buf = NULL;

	/* an SNP guest's VMSA page the RMP still protects is leaked */
	if (sev_snp_guest(vcpu->kvm) && !snp_vcpu_free_vmsa(vcpu)) {
		vcpu->vmsa = NULL;
		return;
	}
	free_page((unsigned long)vcpu->vmsa);
	vcpu->vmsa = NULL;
}

/* Platform init, through the PSP driver and its one ordering policy. */
static int sev_platform_init_for_guest(int *error)
{
#ifdef SEV_PSP_KERNEL_HAS_PLATFORM_INIT_ARGS
	struct sev_platform_init_args init_args = { .probe = false };
	int ret;

	ret = sev_platform_init(&init_args);
	*error = init_args.error;
	return ret;
#else
	return sev_platform_init(error);
#endif
}

static int __sev_guest_init(struct kvm *kvm, struct kvm_sev_cmd *argp,
			    struct kvm_sev_init *data, unsigned long vm_type)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	bool es_active = vm_type != KVM_X86_SEV_VM;
	bool snp_active = vm_type == KVM_X86_SNP_VM;
	u64 valid_vmsa_features = es_active ? sev_supported_vmsa_features : 0;
	int ret;

	if (kvm->created_vcpus)
		return -EINVAL;
	if (data->flags)
		return -EINVAL;
	if (data->vmsa_features & ~valid_vmsa_features)
		return -EINVAL;
	if (data->ghcb_version > GHCB_VERSION_MAX ||
	    (!es_active && data->ghcb_version))
		return -EINVAL;
	if (es_active && !sev_es_enabled)
		return -ENOTTY;

	/* KVM handles all of GHCB version 2's mandatory features */
	if (es_active && !data->ghcb_version)
		data->ghcb_version = 2;
	if (unlikely(sev->active))
		return -EINVAL;

	sev->active = true;
	sev->es_active = es_active;
	sev->vmsa_features = data->vmsa_features;
	sev->ghcb_version = data->ghcb_version;
	if (snp_active)
		sev->vmsa_features |= SVM_SEV_FEAT_SNP_ACTIVE;

	ret = sev_asid_new(sev, vm_type);
	if (ret)
		goto e_no_asid;

	ret = sev_platform_init_for_guest(&argp->error);
	if (ret)
		goto e_free;

	sev->need_init = false;
	return 0;

e_free:
	sev_asid_free(sev);
e_no_asid:
	sev->vmsa_features = 0;
	sev->es_active = false;
	sev->active = false;
	return ret;
}

/* The legacy commands, for a KVM_X86_DEFAULT_VM only */
static int sev_guest_init(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_init data = {};
	unsigned long vm_type;

	if (kvm->vm_type != KVM_X86_DEFAULT_VM)
		return -EINVAL;

	vm_type = argp->id == KVM_SEV_INIT ? KVM_X86_SEV_VM : KVM_X86_SEV_ES_VM;
	/* KVM_SEV_ES_INIT stays at the GHCB protocol's version 1 */
	if (vm_type == KVM_X86_SEV_ES_VM)
		data.ghcb_version = 1;

	return __sev_guest_init(kvm, argp, &data, vm_type);
}

static int sev_guest_init2(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_init data;

	if (!to_kvm_sev_info(kvm)->need_init)
		return -EINVAL;
	if (kvm->vm_type != KVM_X86_SEV_VM &&
	    kvm->vm_type != KVM_X86_SEV_ES_VM &&
	    kvm->vm_type != KVM_X86_SNP_VM)
		return -EINVAL;
	if (copy_from_user(&data, u64_to_user_ptr(argp->data), sizeof(data)))
		return -EFAULT;

	return __sev_guest_init(kvm, argp, &data, kvm->vm_type);
}

/* A mirror runs vCPUs and reads state; launching is its owner's. */
static bool is_cmd_allowed_from_mirror(u32 cmd_id)
{
	return cmd_id == KVM_SEV_LAUNCH_UPDATE_VMSA ||
	       cmd_id == KVM_SEV_GUEST_STATUS ||
	       cmd_id == KVM_SEV_DBG_DECRYPT ||
	       cmd_id == KVM_SEV_DBG_ENCRYPT;
}

/**
 * sev_mem_enc_cmd_check() - may @kvm issue KVM_MEMORY_ENCRYPT_OP @cmd_id?
 * @kvm: the VM, locked
 * @cmd_id: the command's id (struct kvm_sev_cmd.id)
 *
 * What is decided before a command runs, on who the VM is: a mirror issues
 * only what is_cmd_allowed_from_mirror() allows, an SNP guest only the SNP
 * commands. The rest (the VM's type, its launch state) is each command's
 * to check, or the firmware's.
 *
 * Return: 0; -EINVAL for a mirror; -EPERM for an SNP guest.
 */
int sev_mem_enc_cmd_check(const struct kvm *kvm, u32 cmd_id)
{
	if (is_mirror_sev(&kvm->sev_info) && !is_cmd_allowed_from_mirror(cmd_id))
		return -EINVAL;
	if (sev_snp_guest(kvm) && cmd_id < KVM_SEV_SNP_LAUNCH_START)
		return -EPERM;
	return 0;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_mem_enc_cmd_check);

/*
 * One command, its rules checked (sev_mem_enc_cmd_check()) and @kvm locked.
 * Exported to the KUnit suite, which gives it VMs in any SEV state.
 */
int sev_do_mem_enc_cmd(struct kvm *kvm, struct kvm_sev_cmd *cmd)
{
	switch (cmd->id) {
	case KVM_SEV_ES_INIT:
		if (!sev_es_enabled)
			return -ENOTTY;
		fallthrough;
	case KVM_SEV_INIT:
		return sev_guest_init(kvm, cmd);
	case KVM_SEV_INIT2:
		return sev_guest_init2(kvm, cmd);
	case KVM_SEV_LAUNCH_START:
		return sev_launch_start(kvm, cmd);
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		return sev_launch_update_data(kvm, cmd);
	case KVM_SEV_LAUNCH_UPDATE_VMSA:
		return sev_launch_update_vmsa(kvm, cmd);
	case KVM_SEV_LAUNCH_MEASURE:
		return sev_launch_measure(kvm, cmd);
	case KVM_SEV_LAUNCH_FINISH:
		return sev_launch_finish(kvm, cmd);
	case KVM_SEV_GUEST_STATUS:
		return sev_guest_status(kvm, cmd);
	case KVM_SEV_DBG_DECRYPT:
		return sev_dbg_crypt(kvm, cmd, true);
	case KVM_SEV_DBG_ENCRYPT:
		return sev_dbg_crypt(kvm, cmd, false);
	case KVM_SEV_LAUNCH_SECRET:
		return sev_launch_secret(kvm, cmd);
	case KVM_SEV_GET_ATTESTATION_REPORT:
		return sev_get_attestation_report(kvm, cmd);
	case KVM_SEV_SNP_LAUNCH_START:
		return snp_launch_start(kvm, cmd);
	case KVM_SEV_SNP_LAUNCH_UPDATE:
		return snp_launch_update(kvm, cmd);
	case KVM_SEV_SNP_LAUNCH_FINISH:
		return snp_launch_finish(kvm, cmd);
	case KVM_SEV_SNP_ENABLE_REQ_CERTS:
		return snp_enable_req_certs(kvm, cmd);
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_do_mem_enc_cmd);

int sev_mem_enc_ioctl(struct kvm *kvm, void __user *argp)
{
	struct kvm_sev_cmd sev_cmd;
	int r;

	if (!argp)
		return 0;
	if (copy_from_user(&sev_cmd, argp, sizeof(sev_cmd)))
		return -EFAULT;

	mutex_lock(&kvm->lock);

	/*
	 * The VM's context may have moved away since the ioctl began (the
	 * move holds kvm->lock): dead, as the ioctl's own check would say
	 */
	if (READ_ONCE(kvm->vm_dead)) {
		r = -EIO;
		goto out;
	}
	r = sev_mem_enc_cmd_check(kvm, sev_cmd.id);
	if (r)
		goto out;

	r = sev_do_mem_enc_cmd(kvm, &sev_cmd);
	if (copy_to_user(argp, &sev_cmd, sizeof(sev_cmd)))
		r = -EFAULT;
out:
	mutex_unlock(&kvm->lock);
	return r;
}
