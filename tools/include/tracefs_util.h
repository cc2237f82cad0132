/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tracing instance of a test's own, read back as a user would through
 * tracefs: the global buffer, and whatever else left events enabled
 * there, are not touched. The instance is a directory under
 * TRACEFS/instances; the test makes it, enables its events and removes it.
 */
#ifndef TRACEFS_UTIL_H
#define TRACEFS_UTIL_H

#include <sys/mount.h>
#include <sys/stat.h>

#include "sev_tool_util.h"

#define TRACEFS		"/sys/kernel/tracing"

/* tracefs, mounted if it is not; 0 or -errno */
static inline int tracefs_mount(void)
{
	struct stat st;

	if (!stat(TRACEFS "/instances", &st))
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	return stat(TRACEFS "/instances", &st) ? -ENOENT : 0;
}

/* Empty the buffer of the instance at @dir; 0 or -errno */
static inline int tracefs_clear(const char *dir)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * The buffer of the instance at @dir into @text (@size bytes, at most
 * @size - 1 of the trace, NUL-terminated); its length, or -errno
 */
static inline int tracefs_read(const char *dir, char *text, size_t size)
{
	char path[256];
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1 && (n = read(fd, text + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return len;
}

#endif /* TRACEFS_UTIL_H */
