// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel SEV API: upstream's names and prototypes from the target
 * kernel's <linux/psp-sev.h>, so that users written for ccp.ko (KVM) work
 * with sev-psp in its place.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "psp.h"
#include "../../include/sev-psp/sev-psp.h"

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

/* Run @fn on the master PSP's SEV device with its command lock held. */
static int sev_api_call(int (*fn)(struct sev_device *sev, void *arg,
				  int *error),
			void *arg, int *error)
{
	struct psp_device *psp = psp_get_master();
	int ret, err = 0;

	if (!psp) {
		if (error)
			*error = SEV_RET_NO_FW_CALL;
		return -ENODEV;
	}
	mutex_lock(&psp->sev.cmd_mutex);
	ret = READ_ONCE(psp->removed) ? -ENODEV : fn(&psp->sev, arg, &err);
	mutex_unlock(&psp->sev.cmd_mutex);
	psp_put(psp);

	if (error)
		*error = err;
	return ret;
}

static int __sev_api_init(struct sev_device *sev, void *arg, int *error)
{
	/* A guest needs SEV: the policy of sev-init.c, not from probe. */
	return __sev_platform_init_locked(sev, false, 0, error);
}

/**
 * sev_platform_init() - bring the platform up for SEV guests
 * @error: the firmware status of a failed step
 *
 * SNP first where the platform has it, then SEV INIT (sev-init.c).
 */
int sev_platform_init(int *error)
{
	return sev_api_call(__sev_api_init, NULL, error);
}
EXPORT_SYMBOL_GPL(sev_platform_init);

static int __sev_api_status(struct sev_device *sev, void *arg, int *error)
{
	return __sev_platform_status_locked(sev, arg, error);
}

int sev_platform_status(struct sev_user_data_status *status, int *error)
{
	return sev_api_call(__sev_api_status, status, error);
}
EXPORT_SYMBOL_GPL(sev_platform_status);

struct sev_api_cmd {
	unsigned int id;
	void *data;
};

static int __sev_api_cmd(struct sev_device *sev, void *arg, int *error)
{
	struct sev_api_cmd *c = arg;

	return __sev_do_cmd_locked(sev, c->id, c->data, error);
}

static int sev_api_do_cmd(unsigned int id, void *data, int *error)
{
	struct sev_api_cmd c = { .id = id, .data = data };

	return sev_api_call(__sev_api_cmd, &c, error);
}

int sev_guest_deactivate(struct sev_data_deactivate *data, int *error)
{
	return sev_api_do_cmd(SEV_CMD_DEACTIVATE, data, error);
}
EXPORT_SYMBOL_GPL(sev_guest_deactivate);

int sev_guest_activate(struct sev_data_activate *data, int *error)
{
	return sev_api_do_cmd(SEV_CMD_ACTIVATE, data, error);
}
EXPORT_SYMBOL_GPL(sev_guest_activate);

int sev_guest_decommission(struct sev_data_decommission *data, int *error)
{
	return sev_api_do_cmd(SEV_CMD_DECOMMISSION, data, error);
}
EXPORT_SYMBOL_GPL(sev_guest_decommission);

/* The caller has written back the caches on every CPU, as KVM does. */
int sev_guest_df_flush(int *error)
{
	return sev_api_do_cmd(SEV_CMD_DF_FLUSH, NULL, error);
}
EXPORT_SYMBOL_GPL(sev_guest_df_flush);

/**
 * sev_issue_cmd_external_user() - a firmware command for a /dev/sev holder
 * @filep:	the caller's proof of access: an open /dev/sev
 * @id:		SEV command id
 * @data:	its command buffer, sized as the command table says
 * @error:	the firmware status
 *
 * Return: -EBADF unless @filep is a /dev/sev file, else as the command.
 */
int sev_issue_cmd_external_user(struct file *filep, unsigned int id,
				void *data, int *error)
{
	if (!filep || !sev_file_is_dev_sev(filep))
		return -EBADF;
	return sev_api_do_cmd(id, data, error);
}
EXPORT_SYMBOL_GPL(sev_issue_cmd_external_user);

/* The project's additions, declared in include/sev-psp/sev-psp.h */

static int __sev_api_alloc_page(struct sev_device *sev, void *arg, int *error)
{
	struct { gfp_t gfp; struct page *page; } *a = arg;

	a->page = __sev_fw_alloc_pages(sev, a->gfp, 0);
	return a->page ? 0 : -ENOMEM;
}

/**
 * sev_psp_alloc_firmware_page() - a page to give the firmware
 * @gfp: allocation flags
 *
 * Firmware-owned in the RMP while SNP is initialised (as upstream's
 * snp_alloc_firmware_page()). Return: its address, or NULL.
 */
void *sev_psp_alloc_firmware_page(gfp_t gfp)
{
	struct { gfp_t gfp; struct page *page; } a = { .gfp = gfp };

	if (sev_api_call(__sev_api_alloc_page, &a, NULL))
		return NULL;
	return page_address(a.page);
}
EXPORT_SYMBOL_NS_GPL(sev_psp_alloc_firmware_page, SEV_PSP_INTERNAL);

static int __sev_api_free_page(struct sev_device *sev, void *arg, int *error)
{
	__sev_fw_free_pages(sev, virt_to_page(arg), 0, sev->snp_initialized);
	return 0;
}

/**
 * sev_psp_free_firmware_page() - give a firmware page back
 * @addr: what sev_psp_alloc_firmware_page() returned, or NULL
 *
 * Reclaimed from the firmware first; a page the firmware keeps is leaked
 * (and counted), never freed.
 */
void sev_psp_free_firmware_page(void *addr)
{
	if (addr && sev_api_call(__sev_api_free_page, addr, NULL))
		pr_warn("sev-psp: no PSP to reclaim a firmware page from, leaking it\n");
}
EXPORT_SYMBOL_NS_GPL(sev_psp_free_firmware_page, SEV_PSP_INTERNAL);

static int __sev_api_shutdown(struct sev_device *sev, void *arg, int *error)
{
	__sev_firmware_shutdown_locked(sev);
	return sev->sev_initialized || sev->snp_initialized ? -EIO : 0;
}

/**
 * sev_psp_platform_shutdown() - SEV SHUTDOWN, then SNP_SHUTDOWN_EX
 * @error: unused, 0 (failures are logged with their firmware status)
 *
 * Return: 0 when both are down, -EIO when one would not go.
 */
int sev_psp_platform_shutdown(int *error)
{
	return sev_api_call(__sev_api_shutdown, NULL, error);
}
EXPORT_SYMBOL_NS_GPL(sev_psp_platform_shutdown, SEV_PSP_INTERNAL);
