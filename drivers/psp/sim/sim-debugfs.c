// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs of each simulated PSP, /sys/kernel/debug/sev-psp-sim/sevsimN/:
 *
 *   state         (r)  firmware and register state, "key: value" lines
 *   chip_id       (r)  the chip ID GET_ID returns, in hex
 *   vcek_pub      (r)  the VCEK public key for the reported TCB, as AMD's
 *                      key distribution service would give it out
 *   vlek_hashstick (r) the key distribution service's VLEK hashstick for
 *                      this chip and its reported TCB, for SNP_VLEK_LOAD
 *   snp_msg_stats (r)  SNP_GUEST_REQUEST's counts since the device was
 *                      made, "name value" lines: iv_reuse, replayed,
 *                      skipped, encrypted (sim-fw-snp-msg.c)
 *   fault_delay   (rw) "MS COUNT [CMD]": the next COUNT commands complete MS
 *                      late
 *   fault_hang    (rw) "COUNT [CMD]": the next COUNT commands never complete
 *   fault_status  (rw) "STATUS COUNT [CMD [SKIP]]": the next COUNT commands
 *                      are refused with firmware status STATUS (not
 *                      executed), after SKIP matching ones went through
 *                      With CMD, a fault is kept for, and consumed by,
 *                      commands of that id only (-1: any, as without).
 *   reset         (w)  reset the PSP; the driver re-probes it
 *
 * Faults are consumed in command order; a hang stops the mailbox until a
 * reset, since nothing completes behind it.
 *
 * And one for the module, /sys/kernel/debug/sev-psp-sim/sha384_bench (r):
 * the kernel's SHA-384 over 16 MiB, page by page as an SNP launch digest
 * takes it, timed; a baseline for the launch's own rate.
 */
#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "sim.h"

static struct dentry *sim_debugfs_root;

static int sim_state_show(struct seq_file *m, void *v)
{
	struct sim_dev *sdev = m->private;
	struct sim_fw *fw = &sdev->fw;

	mutex_lock(&fw->lock);
	seq_printf(m, "api: %u.%u\n", fw->api_major, fw->api_minor);
	seq_printf(m, "build: %u\n", fw->build);
	seq_printf(m, "state: %s\n", sim_fw_state_name(fw->state));
	seq_printf(m, "owner: %s\n", fw->owner_external ? "external" : "self");
	seq_printf(m, "config_es: %d\n", fw->config_es);
	seq_printf(m, "guests: %u\n", fw->guest_count);
	seq_printf(m, "tmr: %#llx\n", (u64)fw->tmr);
	seq_printf(m, "snp_enabled: %d\n", fw->snp_enabled);
	seq_printf(m, "snp_state: %s\n", fw->snp_state ? "INIT" : "UNINIT");
	seq_printf(m, "rmp_initialized: %d\n", fw->rmp_initialized);
	seq_printf(m, "snp_guests: %u\n", fw->snp_guest_count);
	seq_printf(m, "current_tcb: %#llx\n", fw->current_tcb);
	seq_printf(m, "reported_tcb: %#llx\n", fw->reported_tcb);
	seq_printf(m, "committed_tcb: %#llx\n", fw->committed_tcb);
	seq_printf(m, "mask_chip_id: %d\n", fw->mask_chip_id);
	seq_printf(m, "mask_chip_key: %d\n", fw->mask_chip_key);
	seq_printf(m, "vlek_en: %d\n", fw->vlek_en);
	seq_printf(m, "ciphertext_hiding: %d\n", fw->ciphertext_hiding_en);
	seq_printf(m, "hv_fixed_pages: %llu\n", fw->hv_fixed_pages);
	seq_printf(m, "wbinvd_pending: %d\n", !sim_fw_wbinvd_done(fw));
	seq_printf(m, "commands: %llu\n", fw->commands);
	seq_printf(m, "fw_ns: %llu\n", fw->fw_ns);
	mutex_unlock(&fw->lock);

	spin_lock_irq(&sdev->regs_lock);
	seq_printf(m, "layout: %s\n", sdev->vdata->name);
	seq_printf(m, "irq: %d\n", sdev->irq);
	seq_printf(m, "busy: %d\n", sdev->busy);
	seq_printf(m, "hung: %d\n", sdev->hung);
	seq_printf(m, "protocol_errors: %llu\n", sdev->protocol_errors);
	seq_printf(m, "handoffs: %llu\n", sdev->handoffs);
	seq_printf(m, "handoff_ns: %llu\n", sdev->handoff_ns);
	spin_unlock_irq(&sdev->regs_lock);

	seq_printf(m, "attached: %d\n", !!READ_ONCE(sdev->psp));
	/* platform-wide */
	seq_printf(m, "rmp_assigned: %llu\n", sim_rmp_assigned_count());
	seq_printf(m, "rmp_bad_frees: %llu\n", sim_free_check_bad_frees());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_state);

static int sim_chip_id_show(struct seq_file *m, void *v)
{
	struct sim_dev *sdev = m->private;

	mutex_lock(&sdev->fw.lock);
	seq_printf(m, "%*phN\n", SIM_CHIP_ID_LEN, sdev->fw.chip_id);
	mutex_unlock(&sdev->fw.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_chip_id);

/*
 * The VCEK public key for the reported TCB, as an uncompressed point in
 * hex: what AMD's key distribution service would hand out for this chip.
 */
static int sim_vcek_pub_show(struct seq_file *m, void *v)
{
	struct sim_dev *sdev = m->private;
	u8 priv[SIM_P384_BYTES], x[SIM_P384_BYTES], y[SIM_P384_BYTES];
	u64 tcb;
	int ret;

	mutex_lock(&sdev->fw.lock);
	tcb = sdev->fw.reported_tcb;
	ret = sim_fw_vcek(&sdev->fw, tcb, priv);
	mutex_unlock(&sdev->fw.lock);
	if (!ret)
		ret = sim_p384_public_key(priv, x, y);
	memzero_explicit(priv, sizeof(priv));
	if (ret)
		return ret;

	seq_printf(m, "tcb: %#llx\n", tcb);
	seq_printf(m, "point: 04%*phN%*phN\n", SIM_P384_BYTES, x,
		   SIM_P384_BYTES, y);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_vcek_pub);

/*
 * The key distribution service's VLEK hashstick for this chip and its
 * reported TCB: 432 bytes, what SNP_VLEK_LOAD takes.
 */
static ssize_t sim_vlek_hashstick_read(struct file *file, char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	struct sim_dev *sdev = file->private_data;
	struct sim_vlek_hashstick hs;
	ssize_t ret;

	mutex_lock(&sdev->fw.lock);
	ret = sim_fw_vlek_hashstick(&sdev->fw, sdev->fw.reported_tcb, &hs);
	mutex_unlock(&sdev->fw.lock);
	if (!ret)
		ret = simple_read_from_buffer(ubuf, count, ppos, &hs,
					      sizeof(hs));
	memzero_explicit(&hs, sizeof(hs));
	return ret;
}

static const struct file_operations sim_vlek_hashstick_fops = {
	.open = simple_open,
	.read = sim_vlek_hashstick_read,
	.llseek = default_llseek,
};

static int sim_snp_msg_stats_show(struct seq_file *m, void *v)
{
	struct sim_dev *sdev = m->private;
	struct sim_snp_msg_stats st;

	sim_fw_snp_msg_stats(&sdev->fw, &st);
	seq_printf(m, "iv_reuse %llu\n", st.iv_reuse);
	seq_printf(m, "replayed %llu\n", st.replayed);
	seq_printf(m, "skipped %llu\n", st.skipped);
	seq_printf(m, "encrypted %llu\n", st.encrypted);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_snp_msg_stats);

/* Copy a short user string; the knobs take at most two numbers. */
static int sim_get_words(const char __user *ubuf, size_t count, char *buf,
			 size_t size)
{
	if (!count || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	return 0;
}

static ssize_t sim_fault_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct sim_fault_file *ff = file->private_data;
	struct sim_faults *f = &ff->sdev->faults;
	unsigned int a, b = 0, c = 0, skip = 0;
	int ret, n, cmd;
	char buf[48];

	ret = sim_get_words(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;

	/* Each fault's words, then an optional command id it is kept for. */
	n = sscanf(buf, "%i %i %i %i", &a, &b, &c, &skip);
	switch (ff->kind) {
	case SIM_FAULT_DELAY:
		if (n < 2 || n > 3 || a > 600000)
			return -EINVAL;
		cmd = n == 3 ? c : -1;
		break;
	case SIM_FAULT_HANG:
		if (n > 2)
			return -EINVAL;
		cmd = n == 2 ? b : -1;
		break;
	case SIM_FAULT_STATUS:
		/* Status 0 would be a success that skipped the command. */
		if (n < 2 || !a || a > U16_MAX)
			return -EINVAL;
		cmd = n >= 3 ? c : -1;
		break;
	}
	if (n < 1 || cmd > SIM_FAULT_CMD_MAX)
		return -EINVAL;

	spin_lock_irq(&ff->sdev->regs_lock);
	switch (ff->kind) {
	case SIM_FAULT_DELAY:
		f->delay_ms = a;
		f->delay_count = b;
		f->delay_cmd = cmd;
		break;
	case SIM_FAULT_HANG:
		f->hang_count = a;
		f->hang_cmd = cmd;
		break;
	case SIM_FAULT_STATUS:
		f->status = a;
		f->status_count = b;
		f->status_cmd = cmd;
		f->status_skip = skip;
		break;
	}
	spin_unlock_irq(&ff->sdev->regs_lock);

	return count;
}

static ssize_t sim_fault_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct sim_fault_file *ff = file->private_data;
	struct sim_faults *f = &ff->sdev->faults;
	char buf[48];
	int len = 0;

	spin_lock_irq(&ff->sdev->regs_lock);
	switch (ff->kind) {
	case SIM_FAULT_DELAY:
		len = scnprintf(buf, sizeof(buf), "%u %u %d\n", f->delay_ms,
				f->delay_count, f->delay_cmd);
		break;
	case SIM_FAULT_HANG:
		len = scnprintf(buf, sizeof(buf), "%u %d\n", f->hang_count,
				f->hang_cmd);
		break;
	case SIM_FAULT_STATUS:
		len = scnprintf(buf, sizeof(buf), "%#x %u %d %u\n", f->status,
				f->status_count, f->status_cmd, f->status_skip);
		break;
	}
	spin_unlock_irq(&ff->sdev->regs_lock);

	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations sim_fault_fops = {
	.open = simple_open,
	.read = sim_fault_read,
	.write = sim_fault_write,
	.llseek = default_llseek,
};

static ssize_t sim_reset_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	int ret = sim_dev_reset(file->private_data);

	return ret ? ret : count;
}

static const struct file_operations sim_reset_fops = {
	.open = simple_open,
	.write = sim_reset_write,
	.llseek = noop_llseek,
};

void sim_debugfs_add(struct sim_dev *sdev)
{
	static const char * const names[] = {
		[SIM_FAULT_DELAY] = "fault_delay",
		[SIM_FAULT_HANG] = "fault_hang",
		[SIM_FAULT_STATUS] = "fault_status",
	};
	struct sim_fault_file *ff;
	int i;

	sdev->debugfs = debugfs_create_dir(dev_name(&sdev->dev),
					   sim_debugfs_root);
	debugfs_create_file("state", 0400, sdev->debugfs, sdev,
			    &sim_state_fops);
	debugfs_create_file("chip_id", 0400, sdev->debugfs, sdev,
			    &sim_chip_id_fops);
	debugfs_create_file("vcek_pub", 0400, sdev->debugfs, sdev,
			    &sim_vcek_pub_fops);
	debugfs_create_file("vlek_hashstick", 0400, sdev->debugfs, sdev,
			    &sim_vlek_hashstick_fops);
	debugfs_create_file("snp_msg_stats", 0400, sdev->debugfs, sdev,
			    &sim_snp_msg_stats_fops);
	debugfs_create_file("reset", 0200, sdev->debugfs, sdev,
			    &sim_reset_fops);

	BUILD_BUG_ON(ARRAY_SIZE(names) != ARRAY_SIZE(sdev->fault_files));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ff = &sdev->fault_files[i];
		ff->sdev = sdev;
		ff->kind = i;
		debugfs_create_file(names[i], 0600, sdev->debugfs, ff,
				    &sim_fault_fops);
	}
}

void sim_debugfs_remove(struct sim_dev *sdev)
{
	debugfs_remove_recursive(sdev->debugfs);
	sdev->debugfs = NULL;
}

/* Each read hashes 16 MiB page by page: "sha384 PAGES pages NS ns MB/s" */
#define SIM_SHA384_BENCH_PAGES	4096

static int sim_sha384_bench_show(struct seq_file *m, void *v)
{
	u64 ns;
	int ret;

	ret = sim_sha384_bench(SIM_SHA384_BENCH_PAGES, &ns);
	if (ret)
		return ret;
	seq_printf(m, "sha384 %u pages %llu ns %llu MB/s\n",
		   SIM_SHA384_BENCH_PAGES, ns,
		   div64_u64((u64)SIM_SHA384_BENCH_PAGES * PAGE_SIZE * 1000,
			     max_t(u64, ns, 1)));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_sha384_bench);

void sim_debugfs_init(void)
{
	sim_debugfs_root = debugfs_create_dir("sev-psp-sim", NULL);
	debugfs_create_file("sha384_bench", 0400, sim_debugfs_root, NULL,
			    &sim_sha384_bench_fops);
}

void sim_debugfs_exit(void)
{
	debugfs_remove_recursive(sim_debugfs_root);
}
