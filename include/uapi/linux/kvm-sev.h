/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/kvm-sev speaks upstream KVM's ioctl ABI: the numbers and layouts of
 * <linux/kvm.h> and <asm/kvm.h>. This header adds what a kernel's (or the C
 * library's) copy of those lacks, so that a VMM or a test built on Debian 12
 * (6.1 headers) sees what 6.12 and later define. Every group is guarded by
 * the first name it adds: with newer headers it defines nothing, and
 * scripts/check-kvm-uapi.py checks that every number and struct layout here
 * equals 6.12's; the few names upstream added after 6.12 are listed in
 * that script, each with where its value comes from.
 *
 * The device: /dev/kvm-sev, in place of /dev/kvm.
 */
#ifndef _UAPI_LINUX_KVM_SEV_H
#define _UAPI_LINUX_KVM_SEV_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/kvm.h>
#include <linux/kvm_para.h>

#define KVM_SEV_DEV_PATH	"/dev/kvm-sev"

/* 6.8: guest_memfd, memory attributes, VM types */
#ifndef KVM_CREATE_GUEST_MEMFD
struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};

#define KVM_MEM_GUEST_MEMFD		(1UL << 2)
#define KVM_SET_USER_MEMORY_REGION2	_IOW(KVMIO, 0x49, \
					     struct kvm_userspace_memory_region2)

#define KVM_CAP_USER_MEMORY2		231
#define KVM_CAP_MEMORY_ATTRIBUTES	233
#define KVM_CAP_GUEST_MEMFD		234
#define KVM_CAP_VM_TYPES		235

struct kvm_memory_attributes {
	__u64 address;
	__u64 size;
	__u64 attributes;
	__u64 flags;
};

#define KVM_SET_MEMORY_ATTRIBUTES	_IOW(KVMIO, 0xd2, \
					     struct kvm_memory_attributes)
#define KVM_MEMORY_ATTRIBUTE_PRIVATE	(1ULL << 3)

struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};

#define KVM_CREATE_GUEST_MEMFD		_IOWR(KVMIO, 0xd4, \
					      struct kvm_create_guest_memfd)
#endif /* KVM_CREATE_GUEST_MEMFD */

/* 6.10: VM types for SEV, KVM_SEV_INIT2, the SEV device attributes */
#ifndef KVM_X86_SEV_VM
#define KVM_X86_DEFAULT_VM		0
#define KVM_X86_SW_PROTECTED_VM		1
#define KVM_X86_SEV_VM			2
#define KVM_X86_SEV_ES_VM		3

#define KVM_X86_GRP_SYSTEM		0
#define KVM_X86_XCOMP_GUEST_SUPP	0
#define KVM_X86_GRP_SEV			1
#define KVM_X86_SEV_VMSA_FEATURES	0

/* enum sev_cmd_id goes on past KVM_SEV_SEND_CANCEL (21) */
#define KVM_SEV_INIT2			22

struct kvm_sev_init {
	__u64 vmsa_features;
	__u32 flags;
	__u16 ghcb_version;
	__u16 pad1;
	__u32 pad2[8];
};
#endif /* KVM_X86_SEV_VM */

/* 6.11: SEV-SNP guests */
#ifndef KVM_X86_SNP_VM
#define KVM_X86_SNP_VM			4

#define KVM_SEV_SNP_LAUNCH_START	100
#define KVM_SEV_SNP_LAUNCH_UPDATE	101
#define KVM_SEV_SNP_LAUNCH_FINISH	102

struct kvm_sev_snp_launch_start {
	__u64 policy;
	__u8 gosvw[16];
	__u16 flags;
	__u8 pad0[6];
	__u64 pad1[4];
};

#define KVM_SEV_SNP_PAGE_TYPE_NORMAL		0x1
#define KVM_SEV_SNP_PAGE_TYPE_ZERO		0x3
#define KVM_SEV_SNP_PAGE_TYPE_UNMEASURED	0x4
#define KVM_SEV_SNP_PAGE_TYPE_SECRETS		0x5
#define KVM_SEV_SNP_PAGE_TYPE_CPUID		0x6

struct kvm_sev_snp_launch_update {
	__u64 gfn_start;
	__u64 uaddr;
	__u64 len;
	__u8 type;
	__u8 pad0;
	__u16 flags;
	__u32 pad1;
	__u64 pad2[4];
};

#define KVM_SEV_SNP_ID_BLOCK_SIZE	96
#define KVM_SEV_SNP_ID_AUTH_SIZE	4096
#define KVM_SEV_SNP_FINISH_DATA_SIZE	32

struct kvm_sev_snp_launch_finish {
	__u64 id_block_uaddr;
	__u64 id_auth_uaddr;
	__u8 id_block_en;
	__u8 auth_key_en;
	__u8 vcek_disabled;
	__u8 host_data[KVM_SEV_SNP_FINISH_DATA_SIZE];
	__u8 pad0[3];
	__u16 flags;
	__u64 pad1[4];
};
#endif /* KVM_X86_SNP_VM */

/* After 6.12: the SNP policy bits KVM accepts, as a device attribute */
#ifndef KVM_X86_SNP_POLICY_BITS
#define KVM_X86_SNP_POLICY_BITS		1
#endif

/*
 * Newer still (the SNP certificate-request series): the VMM supplies an
 * extended guest request's certificates through an exit. struct kvm_run of
 * older headers has no member for it: the exit's data is at
 * offsetof(struct kvm_run, hypercall), see kvm_run_snp_req_certs().
 */
#ifndef KVM_EXIT_SNP_REQ_CERTS
#define KVM_SEV_SNP_ENABLE_REQ_CERTS	103
#define KVM_X86_SEV_SNP_REQ_CERTS	2
#define KVM_EXIT_SNP_REQ_CERTS		43

struct kvm_exit_snp_req_certs {
	__u64 gpa;
	__u64 npages;
	__u64 ret;
};

#define kvm_run_snp_req_certs(run) \
	((struct kvm_exit_snp_req_certs *)&(run)->hypercall)
#endif /* KVM_EXIT_SNP_REQ_CERTS */

/* The KVM_EXIT_HYPERCALL flags of x86 (6.10) */
#ifndef KVM_EXIT_HYPERCALL_LONG_MODE
#define KVM_EXIT_HYPERCALL_LONG_MODE	(1ULL << 0)
#endif

#endif /* _UAPI_LINUX_KVM_SEV_H */
