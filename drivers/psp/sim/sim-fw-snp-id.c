// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP_LAUNCH_FINISH's ID block and ID authentication information
 * (include/sev-psp/snp-id.h) in the simulated firmware.
 *
 * With ID_BLOCK_EN the firmware reads the 96-byte ID block and the 4 KiB
 * ID_AUTH page and checks, in this order:
 *   - versions and algorithms it knows          else SEV_RET_INVALID_PARAM
 *   - the ID block's signature by the ID key    else SEV_RET_BAD_SIGNATURE
 *   - with AUTH_KEY_EN, the ID key's signature
 *     by the author key                         else SEV_RET_BAD_SIGNATURE
 *   - the launch digest it names                else SEV_RET_BAD_MEASUREMENT
 *   - the policy it names                       else SEV_RET_POLICY_FAILURE
 * and the guest's reports then carry the family and image ids, the SVN,
 * and the SHA-384 digests of the ID key and author key. AUTH_KEY_EN
 * without ID_BLOCK_EN is SEV_RET_INVALID_PARAM.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"
#include <sev-psp/snp-id.h>

/* Is @sig a signature of @data by @key? 0, or the firmware's status. */
static u16 sim_id_verify(const struct sev_psp_ecdsa_pubkey *key,
			 const struct sev_psp_ecdsa_sig *sig, const void *data,
			 size_t len)
{
	u8 x[SIM_P384_BYTES], y[SIM_P384_BYTES], digest[SIM_P384_BYTES];
	u8 r[SIM_P384_BYTES], s[SIM_P384_BYTES];

	if (le32_to_cpu(key->curve) != SNP_ID_CURVE_P384)
		return SEV_RET_INVALID_PARAM;
	if (!sim_p384_from_le72(x, key->qx) || !sim_p384_from_le72(y, key->qy) ||
	    !sim_p384_from_le72(r, sig->r) || !sim_p384_from_le72(s, sig->s))
		return SEV_RET_BAD_SIGNATURE;
	if (sim_sha384(data, len, digest))
		return SEV_RET_RESOURCE_LIMIT;
	return sim_ecdsa_p384_verify(x, y, digest, r, s) ?
	       SEV_RET_BAD_SIGNATURE : SEV_RET_SUCCESS;
}

static u16 sim_id_check(struct sim_guest *g,
			const struct sev_data_snp_launch_finish *d,
			const struct sev_psp_id_block *id,
			const struct sev_psp_id_auth *auth)
{
	u16 status;

	if (le32_to_cpu(id->version) != SNP_ID_BLOCK_VERSION ||
	    le32_to_cpu(auth->id_key_algo) != SNP_ID_ALGO_ECDSA_P384_SHA384 ||
	    (d->auth_key_en &&
	     le32_to_cpu(auth->auth_key_algo) != SNP_ID_ALGO_ECDSA_P384_SHA384))
		return SEV_RET_INVALID_PARAM;

	status = sim_id_verify(&auth->id_key, &auth->id_block_sig, id,
			       sizeof(*id));
	if (!status && d->auth_key_en)
		status = sim_id_verify(&auth->author_key, &auth->id_key_sig,
				       &auth->id_key, sizeof(auth->id_key));
	if (status)
		return status;
	if (memcmp(id->ld, g->digest, sizeof(id->ld)))
		return SEV_RET_BAD_MEASUREMENT;
	if (le64_to_cpu(id->policy) != g->policy)
		return SEV_RET_POLICY_FAILURE;
	return SEV_RET_SUCCESS;
}

/**
 * sim_fw_snp_id() - check LAUNCH_FINISH's ID block and take it for @g
 * @fw:		the firmware
 * @g:		the guest being finished
 * @d:		the command buffer
 *
 * Return: SEV_RET_SUCCESS (@g's ids and key digests set, or left zero
 * without an ID block), or the status of the first check that failed.
 */
u16 sim_fw_snp_id(struct sim_fw *fw, struct sim_guest *g,
		  const struct sev_data_snp_launch_finish *d)
{
	struct sev_psp_id_block id;
	struct sev_psp_id_auth *auth;
	u16 status;

	sev_psp_snp_id_layout_check();
	if (!d->id_block_en)
		return d->auth_key_en ? SEV_RET_INVALID_PARAM : SEV_RET_SUCCESS;

	auth = kmalloc(sizeof(*auth), GFP_KERNEL);
	if (!auth)
		return SEV_RET_RESOURCE_LIMIT;
	status = sim_fw_read(d->id_block_paddr, &id, sizeof(id));
	if (!status)
		status = sim_fw_read(d->id_auth_paddr, auth, sizeof(*auth));
	if (!status)
		status = sim_id_check(g, d, &id, auth);
	if (!status)
		status = sim_sha384(&auth->id_key, sizeof(auth->id_key),
				    g->id_key_digest) ?
			 SEV_RET_RESOURCE_LIMIT : SEV_RET_SUCCESS;
	if (!status && d->auth_key_en)
		status = sim_sha384(&auth->author_key, sizeof(auth->author_key),
				    g->author_key_digest) ?
			 SEV_RET_RESOURCE_LIMIT : SEV_RET_SUCCESS;
	if (!status) {
		memcpy(g->family_id, id.family_id, sizeof(g->family_id));
		memcpy(g->image_id, id.image_id, sizeof(g->image_id));
		g->guest_svn = le32_to_cpu(id.guest_svn);
		g->author_key_en = d->auth_key_en;
	} else {
		memset(g->id_key_digest, 0, sizeof(g->id_key_digest));
		memset(g->author_key_digest, 0, sizeof(g->author_key_digest));
	}
	kfree(auth);
	return status;
}
