// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated PSP's register window and completion interrupt.
 *
 * A write of cmdresp hands the command to the firmware model on the
 * device's ordered workqueue, after any injected delay, or never when a
 * hang is injected. The firmware's answer sets cmdresp.RESP with the status
 * and, when the driver asked for an interrupt and enabled it, raises
 * PSP_INT_CMD_COMPLETE on a real Linux IRQ from hardirq context (through
 * irq_work), so the driver's handler runs exactly as it would on hardware.
 */
#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>

#include "sim.h"

static bool sim_use_irq = true;
module_param_named(use_irq, sim_use_irq, bool, 0644);
MODULE_PARM_DESC(use_irq, "give new devices a completion interrupt (else the driver polls)");

static void sim_cmd_submit(struct sim_dev *sdev, u32 val)
{
	struct sim_faults *f = &sdev->faults;
	unsigned long delay = 0;
	unsigned int cmd;

	lockdep_assert_held(&sdev->regs_lock);

	if (sdev->busy) {
		/* The driver must wait for RESP before the next command. */
		sdev->protocol_errors++;
		return;
	}

	sdev->cmdresp = val & ~PSP_CMDRESP_RESP;
	sdev->busy = true;
	cmd = FIELD_GET(PSP_CMDRESP_CMD, val);

	if (f->hang_count && sim_fault_matches(f->hang_cmd, cmd)) {
		f->hang_count--;
		sdev->hung = true;
		return;
	}
	if (f->delay_count && sim_fault_matches(f->delay_cmd, cmd)) {
		f->delay_count--;
		delay = msecs_to_jiffies(f->delay_ms);
	}
	/* a delayed command's wait is the fault's, not the hand-off's */
	sdev->submit_ns = delay ? 0 : ktime_get_ns();
	queue_delayed_work(sdev->wq, &sdev->cmd_work, delay);
}

static u32 sim_reg_read(void *ctx, u32 reg)
{
	struct sim_dev *sdev = ctx;
	const struct psp_vdata *vd = sdev->vdata;
	unsigned long flags;
	u32 val = 0;

	spin_lock_irqsave(&sdev->regs_lock, flags);
	if (reg == vd->cmdresp_reg)
		val = sdev->cmdresp;
	else if (reg == vd->cmdbuff_addr_lo_reg)
		val = sdev->cmdbuff_lo;
	else if (reg == vd->cmdbuff_addr_hi_reg)
		val = sdev->cmdbuff_hi;
	else if (reg == vd->feature_reg)
		val = sdev->feature;
	else if (reg == vd->inten_reg)
		val = sdev->inten;
	else if (reg == vd->intsts_reg)
		val = sdev->intsts;
	spin_unlock_irqrestore(&sdev->regs_lock, flags);

	return val;
}

static void sim_reg_write(void *ctx, u32 reg, u32 val)
{
	struct sim_dev *sdev = ctx;
	const struct psp_vdata *vd = sdev->vdata;
	unsigned long flags;

	spin_lock_irqsave(&sdev->regs_lock, flags);
	if (reg == vd->cmdresp_reg)
		sim_cmd_submit(sdev, val);
	else if (reg == vd->cmdbuff_addr_lo_reg)
		sdev->cmdbuff_lo = val;
	else if (reg == vd->cmdbuff_addr_hi_reg)
		sdev->cmdbuff_hi = val;
	else if (reg == vd->inten_reg)
		sdev->inten = val;
	else if (reg == vd->intsts_reg)
		sdev->intsts &= ~val;		/* write one to clear */
	/* feature is read-only; anything else is not decoded */
	spin_unlock_irqrestore(&sdev->regs_lock, flags);
}

/* The driver gave up on this PSP: reset its firmware as a whole. */
static void sim_quiesce_op(void *ctx)
{
	struct sim_dev *sdev = ctx;

	sim_regs_quiesce(sdev);
	sim_fw_power_on(&sdev->fw);
}

const struct psp_backend_ops sim_regs_ops = {
	.read = sim_reg_read,
	.write = sim_reg_write,
	.quiesce = sim_quiesce_op,
};

static void sim_cmd_work(struct work_struct *work)
{
	struct sim_dev *sdev = container_of(to_delayed_work(work),
					    struct sim_dev, cmd_work);
	struct sim_faults *f = &sdev->faults;
	unsigned int cmd;
	phys_addr_t buf;
	bool forced = false, ioc, raise;
	u16 status = 0;

	spin_lock_irq(&sdev->regs_lock);
	if (sdev->submit_ns) {
		sdev->handoffs++;
		sdev->handoff_ns += ktime_get_ns() - sdev->submit_ns;
	}
	cmd = FIELD_GET(PSP_CMDRESP_CMD, sdev->cmdresp);
	ioc = sdev->cmdresp & PSP_CMDRESP_IOC;
	buf = (u64)sdev->cmdbuff_hi << 32 | sdev->cmdbuff_lo;
	if (f->status_count && sim_fault_matches(f->status_cmd, cmd)) {
		if (f->status_skip) {
			f->status_skip--;
		} else {
			f->status_count--;
			status = f->status;
			forced = true;
		}
	}
	spin_unlock_irq(&sdev->regs_lock);

	/* A forced status stands for a command the firmware refused. */
	if (!forced)
		status = sim_fw_run(&sdev->fw, cmd, buf);

	spin_lock_irq(&sdev->regs_lock);
	sdev->cmdresp = PSP_CMDRESP_RESP |
			(sdev->cmdresp & PSP_CMDRESP_CMD) |
			FIELD_PREP(PSP_CMDRESP_STS, status);
	sdev->busy = false;
	raise = ioc && (sdev->inten & PSP_INT_CMD_COMPLETE) && sdev->irq >= 0;
	if (raise)
		sdev->intsts |= PSP_INT_CMD_COMPLETE;
	spin_unlock_irq(&sdev->regs_lock);

	if (raise)
		irq_work_queue(&sdev->irq_work);
}

/* Runs in hardirq context: deliver the interrupt like a device would. */
static void sim_irq_work(struct irq_work *work)
{
	struct sim_dev *sdev = container_of(work, struct sim_dev, irq_work);

	generic_handle_irq(sdev->irq);
}

int sim_regs_init(struct sim_dev *sdev)
{
	spin_lock_init(&sdev->regs_lock);
	INIT_DELAYED_WORK(&sdev->cmd_work, sim_cmd_work);
	init_irq_work(&sdev->irq_work, sim_irq_work);
	sdev->feature = PSP_CAP_SEV;
	sdev->irq = -1;

	sdev->wq = alloc_ordered_workqueue("sevsim%u", 0, sdev->id);
	if (!sdev->wq)
		return -ENOMEM;

	if (!sim_use_irq)
		return 0;

	/*
	 * No owner module: the driver's request_irq() must not pin this
	 * module, or it could never be unloaded while a device exists.
	 * Devices free their IRQ only after the driver let go of it.
	 */
	sdev->irq = __irq_alloc_descs(-1, 0, 1, NUMA_NO_NODE, NULL, NULL);
	if (sdev->irq < 0) {
		destroy_workqueue(sdev->wq);
		return sdev->irq;
	}
	irq_set_chip_and_handler_name(sdev->irq, &dummy_irq_chip,
				      handle_simple_irq, "sevsim");
	irq_modify_status(sdev->irq, IRQ_NOREQUEST | IRQ_NOPROBE, 0);
	return 0;
}

/*
 * Reset the firmware's command engine: drop the command in flight (hung
 * or delayed) and wait until nothing can complete or interrupt any more.
 */
void sim_regs_quiesce(struct sim_dev *sdev)
{
	cancel_delayed_work_sync(&sdev->cmd_work);
	irq_work_sync(&sdev->irq_work);

	spin_lock_irq(&sdev->regs_lock);
	sdev->busy = false;
	sdev->hung = false;
	sdev->submit_ns = 0;
	sdev->cmdresp = 0;
	sdev->intsts = 0;
	spin_unlock_irq(&sdev->regs_lock);
}

void sim_regs_exit(struct sim_dev *sdev)
{
	sim_regs_quiesce(sdev);
	destroy_workqueue(sdev->wq);
	if (sdev->irq >= 0)
		irq_free_desc(sdev->irq);
}
