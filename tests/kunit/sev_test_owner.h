/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest owner's half of an SEV launch, for the suites that launch SEV
 * guests on the simulated firmware: the session LAUNCH_START takes, and
 * the packets LAUNCH_SECRET takes, built as AMD's sev-tool builds them;
 * and the check of ATTESTATION's report.
 */
#ifndef SEV_TEST_OWNER_H
#define SEV_TEST_OWNER_H

#include "sim.h"

struct sev_test_session {
	u8 nonce[16];
	u8 wrap_tk[32];
	u8 wrap_iv[16];
	u8 wrap_mac[32];
	u8 policy_mac[32];
} __packed;

struct sev_test_secret_hdr {
	__le32 flags;
	u8 iv[16];
	u8 mac[32];
} __packed;

/*
 * The owner's DH certificate (@cert, from a key derived from @seed) and the
 * session wrapping @tek and @tik for the platform whose PDH is @pdh.
 */
int sev_test_owner_session(const struct sim_sev_cert *pdh, const char *seed,
			   u32 policy, const u8 tek[16], const u8 tik[16],
			   struct sim_sev_cert *cert,
			   struct sev_test_session *ses);

/* Encrypt @data (@len bytes) in place and MAC the packet in @hdr. */
int sev_test_secret_packet(const u8 tek[16], const u8 tik[16],
			   const u8 measurement[32],
			   struct sev_test_secret_hdr *hdr, u8 *data, u32 len);

/*
 * Check ATTESTATION's report as the guest owner would, with the key in the
 * PEK certificate @pek: the usage and algorithm it claims, and SIG1 over
 * MNONCE, LAUNCH_DIGEST and POLICY. 0, or an errno (-EKEYREJECTED for a
 * signature that does not verify).
 */
int sev_test_report_verify(const struct sim_sev_cert *pek,
			   const struct sim_sev_attestation_report *r);

#endif /* SEV_TEST_OWNER_H */
