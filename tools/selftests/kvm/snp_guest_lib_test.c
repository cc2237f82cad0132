// SPDX-License-Identifier: GPL-2.0
/*
 * The guest library's own check (snp_guest_lib.h), in userspace alone: no
 * device, no module. The GHCB's bytes where the GHCB specification puts
 * them, the page state change descriptor built and read back, and SNP
 * guest messages sealed by a guest channel and answered by a mirror
 * playing the firmware (it opens the request at seqno + 1 and seals its
 * answer at seqno + 2, as drivers/psp/sim/sim-fw-snp-msg.c does). A
 * changed tag, AAD byte, ciphertext or sequence number must be refused and
 * must leave the channel where it was. One message is also checked against
 * bytes computed elsewhere (Python's cryptography), so that an IV or AAD
 * built wrong on both sides of the mirror cannot pass.
 */
#include "kselftest_harness.h"
#include "snp_guest_lib.h"

/* The byte at offset @off of the GHCB page */
static u8 ghcb_byte(const struct ghcb *ghcb, size_t off)
{
	return ((const u8 *)ghcb)[off];
}

static u64 ghcb_qword(const struct ghcb *ghcb, size_t off)
{
	u64 v;

	memcpy(&v, (const u8 *)ghcb + off, sizeof(v));
	return v;
}

/* Is the valid bit of the save-area field at @off set, read raw? */
static bool ghcb_raw_valid(const struct ghcb *ghcb, size_t off)
{
	return ghcb_byte(ghcb, 0x3f0 + off / 64) & (1U << (off / 8 % 8));
}

static unsigned int ghcb_nr_valid(const struct ghcb *ghcb)
{
	unsigned int i, n = 0;

	for (i = 0; i < 128; i++)
		n += ghcb_bit_is_set(ghcb, i);
	return n;
}

TEST(ghcb_layout)
{
	static const struct { size_t off; const char *name; } regs[] = {
		{ 0x1f8, "rax" }, { 0x318, "rbx" }, { 0x308, "rcx" },
		{ 0x310, "rdx" }, { 0x3e8, "xcr0" }, { 0x3a8, "sw_scratch" },
	};
	struct ghcb ghcb;
	unsigned int i;

	memset(&ghcb, 0xa5, sizeof(ghcb));
	ghcb_init(&ghcb, 2);
	EXPECT_EQ(2, ghcb_byte(&ghcb, 0xffa));
	EXPECT_EQ(0, ghcb_byte(&ghcb, 0xffb));
	EXPECT_EQ(0, ghcb_qword(&ghcb, 0xff8) >> 32);	/* usage at 0xffc */
	EXPECT_EQ(0, ghcb_byte(&ghcb, 0xff0));
	EXPECT_EQ(0, ghcb_nr_valid(&ghcb));

	ghcb_set_rax(&ghcb, 0x1111);
	ghcb_set_rbx(&ghcb, 0x2222);
	ghcb_set_rcx(&ghcb, 0x3333);
	ghcb_set_rdx(&ghcb, 0x4444);
	ghcb_set_xcr0(&ghcb, 0x5555);
	ghcb_set_sw_scratch(&ghcb, 0x6666);
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		EXPECT_EQ(0x1111 * (i + 1), ghcb_qword(&ghcb, regs[i].off))
			TH_LOG("%s", regs[i].name);
		EXPECT_TRUE(ghcb_raw_valid(&ghcb, regs[i].off))
			TH_LOG("%s's valid bit", regs[i].name);
	}
	EXPECT_EQ(ARRAY_SIZE(regs), ghcb_nr_valid(&ghcb));
	EXPECT_TRUE(ghcb_rax_is_valid(&ghcb));
	EXPECT_FALSE(ghcb_rsi_is_valid(&ghcb));
	/* rax is bit 63: the last bit of the first 64-bit word */
	EXPECT_EQ(0x80, ghcb_byte(&ghcb, 0x3f7));
}

TEST(ghcb_exit)
{
	struct ghcb ghcb;

	ghcb_init(&ghcb, 2);
	ghcb_set_exit(&ghcb, SVM_VMGEXIT_HV_FEATURES, 0x11, 0x22);
	EXPECT_EQ(SVM_VMGEXIT_HV_FEATURES, ghcb_qword(&ghcb, 0x390));
	EXPECT_EQ(0x11, ghcb_qword(&ghcb, 0x398));
	EXPECT_EQ(0x22, ghcb_qword(&ghcb, 0x3a0));
	EXPECT_TRUE(ghcb_raw_valid(&ghcb, 0x390));
	EXPECT_TRUE(ghcb_raw_valid(&ghcb, 0x398));
	EXPECT_TRUE(ghcb_raw_valid(&ghcb, 0x3a0));
	EXPECT_EQ(3, ghcb_nr_valid(&ghcb));

	/* what the hypervisor writes back is read whatever the bitmap says */
	memcpy((u8 *)&ghcb + 0x398, &(u64){ 1 }, 8);
	memcpy((u8 *)&ghcb + 0x3a0, &(u64){ 0xabcdef }, 8);
	EXPECT_EQ(1, ghcb_exit_info_1(&ghcb));
	EXPECT_EQ(0xabcdef, ghcb_exit_info_2(&ghcb));

	ghcb_invalidate(&ghcb);
	EXPECT_EQ(0, ghcb_nr_valid(&ghcb));
	EXPECT_EQ(0, ghcb_get_sw_exit_code(&ghcb));
	EXPECT_EQ(2, ghcb.protocol_version);
}

TEST(ghcb_guest_request)
{
	struct ghcb ghcb;

	ghcb_init(&ghcb, 2);
	ghcb_set_guest_request(&ghcb, 0x10000, 0x11000);
	EXPECT_EQ(0x80000011, ghcb_get_sw_exit_code(&ghcb));
	EXPECT_EQ(0x10000, ghcb_qword(&ghcb, 0x398));
	EXPECT_EQ(0x11000, ghcb_qword(&ghcb, 0x3a0));
	EXPECT_FALSE(ghcb_rax_is_valid(&ghcb));

	ghcb_invalidate(&ghcb);
	ghcb_set_ext_guest_request(&ghcb, 0x10000, 0x11000, 0x20000, 4);
	EXPECT_EQ(0x80000012, ghcb_get_sw_exit_code(&ghcb));
	EXPECT_EQ(0x20000, ghcb_qword(&ghcb, 0x1f8));
	EXPECT_EQ(4, ghcb_qword(&ghcb, 0x318));
	EXPECT_EQ(5, ghcb_nr_valid(&ghcb));

	/* the VMM's error high, the firmware's low */
	ghcb.save.sw_exit_info_2 = (u64)SNP_GUEST_VMM_ERR_INVALID_LEN << 32 |
				   0x16;
	EXPECT_EQ(SNP_GUEST_VMM_ERR_INVALID_LEN,
		  ghcb_guest_request_vmm_error(&ghcb));
	EXPECT_EQ(0x16, ghcb_guest_request_fw_error(&ghcb));
}

TEST(psc_entry_bits)
{
	struct psc_entry e;
	struct psc_buf buf;

	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, 0xfedcba9876ULL, SNP_PAGE_STATE_SHARED,
			     RMP_PG_SIZE_2M));
	/* gfn 51:12, operation 55:52, pagesize 56 (upstream's bitfields) */
	EXPECT_EQ(0xfedcba9876ULL << 12 | 2ULL << 52 | 1ULL << 56,
		  psc_entry_raw(&buf.desc.entries[0]));

	e = psc_entry_from_raw(0x123 | 0x42ULL << 12 | 1ULL << 52);
	EXPECT_EQ(0x123, (u64)e.cur_page);
	EXPECT_EQ(0x42, (u64)e.gfn);
	EXPECT_EQ(SNP_PAGE_STATE_PRIVATE, (u64)e.operation);
	EXPECT_EQ(RMP_PG_SIZE_4K, (u64)e.pagesize);

	EXPECT_EQ(-EINVAL, psc_add(&buf, 1ULL << 40, 1, 0));
	EXPECT_EQ(-EINVAL, psc_add(&buf, 1, 16, 0));
	EXPECT_EQ(-EINVAL, psc_add(&buf, 1, 1, 2));
	EXPECT_EQ(1, buf.nr);
	/* an operation the spec does not define is still built */
	EXPECT_EQ(1, psc_add(&buf, 1, 0xf, 0));
}

TEST(psc_round_trip)
{
	const u64 ghcb_gpa = 0x7000;
	struct snp_psc_desc back;
	struct psc_buf buf;
	struct ghcb ghcb;
	struct psc_hdr hdr;
	unsigned int i;

	psc_init(&buf);
	for (i = 0; i < VMGEXIT_PSC_MAX_COUNT; i++)
		ASSERT_EQ(i, psc_add(&buf, 0x100 + i, SNP_PAGE_STATE_PRIVATE +
				     i % 2, RMP_PG_SIZE_4K));
	EXPECT_EQ(-ENOSPC, psc_add(&buf, 0x1000, 1, 0));
	EXPECT_EQ(0, psc_cur_entry(&buf.desc));
	EXPECT_EQ(VMGEXIT_PSC_MAX_COUNT - 1, psc_end_entry(&buf.desc));

	ghcb_init(&ghcb, 2);
	ghcb_set_psc(&ghcb, ghcb_gpa, &buf);
	EXPECT_EQ(SVM_VMGEXIT_PSC, ghcb_get_sw_exit_code(&ghcb));
	EXPECT_EQ(ghcb_gpa + 0x800, ghcb_qword(&ghcb, 0x3a8));
	EXPECT_TRUE(ghcb_sw_scratch_is_valid(&ghcb));
	EXPECT_EQ(0, ghcb_exit_info_1(&ghcb));
	/* the header at the shared buffer's start, entries after it */
	memcpy(&hdr, (u8 *)&ghcb + 0x800, sizeof(hdr));
	EXPECT_EQ(0, hdr.cur_entry);
	EXPECT_EQ(252, hdr.end_entry);
	EXPECT_EQ(0x101ULL << 12 | 2ULL << 52, ghcb_qword(&ghcb, 0x810));
	EXPECT_EQ(0x100ULL + 252, ghcb_qword(&ghcb, 0x808 + 252 * 8) >> 12 &
		  ((1ULL << 40) - 1));

	/* the hypervisor did 10 entries and half of the 11th's pages */
	hdr.cur_entry = 10;
	memcpy((u8 *)&ghcb + 0x800, &hdr, sizeof(hdr));
	ghcb.shared_buffer[8 + 10 * 8] = 3;	/* cur_page, low byte */
	ghcb_get_psc(&ghcb, &back);
	EXPECT_EQ(10, psc_cur_entry(&back));
	EXPECT_EQ(252, psc_end_entry(&back));
	EXPECT_EQ(3, psc_cur_page(&back, 10));
	EXPECT_EQ(0x10a, (u64)back.entries[10].gfn);
	EXPECT_EQ(0, psc_cur_page(&back, 9));
}

/* ---- messages ---- */

/* A secrets page whose VMPCK i is 32 bytes of 0x10 * (i + 1) + j */
static void make_secrets(struct sev_psp_secrets_page *s)
{
	unsigned int i, j;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < SNP_MSG_NR_VMPCK; i++)
		for (j = 0; j < SNP_MSG_VMPCK_LEN; j++)
			s->vmpck[i][j] = 0x10 * (i + 1) + j;
}

/*
 * The firmware's side, mirrored: its last sequence number, and the
 * answer it makes to each request (the request's payload, reversed).
 */
struct mirror_fw {
	u8 vmpck[SNP_MSG_VMPCK_LEN];
	unsigned int vmpck_id;
	u64 seqno;
};

static int fw_answer(struct mirror_fw *fw, struct sev_psp_msg *page,
		     u8 req_type, u64 rsp_seqno_delta)
{
	u8 req[SNP_MSG_PAYLOAD_MAX], rsp[SNP_MSG_PAYLOAD_MAX];
	int len, i;

	len = snp_msg_decrypt(page, fw->vmpck, fw->vmpck_id, fw->seqno + 1,
			      req_type, req, sizeof(req));
	if (len < 0)
		return len;
	for (i = 0; i < len; i++)
		rsp[i] = req[len - 1 - i];
	fw->seqno += 2;
	return snp_msg_encrypt(page, fw->vmpck, fw->vmpck_id,
			       fw->seqno - 2 + rsp_seqno_delta, req_type + 1,
			       rsp, len);
}

/* A guest channel on VMPCK 2 of a secrets page, and the mirror */
struct msg_ctx {
	struct sev_psp_secrets_page secrets;
	struct snp_guest_chan chan;
	struct mirror_fw fw;
	struct sev_psp_msg page;
	struct sev_psp_msg good;	/* a genuine answer, kept */
	u8 out[64];
};

FIXTURE(msg) {
	struct msg_ctx c;
};

FIXTURE_SETUP(msg)
{
	struct msg_ctx *c = &self->c;

	make_secrets(&c->secrets);
	ASSERT_EQ(0, snp_guest_chan_from_secrets(&c->chan, &c->secrets, 2));
	ASSERT_EQ(0, snp_secrets_vmpck(&c->secrets, 2, c->fw.vmpck));
	c->fw.vmpck_id = 2;
	c->fw.seqno = 0;
	memset(c->out, 0xee, sizeof(c->out));
}

FIXTURE_TEARDOWN(msg)
{
	snp_guest_chan_wipe(&self->c.chan);
}

/* Seal "hello" and have the mirror answer it at seqno + 2 */
static void exchange(struct __test_metadata *_metadata, struct msg_ctx *c)
{
	EXPECT_EQ(0, snp_msg_seal(&c->chan, SNP_MSG_KEY_REQ, "hello", 5,
				  &c->page));
	EXPECT_EQ(c->chan.seqno + 1, le64toh(c->page.hdr.msg_seqno));
	EXPECT_EQ(0, fw_answer(&c->fw, &c->page, SNP_MSG_KEY_REQ, 2));
	c->good = c->page;
}

/* The refused answer moved nothing; then the genuine one opens */
static void refused(struct __test_metadata *_metadata, struct msg_ctx *c,
		    int want, const char *what)
{
	u64 seqno = c->chan.seqno;
	unsigned int i;

	memset(c->out, 0xee, sizeof(c->out));
	EXPECT_EQ(want, snp_msg_open(&c->chan, &c->page, SNP_MSG_KEY_RSP,
				     c->out, sizeof(c->out)))
		TH_LOG("%s", what);
	EXPECT_EQ(seqno, c->chan.seqno) TH_LOG("%s moved the channel", what);
	for (i = 0; i < sizeof(c->out); i++)
		if (c->out[i] != 0xee)
			break;
	EXPECT_EQ(sizeof(c->out), i) TH_LOG("%s wrote the output", what);

	EXPECT_EQ(5, snp_msg_open(&c->chan, &c->good, SNP_MSG_KEY_RSP,
				  c->out, sizeof(c->out)));
	EXPECT_EQ(0, memcmp(c->out, "olleh", 5));
	EXPECT_EQ(seqno + 2, c->chan.seqno);
}

TEST_F(msg, secrets_vmpck)
{
	struct msg_ctx *c = &self->c;
	u8 key[SNP_MSG_VMPCK_LEN];
	unsigned int i;

	for (i = 0; i < SNP_MSG_NR_VMPCK; i++) {
		ASSERT_EQ(0, snp_secrets_vmpck(&c->secrets, i, key));
		/* at 0x20 + 32 * i of the page */
		EXPECT_EQ(0, memcmp(key, (u8 *)&c->secrets + 0x20 + 32 * i,
				    sizeof(key)));
		EXPECT_EQ(0x10 * (i + 1), key[0]);
	}
	EXPECT_EQ(-EINVAL, snp_secrets_vmpck(&c->secrets, 4, key));
	EXPECT_EQ(-EINVAL, snp_guest_chan_from_secrets(&c->chan,
						       &c->secrets, 4));
	EXPECT_EQ(0, memcmp(c->chan.vmpck, c->secrets.vmpck[2], 32));
	EXPECT_EQ(2, c->chan.vmpck_id);
	EXPECT_EQ(0, c->chan.seqno);
}

/* The request's header and sizes as the firmware wants them */
TEST_F(msg, seal_header)
{
	struct msg_ctx *c = &self->c;
	struct sev_psp_msg_hdr *h = &c->page.hdr;

	ASSERT_EQ(0, snp_msg_seal(&c->chan, SNP_MSG_REPORT_REQ, "abc", 3,
				  &c->page));
	EXPECT_EQ(1, le64toh(h->msg_seqno));
	EXPECT_EQ(SNP_MSG_AEAD_AES_256_GCM, h->algo);
	EXPECT_EQ(1, h->hdr_version);
	EXPECT_EQ(96, le16toh(h->hdr_sz));
	EXPECT_EQ(SNP_MSG_REPORT_REQ, h->msg_type);
	EXPECT_EQ(1, h->msg_version);
	EXPECT_EQ(3, le16toh(h->msg_sz));
	EXPECT_EQ(2, h->msg_vmpck);
	EXPECT_NE(0, memcmp(c->page.payload, "abc", 3));
	/* sealing does not move the channel: the same seqno again */
	ASSERT_EQ(0, snp_msg_seal(&c->chan, SNP_MSG_REPORT_REQ, "abc", 3,
				  &c->page));
	EXPECT_EQ(1, le64toh(h->msg_seqno));
	EXPECT_EQ(0, c->chan.seqno);
}

/* One request checked against bytes computed outside this library */
TEST(msg_known_answer)
{
	static const u8 ct[16] = {
		0xa8, 0x72, 0xc7, 0x0a, 0x59, 0xe8, 0x83, 0x2b,
		0x75, 0x73, 0x14, 0x38, 0xd3, 0xf9, 0x29, 0xdc,
	};
	static const u8 tag[16] = {
		0xfe, 0x04, 0x37, 0xea, 0x85, 0xbb, 0xc8, 0x64,
		0xfa, 0x4b, 0x0e, 0x9f, 0xde, 0xb4, 0x81, 0x4d,
	};
	struct snp_guest_chan chan;
	struct sev_psp_msg page;
	u8 key[32];
	unsigned int i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = 0x40 + i;
	ASSERT_EQ(0, snp_guest_chan_init(&chan, key, 0));
	ASSERT_EQ(0, snp_msg_seal(&chan, SNP_MSG_REPORT_REQ,
				  "snp-guest-lib-ka", 16, &page));
	EXPECT_EQ(0, memcmp(page.payload, ct, sizeof(ct)));
	EXPECT_EQ(0, memcmp(page.hdr.authtag, tag, sizeof(tag)));
	for (i = 16; i < sizeof(page.hdr.authtag); i++)
		EXPECT_EQ(0, page.hdr.authtag[i]);
}

TEST_F(msg, round_trip)
{
	struct msg_ctx *c = &self->c;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		exchange(_metadata, c);
		EXPECT_EQ(5, snp_msg_open(&c->chan, &c->page,
					  SNP_MSG_KEY_RSP, c->out,
					  sizeof(c->out)));
		EXPECT_EQ(0, memcmp(c->out, "olleh", 5));
		EXPECT_EQ(2 * (i + 1), c->chan.seqno);
		EXPECT_EQ(c->chan.seqno, c->fw.seqno);
		EXPECT_EQ(c->chan.seqno, le64toh(c->page.hdr.msg_seqno));
	}
	/* a replayed answer is an old sequence number */
	memset(c->out, 0xee, sizeof(c->out));
	EXPECT_EQ(-EPROTO, snp_msg_open(&c->chan, &c->page,
					SNP_MSG_KEY_RSP, c->out,
					sizeof(c->out)));
	EXPECT_EQ(6, c->chan.seqno);
}

TEST_F(msg, tampered_tag)
{
	struct msg_ctx *c = &self->c;

	exchange(_metadata, c);
	c->page.hdr.authtag[5] ^= 1;
	refused(_metadata, c, -EBADMSG, "a changed tag");
}

TEST_F(msg, tampered_ciphertext)
{
	struct msg_ctx *c = &self->c;

	exchange(_metadata, c);
	c->page.payload[0] ^= 0x80;
	refused(_metadata, c, -EBADMSG, "a changed ciphertext");
}

/* Bytes of the AAD no header check looks at: only the tag catches them */
TEST_F(msg, tampered_aad)
{
	struct msg_ctx *c = &self->c;

	exchange(_metadata, c);
	c->page.hdr.rsvd3[7] = 1;
	refused(_metadata, c, -EBADMSG, "a changed reserved AAD byte");

	exchange(_metadata, c);
	c->page.hdr.rsvd2 = htole32(1);
	refused(_metadata, c, -EBADMSG, "a changed rsvd2");

	exchange(_metadata, c);
	c->page.hdr.msg_sz = htole16(4);
	refused(_metadata, c, -EBADMSG, "a shorter msg_sz");
}

/* Header fields the guest checks before the tag */
TEST_F(msg, wrong_header)
{
	struct msg_ctx *c = &self->c;

	exchange(_metadata, c);
	c->page.hdr.msg_type = SNP_MSG_REPORT_RSP;
	refused(_metadata, c, -EBADMSG, "another type");

	exchange(_metadata, c);
	c->page.hdr.msg_vmpck = 1;
	refused(_metadata, c, -EBADMSG, "another VMPCK index");

	exchange(_metadata, c);
	c->page.hdr.msg_version = 2;
	refused(_metadata, c, -EBADMSG, "another message version");

	exchange(_metadata, c);
	c->page.hdr.algo = 0;
	refused(_metadata, c, -EBADMSG, "another algorithm");

	exchange(_metadata, c);
	c->page.hdr.hdr_sz = htole16(95);
	refused(_metadata, c, -EBADMSG, "another header size");
}

TEST_F(msg, tampered_seqno)
{
	struct msg_ctx *c = &self->c;

	/* the header's number changed: not the expected one */
	exchange(_metadata, c);
	c->page.hdr.msg_seqno = htole64(c->chan.seqno + 4);
	refused(_metadata, c, -EPROTO, "a changed seqno");

	/* an answer at seqno + 1 (the request's own number) */
	EXPECT_EQ(0, snp_msg_seal(&c->chan, SNP_MSG_KEY_REQ, "hello", 5,
				  &c->page));
	EXPECT_EQ(0, fw_answer(&c->fw, &c->page, SNP_MSG_KEY_REQ, 1));
	EXPECT_EQ(-EPROTO, snp_msg_open(&c->chan, &c->page,
					SNP_MSG_KEY_RSP, c->out,
					sizeof(c->out)));
	EXPECT_EQ(2, c->chan.seqno);

	/* the header says seqno + 2 but the IV was another: the tag */
	c->fw.seqno = c->chan.seqno;
	EXPECT_EQ(0, snp_msg_seal(&c->chan, SNP_MSG_KEY_REQ, "hello", 5,
				  &c->page));
	EXPECT_EQ(0, fw_answer(&c->fw, &c->page, SNP_MSG_KEY_REQ, 3));
	c->page.hdr.msg_seqno = htole64(c->chan.seqno + 2);
	EXPECT_EQ(-EBADMSG, snp_msg_open(&c->chan, &c->page,
					 SNP_MSG_KEY_RSP, c->out,
					 sizeof(c->out)));
	EXPECT_EQ(2, c->chan.seqno);
}

TEST_F(msg, wrong_key)
{
	struct msg_ctx *c = &self->c;
	struct snp_guest_chan other;

	exchange(_metadata, c);
	/* the same index, other bytes: only the tag can tell */
	ASSERT_EQ(0, snp_guest_chan_init(&other, c->secrets.vmpck[3], 2));
	other.seqno = c->chan.seqno;
	EXPECT_EQ(-EBADMSG, snp_msg_open(&other, &c->page, SNP_MSG_KEY_RSP,
					 c->out, sizeof(c->out)));
	EXPECT_EQ(0, other.seqno);
	EXPECT_EQ(0xee, c->out[0]);
	snp_guest_chan_wipe(&other);

	EXPECT_EQ(5, snp_msg_open(&c->chan, &c->page, SNP_MSG_KEY_RSP,
				  c->out, sizeof(c->out)));
}

TEST_F(msg, sizes)
{
	struct msg_ctx *c = &self->c;
	static u8 big[SNP_MSG_PAYLOAD_MAX + 1];

	EXPECT_EQ(-EMSGSIZE, snp_msg_seal(&c->chan, SNP_MSG_KEY_REQ, big,
					  sizeof(big), &c->page));
	EXPECT_EQ(0, snp_msg_seal(&c->chan, SNP_MSG_KEY_REQ, big,
				  sizeof(big) - 1, &c->page));
	EXPECT_EQ(0, snp_msg_seal(&c->chan, SNP_MSG_KEY_REQ, NULL, 0,
				  &c->page));

	/* an answer larger than the caller's buffer: refused, not cut */
	exchange(_metadata, c);
	EXPECT_EQ(-EMSGSIZE, snp_msg_open(&c->chan, &c->page,
					  SNP_MSG_KEY_RSP, c->out, 4));
	EXPECT_EQ(0, c->chan.seqno);
	EXPECT_EQ(0xee, c->out[0]);

	EXPECT_EQ(-EINVAL, snp_guest_chan_init(&c->chan, c->fw.vmpck, 4));
	EXPECT_EQ(-EINVAL, snp_msg_encrypt(&c->page, c->fw.vmpck, 4, 1,
					   SNP_MSG_KEY_REQ, "x", 1));

	/* the sequence numbers used up: as the firmware, nothing wraps */
	c->chan.seqno = UINT64_MAX - 2;
	EXPECT_EQ(-EOVERFLOW, snp_msg_seal(&c->chan, SNP_MSG_KEY_REQ, "x",
					   1, &c->page));
	c->chan.seqno = UINT64_MAX - 3;
	EXPECT_EQ(0, snp_msg_seal(&c->chan, SNP_MSG_KEY_REQ, "x", 1,
				  &c->page));
	EXPECT_EQ(UINT64_MAX - 2, le64toh(c->page.hdr.msg_seqno));
}

/* The request builders' payloads, read by the mirror */
TEST_F(msg, report_and_key_requests)
{
	struct msg_ctx *c = &self->c;
	struct sev_psp_report_req rreq;
	struct sev_psp_key_req kreq, kin;
	u8 data[64];
	int len;

	memset(data, 0x5a, sizeof(data));
	ASSERT_EQ(0, snp_msg_report_req(&c->chan, data, 1, &c->page));
	EXPECT_EQ(SNP_MSG_REPORT_REQ, c->page.hdr.msg_type);
	len = snp_msg_decrypt(&c->page, c->fw.vmpck, 2, 1,
			      SNP_MSG_REPORT_REQ, &rreq, sizeof(rreq));
	ASSERT_EQ(sizeof(rreq), len);
	EXPECT_EQ(0, memcmp(rreq.report_data, data, sizeof(data)));
	EXPECT_EQ(1, le32toh(rreq.vmpl));

	snp_key_req_init(&kreq, SNP_KEY_ROOT_VMRK, SNP_KEY_FIELD_MEASUREMENT |
			 SNP_KEY_FIELD_POLICY, 2, 7, 0x1122334455667788ULL);
	ASSERT_EQ(0, snp_msg_key_req(&c->chan, &kreq, &c->page));
	EXPECT_EQ(SNP_MSG_KEY_REQ, c->page.hdr.msg_type);
	len = snp_msg_decrypt(&c->page, c->fw.vmpck, 2, 1,
			      SNP_MSG_KEY_REQ, &kin, sizeof(kin));
	ASSERT_EQ(sizeof(kin), len);
	EXPECT_EQ(1, le32toh(kin.root_key_select));
	EXPECT_EQ(0x9, le64toh(kin.guest_field_select));
	EXPECT_EQ(2, le32toh(kin.vmpl));
	EXPECT_EQ(7, le32toh(kin.guest_svn));
	EXPECT_EQ(0x1122334455667788ULL, le64toh(kin.tcb_version));
	EXPECT_EQ(0, kin.rsvd);

	snp_report_req_init(&rreq, NULL, 0);
	EXPECT_EQ(0, rreq.report_data[63]);
}

TEST_HARNESS_MAIN
