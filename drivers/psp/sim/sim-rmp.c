// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform's Reverse Map Table: one entry per host page, saying who
 * owns it (hypervisor, firmware, or a guest by ASID and GPA), its page
 * size, and whether it is immutable (only the firmware may change it) or
 * validated (by its guest).
 *
 * The table is sparse: an xarray of the entries that are not all zero.
 * A 2 MiB entry lives at its first pfn and governs the 511 after it.
 * Entries are never changed in place: an update publishes a new one and
 * frees the old after RCU, so the page-free checker can read the table from
 * any context.
 *
 * Rules, as RMPUPDATE and PSMASH have them:
 *   - an immutable entry (firmware page, HV_FIXED range) cannot be changed
 *     by the hypervisor: FAIL_PERMISSION;
 *   - a 4 KiB update inside an assigned 2 MiB entry, or a 2 MiB update
 *     over assigned 4 KiB entries: FAIL_OVERLAP (PSMASH first);
 *   - a 2 MiB update of an unaligned pfn, or of a pfn that is not memory:
 *     FAIL_INPUT;
 *   - PSMASH needs an assigned 2 MiB entry at an aligned pfn and keeps
 *     each page's GPA, ASID and validated bit.
 * Firmware transitions (sim_rmp_fw_set) are not bound by these rules.
 *
 * A page the RMP shows as assigned must never reach the page allocator:
 * a probe on the page-free tracepoints checks every freed page and WARNs,
 * which the test runner counts as a failure (on hardware it would be a
 * host crash later). The checker's own test announces its bad free first.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/xarray.h>

#include "sim.h"

struct sim_rmp_entry {
	struct rmp_state s;
	struct rcu_head rcu;
};

static DEFINE_XARRAY(sim_rmp);

/*
 * HV_FIXED ranges (immutable, not assigned), from SNP_INIT_EX's range list:
 * kept as ranges, since they can be large, and irreversible until the
 * platform goes away.
 */
#define SIM_RMP_FIXED_MAX	512
static struct { u64 pfn, count; } sim_rmp_fixed[SIM_RMP_FIXED_MAX];
static unsigned int sim_rmp_nr_fixed;
static DEFINE_MUTEX(sim_rmp_lock);	/* serialises updates */
static atomic_t sim_rmp_assigned;	/* assigned entries, for the checker */
static atomic64_t sim_rmp_bad_frees;
static atomic_t sim_rmp_bad_frees_expected;	/* announced by a test */
static bool sim_rmp_checking;			/* the probes are in */

static bool rmp_state_is_zero(const struct rmp_state *s)
{
	return !s->assigned && !s->immutable && !s->asid && !s->gpa &&
	       !s->validated && !s->vmsa;
}

static struct sim_rmp_entry *rmp_get(u64 pfn)
{
	return xa_load(&sim_rmp, pfn);
}

/* The entry that governs @pfn: its own, or a 2 MiB one covering it. */
static struct sim_rmp_entry *rmp_governing(u64 pfn, u64 *head)
{
	struct sim_rmp_entry *e = rmp_get(pfn);

	*head = pfn;
	if (e)
		return e;
	*head = ALIGN_DOWN(pfn, RMP_2M_PAGES);
	e = rmp_get(*head);
	if (e && e->s.pagesize == RMP_PG_SIZE_2M)
		return e;
	*head = pfn;
	return NULL;
}

/*
 * The real RMP is a table reserved at boot: an update never fails for want
 * of memory, so the model's small allocations here may not fail either
 * (fault injection in the caller's task included).
 */
#define SIM_RMP_GFP	(GFP_KERNEL | __GFP_NOFAIL)

static int rmp_set(u64 pfn, const struct rmp_state *s)
{
	struct sim_rmp_entry *old, *new = NULL;

	lockdep_assert_held(&sim_rmp_lock);

	if (!rmp_state_is_zero(s)) {
		new = kzalloc(sizeof(*new), SIM_RMP_GFP);
		new->s = *s;
	}

	old = new ? xa_store(&sim_rmp, pfn, new, SIM_RMP_GFP) :
		    xa_erase(&sim_rmp, pfn);
	if (xa_is_err(old)) {
		kfree(new);
		return xa_err(old);
	}
	if (new && new->s.assigned)
		atomic_inc(&sim_rmp_assigned);
	if (old) {
		if (old->s.assigned)
			atomic_dec(&sim_rmp_assigned);
		kfree_rcu(old, rcu);
	}
	return 0;
}

static bool rmp_pfn_is_ram(u64 pfn)
{
	return pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn));
}

static bool rmp_pfn_is_fixed(u64 pfn, u64 npages)
{
	unsigned int i;

	lockdep_assert_held(&sim_rmp_lock);
	for (i = 0; i < sim_rmp_nr_fixed; i++)
		if (pfn < sim_rmp_fixed[i].pfn + sim_rmp_fixed[i].count &&
		    sim_rmp_fixed[i].pfn < pfn + npages)
			return true;
	return false;
}

/* Make [pfn, pfn + count) HV_FIXED; merges with what is there. */
int sim_rmp_add_fixed(u64 pfn, u64 count)
{
	int ret = 0;

	mutex_lock(&sim_rmp_lock);
	if (rmp_pfn_is_fixed(pfn, count))
		goto out_unlock;	/* a later SNP_INIT_EX lists them again */
	if (sim_rmp_nr_fixed == SIM_RMP_FIXED_MAX) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	sim_rmp_fixed[sim_rmp_nr_fixed].pfn = pfn;
	sim_rmp_fixed[sim_rmp_nr_fixed].count = count;
	sim_rmp_nr_fixed++;
out_unlock:
	mutex_unlock(&sim_rmp_lock);
	return ret;
}

int sim_rmpupdate(u64 pfn, const struct rmp_state *s)
{
	struct sim_rmp_entry *cur;
	u64 head, i;
	int rc;

	if (!rmp_pfn_is_ram(pfn) || s->pagesize > RMP_PG_SIZE_2M)
		return RMPUPDATE_FAIL_INPUT;
	if (s->pagesize == RMP_PG_SIZE_2M &&
	    (!IS_ALIGNED(pfn, RMP_2M_PAGES) ||
	     !rmp_pfn_is_ram(pfn + RMP_2M_PAGES - 1)))
		return RMPUPDATE_FAIL_INPUT;

	mutex_lock(&sim_rmp_lock);

	cur = rmp_governing(pfn, &head);
	if ((cur && cur->s.immutable) ||
	    rmp_pfn_is_fixed(pfn, s->pagesize ? RMP_2M_PAGES : 1)) {
		rc = RMPUPDATE_FAIL_PERMISSION;
		goto out_unlock;
	}
	/* A 4 KiB change inside an assigned 2 MiB entry needs PSMASH first. */
	if (cur && cur->s.pagesize == RMP_PG_SIZE_2M && cur->s.assigned &&
	    s->pagesize == RMP_PG_SIZE_4K) {
		rc = RMPUPDATE_FAIL_OVERLAP;
		goto out_unlock;
	}
	if (s->pagesize == RMP_PG_SIZE_2M) {
		for (i = 1; i < RMP_2M_PAGES; i++) {
			struct sim_rmp_entry *e = rmp_get(pfn + i);

			if (e && e->s.immutable) {
				rc = RMPUPDATE_FAIL_PERMISSION;
				goto out_unlock;
			}
			if (e && e->s.assigned) {
				rc = RMPUPDATE_FAIL_OVERLAP;
				goto out_unlock;
			}
		}
	}

	rc = rmp_set(pfn, s) ? RMPUPDATE_FAIL_INUSE : RMPUPDATE_SUCCESS;

out_unlock:
	mutex_unlock(&sim_rmp_lock);
	return rc;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmpupdate);

int sim_psmash(u64 pfn)
{
	struct sim_rmp_entry *e;
	struct rmp_state s;
	int rc = 0;
	u64 i;

	if (!IS_ALIGNED(pfn, RMP_2M_PAGES) || !rmp_pfn_is_ram(pfn))
		return PSMASH_FAIL_INPUT;

	mutex_lock(&sim_rmp_lock);
	e = rmp_get(pfn);
	if (!e || e->s.pagesize != RMP_PG_SIZE_2M || !e->s.assigned) {
		rc = PSMASH_FAIL_INPUT;
		goto out_unlock;
	}
	s = e->s;
	s.pagesize = RMP_PG_SIZE_4K;
	/* Tail entries first, so the 2 MiB entry governs until it is split. */
	for (i = RMP_2M_PAGES - 1; i < RMP_2M_PAGES; i--) {
		struct rmp_state t = s;

		t.gpa = s.gpa + i * PAGE_SIZE;
		t.vmsa = i ? 0 : s.vmsa;
		if (rmp_set(pfn + i, &t)) {
			rc = PSMASH_FAIL_INUSE;
			break;
		}
	}
out_unlock:
	mutex_unlock(&sim_rmp_lock);
	return rc;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_psmash);

int sim_rmpread(u64 pfn, struct rmp_state *out)
{
	struct sim_rmp_entry *e;
	u64 head;

	if (!pfn_valid(pfn))
		return -EINVAL;

	rcu_read_lock();
	e = rmp_governing(pfn, &head);
	if (e) {
		*out = e->s;
		if (head != pfn)
			out->gpa += (pfn - head) * PAGE_SIZE;
	} else {
		memset(out, 0, sizeof(*out));
	}
	rcu_read_unlock();

	if (!e) {
		mutex_lock(&sim_rmp_lock);
		out->immutable = rmp_pfn_is_fixed(pfn, 1);
		mutex_unlock(&sim_rmp_lock);
	}
	return 0;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmpread);

/* Firmware-side transitions: the firmware is not bound by RMPUPDATE rules. */
int sim_rmp_fw_set(u64 pfn, const struct rmp_state *s)
{
	int ret;

	mutex_lock(&sim_rmp_lock);
	ret = rmp_set(pfn, s);
	mutex_unlock(&sim_rmp_lock);
	return ret;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmp_fw_set);

void sim_rmp_read(u64 pfn, struct rmp_state *out)
{
	if (sim_rmpread(pfn, out))
		memset(out, 0, sizeof(*out));
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmp_read);

/* Firmware-owned: assigned to the firmware (ASID 0) and immutable. */
bool sim_rmp_is_fw_page(u64 pfn)
{
	struct rmp_state s;

	sim_rmp_read(pfn, &s);
	return s.assigned && !s.asid && s.immutable &&
	       s.pagesize == RMP_PG_SIZE_4K;
}

/* SNP_INIT_EX with init_rmp: every entry back to hypervisor-owned. */
void sim_rmp_clear(void)
{
	struct sim_rmp_entry *e;
	unsigned long pfn;

	mutex_lock(&sim_rmp_lock);
	xa_for_each(&sim_rmp, pfn, e) {
		xa_erase(&sim_rmp, pfn);
		if (e->s.assigned)
			atomic_dec(&sim_rmp_assigned);
		kfree_rcu(e, rcu);
	}
	mutex_unlock(&sim_rmp_lock);
}

u64 sim_rmp_assigned_count(void)
{
	return atomic_read(&sim_rmp_assigned);
}

u64 sim_rmp_bad_free_count(void)
{
	return atomic64_read(&sim_rmp_bad_frees);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmp_bad_free_count);

/*
 * For the checker's own test: the next bad free is expected, so it is
 * counted and logged but not WARNed. Return: false if there is no checker.
 */
bool sim_rmp_expect_bad_free(void)
{
	if (!sim_rmp_checking)
		return false;
	atomic_inc(&sim_rmp_bad_frees_expected);
	return true;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmp_expect_bad_free);

/* Expected bad frees that did not happen; cleared by the call. */
int sim_rmp_expected_bad_frees_left(void)
{
	return atomic_xchg(&sim_rmp_bad_frees_expected, 0);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmp_expected_bad_frees_left);

/* The firmware's WBINVD indicator: every flush advances the epoch. */
static void sim_wbinvd_all(void)
{
	atomic64_inc(&sim_wbinvd_epoch);
}

bool sim_snp_enabled = true;
module_param_named(snp, sim_snp_enabled, bool, 0444);
MODULE_PARM_DESC(snp, "the simulated platform has SNP enabled (SYSCFG.SNPEn)");

static struct sev_platform_ops sim_platform_ops = {
	.name = "sev-psp-sim",
	.rmpupdate = sim_rmpupdate,
	.psmash = sim_psmash,
	.rmpread = sim_rmpread,
	.wbinvd_all = sim_wbinvd_all,
};

/* Page-free checker */

static void sim_rmp_check_free(struct page *page, unsigned int order)
{
	u64 pfn = page_to_pfn(page), n = 1ULL << order, i, head;
	struct sim_rmp_entry *e;

	if (!atomic_read(&sim_rmp_assigned))
		return;

	rcu_read_lock();
	for (i = 0; i < n; i++) {
		e = rmp_governing(pfn + i, &head);
		if (e && e->s.assigned) {
			atomic64_inc(&sim_rmp_bad_frees);
			if (atomic_add_unless(&sim_rmp_bad_frees_expected, -1, 0)) {
				pr_info("sev-psp-sim: RMP: pfn %#llx freed while assigned, as the test expected\n",
					pfn + i);
				break;
			}
			WARN(1, "sev-psp-sim: RMP: pfn %#llx freed while assigned (asid %u, gpa %#llx, %s)\n",
			     pfn + i, e->s.asid, e->s.gpa,
			     e->s.immutable ? "immutable" : "mutable");
			break;
		}
	}
	rcu_read_unlock();
}

static void sim_probe_page_free(void *data, struct page *page,
				unsigned int order)
{
	sim_rmp_check_free(page, order);
}

static void sim_probe_page_free_batched(void *data, struct page *page)
{
	sim_rmp_check_free(page, 0);
}

static struct tracepoint *tp_page_free, *tp_page_free_batched;

static void sim_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "mm_page_free"))
		tp_page_free = tp;
	else if (!strcmp(tp->name, "mm_page_free_batched"))
		tp_page_free_batched = tp;
}

int sim_rmp_init(void)
{
	int ret;

	for_each_kernel_tracepoint(sim_find_tracepoint, NULL);
	if (tp_page_free && tp_page_free_batched) {
		ret = tracepoint_probe_register(tp_page_free,
						sim_probe_page_free, NULL);
		if (!ret)
			ret = tracepoint_probe_register(tp_page_free_batched,
							sim_probe_page_free_batched,
							NULL);
		if (ret)
			pr_warn("sev-psp-sim: no page-free checker: %d\n", ret);
		else
			sim_rmp_checking = true;
	} else {
		pr_warn("sev-psp-sim: page-free tracepoints not found, no page-free checker\n");
	}

	sim_platform_ops.snp_enabled = sim_snp_enabled;
	ret = sev_platform_register(&sim_platform_ops);
	if (ret)
		sim_rmp_exit_probes();
	return ret;
}

void sim_rmp_exit_probes(void)
{
	sim_rmp_checking = false;
	if (tp_page_free)
		tracepoint_probe_unregister(tp_page_free, sim_probe_page_free,
					    NULL);
	if (tp_page_free_batched)
		tracepoint_probe_unregister(tp_page_free_batched,
					    sim_probe_page_free_batched, NULL);
	tracepoint_synchronize_unregister();
}

void sim_rmp_exit(void)
{
	sev_platform_unregister(&sim_platform_ops);
	sim_rmp_exit_probes();
	/* What is left belonged to nobody alive: forget it. */
	sim_rmp_clear();
	sim_rmp_nr_fixed = 0;
	rcu_barrier();
}
