/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV-SNP firmware interface (spec 56860) for kernels whose
 * <linux/psp-sev.h> lacks it: command ids and command buffers under
 * upstream's names, so code written against upstream reads the same.
 * Kernel 6.1 knows SEV but not SEV-SNP; the SNP interface entered
 * <linux/psp-sev.h> in 6.9; SNP_FEATURE_INFO and SNP_INIT_EX's ciphertext
 * hiding and TIO fields came later than 6.12. The top-level Kbuild looks
 * for each in the target kernel's header and defines
 * SEV_PSP_KERNEL_HAS_SNP_API, SEV_PSP_KERNEL_HAS_SNP_FEATURE_INFO and
 * SEV_PSP_KERNEL_HAS_SNP_INIT_EX_ASIDS_TIO for what is there.
 *
 * Included by <sev-psp/kernel-compat.h> after <linux/psp-sev.h>; not on its
 * own.
 */
#ifndef SEV_PSP_SNP_FW_ABI_H
#define SEV_PSP_SNP_FW_ABI_H

#include <linux/types.h>

#ifndef SEV_PSP_KERNEL_HAS_SNP_API

/* SEV-SNP firmware commands (enum sev_cmd upstream) */
#define SEV_CMD_SNP_INIT			0x081
#define SEV_CMD_SNP_SHUTDOWN			0x082
#define SEV_CMD_SNP_PLATFORM_STATUS		0x083
#define SEV_CMD_SNP_DF_FLUSH			0x084
#define SEV_CMD_SNP_INIT_EX			0x085
#define SEV_CMD_SNP_SHUTDOWN_EX			0x086
#define SEV_CMD_SNP_DECOMMISSION		0x090
#define SEV_CMD_SNP_ACTIVATE			0x091
#define SEV_CMD_SNP_GUEST_STATUS		0x092
#define SEV_CMD_SNP_GCTX_CREATE			0x093
#define SEV_CMD_SNP_GUEST_REQUEST		0x094
#define SEV_CMD_SNP_ACTIVATE_EX			0x095
#define SEV_CMD_SNP_LAUNCH_START		0x0A0
#define SEV_CMD_SNP_LAUNCH_UPDATE		0x0A1
#define SEV_CMD_SNP_LAUNCH_FINISH		0x0A2
#define SEV_CMD_SNP_DBG_DECRYPT			0x0B0
#define SEV_CMD_SNP_DBG_ENCRYPT			0x0B1
#define SEV_CMD_SNP_PAGE_SWAP_OUT		0x0C0
#define SEV_CMD_SNP_PAGE_SWAP_IN		0x0C1
#define SEV_CMD_SNP_PAGE_MOVE			0x0C2
#define SEV_CMD_SNP_PAGE_MD_INIT		0x0C3
#define SEV_CMD_SNP_PAGE_SET_STATE		0x0C6
#define SEV_CMD_SNP_PAGE_RECLAIM		0x0C7
#define SEV_CMD_SNP_PAGE_UNSMASH		0x0C8
#define SEV_CMD_SNP_CONFIG			0x0C9
#define SEV_CMD_SNP_DOWNLOAD_FIRMWARE_EX	0x0CA
#define SEV_CMD_SNP_COMMIT			0x0CB
#define SEV_CMD_SNP_VLEK_LOAD			0x0CD

/* SNP_PLATFORM_STATUS, SNP_DECOMMISSION, SNP_GCTX_CREATE */
struct sev_data_snp_addr {
	u64 address;
} __packed;

/* SNP_ACTIVATE */
struct sev_data_snp_activate {
	u64 gctx_paddr;
	u32 asid;
} __packed;

/* SNP_LAUNCH_START */
struct sev_data_snp_launch_start {
	u64 gctx_paddr;
	u64 policy;
	u64 ma_gctx_paddr;
	u32 ma_en:1;
	u32 imi_en:1;
	u32 rsvd:30;
	u32 desired_tsc_khz;
	u8 gosvw[16];
} __packed;

/* SNP_LAUNCH_UPDATE page types */
enum {
	SNP_PAGE_TYPE_NORMAL		= 0x1,
	SNP_PAGE_TYPE_VMSA		= 0x2,
	SNP_PAGE_TYPE_ZERO		= 0x3,
	SNP_PAGE_TYPE_UNMEASURED	= 0x4,
	SNP_PAGE_TYPE_SECRET		= 0x5,
	SNP_PAGE_TYPE_CPUID		= 0x6,

	SNP_PAGE_TYPE_MAX
};

/* SNP_LAUNCH_UPDATE */
struct sev_data_snp_launch_update {
	u64 gctx_paddr;
	u32 page_size:1;
	u32 page_type:3;
	u32 imi_page:1;
	u32 rsvd:27;
	u32 rsvd2;
	u64 address;
	u32 rsvd3:8;
	u32 vmpl1_perms:8;
	u32 vmpl2_perms:8;
	u32 vmpl3_perms:8;
	u32 rsvd4;
} __packed;

/* SNP_LAUNCH_FINISH */
struct sev_data_snp_launch_finish {
	u64 gctx_paddr;
	u64 id_block_paddr;
	u64 id_auth_paddr;
	u8 id_block_en:1;
	u8 auth_key_en:1;
	u8 vcek_disabled:1;
	u64 rsvd:61;
	u8 host_data[32];
} __packed;

/* SNP_GUEST_STATUS */
struct sev_data_snp_guest_status {
	u64 gctx_paddr;
	u64 address;
} __packed;

/* SNP_DBG_DECRYPT, SNP_DBG_ENCRYPT */
struct sev_data_snp_dbg {
	u64 gctx_paddr;
	u64 src_addr;
	u64 dst_addr;
} __packed;

/* SNP_GUEST_REQUEST */
struct sev_data_snp_guest_request {
	u64 gctx_paddr;
	u64 req_paddr;
	u64 res_paddr;
} __packed;

/* The page SNP_INIT_EX's list_paddr points to: ranges made HV_FIXED */
struct sev_data_range {
	u64 base;
	u32 page_count;
	u32 rsvd;
} __packed;

struct sev_data_range_list {
	u32 num_elements;
	u32 rsvd;
	struct sev_data_range ranges[];
} __packed;

/* SNP_SHUTDOWN_EX */
struct sev_data_snp_shutdown_ex {
	u32 len;
	u32 iommu_snp_shutdown:1;
	u32 rsvd1:31;
} __packed;

/* SNP_PAGE_RECLAIM: bit 0 of paddr is the page size (1: 2 MiB) */
struct sev_data_snp_page_reclaim {
	u64 paddr;
} __packed;

/* SNP_COMMIT */
struct sev_data_snp_commit {
	u32 len;
} __packed;

#endif /* !SEV_PSP_KERNEL_HAS_SNP_API */

/*
 * SNP_INIT_EX with ciphertext hiding and TIO: also for kernels whose own
 * copy lacks those fields (<sev-psp/kernel-compat.h> renames that one).
 */
#ifndef SEV_PSP_KERNEL_HAS_SNP_INIT_EX_ASIDS_TIO
struct sev_data_snp_init_ex {
	u32 init_rmp:1;
	u32 list_paddr_en:1;
	u32 rapl_dis:1;
	u32 ciphertext_hiding_en:1;
	u32 tio_en:1;
	u32 rsvd:27;
	u32 rsvd1;
	u64 list_paddr;
	u16 max_snp_asid;
	u8 rsvd2[46];
} __packed;
#endif

/* SNP_FEATURE_INFO: not in 6.12 and earlier */
#ifndef SEV_PSP_KERNEL_HAS_SNP_FEATURE_INFO
#define SEV_CMD_SNP_FEATURE_INFO		0x0CE

/* CPUID 0x8000_0024 as the firmware sees it */
struct sev_data_snp_feature_info {
	u32 length;
	u32 ecx_in;
	u64 feature_info_paddr;
} __packed;

struct snp_feature_info {
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
} __packed;
#endif

#ifndef SNP_CIPHER_TEXT_HIDING_SUPPORTED
#define SNP_CIPHER_TEXT_HIDING_SUPPORTED	BIT(3)
#endif

/*
 * SNP_DOWNLOAD_FIRMWARE_EX's buffer: not in any kernel; as the firmware
 * hot-load series (v5, "crypto: ccp: Add DOWNLOAD_FIRMWARE_EX support")
 * defines it.
 */
struct sev_psp_data_download_firmware_ex {
	u32 length;
	u32 rsvd;
	u64 fw_paddr;
	u32 fw_len;
	u32 commit:1;
	u32 rsvd1:31;
} __packed;

#define SEV_FW_ALIGNMENT	32

#endif /* SEV_PSP_SNP_FW_ABI_H */
