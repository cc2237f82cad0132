// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-sev's trace events (TRACE_SYSTEM kvm_sev), read back through tracefs
 * as a user would: an SNP VM's ASID allocated and freed, the freed SEV
 * ASIDs flushed when they ran out, a GHCB MSR
 * protocol request, a page state change through the MSR protocol, and
 * VMGEXITs through the GHCB: a guest request the firmware refuses (a
 * header it does not take, so no VMPCK is needed and no sequence number
 * is used up) and one the GHCB check refuses (an unaligned page).
 *
 * The events go to a tracing instance of the test's own, so the global
 * buffer and whatever /init left enabled there are not touched. Each
 * expected event is one exact line of "key=value" fields, with the values
 * the test saw through KVM_RUN, the GHCB MSR and the GHCB.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"
#include "snp_guest_lib.h"
#include "tracefs_util.h"

#define INSTANCE	TRACEFS "/instances/kvm_sev_trace_test"
#define TRACE_MAX	(1024 * 1024)

#define RESUMED		(-EINTR)

#define GHCB_GPA	0x100000ULL		/* a plain slot: shared */
#define REQ_GPA		(GHCB_GPA + PAGE_SIZE)
#define RESP_GPA	(GHCB_GPA + 2 * PAGE_SIZE)
#define SHARED_PAGES	16
#define PRIV_GPA	0x40000000ULL		/* a guest_memfd slot */
#define PRIV_SIZE	(2ULL << 20)

#define KVM_HC_MAP_GPA_RANGE_NR	12
#define MSG_REPORT_REQ		5		/* SNP_MSG_REPORT_REQ */
#define FW_INVALID_PARAM	0x16		/* SEV_RET_INVALID_PARAM */
#define GHCB_ERR_INVALID_INPUT	5

struct trace_vm {
	int kvm_fd, sev_fd, vm, vcpu, gmem;
	struct kvm_run *run;
	struct guest_mem mem;
	void *priv_hva;		/* the guest_memfd slot's shared side */
	struct ghcb *ghcb;
	char *text;		/* the instance's buffer, as last read */
	int asid;
};

FIXTURE(trace) {
	struct trace_vm v;
};

/* The instance's buffer into @g->text; its length, or -errno */
static int trace_read(struct trace_vm *g)
{
	return tracefs_read(INSTANCE, g->text, TRACE_MAX);
}

/*
 * The line of @event whose fields are exactly @fields (the rest of the
 * line after "EVENT: "), as printed; NULL when there is none.
 */
static const char *find_event(const char *text, const char *event,
			      const char *fields)
{
	char want[512];
	const char *p = text, *eol;
	size_t len;

	len = snprintf(want, sizeof(want), ": %s: %s", event, fields);
	while ((p = strstr(p, want))) {
		eol = p + len;
		if (*eol == '\n' || *eol == '\0')
			return p;
		p = eol;
	}
	return NULL;
}

/* The event @event with the fields @fmt formats, in the buffer as read */
static void expect_event(struct __test_metadata *_metadata,
			 const struct trace_vm *g, const char *event,
			 const char *fmt, ...)
{
	char fields[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fields, sizeof(fields), fmt, ap);
	va_end(ap);
	EXPECT_NE(NULL, find_event(g->text, event, fields))
		TH_LOG("no \"%s: %s\" in:\n%s", event, fields, g->text);
}

static int enter(struct trace_vm *g, uint64_t msr)
{
	if (ghcb_msr_write(g->vcpu, msr) != 1)
		return -EPROTO;
	g->run->exit_reason = 0xdead;
	return vcpu_run(g->vcpu);
}

FIXTURE_SETUP(trace)
{
	struct trace_vm *g = &self->v;
	uint32_t error = 0;
	const char *p;
	int types, r;

	g->vm = -1;
	g->vcpu = -1;
	g->gmem = -1;
	g->run = NULL;
	g->text = NULL;
	types = kvm_sev_fixture_open(_metadata, &g->kvm_fd, &g->sev_fd);
	if (!(types & BIT(KVM_X86_SNP_VM)))
		SKIP(return, "no KVM_X86_SNP_VM");
	r = tracefs_mount();
	if (r)
		SKIP(return, "no tracefs: %s", strerror(-r));
	if (mkdir(INSTANCE, 0755) && errno != EEXIST)
		SKIP(return, "no tracing instance: %s", strerror(errno));
	ASSERT_EQ(0, write_file(INSTANCE "/events/kvm_sev/enable", "1"))
		TH_LOG("the kvm_sev events: kvm-sev is loaded");
	ASSERT_EQ(0, tracefs_clear(INSTANCE));
	g->text = malloc(TRACE_MAX);
	ASSERT_NE(NULL, g->text);

	g->vm = kvm_create_vm(g->kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, g->vm);
	ASSERT_EQ(0, sev_vm_init(g->vm, g->sev_fd, KVM_X86_SNP_VM, true,
				 &error));
	/* the VM is named by its ASID in every event: take it from here */
	ASSERT_LT(0, trace_read(g));
	p = strstr(g->text, ": kvm_sev_asid_alloc: vm_type=4 asid=");
	ASSERT_NE(NULL, p) TH_LOG("no ASID allocated in:\n%s", g->text);
	g->asid = atoi(strstr(p, "asid=") + 5);
	ASSERT_LT(0, g->asid);

	ASSERT_EQ(0, guest_mem_add(g->vm, 0, GHCB_GPA, SHARED_PAGES * PAGE_SIZE,
				   &g->mem));
	g->ghcb = (struct ghcb *)g->mem.hva;
	g->gmem = gmem_create(g->vm, PRIV_SIZE, 0);
	ASSERT_LE(0, g->gmem);
	g->priv_hva = mmap(NULL, PRIV_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, g->priv_hva);
	ASSERT_EQ(0, set_region2(g->vm, 1, KVM_MEM_GUEST_MEMFD, PRIV_GPA,
				 PRIV_SIZE, g->priv_hva, g->gmem, 0));
	ASSERT_EQ(0, kvm_enable_cap(g->vm, KVM_CAP_EXIT_HYPERCALL,
				    BIT_ULL(KVM_HC_MAP_GPA_RANGE_NR)));
	g->vcpu = kvm_create_vcpu(g->vm, 0);
	ASSERT_LE(0, g->vcpu);
	g->run = vcpu_map_run(g->kvm_fd, g->vcpu);
	ASSERT_NE(NULL, g->run);
	ASSERT_EQ(0, sev_es_launch_running(g->vm, g->sev_fd, true, &error))
		TH_LOG("fw error %#x", error);
	ASSERT_EQ(RESUMED, enter(g, GHCB_GPA | GHCB_MSR_REG_GPA_REQ));
	ASSERT_EQ(0, tracefs_clear(INSTANCE));
}

/* The VM's file closed, its ASID freed */
static void trace_vm_close(struct trace_vm *g)
{
	/* the run page holds the vCPU, and the vCPU the VM */
	if (g->run)
		munmap(g->run, kvm_ioctl(g->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0));
	if (g->vcpu >= 0)
		close(g->vcpu);
	if (g->gmem >= 0)
		close(g->gmem);
	guest_mem_free(&g->mem);
	if (g->vm >= 0)
		close(g->vm);
	if (g->priv_hva && g->priv_hva != MAP_FAILED)
		munmap(g->priv_hva, PRIV_SIZE);
	g->vcpu = -1;
	g->gmem = -1;
	g->vm = -1;
	g->priv_hva = NULL;
	g->run = NULL;
}

FIXTURE_TEARDOWN(trace)
{
	struct trace_vm *g = &self->v;

	trace_vm_close(g);
	if (g->text) {
		write_file(INSTANCE "/events/kvm_sev/enable", "0");
		rmdir(INSTANCE);
		free(g->text);
	}
	close(g->kvm_fd);
	close(g->sev_fd);
}

/* SEV_INFO through the MSR protocol: the request and the response */
TEST_F(trace, ghcb_msr)
{
	struct trace_vm *g = &self->v;
	uint64_t msr;

	ASSERT_EQ(RESUMED, enter(g, GHCB_MSR_SEV_INFO_REQ));
	ASSERT_EQ(1, ghcb_msr_read(g->vcpu, &msr));
	ASSERT_LT(0, trace_read(g));
	expect_event(_metadata, g, "kvm_sev_ghcb_msr",
		     "asid=%d vcpu=0 msr=%#x ret=1 resp=%#llx", g->asid,
		     GHCB_MSR_SEV_INFO_REQ, (unsigned long long)msr);
}

/* One page made private through the MSR protocol, and one refused */
TEST_F(trace, psc)
{
	struct trace_vm *g = &self->v;
	uint64_t gfn = (PRIV_GPA >> 12) + 3;
	uint64_t req = gfn << 12 | 1ULL << 52 | GHCB_MSR_PSC_REQ;

	ASSERT_EQ(0, enter(g, req));
	ASSERT_EQ(KVM_EXIT_HYPERCALL, g->run->exit_reason);
	ASSERT_EQ(0, set_attributes(g->vm, gfn << 12, PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	g->run->hypercall.ret = 0;
	ASSERT_EQ(RESUMED, vcpu_run(g->vcpu));

	/* to shared, which the VMM refuses */
	ASSERT_EQ(0, enter(g, gfn << 12 | 2ULL << 52 | GHCB_MSR_PSC_REQ));
	g->run->hypercall.ret = 5;
	ASSERT_EQ(RESUMED, vcpu_run(g->vcpu));

	ASSERT_LT(0, trace_read(g));
	/* the response is written when KVM_RUN completes the exit */
	expect_event(_metadata, g, "kvm_sev_ghcb_msr",
		     "asid=%d vcpu=0 msr=%#llx ret=0 resp=%#llx", g->asid,
		     (unsigned long long)req, (unsigned long long)req);
	expect_event(_metadata, g, "kvm_sev_psc",
		     "asid=%d vcpu=0 gpa=%#llx npages=1 to=private size=4K vmm_ret=0 ret=0",
		     g->asid, (unsigned long long)gfn << 12);
	expect_event(_metadata, g, "kvm_sev_psc",
		     "asid=%d vcpu=0 gpa=%#llx npages=1 to=shared size=4K vmm_ret=5 ret=-5",
		     g->asid, (unsigned long long)gfn << 12);
}

/*
 * A guest request whose header the firmware refuses (no AEAD algorithm):
 * its message type in the clear, the firmware's error; and one with an
 * unaligned request page, refused before it is a guest request at all.
 */
TEST_F(trace, guest_req)
{
	struct trace_vm *g = &self->v;
	uint8_t *req = (uint8_t *)g->mem.hva + (REQ_GPA - GHCB_GPA);
	uint64_t info2;

	memset(req, 0, PAGE_SIZE);
	req[52] = MSG_REPORT_REQ;	/* the header's msg_type */
	ghcb_init(g->ghcb, 2);
	ghcb_set_guest_request(g->ghcb, REQ_GPA, RESP_GPA);
	ASSERT_EQ(RESUMED, enter(g, GHCB_GPA));
	EXPECT_EQ(0, ghcb_exit_info_1(g->ghcb));
	info2 = ghcb_exit_info_2(g->ghcb);
	EXPECT_EQ(FW_INVALID_PARAM, info2);

	ghcb_init(g->ghcb, 2);
	ghcb_set_guest_request(g->ghcb, REQ_GPA + 8, RESP_GPA);
	ASSERT_EQ(RESUMED, enter(g, GHCB_GPA));
	EXPECT_EQ(2, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ(GHCB_ERR_INVALID_INPUT, ghcb_exit_info_2(g->ghcb));

	ASSERT_LT(0, trace_read(g));
	expect_event(_metadata, g, "kvm_sev_guest_req",
		     "asid=%d vcpu=0 msg_type=%d fw_err=%#llx vmm_err=0x0",
		     g->asid, MSG_REPORT_REQ, (unsigned long long)info2);
	expect_event(_metadata, g, "kvm_sev_vmgexit",
		     "asid=%d vcpu=0 exit_code=%#x info1=%#llx info2=%#llx ret=1 out1=0x0 out2=%#llx",
		     g->asid, SVM_VMGEXIT_GUEST_REQUEST,
		     (unsigned long long)REQ_GPA, (unsigned long long)RESP_GPA,
		     (unsigned long long)info2);
	expect_event(_metadata, g, "kvm_sev_vmgexit",
		     "asid=%d vcpu=0 exit_code=%#x info1=%#llx info2=%#llx ret=1 out1=0x2 out2=%#x",
		     g->asid, SVM_VMGEXIT_GUEST_REQUEST,
		     (unsigned long long)REQ_GPA + 8, (unsigned long long)RESP_GPA,
		     GHCB_ERR_INVALID_INPUT);
}

/* The VM closed: its ASID freed */
TEST_F(trace, asid_free)
{
	struct trace_vm *g = &self->v;

	trace_vm_close(g);
	ASSERT_LT(0, trace_read(g));
	expect_event(_metadata, g, "kvm_sev_asid_free", "asid=%d", g->asid);
}

/*
 * Every SEV ASID taken and given back (sev_count_free_asids()): the next
 * VM's allocation finds none free and flushes the freed ones, at least
 * those (ASIDs the program's earlier tests freed are in the count too).
 */
TEST(asid_flush)
{
	struct trace_vm g = { .vm = -1 };
	uint32_t error = 0;
	const char *p;
	int types, n, vm, r;

	types = kvm_sev_fixture_open(_metadata, &g.kvm_fd, &g.sev_fd);
	if (!(types & BIT(KVM_X86_SEV_VM)))
		SKIP(return, "no KVM_X86_SEV_VM");
	r = tracefs_mount();
	if (r)
		SKIP(return, "no tracefs: %s", strerror(-r));
	if (mkdir(INSTANCE, 0755) && errno != EEXIST)
		SKIP(return, "no tracing instance: %s", strerror(errno));
	g.text = malloc(TRACE_MAX);
	ASSERT_NE(NULL, g.text);
	ASSERT_EQ(0, write_file(INSTANCE "/events/kvm_sev/kvm_sev_asid_flush/enable",
				"1"));

	n = sev_count_free_asids(g.kvm_fd, g.sev_fd, KVM_X86_SEV_VM, false,
				 &error);
	ASSERT_LT(0, n) TH_LOG("fw error %#x", error);
	ASSERT_EQ(0, tracefs_clear(INSTANCE));
	vm = kvm_create_vm(g.kvm_fd, KVM_X86_SEV_VM);
	ASSERT_LE(0, vm);
	EXPECT_EQ(0, sev_vm_init(vm, g.sev_fd, KVM_X86_SEV_VM, false, &error))
		TH_LOG("fw error %#x", error);
	close(vm);

	ASSERT_LT(0, trace_read(&g));
	p = strstr(g.text, ": kvm_sev_asid_flush: count=");
	ASSERT_NE(NULL, p) TH_LOG("no flush in:\n%s", g.text);
	EXPECT_LE(n, atoi(strchr(p, '=') + 1)) TH_LOG("%d ASIDs freed", n);

	write_file(INSTANCE "/events/kvm_sev/kvm_sev_asid_flush/enable", "0");
	rmdir(INSTANCE);
	free(g.text);
	close(g.kvm_fd);
	close(g.sev_fd);
}

TEST_HARNESS_MAIN
