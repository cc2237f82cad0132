// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the launch state machines of the simulated firmware
 * (drivers/psp/sim/sim-fw-sev-launch.c, sim-fw-snp-guest.c), which are the
 * rules kvm-sev leaves to the firmware: which launch command a guest takes
 * in which state.
 *
 * SEV (spec 55766, chapter 6): LAUNCH_START makes a guest in LUPDATE,
 * which takes LAUNCH_UPDATE_DATA and _VMSA; LAUNCH_MEASURE moves it to
 * LSECRET, which takes LAUNCH_SECRET, LAUNCH_MEASURE again and
 * LAUNCH_FINISH, which moves it to RUNNING; ATTESTATION once measured,
 * GUEST_STATUS always.
 *
 * SNP (spec 56860, chapter 8): SNP_GCTX_CREATE makes a context that takes
 * SNP_LAUNCH_START once; then SNP_LAUNCH_UPDATE until SNP_LAUNCH_FINISH,
 * once.
 *
 * Each row brings a fresh firmware's guest to one state and issues one
 * command, expecting one firmware status.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "sim.h"

#define LT_ES_ASID	5
#define LT_TMR_ORDER	get_order(SZ_1M)	/* SEV-ES INIT's TMR */
#define LT_SNP_POLICY	(SIM_SNP_POLICY_RSVD_MBO | SIM_SNP_POLICY_SMT)
#define LT_SECRET_HDR	52	/* LAUNCH_SECRET's header: flags, IV, MAC */
#define LT_NO_HANDLE	999	/* a handle the firmware never gave */

enum { LT_GCTX, LT_DATA, LT_OUT, LT_HDR, LT_NR_PAGES };

struct launch_test {
	struct sim_fw fw;
	void *buf;			/* command buffer */
	struct page *pages[LT_NR_PAGES];
	struct page *tmr;
	u32 handle;			/* SEV */
	bool fw_up;
	bool sev_up;
};

static u64 pa(struct launch_test *t, int i)
{
	return page_to_phys(t->pages[i]);
}

static u16 run(struct launch_test *t, unsigned int cmd)
{
	return sim_fw_run(&t->fw, cmd, virt_to_phys(t->buf));
}

static int launch_test_init(struct kunit *test)
{
	struct launch_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	int i;

	if (!t)
		return -ENOMEM;
	test->priv = t;
	t->buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	if (!t->buf)
		return -ENOMEM;
	for (i = 0; i < LT_NR_PAGES; i++) {
		t->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!t->pages[i])
			return -ENOMEM;
	}
	t->tmr = alloc_pages(GFP_KERNEL | __GFP_ZERO, LT_TMR_ORDER);
	if (!t->tmr)
		return -ENOMEM;
	if (sim_fw_init(&t->fw))
		return -EINVAL;
	t->fw_up = true;
	return 0;
}

/* Every guest ended and every page back to the hypervisor, then freed. */
static void launch_test_exit(struct kunit *test)
{
	struct launch_test *t = test->priv;
	struct rmp_state zero = {};
	int i;

	if (!t)
		return;
	/* SHUTDOWN ends the guests and gives the TMR back */
	if (t->sev_up)
		run(t, SEV_CMD_SHUTDOWN);
	if (t->fw_up)
		sim_fw_exit(&t->fw);
	for (i = 0; i < LT_NR_PAGES; i++) {
		if (!t->pages[i])
			continue;
		sim_rmp_fw_set(page_to_pfn(t->pages[i]), &zero);
		__free_page(t->pages[i]);
	}
	if (t->tmr)
		__free_pages(t->tmr, LT_TMR_ORDER);
}

/* SEV guests */

enum lt_sev_state {
	LT_SEV_NO_GUEST,	/* no LAUNCH_START */
	LT_SEV_INACTIVE,	/* LAUNCH_START, no ACTIVATE */
	LT_SEV_LUPDATE,		/* LAUNCH_START, ACTIVATE */
	LT_SEV_LSECRET,		/* ... LAUNCH_MEASURE */
	LT_SEV_RUNNING,		/* ... LAUNCH_FINISH */
};

static u16 sev_cmd(struct launch_test *t, unsigned int cmd)
{
	switch (cmd) {
	case SEV_CMD_LAUNCH_UPDATE_DATA: {
		struct sev_data_launch_update_data *d = t->buf;

		*d = (struct sev_data_launch_update_data){
			.handle = t->handle, .address = pa(t, LT_DATA),
			.len = 64 };
		break;
	}
	case SEV_CMD_LAUNCH_UPDATE_VMSA: {
		struct sev_data_launch_update_vmsa *d = t->buf;

		*d = (struct sev_data_launch_update_vmsa){
			.handle = t->handle, .address = pa(t, LT_DATA),
			.len = PAGE_SIZE };
		break;
	}
	case SEV_CMD_LAUNCH_MEASURE: {
		struct sev_data_launch_measure *d = t->buf;

		*d = (struct sev_data_launch_measure){
			.handle = t->handle, .address = pa(t, LT_OUT),
			.len = PAGE_SIZE };
		break;
	}
	case SEV_CMD_LAUNCH_UPDATE_SECRET: {
		struct sev_data_launch_secret *d = t->buf;

		/* well formed, but no owner sealed it: its MAC is wrong */
		*d = (struct sev_data_launch_secret){
			.handle = t->handle,
			.hdr_address = pa(t, LT_HDR), .hdr_len = LT_SECRET_HDR,
			.guest_address = pa(t, LT_OUT), .guest_len = 16,
			.trans_address = pa(t, LT_DATA), .trans_len = 16 };
		break;
	}
	case SEV_CMD_ATTESTATION_REPORT: {
		struct sev_data_attestation_report *d = t->buf;

		*d = (struct sev_data_attestation_report){
			.handle = t->handle, .address = pa(t, LT_OUT),
			.len = PAGE_SIZE };
		break;
	}
	default: {
		/* LAUNCH_FINISH, GUEST_STATUS: the handle only */
		struct sev_data_guest_status *d = t->buf;

		*d = (struct sev_data_guest_status){ .handle = t->handle };
		break;
	}
	}
	return run(t, cmd);
}

/* SEV-ES up with its TMR, and a guest of policy ES in @state. */
static void sev_guest_in(struct kunit *test, struct launch_test *t,
			 enum lt_sev_state state)
{
	struct sev_data_init *init = t->buf;
	struct sev_data_launch_start *start = t->buf;
	struct sev_data_activate *act = t->buf;

	t->fw.snp_enabled = false;	/* SEV INIT alone */
	*init = (struct sev_data_init){ .flags = SEV_INIT_FLAGS_SEV_ES,
					.tmr_address = page_to_phys(t->tmr),
					.tmr_len = SZ_1M };
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_INIT));
	t->sev_up = true;

	t->handle = LT_NO_HANDLE;
	if (state == LT_SEV_NO_GUEST)
		return;
	*start = (struct sev_data_launch_start){ .policy = SIM_POLICY_ES };
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_LAUNCH_START));
	t->handle = start->handle;
	if (state == LT_SEV_INACTIVE)
		return;
	*act = (struct sev_data_activate){ .handle = t->handle,
					   .asid = LT_ES_ASID };
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_ACTIVATE));
	if (state == LT_SEV_LUPDATE)
		return;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_cmd(t, SEV_CMD_LAUNCH_MEASURE));
	if (state == LT_SEV_LSECRET)
		return;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_cmd(t, SEV_CMD_LAUNCH_FINISH));
}

struct state_row {
	const char *name;
	int state;
	unsigned int cmd;
	u16 expected;		/* SEV_RET_* */
};

static void state_row_desc(const struct state_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

#define BAD_STATE	SEV_RET_INVALID_GUEST_STATE

static const struct state_row sev_rows[] = {
	/* no guest: every command names a handle the firmware does not know */
	{ "no_guest_launch_update_data", LT_SEV_NO_GUEST,
	  SEV_CMD_LAUNCH_UPDATE_DATA, SEV_RET_INVALID_GUEST },
	{ "no_guest_launch_measure", LT_SEV_NO_GUEST, SEV_CMD_LAUNCH_MEASURE,
	  SEV_RET_INVALID_GUEST },
	{ "no_guest_launch_finish", LT_SEV_NO_GUEST, SEV_CMD_LAUNCH_FINISH,
	  SEV_RET_INVALID_GUEST },
	/* started, not activated: nothing to encrypt with */
	{ "inactive_launch_update_data", LT_SEV_INACTIVE,
	  SEV_CMD_LAUNCH_UPDATE_DATA, SEV_RET_INACTIVE },
	{ "inactive_launch_update_vmsa", LT_SEV_INACTIVE,
	  SEV_CMD_LAUNCH_UPDATE_VMSA, SEV_RET_INACTIVE },
	/* after LAUNCH_START: updates and the measurement */
	{ "lupdate_launch_update_data", LT_SEV_LUPDATE, SEV_CMD_LAUNCH_UPDATE_DATA,
	  SEV_RET_SUCCESS },
	{ "lupdate_launch_update_vmsa", LT_SEV_LUPDATE, SEV_CMD_LAUNCH_UPDATE_VMSA,
	  SEV_RET_SUCCESS },
	{ "lupdate_launch_measure", LT_SEV_LUPDATE, SEV_CMD_LAUNCH_MEASURE,
	  SEV_RET_SUCCESS },
	{ "lupdate_launch_secret", LT_SEV_LUPDATE, SEV_CMD_LAUNCH_UPDATE_SECRET,
	  BAD_STATE },
	{ "lupdate_launch_finish", LT_SEV_LUPDATE, SEV_CMD_LAUNCH_FINISH, BAD_STATE },
	{ "lupdate_attestation_report", LT_SEV_LUPDATE, SEV_CMD_ATTESTATION_REPORT,
	  BAD_STATE },
	{ "lupdate_guest_status", LT_SEV_LUPDATE, SEV_CMD_GUEST_STATUS,
	  SEV_RET_SUCCESS },
	/* after LAUNCH_MEASURE: no more updates; the secret (its MAC checked) */
	{ "lsecret_launch_update_data", LT_SEV_LSECRET, SEV_CMD_LAUNCH_UPDATE_DATA,
	  BAD_STATE },
	{ "lsecret_launch_update_vmsa", LT_SEV_LSECRET, SEV_CMD_LAUNCH_UPDATE_VMSA,
	  BAD_STATE },
	{ "lsecret_launch_measure_again", LT_SEV_LSECRET, SEV_CMD_LAUNCH_MEASURE,
	  SEV_RET_SUCCESS },
	{ "lsecret_launch_secret", LT_SEV_LSECRET, SEV_CMD_LAUNCH_UPDATE_SECRET,
	  SEV_RET_BAD_MEASUREMENT },
	{ "lsecret_launch_finish", LT_SEV_LSECRET, SEV_CMD_LAUNCH_FINISH,
	  SEV_RET_SUCCESS },
	{ "lsecret_attestation_report", LT_SEV_LSECRET, SEV_CMD_ATTESTATION_REPORT,
	  SEV_RET_SUCCESS },
	{ "lsecret_guest_status", LT_SEV_LSECRET, SEV_CMD_GUEST_STATUS,
	  SEV_RET_SUCCESS },
	/* after LAUNCH_FINISH: running; attestation and status only */
	{ "running_launch_update_data", LT_SEV_RUNNING, SEV_CMD_LAUNCH_UPDATE_DATA,
	  BAD_STATE },
	{ "running_launch_update_vmsa", LT_SEV_RUNNING, SEV_CMD_LAUNCH_UPDATE_VMSA,
	  BAD_STATE },
	{ "running_launch_measure", LT_SEV_RUNNING, SEV_CMD_LAUNCH_MEASURE,
	  BAD_STATE },
	{ "running_launch_secret", LT_SEV_RUNNING, SEV_CMD_LAUNCH_UPDATE_SECRET,
	  BAD_STATE },
	{ "running_launch_finish_again", LT_SEV_RUNNING, SEV_CMD_LAUNCH_FINISH,
	  BAD_STATE },
	{ "running_attestation_report", LT_SEV_RUNNING, SEV_CMD_ATTESTATION_REPORT,
	  SEV_RET_SUCCESS },
	{ "running_guest_status", LT_SEV_RUNNING, SEV_CMD_GUEST_STATUS,
	  SEV_RET_SUCCESS },
};

KUNIT_ARRAY_PARAM(sev_launch_states, sev_rows, state_row_desc);

static void sev_launch_states(struct kunit *test)
{
	const struct state_row *r = test->param_value;
	struct launch_test *t = test->priv;

	sev_guest_in(test, t, r->state);
	KUNIT_EXPECT_EQ(test, r->expected, sev_cmd(t, r->cmd));
}

/* GUEST_STATUS names each state as the spec numbers it */
static void sev_guest_status_follows_the_launch(struct kunit *test)
{
	struct launch_test *t = test->priv;
	struct sev_data_guest_status *st = t->buf;

	sev_guest_in(test, t, LT_SEV_LUPDATE);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_cmd(t, SEV_CMD_GUEST_STATUS));
	KUNIT_EXPECT_EQ(test, 1U, st->state);	/* LUPDATE */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_cmd(t, SEV_CMD_LAUNCH_UPDATE_DATA));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_cmd(t, SEV_CMD_GUEST_STATUS));
	KUNIT_EXPECT_EQ(test, 1U, st->state);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			sev_cmd(t, SEV_CMD_LAUNCH_MEASURE));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_cmd(t, SEV_CMD_GUEST_STATUS));
	KUNIT_EXPECT_EQ(test, 2U, st->state);	/* LSECRET */
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_cmd(t, SEV_CMD_LAUNCH_FINISH));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, sev_cmd(t, SEV_CMD_GUEST_STATUS));
	KUNIT_EXPECT_EQ(test, 3U, st->state);	/* RUNNING */
	KUNIT_EXPECT_EQ(test, (u32)LT_ES_ASID, st->asid);
}

/* SNP guests */

enum lt_snp_state {
	LT_SNP_NO_CONTEXT,	/* no SNP_GCTX_CREATE */
	LT_SNP_CREATED,		/* SNP_GCTX_CREATE */
	LT_SNP_STARTED,		/* ... SNP_LAUNCH_START, SNP_ACTIVATE */
	LT_SNP_FINISHED,	/* ... SNP_LAUNCH_FINISH */
};

static void set_rmp(struct kunit *test, struct launch_test *t, int i,
		    struct rmp_state s)
{
	KUNIT_ASSERT_EQ(test, 0, sim_rmp_fw_set(page_to_pfn(t->pages[i]), &s));
}

static u16 snp_cmd(struct kunit *test, struct launch_test *t, unsigned int cmd)
{
	switch (cmd) {
	case SEV_CMD_SNP_LAUNCH_START: {
		struct sev_data_snp_launch_start *d = t->buf;

		*d = (struct sev_data_snp_launch_start){
			.gctx_paddr = pa(t, LT_GCTX), .policy = LT_SNP_POLICY };
		break;
	}
	case SEV_CMD_SNP_ACTIVATE: {
		struct sev_data_snp_activate *d = t->buf;

		*d = (struct sev_data_snp_activate){
			.gctx_paddr = pa(t, LT_GCTX), .asid = LT_ES_ASID };
		break;
	}
	case SEV_CMD_SNP_LAUNCH_UPDATE: {
		struct sev_data_snp_launch_update *d = t->buf;

		/* a page the hypervisor gave this guest, not yet valid */
		set_rmp(test, t, LT_DATA,
			(struct rmp_state){ .assigned = 1, .immutable = 1,
					    .gpa = 0x1000,
					    .asid = LT_ES_ASID });
		*d = (struct sev_data_snp_launch_update){
			.gctx_paddr = pa(t, LT_GCTX),
			.page_type = SNP_PAGE_TYPE_NORMAL,
			.address = pa(t, LT_DATA) };
		break;
	}
	default: {
		/* SNP_LAUNCH_FINISH, no ID block */
		struct sev_data_snp_launch_finish *d = t->buf;

		memset(d, 0, sizeof(*d));
		d->gctx_paddr = pa(t, LT_GCTX);
		break;
	}
	}
	return run(t, cmd);
}

/* SNP up, and a guest context in @state. */
static void snp_guest_in(struct kunit *test, struct launch_test *t,
			 enum lt_snp_state state)
{
	struct sev_data_snp_init_ex *init = t->buf;
	struct sev_data_snp_addr *addr = t->buf;

	t->fw.snp_enabled = true;
	memset(init, 0, sizeof(*init));
	init->init_rmp = 1;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_INIT_EX));
	if (state == LT_SNP_NO_CONTEXT)
		return;
	set_rmp(test, t, LT_GCTX,
		(struct rmp_state){ .assigned = 1, .immutable = 1 });
	addr->address = pa(t, LT_GCTX);
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS, run(t, SEV_CMD_SNP_GCTX_CREATE));
	if (state == LT_SNP_CREATED)
		return;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_cmd(test, t, SEV_CMD_SNP_LAUNCH_START));
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_cmd(test, t, SEV_CMD_SNP_ACTIVATE));
	if (state == LT_SNP_STARTED)
		return;
	KUNIT_ASSERT_EQ(test, SEV_RET_SUCCESS,
			snp_cmd(test, t, SEV_CMD_SNP_LAUNCH_FINISH));
}

static const struct state_row snp_rows[] = {
	{ "no_context_launch_start", LT_SNP_NO_CONTEXT, SEV_CMD_SNP_LAUNCH_START,
	  SEV_RET_INVALID_GUEST },
	{ "no_context_launch_update", LT_SNP_NO_CONTEXT, SEV_CMD_SNP_LAUNCH_UPDATE,
	  SEV_RET_INVALID_GUEST },
	{ "no_context_launch_finish", LT_SNP_NO_CONTEXT, SEV_CMD_SNP_LAUNCH_FINISH,
	  SEV_RET_INVALID_GUEST },
	/* a context: SNP_LAUNCH_START first */
	{ "created_launch_start", LT_SNP_CREATED, SEV_CMD_SNP_LAUNCH_START,
	  SEV_RET_SUCCESS },
	{ "created_activate", LT_SNP_CREATED, SEV_CMD_SNP_ACTIVATE, BAD_STATE },
	{ "created_launch_update", LT_SNP_CREATED, SEV_CMD_SNP_LAUNCH_UPDATE,
	  BAD_STATE },
	{ "created_launch_finish", LT_SNP_CREATED, SEV_CMD_SNP_LAUNCH_FINISH,
	  BAD_STATE },
	/* started: START once; UPDATE and FINISH */
	{ "started_launch_start_again", LT_SNP_STARTED, SEV_CMD_SNP_LAUNCH_START,
	  BAD_STATE },
	{ "started_launch_update", LT_SNP_STARTED, SEV_CMD_SNP_LAUNCH_UPDATE,
	  SEV_RET_SUCCESS },
	{ "started_launch_finish", LT_SNP_STARTED, SEV_CMD_SNP_LAUNCH_FINISH,
	  SEV_RET_SUCCESS },
	/* finished: no launch command, FINISH once */
	{ "finished_launch_start", LT_SNP_FINISHED, SEV_CMD_SNP_LAUNCH_START,
	  BAD_STATE },
	{ "finished_launch_update", LT_SNP_FINISHED, SEV_CMD_SNP_LAUNCH_UPDATE,
	  BAD_STATE },
	{ "finished_launch_finish_again", LT_SNP_FINISHED,
	  SEV_CMD_SNP_LAUNCH_FINISH, BAD_STATE },
};

KUNIT_ARRAY_PARAM(snp_launch_states, snp_rows, state_row_desc);

static void snp_launch_states(struct kunit *test)
{
	const struct state_row *r = test->param_value;
	struct launch_test *t = test->priv;

	snp_guest_in(test, t, r->state);
	KUNIT_EXPECT_EQ(test, r->expected, snp_cmd(test, t, r->cmd));
}

static struct kunit_case sim_fw_launch_states_cases[] = {
	KUNIT_CASE_PARAM(sev_launch_states, sev_launch_states_gen_params),
	KUNIT_CASE(sev_guest_status_follows_the_launch),
	KUNIT_CASE_PARAM(snp_launch_states, snp_launch_states_gen_params),
	{}
};

static struct kunit_suite sim_fw_launch_states_suite = {
	.name = "sim_fw_launch_states",
	.init = launch_test_init,
	.exit = launch_test_exit,
	.test_cases = sim_fw_launch_states_cases,
};

kunit_test_suite(sim_fw_launch_states_suite);
