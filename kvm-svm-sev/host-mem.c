// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VM's guest physical memory as the host sees it: which slot holds a
 * guest frame, and which frames are private (KVM_SET_MEMORY_ATTRIBUTES),
 * as KVM's kvm_main.c. Attributes need no slot: a VMM may set them before
 * or after it adds the memory.
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "host.h"

/* Can this VM have private memory (KVM_MEM_GUEST_MEMFD, attributes)? */
bool kvm_arch_has_private_mem(struct kvm *kvm)
{
	return kvm->vm_type == KVM_X86_SNP_VM;
}

/* The slot that holds @gfn, or NULL; kvm->slots_lock held. */
struct kvm_memslot *kvm_gfn_to_memslot(struct kvm *kvm, u64 gfn)
{
	struct kvm_memslot *slot;
	int i;

	lockdep_assert_held(&kvm->slots_lock);
	for (i = 0; i < KVM_SEV_USER_MEM_SLOTS; i++) {
		slot = &to_host_vm(kvm)->memslots[i];
		if (slot->npages && gfn >= slot->base_gfn &&
		    gfn - slot->base_gfn < slot->npages)
			return slot;
	}
	return NULL;
}

/* Is @gfn private? kvm->slots_lock held. */
bool kvm_gfn_is_private(struct kvm *kvm, u64 gfn)
{
	void *entry;

	lockdep_assert_held(&kvm->slots_lock);
	entry = xa_load(&to_host_vm(kvm)->mem_attr, gfn);
	return entry && (xa_to_value(entry) & KVM_MEMORY_ATTRIBUTE_PRIVATE);
}

/* The attributes this VM (or, for NULL, any VM) may have */
u64 kvm_supported_mem_attributes(struct kvm *kvm)
{
	if (!kvm || kvm_arch_has_private_mem(kvm))
		return KVM_MEMORY_ATTRIBUTE_PRIVATE;
	return 0;
}

/*
 * Every reservation is made before the first store, so a range is either
 * all set or, on -ENOMEM or a fatal signal, left as it was. A range may
 * span the whole guest physical address space: clearing visits only the
 * frames that have attributes, and every loop over a range yields.
 */
int kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm,
				    const struct kvm_memory_attributes *attrs)
{
	struct xarray *xa = &to_host_vm(kvm)->mem_attr;
	u64 start, end, gfn, last;
	unsigned long index;
	void *entry, *old;
	int r = 0;

	if (attrs->flags)
		return -EINVAL;
	if (attrs->attributes & ~kvm_supported_mem_attributes(kvm))
		return -EINVAL;
	if (!attrs->size ||
	    check_add_overflow(attrs->address, attrs->size, &last))
		return -EINVAL;
	if (!PAGE_ALIGNED(attrs->address) || !PAGE_ALIGNED(attrs->size))
		return -EINVAL;
	start = attrs->address >> PAGE_SHIFT;
	end = last >> PAGE_SHIFT;

	entry = attrs->attributes ? xa_mk_value(attrs->attributes) : NULL;
	mutex_lock(&kvm->slots_lock);
	if (!entry) {
		xa_for_each_range(xa, index, old, start, end - 1) {
			xa_erase(xa, index);
			cond_resched();
		}
		goto out;
	}
	for (gfn = start; gfn < end; gfn++) {
		r = xa_reserve(xa, gfn, GFP_KERNEL_ACCOUNT);
		if (r)
			break;
		if (fatal_signal_pending(current)) {
			r = -EINTR;
			break;
		}
		cond_resched();
	}
	if (r) {
		/* reserved entries read as NULL: drop ours again */
		for (last = start; last < gfn; last++) {
			xa_release(xa, last);
			cond_resched();
		}
		goto out;
	}
	for (gfn = start; gfn < end; gfn++) {
		xa_store(xa, gfn, entry, GFP_KERNEL_ACCOUNT);
		cond_resched();
	}
out:
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/*
 * Guest memory through the VMM's mapping of its slots, as KVM's
 * kvm_read_guest() and kvm_write_guest(): page by page, each in a slot;
 * 0, or -EFAULT for a frame no slot holds or a mapping the VMM took away.
 * Called from the VMM's own ioctls (kvm->mm is current's), slots_lock not
 * held: it is taken here, and the VMM's page faults nest inside it.
 */
static int kvm_guest_copy(struct kvm *kvm, u64 gpa, void *data,
			  unsigned long len, bool write)
{
	struct kvm_memslot *slot;
	unsigned long seg, left;
	void __user *hva;
	u64 gfn, last;
	int r = 0;

	if (check_add_overflow(gpa, (u64)len, &last))
		return -EFAULT;

	mutex_lock(&kvm->slots_lock);
	while (len) {
		gfn = gpa >> PAGE_SHIFT;
		seg = min_t(unsigned long, len, PAGE_SIZE - offset_in_page(gpa));
		slot = kvm_gfn_to_memslot(kvm, gfn);
		if (!slot) {
			r = -EFAULT;
			break;
		}
		hva = (void __user *)(slot->userspace_addr +
				      ((gfn - slot->base_gfn) << PAGE_SHIFT) +
				      offset_in_page(gpa));
		left = write ? copy_to_user(hva, data, seg) :
			       copy_from_user(data, hva, seg);
		if (left) {
			r = -EFAULT;
			break;
		}
		gpa += seg;
		data += seg;
		len -= seg;
	}
	mutex_unlock(&kvm->slots_lock);
	return r;
}

int kvm_read_guest(struct kvm *kvm, u64 gpa, void *data, unsigned long len)
{
	return kvm_guest_copy(kvm, gpa, data, len, false);
}

int kvm_write_guest(struct kvm *kvm, u64 gpa, const void *data,
		    unsigned long len)
{
	return kvm_guest_copy(kvm, gpa, (void *)data, len, true);
}
