// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform's SNP facilities (include/sev-psp/platform.h): registered
 * by the module that models the platform, used by the driver and by KVM.
 *
 * On hardware these are instructions; a failing RMPUPDATE there leaves the
 * entry as it was, and so it does here: callers get -EFAULT (as upstream's
 * rmpupdate() returns) and must not reuse the page as if it were shared.
 */
#include <linux/module.h>
#include <linux/rwsem.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/smp.h>

#include "psp.h"
#include <sev-psp/platform.h>

/* Readers: every call into the ops. Writer: (un)registration. */
static DECLARE_RWSEM(sev_platform_rwsem);
static const struct sev_platform_ops *sev_platform;

int sev_platform_register(const struct sev_platform_ops *ops)
{
	int ret = 0;

	down_write(&sev_platform_rwsem);
	if (sev_platform)
		ret = -EBUSY;
	else
		sev_platform = ops;
	up_write(&sev_platform_rwsem);

	if (!ret)
		pr_info("sev-psp: platform %s, SNP %s\n", ops->name,
			ops->snp_enabled ? "enabled" : "disabled");
	return ret;
}
EXPORT_SYMBOL_NS_GPL(sev_platform_register, SEV_PSP_BACKEND);

void sev_platform_unregister(const struct sev_platform_ops *ops)
{
	down_write(&sev_platform_rwsem);
	if (sev_platform == ops)
		sev_platform = NULL;
	up_write(&sev_platform_rwsem);
}
EXPORT_SYMBOL_NS_GPL(sev_platform_unregister, SEV_PSP_BACKEND);

bool sev_snp_platform_enabled(void)
{
	bool on;

	down_read(&sev_platform_rwsem);
	on = sev_platform && sev_platform->snp_enabled;
	up_read(&sev_platform_rwsem);
	return on;
}
EXPORT_SYMBOL_NS_GPL(sev_snp_platform_enabled, SEV_PSP);

static int sev_rmpupdate(u64 pfn, const struct rmp_state *state)
{
	int rc = -ENODEV;

	down_read(&sev_platform_rwsem);
	if (sev_platform && sev_platform->snp_enabled)
		rc = sev_platform->rmpupdate(pfn, state);
	up_read(&sev_platform_rwsem);

	if (rc > 0) {
		pr_err("sev-psp: RMPUPDATE of pfn %#llx failed: %d\n", pfn, rc);
		return -EFAULT;
	}
	return rc;
}

int sev_rmp_make_private(u64 pfn, u64 gpa, int pagesize, u32 asid,
			 bool immutable)
{
	struct rmp_state state = {
		.gpa = gpa,
		.asid = asid,
		.assigned = 1,
		.pagesize = pagesize,
		.immutable = immutable,
	};

	return sev_rmpupdate(pfn, &state);
}
EXPORT_SYMBOL_NS_GPL(sev_rmp_make_private, SEV_PSP);

int sev_rmp_make_shared(u64 pfn, int pagesize)
{
	struct rmp_state state = { .pagesize = pagesize };

	return sev_rmpupdate(pfn, &state);
}
EXPORT_SYMBOL_NS_GPL(sev_rmp_make_shared, SEV_PSP);

int sev_rmp_read(u64 pfn, struct rmp_state *state)
{
	int rc = -ENODEV;

	down_read(&sev_platform_rwsem);
	if (sev_platform && sev_platform->snp_enabled)
		rc = sev_platform->rmpread(pfn, state);
	up_read(&sev_platform_rwsem);
	return rc;
}
EXPORT_SYMBOL_NS_GPL(sev_rmp_read, SEV_PSP);

int sev_psmash(u64 pfn)
{
	int rc = -ENODEV;

	down_read(&sev_platform_rwsem);
	if (sev_platform && sev_platform->snp_enabled)
		rc = sev_platform->psmash(pfn);
	up_read(&sev_platform_rwsem);
	return rc > 0 ? -EFAULT : rc;
}
EXPORT_SYMBOL_NS_GPL(sev_psmash, SEV_PSP);

/*
 * WBINVD on all CPUs. The platform model, if any, records it for the
 * firmware's flush checks; the caches are flushed for real either way.
 */
void sev_wbinvd_all(void)
{
	down_read(&sev_platform_rwsem);
	if (sev_platform && sev_platform->wbinvd_all)
		sev_platform->wbinvd_all();
	up_read(&sev_platform_rwsem);
	wbinvd_on_all_cpus();
}
EXPORT_SYMBOL_NS_GPL(sev_wbinvd_all, SEV_PSP);

/**
 * sev_platform_asid_range() - the ASIDs SEV guests may have
 * @min_sev_asid: the smallest ASID of a plain SEV guest (CPUID 0x8000001F
 *		  EDX); SEV-ES and SNP guests have 1 to @min_sev_asid - 1
 * @max_sev_asid: the largest ASID of any SEV guest (ECX)
 *
 * A registered platform model answers for the CPU; else the CPU's CPUID.
 * Return: 0, or -ENODEV when the CPU has no SEV.
 */
int sev_platform_asid_range(u32 *min_sev_asid, u32 *max_sev_asid)
{
	int rc = 0;

	down_read(&sev_platform_rwsem);
	if (sev_platform) {
		*min_sev_asid = sev_platform->min_sev_asid;
		*max_sev_asid = sev_platform->max_sev_asid;
	} else if (boot_cpu_has(X86_FEATURE_SEV)) {
		*min_sev_asid = cpuid_edx(0x8000001f);
		*max_sev_asid = cpuid_ecx(0x8000001f);
	} else {
		rc = -ENODEV;
	}
	up_read(&sev_platform_rwsem);
	return rc;
}
EXPORT_SYMBOL_NS_GPL(sev_platform_asid_range, SEV_PSP);

/**
 * sev_platform_cbit() - where the C-bit is in a guest's page table entries
 *
 * A registered platform model answers for the CPU; else the CPU's CPUID
 * 0x8000001F EBX[5:0], which the GHCB's SEV information tells the guest.
 * Return: the bit's position, or -ENODEV when the CPU has no SEV.
 */
int sev_platform_cbit(void)
{
	int cbit = -ENODEV;

	down_read(&sev_platform_rwsem);
	if (sev_platform)
		cbit = sev_platform->cbit;
	else if (boot_cpu_has(X86_FEATURE_SEV))
		cbit = cpuid_ebx(0x8000001f) & 0x3f;
	up_read(&sev_platform_rwsem);
	return cbit;
}
EXPORT_SYMBOL_NS_GPL(sev_platform_cbit, SEV_PSP);
