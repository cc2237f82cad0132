// SPDX-License-Identifier: GPL-2.0
/*
 * Values given as options: hex strings, numbers, sizes and files. Every
 * refusal names the option it is about and says what was wrong with it,
 * so that a launch never starts with a parameter the user did not mean.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sev-vmm.h"

int verbose;

void opt_err(const char *field, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sev-vmm: %s: ", field);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void vmm_err(const char *fmt, ...)
{
	va_list ap;

	fputs("sev-vmm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void vmm_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly 2 * @len hex digits (an optional 0x before them), no more. */
void parse_hex(const char *field, const char *s, u8 *out, size_t len)
{
	size_t n, i;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	for (i = 0; s[i]; i++)
		if (hex_digit(s[i]) < 0)
			opt_err(field, "malformed hex: '%c' at position %zu",
				s[i], i + 1);
	n = strlen(s);
	if (n != 2 * len)
		opt_err(field, "wrong length: %zu hex digits, want %zu (%zu bytes)",
			n, 2 * len, len);
	for (i = 0; i < len; i++)
		out[i] = hex_digit(s[2 * i]) << 4 | hex_digit(s[2 * i + 1]);
}

u64 parse_u64(const char *field, const char *s, u64 min, u64 max)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-')
		opt_err(field, "'%s' is not a number", s);
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		opt_err(field, "'%s' is not a number", s);
	if (v < min || v > max)
		opt_err(field, "%llu is out of range (%llu to %llu)", v,
			(unsigned long long)min, (unsigned long long)max);
	return v;
}

/* A size in MiB, or with a suffix: 64M, 1G; returns MiB */
u64 parse_size_mib(const char *field, const char *s, u64 min, u64 max)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-')
		opt_err(field, "'%s' is not a size", s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		opt_err(field, "'%s' is not a size", s);
	if (*end == 'G' || *end == 'g') {
		if (v > max)
			v = max + 1;
		v *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		end++;
	}
	if (*end)
		opt_err(field, "'%s' is not a size (a number of MiB, or with M or G)",
			s);
	if (v < min || v > max)
		opt_err(field, "%s is out of range (%lluM to %lluM)", s,
			(unsigned long long)min, (unsigned long long)max);
	return v;
}

u8 *load_file(const char *field, const char *path, size_t max, size_t *len)
{
	struct stat st;
	ssize_t got;
	u8 *buf;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		opt_err(field, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		opt_err(field, "%s: not a regular file", path);
	if ((size_t)st.st_size > max)
		opt_err(field, "%s: too large (%lld bytes, at most %zu)", path,
			(long long)st.st_size, max);
	buf = calloc(1, st.st_size + 1);
	if (!buf)
		vmm_err("out of memory");
	got = read(fd, buf, st.st_size);
	if (got != st.st_size)
		opt_err(field, "%s: short read", path);
	close(fd);
	*len = st.st_size;
	return buf;
}

/* Base64 text (whitespace allowed around and inside) into @out, or -1 */
static long unbase64(const u8 *text, size_t n, u8 *out, size_t max)
{
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	int got = 0, last = 0;
	u8 *tmp;
	long ret = -1;

	tmp = malloc(n + 4);
	if (!ctx || !tmp)
		vmm_err("out of memory");
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, tmp, &got, text, n) >= 0 &&
	    EVP_DecodeFinal(ctx, tmp + got, &last) == 1 &&
	    (size_t)(got + last) <= max) {
		memcpy(out, tmp, got + last);
		ret = got + last;
	}
	EVP_ENCODE_CTX_free(ctx);
	free(tmp);
	return ret;
}

/*
 * QEMU takes these blobs as base64 files (dh-cert-file, session-file) or
 * base64 strings (id-block, id-auth); sev-tool and sev-snp-measure write
 * them raw. A file of exactly @len bytes is raw; anything else must be
 * base64 of exactly @len bytes.
 */
void load_blob(const char *field, const char *path, u8 *out, size_t len)
{
	size_t n;
	long got;
	u8 *buf = load_file(field, path, 4 * len + 4096, &n);

	if (n == len) {
		memcpy(out, buf, len);
		free(buf);
		return;
	}
	got = unbase64(buf, n, out, len);
	free(buf);
	if (got < 0)
		opt_err(field, "%s: wrong length: %zu bytes, want %zu (raw) or its base64",
			path, n, len);
	if ((size_t)got != len)
		opt_err(field, "%s: wrong length: base64 of %ld bytes, want %zu",
			path, got, len);
}

void save_file(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[4096];
	FILE *f;

	if (mkdir(dir, 0755) && errno != EEXIST)
		vmm_err("%s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		vmm_err("%s: cannot write: %s", path, strerror(errno));
	if (verbose)
		vmm_info("wrote %s (%zu bytes)\n", path, len);
}

void hex_string(char *out, const u8 *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", buf[i]);
	out[2 * len] = '\0';
}
