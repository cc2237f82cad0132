/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What differs between the kernels this project builds for, in one place,
 * decided by what the target kernel's headers contain (the top-level Kbuild
 * looks), never by version number.
 *
 * Include this instead of <linux/psp-sev.h>. The uapi part: the project's
 * include/uapi/linux/psp-sev.h is a superset of every kernel's (same guard,
 * same numbers); the Kbuild force-includes it into every file first, so it
 * is the one the kernel's <linux/psp-sev.h> then finds already defined.
 */
#ifndef SEV_PSP_KERNEL_COMPAT_H
#define SEV_PSP_KERNEL_COMPAT_H

#include <linux/export.h>
#include <linux/types.h>

struct file;	/* <linux/psp-sev.h> names it without declaring it */
#include <linux/psp-sev.h>

#include <sev-psp/snp-fw-abi.h>

/*
 * Internals that only the KUnit suites call are exported only to them and
 * only when the kernel has KUnit: a production build exports the module
 * API (namespace SEV_PSP) and the backend contract (SEV_PSP_BACKEND), no
 * more.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(sym) \
	EXPORT_SYMBOL_NS_GPL(sym, SEV_PSP_KUNIT)
#else
#define EXPORT_SYMBOL_FOR_SEV_PSP_KUNIT(sym)
#endif

#endif /* SEV_PSP_KERNEL_COMPAT_H */
