/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What include/sev-psp/snp-msg.h takes from the kernel's <linux/bits.h>,
 * for the userspace selftests that share its layouts (snp_guest_lib.h).
 * Each is the kernel's definition; one a test defined first is kept.
 */
#ifndef SELFTEST_SHIM_LINUX_BITS_H
#define SELFTEST_SHIM_LINUX_BITS_H

#ifndef BIT
#define BIT(nr)			(1UL << (nr))
#endif
#ifndef BIT_ULL
#define BIT_ULL(nr)		(1ULL << (nr))
#endif
#ifndef GENMASK
#define GENMASK(h, l)		\
	(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (64 - 1 - (h))))
#endif
#ifndef GENMASK_ULL
#define GENMASK_ULL(h, l)	\
	(((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (64 - 1 - (h))))
#endif

#endif /* SELFTEST_SHIM_LINUX_BITS_H */
