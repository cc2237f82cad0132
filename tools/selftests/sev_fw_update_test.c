// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware hot-load (SNP_DOWNLOAD_FIRMWARE_EX) through sev-psp's
 * firmware_update file: refused while SEV is initialised, allowed with SNP
 * up and SEV UNINIT (after FACTORY_RESET, or with psp_init_on_probe=0),
 * the new version current at once and committed on request, and images
 * with a bad digest or older than the committed firmware refused by the
 * firmware.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "sev_test_util.h"
#include "sim_fw_image.h"

#define SIM_ID		0
#define UPDATE		PSP_DEBUGFS "/psp-sevsim0/firmware_update"

static int make_image(const char *name, int major, int minor, int build,
		      int snp_svn, int corrupt)
{
	return sim_fw_image_write(name, major, minor, build, snp_svn, corrupt);
}

static int status(int fd, struct sev_user_data_status *st)
{
	uint32_t error;

	return sev_cmd(fd, SEV_PLATFORM_STATUS, st, &error);
}

FIXTURE(fwup) {
	int fd, fd_ro;
};

FIXTURE_SETUP(fwup)
{
	ASSERT_EQ(0, sim_fresh_device(SIM_ID, &self->fd, &self->fd_ro));
	ASSERT_EQ(0, make_image("sevsim-1.56.fw", 1, 56, 3, 9, 0));
	ASSERT_EQ(0, make_image("sevsim-1.57.fw", 1, 57, 1, 10, 0));
	ASSERT_EQ(0, make_image("sevsim-bad.fw", 1, 58, 0, 10, 1));
	ASSERT_EQ(0, make_image("sevsim-1.50.fw", 1, 50, 0, 8, 0));
}

FIXTURE_TEARDOWN(fwup)
{
	close(self->fd);
	close(self->fd_ro);
	sim_del(SIM_ID);
}

TEST_F(fwup, refused_while_sev_is_initialised)
{
	EXPECT_EQ(-EBUSY, write_file(UPDATE, "sevsim-1.56.fw"))
		TH_LOG("SEV is INIT after probe: no hot-load");
}

TEST_F(fwup, loads_after_sev_shutdown_and_commits_on_request)
{
	struct sev_user_data_snp_status snp;
	struct sev_user_data_status st;
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	ASSERT_EQ(0, write_file(UPDATE, "sevsim-1.56.fw"));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(56, st.api_minor);
	EXPECT_EQ(3, st.build);
	ASSERT_EQ(0, sev_cmd(self->fd, SNP_PLATFORM_STATUS, &snp, &error));
	EXPECT_EQ(9, (snp.current_tcb_version >> 48) & 0xff);
	EXPECT_EQ(0x7308000000000003LL, sim_value(SIM_ID, "committed_tcb"))
		TH_LOG("not committed without 'commit'");

	ASSERT_EQ(0, write_file(UPDATE, "sevsim-1.57.fw commit"));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(57, st.api_minor);
	EXPECT_EQ(0x730a000000000003LL, sim_value(SIM_ID, "committed_tcb"));

	/* older than the committed firmware: the firmware refuses it */
	EXPECT_EQ(-EIO, write_file(UPDATE, "sevsim-1.56.fw"));
	EXPECT_EQ(-EIO, write_file(UPDATE, "sevsim-1.50.fw"));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(57, st.api_minor);
}

TEST_F(fwup, bad_images_and_names)
{
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	EXPECT_EQ(-EIO, write_file(UPDATE, "sevsim-bad.fw"))
		TH_LOG("a bad digest is the firmware's BAD_SIGNATURE");
	EXPECT_EQ(-ENOENT, write_file(UPDATE, "no-such-image.fw"));
	EXPECT_EQ(-EINVAL, write_file(UPDATE, "sevsim-1.56.fw later"));
	EXPECT_EQ(-EINVAL, write_file(UPDATE, " "));
}

struct update_in_flight {
	int ret;
	double ms;
};

static void *update_thread(void *arg)
{
	struct update_in_flight *u = arg;
	double t0 = now_ms();

	u->ret = write_file(UPDATE, "sevsim-1.56.fw");
	u->ms = now_ms() - t0;
	return NULL;
}

/*
 * Removing the PSP while a hot-load waits on a hung firmware: removal
 * aborts the command first, so it does not wait for the command timeout
 * (100 s by default) behind the update's open debugfs file.
 */
TEST_F(fwup, removal_does_not_wait_for_a_hung_update)
{
	struct update_in_flight u = { 0 };
	uint32_t error;
	pthread_t tid;
	double t0;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_hang", "1"));
	ASSERT_EQ(0, pthread_create(&tid, NULL, update_thread, &u));
	usleep(300 * 1000);

	t0 = now_ms();
	ASSERT_EQ(0, sim_del(SIM_ID));
	EXPECT_GT(5000, now_ms() - t0) TH_LOG("removal waited for the update");
	pthread_join(tid, NULL);
	EXPECT_EQ(-ENODEV, u.ret);
	EXPECT_GT(5000, u.ms);
}

TEST(hot_load_with_sev_init_deferred)
{
	struct sev_user_data_snp_status snp;
	struct sev_user_data_status st;
	uint32_t error;
	int fd;

	sim_del(SIM_ID);
	ASSERT_EQ(0, make_image("sevsim-1.56.fw", 1, 56, 3, 9, 0));
	ASSERT_EQ(0, sev_reload_modules("psp_init_on_probe=0", ""));
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	fd = open("/dev/sev", O_RDWR);
	ASSERT_LE(0, fd);

	ASSERT_EQ(0, status(fd, &st));
	EXPECT_EQ(0, st.state) TH_LOG("SEV INIT left to the first guest");
	ASSERT_EQ(0, sev_cmd(fd, SNP_PLATFORM_STATUS, &snp, &error));
	EXPECT_EQ(1, snp.state) TH_LOG("SNP initialised on probe all the same");
	EXPECT_EQ(0, write_file(UPDATE, "sevsim-1.56.fw"));
	ASSERT_EQ(0, status(fd, &st));
	EXPECT_EQ(56, st.api_minor);

	close(fd);
	sim_del(SIM_ID);
	ASSERT_EQ(0, sev_reload_modules("", ""));
}

TEST_HARNESS_MAIN
