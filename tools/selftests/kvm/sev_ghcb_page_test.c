// SPDX-License-Identifier: GPL-2.0
/*
 * VMGEXIT through the GHCB page (GHCB specification, AMD 56421) on
 * /dev/kvm-sev. The program plays the guest: it builds its GHCB in guest
 * shared memory (a memory slot of its own memory) with the guest library
 * (snp_guest_lib.h), writes the GHCB's GPA into the GHCB MSR and enters
 * the vCPU with KVM_RUN; KVM answers in the GHCB, or comes back with an
 * exit for the VMM, which the program answers as a VMM would before the
 * next KVM_RUN finishes the exit.
 *
 * On SEV-ES and SNP guests: how malformed GHCBs and scratch areas are
 * answered (sw_exit_info_1 2, the reason in sw_exit_info_2); CPUID, port
 * I/O (one value, and strings in and out of the shared buffer or other
 * guest memory, in as many exits as the PIO page needs), MMIO in 8-byte
 * pieces, VMMCALL and KVM_HC_MAP_GPA_RANGE, MSR (#GP), the AP jump table,
 * hypervisor features, termination, unsupported events; that the answer
 * reaches the guest's page only when it is entered again, with only the
 * answer's fields valid; an SNP guest's unregistered GHCB.
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kvm_sev_util.h"
#include "snp_guest_lib.h"

#define RESUMED		(-EINTR)

#define MEM_GPA		0x100000ULL
#define MEM_PAGES	32
#define GHCB_GPA	MEM_GPA			/* page 0 */
#define DATA_GPA	(MEM_GPA + 2 * PAGE_SIZE) /* pages 2..: scratch */

#define GHCB_REASON_NOT_REGISTERED	1
#define GHCB_REASON_INVALID_USAGE	2
#define GHCB_REASON_INVALID_SCRATCH	3
#define GHCB_REASON_MISSING_INPUT	4
#define GHCB_REASON_INVALID_INPUT	5
#define GHCB_REASON_INVALID_EVENT	6

/* SVM intercept codes of the exits the guest turns into VMGEXITs */
#define EXIT_READ_DR7	0x027
#define EXIT_WRITE_DR7	0x037
#define EXIT_RDTSC	0x06e
#define EXIT_CPUID	0x072
#define EXIT_IOIO	0x07b
#define EXIT_MSR	0x07c
#define EXIT_VMMCALL	0x081
#define EXIT_RDTSCP	0x087

/* IOIO's sw_exit_info_1 (AMD APM vol. 2, "IOIO Intercept") */
#define IOIO_IN		0x1u
#define IOIO_STR	0x4u
#define IOIO_SZ(n)	((n) << 4)	/* 1, 2 or 4 bytes */
#define IOIO_PORT(p)	((uint64_t)(p) << 16)

#define KVM_HC_MAP_GPA_RANGE_NR	12

/* The VM, its vCPU and guest memory with the GHCB */
struct page_vm {
	int kvm_fd, sev_fd, vm, vcpu;
	struct kvm_run *run;
	struct guest_mem mem;
	struct ghcb *ghcb;	/* the guest's GHCB, in mem */
	uint8_t *pio;		/* the vCPU's PIO data page */
};

FIXTURE(page) {
	struct page_vm v;
};

FIXTURE_VARIANT(page) {
	unsigned long type;
	bool snp;
};

FIXTURE_VARIANT_ADD(page, sev_es) {
	.type = KVM_X86_SEV_ES_VM,
};

FIXTURE_VARIANT_ADD(page, snp) {
	.type = KVM_X86_SNP_VM, .snp = true,
};

/* The guest's RDMSR/WRMSR of its GHCB MSR and VMGEXIT: KVM_RUN's result */
static int enter(struct page_vm *g, uint64_t msr)
{
	if (ghcb_msr_write(g->vcpu, msr) != 1)
		return -EPROTO;
	g->run->exit_reason = 0xdead;
	return vcpu_run(g->vcpu);
}

/* What the VMM tells the guest of its CPU (the cpuid test asks) */
static const struct {
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 e[2];
} cpuid_table = {
	.hdr.nent = 2,
	.e = {
		{ .function = 0x40000000, .eax = 0x11, .ebx = 0x22,
		  .ecx = 0x33, .edx = 0x44 },
		{ .function = 7, .index = 1,
		  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		  .eax = 0x71, .ebx = 0x72, .ecx = 0x73, .edx = 0x74 },
	},
};

FIXTURE_SETUP(page)
{
	uint32_t error = 0;
	uint64_t msr;
	int types, size;

	self->v.vm = -1;
	self->v.vcpu = -1;
	types = kvm_sev_fixture_open(_metadata, &self->v.kvm_fd, &self->v.sev_fd);
	if (!(types & BIT(variant->type)))
		SKIP(return, "VM type %lu is not in KVM_CAP_VM_TYPES", variant->type);

	self->v.vm = kvm_create_vm(self->v.kvm_fd, variant->type);
	ASSERT_LE(0, self->v.vm);
	ASSERT_EQ(0, sev_vm_init(self->v.vm, self->v.sev_fd, variant->type, true,
				 &error)) TH_LOG("fw error %#x", error);
	ASSERT_EQ(0, guest_mem_add(self->v.vm, 0, MEM_GPA, MEM_PAGES * PAGE_SIZE,
				   &self->v.mem));
	self->v.ghcb = (struct ghcb *)self->v.mem.hva;
	self->v.vcpu = kvm_create_vcpu(self->v.vm, 0);
	ASSERT_LE(0, self->v.vcpu);

	/* struct kvm_run, then the PIO page: x86 KVM's vCPU mapping */
	size = kvm_ioctl(self->v.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	ASSERT_EQ(2 * PAGE_SIZE, size);
	self->v.run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			   self->v.vcpu, 0);
	ASSERT_NE(MAP_FAILED, self->v.run);
	self->v.pio = (uint8_t *)self->v.run + PAGE_SIZE;

	/* the CPUID table, before the state is protected */
	ASSERT_EQ(0, kvm_ioctl(self->v.vcpu, KVM_SET_CPUID2,
			       (unsigned long)&cpuid_table));
	ASSERT_EQ(0, sev_es_launch_running(self->v.vm, self->v.sev_fd,
					   variant->snp, &error))
		TH_LOG("fw error %#x", error);

	/* an SNP guest registers its GHCB first */
	if (variant->snp) {
		ASSERT_EQ(RESUMED, enter(&self->v, GHCB_GPA | GHCB_MSR_REG_GPA_REQ));
		ASSERT_EQ(1, ghcb_msr_read(self->v.vcpu, &msr));
		ASSERT_EQ(GHCB_GPA | GHCB_MSR_REG_GPA_RESP, msr);
	}
}

FIXTURE_TEARDOWN(page)
{
	if (self->v.run && self->v.run != MAP_FAILED)
		munmap(self->v.run, 2 * PAGE_SIZE);
	if (self->v.vcpu >= 0)
		close(self->v.vcpu);
	guest_mem_free(&self->v.mem);
	if (self->v.vm >= 0)
		close(self->v.vm);
	close(self->v.kvm_fd);
	close(self->v.sev_fd);
}

/* A fresh GHCB asking for @code: KVM_RUN's result */
static int ghcb_exit(struct page_vm *g, uint64_t code, uint64_t info1,
		     uint64_t info2)
{
	ghcb_set_exit(g->ghcb, code, info1, info2);
	return enter(g, GHCB_GPA);
}

static void ghcb_fresh(struct page_vm *g)
{
	ghcb_init(g->ghcb, 2);
}

/* The guest was answered that its exit was malformed, for @reason */
static void expect_bad_input(struct __test_metadata *_metadata,
			     struct page_vm *g, uint64_t reason)
{
	EXPECT_EQ(2, ghcb_exit_info_1(g->ghcb));
	EXPECT_EQ(reason, ghcb_exit_info_2(g->ghcb));
}

TEST_F(page, cpuid)
{
	int i;

	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 0x40000000);
	ghcb_set_rcx(self->v.ghcb, 0);
	ghcb_set_rbx(self->v.ghcb, 0x5555);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_CPUID, 0, 0));
	EXPECT_EQ(KVM_EXIT_INTR, self->v.run->exit_reason);
	EXPECT_EQ(0, ghcb_exit_info_1(self->v.ghcb));
	EXPECT_EQ(0, ghcb_exit_info_2(self->v.ghcb));
	EXPECT_EQ(0x11, ghcb_get_rax(self->v.ghcb));
	EXPECT_EQ(0x22, ghcb_get_rbx(self->v.ghcb));
	EXPECT_EQ(0x33, ghcb_get_rcx(self->v.ghcb));
	EXPECT_EQ(0x44, ghcb_get_rdx(self->v.ghcb));
	/* the answer's fields are valid, and nothing else */
	EXPECT_TRUE(ghcb_rax_is_valid(self->v.ghcb));
	EXPECT_TRUE(ghcb_rdx_is_valid(self->v.ghcb));
	EXPECT_TRUE(ghcb_sw_exit_info_1_is_valid(self->v.ghcb));
	EXPECT_FALSE(ghcb_sw_exit_code_is_valid(self->v.ghcb));
	for (i = 0; i < 16; i++)
		if (i != 0x1f8 / 64 && i != 0x308 / 64 && i != 0x398 / 64)
			EXPECT_EQ(0, self->v.ghcb->save.valid_bitmap[i])
				TH_LOG("valid_bitmap byte %d", i);

	/* the subleaf in RCX */
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 7);
	ghcb_set_rcx(self->v.ghcb, 1);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_CPUID, 0, 0));
	EXPECT_EQ(0x72, ghcb_get_rbx(self->v.ghcb));

	/* RCX is input too; leaf 0xd wants XCR0 */
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 1);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_CPUID, 0, 0));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_MISSING_INPUT);
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 0xd);
	ghcb_set_rcx(self->v.ghcb, 0);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_CPUID, 0, 0));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_MISSING_INPUT);
}

TEST_F(page, malformed)
{
	/* a usage other than the standard GHCB */
	ghcb_fresh(&self->v);
	self->v.ghcb->ghcb_usage = 1;
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_HV_FEATURES, 0, 0));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_USAGE);

	/* the exit code and both exit infos are always input */
	ghcb_fresh(&self->v);
	ghcb_set_sw_exit_code(self->v.ghcb, SVM_VMGEXIT_HV_FEATURES);
	ghcb_set_sw_exit_info_1(self->v.ghcb, 0);
	EXPECT_EQ(RESUMED, enter(&self->v, GHCB_GPA));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_MISSING_INPUT);

	/* an exit code KVM does not know */
	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, 0x12345, 0, 0));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_EVENT);

	/* OUT without its value; VMMCALL without RAX and CPL */
	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_IOIO, IOIO_PORT(0x80) |
				     IOIO_SZ(1), 0));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_MISSING_INPUT);
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, KVM_HC_MAP_GPA_RANGE_NR);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_VMMCALL, 0, 0));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_MISSING_INPUT);

	/* a port access size that is not 1, 2 or 4 bytes */
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 0);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_IOIO, IOIO_PORT(0x80) |
				     IOIO_SZ(3), 0));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_INPUT);

	/* an SNP event from an SEV-ES guest */
	if (!variant->snp) {
		ghcb_fresh(&self->v);
		EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_PSC, 0, 0));
		expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_EVENT);
	}
}

/* A GHCB no memory slot holds: KVM has nothing to answer in */
TEST_F(page, ghcb_outside_memory)
{
	EXPECT_EQ(RESUMED, enter(&self->v, 0x40000000ULL));
	EXPECT_EQ(KVM_EXIT_INTR, self->v.run->exit_reason);
}

/* An SNP guest's GHCB is the one it registered */
TEST_F(page, not_registered)
{
	struct ghcb *other = (struct ghcb *)(self->v.mem.hva + PAGE_SIZE);

	if (!variant->snp)
		SKIP(return, "SNP only");
	ghcb_init(other, 2);
	ghcb_set_exit(other, SVM_VMGEXIT_HV_FEATURES, 0, 0);
	EXPECT_EQ(RESUMED, enter(&self->v, GHCB_GPA + PAGE_SIZE));
	EXPECT_EQ(2, ghcb_exit_info_1(other));
	EXPECT_EQ(GHCB_REASON_NOT_REGISTERED, ghcb_exit_info_2(other));
}

TEST_F(page, hv_features_and_jump_table)
{
	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_HV_FEATURES, 0, 0));
	EXPECT_EQ(0, ghcb_exit_info_1(self->v.ghcb));
	EXPECT_EQ(3, ghcb_exit_info_2(self->v.ghcb)) TH_LOG("SNP, AP creation");

	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_AP_JUMP_TABLE, 0,
				     0x9f000));
	EXPECT_EQ(0, ghcb_exit_info_1(self->v.ghcb));
	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_AP_JUMP_TABLE, 1, 0));
	EXPECT_EQ(0, ghcb_exit_info_1(self->v.ghcb));
	EXPECT_EQ(0x9f000, ghcb_exit_info_2(self->v.ghcb));
	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_AP_JUMP_TABLE, 2, 0));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_INPUT);
}

TEST_F(page, msr_dr7_rdtsc)
{
	/* no MSR of the guest's is emulated: #GP (vector 13, exception) */
	ghcb_fresh(&self->v);
	ghcb_set_rcx(self->v.ghcb, 0xc0000080);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_MSR, 0, 0));
	EXPECT_EQ(1, ghcb_exit_info_1(self->v.ghcb));
	EXPECT_EQ(13 | 3 << 8 | 1ULL << 31, ghcb_exit_info_2(self->v.ghcb));
	ghcb_fresh(&self->v);
	ghcb_set_rcx(self->v.ghcb, 0xc0000080);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_MSR, 1, 0));
	/* WRMSR gives RAX and RDX */
	expect_bad_input(_metadata, &self->v, GHCB_REASON_MISSING_INPUT);

	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_READ_DR7, 0, 0));
	EXPECT_EQ(0x400, ghcb_get_rax(self->v.ghcb));
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 0x401);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_WRITE_DR7, 0, 0));
	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_READ_DR7, 0, 0));
	EXPECT_EQ(0x401, ghcb_get_rax(self->v.ghcb));

	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_RDTSCP, 0, 0));
	EXPECT_NE(0, ghcb_get_rax(self->v.ghcb) | ghcb_get_rdx(self->v.ghcb));
	EXPECT_GE(0xffffffffULL, ghcb_get_rax(self->v.ghcb));
	EXPECT_TRUE(ghcb_rcx_is_valid(self->v.ghcb));
}

/* OUT and IN of one value in RAX: KVM_EXIT_IO with the PIO page */
TEST_F(page, port_io)
{
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 0x12345678abULL);
	EXPECT_EQ(0, ghcb_exit(&self->v, EXIT_IOIO, IOIO_PORT(0x80) | IOIO_SZ(1),
			       0));
	ASSERT_EQ(KVM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(KVM_EXIT_IO_OUT, self->v.run->io.direction);
	EXPECT_EQ(1, self->v.run->io.size);
	EXPECT_EQ(0x80, self->v.run->io.port);
	EXPECT_EQ(1, self->v.run->io.count);
	ASSERT_EQ(PAGE_SIZE, self->v.run->io.data_offset);
	EXPECT_EQ(0xab, self->v.pio[0]);
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
	EXPECT_EQ(0, ghcb_exit_info_1(self->v.ghcb));

	/* IN of 2 bytes keeps RAX's other bytes; of 4 clears the upper half */
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 0xffffffffffff0000ULL);
	EXPECT_EQ(0, ghcb_exit(&self->v, EXIT_IOIO, IOIO_PORT(0x3f8) | IOIO_SZ(2) |
			       IOIO_IN, 0));
	ASSERT_EQ(KVM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(KVM_EXIT_IO_IN, self->v.run->io.direction);
	EXPECT_EQ(0x3f8, self->v.run->io.port);
	self->v.pio[0] = 0x34;
	self->v.pio[1] = 0x12;
	EXPECT_EQ(0xffffffffffff0000ULL, ghcb_get_rax(self->v.ghcb))
		TH_LOG("the guest sees the answer only when it is entered");
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
	EXPECT_EQ(0xffffffffffff1234ULL, ghcb_get_rax(self->v.ghcb));

	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, 0xffffffffffffffffULL);
	EXPECT_EQ(0, ghcb_exit(&self->v, EXIT_IOIO, IOIO_PORT(0xcfc) | IOIO_SZ(4) |
			       IOIO_IN, 0));
	memcpy(self->v.pio, "\x78\x56\x34\x12", 4);
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
	EXPECT_EQ(0x12345678ULL, ghcb_get_rax(self->v.ghcb));
}

/* OUTS from the shared buffer; INS into other guest memory, in two exits */
TEST_F(page, string_io)
{
	uint8_t *data = self->v.mem.hva + (DATA_GPA - MEM_GPA);
	uint32_t i, n = 1500;	/* 6000 bytes: more than the PIO page */

	ghcb_fresh(&self->v);
	memcpy(self->v.ghcb->shared_buffer, "abcdefghijkl", 12);
	ghcb_set_sw_scratch(self->v.ghcb, ghcb_shared_buffer_gpa(GHCB_GPA));
	EXPECT_EQ(0, ghcb_exit(&self->v, EXIT_IOIO, IOIO_PORT(0x70) | IOIO_SZ(4) |
			       IOIO_STR, 3));
	ASSERT_EQ(KVM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(KVM_EXIT_IO_OUT, self->v.run->io.direction);
	EXPECT_EQ(4, self->v.run->io.size);
	EXPECT_EQ(3, self->v.run->io.count);
	EXPECT_EQ(0, memcmp(self->v.pio, "abcdefghijkl", 12));
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));

	ghcb_fresh(&self->v);
	memset(data, 0, n * 4);
	ghcb_set_sw_scratch(self->v.ghcb, DATA_GPA);
	EXPECT_EQ(0, ghcb_exit(&self->v, EXIT_IOIO, IOIO_PORT(0x71) | IOIO_SZ(4) |
			       IOIO_STR | IOIO_IN, n));
	ASSERT_EQ(KVM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(KVM_EXIT_IO_IN, self->v.run->io.direction);
	EXPECT_EQ(PAGE_SIZE / 4, self->v.run->io.count);
	for (i = 0; i < PAGE_SIZE; i++)
		self->v.pio[i] = i * 7;
	/* how much came back is KVM's to know, not the VMM's to say */
	self->v.run->io.count = 0xffffffff;
	EXPECT_EQ(0, vcpu_run(self->v.vcpu)) TH_LOG("the rest in a second exit");
	ASSERT_EQ(KVM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(n - PAGE_SIZE / 4, self->v.run->io.count);
	for (i = 0; i < PAGE_SIZE; i++)
		self->v.pio[i] = i * 11;
	EXPECT_EQ(0, data[5]) TH_LOG("guest memory is written at entry");
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
	for (i = 0; i < n * 4; i++) {
		uint8_t want = i < PAGE_SIZE ? i * 7 : (i - PAGE_SIZE) * 11;

		if (data[i] != want) {
			EXPECT_EQ(want, data[i]) TH_LOG("byte %u", i);
			break;
		}
	}
}

TEST_F(page, mmio)
{
	uint8_t *sb = self->v.ghcb->shared_buffer;

	/* a read of 12 bytes: 8, then 4 */
	ghcb_fresh(&self->v);
	ghcb_set_sw_scratch(self->v.ghcb, ghcb_shared_buffer_gpa(GHCB_GPA) + 16);
	EXPECT_EQ(0, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_READ, 0xfed00000, 12));
	ASSERT_EQ(KVM_EXIT_MMIO, self->v.run->exit_reason);
	EXPECT_EQ(0xfed00000, self->v.run->mmio.phys_addr);
	EXPECT_EQ(8, self->v.run->mmio.len);
	EXPECT_EQ(0, self->v.run->mmio.is_write);
	memcpy(self->v.run->mmio.data, "01234567", 8);
	self->v.run->mmio.len = 0xffffffff;	/* ignored: KVM's to know */
	EXPECT_EQ(0, vcpu_run(self->v.vcpu));
	ASSERT_EQ(KVM_EXIT_MMIO, self->v.run->exit_reason);
	EXPECT_EQ(0xfed00008, self->v.run->mmio.phys_addr);
	EXPECT_EQ(4, self->v.run->mmio.len);
	memcpy(self->v.run->mmio.data, "89ab", 4);
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
	EXPECT_EQ(0, memcmp(sb + 16, "0123456789ab", 12));

	/* a write of 5 bytes from other guest memory */
	ghcb_fresh(&self->v);
	memcpy(self->v.mem.hva + (DATA_GPA - MEM_GPA), "hello", 5);
	ghcb_set_sw_scratch(self->v.ghcb, DATA_GPA);
	EXPECT_EQ(0, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_WRITE, 0xfed00100, 5));
	ASSERT_EQ(KVM_EXIT_MMIO, self->v.run->exit_reason);
	EXPECT_EQ(1, self->v.run->mmio.is_write);
	EXPECT_EQ(5, self->v.run->mmio.len);
	EXPECT_EQ(0, memcmp(self->v.run->mmio.data, "hello", 5));
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
}

/* Scratch areas: in the shared buffer, or at most 16 pages elsewhere */
TEST_F(page, scratch)
{
	uint64_t sb = ghcb_shared_buffer_gpa(GHCB_GPA);

	/* none given */
	ghcb_fresh(&self->v);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_READ, 0xfed00000, 8));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_MISSING_INPUT);
	ghcb_fresh(&self->v);
	ghcb_set_sw_scratch(self->v.ghcb, 0);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_READ, 0xfed00000, 8));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_SCRATCH);

	/* in the GHCB but outside its shared buffer, or past its end */
	ghcb_fresh(&self->v);
	ghcb_set_sw_scratch(self->v.ghcb, GHCB_GPA + 0x100);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_READ, 0xfed00000, 8));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_SCRATCH);
	ghcb_fresh(&self->v);
	ghcb_set_sw_scratch(self->v.ghcb, sb + GHCB_SHARED_BUF_SIZE - 4);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_READ, 0xfed00000, 8));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_SCRATCH);

	/* elsewhere: 16 pages at most, and no wrap */
	ghcb_fresh(&self->v);
	ghcb_set_sw_scratch(self->v.ghcb, DATA_GPA);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_WRITE, 0xfed00000,
				     16 * PAGE_SIZE + 1));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_SCRATCH);
	ghcb_fresh(&self->v);
	ghcb_set_sw_scratch(self->v.ghcb, ~0ULL - 3);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_WRITE, 0xfed00000, 8));
	expect_bad_input(_metadata, &self->v, GHCB_REASON_INVALID_SCRATCH);

	/* guest memory the VMM does not have: KVM_RUN fails, as KVM */
	ghcb_fresh(&self->v);
	ghcb_set_sw_scratch(self->v.ghcb, 0x40000000ULL);
	EXPECT_EQ(-EFAULT, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_WRITE, 0xfed00000, 8));

	/* 16 pages is allowed (the slot has them) */
	ghcb_fresh(&self->v);
	ghcb_set_sw_scratch(self->v.ghcb, DATA_GPA);
	EXPECT_EQ(0, ghcb_exit(&self->v, SVM_VMGEXIT_MMIO_WRITE, 0xfed00000,
			       16 * PAGE_SIZE));
	EXPECT_EQ(KVM_EXIT_MMIO, self->v.run->exit_reason);
}

TEST_F(page, vmmcall)
{
	/* without KVM_CAP_EXIT_HYPERCALL: no such hypercall */
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, KVM_HC_MAP_GPA_RANGE_NR);
	ghcb_set_cpl(self->v.ghcb, 0);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_VMMCALL, 0, 0));
	EXPECT_EQ((uint64_t)-1000, ghcb_get_rax(self->v.ghcb)) TH_LOG("-KVM_ENOSYS");

	ASSERT_EQ(0, kvm_enable_cap(self->v.vm, KVM_CAP_EXIT_HYPERCALL,
				    BIT_ULL(KVM_HC_MAP_GPA_RANGE_NR)));
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, KVM_HC_MAP_GPA_RANGE_NR);
	ghcb_set_rbx(self->v.ghcb, 0x200000);
	ghcb_set_rcx(self->v.ghcb, 4);
	ghcb_set_rdx(self->v.ghcb, KVM_MAP_GPA_RANGE_DECRYPTED);
	ghcb_set_cpl(self->v.ghcb, 0);
	EXPECT_EQ(0, ghcb_exit(&self->v, EXIT_VMMCALL, 0, 0));
	ASSERT_EQ(KVM_EXIT_HYPERCALL, self->v.run->exit_reason);
	EXPECT_EQ(KVM_HC_MAP_GPA_RANGE_NR, self->v.run->hypercall.nr);
	EXPECT_EQ(0x200000, self->v.run->hypercall.args[0]);
	EXPECT_EQ(4, self->v.run->hypercall.args[1]);
	EXPECT_EQ(KVM_MAP_GPA_RANGE_DECRYPTED, self->v.run->hypercall.args[2]);
	EXPECT_EQ(1, self->v.run->hypercall.longmode) TH_LOG("LONG_MODE");
	self->v.run->hypercall.ret = 0;
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
	EXPECT_EQ(0, ghcb_get_rax(self->v.ghcb));

	/* a misaligned GPA, no pages: -KVM_EINVAL, no exit */
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, KVM_HC_MAP_GPA_RANGE_NR);
	ghcb_set_rbx(self->v.ghcb, 0x200010);
	ghcb_set_rcx(self->v.ghcb, 1);
	ghcb_set_cpl(self->v.ghcb, 0);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_VMMCALL, 0, 0));
	EXPECT_EQ((uint64_t)-22, ghcb_get_rax(self->v.ghcb));

	/* from user mode: -KVM_EPERM */
	ghcb_fresh(&self->v);
	ghcb_set_rax(self->v.ghcb, KVM_HC_MAP_GPA_RANGE_NR);
	ghcb_set_cpl(self->v.ghcb, 3);
	EXPECT_EQ(RESUMED, ghcb_exit(&self->v, EXIT_VMMCALL, 0, 0));
	EXPECT_EQ((uint64_t)-1, ghcb_get_rax(self->v.ghcb));
}

TEST_F(page, termination_and_unsupported)
{
	ghcb_fresh(&self->v);
	EXPECT_EQ(0, ghcb_exit(&self->v, SVM_VMGEXIT_TERM_REQUEST, 1, 2));
	EXPECT_EQ(KVM_EXIT_SYSTEM_EVENT, self->v.run->exit_reason);
	EXPECT_EQ(KVM_SYSTEM_EVENT_SEV_TERM, self->v.run->system_event.type);
	EXPECT_EQ(1, self->v.run->system_event.ndata);
	EXPECT_EQ(GHCB_GPA, self->v.run->system_event.data[0]);
	/* entered again, the guest resumes after its request */
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));

	ghcb_fresh(&self->v);
	EXPECT_EQ(0, ghcb_exit(&self->v, SVM_VMGEXIT_AP_HLT_LOOP, 0, 0));
	EXPECT_EQ(KVM_EXIT_AP_RESET_HOLD, self->v.run->exit_reason);
	EXPECT_EQ(RESUMED, vcpu_run(self->v.vcpu));
	EXPECT_EQ(0, ghcb_exit_info_2(self->v.ghcb)) TH_LOG("no SIPI yet");

	ghcb_fresh(&self->v);
	EXPECT_EQ(-EINVAL, ghcb_exit(&self->v, SVM_VMGEXIT_UNSUPPORTED_EVENT, 1, 2));
	/* nothing was answered: the GHCB is as the guest wrote it */
	EXPECT_TRUE(ghcb_sw_exit_code_is_valid(self->v.ghcb));
}

/* The VM's memory is its creator's: another process's KVM_RUN is -EIO */
TEST_F(page, other_process)
{
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(vcpu_run(self->v.vcpu) == -EIO ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_HARNESS_MAIN
