// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated PSP taken away under the fuzzing threads (--remove S):
 * every S seconds, while they are inside their ioctls, sevsim0 is removed
 * and made again (del_device, new_device: the driver's
 * psp_device_remove() with commands in flight and VMs bound to the PSP),
 * or, with --sim-module PATH, every other time the simulator's module
 * itself is unloaded (delete_module: every device it made goes with it,
 * and the platform's RMP) and loaded again from PATH (finit_module).
 *
 * Meanwhile /dev/sev's callers see -ENODEV and kvm-sev's VMs keep handles
 * and ASIDs that the new firmware does not know: what a PCI remove and
 * rescan of the PSP would do to them. The mailbox's command count starts
 * again with each device; what the removed ones counted is kept for the
 * summary (fz_remove_fw_commands()).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sev_fuzz.h"

#define SIM_BUS			"/sys/bus/sev-psp-sim"
#define SIM_MODULE_NAME		"sev_psp_sim"

static double every;
static const char *sim_module;
static long long fw_base, fw_removed;

void fz_remove_setup(double secs, const char *module, long long fw_cmds0)
{
	every = secs;
	sim_module = module;
	fw_base = fw_cmds0;
}

bool fz_remove_enabled(void)
{
	return every > 0;
}

/* The firmware commands of every device the run used, @now the last's */
long long fz_remove_fw_commands(long long now)
{
	if (now < 0 || fw_base < 0)
		return -1;
	return fw_removed + now - fw_base;
}

/* Before a device goes: what its mailbox counted this run */
static void tally_commands(void)
{
	long long c = fz_debugfs_value(FZ_PSP_MAILBOX, "commands");

	if (c >= fw_base && fw_base >= 0)
		fw_removed += c - fw_base;
	fw_base = 0;
}

static int make_device(void)
{
	return fz_write_file(SIM_BUS "/new_device", "%u 2", FZ_SIM_ID);
}

static void remove_device(struct fz_thread *t)
{
	int err;

	t->op = "remove-psp";
	tally_commands();
	err = fz_write_file(SIM_BUS "/del_device", "%u", FZ_SIM_ID);
	fz_count(t, FZ_KNOB, "del_device", err, false);
	err = make_device();
	fz_count(t, FZ_KNOB, "new_device", err, false);
	if (err)
		fz_fail(t, "sevsim%u not made again: %s", FZ_SIM_ID,
			strerror(err));
}

static void reload_module(struct fz_thread *t)
{
	int err = 0, fd;

	t->op = "unload-sim";
	tally_commands();
	if (syscall(SYS_delete_module, SIM_MODULE_NAME, O_NONBLOCK))
		err = errno;
	fz_count(t, FZ_KNOB, "delete_module", err, false);
	if (err) {
		/* still loaded: a fresh device only */
		fz_write_file(SIM_BUS "/del_device", "%u", FZ_SIM_ID);
	} else {
		fd = open(sim_module, O_RDONLY | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
		if (fd >= 0 && syscall(SYS_finit_module, fd, "", 0))
			err = errno;
		if (fd >= 0)
			close(fd);
		fz_count(t, FZ_KNOB, "finit_module", err, false);
		if (err) {
			fz_fail(t, "%s not loaded again: %s", sim_module,
				strerror(err));
			return;
		}
	}
	err = make_device();
	fz_count(t, FZ_KNOB, "new_device", err, false);
	if (err)
		fz_fail(t, "sevsim%u not made again: %s", FZ_SIM_ID,
			strerror(err));
}

void *fz_remove_main(void *arg)
{
	struct fz_thread *t = arg;
	struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };
	unsigned int n = 0;
	double waited;

	while (!__atomic_load_n(&fz_stop, __ATOMIC_RELAXED)) {
		t->op = NULL;
		for (waited = 0; waited < every &&
		     !__atomic_load_n(&fz_stop, __ATOMIC_RELAXED); waited += 0.1)
			nanosleep(&tick, NULL);
		if (__atomic_load_n(&fz_stop, __ATOMIC_RELAXED))
			break;
		if (sim_module && n++ % 2)
			reload_module(t);
		else
			remove_device(t);
	}
	t->op = NULL;
	return NULL;
}
