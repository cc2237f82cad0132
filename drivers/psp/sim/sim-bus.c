// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulator's bus and its driver, netdevsim style.
 *
 * Devices are created and removed at run time through the bus:
 *
 *   echo "ID [LAYOUT]" > /sys/bus/sev-psp-sim/new_device
 *   echo "ID"          > /sys/bus/sev-psp-sim/del_device
 *
 * LAYOUT picks the register layout of a PSP generation: 1, 2 (default)
 * or 6.
 *
 * The bus's one driver, "sev-psp", is what binds the driver to a device,
 * as psp-pci.c does for a PCI function: its probe hands the device's
 * register window to sev-psp (psp_device_add()) and its remove takes it
 * back (psp_device_remove()). The simulated hardware itself (sim-regs.c,
 * the firmware) never calls the driver; it only raises its interrupt.
 * Being a driver-core binding, it can be undone and redone from sysfs:
 *
 *   echo sevsim0 > /sys/bus/sev-psp-sim/drivers/sev-psp/unbind
 *   echo sevsim0 > /sys/bus/sev-psp-sim/drivers/sev-psp/bind
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mutex.h>

#include "sim.h"

static int sim_bus_probe(struct device *dev)
{
	struct sim_dev *sdev = to_sim_dev(dev);
	struct psp_backend be = {
		.dev = dev,
		.vdata = sdev->vdata,
		.ops = &sim_regs_ops,
		.ctx = sdev,
		.irq = sdev->irq,
	};
	struct psp_device *psp;
	int ret = 0;

	mutex_lock(&sdev->lock);
	if (sdev->resetting) {
		ret = -EBUSY;
		goto out_unlock;
	}
	psp = psp_device_add(&be);
	if (IS_ERR(psp)) {
		ret = PTR_ERR(psp);
		goto out_unlock;
	}
	sdev->psp = psp;
out_unlock:
	/* new_device and reset say why the driver has no PSP */
	sdev->probe_err = ret;
	mutex_unlock(&sdev->lock);
	return ret;
}

/* While the firmware still answers, as a PCI remove would. */
static void sim_bus_remove(struct device *dev)
{
	struct sim_dev *sdev = to_sim_dev(dev);

	mutex_lock(&sdev->lock);
	if (sdev->psp) {
		psp_device_remove(sdev->psp);
		sdev->psp = NULL;
	}
	mutex_unlock(&sdev->lock);
}

static DEFINE_MUTEX(sim_devs_lock);
static LIST_HEAD(sim_devs);
/* Set under sim_devs_lock when the module goes: no device is added after. */
static bool sim_bus_closing;

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

/**
 * sim_bus_dev_add() - a new simulated PSP, bound to sev-psp
 * @id:		its number, unique on the bus
 * @vdata:	the register layout it has
 *
 * Return: the device, or an ERR_PTR(): -EEXIST for an @id in use,
 * -ENODEV once the module is going, or the driver's probe error.
 */
struct sim_dev *sim_bus_dev_add(unsigned int id, const struct psp_vdata *vdata)
{
	struct sim_dev *sdev;
	int ret;

	mutex_lock(&sim_devs_lock);
	if (sim_bus_closing) {
		ret = -ENODEV;
		goto err_unlock;
	}
	if (sim_dev_find(id)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	sdev = sim_dev_new(&sim_bus, id, vdata);
	if (IS_ERR(sdev)) {
		ret = PTR_ERR(sdev);
		goto err_unlock;
	}
	/* A device the driver refused is no use to anyone. */
	ret = sdev->probe_err;
	if (ret)
		goto err_dev_del;

	sim_debugfs_add(sdev);
	list_add_tail(&sdev->node, &sim_devs);
	mutex_unlock(&sim_devs_lock);
	return sdev;

err_dev_del:
	sim_dev_del(sdev);
err_unlock:
	mutex_unlock(&sim_devs_lock);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_bus_dev_add);

/* Take away a device that is no longer on the list. */
static void sim_bus_dev_destroy(struct sim_dev *sdev)
{
	/* No reset from debugfs can be running after this. */
	sim_debugfs_remove(sdev);
	sim_dev_del(sdev);
}

void sim_bus_dev_del(struct sim_dev *sdev)
{
	mutex_lock(&sim_devs_lock);
	list_del(&sdev->node);
	mutex_unlock(&sim_devs_lock);
	sim_bus_dev_destroy(sdev);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_bus_dev_del);

static ssize_t new_device_store(SEV_PSP_BUS_CONST struct bus_type *bus,
				const char *buf, size_t count)
{
	unsigned int id, layout = 2;
	const struct psp_vdata *vdata;
	struct sim_dev *sdev;
	int n;

	n = sscanf(buf, "%u %u", &id, &layout);
	if (n < 1)
		return -EINVAL;
	vdata = sim_layout(layout);
	if (!vdata)
		return -EINVAL;

	sdev = sim_bus_dev_add(id, vdata);
	return IS_ERR(sdev) ? PTR_ERR(sdev) : count;
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

	sim_bus_dev_destroy(sdev);
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
	.probe = sim_bus_probe,
	.remove = sim_bus_remove,
};

/* Every device matches: the bus has this one driver. */
static struct device_driver sim_psp_driver = {
	.name = "sev-psp",
	.bus = &sim_bus,
	/* new_device reports the probe's result: it must have one. */
	.probe_type = PROBE_FORCE_SYNCHRONOUS,
};

int sim_bus_init(void)
{
	int ret;

	ret = bus_register(&sim_bus);
	if (ret)
		return ret;
	ret = driver_register(&sim_psp_driver);
	if (ret)
		bus_unregister(&sim_bus);
	return ret;
}

/*
 * Remove every device, then the driver and the bus. A new_device write
 * racing with this either added its device before (it is on the list and
 * goes with the rest) or finds the bus closing: none outlives the module.
 */
void sim_bus_exit(void)
{
	struct sim_dev *sdev, *tmp;
	LIST_HEAD(doomed);

	mutex_lock(&sim_devs_lock);
	sim_bus_closing = true;
	list_splice_init(&sim_devs, &doomed);
	mutex_unlock(&sim_devs_lock);

	list_for_each_entry_safe(sdev, tmp, &doomed, node) {
		list_del(&sdev->node);
		sim_bus_dev_destroy(sdev);
	}

	driver_unregister(&sim_psp_driver);
	bus_unregister(&sim_bus);
}
