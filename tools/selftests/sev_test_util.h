/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the /dev/sev selftests: the simulated PSP's sysfs and
 * debugfs controls, and SEV_ISSUE_CMD. They only wrap the calls; every
 * result is checked by the test that made it.
 */
#ifndef SEV_TEST_UTIL_H
#define SEV_TEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/psp-sev.h>

#include "sev_tool_util.h"

#define SIM_BUS		"/sys/bus/sev-psp-sim"
#define SIM_DEBUGFS	"/sys/kernel/debug/sev-psp-sim"
#define PSP_DEBUGFS	"/sys/kernel/debug/sev-psp"
#define PSP_PARAMS	"/sys/module/sev_psp/parameters"
#define SIM_PARAMS	"/sys/module/sev_psp_sim/parameters"

static inline int sim_new(unsigned int id, unsigned int layout)
{
	return write_file(SIM_BUS "/new_device", "%u %u", id, layout);
}

static inline int sim_del(unsigned int id)
{
	return write_file(SIM_BUS "/del_device", "%u", id);
}

static inline int sim_knob(unsigned int id, const char *knob, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), SIM_DEBUGFS "/sevsim%u/%s", id, knob);
	return write_file(path, "%s", val);
}

/* A "key: value" line of a debugfs file, as a number; -1 if absent. */
static inline long long debugfs_value(const char *path, const char *key)
{
	char buf[4096], *p;
	size_t klen = strlen(key);

	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtoll(p + klen + 1, NULL, 0);
	return -1;
}

static inline long long sim_value(unsigned int id, const char *key)
{
	char path[128];

	snprintf(path, sizeof(path), SIM_DEBUGFS "/sevsim%u/state", id);
	return debugfs_value(path, key);
}

/* A "key: word" line as a string into buf; returns 0 or -1. */
static inline int debugfs_word(const char *path, const char *key, char *out,
			       size_t size)
{
	char buf[4096], *p, fmt[32];
	size_t klen = strlen(key);

	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	snprintf(fmt, sizeof(fmt), "%%%zus", size - 1);
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return sscanf(p + klen + 1, fmt, out) == 1 ? 0 : -1;
	return -1;
}

/*
 * A fresh simulated PSP @id (removing one a dead test left) and /dev/sev
 * open read-write and read-only. Returns 0 or -errno.
 */
static inline int sim_fresh_device(unsigned int id, int *fd, int *fd_ro)
{
	int ret;

	sim_del(id);
	ret = sim_new(id, 2);
	if (ret)
		return ret;
	*fd = open("/dev/sev", O_RDWR);
	*fd_ro = open("/dev/sev", O_RDONLY);
	return *fd < 0 || *fd_ro < 0 ? -ENODEV : 0;
}

/*
 * Reload sev-psp and sev-psp-sim with these module arguments (from
 * $SEV_MODULE_DIR, default /modules). Returns system()'s status.
 */
static inline int sev_reload_modules(const char *psp_args, const char *sim_args)
{
	const char *dir = getenv("SEV_MODULE_DIR");
	char cmd[1024];

	if (!dir)
		dir = "/modules";
	/* either may be loaded or not: only the loading must work */
	if (system("rmmod sev-psp-sim 2>/dev/null; rmmod sev-psp 2>/dev/null; true"))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "insmod %s/sev-psp.ko %s && insmod %s/sev-psp-sim.ko %s",
		 dir, psp_args, dir, sim_args);
	return system(cmd);
}

/*
 * PSP 0 alone, the modules reloaded with these arguments: /dev/sev opened
 * with @flags, or -errno (-1 when the reload failed).
 */
static inline int sev_reloaded_psp(const char *psp_args, const char *sim_args,
				   int flags)
{
	int fd;

	write_file(SIM_BUS "/del_device", "0");
	if (sev_reload_modules(psp_args, sim_args) ||
	    write_file(SIM_BUS "/new_device", "0 2"))
		return -1;
	fd = open("/dev/sev", flags);
	return fd < 0 ? -errno : fd;
}

/* SEV_ISSUE_CMD: returns 0 or -errno; the firmware status in *error. */
static inline int sev_cmd(int fd, uint32_t cmd, void *data, uint32_t *error)
{
	struct sev_issue_cmd arg = {
		.cmd = cmd,
		.data = (uint64_t)(uintptr_t)data,
		.error = 0xdead,
	};
	int ret;

	ret = ioctl(fd, SEV_ISSUE_CMD, &arg);
	if (error)
		*error = arg.error;
	return ret ? -errno : 0;
}

/*
 * Systematic fault injection (CONFIG_FAULT_INJECTION_DEBUG_FS with
 * failslab and fail_page_alloc): writing n to the thread's fail-nth makes
 * its n-th allocation from then on fail; reading 0 back says it did. The
 * file stays open: opening it again would allocate, and count against the
 * armed fault.
 */
#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define FAULT_DEBUGFS	"/sys/kernel/debug"

static int fail_nth_fd = -1;

/*
 * What the kernel log says of each failure made: 0 nothing, 1 a line,
 * 2 a line and a stack trace (rate-limited by the kernel)
 */
static inline int fail_nth_verbose(int level)
{
	int ret = write_file(FAULT_DEBUGFS "/failslab/verbose", "%d", level);

	return ret ?: write_file(FAULT_DEBUGFS "/fail_page_alloc/verbose",
				 "%d", level);
}

/*
 * Open this thread's fail-nth and let sleeping allocations and pages of
 * every order fail, quietly: 0, -ENOENT for a kernel without fault
 * injection, or another -errno.
 */
static inline int fail_nth_open(void)
{
	int ret;

	fail_nth_fd = open(FAIL_NTH, O_RDWR);
	if (fail_nth_fd < 0)
		return -errno;
	ret = write_file(FAULT_DEBUGFS "/failslab/ignore-gfp-wait", "N");
	if (!ret)
		ret = write_file(FAULT_DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N");
	if (!ret)
		ret = write_file(FAULT_DEBUGFS "/fail_page_alloc/min-order", "0");
	return ret ?: fail_nth_verbose(0);
}

/* Arm the n-th allocation of this thread to fail; 0 disarms. */
static inline int fail_nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fail_nth_fd, buf, len, 0) == len ? 0 : -errno;
}

/* Did the armed fault fire (the counter ran down to zero)? -1: unknown */
static inline int fail_nth_fired(void)
{
	char buf[16] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		return -1;
	return atoi(buf) == 0;
}

/* Disarmed, closed, and the debugfs defaults back */
static inline void fail_nth_close(void)
{
	if (fail_nth_fd < 0)
		return;
	fail_nth_set(0);
	close(fail_nth_fd);
	fail_nth_fd = -1;
	write_file(FAULT_DEBUGFS "/failslab/ignore-gfp-wait", "Y");
	write_file(FAULT_DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "Y");
	write_file(FAULT_DEBUGFS "/fail_page_alloc/min-order", "1");
}

static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#endif /* SEV_TEST_UTIL_H */
