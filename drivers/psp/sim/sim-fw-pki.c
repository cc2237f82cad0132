// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV platform's keys and certificates (SEV API, spec 55766, ch. 2
 * and appendix C), simulated with real ECDSA P-384 keys:
 *
 *   CEK  chip endorsement key, derived from the chip secret
 *   OCA  owner's certificate authority: the firmware's own key while the
 *        platform is self-owned, an imported certificate once it is not
 *   PEK  platform endorsement key, signed by the OCA and the CEK; it signs
 *        the PDH, and ATTESTATION's reports (sim_fw_pek_sign())
 *   PDH  platform Diffie-Hellman key (ECDH), signed by the PEK
 *
 * Certificates are in the SEV format (0x824 bytes): the API version of
 * the firmware that made it, a public key (curve, Qx, Qy little-endian, 72
 * bytes each) and two signatures (R, S the same way) over the first 0x414
 * bytes with SHA-256. The CEK would be signed by AMD's ASK, which the
 * simulator does not have: its signatures are empty.
 *
 *   PEK_GEN          INIT: new PEK and PDH, self-owned again
 *   PDH_GEN          INIT: new PDH
 *   PEK_CSR          INIT: the PEK certificate, unsigned
 *   PEK_CERT_IMPORT  INIT: the OCA certificate (self-signed) and the PEK
 *                    certificate signed by it; the firmware adds its CEK
 *                    signature, makes a new PDH signed by the PEK and the
 *                    platform is owned externally
 *   PDH_CERT_EXPORT  INIT or WORKING: the PDH certificate and the chain
 *                    PEK, OCA, CEK
 * Too short a buffer (or a zero address) gets the lengths back with
 * SEV_RET_INVALID_LEN.
 */
#include <crypto/sha2.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

/*
 * A certificate the firmware makes carries the firmware's API version, as
 * PLATFORM_STATUS reports it (appendix C); it is signed over, so it stays
 * what it was when the certificate was made.
 */
static int cert_set_key(struct sim_fw *fw, struct sim_sev_cert *c, u32 usage,
			u32 algo, const u8 *priv)
{
	u8 x[SIM_P384_BYTES], y[SIM_P384_BYTES];
	int ret;

	ret = sim_p384_public_key(priv, x, y);
	if (ret)
		return ret;
	memset(c, 0, sizeof(*c));
	c->version = 1;
	c->api_major = fw->api_major;
	c->api_minor = fw->api_minor;
	c->pub_usage = usage;
	c->pub_algo = algo;
	c->pub.curve = SIM_SEV_CURVE_P384;
	sim_p384_to_le72(c->pub.qx, x);
	sim_p384_to_le72(c->pub.qy, y);
	c->sig[0].usage = SIM_SEV_USAGE_INVALID;
	c->sig[1].usage = SIM_SEV_USAGE_INVALID;
	return 0;
}

/* What the platform's keys sign: SHA-256, right-aligned for P-384 */
static void sev_digest(const void *data, size_t len,
		       u8 digest[SIM_P384_BYTES])
{
	memset(digest, 0, SIM_P384_BYTES);
	sha256(data, len, digest + SIM_P384_BYTES - SHA256_DIGEST_SIZE);
}

/* An ECDSA signature of @data by @priv, R and S as appendix C.4 has them */
static int sev_sign(const u8 *priv, const void *data, size_t len,
		    u8 r_le[SIM_SEV_ECC_LEN], u8 s_le[SIM_SEV_ECC_LEN])
{
	u8 digest[SIM_P384_BYTES], r[SIM_P384_BYTES], s[SIM_P384_BYTES];
	int ret;

	sev_digest(data, len, digest);
	ret = sim_ecdsa_p384_sign(priv, digest, r, s);
	if (ret)
		return ret;
	sim_p384_to_le72(r_le, r);
	sim_p384_to_le72(s_le, s);
	return 0;
}

static int cert_sign(struct sim_sev_cert *c, int slot, u32 usage,
		     const u8 *priv)
{
	u8 r[SIM_SEV_ECC_LEN], s[SIM_SEV_ECC_LEN];
	int ret;

	ret = sev_sign(priv, c, SIM_SEV_CERT_SIGNED_LEN, r, s);
	if (ret)
		return ret;
	memset(&c->sig[slot], 0, sizeof(c->sig[slot]));
	c->sig[slot].usage = usage;
	c->sig[slot].algo = SIM_SEV_ALGO_ECDSA_SHA256;
	memcpy(c->sig[slot].r, r, sizeof(r));
	memcpy(c->sig[slot].s, s, sizeof(s));
	return 0;
}

/* Does @c carry a valid signature of @key's certificate with @usage? */
static bool cert_signed_by(const struct sim_sev_cert *c,
			   const struct sim_sev_cert *key, u32 usage)
{
	u8 digest[SIM_P384_BYTES], x[SIM_P384_BYTES], y[SIM_P384_BYTES];
	u8 r[SIM_P384_BYTES], s[SIM_P384_BYTES];
	int i;

	if (key->pub.curve != SIM_SEV_CURVE_P384 ||
	    !sim_p384_from_le72(x, key->pub.qx) ||
	    !sim_p384_from_le72(y, key->pub.qy))
		return false;
	sev_digest(c, SIM_SEV_CERT_SIGNED_LEN, digest);
	for (i = 0; i < 2; i++) {
		if (c->sig[i].usage != usage ||
		    c->sig[i].algo != SIM_SEV_ALGO_ECDSA_SHA256)
			continue;
		if (sim_p384_from_le72(r, c->sig[i].r) &&
		    sim_p384_from_le72(s, c->sig[i].s) &&
		    !sim_ecdsa_p384_verify(x, y, digest, r, s))
			return true;
	}
	return false;
}

static int new_key(u8 priv[SIM_P384_BYTES])
{
	u8 seed[32];
	int ret;

	get_random_bytes(seed, sizeof(seed));
	ret = sim_p384_derive_key(seed, sizeof(seed), "sev-key", "", 0, priv);
	memzero_explicit(seed, sizeof(seed));
	return ret;
}

/*
 * A new PDH signed by the PEK. Made aside and then installed, so that a
 * failure keeps the old key and certificate together and a command that
 * fails here (PEK_CERT_IMPORT) changes nothing.
 */
static int pki_new_pdh(struct sim_fw *fw)
{
	struct sim_fw_pki *k = fw->pki;
	struct sim_sev_cert *pdh;
	u8 priv[SIM_P384_BYTES];
	int ret;

	pdh = kmalloc(sizeof(*pdh), GFP_KERNEL);
	if (!pdh)
		return -ENOMEM;
	ret = new_key(priv);
	if (!ret)
		ret = cert_set_key(fw, pdh, SIM_SEV_USAGE_PDH,
				   SIM_SEV_ALGO_ECDH_SHA256, priv);
	if (!ret)
		ret = cert_sign(pdh, 0, SIM_SEV_USAGE_PEK, k->st.pek_priv);
	if (!ret) {
		memcpy(k->st.pdh_priv, priv, sizeof(priv));
		k->st.pdh = *pdh;
	}
	memzero_explicit(priv, sizeof(priv));
	kfree(pdh);
	return ret;
}

/* Sign the PEK with the OCA (when self-owned) and the CEK. */
static int pki_new_pek(struct sim_fw *fw)
{
	struct sim_fw_pki *k = fw->pki;
	int ret;

	ret = new_key(k->st.pek_priv);
	if (!ret)
		ret = cert_set_key(fw, &k->st.pek, SIM_SEV_USAGE_PEK,
				   SIM_SEV_ALGO_ECDSA_SHA256, k->st.pek_priv);
	if (!ret)
		ret = cert_sign(&k->st.pek, 0, SIM_SEV_USAGE_OCA, k->st.oca_priv);
	if (!ret)
		ret = cert_sign(&k->st.pek, 1, SIM_SEV_USAGE_CEK, k->cek_priv);
	if (!ret)
		ret = pki_new_pdh(fw);
	return ret;
}

/* A self-owned platform: a fresh OCA of its own, and PEK and PDH. */
static int pki_self_own(struct sim_fw *fw)
{
	struct sim_fw_pki *k = fw->pki;
	int ret;

	ret = new_key(k->st.oca_priv);
	if (!ret)
		ret = cert_set_key(fw, &k->st.oca, SIM_SEV_USAGE_OCA,
				   SIM_SEV_ALGO_ECDSA_SHA256, k->st.oca_priv);
	if (!ret)
		ret = cert_sign(&k->st.oca, 0, SIM_SEV_USAGE_OCA, k->st.oca_priv);
	if (!ret)
		ret = pki_new_pek(fw);
	if (!ret)
		fw->owner_external = false;
	return ret;
}

int sim_fw_pki_init(struct sim_fw *fw)
{
	struct sim_fw_pki *k;
	int ret;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	fw->pki = k;

	ret = sim_p384_derive_key(fw->chip_secret, SIM_CHIP_SECRET_LEN, "cek",
				  "", 0, k->cek_priv);
	if (!ret)
		ret = cert_set_key(fw, &k->cek, SIM_SEV_USAGE_CEK,
				   SIM_SEV_ALGO_ECDSA_SHA256, k->cek_priv);
	if (!ret)
		ret = pki_self_own(fw);
	if (ret)
		sim_fw_pki_exit(fw);
	return ret;
}

void sim_fw_pki_exit(struct sim_fw *fw)
{
	kfree_sensitive(fw->pki);
	fw->pki = NULL;
}

/**
 * sim_fw_pek_sign() - sign with the platform's PEK, as it signs the PDH
 * @fw:		the firmware
 * @data:	what to sign
 * @len:	its length
 * @r:		R, little-endian (appendix C.4)
 * @s:		S, the same way
 *
 * For ATTESTATION's report: the PEK a guest owner finds in PDH_CERT_EXPORT's
 * chain, its certificate imported or the platform's own.
 *
 * Return: 0 or an errno.
 */
int sim_fw_pek_sign(struct sim_fw *fw, const void *data, size_t len,
		    u8 r[SIM_SEV_ECC_LEN], u8 s[SIM_SEV_ECC_LEN])
{
	return sev_sign(fw->pki->st.pek_priv, data, len, r, s);
}

/* FACTORY_RESET forgets the owner: self-owned, new keys. */
int sim_fw_pki_reset(struct sim_fw *fw)
{
	return pki_self_own(fw);
}

u16 sim_fw_pek_gen(struct sim_fw *fw, void *buf)
{
	if (fw->state != SEV_STATE_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (pki_self_own(fw))
		return SEV_RET_RESOURCE_LIMIT;
	return sim_fw_nv_save(fw);
}

u16 sim_fw_pdh_gen(struct sim_fw *fw, void *buf)
{
	if (fw->state != SEV_STATE_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (pki_new_pdh(fw))
		return SEV_RET_RESOURCE_LIMIT;
	return sim_fw_nv_save(fw);
}

u16 sim_fw_pek_csr(struct sim_fw *fw, void *buf)
{
	struct sev_data_pek_csr *d = buf;
	struct sim_sev_cert *csr;
	u32 given = d->len;
	u16 status;

	if (fw->state != SEV_STATE_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	d->len = sizeof(*csr);
	if (!d->address || given < sizeof(*csr))
		return SEV_RET_INVALID_LEN;
	status = sim_fw_check_output(fw, d->address, sizeof(*csr));
	if (status)
		return status;

	csr = kmemdup(&fw->pki->st.pek, sizeof(*csr), GFP_KERNEL);
	if (!csr)
		return SEV_RET_RESOURCE_LIMIT;
	/* a request carries the key, not the signatures */
	memset(csr->sig, 0, sizeof(csr->sig));
	csr->sig[0].usage = SIM_SEV_USAGE_INVALID;
	csr->sig[1].usage = SIM_SEV_USAGE_INVALID;
	status = sim_fw_write(d->address, csr, sizeof(*csr));
	kfree(csr);
	return status;
}

u16 sim_fw_pdh_cert_export(struct sim_fw *fw, void *buf)
{
	struct sev_data_pdh_cert_export *d = buf;
	struct sim_fw_pki *k = fw->pki;
	u32 pdh_len = d->pdh_cert_len, chain_len = d->cert_chain_len;
	const u32 chain = 3 * sizeof(struct sim_sev_cert);
	u16 status;

	if (fw->state == SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	d->pdh_cert_len = sizeof(k->st.pdh);
	d->cert_chain_len = chain;
	if (!d->pdh_cert_address || !d->cert_chain_address ||
	    pdh_len < sizeof(k->st.pdh) || chain_len < chain)
		return SEV_RET_INVALID_LEN;

	status = sim_fw_check_output(fw, d->pdh_cert_address, sizeof(k->st.pdh));
	if (!status)
		status = sim_fw_check_output(fw, d->cert_chain_address, chain);
	if (!status)
		status = sim_fw_write(d->pdh_cert_address, &k->st.pdh,
				      sizeof(k->st.pdh));
	/* the chain: PEK, OCA, CEK */
	if (!status)
		status = sim_fw_write(d->cert_chain_address, &k->st.pek,
				      sizeof(k->st.pek));
	if (!status)
		status = sim_fw_write(d->cert_chain_address + sizeof(k->st.pek),
				      &k->st.oca, sizeof(k->st.oca));
	if (!status)
		status = sim_fw_write(d->cert_chain_address + 2 * sizeof(k->st.pek),
				      &k->cek, sizeof(k->cek));
	return status;
}

u16 sim_fw_pek_cert_import(struct sim_fw *fw, void *buf)
{
	struct sev_data_pek_cert_import *d = buf;
	struct sim_fw_pki *k = fw->pki;
	struct sim_sev_cert *pek, *oca;
	u16 status;

	if (fw->state != SEV_STATE_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->pek_cert_len != sizeof(*pek) || d->oca_cert_len != sizeof(*oca))
		return SEV_RET_INVALID_LEN;

	pek = kmalloc(sizeof(*pek), GFP_KERNEL);
	oca = kmalloc(sizeof(*oca), GFP_KERNEL);
	if (!pek || !oca) {
		status = SEV_RET_RESOURCE_LIMIT;
		goto out_free;
	}
	status = sim_fw_read(d->pek_cert_address, pek, sizeof(*pek));
	if (!status)
		status = sim_fw_read(d->oca_cert_address, oca, sizeof(*oca));
	if (status)
		goto out_free;

	/*
	 * The OCA is self-signed; the PEK certificate is the platform's own
	 * PEK, signed by that OCA.
	 */
	status = SEV_RET_INVALID_CERTIFICATE;
	if (oca->version != 1 || oca->pub_usage != SIM_SEV_USAGE_OCA ||
	    !cert_signed_by(oca, oca, SIM_SEV_USAGE_OCA))
		goto out_free;
	if (pek->pub_usage != SIM_SEV_USAGE_PEK ||
	    memcmp(&pek->pub, &k->st.pek.pub, sizeof(pek->pub)))
		goto out_free;
	if (!cert_signed_by(pek, oca, SIM_SEV_USAGE_OCA)) {
		status = SEV_RET_BAD_SIGNATURE;
		goto out_free;
	}

	/*
	 * The firmware's CEK signature goes in the other slot. The imported
	 * certificates are kept as the owner signed them, API version and all.
	 */
	memset(&pek->sig[1], 0, sizeof(pek->sig[1]));
	if (cert_sign(pek, 1, SIM_SEV_USAGE_CEK, k->cek_priv)) {
		status = SEV_RET_RESOURCE_LIMIT;
		goto out_free;
	}
	/*
	 * The platform changes owner, so guest owners must meet a PDH that
	 * only the new chain certifies: the firmware regenerates the PDH,
	 * signed by the PEK, as PEK_GEN does. AMD's sev-tool
	 * test_pek_cert_import, written against real firmware, expects a new
	 * PEK and a new PDH certificate after the import.
	 */
	if (pki_new_pdh(fw)) {
		status = SEV_RET_RESOURCE_LIMIT;
		goto out_free;
	}
	k->st.pek = *pek;
	k->st.oca = *oca;
	memzero_explicit(k->st.oca_priv, sizeof(k->st.oca_priv));
	fw->owner_external = true;
	status = sim_fw_nv_save(fw);

out_free:
	kfree(pek);
	kfree(oca);
	return status;
}
