/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an SNP guest and the firmware say to each other through
 * SNP_GUEST_REQUEST (spec 56860, "Guest Messages"), and the secrets page
 * the firmware gives the guest at launch. The host only carries these
 * messages; the simulated firmware and the tests, playing the guest, read
 * and write them.
 *
 * A message is one 4 KiB page: a 96-byte header in the clear, then the
 * payload, AES-256-GCM-encrypted under the VMPCK the header names, with
 * the 48 header bytes from @algo on as additional authenticated data and
 * the sequence number as the IV. The firmware takes only the next
 * sequence number of each VMPCK and answers with the one after it.
 */
#ifndef SEV_PSP_SNP_MSG_H
#define SEV_PSP_SNP_MSG_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

#define SNP_MSG_PAGE_SIZE	4096
#define SNP_MSG_AEAD_AES_256_GCM 1
#define SNP_MSG_HDR_VERSION	1
#define SNP_MSG_VERSION		1	/* of every message type defined here */
#define SNP_MSG_IV_LEN		12	/* the sequence number, zero-extended */
#define SNP_MSG_AUTHTAG_LEN	16
#define SNP_MSG_VMPCK_LEN	32
#define SNP_MSG_NR_VMPCK	4

enum sev_psp_msg_type {
	SNP_MSG_TYPE_INVALID = 0,
	SNP_MSG_CPUID_REQ,
	SNP_MSG_CPUID_RSP,
	SNP_MSG_KEY_REQ,
	SNP_MSG_KEY_RSP,
	SNP_MSG_REPORT_REQ,
	SNP_MSG_REPORT_RSP,
};

struct sev_psp_msg_hdr {
	u8 authtag[32];
	__le64 msg_seqno;
	u8 rsvd1[8];
	u8 algo;		/* the AAD starts here */
	u8 hdr_version;
	__le16 hdr_sz;
	u8 msg_type;
	u8 msg_version;
	__le16 msg_sz;
	__le32 rsvd2;
	u8 msg_vmpck;
	u8 rsvd3[35];
} __packed;

#define SNP_MSG_AAD_OFFSET	offsetof(struct sev_psp_msg_hdr, algo)
#define SNP_MSG_AAD_LEN		(sizeof(struct sev_psp_msg_hdr) - SNP_MSG_AAD_OFFSET)
#define SNP_MSG_PAYLOAD_MAX	(SNP_MSG_PAGE_SIZE - sizeof(struct sev_psp_msg_hdr))

struct sev_psp_msg {
	struct sev_psp_msg_hdr hdr;
	u8 payload[SNP_MSG_PAYLOAD_MAX];
} __packed;

/* MSG_REPORT_REQ */
struct sev_psp_report_req {
	u8 report_data[64];
	__le32 vmpl;
	u8 rsvd[28];
} __packed;

/* The attestation report, version 2 */
#define SNP_REPORT_VERSION	2
#define SNP_REPORT_SIG_ALGO_ECDSA_P384_SHA384 1
#define SNP_REPORT_SIGNED_LEN	0x2a0
#define SNP_REPORT_SIGNING_KEY_VCEK 0
#define SNP_REPORT_SIGNING_KEY_VLEK 1
#define SNP_REPORT_SIGNING_KEY_NONE 7

/* The report's platform_info */
#define SNP_REPORT_PLATFORM_SMT_EN	BIT_ULL(0)

/* The report's signer_info */
#define SNP_REPORT_SIGNER_AUTHOR_KEY_EN	BIT(0)
#define SNP_REPORT_SIGNER_MASK_CHIP_KEY	BIT(1)
#define SNP_REPORT_SIGNER_SIGNING_KEY	GENMASK(4, 2)	/* SNP_REPORT_SIGNING_KEY_* */

struct sev_psp_attestation_report {
	__le32 version;
	__le32 guest_svn;
	__le64 policy;
	u8 family_id[16];
	u8 image_id[16];
	__le32 vmpl;
	__le32 signature_algo;
	__le64 current_tcb;
	__le64 platform_info;	/* SNP_REPORT_PLATFORM_* */
	__le32 signer_info;	/* SNP_REPORT_SIGNER_* */
	u8 rsvd1[4];
	u8 report_data[64];
	u8 measurement[48];
	u8 host_data[32];
	u8 id_key_digest[48];
	u8 author_key_digest[48];
	u8 report_id[32];
	u8 report_id_ma[32];
	__le64 reported_tcb;
	u8 rsvd2[24];
	u8 chip_id[64];
	__le64 committed_tcb;
	u8 current_build;
	u8 current_minor;
	u8 current_major;
	u8 rsvd3;
	u8 committed_build;
	u8 committed_minor;
	u8 committed_major;
	u8 rsvd4;
	__le64 launch_tcb;
	u8 rsvd5[168];
	/* ECDSA P-384: r and s, little-endian, zero-extended to 72 bytes */
	u8 sig_r[72];
	u8 sig_s[72];
	u8 sig_rsvd[512 - 144];
} __packed;

/* MSG_REPORT_RSP */
struct sev_psp_report_rsp {
	__le32 status;
	__le32 report_size;
	u8 rsvd[24];
	struct sev_psp_attestation_report report;
} __packed;

/* MSG_KEY_REQ */
#define SNP_KEY_ROOT_VMRK		BIT(0)	/* else the VCEK's root */
#define SNP_KEY_FIELD_POLICY		BIT(0)
#define SNP_KEY_FIELD_IMAGE_ID		BIT(1)
#define SNP_KEY_FIELD_FAMILY_ID		BIT(2)
#define SNP_KEY_FIELD_MEASUREMENT	BIT(3)
#define SNP_KEY_FIELD_GUEST_SVN		BIT(4)
#define SNP_KEY_FIELD_TCB_VERSION	BIT(5)
#define SNP_KEY_FIELDS			GENMASK_ULL(5, 0)

struct sev_psp_key_req {
	__le32 root_key_select;
	__le32 rsvd;
	__le64 guest_field_select;
	__le32 vmpl;
	__le32 guest_svn;
	__le64 tcb_version;
} __packed;

/* MSG_KEY_RSP */
struct sev_psp_key_rsp {
	__le32 status;
	u8 rsvd[28];
	u8 key[32];
} __packed;

/* The status field of a response (SEV_RET_* values) */
#define SNP_MSG_STATUS_SUCCESS		0x00
#define SNP_MSG_STATUS_INVALID_PARAM	0x16
#define SNP_MSG_STATUS_INVALID_KEY	0x27

/* The page SNP_LAUNCH_UPDATE's PAGE_TYPE_SECRETS fills */
struct sev_psp_secrets_page {
	__le32 version;
	__le32 imi_en;		/* bit 0 */
	__le32 fms;
	__le32 rsvd1;
	u8 gosvw[16];
	u8 vmpck[SNP_MSG_NR_VMPCK][SNP_MSG_VMPCK_LEN];
	u8 os_area[96];		/* the guest's own */
	u8 rsvd2[4096 - 0xa0 - 96];
} __packed;

static inline void sev_psp_snp_msg_layout_check(void)
{
	BUILD_BUG_ON(sizeof(struct sev_psp_msg_hdr) != 96);
	BUILD_BUG_ON(SNP_MSG_AAD_OFFSET != 0x30);
	BUILD_BUG_ON(SNP_MSG_AAD_LEN != 48);
	BUILD_BUG_ON(sizeof(struct sev_psp_msg) != SNP_MSG_PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct sev_psp_report_req) != 96);
	BUILD_BUG_ON(sizeof(struct sev_psp_attestation_report) != 0x4a0);
	BUILD_BUG_ON(offsetof(struct sev_psp_attestation_report,
			      measurement) != 0x90);
	BUILD_BUG_ON(offsetof(struct sev_psp_attestation_report,
			      reported_tcb) != 0x180);
	BUILD_BUG_ON(offsetof(struct sev_psp_attestation_report,
			      chip_id) != 0x1a0);
	BUILD_BUG_ON(offsetof(struct sev_psp_attestation_report,
			      launch_tcb) != 0x1f0);
	BUILD_BUG_ON(offsetof(struct sev_psp_attestation_report, sig_r) !=
		     SNP_REPORT_SIGNED_LEN);
	BUILD_BUG_ON(sizeof(struct sev_psp_key_req) != 32);
	BUILD_BUG_ON(sizeof(struct sev_psp_key_rsp) != 64);
	BUILD_BUG_ON(offsetof(struct sev_psp_secrets_page, vmpck) != 0x20);
	BUILD_BUG_ON(sizeof(struct sev_psp_secrets_page) != 4096);
}

#endif /* SEV_PSP_SNP_MSG_H */
