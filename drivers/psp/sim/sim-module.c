// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-psp-sim: simulated AMD PSPs for sev-psp, and the simulated platform
 * under them. Loading the module brings up the platform (its RMP, checked
 * on every page free, registered with sev-psp), then the bus, on which
 * devices are made at run time (sim-bus.c) or with "devices=N" at load.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "sim.h"

static unsigned int sim_devices;
module_param_named(devices, sim_devices, uint, 0444);
MODULE_PARM_DESC(devices, "number of simulated PSPs to create at load (ids 0..N-1)");

static int __init sim_init(void)
{
	struct sim_dev *sdev;
	unsigned int i;
	int ret;

	/* How this kernel's ECC takes a private key: asked once, first. */
	ret = sim_crypto_init();
	if (ret)
		return ret;

	sim_debugfs_init();
	sim_free_check_init();

	ret = sim_platform_init();
	if (ret)
		goto err_free_check_exit;

	ret = sim_bus_init();
	if (ret)
		goto err_platform_exit;

	for (i = 0; i < sim_devices; i++) {
		sdev = sim_bus_dev_add(i, &psp_vdata_v2);
		if (IS_ERR(sdev)) {
			ret = PTR_ERR(sdev);
			goto err_bus_exit;
		}
	}
	return 0;

err_bus_exit:
	sim_bus_exit();
err_platform_exit:
	sim_platform_exit();
err_free_check_exit:
	sim_free_check_exit();
	sim_rmp_exit();
	sim_debugfs_exit();
	sim_crypto_exit();
	return ret;
}

static void __exit sim_exit(void)
{
	sim_bus_exit();
	sim_platform_exit();
	sim_free_check_exit();
	sim_rmp_exit();
	sim_debugfs_exit();
	sim_crypto_exit();
}

module_init(sim_init);
module_exit(sim_exit);

MODULE_IMPORT_NS(SEV_PSP_BACKEND);
MODULE_DESCRIPTION("Simulated AMD PSP with SEV firmware, for sev-psp");
MODULE_LICENSE("GPL");
