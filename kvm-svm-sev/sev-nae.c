// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Non-Automatic Exits of a GHCB page (GHCB specification, AMD 56421,
 * "Invoking VMGEXIT"): the intercepts an SEV-ES guest turns into VMGEXITs
 * (CPUID, IOIO, MSR, VMMCALL, ...) and the events the GHCB protocol adds
 * (MMIO, the AP jump table, hypervisor features, termination), as KVM
 * answers them.
 *
 * What the host itself cannot finish goes to the VMM with KVM's exit
 * reasons and is completed at the next KVM_RUN (vcpu->complete_userspace_io):
 * port I/O (KVM_EXIT_IO, its data in the PIO page of the vCPU's mmap),
 * MMIO (KVM_EXIT_MMIO, eight bytes at a time) and the hypercall
 * KVM_HC_MAP_GPA_RANGE (KVM_EXIT_HYPERCALL, when the VMM asked for it).
 * The exit's data is in the scratch area, already checked and read
 * (setup_vmgexit_scratch()).
 *
 * A handler returns as sev_handle_vmgexit() does: 1 to resume the guest,
 * 0 for an exit to the VMM, or -errno. struct kvm_run is the VMM's to
 * write while it has the exit: a completion takes from it only the data,
 * never how much (es->io_chunk).
 */
#include <linux/kvm-sev.h>
#include <linux/kvm_para.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <asm/svm.h>
#include <asm/trapnr.h>

#include <sev-psp/kernel-compat.h>
#include "sev.h"

/* DR7 at reset (bit 10 reads as 1) */
#define DR7_RESET_VALUE		0x400

/* An exception the guest takes at the intercepted instruction */
static int sev_es_inject_exception(struct kvm_vcpu *vcpu, u8 vector)
{
	/* EVENTINJ's format; no error code (bits 63:32) */
	svm_vmgexit_set_info(vcpu, 1, (u32)(vector | SVM_EVTINJ_TYPE_EXEPT |
					    SVM_EVTINJ_VALID));
	return 1;
}

/* CPUID: the leaf in RAX, the subleaf in RCX; the VMM's table answers */
static int sev_es_cpuid(struct kvm_vcpu *vcpu)
{
	struct ghcb *ghcb = vcpu->sev_es.ghcb;
	u32 eax, ebx, ecx, edx;

	kvm_sev_host->cpuid(vcpu, (u32)ghcb->save.rax, (u32)ghcb->save.rcx,
			    &eax, &ebx, &ecx, &edx);
	ghcb->save.rax = eax;
	ghcb->save.rbx = ebx;
	ghcb->save.rcx = ecx;
	ghcb->save.rdx = edx;
	return 1;
}

static void sev_es_pio_exit(struct kvm_vcpu *vcpu, u32 count)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = es->io_in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = es->io_size;
	run->io.port = es->io_port;
	run->io.count = count;
	run->io.data_offset = KVM_PIO_PAGE_OFFSET * PAGE_SIZE;
}

/* IN or OUT of one value in RAX, as KVM's kvm_fast_pio() */
static int complete_fast_pio_in(struct kvm_vcpu *vcpu)
{
	struct ghcb *ghcb = vcpu->sev_es.ghcb;
	u64 val = vcpu->sev_es.io_size < 4 ? ghcb->save.rax : 0;

	/* the low bytes of RAX take the value; IN of 4 bytes clears the rest */
	memcpy(&val, vcpu->pio_data, vcpu->sev_es.io_size);
	ghcb->save.rax = val;
	return 1;
}

static int complete_fast_pio_out(struct kvm_vcpu *vcpu)
{
	return 1;
}

static int sev_es_fast_pio(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;

	if (!es->io_in)
		memcpy(vcpu->pio_data, &es->ghcb->save.rax, es->io_size);
	sev_es_pio_exit(vcpu, 1);
	vcpu->complete_userspace_io = es->io_in ? complete_fast_pio_in :
						  complete_fast_pio_out;
	return 0;
}

/*
 * INS and OUTS (KVM's kvm_sev_es_string_io()): the scratch area holds the
 * values; each exit moves as many as the PIO page holds.
 */
static int sev_es_string_io_next(struct kvm_vcpu *vcpu);

static int complete_sev_es_string_io(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;

	if (es->io_in)
		memcpy(es->ghcb_sa + es->io_done, vcpu->pio_data, es->io_chunk);
	es->io_done += es->io_chunk;
	return sev_es_string_io_next(vcpu);
}

static int sev_es_string_io_next(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u32 bytes = min_t(u32, es->io_len - es->io_done,
			  rounddown(PAGE_SIZE, es->io_size));

	if (!bytes)
		return 1;
	if (!es->io_in)
		memcpy(vcpu->pio_data, es->ghcb_sa + es->io_done, bytes);
	es->io_chunk = bytes;
	sev_es_pio_exit(vcpu, bytes / es->io_size);
	vcpu->complete_userspace_io = complete_sev_es_string_io;
	return 0;
}

/*
 * IOIO (SVM_EXIT_IOIO): the port, the access size and the direction in
 * sw_exit_info_1; a string instruction's count in sw_exit_info_2 and its
 * values in the scratch area.
 */
static int sev_es_ioio(struct kvm_vcpu *vcpu, u64 info1, u64 info2)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u32 size = (info1 & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
	u64 bytes;
	int r;

	if (size != 1 && size != 2 && size != 4) {
		svm_vmgexit_bad_input(vcpu, GHCB_ERR_INVALID_INPUT);
		return 1;
	}
	es->io_port = (u16)(info1 >> 16);
	es->io_size = size;
	es->io_in = info1 & SVM_IOIO_TYPE_MASK;
	if (!(info1 & SVM_IOIO_STR_MASK))
		return sev_es_fast_pio(vcpu);

	if (check_mul_overflow(info2, (u64)size, &bytes)) {
		svm_vmgexit_bad_input(vcpu, GHCB_ERR_INVALID_INPUT);
		return 1;
	}
	r = setup_vmgexit_scratch(vcpu, es->io_in, bytes);
	if (r)
		return r;
	es->io_len = bytes;
	es->io_done = 0;
	return sev_es_string_io_next(vcpu);
}

/* MMIO: eight bytes (or the rest) per KVM_EXIT_MMIO, as KVM's fragments */
static int sev_es_mmio_next(struct kvm_vcpu *vcpu);

static int complete_sev_es_mmio(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;

	if (es->io_in)
		memcpy(es->ghcb_sa + es->io_done, vcpu->run->mmio.data,
		       es->io_chunk);
	es->io_done += es->io_chunk;
	return sev_es_mmio_next(vcpu);
}

static int sev_es_mmio_next(struct kvm_vcpu *vcpu)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	struct kvm_run *run = vcpu->run;
	u32 len = min_t(u32, es->io_len - es->io_done, 8);

	if (!len)
		return 1;
	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = es->io_gpa + es->io_done;
	run->mmio.len = len;
	es->io_chunk = len;
	run->mmio.is_write = !es->io_in;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (!es->io_in)
		memcpy(run->mmio.data, es->ghcb_sa + es->io_done, len);
	vcpu->complete_userspace_io = complete_sev_es_mmio;
	return 0;
}

/* SVM_VMGEXIT_MMIO_READ/WRITE: the GPA in sw_exit_info_1, length in _2 */
static int sev_es_mmio(struct kvm_vcpu *vcpu, bool read, u64 gpa, u64 len)
{
	struct vcpu_sev_es_state *es = &vcpu->sev_es;
	u64 last;
	int r;

	if (check_add_overflow(gpa, len, &last)) {
		svm_vmgexit_bad_input(vcpu, GHCB_ERR_INVALID_INPUT);
		return 1;
	}
	r = setup_vmgexit_scratch(vcpu, read, len);
	if (r)
		return r;
	es->io_gpa = gpa;
	es->io_len = len;
	es->io_done = 0;
	es->io_in = read;
	return sev_es_mmio_next(vcpu);
}

/* The VMM answered the hypercall: its result is the guest's RAX. */
static int complete_hypercall_exit(struct kvm_vcpu *vcpu)
{
	vcpu->sev_es.ghcb->save.rax = vcpu->run->hypercall.ret;
	return 1;
}

/*
 * VMMCALL, as KVM's kvm_emulate_hypercall(): the number in RAX, the
 * arguments in RBX, RCX, RDX. KVM_HC_MAP_GPA_RANGE goes to the VMM when it
 * asked for it (KVM_CAP_EXIT_HYPERCALL); any other is not there
 * (-KVM_ENOSYS), and none is a user mode guest's (-KVM_EPERM).
 */
static int sev_es_vmmcall(struct kvm_vcpu *vcpu)
{
	struct ghcb *ghcb = vcpu->sev_es.ghcb;
	u64 nr = ghcb->save.rax, gpa = ghcb->save.rbx;
	u64 npages = ghcb->save.rcx, attrs = ghcb->save.rdx;
	struct kvm_run *run = vcpu->run;
	u64 gfn_end;

	if (ghcb->save.cpl) {
		ghcb->save.rax = (u64)-KVM_EPERM;
		return 1;
	}
	if (nr != KVM_HC_MAP_GPA_RANGE ||
	    !(READ_ONCE(vcpu->kvm->exit_hypercalls) &
	      BIT_ULL(KVM_HC_MAP_GPA_RANGE))) {
		ghcb->save.rax = (u64)-KVM_ENOSYS;
		return 1;
	}
	if (!PAGE_ALIGNED(gpa) || !npages ||
	    check_add_overflow(gpa >> PAGE_SHIFT, npages, &gfn_end)) {
		ghcb->save.rax = (u64)-KVM_EINVAL;
		return 1;
	}

	run->exit_reason = KVM_EXIT_HYPERCALL;
	run->hypercall.nr = nr;
	run->hypercall.args[0] = gpa;
	run->hypercall.args[1] = npages;
	run->hypercall.args[2] = attrs;
	kvm_run_hypercall_set_long_mode(run);
	run->hypercall.ret = 0;
	vcpu->complete_userspace_io = complete_hypercall_exit;
	return 0;
}

/* The AP jump table (SVM_VMGEXIT_AP_JUMP_TABLE), the VM's one value */
static int sev_es_ap_jump_table(struct kvm_vcpu *vcpu, u64 info1, u64 info2)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);

	switch (info1) {
	case SVM_VMGEXIT_SET_AP_JUMP_TABLE:
		WRITE_ONCE(sev->ap_jump_table, info2);
		break;
	case SVM_VMGEXIT_GET_AP_JUMP_TABLE:
		svm_vmgexit_success(vcpu, READ_ONCE(sev->ap_jump_table));
		break;
	default:
		svm_vmgexit_bad_input(vcpu, GHCB_ERR_INVALID_INPUT);
	}
	return 1;
}

static int sev_es_dr7(struct kvm_vcpu *vcpu, bool write)
{
	struct ghcb *ghcb = vcpu->sev_es.ghcb;

	if (write)
		vcpu->sev_es.dr7 = ghcb->save.rax;
	else
		ghcb->save.rax = vcpu->sev_es.dr7 ?: DR7_RESET_VALUE;
	return 1;
}

static int sev_es_rdtsc(struct kvm_vcpu *vcpu, bool rdtscp)
{
	struct ghcb *ghcb = vcpu->sev_es.ghcb;
	u64 tsc = rdtsc();

	ghcb->save.rax = lower_32_bits(tsc);
	ghcb->save.rdx = upper_32_bits(tsc);
	if (rdtscp)
		ghcb->save.rcx = 0;	/* TSC_AUX: never set here */
	return 1;
}

/**
 * sev_es_handle_nae() - a Non-Automatic Exit of a GHCB page
 * @vcpu: the vCPU, its GHCB mapped and checked (sev_es_validate_vmgexit())
 * @exit_code: sw_exit_code
 * @info1: sw_exit_info_1
 * @info2: sw_exit_info_2
 *
 * Return: 1 to resume the guest, 0 for an exit to the VMM, -errno.
 */
int sev_es_handle_nae(struct kvm_vcpu *vcpu, u64 exit_code, u64 info1,
		      u64 info2)
{
	switch (exit_code) {
	case SVM_EXIT_CPUID:
		return sev_es_cpuid(vcpu);
	case SVM_EXIT_IOIO:
		return sev_es_ioio(vcpu, info1, info2);
	case SVM_VMGEXIT_MMIO_READ:
	case SVM_VMGEXIT_MMIO_WRITE:
		return sev_es_mmio(vcpu, exit_code == SVM_VMGEXIT_MMIO_READ,
				   info1, info2);
	case SVM_EXIT_VMMCALL:
		return sev_es_vmmcall(vcpu);
	case SVM_EXIT_MSR:
	case SVM_EXIT_RDPMC:
		/* no MSR or counter of the guest's is emulated here */
		return sev_es_inject_exception(vcpu, X86_TRAP_GP);
	case SVM_EXIT_READ_DR7:
	case SVM_EXIT_WRITE_DR7:
		return sev_es_dr7(vcpu, exit_code == SVM_EXIT_WRITE_DR7);
	case SVM_EXIT_RDTSC:
	case SVM_EXIT_RDTSCP:
		return sev_es_rdtsc(vcpu, exit_code == SVM_EXIT_RDTSCP);
	case SVM_VMGEXIT_AP_JUMP_TABLE:
		return sev_es_ap_jump_table(vcpu, info1, info2);
	case SVM_VMGEXIT_HV_FEATURES:
		svm_vmgexit_success(vcpu, GHCB_HV_FT_SUPPORTED);
		return 1;
	case SVM_VMGEXIT_AP_HLT_LOOP:
		/*
		 * The AP waits for a SIPI, in the VMM (no local APIC here);
		 * sw_exit_info_2 stays 0, "no SIPI yet".
		 */
		vcpu->run->exit_reason = KVM_EXIT_AP_RESET_HOLD;
		return 0;
	case SVM_VMGEXIT_TERM_REQUEST:
		pr_info_ratelimited("kvm-sev: SEV-ES guest requested termination: reason %#llx:%#llx\n",
				    info1, info2);
		return sev_es_term_exit(vcpu, vcpu->sev_es.ghcb_gpa);
	case SVM_VMGEXIT_UNSUPPORTED_EVENT:
		pr_debug_ratelimited("kvm-sev: unsupported event %#llx:%#llx\n",
				     info1, info2);
		return -EINVAL;
	default:
		/* NMI_COMPLETE, INVD, WBINVD, MONITOR, MWAIT: nothing to do */
		return 1;
	}
}
