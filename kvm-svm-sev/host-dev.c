// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/kvm-sev: the system file of the simulated SVM host, with KVM's
 * system ioctls, and the module's life cycle.
 *
 * The module binds to sev-psp only through its exported API
 * (<linux/psp-sev.h> and <sev-psp/...>); it needs a platform with SEV
 * (the CPU's, or sev-psp-sim's model of one) to load.
 */
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "host.h"
#include "sev.h"

static long kvm_dev_ioctl(struct file *filp, unsigned int ioctl,
			  unsigned long arg)
{
	struct kvm_device_attr attr;
	u64 val;
	int r;

	switch (ioctl) {
	case KVM_GET_API_VERSION:
		if (arg)
			return -EINVAL;
		return KVM_API_VERSION_SEV;
	case KVM_CREATE_VM:
		return kvm_dev_ioctl_create_vm(arg);
	case KVM_CHECK_EXTENSION:
		return kvm_vm_check_extension(NULL, arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		if (arg)
			return -EINVAL;
		/* struct kvm_run, then the PIO data page, as x86 KVM */
		return (KVM_PIO_PAGE_OFFSET + 1) * PAGE_SIZE;
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		if (copy_from_user(&attr, (void __user *)arg, sizeof(attr)))
			return -EFAULT;
		r = sev_dev_get_attr(attr.group, attr.attr, &val);
		if (r || ioctl == KVM_HAS_DEVICE_ATTR)
			return r;
		return put_user(val, (u64 __user *)(unsigned long)attr.addr);
	default:
		return -EINVAL;
	}
}

static const struct file_operations kvm_sev_chardev_ops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = kvm_dev_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice kvm_sev_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kvm-sev",
	.fops = &kvm_sev_chardev_ops,
	.mode = 0600,
};

static int __init kvm_sev_init(void)
{
	int ret;

	ret = sev_hardware_setup(&kvm_sev_host_ops);
	if (ret) {
		pr_err("kvm-sev: no SEV on this platform (%d)\n", ret);
		return ret;
	}
	kvm_sev_debugfs_init();
	ret = misc_register(&kvm_sev_dev);
	if (ret) {
		kvm_sev_debugfs_exit();
		sev_hardware_unsetup();
	}
	return ret;
}
module_init(kvm_sev_init);

static void __exit kvm_sev_exit(void)
{
	misc_deregister(&kvm_sev_dev);
	kvm_sev_debugfs_exit();
	sev_hardware_unsetup();
}
module_exit(kvm_sev_exit);

MODULE_DESCRIPTION("KVM SVM SEV extension on a simulated SVM host: /dev/kvm-sev");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SEV_PSP);
