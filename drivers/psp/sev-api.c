// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel SEV API: upstream's names and prototypes from the target
 * kernel's <linux/psp-sev.h>, so that users written for ccp.ko (KVM) work
 * with sev-psp in its place.
 */
#include <linux/err.h>
#include <linux/fs.h>
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
