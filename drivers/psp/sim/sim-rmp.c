// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform's Reverse Map Table: one entry per host page, saying who
 * owns it (hypervisor, firmware, or a guest by ASID and GPA), its page
 * size, and whether it is immutable (only the firmware may change it) or
 * validated (by its guest).
 *
 * Two kinds of callers, as on hardware:
 *   - the host, through the RMPUPDATE, PSMASH and RMPREAD instructions
 *     (sim_insn_*), which sim-platform.c hands to sev-psp and KVM;
 *   - the simulated firmware (sim_rmp_fw_*), which is not bound by the
 *     instructions' rules and reads the table as it needs.
 *
 * The table is sparse: an xarray of the entries that are not all zero.
 * A 2 MiB entry lives at its first pfn and governs the 511 after it.
 * Entries are never changed in place: an update publishes a new one and
 * frees the old after RCU, so the page-free checker (sim-free-check.c) can
 * read the table from any context.
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
 */
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
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
int sim_rmp_fw_add_fixed(u64 pfn, u64 count)
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

/* RMPUPDATE: returns an RMPUPDATE_* code. */
int sim_insn_rmpupdate(u64 pfn, const struct rmp_state *s)
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
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_insn_rmpupdate);

/* PSMASH: split an assigned 2 MiB entry; returns a PSMASH_* code. */
int sim_insn_psmash(u64 pfn)
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
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_insn_psmash);

/* RMPREAD: the entry that governs @pfn, or -EINVAL if it is not memory. */
int sim_insn_rmpread(u64 pfn, struct rmp_state *out)
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
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_insn_rmpread);

/* The firmware's own transitions: RMPUPDATE's rules do not bind it. */
int sim_rmp_fw_set(u64 pfn, const struct rmp_state *s)
{
	int ret;

	mutex_lock(&sim_rmp_lock);
	ret = rmp_set(pfn, s);
	mutex_unlock(&sim_rmp_lock);
	return ret;
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmp_fw_set);

/* The firmware's look-up: a pfn that is not memory reads as all zero. */
void sim_rmp_fw_lookup(u64 pfn, struct rmp_state *out)
{
	if (sim_insn_rmpread(pfn, out))
		memset(out, 0, sizeof(*out));
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_rmp_fw_lookup);

/* Firmware-owned: assigned to the firmware (ASID 0) and immutable. */
bool sim_rmp_is_fw_page(u64 pfn)
{
	struct rmp_state s;

	sim_rmp_fw_lookup(pfn, &s);
	return s.assigned && !s.asid && s.immutable &&
	       s.pagesize == RMP_PG_SIZE_4K;
}

u64 sim_rmp_assigned_count(void)
{
	return atomic_read(&sim_rmp_assigned);
}

/*
 * For the page-free checker, from any context: is the entry that governs
 * @pfn assigned, and if so, what is it?
 */
bool sim_rmp_is_assigned(u64 pfn, struct rmp_state *out)
{
	struct sim_rmp_entry *e;
	bool assigned;
	u64 head;

	rcu_read_lock();
	e = rmp_governing(pfn, &head);
	assigned = e && e->s.assigned;
	if (assigned)
		*out = e->s;
	rcu_read_unlock();
	return assigned;
}

/*
 * The platform goes away: what is left in the table belonged to nobody
 * alive, so every entry and HV_FIXED range is forgotten.
 */
void sim_rmp_exit(void)
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
	sim_rmp_nr_fixed = 0;
	mutex_unlock(&sim_rmp_lock);
	rcu_barrier();
}
