// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform's non-volatile storage, as INIT_EX gives it to the firmware
 * (the command itself is in sim-fw-platform.c).
 *
 * With INIT_EX the hypervisor keeps the firmware's persistent state (the
 * owner, the OCA, PEK and PDH keys and certificates) in a 32 KiB buffer it
 * saves to a file. The firmware seals what it writes there with a MAC
 * under a key only the chip has, and refuses a buffer whose MAC is wrong
 * with SEV_RET_SECURE_DATA_INVALID. An all-zero buffer is a new one: the
 * firmware writes its state into it. After INIT_EX the firmware updates
 * the buffer on every change of that state (PEK_GEN, PDH_GEN,
 * PEK_CERT_IMPORT, FACTORY_RESET) until the PSP powers off.
 *
 * The image is sealed (MACed), not encrypted: it is a simulation.
 */
#include <linux/slab.h>
#include <crypto/algapi.h>
#include <linux/string.h>

#include "sim.h"

#define SIM_NV_MAGIC	"SEVSIMNV"

struct sim_nv_image {
	u8 magic[8];
	__le32 version;
	__le32 owner_external;
	struct sim_pki_state st;
	u8 mac[SIM_P384_BYTES];		/* over everything before it */
} __packed;

static int sim_nv_mac(struct sim_fw *fw, const struct sim_nv_image *img,
		      u8 mac[SIM_P384_BYTES])
{
	u8 key[SIM_P384_BYTES];
	int ret;

	ret = sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN, "nv-key", 6,
			      key);
	if (!ret)
		ret = sim_hmac_sha384(key, sizeof(key), img,
				      offsetof(struct sim_nv_image, mac), mac);
	memzero_explicit(key, sizeof(key));
	return ret;
}

/* Write the persistent state to the NV buffer given with INIT_EX. */
u16 sim_fw_nv_save(struct sim_fw *fw)
{
	struct sim_nv_image *img;
	u16 status;

	if (!fw->nv_address)
		return SEV_RET_SUCCESS;

	img = kzalloc(sizeof(*img), GFP_KERNEL);
	if (!img)
		return SEV_RET_RESOURCE_LIMIT;
	memcpy(img->magic, SIM_NV_MAGIC, sizeof(img->magic));
	img->version = cpu_to_le32(1);
	img->owner_external = cpu_to_le32(fw->owner_external);
	img->st = fw->pki->st;
	status = sim_nv_mac(fw, img, img->mac) ? SEV_RET_RESOURCE_LIMIT :
		 sim_fw_write(fw->nv_address, img, sizeof(*img));
	kfree_sensitive(img);
	return status;
}

/* Take the persistent state from the NV buffer, or start it. */
u16 sim_fw_nv_load(struct sim_fw *fw, u64 nv_address)
{
	struct sim_nv_image *img;
	u8 mac[SIM_P384_BYTES];
	u16 status;

	img = kzalloc(sizeof(*img), GFP_KERNEL);
	if (!img)
		return SEV_RET_RESOURCE_LIMIT;
	status = sim_fw_read(nv_address, img, sizeof(*img));
	if (status)
		goto out_free;

	if (!memchr_inv(img, 0, sizeof(*img))) {
		/* a new buffer: it gets the state the chip has */
		fw->nv_address = nv_address;
		status = sim_fw_nv_save(fw);
		if (status)
			fw->nv_address = 0;
		goto out_free;
	}

	status = SEV_RET_SECURE_DATA_INVALID;
	if (memcmp(img->magic, SIM_NV_MAGIC, sizeof(img->magic)) ||
	    le32_to_cpu(img->version) != 1 || sim_nv_mac(fw, img, mac) ||
	    crypto_memneq(mac, img->mac, sizeof(mac)))
		goto out_free;
	fw->owner_external = le32_to_cpu(img->owner_external);
	fw->pki->st = img->st;
	fw->nv_address = nv_address;
	status = SEV_RET_SUCCESS;

out_free:
	kfree_sensitive(img);
	return status;
}
