// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guests of the simulated firmware: the ASIDs they are bound to, and the
 * SEV (pre-SNP) guest commands (spec 55766).
 *
 * An ASID belongs to at most one guest at a time. Unbinding it (DEACTIVATE,
 * SNP_DECOMMISSION) leaves its cache lines and data-fabric buffers dirty:
 * no guest may bind it again until a DF_FLUSH or SNP_DF_FLUSH, which in turn
 * needs a WBINVD on every CPU after the unbinding (sim-fw-snp.c). So:
 *   ACTIVATE on an ASID someone holds        SEV_RET_ASID_OWNED
 *   ACTIVATE on an unbound, unflushed ASID   SEV_RET_DFFLUSH_REQUIRED
 *   ACTIVATE outside the guest's ASID range  SEV_RET_INVALID_ASID
 * SEV-ES and SNP guests take ASIDs below SIM_MIN_SEV_ASID, plain SEV guests
 * the rest; with ciphertext hiding, SNP guests only the first max_snp_asid.
 *
 * SEV guests: LAUNCH_START makes one (a handle; sim-fw-sev-launch.c),
 * ACTIVATE and DEACTIVATE bind and unbind its ASID, DECOMMISSION (only when
 * inactive) ends it, GUEST_STATUS reports it. The platform is WORKING while
 * any exists.
 */
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

static bool sim_asid_in_range(struct sim_fw *fw, const struct sim_guest *g,
			      u32 asid)
{
	bool es = g->snp || (g->policy & SIM_POLICY_ES);
	bool es_asid = asid < SIM_MIN_SEV_ASID;
	bool snp_asid = asid <= fw->max_snp_asid;

	if (!asid || asid > SIM_MAX_ASID || es != es_asid)
		return false;
	/* With ciphertext hiding, the first max_snp_asid are SNP's alone. */
	if (fw->ciphertext_hiding_en && es && g->snp != snp_asid)
		return false;
	return true;
}

u16 sim_fw_asid_bind(struct sim_fw *fw, struct sim_guest *g, u32 asid)
{
	if (g->asid)
		return SEV_RET_ACTIVE;
	if (!sim_asid_in_range(fw, g, asid))
		return SEV_RET_INVALID_ASID;
	if (fw->asid_owner[asid])
		return SEV_RET_ASID_OWNED;
	if (test_bit(asid, fw->asid_dirty))
		return SEV_RET_DFFLUSH_REQUIRED;

	fw->asid_owner[asid] = g;
	g->asid = asid;
	return SEV_RET_SUCCESS;
}

void sim_fw_asid_unbind(struct sim_fw *fw, struct sim_guest *g)
{
	if (!g->asid)
		return;
	fw->asid_owner[g->asid] = NULL;
	set_bit(g->asid, fw->asid_dirty);
	g->asid = 0;
	/* The guest's lines may still be in the caches. */
	sim_fw_need_flush(fw);
}

/* DF_FLUSH or SNP_DF_FLUSH succeeded: every unbound ASID is clean. */
void sim_fw_asids_flushed(struct sim_fw *fw)
{
	bitmap_zero(fw->asid_dirty, SIM_MAX_ASID + 1);
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

/*
 * A launch's secrets (transport keys, VMPCKs, report id): fresh for every
 * launch, derived from the chip secret and the launch's number, so that a
 * run with a given chip_secret can be reproduced.
 */
int sim_fw_launch_key(struct sim_fw *fw, const char *label, u32 index,
		      u8 *out, size_t len)
{
	struct {
		char label[16];
		__le64 launch;
		__le32 index;
	} __packed in = {
		.launch = cpu_to_le64(fw->launches),
		.index = cpu_to_le32(index),
	};
	u8 mac[SIM_P384_BYTES];
	int ret;

	strscpy(in.label, label, sizeof(in.label));
	ret = sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN, &in,
			      sizeof(in), mac);
	memcpy(out, mac, min(len, sizeof(mac)));
	memzero_explicit(mac, sizeof(mac));
	return ret;
}

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
