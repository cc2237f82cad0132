// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-psp: the list of PSP devices, whichever backend gives them, and the
 * register layouts of the PSP generations.
 *
 * Every PSP is on psp_devices in the order it was added. /dev/sev talks to
 * the master: the first PSP on the list with a working SEV part. (Upstream
 * picks the PCI function with the lowest address; on a real host that is
 * the first one probed.) When the master goes away, the next one takes
 * over, and /dev/sev goes away with the last one (sev-dev.c).
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
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

/*
 * Make @psp, fully set up, visible to psp_get_master(), with an epoch no
 * PSP had before: a firmware context belongs to the epoch it was made in
 * (sev_psp_epoch()).
 */
void psp_list_add(struct psp_device *psp)
{
	static u64 psp_last_epoch;

	mutex_lock(&psp_devices_lock);
	psp->epoch = ++psp_last_epoch;
	list_add_tail(&psp->node, &psp_devices);
	mutex_unlock(&psp_devices_lock);
}

/* The first step of removal: no new user finds @psp. */
void psp_list_del(struct psp_device *psp)
{
	mutex_lock(&psp_devices_lock);
	list_del_init(&psp->node);
	mutex_unlock(&psp_devices_lock);
}
