// SPDX-License-Identifier: GPL-2.0
/*
 * The values the fuzzer passes: mostly what a VMM would, else one thing
 * wrong where handlers tend to slip. Lengths at 0, 1, a page and 16 KiB
 * (SEV_FW_BLOB_MAX_SIZE) and their neighbours, all-ones; buffers that end
 * right before an inaccessible page, misaligned, straddling it, NULL,
 * kernel and non-canonical addresses, a read-only page for what the
 * kernel writes; file descriptors that are closed, of the wrong device,
 * or opened read-only.
 *
 * Every choice comes from the thread's generator, seeded from --seed, so
 * one thread's run is the same sequence every time (the addresses differ
 * between runs: the log names them by what they are, not by value).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sev_fuzz.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void fz_rng_seed(struct fz_rng *rng, uint64_t seed, unsigned int stream)
{
	uint64_t x = seed ^ ((uint64_t)(stream + 1) * 0xd1342543de82ef95ULL);
	int i;

	for (i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
uint64_t fz_rand64(struct fz_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

int fz_buffers_init(struct fz_thread *t)
{
	size_t span = FZ_GUARD_LEN + PAGE_SIZE;
	uint8_t *p;
	int i;

	for (i = 0; i < FZ_AREAS; i++) {
		p = mmap(NULL, span, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		/* inaccessible rather than unmapped: nothing else lands there */
		if (mprotect(p + FZ_GUARD_LEN, PAGE_SIZE, PROT_NONE))
			return -errno;
		t->area[i] = p;
	}
	t->big = mmap(NULL, FZ_BIG_LEN, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t->ro = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (t->big == MAP_FAILED || t->ro == MAP_FAILED)
		return -ENOMEM;
	return 0;
}

void fz_buffers_free(struct fz_thread *t)
{
	int i;

	for (i = 0; i < FZ_AREAS; i++)
		if (t->area[i])
			munmap(t->area[i], FZ_GUARD_LEN + PAGE_SIZE);
	munmap(t->big, FZ_BIG_LEN);
	munmap(t->ro, PAGE_SIZE);
}

void fz_fill(struct fz_thread *t, void *p, size_t len)
{
	uint8_t *b = p;
	uint64_t r;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		r = fz_rand64(&t->rng);
		memcpy(b + i, &r, 8);
	}
	r = fz_rand64(&t->rng);
	memcpy(b + i, &r, len - i);
}

uint32_t fz_len(struct fz_thread *t, uint32_t sensible)
{
	static const uint32_t edges[] = {
		0, 1, 2, 8, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1,
		2 * PAGE_SIZE, 0x3fff, 0x4000, 0x4001, 0x10000, 0x7fffffff,
		0x80000000, 0xfffff000, 0xffffffff,
	};

	if (fz_chance(t, 50))
		return sensible;
	switch (fz_below(t, 4)) {
	case 0:
		return sensible + 1;
	case 1:
		return sensible - 1;
	case 2:
		return fz_below(t, 2 * PAGE_SIZE + 2);
	default:
		return FZ_PICK(t, edges);
	}
}

uint64_t fz_bad_addr(struct fz_thread *t)
{
	switch (fz_below(t, 7)) {
	case 0:
		return 0;
	case 1:	/* the first area's inaccessible page */
		return (uintptr_t)t->area[0] + FZ_GUARD_LEN;
	case 2:	/* the kernel's direct map */
		return 0xffff888000000000ULL + fz_below(t, 1 << 20) * PAGE_SIZE;
	case 3:	/* non-canonical */
		return 0x0000800000000000ULL + fz_below(t, 16);
	case 4:
		return ~0ULL - fz_below(t, PAGE_SIZE);
	case 5:	/* writes fault, reads see zeros */
		return (uintptr_t)t->ro;
	default:
		return 1 + fz_below(t, PAGE_SIZE);
	}
}

void *fz_buf(struct fz_thread *t, size_t len)
{
	unsigned int i = FZ_AREA_CMD + 1 + t->next_area;

	t->next_area = (t->next_area + 1) % (FZ_AREAS - FZ_AREA_CMD - 1);
	if (len > FZ_GUARD_LEN)
		return t->big;
	return t->area[i] + FZ_GUARD_LEN - len;
}

uint64_t fz_uaddr(struct fz_thread *t, void *p, size_t len, const char *what)
{
	uint64_t a;

	if (fz_chance(t, 90))
		return (uintptr_t)p;
	if (fz_chance(t, 30) && len > 1) {
		/* moved up, so that its tail is the inaccessible page */
		fz_note(t, "%s=straddle", what);
		return (uintptr_t)p + (len + 1) / 2;
	}
	a = fz_bad_addr(t);
	fz_note(t, "%s=bad", what);
	return a;
}

void *fz_place(struct fz_thread *t, unsigned int area, const void *obj,
	       size_t len, bool *whole)
{
	uint8_t *end = t->area[area] + FZ_GUARD_LEN;
	size_t k;
	unsigned int r = fz_below(t, 100);

	*whole = true;
	if (r < 80) {
		memcpy(end - len, obj, len);
		return end - len;
	}
	if (r < 88) {
		/* misaligned, in plain memory */
		k = fz_below(t, 64) + 1;
		memcpy(t->big + k, obj, len);
		fz_note(t, "arg=misaligned+%zu", k);
		return t->big + k;
	}
	*whole = false;
	if (r < 94 && len > 1) {
		/* its first bytes readable, the rest not */
		k = 1 + fz_below(t, len - 1);
		memcpy(end - k, obj, k);
		fz_note(t, "arg=straddle(%zu/%zu)", k, len);
		return end - k;
	}
	fz_note(t, "arg=bad");
	return (void *)(uintptr_t)fz_bad_addr(t);
}

int fz_fd(struct fz_thread *t, int good, const char *what)
{
	static const char * const names[] = {
		"-1", "closed", "null", "sev-ro", "sev", "kvm", "kvm-ro",
		"a-vm", "stdin",
	};
	unsigned int r;
	int fds[ARRAY_SIZE(names)];

	if (fz_chance(t, 88))
		return good;
	fds[0] = -1;
	fds[1] = t->closed_fd;
	fds[2] = t->null_fd;
	fds[3] = t->sev_ro_fd;
	fds[4] = t->sev_fd;
	fds[5] = t->kvm_fd;
	fds[6] = t->kvm_ro_fd;
	fds[7] = fz_vm_any_fd(t, NULL);
	fds[8] = 0;
	r = fz_below(t, ARRAY_SIZE(names));
	fz_note(t, "%s=%s", what, names[r]);
	return fds[r];
}

/* A boundary value for a field of @size bytes holding @v; *@how names it */
static uint64_t mutate_value(struct fz_thread *t, uint64_t v, unsigned int size,
			     const char **how)
{
	static const uint64_t small[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0xfff, 0x1000, 0x1001, 0x3fff,
		0x4000, 0x4001, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
	};

	switch (fz_below(t, 7)) {
	case 0:
		*how = "edge";
		return FZ_PICK(t, small);
	case 1:
		*how = "ones";
		return ~0ULL;
	case 2:
		*how = "flip";
		return v ^ (1ULL << fz_below(t, size * 8));
	case 3:
		*how = "+1";
		return v + 1;
	case 4:
		*how = "-1";
		return v - 1;
	case 5:
		*how = size == 8 ? "bad-addr" : "+page";
		return size == 8 ? fz_bad_addr(t) : v + PAGE_SIZE;
	default:
		*how = "random";
		return fz_rand64(&t->rng);
	}
}

void fz_mutate(struct fz_thread *t, void *obj, const struct fz_field *f,
	       size_t n, unsigned int pct)
{
	const char *how;
	uint8_t *p;
	uint64_t v = 0;
	size_t i;

	if (!n || !fz_chance(t, pct))
		return;
	i = fz_below(t, n);
	p = (uint8_t *)obj + f[i].off;
	if (f[i].size > 8) {
		/* an array: random, or one byte set */
		if (fz_chance(t, 50))
			fz_fill(t, p, f[i].size);
		else
			p[fz_below(t, f[i].size)] ^= 1 << fz_below(t, 8);
		fz_note(t, "mutate@%u", f[i].off);
		return;
	}
	memcpy(&v, p, f[i].size);
	v = mutate_value(t, v, f[i].size, &how);
	memcpy(p, &v, f[i].size);
	/* the kind, not the value: a pointer's differs from run to run */
	fz_note(t, "mutate@%u:%s", f[i].off, how);
}
