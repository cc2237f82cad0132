// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life of the simulated host's VMs: a VM lives as long as its file,
 * its vCPUs' files and its mirrors (struct kvm_sev_host_ops .get_vm and
 * .put_vm) hold it; the last one frees it and its vCPUs.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "host.h"
#include "sev.h"

/* Freed with its VM, when no vCPU file is left. */
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	sev_vcpu_free(vcpu);
	free_page((unsigned long)vcpu->run);
	free_page((unsigned long)vcpu->pio_data);
	kvfree(to_host_vcpu(vcpu)->cpuid_entries);
	kfree(to_host_vcpu(vcpu));
}

static void kvm_destroy_vm(struct kref *ref)
{
	struct kvm *kvm = container_of(ref, struct kvm, users);
	int i;

	sev_vm_destroy(kvm);
	for (i = 0; i < atomic_read(&kvm->online_vcpus); i++)
		kvm_vcpu_destroy(kvm->vcpus[i]);
	xa_destroy(&to_host_vm(kvm)->mem_attr);
	mmdrop(kvm->mm);
	kfree(to_host_vm(kvm));
}

void kvm_get_kvm(struct kvm *kvm)
{
	kref_get(&kvm->users);
}

void kvm_put_kvm(struct kvm *kvm)
{
	kref_put(&kvm->users, kvm_destroy_vm);
}
