// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the driver's initialisation policy (drivers/psp/sev-init.c), as a
 * table of every platform state and caller: SNP on or off on the platform,
 * SNP and SEV already up or not, called from probe or for a guest, with
 * psp_init_on_probe on or off; and when firmware hot-load is allowed.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "fake_psp.h"

#define SNP	SEV_INIT_STEP_SNP
#define SEV	SEV_INIT_STEP_SEV
#define PROBE	SEV_INIT_PROBE
#define FOR_SEV	SEV_INIT_FOR_SEV
#define FOR_SNP	SEV_INIT_FOR_SNP

struct plan_case {
	bool snp_platform, snp_up, sev_up;
	enum sev_init_reason reason;
	bool init_on_probe;
	unsigned int steps;
};

static const struct plan_case plan_cases[] = {
	/* SNP platform: SNP always first, SEV as the caller asks */
	{ true,  false, false, PROBE,   true,  SNP | SEV },
	{ true,  false, false, PROBE,   false, SNP },	/* keep DLFW_EX open */
	{ true,  false, false, FOR_SEV, true,  SNP | SEV },
	{ true,  false, false, FOR_SEV, false, SNP | SEV },	/* a guest */
	{ true,  true,  false, PROBE,   true,  SEV },
	{ true,  true,  false, PROBE,   false, 0 },
	{ true,  true,  false, FOR_SEV, false, SEV },
	{ true,  true,  true,  FOR_SEV, true,  0 },
	{ true,  true,  true,  PROBE,   false, 0 },
	/* SEV up without SNP (came up while SNP was off): SNP never after */
	{ true,  false, true,  FOR_SEV, true,  0 },
	/* no SNP on the platform: SNP skipped */
	{ false, false, false, PROBE,   true,  SEV },
	{ false, false, false, PROBE,   false, 0 },
	{ false, false, false, FOR_SEV, false, SEV },
	{ false, false, true,  FOR_SEV, true,  0 },
	/* a command that needs SNP only: never SEV INIT */
	{ true,  false, false, FOR_SNP, true,  SNP },
	{ true,  false, false, FOR_SNP, false, SNP },
	{ true,  true,  false, FOR_SNP, true,  0 },
	{ true,  false, true,  FOR_SNP, true,  0 },	/* too late for SNP */
	{ false, false, false, FOR_SNP, true,  0 },	/* no SNP to bring up */
};

static const char * const reason_names[] = {
	[SEV_INIT_PROBE] = "probe",
	[SEV_INIT_FOR_SEV] = "for_sev",
	[SEV_INIT_FOR_SNP] = "for_snp",
};

static void plan_desc(const struct plan_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "platform snp=%d snp_up=%d sev_up=%d %s on_probe=%d",
		 c->snp_platform, c->snp_up, c->sev_up,
		 reason_names[c->reason], c->init_on_probe);
}

KUNIT_ARRAY_PARAM(plan, plan_cases, plan_desc);

static void init_plan_follows_firmware_rules(struct kunit *test)
{
	const struct plan_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, c->steps,
			sev_init_plan(c->snp_platform, c->snp_up, c->sev_up,
				      c->reason, c->init_on_probe));
}

/* Whatever the state, the plan never asks for what the firmware refuses. */
static void init_plan_never_breaks_the_order(struct kunit *test)
{
	unsigned int bits, steps;

	for (bits = 0; bits < 48; bits++) {
		bool snp_platform = bits & 1, snp_up = bits & 2;
		bool sev_up = bits & 4, on_probe = bits & 8;
		enum sev_init_reason reason = bits >> 4;

		steps = sev_init_plan(snp_platform, snp_up, sev_up, reason,
				      on_probe);
		/* SNP_INIT never after SEV INIT, never without SNPEn */
		if (steps & SNP)
			KUNIT_EXPECT_TRUE(test, snp_platform && !sev_up && !snp_up);
		/* SEV INIT on an SNP platform only with SNP up or coming */
		if ((steps & SEV) && snp_platform)
			KUNIT_EXPECT_TRUE(test, snp_up || (steps & SNP));
		/* nothing is initialised twice */
		if (sev_up)
			KUNIT_EXPECT_FALSE(test, steps & SEV);
		/* a command that needs SNP does not bring SEV up */
		if (reason == SEV_INIT_FOR_SNP)
			KUNIT_EXPECT_FALSE(test, steps & SEV);
	}
}

static void firmware_hotload_needs_sev_down(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, sev_dlfw_ex_allowed(false, 0));
	KUNIT_EXPECT_FALSE(test, sev_dlfw_ex_allowed(true, 0));
	KUNIT_EXPECT_FALSE(test, sev_dlfw_ex_allowed(false, 1));
}

static struct kunit_case sev_init_cases[] = {
	KUNIT_CASE_PARAM(init_plan_follows_firmware_rules, plan_gen_params),
	KUNIT_CASE(init_plan_never_breaks_the_order),
	KUNIT_CASE(firmware_hotload_needs_sev_down),
	{}
};

static struct kunit_suite sev_init_suite = {
	.name = "sev_init_policy",
	.test_cases = sev_init_cases,
};

kunit_test_suite(sev_init_suite);
