/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sev-vmm --attest: after an SNP launch, play the guest's first
 * attestation, as a guest kernel's sev-guest driver and a verifier would.
 * No guest instruction runs on /dev/kvm-sev, so this code is the guest:
 *
 *   attest.c         the guest: its VMPCK0 from the secrets page (read as
 *                    the guest sees it, through kvm-sev's debugfs
 *                    private_mem), the GHCB, the extended report request
 *                    and its resend; the VMM's half of the certificate
 *                    exit
 *   attest-verify.c  the guest owner: the certificate table, the VCEK's
 *                    chain to the ARK, the report's signature and fields
 *
 * Both build with the selftests' guest library (snp_guest_lib.h), whose
 * kernel types clash with sev-vmm.h's: this header is all they share, in
 * <stdint.h> types.
 */
#ifndef SEV_VMM_ATTEST_H
#define SEV_VMM_ATTEST_H

#include <stddef.h>
#include <stdint.h>

struct attest {
	/* the VM as launched */
	int kvm_fd, vm_fd, vcpu_fd;
	uint8_t *ram;			/* the VMM's RAM, at GPA 0: shared */
	uint64_t ram_size;
	uint64_t secrets_gpa;		/* OVMF's SNP_SECRETS section */
	/* NULL: the host's certificates; else the VMM gives these */
	const uint8_t *vmm_certs;
	size_t vmm_certs_len;

	/* what the guest owner expects */
	const uint8_t *measurement;	/* 48 bytes: the launch digest */
	const uint8_t *host_data;	/* 32 bytes */
	const uint8_t *id_key_digest;	/* 48 bytes, or NULL: not known */
	uint64_t policy;
	const char *ark_path;		/* trusted ARK (PEM), or NULL */
	const char *out_dir;		/* report and certificates, or NULL */
};

/* 0: the report checks out; 1: it does not, or a step failed */
int guest_attest(const struct attest *a);

/*
 * The guest owner's check of @report (struct sev_psp_attestation_report)
 * with the certificate table @certs (@len bytes, the GUID table and the
 * certificates it points at): 0 or 1, each check printed.
 */
int attest_verify(const struct attest *a, const void *report,
		  const uint8_t *report_data, const uint8_t *certs,
		  size_t len);

#endif /* SEV_VMM_ATTEST_H */
