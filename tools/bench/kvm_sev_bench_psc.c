// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_sev_bench's psc section: SNP page state changes through the GHCB
 * (SVM_VMGEXIT_PSC), the program playing the guest as sev_psc_test does:
 * descriptors of 253 entries at most (the GHCB's shared buffer) built
 * with the guest library, over a range of MIB MiB made private, then
 * shared, with 4 KiB entries and then with 2 MiB entries. Each run of
 * adjacent entries is a KVM_HC_MAP_GPA_RANGE exit that the program, as
 * the VMM, answers: the range's memory attributes set, ret 0. The rate
 * counts all of it: the VMGEXITs, the exits, the attributes, the
 * guest_memfd pages assigned in the RMP (to private) or freed (to
 * shared).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <asm/kvm_para.h>
#include <linux/kvm_para.h>

#include "kvm_sev_bench.h"
#include "snp_guest_lib.h"

/* Not GPA 0: KVM takes a GHCB MSR of 0 as no GHCB, as upstream */
#define GHCB_GPA	BENCH_PAGE_SIZE
#define RANGE_GPA	(2ULL << 20)	/* 2 MiB aligned, for 2 MiB entries */
#define GFN_2M		512

/* One phase's count */
struct psc_phase {
	uint64_t pages;
	unsigned long exits;
	double secs;
};

/* The VMM's answer to the exit KVM_RUN gave: 0 or -errno */
static int vmm_map_gpa_range(struct snp_vm *g)
{
	struct kvm_run *run = g->run[0];
	struct kvm_memory_attributes attr = { 0 };

	if (run->exit_reason != KVM_EXIT_HYPERCALL ||
	    run->hypercall.nr != KVM_HC_MAP_GPA_RANGE)
		return -EPROTO;
	attr.address = run->hypercall.args[0];
	attr.size = run->hypercall.args[1] * BENCH_PAGE_SIZE;
	if (run->hypercall.args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED)
		attr.attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE;
	if (ioctl(g->vm, KVM_SET_MEMORY_ATTRIBUTES, &attr))
		return -errno;
	run->hypercall.ret = 0;
	return 0;
}

/* One descriptor sent and its exits answered, all entries done: 0 or -errno */
static int psc_send(struct snp_vm *g, const struct psc_buf *buf,
		    struct psc_phase *ph)
{
	struct ghcb *ghcb = (struct ghcb *)(g->shared + GHCB_GPA);
	struct snp_psc_desc d;
	int r;

	ghcb_init(ghcb, 2);
	ghcb_set_psc(ghcb, GHCB_GPA, buf);
	for (r = vmgexit(g->vcpu[0], GHCB_GPA); !r;
	     r = ioctl(g->vcpu[0], KVM_RUN, 0) ? -errno : 0) {
		r = vmm_map_gpa_range(g);
		if (r)
			return r;
		ph->exits++;
	}
	if (r != BENCH_RESUMED)
		return r;
	ghcb_get_psc(ghcb, &d);
	if (ghcb_exit_info_1(ghcb) || ghcb_exit_info_2(ghcb) ||
	    psc_cur_entry(&d) != buf->nr) {
		fprintf(stderr, "psc: SW_EXITINFO1 %#llx SW_EXITINFO2 %#llx, entry %u of %u\n",
			(unsigned long long)ghcb_exit_info_1(ghcb),
			(unsigned long long)ghcb_exit_info_2(ghcb),
			psc_cur_entry(&d), buf->nr);
		return -EIO;
	}
	return 0;
}

/* @npages from @gfn to @op, entries of @size: 0 or -errno */
static int psc_range(struct snp_vm *g, uint64_t gfn, uint64_t npages,
		     unsigned int op, unsigned int size, struct psc_phase *ph)
{
	unsigned int step = size == RMP_PG_SIZE_2M ? GFN_2M : 1;
	uint64_t end = gfn + npages;
	struct psc_buf buf;
	double t0 = now_s();
	int r = 0;

	memset(ph, 0, sizeof(*ph));
	while (gfn < end && !r) {
		psc_init(&buf);
		while (gfn < end && psc_add(&buf, gfn, op, size) >= 0)
			gfn += step;
		r = psc_send(g, &buf, ph);
	}
	ph->pages = npages;
	ph->secs = now_s() - t0;
	return r;
}

int bench_psc(size_t mib)
{
	static const struct {
		unsigned int size;
		const char *name;
	} sizes[] = {
		{ RMP_PG_SIZE_4K, "4 KiB" }, { RMP_PG_SIZE_2M, "2 MiB" },
	};
	uint64_t npages = ((mib + 1) & ~(size_t)1) << 8;
	struct psc_phase priv, shared;
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_EXIT_HYPERCALL,
		.args[0] = 1ULL << KVM_HC_MAP_GPA_RANGE,
	};
	struct kvm_sev_snp_launch_finish finish = { 0 };
	struct snp_vm g;
	unsigned int i;
	int r;

	r = snp_vm_new(&g, RANGE_GPA + npages * BENCH_PAGE_SIZE, 1);
	if (!r && ioctl(g.vm, KVM_ENABLE_CAP, &cap))
		r = -errno;
	r = r ?: sev_op(g.vm, KVM_SEV_SNP_LAUNCH_FINISH, &finish);
	r = r ?: ghcb_register(g.vcpu[0], GHCB_GPA);
	for (i = 0; i < 2 && !r; i++) {
		r = psc_range(&g, RANGE_GPA >> 12, npages, SNP_PAGE_STATE_PRIVATE,
			      sizes[i].size, &priv);
		r = r ?: psc_range(&g, RANGE_GPA >> 12, npages,
				   SNP_PAGE_STATE_SHARED, sizes[i].size,
				   &shared);
		if (r)
			break;
		printf("psc       %llu MiB, %s entries: to private %.0f pages/s,",
		       (unsigned long long)npages >> 8, sizes[i].name,
		       priv.pages / priv.secs);
		printf(" to shared %.0f pages/s (%lu and %lu exits)\n",
		       shared.pages / shared.secs, priv.exits, shared.exits);
	}
	if (r)
		fprintf(stderr, "psc: %s\n", strerror(-r));
	snp_vm_free(&g);
	return !!r;
}
