// SPDX-License-Identifier: GPL-2.0
/*
 * What the SEV-ES and SNP launches share: every vCPU's reset state and the
 * VMSA pages KVM builds from it, written out on request; and how a digest
 * is printed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sev-vmm.h"

/* vCPU 0 is the BSP; the others are APs, parked at OVMF's reset block */
struct vmsa *launch_vmsas(const struct launch *l, struct vcpu_state *states)
{
	struct vmsa *v = calloc(l->vcpus, sizeof(*v));
	u64 features = l->vmsa_features;
	unsigned int i;

	if (!v)
		vmm_err("out of memory");
	if (l->type == GUEST_SNP)
		features |= SVM_SEV_FEAT_SNP_ACTIVE;
	for (i = 0; i < l->vcpus; i++) {
		struct vcpu_state st;

		vcpu_reset_state(&st, cpu_signature(l->cpu), i == 0,
				 l->type != GUEST_SEV, l->ovmf->ap_reset_eip);
		vmsa_build(&v[i], &st, features);
		if (states)
			states[i] = st;
	}
	return v;
}

/* vmsaN.bin: the pages the firmware measured, as computed here */
void launch_dump_vmsas(const struct launch *l, const struct vmsa *v)
{
	char name[32];
	unsigned int i;

	for (i = 0; i < l->vcpus; i++) {
		snprintf(name, sizeof(name), "vmsa%u.bin", i);
		save_file(l->dump_vmsa_dir, name, &v[i], sizeof(v[i]));
	}
	vmm_info("VMSA pages written to %s: vmsa0.bin..vmsa%u.bin\n",
		 l->dump_vmsa_dir, l->vcpus - 1);
}

void print_digest(const char *label, const u8 *d, size_t len,
		  const char *note)
{
	char hex[2 * SHA384_LEN + 1];

	hex_string(hex, d, len);
	vmm_info("%-38s %s%s%s\n", label, hex, note ? "  " : "", note ? note : "");
}
