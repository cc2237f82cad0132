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
#include <sev-psp/platform.h>

struct sev_out_bounce {
	struct page *page;
	unsigned int order;
	u64 orig;		/* the caller's buffer */
	u32 len;
};

/*
 * Guest memory the firmware encrypts in place: it cannot be bounced (the
 * encryption is tied to where it is), so its pages are made firmware-owned
 * for the call, as upstream's ccp does. Returns 0 with *@n pages from
 * *@pfn to give back, or -EFAULT (none taken) or -EINVAL.
 */
static int __sev_inplace_take(struct sev_device *sev, u64 pa, u32 len,
			      u64 *pfn, unsigned long *n)
{
	unsigned long i;
	u64 last;

	*n = 0;
	if (!len)
		return 0;
	if (check_add_overflow(pa, (u64)len - 1, &last))
		return -EINVAL;
	*pfn = PHYS_PFN(pa);
	for (i = 0; i <= PHYS_PFN(last) - *pfn; i++) {
		if (sev_rmp_make_private(*pfn + i, 0, RMP_PG_SIZE_4K, 0, true))
			goto err_undo;
		cond_resched();
	}
	*n = i;
	return 0;

err_undo:
	if (__sev_reclaim_pages(sev, *pfn, i))
		__sev_leak_pages(sev, *pfn, i);
	return -EFAULT;
}

/*
 * A legacy command the firmware writes through, issued once SNP is up: the
 * firmware writes only firmware-owned pages, so the command buffer and each
 * output buffer it names go through such pages, and their contents come
 * back to the caller's buffers afterwards; guest memory it encrypts in
 * place is firmware-owned for the call (__sev_inplace_take()).
 */
static int __sev_do_legacy_cmd_snp(struct sev_device *sev,
				   const struct sev_cmd_desc *desc,
				   unsigned int cmd, void *data, int *psp_ret)
{
	struct psp_device *psp = sev_to_psp(sev);
	struct sev_out_bounce out[ARRAY_SIZE(desc->out)] = {};
	unsigned long inplace_n = 0;
	u64 pfn, inplace_pfn = 0;
	void *buf;
	int i, ret;

	if (!sev->fw_cmd_page) {
		sev->fw_cmd_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!sev->fw_cmd_page)
			return -ENOMEM;
	}
	buf = page_address(sev->fw_cmd_page);
	pfn = page_to_pfn(sev->fw_cmd_page);
	memcpy(buf, data, desc->len);

	for (i = 0; i < desc->n_out; i++) {
		u64 *addr = buf + desc->out[i].addr;
		u32 len = *(u32 *)(buf + desc->out[i].len);

		if (!*addr || !len)
			continue;
		if (len > SEV_FW_BLOB_MAX_SIZE) {
			ret = -EINVAL;
			goto out_free;
		}
		out[i].orig = *addr;
		out[i].len = len;
		out[i].order = get_order(len);
		out[i].page = __sev_fw_alloc_pages(sev, GFP_KERNEL,
						   out[i].order);
		if (!out[i].page) {
			ret = -ENOMEM;
			goto out_free;
		}
		*addr = __psp_pa(page_address(out[i].page));
	}

	if (desc->n_inplace) {
		ret = __sev_inplace_take(sev,
					 *(u64 *)(buf + desc->inplace.addr),
					 *(u32 *)(buf + desc->inplace.len),
					 &inplace_pfn, &inplace_n);
		if (ret)
			goto out_free;
	}

	if (sev_rmp_make_private(pfn, 0, RMP_PG_SIZE_4K, 0, true)) {
		ret = -EFAULT;
		goto out_inplace;
	}

	ret = psp_mbox_issue(psp, cmd, __psp_pa(buf), psp_ret);

	/* The firmware's page must come back before anyone reads it. */
	if (__sev_reclaim_pages(sev, pfn, 1)) {
		__sev_leak_pages(sev, pfn, 1);
		sev->fw_cmd_page = NULL;
		/* a dead PSP keeps its own error; else the result is lost */
		if (!ret || ret == -EIO)
			ret = -EFAULT;
		goto out_inplace;
	}

	if (ret && ret != -EIO)
		goto out_inplace;
	for (i = 0; i < desc->n_out; i++) {
		if (!out[i].page)
			continue;
		*(u64 *)(buf + desc->out[i].addr) = out[i].orig;
	}
	memcpy(data, buf, desc->len);

out_inplace:
	/* Guest memory the firmware keeps: its owner must not reuse it. */
	if (inplace_n && __sev_reclaim_pages(sev, inplace_pfn, inplace_n)) {
		__sev_leak_pages(sev, inplace_pfn, inplace_n);
		if (!ret || ret == -EIO)
			ret = -EFAULT;
	}
out_free:
	for (i = 0; i < desc->n_out; i++) {
		bool copy = !ret || ret == -EIO;

		if (!out[i].page)
			continue;
		/*
		 * Reclaimed first, so the output can be read safely; an output
		 * the firmware kept never reached the caller: not a success.
		 */
		if (__sev_fw_free_pages_copy(sev, out[i].page, out[i].order,
					     copy ? phys_to_virt(out[i].orig) :
					     NULL, out[i].len) && copy)
			ret = -EFAULT;
	}
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

	if (sev->snp_initialized && cmd < SEV_CMD_SNP_INIT &&
	    (desc->fw_writes || desc->n_inplace))
		ret = __sev_do_legacy_cmd_snp(sev, desc, cmd, data, psp_ret);
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
