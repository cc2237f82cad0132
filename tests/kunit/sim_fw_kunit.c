// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the simulated firmware's SEV platform state machine
 * (drivers/psp/sim/sim-fw*.c): which command is valid in which state and
 * where it leads, INIT's TMR rules, GET_ID's length protocol, the
 * firmware's checks on the addresses it is given, and the API version its
 * certificates carry through INIT_EX's NV image, which shows none of the
 * state in the clear.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "sim.h"

struct sim_fw_test {
	struct sim_fw fw;
	void *buf;		/* a command buffer in RAM */
};

static int sim_fw_test_init(struct kunit *test)
{
	struct sim_fw_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	t->buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	if (!t->buf)
		return -ENOMEM;
	if (sim_fw_init(&t->fw))
		return -EINVAL;
	/* The SEV-only platform; SNP ordering has its own suite. */
	t->fw.snp_enabled = false;
	test->priv = t;
	return 0;
}

static void sim_fw_test_exit(struct kunit *test)
{
	struct sim_fw_test *t = test->priv;

	sim_fw_exit(&t->fw);
}

static u16 run(struct sim_fw_test *t, unsigned int cmd)
{
	return sim_fw_run(&t->fw, cmd, virt_to_phys(t->buf));
}

struct sim_fw_transition {
	enum sev_state from;
	unsigned int cmd;
	u16 status;
	enum sev_state to;
};

#define ST_UNINIT	SEV_STATE_UNINIT
#define ST_INIT	SEV_STATE_INIT
#define ST_WORKING	SEV_STATE_WORKING

static const struct sim_fw_transition sim_fw_transitions[] = {
	{ ST_UNINIT, SEV_CMD_INIT, SEV_RET_SUCCESS, ST_INIT },
	{ ST_INIT, SEV_CMD_INIT, SEV_RET_INVALID_PLATFORM_STATE, ST_INIT },
	{ ST_WORKING, SEV_CMD_INIT, SEV_RET_INVALID_PLATFORM_STATE, ST_WORKING },
	{ ST_UNINIT, SEV_CMD_SHUTDOWN, SEV_RET_SUCCESS, ST_UNINIT },
	{ ST_INIT, SEV_CMD_SHUTDOWN, SEV_RET_SUCCESS, ST_UNINIT },
	{ ST_WORKING, SEV_CMD_SHUTDOWN, SEV_RET_SUCCESS, ST_UNINIT },
	{ ST_UNINIT, SEV_CMD_FACTORY_RESET, SEV_RET_SUCCESS, ST_UNINIT },
	{ ST_INIT, SEV_CMD_FACTORY_RESET, SEV_RET_INVALID_PLATFORM_STATE, ST_INIT },
	{ ST_WORKING, SEV_CMD_FACTORY_RESET, SEV_RET_INVALID_PLATFORM_STATE, ST_WORKING },
	{ ST_UNINIT, SEV_CMD_PLATFORM_STATUS, SEV_RET_SUCCESS, ST_UNINIT },
	{ ST_INIT, SEV_CMD_PLATFORM_STATUS, SEV_RET_SUCCESS, ST_INIT },
	{ ST_WORKING, SEV_CMD_PLATFORM_STATUS, SEV_RET_SUCCESS, ST_WORKING },
	{ ST_UNINIT, 0x7ff, SEV_RET_INVALID_COMMAND, ST_UNINIT },
	{ ST_INIT, 0x000, SEV_RET_INVALID_COMMAND, ST_INIT },
};

static void sim_fw_transition_desc(const struct sim_fw_transition *c,
				   char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s + cmd %#x -> %#x, %s",
		 sim_fw_state_name(c->from), c->cmd, c->status,
		 sim_fw_state_name(c->to));
}

KUNIT_ARRAY_PARAM(sim_fw_transition, sim_fw_transitions, sim_fw_transition_desc);

static void sim_fw_state_machine(struct kunit *test)
{
	const struct sim_fw_transition *c = test->param_value;
	struct sim_fw_test *t = test->priv;

	/* WORKING needs a guest; set the state directly for the matrix. */
	t->fw.state = c->from;
	KUNIT_EXPECT_EQ(test, c->status, run(t, c->cmd));
	KUNIT_EXPECT_EQ(test, c->to, t->fw.state);
}

static void sim_fw_status_reports_the_platform(struct kunit *test)
{
	struct sim_fw_test *t = test->priv;
	struct sev_user_data_status *st = t->buf;

	t->fw.state = SEV_STATE_WORKING;
	t->fw.guest_count = 3;
	t->fw.owner_external = true;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_PLATFORM_STATUS));
	KUNIT_EXPECT_EQ(test, 1, st->api_major);
	KUNIT_EXPECT_EQ(test, 55, st->api_minor);
	KUNIT_EXPECT_EQ(test, 21, st->build);
	KUNIT_EXPECT_EQ(test, SEV_STATE_WORKING, st->state);
	KUNIT_EXPECT_EQ(test, 1U, st->flags);
	KUNIT_EXPECT_EQ(test, 3U, st->guest_count);

	/* SHUTDOWN ends the guests; FACTORY_RESET the external owner. */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SHUTDOWN));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_FACTORY_RESET));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_PLATFORM_STATUS));
	KUNIT_EXPECT_EQ(test, 0U, st->flags);
	KUNIT_EXPECT_EQ(test, 0U, st->guest_count);
}

static void sim_fw_init_es_checks_tmr(struct kunit *test)
{
	struct sim_fw_test *t = test->priv;
	struct sev_data_init *init = t->buf;
	unsigned int order = get_order(SZ_1M);
	struct page *tmr = alloc_pages(GFP_KERNEL, order);
	struct sev_user_data_status *st = t->buf;

	KUNIT_ASSERT_NOT_NULL(test, tmr);

	*init = (struct sev_data_init){ .flags = SEV_INIT_FLAGS_SEV_ES,
		.tmr_address = page_to_phys(tmr), .tmr_len = SZ_1M / 2 };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, run(t, SEV_CMD_INIT));

	*init = (struct sev_data_init){ .flags = SEV_INIT_FLAGS_SEV_ES,
		.tmr_address = page_to_phys(tmr) + PAGE_SIZE, .tmr_len = SZ_1M };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS, run(t, SEV_CMD_INIT));

	/* 1 MiB aligned but not RAM: the local APIC's page */
	*init = (struct sev_data_init){ .flags = SEV_INIT_FLAGS_SEV_ES,
		.tmr_address = 0xfee00000, .tmr_len = SZ_1M };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS, run(t, SEV_CMD_INIT));

	*init = (struct sev_data_init){ .flags = 0x80 };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_PARAM, run(t, SEV_CMD_INIT));
	KUNIT_EXPECT_EQ(test, SEV_STATE_UNINIT, t->fw.state);

	*init = (struct sev_data_init){ .flags = SEV_INIT_FLAGS_SEV_ES,
		.tmr_address = page_to_phys(tmr), .tmr_len = SZ_1M };
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_INIT));
	KUNIT_EXPECT_EQ(test, SEV_STATE_INIT, t->fw.state);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_PLATFORM_STATUS));
	KUNIT_EXPECT_EQ(test, (u32)SEV_STATUS_FLAGS_CONFIG_ES, st->flags);

	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SHUTDOWN));
	KUNIT_EXPECT_EQ(test, 0ULL, (u64)t->fw.tmr);
	__free_pages(tmr, order);
}

static void sim_fw_get_id_length_protocol(struct kunit *test)
{
	struct sim_fw_test *t = test->priv;
	struct sev_data_get_id *id = t->buf;
	u8 *out = kunit_kzalloc(test, SIM_CHIP_ID_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, out);

	*id = (struct sev_data_get_id){ .address = 0, .len = 0 };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, run(t, SEV_CMD_GET_ID));
	KUNIT_EXPECT_EQ(test, (u32)SIM_CHIP_ID_LEN, id->len);

	*id = (struct sev_data_get_id){ .address = virt_to_phys(out),
					.len = SIM_CHIP_ID_LEN - 1 };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, run(t, SEV_CMD_GET_ID));
	KUNIT_EXPECT_EQ(test, (u32)SIM_CHIP_ID_LEN, id->len);
	KUNIT_EXPECT_EQ(test, 0, out[0] | out[SIM_CHIP_ID_LEN - 1]);

	*id = (struct sev_data_get_id){ .address = virt_to_phys(out),
					.len = 4096 };
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_GET_ID));
	KUNIT_EXPECT_EQ(test, (u32)SIM_CHIP_ID_LEN, id->len);
	KUNIT_EXPECT_EQ(test, 0, memcmp(out, t->fw.chip_id, SIM_CHIP_ID_LEN));

	/* An ID address that is not RAM is refused, not written. */
	*id = (struct sev_data_get_id){ .address = 0xfee00000,
					.len = SIM_CHIP_ID_LEN };
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS, run(t, SEV_CMD_GET_ID));
}

static void sim_fw_refuses_bad_command_buffer_address(struct kunit *test)
{
	struct sim_fw_test *t = test->priv;
	u64 before = t->fw.commands;

	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS,
			sim_fw_run(&t->fw, SEV_CMD_PLATFORM_STATUS, 0xfee00000));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS,
			sim_fw_run(&t->fw, SEV_CMD_PLATFORM_STATUS, ~0ULL - 4));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_ADDRESS,
			sim_fw_run(&t->fw, SEV_CMD_INIT, ~0ULL));
	KUNIT_EXPECT_EQ(test, SEV_STATE_UNINIT, t->fw.state);
	/* A command without a buffer ignores the address. */
	KUNIT_EXPECT_EQ(test, SEV_RET_SUCCESS,
			sim_fw_run(&t->fw, SEV_CMD_SHUTDOWN, ~0ULL));
	KUNIT_EXPECT_EQ(test, before + 4, t->fw.commands);
}

static void sim_fw_power_on_keeps_identity(struct kunit *test)
{
	struct sim_fw_test *t = test->priv;
	u8 id[SIM_CHIP_ID_LEN];

	memcpy(id, t->fw.chip_id, sizeof(id));
	t->fw.state = SEV_STATE_WORKING;
	t->fw.guest_count = 2;
	t->fw.owner_external = true;
	sim_fw_power_on(&t->fw);
	KUNIT_EXPECT_EQ(test, SEV_STATE_UNINIT, t->fw.state);
	KUNIT_EXPECT_EQ(test, 0U, t->fw.guest_count);
	KUNIT_EXPECT_TRUE(test, t->fw.owner_external);	/* persistent */
	KUNIT_EXPECT_EQ(test, 0, memcmp(id, t->fw.chip_id, sizeof(id)));
}

static void expect_cert_api(struct kunit *test, const char *what,
			    const struct sim_sev_cert *c, u8 major, u8 minor)
{
	KUNIT_EXPECT_EQ_MSG(test, major, c->api_major, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, minor, c->api_minor, "%s", what);
}

/*
 * The SEV certificate format (spec 55766, appendix C) carries the API
 * version of the firmware that made the certificate: 1.55 here, what
 * PLATFORM_STATUS reports, never 0.0.
 */
static bool mem_contains(const u8 *hay, size_t len, const void *needle,
			 size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(hay + i, needle, n))
			return true;
	return false;
}

static void sim_fw_certificates_carry_the_api_version(struct kunit *test)
{
	struct sim_fw_test *t = test->priv;
	struct sim_fw_pki *k = t->fw.pki;
	struct sev_data_init_ex *init = t->buf;
	u8 *nv = kunit_kzalloc(test, SIM_NV_LEN, GFP_KERNEL);
	struct sim_sev_cert *pdh = kunit_kzalloc(test, sizeof(*pdh), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nv);
	KUNIT_ASSERT_NOT_NULL(test, pdh);
	expect_cert_api(test, "CEK", &k->cek, 1, 55);
	expect_cert_api(test, "OCA", &k->st.oca, 1, 55);
	expect_cert_api(test, "PEK", &k->st.pek, 1, 55);
	expect_cert_api(test, "PDH", &k->st.pdh, 1, 55);

	/* After a firmware update only a new certificate has the new one. */
	t->fw.api_minor = 56;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_INIT));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_PDH_GEN));
	expect_cert_api(test, "PDH after PDH_GEN", &k->st.pdh, 1, 56);
	expect_cert_api(test, "PEK", &k->st.pek, 1, 55);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SHUTDOWN));

	/*
	 * INIT_EX writes the state into a new NV buffer; after a power cycle
	 * that forgot it, the buffer brings the same certificates back.
	 */
	*init = (struct sev_data_init_ex){ .length = sizeof(*init),
		.nv_address = virt_to_phys(nv), .nv_len = SIM_NV_LEN };
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_INIT_EX));
	*pdh = k->st.pdh;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SHUTDOWN));
	/* Encrypted: no key, not even a public certificate, in the clear. */
	KUNIT_EXPECT_FALSE(test, mem_contains(nv, SIM_NV_LEN, k->st.pek_priv,
					      SIM_P384_BYTES));
	KUNIT_EXPECT_FALSE(test, mem_contains(nv, SIM_NV_LEN, k->st.pdh_priv,
					      SIM_P384_BYTES));
	KUNIT_EXPECT_FALSE(test, mem_contains(nv, SIM_NV_LEN, &k->st.pek,
					      SIM_P384_BYTES));
	sim_fw_power_on(&t->fw);
	memset(&k->st, 0, sizeof(k->st));
	*init = (struct sev_data_init_ex){ .length = sizeof(*init),
		.nv_address = virt_to_phys(nv), .nv_len = SIM_NV_LEN };
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_INIT_EX));
	KUNIT_EXPECT_EQ(test, 0, memcmp(pdh, &k->st.pdh, sizeof(*pdh)));
	expect_cert_api(test, "PDH from the NV image", &k->st.pdh, 1, 56);
	expect_cert_api(test, "PEK from the NV image", &k->st.pek, 1, 55);
	expect_cert_api(test, "OCA from the NV image", &k->st.oca, 1, 55);
}

static struct kunit_case sim_fw_cases[] = {
	KUNIT_CASE_PARAM(sim_fw_state_machine, sim_fw_transition_gen_params),
	KUNIT_CASE(sim_fw_status_reports_the_platform),
	KUNIT_CASE(sim_fw_init_es_checks_tmr),
	KUNIT_CASE(sim_fw_get_id_length_protocol),
	KUNIT_CASE(sim_fw_refuses_bad_command_buffer_address),
	KUNIT_CASE(sim_fw_power_on_keeps_identity),
	KUNIT_CASE(sim_fw_certificates_carry_the_api_version),
	{}
};

static struct kunit_suite sim_fw_suite = {
	.name = "sim_fw_platform",
	.init = sim_fw_test_init,
	.exit = sim_fw_test_exit,
	.test_cases = sim_fw_cases,
};

kunit_test_suite(sim_fw_suite);

MODULE_IMPORT_NS(SEV_PSP_SIM_KUNIT);
MODULE_LICENSE("GPL");
