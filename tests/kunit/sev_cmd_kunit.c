// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the firmware command table (drivers/psp/sev-cmd.c) and the rule
 * __sev_do_cmd_locked() enforces with it: a command has a buffer exactly
 * when the table gives it one, and unknown commands never reach the PSP.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "fake_psp.h"

struct sev_cmd_len_case {
	unsigned int cmd;
	int len;
};

static const struct sev_cmd_len_case sev_cmd_len_cases[] = {
	{ SEV_CMD_INIT, sizeof(struct sev_data_init) },
	{ SEV_CMD_SHUTDOWN, 0 },
	{ SEV_CMD_FACTORY_RESET, 0 },
	{ SEV_CMD_PLATFORM_STATUS, 12 },	/* the packed status is 12 bytes */
	{ SEV_CMD_PEK_GEN, 0 },
	{ SEV_CMD_PDH_GEN, 0 },
	{ SEV_CMD_DF_FLUSH, 0 },
	{ SEV_CMD_GET_ID, 12 },			/* { u64 address; u32 len } */
	{ SEV_CMD_INIT_EX, sizeof(struct sev_data_init_ex) },
	{ SEV_CMD_ACTIVATE, sizeof(struct sev_data_activate) },
	{ SEV_CMD_LAUNCH_START, sizeof(struct sev_data_launch_start) },
	{ SEV_CMD_DBG_ENCRYPT, sizeof(struct sev_data_dbg) },
	/* SNP guests: the spec's buffer sizes */
	{ SEV_CMD_SNP_GCTX_CREATE, 8 },
	{ SEV_CMD_SNP_DECOMMISSION, 8 },
	{ SEV_CMD_SNP_ACTIVATE, 12 },
	{ SEV_CMD_SNP_GUEST_STATUS, 16 },
	{ SEV_CMD_SNP_GUEST_REQUEST, 24 },
	{ SEV_CMD_SNP_LAUNCH_START, 48 },
	{ SEV_CMD_SNP_LAUNCH_UPDATE, 32 },
	{ SEV_CMD_SNP_LAUNCH_FINISH, 64 },
	{ SEV_CMD_SNP_DBG_DECRYPT, 24 },
	/* not SEV commands */
	{ 0x000, -EINVAL },
	{ 0x00e, -EINVAL },
	{ 0x01f, -EINVAL },
	{ 0x062, -EINVAL },
	{ 0x7ff, -EINVAL },
	{ 0x800, -EINVAL },
	{ UINT_MAX, -EINVAL },
};

static void sev_cmd_len_desc(const struct sev_cmd_len_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "cmd %#x (%s)", c->cmd,
		 sev_cmd_name(c->cmd));
}

KUNIT_ARRAY_PARAM(sev_cmd_len, sev_cmd_len_cases, sev_cmd_len_desc);

static void sev_cmd_buffer_len_matches_spec(struct kunit *test)
{
	const struct sev_cmd_len_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, c->len, sev_cmd_buffer_len(c->cmd));
	if (c->len < 0)
		KUNIT_EXPECT_STREQ(test, "unknown", sev_cmd_name(c->cmd));
}

static void sev_cmd_every_buffer_fits_the_mailbox(struct kunit *test)
{
	unsigned int cmd;

	for (cmd = 0; cmd < 0x800; cmd++)
		KUNIT_EXPECT_LE(test, sev_cmd_buffer_len(cmd),
				(int)PSP_CMD_BUF_SIZE);
}

static void sev_do_cmd_refuses_buffer_mismatch(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, true);
	struct sev_device *sev = &f->psp.sev;
	struct sev_user_data_status status;
	int error = -1;

	/* A buffered command without a buffer, and the other way round */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			sev_dev_do_cmd(sev, SEV_CMD_PLATFORM_STATUS, NULL, &error));
	KUNIT_EXPECT_EQ(test, 0, error);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			sev_dev_do_cmd(sev, SEV_CMD_SHUTDOWN, &status, &error));
	/* Unknown commands */
	KUNIT_EXPECT_EQ(test, -EINVAL, sev_dev_do_cmd(sev, 0x7ff, NULL, &error));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			sev_dev_do_cmd(sev, 0x7ff, &status, &error));
	KUNIT_EXPECT_EQ(test, 0U, f->submits);

	/* The right shape goes through, with the table's length. */
	KUNIT_EXPECT_EQ(test, 0,
			sev_dev_do_cmd(sev, SEV_CMD_PLATFORM_STATUS, &status, &error));
	KUNIT_EXPECT_EQ(test, 1U, f->submits);
	fake_psp_free(f);
}

static struct kunit_case sev_cmd_cases[] = {
	KUNIT_CASE_PARAM(sev_cmd_buffer_len_matches_spec, sev_cmd_len_gen_params),
	KUNIT_CASE(sev_cmd_every_buffer_fits_the_mailbox),
	KUNIT_CASE(sev_do_cmd_refuses_buffer_mismatch),
	{}
};

static struct kunit_suite sev_cmd_suite = {
	.name = "sev_cmd",
	.test_cases = sev_cmd_cases,
};

kunit_test_suite(sev_cmd_suite);
