/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The identity a guest owner gives an SNP guest at SNP_LAUNCH_FINISH
 * (spec 56860, "ID_BLOCK" and "ID_AUTH_INFO"): the expected launch digest,
 * family and image ids, SVN and policy, signed with the owner's ID key,
 * whose public part may in turn be signed by an author key. The firmware
 * checks both signatures and the digest and policy, and every attestation
 * report of the guest then names the keys (by SHA-384) and the ids.
 *
 * Keys and signatures are ECDSA P-384 with SHA-384, little-endian and
 * zero-extended to 72 bytes, in the spec's 0x404-byte public key and
 * 0x200-byte signature structures.
 */
#ifndef SEV_PSP_SNP_ID_H
#define SEV_PSP_SNP_ID_H

#include <linux/build_bug.h>
#include <linux/types.h>

#define SNP_ID_BLOCK_VERSION		1
#define SNP_ID_ALGO_ECDSA_P384_SHA384	1
#define SNP_ID_CURVE_P384		2

struct sev_psp_id_block {
	u8 ld[48];		/* the launch digest it is for */
	u8 family_id[16];
	u8 image_id[16];
	__le32 version;
	__le32 guest_svn;
	__le64 policy;
} __packed;

struct sev_psp_ecdsa_sig {
	u8 r[72];
	u8 s[72];
	u8 rsvd[512 - 144];
} __packed;

struct sev_psp_ecdsa_pubkey {
	__le32 curve;
	u8 qx[72];
	u8 qy[72];
	u8 rsvd[0x404 - 148];
} __packed;

struct sev_psp_id_auth {
	__le32 id_key_algo;
	__le32 auth_key_algo;
	u8 rsvd1[56];
	struct sev_psp_ecdsa_sig id_block_sig;	/* by the ID key */
	struct sev_psp_ecdsa_pubkey id_key;
	u8 rsvd2[60];
	struct sev_psp_ecdsa_sig id_key_sig;	/* by the author key */
	struct sev_psp_ecdsa_pubkey author_key;
	u8 rsvd3[0x1000 - 0xc84];
} __packed;

static inline void sev_psp_snp_id_layout_check(void)
{
	BUILD_BUG_ON(sizeof(struct sev_psp_id_block) != 96);
	BUILD_BUG_ON(sizeof(struct sev_psp_ecdsa_sig) != 0x200);
	BUILD_BUG_ON(sizeof(struct sev_psp_ecdsa_pubkey) != 0x404);
	BUILD_BUG_ON(offsetof(struct sev_psp_id_auth, id_block_sig) != 0x40);
	BUILD_BUG_ON(offsetof(struct sev_psp_id_auth, id_key) != 0x240);
	BUILD_BUG_ON(offsetof(struct sev_psp_id_auth, id_key_sig) != 0x680);
	BUILD_BUG_ON(offsetof(struct sev_psp_id_auth, author_key) != 0x880);
	BUILD_BUG_ON(sizeof(struct sev_psp_id_auth) != 0x1000);
}

#endif /* SEV_PSP_SNP_ID_H */
