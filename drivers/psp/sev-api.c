// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel SEV API: upstream's names and prototypes from the target
 * kernel's <linux/psp-sev.h>, so that users written for ccp.ko (KVM) work
 * with sev-psp in its place, and the project's additions from
 * <sev-psp/api.h>.
 *
 * Each function locks the master PSP's SEV device and calls the "_locked"
 * function below it that does the work, as ccp's API does.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "psp.h"
#include <sev-psp/api.h>

/*
 * The master PSP's SEV device with its command lock held, or
 * ERR_PTR(-ENODEV) when there is none (*@error: SEV_RET_NO_FW_CALL) or it
 * is going away. *@error, if given, starts at 0: no firmware status yet.
 */
static struct sev_device *sev_api_lock(int *error)
{
	struct psp_device *psp = psp_get_master();

	if (error)
		*error = psp ? 0 : SEV_RET_NO_FW_CALL;
	if (!psp)
		return ERR_PTR(-ENODEV);

	mutex_lock(&psp->sev.cmd_mutex);
	if (READ_ONCE(psp->removed)) {
		mutex_unlock(&psp->sev.cmd_mutex);
		psp_put(psp);
		return ERR_PTR(-ENODEV);
	}
	return &psp->sev;
}

static void sev_api_unlock(struct sev_device *sev)
{
	struct psp_device *psp = sev_to_psp(sev);

	mutex_unlock(&sev->cmd_mutex);
	psp_put(psp);
}

/* Bring the platform up for @reason, by the one policy (sev-init.c). */
static int sev_api_platform_init(enum sev_init_reason reason, int *error)
{
	struct sev_device *sev;
	int ret, err;

	sev = sev_api_lock(error);
	if (IS_ERR(sev))
		return PTR_ERR(sev);
	ret = __sev_platform_init_locked(sev, reason, 0, &err);
	sev_api_unlock(sev);

	if (error)
		*error = err;
	return ret;
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
	return sev_api_platform_init(args->probe ? SEV_INIT_PROBE :
				     SEV_INIT_FOR_SEV, &args->error);
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
	/* A guest needs SEV: the policy of sev-init.c, not from probe. */
	return sev_api_platform_init(SEV_INIT_FOR_SEV, error);
}
#endif
EXPORT_SYMBOL_GPL(sev_platform_init);

int sev_platform_status(struct sev_user_data_status *status, int *error)
{
	struct sev_device *sev;
	int ret;

	sev = sev_api_lock(error);
	if (IS_ERR(sev))
		return PTR_ERR(sev);
	ret = __sev_platform_status_locked(sev, status, error);
	sev_api_unlock(sev);
	return ret;
}
EXPORT_SYMBOL_GPL(sev_platform_status);

static int sev_api_do_cmd(unsigned int id, void *data, int *error)
{
	struct sev_device *sev;
	int ret;

	sev = sev_api_lock(error);
	if (IS_ERR(sev))
		return PTR_ERR(sev);
	ret = __sev_do_cmd_locked(sev, id, data, error);
	sev_api_unlock(sev);
	return ret;
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

/**
 * sev_psp_alloc_firmware_page() - a page to give the firmware
 * @gfp: allocation flags
 *
 * Firmware-owned in the RMP while SNP is initialised (as upstream's
 * snp_alloc_firmware_page()). Return: its address, or NULL.
 */
void *sev_psp_alloc_firmware_page(gfp_t gfp)
{
	struct sev_device *sev;
	struct page *page;

	sev = sev_api_lock(NULL);
	if (IS_ERR(sev))
		return NULL;
	page = __sev_fw_alloc_pages(sev, gfp, 0);
	sev_api_unlock(sev);

	return page ? page_address(page) : NULL;
}
EXPORT_SYMBOL_NS_GPL(sev_psp_alloc_firmware_page, SEV_PSP);

/**
 * sev_psp_free_firmware_page() - give a firmware page back
 * @addr: what sev_psp_alloc_firmware_page() returned, or NULL
 *
 * Reclaimed from the firmware first; a page the firmware keeps is leaked
 * (and counted), never freed.
 */
void sev_psp_free_firmware_page(void *addr)
{
	struct sev_device *sev;

	if (!addr)
		return;
	sev = sev_api_lock(NULL);
	if (IS_ERR(sev)) {
		pr_warn("sev-psp: no PSP to reclaim a firmware page from, leaking it\n");
		return;
	}
	__sev_fw_free_pages(sev, virt_to_page(addr), 0, sev->snp_initialized);
	sev_api_unlock(sev);
}
EXPORT_SYMBOL_NS_GPL(sev_psp_free_firmware_page, SEV_PSP);

/**
 * sev_psp_platform_shutdown() - SEV SHUTDOWN, then SNP_SHUTDOWN_EX
 * @error: unused, 0 (failures are logged with their firmware status)
 *
 * Return: 0 when both are down, -EIO when one would not go.
 */
int sev_psp_platform_shutdown(int *error)
{
	struct sev_device *sev;
	int ret;

	sev = sev_api_lock(error);
	if (IS_ERR(sev))
		return PTR_ERR(sev);
	__sev_firmware_shutdown_locked(sev);
	ret = sev->sev_initialized || sev->snp_initialized ? -EIO : 0;
	sev_api_unlock(sev);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(sev_psp_platform_shutdown, SEV_PSP);

/**
 * sev_psp_snp_initialized() - is SNP up in the master PSP's firmware?
 *
 * KVM asks to choose SNP_DF_FLUSH over DF_FLUSH and to offer SNP guests.
 */
bool sev_psp_snp_initialized(void)
{
	struct sev_device *sev = sev_api_lock(NULL);
	bool on;

	if (IS_ERR(sev))
		return false;
	on = sev->snp_initialized;
	sev_api_unlock(sev);
	return on;
}
EXPORT_SYMBOL_NS_GPL(sev_psp_snp_initialized, SEV_PSP);

/**
 * sev_psp_epoch() - which PSP the master is
 *
 * Each PSP added gets an epoch no earlier one had, so a caller that keeps
 * a firmware context (a guest handle, an SNP context page) can tell that
 * the firmware holding it went away (the PSP removed, another one added):
 * a handle then means nothing, or another guest, to the firmware there is.
 *
 * Return: the master PSP's epoch, or 0 when there is no PSP.
 */
u64 sev_psp_epoch(void)
{
	struct psp_device *psp = psp_get_master();
	u64 epoch;

	if (!psp)
		return 0;
	epoch = psp->epoch;
	psp_put(psp);
	return epoch;
}
EXPORT_SYMBOL_NS_GPL(sev_psp_epoch, SEV_PSP);

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

/* A snapshot of the master PSP's blob and TCB; NULL without SNP. */
struct sev_psp_certs *sev_psp_snp_certs_get(void)
{
	struct sev_psp_certs *c;
	struct sev_device *sev;

	sev = sev_api_lock(NULL);
	if (IS_ERR(sev))
		return NULL;
	c = __sev_certs_get_locked(sev);
	sev_api_unlock(sev);
	return c;
}
EXPORT_SYMBOL_NS_GPL(sev_psp_snp_certs_get, SEV_PSP);

/**
 * sev_psp_snp_set_ext_config() - SNP_SET_EXT_CONFIG from the kernel
 * @config:	the reported TCB and masks for SNP_CONFIG, or NULL to keep them
 * @blob:	the certificate blob, or NULL to delete it
 * @len:	its length: page-aligned, at most 16 KiB
 * @error:	the firmware status of SNP_CONFIG
 *
 * Return: 0; -ENODEV without SNP; -EINVAL for a bad length or GUID table
 * (and nothing changes); -ENOMEM; or SNP_CONFIG's error.
 */
int sev_psp_snp_set_ext_config(const struct sev_user_data_snp_config *config,
			       const void *blob, u32 len, int *error)
{
	/* SNP_CONFIG's buffer is the driver's: the caller's stays const. */
	struct sev_user_data_snp_config copy;
	struct sev_device *sev;
	int ret;

	if (config)
		copy = *config;
	sev = sev_api_lock(error);
	if (IS_ERR(sev))
		return PTR_ERR(sev);
	ret = __sev_snp_set_ext_config_locked(sev, config ? &copy : NULL, blob,
					      len, error);
	sev_api_unlock(sev);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(sev_psp_snp_set_ext_config, SEV_PSP);

/*
 * An extended request: the certificate snapshot and the request under one
 * hold of the command lock, so no SNP_CONFIG can come between them and the
 * report's reported TCB is the one the certificates were set with.
 */
static int __sev_snp_ext_guest_request_locked(struct sev_device *sev,
					      struct sev_data_snp_guest_request *data,
					      struct sev_psp_certs **certs,
					      u32 certs_room, int *error)
{
	struct sev_psp_certs *c;

	c = __sev_certs_get_locked(sev);
	if (!c)
		return -ENOMEM;
	*certs = c;
	if (c->len > certs_room)
		return -ENOSPC;
	return __sev_do_cmd_locked(sev, SEV_CMD_SNP_GUEST_REQUEST, data,
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
	struct sev_device *sev;
	int ret;

	if (certs)
		*certs = NULL;
	sev = sev_api_lock(error);
	if (IS_ERR(sev))
		return PTR_ERR(sev);
	if (!sev->snp_initialized)
		ret = -ENODEV;
	else if (!certs)
		ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_GUEST_REQUEST, data,
					  error);
	else
		ret = __sev_snp_ext_guest_request_locked(sev, data, certs,
							 certs_room, error);
	sev_api_unlock(sev);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(sev_psp_snp_guest_request, SEV_PSP);
