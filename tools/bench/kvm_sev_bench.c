// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_sev_bench: what SEV VMs cost on /dev/kvm-sev.
 *
 * Measures, in one run, the sections asked for (-s; vm, update and snp
 * when none is):
 *   vm         vm-cycle: create an SEV VM, KVM_SEV_INIT2, LAUNCH_START,
 *              destroy it: cycles per second (each destroy is DEACTIVATE
 *              and DECOMMISSION; the freed ASIDs are flushed in batches)
 *              vm-fill: create and launch SEV VMs, keeping them, until
 *              the ASIDs run out (-EBUSY): VMs per second, and how many
 *              vm-drain: destroy them all: VMs per second
 *              refill: the first VM after the drain (its allocation
 *              flushes every freed ASID: WBINVD and DF_FLUSH), then the
 *              rest
 *   update     LAUNCH_UPDATE_DATA of MIB MiB of VMM memory: MB/s
 *   snp        SNP_LAUNCH_UPDATE of MIB MiB of guest_memfd pages (NORMAL,
 *              measured: two SHA-384 digests a page): MB/s, beside the
 *              kernel's SHA-384 alone, page by page, in the same run
 *              (sev-psp-sim's debugfs sha384_bench, when there)
 *   guest-req  SNP guest requests (SVM_VMGEXIT_GUEST_REQUEST, an
 *              attestation report each) per second, for SECONDS each: one
 *              vCPU; VCPUS vCPUs of one VM (a thread each, one channel:
 *              a request at a time, as the guest's driver); VCPUS VMs of
 *              one vCPU. Beside them, OpenSSL's ECDSA P-384 signature and
 *              AES-256-GCM seal of a report, ops/s, and the simulated
 *              firmware's own time per request (kvm_sev_bench_greq.c)
 *   psc        page state changes through the GHCB (SVM_VMGEXIT_PSC) of
 *              MIB MiB, the VMM answering each KVM_HC_MAP_GPA_RANGE exit:
 *              pages per second, 4 KiB entries and 2 MiB entries
 *              (kvm_sev_bench_psc.c)
 *   all        all of them
 *
 * It prints numbers; it passes or fails nothing.
 *
 * usage: kvm_sev_bench [-s SECTION[,SECTION...]] [-n VCPUS] [-t SECONDS]
 *                      [CYCLES] [MIB]
 * (CYCLES 1000, MIB 16, VCPUS the CPUs online, SECONDS 2; it needs
 * /dev/sev: a PSP, or a simulated one, which guest-req makes itself)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm_sev_bench.h"

#define MAX_VMS	4096

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The GHCB MSR and its protocol's GHCB registration (GHCB spec, 56421) */
#define MSR_AMD64_SEV_ES_GHCB	0xc0010130
#define GHCB_MSR_REG_GPA_REQ	0x012
#define GHCB_MSR_REG_GPA_RESP	0x013

int kvm_fd = -1, sev_fd = -1;
uint64_t fw_launches;
static int run_size;

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int sev_open(void)
{
	int err;

	sev_fd = open("/dev/sev", O_RDWR);
	if (sev_fd >= 0)
		return 0;
	err = errno;
	fprintf(stderr,
		"kvm_sev_bench: /dev/sev: %s (no PSP? echo 0 > /sys/bus/sev-psp-sim/new_device)\n",
		strerror(err));
	return -err;
}

int sev_op(int vm, uint32_t id, void *data)
{
	struct kvm_sev_cmd cmd = {
		.id = id, .data = (uintptr_t)data, .sev_fd = sev_fd,
	};

	return ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd) ? -errno : 0;
}

/* A launched SEV VM's fd, or -errno */
static int new_sev_vm(void)
{
	struct kvm_sev_launch_start start = { .policy = 0 };
	struct kvm_sev_init init = { 0 };
	int vm, r;

	vm = ioctl(kvm_fd, KVM_CREATE_VM, KVM_X86_SEV_VM);
	if (vm < 0)
		return -errno;
	r = sev_op(vm, KVM_SEV_INIT2, &init);
	if (!r)
		r = sev_op(vm, KVM_SEV_LAUNCH_START, &start);
	if (r) {
		close(vm);
		return r;
	}
	fw_launches++;
	return vm;
}

static void rate(const char *name, int n, double secs)
{
	printf("%-9s %6d VMs  %9.0f /s\n", name, n, n / secs);
}

static int bench_vms(int cycles)
{
	static int vms[MAX_VMS];
	double t0, t1;
	int i, n, vm;

	t0 = now_s();
	for (i = 0; i < cycles; i++) {
		vm = new_sev_vm();
		if (vm < 0) {
			fprintf(stderr, "vm-cycle: %s\n", strerror(-vm));
			return 1;
		}
		close(vm);
	}
	rate("vm-cycle", cycles, now_s() - t0);

	t0 = now_s();
	for (n = 0; n < MAX_VMS; n++) {
		vm = new_sev_vm();
		if (vm == -EBUSY)
			break;
		if (vm < 0) {
			fprintf(stderr, "vm-fill: %s\n", strerror(-vm));
			return 1;
		}
		vms[n] = vm;
	}
	rate("vm-fill", n, now_s() - t0);
	printf("ASIDs for SEV VMs: %d, then -EBUSY\n", n);

	t0 = now_s();
	for (i = 0; i < n; i++)
		close(vms[i]);
	rate("vm-drain", n, now_s() - t0);

	t0 = now_s();
	vms[0] = new_sev_vm();
	t1 = now_s();
	for (i = 1; i < n && vms[i - 1] >= 0; i++)
		vms[i] = new_sev_vm();
	printf("refill    first VM (flushes %d ASIDs) %.1f us, the other %d %.1f us each\n",
	       n, (t1 - t0) * 1e6, i - 1,
	       i > 1 ? (now_s() - t1) * 1e6 / (i - 1) : 0.0);
	while (i--)
		if (vms[i] >= 0)
			close(vms[i]);
	return 0;
}

static int bench_update(size_t mib)
{
	struct kvm_sev_launch_update_data upd;
	size_t len = mib << 20;
	double t0, secs;
	void *mem;
	int vm, r;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	memset(mem, 0x5a, len);
	vm = new_sev_vm();
	if (vm < 0) {
		fprintf(stderr, "update: %s\n", strerror(-vm));
		return 1;
	}
	upd.uaddr = (uintptr_t)mem;
	upd.len = len;
	t0 = now_s();
	r = sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd);
	secs = now_s() - t0;
	if (r)
		fprintf(stderr, "update: %s (RLIMIT_MEMLOCK?)\n", strerror(-r));
	else
		printf("update    %zu MiB LAUNCH_UPDATE_DATA  %.1f MB/s\n", mib,
		       len / secs / 1e6);
	close(vm);
	munmap(mem, len);
	return !!r;
}

/* The guest's GHCB MSR written from (KVM_SET_MSRS) or read into *@val */
static int ghcb_msr(int vcpu, unsigned long req, uint64_t *val)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {
		.hdr.nmsrs = 1,
		.e = { .index = MSR_AMD64_SEV_ES_GHCB, .data = *val },
	};

	if (ioctl(vcpu, req, &m) != 1)
		return -EIO;
	*val = m.e.data;
	return 0;
}

int vmgexit(int vcpu, uint64_t msr)
{
	if (ghcb_msr(vcpu, KVM_SET_MSRS, &msr))
		return -EIO;
	return ioctl(vcpu, KVM_RUN, 0) ? -errno : 0;
}

int ghcb_register(int vcpu, uint64_t gpa)
{
	uint64_t msr = 0;
	int r;

	r = vmgexit(vcpu, gpa | GHCB_MSR_REG_GPA_REQ);
	if (r != BENCH_RESUMED)
		return r ?: -EPROTO;
	if (ghcb_msr(vcpu, KVM_GET_MSRS, &msr))
		return -EIO;
	return msr == (gpa | GHCB_MSR_REG_GPA_RESP) ? 0 : -EPROTO;
}

/* vCPU @id of @g, its struct kvm_run mapped: 0 or -errno */
static int snp_vcpu_new(struct snp_vm *g, unsigned int id)
{
	void *run;

	g->vcpu[id] = ioctl(g->vm, KVM_CREATE_VCPU, id);
	if (g->vcpu[id] < 0)
		return -errno;
	g->nr_vcpus++;
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   g->vcpu[id], 0);
	if (run == MAP_FAILED)
		return -errno;
	g->run[id] = run;
	return 0;
}

int snp_vm_new(struct snp_vm *g, size_t len, unsigned int nr_vcpus)
{
	struct kvm_sev_snp_launch_start start = { .policy = 0x30000 };
	struct kvm_create_guest_memfd gmem = { .size = len };
	struct kvm_userspace_memory_region2 region = {
		.flags = KVM_MEM_GUEST_MEMFD, .memory_size = len,
	};
	struct kvm_sev_init init = { 0 };
	unsigned int i;
	int r;

	memset(g, 0, sizeof(*g));
	g->vm = -1;
	g->gmem = -1;
	g->len = len;
	g->shared = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (g->shared == MAP_FAILED) {
		g->shared = NULL;
		return -ENOMEM;
	}
	g->vm = ioctl(kvm_fd, KVM_CREATE_VM, KVM_X86_SNP_VM);
	if (g->vm < 0)
		return -errno;
	r = sev_op(g->vm, KVM_SEV_INIT2, &init);
	if (r)
		return r;
	g->gmem = ioctl(g->vm, KVM_CREATE_GUEST_MEMFD, &gmem);
	if (g->gmem < 0)
		return -errno;
	region.guest_memfd = g->gmem;
	region.userspace_addr = (uintptr_t)g->shared;
	if (ioctl(g->vm, KVM_SET_USER_MEMORY_REGION2, &region))
		return -errno;
	/* before the launch: SNP_LAUNCH_FINISH takes their VMSAs */
	for (i = 0; i < nr_vcpus; i++) {
		r = snp_vcpu_new(g, i);
		if (r)
			return r;
	}
	r = sev_op(g->vm, KVM_SEV_SNP_LAUNCH_START, &start);
	if (!r)
		fw_launches++;
	return r;
}

void snp_vm_free(struct snp_vm *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_vcpus; i++) {
		if (g->run[i])
			munmap(g->run[i], run_size);
		close(g->vcpu[i]);
	}
	if (g->vm >= 0)
		close(g->vm);
	/* after the VM, as upstream: closing it takes the memory from the slot */
	if (g->gmem >= 0)
		close(g->gmem);
	if (g->shared)
		munmap(g->shared, g->len);
	g->vm = -1;
	g->gmem = -1;
	g->shared = NULL;
	g->nr_vcpus = 0;
}

/* One line of sev-psp-sim's sha384_bench: MB/s, or 0 when absent */
static unsigned long kernel_sha384_mbps(void)
{
	unsigned long pages, mbps = 0;
	unsigned long long ns;
	FILE *f;

	f = fopen("/sys/kernel/debug/sev-psp-sim/sha384_bench", "r");
	if (!f)
		return 0;
	if (fscanf(f, "sha384 %lu pages %llu ns %lu MB/s", &pages, &ns,
		   &mbps) != 3)
		mbps = 0;
	fclose(f);
	return mbps;
}

static int bench_snp(size_t mib)
{
	struct kvm_sev_snp_launch_update upd = {
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_memory_attributes attr = {
		.attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE,
	};
	size_t len = mib << 20;
	struct snp_vm g;
	unsigned long sha;
	double t0, secs;
	int r;

	r = snp_vm_new(&g, len, 0);
	attr.size = len;
	if (!r && ioctl(g.vm, KVM_SET_MEMORY_ATTRIBUTES, &attr))
		r = -errno;
	if (r) {
		fprintf(stderr, "snp: %s\n", strerror(-r));
		snp_vm_free(&g);
		return 1;
	}
	memset(g.shared, 0x5a, len);
	upd.uaddr = (uintptr_t)g.shared;
	upd.len = len;
	t0 = now_s();
	do {
		r = sev_op(g.vm, KVM_SEV_SNP_LAUNCH_UPDATE, &upd);
	} while (r == -EAGAIN || (!r && upd.len));
	secs = now_s() - t0;
	sha = kernel_sha384_mbps();
	if (r) {
		fprintf(stderr, "snp: SNP_LAUNCH_UPDATE: %s\n", strerror(-r));
	} else {
		printf("snp       %zu MiB SNP_LAUNCH_UPDATE   %.1f MB/s", mib,
		       len / secs / 1e6);
		if (sha)
			printf("; kernel SHA-384 alone %lu MB/s", sha);
		printf("\n");
	}
	snp_vm_free(&g);
	return !!r;
}

enum {
	SEC_VM		= 1 << 0,
	SEC_UPDATE	= 1 << 1,
	SEC_SNP		= 1 << 2,
	SEC_GUEST_REQ	= 1 << 3,
	SEC_PSC		= 1 << 4,
	SEC_DEFAULT	= SEC_VM | SEC_UPDATE | SEC_SNP,
	SEC_ALL		= SEC_DEFAULT | SEC_GUEST_REQ | SEC_PSC,
};

static const struct {
	const char *name;
	unsigned int mask;
} sections[] = {
	{ "vm", SEC_VM }, { "update", SEC_UPDATE }, { "snp", SEC_SNP },
	{ "guest-req", SEC_GUEST_REQ }, { "psc", SEC_PSC }, { "all", SEC_ALL },
};

/* A comma-separated list of section names: their mask, 0 for a bad one */
static unsigned int parse_sections(char *list)
{
	unsigned int mask = 0, i;
	char *name;

	for (name = strtok(list, ","); name; name = strtok(NULL, ",")) {
		for (i = 0; i < ARRAY_SIZE(sections); i++)
			if (!strcmp(name, sections[i].name))
				break;
		if (i == ARRAY_SIZE(sections))
			return 0;
		mask |= sections[i].mask;
	}
	return mask;
}

static int bad_args(void)
{
	fprintf(stderr,
		"usage: kvm_sev_bench [-s SECTION[,SECTION...]] [-n VCPUS] [-t SECONDS] [CYCLES] [MIB]\n"
		"  sections: vm update snp (the default), guest-req, psc, all\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int mask = 0, m, nr = 0;
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	double secs = 2;
	size_t mib = 16;
	int cycles = 1000, opt, ret = 0;

	while ((opt = getopt(argc, argv, "s:n:t:")) != -1) {
		switch (opt) {
		case 's':
			m = parse_sections(optarg);
			if (!m)
				return bad_args();
			mask |= m;
			break;
		case 'n':
			nr = strtoul(optarg, NULL, 0);
			if (nr < 1 || nr > BENCH_MAX_VCPUS)
				return bad_args();
			break;
		case 't':
			secs = strtod(optarg, NULL);
			if (!(secs > 0))
				return bad_args();
			break;
		default:
			return bad_args();
		}
	}
	if (optind < argc)
		cycles = atoi(argv[optind++]);
	if (optind < argc)
		mib = strtoul(argv[optind++], NULL, 0);
	if (optind < argc)
		return bad_args();
	if (cycles < 1)
		cycles = 1;
	if (!mib)
		mib = 1;
	if (!nr)
		nr = ncpus > 1 ? (ncpus < BENCH_MAX_VCPUS ? ncpus : BENCH_MAX_VCPUS) : 2;
	if (!mask)
		mask = SEC_DEFAULT;

	kvm_fd = open(KVM_SEV_DEV_PATH, O_RDWR);
	if (kvm_fd < 0) {
		fprintf(stderr, "kvm_sev_bench: %s: %s\n", KVM_SEV_DEV_PATH,
			strerror(errno));
		return 1;
	}
	run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	/* guest-req makes its own device: the others want one there */
	if (mask & ~SEC_GUEST_REQ && sev_open())
		return 1;
	if (mask & SEC_VM)
		ret |= bench_vms(cycles);
	if (mask & SEC_UPDATE)
		ret |= bench_update(mib);
	if (mask & SEC_SNP)
		ret |= bench_snp(mib);
	if (mask & SEC_GUEST_REQ)
		ret |= bench_guest_req(nr, secs);
	if (mask & SEC_PSC)
		ret |= bench_psc(mib);
	return ret;
}
