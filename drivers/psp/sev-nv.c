// SPDX-License-Identifier: GPL-2.0-only
/*
 * INIT_EX: the firmware's non-volatile state in a file the host keeps.
 *
 * With init_ex_path set, SEV is initialised with INIT_EX and a 32 KiB NV
 * buffer read from that file (as upstream's ccp). A missing file is a new
 * platform: the firmware fills the buffer and the driver creates the file.
 * A file of any other size is refused with a message that says so; a
 * corrupt one the firmware refuses (SEV_RET_SECURE_DATA_INVALID). The file
 * is written back after every command that changes the firmware's
 * persistent state (INIT_EX, FACTORY_RESET, PEK_GEN, PDH_GEN and
 * PEK_CERT_IMPORT): the command table marks them (changes_nv, sev-cmd.c)
 * and the command layer calls __sev_nv_sync_locked() after them. Once SNP
 * is up the buffer is firmware-owned.
 *
 * The buffer is read once per device and then kept: the firmware updates
 * it, and the file follows it.
 *
 * Which file that is must not depend on who caused the write: a PEK_GEN
 * from a chrooted process, from one whose working directory is elsewhere,
 * or from one that dropped its privileges after opening /dev/sev. So the
 * path must be absolute (refused at load otherwise), and the file is
 * opened from init's root with root's filesystem credentials, as
 * upstream's ccp does. It is written in place, never truncated first, so
 * a failed open or write leaves the old contents whole.
 */
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/path.h>
#include <linux/sched/task.h>

#include "psp.h"

static char *init_ex_path;

static int sev_nv_path_set(const char *val, const struct kernel_param *kp)
{
	if (*val && *val != '/') {
		pr_err("sev-psp: init_ex_path must be an absolute path, not \"%s\"\n",
		       val);
		return -EINVAL;
	}
	return param_set_charp(val, kp);
}

static const struct kernel_param_ops sev_nv_path_ops = {
	.set = sev_nv_path_set,
	.get = param_get_charp,
	.free = param_free_charp,
};
module_param_cb(init_ex_path, &sev_nv_path_ops, &init_ex_path, 0444);
MODULE_PARM_DESC(init_ex_path, " Absolute path for INIT_EX data; if set try INIT_EX");

#define SEV_NV_ORDER	get_order(SEV_NV_LEN)

bool sev_init_ex_enabled(void)
{
	return init_ex_path && *init_ex_path;
}

/* init_ex_path, from init's root with root's filesystem credentials */
static struct file *sev_nv_open(int flags, umode_t mode)
{
	const struct cred *old;
	struct cred *cred;
	struct path root;
	struct file *fp;

	cred = prepare_creds();
	if (!cred)
		return ERR_PTR(-ENOMEM);
	cred->fsuid = GLOBAL_ROOT_UID;
	cred->fsgid = GLOBAL_ROOT_GID;

	task_lock(&init_task);
	get_fs_root(init_task.fs, &root);
	task_unlock(&init_task);

	old = override_creds(cred);
	fp = file_open_root(&root, init_ex_path, flags, mode);
	revert_creds(old);

	path_put(&root);
	put_cred(cred);
	return fp;
}

static int sev_nv_read_file(struct sev_device *sev, void *buf)
{
	struct device *dev = sev_to_psp(sev)->be.dev;
	struct file *fp;
	loff_t size, pos = 0;
	ssize_t n;

	fp = sev_nv_open(O_RDONLY, 0);
	if (IS_ERR(fp)) {
		if (PTR_ERR(fp) == -ENOENT) {
			dev_info(dev, "SEV: %s does not exist yet, INIT_EX will create it\n",
				 init_ex_path);
			return 0;
		}
		dev_err(dev, "SEV: cannot open %s: %ld\n", init_ex_path,
			PTR_ERR(fp));
		return PTR_ERR(fp);
	}

	size = i_size_read(file_inode(fp));
	if (size != SEV_NV_LEN) {
		dev_err(dev, "SEV: %s is %lld bytes; INIT_EX needs exactly %u, refusing it\n",
			init_ex_path, size, SEV_NV_LEN);
		filp_close(fp, NULL);
		return -EINVAL;
	}
	n = kernel_read(fp, buf, SEV_NV_LEN, &pos);
	filp_close(fp, NULL);
	if (n != SEV_NV_LEN) {
		dev_err(dev, "SEV: reading %s failed: %zd\n", init_ex_path, n);
		return n < 0 ? n : -EIO;
	}
	return 0;
}

/* The NV buffer for INIT_EX: read once, firmware-owned once SNP is up. */
int __sev_nv_get_locked(struct sev_device *sev, u64 *pa)
{
	struct page *page;
	int ret;

	lockdep_assert_held(&sev->cmd_mutex);

	if (!sev->nv) {
		page = alloc_pages(GFP_KERNEL | __GFP_ZERO, SEV_NV_ORDER);
		if (!page)
			return -ENOMEM;
		ret = sev_nv_read_file(sev, page_address(page));
		if (!ret && sev->snp_initialized)
			ret = __sev_fw_make_owned(sev, page, SEV_NV_ORDER);
		if (ret) {
			if (ret != -ENOTRECOVERABLE)
				__free_pages(page, SEV_NV_ORDER);
			return ret;
		}
		sev->nv = page;
		sev->nv_fw_owned = sev->snp_initialized;
	}
	*pa = __psp_pa(page_address(sev->nv));
	return 0;
}

static int __sev_nv_write_file(struct sev_device *sev)
{
	struct device *dev = sev_to_psp(sev)->be.dev;
	struct file *fp;
	loff_t pos = 0;
	ssize_t n;

	/* In place: a failure never leaves a truncated file behind. */
	fp = sev_nv_open(O_CREAT | O_WRONLY, 0600);
	if (IS_ERR(fp)) {
		dev_err(dev, "SEV: cannot write %s: %ld\n", init_ex_path,
			PTR_ERR(fp));
		return PTR_ERR(fp);
	}
	n = kernel_write(fp, page_address(sev->nv), SEV_NV_LEN, &pos);
	vfs_fsync(fp, 0);
	filp_close(fp, NULL);
	if (n != SEV_NV_LEN) {
		dev_err(dev, "SEV: writing %s failed: %zd\n", init_ex_path, n);
		return n < 0 ? n : -EIO;
	}
	return 0;
}

/*
 * After a command that changed the firmware's NV state succeeded: the file
 * follows the buffer (nothing to do without INIT_EX's buffer).
 */
int __sev_nv_sync_locked(struct sev_device *sev)
{
	lockdep_assert_held(&sev->cmd_mutex);

	if (!sev->nv)
		return 0;
	return __sev_nv_write_file(sev);
}

void __sev_nv_put_locked(struct sev_device *sev)
{
	if (!sev->nv)
		return;
	__sev_fw_free_pages(sev, sev->nv, SEV_NV_ORDER, sev->nv_fw_owned);
	sev->nv = NULL;
}
