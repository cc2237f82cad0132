// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU's registers on the simulated host: the reset state, what
 * KVM_SET_REGS, KVM_SET_SREGS and KVM_SET_XSAVE accept, and the VMSA page
 * built from them at launch; its CPUID table (KVM_SET_CPUID2), which the
 * guest's CPUID requests are answered from.
 *
 * The VMSA is what the firmware measures, so it is built by KVM's rules
 * and not from the registers as given: upstream's sev_es_sync_vmsa()
 * copies the VMCB save area, where the SVM code has already turned the
 * VMM's values into the hardware's (svm_set_cr0() clears CR0.CD and NW,
 * svm_set_cr4() adds the host's CR4.MCE, svm_set_efer() adds EFER.SVME,
 * svm_set_segment() marks an unusable segment not present). A guest
 * owner predicts the launch digest from QEMU's reset state with these
 * rules (sev-snp-measure does); a simulated host that measured anything
 * else would teach VMM authors the wrong digest.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/svm.h>
#include <asm/tlbflush.h>

#include "host.h"
#include "sev.h"

/* XSAVE features this host gives a guest: x87, SSE, AVX */
#define KVM_HOST_XFEATURES	(XFEATURE_MASK_FP | XFEATURE_MASK_SSE | \
				 XFEATURE_MASK_YMM)
/* The standard (uncompacted) XSAVE layout: header, then AVX's upper halves */
#define XSAVE_HDR_OFFSET_UABI	512
#define XSAVE_YMM_OFFSET_UABI	576
/* Bytes 0-159 of the legacy area: the x87 component (MXCSR included) */
#define XSAVE_X87_SIZE		160
#define MXCSR_FEATURE_MASK	0xffff		/* DAZ and below */

/* CR4 bits an AMD CPU of the supported families implements */
#define KVM_HOST_CR4_BITS	(X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | \
				 X86_CR4_DE | X86_CR4_PSE | X86_CR4_PAE | \
				 X86_CR4_MCE | X86_CR4_PGE | X86_CR4_PCE | \
				 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
				 X86_CR4_UMIP | X86_CR4_LA57 | \
				 X86_CR4_FSGSBASE | X86_CR4_PCIDE | \
				 X86_CR4_OSXSAVE | X86_CR4_SMEP | \
				 X86_CR4_SMAP | X86_CR4_PKE | X86_CR4_CET)
/* APIC base MSR: bits 0-7 and 9 are reserved */
#define APIC_BASE_RSVD		(GENMASK_ULL(7, 0) | BIT_ULL(9))

#define DR6_RESET		0xffff0ff0ULL
#define DR7_RESET		0x400ULL
#define PAT_RESET		0x0007040600070406ULL

/*
 * The architectural reset state (KVM's kvm_vcpu_reset() and the VMCB's);
 * DR6, DR7 and PAT above are KVM's own reset values (arch/x86/kvm, not in
 * a header a module may include).
 */
void kvm_vcpu_reset_regs(struct kvm_host_vcpu *hv)
{
	struct kvm_sregs *s = &hv->sregs;
	struct kvm_segment *seg[] = { &s->ds, &s->es, &s->fs, &s->gs, &s->ss };
	struct fxregs_state *fx = &hv->fpu.fx;
	int i;

	memset(&hv->regs, 0, sizeof(hv->regs));
	memset(s, 0, sizeof(*s));
	hv->regs.rip = 0xfff0;
	hv->regs.rflags = X86_EFLAGS_FIXED;
	hv->regs.rdx = 0x00a00f11;	/* a family 0x19 CPU's signature */

	s->cs = (struct kvm_segment){ .base = 0xffff0000, .limit = 0xffff,
		.selector = 0xf000, .type = 0xb, .present = 1, .s = 1 };
	for (i = 0; i < ARRAY_SIZE(seg); i++)
		*seg[i] = (struct kvm_segment){ .limit = 0xffff, .type = 0x3,
			.present = 1, .s = 1 };
	s->ldt = (struct kvm_segment){ .limit = 0xffff, .type = 0x2,
		.present = 1 };
	s->tr = (struct kvm_segment){ .limit = 0xffff, .type = 0xb,
		.present = 1 };
	s->gdt.limit = 0xffff;
	s->idt.limit = 0xffff;
	s->cr0 = X86_CR0_ET | X86_CR0_NW | X86_CR0_CD;
	s->apic_base = APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE;
	if (!hv->vcpu.vcpu_id)
		s->apic_base |= MSR_IA32_APICBASE_BSP;

	/* a new guest FPU state, as fpstate_init_fx() leaves it */
	memset(&hv->fpu, 0, sizeof(hv->fpu));
	fx->cwd = 0x37f;
	fx->mxcsr = MXCSR_DEFAULT;
	hv->xcr0 = XFEATURE_MASK_FP;
}

/* kvm_is_valid_cr0() */
static bool kvm_valid_cr0(u64 cr0)
{
	if (upper_32_bits(cr0))
		return false;
	if ((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD))
		return false;
	return !((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE));
}

/* kvm_is_valid_sregs(), and the APIC base kvm_set_apic_base() takes */
static bool kvm_valid_sregs(const struct kvm_sregs *s)
{
	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG)) {
		/* 64-bit mode: PAE paging and EFER.LMA */
		if (!(s->cr4 & X86_CR4_PAE) || !(s->efer & EFER_LMA))
			return false;
	} else if ((s->efer & EFER_LMA) || s->cs.l) {
		return false;
	}
	if (s->cr4 & ~(u64)KVM_HOST_CR4_BITS)
		return false;
	if (s->apic_base & APIC_BASE_RSVD)
		return false;
	/* x2APIC mode needs the APIC enabled */
	if ((s->apic_base & X2APIC_ENABLE) &&
	    !(s->apic_base & MSR_IA32_APICBASE_ENABLE))
		return false;
	return kvm_valid_cr0(s->cr0);
}

int kvm_vcpu_set_regs(struct kvm_host_vcpu *hv, const struct kvm_regs *regs)
{
	hv->regs = *regs;
	/* kvm_set_rflags(): bit 1 always reads as one */
	hv->regs.rflags |= X86_EFLAGS_FIXED;
	return 0;
}

int kvm_vcpu_set_sregs(struct kvm_host_vcpu *hv, const struct kvm_sregs *s)
{
	if (!kvm_valid_sregs(s))
		return -EINVAL;
	hv->sregs = *s;
	return 0;
}

/*
 * KVM_SET_XSAVE: a user (standard format) XSAVE image, taken as
 * copy_uabi_to_xstate() takes it. The header is checked first; only the
 * components named in its XSTATE_BV are copied, and the others keep what
 * they held (KVM reads the legacy area whatever XSTATE_BV says).
 */
int kvm_vcpu_set_xsave(struct kvm_host_vcpu *hv, const struct kvm_xsave *x)
{
	const u8 *buf = (const u8 *)x->region;
	struct kvm_host_fpu *fpu = &hv->fpu;
	struct xstate_header hdr;
	u32 mxcsr[2];

	memcpy(&hdr, buf + XSAVE_HDR_OFFSET_UABI, sizeof(hdr));
	if (hdr.xfeatures & ~(u64)KVM_HOST_XFEATURES || hdr.xcomp_bv ||
	    memchr_inv(hdr.reserved, 0, sizeof(hdr.reserved)))
		return -EINVAL;

	memcpy(mxcsr, buf + offsetof(struct fxregs_state, mxcsr),
	       sizeof(mxcsr));
	if (hdr.xfeatures && (mxcsr[0] & ~MXCSR_FEATURE_MASK))
		return -EINVAL;

	if (hdr.xfeatures & XFEATURE_MASK_FP) {
		memcpy(&fpu->fx, buf, XSAVE_X87_SIZE);
	} else if (hdr.xfeatures) {
		/* SSE and AVX use MXCSR even when x87 is not given */
		fpu->fx.mxcsr = mxcsr[0];
		fpu->fx.mxcsr_mask = mxcsr[1];
	}
	if (hdr.xfeatures & XFEATURE_MASK_SSE)
		memcpy(fpu->fx.xmm_space,
		       buf + offsetof(struct fxregs_state, xmm_space),
		       sizeof(fpu->fx.xmm_space));
	if (hdr.xfeatures & XFEATURE_MASK_YMM)
		memcpy(fpu->ymm, buf + XSAVE_YMM_OFFSET_UABI, sizeof(fpu->ymm));
	fpu->xfeatures = hdr.xfeatures;
	return 0;
}

/* svm_set_segment() */
static void vmsa_seg(struct vmcb_seg *v, const struct kvm_segment *s)
{
	v->selector = s->selector;
	v->attrib = (s->type & SVM_SELECTOR_TYPE_MASK) |
		    (s->s & 1) << SVM_SELECTOR_S_SHIFT |
		    (s->dpl & 3) << SVM_SELECTOR_DPL_SHIFT |
		    ((s->present & 1) && !s->unusable) << SVM_SELECTOR_P_SHIFT |
		    (s->avl & 1) << SVM_SELECTOR_AVL_SHIFT |
		    (s->l & 1) << SVM_SELECTOR_L_SHIFT |
		    (s->db & 1) << SVM_SELECTOR_DB_SHIFT |
		    (s->g & 1) << SVM_SELECTOR_G_SHIFT;
	v->limit = s->limit;
	v->base = s->base;
}

/*
 * The FPU part of sev_es_sync_vmsa(), for VMs made with KVM_SEV_INIT2
 * only: a KVM_SEV_ES_INIT VM keeps the zeros older kernels measured.
 */
static void vmsa_sync_fpu(struct sev_es_save_area *save,
			  const struct kvm_host_fpu *fpu)
{
	const struct fxregs_state *fx = &fpu->fx;
	const u8 *st = (const u8 *)fx->st_space;
	int i;

	save->x87_dp = fx->rdp;
	save->mxcsr = fx->mxcsr;
	save->x87_ftw = fx->twd;
	save->x87_fsw = fx->swd;
	save->x87_fcw = fx->cwd;
	save->x87_fop = fx->fop;
	save->x87_rip = fx->rip;
	/*
	 * The VMSA keeps bytes 0-7 of the eight registers together, then
	 * bytes 8-9 of each; FXSAVE gives each register 16 bytes.
	 */
	for (i = 0; i < 8; i++) {
		memcpy(save->fpreg_x87 + i * 8, st + i * 16, 8);
		memcpy(save->fpreg_x87 + 64 + i * 2, st + i * 16 + 8, 2);
	}
	memcpy(save->fpreg_xmm, fx->xmm_space, sizeof(save->fpreg_xmm));
	/* get_xsave_addr() has no AVX state unless XSTATE_BV names it */
	if (fpu->xfeatures & XFEATURE_MASK_YMM)
		memcpy(save->fpreg_ymm, fpu->ymm, sizeof(save->fpreg_ymm));
}

/* The VMSA's initial contents, as KVM's sev_es_sync_vmsa() */
void kvm_host_sync_vmsa(struct kvm_vcpu *vcpu, struct sev_es_save_area *save)
{
	struct kvm_host_vcpu *hv = to_host_vcpu(vcpu);
	const struct kvm_sregs *s = &hv->sregs;
	const struct kvm_regs *r = &hv->regs;

	memset(save, 0, PAGE_SIZE);
	vmsa_seg(&save->es, &s->es);
	vmsa_seg(&save->cs, &s->cs);
	vmsa_seg(&save->ss, &s->ss);
	vmsa_seg(&save->ds, &s->ds);
	vmsa_seg(&save->fs, &s->fs);
	vmsa_seg(&save->gs, &s->gs);
	vmsa_seg(&save->ldtr, &s->ldt);
	vmsa_seg(&save->tr, &s->tr);
	save->cpl = s->ss.dpl & 3;
	save->gdtr.limit = s->gdt.limit;
	save->gdtr.base = s->gdt.base;
	save->idtr.limit = s->idt.limit;
	save->idtr.base = s->idt.base;
	save->efer = s->efer | EFER_SVME;
	/* KVM's default quirk KVM_X86_QUIRK_CD_NW_CLEARED */
	save->cr0 = s->cr0 & ~(X86_CR0_CD | X86_CR0_NW);
	save->cr3 = s->cr3;
	save->cr4 = s->cr4 | (cr4_read_shadow() & X86_CR4_MCE);
	save->dr6 = DR6_RESET;
	save->dr7 = DR7_RESET;
	save->rflags = r->rflags;
	save->rip = r->rip;
	save->rsp = r->rsp;
	save->rax = r->rax;
	save->rbx = r->rbx;
	save->rcx = r->rcx;
	save->rdx = r->rdx;
	save->rbp = r->rbp;
	save->rsi = r->rsi;
	save->rdi = r->rdi;
	save->r8 = r->r8;
	save->r9 = r->r9;
	save->r10 = r->r10;
	save->r11 = r->r11;
	save->r12 = r->r12;
	save->r13 = r->r13;
	save->r14 = r->r14;
	save->r15 = r->r15;
	save->g_pat = PAT_RESET;
	save->xcr0 = hv->xcr0;
	if (vcpu->kvm->vm_type != KVM_X86_DEFAULT_VM)
		vmsa_sync_fpu(save, &hv->fpu);
}

/*
 * KVM_SET_CPUID2: the CPUID table the guest sees, taken as the VMM gives it
 * (KVM's run-time adjustments, such as OSXSAVE or the APIC ID, are not
 * made). Once the vCPU has run, only the same table is accepted, as KVM.
 */
int kvm_vcpu_set_cpuid2(struct kvm_host_vcpu *hv,
			struct kvm_cpuid2 __user *argp)
{
	struct kvm_cpuid_entry2 *e2 = NULL;
	struct kvm_cpuid2 cpuid;
	size_t size;

	if (copy_from_user(&cpuid, argp, sizeof(cpuid)))
		return -EFAULT;
	if (cpuid.nent > KVM_MAX_CPUID_ENTRIES)
		return -E2BIG;

	size = array_size(cpuid.nent, sizeof(*e2));
	if (cpuid.nent) {
		e2 = vmemdup_user(argp->entries, size);
		if (IS_ERR(e2))
			return PTR_ERR(e2);
	}

	if (hv->has_run) {
		int r = 0;

		if (cpuid.nent != hv->cpuid_nent ||
		    (size && memcmp(e2, hv->cpuid_entries, size)))
			r = -EINVAL;
		kvfree(e2);
		return r;
	}

	kvfree(hv->cpuid_entries);
	hv->cpuid_entries = e2;
	hv->cpuid_nent = cpuid.nent;
	return 0;
}

int kvm_vcpu_get_cpuid2(struct kvm_host_vcpu *hv,
			struct kvm_cpuid2 __user *argp)
{
	struct kvm_cpuid2 cpuid;

	if (copy_from_user(&cpuid, argp, sizeof(cpuid)))
		return -EFAULT;
	if (cpuid.nent < hv->cpuid_nent)
		return -E2BIG;
	if (copy_to_user(argp->entries, hv->cpuid_entries,
			 array_size(hv->cpuid_nent, sizeof(*hv->cpuid_entries))))
		return -EFAULT;
	cpuid.nent = hv->cpuid_nent;
	return copy_to_user(argp, &cpuid, sizeof(cpuid)) ? -EFAULT : 0;
}

/*
 * A CPUID leaf as the guest reads it, from KVM_SET_CPUID2's table (KVM's
 * kvm_cpuid() for an AMD guest): the entry of @function whose subleaf is
 * @index, or any subleaf if the index is not significant; zeros if none.
 */
void kvm_host_cpuid(struct kvm_vcpu *vcpu, u32 function, u32 index,
		    u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	struct kvm_host_vcpu *hv = to_host_vcpu(vcpu);
	const struct kvm_cpuid_entry2 *e;
	int i;

	*eax = *ebx = *ecx = *edx = 0;
	for (i = 0; i < hv->cpuid_nent; i++) {
		e = &hv->cpuid_entries[i];
		if (e->function != function ||
		    ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		     e->index != index))
			continue;
		*eax = e->eax;
		*ebx = e->ebx;
		*ecx = e->ecx;
		*edx = e->edx;
		return;
	}
}
