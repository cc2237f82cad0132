// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the driver's firmware command table (drivers/psp/sev-cmd.c)
 * against the simulator's own (drivers/psp/sim/sim-fw.c), so the two
 * cannot drift apart: every command the model implements has the buffer
 * size the driver copies. And the table's layouts: each (address, length)
 * pair it names lies inside its buffer, and the commands marked as
 * changing the firmware's NV state are the ones that do.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "psp.h"
#include "sim.h"

/* Every command id the mailbox can carry, and some past it */
#define SEV_CMD_TABLE_IDS	0x800U
#define SEV_CMD_SNP_INIT_U	((unsigned int)SEV_CMD_SNP_INIT)

static void sev_cmd_table_matches_the_firmware_model(struct kunit *test)
{
	unsigned int cmd, n = 0;
	int sim_len;

	for (cmd = 0; cmd < SEV_CMD_TABLE_IDS; cmd++) {
		sim_len = sim_fw_cmd_buffer_len(cmd);
		if (sim_len < 0)
			continue;
		n++;
		KUNIT_EXPECT_EQ_MSG(test, sim_len, sev_cmd_buffer_len(cmd),
				    "cmd %#x (%s): the simulator reads %d bytes",
				    cmd, sev_cmd_name(cmd), sim_len);
	}
	/* The model implements the platform, guest and SNP commands. */
	KUNIT_EXPECT_GE(test, n, 30U);
	KUNIT_EXPECT_EQ(test, -EINVAL, sim_fw_cmd_buffer_len(SEV_CMD_TABLE_IDS));
}

/* A u64 address and a u32 length inside a buffer of @len bytes */
static void expect_region_inside(struct kunit *test, unsigned int cmd,
				 const struct sev_cmd_region *r, u16 len)
{
	KUNIT_EXPECT_LE_MSG(test, r->addr + sizeof(u64), (size_t)len,
			    "cmd %#x: address field past the buffer", cmd);
	KUNIT_EXPECT_LE_MSG(test, r->len + sizeof(u32), (size_t)len,
			    "cmd %#x: length field past the buffer", cmd);
	KUNIT_EXPECT_NE_MSG(test, r->addr, r->len,
			    "cmd %#x: address and length overlap", cmd);
}

static void sev_cmd_regions_lie_inside_their_buffers(struct kunit *test)
{
	const struct sev_cmd_desc *desc;
	unsigned int cmd, i;

	for (cmd = 0; cmd < SEV_CMD_TABLE_IDS; cmd++) {
		desc = sev_cmd_desc(cmd);
		if (!desc)
			continue;
		KUNIT_EXPECT_LE(test, (size_t)desc->n_out,
				ARRAY_SIZE(desc->out));
		KUNIT_EXPECT_LE(test, desc->n_inplace, 1);
		KUNIT_EXPECT_LE(test, (size_t)desc->n_in,
				ARRAY_SIZE(desc->in));
		for (i = 0; i < desc->n_out && i < ARRAY_SIZE(desc->out); i++)
			expect_region_inside(test, cmd, &desc->out[i],
					     desc->len);
		for (i = 0; i < desc->n_in && i < ARRAY_SIZE(desc->in); i++)
			expect_region_inside(test, cmd, &desc->in[i],
					     desc->len);
		if (desc->n_inplace)
			expect_region_inside(test, cmd, &desc->inplace,
					     desc->len);
		/* only legacy commands are bounced once SNP is up */
		if (desc->n_out || desc->n_in || desc->n_inplace ||
		    desc->fw_writes)
			KUNIT_EXPECT_LT_MSG(test, cmd, SEV_CMD_SNP_INIT_U,
					    "cmd %#x (%s)", cmd, desc->name);
	}
}

static void sev_cmd_nv_commands_are_the_firmwares(struct kunit *test)
{
	static const unsigned int nv_cmds[] = {
		SEV_CMD_INIT_EX, SEV_CMD_FACTORY_RESET, SEV_CMD_PEK_GEN,
		SEV_CMD_PDH_GEN, SEV_CMD_PEK_CERT_IMPORT,
	};
	const struct sev_cmd_desc *desc;
	unsigned int cmd, i, n = 0;

	for (i = 0; i < ARRAY_SIZE(nv_cmds); i++) {
		desc = sev_cmd_desc(nv_cmds[i]);
		KUNIT_ASSERT_NOT_NULL(test, desc);
		KUNIT_EXPECT_TRUE_MSG(test, desc->changes_nv, "%s", desc->name);
	}
	for (cmd = 0; cmd < SEV_CMD_TABLE_IDS; cmd++) {
		desc = sev_cmd_desc(cmd);
		if (desc && desc->changes_nv)
			n++;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(nv_cmds));
}

static struct kunit_case sev_cmd_table_cases[] = {
	KUNIT_CASE(sev_cmd_table_matches_the_firmware_model),
	KUNIT_CASE(sev_cmd_regions_lie_inside_their_buffers),
	KUNIT_CASE(sev_cmd_nv_commands_are_the_firmwares),
	{}
};

static struct kunit_suite sev_cmd_table_suite = {
	.name = "sev_cmd_table",
	.test_cases = sev_cmd_table_cases,
};

kunit_test_suite(sev_cmd_table_suite);

MODULE_IMPORT_NS(SEV_PSP_KUNIT);
MODULE_IMPORT_NS(SEV_PSP_SIM_KUNIT);
