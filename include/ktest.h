/* SPDX-License-Identifier: MIT */
/*
 * ktest: named test cases that run inside the kernel (run=selftest) and,
 * from the same sources, in the host build (tests/host).
 *
 *	KTEST(fdt, rejects_truncated_blob)
 *	{
 *		EXPECT_EQ(t, fdt_check(blob, 10), -EINVAL);
 *	}
 *
 * A failing expectation prints what it expected and what it saw, with the
 * file and line, and marks the case failed; ASSERT_* also ends the case.
 * Cases are collected in the "ktests" section; ktest_run_all() runs those
 * whose "suite.name" contains the filter (NULL or "" runs all).
 */
#ifndef QUIESCE_KTEST_H
#define QUIESCE_KTEST_H

#include <compiler.h>

struct ktest_ctx {
	const struct ktest *test;
	int failures;
	bool aborted;
};

struct ktest {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest_ctx *t);
	unsigned int min_cpus;	/* the case is skipped on fewer CPUs */
	bool needs_debug;	/* checks a CONFIG_DEBUG check: skipped without it */
};

#define KTEST_SECTION "ktests"

#define __KTEST(_suite, _name, _min_cpus, _debug)				\
	static void ktest_fn_##_suite##_##_name(struct ktest_ctx *t);		\
	static const struct ktest ktest_##_suite##_##_name = {			\
		.suite = #_suite, .name = #_name,				\
		.fn = ktest_fn_##_suite##_##_name, .min_cpus = (_min_cpus),	\
		.needs_debug = (_debug),					\
	};									\
	static const struct ktest *const ktest_ptr_##_suite##_##_name		\
		__used __section(KTEST_SECTION) = &ktest_##_suite##_##_name;	\
	static void ktest_fn_##_suite##_##_name(struct ktest_ctx *t)

/* A test case; it runs with every online CPU available to it. */
#define KTEST(suite, name)		__KTEST(suite, name, 1, false)
/* A test case that needs at least n CPUs; skipped with fewer. */
#define KTEST_SMP(suite, name, n)	__KTEST(suite, name, n, false)
/*
 * A test of a debug check (lockdep, the RCU usage checks): it compiles in
 * every build and runs only in the debug build (CONFIG_DEBUG), being
 * skipped, with a line saying so, in the others (BUILD=release, stats,
 * coherence), where the check it provokes is compiled out.
 */
#define KTEST_DEBUG(suite, name)	__KTEST(suite, name, 1, true)
#define KTEST_SMP_DEBUG(suite, name, n)	__KTEST(suite, name, n, true)

__printf(4, 5)
void ktest_fail(struct ktest_ctx *t, const char *file, int line,
		const char *fmt, ...);

#define __KTEST_CHECK_INT(t, a, op, b, abort_on_fail)			\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (!(__a op __b)) {					\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "expected %s %s %s, got %lld vs %lld", \
				   #a, #op, #b, __a, __b);		\
			if (abort_on_fail)				\
				return;					\
		}							\
	} while (0)

#define EXPECT_EQ(t, a, b)	__KTEST_CHECK_INT(t, a, ==, b, 0)
#define EXPECT_NE(t, a, b)	__KTEST_CHECK_INT(t, a, !=, b, 0)
#define EXPECT_LT(t, a, b)	__KTEST_CHECK_INT(t, a, <, b, 0)
#define EXPECT_LE(t, a, b)	__KTEST_CHECK_INT(t, a, <=, b, 0)
#define EXPECT_GT(t, a, b)	__KTEST_CHECK_INT(t, a, >, b, 0)
#define EXPECT_GE(t, a, b)	__KTEST_CHECK_INT(t, a, >=, b, 0)
#define ASSERT_EQ(t, a, b)	__KTEST_CHECK_INT(t, a, ==, b, 1)
#define ASSERT_NE(t, a, b)	__KTEST_CHECK_INT(t, a, !=, b, 1)
#define ASSERT_GT(t, a, b)	__KTEST_CHECK_INT(t, a, >, b, 1)
#define ASSERT_GE(t, a, b)	__KTEST_CHECK_INT(t, a, >=, b, 1)

#define EXPECT_TRUE(t, c)	__KTEST_CHECK_INT(t, !!(c), ==, 1, 0)
#define EXPECT_FALSE(t, c)	__KTEST_CHECK_INT(t, !!(c), ==, 0, 0)
#define ASSERT_TRUE(t, c)	__KTEST_CHECK_INT(t, !!(c), ==, 1, 1)

#define EXPECT_PTR_EQ(t, a, b)	__KTEST_CHECK_INT(t, (uintptr_t)(a), ==, (uintptr_t)(b), 0)
#define EXPECT_NULL(t, p)	EXPECT_PTR_EQ(t, p, NULL)
#define ASSERT_NOT_NULL(t, p)	__KTEST_CHECK_INT(t, (uintptr_t)(p), !=, 0, 1)

#define EXPECT_STREQ(t, a, b)						\
	do {								\
		const char *__a = (a), *__b = (b);			\
		if (ktest_strcmp(__a, __b))				\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "expected %s == \"%s\", got \"%s\"",	\
				   #a, __b, __a);			\
	} while (0)

int ktest_strcmp(const char *a, const char *b);

/*
 * Print "run  suite.name" before each case: the host runner sets it, so
 * that a sanitizer report (which ends the process) is named after the
 * case that was running.
 */
extern bool ktest_announce;

/*
 * Runs every registered case whose "suite.name" contains filter, printing
 * one line per case. Returns the number of failed cases; *passed gets the
 * number that passed (skipped cases count in neither).
 */
int ktest_run_all(const char *filter, unsigned int nr_cpus, int *passed);

#endif
