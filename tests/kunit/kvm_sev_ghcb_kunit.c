// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: kvm-sev's checks of a GHCB page's exit, on GHCBs the suite writes
 * as a guest would, with no vCPU and no guest memory:
 *
 * - sev_es_check_vmgexit() (kvm-svm-sev/sev-vmgexit.c), as KVM's
 *   sev_es_validate_vmgexit(): the registers each exit needs, each one
 *   left out in turn (GHCB_ERR_MISSING_INPUT), and the exits refused for
 *   another reason (a GHCB usage that is not 0, an exit kvm-sev does not
 *   know or an SEV-ES guest may not make, a guest request's pages).
 * - sev_es_check_scratch() (kvm-svm-sev/sev-ghcb.c), as KVM's
 *   setup_vmgexit_scratch(): where a scratch area may be, at each edge of
 *   the GHCB's shared buffer and of the 16 pages KVM copies.
 *
 * Every row is named and says the reason it expects.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/kvm-sev.h>
#include <asm/svm.h>

#include "sev.h"

/* A field's index in the valid bitmap, and the bitmap's size */
#define F(field)	GHCB_BITMAP_IDX(field)
#define VALID_BITS	(BITS_PER_BYTE * \
			 sizeof_field(struct ghcb_save_area, valid_bitmap))

/* Every register an exit may need: what a refused row marks valid */
static const unsigned int all_inputs[] = {
	F(rax), F(rbx), F(rcx), F(rdx), F(cpl), F(xcr0), F(sw_scratch),
};

/* Page-aligned and apart: a guest request's request and response pages */
#define REQ_GPA		0x10000ULL
#define RESP_GPA	0x11000ULL

struct exit_row {
	const char *name;
	u64 exit_code;
	u64 info1;
	u64 info2;
	u64 rax;
	bool snp;		/* the guest is an SNP guest */
	u32 usage;		/* ghcb_usage */
	unsigned int needs[4];	/* the registers it needs, besides the exit's
				 * code and info fields; 0 ends (no register
				 * has index 0)
				 */
	u64 reason;		/* with every register valid */
};

static void exit_row_desc(const struct exit_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

/* The exit @r describes, as the guest writes it; @valid: its bitmap */
static struct ghcb *exit_ghcb(struct kunit *test, const struct exit_row *r,
			      unsigned long *valid)
{
	struct ghcb *ghcb = kunit_kzalloc(test, sizeof(*ghcb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ghcb);
	ghcb->ghcb_usage = r->usage;
	ghcb->save.sw_exit_code = r->exit_code;
	ghcb->save.sw_exit_info_1 = r->info1;
	ghcb->save.sw_exit_info_2 = r->info2;
	ghcb->save.rax = r->rax;
	bitmap_zero(valid, VALID_BITS);
	__set_bit(F(sw_exit_code), valid);
	__set_bit(F(sw_exit_info_1), valid);
	__set_bit(F(sw_exit_info_2), valid);
	return ghcb;
}

static u64 check(const struct ghcb *ghcb, const unsigned long *valid,
		 bool snp)
{
	return sev_es_check_vmgexit(ghcb, (const u8 *)valid, snp);
}

/* Exits that are handled, and exactly the registers each needs */
static const struct exit_row needs_rows[] = {
	{ "read_dr7", SVM_EXIT_READ_DR7 },
	{ "write_dr7", SVM_EXIT_WRITE_DR7, .needs = { F(rax) } },
	{ "rdtsc", SVM_EXIT_RDTSC },
	{ "rdtscp", SVM_EXIT_RDTSCP },
	{ "rdpmc", SVM_EXIT_RDPMC, .needs = { F(rcx) } },
	{ "invd", SVM_EXIT_INVD },
	{ "wbinvd", SVM_EXIT_WBINVD },
	{ "cpuid", SVM_EXIT_CPUID, .rax = 1, .needs = { F(rax), F(rcx) } },
	/* leaf 0xd (XSAVE) depends on XCR0 */
	{ "cpuid_leaf_0xd", SVM_EXIT_CPUID, .rax = 0xd,
	  .needs = { F(rax), F(rcx), F(xcr0) } },
	/* the leaf is EAX: RAX's upper half is not looked at */
	{ "cpuid_leaf_0xd_upper_rax_ignored", SVM_EXIT_CPUID,
	  .rax = 0x100000000dULL, .needs = { F(rax), F(rcx), F(xcr0) } },
	{ "ioio_in", SVM_EXIT_IOIO, .info1 = SVM_IOIO_TYPE_MASK },
	{ "ioio_out", SVM_EXIT_IOIO, .info1 = 0, .needs = { F(rax) } },
	{ "ioio_ins", SVM_EXIT_IOIO,
	  .info1 = SVM_IOIO_STR_MASK | SVM_IOIO_TYPE_MASK,
	  .needs = { F(sw_scratch) } },
	/* a string OUT's data is in the scratch area, not in RAX */
	{ "ioio_outs", SVM_EXIT_IOIO, .info1 = SVM_IOIO_STR_MASK,
	  .needs = { F(sw_scratch) } },
	{ "rdmsr", SVM_EXIT_MSR, .info1 = 0, .needs = { F(rcx) } },
	{ "wrmsr", SVM_EXIT_MSR, .info1 = 1,
	  .needs = { F(rcx), F(rax), F(rdx) } },
	{ "vmmcall", SVM_EXIT_VMMCALL, .needs = { F(rax), F(cpl) } },
	{ "monitor", SVM_EXIT_MONITOR, .needs = { F(rax), F(rcx), F(rdx) } },
	{ "mwait", SVM_EXIT_MWAIT, .needs = { F(rax), F(rcx) } },
	{ "mmio_read", SVM_VMGEXIT_MMIO_READ, .needs = { F(sw_scratch) } },
	{ "mmio_write", SVM_VMGEXIT_MMIO_WRITE, .needs = { F(sw_scratch) } },
	{ "nmi_complete", SVM_VMGEXIT_NMI_COMPLETE },
	{ "ap_hlt_loop", SVM_VMGEXIT_AP_HLT_LOOP },
	{ "ap_jump_table", SVM_VMGEXIT_AP_JUMP_TABLE },
	{ "unsupported_event", SVM_VMGEXIT_UNSUPPORTED_EVENT },
	{ "hv_features", SVM_VMGEXIT_HV_FEATURES },
	{ "term_request", SVM_VMGEXIT_TERM_REQUEST },
	{ "snp_hv_features", SVM_VMGEXIT_HV_FEATURES, .snp = true },
	/* RAX: the new VMSA's features */
	{ "snp_ap_create", SVM_VMGEXIT_AP_CREATION,
	  .info1 = SVM_VMGEXIT_AP_CREATE, .snp = true, .needs = { F(rax) } },
	{ "snp_ap_create_on_init", SVM_VMGEXIT_AP_CREATION,
	  .info1 = SVM_VMGEXIT_AP_CREATE_ON_INIT, .snp = true,
	  .needs = { F(rax) } },
	{ "snp_ap_destroy", SVM_VMGEXIT_AP_CREATION,
	  .info1 = SVM_VMGEXIT_AP_DESTROY, .snp = true },
	/* the request is the low half of SW_EXITINFO1, the APIC ID high */
	{ "snp_ap_destroy_apic_id_above", SVM_VMGEXIT_AP_CREATION,
	  .info1 = (5ULL << 32) | SVM_VMGEXIT_AP_DESTROY, .snp = true },
	{ "snp_psc", SVM_VMGEXIT_PSC, .snp = true, .needs = { F(sw_scratch) } },
	{ "snp_guest_request", SVM_VMGEXIT_GUEST_REQUEST, REQ_GPA, RESP_GPA,
	  .snp = true },
	/* RAX and RBX: the certificate buffer and its pages */
	{ "snp_ext_guest_request", SVM_VMGEXIT_EXT_GUEST_REQUEST, REQ_GPA,
	  RESP_GPA, .snp = true, .needs = { F(rax), F(rbx) } },
};

KUNIT_ARRAY_PARAM(exit_needs, needs_rows, exit_row_desc);

/*
 * With just what it needs valid, the exit may be handled (nothing more is
 * asked for); with any one of those left out, also the exit code or
 * either info field, it is refused as MISSING_INPUT.
 */
static void exit_needs(struct kunit *test)
{
	const struct exit_row *r = test->param_value;
	DECLARE_BITMAP(valid, VALID_BITS);
	unsigned int needs[ARRAY_SIZE(r->needs) + 3];
	struct ghcb *ghcb = exit_ghcb(test, r, valid);
	unsigned int i, n = 0;

	needs[n++] = F(sw_exit_code);
	needs[n++] = F(sw_exit_info_1);
	needs[n++] = F(sw_exit_info_2);
	for (i = 0; i < ARRAY_SIZE(r->needs) && r->needs[i]; i++) {
		needs[n++] = r->needs[i];
		__set_bit(r->needs[i], valid);
	}

	KUNIT_EXPECT_EQ(test, 0ULL, check(ghcb, valid, r->snp));
	for (i = 0; i < n; i++) {
		__clear_bit(needs[i], valid);
		KUNIT_EXPECT_EQ_MSG(test, (u64)GHCB_ERR_MISSING_INPUT,
				    check(ghcb, valid, r->snp),
				    "without bitmap index %u", needs[i]);
		__set_bit(needs[i], valid);
	}
}

/* Exits refused with every register valid, and why */
static const struct exit_row refused_rows[] = {
	/* only the standard format (usage 0) is known */
	{ "usage_1", SVM_EXIT_RDTSC, .usage = 1,
	  .reason = GHCB_ERR_INVALID_USAGE },
	{ "usage_all_ones", SVM_EXIT_CPUID, .usage = U32_MAX,
	  .reason = GHCB_ERR_INVALID_USAGE },
	{ "usage_1_unknown_exit", 0x7fffULL, .usage = 1,
	  .reason = GHCB_ERR_INVALID_USAGE },
	{ "unknown_svm_exit", 0x7fffULL, .reason = GHCB_ERR_INVALID_EVENT },
	{ "hlt_is_not_a_ghcb_exit", SVM_EXIT_HLT,
	  .reason = GHCB_ERR_INVALID_EVENT },
	{ "npf_is_not_a_ghcb_exit", SVM_EXIT_NPF,
	  .reason = GHCB_ERR_INVALID_EVENT },
	{ "unknown_vmgexit", 0x80000fffULL, .reason = GHCB_ERR_INVALID_EVENT },
	{ "unknown_vmgexit_snp", 0x80000fffULL, .snp = true,
	  .reason = GHCB_ERR_INVALID_EVENT },
	/* an exit code is all 64 bits of it */
	{ "exit_code_upper_bits", (1ULL << 32) | SVM_EXIT_RDTSC,
	  .reason = GHCB_ERR_INVALID_EVENT },
	/* an SEV-ES guest makes no SNP exit */
	{ "sev_es_ap_creation", SVM_VMGEXIT_AP_CREATION,
	  .info1 = SVM_VMGEXIT_AP_CREATE, .reason = GHCB_ERR_INVALID_EVENT },
	{ "sev_es_psc", SVM_VMGEXIT_PSC, .reason = GHCB_ERR_INVALID_EVENT },
	{ "sev_es_guest_request", SVM_VMGEXIT_GUEST_REQUEST, REQ_GPA,
	  RESP_GPA, .reason = GHCB_ERR_INVALID_EVENT },
	{ "sev_es_ext_guest_request", SVM_VMGEXIT_EXT_GUEST_REQUEST, REQ_GPA,
	  RESP_GPA, .reason = GHCB_ERR_INVALID_EVENT },
	/* a guest request's two pages: page-aligned and not the same */
	{ "guest_request_req_unaligned", SVM_VMGEXIT_GUEST_REQUEST,
	  REQ_GPA + 8, RESP_GPA, .snp = true,
	  .reason = GHCB_ERR_INVALID_INPUT },
	{ "guest_request_resp_unaligned", SVM_VMGEXIT_GUEST_REQUEST, REQ_GPA,
	  RESP_GPA + 0x800, .snp = true, .reason = GHCB_ERR_INVALID_INPUT },
	{ "guest_request_same_page", SVM_VMGEXIT_GUEST_REQUEST, REQ_GPA,
	  REQ_GPA, .snp = true, .reason = GHCB_ERR_INVALID_INPUT },
	{ "ext_guest_request_req_unaligned", SVM_VMGEXIT_EXT_GUEST_REQUEST,
	  REQ_GPA + 1, RESP_GPA, .snp = true,
	  .reason = GHCB_ERR_INVALID_INPUT },
	{ "ext_guest_request_same_page", SVM_VMGEXIT_EXT_GUEST_REQUEST,
	  RESP_GPA, RESP_GPA, .snp = true, .reason = GHCB_ERR_INVALID_INPUT },
};

KUNIT_ARRAY_PARAM(exit_refused, refused_rows, exit_row_desc);

static void exit_refused(struct kunit *test)
{
	const struct exit_row *r = test->param_value;
	DECLARE_BITMAP(valid, VALID_BITS);
	struct ghcb *ghcb = exit_ghcb(test, r, valid);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all_inputs); i++)
		__set_bit(all_inputs[i], valid);
	KUNIT_EXPECT_EQ(test, r->reason, check(ghcb, valid, r->snp));
}

/*
 * The check reads the bitmap it is given, the guest's: the vCPU's copy of
 * the GHCB has its own cleared (sev_es_map_ghcb()), and a bit set there
 * counts for nothing.
 */
static void exit_check_reads_the_given_bitmap(struct kunit *test)
{
	static const struct exit_row r = { "wrmsr", SVM_EXIT_MSR, .info1 = 1 };
	DECLARE_BITMAP(valid, VALID_BITS);
	struct ghcb *ghcb = exit_ghcb(test, &r, valid);

	memset(ghcb->save.valid_bitmap, 0xff, sizeof(ghcb->save.valid_bitmap));
	KUNIT_EXPECT_EQ(test, (u64)GHCB_ERR_MISSING_INPUT,
			check(ghcb, valid, false));

	/* and the guest's bitmap, as ghcb_set_*() write it, is read whole */
	memset(ghcb->save.valid_bitmap, 0, sizeof(ghcb->save.valid_bitmap));
	ghcb_set_sw_exit_code(ghcb, SVM_EXIT_MSR);
	ghcb_set_sw_exit_info_1(ghcb, 1);
	ghcb_set_sw_exit_info_2(ghcb, 0);
	ghcb_set_rcx(ghcb, 0x10);
	ghcb_set_rax(ghcb, 0);
	KUNIT_EXPECT_EQ(test, (u64)GHCB_ERR_MISSING_INPUT,
			sev_es_check_vmgexit(ghcb, ghcb->save.valid_bitmap,
					     false));
	ghcb_set_rdx(ghcb, 0);
	KUNIT_EXPECT_EQ(test, 0ULL,
			sev_es_check_vmgexit(ghcb, ghcb->save.valid_bitmap,
					     false));
}

/* sev_es_check_scratch() */

/* A GHCB page, and the edges of its shared buffer */
#define GHCB_GPA	0x7f000ULL
#define BUF_BEG		(GHCB_GPA + GHCB_SHARED_BUF_OFFSET)
#define BUF_END		(GHCB_GPA + GHCB_SHARED_BUF_END)
#define LIMIT		(16ULL * PAGE_SIZE)

struct scratch_row {
	const char *name;
	u64 gpa;
	u64 len;
	bool in_ghcb;		/* the area is in the GHCB's page */
	u64 reason;
};

static void scratch_row_desc(const struct scratch_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

#define BAD	GHCB_ERR_INVALID_SCRATCH_AREA

static const struct scratch_row scratch_rows[] = {
	/* in the GHCB's page: inside its shared buffer only */
	{ "shared_buffer_whole", BUF_BEG, GHCB_SHARED_BUF_SIZE, true, 0 },
	{ "shared_buffer_first_byte", BUF_BEG, 1, true, 0 },
	{ "shared_buffer_last_byte", BUF_END - 1, 1, true, 0 },
	{ "shared_buffer_middle", BUF_BEG + 0x100, 0x200, true, 0 },
	{ "shared_buffer_one_byte_too_long", BUF_BEG,
	  GHCB_SHARED_BUF_SIZE + 1, true, BAD },
	{ "shared_buffer_last_byte_and_one_past", BUF_END - 1, 2, true, BAD },
	{ "byte_before_shared_buffer", BUF_BEG - 1, 1, true, BAD },
	{ "straddling_start_of_shared_buffer", BUF_BEG - 8, 16, true, BAD },
	{ "save_area", GHCB_GPA + 0x1f8, 8, true, BAD },
	{ "ghcb_page_start", GHCB_GPA, 8, true, BAD },
	{ "after_shared_buffer", BUF_END, 8, true, BAD },
	{ "ghcb_usage_field", GHCB_GPA + 0xffc, 4, true, BAD },
	/* a whole page would run over the GHCB's end */
	{ "ghcb_page_whole_from_shared_buffer", BUF_BEG, PAGE_SIZE, true,
	  BAD },
	/* length 0 is accepted anywhere a byte could start, as KVM */
	{ "empty_at_shared_buffer_start", BUF_BEG, 0, true, 0 },
	{ "empty_at_shared_buffer_end", BUF_END, 0, true, 0 },
	{ "empty_before_shared_buffer", BUF_BEG - 1, 0, true, BAD },
	{ "empty_outside", GHCB_GPA + PAGE_SIZE, 0, false, 0 },
	/* elsewhere: at most 16 pages, which KVM copies */
	{ "next_page_one_byte", GHCB_GPA + PAGE_SIZE, 1, false, 0 },
	{ "next_page_16_pages", GHCB_GPA + PAGE_SIZE, LIMIT, false, 0 },
	{ "next_page_16_pages_and_a_byte", GHCB_GPA + PAGE_SIZE, LIMIT + 1,
	  false, BAD },
	{ "previous_page_16_pages", GHCB_GPA - LIMIT, LIMIT, false, 0 },
	{ "unaligned_16_pages", 0x100008ULL, LIMIT, false, 0 },
	{ "unaligned_16_pages_and_a_byte", 0x100008ULL, LIMIT + 1, false,
	  BAD },
	{ "elsewhere_length_u32_max", 0x100000ULL, U32_MAX, false, BAD },
	/* gpa 0 is no scratch area, as KVM, whatever the length */
	{ "gpa_zero", 0, 8, false, BAD },
	{ "gpa_zero_empty", 0, 0, false, BAD },
	/* gpa + len must not wrap */
	{ "wraps", U64_MAX - 7, 16, false, BAD },
	{ "ends_at_2_pow_64", U64_MAX - 7, 8, false, BAD },
	{ "ends_just_below_2_pow_64", U64_MAX - 7, 7, false, 0 },
	{ "wraps_from_shared_buffer", BUF_BEG, U64_MAX, true, BAD },
	{ "wraps_back_below_itself", BUF_BEG, U64_MAX - 0xf, true, BAD },
};

#undef BAD

KUNIT_ARRAY_PARAM(scratch_area, scratch_rows, scratch_row_desc);

static void scratch_area(struct kunit *test)
{
	const struct scratch_row *r = test->param_value;
	bool in_ghcb = !r->in_ghcb;

	KUNIT_EXPECT_EQ(test, r->reason,
			sev_es_check_scratch(GHCB_GPA, r->gpa, r->len,
					     &in_ghcb));
	KUNIT_EXPECT_EQ(test, r->in_ghcb, in_ghcb);
}

/* A GHCB at gpa 0: its shared buffer is no "gpa 0" */
static void scratch_in_ghcb_at_gpa_zero(struct kunit *test)
{
	bool in_ghcb = false;

	KUNIT_EXPECT_EQ(test, 0ULL,
			sev_es_check_scratch(0, GHCB_SHARED_BUF_OFFSET,
					     GHCB_SHARED_BUF_SIZE, &in_ghcb));
	KUNIT_EXPECT_TRUE(test, in_ghcb);
	KUNIT_EXPECT_EQ(test, (u64)GHCB_ERR_INVALID_SCRATCH_AREA,
			sev_es_check_scratch(0, 0, 8, &in_ghcb));
}

static struct kunit_case kvm_sev_ghcb_cases[] = {
	KUNIT_CASE_PARAM(exit_needs, exit_needs_gen_params),
	KUNIT_CASE_PARAM(exit_refused, exit_refused_gen_params),
	KUNIT_CASE(exit_check_reads_the_given_bitmap),
	KUNIT_CASE_PARAM(scratch_area, scratch_area_gen_params),
	KUNIT_CASE(scratch_in_ghcb_at_gpa_zero),
	{}
};

static struct kunit_suite kvm_sev_ghcb_suite = {
	.name = "kvm_sev_ghcb",
	.test_cases = kvm_sev_ghcb_cases,
};

kunit_test_suite(kvm_sev_ghcb_suite);
