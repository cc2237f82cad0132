// SPDX-License-Identifier: GPL-2.0
/*
 * Intra-host migration (KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM) and mirroring
 * (KVM_CAP_VM_COPY_ENC_CONTEXT_FROM) of SEV and SEV-ES contexts, as
 * upstream's tools/testing/selftests/kvm/x86/sev_migrate_tests.c, against
 * /dev/kvm-sev, with more of what is observable checked after each step:
 * the context that moved still answers GUEST_STATUS with its handle and
 * decrypts its memory, a VM it left is dead (-EIO), the firmware holds one
 * guest context throughout, and the ASID stays the moved context's own.
 *
 * The program makes its simulated PSP (sevsim0) and removes it at the end
 * (kvm_sev_util.h); each test starts with no guest context in it.
 * The VM types are upstream's: KVM_X86_DEFAULT_VM with the legacy
 * KVM_SEV_INIT / KVM_SEV_ES_INIT, and the SEV VM types with KVM_SEV_INIT2.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define NR_MIGRATE_TEST_VCPUS		4
#define NR_MIGRATE_TEST_VMS		3
#define NR_LOCK_TESTING_THREADS		3
/* upstream's count */
#define NR_LOCK_TESTING_ITERATIONS	10000
#define NR_POOL_VMS			24
#define MAX_VMS				160
#define GUEST_GPA			0x100000

struct vm {
	int fd;
	int vcpus[NR_MIGRATE_TEST_VCPUS];
	int nr_vcpus;
	struct guest_mem mem;
	uint32_t handle;	/* of LAUNCH_START, 0 if none */
};

/* What a test has open: the devices and its VMs, closed at teardown */
struct vms {
	int kvm_fd;
	int sev_fd;
	bool have_es;
	struct vm vms[MAX_VMS];
	int nr_vms;
};

FIXTURE(migrate) {
	struct vms v;
};

FIXTURE_VARIANT(migrate) {
	unsigned long type;	/* of every VM of the test */
	bool es;
};

FIXTURE_VARIANT_ADD(migrate, sev_legacy) { .type = KVM_X86_DEFAULT_VM };
FIXTURE_VARIANT_ADD(migrate, es_legacy) {
	.type = KVM_X86_DEFAULT_VM, .es = true,
};

FIXTURE_VARIANT_ADD(migrate, sev) { .type = KVM_X86_SEV_VM };
FIXTURE_VARIANT_ADD(migrate, es) { .type = KVM_X86_SEV_ES_VM, .es = true };

static void vm_close(struct vm *vm)
{
	int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		close(vm->vcpus[i]);
	vm->nr_vcpus = 0;
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;
	guest_mem_free(&vm->mem);
}

static void vms_setup(struct __test_metadata *_metadata, struct vms *self)
{
	int types;

	ASSERT_EQ(0, kvm_sev_sim_status)
		TH_LOG("cannot create sevsim0: %d", kvm_sev_sim_status);
	ASSERT_EQ(0, sim_sev_guests()) TH_LOG("contexts left by an earlier test");
	self->sev_fd = sev_dev_open();
	ASSERT_LE(0, self->sev_fd) TH_LOG("open /dev/sev: %d", self->sev_fd);
	self->kvm_fd = kvm_sev_open();
	ASSERT_LE(0, self->kvm_fd) TH_LOG("open %s: %d", KVM_SEV_DEV_PATH,
					  self->kvm_fd);
	ASSERT_EQ(1, kvm_check_extension(self->kvm_fd,
					 KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM));
	ASSERT_EQ(1, kvm_check_extension(self->kvm_fd,
					 KVM_CAP_VM_COPY_ENC_CONTEXT_FROM));
	types = kvm_check_extension(self->kvm_fd, KVM_CAP_VM_TYPES);
	ASSERT_LE(0, types);
	self->have_es = types & BIT(KVM_X86_SEV_ES_VM);
}

static void vms_teardown(struct vms *self)
{
	int i;

	for (i = 0; i < self->nr_vms; i++)
		vm_close(&self->vms[i]);
	close(self->kvm_fd);
	close(self->sev_fd);
}

FIXTURE_SETUP(migrate)
{
	vms_setup(_metadata, &self->v);
	if (variant->es && !self->v.have_es)
		SKIP(return, "no SEV-ES on this host");
}

FIXTURE_TEARDOWN(migrate)
{
	vms_teardown(&self->v);
}

/* upstream's aux_vm_create(): a VM of @type, with or without vCPUs */
static struct vm *aux_vm_create(struct __test_metadata *_metadata,
				struct vms *self,
				unsigned long type, int nr_vcpus)
{
	struct vm *vm;
	int i;

	ASSERT_GT(MAX_VMS, self->nr_vms);
	vm = &self->vms[self->nr_vms++];
	memset(vm, 0, sizeof(*vm));
	vm->fd = kvm_create_vm(self->kvm_fd, type);
	ASSERT_LE(0, vm->fd) TH_LOG("KVM_CREATE_VM(%lu): %d", type, vm->fd);
	for (i = 0; i < nr_vcpus; i++) {
		vm->vcpus[i] = kvm_create_vcpu(vm->fd, i);
		ASSERT_LE(0, vm->vcpus[i]) TH_LOG("KVM_CREATE_VCPU %d", i);
		vm->nr_vcpus++;
	}
	return vm;
}

/* An SEV (or SEV-ES) VM of @type, initialised, with @nr_vcpus vCPUs */
static struct vm *sev_vm_init_only(struct __test_metadata *_metadata,
				   struct vms *self,
				   unsigned long type, bool es, int nr_vcpus)
{
	struct vm *vm = aux_vm_create(_metadata, self, type, 0);
	uint32_t error;
	int i;

	ASSERT_EQ(0, sev_vm_init(vm->fd, self->sev_fd, type, es, &error))
		TH_LOG("SEV init of a VM of type %lu, es %d: fw error %#x",
		       type, es, error);
	for (i = 0; i < nr_vcpus; i++) {
		vm->vcpus[i] = kvm_create_vcpu(vm->fd, i);
		ASSERT_LE(0, vm->vcpus[i]);
		vm->nr_vcpus++;
	}
	return vm;
}

/*
 * upstream's sev_vm_create(): initialised, vCPUs, launched (LAUNCH_START,
 * its memory page measured, SEV-ES: the VMSAs encrypted). Like upstream,
 * an SEV-ES VM then gets LAUNCH_UPDATE_VMSA a second time, which KVM
 * accepts on VMSAs already encrypted.
 */
static struct vm *sev_vm_create(struct __test_metadata *_metadata,
				struct vms *self, unsigned long type,
				bool es, int nr_vcpus)
{
	struct vm *vm = sev_vm_init_only(_metadata, self, type, es, nr_vcpus);
	struct kvm_sev_launch_start start = { .policy = es ? SEV_POLICY_ES : 0 };
	struct kvm_sev_launch_update_data update;
	struct kvm_sev_guest_status st;
	uint32_t error;

	ASSERT_EQ(0, guest_mem_add(vm->fd, 0, GUEST_GPA, PAGE_SIZE, &vm->mem));
	fill_pattern(vm->mem.hva, PAGE_SIZE, vm->fd);
	ASSERT_EQ(0, sev_register_region(vm->fd, &vm->mem));

	ASSERT_EQ(0, sev_ioctl(vm->fd, self->sev_fd, KVM_SEV_LAUNCH_START,
			       &start, &error)) TH_LOG("fw error %#x", error);
	ASSERT_NE(0, start.handle);
	vm->handle = start.handle;
	ASSERT_EQ(0, sev_guest_status(vm->fd, self->sev_fd, &st, &error));
	ASSERT_EQ(start.policy, st.policy);
	ASSERT_EQ(SEV_GUEST_STATE_LAUNCH_UPDATE, st.state);

	update.uaddr = (uint64_t)(uintptr_t)vm->mem.hva;
	update.len = PAGE_SIZE;
	ASSERT_EQ(0, sev_ioctl(vm->fd, self->sev_fd, KVM_SEV_LAUNCH_UPDATE_DATA,
			       &update, &error)) TH_LOG("fw error %#x", error);
	if (es) {
		ASSERT_EQ(0, sev_ioctl(vm->fd, self->sev_fd,
				       KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
				       &error)) TH_LOG("fw error %#x", error);
		ASSERT_EQ(0, sev_ioctl(vm->fd, self->sev_fd,
				       KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
				       &error)) TH_LOG("again: fw error %#x",
						       error);
	}
	return vm;
}

/*
 * The context that was launched in a VM with handle @handle and memory
 * @mem (a page of fill_pattern(@seed)) answers through @vm: GUEST_STATUS
 * gives its handle, policy and state, and DBG_DECRYPT its memory.
 */
static void expect_context(struct __test_metadata *_metadata, int sev_fd,
			   struct vm *vm, uint32_t handle, bool es,
			   struct guest_mem *mem, uint32_t seed)
{
	uint8_t want[PAGE_SIZE], got[PAGE_SIZE];
	struct kvm_sev_guest_status st;
	uint32_t error;

	ASSERT_EQ(0, sev_guest_status(vm->fd, sev_fd, &st, &error))
		TH_LOG("GUEST_STATUS: fw error %#x", error);
	EXPECT_EQ(handle, st.handle);
	EXPECT_EQ(es ? SEV_POLICY_ES : 0, st.policy);
	EXPECT_EQ(SEV_GUEST_STATE_LAUNCH_UPDATE, st.state);

	fill_pattern(want, sizeof(want), seed);
	memset(got, 0, sizeof(got));
	EXPECT_EQ(0, sev_dbg(vm->fd, sev_fd, true, mem->hva, got, PAGE_SIZE,
			     &error)) TH_LOG("DBG_DECRYPT: fw error %#x", error);
	EXPECT_EQ(0, memcmp(want, got, PAGE_SIZE))
		TH_LOG("the guest's memory, decrypted with the context");
}

/* Every ioctl of a VM whose context moved away is -EIO (kvm_vm_dead()) */
static void expect_dead(struct __test_metadata *_metadata, int sev_fd,
			struct vm *vm)
{
	struct kvm_sev_guest_status st;
	struct kvm_regs regs;

	EXPECT_EQ(-EIO, sev_guest_status(vm->fd, sev_fd, &st, NULL));
	EXPECT_EQ(-EIO, kvm_create_vcpu(vm->fd, 60));
	EXPECT_EQ(-EIO, kvm_check_extension(vm->fd, KVM_CAP_VM_TYPES));
	if (vm->nr_vcpus)
		EXPECT_EQ(-EIO, kvm_ioctl(vm->vcpus[0], KVM_GET_REGS,
					  (unsigned long)&regs));
}

/* upstream's test_sev_migrate_from() */
TEST_F(migrate, move_chain_and_back)
{
	struct vm *src, *dst[NR_MIGRATE_TEST_VMS];
	struct kvm_regs regs;
	uint32_t seed;
	int i;

	src = sev_vm_create(_metadata, &self->v, variant->type, variant->es,
			    NR_MIGRATE_TEST_VCPUS);
	seed = src->fd;
	for (i = 0; i < NR_MIGRATE_TEST_VMS; i++)
		dst[i] = aux_vm_create(_metadata, &self->v, variant->type,
				       NR_MIGRATE_TEST_VCPUS);
	EXPECT_EQ(1, sim_sev_guests());

	ASSERT_EQ(0, sev_move_from(dst[0]->fd, src->fd));
	for (i = 1; i < NR_MIGRATE_TEST_VMS; i++)
		ASSERT_EQ(0, sev_move_from(dst[i]->fd, dst[i - 1]->fd))
			TH_LOG("move %d", i);

	/* back into the first VM: it is dead */
	EXPECT_EQ(-EIO, sev_move_from(src->fd, dst[NR_MIGRATE_TEST_VMS - 1]->fd))
		TH_LOG("a VM that was migrated from must be dead");
	expect_dead(_metadata, self->v.sev_fd, src);
	for (i = 0; i < NR_MIGRATE_TEST_VMS - 1; i++)
		expect_dead(_metadata, self->v.sev_fd, dst[i]);

	/* one firmware context, the same, usable from its new VM */
	EXPECT_EQ(1, sim_sev_guests());
	expect_context(_metadata, self->v.sev_fd, dst[NR_MIGRATE_TEST_VMS - 1],
		       src->handle, variant->es, &src->mem, seed);
	/* SEV-ES: the VMSAs moved, encrypted: their registers are the guest's */
	if (variant->es && variant->type != KVM_X86_DEFAULT_VM)
		EXPECT_EQ(-EINVAL, kvm_ioctl(dst[NR_MIGRATE_TEST_VMS - 1]->vcpus[0],
					     KVM_GET_REGS, (unsigned long)&regs));

	/* the dead VMs go without the context; the last one takes it */
	vm_close(src);
	for (i = 0; i < NR_MIGRATE_TEST_VMS - 1; i++)
		vm_close(dst[i]);
	EXPECT_EQ(1, sim_sev_guests()) TH_LOG("a dead VM decommissioned it");
	vm_close(dst[NR_MIGRATE_TEST_VMS - 1]);
	EXPECT_EQ(0, sim_sev_guests()) TH_LOG("the context outlived its VM");
}

/* VMs of the variant's kind that can be initialised until ASIDs run out */
static int fill_asids(struct __test_metadata *_metadata,
		      struct vms *self, unsigned long type, bool es,
		      struct vm **first)
{
	int n = 0, ret;

	*first = NULL;
	for (;;) {
		struct vm *vm = aux_vm_create(_metadata, self, type, 0);

		if (!*first)
			*first = vm;
		ret = sev_vm_init(vm->fd, self->sev_fd, type, es, NULL);
		if (ret) {
			EXPECT_EQ(-EBUSY, ret) TH_LOG("after %d VMs", n);
			vm_close(vm);
			return n;
		}
		n++;
	}
}

/*
 * The ASID goes with the context: the VM it left gives nothing back when
 * it is destroyed, so one ASID fewer is free while the context lives, and
 * every new guest can be activated on the ASID it gets (a second owner of
 * the moved context's ASID would be refused by the firmware:
 * SEV_RET_ASID_OWNED).
 */
TEST_F_TIMEOUT(migrate, move_keeps_the_asid, 120)
{
	struct vm *src, *dst, *first;
	int total, n, i, first_idx;
	struct guest_mem mem;
	uint32_t seed, error;

	/* how many ASIDs of this kind there are, all free */
	total = fill_asids(_metadata, &self->v, variant->type, variant->es,
			   &first);
	ASSERT_LT(1, total);
	first_idx = first - self->v.vms;
	for (i = first_idx; i < self->v.nr_vms; i++)
		vm_close(&self->v.vms[i]);
	self->v.nr_vms = first_idx;

	src = sev_vm_create(_metadata, &self->v, variant->type, variant->es, 1);
	seed = src->fd;
	dst = aux_vm_create(_metadata, &self->v, variant->type, 1);
	ASSERT_EQ(0, sev_move_from(dst->fd, src->fd));
	/* the source goes; the launched memory stays for the check */
	mem = src->mem;
	src->mem.hva = NULL;
	vm_close(src);

	n = fill_asids(_metadata, &self->v, variant->type, variant->es, &first);
	EXPECT_EQ(total - 1, n) TH_LOG("%d ASIDs, one held by the moved context",
				       total);
	first_idx = first - self->v.vms;
	for (i = first_idx; i < first_idx + n; i++) {
		struct kvm_sev_launch_start start = {
			.policy = variant->es ? SEV_POLICY_ES : 0,
		};

		EXPECT_EQ(0, sev_ioctl(self->v.vms[i].fd, self->v.sev_fd,
				       KVM_SEV_LAUNCH_START, &start, &error))
			TH_LOG("guest %d: fw error %#x", i - first_idx, error);
	}
	EXPECT_EQ(n + 1, sim_sev_guests());
	expect_context(_metadata, self->v.sev_fd, dst, src->handle, variant->es,
		       &mem, seed);
	guest_mem_free(&mem);
}

/* upstream's test_sev_migrate_parameters(), per kind */
TEST_F(migrate, move_to_sev_dst_refused)
{
	struct vm *src, *dst;

	src = sev_vm_create(_metadata, &self->v, variant->type, variant->es,
			    NR_MIGRATE_TEST_VCPUS);
	/* launched, and only initialised */
	dst = sev_vm_create(_metadata, &self->v, variant->type, variant->es,
			    NR_MIGRATE_TEST_VCPUS);
	EXPECT_EQ(-EINVAL, sev_move_from(dst->fd, src->fd));
	dst = sev_vm_init_only(_metadata, &self->v, variant->type, variant->es,
			       NR_MIGRATE_TEST_VCPUS);
	EXPECT_EQ(-EINVAL, sev_move_from(dst->fd, src->fd));
	/* the source is not dead after a refused move */
	expect_context(_metadata, self->v.sev_fd, src, src->handle, variant->es,
		       &src->mem, src->fd);
	EXPECT_EQ(2, sim_sev_guests()) TH_LOG("two launched, one only initialised");
}

TEST_F(migrate, move_from_non_sev_refused)
{
	struct vm *src, *dst;

	dst = aux_vm_create(_metadata, &self->v, variant->type, 0);
	src = aux_vm_create(_metadata, &self->v, variant->type,
			    NR_MIGRATE_TEST_VCPUS);
	EXPECT_EQ(-EINVAL, sev_move_from(dst->fd, src->fd))
		TH_LOG("migrations require SEV enabled");
}

TEST_F(migrate, move_to_self_refused)
{
	struct vm *vm;

	vm = sev_vm_create(_metadata, &self->v, variant->type, variant->es, 1);
	EXPECT_EQ(-EINVAL, sev_move_from(vm->fd, vm->fd));
	expect_context(_metadata, self->v.sev_fd, vm, vm->handle, variant->es,
		       &vm->mem, vm->fd);
}

TEST_F(migrate, move_from_a_non_vm_fd)
{
	struct vm *dst;

	dst = aux_vm_create(_metadata, &self->v, variant->type, 0);
	EXPECT_EQ(-EBADF, sev_move_from(dst->fd, self->v.sev_fd));
	EXPECT_EQ(-EBADF, sev_move_from(dst->fd, self->v.kvm_fd));
	EXPECT_EQ(-EBADF, sev_move_from(dst->fd, -1));
	EXPECT_EQ(-EBADF, sev_mirror_from(dst->fd, self->v.sev_fd));
	EXPECT_EQ(-EBADF, sev_mirror_from(dst->fd, -1));
}

/*
 * The vCPU counts: an SEV-ES context needs the same number of vCPUs (each
 * takes its VMSA along); a plain SEV one does not.
 */
TEST_F(migrate, move_with_other_vcpu_count)
{
	struct vm *src, *dst;
	int want = variant->es ? -EINVAL : 0;

	src = sev_vm_create(_metadata, &self->v, variant->type, variant->es,
			    NR_MIGRATE_TEST_VCPUS);
	dst = aux_vm_create(_metadata, &self->v, variant->type, 0);
	EXPECT_EQ(want, sev_move_from(dst->fd, src->fd))
		TH_LOG("into a VM without vCPUs");
	if (!variant->es)
		return;
	dst = aux_vm_create(_metadata, &self->v, variant->type,
			    NR_MIGRATE_TEST_VCPUS - 1);
	EXPECT_EQ(-EINVAL, sev_move_from(dst->fd, src->fd))
		TH_LOG("SEV-ES migrations require the same number of vCPUs");
	/* still alive, still movable */
	dst = aux_vm_create(_metadata, &self->v, variant->type,
			    NR_MIGRATE_TEST_VCPUS);
	EXPECT_EQ(0, sev_move_from(dst->fd, src->fd));
}

/*
 * A source whose VMSAs are not encrypted yet: SEV-ES refuses it (its
 * vCPUs' state is not the guest's yet); plain SEV has no VMSA and moves
 * even before LAUNCH_START.
 */
TEST_F(migrate, move_before_launch)
{
	struct kvm_sev_launch_start start = {};
	struct kvm_sev_guest_status st;
	struct vm *src, *dst;
	uint32_t error;

	src = sev_vm_init_only(_metadata, &self->v, variant->type, variant->es,
			       1);
	dst = aux_vm_create(_metadata, &self->v, variant->type, 1);
	if (variant->es) {
		EXPECT_EQ(-EINVAL, sev_move_from(dst->fd, src->fd))
			TH_LOG("SEV-ES migrations require UPDATE_VMSA");
		return;
	}
	EXPECT_EQ(0, sev_move_from(dst->fd, src->fd));
	expect_dead(_metadata, self->v.sev_fd, src);
	/* the context (its ASID) can be launched in its new VM */
	ASSERT_EQ(0, sev_ioctl(dst->fd, self->v.sev_fd, KVM_SEV_LAUNCH_START,
			       &start, &error)) TH_LOG("fw error %#x", error);
	ASSERT_EQ(0, sev_guest_status(dst->fd, self->v.sev_fd, &st, &error));
	EXPECT_EQ(start.handle, st.handle);
	EXPECT_EQ(SEV_GUEST_STATE_LAUNCH_UPDATE, st.state);
	EXPECT_EQ(1, sim_sev_guests());
}

/* upstream's test_sev_mirror() */
TEST_F(migrate, mirror)
{
	struct vm *src, *mirror;
	struct kvm_sev_guest_status st;
	struct kvm_enc_region r;
	uint32_t id, error;
	int i;

	src = sev_vm_create(_metadata, &self->v, variant->type, variant->es,
			    NR_MIGRATE_TEST_VCPUS);
	mirror = aux_vm_create(_metadata, &self->v, variant->type, 0);
	ASSERT_EQ(0, sev_mirror_from(mirror->fd, src->fd));

	/* the mirror's creation can be completed */
	for (i = 0; i < NR_MIGRATE_TEST_VCPUS; i++) {
		mirror->vcpus[i] = kvm_create_vcpu(mirror->fd, i);
		ASSERT_LE(0, mirror->vcpus[i]);
		mirror->nr_vcpus++;
	}
	if (variant->es)
		EXPECT_EQ(0, sev_ioctl(mirror->fd, self->v.sev_fd,
				       KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
				       &error)) TH_LOG("fw error %#x", error);

	/*
	 * A mirror may issue only LAUNCH_UPDATE_VMSA, GUEST_STATUS and the
	 * DBG commands; all others are refused before their data is read,
	 * so NULL is fine (upstream's verify_mirror_allowed_cmds()).
	 */
	for (id = 0; id <= KVM_SEV_SNP_ENABLE_REQ_CERTS + 8; id++) {
		if (id == KVM_SEV_LAUNCH_UPDATE_VMSA ||
		    id == KVM_SEV_GUEST_STATUS || id == KVM_SEV_DBG_DECRYPT ||
		    id == KVM_SEV_DBG_ENCRYPT)
			continue;
		EXPECT_EQ(-EINVAL, sev_ioctl(mirror->fd, self->v.sev_fd, id,
					     NULL, NULL))
			TH_LOG("command %u from a mirror", id);
	}
	/* nor does a mirror own memory regions */
	r.addr = (uint64_t)(uintptr_t)src->mem.hva;
	r.size = PAGE_SIZE;
	EXPECT_EQ(-EINVAL, kvm_ioctl(mirror->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
				     (unsigned long)&r));
	EXPECT_EQ(-EINVAL, kvm_ioctl(mirror->fd,
				     KVM_MEMORY_ENCRYPT_UNREG_REGION,
				     (unsigned long)&r));

	/* the same context: its handle, its memory */
	expect_context(_metadata, self->v.sev_fd, mirror, src->handle,
		       variant->es, &src->mem, src->fd);
	/* and still the owner's */
	ASSERT_EQ(0, sev_guest_status(src->fd, self->v.sev_fd, &st, NULL));
	EXPECT_EQ(src->handle, st.handle);
	EXPECT_EQ(1, sim_sev_guests());
}

TEST_F(migrate, mirror_of_a_mirror_refused)
{
	struct vm *src, *mirror, *mirror2;

	src = sev_vm_create(_metadata, &self->v, variant->type, variant->es, 1);
	mirror = aux_vm_create(_metadata, &self->v, variant->type, 0);
	mirror2 = aux_vm_create(_metadata, &self->v, variant->type, 0);
	ASSERT_EQ(0, sev_mirror_from(mirror->fd, src->fd));
	EXPECT_EQ(-EINVAL, sev_mirror_from(mirror2->fd, mirror->fd));
	/* a mirror of the owner is fine */
	EXPECT_EQ(0, sev_mirror_from(mirror2->fd, src->fd));
}

/* upstream's test_sev_mirror_parameters() */
TEST_F(migrate, mirror_parameters)
{
	struct vm *src, *with_vcpu, *no_vcpu, *other;

	src = sev_vm_create(_metadata, &self->v, variant->type, variant->es, 1);
	with_vcpu = aux_vm_create(_metadata, &self->v, variant->type, 1);
	no_vcpu = aux_vm_create(_metadata, &self->v, variant->type, 0);

	EXPECT_EQ(-EINVAL, sev_mirror_from(src->fd, src->fd))
		TH_LOG("copy context to self");
	EXPECT_EQ(-EINVAL, sev_mirror_from(no_vcpu->fd, with_vcpu->fd))
		TH_LOG("copy context requires SEV enabled");
	EXPECT_EQ(-EINVAL, sev_mirror_from(with_vcpu->fd, src->fd))
		TH_LOG("copy context requires no vCPUs on the destination");
	/* a destination that is SEV already (upstream: SEV <-> SEV-ES) */
	other = sev_vm_init_only(_metadata, &self->v, variant->type, variant->es, 0);
	EXPECT_EQ(-EINVAL, sev_mirror_from(other->fd, src->fd));
	EXPECT_EQ(-EINVAL, sev_mirror_from(src->fd, other->fd));
}

/* A mirror holds its owner: the context lives until both are gone */
TEST_F(migrate, mirror_outlives_its_owner)
{
	struct vm *src, *mirror;
	struct guest_mem mem;
	uint32_t handle, seed;

	src = sev_vm_create(_metadata, &self->v, variant->type, variant->es, 1);
	mirror = aux_vm_create(_metadata, &self->v, variant->type, 0);
	ASSERT_EQ(0, sev_mirror_from(mirror->fd, src->fd));

	/* the owner's file goes; its memory stays for the check */
	handle = src->handle;
	seed = src->fd;
	mem = src->mem;
	src->mem.hva = NULL;
	vm_close(src);

	EXPECT_EQ(1, sim_sev_guests());
	expect_context(_metadata, self->v.sev_fd, mirror, handle, variant->es,
		       &mem, seed);
	vm_close(mirror);
	EXPECT_EQ(0, sim_sev_guests()) TH_LOG("the owner went with its mirror");
	guest_mem_free(&mem);
}

/* The tests of both kinds, or of two VM types, together */
FIXTURE(migrate_mix) {
	struct vms v;
};

FIXTURE_SETUP(migrate_mix)
{
	vms_setup(_metadata, &self->v);
}

FIXTURE_TEARDOWN(migrate_mix)
{
	vms_teardown(&self->v);
}

/* SEV into SEV-ES and back (upstream's parameters, legacy VM type) */
TEST_F(migrate_mix, sev_and_es_do_not_mix)
{
	struct vm *sev, *es, *dst;

	if (!self->v.have_es)
		SKIP(return, "no SEV-ES on this host");
	sev = sev_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, false,
			    NR_MIGRATE_TEST_VCPUS);
	es = sev_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, true,
			   NR_MIGRATE_TEST_VCPUS);
	EXPECT_EQ(-EINVAL, sev_move_from(sev->fd, es->fd))
		TH_LOG("into an SEV VM");
	EXPECT_EQ(-EINVAL, sev_move_from(es->fd, sev->fd))
		TH_LOG("into an SEV-ES VM");
	EXPECT_EQ(-EINVAL, sev_mirror_from(sev->fd, es->fd));
	EXPECT_EQ(-EINVAL, sev_mirror_from(es->fd, sev->fd));

	/* VM types must match: SEV_ES_VM into an SEV_VM, DEFAULT into both */
	es = sev_vm_create(_metadata, &self->v, KVM_X86_SEV_ES_VM, true,
			   NR_MIGRATE_TEST_VCPUS);
	dst = aux_vm_create(_metadata, &self->v, KVM_X86_SEV_VM,
			    NR_MIGRATE_TEST_VCPUS);
	EXPECT_EQ(-EINVAL, sev_move_from(dst->fd, es->fd));
	dst = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM,
			    NR_MIGRATE_TEST_VCPUS);
	EXPECT_EQ(-EINVAL, sev_move_from(dst->fd, es->fd));
	/* the same type, no context yet: allowed */
	EXPECT_EQ(0, sev_move_from(dst->fd, sev->fd));
}

struct locking_thread_input {
	int vm;
	int source_vms[NR_LOCK_TESTING_THREADS];
	int bad;	/* results other than -EINVAL and -EBUSY */
	int last_bad;
};

static void *locking_test_thread(void *arg)
{
	struct locking_thread_input *input = arg;
	int i, ret;

	for (i = 0; i < NR_LOCK_TESTING_ITERATIONS; ++i) {
		ret = sev_move_from(input->vm,
				    input->source_vms[i % NR_LOCK_TESTING_THREADS]);
		if (ret != -EINVAL && ret != -EBUSY) {
			input->bad++;
			input->last_bad = ret;
		}
	}
	return NULL;
}

/*
 * upstream's test_sev_migrate_locking(): threads move contexts among SEV
 * VMs (each into its own, from each of them, itself included), all at
 * once. Every VM has a context, so every move is refused, after the two
 * VMs are claimed and locked (-EINVAL), or before (-EBUSY); what counts
 * is that no lock order deadlocks (lockdep) and nothing else comes back.
 */
TEST_F_TIMEOUT(migrate_mix, locking, 120)
{
	struct locking_thread_input input[NR_LOCK_TESTING_THREADS];
	pthread_t pt[NR_LOCK_TESTING_THREADS];
	struct vm *vm[NR_LOCK_TESTING_THREADS];
	struct kvm_sev_guest_status st;
	double t0 = now_ms();
	int i;

	memset(input, 0, sizeof(input));
	for (i = 0; i < NR_LOCK_TESTING_THREADS; ++i) {
		vm[i] = sev_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM,
				      false, NR_MIGRATE_TEST_VCPUS);
		input[i].vm = vm[i]->fd;
		input[0].source_vms[i] = vm[i]->fd;
	}
	for (i = 1; i < NR_LOCK_TESTING_THREADS; ++i)
		memcpy(input[i].source_vms, input[0].source_vms,
		       sizeof(input[i].source_vms));

	for (i = 0; i < NR_LOCK_TESTING_THREADS; ++i)
		ASSERT_EQ(0, pthread_create(&pt[i], NULL, locking_test_thread,
					    &input[i]));
	for (i = 0; i < NR_LOCK_TESTING_THREADS; ++i)
		ASSERT_EQ(0, pthread_join(pt[i], NULL));
	TH_LOG("%d x %d moves in %.0f ms", NR_LOCK_TESTING_THREADS,
	       NR_LOCK_TESTING_ITERATIONS, now_ms() - t0);

	for (i = 0; i < NR_LOCK_TESTING_THREADS; ++i) {
		EXPECT_EQ(0, input[i].bad) TH_LOG("thread %d: last %d", i,
						  input[i].last_bad);
		/* each VM keeps its own context */
		ASSERT_EQ(0, sev_guest_status(vm[i]->fd, self->v.sev_fd, &st,
					      NULL));
		EXPECT_EQ(vm[i]->handle, st.handle);
	}
	EXPECT_EQ(NR_LOCK_TESTING_THREADS, sim_sev_guests());
}

struct pool_thread_input {
	int *vms;
	unsigned int seed;
	int moved;	/* successful moves */
	int bad;	/* results other than 0, -EINVAL, -EBUSY, -EIO */
	int last_bad;
};

static void *pool_test_thread(void *arg)
{
	struct pool_thread_input *in = arg;
	int i, ret, dst, src;

	for (i = 0; i < NR_LOCK_TESTING_ITERATIONS; i++) {
		dst = rand_r(&in->seed) % NR_POOL_VMS;
		src = rand_r(&in->seed) % NR_POOL_VMS;
		ret = sev_move_from(in->vms[dst], in->vms[src]);
		if (!ret) {
			in->moved++;
		} else if (ret != -EINVAL && ret != -EBUSY && ret != -EIO) {
			in->bad++;
			in->last_bad = ret;
		}
	}
	return NULL;
}

/*
 * One context, racing moves among a pool of VMs: the context ends in
 * exactly one live VM, every VM it passed through is dead, and it was
 * moved exactly once per dead VM.
 */
TEST_F_TIMEOUT(migrate_mix, locking_one_context, 120)
{
	struct pool_thread_input input[NR_LOCK_TESTING_THREADS];
	pthread_t pt[NR_LOCK_TESTING_THREADS];
	struct kvm_sev_guest_status st;
	int fds[NR_POOL_VMS], moved = 0, dead = 0, live = 0, none = 0;
	struct vm *src;
	int i, ret;

	src = sev_vm_create(_metadata, &self->v, KVM_X86_SEV_VM, false, 1);
	fds[0] = src->fd;
	for (i = 1; i < NR_POOL_VMS; i++)
		fds[i] = aux_vm_create(_metadata, &self->v, KVM_X86_SEV_VM,
				       1)->fd;

	memset(input, 0, sizeof(input));
	for (i = 0; i < NR_LOCK_TESTING_THREADS; i++) {
		input[i].vms = fds;
		input[i].seed = 1000 + i;
		ASSERT_EQ(0, pthread_create(&pt[i], NULL, pool_test_thread,
					    &input[i]));
	}
	for (i = 0; i < NR_LOCK_TESTING_THREADS; i++) {
		ASSERT_EQ(0, pthread_join(pt[i], NULL));
		EXPECT_EQ(0, input[i].bad) TH_LOG("thread %d: last %d", i,
						  input[i].last_bad);
		moved += input[i].moved;
	}

	for (i = 0; i < NR_POOL_VMS; i++) {
		ret = sev_guest_status(fds[i], self->v.sev_fd, &st, NULL);
		if (ret == -EIO) {
			dead++;
		} else if (ret == -ENOTTY) {
			none++;		/* never had it */
		} else {
			EXPECT_EQ(0, ret) TH_LOG("VM %d", i);
			EXPECT_EQ(src->handle, st.handle);
			live++;
		}
	}
	TH_LOG("%d moves: %d dead VMs, %d untouched", moved, dead, none);
	EXPECT_LT(0, moved);
	EXPECT_EQ(1, live);
	EXPECT_EQ(moved, dead);
	EXPECT_EQ(1, sim_sev_guests());
}

/*
 * upstream's test_sev_move_copy(): mirrors and their owners moved in
 * turn; each mirror follows its owner. Then destroyed in two orders.
 */
TEST_F(migrate_mix, move_owners_and_mirrors)
{
	struct vm *dst, *dst2, *dst3, *sev, *mirror, *dst_mirror,
		  *dst2_mirror, *dst3_mirror;
	struct guest_mem mem;
	uint32_t handle, seed;

	sev = sev_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, false,
			    NR_MIGRATE_TEST_VCPUS);
	handle = sev->handle;
	seed = sev->fd;
	mem = sev->mem;
	sev->mem.hva = NULL;
	dst = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM,
			    NR_MIGRATE_TEST_VCPUS);
	dst2 = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM,
			     NR_MIGRATE_TEST_VCPUS);
	dst3 = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM,
			     NR_MIGRATE_TEST_VCPUS);
	mirror = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, 0);
	dst_mirror = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, 0);
	dst2_mirror = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, 0);
	dst3_mirror = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, 0);

	ASSERT_EQ(0, sev_mirror_from(mirror->fd, sev->fd));
	ASSERT_EQ(0, sev_move_from(dst_mirror->fd, mirror->fd));
	ASSERT_EQ(0, sev_move_from(dst->fd, sev->fd));
	ASSERT_EQ(0, sev_move_from(dst2->fd, dst->fd));
	ASSERT_EQ(0, sev_move_from(dst2_mirror->fd, dst_mirror->fd));
	ASSERT_EQ(0, sev_move_from(dst3_mirror->fd, dst2_mirror->fd));
	ASSERT_EQ(0, sev_move_from(dst3->fd, dst2->fd));

	expect_dead(_metadata, self->v.sev_fd, mirror);
	expect_dead(_metadata, self->v.sev_fd, dst2);
	/* the moved mirror is still a mirror, of the moved owner */
	EXPECT_EQ(-EINVAL, sev_ioctl(dst3_mirror->fd, self->v.sev_fd,
				     KVM_SEV_LAUNCH_MEASURE, NULL, NULL));
	expect_context(_metadata, self->v.sev_fd, dst3_mirror, handle, false,
		       &mem, seed);
	expect_context(_metadata, self->v.sev_fd, dst3, handle, false, &mem, seed);

	vm_close(dst);
	vm_close(sev);
	vm_close(dst2);
	vm_close(dst3);
	/* the live mirror holds the owner, and so the context */
	EXPECT_EQ(1, sim_sev_guests());
	expect_context(_metadata, self->v.sev_fd, dst3_mirror, handle, false,
		       &mem, seed);
	vm_close(mirror);
	vm_close(dst_mirror);
	vm_close(dst2_mirror);
	vm_close(dst3_mirror);
	EXPECT_EQ(0, sim_sev_guests());

	/* again, destroying the mirrors before the VMs they mirror */
	sev = sev_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, false,
			    NR_MIGRATE_TEST_VCPUS);
	dst = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM,
			    NR_MIGRATE_TEST_VCPUS);
	mirror = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, 0);
	dst_mirror = aux_vm_create(_metadata, &self->v, KVM_X86_DEFAULT_VM, 0);

	ASSERT_EQ(0, sev_mirror_from(mirror->fd, sev->fd));
	ASSERT_EQ(0, sev_move_from(dst_mirror->fd, mirror->fd));
	ASSERT_EQ(0, sev_move_from(dst->fd, sev->fd));

	vm_close(mirror);
	vm_close(dst_mirror);
	EXPECT_EQ(1, sim_sev_guests());
	vm_close(dst);
	EXPECT_EQ(0, sim_sev_guests());
	vm_close(sev);
	guest_mem_free(&mem);
}

TEST_HARNESS_MAIN
