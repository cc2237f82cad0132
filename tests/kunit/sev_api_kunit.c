// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: sev-psp's in-kernel API for KVM (drivers/psp/sev-api.c,
 * sev-certs.c) on a simulated PSP: firmware pages are firmware-owned in the
 * RMP and come back, the platform shuts down in the firmware's order, and
 * the certificate snapshot carries the firmware's reported TCB; SEV guests
 * are activated, deactivated and decommissioned through upstream's entry
 * points, launched while SNP is up, and attested for a /dev/sev holder as
 * KVM asks for it; and an SNP guest's extended request
 * gets the certificates that go with its report, even while they change.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <sev-psp/api.h>
#include <linux/sev-psp.h>
#include "psp.h"
#include "sev_test_owner.h"
#include "snp_test_guest.h"

#define API_TEST_SIM_ID	900

/*
 * Undoing what a test set up, however the test ends: a failed assertion
 * ends it at once. KUnit frees its own resources only after the suite's
 * exit has removed the simulated PSP, too late to reclaim a page from the
 * firmware, and 6.1's KUnit has no kunit_add_action(); so each undo is a
 * resource of ours that the test runs itself where it always did
 * (api_undo_now()), or api_test_exit() runs while the PSP is still there.
 * What it undoes must not live on the test's stack: after an assertion
 * that is gone.
 */
struct api_undo {
	void (*fn)(void *arg);
	void *arg;
};

static void api_undo_release(struct kunit_resource *res)
{
	struct api_undo *u = res->data;

	u->fn(u->arg);
	kfree(u);
}

static bool api_undo_match(struct kunit *test, struct kunit_resource *res,
			   void *arg)
{
	return res->free == api_undo_release &&
	       (!arg || ((struct api_undo *)res->data)->arg == arg);
}

/* @fn(@arg) when the test ends, or at api_undo_now(). */
static void api_undo_add(struct kunit *test, void (*fn)(void *), void *arg)
{
	struct api_undo *u = kzalloc(sizeof(*u), GFP_KERNEL);

	/* (KUnit allocates and frees the resource itself: res is not ours) */
	if (u) {
		u->fn = fn;
		u->arg = arg;
		if (kunit_alloc_resource(test, NULL, api_undo_release,
					 GFP_KERNEL, u))
			return;
		kfree(u);
	}
	fn(arg);
	KUNIT_ASSERT_FAILURE(test, "no memory to register a cleanup");
}

static void api_undo_now(struct kunit *test, void *arg)
{
	int ret = kunit_destroy_resource(test, api_undo_match, arg);

	KUNIT_EXPECT_EQ(test, 0, ret);
}

/*
 * Host pages back to the allocator only once the RMP shows them the
 * hypervisor's: a page still firmware-owned or pre-guest (immutable) is
 * reclaimed, an assigned one made shared, as the driver gives back its own
 * firmware pages. One that stays assigned is leaked: freeing it is what the
 * page-free checker catches (a host crash on hardware).
 */
static void api_pages_give_back(struct page *page, unsigned int order)
{
	u64 i, pfn = page_to_pfn(page), n = 1ULL << order;

	for (i = 0; i < n; i++) {
		struct sev_data_snp_page_reclaim reclaim = {
			.paddr = PFN_PHYS(pfn + i),
		};
		struct rmp_state s;
		int error;

		if (sev_rmp_read(pfn + i, &s) || !s.assigned)
			continue;
		if ((s.immutable &&
		     sev_psp_do_cmd(SEV_CMD_SNP_PAGE_RECLAIM, &reclaim, &error)) ||
		    sev_rmp_make_shared(pfn + i, RMP_PG_SIZE_4K)) {
			pr_err("sev_api: pfn %#llx stays assigned, leaking %llu page(s)\n",
			       pfn + i, n);
			return;
		}
	}
	__free_pages(page, order);
}

static void api_page_give_back(void *page)
{
	api_pages_give_back(page, 0);
}

static void api_page_pair_give_back(void *page)
{
	api_pages_give_back(page, 1);
}

/* Two whole 2 MiB chunks: 2 MiB RMP entries where the driver can */
#define API_BLOCK_ORDER	10

static void api_page_block_give_back(void *page)
{
	api_pages_give_back(page, API_BLOCK_ORDER);
}

/*
 * 2^@order zeroed host pages (0, 1 or API_BLOCK_ORDER), given back when the
 * test ends.
 */
static struct page *api_alloc_pages(struct kunit *test, unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);

	if (page)
		api_undo_add(test, order == API_BLOCK_ORDER ?
			     api_page_block_give_back : order ?
			     api_page_pair_give_back : api_page_give_back, page);
	return page;
}

static int api_test_init(struct kunit *test)
{
	struct sim_dev *sdev = sim_bus_dev_add(API_TEST_SIM_ID, &psp_vdata_v2);

	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	test->priv = sdev;
	return 0;
}

static void api_test_exit(struct kunit *test)
{
	/* what an assertion left, newest first, while the PSP can reclaim */
	while (!kunit_destroy_resource(test, api_undo_match, NULL))
		;
	sim_bus_dev_del(test->priv);
}

static void firmware_page_is_owned_and_comes_back(struct kunit *test)
{
	struct rmp_state s;
	void *page;

	page = sev_psp_alloc_firmware_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	sim_rmp_fw_lookup(PHYS_PFN(virt_to_phys(page)), &s);
	KUNIT_EXPECT_EQ(test, 1, (int)s.assigned);
	KUNIT_EXPECT_EQ(test, 1, (int)s.immutable);
	KUNIT_EXPECT_EQ(test, 0U, s.asid);

	sev_psp_free_firmware_page(page);
	sim_rmp_fw_lookup(PHYS_PFN(virt_to_phys(page)), &s);
	KUNIT_EXPECT_EQ(test, 0, (int)s.assigned);
	KUNIT_EXPECT_EQ(test, 0, (int)s.immutable);
}

static void platform_shutdown_takes_sev_then_snp_down(struct kunit *test)
{
	struct sim_dev *sdev = test->priv;
	int error;

	KUNIT_EXPECT_EQ(test, SEV_STATE_INIT, sdev->fw.state);
	KUNIT_EXPECT_EQ(test, SIM_SNP_INIT, sdev->fw.snp_state);
	KUNIT_EXPECT_EQ(test, 0, sev_psp_platform_shutdown(&error));
	KUNIT_EXPECT_EQ(test, SEV_STATE_UNINIT, sdev->fw.state);
	KUNIT_EXPECT_EQ(test, SIM_SNP_UNINIT, sdev->fw.snp_state);

	/* and the upstream entry point brings both back, SNP first */
	KUNIT_EXPECT_EQ(test, 0, sev_platform_init(&error));
	KUNIT_EXPECT_EQ(test, SEV_STATE_INIT, sdev->fw.state);
	KUNIT_EXPECT_EQ(test, SIM_SNP_INIT, sdev->fw.snp_state);
}

static void certs_snapshot_has_the_reported_tcb(struct kunit *test)
{
	struct sim_dev *sdev = test->priv;
	struct sev_psp_certs *c = sev_psp_snp_certs_get();

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, sdev->fw.reported_tcb, c->reported_tcb);
	KUNIT_EXPECT_EQ(test, 0U, c->len);
	sev_psp_snp_certs_put(c);
}

static void sev_guest_activate_deactivate_decommission(struct kunit *test)
{
	struct sev_data_launch_start start = {};
	struct sev_data_activate act = { .asid = SIM_MIN_SEV_ASID };
	struct sev_data_deactivate deact = {};
	struct sev_data_decommission dec = {};
	u32 first;
	int error;

	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_START, &start,
						&error));
	first = start.handle;
	KUNIT_EXPECT_NE(test, 0U, first);
	act.handle = first;
	KUNIT_ASSERT_EQ(test, 0, sev_guest_activate(&act, &error));

	/* a second guest cannot take the ASID, nor have it before a flush */
	start.handle = 0;
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_START, &start,
						&error));
	act.handle = start.handle;
	KUNIT_EXPECT_EQ(test, -EIO, sev_guest_activate(&act, &error));
	KUNIT_EXPECT_EQ(test, SEV_RET_ASID_OWNED, error);

	deact.handle = first;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_deactivate(&deact, &error));
	KUNIT_EXPECT_EQ(test, -EIO, sev_guest_activate(&act, &error));
	KUNIT_EXPECT_EQ(test, SEV_RET_DFFLUSH_REQUIRED, error);
	/* as KVM does: write back every CPU's caches, then DF_FLUSH */
	sev_wbinvd_all();
	KUNIT_EXPECT_EQ(test, 0, sev_guest_df_flush(&error));
	KUNIT_EXPECT_EQ(test, 0, sev_guest_activate(&act, &error));

	dec.handle = first;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_decommission(&dec, &error));
	dec.handle = start.handle;
	KUNIT_EXPECT_EQ(test, -EIO, sev_guest_decommission(&dec, &error));
	KUNIT_EXPECT_EQ(test, SEV_RET_ACTIVE, error);
	deact.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_deactivate(&deact, &error));
	KUNIT_EXPECT_EQ(test, 0, sev_guest_decommission(&dec, &error));
}

/*
 * An SEV guest launched while SNP is up: the guest memory the firmware
 * encrypts in place is made firmware-owned for each call and given back,
 * the measurement's and DBG_DECRYPT's buffers are bounced.
 */
static void sev_launch_with_snp_up(struct kunit *test)
{
	struct sim_dev *sdev = test->priv;
	struct sev_data_launch_start start = {};
	struct sev_data_activate act = { .asid = SIM_MIN_SEV_ASID };
	struct sev_data_launch_update_data upd = {};
	struct sev_data_launch_measure meas = {};
	struct sev_data_launch_secret sec = {};
	struct sev_data_launch_finish fin = {};
	struct sev_data_deactivate deact = {};
	struct sev_data_decommission dec = {};
	struct sev_data_dbg dbg;
	struct sev_test_secret_hdr *hdr;
	struct sim_guest *g;
	struct page *mem;
	struct rmp_state s;
	u8 *out, *data;
	int error;

	KUNIT_ASSERT_EQ(test, SIM_SNP_INIT, sdev->fw.snp_state);
	out = kunit_kzalloc(test, 48, GFP_KERNEL);
	hdr = kunit_kzalloc(test, sizeof(*hdr), GFP_KERNEL);
	data = kunit_kzalloc(test, 16, GFP_KERNEL);
	mem = api_alloc_pages(test, 0);
	KUNIT_ASSERT_TRUE(test, out && hdr && data && mem);

	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_START, &start,
						&error));
	act.handle = start.handle;
	KUNIT_ASSERT_EQ(test, 0, sev_guest_activate(&act, &error));

	memset(page_address(mem), 0x5a, PAGE_SIZE);
	upd = (struct sev_data_launch_update_data){
		.handle = start.handle, .address = page_to_phys(mem),
		.len = PAGE_SIZE,
	};
	KUNIT_EXPECT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_UPDATE_DATA,
						&upd, &error));
	KUNIT_EXPECT_EQ(test, 0, error);
	sim_rmp_fw_lookup(page_to_pfn(mem), &s);
	KUNIT_EXPECT_EQ(test, 0, (int)s.assigned);

	meas = (struct sev_data_launch_measure){
		.handle = start.handle, .address = virt_to_phys(out), .len = 48,
	};
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_MEASURE, &meas,
						&error));
	KUNIT_EXPECT_NOT_NULL(test, memchr_inv(out, 0, 32));

	g = sim_fw_sev_guest(&sdev->fw, start.handle);
	KUNIT_ASSERT_NOT_NULL(test, g);
	memcpy(data, "in-place secret", 16);
	KUNIT_ASSERT_EQ(test, 0, sev_test_secret_packet(g->tek, g->tik, out,
							hdr, data, 16));
	sec = (struct sev_data_launch_secret){
		.handle = start.handle,
		.hdr_address = virt_to_phys(hdr), .hdr_len = sizeof(*hdr),
		.guest_address = page_to_phys(mem) + 256, .guest_len = 16,
		.trans_address = virt_to_phys(data), .trans_len = 16,
	};
	KUNIT_EXPECT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_UPDATE_SECRET,
						&sec, &error));
	KUNIT_EXPECT_STREQ(test, "in-place secret",
			   (char *)page_address(mem) + 256);
	sim_rmp_fw_lookup(page_to_pfn(mem), &s);
	KUNIT_EXPECT_EQ(test, 0, (int)s.assigned);

	/* debugging: the output bounced, the guest's memory in place */
	dbg = (struct sev_data_dbg){
		.handle = start.handle, .src_addr = page_to_phys(mem) + 256,
		.dst_addr = virt_to_phys(out), .len = 16,
	};
	KUNIT_EXPECT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_DBG_DECRYPT, &dbg,
						&error));
	KUNIT_EXPECT_STREQ(test, "in-place secret", (char *)out);
	dbg.src_addr = virt_to_phys(out);
	dbg.dst_addr = page_to_phys(mem) + 512;
	KUNIT_EXPECT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_DBG_ENCRYPT, &dbg,
						&error));
	KUNIT_EXPECT_STREQ(test, "in-place secret",
			   (char *)page_address(mem) + 512);
	sim_rmp_fw_lookup(page_to_pfn(mem), &s);
	KUNIT_EXPECT_EQ(test, 0, (int)s.assigned);

	fin.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_FINISH, &fin,
						&error));
	deact.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_deactivate(&deact, &error));
	dec.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_decommission(&dec, &error));
	api_undo_now(test, mem);
}

/* Guest memory that cannot be made firmware-owned: all of it given back. */
static void sev_inplace_refused_gives_pages_back(struct kunit *test)
{
	struct sev_data_launch_start start = {};
	struct sev_data_activate act = { .asid = SIM_MIN_SEV_ASID + 1 };
	struct sev_data_launch_update_data upd = {};
	struct sev_data_deactivate deact = {};
	struct sev_data_decommission dec = {};
	struct sev_data_snp_page_reclaim reclaim;
	struct page *mem = api_alloc_pages(test, 1);
	struct rmp_state s;
	u64 pfn;
	int error;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	pfn = page_to_pfn(mem);
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_START, &start,
						&error));
	act.handle = start.handle;
	KUNIT_ASSERT_EQ(test, 0, sev_guest_activate(&act, &error));

	/* the second page is immutable: no RMPUPDATE can make it the firmware's */
	KUNIT_ASSERT_EQ(test, 0, sev_rmp_make_private(pfn + 1, 0, RMP_PG_SIZE_4K,
						      0, true));
	upd = (struct sev_data_launch_update_data){
		.handle = start.handle, .address = PFN_PHYS(pfn),
		.len = 2 * PAGE_SIZE,
	};
	KUNIT_EXPECT_EQ(test, -EFAULT, sev_psp_do_cmd(SEV_CMD_LAUNCH_UPDATE_DATA,
						      &upd, &error));
	/* the first went back, the firmware never saw the command */
	sim_rmp_fw_lookup(pfn, &s);
	KUNIT_EXPECT_EQ(test, 0, (int)s.assigned);
	KUNIT_EXPECT_EQ(test, 0, error);

	reclaim.paddr = PFN_PHYS(pfn + 1);
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_SNP_PAGE_RECLAIM,
						&reclaim, &error));
	KUNIT_ASSERT_EQ(test, 0, sev_rmp_make_shared(pfn + 1, RMP_PG_SIZE_4K));

	deact.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_deactivate(&deact, &error));
	dec.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_decommission(&dec, &error));
	api_undo_now(test, mem);
}

/*
 * In-place guest memory of whole aligned 2 MiB chunks (plus a page): made
 * firmware-owned and given back in the same steps, so nothing is leaked.
 * The reclaim once asked for 2 MiB entries the driver had made 4 KiB
 * ones, was refused, and "leaked" the caller's pages, which their owner
 * then freed while the RMP still gave them to the firmware.
 */
static void sev_inplace_2m_chunks_given_back(struct kunit *test)
{
	struct sim_dev *sdev = test->priv;
	struct sev_data_launch_start start = {};
	struct sev_data_activate act = { .asid = SIM_MIN_SEV_ASID + 2 };
	struct sev_data_launch_update_data upd = {};
	struct sev_data_deactivate deact = {};
	struct sev_data_decommission dec = {};
	struct page *mem = api_alloc_pages(test, API_BLOCK_ORDER);
	u64 pfn, leaked;
	struct rmp_state s;
	int error;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	pfn = page_to_pfn(mem);
	leaked = sdev->psp->sev.leaked_pages;
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_START, &start,
						&error));
	act.handle = start.handle;
	KUNIT_ASSERT_EQ(test, 0, sev_guest_activate(&act, &error));

	/* from the second page to the end: 511 pages, then a whole chunk */
	upd = (struct sev_data_launch_update_data){
		.handle = start.handle, .address = PFN_PHYS(pfn + 1),
		.len = (2 * RMP_2M_PAGES - 1) * PAGE_SIZE,
	};
	KUNIT_EXPECT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_LAUNCH_UPDATE_DATA,
						&upd, &error));
	KUNIT_EXPECT_EQ(test, 0, error);
	KUNIT_EXPECT_EQ(test, leaked, sdev->psp->sev.leaked_pages);
	sim_rmp_fw_lookup(pfn + RMP_2M_PAGES, &s);
	KUNIT_EXPECT_EQ(test, 0, (int)s.assigned);
	sim_rmp_fw_lookup(pfn + 1, &s);
	KUNIT_EXPECT_EQ(test, 0, (int)s.assigned);

	deact.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_deactivate(&deact, &error));
	dec.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0, sev_guest_decommission(&dec, &error));
	api_undo_now(test, mem);
}

static void api_file_close(void *file)
{
	filp_close(file, NULL);
}

/*
 * ATTESTATION as KVM's KVM_SEV_GET_ATTESTATION_REPORT issues it: through
 * sev_issue_cmd_external_user() with an open /dev/sev, the length first,
 * then the report. With SNP up the firmware writes only its own pages, so
 * the report reaches the caller's buffer through one of the driver's.
 */
static void sev_attestation_report_for_a_dev_sev_holder(struct kunit *test)
{
	static const u8 mnonce[16] = "mnonce from KVM";
	struct sim_dev *sdev = test->priv;
	struct sev_data_launch_start start = {};
	struct sev_data_launch_measure meas = {};
	struct sev_data_attestation_report rep = {};
	struct sev_data_decommission dec = {};
	struct sim_sev_attestation_report *r;
	struct file *dev_sev;
	struct rmp_state s;
	u8 *out;
	int error;

	KUNIT_ASSERT_EQ(test, SIM_SNP_INIT, sdev->fw.snp_state);
	out = kunit_kzalloc(test, 48, GFP_KERNEL);
	r = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, out && r);
	dev_sev = filp_open("/dev/sev", O_RDWR, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev_sev);
	api_undo_add(test, api_file_close, dev_sev);

	KUNIT_EXPECT_EQ(test, -EBADF,
			sev_issue_cmd_external_user(NULL,
						    SEV_CMD_ATTESTATION_REPORT,
						    &rep, &error));
	KUNIT_ASSERT_EQ(test, 0,
			sev_issue_cmd_external_user(dev_sev, SEV_CMD_LAUNCH_START,
						    &start, &error));
	meas = (struct sev_data_launch_measure){
		.handle = start.handle, .address = virt_to_phys(out), .len = 48,
	};
	KUNIT_ASSERT_EQ(test, 0,
			sev_issue_cmd_external_user(dev_sev,
						    SEV_CMD_LAUNCH_MEASURE,
						    &meas, &error));

	rep.handle = start.handle;
	KUNIT_EXPECT_EQ(test, -EIO,
			sev_issue_cmd_external_user(dev_sev,
						    SEV_CMD_ATTESTATION_REPORT,
						    &rep, &error));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, error);
	KUNIT_EXPECT_EQ(test, 0xd0U, rep.len);

	rep = (struct sev_data_attestation_report){
		.handle = start.handle, .address = virt_to_phys(r),
		.len = PAGE_SIZE,
	};
	memcpy(rep.mnonce, mnonce, sizeof(rep.mnonce));
	KUNIT_ASSERT_EQ(test, 0,
			sev_issue_cmd_external_user(dev_sev,
						    SEV_CMD_ATTESTATION_REPORT,
						    &rep, &error));
	KUNIT_EXPECT_EQ(test, 0, error);
	KUNIT_EXPECT_EQ(test, 0xd0U, rep.len);
	KUNIT_EXPECT_EQ(test, virt_to_phys(r), rep.address);
	KUNIT_EXPECT_EQ(test, 0, memcmp(r->mnonce, mnonce, sizeof(mnonce)));
	KUNIT_EXPECT_EQ(test, 0, sev_test_report_verify(&sdev->fw.pki->st.pek,
							r));
	/* the caller's page was never the firmware's */
	sim_rmp_fw_lookup(PHYS_PFN(virt_to_phys(r)), &s);
	KUNIT_EXPECT_EQ(test, 0, (int)s.assigned);

	dec.handle = start.handle;
	KUNIT_EXPECT_EQ(test, 0,
			sev_issue_cmd_external_user(dev_sev, SEV_CMD_DECOMMISSION,
						    &dec, &error));
	api_undo_now(test, dev_sev);
}

#define API_ASID	9
#define API_POLICY	(SIM_SNP_POLICY_RSVD_MBO | SIM_SNP_POLICY_SMT)
#define API_TCB_A	SIM_TCB(3, 0, 8, 115)
#define API_TCB_B	SIM_TCB(2, 0, 7, 100)

/* An SNP guest launched through the driver, as KVM would. */
struct api_guest {
	void *gctx, *resp, *req;	/* two firmware pages, one of ours */
	struct page *secrets;
	bool created;			/* gctx is a guest context */
	u8 vmpck0[SNP_MSG_VMPCK_LEN];
	u64 seqno;			/* the next request's */
	struct sev_data_snp_guest_request data;
	struct sev_psp_msg *msg;
};

static void api_guest_teardown(void *arg);

/* The guest stays the test's (not on its stack) and goes when it ends. */
static struct api_guest *api_guest_start(struct kunit *test)
{
	struct api_guest *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	struct sev_data_snp_addr addr;
	struct sev_data_snp_launch_start start = { .policy = API_POLICY };
	struct sev_data_snp_activate act = { .asid = API_ASID };
	struct sev_data_snp_launch_update upd = {
		.page_type = SNP_PAGE_TYPE_SECRET,
	};
	struct sev_data_snp_launch_finish fin = {};
	int error;

	KUNIT_ASSERT_NOT_NULL(test, g);
	api_undo_add(test, api_guest_teardown, g);
	g->gctx = sev_psp_alloc_firmware_page(GFP_KERNEL | __GFP_ZERO);
	g->resp = sev_psp_alloc_firmware_page(GFP_KERNEL | __GFP_ZERO);
	g->req = (void *)get_zeroed_page(GFP_KERNEL);
	g->secrets = alloc_page(GFP_KERNEL | __GFP_ZERO);
	g->msg = kunit_kzalloc(test, sizeof(*g->msg), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, g->gctx && g->resp && g->req && g->secrets &&
			  g->msg);

	addr.address = __pa(g->gctx);
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_SNP_GCTX_CREATE, &addr,
						&error));
	g->created = true;
	start.gctx_paddr = __pa(g->gctx);
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_SNP_LAUNCH_START,
						&start, &error));
	act.gctx_paddr = __pa(g->gctx);
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_SNP_ACTIVATE, &act,
						&error));
	KUNIT_ASSERT_EQ(test, 0, sev_rmp_make_private(page_to_pfn(g->secrets),
						      0x1000, RMP_PG_SIZE_4K,
						      API_ASID, true));
	upd.gctx_paddr = __pa(g->gctx);
	upd.address = page_to_phys(g->secrets);
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_SNP_LAUNCH_UPDATE,
						&upd, &error));
	memcpy(g->vmpck0, ((struct sev_psp_secrets_page *)
			   page_address(g->secrets))->vmpck[0],
	       sizeof(g->vmpck0));
	fin.gctx_paddr = __pa(g->gctx);
	KUNIT_ASSERT_EQ(test, 0, sev_psp_do_cmd(SEV_CMD_SNP_LAUNCH_FINISH,
						&fin, &error));

	g->seqno = 1;
	g->data = (struct sev_data_snp_guest_request){
		.gctx_paddr = __pa(g->gctx),
		.req_paddr = __pa(g->req),
		.res_paddr = __pa(g->resp),
	};
	return g;
}

static void api_guest_decommission(struct api_guest *g)
{
	struct sev_data_snp_addr addr = { .address = __pa(g->gctx) };
	int error;

	sev_psp_do_cmd(SEV_CMD_SNP_DECOMMISSION, &addr, &error);
	g->created = false;
}

/*
 * Every page back where it came from (after api_guest_decommission(), or
 * doing it when an assertion ended the test with the guest up).
 */
static void api_guest_teardown(void *arg)
{
	struct api_guest *g = arg;

	if (g->created)
		api_guest_decommission(g);
	if (g->secrets)
		api_pages_give_back(g->secrets, 0);
	sev_psp_free_firmware_page(g->gctx);
	sev_psp_free_firmware_page(g->resp);
	free_page((unsigned long)g->req);
}

static void api_guest_free(struct kunit *test, struct api_guest *g)
{
	api_undo_now(test, g);
}

/* ... with the ASID flushed for the next guest, as KVM does. */
static void api_guest_stop(struct kunit *test, struct api_guest *g)
{
	int error;

	api_guest_decommission(g);
	sev_wbinvd_all();
	sev_guest_df_flush(&error);
	api_guest_free(test, g);
}

/* An extended report request; the report and certificates on success. */
static int api_ext_report(struct kunit *test, struct api_guest *g, u32 room,
			  struct sev_psp_report_rsp *rsp,
			  struct sev_psp_certs **certs)
{
	struct sev_psp_report_req req = { .vmpl = 0 };
	int ret, error;

	snp_test_msg_seal(g->req, g->vmpck0, 0, g->seqno, SNP_MSG_REPORT_REQ,
			  &req, sizeof(req));
	ret = sev_psp_snp_guest_request(&g->data, certs, room, &error);
	if (ret)
		return ret;
	memcpy(g->msg, g->resp, sizeof(*g->msg));
	KUNIT_EXPECT_EQ(test, (int)sizeof(*rsp),
			snp_test_msg_open(g->msg, g->vmpck0, g->seqno + 1,
					  SNP_MSG_REPORT_RSP, rsp, sizeof(*rsp)));
	g->seqno += 2;
	return 0;
}

/* A one-entry blob whose VCEK "certificate" names the TCB it is for. */
static void *api_blob(struct kunit *test, u64 tcb)
{
	struct sev_psp_cert_table_entry *e;
	u8 *blob = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, blob);
	e = (void *)blob;
	memcpy(e->guid, "vcek-guid-for-ut", sizeof(e->guid));
	e->offset = 2 * sizeof(*e);
	e->length = sizeof(tcb);
	memcpy(blob + e->offset, &tcb, sizeof(tcb));
	return blob;
}

/* The TCB api_blob() wrote into a blob; 0 for a snapshot without one. */
static u64 api_blob_tcb(const struct sev_psp_certs *c)
{
	size_t at = 2 * sizeof(struct sev_psp_cert_table_entry);
	u64 tcb;

	if (c->len < at + sizeof(tcb))
		return 0;
	memcpy(&tcb, c->data + at, sizeof(tcb));
	return tcb;
}

static int api_set_tcb(void *blob, u64 tcb)
{
	struct sev_user_data_snp_config config = { .reported_tcb = tcb };
	int error;

	return sev_psp_snp_set_ext_config(&config, blob, PAGE_SIZE, &error);
}

static void snp_ext_request_gets_its_certificates(struct kunit *test)
{
	struct sim_dev *sdev = test->priv;
	struct sev_psp_report_rsp *rsp;
	struct sev_psp_certs *certs;
	struct api_guest *g;
	int error, ret;

	rsp = kunit_kzalloc(test, sizeof(*rsp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rsp);
	g = api_guest_start(test);
	KUNIT_ASSERT_EQ(test, 0, api_set_tcb(api_blob(test, API_TCB_B),
					     API_TCB_B));

	/* too little room: not sent, and the length the guest needs */
	KUNIT_EXPECT_EQ(test, -ENOSPC, api_ext_report(test, g, PAGE_SIZE - 1,
						      rsp, &certs));
	KUNIT_ASSERT_NOT_NULL(test, certs);
	KUNIT_EXPECT_EQ(test, (u32)PAGE_SIZE, certs->len);
	sev_psp_snp_certs_put(certs);

	/* the same sequence number is still the next one */
	ret = api_ext_report(test, g, PAGE_SIZE, rsp, &certs);
	if (ret && certs)	/* -ENOSPC hands the snapshot over too */
		sev_psp_snp_certs_put(certs);
	KUNIT_ASSERT_EQ(test, 0, ret);
	KUNIT_EXPECT_EQ(test, API_TCB_B, le64_to_cpu(rsp->report.reported_tcb));
	KUNIT_EXPECT_EQ(test, API_TCB_B, certs->reported_tcb);
	KUNIT_EXPECT_EQ(test, API_TCB_B, api_blob_tcb(certs));
	KUNIT_EXPECT_EQ(test, 0, snp_test_report_verify(&sdev->fw,
							&rsp->report));
	sev_psp_snp_certs_put(certs);

	/* a plain request takes no certificates */
	KUNIT_EXPECT_EQ(test, 0, api_ext_report(test, g, 0, rsp, NULL));

	/* a bad table changes neither blob nor TCB */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			sev_psp_snp_set_ext_config(NULL, g->req, PAGE_SIZE,
						   &error));
	KUNIT_EXPECT_EQ(test, API_TCB_B, sdev->fw.reported_tcb);

	api_guest_stop(test, g);
}

struct api_flipper {
	void *blob[2];
	unsigned long flips;
};

static int api_flip(void *arg)
{
	struct api_flipper *f = arg;
	static const u64 tcb[2] = { API_TCB_A, API_TCB_B };

	while (!kthread_should_stop()) {
		int i = f->flips++ & 1;

		if (api_set_tcb(f->blob[i], tcb[i]))
			break;
		cond_resched();
	}
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

static void snp_report_and_certificates_stay_paired(struct kunit *test)
{
	struct sev_psp_report_rsp *rsp;
	struct api_flipper f = {};
	struct task_struct *thread;
	struct api_guest *g;
	unsigned int i, mismatched = 0;
	ktime_t start;
	s64 us;

	rsp = kunit_kzalloc(test, sizeof(*rsp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rsp);
	f.blob[0] = api_blob(test, API_TCB_A);
	f.blob[1] = api_blob(test, API_TCB_B);
	g = api_guest_start(test);

	/* A blob from the start: the first request must not beat the thread. */
	KUNIT_ASSERT_EQ(test, 0, api_set_tcb(f.blob[0], API_TCB_A));
	thread = kthread_run(api_flip, &f, "sev-api-flip");
	KUNIT_ASSERT_FALSE(test, IS_ERR(thread));
	start = ktime_get();
	for (i = 0; i < 40; i++) {
		struct sev_psp_certs *certs;
		u64 tcb;

		if (api_ext_report(test, g, PAGE_SIZE, rsp, &certs)) {
			mismatched++;
			break;
		}
		tcb = le64_to_cpu(rsp->report.reported_tcb);
		if (tcb != certs->reported_tcb || tcb != api_blob_tcb(certs))
			mismatched++;
		sev_psp_snp_certs_put(certs);
	}
	us = ktime_us_delta(ktime_get(), start);
	kthread_stop(thread);
	/* a figure, not a test: this is the debug kernel under emulation */
	kunit_info(test, "%u requests in %lld us against %lu certificate updates\n",
		   i, us, f.flips);
	KUNIT_EXPECT_EQ(test, 0U, mismatched);
	KUNIT_EXPECT_GT(test, f.flips, 1UL);
	api_guest_stop(test, g);
}

/* A decommissioned guest's ASID not flushed: shutdown flushes and retries. */
static void snp_shutdown_flushes_what_guests_left(struct kunit *test)
{
	struct sim_dev *sdev = test->priv;
	struct api_guest *g;
	int error;

	g = api_guest_start(test);
	api_guest_decommission(g);
	api_guest_free(test, g);
	KUNIT_EXPECT_TRUE(test, test_bit(API_ASID, sdev->fw.asid_dirty));
	KUNIT_EXPECT_EQ(test, 0, sev_psp_platform_shutdown(&error));
	KUNIT_EXPECT_EQ(test, SIM_SNP_UNINIT, sdev->fw.snp_state);
	/* only an SNP_DF_FLUSH clears it */
	KUNIT_EXPECT_FALSE(test, test_bit(API_ASID, sdev->fw.asid_dirty));
	KUNIT_EXPECT_EQ(test, 0, sev_platform_init(&error));
}

static struct kunit_case sev_api_cases[] = {
	KUNIT_CASE(firmware_page_is_owned_and_comes_back),
	KUNIT_CASE(platform_shutdown_takes_sev_then_snp_down),
	KUNIT_CASE(certs_snapshot_has_the_reported_tcb),
	KUNIT_CASE(sev_guest_activate_deactivate_decommission),
	KUNIT_CASE(sev_launch_with_snp_up),
	KUNIT_CASE(sev_inplace_refused_gives_pages_back),
	KUNIT_CASE(sev_inplace_2m_chunks_given_back),
	KUNIT_CASE(sev_attestation_report_for_a_dev_sev_holder),
	KUNIT_CASE(snp_ext_request_gets_its_certificates),
	KUNIT_CASE(snp_report_and_certificates_stay_paired),
	KUNIT_CASE(snp_shutdown_flushes_what_guests_left),
	{}
};

static struct kunit_suite sev_api_suite = {
	.name = "sev_api",
	.init = api_test_init,
	.exit = api_test_exit,
	.test_cases = sev_api_cases,
};

kunit_test_suite(sev_api_suite);

MODULE_IMPORT_NS(SEV_PSP);
MODULE_IMPORT_NS(SEV_PSP_BACKEND);
MODULE_IMPORT_NS(SEV_PSP_KUNIT);
