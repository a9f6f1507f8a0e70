// SPDX-License-Identifier: MIT
/*
 * The lockdep checks, each triggered on purpose. A hook takes the place
 * of the default report (message and backtrace), so the reports are
 * counted and examined instead of alarming anyone; what the hook saw is
 * printed, marked as expected.
 */
#include <ktest.h>
#include <kernel.h>
#include <arch.h>
#include <lockdep.h>
#include <rwlock.h>
#include <smp.h>
#include <spinlock.h>

static struct lockdep_report seen;
static unsigned int nr_seen;

static void capture(const struct lockdep_report *r)
{
	seen = *r;
	nr_seen++;
	printk("    (expected) ");
	lockdep_print_report(r);
}

static void capture_start(void)
{
	nr_seen = 0;
	seen = (struct lockdep_report){ 0 };
	lockdep_set_report_hook(capture);
}

static void capture_stop(void)
{
	lockdep_set_report_hook(NULL);
}

static DEFINE_SPINLOCK(ld_recursive);

KTEST_DEBUG(lockdep, reports_recursive_spin_lock_and_keeps_running)
{
	capture_start();
	spin_lock(&ld_recursive);
	spin_lock(&ld_recursive);	/* reported, not taken: no deadlock */
	spin_unlock(&ld_recursive);	/* matches the skipped acquire */
	EXPECT_TRUE(t, spin_is_locked(&ld_recursive));
	spin_unlock(&ld_recursive);
	capture_stop();
	EXPECT_FALSE(t, spin_is_locked(&ld_recursive));
	EXPECT_EQ(t, nr_seen, 1);
	EXPECT_EQ(t, seen.kind, LOCKDEP_RECURSION);
	EXPECT_STREQ(t, seen.lock, "ld_recursive");
	EXPECT_NE(t, seen.ip, 0);
	EXPECT_NE(t, seen.prev_ip, 0);
}

static DEFINE_RWLOCK(ld_rwlock);

KTEST_DEBUG(lockdep, reports_recursive_read_lock)
{
	capture_start();
	read_lock(&ld_rwlock);
	read_lock(&ld_rwlock);
	read_unlock(&ld_rwlock);
	read_unlock(&ld_rwlock);
	capture_stop();
	EXPECT_EQ(t, nr_seen, 1);
	EXPECT_EQ(t, seen.kind, LOCKDEP_RECURSION);
	EXPECT_STREQ(t, seen.lock, "ld_rwlock");
	EXPECT_TRUE(t, write_trylock(&ld_rwlock));
	write_unlock(&ld_rwlock);
}

static DEFINE_MCS_SPINLOCK(ld_not_held);

static void unlock_on_cpu1(void *arg)
{
	(void)arg;
	if (smp_processor_id() == 1)
		mcs_spin_unlock(&ld_not_held);
}

KTEST_SMP_DEBUG(lockdep, reports_unlock_by_a_cpu_that_does_not_hold_the_lock, 2)
{
	capture_start();
	mcs_spin_lock(&ld_not_held);
	run_on_cpus(2, unlock_on_cpu1, NULL);
	EXPECT_TRUE(t, mcs_spin_is_locked(&ld_not_held));	/* left held */
	mcs_spin_unlock(&ld_not_held);
	capture_stop();
	EXPECT_FALSE(t, mcs_spin_is_locked(&ld_not_held));
	EXPECT_EQ(t, nr_seen, 1);
	EXPECT_EQ(t, seen.kind, LOCKDEP_NOT_HELD);
	EXPECT_EQ(t, seen.cpu, 1);
	EXPECT_EQ(t, seen.owner, 0);
	EXPECT_STREQ(t, seen.lock, "ld_not_held");
}

static DEFINE_SPINLOCK(ld_needed);

KTEST_DEBUG(lockdep, reports_a_locked_function_called_without_its_lock)
{
	capture_start();
	spin_lock(&ld_needed);
	lockdep_assert_held(&ld_needed);	/* held: silent */
	spin_unlock(&ld_needed);
	EXPECT_EQ(t, nr_seen, 0);
	lockdep_assert_held(&ld_needed);
	capture_stop();
	EXPECT_EQ(t, nr_seen, 1);
	EXPECT_EQ(t, seen.kind, LOCKDEP_NOT_HELD_BY_CALLER);
	EXPECT_STREQ(t, seen.lock, "ld_needed");
	EXPECT_EQ(t, seen.owner, -1);
	EXPECT_NE(t, seen.ip, 0);
}

KTEST_DEBUG(lockdep, reports_unlock_of_a_free_lock)
{
	DEFINE_SPINLOCK(never_taken);

	capture_start();
	spin_unlock(&never_taken);
	capture_stop();
	EXPECT_FALSE(t, spin_is_locked(&never_taken));
	EXPECT_EQ(t, nr_seen, 1);
	EXPECT_EQ(t, seen.kind, LOCKDEP_NOT_HELD);
	EXPECT_EQ(t, seen.owner, -1);
}

struct two_locks {
	spinlock_t outer_first;
	spinlock_t inner_first;
};

KTEST_DEBUG(lockdep, reports_ab_ba_inversion_with_both_names_and_sites)
{
	struct two_locks l;

	/* One class per init site: these two are new classes. */
	spin_lock_init(&l.outer_first);
	spin_lock_init(&l.inner_first);
	capture_start();
	spin_lock(&l.outer_first);
	spin_lock(&l.inner_first);	/* records outer_first -> inner_first */
	spin_unlock(&l.inner_first);
	spin_unlock(&l.outer_first);
	EXPECT_EQ(t, nr_seen, 0);

	spin_lock(&l.inner_first);
	spin_lock(&l.outer_first);	/* inner_first -> outer_first: reported */
	spin_unlock(&l.outer_first);
	spin_unlock(&l.inner_first);
	EXPECT_EQ(t, nr_seen, 1);
	EXPECT_EQ(t, seen.kind, LOCKDEP_INVERSION);
	EXPECT_STREQ(t, seen.lock, "&l.outer_first");
	EXPECT_STREQ(t, seen.other, "&l.inner_first");
	EXPECT_NE(t, seen.ip, 0);
	EXPECT_NE(t, seen.other_ip, 0);
	EXPECT_NE(t, seen.prev_outer_ip, 0);
	EXPECT_NE(t, seen.prev_inner_ip, 0);
	EXPECT_NE(t, seen.ip, seen.prev_outer_ip);

	/* Reported once: the same inversion again stays quiet. */
	spin_lock(&l.inner_first);
	spin_lock(&l.outer_first);
	spin_unlock(&l.outer_first);
	spin_unlock(&l.inner_first);
	capture_stop();
	EXPECT_EQ(t, nr_seen, 1);
}

KTEST_DEBUG(lockdep, accepts_a_consistent_order_and_trylock_nesting)
{
	struct two_locks l;

	spin_lock_init(&l.outer_first);
	spin_lock_init(&l.inner_first);
	capture_start();
	for (int i = 0; i < 3; i++) {
		spin_lock(&l.outer_first);
		spin_lock(&l.inner_first);
		spin_unlock(&l.inner_first);
		spin_unlock(&l.outer_first);
	}
	/* A trylock in the other order cannot deadlock: not an inversion. */
	spin_lock(&l.inner_first);
	EXPECT_TRUE(t, spin_trylock(&l.outer_first));
	spin_unlock(&l.outer_first);
	spin_unlock(&l.inner_first);
	capture_stop();
	EXPECT_EQ(t, nr_seen, 0);
}

/*
 * A lock an interrupt handler takes must never be held with interrupts
 * on: the handler could interrupt its holder and spin on its own CPU.
 * Simulated with lockdep_hardirq_enter() around a plain acquire.
 */
KTEST_DEBUG(lockdep, reports_a_lock_taken_in_a_handler_and_held_with_irqs_on)
{
	struct two_locks l;
	unsigned long flags;

	spin_lock_init(&l.outer_first);		/* the unsafe one */
	spin_lock_init(&l.inner_first);		/* always with irqs masked */
	capture_start();
	flags = arch_irq_save();
	lockdep_hardirq_enter();
	spin_lock(&l.outer_first);
	spin_unlock(&l.outer_first);
	spin_lock(&l.inner_first);
	spin_unlock(&l.inner_first);
	lockdep_hardirq_exit();
	arch_irq_restore(flags);
	spin_lock_irqsave(&l.inner_first, flags);	/* safe: masked */
	spin_unlock_irqrestore(&l.inner_first, flags);
	EXPECT_EQ(t, nr_seen, 0);

	spin_lock(&l.outer_first);			/* interrupts on: reported */
	spin_unlock(&l.outer_first);
	EXPECT_EQ(t, nr_seen, 1);
	EXPECT_EQ(t, seen.kind, LOCKDEP_IRQ_UNSAFE);
	EXPECT_STREQ(t, seen.lock, "&l.outer_first");
	EXPECT_NE(t, seen.ip, 0);
	EXPECT_NE(t, seen.other_ip, 0);
	EXPECT_NE(t, seen.ip, seen.other_ip);

	spin_lock(&l.outer_first);			/* once per class */
	spin_unlock(&l.outer_first);
	capture_stop();
	EXPECT_EQ(t, nr_seen, 1);
}
