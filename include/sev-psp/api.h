/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sev-psp's in-kernel API beyond what <linux/psp-sev.h> declares: the
 * project's own additions, under the sev_psp_ prefix.
 */
#ifndef SEV_PSP_API_H
#define SEV_PSP_API_H

#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/types.h>

/*
 * A snapshot of the host-wide SNP certificate blob with the reported TCB
 * the firmware used when it was set. Both change only together, under the
 * PSP's command lock, so a snapshot taken there is never a report's TCB
 * paired with another TCB's certificates. Immutable; drop it with
 * sev_psp_snp_certs_put().
 */
struct sev_psp_certs {
	struct kref ref;
	u64 reported_tcb;
	bool mask_chip_id;
	bool mask_chip_key;
	u32 len;		/* 0: no blob */
	u8 data[];
};

struct sev_user_data_snp_config;

struct sev_psp_certs *sev_psp_snp_certs_get(void);
void sev_psp_snp_certs_put(struct sev_psp_certs *certs);

int sev_psp_snp_set_ext_config(const struct sev_user_data_snp_config *config,
			       const void *blob, u32 len, int *error);

struct sev_data_snp_guest_request;

/* SNP_GUEST_REQUEST; with @certs, the snapshot under the same lock. */
int sev_psp_snp_guest_request(struct sev_data_snp_guest_request *data,
			      struct sev_psp_certs **certs, u32 certs_room,
			      int *error);

/* Any firmware command, as upstream's sev_do_cmd() (6.9+). */
int sev_psp_do_cmd(int cmd, void *data, int *psp_ret);

/* Pages for the firmware: firmware-owned while SNP is up (sev-api.c). */
void *sev_psp_alloc_firmware_page(gfp_t gfp);
void sev_psp_free_firmware_page(void *addr);

/* SEV SHUTDOWN, then SNP_SHUTDOWN_EX: the order the firmware needs. */
int sev_psp_platform_shutdown(int *error);

/* Is SNP initialised in the firmware (SNP_INIT_EX done)? */
bool sev_psp_snp_initialized(void);

/* Which PSP the master is: a new value for each PSP added; 0: none */
u64 sev_psp_epoch(void);

/* Check a certificate blob's GUID table; 0 or -EINVAL. */
int sev_psp_cert_table_check(const void *blob, size_t len);

#endif /* SEV_PSP_API_H */
