// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV firmware command table: for each command id the driver knows,
 * its name and the size of its command buffer (0: the command takes none).
 * The mailbox copies exactly this many bytes to and from the firmware, so
 * this table is the one place that decides what a caller's buffer exposes.
 *
 * For legacy (pre-SNP) commands it also says what the firmware writes: the
 * command buffer, buffers at (address, length) pairs inside it, and guest
 * memory it encrypts in place; and the buffers it reads. The driver puts
 * pages of its own in place of the buffers it names (sev-issue.c), so a
 * command that never completes cannot touch a caller's freed memory; once
 * SNP is up, the firmware writes only firmware-owned pages, so those pages
 * are made so, and the guest memory is firmware-owned for the call. The
 * (address, length) pairs are named by their fields in the firmware's
 * structures, never by bare offsets.
 *
 * And it says which commands change the firmware's non-volatile state, so
 * that the INIT_EX file follows them (sev-nv.c).
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/stddef.h>

#include "psp.h"

/* A command whose buffer is struct @type (or none: CMD0) */
#define CMD(n, type)	{ .name = n, .len = sizeof(struct type) }
#define CMD0(n)		{ .name = n }
/* ... that changes the firmware's non-volatile state */
#define CMD_NV(n, type) \
	{ .name = n, .len = sizeof(struct type), .changes_nv = true }
#define CMD0_NV(n)	{ .name = n, .changes_nv = true }
/* ... that the firmware writes */
#define CMDW(n, type) \
	{ .name = n, .len = sizeof(struct type), .fw_writes = true }
/* A pair of fields of struct type: a u64 address and the u32 length there */
#define REGION(type, a, l) \
	{ offsetof(struct type, a), offsetof(struct type, l) }
/* ... and the buffer at the (address, length) fields a, l */
#define CMDW_OUT(n, type, a, l) \
	{ .name = n, .len = sizeof(struct type), .fw_writes = true, .n_out = 1, \
	  .out = { REGION(type, a, l) } }
#define CMDW_OUT2(n, type, a, l, a2, l2) \
	{ .name = n, .len = sizeof(struct type), .fw_writes = true, .n_out = 2, \
	  .out = { REGION(type, a, l), REGION(type, a2, l2) } }
/* ... and reads the buffers at the fields a, l and a2, l2 */
#define IN2(type, a, l, a2, l2) \
	.n_in = 2, .in = { REGION(type, a, l), REGION(type, a2, l2) }
/* ... guest memory at the fields a, l, which it encrypts in place */
#define CMD_INPLACE(n, type, a, l) \
	{ .name = n, .len = sizeof(struct type), .n_inplace = 1, \
	  .inplace = REGION(type, a, l) }

static const struct sev_cmd_desc sev_cmds[] = {
	/* platform */
	[SEV_CMD_INIT] = CMD("INIT", sev_data_init),
	[SEV_CMD_SHUTDOWN] = CMD0("SHUTDOWN"),
	[SEV_CMD_FACTORY_RESET] = CMD0_NV("FACTORY_RESET"),
	[SEV_CMD_PLATFORM_STATUS] =
		CMDW("PLATFORM_STATUS", sev_user_data_status),
	[SEV_CMD_PEK_GEN] = CMD0_NV("PEK_GEN"),
	[SEV_CMD_PEK_CSR] =
		CMDW_OUT("PEK_CSR", sev_data_pek_csr, address, len),
	[SEV_CMD_PEK_CERT_IMPORT] = {
		.name = "PEK_CERT_IMPORT",
		.len = sizeof(struct sev_data_pek_cert_import),
		.changes_nv = true,
		IN2(sev_data_pek_cert_import, pek_cert_address, pek_cert_len,
		    oca_cert_address, oca_cert_len),
	},
	[SEV_CMD_PDH_CERT_EXPORT] =
		CMDW_OUT2("PDH_CERT_EXPORT", sev_data_pdh_cert_export,
			  pdh_cert_address, pdh_cert_len,
			  cert_chain_address, cert_chain_len),
	[SEV_CMD_PDH_GEN] = CMD0_NV("PDH_GEN"),
	[SEV_CMD_DF_FLUSH] = CMD0("DF_FLUSH"),
	[SEV_CMD_DOWNLOAD_FIRMWARE] =
		CMD("DOWNLOAD_FIRMWARE", sev_data_download_firmware),
	[SEV_CMD_GET_ID] = CMDW_OUT("GET_ID", sev_data_get_id, address, len),
	[SEV_CMD_INIT_EX] = CMD_NV("INIT_EX", sev_data_init_ex),
	/* guest management */
	[SEV_CMD_DECOMMISSION] = CMD("DECOMMISSION", sev_data_decommission),
	[SEV_CMD_ACTIVATE] = CMD("ACTIVATE", sev_data_activate),
	[SEV_CMD_DEACTIVATE] = CMD("DEACTIVATE", sev_data_deactivate),
	[SEV_CMD_GUEST_STATUS] = CMDW("GUEST_STATUS", sev_data_guest_status),
	/* launch */
	[SEV_CMD_LAUNCH_START] = {
		.name = "LAUNCH_START",
		.len = sizeof(struct sev_data_launch_start),
		.fw_writes = true,
		IN2(sev_data_launch_start, dh_cert_address, dh_cert_len,
		    session_address, session_len),
	},
	[SEV_CMD_LAUNCH_UPDATE_DATA] =
		CMD_INPLACE("LAUNCH_UPDATE_DATA", sev_data_launch_update_data,
			    address, len),
	[SEV_CMD_LAUNCH_UPDATE_VMSA] =
		CMD_INPLACE("LAUNCH_UPDATE_VMSA", sev_data_launch_update_vmsa,
			    address, len),
	[SEV_CMD_LAUNCH_MEASURE] =
		CMDW_OUT("LAUNCH_MEASURE", sev_data_launch_measure, address,
			 len),
	[SEV_CMD_LAUNCH_UPDATE_SECRET] = {
		.name = "LAUNCH_UPDATE_SECRET",
		.len = sizeof(struct sev_data_launch_secret),
		IN2(sev_data_launch_secret, hdr_address, hdr_len,
		    trans_address, trans_len),
		.n_inplace = 1,
		.inplace = REGION(sev_data_launch_secret, guest_address,
				  guest_len),
	},
	[SEV_CMD_LAUNCH_FINISH] = CMD("LAUNCH_FINISH", sev_data_launch_finish),
	[SEV_CMD_ATTESTATION_REPORT] =
		CMDW_OUT("ATTESTATION_REPORT", sev_data_attestation_report,
			 address, len),
	/* migration */
	[SEV_CMD_SEND_START] = CMDW("SEND_START", sev_data_send_start),
	[SEV_CMD_SEND_UPDATE_DATA] =
		CMDW("SEND_UPDATE_DATA", sev_data_send_update_data),
	[SEV_CMD_SEND_UPDATE_VMSA] =
		CMDW("SEND_UPDATE_VMSA", sev_data_send_update_vmsa),
	[SEV_CMD_SEND_FINISH] = CMD("SEND_FINISH", sev_data_send_finish),
	[SEV_CMD_SEND_CANCEL] = CMD("SEND_CANCEL", sev_data_send_cancel),
	[SEV_CMD_RECEIVE_START] =
		CMDW("RECEIVE_START", sev_data_receive_start),
	[SEV_CMD_RECEIVE_UPDATE_DATA] =
		CMD("RECEIVE_UPDATE_DATA", sev_data_receive_update_data),
	[SEV_CMD_RECEIVE_UPDATE_VMSA] =
		CMD("RECEIVE_UPDATE_VMSA", sev_data_receive_update_vmsa),
	[SEV_CMD_RECEIVE_FINISH] =
		CMD("RECEIVE_FINISH", sev_data_receive_finish),
	/* debug */
	[SEV_CMD_DBG_DECRYPT] =
		CMDW_OUT("DBG_DECRYPT", sev_data_dbg, dst_addr, len),
	[SEV_CMD_DBG_ENCRYPT] =
		CMD_INPLACE("DBG_ENCRYPT", sev_data_dbg, dst_addr, len),
	/* SNP platform */
	[SEV_CMD_SNP_INIT] = CMD0("SNP_INIT"),
	[SEV_CMD_SNP_SHUTDOWN] = CMD0("SNP_SHUTDOWN"),
	[SEV_CMD_SNP_PLATFORM_STATUS] =
		CMD("SNP_PLATFORM_STATUS", sev_data_snp_addr),
	[SEV_CMD_SNP_DF_FLUSH] = CMD0("SNP_DF_FLUSH"),
	[SEV_CMD_SNP_INIT_EX] = CMD("SNP_INIT_EX", sev_data_snp_init_ex),
	[SEV_CMD_SNP_SHUTDOWN_EX] =
		CMD("SNP_SHUTDOWN_EX", sev_data_snp_shutdown_ex),
	[SEV_CMD_SNP_PAGE_RECLAIM] =
		CMD("SNP_PAGE_RECLAIM", sev_data_snp_page_reclaim),
	[SEV_CMD_SNP_CONFIG] = CMD("SNP_CONFIG", sev_user_data_snp_config),
	[SEV_CMD_SNP_COMMIT] = CMD("SNP_COMMIT", sev_data_snp_commit),
	[SEV_CMD_SNP_VLEK_LOAD] =
		CMD("SNP_VLEK_LOAD", sev_user_data_snp_vlek_load),
	/* not in upstream's table: the firmware hot-load series adds it */
	[SEV_CMD_SNP_DOWNLOAD_FIRMWARE_EX] =
		CMD("SNP_DOWNLOAD_FIRMWARE_EX",
		    sev_psp_data_download_firmware_ex),
	[SEV_CMD_SNP_FEATURE_INFO] =
		CMD("SNP_FEATURE_INFO", sev_data_snp_feature_info),
	/* SNP guests */
	[SEV_CMD_SNP_DECOMMISSION] =
		CMD("SNP_DECOMMISSION", sev_data_snp_addr),
	[SEV_CMD_SNP_ACTIVATE] = CMD("SNP_ACTIVATE", sev_data_snp_activate),
	[SEV_CMD_SNP_GUEST_STATUS] =
		CMD("SNP_GUEST_STATUS", sev_data_snp_guest_status),
	[SEV_CMD_SNP_GCTX_CREATE] = CMD("SNP_GCTX_CREATE", sev_data_snp_addr),
	[SEV_CMD_SNP_GUEST_REQUEST] =
		CMD("SNP_GUEST_REQUEST", sev_data_snp_guest_request),
	[SEV_CMD_SNP_LAUNCH_START] =
		CMD("SNP_LAUNCH_START", sev_data_snp_launch_start),
	[SEV_CMD_SNP_LAUNCH_UPDATE] =
		CMD("SNP_LAUNCH_UPDATE", sev_data_snp_launch_update),
	[SEV_CMD_SNP_LAUNCH_FINISH] =
		CMD("SNP_LAUNCH_FINISH", sev_data_snp_launch_finish),
	[SEV_CMD_SNP_DBG_DECRYPT] = CMD("SNP_DBG_DECRYPT", sev_data_snp_dbg),
	[SEV_CMD_SNP_DBG_ENCRYPT] = CMD("SNP_DBG_ENCRYPT", sev_data_snp_dbg),
};

const struct sev_cmd_desc *sev_cmd_desc(unsigned int cmd)
{
	if (cmd >= ARRAY_SIZE(sev_cmds) || !sev_cmds[cmd].name)
		return NULL;
	return &sev_cmds[cmd];
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(sev_cmd_desc);

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
