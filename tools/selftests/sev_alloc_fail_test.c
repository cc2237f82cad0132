// SPDX-License-Identifier: GPL-2.0
/*
 * Every /dev/sev command that allocates, with each of its allocations made
 * to fail in turn: systematic fault injection through
 * /proc/thread-self/fail-nth (failslab and fail_page_alloc, sleeping
 * allocations included). Each failing call must fail cleanly (-ENOMEM) or
 * succeed, and afterwards the platform must be as it was: the next call
 * works, the firmware's reported TCB is the driver's, the certificate blob
 * is the old one or the new one whole, no page was leaked. Leaks of kernel
 * memory on the error paths are kmemleak's to find after the run.
 */
#include "kselftest_harness.h"
#include "sev_test_util.h"
#include <linux/sev-psp.h>

#define SIM_ID		0
#define PAGE		4096
#define MAX_SITES	400	/* more allocations than this in one call: a bug */

static const unsigned char guid_vcek[16] = SEV_PSP_GUID_VCEK;

struct op_ctx {
	int fd;
	unsigned char *blob[2];		/* two blobs, told apart by content */
	unsigned char *out;
	unsigned int round;
	struct sev_user_data_snp_config cfg[2];
};

typedef int (*op_fn)(struct op_ctx *c, uint32_t *error);

static void make_blob(unsigned char *blob, unsigned char tag)
{
	struct sev_psp_cert_table_entry *e = (void *)blob;

	memset(blob, tag, 2 * PAGE);
	memset(e, 0, 2 * sizeof(*e));
	memcpy(e[0].guid, guid_vcek, 16);
	e[0].offset = 2 * sizeof(*e);
	e[0].length = 2 * PAGE - e[0].offset;
}

static int op_set_ext_config(struct op_ctx *c, uint32_t *error)
{
	unsigned int i = c->round & 1;
	struct sev_user_data_ext_snp_config ext = {
		.config_address = (uintptr_t)&c->cfg[i],
		.certs_address = (uintptr_t)c->blob[i],
		.certs_len = 2 * PAGE,
	};

	return sev_cmd(c->fd, SNP_SET_EXT_CONFIG, &ext, error);
}

static int op_get_ext_config(struct op_ctx *c, uint32_t *error)
{
	struct sev_user_data_snp_config cfg;
	struct sev_user_data_ext_snp_config ext = {
		.config_address = (uintptr_t)&cfg,
		.certs_address = (uintptr_t)c->out,
		.certs_len = 4 * PAGE,
	};

	return sev_cmd(c->fd, SNP_GET_EXT_CONFIG, &ext, error);
}

static int op_snp_status(struct op_ctx *c, uint32_t *error)
{
	struct sev_user_data_snp_status st;

	return sev_cmd(c->fd, SNP_PLATFORM_STATUS, &st, error);
}

static int op_status(struct op_ctx *c, uint32_t *error)
{
	struct sev_user_data_status st;

	return sev_cmd(c->fd, SEV_PLATFORM_STATUS, &st, error);
}

static int op_set_config(struct op_ctx *c, uint32_t *error)
{
	return sev_cmd(c->fd, SNP_SET_CONFIG, &c->cfg[c->round & 1], error);
}

static int op_pek_csr(struct op_ctx *c, uint32_t *error)
{
	struct sev_user_data_pek_csr csr = {
		.address = (uintptr_t)c->out,
		.length = 4 * PAGE,
	};

	return sev_cmd(c->fd, SEV_PEK_CSR, &csr, error);
}

static int op_pdh_export(struct op_ctx *c, uint32_t *error)
{
	struct sev_user_data_pdh_cert_export exp = {
		.pdh_cert_address = (uintptr_t)c->out,
		.pdh_cert_len = PAGE,
		.cert_chain_address = (uintptr_t)c->out + PAGE,
		.cert_chain_len = 3 * PAGE,
	};

	return sev_cmd(c->fd, SEV_PDH_CERT_EXPORT, &exp, error);
}

static int op_get_id2(struct op_ctx *c, uint32_t *error)
{
	struct sev_user_data_get_id2 id = {
		.address = (uintptr_t)c->out,
		.length = 64,
	};

	return sev_cmd(c->fd, SEV_GET_ID2, &id, error);
}

static int op_pek_gen(struct op_ctx *c, uint32_t *error)
{
	return sev_cmd(c->fd, SEV_PEK_GEN, NULL, error);
}

static int op_pdh_gen(struct op_ctx *c, uint32_t *error)
{
	return sev_cmd(c->fd, SEV_PDH_GEN, NULL, error);
}

static int op_get_id(struct op_ctx *c, uint32_t *error)
{
	return sev_cmd(c->fd, SEV_GET_ID, c->out, error);
}

static int op_snp_commit(struct op_ctx *c, uint32_t *error)
{
	return sev_cmd(c->fd, SNP_COMMIT, NULL, error);
}

/* SEV down and up again around the reset: the longest sequence */
static int op_factory_reset(struct op_ctx *c, uint32_t *error)
{
	return sev_cmd(c->fd, SEV_FACTORY_RESET, NULL, error);
}

FIXTURE(alloc_fail) {
	struct op_ctx c;
	int fd_ro;
};

FIXTURE_SETUP(alloc_fail)
{
	int i, ret;

	/* sleeping allocations too, pages of every order, quietly */
	ret = fail_nth_open();
	if (fail_nth_fd < 0)
		SKIP(return, "no fault injection in this kernel");
	ASSERT_EQ(0, ret);

	ASSERT_EQ(0, sim_fresh_device(SIM_ID, &self->c.fd, &self->fd_ro));
	for (i = 0; i < 2; i++) {
		self->c.blob[i] = malloc(2 * PAGE);
		ASSERT_NE(NULL, self->c.blob[i]);
		make_blob(self->c.blob[i], 0xa0 + i);
		/* two TCBs at most the chip's (3, 0, 8, 115) */
		self->c.cfg[i].reported_tcb = i ? 0x6407000000000002ULL :
						  0x7308000000000003ULL;
	}
	self->c.out = calloc(1, 4 * PAGE);
	ASSERT_NE(NULL, self->c.out);
	/* touch the buffers now, so no page fault allocates during a call */
	memset(self->c.out, 0, 4 * PAGE);
}

FIXTURE_TEARDOWN(alloc_fail)
{
	if (fail_nth_fd < 0)
		return;
	fail_nth_close();
	close(self->c.fd);
	close(self->fd_ro);
	free(self->c.blob[0]);
	free(self->c.blob[1]);
	free(self->c.out);
	sim_del(SIM_ID);
}

/*
 * The platform after a failed call: usable, and the firmware's reported
 * TCB, the driver's configuration and the blob one consistent set.
 */
static void check_consistent(struct __test_metadata *_metadata,
			     struct op_ctx *c, const char *name, unsigned int n,
			     bool paired)
{
	struct sev_user_data_snp_status st;
	struct sev_user_data_snp_config cfg;
	struct sev_user_data_ext_snp_config ext = {
		.config_address = (uintptr_t)&cfg,
		.certs_address = (uintptr_t)c->out,
		.certs_len = 4 * PAGE,
	};
	uint32_t error;
	int i;

	ASSERT_EQ(0, sev_cmd(c->fd, SNP_PLATFORM_STATUS, &st, &error))
		TH_LOG("%s, allocation %u failed: the platform is unusable", name, n);
	ASSERT_EQ(0, sev_cmd(c->fd, SNP_GET_EXT_CONFIG, &ext, &error));
	EXPECT_EQ(st.reported_tcb_version, cfg.reported_tcb)
		TH_LOG("%s, allocation %u failed: firmware and driver disagree on the TCB",
		       name, n);
	if (!ext.certs_len)
		return;
	ASSERT_EQ(2 * PAGE, ext.certs_len);
	for (i = 0; i < 2; i++)
		if (!memcmp(c->out, c->blob[i], 2 * PAGE))
			break;
	ASSERT_LT(i, 2)
		TH_LOG("%s, allocation %u failed: the blob is neither old nor new", name, n);
	/* SNP_SET_EXT_CONFIG sets both (SNP_SET_CONFIG keeps the blob) */
	if (paired)
		EXPECT_EQ(c->cfg[i].reported_tcb, cfg.reported_tcb)
		TH_LOG("%s, allocation %u failed: blob and TCB do not match", name, n);
}

static void fail_each_allocation(struct __test_metadata *_metadata,
				 struct op_ctx *c, const char *name, op_fn op,
				 bool paired)
{
	unsigned int n, failed = 0;
	uint32_t error;
	int ret, fired;

	for (n = 1; n <= MAX_SITES; n++) {
		c->round++;
		ASSERT_EQ(0, fail_nth_set(n));
		ret = op(c, &error);
		fired = fail_nth_fired();
		ASSERT_EQ(0, fail_nth_set(0));
		ASSERT_GE(fired, 0);
		if (!fired) {
			/* fewer than n allocations: every one has failed once */
			ASSERT_EQ(0, ret) TH_LOG("%s without a fault: %d (error %#x)",
						 name, ret, error);
			break;
		}
		if (ret) {
			failed++;
			EXPECT_EQ(-ENOMEM, ret)
				TH_LOG("%s, allocation %u failed: %d (error %#x)",
				       name, n, ret, error);
		}
		check_consistent(_metadata, c, name, n, paired);
		/* and the same call works again */
		EXPECT_EQ(0, op(c, &error)) TH_LOG("%s after allocation %u failed", name, n);
	}
	ASSERT_LE(n, MAX_SITES);
	TH_LOG("%s: %u allocations, %u made the call fail", name, n - 1, failed);
}

static const struct {
	const char *name;
	op_fn fn;
	bool paired;		/* sets blob and TCB together */
} ops[] = {
	{ "SNP_SET_EXT_CONFIG", op_set_ext_config, true },
	{ "SNP_GET_EXT_CONFIG", op_get_ext_config, false },
	{ "SNP_PLATFORM_STATUS", op_snp_status, false },
	{ "SEV_PLATFORM_STATUS", op_status, false },
	{ "SNP_SET_CONFIG", op_set_config, false },
	{ "SEV_PEK_CSR", op_pek_csr, false },
	{ "SEV_PDH_CERT_EXPORT", op_pdh_export, false },
	{ "SEV_GET_ID2", op_get_id2, false },
	{ "SEV_PEK_GEN", op_pek_gen, false },
	{ "SEV_PDH_GEN", op_pdh_gen, false },
	{ "SEV_GET_ID", op_get_id, false },
	{ "SNP_COMMIT", op_snp_commit, false },
	{ "SEV_FACTORY_RESET", op_factory_reset, false },
};

TEST_F(alloc_fail, every_allocation_of_every_command)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		fail_each_allocation(_metadata, &self->c, ops[i].name,
				     ops[i].fn, ops[i].paired);
	EXPECT_EQ(0, debugfs_value(PSP_DEBUGFS "/psp-sevsim0/mailbox",
				   "leaked_pages"));
}

TEST_HARNESS_MAIN
