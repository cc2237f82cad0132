// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the platform RMP model (drivers/psp/sim/sim-rmp.c): RMPUPDATE's
 * rules for immutable entries, 2 MiB alignment and 4K/2M overlap, PSMASH,
 * RMPREAD inside a 2 MiB entry; and the checker that catches an assigned
 * page going back to the page allocator (sim-free-check.c).
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "sim.h"

struct rmp_test {
	struct page *page;	/* one naturally aligned 2 MiB block */
	u64 pfn;
};

static int rmp_test_init(struct kunit *test)
{
	struct rmp_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	t->page = alloc_pages(GFP_KERNEL | __GFP_ZERO, get_order(SZ_2M));
	if (!t->page)
		return -ENOMEM;
	t->pfn = page_to_pfn(t->page);
	test->priv = t;
	return 0;
}

/* Every entry back to the hypervisor before the pages are freed. */
static void rmp_test_exit(struct kunit *test)
{
	struct rmp_test *t = test->priv;
	struct rmp_state zero = {};
	u64 i;

	for (i = 0; i < RMP_2M_PAGES; i++)
		sim_rmp_fw_set(t->pfn + i, &zero);
	__free_pages(t->page, get_order(SZ_2M));
}

static struct rmp_state priv(u64 gpa, u32 asid, int size, bool immutable)
{
	return (struct rmp_state){ .gpa = gpa, .asid = asid, .assigned = 1,
				   .pagesize = size, .immutable = immutable };
}

static const struct rmp_state shared4k = { .pagesize = RMP_PG_SIZE_4K };
static const struct rmp_state shared2m = { .pagesize = RMP_PG_SIZE_2M };

static void rmp_private_and_back(struct kunit *test)
{
	struct rmp_test *t = test->priv;
	struct rmp_state s = priv(0x1000, 5, RMP_PG_SIZE_4K, false), r;

	KUNIT_EXPECT_EQ(test, RMPUPDATE_SUCCESS, sim_insn_rmpupdate(t->pfn + 1, &s));
	KUNIT_ASSERT_EQ(test, 0, sim_insn_rmpread(t->pfn + 1, &r));
	KUNIT_EXPECT_EQ(test, 1, (int)r.assigned);
	KUNIT_EXPECT_EQ(test, 5U, r.asid);
	KUNIT_EXPECT_EQ(test, 0x1000ULL, r.gpa);
	KUNIT_EXPECT_EQ(test, RMPUPDATE_SUCCESS,
			sim_insn_rmpupdate(t->pfn + 1, &shared4k));
	KUNIT_ASSERT_EQ(test, 0, sim_insn_rmpread(t->pfn + 1, &r));
	KUNIT_EXPECT_EQ(test, 0, (int)r.assigned);
}

static void rmp_immutable_refuses_hypervisor(struct kunit *test)
{
	struct rmp_test *t = test->priv;
	struct rmp_state fw = priv(0, 0, RMP_PG_SIZE_4K, true);

	KUNIT_ASSERT_EQ(test, RMPUPDATE_SUCCESS, sim_insn_rmpupdate(t->pfn, &fw));
	KUNIT_EXPECT_EQ(test, RMPUPDATE_FAIL_PERMISSION,
			sim_insn_rmpupdate(t->pfn, &shared4k));
	/* nor may a 2 MiB update cover it */
	KUNIT_EXPECT_EQ(test, RMPUPDATE_FAIL_PERMISSION,
			sim_insn_rmpupdate(t->pfn, &shared2m));
	/* the firmware may: that is what SNP_PAGE_RECLAIM does */
	KUNIT_EXPECT_EQ(test, 0, sim_rmp_fw_set(t->pfn, &shared4k));
}

static void rmp_2m_needs_alignment(struct kunit *test)
{
	struct rmp_test *t = test->priv;
	struct rmp_state s = priv(0, 7, RMP_PG_SIZE_2M, false);

	KUNIT_EXPECT_EQ(test, RMPUPDATE_FAIL_INPUT,
			sim_insn_rmpupdate(t->pfn + 1, &s));
	KUNIT_EXPECT_EQ(test, RMPUPDATE_SUCCESS, sim_insn_rmpupdate(t->pfn, &s));
	KUNIT_EXPECT_EQ(test, RMPUPDATE_SUCCESS,
			sim_insn_rmpupdate(t->pfn, &shared2m));
}

static void rmp_4k_inside_2m_overlaps(struct kunit *test)
{
	struct rmp_test *t = test->priv;
	struct rmp_state big = priv(SZ_2M, 7, RMP_PG_SIZE_2M, false);
	struct rmp_state small = priv(0x3000, 7, RMP_PG_SIZE_4K, false);

	KUNIT_ASSERT_EQ(test, RMPUPDATE_SUCCESS, sim_insn_rmpupdate(t->pfn, &big));
	KUNIT_EXPECT_EQ(test, RMPUPDATE_FAIL_OVERLAP,
			sim_insn_rmpupdate(t->pfn + 3, &small));
	KUNIT_EXPECT_EQ(test, RMPUPDATE_FAIL_OVERLAP,
			sim_insn_rmpupdate(t->pfn, &shared4k));
	KUNIT_EXPECT_EQ(test, RMPUPDATE_SUCCESS,
			sim_insn_rmpupdate(t->pfn, &shared2m));
}

static void rmp_2m_over_assigned_4k_overlaps(struct kunit *test)
{
	struct rmp_test *t = test->priv;
	struct rmp_state small = priv(0x3000, 7, RMP_PG_SIZE_4K, false);
	struct rmp_state big = priv(0, 7, RMP_PG_SIZE_2M, false);

	KUNIT_ASSERT_EQ(test, RMPUPDATE_SUCCESS,
			sim_insn_rmpupdate(t->pfn + 300, &small));
	KUNIT_EXPECT_EQ(test, RMPUPDATE_FAIL_OVERLAP,
			sim_insn_rmpupdate(t->pfn, &big));
}

static void rmp_read_inside_2m_offsets_gpa(struct kunit *test)
{
	struct rmp_test *t = test->priv;
	struct rmp_state big = priv(SZ_1G, 9, RMP_PG_SIZE_2M, false), r;

	KUNIT_ASSERT_EQ(test, RMPUPDATE_SUCCESS, sim_insn_rmpupdate(t->pfn, &big));
	KUNIT_ASSERT_EQ(test, 0, sim_insn_rmpread(t->pfn + 17, &r));
	KUNIT_EXPECT_EQ(test, 1, (int)r.assigned);
	KUNIT_EXPECT_EQ(test, RMP_PG_SIZE_2M, (int)r.pagesize);
	KUNIT_EXPECT_EQ(test, (u64)SZ_1G + 17 * PAGE_SIZE, r.gpa);
	KUNIT_EXPECT_EQ(test, 9U, r.asid);
}

static void psmash_splits_and_keeps_validated(struct kunit *test)
{
	struct rmp_test *t = test->priv;
	struct rmp_state big = priv(SZ_1G, 9, RMP_PG_SIZE_2M, false), r;

	big.validated = 1;
	KUNIT_EXPECT_EQ(test, PSMASH_FAIL_INPUT, sim_insn_psmash(t->pfn));
	KUNIT_ASSERT_EQ(test, RMPUPDATE_SUCCESS, sim_insn_rmpupdate(t->pfn, &big));
	KUNIT_EXPECT_EQ(test, PSMASH_FAIL_INPUT, sim_insn_psmash(t->pfn + 1));
	KUNIT_ASSERT_EQ(test, 0, sim_insn_psmash(t->pfn));

	KUNIT_ASSERT_EQ(test, 0, sim_insn_rmpread(t->pfn + 511, &r));
	KUNIT_EXPECT_EQ(test, RMP_PG_SIZE_4K, (int)r.pagesize);
	KUNIT_EXPECT_EQ(test, (u64)SZ_1G + 511 * PAGE_SIZE, r.gpa);
	KUNIT_EXPECT_EQ(test, 1, (int)r.validated);
	KUNIT_EXPECT_EQ(test, 9U, r.asid);

	/* Now one 4 KiB page can change alone. */
	KUNIT_EXPECT_EQ(test, RMPUPDATE_SUCCESS,
			sim_insn_rmpupdate(t->pfn + 5, &shared4k));
	KUNIT_ASSERT_EQ(test, 0, sim_insn_rmpread(t->pfn + 6, &r));
	KUNIT_EXPECT_EQ(test, 1, (int)r.assigned);
}

static void rmp_refuses_non_memory(struct kunit *test)
{
	struct rmp_state s = priv(0, 1, RMP_PG_SIZE_4K, false);

	/* the local APIC's page: not memory the kernel manages */
	KUNIT_EXPECT_EQ(test, RMPUPDATE_FAIL_INPUT,
			sim_insn_rmpupdate(PHYS_PFN(0xfee00000), &s));
}

static void rmp_checker_catches_freeing_an_assigned_page(struct kunit *test)
{
	struct rmp_state s = priv(0x5000, 3, RMP_PG_SIZE_4K, false);
	struct rmp_state zero = {};
	struct page *page = alloc_page(GFP_KERNEL);
	u64 before = sim_free_check_bad_frees(), pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, 0, sim_rmp_fw_set(pfn, &s));
	if (!sim_free_check_expect_bad()) {
		sim_rmp_fw_set(pfn, &zero);
		__free_page(page);
		kunit_skip(test, "no page-free tracepoints in this kernel");
	}
	__free_page(page);
	/* The allocator has it now: back to the hypervisor at once. */
	sim_rmp_fw_set(pfn, &zero);

	KUNIT_EXPECT_EQ(test, before + 1, sim_free_check_bad_frees());
	KUNIT_EXPECT_EQ(test, 0, sim_free_check_expected_left());
}

static struct kunit_case sim_rmp_cases[] = {
	KUNIT_CASE(rmp_private_and_back),
	KUNIT_CASE(rmp_immutable_refuses_hypervisor),
	KUNIT_CASE(rmp_2m_needs_alignment),
	KUNIT_CASE(rmp_4k_inside_2m_overlaps),
	KUNIT_CASE(rmp_2m_over_assigned_4k_overlaps),
	KUNIT_CASE(rmp_read_inside_2m_offsets_gpa),
	KUNIT_CASE(psmash_splits_and_keeps_validated),
	KUNIT_CASE(rmp_refuses_non_memory),
	KUNIT_CASE(rmp_checker_catches_freeing_an_assigned_page),
	{}
};

static struct kunit_suite sim_rmp_suite = {
	.name = "sim_rmp",
	.init = rmp_test_init,
	.exit = rmp_test_exit,
	.test_cases = sim_rmp_cases,
};

kunit_test_suite(sim_rmp_suite);
