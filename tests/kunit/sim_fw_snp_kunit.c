// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the simulated firmware's SNP platform rules
 * (drivers/psp/sim/sim-fw-snp.c): the order of SNP_INIT_EX and SEV INIT,
 * the WBINVD DF_FLUSH needs (sim-fw-asid.c), SNP_SHUTDOWN_EX after SEV,
 * firmware-owned output pages (sim-fw-mem.c), PAGE_RECLAIM, SNP_CONFIG,
 * SNP_COMMIT and the range list.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>

#include "sim.h"

struct snp_test {
	struct sim_fw fw;
	void *buf;		/* command buffer */
	struct page *out;	/* an output page */
};

static int snp_test_init(struct kunit *test)
{
	struct snp_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	t->buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	t->out = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!t->buf || !t->out)
		return -ENOMEM;
	if (sim_fw_init(&t->fw))
		return -EINVAL;
	t->fw.snp_enabled = true;
	test->priv = t;
	return 0;
}

static void snp_test_exit(struct kunit *test)
{
	struct snp_test *t = test->priv;
	struct rmp_state zero = {};

	sim_rmp_fw_set(page_to_pfn(t->out), &zero);
	__free_page(t->out);
	sim_fw_exit(&t->fw);
}

static u16 run(struct snp_test *t, unsigned int cmd)
{
	return sim_fw_run(&t->fw, cmd, virt_to_phys(t->buf));
}

static void flush_caches(void)
{
	sim_platform_wbinvd();
}

static u16 snp_init(struct snp_test *t)
{
	struct sev_data_snp_init_ex *d = t->buf;

	memset(d, 0, sizeof(*d));
	d->init_rmp = 1;
	return run(t, SEV_CMD_SNP_INIT_EX);
}

static u16 sev_init(struct snp_test *t)
{
	memset(t->buf, 0, sizeof(struct sev_data_init));
	return run(t, SEV_CMD_INIT);
}

static void make_fw_page(struct kunit *test, struct page *page)
{
	struct rmp_state fw = { .assigned = 1, .immutable = 1 };

	KUNIT_ASSERT_EQ(test, 0, sim_rmp_fw_set(page_to_pfn(page), &fw));
}

static void sev_init_needs_snp_first(struct kunit *test)
{
	struct snp_test *t = test->priv;

	KUNIT_EXPECT_EQ(test, SEV_RET_RMP_INIT_REQUIRED, sev_init(t));
	KUNIT_EXPECT_EQ(test, SEV_STATE_UNINIT, t->fw.state);
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, snp_init(t));
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, sev_init(t));
	KUNIT_EXPECT_EQ(test, SEV_STATE_INIT, t->fw.state);
}

static void snp_init_refused_after_sev_init(struct kunit *test)
{
	struct snp_test *t = test->priv;

	/* SEV came up while the platform had SNP off */
	t->fw.snp_enabled = false;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_init(t));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_CONFIG, snp_init(t));
	t->fw.snp_enabled = true;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PLATFORM_STATE, snp_init(t));
	KUNIT_EXPECT_EQ(test, SIM_SNP_UNINIT, t->fw.snp_state);
}

static void snp_init_only_once(struct kunit *test)
{
	struct snp_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_init(t));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PLATFORM_STATE, snp_init(t));
}

static void df_flush_needs_wbinvd(struct kunit *test)
{
	struct snp_test *t = test->priv;

	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PLATFORM_STATE,
			run(t, SEV_CMD_SNP_DF_FLUSH));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_init(t));
	KUNIT_EXPECT_EQ(test, SEV_RET_WBINVD_REQUIRED,
			run(t, SEV_CMD_SNP_DF_FLUSH));
	flush_caches();
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_DF_FLUSH));

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_init(t));
	KUNIT_EXPECT_EQ(test, SEV_RET_WBINVD_REQUIRED, run(t, SEV_CMD_DF_FLUSH));
	flush_caches();
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_DF_FLUSH));
}

static void snp_shutdown_after_sev(struct kunit *test)
{
	struct snp_test *t = test->priv;
	struct sev_data_snp_shutdown_ex *d = t->buf;

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_init(t));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_init(t));

	*d = (struct sev_data_snp_shutdown_ex){ .len = sizeof(*d) - 1 };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, run(t, SEV_CMD_SNP_SHUTDOWN_EX));
	*d = (struct sev_data_snp_shutdown_ex){ .len = sizeof(*d) };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PLATFORM_STATE,
			run(t, SEV_CMD_SNP_SHUTDOWN_EX));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SHUTDOWN));
	*d = (struct sev_data_snp_shutdown_ex){ .len = sizeof(*d) };
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_SHUTDOWN_EX));
	KUNIT_EXPECT_EQ(test, SIM_SNP_UNINIT, t->fw.snp_state);
	KUNIT_EXPECT_FALSE(test, t->fw.rmp_initialized);
	/* and SNP can come up again */
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, snp_init(t));
}

static void snp_status_page_must_be_firmware_owned(struct kunit *test)
{
	struct snp_test *t = test->priv;
	struct sev_data_snp_addr *d = t->buf;
	struct sev_user_data_snp_status *st = page_address(t->out);

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_init(t));
	d->address = page_to_phys(t->out);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			run(t, SEV_CMD_SNP_PLATFORM_STATUS));
	make_fw_page(test, t->out);
	d->address = page_to_phys(t->out);
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_PLATFORM_STATUS));
	KUNIT_EXPECT_EQ(test, 1, (int)st->state);
	KUNIT_EXPECT_EQ(test, 1, (int)st->is_rmp_initialized);
}

static void legacy_output_must_be_firmware_owned(struct kunit *test)
{
	struct snp_test *t = test->priv;
	struct sev_data_get_id *id = t->buf;
	struct rmp_state fw = { .assigned = 1, .immutable = 1 };

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_init(t));
	/* the command buffer itself is written: it must be a firmware page */
	*id = (struct sev_data_get_id){ .address = page_to_phys(t->out),
					.len = SIM_CHIP_ID_LEN };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE, run(t, SEV_CMD_GET_ID));

	/* a firmware-owned command buffer, a hypervisor output page */
	KUNIT_ASSERT_EQ(test, 0, sim_rmp_fw_set(PHYS_PFN(virt_to_phys(t->buf)), &fw));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE, run(t, SEV_CMD_GET_ID));
	make_fw_page(test, t->out);
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_GET_ID));
	fw = (struct rmp_state){};
	sim_rmp_fw_set(PHYS_PFN(virt_to_phys(t->buf)), &fw);
}

static void page_reclaim_rules(struct kunit *test)
{
	struct snp_test *t = test->priv;
	struct sev_data_snp_page_reclaim *d = t->buf;
	struct rmp_state r;

	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_init(t));
	d->paddr = page_to_phys(t->out);
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PAGE_STATE,
			run(t, SEV_CMD_SNP_PAGE_RECLAIM));
	make_fw_page(test, t->out);
	/*
	 * Says 2 MiB, is a 4 KiB page: not 2 MiB aligned, the address is
	 * refused; one in 512 pages is aligned, and then its RMP size is
	 */
	d->paddr = page_to_phys(t->out) | 1;
	KUNIT_EXPECT_EQ(test, IS_ALIGNED(page_to_phys(t->out), SZ_2M) ?
			SEV_RET_INVALID_PAGE_SIZE : SEV_RET_INVALID_ADDRESS,
			run(t, SEV_CMD_SNP_PAGE_RECLAIM));
	d->paddr = page_to_phys(t->out);
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_PAGE_RECLAIM));
	sim_rmp_fw_lookup(page_to_pfn(t->out), &r);
	KUNIT_EXPECT_EQ(test, 1, (int)r.assigned);
	KUNIT_EXPECT_EQ(test, 0, (int)r.immutable);
}

static void snp_config_and_commit(struct kunit *test)
{
	struct snp_test *t = test->priv;
	struct sev_user_data_snp_config *c = t->buf;
	struct sev_data_snp_commit *commit = t->buf;

	memset(c, 0, sizeof(*c));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PLATFORM_STATE,
			run(t, SEV_CMD_SNP_CONFIG));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, snp_init(t));

	memset(c, 0, sizeof(*c));
	c->reported_tcb = t->fw.current_tcb + BIT_ULL(16);	/* reserved */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_CONFIG));
	c->reported_tcb = t->fw.current_tcb + 1;		/* newer BL */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_CONFIG));
	c->reported_tcb = t->fw.current_tcb - 1;
	c->mask_chip_key = 1;
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_CONFIG));
	KUNIT_EXPECT_EQ(test, t->fw.current_tcb - 1, t->fw.reported_tcb);
	KUNIT_EXPECT_TRUE(test, t->fw.mask_chip_key);

	commit->len = 0;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, run(t, SEV_CMD_SNP_COMMIT));
	t->fw.committed_tcb = 0;
	commit->len = sizeof(*commit);
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_COMMIT));
	KUNIT_EXPECT_EQ(test, t->fw.current_tcb, t->fw.committed_tcb);
}

static void init_ex_checks_its_input(struct kunit *test)
{
	struct snp_test *t = test->priv;
	struct sev_data_snp_init_ex *d = t->buf;
	struct sev_data_range_list *list = page_address(t->out);

	memset(d, 0, sizeof(*d));
	d->rsvd2[45] = 1;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_INIT_EX));
	memset(d, 0, sizeof(*d));
	d->ciphertext_hiding_en = 1;		/* with no ASIDs */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_INIT_EX));

	memset(d, 0, sizeof(*d));
	d->list_paddr_en = 1;
	d->list_paddr = page_to_phys(t->out);
	list->num_elements = 1000;		/* more than a page holds */
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_INIT_EX));
	list->num_elements = 1;
	list->ranges[0].base = 0xfed00001;	/* unaligned */
	list->ranges[0].page_count = 1;
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_SNP_INIT_EX));
	KUNIT_EXPECT_EQ(test, SIM_SNP_UNINIT, t->fw.snp_state);

	list->ranges[0].base = 0xfed00000;
	memset(d, 0, sizeof(*d));
	d->list_paddr_en = 1;
	d->list_paddr = page_to_phys(t->out);
	d->ciphertext_hiding_en = 1;
	d->max_snp_asid = 16;
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_INIT_EX));
	KUNIT_EXPECT_TRUE(test, t->fw.ciphertext_hiding_en);
	KUNIT_EXPECT_EQ(test, 16, (int)t->fw.max_snp_asid);
	KUNIT_EXPECT_EQ(test, 1ULL, t->fw.hv_fixed_pages);
}

static struct kunit_case sim_fw_snp_cases[] = {
	KUNIT_CASE(sev_init_needs_snp_first),
	KUNIT_CASE(snp_init_refused_after_sev_init),
	KUNIT_CASE(snp_init_only_once),
	KUNIT_CASE(df_flush_needs_wbinvd),
	KUNIT_CASE(snp_shutdown_after_sev),
	KUNIT_CASE(snp_status_page_must_be_firmware_owned),
	KUNIT_CASE(legacy_output_must_be_firmware_owned),
	KUNIT_CASE(page_reclaim_rules),
	KUNIT_CASE(snp_config_and_commit),
	KUNIT_CASE(init_ex_checks_its_input),
	{}
};

static struct kunit_suite sim_fw_snp_suite = {
	.name = "sim_fw_snp",
	.init = snp_test_init,
	.exit = snp_test_exit,
	.test_cases = sim_fw_snp_cases,
};

kunit_test_suite(sim_fw_snp_suite);
