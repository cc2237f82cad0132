// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/sev from a 32-bit process (built with -m32, run under the 64-bit
 * kernel's IA32 emulation): compat_ptr_ioctl passes every struct through
 * unconverted, so each must have one layout for both. The project's own
 * struct sev_user_data_ext_snp_config is placed to end exactly at an
 * unmapped page: a kernel that reads or writes more of it than a 32-bit
 * caller has fails the call with EFAULT.
 */
#include <assert.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "sev_test_util.h"
#include <linux/sev-psp.h>

#define SIM_ID		0
#define PAGE		4096

static_assert(sizeof(struct sev_user_data_ext_snp_config) == 20,
	      "one layout for 32-bit and 64-bit callers");

FIXTURE(compat) {
	int fd, fd_ro;
	unsigned char *map;	/* two pages, the second unmapped */
	struct sev_user_data_ext_snp_config *ext;
	unsigned char *blob, *out;
};

FIXTURE_SETUP(compat)
{
	struct sev_psp_cert_table_entry *e;
	static const unsigned char vcek[16] = SEV_PSP_GUID_VCEK;

	ASSERT_EQ(4, (int)sizeof(long)) TH_LOG("build this test with -m32");
	ASSERT_EQ(0, sim_fresh_device(SIM_ID, &self->fd, &self->fd_ro));
	self->map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->map != MAP_FAILED);
	ASSERT_EQ(0, munmap(self->map + PAGE, PAGE));
	self->ext = (void *)(self->map + PAGE - sizeof(*self->ext));

	self->blob = calloc(1, PAGE);
	self->out = calloc(1, PAGE);
	ASSERT_TRUE(self->blob && self->out);
	e = (void *)self->blob;
	memcpy(e[0].guid, vcek, sizeof(vcek));
	e[0].offset = 2 * sizeof(*e);
	e[0].length = 64;
	memset(self->blob + e[0].offset, 0x5a, e[0].length);
}

FIXTURE_TEARDOWN(compat)
{
	munmap(self->map, PAGE);
	free(self->blob);
	free(self->out);
	close(self->fd);
	close(self->fd_ro);
	sim_del(SIM_ID);
}

TEST_F(compat, ext_config_set_and_get_at_a_page_end)
{
	uint32_t error;

	*self->ext = (struct sev_user_data_ext_snp_config){
		.certs_address = (uintptr_t)self->blob,
		.certs_len = PAGE,
	};
	ASSERT_EQ(0, sev_cmd(self->fd, SNP_SET_EXT_CONFIG, self->ext, &error));

	/* Too small: the length comes back in the 20 bytes, and no more. */
	*self->ext = (struct sev_user_data_ext_snp_config){
		.certs_address = (uintptr_t)self->out,
		.certs_len = 0,
	};
	EXPECT_EQ(-ENOSR, sev_cmd(self->fd_ro, SNP_GET_EXT_CONFIG, self->ext,
				  &error));
	EXPECT_EQ(PAGE, self->ext->certs_len);

	self->ext->certs_len = PAGE;
	ASSERT_EQ(0, sev_cmd(self->fd_ro, SNP_GET_EXT_CONFIG, self->ext,
			     &error));
	EXPECT_EQ(PAGE, self->ext->certs_len);
	EXPECT_EQ(0, memcmp(self->blob, self->out, PAGE));
}

/* Upstream's structs too: SNP_PLATFORM_STATUS's at a page end. */
TEST_F(compat, snp_platform_status_at_a_page_end)
{
	struct sev_user_data_snp_status *st =
		(void *)(self->map + PAGE - sizeof(*st));
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd_ro, SNP_PLATFORM_STATUS, st, &error));
	EXPECT_NE(0, st->api_major + st->api_minor);
}

TEST_HARNESS_MAIN
