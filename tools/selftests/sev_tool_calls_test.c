// SPDX-License-Identifier: GPL-2.0
/*
 * AMD's sev-tool (github.com/AMDESE/sev-tool, src/sevcore_linux.cpp) is not
 * in Debian, so it cannot run here; these are its /dev/sev calls as it
 * makes them, which must keep working for it to work unmodified:
 *   - FACTORY_RESET, PEK_GEN and PDH_GEN with a dummy 4-byte buffer;
 *   - PEK_CSR twice: with an address and length 0, expecting the ioctl to
 *     fail with SEV_RET_INVALID_LEN and the length filled in, then again;
 *     the CSR must be version 1, a PEK, ECDSA-SHA256, both signatures empty,
 *     and carry PLATFORM_STATUS's API version (sev-tool prints it, and
 *     signs the CSR after an OCA made with that version);
 *   - PDH_CERT_EXPORT into one certificate and a three-certificate chain;
 *   - the deprecated GET_ID into its fixed 128-byte buffer;
 *   - "set self-owned": PEK_GEN when INIT, FACTORY_RESET when UNINIT.
 */
#include "kselftest_harness.h"
#include "sev_test_util.h"

#define SIM_ID		0
#define CERT_LEN	0x824
#define USAGE_PEK	0x1002
#define USAGE_INVALID	0x1000
#define ALGO_ECDSA_SHA256 0x2
#define ALGO_INVALID	0x0

/* The start of a certificate as sev-tool's validate_pek_csr() reads it */
struct cert_head {
	uint32_t version;
	uint8_t api_major, api_minor, rsvd[2];
	uint32_t usage, algo;
};

struct cert_sig {
	uint32_t usage, algo;
};

#define SIG1_OFFSET	0x414
#define SIG2_OFFSET	(SIG1_OFFSET + 0x208)

FIXTURE(tool) {
	int fd;
	int fd_ro;
	unsigned char *cert;
};

FIXTURE_SETUP(tool)
{
	ASSERT_EQ(0, sim_fresh_device(SIM_ID, &self->fd, &self->fd_ro));
	self->cert = calloc(1, 4 * CERT_LEN);
	ASSERT_NE(NULL, self->cert);
}

FIXTURE_TEARDOWN(tool)
{
	close(self->fd);
	close(self->fd_ro);
	free(self->cert);
	sim_del(SIM_ID);
}

TEST_F(tool, no_buffer_commands_with_a_dummy_buffer)
{
	uint32_t dummy = 0, error;

	EXPECT_EQ(0, sev_cmd(self->fd, SEV_PEK_GEN, &dummy, &error));
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_PDH_GEN, &dummy, &error));
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, &dummy, &error));
	EXPECT_EQ(0, dummy) TH_LOG("the dummy buffer is not the kernel's to write");
}

TEST_F(tool, pek_csr_length_then_csr)
{
	struct sev_user_data_pek_csr csr = {
		.address = (uintptr_t)self->cert,
		.length = 0,
	};
	const struct cert_head *h = (void *)self->cert;
	const struct cert_sig *s1 = (void *)(self->cert + SIG1_OFFSET);
	const struct cert_sig *s2 = (void *)(self->cert + SIG2_OFFSET);
	struct sev_user_data_status st;
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SEV_PEK_CSR, &csr, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	ASSERT_EQ(CERT_LEN, csr.length);
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PEK_CSR, &csr, &error));

	EXPECT_EQ(1, h->version);
	EXPECT_EQ(st.api_major, h->api_major) TH_LOG("not the firmware's API");
	EXPECT_EQ(st.api_minor, h->api_minor);
	EXPECT_EQ(USAGE_PEK, h->usage);
	EXPECT_EQ(ALGO_ECDSA_SHA256, h->algo);
	EXPECT_EQ(USAGE_INVALID, s1->usage);
	EXPECT_EQ(ALGO_INVALID, s1->algo);
	EXPECT_EQ(USAGE_INVALID, s2->usage);
	EXPECT_EQ(ALGO_INVALID, s2->algo);
}

TEST_F(tool, pdh_cert_export_into_fixed_sizes)
{
	struct sev_user_data_pdh_cert_export exp = {
		.pdh_cert_address = (uintptr_t)self->cert,
		.pdh_cert_len = CERT_LEN,
		.cert_chain_address = (uintptr_t)self->cert + CERT_LEN,
		.cert_chain_len = 3 * CERT_LEN,
	};
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PDH_CERT_EXPORT, &exp, &error));
	EXPECT_EQ(CERT_LEN, exp.pdh_cert_len);
	EXPECT_EQ(3 * CERT_LEN, exp.cert_chain_len);
}

TEST_F(tool, get_id_into_128_bytes)
{
	struct sev_user_data_get_id id;
	struct sev_user_data_get_id2 id2 = {
		.address = (uintptr_t)self->cert,
		.length = 64,
	};
	uint32_t error;

	memset(&id, 0, sizeof(id));
	ASSERT_EQ(128, sizeof(id));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_GET_ID, &id, &error));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_GET_ID2, &id2, &error));
	EXPECT_EQ(0, memcmp(id.socket1, self->cert, 64));
}

TEST_F(tool, set_self_owned)
{
	struct sev_user_data_status st;
	uint32_t dummy = 0, error;

	/* INIT: a new PEK; UNINIT: a factory reset; both self-owned */
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	if (st.state == 1)	/* INIT */
		EXPECT_EQ(0, sev_cmd(self->fd, SEV_PEK_GEN, &dummy, &error));
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, &dummy, &error));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, st.flags & 1) TH_LOG("still externally owned");
	EXPECT_EQ(0, sev_cmd(self->fd_ro, SEV_PLATFORM_STATUS, &st, &error));
}

TEST_HARNESS_MAIN
