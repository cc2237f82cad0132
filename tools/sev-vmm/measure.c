// SPDX-License-Identifier: GPL-2.0
/*
 * Launch digests, computed in userspace from what the VMM gives the
 * firmware, to be compared with the firmware's:
 *
 * SNP (spec 56860, SNP_LAUNCH_UPDATE, "PAGE_INFO"): starting from 48 zero
 * bytes, for each page in the order the firmware receives it,
 *   LD = SHA-384(LD || CONTENTS || 0x70 (u16) || PAGE_TYPE || IMI_PAGE ||
 *                VMPL3_PERMS || VMPL2_PERMS || VMPL1_PERMS || 0 || GPA (u64))
 * where CONTENTS is the SHA-384 of the page for NORMAL and VMSA pages and
 * zero for the others (ZERO, UNMEASURED, SECRETS, CPUID). KVM gives no
 * VMPL permissions and no IMI pages, so those bytes are zero.
 *
 * SEV and SEV-ES (spec 55766, LAUNCH_UPDATE_DATA/VMSA, LAUNCH_MEASURE):
 * the digest is SHA-256 over every byte measured, in order; the guest
 * owner sees only
 *   MEASURE = HMAC-SHA256(TIK, 0x04 || API_MAJOR || API_MINOR || BUILD ||
 *                         POLICY (u32) || DIGEST || MNONCE)
 * and checks it with the TIK it chose.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sev-vmm.h"

struct snp_page_info {
	u8 digest_cur[SHA384_LEN];
	u8 contents[SHA384_LEN];
	u16 length;
	u8 page_type;
	u8 imi_page;
	u8 vmpl3_perms;
	u8 vmpl2_perms;
	u8 vmpl1_perms;
	u8 rsvd;
	u64 gpa;
};

static_assert(sizeof(struct snp_page_info) == 0x70, "PAGE_INFO is 0x70 bytes");

void sha384(const void *data, size_t len, u8 out[SHA384_LEN])
{
	if (!EVP_Digest(data, len, out, NULL, EVP_sha384(), NULL))
		vmm_err("SHA-384 failed");
}

void snp_digest_init(struct snp_digest *d)
{
	memset(d, 0, sizeof(*d));
}

void snp_digest_pages(struct snp_digest *d, u8 type, u64 gpa,
		      const void *data, size_t len)
{
	struct snp_page_info pi;
	size_t off;

	for (off = 0; off < len; off += PAGE_SIZE) {
		memset(&pi, 0, sizeof(pi));
		memcpy(pi.digest_cur, d->ld, sizeof(pi.digest_cur));
		if (type == SNP_PAGE_TYPE_NORMAL || type == SNP_PAGE_TYPE_VMSA)
			sha384((const u8 *)data + off, PAGE_SIZE, pi.contents);
		pi.length = sizeof(pi);
		pi.page_type = type;
		pi.gpa = gpa + off;
		sha384(&pi, sizeof(pi), d->ld);
		d->pages++;
	}
}

const char *snp_page_type_name(u8 type)
{
	switch (type) {
	case SNP_PAGE_TYPE_NORMAL:
		return "NORMAL";
	case SNP_PAGE_TYPE_VMSA:
		return "VMSA";
	case SNP_PAGE_TYPE_ZERO:
		return "ZERO";
	case SNP_PAGE_TYPE_UNMEASURED:
		return "UNMEASURED";
	case SNP_PAGE_TYPE_SECRETS:
		return "SECRETS";
	case SNP_PAGE_TYPE_CPUID:
		return "CPUID";
	default:
		return "?";
	}
}

struct sev_digest {
	EVP_MD_CTX *ctx;
};

struct sev_digest *sev_digest_new(void)
{
	struct sev_digest *d = calloc(1, sizeof(*d));

	if (!d)
		vmm_err("out of memory");
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx || !EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL))
		vmm_err("SHA-256 failed");
	return d;
}

void sev_digest_update(struct sev_digest *d, const void *data, size_t len)
{
	if (!EVP_DigestUpdate(d->ctx, data, len))
		vmm_err("SHA-256 failed");
}

void sev_digest_final(struct sev_digest *d, u8 out[SHA256_LEN])
{
	if (!EVP_DigestFinal_ex(d->ctx, out, NULL))
		vmm_err("SHA-256 failed");
	EVP_MD_CTX_free(d->ctx);
	free(d);
}

void sev_launch_measure_mac(const u8 tik[16], u8 api_major, u8 api_minor,
			    u8 build, u32 policy, const u8 digest[SHA256_LEN],
			    const u8 mnonce[16], u8 out[SHA256_LEN])
{
	struct {
		u8 ctx, api_major, api_minor, build;
		u32 policy;
		u8 digest[SHA256_LEN];
		u8 mnonce[16];
	} msg = {
		.ctx = 0x04, .api_major = api_major, .api_minor = api_minor,
		.build = build, .policy = policy,
	};
	unsigned int len = SHA256_LEN;

	memcpy(msg.digest, digest, SHA256_LEN);
	memcpy(msg.mnonce, mnonce, 16);
	if (!HMAC(EVP_sha256(), tik, 16, (const u8 *)&msg, sizeof(msg), out,
		  &len))
		vmm_err("HMAC-SHA256 failed");
}
