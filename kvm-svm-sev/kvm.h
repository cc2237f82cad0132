/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The objects of the simulated SVM host as the SEV code sees them: a VM
 * (struct kvm) and its vCPUs, named and shaped after KVM's so that the SEV
 * code reads like arch/x86/kvm/svm/sev.c. The SEV code uses these fields
 * and reaches everything else of the host through struct kvm_sev_host_ops.
 *
 * Lock order (outermost first):
 *   kvm->lock (a second VM's nested: see sev_lock_two_vms())
 *   vcpu->mutex (all of one VM, then all of the other)
 *   kvm->sev_info.guest_req_mutex (sev-guest-req.c: one SNP guest
 *     request of the VM at a time, taken by a vCPU's KVM_RUN)
 *   sev_mirror_lock (sev-migrate.c: owner and mirror links)
 *   kvm->slots_lock
 *   the ASID pool's lock, then sev_deactivate_lock (a flush, sev-asid.c)
 *   the PSP driver's command lock (inside every firmware call)
 */
#ifndef KVM_SEV_KVM_H
#define KVM_SEV_KVM_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/types.h>
#include <linux/kvm-sev.h>

#define KVM_SEV_MAX_VCPUS	64
#ifndef INVALID_PAGE
#define INVALID_PAGE		(~(u64)0)	/* no page, as KVM's */
#endif
/* The PIO data page's offset in a vCPU's mmap, in pages (x86 KVM's) */
#ifndef KVM_PIO_PAGE_OFFSET
#define KVM_PIO_PAGE_OFFSET	1
#endif

struct ghcb;
struct kvm;
struct kvm_vcpu;
struct mm_struct;
struct sev_es_save_area;

/* The per-VM SEV state; kvm->lock protects it. */
struct kvm_sev_info {
	bool active;		/* SEV (or SEV-ES, SNP) enabled */
	bool es_active;		/* SEV-ES (or SNP) enabled */
	bool need_init;		/* a VM type that still needs KVM_SEV_INIT2 */
	unsigned int asid;
	unsigned int handle;	/* firmware guest handle */
	/*
	 * sev_psp_epoch() when the firmware took the context (the handle or
	 * SNP context page): another epoch is another firmware, which must
	 * not be sent this context's commands (sev_context_stale()).
	 */
	u64 psp_epoch;
	int fd;			/* the /dev/sev fd of LAUNCH_START */
	unsigned long pages_locked; /* pinned for regions, vs RLIMIT_MEMLOCK */
	struct list_head regions_list;
	u64 vmsa_features;
	u64 ap_jump_table;	/* SVM_VMGEXIT_AP_JUMP_TABLE; READ/WRITE_ONCE */
	u16 ghcb_version;
	u32 policy;
	void *snp_context;		/* SNP: the guest context page */
	/*
	 * SNP guest requests (sev-guest-req.c), from SNP_LAUNCH_START on:
	 * the request's host copy (never freed once a request did not
	 * complete: guest_req_abandoned) and the firmware-owned response
	 * page, the rate limit, whether the VMM gives the certificates
	 * (KVM_SEV_SNP_ENABLE_REQ_CERTS). The pages are guest_req_mutex's.
	 */
	struct mutex guest_req_mutex;
	void *guest_req_buf;
	void *guest_resp_buf;
	bool guest_req_abandoned;
	struct ratelimit_state guest_req_rs;
	bool snp_certs_enabled;
	struct kvm *enc_context_owner;	/* the owner of a mirror */
	struct list_head mirror_vms;	/* an owner's mirrors */
	struct list_head mirror_entry;	/* in the owner's mirror_vms */
	atomic_t migration_in_progress;
};

struct kvm {
	struct mutex lock;		/* the VM's state, its SEV state */
	struct mutex slots_lock;	/* the memory slots */
	struct kref users;
	struct mm_struct *mm;		/* the creator's: guest memory is there */
	unsigned long vm_type;		/* KVM_X86_*_VM */
	int created_vcpus;		/* under lock */
	atomic_t online_vcpus;
	struct kvm_vcpu *vcpus[KVM_SEV_MAX_VCPUS];
	bool vm_dead;			/* every ioctl -EIO from now on */
	u64 exit_hypercalls;		/* KVM_CAP_EXIT_HYPERCALL */
	struct kvm_sev_info sev_info;
};

/*
 * A vCPU's SEV-ES state that KVM keeps outside the VMSA (a part of
 * upstream's struct vcpu_sev_es_state): the GHCB MSR, which hardware keeps
 * in the VMCB and this host's guest writes with KVM_SET_MSRS, and an SNP
 * guest's registered GHCB; the vCPU's mutex protects it.
 */
struct vcpu_sev_es_state {
	u64 ghcb_msr;			/* MSR_AMD64_SEV_ES_GHCB */
	u64 ghcb_registered_gpa;	/* SNP: GHCB_MSR_REG_GPA_REQ */
	/*
	 * The VMGEXIT through a GHCB page being handled (sev-ghcb.c): the
	 * page as the guest left it, read once, so every check and every
	 * use is of the same bytes; the answer is built in it and written
	 * back when the guest is entered again. NULL between VMGEXITs.
	 */
	struct ghcb *ghcb;
	struct ghcb *ghcb_buf;		/* the copy's memory, kept */
	u64 ghcb_gpa;
	u8 valid_bitmap[16];		/* the guest's, of the copy */
	u64 sw_scratch;
	void *ghcb_sa;			/* the scratch area, in ghcb or own */
	u32 ghcb_sa_len;
	bool ghcb_sa_sync;		/* back to the guest at entry */
	bool ghcb_sa_free;		/* its own buffer, outside the GHCB */
	/* an MMIO or string I/O exit the VMM finishes in pieces */
	u64 io_gpa;			/* MMIO address */
	u32 io_port;
	u32 io_size;			/* bytes of one access */
	u32 io_len;			/* bytes in all */
	u32 io_done;
	u32 io_chunk;			/* bytes of the exit the VMM has */
	bool io_in;			/* a read: the VMM's data to the guest */
	/* a page state change descriptor's entries with the VMM */
	u16 psc_idx;			/* the first */
	u16 psc_inflight;		/* how many */
	/* the range of the page state change exit the VMM has */
	u64 psc_gpa;
	u64 psc_npages;
	bool psc_private;
	bool psc_huge;			/* of 2 MiB pages */
	u64 dr7;			/* DR7, as the guest wrote it */
	/* an extended guest request waiting for the VMM's certificates */
	u64 snp_req_gpa;
	u64 snp_resp_gpa;
	/* SNP AP creation (sev-ap.c), under the vCPU's snp_vmsa_mutex */
	u64 snp_vmsa_gpa;		/* requested VMSA, or INVALID_PAGE */
	bool snp_ap_update;		/* a request to take up at KVM_RUN */
	bool snp_ap_halted;		/* destroyed, or no usable VMSA */
	u64 snp_guest_vmsa_gpa;		/* the VMSA it runs from, if the guest's */
};

struct kvm_vcpu {
	struct kvm *kvm;
	struct mutex mutex;		/* held by each vCPU ioctl */
	int vcpu_id;
	int vcpu_idx;
	struct kvm_run *run;
	void *pio_data;			/* I/O data the VMM sees, mmap page 1 */
	bool guest_state_protected;	/* its VMSA is encrypted */
	bool vmsa_leaked;		/* SNP: the firmware kept it */
	struct sev_es_save_area *vmsa;	/* SEV-ES: the VMSA page */
	struct vcpu_sev_es_state sev_es;
	struct mutex snp_vmsa_mutex;	/* sev_es.snp_*: another vCPU's AP request */
	/*
	 * What finishes an exit the VMM has answered, at its next KVM_RUN
	 * (KVM's vcpu->arch.complete_userspace_io): 1, or 0 / -errno as
	 * the exit handlers return.
	 */
	int (*complete_userspace_io)(struct kvm_vcpu *vcpu);
};

/*
 * The vCPU of index @i, NULL past the online ones: walk a VM's vCPUs as
 * for (i = 0; (vcpu = kvm_get_vcpu(kvm, i)); i++).
 */
static inline struct kvm_vcpu *kvm_get_vcpu(const struct kvm *kvm,
					    unsigned long i)
{
	return i < atomic_read(&kvm->online_vcpus) ? kvm->vcpus[i] : NULL;
}

/*
 * What the SEV code needs of the host. One instance, the simulated host's
 * (host-vm.c); on a real SVM host these are KVM's own functions.
 */
struct kvm_sev_host_ops {
	/* A reference on a VM, as kvm_get_kvm() / kvm_put_kvm() */
	void (*get_vm)(struct kvm *kvm);
	void (*put_vm)(struct kvm *kvm);
	/* The vCPU's register state into its VMSA save area, for LAUNCH */
	void (*sync_vmsa)(struct kvm_vcpu *vcpu, struct sev_es_save_area *save);
	/* SNP: is @gfn in a slot bound to a guest_memfd? */
	bool (*gfn_has_gmem)(struct kvm *kvm, u64 gfn);
	/*
	 * SNP: hand each private guest_memfd page of @npages from @gfn to
	 * @fn, as KVM's kvm_gmem_populate(); the number of pages done, or
	 * the error when it was on the first.
	 */
	long (*gmem_populate)(struct kvm *kvm, u64 gfn, unsigned long npages,
			      int (*fn)(struct kvm *kvm, u64 gfn, u64 pfn,
					void *opaque),
			      void *opaque);
	/*
	 * CPUID leaf @function, subleaf @index, as the vCPU sees it (KVM's
	 * kvm_cpuid()): the table the VMM gave with KVM_SET_CPUID2; a leaf
	 * it lacks reads as zeros.
	 */
	void (*cpuid)(struct kvm_vcpu *vcpu, u32 function, u32 index,
		      u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);
	/*
	 * Guest memory through the VMM's mapping (KVM's kvm_read_guest()
	 * and kvm_write_guest()), from the VMM's ioctls only: 0 or -EFAULT.
	 */
	int (*read_guest)(struct kvm *kvm, u64 gpa, void *data,
			  unsigned long len);
	int (*write_guest)(struct kvm *kvm, u64 gpa, const void *data,
			   unsigned long len);
	/*
	 * SNP: @npages from @gfn, made private or shared by the VMM, as the
	 * guest's next access would find them: a private frame's guest_memfd
	 * page given to sev_gmem_prepare() once (KVM's fault on private
	 * memory); a shared frame's freed (sev_gmem_invalidate() first).
	 * Frames without a guest_memfd or not changed are left. 0 or the
	 * first error.
	 */
	int (*gmem_convert)(struct kvm *kvm, u64 gfn, unsigned long npages,
			    bool private);
};

extern const struct kvm_sev_host_ops *kvm_sev_host;

static inline struct kvm_sev_info *to_kvm_sev_info(struct kvm *kvm)
{
	return &kvm->sev_info;
}

#endif /* KVM_SEV_KVM_H */
