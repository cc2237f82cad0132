// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV firmware command table: for each command id the driver knows,
 * its name and the size of its command buffer (0: the command takes none).
 * The mailbox copies exactly this many bytes to and from the firmware, so
 * this table is the one place that decides what a caller's buffer exposes.
 *
 * For legacy (pre-SNP) commands it also says what the firmware writes: the
 * command buffer, buffers at (address, length) pairs inside it, and guest
 * memory it encrypts in place. Once SNP is up, the firmware writes only
 * firmware-owned pages, so the driver bounces the first two through such
 * pages and makes the guest memory firmware-owned for the call (sev-dev.c).
 */
#include <linux/kernel.h>
#include <linux/module.h>

#include "psp.h"

#define CMD(n, l)	{ .name = n, .len = l }
/* The firmware writes the command buffer itself */
#define CMDW(n, l)	{ .name = n, .len = l, .fw_writes = true }
/* ... and the buffer at the (u64 address, u32 length) pair at a, l */
#define CMDW_OUT(n, l, a, ln) \
	{ .name = n, .len = l, .fw_writes = true, .n_out = 1, \
	  .out = { { a, ln } } }
#define CMDW_OUT2(n, l, a, ln, a2, ln2) \
	{ .name = n, .len = l, .fw_writes = true, .n_out = 2, \
	  .out = { { a, ln }, { a2, ln2 } } }
/* ... and guest memory at the pair at a, l, which it encrypts in place */
#define CMD_INPLACE(n, l, a, ln) \
	{ .name = n, .len = l, .n_inplace = 1, .inplace = { a, ln } }

static const struct sev_cmd_desc sev_cmds[] = {
	/* platform */
	[SEV_CMD_INIT] = CMD("INIT", sizeof(struct sev_data_init)),
	[SEV_CMD_SHUTDOWN] = CMD("SHUTDOWN", 0),
	[SEV_CMD_FACTORY_RESET] = CMD("FACTORY_RESET", 0),
	[SEV_CMD_PLATFORM_STATUS] =
		CMDW("PLATFORM_STATUS", sizeof(struct sev_user_data_status)),
	[SEV_CMD_PEK_GEN] = CMD("PEK_GEN", 0),
	[SEV_CMD_PEK_CSR] = CMDW_OUT("PEK_CSR", sizeof(struct sev_data_pek_csr), 0, 8),
	[SEV_CMD_PEK_CERT_IMPORT] =
		CMD("PEK_CERT_IMPORT", sizeof(struct sev_data_pek_cert_import)),
	[SEV_CMD_PDH_CERT_EXPORT] =
		CMDW_OUT2("PDH_CERT_EXPORT", sizeof(struct sev_data_pdh_cert_export),
			  0, 8, 16, 24),
	[SEV_CMD_PDH_GEN] = CMD("PDH_GEN", 0),
	[SEV_CMD_DF_FLUSH] = CMD("DF_FLUSH", 0),
	[SEV_CMD_DOWNLOAD_FIRMWARE] =
		CMD("DOWNLOAD_FIRMWARE", sizeof(struct sev_data_download_firmware)),
	[SEV_CMD_GET_ID] = CMDW_OUT("GET_ID", sizeof(struct sev_data_get_id), 0, 8),
	[SEV_CMD_INIT_EX] = CMD("INIT_EX", sizeof(struct sev_data_init_ex)),
	/* guest management */
	[SEV_CMD_DECOMMISSION] =
		CMD("DECOMMISSION", sizeof(struct sev_data_decommission)),
	[SEV_CMD_ACTIVATE] = CMD("ACTIVATE", sizeof(struct sev_data_activate)),
	[SEV_CMD_DEACTIVATE] =
		CMD("DEACTIVATE", sizeof(struct sev_data_deactivate)),
	[SEV_CMD_GUEST_STATUS] =
		CMDW("GUEST_STATUS", sizeof(struct sev_data_guest_status)),
	/* launch */
	[SEV_CMD_LAUNCH_START] =
		CMDW("LAUNCH_START", sizeof(struct sev_data_launch_start)),
	[SEV_CMD_LAUNCH_UPDATE_DATA] =
		CMD_INPLACE("LAUNCH_UPDATE_DATA",
			    sizeof(struct sev_data_launch_update_data), 8, 16),
	[SEV_CMD_LAUNCH_UPDATE_VMSA] =
		CMD_INPLACE("LAUNCH_UPDATE_VMSA",
			    sizeof(struct sev_data_launch_update_vmsa), 8, 16),
	[SEV_CMD_LAUNCH_MEASURE] =
		CMDW_OUT("LAUNCH_MEASURE", sizeof(struct sev_data_launch_measure),
			 8, 16),
	[SEV_CMD_LAUNCH_UPDATE_SECRET] =
		CMD_INPLACE("LAUNCH_UPDATE_SECRET",
			    sizeof(struct sev_data_launch_secret), 24, 32),
	[SEV_CMD_LAUNCH_FINISH] =
		CMD("LAUNCH_FINISH", sizeof(struct sev_data_launch_finish)),
	[SEV_CMD_ATTESTATION_REPORT] =
		CMDW("ATTESTATION_REPORT", sizeof(struct sev_data_attestation_report)),
	/* migration */
	[SEV_CMD_SEND_START] =
		CMDW("SEND_START", sizeof(struct sev_data_send_start)),
	[SEV_CMD_SEND_UPDATE_DATA] =
		CMDW("SEND_UPDATE_DATA", sizeof(struct sev_data_send_update_data)),
	[SEV_CMD_SEND_UPDATE_VMSA] =
		CMDW("SEND_UPDATE_VMSA", sizeof(struct sev_data_send_update_vmsa)),
	[SEV_CMD_SEND_FINISH] =
		CMD("SEND_FINISH", sizeof(struct sev_data_send_finish)),
	[SEV_CMD_SEND_CANCEL] =
		CMD("SEND_CANCEL", sizeof(struct sev_data_send_cancel)),
	[SEV_CMD_RECEIVE_START] =
		CMDW("RECEIVE_START", sizeof(struct sev_data_receive_start)),
	[SEV_CMD_RECEIVE_UPDATE_DATA] =
		CMD("RECEIVE_UPDATE_DATA", sizeof(struct sev_data_receive_update_data)),
	[SEV_CMD_RECEIVE_UPDATE_VMSA] =
		CMD("RECEIVE_UPDATE_VMSA", sizeof(struct sev_data_receive_update_vmsa)),
	[SEV_CMD_RECEIVE_FINISH] =
		CMD("RECEIVE_FINISH", sizeof(struct sev_data_receive_finish)),
	/* debug */
	[SEV_CMD_DBG_DECRYPT] =
		CMDW_OUT("DBG_DECRYPT", sizeof(struct sev_data_dbg), 16, 24),
	[SEV_CMD_DBG_ENCRYPT] =
		CMD_INPLACE("DBG_ENCRYPT", sizeof(struct sev_data_dbg), 16, 24),
	/* SNP platform */
	[SEV_CMD_SNP_INIT] = CMD("SNP_INIT", 0),
	[SEV_CMD_SNP_SHUTDOWN] = CMD("SNP_SHUTDOWN", 0),
	[SEV_CMD_SNP_PLATFORM_STATUS] =
		CMD("SNP_PLATFORM_STATUS", sizeof(struct sev_data_snp_addr)),
	[SEV_CMD_SNP_DF_FLUSH] = CMD("SNP_DF_FLUSH", 0),
	[SEV_CMD_SNP_INIT_EX] =
		CMD("SNP_INIT_EX", sizeof(struct sev_data_snp_init_ex)),
	[SEV_CMD_SNP_SHUTDOWN_EX] =
		CMD("SNP_SHUTDOWN_EX", sizeof(struct sev_data_snp_shutdown_ex)),
	[SEV_CMD_SNP_PAGE_RECLAIM] =
		CMD("SNP_PAGE_RECLAIM", sizeof(struct sev_data_snp_page_reclaim)),
	[SEV_CMD_SNP_CONFIG] =
		CMD("SNP_CONFIG", sizeof(struct sev_user_data_snp_config)),
	[SEV_CMD_SNP_COMMIT] =
		CMD("SNP_COMMIT", sizeof(struct sev_data_snp_commit)),
	[SEV_CMD_SNP_VLEK_LOAD] =
		CMD("SNP_VLEK_LOAD", sizeof(struct sev_user_data_snp_vlek_load)),
	/* not in upstream's table: the firmware hot-load series adds it */
	[SEV_CMD_SNP_DOWNLOAD_FIRMWARE_EX] =
		CMD("SNP_DOWNLOAD_FIRMWARE_EX",
		    sizeof(struct sev_psp_data_download_firmware_ex)),
	[SEV_CMD_SNP_FEATURE_INFO] =
		CMD("SNP_FEATURE_INFO", sizeof(struct sev_data_snp_feature_info)),
	/* SNP guests */
	[SEV_CMD_SNP_DECOMMISSION] =
		CMD("SNP_DECOMMISSION", sizeof(struct sev_data_snp_addr)),
	[SEV_CMD_SNP_ACTIVATE] =
		CMD("SNP_ACTIVATE", sizeof(struct sev_data_snp_activate)),
	[SEV_CMD_SNP_GUEST_STATUS] =
		CMD("SNP_GUEST_STATUS", sizeof(struct sev_data_snp_guest_status)),
	[SEV_CMD_SNP_GCTX_CREATE] =
		CMD("SNP_GCTX_CREATE", sizeof(struct sev_data_snp_addr)),
	[SEV_CMD_SNP_GUEST_REQUEST] =
		CMD("SNP_GUEST_REQUEST", sizeof(struct sev_data_snp_guest_request)),
	[SEV_CMD_SNP_LAUNCH_START] =
		CMD("SNP_LAUNCH_START", sizeof(struct sev_data_snp_launch_start)),
	[SEV_CMD_SNP_LAUNCH_UPDATE] =
		CMD("SNP_LAUNCH_UPDATE", sizeof(struct sev_data_snp_launch_update)),
	[SEV_CMD_SNP_LAUNCH_FINISH] =
		CMD("SNP_LAUNCH_FINISH", sizeof(struct sev_data_snp_launch_finish)),
	[SEV_CMD_SNP_DBG_DECRYPT] =
		CMD("SNP_DBG_DECRYPT", sizeof(struct sev_data_snp_dbg)),
	[SEV_CMD_SNP_DBG_ENCRYPT] =
		CMD("SNP_DBG_ENCRYPT", sizeof(struct sev_data_snp_dbg)),
};

const struct sev_cmd_desc *sev_cmd_desc(unsigned int cmd)
{
	if (cmd >= ARRAY_SIZE(sev_cmds) || !sev_cmds[cmd].name)
		return NULL;
	return &sev_cmds[cmd];
}

/**
 * sev_cmd_buffer_len() - size of a firmware command's buffer
 * @cmd: SEV command id
 *
 * Return: the size in bytes, 0 for a command that takes no buffer, or
 * -EINVAL for a command id the driver does not know.
 */
int sev_cmd_buffer_len(unsigned int cmd)
{
	const struct sev_cmd_desc *desc = sev_cmd_desc(cmd);

	return desc ? desc->len : -EINVAL;
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(sev_cmd_buffer_len);

const char *sev_cmd_name(unsigned int cmd)
{
	const struct sev_cmd_desc *desc = sev_cmd_desc(cmd);

	return desc ? desc->name : "unknown";
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(sev_cmd_name);
