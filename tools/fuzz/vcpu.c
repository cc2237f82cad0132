// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU ioctls but KVM_RUN (run.c): registers, special registers, XSAVE,
 * MSRs (counts at 0, 1, the limit and past it, arrays that run into an
 * inaccessible page), CPUID tables, and mmap of the vCPU file at offsets
 * and sizes that are and are not kvm_run's. On an SEV-ES or SNP vCPU
 * whose state is protected most are refused; on the others they go in.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sev_fuzz.h"

#define MAX_IO_MSRS		256	/* KVM's limit for GET/SET_MSRS */
#define MAX_CPUID_ENTRIES	256	/* and for SET_CPUID2 */

struct fz_vcpu *fz_vcpu_get(struct fz_thread *t, struct fz_vm **vmp)
{
	struct fz_vm *vm = fz_vm_get(t);
	struct fz_vcpu *c;

	if (!vm)
		return NULL;
	c = &vm->vcpu[fz_chance(t, 80) ? 0 : 1];
	*vmp = vm;
	return c->fd >= 0 ? c : NULL;
}

/*
 * An array op's buffer: @hdr bytes then @n entries of @size, the whole
 * ending right before an inaccessible page; @n may be less than the
 * count the header claims, so that the kernel reads or writes into it.
 */
static void *array_buf(struct fz_thread *t, size_t hdr, size_t n, size_t size)
{
	size_t len = hdr + n * size;

	return fz_buf(t, len > FZ_GUARD_LEN ? FZ_GUARD_LEN : len);
}

static void msrs_op(struct fz_thread *t, int fd, bool set)
{
	static const uint32_t msrs[] = {
		0xc0010130,	/* the GHCB MSR */
		0xc0000080,	/* EFER */
		0x10,		/* TSC */
		0x1b,		/* APIC base */
		0xc0000081, 0xc0000102, 0x174, 0x277, 0xc0010117,
		0, 0xffffffff, 0x40000000, 0xc0011029,
	};
	uint32_t claim, have, i;
	struct kvm_msrs *m;

	have = fz_chance(t, 70) ? 1 + fz_below(t, 4) : fz_below(t, 64);
	claim = have;
	if (fz_chance(t, 20)) {
		/* more than given: the array runs into the guard page */
		claim = fz_chance(t, 50) ? have + 1 + fz_below(t, 8) :
			fz_chance(t, 50) ? MAX_IO_MSRS - 1 + fz_below(t, 3) :
			fz_rand64(&t->rng);
		fz_note(t, "nmsrs=%u/%u", claim, have);
	}
	m = array_buf(t, sizeof(*m), have, sizeof(m->entries[0]));
	memset(m, 0, sizeof(*m));
	m->nmsrs = claim;
	if (fz_chance(t, 5))
		m->pad = 1;
	for (i = 0; i < have; i++) {
		m->entries[i].index = fz_chance(t, 85) ? FZ_PICK(t, msrs) :
				      (uint32_t)fz_rand64(&t->rng);
		m->entries[i].reserved = fz_chance(t, 5);
		m->entries[i].data = fz_chance(t, 50) ? fz_rand64(&t->rng) :
				     fz_below(t, 2) << 12;
	}
	fz_ioctl(t, FZ_VCPU, set ? "SET_MSRS" : "GET_MSRS", fd,
		 set ? KVM_SET_MSRS : KVM_GET_MSRS,
		 (void *)(uintptr_t)fz_uaddr(t, m, sizeof(*m), "msrs"), NULL,
		 false);
}

static void cpuid_op(struct fz_thread *t, int fd, bool set)
{
	static const uint32_t fns[] = {
		0, 1, 7, 0xd, 0x80000000, 0x80000001, 0x8000001f, 0x40000000,
	};
	struct kvm_cpuid2 *c;
	uint32_t claim, have, i;

	have = fz_chance(t, 70) ? fz_below(t, 8) : fz_below(t, 200);
	claim = have;
	if (fz_chance(t, 20)) {
		claim = fz_chance(t, 50) ? have + 1 :
			fz_chance(t, 50) ? MAX_CPUID_ENTRIES + fz_below(t, 2) :
			fz_rand64(&t->rng);
		fz_note(t, "nent=%u/%u", claim, have);
	}
	c = array_buf(t, sizeof(*c), have, sizeof(c->entries[0]));
	memset(c, 0, sizeof(*c));
	c->nent = claim;
	for (i = 0; i < have; i++) {
		fz_fill(t, &c->entries[i], sizeof(c->entries[i]));
		if (fz_chance(t, 80)) {
			c->entries[i].function = FZ_PICK(t, fns);
			c->entries[i].index = fz_below(t, 3);
			c->entries[i].flags = fz_below(t, 2);
			memset(c->entries[i].padding, 0,
			       sizeof(c->entries[i].padding));
		}
	}
	fz_ioctl(t, FZ_VCPU, set ? "SET_CPUID2" : "GET_CPUID2", fd,
		 set ? KVM_SET_CPUID2 : KVM_GET_CPUID2,
		 (void *)(uintptr_t)fz_uaddr(t, c, sizeof(*c), "cpuid"), NULL,
		 false);
}

/* A register file: random, or zero with one value set */
static void *regs_arg(struct fz_thread *t, size_t len)
{
	uint8_t *p = fz_buf(t, len);

	if (fz_chance(t, 50)) {
		fz_fill(t, p, len);
	} else {
		memset(p, 0, len);
		fz_fill(t, p + (fz_below(t, len / 8) * 8), 8);
	}
	return (void *)(uintptr_t)fz_uaddr(t, p, len, "regs");
}

/* mmap of the vCPU file: kvm_run and the PIO page, or more, or elsewhere */
static void mmap_op(struct fz_thread *t, int fd, int vcpu_fd)
{
	static const size_t lens[] = {
		PAGE_SIZE, 2 * PAGE_SIZE, 3 * PAGE_SIZE, 1, 64 * PAGE_SIZE,
	};
	size_t len = FZ_PICK(t, lens);
	off_t off = fz_chance(t, 70) ? 0 : fz_below(t, 4) * PAGE_SIZE;
	int prot = fz_chance(t, 80) ? PROT_READ | PROT_WRITE : PROT_EXEC;
	int flags = fz_chance(t, 85) ? MAP_SHARED : MAP_PRIVATE;
	void *p;

	fz_note(t, "len=%zu off=%lld", len, (long long)off);
	__atomic_store_n(&t->op, "mmap", __ATOMIC_RELAXED);
	p = mmap(NULL, len, prot, flags, fd, off);
	__atomic_store_n(&t->op, NULL, __ATOMIC_RELAXED);
	fz_count(t, FZ_VCPU, "mmap", p == MAP_FAILED ? errno : 0, false);
	if (p != MAP_FAILED) {
		/*
		 * Touch kvm_run: the fault handler's turn (past the pages
		 * the vCPU has, a fault is SIGBUS, as KVM's)
		 */
		if (fd == vcpu_fd && !off && (prot & PROT_WRITE))
			__atomic_store_n((uint8_t *)p, 0, __ATOMIC_RELAXED);
		munmap(p, len);
	}
}

void fz_vcpu_op(struct fz_thread *t)
{
	struct fz_vm *vm;
	struct fz_vcpu *c = fz_vcpu_get(t, &vm);
	int fd;

	if (!c)
		return;
	fd = fz_fd(t, c->fd, "vcpu");
	switch (fz_below(t, 13)) {
	case 0:
		fz_ioctl(t, FZ_VCPU, "GET_REGS", fd, KVM_GET_REGS,
			 (void *)(uintptr_t)fz_uaddr(t, fz_buf(t, sizeof(struct kvm_regs)),
						     sizeof(struct kvm_regs), "regs"),
			 NULL, false);
		break;
	case 1:
		fz_ioctl(t, FZ_VCPU, "SET_REGS", fd, KVM_SET_REGS,
			 regs_arg(t, sizeof(struct kvm_regs)), NULL, false);
		break;
	case 2:
		fz_ioctl(t, FZ_VCPU, "GET_SREGS", fd, KVM_GET_SREGS,
			 (void *)(uintptr_t)fz_uaddr(t, fz_buf(t, sizeof(struct kvm_sregs)),
						     sizeof(struct kvm_sregs), "sregs"),
			 NULL, false);
		break;
	case 3:
		fz_ioctl(t, FZ_VCPU, "SET_SREGS", fd, KVM_SET_SREGS,
			 regs_arg(t, sizeof(struct kvm_sregs)), NULL, false);
		break;
	case 4:
		fz_ioctl(t, FZ_VCPU, "SET_XSAVE", fd, KVM_SET_XSAVE,
			 regs_arg(t, sizeof(struct kvm_xsave)), NULL, false);
		break;
	case 5:
	case 6:
		msrs_op(t, fd, true);
		break;
	case 7:
		msrs_op(t, fd, false);
		break;
	case 8:
		cpuid_op(t, fd, true);
		break;
	case 9:
		cpuid_op(t, fd, false);
		break;
	case 10:
		mmap_op(t, fd, c->fd);
		break;
	case 11:
		/* KVM_RUN takes no argument */
		fz_ioctl(t, FZ_VCPU, "RUN(arg)", fd, KVM_RUN,
			 (void *)(uintptr_t)(1 + fz_below(t, 1000)), NULL, false);
		break;
	default:
		fz_other_ioctl(t, FZ_VCPU, fd);
		break;
	}
}
