// SPDX-License-Identifier: GPL-2.0
/*
 * SNP page state changes (GHCB specification, AMD 56421, "Page State
 * Change") on /dev/kvm-sev, the program playing the guest with the guest
 * library's descriptor builder and the VMM that answers the
 * KVM_HC_MAP_GPA_RANGE exits: it sets the memory attributes (KVM frees
 * the private page of a frame made shared, as QEMU's PUNCH_HOLE would).
 *
 * Through the MSR protocol and the GHCB: the exits (adjacent entries of
 * one operation and size merged, 4 KiB and 2 MiB, a 2 MiB entry partly
 * done going on as 4 KiB), PSMASH and UNSMASH done without the VMM, the
 * progress written back (cur_entry, cur_page) and a change cut short by
 * the VMM resumed; bad headers and entries; and the RMP: a page made
 * private is assigned to the guest (the simulator's count), and leaves it
 * when the VMM frees it.
 *
 * And SNP AP creation (SVM_VMGEXIT_AP_CREATION): a second vCPU started
 * from a VMSA in private memory, halted without one or when destroyed,
 * CREATE_ON_INIT taking nothing up now, and the requests KVM refuses.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"
#include "snp_guest_lib.h"

#define RESUMED		(-EINTR)

#define GHCB_GPA	0x100000ULL		/* a plain slot: shared */
#define SHARED_PAGES	16
#define PRIV_GPA	0x40000000ULL		/* a guest_memfd slot */
#define PRIV_SIZE	(4ULL << 20)
#define PRIV_GFN	(PRIV_GPA >> 12)
#define GFN_2M		512

#define KVM_HC_MAP_GPA_RANGE_NR	12
#define MAP_GPA_RANGE_ENCRYPTED	BIT_ULL(4)
#define MAP_GPA_RANGE_2M	BIT_ULL(0)

struct psc_vm {
	int kvm_fd, sev_fd, vm, vcpu, gmem;
	int ap;			/* a second vCPU, APIC ID 1 */
	struct kvm_run *run;
	struct guest_mem mem;
	void *priv_hva;		/* the slot's shared side */
	struct ghcb *ghcb;
};

FIXTURE(psc) {
	struct psc_vm v;
};

static long long rmp_assigned(void)
{
	return sim_value(SEV_SIM_ID, "rmp_assigned");
}

static int enter(struct psc_vm *g, uint64_t msr)
{
	if (ghcb_msr_write(g->vcpu, msr) != 1)
		return -EPROTO;
	g->run->exit_reason = 0xdead;
	return vcpu_run(g->vcpu);
}

FIXTURE_SETUP(psc)
{
	struct psc_vm *g = &self->v;
	uint32_t error = 0;
	uint64_t msr;
	int types;

	g->vm = -1;
	g->vcpu = -1;
	g->ap = -1;
	g->gmem = -1;
	types = kvm_sev_fixture_open(_metadata, &g->kvm_fd, &g->sev_fd);
	if (!(types & BIT(KVM_X86_SNP_VM)))
		SKIP(return, "no KVM_X86_SNP_VM");

	g->vm = kvm_create_vm(g->kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, g->vm);
	ASSERT_EQ(0, sev_vm_init(g->vm, g->sev_fd, KVM_X86_SNP_VM, true,
				 &error));
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
	g->ap = kvm_create_vcpu(g->vm, 1);
	ASSERT_LE(0, g->ap);
	g->run = vcpu_map_run(g->kvm_fd, g->vcpu);
	ASSERT_NE(NULL, g->run);
	ASSERT_EQ(0, sev_es_launch_running(g->vm, g->sev_fd, true, &error))
		TH_LOG("fw error %#x", error);
	ASSERT_EQ(RESUMED, enter(g, GHCB_GPA | GHCB_MSR_REG_GPA_REQ));
	ASSERT_EQ(1, ghcb_msr_read(g->vcpu, &msr));
	ASSERT_EQ(GHCB_GPA | GHCB_MSR_REG_GPA_RESP, msr);
}

FIXTURE_TEARDOWN(psc)
{
	struct psc_vm *g = &self->v;

	if (g->vcpu >= 0)
		close(g->vcpu);
	if (g->ap >= 0)
		close(g->ap);
	if (g->gmem >= 0)
		close(g->gmem);
	guest_mem_free(&g->mem);
	if (g->vm >= 0)
		close(g->vm);
	close(g->kvm_fd);
	close(g->sev_fd);
}

/*
 * The VMM's answer to KVM_HC_MAP_GPA_RANGE: the attributes of the range
 * (unless it fails), and @ret.
 */
static void vmm_map_gpa_range(struct __test_metadata *_metadata,
			      struct psc_vm *g, uint64_t ret)
{
	uint64_t gpa = g->run->hypercall.args[0];
	uint64_t size = g->run->hypercall.args[1] * PAGE_SIZE;
	bool private = g->run->hypercall.args[2] & MAP_GPA_RANGE_ENCRYPTED;

	ASSERT_EQ(KVM_EXIT_HYPERCALL, g->run->exit_reason);
	ASSERT_EQ(KVM_HC_MAP_GPA_RANGE_NR, g->run->hypercall.nr);
	if (!ret)
		ASSERT_EQ(0, set_attributes(g->vm, gpa, size, private ?
				KVM_MEMORY_ATTRIBUTE_PRIVATE : 0, 0));
	g->run->hypercall.ret = ret;
}

/* The guest's descriptor in its shared buffer, sent */
static int psc_send(struct psc_vm *g, const struct psc_buf *buf)
{
	ghcb_init(g->ghcb, 2);
	ghcb_set_psc(g->ghcb, GHCB_GPA, buf);
	return enter(g, GHCB_GPA);
}

static void expect_exit(struct __test_metadata *_metadata, struct psc_vm *g,
			uint64_t gpa, uint64_t npages, uint64_t flags)
{
	ASSERT_EQ(KVM_EXIT_HYPERCALL, g->run->exit_reason);
	EXPECT_EQ(gpa, g->run->hypercall.args[0]);
	EXPECT_EQ(npages, g->run->hypercall.args[1]);
	EXPECT_EQ(flags, g->run->hypercall.args[2]);
}

/* One 4 KiB page through the MSR protocol, private and back */
TEST_F(psc, msr_private_and_back)
{
	struct psc_vm *g = &self->v;
	long long before = rmp_assigned();
	uint64_t gfn = PRIV_GFN + 3, msr;

	EXPECT_EQ(0, enter(g, gfn << 12 | 1ULL << 52 | GHCB_MSR_PSC_REQ));
	expect_exit(_metadata, g, gfn << 12, 1, MAP_GPA_RANGE_ENCRYPTED);
	vmm_map_gpa_range(_metadata, g, 0);
	/* the range is KVM's to know: a VMM rewriting it changes nothing */
	g->run->hypercall.args[1] = ~0ULL;
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	ASSERT_EQ(1, ghcb_msr_read(g->vcpu, &msr));
	EXPECT_EQ(GHCB_MSR_PSC_RESP, msr);
	EXPECT_EQ(before + 1, rmp_assigned()) TH_LOG("assigned to the guest");

	/* private again: nothing more to assign */
	EXPECT_EQ(0, enter(g, gfn << 12 | 1ULL << 52 | GHCB_MSR_PSC_REQ));
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	EXPECT_EQ(before + 1, rmp_assigned());

	EXPECT_EQ(0, enter(g, gfn << 12 | 2ULL << 52 | GHCB_MSR_PSC_REQ));
	expect_exit(_metadata, g, gfn << 12, 1, 0);
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	ASSERT_EQ(1, ghcb_msr_read(g->vcpu, &msr));
	EXPECT_EQ(GHCB_MSR_PSC_RESP, msr);
	EXPECT_EQ(before, rmp_assigned()) TH_LOG("freed by the VMM, unassigned");

	/* the VMM refuses */
	EXPECT_EQ(0, enter(g, gfn << 12 | 1ULL << 52 | GHCB_MSR_PSC_REQ));
	vmm_map_gpa_range(_metadata, g, 5);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	ASSERT_EQ(1, ghcb_msr_read(g->vcpu, &msr));
	EXPECT_EQ(GHCB_MSR_PSC_RESP_ERROR, msr);
	EXPECT_EQ(before, rmp_assigned());
}

/* Adjacent entries of one operation and size: one exit each run */
TEST_F(psc, ghcb_merge_and_progress)
{
	struct psc_vm *g = &self->v;
	long long before = rmp_assigned();
	struct snp_psc_desc d;
	struct psc_buf buf;
	unsigned int i;

	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	ASSERT_EQ(1, psc_add(&buf, PRIV_GFN + 1, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	ASSERT_EQ(2, psc_add(&buf, PRIV_GFN + 2, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	/* not adjacent: a run of its own */
	ASSERT_EQ(3, psc_add(&buf, PRIV_GFN + 8, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	/* another operation */
	ASSERT_EQ(4, psc_add(&buf, PRIV_GFN + 9, SNP_PAGE_STATE_SHARED,
			     RMP_PG_SIZE_4K));
	/* PSMASH and UNSMASH: nothing for the VMM */
	ASSERT_EQ(5, psc_add(&buf, PRIV_GFN + GFN_2M, SNP_PAGE_STATE_PSMASH,
			     RMP_PG_SIZE_2M));
	ASSERT_EQ(6, psc_add(&buf, PRIV_GFN + GFN_2M, SNP_PAGE_STATE_UNSMASH,
			     RMP_PG_SIZE_2M));

	EXPECT_EQ(0, psc_send(g, &buf));
	expect_exit(_metadata, g, PRIV_GPA, 3, MAP_GPA_RANGE_ENCRYPTED);
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(0, vcpu_run(g->vcpu));
	expect_exit(_metadata, g, PRIV_GPA + 8 * PAGE_SIZE, 1,
		    MAP_GPA_RANGE_ENCRYPTED);
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(0, vcpu_run(g->vcpu));
	expect_exit(_metadata, g, PRIV_GPA + 9 * PAGE_SIZE, 1, 0);
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));

	EXPECT_EQ(0, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ(0, ghcb_exit_info_2(g->ghcb));
	ghcb_get_psc(g->ghcb, &d);
	EXPECT_EQ(7, psc_cur_entry(&d)) TH_LOG("past the last entry");
	for (i = 0; i < 5; i++)
		EXPECT_EQ(1, psc_cur_page(&d, i));
	EXPECT_EQ(GFN_2M, psc_cur_page(&d, 5));
	EXPECT_EQ(GFN_2M, psc_cur_page(&d, 6));
	EXPECT_EQ(before + 4, rmp_assigned());
}

/* A 2 MiB entry; one partly done goes on as 4 KiB pages */
TEST_F(psc, ghcb_2m)
{
	struct psc_vm *g = &self->v;
	long long before = rmp_assigned();
	struct psc_buf buf;
	struct snp_psc_desc d;

	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_2M));
	EXPECT_EQ(0, psc_send(g, &buf));
	expect_exit(_metadata, g, PRIV_GPA, GFN_2M,
		    MAP_GPA_RANGE_ENCRYPTED | MAP_GPA_RANGE_2M);
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	EXPECT_EQ(0, ghcb_exit_info_2(g->ghcb));
	EXPECT_EQ(before + GFN_2M, rmp_assigned());

	/* back to shared, the guest having done 100 pages itself */
	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN, SNP_PAGE_STATE_SHARED,
			     RMP_PG_SIZE_2M));
	buf.desc.entries[0].cur_page = 100;
	/* the rest is 4 KiB pages now: the 4 KiB entry after it joins them */
	ASSERT_EQ(1, psc_add(&buf, PRIV_GFN + GFN_2M, SNP_PAGE_STATE_SHARED,
			     RMP_PG_SIZE_4K));
	/* ... but not a 2 MiB entry after that */
	ASSERT_EQ(2, psc_add(&buf, PRIV_GFN + 2 * GFN_2M, SNP_PAGE_STATE_SHARED,
			     RMP_PG_SIZE_2M));
	EXPECT_EQ(0, psc_send(g, &buf));
	expect_exit(_metadata, g, PRIV_GPA + 100 * PAGE_SIZE, GFN_2M - 100 + 1,
		    0);
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(0, vcpu_run(g->vcpu));
	expect_exit(_metadata, g, PRIV_GPA + 2 * GFN_2M * PAGE_SIZE, GFN_2M,
		    MAP_GPA_RANGE_2M);
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	ghcb_get_psc(g->ghcb, &d);
	EXPECT_EQ(3, psc_cur_entry(&d));
	EXPECT_EQ(GFN_2M, psc_cur_page(&d, 0));
	EXPECT_EQ(1, psc_cur_page(&d, 1));
	EXPECT_EQ(before + 100, rmp_assigned()) TH_LOG("the 100 stay private");
}

/* The VMM fails a run: GENERIC, and the guest resumes from there */
TEST_F(psc, ghcb_vmm_error_and_resume)
{
	struct psc_vm *g = &self->v;
	struct snp_psc_desc d;
	struct psc_buf buf;

	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	ASSERT_EQ(1, psc_add(&buf, PRIV_GFN + 5, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	EXPECT_EQ(0, psc_send(g, &buf));
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(0, vcpu_run(g->vcpu));
	vmm_map_gpa_range(_metadata, g, 1);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	EXPECT_EQ(0, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ(0x100ULL << 32, ghcb_exit_info_2(g->ghcb)) TH_LOG("GENERIC");
	ghcb_get_psc(g->ghcb, &d);
	EXPECT_EQ(1, psc_cur_entry(&d)) TH_LOG("the first is done");
	EXPECT_EQ(1, psc_cur_page(&d, 0));
	EXPECT_EQ(0, psc_cur_page(&d, 1));

	/* the guest sends its descriptor again, as it was left */
	ghcb_init(g->ghcb, 2);
	ghcb_set_sw_scratch(g->ghcb, ghcb_shared_buffer_gpa(GHCB_GPA));
	memcpy(g->ghcb->shared_buffer, &d, sizeof(d));
	ghcb_set_exit(g->ghcb, SVM_VMGEXIT_PSC, 0, 0);
	EXPECT_EQ(0, enter(g, GHCB_GPA));
	expect_exit(_metadata, g, PRIV_GPA + 5 * PAGE_SIZE, 1,
		    MAP_GPA_RANGE_ENCRYPTED);
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	EXPECT_EQ(0, ghcb_exit_info_2(g->ghcb));
}

TEST_F(psc, ghcb_bad_descriptors)
{
	struct psc_vm *g = &self->v;
	struct psc_buf buf;

	/* end_entry past the GHCB's maximum */
	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	buf.desc.hdr.end_entry = 253;
	EXPECT_EQ(RESUMED, psc_send(g, &buf));
	EXPECT_EQ(0, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ((1ULL << 32) | 1, ghcb_exit_info_2(g->ghcb)) TH_LOG("HDR");

	/* entries past the scratch area: the descriptor near its end */
	ghcb_init(g->ghcb, 2);
	ghcb_set_sw_scratch(g->ghcb, ghcb_shared_buffer_gpa(GHCB_GPA) +
			    GHCB_SHARED_BUF_SIZE - 16);
	ghcb_set_exit(g->ghcb, SVM_VMGEXIT_PSC, 0, 0);
	memset(g->ghcb->shared_buffer + GHCB_SHARED_BUF_SIZE - 16, 0, 16);
	g->ghcb->shared_buffer[GHCB_SHARED_BUF_SIZE - 16 + 2] = 1; /* end 1 */
	EXPECT_EQ(RESUMED, enter(g, GHCB_GPA));
	EXPECT_EQ((1ULL << 32) | 1, ghcb_exit_info_2(g->ghcb));

	/* a 2 MiB entry not 2 MiB aligned; a cur_page past the pages */
	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN + 1, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_2M));
	EXPECT_EQ(RESUMED, psc_send(g, &buf));
	EXPECT_EQ((1ULL << 32) | 2, ghcb_exit_info_2(g->ghcb)) TH_LOG("ENTRY");
	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	buf.desc.entries[0].cur_page = 2;
	EXPECT_EQ(RESUMED, psc_send(g, &buf));
	EXPECT_EQ((1ULL << 32) | 2, ghcb_exit_info_2(g->ghcb));

	/* no scratch area given */
	ghcb_init(g->ghcb, 2);
	ghcb_set_exit(g->ghcb, SVM_VMGEXIT_PSC, 0, 0);
	EXPECT_EQ(RESUMED, enter(g, GHCB_GPA));
	EXPECT_EQ(2, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ(4, ghcb_exit_info_2(g->ghcb)) TH_LOG("MISSING_INPUT");

	/* a descriptor outside the GHCB, in other shared memory */
	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN, SNP_PAGE_STATE_SHARED,
			     RMP_PG_SIZE_4K));
	ghcb_init(g->ghcb, 2);
	memcpy(g->mem.hva + 2 * PAGE_SIZE, &buf.desc, sizeof(buf.desc));
	ghcb_set_sw_scratch(g->ghcb, GHCB_GPA + 2 * PAGE_SIZE);
	ghcb_set_exit(g->ghcb, SVM_VMGEXIT_PSC, 0, 0);
	EXPECT_EQ(0, enter(g, GHCB_GPA));
	vmm_map_gpa_range(_metadata, g, 0);
	EXPECT_EQ(RESUMED, vcpu_run(g->vcpu));
	EXPECT_EQ(0, ghcb_exit_info_2(g->ghcb));
	EXPECT_EQ(1, ((struct snp_psc_desc *)(g->mem.hva + 2 * PAGE_SIZE))->hdr.cur_entry)
		TH_LOG("its progress written back there");
}

/* vCPU 0 asks for @request of APIC ID @apic_id with a VMSA at @vmsa */
static int ap_create(struct psc_vm *g, uint32_t request, uint32_t apic_id,
		     uint64_t vmsa, uint64_t features)
{
	ghcb_init(g->ghcb, 2);
	ghcb_set_rax(g->ghcb, features);
	ghcb_set_exit(g->ghcb, SVM_VMGEXIT_AP_CREATION,
		      (uint64_t)apic_id << 32 | request, vmsa);
	return enter(g, GHCB_GPA);
}

/* The AP makes a VMGEXIT (an SEV_INFO request): KVM_RUN's result */
static int ap_run(struct psc_vm *g)
{
	struct kvm_run *run = vcpu_map_run(g->kvm_fd, g->ap);
	int ret;

	if (!run)
		return -ENOMEM;
	if (ghcb_msr_write(g->ap, GHCB_MSR_SEV_INFO_REQ) != 1)
		return -EPROTO;
	ret = vcpu_run(g->ap);
	if (ret == 0 && run->exit_reason != KVM_EXIT_HLT)
		ret = -EPROTO;
	munmap(run, 2 * PAGE_SIZE);
	return ret;
}

#define SNP_VMSA_FEATURES	1	/* SNP_ACTIVE: INIT2 gave no others */
#define AP_VMSA_GPA		(PRIV_GPA + 5 * PAGE_SIZE)

TEST_F(psc, ap_creation)
{
	struct psc_vm *g = &self->v;

	/* running from its launch VMSA */
	EXPECT_EQ(RESUMED, ap_run(g));

	/* CREATE with a VMSA in private memory: it runs from it */
	EXPECT_EQ(RESUMED, ap_create(g, SVM_VMGEXIT_AP_CREATE, 1, AP_VMSA_GPA,
				     SNP_VMSA_FEATURES));
	EXPECT_EQ(0, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ(RESUMED, ap_run(g));

	/* DESTROY: halted, until a CREATE gives it a VMSA again */
	EXPECT_EQ(RESUMED, ap_create(g, SVM_VMGEXIT_AP_DESTROY, 1, 0, 0));
	EXPECT_EQ(0, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ(0, ap_run(g)) TH_LOG("KVM_EXIT_HLT");
	EXPECT_EQ(0, ap_run(g)) TH_LOG("still halted");

	/* CREATE_ON_INIT waits for an INIT: nothing now */
	EXPECT_EQ(RESUMED, ap_create(g, SVM_VMGEXIT_AP_CREATE_ON_INIT, 1,
				     AP_VMSA_GPA, SNP_VMSA_FEATURES));
	EXPECT_EQ(0, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ(0, ap_run(g));

	/* a VMSA outside private memory: halted */
	EXPECT_EQ(RESUMED, ap_create(g, SVM_VMGEXIT_AP_CREATE, 1,
				     GHCB_GPA + 3 * PAGE_SIZE,
				     SNP_VMSA_FEATURES));
	EXPECT_EQ(0, ap_run(g));
	EXPECT_EQ(RESUMED, ap_create(g, SVM_VMGEXIT_AP_CREATE, 1, AP_VMSA_GPA,
				     SNP_VMSA_FEATURES));
	EXPECT_EQ(RESUMED, ap_run(g));
}

TEST_F(psc, ap_creation_refused)
{
	struct psc_vm *g = &self->v;
	static const struct {
		uint32_t request, apic_id;
		uint64_t vmsa, features;
	} bad[] = {
		{ SVM_VMGEXIT_AP_CREATE, 7, AP_VMSA_GPA, SNP_VMSA_FEATURES },
		{ SVM_VMGEXIT_AP_CREATE, 1, AP_VMSA_GPA, 0 },
		{ SVM_VMGEXIT_AP_CREATE, 1, AP_VMSA_GPA, SNP_VMSA_FEATURES | 4 },
		{ SVM_VMGEXIT_AP_CREATE, 1, AP_VMSA_GPA + 8, SNP_VMSA_FEATURES },
		{ SVM_VMGEXIT_AP_CREATE, 1, PRIV_GPA + (2ULL << 20),
		  SNP_VMSA_FEATURES },		/* 2 MiB aligned */
		{ SVM_VMGEXIT_AP_CREATE, 1, 1ULL << 52, SNP_VMSA_FEATURES },
		{ 3, 1, AP_VMSA_GPA, SNP_VMSA_FEATURES },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(RESUMED, ap_create(g, bad[i].request, bad[i].apic_id,
					     bad[i].vmsa, bad[i].features));
		EXPECT_EQ(2, ghcb_exit_info_1(g->ghcb)) TH_LOG("case %u", i);
		EXPECT_EQ(5, ghcb_exit_info_2(g->ghcb)) TH_LOG("INVALID_INPUT");
	}
	/* the AP is as it was */
	EXPECT_EQ(RESUMED, ap_run(g));

	/* RAX is input, but to destroy */
	ghcb_init(g->ghcb, 2);
	ghcb_set_exit(g->ghcb, SVM_VMGEXIT_AP_CREATION,
		      1ULL << 32 | SVM_VMGEXIT_AP_CREATE, AP_VMSA_GPA);
	EXPECT_EQ(RESUMED, enter(g, GHCB_GPA));
	EXPECT_EQ(4, ghcb_exit_info_2(g->ghcb)) TH_LOG("MISSING_INPUT");
}

/* A VMM that did not ask for the exits: GENERIC, nothing changes */
TEST(psc_without_exit)
{
	struct psc_vm g = { .vm = -1 };
	uint32_t error = 0;
	struct psc_buf buf;
	uint64_t msr;
	int types;

	types = kvm_sev_fixture_open(_metadata, &g.kvm_fd, &g.sev_fd);
	if (!(types & BIT(KVM_X86_SNP_VM)))
		SKIP(return, "no KVM_X86_SNP_VM");
	g.vm = kvm_create_vm(g.kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, g.vm);
	ASSERT_EQ(0, sev_vm_init(g.vm, g.sev_fd, KVM_X86_SNP_VM, true, &error));
	ASSERT_EQ(0, guest_mem_add(g.vm, 0, GHCB_GPA, PAGE_SIZE, &g.mem));
	g.ghcb = (struct ghcb *)g.mem.hva;
	g.vcpu = kvm_create_vcpu(g.vm, 0);
	ASSERT_LE(0, g.vcpu);
	g.run = vcpu_map_run(g.kvm_fd, g.vcpu);
	ASSERT_NE(NULL, g.run);
	ASSERT_EQ(0, sev_es_launch_running(g.vm, g.sev_fd, true, &error));
	ASSERT_EQ(RESUMED, enter(&g, GHCB_GPA | GHCB_MSR_REG_GPA_REQ));
	ASSERT_EQ(1, ghcb_msr_read(g.vcpu, &msr));

	psc_init(&buf);
	ASSERT_EQ(0, psc_add(&buf, PRIV_GFN, SNP_PAGE_STATE_PRIVATE,
			     RMP_PG_SIZE_4K));
	EXPECT_EQ(RESUMED, psc_send(&g, &buf));
	EXPECT_EQ(0x100ULL << 32, ghcb_exit_info_2(g.ghcb));

	close(g.vcpu);
	guest_mem_free(&g.mem);
	close(g.vm);
	close(g.kvm_fd);
	close(g.sev_fd);
}

TEST_HARNESS_MAIN
