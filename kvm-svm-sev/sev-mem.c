// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware commands on behalf of a VM, and the VMM memory they work on.
 *
 * Every command goes through the /dev/sev fd the VMM named: the PSP driver
 * checks that it is one (-EBADF otherwise), which is how the VMM proves it
 * may use the PSP at all.
 *
 * SEV (not SNP) guest memory is the VMM's own: a command that encrypts or
 * reads it in place gets its physical pages, pinned for the call (or, for
 * KVM_MEMORY_ENCRYPT_REG_REGION, for as long as the VMM keeps the region).
 * Pins count against RLIMIT_MEMLOCK unless the VMM has CAP_IPC_LOCK.
 */
#include <linux/file.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/smp.h>

#include <sev-psp/api.h>
#include <sev-psp/kernel-compat.h>
#include "sev.h"

/* The host's operations, given once by sev_hardware_setup() */
const struct kvm_sev_host_ops *kvm_sev_host;

struct enc_region {
	struct list_head list;
	unsigned long npages;
	struct page **pages;
	unsigned long uaddr;
	unsigned long size;
};

int __sev_issue_cmd(int fd, int id, void *data, int *error)
{
	struct fd f = fdget(fd);
	int ret;

	if (!fd_file(f))
		return -EBADF;
	ret = sev_issue_cmd_external_user(fd_file(f), id, data, error);
	fdput(f);
	return ret;
}

/*
 * Was the VM's firmware context made by a PSP that is gone (removed, maybe
 * another one added since)? Then the firmware there is knows nothing of
 * it, or knows its handle as another guest's.
 */
bool sev_context_stale(const struct kvm_sev_info *sev)
{
	return sev->psp_epoch && sev->psp_epoch != sev_psp_epoch();
}

/*
 * A command for the VM's context: never to a firmware that did not make
 * it. A stale context is gone, as the VM with it: -EIO (as a dead VM's)
 * with no firmware status, and nothing was sent (unlike -ENODEV, a
 * command abandoned in the mailbox).
 */
int sev_issue_cmd(struct kvm *kvm, int id, void *data, int *error)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);

	if (sev_context_stale(sev)) {
		if (error)
			*error = 0;
		return -EIO;
	}
	return __sev_issue_cmd(sev->fd, id, data, error);
}

/* The VMM's pages at [uaddr, uaddr + ulen), pinned; *n of them. */
struct page **sev_pin_memory(struct kvm *kvm, unsigned long uaddr,
			     unsigned long ulen, unsigned long *n,
			     unsigned int flags)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	unsigned long npages, first, last, locked, lock_limit, end;
	struct page **pages;
	long npinned;

	if (!ulen || check_add_overflow(uaddr, ulen - 1, &end))
		return ERR_PTR(-EINVAL);

	first = uaddr >> PAGE_SHIFT;
	last = end >> PAGE_SHIFT;
	npages = last - first + 1;
	if (npages > INT_MAX)
		return ERR_PTR(-EINVAL);

	locked = sev->pages_locked + npages;
	lock_limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	if (locked > lock_limit && !capable(CAP_IPC_LOCK)) {
		pr_err_ratelimited("kvm-sev: %lu pages would be locked, limit %lu\n",
				   locked, lock_limit);
		return ERR_PTR(-ENOMEM);
	}

	/*
	 * The VMM says how many: an array kvmalloc() refuses (over INT_MAX
	 * bytes) is -ENOMEM, as upstream's __vmalloc() failing, not a WARN
	 */
	pages = kvcalloc(npages, sizeof(*pages),
			 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages)
		return ERR_PTR(-ENOMEM);

	npinned = pin_user_pages_fast(uaddr, npages, flags, pages);
	if (npinned != npages) {
		if (npinned > 0)
			unpin_user_pages(pages, npinned);
		kvfree(pages);
		return ERR_PTR(-ENOMEM);
	}

	*n = npages;
	sev->pages_locked = locked;
	return pages;
}

void sev_unpin_memory(struct kvm *kvm, struct page **pages,
		      unsigned long npages)
{
	unpin_user_pages(pages, npages);
	kvfree(pages);
	to_kvm_sev_info(kvm)->pages_locked -= npages;
}

/*
 * Pages of a command that did not finish (sev_cmd_unfinished()): the
 * firmware may still write them, so they stay pinned for good, and their
 * array with them; kmemleak is told that this is no leak.
 */
void sev_abandon_pinned(struct page **pages)
{
	kmemleak_not_leak(pages);
}

/* How many pages from @idx on are physically contiguous. */
unsigned long get_num_contig_pages(unsigned long idx, struct page **inpages,
				   unsigned long npages)
{
	unsigned long paddr, next_paddr;
	unsigned long i = idx + 1, pages = 1;

	paddr = page_to_pfn(inpages[idx]);
	while (i < npages) {
		next_paddr = page_to_pfn(inpages[i++]);
		if (paddr + 1 != next_paddr)
			break;
		pages++;
		paddr = next_paddr;
	}
	return pages;
}

/* A blob for the firmware from the VMM: at most SEV_FW_BLOB_MAX_SIZE. */
void *sev_copy_user_blob(u64 uaddr, u32 len)
{
	if (!uaddr || !len || len > SEV_FW_BLOB_MAX_SIZE)
		return ERR_PTR(-EINVAL);
	return memdup_user(u64_to_user_ptr(uaddr), len);
}

int sev_mem_enc_register_region(struct kvm *kvm, struct kvm_enc_region *range)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct enc_region *region;
	int ret = 0;

	if (range->addr > ULONG_MAX || range->size > ULONG_MAX)
		return -EINVAL;

	region = kzalloc(sizeof(*region), GFP_KERNEL_ACCOUNT);
	if (!region)
		return -ENOMEM;

	mutex_lock(&kvm->lock);
	/* A mirror does not own the encrypted memory */
	if (!sev_guest(kvm)) {
		ret = -ENOTTY;
		goto out;
	}
	if (is_mirror_sev(sev)) {
		ret = -EINVAL;
		goto out;
	}
	region->pages = sev_pin_memory(kvm, range->addr, range->size,
				       &region->npages,
				       FOLL_WRITE | FOLL_LONGTERM);
	if (IS_ERR(region->pages)) {
		ret = PTR_ERR(region->pages);
		goto out;
	}
	region->uaddr = range->addr;
	region->size = range->size;
	list_add_tail(&region->list, &sev->regions_list);
	region = NULL;
out:
	mutex_unlock(&kvm->lock);
	kfree(region);
	return ret;
}

static void __unregister_enc_region_locked(struct kvm *kvm,
					   struct enc_region *region)
{
	sev_unpin_memory(kvm, region->pages, region->npages);
	list_del(&region->list);
	kfree(region);
}

int sev_mem_enc_unregister_region(struct kvm *kvm,
				  struct kvm_enc_region *range)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct enc_region *region;
	int ret = -EINVAL;

	mutex_lock(&kvm->lock);
	if (!sev_guest(kvm)) {
		ret = -ENOTTY;
		goto out;
	}
	if (is_mirror_sev(sev))
		goto out;
	list_for_each_entry(region, &sev->regions_list, list) {
		if (region->uaddr == range->addr &&
		    region->size == range->size) {
			/* the guest's lines out of the caches first */
			wbinvd_on_all_cpus();
			__unregister_enc_region_locked(kvm, region);
			ret = 0;
			break;
		}
	}
out:
	mutex_unlock(&kvm->lock);
	return ret;
}

/* At VM destruction: every region the VMM left registered. */
void sev_unregister_all_regions(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct enc_region *region, *tmp;

	if (list_empty(&sev->regions_list))
		return;
	wbinvd_on_all_cpus();
	list_for_each_entry_safe(region, tmp, &sev->regions_list, list)
		__unregister_enc_region_locked(kvm, region);
}
