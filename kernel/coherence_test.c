// SPDX-License-Identifier: MIT
/*
 * The coherence build checks its own directory: on 2 CPUs in lockstep,
 * one counter both increment must move once per operation, a counter per
 * CPU in a line of its own never, and a counter per CPU with both in one
 * line (false sharing) once per operation, like the shared one. A
 * directory that counts nothing (coherence_busted=1) fails the first and
 * the last; one that counted every access as a transfer would fail the
 * second. Work-bounded: OPS operations per CPU.
 */
#include <coherence.h>

#ifdef CONFIG_COHERENCE
#include <atomic.h>
#include <kernel.h>
#include <ktest.h>
#include <smp.h>

#define OPS	2000

enum { SHARED, PERCPU, FALSE_SHARING, NR_CASES };

static atomic_long_t shared ____cacheline_aligned;
static struct {
	atomic_long_t v;
} ____cacheline_aligned percpu[2];
static struct {
	atomic_long_t v[2];	/* both in one 64-byte line */
} ____cacheline_aligned pair;

static struct {
	unsigned long hitm, inval;
} ____cacheline_aligned result[2];

static void count_on_cpu(void *arg)
{
	unsigned int cpu = smp_processor_id(), which = (unsigned int)(uintptr_t)arg;
	struct coh_counts a, b;

	coherence_read(cpu, &a);
	for (unsigned int i = 0; i < OPS; i++) {
		coherence_step(cpu, NULL);
		/* Relaxed increments: only the transfers matter, nothing reads them. */
		if (which == SHARED)
			atomic_long_inc(&shared);
		else if (which == PERCPU)
			atomic_long_inc(&percpu[cpu].v);
		else
			atomic_long_inc(&pair.v[cpu]);
	}
	coherence_read(cpu, &b);
	coherence_step_leave(cpu);
	result[cpu].hitm = b.hitm - a.hitm;
	result[cpu].inval = b.inval - a.inval;
}

/* Transfers (HITM + invalidations) per operation on 2 CPUs, times 100. */
static unsigned long transfers_x100(unsigned int which)
{
	coherence_reset();
	coherence_lockstep_start(2);
	run_on_cpus(2, count_on_cpu, (void *)(uintptr_t)which);
	return (result[0].hitm + result[0].inval + result[1].hitm + result[1].inval) * 100 /
	       (2 * OPS);
}

KTEST_SMP(coherence, shared_line_moves_per_op_private_lines_never, 2)
{
	unsigned long x[NR_CASES];

	for (unsigned int i = 0; i < NR_CASES; i++)
		x[i] = transfers_x100(i);
	printk("    transfers per op x100: shared %lu, per-CPU %lu, false sharing %lu\n",
	       x[SHARED], x[PERCPU], x[FALSE_SHARING]);
	EXPECT_GE(t, x[SHARED], 90);
	EXPECT_LE(t, x[SHARED], 110);
	EXPECT_LE(t, x[PERCPU], 5);
	EXPECT_GE(t, x[FALSE_SHARING], 90);
	EXPECT_LE(t, x[FALSE_SHARING], 110);
}
#endif
