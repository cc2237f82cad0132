// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-psp, the module: its debugfs root and the PCI backend. The simulator
 * is another module and adds its PSPs through psp_device_add().
 */
#include <linux/init.h>
#include <linux/module.h>

#include "psp.h"

static int __init psp_init(void)
{
	int ret;

	psp_debugfs_init();
	ret = psp_pci_register();
	if (ret)
		psp_debugfs_exit();
	return ret;
}

static void __exit psp_exit(void)
{
	psp_pci_unregister();
	psp_debugfs_exit();
}

module_init(psp_init);
module_exit(psp_exit);

MODULE_DESCRIPTION("AMD PSP driver for SEV and SEV-SNP (/dev/sev)");
MODULE_LICENSE("GPL");
