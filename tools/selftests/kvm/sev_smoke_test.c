// SPDX-License-Identifier: GPL-2.0
/*
 * The SEV and SEV-ES launch flow against /dev/kvm-sev, as upstream's
 * tools/testing/selftests/kvm/x86/sev_smoke_test.c and its library
 * (lib/x86/sev.c) drive it: init, memory, LAUNCH_START with the policy,
 * GUEST_STATUS through the states, LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_VMSA
 * for SEV-ES (after which the vCPU's registers are the guest's), the
 * LAUNCH_MEASURE length query and the measurement, LAUNCH_FINISH; each
 * command also where the firmware must refuse it. Then what the launch
 * does to memory: it is encrypted in place, so the VMM sees other bytes,
 * and DBG_DECRYPT gives the plaintext back. SNP: its launch, where the
 * VM type is offered.
 *
 * And upstream's test_sev() of SEV-ES and SNP guests as the host sees it:
 * the guest's code ends with a termination request through the GHCB MSR
 * protocol, which the program plays (no guest instruction runs under
 * kvm-sev), and KVM_RUN gives the VMM KVM_SYSTEM_EVENT_SEV_TERM with the
 * MSR. What the guest's code checks of itself (MSR_AMD64_SEV, which
 * the host never sees) and a plain SEV guest's run (its ucalls are port
 * I/O of guest code) need guest execution.
 *
 * The program makes its simulated PSP (sevsim0) and removes it at the end
 * (kvm_sev_util.h); each test starts with no guest context in it.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define GUEST_PAGES	2
#define GUEST_SIZE	(GUEST_PAGES * PAGE_SIZE)
#define GUEST_GPA	0x100000

/* The SNP policy's debug bit (upstream's SNP_POLICY_DBG) */
#define SNP_POLICY_DBG	BIT_ULL(19)

/* The VM, initialised, its memory and vCPU */
struct smoke_vm {
	int kvm_fd;
	int sev_fd;
	int vm;
	int vcpu;
	struct guest_mem mem;
	uint8_t plain[GUEST_SIZE];	/* what the VMM put in guest memory */
};

FIXTURE(smoke) {
	struct smoke_vm s;
};

FIXTURE_VARIANT(smoke) {
	unsigned long type;
	bool es;
};

FIXTURE_VARIANT_ADD(smoke, sev) { .type = KVM_X86_SEV_VM };
FIXTURE_VARIANT_ADD(smoke, sev_es) { .type = KVM_X86_SEV_ES_VM, .es = true };
FIXTURE_VARIANT_ADD(smoke, sev_legacy) { .type = KVM_X86_DEFAULT_VM };
FIXTURE_VARIANT_ADD(smoke, sev_es_legacy) {
	.type = KVM_X86_DEFAULT_VM, .es = true,
};

/* The VM, initialised, with its memory (registered) and one vCPU */
FIXTURE_SETUP(smoke)
{
	uint32_t error = 0;
	int types;

	self->s.vm = -1;
	self->s.vcpu = -1;
	types = kvm_sev_fixture_open(_metadata, &self->s.kvm_fd, &self->s.sev_fd);
	if (variant->type != KVM_X86_DEFAULT_VM &&
	    !(types & BIT(variant->type)))
		SKIP(return, "VM type %lu is not in KVM_CAP_VM_TYPES (%#x)",
		     variant->type, types);
	if (variant->es && !(types & BIT(KVM_X86_SEV_ES_VM)))
		SKIP(return, "no SEV-ES on this host");

	self->s.vm = kvm_create_vm(self->s.kvm_fd, variant->type);
	ASSERT_LE(0, self->s.vm);
	ASSERT_EQ(0, sev_vm_init(self->s.vm, self->s.sev_fd, variant->type,
				 variant->es, &error));
	ASSERT_EQ(0, error);
	ASSERT_EQ(0, guest_mem_add(self->s.vm, 0, GUEST_GPA, GUEST_SIZE,
				   &self->s.mem));
	fill_pattern(self->s.plain, GUEST_SIZE, 42);
	memcpy(self->s.mem.hva, self->s.plain, GUEST_SIZE);
	ASSERT_EQ(0, sev_register_region(self->s.vm, &self->s.mem));
	self->s.vcpu = kvm_create_vcpu(self->s.vm, 0);
	ASSERT_LE(0, self->s.vcpu);
}

FIXTURE_TEARDOWN(smoke)
{
	if (self->s.vcpu >= 0)
		close(self->s.vcpu);
	if (self->s.vm >= 0)
		close(self->s.vm);
	guest_mem_free(&self->s.mem);
	close(self->s.kvm_fd);
	close(self->s.sev_fd);
}

static uint32_t policy_of(bool es)
{
	return es ? SEV_POLICY_ES : 0;
}

static void expect_state(struct __test_metadata *_metadata,
			 struct smoke_vm *self, uint32_t handle,
			 uint32_t policy, uint32_t state)
{
	struct kvm_sev_guest_status st;
	uint32_t error = 0;

	ASSERT_EQ(0, sev_guest_status(self->vm, self->sev_fd, &st, &error))
		TH_LOG("GUEST_STATUS: fw error %#x", error);
	EXPECT_EQ(0, error);
	EXPECT_EQ(handle, st.handle);
	EXPECT_EQ(policy, st.policy);
	EXPECT_EQ(state, st.state);
}

static int launch_start(struct smoke_vm *self, uint32_t policy,
			uint32_t *handle, uint32_t *error)
{
	struct kvm_sev_launch_start start = { .policy = policy };
	int ret;

	ret = sev_ioctl(self->vm, self->sev_fd, KVM_SEV_LAUNCH_START, &start,
			error);
	*handle = start.handle;
	return ret;
}

static int update_data(struct smoke_vm *self, void *p, uint32_t len,
		       uint32_t *error)
{
	struct kvm_sev_launch_update_data update = {
		.uaddr = (uint64_t)(uintptr_t)p,
		.len = len,
	};

	return sev_ioctl(self->vm, self->sev_fd, KVM_SEV_LAUNCH_UPDATE_DATA,
			 &update, error);
}

/*
 * upstream's sev_vm_launch(), _launch_measure() and _launch_finish(), with
 * @policy: upstream's test_sev() up to its KVM_RUN
 */
static void launch_flow(struct __test_metadata *_metadata,
			struct smoke_vm *s, unsigned long type, bool es,
			uint32_t policy)
{
	uint32_t handle, error = 0;
	struct kvm_sev_launch_measure measure;
	struct kvm_regs regs;
	uint8_t blob[256];
	int i;

	/* the vCPU's state, for the VMSA */
	ASSERT_EQ(0, kvm_ioctl(s->vcpu, KVM_GET_REGS, (unsigned long)&regs));
	regs.rip = 0x1234;
	regs.rax = 0xabcd;
	ASSERT_EQ(0, kvm_ioctl(s->vcpu, KVM_SET_REGS, (unsigned long)&regs));

	ASSERT_EQ(0, launch_start(s, policy, &handle, &error))
		TH_LOG("LAUNCH_START: fw error %#x", error);
	EXPECT_EQ(0, error);
	EXPECT_NE(0, handle) TH_LOG("the firmware's handle, given back");
	expect_state(_metadata, s, handle, policy,
		     SEV_GUEST_STATE_LAUNCH_UPDATE);

	ASSERT_EQ(0, update_data(s, s->mem.hva, GUEST_SIZE, &error))
		TH_LOG("LAUNCH_UPDATE_DATA: fw error %#x", error);
	EXPECT_EQ(0, error);

	if (es) {
		ASSERT_EQ(0, sev_ioctl(s->vm, s->sev_fd,
				       KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
				       &error)) TH_LOG("fw error %#x", error);
		/*
		 * The VMSA is encrypted: on the SEV VM types its registers
		 * are the guest's now; a KVM_SEV_ES_INIT VM keeps the old
		 * behaviour.
		 */
		if (type != KVM_X86_DEFAULT_VM) {
			EXPECT_EQ(-EINVAL, kvm_ioctl(s->vcpu, KVM_GET_REGS,
						     (unsigned long)&regs));
			EXPECT_EQ(-EINVAL, kvm_ioctl(s->vcpu, KVM_SET_REGS,
						     (unsigned long)&regs));
		}
	} else {
		EXPECT_EQ(-ENOTTY, sev_ioctl(s->vm, s->sev_fd,
					     KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
					     NULL)) TH_LOG("SEV has no VMSA");
	}
	expect_state(_metadata, s, handle, policy,
		     SEV_GUEST_STATE_LAUNCH_UPDATE);

	/* the length query: len 0 gets the length, and INVALID_LEN */
	measure.uaddr = 0;
	measure.len = 0;
	error = 0;
	EXPECT_EQ(-EIO, sev_ioctl(s->vm, s->sev_fd,
				  KVM_SEV_LAUNCH_MEASURE, &measure, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(SEV_LAUNCH_MEASURE_LEN, measure.len);
	/* a query changes no state */
	expect_state(_metadata, s, handle, policy,
		     SEV_GUEST_STATE_LAUNCH_UPDATE);

	/* more than a firmware blob can be */
	measure.uaddr = (uint64_t)(uintptr_t)blob;
	measure.len = SEV_FW_BLOB_MAX_SIZE + 1;
	EXPECT_EQ(-EINVAL, sev_ioctl(s->vm, s->sev_fd,
				     KVM_SEV_LAUNCH_MEASURE, &measure, NULL));

	/* upstream's library asks with 256 bytes */
	memset(blob, 0xee, sizeof(blob));
	measure.uaddr = (uint64_t)(uintptr_t)blob;
	measure.len = sizeof(blob);
	ASSERT_EQ(0, sev_ioctl(s->vm, s->sev_fd, KVM_SEV_LAUNCH_MEASURE,
			       &measure, &error)) TH_LOG("fw error %#x", error);
	EXPECT_EQ(0, error);
	EXPECT_EQ(SEV_LAUNCH_MEASURE_LEN, measure.len);
	for (i = 0; i < SEV_LAUNCH_MEASURE_LEN; i++)
		if (blob[i] != 0xee)
			break;
	EXPECT_GT(SEV_LAUNCH_MEASURE_LEN, i) TH_LOG("no measurement written");
	expect_state(_metadata, s, handle, policy,
		     SEV_GUEST_STATE_LAUNCH_SECRET);

	/* measured: no more memory goes into the launch */
	error = 0;
	EXPECT_EQ(-EIO, update_data(s, s->mem.hva, PAGE_SIZE, &error));
	EXPECT_EQ(SEV_RET_INVALID_GUEST_STATE, error);

	ASSERT_EQ(0, sev_ioctl(s->vm, s->sev_fd, KVM_SEV_LAUNCH_FINISH,
			       NULL, &error)) TH_LOG("fw error %#x", error);
	EXPECT_EQ(0, error);
	expect_state(_metadata, s, handle, policy, SEV_GUEST_STATE_RUNNING);

	/* running: neither a second finish nor a measurement */
	error = 0;
	EXPECT_EQ(-EIO, sev_ioctl(s->vm, s->sev_fd, KVM_SEV_LAUNCH_FINISH,
				  NULL, &error));
	EXPECT_EQ(SEV_RET_INVALID_GUEST_STATE, error);
	error = 0;
	EXPECT_EQ(-EIO, sev_ioctl(s->vm, s->sev_fd,
				  KVM_SEV_LAUNCH_MEASURE, &measure, &error));
	EXPECT_EQ(SEV_RET_INVALID_GUEST_STATE, error);
}

/* The VM closed: its guest context goes with it */
static void expect_context_released(struct __test_metadata *_metadata,
				    struct smoke_vm *s)
{
	EXPECT_EQ(1, sim_sev_guests());
	close(s->vcpu);
	close(s->vm);
	s->vcpu = -1;
	s->vm = -1;
	EXPECT_EQ(0, sim_sev_guests()) TH_LOG("the context outlived its VM");
}

TEST_F(smoke, launch_flow)
{
	launch_flow(_metadata, &self->s, variant->type, variant->es,
		    policy_of(variant->es));
	expect_context_released(_metadata, &self->s);
}

/* upstream's test_sev() with SEV_POLICY_NO_DBG, up to its KVM_RUN */
TEST_F(smoke, launch_flow_nodbg)
{
	launch_flow(_metadata, &self->s, variant->type, variant->es,
		    policy_of(variant->es) | SEV_POLICY_NO_DBG);
	expect_context_released(_metadata, &self->s);
}

/*
 * The end of upstream's guest_sev_es_code() and guest_snp_code(): the
 * guest writes GHCB_MSR_TERM_REQ to its GHCB MSR and makes its VMGEXIT;
 * the VMM gets what upstream's test_sev() asserts.
 */
static void expect_terminates(struct __test_metadata *_metadata, int kvm_fd,
			      int vcpu)
{
	struct kvm_run *run = vcpu_map_run(kvm_fd, vcpu);

	ASSERT_NE(NULL, run);
	ASSERT_EQ(1, ghcb_msr_write(vcpu, GHCB_MSR_TERM_REQ));
	EXPECT_EQ(0, vcpu_run(vcpu));
	EXPECT_EQ(KVM_EXIT_SYSTEM_EVENT, run->exit_reason);
	EXPECT_EQ(KVM_SYSTEM_EVENT_SEV_TERM, run->system_event.type);
	EXPECT_EQ(1, run->system_event.ndata);
	EXPECT_EQ(GHCB_MSR_TERM_REQ, run->system_event.data[0]);
	munmap(run, kvm_ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0));
}

/*
 * upstream's test_sev() of an SEV-ES guest with @policy: launched, it runs
 * to its termination request. A plain SEV guest's run is guest code
 * throughout (it ends with a ucall, port I/O): not here.
 */
static void launch_and_terminate(struct __test_metadata *_metadata,
				 struct smoke_vm *s, unsigned long type,
				 bool es, uint32_t policy)
{
	if (!es)
		SKIP(return, "a plain SEV guest's run is guest code only");
	launch_flow(_metadata, s, type, es, policy);
	expect_terminates(_metadata, s->kvm_fd, s->vcpu);
	expect_context_released(_metadata, s);
}

TEST_F(smoke, launch_and_terminate)
{
	launch_and_terminate(_metadata, &self->s, variant->type, variant->es,
			     policy_of(variant->es));
}

TEST_F(smoke, launch_and_terminate_nodbg)
{
	launch_and_terminate(_metadata, &self->s, variant->type, variant->es,
			     policy_of(variant->es) | SEV_POLICY_NO_DBG);
}

/*
 * LAUNCH_UPDATE_DATA encrypts in place: DBG_DECRYPT gives the guest's
 * plaintext back, and a DBG_ENCRYPT of new plaintext reads back the same.
 */
TEST_F(smoke, update_data_encrypts_in_place)
{
	uint32_t policy = policy_of(variant->es), handle, error = 0;
	static uint8_t got[GUEST_SIZE];
	uint8_t data[64];

	ASSERT_EQ(0, launch_start(&self->s, policy, &handle, &error));
	ASSERT_EQ(0, update_data(&self->s, self->s.mem.hva, GUEST_SIZE, &error));

	memset(got, 0, sizeof(got));
	ASSERT_EQ(0, sev_dbg(self->s.vm, self->s.sev_fd, true, self->s.mem.hva, got,
			     GUEST_SIZE, &error)) TH_LOG("fw error %#x", error);
	EXPECT_EQ(0, memcmp(self->s.plain, got, GUEST_SIZE))
		TH_LOG("DBG_DECRYPT gives the plaintext back");
	/*
	 * Upstream's hardware shows the VMM ciphertext here; sev-psp-sim
	 * does not model the memory encryption itself (the host's view of
	 * the pages stays as it was), so only the guest's view is checked.
	 */

	fill_pattern(data, sizeof(data), 7);
	ASSERT_EQ(0, sev_dbg(self->s.vm, self->s.sev_fd, false, data,
			     self->s.mem.hva + 64, sizeof(data), &error));
	memset(got, 0, sizeof(data));
	ASSERT_EQ(0, sev_dbg(self->s.vm, self->s.sev_fd, true,
			     self->s.mem.hva + 64, got, sizeof(data), &error));
	EXPECT_EQ(0, memcmp(data, got, sizeof(data)))
		TH_LOG("DBG_ENCRYPT then DBG_DECRYPT gives the data back");
}

/* Bad LAUNCH_UPDATE_DATA arguments */
TEST_F(smoke, update_data_arguments)
{
	uint32_t policy = policy_of(variant->es), handle, error = 0;

	ASSERT_EQ(0, launch_start(&self->s, policy, &handle, &error));
	/* nothing to pin */
	EXPECT_EQ(-EINVAL, update_data(&self->s, self->s.mem.hva, 0, NULL));
	/* unmapped (the guard page after the guest's memory) */
	EXPECT_EQ(-ENOMEM, update_data(&self->s, self->s.mem.hva + GUEST_SIZE, 16,
				       NULL));
	/* the firmware's own rules: 16-byte blocks, at 16-byte addresses */
	error = 0;
	EXPECT_EQ(-EIO, update_data(&self->s, self->s.mem.hva + 1, 16, &error));
	EXPECT_EQ(SEV_RET_INVALID_ADDRESS, error);
	error = 0;
	EXPECT_EQ(-EIO, update_data(&self->s, self->s.mem.hva, 15, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	/* none of it took: still updatable, then measurable */
	expect_state(_metadata, &self->s, handle, policy,
		     SEV_GUEST_STATE_LAUNCH_UPDATE);
	EXPECT_EQ(0, update_data(&self->s, self->s.mem.hva, PAGE_SIZE, &error));
}

/* SNP, where the platform offers it: SNP VMs take only SNP commands */
FIXTURE(snp) {
	int kvm_fd;
	int sev_fd;
	int vm;
	int vcpu;
};

FIXTURE_SETUP(snp)
{
	uint32_t error = 0;
	struct kvm_sev_init init = {};
	int types;

	self->vm = -1;
	self->vcpu = -1;
	types = kvm_sev_fixture_open(_metadata, &self->kvm_fd, &self->sev_fd);
	if (!(types & BIT(KVM_X86_SNP_VM)))
		SKIP(return, "no KVM_X86_SNP_VM in KVM_CAP_VM_TYPES (%#x): no SNP",
		     types);
	self->vm = kvm_create_vm(self->kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, self->vm);
	ASSERT_EQ(0, sev_ioctl(self->vm, self->sev_fd, KVM_SEV_INIT2, &init,
			       &error)) TH_LOG("fw error %#x", error);
}

FIXTURE_TEARDOWN(snp)
{
	if (self->vcpu >= 0)
		close(self->vcpu);
	if (self->vm >= 0)
		close(self->vm);
	close(self->kvm_fd);
	close(self->sev_fd);
}

TEST_F(snp, sev_commands_refused)
{
	static const uint32_t ids[] = {
		KVM_SEV_INIT, KVM_SEV_ES_INIT, KVM_SEV_LAUNCH_START,
		KVM_SEV_LAUNCH_UPDATE_DATA, KVM_SEV_LAUNCH_UPDATE_VMSA,
		KVM_SEV_LAUNCH_MEASURE, KVM_SEV_LAUNCH_FINISH,
		KVM_SEV_GUEST_STATUS, KVM_SEV_DBG_DECRYPT, KVM_SEV_DBG_ENCRYPT,
		KVM_SEV_INIT2,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		EXPECT_EQ(-EPERM, sev_ioctl(self->vm, self->sev_fd, ids[i],
					    NULL, NULL)) TH_LOG("id %u", ids[i]);
}

/*
 * upstream's vm_sev_launch() for SNP, without guest memory (that needs
 * guest_memfd): the hypercall exit, SNP_LAUNCH_START with the policy
 * bits that must be set, SNP_LAUNCH_FINISH (which measures the VMSAs).
 */
TEST_F(snp, launch_start_and_finish)
{
	struct kvm_sev_snp_launch_start start = {};
	struct kvm_sev_snp_launch_finish finish = {};
	struct kvm_regs regs;
	uint32_t error = 0;

	ASSERT_EQ(0, kvm_enable_cap(self->vm, KVM_CAP_EXIT_HYPERCALL,
				    BIT_ULL(KVM_HC_MAP_GPA_RANGE)));
	self->vcpu = kvm_create_vcpu(self->vm, 0);
	ASSERT_LE(0, self->vcpu);

	/* the policy must have SMT and the must-be-one bit 17 */
	start.policy = SNP_POLICY_SMT;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_START, &start, NULL));
	start.policy = SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT;
	start.flags = 1;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_START, &start, NULL));
	start.flags = 0;
	ASSERT_EQ(0, sev_ioctl(self->vm, self->sev_fd, KVM_SEV_SNP_LAUNCH_START,
			       &start, &error))
		TH_LOG("SNP_LAUNCH_START on an SNP VM the host offers: fw error %#x",
		       error);
	/* one context per VM */
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_START, &start, NULL));

	ASSERT_EQ(0, sev_ioctl(self->vm, self->sev_fd, KVM_SEV_SNP_LAUNCH_FINISH,
			       &finish, &error)) TH_LOG("fw error %#x", error);
	EXPECT_EQ(-EINVAL, kvm_ioctl(self->vcpu, KVM_GET_REGS,
				     (unsigned long)&regs))
		TH_LOG("the VMSA is measured: the registers are the guest's");
}

/*
 * upstream's snp_default_policy(): the must-be-one bit, and SMT where the
 * host has it on (the firmware refuses a guest without it there)
 */
static uint64_t snp_default_policy(void)
{
	char smt[4] = "";

	read_file("/sys/devices/system/cpu/smt/active", smt, sizeof(smt));
	return SNP_POLICY_RSVD_MBO | (smt[0] == '1' ? SNP_POLICY_SMT : 0);
}

/*
 * upstream's test_sev() of an SNP guest with @policy: vm_sev_launch()
 * (SNP_LAUNCH_START, the guest's memory made private and measured,
 * SNP_LAUNCH_FINISH), then its run to the termination request.
 */
static void snp_launch_and_run(struct __test_metadata *_metadata,
			       int kvm_fd, int sev_fd, int vm, int *vcpu,
			       uint64_t policy)
{
	struct kvm_sev_snp_launch_start start = { .policy = policy };
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = GUEST_GPA >> 12,
		.len = GUEST_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_sev_snp_launch_finish finish = {};
	long long guests = sim_value(SEV_SIM_ID, "snp_guests");
	uint32_t error = 0;
	uint8_t *shared;
	int gmem;

	ASSERT_EQ(0, kvm_enable_cap(vm, KVM_CAP_EXIT_HYPERCALL,
				    BIT_ULL(KVM_HC_MAP_GPA_RANGE)));
	gmem = gmem_create(vm, GUEST_SIZE, 0);
	ASSERT_LE(0, gmem);
	shared = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	ASSERT_EQ(0, set_region2(vm, 0, KVM_MEM_GUEST_MEMFD, GUEST_GPA,
				 GUEST_SIZE, shared, gmem, 0));
	*vcpu = kvm_create_vcpu(vm, 0);
	ASSERT_LE(0, *vcpu);

	ASSERT_EQ(0, sev_ioctl(vm, sev_fd, KVM_SEV_SNP_LAUNCH_START, &start,
			       &error)) TH_LOG("fw error %#x", error);
	/* the guest's code and data, private, then measured */
	fill_pattern(shared, GUEST_SIZE, 5);
	upd.uaddr = (uintptr_t)shared;
	ASSERT_EQ(0, set_attributes(vm, GUEST_GPA, GUEST_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	ASSERT_EQ(0, sev_ioctl(vm, sev_fd, KVM_SEV_SNP_LAUNCH_UPDATE, &upd,
			       &error)) TH_LOG("fw error %#x", error);
	ASSERT_EQ(0, sev_ioctl(vm, sev_fd, KVM_SEV_SNP_LAUNCH_FINISH, &finish,
			       &error)) TH_LOG("fw error %#x", error);
	EXPECT_EQ(guests + 1, sim_value(SEV_SIM_ID, "snp_guests"));

	expect_terminates(_metadata, kvm_fd, *vcpu);

	close(gmem);
	munmap(shared, GUEST_SIZE);
}

TEST_F(snp, launch_and_terminate)
{
	snp_launch_and_run(_metadata, self->kvm_fd, self->sev_fd, self->vm,
			   &self->vcpu, snp_default_policy());
}

TEST_F(snp, launch_and_terminate_dbg)
{
	snp_launch_and_run(_metadata, self->kvm_fd, self->sev_fd, self->vm,
			   &self->vcpu, snp_default_policy() | SNP_POLICY_DBG);
}

TEST_HARNESS_MAIN
