// SPDX-License-Identifier: GPL-2.0
/*
 * A VMM killed at any point of a launch leaves nothing behind. A child
 * process launches an SEV, SEV-ES or SNP guest, telling the parent over a
 * pipe after each step; the parent SIGKILLs it after step k, for every k
 * (before the first, after the last), and then checks that what the
 * child held was released with its files:
 *
 *   - the simulated firmware's SEV and SNP guest contexts ("guests",
 *     "snp_guests"), the pages assigned in its RMP ("rmp_assigned"), its
 *     firmware-owned hypervisor pages ("hv_fixed_pages") and the pages
 *     freed while not the hypervisor's ("rmp_bad_frees") are as before;
 *   - the PSP driver leaked no page ("leaked_pages" of its mailbox);
 *   - as many ASIDs of the child's kind can be had as before (KVM_SEV_INIT2
 *     until -EBUSY after each kill; with LAUNCH_START, which the firmware
 *     refuses for an ASID it still has bound, at the end).
 *
 * A child is also killed while it sleeps inside LAUNCH_UPDATE_DATA
 * (SNP_LAUNCH_UPDATE for SNP), made slow with the simulator's fault_delay:
 * the PSP driver waits for the firmware uninterruptibly, so the child dies
 * when the command completes, and its pages are then released too.
 *
 * The program makes its simulated PSP (sevsim0) and removes it at the end
 * (kvm_sev_util.h); each test starts with no guest context in it.
 */
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kvm_sev_util.h"

#define GUEST_PAGES	4
#define GUEST_SIZE	(GUEST_PAGES * PAGE_SIZE)
#define GUEST_GPA	0x100000ULL
#define SNP_POLICY	(SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT)
#define MAILBOX		PSP_DEBUGFS "/psp-sevsim0/mailbox"

/* The firmware commands fault_delay slows (spec 55766, 56860) */
#define SEV_CMD_LAUNCH_UPDATE_DATA	0x031
#define SEV_CMD_SNP_LAUNCH_UPDATE	0x0a1
#define DELAY_MS			1500

/* What the child tells the parent */
#define MSG_STEP	'S'	/* one more step done */
#define MSG_ENTER	'I'	/* entering the slow command */
#define MSG_FAIL	'F'	/* a step failed: the child exits */

enum vm_kind { KIND_SEV, KIND_SEV_ES, KIND_SNP };

/* The steps, in order; the launch is done after the last */
enum launch_step {
	STEP_OPEN,	/* /dev/kvm-sev and /dev/sev */
	STEP_INIT,	/* a VM, KVM_SEV_INIT2 */
	STEP_MEMORY,	/* its memory (SNP: guest_memfd too) and a vCPU */
	STEP_START,	/* LAUNCH_START / SNP_LAUNCH_START */
	STEP_PRIVATE,	/* SNP: the memory private; SEV: the region registered */
	STEP_UPDATE,	/* LAUNCH_UPDATE_DATA (+VMSA) / SNP_LAUNCH_UPDATE */
	STEP_MEASURE,	/* LAUNCH_MEASURE; SNP: a second guest_memfd */
	STEP_MIRROR,	/* SEV: a mirror VM; SNP: another SNP VM, started */
	STEP_FINISH,	/* LAUNCH_FINISH / SNP_LAUNCH_FINISH */
	NR_STEPS,
};

static const char * const step_names[NR_STEPS] = {
	"open", "init", "memory", "start", "private", "update", "measure",
	"mirror", "finish",
};

/* What the child holds: only its files, dropped when it dies */
struct child {
	enum vm_kind kind;
	int wfd;		/* the pipe to the parent */
	int kvm_fd, sev_fd, vm, vcpu, gmem, gmem2, other;
	struct guest_mem mem;
	uint8_t *shared;
};

static void tell(struct child *c, char msg)
{
	if (write(c->wfd, &msg, 1) != 1)
		_exit(2);
}

static int fd_or_errno(int fd, int *out)
{
	*out = fd;
	return fd < 0 ? fd : 0;
}

static unsigned long kind_type(enum vm_kind kind)
{
	return kind == KIND_SEV ? KVM_X86_SEV_VM :
	       kind == KIND_SEV_ES ? KVM_X86_SEV_ES_VM : KVM_X86_SNP_VM;
}

static int snp_start(int vm, int sev_fd)
{
	struct kvm_sev_snp_launch_start s = { .policy = SNP_POLICY };

	return sev_ioctl(vm, sev_fd, KVM_SEV_SNP_LAUNCH_START, &s, NULL);
}

static int child_step(struct child *c, enum launch_step step, bool slow)
{
	struct kvm_sev_launch_start start = {
		.policy = c->kind == KIND_SEV_ES ? SEV_POLICY_ES : 0,
	};
	struct kvm_sev_launch_update_data update = {
		.uaddr = (uint64_t)(uintptr_t)c->mem.hva, .len = GUEST_SIZE,
	};
	struct kvm_sev_snp_launch_update snp_update = {
		.gfn_start = GUEST_GPA >> 12,
		.uaddr = (uint64_t)(uintptr_t)c->shared,
		.len = GUEST_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_sev_snp_launch_finish snp_finish = {};
	struct kvm_sev_launch_measure measure;
	struct kvm_sev_init init = {};
	uint8_t blob[SEV_LAUNCH_MEASURE_LEN];
	bool snp = c->kind == KIND_SNP;
	int ret;

	switch (step) {
	case STEP_OPEN:
		ret = fd_or_errno(kvm_sev_open(), &c->kvm_fd);
		return ret ?: fd_or_errno(sev_dev_open(), &c->sev_fd);
	case STEP_INIT:
		ret = fd_or_errno(kvm_create_vm(c->kvm_fd, kind_type(c->kind)),
				  &c->vm);
		return ret ?: sev_ioctl(c->vm, c->sev_fd, KVM_SEV_INIT2, &init,
					NULL);
	case STEP_MEMORY:
		if (snp) {
			ret = fd_or_errno(gmem_create(c->vm, GUEST_SIZE, 0),
					  &c->gmem);
			if (ret)
				return ret;
			c->shared = mmap(NULL, GUEST_SIZE,
					 PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS |
					 MAP_POPULATE, -1, 0);
			if (c->shared == MAP_FAILED)
				return -ENOMEM;
			fill_pattern(c->shared, GUEST_SIZE, 5);
			ret = set_region2(c->vm, 0, KVM_MEM_GUEST_MEMFD,
					  GUEST_GPA, GUEST_SIZE, c->shared,
					  c->gmem, 0);
		} else {
			ret = guest_mem_add(c->vm, 0, GUEST_GPA, GUEST_SIZE,
					    &c->mem);
			if (!ret)
				fill_pattern(c->mem.hva, GUEST_SIZE, 5);
		}
		return ret ?: fd_or_errno(kvm_create_vcpu(c->vm, 0), &c->vcpu);
	case STEP_START:
		if (snp)
			return snp_start(c->vm, c->sev_fd);
		return sev_ioctl(c->vm, c->sev_fd, KVM_SEV_LAUNCH_START,
				 &start, NULL);
	case STEP_PRIVATE:
		if (snp)
			return set_attributes(c->vm, GUEST_GPA, GUEST_SIZE,
					      KVM_MEMORY_ATTRIBUTE_PRIVATE, 0);
		return sev_register_region(c->vm, &c->mem);
	case STEP_UPDATE:
		if (slow)
			tell(c, MSG_ENTER);
		if (snp) {
			ret = sev_ioctl(c->vm, c->sev_fd,
					KVM_SEV_SNP_LAUNCH_UPDATE, &snp_update,
					NULL);
			return ret ?: snp_update.len ? -EAGAIN : 0;
		}
		ret = sev_ioctl(c->vm, c->sev_fd, KVM_SEV_LAUNCH_UPDATE_DATA,
				&update, NULL);
		if (ret || c->kind != KIND_SEV_ES)
			return ret;
		return sev_ioctl(c->vm, c->sev_fd, KVM_SEV_LAUNCH_UPDATE_VMSA,
				 NULL, NULL);
	case STEP_MEASURE:
		if (snp)
			return fd_or_errno(gmem_create(c->vm, GUEST_SIZE, 0),
					   &c->gmem2);
		measure.uaddr = (uint64_t)(uintptr_t)blob;
		measure.len = sizeof(blob);
		return sev_ioctl(c->vm, c->sev_fd, KVM_SEV_LAUNCH_MEASURE,
				 &measure, NULL);
	case STEP_MIRROR:
		ret = fd_or_errno(kvm_create_vm(c->kvm_fd, kind_type(c->kind)),
				  &c->other);
		if (ret)
			return ret;
		if (!snp)
			return sev_mirror_from(c->other, c->vm);
		ret = sev_ioctl(c->other, c->sev_fd, KVM_SEV_INIT2, &init,
				NULL);
		return ret ?: snp_start(c->other, c->sev_fd);
	case STEP_FINISH:
		if (snp)
			return sev_ioctl(c->vm, c->sev_fd,
					 KVM_SEV_SNP_LAUNCH_FINISH,
					 &snp_finish, NULL);
		return sev_ioctl(c->vm, c->sev_fd, KVM_SEV_LAUNCH_FINISH, NULL,
				 NULL);
	default:
		return -EINVAL;
	}
}

/* The child: every step, told; then it waits to be killed */
static void child_run(enum vm_kind kind, int wfd, bool slow_update)
{
	struct child c = { .kind = kind, .wfd = wfd };
	enum launch_step step;
	int ret;

	for (step = 0; step < NR_STEPS; step++) {
		ret = child_step(&c, step, slow_update && step == STEP_UPDATE);
		if (ret) {
			fprintf(stderr, "child: step %s: %d\n",
				step_names[step], ret);
			tell(&c, MSG_FAIL);
			_exit(1);
		}
		tell(&c, MSG_STEP);
	}
	for (;;)
		pause();
}

/* The values that must come back after each kill */
static const char * const sim_keys[] = {
	"guests", "snp_guests", "rmp_assigned", "rmp_bad_frees",
	"hv_fixed_pages",
};

struct held {
	long long sim[ARRAY_SIZE(sim_keys)];
	long long leaked_pages;
};

static void held_now(struct held *h)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sim_keys); i++)
		h->sim[i] = sim_value(SEV_SIM_ID, sim_keys[i]);
	h->leaked_pages = debugfs_value(MAILBOX, "leaked_pages");
}

/* The parent's files, and what it found before any child */
struct crash_base {
	int kvm_fd;
	int sev_fd;
	unsigned long asid_type;	/* whose ASIDs the child takes */
	int free_asids;
	struct held before;
};

FIXTURE(crash) {
	struct crash_base b;
};

FIXTURE_VARIANT(crash) {
	enum vm_kind kind;
};

FIXTURE_VARIANT_ADD(crash, sev) { .kind = KIND_SEV };
FIXTURE_VARIANT_ADD(crash, sev_es) { .kind = KIND_SEV_ES };
FIXTURE_VARIANT_ADD(crash, snp) { .kind = KIND_SNP };

FIXTURE_SETUP(crash)
{
	unsigned long type = kind_type(variant->kind);
	uint32_t error;
	unsigned int i;
	int types;

	self->b.kvm_fd = -1;
	self->b.sev_fd = -1;
	types = kvm_sev_fixture_open(_metadata, &self->b.kvm_fd,
				     &self->b.sev_fd);
	if (!(types & BIT(type)))
		SKIP(return, "VM type %lu is not in KVM_CAP_VM_TYPES (%#x)",
		     type, types);

	/* SNP guests take SEV-ES ASIDs (no ciphertext hiding here) */
	self->b.asid_type = type == KVM_X86_SEV_VM ? KVM_X86_SEV_VM :
			    KVM_X86_SEV_ES_VM;
	self->b.free_asids = sev_count_free_asids(self->b.kvm_fd,
						  self->b.sev_fd,
						  self->b.asid_type, true,
						  &error);
	ASSERT_LT(1, self->b.free_asids)
		TH_LOG("free ASIDs: %d, fw %#x", self->b.free_asids, error);
	held_now(&self->b.before);
	for (i = 0; i < ARRAY_SIZE(sim_keys); i++)
		if (self->b.before.sim[i] < 0)
			break;
	ASSERT_EQ(ARRAY_SIZE(sim_keys), i)
		TH_LOG("a value missing from sevsim0's state");
	ASSERT_LE(0, self->b.before.leaked_pages) TH_LOG("no %s", MAILBOX);
	EXPECT_EQ(0, self->b.before.sim[0]);
	EXPECT_EQ(0, self->b.before.sim[1]);
}

FIXTURE_TEARDOWN(crash)
{
	sim_knob(SEV_SIM_ID, "fault_delay", "0 0");
	if (self->b.kvm_fd >= 0)
		close(self->b.kvm_fd);
	if (self->b.sev_fd >= 0)
		close(self->b.sev_fd);
}

/* Everything as before the child; ASIDs with LAUNCH_START if @launch */
static void expect_released(struct __test_metadata *_metadata,
			    struct crash_base *self, const char *when,
			    bool launch)
{
	unsigned int i, changed;
	struct held now;
	uint32_t error;

	held_now(&now);
	for (i = 0, changed = 0; i < ARRAY_SIZE(sim_keys); i++) {
		if (self->before.sim[i] == now.sim[i])
			continue;
		TH_LOG("sevsim0's %s %s: %lld, before: %lld", sim_keys[i],
		       when, now.sim[i], self->before.sim[i]);
		changed++;
	}
	EXPECT_EQ(0, changed) TH_LOG("the firmware holds more %s", when);
	EXPECT_EQ(self->before.leaked_pages, now.leaked_pages)
		TH_LOG("pages the PSP driver leaked %s", when);
	EXPECT_EQ(self->free_asids,
		  sev_count_free_asids(self->kvm_fd, self->sev_fd,
				       self->asid_type, launch, &error))
		TH_LOG("free ASIDs %s (fw %#x)", when, error);
}

/*
 * Fork a child launching @kind, wait for @steps of its messages (a step
 * done, or the slow command entered), SIGKILL it @delay_ms later and reap
 * it. Returns how long the kill took, in ms.
 */
static double kill_child_after(struct __test_metadata *_metadata,
			       enum vm_kind kind, int steps, bool slow,
			       int delay_ms)
{
	int pfd[2], status, i;
	double t0;
	pid_t pid;
	char msg;

	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pfd[0]);
		child_run(kind, pfd[1], slow);
		_exit(1);
	}
	close(pfd[1]);
	for (i = 0; i < steps; i++) {
		msg = MSG_FAIL;
		if (read(pfd[0], &msg, 1) != 1 || msg == MSG_FAIL)
			break;
	}
	if (i == steps && delay_ms)
		usleep(delay_ms * 1000);
	/* killed and reaped whatever happened: it must not outlive the test */
	t0 = now_ms();
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	t0 = now_ms() - t0;
	close(pfd[0]);
	ASSERT_EQ(steps, i)
		TH_LOG("the child failed step %d (%s), or died", i,
		       i < NR_STEPS ? step_names[i] : "none");
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("the child's status %#x", status);
	return t0;
}

/* Killed after each step, from before the first to after the last */
TEST_F_TIMEOUT(crash, killed_after_each_step, 180)
{
	char when[64];
	double t0 = now_ms();
	int k;

	for (k = 0; k <= NR_STEPS; k++) {
		kill_child_after(_metadata, variant->kind, k, false, 0);
		snprintf(when, sizeof(when), "after a kill at step %d (%s)", k,
			 k ? step_names[k - 1] : "none");
		expect_released(_metadata, &self->b, when, false);
	}
	expect_released(_metadata, &self->b, "after every kill", true);
	TH_LOG("%d kills in %.0f ms", NR_STEPS + 1, now_ms() - t0);
}

/*
 * Killed while it sleeps in the firmware's LAUNCH_UPDATE_DATA (or
 * SNP_LAUNCH_UPDATE): the kill waits for the command, then all goes.
 */
TEST_F_TIMEOUT(crash, killed_inside_launch_update, 60)
{
	char knob[32];
	double ms;

	snprintf(knob, sizeof(knob), "%d 1 %#x", DELAY_MS,
		 variant->kind == KIND_SNP ? SEV_CMD_SNP_LAUNCH_UPDATE :
		 SEV_CMD_LAUNCH_UPDATE_DATA);
	ASSERT_EQ(0, sim_knob(SEV_SIM_ID, "fault_delay", knob));
	/* the steps before the update, then its "entering" */
	ms = kill_child_after(_metadata, variant->kind, STEP_UPDATE + 1, true,
			      DELAY_MS / 5);
	TH_LOG("the kill took %.0f ms (the command: %d ms)", ms, DELAY_MS);
	EXPECT_LT(DELAY_MS / 2, ms)
		TH_LOG("the child died before the firmware finished its command");
	expect_released(_metadata, &self->b, "after a kill inside an update", true);
}

TEST_HARNESS_MAIN
