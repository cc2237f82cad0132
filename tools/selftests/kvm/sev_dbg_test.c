// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SEV_DBG_DECRYPT and KVM_SEV_DBG_ENCRYPT against /dev/kvm-sev: the
 * launched memory decrypts back (as upstream's test_sev_dbg()), and
 * encrypt/decrypt round-trips at any alignment and length, crossing page
 * boundaries on the guest side only, the VMM side only, or both, are
 * checked against a reference copy of the guest's memory (so a
 * read-modify-write that disturbs the bytes around a write is caught, and
 * so is a decrypt that writes past its length). Then the bounds: zero
 * length, overflowing and huge lengths, unmapped addresses, all answered
 * with an errno; and a guest whose policy has NODBG is refused by the
 * firmware.
 *
 * KVM works on the VMM's addresses, page by page, and does not look at
 * memory slots: an address need only be mapped in the VMM.
 *
 * Each test gets a fresh simulated PSP (sevsim0) and removes it afterwards.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define GUEST_PAGES	4
#define GUEST_SIZE	(GUEST_PAGES * PAGE_SIZE)
#define GUEST_GPA	0x100000
#define HOST_PAGES	8
#define HOST_SIZE	(HOST_PAGES * PAGE_SIZE)
#define POISON		0x5a

/* The launched VM, its memory, and the VMM's buffer for DBG */
struct dbg_vm {
	int kvm_fd;
	int sev_fd;
	int vm;
	int vcpu;
	struct guest_mem mem;
	uint8_t *host;		/* HOST_SIZE bytes, then a guard page */
	uint8_t ref[GUEST_SIZE]; /* what the guest's memory holds */
};

FIXTURE(dbg) {
	struct dbg_vm d;
};

FIXTURE_VARIANT(dbg) {
	unsigned long type;
	bool es;
};

FIXTURE_VARIANT_ADD(dbg, sev) { .type = KVM_X86_SEV_VM };
FIXTURE_VARIANT_ADD(dbg, sev_es) { .type = KVM_X86_SEV_ES_VM, .es = true };

/* @size bytes of memory of the VMM's own, then a PROT_NONE page */
static uint8_t *map_guarded(size_t size)
{
	uint8_t *p = mmap(NULL, size + PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + size, PAGE_SIZE, PROT_NONE)) {
		munmap(p, size + PAGE_SIZE);
		return NULL;
	}
	return p;
}

/*
 * A VM of @type, initialised, with GUEST_PAGES of memory holding @mem's
 * pattern (@ref), launched with @policy: LAUNCH_START, LAUNCH_UPDATE_DATA
 * of all of it, and for SEV-ES one vCPU's VMSA.
 */
static void launch_vm(struct __test_metadata *_metadata, int kvm_fd,
		      int sev_fd, unsigned long type, bool es, uint32_t policy,
		      int *vm, int *vcpu, struct guest_mem *mem, uint8_t *ref)
{
	struct kvm_sev_launch_start start = { .policy = policy };
	struct kvm_sev_launch_update_data update;
	uint32_t error = 0;

	*vm = kvm_create_vm(kvm_fd, type);
	ASSERT_LE(0, *vm);
	ASSERT_EQ(0, sev_vm_init(*vm, sev_fd, type, es, &error))
		TH_LOG("fw error %#x", error);
	ASSERT_EQ(0, guest_mem_add(*vm, 0, GUEST_GPA, GUEST_SIZE, mem));
	fill_pattern(mem->hva, GUEST_SIZE, policy + 1);
	memcpy(ref, mem->hva, GUEST_SIZE);
	ASSERT_EQ(0, sev_register_region(*vm, mem));
	*vcpu = kvm_create_vcpu(*vm, 0);
	ASSERT_LE(0, *vcpu);

	ASSERT_EQ(0, sev_ioctl(*vm, sev_fd, KVM_SEV_LAUNCH_START, &start,
			       &error)) TH_LOG("fw error %#x", error);
	update.uaddr = (uint64_t)(uintptr_t)mem->hva;
	update.len = GUEST_SIZE;
	ASSERT_EQ(0, sev_ioctl(*vm, sev_fd, KVM_SEV_LAUNCH_UPDATE_DATA, &update,
			       &error)) TH_LOG("fw error %#x", error);
	if (es)
		ASSERT_EQ(0, sev_ioctl(*vm, sev_fd, KVM_SEV_LAUNCH_UPDATE_VMSA,
				       NULL, &error))
			TH_LOG("fw error %#x", error);
}

FIXTURE_SETUP(dbg)
{
	int types;

	self->d.vm = -1;
	self->d.vcpu = -1;
	sim_del(SEV_SIM_ID);	/* left over by a test that died */
	ASSERT_EQ(0, sim_new(SEV_SIM_ID, 2)) TH_LOG("cannot create sevsim0");
	self->d.sev_fd = sev_dev_open();
	ASSERT_LE(0, self->d.sev_fd) TH_LOG("open /dev/sev: %d", self->d.sev_fd);
	self->d.kvm_fd = kvm_sev_open();
	ASSERT_LE(0, self->d.kvm_fd)
		TH_LOG("open %s: %d", KVM_SEV_DEV_PATH, self->d.kvm_fd);
	types = kvm_check_extension(self->d.kvm_fd, KVM_CAP_VM_TYPES);
	ASSERT_LE(0, types);
	if (!(types & BIT(variant->type)))
		SKIP(return, "VM type %lu is not in KVM_CAP_VM_TYPES (%#x)",
		     variant->type, types);
	self->d.host = map_guarded(HOST_SIZE);
	ASSERT_NE(NULL, self->d.host);
	launch_vm(_metadata, self->d.kvm_fd, self->d.sev_fd, variant->type,
		  variant->es, variant->es ? SEV_POLICY_ES : 0, &self->d.vm,
		  &self->d.vcpu, &self->d.mem, self->d.ref);
}

FIXTURE_TEARDOWN(dbg)
{
	if (self->d.vcpu >= 0)
		close(self->d.vcpu);
	if (self->d.vm >= 0)
		close(self->d.vm);
	guest_mem_free(&self->d.mem);
	if (self->d.host)
		munmap(self->d.host, HOST_SIZE + PAGE_SIZE);
	close(self->d.kvm_fd);
	close(self->d.sev_fd);
	sim_del(SEV_SIM_ID);
}

/* All of the guest's memory, decrypted, is the reference */
static void expect_guest_is_ref(struct __test_metadata *_metadata,
				struct dbg_vm *self, const char *after)
{
	static uint8_t got[GUEST_SIZE];
	uint32_t error = 0;
	size_t i;

	memset(got, POISON, sizeof(got));
	ASSERT_EQ(0, sev_dbg(self->vm, self->sev_fd, true, self->mem.hva, got,
			     GUEST_SIZE, &error))
		TH_LOG("DBG_DECRYPT of all memory after %s: fw error %#x",
		       after, error);
	for (i = 0; i < GUEST_SIZE; i++)
		if (got[i] != self->ref[i])
			break;
	EXPECT_EQ(GUEST_SIZE, i)
		TH_LOG("after %s: byte %#zx is %#x, want %#x", after, i,
		       got[i], self->ref[i]);
}

/* upstream's test_sev_dbg(): what was launched decrypts back */
TEST_F(dbg, launched_memory_decrypts)
{
	expect_guest_is_ref(_metadata, &self->d, "the launch");
	/* one byte, one block, one page, at their edges */
	memset(self->d.host, POISON, HOST_SIZE);
	EXPECT_EQ(0, sev_dbg(self->d.vm, self->d.sev_fd, true,
			     self->d.mem.hva + GUEST_SIZE - 1, self->d.host, 1,
			     NULL));
	EXPECT_EQ(self->d.ref[GUEST_SIZE - 1], self->d.host[0]);
	EXPECT_EQ(POISON, self->d.host[1]);
}

/*
 * One round trip: @len bytes of a new pattern encrypted from the VMM's
 * buffer at @host_off into the guest at @guest_off, then decrypted back
 * into a poisoned buffer at @host_off; the guest's memory as a whole must
 * be the reference with those bytes changed, and nothing around the
 * decrypted bytes written.
 */
static void round_trip(struct __test_metadata *_metadata,
		       struct dbg_vm *self, size_t guest_off,
		       size_t host_off, size_t len, uint32_t seed)
{
	static uint8_t data[GUEST_SIZE];
	char what[96];
	uint32_t error = 0;
	size_t i, lo, hi;

	ASSERT_GE(GUEST_SIZE, guest_off + len);
	ASSERT_GE(HOST_SIZE, host_off + len);
	snprintf(what, sizeof(what), "guest %#zx, host %#zx, len %#zx",
		 guest_off, host_off, len);

	fill_pattern(data, len, seed);
	memset(self->host, POISON, HOST_SIZE);
	memcpy(self->host + host_off, data, len);
	ASSERT_EQ(0, sev_dbg(self->vm, self->sev_fd, false,
			     self->host + host_off, self->mem.hva + guest_off,
			     len, &error))
		TH_LOG("DBG_ENCRYPT %s: fw error %#x", what, error);
	memcpy(self->ref + guest_off, data, len);

	memset(self->host, POISON, HOST_SIZE);
	ASSERT_EQ(0, sev_dbg(self->vm, self->sev_fd, true,
			     self->mem.hva + guest_off, self->host + host_off,
			     len, &error))
		TH_LOG("DBG_DECRYPT %s: fw error %#x", what, error);
	EXPECT_EQ(0, memcmp(data, self->host + host_off, len))
		TH_LOG("decrypted bytes differ: %s", what);
	/* up to 32 bytes around: KVM bounces partial blocks, never writes them */
	lo = host_off > 32 ? host_off - 32 : 0;
	hi = host_off + len + 32 < HOST_SIZE ? host_off + len + 32 : HOST_SIZE;
	for (i = lo; i < hi; i++) {
		if (i >= host_off && i < host_off + len)
			continue;
		if (self->host[i] != POISON)
			break;
	}
	EXPECT_EQ(hi, i) TH_LOG("DBG_DECRYPT %s wrote host byte %#zx", what, i);

	expect_guest_is_ref(_metadata, self, what);
}

/* The four ways of crossing a page, and one of several pages */
TEST_F(dbg, round_trip_across_pages)
{
	/* neither side crosses */
	round_trip(_metadata, &self->d, 16, 32, 64, 1);
	/* the guest side only */
	round_trip(_metadata, &self->d, PAGE_SIZE - 7, 100, 33, 2);
	/* the VMM side only */
	round_trip(_metadata, &self->d, 100, PAGE_SIZE - 9, 40, 3);
	/* both, at different offsets */
	round_trip(_metadata, &self->d, 2 * PAGE_SIZE - 5, PAGE_SIZE - 11, 77, 4);
	/* both, at the same offset */
	round_trip(_metadata, &self->d, PAGE_SIZE - 3, PAGE_SIZE - 3, 35, 5);
	/* several pages, unaligned everywhere */
	round_trip(_metadata, &self->d, 3, PAGE_SIZE + 7, 2 * PAGE_SIZE + 50, 6);
	/* all of it, aligned */
	round_trip(_metadata, &self->d, 0, 0, GUEST_SIZE, 7);
	/* the very end of the guest's memory, one byte */
	round_trip(_metadata, &self->d, GUEST_SIZE - 1, HOST_SIZE - 1, 1, 8);
}

/*
 * upstream's offsets and sizes (lengths not multiples of 16, and around a
 * page), with the VMM's buffer at another alignment each time.
 */
TEST_F_TIMEOUT(dbg, round_trip_offsets_and_sizes, 120)
{
	static const size_t offsets[] = { 0, 1, 8, 15, 16, 23, PAGE_SIZE - 17 };
	static const size_t sizes[] = {
		1, 8, 15, 16, 17, 32, 33, PAGE_SIZE - 5, PAGE_SIZE + 13,
	};
	unsigned int i, j, n = 100;

	for (i = 0; i < ARRAY_SIZE(offsets); i++)
		for (j = 0; j < ARRAY_SIZE(sizes); j++)
			round_trip(_metadata, &self->d, offsets[i],
				   (offsets[i] * 7 + j * 5 + 3) % PAGE_SIZE,
				   sizes[j], n++);
}

/* Bad arguments: an errno, nothing done */
TEST_F(dbg, zero_length_and_null_addresses)
{
	uint8_t *g = self->d.mem.hva, *h = self->d.host;
	struct kvm_sev_cmd cmd = {
		.id = KVM_SEV_DBG_DECRYPT,
		.sev_fd = self->d.sev_fd,
	};

	EXPECT_EQ(-EINVAL, sev_dbg(self->d.vm, self->d.sev_fd, true, g, h, 0, NULL));
	EXPECT_EQ(-EINVAL, sev_dbg(self->d.vm, self->d.sev_fd, false, h, g, 0, NULL));
	/* no destination */
	EXPECT_EQ(-EINVAL, sev_dbg(self->d.vm, self->d.sev_fd, true, g, NULL, 16,
				   NULL));
	EXPECT_EQ(-EINVAL, sev_dbg(self->d.vm, self->d.sev_fd, false, h, NULL, 16,
				   NULL));
	/* no struct kvm_sev_dbg */
	EXPECT_EQ(-EFAULT, kvm_ioctl(self->d.vm, KVM_MEMORY_ENCRYPT_OP,
				     (unsigned long)&cmd));
	expect_guest_is_ref(_metadata, &self->d, "refused commands");
}

TEST_F(dbg, overflowing_length)
{
	uint8_t *end = (uint8_t *)(uintptr_t)(~0ULL - 100);

	/* src + len wraps around */
	EXPECT_EQ(-EINVAL, sev_dbg(self->d.vm, self->d.sev_fd, true, end,
				   self->d.host, 200, NULL));
	EXPECT_EQ(-EINVAL, sev_dbg(self->d.vm, self->d.sev_fd, false, end,
				   self->d.mem.hva, 200, NULL));
	EXPECT_EQ(-EINVAL, sev_dbg(self->d.vm, self->d.sev_fd, true, end,
				   self->d.host, ~0U, NULL));
	expect_guest_is_ref(_metadata, &self->d, "overflowing lengths");
}

/*
 * A length that runs past the guest's memory: the pages up to the
 * unmapped one are done, then -ENOMEM (the page cannot be pinned), as
 * upstream.
 */
TEST_F(dbg, huge_length_stops_at_unmapped_guest_page)
{
	uint32_t error = 0;

	memset(self->d.host, POISON, HOST_SIZE);
	EXPECT_EQ(-ENOMEM, sev_dbg(self->d.vm, self->d.sev_fd, true,
				   self->d.mem.hva, self->d.host, 0x7fffffff,
				   &error));
	EXPECT_EQ(0, memcmp(self->d.ref, self->d.host, GUEST_SIZE))
		TH_LOG("the guest's pages before the unmapped one");
	EXPECT_EQ(POISON, self->d.host[GUEST_SIZE]);

	/* encrypting: every guest page before the unmapped one is written */
	fill_pattern(self->d.host, HOST_SIZE, 77);
	EXPECT_EQ(-ENOMEM, sev_dbg(self->d.vm, self->d.sev_fd, false, self->d.host,
				   self->d.mem.hva, HOST_SIZE, &error));
	memcpy(self->d.ref, self->d.host, GUEST_SIZE);
	expect_guest_is_ref(_metadata, &self->d, "a huge DBG_ENCRYPT");
}

/*
 * The VMM's buffer runs out first. Upstream pins the VMM's page as it
 * pins the guest's, so it answers -ENOMEM; copying through a bounce page
 * would answer -EFAULT. Either is an answer; the pages before are done.
 */
TEST_F(dbg, huge_length_stops_at_unmapped_host_page)
{
	uint8_t *small = map_guarded(PAGE_SIZE);
	int ret;

	ASSERT_NE(NULL, small);
	memset(small, POISON, PAGE_SIZE);
	ret = sev_dbg(self->d.vm, self->d.sev_fd, true, self->d.mem.hva, small,
		      GUEST_SIZE, NULL);
	TH_LOG("DBG_DECRYPT into a short VMM buffer: %d", ret);
	EXPECT_TRUE(ret == -ENOMEM || ret == -EFAULT) TH_LOG("ret %d", ret);
	EXPECT_EQ(0, memcmp(self->d.ref, small, PAGE_SIZE));

	ret = sev_dbg(self->d.vm, self->d.sev_fd, false, small, self->d.mem.hva,
		      GUEST_SIZE, NULL);
	EXPECT_TRUE(ret == -ENOMEM || ret == -EFAULT) TH_LOG("ret %d", ret);
	/* the first guest page took the buffer, the others are as they were */
	memcpy(self->d.ref, small, PAGE_SIZE);
	expect_guest_is_ref(_metadata, &self->d, "an encrypt from a short buffer");
	munmap(small, 2 * PAGE_SIZE);
}

TEST_F(dbg, unmapped_addresses)
{
	uint8_t *gone = map_guarded(PAGE_SIZE);

	ASSERT_NE(NULL, gone);
	munmap(gone, 2 * PAGE_SIZE);
	/* the guest side cannot be pinned: -ENOMEM, as upstream */
	EXPECT_EQ(-ENOMEM, sev_dbg(self->d.vm, self->d.sev_fd, true, gone,
				   self->d.host, 16, NULL));
	EXPECT_EQ(-ENOMEM, sev_dbg(self->d.vm, self->d.sev_fd, false, self->d.host,
				   gone, 16, NULL));
	expect_guest_is_ref(_metadata, &self->d, "unmapped addresses");
}

/*
 * Memory of the VMM that is in no memory slot nor registered region: KVM
 * takes VMM addresses and does not look for a slot (upstream neither), so
 * the firmware is asked, and answers.
 */
TEST_F(dbg, address_outside_any_slot)
{
	uint8_t *other = map_guarded(PAGE_SIZE);
	uint32_t error = 0;

	ASSERT_NE(NULL, other);
	EXPECT_EQ(0, sev_dbg(self->d.vm, self->d.sev_fd, true, other + 16,
			     self->d.host, 32, &error)) TH_LOG("fw %#x", error);
	EXPECT_EQ(0, error);
	munmap(other, 2 * PAGE_SIZE);
}

/* DBG through every launch state after LAUNCH_START */
TEST_F(dbg, every_launch_state)
{
	struct kvm_sev_launch_measure measure;
	struct kvm_sev_guest_status st;
	uint8_t blob[256];
	uint32_t error = 0;

	round_trip(_metadata, &self->d, 40, 8, 48, 11);

	measure.uaddr = (uint64_t)(uintptr_t)blob;
	measure.len = sizeof(blob);
	ASSERT_EQ(0, sev_ioctl(self->d.vm, self->d.sev_fd, KVM_SEV_LAUNCH_MEASURE,
			       &measure, &error)) TH_LOG("fw error %#x", error);
	ASSERT_EQ(0, sev_guest_status(self->d.vm, self->d.sev_fd, &st, &error));
	ASSERT_EQ(SEV_GUEST_STATE_LAUNCH_SECRET, st.state);
	round_trip(_metadata, &self->d, PAGE_SIZE - 20, 8, 48, 12);

	ASSERT_EQ(0, sev_ioctl(self->d.vm, self->d.sev_fd, KVM_SEV_LAUNCH_FINISH,
			       NULL, &error)) TH_LOG("fw error %#x", error);
	ASSERT_EQ(0, sev_guest_status(self->d.vm, self->d.sev_fd, &st, &error));
	ASSERT_EQ(SEV_GUEST_STATE_RUNNING, st.state);
	round_trip(_metadata, &self->d, 3 * PAGE_SIZE - 20, 8, 48, 13);
}

/* NODBG: the firmware refuses both directions, and nothing is written */
TEST_F(dbg, nodbg_policy_refused)
{
	uint32_t policy = SEV_POLICY_NO_DBG | (variant->es ? SEV_POLICY_ES : 0);
	static uint8_t ref[GUEST_SIZE];
	struct guest_mem mem = {};
	struct kvm_sev_guest_status st;
	uint32_t error;
	int vm, vcpu;

	launch_vm(_metadata, self->d.kvm_fd, self->d.sev_fd, variant->type,
		  variant->es, policy, &vm, &vcpu, &mem, ref);
	ASSERT_EQ(0, sev_guest_status(vm, self->d.sev_fd, &st, NULL));
	EXPECT_EQ(policy, st.policy);

	memset(self->d.host, POISON, HOST_SIZE);
	error = 0;
	EXPECT_EQ(-EIO, sev_dbg(vm, self->d.sev_fd, true, mem.hva, self->d.host,
				64, &error));
	EXPECT_EQ(SEV_RET_POLICY_FAILURE, error);
	EXPECT_EQ(POISON, self->d.host[0]);
	EXPECT_EQ(POISON, self->d.host[63]);

	error = 0;
	memcpy(ref, mem.hva, 64);
	EXPECT_EQ(-EIO, sev_dbg(vm, self->d.sev_fd, false, self->d.host, mem.hva,
				64, &error));
	EXPECT_EQ(SEV_RET_POLICY_FAILURE, error);
	/* the guest's memory, as the VMM sees it, did not change either */
	EXPECT_EQ(0, memcmp(ref, mem.hva, 64)) TH_LOG("NODBG guest written");

	close(vcpu);
	close(vm);
	guest_mem_free(&mem);
}

TEST_F(dbg, not_an_sev_vm)
{
	int vm = kvm_create_vm(self->d.kvm_fd, KVM_X86_DEFAULT_VM);

	ASSERT_LE(0, vm);
	EXPECT_EQ(-ENOTTY, sev_dbg(vm, self->d.sev_fd, true, self->d.mem.hva,
				   self->d.host, 16, NULL));
	EXPECT_EQ(-ENOTTY, sev_dbg(vm, self->d.sev_fd, false, self->d.host,
				   self->d.mem.hva, 16, NULL));
	close(vm);
}

TEST_HARNESS_MAIN
