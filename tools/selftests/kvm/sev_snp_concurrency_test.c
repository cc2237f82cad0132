// SPDX-License-Identifier: GPL-2.0
/*
 * SNP guest requests and page state changes from several vCPUs at once on
 * /dev/kvm-sev, the program playing the guests (the guest library, as
 * sev_guest_req_test and sev_psc_test do) and their VMM, one thread per
 * vCPU.
 *
 * The guest's channel to the firmware (VMPCK0 and its sequence numbers) is
 * one per VM, under a mutex held across the whole request, from sealing
 * the message to opening the answer, as Linux's sev-guest driver holds its
 * snp_cmd_mutex: requests of one VM are one at a time by the guest's own
 * rule, the page state changes of the other vCPUs of that VM are not, and
 * the VMs are not.
 *
 * Each answer must open under VMPCK0 and be the report asked for; the
 * simulator's snp_msg_stats must show no IV used twice, no replay, no skip,
 * and one encryption per answer; the RMP must hold the pages the guests
 * left private, and none once the VMs are gone.
 */
#include <pthread.h>
#include <stdarg.h>

#include "kselftest_harness.h"
#include "kvm_sev_util.h"
#include "snp_guest_lib.h"
#include "snp_sim_vmpck.h"

#define RESUMED		(-EINTR)

#define NR_VCPUS	4	/* of the one VM of vcpus_one_vm */
#define NR_VMS		4	/* of vms_in_parallel, one vCPU each */
#define ROUNDS		16	/* a thread's requests, and PSC pairs */
/* about 5 s each under TCG; the harness's 30 s is too close on a busy host */
#define TEST_TIMEOUT	120

/* Each VM's memory: one guest_memfd slot from GPA 0, shared but for: */
#define GUEST_PAGES	64
#define GHCB_GPA(i)	((1 + (i)) * PAGE_SIZE)	/* vCPU i's GHCB */
#define REQ_GPA		(8 * PAGE_SIZE)
#define RESP_GPA	(9 * PAGE_SIZE)
#define CERTS_GPA	(10 * PAGE_SIZE)
#define CERTS_PAGES	4
#define PSC_PAGES	8
#define PSC_GFN(i)	(16 + (i) * PSC_PAGES)	/* vCPU i's own range */
#define SECRETS_GPA	((GUEST_PAGES - 1) * PAGE_SIZE)

#define KVM_HC_MAP_GPA_RANGE_NR	12
#define MAP_GPA_RANGE_ENCRYPTED	BIT_ULL(4)

/* An empty certificate table: its terminator, one all-zero entry */
#define CERT_TABLE_ENTRY_LEN	24

struct conc_vm {
	int vm;
	int gmem;
	unsigned int nr_vcpus;
	int vcpu[NR_VCPUS];
	struct kvm_run *run[NR_VCPUS];
	uint8_t *shared;
	/* the guest's one channel on VMPCK0, as its sev-guest driver's */
	pthread_mutex_t chan_lock;
	struct snp_guest_chan chan;
	/* the launch digest every report of this guest carries */
	uint8_t measurement[48];
	bool have_measurement;
};

/* One vCPU's thread: the guest on it and the VMM's answers to its exits */
struct worker {
	struct conc_vm *v;
	unsigned int vm_idx;
	unsigned int idx;		/* the vCPU */
	bool psc;			/* page state changes between requests */
	pthread_barrier_t *start;
	unsigned int answered;		/* requests answered with a report */
	char why[192];			/* the first failure */
};

FIXTURE(conc) {
	int kvm_fd;
	int sev_fd;
	struct conc_vm vms[NR_VMS];
};

static void conc_vm_free(struct conc_vm *v)
{
	unsigned int i;

	for (i = 0; i < NR_VCPUS; i++) {
		if (v->run[i])
			munmap(v->run[i], 2 * PAGE_SIZE);
		if (v->vcpu[i] >= 0)
			close(v->vcpu[i]);
		v->run[i] = NULL;
		v->vcpu[i] = -1;
	}
	if (v->gmem >= 0)
		close(v->gmem);
	if (v->vm >= 0)
		close(v->vm);
	if (v->shared != MAP_FAILED)
		munmap(v->shared, GUEST_PAGES * PAGE_SIZE);
	v->gmem = -1;
	v->vm = -1;
	v->shared = MAP_FAILED;
}

FIXTURE_SETUP(conc)
{
	unsigned int i, j;
	int types;

	for (i = 0; i < NR_VMS; i++) {
		self->vms[i].vm = -1;
		self->vms[i].gmem = -1;
		self->vms[i].shared = MAP_FAILED;
		for (j = 0; j < NR_VCPUS; j++)
			self->vms[i].vcpu[j] = -1;
	}
	types = sim_fresh_fixture_open(_metadata, &self->kvm_fd,
				       &self->sev_fd);
	if (!(types & BIT(KVM_X86_SNP_VM)))
		SKIP(return, "no KVM_X86_SNP_VM on this platform");
	if (!sim_have_chip_secret)
		SKIP(return, "sev-psp-sim has no chip_secret known here");
}

FIXTURE_TEARDOWN(conc)
{
	unsigned int i;

	for (i = 0; i < NR_VMS; i++)
		conc_vm_free(&self->vms[i]);
	close(self->kvm_fd);
	close(self->sev_fd);
}

/* The guest's WRMSR of its GHCB MSR and VMGEXIT: KVM_RUN's result */
static int enter(struct conc_vm *v, unsigned int i, uint64_t msr)
{
	if (ghcb_msr_write(v->vcpu[i], msr) != 1)
		return -EPROTO;
	return vcpu_run(v->vcpu[i]);
}

/*
 * An SNP guest with @nr_vcpus vCPUs, the device's @launch-th launch:
 * SNP_LAUNCH_START, the secrets page (private: the firmware fills it),
 * SNP_LAUNCH_FINISH; each vCPU's GHCB registered; the channel on VMPCK0.
 */
static void conc_vm_launch(struct __test_metadata *_metadata, int kvm_fd,
			   int sev_fd, struct conc_vm *v, unsigned int nr_vcpus,
			   uint64_t launch)
{
	struct kvm_sev_snp_launch_start start = {
		.policy = SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT,
	};
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = SECRETS_GPA >> 12,
		.len = PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_SECRETS,
	};
	struct kvm_sev_snp_launch_finish finish = {};
	uint8_t vmpck[SNP_MSG_VMPCK_LEN];
	uint32_t err = 0;
	unsigned int i;
	uint64_t msr;

	v->nr_vcpus = nr_vcpus;
	v->vm = kvm_create_vm(kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, v->vm);
	ASSERT_EQ(0, sev_vm_init(v->vm, sev_fd, KVM_X86_SNP_VM, true,
				 NULL));
	v->gmem = gmem_create(v->vm, GUEST_PAGES * PAGE_SIZE, 0);
	ASSERT_LE(0, v->gmem);
	v->shared = mmap(NULL, GUEST_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, v->shared);
	ASSERT_EQ(0, set_region2(v->vm, 0, KVM_MEM_GUEST_MEMFD, 0,
				 GUEST_PAGES * PAGE_SIZE, v->shared, v->gmem, 0));
	ASSERT_EQ(0, kvm_enable_cap(v->vm, KVM_CAP_EXIT_HYPERCALL,
				    BIT_ULL(KVM_HC_MAP_GPA_RANGE_NR)));
	for (i = 0; i < nr_vcpus; i++) {
		v->vcpu[i] = kvm_create_vcpu(v->vm, i);
		ASSERT_LE(0, v->vcpu[i]);
		v->run[i] = vcpu_map_run(kvm_fd, v->vcpu[i]);
		ASSERT_NE(NULL, v->run[i]);
	}

	ASSERT_EQ(0, sev_ioctl(v->vm, sev_fd, KVM_SEV_SNP_LAUNCH_START,
			       &start, &err)) TH_LOG("fw error %#x", err);
	memset(v->shared + SECRETS_GPA, 0, PAGE_SIZE);
	ASSERT_EQ(0, set_attributes(v->vm, SECRETS_GPA, PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	upd.uaddr = (uintptr_t)(v->shared + SECRETS_GPA);
	ASSERT_EQ(0, sev_ioctl(v->vm, sev_fd, KVM_SEV_SNP_LAUNCH_UPDATE,
			       &upd, &err)) TH_LOG("fw error %#x", err);
	ASSERT_EQ(0, sev_ioctl(v->vm, sev_fd, KVM_SEV_SNP_LAUNCH_FINISH,
			       &finish, &err)) TH_LOG("fw error %#x", err);

	for (i = 0; i < nr_vcpus; i++) {
		ASSERT_EQ(RESUMED, enter(v, i, GHCB_MSR_REG_GPA_REQ |
					 GHCB_GPA(i)));
		ASSERT_EQ(1, ghcb_msr_read(v->vcpu[i], &msr));
		ASSERT_EQ(GHCB_MSR_REG_GPA_RESP | GHCB_GPA(i), msr);
	}

	ASSERT_EQ(0, sim_vmpck(launch, 0, vmpck));
	ASSERT_EQ(0, snp_guest_chan_init(&v->chan, vmpck, 0));
	ASSERT_EQ(0, pthread_mutex_init(&v->chan_lock, NULL));
}

static struct ghcb *ghcb_of(struct conc_vm *v, unsigned int i)
{
	return (struct ghcb *)(v->shared + GHCB_GPA(i));
}

static struct sev_psp_msg *page_at(struct conc_vm *v, uint64_t gpa)
{
	return (struct sev_psp_msg *)(v->shared + gpa);
}

/* Note the first failure of a worker: -1 */
static int worker_fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->why[0]) {
		va_start(ap, fmt);
		vsnprintf(w->why, sizeof(w->why), fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The answer to the report request for @data is that report */
static int check_report(struct worker *w, const struct sev_psp_report_rsp *rsp,
			const uint8_t *data)
{
	const struct sev_psp_attestation_report *r = &rsp->report;
	struct conc_vm *v = w->v;
	static const uint8_t zero_sig[sizeof(r->sig_r)];

	if (le32toh(rsp->status) || le32toh(rsp->report_size) != sizeof(*r))
		return worker_fail(w, "status %#x, report size %u",
				   le32toh(rsp->status),
				   le32toh(rsp->report_size));
	if (le32toh(r->version) != SNP_REPORT_VERSION || le32toh(r->vmpl) ||
	    le32toh(r->signature_algo) != SNP_REPORT_SIG_ALGO_ECDSA_P384_SHA384 ||
	    !memcmp(r->sig_r, zero_sig, sizeof(zero_sig)))
		return worker_fail(w, "report version %u, VMPL %u, algorithm %u",
				   le32toh(r->version), le32toh(r->vmpl),
				   le32toh(r->signature_algo));
	if (memcmp(r->report_data, data, sizeof(r->report_data)))
		return worker_fail(w, "another request's report data");
	/* every report of the guest: its one launch digest */
	if (!v->have_measurement) {
		memcpy(v->measurement, r->measurement, sizeof(v->measurement));
		v->have_measurement = true;
	} else if (memcmp(v->measurement, r->measurement,
			  sizeof(v->measurement))) {
		return worker_fail(w, "another guest's measurement");
	}
	return 0;
}

/*
 * A report request (an extended one in odd rounds, which gets the empty
 * certificate table: the device has no certificates) on the guest's
 * channel, held from sealing to opening.
 */
static int __worker_request(struct worker *w, unsigned int round)
{
	struct conc_vm *v = w->v;
	struct ghcb *g = ghcb_of(v, w->idx);
	uint8_t *certs = v->shared + CERTS_GPA;
	static const uint8_t empty[CERT_TABLE_ENTRY_LEN];
	struct sev_psp_report_rsp rsp;
	uint8_t data[64];
	bool ext = round & 1;
	int ret;

	memset(data, 0, sizeof(data));
	data[0] = w->vm_idx;
	data[1] = w->idx;
	data[2] = round;
	ret = snp_msg_report_req(&v->chan, data, 0, page_at(v, REQ_GPA));
	if (ret)
		return worker_fail(w, "round %u: seal: %d", round, ret);

	ghcb_init(g, 2);
	if (ext) {
		memset(certs, 0xff, CERT_TABLE_ENTRY_LEN + 1);
		ghcb_set_ext_guest_request(g, REQ_GPA, RESP_GPA, CERTS_GPA,
					   CERTS_PAGES);
	} else {
		ghcb_set_guest_request(g, REQ_GPA, RESP_GPA);
	}
	ret = enter(v, w->idx, GHCB_GPA(w->idx));
	if (ret != RESUMED)
		return worker_fail(w, "round %u: KVM_RUN %d", round, ret);
	if (ghcb_exit_info_1(g) || ghcb_exit_info_2(g))
		return worker_fail(w, "round %u: exit info %#llx %#llx", round,
				   (unsigned long long)ghcb_exit_info_1(g),
				   (unsigned long long)ghcb_exit_info_2(g));

	ret = snp_msg_open(&v->chan, page_at(v, RESP_GPA), SNP_MSG_REPORT_RSP,
			   &rsp, sizeof(rsp));
	if (ret != sizeof(rsp))
		return worker_fail(w, "round %u: the answer opens: %d", round,
				   ret);
	if (check_report(w, &rsp, data))
		return -1;
	if (ext && (memcmp(certs, empty, sizeof(empty)) ||
		    certs[CERT_TABLE_ENTRY_LEN] != 0xff))
		return worker_fail(w, "round %u: not the empty table", round);
	w->answered++;
	return 0;
}

static int worker_request(struct worker *w, unsigned int round)
{
	int ret;

	pthread_mutex_lock(&w->v->chan_lock);
	ret = __worker_request(w, round);
	pthread_mutex_unlock(&w->v->chan_lock);
	return ret;
}

/*
 * The VMM's answer to KVM_HC_MAP_GPA_RANGE: the attributes, for a range
 * that must be the vCPU's own.
 */
static int vmm_map_gpa_range(struct worker *w)
{
	struct kvm_run *run = w->v->run[w->idx];
	uint64_t gpa = run->hypercall.args[0];
	uint64_t npages = run->hypercall.args[1];
	bool private = run->hypercall.args[2] & MAP_GPA_RANGE_ENCRYPTED;
	uint64_t first = PSC_GFN(w->idx) * PAGE_SIZE;
	int ret;

	if (run->hypercall.nr != KVM_HC_MAP_GPA_RANGE_NR || gpa < first ||
	    npages > PSC_PAGES ||
	    gpa + npages * PAGE_SIZE > first + PSC_PAGES * PAGE_SIZE)
		return worker_fail(w, "hypercall %llu for %#llx, %llu pages",
				   (unsigned long long)run->hypercall.nr,
				   (unsigned long long)gpa,
				   (unsigned long long)npages);
	ret = set_attributes(w->v->vm, gpa, npages * PAGE_SIZE,
			     private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0, 0);
	if (ret)
		return worker_fail(w, "set attributes: %d", ret);
	run->hypercall.ret = 0;
	return 0;
}

/* The vCPU's range made private or shared through its GHCB */
static int worker_psc(struct worker *w, unsigned int op)
{
	struct conc_vm *v = w->v;
	struct ghcb *g = ghcb_of(v, w->idx);
	struct kvm_run *run = v->run[w->idx];
	struct snp_psc_desc d;
	struct psc_buf buf;
	unsigned int i;
	int ret;

	psc_init(&buf);
	for (i = 0; i < PSC_PAGES; i++)
		if (psc_add(&buf, PSC_GFN(w->idx) + i, op, RMP_PG_SIZE_4K) < 0)
			return worker_fail(w, "descriptor");
	ghcb_init(g, 2);
	ghcb_set_psc(g, GHCB_GPA(w->idx), &buf);
	ret = enter(v, w->idx, GHCB_GPA(w->idx));
	while (!ret && run->exit_reason == KVM_EXIT_HYPERCALL) {
		if (vmm_map_gpa_range(w))
			return -1;
		ret = vcpu_run(v->vcpu[w->idx]);
	}
	if (ret != RESUMED)
		return worker_fail(w, "PSC %u: KVM_RUN %d, exit %u", op, ret,
				   run->exit_reason);
	ghcb_get_psc(g, &d);
	if (ghcb_exit_info_2(g) || psc_cur_entry(&d) != PSC_PAGES)
		return worker_fail(w, "PSC %u: %#llx, entry %u", op,
				   (unsigned long long)ghcb_exit_info_2(g),
				   psc_cur_entry(&d));
	return 0;
}

/*
 * ROUNDS requests, each followed (with psc) by the vCPU's range made
 * private and shared again; odd vCPUs leave theirs private.
 */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int r;

	pthread_barrier_wait(w->start);
	for (r = 0; r < ROUNDS; r++) {
		if (worker_request(w, r))
			return NULL;
		if (w->psc && (worker_psc(w, SNP_PAGE_STATE_PRIVATE) ||
			       worker_psc(w, SNP_PAGE_STATE_SHARED)))
			return NULL;
	}
	if (w->psc && (w->idx & 1))
		worker_psc(w, SNP_PAGE_STATE_PRIVATE);
	return NULL;
}

/* Run the workers to their end; how many requests were answered */
static unsigned int run_workers(struct __test_metadata *_metadata,
				struct worker *w, unsigned int n)
{
	pthread_t tid[NR_VCPUS * NR_VMS];
	pthread_barrier_t start;
	unsigned int i, answered = 0;

	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, n));
	for (i = 0; i < n; i++) {
		w[i].start = &start;
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, worker_main, &w[i]));
	}
	for (i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < n; i++) {
		EXPECT_STREQ("", w[i].why)
			TH_LOG("VM %u vCPU %u", w[i].vm_idx, w[i].idx);
		answered += w[i].answered;
	}
	return answered;
}

struct msg_stats {
	long long iv_reuse, replayed, skipped, encrypted;
};

static void msg_stats(struct msg_stats *s)
{
	s->iv_reuse = sim_msg_stat("iv_reuse");
	s->replayed = sim_msg_stat("replayed");
	s->skipped = sim_msg_stat("skipped");
	s->encrypted = sim_msg_stat("encrypted");
}

/* Nothing reused, replayed or skipped; one encryption per answer */
static void expect_msg_stats(struct __test_metadata *_metadata,
			     const struct msg_stats *before,
			     unsigned int answered)
{
	struct msg_stats after;

	msg_stats(&after);
	ASSERT_LE(0, before->encrypted) TH_LOG("no snp_msg_stats");
	EXPECT_EQ(0, after.iv_reuse) TH_LOG("an IV used twice");
	EXPECT_EQ(before->replayed, after.replayed);
	EXPECT_EQ(before->skipped, after.skipped);
	EXPECT_EQ(before->encrypted + answered, after.encrypted);
}

static long long rmp_assigned(void)
{
	return sim_value(SEV_SIM_ID, "rmp_assigned");
}

/*
 * One guest, 4 vCPUs: each sends report requests on the guest's one
 * channel while the others change the state of their own pages.
 */
TEST_F_TIMEOUT(conc, vcpus_one_vm, TEST_TIMEOUT)
{
	struct conc_vm *v = &self->vms[0];
	struct worker w[NR_VCPUS] = {};
	long long before_vm = rmp_assigned(), before;
	struct msg_stats stats;
	unsigned int i, answered;

	conc_vm_launch(_metadata, self->kvm_fd, self->sev_fd, v, NR_VCPUS, 1);
	before = rmp_assigned();
	msg_stats(&stats);
	for (i = 0; i < NR_VCPUS; i++) {
		w[i].v = v;
		w[i].idx = i;
		w[i].psc = true;
	}
	answered = run_workers(_metadata, w, NR_VCPUS);
	EXPECT_EQ(NR_VCPUS * ROUNDS, answered);
	expect_msg_stats(_metadata, &stats, answered);
	/* the odd vCPUs' ranges are the guest's, the others' went back */
	EXPECT_EQ(before + NR_VCPUS / 2 * PSC_PAGES, rmp_assigned());
	EXPECT_EQ(0, sim_value(SEV_SIM_ID, "rmp_bad_frees"));

	/* and with the guest gone, every page of it is the host's again */
	conc_vm_free(v);
	EXPECT_EQ(before_vm, rmp_assigned());
}

/* 4 guests, a vCPU each, their requests at the same time */
TEST_F_TIMEOUT(conc, vms_in_parallel, TEST_TIMEOUT)
{
	struct worker w[NR_VMS] = {};
	long long before = rmp_assigned();
	struct msg_stats stats;
	unsigned int i, answered;

	/* one after the other: launch i + 1 of the device is VM i */
	for (i = 0; i < NR_VMS; i++)
		conc_vm_launch(_metadata, self->kvm_fd, self->sev_fd,
			       &self->vms[i], 1, i + 1);
	msg_stats(&stats);
	for (i = 0; i < NR_VMS; i++) {
		w[i].v = &self->vms[i];
		w[i].vm_idx = i;
	}
	answered = run_workers(_metadata, w, NR_VMS);
	EXPECT_EQ(NR_VMS * ROUNDS, answered);
	expect_msg_stats(_metadata, &stats, answered);

	for (i = 0; i < NR_VMS; i++)
		conc_vm_free(&self->vms[i]);
	EXPECT_EQ(before, rmp_assigned());
	EXPECT_EQ(0, sim_value(SEV_SIM_ID, "rmp_bad_frees"));
}

TEST_HARNESS_MAIN
