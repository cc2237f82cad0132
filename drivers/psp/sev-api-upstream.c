// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel SNP API under upstream's names, for kernels whose
 * <linux/psp-sev.h> declares it (6.9 and later; built only for those, see
 * drivers/psp/Kbuild): what their kvm-amd.ko imports from ccp.ko beside
 * the SEV API of sev-api.c. Each is the project's own call of the same
 * meaning, <sev-psp/api.h>.
 */
#include <linux/module.h>

#include "psp.h"
#include <sev-psp/api.h>

/**
 * sev_do_cmd() - issue any firmware command from the kernel
 * @cmd:	SEV or SNP command id
 * @data:	its buffer (NULL if none)
 * @psp_ret:	the firmware status
 *
 * Return: as sev_psp_do_cmd().
 */
int sev_do_cmd(int cmd, void *data, int *psp_ret)
{
	return sev_psp_do_cmd(cmd, data, psp_ret);
}
EXPORT_SYMBOL_GPL(sev_do_cmd);

/**
 * snp_alloc_firmware_page() - a page to give the firmware
 * @gfp_mask: allocation flags
 *
 * Firmware-owned in the RMP while SNP is initialised.
 * Return: its address, or NULL.
 */
void *snp_alloc_firmware_page(gfp_t gfp_mask)
{
	return sev_psp_alloc_firmware_page(gfp_mask);
}
EXPORT_SYMBOL_GPL(snp_alloc_firmware_page);

/**
 * snp_free_firmware_page() - give a firmware page back
 * @addr: what snp_alloc_firmware_page() returned, or NULL
 *
 * Reclaimed from the firmware first; a page the firmware keeps is leaked,
 * never freed.
 */
void snp_free_firmware_page(void *addr)
{
	sev_psp_free_firmware_page(addr);
}
EXPORT_SYMBOL_GPL(snp_free_firmware_page);
