// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: kvm-sev's ASID allocator (kvm-svm-sev/sev-asid.c) on pools of its
 * own, with a flush that counts and can fail: the ranges of each VM type,
 * ciphertext hiding's split, exhaustion, and that a freed ASID comes back
 * only through one flush per batch.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/kvm-sev.h>

#include "sev-asid.h"

/* sev-psp-sim's platform: 128 ASIDs, plain SEV from 101 */
#define MIN_SEV	101
#define MAX_SEV	128

static int flush_calls;
static int flush_ret;

static int counting_flush(void)
{
	flush_calls++;
	return flush_ret;
}

/* Each test's pool, destroyed at its end however it ends */
static int asid_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct sev_asid_pool),
				   GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void asid_test_exit(struct kunit *test)
{
	struct sev_asid_pool *pool = test->priv;

	if (pool->used)
		sev_asid_pool_destroy(pool);
}

static struct sev_asid_pool *new_pool(struct kunit *test, unsigned int min,
				      unsigned int max, unsigned int snp)
{
	struct sev_asid_pool *pool = test->priv;

	flush_calls = 0;
	flush_ret = 0;
	KUNIT_ASSERT_EQ(test, sev_asid_pool_init(pool, min, max, snp,
						 counting_flush), 0);
	return pool;
}

/* Take every ASID of @type, checking they come in order from @first. */
static void take_all(struct kunit *test, struct sev_asid_pool *pool,
		     unsigned long type, int first, int last)
{
	int asid;

	for (asid = first; asid <= last; asid++)
		KUNIT_ASSERT_EQ(test, sev_asid_pool_get(pool, type), asid);
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, type), -EBUSY);
}

static void asid_ranges_per_type(struct kunit *test)
{
	struct sev_asid_pool *pool = new_pool(test, MIN_SEV, MAX_SEV, 0);
	unsigned int min, max;

	sev_asid_pool_range(pool, KVM_X86_SEV_VM, &min, &max);
	KUNIT_EXPECT_EQ(test, min, MIN_SEV);
	KUNIT_EXPECT_EQ(test, max, MAX_SEV);
	sev_asid_pool_range(pool, KVM_X86_SEV_ES_VM, &min, &max);
	KUNIT_EXPECT_EQ(test, min, 1);
	KUNIT_EXPECT_EQ(test, max, MIN_SEV - 1);
	sev_asid_pool_range(pool, KVM_X86_SNP_VM, &min, &max);
	KUNIT_EXPECT_EQ(test, min, 1);
	KUNIT_EXPECT_EQ(test, max, MIN_SEV - 1);

	/* SEV-ES and SNP share their range: one allocation each way */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM), MIN_SEV);
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_ES_VM), 1);
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SNP_VM), 2);
}

static void asid_exhaustion_without_freed(struct kunit *test)
{
	struct sev_asid_pool *pool = new_pool(test, MIN_SEV, MAX_SEV, 0);

	take_all(test, pool, KVM_X86_SEV_VM, MIN_SEV, MAX_SEV);
	/* nothing was freed: no flush is worth making */
	KUNIT_EXPECT_EQ(test, flush_calls, 0);
	/* the other range is untouched */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_ES_VM), 1);
}

static void asid_freed_waits_for_flush(struct kunit *test)
{
	struct sev_asid_pool *pool = new_pool(test, MIN_SEV, MAX_SEV, 0);

	KUNIT_ASSERT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM), MIN_SEV);
	sev_asid_pool_put(pool, MIN_SEV);
	/* a never-used ASID first: the freed one is not flushed yet */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM),
			MIN_SEV + 1);
	KUNIT_EXPECT_EQ(test, flush_calls, 0);
}

static void asid_recycle_one_flush_per_batch(struct kunit *test)
{
	struct sev_asid_pool *pool = new_pool(test, MIN_SEV, MAX_SEV, 0);

	take_all(test, pool, KVM_X86_SEV_VM, MIN_SEV, MAX_SEV);
	sev_asid_pool_put(pool, MIN_SEV + 7);
	sev_asid_pool_put(pool, MIN_SEV + 3);
	sev_asid_pool_put(pool, MAX_SEV);

	/* the first allocation flushes the batch, lowest first ... */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM),
			MIN_SEV + 3);
	KUNIT_EXPECT_EQ(test, flush_calls, 1);
	KUNIT_EXPECT_EQ(test, pool->nr_flushes, 1);
	/* ... the rest of it needs no other flush */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM),
			MIN_SEV + 7);
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM), MAX_SEV);
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM), -EBUSY);
	KUNIT_EXPECT_EQ(test, flush_calls, 1);
}

static void asid_freed_elsewhere_no_flush(struct kunit *test)
{
	struct sev_asid_pool *pool = new_pool(test, MIN_SEV, MAX_SEV, 0);

	KUNIT_ASSERT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_ES_VM), 1);
	sev_asid_pool_put(pool, 1);
	take_all(test, pool, KVM_X86_SEV_VM, MIN_SEV, MAX_SEV);
	/* an SEV-ES ASID freed cannot help an SEV VM: no flush for it */
	KUNIT_EXPECT_EQ(test, flush_calls, 0);
}

static void asid_flush_failure_keeps_reclaim(struct kunit *test)
{
	struct sev_asid_pool *pool = new_pool(test, MIN_SEV, MAX_SEV, 0);

	take_all(test, pool, KVM_X86_SEV_VM, MIN_SEV, MAX_SEV);
	sev_asid_pool_put(pool, MIN_SEV + 1);

	/* the firmware refuses DF_FLUSH: the freed ASID stays unusable */
	flush_ret = -EIO;
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM), -EBUSY);
	KUNIT_EXPECT_EQ(test, flush_calls, 1);
	KUNIT_EXPECT_EQ(test, pool->nr_flushes, 0);
	KUNIT_EXPECT_TRUE(test, test_bit(MIN_SEV + 1, pool->reclaim));

	/* a later flush that works brings it back */
	flush_ret = 0;
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_VM),
			MIN_SEV + 1);
	KUNIT_EXPECT_EQ(test, flush_calls, 2);
	KUNIT_EXPECT_EQ(test, pool->nr_flushes, 1);
}

static void asid_ciphertext_hiding_split(struct kunit *test)
{
	struct sev_asid_pool *pool = new_pool(test, MIN_SEV, MAX_SEV, 10);
	unsigned int min, max;

	sev_asid_pool_range(pool, KVM_X86_SNP_VM, &min, &max);
	KUNIT_EXPECT_EQ(test, min, 1);
	KUNIT_EXPECT_EQ(test, max, 10);
	sev_asid_pool_range(pool, KVM_X86_SEV_ES_VM, &min, &max);
	KUNIT_EXPECT_EQ(test, min, 11);
	KUNIT_EXPECT_EQ(test, max, MIN_SEV - 1);

	take_all(test, pool, KVM_X86_SNP_VM, 1, 10);
	/* SNP is out, SEV-ES is not, and never gets an SNP ASID */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_ES_VM), 11);
}

static void asid_ciphertext_hiding_all_es(struct kunit *test)
{
	struct sev_asid_pool *pool = new_pool(test, MIN_SEV, MAX_SEV,
					      MIN_SEV - 1);

	/* every SEV-ES ASID is SNP's: SEV-ES VMs have none */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_ES_VM),
			-ENOTTY);
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SNP_VM), 1);
}

static void asid_bad_ranges(struct kunit *test)
{
	struct sev_asid_pool pool;

	/* no SEV ASIDs at all */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_init(&pool, 0, 0, 0,
						 counting_flush), -ENOTTY);
	KUNIT_EXPECT_EQ(test, sev_asid_pool_init(&pool, 10, 5, 0,
						 counting_flush), -ENOTTY);
	/* more SNP ASIDs than there are SEV-ES ones */
	KUNIT_EXPECT_EQ(test, sev_asid_pool_init(&pool, MIN_SEV, MAX_SEV,
						 MIN_SEV, counting_flush),
			-EINVAL);
}

static void asid_no_es_range(struct kunit *test)
{
	/* min_sev_asid 1: every ASID is plain SEV's */
	struct sev_asid_pool *pool = new_pool(test, 1, 4, 0);

	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SEV_ES_VM),
			-ENOTTY);
	KUNIT_EXPECT_EQ(test, sev_asid_pool_get(pool, KVM_X86_SNP_VM), -ENOTTY);
	take_all(test, pool, KVM_X86_SEV_VM, 1, 4);
}

static struct kunit_case kvm_sev_asid_cases[] = {
	KUNIT_CASE(asid_ranges_per_type),
	KUNIT_CASE(asid_exhaustion_without_freed),
	KUNIT_CASE(asid_freed_waits_for_flush),
	KUNIT_CASE(asid_recycle_one_flush_per_batch),
	KUNIT_CASE(asid_freed_elsewhere_no_flush),
	KUNIT_CASE(asid_flush_failure_keeps_reclaim),
	KUNIT_CASE(asid_ciphertext_hiding_split),
	KUNIT_CASE(asid_ciphertext_hiding_all_es),
	KUNIT_CASE(asid_bad_ranges),
	KUNIT_CASE(asid_no_es_range),
	{}
};

static struct kunit_suite kvm_sev_asid_suite = {
	.name = "kvm_sev_asid",
	.init = asid_test_init,
	.exit = asid_test_exit,
	.test_cases = kvm_sev_asid_cases,
};

kunit_test_suite(kvm_sev_asid_suite);

MODULE_DESCRIPTION("KUnit: kvm-sev's ASID allocator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KVM_SEV_KUNIT);
