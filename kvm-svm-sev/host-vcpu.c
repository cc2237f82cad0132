// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs of the simulated host: KVM_CREATE_VCPU and the vCPU file (its
 * registers, and struct kvm_run mapped at offset 0).
 *
 * A vCPU starts in the architectural reset state (as KVM's vCPU reset);
 * the VMM may set its registers until its state is protected (an SEV-ES
 * or SNP VM's VMSA is encrypted), after which KVM refuses to read or write
 * them (-EINVAL). The VMSA is built from these registers at launch.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/svm.h>

#include "host.h"
#include "sev.h"

static void kvm_vcpu_reset(struct kvm_host_vcpu *hv)
{
	struct kvm_sregs *s = &hv->sregs;
	struct kvm_segment *seg[] = { &s->ds, &s->es, &s->fs, &s->gs, &s->ss };
	int i;

	memset(&hv->regs, 0, sizeof(hv->regs));
	memset(s, 0, sizeof(*s));
	hv->regs.rip = 0xfff0;
	hv->regs.rflags = 0x2;
	hv->regs.rdx = 0x00a00f11;	/* a family 0x19 CPU's signature */

	s->cs = (struct kvm_segment){ .base = 0xffff0000, .limit = 0xffff,
		.selector = 0xf000, .type = 0xb, .present = 1, .s = 1 };
	for (i = 0; i < ARRAY_SIZE(seg); i++)
		*seg[i] = (struct kvm_segment){ .limit = 0xffff, .type = 0x3,
			.present = 1, .s = 1 };
	s->ldt = (struct kvm_segment){ .limit = 0xffff, .type = 0x2,
		.present = 1 };
	s->tr = (struct kvm_segment){ .limit = 0xffff, .type = 0xb,
		.present = 1 };
	s->gdt.limit = 0xffff;
	s->idt.limit = 0xffff;
	s->cr0 = 0x60000010;
	hv->fcw = 0x37f;
	hv->mxcsr = 0x1f80;
	hv->xcr0 = 1;
}

static void vmsa_seg(struct vmcb_seg *v, const struct kvm_segment *s)
{
	v->selector = s->selector;
	v->attrib = s->type | s->s << 4 | s->dpl << 5 | s->present << 7 |
		    s->avl << 8 | s->l << 9 | s->db << 10 | s->g << 11;
	v->limit = s->limit;
	v->base = s->base;
}

/* The VMSA's initial contents, as KVM's sev_es_sync_vmsa() */
void kvm_host_sync_vmsa(struct kvm_vcpu *vcpu, struct sev_es_save_area *save)
{
	struct kvm_host_vcpu *hv = to_host_vcpu(vcpu);
	const struct kvm_sregs *s = &hv->sregs;
	const struct kvm_regs *r = &hv->regs;

	memset(save, 0, PAGE_SIZE);
	vmsa_seg(&save->es, &s->es);
	vmsa_seg(&save->cs, &s->cs);
	vmsa_seg(&save->ss, &s->ss);
	vmsa_seg(&save->ds, &s->ds);
	vmsa_seg(&save->fs, &s->fs);
	vmsa_seg(&save->gs, &s->gs);
	vmsa_seg(&save->ldtr, &s->ldt);
	vmsa_seg(&save->tr, &s->tr);
	save->gdtr.limit = s->gdt.limit;
	save->gdtr.base = s->gdt.base;
	save->idtr.limit = s->idt.limit;
	save->idtr.base = s->idt.base;
	save->efer = s->efer | EFER_SVME;
	save->cr0 = s->cr0;
	save->cr3 = s->cr3;
	save->cr4 = s->cr4;
	save->dr6 = 0xffff0ff0;
	save->dr7 = 0x400;
	save->rflags = r->rflags;
	save->rip = r->rip;
	save->rsp = r->rsp;
	save->rax = r->rax;
	save->rbx = r->rbx;
	save->rcx = r->rcx;
	save->rdx = r->rdx;
	save->rbp = r->rbp;
	save->rsi = r->rsi;
	save->rdi = r->rdi;
	save->r8 = r->r8;
	save->r9 = r->r9;
	save->r10 = r->r10;
	save->r11 = r->r11;
	save->r12 = r->r12;
	save->r13 = r->r13;
	save->r14 = r->r14;
	save->r15 = r->r15;
	save->g_pat = 0x0007040600070406ULL;	/* the reset PAT */
	save->xcr0 = hv->xcr0;
	save->x87_fcw = hv->fcw;
	save->mxcsr = hv->mxcsr;
}

/* Registers of a protected vCPU belong to the guest. */
static bool kvm_vcpu_state_protected(struct kvm_vcpu *vcpu)
{
	return vcpu->kvm->vm_type != KVM_X86_DEFAULT_VM &&
	       vcpu->guest_state_protected;
}

static long kvm_vcpu_ioctl_locked(struct kvm_host_vcpu *hv, unsigned int ioctl,
				  void __user *argp)
{
	struct kvm_vcpu *vcpu = &hv->vcpu;
	struct kvm_xsave *xsave;

	switch (ioctl) {
	case KVM_GET_REGS:
		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		return copy_to_user(argp, &hv->regs, sizeof(hv->regs)) ?
		       -EFAULT : 0;
	case KVM_SET_REGS:
		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		return copy_from_user(&hv->regs, argp, sizeof(hv->regs)) ?
		       -EFAULT : 0;
	case KVM_GET_SREGS:
		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		return copy_to_user(argp, &hv->sregs, sizeof(hv->sregs)) ?
		       -EFAULT : 0;
	case KVM_SET_SREGS:
		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		return copy_from_user(&hv->sregs, argp, sizeof(hv->sregs)) ?
		       -EFAULT : 0;
	case KVM_SET_XSAVE:
		if (kvm_vcpu_state_protected(vcpu))
			return -EINVAL;
		xsave = memdup_user(argp, sizeof(*xsave));
		if (IS_ERR(xsave))
			return PTR_ERR(xsave);
		/* the legacy area's FCW and MXCSR, as the VMSA holds them */
		hv->fcw = xsave->region[0] & 0xffff;
		hv->mxcsr = xsave->region[6];
		kfree(xsave);
		return 0;
	case KVM_RUN:
		/*
		 * No guest instruction can run here; a vCPU runs by handling
		 * the VMGEXIT its GHCB describes, which this host does not do
		 * yet.
		 */
		return -EOPNOTSUPP;
	default:
		return -ENOTTY;
	}
}

static long kvm_vcpu_ioctl(struct file *filp, unsigned int ioctl,
			   unsigned long arg)
{
	struct kvm_host_vcpu *hv = filp->private_data;
	long r;

	if (READ_ONCE(hv->vcpu.kvm->vm_dead))
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

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(hv->vcpu.run);
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
	kvm_vcpu_reset(hv);
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run) {
		r = -ENOMEM;
		goto free_vcpu;
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
free_vcpu:
	kfree(hv);
	return r;
}
