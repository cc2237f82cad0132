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
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/slab.h>

#include <sev-psp/api.h>
#include <sev-psp/platform.h>
#include "sev.h"

static unsigned int ciphertext_hiding_asids;
module_param(ciphertext_hiding_asids, uint, 0444);
MODULE_PARM_DESC(ciphertext_hiding_asids, "number of ASIDs (1..N) kept for SNP guests, with ciphertext hiding; 0: none");

static DEFINE_MUTEX(sev_bitmap_lock);
static DECLARE_RWSEM(sev_deactivate_lock);
static unsigned long *sev_asid_bitmap;
static unsigned long *sev_reclaim_asid_bitmap;
static unsigned int min_sev_asid, max_sev_asid, nr_asids;
static unsigned int max_snp_asid;	/* 0: no ciphertext hiding */

void sev_asid_ranges(unsigned int *min_sev, unsigned int *max_sev,
		     unsigned int *max_sev_es)
{
	*min_sev = min_sev_asid;
	*max_sev = max_sev_asid;
	*max_sev_es = min_sev_asid - 1;
}

int sev_asid_setup(bool snp)
{
	u32 min_asid, max_asid;
	int ret;

	ret = sev_platform_asid_range(&min_asid, &max_asid);
	if (ret)
		return ret;
	/* SEV without ASIDs for it; as KVM, refuse to set up */
	if (!max_asid || min_asid > max_asid + 1)
		return -ENOTTY;

	min_sev_asid = min_asid;
	max_sev_asid = max_asid;
	nr_asids = max_asid + 1;
	if (ciphertext_hiding_asids && snp &&
	    ciphertext_hiding_asids < min_sev_asid - 1)
		max_snp_asid = ciphertext_hiding_asids;
	else if (ciphertext_hiding_asids)
		pr_warn("kvm-sev: ciphertext_hiding_asids=%u: not possible with ASIDs 1..%u%s, not using it\n",
			ciphertext_hiding_asids, min_sev_asid - 1,
			snp ? "" : " and no SNP");

	sev_asid_bitmap = bitmap_zalloc(nr_asids, GFP_KERNEL);
	sev_reclaim_asid_bitmap = bitmap_zalloc(nr_asids, GFP_KERNEL);
	if (!sev_asid_bitmap || !sev_reclaim_asid_bitmap) {
		sev_asid_teardown();
		return -ENOMEM;
	}
	return 0;
}

void sev_asid_teardown(void)
{
	bitmap_free(sev_asid_bitmap);
	bitmap_free(sev_reclaim_asid_bitmap);
	sev_asid_bitmap = NULL;
	sev_reclaim_asid_bitmap = NULL;
}

/* WBINVD, then the DF_FLUSH that makes freed ASIDs reusable. */
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

/* Make the freed ASIDs usable again, if any is in [min, max]. */
static bool __sev_recycle_asids(unsigned int min_asid, unsigned int max_asid)
{
	if (find_next_bit(sev_reclaim_asid_bitmap, max_asid + 1, min_asid) >
	    max_asid)
		return false;
	if (sev_flush_asids())
		return false;

	/* the reclaimed ones are set in both: clear them in the first */
	bitmap_xor(sev_asid_bitmap, sev_asid_bitmap, sev_reclaim_asid_bitmap,
		   nr_asids);
	bitmap_zero(sev_reclaim_asid_bitmap, nr_asids);
	return true;
}

static void sev_asid_range(unsigned long vm_type, unsigned int *min_asid,
			   unsigned int *max_asid)
{
	if (vm_type == KVM_X86_SEV_VM) {
		*min_asid = min_sev_asid;
		*max_asid = max_sev_asid;
	} else if (vm_type == KVM_X86_SNP_VM && max_snp_asid) {
		*min_asid = 1;
		*max_asid = max_snp_asid;
	} else {
		*min_asid = max_snp_asid + 1;
		*max_asid = min_sev_asid - 1;
	}
}

/*
 * An ASID for a VM of @vm_type (KVM_X86_SEV_VM, _SEV_ES_VM or _SNP_VM):
 * 0, or -EBUSY when none is free even after recycling.
 */
int sev_asid_new(struct kvm_sev_info *sev, unsigned long vm_type)
{
	unsigned int min_asid, max_asid, asid;
	bool retry = true;

	sev_asid_range(vm_type, &min_asid, &max_asid);
	if (min_asid > max_asid)
		return -ENOTTY;

	mutex_lock(&sev_bitmap_lock);
again:
	asid = find_next_zero_bit(sev_asid_bitmap, max_asid + 1, min_asid);
	if (asid > max_asid) {
		if (retry && __sev_recycle_asids(min_asid, max_asid)) {
			retry = false;
			goto again;
		}
		mutex_unlock(&sev_bitmap_lock);
		return -EBUSY;
	}
	__set_bit(asid, sev_asid_bitmap);
	mutex_unlock(&sev_bitmap_lock);

	sev->asid = asid;
	return 0;
}

/* Freed, not yet reusable: it waits for the next flush. */
void sev_asid_free(struct kvm_sev_info *sev)
{
	if (!sev->asid)
		return;
	mutex_lock(&sev_bitmap_lock);
	__set_bit(sev->asid, sev_reclaim_asid_bitmap);
	mutex_unlock(&sev_bitmap_lock);
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
