// SPDX-License-Identifier: GPL-2.0
/*
 * INIT_EX with its NV file (sev-psp's init_ex_path): the file is created
 * when missing, written back when the firmware's persistent state changes,
 * carries that state to the next PSP of the same chip, and a short or
 * corrupt file is refused with a message saying so.
 *
 * Which file is written does not depend on the caller: not on its root
 * (chroot), nor on its credentials (dropped after opening /dev/sev); a
 * relative path is refused when the module loads.
 *
 * The modules are reloaded for these tests: sev-psp with init_ex_path, the
 * simulator with a fixed chip secret (the NV data is sealed to the chip).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "sev_test_util.h"

#define SIM_ID		0
#define NV_FILE		"/tmp/sev_init_ex.bin"
#define NV_LEN		32768
#define CERT_LEN	0x824
#define SECRET		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static int reload(const char *psp_args, const char *sim_args)
{
	return sev_reload_modules(psp_args, sim_args);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

static int read_all(const char *path, unsigned char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

static int kmsg_has(const char *what)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "dmesg | grep -q '%s'", what);
	return !system(cmd);
}

/* The PEK certificate, unsigned, through PEK_CSR */
static int pek(unsigned char *out)
{
	struct sev_user_data_pek_csr in = {
		.address = (uintptr_t)out, .length = CERT_LEN,
	};
	uint32_t error;
	int fd = open("/dev/sev", O_RDWR), ret;

	if (fd < 0)
		return -errno;
	ret = sev_cmd(fd, SEV_PEK_CSR, &in, &error);
	close(fd);
	return ret;
}

static int sev_state(void)
{
	struct sev_user_data_status st;
	uint32_t error;
	int fd = open("/dev/sev", O_RDONLY), ret;

	if (fd < 0)
		return -1;
	ret = sev_cmd(fd, SEV_PLATFORM_STATUS, &st, &error);
	close(fd);
	return ret ? -1 : st.state;
}

FIXTURE(init_ex) {
	int unused;
};

FIXTURE_SETUP(init_ex)
{
	unlink(NV_FILE);
	ASSERT_EQ(0, reload("init_ex_path=" NV_FILE, "chip_secret=" SECRET));
}

FIXTURE_TEARDOWN(init_ex)
{
	sim_del(SIM_ID);
	reload("", "");
	unlink(NV_FILE);
}

TEST_F(init_ex, missing_file_is_created)
{
	unsigned char *buf = calloc(1, NV_LEN);
	int i, nonzero = 0;

	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	EXPECT_EQ(1, sev_state());
	ASSERT_EQ(NV_LEN, file_size(NV_FILE));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, buf, NV_LEN));
	for (i = 0; i < NV_LEN; i++)
		nonzero |= buf[i];
	EXPECT_NE(0, nonzero) TH_LOG("the firmware filled the NV data");
	free(buf);
}

TEST_F(init_ex, state_persists_to_the_next_psp)
{
	unsigned char *a = calloc(1, NV_LEN), *b = calloc(1, NV_LEN);
	unsigned char p1[CERT_LEN], p2[CERT_LEN], p3[CERT_LEN];
	uint32_t error;
	int fd;

	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(0, pek(p1));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, a, NV_LEN));

	fd = open("/dev/sev", O_RDWR);
	ASSERT_EQ(0, sev_cmd(fd, SEV_PEK_GEN, NULL, &error));
	close(fd);
	ASSERT_EQ(0, pek(p2));
	EXPECT_NE(0, memcmp(p1, p2, CERT_LEN));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, b, NV_LEN));
	EXPECT_NE(0, memcmp(a, b, NV_LEN)) TH_LOG("PEK_GEN wrote the file");

	/* a new PSP of the same chip reads the file: the same PEK */
	ASSERT_EQ(0, sim_del(SIM_ID));
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(0, pek(p3));
	EXPECT_EQ(0, memcmp(p2, p3, CERT_LEN));
	free(a);
	free(b);
}

TEST_F(init_ex, factory_reset_rewrites_the_file)
{
	unsigned char *a = calloc(1, NV_LEN), *b = calloc(1, NV_LEN);
	uint32_t error;
	int fd;

	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, a, NV_LEN));
	fd = open("/dev/sev", O_RDWR);
	ASSERT_EQ(0, sev_cmd(fd, SEV_FACTORY_RESET, NULL, &error));
	close(fd);
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, b, NV_LEN));
	EXPECT_NE(0, memcmp(a, b, NV_LEN));
	free(a);
	free(b);
}

TEST_F(init_ex, short_file_is_refused)
{
	FILE *f = fopen(NV_FILE, "w");

	ASSERT_NE(NULL, f);
	fputs("too short", f);
	fclose(f);
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	EXPECT_EQ(0, sev_state()) TH_LOG("no INIT with a short file");
	EXPECT_EQ(9, file_size(NV_FILE)) TH_LOG("and the file is left alone");
	EXPECT_TRUE(kmsg_has("is 9 bytes; INIT_EX needs exactly 32768"));
}

TEST_F(init_ex, corrupt_file_is_refused)
{
	unsigned char *buf = calloc(1, NV_LEN);
	int fd;

	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(0, sim_del(SIM_ID));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, buf, NV_LEN));
	buf[100] ^= 0x40;
	fd = open(NV_FILE, O_WRONLY);
	ASSERT_EQ(NV_LEN, write(fd, buf, NV_LEN));
	close(fd);

	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	EXPECT_EQ(0, sev_state());
	EXPECT_TRUE(kmsg_has("refused the INIT_EX data as corrupt"));
	free(buf);
}

/*
 * PEK_GEN in a child that opened /dev/sev and then chrooted to @jail (if
 * set) and dropped to uid/gid 65534 (if @drop): returns the ioctl's result.
 */
static int pek_gen_as(const char *jail, int drop)
{
	uint32_t error;
	int fd, status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		fd = open("/dev/sev", O_RDWR);
		if (fd < 0)
			_exit(100);
		if (jail && (chroot(jail) || chdir("/")))
			_exit(101);
		if (drop && (setgid(65534) || setuid(65534)))
			_exit(102);
		_exit(-sev_cmd(fd, SEV_PEK_GEN, NULL, &error));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

#define JAIL	"/tmp/sev_jail"

/* The file the driver writes is init's, not the chrooted caller's. */
TEST_F(init_ex, chrooted_caller_writes_the_real_file)
{
	unsigned char *a = calloc(1, NV_LEN), *b = calloc(1, NV_LEN);

	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, a, NV_LEN));
	mkdir(JAIL, 0755);
	mkdir(JAIL "/tmp", 01777);

	EXPECT_EQ(0, pek_gen_as(JAIL, 0));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, b, NV_LEN));
	EXPECT_NE(0, memcmp(a, b, NV_LEN)) TH_LOG("the real file followed");
	EXPECT_EQ(-1, file_size(JAIL NV_FILE)) TH_LOG("none in the chroot");

	unlink(JAIL NV_FILE);
	rmdir(JAIL "/tmp");
	rmdir(JAIL);
	free(a);
	free(b);
}

/* A caller that dropped its privileges after opening /dev/sev */
TEST_F(init_ex, unprivileged_caller_still_writes_the_file)
{
	unsigned char *a = calloc(1, NV_LEN), *b = calloc(1, NV_LEN);

	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, a, NV_LEN));
	EXPECT_EQ(0, pek_gen_as(NULL, 1));
	ASSERT_EQ(NV_LEN, read_all(NV_FILE, b, NV_LEN));
	EXPECT_NE(0, memcmp(a, b, NV_LEN)) TH_LOG("the file followed PEK_GEN");
	free(a);
	free(b);
}

/* Only an absolute path: a relative one would depend on the caller's cwd. */
TEST(relative_path_is_refused_at_load)
{
	EXPECT_NE(0, sev_reload_modules("init_ex_path=sev_init_ex.bin", ""));
	EXPECT_TRUE(kmsg_has("init_ex_path must be an absolute path"));
	EXPECT_EQ(0, sev_reload_modules("", ""));
}

TEST_HARNESS_MAIN
