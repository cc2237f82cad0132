// SPDX-License-Identifier: GPL-2.0-only
/*
 * The launch of an SEV (pre-SNP) guest in the simulated firmware, with the
 * guest owner's secure channel (SEV API, spec 55766, "Launch" and "Key
 * Derivation"):
 *
 *   LAUNCH_START        a new guest (or one sharing another's keys). With the
 *                       guest owner's DH certificate and session: ECDH of the
 *                       platform's PDH and the owner's key, the master secret
 *                       KDF(Z, "sev-master-secret", nonce), KEK and KIK from
 *                       it, the wrapped TEK || TIK checked with the KIK
 *                       (else SEV_RET_BAD_MEASUREMENT) and unwrapped with
 *                       AES-128-CTR under the KEK, the policy checked against
 *                       its HMAC under the TIK (else SEV_RET_POLICY_FAILURE).
 *                       Without them the firmware makes its own TEK and TIK.
 *   LAUNCH_UPDATE_DATA  guest memory (16-byte aligned) goes into the launch
 *   LAUNCH_UPDATE_VMSA  digest, SHA-256 over everything in order; needs the
 *                       guest active (SEV_RET_INACTIVE); VMSA pages only for
 *                       SEV-ES guests
 *   LAUNCH_MEASURE      HMAC-SHA256(TIK, 0x04 || API version || build ||
 *                       policy || digest || MNONCE), with MNONCE; a short
 *                       buffer gets the length (SEV_RET_INVALID_LEN)
 *   LAUNCH_SECRET       a packet from the owner: its MAC under the TIK over
 *                       header, lengths, data and the measurement (else
 *                       SEV_RET_BAD_MEASUREMENT), decrypted with the TEK
 *                       (AES-128-CTR) into guest memory
 *   LAUNCH_FINISH       the guest runs
 *   ATTESTATION_REPORT  once LAUNCH_MEASURE fixed the digest (LSECRET or
 *                       RUNNING): the caller's MNONCE, the launch digest
 *                       and the policy, signed by the PEK; a short buffer
 *                       gets the length (SEV_RET_INVALID_LEN)
 *
 * Memory is not really encrypted here: "encrypting" guest memory in place
 * leaves it as it was. Like every in-place write of the firmware, it needs
 * pages the firmware may write once the RMP is initialised.
 */
#include <crypto/algapi.h>
#include <crypto/sha2.h>
#include <linux/build_bug.h>
#include <linux/io.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "sim.h"

#define SIM_SEV_MEASURE_CTX	0x04
#define SIM_SEV_SECRET_CTX	0x01
#define SIM_SEV_SECRET_MAX	SZ_16K

/* LAUNCH_START's session blob, from the guest owner */
struct sim_sev_session {
	u8 nonce[16];
	u8 wrap_tk[32];		/* TEK || TIK under the KEK */
	u8 wrap_iv[16];
	u8 wrap_mac[32];	/* HMAC-SHA256(KIK, wrap_tk) */
	u8 policy_mac[32];	/* HMAC-SHA256(TIK, policy) */
} __packed;

/* LAUNCH_MEASURE's output */
struct sim_sev_measure {
	u8 measurement[32];
	u8 mnonce[16];
} __packed;

/* LAUNCH_SECRET's packet header */
struct sim_sev_secret_hdr {
	__le32 flags;
	u8 iv[16];
	u8 mac[32];
} __packed;

/* The owner's key from its PDH-format certificate, big-endian. */
static u16 sim_sev_owner_key(const struct sim_sev_cert *c, u8 x[SIM_P384_BYTES],
			     u8 y[SIM_P384_BYTES])
{
	if (c->pub_usage != SIM_SEV_USAGE_PDH ||
	    c->pub_algo != SIM_SEV_ALGO_ECDH_SHA256 ||
	    c->pub.curve != SIM_SEV_CURVE_P384 ||
	    !sim_p384_from_le72(x, c->pub.qx) ||
	    !sim_p384_from_le72(y, c->pub.qy))
		return SEV_RET_INVALID_CERTIFICATE;
	return SEV_RET_SUCCESS;
}

/* The secure channel: the transport keys the owner sent, checked. */
static u16 sim_sev_session_open(struct sim_fw *fw, struct sim_guest *g,
				const struct sev_data_launch_start *d)
{
	struct {
		struct sim_sev_cert cert;
		struct sim_sev_session ses;
		u8 x[SIM_P384_BYTES], y[SIM_P384_BYTES], z[SIM_P384_BYTES];
		u8 master[16], kek[16], kik[16], mac[32], tk[32];
		__le32 policy;
	} *w;
	u16 status;

	if (!d->dh_cert_address || !d->session_address)
		return SEV_RET_INVALID_PARAM;
	if (d->dh_cert_len < sizeof(w->cert) || d->session_len < sizeof(w->ses))
		return SEV_RET_INVALID_LEN;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return SEV_RET_RESOURCE_LIMIT;
	status = sim_fw_read(d->dh_cert_address, &w->cert, sizeof(w->cert));
	if (!status)
		status = sim_fw_read(d->session_address, &w->ses,
				     sizeof(w->ses));
	if (!status)
		status = sim_sev_owner_key(&w->cert, w->x, w->y);
	if (status)
		goto out;
	/* a point that is not on the curve is no certificate either */
	if (sim_p384_ecdh(fw->pki->st.pdh_priv, w->x, w->y, w->z)) {
		status = SEV_RET_INVALID_CERTIFICATE;
		goto out;
	}

	status = SEV_RET_RESOURCE_LIMIT;
	if (sim_sev_kdf(w->z, sizeof(w->z), "sev-master-secret", w->ses.nonce,
			sizeof(w->ses.nonce), w->master, sizeof(w->master)) ||
	    sim_sev_kdf(w->master, sizeof(w->master), "sev-kek", NULL, 0,
			w->kek, sizeof(w->kek)) ||
	    sim_sev_kdf(w->master, sizeof(w->master), "sev-kik", NULL, 0,
			w->kik, sizeof(w->kik)) ||
	    sim_hmac_sha256(w->kik, sizeof(w->kik), w->ses.wrap_tk,
			    sizeof(w->ses.wrap_tk), w->mac))
		goto out;
	if (crypto_memneq(w->mac, w->ses.wrap_mac, sizeof(w->mac))) {
		status = SEV_RET_BAD_MEASUREMENT;
		goto out;
	}

	memcpy(w->tk, w->ses.wrap_tk, sizeof(w->tk));
	w->policy = cpu_to_le32(d->policy);
	if (sim_aes128_ctr(w->kek, w->ses.wrap_iv, w->tk, sizeof(w->tk)) ||
	    sim_hmac_sha256(w->tk + 16, 16, &w->policy, sizeof(w->policy),
			    w->mac))
		goto out;
	if (crypto_memneq(w->mac, w->ses.policy_mac, sizeof(w->mac))) {
		status = SEV_RET_POLICY_FAILURE;
		goto out;
	}
	memcpy(g->tek, w->tk, sizeof(g->tek));
	memcpy(g->tik, w->tk + 16, sizeof(g->tik));
	status = SEV_RET_SUCCESS;
out:
	kfree_sensitive(w);
	return status;
}

u16 sim_fw_launch_start(struct sim_fw *fw, void *buf)
{
	struct sev_data_launch_start *d = buf;
	struct sim_guest *g;
	u16 status;
	u32 handle;

	if (fw->state == SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->handle && !sim_fw_sev_guest(fw, d->handle))
		return SEV_RET_INVALID_GUEST;
	if ((d->policy & SIM_POLICY_ES) && !fw->config_es)
		return SEV_RET_POLICY_FAILURE;
	if (!sim_fw_api_ok(fw, SIM_POLICY_API_MAJOR(d->policy),
			   SIM_POLICY_API_MINOR(d->policy)))
		return SEV_RET_POLICY_FAILURE;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return SEV_RET_RESOURCE_LIMIT;
	fw->launches++;
	if (d->dh_cert_address || d->session_address)
		status = sim_sev_session_open(fw, g, d);
	else if (sim_fw_launch_key(fw, "tek", 0, g->tek, sizeof(g->tek)) ||
		 sim_fw_launch_key(fw, "tik", 0, g->tik, sizeof(g->tik)))
		status = SEV_RET_RESOURCE_LIMIT;
	else
		status = SEV_RET_SUCCESS;
	if (!status && xa_alloc(&fw->sev_guests, &handle, g,
				XA_LIMIT(1, SIM_MAX_SEV_GUESTS), GFP_KERNEL))
		status = SEV_RET_RESOURCE_LIMIT;
	if (status) {
		kfree_sensitive(g);
		return status;
	}
	g->handle = handle;
	g->policy = d->policy;
	g->state = SIM_GSTATE_LUPDATE;
	sha256_init(&g->ld);

	d->handle = handle;
	fw->guest_count++;
	fw->state = SEV_STATE_WORKING;
	return SEV_RET_SUCCESS;
}

/* A guest in @state, active: what LAUNCH_UPDATE_* and LAUNCH_SECRET need. */
static u16 sim_sev_launch_guest(struct sim_fw *fw, u32 handle,
				enum sim_guest_state state,
				struct sim_guest **g)
{
	u16 status = sim_fw_sev_guest_cmd(fw, handle, g);

	if (status)
		return status;
	if ((*g)->state != state)
		return SEV_RET_INVALID_GUEST_STATE;
	if (!(*g)->asid)
		return SEV_RET_INACTIVE;
	return SEV_RET_SUCCESS;
}

/* Guest memory into the launch digest (and, on hardware, encrypted). */
static u16 sim_sev_launch_update(struct sim_fw *fw, u32 handle, u64 pa,
				 u32 len, bool vmsa)
{
	struct sim_guest *g;
	u16 status;

	status = sim_sev_launch_guest(fw, handle, SIM_GSTATE_LUPDATE, &g);
	if (status)
		return status;
	if (vmsa && !(g->policy & SIM_POLICY_ES))
		return SEV_RET_INVALID_GUEST_STATE;
	if (vmsa ? len != PAGE_SIZE : !len || !IS_ALIGNED(len, 16))
		return SEV_RET_INVALID_LEN;
	if (!IS_ALIGNED(pa, vmsa ? PAGE_SIZE : 16))
		return SEV_RET_INVALID_ADDRESS;
	/* the firmware encrypts in place: it must be allowed to write */
	status = sim_fw_check_output(fw, pa, len);
	if (status)
		return status;

	sha256_update(&g->ld, phys_to_virt(pa), len);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_launch_update_data(struct sim_fw *fw, void *buf)
{
	struct sev_data_launch_update_data *d = buf;

	return sim_sev_launch_update(fw, d->handle, d->address, d->len, false);
}

u16 sim_fw_launch_update_vmsa(struct sim_fw *fw, void *buf)
{
	struct sev_data_launch_update_vmsa *d = buf;

	return sim_sev_launch_update(fw, d->handle, d->address, d->len, true);
}

/* The launch digest so far; the running one stays as it is. */
static void sim_sev_launch_digest(const struct sim_guest *g,
				  u8 digest[SHA256_DIGEST_SIZE])
{
	struct sha256_state ld = g->ld;

	sha256_final(&ld, digest);
}

u16 sim_fw_launch_measure(struct sim_fw *fw, void *buf)
{
	struct sev_data_launch_measure *d = buf;
	struct sim_sev_measure out;
	struct {
		u8 ctx, api_major, api_minor, build;
		__le32 policy;
		u8 digest[SHA256_DIGEST_SIZE];
		u8 mnonce[16];
	} __packed msg;
	struct sim_guest *g;
	u32 given = d->len;
	u16 status;

	status = sim_fw_sev_guest_cmd(fw, d->handle, &g);
	if (status)
		return status;
	if (g->state != SIM_GSTATE_LUPDATE && g->state != SIM_GSTATE_LSECRET)
		return SEV_RET_INVALID_GUEST_STATE;
	d->len = sizeof(out);
	if (!d->address || given < sizeof(out))
		return SEV_RET_INVALID_LEN;
	status = sim_fw_check_output(fw, d->address, sizeof(out));
	if (status)
		return status;

	sim_sev_launch_digest(g, msg.digest);
	msg.ctx = SIM_SEV_MEASURE_CTX;
	msg.api_major = fw->api_major;
	msg.api_minor = fw->api_minor;
	msg.build = fw->build;
	msg.policy = cpu_to_le32(g->policy);
	get_random_bytes(msg.mnonce, sizeof(msg.mnonce));
	if (sim_hmac_sha256(g->tik, sizeof(g->tik), &msg, sizeof(msg),
			    out.measurement))
		return SEV_RET_RESOURCE_LIMIT;
	memcpy(out.mnonce, msg.mnonce, sizeof(out.mnonce));

	status = sim_fw_write(d->address, &out, sizeof(out));
	if (status)
		return status;
	memcpy(g->measurement, out.measurement, sizeof(g->measurement));
	g->state = SIM_GSTATE_LSECRET;
	return SEV_RET_SUCCESS;
}

/* The MAC LAUNCH_SECRET's header carries, under the TIK. */
static int sim_sev_secret_mac(struct sim_guest *g,
			      const struct sim_sev_secret_hdr *hdr,
			      u32 guest_len, const u8 *data, u32 len,
			      u8 mac[32])
{
	size_t n = 1 + 4 + 16 + 4 + 4 + len + sizeof(g->measurement);
	__le32 v;
	u8 *msg, *p;
	int ret;

	msg = kmalloc(n, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	p = msg;
	*p++ = SIM_SEV_SECRET_CTX;
	memcpy(p, &hdr->flags, 4);
	p += 4;
	memcpy(p, hdr->iv, 16);
	p += 16;
	v = cpu_to_le32(guest_len);
	memcpy(p, &v, 4);
	p += 4;
	v = cpu_to_le32(len);
	memcpy(p, &v, 4);
	p += 4;
	memcpy(p, data, len);
	p += len;
	memcpy(p, g->measurement, sizeof(g->measurement));
	ret = sim_hmac_sha256(g->tik, sizeof(g->tik), msg, n, mac);
	kfree_sensitive(msg);
	return ret;
}

u16 sim_fw_launch_secret_cmd(struct sim_fw *fw, void *buf)
{
	struct sev_data_launch_secret *d = buf;
	struct sim_sev_secret_hdr hdr;
	struct sim_guest *g;
	u8 mac[32], *data;
	u16 status;

	status = sim_sev_launch_guest(fw, d->handle, SIM_GSTATE_LSECRET, &g);
	if (status)
		return status;
	if (d->hdr_len != sizeof(hdr) || !d->trans_len ||
	    d->trans_len > SIM_SEV_SECRET_MAX || d->guest_len != d->trans_len ||
	    !IS_ALIGNED(d->guest_len, 16))
		return SEV_RET_INVALID_LEN;
	if (!IS_ALIGNED(d->guest_address, 16))
		return SEV_RET_INVALID_ADDRESS;
	status = sim_fw_read(d->hdr_address, &hdr, sizeof(hdr));
	if (!status)
		status = sim_fw_check_output(fw, d->guest_address, d->guest_len);
	if (status)
		return status;
	/* compressed packets (flags bit 0) are not supported */
	if (hdr.flags)
		return SEV_RET_INVALID_PARAM;

	data = kmalloc(d->trans_len, GFP_KERNEL);
	if (!data)
		return SEV_RET_RESOURCE_LIMIT;
	status = sim_fw_read(d->trans_address, data, d->trans_len);
	if (status)
		goto out;
	status = SEV_RET_RESOURCE_LIMIT;
	if (sim_sev_secret_mac(g, &hdr, d->guest_len, data, d->trans_len, mac))
		goto out;
	if (crypto_memneq(mac, hdr.mac, sizeof(mac))) {
		status = SEV_RET_BAD_MEASUREMENT;
		goto out;
	}
	if (sim_aes128_ctr(g->tek, hdr.iv, data, d->trans_len))
		goto out;
	status = sim_fw_write(d->guest_address, data, d->guest_len);
out:
	kfree_sensitive(data);
	return status;
}

u16 sim_fw_launch_finish(struct sim_fw *fw, void *buf)
{
	struct sev_data_launch_finish *d = buf;
	struct sim_guest *g;
	u16 status;

	status = sim_fw_sev_guest_cmd(fw, d->handle, &g);
	if (status)
		return status;
	if (g->state != SIM_GSTATE_LSECRET)
		return SEV_RET_INVALID_GUEST_STATE;
	g->state = SIM_GSTATE_RUNNING;
	return SEV_RET_SUCCESS;
}

/*
 * ATTESTATION (spec 55766 rev 0.24): the launch digest LAUNCH_MEASURE
 * reported, which no later command changes, for anyone the PEK convinces;
 * the hypervisor may ask for it while the guest runs.
 */
u16 sim_fw_attestation_report(struct sim_fw *fw, void *buf)
{
	struct sev_data_attestation_report *d = buf;
	struct sim_sev_attestation_report r = {};
	struct sim_guest *g;
	u32 given = d->len;
	u16 status;

	BUILD_BUG_ON(sizeof(r) != 0xd0);
	BUILD_BUG_ON(offsetof(typeof(r), sig_usage) !=
		     SIM_SEV_REPORT_SIGNED_LEN);

	status = sim_fw_sev_guest_cmd(fw, d->handle, &g);
	if (status)
		return status;
	if (g->state != SIM_GSTATE_LSECRET && g->state != SIM_GSTATE_RUNNING)
		return SEV_RET_INVALID_GUEST_STATE;
	d->len = sizeof(r);
	if (!d->address || given < sizeof(r))
		return SEV_RET_INVALID_LEN;
	status = sim_fw_check_output(fw, d->address, sizeof(r));
	if (status)
		return status;

	memcpy(r.mnonce, d->mnonce, sizeof(r.mnonce));
	sim_sev_launch_digest(g, r.launch_digest);
	r.policy = g->policy;
	r.sig_usage = SIM_SEV_USAGE_PEK;
	r.sig_algo = SIM_SEV_ALGO_ECDSA_SHA256;
	if (sim_fw_pek_sign(fw, &r, SIM_SEV_REPORT_SIGNED_LEN, r.sig_r,
			    r.sig_s))
		return SEV_RET_RESOURCE_LIMIT;
	return sim_fw_write(d->address, &r, sizeof(r));
}
