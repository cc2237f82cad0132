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
#include <sev-psp/api.h>

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
int sev_api_call(int (*fn)(struct sev_device *sev, void *arg, int *error),
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
	bool probe = arg && *(bool *)arg;

	/* A guest needs SEV unless the caller stands for probe (sev-init.c) */
	return __sev_platform_init_locked(sev, probe, 0, error);
}

#ifdef SEV_PSP_KERNEL_HAS_PLATFORM_INIT_ARGS
/**
 * sev_platform_init() - bring the platform up
 * @args: @args->probe: the caller stands for probe, and SEV INIT may wait
 *	  for a guest (psp_init_on_probe=0); @args->error: the firmware status
 *	  of a failed step
 *
 * SNP first where the platform has it, then SEV INIT (sev-init.c).
 */
int sev_platform_init(struct sev_platform_init_args *args)
{
	return sev_api_call(__sev_api_init, &args->probe, &args->error);
}
#else
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
#endif
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

/* The project's additions, declared in <sev-psp/api.h> */

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
EXPORT_SYMBOL_NS_GPL(sev_psp_alloc_firmware_page, SEV_PSP);

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
EXPORT_SYMBOL_NS_GPL(sev_psp_free_firmware_page, SEV_PSP);

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
EXPORT_SYMBOL_NS_GPL(sev_psp_platform_shutdown, SEV_PSP);

/**
 * sev_psp_do_cmd() - issue any firmware command from the kernel
 * @cmd:	SEV or SNP command id
 * @data:	its buffer, sized as the command table says (NULL if none)
 * @psp_ret:	the firmware status
 *
 * As upstream's sev_do_cmd() (6.9 and later), for in-kernel users that hold
 * no /dev/sev file: KVM's SNP guest contexts, and the tests.
 * Return: 0, -ENODEV without a PSP, -EINVAL for an unknown command or a
 * buffer that does not match it, -EIO with *@psp_ret for a firmware error.
 */
int sev_psp_do_cmd(int cmd, void *data, int *psp_ret)
{
	return sev_api_do_cmd(cmd, data, psp_ret);
}
EXPORT_SYMBOL_NS_GPL(sev_psp_do_cmd, SEV_PSP);

struct sev_guest_req_args {
	struct sev_data_snp_guest_request *data;
	struct sev_psp_certs **certs;
	u32 certs_room;
};

static int __sev_api_guest_request(struct sev_device *sev, void *arg,
				   int *error)
{
	struct sev_guest_req_args *a = arg;
	struct sev_psp_certs *c;

	if (!sev->snp_initialized)
		return -ENODEV;
	if (!a->certs)
		return __sev_do_cmd_locked(sev, SEV_CMD_SNP_GUEST_REQUEST,
					   a->data, error);

	/*
	 * The snapshot and the request under one hold of the command lock:
	 * no SNP_CONFIG can come between them, so the report's reported TCB
	 * is the one the certificates were set with.
	 */
	c = __sev_certs_get_locked(sev);
	if (!c)
		return -ENOMEM;
	*a->certs = c;
	if (c->len > a->certs_room)
		return -ENOSPC;
	return __sev_do_cmd_locked(sev, SEV_CMD_SNP_GUEST_REQUEST, a->data,
				   error);
}

/**
 * sev_psp_snp_guest_request() - pass an SNP guest's message to the firmware
 * @data:	the guest context, request page and (firmware-owned) response
 *		page, as SNP_GUEST_REQUEST takes them
 * @certs:	NULL for a plain request; for an extended one, where to put
 *		the certificate snapshot that goes with the answer
 * @certs_room:	the bytes the guest offered for certificates
 * @error:	the firmware status
 *
 * An extended request whose certificates would not fit in @certs_room is
 * not sent: -ENOSPC, with *@certs set so the caller can tell the guest the
 * length it needs (the guest's sequence number is then unused). Whenever
 * *@certs is set (0 and -ENOSPC) the caller drops it with
 * sev_psp_snp_certs_put().
 *
 * Return: 0; -ENOSPC; -ENODEV without a PSP or SNP; -ENOMEM; -EIO with
 * *@error for a firmware error; or a mailbox error.
 */
int sev_psp_snp_guest_request(struct sev_data_snp_guest_request *data,
			      struct sev_psp_certs **certs, u32 certs_room,
			      int *error)
{
	struct sev_guest_req_args a = {
		.data = data, .certs = certs, .certs_room = certs_room,
	};

	if (certs)
		*certs = NULL;
	return sev_api_call(__sev_api_guest_request, &a, error);
}
EXPORT_SYMBOL_NS_GPL(sev_psp_snp_guest_request, SEV_PSP);
