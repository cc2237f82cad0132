// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the simulated firmware's guests (drivers/psp/sim/): ASID
 * ownership and the DF_FLUSH an unbound ASID needs (sim-fw-asid.c); the
 * SEV guest commands (sim-fw-guest.c, sim-fw-sev-debug.c) and the launch
 * with the guest owner's session, this suite playing the owner, and the
 * attestation report the PEK signs (sim-fw-sev-launch.c); the SNP launch
 * with its page states and launch digest (sim-fw-snp-guest.c); SNP guest
 * messages, this suite playing the guest: sequence numbers,
 * authentication, reports signed by the VCEK, derived keys, the counts of
 * answers, replays, skips and IV reuse (sim-fw-snp-msg.c); and the guest
 * owner's ID block at LAUNCH_FINISH (sim-fw-snp-id.c).
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <asm/unaligned.h>
#include <crypto/sha2.h>

#include "sev_test_owner.h"
#include "snp_test_guest.h"
#include <sev-psp/snp-id.h>

#define GT_ASID		7	/* an SNP/ES ASID */
#define GT_SEV_ASID	SIM_MIN_SEV_ASID
#define GT_NR_PAGES	6
#define GT_POLICY	(SIM_SNP_POLICY_RSVD_MBO | SIM_SNP_POLICY_SMT)

enum { GT_GCTX, GT_RESP, GT_REQ, GT_DATA, GT_SECRETS, GT_SPARE };

struct guest_test {
	struct sim_fw fw;
	void *buf;			/* command buffer */
	struct page *pages[GT_NR_PAGES];
	struct sev_psp_msg *msg;	/* the guest's own copy */
	u8 vmpck0[SNP_MSG_VMPCK_LEN];
	u8 vmpck1[SNP_MSG_VMPCK_LEN];
};

static u64 pa(struct guest_test *t, int i)
{
	return page_to_phys(t->pages[i]);
}

static u64 pfn(struct guest_test *t, int i)
{
	return page_to_pfn(t->pages[i]);
}

static int guest_test_init(struct kunit *test)
{
	struct guest_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	int i;

	if (!t)
		return -ENOMEM;
	t->buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	t->msg = kunit_kzalloc(test, sizeof(*t->msg), GFP_KERNEL);
	if (!t->buf || !t->msg)
		return -ENOMEM;
	for (i = 0; i < GT_NR_PAGES; i++) {
		t->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!t->pages[i])
			return -ENOMEM;
	}
	if (sim_fw_init(&t->fw))
		return -EINVAL;
	t->fw.snp_enabled = true;
	test->priv = t;
	return 0;
}

/* Every page back to the hypervisor before it is freed. */
static void guest_test_exit(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct rmp_state zero = {};
	int i;

	sim_fw_exit(&t->fw);
	for (i = 0; i < GT_NR_PAGES; i++) {
		if (!t->pages[i])
			continue;
		sim_rmp_fw_set(pfn(t, i), &zero);
		__free_page(t->pages[i]);
	}
}

static u16 run(struct guest_test *t, unsigned int cmd)
{
	return sim_fw_run(&t->fw, cmd, virt_to_phys(t->buf));
}

static void flush_caches(void)
{
	sim_platform_wbinvd();
}

static void set_rmp(struct kunit *test, struct guest_test *t, int i,
		    struct rmp_state s)
{
	KUNIT_ASSERT_EQ(test, 0, sim_rmp_fw_set(pfn(t, i), &s));
}

static const struct rmp_state fw_page = { .assigned = 1, .immutable = 1 };

static struct rmp_state pre_guest(u64 gpa, u32 asid)
{
	return (struct rmp_state){ .assigned = 1, .immutable = 1, .gpa = gpa,
				   .asid = asid };
}

static u16 platform_up(struct guest_test *t, bool snp, u32 flags)
{
	u16 status = SEV_RET_SUCCESS;

	if (snp) {
		memset(t->buf, 0, sizeof(struct sev_data_snp_init_ex));
		((struct sev_data_snp_init_ex *)t->buf)->init_rmp = 1;
		status = run(t, SEV_CMD_SNP_INIT_EX);
	} else {
		t->fw.snp_enabled = false;
	}
	if (!status) {
		memset(t->buf, 0, sizeof(struct sev_data_init));
		((struct sev_data_init *)t->buf)->flags = flags;
		status = run(t, SEV_CMD_INIT);
	}
	return status;
}

/* SEV guests */

static u16 sev_launch(struct guest_test *t, u32 policy, u32 *handle)
{
	struct sev_data_launch_start *d = t->buf;
	u16 status;

	*d = (struct sev_data_launch_start){ .policy = policy };
	status = run(t, SEV_CMD_LAUNCH_START);
	*handle = d->handle;
	return status;
}

static u16 sev_handle_cmd(struct guest_test *t, unsigned int cmd, u32 handle,
			  u32 asid)
{
	struct sev_data_activate *d = t->buf;

	*d = (struct sev_data_activate){ .handle = handle, .asid = asid };
	return run(t, cmd);
}

static void sev_guest_lifecycle(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_data_guest_status *st = t->buf;
	u32 g1, g2;

	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PLATFORM_STATE,
			sev_launch(t, 0, &g1));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, false, 0));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_launch(t, 0, &g1));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_launch(t, 0, &g2));
	KUNIT_EXPECT_NE(test, g1, g2);
	KUNIT_EXPECT_EQ(test, SEV_STATE_WORKING, t->fw.state);
	KUNIT_EXPECT_EQ(test, 2U, t->fw.guest_count);

	/* plain SEV guests take ASIDs from SIM_MIN_SEV_ASID up */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ASID,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, g1, 0));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ASID,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, g1, GT_ASID));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ASID,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, g1, SIM_MAX_ASID + 1));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, 999, GT_SEV_ASID));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, g1, GT_SEV_ASID));
	KUNIT_EXPECT_EQ(test, SEV_RET_ACTIVE,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, g1, GT_SEV_ASID + 1));
	KUNIT_EXPECT_EQ(test, SEV_RET_ASID_OWNED,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, g2, GT_SEV_ASID));

	*st = (struct sev_data_guest_status){ .handle = g1 };
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_GUEST_STATUS));
	KUNIT_EXPECT_EQ(test, (u32)GT_SEV_ASID, st->asid);

	/* an active guest is not decommissioned */
	KUNIT_EXPECT_EQ(test, SEV_RET_ACTIVE,
			sev_handle_cmd(t, SEV_CMD_DECOMMISSION, g1, 0));
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_DEACTIVATE, g1, 0));

	/* the ASID is free but dirty: DF_FLUSH, which needs a WBINVD */
	KUNIT_EXPECT_EQ(test, SEV_RET_DFFLUSH_REQUIRED,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, g2, GT_SEV_ASID));
	KUNIT_EXPECT_EQ(test, SEV_RET_WBINVD_REQUIRED, run(t, SEV_CMD_DF_FLUSH));
	flush_caches();
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_DF_FLUSH));
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, g2, GT_SEV_ASID));

	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_DECOMMISSION, g1, 0));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST,
			sev_handle_cmd(t, SEV_CMD_DECOMMISSION, g1, 0));
	KUNIT_EXPECT_EQ(test, 1U, t->fw.guest_count);

	/* SHUTDOWN ends every guest and frees its ASID */
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SHUTDOWN));
	KUNIT_EXPECT_EQ(test, 0U, t->fw.guest_count);
	KUNIT_EXPECT_NULL(test, t->fw.asid_owner[GT_SEV_ASID]);
}

static void sev_launch_policy_and_session(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_data_launch_start *d = t->buf;
	u32 h;

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, false, 0));
	/* SEV-ES needs INIT with the ES flag; a newer API than ours fails */
	KUNIT_EXPECT_EQ(test, SEV_RET_POLICY_FAILURE,
			sev_launch(t, SIM_POLICY_ES, &h));
	KUNIT_EXPECT_EQ(test, SEV_RET_POLICY_FAILURE,
			sev_launch(t, (t->fw.api_major + 1) << 16, &h));
	/* a DH certificate needs a session, and both their lengths */
	*d = (struct sev_data_launch_start){ .dh_cert_address = pa(t, GT_DATA),
					     .dh_cert_len = 64 };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_LAUNCH_START));
	*d = (struct sev_data_launch_start){ .dh_cert_address = pa(t, GT_DATA),
					     .dh_cert_len = 64,
					     .session_address = pa(t, GT_SPARE),
					     .session_len = 128 };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, run(t, SEV_CMD_LAUNCH_START));
	KUNIT_EXPECT_EQ(test, 0U, t->fw.guest_count);
	/* key sharing names a guest that exists */
	*d = (struct sev_data_launch_start){ .handle = 77 };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST, run(t, SEV_CMD_LAUNCH_START));
}

/* The guest owner, as sev_test_owner.c builds its half. */
struct owner {
	struct sim_sev_cert *cert;	/* its DH key, PDH-format */
	struct sev_test_session *ses;
	u8 tek[16], tik[16];
};

static void owner_session(struct kunit *test, struct guest_test *t,
			  struct owner *o, u32 policy)
{
	o->cert = kunit_kzalloc(test, sizeof(*o->cert), GFP_KERNEL);
	o->ses = kunit_kzalloc(test, sizeof(*o->ses), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, o->cert && o->ses);
	memset(o->tek, 0x22, sizeof(o->tek));
	memset(o->tik, 0x33, sizeof(o->tik));
	KUNIT_ASSERT_EQ(test, 0,
			sev_test_owner_session(&t->fw.pki->st.pdh, "owner",
					       policy, o->tek, o->tik, o->cert,
					       o->ses));
}

static u16 owner_launch(struct guest_test *t, struct owner *o, u32 policy,
			u32 *handle)
{
	struct sev_data_launch_start *d = t->buf;
	u16 status;

	*d = (struct sev_data_launch_start){
		.policy = policy,
		.dh_cert_address = virt_to_phys(o->cert),
		.dh_cert_len = sizeof(*o->cert),
		.session_address = virt_to_phys(o->ses),
		.session_len = sizeof(*o->ses),
	};
	status = run(t, SEV_CMD_LAUNCH_START);
	*handle = d->handle;
	return status;
}

static u16 sev_region_cmd(struct guest_test *t, unsigned int cmd, u32 handle,
			  u64 address, u32 len)
{
	struct sev_data_launch_update_data *d = t->buf;

	*d = (struct sev_data_launch_update_data){ .handle = handle,
						   .address = address,
						   .len = len };
	return run(t, cmd);
}

/* The LAUNCH_SECRET packet the owner sends, with @secret in it. */
static u16 owner_secret(struct kunit *test, struct guest_test *t,
			struct owner *o, u32 handle, const u8 *measurement,
			const char *secret, bool tamper)
{
	struct sev_data_launch_secret *d = t->buf;
	struct sev_test_secret_hdr *hdr = kunit_kzalloc(test, sizeof(*hdr),
							GFP_KERNEL);
	u8 *data = kunit_kzalloc(test, 32, GFP_KERNEL);

	KUNIT_ASSERT_TRUE(test, hdr && data);
	strscpy(data, secret, 32);
	KUNIT_ASSERT_EQ(test, 0, sev_test_secret_packet(o->tek, o->tik,
							measurement, hdr,
							data, 32));
	hdr->mac[0] ^= tamper;

	*d = (struct sev_data_launch_secret){
		.handle = handle,
		.hdr_address = virt_to_phys(hdr),
		.hdr_len = sizeof(*hdr),
		.guest_address = pa(t, GT_DATA) + 64,
		.guest_len = 32,
		.trans_address = virt_to_phys(data),
		.trans_len = 32,
	};
	return run(t, SEV_CMD_LAUNCH_UPDATE_SECRET);
}

static void sev_launch_with_the_owners_session(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_data_launch_measure *m = t->buf;
	struct sev_data_guest_status *st = t->buf;
	u8 *data = page_address(t->pages[GT_DATA]);
	u8 *out = page_address(t->pages[GT_SPARE]);
	struct {
		u8 ctx, api_major, api_minor, build;
		__le32 policy;
		u8 digest[32];
		u8 mnonce[16];
	} __packed expect;
	u8 measurement[32];
	struct sim_guest *g;
	struct owner o;
	u32 h;

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, false, 0));
	owner_session(test, t, &o, 0);

	/* a session that does not check out starts no guest */
	o.ses->wrap_mac[0] ^= 1;
	KUNIT_EXPECT_EQ(test, SEV_RET_BAD_MEASUREMENT, owner_launch(t, &o, 0, &h));
	o.ses->wrap_mac[0] ^= 1;
	KUNIT_EXPECT_EQ(test, SEV_RET_POLICY_FAILURE, owner_launch(t, &o, 1, &h));
	o.cert->pub_usage = SIM_SEV_USAGE_PEK;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_CERTIFICATE,
			owner_launch(t, &o, 0, &h));
	o.cert->pub_usage = SIM_SEV_USAGE_PDH;
	o.cert->pub.qx[0] ^= 1;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_CERTIFICATE,
			owner_launch(t, &o, 0, &h));
	o.cert->pub.qx[0] ^= 1;
	KUNIT_EXPECT_EQ(test, 0U, t->fw.guest_count);

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, owner_launch(t, &o, 0, &h));
	g = sim_fw_sev_guest(&t->fw, h);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_EXPECT_EQ(test, 0, memcmp(g->tek, o.tek, 16));
	KUNIT_EXPECT_EQ(test, 0, memcmp(g->tik, o.tik, 16));

	/* memory goes in only once the guest has its ASID, 16 bytes at a time */
	memset(data, 0xa5, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, SEV_RET_INACTIVE,
			sev_region_cmd(t, SEV_CMD_LAUNCH_UPDATE_DATA, h,
				       pa(t, GT_DATA), PAGE_SIZE));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, h, GT_SEV_ASID));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN,
			sev_region_cmd(t, SEV_CMD_LAUNCH_UPDATE_DATA, h,
				       pa(t, GT_DATA), 15));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS,
			sev_region_cmd(t, SEV_CMD_LAUNCH_UPDATE_DATA, h,
				       pa(t, GT_DATA) + 8, 16));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST_STATE,
			sev_region_cmd(t, SEV_CMD_LAUNCH_UPDATE_VMSA, h,
				       pa(t, GT_DATA), PAGE_SIZE));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_region_cmd(t, SEV_CMD_LAUNCH_UPDATE_DATA, h,
				       pa(t, GT_DATA), PAGE_SIZE));

	/* the length first, then the measurement the owner can check */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN,
			sev_region_cmd(t, SEV_CMD_LAUNCH_MEASURE, h, 0, 0));
	KUNIT_EXPECT_EQ(test, 48U, m->len);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_region_cmd(t, SEV_CMD_LAUNCH_MEASURE, h,
				       pa(t, GT_SPARE), 48));
	expect.ctx = 0x04;
	expect.api_major = t->fw.api_major;
	expect.api_minor = t->fw.api_minor;
	expect.build = t->fw.build;
	expect.policy = 0;
	sha256(data, PAGE_SIZE, expect.digest);
	memcpy(expect.mnonce, out + 32, 16);
	KUNIT_ASSERT_EQ(test, 0, sim_hmac_sha256(o.tik, 16, &expect,
						 sizeof(expect), measurement));
	KUNIT_EXPECT_EQ(test, 0, memcmp(out, measurement, 32));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST_STATE,
			sev_region_cmd(t, SEV_CMD_LAUNCH_UPDATE_DATA, h,
				       pa(t, GT_DATA), PAGE_SIZE));

	/* a secret only the owner could have sent lands in the guest */
	KUNIT_EXPECT_EQ(test, SEV_RET_BAD_MEASUREMENT,
			owner_secret(test, t, &o, h, measurement,
				     "the guest owner's disk key", true));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			owner_secret(test, t, &o, h, measurement,
				     "the guest owner's disk key", false));
	KUNIT_EXPECT_STREQ(test, "the guest owner's disk key",
			   (char *)data + 64);

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_LAUNCH_FINISH, h, 0));
	*st = (struct sev_data_guest_status){ .handle = h };
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_GUEST_STATUS));
	KUNIT_EXPECT_EQ(test, 3, (int)st->state);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST_STATE,
			sev_handle_cmd(t, SEV_CMD_LAUNCH_FINISH, h, 0));
}

static u16 sev_dbg(struct guest_test *t, unsigned int cmd, u32 handle,
		   u64 src, u64 dst, u32 len)
{
	struct sev_data_dbg *d = t->buf;

	*d = (struct sev_data_dbg){ .handle = handle, .src_addr = src,
				    .dst_addr = dst, .len = len };
	return run(t, cmd);
}

static void sev_debug_needs_a_debug_policy(struct kunit *test)
{
	struct guest_test *t = test->priv;
	u8 *guest = page_address(t->pages[GT_DATA]);
	u8 *host = page_address(t->pages[GT_SPARE]);
	u32 nodbg, dbg;

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, false, 0));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_launch(t, SIM_POLICY_NODBG,
							  &nodbg));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_launch(t, 0, &dbg));
	KUNIT_EXPECT_EQ(test, SEV_RET_INACTIVE,
			sev_dbg(t, SEV_CMD_DBG_DECRYPT, dbg, pa(t, GT_DATA),
				pa(t, GT_SPARE), 64));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, nodbg, GT_SEV_ASID));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, dbg, GT_SEV_ASID + 1));
	KUNIT_EXPECT_EQ(test, SEV_RET_POLICY_FAILURE,
			sev_dbg(t, SEV_CMD_DBG_DECRYPT, nodbg, pa(t, GT_DATA),
				pa(t, GT_SPARE), 64));

	memset(guest, 0x3c, 64);
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			sev_dbg(t, SEV_CMD_DBG_DECRYPT, dbg, pa(t, GT_DATA),
				pa(t, GT_SPARE), 64));
	KUNIT_EXPECT_EQ(test, 0, memcmp(host, guest, 64));
	memset(host, 0xc3, 32);
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			sev_dbg(t, SEV_CMD_DBG_ENCRYPT, dbg, pa(t, GT_SPARE),
				pa(t, GT_DATA) + 128, 32));
	KUNIT_EXPECT_EQ(test, 0, memcmp(guest + 128, host, 32));

	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN,
			sev_dbg(t, SEV_CMD_DBG_DECRYPT, dbg, pa(t, GT_DATA),
				pa(t, GT_SPARE), 20));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS,
			sev_dbg(t, SEV_CMD_DBG_DECRYPT, dbg, pa(t, GT_DATA) + 4,
				pa(t, GT_SPARE), 16));
}

/* ATTESTATION's report of a guest: the spec's sizes and values, as numbers */
#define GT_REPORT_LEN		0xd0
#define GT_USAGE_PEK		0x1002
#define GT_ALGO_ECDSA_SHA256	0x2

static u16 sev_attest(struct guest_test *t, u32 handle, u64 address, u32 len,
		      const u8 *mnonce)
{
	struct sev_data_attestation_report *d = t->buf;

	*d = (struct sev_data_attestation_report){ .handle = handle,
						   .address = address,
						   .len = len };
	if (mnonce)
		memcpy(d->mnonce, mnonce, sizeof(d->mnonce));
	return run(t, SEV_CMD_ATTESTATION_REPORT);
}

static void sev_attestation_needs_a_measured_guest(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_data_attestation_report *d = t->buf;
	u8 *out = page_address(t->pages[GT_SPARE]);
	u32 h;

	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PLATFORM_STATE,
			sev_attest(t, 1, pa(t, GT_SPARE), PAGE_SIZE, NULL));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, false, 0));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_launch(t, 0, &h));

	/* a handle no LAUNCH_START gave */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST,
			sev_attest(t, h + 1, pa(t, GT_SPARE), PAGE_SIZE, NULL));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST,
			sev_attest(t, 0, pa(t, GT_SPARE), PAGE_SIZE, NULL));
	/* launched but not measured: its digest may still change */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST_STATE,
			sev_attest(t, h, pa(t, GT_SPARE), PAGE_SIZE, NULL));
	KUNIT_EXPECT_NULL(test, memchr_inv(out, 0, PAGE_SIZE));

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_region_cmd(t, SEV_CMD_LAUNCH_MEASURE, h,
				       pa(t, GT_DATA), 48));

	/* the length, as KVM asks for it: no buffer, length 0 */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, sev_attest(t, h, 0, 0, NULL));
	KUNIT_EXPECT_EQ(test, GT_REPORT_LEN, d->len);
	/* one byte short: the length again, nothing written */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN,
			sev_attest(t, h, pa(t, GT_SPARE), GT_REPORT_LEN - 1,
				   NULL));
	KUNIT_EXPECT_EQ(test, GT_REPORT_LEN, d->len);
	KUNIT_EXPECT_NULL(test, memchr_inv(out, 0, PAGE_SIZE));

	/* exactly enough, and nothing written past the report */
	memset(out, 0xee, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			sev_attest(t, h, pa(t, GT_SPARE), GT_REPORT_LEN, NULL));
	KUNIT_EXPECT_EQ(test, GT_REPORT_LEN, d->len);
	KUNIT_EXPECT_NOT_NULL(test, memchr_inv(out, 0xee, GT_REPORT_LEN));
	KUNIT_EXPECT_NULL(test, memchr_inv(out + GT_REPORT_LEN, 0xee,
					   PAGE_SIZE - GT_REPORT_LEN));
	/* more room than needed: the length says what was written */
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			sev_attest(t, h, pa(t, GT_SPARE), PAGE_SIZE, NULL));
	KUNIT_EXPECT_EQ(test, GT_REPORT_LEN, d->len);
}

static void sev_attestation_report_is_signed_by_the_pek(struct kunit *test)
{
	static const u8 mnonce1[16] = "first mnonce 16";
	static const u8 mnonce2[16] = "other mnonce 16";
	const u32 policy = SIM_POLICY_NODBG;
	struct guest_test *t = test->priv;
	struct sim_sev_attestation_report *r;
	u8 *data = page_address(t->pages[GT_DATA]);
	u8 *meas = page_address(t->pages[GT_REQ]);
	struct {
		u8 ctx, api_major, api_minor, build;
		__le32 policy;
		u8 digest[32];
		u8 mnonce[16];
	} __packed m;
	struct sim_sev_cert *other;
	u8 digest[32], mac[32];
	struct owner o;
	u32 h;

	r = page_address(t->pages[GT_SPARE]);
	other = kunit_kmalloc(test, sizeof(*other), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, false, 0));
	owner_session(test, t, &o, policy);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, owner_launch(t, &o, policy, &h));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_ACTIVATE, h, GT_SEV_ASID));
	memset(data, 0x5c, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_region_cmd(t, SEV_CMD_LAUNCH_UPDATE_DATA, h,
				       pa(t, GT_DATA), PAGE_SIZE));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_region_cmd(t, SEV_CMD_LAUNCH_MEASURE, h,
				       pa(t, GT_REQ), 48));

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_attest(t, h, pa(t, GT_SPARE), PAGE_SIZE, mnonce1));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->mnonce, mnonce1, 16));
	sha256(data, PAGE_SIZE, digest);
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->launch_digest, digest, 32));
	/* the very digest the owner's measurement covers */
	m.ctx = 0x04;
	m.api_major = t->fw.api_major;
	m.api_minor = t->fw.api_minor;
	m.build = t->fw.build;
	m.policy = cpu_to_le32(policy);
	memcpy(m.digest, r->launch_digest, sizeof(m.digest));
	memcpy(m.mnonce, meas + 32, sizeof(m.mnonce));
	KUNIT_ASSERT_EQ(test, 0, sim_hmac_sha256(o.tik, 16, &m, sizeof(m), mac));
	KUNIT_EXPECT_EQ(test, 0, memcmp(mac, meas, 32));
	KUNIT_EXPECT_EQ(test, policy, r->policy);
	KUNIT_EXPECT_EQ(test, GT_USAGE_PEK, r->sig_usage);
	KUNIT_EXPECT_EQ(test, GT_ALGO_ECDSA_SHA256, r->sig_algo);
	KUNIT_EXPECT_EQ(test, 0U, r->rsvd);
	KUNIT_EXPECT_EQ(test, 0, sev_test_report_verify(&t->fw.pki->st.pek, r));

	/* what SIG1 covers: the nonce, the digest, the policy */
	r->mnonce[15] ^= 1;
	KUNIT_EXPECT_EQ(test, -EKEYREJECTED,
			sev_test_report_verify(&t->fw.pki->st.pek, r));
	r->mnonce[15] ^= 1;
	r->launch_digest[0] ^= 1;
	KUNIT_EXPECT_EQ(test, -EKEYREJECTED,
			sev_test_report_verify(&t->fw.pki->st.pek, r));
	r->launch_digest[0] ^= 1;
	r->policy ^= SIM_POLICY_ES;
	KUNIT_EXPECT_EQ(test, -EKEYREJECTED,
			sev_test_report_verify(&t->fw.pki->st.pek, r));
	r->policy ^= SIM_POLICY_ES;
	KUNIT_EXPECT_EQ(test, 0, sev_test_report_verify(&t->fw.pki->st.pek, r));
	/* the PEK's signature, no other key's: the OCA's key in its place */
	*other = t->fw.pki->st.pek;
	other->pub = t->fw.pki->st.oca.pub;
	KUNIT_EXPECT_EQ(test, -EKEYREJECTED, sev_test_report_verify(other, r));

	/* running, with the secret in: the same digest, the new nonce */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			owner_secret(test, t, &o, h, meas, "a disk key", false));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_handle_cmd(t, SEV_CMD_LAUNCH_FINISH, h, 0));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_attest(t, h, pa(t, GT_SPARE), PAGE_SIZE, mnonce2));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->mnonce, mnonce2, 16));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->launch_digest, digest, 32));
	KUNIT_EXPECT_EQ(test, 0, sev_test_report_verify(&t->fw.pki->st.pek, r));
}

/* SNP guests */

static u16 snp_addr_cmd(struct guest_test *t, unsigned int cmd, u64 addr)
{
	((struct sev_data_snp_addr *)t->buf)->address = addr;
	return run(t, cmd);
}

static u16 snp_launch_start(struct guest_test *t, u64 policy)
{
	struct sev_data_snp_launch_start *d = t->buf;

	*d = (struct sev_data_snp_launch_start){ .gctx_paddr = pa(t, GT_GCTX),
						 .policy = policy };
	return run(t, SEV_CMD_SNP_LAUNCH_START);
}

static u16 snp_activate(struct guest_test *t, u32 asid)
{
	struct sev_data_snp_activate *d = t->buf;

	*d = (struct sev_data_snp_activate){ .gctx_paddr = pa(t, GT_GCTX),
					     .asid = asid };
	return run(t, SEV_CMD_SNP_ACTIVATE);
}

static u16 snp_update(struct guest_test *t, int page, int type)
{
	struct sev_data_snp_launch_update *d = t->buf;

	*d = (struct sev_data_snp_launch_update){ .gctx_paddr = pa(t, GT_GCTX),
						  .page_type = type,
						  .address = pa(t, page) };
	return run(t, SEV_CMD_SNP_LAUNCH_UPDATE);
}

static u16 snp_finish(struct guest_test *t)
{
	struct sev_data_snp_launch_finish *d = t->buf;

	memset(d, 0, sizeof(*d));
	d->gctx_paddr = pa(t, GT_GCTX);
	memset(d->host_data, 0x5a, sizeof(d->host_data));
	return run(t, SEV_CMD_SNP_LAUNCH_FINISH);
}

/* SNP up, a context, launched and active on GT_ASID. */
static void snp_guest_started(struct kunit *test, struct guest_test *t)
{
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, true, 0));
	set_rmp(test, t, GT_GCTX, fw_page);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_launch_start(t, GT_POLICY));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_activate(t, GT_ASID));
}

/* ... with a secrets page (the VMPCKs read back) and running. */
static void snp_guest_running(struct kunit *test, struct guest_test *t)
{
	struct sev_psp_secrets_page *sp = page_address(t->pages[GT_SECRETS]);

	snp_guest_started(test, t);
	set_rmp(test, t, GT_SECRETS, pre_guest(0x2000, GT_ASID));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_update(t, GT_SECRETS, SNP_PAGE_TYPE_SECRET));
	memcpy(t->vmpck0, sp->vmpck[0], sizeof(t->vmpck0));
	memcpy(t->vmpck1, sp->vmpck[1], sizeof(t->vmpck1));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_finish(t));
	set_rmp(test, t, GT_RESP, fw_page);
}

static void snp_gctx_is_a_firmware_page(struct kunit *test)
{
	struct guest_test *t = test->priv;

	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PLATFORM_STATE,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, true, 0));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE,
				     pa(t, GT_GCTX) + 8));
	set_rmp(test, t, GT_GCTX, fw_page);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	KUNIT_EXPECT_EQ(test, 1U, t->fw.snp_guest_count);

	/* no reclaim, no SNP shutdown, while the context lives */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			snp_addr_cmd(t, SEV_CMD_SNP_PAGE_RECLAIM, pa(t, GT_GCTX)));
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_DECOMMISSION, pa(t, GT_GCTX)));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST,
			snp_addr_cmd(t, SEV_CMD_SNP_DECOMMISSION, pa(t, GT_GCTX)));
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_PAGE_RECLAIM, pa(t, GT_GCTX)));
	KUNIT_EXPECT_EQ(test, 0U, t->fw.snp_guest_count);
}

static void snp_launch_start_checks_policy(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_data_snp_launch_start *d = t->buf;
	u64 newer_abi = (u64)(t->fw.api_major + 1) << 8;

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, platform_up(t, true, 0));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST, snp_launch_start(t, GT_POLICY));
	set_rmp(test, t, GT_GCTX, fw_page);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));

	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			snp_launch_start(t, SIM_SNP_POLICY_SMT));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			snp_launch_start(t, GT_POLICY | BIT_ULL(40)));
	KUNIT_EXPECT_EQ(test, SEV_RET_POLICY_FAILURE,
			snp_launch_start(t, GT_POLICY | newer_abi));
	*d = (struct sev_data_snp_launch_start){ .gctx_paddr = pa(t, GT_GCTX),
						 .policy = GT_POLICY,
						 .ma_en = 1 };
	KUNIT_EXPECT_EQ(test, SEV_RET_UNSUPPORTED,
			run(t, SEV_CMD_SNP_LAUNCH_START));
	/* a guest that is not launched is not activated */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST_STATE,
			snp_activate(t, GT_ASID));

	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, snp_launch_start(t, GT_POLICY));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST_STATE,
			snp_launch_start(t, GT_POLICY));
}

/* Every launch gets new keys, which follow from chip secret and launch. */
static void snp_launch_secrets_fresh_and_reproducible(struct kunit *test)
{
	struct guest_test *t = test->priv;
	u8 first[SNP_MSG_NR_VMPCK][SNP_MSG_VMPCK_LEN];
	u64 launches;
	struct sim_guest *g;

	snp_guest_started(test, t);
	g = sim_fw_snp_guest(&t->fw, pa(t, GT_GCTX));
	KUNIT_ASSERT_NOT_NULL(test, g);
	memcpy(first, g->vmpck, sizeof(first));
	launches = t->fw.launches;
	KUNIT_EXPECT_NE(test, 0, memcmp(first[0], first[1], sizeof(first[0])));

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_DECOMMISSION, pa(t, GT_GCTX)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_launch_start(t, GT_POLICY));
	g = sim_fw_snp_guest(&t->fw, pa(t, GT_GCTX));
	KUNIT_EXPECT_NE(test, 0, memcmp(first, g->vmpck, sizeof(first)));

	/* the same chip at the same launch number: the same keys */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_DECOMMISSION, pa(t, GT_GCTX)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	t->fw.launches = launches - 1;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_launch_start(t, GT_POLICY));
	g = sim_fw_snp_guest(&t->fw, pa(t, GT_GCTX));
	KUNIT_EXPECT_EQ(test, 0, memcmp(first, g->vmpck, sizeof(first)));
}

static void snp_asids(struct kunit *test)
{
	struct guest_test *t = test->priv;

	snp_guest_started(test, t);
	KUNIT_EXPECT_EQ(test, SEV_RET_ACTIVE, snp_activate(t, GT_ASID + 1));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_DECOMMISSION, pa(t, GT_GCTX)));
	KUNIT_EXPECT_NULL(test, t->fw.asid_owner[GT_ASID]);

	/* a new guest: plain-SEV ASIDs are not for it; GT_ASID needs a flush */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_launch_start(t, GT_POLICY));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ASID, snp_activate(t, GT_SEV_ASID));
	KUNIT_EXPECT_EQ(test, SEV_RET_DFFLUSH_REQUIRED, snp_activate(t, GT_ASID));
	KUNIT_EXPECT_EQ(test, SEV_RET_WBINVD_REQUIRED,
			run(t, SEV_CMD_SNP_DF_FLUSH));
	flush_caches();
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_DF_FLUSH));
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, snp_activate(t, GT_ASID));

	/* with ciphertext hiding, only the first max_snp_asid are SNP's */
	t->fw.ciphertext_hiding_en = true;
	t->fw.max_snp_asid = GT_ASID - 1;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_DECOMMISSION, pa(t, GT_GCTX)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_GCTX_CREATE, pa(t, GT_GCTX)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_launch_start(t, GT_POLICY));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ASID, snp_activate(t, GT_ASID + 1));
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, snp_activate(t, GT_ASID - 1));
}

/* The launch digest as the spec defines it, computed on the guest's side. */
static void expected_digest(u8 digest[SIM_P384_BYTES], const void *page,
			    u8 type, u64 gpa)
{
	u8 info[0x70] = {};

	memcpy(info, digest, SIM_P384_BYTES);
	if (page)
		sim_sha384(page, PAGE_SIZE, info + 0x30);
	info[0x60] = 0x70;
	info[0x62] = type;
	put_unaligned_le64(gpa, info + 0x68);
	sim_sha384(info, sizeof(info), digest);
}

static void snp_launch_update_states_and_digest(struct kunit *test)
{
	struct guest_test *t = test->priv;
	u8 *data = page_address(t->pages[GT_DATA]);
	u8 digest[SIM_P384_BYTES] = {};
	struct sim_guest *g;
	struct rmp_state s;

	snp_guest_started(test, t);
	g = sim_fw_snp_guest(&t->fw, pa(t, GT_GCTX));
	KUNIT_ASSERT_NOT_NULL(test, g);

	/* hypervisor page, firmware page, another guest's, not immutable */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			snp_update(t, GT_DATA, SNP_PAGE_TYPE_NORMAL));
	set_rmp(test, t, GT_DATA, fw_page);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			snp_update(t, GT_DATA, SNP_PAGE_TYPE_NORMAL));
	set_rmp(test, t, GT_DATA, pre_guest(0x1000, GT_ASID + 1));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_OWNER,
			snp_update(t, GT_DATA, SNP_PAGE_TYPE_NORMAL));
	s = pre_guest(0x1000, GT_ASID);
	s.immutable = 0;
	set_rmp(test, t, GT_DATA, s);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			snp_update(t, GT_DATA, SNP_PAGE_TYPE_NORMAL));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, snp_update(t, GT_DATA, 0));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, snp_update(t, GT_DATA, 7));
	KUNIT_EXPECT_NULL(test, memchr_inv(g->digest, 0, sizeof(g->digest)));

	/* a measured page, then an unmeasured one */
	memset(data, 0xc3, PAGE_SIZE);
	set_rmp(test, t, GT_DATA, pre_guest(0x1000, GT_ASID));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_update(t, GT_DATA, SNP_PAGE_TYPE_NORMAL));
	expected_digest(digest, data, SNP_PAGE_TYPE_NORMAL, 0x1000);
	KUNIT_EXPECT_EQ(test, 0, memcmp(digest, g->digest, sizeof(digest)));
	sim_rmp_fw_lookup(pfn(t, GT_DATA), &s);
	KUNIT_EXPECT_EQ(test, 1, (int)s.validated);
	KUNIT_EXPECT_EQ(test, 0, (int)s.immutable);
	/* once valid, not again */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			snp_update(t, GT_DATA, SNP_PAGE_TYPE_NORMAL));

	set_rmp(test, t, GT_SPARE, pre_guest(0x3000, GT_ASID));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_update(t, GT_SPARE, SNP_PAGE_TYPE_ZERO));
	expected_digest(digest, NULL, SNP_PAGE_TYPE_ZERO, 0x3000);
	KUNIT_EXPECT_EQ(test, 0, memcmp(digest, g->digest, sizeof(digest)));

	/* one secrets page, with the guest's keys in it */
	set_rmp(test, t, GT_SECRETS, pre_guest(0x2000, GT_ASID));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_update(t, GT_SECRETS, SNP_PAGE_TYPE_SECRET));
	KUNIT_EXPECT_EQ(test, 0,
			memcmp(((struct sev_psp_secrets_page *)
				page_address(t->pages[GT_SECRETS]))->vmpck,
			       g->vmpck, sizeof(g->vmpck)));
	set_rmp(test, t, GT_SECRETS, pre_guest(0x2000, GT_ASID));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			snp_update(t, GT_SECRETS, SNP_PAGE_TYPE_SECRET));

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_finish(t));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST_STATE,
			snp_update(t, GT_SPARE, SNP_PAGE_TYPE_NORMAL));
}

static u16 guest_request(struct guest_test *t, unsigned int vmpck_id, u64 seqno,
			 u8 type, const void *payload, u16 len)
{
	struct sev_data_snp_guest_request *d = t->buf;
	const u8 *key = vmpck_id ? t->vmpck1 : t->vmpck0;

	snp_test_msg_seal(page_address(t->pages[GT_REQ]), key, vmpck_id, seqno,
			  type, payload, len);
	*d = (struct sev_data_snp_guest_request){ .gctx_paddr = pa(t, GT_GCTX),
						  .req_paddr = pa(t, GT_REQ),
						  .res_paddr = pa(t, GT_RESP) };
	return run(t, SEV_CMD_SNP_GUEST_REQUEST);
}

/* The answer's payload, opened with @vmpck as the guest does. */
static int answer(struct guest_test *t, const u8 *vmpck, u64 seqno, u8 type,
		  void *payload, u16 len)
{
	memcpy(t->msg, page_address(t->pages[GT_RESP]), sizeof(*t->msg));
	return snp_test_msg_open(t->msg, vmpck, seqno, type, payload, len);
}

/* A report request with VMPCK @vmpck_id and its answer, opened. */
static void report(struct kunit *test, struct guest_test *t,
		   unsigned int vmpck_id, u64 seqno,
		   const struct sev_psp_report_req *req,
		   struct sev_psp_report_rsp *rsp)
{
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			guest_request(t, vmpck_id, seqno, SNP_MSG_REPORT_REQ,
				      req, sizeof(*req)));
	KUNIT_ASSERT_EQ(test, (int)sizeof(*rsp),
			answer(t, vmpck_id ? t->vmpck1 : t->vmpck0, seqno + 1,
			       SNP_MSG_REPORT_RSP, rsp, sizeof(*rsp)));
}

/*
 * Print @r and the VCEK that signed it, for scripts/verify-report.sh to
 * check the signature with OpenSSL on the host.
 */
static void report_for_openssl(struct kunit *test, struct sim_fw *fw,
			       const struct sev_psp_attestation_report *r)
{
	u8 priv[SIM_P384_BYTES], xy[2 * SIM_P384_BYTES];
	const u8 *b = (const u8 *)r;
	unsigned int off;

	KUNIT_ASSERT_EQ(test, 0, sim_fw_vcek(fw, le64_to_cpu(r->reported_tcb),
					     priv));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_public_key(priv, xy,
						     xy + SIM_P384_BYTES));
	memzero_explicit(priv, sizeof(priv));
	/* the console only: KUnit's own log is too small for this */
	pr_info("sim_fw_guest: @@SNP-REPORT-VCEK %*phN%*phN\n", SIM_P384_BYTES,
		xy, SIM_P384_BYTES, xy + SIM_P384_BYTES);
	for (off = 0; off < sizeof(*r); off += 32)
		pr_info("sim_fw_guest: @@SNP-REPORT %04x %*phN\n", off, 32,
			b + off);
}

static void snp_report_is_signed_and_says_who(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_psp_report_req req = { .report_data = "nonce" };
	struct sev_psp_report_rsp *rsp;
	struct sev_psp_attestation_report *r;
	struct sim_guest *g;

	rsp = kunit_kzalloc(test, sizeof(*rsp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rsp);
	snp_guest_running(test, t);
	g = sim_fw_snp_guest(&t->fw, pa(t, GT_GCTX));

	report(test, t, 0, 1, &req, rsp);
	r = &rsp->report;
	KUNIT_EXPECT_EQ(test, 0U, le32_to_cpu(rsp->status));
	KUNIT_EXPECT_EQ(test, (u32)sizeof(*r), le32_to_cpu(rsp->report_size));
	KUNIT_EXPECT_EQ(test, 2U, le32_to_cpu(r->version));
	KUNIT_EXPECT_EQ(test, GT_POLICY, le64_to_cpu(r->policy));
	KUNIT_EXPECT_EQ(test, 0U, le32_to_cpu(r->vmpl));
	KUNIT_EXPECT_STREQ(test, "nonce", (char *)r->report_data);
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->measurement, g->digest,
					sizeof(r->measurement)));
	KUNIT_EXPECT_EQ(test, 0x5a, (int)r->host_data[31]);
	KUNIT_EXPECT_EQ(test, t->fw.reported_tcb, le64_to_cpu(r->reported_tcb));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->chip_id, t->fw.chip_id,
					sizeof(r->chip_id)));
	KUNIT_EXPECT_EQ(test, (u32)FIELD_PREP(SNP_REPORT_SIGNER_SIGNING_KEY,
					      SNP_REPORT_SIGNING_KEY_VCEK),
			le32_to_cpu(r->signer_info));
	KUNIT_EXPECT_EQ(test, 0, snp_test_report_verify(&t->fw, r));
	report_for_openssl(test, &t->fw, r);

	/* one changed byte and the signature no longer holds */
	r->report_data[0] ^= 1;
	KUNIT_EXPECT_NE(test, 0, snp_test_report_verify(&t->fw, r));

	/* a lower TCB and a masked chip id: another VCEK, no chip id */
	t->fw.reported_tcb = SIM_TCB(2, 0, 7, 100);
	t->fw.mask_chip_id = true;
	report(test, t, 0, 3, &req, rsp);
	KUNIT_EXPECT_EQ(test, SIM_TCB(2, 0, 7, 100),
			le64_to_cpu(r->reported_tcb));
	KUNIT_EXPECT_NULL(test, memchr_inv(r->chip_id, 0, sizeof(r->chip_id)));
	KUNIT_EXPECT_EQ(test, 0, snp_test_report_verify(&t->fw, r));

	/* VMPL 1 cannot ask for a VMPL 0 report */
	req.vmpl = 0;
	report(test, t, 1, 1, &req, rsp);
	KUNIT_EXPECT_EQ(test, (u32)SNP_MSG_STATUS_INVALID_PARAM,
			le32_to_cpu(rsp->status));
	KUNIT_EXPECT_EQ(test, 0U, le32_to_cpu(rsp->report_size));
}

static void snp_messages_take_only_the_next_seqno(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_psp_report_req req = {};
	struct sev_data_snp_guest_request *d = t->buf;
	struct sev_psp_msg *m;

	snp_guest_running(test, t);
	m = page_address(t->pages[GT_REQ]);

	/* seqno 0, 2: not the next one */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			guest_request(t, 0, 0, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			guest_request(t, 0, 2, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			guest_request(t, 0, 1, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));
	/* a replay */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_GUEST_REQUEST));

	/* tampered ciphertext, header or key: refused, seqno not used up */
	snp_test_msg_seal(m, t->vmpck0, 0, 3, SNP_MSG_REPORT_REQ, &req,
			  sizeof(req));
	m->payload[5] ^= 0x80;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_GUEST_REQUEST));
	snp_test_msg_seal(m, t->vmpck0, 0, 3, SNP_MSG_REPORT_REQ, &req,
			  sizeof(req));
	m->hdr.msg_type = SNP_MSG_KEY_REQ;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_GUEST_REQUEST));
	snp_test_msg_seal(m, t->vmpck1, 0, 3, SNP_MSG_REPORT_REQ, &req,
			  sizeof(req));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_GUEST_REQUEST));
	snp_test_msg_seal(m, t->vmpck0, 0, 3, SNP_MSG_REPORT_REQ, &req,
			  sizeof(req));
	m->hdr.msg_vmpck = 4;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_GUEST_REQUEST));
	snp_test_msg_seal(m, t->vmpck0, 0, 3, SNP_MSG_REPORT_REQ, &req,
			  sizeof(req));
	m->hdr.msg_sz = cpu_to_le16(SNP_MSG_PAYLOAD_MAX + 1);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_GUEST_REQUEST));
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			guest_request(t, 0, 3, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));

	/* the answer goes to a whole firmware page, for a guest that exists */
	set_rmp(test, t, GT_RESP, (struct rmp_state){});
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			guest_request(t, 0, 5, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));
	set_rmp(test, t, GT_RESP, fw_page);
	d->res_paddr += 64;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS, run(t, SEV_CMD_SNP_GUEST_REQUEST));
	d->res_paddr -= 64;
	d->gctx_paddr = pa(t, GT_SPARE);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST, run(t, SEV_CMD_SNP_GUEST_REQUEST));
}

/* The device's SNP_GUEST_REQUEST counts are @iv_reuse, ... after @when. */
static void expect_msg_stats(struct kunit *test, struct guest_test *t,
			     const char *when, u64 iv_reuse, u64 replayed,
			     u64 skipped, u64 encrypted)
{
	struct sim_snp_msg_stats st;

	sim_fw_snp_msg_stats(&t->fw, &st);
	KUNIT_EXPECT_EQ_MSG(test, iv_reuse, st.iv_reuse, "iv_reuse, %s", when);
	KUNIT_EXPECT_EQ_MSG(test, replayed, st.replayed, "replayed, %s", when);
	KUNIT_EXPECT_EQ_MSG(test, skipped, st.skipped, "skipped, %s", when);
	KUNIT_EXPECT_EQ_MSG(test, encrypted, st.encrypted, "encrypted, %s",
			    when);
}

static void snp_msg_stats_count_answers_replays_and_skips(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_psp_report_req req = {};
	struct sev_psp_report_rsp *rsp;
	struct sev_psp_msg *before;
	struct sim_guest *g;

	rsp = kunit_kzalloc(test, sizeof(*rsp), GFP_KERNEL);
	before = kunit_kzalloc(test, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rsp);
	KUNIT_ASSERT_NOT_NULL(test, before);
	snp_guest_running(test, t);
	g = sim_fw_snp_guest(&t->fw, pa(t, GT_GCTX));
	KUNIT_ASSERT_NOT_NULL(test, g);
	expect_msg_stats(test, t, "at launch", 0, 0, 0, 0);

	/* a request taken: its answer encrypted with a new IV */
	report(test, t, 0, 1, &req, rsp);
	expect_msg_stats(test, t, "after a request", 0, 0, 0, 1);

	/* the same request again, and the answer's number: both taken */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			run(t, SEV_CMD_SNP_GUEST_REQUEST));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			guest_request(t, 0, 2, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));
	expect_msg_stats(test, t, "after two replays", 0, 2, 0, 1);

	/* 3 is next, not 5 */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			guest_request(t, 0, 5, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));
	expect_msg_stats(test, t, "after a skip", 0, 2, 1, 1);

	/* 3 still is, and VMPCK 1 has numbers of its own */
	report(test, t, 0, 3, &req, rsp);
	req.vmpl = cpu_to_le32(1);
	report(test, t, 1, 1, &req, rsp);
	KUNIT_EXPECT_EQ(test, 0U, le32_to_cpu(rsp->status));
	expect_msg_stats(test, t, "after two more requests", 0, 2, 1, 3);

	/*
	 * A firmware that lost its place (as a bug would) takes seqno 1 on
	 * VMPCK 0 again: its answer's IV, 2, was used, so nothing is
	 * encrypted or written and the reuse is counted.
	 */
	memcpy(before, page_address(t->pages[GT_RESP]), sizeof(*before));
	g->msg_seqno[0] = 0;
	req.vmpl = 0;
	KUNIT_EXPECT_EQ(test, SEV_RET_RESOURCE_LIMIT,
			guest_request(t, 0, 1, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));
	KUNIT_EXPECT_EQ(test, 0, memcmp(before, page_address(t->pages[GT_RESP]),
					sizeof(*before)));
	expect_msg_stats(test, t, "after an IV reuse", 1, 2, 1, 3);
	g->msg_seqno[0] = 4;

	/* the counts are the device's: the guest goes, they stay */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_addr_cmd(t, SEV_CMD_SNP_DECOMMISSION, pa(t, GT_GCTX)));
	expect_msg_stats(test, t, "after decommission", 1, 2, 1, 3);
}

static void snp_request_needs_a_running_guest(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_psp_report_req req = {};

	snp_guest_started(test, t);
	set_rmp(test, t, GT_RESP, fw_page);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_GUEST_STATE,
			guest_request(t, 0, 1, SNP_MSG_REPORT_REQ, &req,
				      sizeof(req)));
}

static u16 key_request(struct kunit *test, struct guest_test *t, u64 *seqno,
		       u64 fields, u64 tcb, struct sev_psp_key_rsp *rsp)
{
	struct sev_psp_key_req req = {
		.guest_field_select = cpu_to_le64(fields),
		.tcb_version = cpu_to_le64(tcb),
	};
	u16 status;

	status = guest_request(t, 0, *seqno, SNP_MSG_KEY_REQ, &req, sizeof(req));
	if (status)
		return status;
	KUNIT_EXPECT_EQ(test, (int)sizeof(*rsp),
			answer(t, t->vmpck0, *seqno + 1, SNP_MSG_KEY_RSP, rsp,
			       sizeof(*rsp)));
	*seqno += 2;
	return SEV_RET_SUCCESS;
}

static void snp_derived_keys(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_psp_key_rsp a, b;
	u64 seqno = 1;

	snp_guest_running(test, t);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			key_request(test, t, &seqno, SNP_KEY_FIELD_MEASUREMENT, 0,
				    &a));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			key_request(test, t, &seqno, SNP_KEY_FIELD_MEASUREMENT, 0,
				    &b));
	KUNIT_EXPECT_EQ(test, 0U, le32_to_cpu(a.status));
	KUNIT_EXPECT_EQ(test, 0, memcmp(a.key, b.key, sizeof(a.key)));
	KUNIT_EXPECT_NOT_NULL(test, memchr_inv(a.key, 0, sizeof(a.key)));

	/* other fields mixed in, another key */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			key_request(test, t, &seqno, SNP_KEY_FIELD_POLICY, 0, &b));
	KUNIT_EXPECT_NE(test, 0, memcmp(a.key, b.key, sizeof(a.key)));

	/* a TCB above the committed one, or an unknown field: refused */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			key_request(test, t, &seqno, SNP_KEY_FIELD_TCB_VERSION,
				    t->fw.committed_tcb + (1ULL << 56), &b));
	KUNIT_EXPECT_EQ(test, (u32)SNP_MSG_STATUS_INVALID_PARAM,
			le32_to_cpu(b.status));
	KUNIT_EXPECT_NULL(test, memchr_inv(b.key, 0, sizeof(b.key)));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			key_request(test, t, &seqno, BIT_ULL(40), 0, &b));
	KUNIT_EXPECT_EQ(test, (u32)SNP_MSG_STATUS_INVALID_PARAM,
			le32_to_cpu(b.status));
}

/* The guest owner's keys: an ID key, and an author key vouching for it */
static void id_key(struct kunit *test, const char *label, u8 priv[SIM_P384_BYTES],
		   struct sev_psp_ecdsa_pubkey *pub)
{
	u8 x[SIM_P384_BYTES], y[SIM_P384_BYTES];

	KUNIT_ASSERT_EQ(test, 0, sim_p384_derive_key("guest-owner", 11, label,
						     "1", 1, priv));
	KUNIT_ASSERT_EQ(test, 0, sim_p384_public_key(priv, x, y));
	memset(pub, 0, sizeof(*pub));
	pub->curve = cpu_to_le32(SNP_ID_CURVE_P384);
	sim_p384_to_le72(pub->qx, x);
	sim_p384_to_le72(pub->qy, y);
}

static void id_sign(struct kunit *test, struct sev_psp_ecdsa_sig *sig,
		    const u8 *priv, const void *data, size_t len)
{
	u8 digest[SIM_P384_BYTES], r[SIM_P384_BYTES], s[SIM_P384_BYTES];

	KUNIT_ASSERT_EQ(test, 0, sim_sha384(data, len, digest));
	KUNIT_ASSERT_EQ(test, 0, sim_ecdsa_p384_sign(priv, digest, r, s));
	memset(sig, 0, sizeof(*sig));
	sim_p384_to_le72(sig->r, r);
	sim_p384_to_le72(sig->s, s);
}

struct id_test {
	struct sev_psp_id_block *id;
	struct sev_psp_id_auth *auth;
	u8 id_priv[SIM_P384_BYTES];
	u8 author_priv[SIM_P384_BYTES];
};

/* Sign the ID block as it is, and the ID key with the author key. */
static void id_seal(struct kunit *test, struct id_test *it)
{
	id_sign(test, &it->auth->id_block_sig, it->id_priv, it->id,
		sizeof(*it->id));
	id_sign(test, &it->auth->id_key_sig, it->author_priv,
		&it->auth->id_key, sizeof(it->auth->id_key));
}

static u16 snp_finish_id(struct guest_test *t, struct id_test *it, bool id_en,
			 bool auth_en)
{
	struct sev_data_snp_launch_finish *d = t->buf;

	memset(d, 0, sizeof(*d));
	d->gctx_paddr = pa(t, GT_GCTX);
	d->id_block_paddr = virt_to_phys(it->id);
	d->id_auth_paddr = virt_to_phys(it->auth);
	d->id_block_en = id_en;
	d->auth_key_en = auth_en;
	return run(t, SEV_CMD_SNP_LAUNCH_FINISH);
}

static void snp_id_block_names_the_guest(struct kunit *test)
{
	struct guest_test *t = test->priv;
	struct sev_psp_report_req req = {};
	struct sev_psp_report_rsp *rsp;
	struct sev_psp_attestation_report *r;
	struct sev_psp_key_req kreq = {};
	struct sev_psp_key_rsp krsp;
	u8 digest[SIM_P384_BYTES];
	struct id_test it;
	struct sim_guest *g;

	it.id = kunit_kzalloc(test, sizeof(*it.id), GFP_KERNEL);
	it.auth = kunit_kzalloc(test, sizeof(*it.auth), GFP_KERNEL);
	rsp = kunit_kzalloc(test, sizeof(*rsp), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, it.id && it.auth && rsp);

	snp_guest_started(test, t);
	set_rmp(test, t, GT_SECRETS, pre_guest(0x2000, GT_ASID));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_update(t, GT_SECRETS, SNP_PAGE_TYPE_SECRET));
	memcpy(t->vmpck0, ((struct sev_psp_secrets_page *)
			   page_address(t->pages[GT_SECRETS]))->vmpck[0],
	       sizeof(t->vmpck0));
	g = sim_fw_snp_guest(&t->fw, pa(t, GT_GCTX));
	KUNIT_ASSERT_NOT_NULL(test, g);

	memcpy(it.id->ld, g->digest, sizeof(it.id->ld));
	memcpy(it.id->family_id, "family-id-16byte", 16);
	memcpy(it.id->image_id, "image-id-16bytes", 16);
	it.id->version = cpu_to_le32(SNP_ID_BLOCK_VERSION);
	it.id->guest_svn = cpu_to_le32(7);
	it.id->policy = cpu_to_le64(GT_POLICY);
	it.auth->id_key_algo = cpu_to_le32(SNP_ID_ALGO_ECDSA_P384_SHA384);
	it.auth->auth_key_algo = cpu_to_le32(SNP_ID_ALGO_ECDSA_P384_SHA384);
	id_key(test, "id", it.id_priv, &it.auth->id_key);
	id_key(test, "author", it.author_priv, &it.auth->author_key);
	id_seal(test, &it);

	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			snp_finish_id(t, &it, false, true));

	/* signed, but for another launch or policy */
	it.id->ld[0] ^= 1;
	id_seal(test, &it);
	KUNIT_EXPECT_EQ(test, SEV_RET_BAD_MEASUREMENT,
			snp_finish_id(t, &it, true, true));
	it.id->ld[0] ^= 1;
	it.id->policy = cpu_to_le64(GT_POLICY | SIM_SNP_POLICY_DEBUG);
	id_seal(test, &it);
	KUNIT_EXPECT_EQ(test, SEV_RET_POLICY_FAILURE,
			snp_finish_id(t, &it, true, true));
	it.id->policy = cpu_to_le64(GT_POLICY);
	id_seal(test, &it);

	/* changed after signing; an ID key its author did not sign */
	it.id->guest_svn = cpu_to_le32(8);
	KUNIT_EXPECT_EQ(test, SEV_RET_BAD_SIGNATURE,
			snp_finish_id(t, &it, true, false));
	it.id->guest_svn = cpu_to_le32(7);
	id_sign(test, &it.auth->id_key_sig, it.id_priv, &it.auth->id_key,
		sizeof(it.auth->id_key));
	KUNIT_EXPECT_EQ(test, SEV_RET_BAD_SIGNATURE,
			snp_finish_id(t, &it, true, true));
	it.id->version = cpu_to_le32(2);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM,
			snp_finish_id(t, &it, true, true));
	it.id->version = cpu_to_le32(SNP_ID_BLOCK_VERSION);
	KUNIT_EXPECT_EQ(test, SIM_GSTATE_LUPDATE, g->state);

	id_seal(test, &it);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_finish_id(t, &it, true, true));

	/* every report says who the guest is and who vouched for it */
	set_rmp(test, t, GT_RESP, fw_page);
	report(test, t, 0, 1, &req, rsp);
	r = &rsp->report;
	KUNIT_EXPECT_EQ(test, 7U, le32_to_cpu(r->guest_svn));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->family_id, it.id->family_id, 16));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->image_id, it.id->image_id, 16));
	KUNIT_EXPECT_EQ(test, 0, sim_sha384(&it.auth->id_key,
					    sizeof(it.auth->id_key), digest));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->id_key_digest, digest,
					sizeof(digest)));
	KUNIT_EXPECT_EQ(test, 0, sim_sha384(&it.auth->author_key,
					    sizeof(it.auth->author_key), digest));
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->author_key_digest, digest,
					sizeof(digest)));
	KUNIT_EXPECT_EQ(test, SNP_REPORT_SIGNER_AUTHOR_KEY_EN,
			le32_to_cpu(r->signer_info) &
			SNP_REPORT_SIGNER_AUTHOR_KEY_EN);
	KUNIT_EXPECT_EQ(test, 0, snp_test_report_verify(&t->fw, r));

	/* keys: the guest's SVN at most */
	kreq.guest_field_select = cpu_to_le64(SNP_KEY_FIELD_GUEST_SVN);
	kreq.guest_svn = cpu_to_le32(8);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			guest_request(t, 0, 3, SNP_MSG_KEY_REQ, &kreq,
				      sizeof(kreq)));
	KUNIT_ASSERT_EQ(test, (int)sizeof(krsp),
			answer(t, t->vmpck0, 4, SNP_MSG_KEY_RSP, &krsp,
			       sizeof(krsp)));
	KUNIT_EXPECT_EQ(test, (u32)SNP_MSG_STATUS_INVALID_PARAM,
			le32_to_cpu(krsp.status));
	kreq.guest_svn = cpu_to_le32(7);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			guest_request(t, 0, 5, SNP_MSG_KEY_REQ, &kreq,
				      sizeof(kreq)));
	KUNIT_ASSERT_EQ(test, (int)sizeof(krsp),
			answer(t, t->vmpck0, 6, SNP_MSG_KEY_RSP, &krsp,
			       sizeof(krsp)));
	KUNIT_EXPECT_EQ(test, 0U, le32_to_cpu(krsp.status));
}

static struct kunit_case sim_fw_guest_cases[] = {
	KUNIT_CASE(sev_guest_lifecycle),
	KUNIT_CASE(sev_launch_policy_and_session),
	KUNIT_CASE(sev_launch_with_the_owners_session),
	KUNIT_CASE(sev_debug_needs_a_debug_policy),
	KUNIT_CASE(sev_attestation_needs_a_measured_guest),
	KUNIT_CASE(sev_attestation_report_is_signed_by_the_pek),
	KUNIT_CASE(snp_gctx_is_a_firmware_page),
	KUNIT_CASE(snp_launch_start_checks_policy),
	KUNIT_CASE(snp_launch_secrets_fresh_and_reproducible),
	KUNIT_CASE(snp_asids),
	KUNIT_CASE(snp_launch_update_states_and_digest),
	KUNIT_CASE(snp_report_is_signed_and_says_who),
	KUNIT_CASE(snp_messages_take_only_the_next_seqno),
	KUNIT_CASE(snp_msg_stats_count_answers_replays_and_skips),
	KUNIT_CASE(snp_request_needs_a_running_guest),
	KUNIT_CASE(snp_derived_keys),
	KUNIT_CASE(snp_id_block_names_the_guest),
	{}
};

static struct kunit_suite sim_fw_guest_suite = {
	.name = "sim_fw_guest",
	.init = guest_test_init,
	.exit = guest_test_exit,
	.test_cases = sim_fw_guest_cases,
};

kunit_test_suite(sim_fw_guest_suite);
