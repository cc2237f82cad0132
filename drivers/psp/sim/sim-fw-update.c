// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP_DOWNLOAD_FIRMWARE_EX: firmware hot-load (SEV-SNP ABI 56860).
 *
 * Allowed while SNP is initialised, but only while SEV is UNINIT with no
 * guest (SEV_RET_INVALID_PLATFORM_STATE otherwise). The image is the
 * simulator's own format, struct sim_fw_image: a header naming the new
 * API version, build and SNP SVN, with a SHA-384 digest standing in for
 * AMD's signature (SEV_RET_BAD_SIGNATURE when it does not match). An image
 * older than the committed firmware is SEV_RET_BAD_SVN. The new firmware
 * is current at once; with commit it is also the committed one.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

static int sim_fw_version_cmp(u8 amaj, u8 amin, u8 abld, u8 bmaj, u8 bmin,
			      u8 bbld)
{
	u32 a = amaj << 16 | amin << 8 | abld, b = bmaj << 16 | bmin << 8 | bbld;

	return a < b ? -1 : a > b;
}

u16 sim_fw_download_ex(struct sim_fw *fw, void *buf)
{
	struct sev_psp_data_download_firmware_ex *d = buf;
	u8 digest[SIM_P384_BYTES], want[SIM_P384_BYTES];
	struct sim_fw_image *img;
	u8 committed_snp = fw->committed_tcb >> 48 & 0xff;
	u16 status;

	if (d->length != sizeof(*d))
		return SEV_RET_INVALID_LEN;
	if (d->rsvd || d->rsvd1)
		return SEV_RET_INVALID_PARAM;
	if (fw->state != SEV_STATE_UNINIT || fw->guest_count)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!IS_ALIGNED(d->fw_paddr, SEV_FW_ALIGNMENT))
		return SEV_RET_INVALID_ADDRESS;
	if (d->fw_len < sizeof(*img) || d->fw_len > SIM_FW_IMAGE_MAX)
		return SEV_RET_INVALID_LEN;

	img = kmalloc(d->fw_len, GFP_KERNEL);
	if (!img)
		return SEV_RET_RESOURCE_LIMIT;
	status = sim_fw_read(d->fw_paddr, img, d->fw_len);
	if (status)
		goto out_free;

	status = SEV_RET_BAD_SIGNATURE;
	if (memcmp(img->magic, SIM_FW_IMAGE_MAGIC, sizeof(img->magic)) ||
	    le32_to_cpu(img->len) != d->fw_len)
		goto out_free;
	memcpy(want, img->digest, sizeof(want));
	memset(img->digest, 0, sizeof(img->digest));
	if (sim_sha384(img, d->fw_len, digest) ||
	    memcmp(digest, want, sizeof(digest)))
		goto out_free;

	status = SEV_RET_BAD_SVN;
	if (sim_fw_version_cmp(img->api_major, img->api_minor, img->build,
			       fw->committed_api_major, fw->committed_api_minor,
			       fw->committed_build) < 0 ||
	    img->snp_svn < committed_snp)
		goto out_free;

	fw->api_major = img->api_major;
	fw->api_minor = img->api_minor;
	fw->build = img->build;
	fw->current_tcb = (fw->current_tcb & ~(0xffULL << 48)) |
			  (u64)img->snp_svn << 48;
	if (d->commit) {
		fw->committed_api_major = fw->api_major;
		fw->committed_api_minor = fw->api_minor;
		fw->committed_build = fw->build;
		fw->committed_tcb = fw->current_tcb;
	}
	status = SEV_RET_SUCCESS;

out_free:
	kfree(img);
	return status;
}
