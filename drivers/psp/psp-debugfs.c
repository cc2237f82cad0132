// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: /sys/kernel/debug/sev-psp/<psp>/mailbox shows the mailbox's
 * state and counters (and the pages the firmware kept), for tests and for
 * an operator looking at a PSP that stopped answering; firmware_update takes a firmware image name
 * (sev-fw-update.c).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "psp.h"

static struct dentry *psp_debugfs_root;

static int psp_mailbox_show(struct seq_file *m, void *v)
{
	struct psp_device *psp = m->private;

	/* Lockless on purpose: this must answer while a command hangs. */
	seq_printf(m, "layout: %s\n", psp->be.vdata->name);
	seq_printf(m, "completion: %s\n", psp->mbox_irq ? "irq" : "poll");
	seq_printf(m, "dead: %d\n", READ_ONCE(psp->dead));
	seq_printf(m, "commands: %llu\n", psp->stats.commands);
	seq_printf(m, "failed: %llu\n", psp->stats.failed);
	seq_printf(m, "timeouts: %llu\n", psp->stats.timeouts);
	seq_printf(m, "irq_waits: %llu\n", psp->stats.irq_waits);
	seq_printf(m, "irq_wake_ns: %llu\n", psp->stats.irq_wake_ns);
	/* pages the firmware kept, never given back to the allocator */
	seq_printf(m, "leaked_pages: %llu\n", READ_ONCE(psp->sev.leaked_pages));

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(psp_mailbox);

void psp_debugfs_add(struct psp_device *psp)
{
	psp->debugfs = debugfs_create_dir(psp->name, psp_debugfs_root);
	debugfs_create_file("mailbox", 0400, psp->debugfs, psp,
			    &psp_mailbox_fops);
	debugfs_create_file("firmware_update", 0200, psp->debugfs, psp,
			    &sev_fw_update_fops);
}

void psp_debugfs_remove(struct psp_device *psp)
{
	debugfs_remove_recursive(psp->debugfs);
	psp->debugfs = NULL;
}

void psp_debugfs_init(void)
{
	psp_debugfs_root = debugfs_create_dir("sev-psp", NULL);
}

void psp_debugfs_exit(void)
{
	debugfs_remove_recursive(psp_debugfs_root);
}
