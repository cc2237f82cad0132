// SPDX-License-Identifier: GPL-2.0
/*
 * VMs whose PSP went away: the simulated PSP removed and another one made
 * while a VM still has its firmware context, as a PCI remove and rescan
 * of the PSP would do (sev_fuzz --remove found kvm-sev sending the old
 * context's commands to the new firmware). The new firmware hands out
 * the same guest handles again, so an old VM's handle can name a new VM's
 * context there. kvm-sev must send an old context nothing (-EIO, as a
 * dead VM's), leave the new VM's context alone when the old VM goes, and
 * not warn when an old SNP VM goes (its SNP_DECOMMISSION is not sent).
 * The same for SNP commands, which name the context by its page.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define TAINT_WARN	BIT(9)

FIXTURE(replace) {
	int kvm_fd, sev_fd;
};

FIXTURE_SETUP(replace)
{
	kvm_sev_fixture_open(_metadata, &self->kvm_fd, &self->sev_fd);
}

FIXTURE_TEARDOWN(replace)
{
	close(self->kvm_fd);
	close(self->sev_fd);
}

/* An SEV VM with a guest context: its handle, or -errno */
static int sev_vm_launched(int kvm_fd, int sev_fd, int *vm)
{
	struct kvm_sev_launch_start start = {};
	uint32_t error;
	int ret;

	*vm = kvm_create_vm(kvm_fd, KVM_X86_SEV_VM);
	if (*vm < 0)
		return *vm;
	ret = sev_vm_init(*vm, sev_fd, KVM_X86_SEV_VM, false, &error);
	ret = ret ?: sev_ioctl(*vm, sev_fd, KVM_SEV_LAUNCH_START, &start,
			       &error);
	return ret ?: (int)start.handle;
}

/* The simulated PSP removed and made again: a new firmware */
static void replace_psp(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, sim_del(SEV_SIM_ID));
	ASSERT_EQ(0, sim_new(SEV_SIM_ID, 2));
}

TEST_F(replace, sev_handle_of_a_gone_psp)
{
	struct kvm_sev_guest_status st;
	uint32_t error = 0xdead;
	int a, b, ha, hb;

	ha = sev_vm_launched(self->kvm_fd, self->sev_fd, &a);
	ASSERT_LT(0, ha);
	replace_psp(_metadata);

	/* nothing of A's goes to the new firmware */
	EXPECT_EQ(-EIO, sev_guest_status(a, self->sev_fd, &st, &error));
	EXPECT_EQ(0, error);

	hb = sev_vm_launched(self->kvm_fd, self->sev_fd, &b);
	ASSERT_LT(0, hb);
	/* the case this is about: the new firmware reuses A's handle */
	EXPECT_EQ(ha, hb);
	EXPECT_EQ(1, sim_sev_guests());

	/* A goes: B's context, with the same handle, stays */
	close(a);
	EXPECT_EQ(1, sim_sev_guests());
	EXPECT_EQ(0, sev_guest_status(b, self->sev_fd, &st, &error))
		TH_LOG("fw error %#x", error);
	EXPECT_EQ((uint32_t)hb, st.handle);
	close(b);
	EXPECT_EQ(0, sim_sev_guests());
}

/* An SNP VM with a vCPU, launched: 0 or -errno (the firmware's in *error) */
static int snp_vm_launched(int kvm_fd, int sev_fd, int *vm, int *vcpu,
			   uint32_t *error)
{
	struct kvm_sev_init init = {};
	int ret;

	*error = 0;
	*vcpu = -1;
	*vm = kvm_create_vm(kvm_fd, KVM_X86_SNP_VM);
	if (*vm < 0)
		return *vm;
	ret = sev_ioctl(*vm, sev_fd, KVM_SEV_INIT2, &init, error);
	if (ret)
		return ret;
	*vcpu = kvm_create_vcpu(*vm, 0);
	if (*vcpu < 0)
		return *vcpu;
	return sev_es_launch_running(*vm, sev_fd, true, error);
}

TEST_F(replace, snp_vm_of_a_gone_psp)
{
	long long taint = read_taint();
	uint32_t error;
	int vm, vcpu;

	ASSERT_EQ(0, snp_vm_launched(self->kvm_fd, self->sev_fd, &vm, &vcpu,
				     &error))
		TH_LOG("fw error %#x", error);
	replace_psp(_metadata);

	close(vcpu);
	close(vm);
	EXPECT_EQ(0, sim_value(SEV_SIM_ID, "snp_guests"));
	EXPECT_EQ(0, (read_taint() ^ taint) & TAINT_WARN)
		TH_LOG("a WARN when the VM went: see the kernel log");

	/* the new PSP takes SNP VMs as before */
	EXPECT_EQ(0, snp_vm_launched(self->kvm_fd, self->sev_fd, &vm, &vcpu,
				     &error))
		TH_LOG("fw error %#x", error);
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
}

/*
 * SNP commands name the context by its page, not a handle: those of an
 * old context go to the new firmware neither (-EIO with no firmware
 * status, nothing made private), and the VM goes without a WARN.
 */
TEST_F(replace, snp_launch_of_a_gone_psp)
{
	struct kvm_sev_snp_launch_start start = {
		.policy = SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT,
	};
	struct kvm_sev_snp_launch_update upd = {
		.len = PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_sev_snp_launch_finish finish = {};
	long long taint = read_taint();
	uint32_t error = 0;
	int vm, vcpu, gmem;
	uint8_t *shared;

	vm = kvm_create_vm(self->kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, sev_vm_init(vm, self->sev_fd, KVM_X86_SNP_VM, true, NULL));
	vcpu = kvm_create_vcpu(vm, 0);
	ASSERT_LE(0, vcpu);
	gmem = gmem_create(vm, PAGE_SIZE, 0);
	ASSERT_LE(0, gmem);
	shared = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	ASSERT_EQ(0, set_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, PAGE_SIZE,
				 shared, gmem, 0));
	ASSERT_EQ(0, set_attributes(vm, 0, PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	ASSERT_EQ(0, sev_ioctl(vm, self->sev_fd, KVM_SEV_SNP_LAUNCH_START,
			       &start, &error)) TH_LOG("fw error %#x", error);
	replace_psp(_metadata);

	upd.uaddr = (uint64_t)(uintptr_t)shared;
	error = 0xdead;
	EXPECT_EQ(-EIO, sev_ioctl(vm, self->sev_fd, KVM_SEV_SNP_LAUNCH_UPDATE,
				  &upd, &error));
	EXPECT_EQ(0, error);
	/* no page done: the VMM's view of the range is as it gave it */
	EXPECT_EQ(PAGE_SIZE, upd.len);
	error = 0xdead;
	EXPECT_EQ(-EIO, sev_ioctl(vm, self->sev_fd, KVM_SEV_SNP_LAUNCH_FINISH,
				  &finish, &error));
	EXPECT_EQ(0, error);

	close(vcpu);
	close(gmem);
	close(vm);
	munmap(shared, PAGE_SIZE);
	EXPECT_EQ(0, sim_value(SEV_SIM_ID, "snp_guests"));
	EXPECT_EQ(0, (read_taint() ^ taint) & TAINT_WARN)
		TH_LOG("a WARN when the VM went: see the kernel log");
}

TEST_HARNESS_MAIN
