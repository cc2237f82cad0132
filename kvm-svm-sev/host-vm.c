// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMs of the simulated host: KVM_CREATE_VM and the VM file, with KVM's
 * VM ioctls that SEV needs (memory slots, vCPUs, capabilities, the
 * KVM_MEMORY_ENCRYPT_* ioctls).
 *
 * A VM lives as long as its file and its vCPUs' files, and as long as any
 * mirror of it (struct kvm_sev_host_ops .get_vm/.put_vm). A VM whose
 * context moved away is dead: every ioctl is -EIO, as KVM's
 * kvm_vm_dead().
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <sev-psp/kernel-compat.h>
#include "host.h"
#include "sev.h"

/*
 * The memory slot flags a VMM may set, as KVM's check_memory_region_flags()
 * of 6.12: guest_memfd for a VM with private memory, and then neither
 * dirty logging nor read-only.
 */
static u32 kvm_valid_memslot_flags(struct kvm *kvm, u32 flags)
{
	if (!kvm_arch_has_private_mem(kvm))
		return KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY;
	if (flags & KVM_MEM_GUEST_MEMFD)
		return KVM_MEM_GUEST_MEMFD;
	return KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY | KVM_MEM_GUEST_MEMFD;
}

/* What the SEV code may ask of this host (sev_hardware_setup()) */
const struct kvm_sev_host_ops kvm_sev_host_ops = {
	.get_vm = kvm_get_kvm,
	.put_vm = kvm_put_kvm,
	.sync_vmsa = kvm_host_sync_vmsa,
	.gfn_has_gmem = kvm_gfn_has_gmem,
	.gmem_populate = kvm_gmem_populate,
	.cpuid = kvm_host_cpuid,
	.read_guest = kvm_read_guest,
	.write_guest = kvm_write_guest,
	.gmem_convert = kvm_gmem_convert,
};

/* The VM of a VM file, or NULL: how KVM's file_is_kvm() is used. */
static struct kvm *kvm_from_fd(struct fd f)
{
	if (!fd_file(f) || fd_file(f)->f_op != &kvm_vm_fops)
		return NULL;
	return fd_file(f)->private_data;
}

static int kvm_set_memory_region(struct kvm *kvm,
				 const struct kvm_userspace_memory_region2 *mem)
{
	struct kvm_memslot *slots = to_host_vm(kvm)->memslots, *slot;
	u64 npages = mem->memory_size >> PAGE_SHIFT, end;
	int i, r = 0;

	if (mem->flags & ~kvm_valid_memslot_flags(kvm, mem->flags))
		return -EINVAL;
	if (mem->slot >= KVM_SEV_USER_MEM_SLOTS)
		return -EINVAL;
	if (!PAGE_ALIGNED(mem->memory_size) ||
	    !PAGE_ALIGNED(mem->guest_phys_addr) ||
	    !PAGE_ALIGNED(mem->userspace_addr) ||
	    mem->memory_size != (unsigned long)mem->memory_size ||
	    check_add_overflow(mem->guest_phys_addr, mem->memory_size, &end) ||
	    !access_ok(u64_to_user_ptr(mem->userspace_addr), mem->memory_size))
		return -EINVAL;
	if ((mem->flags & KVM_MEM_GUEST_MEMFD) &&
	    (!PAGE_ALIGNED(mem->guest_memfd_offset) ||
	     mem->guest_memfd_offset + mem->memory_size <
	     mem->guest_memfd_offset))
		return -EINVAL;

	mutex_lock(&kvm->slots_lock);
	slot = &slots[mem->slot];
	if (!npages) {
		/* delete */
		if (!slot->npages)
			r = -EINVAL;
		else
			memset(slot, 0, sizeof(*slot));
		goto out;
	}
	if (slot->npages) {
		/* only the flags of a slot may change, never with guest_memfd */
		if ((mem->flags | slot->flags) & KVM_MEM_GUEST_MEMFD ||
		    slot->base_gfn != mem->guest_phys_addr >> PAGE_SHIFT ||
		    slot->npages != npages ||
		    slot->userspace_addr != mem->userspace_addr)
			r = -EINVAL;
		else
			slot->flags = mem->flags;
		goto out;
	}
	for (i = 0; i < KVM_SEV_USER_MEM_SLOTS; i++) {
		u64 base = slots[i].base_gfn;

		if (slots[i].npages &&
		    base < (end >> PAGE_SHIFT) &&
		    mem->guest_phys_addr >> PAGE_SHIFT < base + slots[i].npages) {
			r = -EEXIST;
			goto out;
		}
	}
	slot->base_gfn = mem->guest_phys_addr >> PAGE_SHIFT;
	slot->npages = npages;
	slot->userspace_addr = mem->userspace_addr;
	slot->flags = mem->flags;
	if (mem->flags & KVM_MEM_GUEST_MEMFD) {
		r = kvm_gmem_bind(kvm, slot, mem->guest_memfd,
				  mem->guest_memfd_offset);
		if (r)
			memset(slot, 0, sizeof(*slot));
	}
out:
	mutex_unlock(&kvm->slots_lock);
	return r;
}

static int kvm_vm_ioctl_enable_cap(struct kvm *kvm, struct kvm_enable_cap *cap)
{
	struct kvm *source;
	struct fd f;
	int r;

	if (cap->flags)
		return -EINVAL;

	switch (cap->cap) {
	case KVM_CAP_VM_COPY_ENC_CONTEXT_FROM:
	case KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM:
		f = fdget(cap->args[0]);
		source = kvm_from_fd(f);
		if (!source)
			r = -EBADF;
		else if (cap->cap == KVM_CAP_VM_COPY_ENC_CONTEXT_FROM)
			r = sev_vm_copy_enc_context_from(kvm, source);
		else
			r = sev_vm_move_enc_context_from(kvm, source);
		fdput(f);
		return r;
	case KVM_CAP_EXIT_HYPERCALL:
		if (cap->args[0] & ~BIT_ULL(KVM_HC_MAP_GPA_RANGE))
			return -EINVAL;
		mutex_lock(&kvm->lock);
		kvm->exit_hypercalls = cap->args[0];
		mutex_unlock(&kvm->lock);
		return 0;
	default:
		return -EINVAL;
	}
}

int kvm_vm_check_extension(struct kvm *kvm, long ext)
{
	switch (ext) {
	case KVM_CAP_VM_TYPES:
		return sev_supported_vm_types();
	case KVM_CAP_VM_COPY_ENC_CONTEXT_FROM:
	case KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM:
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_SYS_ATTRIBUTES:
		return 1;
	case KVM_CAP_EXIT_HYPERCALL:
		return BIT_ULL(KVM_HC_MAP_GPA_RANGE);
	case KVM_CAP_MEMORY_ATTRIBUTES:
		return kvm_supported_mem_attributes(kvm);
	case KVM_CAP_GUEST_MEMFD:
		return !kvm || kvm_arch_has_private_mem(kvm);
	case KVM_CAP_NR_MEMSLOTS:
		return KVM_SEV_USER_MEM_SLOTS;
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID:
		return KVM_SEV_MAX_VCPUS;
	default:
		return 0;
	}
}

static long kvm_vm_ioctl(struct file *filp, unsigned int ioctl,
			 unsigned long arg)
{
	struct kvm *kvm = filp->private_data;
	void __user *argp = (void __user *)arg;
	struct kvm_userspace_memory_region2 mem2 = {};
	struct kvm_create_guest_memfd gmem;
	struct kvm_memory_attributes attrs;
	struct kvm_enc_region region;
	struct kvm_enable_cap cap;

	if (READ_ONCE(kvm->vm_dead))
		return -EIO;

	switch (ioctl) {
	case KVM_CREATE_VCPU:
		return kvm_vm_ioctl_create_vcpu(kvm, arg);
	case KVM_CHECK_EXTENSION:
		return kvm_vm_check_extension(kvm, arg);
	case KVM_ENABLE_CAP:
		if (copy_from_user(&cap, argp, sizeof(cap)))
			return -EFAULT;
		return kvm_vm_ioctl_enable_cap(kvm, &cap);
	case KVM_SET_USER_MEMORY_REGION:
		/* the old struct is the new one's beginning */
		if (copy_from_user(&mem2, argp,
				   sizeof(struct kvm_userspace_memory_region)))
			return -EFAULT;
		/* the old call has no guest_memfd */
		if (mem2.flags & KVM_MEM_GUEST_MEMFD)
			return -EINVAL;
		return kvm_set_memory_region(kvm, &mem2);
	case KVM_SET_USER_MEMORY_REGION2:
		if (copy_from_user(&mem2, argp, sizeof(mem2)))
			return -EFAULT;
		return kvm_set_memory_region(kvm, &mem2);
	case KVM_CREATE_GUEST_MEMFD:
		if (copy_from_user(&gmem, argp, sizeof(gmem)))
			return -EFAULT;
		return kvm_gmem_create(kvm, &gmem);
	case KVM_SET_MEMORY_ATTRIBUTES:
		if (copy_from_user(&attrs, argp, sizeof(attrs)))
			return -EFAULT;
		return kvm_vm_ioctl_set_mem_attributes(kvm, &attrs);
	case KVM_MEMORY_ENCRYPT_OP:
		return sev_mem_enc_ioctl(kvm, argp);
	case KVM_MEMORY_ENCRYPT_REG_REGION:
		if (copy_from_user(&region, argp, sizeof(region)))
			return -EFAULT;
		return sev_mem_enc_register_region(kvm, &region);
	case KVM_MEMORY_ENCRYPT_UNREG_REGION:
		if (copy_from_user(&region, argp, sizeof(region)))
			return -EFAULT;
		return sev_mem_enc_unregister_region(kvm, &region);
	default:
		return -ENOTTY;
	}
}

static int kvm_vm_release(struct inode *inode, struct file *filp)
{
	kvm_vm_debugfs_remove(filp->private_data);
	kvm_put_kvm(filp->private_data);
	return 0;
}

const struct file_operations kvm_vm_fops = {
	.owner = THIS_MODULE,
	.release = kvm_vm_release,
	.unlocked_ioctl = kvm_vm_ioctl,
	.llseek = noop_llseek,
};

int kvm_dev_ioctl_create_vm(unsigned long type)
{
	struct kvm_host_vm *hvm;
	struct file *file;
	struct kvm *kvm;
	int fd;

	if (type > KVM_X86_SNP_VM || !(sev_supported_vm_types() & BIT(type)))
		return -EINVAL;

	hvm = kzalloc(sizeof(*hvm), GFP_KERNEL_ACCOUNT);
	if (!hvm)
		return -ENOMEM;
	kvm = &hvm->kvm;
	mutex_init(&kvm->lock);
	mutex_init(&kvm->slots_lock);
	xa_init(&hvm->mem_attr);
	kref_init(&kvm->users);
	kvm->vm_type = type;
	/* guest memory is the creator's: only its ioctls may reach it */
	kvm->mm = current->mm;
	mmgrab(kvm->mm);
	sev_vm_init(kvm);

	/*
	 * The VM is freed from a VM or vCPU file's release, and so while
	 * that file (.owner) still holds the module.
	 */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto fail;
	file = anon_inode_getfile("kvm-vm", &kvm_vm_fops, kvm,
				  O_RDWR | O_CLOEXEC);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto fail;
	}
	/* named after the fd, as KVM's: made before anyone can close it */
	kvm_vm_debugfs_create(kvm, fd);
	fd_install(fd, file);
	return fd;

fail:
	mmdrop(kvm->mm);
	kfree(hvm);
	return fd;
}
