// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV part of a PSP: issuing firmware commands, and platform bring-up
 * and tear-down.
 *
 * Every SEV command runs with sev_device.cmd_mutex held (the "__" and
 * "_locked" functions expect it), because most platform operations are
 * sequences of commands that must not interleave with another caller's.
 */
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "psp.h"

static bool psp_init_on_probe = true;
module_param(psp_init_on_probe, bool, 0444);
MODULE_PARM_DESC(psp_init_on_probe, " if true, the PSP will be initialized on module init. Else the PSP will be initialized on the first command requiring it");

int __sev_do_cmd_locked(struct sev_device *sev, unsigned int cmd, void *data,
			int *psp_ret)
{
	int len;

	lockdep_assert_held(&sev->cmd_mutex);

	/*
	 * The table, not the caller, decides how much of @data the firmware
	 * sees: a command has a buffer exactly when the table gives it one.
	 */
	len = sev_cmd_buffer_len(cmd);
	if (len < 0 || !data != !len) {
		if (psp_ret)
			*psp_ret = 0;
		return -EINVAL;
	}

	return psp_mbox_cmd(sev_to_psp(sev), cmd, data, len, psp_ret);
}

int sev_do_cmd(struct sev_device *sev, unsigned int cmd, void *data,
	       int *psp_ret)
{
	int ret;

	mutex_lock(&sev->cmd_mutex);
	ret = __sev_do_cmd_locked(sev, cmd, data, psp_ret);
	mutex_unlock(&sev->cmd_mutex);

	return ret;
}
EXPORT_SYMBOL_NS_GPL(sev_do_cmd, SEV_PSP_INTERNAL);

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

/*
 * SEV INIT. SEV-ES needs a Trusted Memory Region given to the firmware at
 * INIT; without one the platform comes up for plain SEV only.
 */
int __sev_platform_init_locked(struct sev_device *sev, int *psp_ret)
{
	struct sev_user_data_status status;
	struct sev_data_init data = {};
	int ret;

	ret = __sev_platform_status_locked(sev, &status, psp_ret);
	if (ret)
		return ret;
	if (status.state != SEV_STATE_UNINIT)
		return 0;

	if (sev->tmr) {
		data.flags |= SEV_INIT_FLAGS_SEV_ES;
		data.tmr_address = __psp_pa(sev->tmr);
		data.tmr_len = SEV_TMR_SIZE;
	}

	ret = __sev_do_cmd_locked(sev, SEV_CMD_INIT, &data, psp_ret);
	if (ret)
		return ret;

	sev->tmr_in_use = !!sev->tmr;

	dev_dbg(sev_to_psp(sev)->be.dev, "SEV firmware initialized\n");
	return 0;
}

int __sev_platform_shutdown_locked(struct sev_device *sev, int *psp_ret)
{
	int ret;

	ret = __sev_do_cmd_locked(sev, SEV_CMD_SHUTDOWN, NULL, psp_ret);
	if (!ret)
		sev->tmr_in_use = false;
	return ret;
}

int sev_dev_init(struct psp_device *psp)
{
	struct sev_device *sev = &psp->sev;
	struct sev_user_data_status status;
	int ret, error;

	mutex_init(&sev->cmd_mutex);

	sev->tmr = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO |
					    __GFP_NOWARN,
					    get_order(SEV_TMR_SIZE));
	if (!sev->tmr)
		dev_warn(psp->be.dev, "SEV: TMR allocation failed, SEV-ES support unavailable\n");

	mutex_lock(&sev->cmd_mutex);

	/* The probe timeout holds until the firmware has answered once. */
	psp->probing = true;
	ret = __sev_platform_status_locked(sev, &status, &error);
	psp->probing = false;
	if (ret) {
		dev_err(psp->be.dev, "SEV: failed to get status: %d, error %#x\n",
			ret, error);
		goto out_unlock;
	}
	sev->api_major = status.api_major;
	sev->api_minor = status.api_minor;
	sev->build = status.build;

	if (psp_init_on_probe) {
		ret = __sev_platform_init_locked(sev, &error);
		if (ret) {
			/* /dev/sev stays usable: status, reset, diagnostics. */
			dev_err(psp->be.dev, "SEV: failed to INIT: %d, error %#x\n",
				ret, error);
			ret = 0;
		}
	}

out_unlock:
	mutex_unlock(&sev->cmd_mutex);
	if (ret)
		sev_dev_destroy(psp);
	return ret;
}

/*
 * Removal: wait out every command sequence, then leave the platform shut
 * down if the firmware still answers. Afterwards the TMR is the driver's
 * again, unless the firmware could not be told to let go of it.
 */
void sev_dev_shutdown(struct psp_device *psp)
{
	struct sev_device *sev = &psp->sev;
	int ret, error;

	mutex_lock(&sev->cmd_mutex);
	psp_mbox_unabort(psp);

	if (!psp->dead) {
		ret = __sev_platform_shutdown_locked(sev, &error);
		if (ret)
			dev_warn(psp->be.dev, "SEV: SHUTDOWN failed: %d, error %#x\n",
				 ret, error);
	}

	mutex_unlock(&sev->cmd_mutex);
}

void sev_dev_destroy(struct psp_device *psp)
{
	struct sev_device *sev = &psp->sev;

	if (!sev->tmr)
		return;

	/*
	 * A TMR the firmware may still use (SHUTDOWN failed and the
	 * firmware was not reset) must never go back to the allocator.
	 */
	if (!sev->tmr_in_use || psp->fw_reset)
		free_pages((unsigned long)sev->tmr, get_order(SEV_TMR_SIZE));
	else
		dev_warn(psp->be.dev, "SEV: firmware may still own the TMR, leaking it\n");
	sev->tmr = NULL;
}
