// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs of the simulated host: a directory for each VM, named as KVM
 * names its own ("<pid>-<fd>" of the creator and the VM file), under
 * /sys/kernel/debug/kvm-sev/.
 *
 *   private_mem  read at offset GPA: the VM's private memory as its own
 *                vCPUs see it through an encrypted mapping. No guest
 *                instruction runs on this host, so a program that plays
 *                the guest reads what the guest would (its secrets page,
 *                the pages the firmware measured) here; a VMM never can,
 *                as on hardware. Root only.
 *
 * The directory goes with the VM file (kvm_vm_release()), before the VM
 * can go: debugfs waits for readers inside private_mem's read to leave
 * before it removes the file.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "host.h"

static struct dentry *kvm_sev_debugfs_dir;

/*
 * Page by page, through a bounce page: guest memory is read under
 * kvm->slots_lock, and a page fault on @buf must not come under it.
 * The read stops at a frame that is not private or whose page the guest
 * does not have (-EIO when that is the first).
 */
static ssize_t private_mem_read(struct file *file, char __user *buf,
				size_t len, loff_t *ppos)
{
	struct kvm *kvm = file->private_data;
	size_t done = 0, off, n;
	void *page;
	u64 gpa;
	int r = 0;

	if (*ppos < 0)
		return -EINVAL;
	page = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (!page)
		return -ENOMEM;
	while (done < len) {
		if (fatal_signal_pending(current)) {
			r = -EINTR;
			break;
		}
		gpa = *ppos;
		off = offset_in_page(gpa);
		n = min_t(size_t, len - done, PAGE_SIZE - off);
		r = kvm_gmem_read_private(kvm, gpa >> PAGE_SHIFT, page);
		if (r)
			break;
		if (copy_to_user(buf + done, page + off, n)) {
			r = -EFAULT;
			break;
		}
		done += n;
		*ppos += n;
		cond_resched();
	}
	free_page((unsigned long)page);
	return done ? done : r;
}

static const struct file_operations private_mem_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = private_mem_read,
	.llseek = default_llseek,
};

/* The VM's directory, made before its file is installed (@fd reserved) */
void kvm_vm_debugfs_create(struct kvm *kvm, int fd)
{
	struct kvm_host_vm *hvm = to_host_vm(kvm);
	char name[32];

	snprintf(name, sizeof(name), "%d-%d", task_pid_nr(current), fd);
	hvm->debugfs_dentry = debugfs_create_dir(name, kvm_sev_debugfs_dir);
	if (kvm_arch_has_private_mem(kvm))
		debugfs_create_file("private_mem", 0400, hvm->debugfs_dentry,
				    kvm, &private_mem_fops);
}

void kvm_vm_debugfs_remove(struct kvm *kvm)
{
	debugfs_remove(to_host_vm(kvm)->debugfs_dentry);
}

void kvm_sev_debugfs_init(void)
{
	kvm_sev_debugfs_dir = debugfs_create_dir("kvm-sev", NULL);
}

void kvm_sev_debugfs_exit(void)
{
	debugfs_remove(kvm_sev_debugfs_dir);
}
