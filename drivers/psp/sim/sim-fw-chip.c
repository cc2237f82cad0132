// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated chip: its secret, and everything the firmware derives from
 * it or ships with.
 *
 * Each chip has a 32-byte secret, random per device or given to every
 * device with the "chip_secret" module parameter, so that a run can be
 * reproduced. The chip ID (GET_ID), the VCEK for each TCB, the VLEK wrap
 * key and every launch's keys follow from it, as the real firmware derives
 * them from its fused secret. The firmware version and TCB a new chip
 * starts with are set here too; SNP_DOWNLOAD_FIRMWARE_EX changes them.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/string.h>

#include "sim.h"

static char *sim_chip_secret;
module_param_named(chip_secret, sim_chip_secret, charp, 0444);
MODULE_PARM_DESC(chip_secret, "the chips' secret as 64 hex digits (default: random per device)");

/* The chip ID and every key the chip has follow from its secret. */
static int sim_fw_chip_identity(struct sim_fw *fw)
{
	u8 more[SIM_P384_BYTES];
	int ret;

	if (sim_chip_secret) {
		if (strlen(sim_chip_secret) != 2 * SIM_CHIP_SECRET_LEN ||
		    hex2bin(fw->chip_secret, sim_chip_secret,
			    SIM_CHIP_SECRET_LEN))
			return -EINVAL;
	} else {
		get_random_bytes(fw->chip_secret, sizeof(fw->chip_secret));
	}

	ret = sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN,
			      "chip-id", 7, fw->chip_id);
	if (!ret)
		ret = sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN,
				      "chip-id-2", 9, more);
	if (!ret)
		memcpy(fw->chip_id + SIM_P384_BYTES, more,
		       SIM_CHIP_ID_LEN - SIM_P384_BYTES);
	memzero_explicit(more, sizeof(more));
	return ret;
}

/* A new chip: its identity, and the firmware and TCB it ships with. */
int sim_fw_chip_init(struct sim_fw *fw)
{
	int ret;

	fw->api_major = 1;
	fw->api_minor = 55;
	fw->build = 21;
	ret = sim_fw_chip_identity(fw);
	if (ret)
		return ret;
	fw->current_tcb = SIM_TCB(3, 0, 8, 115);
	fw->reported_tcb = fw->current_tcb;
	fw->committed_tcb = fw->current_tcb;
	fw->committed_api_major = fw->api_major;
	fw->committed_api_minor = fw->api_minor;
	fw->committed_build = fw->build;
	return 0;
}

/* Is API @major.@minor (a guest policy's minimum) at most the firmware's? */
bool sim_fw_api_ok(const struct sim_fw *fw, u32 major, u32 minor)
{
	return major < fw->api_major ||
	       (major == fw->api_major && minor <= fw->api_minor);
}

/* Each SVN of @tcb is at most the same SVN of @limit. */
bool sim_fw_tcb_le(u64 tcb, u64 limit)
{
	static const u8 svn[] = SIM_TCB_SVN_BYTES;
	int i;

	for (i = 0; i < ARRAY_SIZE(svn); i++)
		if (((tcb >> (8 * svn[i])) & 0xff) >
		    ((limit >> (8 * svn[i])) & 0xff))
			return false;
	/* the reserved bytes stay zero */
	return !(tcb & GENMASK_ULL(47, 16));
}

/* The VCEK for @tcb: what the firmware signs reports with at that TCB. */
int sim_fw_vcek(struct sim_fw *fw, u64 tcb, u8 priv[SIM_P384_BYTES])
{
	__le64 t = cpu_to_le64(tcb);

	return sim_p384_derive_key(fw->chip_secret, SIM_CHIP_SECRET_LEN,
				   "vcek", &t, sizeof(t), priv);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_fw_vcek);

/* The key a VLEK hashstick for this chip is wrapped with. */
int sim_fw_vlek_wrap_key(struct sim_fw *fw, u8 key[32])
{
	u8 k[SIM_P384_BYTES];
	int ret;

	ret = sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN, "vlek-wrap",
			      9, k);
	memcpy(key, k, 32);
	memzero_explicit(k, sizeof(k));
	return ret;
}

/*
 * The key distribution service's half, for the simulated chip: a hashstick
 * wrapping the seed of "the" cloud provider's VLEK for @tcb.
 */
int sim_fw_vlek_hashstick(struct sim_fw *fw, u64 tcb,
			  struct sim_vlek_hashstick *hs)
{
	u8 key[32];
	int ret;

	memset(hs, 0, sizeof(*hs));
	memcpy(hs->magic, SIM_VLEK_MAGIC, sizeof(hs->magic));
	hs->tcb = cpu_to_le64(tcb);
	get_random_bytes(hs->iv, sizeof(hs->iv));
	ret = sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN,
			      "provider-vlek-seed", 18, hs->wrapped_seed);
	if (!ret)
		ret = sim_fw_vlek_wrap_key(fw, key);
	if (!ret)
		ret = sim_aes256_gcm(true, key, hs->iv, hs, 16,
				     hs->wrapped_seed, sizeof(hs->wrapped_seed),
				     hs->tag);
	memzero_explicit(key, sizeof(key));
	return ret;
}

/*
 * A launch's secrets (transport keys, VMPCKs, report id): fresh for every
 * launch, derived from the chip secret and the launch's number, so that a
 * run with a given chip_secret can be reproduced.
 */
int sim_fw_launch_key(struct sim_fw *fw, const char *label, u32 index,
		      u8 *out, size_t len)
{
	struct {
		char label[16];
		__le64 launch;
		__le32 index;
	} __packed in = {
		.launch = cpu_to_le64(fw->launches),
		.index = cpu_to_le32(index),
	};
	u8 mac[SIM_P384_BYTES];
	int ret;

	strscpy(in.label, label, sizeof(in.label));
	ret = sim_hmac_sha384(fw->chip_secret, SIM_CHIP_SECRET_LEN, &in,
			      sizeof(in), mac);
	memcpy(out, mac, min(len, sizeof(mac)));
	memzero_explicit(mac, sizeof(mac));
	return ret;
}
