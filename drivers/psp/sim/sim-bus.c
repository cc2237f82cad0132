// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-psp-sim: simulated AMD PSPs for sev-psp, created and removed at run
 * time, netdevsim style:
 *
 *   echo "ID [LAYOUT]" > /sys/bus/sev-psp-sim/new_device
 *   echo "ID"          > /sys/bus/sev-psp-sim/del_device
 *
 * LAYOUT picks the register layout of a PSP generation: 1, 2 (default)
 * or 6. The "devices" module parameter creates that many at load.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "sim.h"

static unsigned int sim_devices;
module_param_named(devices, sim_devices, uint, 0444);
MODULE_PARM_DESC(devices, "number of simulated PSPs to create at load (ids 0..N-1)");

bool sim_use_irq = true;
module_param_named(use_irq, sim_use_irq, bool, 0644);
MODULE_PARM_DESC(use_irq, "give new devices a completion interrupt (else the driver polls)");

static DEFINE_MUTEX(sim_devs_lock);
static LIST_HEAD(sim_devs);

static struct sim_dev *sim_dev_find(unsigned int id)
{
	struct sim_dev *sdev;

	lockdep_assert_held(&sim_devs_lock);
	list_for_each_entry(sdev, &sim_devs, node)
		if (sdev->id == id)
			return sdev;
	return NULL;
}

static const struct psp_vdata *sim_layout(unsigned int layout)
{
	switch (layout) {
	case 1:
		return &psp_vdata_v1;
	case 2:
		return &psp_vdata_v2;
	case 6:
		return &psp_vdata_v6;
	default:
		return NULL;
	}
}

static int sim_dev_create(unsigned int id, unsigned int layout)
{
	const struct psp_vdata *vdata = sim_layout(layout);
	struct sim_dev *sdev;
	int ret = 0;

	if (!vdata)
		return -EINVAL;

	mutex_lock(&sim_devs_lock);
	if (sim_dev_find(id)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	sdev = sim_dev_new(id, vdata);
	if (IS_ERR(sdev)) {
		ret = PTR_ERR(sdev);
		goto out_unlock;
	}
	list_add_tail(&sdev->node, &sim_devs);
out_unlock:
	mutex_unlock(&sim_devs_lock);
	return ret;
}

static ssize_t new_device_store(SEV_PSP_BUS_CONST struct bus_type *bus,
				const char *buf, size_t count)
{
	unsigned int id, layout = 2;
	int n, ret;

	n = sscanf(buf, "%u %u", &id, &layout);
	if (n < 1)
		return -EINVAL;

	ret = sim_dev_create(id, layout);
	return ret ? ret : count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(SEV_PSP_BUS_CONST struct bus_type *bus,
				const char *buf, size_t count)
{
	struct sim_dev *sdev;
	unsigned int id;
	int ret;

	ret = kstrtouint(buf, 0, &id);
	if (ret)
		return ret;

	mutex_lock(&sim_devs_lock);
	sdev = sim_dev_find(id);
	if (sdev)
		list_del(&sdev->node);
	mutex_unlock(&sim_devs_lock);

	if (!sdev)
		return -ENOENT;

	sim_dev_del(sdev);
	return count;
}
static BUS_ATTR_WO(del_device);

static struct attribute *sim_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	NULL
};
ATTRIBUTE_GROUPS(sim_bus);

struct bus_type sim_bus = {
	.name = "sev-psp-sim",
	.bus_groups = sim_bus_groups,
};

static void sim_del_all(void)
{
	struct sim_dev *sdev, *tmp;
	LIST_HEAD(doomed);

	mutex_lock(&sim_devs_lock);
	list_splice_init(&sim_devs, &doomed);
	mutex_unlock(&sim_devs_lock);

	list_for_each_entry_safe(sdev, tmp, &doomed, node) {
		list_del(&sdev->node);
		sim_dev_del(sdev);
	}
}

static int __init sim_init(void)
{
	unsigned int i;
	int ret;

	ret = sim_crypto_init();
	if (ret)
		return ret;

	sim_debugfs_init();

	ret = sim_rmp_init();
	if (ret)
		goto err_debugfs_exit;

	ret = bus_register(&sim_bus);
	if (ret)
		goto err_rmp_exit;

	for (i = 0; i < sim_devices; i++) {
		ret = sim_dev_create(i, 2);
		if (ret)
			goto err_del_all;
	}
	return 0;

err_del_all:
	sim_del_all();
	bus_unregister(&sim_bus);
err_rmp_exit:
	sim_rmp_exit();
err_debugfs_exit:
	sim_debugfs_exit();
	return ret;
}

static void __exit sim_exit(void)
{
	sim_del_all();
	bus_unregister(&sim_bus);
	sim_rmp_exit();
	sim_debugfs_exit();
}

module_init(sim_init);
module_exit(sim_exit);

MODULE_IMPORT_NS(SEV_PSP_BACKEND);
MODULE_DESCRIPTION("Simulated AMD PSP with SEV firmware, for sev-psp");
MODULE_LICENSE("GPL");
