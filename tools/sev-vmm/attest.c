// SPDX-License-Identifier: GPL-2.0
/*
 * sev-vmm --attest, the guest's half: what a guest kernel's sev-guest
 * driver does for its first extended attestation report, played here
 * because no guest instruction runs on /dev/kvm-sev.
 *
 *  1. VMPCK0 from the secrets page the firmware filled at launch, read as
 *     the guest reads it (kvm-sev's debugfs private_mem: the guest's view
 *     of its private memory, which a VMM never has);
 *  2. the GHCB registered at a shared page (GHCB_MSR_REG_GPA_REQ);
 *  3. MSG_REPORT_REQ sealed with a fresh nonce and sent as an extended
 *     guest request with no certificate pages: INVALID_LEN and the pages
 *     needed; the same sealed message sent again with that many, as the
 *     driver does (a message is never resealed: its IV would repeat);
 *  4. the response opened, and the report with the certificates handed
 *     to the guest owner's check (attest-verify.c).
 *
 * The VMM's half is here too: with --vmm-certs, KVM_RUN stops with
 * KVM_EXIT_SNP_REQ_CERTS and the table is written into the guest's pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/kvm-sev.h>

#include "snp_guest_lib.h"
#include "attest.h"

#define MSR_AMD64_SEV_ES_GHCB	0xc0010130
#define GHCB_MSR_REG_GPA_REQ	0x012ULL
#define GHCB_MSR_REG_GPA_RESP	0x013ULL
#define GHCB_PROTOCOL_MAX	2

/* The guest's shared pages: RAM below OVMF's SEV sections at 8 MiB */
#define GHCB_GPA		0x100000ULL
#define REQ_GPA			0x101000ULL
#define RESP_GPA		0x102000ULL
#define CERTS_GPA		0x110000ULL
#define CERTS_MAX_PAGES		16ULL
#define SHARED_END		(CERTS_GPA + CERTS_MAX_PAGES * GHCB_PAGE_SIZE)

#define DEBUGFS_KVM_SEV		"/sys/kernel/debug/kvm-sev"

struct guest {
	const struct attest *a;
	struct kvm_run *run;
	struct snp_guest_chan chan;
};

static void *gpa_to_hva(const struct guest *g, uint64_t gpa)
{
	return g->a->ram + gpa;
}

static int ghcb_msr(const struct guest *g, unsigned long req, uint64_t *val)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {
		.hdr.nmsrs = 1,
		.e = { .index = MSR_AMD64_SEV_ES_GHCB, .data = *val },
	};

	if (ioctl(g->a->vcpu_fd, req, &m) != 1)
		return -1;
	*val = m.e.data;
	return 0;
}

/*
 * The VMM's answer to KVM_EXIT_SNP_REQ_CERTS: the table into the guest's
 * pages, or ENOSPC and the pages it needs. The GPA and count are the
 * guest's: checked against the VMM's own RAM before it writes there.
 */
static void vmm_answer_certs(struct guest *g)
{
	struct kvm_exit_snp_req_certs *rc = kvm_run_snp_req_certs(g->run);
	uint64_t need = (g->a->vmm_certs_len + GHCB_PAGE_SIZE - 1) /
			GHCB_PAGE_SIZE;

	printf("VMM: KVM_EXIT_SNP_REQ_CERTS: %llu pages at GPA %#llx\n",
	       (unsigned long long)rc->npages, (unsigned long long)rc->gpa);
	if (rc->npages < need) {
		rc->ret = ENOSPC;
		rc->npages = need;
		return;
	}
	if (rc->gpa >= g->a->ram_size ||
	    rc->npages > (g->a->ram_size - rc->gpa) / GHCB_PAGE_SIZE) {
		rc->ret = EIO;
		return;
	}
	memset(gpa_to_hva(g, rc->gpa), 0, rc->npages * GHCB_PAGE_SIZE);
	memcpy(gpa_to_hva(g, rc->gpa), g->a->vmm_certs, g->a->vmm_certs_len);
	rc->ret = 0;
}

/*
 * VMGEXIT with the GHCB as built: KVM_RUN until the guest would resume
 * (-EINTR), the VMM answering the exits it must. 0, or -1 said why.
 */
static int vmgexit(struct guest *g)
{
	uint64_t msr = GHCB_GPA;

	if (ghcb_msr(g, KVM_SET_MSRS, &msr)) {
		perror("guest: KVM_SET_MSRS (GHCB MSR)");
		return -1;
	}
	for (;;) {
		if (ioctl(g->a->vcpu_fd, KVM_RUN, 0)) {
			if (errno == EINTR)
				return 0;
			perror("guest: KVM_RUN");
			return -1;
		}
		if (g->run->exit_reason != KVM_EXIT_SNP_REQ_CERTS) {
			fprintf(stderr, "guest: KVM_RUN: unexpected exit %u\n",
				g->run->exit_reason);
			return -1;
		}
		vmm_answer_certs(g);
	}
}

/* VMPCK0, from the secrets page as the guest sees it */
static int read_vmpck0(struct guest *g)
{
	static uint8_t secrets[GHCB_PAGE_SIZE];
	char path[128];
	ssize_t n;
	int fd, r;

	snprintf(path, sizeof(path), DEBUGFS_KVM_SEV "/%d-%d/private_mem",
		 getpid(), g->a->vm_fd);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "guest: %s: %s (kvm-sev's guest view; debugfs mounted?)\n",
			path, strerror(errno));
		return -1;
	}
	n = pread(fd, secrets, sizeof(secrets), g->a->secrets_gpa);
	close(fd);
	if (n != sizeof(secrets)) {
		fprintf(stderr, "guest: the secrets page at GPA %#llx: %s\n",
			(unsigned long long)g->a->secrets_gpa,
			n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	r = snp_guest_chan_from_secrets(&g->chan, secrets, 0);
	printf("guest: VMPCK0 from the secrets page at GPA %#llx (version %u)\n",
	       (unsigned long long)g->a->secrets_gpa,
	       ((struct sev_psp_secrets_page *)secrets)->version);
	memset(secrets, 0, sizeof(secrets));
	return r ? -1 : 0;
}

static int register_ghcb(struct guest *g)
{
	uint64_t msr = GHCB_MSR_REG_GPA_REQ | GHCB_GPA;

	if (ghcb_msr(g, KVM_SET_MSRS, &msr) ||
	    !(ioctl(g->a->vcpu_fd, KVM_RUN, 0) && errno == EINTR) ||
	    ghcb_msr(g, KVM_GET_MSRS, &msr) ||
	    msr != (GHCB_MSR_REG_GPA_RESP | GHCB_GPA)) {
		fprintf(stderr, "guest: GHCB registration at %#llx refused (MSR %#llx)\n",
			GHCB_GPA, (unsigned long long)msr);
		return -1;
	}
	printf("guest: GHCB registered at GPA %#llx\n", GHCB_GPA);
	return 0;
}

/* The extended request of the sealed message, with @npages: its answer */
static int ext_request(struct guest *g, uint64_t npages, uint64_t *info2,
		       uint64_t *rbx)
{
	struct ghcb *ghcb = gpa_to_hva(g, GHCB_GPA);

	ghcb_init(ghcb, GHCB_PROTOCOL_MAX);
	ghcb_set_ext_guest_request(ghcb, REQ_GPA, RESP_GPA, CERTS_GPA, npages);
	if (vmgexit(g))
		return -1;
	if (ghcb_exit_info_1(ghcb)) {
		fprintf(stderr, "guest: the GHCB exit failed: info 1 %#llx, info 2 %#llx\n",
			(unsigned long long)ghcb_exit_info_1(ghcb),
			(unsigned long long)ghcb_exit_info_2(ghcb));
		return -1;
	}
	*info2 = ghcb_exit_info_2(ghcb);
	*rbx = ghcb_get_rbx(ghcb);
	return 0;
}

static void save(const char *dir, const char *name, const void *buf,
		 size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		fprintf(stderr, "attest: cannot write %s\n", path);
}

static int attest_exchange(struct guest *g)
{
	static struct sev_psp_report_rsp rsp;
	uint8_t nonce[64];
	uint64_t info2, pages;
	int len;

	if (getrandom(nonce, sizeof(nonce), 0) != sizeof(nonce)) {
		perror("guest: getrandom");
		return 1;
	}
	if (snp_msg_report_req(&g->chan, nonce, 0, gpa_to_hva(g, REQ_GPA))) {
		fprintf(stderr, "guest: cannot seal MSG_REPORT_REQ\n");
		return 1;
	}

	/* how many pages the certificates take: asked with none */
	if (ext_request(g, 0, &info2, &pages))
		return 1;
	if (info2 >> 32 != SNP_GUEST_VMM_ERR_INVALID_LEN || !pages ||
	    pages > CERTS_MAX_PAGES) {
		fprintf(stderr,
			"guest: no certificate pages: info 2 %#llx, RBX %llu (want INVALID_LEN and 1 to %llu pages)\n",
			(unsigned long long)info2, (unsigned long long)pages,
			CERTS_MAX_PAGES);
		return 1;
	}
	printf("guest: extended request with no certificate pages: INVALID_LEN, %llu page%s\n",
	       (unsigned long long)pages, pages > 1 ? "s" : "");

	/* the same sealed message again: its sequence number was not used */
	if (ext_request(g, pages, &info2, &pages))
		return 1;
	if (info2) {
		fprintf(stderr,
			"guest: extended request resent: VMM error %#llx, firmware error %#llx\n",
			(unsigned long long)(info2 >> 32),
			(unsigned long long)(info2 & 0xffffffff));
		return 1;
	}
	len = snp_msg_open(&g->chan, gpa_to_hva(g, RESP_GPA),
			   SNP_MSG_REPORT_RSP, &rsp, sizeof(rsp));
	if (len != sizeof(rsp) || le32toh(rsp.status)) {
		fprintf(stderr, "guest: the response does not open (%d) or says %#x\n",
			len, le32toh(rsp.status));
		return 1;
	}
	printf("guest: the message resent with %llu page%s: report and certificates (seqno %llu)\n",
	       (unsigned long long)pages, pages > 1 ? "s" : "",
	       (unsigned long long)g->chan.seqno - 1);
	if (g->a->out_dir) {
		save(g->a->out_dir, "report.bin", &rsp.report,
		     sizeof(rsp.report));
		save(g->a->out_dir, "certs.bin", gpa_to_hva(g, CERTS_GPA),
		     pages * GHCB_PAGE_SIZE);
	}
	return attest_verify(g->a, &rsp.report, nonce,
			     gpa_to_hva(g, CERTS_GPA), pages * GHCB_PAGE_SIZE);
}

int guest_attest(const struct attest *a)
{
	struct guest g = { .a = a };
	int size, ret;

	if (a->ram_size < SHARED_END) {
		fprintf(stderr, "attest: the guest's shared pages need RAM up to %#llx\n",
			SHARED_END);
		return 1;
	}
	size = ioctl(a->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	g.run = size > 0 ? mmap(NULL, size, PROT_READ | PROT_WRITE,
				MAP_SHARED, a->vcpu_fd, 0) : MAP_FAILED;
	if (g.run == MAP_FAILED) {
		perror("attest: the vCPU's struct kvm_run");
		return 1;
	}
	if (a->out_dir && mkdir(a->out_dir, 0755) && errno != EEXIST) {
		perror("attest: --attest-dir");
		return 1;
	}
	ret = read_vmpck0(&g) || register_ghcb(&g) ? 1 : attest_exchange(&g);
	snp_guest_chan_wipe(&g.chan);
	munmap(g.run, size);
	return ret;
}
