// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: kvm-sev's rules on VMs this suite makes up, with no device and no
 * firmware call:
 *
 * - kvm_sev_migrate_rules: who may mirror (KVM_CAP_VM_COPY_ENC_CONTEXT_FROM)
 *   and move (KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM) whose context
 *   (kvm-svm-sev/sev-migrate.c), and a move done: the context, the VMSAs
 *   and the source's life go to the destination.
 * - kvm_sev_cmd_rules: which KVM_MEMORY_ENCRYPT_OP commands a mirror and an
 *   SNP guest may issue (kvm-svm-sev/sev.c), and which launch commands
 *   kvm-sev itself refuses in which state of a VM before the firmware is
 *   asked (sev.c, sev-launch.c, sev-snp.c). The order of the launch
 *   commands is the firmware's to enforce: sim_fw_launch_states tests the
 *   simulated firmware's.
 *
 * Every row is named and says the errno it expects.
 */
#include <kunit/test.h>
#include <linux/kref.h>
#include <linux/kvm-sev.h>
#include <linux/mutex.h>

#include "sev.h"

/* A VM's SEV state, as the rows give it */
enum vm_sev {
	NOT_SEV,
	SEV,
	SEV_ES,
	SNP,
};

struct vm_spec {
	unsigned long type;	/* KVM_X86_*_VM */
	enum vm_sev sev;
	bool mirror;		/* a mirror of another VM */
	bool started;		/* LAUNCH_START (SEV: a handle; SNP: a context) */
	int vcpus;
	int launched;		/* of those, the first ones' VMSAs encrypted */
};

#define FAKE_ASID	7U
#define FAKE_HANDLE	0x42U

/* A VM in the state @s says, freed with the test. */
static struct kvm *fake_vm(struct kunit *test, const struct vm_spec *s)
{
	struct kvm *kvm = kunit_kzalloc(test, sizeof(*kvm), GFP_KERNEL);
	struct kvm_sev_info *sev;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, kvm);
	mutex_init(&kvm->lock);
	mutex_init(&kvm->slots_lock);
	kref_init(&kvm->users);
	kvm->vm_type = s->type;

	sev = to_kvm_sev_info(kvm);
	INIT_LIST_HEAD(&sev->regions_list);
	INIT_LIST_HEAD(&sev->mirror_vms);
	INIT_LIST_HEAD(&sev->mirror_entry);
	sev->need_init = s->type != KVM_X86_DEFAULT_VM && s->sev == NOT_SEV;
	if (s->sev != NOT_SEV) {
		sev->active = true;
		sev->es_active = s->sev != SEV;
		sev->asid = FAKE_ASID;
		if (s->sev == SNP)
			sev->vmsa_features = SVM_SEV_FEAT_SNP_ACTIVE;
	}
	if (s->started && s->sev == SNP) {
		/* never used as a page here: only its being there counts */
		sev->snp_context = kunit_kzalloc(test, 8, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, sev->snp_context);
	} else if (s->started) {
		sev->handle = FAKE_HANDLE;
	}
	if (s->mirror) {
		/* an owner that is never looked at, only pointed to */
		sev->enc_context_owner = kunit_kzalloc(test, sizeof(*kvm),
						       GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, sev->enc_context_owner);
	}

	for (i = 0; i < s->vcpus; i++) {
		struct kvm_vcpu *vcpu = kunit_kzalloc(test, sizeof(*vcpu),
						      GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, vcpu);
		vcpu->kvm = kvm;
		mutex_init(&vcpu->mutex);
		vcpu->vcpu_id = i;
		vcpu->vcpu_idx = i;
		vcpu->guest_state_protected = i < s->launched;
		kvm->vcpus[i] = vcpu;
	}
	kvm->created_vcpus = s->vcpus;
	atomic_set(&kvm->online_vcpus, s->vcpus);
	return kvm;
}

/* The VMs of the rows */
#define VM(t)			{ .type = KVM_X86_##t }
#define VM_SEV(t, s)		{ .type = KVM_X86_##t, .sev = s }
#define VM_STARTED(t, s)	{ .type = KVM_X86_##t, .sev = s, .started = true }
#define VM_MIRROR(t, s)		{ .type = KVM_X86_##t, .sev = s, .mirror = true }
#define VM_VCPUS(t, s, n, l)	{ .type = KVM_X86_##t, .sev = s, .vcpus = n, \
				  .launched = l }

/* kvm_sev_migrate_rules */

struct migrate_row {
	const char *name;
	struct vm_spec dst, src;
	bool self;		/* src is dst */
	int expected;
};

static void migrate_row_desc(const struct migrate_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

static const struct migrate_row mirror_rows[] = {
	{ "sev_source", VM(DEFAULT_VM), VM_STARTED(SEV_VM, SEV), false, 0 },
	{ "sev_es_source", VM(DEFAULT_VM), VM_STARTED(SEV_ES_VM, SEV_ES), false,
	  0 },
	{ "legacy_sev_source", VM(DEFAULT_VM), VM_SEV(DEFAULT_VM, SEV), false,
	  0 },
	{ "sev_es_source_with_vcpus", VM(DEFAULT_VM),
	  VM_VCPUS(SEV_ES_VM, SEV_ES, 2, 2), false, 0 },
	{ "self", VM_SEV(SEV_VM, SEV), {}, true, -EINVAL },
	{ "self_not_sev", VM(DEFAULT_VM), {}, true, -EINVAL },
	{ "source_not_sev", VM(DEFAULT_VM), VM(DEFAULT_VM), false, -EINVAL },
	{ "source_sev_type_before_init", VM(DEFAULT_VM), VM(SEV_VM), false,
	  -EINVAL },
	{ "source_is_a_mirror", VM(DEFAULT_VM), VM_MIRROR(DEFAULT_VM, SEV),
	  false, -EINVAL },
	{ "source_snp", VM(DEFAULT_VM), VM_STARTED(SNP_VM, SNP), false,
	  -EINVAL },
	{ "destination_sev", VM_SEV(SEV_VM, SEV), VM_SEV(SEV_VM, SEV), false,
	  -EINVAL },
	{ "destination_already_a_mirror", VM_MIRROR(DEFAULT_VM, SEV),
	  VM_SEV(SEV_VM, SEV), false, -EINVAL },
	{ "destination_with_vcpus", VM_VCPUS(DEFAULT_VM, NOT_SEV, 1, 0),
	  VM_SEV(SEV_VM, SEV), false, -EINVAL },
};

KUNIT_ARRAY_PARAM(mirror_rules, mirror_rows, migrate_row_desc);

static void mirror_rules(struct kunit *test)
{
	const struct migrate_row *r = test->param_value;
	struct kvm *dst = fake_vm(test, &r->dst);
	struct kvm *src = r->self ? dst : fake_vm(test, &r->src);

	KUNIT_EXPECT_EQ(test, r->expected, sev_mirror_check(dst, src));
}

static const struct migrate_row move_rows[] = {
	{ "sev", VM(SEV_VM), VM_STARTED(SEV_VM, SEV), false, 0 },
	{ "legacy_sev", VM(DEFAULT_VM), VM_SEV(DEFAULT_VM, SEV), false, 0 },
	{ "sev_es_vcpus_launched", VM_VCPUS(SEV_ES_VM, NOT_SEV, 2, 0),
	  VM_VCPUS(SEV_ES_VM, SEV_ES, 2, 2), false, 0 },
	{ "sev_es_no_vcpus", VM(SEV_ES_VM), VM_SEV(SEV_ES_VM, SEV_ES), false,
	  0 },
	/* plain SEV state is not in the vCPUs: their number is free */
	{ "sev_other_vcpu_count", VM_VCPUS(SEV_VM, NOT_SEV, 1, 0),
	  VM_VCPUS(SEV_VM, SEV, 3, 0), false, 0 },
	/* a mirror moved: the destination is the owner's mirror after */
	{ "mirror_source", VM(DEFAULT_VM), VM_MIRROR(DEFAULT_VM, SEV), false,
	  0 },
	{ "self", VM_SEV(SEV_VM, SEV), {}, true, -EINVAL },
	{ "other_vm_type", VM(SEV_ES_VM), VM_SEV(SEV_VM, SEV), false, -EINVAL },
	{ "legacy_to_sev_type", VM(SEV_VM), VM_SEV(DEFAULT_VM, SEV), false,
	  -EINVAL },
	{ "source_not_sev", VM(SEV_VM), VM(SEV_VM), false, -EINVAL },
	{ "destination_sev", VM_SEV(SEV_VM, SEV), VM_SEV(SEV_VM, SEV), false,
	  -EINVAL },
	{ "source_snp", VM(SNP_VM), VM_STARTED(SNP_VM, SNP), false, -EINVAL },
	{ "sev_es_fewer_destination_vcpus", VM_VCPUS(SEV_ES_VM, NOT_SEV, 1, 0),
	  VM_VCPUS(SEV_ES_VM, SEV_ES, 2, 2), false, -EINVAL },
	{ "sev_es_more_destination_vcpus", VM_VCPUS(SEV_ES_VM, NOT_SEV, 3, 0),
	  VM_VCPUS(SEV_ES_VM, SEV_ES, 2, 2), false, -EINVAL },
	{ "sev_es_vmsa_not_launched", VM_VCPUS(SEV_ES_VM, NOT_SEV, 2, 0),
	  VM_VCPUS(SEV_ES_VM, SEV_ES, 2, 1), false, -EINVAL },
	{ "sev_es_no_vmsa_launched", VM_VCPUS(SEV_ES_VM, NOT_SEV, 1, 0),
	  VM_VCPUS(SEV_ES_VM, SEV_ES, 1, 0), false, -EINVAL },
};

KUNIT_ARRAY_PARAM(move_rules, move_rows, migrate_row_desc);

/* In sev_vm_move_enc_context_from()'s order: the VMs, then their vCPUs */
static void move_rules(struct kunit *test)
{
	const struct migrate_row *r = test->param_value;
	struct kvm *dst = fake_vm(test, &r->dst);
	struct kvm *src = r->self ? dst : fake_vm(test, &r->src);
	int ret;

	ret = sev_move_check(dst, src);
	if (!ret)
		ret = sev_move_check_vcpus(dst, src);
	KUNIT_EXPECT_EQ(test, r->expected, ret);
}

static void move_takes_the_context_and_kills_the_source(struct kunit *test)
{
	const struct vm_spec d = VM_VCPUS(SEV_ES_VM, NOT_SEV, 2, 0);
	const struct vm_spec s = VM_VCPUS(SEV_ES_VM, SEV_ES, 2, 2);
	struct kvm *dst = fake_vm(test, &d), *src = fake_vm(test, &s);
	struct kvm_sev_info *dsev = to_kvm_sev_info(dst);
	struct kvm_sev_info *ssev = to_kvm_sev_info(src);
	struct sev_es_save_area *vmsa[2];
	int i;

	ssev->handle = FAKE_HANDLE;
	ssev->policy = SEV_POLICY_ES;
	ssev->vmsa_features = SVM_SEV_FEAT_DEBUG_SWAP;
	for (i = 0; i < 2; i++) {
		/* only swapped, never looked into */
		vmsa[i] = kunit_kzalloc(test, 8, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, vmsa[i]);
		src->vcpus[i]->vmsa = vmsa[i];
	}

	KUNIT_ASSERT_EQ(test, 0, sev_vm_move_enc_context_from(dst, src));

	KUNIT_EXPECT_TRUE(test, sev_es_guest(dst));
	KUNIT_EXPECT_EQ(test, FAKE_ASID, dsev->asid);
	KUNIT_EXPECT_EQ(test, FAKE_HANDLE, dsev->handle);
	KUNIT_EXPECT_EQ(test, (u32)SEV_POLICY_ES, dsev->policy);
	KUNIT_EXPECT_EQ(test, (u64)SVM_SEV_FEAT_DEBUG_SWAP, dsev->vmsa_features);
	KUNIT_EXPECT_FALSE(test, dsev->need_init);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_PTR_EQ(test, vmsa[i], dst->vcpus[i]->vmsa);
		KUNIT_EXPECT_TRUE(test, dst->vcpus[i]->guest_state_protected);
		KUNIT_EXPECT_NULL(test, src->vcpus[i]->vmsa);
		KUNIT_EXPECT_FALSE(test, src->vcpus[i]->guest_state_protected);
	}

	/* the source has nothing left, and every ioctl on it is -EIO */
	KUNIT_EXPECT_TRUE(test, src->vm_dead);
	KUNIT_EXPECT_FALSE(test, sev_guest(src));
	KUNIT_EXPECT_EQ(test, 0U, ssev->asid);
	KUNIT_EXPECT_EQ(test, 0U, ssev->handle);
	KUNIT_EXPECT_FALSE(test, dst->vm_dead);

	/* the two VMs are free for another copy or move */
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&dsev->migration_in_progress));
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&ssev->migration_in_progress));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&dst->lock));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&src->lock));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&src->vcpus[1]->mutex));
}

static void move_refused_changes_nothing(struct kunit *test)
{
	const struct vm_spec d = VM_VCPUS(SEV_ES_VM, NOT_SEV, 2, 0);
	const struct vm_spec s = VM_VCPUS(SEV_ES_VM, SEV_ES, 2, 1);
	struct kvm *dst = fake_vm(test, &d), *src = fake_vm(test, &s);

	/* a vCPU whose VMSA is not launched: refused under every lock */
	KUNIT_EXPECT_EQ(test, -EINVAL, sev_vm_move_enc_context_from(dst, src));
	KUNIT_EXPECT_FALSE(test, src->vm_dead);
	KUNIT_EXPECT_TRUE(test, sev_es_guest(src));
	KUNIT_EXPECT_EQ(test, FAKE_ASID, to_kvm_sev_info(src)->asid);
	KUNIT_EXPECT_FALSE(test, sev_guest(dst));
	KUNIT_EXPECT_TRUE(test, src->vcpus[0]->guest_state_protected);
	KUNIT_EXPECT_FALSE(test, dst->vcpus[0]->guest_state_protected);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&dst->vcpus[0]->mutex));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&src->vcpus[0]->mutex));
}

static void move_from_a_busy_vm_is_ebusy(struct kunit *test)
{
	const struct vm_spec d = VM(SEV_VM), s = VM_SEV(SEV_VM, SEV);
	struct kvm *dst = fake_vm(test, &d), *src = fake_vm(test, &s);
	struct kvm_sev_info *dsev = to_kvm_sev_info(dst);
	struct kvm_sev_info *ssev = to_kvm_sev_info(src);

	/* the source is in another copy or move already */
	atomic_set(&ssev->migration_in_progress, 1);
	KUNIT_EXPECT_EQ(test, -EBUSY, sev_vm_move_enc_context_from(dst, src));
	/* the destination it had claimed is released */
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&dsev->migration_in_progress));
	KUNIT_EXPECT_EQ(test, 1, atomic_read(&ssev->migration_in_progress));
	KUNIT_EXPECT_TRUE(test, sev_guest(src));

	/* ... and a busy destination the same */
	atomic_set(&ssev->migration_in_progress, 0);
	atomic_set(&dsev->migration_in_progress, 1);
	KUNIT_EXPECT_EQ(test, -EBUSY, sev_vm_move_enc_context_from(dst, src));
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&ssev->migration_in_progress));
	KUNIT_EXPECT_FALSE(test, src->vm_dead);
}

static struct kunit_case kvm_sev_migrate_rules_cases[] = {
	KUNIT_CASE_PARAM(mirror_rules, mirror_rules_gen_params),
	KUNIT_CASE_PARAM(move_rules, move_rules_gen_params),
	KUNIT_CASE(move_takes_the_context_and_kills_the_source),
	KUNIT_CASE(move_refused_changes_nothing),
	KUNIT_CASE(move_from_a_busy_vm_is_ebusy),
	{}
};

static struct kunit_suite kvm_sev_migrate_rules_suite = {
	.name = "kvm_sev_migrate_rules",
	.test_cases = kvm_sev_migrate_rules_cases,
};

/* kvm_sev_cmd_rules */

struct cmd_row {
	const char *name;
	struct vm_spec vm;
	u32 cmd;
	int expected;
};

static void cmd_row_desc(const struct cmd_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

#define MIRROR		VM_MIRROR(DEFAULT_VM, SEV)
#define MIRROR_ES	VM_MIRROR(DEFAULT_VM, SEV_ES)
#define SNP_GUEST	VM_STARTED(SNP_VM, SNP)

/* Who may issue what (sev_mem_enc_cmd_check()) */
static const struct cmd_row who_rows[] = {
	/* a mirror runs vCPUs and reads state; launching is its owner's */
	{ "mirror_launch_update_vmsa", MIRROR_ES, KVM_SEV_LAUNCH_UPDATE_VMSA,
	  0 },
	{ "mirror_guest_status", MIRROR, KVM_SEV_GUEST_STATUS, 0 },
	{ "mirror_dbg_decrypt", MIRROR, KVM_SEV_DBG_DECRYPT, 0 },
	{ "mirror_dbg_encrypt", MIRROR, KVM_SEV_DBG_ENCRYPT, 0 },
	{ "mirror_init", MIRROR, KVM_SEV_INIT, -EINVAL },
	{ "mirror_es_init", MIRROR, KVM_SEV_ES_INIT, -EINVAL },
	{ "mirror_init2", MIRROR, KVM_SEV_INIT2, -EINVAL },
	{ "mirror_launch_start", MIRROR, KVM_SEV_LAUNCH_START, -EINVAL },
	{ "mirror_launch_update_data", MIRROR, KVM_SEV_LAUNCH_UPDATE_DATA,
	  -EINVAL },
	{ "mirror_launch_secret", MIRROR, KVM_SEV_LAUNCH_SECRET, -EINVAL },
	{ "mirror_launch_measure", MIRROR, KVM_SEV_LAUNCH_MEASURE, -EINVAL },
	{ "mirror_launch_finish", MIRROR, KVM_SEV_LAUNCH_FINISH, -EINVAL },
	{ "mirror_send_start", MIRROR, KVM_SEV_SEND_START, -EINVAL },
	{ "mirror_receive_start", MIRROR, KVM_SEV_RECEIVE_START, -EINVAL },
	{ "mirror_cert_export", MIRROR, KVM_SEV_CERT_EXPORT, -EINVAL },
	{ "mirror_get_attestation_report", MIRROR,
	  KVM_SEV_GET_ATTESTATION_REPORT, -EINVAL },
	{ "mirror_snp_launch_start", MIRROR, KVM_SEV_SNP_LAUNCH_START,
	  -EINVAL },
	{ "mirror_snp_launch_update", MIRROR, KVM_SEV_SNP_LAUNCH_UPDATE,
	  -EINVAL },
	{ "mirror_snp_launch_finish", MIRROR, KVM_SEV_SNP_LAUNCH_FINISH,
	  -EINVAL },
	{ "mirror_unknown_command", MIRROR, 99, -EINVAL },
	/* an SNP guest takes the SNP commands only */
	{ "snp_snp_launch_start", SNP_GUEST, KVM_SEV_SNP_LAUNCH_START, 0 },
	{ "snp_snp_launch_update", SNP_GUEST, KVM_SEV_SNP_LAUNCH_UPDATE, 0 },
	{ "snp_snp_launch_finish", SNP_GUEST, KVM_SEV_SNP_LAUNCH_FINISH, 0 },
	{ "snp_init", SNP_GUEST, KVM_SEV_INIT, -EPERM },
	{ "snp_init2", SNP_GUEST, KVM_SEV_INIT2, -EPERM },
	{ "snp_launch_start", SNP_GUEST, KVM_SEV_LAUNCH_START, -EPERM },
	{ "snp_launch_update_data", SNP_GUEST, KVM_SEV_LAUNCH_UPDATE_DATA,
	  -EPERM },
	{ "snp_launch_update_vmsa", SNP_GUEST, KVM_SEV_LAUNCH_UPDATE_VMSA,
	  -EPERM },
	{ "snp_launch_measure", SNP_GUEST, KVM_SEV_LAUNCH_MEASURE, -EPERM },
	{ "snp_launch_finish", SNP_GUEST, KVM_SEV_LAUNCH_FINISH, -EPERM },
	{ "snp_guest_status", SNP_GUEST, KVM_SEV_GUEST_STATUS, -EPERM },
	{ "snp_dbg_decrypt", SNP_GUEST, KVM_SEV_DBG_DECRYPT, -EPERM },
	{ "snp_get_attestation_report", SNP_GUEST,
	  KVM_SEV_GET_ATTESTATION_REPORT, -EPERM },
	/* an SNP VM before KVM_SEV_INIT2 is no SNP guest yet */
	{ "snp_vm_before_init_init2", VM(SNP_VM), KVM_SEV_INIT2, 0 },
	/* the others are left to the command */
	{ "sev_launch_start", VM_SEV(SEV_VM, SEV), KVM_SEV_LAUNCH_START, 0 },
	{ "sev_es_launch_update_vmsa", VM_STARTED(SEV_ES_VM, SEV_ES),
	  KVM_SEV_LAUNCH_UPDATE_VMSA, 0 },
	{ "sev_snp_launch_start", VM_SEV(SEV_VM, SEV), KVM_SEV_SNP_LAUNCH_START,
	  0 },
	{ "not_sev_launch_start", VM(DEFAULT_VM), KVM_SEV_LAUNCH_START, 0 },
};

KUNIT_ARRAY_PARAM(who_may_issue, who_rows, cmd_row_desc);

static void who_may_issue(struct kunit *test)
{
	const struct cmd_row *r = test->param_value;
	struct kvm *kvm = fake_vm(test, &r->vm);

	KUNIT_EXPECT_EQ(test, r->expected, sev_mem_enc_cmd_check(kvm, r->cmd));
}

/*
 * What a command refuses before it reads its parameters or asks the
 * firmware (sev_do_mem_enc_cmd(), with no parameters). A command that
 * passes kvm-sev's checks goes on to read them: -EFAULT here, from the
 * NULL data; which launch command may follow which is then the
 * firmware's to say (sim_fw_launch_states). Only rows that stop before
 * the firmware are here: the VMs have no /dev/sev.
 */
static const struct cmd_row launch_rows[] = {
	/* before KVM_SEV_INIT(2): not an SEV guest */
	{ "launch_start_before_init", VM(SEV_VM), KVM_SEV_LAUNCH_START,
	  -ENOTTY },
	{ "launch_update_data_before_init", VM(SEV_VM),
	  KVM_SEV_LAUNCH_UPDATE_DATA, -ENOTTY },
	{ "launch_update_vmsa_before_init", VM(SEV_ES_VM),
	  KVM_SEV_LAUNCH_UPDATE_VMSA, -ENOTTY },
	{ "launch_measure_before_init", VM(SEV_VM), KVM_SEV_LAUNCH_MEASURE,
	  -ENOTTY },
	{ "launch_secret_before_init", VM(SEV_VM), KVM_SEV_LAUNCH_SECRET,
	  -ENOTTY },
	{ "launch_finish_before_init", VM(SEV_VM), KVM_SEV_LAUNCH_FINISH,
	  -ENOTTY },
	{ "guest_status_before_init", VM(SEV_VM), KVM_SEV_GUEST_STATUS,
	  -ENOTTY },
	{ "attestation_report_before_init", VM(SEV_VM),
	  KVM_SEV_GET_ATTESTATION_REPORT, -ENOTTY },
	{ "dbg_decrypt_before_init", VM(SEV_VM), KVM_SEV_DBG_DECRYPT,
	  -ENOTTY },
	{ "snp_launch_start_before_init", VM(SNP_VM), KVM_SEV_SNP_LAUNCH_START,
	  -ENOTTY },
	{ "snp_launch_update_before_init", VM(SNP_VM),
	  KVM_SEV_SNP_LAUNCH_UPDATE, -EINVAL },
	{ "snp_launch_finish_before_init", VM(SNP_VM),
	  KVM_SEV_SNP_LAUNCH_FINISH, -ENOTTY },
	/* one init per VM */
	{ "init_twice", VM_SEV(DEFAULT_VM, SEV), KVM_SEV_INIT, -EINVAL },
	{ "init2_twice", VM_SEV(SEV_VM, SEV), KVM_SEV_INIT2, -EINVAL },
	{ "init2_on_default_vm", VM(DEFAULT_VM), KVM_SEV_INIT2, -EINVAL },
	{ "init_on_sev_vm_type", VM(SEV_VM), KVM_SEV_INIT, -EINVAL },
	/* SEV: LAUNCH_START once; VMSAs for SEV-ES only */
	{ "launch_start", VM_SEV(SEV_VM, SEV), KVM_SEV_LAUNCH_START, -EFAULT },
	{ "launch_start_twice", VM_STARTED(SEV_VM, SEV), KVM_SEV_LAUNCH_START,
	  -EINVAL },
	{ "launch_start_twice_sev_es", VM_STARTED(SEV_ES_VM, SEV_ES),
	  KVM_SEV_LAUNCH_START, -EINVAL },
	{ "launch_update_vmsa_plain_sev", VM_STARTED(SEV_VM, SEV),
	  KVM_SEV_LAUNCH_UPDATE_VMSA, -ENOTTY },
	{ "launch_update_data_after_start", VM_STARTED(SEV_VM, SEV),
	  KVM_SEV_LAUNCH_UPDATE_DATA, -EFAULT },
	{ "launch_measure_after_start", VM_STARTED(SEV_VM, SEV),
	  KVM_SEV_LAUNCH_MEASURE, -EFAULT },
	{ "launch_secret_after_start", VM_STARTED(SEV_VM, SEV),
	  KVM_SEV_LAUNCH_SECRET, -EFAULT },
	{ "attestation_report_after_start", VM_STARTED(SEV_VM, SEV),
	  KVM_SEV_GET_ATTESTATION_REPORT, -EFAULT },
	/* kvm-sev does not know the launch state: UPDATE_DATA is let through */
	{ "launch_update_data_before_start", VM_SEV(SEV_VM, SEV),
	  KVM_SEV_LAUNCH_UPDATE_DATA, -EFAULT },
	/* SNP: UPDATE and FINISH after SNP_LAUNCH_START only */
	{ "snp_launch_start", VM_SEV(SNP_VM, SNP), KVM_SEV_SNP_LAUNCH_START,
	  -EFAULT },
	{ "snp_launch_update_before_start", VM_SEV(SNP_VM, SNP),
	  KVM_SEV_SNP_LAUNCH_UPDATE, -EINVAL },
	{ "snp_launch_finish_before_start", VM_SEV(SNP_VM, SNP),
	  KVM_SEV_SNP_LAUNCH_FINISH, -EINVAL },
	{ "snp_launch_update_after_start", SNP_GUEST, KVM_SEV_SNP_LAUNCH_UPDATE,
	  -EFAULT },
	{ "snp_launch_finish_after_start", SNP_GUEST, KVM_SEV_SNP_LAUNCH_FINISH,
	  -EFAULT },
	{ "snp_launch_start_on_sev_es", VM_STARTED(SEV_ES_VM, SEV_ES),
	  KVM_SEV_SNP_LAUNCH_START, -ENOTTY },
	{ "snp_launch_update_on_sev_es", VM_STARTED(SEV_ES_VM, SEV_ES),
	  KVM_SEV_SNP_LAUNCH_UPDATE, -EINVAL },
	{ "snp_launch_finish_on_sev_es", VM_STARTED(SEV_ES_VM, SEV_ES),
	  KVM_SEV_SNP_LAUNCH_FINISH, -ENOTTY },
	/* and what KVM has but kvm-sev does not */
	{ "send_start", VM_STARTED(SEV_VM, SEV), KVM_SEV_SEND_START, -EINVAL },
	{ "receive_start", VM_STARTED(SEV_VM, SEV), KVM_SEV_RECEIVE_START,
	  -EINVAL },
	{ "cert_export", VM_STARTED(SEV_VM, SEV), KVM_SEV_CERT_EXPORT,
	  -EINVAL },
	{ "unknown_command", VM_STARTED(SEV_VM, SEV), 99, -EINVAL },
};

KUNIT_ARRAY_PARAM(launch_guards, launch_rows, cmd_row_desc);

static void launch_guards(struct kunit *test)
{
	const struct cmd_row *r = test->param_value;
	struct kvm *kvm = fake_vm(test, &r->vm);
	struct kvm_sev_cmd cmd = { .id = r->cmd, .sev_fd = -1 };
	struct kvm_sev_info before = *to_kvm_sev_info(kvm);

	KUNIT_EXPECT_EQ(test, r->expected, sev_do_mem_enc_cmd(kvm, &cmd));
	/* a refused command changes nothing of the VM */
	KUNIT_EXPECT_EQ(test, before.active, to_kvm_sev_info(kvm)->active);
	KUNIT_EXPECT_EQ(test, before.handle, to_kvm_sev_info(kvm)->handle);
	KUNIT_EXPECT_PTR_EQ(test, before.snp_context,
			    to_kvm_sev_info(kvm)->snp_context);
	KUNIT_EXPECT_EQ(test, 0, cmd.error);
}

static struct kunit_case kvm_sev_cmd_rules_cases[] = {
	KUNIT_CASE_PARAM(who_may_issue, who_may_issue_gen_params),
	KUNIT_CASE_PARAM(launch_guards, launch_guards_gen_params),
	{}
};

static struct kunit_suite kvm_sev_cmd_rules_suite = {
	.name = "kvm_sev_cmd_rules",
	.test_cases = kvm_sev_cmd_rules_cases,
};

kunit_test_suites(&kvm_sev_migrate_rules_suite, &kvm_sev_cmd_rules_suite);
