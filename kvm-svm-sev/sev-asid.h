/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A pool of ASIDs: the allocator behind sev_asid_new() and sev_asid_free(),
 * apart from the platform so that its ranges, recycling and exhaustion can
 * be tested with any numbers (tests/kunit/kvm_sev_asid_kunit.c).
 */
#ifndef KVM_SEV_SEV_ASID_H
#define KVM_SEV_SEV_ASID_H

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct sev_asid_pool {
	struct mutex lock;		/* the bitmaps, the counter */
	unsigned long *used;		/* taken, or freed and not flushed */
	unsigned long *reclaim;		/* freed, waiting for a flush */
	unsigned int nr_asids;		/* bits in each: max_sev_asid + 1 */
	unsigned int min_sev_asid;	/* plain SEV: [min_sev, max_sev] */
	unsigned int max_sev_asid;
	unsigned int max_snp_asid;	/* SNP only: [1, max_snp]; 0: none */
	/* WBINVD and DF_FLUSH; 0 when the freed ASIDs are reusable */
	int (*flush)(void);
	unsigned long nr_flushes;	/* flushes that succeeded */
};

int sev_asid_pool_init(struct sev_asid_pool *pool, unsigned int min_sev_asid,
		       unsigned int max_sev_asid, unsigned int snp_asids,
		       int (*flush)(void));
void sev_asid_pool_destroy(struct sev_asid_pool *pool);
void sev_asid_pool_range(const struct sev_asid_pool *pool,
			 unsigned long vm_type, unsigned int *min_asid,
			 unsigned int *max_asid);
int sev_asid_pool_get(struct sev_asid_pool *pool, unsigned long vm_type);
void sev_asid_pool_put(struct sev_asid_pool *pool, unsigned int asid);

#endif /* KVM_SEV_SEV_ASID_H */
