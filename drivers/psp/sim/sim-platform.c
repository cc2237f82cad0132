// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform under the PSP: what a real host's CPUs give as
 * features and instructions, registered with sev-psp as the platform's
 * sev_platform_ops (include/sev-psp/platform.h), which sev-psp and KVM
 * then use as they would use the hardware:
 *   - whether SNP is enabled (SYSCFG.SNPEn; the "snp" module parameter);
 *   - RMPUPDATE, PSMASH and RMPREAD on the RMP (sim-rmp.c);
 *   - the ASID ranges and the C-bit's position (CPUID 0x8000001F);
 *   - WBINVD on every CPU. The firmware cannot see caches, only that a
 *     WBINVD happened: DF_FLUSH needs one after the last event that left
 *     guest data in them. The model is an epoch every WBINVD advances,
 *     which the firmware compares with its own mark (sim-fw-asid.c).
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "sim.h"

bool sim_snp_enabled = true;
module_param_named(snp, sim_snp_enabled, bool, 0444);
MODULE_PARM_DESC(snp, "the simulated platform has SNP enabled (SYSCFG.SNPEn)");

static atomic64_t sim_wbinvd_epoch = ATOMIC64_INIT(0);

/* WBINVD on every CPU, as the firmware's flush indicator sees it. */
void sim_platform_wbinvd(void)
{
	atomic64_inc(&sim_wbinvd_epoch);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_platform_wbinvd);

/* How many WBINVDs the platform has done: later ones give larger values. */
u64 sim_platform_wbinvd_epoch(void)
{
	return atomic64_read(&sim_wbinvd_epoch);
}

static struct sev_platform_ops sim_platform_ops = {
	.name = "sev-psp-sim",
	.rmpupdate = sim_insn_rmpupdate,
	.psmash = sim_insn_psmash,
	.rmpread = sim_insn_rmpread,
	.wbinvd_all = sim_platform_wbinvd,
	.max_sev_asid = SIM_MAX_ASID,
	.min_sev_asid = SIM_MIN_SEV_ASID,
	.cbit = SIM_CBIT,
};

int sim_platform_init(void)
{
	sim_platform_ops.snp_enabled = sim_snp_enabled;
	return sev_platform_register(&sim_platform_ops);
}

void sim_platform_exit(void)
{
	sev_platform_unregister(&sim_platform_ops);
}
