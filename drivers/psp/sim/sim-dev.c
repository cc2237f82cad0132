// SPDX-License-Identifier: GPL-2.0-only
/*
 * One simulated PSP: creation, removal and reset.
 *
 * Creating a device brings up its registers and firmware and then hands
 * the register window to sev-psp, which probes it as it would a PCI PSP.
 * Removal and reset go the other way, and always let the driver remove
 * its PSP while the firmware still answers, as a PCI remove would.
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

static int sim_dev_attach(struct sim_dev *sdev)
{
	struct psp_backend be = {
		.dev = &sdev->dev,
		.vdata = sdev->vdata,
		.ops = &sim_regs_ops,
		.ctx = sdev,
		.irq = sdev->irq,
	};
	struct psp_device *psp;

	psp = psp_device_add(&be);
	if (IS_ERR(psp))
		return PTR_ERR(psp);
	sdev->psp = psp;
	return 0;
}

static void sim_dev_detach(struct sim_dev *sdev)
{
	if (sdev->psp) {
		psp_device_remove(sdev->psp);
		sdev->psp = NULL;
	}
}

struct sim_dev *sim_dev_new(unsigned int id, const struct psp_vdata *vdata)
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
	sdev->dev.bus = &sim_bus;
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

	sim_debugfs_add(sdev);

	mutex_lock(&sdev->lock);
	ret = sim_dev_attach(sdev);
	mutex_unlock(&sdev->lock);
	if (ret)
		goto err_debugfs_remove;

	return sdev;

err_debugfs_remove:
	sim_debugfs_remove(sdev);
	device_del(&sdev->dev);
err_regs_exit:
	sim_regs_exit(sdev);
err_put:
	put_device(&sdev->dev);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_dev_new);

void sim_dev_del(struct sim_dev *sdev)
{
	mutex_lock(&sdev->lock);
	sdev->dying = true;
	sim_dev_detach(sdev);
	mutex_unlock(&sdev->lock);

	sim_debugfs_remove(sdev);
	device_del(&sdev->dev);
	sim_regs_exit(sdev);
	put_device(&sdev->dev);
}
EXPORT_SYMBOL_FOR_SIM_KUNIT(sim_dev_del);

/*
 * A PSP reset as a host would do it: the driver lets go of the device,
 * the PSP comes back powered on (persistent state kept, faults disarmed),
 * and the driver probes it afresh.
 */
int sim_dev_reset(struct sim_dev *sdev)
{
	int ret;

	mutex_lock(&sdev->lock);
	if (sdev->dying) {
		ret = -ENODEV;
		goto out_unlock;
	}
	sim_dev_detach(sdev);
	sim_regs_quiesce(sdev);

	spin_lock_irq(&sdev->regs_lock);
	memset(&sdev->faults, 0, sizeof(sdev->faults));
	spin_unlock_irq(&sdev->regs_lock);
	sim_fw_power_on(&sdev->fw);

	ret = sim_dev_attach(sdev);
out_unlock:
	mutex_unlock(&sdev->lock);
	return ret;
}
