// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: sev-psp's in-kernel API for KVM (drivers/psp/sev-api.c,
 * sev-certs.c) on a simulated PSP: firmware pages are firmware-owned in the
 * RMP and come back, the platform shuts down in the firmware's order, and
 * the certificate snapshot carries the firmware's reported TCB.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "../../drivers/psp/sim/sim.h"
#include "../../include/sev-psp/sev-psp.h"

#define API_TEST_SIM_ID	900

static int api_test_init(struct kunit *test)
{
	struct sim_dev *sdev = sim_dev_new(API_TEST_SIM_ID, &psp_vdata_v2);

	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	test->priv = sdev;
	return 0;
}

static void api_test_exit(struct kunit *test)
{
	sim_dev_del(test->priv);
}

static void firmware_page_is_owned_and_comes_back(struct kunit *test)
{
	struct rmp_state s;
	void *page;

	page = sev_psp_alloc_firmware_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	sim_rmp_read(PHYS_PFN(virt_to_phys(page)), &s);
	KUNIT_EXPECT_EQ(test, 1, (int)s.assigned);
	KUNIT_EXPECT_EQ(test, 1, (int)s.immutable);
	KUNIT_EXPECT_EQ(test, 0U, s.asid);

	sev_psp_free_firmware_page(page);
	sim_rmp_read(PHYS_PFN(virt_to_phys(page)), &s);
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

static struct kunit_case sev_api_cases[] = {
	KUNIT_CASE(firmware_page_is_owned_and_comes_back),
	KUNIT_CASE(platform_shutdown_takes_sev_then_snp_down),
	KUNIT_CASE(certs_snapshot_has_the_reported_tcb),
	{}
};

static struct kunit_suite sev_api_suite = {
	.name = "sev_api",
	.init = api_test_init,
	.exit = api_test_exit,
	.test_cases = sev_api_cases,
};

kunit_test_suite(sev_api_suite);

MODULE_IMPORT_NS(SEV_PSP_INTERNAL);
