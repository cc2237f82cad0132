// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host-wide SNP certificate blob: what extended guest requests return
 * beside the attestation report, set with the reported TCB in one call
 * (SNP_SET_EXT_CONFIG, from /dev/sev or the in-kernel API), and handed to
 * KVM as one snapshot {reported TCB, certificates}. The ioctls are in
 * sev-ioctl.c and the API in sev-api.c; this file keeps the blob.
 *
 * The blob and the firmware's reported TCB change only together, with the
 * SEV command lock held across the firmware's SNP_CONFIG and the swap of
 * the blob; readers take their snapshot under the same lock. The blob is
 * immutable once published: a snapshot is a reference to it.
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "psp.h"
#include <sev-psp/api.h>
#include <linux/sev-psp.h>

#define CERT_ENTRY_SIZE	sizeof(struct sev_psp_cert_table_entry)

/**
 * sev_psp_cert_table_check() - is this a well-formed certificate blob?
 * @blob:	the blob
 * @len:	its length
 *
 * The GUID table starts the blob: 24-byte entries ended by an all-zero
 * one, which must be inside the blob. Every other entry has a non-zero
 * GUID, not seen before in the table, and a non-empty certificate that
 * lies after the table and inside the blob.
 *
 * Return: 0 or -EINVAL.
 */
int sev_psp_cert_table_check(const void *blob, size_t len)
{
	const struct sev_psp_cert_table_entry *e = blob;
	static const u8 zero_guid[16];
	size_t n, i, j, table_end, end;

	/* Find the terminator; the table is everything before it. */
	for (n = 0;; n++) {
		if ((n + 1) * CERT_ENTRY_SIZE > len)
			return -EINVAL;
		if (!memchr_inv(&e[n], 0, CERT_ENTRY_SIZE))
			break;
	}
	table_end = (n + 1) * CERT_ENTRY_SIZE;

	for (i = 0; i < n; i++) {
		if (!memcmp(e[i].guid, zero_guid, sizeof(zero_guid)))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (!memcmp(e[i].guid, e[j].guid, sizeof(e[i].guid)))
				return -EINVAL;
		if (!e[i].length || e[i].offset < table_end)
			return -EINVAL;
		if (check_add_overflow((size_t)e[i].offset,
				       (size_t)e[i].length, &end) || end > len)
			return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(sev_psp_cert_table_check, SEV_PSP);

static void sev_certs_release(struct kref *ref)
{
	kvfree(container_of(ref, struct sev_psp_certs, ref));
}

void sev_psp_snp_certs_put(struct sev_psp_certs *certs)
{
	if (certs)
		kref_put(&certs->ref, sev_certs_release);
}
EXPORT_SYMBOL_NS_GPL(sev_psp_snp_certs_put, SEV_PSP);

/* A snapshot of @blob (may be NULL) with @config, not yet published. */
static struct sev_psp_certs *
sev_certs_new(const struct sev_user_data_snp_config *config, const void *blob,
	      u32 len)
{
	struct sev_psp_certs *c;

	c = kvzalloc(struct_size(c, data, len), GFP_KERNEL);
	if (!c)
		return NULL;
	kref_init(&c->ref);
	c->reported_tcb = config->reported_tcb;
	c->mask_chip_id = config->mask_chip_id;
	c->mask_chip_key = config->mask_chip_key;
	c->len = len;
	if (len)
		memcpy(c->data, blob, len);
	return c;
}

/* Publish @c in place of the current snapshot: this cannot fail. */
static void __sev_certs_swap_locked(struct sev_device *sev,
				    struct sev_psp_certs *c)
{
	struct sev_psp_certs *old = sev->certs;

	lockdep_assert_held(&sev->cmd_mutex);
	sev->certs = c;
	sev_psp_snp_certs_put(old);
}

/* A reference to the current snapshot; NULL without SNP or memory. */
struct sev_psp_certs *__sev_certs_get_locked(struct sev_device *sev)
{
	struct sev_psp_certs *c;

	lockdep_assert_held(&sev->cmd_mutex);
	if (!sev->snp_initialized)
		return NULL;
	if (!sev->certs) {
		c = sev_certs_new(&sev->snp_config, NULL, 0);
		if (!c)
			return NULL;
		__sev_certs_swap_locked(sev, c);
	}
	kref_get(&sev->certs->ref);
	return sev->certs;
}

/*
 * The firmware's SNP_CONFIG (if @config) and the blob that goes with it:
 * both change or neither. Everything that can fail on the driver's side
 * happens before the firmware is told.
 */
static int __sev_snp_config_certs_locked(struct sev_device *sev,
					 struct sev_user_data_snp_config *config,
					 const void *blob, u32 len, int *error)
{
	struct sev_psp_certs *c;
	int ret;

	c = sev_certs_new(config ?: &sev->snp_config, blob, len);
	if (!c)
		return -ENOMEM;
	if (config) {
		ret = __sev_do_cmd_locked(sev, SEV_CMD_SNP_CONFIG, config,
					  error);
		if (ret) {
			sev_psp_snp_certs_put(c);
			return ret;
		}
		sev->snp_config = *config;
	}
	__sev_certs_swap_locked(sev, c);
	return 0;
}

/* SNP_SET_CONFIG: a new TCB, the same blob (the snapshot follows). */
int __sev_snp_config_locked(struct sev_device *sev,
			    struct sev_user_data_snp_config *config,
			    int *error)
{
	const struct sev_psp_certs *old = sev->certs;

	return __sev_snp_config_certs_locked(sev, config,
					     old ? old->data : NULL,
					     old ? old->len : 0, error);
}

/*
 * SNP_SET_EXT_CONFIG's work: @config (NULL: keep the TCB) and the blob
 * (NULL: none) change together, after every check has passed.
 */
int __sev_snp_set_ext_config_locked(struct sev_device *sev,
				    struct sev_user_data_snp_config *config,
				    const void *blob, u32 len, int *error)
{
	int ret;

	if (!sev->snp_initialized)
		return -ENODEV;
	if (blob) {
		if (!len || !PAGE_ALIGNED(len) || len > SEV_FW_BLOB_MAX_SIZE)
			return -EINVAL;
		ret = sev_psp_cert_table_check(blob, len);
		if (ret)
			return ret;
	}
	return __sev_snp_config_certs_locked(sev, config, blob,
					     blob ? len : 0, error);
}

void sev_certs_destroy(struct sev_device *sev)
{
	sev_psp_snp_certs_put(sev->certs);
	sev->certs = NULL;
}
