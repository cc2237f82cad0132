// SPDX-License-Identifier: GPL-2.0-only
/*
 * Issuing SEV firmware commands: the one owner of the command layer, below
 * everything that uses it (init policy, certificates, /dev/sev, the
 * in-kernel API, the device's life cycle).
 *
 * Every SEV command runs with sev_device.cmd_mutex held (the "__" and
 * "_locked" functions expect it), because most platform operations are
 * sequences of commands that must not interleave with another caller's.
 * The command table (sev-cmd.c) decides how much of a caller's buffer the
 * firmware sees, what it writes, and whether the INIT_EX file must follow.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched.h>

#include "psp.h"

/* The largest buffer a command may name that the driver bounces */
#define SEV_BOUNCE_MAX		SZ_2M

/* A caller's buffer, named in a command buffer, and the page standing in */
struct sev_bounce {
	struct page *page;
	unsigned int order;
	u64 orig;		/* the caller's buffer */
	u32 len;
	bool fw_owned;		/* an output, made firmware-owned (SNP up) */
};

/*
 * A command that did not complete: the firmware may still be running it,
 * and read or write whatever it names.
 */
static bool sev_cmd_unfinished(int ret)
{
	return ret == -ETIMEDOUT || ret == -ENODEV;
}

/*
 * Guest memory the firmware encrypts in place: it cannot be bounced (the
 * encryption is tied to where it is), so its pages are made firmware-owned
 * for the call, as upstream's ccp does. Returns 0 with *@n pages from
 * *@pfn to give back, or -EFAULT (none taken) or -EINVAL.
 */
static int __sev_inplace_take(struct sev_device *sev, u64 pa, u32 len,
			      u64 *pfn, unsigned long *n)
{
	unsigned long i, count;
	u64 last;

	*n = 0;
	if (!len)
		return 0;
	if (check_add_overflow(pa, (u64)len - 1, &last))
		return -EINVAL;
	*pfn = PHYS_PFN(pa);
	count = PHYS_PFN(last) - *pfn + 1;
	/* in the steps the reclaim uses: 2 MiB for whole aligned chunks */
	i = __sev_take_pages(*pfn, count);
	if (i == count) {
		*n = count;
		return 0;
	}
	if (__sev_reclaim_pages(sev, *pfn, i))
		__sev_leak_caller_pages(sev, *pfn, i);
	return -EFAULT;
}

/*
 * Put a page in place of the caller's buffer at region @r of the command
 * buffer @buf: an output (@out) firmware-owned when SNP is up, an input
 * with the caller's bytes. Nothing to do for a zero address or length.
 */
static int __sev_bounce_take(struct sev_device *sev, void *buf,
			     const struct sev_cmd_region *r, bool out,
			     struct sev_bounce *b)
{
	u64 *addr = buf + r->addr;
	u32 len = *(u32 *)(buf + r->len);

	if (!*addr || !len)
		return 0;
	if (len > (out ? SEV_FW_BLOB_MAX_SIZE : SEV_BOUNCE_MAX))
		return -EINVAL;
	b->orig = *addr;
	b->len = len;
	b->order = get_order(len);
	if (out) {
		b->page = __sev_fw_alloc_pages(sev, GFP_KERNEL, b->order);
		b->fw_owned = sev->snp_initialized;
	} else {
		b->page = alloc_pages(GFP_KERNEL, b->order);
		if (b->page)
			memcpy(page_address(b->page), phys_to_virt(b->orig),
			       len);
	}
	if (!b->page)
		return -ENOMEM;
	*addr = __psp_pa(page_address(b->page));
	return 0;
}

/*
 * Give a bounce page back after the command: an output's bytes to the
 * caller when @copy. Return: 0, or -EFAULT when the firmware kept the
 * output (nothing copied). After a command that did not complete, a page
 * the firmware may still use is abandoned, never freed.
 */
static int __sev_bounce_put(struct sev_device *sev, struct sev_bounce *b,
			    bool copy, bool unfinished)
{
	if (!b->page)
		return 0;
	if (unfinished && !b->fw_owned) {
		__sev_fw_abandon_pages(sev, b->page, b->order);
		return 0;
	}
	if (b->fw_owned || copy)
		/* Reclaimed first, so the output can be read safely. */
		return __sev_fw_free_pages_copy(sev, b->page, b->order,
						copy ? phys_to_virt(b->orig) :
						NULL, b->len);
	__free_pages(b->page, b->order);
	return 0;
}

/*
 * A command that names buffers by address: the firmware sees only pages
 * of the driver's in their place, never the caller's memory. The caller
 * may free its buffers as soon as this returns, whatever happened; pages a
 * command that did not complete names stay with the driver (abandoned).
 *
 * Once SNP is up, legacy commands the firmware writes through also need
 * firmware-owned pages: the command buffer and the outputs are made so,
 * and guest memory it encrypts in place is firmware-owned for the call
 * (__sev_inplace_take()).
 */
static int __sev_do_cmd_bounced(struct sev_device *sev,
				const struct sev_cmd_desc *desc,
				unsigned int cmd, void *data, int *psp_ret)
{
	struct psp_device *psp = sev_to_psp(sev);
	/* outputs imply fw_writes: with SNP up they take this path */
	bool snp = sev->snp_initialized && cmd < SEV_CMD_SNP_INIT &&
		   (desc->fw_writes || desc->n_inplace);
	struct sev_bounce out[ARRAY_SIZE(desc->out)] = {};
	struct sev_bounce in[ARRAY_SIZE(desc->in)] = {};
	unsigned long inplace_n = 0;
	u64 pfn = 0, inplace_pfn = 0;
	bool unfinished = false;
	void *buf;
	int i, ret, lost;

	if (snp) {
		if (!sev->fw_cmd_page) {
			sev->fw_cmd_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!sev->fw_cmd_page)
				return -ENOMEM;
		}
		buf = page_address(sev->fw_cmd_page);
		pfn = page_to_pfn(sev->fw_cmd_page);
	} else {
		/* The mailbox copies it to a page it keeps if need be. */
		buf = kmalloc(desc->len, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	memcpy(buf, data, desc->len);

	for (i = 0; i < desc->n_out; i++) {
		ret = __sev_bounce_take(sev, buf, &desc->out[i], true, &out[i]);
		if (ret)
			goto out_free;
	}
	for (i = 0; i < desc->n_in; i++) {
		ret = __sev_bounce_take(sev, buf, &desc->in[i], false, &in[i]);
		if (ret)
			goto out_free;
	}

	if (!snp) {
		ret = psp_mbox_cmd(psp, cmd, buf, desc->len, psp_ret);
		unfinished = sev_cmd_unfinished(ret);
		goto out_copy;
	}

	if (desc->n_inplace) {
		ret = __sev_inplace_take(sev,
					 *(u64 *)(buf + desc->inplace.addr),
					 *(u32 *)(buf + desc->inplace.len),
					 &inplace_pfn, &inplace_n);
		if (ret)
			goto out_free;
	}

	if (__sev_take_pages(pfn, 1) != 1) {
		ret = -EFAULT;
		goto out_inplace;
	}

	ret = psp_mbox_issue(psp, cmd, __psp_pa(buf), psp_ret);
	unfinished = sev_cmd_unfinished(ret);

	/* The firmware's page must come back before anyone reads it. */
	if (__sev_reclaim_pages(sev, pfn, 1)) {
		__sev_leak_pages(sev, pfn, 1);
		sev->fw_cmd_page = NULL;
		/* a dead PSP keeps its own error; else the result is lost */
		if (!ret || ret == -EIO)
			ret = -EFAULT;
		goto out_inplace;
	}

out_copy:
	if (!ret || ret == -EIO) {
		for (i = 0; i < desc->n_out; i++)
			if (out[i].page)
				*(u64 *)(buf + desc->out[i].addr) = out[i].orig;
		for (i = 0; i < desc->n_in; i++)
			if (in[i].page)
				*(u64 *)(buf + desc->in[i].addr) = in[i].orig;
		memcpy(data, buf, desc->len);
	}

out_inplace:
	/* Guest memory the firmware keeps: its owner must not reuse it. */
	if (inplace_n && __sev_reclaim_pages(sev, inplace_pfn, inplace_n)) {
		__sev_leak_caller_pages(sev, inplace_pfn, inplace_n);
		if (!ret || ret == -EIO)
			ret = -EFAULT;
	}
out_free:
	for (i = 0; i < desc->n_out; i++) {
		bool copy = !ret || ret == -EIO;

		/* an output the firmware kept never reached the caller */
		lost = __sev_bounce_put(sev, &out[i], copy, unfinished);
		if (lost && copy)
			ret = -EFAULT;
	}
	for (i = 0; i < desc->n_in; i++)
		__sev_bounce_put(sev, &in[i], false, unfinished);
	if (!snp)
		kfree(buf);
	return ret;
}

int __sev_do_cmd_locked(struct sev_device *sev, unsigned int cmd, void *data,
			int *psp_ret)
{
	const struct sev_cmd_desc *desc = sev_cmd_desc(cmd);
	int ret;

	lockdep_assert_held(&sev->cmd_mutex);

	/*
	 * The table, not the caller, decides how much of @data the firmware
	 * sees: a command has a buffer exactly when the table gives it one.
	 */
	if (!desc || !data != !desc->len) {
		if (psp_ret)
			*psp_ret = 0;
		return -EINVAL;
	}

	if ((sev->snp_initialized && cmd < SEV_CMD_SNP_INIT &&
	     (desc->fw_writes || desc->n_inplace)) || desc->n_out || desc->n_in)
		ret = __sev_do_cmd_bounced(sev, desc, cmd, data, psp_ret);
	else
		ret = psp_mbox_cmd(sev_to_psp(sev), cmd, data, desc->len,
				   psp_ret);

	/* The firmware changed its NV state: the INIT_EX file follows. */
	if (!ret && desc->changes_nv)
		ret = __sev_nv_sync_locked(sev);
	return ret;
}

int sev_dev_do_cmd(struct sev_device *sev, unsigned int cmd, void *data,
		   int *psp_ret)
{
	int ret;

	mutex_lock(&sev->cmd_mutex);
	ret = __sev_do_cmd_locked(sev, cmd, data, psp_ret);
	mutex_unlock(&sev->cmd_mutex);

	return ret;
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(sev_dev_do_cmd);

bool sev_version_greater_or_equal(struct sev_device *sev, u8 major, u8 minor)
{
	return sev->api_major > major ||
	       (sev->api_major == major && sev->api_minor >= minor);
}

int __sev_platform_status_locked(struct sev_device *sev,
				 struct sev_user_data_status *status,
				 int *psp_ret)
{
	memset(status, 0, sizeof(*status));
	return __sev_do_cmd_locked(sev, SEV_CMD_PLATFORM_STATUS, status,
				   psp_ret);
}
