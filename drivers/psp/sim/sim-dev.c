// SPDX-License-Identifier: GPL-2.0-only
/*
 * One simulated PSP as a device: its creation, removal and reset.
 *
 * A device is a struct device on the simulator's bus with a register
 * window and firmware behind it. This file only makes and unmakes it; the
 * bus's driver (sim-bus.c) binds sev-psp to it, as the PCI core binds a
 * PCI driver to a function. So removal and reset let the driver unbind
 * first, while the firmware still answers, as a PCI remove would.
 */
#include <linux/err.h>
#include <linux/slab.h>

#include "sim.h"

static void sim_dev_release(struct device *dev)
{
	struct sim_dev *sdev = to_sim_dev(dev);

	sim_fw_exit(&sdev->fw);
	kfree(sdev);
}

/**
 * sim_dev_new() - make a simulated PSP and add it to @bus
 * @bus:	the simulator's bus, whose driver binds sev-psp to the device
 * @id:		the device's number, sevsim@id
 * @vdata:	the register layout of the PSP generation it plays
 *
 * The bus's driver, if it is there, probes the device before this returns.
 *
 * Return: the device, or an ERR_PTR() if it could not be made.
 */
struct sim_dev *sim_dev_new(struct bus_type *bus, unsigned int id,
			    const struct psp_vdata *vdata)
{
	struct sim_dev *sdev;
	int ret;

	sdev = kzalloc(sizeof(*sdev), GFP_KERNEL);
	if (!sdev)
		return ERR_PTR(-ENOMEM);

	sdev->id = id;
	sdev->vdata = vdata;
	mutex_init(&sdev->lock);
	INIT_LIST_HEAD(&sdev->node);
	ret = sim_fw_init(&sdev->fw);
	if (ret) {
		sim_fw_exit(&sdev->fw);
		kfree(sdev);
		return ERR_PTR(ret);
	}

	device_initialize(&sdev->dev);
	sdev->dev.bus = bus;
	sdev->dev.release = sim_dev_release;
	ret = dev_set_name(&sdev->dev, "sevsim%u", id);
	if (ret)
		goto err_put;

	ret = sim_regs_init(sdev);
	if (ret)
		goto err_put;

	ret = device_add(&sdev->dev);
	if (ret)
		goto err_regs_exit;

	return sdev;

err_regs_exit:
	sim_regs_exit(sdev);
err_put:
	put_device(&sdev->dev);
	return ERR_PTR(ret);
}

/* Unbind the driver, then take the device away. */
void sim_dev_del(struct sim_dev *sdev)
{
	mutex_lock(&sdev->lock);
	sdev->dying = true;
	mutex_unlock(&sdev->lock);

	device_del(&sdev->dev);
	sim_regs_exit(sdev);
	put_device(&sdev->dev);
}

/*
 * A PSP reset as a host would do it: the driver lets go of the device,
 * the PSP comes back powered on (persistent state kept, faults disarmed),
 * and the driver probes it afresh. Return: 0 if the driver has the PSP
 * again, else why not.
 */
int sim_dev_reset(struct sim_dev *sdev)
{
	int ret = 0;

	/* No probe (a bind through sysfs) while the firmware resets. */
	mutex_lock(&sdev->lock);
	if (sdev->dying)
		ret = -ENODEV;
	else if (sdev->resetting)
		ret = -EBUSY;
	else
		sdev->resetting = true;
	mutex_unlock(&sdev->lock);
	if (ret)
		return ret;

	device_release_driver(&sdev->dev);

	mutex_lock(&sdev->lock);
	sim_regs_quiesce(sdev);
	spin_lock_irq(&sdev->regs_lock);
	memset(&sdev->faults, 0, sizeof(sdev->faults));
	spin_unlock_irq(&sdev->regs_lock);
	sim_fw_power_on(&sdev->fw);
	sdev->probe_err = 0;
	sdev->resetting = false;
	mutex_unlock(&sdev->lock);

	ret = device_attach(&sdev->dev);
	if (ret < 0)
		return ret;
	mutex_lock(&sdev->lock);
	ret = sdev->psp ? 0 : sdev->probe_err ?: -ENODEV;
	mutex_unlock(&sdev->lock);
	return ret;
}
