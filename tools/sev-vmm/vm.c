// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's side of /dev/kvm-sev (upstream KVM's ioctl ABI) and /dev/sev:
 * a VM of the guest's type initialised with KVM_SEV_INIT2, its memory as
 * QEMU lays it out for OVMF, its vCPUs with their registers, and the
 * KVM_MEMORY_ENCRYPT_OP commands with the firmware's status named.
 *
 * Memory: RAM from GPA 0, and the OVMF image ending at 4 GiB. For SEV and
 * SEV-ES both are the VMM's memory (the flash read-only, as QEMU maps a
 * ROM) and registered as encrypted regions; for SNP both are private
 * memory, a guest_memfd each behind the VMM's shared mapping, as QEMU
 * does with confidential-guest-support on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/psp-sev.h>

#include "sev-vmm.h"

static const char * const fw_errors[] = {
	[SEV_RET_SUCCESS] = "SUCCESS",
	[SEV_RET_INVALID_PLATFORM_STATE] = "INVALID_PLATFORM_STATE",
	[SEV_RET_INVALID_GUEST_STATE] = "INVALID_GUEST_STATE",
	[SEV_RET_INVALID_CONFIG] = "INVALID_CONFIG",
	[SEV_RET_INVALID_LEN] = "INVALID_LENGTH",
	[SEV_RET_ALREADY_OWNED] = "ALREADY_OWNED",
	[SEV_RET_INVALID_CERTIFICATE] = "INVALID_CERTIFICATE",
	[SEV_RET_POLICY_FAILURE] = "POLICY_FAILURE",
	[SEV_RET_INACTIVE] = "INACTIVE",
	[SEV_RET_INVALID_ADDRESS] = "INVALID_ADDRESS",
	[SEV_RET_BAD_SIGNATURE] = "BAD_SIGNATURE",
	[SEV_RET_BAD_MEASUREMENT] = "BAD_MEASUREMENT",
	[SEV_RET_ASID_OWNED] = "ASID_OWNED",
	[SEV_RET_INVALID_ASID] = "INVALID_ASID",
	[SEV_RET_WBINVD_REQUIRED] = "WBINVD_REQUIRED",
	[SEV_RET_DFFLUSH_REQUIRED] = "DF_FLUSH_REQUIRED",
	[SEV_RET_INVALID_GUEST] = "INVALID_GUEST",
	[SEV_RET_INVALID_COMMAND] = "INVALID_COMMAND",
	[SEV_RET_ACTIVE] = "ACTIVE",
	[SEV_RET_HWSEV_RET_PLATFORM] = "HWERROR_PLATFORM",
	[SEV_RET_HWSEV_RET_UNSAFE] = "HWERROR_UNSAFE",
	[SEV_RET_UNSUPPORTED] = "UNSUPPORTED",
	[SEV_RET_INVALID_PARAM] = "INVALID_PARAM",
	[SEV_RET_RESOURCE_LIMIT] = "RESOURCE_LIMIT",
	[SEV_RET_SECURE_DATA_INVALID] = "SECURE_DATA_INVALID",
	[SEV_RET_INVALID_PAGE_SIZE] = "INVALID_PAGE_SIZE",
	[SEV_RET_INVALID_PAGE_STATE] = "INVALID_PAGE_STATE",
	[SEV_RET_INVALID_MDATA_ENTRY] = "INVALID_MDATA_ENTRY",
	[SEV_RET_INVALID_PAGE_OWNER] = "INVALID_PAGE_OWNER",
	[SEV_RET_AEAD_OFLOW] = "AEAD_OFLOW",
	[SEV_RET_RMP_INIT_REQUIRED] = "RMP_INIT_REQUIRED",
	[SEV_RET_BAD_SVN] = "BAD_SVN",
	[SEV_RET_BAD_VERSION] = "BAD_VERSION",
	[SEV_RET_INVALID_KEY] = "INVALID_KEY",
};

const char *fw_error_name(u32 error)
{
	if (error < ARRAY_SIZE(fw_errors) && fw_errors[error])
		return fw_errors[error];
	return "unknown";
}

int sev_cmd(struct vm *vm, u32 id, void *data, u32 *fw_error)
{
	struct kvm_sev_cmd cmd = {
		.id = id,
		.data = (u64)(uintptr_t)data,
		.sev_fd = vm->sev_fd,
	};
	int r = ioctl(vm->vm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd);

	*fw_error = cmd.error;
	return r ? -errno : 0;
}

void sev_cmd_or_die(struct vm *vm, const char *what, u32 id, void *data)
{
	u32 fw_error;
	int r = sev_cmd(vm, id, data, &fw_error);

	if (r)
		vmm_err("%s: KVM_MEMORY_ENCRYPT_OP: %s (errno %d), firmware status %#x (%s)",
			what, strerror(-r), -r, fw_error, fw_error_name(fw_error));
	if (verbose)
		vmm_info("  %s: ok\n", what);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int r = ioctl(fd, req, arg);

	if (r < 0)
		vmm_err("%s: %s", what, strerror(errno));
	return r;
}

static void vm_check_type(struct vm *vm, enum guest_type type,
			  u64 vmsa_features)
{
	static const char * const names[] = { "SEV", "SEV-ES", "SEV-SNP" };
	static const u32 vm_types[] = { KVM_X86_SEV_VM, KVM_X86_SEV_ES_VM,
					KVM_X86_SNP_VM };
	struct kvm_device_attr attr = {
		.group = KVM_X86_GRP_SEV,
		.attr = KVM_X86_SEV_VMSA_FEATURES,
	};
	u64 supported = 0;
	int types;

	types = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	if (types < 0 || !(types & BIT(vm_types[type])))
		vmm_err("this host has no %s VMs (KVM_CAP_VM_TYPES %#x): is a simulated PSP there (echo 0 > /sys/bus/sev-psp-sim/new_device)?",
			names[type], types < 0 ? 0 : types);
	attr.addr = (u64)(uintptr_t)&supported;
	if (vmsa_features &&
	    (ioctl(vm->kvm_fd, KVM_GET_DEVICE_ATTR, &attr) ||
	     (vmsa_features & ~supported)))
		opt_err("--vmsa-features",
			"%#llx: this KVM supports %#llx (KVM_X86_SEV_VMSA_FEATURES)",
			(unsigned long long)vmsa_features,
			(unsigned long long)supported);
}

void vm_create(struct vm *vm, const char *kvm_path, const char *sev_path,
	       enum guest_type type, u64 vmsa_features)
{
	static const u32 vm_types[] = { KVM_X86_SEV_VM, KVM_X86_SEV_ES_VM,
					KVM_X86_SNP_VM };
	struct kvm_sev_init init = { .vmsa_features = vmsa_features };

	memset(vm, 0, sizeof(*vm));
	vm->gmem_ram = -1;
	vm->gmem_flash = -1;
	vm->kvm_fd = open(kvm_path, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		opt_err("--kvm-dev", "%s: %s (is kvm-sev.ko loaded?)", kvm_path,
			strerror(errno));
	vm->sev_fd = open(sev_path, O_RDWR | O_CLOEXEC);
	if (vm->sev_fd < 0)
		opt_err("--sev-dev", "%s: %s", sev_path, strerror(errno));
	vm_check_type(vm, type, vmsa_features);

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, vm_types[type]);
	if (vm->vm_fd < 0)
		vmm_err("KVM_CREATE_VM(%u): %s", vm_types[type], strerror(errno));
	/* QEMU's sev_common_kvm_init(): INIT2 before anything else */
	sev_cmd_or_die(vm, "KVM_SEV_INIT2", KVM_SEV_INIT2, &init);
}

static void *map_anon(u64 size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		vmm_err("mmap of %llu bytes: %s", (unsigned long long)size,
			strerror(errno));
	return p;
}

static int gmem_create(struct vm *vm, u64 size)
{
	struct kvm_create_guest_memfd g = { .size = size };
	int fd = ioctl(vm->vm_fd, KVM_CREATE_GUEST_MEMFD, &g);

	if (fd < 0)
		vmm_err("KVM_CREATE_GUEST_MEMFD(%llu bytes): %s",
			(unsigned long long)size, strerror(errno));
	return fd;
}

static void set_region(struct vm *vm, u32 slot, u32 flags, u64 gpa,
		       u64 size, void *hva, int gmem)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (u64)(uintptr_t)hva,
		.guest_memfd = gmem < 0 ? 0 : gmem,
	};
	char what[64];

	snprintf(what, sizeof(what), "KVM_SET_USER_MEMORY_REGION2 (slot %u)",
		 slot);
	xioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION2, &r, what);
}

static void reg_region(struct vm *vm, void *hva, u64 size)
{
	struct kvm_enc_region r = { .addr = (u64)(uintptr_t)hva, .size = size };

	xioctl(vm->vm_fd, KVM_MEMORY_ENCRYPT_REG_REGION, &r,
	       "KVM_MEMORY_ENCRYPT_REG_REGION");
}

void vm_add_memory(struct vm *vm, enum guest_type type, const struct ovmf *o,
		   u64 ram_size)
{
	vm->ram_size = ram_size;
	vm->ram = map_anon(ram_size);
	vm->flash_size = o->size;
	vm->flash_gpa = o->gpa;
	vm->flash = map_anon(o->size);
	memcpy(vm->flash, o->data, o->size);

	if (type == GUEST_SNP) {
		vm->gmem_ram = gmem_create(vm, ram_size);
		vm->gmem_flash = gmem_create(vm, o->size);
		set_region(vm, 0, KVM_MEM_GUEST_MEMFD, 0, ram_size, vm->ram,
			   vm->gmem_ram);
		set_region(vm, 1, KVM_MEM_GUEST_MEMFD, o->gpa, o->size,
			   vm->flash, vm->gmem_flash);
		return;
	}
	set_region(vm, 0, 0, 0, ram_size, vm->ram, -1);
	set_region(vm, 1, KVM_MEM_READONLY, o->gpa, o->size, vm->flash, -1);
	/* QEMU's sev_ram_block_added(): every RAM block, the ROM too */
	reg_region(vm, vm->ram, ram_size);
	reg_region(vm, vm->flash, o->size);
}

void vm_add_vcpu(struct vm *vm, const struct vcpu_state *st)
{
	struct kvm_xsave *xsave;
	char what[64];
	int fd;

	if (vm->nr_vcpus >= VMM_MAX_VCPUS)
		vmm_err("too many vCPUs");
	fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, vm->nr_vcpus);
	if (fd < 0)
		vmm_err("KVM_CREATE_VCPU(%u): %s", vm->nr_vcpus, strerror(errno));
	vm->vcpu_fd[vm->nr_vcpus] = fd;

	snprintf(what, sizeof(what), "vCPU %u: KVM_SET_SREGS", vm->nr_vcpus);
	xioctl(fd, KVM_SET_SREGS, (void *)&st->sregs, what);
	snprintf(what, sizeof(what), "vCPU %u: KVM_SET_REGS", vm->nr_vcpus);
	xioctl(fd, KVM_SET_REGS, (void *)&st->regs, what);

	/*
	 * The legacy area (FCW at byte 0, MXCSR at byte 24) and the XSAVE
	 * header's XSTATE_BV at byte 512 naming x87 and SSE: KVM takes
	 * only the components XSTATE_BV names.
	 */
	xsave = calloc(1, sizeof(*xsave));
	if (!xsave)
		vmm_err("out of memory");
	xsave->region[0] = st->fcw;
	xsave->region[6] = st->mxcsr;
	xsave->region[128] = XSAVE_XSTATE_FP_SSE;
	snprintf(what, sizeof(what), "vCPU %u: KVM_SET_XSAVE", vm->nr_vcpus);
	xioctl(fd, KVM_SET_XSAVE, xsave, what);
	free(xsave);
	vm->nr_vcpus++;
}

void vm_platform_status(struct vm *vm, u8 *api_major, u8 *api_minor,
			u8 *build)
{
	struct sev_user_data_status st = {};
	struct sev_issue_cmd cmd = {
		.cmd = SEV_PLATFORM_STATUS,
		.data = (u64)(uintptr_t)&st,
	};

	if (ioctl(vm->sev_fd, SEV_ISSUE_CMD, &cmd))
		vmm_err("/dev/sev PLATFORM_STATUS: %s, firmware status %#x (%s)",
			strerror(errno), cmd.error, fw_error_name(cmd.error));
	*api_major = st.api_major;
	*api_minor = st.api_minor;
	*build = st.build;
}

/* The platform's PDH certificate, for the guest owner's ECDH */
u8 *vm_pdh_cert(struct vm *vm, size_t *len)
{
	struct sev_user_data_pdh_cert_export ex = {};
	struct sev_issue_cmd cmd = {
		.cmd = SEV_PDH_CERT_EXPORT,
		.data = (u64)(uintptr_t)&ex,
	};
	u8 *pdh, *chain;

	/* lengths first: the call with no buffers fails INVALID_LEN */
	ioctl(vm->sev_fd, SEV_ISSUE_CMD, &cmd);
	if (!ex.pdh_cert_len || !ex.cert_chain_len)
		vmm_err("/dev/sev PDH_CERT_EXPORT gave no lengths: %s, firmware status %#x (%s)",
			strerror(errno), cmd.error, fw_error_name(cmd.error));
	pdh = calloc(1, ex.pdh_cert_len);
	chain = calloc(1, ex.cert_chain_len);
	if (!pdh || !chain)
		vmm_err("out of memory");
	ex.pdh_cert_address = (u64)(uintptr_t)pdh;
	ex.cert_chain_address = (u64)(uintptr_t)chain;
	if (ioctl(vm->sev_fd, SEV_ISSUE_CMD, &cmd))
		vmm_err("/dev/sev PDH_CERT_EXPORT: %s, firmware status %#x (%s)",
			strerror(errno), cmd.error, fw_error_name(cmd.error));
	free(chain);
	*len = ex.pdh_cert_len;
	return pdh;
}

void vm_destroy(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		close(vm->vcpu_fd[i]);
	if (vm->gmem_ram >= 0)
		close(vm->gmem_ram);
	if (vm->gmem_flash >= 0)
		close(vm->gmem_flash);
	close(vm->vm_fd);
	close(vm->sev_fd);
	close(vm->kvm_fd);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->flash)
		munmap(vm->flash, vm->flash_size);
}
