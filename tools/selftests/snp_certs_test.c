// SPDX-License-Identifier: GPL-2.0
/*
 * The host-wide SNP certificate blob on /dev/sev: SNP_SET_EXT_CONFIG and
 * SNP_GET_EXT_CONFIG, their length, permission and GUID-table rules, and
 * that the reported TCB and the certificates always change together, even
 * with readers running while a writer changes both in a loop.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "sev_test_util.h"
#include <linux/sev-psp.h>

#define SIM_ID		0
#define SIM_TCB		0x7308000000000003ULL
#define PAGE		4096

static const unsigned char guid_vcek[16] = SEV_PSP_GUID_VCEK;
static const unsigned char guid_ask[16] = SEV_PSP_GUID_ASK;
static const unsigned char guid_ark[16] = SEV_PSP_GUID_ARK;

/*
 * A blob of @len bytes with VCEK, ASK and ARK entries; every certificate
 * byte is derived from @tag, so a reader can tell which blob it got.
 */
static void make_blob(unsigned char *blob, size_t len, uint64_t tag)
{
	struct sev_psp_cert_table_entry *e = (void *)blob;
	const unsigned char *guids[] = { guid_vcek, guid_ask, guid_ark };
	uint32_t off = 4 * sizeof(*e), each = (len - off) / 3;
	size_t i;

	memset(blob, 0, len);
	for (i = 0; i < 3; i++) {
		memcpy(e[i].guid, guids[i], 16);
		e[i].offset = off + i * each;
		e[i].length = each;
	}
	for (i = off; i < off + 3 * each; i++)
		blob[i] = (unsigned char)(tag >> (8 * (i % 8)));
}

static int set_ext(int fd, struct sev_user_data_snp_config *cfg,
		   void *blob, uint32_t len, uint32_t *error)
{
	struct sev_user_data_ext_snp_config ext = {
		.config_address = (uintptr_t)cfg,
		.certs_address = (uintptr_t)blob,
		.certs_len = len,
	};

	return sev_cmd(fd, SNP_SET_EXT_CONFIG, &ext, error);
}

static int get_ext(int fd, struct sev_user_data_snp_config *cfg,
		   void *blob, uint32_t *len, uint32_t *error)
{
	struct sev_user_data_ext_snp_config ext = {
		.config_address = (uintptr_t)cfg,
		.certs_address = (uintptr_t)blob,
		.certs_len = *len,
	};
	int ret = sev_cmd(fd, SNP_GET_EXT_CONFIG, &ext, error);

	*len = ext.certs_len;
	return ret;
}

FIXTURE(certs) {
	int fd;
	int fd_ro;
	unsigned char *blob;
	unsigned char *out;
};

FIXTURE_SETUP(certs)
{
	ASSERT_EQ(0, sim_fresh_device(SIM_ID, &self->fd, &self->fd_ro));
	self->blob = calloc(1, 8 * PAGE);
	self->out = calloc(1, 8 * PAGE);
	ASSERT_TRUE(self->blob && self->out);
}

FIXTURE_TEARDOWN(certs)
{
	free(self->blob);
	free(self->out);
	close(self->fd);
	close(self->fd_ro);
	sim_del(SIM_ID);
}

TEST_F(certs, command_ids_cannot_collide_with_upstream)
{
	EXPECT_LT(SEV_MAX + 1000, SNP_SET_EXT_CONFIG);
	EXPECT_EQ(SNP_SET_EXT_CONFIG + 1, SNP_GET_EXT_CONFIG);
	EXPECT_EQ(24, sizeof(struct sev_psp_cert_table_entry));
}

TEST_F(certs, set_then_get_returns_the_same_blob)
{
	uint32_t error, len = 4 * PAGE;

	make_blob(self->blob, 2 * PAGE, 42);
	ASSERT_EQ(0, set_ext(self->fd, NULL, self->blob, 2 * PAGE, &error));
	ASSERT_EQ(0, get_ext(self->fd_ro, NULL, self->out, &len, &error));
	EXPECT_EQ(2 * PAGE, len);
	EXPECT_EQ(0, memcmp(self->blob, self->out, 2 * PAGE));
}

TEST_F(certs, get_without_blob_has_length_zero)
{
	struct sev_user_data_snp_config cfg;
	uint32_t error, len = PAGE;

	ASSERT_EQ(0, get_ext(self->fd_ro, &cfg, self->out, &len, &error));
	EXPECT_EQ(0, len);
	EXPECT_EQ(SIM_TCB, cfg.reported_tcb) TH_LOG("the firmware's own TCB");
}

TEST_F(certs, get_into_small_buffer_is_enosr_with_length)
{
	uint32_t error, len = PAGE;

	make_blob(self->blob, 3 * PAGE, 1);
	ASSERT_EQ(0, set_ext(self->fd, NULL, self->blob, 3 * PAGE, &error));
	memset(self->out, 0x5a, PAGE);
	EXPECT_EQ(-ENOSR, get_ext(self->fd_ro, NULL, self->out, &len, &error));
	EXPECT_EQ(3 * PAGE, len);
	EXPECT_EQ(0x5a, self->out[0]) TH_LOG("nothing written on ENOSR");
}

TEST_F(certs, set_needs_writable_fd)
{
	uint32_t error;

	make_blob(self->blob, PAGE, 1);
	EXPECT_EQ(-EPERM, set_ext(self->fd_ro, NULL, self->blob, PAGE, &error));
}

TEST_F(certs, bad_lengths_keep_the_previous_blob)
{
	uint32_t error, len = 8 * PAGE;

	make_blob(self->blob, PAGE, 7);
	ASSERT_EQ(0, set_ext(self->fd, NULL, self->blob, PAGE, &error));

	make_blob(self->blob, 8 * PAGE, 8);
	EXPECT_EQ(-EINVAL, set_ext(self->fd, NULL, self->blob, 0, &error));
	EXPECT_EQ(-EINVAL, set_ext(self->fd, NULL, self->blob, PAGE + 8, &error))
		TH_LOG("the length must be page-aligned");
	EXPECT_EQ(-EINVAL, set_ext(self->fd, NULL, self->blob, 5 * PAGE, &error))
		TH_LOG("16 KiB at most");
	EXPECT_EQ(-EFAULT, set_ext(self->fd, NULL, (void *)8, PAGE, &error));

	make_blob(self->blob, PAGE, 7);
	ASSERT_EQ(0, get_ext(self->fd, NULL, self->out, &len, &error));
	EXPECT_EQ(PAGE, len);
	EXPECT_EQ(0, memcmp(self->blob, self->out, PAGE));
}

TEST_F(certs, bad_tables_are_einval)
{
	struct sev_psp_cert_table_entry *e = (void *)self->blob;
	uint32_t error, len = PAGE;

	/* no terminator anywhere */
	memset(self->blob, 0xff, PAGE);
	EXPECT_EQ(-EINVAL, set_ext(self->fd, NULL, self->blob, PAGE, &error));
	/* an offset into the table */
	make_blob(self->blob, PAGE, 1);
	e[1].offset = 24;
	EXPECT_EQ(-EINVAL, set_ext(self->fd, NULL, self->blob, PAGE, &error));
	/* a certificate running past the blob */
	make_blob(self->blob, PAGE, 1);
	e[2].length = PAGE;
	EXPECT_EQ(-EINVAL, set_ext(self->fd, NULL, self->blob, PAGE, &error));
	/* offset + length wrapping around */
	make_blob(self->blob, PAGE, 1);
	e[0].offset = 0xfffffff0;
	e[0].length = 0x20;
	EXPECT_EQ(-EINVAL, set_ext(self->fd, NULL, self->blob, PAGE, &error));
	/* the same GUID twice */
	make_blob(self->blob, PAGE, 1);
	memcpy(e[1].guid, guid_vcek, 16);
	EXPECT_EQ(-EINVAL, set_ext(self->fd, NULL, self->blob, PAGE, &error));

	ASSERT_EQ(0, get_ext(self->fd, NULL, self->out, &len, &error));
	EXPECT_EQ(0, len) TH_LOG("no bad table was taken");

	/* an empty table (just the terminator) is fine */
	memset(self->blob, 0, PAGE);
	EXPECT_EQ(0, set_ext(self->fd, NULL, self->blob, PAGE, &error));
}

TEST_F(certs, zero_address_deletes_the_blob)
{
	uint32_t error, len = PAGE;

	make_blob(self->blob, PAGE, 3);
	ASSERT_EQ(0, set_ext(self->fd, NULL, self->blob, PAGE, &error));
	ASSERT_EQ(0, set_ext(self->fd, NULL, NULL, 0, &error));
	ASSERT_EQ(0, get_ext(self->fd, NULL, self->out, &len, &error));
	EXPECT_EQ(0, len);
}

TEST_F(certs, refused_config_keeps_blob_and_tcb)
{
	struct sev_user_data_snp_config cfg = { .reported_tcb = SIM_TCB - 1 }, got;
	uint32_t error, len = PAGE;

	make_blob(self->blob, PAGE, SIM_TCB - 1);
	ASSERT_EQ(0, set_ext(self->fd, &cfg, self->blob, PAGE, &error));

	/* newer than the firmware: refused, and the blob stays too */
	cfg.reported_tcb = SIM_TCB + 1;
	make_blob(self->blob, PAGE, SIM_TCB + 1);
	EXPECT_EQ(-EIO, set_ext(self->fd, &cfg, self->blob, PAGE, &error));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, error);

	ASSERT_EQ(0, get_ext(self->fd, &got, self->out, &len, &error));
	EXPECT_EQ(SIM_TCB - 1, got.reported_tcb);
	make_blob(self->blob, PAGE, SIM_TCB - 1);
	EXPECT_EQ(0, memcmp(self->blob, self->out, PAGE));
}

struct reader {
	int fd;
	int *stop;
	int reads;
	int mismatches;
	int errors;
};

static void *reader_thread(void *arg)
{
	struct reader *r = arg;
	unsigned char *out = malloc(2 * PAGE), *want = malloc(2 * PAGE);
	struct sev_user_data_snp_config cfg;
	uint32_t error, len;

	while (!__atomic_load_n(r->stop, __ATOMIC_RELAXED)) {
		len = 2 * PAGE;
		if (get_ext(r->fd, &cfg, out, &len, &error)) {
			r->errors++;
			continue;
		}
		r->reads++;
		if (!len)
			continue;
		make_blob(want, len, cfg.reported_tcb);
		if (memcmp(want, out, len))
			r->mismatches++;
	}
	free(out);
	free(want);
	return NULL;
}

TEST_F(certs, tcb_and_certificates_change_together)
{
	enum { READERS = 3, WRITES = 200 };
	struct reader r[READERS];
	pthread_t tid[READERS];
	int stop = 0;
	uint32_t error;
	int i;

	for (i = 0; i < READERS; i++) {
		r[i] = (struct reader){ .fd = self->fd_ro, .stop = &stop };
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, reader_thread, &r[i]));
	}
	for (i = 0; i < WRITES; i++) {
		/* SNP SVN 8 down to 0 and back: every TCB a different blob */
		uint64_t tcb = SIM_TCB - ((uint64_t)(i % 9) << 48);
		struct sev_user_data_snp_config cfg = { .reported_tcb = tcb };

		make_blob(self->blob, (1 + i % 2) * PAGE, tcb);
		ASSERT_EQ(0, set_ext(self->fd, &cfg, self->blob,
				     (1 + i % 2) * PAGE, &error));
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < READERS; i++) {
		pthread_join(tid[i], NULL);
		EXPECT_LT(0, r[i].reads);
		EXPECT_EQ(0, r[i].errors);
		EXPECT_EQ(0, r[i].mismatches)
			TH_LOG("a reader saw certificates of another TCB");
	}
}

TEST_HARNESS_MAIN
