// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP platform commands of the simulated firmware (spec 56860).
 *
 * The SNP platform state is UNINIT or INIT, next to the SEV one, and the
 * two are ordered (sim-fw-platform.c enforces the SEV side):
 *   - SNP_INIT_EX is refused once SEV INIT has completed;
 *   - with SNP enabled on the platform, SEV INIT needs SNP initialised
 *     (SEV_RET_RMP_INIT_REQUIRED otherwise);
 *   - SNP_SHUTDOWN_EX needs SEV shut down first, no SNP guest, and no
 *     unbound ASID waiting for its DF_FLUSH (SEV_RET_DFFLUSH_REQUIRED).
 * SNP_DF_FLUSH, like DF_FLUSH, needs a WBINVD since the caches were last
 * dirtied (sim-fw-asid.c), and makes every unbound ASID reusable.
 *
 * SNP_INIT_EX initialises the RMP: from then on every page the firmware
 * writes for the hypervisor must be firmware-owned in it (sim-fw-mem.c).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

#define SIM_RANGE_LIST_MAX \
	((PAGE_SIZE - sizeof(struct sev_data_range_list)) / \
	 sizeof(struct sev_data_range))

static u16 sim_fw_mark_hv_fixed(struct sim_fw *fw, u64 list_pa)
{
	struct sev_data_range_list *list;
	u16 status = SEV_RET_SUCCESS;
	u32 i, n;

	list = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!list)
		return SEV_RET_RESOURCE_LIMIT;

	if (!IS_ALIGNED(list_pa, PAGE_SIZE)) {
		status = SEV_RET_INVALID_ADDRESS;
		goto out_free;
	}
	status = sim_fw_read(list_pa, list, PAGE_SIZE);
	if (status)
		goto out_free;

	n = list->num_elements;
	if (n > SIM_RANGE_LIST_MAX) {
		status = SEV_RET_INVALID_PARAM;
		goto out_free;
	}
	/* Check every range before marking any. */
	for (i = 0; i < n; i++) {
		struct sev_data_range *r = &list->ranges[i];
		u64 end;

		if (!IS_ALIGNED(r->base, PAGE_SIZE) || !r->page_count ||
		    check_add_overflow(r->base, (u64)r->page_count << PAGE_SHIFT,
				       &end)) {
			status = SEV_RET_INVALID_PARAM;
			goto out_free;
		}
	}
	for (i = 0; i < n; i++) {
		if (sim_rmp_fw_add_fixed(PHYS_PFN(list->ranges[i].base),
					 list->ranges[i].page_count)) {
			status = SEV_RET_RESOURCE_LIMIT;
			goto out_free;
		}
		fw->hv_fixed_pages += list->ranges[i].page_count;
	}

out_free:
	kfree(list);
	return status;
}

u16 sim_fw_snp_init_ex(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_init_ex *d = buf;
	u16 status;

	if (!fw->snp_enabled)
		return SEV_RET_INVALID_CONFIG;
	/* Too late once SEV is initialised; and only once. */
	if (fw->state != SEV_STATE_UNINIT || fw->snp_state != SIM_SNP_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->rsvd || d->rsvd1 || d->tio_en ||
	    memchr_inv(d->rsvd2, 0, sizeof(d->rsvd2)))
		return SEV_RET_INVALID_PARAM;
	if (d->ciphertext_hiding_en &&
	    (!d->max_snp_asid || d->max_snp_asid > SIM_MAX_SNP_ASID))
		return SEV_RET_INVALID_PARAM;

	if (d->list_paddr_en) {
		status = sim_fw_mark_hv_fixed(fw, d->list_paddr);
		if (status)
			return status;
	}

	/*
	 * init_rmp asks the firmware to initialise the RMP. The simulated
	 * RMP starts out all hypervisor-owned and is shared by every
	 * simulated PSP, so it is not wiped again here.
	 */
	fw->rmp_initialized = true;
	fw->snp_state = SIM_SNP_INIT;
	fw->ciphertext_hiding_en = d->ciphertext_hiding_en;
	fw->max_snp_asid = d->ciphertext_hiding_en ? d->max_snp_asid : 0;
	sim_fw_require_wbinvd(fw);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_shutdown_ex(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_shutdown_ex *d = buf;

	if (d->len != sizeof(*d))
		return SEV_RET_INVALID_LEN;
	if (d->rsvd1)
		return SEV_RET_INVALID_PARAM;
	if (fw->snp_state == SIM_SNP_UNINIT)
		return SEV_RET_SUCCESS;
	/* Legacy SEV first, and no SNP guest left. */
	if (fw->state != SEV_STATE_UNINIT || fw->snp_guest_count)
		return SEV_RET_INVALID_PLATFORM_STATE;
	/* ... nor any guest's data in the fabric's buffers. */
	if (!bitmap_empty(fw->asid_dirty, SIM_MAX_ASID + 1))
		return SEV_RET_DFFLUSH_REQUIRED;

	fw->snp_state = SIM_SNP_UNINIT;
	fw->rmp_initialized = false;
	fw->ciphertext_hiding_en = false;
	sim_fw_require_wbinvd(fw);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_platform_status(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_addr *d = buf;
	struct sev_user_data_snp_status st = {};
	u16 status;

	status = sim_fw_check_output(fw, d->address, sizeof(st));
	if (status)
		return status;

	st.api_major = fw->api_major;
	st.api_minor = fw->api_minor;
	st.state = fw->snp_state;
	st.is_rmp_initialized = fw->rmp_initialized;
	st.build_id = fw->build;
	st.mask_chip_id = fw->mask_chip_id;
	st.mask_chip_key = fw->mask_chip_key;
	st.vlek_en = fw->vlek_en;
	st.feature_info = 1;
	st.ciphertext_hiding_cap = 1;
	st.ciphertext_hiding_en = fw->ciphertext_hiding_en;
	st.guest_count = fw->snp_guest_count;
	st.current_tcb_version = fw->current_tcb;
	st.reported_tcb_version = fw->reported_tcb;

	return sim_fw_write(d->address, &st, sizeof(st));
}

u16 sim_fw_snp_df_flush(struct sim_fw *fw, void *buf)
{
	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!sim_fw_wbinvd_done(fw))
		return SEV_RET_WBINVD_REQUIRED;
	sim_fw_asids_flushed(fw);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_commit(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_commit *d = buf;

	if (d->len != sizeof(*d))
		return SEV_RET_INVALID_LEN;
	/*
	 * In any SNP state: 56860's table 5 does not list it for UNINIT, but
	 * AMD says the firmware accepts it there and the table will follow.
	 */
	if (!fw->snp_enabled)
		return SEV_RET_INVALID_CONFIG;

	fw->committed_tcb = fw->current_tcb;
	fw->committed_api_major = fw->api_major;
	fw->committed_api_minor = fw->api_minor;
	fw->committed_build = fw->build;
	return SEV_RET_SUCCESS;
}

u16 sim_fw_snp_config(struct sim_fw *fw, void *buf)
{
	struct sev_user_data_snp_config *d = buf;

	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->rsvd || memchr_inv(d->rsvd1, 0, sizeof(d->rsvd1)))
		return SEV_RET_INVALID_PARAM;
	if (!sim_fw_tcb_le(d->reported_tcb, fw->current_tcb))
		return SEV_RET_INVALID_PARAM;

	fw->reported_tcb = d->reported_tcb;
	fw->mask_chip_id = d->mask_chip_id;
	fw->mask_chip_key = d->mask_chip_key;
	return SEV_RET_SUCCESS;
}

/*
 * The hashstick must be this chip's (it unwraps) and for the reported TCB;
 * the VLEK is then derived from the seed and that TCB.
 */
u16 sim_fw_snp_vlek_load(struct sim_fw *fw, void *buf)
{
	struct sev_user_data_snp_vlek_load *d = buf;
	struct sim_vlek_hashstick *hs;
	u8 key[32];
	u16 status;
	u64 tcb;

	BUILD_BUG_ON(sizeof(*hs) !=
		     sizeof(struct sev_user_data_snp_wrapped_vlek_hashstick));

	if (d->len != sizeof(*d))
		return SEV_RET_INVALID_LEN;
	if (d->vlek_wrapped_version || memchr_inv(d->rsvd, 0, sizeof(d->rsvd)))
		return SEV_RET_INVALID_PARAM;
	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;

	hs = kmalloc(sizeof(*hs), GFP_KERNEL);
	if (!hs)
		return SEV_RET_RESOURCE_LIMIT;
	status = sim_fw_read(d->vlek_wrapped_address, hs, sizeof(*hs));
	if (status)
		goto out_free;

	status = SEV_RET_INVALID_KEY;
	if (memcmp(hs->magic, SIM_VLEK_MAGIC, sizeof(hs->magic)) ||
	    sim_fw_vlek_wrap_key(fw, key) ||
	    sim_aes256_gcm(false, key, hs->iv, hs, 16, hs->wrapped_seed,
			   sizeof(hs->wrapped_seed), hs->tag))
		goto out_free;

	tcb = le64_to_cpu(hs->tcb);
	if (tcb != fw->reported_tcb) {
		status = SEV_RET_INVALID_PARAM;
		goto out_free;
	}
	if (sim_p384_derive_key(hs->wrapped_seed, sizeof(hs->wrapped_seed),
				"vlek", &hs->tcb, sizeof(hs->tcb),
				fw->vlek_priv)) {
		status = SEV_RET_RESOURCE_LIMIT;
		goto out_free;
	}
	fw->vlek_en = true;
	status = SEV_RET_SUCCESS;

out_free:
	memzero_explicit(key, sizeof(key));
	kfree_sensitive(hs);
	return status;
}

u16 sim_fw_snp_feature_info(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_feature_info *d = buf;
	struct snp_feature_info info = {
		.ecx = SNP_CIPHER_TEXT_HIDING_SUPPORTED,
	};
	u16 status;

	if (d->length != sizeof(*d))
		return SEV_RET_INVALID_LEN;
	if (d->ecx_in)
		return SEV_RET_INVALID_PARAM;
	status = sim_fw_check_output(fw, d->feature_info_paddr, sizeof(info));
	if (status)
		return status;
	return sim_fw_write(d->feature_info_paddr, &info, sizeof(info));
}

/*
 * Firmware, metadata and pre-guest pages (assigned and immutable) go to
 * the reclaim state: still assigned, no longer immutable, so that the
 * hypervisor can RMPUPDATE them back to itself.
 */
u16 sim_fw_snp_page_reclaim(struct sim_fw *fw, void *buf)
{
	struct sev_data_snp_page_reclaim *d = buf;
	int size = d->paddr & 1 ? RMP_PG_SIZE_2M : RMP_PG_SIZE_4K;
	u64 pfn = PHYS_PFN(d->paddr & PAGE_MASK);
	struct rmp_state s;

	if (fw->snp_state != SIM_SNP_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->paddr & (PAGE_SIZE - 2))
		return SEV_RET_INVALID_ADDRESS;
	if (size == RMP_PG_SIZE_2M && !IS_ALIGNED(pfn, RMP_2M_PAGES))
		return SEV_RET_INVALID_ADDRESS;
	if (!pfn_valid(pfn))
		return SEV_RET_INVALID_ADDRESS;

	sim_rmp_fw_lookup(pfn, &s);
	/* A guest context goes back only after SNP_DECOMMISSION. */
	if (!s.assigned || !s.immutable || xa_load(&fw->snp_guests, pfn))
		return SEV_RET_INVALID_PAGE_STATE;
	if (s.pagesize != size)
		return SEV_RET_INVALID_PAGE_SIZE;

	s = (struct rmp_state){ .assigned = 1, .pagesize = size };
	if (sim_rmp_fw_set(pfn, &s))
		return SEV_RET_RESOURCE_LIMIT;
	return SEV_RET_SUCCESS;
}
