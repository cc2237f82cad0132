// SPDX-License-Identifier: GPL-2.0
/*
 * sev_fuzz: fuzz /dev/sev and /dev/kvm-sev (sev_fuzz.h says how).
 *
 * usage: sev_fuzz [--seed N] [--duration S] [--threads T] [--calls N]
 *                 [-v] [--log K] [--replay] [--no-knobs] [--no-sim]
 *                 [--remove S [--sim-module PATH]]
 *
 *   --seed N       every thread's generator derives from N (default: from
 *                  the clock; printed first, and in the summary)
 *   --duration S   seconds to run (default 10)
 *   --threads T    threads (default 2, at most 16)
 *   --calls N      each thread stops after N calls (the set-up ones
 *                  counted), wherever the time is: a fixed sequence
 *   -v, --log K    print each thread's first 100 (or K) calls, one line
 *                  each: thread, number, family, name, arguments, result
 *   --replay       one thread, every call logged: with the seed of a
 *                  failed run and --threads 1, the same call sequence
 *                  again (the kernel's answers may differ where they
 *                  depend on time: fault delays, the guest request rate)
 *   --no-knobs     leave the simulator's fault knobs alone (and then
 *                  expect no guest context left in the firmware at the
 *                  end)
 *   --no-sim       use the PSP there is; by default a fresh simulated
 *                  PSP (sevsim0) is made and removed at the end, so that
 *                  each run starts from the same firmware state
 *   --remove S     one more thread: every S seconds it removes sevsim0
 *                  and makes it again while the others are in their
 *                  ioctls (remove.c; not with --no-sim)
 *   --sim-module PATH  ... and every other time unloads sev-psp-sim
 *                  itself and loads it again from PATH
 *
 * Exit status 0, or 1 when something went wrong that the program can see
 * (a kernel-internal errno reached userspace, the kernel was tainted, the
 * PSP died or timed out, a page was freed while the RMP still assigned
 * it, a guest context was left behind without fault injection, a thread
 * stuck in a call, the program crashed), with the seed; 2 for bad usage
 * or no /dev/sev. The last line is the summary:
 *   sev_fuzz: N calls in S s (X/s), P% past argument checks, F% into the firmware, seed Z
 * Kernel splats are the harness's to see (make fuzz checks the log).
 */
#define _GNU_SOURCE		/* pthread_timedjoin_np() */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sev_fuzz.h"

#define SIM_BUS			"/sys/bus/sev-psp-sim"
#define STUCK_SECS		120	/* a call taking longer is a hang */

uint64_t fz_seed;
bool fz_have_kvm;
bool fz_no_knobs;
int fz_stop;

static int fz_failures;
/* the fuzzing threads, and after them the remover (--remove) */
static struct fz_thread threads[FZ_MAX_THREADS + 1];
static unsigned int nr_threads = 2;

void fz_fail(struct fz_thread *t, const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&fz_failures, 1, __ATOMIC_RELAXED) >= 20)
		return;
	flockfile(stdout);
	printf("sev_fuzz: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (t)
		printf(" (thread %u, call %llu)", t->id,
		       (unsigned long long)t->calls + 1);
	printf(", seed %llu\n", (unsigned long long)fz_seed);
	funlockfile(stdout);
}

/* Which operation next: the weights, out of their sum */
static const struct {
	void (*fn)(struct fz_thread *t);
	unsigned int weight;
	bool kvm;	/* needs /dev/kvm-sev */
} ops[] = {
	{ fz_sev_op, 18, false },
	{ fz_kvm_op, 5, true },
	{ fz_vm_op, 14, true },
	{ fz_sev_cmd_op, 18, true },
	{ fz_vcpu_op, 12, true },
	{ fz_run_op, 27, true },
	{ fz_vm_lifecycle_op, 3, true },
	{ fz_knob_op, 3, false },
};

static void pick_op(struct fz_thread *t)
{
	unsigned int total = 0, r, i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (fz_have_kvm || !ops[i].kvm)
			total += ops[i].weight;
	r = fz_below(t, total);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		if (!fz_have_kvm && ops[i].kvm)
			continue;
		if (r < ops[i].weight) {
			ops[i].fn(t);
			return;
		}
		r -= ops[i].weight;
	}
}

static int thread_open(struct fz_thread *t)
{
	t->sev_fd = open("/dev/sev", O_RDWR | O_CLOEXEC);
	t->sev_ro_fd = open("/dev/sev", O_RDONLY | O_CLOEXEC);
	t->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	t->kvm_fd = open(KVM_SEV_DEV_PATH, O_RDWR | O_CLOEXEC);
	t->kvm_ro_fd = open(KVM_SEV_DEV_PATH, O_RDONLY | O_CLOEXEC);
	t->closed_fd = 1000 + t->id;	/* never opened */
	if (t->sev_fd < 0 || t->sev_ro_fd < 0)
		return -1;
	return fz_buffers_init(t);
}

static void thread_close(struct fz_thread *t)
{
	fz_vm_destroy_all(t);
	close(t->sev_fd);
	close(t->sev_ro_fd);
	close(t->null_fd);
	if (t->kvm_fd >= 0)
		close(t->kvm_fd);
	if (t->kvm_ro_fd >= 0)
		close(t->kvm_ro_fd);
	fz_buffers_free(t);
}

static void *thread_main(void *arg)
{
	struct fz_thread *t = arg;

	if (thread_open(t)) {
		fz_fail(t, "cannot open /dev/sev or map buffers: %s",
			strerror(errno));
		return NULL;
	}
	while (!__atomic_load_n(&fz_stop, __ATOMIC_RELAXED) &&
	       (!t->max_calls || t->calls < t->max_calls))
		pick_op(t);
	thread_close(t);
	return NULL;
}

/* A crash of the fuzzer itself: the seed, from a signal handler */
static void crash_handler(int sig)
{
	char buf[160];
	int n;

	n = snprintf(buf, sizeof(buf), "sev_fuzz: FAIL: signal %d, seed %llu\n",
		     sig, (unsigned long long)fz_seed);
	if (write(STDOUT_FILENO, buf, n) < 0)
		_exit(1);
	_exit(1);
}

static void stop_handler(int sig)
{
	(void)sig;
	__atomic_store_n(&fz_stop, 1, __ATOMIC_RELAXED);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A fresh simulated PSP: 0 made (remove it at the end), 1 none, -1 failed */
static int sim_make(void)
{
	int err;

	if (access(SIM_BUS "/new_device", W_OK))
		return 1;
	fz_write_file(SIM_BUS "/del_device", "%u", FZ_SIM_ID);
	err = fz_write_file(SIM_BUS "/new_device", "%u 2", FZ_SIM_ID);
	if (err) {
		fprintf(stderr, "sev_fuzz: cannot make sevsim%u: %s\n",
			FZ_SIM_ID, strerror(err));
		return -1;
	}
	return 0;
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: sev_fuzz [--seed N] [--duration S] [--threads T] [--calls N]\n"
		"                [-v] [--log K] [--replay] [--no-knobs] [--no-sim]\n"
		"                [--remove S [--sim-module PATH]]\n");
	exit(2);
}

static double remove_every;
static const char *sim_module;

static void parse_args(int argc, char **argv, double *duration,
		       uint64_t *max_calls, uint64_t *log, bool *no_sim)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "threads", required_argument, NULL, 't' },
		{ "calls", required_argument, NULL, 'c' },
		{ "log", required_argument, NULL, 'l' },
		{ "replay", no_argument, NULL, 'r' },
		{ "no-knobs", no_argument, NULL, 'k' },
		{ "no-sim", no_argument, NULL, 'n' },
		{ "remove", required_argument, NULL, 'R' },
		{ "sim-module", required_argument, NULL, 'M' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	bool replay = false, log_set = false;
	int c;

	while ((c = getopt_long(argc, argv, "s:d:t:c:l:v", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			fz_seed = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			*duration = strtod(optarg, NULL);
			break;
		case 't':
			nr_threads = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			*max_calls = strtoull(optarg, NULL, 0);
			break;
		case 'l':
			*log = strtoull(optarg, NULL, 0);
			log_set = true;
			break;
		case 'v':
			*log = 100;
			log_set = true;
			break;
		case 'r':
			replay = true;
			break;
		case 'k':
			fz_no_knobs = true;
			break;
		case 'n':
			*no_sim = true;
			break;
		case 'R':
			remove_every = strtod(optarg, NULL);
			break;
		case 'M':
			sim_module = optarg;
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc || !nr_threads || nr_threads > FZ_MAX_THREADS ||
	    *duration <= 0 || remove_every < 0 ||
	    (remove_every && *no_sim) || (sim_module && !remove_every))
		bad_usage();
	if (replay) {
		nr_threads = 1;
		if (!log_set)
			*log = UINT64_MAX;
	}
}

/* Join the first @n threads, or name the one stuck in a call: false */
static bool join_all(pthread_t *tids, unsigned int n)
{
	struct timespec ts;
	const char *op;
	unsigned int i;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += STUCK_SECS;
	for (i = 0; i < n; i++) {
		if (pthread_timedjoin_np(tids[i], NULL, &ts)) {
			op = __atomic_load_n(&threads[i].op, __ATOMIC_RELAXED);
			fz_fail(&threads[i], "stuck for %d s in %s", STUCK_SECS,
				op ? op : "(between calls)");
			ok = false;
		}
	}
	return ok;
}

/* What the program can see went wrong in the kernel, after the run */
static void final_checks(long long taint0, long long dead_ts0,
			 long long bad_frees0)
{
	long long v;

	v = read_taint();
	if (v != taint0)
		fz_fail(NULL, "the kernel was tainted (%lld, was %lld): see its log",
			v, taint0);
	if (fz_debugfs_value(FZ_PSP_MAILBOX, "dead") > 0)
		fz_fail(NULL, "the PSP is dead");
	v = fz_debugfs_value(FZ_PSP_MAILBOX, "timeouts");
	if (v > dead_ts0)
		fz_fail(NULL, "%lld PSP command timeouts", v - dead_ts0);
	v = fz_debugfs_value(FZ_SIM_DEBUGFS "/state", "rmp_bad_frees");
	if (v > bad_frees0)
		fz_fail(NULL, "%lld pages freed while the RMP still assigned them",
			v - bad_frees0);
	v = fz_debugfs_value(FZ_SIM_DEBUGFS "/state", "guests") +
	    fz_debugfs_value(FZ_SIM_DEBUGFS "/state", "snp_guests");
	if (v > 0 && fz_no_knobs)
		fz_fail(NULL, "%lld guest contexts left in the firmware, every VM closed",
			v);
	else if (v > 0)
		printf("sev_fuzz: %lld guest contexts left in the firmware %s\n",
		       v, "(injected faults can leave them)");
}

int main(int argc, char **argv)
{
	double duration = 10, start, secs;
	uint64_t max_calls = 0, log = 0;
	long long taint0, ts0, bad0, cmds0, cmds1;
	pthread_t tids[FZ_MAX_THREADS + 1];
	struct sigaction sa = { .sa_handler = crash_handler };
	bool no_sim = false, made_sim = false, done;
	unsigned int i, nr_all;
	int fd;

	fz_seed = (uint64_t)time(NULL) * 1000003 ^ getpid();
	parse_args(argc, argv, &duration, &max_calls, &log, &no_sim);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sa.sa_handler = stop_handler;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (!no_sim) {
		i = sim_make();
		if ((int)i < 0)
			return 2;
		made_sim = !i;
	}
	fd = open(KVM_SEV_DEV_PATH, O_RDWR | O_CLOEXEC);
	fz_have_kvm = fd >= 0;
	if (fd >= 0)
		close(fd);
	if (access("/dev/sev", R_OK | W_OK)) {
		fprintf(stderr, "sev_fuzz: no /dev/sev: %s\n", strerror(errno));
		return 2;
	}
	printf("sev_fuzz: seed %llu, %u thread%s, %.0f s%s\n",
	       (unsigned long long)fz_seed, nr_threads, nr_threads > 1 ? "s" : "",
	       duration, fz_have_kvm ? "" : " (no " KVM_SEV_DEV_PATH ": /dev/sev only)");

	taint0 = read_taint();
	ts0 = fz_debugfs_value(FZ_PSP_MAILBOX, "timeouts");
	bad0 = fz_debugfs_value(FZ_SIM_DEBUGFS "/state", "rmp_bad_frees");
	cmds0 = fz_debugfs_value(FZ_PSP_MAILBOX, "commands");

	fz_remove_setup(remove_every, sim_module, cmds0);
	nr_all = nr_threads + fz_remove_enabled();
	start = now();
	for (i = 0; i < nr_all; i++) {
		threads[i].id = i;
		fz_rng_seed(&threads[i].rng, fz_seed, i);
		threads[i].log_left = log;
		threads[i].max_calls = max_calls;
		fz_vm_init(&threads[i]);
		if (pthread_create(&tids[i], NULL,
				   i < nr_threads ? thread_main : fz_remove_main,
				   &threads[i])) {
			fprintf(stderr, "sev_fuzz: cannot start threads\n");
			return 2;
		}
	}
	do {
		usleep(100000);
		done = true;
		for (i = 0; i < nr_threads; i++)
			if (!max_calls || threads[i].calls < max_calls)
				done = false;
	} while (!__atomic_load_n(&fz_stop, __ATOMIC_RELAXED) && !done &&
		 now() - start < duration);
	__atomic_store_n(&fz_stop, 1, __ATOMIC_RELAXED);
	if (!join_all(tids, nr_all)) {
		fflush(stdout);
		_exit(1);	/* a thread is in the kernel still */
	}
	secs = now() - start;

	if (!fz_no_knobs)
		fz_knobs_reset();
	cmds1 = fz_debugfs_value(FZ_PSP_MAILBOX, "commands");
	final_checks(taint0, ts0, bad0);
	if (made_sim)
		fz_write_file(SIM_BUS "/del_device", "%u", FZ_SIM_ID);
	fz_stats_print(threads, nr_all, secs, fz_remove_fw_commands(cmds1));
	return fz_failures ? 1 : 0;
}
