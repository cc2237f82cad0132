// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest contexts of the simulated firmware, and the SEV (pre-SNP) guest
 * commands that act on one (spec 55766).
 *
 * The firmware keeps a context per guest: SEV guests by handle, SNP guests
 * by the pfn of their context page. A shutdown drops the SEV ones, a power
 * cycle all of them, unbinding their ASIDs (sim-fw-asid.c).
 *
 * SEV guests: LAUNCH_START makes one (a handle; sim-fw-sev-launch.c),
 * ACTIVATE and DEACTIVATE bind and unbind its ASID, DECOMMISSION (only when
 * inactive) ends it, GUEST_STATUS reports it. The platform is WORKING while
 * any exists.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "sim.h"

/* SEV guest states as GUEST_STATUS reports them */
static const u8 sim_sev_gstate[] = {
	[SIM_GSTATE_LUPDATE] = 1,
	[SIM_GSTATE_LSECRET] = 2,
	[SIM_GSTATE_RUNNING] = 3,
};

void sim_fw_guests_init(struct sim_fw *fw)
{
	xa_init_flags(&fw->sev_guests, XA_FLAGS_ALLOC1);
	xa_init(&fw->snp_guests);
}

/* SHUTDOWN (SEV guests) or a reset (all): every context is gone. */
void sim_fw_guests_drop(struct sim_fw *fw, bool snp)
{
	struct xarray *xa = snp ? &fw->snp_guests : &fw->sev_guests;
	struct sim_guest *g;
	unsigned long i;

	xa_for_each(xa, i, g) {
		xa_erase(xa, i);
		sim_fw_asid_unbind(fw, g);
		kfree_sensitive(g);
	}
	if (snp)
		fw->snp_guest_count = 0;
	else
		fw->guest_count = 0;
}

/* The guest whose context page is at @gctx_paddr, or NULL. */
struct sim_guest *sim_fw_snp_guest(struct sim_fw *fw, u64 gctx_paddr)
{
	if (!PAGE_ALIGNED(gctx_paddr))
		return NULL;
	return xa_load(&fw->snp_guests, PHYS_PFN(gctx_paddr));
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_snp_guest);

struct sim_guest *sim_fw_sev_guest(struct sim_fw *fw, u32 handle)
{
	return xa_load(&fw->sev_guests, handle);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_sev_guest);

/* The guest a guest command names, on an initialised platform. */
u16 sim_fw_sev_guest_cmd(struct sim_fw *fw, u32 handle, struct sim_guest **g)
{
	if (fw->state == SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	*g = sim_fw_sev_guest(fw, handle);
	return *g ? SEV_RET_SUCCESS : SEV_RET_INVALID_GUEST;
}

u16 sim_fw_activate(struct sim_fw *fw, void *buf)
{
	struct sev_data_activate *d = buf;
	struct sim_guest *g;
	u16 status = sim_fw_sev_guest_cmd(fw, d->handle, &g);

	if (status)
		return status;
	return sim_fw_asid_bind(fw, g, d->asid);
}

u16 sim_fw_deactivate(struct sim_fw *fw, void *buf)
{
	struct sev_data_deactivate *d = buf;
	struct sim_guest *g;
	u16 status = sim_fw_sev_guest_cmd(fw, d->handle, &g);

	if (status)
		return status;
	sim_fw_asid_unbind(fw, g);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_decommission(struct sim_fw *fw, void *buf)
{
	struct sev_data_decommission *d = buf;
	struct sim_guest *g;
	u16 status = sim_fw_sev_guest_cmd(fw, d->handle, &g);

	if (status)
		return status;
	if (g->asid)
		return SEV_RET_ACTIVE;

	xa_erase(&fw->sev_guests, d->handle);
	kfree_sensitive(g);
	if (!--fw->guest_count)
		fw->state = SEV_STATE_INIT;
	return SEV_RET_SUCCESS;
}

u16 sim_fw_guest_status(struct sim_fw *fw, void *buf)
{
	struct sev_data_guest_status *d = buf;
	struct sim_guest *g;
	u16 status = sim_fw_sev_guest_cmd(fw, d->handle, &g);

	if (status)
		return status;
	d->policy = g->policy;
	d->asid = g->asid;
	d->state = sim_sev_gstate[g->state];
	return SEV_RET_SUCCESS;
}
