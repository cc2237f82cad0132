// SPDX-License-Identifier: GPL-2.0
/*
 * The platform initialisation order, end to end, for every configuration:
 * platform SNP on or off x psp_init_on_probe on or off. For each, probe,
 * a command that needs SEV INIT (which brings it up for one call), firmware
 * hot-load, and FACTORY_RESET, checking the SEV and SNP states the firmware
 * reports after each step. The simulator refuses any wrong order with the
 * spec's status, so a wrong order in the driver fails here.
 */
#include "kselftest_harness.h"
#include "sev_test_util.h"
#include "sim_fw_image.h"

#define SIM_ID		0
#define UPDATE		PSP_DEBUGFS "/psp-sevsim0/firmware_update"

FIXTURE(order) {
	int fd;
};

FIXTURE_VARIANT(order) {
	int snp;		/* the platform has SNP enabled */
	int init_on_probe;	/* psp_init_on_probe */
};

FIXTURE_VARIANT_ADD(order, snp_on_init_on_probe) { .snp = 1, .init_on_probe = 1 };
FIXTURE_VARIANT_ADD(order, snp_on_deferred) { .snp = 1, .init_on_probe = 0 };
FIXTURE_VARIANT_ADD(order, snp_off_init_on_probe) { .snp = 0, .init_on_probe = 1 };
FIXTURE_VARIANT_ADD(order, snp_off_deferred) { .snp = 0, .init_on_probe = 0 };

static int reload(int snp, int init_on_probe)
{
	char psp[64], sim[32];

	snprintf(psp, sizeof(psp), "psp_init_on_probe=%d", init_on_probe);
	snprintf(sim, sizeof(sim), "snp=%d", snp);
	return sev_reload_modules(psp, sim);
}

static int sev_state(int fd)
{
	struct sev_user_data_status st;
	uint32_t error;

	return sev_cmd(fd, SEV_PLATFORM_STATUS, &st, &error) ? -1 : st.state;
}

FIXTURE_SETUP(order)
{
	ASSERT_EQ(0, sim_fw_image_write("sevsim-order.fw", 1, 56, 1, 8, 0));
	ASSERT_EQ(0, reload(variant->snp, variant->init_on_probe));
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	self->fd = open("/dev/sev", O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(order)
{
	close(self->fd);
	sim_del(SIM_ID);
	reload(1, 1);
}

TEST_F(order, probe_then_transient_init_then_hot_load)
{
	uint32_t error;

	/* Probe: SNP first where the platform has it; SEV as configured. */
	EXPECT_EQ(variant->snp, sim_value(SIM_ID, "rmp_initialized"));
	EXPECT_EQ(variant->init_on_probe ? 1 : 0, sev_state(self->fd));
	/* after an init, the write-back and the DF_FLUSH that needs it ran */
	EXPECT_EQ(variant->snp || variant->init_on_probe ? 0 : 1,
		  sim_value(SIM_ID, "wbinvd_pending"));

	/* Hot-load: only while SEV is UNINIT. */
	EXPECT_EQ(variant->init_on_probe ? -EBUSY : 0,
		  write_file(UPDATE, "sevsim-order.fw"));

	/*
	 * A command that needs INIT on an UNINIT platform brings SEV up
	 * (after SNP, on an SNP platform) for the one call.
	 */
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	EXPECT_EQ(0, sev_state(self->fd));
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_PDH_GEN, NULL, &error))
		TH_LOG("transient INIT failed: firmware status %#x", error);
	EXPECT_EQ(0, sev_state(self->fd)) TH_LOG("and shut down after it");
	EXPECT_EQ(variant->snp, sim_value(SIM_ID, "rmp_initialized"))
		TH_LOG("SNP stays up through SEV's comings and goings");

	/* With SEV down again, the firmware can be replaced. */
	EXPECT_EQ(0, write_file(UPDATE, "sevsim-order.fw"));
}

TEST_HARNESS_MAIN
