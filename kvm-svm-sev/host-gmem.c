// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_memfd (KVM_CREATE_GUEST_MEMFD): memory for a VM's private pages
 * that belongs to the module, never to the VMM. Its file has no mmap, so
 * the VMM cannot reach a page the RMP may assign to the guest; a memory
 * slot created with KVM_MEM_GUEST_MEMFD takes its private pages from a
 * range of it (upstream KVM's virt/kvm/guest_memfd.c).
 *
 * Pages are allocated on first use and freed when the file goes. A page
 * the RMP still assigns (to the guest or, after a failed launch, to the
 * firmware) is first given back to the hypervisor by the SEV code; one it
 * cannot give back is leaked: freeing it would let the kernel use memory
 * the hardware protects.
 *
 * The file holds a reference on its VM, so the VM (and its guest context)
 * outlives it; the slots bound to it do not hold the file: its release
 * unbinds them, under kvm->slots_lock.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <sev-psp/kernel-compat.h>
#include "host.h"
#include "sev.h"

struct kvm_gmem {
	struct kvm *kvm;
	struct xarray pages;	/* index (offset >> PAGE_SHIFT): page */
	pgoff_t npages;		/* the file's size */
	struct mutex lock;	/* page allocation */
};

/* a page the guest has (populated): not given twice */
#define KVM_GMEM_PREPARED	XA_MARK_0

static const struct file_operations kvm_gmem_fops;

static int kvm_gmem_release(struct inode *inode, struct file *file)
{
	struct kvm_gmem *gmem = file->private_data;
	struct kvm *kvm = gmem->kvm;
	struct kvm_memslot *slot;
	struct page *page;
	unsigned long index;
	int i;

	mutex_lock(&kvm->slots_lock);
	for (i = 0; i < KVM_SEV_USER_MEM_SLOTS; i++) {
		slot = &to_host_vm(kvm)->memslots[i];
		if (slot->gmem == gmem)
			slot->gmem = NULL;
	}
	mutex_unlock(&kvm->slots_lock);

	xa_for_each(&gmem->pages, index, page) {
		/* back to the hypervisor in the RMP, or leaked */
		if (!sev_gmem_invalidate(kvm, page_to_pfn(page)))
			__free_page(page);
	}
	xa_destroy(&gmem->pages);
	mutex_destroy(&gmem->lock);
	kfree(gmem);
	kvm_put_kvm(kvm);
	return 0;
}

static const struct file_operations kvm_gmem_fops = {
	.owner = THIS_MODULE,
	.release = kvm_gmem_release,
	.llseek = noop_llseek,
};

int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args)
{
	struct kvm_gmem *gmem;
	int fd;

	if (!kvm_arch_has_private_mem(kvm))
		return -EINVAL;
	if (args->flags)
		return -EINVAL;
	if (!args->size || !PAGE_ALIGNED(args->size) ||
	    args->size > MAX_LFS_FILESIZE)
		return -EINVAL;

	gmem = kzalloc(sizeof(*gmem), GFP_KERNEL_ACCOUNT);
	if (!gmem)
		return -ENOMEM;
	gmem->kvm = kvm;
	gmem->npages = args->size >> PAGE_SHIFT;
	xa_init(&gmem->pages);
	mutex_init(&gmem->lock);

	kvm_get_kvm(kvm);
	fd = anon_inode_getfd("kvm-gmem", &kvm_gmem_fops, gmem,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		kvm_put_kvm(kvm);
		mutex_destroy(&gmem->lock);
		kfree(gmem);
	}
	return fd;
}

/*
 * Bind @slot to the guest_memfd @fd at @offset (KVM_SET_USER_MEMORY_REGION2
 * with KVM_MEM_GUEST_MEMFD); kvm->slots_lock held. The range must lie in
 * the file and overlap no other slot's range of it.
 */
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memslot *slot, unsigned int fd,
		  u64 offset)
{
	struct kvm_memslot *other;
	struct kvm_gmem *gmem;
	u64 start, end;
	struct fd f;
	int i, r = 0;

	lockdep_assert_held(&kvm->slots_lock);
	f = fdget(fd);
	if (!fd_file(f))
		return -EBADF;
	if (fd_file(f)->f_op != &kvm_gmem_fops) {
		r = -EINVAL;
		goto out;
	}
	gmem = fd_file(f)->private_data;
	start = offset >> PAGE_SHIFT;
	if (gmem->kvm != kvm || !PAGE_ALIGNED(offset) ||
	    check_add_overflow(start, slot->npages, &end) ||
	    end > gmem->npages) {
		r = -EINVAL;
		goto out;
	}
	/* a range of the file is one slot's (-EINVAL, as KVM) */
	for (i = 0; i < KVM_SEV_USER_MEM_SLOTS; i++) {
		other = &to_host_vm(kvm)->memslots[i];
		if (other != slot && other->gmem == gmem &&
		    start < other->gmem_pgoff + other->npages &&
		    other->gmem_pgoff < end) {
			r = -EINVAL;
			goto out;
		}
	}
	slot->gmem = gmem;
	slot->gmem_pgoff = start;
out:
	fdput(f);
	return r;
}

bool kvm_gfn_has_gmem(struct kvm *kvm, u64 gfn)
{
	struct kvm_memslot *slot;
	bool ret;

	mutex_lock(&kvm->slots_lock);
	slot = kvm_gfn_to_memslot(kvm, gfn);
	ret = slot && slot->gmem;
	mutex_unlock(&kvm->slots_lock);
	return ret;
}

/* The page of @index, allocated (zeroed) on first use */
static struct page *kvm_gmem_get_page(struct kvm_gmem *gmem, pgoff_t index)
{
	struct page *page;
	int r;

	mutex_lock(&gmem->lock);
	page = xa_load(&gmem->pages, index);
	if (page)
		goto out;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page) {
		page = ERR_PTR(-ENOMEM);
		goto out;
	}
	r = xa_err(xa_store(&gmem->pages, index, page, GFP_KERNEL_ACCOUNT));
	if (r) {
		__free_page(page);
		page = ERR_PTR(r);
	}
out:
	mutex_unlock(&gmem->lock);
	return page;
}

/*
 * KVM's kvm_gmem_populate(): for each of @npages guest pages from @gfn,
 * its guest_memfd page, handed to @fn(@kvm, gfn, pfn, @opaque), which
 * makes it the guest's (SNP_LAUNCH_UPDATE). The slot of @gfn must be bound
 * to a guest_memfd (-EINVAL) and the range stops at its end. Each page
 * must be private (-EINVAL) and not given before (-EEXIST). Returns the
 * number of pages done, or the error when it was on the first page.
 * kvm->lock held (the SEV command's).
 */
long kvm_gmem_populate(struct kvm *kvm, u64 gfn, unsigned long npages,
		       int (*fn)(struct kvm *kvm, u64 gfn, u64 pfn,
				 void *opaque),
		       void *opaque)
{
	struct kvm_memslot *slot;
	struct kvm_gmem *gmem;
	struct page *page;
	unsigned long i;
	pgoff_t index;
	int r = 0;

	if (WARN_ON_ONCE(!npages))
		return -EINVAL;

	mutex_lock(&kvm->slots_lock);
	slot = kvm_gfn_to_memslot(kvm, gfn);
	if (!slot || !slot->gmem) {
		r = -EINVAL;
		goto out;
	}
	gmem = slot->gmem;
	npages = min_t(u64, npages, slot->base_gfn + slot->npages - gfn);

	for (i = 0; i < npages; i++, gfn++) {
		if (signal_pending(current)) {
			r = -EINTR;
			break;
		}
		index = slot->gmem_pgoff + gfn - slot->base_gfn;
		page = kvm_gmem_get_page(gmem, index);
		if (IS_ERR(page)) {
			r = PTR_ERR(page);
			break;
		}
		if (xa_get_mark(&gmem->pages, index, KVM_GMEM_PREPARED)) {
			r = -EEXIST;
			break;
		}
		if (!kvm_gfn_is_private(kvm, gfn)) {
			r = -EINVAL;
			break;
		}
		r = fn(kvm, gfn, page_to_pfn(page), opaque);
		if (r)
			break;
		xa_set_mark(&gmem->pages, index, KVM_GMEM_PREPARED);
		cond_resched();
	}
out:
	mutex_unlock(&kvm->slots_lock);
	return r && !i ? r : i;
}

/* The page of @index goes: back to the hypervisor in the RMP, or leaked */
static void kvm_gmem_discard(struct kvm *kvm, struct kvm_gmem *gmem,
			     pgoff_t index)
{
	struct page *page;

	mutex_lock(&gmem->lock);
	page = xa_erase(&gmem->pages, index);
	mutex_unlock(&gmem->lock);
	if (page && !sev_gmem_invalidate(kvm, page_to_pfn(page)))
		__free_page(page);
}

/*
 * A page state change the VMM has made, as the guest's next access finds
 * it. To private (KVM's kvm_gmem_get_pfn() and its prepare step): each
 * private frame's guest_memfd page, allocated if need be, is given to
 * sev_gmem_prepare() once. To shared: each frame now shared has its
 * guest_memfd page freed, back to the hypervisor in the RMP first, as
 * QEMU frees it with fallocate(PUNCH_HOLE) on upstream KVM (a guest_memfd
 * here is an anonymous inode, which fallocate() does not take); a later
 * change to private gets a new, zeroed page, as there. Frames without a
 * guest_memfd, or whose attribute the VMM did not change, are left.
 * Under kvm->slots_lock, so slots and attributes hold still. 0 or the
 * first error.
 */
int kvm_gmem_convert(struct kvm *kvm, u64 gfn, unsigned long npages,
		     bool private)
{
	struct kvm_memslot *slot;
	struct page *page;
	pgoff_t index;
	int r = 0;

	mutex_lock(&kvm->slots_lock);
	for (; npages; npages--, gfn++) {
		cond_resched();
		slot = kvm_gfn_to_memslot(kvm, gfn);
		if (!slot || !slot->gmem ||
		    kvm_gfn_is_private(kvm, gfn) != private)
			continue;
		index = slot->gmem_pgoff + gfn - slot->base_gfn;
		if (!private) {
			kvm_gmem_discard(kvm, slot->gmem, index);
			continue;
		}
		page = kvm_gmem_get_page(slot->gmem, index);
		if (IS_ERR(page)) {
			r = PTR_ERR(page);
			break;
		}
		if (xa_get_mark(&slot->gmem->pages, index, KVM_GMEM_PREPARED))
			continue;
		r = sev_gmem_prepare(kvm, gfn, page_to_pfn(page));
		if (r)
			break;
		xa_set_mark(&slot->gmem->pages, index, KVM_GMEM_PREPARED);
	}
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/*
 * The page of private frame @gfn as the guest sees it, into @dst (a page):
 * only a frame that is private now and whose guest_memfd page the guest
 * has (launched, or made private since); else -EIO. For host-debugfs.c's
 * private_mem.
 */
int kvm_gmem_read_private(struct kvm *kvm, u64 gfn, void *dst)
{
	struct kvm_memslot *slot;
	struct page *page = NULL;
	pgoff_t index;
	int r = -EIO;

	mutex_lock(&kvm->slots_lock);
	slot = kvm_gfn_to_memslot(kvm, gfn);
	if (!slot || !slot->gmem || !kvm_gfn_is_private(kvm, gfn))
		goto out;
	index = slot->gmem_pgoff + gfn - slot->base_gfn;
	mutex_lock(&slot->gmem->lock);
	if (xa_get_mark(&slot->gmem->pages, index, KVM_GMEM_PREPARED))
		page = xa_load(&slot->gmem->pages, index);
	if (page) {
		memcpy_from_page(dst, page, 0, PAGE_SIZE);
		r = 0;
	}
	mutex_unlock(&slot->gmem->lock);
out:
	mutex_unlock(&kvm->slots_lock);
	return r;
}
