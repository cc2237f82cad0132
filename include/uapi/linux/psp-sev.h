/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Userspace interface of /dev/sev, the AMD Secure Encrypted Virtualization
 * (SEV) platform device.
 *
 * Numbers, structures and semantics are upstream Linux's (this header is a
 * drop-in for <linux/psp-sev.h>, including the SNP commands that kernel 6.1
 * headers lack), so tools written against upstream work unchanged. It uses
 * upstream's include guard: whichever copy is included first wins.
 *
 * The one ioctl, SEV_ISSUE_CMD, takes struct sev_issue_cmd. The firmware
 * status of the command comes back in .error (an SEV_RET_* value, 0 if the
 * firmware was not reached); the return value is 0 or -1 with errno:
 *   EINVAL  unknown ioctl or command, or a malformed argument
 *   EFAULT  an address the kernel cannot read or write
 *   EPERM   the command changes platform state and the file is read-only
 *   EIO     the firmware failed the command; see .error
 *   EBUSY   the platform is in use, or the PSP stopped answering earlier
 *   ETIMEDOUT  the PSP did not answer in time (it is dead from then on)
 *   ENODEV  there is no PSP (or it went away during the command)
 */
#ifndef __PSP_SEV_USER_H__
#define __PSP_SEV_USER_H__

#include <linux/ioctl.h>
#include <linux/types.h>

/* SEV_ISSUE_CMD command ids */
enum {
	SEV_FACTORY_RESET = 0,
	SEV_PLATFORM_STATUS,
	SEV_PEK_GEN,
	SEV_PEK_CSR,
	SEV_PDH_GEN,
	SEV_PDH_CERT_EXPORT,
	SEV_PEK_CERT_IMPORT,
	SEV_GET_ID,	/* This command is deprecated, use SEV_GET_ID2 */
	SEV_GET_ID2,
	SNP_PLATFORM_STATUS,
	SNP_COMMIT,
	SNP_SET_CONFIG,
	SNP_VLEK_LOAD,

	SEV_MAX,
};

/* Firmware status codes (SEV API 55766, SEV-SNP ABI 56860) */
typedef enum {
	/*
	 * Not a firmware code: the firmware was not called. Firmware codes
	 * are 16 bits, so -1 never collides with one.
	 */
	SEV_RET_NO_FW_CALL = -1,
	SEV_RET_SUCCESS = 0,
	SEV_RET_INVALID_PLATFORM_STATE,
	SEV_RET_INVALID_GUEST_STATE,
	SEV_RET_INAVLID_CONFIG,
	SEV_RET_INVALID_CONFIG = SEV_RET_INAVLID_CONFIG,
	SEV_RET_INVALID_LEN,
	SEV_RET_ALREADY_OWNED,
	SEV_RET_INVALID_CERTIFICATE,
	SEV_RET_POLICY_FAILURE,
	SEV_RET_INACTIVE,
	SEV_RET_INVALID_ADDRESS,
	SEV_RET_BAD_SIGNATURE,
	SEV_RET_BAD_MEASUREMENT,
	SEV_RET_ASID_OWNED,
	SEV_RET_INVALID_ASID,
	SEV_RET_WBINVD_REQUIRED,
	SEV_RET_DFFLUSH_REQUIRED,
	SEV_RET_INVALID_GUEST,
	SEV_RET_INVALID_COMMAND,
	SEV_RET_ACTIVE,
	SEV_RET_HWSEV_RET_PLATFORM,
	SEV_RET_HWSEV_RET_UNSAFE,
	SEV_RET_UNSUPPORTED,
	SEV_RET_INVALID_PARAM,
	SEV_RET_RESOURCE_LIMIT,
	SEV_RET_SECURE_DATA_INVALID,
	SEV_RET_INVALID_PAGE_SIZE          = 0x0019,
	SEV_RET_INVALID_PAGE_STATE         = 0x001A,
	SEV_RET_INVALID_MDATA_ENTRY        = 0x001B,
	SEV_RET_INVALID_PAGE_OWNER         = 0x001C,
	SEV_RET_AEAD_OFLOW                 = 0x001D,
	SEV_RET_EXIT_RING_BUFFER           = 0x001F,
	SEV_RET_RMP_INIT_REQUIRED          = 0x0020,
	SEV_RET_BAD_SVN                    = 0x0021,
	SEV_RET_BAD_VERSION                = 0x0022,
	SEV_RET_SHUTDOWN_REQUIRED          = 0x0023,
	SEV_RET_UPDATE_FAILED              = 0x0024,
	SEV_RET_RESTORE_REQUIRED           = 0x0025,
	SEV_RET_RMP_INITIALIZATION_FAILED  = 0x0026,
	SEV_RET_INVALID_KEY                = 0x0027,
	SEV_RET_MAX,
} sev_ret_code;

/* SEV_PLATFORM_STATUS: state is enum sev_state (0 UNINIT, 1 INIT, 2 WORKING) */
struct sev_user_data_status {
	__u8 api_major;				/* Out */
	__u8 api_minor;				/* Out */
	__u8 state;				/* Out */
	__u32 flags;				/* Out: bit 0 owner (1 external) */
	__u8 build;				/* Out */
	__u32 guest_count;			/* Out */
} __attribute__((packed));

#define SEV_STATUS_FLAGS_CONFIG_ES	0x0100

/* SEV_PEK_CSR: address 0 or length 0 asks for the length */
struct sev_user_data_pek_csr {
	__u64 address;				/* In */
	__u32 length;				/* In/Out */
} __attribute__((packed));

/* SEV_PEK_CERT_IMPORT */
struct sev_user_data_pek_cert_import {
	__u64 pek_cert_address;			/* In */
	__u32 pek_cert_len;			/* In */
	__u64 oca_cert_address;			/* In */
	__u32 oca_cert_len;			/* In */
} __attribute__((packed));

/* SEV_PDH_CERT_EXPORT: any address or length 0 asks for the lengths */
struct sev_user_data_pdh_cert_export {
	__u64 pdh_cert_address;			/* In */
	__u32 pdh_cert_len;			/* In/Out */
	__u64 cert_chain_address;		/* In */
	__u32 cert_chain_len;			/* In/Out */
} __attribute__((packed));

/* SEV_GET_ID (deprecated) */
struct sev_user_data_get_id {
	__u8 socket1[64];			/* Out */
	__u8 socket2[64];			/* Out */
} __attribute__((packed));

/* SEV_GET_ID2: address 0, length 0 or too short a buffer gets the length */
struct sev_user_data_get_id2 {
	__u64 address;				/* In */
	__u32 length;				/* In/Out */
} __attribute__((packed));

/* SNP_PLATFORM_STATUS */
struct sev_user_data_snp_status {
	__u8 api_major;				/* Out */
	__u8 api_minor;				/* Out */
	__u8 state;				/* Out */
	__u8 is_rmp_initialized:1;		/* Out */
	__u8 rsvd:7;
	__u32 build_id;				/* Out */
	__u32 mask_chip_id:1;			/* Out */
	__u32 mask_chip_key:1;			/* Out */
	__u32 vlek_en:1;			/* Out */
	__u32 feature_info:1;			/* Out */
	__u32 rapl_dis:1;			/* Out */
	__u32 ciphertext_hiding_cap:1;		/* Out */
	__u32 ciphertext_hiding_en:1;		/* Out */
	__u32 rsvd1:25;
	__u32 guest_count;			/* Out */
	__u64 current_tcb_version;		/* Out */
	__u64 reported_tcb_version;		/* Out */
} __attribute__((packed));

/* SNP_SET_CONFIG */
struct sev_user_data_snp_config {
	__u64 reported_tcb;			/* In */
	__u32 mask_chip_id:1;			/* In */
	__u32 mask_chip_key:1;			/* In */
	__u32 rsvd:30;				/* In */
	__u8 rsvd1[52];
} __attribute__((packed));

/* SNP_VLEK_LOAD: len must be sizeof(struct), version 0 */
struct sev_user_data_snp_vlek_load {
	__u32 len;				/* In */
	__u8 vlek_wrapped_version;		/* In */
	__u8 rsvd[3];				/* In */
	__u64 vlek_wrapped_address;		/* In */
} __attribute__((packed));

struct sev_user_data_snp_wrapped_vlek_hashstick {
	__u8 data[432];				/* In */
} __attribute__((packed));

struct sev_issue_cmd {
	__u32 cmd;				/* In */
	__u64 data;				/* In */
	__u32 error;				/* Out */
} __attribute__((packed));

#define SEV_IOC_TYPE		'S'
#define SEV_ISSUE_CMD	_IOWR(SEV_IOC_TYPE, 0x0, struct sev_issue_cmd)

#endif /* __PSP_SEV_USER_H__ */
