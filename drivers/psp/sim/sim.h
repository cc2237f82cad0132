/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sev-psp-sim private header.
 *
 * A simulated PSP is a device on the sev-psp-sim bus with three parts:
 *   - a register window (sim-regs.c) implementing the PSP mailbox exactly
 *     as psp-backend.h describes it, with a real Linux IRQ for completions;
 *   - the SEV firmware model (sim-fw*.c), run for each command on the
 *     device's ordered workqueue and reading/writing its buffers through
 *     their physical addresses, as firmware does by DMA;
 *   - debugfs knobs (sim-debugfs.c) to inject delays, hangs and forced
 *     statuses, read the firmware state, and reset the device.
 *
 * Lock order: sim_devs_lock > sim_dev.lock > (sev-psp's locks) >
 * sim_fw.lock > sim_dev.regs_lock.
 */
#ifndef SEV_PSP_SIM_H
#define SEV_PSP_SIM_H

#include <linux/device.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/psp-sev.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "../psp-backend.h"

#define SIM_CHIP_ID_LEN		64

/* SEV PLATFORM_STATUS flags */
#define SIM_STATUS_OWNER_EXTERNAL	BIT(0)
#define SIM_STATUS_CONFIG_ES		SEV_STATUS_FLAGS_CONFIG_ES

/* The SEV firmware: its state changes only on the device's workqueue. */
struct sim_fw {
	struct mutex lock;		/* against debugfs readers and reset */
	u8 api_major;
	u8 api_minor;
	u8 build;
	enum sev_state state;
	bool owner_external;
	bool config_es;
	u32 guest_count;
	phys_addr_t tmr;
	u8 chip_id[SIM_CHIP_ID_LEN];
	/* statistics */
	u64 commands;
	u64 fw_ns;
};

/* Faults armed through debugfs, consumed one per command. */
struct sim_faults {
	unsigned int delay_ms;
	unsigned int delay_count;
	unsigned int hang_count;
	u16 status;
	unsigned int status_count;
};

struct sim_dev {
	struct device dev;
	struct mutex lock;		/* attach, detach, reset */
	bool dying;
	struct list_head node;		/* sim_devs, under sim_devs_lock */
	unsigned int id;
	const struct psp_vdata *vdata;

	/* register window */
	spinlock_t regs_lock;
	u32 cmdresp;
	u32 cmdbuff_lo;
	u32 cmdbuff_hi;
	u32 inten;
	u32 intsts;
	u32 feature;
	bool busy;			/* a command is with the firmware */
	bool hung;			/* ... and will never complete */
	u64 protocol_errors;		/* cmdresp written while busy */
	struct sim_faults faults;

	struct workqueue_struct *wq;
	struct delayed_work cmd_work;
	int irq;			/* < 0: no interrupt line */
	struct irq_work irq_work;

	struct sim_fw fw;
	struct psp_device *psp;		/* NULL while the driver has none */
	struct dentry *debugfs;
};

static inline struct sim_dev *to_sim_dev(struct device *dev)
{
	return container_of(dev, struct sim_dev, dev);
}

/* sim-bus.c */
extern bool sim_use_irq;
extern struct bus_type sim_bus;

/* sim-dev.c */
struct sim_dev *sim_dev_new(unsigned int id, const struct psp_vdata *vdata);
void sim_dev_del(struct sim_dev *sdev);
int sim_dev_reset(struct sim_dev *sdev);

/* sim-regs.c */
extern const struct psp_backend_ops sim_regs_ops;
int sim_regs_init(struct sim_dev *sdev);
void sim_regs_exit(struct sim_dev *sdev);
void sim_regs_quiesce(struct sim_dev *sdev);

/* sim-fw.c: command dispatch and the firmware's view of memory */
void sim_fw_init(struct sim_fw *fw);
void sim_fw_power_on(struct sim_fw *fw);
u16 sim_fw_run(struct sim_fw *fw, unsigned int cmd, phys_addr_t buf);
bool sim_fw_mem_ok(phys_addr_t pa, size_t len);
u16 sim_fw_read(phys_addr_t pa, void *dst, size_t len);
u16 sim_fw_write(phys_addr_t pa, const void *src, size_t len);
const char *sim_fw_state_name(enum sev_state state);

/* sim-fw-platform.c: SEV platform commands */
u16 sim_fw_init_cmd(struct sim_fw *fw, void *buf);
u16 sim_fw_shutdown(struct sim_fw *fw, void *buf);
u16 sim_fw_factory_reset(struct sim_fw *fw, void *buf);
u16 sim_fw_platform_status(struct sim_fw *fw, void *buf);
u16 sim_fw_get_id(struct sim_fw *fw, void *buf);

/* sim-debugfs.c */
void sim_debugfs_init(void);
void sim_debugfs_exit(void);
void sim_debugfs_add(struct sim_dev *sdev);
void sim_debugfs_remove(struct sim_dev *sdev);

#endif /* SEV_PSP_SIM_H */
