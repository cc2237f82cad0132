/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake PSP backend for the mailbox and command-layer suites: a register
 * file with the v2 layout whose "firmware" answers at once (flipping the
 * first byte of the command buffer, so a test can see the copy-back) with
 * a chosen status, or never.
 */
#ifndef SEV_FAKE_PSP_H
#define SEV_FAKE_PSP_H

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/irqflags.h>

#include "psp.h"

enum fake_mode { FAKE_COMPLETE, FAKE_NEVER };

struct fake_psp {
	struct psp_device psp;
	enum fake_mode mode;
	u16 status;
	bool deliver_irq;	/* call the driver's handler on completion */
	u32 cmdresp, lo, hi, inten, intsts;
	u32 last_written;	/* last value written to cmdresp */
	unsigned int submits;
};

static u32 fake_read(void *ctx, u32 reg)
{
	struct fake_psp *f = ctx;
	const struct psp_vdata *vd = &psp_vdata_v2;

	if (reg == vd->cmdresp_reg)
		return f->cmdresp;
	if (reg == vd->intsts_reg)
		return f->intsts;
	if (reg == vd->inten_reg)
		return f->inten;
	if (reg == vd->feature_reg)
		return PSP_CAP_SEV;
	return 0;
}

static void fake_write(void *ctx, u32 reg, u32 val)
{
	struct fake_psp *f = ctx;
	const struct psp_vdata *vd = &psp_vdata_v2;
	unsigned long flags;
	phys_addr_t pa;

	if (reg == vd->cmdbuff_addr_lo_reg) {
		f->lo = val;
	} else if (reg == vd->cmdbuff_addr_hi_reg) {
		f->hi = val;
	} else if (reg == vd->inten_reg) {
		f->inten = val;
	} else if (reg == vd->intsts_reg) {
		f->intsts &= ~val;
	} else if (reg == vd->cmdresp_reg) {
		f->submits++;
		f->last_written = val;
		f->cmdresp = val;
		if (f->mode == FAKE_NEVER)
			return;
		pa = (u64)f->hi << 32 | f->lo;
		if (pa)
			*(u8 *)phys_to_virt(pa) ^= 0xff;
		f->cmdresp = PSP_CMDRESP_RESP | f->status;
		if ((val & PSP_CMDRESP_IOC) && f->deliver_irq) {
			f->intsts |= PSP_INT_CMD_COMPLETE;
			local_irq_save(flags);
			psp_irq_handler(0, &f->psp);
			local_irq_restore(flags);
		}
	}
}

/* The fake never completes late: dropping the command is all it takes. */
static void fake_quiesce(void *ctx)
{
	struct fake_psp *f = ctx;

	f->cmdresp = 0;
}

static const struct psp_backend_ops fake_ops = {
	.read = fake_read,
	.write = fake_write,
	.quiesce = fake_quiesce,
};

/* A fake PSP with its mailbox up; freed with the test. */
static inline struct fake_psp *fake_psp_new(struct kunit *test, bool irq)
{
	struct fake_psp *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->psp.be = (struct psp_backend){
		.vdata = &psp_vdata_v2,
		.ops = &fake_ops,
		.ctx = f,
		.irq = -1,
	};
	f->psp.name = "fake-psp";
	mutex_init(&f->psp.sev.cmd_mutex);
	INIT_LIST_HEAD(&f->psp.sev.abandoned);
	KUNIT_ASSERT_EQ(test, 0, psp_mbox_init(&f->psp));
	f->psp.probing = false;
	f->psp.timeout_ms = 2000;
	/* No Linux IRQ: the fake delivers completions by calling the handler. */
	f->psp.mbox_irq = irq;
	f->deliver_irq = irq;
	if (irq)
		f->inten = 0xffffffff;
	return f;
}

static inline void fake_psp_free(struct fake_psp *f)
{
	f->psp.mbox_irq = false;
	psp_mbox_exit(&f->psp);
}

#endif /* SEV_FAKE_PSP_H */
