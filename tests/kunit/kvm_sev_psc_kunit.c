// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: kvm-sev's parsing of an SNP page state change descriptor
 * (kvm-svm-sev/sev-psc.c), on descriptors the suite writes as a guest
 * would, with no vCPU and no VMM:
 *
 * - snp_psc_next_run(), as KVM's snp_begin_psc(): the header's checks
 *   (end_entry 252 and 253, entries past the descriptor's length,
 *   cur_entry past end_entry), each entry's (cur_page past its pages, a
 *   2 MiB entry's GFN not aligned), what is skipped as done, which
 *   entries make one run (the same operation and size, each adjacent to
 *   the one before, none started), a 2 MiB entry partly done going on as
 *   4 KiB pages, PSMASH and UNSMASH done without the VMM;
 * - snp_psc_run_done(): a descriptor walked run by run to its end, as the
 *   VMM's answers walk it, and what the guest then reads back;
 * - snp_psc_desc_len(): how long a descriptor may be where it is, with
 *   sev_es_check_scratch() saying whether it may be there.
 *
 * Every row is named and says the result it expects.
 */
#include <kunit/test.h>
#include <linux/kvm-sev.h>
#include <asm/svm.h>

#include <sev-psp/platform.h>
#include "sev.h"

/* The GHCB specification's page state change operations */
#define PRIV		VMGEXIT_PSC_OP_PRIVATE
#define SHRD		VMGEXIT_PSC_OP_SHARED
#define PSMASH		3	/* hints: nothing for KVM to do */
#define UNSMASH		4

/* An entry: its operation, GFN and, when started, pages done */
#define E4K(o, g)		{ .operation = (o), .gfn = (g) }
#define E2M(o, g)		{ .operation = (o), .gfn = (g), .pagesize = 1 }
#define E4K_AT(o, g, c)		{ .operation = (o), .gfn = (g), .cur_page = (c) }
#define E2M_AT(o, g, c)		{ .operation = (o), .gfn = (g), .pagesize = 1, \
				  .cur_page = (c) }

/* A whole descriptor: the rest of a GHCB's shared buffer, 253 entries */
#define DESC_LEN	GHCB_SHARED_BUF_SIZE
#define MAX_ENTRIES	VMGEXIT_PSC_MAX_COUNT

#define ROW_ENTRIES	6

struct psc_row {
	const char *name;
	u16 cur_entry;
	u16 end_entry;
	u64 len;			/* 0: DESC_LEN */
	/* written from entry cur_entry on (entry 0 if past the end) */
	struct psc_entry entries[ROW_ENTRIES];
	u64 ret;			/* snp_psc_next_run()'s */
	struct snp_psc_run run;		/* when 0: count 0 is none left */
	u16 cur_entry_after;		/* as the guest then reads it */
};

static void psc_row_desc(const struct psc_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

/*
 * A descriptor of @len bytes, all 0 (entries of no operation): exactly
 * as long as the scratch copy kvm-sev makes, so that KASAN catches a read
 * past it.
 */
static struct psc_buffer *new_desc(struct kunit *test, u64 len)
{
	struct psc_buffer *psc = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, psc);
	return psc;
}

/* An entry's pages done (a bit-field: no typeof for KUNIT_EXPECT_*) */
static unsigned int cur_page(const struct psc_entry *e)
{
	return e->cur_page;
}

#define RUN(i, n, op, huge, gfn, np)	{ i, n, op, huge, gfn, np }
#define NONE_LEFT			{ .count = 0 }
#define HDR	VMGEXIT_PSC_ERROR_INVALID_HDR
#define ENTRY	VMGEXIT_PSC_ERROR_INVALID_ENTRY

static const struct psc_row psc_rows[] = {
	/* the header */
	{ "one_4k_private", 0, 0, 0, { E4K(PRIV, 0x10) }, 0,
	  RUN(0, 1, PRIV, false, 0x10, 1), 0 },
	{ "one_2m_shared", 0, 0, 0, { E2M(SHRD, 0x200) }, 0,
	  RUN(0, 1, SHRD, true, 0x200, RMP_2M_PAGES), 0 },
	{ "end_entry_252_last_entry", 252, 252, 0, { E4K(PRIV, 0x10) }, 0,
	  RUN(252, 1, PRIV, false, 0x10, 1), 252 },
	{ "end_entry_253", 252, 253, 0, { E4K(PRIV, 0x10) }, HDR, {}, 252 },
	{ "end_entry_max", 0, U16_MAX, 0, { E4K(PRIV, 0x10) }, HDR, {}, 0 },
	/* the header must name entries inside the descriptor's length */
	{ "end_entry_last_inside_short_desc", 250, 250, 8 + 251 * 8,
	  { E4K(SHRD, 0x10) }, 0, RUN(250, 1, SHRD, false, 0x10, 1), 250 },
	{ "end_entry_past_short_desc", 250, 251, 8 + 251 * 8,
	  { E4K(SHRD, 0x10) }, HDR, {}, 250 },
	{ "header_only_desc", 0, 0, 8, {}, HDR, {}, 0 },
	/* nothing left: the guest's change is done */
	{ "cur_entry_past_end_entry", 5, 3, 0, {}, 0, NONE_LEFT, 5 },
	{ "cur_entry_just_past_end_entry", 4, 3, 0, {}, 0, NONE_LEFT, 4 },
	{ "cur_entry_max", U16_MAX, 0, 0, {}, 0, NONE_LEFT, U16_MAX },
	/* entries done are skipped, and cur_entry moves past them */
	{ "done_4k_skipped", 0, 1, 0,
	  { E4K_AT(PRIV, 0x10, 1), E4K(PRIV, 0x20) }, 0,
	  RUN(1, 1, PRIV, false, 0x20, 1), 1 },
	{ "done_2m_skipped", 0, 1, 0,
	  { E2M_AT(SHRD, 0x200, RMP_2M_PAGES), E4K(PRIV, 0x20) }, 0,
	  RUN(1, 1, PRIV, false, 0x20, 1), 1 },
	{ "all_done", 0, 1, 0,
	  { E4K_AT(PRIV, 0x10, 1), E2M_AT(PRIV, 0x200, RMP_2M_PAGES) }, 0,
	  NONE_LEFT, 2 },
	/* each entry: cur_page inside its pages, a 2 MiB GFN aligned */
	{ "cur_page_past_4k", 0, 0, 0, { E4K_AT(PRIV, 0x10, 2) }, ENTRY, {},
	  0 },
	{ "cur_page_past_2m", 0, 0, 0,
	  { E2M_AT(PRIV, 0x200, RMP_2M_PAGES + 1) }, ENTRY, {}, 0 },
	{ "cur_page_max_4k", 0, 0, 0, { E4K_AT(SHRD, 0x10, 0xfff) }, ENTRY,
	  {}, 0 },
	{ "2m_gfn_unaligned", 0, 0, 0, { E2M(PRIV, 0x201) }, ENTRY, {}, 0 },
	{ "2m_gfn_4k_aligned_only", 0, 0, 0, { E2M(SHRD, 0x1000 + 0x100) },
	  ENTRY, {}, 0 },
	{ "4k_gfn_any", 0, 0, 0, { E4K(PRIV, 0x201) }, 0,
	  RUN(0, 1, PRIV, false, 0x201, 1), 0 },
	{ "2m_gfn_highest", 0, 0, 0, { E2M(PRIV, 0xffffffffffULL & ~0x1ffULL) },
	  0, RUN(0, 1, PRIV, true, 0xffffffffffULL & ~0x1ffULL, 512), 0 },
	/* a bad entry after done ones: the guest reads where it stopped */
	{ "bad_entry_after_done", 0, 2, 0,
	  { E4K_AT(PRIV, 0x10, 1), E4K_AT(PRIV, 0x11, 1), E2M(PRIV, 0x1) },
	  ENTRY, {}, 2 },
	/* a bad entry past the run is not looked at yet */
	{ "bad_entry_after_run", 0, 1, 0,
	  { E4K(PRIV, 0x10), E2M(SHRD, 0x1) }, 0,
	  RUN(0, 1, PRIV, false, 0x10, 1), 0 },
	/* runs: the same operation and size, each adjacent to the last */
	{ "merge_4k_private", 0, 2, 0,
	  { E4K(PRIV, 0x10), E4K(PRIV, 0x11), E4K(PRIV, 0x12) }, 0,
	  RUN(0, 3, PRIV, false, 0x10, 3), 0 },
	{ "merge_2m_shared", 0, 1, 0, { E2M(SHRD, 0x200), E2M(SHRD, 0x400) },
	  0, RUN(0, 2, SHRD, true, 0x200, 2 * RMP_2M_PAGES), 0 },
	{ "merge_stops_at_end_entry", 0, 1, 0,
	  { E4K(PRIV, 0x10), E4K(PRIV, 0x11), E4K(PRIV, 0x12) }, 0,
	  RUN(0, 2, PRIV, false, 0x10, 2), 0 },
	{ "merge_from_cur_entry", 1, 3, 0,
	  { E4K(SHRD, 0x11), E4K(SHRD, 0x12), E4K(SHRD, 0x13) }, 0,
	  RUN(1, 3, SHRD, false, 0x11, 3), 1 },
	{ "other_operation_breaks", 0, 2, 0,
	  { E4K(PRIV, 0x10), E4K(SHRD, 0x11), E4K(PRIV, 0x12) }, 0,
	  RUN(0, 1, PRIV, false, 0x10, 1), 0 },
	{ "gap_breaks", 0, 1, 0, { E4K(PRIV, 0x10), E4K(PRIV, 0x12) }, 0,
	  RUN(0, 1, PRIV, false, 0x10, 1), 0 },
	{ "same_gfn_breaks", 0, 1, 0, { E4K(PRIV, 0x10), E4K(PRIV, 0x10) }, 0,
	  RUN(0, 1, PRIV, false, 0x10, 1), 0 },
	{ "descending_breaks", 0, 1, 0, { E4K(PRIV, 0x11), E4K(PRIV, 0x10) },
	  0, RUN(0, 1, PRIV, false, 0x11, 1), 0 },
	{ "4k_then_2m_breaks", 0, 1, 0, { E4K(PRIV, 0x1ff), E2M(PRIV, 0x200) },
	  0, RUN(0, 1, PRIV, false, 0x1ff, 1), 0 },
	{ "2m_then_4k_breaks", 0, 1, 0, { E2M(PRIV, 0x200), E4K(PRIV, 0x400) },
	  0, RUN(0, 1, PRIV, true, 0x200, RMP_2M_PAGES), 0 },
	/* an entry started (or done) is never taken into a run */
	{ "started_2m_not_merged", 0, 1, 0,
	  { E2M(SHRD, 0x200), E2M_AT(SHRD, 0x400, 5) }, 0,
	  RUN(0, 1, SHRD, true, 0x200, RMP_2M_PAGES), 0 },
	{ "done_4k_not_merged", 0, 2, 0,
	  { E4K(PRIV, 0x10), E4K_AT(PRIV, 0x11, 1), E4K(PRIV, 0x12) }, 0,
	  RUN(0, 1, PRIV, false, 0x10, 1), 0 },
	/* a 2 MiB entry partly done goes on as 4 KiB pages, from cur_page */
	{ "2m_partly_done_as_4k", 0, 0, 0, { E2M_AT(PRIV, 0x200, 0x10) }, 0,
	  RUN(0, 1, PRIV, false, 0x210, RMP_2M_PAGES - 0x10), 0 },
	{ "2m_one_page_left_as_4k", 0, 0, 0,
	  { E2M_AT(SHRD, 0x200, RMP_2M_PAGES - 1) }, 0,
	  RUN(0, 1, SHRD, false, 0x3ff, 1), 0 },
	{ "2m_partly_done_then_2m_breaks", 0, 1, 0,
	  { E2M_AT(PRIV, 0x200, 0x10), E2M(PRIV, 0x400) }, 0,
	  RUN(0, 1, PRIV, false, 0x210, RMP_2M_PAGES - 0x10), 0 },
	/* ... and so takes the adjacent 4 KiB entries after it, as KVM */
	{ "2m_partly_done_then_4k_merges", 0, 1, 0,
	  { E2M_AT(PRIV, 0x200, 0x10), E4K(PRIV, 0x400) }, 0,
	  RUN(0, 2, PRIV, false, 0x210, RMP_2M_PAGES - 0x10 + 1), 0 },
	/* PSMASH and UNSMASH: done here, the next run for the VMM */
	{ "psmash_skipped", 0, 1, 0, { E2M(PSMASH, 0x200), E4K(PRIV, 0x10) },
	  0, RUN(1, 1, PRIV, false, 0x10, 1), 1 },
	{ "unsmash_skipped", 0, 1, 0, { E2M(UNSMASH, 0x200), E2M(SHRD, 0x400) },
	  0, RUN(1, 1, SHRD, true, 0x400, RMP_2M_PAGES), 1 },
	{ "psmash_run_skipped", 0, 3, 0,
	  { E2M(PSMASH, 0x200), E2M(PSMASH, 0x400), E2M(UNSMASH, 0x600),
	    E4K(SHRD, 0x10) }, 0, RUN(3, 1, SHRD, false, 0x10, 1), 3 },
	{ "only_psmash_unsmash", 0, 1, 0,
	  { E2M(PSMASH, 0x200), E2M(UNSMASH, 0x200) }, 0, NONE_LEFT, 2 },
	/* the hints are entries too: checked as the others */
	{ "psmash_unaligned", 0, 1, 0, { E2M(PSMASH, 0x201), E4K(PRIV, 0x10) },
	  ENTRY, {}, 0 },
	{ "psmash_cur_page_past", 0, 0, 0,
	  { E2M_AT(PSMASH, 0x200, RMP_2M_PAGES + 1) }, ENTRY, {}, 0 },
	{ "bad_entry_after_psmash", 0, 1, 0,
	  { E2M(PSMASH, 0x200), E2M(PRIV, 0x10) }, ENTRY, {}, 1 },
	/* a run is of one operation: PSMASH's ends at a private entry */
	{ "psmash_does_not_take_private", 0, 1, 0,
	  { E4K(PSMASH, 0x10), E4K(PRIV, 0x11) }, 0,
	  RUN(1, 1, PRIV, false, 0x11, 1), 1 },
	/* an operation the specification does not name: skipped, as KVM */
	{ "operation_0_skipped", 0, 1, 0, { E4K(0, 0x10), E4K(SHRD, 0x20) }, 0,
	  RUN(1, 1, SHRD, false, 0x20, 1), 1 },
	{ "operation_15_skipped", 0, 0, 0, { E4K(15, 0x10) }, 0, NONE_LEFT, 1 },
};

#undef HDR
#undef ENTRY

KUNIT_ARRAY_PARAM(psc_next_run, psc_rows, psc_row_desc);

static void psc_next_run(struct kunit *test)
{
	const struct psc_row *r = test->param_value;
	u64 len = r->len ? r->len : DESC_LEN;
	struct psc_buffer *psc = new_desc(test, len);
	unsigned int first = r->cur_entry < MAX_ENTRIES ? r->cur_entry : 0;
	struct snp_psc_run run;
	unsigned int i;

	psc->hdr.cur_entry = r->cur_entry;
	psc->hdr.end_entry = r->end_entry;
	for (i = 0; i < ROW_ENTRIES; i++)
		if (struct_size(psc, entries, first + i + 1) <= len)
			psc->entries[first + i] = r->entries[i];
	memset(&run, 0xa5, sizeof(run));

	KUNIT_ASSERT_EQ(test, r->ret, snp_psc_next_run(psc, len, &run));
	KUNIT_EXPECT_EQ(test, r->cur_entry_after, psc->hdr.cur_entry);
	KUNIT_EXPECT_EQ(test, r->end_entry, psc->hdr.end_entry);
	if (r->ret)
		return;
	KUNIT_ASSERT_EQ(test, r->run.count, run.count);
	if (!run.count)
		return;
	KUNIT_EXPECT_EQ(test, r->run.idx, run.idx);
	KUNIT_EXPECT_EQ(test, r->run.operation, run.operation);
	KUNIT_EXPECT_EQ(test, r->run.huge, run.huge);
	KUNIT_EXPECT_EQ(test, r->run.gfn, run.gfn);
	KUNIT_EXPECT_EQ(test, r->run.npages, run.npages);
	/* the run's entries are the VMM's to do: none is marked done yet */
	for (i = run.idx; i < run.idx + run.count; i++)
		KUNIT_EXPECT_EQ(test, cur_page(&r->entries[i - first]),
				cur_page(&psc->entries[i]));
}

/* PSMASH and UNSMASH entries skipped read back done: all their pages */
static void psc_hints_read_back_done(struct kunit *test)
{
	struct psc_buffer *psc = new_desc(test, DESC_LEN);
	struct snp_psc_run run;

	psc->hdr.end_entry = 3;
	psc->entries[0] = (struct psc_entry)E2M(PSMASH, 0x200);
	psc->entries[1] = (struct psc_entry)E4K(UNSMASH, 0x10);
	psc->entries[2] = (struct psc_entry)E2M_AT(PSMASH, 0x400, 7);
	psc->entries[3] = (struct psc_entry)E4K(PRIV, 0x20);

	KUNIT_ASSERT_EQ(test, 0ULL, snp_psc_next_run(psc, DESC_LEN, &run));
	KUNIT_EXPECT_EQ(test, 3, run.idx);
	KUNIT_EXPECT_EQ(test, 3, psc->hdr.cur_entry);
	KUNIT_EXPECT_EQ(test, RMP_2M_PAGES, cur_page(&psc->entries[0]));
	KUNIT_EXPECT_EQ(test, 1, cur_page(&psc->entries[1]));
	KUNIT_EXPECT_EQ(test, RMP_2M_PAGES, cur_page(&psc->entries[2]));
	KUNIT_EXPECT_EQ(test, 0, cur_page(&psc->entries[3]));
	/* the rest of each entry is the guest's */
	KUNIT_EXPECT_TRUE(test, psc->entries[0].gfn == 0x200);
	KUNIT_EXPECT_TRUE(test, psc->entries[0].operation == PSMASH);
	KUNIT_EXPECT_TRUE(test, psc->entries[0].pagesize);
	KUNIT_EXPECT_FALSE(test, psc->entries[1].pagesize);
}

/* Every entry adjacent and of one kind: one run of all 253 */
static void psc_whole_desc_one_run(struct kunit *test)
{
	struct psc_buffer *psc = new_desc(test, DESC_LEN);
	struct snp_psc_run run;
	unsigned int i;

	psc->hdr.end_entry = MAX_ENTRIES - 1;
	for (i = 0; i < MAX_ENTRIES; i++)
		psc->entries[i] = (struct psc_entry)E2M(SHRD, 0x200 * (i + 1));

	KUNIT_ASSERT_EQ(test, 0ULL, snp_psc_next_run(psc, DESC_LEN, &run));
	KUNIT_EXPECT_EQ(test, 0, run.idx);
	KUNIT_EXPECT_EQ(test, MAX_ENTRIES, run.count);
	KUNIT_EXPECT_TRUE(test, run.huge);
	KUNIT_EXPECT_EQ(test, 0x200ULL, run.gfn);
	KUNIT_EXPECT_EQ(test, (u64)MAX_ENTRIES * RMP_2M_PAGES, run.npages);

	snp_psc_run_done(psc, run.idx, run.count);
	KUNIT_EXPECT_EQ(test, MAX_ENTRIES, psc->hdr.cur_entry);
	KUNIT_EXPECT_EQ(test, RMP_2M_PAGES,
			cur_page(&psc->entries[MAX_ENTRIES - 1]));
	KUNIT_ASSERT_EQ(test, 0ULL, snp_psc_next_run(psc, DESC_LEN, &run));
	KUNIT_EXPECT_EQ(test, 0, run.count);
}

/*
 * A descriptor walked run by run, each one done as the VMM's answer
 * marks it (snp_complete_one_psc()), to its end; then the guest reads
 * every entry done and cur_entry past the last.
 */
static void psc_walk_run_by_run(struct kunit *test)
{
	static const struct psc_entry entries[] = {
		E4K(PRIV, 0x10), E4K(PRIV, 0x11),		/* run 1 */
		E2M(PSMASH, 0x200),				/* skipped */
		E2M(SHRD, 0x400), E2M(SHRD, 0x600),		/* run 2 */
		E2M_AT(SHRD, 0x800, 0x100), E4K(SHRD, 0xa00),	/* run 3 */
		E4K_AT(PRIV, 0x30, 1),				/* done */
		E4K(SHRD, 0x31),				/* run 4 */
	};
	static const struct snp_psc_run runs[] = {
		RUN(0, 2, PRIV, false, 0x10, 2),
		RUN(3, 2, SHRD, true, 0x400, 2 * RMP_2M_PAGES),
		RUN(5, 2, SHRD, false, 0x900, RMP_2M_PAGES - 0x100 + 1),
		RUN(8, 1, SHRD, false, 0x31, 1),
	};
	struct psc_buffer *psc = new_desc(test, DESC_LEN);
	struct snp_psc_run run;
	unsigned int i;

	psc->hdr.end_entry = ARRAY_SIZE(entries) - 1;
	memcpy(psc->entries, entries, sizeof(entries));

	for (i = 0; i < ARRAY_SIZE(runs); i++) {
		KUNIT_ASSERT_EQ(test, 0ULL,
				snp_psc_next_run(psc, DESC_LEN, &run));
		KUNIT_EXPECT_EQ_MSG(test, runs[i].idx, run.idx, "run %u", i);
		KUNIT_ASSERT_EQ_MSG(test, runs[i].count, run.count, "run %u", i);
		KUNIT_EXPECT_EQ(test, runs[i].operation, run.operation);
		KUNIT_EXPECT_EQ(test, runs[i].huge, run.huge);
		KUNIT_EXPECT_EQ(test, runs[i].gfn, run.gfn);
		KUNIT_EXPECT_EQ(test, runs[i].npages, run.npages);
		snp_psc_run_done(psc, run.idx, run.count);
		KUNIT_EXPECT_EQ(test, run.idx + run.count, psc->hdr.cur_entry);
	}
	KUNIT_ASSERT_EQ(test, 0ULL, snp_psc_next_run(psc, DESC_LEN, &run));
	KUNIT_EXPECT_EQ(test, 0, run.count);
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(entries), psc->hdr.cur_entry);
	for (i = 0; i < ARRAY_SIZE(entries); i++)
		KUNIT_EXPECT_EQ_MSG(test, cur_page(&psc->entries[i]),
				    entries[i].pagesize ? RMP_2M_PAGES : 1,
				    "entry %u", i);
}

/* snp_psc_desc_len() and sev_es_check_scratch() */

#define GHCB_GPA	0x7f000ULL
#define BUF_BEG		(GHCB_GPA + GHCB_SHARED_BUF_OFFSET)
#define BUF_END		(GHCB_GPA + GHCB_SHARED_BUF_END)

struct desc_row {
	const char *name;
	u64 gpa;
	u64 len;		/* snp_psc_desc_len()'s */
	u64 reason;		/* sev_es_check_scratch()'s for that length */
};

static void desc_row_desc(const struct desc_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

static const struct desc_row desc_rows[] = {
	{ "shared_buffer_start", BUF_BEG, GHCB_SHARED_BUF_SIZE, 0 },
	{ "shared_buffer_second_entry", BUF_BEG + 16,
	  GHCB_SHARED_BUF_SIZE - 16, 0 },
	{ "shared_buffer_header_left", BUF_END - 8, 8, 0 },
	/* less than a header: INVALID_HDR before the scratch is looked at */
	{ "shared_buffer_less_than_header", BUF_END - 4, 4, 0 },
	{ "shared_buffer_end", BUF_END, 0, 0 },
	/* elsewhere: a whole descriptor's length */
	{ "next_page", GHCB_GPA + PAGE_SIZE, GHCB_SHARED_BUF_SIZE, 0 },
	{ "next_page_unaligned", GHCB_GPA + PAGE_SIZE + 0xff8,
	  GHCB_SHARED_BUF_SIZE, 0 },
	/* in the GHCB's page outside its shared buffer: refused */
	{ "before_shared_buffer", BUF_BEG - 8, GHCB_SHARED_BUF_SIZE,
	  GHCB_ERR_INVALID_SCRATCH_AREA },
	{ "ghcb_page_start", GHCB_GPA, GHCB_SHARED_BUF_SIZE,
	  GHCB_ERR_INVALID_SCRATCH_AREA },
	/* past the shared buffer the length wraps: refused */
	{ "after_shared_buffer", BUF_END + 8, -8ULL,
	  GHCB_ERR_INVALID_SCRATCH_AREA },
	{ "ghcb_page_last_byte", GHCB_GPA + PAGE_SIZE - 1,
	  GHCB_SHARED_BUF_END - (PAGE_SIZE - 1),
	  GHCB_ERR_INVALID_SCRATCH_AREA },
};

KUNIT_ARRAY_PARAM(psc_desc_len, desc_rows, desc_row_desc);

static void psc_desc_len(struct kunit *test)
{
	const struct desc_row *r = test->param_value;
	u64 len = snp_psc_desc_len(GHCB_GPA, r->gpa);
	bool in_ghcb;

	KUNIT_EXPECT_EQ(test, r->len, len);
	KUNIT_EXPECT_EQ(test, r->reason,
			sev_es_check_scratch(GHCB_GPA, r->gpa, len, &in_ghcb));
}

static struct kunit_case kvm_sev_psc_cases[] = {
	KUNIT_CASE_PARAM(psc_next_run, psc_next_run_gen_params),
	KUNIT_CASE(psc_hints_read_back_done),
	KUNIT_CASE(psc_whole_desc_one_run),
	KUNIT_CASE(psc_walk_run_by_run),
	KUNIT_CASE_PARAM(psc_desc_len, psc_desc_len_gen_params),
	{}
};

static struct kunit_suite kvm_sev_psc_suite = {
	.name = "kvm_sev_psc",
	.test_cases = kvm_sev_psc_cases,
};

kunit_test_suite(kvm_sev_psc_suite);
