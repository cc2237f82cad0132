// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the certificate blob's GUID table rules
 * (drivers/psp/sev-certs.c, sev_psp_cert_table_check()), as a table of
 * well-formed and malformed blobs.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <sev-psp/api.h>
#include <linux/sev-psp.h>

#define BLOB_LEN	4096
#define ENTRY		sizeof(struct sev_psp_cert_table_entry)

static const u8 vcek[16] = SEV_PSP_GUID_VCEK;
static const u8 ask[16] = SEV_PSP_GUID_ASK;
static const u8 ark[16] = SEV_PSP_GUID_ARK;

struct blob_case {
	const char *name;
	int entries;		/* VCEK, ASK, ARK, ... up to 3 */
	void (*mangle)(u8 *blob);
	size_t len;		/* 0: BLOB_LEN */
	int want;
};

static void no_terminator(u8 *b)
{
	memset(b, 0xff, BLOB_LEN);
}

static void offset_in_table(u8 *b)
{
	((struct sev_psp_cert_table_entry *)b)[1].offset = ENTRY;
}

static void past_end(u8 *b)
{
	((struct sev_psp_cert_table_entry *)b)[2].length = BLOB_LEN;
}

static void wraps_around(u8 *b)
{
	struct sev_psp_cert_table_entry *e = (void *)b;

	e[0].offset = 0xfffffff0;
	e[0].length = 0x20;
}

static void zero_length(u8 *b)
{
	((struct sev_psp_cert_table_entry *)b)[0].length = 0;
}

static void zero_guid(u8 *b)
{
	struct sev_psp_cert_table_entry *e = (void *)b;

	memset(e[1].guid, 0, 16);
	e[1].guid[0] = 0;
	/* still not a terminator: offset and length are set */
}

static void same_guid_twice(u8 *b)
{
	memcpy(((struct sev_psp_cert_table_entry *)b)[2].guid, vcek, 16);
}

static void unknown_guid(u8 *b)
{
	((struct sev_psp_cert_table_entry *)b)[1].guid[15] ^= 0x5a;
}

static const struct blob_case blob_cases[] = {
	{ "three certificates", 3, NULL, 0, 0 },
	{ "empty table", 0, NULL, 0, 0 },
	{ "terminator only, 24 bytes", 0, NULL, ENTRY, 0 },
	{ "other GUIDs allowed", 3, unknown_guid, 0, 0 },
	{ "no terminator", 3, no_terminator, 0, -EINVAL },
	{ "shorter than a terminator", 0, NULL, ENTRY - 1, -EINVAL },
	{ "offset into the table", 3, offset_in_table, 0, -EINVAL },
	{ "certificate past the end", 3, past_end, 0, -EINVAL },
	{ "offset plus length wraps", 3, wraps_around, 0, -EINVAL },
	{ "empty certificate", 3, zero_length, 0, -EINVAL },
	{ "all-zero GUID in an entry", 3, zero_guid, 0, -EINVAL },
	{ "same GUID twice", 3, same_guid_twice, 0, -EINVAL },
};

static void blob_desc(const struct blob_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(blob, blob_cases, blob_desc);

static void cert_table_rules(struct kunit *test)
{
	const struct blob_case *c = test->param_value;
	const u8 *guids[] = { vcek, ask, ark };
	struct sev_psp_cert_table_entry *e;
	u8 *b = kunit_kzalloc(test, BLOB_LEN, GFP_KERNEL);
	u32 off;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	e = (void *)b;
	off = (c->entries + 1) * ENTRY;
	for (i = 0; i < c->entries; i++) {
		memcpy(e[i].guid, guids[i], 16);
		e[i].offset = off + i * 1000;
		e[i].length = 1000;
	}
	if (c->mangle)
		c->mangle(b);

	KUNIT_EXPECT_EQ(test, c->want,
			sev_psp_cert_table_check(b, c->len ? c->len : BLOB_LEN));
}

static struct kunit_case sev_certs_cases[] = {
	KUNIT_CASE_PARAM(cert_table_rules, blob_gen_params),
	{}
};

static struct kunit_suite sev_certs_suite = {
	.name = "sev_cert_table",
	.test_cases = sev_certs_cases,
};

kunit_test_suite(sev_certs_suite);
