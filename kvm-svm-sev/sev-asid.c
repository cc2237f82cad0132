// SPDX-License-Identifier: GPL-2.0-only
/*
 * ASIDs of SEV guests.
 *
 * The platform gives the ranges (CPUID 0x8000001F): plain SEV guests have
 * [min_sev_asid, max_sev_asid], SEV-ES and SNP guests [1, min_sev_asid - 1];
 * with ciphertext hiding, SNP guests only the first ciphertext_hiding_asids
 * of those and SEV-ES guests the rest.
 *
 * A freed ASID still has the guest's lines in the caches and the data
 * fabric: it may go to another guest only after a WBINVD on every CPU and
 * then DF_FLUSH (SNP_DF_FLUSH with SNP). Freed ASIDs wait in a reclaim
 * bitmap and are flushed in one batch when allocation runs dry. DEACTIVATE
 * clears the firmware's WBINVD indicator, so it must not run between the
 * WBINVD and the DF_FLUSH: sev_deactivate_lock, shared by DEACTIVATE and
 * SNP_DECOMMISSION, exclusive for the flush.
 */
#include <linux/bitmap.h>
#include <linux/moduleparam.h>
#include <linux/rwsem.h>
#include <linux/slab.h>

#include <sev-psp/api.h>
#include <sev-psp/platform.h>
#include "sev-asid.h"
#include "sev.h"
#include "trace.h"

static unsigned int ciphertext_hiding_asids;
module_param(ciphertext_hiding_asids, uint, 0444);
MODULE_PARM_DESC(ciphertext_hiding_asids, "number of ASIDs (1..N) kept for SNP guests, with ciphertext hiding; 0: none");

static DECLARE_RWSEM(sev_deactivate_lock);
static struct sev_asid_pool sev_asids;

/*
 * @snp_asids: with ciphertext hiding, how many of the SEV-ES ASIDs are
 * SNP's alone (at most all of them, min_sev_asid - 1); 0: none.
 */
int sev_asid_pool_init(struct sev_asid_pool *pool, unsigned int min_sev_asid,
		       unsigned int max_sev_asid, unsigned int snp_asids,
		       int (*flush)(void))
{
	/* SEV without ASIDs for it; as KVM, refuse to set up */
	if (!max_sev_asid || !min_sev_asid || min_sev_asid > max_sev_asid + 1)
		return -ENOTTY;
	if (snp_asids >= min_sev_asid)
		return -EINVAL;

	*pool = (struct sev_asid_pool) {
		.nr_asids = max_sev_asid + 1,
		.min_sev_asid = min_sev_asid,
		.max_sev_asid = max_sev_asid,
		.max_snp_asid = snp_asids,
		.flush = flush,
	};
	mutex_init(&pool->lock);
	pool->used = bitmap_zalloc(pool->nr_asids, GFP_KERNEL);
	pool->reclaim = bitmap_zalloc(pool->nr_asids, GFP_KERNEL);
	if (!pool->used || !pool->reclaim) {
		sev_asid_pool_destroy(pool);
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_asid_pool_init);

void sev_asid_pool_destroy(struct sev_asid_pool *pool)
{
	bitmap_free(pool->used);
	bitmap_free(pool->reclaim);
	pool->used = NULL;
	pool->reclaim = NULL;
	mutex_destroy(&pool->lock);
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_asid_pool_destroy);

/* The ASIDs a VM of @vm_type may have; empty when @min_asid > @max_asid */
void sev_asid_pool_range(const struct sev_asid_pool *pool,
			 unsigned long vm_type, unsigned int *min_asid,
			 unsigned int *max_asid)
{
	if (vm_type == KVM_X86_SEV_VM) {
		*min_asid = pool->min_sev_asid;
		*max_asid = pool->max_sev_asid;
	} else if (vm_type == KVM_X86_SNP_VM && pool->max_snp_asid) {
		*min_asid = 1;
		*max_asid = pool->max_snp_asid;
	} else {
		*min_asid = pool->max_snp_asid + 1;
		*max_asid = pool->min_sev_asid - 1;
	}
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_asid_pool_range);

/* Make the freed ASIDs usable again, if any is in [min, max]. */
static bool sev_asid_pool_recycle(struct sev_asid_pool *pool,
				  unsigned int min_asid, unsigned int max_asid)
{
	if (find_next_bit(pool->reclaim, max_asid + 1, min_asid) > max_asid)
		return false;
	if (pool->flush())
		return false;
	pool->nr_flushes++;
	trace_kvm_sev_asid_flush(bitmap_weight(pool->reclaim, pool->nr_asids));

	/* the reclaimed ones are set in both: clear them in the first */
	bitmap_xor(pool->used, pool->used, pool->reclaim, pool->nr_asids);
	bitmap_zero(pool->reclaim, pool->nr_asids);
	return true;
}

/*
 * An ASID for a VM of @vm_type (KVM_X86_SEV_VM, _SEV_ES_VM or _SNP_VM),
 * or -ENOTTY when the type has no ASIDs, -EBUSY when none is free even
 * after one flush of the freed ones.
 */
int sev_asid_pool_get(struct sev_asid_pool *pool, unsigned long vm_type)
{
	unsigned int min_asid, max_asid, asid;
	bool retry = true;

	sev_asid_pool_range(pool, vm_type, &min_asid, &max_asid);
	if (min_asid > max_asid)
		return -ENOTTY;

	mutex_lock(&pool->lock);
again:
	asid = find_next_zero_bit(pool->used, max_asid + 1, min_asid);
	if (asid > max_asid) {
		if (retry && sev_asid_pool_recycle(pool, min_asid, max_asid)) {
			retry = false;
			goto again;
		}
		mutex_unlock(&pool->lock);
		return -EBUSY;
	}
	__set_bit(asid, pool->used);
	mutex_unlock(&pool->lock);
	return asid;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_asid_pool_get);

/* Freed, not yet reusable: it waits for the next flush. */
void sev_asid_pool_put(struct sev_asid_pool *pool, unsigned int asid)
{
	if (WARN_ON(!asid || asid >= pool->nr_asids))
		return;
	mutex_lock(&pool->lock);
	WARN_ON(!test_bit(asid, pool->used) || test_bit(asid, pool->reclaim));
	__set_bit(asid, pool->reclaim);
	mutex_unlock(&pool->lock);
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_asid_pool_put);

/*
 * WBINVD, then the DF_FLUSH that makes freed ASIDs reusable; called with
 * the pool's lock held.
 */
static int sev_flush_asids(void)
{
	bool snp = sev_psp_snp_initialized();
	int ret, error = 0;

	down_write(&sev_deactivate_lock);
	sev_wbinvd_all();
	if (snp)
		ret = sev_psp_do_cmd(SEV_CMD_SNP_DF_FLUSH, NULL, &error);
	else
		ret = sev_guest_df_flush(&error);
	up_write(&sev_deactivate_lock);

	if (ret)
		pr_err("kvm-sev: %sDF_FLUSH failed, ret=%d, error=%#x\n",
		       snp ? "SNP_" : "", ret, error);
	return ret;
}

int sev_asid_setup(bool snp)
{
	unsigned int snp_asids = ciphertext_hiding_asids;
	u32 min_asid, max_asid;
	int ret;

	ret = sev_platform_asid_range(&min_asid, &max_asid);
	if (ret)
		return ret;
	if (snp_asids && (!snp || snp_asids >= min_asid)) {
		pr_warn("kvm-sev: ciphertext_hiding_asids=%u: not possible with ASIDs 1..%u%s, not using it\n",
			snp_asids, min_asid ? min_asid - 1 : 0,
			snp ? "" : " and no SNP");
		snp_asids = 0;
	}
	return sev_asid_pool_init(&sev_asids, min_asid, max_asid, snp_asids,
				  sev_flush_asids);
}

void sev_asid_teardown(void)
{
	sev_asid_pool_destroy(&sev_asids);
}

void sev_asid_ranges(unsigned int *min_sev, unsigned int *max_sev,
		     unsigned int *max_sev_es)
{
	*min_sev = sev_asids.min_sev_asid;
	*max_sev = sev_asids.max_sev_asid;
	*max_sev_es = sev_asids.min_sev_asid - 1;
}

int sev_asid_new(struct kvm_sev_info *sev, unsigned long vm_type)
{
	int asid = sev_asid_pool_get(&sev_asids, vm_type);

	trace_kvm_sev_asid_alloc(vm_type, asid);
	if (asid < 0)
		return asid;
	sev->asid = asid;
	return 0;
}

void sev_asid_free(struct kvm_sev_info *sev)
{
	if (!sev->asid)
		return;
	trace_kvm_sev_asid_free(sev->asid);
	sev_asid_pool_put(&sev_asids, sev->asid);
	sev->asid = 0;
}

int sev_bind_asid(struct kvm *kvm, unsigned int handle, int *error)
{
	struct sev_data_activate activate = {
		.handle = handle,
		.asid = to_kvm_sev_info(kvm)->asid,
	};

	return sev_guest_activate(&activate, error);
}

/* DEACTIVATE (outside a flush) and DECOMMISSION a guest context. */
void sev_unbind_asid(unsigned int handle)
{
	struct sev_data_decommission decommission = { .handle = handle };
	struct sev_data_deactivate deactivate = { .handle = handle };

	if (!handle)
		return;

	down_read(&sev_deactivate_lock);
	sev_guest_deactivate(&deactivate, NULL);
	up_read(&sev_deactivate_lock);

	sev_guest_decommission(&decommission, NULL);
}

/*
 * SNP_DECOMMISSION of a guest context, kept out of an ASID flush as
 * DEACTIVATE is (it deactivates the context's ASID).
 */
int sev_snp_decommission(u64 gctx_paddr)
{
	struct sev_data_snp_addr data = { .address = gctx_paddr };
	int ret, error = 0;

	down_write(&sev_deactivate_lock);
	ret = sev_psp_do_cmd(SEV_CMD_SNP_DECOMMISSION, &data, &error);
	up_write(&sev_deactivate_lock);
	if (ret)
		pr_err("kvm-sev: SNP_DECOMMISSION failed, ret=%d, error=%#x\n",
		       ret, error);
	return ret;
}
