// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU's state at launch, and the VMSA page built from it.
 *
 * The VMM gives KVM the registers QEMU puts at reset (x86_cpu_reset_hold()
 * in target/i386/cpu.c, through KVM_SET_REGS, KVM_SET_SREGS, KVM_SET_XSAVE):
 * real mode at the reset vector, CS 0xf000 based at 0xffff0000, RIP
 * 0xfff0, RDX the CPUID signature, CR0 0x60000010, x87 control word 0x37f,
 * MXCSR 0x1f80, XCR0 1. An SEV-ES or SNP AP starts instead where OVMF's
 * SEV-ES reset block says: CS based at its 64 KiB page, RIP its offset
 * (QEMU's sev_es_set_ap_reset_vector()).
 *
 * KVM turns that state into the VMSA page at LAUNCH_UPDATE_VMSA (SEV-ES)
 * or SNP_LAUNCH_FINISH (SNP), and the firmware measures the page. KVM's
 * sev_es_sync_vmsa() copies the VMCB save area, where the SVM code has
 * already changed the VMM's values: CR0 as svm_set_cr0() leaves it (CD
 * and NW cleared by the default CD_NW_CLEARED quirk), CR4 as
 * svm_set_cr4() leaves it (MCE set, as on every host), EFER.SVME set, an
 * unusable segment not present; DR6, DR7 and PAT at their reset values;
 * and, for a KVM_SEV_INIT2 VM (this tool makes no other kind), the x87
 * and SSE state from KVM_SET_XSAVE. kvm-sev builds the page by the same
 * rules, so the digest here is the one an AMD host with QEMU and KVM
 * gives for the same launch (sev-snp-measure's, VMM type qemu).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sev-vmm.h"

static_assert(sizeof(struct vmsa) == PAGE_SIZE, "VMSA is one page");
static_assert(offsetof(struct vmsa, efer) == 0xd0, "VMSA EFER");
static_assert(offsetof(struct vmsa, cr4) == 0x148, "VMSA CR4");
static_assert(offsetof(struct vmsa, rip) == 0x178, "VMSA RIP");
static_assert(offsetof(struct vmsa, rsp) == 0x1d8, "VMSA RSP");
static_assert(offsetof(struct vmsa, g_pat) == 0x268, "VMSA PAT");
static_assert(offsetof(struct vmsa, rcx) == 0x308, "VMSA RCX");
static_assert(offsetof(struct vmsa, sev_features) == 0x3b0, "VMSA features");
static_assert(offsetof(struct vmsa, xcr0) == 0x3e8, "VMSA XCR0");
static_assert(offsetof(struct vmsa, mxcsr) == 0x408, "VMSA MXCSR");
static_assert(offsetof(struct vmsa, x87_fcw) == 0x410, "VMSA FCW");
static_assert(offsetof(struct vmsa, fpreg_ymm) == 0x570, "VMSA YMM");

#define EFER_SVME	BIT(12)
#define X86_CR0_NW	BIT(29)
#define X86_CR0_CD	BIT(30)
#define X86_CR4_MCE	BIT(6)
#define DR6_RESET	0xffff0ff0ULL
#define DR7_RESET	0x400ULL
#define PAT_RESET	0x0007040600070406ULL
#define APIC_BASE	0xfee00000ULL
#define APIC_ENABLE	BIT(11)
#define APIC_BSP	BIT(8)

static struct kvm_segment seg(u16 selector, u64 base, u8 type, bool s)
{
	return (struct kvm_segment){
		.selector = selector, .base = base, .limit = 0xffff,
		.type = type, .present = 1, .s = s,
	};
}

void vcpu_reset_state(struct vcpu_state *st, u32 signature, bool bsp,
		      bool es, u32 ap_reset_eip)
{
	struct kvm_sregs *s = &st->sregs;
	u64 cs_base = 0xffff0000, rip = 0xfff0;

	memset(st, 0, sizeof(*st));
	if (!bsp && es) {
		cs_base = ap_reset_eip & 0xffff0000;
		rip = ap_reset_eip & 0xffff;
	}
	st->regs.rip = rip;
	st->regs.rflags = 0x2;
	st->regs.rdx = signature;

	/* code: execute/read, accessed; data: read/write, accessed */
	s->cs = seg(0xf000, cs_base, 0xb, true);
	s->ds = seg(0, 0, 0x3, true);
	s->es = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	s->ss = s->ds;
	s->ldt = seg(0, 0, 0x2, false);
	s->tr = seg(0, 0, 0xb, false);
	s->gdt.limit = 0xffff;
	s->idt.limit = 0xffff;
	s->cr0 = 0x60000010;	/* CD, NW, ET */
	s->apic_base = APIC_BASE | APIC_ENABLE | (bsp ? APIC_BSP : 0);

	st->fcw = 0x37f;
	st->mxcsr = 0x1f80;
	st->xcr0 = 1;
}

/* struct kvm_segment into the VMCB's, as KVM's svm_set_segment() */
static void vmsa_seg(struct vmcb_seg *v, const struct kvm_segment *s)
{
	/* an unusable segment is not present */
	bool present = s->present && !s->unusable;

	v->selector = s->selector;
	v->attrib = (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
		    present << 7 | (s->avl & 1) << 8 | (s->l & 1) << 9 |
		    (s->db & 1) << 10 | (s->g & 1) << 11;
	v->limit = s->limit;
	v->base = s->base;
}

void vmsa_build(struct vmsa *v, const struct vcpu_state *st,
		u64 sev_features)
{
	const struct kvm_sregs *s = &st->sregs;
	const struct kvm_regs *r = &st->regs;

	memset(v, 0, sizeof(*v));
	vmsa_seg(&v->es, &s->es);
	vmsa_seg(&v->cs, &s->cs);
	vmsa_seg(&v->ss, &s->ss);
	vmsa_seg(&v->ds, &s->ds);
	vmsa_seg(&v->fs, &s->fs);
	vmsa_seg(&v->gs, &s->gs);
	vmsa_seg(&v->ldtr, &s->ldt);
	vmsa_seg(&v->tr, &s->tr);
	v->gdtr.limit = s->gdt.limit;
	v->gdtr.base = s->gdt.base;
	v->idtr.limit = s->idt.limit;
	v->idtr.base = s->idt.base;
	v->efer = s->efer | EFER_SVME;
	v->cr3 = s->cr3;
	v->cr0 = s->cr0 & ~(X86_CR0_CD | X86_CR0_NW);
	v->cr4 = s->cr4 | X86_CR4_MCE;
	v->dr6 = DR6_RESET;
	v->dr7 = DR7_RESET;
	v->rflags = r->rflags;
	v->rip = r->rip;
	v->rsp = r->rsp;
	v->rax = r->rax;
	v->rbx = r->rbx;
	v->rcx = r->rcx;
	v->rdx = r->rdx;
	v->rbp = r->rbp;
	v->rsi = r->rsi;
	v->rdi = r->rdi;
	v->r8 = r->r8;
	v->r9 = r->r9;
	v->r10 = r->r10;
	v->r11 = r->r11;
	v->r12 = r->r12;
	v->r13 = r->r13;
	v->r14 = r->r14;
	v->r15 = r->r15;
	v->g_pat = PAT_RESET;
	v->xcr0 = st->xcr0;
	/* QEMU's reset FPU: every other x87, SSE and AVX field is zero */
	v->x87_fcw = st->fcw;
	v->mxcsr = st->mxcsr;
	v->sev_features = sev_features;
}
