/* SPDX-License-Identifier: MIT */
/*
 * The coherence build (BUILD=coherence, CONFIG_COHERENCE): a `perf c2c`
 * for Quiesce. GCC's -fsanitize=thread instruments every load and store
 * of kernel code and every __atomic builtin (so every atomic of
 * include/atomic.h) with a call into kernel/coherence.c, which keeps a
 * directory of 64-byte lines with a MESI-like state per line: the CPU
 * holding it modified, or the set of CPUs sharing it. Per CPU it counts
 *
 *  - HITM: a load or RMW of a line another CPU holds modified (the line
 *    moves from that CPU's cache to this one's);
 *  - invalidations: a store or RMW to a line that other CPUs share (or
 *    that another CPU holds modified, for a plain store): their copies go.
 *
 * Each line also counts its own transfers (HITM + invalidations) and up
 * to COH_LINE_FUNCS functions that caused them, for c2c=1's report.
 * See kernel/coherence.c for the directory's size, what happens when it is
 * full, and what is not instrumented. Other builds: the counters read 0
 * and COHERENCE_ENABLED is 0 (the RESULT keys print "-").
 */
#ifndef QUIESCE_COHERENCE_H
#define QUIESCE_COHERENCE_H

#include <compiler.h>

#define COH_LINE_SHIFT	6	/* 64-byte lines */
#define COH_MAX_CPUS	64	/* CPUs 64 and up are not tracked */
#define COH_LINE_FUNCS	3	/* functions kept per line */

struct coh_counts {
	unsigned long hitm;
	unsigned long inval;
};

/* One line of the c2c report. */
struct coh_line_report {
	uintptr_t addr;			/* the line's first byte */
	uintptr_t first;		/* the address its first transfer accessed */
	unsigned long hitm, inval;
	unsigned int cpus;		/* CPUs that took part in its transfers */
	uintptr_t funcs[COH_LINE_FUNCS];	/* function addresses, 0: none */
};

/* Is this the coherence build (its CPUs stepping in lockstep)? */
#ifdef CONFIG_COHERENCE
#define COHERENCE_BUILD true
#else
#define COHERENCE_BUILD false
#endif

#ifdef CONFIG_COHERENCE
#define COHERENCE_ENABLED	1

/* cpu's counts so far in thread context (not in interrupt handlers). */
void coherence_read(unsigned int cpu, struct coh_counts *c);

/*
 * Forget every line's state and counts and start tracking (the first
 * call turns the runtime on). Run before a measurement, with the other
 * CPUs idle; the per-CPU counters keep running (readers take deltas).
 */
void coherence_reset(void);

/* The n lines with the most transfers since the last reset, most first. */
unsigned int coherence_top_lines(struct coh_line_report *out, unsigned int n);

/* Lines dropped because their directory set was full, since the reset. */
unsigned long coherence_evictions(void);

/*
 * Lockstep (kernel/coherence.c says why): CPUs 0..ncpus-1 step together
 * from now on; each calls coherence_step() before each operation, which
 * waits until every other stepping CPU has started the previous one (or
 * until *stop, if stop is not NULL), and coherence_step_leave() when it
 * stops or goes offline. CPUs from ncpus up do not step.
 */
void coherence_lockstep_start(unsigned int ncpus);
void coherence_step(unsigned int cpu, const bool *stop);
void coherence_step_leave(unsigned int cpu);

/* Bracket an interrupt handler (interrupts off): its counts go aside. */
void coherence_irq_enter(void);
void coherence_irq_exit(void);

#else
#define COHERENCE_ENABLED	0

static inline void coherence_read(unsigned int cpu, struct coh_counts *c)
{
	c->hitm = c->inval = 0;
}
static inline void coherence_reset(void) { }
static inline unsigned int coherence_top_lines(struct coh_line_report *out, unsigned int n)
{
	return 0;
}
static inline unsigned long coherence_evictions(void) { return 0; }
static inline void coherence_lockstep_start(unsigned int ncpus) { }
static inline void coherence_step(unsigned int cpu, const bool *stop) { }
static inline void coherence_step_leave(unsigned int cpu) { }
static inline void coherence_irq_enter(void) { }
static inline void coherence_irq_exit(void) { }
#endif

#endif
