// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the PSP mailbox (drivers/psp/psp-mbox.c) against a fake backend:
 * completion by interrupt and by polling, status decoding and copy-back,
 * argument checks, timeout and the dead PSP, abort on removal, and the
 * interrupt handler's acknowledgment.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>

#include "fake_psp.h"

static void mbox_completes_by_interrupt(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, true);
	u8 data[12] = { 0x11, 0x22 };
	int status = -1;

	KUNIT_EXPECT_EQ(test, 0, psp_mbox_cmd(&f->psp, 0x4, data, sizeof(data),
					      &status));
	KUNIT_EXPECT_EQ(test, 0, status);
	KUNIT_EXPECT_EQ(test, 0xee, data[0]);	/* firmware's write came back */
	KUNIT_EXPECT_EQ(test, 0x22, data[1]);
	KUNIT_EXPECT_TRUE(test, f->last_written & PSP_CMDRESP_IOC);
	KUNIT_EXPECT_EQ(test, 0x4UL, FIELD_GET(PSP_CMDRESP_CMD, f->last_written));
	KUNIT_EXPECT_EQ(test, (u64)__psp_pa(f->psp.cmd_buf),
			(u64)f->hi << 32 | f->lo);
	KUNIT_EXPECT_EQ(test, 0U, f->intsts);	/* the handler acknowledged */
	fake_psp_free(f);
}

static void mbox_completes_by_polling(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, false);
	u8 data[4] = { 0x01 };
	int status = -1;

	KUNIT_EXPECT_EQ(test, 0, psp_mbox_cmd(&f->psp, 0x1, data, sizeof(data),
					      &status));
	KUNIT_EXPECT_EQ(test, 0, status);
	KUNIT_EXPECT_EQ(test, 0xfe, data[0]);
	KUNIT_EXPECT_FALSE(test, f->last_written & PSP_CMDRESP_IOC);
	fake_psp_free(f);
}

static void mbox_status_is_decoded_and_buffer_copied_back(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, true);
	u8 data[8] = { 0x0f };
	int status = 0;

	f->status = SEV_RET_INVALID_LEN;
	KUNIT_EXPECT_EQ(test, -EIO, psp_mbox_cmd(&f->psp, 0xc, data,
						 sizeof(data), &status));
	KUNIT_EXPECT_EQ(test, SEV_RET_INVALID_LEN, status);
	KUNIT_EXPECT_EQ(test, 0xf0, data[0]);	/* copied back on failure */

	f->status = 0xffff;	/* the whole 16-bit field reaches the caller */
	KUNIT_EXPECT_EQ(test, -EIO, psp_mbox_cmd(&f->psp, 0xc, data,
						 sizeof(data), &status));
	KUNIT_EXPECT_EQ(test, 0xffff, status);
	KUNIT_EXPECT_FALSE(test, f->psp.dead);
	fake_psp_free(f);
}

static void mbox_command_without_buffer_sends_zero_address(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, true);

	f->lo = 0x1234;
	f->hi = 0x5678;
	KUNIT_EXPECT_EQ(test, 0, psp_mbox_cmd(&f->psp, 0x2, NULL, 0, NULL));
	KUNIT_EXPECT_EQ(test, 0U, f->lo);
	KUNIT_EXPECT_EQ(test, 0U, f->hi);
	fake_psp_free(f);
}

static void mbox_rejects_bad_arguments(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, true);
	u8 data[8];
	int status = -1;

	KUNIT_EXPECT_EQ(test, -EINVAL, psp_mbox_cmd(&f->psp, 0x800, NULL, 0,
						    &status));
	KUNIT_EXPECT_EQ(test, 0, status);
	KUNIT_EXPECT_EQ(test, -EINVAL, psp_mbox_cmd(&f->psp, 0x4, NULL, 8, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, psp_mbox_cmd(&f->psp, 0x4, data, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, psp_mbox_cmd(&f->psp, 0x4, data,
						    PSP_CMD_BUF_SIZE + 1, NULL));
	KUNIT_EXPECT_EQ(test, 0U, f->submits);
	fake_psp_free(f);
}

static void mbox_timeout_kills_psp(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, true);
	u8 data[4] = { 0x33 };
	int status = -1;

	f->mode = FAKE_NEVER;
	f->psp.timeout_ms = 50;
	KUNIT_EXPECT_EQ(test, -ETIMEDOUT, psp_mbox_cmd(&f->psp, 0x4, data,
						       sizeof(data), &status));
	KUNIT_EXPECT_EQ(test, 0, status);
	KUNIT_EXPECT_EQ(test, 0x33, data[0]);	/* no copy-back after a timeout */
	KUNIT_EXPECT_TRUE(test, f->psp.dead);
	KUNIT_EXPECT_EQ(test, 1ULL, f->psp.stats.timeouts);

	/* Dead: fail fast, and never touch the mailbox again. */
	f->mode = FAKE_COMPLETE;
	KUNIT_EXPECT_EQ(test, -EBUSY, psp_mbox_cmd(&f->psp, 0x4, data,
						   sizeof(data), &status));
	KUNIT_EXPECT_EQ(test, 1U, f->submits);
	fake_psp_free(f);
}

static void mbox_timeout_by_polling(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, false);

	f->mode = FAKE_NEVER;
	f->psp.timeout_ms = 50;
	KUNIT_EXPECT_EQ(test, -ETIMEDOUT, psp_mbox_cmd(&f->psp, 0x2, NULL, 0,
						       NULL));
	KUNIT_EXPECT_TRUE(test, f->psp.dead);
	fake_psp_free(f);
}

struct mbox_waiter {
	struct fake_psp *f;
	int ret;
	struct completion done;
};

static int mbox_waiter_fn(void *arg)
{
	struct mbox_waiter *w = arg;

	w->ret = psp_mbox_cmd(&w->f->psp, 0x2, NULL, 0, NULL);
	complete(&w->done);
	return 0;
}

static void mbox_abort_releases_waiter_at_once(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, true);
	struct mbox_waiter w = { .f = f };
	struct task_struct *t;

	f->mode = FAKE_NEVER;
	f->psp.timeout_ms = 30000;
	init_completion(&w.done);
	t = kthread_run(mbox_waiter_fn, &w, "mbox-waiter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	msleep(50);
	KUNIT_EXPECT_EQ(test, 1U, f->submits);
	psp_mbox_abort(&f->psp);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&w.done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, -ENODEV, w.ret);
	/* The firmware may still be busy with it: the PSP counts as dead. */
	KUNIT_EXPECT_TRUE(test, f->psp.dead);
	fake_psp_free(f);
}

static void irq_handler_ignores_spurious_interrupts(struct kunit *test)
{
	struct fake_psp *f = fake_psp_new(test, true);

	f->intsts = 0;
	KUNIT_EXPECT_EQ(test, IRQ_NONE, psp_irq_handler(0, &f->psp));

	/* Completion bit without RESP: acknowledged, but nobody woken. */
	f->intsts = PSP_INT_CMD_COMPLETE;
	f->cmdresp = 0;
	f->psp.mbox_done = false;
	KUNIT_EXPECT_EQ(test, IRQ_HANDLED, psp_irq_handler(0, &f->psp));
	KUNIT_EXPECT_EQ(test, 0U, f->intsts);
	KUNIT_EXPECT_FALSE(test, f->psp.mbox_done);

	/* Other status bits are acknowledged too. */
	f->intsts = BIT(5);
	KUNIT_EXPECT_EQ(test, IRQ_HANDLED, psp_irq_handler(0, &f->psp));
	KUNIT_EXPECT_EQ(test, 0U, f->intsts);
	fake_psp_free(f);
}

static struct kunit_case psp_mbox_cases[] = {
	KUNIT_CASE(mbox_completes_by_interrupt),
	KUNIT_CASE(mbox_completes_by_polling),
	KUNIT_CASE(mbox_status_is_decoded_and_buffer_copied_back),
	KUNIT_CASE(mbox_command_without_buffer_sends_zero_address),
	KUNIT_CASE(mbox_rejects_bad_arguments),
	KUNIT_CASE(mbox_timeout_kills_psp),
	KUNIT_CASE(mbox_timeout_by_polling),
	KUNIT_CASE(mbox_abort_releases_waiter_at_once),
	KUNIT_CASE(irq_handler_ignores_spurious_interrupts),
	{}
};

static struct kunit_suite psp_mbox_suite = {
	.name = "psp_mbox",
	.test_cases = psp_mbox_cases,
};

kunit_test_suite(psp_mbox_suite);

MODULE_IMPORT_NS(SEV_PSP);
MODULE_IMPORT_NS(SEV_PSP_BACKEND);
MODULE_IMPORT_NS(SEV_PSP_KUNIT);
MODULE_LICENSE("GPL");
