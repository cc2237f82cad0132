/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated SVM host: /dev/kvm-sev and the VM and vCPU files behind
 * it, with upstream KVM's ioctls. The only code of kvm-sev that knows it
 * is a simulation; the SEV code (sev*.c) sees it through kvm.h.
 */
#ifndef KVM_SEV_HOST_H
#define KVM_SEV_HOST_H

#include <linux/fs.h>
#include <linux/xarray.h>
#include <linux/kvm-sev.h>
#include <asm/fpu/types.h>

#include "kvm.h"

#define KVM_API_VERSION_SEV	12	/* KVM_GET_API_VERSION, as KVM */
#define KVM_SEV_USER_MEM_SLOTS	32
#define KVM_MAX_CPUID_ENTRIES	256	/* KVM_SET_CPUID2, as KVM */
#define MAX_IO_MSRS		256	/* KVM_GET/SET_MSRS, as KVM */

struct kvm_gmem;

struct kvm_memslot {
	u64 base_gfn;
	u64 npages;		/* 0: unused */
	unsigned long userspace_addr;
	u32 flags;
	/* KVM_MEM_GUEST_MEMFD: private pages from here (NULL once closed) */
	struct kvm_gmem *gmem;
	pgoff_t gmem_pgoff;
};

/* A VM of the host: the SEV code's struct kvm, and the host's own part */
struct kvm_host_vm {
	struct kvm kvm;
	struct kvm_memslot memslots[KVM_SEV_USER_MEM_SLOTS]; /* slots_lock */
	struct xarray mem_attr;	/* gfn: KVM_MEMORY_ATTRIBUTE_*; slots_lock */
	struct dentry *debugfs_dentry;	/* host-debugfs.c */
};

/* A vCPU's x87/SSE/AVX state: the legacy area, and AVX's upper halves */
struct kvm_host_fpu {
	struct fxregs_state fx;
	u8 ymm[256];
	u64 xfeatures;		/* the XSTATE_BV KVM_SET_XSAVE gave */
};

/* A vCPU: the SEV code's struct kvm_vcpu, and the registers it runs with */
struct kvm_host_vcpu {
	struct kvm_vcpu vcpu;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_host_fpu fpu;
	u64 xcr0;
	struct kvm_cpuid_entry2 *cpuid_entries;	/* KVM_SET_CPUID2's */
	int cpuid_nent;
	bool has_run;			/* KVM_RUN was entered */
};

static inline struct kvm_host_vm *to_host_vm(struct kvm *kvm)
{
	return container_of(kvm, struct kvm_host_vm, kvm);
}

static inline struct kvm_host_vcpu *to_host_vcpu(struct kvm_vcpu *vcpu)
{
	return container_of(vcpu, struct kvm_host_vcpu, vcpu);
}

/* host-kvm.c */
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu);
void kvm_get_kvm(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);

/* host-vcpu-regs.c */
void kvm_vcpu_reset_regs(struct kvm_host_vcpu *hv);
int kvm_vcpu_set_regs(struct kvm_host_vcpu *hv, const struct kvm_regs *regs);
int kvm_vcpu_set_sregs(struct kvm_host_vcpu *hv, const struct kvm_sregs *s);
int kvm_vcpu_set_xsave(struct kvm_host_vcpu *hv, const struct kvm_xsave *x);
void kvm_host_sync_vmsa(struct kvm_vcpu *vcpu, struct sev_es_save_area *save);
int kvm_vcpu_set_cpuid2(struct kvm_host_vcpu *hv,
			struct kvm_cpuid2 __user *argp);
int kvm_vcpu_get_cpuid2(struct kvm_host_vcpu *hv,
			struct kvm_cpuid2 __user *argp);
void kvm_host_cpuid(struct kvm_vcpu *vcpu, u32 function, u32 index,
		    u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);

/* host-vcpu.c */
int kvm_vm_ioctl_create_vcpu(struct kvm *kvm, unsigned long id);

/* host-mem.c */
bool kvm_arch_has_private_mem(struct kvm *kvm);
struct kvm_memslot *kvm_gfn_to_memslot(struct kvm *kvm, u64 gfn);
bool kvm_gfn_is_private(struct kvm *kvm, u64 gfn);
u64 kvm_supported_mem_attributes(struct kvm *kvm);
int kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm,
				    const struct kvm_memory_attributes *attrs);
int kvm_read_guest(struct kvm *kvm, u64 gpa, void *data, unsigned long len);
int kvm_write_guest(struct kvm *kvm, u64 gpa, const void *data,
		    unsigned long len);

/* host-gmem.c */
int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args);
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memslot *slot, unsigned int fd,
		  u64 offset);
bool kvm_gfn_has_gmem(struct kvm *kvm, u64 gfn);
int kvm_gmem_convert(struct kvm *kvm, u64 gfn, unsigned long npages,
		     bool private);
long kvm_gmem_populate(struct kvm *kvm, u64 gfn, unsigned long npages,
		       int (*fn)(struct kvm *kvm, u64 gfn, u64 pfn,
				 void *opaque),
		       void *opaque);
int kvm_gmem_read_private(struct kvm *kvm, u64 gfn, void *dst);

/* host-debugfs.c */
void kvm_vm_debugfs_create(struct kvm *kvm, int fd);
void kvm_vm_debugfs_remove(struct kvm *kvm);
void kvm_sev_debugfs_init(void);
void kvm_sev_debugfs_exit(void);

/* host-vm.c */
extern const struct file_operations kvm_vm_fops;
extern const struct kvm_sev_host_ops kvm_sev_host_ops;
int kvm_dev_ioctl_create_vm(unsigned long type);
int kvm_vm_check_extension(struct kvm *kvm, long ext);

#endif /* KVM_SEV_HOST_H */
