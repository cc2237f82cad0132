// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SEV_GET_ATTESTATION_REPORT and KVM_SEV_LAUNCH_SECRET against
 * /dev/kvm-sev, with the guest owner played here (OpenSSL): LAUNCH_START
 * gets the owner's DH certificate and session, so the test knows the TEK
 * and TIK the firmware unwraps, and can build a secret packet the
 * firmware accepts and check the report it signs.
 *
 * The report (SEV API, spec 55766 rev 0.24, "ATTESTATION"; 0xd0 bytes):
 * MNONCE, LAUNCH_DIGEST (SHA-256 of what was launched), POLICY, then the
 * PEK's ECDSA P-384 / SHA-256 signature over bytes 0h..33h, R and S
 * little-endian (72 bytes each). It is verified against the PEK of
 * /dev/sev's PDH_CERT_EXPORT chain. The length query is upstream's: len 0
 * is -EIO with the firmware's INVALID_LEN and the length written back.
 *
 * The secret packet (spec 55766, "LAUNCH_SECRET"): a header of FLAGS, IV
 * and MAC, the data under AES-128-CTR with the TEK, the MAC an
 * HMAC-SHA256 under the TIK over 0x01 || FLAGS || IV || GUEST_LENGTH ||
 * TRANS_LENGTH || the encrypted data || the launch measurement. The
 * firmware takes it only between LAUNCH_MEASURE and LAUNCH_FINISH; KVM
 * pins the guest range (-EINVAL for none or a wrapping one, -ENOMEM for
 * one that cannot be pinned, -EINVAL for one not physically contiguous)
 * and copies the blobs (-EINVAL without them or over 16 KiB).
 *
 * The simulator does not encrypt guest memory, so the VMM's view of it
 * shows where the secret landed even for a NODBG guest.
 *
 * The program makes its simulated PSP (sevsim0) and removes it at the end
 * (kvm_sev_util.h); each test starts with no guest context in it.
 */
#include <assert.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "kselftest_harness.h"
#include "kvm_sev_util.h"
#include "sev_cert.h"

#define GUEST_PAGES		2
#define GUEST_SIZE		(GUEST_PAGES * PAGE_SIZE)
#define GUEST_GPA		0x100000
#define SECRET_OFF		0x200
#define SECRET_LEN		64

#define SEV_USAGE_INVALID	0x1000
#define SEV_USAGE_PEK		0x1002
#define SEV_USAGE_PDH		0x1003
#define SEV_ALGO_ECDSA_SHA256	0x2
#define SEV_ALGO_ECDH_SHA256	0x3
#define SEV_CURVE_P384		2
#define P384_LEN		48

/* PDH_CERT_EXPORT's chain: PEK, OCA, CEK */
struct sev_chain {
	struct sev_cert pek, oca, cek;
};

#define REPORT_LEN		0xd0
#define REPORT_SIGNED_LEN	0x34

struct attestation_report {
	uint8_t mnonce[16];
	uint8_t launch_digest[32];
	uint32_t policy;
	uint32_t sig_usage;
	uint32_t sig_algo;
	uint32_t rsvd;
	uint8_t sig_r[72];
	uint8_t sig_s[72];
};

/* LAUNCH_START's session blob */
struct sev_session {
	uint8_t nonce[16];
	uint8_t wrap_tk[32];
	uint8_t wrap_iv[16];
	uint8_t wrap_mac[32];
	uint8_t policy_mac[32];
};

/* LAUNCH_SECRET's packet header */
struct secret_hdr {
	uint32_t flags;
	uint8_t iv[16];
	uint8_t mac[32];
};

static_assert(sizeof(struct sev_cert) == SEV_CERT_LEN, "SEV certificate");
static_assert(sizeof(struct attestation_report) == REPORT_LEN, "report");
static_assert(sizeof(struct secret_hdr) == 52, "secret header");

/* What the guest owner knows */
struct owner {
	struct sev_cert dh;
	struct sev_session session;
	uint8_t tek[16], tik[16];
	uint8_t measurement[32];
};

/* 48 bytes big-endian into a 72-byte little-endian field */
static void le_from_be(uint8_t *le, const uint8_t *be)
{
	memset(le, 0, 72);
	be_from_le(le, be);
}

/* Is @r's signature a valid one by @pek's key over its first 0x34 bytes? */
static bool report_verifies(const struct attestation_report *r,
			    const struct sev_cert *pek)
{
	EVP_PKEY *key = sev_cert_key(pek);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *sig = ECDSA_SIG_new();
	uint8_t rb[P384_LEN], sb[P384_LEN], *der = NULL;
	bool good = false;
	int len;

	if (!key || !md || !sig)
		goto out;
	be_from_le(rb, r->sig_r);
	be_from_le(sb, r->sig_s);
	ECDSA_SIG_set0(sig, BN_bin2bn(rb, P384_LEN, NULL),
		       BN_bin2bn(sb, P384_LEN, NULL));
	len = i2d_ECDSA_SIG(sig, &der);
	good = len > 0 &&
	       EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0 &&
	       EVP_DigestVerify(md, der, len, (const uint8_t *)r,
				REPORT_SIGNED_LEN) == 1;
	OPENSSL_free(der);
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return good;
}

static void hmac256(const uint8_t *key, size_t keylen, const void *data,
		    size_t len, uint8_t out[32])
{
	unsigned int n = 32;

	HMAC(EVP_sha256(), key, keylen, data, len, out, &n);
}

/* The SEV KDF: HMAC-SHA256(key, 1 || label || 0 || ctx || L), LE */
static void sev_kdf(const uint8_t *key, size_t keylen, const char *label,
		    const uint8_t *ctx, size_t ctxlen, uint8_t *out,
		    size_t len)
{
	uint8_t msg[64], mac[32];
	size_t n = 0, llen = strlen(label);
	uint32_t v = 1;

	memcpy(msg, &v, 4);
	n += 4;
	memcpy(msg + n, label, llen + 1);
	n += llen + 1;
	memcpy(msg + n, ctx, ctxlen);
	n += ctxlen;
	v = len * 8;
	memcpy(msg + n, &v, 4);
	n += 4;
	hmac256(key, keylen, msg, n, mac);
	memcpy(out, mac, len);
}

static bool aes128_ctr(const uint8_t key[16], const uint8_t iv[16],
		       uint8_t *buf, int len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int out = 0;
	bool ok;

	ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, key, iv) &&
	     EVP_EncryptUpdate(ctx, buf, &out, buf, len) && out == len;
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/*
 * The owner's side of LAUNCH_START for @policy: an ephemeral P-384 key as
 * a PDH-format certificate, Z = ECDH with the platform's PDH, master
 * secret, KEK and KIK from it, and new TEK and TIK wrapped for the
 * firmware. Returns false if OpenSSL failed.
 */
static bool owner_session(struct owner *o, const struct sev_cert *pdh,
			  uint32_t policy)
{
	uint8_t x[P384_LEN], y[P384_LEN], z[P384_LEN];
	uint8_t master[16], kek[16], kik[16];
	EVP_PKEY *mine = NULL, *peer = sev_cert_key(pdh);
	BIGNUM *bx = NULL, *by = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t zlen = sizeof(z);
	bool ok = false;

	memset(o, 0, sizeof(*o));
	mine = EVP_EC_gen("P-384");
	if (!peer || !mine ||
	    !EVP_PKEY_get_bn_param(mine, OSSL_PKEY_PARAM_EC_PUB_X, &bx) ||
	    !EVP_PKEY_get_bn_param(mine, OSSL_PKEY_PARAM_EC_PUB_Y, &by) ||
	    BN_bn2binpad(bx, x, P384_LEN) != P384_LEN ||
	    BN_bn2binpad(by, y, P384_LEN) != P384_LEN)
		goto out;
	o->dh.version = 1;
	o->dh.usage = SEV_USAGE_PDH;
	o->dh.algo = SEV_ALGO_ECDH_SHA256;
	o->dh.curve = SEV_CURVE_P384;
	le_from_be(o->dh.qx, x);
	le_from_be(o->dh.qy, y);
	o->dh.sig[0].usage = SEV_USAGE_INVALID;
	o->dh.sig[1].usage = SEV_USAGE_INVALID;

	ctx = EVP_PKEY_CTX_new(mine, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer(ctx, peer) <= 0 ||
	    EVP_PKEY_derive(ctx, z, &zlen) <= 0 || zlen != sizeof(z))
		goto out;
	if (RAND_bytes(o->session.nonce, 16) != 1 ||
	    RAND_bytes(o->session.wrap_iv, 16) != 1 ||
	    RAND_bytes(o->tek, 16) != 1 || RAND_bytes(o->tik, 16) != 1)
		goto out;
	sev_kdf(z, sizeof(z), "sev-master-secret", o->session.nonce, 16,
		master, sizeof(master));
	sev_kdf(master, sizeof(master), "sev-kek", NULL, 0, kek, sizeof(kek));
	sev_kdf(master, sizeof(master), "sev-kik", NULL, 0, kik, sizeof(kik));
	memcpy(o->session.wrap_tk, o->tek, 16);
	memcpy(o->session.wrap_tk + 16, o->tik, 16);
	if (!aes128_ctr(kek, o->session.wrap_iv, o->session.wrap_tk, 32))
		goto out;
	hmac256(kik, sizeof(kik), o->session.wrap_tk, 32, o->session.wrap_mac);
	hmac256(o->tik, 16, &policy, sizeof(policy), o->session.policy_mac);
	ok = true;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(peer);
	BN_free(bx);
	BN_free(by);
	return ok;
}

/* A secret packet: @len bytes of @plain for the guest, as the owner makes it */
struct secret {
	struct secret_hdr hdr;
	uint8_t data[SEV_FW_BLOB_MAX_SIZE + 16];
	uint32_t len;
};

static bool secret_make(struct secret *s, const struct owner *o,
			const uint8_t *plain, uint32_t len)
{
	uint8_t ctx = 0x01;
	size_t n = 0;
	uint8_t *msg = malloc(1 + 4 + 16 + 4 + 4 + len + 32);

	if (!msg || len > sizeof(s->data))
		return false;
	memset(&s->hdr, 0, sizeof(s->hdr));
	s->len = len;
	memcpy(s->data, plain, len);
	if (RAND_bytes(s->hdr.iv, 16) != 1 ||
	    !aes128_ctr(o->tek, s->hdr.iv, s->data, len)) {
		free(msg);
		return false;
	}
	memcpy(msg + n, &ctx, 1);
	n += 1;
	memcpy(msg + n, &s->hdr.flags, 4);
	n += 4;
	memcpy(msg + n, s->hdr.iv, 16);
	n += 16;
	memcpy(msg + n, &len, 4);	/* GUEST_LENGTH */
	n += 4;
	memcpy(msg + n, &len, 4);	/* TRANS_LENGTH */
	n += 4;
	memcpy(msg + n, s->data, len);
	n += len;
	memcpy(msg + n, o->measurement, 32);
	n += 32;
	hmac256(o->tik, 16, msg, n, s->hdr.mac);
	free(msg);
	return true;
}

/* LAUNCH_SECRET's arguments: packet @s into @guest_len bytes at @guest */
static struct kvm_sev_launch_secret secret_params(struct secret *s,
						  void *guest,
						  uint32_t guest_len)
{
	return (struct kvm_sev_launch_secret) {
		.hdr_uaddr = (uint64_t)(uintptr_t)&s->hdr,
		.hdr_len = sizeof(s->hdr),
		.guest_uaddr = (uint64_t)(uintptr_t)guest,
		.guest_len = guest_len,
		.trans_uaddr = (uint64_t)(uintptr_t)s->data,
		.trans_len = s->len,
	};
}

static int launch_secret_raw(int vm, int sev_fd,
			     struct kvm_sev_launch_secret *p,
			     uint32_t *fw_error)
{
	return sev_ioctl(vm, sev_fd, KVM_SEV_LAUNCH_SECRET, p, fw_error);
}

static int launch_secret(int vm, int sev_fd, struct secret *s, void *guest,
			 uint32_t guest_len, uint32_t *fw_error)
{
	struct kvm_sev_launch_secret p = secret_params(s, guest, guest_len);

	return launch_secret_raw(vm, sev_fd, &p, fw_error);
}

static int get_report(int vm, int sev_fd, struct kvm_sev_attestation_report *p,
		      uint32_t *fw_error)
{
	return sev_ioctl(vm, sev_fd, KVM_SEV_GET_ATTESTATION_REPORT, p,
			 fw_error);
}

/* A report into @r with @mnonce: 0 or -errno */
static int report(int vm, int sev_fd, const uint8_t mnonce[16],
		  struct attestation_report *r, uint32_t *fw_error)
{
	struct kvm_sev_attestation_report p = {
		.uaddr = (uint64_t)(uintptr_t)r,
		.len = sizeof(*r),
	};

	memcpy(p.mnonce, mnonce, sizeof(p.mnonce));
	memset(r, 0x5a, sizeof(*r));
	return get_report(vm, sev_fd, &p, fw_error);
}

/* A launched VM, its memory, and what its owner knows */
struct attest_vm {
	int kvm_fd;
	int sev_fd;
	int vm;
	int vcpu;
	uint32_t policy;
	struct guest_mem mem;
	struct sev_cert pdh;
	struct sev_chain chain;
	struct owner owner;
	uint8_t launched[GUEST_SIZE];	/* what LAUNCH_UPDATE_DATA took */
};

FIXTURE(attest) {
	struct attest_vm v;
};

FIXTURE_VARIANT(attest) {
	unsigned long type;
	bool es;
	bool nodbg;
};

FIXTURE_VARIANT_ADD(attest, sev) { .type = KVM_X86_SEV_VM };
FIXTURE_VARIANT_ADD(attest, sev_es) { .type = KVM_X86_SEV_ES_VM, .es = true };
FIXTURE_VARIANT_ADD(attest, sev_nodbg) {
	.type = KVM_X86_SEV_VM, .nodbg = true,
};

FIXTURE_SETUP(attest)
{
	struct sev_user_data_pdh_cert_export ex = {
		.pdh_cert_address = (uintptr_t)&self->v.pdh,
		.pdh_cert_len = sizeof(self->v.pdh),
		.cert_chain_address = (uintptr_t)&self->v.chain,
		.cert_chain_len = sizeof(self->v.chain),
	};
	struct kvm_sev_launch_start start = {};
	struct kvm_sev_launch_update_data update;
	uint32_t error = 0;
	int types;

	self->v.vm = -1;
	self->v.vcpu = -1;
	types = kvm_sev_fixture_open(_metadata, &self->v.kvm_fd,
				     &self->v.sev_fd);
	if (!(types & BIT(variant->type)))
		SKIP(return, "VM type %lu is not in KVM_CAP_VM_TYPES (%#x)",
		     variant->type, types);

	self->v.vm = kvm_create_vm(self->v.kvm_fd, variant->type);
	ASSERT_LE(0, self->v.vm);
	ASSERT_EQ(0, sev_vm_init(self->v.vm, self->v.sev_fd, variant->type,
				 variant->es, &error)) TH_LOG("fw %#x", error);
	/* the platform is initialised: its PDH and the PEK that signs */
	ASSERT_EQ(0, sev_cmd(self->v.sev_fd, SEV_PDH_CERT_EXPORT, &ex, &error))
		TH_LOG("PDH_CERT_EXPORT: fw %#x", error);
	ASSERT_EQ(SEV_USAGE_PEK, self->v.chain.pek.usage);
	self->v.policy = (variant->es ? SEV_POLICY_ES : 0) |
		       (variant->nodbg ? SEV_POLICY_NO_DBG : 0);
	ASSERT_TRUE(owner_session(&self->v.owner, &self->v.pdh, self->v.policy));

	ASSERT_EQ(0, guest_mem_add(self->v.vm, 0, GUEST_GPA, GUEST_SIZE,
				   &self->v.mem));
	fill_pattern(self->v.mem.hva, GUEST_SIZE, 42);
	memcpy(self->v.launched, self->v.mem.hva, GUEST_SIZE);
	ASSERT_EQ(0, sev_register_region(self->v.vm, &self->v.mem));
	self->v.vcpu = kvm_create_vcpu(self->v.vm, 0);
	ASSERT_LE(0, self->v.vcpu);

	start.policy = self->v.policy;
	start.dh_uaddr = (uint64_t)(uintptr_t)&self->v.owner.dh;
	start.dh_len = sizeof(self->v.owner.dh);
	start.session_uaddr = (uint64_t)(uintptr_t)&self->v.owner.session;
	start.session_len = sizeof(self->v.owner.session);
	ASSERT_EQ(0, sev_ioctl(self->v.vm, self->v.sev_fd, KVM_SEV_LAUNCH_START,
			       &start, &error))
		TH_LOG("LAUNCH_START with the owner's session: fw %#x", error);
	update.uaddr = (uint64_t)(uintptr_t)self->v.mem.hva;
	update.len = GUEST_SIZE;
	ASSERT_EQ(0, sev_ioctl(self->v.vm, self->v.sev_fd,
			       KVM_SEV_LAUNCH_UPDATE_DATA, &update, &error))
		TH_LOG("fw %#x", error);
	if (variant->es)
		ASSERT_EQ(0, sev_ioctl(self->v.vm, self->v.sev_fd,
				       KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
				       &error)) TH_LOG("fw %#x", error);
}

FIXTURE_TEARDOWN(attest)
{
	if (self->v.vcpu >= 0)
		close(self->v.vcpu);
	if (self->v.vm >= 0)
		close(self->v.vm);
	guest_mem_free(&self->v.mem);
	close(self->v.kvm_fd);
	close(self->v.sev_fd);
}

/* LAUNCH_MEASURE: the owner keeps the measurement its secrets are MAC'd with */
static void measure(struct __test_metadata *_metadata,
		    struct attest_vm *self)
{
	struct kvm_sev_launch_measure m;
	uint8_t blob[SEV_LAUNCH_MEASURE_LEN];
	uint32_t error = 0;

	m.uaddr = (uint64_t)(uintptr_t)blob;
	m.len = sizeof(blob);
	ASSERT_EQ(0, sev_ioctl(self->vm, self->sev_fd, KVM_SEV_LAUNCH_MEASURE,
			       &m, &error)) TH_LOG("fw %#x", error);
	memcpy(self->owner.measurement, blob, 32);
}

static void finish(struct __test_metadata *_metadata,
		   struct attest_vm *self)
{
	uint32_t error = 0;

	ASSERT_EQ(0, sev_ioctl(self->vm, self->sev_fd, KVM_SEV_LAUNCH_FINISH,
			       NULL, &error)) TH_LOG("fw %#x", error);
}

/*
 * The guest's memory as the guest sees it: DBG_DECRYPT, or for a NODBG
 * guest (which the firmware refuses it) the VMM's view, which the
 * simulator leaves in plaintext.
 */
static void read_guest(struct __test_metadata *_metadata,
		       struct attest_vm *self, bool nodbg, uint8_t *out)
{
	uint32_t error = 0;

	memset(out, 0x5a, GUEST_SIZE);
	if (nodbg) {
		EXPECT_EQ(-EIO, sev_dbg(self->vm, self->sev_fd, true,
					self->mem.hva, out, 16, &error));
		EXPECT_EQ(SEV_RET_POLICY_FAILURE, error);
		memcpy(out, self->mem.hva, GUEST_SIZE);
		return;
	}
	ASSERT_EQ(0, sev_dbg(self->vm, self->sev_fd, true, self->mem.hva, out,
			     GUEST_SIZE, &error)) TH_LOG("fw %#x", error);
}

/* LAUNCH_SECRET of @s into @len bytes at @guest: the firmware's @status */
static void expect_secret_refused(struct __test_metadata *_metadata,
				  struct attest_vm *self, struct secret *s,
				  void *guest, uint32_t len, uint32_t status)
{
	uint32_t error = 0;

	EXPECT_EQ(-EIO, launch_secret(self->vm, self->sev_fd, s, guest, len,
				      &error));
	EXPECT_EQ(status, error);
}

/* The guest's memory is what was launched, with @secret at @off */
static void expect_guest(struct __test_metadata *_metadata,
			 struct attest_vm *self, bool nodbg,
			 const uint8_t *secret, size_t off, size_t len)
{
	static uint8_t got[GUEST_SIZE], want[GUEST_SIZE];
	size_t i;

	memcpy(want, self->launched, GUEST_SIZE);
	if (secret)
		memcpy(want + off, secret, len);
	read_guest(_metadata, self, nodbg, got);
	for (i = 0; i < GUEST_SIZE; i++)
		if (got[i] != want[i])
			break;
	EXPECT_EQ(GUEST_SIZE, i)
		TH_LOG("guest byte %#zx is %#x, want %#x", i, got[i], want[i]);
}

/* ---- GET_ATTESTATION_REPORT ---- */

/*
 * upstream's length query: len 0 asks the firmware with no buffer, which
 * answers INVALID_LEN (-EIO) and the length, written back; nothing is
 * written to uaddr. Any other length is KVM's to judge first (over
 * SEV_FW_BLOB_MAX_SIZE: -EINVAL), then the firmware's (too short:
 * INVALID_LEN, the length not written back, as upstream).
 */
TEST_F(attest, report_length_query)
{
	struct kvm_sev_attestation_report p = {};
	static uint8_t buf[PAGE_SIZE];
	uint32_t error;

	measure(_metadata, &self->v);
	memset(buf, 0x5a, sizeof(buf));
	p.uaddr = (uint64_t)(uintptr_t)buf;
	p.len = 0;
	error = 0;
	EXPECT_EQ(-EIO, get_report(self->v.vm, self->v.sev_fd, &p, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(REPORT_LEN, p.len) TH_LOG("the length, written back");
	EXPECT_EQ(0x5a, buf[0]);

	/* no buffer at all: the same answer */
	p.uaddr = 0;
	p.len = 0;
	error = 0;
	EXPECT_EQ(-EIO, get_report(self->v.vm, self->v.sev_fd, &p, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(REPORT_LEN, p.len);

	/* a length without a buffer: the firmware gets neither */
	p.uaddr = 0;
	p.len = 0x100;
	error = 0;
	EXPECT_EQ(-EIO, get_report(self->v.vm, self->v.sev_fd, &p, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(0x100, p.len) TH_LOG("a failed call writes nothing back");

	/* too short for the report */
	p.uaddr = (uint64_t)(uintptr_t)buf;
	p.len = REPORT_LEN - 1;
	error = 0;
	EXPECT_EQ(-EIO, get_report(self->v.vm, self->v.sev_fd, &p, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	EXPECT_EQ(REPORT_LEN - 1, p.len);
	EXPECT_EQ(0x5a, buf[0]) TH_LOG("a refused report was written");

	/* more than KVM passes to the firmware */
	p.len = SEV_FW_BLOB_MAX_SIZE + 1;
	EXPECT_EQ(-EINVAL, get_report(self->v.vm, self->v.sev_fd, &p, NULL));

	/* a larger buffer: the report, and its length */
	p.len = sizeof(buf);
	error = 0;
	EXPECT_EQ(0, get_report(self->v.vm, self->v.sev_fd, &p, &error))
		TH_LOG("fw %#x", error);
	EXPECT_EQ(REPORT_LEN, p.len);
	EXPECT_EQ(SEV_USAGE_PEK, ((struct attestation_report *)buf)->sig_usage);
}

TEST_F(attest, report_bad_addresses)
{
	struct kvm_sev_attestation_report p = { .len = REPORT_LEN };
	struct kvm_sev_cmd cmd = {
		.id = KVM_SEV_GET_ATTESTATION_REPORT,
		.sev_fd = self->v.sev_fd,
	};
	void *gone;

	measure(_metadata, &self->v);
	gone = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, gone);
	munmap(gone, PAGE_SIZE);
	/* the report is made, then cannot be copied out */
	p.uaddr = (uint64_t)(uintptr_t)gone;
	EXPECT_EQ(-EFAULT, get_report(self->v.vm, self->v.sev_fd, &p, NULL));
	/* a read-only buffer neither */
	gone = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_NE(MAP_FAILED, gone);
	p.uaddr = (uint64_t)(uintptr_t)gone;
	EXPECT_EQ(-EFAULT, get_report(self->v.vm, self->v.sev_fd, &p, NULL));
	munmap(gone, PAGE_SIZE);
	/* no struct kvm_sev_attestation_report */
	EXPECT_EQ(-EFAULT, kvm_ioctl(self->v.vm, KVM_MEMORY_ENCRYPT_OP,
				     (unsigned long)&cmd));
}

/*
 * The report: the MNONCE asked for, the launch digest (for SEV the
 * SHA-256 of the launched memory), the policy, signed by the PEK; a
 * changed byte fails verification, another MNONCE gives another
 * signature over the same digest.
 */
TEST_F(attest, report_fields_and_signature)
{
	struct attestation_report r1, r2;
	uint8_t n1[16], n2[16], digest[32];
	uint32_t error = 0;

	measure(_metadata, &self->v);
	fill_pattern(n1, sizeof(n1), 1);
	fill_pattern(n2, sizeof(n2), 2);
	ASSERT_EQ(0, report(self->v.vm, self->v.sev_fd, n1, &r1, &error))
		TH_LOG("fw %#x", error);
	EXPECT_EQ(0, memcmp(n1, r1.mnonce, 16)) TH_LOG("MNONCE not echoed");
	EXPECT_EQ(self->v.policy, r1.policy);
	EXPECT_EQ(SEV_USAGE_PEK, r1.sig_usage);
	EXPECT_EQ(SEV_ALGO_ECDSA_SHA256, r1.sig_algo);
	EXPECT_EQ(0, r1.rsvd);
	if (!variant->es) {
		/* SEV: the digest is of the memory alone */
		SHA256(self->v.launched, GUEST_SIZE, digest);
		EXPECT_EQ(0, memcmp(digest, r1.launch_digest, 32))
			TH_LOG("LAUNCH_DIGEST is not SHA-256 of the launch");
	}
	EXPECT_TRUE(report_verifies(&r1, &self->v.chain.pek))
		TH_LOG("the report is not signed by the PEK");
	/* the PDH's key cannot have signed it: the check can fail */
	EXPECT_FALSE(report_verifies(&r1, &self->v.pdh));

	ASSERT_EQ(0, report(self->v.vm, self->v.sev_fd, n2, &r2, &error));
	EXPECT_EQ(0, memcmp(n2, r2.mnonce, 16));
	EXPECT_EQ(0, memcmp(r1.launch_digest, r2.launch_digest, 32));
	EXPECT_NE(0, memcmp(r1.sig_r, r2.sig_r, 72) |
		     memcmp(r1.sig_s, r2.sig_s, 72));
	EXPECT_TRUE(report_verifies(&r2, &self->v.chain.pek));

	/* r1's signature does not cover r2's MNONCE */
	memcpy(r2.sig_r, r1.sig_r, 72);
	memcpy(r2.sig_s, r1.sig_s, 72);
	EXPECT_FALSE(report_verifies(&r2, &self->v.chain.pek));
	r1.launch_digest[5] ^= 1;
	EXPECT_FALSE(report_verifies(&r1, &self->v.chain.pek));
	r1.launch_digest[5] ^= 1;
	r1.policy ^= SEV_POLICY_NO_DBG;
	EXPECT_FALSE(report_verifies(&r1, &self->v.chain.pek));
}

/*
 * The firmware signs only a fixed digest: not during LAUNCH_UPDATE
 * (INVALID_GUEST_STATE, for the length query too), then between
 * LAUNCH_MEASURE and LAUNCH_FINISH and while the guest runs, with the
 * same digest; a LAUNCH_SECRET does not change it.
 */
TEST_F(attest, report_guest_states)
{
	struct kvm_sev_attestation_report p = {};
	struct attestation_report r1, r2;
	uint8_t nonce[16] = { 7 };
	struct secret *s = calloc(1, sizeof(*s));
	uint8_t plain[SECRET_LEN];
	uint32_t error;

	ASSERT_NE(NULL, s);
	error = 0;
	EXPECT_EQ(-EIO, report(self->v.vm, self->v.sev_fd, nonce, &r1, &error));
	EXPECT_EQ(SEV_RET_INVALID_GUEST_STATE, error);
	EXPECT_EQ(0x5a, r1.mnonce[0]);
	error = 0;
	EXPECT_EQ(-EIO, get_report(self->v.vm, self->v.sev_fd, &p, &error));
	EXPECT_EQ(SEV_RET_INVALID_GUEST_STATE, error);

	measure(_metadata, &self->v);
	ASSERT_EQ(0, report(self->v.vm, self->v.sev_fd, nonce, &r1, &error));
	EXPECT_TRUE(report_verifies(&r1, &self->v.chain.pek));

	fill_pattern(plain, sizeof(plain), 3);
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	ASSERT_EQ(0, launch_secret(self->v.vm, self->v.sev_fd, s,
				   self->v.mem.hva + SECRET_OFF, SECRET_LEN,
				   &error)) TH_LOG("fw %#x", error);
	finish(_metadata, &self->v);

	ASSERT_EQ(0, report(self->v.vm, self->v.sev_fd, nonce, &r2, &error))
		TH_LOG("a running guest: fw %#x", error);
	EXPECT_EQ(0, memcmp(r1.launch_digest, r2.launch_digest, 32));
	EXPECT_TRUE(report_verifies(&r2, &self->v.chain.pek));
	free(s);
}

/* ---- LAUNCH_SECRET ---- */

/* A correctly wrapped secret lands in the guest, and only there */
TEST_F(attest, secret_injected)
{
	struct secret *s = calloc(1, sizeof(*s));
	struct kvm_sev_guest_status st;
	uint8_t plain[SECRET_LEN];
	uint32_t error = 0;

	ASSERT_NE(NULL, s);
	measure(_metadata, &self->v);
	fill_pattern(plain, sizeof(plain), 9);
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	ASSERT_EQ(0, launch_secret(self->v.vm, self->v.sev_fd, s,
				   self->v.mem.hva + SECRET_OFF, SECRET_LEN,
				   &error)) TH_LOG("fw %#x", error);
	EXPECT_EQ(0, error);
	expect_guest(_metadata, &self->v, variant->nodbg, plain, SECRET_OFF,
		     SECRET_LEN);
	ASSERT_EQ(0, sev_guest_status(self->v.vm, self->v.sev_fd, &st, NULL));
	EXPECT_EQ(SEV_GUEST_STATE_LAUNCH_SECRET, st.state);

	/* a second one, at the end of the memory: the state allows it */
	fill_pattern(plain, sizeof(plain), 10);
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	EXPECT_EQ(0, launch_secret(self->v.vm, self->v.sev_fd, s,
				   self->v.mem.hva + GUEST_SIZE - SECRET_LEN,
				   SECRET_LEN, &error)) TH_LOG("fw %#x", error);
	memcpy(self->v.launched + GUEST_SIZE - SECRET_LEN, plain, SECRET_LEN);
	fill_pattern(plain, sizeof(plain), 9);
	expect_guest(_metadata, &self->v, variant->nodbg, plain, SECRET_OFF,
		     SECRET_LEN);
	finish(_metadata, &self->v);
	free(s);
}

/* The largest packet: one page's worth, filling a whole guest page */
TEST_F(attest, secret_whole_page)
{
	struct secret *s = calloc(1, sizeof(*s));
	static uint8_t plain[PAGE_SIZE];
	uint32_t error = 0;

	ASSERT_NE(NULL, s);
	measure(_metadata, &self->v);
	fill_pattern(plain, sizeof(plain), 11);
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	ASSERT_EQ(0, launch_secret(self->v.vm, self->v.sev_fd, s,
				   self->v.mem.hva + PAGE_SIZE, PAGE_SIZE,
				   &error)) TH_LOG("fw %#x", error);
	expect_guest(_metadata, &self->v, variant->nodbg, plain, PAGE_SIZE,
		     PAGE_SIZE);
	free(s);
}

/*
 * The MAC decides: a changed byte of the data, of the IV, a MAC over
 * another measurement (BAD_MEASUREMENT), or flags the firmware does not
 * take (compression: INVALID_PARAM); nothing is written.
 */
TEST_F(attest, secret_bad_packets)
{
	struct secret *s = calloc(1, sizeof(*s));
	uint8_t plain[SECRET_LEN];
	void *dst = self->v.mem.hva + SECRET_OFF;

	ASSERT_NE(NULL, s);
	measure(_metadata, &self->v);
	fill_pattern(plain, sizeof(plain), 12);

	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	s->data[3] ^= 0x80;
	expect_secret_refused(_metadata, &self->v, s, dst, SECRET_LEN,
			      SEV_RET_BAD_MEASUREMENT);

	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	s->hdr.iv[0] ^= 1;
	expect_secret_refused(_metadata, &self->v, s, dst, SECRET_LEN,
			      SEV_RET_BAD_MEASUREMENT);

	/* the owner's MAC over another measurement */
	self->v.owner.measurement[0] ^= 1;
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	self->v.owner.measurement[0] ^= 1;
	expect_secret_refused(_metadata, &self->v, s, dst, SECRET_LEN,
			      SEV_RET_BAD_MEASUREMENT);

	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	s->hdr.flags = 1;
	expect_secret_refused(_metadata, &self->v, s, dst, SECRET_LEN,
			      SEV_RET_INVALID_PARAM);

	expect_guest(_metadata, &self->v, variant->nodbg, NULL, 0, 0);
	free(s);
}

/*
 * Only between LAUNCH_MEASURE and LAUNCH_FINISH (the measurement it is
 * MAC'd with is fixed then, and a running guest takes no secrets):
 * INVALID_GUEST_STATE before and after.
 */
TEST_F(attest, secret_guest_states)
{
	struct secret *s = calloc(1, sizeof(*s));
	uint8_t plain[SECRET_LEN];
	void *dst = self->v.mem.hva + SECRET_OFF;

	ASSERT_NE(NULL, s);
	fill_pattern(plain, sizeof(plain), 13);
	/* before LAUNCH_MEASURE: no measurement to MAC, any packet refused */
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	expect_secret_refused(_metadata, &self->v, s, dst, SECRET_LEN,
			      SEV_RET_INVALID_GUEST_STATE);

	measure(_metadata, &self->v);
	finish(_metadata, &self->v);
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	expect_secret_refused(_metadata, &self->v, s, dst, SECRET_LEN,
			      SEV_RET_INVALID_GUEST_STATE);
	expect_guest(_metadata, &self->v, variant->nodbg, NULL, 0, 0);
	free(s);
}

/*
 * The lengths: the guest range must be given (-EINVAL, KVM pins it), the
 * blobs too (-EINVAL), at most SEV_FW_BLOB_MAX_SIZE each; then the
 * firmware: a 52-byte header, a packet as long as the guest range, in
 * 16-byte blocks (INVALID_LEN).
 */
TEST_F(attest, secret_bad_lengths)
{
	struct secret *s = calloc(1, sizeof(*s));
	struct kvm_sev_launch_secret p, good;
	uint8_t plain[SECRET_LEN];
	uint32_t error;

	ASSERT_NE(NULL, s);
	measure(_metadata, &self->v);
	fill_pattern(plain, sizeof(plain), 14);
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	good = secret_params(s, self->v.mem.hva + SECRET_OFF, SECRET_LEN);

	p = good;
	p.guest_len = 0;
	EXPECT_EQ(-EINVAL, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));
	p = good;
	p.trans_len = 0;
	EXPECT_EQ(-EINVAL, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));
	p = good;
	p.trans_uaddr = 0;
	EXPECT_EQ(-EINVAL, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));
	p = good;
	p.hdr_len = 0;
	EXPECT_EQ(-EINVAL, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));
	p = good;
	p.hdr_uaddr = 0;
	EXPECT_EQ(-EINVAL, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));
	/* the guest range is pinned first: only the packet is too long */
	p = good;
	p.trans_len = SEV_FW_BLOB_MAX_SIZE + 16;
	EXPECT_EQ(-EINVAL, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));
	p = good;
	p.hdr_len = SEV_FW_BLOB_MAX_SIZE + 1;
	EXPECT_EQ(-EINVAL, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));

	p = good;
	p.hdr_len = sizeof(s->hdr) - 4;
	error = 0;
	EXPECT_EQ(-EIO, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	p = good;
	p.guest_len = SECRET_LEN - 16;
	error = 0;
	EXPECT_EQ(-EIO, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);
	p = good;
	p.guest_len = SECRET_LEN - 8;
	p.trans_len = SECRET_LEN - 8;
	error = 0;
	EXPECT_EQ(-EIO, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, &error));
	EXPECT_EQ(SEV_RET_INVALID_LEN, error);

	expect_guest(_metadata, &self->v, variant->nodbg, NULL, 0, 0);
	/* and the good one still goes in */
	p = good;
	error = 0;
	EXPECT_EQ(0, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, &error))
		TH_LOG("fw %#x", error);
	expect_guest(_metadata, &self->v, variant->nodbg, plain, SECRET_OFF,
		     SECRET_LEN);
	free(s);
}

/* The physical frame of a page of ours (as root), 0 if unknown */
static uint64_t pfn_of(void *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e),
		  (uintptr_t)p / PAGE_SIZE * sizeof(e)) != sizeof(e))
		e = 0;
	close(fd);
	return (e & BIT_ULL(63)) ? e & (BIT_ULL(55) - 1) : 0;
}

/*
 * The guest range: 16-byte aligned (INVALID_ADDRESS), pinnable (an
 * unmapped or PROT_NONE page: -ENOMEM), not wrapping (-EINVAL), one
 * physical range (-EINVAL across two pages that are not contiguous). KVM
 * looks at no memory slot: VMM memory outside the guest's is taken, as
 * upstream. Unreadable blobs: -EFAULT.
 */
TEST_F(attest, secret_bad_guest_addresses)
{
	struct secret *s = calloc(1, sizeof(*s));
	uint8_t plain[SECRET_LEN], *other;
	uint8_t *hva = self->v.mem.hva;
	struct kvm_sev_launch_secret p;
	uint64_t pfn0, pfn1;
	uint32_t error;
	void *gone;
	int ret;

	ASSERT_NE(NULL, s);
	measure(_metadata, &self->v);
	fill_pattern(plain, sizeof(plain), 15);
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));

	error = 0;
	EXPECT_EQ(-EIO, launch_secret(self->v.vm, self->v.sev_fd, s,
				      hva + SECRET_OFF + 8, SECRET_LEN,
				      &error));
	EXPECT_EQ(SEV_RET_INVALID_ADDRESS, error);

	/* past the end of the guest's memory: its PROT_NONE guard page */
	EXPECT_EQ(-ENOMEM, launch_secret(self->v.vm, self->v.sev_fd, s,
					 hva + GUEST_SIZE, SECRET_LEN, NULL));
	EXPECT_EQ(-ENOMEM, launch_secret(self->v.vm, self->v.sev_fd, s,
					 hva + GUEST_SIZE - 16, SECRET_LEN,
					 NULL));
	gone = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, gone);
	munmap(gone, PAGE_SIZE);
	EXPECT_EQ(-ENOMEM, launch_secret(self->v.vm, self->v.sev_fd, s, gone,
					 SECRET_LEN, NULL));
	EXPECT_EQ(-EINVAL, launch_secret(self->v.vm, self->v.sev_fd, s,
					 (void *)(uintptr_t)(~0ULL - 31),
					 SECRET_LEN, NULL));

	/* unreadable packet or header */
	p = secret_params(s, hva + SECRET_OFF, SECRET_LEN);
	p.hdr_uaddr = (uint64_t)(uintptr_t)gone;
	EXPECT_EQ(-EFAULT, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));
	p.hdr_uaddr = (uint64_t)(uintptr_t)&s->hdr;
	p.trans_uaddr = (uint64_t)(uintptr_t)gone;
	EXPECT_EQ(-EFAULT, launch_secret_raw(self->v.vm, self->v.sev_fd, &p, NULL));
	expect_guest(_metadata, &self->v, variant->nodbg, NULL, 0, 0);

	/* across the guest's two pages: one physical range or -EINVAL */
	pfn0 = pfn_of(hva);
	pfn1 = pfn_of(hva + PAGE_SIZE);
	ASSERT_NE(0, pfn0) TH_LOG("no PFNs in /proc/self/pagemap");
	ret = launch_secret(self->v.vm, self->v.sev_fd, s,
			    hva + PAGE_SIZE - SECRET_LEN / 2, SECRET_LEN,
			    &error);
	if (pfn1 == pfn0 + 1) {
		EXPECT_EQ(0, ret) TH_LOG("contiguous pages: fw %#x", error);
		memcpy(self->v.launched + PAGE_SIZE - SECRET_LEN / 2, plain,
		       SECRET_LEN);
	} else {
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("frames %#llx, %#llx are not one range",
			       (unsigned long long)pfn0,
			       (unsigned long long)pfn1);
	}
	expect_guest(_metadata, &self->v, variant->nodbg, NULL, 0, 0);

	/* memory of the VMM in no slot: taken (KVM does not look) */
	other = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, other);
	memset(other, 0x5a, PAGE_SIZE);
	ASSERT_TRUE(secret_make(s, &self->v.owner, plain, sizeof(plain)));
	EXPECT_EQ(0, launch_secret(self->v.vm, self->v.sev_fd, s, other + 16,
				   SECRET_LEN, &error)) TH_LOG("fw %#x", error);
	EXPECT_EQ(0, memcmp(plain, other + 16, SECRET_LEN))
		TH_LOG("the plaintext view of that memory");
	EXPECT_EQ(0x5a, other[15]);
	EXPECT_EQ(0x5a, other[16 + SECRET_LEN]);
	munmap(other, PAGE_SIZE);
	free(s);
}

/*
 * Launching is the owner's: a mirror may not inject secrets nor ask for
 * reports (-EINVAL, before anything is looked at); a VM that is not SEV
 * gets -ENOTTY, one with no context yet -EBADF.
 */
TEST_F(attest, refused_on_other_vms)
{
	struct kvm_sev_attestation_report p = {};
	struct kvm_sev_launch_secret ls = {};
	struct attestation_report r;
	uint8_t nonce[16] = {};
	uint32_t error;
	int mirror, plain, fresh;

	measure(_metadata, &self->v);
	mirror = kvm_create_vm(self->v.kvm_fd, variant->type);
	ASSERT_LE(0, mirror);
	ASSERT_EQ(0, sev_mirror_from(mirror, self->v.vm));
	error = 0;
	EXPECT_EQ(-EINVAL, report(mirror, self->v.sev_fd, nonce, &r, &error));
	EXPECT_EQ(0, error) TH_LOG("no firmware command for a mirror");
	EXPECT_EQ(-EINVAL, get_report(mirror, self->v.sev_fd, &p, NULL));
	EXPECT_EQ(-EINVAL, launch_secret_raw(mirror, self->v.sev_fd, &ls, NULL));
	/* the owner still can */
	EXPECT_EQ(0, report(self->v.vm, self->v.sev_fd, nonce, &r, &error));

	plain = kvm_create_vm(self->v.kvm_fd, KVM_X86_DEFAULT_VM);
	ASSERT_LE(0, plain);
	EXPECT_EQ(-ENOTTY, report(plain, self->v.sev_fd, nonce, &r, NULL));
	EXPECT_EQ(-ENOTTY, launch_secret_raw(plain, self->v.sev_fd, &ls, NULL));

	fresh = kvm_create_vm(self->v.kvm_fd, variant->type);
	ASSERT_LE(0, fresh);
	EXPECT_EQ(-ENOTTY, report(fresh, self->v.sev_fd, nonce, &r, NULL))
		TH_LOG("not initialised");
	/*
	 * Initialised, not started: as upstream, the firmware is reached
	 * through the /dev/sev file LAUNCH_START gave, and there is none
	 * yet (-EBADF; no firmware command, no status).
	 */
	ASSERT_EQ(0, sev_vm_init(fresh, self->v.sev_fd, variant->type,
				 variant->es, NULL));
	error = 0;
	EXPECT_EQ(-EBADF, report(fresh, self->v.sev_fd, nonce, &r, &error))
		TH_LOG("no LAUNCH_START");
	EXPECT_EQ(0, error);

	close(fresh);
	close(plain);
	close(mirror);
	EXPECT_EQ(1, sim_sev_guests());
}

/* An SNP guest takes only the SNP commands: -EPERM */
TEST_F(attest, refused_on_snp)
{
	struct kvm_sev_attestation_report p = {};
	struct kvm_sev_launch_secret ls = {};
	struct kvm_sev_init init = {};
	int vm;

	if (!(kvm_check_extension(self->v.kvm_fd, KVM_CAP_VM_TYPES) &
	      BIT(KVM_X86_SNP_VM)))
		SKIP(return, "no KVM_X86_SNP_VM on this platform");
	vm = kvm_create_vm(self->v.kvm_fd, KVM_X86_SNP_VM);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, sev_ioctl(vm, self->v.sev_fd, KVM_SEV_INIT2, &init, NULL));
	EXPECT_EQ(-EPERM, get_report(vm, self->v.sev_fd, &p, NULL));
	EXPECT_EQ(-EPERM, launch_secret_raw(vm, self->v.sev_fd, &ls, NULL));
	close(vm);
}

TEST_HARNESS_MAIN
