// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV platform commands of the simulated firmware (SEV API, spec 55766):
 * the platform state machine UNINIT -> INIT -> WORKING and back.
 *
 *   INIT            UNINIT -> INIT; with SEV_ES, takes the TMR (1 MiB;
 *                   2 MiB and firmware-owned once SNP is up); with SNP
 *                   enabled on the platform, only after SNP_INIT_EX
 *   INIT_EX         INIT, with the persistent state in an NV buffer the
 *                   hypervisor keeps (sim-fw-nv.c)
 *   SHUTDOWN        any state -> UNINIT; guests are gone
 *   DF_FLUSH        INIT or WORKING; needs a WBINVD since the caches were
 *                   last dirtied (SEV_RET_WBINVD_REQUIRED)
 *   FACTORY_RESET   UNINIT only; a self-owned platform with new keys
 *   PLATFORM_STATUS any state
 *   GET_ID          any state; too short a buffer gets the length back
 *
 * A command in the wrong state answers SEV_RET_INVALID_PLATFORM_STATE.
 */
#include <linux/mm.h>
#include <linux/sizes.h>

#include "sim.h"

/* The SEV-ES TMR: 1 MiB, or 2 MiB and firmware-owned once SNP is up */
#define SIM_TMR_SIZE		SZ_1M
#define SIM_TMR_SIZE_SNP	SZ_2M

/* The checks INIT and INIT_EX share. */
static u16 sim_fw_init_check(struct sim_fw *fw, u32 flags, u64 tmr_address,
			     u32 tmr_len)
{
	u32 tmr_size = fw->rmp_initialized ? SIM_TMR_SIZE_SNP : SIM_TMR_SIZE;

	if (fw->state != SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	/* With SNP on, SEV INIT comes after SNP_INIT_EX. */
	if (fw->snp_enabled && fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_RMP_INIT_REQUIRED;
	if (flags & ~SEV_INIT_FLAGS_SEV_ES)
		return SEV_RET_INVALID_PARAM;
	if (!(flags & SEV_INIT_FLAGS_SEV_ES))
		return SEV_RET_SUCCESS;

	if (tmr_len != tmr_size)
		return SEV_RET_INVALID_LEN;
	if (!IS_ALIGNED(tmr_address, tmr_size))
		return SEV_RET_INVALID_ADDRESS;
	return sim_fw_check_output(fw, tmr_address, tmr_size);
}

static void sim_fw_init_commit(struct sim_fw *fw, u32 flags,
			       u64 tmr_address)
{
	if (flags & SEV_INIT_FLAGS_SEV_ES) {
		fw->tmr = tmr_address;
		fw->config_es = true;
	}
	fw->state = SEV_STATE_INIT;
	sim_fw_require_wbinvd(fw);
}

u16 sim_fw_init_cmd(struct sim_fw *fw, void *buf)
{
	struct sev_data_init *init = buf;
	u16 status;

	status = sim_fw_init_check(fw, init->flags, init->tmr_address,
				   init->tmr_len);
	if (status)
		return status;
	sim_fw_init_commit(fw, init->flags, init->tmr_address);
	return SEV_RET_SUCCESS;
}

/* INIT with the persistent state in the hypervisor's NV buffer */
u16 sim_fw_init_ex(struct sim_fw *fw, void *buf)
{
	struct sev_data_init_ex *d = buf;
	u16 status;

	if (d->length != sizeof(*d))
		return SEV_RET_INVALID_LEN;
	status = sim_fw_init_check(fw, d->flags, d->tmr_address, d->tmr_len);
	if (status)
		return status;
	if (d->nv_len != SIM_NV_LEN)
		return SEV_RET_INVALID_LEN;
	status = sim_fw_check_output(fw, d->nv_address, SIM_NV_LEN);
	if (status)
		return status;

	status = sim_fw_nv_load(fw, d->nv_address);
	if (status)
		return status;
	sim_fw_init_commit(fw, d->flags, d->tmr_address);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_shutdown(struct sim_fw *fw, void *buf)
{
	fw->state = SEV_STATE_UNINIT;
	sim_fw_guests_drop(fw, false);
	fw->config_es = false;
	fw->tmr = 0;
	return SEV_RET_SUCCESS;
}

/*
 * Every unbound ASID's data leaves the caches (sim-fw-asid.c); SNP's
 * SNP_DF_FLUSH is the same for an SNP platform.
 */
u16 sim_fw_df_flush(struct sim_fw *fw, void *buf)
{
	if (fw->state == SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!sim_fw_wbinvd_done(fw))
		return SEV_RET_WBINVD_REQUIRED;
	sim_fw_asids_flushed(fw);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_factory_reset(struct sim_fw *fw, void *buf)
{
	if (fw->state != SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;

	/* the persistent state: a self-owned platform with new keys */
	if (sim_fw_pki_reset(fw))
		return SEV_RET_RESOURCE_LIMIT;
	return sim_fw_nv_save(fw);
}

u16 sim_fw_platform_status(struct sim_fw *fw, void *buf)
{
	struct sev_user_data_status *st = buf;

	st->api_major = fw->api_major;
	st->api_minor = fw->api_minor;
	st->state = fw->state;
	st->flags = (fw->owner_external ? SIM_STATUS_OWNER_EXTERNAL : 0) |
		    (fw->config_es ? SIM_STATUS_CONFIG_ES : 0);
	st->build = fw->build;
	st->guest_count = fw->guest_count;
	return SEV_RET_SUCCESS;
}

u16 sim_fw_get_id(struct sim_fw *fw, void *buf)
{
	struct sev_data_get_id *id = buf;
	u32 given = id->len;
	u16 status;

	/* The ID's length is the firmware's to say, in every answer. */
	id->len = SIM_CHIP_ID_LEN;
	if (!id->address || given < SIM_CHIP_ID_LEN)
		return SEV_RET_INVALID_LEN;

	status = sim_fw_check_output(fw, id->address, SIM_CHIP_ID_LEN);
	if (status)
		return status;
	return sim_fw_write(id->address, fw->chip_id, SIM_CHIP_ID_LEN);
}

const char *sim_fw_state_name(enum sev_state state)
{
	switch (state) {
	case SEV_STATE_UNINIT:
		return "UNINIT";
	case SEV_STATE_INIT:
		return "INIT";
	case SEV_STATE_WORKING:
		return "WORKING";
	default:
		return "?";
	}
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_state_name);
