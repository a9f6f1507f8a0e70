// SPDX-License-Identifier: MIT
/*
 * Litmus-style stress tests of the orderings that the "pairs with"
 * comments on the RCU and SRCU paths claim, on the host: two threads run
 * the two sides of one pairing at the same moment, round after round,
 * and count the outcome the pairing forbids.
 *
 * The host is x86-64, whose memory model (TSO) reorders only a store with
 * a later load (the store waits in the store buffer). So the pairings
 * checked here are the store-buffering (SB) ones, each side a store, a
 * full barrier, a load; each runs twice:
 *  - as the code has it: the forbidden outcome must never appear;
 *  - with the barrier dropped (its broken variant): it must appear, which
 *    shows that the stress can see the reordering the barrier prevents.
 *    Under ThreadSanitizer (whose runtime orders the instrumented
 *    accesses) the broken variant is run but not required to fail.
 *
 * Checked (the pairing, where each side stands):
 *  gp-start-vs-call-rcu: call_rcu()'s smp_mb() between the removal and its
 *    gp_seq sample, against the smp_mb() after rcu_seq_start() in
 *    rcu_gp_init() (the QS reporters' later loads must see the removal).
 *    rcu_migrate_callbacks()'s smp_mb() before its gp_seq sample is the
 *    same pairing.
 *  gp-start-vs-eqs-enter: rcu_gp_init()'s smp_mb() between setting a
 *    leaf's qsmask and sampling the eqs counters, against
 *    rcu_eqs_enter()'s fully ordered atomic_inc_return() before its peek
 *    at qsmask (else an idle CPU is neither reported nor reports: the GP
 *    hangs). rcu_exp_run()'s smp_mb() against the same increment is the
 *    same pairing. Broken twice: without the smp_mb(), and with the
 *    increment as a plain store.
 *  gp-start-vs-eqs-exit: rcu_eqs_exit()'s fully ordered increment before
 *    the reader's loads, against the updater's store and the smp_mb() in
 *    rcu_gp_init() before its eqs sample (a GP that saw the CPU idle must
 *    have its updates seen by the CPU's next readers).
 *  srcu-lock-vs-readers-done: srcu_read_lock() (the real function, with
 *    no barrier after its count) against A in srcu_readers_done(), a
 *    grace period of RCU between the update and the lock sum (the real
 *    srcu_scan_fence_*(); the reader's thread reports its quiescent
 *    states while it waits between rounds): a scan that misses the lock count
 *    must have its update seen by the section. Broken: A as a plain
 *    smp_mb(), which with no barrier in the reader must show.
 *
 * Not checked here, and why:
 *  - every release/acquire and smp_wmb()/smp_rmb() pairing (message
 *    passing: rcu_assign_pointer()/rcu_dereference(), the qsmask and
 *    expmask release/acquire peeks, rcu_barrier()'s count, rcutorture's
 *    chains_live, srcu_read_unlock()'s release against the acquire sums,
 *    every seqcount begin/end/retry pairing of include/seqlock.h): TSO
 *    never reorders two stores or two loads, so a stress test on this
 *    host passes with or without the barrier and proves nothing; they
 *    need a weakly ordered machine (the arm64/armv7 boards under TCG do
 *    not reorder either) or a model checker;
 *  - the smp_mb() before rcu_seq_end() in rcu_gp_advance_locked() and the
 *    one in poll_state_synchronize_rcu() (load -> store orderings and
 *    cumulativity through the chain of node locks): not reordered by TSO;
 *  - the same SB pairings in the kernel proper: they are checked here on
 *    their pattern with the kernel's own primitives, not by running
 *    rcu_gp_init() itself, whose node locks (locked RMWs on x86: full
 *    barriers) would hide a dropped smp_mb() next to them. The kernel's
 *    own barriers there (GP start, expedited start, the eqs increment,
 *    call_rcu()) are checked in the race build instead: ASSERT_STORE_ORDERED
 *    (include/races.h) at their load sides, tests/qemu/races.py's
 *    rcutorture-orderings case, and make mutants dropping each.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <ktest.h>
#include <kernel.h>
#include <atomic.h>
#include <smp.h>
#include <srcu.h>
#include <ktime.h>

/* Rounds of a run as the code is; a broken run goes on until it has
 * shown LITMUS_ENOUGH (bounded by work: a loaded host that seldom runs
 * both threads at once takes more rounds, not a different verdict). */
#if defined(__SANITIZE_THREAD__)
#define LITMUS_ROUNDS		5000	/* its runtime makes each round slow */
#define LITMUS_BROKEN_ROUNDS	LITMUS_ROUNDS
#else
#define LITMUS_ROUNDS		20000
#define LITMUS_BROKEN_ROUNDS	1000000
#endif
#define LITMUS_ENOUGH	5

/* A clock both threads read alike: the time-stamp counter on x86. */
#if defined(__x86_64__)
static inline uint64_t litmus_clock(void) { return __builtin_ia32_rdtsc(); }
#define LITMUS_LEAD	3000		/* cycles: both see the round by then */
#else
static inline uint64_t litmus_clock(void) { return ktime_get_ns(); }
#define LITMUS_LEAD	2000		/* ns */
#endif

struct litmus {
	unsigned long x, y;		/* the two locations */
	unsigned long r0, r1;		/* what each side loaded */
	unsigned long round;		/* both sides' rendezvous, release/acquire */
	uint64_t start;			/* when the round's sides run (litmus_clock()) */
	unsigned long arrived[2];
	int broken;			/* which barrier to drop, 0: none */
	unsigned long seen;		/* forbidden outcomes */
	unsigned long rounds;
	/* srcu-lock-vs-readers-done */
	struct srcu_struct *ssp;
	unsigned long lock_before;
	int idx, scan_idx;
	unsigned int swap;		/* 1: CPU 1 runs side 0, CPU 0 side 1 */
};

/* Each side: called with the round's locations reset. */
typedef void (*litmus_side_t)(struct litmus *l);

/* gp-start-vs-call-rcu. x: the removal, y: gp_seq. */
static void call_rcu_side(struct litmus *l)
{
	WRITE_ONCE(l->x, 1);			/* remove the object */
	if (!(l->broken & 1))
		smp_mb();			/* call_rcu() */
	l->r0 = READ_ONCE(l->y);		/* sample gp_seq: 0 = GP not started */
}

static void gp_start_side(struct litmus *l)
{
	WRITE_ONCE(l->y, 1);			/* rcu_seq_start() */
	if (!(l->broken & 2))
		smp_mb();			/* rcu_gp_init() */
	l->r1 = READ_ONCE(l->x);		/* a QS reporter's load: 0 = old */
}

/* gp-start-vs-eqs-enter. x: the leaf's qsmask bit, y: the eqs counter
 * (odd while RCU watches the CPU; starts odd: 1). */
static void gp_qsmask_side(struct litmus *l)
{
	smp_store_release(&l->x, 1);		/* qsmask = initmask */
	if (!(l->broken & 1))
		smp_mb();			/* rcu_gp_init(): bits before samples */
	l->r0 = atomic_read_acquire((atomic_t *)&l->y) & 1;	/* 1: not idle */
}

static void eqs_enter_side(struct litmus *l)
{
	if (!(l->broken & 2))
		atomic_inc_return((atomic_t *)&l->y);	/* rcu_eqs_enter() */
	else
		atomic_set((atomic_t *)&l->y, atomic_read((atomic_t *)&l->y) + 1);
	l->r1 = smp_load_acquire(&l->x);	/* peek at qsmask: 0 = no bit */
}

/* gp-start-vs-eqs-exit. x: the update, y: the eqs counter (starts even). */
static void updater_gp_side(struct litmus *l)
{
	WRITE_ONCE(l->x, 1);			/* the update before the GP */
	if (!(l->broken & 1))
		smp_mb();			/* rcu_gp_init() before the samples */
	l->r0 = !(atomic_read_acquire((atomic_t *)&l->y) & 1);	/* 1: idle, reported */
}

static void eqs_exit_side(struct litmus *l)
{
	if (!(l->broken & 2))
		atomic_inc_return((atomic_t *)&l->y);	/* rcu_eqs_exit() */
	else
		atomic_set((atomic_t *)&l->y, atomic_read((atomic_t *)&l->y) + 1);
	l->r1 = READ_ONCE(l->x);		/* the next reader's load: 0 = old */
}

/* srcu-lock-vs-readers-done. x: the update (removal). */
static void srcu_reader_side(struct litmus *l)
{
	l->idx = srcu_read_lock(l->ssp);	/* the real one: no barrier */
	l->r1 = READ_ONCE(l->x);		/* the section's load: 0 = old */
}

static void srcu_scan_side(struct litmus *l)
{
	WRITE_ONCE(l->x, 1);			/* the update before the GP */
	if (!(l->broken & 1)) {
		/* A in srcu_readers_done(), as a waiting scan meets it. */
		unsigned long fence = srcu_scan_fence_start();

		while (!srcu_scan_fence_done(fence))
			rcu_quiescent_state();
	} else {
		smp_mb();			/* A before SRCU-lite */
	}
	/* The lock count of the reader's CPU (1): unchanged = missed. */
	l->r0 = __atomic_load_n(&srcu_cpu_data(l->ssp, !l->swap)->lock_count[0][l->scan_idx],
				__ATOMIC_RELAXED) == l->lock_before;
}

struct litmus_test {
	litmus_side_t side[2];
	/* the forbidden outcome of a round */
	bool (*forbidden)(const struct litmus *l);
	unsigned long y0;		/* y's value at the start of a round */
};

static bool both_zero(const struct litmus *l) { return !l->r0 && !l->r1; }
static bool eqs_enter_bad(const struct litmus *l) { return l->r0 && !l->r1; }
static bool missed_and_old(const struct litmus *l) { return l->r0 && !l->r1; }

static const struct litmus_test *cur_test;
static struct litmus lit;

/* Counters only grow: wait until *p reaches v. With qs, report quiescent
 * states meanwhile (the other side may be waiting for a grace period). */
static void spin_until(unsigned long *p, unsigned long v, bool qs)
{
	for (unsigned int n = 1; smp_load_acquire(p) < v; n++) {
		if (qs)
			rcu_quiescent_state();
		if (!(n & 1023))
			cpu_relax();	/* the host may run us on one core */
	}
}

/* CPU 0 resets and judges each round; both run their side at once. */
static void litmus_cpu(void *arg)
{
	struct litmus *l = &lit;
	unsigned int me = smp_processor_id();

	unsigned long rounds = l->broken ? LITMUS_BROKEN_ROUNDS : LITMUS_ROUNDS;
	cpu_set_t set, old;

	/* One host core each (the host has 2 or more): two threads taking
	 * turns on one core never show a store buffer's reordering. */
	sched_getaffinity(0, sizeof(old), &old);
	CPU_ZERO(&set);
	CPU_SET(me % (unsigned int)CPU_COUNT(&old), &set);
	sched_setaffinity(0, sizeof(set), &set);

	for (unsigned long i = 1; i <= rounds; i++) {
		if (me == 0) {
			WRITE_ONCE(l->x, 0);
			WRITE_ONCE(l->y, cur_test->y0);
			l->r0 = l->r1 = 2;
			if (l->ssp) {
				l->scan_idx = (int)(__rcu_load(l->ssp->idx) & 1);
				l->lock_before = __atomic_load_n(
					&srcu_cpu_data(l->ssp, !l->swap)->lock_count[0][l->scan_idx],
					__ATOMIC_RELAXED);
			}
			WRITE_ONCE(l->start, litmus_clock() + LITMUS_LEAD);
			/* Release: the reset precedes the round. */
			smp_store_release(&l->round, i);
		} else {
			unsigned long r;

			/* ~0: CPU 0 has seen enough (a broken run). */
			for (unsigned int n = 1; (r = smp_load_acquire(&l->round)) < i; n++)
				if (!(n & 1023))
					cpu_relax();
			if (r == ~0UL)
				break;
		}
		/* Both here, then both go: the closer, the more reorderings. */
		__atomic_store_n(&l->arrived[me], 2 * i - 1, __ATOMIC_RELEASE);
		spin_until(&l->arrived[!me], 2 * i - 1, l->ssp);
		/* Both sides start at the same time-stamp count (set by CPU 0
		 * for the round): they must overlap within a store buffer's
		 * drain time, far less than the cache miss a flag costs. */
		while ((int64_t)(litmus_clock() - READ_ONCE(l->start)) < 0)
			;
		cur_test->side[me ^ l->swap](l);
		if ((me ^ l->swap) == 1 && l->ssp)
			srcu_read_unlock(l->ssp, l->idx);
		/* Release: our side's loads precede the judgement. */
		__atomic_store_n(&l->arrived[me], 2 * i, __ATOMIC_RELEASE);
		spin_until(&l->arrived[!me], 2 * i, l->ssp);
		if (me == 0) {
			l->rounds = i;
			if (cur_test->forbidden(l))
				l->seen++;
		}
		/* A broken run may stop once it has shown enough. */
		if (me == 0 && l->broken && l->seen >= LITMUS_ENOUGH) {
			smp_store_release(&l->round, ~0UL);
			break;
		}
	}
	sched_setaffinity(0, sizeof(old), &old);
}

/*
 * Run one test with barriers b dropped (bit 0: side 0's, bit 1: side
 * 1's), side 0 on CPU swap; returns the forbidden outcomes seen.
 */
static unsigned long litmus_run(const struct litmus_test *t, int b, struct srcu_struct *ssp,
				unsigned int swap)
{
	lit = (struct litmus){ .broken = b, .ssp = ssp, .swap = swap };
	cur_test = t;
	run_on_cpus(2, litmus_cpu, NULL);
	printk("    litmus: broken=%d swap=%u: %lu forbidden outcomes in %lu rounds\n", b, swap,
	       lit.seen, lit.rounds);
	return lit.seen;
}

#if defined(__SANITIZE_THREAD__)
#define EXPECT_BROKEN_SEEN(t, n)	((void)(n))
#else
#define EXPECT_BROKEN_SEEN(t, n)	EXPECT_GT(t, n, 0)
#endif

static const struct litmus_test call_rcu_test = {
	{ call_rcu_side, gp_start_side }, both_zero, 0 };
static const struct litmus_test eqs_enter_test = {
	{ gp_qsmask_side, eqs_enter_side }, eqs_enter_bad, 1 };
/* The GP saw the CPU idle (r0 = 1) and the reader after the exit loaded
 * the old value (r1 = 0). */
static bool eqs_exit_bad(const struct litmus *l) { return l->r0 && !l->r1; }
static const struct litmus_test eqs_exit_test = {
	{ updater_gp_side, eqs_exit_side }, eqs_exit_bad, 0 };

/*
 * As the code is: never, either way round. Without one side's barrier:
 * must show, with that side on CPU 1 (measured: 5 forbidden outcomes in
 * 20-800 rounds that way round, far fewer the other way), so each barrier
 * of the pairing is shown needed.
 */
static void litmus_check(struct ktest_ctx *t, const struct litmus_test *lt,
			 struct srcu_struct *ssp)
{
	EXPECT_EQ(t, litmus_run(lt, 0, ssp, 0), 0);
	EXPECT_EQ(t, litmus_run(lt, 0, ssp, 1), 0);
	EXPECT_BROKEN_SEEN(t, litmus_run(lt, 2, ssp, 0));
	EXPECT_BROKEN_SEEN(t, litmus_run(lt, 1, ssp, 1));
}

KTEST_SMP(litmus, gp_start_vs_call_rcu, 2)
{
	litmus_check(t, &call_rcu_test, NULL);
}

KTEST_SMP(litmus, gp_start_vs_eqs_enter, 2)
{
	litmus_check(t, &eqs_enter_test, NULL);
}

KTEST_SMP(litmus, gp_start_vs_eqs_exit, 2)
{
	litmus_check(t, &eqs_exit_test, NULL);
}

static const struct litmus_test srcu_test = {
	{ srcu_scan_side, srcu_reader_side }, missed_and_old, 0 };

/* The reader has no barrier to drop: only A's broken variant, with the
 * scan on CPU 1 (the way round that shows it). */
KTEST_SMP(litmus, srcu_lock_vs_readers_done, 2)
{
	static struct srcu_struct ss;

	ASSERT_EQ(t, init_srcu_struct(&ss), 0);
	EXPECT_EQ(t, litmus_run(&srcu_test, 0, &ss, 0), 0);
	EXPECT_EQ(t, litmus_run(&srcu_test, 0, &ss, 1), 0);
	EXPECT_BROKEN_SEEN(t, litmus_run(&srcu_test, 1, &ss, 1));
	cleanup_srcu_struct(&ss);
}
