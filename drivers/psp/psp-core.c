// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-psp: the PSP devices, whichever backend gives them, and the module.
 *
 * Every PSP is on psp_devices in the order it was added. /dev/sev talks to
 * the master: the first PSP on the list with a working SEV part. (Upstream
 * picks the PCI function with the lowest address; on a real host that is
 * the first one probed.) When the master goes away, the next one takes
 * over, and /dev/sev goes away with the last one.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "psp.h"

const struct psp_vdata psp_vdata_v1 = {
	.name = "pspv1",
	.cmdresp_reg = 0x10580,		/* C2PMSG_32 */
	.cmdbuff_addr_lo_reg = 0x105e0,	/* C2PMSG_56 */
	.cmdbuff_addr_hi_reg = 0x105e4,	/* C2PMSG_57 */
	.feature_reg = 0x105fc,		/* C2PMSG_63 */
	.inten_reg = 0x10610,		/* P2CMSG_INTEN */
	.intsts_reg = 0x10614,		/* P2CMSG_INTSTS */
};
EXPORT_SYMBOL_NS_GPL(psp_vdata_v1, SEV_PSP_BACKEND);

const struct psp_vdata psp_vdata_v2 = {
	.name = "pspv2",
	.cmdresp_reg = 0x10980,		/* C2PMSG_32 */
	.cmdbuff_addr_lo_reg = 0x109e0,	/* C2PMSG_56 */
	.cmdbuff_addr_hi_reg = 0x109e4,	/* C2PMSG_57 */
	.feature_reg = 0x109fc,		/* C2PMSG_63 */
	.inten_reg = 0x10690,		/* P2CMSG_INTEN */
	.intsts_reg = 0x10694,		/* P2CMSG_INTSTS */
};
EXPORT_SYMBOL_NS_GPL(psp_vdata_v2, SEV_PSP_BACKEND);

const struct psp_vdata psp_vdata_v6 = {
	.name = "pspv6",
	.cmdresp_reg = 0x10980,		/* C2PMSG_32 */
	.cmdbuff_addr_lo_reg = 0x109e0,	/* C2PMSG_56 */
	.cmdbuff_addr_hi_reg = 0x109e4,	/* C2PMSG_57 */
	.feature_reg = 0x109fc,		/* C2PMSG_63 */
	.inten_reg = 0x10510,		/* P2CMSG_INTEN */
	.intsts_reg = 0x10514,		/* P2CMSG_INTSTS */
};
EXPORT_SYMBOL_NS_GPL(psp_vdata_v6, SEV_PSP_BACKEND);

static DEFINE_MUTEX(psp_devices_lock);
static LIST_HEAD(psp_devices);

static void psp_release(struct kref *ref)
{
	struct psp_device *psp = container_of(ref, struct psp_device, ref);

	kfree(psp->name);
	kfree(psp);
}

void psp_put(struct psp_device *psp)
{
	kref_put(&psp->ref, psp_release);
}

/* The PSP behind /dev/sev, referenced; NULL if there is none. */
struct psp_device *psp_get_master(void)
{
	struct psp_device *psp;

	mutex_lock(&psp_devices_lock);
	psp = list_first_entry_or_null(&psp_devices, struct psp_device, node);
	if (psp)
		kref_get(&psp->ref);
	mutex_unlock(&psp_devices_lock);

	return psp;
}

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

	mutex_lock(&psp_devices_lock);
	list_add_tail(&psp->node, &psp_devices);
	mutex_unlock(&psp_devices_lock);

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
	mutex_lock(&psp_devices_lock);
	list_del_init(&psp->node);
	mutex_unlock(&psp_devices_lock);

	psp_debugfs_remove(psp);

	/*
	 * Holders of a reference see ->removed and stop; whoever is waiting
	 * in the mailbox gives up now rather than at its timeout.
	 */
	WRITE_ONCE(psp->removed, true);
	psp_mbox_abort(psp);

	sev_dev_shutdown(psp);
	psp_mbox_exit(psp);
	sev_dev_destroy(psp);
	sev_misc_put();
	psp_put(psp);
}
EXPORT_SYMBOL_NS_GPL(psp_device_remove, SEV_PSP_BACKEND);

static int __init psp_init(void)
{
	int ret;

	psp_debugfs_init();
	ret = psp_pci_register();
	if (ret)
		psp_debugfs_exit();
	return ret;
}

static void __exit psp_exit(void)
{
	psp_pci_unregister();
	psp_debugfs_exit();
}

module_init(psp_init);
module_exit(psp_exit);

MODULE_DESCRIPTION("AMD PSP driver for SEV and SEV-SNP (/dev/sev)");
MODULE_LICENSE("GPL");
