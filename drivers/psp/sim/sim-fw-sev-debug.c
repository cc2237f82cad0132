// SPDX-License-Identifier: GPL-2.0-only
/*
 * DBG_DECRYPT and DBG_ENCRYPT in the simulated firmware (SEV API, spec
 * 55766): the hypervisor reads or writes the memory of a guest whose policy
 * allows debugging (NODBG clear, else SEV_RET_POLICY_FAILURE), and which is
 * active (else SEV_RET_INACTIVE), 16 bytes at a time (SEV_RET_INVALID_LEN,
 * SEV_RET_INVALID_ADDRESS). Guest memory is not encrypted in the model, so
 * both are copies; the destination must be writable by the firmware, which
 * once the RMP is up means firmware-owned (the driver bounces DBG_DECRYPT's
 * and makes DBG_ENCRYPT's guest memory so for the call).
 */
#include <linux/slab.h>

#include "sim.h"

#define SIM_DBG_MAX	SZ_16K

/* Both directions are the same copy here. */
u16 sim_fw_dbg(struct sim_fw *fw, void *buf)
{
	const struct sev_data_dbg *d = buf;
	struct sim_guest *g;
	u16 status;
	void *tmp;

	status = sim_fw_sev_guest_cmd(fw, d->handle, &g);
	if (status)
		return status;
	if (g->policy & SIM_POLICY_NODBG)
		return SEV_RET_POLICY_FAILURE;
	if (!g->asid)
		return SEV_RET_INACTIVE;
	if (!d->len || !IS_ALIGNED(d->len, 16) || d->len > SIM_DBG_MAX)
		return SEV_RET_INVALID_LEN;
	if (!IS_ALIGNED(d->src_addr, 16) || !IS_ALIGNED(d->dst_addr, 16))
		return SEV_RET_INVALID_ADDRESS;
	status = sim_fw_check_output(fw, d->dst_addr, d->len);
	if (status)
		return status;

	tmp = kmalloc(d->len, GFP_KERNEL);
	if (!tmp)
		return SEV_RET_RESOURCE_LIMIT;
	status = sim_fw_read(d->src_addr, tmp, d->len);
	if (!status)
		status = sim_fw_write(d->dst_addr, tmp, d->len);
	kfree_sensitive(tmp);
	return status;
}
