// SPDX-License-Identifier: GPL-2.0
/*
 * The GHCB MSR protocol (GHCB specification, AMD 56421) on /dev/kvm-sev.
 * The program plays the guest: it writes the vCPU's GHCB MSR with
 * KVM_SET_MSRS (the guest's WRMSR), enters it with KVM_RUN (its VMGEXIT)
 * and reads the answer with KVM_GET_MSRS (its RDMSR). Each request on
 * SEV-ES (new and legacy VM types) and SNP guests launched far enough that
 * their vCPU state is protected: SEV information, CPUID from the VMM's
 * KVM_SET_CPUID2 table, AP reset hold, preferred and registered GHCB GPA
 * and page state change (SNP only: an SEV-ES guest asking is terminated;
 * an SNP guest's goes to the VMM as KVM_HC_MAP_GPA_RANGE), hypervisor
 * features, termination; requests KVM does not know leave the MSR as it
 * was.
 *
 * The program makes its simulated PSP (sevsim0) and removes it at the end
 * (kvm_sev_util.h); each test starts with no guest context in it.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"

/* what every request other than termination gives back from KVM_RUN */
#define RESUMED		(-EINTR)

/* The VM, its vCPU and the vCPU's struct kvm_run */
struct ghcb_vm {
	int kvm_fd;
	int sev_fd;
	int vm;
	int vcpu;
	struct kvm_run *run;
};

FIXTURE(ghcb) {
	struct ghcb_vm v;
};

FIXTURE_VARIANT(ghcb) {
	unsigned long type;
	bool snp;
	uint16_t ghcb_version;	/* the VM's, so SEV_INFO's maximum */
};

FIXTURE_VARIANT_ADD(ghcb, sev_es) {
	.type = KVM_X86_SEV_ES_VM, .ghcb_version = 2,
};

/* KVM_SEV_ES_INIT stays at GHCB version 1 */
FIXTURE_VARIANT_ADD(ghcb, sev_es_legacy) {
	.type = KVM_X86_DEFAULT_VM, .ghcb_version = 1,
};

FIXTURE_VARIANT_ADD(ghcb, snp) {
	.type = KVM_X86_SNP_VM, .snp = true, .ghcb_version = 2,
};

/* The VM, initialised, with one vCPU whose kvm_run is mapped */
FIXTURE_SETUP(ghcb)
{
	unsigned long need = variant->type == KVM_X86_DEFAULT_VM ?
			     KVM_X86_SEV_ES_VM : variant->type;
	uint32_t error = 0;
	int types;

	self->v.vm = -1;
	self->v.vcpu = -1;
	types = kvm_sev_fixture_open(_metadata, &self->v.kvm_fd, &self->v.sev_fd);
	if (!(types & BIT(need)))
		SKIP(return, "VM type %lu is not in KVM_CAP_VM_TYPES (%#x)",
		     need, types);

	self->v.vm = kvm_create_vm(self->v.kvm_fd, variant->type);
	ASSERT_LE(0, self->v.vm);
	ASSERT_EQ(0, sev_vm_init(self->v.vm, self->v.sev_fd, variant->type, true,
				 &error)) TH_LOG("fw error %#x", error);
	self->v.vcpu = kvm_create_vcpu(self->v.vm, 0);
	ASSERT_LE(0, self->v.vcpu);
	self->v.run = vcpu_map_run(self->v.kvm_fd, self->v.vcpu);
	ASSERT_NE(NULL, self->v.run);
}

FIXTURE_TEARDOWN(ghcb)
{
	if (self->v.vcpu >= 0)
		close(self->v.vcpu);
	if (self->v.vm >= 0)
		close(self->v.vm);
	close(self->v.kvm_fd);
	close(self->v.sev_fd);
}

/* Launch the guest as far as its vCPU state is protected and it runs */
static void launch(struct __test_metadata *_metadata,
		   struct ghcb_vm *self, bool snp)
{
	uint32_t error = 0;

	ASSERT_EQ(0, sev_es_launch_running(self->vm, self->sev_fd, snp, &error))
		TH_LOG("fw error %#x", error);
}

/*
 * The guest writes @req into its GHCB MSR and makes its VMGEXIT: KVM_RUN's
 * result; the MSR afterwards in *@resp.
 */
static int vmgexit(struct __test_metadata *_metadata,
		   struct ghcb_vm *self, uint64_t req, uint64_t *resp)
{
	int ret;

	EXPECT_EQ(1, ghcb_msr_write(self->vcpu, req));
	self->run->exit_reason = 0xdead;
	ret = vcpu_run(self->vcpu);
	EXPECT_EQ(1, ghcb_msr_read(self->vcpu, resp));
	if (ret == RESUMED) {
		EXPECT_EQ(KVM_EXIT_INTR, self->run->exit_reason)
			TH_LOG("a guest that resumes stops as after a signal");
	}
	return ret;
}

/* The guest asked for termination: the VMM sees the MSR as it was. */
static void expect_termination(struct __test_metadata *_metadata,
			       struct ghcb_vm *self, uint64_t req)
{
	uint64_t msr;

	EXPECT_EQ(0, vmgexit(_metadata, self, req, &msr));
	EXPECT_EQ(KVM_EXIT_SYSTEM_EVENT, self->run->exit_reason);
	EXPECT_EQ(KVM_SYSTEM_EVENT_SEV_TERM, self->run->system_event.type);
	EXPECT_EQ(1, self->run->system_event.ndata);
	EXPECT_EQ(req, self->run->system_event.data[0]);
	EXPECT_EQ(req, msr);
}

/*
 * The GHCB MSR is the guest's from its reset, when it holds the SEV
 * information (GHCB specification, "Hypervisor Initialization"), and stays
 * writable once the state is protected; no other MSR is there.
 */
TEST_F(ghcb, msr_access)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[2];
	} m = {};
	uint64_t msr;

	ASSERT_EQ(1, ghcb_msr_read(self->v.vcpu, &msr));
	EXPECT_EQ(GHCB_MSR_SEV_INFO_RESP, msr & GHCB_MSR_INFO_MASK);
	EXPECT_EQ(variant->ghcb_version, msr >> 48);
	EXPECT_EQ(1, (msr >> 32) & 0xffff) TH_LOG("the minimum GHCB version");
	EXPECT_EQ(0, msr & 0xfff000) TH_LOG("bits 23:12 are reserved");

	launch(_metadata, &self->v, variant->snp);
	EXPECT_EQ(1, ghcb_msr_write(self->v.vcpu, 0x123456789abcdef0ULL));
	EXPECT_EQ(1, ghcb_msr_read(self->v.vcpu, &msr));
	EXPECT_EQ(0x123456789abcdef0ULL, msr);

	/* KVM's msr_io(): done in order, up to the first MSR not there */
	m.hdr.nmsrs = 2;
	m.e[0].index = MSR_AMD64_SEV_ES_GHCB;
	m.e[1].index = 0xc0000080;	/* EFER: the guest's, not here */
	EXPECT_EQ(1, kvm_ioctl(self->v.vcpu, KVM_GET_MSRS, (unsigned long)&m));
	EXPECT_EQ(0x123456789abcdef0ULL, m.e[0].data);
	m.e[0].index = 0xc0000080;
	EXPECT_EQ(0, kvm_ioctl(self->v.vcpu, KVM_SET_MSRS, (unsigned long)&m));
	m.hdr.nmsrs = 256;
	EXPECT_EQ(-E2BIG, kvm_ioctl(self->v.vcpu, KVM_GET_MSRS,
				    (unsigned long)&m)) TH_LOG("KVM's MAX_IO_MSRS");
}

/* Before its state is protected a vCPU has no VMGEXIT to make */
TEST_F(ghcb, run_needs_protected_state)
{
	uint64_t msr;

	EXPECT_EQ(1, ghcb_msr_write(self->v.vcpu, GHCB_MSR_SEV_INFO_REQ));
	EXPECT_EQ(-EOPNOTSUPP, vcpu_run(self->v.vcpu))
		TH_LOG("guest code outside a VMGEXIT cannot run here");
	EXPECT_EQ(1, ghcb_msr_read(self->v.vcpu, &msr));
	EXPECT_EQ(GHCB_MSR_SEV_INFO_REQ, msr);

	launch(_metadata, &self->v, variant->snp);
	EXPECT_EQ(-EINVAL, kvm_ioctl(self->v.vcpu, KVM_RUN, 1))
		TH_LOG("KVM_RUN takes no argument");
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, GHCB_MSR_SEV_INFO_REQ,
				   &msr));
}

TEST_F(ghcb, sev_info)
{
	uint64_t reset, msr;

	ASSERT_EQ(1, ghcb_msr_read(self->v.vcpu, &reset));
	launch(_metadata, &self->v, variant->snp);
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, GHCB_MSR_SEV_INFO_REQ,
				   &msr));
	EXPECT_EQ(reset, msr) TH_LOG("the answer is the reset value");
	EXPECT_EQ(GHCB_MSR_SEV_INFO(variant->ghcb_version, 1,
				    (reset >> 24) & 0xff), msr);
	EXPECT_LE(32, (msr >> 24) & 0xff) TH_LOG("a C-bit above 4 GiB");

	/* the request's other bits are not looked at */
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v,
				   0xffffffff00000000ULL | GHCB_MSR_SEV_INFO_REQ,
				   &msr));
	EXPECT_EQ(reset, msr);
}

/* Requests KVM does not know, and responses: the MSR stays as it is */
TEST_F(ghcb, unknown_request)
{
	static const uint64_t reqs[] = {
		GHCB_MSR_SEV_INFO_RESP, 0x003, GHCB_MSR_CPUID_RESP,
		GHCB_MSR_AP_RESET_HOLD_RESP, 0x008, GHCB_MSR_PREF_GPA_RESP,
		GHCB_MSR_REG_GPA_RESP, 0x015, 0x016, 0x018, GHCB_MSR_HV_FT_RESP,
		0x0ff, 0x101, 0xfff,
	};
	unsigned int i;
	uint64_t msr;

	launch(_metadata, &self->v, variant->snp);
	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		uint64_t req = 0xabcd000000000000ULL | reqs[i];

		EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, req, &msr))
			TH_LOG("request %#llx", (unsigned long long)reqs[i]);
		EXPECT_EQ(req, msr);
	}
}

/* CPUID from the table the VMM set with KVM_SET_CPUID2 */
TEST_F(ghcb, cpuid)
{
	struct {
		struct kvm_cpuid2 hdr;
		struct kvm_cpuid_entry2 e[4];
	} t = {
		.hdr.nent = 4,
		.e = {
			{ .function = 0, .eax = 0x10, .ebx = 0x68747541,
			  .ecx = 0x444d4163, .edx = 0x69746e65 },
			{ .function = 7, .index = 0,
			  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
			  .eax = 1, .ebx = 0x7007 },
			{ .function = 7, .index = 1,
			  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
			  .eax = 0x71, .ebx = 0x7117 },
			{ .function = 0x8000001f, .eax = 0x1b, .ebx = 0x173,
			  .ecx = 0x80, .edx = 0x65 },
		},
	}, got;
	static const struct {
		uint32_t fn, reg, val;
	} cases[] = {
		{ 0, GHCB_CPUID_REQ_EAX, 0x10 },
		{ 0, GHCB_CPUID_REQ_EBX, 0x68747541 },
		{ 0, GHCB_CPUID_REQ_ECX, 0x444d4163 },
		{ 0, GHCB_CPUID_REQ_EDX, 0x69746e65 },
		{ 7, GHCB_CPUID_REQ_EBX, 0x7007 },	/* subleaf 0 */
		{ 0x8000001f, GHCB_CPUID_REQ_EAX, 0x1b },
		{ 0x8000001f, GHCB_CPUID_REQ_EBX, 0x173 },
		{ 0x8000001f, GHCB_CPUID_REQ_EDX, 0x65 },
		{ 0x40000000, GHCB_CPUID_REQ_EAX, 0 },	/* not in the table */
		{ 0xffffffff, GHCB_CPUID_REQ_EDX, 0 },
	};
	unsigned int i;
	uint64_t msr;

	/* KVM's limit, KVM_MAX_CPUID_ENTRIES */
	t.hdr.nent = 257;
	EXPECT_EQ(-E2BIG, kvm_ioctl(self->v.vcpu, KVM_SET_CPUID2,
				    (unsigned long)&t));
	t.hdr.nent = 4;
	ASSERT_EQ(0, kvm_ioctl(self->v.vcpu, KVM_SET_CPUID2, (unsigned long)&t));
	got.hdr.nent = 3;
	EXPECT_EQ(-E2BIG, kvm_ioctl(self->v.vcpu, KVM_GET_CPUID2,
				    (unsigned long)&got));
	got.hdr.nent = 4;
	ASSERT_EQ(0, kvm_ioctl(self->v.vcpu, KVM_GET_CPUID2,
			       (unsigned long)&got));
	EXPECT_EQ(4, got.hdr.nent);
	EXPECT_EQ(0, memcmp(t.e, got.e, sizeof(t.e)));

	launch(_metadata, &self->v, variant->snp);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t req = GHCB_CPUID_REQ(cases[i].fn, cases[i].reg);

		EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, req, &msr));
		EXPECT_EQ(((uint64_t)cases[i].val << 32) | (req & 0xfffff000) |
			  GHCB_MSR_CPUID_RESP, msr)
			TH_LOG("CPUID %#x register %u", cases[i].fn,
			       cases[i].reg);
	}

	/* after the vCPU ran, only the same table, as KVM */
	EXPECT_EQ(0, kvm_ioctl(self->v.vcpu, KVM_SET_CPUID2, (unsigned long)&t));
	t.e[0].eax = 0x11;
	EXPECT_EQ(-EINVAL, kvm_ioctl(self->v.vcpu, KVM_SET_CPUID2,
				     (unsigned long)&t));
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v,
				   GHCB_CPUID_REQ(0, GHCB_CPUID_REQ_EAX), &msr));
	EXPECT_EQ(0x10ULL << 32 | GHCB_MSR_CPUID_RESP, msr);
}

/* No CPUID table: every leaf reads as zeros */
TEST_F(ghcb, cpuid_no_table)
{
	uint64_t msr;

	launch(_metadata, &self->v, variant->snp);
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v,
				   GHCB_CPUID_REQ(0, GHCB_CPUID_REQ_EBX), &msr));
	EXPECT_EQ((uint64_t)GHCB_CPUID_REQ_EBX << 30 | GHCB_MSR_CPUID_RESP,
		  msr);
}

/*
 * AP reset hold: this host has no in-kernel local APIC, so the wait is
 * the VMM's (KVM_EXIT_AP_RESET_HOLD), the result "no SIPI yet" (0).
 */
TEST_F(ghcb, ap_reset_hold)
{
	uint64_t msr;

	launch(_metadata, &self->v, variant->snp);
	EXPECT_EQ(0, vmgexit(_metadata, &self->v,
			     0xfff000ULL | GHCB_MSR_AP_RESET_HOLD_REQ, &msr));
	EXPECT_EQ(KVM_EXIT_AP_RESET_HOLD, self->v.run->exit_reason);
	EXPECT_EQ(GHCB_MSR_AP_RESET_HOLD_RESP, msr);
}

TEST_F(ghcb, hv_features)
{
	uint64_t msr;

	launch(_metadata, &self->v, variant->snp);
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, GHCB_MSR_HV_FT_REQ, &msr));
	EXPECT_EQ((GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION) << 12 |
		  GHCB_MSR_HV_FT_RESP, msr);
}

/* SNP only: an SEV-ES guest asking is terminated */
TEST_F(ghcb, preferred_gpa)
{
	uint64_t msr;

	launch(_metadata, &self->v, variant->snp);
	if (!variant->snp) {
		expect_termination(_metadata, &self->v, GHCB_MSR_PREF_GPA_REQ);
		return;
	}
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, GHCB_MSR_PREF_GPA_REQ,
				   &msr));
	EXPECT_EQ(GHCB_MSR_PREF_GPA_NONE << 12 | GHCB_MSR_PREF_GPA_RESP, msr)
		TH_LOG("no preference");
}

/* SNP only: the GFN is echoed; one no address can name is refused */
TEST_F(ghcb, register_gpa)
{
	static const uint64_t gfns[] = { 0, 0x100, 0xffffffffffULL };
	unsigned int i;
	uint64_t msr;

	launch(_metadata, &self->v, variant->snp);
	if (!variant->snp) {
		expect_termination(_metadata, &self->v,
				   0x100ULL << 12 | GHCB_MSR_REG_GPA_REQ);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(gfns); i++) {
		EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, gfns[i] << 12 |
					   GHCB_MSR_REG_GPA_REQ, &msr));
		EXPECT_EQ(gfns[i] << 12 | GHCB_MSR_REG_GPA_RESP, msr);
	}
	/* past 52 address bits: the all-ones GFN, "not registered" */
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, 0x10000000000ULL << 12 |
				   GHCB_MSR_REG_GPA_REQ, &msr));
	EXPECT_EQ(0xfffffffffffffULL << 12 | GHCB_MSR_REG_GPA_RESP, msr);
}

/* Page state change: SNP only, an SEV-ES guest asking is terminated */
TEST_F(ghcb, page_state_change)
{
	uint64_t req = 1ULL << 52 | 0x100ULL << 12 | GHCB_MSR_PSC_REQ, msr;

	launch(_metadata, &self->v, variant->snp);
	if (!variant->snp) {
		expect_termination(_metadata, &self->v, req);
		return;
	}
	/* a VMM that does not take KVM_HC_MAP_GPA_RANGE: the error response */
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, req, &msr));
	EXPECT_EQ(GHCB_MSR_PSC_RESP_ERROR, msr);
}

/*
 * An SNP guest's page state change through the MSR goes to the VMM as
 * KVM_HC_MAP_GPA_RANGE of one 4 KiB page, as upstream; its answer
 * (hypercall.ret) comes back to the guest at the next KVM_RUN.
 */
TEST_F(ghcb, page_state_change_exit)
{
	static const struct {
		uint64_t op, attrs, ret, resp;
	} cases[] = {
		{ 1, KVM_MAP_GPA_RANGE_ENCRYPTED, 0, GHCB_MSR_PSC_RESP },
		{ 2, KVM_MAP_GPA_RANGE_DECRYPTED, 0, GHCB_MSR_PSC_RESP },
		{ 1, KVM_MAP_GPA_RANGE_ENCRYPTED, 1, GHCB_MSR_PSC_RESP_ERROR },
	};
	struct kvm_run *run = self->v.run;
	unsigned int i;
	uint64_t msr;

	if (!variant->snp)
		SKIP(return, "SNP only (page_state_change)");
	launch(_metadata, &self->v, variant->snp);
	ASSERT_EQ(0, kvm_enable_cap(self->v.vm, KVM_CAP_EXIT_HYPERCALL,
				    BIT_ULL(KVM_HC_MAP_GPA_RANGE)));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t req = cases[i].op << 52 | 0xfedcba987ULL << 12 |
			       GHCB_MSR_PSC_REQ;

		EXPECT_EQ(0, vmgexit(_metadata, &self->v, req, &msr));
		EXPECT_EQ(KVM_EXIT_HYPERCALL, run->exit_reason);
		EXPECT_EQ(KVM_HC_MAP_GPA_RANGE, run->hypercall.nr);
		EXPECT_EQ(0xfedcba987000ULL, run->hypercall.args[0]);
		EXPECT_EQ(1, run->hypercall.args[1]);
		EXPECT_EQ(cases[i].attrs | KVM_MAP_GPA_RANGE_PAGE_SZ_4K,
			  run->hypercall.args[2]);
		EXPECT_EQ(req, msr) TH_LOG("no answer before the VMM's");

		run->hypercall.ret = cases[i].ret;
		EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
		EXPECT_EQ(KVM_EXIT_INTR, run->exit_reason);
		EXPECT_EQ(1, ghcb_msr_read(self->v.vcpu, &msr));
		EXPECT_EQ(cases[i].resp, msr) TH_LOG("case %u", i);
	}

	/* operations other than private (1) and shared (2) */
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, 3ULL << 52 |
				   GHCB_MSR_PSC_REQ, &msr));
	EXPECT_EQ(GHCB_MSR_PSC_RESP_ERROR, msr);
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, GHCB_MSR_PSC_REQ,
				   &msr));
	EXPECT_EQ(GHCB_MSR_PSC_RESP_ERROR, msr);
}

TEST_F(ghcb, termination)
{
	launch(_metadata, &self->v, variant->snp);
	expect_termination(_metadata, &self->v, GHCB_SEV_TERM_REASON(0, 0) |
			   GHCB_MSR_TERM_REQ);
	/* any reason, and bits past it, reach the VMM as they are */
	expect_termination(_metadata, &self->v, 0xffffffffff000000ULL |
			   GHCB_SEV_TERM_REASON(1, 4) | GHCB_MSR_TERM_REQ);
}

/*
 * A GPA in the MSR (GHCBInfo 0) is the GHCB page: none (0) and the guest
 * resumes, as KVM; a page is not handled yet (-EOPNOTSUPP).
 */
TEST_F(ghcb, ghcb_page)
{
	uint64_t msr;

	launch(_metadata, &self->v, variant->snp);
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, 0, &msr));
	EXPECT_EQ(0, msr);
	/* a GHCB page no memory slot holds: nothing to answer in, as KVM */
	EXPECT_EQ(RESUMED, vmgexit(_metadata, &self->v, 0x100000, &msr));
	EXPECT_EQ(0x100000, msr);
}

/* A plain SEV guest has no GHCB MSR, and no VMGEXIT to run */
TEST(sev_has_no_ghcb)
{
	uint32_t error = 0;
	int kvm_fd, sev_fd, vm, vcpu, types;
	uint64_t msr;

	types = kvm_sev_fixture_open(_metadata, &kvm_fd, &sev_fd);
	if (!(types & BIT(KVM_X86_SEV_VM)))
		SKIP(return, "no KVM_X86_SEV_VM (%#x)", types);
	vm = kvm_create_vm(kvm_fd, KVM_X86_SEV_VM);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, sev_vm_init(vm, sev_fd, KVM_X86_SEV_VM, false, &error));
	vcpu = kvm_create_vcpu(vm, 0);
	ASSERT_LE(0, vcpu);
	EXPECT_EQ(0, ghcb_msr_write(vcpu, GHCB_MSR_SEV_INFO_REQ));
	EXPECT_EQ(0, ghcb_msr_read(vcpu, &msr));
	EXPECT_EQ(-EOPNOTSUPP, vcpu_run(vcpu));
	close(vcpu);
	close(vm);
	close(kvm_fd);
	close(sev_fd);
}

TEST_HARNESS_MAIN
