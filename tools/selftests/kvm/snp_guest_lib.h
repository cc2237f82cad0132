/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's side of SEV-ES and SNP, for the userspace selftests that play
 * the guest (no guest instruction runs under kvm-sev): a program writes a
 * GHCB into guest shared memory, sets the vCPU's GHCB MSR with KVM_SET_MSRS
 * and lets KVM_RUN handle the VMGEXIT. This library builds what the guest
 * would have built:
 *
 *   - the GHCB page (GHCB specification, AMD 56421; upstream's struct ghcb
 *     in arch/x86/include/asm/svm.h): its save area with the valid bitmap,
 *     the exit code and information, the shared buffer (ghcb_build.c);
 *   - the page state change descriptor (PSC, "SNP Page State Change"),
 *     upstream's struct snp_psc_desc of arch/x86/include/asm/sev-common.h
 *     (ghcb_build.c);
 *   - SNP guest messages (spec 56860, "Guest Messages"): requests sealed
 *     and responses opened with AES-256-GCM under a VMPCK, as a guest
 *     kernel's sev-guest driver does, with OpenSSL (snp_guest_msg.c).
 *
 * The message and secrets page layouts are the kernel's own
 * (include/sev-psp/snp-msg.h, which the simulated firmware uses), so the
 * two sides cannot drift apart; tools/selftests/kvm/include/ gives that
 * header the two kernel headers it wants. Build with the Makefile's
 * GUESTLIB_CFLAGS (those -I and the kernel's __packed) and link
 * ghcb_build.c, snp_guest_msg.c and -lcrypto: listing a test in
 * KVM_SELFTESTS_GUESTLIB does both.
 *
 * Every function returns 0 (or a count) or -errno and prints nothing:
 * the test that called it checks and reports.
 */
#ifndef SNP_GUEST_LIB_H
#define SNP_GUEST_LIB_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <asm/svm.h>		/* SVM_VMGEXIT_*: the exit codes */
#include <linux/types.h>

/*
 * The kernel's names for the types snp-msg.h is written with; its
 * __packed comes from the build (-D__packed=..., KVM_SELFTESTS_GUESTLIB).
 */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#ifndef __packed
#error "build with the Makefile's GUESTLIB_CFLAGS: __packed is not defined"
#endif

#include <sev-psp/snp-msg.h>

/* ---- The GHCB page ---- */

#define GHCB_PAGE_SIZE		4096
#define GHCB_SHARED_BUF_SIZE	2032
#define GHCB_SHARED_BUF_OFFSET	0x800

/* ghcb_usage: the standard layout above (the only one defined) */
#define GHCB_DEFAULT_USAGE	0

/*
 * The save area as upstream's struct ghcb_save_area: the fields the
 * hypervisor may read or write, each valid only with its bit in
 * valid_bitmap (the field's offset / 8). Reserved fields are named after
 * their offset, as upstream.
 */
struct ghcb_save_area {
	u8 reserved_0x0[203];
	u8 cpl;
	u8 reserved_0xcc[116];
	u64 xss;
	u8 reserved_0x148[24];
	u64 dr7;
	u8 reserved_0x168[16];
	u64 rip;
	u8 reserved_0x180[88];
	u64 rsp;
	u8 reserved_0x1e0[24];
	u64 rax;
	u8 reserved_0x200[264];
	u64 rcx;
	u64 rdx;
	u64 rbx;
	u8 reserved_0x320[8];
	u64 rbp;
	u64 rsi;
	u64 rdi;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
	u8 reserved_0x380[16];
	u64 sw_exit_code;
	u64 sw_exit_info_1;
	u64 sw_exit_info_2;
	u64 sw_scratch;
	u8 reserved_0x3b0[56];
	u64 xcr0;
	u8 valid_bitmap[16];
	u64 x87_state_gpa;
} __packed;

struct ghcb {
	struct ghcb_save_area save;
	u8 reserved_save[2048 - sizeof(struct ghcb_save_area)];
	u8 shared_buffer[GHCB_SHARED_BUF_SIZE];
	u8 reserved_0xff0[10];
	u16 protocol_version;	/* the negotiated GHCB protocol version */
	u32 ghcb_usage;
} __packed;

/* Upstream's layout, checked field by field (svm.h's __unused_size_checks) */
static_assert(sizeof(struct ghcb_save_area) == 1032, "ghcb_save_area size");
static_assert(sizeof(struct ghcb) == GHCB_PAGE_SIZE, "ghcb size");
static_assert(offsetof(struct ghcb_save_area, cpl) == 0xcb, "cpl");
static_assert(offsetof(struct ghcb_save_area, xss) == 0x140, "xss");
static_assert(offsetof(struct ghcb_save_area, rip) == 0x178, "rip");
static_assert(offsetof(struct ghcb_save_area, rsp) == 0x1d8, "rsp");
static_assert(offsetof(struct ghcb_save_area, rax) == 0x1f8, "rax");
static_assert(offsetof(struct ghcb_save_area, rcx) == 0x308, "rcx");
static_assert(offsetof(struct ghcb_save_area, rdx) == 0x310, "rdx");
static_assert(offsetof(struct ghcb_save_area, rbx) == 0x318, "rbx");
static_assert(offsetof(struct ghcb_save_area, r15) == 0x378, "r15");
static_assert(offsetof(struct ghcb_save_area, sw_exit_code) == 0x390,
	      "sw_exit_code");
static_assert(offsetof(struct ghcb_save_area, sw_exit_info_1) == 0x398,
	      "sw_exit_info_1");
static_assert(offsetof(struct ghcb_save_area, sw_exit_info_2) == 0x3a0,
	      "sw_exit_info_2");
static_assert(offsetof(struct ghcb_save_area, sw_scratch) == 0x3a8,
	      "sw_scratch");
static_assert(offsetof(struct ghcb_save_area, xcr0) == 0x3e8, "xcr0");
static_assert(offsetof(struct ghcb_save_area, valid_bitmap) == 0x3f0,
	      "valid_bitmap");
static_assert(offsetof(struct ghcb, shared_buffer) == GHCB_SHARED_BUF_OFFSET,
	      "shared_buffer");
static_assert(offsetof(struct ghcb, reserved_0xff0) == 0xff0, "0xff0");
static_assert(offsetof(struct ghcb, protocol_version) == 0xffa,
	      "protocol_version");
static_assert(offsetof(struct ghcb, ghcb_usage) == 0xffc, "ghcb_usage");

/* A field's bit in valid_bitmap, as upstream's GHCB_BITMAP_IDX() */
#define GHCB_BITMAP_IDX(field)	\
	(offsetof(struct ghcb_save_area, field) / sizeof(u64))

static inline bool ghcb_bit_is_set(const struct ghcb *ghcb, unsigned int idx)
{
	return ghcb->save.valid_bitmap[idx / 8] & (1U << (idx % 8));
}

static inline void ghcb_bit_set(struct ghcb *ghcb, unsigned int idx)
{
	ghcb->save.valid_bitmap[idx / 8] |= 1U << (idx % 8);
}

/* The u64 of the save area at @off: every field but cpl is one */
static inline u64 ghcb_load(const struct ghcb *ghcb, size_t off)
{
	u64 v;

	memcpy(&v, (const u8 *)&ghcb->save + off, sizeof(v));
	return v;
}

static inline void ghcb_store(struct ghcb *ghcb, size_t off, u64 value)
{
	memcpy((u8 *)&ghcb->save + off, &value, sizeof(value));
	ghcb_bit_set(ghcb, off / sizeof(u64));
}

/*
 * ghcb_set_<field>() writes the field and marks it valid (what the
 * hypervisor may read); ghcb_get_<field>() reads it whatever its bit (what
 * the hypervisor wrote back), ghcb_<field>_is_valid() tells the bit. As
 * upstream's DEFINE_GHCB_ACCESSORS(), but through the field's offset, named
 * once (ghcb_off_<field>), so that the macro names its argument once.
 */
#define DEFINE_GHCB_ACCESSORS(field)					\
	enum { ghcb_off_##field = offsetof(struct ghcb_save_area, field) }; \
	static inline bool ghcb_##field##_is_valid(const struct ghcb *ghcb) \
	{								\
		return ghcb_bit_is_set(ghcb, ghcb_off_##field / 8);	\
	}								\
	static inline u64 ghcb_get_##field(const struct ghcb *ghcb)	\
	{								\
		return ghcb_load(ghcb, ghcb_off_##field);		\
	}								\
	static inline void ghcb_set_##field(struct ghcb *ghcb, u64 value) \
	{								\
		ghcb_store(ghcb, ghcb_off_##field, value);		\
	}

DEFINE_GHCB_ACCESSORS(rip)
DEFINE_GHCB_ACCESSORS(rsp)
DEFINE_GHCB_ACCESSORS(rax)
DEFINE_GHCB_ACCESSORS(rcx)
DEFINE_GHCB_ACCESSORS(rdx)
DEFINE_GHCB_ACCESSORS(rbx)
DEFINE_GHCB_ACCESSORS(rbp)
DEFINE_GHCB_ACCESSORS(rsi)
DEFINE_GHCB_ACCESSORS(rdi)
DEFINE_GHCB_ACCESSORS(r8)
DEFINE_GHCB_ACCESSORS(r9)
DEFINE_GHCB_ACCESSORS(r10)
DEFINE_GHCB_ACCESSORS(r11)
DEFINE_GHCB_ACCESSORS(r12)
DEFINE_GHCB_ACCESSORS(r13)
DEFINE_GHCB_ACCESSORS(r14)
DEFINE_GHCB_ACCESSORS(r15)
DEFINE_GHCB_ACCESSORS(sw_exit_code)
DEFINE_GHCB_ACCESSORS(sw_exit_info_1)
DEFINE_GHCB_ACCESSORS(sw_exit_info_2)
DEFINE_GHCB_ACCESSORS(sw_scratch)
DEFINE_GHCB_ACCESSORS(xcr0)
DEFINE_GHCB_ACCESSORS(xss)

/* cpl, the one byte-sized field (its bit: that of the qword holding it) */
static inline bool ghcb_cpl_is_valid(const struct ghcb *ghcb)
{
	return ghcb_bit_is_set(ghcb, GHCB_BITMAP_IDX(cpl));
}

static inline u64 ghcb_get_cpl(const struct ghcb *ghcb)
{
	return ghcb->save.cpl;
}

static inline void ghcb_set_cpl(struct ghcb *ghcb, u64 value)
{
	ghcb_bit_set(ghcb, GHCB_BITMAP_IDX(cpl));
	ghcb->save.cpl = value;
}

/* A zeroed GHCB of protocol @version, the standard usage */
void ghcb_init(struct ghcb *ghcb, u16 version);
/* Between two exits: nothing valid, no exit code (upstream's invalidate) */
void ghcb_invalidate(struct ghcb *ghcb);
/* The exit: SW_EXITCODE, SW_EXITINFO1 and SW_EXITINFO2, all valid */
void ghcb_set_exit(struct ghcb *ghcb, u64 code, u64 info1, u64 info2);

/*
 * SW_EXITINFO1 and SW_EXITINFO2 as the hypervisor left them: info1 0 is
 * success, 1 an error with an exception or reason in info2 (GHCB spec,
 * "Hypervisor response").
 */
static inline u64 ghcb_exit_info_1(const struct ghcb *ghcb)
{
	return ghcb_get_sw_exit_info_1(ghcb);
}

static inline u64 ghcb_exit_info_2(const struct ghcb *ghcb)
{
	return ghcb_get_sw_exit_info_2(ghcb);
}

/* The GPA of the shared buffer of the GHCB at @ghcb_gpa (for SW_SCRATCH) */
static inline u64 ghcb_shared_buffer_gpa(u64 ghcb_gpa)
{
	return ghcb_gpa + GHCB_SHARED_BUF_OFFSET;
}

/*
 * SNP_GUEST_REQUEST (and the extended one, whose certificate pages are
 * RAX's GPA, RBX's count) with the request and response pages' GPAs. The
 * answer: SW_EXITINFO2's low 32 bits the firmware's status, the high 32
 * the VMM's (SNP_GUEST_VMM_ERR_*; for INVALID_LEN, RBX the pages needed).
 */
#define SNP_GUEST_VMM_ERR_INVALID_LEN	1
#define SNP_GUEST_VMM_ERR_BUSY		2

void ghcb_set_guest_request(struct ghcb *ghcb, u64 req_gpa, u64 resp_gpa);
void ghcb_set_ext_guest_request(struct ghcb *ghcb, u64 req_gpa,
				u64 resp_gpa, u64 certs_gpa, u64 npages);

static inline u32 ghcb_guest_request_fw_error(const struct ghcb *ghcb)
{
	return (u32)ghcb_exit_info_2(ghcb);
}

static inline u32 ghcb_guest_request_vmm_error(const struct ghcb *ghcb)
{
	return ghcb_exit_info_2(ghcb) >> 32;
}

/* ---- Page state change ---- */

/* The GHCB spec's maximum, what fills the shared buffer */
#define VMGEXIT_PSC_MAX_COUNT		253

/* Its operations (upstream's enum psc_op) and page sizes */
#define SNP_PAGE_STATE_PRIVATE		1
#define SNP_PAGE_STATE_SHARED		2
#define SNP_PAGE_STATE_PSMASH		3
#define SNP_PAGE_STATE_UNSMASH		4
#define RMP_PG_SIZE_4K			0
#define RMP_PG_SIZE_2M			1

/* What the hypervisor answers in SW_EXITINFO2 (upstream's sev-common.h) */
#define VMGEXIT_PSC_ERROR_GENERIC	(0x100ULL << 32)
#define VMGEXIT_PSC_ERROR_INVALID_HDR	((1ULL << 32) | 1)
#define VMGEXIT_PSC_ERROR_INVALID_ENTRY	((1ULL << 32) | 2)

struct psc_hdr {
	u16 cur_entry;		/* the first entry not done yet */
	u16 end_entry;		/* the last entry, inclusive */
	u32 reserved;
} __packed;

/* One u64: cur_page 11:0, gfn 51:12, operation 55:52, pagesize 56 */
struct psc_entry {
	u64	cur_page	: 12,
		gfn		: 40,
		operation	: 4,
		pagesize	: 1,
		reserved	: 7;
} __packed;

struct snp_psc_desc {
	struct psc_hdr hdr;
	struct psc_entry entries[VMGEXIT_PSC_MAX_COUNT];
} __packed;

static_assert(sizeof(struct psc_hdr) == 8, "psc_hdr");
static_assert(sizeof(struct psc_entry) == 8, "psc_entry");
static_assert(sizeof(struct snp_psc_desc) == GHCB_SHARED_BUF_SIZE,
	      "snp_psc_desc fills the shared buffer");

/*
 * A descriptor being built: the header alone cannot tell no entry from
 * one (end_entry is inclusive), so the builder counts.
 */
struct psc_buf {
	struct snp_psc_desc desc;
	unsigned int nr;
};

void psc_init(struct psc_buf *buf);
/*
 * Append an entry: its index, or -ENOSPC when full, -EINVAL for a value
 * its field cannot hold (any operation that fits is taken: tests send
 * bad ones). cur_page starts at 0.
 */
int psc_add(struct psc_buf *buf, u64 gfn, unsigned int op,
	    unsigned int pagesize);
/* An entry as the raw u64 the hypervisor reads, and back */
u64 psc_entry_raw(const struct psc_entry *e);
struct psc_entry psc_entry_from_raw(u64 raw);

/*
 * The PSC exit: the descriptor copied into the shared buffer of the GHCB
 * at guest physical @ghcb_gpa, SW_SCRATCH pointing there.
 */
void ghcb_set_psc(struct ghcb *ghcb, u64 ghcb_gpa, const struct psc_buf *buf);
/* The descriptor as the hypervisor left it in the shared buffer */
void ghcb_get_psc(const struct ghcb *ghcb, struct snp_psc_desc *desc);

static inline unsigned int psc_cur_entry(const struct snp_psc_desc *desc)
{
	return desc->hdr.cur_entry;
}

static inline unsigned int psc_end_entry(const struct snp_psc_desc *desc)
{
	return desc->hdr.end_entry;
}

static inline unsigned int psc_cur_page(const struct snp_psc_desc *desc,
					unsigned int i)
{
	return desc->entries[i].cur_page;
}

/* ---- SNP guest messages ---- */

/*
 * One VMPCK's channel to the firmware: the key, its index and the last
 * sequence number either side used (0 before the first message). A
 * request takes seqno + 1 and its response seqno + 2; only a response
 * that checks out moves the channel on. A sealed request whose answer
 * never came must not be resealed with other content in a real guest
 * (the IV would repeat): the tests do it on purpose only.
 */
struct snp_guest_chan {
	u8 vmpck[SNP_MSG_VMPCK_LEN];
	unsigned int vmpck_id;
	u64 seqno;
};

/* A channel on @vmpck (SNP_MSG_VMPCK_LEN bytes) as VMPCK @vmpck_id */
int snp_guest_chan_init(struct snp_guest_chan *chan, const u8 *vmpck,
			unsigned int vmpck_id);
/* A channel on VMPCK @vmpck_id of a secrets page (4 KiB) */
int snp_guest_chan_from_secrets(struct snp_guest_chan *chan,
				const void *secrets, unsigned int vmpck_id);
/* The key wiped (a test's last use of it) */
void snp_guest_chan_wipe(struct snp_guest_chan *chan);
/* VMPCK @idx (0..3) of a secrets page into @vmpck */
int snp_secrets_vmpck(const void *secrets, unsigned int idx,
		      u8 vmpck[SNP_MSG_VMPCK_LEN]);

/*
 * Seal at an explicit sequence number: the header (AES-256-GCM, header
 * version 1, 96 bytes, @type, message version 1, @len, @vmpck_id) and
 * @payload encrypted into @page with the authentication tag. The rest of
 * the page is zero. 0, -EMSGSIZE (@len over SNP_MSG_PAYLOAD_MAX), -EINVAL
 * or -EIO (OpenSSL).
 */
int snp_msg_encrypt(struct sev_psp_msg *page, const u8 *vmpck,
		    unsigned int vmpck_id, u64 seqno, u8 type,
		    const void *payload, size_t len);

/*
 * Open at an explicit sequence number: check the header (algorithm,
 * header version and size, @type, message version 1, @vmpck_id, @seqno,
 * a size that fits the page and @outlen), decrypt and authenticate into
 * @out. The payload's size, or -EPROTO (another sequence number),
 * -EBADMSG (another header or a bad tag: nothing written to @out),
 * -EMSGSIZE (@outlen too small), -EIO (OpenSSL).
 */
int snp_msg_decrypt(const struct sev_psp_msg *page, const u8 *vmpck,
		    unsigned int vmpck_id, u64 seqno, u8 type,
		    void *out, size_t outlen);

/*
 * The channel's next request (sequence number chan->seqno + 1) into
 * @page; the channel does not move. 0 or as snp_msg_encrypt(), and
 * -EOVERFLOW when the sequence numbers are used up.
 */
int snp_msg_seal(const struct snp_guest_chan *chan, u8 msg_type,
		 const void *payload, size_t len, struct sev_psp_msg *page);

/*
 * The response to the channel's last sealed request (sequence number
 * chan->seqno + 2, @expected_type: the request's type + 1) from @page into
 * @out; on success the channel moves on by two. As snp_msg_decrypt().
 */
int snp_msg_open(struct snp_guest_chan *chan, const struct sev_psp_msg *page,
		 u8 expected_type, void *out, size_t outlen);

/* MSG_REPORT_REQ for @report_data (64 bytes, NULL: zeros) at @vmpl */
void snp_report_req_init(struct sev_psp_report_req *req,
			 const u8 *report_data, u32 vmpl);
/* MSG_KEY_REQ: root key (SNP_KEY_ROOT_VMRK or 0), SNP_KEY_FIELD_* mixed in */
void snp_key_req_init(struct sev_psp_key_req *req, u32 root_key_select,
		      u64 guest_field_select, u32 vmpl, u32 guest_svn,
		      u64 tcb_version);
/* Those requests sealed on @chan into @page, as snp_msg_seal() */
int snp_msg_report_req(const struct snp_guest_chan *chan,
		       const u8 *report_data, u32 vmpl,
		       struct sev_psp_msg *page);
int snp_msg_key_req(const struct snp_guest_chan *chan,
		    const struct sev_psp_key_req *req, struct sev_psp_msg *page);

#endif /* SNP_GUEST_LIB_H */
