// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sharing and moving a VM's encryption context between VMs of one host:
 *
 * - KVM_CAP_VM_COPY_ENC_CONTEXT_FROM makes a VM a mirror of an SEV VM: it
 *   runs with the same ASID and firmware handle (a VMM's helper vCPUs,
 *   e.g. for migration), may issue only the commands that touch vCPUs or
 *   read state (is_cmd_allowed_from_mirror()), and holds a reference on its
 *   owner, so the two may be destroyed in any order and the ASID is freed
 *   once, with the owner.
 * - KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM moves the context, with its pinned
 *   regions, mirrors and SEV-ES vCPU state, to a new VM of the same type
 *   (intra-host migration, e.g. a VMM upgrade); the source is dead after.
 *
 * Their rules are functions of the two VMs' state (sev_mirror_check(),
 * sev_move_check(), sev_move_check_vcpus()), tested on VMs made up by
 * tests/kunit/kvm_sev_rules_kunit.c.
 *
 * Neither works on SNP guests (nor does KVM's: a guest context and RMP
 * entries name the ASID).
 *
 * Both VMs are claimed first (migration_in_progress: a VM in two of these
 * at once is -EBUSY, so two VMs moving into each other cannot deadlock),
 * then locked in one order, destination first, and every check is made
 * under those locks. The owner/mirror links are sev_mirror_lock's: a
 * mirror's owner is a third VM this path does not lock.
 */
#include <linux/atomic.h>
#include <linux/mutex.h>

#include "sev.h"

static DEFINE_MUTEX(sev_mirror_lock);

enum sev_migration_role {
	SEV_MIGRATION_SOURCE = 0,
	SEV_MIGRATION_TARGET,
	SEV_NR_MIGRATION_ROLES,
};

static int sev_lock_two_vms(struct kvm *dst_kvm, struct kvm *src_kvm)
{
	struct kvm_sev_info *dst_sev = to_kvm_sev_info(dst_kvm);
	struct kvm_sev_info *src_sev = to_kvm_sev_info(src_kvm);
	int r = -EBUSY;

	if (dst_kvm == src_kvm)
		return -EINVAL;

	/* A VM in a migration already: -EBUSY, never a lock cycle */
	if (atomic_cmpxchg_acquire(&dst_sev->migration_in_progress, 0, 1))
		return -EBUSY;
	if (atomic_cmpxchg_acquire(&src_sev->migration_in_progress, 0, 1))
		goto release_dst;

	r = -EINTR;
	if (mutex_lock_killable(&dst_kvm->lock))
		goto release_src;
	if (mutex_lock_killable_nested(&src_kvm->lock, SINGLE_DEPTH_NESTING))
		goto unlock_dst;
	return 0;

unlock_dst:
	mutex_unlock(&dst_kvm->lock);
release_src:
	atomic_set_release(&src_sev->migration_in_progress, 0);
release_dst:
	atomic_set_release(&dst_sev->migration_in_progress, 0);
	return r;
}

static void sev_unlock_two_vms(struct kvm *dst_kvm, struct kvm *src_kvm)
{
	mutex_unlock(&dst_kvm->lock);
	mutex_unlock(&src_kvm->lock);
	atomic_set_release(&to_kvm_sev_info(dst_kvm)->migration_in_progress, 0);
	atomic_set_release(&to_kvm_sev_info(src_kvm)->migration_in_progress, 0);
}

/**
 * sev_mirror_check() - may @dst become a mirror of @src?
 * @dst: the VM that would be the mirror
 * @src: the SEV VM whose context it would share
 *
 * The rules of KVM_CAP_VM_COPY_ENC_CONTEXT_FROM, on the two VMs' state
 * alone; the caller holds both VMs' locks.
 *
 * Return: 0, or -EINVAL.
 */
int sev_mirror_check(const struct kvm *dst, const struct kvm *src)
{
	/* sev_lock_two_vms() refuses it first: a VM is claimed once */
	if (dst == src)
		return -EINVAL;
	/*
	 * Mirrors of mirrors should work, but let's not get silly (as KVM
	 * says); nor may a VM become a mirror once it is SEV or has vCPUs.
	 */
	if (sev_guest(dst) || !sev_guest(src) ||
	    is_mirror_sev(&src->sev_info) || sev_snp_guest(src) ||
	    dst->created_vcpus)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_mirror_check);

int sev_vm_copy_enc_context_from(struct kvm *kvm, struct kvm *source_kvm)
{
	struct kvm_sev_info *mirror_sev = to_kvm_sev_info(kvm);
	struct kvm_sev_info *source_sev = to_kvm_sev_info(source_kvm);
	int ret;

	ret = sev_lock_two_vms(kvm, source_kvm);
	if (ret)
		return ret;

	ret = sev_mirror_check(kvm, source_kvm);
	if (ret)
		goto out;

	kvm_sev_host->get_vm(source_kvm);
	mutex_lock(&sev_mirror_lock);
	list_add_tail(&mirror_sev->mirror_entry, &source_sev->mirror_vms);
	mirror_sev->enc_context_owner = source_kvm;
	mutex_unlock(&sev_mirror_lock);

	mirror_sev->active = true;
	mirror_sev->asid = source_sev->asid;
	mirror_sev->fd = source_sev->fd;
	mirror_sev->es_active = source_sev->es_active;
	mirror_sev->need_init = false;
	mirror_sev->handle = source_sev->handle;
	mirror_sev->psp_epoch = source_sev->psp_epoch;
	mirror_sev->vmsa_features = source_sev->vmsa_features;
	mirror_sev->ghcb_version = source_sev->ghcb_version;
	mirror_sev->policy = source_sev->policy;
	INIT_LIST_HEAD(&mirror_sev->regions_list);
	INIT_LIST_HEAD(&mirror_sev->mirror_vms);
out:
	sev_unlock_two_vms(kvm, source_kvm);
	return ret;
}

/* A mirror going away: off its owner's list, and its reference dropped. */
void sev_mirror_release(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_kvm_sev_info(kvm);
	struct kvm *owner;

	mutex_lock(&sev_mirror_lock);
	owner = sev->enc_context_owner;
	list_del(&sev->mirror_entry);
	sev->enc_context_owner = NULL;
	mutex_unlock(&sev_mirror_lock);

	kvm_sev_host->put_vm(owner);
}

/*
 * Every vCPU's mutex, so no vCPU ioctl sees the context change. Lockdep
 * tracks one mutex of each VM: the first, in the VM's role's subclass;
 * the others are released from its view at once (they are all one class,
 * and up to KVM_SEV_MAX_VCPUS of them would exceed its nesting depth), and
 * taken back in its view before they are unlocked.
 */
static int sev_lock_vcpus_for_migration(struct kvm *kvm,
					enum sev_migration_role role)
{
	struct kvm_vcpu *vcpu;
	unsigned long i, j;

	for (i = 0; (vcpu = kvm_get_vcpu(kvm, i)); i++) {
		if (mutex_lock_killable_nested(&vcpu->mutex, role))
			goto out_unlock;
#ifdef CONFIG_PROVE_LOCKING
		if (!i)
			role = SEV_NR_MIGRATION_ROLES;
		else
			mutex_release(&vcpu->mutex.dep_map, _THIS_IP_);
#endif
	}
	return 0;

out_unlock:
	for (j = 0; (vcpu = kvm_get_vcpu(kvm, j)); j++) {
		if (j == i)
			break;
#ifdef CONFIG_PROVE_LOCKING
		if (j)
			mutex_acquire(&vcpu->mutex.dep_map, role, 0, _THIS_IP_);
#endif
		mutex_unlock(&vcpu->mutex);
	}
	return -EINTR;
}

static void sev_unlock_vcpus_for_migration(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	for (i = 0; (vcpu = kvm_get_vcpu(kvm, i)); i++) {
#ifdef CONFIG_PROVE_LOCKING
		if (i)
			mutex_acquire(&vcpu->mutex.dep_map,
				      SEV_NR_MIGRATION_ROLES, 0, _THIS_IP_);
#endif
		mutex_unlock(&vcpu->mutex);
	}
}

/**
 * sev_move_check() - may @src's context move to @dst?
 * @dst: the VM that would take the context
 * @src: the SEV VM that would give it up
 *
 * The rules of KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM on the two VMs' state, but
 * for their vCPUs' (sev_move_check_vcpus()); the caller holds both VMs'
 * locks.
 *
 * Return: 0, or -EINVAL.
 */
int sev_move_check(const struct kvm *dst, const struct kvm *src)
{
	/* sev_lock_two_vms() refuses it first: a VM is claimed once */
	if (dst == src)
		return -EINVAL;
	if (dst->vm_type != src->vm_type || sev_guest(dst) ||
	    !sev_guest(src) || sev_snp_guest(src))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_move_check);

/**
 * sev_move_check_vcpus() - may @src's vCPU state move to @dst's vCPUs?
 * @dst: the VM that would take the context
 * @src: the SEV VM that would give it up
 *
 * SEV-ES state lives in the vCPUs: one for one, each with a launched VMSA.
 * The caller holds every vCPU mutex of both VMs.
 *
 * Return: 0, or -EINVAL.
 */
int sev_move_check_vcpus(const struct kvm *dst, const struct kvm *src)
{
	struct kvm_vcpu *src_vcpu;
	unsigned long i;

	if (!sev_es_guest(src))
		return 0;
	if (atomic_read(&src->online_vcpus) != atomic_read(&dst->online_vcpus))
		return -EINVAL;
	for (i = 0; (src_vcpu = kvm_get_vcpu(src, i)); i++) {
		if (!src_vcpu->guest_state_protected)
			return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_move_check_vcpus);

static void sev_migrate_from(struct kvm *dst_kvm, struct kvm *src_kvm)
{
	struct kvm_sev_info *dst = to_kvm_sev_info(dst_kvm);
	struct kvm_sev_info *src = to_kvm_sev_info(src_kvm);
	struct kvm_vcpu *dst_vcpu, *src_vcpu;
	struct kvm_sev_info *mirror;
	unsigned long i;

	dst->active = true;
	dst->asid = src->asid;
	dst->handle = src->handle;
	dst->psp_epoch = src->psp_epoch;
	dst->fd = src->fd;
	dst->pages_locked = src->pages_locked;
	dst->es_active = src->es_active;
	dst->vmsa_features = src->vmsa_features;
	dst->ghcb_version = src->ghcb_version;
	dst->policy = src->policy;
	dst->need_init = false;

	src->asid = 0;
	src->active = false;
	src->handle = 0;
	src->psp_epoch = 0;
	src->pages_locked = 0;
	src->es_active = false;

	list_cut_before(&dst->regions_list, &src->regions_list,
			&src->regions_list);

	mutex_lock(&sev_mirror_lock);
	/* The mirrors' references follow the context to its new owner */
	if (!list_empty(&src->mirror_vms)) {
		list_cut_before(&dst->mirror_vms, &src->mirror_vms,
				&src->mirror_vms);
		list_for_each_entry(mirror, &dst->mirror_vms, mirror_entry) {
			kvm_sev_host->get_vm(dst_kvm);
			kvm_sev_host->put_vm(src_kvm);
			mirror->enc_context_owner = dst_kvm;
		}
	}
	/* A mirror moved: the new VM is its owner's mirror in its place */
	if (is_mirror_sev(src)) {
		dst->enc_context_owner = src->enc_context_owner;
		src->enc_context_owner = NULL;
		list_del(&src->mirror_entry);
		list_add_tail(&dst->mirror_entry,
			      &to_kvm_sev_info(dst->enc_context_owner)->mirror_vms);
	}
	mutex_unlock(&sev_mirror_lock);

	if (!dst->es_active)
		return;

	/*
	 * The launched VMSAs go with the context, vCPU by vCPU, and with them
	 * the GHCB state KVM keeps beside each (as upstream's sev_es)
	 */
	for (i = 0; (dst_vcpu = kvm_get_vcpu(dst_kvm, i)); i++) {
		struct ghcb *buf = dst_vcpu->sev_es.ghcb_buf;

		src_vcpu = src_kvm->vcpus[i];
		swap(dst_vcpu->vmsa, src_vcpu->vmsa);
		/*
		 * The state, and what it points to, is the destination's
		 * now (as upstream, which clears the source): the source
		 * keeps only a GHCB buffer to free, the destination's own.
		 */
		dst_vcpu->sev_es = src_vcpu->sev_es;
		memset(&src_vcpu->sev_es, 0, sizeof(src_vcpu->sev_es));
		src_vcpu->sev_es.ghcb_buf = buf;
		dst_vcpu->guest_state_protected = true;
		src_vcpu->guest_state_protected = false;
	}
}

int sev_vm_move_enc_context_from(struct kvm *kvm, struct kvm *source_kvm)
{
	int ret;

	ret = sev_lock_two_vms(kvm, source_kvm);
	if (ret)
		return ret;

	ret = sev_move_check(kvm, source_kvm);
	if (ret)
		goto out_unlock;

	ret = sev_lock_vcpus_for_migration(kvm, SEV_MIGRATION_SOURCE);
	if (ret)
		goto out_unlock;
	ret = sev_lock_vcpus_for_migration(source_kvm, SEV_MIGRATION_TARGET);
	if (ret)
		goto out_dst_vcpu;

	ret = sev_move_check_vcpus(kvm, source_kvm);
	if (ret)
		goto out_source_vcpu;

	sev_migrate_from(kvm, source_kvm);
	/* Nothing of the source is usable now: every ioctl -EIO */
	WRITE_ONCE(source_kvm->vm_dead, true);

out_source_vcpu:
	sev_unlock_vcpus_for_migration(source_kvm);
out_dst_vcpu:
	sev_unlock_vcpus_for_migration(kvm);
out_unlock:
	sev_unlock_two_vms(kvm, source_kvm);
	return ret;
}
EXPORT_SYMBOL_FOR_KVM_SEV_KUNIT(sev_vm_move_enc_context_from);
