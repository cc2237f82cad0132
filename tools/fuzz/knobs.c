// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated PSP's fault knobs (Documentation/sev-psp-sim.rst), turned
 * while the other threads' commands run: fault_status makes the next
 * command or two of one id (maybe after skipping a few) fail with a
 * firmware status, fault_delay makes the next few answer a few
 * milliseconds late. Never fault_hang: a PSP that stops answering is
 * dead for good (psp_cmd_timeout), and the rest of the run would test
 * nothing but that. And reads of the debugfs files that show the
 * simulator's and the driver's state, racing with the changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "sev_fuzz.h"

#define SIM_FAULT_CMD_MAX	0x3ff

/* write_file() with the fuzzer's errno for its histogram: 0 or errno */
int fz_write_file(const char *path, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vwrite_file(path, fmt, ap);
	va_end(ap);
	return -ret;
}

/* No fault armed: a count of 0 (a status of 0 is refused) */
void fz_knobs_reset(void)
{
	fz_write_file(FZ_SIM_DEBUGFS "/fault_status", "1 0");
	fz_write_file(FZ_SIM_DEBUGFS "/fault_delay", "0 0");
}

/*
 * A firmware command id for fault_status: one of the SEV and SNP commands
 * (<linux/psp-sev.h>), or any id the knob takes. Never SNP_DECOMMISSION:
 * KVM, as upstream, takes its failure for impossible (WARN_ONCE in
 * snp_decommission_context()), and never "any command", which would
 * reach it too.
 */
#define SEV_CMD_SNP_DECOMMISSION	0x090

static unsigned int pick_fw_cmd(struct fz_thread *t)
{
	static const unsigned int cmds[] = {
		0x001, 0x002, 0x003, 0x004, 0x005, 0x006, 0x007, 0x008, 0x009,
		0x00a, 0x00c, 0x00d, 0x020, 0x021, 0x022, 0x023, 0x030, 0x031,
		0x032, 0x033, 0x034, 0x035, 0x036, 0x060, 0x061, 0x081, 0x082,
		0x083, 0x084, 0x085, 0x086, 0x091, 0x092, 0x093, 0x094, 0x095,
		0x0a0, 0x0a1, 0x0a2, 0x0b0, 0x0b1, 0x0c6, 0x0c7, 0x0c8, 0x0c9,
		0x0cb, 0x0cd,
	};
	unsigned int cmd;

	do {
		cmd = fz_chance(t, 90) ? FZ_PICK(t, cmds) :
		      fz_below(t, SIM_FAULT_CMD_MAX + 1);
	} while (cmd == SEV_CMD_SNP_DECOMMISSION);
	return cmd;
}

static void knob_status(struct fz_thread *t)
{
	unsigned int status = fz_chance(t, 80) ? 1 + fz_below(t, 0x27) :
			      1 + fz_below(t, 0xffff);
	unsigned int cmd = pick_fw_cmd(t);
	int err;

	err = fz_write_file(FZ_SIM_DEBUGFS "/fault_status", "%#x %u %#x %u",
			    status, 1 + (unsigned int)fz_below(t, 2), cmd,
			    (unsigned int)fz_below(t, 4));
	fz_note(t, "status=%#x cmd=%#x", status, cmd);
	fz_count(t, FZ_KNOB, "fault_status", err, false);
}

static void knob_delay(struct fz_thread *t)
{
	unsigned int ms = 1 + fz_below(t, 10), count = 1 + fz_below(t, 4);
	int err;

	if (fz_chance(t, 50))
		err = fz_write_file(FZ_SIM_DEBUGFS "/fault_delay", "%u %u", ms,
				    count);
	else
		err = fz_write_file(FZ_SIM_DEBUGFS "/fault_delay", "%u %u %u", ms,
				    count, pick_fw_cmd(t));
	fz_note(t, "delay=%ums", ms);
	fz_count(t, FZ_KNOB, "fault_delay", err, false);
}

/*
 * A debugfs file: the simulator's, the mailbox's, or a VM's private
 * memory map (kvm-sev/PID-FD/private_mem) while its VM may be going away
 */
static void read_state(struct fz_thread *t)
{
	static const char * const files[] = {
		FZ_SIM_DEBUGFS "/state", FZ_SIM_DEBUGFS "/snp_msg_stats",
		FZ_SIM_DEBUGFS "/fault_status", FZ_SIM_DEBUGFS "/fault_delay",
		FZ_PSP_MAILBOX, NULL,
	};
	const char *path = FZ_PICK(t, files);
	char buf[4096], vm_path[96];
	int fd, err = 0;

	if (!path) {
		snprintf(vm_path, sizeof(vm_path),
			 "/sys/kernel/debug/kvm-sev/%d-%d/private_mem",
			 (int)getpid(), fz_vm_any_fd(t, NULL));
		path = vm_path;
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
	} else {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	fz_count(t, FZ_KNOB, "read", err, false);
}

void fz_knob_op(struct fz_thread *t)
{
	unsigned int r = fz_below(t, 100);

	if (fz_no_knobs || r < 50)
		read_state(t);
	else if (r < 80)
		knob_status(t);
	else
		knob_delay(t);
}
