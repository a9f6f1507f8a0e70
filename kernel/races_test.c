// SPDX-License-Identifier: MIT
/*
 * The race build checks its own detector (run=selftest test=races), on 2
 * CPUs with every plain access watched (races_set_sample(1)):
 *
 *  - a plain write racing a plain read of one variable, each in a
 *    function of its own, is reported naming both functions; a detector
 *    that never looks its watchpoints up (races_busted=1) fails it;
 *  - the same with WRITE_ONCE/READ_ONCE and an atomic is not a race:
 *    nothing is reported for those functions.
 *
 *  - the racing pair again, each side in data_race(): not reported;
 *  - message passing (a plain store of data, then a flag; the reader sees
 *    the flag, then loads the data plainly) without release/acquire is
 *    reported under the weak-memory model (races_weak), which lets the
 *    data store appear after the flag's; with smp_store_release() and
 *    smp_load_acquire() on both flags it is not;
 *  - assertions: a store then ASSERT_STORE_ORDERED() is reported when only
 *    a release store lies between them, not after an smp_mb(); a held
 *    ASSERT_EXCLUSIVE_WRITER_BEGIN() is met by the other CPU's marked
 *    write (reported with both functions), not by its compare-exchange
 *    that fails (it stores nothing: refcount_inc_not_zero() on a count at
 *    zero), and after its END not by a write either.
 *
 * Work-bounded: the racing pair stops at the first report or after
 * RACY_MAX_OPS operations each; the marked pair runs MARKED_OPS each;
 * message passing without barriers stops at its first report or after
 * MP_ROUNDS_MAX rounds (its report needs the reader's load inside the
 * writer's watch, or the other way round, which a loaded host's vCPU
 * timing can postpone for many rounds), with them it runs MP_ROUNDS.
 * The first case's race is deliberate: it flushes its RACE lines itself,
 * so that they count toward no other check.
 */
#include <races.h>

#ifdef CONFIG_RACES
#include <atomic.h>
#include <kernel.h>
#include <ktest.h>
#include <printk.h>
#include <smp.h>

#define RACY_MAX_OPS	200000
#define MARKED_OPS	3000
#define CHECK_EVERY	64

static unsigned long racy_var;
static unsigned long marked_var;
static atomic_long_t marked_atomic;
static atomic_t started, found;
static unsigned long sink[2];

static void wait_for_both(void)
{
	atomic_inc(&started);
	while (atomic_read(&started) < 2)
		cpu_relax();
}

/* The deliberate race: plain stores here, plain loads in the reader. */
static __noinline void races_test_writer(void)
{
	for (unsigned long i = 0; i < RACY_MAX_OPS && !atomic_read(&found); i++) {
		racy_var = i;
		barrier();	/* one store per iteration, not one at the end */
		if (i % CHECK_EVERY == 0 && races_seen("races_test_writer", "races_test_reader"))
			atomic_set(&found, 1);
	}
}

static __noinline void races_test_reader(void)
{
	unsigned long sum = 0;

	for (unsigned long i = 0; i < RACY_MAX_OPS && !atomic_read(&found); i++) {
		sum += racy_var;
		barrier();	/* one load per iteration */
		if (i % CHECK_EVERY == 0 && races_seen("races_test_writer", "races_test_reader"))
			atomic_set(&found, 1);
	}
	WRITE_ONCE(sink[1], sum);	/* keeps the loads */
}

/* Marked: WRITE_ONCE/READ_ONCE and an atomic; no race. */
static __noinline void races_test_marked_writer(void)
{
	for (unsigned long i = 0; i < MARKED_OPS; i++) {
		WRITE_ONCE(marked_var, i);
		atomic_long_inc(&marked_atomic);
	}
}

static __noinline void races_test_marked_reader(void)
{
	unsigned long sum = 0;

	for (unsigned long i = 0; i < MARKED_OPS; i++)
		sum += READ_ONCE(marked_var) + (unsigned long)atomic_long_read(&marked_atomic);
	WRITE_ONCE(sink[1], sum);	/* keeps the loads */
}

/*
 * Message passing, up to mp_rounds rounds: the writer stores mp_data, raises
 * mp_flag; the reader waits for it, loads mp_data, raises mp_ack, which
 * the writer waits for before the next round. ordered: the flags are
 * release stores and acquire loads (correct); else relaxed (the bug).
 */
#define MP_ROUNDS	1000
#define MP_ROUNDS_MAX	5000

static unsigned long mp_data;
static unsigned long mp_flag, mp_ack;
static unsigned long mp_rounds, mp_found_round;
static bool mp_ordered;

static unsigned long mp_wait(unsigned long *flag, unsigned long want)
{
	unsigned long v;

	for (;;) {
		v = mp_ordered ? smp_load_acquire(flag) : READ_ONCE(*flag);
		if (v == want || atomic_read(&found))
			return v;
		cpu_relax();
	}
}

static __noinline void races_test_mp_writer(void)
{
	for (unsigned long i = 1; i <= mp_rounds && !atomic_read(&found); i++) {
		mp_data = i;
		if (mp_ordered)
			smp_store_release(&mp_flag, i);
		else
			WRITE_ONCE(mp_flag, i);
		mp_wait(&mp_ack, i);
		if (!mp_ordered && i % CHECK_EVERY == 0 &&
		    races_seen("races_test_mp_writer", "races_test_mp_reader")) {
			mp_found_round = i;
			atomic_set(&found, 1);
		}
	}
}

static __noinline void races_test_mp_reader(void)
{
	unsigned long sum = 0;

	for (unsigned long i = 1; i <= mp_rounds && !atomic_read(&found); i++) {
		mp_wait(&mp_flag, i);
		sum += mp_data;
		if (mp_ordered)
			smp_store_release(&mp_ack, i);
		else
			WRITE_ONCE(mp_ack, i);
	}
	WRITE_ONCE(sink[1], sum);	/* keeps the loads */
}

static void mp_on_cpu(void *arg)
{
	wait_for_both();
	if (smp_processor_id() == 0)
		races_test_mp_writer();
	else
		races_test_mp_reader();
}

static bool mp_reported(bool ordered)
{
	unsigned long old = races_set_sample(1);
	bool weak = races_set_weak(true);

	mp_ordered = ordered;
	mp_rounds = ordered ? MP_ROUNDS : MP_ROUNDS_MAX;
	mp_data = mp_flag = mp_ack = mp_found_round = 0;
	atomic_set(&started, 0);
	atomic_set(&found, 0);
	run_on_cpus(2, mp_on_cpu, NULL);
	races_set_weak(weak);
	races_set_sample(old);
	return races_seen("races_test_mp_writer", "races_test_mp_reader");
}

KTEST_SMP(races, weak_message_passing_with_release_acquire_is_not_a_race, 2)
{
	EXPECT_FALSE(t, mp_reported(true));
}

KTEST_SMP(races, weak_message_passing_without_barriers_reported, 2)
{
	EXPECT_TRUE(t, mp_reported(false));
	printk("    the missing barriers' reports (%lu, round %lu):\n", races_flush(),
	       mp_found_round);
}

/* The deliberate race again, annotated as intended: not reported. */
static unsigned long annotated_var;

static __noinline void races_test_annotated_writer(void)
{
	for (unsigned long i = 0; i < MARKED_OPS; i++) {
		/* Harmless by construction: nothing reads the value but the test. */
		data_race(annotated_var = i);
		barrier();
	}
}

static __noinline void races_test_annotated_reader(void)
{
	unsigned long sum = 0;

	for (unsigned long i = 0; i < MARKED_OPS; i++) {
		sum += data_race(annotated_var);	/* a sum nobody checks */
		barrier();
	}
	WRITE_ONCE(sink[1], sum);	/* keeps the loads */
}

static void annotated_on_cpu(void *arg)
{
	wait_for_both();
	if (smp_processor_id() == 0)
		races_test_annotated_writer();
	else
		races_test_annotated_reader();
}

KTEST_SMP(races, data_race_annotated_is_not_reported, 2)
{
	unsigned long old = races_set_sample(1);

	atomic_set(&started, 0);
	run_on_cpus(2, annotated_on_cpu, NULL);
	races_set_sample(old);
	EXPECT_FALSE(t, races_seen("races_test_annotated_writer", "races_test_annotated_reader"));
	EXPECT_FALSE(t, races_seen("races_test_annotated_writer", NULL));
	EXPECT_FALSE(t, races_seen("races_test_annotated_reader", NULL));
}

static void racy_on_cpu(void *arg)
{
	wait_for_both();
	if (smp_processor_id() == 0)
		races_test_writer();
	else
		races_test_reader();
}

static void marked_on_cpu(void *arg)
{
	wait_for_both();
	if (smp_processor_id() == 0)
		races_test_marked_writer();
	else
		races_test_marked_reader();
}

KTEST_SMP(races, plain_write_race_reported_with_both_sites, 2)
{
	unsigned long old = races_set_sample(1);

	atomic_set(&started, 0);
	atomic_set(&found, 0);
	run_on_cpus(2, racy_on_cpu, NULL);
	races_set_sample(old);
	EXPECT_TRUE(t, races_seen("races_test_writer", "races_test_reader"));
	printk("    the deliberate race's reports (%lu):\n", races_flush());
}

KTEST_SMP(races, marked_accesses_are_not_races, 2)
{
	unsigned long old = races_set_sample(1);

	atomic_set(&started, 0);
	run_on_cpus(2, marked_on_cpu, NULL);
	races_set_sample(old);
	EXPECT_FALSE(t, races_seen("races_test_marked_writer", "races_test_marked_reader"));
	EXPECT_FALSE(t, races_seen("races_test_marked_writer", NULL));
	EXPECT_FALSE(t, races_seen("races_test_marked_reader", NULL));
}
/* ASSERT_STORE_ORDERED: the store buffer of the calling CPU. */
static unsigned long ordered_var, ordered_flag;

static __noinline void races_test_unordered(bool full)
{
	WRITE_ONCE(ordered_var, 1);
	if (full)
		smp_mb();
	else
		smp_store_release(&ordered_flag, 1);	/* orders stores, not the later loads */
	ASSERT_STORE_ORDERED(ordered_var);
}

KTEST(races, store_not_followed_by_a_full_barrier_reported)
{
	races_test_unordered(true);
	EXPECT_FALSE(t, races_seen("races_test_unordered", "races_test_unordered"));
	races_test_unordered(false);
	EXPECT_TRUE(t, races_seen("races_test_unordered", "races_test_unordered"));
	printk("    the unordered store's report (%lu):\n", races_flush());
}

/* A held assertion on CPU 0, the other CPU's marked writes. */
static unsigned long held_var;
static atomic_t held_phase;

static __noinline void races_test_held_asserter(void)
{
	ASSERT_EXCLUSIVE_WRITER_BEGIN(held_var);
	smp_mb();	/* the assertion's word before the phase the writer waits for */
	atomic_set(&held_phase, 1);
	while (atomic_read(&held_phase) != 2)
		cpu_relax();
	ASSERT_EXCLUSIVE_END(held_var);
	atomic_set(&held_phase, 3);
}

/* Inside the assertion, a compare-exchange expecting a value held_var
 * never has: it fails, a load. */
static __noinline void races_test_held_failed_cas(void)
{
	(void)cmpxchg(&held_var, ~0ul, 0ul);
}

static __noinline void races_test_held_writer(void)
{
	while (atomic_read(&held_phase) != 1)
		cpu_relax();
	races_test_held_failed_cas();
	WRITE_ONCE(held_var, 1);	/* inside the assertion: reported */
	atomic_set(&held_phase, 2);
	while (atomic_read(&held_phase) != 3)
		cpu_relax();
}

static __noinline void races_test_held_after_end(void)
{
	WRITE_ONCE(held_var, 2);	/* after the END: nothing */
}

static void held_on_cpu(void *arg)
{
	if (smp_processor_id() == 0) {
		races_test_held_asserter();
	} else {
		races_test_held_writer();
		races_test_held_after_end();
	}
}

KTEST_SMP(races, held_exclusive_writer_met_by_a_marked_write, 2)
{
	atomic_set(&held_phase, 0);
	run_on_cpus(2, held_on_cpu, NULL);
	EXPECT_TRUE(t, races_seen("races_test_held_asserter", "races_test_held_writer"));
	EXPECT_FALSE(t, races_seen("races_test_held_asserter", "races_test_held_failed_cas"));
	EXPECT_FALSE(t, races_seen("races_test_held_asserter", "races_test_held_after_end"));
	printk("    the held assertion's report (%lu):\n", races_flush());
}
#endif
