// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/sev: SEV_ISSUE_CMD with every command id of <linux/psp-sev.h> and
 * the project's own (<linux/sev-psp.h>), each with its struct built as a
 * tool would and then, half the time, one field set wrong; the buffers it
 * points to end right before an inaccessible page. Also ids no handler
 * has, other ioctl numbers, read-only and wrong file descriptors.
 *
 * The commands that change the platform under everyone's feet
 * (SEV_FACTORY_RESET, SNP_SET_CONFIG, SNP_COMMIT, a new certificate blob
 * with SNP_SET_EXT_CONFIG) are among them on purpose: they interleave
 * with the other threads' VMs.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "sev_fuzz.h"

/* A SEV certificate (spec 55766, appendix C) and the chain's */
#define SEV_CERT_LEN		2084
#define SEV_CHAIN_LEN		(3 * SEV_CERT_LEN)
#define SEV_ID_LEN		64

/* The certificate blob's GUID table entries (struct sev_psp_cert_table_entry) */
static const uint8_t cert_guids[][16] = {
	SEV_PSP_GUID_VCEK, SEV_PSP_GUID_ASK, SEV_PSP_GUID_ARK, SEV_PSP_GUID_VLEK,
};

/* A buffer for the firmware to fill, and its address (maybe a bad one) */
static uint64_t out_buf(struct fz_thread *t, uint32_t len, const char *what)
{
	return fz_uaddr(t, fz_buf(t, len), len, what);
}

/* A buffer of @len random bytes for the firmware to read, and its address */
static uint64_t in_buf(struct fz_thread *t, uint32_t len, const char *what)
{
	void *p = fz_buf(t, len);

	fz_fill(t, p, len > FZ_BIG_LEN ? FZ_BIG_LEN : len);
	return fz_uaddr(t, p, len, what);
}

static void snp_config(struct fz_thread *t, struct sev_user_data_snp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->reported_tcb = fz_chance(t, 50) ? 0 : fz_rand64(&t->rng);
	c->mask_chip_id = fz_below(t, 2);
	c->mask_chip_key = fz_below(t, 2);
	if (fz_chance(t, 10))
		c->rsvd = fz_rand64(&t->rng);
	if (fz_chance(t, 10))
		c->rsvd1[fz_below(t, sizeof(c->rsvd1))] = 1;
}

/*
 * A certificate blob as snp-certs makes one: a GUID table (VCEK, ASK,
 * ARK, maybe VLEK) ended by a zero entry, each certificate after it, the
 * whole a page-aligned length of at most 16 KiB; then, sometimes, one
 * entry's offset or length wrong.
 */
static uint32_t cert_blob(struct fz_thread *t, uint8_t *blob, uint32_t size)
{
	struct sev_psp_cert_table_entry e;
	unsigned int n = 1 + fz_below(t, ARRAY_SIZE(cert_guids)), i;
	uint32_t table = (n + 1) * sizeof(e), each;

	memset(blob, 0, size);
	each = (size - table) / n;
	for (i = 0; i < n; i++) {
		memcpy(e.guid, cert_guids[i], sizeof(e.guid));
		e.offset = table + i * each;
		e.length = 1 + fz_below(t, each);
		fz_fill(t, blob + e.offset, e.length);
		if (i == n - 1 && fz_chance(t, 30)) {
			if (fz_chance(t, 50))
				e.offset = fz_len(t, e.offset);
			else
				e.length = fz_len(t, e.length);
			fz_note(t, "certs=bad-entry");
		}
		memcpy(blob + i * sizeof(e), &e, sizeof(e));
	}
	if (fz_chance(t, 5)) {
		/* no terminator: the table runs to the end */
		memset(blob + n * sizeof(e), 0xa5, size - n * sizeof(e));
		fz_note(t, "certs=no-end");
	}
	return size;
}

static uint64_t ext_config(struct fz_thread *t, bool set)
{
	static const struct fz_field fields[] = {
		FZ_FIELD(struct sev_user_data_ext_snp_config, config_address),
		FZ_FIELD(struct sev_user_data_ext_snp_config, certs_address),
		FZ_FIELD(struct sev_user_data_ext_snp_config, certs_len),
	};
	struct sev_user_data_ext_snp_config *x = fz_buf(t, sizeof(*x));
	struct sev_user_data_snp_config *c;
	uint32_t size = PAGE_SIZE << fz_below(t, 3);	/* 4, 8, 16 KiB */
	uint8_t *blob;

	memset(x, 0, sizeof(*x));
	if (fz_chance(t, 60)) {
		c = fz_buf(t, sizeof(*c));
		if (set)
			snp_config(t, c);
		x->config_address = fz_uaddr(t, c, sizeof(*c), "config");
	}
	if (fz_chance(t, set ? 70 : 80)) {
		blob = fz_buf(t, size);
		if (set)
			cert_blob(t, blob, size);
		x->certs_address = fz_uaddr(t, blob, size, "certs");
		x->certs_len = set ? size : fz_len(t, size);
	}
	fz_mutate(t, x, fields, ARRAY_SIZE(fields), 30);
	return (uintptr_t)x;
}

/* The command's data: its struct, filled as a tool would, maybe one field off */
static uint64_t cmd_data(struct fz_thread *t, uint32_t cmd)
{
	switch (cmd) {
	case SEV_PLATFORM_STATUS:
		return out_buf(t, sizeof(struct sev_user_data_status), "status");
	case SNP_PLATFORM_STATUS:
		return out_buf(t, sizeof(struct sev_user_data_snp_status),
			       "status");
	case SEV_GET_ID:
		return out_buf(t, sizeof(struct sev_user_data_get_id), "id");
	case SEV_PEK_CSR: {
		static const struct fz_field f[] = {
			FZ_FIELD(struct sev_user_data_pek_csr, address),
			FZ_FIELD(struct sev_user_data_pek_csr, length),
		};
		struct sev_user_data_pek_csr *d = fz_buf(t, sizeof(*d));

		d->length = fz_len(t, SEV_CERT_LEN);
		d->address = fz_chance(t, 10) ? 0 : out_buf(t, SEV_CERT_LEN, "csr");
		fz_mutate(t, d, f, ARRAY_SIZE(f), 40);
		return (uintptr_t)d;
	}
	case SEV_PDH_CERT_EXPORT: {
		static const struct fz_field f[] = {
			FZ_FIELD(struct sev_user_data_pdh_cert_export, pdh_cert_address),
			FZ_FIELD(struct sev_user_data_pdh_cert_export, pdh_cert_len),
			FZ_FIELD(struct sev_user_data_pdh_cert_export, cert_chain_address),
			FZ_FIELD(struct sev_user_data_pdh_cert_export, cert_chain_len),
		};
		struct sev_user_data_pdh_cert_export *d = fz_buf(t, sizeof(*d));

		d->pdh_cert_address = out_buf(t, SEV_CERT_LEN, "pdh");
		d->pdh_cert_len = SEV_CERT_LEN;
		d->cert_chain_address = out_buf(t, SEV_CHAIN_LEN, "chain");
		d->cert_chain_len = SEV_CHAIN_LEN;
		fz_mutate(t, d, f, ARRAY_SIZE(f), 50);
		return (uintptr_t)d;
	}
	case SEV_PEK_CERT_IMPORT: {
		static const struct fz_field f[] = {
			FZ_FIELD(struct sev_user_data_pek_cert_import, pek_cert_address),
			FZ_FIELD(struct sev_user_data_pek_cert_import, pek_cert_len),
			FZ_FIELD(struct sev_user_data_pek_cert_import, oca_cert_address),
			FZ_FIELD(struct sev_user_data_pek_cert_import, oca_cert_len),
		};
		struct sev_user_data_pek_cert_import *d = fz_buf(t, sizeof(*d));

		d->pek_cert_address = in_buf(t, SEV_CERT_LEN, "pek");
		d->pek_cert_len = SEV_CERT_LEN;
		d->oca_cert_address = in_buf(t, SEV_CERT_LEN, "oca");
		d->oca_cert_len = SEV_CERT_LEN;
		fz_mutate(t, d, f, ARRAY_SIZE(f), 50);
		return (uintptr_t)d;
	}
	case SEV_GET_ID2: {
		static const struct fz_field f[] = {
			FZ_FIELD(struct sev_user_data_get_id2, address),
			FZ_FIELD(struct sev_user_data_get_id2, length),
		};
		struct sev_user_data_get_id2 *d = fz_buf(t, sizeof(*d));

		d->length = fz_len(t, SEV_ID_LEN);
		d->address = out_buf(t, SEV_ID_LEN, "id");
		fz_mutate(t, d, f, ARRAY_SIZE(f), 30);
		return (uintptr_t)d;
	}
	case SNP_SET_CONFIG: {
		static const struct fz_field f[] = {
			FZ_FIELD(struct sev_user_data_snp_config, reported_tcb),
			{ 8, 4 },	/* the mask bits and rsvd */
			FZ_FIELD(struct sev_user_data_snp_config, rsvd1),
		};
		struct sev_user_data_snp_config *d = fz_buf(t, sizeof(*d));

		snp_config(t, d);
		fz_mutate(t, d, f, ARRAY_SIZE(f), 30);
		return (uintptr_t)d;
	}
	case SNP_VLEK_LOAD: {
		static const struct fz_field f[] = {
			FZ_FIELD(struct sev_user_data_snp_vlek_load, len),
			FZ_FIELD(struct sev_user_data_snp_vlek_load, vlek_wrapped_version),
			FZ_FIELD(struct sev_user_data_snp_vlek_load, rsvd),
			FZ_FIELD(struct sev_user_data_snp_vlek_load, vlek_wrapped_address),
		};
		struct sev_user_data_snp_vlek_load *d = fz_buf(t, sizeof(*d));

		memset(d, 0, sizeof(*d));
		d->len = sizeof(*d);
		d->vlek_wrapped_address =
			in_buf(t, sizeof(struct sev_user_data_snp_wrapped_vlek_hashstick),
			       "hashstick");
		fz_mutate(t, d, f, ARRAY_SIZE(f), 50);
		return (uintptr_t)d;
	}
	case SNP_SET_EXT_CONFIG:
		return ext_config(t, true);
	case SNP_GET_EXT_CONFIG:
		return ext_config(t, false);
	default:
		/* no data (FACTORY_RESET, PEK_GEN, PDH_GEN, COMMIT): noise */
		return fz_chance(t, 80) ? 0 : fz_rand64(&t->rng);
	}
}

/*
 * Commands that run the firmware whenever they succeed: the status reads
 * and the generators. (PEK_CSR and the export may answer a length query
 * without it; the EXT_CONFIG calls without config do not run it.)
 */
static bool fw_on_success(uint32_t cmd)
{
	switch (cmd) {
	case SEV_FACTORY_RESET:
	case SEV_PLATFORM_STATUS:
	case SEV_PEK_GEN:
	case SEV_PDH_GEN:
	case SEV_PEK_CERT_IMPORT:
	case SEV_GET_ID:
	case SNP_PLATFORM_STATUS:
	case SNP_COMMIT:
	case SNP_SET_CONFIG:
	case SNP_VLEK_LOAD:
		return true;
	default:
		return false;
	}
}

static const char * const cmd_names[] = {
	[SEV_FACTORY_RESET] = "FACTORY_RESET",
	[SEV_PLATFORM_STATUS] = "PLATFORM_STATUS",
	[SEV_PEK_GEN] = "PEK_GEN",
	[SEV_PEK_CSR] = "PEK_CSR",
	[SEV_PDH_GEN] = "PDH_GEN",
	[SEV_PDH_CERT_EXPORT] = "PDH_CERT_EXPORT",
	[SEV_PEK_CERT_IMPORT] = "PEK_CERT_IMPORT",
	[SEV_GET_ID] = "GET_ID",
	[SEV_GET_ID2] = "GET_ID2",
	[SNP_PLATFORM_STATUS] = "SNP_PLATFORM_STATUS",
	[SNP_COMMIT] = "SNP_COMMIT",
	[SNP_SET_CONFIG] = "SNP_SET_CONFIG",
	[SNP_VLEK_LOAD] = "SNP_VLEK_LOAD",
};

static uint32_t pick_cmd(struct fz_thread *t, const char **name)
{
	uint32_t r = fz_below(t, 100), cmd;

	if (r < 80) {
		/* upstream's ids, the platform-wide ones rarer */
		do {
			cmd = fz_below(t, SEV_MAX);
		} while ((cmd == SEV_FACTORY_RESET || cmd == SNP_COMMIT) &&
			 fz_chance(t, 80));
		*name = cmd_names[cmd];
		return cmd;
	}
	if (r < 87) {
		*name = "SNP_SET_EXT_CONFIG";
		return SNP_SET_EXT_CONFIG;
	}
	if (r < 94) {
		*name = "SNP_GET_EXT_CONFIG";
		return SNP_GET_EXT_CONFIG;
	}
	*name = "bad-id";
	switch (fz_below(t, 4)) {
	case 0:
		return SEV_MAX + fz_below(t, 4);
	case 1:
		return SEV_PSP_CMD_BASE + fz_below(t, 4) * (fz_below(t, 2) ? 1 : 3);
	case 2:
		return ~0U - fz_below(t, 2);
	default:
		return fz_rand64(&t->rng);
	}
}

void fz_sev_op(struct fz_thread *t)
{
	static const struct fz_field hdr_fields[] = {
		FZ_FIELD(struct sev_issue_cmd, cmd),
		FZ_FIELD(struct sev_issue_cmd, data),
		FZ_FIELD(struct sev_issue_cmd, error),
	};
	struct sev_issue_cmd io = { 0 }, *p;
	const char *name;
	unsigned long req = SEV_ISSUE_CMD;
	bool whole;
	int fd;

	/* read-only: the status commands only (EPERM for the rest) */
	fd = fz_chance(t, 10) ? t->sev_ro_fd : t->sev_fd;
	if (fd == t->sev_ro_fd)
		fz_note(t, "fd=ro");
	fd = fz_fd(t, fd, "fd");
	io.cmd = pick_cmd(t, &name);
	io.data = cmd_data(t, io.cmd);
	fz_mutate(t, &io, hdr_fields, ARRAY_SIZE(hdr_fields), 5);
	if (fz_chance(t, 3)) {
		/* another ioctl number: another type, size or direction */
		req = _IOC(fz_below(t, 4), fz_chance(t, 50) ? SEV_IOC_TYPE :
			   fz_below(t, 256), fz_below(t, 4),
			   fz_chance(t, 50) ? sizeof(io) : fz_below(t, 64));
		fz_note(t, "req=%#lx", req);
	}
	p = fz_place(t, FZ_AREA_IOCTL, &io, sizeof(io), &whole);
	/* a packed struct: its error field at no particular alignment */
	fz_ioctl(t, FZ_SEV, name, fd, req, p,
		 whole ? (uint8_t *)p + offsetof(struct sev_issue_cmd, error) : NULL,
		 req == SEV_ISSUE_CMD && io.cmd < SEV_MAX && fw_on_success(io.cmd));
}
