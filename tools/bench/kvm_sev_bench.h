/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm_sev_bench's parts: the VMs every section makes (kvm_sev_bench.c),
 * the guest requests (kvm_sev_bench_greq.c) and the crypto they are
 * compared with (kvm_sev_bench_crypto.c), the page state changes
 * (kvm_sev_bench_psc.c).
 */
#ifndef KVM_SEV_BENCH_H
#define KVM_SEV_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>
#include <linux/kvm-sev.h>

#define BENCH_PAGE_SIZE		4096UL
#define BENCH_MAX_VCPUS		64

/* What KVM_RUN returns when the guest would resume: its VMGEXIT handled */
#define BENCH_RESUMED		(-EINTR)

/* /dev/kvm-sev and /dev/sev (-1 until opened) */
extern int kvm_fd, sev_fd;
/*
 * LAUNCH_STARTs of either kind this program has made since sev_fd's
 * device was made or it started: the simulated firmware numbers its
 * launches (and derives their VMPCKs from the numbers) in that order.
 */
extern uint64_t fw_launches;

double now_s(void);
int sev_open(void);
int sev_op(int vm, uint32_t id, void *data);

/*
 * An SNP VM: one guest_memfd slot of @len bytes from GPA 0, its shared
 * side the VMM's memory at @shared, and its vCPUs.
 */
struct snp_vm {
	int vm;
	int gmem;
	uint8_t *shared;
	size_t len;
	unsigned int nr_vcpus;
	int vcpu[BENCH_MAX_VCPUS];
	struct kvm_run *run[BENCH_MAX_VCPUS];
};

/* Made, its vCPUs too, and SNP_LAUNCH_START: 0 or -errno */
int snp_vm_new(struct snp_vm *g, size_t len, unsigned int nr_vcpus);
void snp_vm_free(struct snp_vm *g);

/* The guest's WRMSR of its GHCB MSR, then KVM_RUN: KVM_RUN's result */
int vmgexit(int vcpu, uint64_t msr);
/* The GHCB at @gpa registered (the MSR protocol): 0 or -errno */
int ghcb_register(int vcpu, uint64_t gpa);

/* The sections, each 0 or 1 (something failed; said on stderr) */
int bench_guest_req(unsigned int nr, double secs);
int bench_psc(size_t mib);
/* OpenSSL's cost of what the firmware does per report: ops/s */
struct crypto_rates {
	double sign;		/* ECDSA P-384 with SHA-384, a report */
	double seal;		/* AES-256-GCM, a report response */
};

int bench_report_crypto(double secs, struct crypto_rates *r);

#endif /* KVM_SEV_BENCH_H */
