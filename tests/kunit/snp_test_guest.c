// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's half of SNP guest messages, for the KUnit suites
 * (snp_test_guest.h).
 */
#include <linux/errno.h>
#include <linux/string.h>

#include "snp_test_guest.h"

static void snp_test_iv(u8 iv[SNP_MSG_IV_LEN], u64 seqno)
{
	__le64 le = cpu_to_le64(seqno);

	memset(iv, 0, SNP_MSG_IV_LEN);
	memcpy(iv, &le, sizeof(le));
}

int snp_test_msg_seal(struct sev_psp_msg *m, const u8 *vmpck,
		      unsigned int vmpck_id, u64 seqno, u8 type,
		      const void *payload, u16 len)
{
	u8 iv[SNP_MSG_IV_LEN];

	memset(m, 0, sizeof(*m));
	m->hdr.algo = SNP_MSG_AEAD_AES_256_GCM;
	m->hdr.hdr_version = SNP_MSG_HDR_VERSION;
	m->hdr.hdr_sz = cpu_to_le16(sizeof(m->hdr));
	m->hdr.msg_type = type;
	m->hdr.msg_version = SNP_MSG_VERSION;
	m->hdr.msg_sz = cpu_to_le16(len);
	m->hdr.msg_vmpck = vmpck_id;
	m->hdr.msg_seqno = cpu_to_le64(seqno);
	memcpy(m->payload, payload, len);

	snp_test_iv(iv, seqno);
	return sim_aes256_gcm(true, vmpck, iv, &m->hdr.algo, SNP_MSG_AAD_LEN,
			      m->payload, len, m->hdr.authtag);
}

int snp_test_msg_open(struct sev_psp_msg *m, const u8 *vmpck, u64 seqno,
		      u8 type, void *payload, u16 len)
{
	u16 sz = le16_to_cpu(m->hdr.msg_sz);
	u8 iv[SNP_MSG_IV_LEN];

	if (le64_to_cpu(m->hdr.msg_seqno) != seqno || m->hdr.msg_type != type ||
	    m->hdr.msg_version != SNP_MSG_VERSION || sz > len)
		return -EBADMSG;

	snp_test_iv(iv, seqno);
	if (sim_aes256_gcm(false, vmpck, iv, &m->hdr.algo, SNP_MSG_AAD_LEN,
			   m->payload, sz, m->hdr.authtag))
		return -EBADMSG;
	memcpy(payload, m->payload, sz);
	return sz;
}

int snp_test_report_verify(struct sim_fw *fw,
			   const struct sev_psp_attestation_report *r)
{
	u8 priv[SIM_P384_BYTES], x[SIM_P384_BYTES], y[SIM_P384_BYTES];
	u8 digest[SIM_P384_BYTES], sr[SIM_P384_BYTES], ss[SIM_P384_BYTES];
	int ret;

	/* The relying party's VCEK certificate for this TCB has this key. */
	ret = sim_fw_vcek(fw, le64_to_cpu(r->reported_tcb), priv);
	if (!ret)
		ret = sim_p384_public_key(priv, x, y);
	memzero_explicit(priv, sizeof(priv));
	if (!ret)
		ret = sim_sha384(r, SNP_REPORT_SIGNED_LEN, digest);
	if (ret)
		return ret;
	if (!sim_p384_from_le72(sr, r->sig_r) ||
	    !sim_p384_from_le72(ss, r->sig_s) ||
	    memchr_inv(r->sig_rsvd, 0, sizeof(r->sig_rsvd)))
		return -EBADMSG;
	return sim_ecdsa_p384_verify(x, y, digest, sr, ss);
}
