// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PSP's life cycle, as a backend (PCI, or the simulator) sees it:
 * psp_device_add() when it finds one, psp_device_remove() when it goes.
 * Set-up goes bottom-up (the mailbox, the SEV part, /dev/sev, debugfs, and
 * last the device list); removal undoes it in reverse.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "psp.h"

static u32 psp_read_capability(struct psp_device *psp)
{
	return psp->be.ops->read(psp->be.ctx, psp->be.vdata->feature_reg);
}

struct psp_device *psp_device_add(const struct psp_backend *be)
{
	struct psp_device *psp;
	int ret;

	psp = kzalloc(sizeof(*psp), GFP_KERNEL);
	if (!psp)
		return ERR_PTR(-ENOMEM);

	psp->be = *be;
	kref_init(&psp->ref);
	INIT_LIST_HEAD(&psp->node);
	psp->name = kasprintf(GFP_KERNEL, "psp-%s", dev_name(be->dev));
	if (!psp->name) {
		ret = -ENOMEM;
		goto err_put;
	}

	/*
	 * A BIOS that locks the PSP out reads back all ones; without the SEV
	 * bit there is nothing for this driver to do either.
	 */
	psp->capability = psp_read_capability(psp);
	if (psp->capability == PSP_CAP_BROKEN_BIOS) {
		dev_notice(be->dev, "psp: unable to access the device, broken BIOS?\n");
		ret = -ENODEV;
		goto err_put;
	}
	if (!(psp->capability & PSP_CAP_SEV)) {
		dev_info(be->dev, "psp: no SEV support (capability %#x)\n",
			 psp->capability);
		ret = -ENODEV;
		goto err_put;
	}

	ret = psp_mbox_init(psp);
	if (ret)
		goto err_put;

	ret = sev_dev_init(psp);
	if (ret)
		goto err_mbox_exit;

	ret = sev_misc_get();
	if (ret)
		goto err_sev_destroy;

	psp_debugfs_add(psp);

	psp_list_add(psp);

	dev_info(be->dev, "psp: SEV API %u.%u build %u, %s layout, %s\n",
		 psp->sev.api_major, psp->sev.api_minor, psp->sev.build,
		 be->vdata->name, psp->mbox_irq ? "interrupt" : "polling");
	return psp;

err_sev_destroy:
	sev_dev_shutdown(psp);
	sev_dev_destroy(psp);
err_mbox_exit:
	psp_mbox_exit(psp);
err_put:
	psp_put(psp);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_NS_GPL(psp_device_add, SEV_PSP_BACKEND);

void psp_device_remove(struct psp_device *psp)
{
	psp_list_del(psp);

	/*
	 * Holders of a reference see ->removed and stop; whoever is waiting
	 * in the mailbox gives up now rather than at its timeout. First:
	 * removing debugfs waits for its writers (a firmware_update on a hung
	 * PSP), and they finish only once their command is aborted.
	 */
	WRITE_ONCE(psp->removed, true);
	psp_mbox_abort(psp);

	psp_debugfs_remove(psp);

	sev_dev_shutdown(psp);
	psp_mbox_exit(psp);
	sev_dev_destroy(psp);
	sev_misc_put();
	psp_put(psp);
}
EXPORT_SYMBOL_NS_GPL(psp_device_remove, SEV_PSP_BACKEND);
