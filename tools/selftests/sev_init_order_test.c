// SPDX-License-Identifier: GPL-2.0
/*
 * The platform initialisation order, end to end, for every configuration:
 * platform SNP on or off x psp_init_on_probe on or off. For each, probe,
 * a command that needs SEV INIT (which brings it up for one call), firmware
 * hot-load, and FACTORY_RESET, checking the SEV and SNP states the firmware
 * reports after each step. The simulator refuses any wrong order with the
 * spec's status, so a wrong order in the driver fails here.
 */
#include <openssl/evp.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "sev_test_util.h"

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
	const char *dir = getenv("SEV_MODULE_DIR");
	char cmd[512];

	if (!dir)
		dir = "/modules";
	system("rmmod sev-psp-sim 2>/dev/null; rmmod sev-psp 2>/dev/null");
	snprintf(cmd, sizeof(cmd),
		 "insmod %s/sev-psp.ko psp_init_on_probe=%d && insmod %s/sev-psp-sim.ko snp=%d",
		 dir, init_on_probe, dir, snp);
	return system(cmd);
}

/* A valid simulator firmware image (see sev_fw_update_test.c) */
static int make_image(const char *name)
{
	struct {
		uint8_t magic[8];
		uint8_t major, minor, build, snp_svn;
		uint32_t len;
		uint8_t digest[48];
	} img = { .major = 1, .minor = 56, .build = 1, .snp_svn = 8,
		  .len = sizeof(img) };
	char path[128];
	unsigned int n;
	FILE *f;

	memcpy(img.magic, "SEVSIMFW", 8);
	EVP_Digest(&img, sizeof(img), img.digest, &n, EVP_sha384(), NULL);
	mkdir("/lib", 0755);
	mkdir("/lib/firmware", 0755);
	snprintf(path, sizeof(path), "/lib/firmware/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fwrite(&img, sizeof(img), 1, f);
	fclose(f);
	return 0;
}

static int sev_state(int fd)
{
	struct sev_user_data_status st;
	uint32_t error;

	return sev_cmd(fd, SEV_PLATFORM_STATUS, &st, &error) ? -1 : st.state;
}

FIXTURE_SETUP(order)
{
	ASSERT_EQ(0, make_image("sevsim-order.fw"));
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
