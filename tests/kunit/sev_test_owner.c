// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest owner's half of an SEV launch, for the KUnit suites
 * (sev_test_owner.h).
 */
#include <crypto/sha2.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sev_test_owner.h"

int sev_test_owner_session(const struct sim_sev_cert *pdh, const char *seed,
			   u32 policy, const u8 tek[16], const u8 tik[16],
			   struct sim_sev_cert *cert,
			   struct sev_test_session *ses)
{
	u8 priv[SIM_P384_BYTES], x[SIM_P384_BYTES], y[SIM_P384_BYTES];
	u8 z[SIM_P384_BYTES], master[16], kek[16], kik[16];
	__le32 pol = cpu_to_le32(policy);
	int ret;

	ret = sim_p384_derive_key(seed, strlen(seed), "godh", "", 0, priv);
	if (!ret)
		ret = sim_p384_public_key(priv, x, y);
	if (ret)
		return ret;
	memset(cert, 0, sizeof(*cert));
	cert->version = 1;
	cert->pub_usage = SIM_SEV_USAGE_PDH;
	cert->pub_algo = SIM_SEV_ALGO_ECDH_SHA256;
	cert->pub.curve = SIM_SEV_CURVE_P384;
	sim_p384_to_le72(cert->pub.qx, x);
	sim_p384_to_le72(cert->pub.qy, y);

	sim_p384_from_le72(x, pdh->pub.qx);
	sim_p384_from_le72(y, pdh->pub.qy);
	memset(ses, 0, sizeof(*ses));
	memset(ses->nonce, 0x11, sizeof(ses->nonce));
	memset(ses->wrap_iv, 0x44, sizeof(ses->wrap_iv));
	memcpy(ses->wrap_tk, tek, 16);
	memcpy(ses->wrap_tk + 16, tik, 16);
	ret = sim_p384_ecdh(priv, x, y, z);
	if (!ret)
		ret = sim_sev_kdf(z, sizeof(z), "sev-master-secret", ses->nonce,
				  sizeof(ses->nonce), master, sizeof(master));
	if (!ret)
		ret = sim_sev_kdf(master, sizeof(master), "sev-kek", NULL, 0,
				  kek, sizeof(kek));
	if (!ret)
		ret = sim_sev_kdf(master, sizeof(master), "sev-kik", NULL, 0,
				  kik, sizeof(kik));
	if (!ret)
		ret = sim_aes128_ctr(kek, ses->wrap_iv, ses->wrap_tk,
				     sizeof(ses->wrap_tk));
	if (!ret)
		ret = sim_hmac_sha256(kik, sizeof(kik), ses->wrap_tk,
				      sizeof(ses->wrap_tk), ses->wrap_mac);
	if (!ret)
		ret = sim_hmac_sha256(tik, 16, &pol, sizeof(pol),
				      ses->policy_mac);
	memzero_explicit(priv, sizeof(priv));
	return ret;
}

int sev_test_secret_packet(const u8 tek[16], const u8 tik[16],
			   const u8 measurement[32],
			   struct sev_test_secret_hdr *hdr, u8 *data, u32 len)
{
	size_t n = 1 + 4 + 16 + 4 + 4 + len + 32;
	__le32 l = cpu_to_le32(len);
	u8 *msg, *p;
	int ret;

	msg = kmalloc(n, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	memset(hdr, 0, sizeof(*hdr));
	memset(hdr->iv, 0x55, sizeof(hdr->iv));
	ret = sim_aes128_ctr(tek, hdr->iv, data, len);

	/* context 0x01, flags, IV, guest and transport lengths, data, measurement */
	p = msg;
	*p++ = 0x01;
	memcpy(p, &hdr->flags, 4);
	p += 4;
	memcpy(p, hdr->iv, 16);
	p += 16;
	memcpy(p, &l, 4);
	p += 4;
	memcpy(p, &l, 4);
	p += 4;
	memcpy(p, data, len);
	p += len;
	memcpy(p, measurement, 32);
	if (!ret)
		ret = sim_hmac_sha256(tik, 16, msg, n, hdr->mac);
	kfree(msg);
	return ret;
}

int sev_test_report_verify(const struct sim_sev_cert *pek,
			   const struct sim_sev_attestation_report *r)
{
	u8 x[SIM_P384_BYTES], y[SIM_P384_BYTES], digest[SIM_P384_BYTES];
	u8 sr[SIM_P384_BYTES], ss[SIM_P384_BYTES];

	if (pek->pub_usage != SIM_SEV_USAGE_PEK ||
	    pek->pub.curve != SIM_SEV_CURVE_P384 ||
	    !sim_p384_from_le72(x, pek->pub.qx) ||
	    !sim_p384_from_le72(y, pek->pub.qy))
		return -EINVAL;
	if (r->sig_usage != SIM_SEV_USAGE_PEK ||
	    r->sig_algo != SIM_SEV_ALGO_ECDSA_SHA256 ||
	    !sim_p384_from_le72(sr, r->sig_r) ||
	    !sim_p384_from_le72(ss, r->sig_s))
		return -EBADMSG;

	/* ECDSA with SHA-256 on P-384: the hash as the (shorter) integer */
	memset(digest, 0, sizeof(digest));
	sha256((const u8 *)r, SIM_SEV_REPORT_SIGNED_LEN,
	       digest + SIM_P384_BYTES - SHA256_DIGEST_SIZE);
	return sim_ecdsa_p384_verify(x, y, digest, sr, ss);
}
