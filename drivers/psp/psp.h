/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sev-psp private header: the PSP device, its mailbox and its SEV part.
 *
 * Lock order, outermost first:
 *   psp_devices_lock (psp-core.c: the device list)
 *   sev_device.cmd_mutex (one SEV command sequence at a time)
 *     psp_device.mbox_lock (one command in the mailbox at a time)
 *     sev_platform_rwsem, read (sev-platform.c: the platform's RMP ops)
 *       and below it the platform's own locks
 * psp_devices_lock is never held while taking cmd_mutex: users take a
 * reference to the device (psp_get_master()) and drop the list lock first.
 */
#ifndef SEV_PSP_H
#define SEV_PSP_H

/* First: it decides which psp-sev.h definitions the kernel headers see. */
#include <sev-psp/kernel-compat.h>

#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <sev-psp/backend.h>

struct sev_psp_certs;

/* The command buffer bounce page: large enough for every command. */
#define PSP_CMD_BUF_SIZE	PAGE_SIZE

struct sev_device {
	/* Serialises SEV commands and every multi-command sequence. */
	struct mutex cmd_mutex;
	u8 api_major;
	u8 api_minor;
	u8 build;
	bool sev_initialized;
	bool snp_initialized;
	struct page *tmr;		/* SEV-ES TMR, NULL if none */
	unsigned int tmr_order;
	bool tmr_fw_owned;		/* made firmware-owned (SNP was up) */
	struct page *fw_cmd_page;	/* legacy command buffer once SNP is up */
	u64 leaked_pages;		/* firmware kept them */
	/*
	 * Pages named by commands that never completed: the firmware may
	 * still touch them, so they stay off the allocator until the backend
	 * has stopped it (psp->fw_reset).
	 */
	struct list_head abandoned;
	/* what the driver last configured with SNP_CONFIG */
	struct sev_user_data_snp_config snp_config;
	struct sev_psp_certs *certs;	/* published snapshot, or NULL */
	struct page *nv;		/* INIT_EX's NV buffer, or NULL */
	bool nv_fw_owned;
};

#define SEV_NV_LEN		SZ_32K

/* Why the platform is being initialised: sev_init_plan() */
enum sev_init_reason {
	SEV_INIT_PROBE,		/* probe: SEV INIT as psp_init_on_probe says */
	SEV_INIT_FOR_SEV,	/* a guest or a command needs SEV */
	SEV_INIT_FOR_SNP,	/* a command needs SNP, not SEV */
};

/* sev_init_plan() steps */
#define SEV_INIT_STEP_SNP	BIT(0)
#define SEV_INIT_STEP_SEV	BIT(1)

struct psp_mbox_stats {
	u64 commands;
	u64 failed;			/* firmware returned a status */
	u64 timeouts;
	/*
	 * Commands whose caller slept until the completion interrupt woke
	 * it, and the time from the handler to the caller running again:
	 * the driver's one wake-up per command (sev_bench).
	 */
	u64 irq_waits;
	u64 irq_wake_ns;
};

struct psp_device {
	struct psp_backend be;
	struct list_head node;		/* psp_devices, under psp_devices_lock */
	struct kref ref;
	const char *name;
	u64 epoch;			/* psp_list_add(): which PSP this is */
	u32 capability;
	struct dentry *debugfs;

	/* Mailbox, psp-mbox.c */
	struct mutex mbox_lock;
	wait_queue_head_t mbox_wq;
	void *cmd_buf;			/* driver-owned command buffer */
	bool mbox_irq;			/* completion IRQ requested */
	bool mbox_done;			/* set by the IRQ handler */
	u64 mbox_irq_ns;		/* when the handler set it */
	bool probing;			/* use psp_probe_timeout */
	unsigned int timeout_ms;	/* if set, overrides both timeouts */
	bool dead;			/* a command timed out: fail fast */
	bool aborting;			/* removal: abandon the mailbox */
	bool removed;			/* removal: refuse new commands */
	bool fw_reset;			/* removal: backend reset the firmware */
	struct psp_mbox_stats stats;

	struct sev_device sev;
};

static inline struct psp_device *sev_to_psp(struct sev_device *sev)
{
	return container_of(sev, struct psp_device, sev);
}

/*
 * Bottom-up, as drivers/psp/Kbuild lists the files: each calls only those
 * before it. (sev-platform.c's functions are in <sev-psp/platform.h>,
 * psp-dev.c's in <sev-psp/backend.h>.)
 */

/* psp-core.c: the device list */
struct psp_device *psp_get_master(void);
void psp_put(struct psp_device *psp);
void psp_list_add(struct psp_device *psp);
void psp_list_del(struct psp_device *psp);

/* sev-cmd.c: the firmware command table */
struct sev_cmd_region {
	u8 addr;		/* offset of a u64 address in the buffer */
	u8 len;			/* offset of its u32 length */
};

struct sev_cmd_desc {
	const char *name;
	u16 len;		/* command buffer size, 0 if none */
	bool fw_writes;		/* the firmware writes the command buffer */
	bool changes_nv;	/* it changes the firmware's NV state */
	u8 n_out;		/* (address, length) pairs it writes through */
	struct sev_cmd_region out[2];
	u8 n_in;		/* (address, length) pairs it reads */
	struct sev_cmd_region in[2];
	/* guest memory it writes in place (encrypts): not to be bounced */
	u8 n_inplace;
	struct sev_cmd_region inplace;
};

const struct sev_cmd_desc *sev_cmd_desc(unsigned int cmd);
int sev_cmd_buffer_len(unsigned int cmd);
const char *sev_cmd_name(unsigned int cmd);

/* sev-psp-trace.c: the trace events, in sev_psp_trace.h */

/* psp-mbox.c */
int psp_mbox_init(struct psp_device *psp);
void psp_mbox_exit(struct psp_device *psp);
void psp_mbox_abort(struct psp_device *psp);
void psp_mbox_unabort(struct psp_device *psp);
int psp_mbox_cmd(struct psp_device *psp, unsigned int cmd, void *data,
		 size_t len, int *status);
int psp_mbox_issue(struct psp_device *psp, unsigned int cmd, phys_addr_t pa,
		   int *status);
irqreturn_t psp_irq_handler(int irq, void *data);

/* sev-fw-pages.c: pages given to the firmware */
int __sev_fw_make_owned(struct sev_device *sev, struct page *page,
			unsigned int order);
struct page *__sev_fw_alloc_pages(struct sev_device *sev, gfp_t gfp,
				  unsigned int order);
void __sev_fw_free_pages(struct sev_device *sev, struct page *page,
			 unsigned int order, bool fw_owned);
int __sev_fw_free_pages_copy(struct sev_device *sev, struct page *page,
			     unsigned int order, void *dst, size_t len);
unsigned long __sev_reclaim_pages(struct sev_device *sev, u64 pfn,
				  unsigned long n);
void __sev_leak_pages(struct sev_device *sev, u64 pfn, unsigned long n);
void __sev_leak_caller_pages(struct sev_device *sev, u64 pfn, unsigned long n);
unsigned long __sev_take_pages(u64 pfn, unsigned long n);
void __sev_fw_abandon_pages(struct sev_device *sev, struct page *page,
			    unsigned int order);
void sev_fw_abandoned_release(struct sev_device *sev, bool fw_stopped);

/* sev-nv.c: INIT_EX and its NV file */
bool sev_init_ex_enabled(void);
int __sev_nv_get_locked(struct sev_device *sev, u64 *pa);
int __sev_nv_sync_locked(struct sev_device *sev);
void __sev_nv_put_locked(struct sev_device *sev);

/* sev-issue.c: issuing commands */
int __sev_do_cmd_locked(struct sev_device *sev, unsigned int cmd, void *data,
			int *psp_ret);
int sev_dev_do_cmd(struct sev_device *sev, unsigned int cmd, void *data,
		   int *psp_ret);
int __sev_platform_status_locked(struct sev_device *sev,
				 struct sev_user_data_status *status,
				 int *psp_ret);
bool sev_version_greater_or_equal(struct sev_device *sev, u8 major, u8 minor);

/* sev-init.c: platform init and shutdown */
unsigned int sev_init_plan(bool snp_platform, bool snp_up, bool sev_up,
			   enum sev_init_reason reason, bool init_on_probe);
bool sev_dlfw_ex_allowed(bool sev_up, u32 sev_guests);
int __sev_platform_init_locked(struct sev_device *sev,
			       enum sev_init_reason reason, u32 max_snp_asid,
			       int *error);
int __sev_platform_probe_init_locked(struct sev_device *sev);
int __sev_transient_init_locked(struct sev_device *sev,
				enum sev_init_reason reason,
				bool *shutdown_required, int *error);
void __sev_transient_leave_locked(struct sev_device *sev,
				  enum sev_init_reason reason,
				  bool shutdown_required);
int __sev_snp_platform_status_locked(struct sev_device *sev,
				     struct sev_user_data_snp_status *status,
				     int *error);
int __sev_platform_shutdown_locked(struct sev_device *sev, int *error);
int __sev_snp_shutdown_locked(struct sev_device *sev, int *error);
void __sev_firmware_shutdown_locked(struct sev_device *sev);

/* sev-certs.c: the certificate blob */
int __sev_snp_config_locked(struct sev_device *sev,
			    struct sev_user_data_snp_config *config,
			    int *error);
int __sev_snp_set_ext_config_locked(struct sev_device *sev,
				    struct sev_user_data_snp_config *config,
				    const void *blob, u32 len, int *error);
struct sev_psp_certs *__sev_certs_get_locked(struct sev_device *sev);
void sev_certs_destroy(struct sev_device *sev);

/* sev-fw-update.c: firmware hot-load */
int __sev_download_firmware_ex_locked(struct sev_device *sev, const void *image,
				      size_t len, bool commit, int *error);
extern const struct file_operations sev_fw_update_fops;

/* sev-ioctl.c: /dev/sev's ioctls */
extern const struct file_operations sev_fops;
bool sev_file_is_dev_sev(struct file *file);

/* sev-dev.c: the device's life cycle, /dev/sev's registration */
int sev_dev_init(struct psp_device *psp);
void sev_dev_shutdown(struct psp_device *psp);
void sev_dev_destroy(struct psp_device *psp);
int sev_misc_get(void);
void sev_misc_put(void);

/* psp-debugfs.c */
void psp_debugfs_init(void);
void psp_debugfs_exit(void);
void psp_debugfs_add(struct psp_device *psp);
void psp_debugfs_remove(struct psp_device *psp);

/* psp-pci.c */
int psp_pci_register(void);
void psp_pci_unregister(void);

#endif /* SEV_PSP_H */
