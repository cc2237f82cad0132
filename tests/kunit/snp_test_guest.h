/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's half of SNP guest messages, for the suites that play an SNP
 * guest against the simulated firmware: what a guest kernel's sev-guest
 * driver does with its VMPCK, and what a relying party does with a report.
 */
#ifndef SNP_TEST_GUEST_H
#define SNP_TEST_GUEST_H

#include "sim.h"

/* Write a request: header, payload encrypted under @vmpck with @seqno. */
int snp_test_msg_seal(struct sev_psp_msg *m, const u8 *vmpck,
		      unsigned int vmpck_id, u64 seqno, u8 type,
		      const void *payload, u16 len);

/*
 * Check an answer as the guest must (sequence number @seqno, type, version,
 * tag) and decrypt its payload into @payload (@len bytes at most).
 * Return: the payload's size, or -EBADMSG.
 */
int snp_test_msg_open(struct sev_psp_msg *m, const u8 *vmpck, u64 seqno,
		      u8 type, void *payload, u16 len);

/* Verify a report's signature with @fw's VCEK for the report's TCB. */
int snp_test_report_verify(struct sim_fw *fw,
			   const struct sev_psp_attestation_report *r);

#endif /* SNP_TEST_GUEST_H */
