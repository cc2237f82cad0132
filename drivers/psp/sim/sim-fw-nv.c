// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform's non-volatile storage, as INIT_EX gives it to the firmware
 * (the command itself is in sim-fw-platform.c).
 *
 * With INIT_EX the hypervisor keeps the firmware's persistent state (the
 * owner, the OCA, PEK and PDH keys and certificates) in a 32 KiB buffer it
 * saves to a file. The firmware seals what it writes there under a key only
 * the chip has, and refuses a buffer that does not open with
 * SEV_RET_SECURE_DATA_INVALID. An all-zero buffer is a new one: the
 * firmware writes its state into it. After INIT_EX the firmware updates
 * the buffer on every change of that state (PEK_GEN, PDH_GEN,
 * PEK_CERT_IMPORT, FACTORY_RESET) until the PSP powers off.
 *
 * Real firmware encrypts its NV data; so does this model: the state (the
 * private keys among it) is sealed with AES-256-GCM under a key derived
 * from the chip secret, with a fresh IV on every save, so the file on the
 * host's disk shows nothing of it, and any change to it (or to its header)
 * is refused as SEV_RET_SECURE_DATA_INVALID.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

#define SIM_NV_MAGIC	"SEVSIMNV"
#define SIM_NV_VERSION	2	/* 1: the state in the clear behind a MAC */
#define SIM_NV_IV_LEN	12
#define SIM_NV_TAG_LEN	16

/* What only the firmware may read */
struct sim_nv_sealed {
	__le32 owner_external;
	struct sim_pki_state st;
} __packed;

struct sim_nv_image {
	/* authenticated, in the clear */
	u8 magic[8];
	__le32 version;
	u8 iv[SIM_NV_IV_LEN];
	/* encrypted */
	u8 tag[SIM_NV_TAG_LEN];
	struct sim_nv_sealed sealed;
} __packed;

#define SIM_NV_AAD_LEN	offsetof(struct sim_nv_image, tag)

static_assert(sizeof(struct sim_nv_image) <= SIM_NV_LEN);

/* The NV key: the chip's, for this purpose only. */
static int sim_nv_key(struct sim_fw *fw, u8 key[SIM_P384_BYTES])
{
	return sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN,
			       "nv-aes-256-gcm", 14, key);
}

/* Seal (@encrypt) or open @img in place; -EBADMSG for a forged image. */
static int sim_nv_crypt(struct sim_fw *fw, struct sim_nv_image *img,
			bool encrypt)
{
	u8 key[SIM_P384_BYTES];
	int ret;

	ret = sim_nv_key(fw, key);
	if (!ret)
		ret = sim_aes256_gcm(encrypt, key, img->iv, img, SIM_NV_AAD_LEN,
				     (u8 *)&img->sealed, sizeof(img->sealed),
				     img->tag);
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
	img->version = cpu_to_le32(SIM_NV_VERSION);
	get_random_bytes(img->iv, sizeof(img->iv));
	img->sealed.owner_external = cpu_to_le32(fw->owner_external);
	img->sealed.st = fw->pki->st;
	status = sim_nv_crypt(fw, img, true) ? SEV_RET_RESOURCE_LIMIT :
		 sim_fw_write(fw->nv_address, img, sizeof(*img));
	kfree_sensitive(img);
	return status;
}

/* Take the persistent state from the NV buffer, or start it. */
u16 sim_fw_nv_load(struct sim_fw *fw, u64 nv_address)
{
	struct sim_nv_image *img;
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
	    le32_to_cpu(img->version) != SIM_NV_VERSION ||
	    sim_nv_crypt(fw, img, false))
		goto out_free;
	fw->owner_external = le32_to_cpu(img->sealed.owner_external);
	fw->pki->st = img->sealed.st;
	fw->nv_address = nv_address;
	status = SEV_RET_SUCCESS;

out_free:
	kfree_sensitive(img);
	return status;
}
