// SPDX-License-Identifier: GPL-2.0
/*
 * Named vCPU models, as QEMU's -cpu names them. What a model changes in a
 * launch is its CPUID signature: QEMU puts it in RDX at reset (the value
 * CPUID 1 EAX returns), so it is in every SEV-ES and SNP VMSA and so in
 * the launch digest; sev-snp-measure's --vcpu-type takes the same names
 * for the same reason (its vcpu_types.py, from QEMU's builtin_x86_defs).
 *
 * The SNP CPUID page: QEMU fills it from KVM_GET_CPUID2 of vCPU 0, every
 * leaf QEMU gave KVM for the model. /dev/kvm-sev has no CPUID ioctls, so
 * this tool writes the leaves that identify the model and the memory
 * encryption leaf, with QEMU's values (target/i386/cpu.c for 0x8000001F,
 * target/i386/sev.c for the XSAVE leaves); its feature words are not the
 * model's full set. The page's contents do not enter the launch digest
 * (a CPUID page is measured as zeros), but the firmware checks them.
 */
#include <stdio.h>
#include <string.h>

#include "sev-vmm.h"

static const struct cpu_model cpu_models[] = {
	{ "EPYC", 23, 1, 2, 47, "1st generation EPYC (Naples), QEMU's EPYC-v1" },
	{ "EPYC-v4", 23, 1, 2, 47, "EPYC, version 4 (what SEV guides use)" },
	{ "EPYC-Rome", 23, 49, 0, 47, "2nd generation EPYC" },
	{ "EPYC-Milan", 25, 1, 1, 51, "3rd generation EPYC" },
	{ "EPYC-Genoa", 25, 17, 0, 51, "4th generation EPYC" },
	{ "EPYC-Turin", 26, 0, 0, 51, "5th generation EPYC" },
};

const struct cpu_model *cpu_model_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cpu_models); i++)
		if (!strcmp(cpu_models[i].name, name))
			return &cpu_models[i];
	return NULL;
}

void cpu_model_help(void)
{
	size_t i;

	printf("vCPU models (--cpu):\n");
	for (i = 0; i < ARRAY_SIZE(cpu_models); i++) {
		const struct cpu_model *m = &cpu_models[i];

		printf("  %-11s family %#x model %#x stepping %u, signature %#010x: %s\n",
		       m->name, m->family, m->model, m->stepping,
		       cpu_signature(m), m->what);
	}
}

/* CPUID Fn0000_0001 EAX (AMD's CPUID specification, 25481) */
u32 cpu_signature(const struct cpu_model *m)
{
	u32 base = m->family > 0xf ? 0xf : m->family;
	u32 ext = m->family > 0xf ? m->family - 0xf : 0;

	return (ext & 0xff) << 20 | (m->model >> 4 & 0xf) << 16 |
	       base << 8 | (m->model & 0xf) << 4 | (m->stepping & 0xf);
}

static void cpuid_add(struct snp_cpuid_table *t, u32 leaf, u32 subleaf,
		      u32 eax, u32 ebx, u32 ecx, u32 edx)
{
	struct snp_cpuid_fn *f = &t->fn[t->count++];

	f->eax_in = leaf;
	f->ecx_in = subleaf;
	f->eax = eax;
	f->ebx = ebx;
	f->ecx = ecx;
	f->edx = edx;
	/*
	 * QEMU: guests compute XSAVE sizes from the subleaves, so leaves
	 * 0xD.0 and 0xD.1 carry the legacy area's size for XCR0 = 1.
	 */
	if (leaf == 0xd && subleaf <= 1) {
		f->ebx = 0x240;
		f->xcr0_in = 1;
	}
}

void cpu_build_cpuid_page(const struct cpu_model *m, enum guest_type type,
			  unsigned int vcpus, void *page)
{
	struct snp_cpuid_table *t = page;
	u32 sig = cpu_signature(m);
	/* target/i386/cpu.c, leaf 0x8000001F for a confidential guest */
	u32 mem_enc = BIT(1) | (type != GUEST_SEV ? BIT(3) : 0) |
		      (type == GUEST_SNP ? BIT(4) : 0);
	/* EBX: C-bit position, and 1 for QEMU's reduced-phys-bits */
	u32 mem_enc_ebx = m->cbitpos | 1 << 6;

	memset(page, 0, PAGE_SIZE);
	/* "AuthenticAMD", leaf 0xD the last basic leaf as QEMU's EPYCs */
	cpuid_add(t, 0, 0, 0xd, 0x68747541, 0x444d4163, 0x69746e65);
	/* signature; CLFLUSH size 8 quadwords, logical CPUs; hypervisor */
	cpuid_add(t, 1, 0, sig, 8 << 8 | (vcpus & 0xff) << 16, BIT(31), 0);
	cpuid_add(t, 0xd, 0, 1, 0, 0x240, 0);
	cpuid_add(t, 0xd, 1, 0, 0, 0, 0);
	cpuid_add(t, 0x80000000, 0, 0x8000001f, 0x68747541, 0x444d4163,
		  0x69746e65);
	cpuid_add(t, 0x80000001, 0, sig, 0, 0, 0);
	cpuid_add(t, 0x8000001f, 0, mem_enc, mem_enc_ebx, 0, 0);
}

/* What QEMU's sev_snp_cpuid_report_mismatches() says, as one line each */
void cpu_report_cpuid_changes(const void *given, const void *corrected)
{
	const struct snp_cpuid_table *a = given, *b = corrected;
	u32 i;

	if (a->count != b->count) {
		vmm_info("  CPUID page: entry count %u, the firmware wants %u\n",
			 a->count, b->count);
		return;
	}
	if (a->reserved1 != b->reserved1 || a->reserved2 != b->reserved2)
		vmm_info("  CPUID page: reserved header fields must be zero\n");
	for (i = 0; i < a->count && i < SNP_CPUID_MAX; i++) {
		const struct snp_cpuid_fn *x = &a->fn[i], *y = &b->fn[i];

		if (!memcmp(x, y, sizeof(*x)))
			continue;
		vmm_info("  CPUID function %#x index %#x: given eax %#010x ebx %#010x ecx %#010x edx %#010x\n",
			 x->eax_in, x->ecx_in, x->eax, x->ebx, x->ecx, x->edx);
		vmm_info("    the firmware wants eax %#010x ebx %#010x ecx %#010x edx %#010x%s\n",
			 y->eax, y->ebx, y->ecx, y->edx,
			 x->reserved != y->reserved ? " (reserved field zero)" : "");
	}
}
