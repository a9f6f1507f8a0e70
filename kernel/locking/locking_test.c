// SPDX-License-Identifier: MIT
/*
 * The locking primitives under concurrency, on every CPU (every thread
 * in the host build, where ThreadSanitizer watches). Each test pins down
 * one promise: mutual exclusion, untorn seqcount snapshots, exact counts.
 */
#include <completion.h>
#include <ktest.h>
#include <lockref.h>
#include <refcount.h>
#include <rwlock.h>
#include <rwsem.h>
#include <seqlock.h>
#include <smp.h>
#include <spinlock.h>

static unsigned int test_cpus(void)
{
	return num_online_cpus();
}

/*
 * Lock hand-offs per CPU: about 2000 in all, whatever the CPU count. A
 * FIFO lock hands off to one particular waiter, and under an emulator
 * with more vCPUs than host cores that waiter's thread is often not
 * running: each hand-off can cost a host time slice, so the work per
 * test must not grow with the CPU count.
 */
#define ROUNDS	((int)max(2000u / test_cpus(), 100u))

/* Guarded by whichever lock the test takes: plain accesses on purpose. */
static unsigned long counter;
static atomic_t violations;

static DEFINE_SPINLOCK(t_spin);
static DEFINE_TICKET_SPINLOCK(t_ticket);
static DEFINE_MCS_SPINLOCK(t_mcs);
static DEFINE_RWLOCK(t_rwlock);
static DECLARE_RWSEM(t_rwsem);

/* One MCS lock taken three ways: plain, irqsave, trylock. */
static void mcs_forms_rounds(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long flags;

		switch (i % 3) {
		case 0:
			mcs_spin_lock(&t_mcs);
			counter++;
			mcs_spin_unlock(&t_mcs);
			break;
		case 1:
			mcs_spin_lock_irqsave(&t_mcs, flags);
			counter++;
			mcs_spin_unlock_irqrestore(&t_mcs, flags);
			break;
		default:
			while (!mcs_spin_trylock(&t_mcs))
				cpu_relax();
			counter++;
			mcs_spin_unlock(&t_mcs);
			break;
		}
	}
}

/* Each lock alone guards counter for a third of the rounds: so run the
 * three kinds in turn, all CPUs on the same kind at once. */
static unsigned int spin_kind;

static void spin_kind_rounds(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		switch (spin_kind) {
		case 0:
			spin_lock(&t_spin);
			counter++;
			spin_unlock(&t_spin);
			break;
		case 1:
			ticket_spin_lock(&t_ticket);
			counter++;
			ticket_spin_unlock(&t_ticket);
			break;
		default:
			mcs_spin_lock(&t_mcs);
			counter++;
			mcs_spin_unlock(&t_mcs);
			break;
		}
	}
}

KTEST(spinlock, every_variant_excludes_on_all_cpus)
{
	for (spin_kind = 0; spin_kind < 3; spin_kind++) {
		counter = 0;
		run_on_cpus(test_cpus(), spin_kind_rounds, NULL);
		EXPECT_EQ(t, counter, (unsigned long)ROUNDS * test_cpus());
	}
}

KTEST(spinlock, trylock_and_irqsave_forms_exclude_too)
{
	counter = 0;
	run_on_cpus(test_cpus(), mcs_forms_rounds, NULL);
	EXPECT_EQ(t, counter, (unsigned long)ROUNDS * test_cpus());
	EXPECT_FALSE(t, mcs_spin_is_locked(&t_mcs));
	EXPECT_TRUE(t, mcs_spin_trylock(&t_mcs));
	EXPECT_FALSE(t, mcs_spin_trylock(&t_mcs));
	mcs_spin_unlock(&t_mcs);
}

/* Writers bump counter; readers check they never see a writer inside. */
static int writer_inside;

static void rw_rounds(void *arg)
{
	bool sem = arg != NULL;

	for (int i = 0; i < ROUNDS; i++) {
		bool write = (i + smp_processor_id()) % 4 == 0;

		if (write) {
			if (sem)
				down_write(&t_rwsem);
			else
				write_lock(&t_rwlock);
			if (__atomic_load_n(&writer_inside, __ATOMIC_RELAXED))
				atomic_inc(&violations);
			__atomic_store_n(&writer_inside, 1, __ATOMIC_RELAXED);
			counter++;
			__atomic_store_n(&writer_inside, 0, __ATOMIC_RELAXED);
			if (sem)
				up_write(&t_rwsem);
			else
				write_unlock(&t_rwlock);
		} else {
			if (sem)
				down_read(&t_rwsem);
			else
				read_lock(&t_rwlock);
			if (__atomic_load_n(&writer_inside, __ATOMIC_RELAXED))
				atomic_inc(&violations);
			(void)READ_ONCE(counter);
			if (sem)
				up_read(&t_rwsem);
			else
				read_unlock(&t_rwlock);
		}
	}
}

static unsigned long rw_expected_writes(void)
{
	unsigned long n = 0;

	for (unsigned int cpu = 0; cpu < test_cpus(); cpu++)
		for (int i = 0; i < ROUNDS; i++)
			n += (i + cpu) % 4 == 0;
	return n;
}

KTEST(rwlock, writers_exclude_everyone_readers_see_no_writer)
{
	counter = 0;
	atomic_set(&violations, 0);
	run_on_cpus(test_cpus(), rw_rounds, NULL);
	EXPECT_EQ(t, atomic_read(&violations), 0);
	EXPECT_EQ(t, counter, rw_expected_writes());
}

KTEST(rwsem, writers_exclude_everyone_readers_see_no_writer)
{
	counter = 0;
	atomic_set(&violations, 0);
	run_on_cpus(test_cpus(), rw_rounds, (void *)1);
	EXPECT_EQ(t, atomic_read(&violations), 0);
	EXPECT_EQ(t, counter, rw_expected_writes());
}

KTEST(rwsem, trylocks_and_downgrade)
{
	EXPECT_TRUE(t, down_write_trylock(&t_rwsem));
	EXPECT_FALSE(t, down_read_trylock(&t_rwsem));
	downgrade_write(&t_rwsem);
	EXPECT_FALSE(t, down_write_trylock(&t_rwsem));
	up_read(&t_rwsem);
	EXPECT_FALSE(t, rwsem_is_locked(&t_rwsem));
}

/*
 * seqlock: CPU 0 writes four words, all the same value; the others read
 * them. Relaxed atomics for the data (the readers race with the writer
 * by design; ThreadSanitizer knows nothing of the fences that make the
 * retry check work).
 */
static DEFINE_SEQLOCK(t_seqlock);
static unsigned long words[4];
static atomic_t readers_done;

static void seq_rounds(void *arg)
{
	unsigned int readers = test_cpus() - 1;

	(void)arg;
	if (smp_processor_id() == 0) {
		unsigned long v = 0;

		/* Write until every reader finished (at least ROUNDS times). */
		while (v < (unsigned long)ROUNDS || (unsigned int)atomic_read_acquire(&readers_done) < readers) {
			v++;
			write_seqlock(&t_seqlock);
			for (unsigned int i = 0; i < ARRAY_SIZE(words); i++)
				__atomic_store_n(&words[i], v, __ATOMIC_RELAXED);
			write_sequnlock(&t_seqlock);
		}
		return;
	}
	for (int r = 0; r < ROUNDS; r++) {
		unsigned long copy[ARRAY_SIZE(words)];
		unsigned int seq;

		do {
			seq = read_seqbegin(&t_seqlock);
			for (unsigned int i = 0; i < ARRAY_SIZE(words); i++)
				copy[i] = __atomic_load_n(&words[i], __ATOMIC_RELAXED);
		} while (read_seqretry(&t_seqlock, seq));
		for (unsigned int i = 1; i < ARRAY_SIZE(words); i++)
			if (copy[i] != copy[0])
				atomic_inc(&violations);
	}
	atomic_inc(&readers_done);
}

KTEST_SMP(seqlock, readers_never_accept_a_torn_value, 2)
{
	atomic_set(&violations, 0);
	atomic_set(&readers_done, 0);
	run_on_cpus(test_cpus(), seq_rounds, NULL);
	EXPECT_EQ(t, atomic_read(&violations), 0);
}

KTEST(seqlock, retry_sees_a_write_that_overlapped)
{
	seqcount_t s = SEQCNT_ZERO(s);
	unsigned int seq = read_seqcount_begin(&s);

	EXPECT_FALSE(t, read_seqcount_retry(&s, seq));
	raw_write_seqcount_begin(&s);
	raw_write_seqcount_end(&s);
	EXPECT_TRUE(t, read_seqcount_retry(&s, seq));
	EXPECT_EQ(t, raw_read_seqcount(&s) & 1, 0);
}

KTEST(seqlock, invalidate_makes_a_started_reader_retry)
{
	seqcount_t s = SEQCNT_ZERO(s);
	unsigned int seq = read_seqcount_begin(&s);

	write_seqcount_invalidate(&s);
	EXPECT_TRUE(t, read_seqcount_retry(&s, seq));
	/* No write in progress: a new reader starts at once, and stays valid. */
	seq = read_seqcount_begin(&s);
	EXPECT_EQ(t, seq & 1, 0);
	EXPECT_FALSE(t, read_seqcount_retry(&s, seq));
}

/* lockref: every CPU gets and puts; one base reference throughout. */
static struct lockref t_lockref;

static void lockref_rounds(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		switch (i % 4) {
		case 0:
			lockref_get(&t_lockref);
			break;
		case 1:
			if (!lockref_get_not_zero(&t_lockref))
				atomic_inc(&violations);
			break;
		case 2:
			if (!lockref_get_not_dead(&t_lockref))
				atomic_inc(&violations);
			break;
		default:
			/* Under the lock, as a slow-path user would. */
			lockref_lock(&t_lockref);
			__lockref_set(&t_lockref, lockref_read(&t_lockref) + 1);
			lockref_unlock(&t_lockref);
			break;
		}
		if (i % 2) {
			if (lockref_put_return(&t_lockref) < 0 &&
			    !lockref_put_or_lock(&t_lockref)) {
				atomic_inc(&violations);
				lockref_unlock(&t_lockref);
			}
		} else if (!lockref_put_or_lock(&t_lockref)) {
			atomic_inc(&violations);
			lockref_unlock(&t_lockref);
		}
	}
}

KTEST(lockref, counts_exactly_after_concurrent_get_and_put)
{
	lockref_init(&t_lockref, 1);
	atomic_set(&violations, 0);
	run_on_cpus(test_cpus(), lockref_rounds, NULL);
	EXPECT_EQ(t, atomic_read(&violations), 0);
	EXPECT_EQ(t, lockref_read(&t_lockref), 1);
}

KTEST(lockref, zero_and_dead_refuse_new_references)
{
	struct lockref lr;

	lockref_init(&lr, 1);
	EXPECT_EQ(t, lockref_put_return(&lr), 0);
	EXPECT_EQ(t, lockref_put_return(&lr), -1);	/* count <= 0 */
	EXPECT_FALSE(t, lockref_get_not_zero(&lr));
	EXPECT_TRUE(t, lockref_get_not_dead(&lr));
	EXPECT_FALSE(t, lockref_put_or_lock(&lr));	/* last one: locked */
	lockref_mark_dead(&lr);
	lockref_unlock(&lr);
	EXPECT_FALSE(t, lockref_get_not_dead(&lr));
	EXPECT_FALSE(t, lockref_get_not_zero(&lr));
	lockref_get(&lr);
	EXPECT_EQ(t, lockref_read(&lr), LOCKREF_DEAD + 1);
	/* The lock makes the lockless paths fall back or give up. */
	lockref_init(&lr, 5);
	lockref_lock(&lr);
	EXPECT_EQ(t, lockref_put_return(&lr), -1);
	lockref_unlock(&lr);
	EXPECT_EQ(t, lockref_put_return(&lr), 4);
}

static refcount_t t_refcount;

static void refcount_rounds(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		if (i % 2)
			refcount_inc(&t_refcount);
		else if (!refcount_inc_not_zero(&t_refcount))
			atomic_inc(&violations);
		if (refcount_dec_and_test(&t_refcount))
			atomic_inc(&violations);
	}
}

KTEST(refcount, counts_exactly_after_concurrent_inc_and_dec)
{
	refcount_set(&t_refcount, 1);
	atomic_set(&violations, 0);
	run_on_cpus(test_cpus(), refcount_rounds, NULL);
	EXPECT_EQ(t, atomic_read(&violations), 0);
	EXPECT_EQ(t, refcount_read(&t_refcount), 1);
	EXPECT_TRUE(t, refcount_dec_and_test(&t_refcount));
}

KTEST(refcount, inc_not_zero_on_zero_fails_and_changes_nothing)
{
	refcount_t r = REFCOUNT_INIT(0);

	EXPECT_FALSE(t, refcount_inc_not_zero(&r));
	EXPECT_EQ(t, refcount_read(&r), 0);
	refcount_set(&r, 2);
	EXPECT_TRUE(t, refcount_inc_not_zero(&r));
	EXPECT_EQ(t, refcount_read(&r), 3);
}

KTEST(refcount, saturates_at_the_top_and_stays_saturated)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX);
	int before = atomic_read(&refcount_saturations);

	refcount_inc(&r);	/* would wrap: saturates and warns */
	EXPECT_EQ(t, (int)refcount_read(&r), REFCOUNT_SATURATED);
	EXPECT_EQ(t, atomic_read(&refcount_saturations), before + 1);
	refcount_inc(&r);
	EXPECT_FALSE(t, refcount_dec_and_test(&r));
	EXPECT_TRUE(t, refcount_inc_not_zero(&r));
	/* Still far from both 0 and INT_MAX: the object leaks, never frees. */
	EXPECT_LT(t, (int)refcount_read(&r), 0);
	EXPECT_GT(t, (int)refcount_read(&r), REFCOUNT_SATURATED - 8);
}

KTEST(refcount, underflow_and_increment_from_zero_saturate)
{
	refcount_t r = REFCOUNT_INIT(1);
	spinlock_t lock;

	spin_lock_init(&lock);
	EXPECT_TRUE(t, refcount_dec_and_lock(&r, &lock));
	EXPECT_TRUE(t, spin_is_locked(&lock));
	spin_unlock(&lock);
	EXPECT_FALSE(t, refcount_dec_and_test(&r));	/* below 0: saturates */
	EXPECT_EQ(t, (int)refcount_read(&r), REFCOUNT_SATURATED);
	refcount_set(&r, 0);
	refcount_inc(&r);				/* use after free */
	EXPECT_EQ(t, (int)refcount_read(&r), REFCOUNT_SATURATED);
	refcount_set(&r, 3);
	EXPECT_FALSE(t, refcount_dec_and_lock(&r, &lock));
	EXPECT_FALSE(t, spin_is_locked(&lock));
	EXPECT_EQ(t, refcount_read(&r), 2);
}

/* completion: CPU 1 publishes a value, then completes. */
static struct completion t_done;
static unsigned long t_payload;

static void complete_on_cpu1(void *arg)
{
	(void)arg;
	if (smp_processor_id() == 0) {
		wait_for_completion(&t_done);
		/* Plain read: the completion orders it after the write. */
		if (t_payload != 42)
			atomic_inc(&violations);
	} else if (smp_processor_id() == 1) {
		t_payload = 42;
		complete(&t_done);
	}
}

KTEST_SMP(completion, waiter_sees_what_the_completer_wrote, 2)
{
	init_completion(&t_done);
	t_payload = 0;
	atomic_set(&violations, 0);
	run_on_cpus(2, complete_on_cpu1, NULL);
	EXPECT_EQ(t, atomic_read(&violations), 0);
	EXPECT_FALSE(t, try_wait_for_completion(&t_done));
}

KTEST(completion, complete_counts_and_complete_all_lets_everyone_pass)
{
	DECLARE_COMPLETION(c);

	EXPECT_FALSE(t, try_wait_for_completion(&c));
	complete(&c);
	complete(&c);
	EXPECT_TRUE(t, completion_done(&c));
	wait_for_completion(&c);
	EXPECT_TRUE(t, try_wait_for_completion(&c));
	EXPECT_FALSE(t, try_wait_for_completion(&c));
	complete_all(&c);
	for (int i = 0; i < 3; i++)
		wait_for_completion(&c);
	EXPECT_TRUE(t, completion_done(&c));
	reinit_completion(&c);
	EXPECT_FALSE(t, completion_done(&c));
}
