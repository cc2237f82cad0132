/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The platform below the PSP driver and KVM: what real hardware gives as
 * CPU features and instructions (SNP enabled in SYSCFG, RMPUPDATE, PSMASH,
 * RMPREAD, WBINVD on every CPU), given here by whichever module models the
 * platform, today sev-psp-sim.
 *
 * sev-psp owns the registration point; users call the sev_rmp_* helpers,
 * which answer -ENODEV when no platform with SNP is registered.
 */
#ifndef SEV_PSP_PLATFORM_H
#define SEV_PSP_PLATFORM_H

#include <linux/types.h>

/* RMPUPDATE return codes (AMD APM vol. 3) */
#define RMPUPDATE_SUCCESS		0
#define RMPUPDATE_FAIL_INPUT		1
#define RMPUPDATE_FAIL_PERMISSION	2
#define RMPUPDATE_FAIL_INUSE		3
#define RMPUPDATE_FAIL_OVERLAP		4

/* PSMASH return codes */
#define PSMASH_FAIL_INPUT		1
#define PSMASH_FAIL_PERMISSION		2
#define PSMASH_FAIL_INUSE		3
#define PSMASH_FAIL_BADADDR		4

#define RMP_PG_SIZE_4K			0
#define RMP_PG_SIZE_2M			1
#define RMP_2M_PAGES			512

/*
 * One RMP entry as RMPREAD reports it (and RMPUPDATE takes it). All zero is
 * a hypervisor (shared) page; assigned with ASID 0 and immutable is a
 * firmware page; immutable and not assigned is HV_FIXED.
 */
struct rmp_state {
	u64 gpa;
	u32 asid;
	u8 assigned:1;
	u8 pagesize:1;		/* RMP_PG_SIZE_* */
	u8 immutable:1;
	u8 validated:1;		/* set by the guest (PVALIDATE) */
	u8 vmsa:1;
};

struct sev_platform_ops {
	const char *name;
	bool snp_enabled;	/* SNP and the RMP are enabled (SYSCFG.SNPEn) */
	/* RMPUPDATE: returns an RMPUPDATE_* code */
	int (*rmpupdate)(u64 pfn, const struct rmp_state *state);
	/* PSMASH: split a 2 MiB entry into 512 4 KiB ones; PSMASH_* code */
	int (*psmash)(u64 pfn);
	/* RMPREAD: the entry that governs @pfn; 0 or -EINVAL */
	int (*rmpread)(u64 pfn, struct rmp_state *state);
	/* WBINVD on every CPU, as the firmware's flush indicator sees it */
	void (*wbinvd_all)(void);
	/*
	 * The ASIDs, as CPUID 0x8000001F gives them: ECX the largest an SEV
	 * guest may have, EDX the smallest of a plain SEV guest; SEV-ES and
	 * SNP guests have those below it.
	 */
	u32 max_sev_asid;
	u32 min_sev_asid;
	/* The C-bit's position in a page table entry (CPUID 0x8000001F EBX) */
	u8 cbit;
};

int sev_platform_register(const struct sev_platform_ops *ops);
void sev_platform_unregister(const struct sev_platform_ops *ops);

bool sev_snp_platform_enabled(void);
int sev_rmp_make_private(u64 pfn, u64 gpa, int pagesize, u32 asid,
			 bool immutable);
int sev_rmp_make_shared(u64 pfn, int pagesize);
int sev_rmp_read(u64 pfn, struct rmp_state *state);
int sev_psmash(u64 pfn);
void sev_wbinvd_all(void);
int sev_platform_asid_range(u32 *min_sev_asid, u32 *max_sev_asid);
int sev_platform_cbit(void);

#endif /* SEV_PSP_PLATFORM_H */
