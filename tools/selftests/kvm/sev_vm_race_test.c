// SPDX-License-Identifier: GPL-2.0
/*
 * SEV and SEV-ES VMs created, mirrored (KVM_CAP_VM_COPY_ENC_CONTEXT_FROM),
 * moved (KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM) and destroyed by several
 * threads at once, for a bounded number of operations. Each operation
 * may only answer what Documentation/kvm-sev.rst says it may:
 *
 *   create   KVM_CREATE_VM, then INIT2 (or -EBUSY, no ASID left),
 *            LAUNCH_START, for SEV-ES a vCPU and LAUNCH_UPDATE_VMSA: 0
 *   mirror   into a new VM: 0, -EINVAL (the source is a mirror, has no
 *            context any more), -EBUSY (it is in a copy or move); a new
 *            mirror answers GUEST_STATUS
 *   move     into a new VM: 0, -EINVAL, -EBUSY; the source is dead
 *            after (-EIO), the new VM answers GUEST_STATUS
 *   cross    a move between two VMs of the table: 0, -EINVAL, -EBUSY,
 *            -EIO (the destination is dead)
 *   status   GUEST_STATUS: 0, or -EIO for a VM whose context moved away
 *   destroy  the table's file closed, while others may still be using
 *            the VM through their own (dup'ed) file
 *
 * Afterwards no guest context is left in the firmware and as many SEV and
 * SEV-ES ASIDs can be had (with LAUNCH_START, so the firmware takes each
 * one) as before the race.
 *
 * The program makes its simulated PSP (sevsim0) and removes it at the end
 * (kvm_sev_util.h); each test starts with no guest context in it.
 */
#include <pthread.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define NR_SLOTS	12
#define NR_THREADS	4
#define NR_OPS		120	/* per thread */

enum race_op {
	OP_CREATE,
	OP_MIRROR,
	OP_MOVE,
	OP_CROSS,
	OP_STATUS,
	OP_DESTROY,
	NR_OPS_KINDS,
};

static const char * const op_names[NR_OPS_KINDS] = {
	"create", "mirror", "move", "cross", "status", "destroy",
};

/* A VM of the table: its file, and what a new VM must be to take it */
struct slot {
	pthread_mutex_t lock;
	int fd;			/* -1: empty */
	bool es;
	int nr_vcpus;
};

struct race {
	int kvm_fd;
	int sev_fd;
	unsigned long type;	/* KVM_X86_DEFAULT_VM: the legacy inits */
	bool mix_es;		/* SEV and SEV-ES, else SEV only */
	struct slot slots[NR_SLOTS];
};

struct racer {
	pthread_t tid;
	struct race *r;
	unsigned int seed;
	int ok[NR_OPS_KINDS];	/* answered 0 */
	int refused[NR_OPS_KINDS];
	int bad;		/* answers no rule allows */
	enum race_op bad_op;
	int bad_ret;
	const char *bad_what;
};

static unsigned long vm_type(struct race *r, bool es)
{
	if (r->type == KVM_X86_DEFAULT_VM)
		return KVM_X86_DEFAULT_VM;
	return es ? KVM_X86_SEV_ES_VM : KVM_X86_SEV_VM;
}

static void racer_bad(struct racer *t, enum race_op op, const char *what,
		      int ret)
{
	t->bad++;
	t->bad_op = op;
	t->bad_what = what;
	t->bad_ret = ret;
}

/* A dup of slot @i's file, with its kind; -1 if empty */
static int slot_get(struct race *r, int i, bool *es, int *nr_vcpus)
{
	struct slot *s = &r->slots[i];
	int fd = -1;

	pthread_mutex_lock(&s->lock);
	if (s->fd >= 0) {
		fd = dup(s->fd);
		*es = s->es;
		*nr_vcpus = s->nr_vcpus;
	}
	pthread_mutex_unlock(&s->lock);
	return fd;
}

/* @fd into slot @i if it is empty (true), else the caller keeps it */
static bool slot_put(struct race *r, int i, int fd, bool es, int nr_vcpus)
{
	struct slot *s = &r->slots[i];
	bool put = false;

	pthread_mutex_lock(&s->lock);
	if (s->fd < 0) {
		s->fd = fd;
		s->es = es;
		s->nr_vcpus = nr_vcpus;
		put = true;
	}
	pthread_mutex_unlock(&s->lock);
	return put;
}

static void slot_destroy(struct race *r, int i)
{
	struct slot *s = &r->slots[i];
	int fd;

	pthread_mutex_lock(&s->lock);
	fd = s->fd;
	s->fd = -1;
	pthread_mutex_unlock(&s->lock);
	if (fd >= 0)
		close(fd);
}

/* A new VM of the kind, with @nr_vcpus vCPUs (their files closed) */
static int new_vm(struct race *r, bool es, int nr_vcpus)
{
	int vm = kvm_create_vm(r->kvm_fd, vm_type(r, es)), i, vcpu;

	for (i = 0; vm >= 0 && i < nr_vcpus; i++) {
		vcpu = kvm_create_vcpu(vm, i);
		if (vcpu < 0) {
			close(vm);
			return vcpu;
		}
		close(vcpu);
	}
	return vm;
}

/* A launched VM (SEV-ES: one vCPU, its VMSA encrypted), into the table */
static void op_create(struct racer *t, int i, bool es)
{
	struct kvm_sev_launch_start start = { .policy = es ? SEV_POLICY_ES : 0 };
	struct race *r = t->r;
	int vm, vcpu, ret;

	vm = new_vm(r, es, 0);
	if (vm < 0)
		return racer_bad(t, OP_CREATE, "KVM_CREATE_VM", vm);
	ret = sev_vm_init(vm, r->sev_fd, vm_type(r, es), es, NULL);
	if (ret == -EBUSY) {
		t->refused[OP_CREATE]++;
		close(vm);
		return;
	}
	if (ret)
		goto bad;
	ret = sev_ioctl(vm, r->sev_fd, KVM_SEV_LAUNCH_START, &start, NULL);
	if (ret)
		goto bad;
	if (es) {
		vcpu = kvm_create_vcpu(vm, 0);
		if (vcpu < 0) {
			ret = vcpu;
			goto bad;
		}
		close(vcpu);
		ret = sev_ioctl(vm, r->sev_fd, KVM_SEV_LAUNCH_UPDATE_VMSA,
				NULL, NULL);
		if (ret)
			goto bad;
	}
	t->ok[OP_CREATE]++;
	if (!slot_put(r, i, vm, es, es ? 1 : 0))
		close(vm);
	return;
bad:
	racer_bad(t, OP_CREATE, "launch", ret);
	close(vm);
}

/*
 * A new VM that mirrors (@move false) or takes (@move true) slot @i's
 * context; on success it goes into slot @j, or is closed.
 */
static void op_mirror_or_move(struct racer *t, int i, int j, bool move)
{
	enum race_op op = move ? OP_MOVE : OP_MIRROR;
	struct kvm_sev_guest_status st;
	struct race *r = t->r;
	int src, dst, ret, nr_vcpus;
	bool es;

	src = slot_get(r, i, &es, &nr_vcpus);
	if (src < 0)
		return;
	/* a mirror has no vCPUs of its own; a move's target as many as its source */
	dst = new_vm(r, es, move ? nr_vcpus : 0);
	if (dst < 0) {
		racer_bad(t, op, "KVM_CREATE_VM", dst);
		goto out;
	}
	ret = move ? sev_move_from(dst, src) : sev_mirror_from(dst, src);
	if (ret == -EINVAL || ret == -EBUSY) {
		t->refused[op]++;
		close(dst);
		goto out;
	}
	if (ret) {
		racer_bad(t, op, move ? "move" : "mirror", ret);
		close(dst);
		goto out;
	}
	t->ok[op]++;
	/* the context answers from its new VM, the old one is dead */
	ret = sev_guest_status(dst, r->sev_fd, &st, NULL);
	if (ret)
		racer_bad(t, op, "GUEST_STATUS of the new VM", ret);
	if (move) {
		ret = sev_guest_status(src, r->sev_fd, &st, NULL);
		if (ret != -EIO)
			racer_bad(t, op, "GUEST_STATUS of the source", ret);
	}
	if (!slot_put(r, j, dst, es, move ? nr_vcpus : 0))
		close(dst);
out:
	close(src);
}

/* A move between two VMs of the table: almost always refused */
static void op_cross(struct racer *t, int i, int j)
{
	int src, dst, ret, nr_vcpus;
	struct race *r = t->r;
	bool es;

	src = slot_get(r, i, &es, &nr_vcpus);
	if (src < 0)
		return;
	dst = slot_get(r, j, &es, &nr_vcpus);
	if (dst >= 0) {
		ret = sev_move_from(dst, src);
		if (!ret)
			t->ok[OP_CROSS]++;
		else if (ret == -EINVAL || ret == -EBUSY || ret == -EIO)
			t->refused[OP_CROSS]++;
		else
			racer_bad(t, OP_CROSS, "move", ret);
		close(dst);
	}
	close(src);
}

static void op_status(struct racer *t, int i)
{
	struct kvm_sev_guest_status st;
	int fd, ret, nr_vcpus;
	bool es;

	fd = slot_get(t->r, i, &es, &nr_vcpus);
	if (fd < 0)
		return;
	ret = sev_guest_status(fd, t->r->sev_fd, &st, NULL);
	if (!ret)
		t->ok[OP_STATUS]++;
	else if (ret == -EIO)
		t->refused[OP_STATUS]++;
	else
		racer_bad(t, OP_STATUS, "GUEST_STATUS", ret);
	close(fd);
}

static void *racer_thread(void *arg)
{
	struct racer *t = arg;
	int n, i, j;

	for (n = 0; n < NR_OPS; n++) {
		i = rand_r(&t->seed) % NR_SLOTS;
		j = rand_r(&t->seed) % NR_SLOTS;
		switch (rand_r(&t->seed) % NR_OPS_KINDS) {
		case OP_CREATE:
			op_create(t, i, t->r->mix_es && (rand_r(&t->seed) & 1));
			break;
		case OP_MIRROR:
			op_mirror_or_move(t, i, j, false);
			break;
		case OP_MOVE:
			op_mirror_or_move(t, i, j, true);
			break;
		case OP_CROSS:
			op_cross(t, i, j);
			break;
		case OP_STATUS:
			op_status(t, i);
			break;
		default:
			slot_destroy(t->r, i);
			t->ok[OP_DESTROY]++;
			break;
		}
	}
	return NULL;
}

FIXTURE(race) {
	struct race r;
	int free_sev;		/* free ASIDs before the race */
	int free_es;
};

FIXTURE_VARIANT(race) {
	unsigned long type;
};

/* KVM_X86_SEV_VM and KVM_X86_SEV_ES_VM, with KVM_SEV_INIT2 */
FIXTURE_VARIANT_ADD(race, vm_types) { .type = KVM_X86_SEV_VM };
/* KVM_X86_DEFAULT_VM with KVM_SEV_INIT / KVM_SEV_ES_INIT: one type for both */
FIXTURE_VARIANT_ADD(race, legacy) { .type = KVM_X86_DEFAULT_VM };

FIXTURE_SETUP(race)
{
	uint32_t error;
	int types, i;

	for (i = 0; i < NR_SLOTS; i++) {
		pthread_mutex_init(&self->r.slots[i].lock, NULL);
		self->r.slots[i].fd = -1;
	}
	types = kvm_sev_fixture_open(_metadata, &self->r.kvm_fd,
				     &self->r.sev_fd);
	self->r.type = variant->type;
	self->r.mix_es = types & BIT(KVM_X86_SEV_ES_VM);

	self->free_sev = sev_count_free_asids(self->r.kvm_fd, self->r.sev_fd,
					      KVM_X86_SEV_VM, true, &error);
	ASSERT_LT(NR_SLOTS + NR_THREADS, self->free_sev)
		TH_LOG("free SEV ASIDs: %d, fw %#x", self->free_sev, error);
	self->free_es = 0;
	if (self->r.mix_es) {
		self->free_es = sev_count_free_asids(self->r.kvm_fd,
						     self->r.sev_fd,
						     KVM_X86_SEV_ES_VM, true,
						     &error);
		ASSERT_LT(0, self->free_es)
			TH_LOG("free SEV-ES ASIDs: %d, fw %#x", self->free_es,
			       error);
	}
	TH_LOG("free ASIDs: %d SEV, %d SEV-ES", self->free_sev, self->free_es);
}

FIXTURE_TEARDOWN(race)
{
	int i;

	for (i = 0; i < NR_SLOTS; i++)
		slot_destroy(&self->r, i);
	close(self->r.kvm_fd);
	close(self->r.sev_fd);
}

TEST_F_TIMEOUT(race, create_mirror_move_destroy, 120)
{
	struct racer t[NR_THREADS];
	int i, k, ops, n;
	uint32_t error;
	double t0 = now_ms();

	memset(t, 0, sizeof(t));
	for (i = 0; i < NR_THREADS; i++) {
		t[i].r = &self->r;
		t[i].seed = 77 + i;
		ASSERT_EQ(0, pthread_create(&t[i].tid, NULL, racer_thread,
					    &t[i]));
	}
	for (i = 0; i < NR_THREADS; i++)
		ASSERT_EQ(0, pthread_join(t[i].tid, NULL));
	TH_LOG("%d threads x %d operations in %.0f ms", NR_THREADS, NR_OPS,
	       now_ms() - t0);

	for (k = 0; k < NR_OPS_KINDS; k++) {
		for (i = 0, ops = 0, n = 0; i < NR_THREADS; i++) {
			ops += t[i].ok[k];
			n += t[i].refused[k];
		}
		TH_LOG("%-8s %4d done, %4d refused", op_names[k], ops, n);
	}
	for (i = 0, n = 0; i < NR_THREADS; i++) {
		if (t[i].bad)
			TH_LOG("thread %d: %d answers no rule allows, the last: %s %s: %d",
			       i, t[i].bad, op_names[t[i].bad_op],
			       t[i].bad_what, t[i].bad_ret);
		n += t[i].bad;
	}
	EXPECT_EQ(0, n) TH_LOG("answers no rule allows");

	/* every VM gone: no context left, every ASID back */
	for (i = 0; i < NR_SLOTS; i++)
		slot_destroy(&self->r, i);
	EXPECT_EQ(0, sim_sev_guests()) TH_LOG("guest contexts left");
	t0 = now_ms();
	EXPECT_EQ(self->free_sev,
		  sev_count_free_asids(self->r.kvm_fd, self->r.sev_fd,
				       KVM_X86_SEV_VM, true, &error))
		TH_LOG("SEV ASIDs after the race, fw %#x", error);
	if (self->r.mix_es)
		EXPECT_EQ(self->free_es,
			  sev_count_free_asids(self->r.kvm_fd, self->r.sev_fd,
					       KVM_X86_SEV_ES_VM, true, &error))
			TH_LOG("SEV-ES ASIDs after the race, fw %#x", error);
	TH_LOG("ASIDs counted in %.0f ms", now_ms() - t0);
	EXPECT_EQ(0, sim_sev_guests());
}

TEST_HARNESS_MAIN
