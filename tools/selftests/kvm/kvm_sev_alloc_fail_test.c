// SPDX-License-Identifier: GPL-2.0
/*
 * Every /dev/kvm-sev ioctl that allocates, with each of its allocations
 * made to fail in turn (/proc/thread-self/fail-nth: failslab and
 * fail_page_alloc, sleeping allocations included), as sev_alloc_fail_test
 * does for /dev/sev. For each call, a fresh VM is brought to the state
 * just before it; the n-th allocation of the call is armed to fail, for
 * n = 1, 2, ... until the call makes fewer than n allocations and
 * succeeds (a call that may be made again and again gets one VM for all
 * rounds). Each injected failure must give the errno the call documents
 * for it and leave the VM as it was: the same call, made again without
 * injection, works (for SNP_LAUNCH_FINISH with an ID block only until the
 * vCPUs' VMSAs are measured: after that a VMM can only tear the VM down;
 * without one, nothing after them allocates). Each VM's
 * teardown must leave the firmware no guest context; each test ends with
 * every ASID reusable and no page leaked.
 * Leaks of kernel memory on the error paths are kmemleak's to find after
 * the run. KVM_SEV_ALLOC_FAIL_VERBOSE=TEXT puts a stack trace of each
 * failure made in the calls whose name has TEXT in the kernel log.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define MAX_SITES	200	/* more allocations than this in one call: a bug */
#define GUEST_PAGES	2
#define GUEST_GPA	0x100000ULL
#define SNP_POLICY	(SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT)
#define BUF_SIZE	(4 * PAGE_SIZE)
#define MAX_VMS		256	/* more than the platform's ASIDs */
#define OWNER_BLOB_LEN	PAGE_SIZE

/* How far a round takes its VM before the call under test */
enum stage {
	ST_NONE,	/* no VM */
	ST_VM,		/* created */
	ST_INIT,	/* KVM_SEV_INIT2 */
	ST_MEM,		/* guest memory (SNP: guest_memfd, private) */
	ST_VCPUS,	/* its vCPUs */
	ST_START,	/* LAUNCH_START (SNP_LAUNCH_START) */
	ST_DATA,	/* LAUNCH_UPDATE_DATA (SNP_LAUNCH_UPDATE of a page) */
	ST_VMSA,	/* LAUNCH_UPDATE_VMSA (SEV-ES) */
	ST_MEASURE,	/* LAUNCH_MEASURE */
	ST_FINISH,	/* LAUNCH_FINISH (SNP_LAUNCH_FINISH) */
};

struct round {
	int kvm_fd, sev_fd;
	unsigned long type;
	int nr_vcpus;
	int vm, vm2, gmem, made;	/* -1: none */
	int vcpu[2];
	struct guest_mem mem;		/* SEV: the VMM's memory, slot 0 */
	uint8_t *shared;		/* SNP: the shared view, slot 0 */
	uint8_t *buf;			/* the VMM's buffers, pre-faulted */
	struct kvm_sev_snp_launch_update upd;	/* carried between calls */
};

typedef int (*call_fn)(struct round *r, uint32_t *error);

struct alloc_op {
	const char *name;
	unsigned long type;
	enum stage stage;	/* the VM's state before the call */
	int nr_vcpus;
	call_fn call;
	int result;		/* the call's result without injection */
	int errs[3];		/* what an injected failure may give, 0-ended */
	bool measured_once;	/* SNP_LAUNCH_FINISH(ID block): see above */
	bool repeat;		/* may be made again and again on one VM */
};

static bool is_snp(struct round *r)
{
	return r->type == KVM_X86_SNP_VM;
}

static bool is_es(struct round *r)
{
	return r->type == KVM_X86_SEV_ES_VM || is_snp(r);
}

/* The guest_memfd slot and its attributes (kvm_sev_util.h's helpers) */
static int gmem_slot(struct round *r)
{
	return set_region2(r->vm, 0, KVM_MEM_GUEST_MEMFD, GUEST_GPA,
			   GUEST_PAGES * PAGE_SIZE, r->shared, r->gmem, 0);
}

static int set_private(struct round *r)
{
	return set_attributes(r->vm, GUEST_GPA, GUEST_PAGES * PAGE_SIZE,
			      KVM_MEMORY_ATTRIBUTE_PRIVATE, 0);
}

/* The calls under test: 0 or -errno, the firmware's status in *error */

static int call_create_vm(struct round *r, uint32_t *error)
{
	int fd = kvm_create_vm(r->kvm_fd, r->type);

	if (fd < 0)
		return fd;
	r->made = fd;
	return 0;
}

static int call_create_vcpu(struct round *r, uint32_t *error)
{
	int fd = kvm_create_vcpu(r->vm, 0);

	if (fd < 0)
		return fd;
	r->made = fd;
	return 0;
}

static int call_init2(struct round *r, uint32_t *error)
{
	return sev_vm_init(r->vm, r->sev_fd, r->type, is_es(r), error);
}

static int call_set_region(struct round *r, uint32_t *error)
{
	struct kvm_userspace_memory_region m = {
		.slot = 1,
		.guest_phys_addr = 0x40000000,
		.memory_size = GUEST_PAGES * PAGE_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)r->buf,
	};

	return kvm_ioctl(r->vm, KVM_SET_USER_MEMORY_REGION, (unsigned long)&m);
}

static int call_set_region2(struct round *r, uint32_t *error)
{
	return gmem_slot(r);
}

static int call_create_gmem(struct round *r, uint32_t *error)
{
	int fd = gmem_create(r->vm, GUEST_PAGES * PAGE_SIZE, 0);

	if (fd < 0)
		return fd;
	r->made = fd;
	return 0;
}

static int call_set_attributes(struct round *r, uint32_t *error)
{
	return set_private(r);
}

static int call_reg_region(struct round *r, uint32_t *error)
{
	return sev_register_region(r->vm, &r->mem);
}

/* The second VM is made before the call: only the call is armed */
static int call_mirror(struct round *r, uint32_t *error)
{
	return sev_mirror_from(r->vm2, r->vm);
}

static int call_move(struct round *r, uint32_t *error)
{
	return sev_move_from(r->vm2, r->vm);
}

static int call_launch_start(struct round *r, uint32_t *error)
{
	struct kvm_sev_launch_start start = {
		.policy = is_es(r) ? SEV_POLICY_ES : 0,
	};

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_LAUNCH_START, &start, error);
}

/*
 * A guest owner's DH certificate and session the firmware refuses
 * (INVALID_CERTIFICATE): what is tested is that KVM copies them in.
 */
static int call_launch_start_owner(struct round *r, uint32_t *error)
{
	struct kvm_sev_launch_start start = {
		.policy = is_es(r) ? SEV_POLICY_ES : 0,
		.dh_uaddr = (uint64_t)(uintptr_t)r->buf,
		.dh_len = OWNER_BLOB_LEN,
		.session_uaddr = (uint64_t)(uintptr_t)r->buf + OWNER_BLOB_LEN,
		.session_len = OWNER_BLOB_LEN,
	};

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_LAUNCH_START, &start, error);
}

static int call_launch_update_data(struct round *r, uint32_t *error)
{
	struct kvm_sev_launch_update_data upd = {
		.uaddr = (uint64_t)(uintptr_t)r->mem.hva,
		.len = r->mem.size,
	};

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd,
			 error);
}

static int call_launch_update_vmsa(struct round *r, uint32_t *error)
{
	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
			 error);
}

static int call_launch_measure(struct round *r, uint32_t *error)
{
	struct kvm_sev_launch_measure m = {
		.uaddr = (uint64_t)(uintptr_t)r->buf,
		.len = SEV_LAUNCH_MEASURE_LEN,
	};

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_LAUNCH_MEASURE, &m, error);
}

static int call_attestation_report(struct round *r, uint32_t *error)
{
	struct kvm_sev_attestation_report rep = {
		.mnonce = { 1, 2, 3 },
		.uaddr = (uint64_t)(uintptr_t)r->buf,
		.len = PAGE_SIZE,
	};

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_GET_ATTESTATION_REPORT,
			 &rep, error);
}

/*
 * A secret packet whose MAC the firmware refuses (BAD_MEASUREMENT): the
 * guest owner's keys are the firmware's own here, so no packet could
 * pass; what is tested is that KVM pins the target and copies both in.
 */
static int call_launch_secret(struct round *r, uint32_t *error)
{
	struct kvm_sev_launch_secret s = {
		.hdr_uaddr = (uint64_t)(uintptr_t)r->buf,
		.hdr_len = 52,	/* flags, IV, MAC */
		.guest_uaddr = (uint64_t)(uintptr_t)r->mem.hva + 64,
		.guest_len = 32,
		.trans_uaddr = (uint64_t)(uintptr_t)r->buf + PAGE_SIZE,
		.trans_len = 32,
	};

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_LAUNCH_SECRET, &s, error);
}

static int call_launch_finish(struct round *r, uint32_t *error)
{
	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_LAUNCH_FINISH, NULL, error);
}

static int call_guest_status(struct round *r, uint32_t *error)
{
	struct kvm_sev_guest_status st;

	return sev_guest_status(r->vm, r->sev_fd, &st, error);
}

/* Crossing a guest page, neither end on a 16-byte block: both paths */
static int call_dbg_decrypt(struct round *r, uint32_t *error)
{
	return sev_dbg(r->vm, r->sev_fd, true, r->mem.hva + PAGE_SIZE - 8,
		       r->buf, 24, error);
}

static int call_dbg_encrypt(struct round *r, uint32_t *error)
{
	return sev_dbg(r->vm, r->sev_fd, false, r->buf,
		       r->mem.hva + PAGE_SIZE - 8, 24, error);
}

static int call_snp_launch_start(struct round *r, uint32_t *error)
{
	struct kvm_sev_snp_launch_start s = { .policy = SNP_POLICY };

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_SNP_LAUNCH_START, &s, error);
}

/*
 * All of the slot's pages; a failure after the first page is a success
 * that stops early (upstream's rule), and the VMM calls again for the
 * rest, as here.
 */
static int call_snp_launch_update(struct round *r, uint32_t *error)
{
	int i, ret = 0;

	if (!r->upd.len)
		r->upd = (struct kvm_sev_snp_launch_update) {
			.gfn_start = GUEST_GPA >> 12,
			.uaddr = (uint64_t)(uintptr_t)r->shared,
			.len = GUEST_PAGES * PAGE_SIZE,
			.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
		};
	for (i = 0; i < GUEST_PAGES && r->upd.len && !ret; i++)
		ret = sev_ioctl(r->vm, r->sev_fd, KVM_SEV_SNP_LAUNCH_UPDATE,
				&r->upd, error);
	return ret;
}

static int call_snp_launch_finish(struct round *r, uint32_t *error)
{
	struct kvm_sev_snp_launch_finish f = { .host_data = { 1, 2, 3 } };

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_SNP_LAUNCH_FINISH, &f,
			 error);
}

/* The same with an ID block and its authentication (all zero: unsigned) */
static int call_snp_launch_finish_id(struct round *r, uint32_t *error)
{
	struct kvm_sev_snp_launch_finish f = {
		.id_block_uaddr = (uint64_t)(uintptr_t)r->buf,
		.id_auth_uaddr = (uint64_t)(uintptr_t)r->buf + PAGE_SIZE,
		.id_block_en = 1,
	};

	return sev_ioctl(r->vm, r->sev_fd, KVM_SEV_SNP_LAUNCH_FINISH, &f,
			 error);
}

/* The VM of round @r up to @to, every step checked */
static void build(struct __test_metadata *_metadata, struct round *r,
		  enum stage to, int nr_vcpus)
{
	uint32_t error = 0;
	int i;

	if (to < ST_VM)
		return;
	r->vm = kvm_create_vm(r->kvm_fd, r->type);
	ASSERT_LE(0, r->vm);
	if (to < ST_INIT)
		return;
	ASSERT_EQ(0, sev_vm_init(r->vm, r->sev_fd, r->type, is_es(r), &error));
	if (to < ST_MEM)
		return;
	if (is_snp(r)) {
		r->gmem = gmem_create(r->vm, GUEST_PAGES * PAGE_SIZE, 0);
		ASSERT_LE(0, r->gmem);
		ASSERT_EQ(0, gmem_slot(r));
		ASSERT_EQ(0, set_private(r));
	} else {
		ASSERT_EQ(0, guest_mem_add(r->vm, 0, GUEST_GPA,
					   GUEST_PAGES * PAGE_SIZE, &r->mem));
		fill_pattern(r->mem.hva, r->mem.size, 1);
	}
	if (to < ST_VCPUS)
		return;
	for (i = 0; i < nr_vcpus; i++) {
		r->vcpu[i] = kvm_create_vcpu(r->vm, i);
		ASSERT_LE(0, r->vcpu[i]);
	}
	if (to < ST_START)
		return;
	ASSERT_EQ(0, is_snp(r) ? call_snp_launch_start(r, &error) :
				 call_launch_start(r, &error));
	if (to < ST_DATA)
		return;
	if (is_snp(r)) {
		ASSERT_EQ(0, call_snp_launch_update(r, &error));
		ASSERT_EQ(0, r->upd.len);
	} else {
		ASSERT_EQ(0, call_launch_update_data(r, &error));
	}
	if (to < ST_VMSA)
		return;
	if (is_es(r) && !is_snp(r))
		ASSERT_EQ(0, call_launch_update_vmsa(r, &error));
	if (to < ST_MEASURE)
		return;
	if (!is_snp(r))
		ASSERT_EQ(0, call_launch_measure(r, &error));
	if (to < ST_FINISH)
		return;
	ASSERT_EQ(0, is_snp(r) ? call_snp_launch_finish(r, &error) :
				 call_launch_finish(r, &error));
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A round's fds are -1 between rounds (round_close()) */
static void round_no_fds(struct round *r)
{
	r->vm = -1;
	r->vm2 = -1;
	r->gmem = -1;
	r->made = -1;
	r->vcpu[0] = -1;
	r->vcpu[1] = -1;
}

static void round_close(struct round *r)
{
	close_fd(&r->made);
	close_fd(&r->vcpu[0]);
	close_fd(&r->vcpu[1]);
	close_fd(&r->vm2);
	close_fd(&r->gmem);
	close_fd(&r->vm);
	guest_mem_free(&r->mem);
	if (r->shared) {
		munmap(r->shared, GUEST_PAGES * PAGE_SIZE);
		r->shared = NULL;
	}
	memset(&r->upd, 0, sizeof(r->upd));
}

/* Everything of the round gone: no guest context may be left */
static void tear_down(struct __test_metadata *_metadata, struct round *r,
		      const char *name, unsigned int n)
{
	round_close(r);
	EXPECT_EQ(0, sim_sev_guests())
		TH_LOG("%s, after round %u: an SEV guest context is left",
		       name, n);
	EXPECT_EQ(0, sim_value(SEV_SIM_ID, "snp_guests"))
		TH_LOG("%s, after round %u: an SNP guest context is left",
		       name, n);
}

static void new_round(struct __test_metadata *_metadata, struct round *r,
		      const struct alloc_op *op)
{
	r->type = op->type;
	if (is_snp(r)) {
		r->shared = mmap(NULL, GUEST_PAGES * PAGE_SIZE,
				 PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
				 -1, 0);
		ASSERT_NE(MAP_FAILED, r->shared);
		fill_pattern(r->shared, GUEST_PAGES * PAGE_SIZE, 2);
	}
	build(_metadata, r, op->stage, op->nr_vcpus);
	/* the slot's guest_memfd, for the call that makes the slot */
	if (op->call == call_set_region2) {
		r->gmem = gmem_create(r->vm, GUEST_PAGES * PAGE_SIZE, 0);
		ASSERT_LE(0, r->gmem);
	}
	if (op->call == call_mirror || op->call == call_move) {
		r->vm2 = kvm_create_vm(r->kvm_fd, r->type);
		ASSERT_LE(0, r->vm2);
	}
	/* only the memory of the VMM here: no page fault allocates in it */
	if (op->call == call_reg_region && !r->mem.hva)
		ASSERT_EQ(0, guest_mem_add(r->vm, 0, GUEST_GPA,
					   GUEST_PAGES * PAGE_SIZE, &r->mem));
}

static bool errno_allowed(const struct alloc_op *op, int ret)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(op->errs) && op->errs[i]; i++)
		if (ret == op->errs[i])
			return true;
	return false;
}

static void fail_each_allocation(struct __test_metadata *_metadata,
				 struct round *r, const struct alloc_op *op)
{
	const char *verbose = getenv("KVM_SEV_ALLOC_FAIL_VERBOSE");
	unsigned int n, failed = 0;
	double t0 = now_ms();
	uint32_t error;
	int ret, fired;

	/* each failure's stack trace in the kernel log, for the calls named */
	if (verbose && strstr(op->name, verbose))
		ASSERT_EQ(0, fail_nth_verbose(2));
	if (op->repeat)
		new_round(_metadata, r, op);
	for (n = 1; n <= MAX_SITES; n++) {
		if (!op->repeat)
			new_round(_metadata, r, op);
		error = 0;
		ASSERT_EQ(0, fail_nth_set(n));
		ret = op->call(r, &error);
		fired = fail_nth_fired();
		ASSERT_EQ(0, fail_nth_set(0));
		ASSERT_LE(0, fired);
		if (!fired) {
			/* fewer than n allocations: every one has failed once */
			ASSERT_EQ(op->result, ret)
				TH_LOG("%s without a fault: %d (error %#x)",
				       op->name, ret, error);
			break;
		}
		if (ret != op->result) {
			failed++;
			EXPECT_TRUE(errno_allowed(op, ret))
				TH_LOG("%s, allocation %u failed: %d (error %#x)",
				       op->name, n, ret, error);
			/* and the same call works again */
			ret = op->call(r, &error);
			if (op->measured_once && ret == -EINVAL) {
				struct kvm_regs regs;

				/* refused for the VMSAs measured already */
				EXPECT_EQ(-EINVAL,
					  kvm_ioctl(r->vcpu[0], KVM_GET_REGS,
						    (unsigned long)&regs));
				ret = op->result;
			}
			EXPECT_EQ(op->result, ret)
				TH_LOG("%s after allocation %u failed: %d (error %#x)",
				       op->name, n, ret, error);
		}
		if (!op->repeat)
			tear_down(_metadata, r, op->name, n);
	}
	tear_down(_metadata, r, op->name, 0);
	ASSERT_EQ(0, fail_nth_verbose(0));
	ASSERT_LE(n, MAX_SITES);
	TH_LOG("%s: %u allocations, %u made the call fail (%.0f ms)",
	       op->name, n - 1, failed, now_ms() - t0);
}

/*
 * How many VMs of @type can be SEV guests at once: every ASID of the
 * type's range, once freed ones are flushed for reuse.
 */
static int asids_usable(int kvm_fd, int sev_fd, unsigned long type)
{
	int fds[MAX_VMS], n, i, ret = 0;

	for (n = 0; n < MAX_VMS; n++) {
		fds[n] = kvm_create_vm(kvm_fd, type);
		if (fds[n] < 0) {
			ret = fds[n];
			break;
		}
		ret = sev_vm_init(fds[n], sev_fd, type, false, NULL);
		if (ret) {
			close(fds[n]);
			break;
		}
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	return ret == -EBUSY ? n : ret;
}

FIXTURE(kvm_alloc_fail) {
	struct round r;
	int asids_sev, asids_es;
};

FIXTURE_SETUP(kvm_alloc_fail)
{
	int ret;

	memset(&self->r, 0, sizeof(self->r));
	self->r.kvm_fd = -1;
	self->r.sev_fd = -1;
	round_no_fds(&self->r);
	/* sleeping allocations too, pages of every order, quietly */
	ret = fail_nth_open();
	if (fail_nth_fd < 0)
		SKIP(return, "no fault injection in this kernel");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, kvm_sev_sim_status);
	self->r.sev_fd = sev_dev_open();
	ASSERT_LE(0, self->r.sev_fd);
	self->r.kvm_fd = kvm_sev_open();
	ASSERT_LE(0, self->r.kvm_fd) TH_LOG("is kvm-sev.ko loaded?");
	self->r.buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->r.buf);
	/* touched now, so no page fault allocates during a call */
	memset(self->r.buf, 0, BUF_SIZE);
	self->asids_sev = asids_usable(self->r.kvm_fd, self->r.sev_fd,
				       KVM_X86_SEV_VM);
	ASSERT_LT(0, self->asids_sev);
	self->asids_es = asids_usable(self->r.kvm_fd, self->r.sev_fd,
				      KVM_X86_SEV_ES_VM);
	ASSERT_LT(0, self->asids_es);
}

FIXTURE_TEARDOWN(kvm_alloc_fail)
{
	if (fail_nth_fd < 0)
		return;
	fail_nth_close();
	round_close(&self->r);
	if (self->r.kvm_fd >= 0) {
		/* every ASID a failed call had comes back */
		EXPECT_EQ(self->asids_sev, asids_usable(self->r.kvm_fd,
							self->r.sev_fd,
							KVM_X86_SEV_VM));
		EXPECT_EQ(self->asids_es, asids_usable(self->r.kvm_fd,
						       self->r.sev_fd,
						       KVM_X86_SEV_ES_VM));
		close(self->r.kvm_fd);
	}
	EXPECT_EQ(0, debugfs_value(PSP_DEBUGFS "/psp-sevsim0/mailbox",
				   "leaked_pages"));
	if (self->r.sev_fd >= 0)
		close(self->r.sev_fd);
	if (self->r.buf && self->r.buf != MAP_FAILED)
		munmap(self->r.buf, BUF_SIZE);
}

#define OP(_name, _type, _stage, _vcpus, _call, _result)		\
	.name = _name, .type = _type, .stage = _stage, .nr_vcpus = _vcpus, \
	.call = _call, .result = _result

/* The system file and the VM file's own ioctls */
static const struct alloc_op vm_ops[] = {
	{ OP("KVM_CREATE_VM(DEFAULT)", KVM_X86_DEFAULT_VM, ST_NONE, 0,
	     call_create_vm, 0), .errs = { -ENOMEM } },
	{ OP("KVM_CREATE_VM(SEV)", KVM_X86_SEV_VM, ST_NONE, 0,
	     call_create_vm, 0), .errs = { -ENOMEM } },
	{ OP("KVM_CREATE_VM(SEV_ES)", KVM_X86_SEV_ES_VM, ST_NONE, 0,
	     call_create_vm, 0), .errs = { -ENOMEM } },
	{ OP("KVM_CREATE_VM(SNP)", KVM_X86_SNP_VM, ST_NONE, 0,
	     call_create_vm, 0), .errs = { -ENOMEM } },
	{ OP("KVM_CREATE_VCPU(DEFAULT)", KVM_X86_DEFAULT_VM, ST_VM, 0,
	     call_create_vcpu, 0), .errs = { -ENOMEM } },
	{ OP("KVM_CREATE_VCPU(SEV_ES)", KVM_X86_SEV_ES_VM, ST_INIT, 0,
	     call_create_vcpu, 0), .errs = { -ENOMEM } },
	{ OP("KVM_CREATE_VCPU(SNP)", KVM_X86_SNP_VM, ST_INIT, 0,
	     call_create_vcpu, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SET_USER_MEMORY_REGION", KVM_X86_SEV_VM, ST_INIT, 0,
	     call_set_region, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SET_USER_MEMORY_REGION2", KVM_X86_SNP_VM, ST_INIT, 0,
	     call_set_region2, 0), .errs = { -ENOMEM } },
	{ OP("KVM_CREATE_GUEST_MEMFD", KVM_X86_SNP_VM, ST_INIT, 0,
	     call_create_gmem, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SET_MEMORY_ATTRIBUTES", KVM_X86_SNP_VM, ST_INIT, 0,
	     call_set_attributes, 0),
	  .errs = { -ENOMEM }, .repeat = true },
	{ OP("KVM_MEMORY_ENCRYPT_REG_REGION", KVM_X86_SEV_VM, ST_INIT, 0,
	     call_reg_region, 0), .errs = { -ENOMEM } },
	{ OP("KVM_ENABLE_CAP(COPY_ENC_CONTEXT_FROM)", KVM_X86_SEV_VM,
	     ST_START, 0,
	     call_mirror, 0), .errs = { -ENOMEM } },
	{ OP("KVM_ENABLE_CAP(MOVE_ENC_CONTEXT_FROM)", KVM_X86_SEV_VM,
	     ST_START, 0,
	     call_move, 0), .errs = { -ENOMEM } },
};

/*
 * The SEV commands, on an SEV-ES guest (the superset: its VMSAs too).
 * A firmware command's buffers are the PSP driver's, which fails them
 * with -ENOMEM as well.
 */
static const struct alloc_op sev_ops[] = {
	{ OP("KVM_SEV_INIT2(SEV)", KVM_X86_SEV_VM, ST_VM, 0,
	     call_init2, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SEV_INIT2(SEV_ES)", KVM_X86_SEV_ES_VM, ST_VM, 0,
	     call_init2, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SEV_LAUNCH_START", KVM_X86_SEV_ES_VM, ST_VCPUS, 1,
	     call_launch_start, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SEV_LAUNCH_START(DH, session)", KVM_X86_SEV_ES_VM,
	     ST_VCPUS, 1,
	     call_launch_start_owner, -EIO), .errs = { -ENOMEM } },
	{ OP("KVM_SEV_LAUNCH_UPDATE_DATA", KVM_X86_SEV_ES_VM, ST_START, 1,
	     call_launch_update_data, 0),
	  .errs = { -ENOMEM }, .repeat = true },
	{ OP("KVM_SEV_LAUNCH_UPDATE_VMSA", KVM_X86_SEV_ES_VM, ST_DATA, 2,
	     call_launch_update_vmsa, 0),
	  .errs = { -ENOMEM }, .repeat = true },
	{ OP("KVM_SEV_LAUNCH_MEASURE", KVM_X86_SEV_ES_VM, ST_VMSA, 1,
	     call_launch_measure, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SEV_GET_ATTESTATION_REPORT", KVM_X86_SEV_ES_VM, ST_MEASURE, 1,
	     call_attestation_report, 0),
	  .errs = { -ENOMEM }, .repeat = true },
	{ OP("KVM_SEV_LAUNCH_SECRET", KVM_X86_SEV_ES_VM, ST_MEASURE, 1,
	     call_launch_secret, -EIO),
	  .errs = { -ENOMEM }, .repeat = true },
	{ OP("KVM_SEV_LAUNCH_FINISH", KVM_X86_SEV_ES_VM, ST_MEASURE, 1,
	     call_launch_finish, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SEV_GUEST_STATUS", KVM_X86_SEV_ES_VM, ST_START, 1,
	     call_guest_status, 0),
	  .errs = { -ENOMEM }, .repeat = true },
	{ OP("KVM_SEV_DBG_DECRYPT", KVM_X86_SEV_ES_VM, ST_FINISH, 1,
	     call_dbg_decrypt, 0),
	  .errs = { -ENOMEM }, .repeat = true },
	{ OP("KVM_SEV_DBG_ENCRYPT", KVM_X86_SEV_ES_VM, ST_FINISH, 1,
	     call_dbg_encrypt, 0),
	  .errs = { -ENOMEM }, .repeat = true },
};

/*
 * SNP: a guest context that cannot be made is -ENOTTY (upstream's
 * snp_launch_start()); a page that cannot be given on the first page of
 * SNP_LAUNCH_UPDATE is -EIO (upstream's snp_launch_update()).
 */
static const struct alloc_op snp_ops[] = {
	{ OP("KVM_SEV_INIT2(SNP)", KVM_X86_SNP_VM, ST_VM, 0,
	     call_init2, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SEV_SNP_LAUNCH_START", KVM_X86_SNP_VM, ST_VCPUS, 1,
	     call_snp_launch_start, 0), .errs = { -ENOMEM, -ENOTTY } },
	{ OP("KVM_SEV_SNP_LAUNCH_UPDATE", KVM_X86_SNP_VM, ST_START, 1,
	     call_snp_launch_update, 0), .errs = { -EIO } },
	{ OP("KVM_SEV_SNP_LAUNCH_FINISH", KVM_X86_SNP_VM, ST_DATA, 2,
	     call_snp_launch_finish, 0), .errs = { -ENOMEM } },
	{ OP("KVM_SEV_SNP_LAUNCH_FINISH(ID block)", KVM_X86_SNP_VM, ST_DATA, 1,
	     call_snp_launch_finish_id, -EIO), .errs = { -ENOMEM },
	  .measured_once = true },
};

static void fail_ops(struct __test_metadata *_metadata, struct round *r,
		     const struct alloc_op *ops, size_t nr)
{
	int types = kvm_check_extension(r->kvm_fd, KVM_CAP_VM_TYPES);
	size_t i;

	for (i = 0; i < nr; i++) {
		if (!(types & BIT(ops[i].type))) {
			TH_LOG("%s: no such VM type here, skipped", ops[i].name);
			continue;
		}
		fail_each_allocation(_metadata, r, &ops[i]);
	}
}

TEST_F_TIMEOUT(kvm_alloc_fail, vm_ioctls, 300)
{
	fail_ops(_metadata, &self->r, vm_ops, ARRAY_SIZE(vm_ops));
}

TEST_F_TIMEOUT(kvm_alloc_fail, sev_commands, 300)
{
	fail_ops(_metadata, &self->r, sev_ops, ARRAY_SIZE(sev_ops));
}

TEST_F_TIMEOUT(kvm_alloc_fail, snp_commands, 300)
{
	fail_ops(_metadata, &self->r, snp_ops, ARRAY_SIZE(snp_ops));
}

TEST_HARNESS_MAIN
