/* SPDX-License-Identifier: MIT */
/*
 * urcu-bench: Quiesce's RCU (the host build of the rcu/ sources) against liburcu
 * and a pthread rwlock, on the host, with POSIX threads.
 *
 * Every contender runs the same three tests on the same shared object,
 * a pointer to { a, b } with a == b while the object is live:
 *
 *  read	N reader threads: read-side section, load the pointer,
 *		check the object, end the section. Reads per second.
 *  sync	the same N readers, plus one updater that replaces the
 *		object and waits for a grace period before freeing the old
 *		one (synchronize_rcu; rwlock: the write lock). Latency of
 *		each replace + wait.
 *  call	the same N readers, plus one updater that replaces the
 *		object and hands the old one to call_rcu() (rwlock: frees
 *		it at once, under no lock: its write lock already waited).
 *		Objects freed per second, up to the updater's rcu_barrier().
 *
 * Each contender is a file that defines the primitives listed in
 * bench/urcu_loops.h and includes it: one body for the loops, inlined
 * against each library's own fast path.
 *
 * One line per measurement:
 *   URCU contender=<c> test=<t> readers=<n> ms=<ms> ops=<n> ops_per_sec=<n>
 *	ns_per_op=<x> p50_ns=<n> p99_ns=<n> errors=<n> upd_cpu_ns_per_op=<x>
 *
 * upd_cpu_ns_per_op (sync, call; "-" for read): CPU time the update
 * side used per update, whichever threads it ran on: the process's CPU
 * time over the measurement minus the reader threads' own. It counts
 * liburcu's call_rcu() thread, and it does not depend on how much of
 * the machine other jobs left the run: the measure to compare on a
 * loaded host, where ops_per_sec mostly says how the scheduler shared it.
 */
#ifndef QUIESCE_URCU_BENCH_H
#define QUIESCE_URCU_BENCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BENCH_MAX_READERS	32
#define BENCH_MAX_SAMPLES	(1u << 18)	/* sync latencies kept per run */

enum bench_test { TEST_READ, TEST_SYNC, TEST_CALL };

/* Per thread, one cache line each: no false sharing between counters. */
struct bench_thread {
	unsigned long ops;		/* reads counted before run->stop */
	unsigned long errors;		/* objects seen dead or torn */
	uint64_t cpu_ns;		/* the thread's CPU time, at its end */
} __attribute__((aligned(64)));

/*
 * One measurement. The main thread fills the parameters, releases every
 * thread through start, sets stop after ms. Readers count until stop and
 * keep reading, uncounted, until readers_stop: the updater sets that
 * once its last wait (rcu_barrier()) is over, so that wait still has
 * readers to wait for.
 */
struct bench_run {
	enum bench_test test;
	unsigned int readers;		/* reader threads, ids 1..readers */
	unsigned int qs_every;		/* reads (updates) between quiescent states */
	pthread_barrier_t start;	/* every thread + main */
	int stop;			/* main -> all: time is up (atomic) */
	int readers_stop;		/* updater (main without one) -> readers */
	uint64_t start_ns;		/* main, after start */
	uint64_t stop_ns;		/* main, when it set stop */
	/* The updater's results. */
	uint64_t end_ns;		/* when its last wait ended */
	unsigned long updates;
	uint64_t *samples;		/* latencies of sync, ns */
	unsigned int nr_samples;
	struct bench_thread thread[BENCH_MAX_READERS + 1];
};

/* What each contender file provides (built from bench/urcu_loops.h). */
struct contender {
	const char *name;
	const char *usage;		/* how the library is used, for the table */
	/* Once per process, before any thread runs: up to nthreads threads. */
	void (*init)(unsigned int nthreads);
	void (*reader)(struct bench_run *run, unsigned int id);
	void (*updater)(struct bench_run *run);
};

extern const struct contender contender_urcu_qsbr, contender_urcu_memb,
	contender_quiesce, contender_rwlock, contender_busted;

/* Helpers for the loops (bench/urcu_bench.c). */
uint64_t bench_now_ns(void);
static inline bool bench_flag(const int *flag)
{
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}
void bench_set_flag(int *flag);

#endif
