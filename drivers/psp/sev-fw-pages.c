// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware pages: memory the driver hands to the firmware.
 *
 * Before SNP is initialised these are ordinary pages. Once it is, the
 * firmware only writes pages the RMP shows as firmware-owned (assigned to
 * ASID 0, immutable), so each page is made so before use. Getting a page
 * back takes SNP_PAGE_RECLAIM and an RMPUPDATE to the hypervisor; a page
 * for which either fails is still the firmware's and must never reach the
 * page allocator again: it is leaked on purpose, counted and reported.
 *
 * All with sev_device.cmd_mutex held, since reclaiming issues commands.
 * PAGE_RECLAIM goes straight to the mailbox: it is an SNP command (never
 * bounced) that changes no NV state, and the command layer (sev-issue.c)
 * itself uses these pages, so this file sits below it.
 */
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "psp.h"
#include "sev_psp_trace.h"
#include <sev-psp/platform.h>

/*
 * Whole 2 MiB chunks of a firmware allocation use one 2 MiB RMP entry:
 * one RMPUPDATE and one PAGE_RECLAIM instead of 512 each.
 */
static unsigned long sev_fw_step(u64 pfn, unsigned long left)
{
	return IS_ALIGNED(pfn, RMP_2M_PAGES) && left >= RMP_2M_PAGES ?
	       RMP_2M_PAGES : 1;
}

/* Give [pfn, pfn + n) back to the hypervisor; the count left undone. */
unsigned long __sev_reclaim_pages(struct sev_device *sev, u64 pfn,
				  unsigned long n)
{
	unsigned long i, step;
	int ret, error;

	for (i = 0; i < n; i += step) {
		struct sev_data_snp_page_reclaim data;
		int size;

		step = sev_fw_step(pfn + i, n - i);
		size = step > 1 ? RMP_PG_SIZE_2M : RMP_PG_SIZE_4K;
		data.paddr = PFN_PHYS(pfn + i) | size;
		ret = psp_mbox_cmd(sev_to_psp(sev), SEV_CMD_SNP_PAGE_RECLAIM,
				   &data, sizeof(data), &error);
		if (ret) {
			dev_err(sev_to_psp(sev)->be.dev,
				"SNP: PAGE_RECLAIM of pfn %#llx failed: %d, error %#x\n",
				pfn + i, ret, error);
			break;
		}
		if (sev_rmp_make_shared(pfn + i, size))
			break;
	}
	if (i)
		trace_sev_psp_fw_pages(SEV_FW_PAGES_RECLAIMED, pfn, i);
	return n - i;
}

void __sev_leak_pages(struct sev_device *sev, u64 pfn, unsigned long n)
{
	trace_sev_psp_fw_pages(SEV_FW_PAGES_LEAKED, pfn, n);
	sev->leaked_pages += n;
	dev_warn(sev_to_psp(sev)->be.dev,
		 "SNP: leaking %lu firmware page(s) at pfn %#llx (%llu in all): the firmware may still own them\n",
		 n, pfn, sev->leaked_pages);
}

/*
 * Leak pages the driver does not own (a caller's memory the firmware
 * worked on in place): a reference on each keeps them off the page
 * allocator whatever their owner does with them after.
 */
void __sev_leak_caller_pages(struct sev_device *sev, u64 pfn, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (pfn_valid(pfn + i))
			get_page(pfn_to_page(pfn + i));
	__sev_leak_pages(sev, pfn, n);
}

/*
 * Make [@pfn, @pfn + @n) firmware-owned in the steps __sev_reclaim_pages()
 * gives them back in (one 2 MiB entry for each whole aligned chunk).
 * Return: how many were made so, fewer than @n when an RMPUPDATE failed.
 */
unsigned long __sev_take_pages(u64 pfn, unsigned long n)
{
	unsigned long i, step;

	for (i = 0; i < n; i += step) {
		step = sev_fw_step(pfn + i, n - i);
		if (sev_rmp_make_private(pfn + i, 0, step > 1 ? RMP_PG_SIZE_2M :
					 RMP_PG_SIZE_4K, 0, true))
			break;
		cond_resched();
	}
	if (i)
		trace_sev_psp_fw_pages(SEV_FW_PAGES_OWNED, pfn, i);
	return i;
}

/*
 * A command that did not complete (timed out, or abandoned at removal) may
 * still be running in the firmware, which then reads and writes the pages
 * it names. Each goes on sev->abandoned, counted as leaked, and stays off
 * the page allocator until the backend proves the firmware stopped.
 */
void __sev_fw_abandon_pages(struct sev_device *sev, struct page *page,
			    unsigned int order)
{
	lockdep_assert_held(&sev->cmd_mutex);

	trace_sev_psp_fw_pages(SEV_FW_PAGES_ABANDONED, page_to_pfn(page),
			       1UL << order);
	set_page_private(page, order);
	list_add_tail(&page->lru, &sev->abandoned);
	sev->leaked_pages += 1UL << order;
	dev_warn(sev_to_psp(sev)->be.dev,
		 "SEV: keeping %lu page(s) a command that did not complete may still use\n",
		 1UL << order);
}

/*
 * At removal: free the abandoned pages if the firmware was stopped
 * (@fw_stopped: the backend quiesced it), else leave them leaked for good.
 */
void sev_fw_abandoned_release(struct sev_device *sev, bool fw_stopped)
{
	struct page *page, *tmp;
	unsigned int order;

	list_for_each_entry_safe(page, tmp, &sev->abandoned, lru) {
		list_del(&page->lru);
		if (!fw_stopped)
			continue;
		order = page_private(page);
		set_page_private(page, 0);
		sev->leaked_pages -= 1UL << order;
		__free_pages(page, order);
	}
}

/*
 * Make 2^@order pages firmware-owned (when SNP is up), undoing on failure.
 * Return: 0; -EFAULT, the pages the hypervisor's again; -ENOTRECOVERABLE,
 * the pages leaked because the firmware kept some: never free them.
 */
int __sev_fw_make_owned(struct sev_device *sev, struct page *page,
			unsigned int order)
{
	unsigned long i, n = 1UL << order;
	u64 pfn = page_to_pfn(page);

	lockdep_assert_held(&sev->cmd_mutex);

	if (!sev->snp_initialized)
		return 0;
	i = __sev_take_pages(pfn, n);
	if (i == n)
		return 0;

	/* Pages made firmware-owned go back; only they need reclaiming. */
	if (__sev_reclaim_pages(sev, pfn, i)) {
		__sev_leak_pages(sev, pfn, n);
		return -ENOTRECOVERABLE;
	}
	return -EFAULT;
}

/*
 * 2^@order zeroed pages for the firmware: firmware-owned when SNP is up.
 * Returns the first page or NULL.
 */
struct page *__sev_fw_alloc_pages(struct sev_device *sev, gfp_t gfp,
				  unsigned int order)
{
	struct page *page;
	int ret;

	lockdep_assert_held(&sev->cmd_mutex);

	page = alloc_pages(gfp | __GFP_ZERO, order);
	if (!page)
		return NULL;
	ret = __sev_fw_make_owned(sev, page, order);
	if (ret) {
		if (ret != -ENOTRECOVERABLE)
			__free_pages(page, order);
		return NULL;
	}
	return page;
}

/*
 * Free a firmware output buffer from __sev_fw_alloc_pages(), first copying
 * @len bytes of it to @dst if @dst is set and the pages came back.
 * Return: 0, or -EFAULT when the firmware kept the pages: nothing was
 * copied, and the caller must not read @dst as the firmware's output.
 */
int __sev_fw_free_pages_copy(struct sev_device *sev, struct page *page,
			     unsigned int order, void *dst, size_t len)
{
	unsigned long n = 1UL << order;
	u64 pfn = page_to_pfn(page);

	lockdep_assert_held(&sev->cmd_mutex);

	if (sev->snp_initialized && __sev_reclaim_pages(sev, pfn, n)) {
		/* Simplest safe answer: none of it comes back. */
		__sev_leak_pages(sev, pfn, n);
		return -EFAULT;
	}
	if (dst)
		memcpy(dst, page_address(page), len);
	__free_pages(page, order);
	return 0;
}

/* Free what __sev_fw_alloc_pages() gave; leaks what the firmware keeps. */
void __sev_fw_free_pages(struct sev_device *sev, struct page *page,
			 unsigned int order, bool fw_owned)
{
	unsigned long i, left, n = 1UL << order;
	u64 pfn;

	lockdep_assert_held(&sev->cmd_mutex);

	if (!page)
		return;
	pfn = page_to_pfn(page);
	if (fw_owned) {
		left = __sev_reclaim_pages(sev, pfn, n);
		if (left) {
			/* The pages before the first failure are ours again. */
			if (order)
				split_page(page, order);
			for (i = 0; i < n - left; i++)
				__free_page(pfn_to_page(pfn + i));
			__sev_leak_pages(sev, pfn + n - left, left);
			return;
		}
	}
	__free_pages(page, order);
}
