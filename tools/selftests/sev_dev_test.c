// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/sev against the simulated PSP: every ioctl of the first capability,
 * positive and negative, fault injection and recovery, concurrency, and
 * removal of the device while a command is in flight.
 *
 * Each test gets a fresh simulated PSP (sevsim0, register layout v2) and
 * removes it afterwards; /dev/sev talks to it.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "sev_test_util.h"

#define SIM_ID		0
#define CHIP_ID_LEN	64
#define SIM_DRIVER	SIM_BUS "/drivers/sev-psp"

static const char *sim_module(void)
{
	const char *p = getenv("SEV_SIM_MODULE");

	return p ? p : "/modules/sev-psp-sim.ko";
}

/* The chip ID the simulator says it has, from its debugfs. */
static int sim_chip_id(unsigned int id, unsigned char *out)
{
	char path[128], hex[2 * CHIP_ID_LEN + 2];
	int i;

	snprintf(path, sizeof(path), SIM_DEBUGFS "/sevsim%u/chip_id", id);
	if (read_file(path, hex, sizeof(hex)) < 2 * CHIP_ID_LEN)
		return -1;
	for (i = 0; i < CHIP_ID_LEN; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return 0;
}

/* An address that is certainly not mapped. */
static void *unmapped_address(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(p, 4096);
	return p;
}

FIXTURE(sev) {
	int fd;		/* read-write */
	int fd_ro;	/* read-only */
};

FIXTURE_SETUP(sev)
{
	sim_del(SIM_ID);	/* left over by a test that died */
	ASSERT_EQ(0, sim_new(SIM_ID, 2)) TH_LOG("cannot create sevsim%d", SIM_ID);
	self->fd = open("/dev/sev", O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/sev: %s", strerror(errno));
	self->fd_ro = open("/dev/sev", O_RDONLY);
	ASSERT_LE(0, self->fd_ro);
}

FIXTURE_TEARDOWN(sev)
{
	close(self->fd);
	close(self->fd_ro);
	write_file(PSP_PARAMS "/psp_cmd_timeout", "100");
	write_file(SIM_PARAMS "/use_irq", "1");
	sim_del(SIM_ID);
}

TEST_F(sev, dev_sev_is_root_only_char_device)
{
	struct stat st;

	ASSERT_EQ(0, stat("/dev/sev", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 0777) TH_LOG("mode %o, upstream's is 0600",
						  st.st_mode & 0777);
}

TEST_F(sev, platform_status_on_read_only_fd)
{
	struct sev_user_data_status st;
	uint32_t error;

	memset(&st, 0xff, sizeof(st));
	ASSERT_EQ(0, sev_cmd(self->fd_ro, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, error);
	EXPECT_EQ(1, st.api_major);
	EXPECT_EQ(55, st.api_minor);
	EXPECT_EQ(21, st.build);
	/* sev-psp initialises the platform on probe, with an SEV-ES TMR */
	EXPECT_EQ(1, st.state) TH_LOG("state %d, want INIT", st.state);
	EXPECT_EQ(SEV_STATUS_FLAGS_CONFIG_ES, st.flags & SEV_STATUS_FLAGS_CONFIG_ES);
	EXPECT_EQ(0, st.flags & 1) TH_LOG("a new platform is self-owned");
	EXPECT_EQ(0, st.guest_count);
}

TEST_F(sev, platform_status_null_data_is_efault)
{
	uint32_t error;

	EXPECT_EQ(-EFAULT, sev_cmd(self->fd, SEV_PLATFORM_STATUS, NULL, &error));
}

TEST_F(sev, platform_status_unmapped_data_is_efault)
{
	uint32_t error;

	EXPECT_EQ(-EFAULT, sev_cmd(self->fd, SEV_PLATFORM_STATUS,
				   unmapped_address(), &error));
}

TEST_F(sev, unknown_command_is_einval)
{
	struct sev_user_data_status st;
	uint32_t error;

	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, SEV_MAX, &st, &error));
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, 0x7fffffff, &st, &error));
	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, 0xffffffff, &st, &error));
}

TEST_F(sev, unknown_ioctl_is_einval)
{
	struct sev_issue_cmd arg = { .cmd = SEV_PLATFORM_STATUS };

	EXPECT_EQ(-1, ioctl(self->fd, _IOWR('S', 1, struct sev_issue_cmd), &arg));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR('S', 0, int), &arg));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sev, issue_cmd_bad_argument_pointer_is_efault)
{
	EXPECT_EQ(-1, ioctl(self->fd, SEV_ISSUE_CMD, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SEV_ISSUE_CMD, unmapped_address()));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(sev, factory_reset_needs_writable_fd)
{
	uint32_t error;
	char state[16], path[128];

	EXPECT_EQ(-EPERM, sev_cmd(self->fd_ro, SEV_FACTORY_RESET, NULL, &error));
	EXPECT_EQ(0, error);
	snprintf(path, sizeof(path), SIM_DEBUGFS "/sevsim%u/state", SIM_ID);
	ASSERT_EQ(0, debugfs_word(path, "state", state, sizeof(state)));
	EXPECT_STREQ("INIT", state) TH_LOG("a refused reset changed the state");
}

TEST_F(sev, factory_reset_shuts_down_then_resets)
{
	struct sev_user_data_status st;
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	EXPECT_EQ(0, error);
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, st.state) TH_LOG("state %d after reset, want UNINIT", st.state);
	EXPECT_EQ(0, st.flags & SEV_STATUS_FLAGS_CONFIG_ES);

	/* From UNINIT it goes straight to the firmware, and succeeds again. */
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	EXPECT_EQ(0, error);
}

TEST_F(sev, get_id2_zero_address_queries_length)
{
	struct sev_user_data_get_id2 id = { .address = 0, .length = 0 };
	uint32_t error;

	EXPECT_EQ(-EIO, sev_cmd(self->fd_ro, SEV_GET_ID2, &id, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(CHIP_ID_LEN, id.length);
}

TEST_F(sev, get_id2_short_buffer_gets_length_back)
{
	unsigned char buf[CHIP_ID_LEN];
	struct sev_user_data_get_id2 id = {
		.address = (uintptr_t)buf, .length = 10,
	};
	uint32_t error;
	int i;

	memset(buf, 0x5a, sizeof(buf));
	EXPECT_EQ(-EIO, sev_cmd(self->fd_ro, SEV_GET_ID2, &id, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(CHIP_ID_LEN, id.length);
	for (i = 0; i < CHIP_ID_LEN; i++)
		ASSERT_EQ(0x5a, buf[i]) TH_LOG("byte %d written on failure", i);
}

TEST_F(sev, get_id2_returns_chip_id)
{
	unsigned char buf[CHIP_ID_LEN], want[CHIP_ID_LEN];
	struct sev_user_data_get_id2 id = {
		.address = (uintptr_t)buf, .length = sizeof(buf),
	};
	uint32_t error;

	ASSERT_EQ(0, sim_chip_id(SIM_ID, want));
	ASSERT_EQ(0, sev_cmd(self->fd_ro, SEV_GET_ID2, &id, &error));
	EXPECT_EQ(0, error);
	EXPECT_EQ(CHIP_ID_LEN, id.length);
	EXPECT_EQ(0, memcmp(buf, want, CHIP_ID_LEN));
}

TEST_F(sev, get_id2_huge_length_is_bounded)
{
	unsigned char *buf = calloc(1, 4096), want[CHIP_ID_LEN];
	struct sev_user_data_get_id2 id = {
		.address = (uintptr_t)buf, .length = 0xffffffff,
	};
	uint32_t error;

	ASSERT_EQ(0, sim_chip_id(SIM_ID, want));
	ASSERT_EQ(0, sev_cmd(self->fd, SEV_GET_ID2, &id, &error))
		TH_LOG("a 4 GiB length must not reach the allocator");
	EXPECT_EQ(CHIP_ID_LEN, id.length);
	EXPECT_EQ(0, memcmp(buf, want, CHIP_ID_LEN));
	free(buf);
}

TEST_F(sev, get_id2_unmapped_address_is_efault)
{
	struct sev_user_data_get_id2 id = {
		.address = (uintptr_t)unmapped_address(), .length = CHIP_ID_LEN,
	};
	uint32_t error;

	EXPECT_EQ(-EFAULT, sev_cmd(self->fd, SEV_GET_ID2, &id, &error));
}

TEST_F(sev, get_id_deprecated_fills_socket1)
{
	struct sev_user_data_get_id id;
	unsigned char want[CHIP_ID_LEN];
	uint32_t error;

	memset(&id, 0x5a, sizeof(id));
	ASSERT_EQ(0, sim_chip_id(SIM_ID, want));
	ASSERT_EQ(0, sev_cmd(self->fd_ro, SEV_GET_ID, &id, &error));
	EXPECT_EQ(0, error);
	EXPECT_EQ(0, memcmp(id.socket1, want, CHIP_ID_LEN));
	EXPECT_EQ(0, id.socket2[0]) TH_LOG("one socket: socket2 is zero");
}

TEST_F(sev, forced_firmware_status_reaches_error_unchanged)
{
	struct sev_user_data_status st;
	uint32_t error;

	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_status", "0x16 1"));
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, error);

	/* One command only: the next one works. */
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, error);

	/* A status outside the spec's list still comes through as is. */
	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_status", "0xfffe 1"));
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0xfffe, error);
}

TEST_F(sev, forced_status_on_reset_keeps_state)
{
	uint32_t error;
	char state[16], path[128];

	/* FACTORY_RESET is STATUS, SHUTDOWN, RESET: fail its first step */
	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_status", "0x16 1"));
	EXPECT_EQ(-EIO, sev_cmd(self->fd, SEV_FACTORY_RESET, NULL, &error));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, error);
	snprintf(path, sizeof(path), SIM_DEBUGFS "/sevsim%u/state", SIM_ID);
	ASSERT_EQ(0, debugfs_word(path, "state", state, sizeof(state)));
	EXPECT_STREQ("INIT", state);
}

TEST_F(sev, delayed_completion_still_completes)
{
	struct sev_user_data_status st;
	uint32_t error;
	double t0;

	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_delay", "300 1"));
	t0 = now_ms();
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_LE(290, now_ms() - t0) TH_LOG("the delay was not applied");
	EXPECT_EQ(0, error);
}

TEST_F(sev, timeout_kills_psp_until_reset)
{
	struct sev_user_data_status st;
	uint32_t error;
	double t0;

	ASSERT_EQ(0, write_file(PSP_PARAMS "/psp_cmd_timeout", "1"));
	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_hang", "1"));

	t0 = now_ms();
	EXPECT_EQ(-ETIMEDOUT, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, error) TH_LOG("no firmware status after a timeout");
	EXPECT_LE(900, now_ms() - t0);

	/* A dead PSP fails fast with EBUSY and gets no new command. */
	t0 = now_ms();
	EXPECT_EQ(-EBUSY, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_GT(200, now_ms() - t0) TH_LOG("a dead PSP must not be waited on");
	EXPECT_EQ(1, debugfs_value(PSP_DEBUGFS "/psp-sevsim0/mailbox", "dead"));
	EXPECT_EQ(0, sim_value(SIM_ID, "protocol_errors"));

	/* Resetting the PSP gives the driver a live one again. */
	ASSERT_EQ(0, sim_knob(SIM_ID, "reset", "1"));
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, error);
	EXPECT_EQ(1, st.state) TH_LOG("re-probed PSP is initialised again");
	EXPECT_EQ(0, debugfs_value(PSP_DEBUGFS "/psp-sevsim0/mailbox", "dead"));
}

TEST_F(sev, polling_mailbox_without_interrupt)
{
	struct sev_user_data_status st;
	char mode[16];
	uint32_t error;

	ASSERT_EQ(0, sim_del(SIM_ID));
	ASSERT_EQ(0, write_file(SIM_PARAMS "/use_irq", "0"));
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(0, debugfs_word(PSP_DEBUGFS "/psp-sevsim0/mailbox",
				  "completion", mode, sizeof(mode)));
	EXPECT_STREQ("poll", mode);
	EXPECT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(1, st.state);
}

TEST_F(sev, register_layouts_v1_and_v6)
{
	static const unsigned int layouts[] = { 1, 6 };
	static const char * const names[] = { "pspv1", "pspv6" };
	struct sev_user_data_status st;
	char name[16];
	uint32_t error;
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, sim_del(SIM_ID));
		ASSERT_EQ(0, sim_new(SIM_ID, layouts[i]));
		ASSERT_EQ(0, debugfs_word(PSP_DEBUGFS "/psp-sevsim0/mailbox",
					  "layout", name, sizeof(name)));
		EXPECT_STREQ(names[i], name);
		EXPECT_EQ(0, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
		EXPECT_EQ(1, st.state);
	}
	EXPECT_EQ(-EINVAL, sim_new(7, 3)) TH_LOG("layout 3 has no SEV");
}

struct hammer {
	int fd;
	int iterations;
	int failures;
};

static void *hammer_thread(void *arg)
{
	struct hammer *h = arg;
	struct sev_user_data_status st;
	unsigned char buf[CHIP_ID_LEN];
	struct sev_user_data_get_id2 id;
	uint32_t error;
	int i;

	for (i = 0; i < h->iterations; i++) {
		if (sev_cmd(h->fd, SEV_PLATFORM_STATUS, &st, &error) || error)
			h->failures++;
		id.address = (uintptr_t)buf;
		id.length = sizeof(buf);
		if (sev_cmd(h->fd, SEV_GET_ID2, &id, &error) || error)
			h->failures++;
	}
	return NULL;
}

TEST_F(sev, concurrent_callers_are_serialised)
{
	enum { THREADS = 4, ITER = 100 };
	struct hammer h[THREADS];
	pthread_t tid[THREADS];
	long long before, after, per_iter;
	int i;

	/*
	 * Firmware commands per call depend on the platform (with SNP, a
	 * status call also reclaims its firmware page): count one of each.
	 */
	{
		struct hammer one = { .fd = self->fd, .iterations = 1 };

		before = sim_value(SIM_ID, "commands");
		hammer_thread(&one);
		ASSERT_EQ(0, one.failures);
		per_iter = sim_value(SIM_ID, "commands") - before;
	}

	before = sim_value(SIM_ID, "commands");
	for (i = 0; i < THREADS; i++) {
		h[i] = (struct hammer){ .fd = self->fd, .iterations = ITER };
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, hammer_thread, &h[i]));
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(tid[i], NULL);
		EXPECT_EQ(0, h[i].failures);
	}
	after = sim_value(SIM_ID, "commands");
	EXPECT_EQ(THREADS * ITER * per_iter, after - before);
	EXPECT_EQ(0, sim_value(SIM_ID, "protocol_errors"))
		TH_LOG("two commands were in the mailbox at once");
}

struct inflight {
	int fd;
	int ret;
	double ms;
};

static void *inflight_thread(void *arg)
{
	struct inflight *f = arg;
	struct sev_user_data_status st;
	uint32_t error;
	double t0 = now_ms();

	f->ret = sev_cmd(f->fd, SEV_PLATFORM_STATUS, &st, &error);
	f->ms = now_ms() - t0;
	return NULL;
}

TEST_F(sev, device_removal_aborts_command_in_flight)
{
	struct inflight f = { .fd = self->fd };
	struct sev_user_data_status st;
	pthread_t tid;
	uint32_t error;

	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_delay", "5000 1"));
	ASSERT_EQ(0, pthread_create(&tid, NULL, inflight_thread, &f));
	usleep(300 * 1000);
	ASSERT_EQ(0, sim_del(SIM_ID));
	pthread_join(tid, NULL);

	EXPECT_EQ(-ENODEV, f.ret);
	EXPECT_GT(4000, f.ms) TH_LOG("removal waited for the command's delay");

	/* The open file outlives the device, and says so. */
	EXPECT_EQ(-ENODEV, sev_cmd(self->fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(-1, access("/dev/sev", F_OK)) TH_LOG("/dev/sev without a PSP");
}

TEST_F(sev, module_unload_aborts_command_in_flight)
{
	struct inflight f = { .fd = self->fd };
	char cmd[256];
	pthread_t tid;

	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_hang", "1"));
	ASSERT_EQ(0, pthread_create(&tid, NULL, inflight_thread, &f));
	usleep(300 * 1000);
	ASSERT_EQ(0, system("rmmod sev-psp-sim"));
	pthread_join(tid, NULL);
	EXPECT_EQ(-ENODEV, f.ret);

	snprintf(cmd, sizeof(cmd), "insmod %s", sim_module());
	ASSERT_EQ(0, system(cmd));
}

static int adder_stop;

static void *adder_thread(void *arg)
{
	while (!__atomic_load_n(&adder_stop, __ATOMIC_RELAXED)) {
		sim_new(7, 2);
		sim_del(7);
	}
	return NULL;
}

/*
 * new_device racing with the module's unload: every device made goes
 * with the module, so no /dev/sev (and no PSP of a bus that is gone)
 * outlives it. Before, a device added after the unload emptied its list
 * stayed, and poweroff oopsed on the freed bus.
 *
 * Up to 25 rounds, each with another delay before the unload; a round
 * (module load, devices made under KASAN and TCG) takes 0.5-2 s with the
 * machine's load, so after RACE_BUDGET_S the test stops at the round it
 * is in, with at least RACE_MIN_ROUNDS done, inside the harness's 30 s.
 */
#define RACE_ROUNDS		25
#define RACE_MIN_ROUNDS		5
#define RACE_BUDGET_S		15

TEST(new_device_racing_module_unload)
{
	time_t start = time(NULL);
	char cmd[256];
	pthread_t tid;
	int i;

	sim_del(SIM_ID);
	for (i = 0; i < RACE_ROUNDS; i++) {
		if (i >= RACE_MIN_ROUNDS && time(NULL) - start >= RACE_BUDGET_S) {
			TH_LOG("%d rounds in %d s", i, RACE_BUDGET_S);
			break;
		}
		__atomic_store_n(&adder_stop, 0, __ATOMIC_RELAXED);
		ASSERT_EQ(0, pthread_create(&tid, NULL, adder_thread, NULL));
		usleep(1000 * (i % 5));
		ASSERT_EQ(0, system("rmmod sev-psp-sim"));
		__atomic_store_n(&adder_stop, 1, __ATOMIC_RELAXED);
		pthread_join(tid, NULL);
		EXPECT_EQ(-1, access("/dev/sev", F_OK))
			TH_LOG("a PSP outlived its module (round %d)", i);
		EXPECT_EQ(-1, access(SIM_BUS, F_OK));

		snprintf(cmd, sizeof(cmd), "insmod %s", sim_module());
		ASSERT_EQ(0, system(cmd));
	}
}

/*
 * A firmware that answers after the driver gave up still writes what the
 * command named: a page the driver keeps, never the caller's buffer (the
 * ioctl freed it when it returned). With SNP off, before: KASAN
 * use-after-free in sim_fw_write on GET_ID's kmalloc'd id buffer.
 */
TEST(late_firmware_writes_no_freed_memory)
{
	const char *mbox = PSP_DEBUGFS "/psp-sevsim0/mailbox";
	struct sev_user_data_get_id2 id;
	unsigned char buf[64];
	long long leaked;
	uint32_t error;
	int fd;

	fd = sev_reloaded_psp("", "snp=0", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, write_file(PSP_PARAMS "/psp_cmd_timeout", "1"));
	leaked = debugfs_value(mbox, "leaked_pages");
	ASSERT_LE(0, leaked);

	/* GET_ID (0x0c) answers 2.5 s late, after the 1 s timeout */
	ASSERT_EQ(0, sim_knob(SIM_ID, "fault_delay", "2500 1 0xc"));
	id.address = (uintptr_t)buf;
	id.length = sizeof(buf);
	EXPECT_EQ(-ETIMEDOUT, sev_cmd(fd, SEV_GET_ID2, &id, &error));
	EXPECT_LT(leaked, debugfs_value(mbox, "leaked_pages"))
		TH_LOG("the page the firmware may still write is kept");
	sleep(3);	/* the firmware writes now */

	close(fd);
	EXPECT_EQ(0, sim_del(SIM_ID));
	EXPECT_EQ(0, write_file(PSP_PARAMS "/psp_cmd_timeout", "100"));
	ASSERT_EQ(0, sev_reload_modules("", ""));
}

struct held_copy {
	int fd;
	void *arg;
	int ret;
};

static void *held_copy_thread(void *p)
{
	struct held_copy *h = p;
	uint32_t error;

	h->ret = sev_cmd(h->fd, SEV_GET_ID2, h->arg, &error);
	return NULL;
}

/*
 * A caller whose argument faults and is not served (userfaultfd here; a
 * FUSE file does the same) holds off nobody: /dev/sev copies user memory
 * outside the command lock. Before, the other caller waited on the lock
 * for as long as the fault lasted.
 */
TEST_F(sev, a_slow_user_copy_holds_off_nobody)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_zeropage zero = { 0 };
	struct held_copy h = { .fd = self->fd, .ret = 1 };
	struct sev_user_data_status st;
	struct pollfd pfd;
	uint32_t error;
	pthread_t tid;
	int uffd;
	double t0;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, uffd) TH_LOG("userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	h.arg = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(h.arg != MAP_FAILED);
	reg.range.start = (uintptr_t)h.arg;
	reg.range.len = 4096;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));

	/* The first caller's GET_ID2 argument faults, and stays faulting. */
	ASSERT_EQ(0, pthread_create(&tid, NULL, held_copy_thread, &h));
	pfd = (struct pollfd){ .fd = uffd, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 5000)) TH_LOG("the copy did not fault");

	t0 = now_ms();
	EXPECT_EQ(0, sev_cmd(self->fd_ro, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_GT(2000, now_ms() - t0)
		TH_LOG("a second caller waited for the first one's copy");

	/* Serve the fault: an all-zero argument asks for the ID's length. */
	zero.range = reg.range;
	EXPECT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zero));
	pthread_join(tid, NULL);
	EXPECT_NE(1, h.ret);
	close(uffd);
	munmap(h.arg, 4096);
}

TEST(no_psp_no_dev_sev)
{
	sim_del(SIM_ID);
	EXPECT_EQ(-1, open("/dev/sev", O_RDWR));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-ENOENT, sim_del(SIM_ID));
	EXPECT_EQ(0, sim_new(SIM_ID, 2));
	EXPECT_EQ(-EEXIST, sim_new(SIM_ID, 2));
	EXPECT_EQ(0, sim_del(SIM_ID));
}

/* devices=N makes N PSPs at load; the first is the one /dev/sev serves. */
TEST(devices_param_creates_psps)
{
	struct sev_user_data_status st;
	uint32_t error;
	int fd;

	ASSERT_EQ(0, sev_reload_modules("", "devices=2"));
	EXPECT_EQ(0, access(SIM_BUS "/devices/sevsim0", F_OK));
	EXPECT_EQ(0, access(SIM_BUS "/devices/sevsim1", F_OK));
	EXPECT_EQ(-1, access(SIM_BUS "/devices/sevsim2", F_OK));
	EXPECT_EQ(0, access(PSP_DEBUGFS "/psp-sevsim1/mailbox", F_OK));
	EXPECT_EQ(-EEXIST, sim_new(1, 2));

	fd = open("/dev/sev", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, sev_cmd(fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_LT(0, debugfs_value(PSP_DEBUGFS "/psp-sevsim0/mailbox", "commands"));
	close(fd);

	/* the second goes and the first still serves */
	EXPECT_EQ(0, sim_del(1));
	fd = open("/dev/sev", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, sev_cmd(fd, SEV_PLATFORM_STATUS, &st, &error));
	close(fd);

	ASSERT_EQ(0, sev_reload_modules("", ""));
	EXPECT_EQ(-1, access(SIM_BUS "/devices/sevsim0", F_OK));
}

/*
 * The simulator's bus driver binds sev-psp to a simulated PSP as the PCI
 * core binds it to a real one, so the driver core's sysfs files undo and
 * redo the binding: unbound, sev-psp has no PSP (and no /dev/sev without
 * one) while the simulated device stays; bound again, /dev/sev works.
 */
TEST(driver_unbind_and_bind)
{
	struct sev_user_data_status st;
	uint32_t error = 0;
	int fd;

	sim_del(SIM_ID);
	ASSERT_EQ(0, sim_new(SIM_ID, 2));
	ASSERT_EQ(0, access(SIM_BUS "/devices/sevsim0/driver", F_OK))
		TH_LOG("new_device left sevsim0 without a driver");

	ASSERT_EQ(0, write_file(SIM_DRIVER "/unbind", "sevsim%u", SIM_ID));
	EXPECT_EQ(-1, access(SIM_BUS "/devices/sevsim0/driver", F_OK));
	EXPECT_EQ(-1, access(PSP_DEBUGFS "/psp-sevsim0", F_OK))
		TH_LOG("sev-psp kept the PSP of an unbound device");
	EXPECT_EQ(-1, open("/dev/sev", O_RDWR))
		TH_LOG("/dev/sev outlived its only PSP");
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, access(SIM_DEBUGFS "/sevsim0/state", F_OK))
		TH_LOG("unbinding the driver removed the device");

	ASSERT_EQ(0, write_file(SIM_DRIVER "/bind", "sevsim%u", SIM_ID));
	EXPECT_EQ(0, access(SIM_BUS "/devices/sevsim0/driver", F_OK));
	fd = open("/dev/sev", O_RDWR);
	ASSERT_LE(0, fd) TH_LOG("open /dev/sev after bind: %s", strerror(errno));
	EXPECT_EQ(0, sev_cmd(fd, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, error);
	close(fd);

	EXPECT_EQ(0, sim_del(SIM_ID));
}

TEST_HARNESS_MAIN
