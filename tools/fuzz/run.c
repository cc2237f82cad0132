// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_RUN with a hostile guest. No guest instruction runs under kvm-sev:
 * a vCPU "runs" by performing the VMGEXIT its GHCB MSR describes, so the
 * fuzzer plays the guest (with the selftests' guest library,
 * tools/selftests/kvm/snp_guest_lib.h) and writes what a malicious one
 * could:
 *
 *   - GHCB MSR protocol requests (SEV information, CPUID, AP reset hold,
 *     preferred and registered GHCB GPA, page state change, hypervisor
 *     features, termination) with random fields, and random MSR values;
 *   - GHCB pages in the VM's shared memory: a protocol version and usage,
 *     an exit code (every one kvm-sev knows and some it does not), exit
 *     information and registers for it, mostly as a guest fills them,
 *     then sometimes a valid bitmap with a bit missing or random, and a
 *     scratch pointer inside the shared buffer, elsewhere in guest
 *     memory, straddling a page or nowhere;
 *   - page state change descriptors with random headers (cur_entry past
 *     end_entry, end_entry past the maximum) and entries (any GFN,
 *     operation, size and cur_page);
 *   - SNP guest requests whose message pages are sealed with a key the
 *     firmware does not have (so the firmware sees a well-formed message
 *     and refuses it), random, or in the wrong place.
 *
 * An exit to userspace is answered as a VMM would (memory attributes for
 * KVM_HC_MAP_GPA_RANGE, data for port and MMIO reads, certificates), or
 * wrongly, or not at all; kvm_run itself is sometimes scribbled over.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "sev_fuzz.h"
#include "snp_guest_lib.h"

#define MSR_GHCB		0xc0010130
#define GHCB_MSR_SEV_INFO_REQ	0x002
#define GHCB_MSR_CPUID_REQ	0x004
#define GHCB_MSR_AP_RESET_HOLD_REQ 0x006
#define GHCB_MSR_PREF_GPA_REQ	0x010
#define GHCB_MSR_REG_GPA_REQ	0x012
#define GHCB_MSR_PSC_REQ	0x014
#define GHCB_MSR_HV_FT_REQ	0x080
#define GHCB_MSR_TERM_REQ	0x100

#define KVM_HC_MAP_GPA_RANGE_NR	12
#define MAP_GPA_RANGE_ENCRYPTED	BIT_ULL(4)

/* SVM intercept codes a guest turns into VMGEXITs */
#define EXIT_READ_DR7		0x027
#define EXIT_WRITE_DR7		0x037
#define EXIT_RDTSC		0x06e
#define EXIT_RDPMC		0x06f
#define EXIT_CPUID		0x072
#define EXIT_INVD		0x076
#define EXIT_IOIO		0x07b
#define EXIT_MSR		0x07c
#define EXIT_VMMCALL		0x081
#define EXIT_RDTSCP		0x087
#define EXIT_WBINVD		0x089
#define EXIT_MONITOR		0x08a
#define EXIT_MWAIT		0x08b

#define GFN(gpa)		((gpa) >> 12)
#define PRIV_PAGES		(FZ_PRIV_SIZE / PAGE_SIZE)
#define REQ_GPA			(FZ_MEM_GPA + 2 * PAGE_SIZE)
#define RESP_GPA		(FZ_MEM_GPA + 3 * PAGE_SIZE)
#define CERTS_GPA		(FZ_MEM_GPA + 4 * PAGE_SIZE)

int fz_ghcb_msr_write(struct fz_thread *t, enum fz_family family, int vcpu,
		      uint64_t val)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {
		.hdr.nmsrs = 1,
		.e = { .index = MSR_GHCB, .data = val },
	};

	return fz_ioctl(t, family, "SET_MSRS(GHCB)", vcpu, KVM_SET_MSRS, &m,
			NULL, false);
}

/* A GFN: mostly of the VM's private memory, else shared, else anything */
static uint64_t pick_gfn(struct fz_thread *t)
{
	unsigned int r = fz_below(t, 10);

	if (r < 7)
		return GFN(FZ_PRIV_GPA) + fz_below(t, PRIV_PAGES);
	if (r < 9)
		return GFN(FZ_MEM_GPA) + fz_below(t, FZ_MEM_PAGES + 1);
	return fz_rand64(&t->rng) & ((1ULL << 40) - 1);
}

/* A GPA for the guest to hand over: page-aligned in its memory, mostly */
static uint64_t pick_gpa(struct fz_thread *t, uint64_t good)
{
	switch (fz_below(t, 12)) {
	case 0:
		return good + 1 + fz_below(t, PAGE_SIZE - 1);	/* unaligned */
	case 1:
		return FZ_PRIV_GPA + fz_below(t, PRIV_PAGES) * PAGE_SIZE;
	case 2:
		return FZ_GHCB_GPA;
	case 3:
		return FZ_MEM_GPA + FZ_MEM_PAGES * PAGE_SIZE;	/* no memory */
	case 4:
		return fz_rand64(&t->rng);
	default:
		return good;
	}
}

static uint64_t msr_request(struct fz_thread *t)
{
	static const uint32_t fns[] = {
		0, 1, 7, 0xd, 0x40000000, 0x80000000, 0x8000001f, 0xffffffff,
	};
	uint64_t gfn;

	switch (fz_below(t, 20)) {
	case 0:
		fz_note(t, "msr=SEV_INFO");
		return GHCB_MSR_SEV_INFO_REQ | (fz_rand64(&t->rng) & ~0xfffULL) *
		       fz_below(t, 2);
	case 1:
	case 2:
		fz_note(t, "msr=CPUID");
		return (uint64_t)FZ_PICK(t, fns) << 32 |
		       fz_below(t, 4) << 30 | GHCB_MSR_CPUID_REQ;
	case 3:
		fz_note(t, "msr=AP_RESET_HOLD");
		return GHCB_MSR_AP_RESET_HOLD_REQ;
	case 4:
		fz_note(t, "msr=PREF_GPA");
		return GHCB_MSR_PREF_GPA_REQ;
	case 5:
	case 6:
		/* mostly the GHCB it has: the other requests need it */
		gfn = fz_chance(t, 70) ? GFN(FZ_GHCB_GPA) : pick_gfn(t);
		fz_note(t, "msr=REG_GPA gfn=%#llx", (unsigned long long)gfn);
		return gfn << 12 | GHCB_MSR_REG_GPA_REQ;
	case 7:
	case 8:
	case 9:
	case 10:
	case 11:
		gfn = pick_gfn(t);
		fz_note(t, "msr=PSC gfn=%#llx", (unsigned long long)gfn);
		return (uint64_t)(fz_chance(t, 85) ? 1 + fz_below(t, 2) :
				  fz_below(t, 16)) << 52 | gfn << 12 |
		       GHCB_MSR_PSC_REQ;
	case 12:
		fz_note(t, "msr=HV_FT");
		return GHCB_MSR_HV_FT_REQ;
	case 13:
		fz_note(t, "msr=TERM");
		return GHCB_MSR_TERM_REQ | (fz_rand64(&t->rng) & ~0xfffULL);
	case 14:
	case 15:
		fz_note(t, "msr=code");
		return (fz_rand64(&t->rng) & ~0xfffULL) | fz_below(t, 0x1000);
	default:
		fz_note(t, "msr=random");
		return fz_rand64(&t->rng);
	}
}

/* A page state change descriptor in the GHCB's shared buffer */
static void psc_exit(struct fz_thread *t, struct ghcb *ghcb)
{
	struct psc_buf buf;
	unsigned int n, i;
	uint64_t gfn;

	psc_init(&buf);
	n = fz_chance(t, 80) ? 1 + fz_below(t, 8) : 1 + fz_below(t, VMGEXIT_PSC_MAX_COUNT);
	gfn = pick_gfn(t);
	for (i = 0; i < n; i++) {
		/* runs of neighbours, which KVM merges, and strays */
		if (fz_chance(t, 30))
			gfn = pick_gfn(t);
		else
			gfn++;
		psc_add(&buf, gfn & ((1ULL << 40) - 1),
			fz_chance(t, 85) ? 1 + fz_below(t, 2) : fz_below(t, 16),
			fz_chance(t, 85) ? 0 : 1);
		if (fz_chance(t, 5))
			buf.desc.entries[i].cur_page = fz_below(t, 4096);
		if (fz_chance(t, 3))
			buf.desc.entries[i].reserved = 1 + fz_below(t, 127);
	}
	switch (fz_below(t, 10)) {
	case 0:
		buf.desc.hdr.cur_entry = fz_below(t, 0x10000);
		break;
	case 1:
		buf.desc.hdr.end_entry = fz_below(t, 0x10000);
		break;
	case 2:
		buf.desc.hdr.reserved = fz_rand64(&t->rng);
		break;
	case 3:
		buf.desc.hdr.cur_entry = fz_below(t, n + 1);
		break;
	}
	fz_note(t, "ghcb=PSC n=%u cur=%u end=%u", n, buf.desc.hdr.cur_entry,
		buf.desc.hdr.end_entry);
	ghcb_set_psc(ghcb, FZ_GHCB_GPA, &buf);
}

/*
 * An SNP guest message in @page: sealed under a VMPCK the firmware does
 * not have (the header well-formed, the tag wrong), random, or empty.
 */
static void guest_msg(struct fz_thread *t, void *page)
{
	uint8_t key[SNP_MSG_VMPCK_LEN], payload[128];
	unsigned int r = fz_below(t, 4);

	if (r < 2) {
		fz_fill(t, key, sizeof(key));
		fz_fill(t, payload, sizeof(payload));
		if (!snp_msg_encrypt(page, key, fz_below(t, 5),
				     1 + fz_below(t, 4), 1 + fz_below(t, 7),
				     payload, fz_below(t, sizeof(payload) + 1)))
			return;
	}
	if (r < 3)
		fz_fill(t, page, PAGE_SIZE);
	else
		memset(page, 0, PAGE_SIZE);
}

static void guest_request_exit(struct fz_thread *t, struct fz_vm *vm,
			       struct ghcb *ghcb, bool ext)
{
	uint64_t req = pick_gpa(t, REQ_GPA), resp = pick_gpa(t, RESP_GPA);

	guest_msg(t, vm->mem + (REQ_GPA - FZ_MEM_GPA));
	if (!ext) {
		fz_note(t, "ghcb=GUEST_REQUEST");
		ghcb_set_guest_request(ghcb, req, resp);
		return;
	}
	fz_note(t, "ghcb=EXT_GUEST_REQUEST");
	ghcb_set_ext_guest_request(ghcb, req, resp, pick_gpa(t, CERTS_GPA),
				   fz_chance(t, 80) ? fz_below(t, 10) :
				   fz_rand64(&t->rng));
}

/* The exit code and its inputs, as a guest fills them (mostly): the code */
static uint64_t ghcb_exit(struct fz_thread *t, struct fz_vm *vm,
			  struct ghcb *ghcb)
{
	static const uint64_t simple[] = {
		EXIT_READ_DR7, EXIT_RDTSC, EXIT_RDTSCP, EXIT_INVD, EXIT_WBINVD,
		EXIT_RDPMC, EXIT_MONITOR, EXIT_MWAIT, SVM_VMGEXIT_NMI_COMPLETE,
		SVM_VMGEXIT_AP_HLT_LOOP, SVM_VMGEXIT_HV_FEATURES,
		SVM_VMGEXIT_UNSUPPORTED_EVENT, 0, 0x400, 0x80000006,
		0x8000fffc, ~0ULL,
	};
	static const uint32_t ports[] = { 0x80, 0x3f8, 0xcf8, 0xcfc, 0, 0xffff };
	uint64_t info1 = 0, info2 = 0, code;

	switch (fz_below(t, 24)) {
	case 0:
	case 1:
		code = EXIT_CPUID;
		ghcb_set_rax(ghcb, fz_chance(t, 80) ? fz_below(t, 0xe) :
			     fz_rand64(&t->rng));
		ghcb_set_rcx(ghcb, fz_below(t, 3));
		if (fz_chance(t, 50))
			ghcb_set_xcr0(ghcb, fz_chance(t, 80) ? 7 : fz_rand64(&t->rng));
		if (fz_chance(t, 20))
			ghcb_set_xss(ghcb, fz_rand64(&t->rng));
		break;
	case 2:
	case 3:
		code = EXIT_IOIO;
		/* port, size (1, 2, 4 bytes), IN, string, REP */
		info1 = (uint64_t)FZ_PICK(t, ports) << 16 |
			(0x10ULL << fz_below(t, 3)) | fz_below(t, 2) |
			(fz_chance(t, 30) ? 0xc : 0);
		if (fz_chance(t, 10))
			info1 = fz_rand64(&t->rng);
		info2 = fz_chance(t, 80) ? 1 + fz_below(t, 64) : fz_rand64(&t->rng);
		ghcb_set_rax(ghcb, fz_rand64(&t->rng));
		break;
	case 4:
		code = EXIT_MSR;
		info1 = fz_below(t, 3);
		ghcb_set_rcx(ghcb, fz_chance(t, 50) ? MSR_GHCB : fz_rand64(&t->rng) &
			     0xffffffff);
		ghcb_set_rax(ghcb, fz_rand64(&t->rng));
		ghcb_set_rdx(ghcb, fz_rand64(&t->rng));
		break;
	case 5:
	case 6:
		code = EXIT_VMMCALL;
		ghcb_set_rax(ghcb, fz_chance(t, 70) ? KVM_HC_MAP_GPA_RANGE_NR :
			     fz_below(t, 16));
		ghcb_set_rbx(ghcb, pick_gfn(t) << 12);
		ghcb_set_rcx(ghcb, fz_chance(t, 80) ? 1 + fz_below(t, 8) :
			     fz_rand64(&t->rng));
		ghcb_set_rdx(ghcb, fz_chance(t, 80) ?
			     MAP_GPA_RANGE_ENCRYPTED * fz_below(t, 2) :
			     fz_rand64(&t->rng));
		ghcb_set_cpl(ghcb, fz_chance(t, 90) ? 0 : 3);
		break;
	case 7:
		code = EXIT_WRITE_DR7;
		ghcb_set_rax(ghcb, fz_rand64(&t->rng));
		break;
	case 8:
	case 9:
		code = fz_chance(t, 50) ? SVM_VMGEXIT_MMIO_READ :
		       SVM_VMGEXIT_MMIO_WRITE;
		info1 = fz_chance(t, 70) ? 0xfee00000 + fz_below(t, PAGE_SIZE) :
			pick_gpa(t, FZ_MEM_GPA + 5 * PAGE_SIZE);
		info2 = fz_chance(t, 80) ? 1ULL << fz_below(t, 4) :
			fz_chance(t, 50) ? fz_below(t, 0x1000) : fz_rand64(&t->rng);
		break;
	case 10:
		code = SVM_VMGEXIT_AP_JUMP_TABLE;
		info1 = fz_chance(t, 90) ? fz_below(t, 2) : fz_rand64(&t->rng);
		info2 = fz_rand64(&t->rng);
		break;
	case 11:
	case 12:
	case 13:
		psc_exit(t, ghcb);
		return SVM_VMGEXIT_PSC;
	case 14:
	case 15:
	case 16:
		guest_request_exit(t, vm, ghcb, false);
		return SVM_VMGEXIT_GUEST_REQUEST;
	case 17:
	case 18:
		guest_request_exit(t, vm, ghcb, true);
		return SVM_VMGEXIT_EXT_GUEST_REQUEST;
	case 19:
	case 20:
		code = SVM_VMGEXIT_AP_CREATION;
		/* the APIC ID above, the request below: create, destroy... */
		info1 = (fz_chance(t, 80) ? 1ULL : fz_below(t, 4)) << 32 |
			(fz_chance(t, 85) ? fz_below(t, 3) : fz_below(t, 0x10000));
		info2 = fz_chance(t, 80) ?
			FZ_PRIV_GPA + fz_below(t, PRIV_PAGES) * PAGE_SIZE :
			pick_gpa(t, FZ_PRIV_GPA);
		ghcb_set_rax(ghcb, fz_chance(t, 70) ? 1 : fz_rand64(&t->rng));
		break;
	case 21:
		code = SVM_VMGEXIT_TERM_REQUEST;
		info1 = fz_rand64(&t->rng);
		break;
	default:
		code = FZ_PICK(t, simple);
		info1 = fz_rand64(&t->rng) * fz_below(t, 2);
		info2 = fz_rand64(&t->rng) * fz_below(t, 2);
		break;
	}
	fz_note(t, "ghcb=%#llx", (unsigned long long)code);
	ghcb_set_exit(ghcb, code, info1, info2);
	/* exits that take a scratch area: the shared buffer mostly */
	if (fz_chance(t, 60))
		ghcb_set_sw_scratch(ghcb, ghcb_shared_buffer_gpa(FZ_GHCB_GPA) +
				    fz_below(t, 64) * 8);
	return code;
}

/*
 * A guest request's answer came from the firmware: KVM answered it
 * (SW_EXITINFO1 0) with a firmware status, or with no VMM error either.
 */
static bool guest_request_reached_fw(const struct ghcb *ghcb)
{
	return !ghcb_exit_info_1(ghcb) &&
	       (ghcb_guest_request_fw_error(ghcb) ||
		!ghcb_guest_request_vmm_error(ghcb));
}

/* What the guest left to be wrong about: bitmap, scratch, version, usage */
static void ghcb_damage(struct fz_thread *t, struct ghcb *ghcb)
{
	unsigned int bit;

	switch (fz_below(t, 16)) {
	case 0:
		do {	/* one input missing */
			bit = fz_below(t, 128);
		} while (!ghcb_bit_is_set(ghcb, bit) && fz_chance(t, 95));
		ghcb->save.valid_bitmap[bit / 8] &= ~(1U << (bit % 8));
		fz_note(t, "clear-bit=%u", bit);
		break;
	case 1:
		fz_fill(t, ghcb->save.valid_bitmap, sizeof(ghcb->save.valid_bitmap));
		fz_note(t, "bitmap=random");
		break;
	case 2:
		ghcb_set_sw_scratch(ghcb, fz_chance(t, 50) ?
				    pick_gpa(t, FZ_MEM_GPA + 5 * PAGE_SIZE) :
				    FZ_GHCB_GPA + PAGE_SIZE - fz_below(t, 64));
		fz_note(t, "scratch=moved");
		break;
	case 3:
		ghcb->protocol_version = fz_below(t, 4);
		fz_note(t, "version=%u", ghcb->protocol_version);
		break;
	case 4:
		ghcb->ghcb_usage = fz_below(t, 3);
		fz_note(t, "usage=%u", ghcb->ghcb_usage);
		break;
	case 5:
		/* any register the guest may set */
		bit = fz_below(t, offsetof(struct ghcb_save_area, valid_bitmap) / 8);
		ghcb_store(ghcb, bit * 8, fz_rand64(&t->rng));
		fz_note(t, "reg=random");
		break;
	}
}

/* The VMM's side of an exit to userspace: right, wrong, or nothing */
static void answer_exit(struct fz_thread *t, struct fz_vm *vm,
			struct kvm_run *run)
{
	struct kvm_memory_attributes attr;
	struct kvm_exit_snp_req_certs *certs;
	uint8_t *data;

	switch (run->exit_reason) {
	case KVM_EXIT_HYPERCALL:
		if (fz_chance(t, 70) && run->hypercall.args[1] <= PRIV_PAGES) {
			attr.address = run->hypercall.args[0];
			attr.size = run->hypercall.args[1] * PAGE_SIZE;
			attr.attributes = run->hypercall.args[2] &
					  MAP_GPA_RANGE_ENCRYPTED ?
					  KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
			attr.flags = 0;
			fz_ioctl(t, FZ_VM, "SET_MEMORY_ATTRIBUTES(exit)", vm->fd,
				 KVM_SET_MEMORY_ATTRIBUTES, &attr, NULL, false);
			run->hypercall.ret = 0;
		} else {
			run->hypercall.ret = fz_chance(t, 50) ? fz_below(t, 40) :
					     fz_rand64(&t->rng);
		}
		break;
	case KVM_EXIT_IO:
		if (run->io.direction == KVM_EXIT_IO_IN &&
		    run->io.data_offset < 2 * PAGE_SIZE) {
			data = (uint8_t *)run + run->io.data_offset;
			fz_fill(t, data, (uint8_t *)run + 2 * PAGE_SIZE - data <
				(long)run->io.size * run->io.count ?
				(uint8_t *)run + 2 * PAGE_SIZE - data :
				run->io.size * run->io.count);
		}
		break;
	case KVM_EXIT_MMIO:
		if (!run->mmio.is_write)
			fz_fill(t, run->mmio.data, sizeof(run->mmio.data));
		break;
	case KVM_EXIT_SNP_REQ_CERTS:
		certs = kvm_run_snp_req_certs(run);
		if (fz_chance(t, 50) && certs->gpa >= FZ_MEM_GPA &&
		    certs->gpa - FZ_MEM_GPA <= (FZ_MEM_PAGES - 1) * PAGE_SIZE) {
			/* an empty table: its zero terminator */
			memset(vm->mem + (certs->gpa - FZ_MEM_GPA), 0, 24);
			certs->ret = 0;
		} else {
			certs->ret = fz_chance(t, 50) ? fz_below(t, 40) :
				     fz_rand64(&t->rng);
		}
		break;
	}
	if (fz_chance(t, 3)) {
		/* the VMM scribbles over kvm_run */
		fz_fill(t, (uint8_t *)run + fz_below(t, PAGE_SIZE - 16), 16);
		fz_note(t, "kvm_run=scribbled");
	}
}

void fz_run_op(struct fz_thread *t)
{
	struct fz_vm *vm;
	struct fz_vcpu *c;
	struct ghcb *ghcb;
	uint64_t msr, code = 0;
	unsigned int r, tries = 0;
	int fd;

	/* mostly a guest that can VMGEXIT: SEV-ES or SNP, launched */
	do {
		c = fz_vcpu_get(t, &vm);
	} while (c && (!vm->es || vm->depth != FZ_VM_LAUNCHED) && ++tries < 3);
	if (!c || !c->run || !vm->mem)
		return;
	r = fz_below(t, 100);
	ghcb = (struct ghcb *)vm->mem;	/* its first page: FZ_GHCB_GPA */
	if (r < 30) {
		msr = msr_request(t);
	} else if (r < 88) {
		ghcb_init(ghcb, fz_chance(t, 90) ? 2 : 1);
		code = ghcb_exit(t, vm, ghcb);
		ghcb_damage(t, ghcb);
		msr = FZ_GHCB_GPA;
		if (fz_chance(t, 5)) {
			msr = pick_gpa(t, FZ_GHCB_GPA);
			fz_note(t, "msr=%#llx", (unsigned long long)msr);
		}
	} else {
		msr = 0;	/* as it is: finish an exit, or repeat */
		fz_note(t, "again");
	}
	if (msr && fz_ghcb_msr_write(t, FZ_RUN, c->fd, msr) != 1)
		return;

	fd = fz_fd(t, c->fd, "vcpu");
	if (fz_ioctl(t, FZ_RUN, "RUN", fd, KVM_RUN, NULL, NULL, false)) {
		if (errno == EINTR && msr == FZ_GHCB_GPA &&
		    (code == SVM_VMGEXIT_GUEST_REQUEST ||
		     code == SVM_VMGEXIT_EXT_GUEST_REQUEST) &&
		    guest_request_reached_fw(ghcb))
			fz_mark_firmware(t, FZ_RUN);
		return;
	}
	if (fd != c->fd)
		return;
	answer_exit(t, vm, c->run);
	if (fz_chance(t, 75)) {
		fz_note(t, "exit=%u", c->run->exit_reason);
		fz_ioctl(t, FZ_RUN, "RUN(answered)", c->fd, KVM_RUN, NULL, NULL,
			 false);
	}
}
