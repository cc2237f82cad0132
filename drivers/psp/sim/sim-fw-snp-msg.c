// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP_GUEST_REQUEST in the simulated firmware: a running guest's encrypted
 * message in, an encrypted answer out (include/sev-psp/snp-msg.h has the
 * format).
 *
 * The request page may be any memory; the response page must be
 * firmware-owned (SEV_RET_INVALID_PAGE_STATE otherwise), as the host cannot
 * be given a page the firmware writes for a guest any other way. The firmware
 * takes a message only with the next sequence number of its VMPCK and a tag
 * that checks; anything else, or a header it does not know, fails the command
 * with SEV_RET_INVALID_PARAM and changes nothing, so the guest can send again.
 * A message it can read is answered even when the answer is an error (the
 * response's status), and the sequence number moves on by two.
 *
 * MSG_REPORT_REQ: an attestation report (version 2) signed with the VCEK of
 * the reported TCB, or with the VLEK once one is loaded; with MASK_CHIP_KEY
 * it is not signed. MSG_KEY_REQ: a key derived from the chip secret, the
 * VMPL and the guest fields the request selects (an SVN at most the guest's,
 * a TCB at most the committed one).
 *
 * The firmware counts, for the whole device (sim_fw.msg_stats, under
 * sim_fw.lock like all of its state): answers encrypted; requests refused
 * for a sequence number already taken (replayed) or beyond the next one
 * (skipped), by the header's number, before any tag is checked; and
 * answers refused because their VMPCK and IV were used before (iv_reuse),
 * which the rules above make impossible: it stays 0 unless the model is
 * wrong.
 */
#include <linux/bitfield.h>
#include <linux/mm.h>
#include <linux/sched/smt.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "sim.h"

static void sim_msg_iv(u8 iv[SNP_MSG_IV_LEN], u64 seqno)
{
	__le64 le = cpu_to_le64(seqno);

	memset(iv, 0, SNP_MSG_IV_LEN);
	memcpy(iv, &le, sizeof(le));
}

/* Check and decrypt a request in place; its VMPCK index in *@vmpck. */
static u16 sim_msg_open(struct sim_fw *fw, struct sim_guest *g,
			struct sev_psp_msg *m, unsigned int *vmpck)
{
	struct sev_psp_msg_hdr *h = &m->hdr;
	u16 sz = le16_to_cpu(h->msg_sz);
	u64 seqno = le64_to_cpu(h->msg_seqno);
	unsigned int v = h->msg_vmpck;
	u8 iv[SNP_MSG_IV_LEN];
	int ret;

	if (h->algo != SNP_MSG_AEAD_AES_256_GCM ||
	    h->hdr_version != SNP_MSG_HDR_VERSION ||
	    le16_to_cpu(h->hdr_sz) != sizeof(*h) || v >= SNP_MSG_NR_VMPCK ||
	    !sz || sz > SNP_MSG_PAYLOAD_MAX)
		return SEV_RET_INVALID_PARAM;
	if (seqno <= g->msg_seqno[v]) {
		fw->msg_stats.replayed++;
		return SEV_RET_INVALID_PARAM;
	}
	if (seqno != g->msg_seqno[v] + 1) {
		fw->msg_stats.skipped++;
		return SEV_RET_INVALID_PARAM;
	}
	/* The answer takes seqno + 1; neither may wrap. */
	if (seqno >= U64_MAX - 1)
		return SEV_RET_AEAD_OFLOW;

	sim_msg_iv(iv, seqno);
	ret = sim_aes256_gcm(false, g->vmpck[v], iv, &h->algo, SNP_MSG_AAD_LEN,
			     m->payload, sz, h->authtag);
	if (ret == -EBADMSG)
		return SEV_RET_INVALID_PARAM;
	if (ret)
		return SEV_RET_RESOURCE_LIMIT;
	*vmpck = v;
	return SEV_RET_SUCCESS;
}

/*
 * Encrypt the answer to a request with sequence number @seqno in place,
 * with IV @seqno + 1: never one of @vmpck's IVs used before.
 *
 * Each launch derives its VMPCKs afresh (from the chip secret and a launch
 * count that is never reset), so a guest and a VMPCK index name one key,
 * and the pairs to remember are this guest's (VMPCK, IV) ones. (Per chip:
 * two devices given the same chip_secret derive the same keys for their
 * Nth launches, which no count of one device can see.)
 *
 * The sequence numbers of a VMPCK only move forward: a request is taken
 * only with the one after the last taken, and its answer's is one more,
 * which becomes the last taken. So the IVs an answer under a VMPCK was
 * encrypted with are all at most the highest of them (g->msg_sealed), and
 * an IV above it is one never used: keeping the highest is keeping every
 * pair. An IV at or below it is refused (nothing is encrypted) and counted
 * as a reuse; at worst it is a step back to a number skipped over, which
 * the rules forbid as much, and nothing the rules allow is ever refused.
 */
static u16 sim_msg_seal(struct sim_fw *fw, struct sim_guest *g,
			struct sev_psp_msg *m, unsigned int vmpck, u64 seqno,
			u16 rsp_sz)
{
	struct sev_psp_msg_hdr *h = &m->hdr;
	u8 iv[SNP_MSG_IV_LEN];

	if (seqno + 1 <= g->msg_sealed[vmpck]) {
		fw->msg_stats.iv_reuse++;
		return SEV_RET_RESOURCE_LIMIT;
	}

	memset(h->authtag, 0, sizeof(h->authtag));
	memset(h->rsvd1, 0, sizeof(h->rsvd1));
	h->msg_seqno = cpu_to_le64(seqno + 1);
	h->msg_type++;		/* each response follows its request */
	h->msg_sz = cpu_to_le16(rsp_sz);
	memset(m->payload + rsp_sz, 0, sizeof(m->payload) - rsp_sz);

	sim_msg_iv(iv, seqno + 1);
	if (sim_aes256_gcm(true, g->vmpck[vmpck], iv, &h->algo,
			   SNP_MSG_AAD_LEN, m->payload, rsp_sz, h->authtag))
		return SEV_RET_RESOURCE_LIMIT;
	g->msg_sealed[vmpck] = seqno + 1;
	fw->msg_stats.encrypted++;
	return SEV_RET_SUCCESS;
}

static int sim_report_sign(struct sim_fw *fw,
			   struct sev_psp_attestation_report *r)
{
	u8 priv[SIM_P384_BYTES], digest[SIM_P384_BYTES];
	u8 sr[SIM_P384_BYTES], ss[SIM_P384_BYTES];
	int ret;

	if (fw->vlek_en)
		memcpy(priv, fw->vlek_priv, sizeof(priv));
	else if (sim_fw_vcek(fw, fw->reported_tcb, priv))
		return -ENOMEM;

	ret = sim_sha384(r, SNP_REPORT_SIGNED_LEN, digest);
	if (!ret)
		ret = sim_ecdsa_p384_sign(priv, digest, sr, ss);
	if (!ret) {
		sim_p384_to_le72(r->sig_r, sr);
		sim_p384_to_le72(r->sig_s, ss);
	}
	memzero_explicit(priv, sizeof(priv));
	return ret;
}

static u16 sim_msg_report(struct sim_fw *fw, struct sim_guest *g,
			  unsigned int vmpck, struct sev_psp_msg *m,
			  u16 *rsp_sz)
{
	struct sev_psp_report_req req;
	struct sev_psp_report_rsp *rsp;
	struct sev_psp_attestation_report *r;
	u32 vmpl, signing_key;
	u16 status = SEV_RET_SUCCESS;

	if (le16_to_cpu(m->hdr.msg_sz) != sizeof(req))
		return SEV_RET_INVALID_PARAM;
	memcpy(&req, m->payload, sizeof(req));

	BUILD_BUG_ON(sizeof(*rsp) > SNP_MSG_PAYLOAD_MAX);
	rsp = (void *)m->payload;
	memset(rsp, 0, sizeof(*rsp));
	*rsp_sz = sizeof(*rsp);

	/* A VMPL may ask for its own reports and less privileged ones. */
	vmpl = le32_to_cpu(req.vmpl);
	if (vmpl >= SNP_MSG_NR_VMPCK || vmpl < vmpck ||
	    memchr_inv(req.rsvd, 0, sizeof(req.rsvd))) {
		rsp->status = cpu_to_le32(SNP_MSG_STATUS_INVALID_PARAM);
		return SEV_RET_SUCCESS;
	}
	if (g->vcek_disabled && !fw->vlek_en) {
		rsp->status = cpu_to_le32(SNP_MSG_STATUS_INVALID_KEY);
		return SEV_RET_SUCCESS;
	}

	if (fw->mask_chip_key)
		signing_key = SNP_REPORT_SIGNING_KEY_NONE;
	else if (fw->vlek_en)
		signing_key = SNP_REPORT_SIGNING_KEY_VLEK;
	else
		signing_key = SNP_REPORT_SIGNING_KEY_VCEK;

	r = &rsp->report;
	r->version = cpu_to_le32(SNP_REPORT_VERSION);
	r->guest_svn = cpu_to_le32(g->guest_svn);
	r->policy = cpu_to_le64(g->policy);
	memcpy(r->family_id, g->family_id, sizeof(r->family_id));
	memcpy(r->image_id, g->image_id, sizeof(r->image_id));
	r->vmpl = cpu_to_le32(vmpl);
	r->signature_algo = cpu_to_le32(SNP_REPORT_SIG_ALGO_ECDSA_P384_SHA384);
	r->current_tcb = cpu_to_le64(fw->current_tcb);
	r->platform_info = cpu_to_le64(sched_smt_active() ?
				       SNP_REPORT_PLATFORM_SMT_EN : 0);
	r->signer_info = cpu_to_le32((g->author_key_en ?
				      SNP_REPORT_SIGNER_AUTHOR_KEY_EN : 0) |
				     (fw->mask_chip_key ?
				      SNP_REPORT_SIGNER_MASK_CHIP_KEY : 0) |
				     FIELD_PREP(SNP_REPORT_SIGNER_SIGNING_KEY,
						signing_key));
	memcpy(r->report_data, req.report_data, sizeof(r->report_data));
	memcpy(r->measurement, g->digest, sizeof(r->measurement));
	memcpy(r->host_data, g->host_data, sizeof(r->host_data));
	memcpy(r->id_key_digest, g->id_key_digest, sizeof(r->id_key_digest));
	memcpy(r->author_key_digest, g->author_key_digest,
	       sizeof(r->author_key_digest));
	memcpy(r->report_id, g->report_id, sizeof(r->report_id));
	/* all ones: the guest has no migration agent */
	memset(r->report_id_ma, 0xff, sizeof(r->report_id_ma));
	r->reported_tcb = cpu_to_le64(fw->reported_tcb);
	if (!fw->mask_chip_id)
		memcpy(r->chip_id, fw->chip_id, sizeof(r->chip_id));
	r->committed_tcb = cpu_to_le64(fw->committed_tcb);
	r->current_build = fw->build;
	r->current_minor = fw->api_minor;
	r->current_major = fw->api_major;
	r->committed_build = fw->committed_build;
	r->committed_minor = fw->committed_api_minor;
	r->committed_major = fw->committed_api_major;
	r->launch_tcb = cpu_to_le64(g->launch_tcb);

	if (signing_key != SNP_REPORT_SIGNING_KEY_NONE &&
	    sim_report_sign(fw, r))
		status = SEV_RET_RESOURCE_LIMIT;
	rsp->report_size = cpu_to_le32(sizeof(*r));
	return status;
}

/*
 * The derived key: HMAC-SHA384 over the chip secret of what the request
 * mixes in, so the same guest asking the same thing on the same chip gets
 * the same key, and a different measurement (if selected) another one.
 */
static u16 sim_msg_key(struct sim_fw *fw, struct sim_guest *g,
		       unsigned int vmpck, struct sev_psp_msg *m, u16 *rsp_sz)
{
	struct {
		char label[16];
		__le32 vmpl;
		__le64 fields;
		__le64 policy;
		u8 image_id[16];
		u8 family_id[16];
		u8 measurement[SIM_P384_BYTES];
		__le32 guest_svn;
		__le64 tcb;
	} __packed mix = { .label = "snp-derived-key" };
	struct sev_psp_key_req req;
	struct sev_psp_key_rsp *rsp;
	u8 key[SIM_P384_BYTES];
	u64 fields, tcb;
	u32 vmpl;

	if (le16_to_cpu(m->hdr.msg_sz) != sizeof(req))
		return SEV_RET_INVALID_PARAM;
	memcpy(&req, m->payload, sizeof(req));
	rsp = (void *)m->payload;
	memset(rsp, 0, sizeof(*rsp));
	*rsp_sz = sizeof(*rsp);

	vmpl = le32_to_cpu(req.vmpl);
	fields = le64_to_cpu(req.guest_field_select);
	tcb = le64_to_cpu(req.tcb_version);
	if (vmpl >= SNP_MSG_NR_VMPCK || vmpl < vmpck || req.rsvd ||
	    le32_to_cpu(req.root_key_select) & ~SNP_KEY_ROOT_VMRK ||
	    fields & ~SNP_KEY_FIELDS ||
	    le32_to_cpu(req.guest_svn) > g->guest_svn ||
	    ((fields & SNP_KEY_FIELD_TCB_VERSION) &&
	     !sim_fw_tcb_le(tcb, fw->committed_tcb))) {
		rsp->status = cpu_to_le32(SNP_MSG_STATUS_INVALID_PARAM);
		return SEV_RET_SUCCESS;
	}
	/* The VMRK belongs to a migration agent, which the model has not. */
	if (le32_to_cpu(req.root_key_select) & SNP_KEY_ROOT_VMRK) {
		rsp->status = cpu_to_le32(SNP_MSG_STATUS_INVALID_KEY);
		return SEV_RET_SUCCESS;
	}

	mix.vmpl = cpu_to_le32(vmpl);
	mix.fields = cpu_to_le64(fields);
	if (fields & SNP_KEY_FIELD_POLICY)
		mix.policy = cpu_to_le64(g->policy);
	if (fields & SNP_KEY_FIELD_IMAGE_ID)
		memcpy(mix.image_id, g->image_id, sizeof(mix.image_id));
	if (fields & SNP_KEY_FIELD_FAMILY_ID)
		memcpy(mix.family_id, g->family_id, sizeof(mix.family_id));
	if (fields & SNP_KEY_FIELD_MEASUREMENT)
		memcpy(mix.measurement, g->digest, sizeof(mix.measurement));
	if (fields & SNP_KEY_FIELD_GUEST_SVN)
		mix.guest_svn = req.guest_svn;
	if (fields & SNP_KEY_FIELD_TCB_VERSION)
		mix.tcb = cpu_to_le64(tcb);

	if (sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN, &mix,
			    sizeof(mix), key))
		return SEV_RET_RESOURCE_LIMIT;
	memcpy(rsp->key, key, sizeof(rsp->key));
	memzero_explicit(key, sizeof(key));
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_guest_request(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_guest_request *d = buf;
	struct sev_psp_msg *m;
	struct sim_guest *g;
	unsigned int vmpck;
	u16 status, rsp_sz = 0;
	u64 seqno;

	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	g = sim_fw_snp_guest(fw, d->gctx_paddr);
	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SIM_GSTATE_RUNNING)
		return SEV_RET_INVALID_GUEST_STATE;
	if (!PAGE_ALIGNED(d->req_paddr) || !PAGE_ALIGNED(d->res_paddr) ||
	    !sim_fw_is_ram(d->req_paddr, PAGE_SIZE) ||
	    !sim_fw_is_ram(d->res_paddr, PAGE_SIZE))
		return SEV_RET_INVALID_ADDRESS;
	if (!sim_rmp_is_fw_page(PHYS_PFN(d->res_paddr)) ||
	    xa_load(&fw->snp_guests, PHYS_PFN(d->res_paddr)))
		return SEV_RET_INVALID_PAGE_STATE;

	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return SEV_RET_RESOURCE_LIMIT;
	status = sim_fw_read(d->req_paddr, m, sizeof(*m));
	if (!status)
		status = sim_msg_open(fw, g, m, &vmpck);
	if (status)
		goto out_free;
	seqno = le64_to_cpu(m->hdr.msg_seqno);

	if (m->hdr.msg_version != SNP_MSG_VERSION) {
		status = SEV_RET_INVALID_PARAM;
		goto out_free;
	}
	switch (m->hdr.msg_type) {
	case SNP_MSG_REPORT_REQ:
		status = sim_msg_report(fw, g, vmpck, m, &rsp_sz);
		break;
	case SNP_MSG_KEY_REQ:
		status = sim_msg_key(fw, g, vmpck, m, &rsp_sz);
		break;
	default:
		status = SEV_RET_INVALID_PARAM;
		break;
	}
	if (!status)
		status = sim_msg_seal(fw, g, m, vmpck, seqno, rsp_sz);
	if (!status)
		status = sim_fw_write(d->res_paddr, m, sizeof(*m));
	if (!status)
		g->msg_seqno[vmpck] = seqno + 1;

out_free:
	kfree_sensitive(m);
	return status;
}

/**
 * sim_fw_snp_msg_stats() - SNP_GUEST_REQUEST's counts for the device
 * @fw:	the firmware
 * @st:	where to copy them
 *
 * Takes sim_fw.lock, the lock every firmware command runs under
 * (sim_fw_run()): a copy between two commands, never inside one.
 */
void sim_fw_snp_msg_stats(struct sim_fw *fw, struct sim_snp_msg_stats *st)
{
	mutex_lock(&fw->lock);
	*st = fw->msg_stats;
	mutex_unlock(&fw->lock);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_snp_msg_stats);
