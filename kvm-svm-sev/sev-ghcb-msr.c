// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GHCB MSR protocol (GHCB specification, AMD 56421, "GHCB MSR
 * Protocol"), as KVM's sev_handle_vmgexit_msr_protocol().
 *
 * The guest's GHCB MSR is the vCPU's sev_es.ghcb_msr (the VMCB's ghcb_gpa
 * on hardware). Its low 12 bits say what it holds: a GHCB MSR protocol
 * request or response (GHCBInfo non-zero), or the GPA of the GHCB page
 * (zero). Every field of a request is the guest's and is checked before
 * use; a request this host does not know leaves the MSR as it was, as
 * KVM does.
 *
 * A handler returns as KVM's exit handlers do: 1 when the guest resumes,
 * 0 when the exit goes to the VMM (vcpu->run says which), or -errno.
 */
#include <linux/kvm-sev.h>
#include <linux/kvm_para.h>
#include <asm/msr-index.h>

#include <sev-psp/kernel-compat.h>
#include <sev-psp/platform.h>
#include "sev.h"

#define GHCB_VERSION_MIN	1ULL

/* The largest guest physical address, as MAXPHYADDR can be (52 bits) */
#define GHCB_GPA_BITS		52

/* The C-bit's position in a guest page table entry (CPUID 0x8000001F EBX) */
static unsigned int sev_enc_bit;

/* The C-bit of the platform's memory encryption, as its CPUID tells it */
int sev_ghcb_setup(void)
{
	int cbit = sev_platform_cbit();

	if (cbit < 0)
		return cbit;
	sev_enc_bit = cbit;
	return 0;
}

/*
 * An SEV-ES vCPU's reset, as the GHCB specification wants it: the GHCB MSR
 * holds the SEV information response (the versions and the C-bit).
 */
void sev_es_vcpu_reset(struct kvm_vcpu *vcpu)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);

	vcpu->sev_es.ghcb_msr = GHCB_MSR_SEV_INFO((u64)sev->ghcb_version,
						  GHCB_VERSION_MIN,
						  sev_enc_bit);
}

static u64 get_ghcb_msr_bits(struct kvm_vcpu *vcpu, u64 mask, unsigned int pos)
{
	return (vcpu->sev_es.ghcb_msr >> pos) & mask;
}

static void set_ghcb_msr_bits(struct kvm_vcpu *vcpu, u64 value, u64 mask,
			      unsigned int pos)
{
	vcpu->sev_es.ghcb_msr &= ~(mask << pos);
	vcpu->sev_es.ghcb_msr |= (value & mask) << pos;
}

static void set_ghcb_msr(struct kvm_vcpu *vcpu, u64 value)
{
	vcpu->sev_es.ghcb_msr = value;
}

/**
 * sev_es_get_msr() - a GHCB MSR read by the guest (KVM_GET_MSRS)
 * @vcpu: the vCPU, its mutex held
 * @index: the MSR
 * @data: its value
 *
 * Return: 0; 1 for an MSR this host does not give the guest: any but
 * MSR_AMD64_SEV_ES_GHCB, which only SEV-ES and SNP guests have.
 */
int sev_es_get_msr(struct kvm_vcpu *vcpu, u32 index, u64 *data)
{
	if (index != MSR_AMD64_SEV_ES_GHCB || !sev_es_guest(vcpu->kvm))
		return 1;
	*data = vcpu->sev_es.ghcb_msr;
	return 0;
}

/**
 * sev_es_set_msr() - a GHCB MSR written by the guest (KVM_SET_MSRS)
 * @vcpu: the vCPU, its mutex held
 * @index: the MSR
 * @data: its new value, any: what it means is decided at the VMGEXIT
 *
 * Return: 0; 1 for an MSR this host does not give the guest.
 */
int sev_es_set_msr(struct kvm_vcpu *vcpu, u32 index, u64 data)
{
	if (index != MSR_AMD64_SEV_ES_GHCB || !sev_es_guest(vcpu->kvm))
		return 1;
	vcpu->sev_es.ghcb_msr = data;
	return 0;
}

/* CPUID: one register of one leaf (subleaf 0), as KVM's CPUID intercept */
static void sev_es_msr_cpuid(struct kvm_vcpu *vcpu)
{
	u32 fn, regs[4];

	fn = get_ghcb_msr_bits(vcpu, GHCB_MSR_CPUID_FUNC_MASK,
			       GHCB_MSR_CPUID_FUNC_POS);
	kvm_sev_host->cpuid(vcpu, fn, 0, &regs[GHCB_CPUID_REQ_EAX],
			    &regs[GHCB_CPUID_REQ_EBX],
			    &regs[GHCB_CPUID_REQ_ECX],
			    &regs[GHCB_CPUID_REQ_EDX]);

	/* two bits: every value names a register */
	set_ghcb_msr_bits(vcpu,
			  regs[get_ghcb_msr_bits(vcpu, GHCB_MSR_CPUID_REG_MASK,
						 GHCB_MSR_CPUID_REG_POS)],
			  GHCB_MSR_CPUID_VALUE_MASK, GHCB_MSR_CPUID_VALUE_POS);
	set_ghcb_msr_bits(vcpu, GHCB_MSR_CPUID_RESP, GHCB_MSR_INFO_MASK,
			  GHCB_MSR_INFO_POS);
}

/* The VMM has answered the page state change: the guest learns how it went */
static int snp_complete_psc_msr(struct kvm_vcpu *vcpu)
{
	set_ghcb_msr(vcpu, snp_psc_made(vcpu) ?
		     GHCB_MSR_PSC_RESP_ERROR : GHCB_MSR_PSC_RESP);
	return 1;
}

/*
 * A page state change of one 4 KiB page through the MSR: the VMM makes the
 * page private or shared (KVM_HC_MAP_GPA_RANGE, with KVM_EXIT_HYPERCALL
 * enabled for it), as upstream's snp_begin_psc_msr(); an operation other
 * than private or shared, or a VMM that does not take the exit, is the
 * error response.
 */
static int snp_begin_psc_msr(struct kvm_vcpu *vcpu, u64 ghcb_msr)
{
	u64 gpa = GHCB_MSR_PSC_REQ_TO_GFN(ghcb_msr) << PAGE_SHIFT;
	u8 op = GHCB_MSR_PSC_REQ_TO_OP(ghcb_msr);

	if ((op != SNP_PAGE_STATE_PRIVATE && op != SNP_PAGE_STATE_SHARED) ||
	    !(READ_ONCE(vcpu->kvm->exit_hypercalls) &
	      BIT_ULL(KVM_HC_MAP_GPA_RANGE))) {
		set_ghcb_msr(vcpu, GHCB_MSR_PSC_RESP_ERROR);
		return 1;
	}

	snp_psc_exit(vcpu, gpa, 1, op == SNP_PAGE_STATE_PRIVATE, false);
	vcpu->complete_userspace_io = snp_complete_psc_msr;
	return 0;
}

int sev_handle_vmgexit_msr_protocol(struct kvm_vcpu *vcpu)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(vcpu->kvm);
	u64 ghcb_info, gfn;

	ghcb_info = vcpu->sev_es.ghcb_msr & GHCB_MSR_INFO_MASK;

	switch (ghcb_info) {
	case GHCB_MSR_SEV_INFO_REQ:
		set_ghcb_msr(vcpu, GHCB_MSR_SEV_INFO((u64)sev->ghcb_version,
						     GHCB_VERSION_MIN,
						     sev_enc_bit));
		return 1;
	case GHCB_MSR_CPUID_REQ:
		sev_es_msr_cpuid(vcpu);
		return 1;
	case GHCB_MSR_AP_RESET_HOLD_REQ:
		/*
		 * The AP waits for a SIPI; this host has no local APIC in the
		 * kernel, so the VMM does the waiting (KVM's
		 * __kvm_emulate_halt() without one). The result stays 0, "no
		 * SIPI yet".
		 */
		set_ghcb_msr_bits(vcpu, 0, GHCB_MSR_AP_RESET_HOLD_RESULT_MASK,
				  GHCB_MSR_AP_RESET_HOLD_RESULT_POS);
		set_ghcb_msr_bits(vcpu, GHCB_MSR_AP_RESET_HOLD_RESP,
				  GHCB_MSR_INFO_MASK, GHCB_MSR_INFO_POS);
		vcpu->run->exit_reason = KVM_EXIT_AP_RESET_HOLD;
		return 0;
	case GHCB_MSR_HV_FT_REQ:
		set_ghcb_msr_bits(vcpu, GHCB_HV_FT_SUPPORTED,
				  GHCB_MSR_HV_FT_MASK, GHCB_MSR_HV_FT_POS);
		set_ghcb_msr_bits(vcpu, GHCB_MSR_HV_FT_RESP,
				  GHCB_MSR_INFO_MASK, GHCB_MSR_INFO_POS);
		return 1;
	case GHCB_MSR_PREF_GPA_REQ:
		if (!sev_snp_guest(vcpu->kvm))
			return sev_es_term_exit(vcpu, vcpu->sev_es.ghcb_msr);

		/* no preference: the guest picks its GHCB */
		set_ghcb_msr_bits(vcpu, GHCB_MSR_PREF_GPA_NONE,
				  GHCB_MSR_GPA_VALUE_MASK, GHCB_MSR_GPA_VALUE_POS);
		set_ghcb_msr_bits(vcpu, GHCB_MSR_PREF_GPA_RESP,
				  GHCB_MSR_INFO_MASK, GHCB_MSR_INFO_POS);
		return 1;
	case GHCB_MSR_REG_GPA_REQ:
		if (!sev_snp_guest(vcpu->kvm))
			return sev_es_term_exit(vcpu, vcpu->sev_es.ghcb_msr);

		gfn = get_ghcb_msr_bits(vcpu, GHCB_MSR_GPA_VALUE_MASK,
					GHCB_MSR_GPA_VALUE_POS);
		/*
		 * A frame no guest physical address can name is refused with
		 * the all-ones GFN, and the registered GHCB stays.
		 */
		if (gfn >= BIT_ULL(GHCB_GPA_BITS - PAGE_SHIFT))
			gfn = GHCB_MSR_GPA_VALUE_MASK;
		else
			vcpu->sev_es.ghcb_registered_gpa = gfn << PAGE_SHIFT;
		set_ghcb_msr_bits(vcpu, gfn, GHCB_MSR_GPA_VALUE_MASK,
				  GHCB_MSR_GPA_VALUE_POS);
		set_ghcb_msr_bits(vcpu, GHCB_MSR_REG_GPA_RESP,
				  GHCB_MSR_INFO_MASK, GHCB_MSR_INFO_POS);
		return 1;
	case GHCB_MSR_PSC_REQ:
		if (!sev_snp_guest(vcpu->kvm))
			return sev_es_term_exit(vcpu, vcpu->sev_es.ghcb_msr);

		return snp_begin_psc_msr(vcpu, vcpu->sev_es.ghcb_msr);
	case GHCB_MSR_TERM_REQ:
		pr_info_ratelimited("kvm-sev: SEV-ES guest requested termination: %#llx:%#llx\n",
				    get_ghcb_msr_bits(vcpu,
						      GHCB_MSR_TERM_REASON_SET_MASK,
						      GHCB_MSR_TERM_REASON_SET_POS),
				    get_ghcb_msr_bits(vcpu,
						      GHCB_MSR_TERM_REASON_MASK,
						      GHCB_MSR_TERM_REASON_POS));
		return sev_es_term_exit(vcpu, vcpu->sev_es.ghcb_msr);
	default:
		/* not a request this host knows: the MSR stays as it is */
		return 1;
	}
}
