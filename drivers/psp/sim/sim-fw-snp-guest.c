// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP guest contexts of the simulated firmware and their launch
 * (spec 56860):
 *
 *   SNP_GCTX_CREATE    a firmware-owned page becomes a guest context
 *   SNP_LAUNCH_START   the policy is checked; new VMPCKs and report id
 *                      (derived from the chip secret and the launch's
 *                      number); digest zero
 *   SNP_ACTIVATE       binds an ASID (sim-fw-asid.c has the rules)
 *   SNP_LAUNCH_UPDATE  a pre-guest page (assigned to the guest's ASID at
 *                      its GPA, immutable) is measured into the launch
 *                      digest and becomes guest-valid
 *   SNP_LAUNCH_FINISH  the ID block checked (sim-fw-snp-id.c), host data,
 *                      report id; the guest runs
 *   SNP_DECOMMISSION   the ASID is unbound and the context page is a plain
 *                      firmware page again, for SNP_PAGE_RECLAIM
 *
 * The launch digest is the spec's: for each page, in order,
 * digest = SHA-384(PAGE_INFO), where PAGE_INFO holds the previous digest,
 * the SHA-384 of the page's contents (NORMAL and VMSA pages; zero for the
 * others), and the page's type, VMPL permissions and GPA.
 *
 * A CPUID page is checked as the firmware checks it, against a policy
 * simpler than AMD's: the table's count and reserved fields, and leaf
 * 0x8000001F (the memory-encryption features), which may claim no feature
 * the platform lacks. A page that fails is corrected in place, left
 * unmeasured and pre-guest, and the command fails with INVALID_PARAM: the
 * hypervisor reclaims it and hands the VMM the corrected values.
 *
 * Not modelled yet, and refused rather than ignored: migration agents and
 * IMI launches (SEV_RET_UNSUPPORTED), 2 MiB LAUNCH_UPDATE pages
 * (SEV_RET_INVALID_PARAM).
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/smt.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <asm/processor.h>

#include "sim.h"

/* SNP_LAUNCH_UPDATE's PAGE_INFO, the launch digest's input */
struct sim_page_info {
	u8 digest_cur[SIM_P384_BYTES];
	u8 contents[SIM_P384_BYTES];
	__le16 length;
	u8 page_type;
	u8 imi_page;
	u8 vmpl3_perms;
	u8 vmpl2_perms;
	u8 vmpl1_perms;
	u8 rsvd;
	__le64 gpa;
} __packed;

/* The CPUID page (spec 56860, "CPUID Reporting") */
#define SIM_SNP_CPUID_MAX	64

struct sim_snp_cpuid_fn {
	u32 eax_in;
	u32 ecx_in;
	u64 xcr0_in;
	u64 xss_in;
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
	u64 reserved;
} __packed;

struct sim_snp_cpuid_table {
	u32 count;
	u32 reserved1;
	u64 reserved2;
	struct sim_snp_cpuid_fn fn[SIM_SNP_CPUID_MAX];
} __packed;

/* 0x8000001F EAX: SME, SEV, page flush MSR, SEV-ES, SEV-SNP, VMPL */
#define SIM_SNP_CPUID_MEM_ENC_EAX	(BIT(0) | BIT(1) | BIT(2) | BIT(3) | \
					 BIT(4) | BIT(5))

/* Correct @page in place; true if anything had to be corrected. */
static bool sim_snp_cpuid_correct(void *page)
{
	struct sim_snp_cpuid_table *t = page;
	bool bad = false;
	u32 i;

	BUILD_BUG_ON(sizeof(*t) > PAGE_SIZE);
	if (t->count > SIM_SNP_CPUID_MAX) {
		t->count = SIM_SNP_CPUID_MAX;
		bad = true;
	}
	if (t->reserved1 || t->reserved2) {
		t->reserved1 = 0;
		t->reserved2 = 0;
		bad = true;
	}
	for (i = 0; i < t->count; i++) {
		struct sim_snp_cpuid_fn *fn = &t->fn[i];

		if (fn->reserved) {
			fn->reserved = 0;
			bad = true;
		}
		if (fn->eax_in == 0x8000001f &&
		    fn->eax & ~SIM_SNP_CPUID_MEM_ENC_EAX) {
			fn->eax &= SIM_SNP_CPUID_MEM_ENC_EAX;
			bad = true;
		}
	}
	return bad;
}

/* The guest named by a command, in @state, with SNP up. */
static u16 sim_snp_guest_in(struct sim_fw *fw, u64 gctx_paddr,
			    enum sim_guest_state state, struct sim_guest **out)
{
	struct sim_guest *g;

	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	g = sim_fw_snp_guest(fw, gctx_paddr);
	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != state)
		return SEV_RET_INVALID_GUEST_STATE;
	*out = g;
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_gctx_create(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_addr *d = buf;
	struct sim_guest *g;
	u64 pfn;

	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!PAGE_ALIGNED(d->address) || !sim_fw_is_ram(d->address, PAGE_SIZE))
		return SEV_RET_INVALID_ADDRESS;
	pfn = PHYS_PFN(d->address);
	if (!sim_rmp_is_fw_page(pfn) || xa_load(&fw->snp_guests, pfn))
		return SEV_RET_INVALID_PAGE_STATE;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return SEV_RET_RESOURCE_LIMIT;
	g->snp = true;
	g->gctx_pfn = pfn;
	g->state = SIM_GSTATE_LAUNCH;
	if (xa_insert(&fw->snp_guests, pfn, g, GFP_KERNEL)) {
		kfree(g);
		return SEV_RET_RESOURCE_LIMIT;
	}
	fw->snp_guest_count++;
	return SEV_RET_SUCCESS;
}

static u16 sim_snp_policy_check(struct sim_fw *fw, u64 policy)
{
	if (policy & ~SIM_SNP_POLICY_KNOWN || !(policy & SIM_SNP_POLICY_RSVD_MBO))
		return SEV_RET_INVALID_PARAM;
	if (!sim_fw_api_ok(fw, SIM_SNP_POLICY_ABI_MAJOR(policy),
			   SIM_SNP_POLICY_ABI_MINOR(policy)))
		return SEV_RET_POLICY_FAILURE;
	/* A guest that does not allow SMT cannot run where SMT is on. */
	if (!(policy & SIM_SNP_POLICY_SMT) && sched_smt_active())
		return SEV_RET_POLICY_FAILURE;
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_launch_start(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_launch_start *d = buf;
	struct sim_guest *g;
	u16 status;
	int i, ret;

	status = sim_snp_guest_in(fw, d->gctx_paddr, SIM_GSTATE_LAUNCH, &g);
	if (status)
		return status;
	if (d->rsvd)
		return SEV_RET_INVALID_PARAM;
	if (d->ma_en || d->imi_en)
		return SEV_RET_UNSUPPORTED;
	status = sim_snp_policy_check(fw, d->policy);
	if (status)
		return status;

	fw->launches++;
	ret = sim_fw_launch_key(fw, "report-id", 0, g->report_id,
				sizeof(g->report_id));
	for (i = 0; i < SNP_MSG_NR_VMPCK && !ret; i++)
		ret = sim_fw_launch_key(fw, "vmpck", i, g->vmpck[i],
					sizeof(g->vmpck[i]));
	if (ret)
		return SEV_RET_RESOURCE_LIMIT;
	g->policy = d->policy;
	memcpy(g->gosvw, d->gosvw, sizeof(g->gosvw));
	memset(g->digest, 0, sizeof(g->digest));
	g->state = SIM_GSTATE_LUPDATE;
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_activate(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_activate *d = buf;
	struct sim_guest *g;

	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	g = sim_fw_snp_guest(fw, d->gctx_paddr);
	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state == SIM_GSTATE_LAUNCH)
		return SEV_RET_INVALID_GUEST_STATE;
	return sim_fw_asid_bind(fw, g, d->asid);
}

/* The firmware fills the secrets page: the guest's keys, and who it is. */
static void sim_snp_fill_secrets(struct sim_guest *g,
				 struct sev_psp_secrets_page *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->version = cpu_to_le32(3);
	sp->fms = cpu_to_le32(cpuid_eax(1) & 0x0fff3fff);
	memcpy(sp->gosvw, g->gosvw, sizeof(sp->gosvw));
	memcpy(sp->vmpck, g->vmpck, sizeof(sp->vmpck));
}

static int sim_snp_measure(struct sim_guest *g,
			   const struct sev_data_snp_launch_update *d,
			   const void *page, u64 gpa)
{
	struct sim_page_info info = {};
	int ret = 0;

	memcpy(info.digest_cur, g->digest, sizeof(info.digest_cur));
	if (d->page_type == SNP_PAGE_TYPE_NORMAL ||
	    d->page_type == SNP_PAGE_TYPE_VMSA)
		ret = sim_sha384(page, PAGE_SIZE, info.contents);
	info.length = cpu_to_le16(sizeof(info));
	info.page_type = d->page_type;
	info.imi_page = d->imi_page;
	info.vmpl3_perms = d->vmpl3_perms;
	info.vmpl2_perms = d->vmpl2_perms;
	info.vmpl1_perms = d->vmpl1_perms;
	info.gpa = cpu_to_le64(gpa);
	if (!ret)
		ret = sim_sha384(&info, sizeof(info), g->digest);
	return ret;
}

u16 sim_fw_snp_launch_update(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_launch_update *d = buf;
	struct sim_guest *g;
	struct rmp_state s;
	void *page;
	u16 status;
	u64 pfn;

	BUILD_BUG_ON(sizeof(struct sim_page_info) != 0x70);

	status = sim_snp_guest_in(fw, d->gctx_paddr, SIM_GSTATE_LUPDATE, &g);
	if (status)
		return status;
	if (d->rsvd || d->rsvd2 || d->rsvd3 || d->rsvd4 || d->imi_page ||
	    d->page_size || !d->page_type || d->page_type >= SNP_PAGE_TYPE_MAX)
		return SEV_RET_INVALID_PARAM;
	if (d->page_type == SNP_PAGE_TYPE_SECRET && g->secrets_given)
		return SEV_RET_INVALID_PARAM;
	if (!PAGE_ALIGNED(d->address) || !sim_fw_is_ram(d->address, PAGE_SIZE))
		return SEV_RET_INVALID_ADDRESS;

	/* Pre-guest: assigned to this guest, immutable, not yet valid. */
	pfn = PHYS_PFN(d->address);
	sim_rmp_fw_lookup(pfn, &s);
	if (!s.assigned || !s.immutable || s.validated || !s.asid)
		return SEV_RET_INVALID_PAGE_STATE;
	if (s.asid != g->asid)
		return SEV_RET_INVALID_PAGE_OWNER;
	if (s.pagesize != RMP_PG_SIZE_4K)
		return SEV_RET_INVALID_PAGE_SIZE;

	page = phys_to_virt(d->address);
	if (d->page_type == SNP_PAGE_TYPE_CPUID && sim_snp_cpuid_correct(page))
		return SEV_RET_INVALID_PARAM;
	switch (d->page_type) {
	case SNP_PAGE_TYPE_ZERO:
		memset(page, 0, PAGE_SIZE);
		break;
	case SNP_PAGE_TYPE_SECRET:
		sim_snp_fill_secrets(g, page);
		g->secrets_given = true;
		break;
	default:
		/* NORMAL, VMSA, UNMEASURED, CPUID: the contents as given */
		break;
	}
	if (sim_snp_measure(g, d, page, s.gpa))
		return SEV_RET_RESOURCE_LIMIT;

	s.validated = 1;
	s.immutable = 0;
	s.vmsa = d->page_type == SNP_PAGE_TYPE_VMSA;
	if (sim_rmp_fw_set(pfn, &s))
		return SEV_RET_RESOURCE_LIMIT;
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_launch_finish(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_launch_finish *d = buf;
	struct sim_guest *g;
	u16 status;

	status = sim_snp_guest_in(fw, d->gctx_paddr, SIM_GSTATE_LUPDATE, &g);
	if (status)
		return status;
	if (d->rsvd)
		return SEV_RET_INVALID_PARAM;
	status = sim_fw_snp_id(fw, g, d);
	if (status)
		return status;

	memcpy(g->host_data, d->host_data, sizeof(g->host_data));
	g->launch_tcb = fw->current_tcb;
	g->vcek_disabled = d->vcek_disabled;
	g->state = SIM_GSTATE_RUNNING;
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_decommission(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_addr *d = buf;
	struct sim_guest *g;

	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	g = sim_fw_snp_guest(fw, d->address);
	if (!g)
		return SEV_RET_INVALID_GUEST;

	sim_fw_asid_unbind(fw, g);
	xa_erase(&fw->snp_guests, g->gctx_pfn);
	kfree_sensitive(g);
	fw->snp_guest_count--;
	return SEV_RET_SUCCESS;
}
