/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sev_fuzz: a seeded, multi-threaded, structure-aware fuzzer of /dev/sev
 * and /dev/kvm-sev (Documentation/testing.rst, "Fuzzing").
 *
 * Each thread owns a random number generator derived from the seed, a few
 * VMs (some launched properly, so that the deeper handlers are reached:
 * an SNP VM with a registered GHCB lets KVM_RUN reach the VMGEXIT
 * handlers), and scratch buffers that end right before an unmapped page.
 * It picks an operation from one weighted table, builds a mostly valid
 * argument with at most one field wrong, makes the call through
 * fz_ioctl() (which counts it) and moves on. The files:
 *
 *   main.c     options, the simulated PSP, threads, watchdog, verdict
 *   stats.c    fz_ioctl(): per-family calls, errno histograms, the share
 *              of calls past argument checks and into the firmware;
 *              the call log (-v), the summary
 *   args.c     values: lengths at the boundaries, pointers that end at an
 *              unmapped page, bad file descriptors, one field mutated
 *   sev_dev.c  SEV_ISSUE_CMD with every command id of /dev/sev
 *   vm.c       the thread's VMs: created, launched, destroyed, mirrored,
 *              moved; the /dev/kvm-sev system ioctls
 *   vm_ops.c   VM ioctls, KVM_MEMORY_ENCRYPT_OP with every KVM_SEV_* id
 *   vcpu.c     vCPU ioctls: registers, MSRs, CPUID, XSAVE, mmap
 *   run.c      KVM_RUN with hostile GHCB MSR values, GHCB pages and page
 *              state change descriptors, and the VMM's answers to exits
 *   knobs.c    the simulator's fault knobs and debugfs files
 *   remove.c   the simulated PSP removed, and its module unloaded, under
 *              the other threads
 *
 * Nothing here checks results against a specification: the kernel's
 * debug options (KASAN, lockdep, kmemleak, UBSAN) and the harness's splat
 * check are the oracle. What the program can see itself (a kernel-internal
 * errno reaching userspace, the kernel tainted, the PSP dead, a page freed
 * while the RMP still assigned it, a call that never returns) fails the
 * run, with the seed to replay it.
 */
#ifndef SEV_FUZZ_H
#define SEV_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kvm-sev.h>
#include <linux/psp-sev.h>
#include <linux/sev-psp.h>

#include "sev_tool_util.h"

#define FZ_SIM_ID		0
#define FZ_SIM_DEBUGFS		"/sys/kernel/debug/sev-psp-sim/sevsim0"
#define FZ_PSP_MAILBOX		"/sys/kernel/debug/sev-psp/psp-sevsim0/mailbox"

/* ---- The random number generator (xoshiro256**, seeded by splitmix64) */

struct fz_rng {
	uint64_t s[4];
};

void fz_rng_seed(struct fz_rng *rng, uint64_t seed, unsigned int stream);
uint64_t fz_rand64(struct fz_rng *rng);

/* ---- Call accounting ---- */

/* The ioctl families the statistics are kept for */
enum fz_family {
	FZ_SEV,		/* /dev/sev: SEV_ISSUE_CMD, and other numbers */
	FZ_KVM,		/* /dev/kvm-sev system ioctls */
	FZ_VM,		/* VM ioctls but KVM_MEMORY_ENCRYPT_OP */
	FZ_SEV_OP,	/* KVM_MEMORY_ENCRYPT_OP */
	FZ_VCPU,	/* vCPU ioctls but KVM_RUN, and mmap */
	FZ_RUN,		/* KVM_RUN */
	FZ_KNOB,	/* the simulator's debugfs: fault knobs, state reads */
	FZ_SETUP,	/* the calls that build and launch the thread's VMs */
	FZ_NR_FAMILIES,
};

#define FZ_ERRNO_MAX		600	/* past the kernel-internal 512..529 */

struct fz_family_stats {
	uint64_t calls;
	uint64_t past_checks;	/* got into a handler (see stats.c) */
	uint64_t firmware;	/* reached the firmware (see stats.c) */
	uint64_t errnos[FZ_ERRNO_MAX + 1];	/* [0]: success */
};

/* ---- A thread's VMs ---- */

#define FZ_VMS			3	/* per thread */
#define FZ_VCPUS		2	/* per VM */
#define FZ_MEM_PAGES		16	/* shared memory, slot 0 */
#define FZ_MEM_GPA		0x100000ULL
#define FZ_GHCB_GPA		FZ_MEM_GPA	/* its first page */
#define FZ_PRIV_GPA		0x40000000ULL	/* guest_memfd, slot 1 */
#define FZ_PRIV_SIZE		(2ULL << 20)

enum fz_vm_depth {
	FZ_VM_NONE,		/* no VM in the slot */
	FZ_VM_CREATED,		/* KVM_CREATE_VM only */
	FZ_VM_INIT,		/* KVM_SEV_INIT(2): an SEV context */
	FZ_VM_LAUNCHED,		/* launched: running, its vCPUs protected */
};

struct fz_vcpu {
	int fd;
	struct kvm_run *run;	/* mapped, 2 pages (kvm_run, PIO data) */
};

struct fz_vm {
	int fd;
	unsigned long type;
	bool es, snp;		/* SEV-ES or SNP: protected vCPU state */
	enum fz_vm_depth depth;
	bool mirror;		/* KVM_CAP_VM_COPY_ENC_CONTEXT_FROM done */
	struct fz_vcpu vcpu[FZ_VCPUS];
	uint8_t *mem;		/* FZ_MEM_PAGES, then a PROT_NONE page */
	int gmem;		/* SNP: guest_memfd of FZ_PRIV_SIZE */
	uint8_t *priv_hva;	/* SNP: slot 1's shared side */
};

/* ---- A thread ---- */

#define FZ_AREAS		5
#define FZ_AREA_IOCTL		0
#define FZ_AREA_CMD		1
#define FZ_GUARD_LEN		(4 * PAGE_SIZE)	/* 16 KiB */
#define FZ_BIG_LEN		(64 * 1024)
struct fz_thread {
	unsigned int id;
	struct fz_rng rng;
	uint64_t calls;
	struct fz_family_stats stats[FZ_NR_FAMILIES];

	/* file descriptors it keeps */
	int sev_fd, sev_ro_fd, kvm_fd, kvm_ro_fd, null_fd, closed_fd;
	struct fz_vm vm[FZ_VMS];

	/*
	 * Scratch: each area is FZ_GUARD_LEN bytes of memory followed by an
	 * inaccessible page, so an argument placed at its end runs into it
	 * (area 0: the ioctl's own struct, 1: the command's, the others:
	 * buffers those point to, in turn); big is plain memory, ro a
	 * read-only page.
	 */
	uint8_t *area[FZ_AREAS];
	unsigned int next_area;
	uint8_t *big, *ro;

	/* what the current call is, for the log and the watchdog */
	const char *op;
	char note[256];
	size_t note_len;
	uint64_t log_left;	/* calls still to log (-v) */
	uint64_t max_calls;	/* 0: until the time is up */
};

/* main.c */
extern uint64_t fz_seed;
extern bool fz_have_kvm;	/* /dev/kvm-sev is there */
extern bool fz_no_knobs;	/* --no-knobs: the PSP's fault knobs left alone */
extern int fz_stop;	/* __atomic: set when the time is up */
void __printf(2, 3) fz_fail(struct fz_thread *t, const char *fmt, ...);

/* stats.c */
/*
 * An ioctl as a fuzzed call: counted in @family under @name. @fw_err is
 * the command's firmware status field, a u32 at any alignment (NULL if
 * none): a non-zero status
 * there means the firmware ran. @fw_ok tells that success means the
 * firmware ran too. Returns ioctl()'s result, errno kept.
 */
long fz_ioctl(struct fz_thread *t, enum fz_family family, const char *name,
	      int fd, unsigned long req, void *arg, const void *fw_err,
	      bool fw_ok);
/* Count a call made some other way (mmap, a debugfs write): @err 0 or errno */
void fz_count(struct fz_thread *t, enum fz_family family, const char *name,
	      int err, bool firmware);
/* The last call of @family reached the firmware, seen after the fact */
void fz_mark_firmware(struct fz_thread *t, enum fz_family family);
/* Describe the current call's arguments for the log (-v) */
void __printf(2, 3) fz_note(struct fz_thread *t, const char *fmt, ...);
void fz_stats_print(const struct fz_thread *threads, unsigned int n,
		    double secs, long long fw_cmds);
const char *fz_errno_name(int err);
long long fz_debugfs_value(const char *path, const char *key);

/* args.c */
static inline uint64_t fz_below(struct fz_thread *t, uint64_t n)
{
	return n ? fz_rand64(&t->rng) % n : 0;
}

/* true with probability @pct percent */
static inline bool fz_chance(struct fz_thread *t, unsigned int pct)
{
	return fz_below(t, 100) < pct;
}

/* A random element of an array */
#define FZ_PICK(t, arr)	((arr)[fz_below(t, sizeof(arr) / sizeof((arr)[0]))])

int fz_buffers_init(struct fz_thread *t);
void fz_buffers_free(struct fz_thread *t);
void fz_fill(struct fz_thread *t, void *p, size_t len);
/* A length: mostly @sensible, else one at a boundary */
uint32_t fz_len(struct fz_thread *t, uint32_t sensible);
/* An address the kernel cannot use (unmapped, kernel, non-canonical...) */
uint64_t fz_bad_addr(struct fz_thread *t);
/*
 * @len bytes of scratch memory, the next buffer area's last ones (so
 * reading past them faults), or plain memory for more than an area holds
 */
void *fz_buf(struct fz_thread *t, size_t len);
/*
 * The user address to pass for buffer @p of @len bytes: mostly @p, else a
 * bad address or one whose last bytes are unmapped. Noted as @what.
 */
uint64_t fz_uaddr(struct fz_thread *t, void *p, size_t len, const char *what);
/*
 * The ioctl argument @obj (@len bytes) copied into area @area and the
 * pointer to pass: mostly right before the area's inaccessible page,
 * sometimes misaligned elsewhere, straddling it (*@whole false), NULL or
 * unmapped (NULL returned as is). *@whole: the whole copy is readable.
 */
void *fz_place(struct fz_thread *t, unsigned int area, const void *obj,
	       size_t len, bool *whole);
/* A file descriptor: mostly @good, else a bad or wrong one, noted */
int fz_fd(struct fz_thread *t, int good, const char *what);

/*
 * A struct's fields, for fz_mutate(): offset and size of each. Bitfields
 * are named by the word that holds them.
 */
struct fz_field {
	unsigned short off;
	unsigned char size;
};

/* (the member as the variadic argument: a path such as a.b works too) */
#define FZ_FIELD(type, ...) \
	{ offsetof(type, __VA_ARGS__), sizeof(((type *)0)->__VA_ARGS__) }

/* With probability @pct, one field of @obj set to a boundary value */
void fz_mutate(struct fz_thread *t, void *obj, const struct fz_field *f,
	       size_t n, unsigned int pct);

/* sev_dev.c */
void fz_sev_op(struct fz_thread *t);

/* vm.c */
#define FZ_MAX_THREADS		16

void fz_vm_init(struct fz_thread *t);
void fz_vm_destroy(struct fz_thread *t, struct fz_vm *vm);
void fz_vm_destroy_all(struct fz_thread *t);
/* One of the thread's VMs, built first if its slot is empty; NULL if none */
struct fz_vm *fz_vm_get(struct fz_thread *t);
void fz_vm_lifecycle_op(struct fz_thread *t);
void fz_kvm_op(struct fz_thread *t);
void fz_other_ioctl(struct fz_thread *t, enum fz_family family, int fd);
/* A VM fd: another of the thread's, or another thread's; -1 if none */
int fz_vm_any_fd(struct fz_thread *t, const struct fz_vm *self);

/* vm_ops.c */
void fz_vm_op(struct fz_thread *t);
void fz_sev_cmd_op(struct fz_thread *t);

/* vcpu.c */
struct fz_vcpu *fz_vcpu_get(struct fz_thread *t, struct fz_vm **vmp);
void fz_vcpu_op(struct fz_thread *t);

/* run.c */
void fz_run_op(struct fz_thread *t);
int fz_ghcb_msr_write(struct fz_thread *t, enum fz_family family, int vcpu,
		      uint64_t val);

/* knobs.c */
void fz_knob_op(struct fz_thread *t);
void fz_knobs_reset(void);

/* remove.c: the remover thread (--remove, --sim-module) */
void fz_remove_setup(double secs, const char *module, long long fw_cmds0);
bool fz_remove_enabled(void);
void *fz_remove_main(void *arg);
long long fz_remove_fw_commands(long long now);
int __printf(2, 3) fz_write_file(const char *path, const char *fmt, ...);

#endif /* SEV_FUZZ_H */
