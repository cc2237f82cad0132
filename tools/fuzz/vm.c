// SPDX-License-Identifier: GPL-2.0
/*
 * The thread's VMs, and /dev/kvm-sev's system ioctls.
 *
 * A thread keeps FZ_VMS VMs. An empty slot is filled when an operation
 * wants a VM: a type (SNP, SEV-ES, SEV, or the default type with the
 * legacy KVM_SEV_INIT / KVM_SEV_ES_INIT), memory (a plain slot, and a
 * guest_memfd slot for SNP), two vCPUs with their kvm_run mapped, and
 * mostly a proper launch, so that the commands of a running guest and
 * KVM_RUN's VMGEXIT handlers are reached (an SNP guest registers its
 * GHCB). These calls are counted as "setup", apart from the fuzzed ones.
 *
 * The lifecycle operation destroys VMs, and makes mirrors
 * (KVM_CAP_VM_COPY_ENC_CONTEXT_FROM) and moves
 * (KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM) of the thread's own VMs or of other
 * threads' (their fds are published in fz_pub_fds; one may be closed, or
 * even reused, by the time it is used: that is part of the test).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sev_fuzz.h"

#define SEV_POLICY_ES		BIT(2)
#define SNP_POLICY		(BIT_ULL(17) | BIT_ULL(16))	/* RSVD_MBO, SMT */
#define MSR_GHCB		0xc0010130
#define GHCB_MSR_REG_GPA_REQ	0x012
#define KVM_HC_MAP_GPA_RANGE_NR	12

static int fz_pub_fds[FZ_MAX_THREADS * FZ_VMS];

/* A slot's VM fd for the other threads (a VM not in a slot has none) */
static void publish(struct fz_thread *t, struct fz_vm *vm, int fd)
{
	if (vm < t->vm || vm >= t->vm + FZ_VMS)
		return;
	__atomic_store_n(&fz_pub_fds[t->id * FZ_VMS + (vm - t->vm)], fd,
			 __ATOMIC_RELAXED);
}

int fz_vm_any_fd(struct fz_thread *t, const struct fz_vm *self)
{
	const struct fz_vm *vm = &t->vm[fz_below(t, FZ_VMS)];

	if (fz_chance(t, 70))
		return vm != self ? vm->fd : -1;
	return __atomic_load_n(&fz_pub_fds[fz_below(t, ARRAY_SIZE(fz_pub_fds))],
			       __ATOMIC_RELAXED);
}

static void vm_clear(struct fz_vm *vm)
{
	int i;

	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->gmem = -1;
	for (i = 0; i < FZ_VCPUS; i++)
		vm->vcpu[i].fd = -1;
}

void fz_vm_init(struct fz_thread *t)
{
	unsigned int i;

	for (i = 0; i < FZ_VMS; i++) {
		vm_clear(&t->vm[i]);
		publish(t, &t->vm[i], -1);
	}
}

void fz_vm_destroy(struct fz_thread *t, struct fz_vm *vm)
{
	int i;

	publish(t, vm, -1);
	for (i = 0; i < FZ_VCPUS; i++) {
		if (vm->vcpu[i].run)
			munmap(vm->vcpu[i].run, 2 * PAGE_SIZE);
		if (vm->vcpu[i].fd >= 0)
			close(vm->vcpu[i].fd);
	}
	if (vm->gmem >= 0)
		close(vm->gmem);
	if (vm->fd >= 0)
		close(vm->fd);
	/* after the VM: its memory slots point here */
	if (vm->mem)
		munmap(vm->mem, (FZ_MEM_PAGES + 1) * PAGE_SIZE);
	if (vm->priv_hva)
		munmap(vm->priv_hva, FZ_PRIV_SIZE);
	vm_clear(vm);
}

void fz_vm_destroy_all(struct fz_thread *t)
{
	unsigned int i;

	for (i = 0; i < FZ_VMS; i++)
		fz_vm_destroy(t, &t->vm[i]);
}

static long setup_ioctl(struct fz_thread *t, const char *name, int fd,
			unsigned long req, void *arg)
{
	return fz_ioctl(t, FZ_SETUP, name, fd, req, arg, NULL, false);
}

static int sev_cmd(struct fz_thread *t, struct fz_vm *vm, const char *name,
		   uint32_t id, void *data)
{
	struct kvm_sev_cmd cmd = {
		.id = id, .data = (uintptr_t)data, .sev_fd = t->sev_fd,
	};

	return fz_ioctl(t, FZ_SETUP, name, vm->fd, KVM_MEMORY_ENCRYPT_OP, &cmd,
			&cmd.error, false) ? -1 : 0;
}

/* KVM_SEV_INIT2, or the legacy KVM_SEV_INIT / KVM_SEV_ES_INIT */
static int vm_sev_init(struct fz_thread *t, struct fz_vm *vm)
{
	struct kvm_sev_init init = { 0 };

	if (vm->type == KVM_X86_DEFAULT_VM)
		return vm->es ? sev_cmd(t, vm, "ES_INIT", KVM_SEV_ES_INIT, NULL) :
				sev_cmd(t, vm, "SEV_INIT", KVM_SEV_INIT, NULL);
	return sev_cmd(t, vm, "INIT2", KVM_SEV_INIT2, &init);
}

/* Shared memory in slot 0 (a PROT_NONE page after it), guest_memfd for SNP */
static int vm_add_mem(struct fz_thread *t, struct fz_vm *vm)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = 0,
		.guest_phys_addr = FZ_MEM_GPA,
		.memory_size = FZ_MEM_PAGES * PAGE_SIZE,
	};
	struct kvm_create_guest_memfd g = { .size = FZ_PRIV_SIZE };
	uint8_t *p;

	p = mmap(NULL, (FZ_MEM_PAGES + 1) * PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	mprotect(p + FZ_MEM_PAGES * PAGE_SIZE, PAGE_SIZE, PROT_NONE);
	vm->mem = p;
	r.userspace_addr = (uintptr_t)p;
	if (setup_ioctl(t, "SET_USER_MEMORY_REGION", vm->fd,
			KVM_SET_USER_MEMORY_REGION, &r))
		return -1;
	if (!vm->snp)
		return 0;

	vm->gmem = setup_ioctl(t, "CREATE_GUEST_MEMFD", vm->fd,
			       KVM_CREATE_GUEST_MEMFD, &g);
	if (vm->gmem < 0)
		return -1;
	p = mmap(NULL, FZ_PRIV_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	vm->priv_hva = p;
	memset(&r, 0, sizeof(r));
	r.slot = 1;
	r.flags = KVM_MEM_GUEST_MEMFD;
	r.guest_phys_addr = FZ_PRIV_GPA;
	r.memory_size = FZ_PRIV_SIZE;
	r.userspace_addr = (uintptr_t)p;
	r.guest_memfd = vm->gmem;
	if (setup_ioctl(t, "SET_USER_MEMORY_REGION2", vm->fd,
			KVM_SET_USER_MEMORY_REGION2, &r))
		return -1;
	return 0;
}

/* The CPUID table a VMM gives its vCPUs (what CPUID exits answer from) */
static const struct {
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 e[3];
} cpuid_table = {
	.hdr.nent = 3,
	.e = {
		{ .function = 0, .eax = 0xd, .ebx = 0x68747541 },
		{ .function = 0x40000000, .eax = 0x40000001 },
		{ .function = 0xd, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		  .eax = 7, .ebx = 0x340 },
	},
};

static int vm_add_vcpus(struct fz_thread *t, struct fz_vm *vm)
{
	struct fz_vcpu *c;
	unsigned long i;
	void *p;

	for (i = 0; i < FZ_VCPUS; i++) {
		c = &vm->vcpu[i];
		c->fd = setup_ioctl(t, "CREATE_VCPU", vm->fd, KVM_CREATE_VCPU,
				    (void *)i);
		if (c->fd < 0)
			return -1;
		p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, c->fd, 0);
		if (p == MAP_FAILED)
			return -1;
		c->run = p;
		if (setup_ioctl(t, "SET_CPUID2", c->fd, KVM_SET_CPUID2,
				(void *)&cpuid_table))
			return -1;
	}
	return 0;
}

static int launch_sev(struct fz_thread *t, struct fz_vm *vm)
{
	struct kvm_sev_launch_start start = { .policy = vm->es ? SEV_POLICY_ES : 0 };
	struct kvm_sev_launch_update_data upd = {
		.uaddr = (uintptr_t)vm->mem + PAGE_SIZE, .len = 2 * PAGE_SIZE,
	};
	struct kvm_sev_launch_measure m;
	uint8_t blob[64];

	m.uaddr = (uintptr_t)blob;
	m.len = sizeof(blob);
	if (sev_cmd(t, vm, "LAUNCH_START", KVM_SEV_LAUNCH_START, &start) ||
	    sev_cmd(t, vm, "LAUNCH_UPDATE_DATA", KVM_SEV_LAUNCH_UPDATE_DATA, &upd))
		return -1;
	if (vm->es && sev_cmd(t, vm, "LAUNCH_UPDATE_VMSA",
			      KVM_SEV_LAUNCH_UPDATE_VMSA, NULL))
		return -1;
	if (sev_cmd(t, vm, "LAUNCH_MEASURE", KVM_SEV_LAUNCH_MEASURE, &m) ||
	    sev_cmd(t, vm, "LAUNCH_FINISH", KVM_SEV_LAUNCH_FINISH, NULL))
		return -1;
	return 0;
}

/*
 * SNP: the first private pages measured (NORMAL, then ZERO), the VMSAs
 * with LAUNCH_FINISH, then the BSP registers its GHCB (MSR protocol).
 */
static int launch_snp(struct fz_thread *t, struct fz_vm *vm)
{
	struct kvm_sev_snp_launch_start start = { .policy = SNP_POLICY };
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = FZ_PRIV_GPA >> 12,
		.uaddr = (uintptr_t)vm->mem + PAGE_SIZE,
		.len = 2 * PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_memory_attributes attr = {
		.address = FZ_PRIV_GPA, .size = 4 * PAGE_SIZE,
		.attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE,
	};
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_EXIT_HYPERCALL,
		.args[0] = 1ULL << KVM_HC_MAP_GPA_RANGE_NR,
	};
	struct kvm_sev_snp_launch_finish fin = { 0 };

	if (setup_ioctl(t, "ENABLE_CAP", vm->fd, KVM_ENABLE_CAP, &cap) ||
	    setup_ioctl(t, "SET_MEMORY_ATTRIBUTES", vm->fd,
			KVM_SET_MEMORY_ATTRIBUTES, &attr) ||
	    sev_cmd(t, vm, "SNP_LAUNCH_START", KVM_SEV_SNP_LAUNCH_START, &start) ||
	    sev_cmd(t, vm, "SNP_LAUNCH_UPDATE", KVM_SEV_SNP_LAUNCH_UPDATE, &upd))
		return -1;
	upd.gfn_start = (FZ_PRIV_GPA >> 12) + 2;
	upd.uaddr = 0;
	upd.len = 2 * PAGE_SIZE;
	upd.type = KVM_SEV_SNP_PAGE_TYPE_ZERO;
	if (sev_cmd(t, vm, "SNP_LAUNCH_UPDATE", KVM_SEV_SNP_LAUNCH_UPDATE, &upd) ||
	    sev_cmd(t, vm, "SNP_LAUNCH_FINISH", KVM_SEV_SNP_LAUNCH_FINISH, &fin))
		return -1;
	if (fz_ghcb_msr_write(t, FZ_SETUP, vm->vcpu[0].fd,
			      FZ_GHCB_GPA | GHCB_MSR_REG_GPA_REQ) != 1)
		return -1;
	fz_ioctl(t, FZ_SETUP, "RUN", vm->vcpu[0].fd, KVM_RUN, NULL, NULL, false);
	return errno == EINTR ? 0 : -1;
}

/* Fill an empty slot; as deep as it gets (vm->depth), or still empty */
static void vm_build(struct fz_thread *t, struct fz_vm *vm)
{
	unsigned int r = fz_below(t, 100);
	enum fz_vm_depth want;

	if (r < 40) {
		vm->type = KVM_X86_SNP_VM;
		vm->es = true;
		vm->snp = true;
	} else if (r < 65) {
		vm->type = KVM_X86_SEV_ES_VM;
		vm->es = true;
	} else if (r < 85) {
		vm->type = KVM_X86_SEV_VM;
	} else {
		vm->type = KVM_X86_DEFAULT_VM;
		vm->es = fz_chance(t, 50);
	}
	r = fz_below(t, 100);
	want = r < 10 ? FZ_VM_CREATED : r < 25 ? FZ_VM_INIT : FZ_VM_LAUNCHED;
	fz_note(t, "type=%lu%s want=%d", vm->type, vm->es ? "/es" : "", want);

	vm->fd = setup_ioctl(t, "CREATE_VM", t->kvm_fd, KVM_CREATE_VM,
			     (void *)vm->type);
	if (vm->fd < 0) {
		vm->fd = -1;
		return;
	}
	vm->depth = FZ_VM_CREATED;
	publish(t, vm, vm->fd);
	if (want >= FZ_VM_INIT && vm_sev_init(t, vm))
		want = FZ_VM_CREATED;
	else if (want >= FZ_VM_INIT)
		vm->depth = FZ_VM_INIT;
	/* a VM that stays plain has no guest_memfd */
	if (vm->depth < FZ_VM_INIT)
		vm->snp = false;
	if (vm_add_mem(t, vm) || vm_add_vcpus(t, vm) || want < FZ_VM_LAUNCHED)
		return;
	if (vm->snp ? !launch_snp(t, vm) : !launch_sev(t, vm))
		vm->depth = FZ_VM_LAUNCHED;
}

struct fz_vm *fz_vm_get(struct fz_thread *t)
{
	struct fz_vm *vm = &t->vm[fz_below(t, FZ_VMS)];

	if (!fz_have_kvm)
		return NULL;
	if (vm->depth == FZ_VM_NONE)
		vm_build(t, vm);
	return vm->depth == FZ_VM_NONE ? NULL : vm;
}

/* A fresh VM of @type for a mirror or a move, or -1 */
static int new_vm(struct fz_thread *t, unsigned long type)
{
	long fd = fz_ioctl(t, FZ_VM, "CREATE_VM", t->kvm_fd, KVM_CREATE_VM,
			   (void *)type, NULL, false);

	return fd < 0 ? -1 : fd;
}

static long enable_cap(struct fz_thread *t, const char *name, int vm,
		       uint32_t cap, uint64_t arg)
{
	struct kvm_enable_cap c = { .cap = cap, .args[0] = arg };

	return fz_ioctl(t, FZ_VM, name, vm, KVM_ENABLE_CAP, &c, NULL, false);
}

/*
 * The new VM in @slot's place (its old one destroyed): a mirror's or a
 * move's destination, which the fuzzer then uses as any other VM.
 */
static void adopt(struct fz_thread *t, struct fz_vm *slot, struct fz_vm *vm)
{
	fz_vm_destroy(t, slot);
	*slot = *vm;
	publish(t, slot, slot->fd);
}

/*
 * A mirror: a fresh VM with memory, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM a
 * VM (the thread's, another thread's, or a bad fd), then its vCPUs.
 */
static void mirror_op(struct fz_thread *t, struct fz_vm *src)
{
	struct fz_vm m;
	int from;

	vm_clear(&m);
	m.type = fz_chance(t, 80) ? src->type : fz_below(t, 5);
	m.es = src->es;
	m.fd = new_vm(t, m.type);
	if (m.fd < 0)
		return;
	m.depth = FZ_VM_LAUNCHED;
	m.mirror = true;
	if (vm_add_mem(t, &m)) {
		fz_vm_destroy(t, &m);
		return;
	}
	from = fz_chance(t, 70) ? src->fd : fz_vm_any_fd(t, NULL);
	from = fz_fd(t, from, "src");
	if (enable_cap(t, "COPY_ENC_CONTEXT_FROM", m.fd,
		       KVM_CAP_VM_COPY_ENC_CONTEXT_FROM, from) ||
	    vm_add_vcpus(t, &m) || fz_chance(t, 40)) {
		fz_vm_destroy(t, &m);
		return;
	}
	adopt(t, &t->vm[fz_below(t, FZ_VMS)], &m);
}

/*
 * A move: a fresh VM of the source's type with as many vCPUs (KVM wants
 * them equal), KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM the source. The source,
 * if it is the thread's, is dead after a move: the destination takes its
 * slot.
 */
static void move_op(struct fz_thread *t, struct fz_vm *src)
{
	struct fz_vm m;
	bool own = fz_chance(t, 75);
	int from;

	vm_clear(&m);
	m.type = fz_chance(t, 90) ? src->type : fz_below(t, 5);
	m.es = src->es;
	m.snp = src->snp && m.type == KVM_X86_SNP_VM;
	m.fd = new_vm(t, m.type);
	if (m.fd < 0)
		return;
	m.depth = src->depth;
	if (vm_add_mem(t, &m) || vm_add_vcpus(t, &m)) {
		fz_vm_destroy(t, &m);
		return;
	}
	from = fz_fd(t, own ? src->fd : fz_vm_any_fd(t, NULL), "src");
	if (enable_cap(t, "MOVE_ENC_CONTEXT_FROM", m.fd,
		       KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, from)) {
		fz_vm_destroy(t, &m);
		return;
	}
	adopt(t, own && from == src->fd ? src : &t->vm[fz_below(t, FZ_VMS)], &m);
}

void fz_vm_lifecycle_op(struct fz_thread *t)
{
	struct fz_vm *vm = fz_vm_get(t);
	unsigned int r = fz_below(t, 100);

	if (!vm)
		return;
	if (r < 30)
		fz_vm_destroy(t, vm);	/* built again when next wanted */
	else if (r < 65)
		mirror_op(t, vm);
	else
		move_op(t, vm);
}

/*
 * A random ioctl number of KVM's type on @fd. One that makes a file
 * (a VM, a vCPU, a guest_memfd) gets its fd closed again.
 */
void fz_other_ioctl(struct fz_thread *t, enum fz_family family, int fd)
{
	unsigned long req = _IOC(fz_below(t, 4), KVMIO, fz_below(t, 256),
				 fz_below(t, 512));
	void *p = fz_buf(t, 512);
	long r;

	fz_fill(t, p, 512);
	fz_note(t, "req=%#lx", req);
	r = fz_ioctl(t, family, "other", fd, req, p, NULL, false);
	if (r > 2 && (req == KVM_CREATE_VM || req == KVM_CREATE_VCPU ||
		      req == KVM_CREATE_GUEST_MEMFD))
		close(r);
}

/* /dev/kvm-sev's own ioctls */
void fz_kvm_op(struct fz_thread *t)
{
	static const uint64_t caps[] = {
		KVM_CAP_VM_TYPES, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM,
		KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, KVM_CAP_USER_MEMORY,
		KVM_CAP_USER_MEMORY2, KVM_CAP_SYS_ATTRIBUTES,
		KVM_CAP_EXIT_HYPERCALL, KVM_CAP_MEMORY_ATTRIBUTES,
		KVM_CAP_GUEST_MEMFD, KVM_CAP_NR_MEMSLOTS, KVM_CAP_MAX_VCPUS,
		KVM_CAP_MAX_VCPU_ID, 0, 1, 0x7fffffff, ~0ULL,
	};
	static const struct fz_field attr_fields[] = {
		FZ_FIELD(struct kvm_device_attr, flags),
		FZ_FIELD(struct kvm_device_attr, group),
		FZ_FIELD(struct kvm_device_attr, attr),
		FZ_FIELD(struct kvm_device_attr, addr),
	};
	struct kvm_device_attr a = { 0 };
	int fd = fz_fd(t, fz_chance(t, 10) ? t->kvm_ro_fd : t->kvm_fd, "fd");
	unsigned long arg = fz_chance(t, 85) ? 0 : fz_rand64(&t->rng);
	bool whole;
	void *p;
	long r;

	switch (fz_below(t, 6)) {
	case 0:
		fz_ioctl(t, FZ_KVM, "GET_API_VERSION", fd, KVM_GET_API_VERSION,
			 (void *)arg, NULL, false);
		break;
	case 1:
		fz_ioctl(t, FZ_KVM, "CHECK_EXTENSION", fd, KVM_CHECK_EXTENSION,
			 (void *)(uintptr_t)FZ_PICK(t, caps), NULL, false);
		break;
	case 2:
		fz_ioctl(t, FZ_KVM, "GET_VCPU_MMAP_SIZE", fd,
			 KVM_GET_VCPU_MMAP_SIZE, (void *)arg, NULL, false);
		break;
	case 3:
		a.group = fz_chance(t, 70) ? KVM_X86_GRP_SEV : fz_below(t, 3);
		a.attr = fz_below(t, 4);
		a.addr = fz_uaddr(t, fz_buf(t, 8), 8, "addr");
		fz_mutate(t, &a, attr_fields, ARRAY_SIZE(attr_fields), 20);
		p = fz_place(t, FZ_AREA_IOCTL, &a, sizeof(a), &whole);
		if (fz_chance(t, 50))
			fz_ioctl(t, FZ_KVM, "GET_DEVICE_ATTR", fd,
				 KVM_GET_DEVICE_ATTR, p, NULL, false);
		else
			fz_ioctl(t, FZ_KVM, "HAS_DEVICE_ATTR", fd,
				 KVM_HAS_DEVICE_ATTR, p, NULL, false);
		break;
	case 4:
		/* every type, and what is no type */
		arg = fz_chance(t, 80) ? fz_below(t, 6) : fz_rand64(&t->rng);
		fz_note(t, "type=%#lx", arg);
		r = fz_ioctl(t, FZ_KVM, "CREATE_VM", fd, KVM_CREATE_VM,
			     (void *)arg, NULL, false);
		if (r >= 0)
			close(r);
		break;
	default:
		fz_other_ioctl(t, FZ_KVM, fd);
		break;
	}
}
