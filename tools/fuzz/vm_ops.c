// SPDX-License-Identifier: GPL-2.0
/*
 * VM ioctls on the thread's VMs: vCPUs, memory slots (old and new
 * struct), guest_memfd, memory attributes, capabilities, encrypted
 * regions, extensions, device attributes; and KVM_MEMORY_ENCRYPT_OP with
 * every KVM_SEV_* id (upstream's 0..22 and 100..103, the SEND/RECEIVE ones
 * kvm-sev does not have included), each struct filled as a VMM would for
 * the VM it is sent to, with one field wrong half the time.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sev_fuzz.h"

#define SEV_POLICY_NODBG	BIT(0)
#define SEV_POLICY_ES		BIT(2)
#define SNP_POLICY		(BIT_ULL(17) | BIT_ULL(16))
#define SEV_CERT_LEN		2084
#define SEV_SESSION_LEN		0x70
#define SEV_SECRET_HDR_LEN	0x34
#define SEV_MEASURE_LEN		48
#define FZ_ATTR_SET_MAX		(64ULL << 20)

/* A guest physical address: mostly in the VM's memory, else anywhere */
static uint64_t pick_gpa(struct fz_thread *t, bool priv)
{
	uint64_t base = priv ? FZ_PRIV_GPA : FZ_MEM_GPA;
	uint64_t pages = priv ? FZ_PRIV_SIZE / PAGE_SIZE : FZ_MEM_PAGES;

	switch (fz_below(t, 10)) {
	case 0:
		return fz_rand64(&t->rng) & ~(PAGE_SIZE - 1);
	case 1:
		return base + fz_below(t, pages * PAGE_SIZE);	/* unaligned */
	case 2:
		return base + pages * PAGE_SIZE;		/* just past */
	default:
		return base + fz_below(t, pages) * PAGE_SIZE;
	}
}

/* A host address in the VM's shared memory (its end: the guard page) */
static void *mem_at(struct fz_thread *t, struct fz_vm *vm, uint32_t len)
{
	uint32_t max = FZ_MEM_PAGES * PAGE_SIZE;

	if (!vm->mem || fz_chance(t, 10))
		return fz_buf(t, len);
	if (len >= max)
		return vm->mem;
	if (fz_chance(t, 15))
		return vm->mem + max - len;	/* ends at the guard page */
	return vm->mem + (fz_below(t, max - len) & ~15ULL);
}

static void region_op(struct fz_thread *t, struct fz_vm *vm, int fd, bool v2)
{
	static const struct fz_field f[] = {
		FZ_FIELD(struct kvm_userspace_memory_region2, slot),
		FZ_FIELD(struct kvm_userspace_memory_region2, flags),
		FZ_FIELD(struct kvm_userspace_memory_region2, guest_phys_addr),
		FZ_FIELD(struct kvm_userspace_memory_region2, memory_size),
		FZ_FIELD(struct kvm_userspace_memory_region2, userspace_addr),
		FZ_FIELD(struct kvm_userspace_memory_region2, guest_memfd_offset),
		FZ_FIELD(struct kvm_userspace_memory_region2, guest_memfd),
		FZ_FIELD(struct kvm_userspace_memory_region2, pad1),
		FZ_FIELD(struct kvm_userspace_memory_region2, pad2),
	};
	struct kvm_userspace_memory_region2 r = { 0 };
	uint64_t pages = 1 + fz_below(t, 4);
	bool whole;
	void *p;

	/* mostly a new slot; rarely the two the guest lives in */
	r.slot = fz_chance(t, 90) ? 2 + fz_below(t, 30) : fz_below(t, 2);
	r.guest_phys_addr = 0x800000ULL + fz_below(t, 64) * PAGE_SIZE;
	r.memory_size = fz_chance(t, 15) ? 0 : pages * PAGE_SIZE;	/* 0 deletes */
	r.userspace_addr = (uintptr_t)fz_buf(t, pages * PAGE_SIZE);
	if (v2 && vm->gmem >= 0 && fz_chance(t, 50)) {
		r.flags = KVM_MEM_GUEST_MEMFD;
		r.guest_memfd = fz_fd(t, vm->gmem, "gmem");
		r.guest_memfd_offset = fz_below(t, FZ_PRIV_SIZE / PAGE_SIZE) * PAGE_SIZE;
	}
	fz_note(t, "slot=%u", r.slot);
	fz_mutate(t, &r, f, v2 ? ARRAY_SIZE(f) : 5, 50);
	p = fz_place(t, FZ_AREA_IOCTL, &r, v2 ? sizeof(r) :
		     sizeof(struct kvm_userspace_memory_region), &whole);
	if (v2)
		fz_ioctl(t, FZ_VM, "SET_USER_MEMORY_REGION2", fd,
			 KVM_SET_USER_MEMORY_REGION2, p, NULL, false);
	else
		fz_ioctl(t, FZ_VM, "SET_USER_MEMORY_REGION", fd,
			 KVM_SET_USER_MEMORY_REGION, p, NULL, false);
}

static void gmem_op(struct fz_thread *t, int fd)
{
	static const uint64_t sizes[] = {
		PAGE_SIZE, 2 << 20, 0, PAGE_SIZE + 1, 1ULL << 40, ~0ULL & ~4095ULL,
	};
	static const struct fz_field f[] = {
		FZ_FIELD(struct kvm_create_guest_memfd, size),
		FZ_FIELD(struct kvm_create_guest_memfd, flags),
		FZ_FIELD(struct kvm_create_guest_memfd, reserved),
	};
	struct kvm_create_guest_memfd g = { .size = FZ_PICK(t, sizes) };
	bool whole;
	void *p;
	long r;

	fz_mutate(t, &g, f, ARRAY_SIZE(f), 30);
	p = fz_place(t, FZ_AREA_IOCTL, &g, sizeof(g), &whole);
	r = fz_ioctl(t, FZ_VM, "CREATE_GUEST_MEMFD", fd, KVM_CREATE_GUEST_MEMFD,
		     p, NULL, false);
	if (r > 2)
		close(r);
}

static void attributes_op(struct fz_thread *t, int fd)
{
	static const struct fz_field f[] = {
		FZ_FIELD(struct kvm_memory_attributes, address),
		FZ_FIELD(struct kvm_memory_attributes, size),
		FZ_FIELD(struct kvm_memory_attributes, attributes),
		FZ_FIELD(struct kvm_memory_attributes, flags),
	};
	struct kvm_memory_attributes a = {
		.address = pick_gpa(t, fz_chance(t, 80)),
		.size = (1 + fz_below(t, 8)) * PAGE_SIZE,
		.attributes = fz_chance(t, 60) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
	};
	bool whole;
	void *p;

	fz_mutate(t, &a, f, ARRAY_SIZE(f), 30);
	/*
	 * Any range is cleared, but setting one reserves an entry per frame
	 * first (as KVM does): minutes for a huge range, so not over 64 MiB
	 */
	if (a.attributes && a.size > FZ_ATTR_SET_MAX)
		a.size = FZ_ATTR_SET_MAX;
	p = fz_place(t, FZ_AREA_IOCTL, &a, sizeof(a), &whole);
	fz_ioctl(t, FZ_VM, "SET_MEMORY_ATTRIBUTES", fd,
		 KVM_SET_MEMORY_ATTRIBUTES, p, NULL, false);
}

static void cap_op(struct fz_thread *t, struct fz_vm *vm, int fd)
{
	static const uint32_t caps[] = {
		KVM_CAP_EXIT_HYPERCALL, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM,
		KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, KVM_CAP_VM_TYPES, 0,
	};
	static const struct fz_field f[] = {
		FZ_FIELD(struct kvm_enable_cap, cap),
		FZ_FIELD(struct kvm_enable_cap, flags),
		FZ_FIELD(struct kvm_enable_cap, args),
	};
	struct kvm_enable_cap c = { .cap = FZ_PICK(t, caps) };
	bool whole;
	void *p;

	if (c.cap == KVM_CAP_EXIT_HYPERCALL)
		c.args[0] = fz_chance(t, 70) ? 1ULL << 12 : fz_rand64(&t->rng);
	else
		c.args[0] = fz_fd(t, fz_vm_any_fd(t, vm), "src");
	fz_note(t, "cap=%u", c.cap);
	fz_mutate(t, &c, f, ARRAY_SIZE(f), 20);
	p = fz_place(t, FZ_AREA_IOCTL, &c, sizeof(c), &whole);
	fz_ioctl(t, FZ_VM, "ENABLE_CAP", fd, KVM_ENABLE_CAP, p, NULL, false);
}

static void region_enc_op(struct fz_thread *t, struct fz_vm *vm, int fd)
{
	static const struct fz_field f[] = {
		FZ_FIELD(struct kvm_enc_region, addr),
		FZ_FIELD(struct kvm_enc_region, size),
	};
	uint32_t len = (1 + fz_below(t, FZ_MEM_PAGES)) * PAGE_SIZE;
	struct kvm_enc_region r = {
		.addr = (uintptr_t)mem_at(t, vm, len) & ~(PAGE_SIZE - 1),
		.size = len,
	};
	bool reg = fz_chance(t, 50), whole;
	void *p;

	fz_mutate(t, &r, f, ARRAY_SIZE(f), 40);
	p = fz_place(t, FZ_AREA_IOCTL, &r, sizeof(r), &whole);
	fz_ioctl(t, FZ_VM, reg ? "REG_REGION" : "UNREG_REGION", fd,
		 reg ? KVM_MEMORY_ENCRYPT_REG_REGION :
		 KVM_MEMORY_ENCRYPT_UNREG_REGION, p, NULL, false);
}

void fz_vm_op(struct fz_thread *t)
{
	struct fz_vm *vm = fz_vm_get(t);
	struct kvm_device_attr a = { 0 };
	unsigned long id;
	int fd;
	long r;

	if (!vm)
		return;
	fd = fz_fd(t, vm->fd, "vm");
	switch (fz_below(t, 11)) {
	case 0:
		id = fz_chance(t, 70) ? fz_below(t, 4) :
		     fz_chance(t, 50) ? 63 + fz_below(t, 3) : fz_rand64(&t->rng);
		fz_note(t, "id=%#lx", id);
		r = fz_ioctl(t, FZ_VM, "CREATE_VCPU", fd, KVM_CREATE_VCPU,
			     (void *)id, NULL, false);
		if (r > 2)
			close(r);
		break;
	case 1:
		region_op(t, vm, fd, false);
		break;
	case 2:
		region_op(t, vm, fd, true);
		break;
	case 3:
		gmem_op(t, fd);
		break;
	case 4:
	case 5:
		attributes_op(t, fd);
		break;
	case 6:
		cap_op(t, vm, fd);
		break;
	case 7:
		region_enc_op(t, vm, fd);
		break;
	case 8:
		fz_ioctl(t, FZ_VM, "CHECK_EXTENSION", fd, KVM_CHECK_EXTENSION,
			 (void *)(uintptr_t)fz_below(t, 240), NULL, false);
		break;
	case 9:
		a.group = fz_below(t, 3);
		a.attr = fz_below(t, 4);
		a.addr = (uintptr_t)fz_buf(t, 8);
		fz_ioctl(t, FZ_VM, "GET_DEVICE_ATTR", fd, KVM_GET_DEVICE_ATTR,
			 &a, NULL, false);
		break;
	default:
		fz_other_ioctl(t, FZ_VM, fd);
		break;
	}
}

/* ---- KVM_MEMORY_ENCRYPT_OP ---- */

union sev_payload {
	struct kvm_sev_launch_start start;
	struct kvm_sev_launch_update_data upd;
	struct kvm_sev_launch_secret secret;
	struct kvm_sev_launch_measure measure;
	struct kvm_sev_guest_status status;
	struct kvm_sev_dbg dbg;
	struct kvm_sev_attestation_report report;
	struct kvm_sev_send_start send;
	struct kvm_sev_send_update_data send_upd;
	struct kvm_sev_receive_start recv;
	struct kvm_sev_init init;
	struct kvm_sev_snp_launch_start snp_start;
	struct kvm_sev_snp_launch_update snp_upd;
	struct kvm_sev_snp_launch_finish snp_fin;
	uint8_t raw[128];
};

#define F(type, m)	FZ_FIELD(struct type, m)

static const struct fz_field start_f[] = {
	F(kvm_sev_launch_start, handle), F(kvm_sev_launch_start, policy),
	F(kvm_sev_launch_start, dh_uaddr), F(kvm_sev_launch_start, dh_len),
	F(kvm_sev_launch_start, session_uaddr),
	F(kvm_sev_launch_start, session_len),
};

static const struct fz_field upd_f[] = {
	F(kvm_sev_launch_update_data, uaddr), F(kvm_sev_launch_update_data, len),
};

static const struct fz_field secret_f[] = {
	F(kvm_sev_launch_secret, hdr_uaddr), F(kvm_sev_launch_secret, hdr_len),
	F(kvm_sev_launch_secret, guest_uaddr),
	F(kvm_sev_launch_secret, guest_len),
	F(kvm_sev_launch_secret, trans_uaddr),
	F(kvm_sev_launch_secret, trans_len),
};

static const struct fz_field dbg_f[] = {
	F(kvm_sev_dbg, src_uaddr), F(kvm_sev_dbg, dst_uaddr), F(kvm_sev_dbg, len),
};

static const struct fz_field report_f[] = {
	F(kvm_sev_attestation_report, mnonce),
	F(kvm_sev_attestation_report, uaddr), F(kvm_sev_attestation_report, len),
};

static const struct fz_field init_f[] = {
	F(kvm_sev_init, vmsa_features), F(kvm_sev_init, flags),
	F(kvm_sev_init, ghcb_version), F(kvm_sev_init, pad1),
	F(kvm_sev_init, pad2),
};

static const struct fz_field snp_start_f[] = {
	F(kvm_sev_snp_launch_start, policy), F(kvm_sev_snp_launch_start, gosvw),
	F(kvm_sev_snp_launch_start, flags), F(kvm_sev_snp_launch_start, pad0),
	F(kvm_sev_snp_launch_start, pad1),
};

static const struct fz_field snp_upd_f[] = {
	F(kvm_sev_snp_launch_update, gfn_start),
	F(kvm_sev_snp_launch_update, uaddr), F(kvm_sev_snp_launch_update, len),
	F(kvm_sev_snp_launch_update, type), F(kvm_sev_snp_launch_update, pad0),
	F(kvm_sev_snp_launch_update, flags), F(kvm_sev_snp_launch_update, pad1),
	F(kvm_sev_snp_launch_update, pad2),
};

static const struct fz_field snp_fin_f[] = {
	F(kvm_sev_snp_launch_finish, id_block_uaddr),
	F(kvm_sev_snp_launch_finish, id_auth_uaddr),
	F(kvm_sev_snp_launch_finish, id_block_en),
	F(kvm_sev_snp_launch_finish, auth_key_en),
	F(kvm_sev_snp_launch_finish, vcek_disabled),
	F(kvm_sev_snp_launch_finish, host_data),
	F(kvm_sev_snp_launch_finish, pad0), F(kvm_sev_snp_launch_finish, flags),
	F(kvm_sev_snp_launch_finish, pad1),
};

static const struct fz_field raw_f[] = {
	{ 0, 8 }, { 8, 8 }, { 16, 8 }, { 24, 8 }, { 32, 8 }, { 40, 8 },
};

/* A blob of @len random bytes for the firmware, its address */
static uint64_t blob(struct fz_thread *t, uint32_t len, const char *what)
{
	void *p = fz_buf(t, len);

	fz_fill(t, p, len);
	return fz_uaddr(t, p, len, what);
}

/*
 * @id's struct in @d for @vm, its field table in *@f. Returns the size
 * to pass, 0 for a command without data.
 */
static size_t sev_payload(struct fz_thread *t, struct fz_vm *vm, uint32_t id,
			  union sev_payload *d, const struct fz_field **f,
			  size_t *nf)
{
	uint32_t len;

	memset(d, 0, sizeof(*d));
	*f = raw_f;
	*nf = ARRAY_SIZE(raw_f);
	switch (id) {
	case KVM_SEV_LAUNCH_START:
		d->start.policy = vm->es ? SEV_POLICY_ES : 0;
		if (fz_chance(t, 20))
			d->start.policy |= SEV_POLICY_NODBG;
		if (fz_chance(t, 30)) {
			d->start.dh_uaddr = blob(t, SEV_CERT_LEN, "dh");
			d->start.dh_len = SEV_CERT_LEN;
			d->start.session_uaddr = blob(t, SEV_SESSION_LEN, "session");
			d->start.session_len = SEV_SESSION_LEN;
		}
		*f = start_f;
		*nf = ARRAY_SIZE(start_f);
		return sizeof(d->start);
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		len = fz_len(t, (1 + fz_below(t, 4)) * 16);
		d->upd.uaddr = fz_uaddr(t, mem_at(t, vm, len), len, "uaddr");
		d->upd.len = len;
		*f = upd_f;
		*nf = ARRAY_SIZE(upd_f);
		return sizeof(d->upd);
	case KVM_SEV_LAUNCH_SECRET:
		len = fz_len(t, 16 * (1 + fz_below(t, 16)));
		d->secret.hdr_uaddr = blob(t, SEV_SECRET_HDR_LEN, "hdr");
		d->secret.hdr_len = SEV_SECRET_HDR_LEN;
		d->secret.guest_uaddr = fz_uaddr(t, mem_at(t, vm, len), len, "guest");
		d->secret.guest_len = len;
		d->secret.trans_uaddr = blob(t, len > PAGE_SIZE ? PAGE_SIZE : len,
					     "trans");
		d->secret.trans_len = len;
		*f = secret_f;
		*nf = ARRAY_SIZE(secret_f);
		return sizeof(d->secret);
	case KVM_SEV_LAUNCH_MEASURE:
		len = fz_chance(t, 20) ? 0 : fz_len(t, SEV_MEASURE_LEN);
		d->measure.uaddr = fz_uaddr(t, fz_buf(t, SEV_MEASURE_LEN),
					    SEV_MEASURE_LEN, "uaddr");
		d->measure.len = len;
		*f = upd_f;	/* the same layout */
		*nf = ARRAY_SIZE(upd_f);
		return sizeof(d->measure);
	case KVM_SEV_GUEST_STATUS:
		return sizeof(d->status);
	case KVM_SEV_DBG_DECRYPT:
	case KVM_SEV_DBG_ENCRYPT:
		len = fz_len(t, 16 * (1 + fz_below(t, 256)));
		d->dbg.src_uaddr = fz_uaddr(t, mem_at(t, vm, len), len, "src");
		d->dbg.dst_uaddr = fz_uaddr(t, mem_at(t, vm, len), len, "dst");
		d->dbg.len = len;
		*f = dbg_f;
		*nf = ARRAY_SIZE(dbg_f);
		return sizeof(d->dbg);
	case KVM_SEV_GET_ATTESTATION_REPORT:
		fz_fill(t, d->report.mnonce, sizeof(d->report.mnonce));
		len = fz_chance(t, 30) ? 0 : fz_len(t, 0x4a0);
		d->report.uaddr = fz_uaddr(t, fz_buf(t, PAGE_SIZE), PAGE_SIZE,
					   "uaddr");
		d->report.len = len;
		*f = report_f;
		*nf = ARRAY_SIZE(report_f);
		return sizeof(d->report);
	case KVM_SEV_SEND_START:
	case KVM_SEV_SEND_UPDATE_DATA:
	case KVM_SEV_RECEIVE_START:
	case KVM_SEV_RECEIVE_UPDATE_DATA:
		fz_fill(t, d->raw, sizeof(d->send));
		return sizeof(d->send);
	case KVM_SEV_INIT2:
		if (fz_chance(t, 20))
			d->init.vmsa_features = 1ULL << 5;	/* DebugSwap */
		d->init.ghcb_version = fz_below(t, 4);
		*f = init_f;
		*nf = ARRAY_SIZE(init_f);
		return sizeof(d->init);
	case KVM_SEV_SNP_LAUNCH_START:
		d->snp_start.policy = SNP_POLICY;
		*f = snp_start_f;
		*nf = ARRAY_SIZE(snp_start_f);
		return sizeof(d->snp_start);
	case KVM_SEV_SNP_LAUNCH_UPDATE: {
		static const uint8_t types[] = { 1, 3, 4, 5, 6, 0, 2, 7 };

		len = (1 + fz_below(t, 4)) * PAGE_SIZE;
		d->snp_upd.gfn_start = pick_gpa(t, true) >> 12;
		d->snp_upd.uaddr = fz_uaddr(t, mem_at(t, vm, len), len, "uaddr");
		d->snp_upd.len = fz_len(t, len);
		d->snp_upd.type = FZ_PICK(t, types);
		*f = snp_upd_f;
		*nf = ARRAY_SIZE(snp_upd_f);
		return sizeof(d->snp_upd);
	}
	case KVM_SEV_SNP_LAUNCH_FINISH:
		if (fz_chance(t, 40)) {
			d->snp_fin.id_block_uaddr =
				blob(t, KVM_SEV_SNP_ID_BLOCK_SIZE, "id_block");
			d->snp_fin.id_auth_uaddr =
				blob(t, KVM_SEV_SNP_ID_AUTH_SIZE, "id_auth");
			d->snp_fin.id_block_en = 1;
			d->snp_fin.auth_key_en = fz_below(t, 2);
		}
		fz_fill(t, d->snp_fin.host_data, sizeof(d->snp_fin.host_data));
		*f = snp_fin_f;
		*nf = ARRAY_SIZE(snp_fin_f);
		return sizeof(d->snp_fin);
	default:
		/* INIT, ES_INIT, UPDATE_VMSA, FINISH, ENABLE_REQ_CERTS... */
		return 0;
	}
}

/* Commands that always run the firmware when they succeed */
static bool fw_on_success(uint32_t id)
{
	switch (id) {
	case KVM_SEV_LAUNCH_START:
	case KVM_SEV_LAUNCH_UPDATE_VMSA:
	case KVM_SEV_LAUNCH_SECRET:
	case KVM_SEV_LAUNCH_FINISH:
	case KVM_SEV_GUEST_STATUS:
	case KVM_SEV_DBG_DECRYPT:
	case KVM_SEV_DBG_ENCRYPT:
	case KVM_SEV_SNP_LAUNCH_START:
	case KVM_SEV_SNP_LAUNCH_UPDATE:
	case KVM_SEV_SNP_LAUNCH_FINISH:
		return true;
	default:
		return false;
	}
}

static const char * const sev_cmd_names[] = {
	"INIT", "ES_INIT", "LAUNCH_START", "LAUNCH_UPDATE_DATA",
	"LAUNCH_UPDATE_VMSA", "LAUNCH_SECRET", "LAUNCH_MEASURE",
	"LAUNCH_FINISH", "SEND_START", "SEND_UPDATE_DATA", "SEND_UPDATE_VMSA",
	"SEND_FINISH", "RECEIVE_START", "RECEIVE_UPDATE_DATA",
	"RECEIVE_UPDATE_VMSA", "RECEIVE_FINISH", "GUEST_STATUS",
	"DBG_DECRYPT", "DBG_ENCRYPT", "CERT_EXPORT", "GET_ATTESTATION_REPORT",
	"SEND_CANCEL", "INIT2",
};

static const char * const snp_cmd_names[] = {
	"SNP_LAUNCH_START", "SNP_LAUNCH_UPDATE", "SNP_LAUNCH_FINISH",
	"SNP_ENABLE_REQ_CERTS",
};

static const char *sev_cmd_name(uint32_t id)
{
	if (id < ARRAY_SIZE(sev_cmd_names))
		return sev_cmd_names[id];
	if (id >= KVM_SEV_SNP_LAUNCH_START &&
	    id - KVM_SEV_SNP_LAUNCH_START < ARRAY_SIZE(snp_cmd_names))
		return snp_cmd_names[id - KVM_SEV_SNP_LAUNCH_START];
	return "bad-id";
}

/*
 * Mostly a command that fits the VM's type and how far it got (so that
 * the handlers' later checks and the firmware are reached), else any.
 */
static uint32_t pick_sev_cmd(struct fz_thread *t, const struct fz_vm *vm)
{
	static const uint32_t created[] = {
		KVM_SEV_INIT, KVM_SEV_ES_INIT, KVM_SEV_INIT2,
	};
	static const uint32_t sev_init[] = {
		KVM_SEV_LAUNCH_START, KVM_SEV_LAUNCH_UPDATE_DATA,
		KVM_SEV_LAUNCH_UPDATE_VMSA, KVM_SEV_LAUNCH_MEASURE,
		KVM_SEV_LAUNCH_SECRET, KVM_SEV_LAUNCH_FINISH,
		KVM_SEV_GUEST_STATUS,
	};
	static const uint32_t sev_running[] = {
		KVM_SEV_GUEST_STATUS, KVM_SEV_DBG_DECRYPT, KVM_SEV_DBG_ENCRYPT,
		KVM_SEV_GET_ATTESTATION_REPORT, KVM_SEV_LAUNCH_SECRET,
		KVM_SEV_LAUNCH_MEASURE,
	};
	static const uint32_t snp[] = {
		KVM_SEV_SNP_LAUNCH_START, KVM_SEV_SNP_LAUNCH_UPDATE,
		KVM_SEV_SNP_LAUNCH_FINISH, KVM_SEV_SNP_ENABLE_REQ_CERTS,
	};

	if (fz_chance(t, 60)) {
		if (vm->depth == FZ_VM_CREATED)
			return FZ_PICK(t, created);
		if (vm->type == KVM_X86_SNP_VM)
			return FZ_PICK(t, snp);
		if (vm->depth == FZ_VM_INIT)
			return FZ_PICK(t, sev_init);
		return FZ_PICK(t, sev_running);
	}
	switch (fz_below(t, 8)) {
	case 0:
		return fz_chance(t, 50) ? 23 + fz_below(t, 77) :
		       fz_chance(t, 50) ? 104 + fz_below(t, 4) : fz_rand64(&t->rng);
	case 1:
	case 2:
		return FZ_PICK(t, snp);
	default:
		return fz_below(t, ARRAY_SIZE(sev_cmd_names));
	}
}

void fz_sev_cmd_op(struct fz_thread *t)
{
	static const struct fz_field hdr_f[] = {
		F(kvm_sev_cmd, id), F(kvm_sev_cmd, data), F(kvm_sev_cmd, error),
		F(kvm_sev_cmd, sev_fd),
	};
	struct fz_vm *vm = fz_vm_get(t);
	struct kvm_sev_cmd cmd = { 0 }, *p;
	union sev_payload d;
	const struct fz_field *f;
	const char *name;
	size_t size, nf;
	bool whole;

	if (!vm)
		return;
	cmd.id = pick_sev_cmd(t, vm);
	name = sev_cmd_name(cmd.id);
	size = sev_payload(t, vm, cmd.id, &d, &f, &nf);
	if (size) {
		fz_mutate(t, &d, f, nf, 50);
		cmd.data = (uintptr_t)fz_place(t, FZ_AREA_CMD, &d, size, &whole);
	} else if (fz_chance(t, 10)) {
		cmd.data = fz_rand64(&t->rng);
	}
	/* KVM asks only that it be /dev/sev: a read-only one too */
	cmd.sev_fd = fz_fd(t, fz_chance(t, 10) ? t->sev_ro_fd : t->sev_fd,
			   "sev_fd");
	fz_mutate(t, &cmd, hdr_f, ARRAY_SIZE(hdr_f), 5);
	p = fz_place(t, FZ_AREA_IOCTL, &cmd, sizeof(cmd), &whole);
	fz_ioctl(t, FZ_SEV_OP, name, fz_fd(t, vm->fd, "vm"),
		 KVM_MEMORY_ENCRYPT_OP, p, whole ? &p->error : NULL,
		 fw_on_success(cmd.id));
}
