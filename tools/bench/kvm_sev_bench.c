// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_sev_bench: what SEV VMs cost on /dev/kvm-sev.
 *
 * Measures, in one run:
 *   vm-cycle   create an SEV VM, KVM_SEV_INIT2, LAUNCH_START, destroy it:
 *              cycles per second (each destroy is DEACTIVATE and
 *              DECOMMISSION; the freed ASIDs are flushed in batches)
 *   vm-fill    create and launch SEV VMs, keeping them, until the ASIDs
 *              run out (-EBUSY): VMs per second, and how many there were
 *   vm-drain   destroy them all: VMs per second
 *   refill     the first VM after the drain (its allocation flushes every
 *              freed ASID: WBINVD and DF_FLUSH), then the rest
 *   update     LAUNCH_UPDATE_DATA of MIB MiB of VMM memory: MB/s
 *   snp        SNP_LAUNCH_UPDATE of MIB MiB of guest_memfd pages (NORMAL,
 *              measured: two SHA-384 digests a page): MB/s, beside the
 *              kernel's SHA-384 alone, page by page, in the same run
 *              (sev-psp-sim's debugfs sha384_bench, when there)
 *
 * It prints numbers; it passes or fails nothing.
 *
 * usage: kvm_sev_bench [CYCLES] [MIB]
 * (needs /dev/sev: a PSP, or a simulated one)
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

#include <linux/kvm.h>
#include <linux/kvm-sev.h>

#define MAX_VMS	4096

static int kvm_fd, sev_fd;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sev_op(int vm, uint32_t id, void *data)
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

/*
 * The private memory and the SNP launch of an SNP VM: its fd, or -errno.
 * *gmem_fd is the guest_memfd, to be closed after the VM (as upstream,
 * closing it takes the memory from the slot).
 */
static int new_snp_vm(size_t len, void *shared, int *gmem_fd)
{
	struct kvm_sev_snp_launch_start start = { .policy = 0x30000 };
	struct kvm_create_guest_memfd gmem = { .size = len };
	struct kvm_memory_attributes attr = {
		.size = len, .attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE,
	};
	struct kvm_userspace_memory_region2 region = {
		.flags = KVM_MEM_GUEST_MEMFD, .memory_size = len,
		.userspace_addr = (uintptr_t)shared,
	};
	struct kvm_sev_init init = { 0 };
	int vm, fd, r;

	vm = ioctl(kvm_fd, KVM_CREATE_VM, KVM_X86_SNP_VM);
	if (vm < 0)
		return -errno;
	r = sev_op(vm, KVM_SEV_INIT2, &init);
	if (r)
		goto err;
	fd = ioctl(vm, KVM_CREATE_GUEST_MEMFD, &gmem);
	if (fd < 0) {
		r = -errno;
		goto err;
	}
	region.guest_memfd = fd;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &region) ||
	    ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &attr))
		r = -errno;
	if (!r)
		r = sev_op(vm, KVM_SEV_SNP_LAUNCH_START, &start);
	if (!r) {
		*gmem_fd = fd;
		return vm;
	}
	close(fd);
err:
	close(vm);
	return r;
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
	size_t len = mib << 20;
	unsigned long sha;
	double t0, secs;
	int vm, gmem = -1, r;
	void *mem;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	memset(mem, 0x5a, len);
	vm = new_snp_vm(len, mem, &gmem);
	if (vm < 0) {
		fprintf(stderr, "snp: %s\n", strerror(-vm));
		munmap(mem, len);
		return 1;
	}
	upd.uaddr = (uintptr_t)mem;
	upd.len = len;
	t0 = now_s();
	do {
		r = sev_op(vm, KVM_SEV_SNP_LAUNCH_UPDATE, &upd);
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
	close(vm);
	close(gmem);
	munmap(mem, len);
	return !!r;
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 1000;
	size_t mib = argc > 2 ? strtoul(argv[2], NULL, 0) : 16;

	if (cycles < 1)
		cycles = 1;
	if (!mib)
		mib = 1;
	kvm_fd = open(KVM_SEV_DEV_PATH, O_RDWR);
	sev_fd = open("/dev/sev", O_RDWR);
	if (kvm_fd < 0 || sev_fd < 0) {
		fprintf(stderr, "kvm_sev_bench: %s or /dev/sev: %s\n",
			KVM_SEV_DEV_PATH, strerror(errno));
		return 1;
	}
	return bench_vms(cycles) | bench_update(mib) | bench_snp(mib);
}
