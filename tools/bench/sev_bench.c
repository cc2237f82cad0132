// SPDX-License-Identifier: GPL-2.0
/*
 * sev_bench: /dev/sev round trips, and where their time goes.
 *
 * Measures, in one run on one device:
 *   null      SEV_ISSUE_CMD with an unknown command: the ioctl path alone
 *   status    PLATFORM_STATUS through the whole stack (mailbox, firmware)
 *   snp       SNP_PLATFORM_STATUS: a firmware-owned page each call, made
 *             so, used and reclaimed (three firmware commands)
 *   certs-set SNP_SET_EXT_CONFIG of a 4 KiB certificate blob
 *   certs-get SNP_GET_EXT_CONFIG of it
 * and reads the simulated firmware's own time per command from its
 * debugfs, so that driver overhead = status - null - firmware.
 *
 * The overhead is also put in thread wake-ups, measured in the same run
 * (a pipe ping-pong between two processes: half a round trip): the
 * simulator's hand-off of each command to its worker (a wake-up real
 * hardware does not cost) and the driver's wait for the completion
 * interrupt are read from the two modules' debugfs counters and printed
 * apart, the rest of the driver's path beside them.
 *
 * It prints numbers; it passes or fails nothing.
 *
 * usage: sev_bench [ITERATIONS] [SIM_ID]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/psp-sev.h>
#include <linux/sev-psp.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* "key: value" of a debugfs file, or -1 */
static long long debugfs_stat(const char *path, const char *key)
{
	char buf[2048], *p;
	size_t klen = strlen(key);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtoll(p + klen + 1, NULL, 0);
	return -1;
}

/* The simulated device's and its driver's counters, read_counters() */
struct counters {
	long long commands, fw_ns, handoffs, handoff_ns, irq_waits, irq_wake_ns;
};

static void read_counters(int id, struct counters *c)
{
	char sim[96], drv[96];

	snprintf(sim, sizeof(sim), "/sys/kernel/debug/sev-psp-sim/sevsim%d/state", id);
	snprintf(drv, sizeof(drv), "/sys/kernel/debug/sev-psp/psp-sevsim%d/mailbox", id);
	c->commands = debugfs_stat(sim, "commands");
	c->fw_ns = debugfs_stat(sim, "fw_ns");
	c->handoffs = debugfs_stat(sim, "handoffs");
	c->handoff_ns = debugfs_stat(sim, "handoff_ns");
	c->irq_waits = debugfs_stat(drv, "irq_waits");
	c->irq_wake_ns = debugfs_stat(drv, "irq_wake_ns");
}

/*
 * One thread wake-up, in ns: half the median round trip of a byte sent
 * back and forth between two processes over two pipes (each leg is one
 * write waking one sleeping reader). -1 if it cannot be measured.
 */
static double wakeup_ns(int n, uint64_t *lat)
{
	int ping[2], pong[2], i, status;
	char c = 0;
	pid_t pid;

	if (pipe(ping) || pipe(pong))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* the parent's ends closed: its close is this end's EOF */
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1 && write(pong[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	for (i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			break;
		lat[i] = now_ns() - t0;
	}
	close(ping[1]);
	close(pong[0]);
	waitpid(pid, &status, 0);
	if (i < n)
		return -1;
	qsort(lat, n, sizeof(*lat), cmp_u64);
	return lat[n / 2] / 2.0;
}

/*
 * Where a status call's time goes, in us and in wake-ups: the firmware
 * model, the simulator's hand-off, the driver's completion wake-up and
 * the rest of the driver's path (status - null - all of those).
 */
static void report_wakeups(int n, double status_us, double null_us,
			   const struct counters *a, const struct counters *b,
			   double wake_us)
{
	double cmds = (double)(b->commands - a->commands) / n;
	double fw = (b->fw_ns - a->fw_ns) / 1e3 / n;
	double ho = (b->handoff_ns - a->handoff_ns) / 1e3 / n;
	double hos = (double)(b->handoffs - a->handoffs) / n;
	double wk = (b->irq_wake_ns - a->irq_wake_ns) / 1e3 / n;
	double wks = (double)(b->irq_waits - a->irq_waits) / n;
	double rest = status_us - null_us - fw - ho - wk;

	if (a->commands < 0 || a->handoffs < 0 || a->irq_waits < 0 ||
	    b->commands <= a->commands || wake_us <= 0) {
		printf("wake-ups: no simulator or driver counters, skipped\n");
		return;
	}
	printf("one wake-up (pipe ping-pong, two processes): %.1f us\n", wake_us);
	printf("status call: %.2f firmware commands, %.1f us beyond the null path\n",
	       cmds, status_us - null_us);
	printf("  firmware model          %7.1f us\n", fw);
	printf("  simulator hand-off      %7.1f us  %.2f per call, %.2f wake-ups %s\n",
	       ho, hos, ho / wake_us, "(not on hardware)");
	printf("  driver completion wait  %7.1f us  %.2f per call, %.2f wake-ups\n",
	       wk, wks, wk / wake_us);
	printf("  driver, the rest        %7.1f us  %.2f wake-ups\n",
	       rest, rest / wake_us);
	printf("driver overhead per firmware command: %.2f wake-ups %s%.2f)\n",
	       (wk + rest) / wake_us / cmds, "(the completion wait: ",
	       wk / wake_us / cmds);
}

/* Time n calls of SEV_ISSUE_CMD; fills lat[] with each call's ns. */
static int run(int fd, uint32_t cmd, void *data, int expect_ok, int n,
	       uint64_t *lat, uint64_t *total)
{
	struct sev_issue_cmd arg;
	uint64_t t0, start = now_ns();
	int i, ret;

	for (i = 0; i < n; i++) {
		arg = (struct sev_issue_cmd){ .cmd = cmd, .data = (uintptr_t)data };
		t0 = now_ns();
		ret = ioctl(fd, SEV_ISSUE_CMD, &arg);
		lat[i] = now_ns() - t0;
		if (expect_ok ? ret != 0 : (ret != -1 || errno != EINVAL)) {
			fprintf(stderr, "sev_bench: command %u: unexpected %d (%s)\n",
				cmd, ret, strerror(errno));
			return -1;
		}
	}
	*total = now_ns() - start;
	qsort(lat, n, sizeof(*lat), cmp_u64);
	return 0;
}

static void report(const char *name, int n, const uint64_t *lat, uint64_t total)
{
	printf("%-8s %8d calls %10.0f /s   p50 %7.1f us   p99 %7.1f us\n",
	       name, n, n / (total / 1e9), lat[n / 2] / 1e3,
	       lat[(n * 99) / 100] / 1e3);
}

/* A 4 KiB blob: a VCEK entry, the terminator, and 4 KiB - 48 of "cert". */
static void make_blob(unsigned char *blob)
{
	static const unsigned char vcek[16] = SEV_PSP_GUID_VCEK;
	struct sev_psp_cert_table_entry *e = (void *)blob;

	memset(blob, 0x30, 4096);
	memset(e, 0, 2 * sizeof(*e));
	memcpy(e[0].guid, vcek, 16);
	e[0].offset = 2 * sizeof(*e);
	e[0].length = 4096 - 2 * sizeof(*e);
}

static void bench_snp(int fd_ro, int n, uint64_t *lat)
{
	struct sev_user_data_ext_snp_config ext = { 0 };
	struct sev_user_data_snp_status snp;
	static unsigned char blob[4096], out[4096];
	uint64_t total;
	int fd;

	if (run(fd_ro, SNP_PLATFORM_STATUS, &snp, 1, n, lat, &total)) {
		printf("snp: SNP_PLATFORM_STATUS unavailable, skipped\n");
		return;
	}
	report("snp", n, lat, total);

	fd = open("/dev/sev", O_RDWR);
	if (fd < 0)
		return;
	make_blob(blob);
	ext.certs_address = (uintptr_t)blob;
	ext.certs_len = sizeof(blob);
	if (!run(fd, SNP_SET_EXT_CONFIG, &ext, 1, n, lat, &total))
		report("certs-set", n, lat, total);
	ext.certs_address = (uintptr_t)out;
	ext.certs_len = sizeof(out);
	if (!run(fd, SNP_GET_EXT_CONFIG, &ext, 1, n, lat, &total))
		report("certs-get", n, lat, total);
	close(fd);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5000;
	int sim = argc > 2 ? atoi(argv[2]) : 0;
	struct sev_user_data_status st;
	uint64_t *lat, total_null, total_status;
	struct counters c0, c1;
	double fw_us = -1, wake;
	int fd;

	if (n < 100)
		n = 100;
	lat = calloc(n, sizeof(*lat));
	fd = open("/dev/sev", O_RDONLY);
	if (fd < 0 || !lat) {
		fprintf(stderr, "sev_bench: /dev/sev: %s\n", strerror(errno));
		return 1;
	}

	if (run(fd, SEV_MAX, NULL, 0, n, lat, &total_null))
		return 1;
	report("null", n, lat, total_null);

	read_counters(sim, &c0);
	if (run(fd, SEV_PLATFORM_STATUS, &st, 1, n, lat, &total_status))
		return 1;
	read_counters(sim, &c1);
	report("status", n, lat, total_status);

	/* Once SNP is up a status call is several firmware commands. */
	if (c0.commands >= 0 && c1.commands > c0.commands)
		fw_us = (c1.fw_ns - c0.fw_ns) / 1e3 / n;
	printf("firmware model: %.1f us per status call (%.1f commands per call)\n",
	       fw_us, (double)(c1.commands - c0.commands) / n);
	/* mean status - mean null - firmware */
	printf("driver+mailbox overhead per status call: %.1f us\n",
	       total_status / 1e3 / n - total_null / 1e3 / n - fw_us);

	wake = wakeup_ns(n, lat) / 1e3;
	report_wakeups(n, total_status / 1e3 / n, total_null / 1e3 / n,
		       &c0, &c1, wake);

	bench_snp(fd, n, lat);
	free(lat);
	close(fd);
	return 0;
}
