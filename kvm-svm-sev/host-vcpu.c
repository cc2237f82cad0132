// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs of the simulated host: KVM_CREATE_VCPU and the vCPU file (its
 * registers, CPUID table and GHCB MSR, KVM_RUN, and struct kvm_run mapped
 * at offset 0, the PIO data page after it).
 *
 * A vCPU starts in the architectural reset state (as KVM's vCPU reset);
 * the VMM may set its registers until its state is protected (an SEV-ES
 * or SNP VM's VMSA is encrypted), after which KVM refuses to read or write
 * them (-EINVAL). The registers themselves, and the VMSA built from them
 * at launch, are host-vcpu-regs.c's.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/svm.h>

#include "host.h"
#include "sev.h"

/* Registers of a protected vCPU belong to the guest. */
static bool kvm_vcpu_state_protected(struct kvm_vcpu *vcpu)
{
	return vcpu->kvm->vm_type != KVM_X86_DEFAULT_VM &&
	       vcpu->guest_state_protected;
}

/*
 * KVM_GET_MSRS and KVM_SET_MSRS, as KVM's msr_io(): the MSRs in order up
 * to the first this host does not have; their count. The one MSR is the
 * GHCB MSR of an SEV-ES or SNP vCPU, which stands in for the guest's
 * RDMSR and WRMSR (KVM's own host-initiated access has no such MSR): it
 * is there whether or not the vCPU's state is protected.
 */
static int kvm_vcpu_msr_io(struct kvm_vcpu *vcpu, struct kvm_msrs __user *argp,
			   bool set)
{
	struct kvm_msr_entry *entries;
	struct kvm_msrs msrs;
	size_t size;
	u32 i;
	int r;

	if (copy_from_user(&msrs, argp, sizeof(msrs)))
		return -EFAULT;
	if (msrs.nmsrs >= MAX_IO_MSRS)
		return -E2BIG;

	size = sizeof(*entries) * msrs.nmsrs;
	entries = memdup_user(argp->entries, size);
	if (IS_ERR(entries))
		return PTR_ERR(entries);

	for (i = 0; i < msrs.nmsrs; i++) {
		if (set ? sev_es_set_msr(vcpu, entries[i].index, entries[i].data) :
			  sev_es_get_msr(vcpu, entries[i].index, &entries[i].data))
			break;
	}
	r = i;
	if (!set && copy_to_user(argp->entries, entries, size))
		r = -EFAULT;
	kfree(entries);
	return r;
}

/*
 * KVM_RUN. No guest instruction runs here: the vCPU of an SEV-ES or SNP
 * guest whose state is protected performs one VMGEXIT, the one its GHCB
 * MSR describes, and KVM handles it as on hardware; or, after an exit the
 * VMM answered, KVM finishes that exit instead. An exit to the VMM
 * comes back with its exit reason; when the guest would resume, KVM_RUN
 * comes back as if a signal had stopped the guest right after
 * (KVM_EXIT_INTR, -EINTR), and the VMM enters it again.
 */
static int kvm_vcpu_run(struct kvm_host_vcpu *hv)
{
	struct kvm_vcpu *vcpu = &hv->vcpu;
	struct kvm_run *run = vcpu->run;
	int r;

	/* as KVM's svm_vcpu_pre_run() */
	if (to_kvm_sev_info(vcpu->kvm)->need_init)
		return -EINVAL;
	/* an AP creation request of another vCPU's takes effect */
	if (sev_snp_guest(vcpu->kvm)) {
		r = sev_snp_update_protected_guest_state(vcpu);
		if (r <= 0)
			return r;
	}
	/* guest code that is not behind a VMGEXIT cannot run here */
	if (!sev_es_guest(vcpu->kvm) || !vcpu->guest_state_protected)
		return -EOPNOTSUPP;

	run->exit_reason = KVM_EXIT_INTR;
	if (signal_pending(current))
		return -EINTR;

	hv->has_run = true;
	run->exit_reason = KVM_EXIT_UNKNOWN;
	if (vcpu->complete_userspace_io) {
		int (*cui)(struct kvm_vcpu *vcpu) = vcpu->complete_userspace_io;

		/* the VMM answered the last exit: finish it, then resume */
		vcpu->complete_userspace_io = NULL;
		r = cui(vcpu);
	} else {
		r = sev_handle_vmgexit(vcpu);
	}
	/*
	 * Entering the guest again gives it the GHCB's answer, as KVM's
	 * switch to the guest does; a failed KVM_RUN gives it none. An exit
	 * to the VMM keeps the GHCB until the next KVM_RUN finishes it.
	 */
	if (r)
		sev_es_unmap_ghcb(vcpu, r > 0);
	if (r > 0) {
		run->exit_reason = KVM_EXIT_INTR;
		r = -EINTR;
	}
	return r;
}

static long kvm_vcpu_ioctl_locked(struct kvm_host_vcpu *hv, unsigned int ioctl,
				  void __user *argp)
{
	struct kvm_vcpu *vcpu = &hv->vcpu;
	struct kvm_xsave *xsave;
	int r;

	switch (ioctl) {
	case KVM_GET_REGS:
		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		return copy_to_user(argp, &hv->regs, sizeof(hv->regs)) ?
		       -EFAULT : 0;
	case KVM_SET_REGS: {
		struct kvm_regs regs;

		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		if (copy_from_user(&regs, argp, sizeof(regs)))
			return -EFAULT;
		return kvm_vcpu_set_regs(hv, &regs);
	}
	case KVM_GET_SREGS:
		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		return copy_to_user(argp, &hv->sregs, sizeof(hv->sregs)) ?
		       -EFAULT : 0;
	case KVM_SET_SREGS: {
		struct kvm_sregs sregs;

		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		if (copy_from_user(&sregs, argp, sizeof(sregs)))
			return -EFAULT;
		return kvm_vcpu_set_sregs(hv, &sregs);
	}
	case KVM_SET_XSAVE:
		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		xsave = memdup_user(argp, sizeof(*xsave));
		if (IS_ERR(xsave))
			return PTR_ERR(xsave);
		r = kvm_vcpu_set_xsave(hv, xsave);
		kfree(xsave);
		return r;
	case KVM_GET_MSRS:
		return kvm_vcpu_msr_io(vcpu, argp, false);
	case KVM_SET_MSRS:
		return kvm_vcpu_msr_io(vcpu, argp, true);
	case KVM_SET_CPUID2:
		return kvm_vcpu_set_cpuid2(hv, argp);
	case KVM_GET_CPUID2:
		return kvm_vcpu_get_cpuid2(hv, argp);
	case KVM_RUN:
		if (argp)
			return -EINVAL;
		return kvm_vcpu_run(hv);
	default:
		return -ENOTTY;
	}
}

static long kvm_vcpu_ioctl(struct file *filp, unsigned int ioctl,
			   unsigned long arg)
{
	struct kvm_host_vcpu *hv = filp->private_data;
	long r;

	/* as KVM: the VM's memory is its creator's, and a dead VM's is gone */
	if (hv->vcpu.kvm->mm != current->mm || READ_ONCE(hv->vcpu.kvm->vm_dead))
		return -EIO;
	if (mutex_lock_killable(&hv->vcpu.mutex))
		return -EINTR;
	r = kvm_vcpu_ioctl_locked(hv, ioctl, (void __user *)arg);
	mutex_unlock(&hv->vcpu.mutex);
	return r;
}

static vm_fault_t kvm_vcpu_fault(struct vm_fault *vmf)
{
	struct kvm_host_vcpu *hv = vmf->vma->vm_file->private_data;

	if (vmf->pgoff == 0)
		vmf->page = virt_to_page(hv->vcpu.run);
	else if (vmf->pgoff == KVM_PIO_PAGE_OFFSET)
		vmf->page = virt_to_page(hv->vcpu.pio_data);
	else
		return VM_FAULT_SIGBUS;
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct kvm_vcpu_vm_ops = {
	.fault = kvm_vcpu_fault,
};

static int kvm_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &kvm_vcpu_vm_ops;
	return 0;
}

static int kvm_vcpu_release(struct inode *inode, struct file *filp)
{
	struct kvm_host_vcpu *hv = filp->private_data;

	kvm_put_kvm(hv->vcpu.kvm);
	return 0;
}

static const struct file_operations kvm_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = kvm_vcpu_release,
	.unlocked_ioctl = kvm_vcpu_ioctl,
	.mmap = kvm_vcpu_mmap,
	.llseek = noop_llseek,
};

int kvm_vm_ioctl_create_vcpu(struct kvm *kvm, unsigned long id)
{
	struct kvm_host_vcpu *hv;
	struct kvm_vcpu *vcpu;
	char name[24];
	int i, r, fd;

	if (id >= KVM_SEV_MAX_VCPUS)
		return -EINVAL;

	hv = kzalloc(sizeof(*hv), GFP_KERNEL_ACCOUNT);
	if (!hv)
		return -ENOMEM;
	vcpu = &hv->vcpu;
	vcpu->kvm = kvm;
	vcpu->vcpu_id = id;
	mutex_init(&vcpu->mutex);
	mutex_init(&vcpu->snp_vmsa_mutex);
	vcpu->sev_es.snp_vmsa_gpa = INVALID_PAGE;
	kvm_vcpu_reset_regs(hv);
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->pio_data = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run || !vcpu->pio_data) {
		r = -ENOMEM;
		goto free_run;
	}

	mutex_lock(&kvm->lock);
	if (kvm->created_vcpus >= KVM_SEV_MAX_VCPUS) {
		r = -EINVAL;
		goto unlock;
	}
	for (i = 0; i < atomic_read(&kvm->online_vcpus); i++) {
		if (kvm->vcpus[i]->vcpu_id == id) {
			r = -EEXIST;
			goto unlock;
		}
	}
	r = sev_vcpu_create(vcpu);
	if (r)
		goto unlock;

	snprintf(name, sizeof(name), "kvm-vcpu:%lu", id);
	kvm_get_kvm(kvm);
	fd = anon_inode_getfd(name, &kvm_vcpu_fops, hv, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		r = fd;
		sev_vcpu_free(vcpu);
		mutex_unlock(&kvm->lock);
		kvm_put_kvm(kvm);
		goto free_run;
	}
	kvm->created_vcpus++;
	vcpu->vcpu_idx = atomic_read(&kvm->online_vcpus);
	kvm->vcpus[vcpu->vcpu_idx] = vcpu;
	/* the vCPU is complete before anyone can find it */
	smp_wmb();
	atomic_inc(&kvm->online_vcpus);
	mutex_unlock(&kvm->lock);
	return fd;

unlock:
	mutex_unlock(&kvm->lock);
free_run:
	free_page((unsigned long)vcpu->run);
	free_page((unsigned long)vcpu->pio_data);
	kfree(hv);
	return r;
}
