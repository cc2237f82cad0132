// SPDX-License-Identifier: GPL-2.0
/*
 * SNP guest messages as the guest sends and checks them (spec 56860,
 * "Guest Messages"; snp_guest_lib.h): AES-256-GCM under a VMPCK with
 * OpenSSL, the header's bytes from @algo on as AAD, the sequence number
 * zero-extended to 12 bytes as the IV, a 16-byte tag at the header's
 * start. The model is the in-kernel guest of tests/kunit/snp_test_guest.c
 * and the simulated firmware's drivers/psp/sim/sim-fw-snp-msg.c.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "snp_guest_lib.h"

#define SNP_MSG_TAG_LEN		16	/* of the header's 32-byte authtag */

static void snp_msg_iv(u8 iv[SNP_MSG_IV_LEN], u64 seqno)
{
	u64 le = htole64(seqno);

	memset(iv, 0, SNP_MSG_IV_LEN);
	memcpy(iv, &le, sizeof(le));
}

/* The cipher keyed, with its IV and the AAD fed: 0 or -EIO */
static int snp_gcm_start(EVP_CIPHER_CTX *ctx, int enc, const u8 *key,
			 u64 seqno, const u8 *aad)
{
	u8 iv[SNP_MSG_IV_LEN];
	int n;

	snp_msg_iv(iv, seqno);
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
			      enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SNP_MSG_IV_LEN,
				NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc) != 1 ||
	    EVP_CipherUpdate(ctx, NULL, &n, aad, SNP_MSG_AAD_LEN) != 1)
		return -EIO;
	return 0;
}

/* Encrypt @len bytes of @in to @out, the tag into @tag: 0 or -EIO */
static int snp_gcm_encrypt(const u8 *key, u64 seqno, const u8 *aad,
			   const u8 *in, u8 *out, size_t len, u8 *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, ret;

	if (!ctx)
		return -EIO;
	ret = snp_gcm_start(ctx, 1, key, seqno, aad);
	if (!ret && len && EVP_CipherUpdate(ctx, out, &n, in, len) != 1)
		ret = -EIO;
	if (!ret && (EVP_CipherFinal_ex(ctx, out + len, &n) != 1 ||
		     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
					 SNP_MSG_TAG_LEN, tag) != 1))
		ret = -EIO;
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

/* Decrypt and authenticate: 0, -EBADMSG (the tag) or -EIO */
static int snp_gcm_decrypt(const u8 *key, u64 seqno, const u8 *aad,
			   const u8 *in, u8 *out, size_t len, const u8 *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, ret;

	if (!ctx)
		return -EIO;
	ret = snp_gcm_start(ctx, 0, key, seqno, aad);
	if (!ret && len && EVP_CipherUpdate(ctx, out, &n, in, len) != 1)
		ret = -EIO;
	if (!ret && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
					SNP_MSG_TAG_LEN, (void *)tag) != 1)
		ret = -EIO;
	if (!ret && EVP_CipherFinal_ex(ctx, out + len, &n) != 1)
		ret = -EBADMSG;
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int snp_msg_encrypt(struct sev_psp_msg *page, const u8 *vmpck,
		    unsigned int vmpck_id, u64 seqno, u8 type,
		    const void *payload, size_t len)
{
	struct sev_psp_msg_hdr *h = &page->hdr;

	if (len > SNP_MSG_PAYLOAD_MAX)
		return -EMSGSIZE;
	if (vmpck_id >= SNP_MSG_NR_VMPCK)
		return -EINVAL;

	memset(page, 0, sizeof(*page));
	h->algo = SNP_MSG_AEAD_AES_256_GCM;
	h->hdr_version = SNP_MSG_HDR_VERSION;
	h->hdr_sz = htole16(sizeof(*h));
	h->msg_type = type;
	h->msg_version = SNP_MSG_VERSION;
	h->msg_sz = htole16(len);
	h->msg_vmpck = vmpck_id;
	h->msg_seqno = htole64(seqno);
	return snp_gcm_encrypt(vmpck, seqno, &h->algo, payload, page->payload,
			       len, h->authtag);
}

/*
 * What the guest must see in a response before trusting it. Those in the
 * AAD would fail the tag anyway; checking them first names the fault.
 */
static int snp_msg_check_hdr(const struct sev_psp_msg_hdr *h,
			     unsigned int vmpck_id, u64 seqno, u8 type)
{
	if (le64toh(h->msg_seqno) != seqno)
		return -EPROTO;
	if (h->algo != SNP_MSG_AEAD_AES_256_GCM ||
	    h->hdr_version != SNP_MSG_HDR_VERSION ||
	    le16toh(h->hdr_sz) != sizeof(*h) || h->msg_type != type ||
	    h->msg_version != SNP_MSG_VERSION || h->msg_vmpck != vmpck_id ||
	    le16toh(h->msg_sz) > SNP_MSG_PAYLOAD_MAX)
		return -EBADMSG;
	return 0;
}

int snp_msg_decrypt(const struct sev_psp_msg *page, const u8 *vmpck,
		    unsigned int vmpck_id, u64 seqno, u8 type,
		    void *out, size_t outlen)
{
	const struct sev_psp_msg_hdr *h = &page->hdr;
	u8 plain[SNP_MSG_PAYLOAD_MAX];
	size_t sz = le16toh(h->msg_sz);
	int ret;

	ret = snp_msg_check_hdr(h, vmpck_id, seqno, type);
	if (ret)
		return ret;
	if (sz > outlen)
		return -EMSGSIZE;

	/* into a buffer of ours: @out gets only authenticated bytes */
	ret = snp_gcm_decrypt(vmpck, seqno, &h->algo, page->payload, plain,
			      sz, h->authtag);
	if (!ret)
		memcpy(out, plain, sz);
	explicit_bzero(plain, sz);
	return ret ?: (int)sz;
}

int snp_guest_chan_init(struct snp_guest_chan *chan, const u8 *vmpck,
			unsigned int vmpck_id)
{
	if (vmpck_id >= SNP_MSG_NR_VMPCK)
		return -EINVAL;
	memcpy(chan->vmpck, vmpck, sizeof(chan->vmpck));
	chan->vmpck_id = vmpck_id;
	chan->seqno = 0;
	return 0;
}

int snp_secrets_vmpck(const void *secrets, unsigned int idx,
		      u8 vmpck[SNP_MSG_VMPCK_LEN])
{
	const struct sev_psp_secrets_page *s = secrets;

	if (idx >= SNP_MSG_NR_VMPCK)
		return -EINVAL;
	memcpy(vmpck, s->vmpck[idx], SNP_MSG_VMPCK_LEN);
	return 0;
}

int snp_guest_chan_from_secrets(struct snp_guest_chan *chan,
				const void *secrets, unsigned int vmpck_id)
{
	const struct sev_psp_secrets_page *s = secrets;

	if (vmpck_id >= SNP_MSG_NR_VMPCK)
		return -EINVAL;
	return snp_guest_chan_init(chan, s->vmpck[vmpck_id], vmpck_id);
}

void snp_guest_chan_wipe(struct snp_guest_chan *chan)
{
	explicit_bzero(chan->vmpck, sizeof(chan->vmpck));
}

int snp_msg_seal(const struct snp_guest_chan *chan, u8 msg_type,
		 const void *payload, size_t len, struct sev_psp_msg *page)
{
	/* the response takes seqno + 2: neither may wrap (the firmware's rule) */
	if (chan->seqno >= UINT64_MAX - 2)
		return -EOVERFLOW;
	return snp_msg_encrypt(page, chan->vmpck, chan->vmpck_id,
			       chan->seqno + 1, msg_type, payload, len);
}

int snp_msg_open(struct snp_guest_chan *chan, const struct sev_psp_msg *page,
		 u8 expected_type, void *out, size_t outlen)
{
	int ret;

	if (chan->seqno >= UINT64_MAX - 2)
		return -EOVERFLOW;
	ret = snp_msg_decrypt(page, chan->vmpck, chan->vmpck_id,
			      chan->seqno + 2, expected_type, out, outlen);
	if (ret >= 0)
		chan->seqno += 2;
	return ret;
}

void snp_report_req_init(struct sev_psp_report_req *req,
			 const u8 *report_data, u32 vmpl)
{
	memset(req, 0, sizeof(*req));
	if (report_data)
		memcpy(req->report_data, report_data,
		       sizeof(req->report_data));
	req->vmpl = htole32(vmpl);
}

void snp_key_req_init(struct sev_psp_key_req *req, u32 root_key_select,
		      u64 guest_field_select, u32 vmpl, u32 guest_svn,
		      u64 tcb_version)
{
	memset(req, 0, sizeof(*req));
	req->root_key_select = htole32(root_key_select);
	req->guest_field_select = htole64(guest_field_select);
	req->vmpl = htole32(vmpl);
	req->guest_svn = htole32(guest_svn);
	req->tcb_version = htole64(tcb_version);
}

int snp_msg_report_req(const struct snp_guest_chan *chan,
		       const u8 *report_data, u32 vmpl,
		       struct sev_psp_msg *page)
{
	struct sev_psp_report_req req;

	snp_report_req_init(&req, report_data, vmpl);
	return snp_msg_seal(chan, SNP_MSG_REPORT_REQ, &req, sizeof(req), page);
}

int snp_msg_key_req(const struct snp_guest_chan *chan,
		    const struct sev_psp_key_req *req, struct sev_psp_msg *page)
{
	return snp_msg_seal(chan, SNP_MSG_KEY_REQ, req, sizeof(*req), page);
}
