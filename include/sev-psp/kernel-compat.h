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

/*
 * SNP_INIT_EX's buffer is firmware ABI (spec 56860), and the simulated
 * firmware reads all of it. A kernel whose copy predates ciphertext hiding
 * and TIO (6.9 to 6.16) has it under the same name with those fields
 * reserved: keep the kernel's out of the way and use the whole one of
 * <sev-psp/snp-fw-abi.h>.
 */
#if defined(SEV_PSP_KERNEL_HAS_SNP_API) && \
	!defined(SEV_PSP_KERNEL_HAS_SNP_INIT_EX_ASIDS_TIO)
#define sev_data_snp_init_ex sev_data_snp_init_ex_kernel
#include <linux/psp-sev.h>
#undef sev_data_snp_init_ex
#else
#include <linux/psp-sev.h>
#endif

/*
 * __psp_pa() was in <linux/psp-sev.h> and moved to <linux/psp.h> (6.9),
 * whose mailbox field masks are not SEV's (<sev-psp/backend.h> has those):
 * the same definition, without them.
 */
#ifndef __psp_pa
#include <linux/mem_encrypt.h>
#define __psp_pa(x)	__sme_pa(x)
#endif

#include <sev-psp/snp-fw-abi.h>

/*
 * With CONFIG_MODVERSIONS an export's CRC covers every type its prototype
 * reaches, as far as the exporting file has them defined. For
 * sev_issue_cmd_external_user()'s struct file that must be as far as ccp's
 * sev-dev.c of the same kernel has them, or the distribution's kvm-amd.ko
 * will not load: ccp without the SNP API (6.1) sees the I/O vectors and
 * vmalloc's areas but not the namespaces; ccp with it (checked on 6.12)
 * sees the namespaces, and not those.
 */
#include <linux/fs_struct.h>
#ifdef SEV_PSP_KERNEL_HAS_SNP_API
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#else
#include <linux/uio.h>
#include <linux/vmalloc.h>
#endif

/*
 * An SNP guest request's answer in SW_EXITINFO2 (<uapi/linux/sev-guest.h>):
 * the VMM's error in bits 63:32, the firmware's in 31:0. 6.1 lacks the
 * generic VMM error and SNP_GUEST_ERR() (both 6.8).
 */
#include <uapi/linux/sev-guest.h>
#ifndef SNP_GUEST_VMM_ERR_GENERIC
#define SNP_GUEST_VMM_ERR_GENERIC	((u32)~0U)
#endif
#ifndef SNP_GUEST_ERR
#define SNP_GUEST_FW_ERR(x)		((x) & SNP_GUEST_FW_ERR_MASK)
#define SNP_GUEST_ERR(vmm_err, fw_err)	(SNP_GUEST_VMM_ERR(vmm_err) | \
					 SNP_GUEST_FW_ERR(fw_err))
#endif

/*
 * The GHCB MSR protocol (<asm/sev-common.h>): 6.11 added the preferred
 * GHCB GPA request, the page state change's fields and its error
 * response, and the fields of the AP reset hold and hypervisor features
 * responses (6.1 has those in KVM's private svm.h).
 */
#include <linux/bits.h>
#include <asm/sev-common.h>
#ifndef GHCB_MSR_PREF_GPA_REQ
#define GHCB_MSR_PREF_GPA_REQ		0x010
#define GHCB_MSR_GPA_VALUE_POS		12
#define GHCB_MSR_GPA_VALUE_MASK		GENMASK_ULL(51, 0)
#define GHCB_MSR_PREF_GPA_RESP		0x011
#define GHCB_MSR_PREF_GPA_NONE		0xfffffffffffff
#endif
#ifndef GHCB_MSR_AP_RESET_HOLD_RESULT_POS
#define GHCB_MSR_AP_RESET_HOLD_RESULT_POS	12
#define GHCB_MSR_AP_RESET_HOLD_RESULT_MASK	GENMASK_ULL(51, 0)
#endif
#ifndef GHCB_MSR_HV_FT_POS
#define GHCB_MSR_HV_FT_POS		12
#define GHCB_MSR_HV_FT_MASK		GENMASK_ULL(51, 0)
#endif
#ifndef GHCB_MSR_PSC_REQ_TO_GFN
#define GHCB_MSR_PSC_REQ_TO_GFN(msr)	(((msr) & GENMASK_ULL(51, 12)) >> 12)
#define GHCB_MSR_PSC_REQ_TO_OP(msr)	(((msr) & GENMASK_ULL(55, 52)) >> 52)
#endif
#ifndef GHCB_MSR_PSC_RESP_ERROR
#define GHCB_MSR_PSC_RESP_ERROR		(BIT_ULL(63) | GHCB_MSR_PSC_RESP)
#endif

/* The file of a struct fd: a member before 6.12, an accessor since */
#include <linux/file.h>
/* The GHCB page state change NAE event, as <asm/sev-common.h> of 6.12 */
#ifndef VMGEXIT_PSC_MAX_COUNT
#define VMGEXIT_PSC_MAX_COUNT		253
#endif
#ifndef VMGEXIT_PSC_ERROR_GENERIC
#define VMGEXIT_PSC_ERROR_GENERIC	(0x100ULL << 32)
#define VMGEXIT_PSC_ERROR_INVALID_HDR	((1ULL << 32) | 1)
#define VMGEXIT_PSC_ERROR_INVALID_ENTRY	((1ULL << 32) | 2)
#endif
#ifndef VMGEXIT_PSC_OP_PRIVATE
#define VMGEXIT_PSC_OP_PRIVATE		1
#define VMGEXIT_PSC_OP_SHARED		2
#endif

/*
 * A hypercall exit from a guest in long mode (KVM_EXIT_HYPERCALL_LONG_MODE
 * in its flags: before 6.7 the kernel named that word longmode)
 */
#ifdef SEV_PSP_KERNEL_HAS_HYPERCALL_FLAGS
#define kvm_run_hypercall_set_long_mode(run) \
	((run)->hypercall.flags = KVM_EXIT_HYPERCALL_LONG_MODE)
#else
#define kvm_run_hypercall_set_long_mode(run) ((run)->hypercall.longmode = 1)
#endif

#ifndef fd_file
#define fd_file(f)	((f).file)
#endif

/* What a bus attribute's callbacks get: a const bus_type since 6.4 */
#ifdef SEV_PSP_KERNEL_HAS_CONST_BUS_ATTR
#define SEV_PSP_BUS_CONST	const
#else
#define SEV_PSP_BUS_CONST
#endif

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
