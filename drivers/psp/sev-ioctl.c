// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/sev: the upstream psp-sev.h ioctl ABI.
 *
 * One ioctl, SEV_ISSUE_CMD, carries { cmd, data, error }. Each command has
 * one handler below. The firmware status reaches userspace unchanged in
 * .error (0 when the firmware was not reached), and the struct is copied
 * back on every path, as upstream does. Commands that change platform
 * state need a file opened for writing (-EPERM otherwise); status commands
 * work on a read-only file. One table dispatches upstream's command ids and
 * the project's own (include/uapi/linux/sev-psp.h).
 *
 * No user memory is touched under the command lock: each handler copies
 * its arguments in before sev_ioctl_lock() and its results out after
 * sev_ioctl_unlock(), so a caller whose buffer faults slowly (userfaultfd,
 * FUSE) holds off nobody else, neither other /dev/sev users nor KVM.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "psp.h"
#include "sev_psp_trace.h"
#include <sev-psp/api.h>
#include <linux/sev-psp.h>
#include <sev-psp/platform.h>

/**
 * psp_copy_user_blob() - copy a user blob the firmware will read
 * @uaddr:	user address
 * @len:	length, at most SEV_FW_BLOB_MAX_SIZE (16 KiB)
 *
 * Return: a kernel copy (kfree() it), or ERR_PTR(-EINVAL) for a zero
 * address or length or an oversized blob, or the error of the copy.
 */
void *psp_copy_user_blob(u64 uaddr, u32 len)
{
	if (!uaddr || !len)
		return ERR_PTR(-EINVAL);
	if (len > SEV_FW_BLOB_MAX_SIZE)
		return ERR_PTR(-EINVAL);

	return memdup_user(u64_to_user_ptr(uaddr), len);
}
EXPORT_SYMBOL_GPL(psp_copy_user_blob);

/*
 * The command lock of @sev for a handler's firmware part, unless the
 * device is going away (-ENODEV).
 */
static int sev_ioctl_lock(struct sev_device *sev)
{
	mutex_lock(&sev->cmd_mutex);
	if (READ_ONCE(sev_to_psp(sev)->removed)) {
		mutex_unlock(&sev->cmd_mutex);
		return -ENODEV;
	}
	return 0;
}

static void sev_ioctl_unlock(struct sev_device *sev)
{
	mutex_unlock(&sev->cmd_mutex);
}

/* A buffer the firmware writes a blob into, for the user buffer at uaddr */
struct sev_ioctl_blob {
	void *buf;	/* NULL: the caller asked only for the length */
	u32 room;	/* the size of buf, given to the firmware */
	u32 len;	/* the length the firmware wrote or wants */
	u64 uaddr;
};

/*
 * The tail of the commands that return blobs: @input (the user's struct,
 * holding the lengths the firmware wrote or wants) goes back in every
 * case; after a successful command (@ret 0) so do the blobs, but never
 * more of them than the buffers the firmware was given (-EIO: the
 * firmware's length is not trusted).
 */
static int sev_ioctl_blob_out(struct sev_issue_cmd *argp, const void *input,
			      size_t input_len, int ret,
			      const struct sev_ioctl_blob *blobs,
			      unsigned int n)
{
	unsigned int i;

	if (copy_to_user(u64_to_user_ptr(argp->data), input, input_len))
		return -EFAULT;
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		if (blobs[i].buf && blobs[i].len > blobs[i].room)
			return -EIO;
	for (i = 0; i < n; i++)
		if (blobs[i].buf &&
		    copy_to_user(u64_to_user_ptr(blobs[i].uaddr), blobs[i].buf,
				 blobs[i].len))
			return -EFAULT;
	return 0;
}

static int sev_ioctl_do_reset(struct sev_device *sev,
			      struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_status status;
	int ret;

	if (!writable)
		return -EPERM;
	ret = sev_ioctl_lock(sev);
	if (ret)
		return ret;

	/*
	 * FACTORY_RESET is only valid in UNINIT: a platform running guests
	 * (WORKING) is refused, one that is merely INIT is shut down first.
	 */
	ret = __sev_platform_status_locked(sev, &status, &argp->error);
	if (ret)
		goto out_unlock;

	if (status.state == SEV_STATE_WORKING) {
		ret = -EBUSY;
		goto out_unlock;
	}

	if (status.state == SEV_STATE_INIT) {
		ret = __sev_platform_shutdown_locked(sev, &argp->error);
		if (ret)
			goto out_unlock;
	}

	ret = __sev_do_cmd_locked(sev, SEV_CMD_FACTORY_RESET, NULL,
				  &argp->error);
out_unlock:
	sev_ioctl_unlock(sev);
	return ret;
}

/* PEK_GEN, PDH_GEN: no buffer, writable, transient INIT */
static int sev_ioctl_do_pek_pdh_gen(struct sev_device *sev,
				    struct sev_issue_cmd *argp, bool writable)
{
	bool shutdown_required = false;
	int ret;

	if (!writable)
		return -EPERM;
	ret = sev_ioctl_lock(sev);
	if (ret)
		return ret;
	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SEV,
					  &shutdown_required, &argp->error);
	if (!ret) {
		ret = __sev_do_cmd_locked(sev, argp->cmd == SEV_PEK_GEN ?
					  SEV_CMD_PEK_GEN : SEV_CMD_PDH_GEN,
					  NULL, &argp->error);
		__sev_transient_leave_locked(sev, SEV_INIT_FOR_SEV,
					     shutdown_required);
	}
	sev_ioctl_unlock(sev);
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
	struct sev_ioctl_blob csr = {};
	bool shutdown_required = false;
	int ret;

	if (!writable)
		return -EPERM;
	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	if (input.address && input.length) {
		if (input.length > SEV_FW_BLOB_MAX_SIZE)
			return -EFAULT;
		csr.room = input.length;
		csr.uaddr = input.address;
		csr.buf = kzalloc(csr.room, GFP_KERNEL);
		if (!csr.buf)
			return -ENOMEM;
		data.address = __psp_pa(csr.buf);
		data.len = csr.room;
	}

	ret = sev_ioctl_lock(sev);
	if (ret)
		goto out_free;
	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SEV,
					  &shutdown_required, &argp->error);
	if (ret) {
		sev_ioctl_unlock(sev);
		goto out_free;
	}
	ret = __sev_do_cmd_locked(sev, SEV_CMD_PEK_CSR, &data, &argp->error);
	__sev_transient_leave_locked(sev, SEV_INIT_FOR_SEV, shutdown_required);
	sev_ioctl_unlock(sev);

	/* the length the firmware wants or wrote, in every case */
	input.length = data.len;
	csr.len = data.len;
	ret = sev_ioctl_blob_out(argp, &input, sizeof(input), ret, &csr, 1);
out_free:
	kfree(csr.buf);
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
	struct sev_ioctl_blob out[2] = {};	/* the PDH, the chain */
	bool shutdown_required = false;
	int ret;

	/* Checked again under the lock: the state may change meanwhile. */
	if (!READ_ONCE(sev->sev_initialized) && !writable)
		return -EPERM;
	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	if (input.pdh_cert_address && input.pdh_cert_len &&
	    input.cert_chain_address && input.cert_chain_len) {
		if (input.pdh_cert_len > SEV_FW_BLOB_MAX_SIZE ||
		    input.cert_chain_len > SEV_FW_BLOB_MAX_SIZE)
			return -EFAULT;
		out[0].room = input.pdh_cert_len;
		out[0].uaddr = input.pdh_cert_address;
		out[1].room = input.cert_chain_len;
		out[1].uaddr = input.cert_chain_address;
		out[0].buf = kzalloc(out[0].room, GFP_KERNEL);
		out[1].buf = kzalloc(out[1].room, GFP_KERNEL);
		if (!out[0].buf || !out[1].buf) {
			ret = -ENOMEM;
			goto out_free;
		}
		data.pdh_cert_address = __psp_pa(out[0].buf);
		data.pdh_cert_len = out[0].room;
		data.cert_chain_address = __psp_pa(out[1].buf);
		data.cert_chain_len = out[1].room;
	}

	ret = sev_ioctl_lock(sev);
	if (ret)
		goto out_free;
	if (!sev->sev_initialized && !writable)
		ret = -EPERM;
	else
		ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SEV,
						  &shutdown_required,
						  &argp->error);
	if (ret) {
		sev_ioctl_unlock(sev);
		goto out_free;
	}
	ret = __sev_do_cmd_locked(sev, SEV_CMD_PDH_CERT_EXPORT, &data,
				  &argp->error);
	__sev_transient_leave_locked(sev, SEV_INIT_FOR_SEV, shutdown_required);
	sev_ioctl_unlock(sev);

	input.pdh_cert_len = data.pdh_cert_len;
	input.cert_chain_len = data.cert_chain_len;
	out[0].len = data.pdh_cert_len;
	out[1].len = data.cert_chain_len;
	ret = sev_ioctl_blob_out(argp, &input, sizeof(input), ret, out,
				 ARRAY_SIZE(out));
out_free:
	kfree(out[0].buf);
	kfree(out[1].buf);
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

	ret = sev_ioctl_lock(sev);
	if (ret)
		goto out_free_oca;
	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SEV,
					  &shutdown_required, &argp->error);
	if (!ret) {
		ret = __sev_do_cmd_locked(sev, SEV_CMD_PEK_CERT_IMPORT, &data,
					  &argp->error);
		__sev_transient_leave_locked(sev, SEV_INIT_FOR_SEV,
					     shutdown_required);
	}
	sev_ioctl_unlock(sev);
out_free_oca:
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

	ret = sev_ioctl_lock(sev);
	if (ret)
		return ret;
	ret = __sev_platform_status_locked(sev, &status, &argp->error);
	sev_ioctl_unlock(sev);
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
	struct sev_ioctl_blob id = {};
	int ret;

	/* A hot-load never goes below the committed version: read unlocked */
	if (!sev_version_greater_or_equal(sev, 0, 16))
		return -ENOTSUPP;

	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	if (input.address && input.length) {
		id.room = min_t(u32, input.length, SEV_FW_BLOB_MAX_SIZE);
		id.uaddr = input.address;
		id.buf = kzalloc(id.room, GFP_KERNEL);
		if (!id.buf)
			return -ENOMEM;
		data.address = __psp_pa(id.buf);
		data.len = id.room;
	}

	ret = sev_ioctl_lock(sev);
	if (ret) {
		kfree(id.buf);
		return ret;
	}
	ret = __sev_do_cmd_locked(sev, SEV_CMD_GET_ID, &data, &argp->error);
	sev_ioctl_unlock(sev);

	/* The length the firmware wants or wrote goes back either way. */
	input.length = data.len;
	id.len = data.len;
	ret = sev_ioctl_blob_out(argp, &input, sizeof(input), ret, &id, 1);
	kfree(id.buf);
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

	ret = sev_ioctl_lock(sev);
	if (!ret) {
		ret = __sev_do_cmd_locked(sev, SEV_CMD_GET_ID, &data,
					  &argp->error);
		sev_ioctl_unlock(sev);
	}
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

	ret = sev_ioctl_lock(sev);
	if (ret)
		return ret;
	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SNP,
					  &shutdown_required, &argp->error);
	if (!ret) {
		ret = __sev_snp_platform_status_locked(sev, &status,
						       &argp->error);
		__sev_transient_leave_locked(sev, SEV_INIT_FOR_SNP,
					     shutdown_required);
	}
	sev_ioctl_unlock(sev);
	if (!ret && copy_to_user(u64_to_user_ptr(argp->data), &status,
				 sizeof(status)))
		ret = -EFAULT;
	return ret;
}

static int sev_ioctl_do_snp_commit(struct sev_device *sev,
				   struct sev_issue_cmd *argp, bool writable)
{
	struct sev_data_snp_commit buf = { .len = sizeof(buf) };
	int ret;

	/*
	 * No writable check: upstream allows committing from any fd. And no
	 * transient SNP init: the firmware accepts SNP_COMMIT in any state
	 * (AMD's correction to table 5 of 56860; upstream dropped the init
	 * around it in 2026), so a read-only caller does not bring SNP up
	 * and down, with a WBINVD on every CPU, for it.
	 */
	if (!sev_snp_platform_enabled()) {
		argp->error = SEV_RET_INVALID_PLATFORM_STATE;
		return -ENODEV;
	}
	ret = sev_ioctl_lock(sev);
	if (ret)
		return ret;
	ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_COMMIT, &buf, &argp->error);
	sev_ioctl_unlock(sev);
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

	ret = sev_ioctl_lock(sev);
	if (ret)
		return ret;
	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SNP,
					  &shutdown_required, &argp->error);
	if (!ret) {
		ret = __sev_snp_config_locked(sev, &config, &argp->error);
		__sev_transient_leave_locked(sev, SEV_INIT_FOR_SNP,
					     shutdown_required);
	}
	sev_ioctl_unlock(sev);
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

	ret = sev_ioctl_lock(sev);
	if (ret)
		goto out_free;
	ret = __sev_transient_init_locked(sev, SEV_INIT_FOR_SNP,
					  &shutdown_required, &argp->error);
	if (!ret) {
		ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_VLEK_LOAD, &input,
					  &argp->error);
		__sev_transient_leave_locked(sev, SEV_INIT_FOR_SNP,
					     shutdown_required);
	}
	sev_ioctl_unlock(sev);
out_free:
	kfree(hashstick);
	return ret;
}

/* One layout for 64-bit and 32-bit callers: compat_ptr_ioctl converts none. */
static_assert(sizeof(struct sev_user_data_ext_snp_config) == 20);

/* SNP_SET_EXT_CONFIG: the reported TCB and the blob change together. */
static int sev_ioctl_do_snp_set_ext_config(struct sev_device *sev,
					   struct sev_issue_cmd *argp,
					   bool writable)
{
	struct sev_user_data_ext_snp_config input;
	struct sev_user_data_snp_config config;
	void *blob = NULL;
	int ret;

	if (!writable)
		return -EPERM;
	/* Checked again under the lock: the state may change meanwhile. */
	if (!READ_ONCE(sev->snp_initialized))
		return -ENODEV;
	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	if (input.config_address &&
	    copy_from_user(&config, u64_to_user_ptr(input.config_address),
			   sizeof(config)))
		return -EFAULT;

	if (input.certs_address) {
		if (!input.certs_len || !PAGE_ALIGNED(input.certs_len))
			return -EINVAL;
		blob = psp_copy_user_blob(input.certs_address, input.certs_len);
		if (IS_ERR(blob))
			return PTR_ERR(blob);
	}

	ret = sev_ioctl_lock(sev);
	if (ret)
		goto out_free;
	if (sev->snp_initialized)
		ret = __sev_snp_set_ext_config_locked(sev, input.config_address ?
						      &config : NULL, blob,
						      input.certs_len,
						      &argp->error);
	else
		ret = -ENODEV;
	sev_ioctl_unlock(sev);
out_free:
	kfree(blob);
	return ret;
}

/*
 * SNP_GET_EXT_CONFIG: too small a buffer gets the length and -ENOSR. The
 * configuration and the blob are one snapshot, taken under the lock and
 * copied out after it.
 */
static int sev_ioctl_do_snp_get_ext_config(struct sev_device *sev,
					   struct sev_issue_cmd *argp,
					   bool writable)
{
	struct sev_user_data_ext_snp_config input;
	struct sev_user_data_snp_config config;
	struct sev_psp_certs *c = NULL;
	u32 len;
	int ret;

	if (!READ_ONCE(sev->snp_initialized))
		return -ENODEV;
	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	ret = sev_ioctl_lock(sev);
	if (ret)
		return ret;
	if (sev->snp_initialized) {
		config = sev->snp_config;
		c = sev->certs;
		if (c)
			kref_get(&c->ref);
	} else {
		ret = -ENODEV;
	}
	sev_ioctl_unlock(sev);
	if (ret)
		return ret;
	len = c ? c->len : 0;

	if (input.config_address &&
	    copy_to_user(u64_to_user_ptr(input.config_address), &config,
			 sizeof(config))) {
		ret = -EFAULT;
		goto out_put;
	}

	if (input.certs_address) {
		if (input.certs_len < len) {
			input.certs_len = len;
			ret = copy_to_user(u64_to_user_ptr(argp->data), &input,
					   sizeof(input)) ? -EFAULT : -ENOSR;
			goto out_put;
		}
		if (len && copy_to_user(u64_to_user_ptr(input.certs_address),
					c->data, len)) {
			ret = -EFAULT;
			goto out_put;
		}
	}

	input.certs_len = len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &input, sizeof(input)))
		ret = -EFAULT;
out_put:
	sev_psp_snp_certs_put(c);
	return ret;
}

typedef int (*sev_ioctl_fn)(struct sev_device *sev,
			    struct sev_issue_cmd *argp, bool writable);

/* Every SEV_ISSUE_CMD command: upstream's ids and the project's own. */
static const struct sev_ioctl_desc {
	u32 cmd;
	const char *name;	/* for the trace */
	sev_ioctl_fn fn;
} sev_ioctls[] = {
#define SEV_IOCTL(cmd, fn)	{ cmd, #cmd, fn }
	SEV_IOCTL(SEV_FACTORY_RESET, sev_ioctl_do_reset),
	SEV_IOCTL(SEV_PLATFORM_STATUS, sev_ioctl_do_platform_status),
	SEV_IOCTL(SEV_PEK_GEN, sev_ioctl_do_pek_pdh_gen),
	SEV_IOCTL(SEV_PEK_CSR, sev_ioctl_do_pek_csr),
	SEV_IOCTL(SEV_PDH_GEN, sev_ioctl_do_pek_pdh_gen),
	SEV_IOCTL(SEV_PDH_CERT_EXPORT, sev_ioctl_do_pdh_export),
	SEV_IOCTL(SEV_PEK_CERT_IMPORT, sev_ioctl_do_pek_import),
	SEV_IOCTL(SEV_GET_ID, sev_ioctl_do_get_id),
	SEV_IOCTL(SEV_GET_ID2, sev_ioctl_do_get_id2),
	SEV_IOCTL(SNP_PLATFORM_STATUS, sev_ioctl_do_snp_platform_status),
	SEV_IOCTL(SNP_COMMIT, sev_ioctl_do_snp_commit),
	SEV_IOCTL(SNP_SET_CONFIG, sev_ioctl_do_snp_set_config),
	SEV_IOCTL(SNP_VLEK_LOAD, sev_ioctl_do_snp_vlek_load),
	/* include/uapi/linux/sev-psp.h */
	SEV_IOCTL(SNP_SET_EXT_CONFIG, sev_ioctl_do_snp_set_ext_config),
	SEV_IOCTL(SNP_GET_EXT_CONFIG, sev_ioctl_do_snp_get_ext_config),
#undef SEV_IOCTL
};

static const struct sev_ioctl_desc *sev_ioctl_lookup(u32 cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sev_ioctls); i++)
		if (sev_ioctls[i].cmd == cmd)
			return &sev_ioctls[i];
	return NULL;
}

static long sev_ioctl(struct file *file, unsigned int ioctl, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	bool writable = file->f_mode & FMODE_WRITE;
	const struct sev_ioctl_desc *desc;
	struct sev_issue_cmd input;
	struct psp_device *psp;
	struct sev_device *sev;
	int ret;

	if (ioctl != SEV_ISSUE_CMD)
		return -EINVAL;

	if (copy_from_user(&input, argp, sizeof(input)))
		return -EFAULT;
	input.error = 0;

	desc = sev_ioctl_lookup(input.cmd);
	psp = desc ? psp_get_master() : NULL;
	if (!psp) {
		/* no handler ran: nothing to copy back */
		ret = desc ? -ENODEV : -EINVAL;
		goto out_trace;
	}
	sev = &psp->sev;

	/* The handler takes the command lock for its firmware part only. */
	ret = READ_ONCE(psp->removed) ? -ENODEV :
					desc->fn(sev, &input, writable);
	psp_put(psp);

	if (copy_to_user(argp, &input, sizeof(input)))
		ret = -EFAULT;
out_trace:
	trace_sev_psp_ioctl(input.cmd, desc ? desc->name : "unknown", ret,
			    input.error);
	return ret;
}

/* /dev/sev's file operations: the device's life cycle registers it. */
const struct file_operations sev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = sev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

bool sev_file_is_dev_sev(struct file *file)
{
	return file->f_op == &sev_fops;
}
