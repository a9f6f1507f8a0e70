// SPDX-License-Identifier: MIT
/*
 * SRCU's two waits, one at a time, on one thread.
 *
 * A grace period of rcu/srcu.c waits twice: in state 1 for the readers
 * of the index readers do not use (stragglers that sampled it before the
 * previous flip and counted themselves after it), in state 2 for the
 * readers of the pre-flip index. A grace period that skips either wait
 * is one short, and rcutorture rarely sees it: its updater steps grace
 * periods back to back, so a skipped wait is spent before the next
 * removal (the one after waits for the reader again). Here the reader is
 * set up by hand in front of one call_srcu(), and the state machine is
 * stepped by the tick a fixed number of times: the callback must not run
 * while the reader is counted, and must run once it has gone. Bounded by
 * work (ticks), no second thread, nothing left to chance.
 */
#include <ktest.h>
#include <kernel.h>
#include <srcu.h>
#include <irqchip.h>
#include <smp.h>
#include "rcu.h"

#define SRCU_GP_TICKS	64	/* many grace periods' worth of steps */

static int srcu_gp_cb_ran;

static void srcu_gp_cb(struct rcu_head *h)
{
	WRITE_ONCE(srcu_gp_cb_ran, 1);
}

/* What the tick does for SRCU, from thread context (host threads never
 * tick; in the kernel the real ticks step it too, which changes nothing):
 * report a quiescent state (an SRCU reader is not an RCU reader), so
 * that a scan's grace period of RCU can end, and step the domains. */
static void srcu_gp_ticks(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned long flags;

		rcu_quiescent_state();
		flags = arch_irq_save();

		srcu_tick();
		arch_irq_restore(flags);
	}
}

/*
 * Queue one callback with the reader in place, step, and check it waits
 * for the reader; then end the reader and check the callback runs.
 */
static void expect_cb_waits_for(struct ktest_ctx *t, struct srcu_struct *ssp, int idx)
{
	struct rcu_head h;

	WRITE_ONCE(srcu_gp_cb_ran, 0);
	call_srcu(ssp, &h, srcu_gp_cb);
	srcu_gp_ticks(SRCU_GP_TICKS);
	EXPECT_EQ(t, READ_ONCE(srcu_gp_cb_ran), 0);	/* 1: the GP ended under the reader */
	srcu_read_unlock(ssp, idx);
	srcu_barrier(ssp);
	EXPECT_EQ(t, READ_ONCE(srcu_gp_cb_ran), 1);
}

/* State 2's wait: a reader that began before the call. */
KTEST(srcu_gp, call_srcu_waits_for_a_reader_on_the_pre_flip_index)
{
	struct srcu_struct ss;

	ASSERT_EQ(t, init_srcu_struct(&ss), 0);
	expect_cb_waits_for(t, &ss, srcu_read_lock(&ss));
	cleanup_srcu_struct(&ss);
}

/*
 * State 1's wait: a straggler that sampled the index, lost the CPU while
 * a whole grace period flipped it, then counted itself on the index it
 * sampled (srcu_read_lock()'s two halves, with the flip between them).
 */
KTEST(srcu_gp, call_srcu_waits_for_a_straggler_on_the_other_index)
{
	struct srcu_struct ss;
	unsigned int cpu = arch_cpu_id();
	unsigned long *c;
	int idx;

	ASSERT_EQ(t, init_srcu_struct(&ss), 0);
	idx = (int)(__rcu_load(ss.idx) & 1);		/* the sample */
	synchronize_srcu(&ss);				/* a flip: idx is unused now */
	EXPECT_NE(t, (int)(__rcu_load(ss.idx) & 1), idx);
	c = &srcu_cpu_data(&ss, cpu)->lock_count[in_hardirq_on(cpu)][idx];
	__atomic_store_n(c, *c + 1, __ATOMIC_RELAXED);	/* the count, late */
	smp_mb();					/* as srcu_read_lock()'s B */
	expect_cb_waits_for(t, &ss, idx);
	cleanup_srcu_struct(&ss);
}
