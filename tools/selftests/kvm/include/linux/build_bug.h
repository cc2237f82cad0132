/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUILD_BUG_ON() for include/sev-psp/snp-msg.h in userspace (see bits.h
 * beside this file): C11's static assertion, so a layout the kernel's
 * header checks is checked in the selftests' build too.
 */
#ifndef SELFTEST_SHIM_LINUX_BUILD_BUG_H
#define SELFTEST_SHIM_LINUX_BUILD_BUG_H

#include <assert.h>

#ifndef BUILD_BUG_ON
#define BUILD_BUG_ON(cond)	static_assert(!(cond), #cond)
#endif

#endif /* SELFTEST_SHIM_LINUX_BUILD_BUG_H */
