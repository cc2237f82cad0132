/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every userspace tool of the project wants and libc lacks: the
 * kernel's names for a few macros, writing and reading small files
 * (sysfs, debugfs, procfs), and the kernel's taint flags. Shared by the
 * selftests, the fuzzer and the benches; results are returned, never
 * judged here.
 */
#ifndef SEV_TOOL_UTIL_H
#define SEV_TOOL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#ifndef PAGE_SIZE
#define PAGE_SIZE		4096UL
#endif
#ifndef BIT
#define BIT(n)			(1U << (n))
#endif
#ifndef BIT_ULL
#define BIT_ULL(n)		(1ULL << (n))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
/* printf format checking, under the kernel's name */
#define __gcc_attr(...)		__attribute__((__VA_ARGS__))
#ifndef __printf
#define __printf(a, b)		__gcc_attr(format(printf, a, b))
#endif

/* A formatted string, written to @path in one write(); 0 or -errno */
static inline int vwrite_file(const char *path, const char *fmt, va_list ap)
{
	char buf[128];
	int fd, len, ret = 0;

	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (len < 0 || len >= (int)sizeof(buf))
		return -EOVERFLOW;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

static inline __printf(2, 3)
int write_file(const char *path, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vwrite_file(path, fmt, ap);
	va_end(ap);
	return ret;
}

/* A small file into @buf, NUL-terminated; its length, or -errno */
static inline int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

/* /proc/sys/kernel/tainted, or -1 when it cannot be read */
static inline long long read_taint(void)
{
	long long v = -1;
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");

	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

#endif /* SEV_TOOL_UTIL_H */
