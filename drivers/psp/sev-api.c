// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel SEV API: upstream's names and prototypes from the target
 * kernel's <linux/psp-sev.h>, so that users written for ccp.ko (KVM) work
 * with sev-psp in its place.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "psp.h"

/**
 * psp_copy_user_blob() - copy a user blob the firmware will read
 * @uaddr:	user address
 * @len:	length, at most SEV_FW_BLOB_MAX_SIZE (16 KiB)
 *
 * Return: a kernel copy (kfree() it), or ERR_PTR(-EINVAL) for a zero
 * address or length or an oversized blob, or the error of the copy.
 */
void *psp_copy_user_blob(u64 uaddr, u32 len)
{
	if (!uaddr || !len)
		return ERR_PTR(-EINVAL);
	if (len > SEV_FW_BLOB_MAX_SIZE)
		return ERR_PTR(-EINVAL);

	return memdup_user(u64_to_user_ptr(uaddr), len);
}
EXPORT_SYMBOL_GPL(psp_copy_user_blob);
