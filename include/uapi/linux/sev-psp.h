/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * sev-psp's additions to the /dev/sev ABI of <linux/psp-sev.h>.
 *
 * Upstream's SEV_ISSUE_CMD command ids count up from 0 (SEV_MAX is 13 today).
 * This project's own commands use ids from SEV_PSP_CMD_BASE up, far beyond
 * any id upstream will reach, so a tool can never send one by mistake, and
 * an upstream kernel answers them with EINVAL.
 */
#ifndef __SEV_PSP_USER_H__
#define __SEV_PSP_USER_H__

#include <linux/types.h>

#define SEV_PSP_CMD_BASE	0x70000000

/*
 * The host-wide SNP certificate blob and reported-TCB configuration that
 * extended guest requests return, set and read in one call so that they
 * always change together (the interface of the SNP host RFC, v7).
 *
 * SNP_SET_EXT_CONFIG (writable fd, SNP initialised, else EPERM / ENODEV):
 *   config_address  0, or a struct sev_user_data_snp_config to apply with
 *                   the firmware's SNP_CONFIG
 *   certs_address   0 deletes the blob; else the blob, certs_len bytes,
 *                   page-aligned length of at most 16 KiB (EINVAL)
 * The blob is a GUID table: 24-byte entries { guid[16], u32 offset,
 * u32 length } ended by an all-zero entry, each offset from the blob's
 * start, past the table, with its certificate inside the blob. A bad
 * table is EINVAL and the previous blob and configuration stay.
 *
 * SNP_GET_EXT_CONFIG (any fd):
 *   config_address  0, or where the current configuration is written
 *   certs_address   0, or a buffer of certs_len bytes for the blob; too
 *                   small a buffer is ENOSR with certs_len set to the size
 *                   needed; certs_len comes back 0 when there is no blob
 */
#define SNP_SET_EXT_CONFIG	(SEV_PSP_CMD_BASE + 1)
#define SNP_GET_EXT_CONFIG	(SEV_PSP_CMD_BASE + 2)

/*
 * Packed, as the RFC series that defined it: 20 bytes for 64-bit and
 * 32-bit callers alike (compat_ptr_ioctl passes the struct through as is).
 */
struct sev_user_data_ext_snp_config {
	__u64 config_address;		/* In */
	__u64 certs_address;		/* In */
	__u32 certs_len;		/* In/Out */
} __attribute__((packed));

/* The GUID table in the certificate blob */
struct sev_psp_cert_table_entry {
	__u8 guid[16];
	__u32 offset;
	__u32 length;
};

#define SEV_PSP_CERT_BLOB_MAX	0x4000	/* SEV_FW_BLOB_MAX_SIZE */

/* GUIDs in wire (RFC 4122) byte order */
#define SEV_PSP_GUID_VCEK \
	{ 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64, \
	  0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd }
#define SEV_PSP_GUID_VLEK \
	{ 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e, \
	  0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 }
#define SEV_PSP_GUID_ASK \
	{ 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4, \
	  0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 }
#define SEV_PSP_GUID_ARK \
	{ 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52, \
	  0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae }

#endif /* __SEV_PSP_USER_H__ */
