/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register-level contract between sev-psp and a PSP backend.
 *
 * A backend is whatever gives the driver a PSP register window: the PCI
 * function of a real AMD PSP (psp-pci.c) or a simulated PSP on the
 * simulator's bus (drivers/psp/sim/). Both implement the same mailbox
 * protocol, so the driver has one code path for both:
 *
 *   1. the driver writes the command buffer's physical address to
 *      cmdbuff_addr_lo/hi and (cmd << 16) | IOC to cmdresp;
 *   2. the firmware reads the buffer by DMA, runs the command, writes the
 *      results back, sets cmdresp bit 31 with the status in bits 15:0 and,
 *      when IOC was set and interrupts are enabled, raises the interrupt
 *      with PSP_INT_CMD_COMPLETE in intsts;
 *   3. the driver acknowledges by writing intsts back, and reads cmdresp.
 *
 * A backend's bus driver binds the PSP to sev-psp: its probe calls
 * psp_device_add() and its remove psp_device_remove(), as the PCI driver
 * does for a PCI function and the simulator's bus driver (sim-bus.c) for a
 * simulated one, so the binding follows the driver core (sysfs unbind and
 * bind included). Apart from that, calls only go down: the device behind
 * a backend, hardware or simulated firmware, never calls into the driver
 * except by raising its interrupt line.
 */
#ifndef SEV_PSP_BACKEND_H
#define SEV_PSP_BACKEND_H

#include <linux/bits.h>
#include <linux/types.h>

struct device;
struct psp_device;

/* cmdresp: written by the driver */
#define PSP_CMDRESP_IOC		BIT(0)		/* interrupt on completion */
#define PSP_CMDRESP_CMD		GENMASK(26, 16)	/* SEV command id (11 bits) */
/* cmdresp: written by the firmware */
#define PSP_CMDRESP_RESP	BIT(31)		/* command done */
#define PSP_CMDRESP_STS		GENMASK(15, 0)	/* SEV_RET_* status */

/* intsts / inten */
#define PSP_INT_CMD_COMPLETE	BIT(1)

/* feature register (capability) */
#define PSP_CAP_SEV		BIT(0)
#define PSP_CAP_BROKEN_BIOS	0xffffffffU	/* register not accessible */

/*
 * Register offsets of one PSP generation. Device differences are data:
 * a backend picks the table that matches its hardware.
 */
struct psp_vdata {
	const char *name;
	u32 cmdresp_reg;
	u32 cmdbuff_addr_lo_reg;
	u32 cmdbuff_addr_hi_reg;
	u32 feature_reg;
	u32 inten_reg;
	u32 intsts_reg;
};

extern const struct psp_vdata psp_vdata_v1;	/* 1022:1456 */
extern const struct psp_vdata psp_vdata_v2;	/* 1022:1486, 1022:14CA */
extern const struct psp_vdata psp_vdata_v6;	/* 1022:156E */

/*
 * @read, @write: 32-bit register accessors. @ctx is the backend's own; both
 * must be callable from the driver's interrupt handler.
 * @quiesce: optional. Reset the firmware of a PSP the driver gave up on (a
 * command timed out or was abandoned at removal): stop the command in
 * flight and forget the platform state, so that the firmware writes no
 * memory the driver gave it any more. Without it, removal of such a PSP
 * leaks that memory (command buffer, TMR) rather than free it.
 */
struct psp_backend_ops {
	u32 (*read)(void *ctx, u32 reg);
	void (*write)(void *ctx, u32 reg, u32 val);
	void (*quiesce)(void *ctx);
};

struct psp_backend {
	struct device *dev;		/* parent; names the PSP in logs */
	const struct psp_vdata *vdata;
	const struct psp_backend_ops *ops;
	void *ctx;
	int irq;			/* completion IRQ, or < 0: poll */
};

/*
 * Add a PSP: probe its capability, bring up the SEV part and, for the
 * first PSP with SEV, /dev/sev. @be is copied. Returns the device or an
 * ERR_PTR(); -ENODEV when the PSP has no usable SEV.
 */
struct psp_device *psp_device_add(const struct psp_backend *be);

/*
 * Remove a PSP, while its firmware still answers (as a PCI remove would):
 * commands waiting on it are abandoned with -ENODEV, new ones are refused,
 * the platform is shut down if it still can be, and on return the driver no
 * longer touches the registers, the IRQ or memory it gave the firmware.
 */
void psp_device_remove(struct psp_device *psp);

#endif /* SEV_PSP_BACKEND_H */
