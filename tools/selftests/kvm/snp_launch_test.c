// SPDX-License-Identifier: GPL-2.0
/*
 * SEV-SNP on /dev/kvm-sev: guest_memfd, memory attributes and the SNP
 * launch (KVM_SEV_SNP_LAUNCH_START, _UPDATE, _FINISH), each rule as
 * upstream KVM has it, and that a launched guest's teardown gives every
 * page back (the simulator's free checker and its guest count).
 *
 * Each test gets a fresh simulated PSP (sevsim0) and removes it afterwards.
 */
#include <assert.h>

#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define SNP_POLICY_DEBUG		BIT_ULL(19)
#define SNP_POLICY_SINGLE_SOCKET	BIT_ULL(20)
#define SNP_POLICY			(SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT)
#define GUEST_PAGES			16
#define GUEST_GPA			0x100000ULL

static int snp_start(int vm_fd, int sev_fd, uint64_t policy, uint16_t flags,
		     uint32_t *fw_error)
{
	struct kvm_sev_snp_launch_start s = { .policy = policy, .flags = flags };

	return sev_ioctl(vm_fd, sev_fd, KVM_SEV_SNP_LAUNCH_START, &s, fw_error);
}

FIXTURE(snp) {
	int kvm_fd;
	int sev_fd;
	int vm_fd;
	int gmem_fd;
	uint8_t *shared;	/* the VMM's view of the guest's memory */
};

FIXTURE_SETUP(snp)
{
	struct kvm_sev_init init = {};
	int types;

	self->vm_fd = -1;
	self->gmem_fd = -1;
	self->shared = MAP_FAILED;
	sim_del(SEV_SIM_ID);
	ASSERT_EQ(0, sim_new(SEV_SIM_ID, 2)) TH_LOG("cannot create sevsim0");
	self->sev_fd = sev_dev_open();
	ASSERT_LE(0, self->sev_fd);
	self->kvm_fd = kvm_sev_open();
	ASSERT_LE(0, self->kvm_fd) TH_LOG("is kvm-sev.ko loaded?");
	types = kvm_check_extension(self->kvm_fd, KVM_CAP_VM_TYPES);
	if (!(types & BIT(KVM_X86_SNP_VM)))
		SKIP(return, "no KVM_X86_SNP_VM on this platform");

	self->vm_fd = kvm_create_vm(self->kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, self->vm_fd);
	ASSERT_EQ(0, sev_ioctl(self->vm_fd, self->sev_fd, KVM_SEV_INIT2,
			       &init, NULL));
	self->gmem_fd = gmem_create(self->vm_fd, GUEST_PAGES * PAGE_SIZE, 0);
	ASSERT_LE(0, self->gmem_fd);
	self->shared = mmap(NULL, GUEST_PAGES * PAGE_SIZE,
			    PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->shared);
	ASSERT_EQ(0, set_region2(self->vm_fd, 0, KVM_MEM_GUEST_MEMFD,
				 GUEST_GPA, GUEST_PAGES * PAGE_SIZE,
				 self->shared, self->gmem_fd, 0));
}

FIXTURE_TEARDOWN(snp)
{
	if (self->shared != MAP_FAILED)
		munmap(self->shared, GUEST_PAGES * PAGE_SIZE);
	if (self->gmem_fd >= 0)
		close(self->gmem_fd);
	if (self->vm_fd >= 0)
		close(self->vm_fd);
	close(self->kvm_fd);
	/* every guest context gone with its VM */
	EXPECT_EQ(0, sim_value(SEV_SIM_ID, "snp_guests"));
	close(self->sev_fd);
	sim_del(SEV_SIM_ID);
}

/* KVM_CAP_MEMORY_ATTRIBUTES / _GUEST_MEMFD: private memory is SNP's */
TEST_F(snp, private_memory_caps)
{
	int sev_vm = kvm_create_vm(self->kvm_fd, KVM_X86_SEV_VM);

	ASSERT_LE(0, sev_vm);
	EXPECT_EQ(KVM_MEMORY_ATTRIBUTE_PRIVATE,
		  kvm_check_extension(self->kvm_fd, KVM_CAP_MEMORY_ATTRIBUTES));
	EXPECT_EQ(KVM_MEMORY_ATTRIBUTE_PRIVATE,
		  kvm_check_extension(self->vm_fd, KVM_CAP_MEMORY_ATTRIBUTES));
	EXPECT_EQ(0, kvm_check_extension(sev_vm, KVM_CAP_MEMORY_ATTRIBUTES));
	EXPECT_EQ(1, kvm_check_extension(self->vm_fd, KVM_CAP_GUEST_MEMFD));
	EXPECT_EQ(0, kvm_check_extension(sev_vm, KVM_CAP_GUEST_MEMFD));

	/* no guest_memfd, no private attribute, on an SEV VM */
	EXPECT_EQ(-EINVAL, gmem_create(sev_vm, PAGE_SIZE, 0));
	EXPECT_EQ(-EINVAL, set_attributes(sev_vm, 0, PAGE_SIZE,
					  KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	EXPECT_EQ(0, set_attributes(sev_vm, 0, PAGE_SIZE, 0, 0));
	EXPECT_EQ(-EINVAL, set_region2(sev_vm, 0, KVM_MEM_GUEST_MEMFD, 0,
				       PAGE_SIZE, self->shared,
				       self->gmem_fd, 0));
	close(sev_vm);
}

TEST_F(snp, guest_memfd_create)
{
	void *p;

	EXPECT_EQ(-EINVAL, gmem_create(self->vm_fd, 0, 0));
	EXPECT_EQ(-EINVAL, gmem_create(self->vm_fd, PAGE_SIZE + 1, 0));
	EXPECT_EQ(-EINVAL, gmem_create(self->vm_fd, PAGE_SIZE, 1));
	/* its pages are never the VMM's */
	p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, self->gmem_fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, PAGE_SIZE);
}

TEST_F(snp, guest_memfd_binding)
{
	int other_gmem, null_fd = open("/dev/null", O_RDWR);

	ASSERT_LE(0, null_fd);
	/* the file: a guest_memfd fd of this VM, the range inside it */
	EXPECT_EQ(-EBADF, set_region2(self->vm_fd, 1, KVM_MEM_GUEST_MEMFD,
				      0x10000000, PAGE_SIZE, self->shared,
				      9999, 0));
	EXPECT_EQ(-EINVAL, set_region2(self->vm_fd, 1, KVM_MEM_GUEST_MEMFD,
				       0x10000000, PAGE_SIZE, self->shared,
				       null_fd, 0));
	EXPECT_EQ(-EINVAL, set_region2(self->vm_fd, 1, KVM_MEM_GUEST_MEMFD,
				       0x10000000, PAGE_SIZE, self->shared,
				       self->gmem_fd, 100));
	EXPECT_EQ(-EINVAL, set_region2(self->vm_fd, 1, KVM_MEM_GUEST_MEMFD,
				       0x10000000, 2 * PAGE_SIZE, self->shared,
				       self->gmem_fd,
				       (GUEST_PAGES - 1) * PAGE_SIZE));
	/* a range of the file bound to slot 0 already: -EINVAL, not -EEXIST */
	EXPECT_EQ(-EINVAL, set_region2(self->vm_fd, 1, KVM_MEM_GUEST_MEMFD,
				       0x10000000, PAGE_SIZE, self->shared,
				       self->gmem_fd, PAGE_SIZE));
	/* guest_memfd with dirty logging; the old ioctl has no guest_memfd */
	other_gmem = gmem_create(self->vm_fd, PAGE_SIZE, 0);
	ASSERT_LE(0, other_gmem);
	EXPECT_EQ(-EINVAL, set_region2(self->vm_fd, 1, KVM_MEM_GUEST_MEMFD |
				       KVM_MEM_LOG_DIRTY_PAGES, 0x10000000,
				       PAGE_SIZE, self->shared, other_gmem, 0));
	EXPECT_EQ(0, set_region2(self->vm_fd, 1, KVM_MEM_GUEST_MEMFD,
				 0x10000000, PAGE_SIZE, self->shared,
				 other_gmem, 0));
	/* a guest_memfd slot cannot change, only go */
	EXPECT_EQ(-EINVAL, set_region2(self->vm_fd, 1, 0, 0x10000000,
				       PAGE_SIZE, self->shared, -1, 0));
	EXPECT_EQ(0, set_region2(self->vm_fd, 1, 0, 0x10000000, 0,
				 self->shared, -1, 0));
	close(other_gmem);
	close(null_fd);
}

TEST_F(snp, memory_attributes)
{
	EXPECT_EQ(-EINVAL, set_attributes(self->vm_fd, GUEST_GPA, PAGE_SIZE,
					  KVM_MEMORY_ATTRIBUTE_PRIVATE, 1));
	EXPECT_EQ(-EINVAL, set_attributes(self->vm_fd, GUEST_GPA, PAGE_SIZE,
					  1ULL << 2, 0));
	EXPECT_EQ(-EINVAL, set_attributes(self->vm_fd, GUEST_GPA, 0,
					  KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	EXPECT_EQ(-EINVAL, set_attributes(self->vm_fd, GUEST_GPA + 1,
					  PAGE_SIZE,
					  KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	EXPECT_EQ(-EINVAL, set_attributes(self->vm_fd, -PAGE_SIZE,
					  2 * PAGE_SIZE,
					  KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	/* no memory slot needed */
	EXPECT_EQ(0, set_attributes(self->vm_fd, 0x40000000, 4 * PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	EXPECT_EQ(0, set_attributes(self->vm_fd, 0x40000000, 4 * PAGE_SIZE,
				    0, 0));
}

TEST_F(snp, launch_start_rules)
{
	uint32_t err;

	EXPECT_EQ(-EINVAL, snp_start(self->vm_fd, self->sev_fd, SNP_POLICY, 1,
				     &err));
	/* bit 18 is no policy bit KVM knows */
	EXPECT_EQ(-EINVAL, snp_start(self->vm_fd, self->sev_fd,
				     SNP_POLICY | BIT_ULL(18), 0, &err));
	EXPECT_EQ(-EINVAL, snp_start(self->vm_fd, self->sev_fd,
				     SNP_POLICY_SMT, 0, &err));
	EXPECT_EQ(-EINVAL, snp_start(self->vm_fd, self->sev_fd,
				     SNP_POLICY | SNP_POLICY_SINGLE_SOCKET, 0,
				     &err));
	ASSERT_EQ(0, snp_start(self->vm_fd, self->sev_fd, SNP_POLICY, 0,
			       &err)) TH_LOG("firmware error %#x", err);
	EXPECT_EQ(1, sim_value(SEV_SIM_ID, "snp_guests"));
	/* once */
	EXPECT_EQ(-EINVAL, snp_start(self->vm_fd, self->sev_fd, SNP_POLICY, 0,
				     &err));
	/* the SEV commands, a second INIT2 among them: -EPERM */
	EXPECT_EQ(-EPERM, sev_ioctl(self->vm_fd, self->sev_fd,
				    KVM_SEV_LAUNCH_START, NULL, &err));
	EXPECT_EQ(-EPERM, sev_ioctl(self->vm_fd, self->sev_fd, KVM_SEV_INIT2,
				    NULL, &err));
	/* and no mirror or move of an SNP guest */
	{
		int vm = kvm_create_vm(self->kvm_fd, KVM_X86_SNP_VM);

		ASSERT_LE(0, vm);
		EXPECT_EQ(-EINVAL, sev_mirror_from(vm, self->vm_fd));
		EXPECT_EQ(-EINVAL, sev_move_from(vm, self->vm_fd));
		close(vm);
	}
}

TEST_F(snp, launch_before_start_and_init)
{
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = GUEST_GPA >> 12, .len = PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_ZERO,
	};
	struct kvm_sev_snp_launch_finish fin = {};
	int vm = kvm_create_vm(self->kvm_fd, KVM_X86_SNP_VM);
	uint32_t err;

	ASSERT_LE(0, vm);
	/* not initialised: START and FINISH -ENOTTY, UPDATE -EINVAL */
	EXPECT_EQ(-ENOTTY, snp_start(vm, self->sev_fd, SNP_POLICY, 0, &err));
	EXPECT_EQ(-EINVAL, sev_ioctl(vm, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_UPDATE, &upd, &err));
	EXPECT_EQ(-ENOTTY, sev_ioctl(vm, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err));
	close(vm);
	/* initialised, not started */
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_UPDATE, &upd, &err));
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err));
}

TEST_F(snp, launch_update)
{
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = GUEST_GPA >> 12,
		.uaddr = (uintptr_t)self->shared,
		.len = 4 * PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_sev_snp_launch_update bad;
	uint32_t err;

	ASSERT_EQ(0, snp_start(self->vm_fd, self->sev_fd, SNP_POLICY, 0,
			       &err));
	fill_pattern(self->shared, 4 * PAGE_SIZE, 7);

	bad = upd;
	bad.len = 0;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err));
	bad = upd;
	bad.len = PAGE_SIZE + 8;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err));
	bad = upd;
	bad.flags = 1;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err));
	bad = upd;
	bad.type = 2;	/* VMSA: KVM's own */
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err));
	/* no slot with guest_memfd there */
	bad = upd;
	bad.gfn_start = 0x20000000 >> 12;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err));
	/* not private yet: refused on the first page, -EIO */
	bad = upd;
	EXPECT_EQ(-EIO, sev_ioctl(self->vm_fd, self->sev_fd,
				  KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err));
	EXPECT_EQ(upd.len, bad.len);

	ASSERT_EQ(0, set_attributes(self->vm_fd, GUEST_GPA,
				    GUEST_PAGES * PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	bad = upd;
	ASSERT_EQ(0, sev_ioctl(self->vm_fd, self->sev_fd,
			       KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err))
		TH_LOG("firmware error %#x", err);
	/* progress: all of it */
	EXPECT_EQ(0, bad.len);
	EXPECT_EQ(upd.gfn_start + 4, bad.gfn_start);
	EXPECT_EQ(upd.uaddr + 4 * PAGE_SIZE, bad.uaddr);

	/* a page given once is not given again */
	bad = upd;
	EXPECT_EQ(-EIO, sev_ioctl(self->vm_fd, self->sev_fd,
				  KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err));

	/* past the slot's end: what fits, the rest left to the VMM */
	bad = upd;
	bad.gfn_start = (GUEST_GPA >> 12) + GUEST_PAGES - 2;
	bad.len = 4 * PAGE_SIZE;
	bad.type = KVM_SEV_SNP_PAGE_TYPE_ZERO;
	bad.uaddr = 0;
	EXPECT_EQ(0, sev_ioctl(self->vm_fd, self->sev_fd,
			       KVM_SEV_SNP_LAUNCH_UPDATE, &bad, &err));
	EXPECT_EQ(2 * PAGE_SIZE, bad.len);
	EXPECT_EQ(0, bad.uaddr);
}

/* The CPUID page's layout (SNP firmware ABI, "CPUID Reporting") */
struct cpuid_fn {
	uint32_t eax_in, ecx_in;
	uint64_t xcr0_in, xss_in;
	uint32_t eax, ebx, ecx, edx;
	uint64_t reserved;
};

struct cpuid_page {
	uint32_t count, reserved1;
	uint64_t reserved2;
	struct cpuid_fn fn[64];
};

/* no padding in either: the firmware's layout as C lays it out */
static_assert(sizeof(struct cpuid_fn) == 48, "CPUID function: 48 bytes");
static_assert(sizeof(struct cpuid_page) == 16 + 64 * 48, "CPUID page");

/* A page the firmware corrects: the VMM gets it back, the call fails */
TEST_F(snp, launch_update_cpuid_corrected)
{
	struct cpuid_page *cpuid = (void *)self->shared;
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = GUEST_GPA >> 12,
		.uaddr = (uintptr_t)self->shared,
		.len = PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_CPUID,
	};
	uint32_t err = 0;

	ASSERT_EQ(0, snp_start(self->vm_fd, self->sev_fd, SNP_POLICY, 0,
			       &err));
	ASSERT_EQ(0, set_attributes(self->vm_fd, GUEST_GPA, PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	memset(cpuid, 0, PAGE_SIZE);
	cpuid->count = 1;
	cpuid->fn[0].eax_in = 0x8000001f;
	cpuid->fn[0].eax = 0x1f | (1u << 30);	/* a feature it has not */

	EXPECT_EQ(-EIO, sev_ioctl(self->vm_fd, self->sev_fd,
				  KVM_SEV_SNP_LAUNCH_UPDATE, &upd, &err));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, err);
	EXPECT_EQ(0x1f, cpuid->fn[0].eax);
	EXPECT_EQ(PAGE_SIZE, upd.len);

	/* the page went back to the host: the corrected one is taken */
	EXPECT_EQ(0, sev_ioctl(self->vm_fd, self->sev_fd,
			       KVM_SEV_SNP_LAUNCH_UPDATE, &upd, &err));
	EXPECT_EQ(0, upd.len);
}

TEST_F(snp, launch_finish)
{
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = GUEST_GPA >> 12,
		.uaddr = (uintptr_t)self->shared,
		.len = GUEST_PAGES * PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_sev_snp_launch_finish fin = {};
	struct kvm_regs regs;
	uint32_t err;
	int vcpu;

	vcpu = kvm_create_vcpu(self->vm_fd, 0);
	ASSERT_LE(0, vcpu);
	ASSERT_EQ(0, snp_start(self->vm_fd, self->sev_fd,
			       SNP_POLICY | SNP_POLICY_DEBUG, 0, &err));
	ASSERT_EQ(0, set_attributes(self->vm_fd, GUEST_GPA,
				    GUEST_PAGES * PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	ASSERT_EQ(0, sev_ioctl(self->vm_fd, self->sev_fd,
			       KVM_SEV_SNP_LAUNCH_UPDATE, &upd, &err));
	ASSERT_EQ(0, upd.len);

	fin.flags = 1;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err));
	fin.flags = 0;
	/* an ID block that is not there */
	fin.id_block_en = 1;
	fin.id_block_uaddr = 0;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err));

	/* the VMSA went in with that failed call: a vCPU measured once */
	fin.id_block_en = 0;
	EXPECT_EQ(-EINVAL, sev_ioctl(self->vm_fd, self->sev_fd,
				     KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err));
	/* its state is the guest's now */
	EXPECT_EQ(-EINVAL, kvm_ioctl(vcpu, KVM_GET_REGS,
				     (unsigned long)&regs));
	close(vcpu);
}

TEST_F(snp, launch_finish_two_vcpus)
{
	struct kvm_sev_snp_launch_finish fin = { .host_data = { 1, 2, 3 } };
	uint32_t err;
	int vcpu0, vcpu1;

	vcpu0 = kvm_create_vcpu(self->vm_fd, 0);
	vcpu1 = kvm_create_vcpu(self->vm_fd, 1);
	ASSERT_LE(0, vcpu0);
	ASSERT_LE(0, vcpu1);
	ASSERT_EQ(0, snp_start(self->vm_fd, self->sev_fd, SNP_POLICY, 0,
			       &err));
	ASSERT_EQ(0, sev_ioctl(self->vm_fd, self->sev_fd,
			       KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err))
		TH_LOG("firmware error %#x", err);
	/* the guest is running: no more pages */
	{
		struct kvm_sev_snp_launch_update upd = {
			.gfn_start = GUEST_GPA >> 12, .len = PAGE_SIZE,
			.type = KVM_SEV_SNP_PAGE_TYPE_ZERO,
		};

		ASSERT_EQ(0, set_attributes(self->vm_fd, GUEST_GPA, PAGE_SIZE,
					    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
		EXPECT_EQ(-EIO, sev_ioctl(self->vm_fd, self->sev_fd,
					  KVM_SEV_SNP_LAUNCH_UPDATE, &upd,
					  &err));
	}
	close(vcpu0);
	close(vcpu1);
}

/* The VM goes first, its guest_memfd (holding it) after: both orders */
TEST_F(snp, teardown_orders)
{
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = GUEST_GPA >> 12, .len = 2 * PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_ZERO,
	};
	uint32_t err;

	ASSERT_EQ(0, snp_start(self->vm_fd, self->sev_fd, SNP_POLICY, 0,
			       &err));
	ASSERT_EQ(0, set_attributes(self->vm_fd, GUEST_GPA, 2 * PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	ASSERT_EQ(0, sev_ioctl(self->vm_fd, self->sev_fd,
			       KVM_SEV_SNP_LAUNCH_UPDATE, &upd, &err));
	/* the VM file first: the guest_memfd keeps the VM */
	close(self->vm_fd);
	self->vm_fd = -1;
	EXPECT_EQ(1, sim_value(SEV_SIM_ID, "snp_guests"));
	close(self->gmem_fd);
	self->gmem_fd = -1;
	EXPECT_EQ(0, sim_value(SEV_SIM_ID, "snp_guests"));
}

TEST_HARNESS_MAIN
