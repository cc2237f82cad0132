// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page-free checker: a page the RMP shows as assigned (to the firmware
 * or to a guest) must never reach the page allocator. On hardware the
 * host would crash later, when it touched the page; here a probe on the
 * page-free tracepoints checks every freed page against the RMP and
 * WARNs, which the test runner counts as a failure.
 *
 * The checker's own test announces its bad free first
 * (sim_free_check_expect_bad()), so that one is counted and logged but
 * not WARNed.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/tracepoint.h>

#include "sim.h"

static atomic64_t sim_bad_frees;
static atomic_t sim_bad_frees_expected;	/* announced by a test */
static bool sim_free_checking;		/* the probes are in */

static void sim_check_free(struct page *page, unsigned int order)
{
	u64 pfn = page_to_pfn(page), n = 1ULL << order, i;
	struct rmp_state s;

	/* The common case, and the one the whole host pays for. */
	if (!sim_rmp_assigned_count())
		return;

	for (i = 0; i < n; i++) {
		if (!sim_rmp_is_assigned(pfn + i, &s))
			continue;
		atomic64_inc(&sim_bad_frees);
		if (atomic_add_unless(&sim_bad_frees_expected, -1, 0)) {
			pr_info("sev-psp-sim: RMP: pfn %#llx freed while assigned, as the test expected\n",
				pfn + i);
			break;
		}
		WARN(1, "sev-psp-sim: RMP: pfn %#llx freed while assigned (asid %u, gpa %#llx, %s)\n",
		     pfn + i, s.asid, s.gpa,
		     s.immutable ? "immutable" : "mutable");
		break;
	}
}

static void sim_probe_page_free(void *data, struct page *page,
				unsigned int order)
{
	sim_check_free(page, order);
}

static void sim_probe_page_free_batched(void *data, struct page *page)
{
	sim_check_free(page, 0);
}

u64 sim_free_check_bad_frees(void)
{
	return atomic64_read(&sim_bad_frees);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_free_check_bad_frees);

/*
 * For the checker's own test: the next bad free is expected, so it is
 * counted and logged but not WARNed. Return: false if there is no checker.
 */
bool sim_free_check_expect_bad(void)
{
	if (!sim_free_checking)
		return false;
	atomic_inc(&sim_bad_frees_expected);
	return true;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_free_check_expect_bad);

/* Expected bad frees that did not happen; cleared by the call. */
int sim_free_check_expected_left(void)
{
	return atomic_xchg(&sim_bad_frees_expected, 0);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_free_check_expected_left);

/* The tracepoints are not exported to modules: find them by name. */
static struct tracepoint *tp_page_free, *tp_page_free_batched;

static void sim_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "mm_page_free"))
		tp_page_free = tp;
	else if (!strcmp(tp->name, "mm_page_free_batched"))
		tp_page_free_batched = tp;
}

/* Without the tracepoints the simulator still works, unchecked. */
void sim_free_check_init(void)
{
	int ret;

	for_each_kernel_tracepoint(sim_find_tracepoint, NULL);
	if (!tp_page_free || !tp_page_free_batched) {
		pr_warn("sev-psp-sim: page-free tracepoints not found, no page-free checker\n");
		return;
	}

	ret = tracepoint_probe_register(tp_page_free, sim_probe_page_free,
					NULL);
	if (!ret)
		ret = tracepoint_probe_register(tp_page_free_batched,
						sim_probe_page_free_batched,
						NULL);
	if (ret)
		pr_warn("sev-psp-sim: no page-free checker: %d\n", ret);
	else
		sim_free_checking = true;
}

void sim_free_check_exit(void)
{
	sim_free_checking = false;
	if (tp_page_free)
		tracepoint_probe_unregister(tp_page_free, sim_probe_page_free,
					    NULL);
	if (tp_page_free_batched)
		tracepoint_probe_unregister(tp_page_free_batched,
					    sim_probe_page_free_batched, NULL);
	tracepoint_synchronize_unregister();
}
