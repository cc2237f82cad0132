// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/sev: the upstream psp-sev.h ioctl ABI.
 *
 * One ioctl, SEV_ISSUE_CMD, carries { cmd, data, error }. Each command has
 * one handler below. The firmware status reaches userspace unchanged in
 * .error (0 when the firmware was not reached), and the struct is copied
 * back on every path, as upstream does. Commands that change platform
 * state need a file opened for writing (-EPERM otherwise); status commands
 * work on a read-only file.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "psp.h"
#include <linux/sev-psp.h>

static int sev_ioctl_do_reset(struct sev_device *sev,
			      struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_status status;
	int ret;

	if (!writable)
		return -EPERM;

	/*
	 * FACTORY_RESET is only valid in UNINIT: a platform running guests
	 * (WORKING) is refused, one that is merely INIT is shut down first.
	 */
	ret = __sev_platform_status_locked(sev, &status, &argp->error);
	if (ret)
		return ret;

	if (status.state == SEV_STATE_WORKING)
		return -EBUSY;

	if (status.state == SEV_STATE_INIT) {
		ret = __sev_platform_shutdown_locked(sev, &argp->error);
		if (ret)
			return ret;
	}

	return __sev_do_cmd_locked(sev, SEV_CMD_FACTORY_RESET, NULL,
				   &argp->error);
}

/* PEK_GEN, PDH_GEN: no buffer, writable, transient INIT */
static int sev_ioctl_do_pek_pdh_gen(struct sev_device *sev,
				    struct sev_issue_cmd *argp, bool writable)
{
	bool shutdown_required = false;
	int ret;

	if (!writable)
		return -EPERM;
	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SEV,
					  &shutdown_required, &argp->error);
	if (ret)
		return ret;
	ret = __sev_do_cmd_locked(sev, argp->cmd == SEV_PEK_GEN ?
				  SEV_CMD_PEK_GEN : SEV_CMD_PDH_GEN, NULL,
				  &argp->error);
	__sev_transient_leave_locked(sev, SEV_INIT_FOR_SEV, shutdown_required);
	return ret;
}

/*
 * PEK_CSR: an address or length of 0 asks for the length, which comes back
 * also when the command fails. Lengths over 16 KiB are -EFAULT (upstream).
 */
static int sev_ioctl_do_pek_csr(struct sev_device *sev,
				struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_pek_csr input;
	struct sev_data_pek_csr data = {};
	bool shutdown_required = false;
	void *blob = NULL;
	u32 blob_len = 0;
	int ret;

	if (!writable)
		return -EPERM;
	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	if (input.address && input.length) {
		if (input.length > SEV_FW_BLOB_MAX_SIZE)
			return -EFAULT;
		blob_len = input.length;
		blob = kzalloc(blob_len, GFP_KERNEL);
		if (!blob)
			return -ENOMEM;
		data.address = __psp_pa(blob);
		data.len = blob_len;
	}

	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SEV,
					  &shutdown_required, &argp->error);
	if (ret)
		goto out_free;
	ret = __sev_do_cmd_locked(sev, SEV_CMD_PEK_CSR, &data, &argp->error);
	__sev_transient_leave_locked(sev, SEV_INIT_FOR_SEV, shutdown_required);

	/* the length the firmware wants or wrote, in every case */
	input.length = data.len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &input, sizeof(input))) {
		ret = -EFAULT;
		goto out_free;
	}
	if (ret || !blob)
		goto out_free;
	/* never trust the firmware's length past the buffer it was given */
	if (data.len > blob_len)
		ret = -EIO;
	else if (copy_to_user(u64_to_user_ptr(input.address), blob, data.len))
		ret = -EFAULT;
out_free:
	kfree(blob);
	return ret;
}

/*
 * PDH_CERT_EXPORT: any address or length of 0 asks for both lengths.
 * Writable is needed only when the platform must be brought up for it.
 */
static int sev_ioctl_do_pdh_export(struct sev_device *sev,
				   struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_pdh_cert_export input;
	struct sev_data_pdh_cert_export data = {};
	bool shutdown_required = false;
	void *pdh = NULL, *chain = NULL;
	u32 pdh_len, chain_len;
	int ret;

	if (!sev->sev_initialized && !writable)
		return -EPERM;
	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;
	pdh_len = input.pdh_cert_len;
	chain_len = input.cert_chain_len;

	if (input.pdh_cert_address && pdh_len && input.cert_chain_address &&
	    chain_len) {
		if (pdh_len > SEV_FW_BLOB_MAX_SIZE ||
		    chain_len > SEV_FW_BLOB_MAX_SIZE)
			return -EFAULT;
		pdh = kzalloc(pdh_len, GFP_KERNEL);
		chain = kzalloc(chain_len, GFP_KERNEL);
		if (!pdh || !chain) {
			ret = -ENOMEM;
			goto out_free;
		}
		data.pdh_cert_address = __psp_pa(pdh);
		data.pdh_cert_len = pdh_len;
		data.cert_chain_address = __psp_pa(chain);
		data.cert_chain_len = chain_len;
	}

	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SEV,
					  &shutdown_required, &argp->error);
	if (ret)
		goto out_free;
	ret = __sev_do_cmd_locked(sev, SEV_CMD_PDH_CERT_EXPORT, &data,
				  &argp->error);
	__sev_transient_leave_locked(sev, SEV_INIT_FOR_SEV, shutdown_required);

	input.pdh_cert_len = data.pdh_cert_len;
	input.cert_chain_len = data.cert_chain_len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &input, sizeof(input))) {
		ret = -EFAULT;
		goto out_free;
	}
	if (ret || !pdh)
		goto out_free;
	/* never trust the firmware's lengths past the buffers it was given */
	if (data.pdh_cert_len > pdh_len || data.cert_chain_len > chain_len)
		ret = -EIO;
	else if (copy_to_user(u64_to_user_ptr(input.pdh_cert_address), pdh,
			      data.pdh_cert_len) ||
		 copy_to_user(u64_to_user_ptr(input.cert_chain_address), chain,
			      data.cert_chain_len))
		ret = -EFAULT;
out_free:
	kfree(pdh);
	kfree(chain);
	return ret;
}

/* PEK_CERT_IMPORT: both blobs through psp_copy_user_blob() (-EINVAL). */
static int sev_ioctl_do_pek_import(struct sev_device *sev,
				   struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_pek_cert_import input;
	struct sev_data_pek_cert_import data = {};
	bool shutdown_required = false;
	void *pek, *oca;
	int ret;

	if (!writable)
		return -EPERM;
	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	pek = psp_copy_user_blob(input.pek_cert_address, input.pek_cert_len);
	if (IS_ERR(pek))
		return PTR_ERR(pek);
	oca = psp_copy_user_blob(input.oca_cert_address, input.oca_cert_len);
	if (IS_ERR(oca)) {
		ret = PTR_ERR(oca);
		goto out_free_pek;
	}
	data.pek_cert_address = __psp_pa(pek);
	data.pek_cert_len = input.pek_cert_len;
	data.oca_cert_address = __psp_pa(oca);
	data.oca_cert_len = input.oca_cert_len;

	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SEV,
					  &shutdown_required, &argp->error);
	if (!ret) {
		ret = __sev_do_cmd_locked(sev, SEV_CMD_PEK_CERT_IMPORT, &data,
					  &argp->error);
		__sev_transient_leave_locked(sev, SEV_INIT_FOR_SEV,
					     shutdown_required);
	}
	kfree(oca);
out_free_pek:
	kfree(pek);
	return ret;
}

static int sev_ioctl_do_platform_status(struct sev_device *sev,
					struct sev_issue_cmd *argp,
					bool writable)
{
	struct sev_user_data_status status;
	int ret;

	ret = __sev_platform_status_locked(sev, &status, &argp->error);
	if (ret)
		return ret;

	if (copy_to_user(u64_to_user_ptr(argp->data), &status, sizeof(status)))
		return -EFAULT;

	return 0;
}

/*
 * GET_ID2: the firmware says how long the ID is. A zero address or length,
 * or too short a buffer, gets the needed length back with
 * SEV_RET_INVALID_LEN. The driver never allocates more than the largest
 * firmware blob: a larger user buffer is simply not filled past that.
 */
static int sev_ioctl_do_get_id2(struct sev_device *sev,
				struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_get_id2 input;
	struct sev_data_get_id data = {};
	void *id_blob = NULL;
	u32 blob_len = 0;
	int ret;

	if (!sev_version_greater_or_equal(sev, 0, 16))
		return -ENOTSUPP;

	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	if (input.address && input.length) {
		blob_len = min_t(u32, input.length, SEV_FW_BLOB_MAX_SIZE);
		id_blob = kzalloc(blob_len, GFP_KERNEL);
		if (!id_blob)
			return -ENOMEM;
		data.address = __psp_pa(id_blob);
		data.len = blob_len;
	}

	ret = __sev_do_cmd_locked(sev, SEV_CMD_GET_ID, &data, &argp->error);

	/* The length the firmware wants or wrote goes back either way. */
	input.length = data.len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &input, sizeof(input))) {
		ret = -EFAULT;
		goto out_free;
	}
	if (ret)
		goto out_free;

	/* Never trust the firmware's length beyond the buffer it was given. */
	if (id_blob && data.len > blob_len)
		ret = -EIO;
	else if (id_blob &&
		 copy_to_user(u64_to_user_ptr(input.address), id_blob, data.len))
		ret = -EFAULT;

out_free:
	kfree(id_blob);
	return ret;
}

/* GET_ID: deprecated fixed-size form of GET_ID2, still used by AMD's tools. */
static int sev_ioctl_do_get_id(struct sev_device *sev,
			       struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_get_id *id;
	struct sev_data_get_id data;
	int ret;

	if (!sev_version_greater_or_equal(sev, 0, 16))
		return -ENOTSUPP;

	pr_warn_once("sev-psp: SEV_GET_ID is deprecated, use SEV_GET_ID2\n");

	id = kzalloc(sizeof(*id), GFP_KERNEL);
	if (!id)
		return -ENOMEM;

	data.address = __psp_pa(id);
	data.len = sizeof(*id);

	ret = __sev_do_cmd_locked(sev, SEV_CMD_GET_ID, &data, &argp->error);
	if (!ret && copy_to_user(u64_to_user_ptr(argp->data), id, sizeof(*id)))
		ret = -EFAULT;

	kfree(id);
	return ret;
}

static int sev_ioctl_do_snp_platform_status(struct sev_device *sev,
					    struct sev_issue_cmd *argp,
					    bool writable)
{
	struct sev_user_data_snp_status status;
	bool shutdown_required = false;
	int ret;

	if (!argp->data)
		return -EINVAL;

	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SNP,
					  &shutdown_required, &argp->error);
	if (ret)
		return ret;
	ret = __sev_snp_platform_status_locked(sev, &status, &argp->error);
	if (!ret && copy_to_user(u64_to_user_ptr(argp->data), &status,
				 sizeof(status)))
		ret = -EFAULT;
	__sev_transient_leave_locked(sev, SEV_INIT_FOR_SNP, shutdown_required);
	return ret;
}

static int sev_ioctl_do_snp_commit(struct sev_device *sev,
				   struct sev_issue_cmd *argp, bool writable)
{
	struct sev_data_snp_commit buf = { .len = sizeof(buf) };
	bool shutdown_required = false;
	int ret;

	/* No writable check: upstream allows committing from any fd. */
	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SNP,
					  &shutdown_required, &argp->error);
	if (ret)
		return ret;
	ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_COMMIT, &buf, &argp->error);
	__sev_transient_leave_locked(sev, SEV_INIT_FOR_SNP, shutdown_required);
	return ret;
}

static int sev_ioctl_do_snp_set_config(struct sev_device *sev,
				       struct sev_issue_cmd *argp,
				       bool writable)
{
	struct sev_user_data_snp_config config;
	bool shutdown_required = false;
	int ret;

	if (!argp->data)
		return -EINVAL;
	if (!writable)
		return -EPERM;
	if (copy_from_user(&config, u64_to_user_ptr(argp->data),
			   sizeof(config)))
		return -EFAULT;

	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SNP,
					  &shutdown_required, &argp->error);
	if (ret)
		return ret;
	ret = __sev_snp_config_locked(sev, &config, &argp->error);
	__sev_transient_leave_locked(sev, SEV_INIT_FOR_SNP, shutdown_required);
	return ret;
}

static int sev_ioctl_do_snp_vlek_load(struct sev_device *sev,
				      struct sev_issue_cmd *argp,
				      bool writable)
{
	struct sev_user_data_snp_wrapped_vlek_hashstick *hashstick;
	struct sev_user_data_snp_vlek_load input;
	bool shutdown_required = false;
	int ret;

	/*
	 * Upstream checks for a missing argument first, so a NULL data is
	 * -EINVAL even on a read-only file; userspace relies on that order.
	 */
	if (!argp->data)
		return -EINVAL;
	if (!writable)
		return -EPERM;
	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;
	if (input.len != sizeof(input) || input.vlek_wrapped_version != 0)
		return -EINVAL;

	hashstick = psp_copy_user_blob(input.vlek_wrapped_address,
				       sizeof(*hashstick));
	if (IS_ERR(hashstick))
		return PTR_ERR(hashstick);
	/* The firmware reads the driver's copy, never user memory. */
	input.vlek_wrapped_address = __psp_pa(hashstick);

	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SNP,
					  &shutdown_required, &argp->error);
	if (!ret) {
		ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_VLEK_LOAD, &input,
					  &argp->error);
		__sev_transient_leave_locked(sev, SEV_INIT_FOR_SNP,
					     shutdown_required);
	}
	kfree(hashstick);
	return ret;
}

typedef int (*sev_ioctl_fn)(struct sev_device *sev,
			    struct sev_issue_cmd *argp, bool writable);

static const sev_ioctl_fn sev_ioctls[SEV_MAX] = {
	[SEV_FACTORY_RESET] = sev_ioctl_do_reset,
	[SEV_PLATFORM_STATUS] = sev_ioctl_do_platform_status,
	[SEV_PEK_GEN] = sev_ioctl_do_pek_pdh_gen,
	[SEV_PEK_CSR] = sev_ioctl_do_pek_csr,
	[SEV_PDH_GEN] = sev_ioctl_do_pek_pdh_gen,
	[SEV_PDH_CERT_EXPORT] = sev_ioctl_do_pdh_export,
	[SEV_PEK_CERT_IMPORT] = sev_ioctl_do_pek_import,
	[SEV_GET_ID] = sev_ioctl_do_get_id,
	[SEV_GET_ID2] = sev_ioctl_do_get_id2,
	[SNP_PLATFORM_STATUS] = sev_ioctl_do_snp_platform_status,
	[SNP_COMMIT] = sev_ioctl_do_snp_commit,
	[SNP_SET_CONFIG] = sev_ioctl_do_snp_set_config,
	[SNP_VLEK_LOAD] = sev_ioctl_do_snp_vlek_load,
};

static long sev_ioctl(struct file *file, unsigned int ioctl, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	bool writable = file->f_mode & FMODE_WRITE;
	struct sev_issue_cmd input;
	struct psp_device *psp;
	struct sev_device *sev;
	sev_ioctl_fn fn;
	int ret;

	if (ioctl != SEV_ISSUE_CMD)
		return -EINVAL;

	if (copy_from_user(&input, argp, sizeof(input)))
		return -EFAULT;

	if (input.cmd >= SEV_PSP_CMD_BASE)
		fn = sev_ioctl_psp_cmd;
	else if (input.cmd < SEV_MAX)
		fn = sev_ioctls[array_index_nospec(input.cmd, SEV_MAX)];
	else
		fn = NULL;
	if (!fn)
		return -EINVAL;

	psp = psp_get_master();
	if (!psp)
		return -ENODEV;
	sev = &psp->sev;

	input.error = 0;
	mutex_lock(&sev->cmd_mutex);
	if (READ_ONCE(psp->removed))
		ret = -ENODEV;
	else
		ret = fn(sev, &input, writable);
	mutex_unlock(&sev->cmd_mutex);
	psp_put(psp);

	if (copy_to_user(argp, &input, sizeof(input)))
		ret = -EFAULT;

	return ret;
}

static const struct file_operations sev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = sev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

bool sev_file_is_dev_sev(struct file *file)
{
	return file->f_op == &sev_fops;
}

static struct miscdevice sev_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sev",
	.fops = &sev_fops,
	.mode = 0600,
};

/* /dev/sev exists while at least one PSP with SEV does. */
static DEFINE_MUTEX(sev_misc_lock);
static unsigned int sev_misc_users;

int sev_misc_get(void)
{
	int ret = 0;

	mutex_lock(&sev_misc_lock);
	if (!sev_misc_users)
		ret = misc_register(&sev_misc);
	if (!ret)
		sev_misc_users++;
	mutex_unlock(&sev_misc_lock);

	return ret;
}

void sev_misc_put(void)
{
	mutex_lock(&sev_misc_lock);
	if (!--sev_misc_users)
		misc_deregister(&sev_misc);
	mutex_unlock(&sev_misc_lock);
}
