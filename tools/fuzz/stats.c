// SPDX-License-Identifier: GPL-2.0
/*
 * Counting the fuzzed calls, per ioctl family: how many, their errnos, how
 * many got past the argument checks into a handler and how many reached
 * the firmware.
 *
 * Past the argument checks: the call did not fail with EINVAL, EFAULT,
 * ENOTTY, EBADF, EPERM or E2BIG (what the entry checks of these ioctls
 * answer for a malformed argument), or it reached the firmware. This is
 * an estimate: a handler's own later EINVAL counts as stopped at the
 * checks, and an EBUSY or EIO from a check of the platform's state counts
 * as past them.
 *
 * Into the firmware, per call: the command's firmware status field
 * (sev_issue_cmd.error, kvm_sev_cmd.error, an SNP guest request's
 * SW_EXITINFO2) came back with a status the call did not carry in (the
 * kernel writes 0 there when the firmware was not reached), or the call
 * succeeded and its command is one that always runs the firmware. This
 * misses the firmware commands a call makes on the side (a platform
 * initialised on demand, a page reclaimed), and the firmware's successes
 * of commands that may also succeed without it. So the summary also gives
 * the firmware commands the sev-psp mailbox counted over the run
 * (debugfs .../mailbox "commands"), which includes those and the VMs'
 * own set-up and teardown (ACTIVATE, DECOMMISSION...): the count per
 * fuzzed call.
 */
#define _GNU_SOURCE		/* strerrorname_np() */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "sev_fuzz.h"

static const char * const family_names[FZ_NR_FAMILIES] = {
	[FZ_SEV] = "sev",
	[FZ_KVM] = "kvm",
	[FZ_VM] = "vm",
	[FZ_SEV_OP] = "sev-op",
	[FZ_VCPU] = "vcpu",
	[FZ_RUN] = "run",
	[FZ_KNOB] = "knob",
	[FZ_SETUP] = "setup",
};

static bool stopped_at_checks(int err)
{
	switch (err) {
	case EINVAL:
	case EFAULT:
	case ENOTTY:
	case EBADF:
	case EPERM:
	case E2BIG:
		return true;
	default:
		return false;
	}
}

const char *fz_errno_name(int err)
{
	static __thread char buf[16];
	const char *name;

	if (!err)
		return "0";
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}

void fz_note(struct fz_thread *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!t->log_left || t->note_len >= sizeof(t->note) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->note + t->note_len, sizeof(t->note) - t->note_len,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		t->note_len += n;
	if (t->note_len < sizeof(t->note) - 1)
		t->note[t->note_len++] = ' ';
	t->note[t->note_len] = '\0';
}

static void record(struct fz_thread *t, enum fz_family family,
		   const char *name, long ret, int err, bool firmware,
		   uint32_t fw_status)
{
	struct fz_family_stats *s = &t->stats[family];

	/*
	 * Values from 512 up are the kernel's own (ERESTARTSYS, ENOTSUPP,
	 * EIOCBQUEUED...): one that reaches userspace is a kernel bug.
	 */
	if (err >= 512 && err < 530)
		fz_fail(t, "%s: kernel-internal errno %d reached userspace",
			name, err);

	s->calls++;
	s->errnos[err > FZ_ERRNO_MAX ? FZ_ERRNO_MAX : err]++;
	if (firmware)
		s->firmware++;
	if (firmware || !stopped_at_checks(err))
		s->past_checks++;
	t->calls++;

	if (t->log_left) {
		if (t->log_left != UINT64_MAX)
			t->log_left--;
		printf("T%u #%llu %s %s %s-> %s", t->id,
		       (unsigned long long)t->calls, family_names[family],
		       name, t->note, err ? fz_errno_name(err) : "0");
		if (!err && ret)
			printf(" (%ld)", ret);
		if (fw_status)
			printf(" fw=%#x", fw_status);
		printf("\n");
	}
	t->note_len = 0;
	t->note[0] = '\0';
}

long fz_ioctl(struct fz_thread *t, enum fz_family family, const char *name,
	      int fd, unsigned long req, void *arg, const void *fw_err,
	      bool fw_ok)
{
	uint32_t before = 0, after = 0;
	bool firmware;
	long ret;
	int err;

	if (fw_err)
		memcpy(&before, fw_err, sizeof(before));
	__atomic_store_n(&t->op, name, __ATOMIC_RELAXED);
	ret = ioctl(fd, req, arg);
	err = ret < 0 ? errno : 0;
	__atomic_store_n(&t->op, NULL, __ATOMIC_RELAXED);

	if (fw_err)
		memcpy(&after, fw_err, sizeof(after));
	firmware = (after != before && after && after != (uint32_t)SEV_RET_NO_FW_CALL) ||
		   (ret >= 0 && fw_ok);
	record(t, family, name, ret, err, firmware, after);
	errno = err;
	return ret;
}

void fz_count(struct fz_thread *t, enum fz_family family, const char *name,
	      int err, bool firmware)
{
	record(t, family, name, err ? -1 : 0, err, firmware, 0);
}

void fz_mark_firmware(struct fz_thread *t, enum fz_family family)
{
	t->stats[family].firmware++;
}

/* A "key: value" line of a debugfs file; -1 if the file or key is not there */
long long fz_debugfs_value(const char *path, const char *key)
{
	size_t klen = strlen(key);
	long long val = -1;
	char line[256];
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			val = strtoll(line + klen + 1, NULL, 0);
			break;
		}
	fclose(f);
	return val;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * part / whole : 0;
}

/* A family's errnos, most frequent first */
static void print_errnos(const char *name, const struct fz_family_stats *s)
{
	bool done[FZ_ERRNO_MAX + 1] = { false };
	int i, best, shown = 0;

	printf("sev_fuzz:   %-7s", name);
	for (;;) {
		best = -1;
		for (i = 0; i <= FZ_ERRNO_MAX; i++)
			if (!done[i] && s->errnos[i] &&
			    (best < 0 || s->errnos[i] > s->errnos[best]))
				best = i;
		if (best < 0)
			break;
		done[best] = true;
		printf(" %s:%llu", best == FZ_ERRNO_MAX ? "other" :
		       fz_errno_name(best), (unsigned long long)s->errnos[best]);
		shown++;
	}
	printf("%s\n", shown ? "" : " -");
}

void fz_stats_print(const struct fz_thread *threads, unsigned int n,
		    double secs, long long fw_cmds)
{
	struct fz_family_stats sum[FZ_NR_FAMILIES], all = { 0 };
	unsigned int i, f;
	int e;

	memset(sum, 0, sizeof(sum));
	for (i = 0; i < n; i++)
		for (f = 0; f < FZ_NR_FAMILIES; f++) {
			const struct fz_family_stats *s = &threads[i].stats[f];

			sum[f].calls += s->calls;
			sum[f].past_checks += s->past_checks;
			sum[f].firmware += s->firmware;
			for (e = 0; e <= FZ_ERRNO_MAX; e++)
				sum[f].errnos[e] += s->errnos[e];
		}

	printf("sev_fuzz: %-7s %10s %9s %12s %9s\n", "family", "calls",
	       "calls/s", "past-checks", "firmware");
	for (f = 0; f < FZ_NR_FAMILIES; f++) {
		if (!sum[f].calls)
			continue;
		printf("sev_fuzz: %-7s %10llu %9.0f %11.1f%% %8.1f%%\n",
		       family_names[f], (unsigned long long)sum[f].calls,
		       secs > 0 ? sum[f].calls / secs : 0,
		       pct(sum[f].past_checks, sum[f].calls),
		       pct(sum[f].firmware, sum[f].calls));
		if (f == FZ_SETUP)
			continue;	/* not fuzzed: left out of the totals */
		all.calls += sum[f].calls;
		all.past_checks += sum[f].past_checks;
		all.firmware += sum[f].firmware;
	}
	printf("sev_fuzz: errnos per family:\n");
	for (f = 0; f < FZ_NR_FAMILIES; f++)
		if (sum[f].calls)
			print_errnos(family_names[f], &sum[f]);
	if (fw_cmds >= 0)
		printf("sev_fuzz: firmware commands (sev-psp mailbox): %lld, %.2f per call\n",
		       fw_cmds, all.calls ? (double)fw_cmds / all.calls : 0);
	/* the summary, one line */
	printf("sev_fuzz: %llu calls in %.1f s (%.0f/s), ",
	       (unsigned long long)all.calls, secs,
	       secs > 0 ? all.calls / secs : 0);
	printf("%.1f%% past argument checks, %.1f%% into the firmware, seed %llu\n",
	       pct(all.past_checks, all.calls), pct(all.firmware, all.calls),
	       (unsigned long long)fz_seed);
}
