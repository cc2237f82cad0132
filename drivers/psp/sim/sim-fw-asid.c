// SPDX-License-Identifier: GPL-2.0-only
/*
 * ASIDs in the simulated firmware: which guest holds each, and the cache
 * flushing an ASID needs before another guest may have it.
 *
 * An ASID belongs to at most one guest at a time. Unbinding it (DEACTIVATE,
 * SNP_DECOMMISSION) leaves its cache lines and data-fabric buffers dirty:
 * no guest may bind it again until a DF_FLUSH or SNP_DF_FLUSH, which in turn
 * needs a WBINVD on every CPU after the last event that dirtied the caches
 * with guest data (INIT, SNP_INIT_EX, a guest deactivation). So:
 *   ACTIVATE on an ASID someone holds        SEV_RET_ASID_OWNED
 *   ACTIVATE on an unbound, unflushed ASID   SEV_RET_DFFLUSH_REQUIRED
 *   ACTIVATE outside the guest's ASID range  SEV_RET_INVALID_ASID
 *   DF_FLUSH with no WBINVD since            SEV_RET_WBINVD_REQUIRED
 * SEV-ES and SNP guests take ASIDs below SIM_MIN_SEV_ASID, plain SEV guests
 * the rest; with ciphertext hiding, SNP guests only the first max_snp_asid.
 *
 * The WBINVD the firmware sees is the platform's epoch (sim-platform.c):
 * each dirtying event marks the epoch it happened in, and a flush is
 * possible once the platform has moved past it.
 */
#include <linux/bitmap.h>

#include "sim.h"

/* Guest data may be in the caches from now on: a flush needs a WBINVD. */
void sim_fw_require_wbinvd(struct sim_fw *fw)
{
	fw->flush_mark = sim_platform_wbinvd_epoch();
}

/* Has there been a WBINVD since the caches were last dirtied? */
bool sim_fw_wbinvd_done(struct sim_fw *fw)
{
	return sim_platform_wbinvd_epoch() > fw->flush_mark;
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
	sim_fw_require_wbinvd(fw);
}

/* DF_FLUSH or SNP_DF_FLUSH succeeded: every unbound ASID is clean. */
void sim_fw_asids_flushed(struct sim_fw *fw)
{
	bitmap_zero(fw->asid_dirty, SIM_MAX_ASID + 1);
}
