/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the KVM SEV selftests (upstream's
 * tools/testing/selftests/kvm/x86/sev_*.c, as standalone programs against
 * /dev/kvm-sev): open the devices, create VMs, vCPUs and guest memory, and
 * issue KVM_MEMORY_ENCRYPT_OP. Each helper only makes the call and returns
 * 0 (or a file descriptor) or -errno; the firmware status comes back
 * separately. Every result is checked by the test that made the call.
 *
 * The simulated PSP (and so /dev/sev) is the program's own: it makes
 * sevsim0 before the first test and removes it after the last.
 */
#ifndef KVM_SEV_UTIL_H
#define KVM_SEV_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm-sev.h>
#include <linux/psp-sev.h>

#include "sev_test_util.h"

#define SEV_SIM_ID		0

/* Guest policy bits (SEV API, spec 55766) */
#define SEV_POLICY_NO_DBG	BIT(0)
#define SEV_POLICY_ES		BIT(2)

/* GUEST_STATUS states (spec 55766, "GUEST_STATUS") */
#define SEV_GUEST_STATE_LAUNCH_UPDATE	1
#define SEV_GUEST_STATE_LAUNCH_SECRET	2
#define SEV_GUEST_STATE_RUNNING		3

/* SNP guest policy: SMT allowed (bit 16), and bit 17, reserved, must be 1 */
#define SNP_POLICY_SMT		BIT_ULL(16)
#define SNP_POLICY_RSVD_MBO	BIT_ULL(17)

/* VMSA features (SEV_FEATURES): DebugSwap, the one KVM may offer */
#define SVM_SEV_FEAT_DEBUG_SWAP	BIT_ULL(5)

/* The largest blob KVM passes to the firmware (ccp's SEV_FW_BLOB_MAX_SIZE) */
#define SEV_FW_BLOB_MAX_SIZE	0x4000

/* LAUNCH_MEASURE's blob: the measurement (32 bytes) and MNONCE (16) */
#define SEV_LAUNCH_MEASURE_LEN	48

static inline int kvm_sev_open(void)
{
	int fd = open(KVM_SEV_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static inline int sev_dev_open(void)
{
	int fd = open("/dev/sev", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* ioctl() as 0 (or its non-negative result) or -errno */
static inline int kvm_ioctl(int fd, unsigned long req, unsigned long arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

static inline int kvm_create_vm(int kvm_fd, unsigned long type)
{
	return kvm_ioctl(kvm_fd, KVM_CREATE_VM, type);
}

static inline int kvm_check_extension(int fd, long cap)
{
	return kvm_ioctl(fd, KVM_CHECK_EXTENSION, cap);
}

static inline int kvm_create_vcpu(int vm_fd, unsigned long id)
{
	return kvm_ioctl(vm_fd, KVM_CREATE_VCPU, id);
}

static inline int kvm_has_device_attr(int fd, uint32_t group, uint64_t attr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr };

	return kvm_ioctl(fd, KVM_HAS_DEVICE_ATTR, (unsigned long)&a);
}

static inline int kvm_get_device_attr(int fd, uint32_t group, uint64_t attr,
				      uint64_t *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};

	return kvm_ioctl(fd, KVM_GET_DEVICE_ATTR, (unsigned long)&a);
}

static inline int kvm_enable_cap(int vm_fd, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap c = { .cap = cap, .args = { arg0 } };

	return kvm_ioctl(vm_fd, KVM_ENABLE_CAP, (unsigned long)&c);
}

/* KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM: @src's SEV context into @dst */
static inline int sev_move_from(int dst_vm, int src_vm)
{
	return kvm_enable_cap(dst_vm, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, src_vm);
}

/* KVM_CAP_VM_COPY_ENC_CONTEXT_FROM: @dst becomes a mirror of @src */
static inline int sev_mirror_from(int dst_vm, int src_vm)
{
	return kvm_enable_cap(dst_vm, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM, src_vm);
}

/*
 * KVM_MEMORY_ENCRYPT_OP: 0 or -errno; the firmware status in *fw_error
 * (if given), which KVM leaves at 0 when no firmware command ran.
 */
static inline int sev_ioctl(int vm_fd, int sev_fd, uint32_t id, void *data,
			    uint32_t *fw_error)
{
	struct kvm_sev_cmd cmd = {
		.id = id,
		.data = (uint64_t)(uintptr_t)data,
		.sev_fd = sev_fd,
	};
	int ret;

	ret = kvm_ioctl(vm_fd, KVM_MEMORY_ENCRYPT_OP, (unsigned long)&cmd);
	if (fw_error)
		*fw_error = cmd.error;
	return ret;
}

/*
 * Initialise a VM for SEV (@es false) or SEV-ES: KVM_SEV_INIT2 with a
 * zeroed struct on the SEV VM types, KVM_SEV_INIT / KVM_SEV_ES_INIT on
 * KVM_X86_DEFAULT_VM, as upstream's sev_vm_init() and sev_es_vm_init().
 */
static inline int sev_vm_init(int vm_fd, int sev_fd, unsigned long type,
			      bool es, uint32_t *fw_error)
{
	struct kvm_sev_init init = {};

	if (type == KVM_X86_DEFAULT_VM)
		return sev_ioctl(vm_fd, sev_fd, es ? KVM_SEV_ES_INIT :
				 KVM_SEV_INIT, NULL, fw_error);
	return sev_ioctl(vm_fd, sev_fd, KVM_SEV_INIT2, &init, fw_error);
}

static inline int sev_guest_status(int vm_fd, int sev_fd,
				   struct kvm_sev_guest_status *st,
				   uint32_t *fw_error)
{
	memset(st, 0xff, sizeof(*st));
	return sev_ioctl(vm_fd, sev_fd, KVM_SEV_GUEST_STATUS, st, fw_error);
}

static inline int sev_dbg(int vm_fd, int sev_fd, bool decrypt, void *src,
			  void *dst, uint32_t len, uint32_t *fw_error)
{
	struct kvm_sev_dbg dbg = {
		.src_uaddr = (uint64_t)(uintptr_t)src,
		.dst_uaddr = (uint64_t)(uintptr_t)dst,
		.len = len,
	};

	return sev_ioctl(vm_fd, sev_fd, decrypt ? KVM_SEV_DBG_DECRYPT :
			 KVM_SEV_DBG_ENCRYPT, &dbg, fw_error);
}

/*
 * The guest's side of a VMGEXIT (GHCB specification, AMD 56421): the GHCB
 * MSR and its protocol's codes, as <asm/sev-common.h> has them.
 */
#define MSR_AMD64_SEV_ES_GHCB		0xc0010130
#define GHCB_MSR_INFO_MASK		0xfffULL
#define GHCB_MSR_SEV_INFO_RESP		0x001
#define GHCB_MSR_SEV_INFO_REQ		0x002
#define GHCB_MSR_SEV_INFO(max, min, cbit)	\
	((uint64_t)(max) << 48 | (uint64_t)(min) << 32 | \
	 (uint64_t)(cbit) << 24 | GHCB_MSR_SEV_INFO_RESP)
#define GHCB_MSR_CPUID_REQ		0x004
#define GHCB_MSR_CPUID_RESP		0x005
/* CPUID: the function in bits 63:32, the register in 31:30 */
#define GHCB_CPUID_REQ(fn, reg)		\
	((uint64_t)(fn) << 32 | (uint64_t)(reg) << 30 | GHCB_MSR_CPUID_REQ)
#define GHCB_CPUID_REQ_EAX		0
#define GHCB_CPUID_REQ_EBX		1
#define GHCB_CPUID_REQ_ECX		2
#define GHCB_CPUID_REQ_EDX		3
#define GHCB_MSR_AP_RESET_HOLD_REQ	0x006
#define GHCB_MSR_AP_RESET_HOLD_RESP	0x007
#define GHCB_MSR_PREF_GPA_REQ		0x010
#define GHCB_MSR_PREF_GPA_RESP		0x011
#define GHCB_MSR_PREF_GPA_NONE		0xfffffffffffffULL
#define GHCB_MSR_REG_GPA_REQ		0x012
#define GHCB_MSR_REG_GPA_RESP		0x013
#define GHCB_MSR_PSC_REQ		0x014
#define GHCB_MSR_PSC_RESP		0x015
#define GHCB_MSR_PSC_RESP_ERROR		(BIT_ULL(63) | GHCB_MSR_PSC_RESP)
#define GHCB_MSR_HV_FT_REQ		0x080
#define GHCB_MSR_HV_FT_RESP		0x081
#define GHCB_HV_FT_SNP			BIT_ULL(0)
#define GHCB_HV_FT_SNP_AP_CREATION	BIT_ULL(1)
#define GHCB_MSR_TERM_REQ		0x100
#define GHCB_SEV_TERM_REASON(set, val)	\
	((uint64_t)((set) & 0xf) << 12 | (uint64_t)((val) & 0xff) << 16)

/* The guest's WRMSR of its GHCB MSR: KVM_SET_MSRS's count (1) or -errno */
static inline int ghcb_msr_write(int vcpu_fd, uint64_t val)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {
		.hdr.nmsrs = 1,
		.e = { .index = MSR_AMD64_SEV_ES_GHCB, .data = val },
	};

	return kvm_ioctl(vcpu_fd, KVM_SET_MSRS, (unsigned long)&m);
}

/* The guest's RDMSR of its GHCB MSR: KVM_GET_MSRS's count (1) or -errno */
static inline int ghcb_msr_read(int vcpu_fd, uint64_t *val)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {
		.hdr.nmsrs = 1,
		.e = { .index = MSR_AMD64_SEV_ES_GHCB, .data = ~0ULL },
	};
	int ret;

	ret = kvm_ioctl(vcpu_fd, KVM_GET_MSRS, (unsigned long)&m);
	*val = m.e.data;
	return ret;
}

/*
 * Launch a guest only as far as its vCPU state is protected and it runs:
 * LAUNCH_START, LAUNCH_UPDATE_VMSA, LAUNCH_MEASURE, LAUNCH_FINISH for
 * SEV-ES; SNP_LAUNCH_START and SNP_LAUNCH_FINISH (which measures the
 * VMSAs) for SNP. 0 or the first failing command's -errno, its firmware
 * status in *@fw_error.
 */
static inline int sev_es_launch_running(int vm_fd, int sev_fd, bool snp,
					uint32_t *fw_error)
{
	int ret;

	if (snp) {
		struct kvm_sev_snp_launch_start start = {
			.policy = SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT,
		};
		struct kvm_sev_snp_launch_finish finish = {};

		ret = sev_ioctl(vm_fd, sev_fd, KVM_SEV_SNP_LAUNCH_START, &start,
				fw_error);
		return ret ?: sev_ioctl(vm_fd, sev_fd, KVM_SEV_SNP_LAUNCH_FINISH,
					&finish, fw_error);
	} else {
		struct kvm_sev_launch_start start = { .policy = SEV_POLICY_ES };
		struct kvm_sev_launch_measure measure;
		uint8_t blob[256];

		measure.uaddr = (uint64_t)(uintptr_t)blob;
		measure.len = sizeof(blob);
		ret = sev_ioctl(vm_fd, sev_fd, KVM_SEV_LAUNCH_START, &start,
				fw_error);
		ret = ret ?: sev_ioctl(vm_fd, sev_fd, KVM_SEV_LAUNCH_UPDATE_VMSA,
				       NULL, fw_error);
		ret = ret ?: sev_ioctl(vm_fd, sev_fd, KVM_SEV_LAUNCH_MEASURE,
				       &measure, fw_error);
		return ret ?: sev_ioctl(vm_fd, sev_fd, KVM_SEV_LAUNCH_FINISH,
					NULL, fw_error);
	}
}

/* The vCPU's struct kvm_run, mapped (KVM_GET_VCPU_MMAP_SIZE); NULL if not */
static inline struct kvm_run *vcpu_map_run(int kvm_fd, int vcpu_fd)
{
	int size = kvm_ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	void *p;

	if (size <= 0)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* KVM_RUN: one VMGEXIT. 0 (an exit: run->exit_reason) or -errno */
static inline int vcpu_run(int vcpu_fd)
{
	return kvm_ioctl(vcpu_fd, KVM_RUN, 0);
}

/* Guest memory: the VMM's own, mmap'd, in a memory slot */
struct guest_mem {
	uint8_t *hva;
	size_t size;
	uint64_t gpa;
};

/*
 * @size bytes of anonymous memory with a PROT_NONE guard page after them
 * (so a command that runs past the end faults rather than touching other
 * memory of the test), as memory slot @slot at @gpa. 0 or -errno.
 */
static inline int guest_mem_add(int vm_fd, uint32_t slot, uint64_t gpa,
				size_t size, struct guest_mem *mem)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
	};
	uint8_t *p;
	int ret;

	p = mmap(NULL, size + PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (mprotect(p + size, PAGE_SIZE, PROT_NONE)) {
		ret = -errno;
		munmap(p, size + PAGE_SIZE);
		return ret;
	}
	region.userspace_addr = (uint64_t)(uintptr_t)p;
	ret = kvm_ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION,
			(unsigned long)&region);
	if (ret) {
		munmap(p, size + PAGE_SIZE);
		return ret;
	}
	mem->hva = p;
	mem->size = size;
	mem->gpa = gpa;
	return 0;
}

static inline void guest_mem_free(struct guest_mem *mem)
{
	if (mem->hva)
		munmap(mem->hva, mem->size + PAGE_SIZE);
	mem->hva = NULL;
}

/* KVM_MEMORY_ENCRYPT_REG_REGION of all of @mem */
static inline int sev_register_region(int vm_fd, struct guest_mem *mem)
{
	struct kvm_enc_region r = {
		.addr = (uint64_t)(uintptr_t)mem->hva,
		.size = mem->size,
	};

	return kvm_ioctl(vm_fd, KVM_MEMORY_ENCRYPT_REG_REGION,
			 (unsigned long)&r);
}

/* SNP private memory: KVM_CREATE_GUEST_MEMFD, its slots, the attributes */
static inline int gmem_create(int vm_fd, uint64_t size, uint64_t flags)
{
	struct kvm_create_guest_memfd g = { .size = size, .flags = flags };

	return kvm_ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, (unsigned long)&g);
}

static inline int set_region2(int vm_fd, uint32_t slot, uint32_t flags,
			      uint64_t gpa, uint64_t size, void *hva,
			      int gmem_fd, uint64_t offset)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
		.guest_memfd = gmem_fd,
		.guest_memfd_offset = offset,
	};

	return kvm_ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, (unsigned long)&r);
}

static inline int set_attributes(int vm_fd, uint64_t gpa, uint64_t size,
				 uint64_t attributes, uint64_t flags)
{
	struct kvm_memory_attributes a = {
		.address = gpa,
		.size = size,
		.attributes = attributes,
		.flags = flags,
	};

	return kvm_ioctl(vm_fd, KVM_SET_MEMORY_ATTRIBUTES, (unsigned long)&a);
}

/* A deterministic byte pattern, different for each @seed */
static inline void fill_pattern(uint8_t *p, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = x >> 16;
	}
}

/*
 * One simulated PSP for the whole program (making one takes about half a
 * second under TCG): made fresh before the first test, removing one an
 * earlier program left, and removed when the program ends. The tests run
 * in child processes that end with _exit(), so only the harness's own
 * process removes it. Each fixture checks kvm_sev_sim_status.
 */
static int kvm_sev_sim_status = -ENODEV;

static void __attribute__((constructor)) kvm_sev_sim_create(void)
{
	sim_del(SEV_SIM_ID);
	kvm_sev_sim_status = sim_new(SEV_SIM_ID, 2);
}

static void __attribute__((destructor)) kvm_sev_sim_remove(void)
{
	sim_del(SEV_SIM_ID);
}

/* The simulated firmware's count of SEV guest contexts */
static inline long long sim_sev_guests(void)
{
	return sim_value(SEV_SIM_ID, "guests");
}

/*
 * How many VMs of @type (KVM_X86_SEV_VM: the SEV ASIDs; KVM_X86_SEV_ES_VM:
 * the SEV-ES ones, which SNP guests share) can be initialised now, each
 * with LAUNCH_START as well if @launch (so the firmware, too, accepts
 * every ASID: ACTIVATE refuses one it still has bound). The VMs are
 * closed again. Running out is KVM_SEV_INIT2's -EBUSY; any other error
 * is returned as -errno, the firmware's status in *fw_error.
 */
static inline int sev_count_free_asids(int kvm_fd, int sev_fd,
				       unsigned long type, bool launch,
				       uint32_t *fw_error)
{
	struct kvm_sev_launch_start start;
	int fds[256], n = 0, ret, i;

	*fw_error = 0;
	for (;;) {
		if (n == ARRAY_SIZE(fds)) {
			ret = -E2BIG;
			break;
		}
		fds[n] = kvm_create_vm(kvm_fd, type);
		if (fds[n] < 0) {
			ret = fds[n];
			break;
		}
		ret = sev_vm_init(fds[n], sev_fd, type,
				  type != KVM_X86_SEV_VM, fw_error);
		if (!ret && launch) {
			memset(&start, 0, sizeof(start));
			if (type != KVM_X86_SEV_VM)
				start.policy = SEV_POLICY_ES;
			ret = sev_ioctl(fds[n], sev_fd, KVM_SEV_LAUNCH_START,
					&start, fw_error);
		}
		if (ret) {
			close(fds[n]);
			break;
		}
		n++;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	return ret == -EBUSY ? n : ret;
}

/*
 * The start of a fixture (with kselftest_harness.h's ASSERTs: include it
 * first): the program's simulated PSP is there with no guest context an
 * earlier test left, /dev/sev and /dev/kvm-sev are open. Returns
 * KVM_CAP_VM_TYPES.
 */
#ifdef ASSERT_EQ
static inline int kvm_sev_fixture_open(struct __test_metadata *_metadata,
				       int *kvm_fd, int *sev_fd)
{
	int types;

	ASSERT_EQ(0, kvm_sev_sim_status)
		TH_LOG("cannot create sevsim0: %d", kvm_sev_sim_status);
	ASSERT_EQ(0, sim_sev_guests()) TH_LOG("contexts left by an earlier test");
	*sev_fd = sev_dev_open();
	ASSERT_LE(0, *sev_fd) TH_LOG("open /dev/sev: %d", *sev_fd);
	*kvm_fd = kvm_sev_open();
	ASSERT_LE(0, *kvm_fd) TH_LOG("open %s: %d", KVM_SEV_DEV_PATH, *kvm_fd);
	types = kvm_check_extension(*kvm_fd, KVM_CAP_VM_TYPES);
	ASSERT_LE(0, types);
	return types;
}
#endif

#endif /* KVM_SEV_UTIL_H */
