/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sev-psp-sim private header.
 *
 * A simulated PSP is a device on the sev-psp-sim bus with three parts:
 *   - a register window (sim-regs.c) implementing the PSP mailbox exactly
 *     as <sev-psp/backend.h> describes it, with a real Linux IRQ for completions;
 *   - the SEV firmware model (sim-fw*.c), run for each command on the
 *     device's ordered workqueue and reading/writing its buffers through
 *     their physical addresses, as firmware does by DMA;
 *   - debugfs knobs (sim-debugfs.c) to inject delays, hangs and forced
 *     statuses, read the firmware state, and reset the device.
 * The bus's driver (sim-bus.c) binds sev-psp to each device. Under all of
 * them is the simulated platform: the RMP (sim-rmp.c), the page-free
 * checker (sim-free-check.c), and the platform ops sev-psp and KVM use
 * (sim-platform.c).
 *
 * Lock order: sim_devs_lock > device_lock > sim_dev.lock >
 * (sev-psp's locks) > sim_fw.lock > sim_dev.regs_lock.
 */
#ifndef SEV_PSP_SIM_H
#define SEV_PSP_SIM_H

/* First: it decides which psp-sev.h definitions the kernel headers see. */
#include <sev-psp/kernel-compat.h>

#include <linux/device.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <crypto/sha2.h>

#include <sev-psp/backend.h>
#include <sev-psp/platform.h>
#include <sev-psp/snp-msg.h>

/* The simulator's internals are exported to its KUnit suites only. */
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_FOR_SIM_KUNIT(sym) \
	EXPORT_SYMBOL_NS_GPL(sym, SEV_PSP_SIM_KUNIT)
#else
#define EXPORT_SYMBOL_FOR_SIM_KUNIT(sym)
#endif

#define SIM_CHIP_ID_LEN		64
#define SIM_CHIP_SECRET_LEN	32
#define SIM_P384_BYTES		48
#define SIM_NV_LEN		SZ_32K

/* SEV PLATFORM_STATUS flags */
#define SIM_STATUS_OWNER_EXTERNAL	BIT(0)
#define SIM_STATUS_CONFIG_ES		SEV_STATUS_FLAGS_CONFIG_ES

/* The SEV certificate format (SEV API appendix C) */
#define SIM_SEV_ECC_LEN			72
#define SIM_SEV_CERT_SIGNED_LEN		0x414
#define SIM_SEV_CURVE_P384		2
#define SIM_SEV_USAGE_OCA		0x1001
#define SIM_SEV_USAGE_PEK		0x1002
#define SIM_SEV_USAGE_PDH		0x1003
#define SIM_SEV_USAGE_CEK		0x1004
#define SIM_SEV_USAGE_INVALID		0x1000
#define SIM_SEV_ALGO_ECDSA_SHA256	0x2
#define SIM_SEV_ALGO_ECDH_SHA256	0x3

struct sim_sev_sig {
	u32 usage;
	u32 algo;
	u8 r[SIM_SEV_ECC_LEN];
	u8 s[SIM_SEV_ECC_LEN];
	u8 rsvd[0x200 - 2 * SIM_SEV_ECC_LEN];
} __packed;

struct sim_sev_cert {
	u32 version;
	u8 api_major;
	u8 api_minor;
	u8 rsvd[2];
	u32 pub_usage;
	u32 pub_algo;
	struct {
		u32 curve;
		u8 qx[SIM_SEV_ECC_LEN];
		u8 qy[SIM_SEV_ECC_LEN];
		u8 rsvd[0x404 - 4 - 2 * SIM_SEV_ECC_LEN];
	} __packed pub;
	struct sim_sev_sig sig[2];
} __packed;

/*
 * ATTESTATION's report (SEV API, spec 55766 rev 0.24, "ATTESTATION"):
 * the guest's launch digest with the caller's MNONCE, signed by the PEK.
 * SIG1 covers bytes 0h..33h (MNONCE, LAUNCH_DIGEST, POLICY), SHA-256 as
 * for the PEK's other signatures; its R and S are little-endian, 72 bytes
 * each, as in a certificate (appendix C.4).
 */
#define SIM_SEV_REPORT_SIGNED_LEN	0x34

struct sim_sev_attestation_report {
	u8 mnonce[16];
	u8 launch_digest[32];		/* SHA-256 */
	u32 policy;
	u32 sig_usage;			/* SIM_SEV_USAGE_PEK */
	u32 sig_algo;			/* SIM_SEV_ALGO_ECDSA_SHA256 */
	u32 rsvd;
	u8 sig_r[SIM_SEV_ECC_LEN];
	u8 sig_s[SIM_SEV_ECC_LEN];
} __packed;

/* What the platform keeps across power cycles (and INIT_EX's NV data) */
struct sim_pki_state {
	u8 oca_priv[SIM_P384_BYTES];	/* zero once the OCA is imported */
	u8 pek_priv[SIM_P384_BYTES];
	u8 pdh_priv[SIM_P384_BYTES];
	struct sim_sev_cert oca, pek, pdh;
} __packed;

struct sim_fw_pki {
	u8 cek_priv[SIM_P384_BYTES];	/* derived from the chip secret */
	struct sim_sev_cert cek;
	struct sim_pki_state st;
};

/* The simulator's firmware image (sim-fw-update.c) */
#define SIM_FW_IMAGE_MAGIC	"SEVSIMFW"
#define SIM_FW_IMAGE_MAX	SZ_1M

struct sim_fw_image {
	u8 magic[8];
	u8 api_major;
	u8 api_minor;
	u8 build;
	u8 snp_svn;		/* the SNP SVN of the TCB it brings */
	__le32 len;		/* of the whole image */
	u8 digest[48];		/* SHA-384 of the image with this zeroed */
} __packed;

/*
 * The simulator's VLEK hashstick (432 bytes, as SNP_VLEK_LOAD's): the
 * VLEK seed a key distribution service wraps for one chip and TCB, with
 * AES-256-GCM under a key derived from the chip secret (AAD: magic, tcb).
 */
#define SIM_VLEK_MAGIC		"SIMVLEK1"

struct sim_vlek_hashstick {
	u8 magic[8];
	__le64 tcb;
	u8 iv[12];
	u8 tag[16];
	u8 wrapped_seed[48];
	u8 rsvd[432 - 92];
} __packed;

/*
 * SNP_GUEST_REQUEST's counts (sim-fw-snp-msg.c), for the whole device: kept
 * across guests' decommission and power cycles, under sim_fw.lock.
 */
struct sim_snp_msg_stats {
	u64 iv_reuse;		/* answers refused: VMPCK and IV used before */
	u64 replayed;		/* requests with a sequence number taken */
	u64 skipped;		/* ... beyond the next one */
	u64 encrypted;		/* answers encrypted */
};

enum sim_snp_state {
	SIM_SNP_UNINIT = 0,
	SIM_SNP_INIT = 1,
};

/* TCB_VERSION: boot loader, TEE, SNP and microcode SVNs (bytes 0, 1, 6, 7) */
#define SIM_TCB(bl, tee, snp, ucode) \
	((u64)(bl) | (u64)(tee) << 8 | (u64)(snp) << 48 | (u64)(ucode) << 56)
#define SIM_TCB_SVN_BYTES	{ 0, 1, 6, 7 }

/*
 * The ASID space (CPUID 0x8000001F: ECX the largest ASID, EDX the first
 * plain-SEV one): ASIDs below SIM_MIN_SEV_ASID are for SEV-ES and SNP
 * guests, with ciphertext hiding the first max_snp_asid of them for SNP.
 */
#define SIM_MAX_ASID		128
#define SIM_MIN_SEV_ASID	101
#define SIM_MAX_SNP_ASID	(SIM_MIN_SEV_ASID - 1)
/* The C-bit's position: 51, as EPYC 7003 and 9004 report it */
#define SIM_CBIT		51
#define SIM_MAX_SEV_GUESTS	256	/* handles 1..256 */

/* SEV guest policy (spec 55766) */
#define SIM_POLICY_NODBG	BIT(0)
#define SIM_POLICY_ES		BIT(2)
#define SIM_POLICY_API_MAJOR(p)	(((p) >> 16) & 0xff)
#define SIM_POLICY_API_MINOR(p)	(((p) >> 24) & 0xff)

/* SNP guest policy (spec 56860) */
#define SIM_SNP_POLICY_ABI_MINOR(p)	((p) & 0xff)
#define SIM_SNP_POLICY_ABI_MAJOR(p)	(((p) >> 8) & 0xff)
#define SIM_SNP_POLICY_SMT		BIT_ULL(16)
#define SIM_SNP_POLICY_RSVD_MBO		BIT_ULL(17)
#define SIM_SNP_POLICY_MIGRATE_MA	BIT_ULL(18)
#define SIM_SNP_POLICY_DEBUG		BIT_ULL(19)
#define SIM_SNP_POLICY_KNOWN		GENMASK_ULL(24, 0)

enum sim_guest_state {
	SIM_GSTATE_LAUNCH,		/* SNP: GCTX_CREATE done */
	SIM_GSTATE_LUPDATE,		/* LAUNCH_START done */
	SIM_GSTATE_LSECRET,		/* SEV: LAUNCH_MEASURE done */
	SIM_GSTATE_RUNNING,		/* LAUNCH_FINISH done */
};

/*
 * A guest context. The real firmware keeps it encrypted in the context page
 * (SNP) or its own memory (SEV); the model keeps it here, keyed by the
 * context page's pfn or by the handle.
 */
struct sim_guest {
	bool snp;
	u32 handle;			/* SEV */
	u64 gctx_pfn;			/* SNP */
	enum sim_guest_state state;
	u32 asid;			/* 0: not active */
	u64 policy;

	/* SEV: the transport keys, the launch digest, its measurement */
	u8 tek[16];
	u8 tik[16];
	struct sha256_state ld;
	u8 measurement[32];

	/* SNP: what the launch measured and what the reports say */
	u8 digest[SIM_P384_BYTES];
	u8 gosvw[16];
	u8 vmpck[SNP_MSG_NR_VMPCK][SNP_MSG_VMPCK_LEN];
	u64 msg_seqno[SNP_MSG_NR_VMPCK];	/* the last one taken */
	u64 msg_sealed[SNP_MSG_NR_VMPCK];	/* highest answer IV, 0: none */
	u8 host_data[32];
	u8 report_id[32];
	/* from the ID block, zero without one (sim-fw-snp-id.c) */
	u8 family_id[16];
	u8 image_id[16];
	u32 guest_svn;
	u8 id_key_digest[SIM_P384_BYTES];
	u8 author_key_digest[SIM_P384_BYTES];
	bool author_key_en;
	u64 launch_tcb;
	bool vcek_disabled;
	bool secrets_given;
};

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
	u8 chip_id[SIM_CHIP_ID_LEN];	/* derived from the secret */
	u8 chip_secret[SIM_CHIP_SECRET_LEN];
	struct sim_fw_pki *pki;		/* persistent SEV keys */
	u64 nv_address;			/* INIT_EX's NV buffer, 0 if none */

	/* SEV-SNP (spec 56860) */
	bool snp_enabled;		/* the platform's SNPEn */
	enum sim_snp_state snp_state;
	bool rmp_initialized;
	u64 flush_mark;			/* wbinvd epoch a DF_FLUSH must pass */
	u32 snp_guest_count;
	u64 current_tcb;
	u64 reported_tcb;
	u64 committed_tcb;
	u8 committed_api_major;
	u8 committed_api_minor;
	u8 committed_build;
	bool mask_chip_id;
	bool mask_chip_key;
	bool vlek_en;
	u8 vlek_priv[SIM_P384_BYTES];	/* valid while vlek_en */
	bool ciphertext_hiding_en;
	u16 max_snp_asid;
	u64 hv_fixed_pages;
	u64 launches;			/* LAUNCH_STARTs of both kinds, never reset */

	/* guests (sim-fw-guest.c, sim-fw-snp-guest.c) */
	struct xarray sev_guests;	/* by handle */
	struct xarray snp_guests;	/* by context page pfn */
	struct sim_guest *asid_owner[SIM_MAX_ASID + 1];
	DECLARE_BITMAP(asid_dirty, SIM_MAX_ASID + 1);	/* needs DF_FLUSH */

	/* statistics */
	u64 commands;
	u64 fw_ns;
	struct sim_snp_msg_stats msg_stats;
};

/*
 * Faults armed through debugfs, consumed one per command; each applies to
 * every command, or only to one command id (*_cmd; -1: any), so a test can
 * fail the PAGE_RECLAIM after a command rather than the command itself.
 * Each *_cmd is set whenever its fault is armed.
 */
struct sim_faults {
	unsigned int delay_ms;
	unsigned int delay_count;
	int delay_cmd;
	unsigned int hang_count;
	int hang_cmd;
	u16 status;
	unsigned int status_count;
	int status_cmd;
	unsigned int status_skip;	/* matching commands let through first */
};

#define SIM_FAULT_CMD_MAX	0x3ff	/* cmdresp's command field */

static inline bool sim_fault_matches(int fault_cmd, unsigned int cmd)
{
	return fault_cmd < 0 || fault_cmd == cmd;
}

enum sim_fault_kind {
	SIM_FAULT_DELAY,
	SIM_FAULT_HANG,
	SIM_FAULT_STATUS,
};

#define SIM_NR_FAULT_KINDS	(SIM_FAULT_STATUS + 1)

struct sim_dev;

/* What a fault's debugfs file is for (sim-debugfs.c). */
struct sim_fault_file {
	struct sim_dev *sdev;
	enum sim_fault_kind kind;
};

struct sim_dev {
	struct device dev;
	struct mutex lock;		/* probe, remove, reset */
	bool dying;
	bool resetting;			/* no probe meanwhile */
	int probe_err;			/* the driver's last probe's */
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
	/*
	 * The hand-off of each command to the firmware model's worker, a
	 * thread wake-up that hardware does not have (its PSP is another
	 * processor): how many, and their time from cmdresp written to the
	 * worker running, so that sev_bench can tell it from the driver's.
	 */
	u64 handoffs;
	u64 handoff_ns;
	u64 submit_ns;			/* of the command in flight */
	struct sim_faults faults;

	struct workqueue_struct *wq;
	struct delayed_work cmd_work;
	int irq;			/* < 0: no interrupt line */
	struct irq_work irq_work;

	struct sim_fw fw;
	struct psp_device *psp;		/* NULL while the driver is not bound */
	struct dentry *debugfs;
	/*
	 * Not devm: devres goes at every unbind of the driver, and the files
	 * stay until the device goes.
	 */
	struct sim_fault_file fault_files[SIM_NR_FAULT_KINDS];
};

static inline struct sim_dev *to_sim_dev(struct device *dev)
{
	return container_of(dev, struct sim_dev, dev);
}

/*
 * The files, in layer order: each calls only into files above it in this
 * list (and into sev-psp), never below.
 */

/* sim-crypto.c */
int sim_crypto_init(void);
void sim_crypto_exit(void);
int sim_hmac_sha384(const void *key, size_t keylen, const void *data,
		    size_t len, u8 out[SIM_P384_BYTES]);
int sim_sha384(const void *data, size_t len, u8 out[SIM_P384_BYTES]);
int sim_sha384_bench(unsigned int pages, u64 *ns);
int sim_p384_derive_key(const void *secret, size_t secret_len,
			const char *label, const void *ctx, size_t ctx_len,
			u8 priv[SIM_P384_BYTES]);
int sim_p384_public_key(const u8 priv[SIM_P384_BYTES],
			u8 x[SIM_P384_BYTES], u8 y[SIM_P384_BYTES]);
int sim_ecdsa_p384_sign(const u8 priv[SIM_P384_BYTES],
			const u8 digest[SIM_P384_BYTES],
			u8 r_out[SIM_P384_BYTES], u8 s_out[SIM_P384_BYTES]);
int sim_ecdsa_p384_verify(const u8 *x, const u8 *y, const u8 *digest,
			  const u8 *r, const u8 *s);
int sim_hmac_sha256(const void *key, size_t keylen, const void *data,
		    size_t len, u8 out[32]);
int sim_sev_kdf(const void *key, size_t keylen, const char *label,
		const void *ctx, size_t ctx_len, u8 *out, size_t len);
int sim_p384_ecdh(const u8 priv[SIM_P384_BYTES], const u8 x[SIM_P384_BYTES],
		  const u8 y[SIM_P384_BYTES], u8 shared[SIM_P384_BYTES]);
int sim_aes128_ctr(const u8 key[16], const u8 iv[16], u8 *data, size_t len);
void sim_p384_to_le72(u8 *dst, const u8 *be);
bool sim_p384_from_le72(u8 *be, const u8 *src);
int sim_aes256_gcm(bool encrypt, const u8 *key, const u8 *iv, const void *aad,
		   size_t aad_len, u8 *data, size_t len, u8 *tag);

/* sim-rmp.c: the RMP; the host's instructions, and the firmware's access */
int sim_insn_rmpupdate(u64 pfn, const struct rmp_state *s);
int sim_insn_psmash(u64 pfn);
int sim_insn_rmpread(u64 pfn, struct rmp_state *out);
int sim_rmp_fw_set(u64 pfn, const struct rmp_state *s);
void sim_rmp_fw_lookup(u64 pfn, struct rmp_state *out);
int sim_rmp_fw_add_fixed(u64 pfn, u64 count);
bool sim_rmp_is_fw_page(u64 pfn);
u64 sim_rmp_assigned_count(void);
bool sim_rmp_is_assigned(u64 pfn, struct rmp_state *out);
void sim_rmp_exit(void);

/* sim-free-check.c: no assigned page may reach the page allocator */
void sim_free_check_init(void);
void sim_free_check_exit(void);
u64 sim_free_check_bad_frees(void);
bool sim_free_check_expect_bad(void);
int sim_free_check_expected_left(void);

/* sim-platform.c: SNPEn, WBINVD, and the platform ops sev-psp uses */
extern bool sim_snp_enabled;
void sim_platform_wbinvd(void);
u64 sim_platform_wbinvd_epoch(void);
int sim_platform_init(void);
void sim_platform_exit(void);

/* sim-fw-chip.c: the chip's identity, keys and shipped firmware */
int sim_fw_chip_init(struct sim_fw *fw);
bool sim_fw_api_ok(const struct sim_fw *fw, u32 major, u32 minor);
bool sim_fw_tcb_le(u64 tcb, u64 limit);
int sim_fw_vcek(struct sim_fw *fw, u64 tcb, u8 priv[SIM_P384_BYTES]);
int sim_fw_vlek_wrap_key(struct sim_fw *fw, u8 key[32]);
int sim_fw_vlek_hashstick(struct sim_fw *fw, u64 tcb,
			  struct sim_vlek_hashstick *hs);
int sim_fw_launch_key(struct sim_fw *fw, const char *label, u32 index,
		      u8 *out, size_t len);

/* sim-fw-mem.c: the firmware's access to host memory */
bool sim_fw_is_ram(phys_addr_t pa, size_t len);
u16 sim_fw_read(phys_addr_t pa, void *dst, size_t len);
u16 sim_fw_write(phys_addr_t pa, const void *src, size_t len);
u16 sim_fw_check_output(struct sim_fw *fw, u64 pa, u32 len);

/* sim-fw-asid.c: ASIDs, and the flushes their reuse needs */
void sim_fw_require_wbinvd(struct sim_fw *fw);
bool sim_fw_wbinvd_done(struct sim_fw *fw);
u16 sim_fw_asid_bind(struct sim_fw *fw, struct sim_guest *g, u32 asid);
void sim_fw_asid_unbind(struct sim_fw *fw, struct sim_guest *g);
void sim_fw_asids_flushed(struct sim_fw *fw);

/* sim-fw-nv.c: the persistent state in INIT_EX's NV buffer */
u16 sim_fw_nv_load(struct sim_fw *fw, u64 nv_address);
u16 sim_fw_nv_save(struct sim_fw *fw);

/* sim-fw-pki.c: SEV platform keys and certificates */
int sim_fw_pki_init(struct sim_fw *fw);
void sim_fw_pki_exit(struct sim_fw *fw);
int sim_fw_pki_reset(struct sim_fw *fw);
u16 sim_fw_pek_gen(struct sim_fw *fw, void *buf);
u16 sim_fw_pdh_gen(struct sim_fw *fw, void *buf);
u16 sim_fw_pek_csr(struct sim_fw *fw, void *buf);
u16 sim_fw_pdh_cert_export(struct sim_fw *fw, void *buf);
u16 sim_fw_pek_cert_import(struct sim_fw *fw, void *buf);
int sim_fw_pek_sign(struct sim_fw *fw, const void *data, size_t len,
		    u8 r[SIM_SEV_ECC_LEN], u8 s[SIM_SEV_ECC_LEN]);

/* sim-fw-guest.c: guest contexts, and the SEV guest commands */
void sim_fw_guests_init(struct sim_fw *fw);
void sim_fw_guests_drop(struct sim_fw *fw, bool snp);
struct sim_guest *sim_fw_sev_guest(struct sim_fw *fw, u32 handle);
struct sim_guest *sim_fw_snp_guest(struct sim_fw *fw, u64 gctx_paddr);
u16 sim_fw_sev_guest_cmd(struct sim_fw *fw, u32 handle, struct sim_guest **g);
u16 sim_fw_activate(struct sim_fw *fw, void *buf);
u16 sim_fw_deactivate(struct sim_fw *fw, void *buf);
u16 sim_fw_decommission(struct sim_fw *fw, void *buf);
u16 sim_fw_guest_status(struct sim_fw *fw, void *buf);

/* sim-fw-platform.c: SEV platform commands */
u16 sim_fw_init_cmd(struct sim_fw *fw, void *buf);
u16 sim_fw_init_ex(struct sim_fw *fw, void *buf);
u16 sim_fw_shutdown(struct sim_fw *fw, void *buf);
u16 sim_fw_df_flush(struct sim_fw *fw, void *buf);
u16 sim_fw_factory_reset(struct sim_fw *fw, void *buf);
u16 sim_fw_platform_status(struct sim_fw *fw, void *buf);
u16 sim_fw_get_id(struct sim_fw *fw, void *buf);
const char *sim_fw_state_name(enum sev_state state);

/* sim-fw-update.c: SNP_DOWNLOAD_FIRMWARE_EX */
u16 sim_fw_download_ex(struct sim_fw *fw, void *buf);

/* sim-fw-sev-launch.c: SEV guests' launch, and its attestation */
u16 sim_fw_launch_start(struct sim_fw *fw, void *buf);
u16 sim_fw_launch_update_data(struct sim_fw *fw, void *buf);
u16 sim_fw_launch_update_vmsa(struct sim_fw *fw, void *buf);
u16 sim_fw_launch_measure(struct sim_fw *fw, void *buf);
u16 sim_fw_launch_secret_cmd(struct sim_fw *fw, void *buf);
u16 sim_fw_launch_finish(struct sim_fw *fw, void *buf);
u16 sim_fw_attestation_report(struct sim_fw *fw, void *buf);

/* sim-fw-sev-debug.c: DBG_DECRYPT, DBG_ENCRYPT */
u16 sim_fw_dbg(struct sim_fw *fw, void *buf);

/* sim-fw-snp.c: SEV-SNP platform commands */
u16 sim_fw_snp_init_ex(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_shutdown_ex(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_platform_status(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_df_flush(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_commit(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_config(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_vlek_load(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_feature_info(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_page_reclaim(struct sim_fw *fw, void *buf);

/* sim-fw-snp-id.c: SNP_LAUNCH_FINISH's ID block */
u16 sim_fw_snp_id(struct sim_fw *fw, struct sim_guest *g,
		  const struct sev_data_snp_launch_finish *d);

/* sim-fw-snp-guest.c: SNP guest contexts and their launch */
u16 sim_fw_snp_gctx_create(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_launch_start(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_launch_update(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_launch_finish(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_activate(struct sim_fw *fw, void *buf);
u16 sim_fw_snp_decommission(struct sim_fw *fw, void *buf);

/* sim-fw-snp-msg.c: SNP_GUEST_REQUEST */
u16 sim_fw_snp_guest_request(struct sim_fw *fw, void *buf);
void sim_fw_snp_msg_stats(struct sim_fw *fw, struct sim_snp_msg_stats *st);

/* sim-fw.c: the command table, and the firmware's life */
int sim_fw_init(struct sim_fw *fw);
void sim_fw_exit(struct sim_fw *fw);
void sim_fw_power_on(struct sim_fw *fw);
u16 sim_fw_run(struct sim_fw *fw, unsigned int cmd, phys_addr_t buf);
int sim_fw_cmd_buffer_len(unsigned int cmd);

/* sim-regs.c */
extern const struct psp_backend_ops sim_regs_ops;
int sim_regs_init(struct sim_dev *sdev);
void sim_regs_exit(struct sim_dev *sdev);
void sim_regs_quiesce(struct sim_dev *sdev);

/* sim-dev.c */
struct sim_dev *sim_dev_new(struct bus_type *bus, unsigned int id,
			    const struct psp_vdata *vdata);
void sim_dev_del(struct sim_dev *sdev);
int sim_dev_reset(struct sim_dev *sdev);

/* sim-debugfs.c */
void sim_debugfs_init(void);
void sim_debugfs_exit(void);
void sim_debugfs_add(struct sim_dev *sdev);
void sim_debugfs_remove(struct sim_dev *sdev);

/* sim-bus.c: the bus, its driver and its devices */
extern struct bus_type sim_bus;
int sim_bus_init(void);
void sim_bus_exit(void);
struct sim_dev *sim_bus_dev_add(unsigned int id, const struct psp_vdata *vdata);
void sim_bus_dev_del(struct sim_dev *sdev);

#endif /* SEV_PSP_SIM_H */
