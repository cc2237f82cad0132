// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware hot-load with SNP_DOWNLOAD_FIRMWARE_EX.
 *
 * The firmware allows it while SNP is initialised, but only with SEV in
 * UNINIT and no SEV guest (rule 4 of sev-init.c): a host that wants it
 * loads sev-psp with psp_init_on_probe=0, or shuts SEV down first (for
 * example with SEV_FACTORY_RESET). Anything else is -EBUSY before the
 * firmware is asked.
 *
 * The operator's interface is a debugfs file per PSP,
 * /sys/kernel/debug/sev-psp/<psp>/firmware_update: writing "NAME" or
 * "NAME commit" loads /lib/firmware/NAME with request_firmware() and hands
 * it to the firmware; the write fails with the error. (Upstream's proposal
 * uses the firmware_upload class, which needs CONFIG_FW_UPLOAD; Debian's
 * kernels do not build it.)
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/firmware.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "psp.h"

#define SEV_FW_IMAGE_MAX	SZ_1M

int __sev_download_firmware_ex_locked(struct sev_device *sev, const void *image,
				      size_t len, bool commit, int *error)
{
	struct sev_psp_data_download_firmware_ex data = {
		.length = sizeof(data),
		.fw_len = len,
		.commit = commit,
	};
	struct sev_user_data_status st;
	unsigned int order;
	struct page *page;
	int ret;

	lockdep_assert_held(&sev->cmd_mutex);

	if (!len || len > SEV_FW_IMAGE_MAX)
		return -EINVAL;
	ret = __sev_platform_status_locked(sev, &st, error);
	if (ret)
		return ret;
	if (!sev_dlfw_ex_allowed(st.state != SEV_STATE_UNINIT, st.guest_count))
		return -EBUSY;

	/* pages are aligned far beyond the firmware's 32 bytes */
	order = get_order(len);
	page = alloc_pages(GFP_KERNEL, order);
	if (!page)
		return -ENOMEM;
	memcpy(page_address(page), image, len);
	data.fw_paddr = __psp_pa(page_address(page));

	ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_DOWNLOAD_FIRMWARE_EX, &data,
				  error);
	__free_pages(page, order);
	if (ret)
		return ret;

	/* the new firmware's version */
	ret = __sev_platform_status_locked(sev, &st, error);
	if (ret)
		return ret;
	sev->api_major = st.api_major;
	sev->api_minor = st.api_minor;
	sev->build = st.build;
	dev_info(sev_to_psp(sev)->be.dev, "SEV firmware %u.%u build %u%s\n",
		 st.api_major, st.api_minor, st.build,
		 commit ? ", committed" : "");
	return 0;
}

static ssize_t sev_fw_update_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct psp_device *psp = file->private_data;
	char buf[160], name[128], word[16] = "";
	const struct firmware *fw;
	bool commit;
	int n, ret, error = 0;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	n = sscanf(buf, "%127s %15s", name, word);
	commit = n == 2 && !strcmp(word, "commit");
	if (n < 1 || (n == 2 && !commit))
		return -EINVAL;

	ret = request_firmware(&fw, name, psp->be.dev);
	if (ret)
		return ret;

	mutex_lock(&psp->sev.cmd_mutex);
	ret = READ_ONCE(psp->removed) ? -ENODEV :
	      __sev_download_firmware_ex_locked(&psp->sev, fw->data, fw->size,
						commit, &error);
	mutex_unlock(&psp->sev.cmd_mutex);
	release_firmware(fw);

	if (ret) {
		dev_err(psp->be.dev, "SEV: firmware update %s failed: %d, error %#x\n",
			name, ret, error);
		return ret;
	}
	return count;
}

const struct file_operations sev_fw_update_fops = {
	.open = simple_open,
	.write = sev_fw_update_write,
	.llseek = noop_llseek,
};
