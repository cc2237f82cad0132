// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SEV_DBG_DECRYPT and KVM_SEV_DBG_ENCRYPT: the VMM reads or writes the
 * memory of a guest whose policy allows debugging (the firmware refuses
 * NODBG guests with POLICY_FAILURE), at any address and length.
 *
 * The firmware works on 16-byte-aligned blocks of physical memory. Guest
 * memory is taken one guest page at a time, pinned for the call; the VMM's
 * side always goes through a bounce page of the module, so the firmware
 * never writes the VMM's memory directly and the VMM's buffer may have any
 * alignment. A write that does not cover whole blocks reads them first
 * (read-modify-write), so the bytes around it stay as they were.
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "sev.h"

#define SEV_DBG_ALIGN	16

/* The guest's bytes [a, b) of the page at @pa into @buf. */
static int sev_dbg_read(struct kvm *kvm, phys_addr_t pa, void *buf, u32 len,
			int *error)
{
	struct sev_data_dbg data = {
		.handle = to_kvm_sev_info(kvm)->handle,
		.src_addr = pa,
		.dst_addr = __psp_pa(buf),
		.len = len,
	};

	return sev_issue_cmd(kvm, SEV_CMD_DBG_DECRYPT, &data, error);
}

static int sev_dbg_write(struct kvm *kvm, const void *buf, phys_addr_t pa,
			 u32 len, int *error)
{
	struct sev_data_dbg data = {
		.handle = to_kvm_sev_info(kvm)->handle,
		.src_addr = __psp_pa(buf),
		.dst_addr = pa,
		.len = len,
	};

	return sev_issue_cmd(kvm, SEV_CMD_DBG_ENCRYPT, &data, error);
}

/*
 * @len bytes of guest memory at VMM address @gva (within one page) to or
 * from the VMM's @uaddr, through the bounce page @tpage.
 */
static int sev_dbg_page(struct kvm *kvm, unsigned long gva,
			unsigned long uaddr, u32 len, void *tpage, bool dec,
			int *error)
{
	u32 off = offset_in_page(gva);
	u32 start = round_down(off, SEV_DBG_ALIGN);
	u32 end = round_up(off + len, SEV_DBG_ALIGN);
	void *bytes = tpage + (off - start);
	struct page **page;
	unsigned long n;
	phys_addr_t pa;
	int ret = 0;

	page = sev_pin_memory(kvm, gva & PAGE_MASK, PAGE_SIZE, &n,
			      dec ? 0 : FOLL_WRITE);
	if (IS_ERR(page))
		return PTR_ERR(page);
	pa = sev_page_pa(page[0]) + start;

	if (dec) {
		ret = sev_dbg_read(kvm, pa, tpage, end - start, error);
		if (!ret && copy_to_user((void __user *)uaddr, bytes, len))
			ret = -EFAULT;
		goto out;
	}

	/* blocks partly written: the rest of them as they are */
	if (start != off || end != off + len)
		ret = sev_dbg_read(kvm, pa, tpage, end - start, error);
	if (!ret && copy_from_user(bytes, (void __user *)uaddr, len))
		ret = -EFAULT;
	if (!ret)
		ret = sev_dbg_write(kvm, tpage, pa, end - start, error);
	if (!ret)
		set_page_dirty_lock(page[0]);
out:
	/* the firmware may still write it: keep it pinned (sev-launch.c) */
	if (sev_cmd_unfinished(ret))
		sev_abandon_pinned(page);
	else
		sev_unpin_memory(kvm, page, n);
	return ret;
}

int sev_dbg_crypt(struct kvm *kvm, struct kvm_sev_cmd *argp, bool dec)
{
	unsigned long gva, uaddr, size;
	struct kvm_sev_dbg debug;
	u64 end;
	void *tpage;
	int ret = 0;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&debug, u64_to_user_ptr(argp->data), sizeof(debug)))
		return -EFAULT;
	if (!debug.len || !debug.dst_uaddr ||
	    check_add_overflow(debug.src_uaddr, (u64)debug.len, &end) ||
	    check_add_overflow(debug.dst_uaddr, (u64)debug.len, &end))
		return -EINVAL;

	/* guest memory is the source of a decrypt, the target of an encrypt */
	gva = dec ? debug.src_uaddr : debug.dst_uaddr;
	uaddr = dec ? debug.dst_uaddr : debug.src_uaddr;
	size = debug.len;

	tpage = (void *)__get_free_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!tpage)
		return -ENOMEM;

	while (size) {
		u32 len = min_t(unsigned long, size,
				PAGE_SIZE - offset_in_page(gva));

		ret = sev_dbg_page(kvm, gva, uaddr, len, tpage, dec,
				   &argp->error);
		if (ret)
			break;
		gva += len;
		uaddr += len;
		size -= len;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}

	/* the PSP driver bounces it: the firmware never keeps it */
	free_page((unsigned long)tpage);
	return ret;
}
