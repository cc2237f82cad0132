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
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "psp.h"

static char *init_ex_path;
module_param(init_ex_path, charp, 0444);
MODULE_PARM_DESC(init_ex_path, " Path for INIT_EX data; if set try INIT_EX");

#define SEV_NV_ORDER	get_order(SEV_NV_LEN)

bool sev_init_ex_enabled(void)
{
	return init_ex_path && *init_ex_path;
}

static int sev_nv_read_file(struct sev_device *sev, void *buf)
{
	struct device *dev = sev_to_psp(sev)->be.dev;
	struct file *fp;
	loff_t size, pos = 0;
	ssize_t n;

	fp = filp_open(init_ex_path, O_RDONLY, 0);
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

	fp = filp_open(init_ex_path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
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
