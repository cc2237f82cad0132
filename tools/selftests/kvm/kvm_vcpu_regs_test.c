// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU's registers on /dev/kvm-sev, as KVM takes them: the reset state
 * KVM_GET_SREGS and KVM_GET_REGS show, the KVM_SET_SREGS states KVM's
 * kvm_is_valid_sregs() refuses, RFLAGS bit 1 forced on, and the XSAVE
 * headers copy_uabi_to_xstate() refuses. These registers become the VMSA
 * the firmware measures (sev_vmm_test.sh checks that page).
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define X86_CR0_PE		BIT(0)
#define X86_CR0_ET		BIT(4)
#define X86_CR0_NW		BIT(29)
#define X86_CR0_CD		BIT(30)
#define X86_CR0_PG		BIT(31)
#define X86_CR4_PAE		BIT(5)
#define X86_CR4_VMXE		BIT(13)
#define EFER_LME		BIT(8)
#define EFER_LMA		BIT(10)
#define APIC_BASE_BSP		BIT(8)
#define APIC_BASE_EXTD		BIT(10)
#define APIC_BASE_EN		BIT(11)

/* The XSAVE image's header: XSTATE_BV, XCOMP_BV, reserved (u32 indices) */
#define XSAVE_XSTATE_BV		(512 / 4)
#define XSAVE_XCOMP_BV_HI	(524 / 4)
#define XSAVE_HDR_RESERVED	(528 / 4)
#define XSAVE_MXCSR		(24 / 4)
#define XFEATURE_FP_SSE		0x3
#define XFEATURE_AVX512_OPMASK	BIT(5)

FIXTURE(vcpu) {
	int kvm_fd;
	int vm;
	int vcpu;
	struct kvm_sregs reset;
};

FIXTURE_SETUP(vcpu)
{
	self->kvm_fd = kvm_sev_open();
	ASSERT_LE(0, self->kvm_fd) TH_LOG("open /dev/kvm-sev: %d", self->kvm_fd);
	self->vm = kvm_create_vm(self->kvm_fd, KVM_X86_DEFAULT_VM);
	ASSERT_LE(0, self->vm);
	self->vcpu = kvm_create_vcpu(self->vm, 0);
	ASSERT_LE(0, self->vcpu);
	ASSERT_EQ(0, kvm_ioctl(self->vcpu, KVM_GET_SREGS,
			       (unsigned long)&self->reset));
}

FIXTURE_TEARDOWN(vcpu)
{
	close(self->vcpu);
	close(self->vm);
	close(self->kvm_fd);
}

/* The architectural reset state, as KVM_GET_SREGS/KVM_GET_REGS give it */
TEST_F(vcpu, reset_state)
{
	const struct kvm_sregs *s = &self->reset;
	struct kvm_regs r;

	EXPECT_EQ(0x60000010, s->cr0);
	EXPECT_EQ(0, s->cr4);
	EXPECT_EQ(0, s->efer);
	EXPECT_EQ(0xf000, s->cs.selector);
	EXPECT_EQ(0xffff0000, s->cs.base);
	EXPECT_EQ(0xb, s->cs.type);
	EXPECT_EQ(0x3, s->ss.type);
	EXPECT_EQ(0xb, s->tr.type);
	EXPECT_EQ(0x2, s->ldt.type);
	EXPECT_EQ(0xffff, s->gdt.limit);
	/* the APIC at its default base, enabled; vCPU 0 is the BSP */
	EXPECT_EQ(0xfee00000 | APIC_BASE_EN | APIC_BASE_BSP, s->apic_base);
	ASSERT_EQ(0, kvm_ioctl(self->vcpu, KVM_GET_REGS, (unsigned long)&r));
	EXPECT_EQ(0xfff0, r.rip);
	EXPECT_EQ(0x2, r.rflags);
}

/* Any other vCPU is an AP: no BSP bit */
TEST_F(vcpu, ap_is_not_bsp)
{
	struct kvm_sregs s;
	int ap = kvm_create_vcpu(self->vm, 1);

	ASSERT_LE(0, ap);
	ASSERT_EQ(0, kvm_ioctl(ap, KVM_GET_SREGS, (unsigned long)&s));
	EXPECT_EQ(0xfee00000 | APIC_BASE_EN, s.apic_base);
	close(ap);
}

/* KVM_SET_REGS: RFLAGS bit 1 reads back as one, as kvm_set_rflags() */
TEST_F(vcpu, rflags_bit1_fixed)
{
	struct kvm_regs r = { .rip = 0x1234, .rflags = 0 };

	ASSERT_EQ(0, kvm_ioctl(self->vcpu, KVM_SET_REGS, (unsigned long)&r));
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, kvm_ioctl(self->vcpu, KVM_GET_REGS, (unsigned long)&r));
	EXPECT_EQ(0x1234, r.rip);
	EXPECT_EQ(0x2, r.rflags);
}

static int set_sregs(int vcpu, const struct kvm_sregs *s)
{
	return kvm_ioctl(vcpu, KVM_SET_SREGS, (unsigned long)s);
}

/* Each state kvm_is_valid_sregs() or the APIC base check refuses */
TEST_F(vcpu, sregs_refused)
{
	struct kvm_sregs s;

	s = self->reset;
	s.cr0 = X86_CR0_ET | X86_CR0_NW;		/* NW without CD */
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.cr0 = X86_CR0_ET | X86_CR0_PG;		/* PG without PE */
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.cr0 = 1ULL << 32;				/* above bit 31 */
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.cr0 = X86_CR0_PE | X86_CR0_PG;		/* long mode, no PAE */
	s.efer = EFER_LME | EFER_LMA;
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.cr0 = X86_CR0_PE | X86_CR0_PG;		/* LME, PG, no LMA */
	s.cr4 = X86_CR4_PAE;
	s.efer = EFER_LME;
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.efer = EFER_LMA;				/* LMA outside it */
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.cs.l = 1;					/* 64-bit CS outside */
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.cr4 = X86_CR4_VMXE;				/* Intel's VMX */
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.apic_base |= 1;				/* reserved bit 0 */
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));
	s = self->reset;
	s.apic_base = 0xfee00000 | APIC_BASE_EXTD;	/* x2APIC, disabled */
	EXPECT_EQ(-EINVAL, set_sregs(self->vcpu, &s));

	/* nothing refused reached the vCPU */
	ASSERT_EQ(0, kvm_ioctl(self->vcpu, KVM_GET_SREGS, (unsigned long)&s));
	EXPECT_EQ(0, memcmp(&s, &self->reset, sizeof(s)));
}

/* A consistent 64-bit state is taken and read back as given */
TEST_F(vcpu, sregs_long_mode)
{
	struct kvm_sregs s = self->reset, got;

	s.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_PG;
	s.cr4 = X86_CR4_PAE;
	s.cr3 = 0x1000;
	s.efer = EFER_LME | EFER_LMA;
	s.cs.l = 1;
	ASSERT_EQ(0, set_sregs(self->vcpu, &s));
	ASSERT_EQ(0, kvm_ioctl(self->vcpu, KVM_GET_SREGS, (unsigned long)&got));
	EXPECT_EQ(0, memcmp(&s, &got, sizeof(s)));
}

/* Each XSAVE header copy_uabi_to_xstate() refuses; then a good one */
TEST_F(vcpu, xsave_header)
{
	struct kvm_xsave *x = calloc(1, sizeof(*x));

	ASSERT_NE(NULL, x);
	x->region[0] = 0x37f;
	x->region[XSAVE_MXCSR] = 0x1f80;

	x->region[XSAVE_XSTATE_BV] = XFEATURE_FP_SSE | XFEATURE_AVX512_OPMASK;
	EXPECT_EQ(-EINVAL, kvm_ioctl(self->vcpu, KVM_SET_XSAVE, (unsigned long)x));
	x->region[XSAVE_XSTATE_BV] = XFEATURE_FP_SSE;
	x->region[XSAVE_XCOMP_BV_HI] = 0x80000000;	/* compacted */
	EXPECT_EQ(-EINVAL, kvm_ioctl(self->vcpu, KVM_SET_XSAVE, (unsigned long)x));
	x->region[XSAVE_XCOMP_BV_HI] = 0;
	x->region[XSAVE_HDR_RESERVED + 3] = 1;
	EXPECT_EQ(-EINVAL, kvm_ioctl(self->vcpu, KVM_SET_XSAVE, (unsigned long)x));
	x->region[XSAVE_HDR_RESERVED + 3] = 0;
	x->region[XSAVE_MXCSR] = 0x1f80 | 0x10000;	/* reserved MXCSR bit */
	EXPECT_EQ(-EINVAL, kvm_ioctl(self->vcpu, KVM_SET_XSAVE, (unsigned long)x));
	x->region[XSAVE_MXCSR] = 0x1f80;
	EXPECT_EQ(0, kvm_ioctl(self->vcpu, KVM_SET_XSAVE, (unsigned long)x));
	/* no component named: nothing is read, MXCSR included */
	x->region[XSAVE_XSTATE_BV] = 0;
	x->region[XSAVE_MXCSR] = 0xffffffff;
	EXPECT_EQ(0, kvm_ioctl(self->vcpu, KVM_SET_XSAVE, (unsigned long)x));
	EXPECT_EQ(-EFAULT, kvm_ioctl(self->vcpu, KVM_SET_XSAVE, 8));
	free(x);
}

TEST_HARNESS_MAIN
