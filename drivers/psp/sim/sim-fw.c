// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated SEV firmware as a whole: its command table, and its life
 * (a new chip, a power cycle, the end).
 *
 * Like the real firmware, the model reads each command buffer from the
 * physical address the driver wrote to cmdbuff_addr, runs the command on
 * its own copy, and writes the buffer back (sim-fw-mem.c has the rules
 * for the memory it touches). Each command family has its own file; this
 * one only dispatches, one command at a time, under the firmware's lock.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>

#include "sim.h"

/* The largest command buffer of any command the model implements. */
#define SIM_FW_CMD_BUF_MAX	64

typedef u16 (*sim_fw_handler)(struct sim_fw *fw, void *buf);

struct sim_fw_cmd {
	sim_fw_handler fn;
	u16 len;		/* command buffer size, 0 if none */
	bool writes_buf;	/* the firmware writes the command buffer */
};

#define FW_CMD(h, l, w)	{ .fn = h, .len = l, .writes_buf = w }

static const struct sim_fw_cmd sim_fw_cmds[] = {
	/* SEV platform */
	[SEV_CMD_INIT] = FW_CMD(sim_fw_init_cmd, sizeof(struct sev_data_init), false),
	[SEV_CMD_SHUTDOWN] = FW_CMD(sim_fw_shutdown, 0, false),
	[SEV_CMD_FACTORY_RESET] = FW_CMD(sim_fw_factory_reset, 0, false),
	[SEV_CMD_PLATFORM_STATUS] =
		FW_CMD(sim_fw_platform_status, sizeof(struct sev_user_data_status), true),
	[SEV_CMD_DF_FLUSH] = FW_CMD(sim_fw_df_flush, 0, false),
	[SEV_CMD_PEK_GEN] = FW_CMD(sim_fw_pek_gen, 0, false),
	[SEV_CMD_PDH_GEN] = FW_CMD(sim_fw_pdh_gen, 0, false),
	[SEV_CMD_PEK_CSR] = FW_CMD(sim_fw_pek_csr, sizeof(struct sev_data_pek_csr), true),
	[SEV_CMD_PEK_CERT_IMPORT] =
		FW_CMD(sim_fw_pek_cert_import, sizeof(struct sev_data_pek_cert_import), false),
	[SEV_CMD_PDH_CERT_EXPORT] =
		FW_CMD(sim_fw_pdh_cert_export, sizeof(struct sev_data_pdh_cert_export), true),
	[SEV_CMD_GET_ID] = FW_CMD(sim_fw_get_id, sizeof(struct sev_data_get_id), true),
	[SEV_CMD_INIT_EX] = FW_CMD(sim_fw_init_ex, sizeof(struct sev_data_init_ex), false),
	/* SEV guests */
	[SEV_CMD_LAUNCH_START] =
		FW_CMD(sim_fw_launch_start, sizeof(struct sev_data_launch_start), true),
	[SEV_CMD_LAUNCH_UPDATE_DATA] =
		FW_CMD(sim_fw_launch_update_data, sizeof(struct sev_data_launch_update_data),
		       false),
	[SEV_CMD_LAUNCH_UPDATE_VMSA] =
		FW_CMD(sim_fw_launch_update_vmsa, sizeof(struct sev_data_launch_update_vmsa),
		       false),
	[SEV_CMD_LAUNCH_MEASURE] =
		FW_CMD(sim_fw_launch_measure, sizeof(struct sev_data_launch_measure), true),
	[SEV_CMD_LAUNCH_UPDATE_SECRET] =
		FW_CMD(sim_fw_launch_secret_cmd, sizeof(struct sev_data_launch_secret), false),
	[SEV_CMD_LAUNCH_FINISH] =
		FW_CMD(sim_fw_launch_finish, sizeof(struct sev_data_launch_finish), false),
	[SEV_CMD_ATTESTATION_REPORT] =
		FW_CMD(sim_fw_attestation_report,
		       sizeof(struct sev_data_attestation_report), true),
	[SEV_CMD_DBG_DECRYPT] = FW_CMD(sim_fw_dbg, sizeof(struct sev_data_dbg), false),
	[SEV_CMD_DBG_ENCRYPT] = FW_CMD(sim_fw_dbg, sizeof(struct sev_data_dbg), false),
	[SEV_CMD_ACTIVATE] = FW_CMD(sim_fw_activate, sizeof(struct sev_data_activate), false),
	[SEV_CMD_DEACTIVATE] =
		FW_CMD(sim_fw_deactivate, sizeof(struct sev_data_deactivate), false),
	[SEV_CMD_DECOMMISSION] =
		FW_CMD(sim_fw_decommission, sizeof(struct sev_data_decommission), false),
	[SEV_CMD_GUEST_STATUS] =
		FW_CMD(sim_fw_guest_status, sizeof(struct sev_data_guest_status), true),
	/* SNP platform */
	[SEV_CMD_SNP_PLATFORM_STATUS] =
		FW_CMD(sim_fw_snp_platform_status, sizeof(struct sev_data_snp_addr), false),
	[SEV_CMD_SNP_DF_FLUSH] = FW_CMD(sim_fw_snp_df_flush, 0, false),
	[SEV_CMD_SNP_INIT_EX] =
		FW_CMD(sim_fw_snp_init_ex, sizeof(struct sev_data_snp_init_ex), false),
	[SEV_CMD_SNP_SHUTDOWN_EX] =
		FW_CMD(sim_fw_snp_shutdown_ex, sizeof(struct sev_data_snp_shutdown_ex), false),
	[SEV_CMD_SNP_PAGE_RECLAIM] =
		FW_CMD(sim_fw_snp_page_reclaim, sizeof(struct sev_data_snp_page_reclaim), false),
	[SEV_CMD_SNP_CONFIG] =
		FW_CMD(sim_fw_snp_config, sizeof(struct sev_user_data_snp_config), false),
	[SEV_CMD_SNP_COMMIT] =
		FW_CMD(sim_fw_snp_commit, sizeof(struct sev_data_snp_commit), false),
	[SEV_CMD_SNP_VLEK_LOAD] =
		FW_CMD(sim_fw_snp_vlek_load, sizeof(struct sev_user_data_snp_vlek_load), false),
	[SEV_CMD_SNP_DOWNLOAD_FIRMWARE_EX] =
		FW_CMD(sim_fw_download_ex, sizeof(struct sev_psp_data_download_firmware_ex),
		       false),
	[SEV_CMD_SNP_FEATURE_INFO] =
		FW_CMD(sim_fw_snp_feature_info, sizeof(struct sev_data_snp_feature_info), false),
	/* SNP guests */
	[SEV_CMD_SNP_GCTX_CREATE] =
		FW_CMD(sim_fw_snp_gctx_create, sizeof(struct sev_data_snp_addr), false),
	[SEV_CMD_SNP_LAUNCH_START] =
		FW_CMD(sim_fw_snp_launch_start, sizeof(struct sev_data_snp_launch_start), false),
	[SEV_CMD_SNP_LAUNCH_UPDATE] =
		FW_CMD(sim_fw_snp_launch_update, sizeof(struct sev_data_snp_launch_update),
		       false),
	[SEV_CMD_SNP_LAUNCH_FINISH] =
		FW_CMD(sim_fw_snp_launch_finish, sizeof(struct sev_data_snp_launch_finish),
		       false),
	[SEV_CMD_SNP_ACTIVATE] =
		FW_CMD(sim_fw_snp_activate, sizeof(struct sev_data_snp_activate), false),
	[SEV_CMD_SNP_DECOMMISSION] =
		FW_CMD(sim_fw_snp_decommission, sizeof(struct sev_data_snp_addr), false),
	[SEV_CMD_SNP_GUEST_REQUEST] =
		FW_CMD(sim_fw_snp_guest_request, sizeof(struct sev_data_snp_guest_request),
		       false),
};

/**
 * sim_fw_cmd_buffer_len() - the size of a command's buffer, as the model
 * reads it
 * @cmd: SEV command id
 *
 * Return: the size in bytes, 0 for a command that takes no buffer, or
 * -EINVAL for a command the model does not implement.
 */
int sim_fw_cmd_buffer_len(unsigned int cmd)
{
	if (cmd >= ARRAY_SIZE(sim_fw_cmds) || !sim_fw_cmds[cmd].fn)
		return -EINVAL;
	return sim_fw_cmds[cmd].len;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_cmd_buffer_len);

/**
 * sim_fw_run() - execute one firmware command
 * @fw:		the firmware
 * @cmd:	command id from cmdresp
 * @buf:	physical address of the command buffer
 *
 * Return: the SEV_RET_* status for cmdresp.
 */
u16 sim_fw_run(struct sim_fw *fw, unsigned int cmd, phys_addr_t buf)
{
	u8 data[SIM_FW_CMD_BUF_MAX] __aligned(8) = {};
	const struct sim_fw_cmd *c;
	u64 start = ktime_get_ns();
	u16 status;

	mutex_lock(&fw->lock);

	if (cmd >= ARRAY_SIZE(sim_fw_cmds) || !sim_fw_cmds[cmd].fn) {
		status = SEV_RET_INVALID_COMMAND;
		goto out;
	}
	c = &sim_fw_cmds[cmd];
	if (WARN_ON_ONCE(c->len > sizeof(data))) {
		status = SEV_RET_INVALID_LEN;
		goto out;
	}

	if (c->len) {
		status = sim_fw_read(buf, data, c->len);
		if (status)
			goto out;
		/*
		 * Once SNP is up, a legacy command buffer the firmware writes
		 * must be a firmware page, like every other page it writes.
		 */
		if (c->writes_buf && cmd < SEV_CMD_SNP_INIT) {
			status = sim_fw_check_output(fw, buf, c->len);
			if (status)
				goto out;
		}
	}

	status = c->fn(fw, c->len ? data : NULL);

	/* The buffer goes back also on failure: it may carry lengths. */
	if (c->len) {
		u16 wstatus = sim_fw_write(buf, data, c->len);

		if (!status)
			status = wstatus;
	}

out:
	fw->commands++;
	fw->fw_ns += ktime_get_ns() - start;
	mutex_unlock(&fw->lock);
	return status;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_run);

/* The volatile state a power cycle (or a reset of the PSP) clears. */
void sim_fw_power_on(struct sim_fw *fw)
{
	mutex_lock(&fw->lock);
	sim_fw_guests_drop(fw, false);
	sim_fw_guests_drop(fw, true);
	sim_fw_asids_flushed(fw);
	fw->state = SEV_STATE_UNINIT;
	fw->config_es = false;
	fw->guest_count = 0;
	fw->tmr = 0;
	fw->snp_state = SIM_SNP_UNINIT;
	fw->rmp_initialized = false;
	fw->snp_guest_count = 0;
	fw->ciphertext_hiding_en = false;
	fw->max_snp_asid = 0;
	fw->hv_fixed_pages = 0;
	fw->vlek_en = false;
	fw->nv_address = 0;
	sim_fw_require_wbinvd(fw);
	mutex_unlock(&fw->lock);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_power_on);

/* A new chip: its identity, default firmware version, powered on. */
int sim_fw_init(struct sim_fw *fw)
{
	int ret;

	mutex_init(&fw->lock);
	sim_fw_guests_init(fw);
	ret = sim_fw_chip_init(fw);
	if (ret)
		return ret;
	fw->snp_enabled = sim_snp_enabled;
	ret = sim_fw_pki_init(fw);
	if (ret)
		return ret;
	sim_fw_power_on(fw);
	return 0;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_init);

void sim_fw_exit(struct sim_fw *fw)
{
	sim_fw_guests_drop(fw, false);
	sim_fw_guests_drop(fw, true);
	sim_fw_pki_exit(fw);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_exit);
