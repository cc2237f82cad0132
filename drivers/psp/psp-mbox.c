// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PSP mailbox: one command at a time through cmdbuff_addr_lo/hi and
 * cmdresp, completed by interrupt or, without one, by polling cmdresp.
 *
 * A PSP whose command timed out is dead (as upstream's driver treats it):
 * the firmware may still be working on, or writing into, the command
 * buffer, so nothing else is sent to it and every later command fails at
 * once with -EBUSY. Only removing and re-adding the device revives it.
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>

#include "psp.h"
#include "sev_psp_trace.h"

static unsigned int psp_probe_timeout = 5;
module_param(psp_probe_timeout, uint, 0644);
MODULE_PARM_DESC(psp_probe_timeout, " default timeout value, in seconds, during PSP device probe");

static unsigned int psp_cmd_timeout = 100;
module_param(psp_cmd_timeout, uint, 0644);
MODULE_PARM_DESC(psp_cmd_timeout, " default timeout value, in seconds, for PSP commands");

static u32 psp_reg_read(struct psp_device *psp, u32 reg)
{
	return psp->be.ops->read(psp->be.ctx, reg);
}

static void psp_reg_write(struct psp_device *psp, u32 reg, u32 val)
{
	psp->be.ops->write(psp->be.ctx, reg, val);
}

irqreturn_t psp_irq_handler(int irq, void *data)
{
	struct psp_device *psp = data;
	const struct psp_vdata *vd = psp->be.vdata;
	u32 status;

	status = psp_reg_read(psp, vd->intsts_reg);
	if (!status)
		return IRQ_NONE;

	/* Acknowledge by writing back what was read. */
	psp_reg_write(psp, vd->intsts_reg, status);

	if ((status & PSP_INT_CMD_COMPLETE) &&
	    (psp_reg_read(psp, vd->cmdresp_reg) & PSP_CMDRESP_RESP)) {
		WRITE_ONCE(psp->mbox_irq_ns, ktime_get_ns());
		WRITE_ONCE(psp->mbox_done, true);
		wake_up(&psp->mbox_wq);
	}

	return IRQ_HANDLED;
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(psp_irq_handler);

static unsigned long psp_mbox_timeout(struct psp_device *psp)
{
	unsigned int secs;

	if (psp->timeout_ms)
		return msecs_to_jiffies(psp->timeout_ms);

	secs = psp->probing ? READ_ONCE(psp_probe_timeout) :
			      READ_ONCE(psp_cmd_timeout);

	return max_t(unsigned long, secs, 1) * HZ;
}

/*
 * Wait for cmdresp.RESP. Returns 0 with the final cmdresp in @reg,
 * -ETIMEDOUT, or -ENODEV when the command was abandoned for removal.
 */
static int psp_mbox_wait(struct psp_device *psp, u32 *reg)
{
	u32 cmdresp_reg = psp->be.vdata->cmdresp_reg;
	unsigned long deadline = jiffies + psp_mbox_timeout(psp);

	if (psp->mbox_irq) {
		bool waited = !READ_ONCE(psp->mbox_done);

		wait_event_timeout(psp->mbox_wq,
				   READ_ONCE(psp->mbox_done) ||
				   READ_ONCE(psp->aborting),
				   psp_mbox_timeout(psp));
		if (waited && READ_ONCE(psp->mbox_done)) {
			psp->stats.irq_waits++;
			psp->stats.irq_wake_ns += ktime_get_ns() -
						  READ_ONCE(psp->mbox_irq_ns);
		}
	} else {
		while (!(psp_reg_read(psp, cmdresp_reg) & PSP_CMDRESP_RESP) &&
		       !READ_ONCE(psp->aborting) &&
		       time_before(jiffies, deadline))
			usleep_range(10, 40);
	}

	if (READ_ONCE(psp->aborting))
		return -ENODEV;

	/* Also catches a completion whose interrupt went missing. */
	*reg = psp_reg_read(psp, cmdresp_reg);
	return (*reg & PSP_CMDRESP_RESP) ? 0 : -ETIMEDOUT;
}

/*
 * Send one command whose buffer is at @pa; mbox_lock held. The firmware
 * status goes to @status (0 when the firmware did not answer).
 */
static int psp_mbox_run(struct psp_device *psp, unsigned int cmd,
			phys_addr_t pa, u32 *status)
{
	const struct psp_vdata *vd = psp->be.vdata;
	u32 reg;
	int ret;

	if (READ_ONCE(psp->aborting))
		return -ENODEV;
	if (READ_ONCE(psp->dead))
		return -EBUSY;

	psp_reg_write(psp, vd->cmdbuff_addr_lo_reg, lower_32_bits(pa));
	psp_reg_write(psp, vd->cmdbuff_addr_hi_reg, upper_32_bits(pa));

	WRITE_ONCE(psp->mbox_done, false);
	reg = FIELD_PREP(PSP_CMDRESP_CMD, cmd);
	if (psp->mbox_irq)
		reg |= PSP_CMDRESP_IOC;
	psp_reg_write(psp, vd->cmdresp_reg, reg);

	psp->stats.commands++;
	ret = psp_mbox_wait(psp, &reg);
	if (ret == -ETIMEDOUT) {
		psp->stats.timeouts++;
		dev_err(psp->be.dev,
			"sev command %#x timed out, disabling PSP\n", cmd);
	}
	if (ret) {
		/* Timed out or abandoned: the firmware may still own it. */
		WRITE_ONCE(psp->dead, true);
		return ret;
	}

	*status = FIELD_GET(PSP_CMDRESP_STS, reg);
	if (*status) {
		psp->stats.failed++;
		dev_dbg(psp->be.dev, "sev command %#x failed: status %#x\n",
			cmd, *status);
		return -EIO;
	}
	return 0;
}

/* psp_mbox_run(), traced: every firmware command passes here. */
static int __psp_mbox_issue(struct psp_device *psp, unsigned int cmd,
			    phys_addr_t pa, int *status)
{
	u32 sts = 0;
	u64 start;
	int ret;

	lockdep_assert_held(&psp->mbox_lock);

	trace_sev_psp_cmd_start(psp->name, cmd);
	start = ktime_get_ns();
	ret = psp_mbox_run(psp, cmd, pa, &sts);
	trace_sev_psp_cmd_done(psp->name, cmd, sts, ret,
			       ktime_get_ns() - start);

	if (status)
		*status = sts;
	return ret;
}

/**
 * psp_mbox_cmd() - run one firmware command through the mailbox
 * @psp:	the PSP
 * @cmd:	SEV command id
 * @data:	command buffer contents, or NULL for a command without one
 * @len:	size of @data; must be 0 exactly when @data is NULL
 * @status:	if not NULL, the firmware status (SEV_RET_*), 0 when the
 *		firmware did not answer
 *
 * @data is bounced through the driver's own command buffer and copied back
 * after the command, also when the firmware failed it (it may have written
 * lengths the caller wants), but not after a timeout.
 *
 * Return: 0; -EIO when the firmware returned a non-zero status; -ETIMEDOUT
 * (the PSP is dead from then on); -EBUSY for a dead PSP; -ENODEV when the
 * device is being removed (an abandoned command also kills the PSP);
 * -EINVAL for a bad @cmd or @len.
 */
int psp_mbox_cmd(struct psp_device *psp, unsigned int cmd, void *data,
		 size_t len, int *status)
{
	int ret;

	if (status)
		*status = 0;
	if (cmd > FIELD_MAX(PSP_CMDRESP_CMD) || !data != !len ||
	    len > PSP_CMD_BUF_SIZE)
		return -EINVAL;

	mutex_lock(&psp->mbox_lock);
	if (len)
		memcpy(psp->cmd_buf, data, len);
	ret = __psp_mbox_issue(psp, cmd, len ? __psp_pa(psp->cmd_buf) : 0,
			       status);
	if (len && (!ret || ret == -EIO))
		memcpy(data, psp->cmd_buf, len);
	mutex_unlock(&psp->mbox_lock);

	return ret;
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(psp_mbox_cmd);

/**
 * psp_mbox_issue() - run a command whose buffer the caller placed itself
 * @psp:	the PSP
 * @cmd:	SEV command id
 * @pa:		physical address of the command buffer (0 for none)
 * @status:	as for psp_mbox_cmd()
 *
 * For command buffers that must be in memory of a particular kind, such as
 * a firmware-owned page once SNP is up. Returns as psp_mbox_cmd().
 */
int psp_mbox_issue(struct psp_device *psp, unsigned int cmd, phys_addr_t pa,
		   int *status)
{
	int ret;

	if (status)
		*status = 0;
	if (cmd > FIELD_MAX(PSP_CMDRESP_CMD))
		return -EINVAL;

	mutex_lock(&psp->mbox_lock);
	ret = __psp_mbox_issue(psp, cmd, pa, status);
	mutex_unlock(&psp->mbox_lock);

	return ret;
}

int psp_mbox_init(struct psp_device *psp)
{
	const struct psp_vdata *vd = psp->be.vdata;
	int ret;

	mutex_init(&psp->mbox_lock);
	init_waitqueue_head(&psp->mbox_wq);
	psp->probing = true;

	psp->cmd_buf = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!psp->cmd_buf)
		return -ENOMEM;

	/* Quiet and clean interrupt state before the handler goes in. */
	psp_reg_write(psp, vd->inten_reg, 0);
	psp_reg_write(psp, vd->intsts_reg, 0xffffffff);

	if (psp->be.irq >= 0) {
		ret = request_irq(psp->be.irq, psp_irq_handler, 0, psp->name,
				  psp);
		if (ret)
			dev_warn(psp->be.dev,
				 "irq %d unavailable (%d), polling the mailbox\n",
				 psp->be.irq, ret);
		else
			psp->mbox_irq = true;
	}

	if (psp->mbox_irq)
		psp_reg_write(psp, vd->inten_reg, 0xffffffff);

	return 0;
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(psp_mbox_init);

/*
 * Abandon the command in flight, if any, and refuse new ones until
 * psp_mbox_unabort(): the first step of removal.
 */
void psp_mbox_abort(struct psp_device *psp)
{
	WRITE_ONCE(psp->aborting, true);
	wake_up_all(&psp->mbox_wq);
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(psp_mbox_abort);

/* Let the remover use the mailbox once it alone holds it. */
void psp_mbox_unabort(struct psp_device *psp)
{
	lockdep_assert_held(&psp->sev.cmd_mutex);
	WRITE_ONCE(psp->aborting, false);
}

void psp_mbox_exit(struct psp_device *psp)
{
	if (psp->mbox_irq) {
		psp_reg_write(psp, psp->be.vdata->inten_reg, 0);
		free_irq(psp->be.irq, psp);
		psp->mbox_irq = false;
	}

	/*
	 * The firmware of a dead PSP may still be writing the command buffer:
	 * stop it if the backend can, otherwise the page is never reused.
	 */
	if (READ_ONCE(psp->dead) && psp->be.ops->quiesce) {
		psp->be.ops->quiesce(psp->be.ctx);
		psp->fw_reset = true;
	} else if (READ_ONCE(psp->dead)) {
		dev_warn(psp->be.dev, "PSP may still write its command buffer, leaking it\n");
		psp->cmd_buf = NULL;
	}
	free_page((unsigned long)psp->cmd_buf);
	psp->cmd_buf = NULL;
}
EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(psp_mbox_exit);
