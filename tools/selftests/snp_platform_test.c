// SPDX-License-Identifier: GPL-2.0
/*
 * The SEV-SNP platform through /dev/sev against the simulated PSP:
 * SNP_PLATFORM_STATUS, SNP_COMMIT, SNP_SET_CONFIG and SNP_VLEK_LOAD with
 * upstream's numbering, their argument and permission rules, firmware page
 * accounting in the RMP, and a platform with SNP disabled.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "sev_test_util.h"

#define SIM_ID		0
/* The simulated chip's TCB: boot loader 3, TEE 0, SNP 8, microcode 115 */
#define SIM_TCB		0x7308000000000003ULL

static const char *sim_module(void)
{
	const char *p = getenv("SEV_SIM_MODULE");

	return p ? p : "/modules/sev-psp-sim.ko";
}

static void *unmapped_address(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(p, 4096);
	return p;
}

FIXTURE(snp) {
	int fd;
	int fd_ro;
};

FIXTURE_SETUP(snp)
{
	ASSERT_EQ(0, sim_fresh_device(SIM_ID, &self->fd, &self->fd_ro));
}

FIXTURE_TEARDOWN(snp)
{
	close(self->fd);
	close(self->fd_ro);
	sim_del(SIM_ID);
}

TEST_F(snp, ioctl_numbers_are_upstreams)
{
	EXPECT_EQ(9, SNP_PLATFORM_STATUS);
	EXPECT_EQ(10, SNP_COMMIT);
	EXPECT_EQ(11, SNP_SET_CONFIG);
	EXPECT_EQ(12, SNP_VLEK_LOAD);
	EXPECT_EQ(32, sizeof(struct sev_user_data_snp_status));
	EXPECT_EQ(64, sizeof(struct sev_user_data_snp_config));
	EXPECT_EQ(16, sizeof(struct sev_user_data_snp_vlek_load));
}

TEST_F(snp, platform_status_after_probe)
{
	struct sev_user_data_snp_status st;
	struct sev_user_data_status sev;
	uint32_t error;

	memset(&st, 0xff, sizeof(st));
	ASSERT_EQ(0, sev_cmd(self->fd_ro, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, error);
	EXPECT_EQ(1, st.api_major);
	EXPECT_EQ(55, st.api_minor);
	EXPECT_EQ(1, st.state) TH_LOG("probe initialises SNP first");
	EXPECT_EQ(1, (int)st.is_rmp_initialized);
	EXPECT_EQ(21, st.build_id);
	EXPECT_EQ(0, (int)st.mask_chip_id);
	EXPECT_EQ(0, (int)st.vlek_en);
	EXPECT_EQ(1, (int)st.feature_info);
	EXPECT_EQ(1, (int)st.ciphertext_hiding_cap);
	EXPECT_EQ(0, (int)st.ciphertext_hiding_en);
	EXPECT_EQ(0, st.guest_count);
	EXPECT_EQ(SIM_TCB, st.current_tcb_version);
	EXPECT_EQ(SIM_TCB, st.reported_tcb_version);

	/* and SEV after it, with the 2 MiB firmware-owned TMR */
	ASSERT_EQ(0, sev_cmd(self->fd_ro, SEV_PLATFORM_STATUS, &sev, &error));
	EXPECT_EQ(1, sev.state);
	EXPECT_EQ(SEV_STATUS_FLAGS_CONFIG_ES, sev.flags & SEV_STATUS_FLAGS_CONFIG_ES);
	EXPECT_EQ(0, sim_value(SIM_ID, "wbinvd_pending"))
		TH_LOG("DF_FLUSH ran after a write-back");
}

TEST_F(snp, platform_status_bad_data)
{
	uint32_t error;

	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SNP_PLATFORM_STATUS, NULL, &error));
	EXPECT_EQ(-EFAULT, sev_cmd(self->fd, SNP_PLATFORM_STATUS,
				   unmapped_address(), &error));
}

TEST_F(snp, firmware_pages_come_back)
{
	struct sev_user_data_snp_status st;
	struct sev_user_data_get_id2 id;
	unsigned char buf[64];
	long long before;
	uint32_t error;
	int i;

	before = sim_value(SIM_ID, "rmp_assigned");
	ASSERT_LE(1, before) TH_LOG("the TMR is firmware-owned");
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, sev_cmd(self->fd, SNP_PLATFORM_STATUS, &st, &error));
		/* a legacy command the firmware writes, bounced once SNP is up */
		id.address = (uintptr_t)buf;
		id.length = sizeof(buf);
		ASSERT_EQ(0, sev_cmd(self->fd, SEV_GET_ID2, &id, &error));
	}
	EXPECT_EQ(before, sim_value(SIM_ID, "rmp_assigned"))
		TH_LOG("a firmware page was not reclaimed");
	EXPECT_EQ(0, sim_value(SIM_ID, "rmp_bad_frees"));
}

/*
 * A firmware page that does not come back (PAGE_RECLAIM refused) was never
 * read: the command fails with EFAULT, as ccp's does, and the page is
 * leaked, not freed. Before, the status struct came back unwritten with
 * success, and a bounced legacy output (GET_ID2) came back as zeros.
 */
TEST_F(snp, a_page_the_firmware_keeps_fails_the_command)
{
	const char *mbox = PSP_DEBUGFS "/psp-sevsim0/mailbox";
	struct sev_user_data_snp_status st;
	struct sev_user_data_get_id2 id;
	unsigned char buf[64];
	long long leaked;
	uint32_t error;

	leaked = debugfs_value(mbox, "leaked_pages");
	ASSERT_LE(0, leaked);

	/* 0x1a INVALID_PAGE_STATE for the next PAGE_RECLAIM (0xc7) */
	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_status", "0x1a 1 0xc7"));
	EXPECT_EQ(-EFAULT, sev_cmd(self->fd_ro, SNP_PLATFORM_STATUS, &st,
				   &error));
	EXPECT_EQ(leaked + 1, debugfs_value(mbox, "leaked_pages"));

	/* The bounced command page comes back; GET_ID2's output does not. */
	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_status", "0x1a 1 0xc7 1"));
	id.address = (uintptr_t)buf;
	id.length = sizeof(buf);
	EXPECT_EQ(-EFAULT, sev_cmd(self->fd, SEV_GET_ID2, &id, &error));
	EXPECT_EQ(leaked + 2, debugfs_value(mbox, "leaked_pages"));

	/* Nothing else is lost. */
	EXPECT_EQ(0, sev_cmd(self->fd_ro, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(SIM_TCB, st.current_tcb_version);
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_GET_ID2, &id, &error));
	EXPECT_EQ(0, sim_value(SIM_ID, "rmp_bad_frees"));
}

TEST_F(snp, commit_from_read_only_fd)
{
	uint32_t error;

	EXPECT_EQ(0, sev_cmd(self->fd_ro, SNP_COMMIT, NULL, &error));
	EXPECT_EQ(0, error);
	EXPECT_EQ((long long)SIM_TCB, sim_value(SIM_ID, "committed_tcb"));
}

/*
 * SNP_COMMIT on an SNP platform where SNP is not up (its SNP_INIT_EX was
 * refused at probe, and SEV is left for later): the firmware takes it in
 * any state, so the driver issues it alone, from a read-only file too,
 * without bringing SNP up and down (and a WBINVD on every CPU) around it.
 */
TEST(commit_does_not_bring_snp_up)
{
	const char *mbox = PSP_DEBUGFS "/psp-sevsim0/mailbox";
	struct sev_user_data_snp_status st;
	long long before;
	uint32_t error;
	int fd;

	sim_del(SIM_ID);
	ASSERT_EQ(0, sev_reload_modules("psp_init_on_probe=0", ""));
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(0, write_file(SIM_BUS "/drivers/sev-psp/unbind", "sevsim0"));
	/* 0x16 INVALID_CONFIG for SNP_INIT_EX (0x85) when it probes again */
	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_status", "0x16 1 0x85"));
	ASSERT_EQ(0, write_file(SIM_BUS "/drivers/sev-psp/bind", "sevsim0"));
	EXPECT_EQ(0, sim_value(SIM_ID, "rmp_initialized"));

	fd = open("/dev/sev", O_RDONLY);
	ASSERT_LE(0, fd);
	before = debugfs_value(mbox, "commands");
	EXPECT_EQ(0, sev_cmd(fd, SNP_COMMIT, NULL, &error));
	EXPECT_EQ(0, error);
	EXPECT_EQ(before + 1, debugfs_value(mbox, "commands"))
		TH_LOG("SNP_COMMIT alone, no SNP init and shutdown around it");
	EXPECT_EQ(0, sim_value(SIM_ID, "rmp_initialized"));
	EXPECT_EQ((long long)SIM_TCB, sim_value(SIM_ID, "committed_tcb"));

	/* A status query still gets SNP for the one call, as upstream. */
	EXPECT_EQ(0, sev_cmd(fd, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(1, st.state);

	close(fd);
	sim_del(SIM_ID);
	ASSERT_EQ(0, sev_reload_modules("", ""));
}

TEST_F(snp, set_config_rules)
{
	struct sev_user_data_snp_config cfg = { 0 };
	struct sev_user_data_snp_status st;
	uint32_t error;

	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SNP_SET_CONFIG, NULL, &error));
	EXPECT_EQ(-EPERM, sev_cmd(self->fd_ro, SNP_SET_CONFIG, &cfg, &error));
	EXPECT_EQ(-EFAULT, sev_cmd(self->fd, SNP_SET_CONFIG, unmapped_address(),
				   &error));

	/* Report an older SNP SVN than the current one, and mask the chip id. */
	cfg.reported_tcb = SIM_TCB - (1ULL << 48);
	cfg.mask_chip_id = 1;
	ASSERT_EQ(0, sev_cmd(self->fd, SNP_SET_CONFIG, &cfg, &error));
	EXPECT_EQ(0, error);
	ASSERT_EQ(0, sev_cmd(self->fd, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(SIM_TCB - (1ULL << 48), st.reported_tcb_version);
	EXPECT_EQ(1, (int)st.mask_chip_id);
	EXPECT_EQ(0, (int)st.mask_chip_key);

	/* A TCB newer than the firmware's own is refused by the firmware. */
	cfg.reported_tcb = SIM_TCB + (1ULL << 56);
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SNP_SET_CONFIG, &cfg, &error));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, error);

	/* Reserved bits must be zero. */
	cfg.reported_tcb = SIM_TCB;
	cfg.rsvd = 1;
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SNP_SET_CONFIG, &cfg, &error));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, error);
	cfg.rsvd = 0;
	cfg.rsvd1[51] = 1;
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SNP_SET_CONFIG, &cfg, &error));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, error);

	/* The refused ones changed nothing. */
	ASSERT_EQ(0, sev_cmd(self->fd, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(SIM_TCB - (1ULL << 48), st.reported_tcb_version);
}

/* The simulated KDS's hashstick for sevsim0 and its reported TCB */
static int kds_hashstick(struct sev_user_data_snp_wrapped_vlek_hashstick *hs)
{
	return read_file(SIM_DEBUGFS "/sevsim0/vlek_hashstick", (char *)hs,
			 sizeof(*hs) + 1) == sizeof(*hs) ? 0 : -1;
}

TEST_F(snp, vlek_load_rules)
{
	struct sev_user_data_snp_wrapped_vlek_hashstick hs;
	struct sev_user_data_snp_vlek_load in = {
		.len = sizeof(in),
		.vlek_wrapped_address = (uintptr_t)&hs,
	};
	struct sev_user_data_snp_config cfg = { .reported_tcb = SIM_TCB - 1 };
	struct sev_user_data_snp_status st;
	uint32_t error;

	ASSERT_EQ(0, kds_hashstick(&hs));
	EXPECT_EQ(-EPERM, sev_cmd(self->fd_ro, SNP_VLEK_LOAD, &in, &error));
	/* upstream checks the pointer before the file's mode */
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SNP_VLEK_LOAD, NULL, &error))
		TH_LOG("NULL data on a writable fd: upstream's -EINVAL");
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd_ro, SNP_VLEK_LOAD, NULL, &error))
		TH_LOG("NULL data on a read-only fd: -EINVAL before -EPERM");

	in.len = sizeof(in) - 1;
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SNP_VLEK_LOAD, &in, &error));
	in.len = sizeof(in);
	in.vlek_wrapped_version = 1;
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SNP_VLEK_LOAD, &in, &error));
	in.vlek_wrapped_version = 0;

	in.vlek_wrapped_address = 0;
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SNP_VLEK_LOAD, &in, &error));
	in.vlek_wrapped_address = (uintptr_t)unmapped_address();
	EXPECT_EQ(-EFAULT, sev_cmd(self->fd, SNP_VLEK_LOAD, &in, &error));
	in.vlek_wrapped_address = (uintptr_t)&hs;

	/* a hashstick that does not unwrap for this chip */
	hs.data[70] ^= 1;
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SNP_VLEK_LOAD, &in, &error));
	EXPECT_EQ(SEV_RET_INVALID_KEY, error);
	hs.data[70] ^= 1;

	/* one for another TCB than the reported one */
	ASSERT_EQ(0, sev_cmd(self->fd, SNP_SET_CONFIG, &cfg, &error));
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SNP_VLEK_LOAD, &in, &error));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, error);
	ASSERT_EQ(0, sev_cmd(self->fd, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, (int)st.vlek_en);

	/* the KDS's hashstick for the TCB now reported loads */
	ASSERT_EQ(0, kds_hashstick(&hs));
	EXPECT_EQ(0, sev_cmd(self->fd, SNP_VLEK_LOAD, &in, &error));
	ASSERT_EQ(0, sev_cmd(self->fd, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(1, (int)st.vlek_en);
}

TEST_F(snp, removal_leaves_no_firmware_page)
{
	const char *path1 = SIM_DEBUGFS "/sevsim1/state";
	/*
	 * The RMP is the platform's: it also holds pages an earlier test
	 * leaked on purpose (the firmware kept them), which stay assigned.
	 */
	long long before = sim_value(SIM_ID, "rmp_assigned");

	ASSERT_LE(1, before);
	ASSERT_EQ(0, sim_del(SIM_ID));
	EXPECT_EQ(-1, sim_value(SIM_ID, "rmp_assigned"));	/* it is gone */
	ASSERT_EQ(0, sim_new(1, 2));
	ASSERT_LE(1, debugfs_value(path1, "rmp_assigned"));
	ASSERT_EQ(0, sim_del(1));
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	/* As before: the new device's TMR (one 2 MiB entry) in its place. */
	EXPECT_EQ(before, sim_value(SIM_ID, "rmp_assigned"));
	EXPECT_EQ(0, sim_value(SIM_ID, "rmp_bad_frees"));
}

TEST(snp_disabled_platform)
{
	struct sev_user_data_snp_status st;
	struct sev_user_data_status sev;
	char cmd[256];
	uint32_t error;
	int fd;

	sim_del(SIM_ID);
	ASSERT_EQ(0, system("rmmod sev-psp-sim"));
	snprintf(cmd, sizeof(cmd), "insmod %s snp=0", sim_module());
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	fd = open("/dev/sev", O_RDWR);
	ASSERT_LE(0, fd);

	/* SEV comes up without SNP ... */
	ASSERT_EQ(0, sev_cmd(fd, SEV_PLATFORM_STATUS, &sev, &error));
	EXPECT_EQ(1, sev.state);
	EXPECT_EQ(0, sim_value(SIM_ID, "rmp_initialized"));
	/* ... and SNP commands say the platform cannot do SNP. */
	EXPECT_EQ(-ENODEV, sev_cmd(fd, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(SEV_RET_INVALID_PLATFORM_STATE, error);
	EXPECT_EQ(-ENODEV, sev_cmd(fd, SNP_COMMIT, NULL, &error));
	EXPECT_EQ(SEV_RET_INVALID_PLATFORM_STATE, error);

	close(fd);
	ASSERT_EQ(0, sim_del(SIM_ID));
	ASSERT_EQ(0, system("rmmod sev-psp-sim"));
	snprintf(cmd, sizeof(cmd), "insmod %s", sim_module());
	ASSERT_EQ(0, system(cmd));
}

TEST(ciphertext_hiding_asids)
{
	struct sev_user_data_snp_status st;
	uint32_t error;
	int fd;

	fd = sev_reloaded_psp("ciphertext_hiding_asids=16", "", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sev_cmd(fd, SNP_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(1, (int)st.ciphertext_hiding_en)
		TH_LOG("SNP_INIT_EX asked for it: the firmware supports it");
	close(fd);

	sim_del(SIM_ID);
	ASSERT_EQ(0, sev_reload_modules("", ""));
}

TEST_HARNESS_MAIN
