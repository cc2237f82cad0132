// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV part of a PSP: the device's life cycle (probe, removal) and
 * /dev/sev's registration, which lasts as long as any PSP with SEV does.
 * Commands are issued by sev-issue.c; platform initialisation policy is in
 * sev-init.c; the ioctls are in sev-ioctl.c.
 */
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mutex.h>

#include "psp.h"

int sev_dev_init(struct psp_device *psp)
{
	struct sev_device *sev = &psp->sev;
	struct sev_user_data_status status;
	int ret, error;

	mutex_init(&sev->cmd_mutex);
	INIT_LIST_HEAD(&sev->abandoned);
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
	sev->sev_initialized = status.state != SEV_STATE_UNINIT;

	ret = __sev_platform_probe_init_locked(sev);

out_unlock:
	mutex_unlock(&sev->cmd_mutex);
	return ret;
}

/*
 * Removal: wait out every command sequence, then leave the platform shut
 * down if the firmware still answers.
 */
void sev_dev_shutdown(struct psp_device *psp)
{
	struct sev_device *sev = &psp->sev;

	mutex_lock(&sev->cmd_mutex);
	psp_mbox_unabort(psp);
	if (!READ_ONCE(psp->dead))
		__sev_firmware_shutdown_locked(sev);
	mutex_unlock(&sev->cmd_mutex);
}

/*
 * After the mailbox is gone: free what the firmware no longer uses. What a
 * dead firmware may still use (the TMR after a failed SHUTDOWN) is leaked,
 * unless the backend reset the firmware.
 */
void sev_dev_destroy(struct psp_device *psp)
{
	struct sev_device *sev = &psp->sev;

	/*
	 * A TMR still here was not released by SHUTDOWN. A firmware reset
	 * releases a plain one; a firmware-owned one stays assigned in the
	 * RMP and must never be freed.
	 */
	if (sev->tmr) {
		if (psp->fw_reset && !sev->tmr_fw_owned) {
			__free_pages(sev->tmr, sev->tmr_order);
		} else {
			sev->leaked_pages += 1UL << sev->tmr_order;
			dev_warn(psp->be.dev, "SEV: firmware may still own the TMR, leaking it\n");
		}
		sev->tmr = NULL;
	}
	sev_fw_abandoned_release(sev, psp->fw_reset);
	if (sev->fw_cmd_page)
		__free_page(sev->fw_cmd_page);
	sev->fw_cmd_page = NULL;
	/* an NV buffer still here could not be taken back from the firmware */
	if (sev->nv && !sev->nv_fw_owned && psp->fw_reset)
		__free_pages(sev->nv, get_order(SEV_NV_LEN));
	else if (sev->nv)
		sev->leaked_pages += 1UL << get_order(SEV_NV_LEN);
	sev->nv = NULL;
	sev_certs_destroy(sev);
}

static struct miscdevice sev_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sev",
	.fops = &sev_fops,
	.mode = 0600,
};

/* /dev/sev exists while at least one PSP with SEV does. */
static DEFINE_MUTEX(sev_misc_lock);
static unsigned int sev_misc_users;

int sev_misc_get(void)
{
	int ret = 0;

	mutex_lock(&sev_misc_lock);
	if (!sev_misc_users) {
		/*
		 * A new dynamic minor each time: 6.1's misc_deregister()
		 * leaves the old one in .minor, and registering with it
		 * again would ask for it as a fixed minor, -EBUSY once
		 * another device (/dev/kvm-sev) has it.
		 */
		sev_misc.minor = MISC_DYNAMIC_MINOR;
		ret = misc_register(&sev_misc);
	}
	if (!ret)
		sev_misc_users++;
	mutex_unlock(&sev_misc_lock);

	return ret;
}

void sev_misc_put(void)
{
	mutex_lock(&sev_misc_lock);
	if (!--sev_misc_users)
		misc_deregister(&sev_misc);
	mutex_unlock(&sev_misc_lock);
}
