// SPDX-License-Identifier: MIT
/* failslab, through kmalloc()'s public interface (kernel/kmalloc.c). */
#include <arch.h>
#include <ktest.h>
#include <libc.h>
#include <mm.h>

#define T_ALLOCS	256

/* Interrupts off: no other allocation on this CPU meanwhile. */
static unsigned int failslab_pattern(unsigned int one_in, uint64_t seed, bool failed[T_ALLOCS])
{
	void *p[T_ALLOCS];
	unsigned long flags = arch_irq_save();
	unsigned int n = 0;

	mm_set_failslab(one_in, seed);
	for (unsigned int i = 0; i < T_ALLOCS; i++) {
		p[i] = kmalloc(64);
		failed[i] = !p[i];
		n += failed[i];
	}
	mm_set_failslab(0, 0);
	arch_irq_restore(flags);
	for (unsigned int i = 0; i < T_ALLOCS; i++)
		kfree(p[i]);
	return n;
}

KTEST(kmalloc, failslab_fails_about_one_in_n_and_counts_each_failure)
{
	static bool failed[T_ALLOCS];
	unsigned long hits0 = mm_failslab_hits();
	unsigned int n = failslab_pattern(4, 7, failed);

	EXPECT_EQ(t, mm_failslab_hits() - hits0, n);
	EXPECT_GE(t, n, T_ALLOCS / 4 / 2);
	EXPECT_LE(t, n, T_ALLOCS / 4 * 2);
	EXPECT_EQ(t, failslab_pattern(0, 7, failed), 0);
}

KTEST(kmalloc, failslab_with_the_same_seed_fails_the_same_allocations)
{
	static bool first[T_ALLOCS], second[T_ALLOCS], other[T_ALLOCS];

	failslab_pattern(3, 11, first);
	failslab_pattern(3, 11, second);
	failslab_pattern(3, 12, other);
	EXPECT_EQ(t, memcmp(first, second, sizeof(first)), 0);
	EXPECT_NE(t, memcmp(first, other, sizeof(first)), 0);
}
