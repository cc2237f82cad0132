// SPDX-License-Identifier: GPL-2.0
/*
 * SNP guest requests (SVM_VMGEXIT_GUEST_REQUEST) and extended guest
 * requests (SVM_VMGEXIT_EXT_GUEST_REQUEST) on /dev/kvm-sev. The program
 * plays the guest with the guest library (snp_guest_lib.h): it seals a
 * message under VMPCK0, writes it and a GHCB into the guest's shared
 * memory, sets the GHCB MSR and enters the vCPU; KVM_RUN hands the message
 * to the (simulated) firmware and the program opens the answer.
 *
 * VMPCK0 is derived as the simulated firmware does (snp_sim_vmpck.h),
 * each test on a fresh device whose first launch is number 1.
 *
 * Every test ends with the simulator's snp_msg_stats showing no IV reuse.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"
#include "snp_guest_lib.h"
#include "snp_sim_vmpck.h"
#include <linux/sev-psp.h>

#define RATE_PARAM	"/sys/module/kvm_sev/parameters/guest_req_rate"
#define PSP_TIMEOUT	PSP_PARAMS "/psp_cmd_timeout"
#define PSP_MAILBOX	PSP_DEBUGFS "/psp-sevsim0/mailbox"

/* The guest's memory: shared pages from GPA 0, the secrets page last */
#define GUEST_PAGES	16
#define GHCB_GPA	(1 * PAGE_SIZE)
#define REQ_GPA		(2 * PAGE_SIZE)
#define RESP_GPA	(3 * PAGE_SIZE)
#define CERTS_GPA	(4 * PAGE_SIZE)	/* 4 pages */
#define CERTS_PAGES	4
#define SECRETS_GPA	((GUEST_PAGES - 1) * PAGE_SIZE)

#define RESUMED		(-EINTR)

/* The GHCB's reasons for a malformed exit (<asm/sev-common.h>) */
#ifndef GHCB_ERR_MISSING_INPUT
#define GHCB_ERR_MISSING_INPUT	4
#define GHCB_ERR_INVALID_INPUT	5
#define GHCB_ERR_INVALID_EVENT	6
#endif

#define VMM_ERR(e)	((uint64_t)(e) << 32)
#define VMM_ERR_GENERIC	0xffffffffU

/* The VM, its vCPU, its memory, and the guest's channel on VMPCK0 */
struct greq_vm {
	int kvm_fd;
	int sev_fd;
	int vm;
	int vcpu;
	int gmem_fd;
	uint8_t *shared;
	struct kvm_run *run;
	struct snp_guest_chan chan;
};

FIXTURE(greq) {
	struct greq_vm v;
	char psp_timeout[16];	/* sev-psp's psp_cmd_timeout, to restore */
};

FIXTURE_SETUP(greq)
{
	int types;

	self->v.vm = -1;
	self->v.vcpu = -1;
	self->v.gmem_fd = -1;
	self->v.shared = MAP_FAILED;
	types = sim_fresh_fixture_open(_metadata, &self->v.kvm_fd,
				       &self->v.sev_fd);
	if (!(types & BIT(KVM_X86_SNP_VM)))
		SKIP(return, "no KVM_X86_SNP_VM on this platform");

	self->v.vm = kvm_create_vm(self->v.kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, self->v.vm);
	ASSERT_EQ(0, sev_vm_init(self->v.vm, self->v.sev_fd, KVM_X86_SNP_VM, true,
				 NULL));
	self->v.gmem_fd = gmem_create(self->v.vm, GUEST_PAGES * PAGE_SIZE, 0);
	ASSERT_LE(0, self->v.gmem_fd);
	self->v.shared = mmap(NULL, GUEST_PAGES * PAGE_SIZE,
			      PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->v.shared);
	ASSERT_EQ(0, set_region2(self->v.vm, 0, KVM_MEM_GUEST_MEMFD, 0,
				 GUEST_PAGES * PAGE_SIZE, self->v.shared,
				 self->v.gmem_fd, 0));
}

FIXTURE_TEARDOWN(greq)
{
	/* the one unforgivable error: never an IV twice */
	EXPECT_EQ(0, sim_msg_stat("iv_reuse")) TH_LOG("snp_msg_stats: IV reuse");
	EXPECT_EQ(0, sim_msg_stat("replayed"));
	EXPECT_EQ(0, sim_msg_stat("skipped"));
	write_file(RATE_PARAM, "0");
	if (self->psp_timeout[0])
		write_file(PSP_TIMEOUT, "%s", self->psp_timeout);
	if (self->v.vcpu >= 0)
		close(self->v.vcpu);
	if (self->v.gmem_fd >= 0)
		close(self->v.gmem_fd);
	if (self->v.vm >= 0)
		close(self->v.vm);
	if (self->v.shared != MAP_FAILED)
		munmap(self->v.shared, GUEST_PAGES * PAGE_SIZE);
	close(self->v.kvm_fd);
	close(self->v.sev_fd);
}

/*
 * The vCPU, and the launch: SNP_LAUNCH_START, the secrets page,
 * SNP_LAUNCH_FINISH (the secrets page private: the firmware fills it);
 * the GHCB registered (GHCB_MSR_REG_GPA_REQ); the
 * channel on VMPCK0.
 */
static void launch(struct __test_metadata *_metadata, struct greq_vm *self)
{
	struct kvm_sev_snp_launch_start start = {
		.policy = SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT,
	};
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = SECRETS_GPA >> 12,
		.uaddr = (uintptr_t)(self->shared + SECRETS_GPA),
		.len = PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_SECRETS,
	};
	struct kvm_sev_snp_launch_finish finish = {};
	uint8_t vmpck[SNP_MSG_VMPCK_LEN];
	uint64_t msr;
	uint32_t err = 0;

	self->vcpu = kvm_create_vcpu(self->vm, 0);
	ASSERT_LE(0, self->vcpu);
	self->run = vcpu_map_run(self->kvm_fd, self->vcpu);
	ASSERT_NE(NULL, self->run);
	ASSERT_EQ(0, sev_ioctl(self->vm, self->sev_fd, KVM_SEV_SNP_LAUNCH_START,
			       &start, &err)) TH_LOG("fw error %#x", err);
	memset(self->shared + SECRETS_GPA, 0, PAGE_SIZE);
	ASSERT_EQ(0, set_attributes(self->vm, SECRETS_GPA, PAGE_SIZE,
				    KVM_MEMORY_ATTRIBUTE_PRIVATE, 0));
	ASSERT_EQ(0, sev_ioctl(self->vm, self->sev_fd, KVM_SEV_SNP_LAUNCH_UPDATE,
			       &upd, &err)) TH_LOG("fw error %#x", err);
	ASSERT_EQ(0, sev_ioctl(self->vm, self->sev_fd, KVM_SEV_SNP_LAUNCH_FINISH,
			       &finish, &err)) TH_LOG("fw error %#x", err);

	ASSERT_EQ(1, ghcb_msr_write(self->vcpu, GHCB_MSR_REG_GPA_REQ |
				    (GHCB_GPA >> 12) << 12));
	ASSERT_EQ(RESUMED, vcpu_run(self->vcpu));
	ASSERT_EQ(1, ghcb_msr_read(self->vcpu, &msr));
	ASSERT_EQ(GHCB_MSR_REG_GPA_RESP | (GHCB_GPA >> 12) << 12, msr);

	if (!sim_have_chip_secret)
		SKIP(return, "sev-psp-sim has no chip_secret known here");
	ASSERT_EQ(0, sim_vmpck(1, 0, vmpck));
	ASSERT_EQ(0, snp_guest_chan_init(&self->chan, vmpck, 0));
}

static struct ghcb *ghcb_of(struct greq_vm *self)
{
	return (struct ghcb *)(self->shared + GHCB_GPA);
}

static struct sev_psp_msg *page_at(struct greq_vm *self, uint64_t gpa)
{
	return (struct sev_psp_msg *)(self->shared + gpa);
}

/* The guest's VMGEXIT with the GHCB as built: KVM_RUN's result */
static int vmgexit(struct greq_vm *self)
{
	if (ghcb_msr_write(self->vcpu, GHCB_GPA) != 1)
		return -EIO;
	return vcpu_run(self->vcpu);
}

static int guest_req(struct greq_vm *self, uint64_t req, uint64_t resp)
{
	ghcb_init(ghcb_of(self), 2);
	ghcb_set_guest_request(ghcb_of(self), req, resp);
	return vmgexit(self);
}

static int ext_guest_req(struct greq_vm *self, uint64_t certs,
			 uint64_t npages)
{
	ghcb_init(ghcb_of(self), 2);
	ghcb_set_ext_guest_request(ghcb_of(self), REQ_GPA, RESP_GPA, certs,
				   npages);
	return vmgexit(self);
}

/* A report request for @tag sealed into the request page */
static void seal_report(struct __test_metadata *_metadata,
			struct greq_vm *self, uint8_t tag)
{
	uint8_t data[64];

	memset(data, tag, sizeof(data));
	ASSERT_EQ(0, snp_msg_report_req(&self->chan, data, 0,
					page_at(self, REQ_GPA)));
}

/* The answer to seal_report(@tag): success, the report for the data */
static void expect_report(struct __test_metadata *_metadata,
			  struct greq_vm *self, uint8_t tag)
{
	struct sev_psp_report_rsp rsp;
	uint8_t data[64];
	int len;

	EXPECT_EQ(0, ghcb_exit_info_1(ghcb_of(self)));
	ASSERT_EQ(0, ghcb_exit_info_2(ghcb_of(self)))
		TH_LOG("the VMM's and the firmware's error");
	len = snp_msg_open(&self->chan, page_at(self, RESP_GPA),
			   SNP_MSG_REPORT_RSP, &rsp, sizeof(rsp));
	ASSERT_EQ(sizeof(rsp), len) TH_LOG("the response opens: %d", len);
	EXPECT_EQ(0, le32toh(rsp.status));
	memset(data, tag, sizeof(data));
	EXPECT_EQ(0, memcmp(rsp.report.report_data, data, sizeof(data)));
	EXPECT_EQ(0, le32toh(rsp.report.vmpl));
}

/* The answer is VMM error @vmm, nothing from the firmware */
static void expect_vmm_err(struct __test_metadata *_metadata,
			   struct greq_vm *self, uint32_t vmm)
{
	EXPECT_EQ(0, ghcb_exit_info_1(ghcb_of(self)));
	EXPECT_EQ(VMM_ERR(vmm), ghcb_exit_info_2(ghcb_of(self)));
}

static void expect_bad_input(struct __test_metadata *_metadata,
			     struct greq_vm *self, uint64_t reason)
{
	EXPECT_EQ(2, ghcb_exit_info_1(ghcb_of(self)));
	EXPECT_EQ(reason, ghcb_exit_info_2(ghcb_of(self)));
}

/* The attribute says KVM_SEV_SNP_ENABLE_REQ_CERTS is there */
TEST_F(greq, req_certs_attr)
{
	uint64_t val = 0;

	EXPECT_EQ(0, kvm_get_device_attr(self->v.kvm_fd, KVM_X86_GRP_SEV,
					 KVM_X86_SEV_SNP_REQ_CERTS, &val));
	EXPECT_EQ(1, val);
	/* refused once a vCPU exists */
	self->v.vcpu = kvm_create_vcpu(self->v.vm, 0);
	ASSERT_LE(0, self->v.vcpu);
	EXPECT_EQ(-EINVAL, sev_ioctl(self->v.vm, self->v.sev_fd,
				     KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL));
}

TEST_F(greq, report)
{
	launch(_metadata, &self->v);
	seal_report(_metadata, &self->v, 0x5a);
	ASSERT_EQ(RESUMED, guest_req(&self->v, REQ_GPA, RESP_GPA));
	expect_report(_metadata, &self->v, 0x5a);
	/* and the next sequence number */
	seal_report(_metadata, &self->v, 0xa5);
	ASSERT_EQ(RESUMED, guest_req(&self->v, REQ_GPA, RESP_GPA));
	expect_report(_metadata, &self->v, 0xa5);
	/* the statistics the teardown checks are there */
	EXPECT_EQ(2, sim_msg_stat("encrypted"));
}

TEST_F(greq, key)
{
	struct sev_psp_key_req kreq;
	struct sev_psp_key_rsp krsp;
	int len;

	launch(_metadata, &self->v);
	snp_key_req_init(&kreq, 0, SNP_KEY_FIELD_MEASUREMENT, 0, 0, 0);
	ASSERT_EQ(0, snp_msg_key_req(&self->v.chan, &kreq,
				     page_at(&self->v, REQ_GPA)));
	ASSERT_EQ(RESUMED, guest_req(&self->v, REQ_GPA, RESP_GPA));
	ASSERT_EQ(0, ghcb_exit_info_2(ghcb_of(&self->v)));
	len = snp_msg_open(&self->v.chan, page_at(&self->v, RESP_GPA),
			   SNP_MSG_KEY_RSP, &krsp, sizeof(krsp));
	ASSERT_EQ(sizeof(krsp), len);
	EXPECT_EQ(0, le32toh(krsp.status));
}

/* Pages not aligned, the same page twice, RAX/RBX missing */
TEST_F(greq, bad_input)
{
	struct ghcb *g = ghcb_of(&self->v);

	launch(_metadata, &self->v);
	EXPECT_EQ(RESUMED, guest_req(&self->v, REQ_GPA + 8, RESP_GPA));
	expect_bad_input(_metadata, &self->v, GHCB_ERR_INVALID_INPUT);
	EXPECT_EQ(RESUMED, guest_req(&self->v, REQ_GPA, RESP_GPA + 16));
	expect_bad_input(_metadata, &self->v, GHCB_ERR_INVALID_INPUT);
	EXPECT_EQ(RESUMED, guest_req(&self->v, REQ_GPA, REQ_GPA));
	expect_bad_input(_metadata, &self->v, GHCB_ERR_INVALID_INPUT);
	EXPECT_EQ(RESUMED, ext_guest_req(&self->v, CERTS_GPA + 1, 1));
	expect_bad_input(_metadata, &self->v, GHCB_ERR_INVALID_INPUT);

	/* the extended request needs RBX */
	ghcb_init(g, 2);
	ghcb_set_exit(g, SVM_VMGEXIT_EXT_GUEST_REQUEST, REQ_GPA, RESP_GPA);
	ghcb_set_rax(g, CERTS_GPA);
	EXPECT_EQ(RESUMED, vmgexit(&self->v));
	expect_bad_input(_metadata, &self->v, GHCB_ERR_MISSING_INPUT);
}

/* No certificates anywhere: an empty table, then the report */
TEST_F(greq, ext_no_certs)
{
	launch(_metadata, &self->v);
	memset(self->v.shared + CERTS_GPA, 0xff, PAGE_SIZE);
	seal_report(_metadata, &self->v, 1);
	ASSERT_EQ(RESUMED, ext_guest_req(&self->v, CERTS_GPA, 1));
	expect_report(_metadata, &self->v, 1);
	EXPECT_EQ(0, *(uint64_t *)(self->v.shared + CERTS_GPA));
	EXPECT_EQ(0, *(uint64_t *)(self->v.shared + CERTS_GPA + 16));
	EXPECT_EQ(0xff, self->v.shared[CERTS_GPA + 24])
		TH_LOG("24 bytes, the terminator, and no more");
}

/* A key request as an extended request: no certificates, no exit */
static void key_via_ext(struct __test_metadata *_metadata,
			struct greq_vm *self)
{
	struct sev_psp_key_req kreq;
	struct sev_psp_key_rsp krsp;

	snp_key_req_init(&kreq, 0, 0, 0, 0, 0);
	ASSERT_EQ(0, snp_msg_key_req(&self->chan, &kreq,
				     page_at(self, REQ_GPA)));
	memset(self->shared + CERTS_GPA, 0xff, 24);
	ASSERT_EQ(RESUMED, ext_guest_req(self, CERTS_GPA, 1));
	ASSERT_EQ(0, ghcb_exit_info_2(ghcb_of(self)));
	ASSERT_EQ(sizeof(krsp),
		  snp_msg_open(&self->chan, page_at(self, RESP_GPA),
			       SNP_MSG_KEY_RSP, &krsp, sizeof(krsp)));
	EXPECT_EQ(0xff, self->shared[CERTS_GPA]) TH_LOG("certificates untouched");
}

/* A blob of @len bytes: VCEK, ASK, ARK entries, bytes from @tag */
static void make_blob(uint8_t *blob, size_t len, uint8_t tag)
{
	static const uint8_t guids[3][16] = {
		SEV_PSP_GUID_VCEK, SEV_PSP_GUID_ASK, SEV_PSP_GUID_ARK,
	};
	struct sev_psp_cert_table_entry *e = (void *)blob;
	uint32_t off = 4 * sizeof(*e), each = (len - off) / 3;
	size_t i;

	memset(blob, 0, len);
	for (i = 0; i < 3; i++) {
		memcpy(e[i].guid, guids[i], 16);
		e[i].offset = off + i * each;
		e[i].length = each;
	}
	for (i = off; i < off + 3 * each; i++)
		blob[i] = tag + i;
}

/*
 * The host-wide blob (SNP_SET_EXT_CONFIG): too small a buffer is
 * INVALID_LEN with the pages needed in RBX, and the identical message
 * then succeeds (its sequence number was not used up).
 */
TEST_F(greq, ext_host_certs)
{
	static uint8_t blob[2 * PAGE_SIZE];
	struct sev_user_data_ext_snp_config ext = {
		.certs_address = (uintptr_t)blob,
		.certs_len = sizeof(blob),
	};
	uint32_t err = 0;

	launch(_metadata, &self->v);
	make_blob(blob, sizeof(blob), 0x31);
	ASSERT_EQ(0, sev_cmd(self->v.sev_fd, SNP_SET_EXT_CONFIG, &ext, &err))
		TH_LOG("fw error %#x", err);

	seal_report(_metadata, &self->v, 2);
	ASSERT_EQ(RESUMED, ext_guest_req(&self->v, CERTS_GPA, 1));
	expect_vmm_err(_metadata, &self->v, SNP_GUEST_VMM_ERR_INVALID_LEN);
	EXPECT_EQ(2, ghcb_get_rbx(ghcb_of(&self->v))) TH_LOG("pages needed");

	ASSERT_EQ(RESUMED, ext_guest_req(&self->v, CERTS_GPA, CERTS_PAGES));
	expect_report(_metadata, &self->v, 2);
	EXPECT_EQ(0, memcmp(self->v.shared + CERTS_GPA, blob, sizeof(blob)));

	/* a message other than a report request: a plain request */
	key_via_ext(_metadata, &self->v);
}

/* The VMM's exit: answer @ret (and @npages); KVM_RUN's result after */
static int answer_certs_exit(struct __test_metadata *_metadata,
			     struct greq_vm *self, uint64_t ret,
			     uint64_t npages)
{
	struct kvm_exit_snp_req_certs *rc = kvm_run_snp_req_certs(self->run);

	EXPECT_EQ(KVM_EXIT_SNP_REQ_CERTS, self->run->exit_reason);
	EXPECT_EQ(CERTS_GPA, rc->gpa);
	EXPECT_EQ(CERTS_PAGES, rc->npages);
	EXPECT_EQ(0, rc->ret);
	rc->ret = ret;
	rc->npages = npages;
	return vcpu_run(self->vcpu);
}

/*
 * The VMM gives the certificates (KVM_SEV_SNP_ENABLE_REQ_CERTS): each of
 * its answers, the same message resent until it goes through.
 */
TEST_F(greq, ext_vmm_certs)
{
	static uint8_t blob[PAGE_SIZE];
	uint32_t err;

	/* SNP only, and before the vCPUs */
	ASSERT_EQ(0, sev_ioctl(self->v.vm, self->v.sev_fd,
			       KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, &err));
	launch(_metadata, &self->v);
	make_blob(blob, sizeof(blob), 0x77);
	seal_report(_metadata, &self->v, 3);

	/* ENOSPC: INVALID_LEN, RBX what the VMM said */
	ASSERT_EQ(0, ext_guest_req(&self->v, CERTS_GPA, CERTS_PAGES));
	ASSERT_EQ(RESUMED, answer_certs_exit(_metadata, &self->v, ENOSPC, 9));
	expect_vmm_err(_metadata, &self->v, SNP_GUEST_VMM_ERR_INVALID_LEN);
	EXPECT_EQ(9, ghcb_get_rbx(ghcb_of(&self->v)));

	/* EAGAIN: BUSY */
	ASSERT_EQ(0, ext_guest_req(&self->v, CERTS_GPA, CERTS_PAGES));
	ASSERT_EQ(RESUMED, answer_certs_exit(_metadata, &self->v, EAGAIN, 0));
	expect_vmm_err(_metadata, &self->v, SNP_GUEST_VMM_ERR_BUSY);

	/* EIO: the generic error */
	ASSERT_EQ(0, ext_guest_req(&self->v, CERTS_GPA, CERTS_PAGES));
	ASSERT_EQ(RESUMED, answer_certs_exit(_metadata, &self->v, EIO, 0));
	expect_vmm_err(_metadata, &self->v, VMM_ERR_GENERIC);

	/* anything else: KVM_RUN fails, the guest has no answer */
	ASSERT_EQ(0, ext_guest_req(&self->v, CERTS_GPA, CERTS_PAGES));
	EXPECT_EQ(-EINVAL, answer_certs_exit(_metadata, &self->v, 7, 0));

	/* 0: the VMM wrote them; the request goes through */
	ASSERT_EQ(0, ext_guest_req(&self->v, CERTS_GPA, CERTS_PAGES));
	memcpy(self->v.shared + CERTS_GPA, blob, sizeof(blob));
	ASSERT_EQ(RESUMED, answer_certs_exit(_metadata, &self->v, 0, CERTS_PAGES));
	expect_report(_metadata, &self->v, 3);
	EXPECT_EQ(0, memcmp(self->v.shared + CERTS_GPA, blob, sizeof(blob)));

	/* only a report request asks the VMM */
	key_via_ext(_metadata, &self->v);
}

/* guest_req_rate: over it, BUSY without forwarding; then it goes */
TEST_F(greq, throttle)
{
	struct sev_psp_key_req kreq;
	struct sev_psp_key_rsp krsp;
	int i;

	if (write_file(RATE_PARAM, "1"))
		SKIP(return, "cannot write %s", RATE_PARAM);
	launch(_metadata, &self->v);
	snp_key_req_init(&kreq, 0, 0, 0, 0, 0);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, snp_msg_key_req(&self->v.chan, &kreq,
					     page_at(&self->v, REQ_GPA)));
		ASSERT_EQ(RESUMED, guest_req(&self->v, REQ_GPA, RESP_GPA));
		if (i == 1) {
			/* within the second: BUSY, then the same again */
			expect_vmm_err(_metadata, &self->v, SNP_GUEST_VMM_ERR_BUSY);
			usleep(1100 * 1000);
			ASSERT_EQ(RESUMED, guest_req(&self->v, REQ_GPA, RESP_GPA));
		}
		ASSERT_EQ(0, ghcb_exit_info_2(ghcb_of(&self->v)));
		ASSERT_EQ(sizeof(krsp),
			  snp_msg_open(&self->v.chan, page_at(&self->v, RESP_GPA),
				       SNP_MSG_KEY_RSP, &krsp, sizeof(krsp)));
	}
}

/* The VM closed now, its kvm_run too (a mapping keeps the vCPU alive) */
static void greq_vm_close(struct greq_vm *self)
{
	munmap(self->run, kvm_ioctl(self->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0));
	close(self->vcpu);
	close(self->gmem_fd);
	close(self->vm);
	self->vcpu = -1;
	self->gmem_fd = -1;
	self->vm = -1;
}

/* The guest's request as it sent it: no answer in its GHCB or page */
static void expect_no_answer(struct __test_metadata *_metadata,
			     struct greq_vm *self)
{
	uint8_t *resp = self->shared + RESP_GPA;

	EXPECT_EQ(REQ_GPA, ghcb_exit_info_1(ghcb_of(self)));
	EXPECT_EQ(RESP_GPA, ghcb_exit_info_2(ghcb_of(self)));
	EXPECT_EQ(0xaa, resp[0]);
	EXPECT_EQ(0, memcmp(resp, resp + 1, PAGE_SIZE - 1))
		TH_LOG("the response page untouched");
}

/*
 * No firmware status: SNP_GUEST_REQUEST (0x94) answers 2.5 s late, after
 * the driver's timeout (1 s). KVM_RUN fails with the driver's -ETIMEDOUT
 * and the guest has no answer; the PSP is dead from then on, and the
 * request sent again fails KVM_RUN with its -EBUSY, not a BUSY the guest
 * would retry for ever. The VM goes before the firmware's late answer,
 * which still reads the request page (kvm-sev must not have freed it) and
 * writes the response page (leaked). A reset revives the PSP.
 */
TEST_F(greq, no_fw_status)
{
	struct sev_user_data_status st;
	uint32_t err = 0;
	int i, fd;

	launch(_metadata, &self->v);
	ASSERT_LT(0, read_file(PSP_TIMEOUT, self->psp_timeout,
			       sizeof(self->psp_timeout)));
	ASSERT_EQ(0, write_file(PSP_TIMEOUT, "1"));
	ASSERT_EQ(0, sim_knob(SEV_SIM_ID, "fault_delay", "2500 1 0x94"));

	seal_report(_metadata, &self->v, 4);
	memset(self->v.shared + RESP_GPA, 0xaa, PAGE_SIZE);
	EXPECT_EQ(-ETIMEDOUT, guest_req(&self->v, REQ_GPA, RESP_GPA));
	expect_no_answer(_metadata, &self->v);
	EXPECT_EQ(1, debugfs_value(PSP_MAILBOX, "dead"));

	EXPECT_EQ(-EBUSY, guest_req(&self->v, REQ_GPA, RESP_GPA));
	expect_no_answer(_metadata, &self->v);

	greq_vm_close(&self->v);
	for (i = 0; i < 50 && sim_value(SEV_SIM_ID, "busy"); i++)
		usleep(100 * 1000);
	EXPECT_EQ(0, sim_value(SEV_SIM_ID, "busy")) TH_LOG("the late answer");
	EXPECT_EQ(1, sim_msg_stat("encrypted"));

	ASSERT_EQ(0, sim_knob(SEV_SIM_ID, "reset", "1"));
	EXPECT_EQ(0, debugfs_value(PSP_MAILBOX, "dead"));
	fd = sev_dev_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, sev_cmd(fd, SEV_PLATFORM_STATUS, &st, &err));
	EXPECT_EQ(0, err);
	close(fd);
}

/*
 * The PSP removed and another made (a PCI remove and rescan): the VM's
 * context is not the new firmware's, and its requests are not sent there.
 * KVM_RUN fails with -EIO, as sev_psp_replace_test's commands, and the
 * guest has no answer.
 */
TEST_F(greq, psp_replaced)
{
	launch(_metadata, &self->v);
	ASSERT_EQ(0, sim_del(SEV_SIM_ID));
	ASSERT_EQ(0, sim_new(SEV_SIM_ID, 2));

	seal_report(_metadata, &self->v, 6);
	memset(self->v.shared + RESP_GPA, 0xaa, PAGE_SIZE);
	EXPECT_EQ(-EIO, guest_req(&self->v, REQ_GPA, RESP_GPA));
	expect_no_answer(_metadata, &self->v);
	EXPECT_EQ(0, sim_msg_stat("encrypted"));
}

/* An SEV-ES guest has no guest requests: INVALID_EVENT */
TEST(not_snp)
{
	struct kvm_sev_launch_start start = { .policy = SEV_POLICY_ES };
	struct kvm_sev_launch_measure measure;
	struct guest_mem mem = {};
	struct ghcb *g;
	uint8_t blob[256];
	int kvm_fd, sev_fd, vm, vcpu, types;
	uint32_t err = 0;

	types = kvm_sev_fixture_open(_metadata, &kvm_fd, &sev_fd);
	if (!(types & BIT(KVM_X86_SEV_ES_VM)))
		SKIP(return, "no KVM_X86_SEV_ES_VM");
	vm = kvm_create_vm(kvm_fd, KVM_X86_SEV_ES_VM);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, sev_vm_init(vm, sev_fd, KVM_X86_SEV_ES_VM, true, &err));
	EXPECT_EQ(-EINVAL, sev_ioctl(vm, sev_fd, KVM_SEV_SNP_ENABLE_REQ_CERTS,
				     NULL, NULL)) TH_LOG("SNP VMs only");
	ASSERT_EQ(0, guest_mem_add(vm, 0, 0, 4 * PAGE_SIZE, &mem));
	vcpu = kvm_create_vcpu(vm, 0);
	ASSERT_LE(0, vcpu);
	ASSERT_EQ(0, sev_ioctl(vm, sev_fd, KVM_SEV_LAUNCH_START, &start, &err));
	ASSERT_EQ(0, sev_ioctl(vm, sev_fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
			       &err));
	measure.uaddr = (uintptr_t)blob;
	measure.len = sizeof(blob);
	ASSERT_EQ(0, sev_ioctl(vm, sev_fd, KVM_SEV_LAUNCH_MEASURE, &measure,
			       &err));
	ASSERT_EQ(0, sev_ioctl(vm, sev_fd, KVM_SEV_LAUNCH_FINISH, NULL, &err));

	g = (struct ghcb *)(mem.hva + PAGE_SIZE);
	ghcb_init(g, 2);
	ghcb_set_guest_request(g, 2 * PAGE_SIZE, 3 * PAGE_SIZE);
	ASSERT_EQ(1, ghcb_msr_write(vcpu, PAGE_SIZE));
	EXPECT_EQ(RESUMED, vcpu_run(vcpu));
	EXPECT_EQ(2, ghcb_exit_info_1(g));
	EXPECT_EQ(GHCB_ERR_INVALID_EVENT, ghcb_exit_info_2(g));

	ghcb_init(g, 2);
	ghcb_set_ext_guest_request(g, 2 * PAGE_SIZE, 3 * PAGE_SIZE, 0, 0);
	EXPECT_EQ(RESUMED, vcpu_run(vcpu));
	EXPECT_EQ(2, ghcb_exit_info_1(g));
	EXPECT_EQ(GHCB_ERR_INVALID_EVENT, ghcb_exit_info_2(g));

	close(vcpu);
	close(vm);
	guest_mem_free(&mem);
	close(kvm_fd);
	close(sev_fd);
}

TEST_HARNESS_MAIN
