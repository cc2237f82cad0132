// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform initialisation and shutdown: the one place that decides them.
 *
 * What the firmware requires (the simulator refuses every other order with
 * the spec's status, and real firmware does too):
 *
 *  1. SNP_INIT(_EX) fails once SEV INIT has completed.
 *  2. With SNP enabled on the platform (SYSCFG.SNPEn, reported by the
 *     platform), SEV INIT fails until SNP_INIT_EX has run
 *     (SEV_RET_RMP_INIT_REQUIRED). So SNP always comes first, also on a host
 *     that will only run SEV and SEV-ES guests. Where the platform has SNP
 *     off, SNP initialisation is skipped.
 *  3. Caches are written back on every CPU before and after SNP_INIT_EX,
 *     and SNP_DF_FLUSH follows; SEV INIT is followed by another write-back
 *     and DF_FLUSH. A DF_FLUSH without the write-back it needs fails with
 *     SEV_RET_WBINVD_REQUIRED.
 *  4. DOWNLOAD_FIRMWARE_EX (firmware hot-load) is allowed while SNP is
 *     initialised, but only while SEV is UNINIT and runs no guest. Leaving
 *     SEV INIT to the first SEV guest (psp_init_on_probe=0) keeps it
 *     possible; SNP is initialised at probe either way.
 *  5. Shutdown goes the other way: SEV SHUTDOWN, then SNP_SHUTDOWN_EX
 *     (after an SNP_DF_FLUSH if the firmware asks for one).
 *
 * sev_init_plan() turns these into the steps one call takes, from the state
 * the platform is in and the reason for the call; __sev_platform_init_locked()
 * carries them out. Every path that brings the platform up goes through
 * them: probe, the in-kernel API, and /dev/sev commands that need SEV or
 * SNP initialised for one call (__sev_transient_init_locked()).
 */
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "psp.h"
#include <sev-psp/platform.h>

static bool psp_init_on_probe = true;
module_param(psp_init_on_probe, bool, 0444);
MODULE_PARM_DESC(psp_init_on_probe, " if true, the PSP will be initialized on module init. Else the PSP will be initialized on the first command requiring it");

static unsigned int ciphertext_hiding_asids;
module_param(ciphertext_hiding_asids, uint, 0444);
MODULE_PARM_DESC(ciphertext_hiding_asids, " number of SNP ASIDs (1..N) with ciphertext hiding at SNP_INIT_EX; 0: off");

/* SEV-ES TMR: 1 MiB, 2 MiB once SNP is up (both naturally aligned) */
#define SEV_TMR_SIZE		SZ_1M
#define SEV_TMR_SIZE_SNP	SZ_2M

/**
 * sev_init_plan() - the steps one initialisation call takes
 * @snp_platform:	the platform has SNP enabled
 * @snp_up:		SNP is initialised
 * @sev_up:		SEV is initialised
 * @reason:		who asks: probe (or a module load that stands for it),
 *			something that needs SEV (a guest, a /dev/sev
 *			command), or something that needs only SNP
 * @init_on_probe:	psp_init_on_probe
 *
 * Return: SEV_INIT_STEP_* flags.
 */
unsigned int sev_init_plan(bool snp_platform, bool snp_up, bool sev_up,
			   enum sev_init_reason reason, bool init_on_probe)
{
	unsigned int steps = 0;

	/* Rules 1 and 2: SNP first, and only while SEV is not up. */
	if (snp_platform && !snp_up && !sev_up)
		steps |= SEV_INIT_STEP_SNP;
	/* Rule 4: SEV INIT may wait for the first guest. */
	if (!sev_up && reason != SEV_INIT_FOR_SNP &&
	    (reason != SEV_INIT_PROBE || init_on_probe))
		steps |= SEV_INIT_STEP_SEV;
	return steps;
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(sev_init_plan);

/* Rule 4. */
bool sev_dlfw_ex_allowed(bool sev_up, u32 sev_guests)
{
	return !sev_up && !sev_guests;
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(sev_dlfw_ex_allowed);

struct sev_range_walk {
	struct sev_data_range_list *list;
	unsigned int max;
	int err;
};

static int sev_add_range(struct resource *res, void *arg)
{
	struct sev_range_walk *w = arg;
	struct sev_data_range *r;
	u64 base = ALIGN_DOWN(res->start, PAGE_SIZE);
	u64 end = ALIGN(res->end + 1, PAGE_SIZE);

	if (w->list->num_elements >= w->max) {
		w->err = -E2BIG;
		return 1;
	}
	r = &w->list->ranges[w->list->num_elements++];
	r->base = base;
	r->page_count = (end - base) >> PAGE_SHIFT;
	return 0;
}

/*
 * The ranges SNP_INIT_EX makes HV_FIXED: memory the firmware and the
 * platform use that must never be assigned to a guest (the reserved, ACPI
 * and persistent memory ranges of the memory map, as upstream).
 */
static int sev_build_range_list(struct sev_data_range_list *list)
{
	static const unsigned long descs[] = {
		IORES_DESC_RESERVED, IORES_DESC_ACPI_TABLES,
		IORES_DESC_ACPI_NV_STORAGE, IORES_DESC_PERSISTENT_MEMORY,
	};
	struct sev_range_walk w = {
		.list = list,
		.max = (PAGE_SIZE - sizeof(*list)) / sizeof(list->ranges[0]),
	};
	int i;

	list->num_elements = 0;
	for (i = 0; i < ARRAY_SIZE(descs) && !w.err; i++)
		walk_iomem_res_desc(descs[i], IORESOURCE_MEM, 0, -1, &w,
				    sev_add_range);
	return w.err;
}

/*
 * SNP_PLATFORM_STATUS. The firmware writes only a firmware-owned page
 * (else INVALID_PAGE_STATE); it is reclaimed before it is read.
 */
int __sev_snp_platform_status_locked(struct sev_device *sev,
				     struct sev_user_data_snp_status *status,
				     int *error)
{
	struct sev_data_snp_addr buf;
	struct page *page;
	int ret, lost;

	page = __sev_fw_alloc_pages(sev, GFP_KERNEL_ACCOUNT, 0);
	if (!page)
		return -ENOMEM;
	buf.address = __psp_pa(page_address(page));
	ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_PLATFORM_STATUS, &buf,
				  error);
	/* A status the firmware kept is no status: never read @status then. */
	lost = __sev_fw_free_pages_copy(sev, page, 0, ret ? NULL : status,
					sizeof(*status));
	return ret ?: lost;
}

/*
 * Can the firmware hide ciphertext? FEATURE_INFO's ECX says the CPU can
 * and the platform status that the firmware can (as upstream checks).
 */
static bool __sev_snp_ciphertext_hiding_supported(struct sev_device *sev)
{
	struct sev_data_snp_feature_info data = {
		.length = sizeof(data),
	};
	struct sev_user_data_snp_status status;
	struct snp_feature_info info;
	struct page *page;
	int ret, error;

	ret = __sev_snp_platform_status_locked(sev, &status, &error);
	if (ret || !status.feature_info || !status.ciphertext_hiding_cap)
		return false;

	page = __sev_fw_alloc_pages(sev, GFP_KERNEL, 0);
	if (!page)
		return false;
	data.feature_info_paddr = __psp_pa(page_address(page));
	ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_FEATURE_INFO, &data, &error);
	if (__sev_fw_free_pages_copy(sev, page, 0, ret ? NULL : &info,
				     sizeof(info)))
		return false;
	return !ret && (info.ecx & SNP_CIPHER_TEXT_HIDING_SUPPORTED);
}

static int __sev_snp_init_locked(struct sev_device *sev, u32 max_snp_asid,
				 int *error)
{
	struct sev_user_data_snp_status status;
	struct psp_device *psp = sev_to_psp(sev);
	struct sev_data_snp_init_ex data = {};
	struct sev_data_range_list *list;
	int ret;

	lockdep_assert_held(&sev->cmd_mutex);
	*error = 0;

	if (sev->snp_initialized)
		return 0;
	if (!sev_snp_platform_enabled())
		return -ENODEV;
	if (!sev_version_greater_or_equal(sev, 1, 51)) {
		dev_dbg(psp->be.dev, "SNP: firmware %u.%u is older than 1.51\n",
			sev->api_major, sev->api_minor);
		return -EOPNOTSUPP;
	}

	list = (void *)get_zeroed_page(GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	ret = sev_build_range_list(list);
	if (ret)
		goto out_free;

	data.init_rmp = 1;
	data.list_paddr_en = 1;
	data.list_paddr = __psp_pa(list);
	if (max_snp_asid && !__sev_snp_ciphertext_hiding_supported(sev)) {
		dev_warn(psp->be.dev, "SNP: no ciphertext hiding on this platform, not enabling it\n");
		max_snp_asid = 0;
	}
	if (max_snp_asid) {
		data.ciphertext_hiding_en = 1;
		data.max_snp_asid = max_snp_asid;
	}

	/* Rule 3: write back, SNP_INIT_EX, write back, SNP_DF_FLUSH. */
	sev_wbinvd_all();
	ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_INIT_EX, &data, error);
	if (ret)
		goto out_free;
	sev->snp_initialized = true;
	sev_wbinvd_all();
	ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_DF_FLUSH, NULL, error);
	if (ret) {
		dev_err(psp->be.dev, "SNP: DF_FLUSH failed: %d, error %#x\n",
			ret, *error);
		goto out_free;
	}

	/* What the firmware reports, as the driver's record of SNP_CONFIG */
	ret = __sev_snp_platform_status_locked(sev, &status, error);
	if (ret)
		goto out_free;
	memset(&sev->snp_config, 0, sizeof(sev->snp_config));
	sev->snp_config.reported_tcb = status.reported_tcb_version;
	sev->snp_config.mask_chip_id = status.mask_chip_id;
	sev->snp_config.mask_chip_key = status.mask_chip_key;
	dev_dbg(psp->be.dev, "SNP firmware initialized\n");

out_free:
	free_page((unsigned long)list);
	return ret;
}

static void __sev_tmr_free_locked(struct sev_device *sev)
{
	if (!sev->tmr)
		return;
	__sev_fw_free_pages(sev, sev->tmr, sev->tmr_order, sev->tmr_fw_owned);
	sev->tmr = NULL;
}

/* INIT, or INIT_EX with the NV buffer when init_ex_path is set */
static int __sev_init_cmd_locked(struct sev_device *sev,
				 struct sev_data_init *init, int *error)
{
	struct sev_data_init_ex ex = {
		.length = sizeof(ex),
		.flags = init->flags,
		.tmr_address = init->tmr_address,
		.tmr_len = init->tmr_len,
		.nv_len = SEV_NV_LEN,
	};
	int ret;

	if (!sev_init_ex_enabled())
		return __sev_do_cmd_locked(sev, SEV_CMD_INIT, init, error);

	*error = 0;
	ret = __sev_nv_get_locked(sev, &ex.nv_address);
	if (ret)
		return ret;
	ret = __sev_do_cmd_locked(sev, SEV_CMD_INIT_EX, &ex, error);
	if (ret == -EIO && *error == SEV_RET_SECURE_DATA_INVALID)
		dev_err(sev_to_psp(sev)->be.dev,
			"SEV: the firmware refused the INIT_EX data as corrupt\n");
	return ret;
}

/* SEV INIT with a TMR for SEV-ES, then rule 3's write-back and DF_FLUSH. */
static int __sev_init_locked(struct sev_device *sev, int *error)
{
	struct psp_device *psp = sev_to_psp(sev);
	struct sev_data_init data = {};
	size_t tmr_size = sev->snp_initialized ? SEV_TMR_SIZE_SNP :
						 SEV_TMR_SIZE;
	int ret;

	*error = 0;
	if (sev->sev_initialized)
		return 0;

	/* Without a TMR the platform comes up for plain SEV only. */
	sev->tmr_order = get_order(tmr_size);
	sev->tmr_fw_owned = sev->snp_initialized;
	sev->tmr = __sev_fw_alloc_pages(sev, GFP_KERNEL | __GFP_NOWARN,
					sev->tmr_order);
	if (sev->tmr) {
		data.flags |= SEV_INIT_FLAGS_SEV_ES;
		data.tmr_address = __psp_pa(page_address(sev->tmr));
		data.tmr_len = tmr_size;
	} else {
		dev_warn(psp->be.dev, "SEV: TMR allocation failed, SEV-ES support unavailable\n");
	}

	ret = __sev_init_cmd_locked(sev, &data, error);
	/*
	 * SECURE_DATA_INVALID: the firmware's persistent state (its own, or
	 * INIT_EX's NV buffer) failed its integrity check. Real firmware
	 * then replaces it with a reset state, so a second INIT can succeed;
	 * upstream's ccp retries once for that reason, and so does this
	 * driver. A second failure is final.
	 */
	if (ret == -EIO && *error == SEV_RET_SECURE_DATA_INVALID)
		ret = __sev_init_cmd_locked(sev, &data, error);
	if (ret) {
		__sev_tmr_free_locked(sev);
		return ret;
	}
	sev->sev_initialized = true;

	sev_wbinvd_all();
	ret = __sev_do_cmd_locked(sev, SEV_CMD_DF_FLUSH, NULL, error);
	if (ret)
		dev_err(psp->be.dev, "SEV: DF_FLUSH failed: %d, error %#x\n",
			ret, *error);
	else
		dev_dbg(psp->be.dev, "SEV firmware initialized\n");
	return ret;
}

/**
 * __sev_platform_init_locked() - initialise the platform as far as asked
 * @sev:	the device
 * @reason:	see sev_init_plan()
 * @max_snp_asid: SNP ASIDs with ciphertext hiding, 0 for none
 * @error:	the firmware status of a failed step
 *
 * Return: 0, or the error of the step that failed. For SEV_INIT_FOR_SNP,
 * SNP that cannot come up is an error too: -ENODEV on a platform without
 * it, or what the firmware would answer to SNP_INIT_EX after SEV INIT
 * (rule 1), without asking it.
 */
int __sev_platform_init_locked(struct sev_device *sev,
			       enum sev_init_reason reason, u32 max_snp_asid,
			       int *error)
{
	bool snp_platform = sev_snp_platform_enabled();
	unsigned int steps;
	int ret;

	lockdep_assert_held(&sev->cmd_mutex);
	*error = 0;

	steps = sev_init_plan(snp_platform, sev->snp_initialized,
			      sev->sev_initialized, reason, psp_init_on_probe);

	if (steps & SEV_INIT_STEP_SNP) {
		ret = __sev_snp_init_locked(sev, max_snp_asid, error);
		if (ret)
			return ret;
	}
	if (steps & SEV_INIT_STEP_SEV)
		return __sev_init_locked(sev, error);
	if (reason == SEV_INIT_FOR_SNP && !sev->snp_initialized) {
		if (!snp_platform)
			return -ENODEV;
		*error = SEV_RET_INVALID_PLATFORM_STATE;
		return -EIO;
	}
	return 0;
}

int __sev_platform_probe_init_locked(struct sev_device *sev)
{
	struct psp_device *psp = sev_to_psp(sev);
	int ret, error;

	ret = __sev_platform_init_locked(sev, SEV_INIT_PROBE,
					 ciphertext_hiding_asids, &error);
	if (ret)
		/* /dev/sev stays usable: status, reset, diagnostics. */
		dev_err(psp->be.dev, "SEV: platform init failed: %d, error %#x\n",
			ret, error);
	return 0;
}

/**
 * __sev_transient_init_locked() - bring the platform up for one command
 * @sev:		the device
 * @reason:		SEV_INIT_FOR_SEV or SEV_INIT_FOR_SNP: what it needs
 * @shutdown_required:	set when it was brought up here, for
 *			__sev_transient_leave_locked()
 * @error:		SEV_RET_INVALID_PLATFORM_STATE when it could not be
 *
 * /dev/sev commands that need SEV (or SNP) initialised bring it up for the
 * one call, through the policy, and shut it down afterwards (as upstream).
 */
int __sev_transient_init_locked(struct sev_device *sev,
				enum sev_init_reason reason,
				bool *shutdown_required, int *error)
{
	bool up = reason == SEV_INIT_FOR_SNP ? sev->snp_initialized :
					       sev->sev_initialized;
	int ret, fw_error;

	*shutdown_required = false;
	if (up)
		return 0;
	ret = __sev_platform_init_locked(sev, reason, 0, &fw_error);
	if (ret) {
		*error = SEV_RET_INVALID_PLATFORM_STATE;
		return ret;
	}
	*shutdown_required = true;
	return 0;
}

/* Undo __sev_transient_init_locked(); a failure is only logged. */
void __sev_transient_leave_locked(struct sev_device *sev,
				  enum sev_init_reason reason,
				  bool shutdown_required)
{
	bool snp = reason == SEV_INIT_FOR_SNP;
	int ret, error;

	if (!shutdown_required)
		return;
	ret = snp ? __sev_snp_shutdown_locked(sev, &error) :
		    __sev_platform_shutdown_locked(sev, &error);
	if (ret)
		dev_warn(sev_to_psp(sev)->be.dev,
			 "%s: shutdown after a transient init failed, error %#x\n",
			 snp ? "SNP" : "SEV", error);
}

int __sev_platform_shutdown_locked(struct sev_device *sev, int *error)
{
	int ret;

	lockdep_assert_held(&sev->cmd_mutex);
	*error = 0;

	ret = __sev_do_cmd_locked(sev, SEV_CMD_SHUTDOWN, NULL, error);
	if (ret)
		return ret;
	sev->sev_initialized = false;
	sev_wbinvd_all();
	__sev_tmr_free_locked(sev);
	return 0;
}

int __sev_snp_shutdown_locked(struct sev_device *sev, int *error)
{
	struct sev_data_snp_shutdown_ex data = {
		.len = sizeof(data),
		.iommu_snp_shutdown = 1,
	};
	int ret;

	lockdep_assert_held(&sev->cmd_mutex);
	*error = 0;
	if (!sev->snp_initialized)
		return 0;

	ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_SHUTDOWN_EX, &data, error);
	if (ret == -EIO && *error == SEV_RET_DFFLUSH_REQUIRED) {
		sev_wbinvd_all();
		ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_DF_FLUSH, NULL, error);
		if (!ret)
			ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_SHUTDOWN_EX,
						  &data, error);
	}
	if (ret)
		return ret;
	sev->snp_initialized = false;
	return 0;
}

/* Rule 5, for removal: everything down, in order, as far as it goes. */
void __sev_firmware_shutdown_locked(struct sev_device *sev)
{
	struct device *dev = sev_to_psp(sev)->be.dev;
	int ret, error;

	if (sev->sev_initialized) {
		ret = __sev_platform_shutdown_locked(sev, &error);
		if (ret)
			dev_warn(dev, "SEV: SHUTDOWN failed: %d, error %#x\n",
				 ret, error);
	}
	if (!sev->sev_initialized)
		__sev_nv_put_locked(sev);
	if (sev->snp_initialized) {
		ret = __sev_snp_shutdown_locked(sev, &error);
		if (ret)
			dev_warn(dev, "SNP: SHUTDOWN_EX failed: %d, error %#x\n",
				 ret, error);
	}
}
