// SPDX-License-Identifier: MIT
/*
 * SRCU grace periods (see include/srcu.h for the read side).
 *
 * A grace period of a domain is a small state machine in its gp_seq
 * (rcu/rcu.h layout), stepped under the domain's lock and never waiting
 * (each wait below is a scan of the counters, whose two sums lie a grace
 * period of normal RCU apart: srcu_readers_done()):
 *
 *	state 1: wait until the index readers do not use (idx ^ 1) has no
 *		 readers left: stragglers that sampled it before the
 *		 previous flip. Then flip idx, so new readers use the other
 *		 index.
 *	state 2: wait until the pre-flip index has no readers left. Every
 *		 reader that began before the grace period has then ended.
 *
 * Both waits are needed: a reader may sample idx just before a flip and
 * count itself just after; the first wait of the next grace period
 * catches it. Who steps: synchronize_srcu() callers, srcu_barrier(), and
 * for call_srcu() callbacks the tick of any CPU (domains with callbacks
 * sit on a pending list; CPUs keep their tick while it is not empty).
 *
 * Lock order: pending_lock -> srcu_struct.lock -> (a scan's request for its
 * grace period of RCU, by trylock) rcu_state.gp_lock.
 */
#include <srcu.h>
#include "rcu.h"
#include <cpu_watch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>

static DEFINE_SPINLOCK(pending_lock);
static struct srcu_struct *pending_list;	/* guarded by pending_lock; peeked */

/*
 * Take ssp->lock with interrupts off; returns the flags to restore. The
 * lock is the domain's one point of contention. A caller with interrupts
 * on retries with them on in between: a FIFO queue of CPUs spinning with
 * interrupts off convoys when vCPUs outnumber host CPUs (the waiter whose
 * turn it is may not run). A caller that has them off already (the tick,
 * a callback, srcu_run_batch()) takes its ticket instead: retries with
 * interrupts off can lose every race to the CPUs queueing callbacks (the
 * watchdog saw 25 s at 512 vCPUs), while a waiting ticket is served at
 * the next unlock, before any try.
 */
static unsigned long srcu_lock(struct srcu_struct *ssp)
{
	bool irqs_on = !arch_irqs_disabled();
	unsigned long flags = arch_irq_save();

	if (!irqs_on) {
		spin_lock(&ssp->lock);
		return flags;
	}
	while (!spin_trylock(&ssp->lock)) {
		arch_irq_restore(flags);
		cpu_relax();
		flags = arch_irq_save();
	}
	return flags;
}

static void srcu_unlock(struct srcu_struct *ssp, unsigned long flags)
{
	spin_unlock_irqrestore(&ssp->lock, flags);
}

/* ssp->lock held. Static domains are set up on first update-side use. */
static void srcu_ready_locked(struct srcu_struct *ssp)
{
	lockdep_assert_held(&ssp->lock);
	if (ssp->ready)
		return;
	ssp->gp_seq = ssp->gp_seq_needed = RCU_SEQ_INIT;
	ssp->scanning = false;
	rcu_cblist_init(&ssp->cbs);
	ssp->ready = true;
}

int init_srcu_struct(struct srcu_struct *ssp)
{
	unsigned long flags;

	ssp->sda = kzalloc(nr_cpu_ids * sizeof(*ssp->sda));
	if (!ssp->sda)
		return -ENOMEM;
	ssp->sda_percpu = false;
	ssp->idx = 0;
	ssp->on_pending = false;
	ssp->next_pending = NULL;
	spin_lock_init(&ssp->lock);
	ssp->ready = false;
	/* Nobody else can see ssp yet: the lock only keeps the rule simple. */
	flags = srcu_lock(ssp);
	srcu_ready_locked(ssp);
	srcu_unlock(ssp, flags);
	return 0;
}

void cleanup_srcu_struct(struct srcu_struct *ssp)
{
	unsigned long flags;
	bool busy;

	spin_lock_irqsave(&pending_lock, flags);
	for (struct srcu_struct **pp = &pending_list; *pp; pp = &(*pp)->next_pending)
		if (*pp == ssp) {
			*pp = ssp->next_pending;
			break;
		}
	spin_unlock_irqrestore(&pending_lock, flags);
	/* A tick may still be finishing a batch (srcu_barrier()'s own
	 * callback ends it early): wait until it dropped the lock. */
	do {
		spin_lock_irqsave(&ssp->lock, flags);
		busy = ssp->cbs.invoking;
		WARN_ON(!busy && ssp->cbs.len);
		spin_unlock_irqrestore(&ssp->lock, flags);
	} while (busy);
	if (!ssp->sda_percpu)
		kfree(ssp->sda);
	ssp->sda = NULL;
}

/*
 * True if idx has as many unlocks as locks: no reader left on it. A scan
 * is two sums with a grace period of normal RCU between them, so it
 * takes more than one call: false until that grace period has ended
 * (ssp->scan_cookie names it), then the answer. ssp->lock held; idx
 * stays the same until a scan says true.
 */
static bool srcu_readers_done(struct srcu_struct *ssp, unsigned int idx)
{
	unsigned long locks = 0;
	unsigned int cpu;

	if (!ssp->scanning) {
		unsigned long unlocks = 0;

		/* Acquire: pairs with srcu_read_unlock()'s release. */
		for_each_possible_cpu(cpu)
			for (unsigned int ctx = 0; ctx < 2; ctx++)
				unlocks += smp_load_acquire(
					&srcu_cpu_data(ssp, cpu)->unlock_count[ctx][idx]);
		ssp->scan_unlocks = unlocks;
		ssp->scan_cookie = srcu_scan_fence_start();
		ssp->scanning = true;
	}
	/*
	 * A: a grace period of RCU between the sums, the full barrier the
	 * readers do not execute (B and C in include/srcu.h). Every CPU
	 * that may be in a reader reports a quiescent state in it, after
	 * the unlock sum and before the lock sum, with a full barrier (an
	 * idle CPU: its idle entry before, and its exit after, are fully
	 * ordered): a reader whose unlock was summed has ended before the
	 * lock sum, and a reader whose lock the sum misses began after the
	 * grace period did and sees every update made before this scan.
	 */
	if (!srcu_scan_fence_done(ssp->scan_cookie))
		return false;
	ssp->scanning = false;
	for_each_possible_cpu(cpu)
		for (unsigned int ctx = 0; ctx < 2; ctx++)
			locks += __atomic_load_n(&srcu_cpu_data(ssp, cpu)->lock_count[ctx][idx],
						 __ATOMIC_RELAXED);
	return locks == ssp->scan_unlocks;
}

/* Advance the state machine as far as it goes now. ssp->lock held. */
static void srcu_gp_step(struct srcu_struct *ssp)
{
	for (;;) {
		unsigned long s = ssp->gp_seq;

		switch (rcu_seq_state(s)) {
		case 0:
			if (!ULONG_CMP_LT(s, ssp->gp_seq_needed))
				return;
			rcu_seq_start(&ssp->gp_seq);
			/* The updates that asked for this GP precede its checks. */
			smp_mb();
			break;
		case 1:
			if (!srcu_readers_done(ssp, (unsigned int)(ssp->idx & 1) ^ 1))
				return;
			/* The check precedes the flip, the flip the next check:
			 * new readers use the new index before we wait on the old. */
			smp_mb();
			__rcu_store(ssp->idx, ssp->idx + 1);
			smp_mb();
			rcu_seq_set(&ssp->gp_seq, s + 1);
			break;
		default:
			if (!srcu_readers_done(ssp, (unsigned int)(ssp->idx & 1) ^ 1))
				return;
			smp_mb();
			rcu_seq_end(&ssp->gp_seq);
			break;
		}
	}
}

/* Ask for a GP that ends a full grace period after now; returns its snap. */
static unsigned long srcu_request_locked(struct srcu_struct *ssp)
{
	unsigned long snap = rcu_seq_snap_of(ssp->gp_seq);

	lockdep_assert_held(&ssp->lock);
	if (ULONG_CMP_LT(ssp->gp_seq_needed, snap))
		ssp->gp_seq_needed = snap;
	return snap;
}

/*
 * Step ssp's grace period; true once gp_seq has reached snap. Otherwise
 * wait for what holds it up, the running scan's grace period of RCU, as
 * synchronize_rcu() waits (it reports our own quiescent state, helps,
 * and on the host sleeps until the last report), and return false. A
 * scan that found readers left starts the next at the next step: each
 * later look at the counters costs one grace period of RCU, no spinning.
 */
static bool srcu_step_and_wait(struct srcu_struct *ssp, unsigned long snap)
{
	unsigned long flags = srcu_lock(ssp), cookie;
	bool done, scanning;

	srcu_gp_step(ssp);
	done = rcu_seq_done(&ssp->gp_seq, snap);
	scanning = ssp->scanning;
	cookie = ssp->scan_cookie;
	srcu_unlock(ssp, flags);
	if (!done && scanning)
		cond_synchronize_rcu(cookie);
	return done;
}

__qs_point void synchronize_srcu(struct srcu_struct *ssp)
{
	unsigned long flags, snap;

	might_sleep();
	/* The caller's removal precedes the snapshot (as rcu_seq_snap()). */
	smp_mb();
	flags = srcu_lock(ssp);
	srcu_ready_locked(ssp);
	snap = srcu_request_locked(ssp);
	srcu_unlock(ssp, flags);
	/* Step, and wait for the running scan's RCU grace period. */
	while (!srcu_step_and_wait(ssp, snap))
		;
	/* The GP's end precedes what the caller does next. */
	smp_mb();
}

/* Take ssp's ready callbacks to invoke (NULL if none or being invoked);
 * *last for srcu_run_batch(). ssp->lock held. */
static struct rcu_head *srcu_take_batch_locked(struct srcu_struct *ssp, struct rcu_head ***last)
{
	struct rcu_head *list = NULL;

	lockdep_assert_held(&ssp->lock);
	if (!ssp->cbs.invoking) {
		srcu_gp_step(ssp);
		rcu_cblist_advance(&ssp->cbs, ssp->gp_seq);
		list = rcu_cblist_take_done(&ssp->cbs, last);
		ssp->cbs.invoking = list != NULL;
	}
	return list;
}

static struct rcu_head *srcu_take_batch(struct srcu_struct *ssp, struct rcu_head ***last)
{
	unsigned long flags = srcu_lock(ssp);
	struct rcu_head *list = srcu_take_batch_locked(ssp, last);

	srcu_unlock(ssp, flags);
	return list;
}

/* Invoke up to RCU_BATCH of them; the rest go back to the list. */
static void srcu_run_batch(struct srcu_struct *ssp, struct rcu_head *list,
			   struct rcu_head **last)
{
	unsigned long flags = arch_irq_save();
	long n = rcu_invoke_list(&list, RCU_BATCH);

	arch_irq_restore(srcu_lock(ssp));	/* interrupts stay off: a ticket */
	if (list)
		rcu_cblist_return_done(&ssp->cbs, list, last);
	ssp->cbs.len -= n;
	ssp->cbs.invoking = false;
	spin_unlock(&ssp->lock);
	arch_irq_restore(flags);
}

void call_srcu(struct srcu_struct *ssp, struct rcu_head *head, rcu_callback_t func)
{
	unsigned long flags;

	head->func = func;
	/* The removal precedes the snapshot the tag is made from. */
	smp_mb();
	flags = srcu_lock(ssp);
	srcu_ready_locked(ssp);
	rcu_cblist_enqueue(&ssp->cbs, ssp->gp_seq, head, &head->next, 1);
	srcu_request_locked(ssp);
	/* Start a GP if none runs; a running one is stepped by its waiters
	 * and the tick, not by every caller. */
	if (!rcu_seq_state(ssp->gp_seq))
		srcu_gp_step(ssp);
	spin_unlock(&ssp->lock);
	/*
	 * The tick unlinks a domain, and clears on_pending, only inside a
	 * ssp->lock section that finds no callback. Ours was queued in an
	 * earlier or a later such section: if earlier, the tick keeps the
	 * domain; if later, ssp->lock ordered its clear before our load.
	 */
	if (!__atomic_load_n(&ssp->on_pending, __ATOMIC_ACQUIRE)) {
		spin_lock(&pending_lock);
		if (!ssp->on_pending) {
			__atomic_store_n(&ssp->on_pending, true, __ATOMIC_RELAXED);
			ssp->next_pending = pending_list;
			__atomic_store_n(&pending_list, ssp, __ATOMIC_RELEASE);
		}
		spin_unlock(&pending_lock);
	}
	arch_irq_restore(flags);
}

struct srcu_barrier_head {
	struct rcu_head head;
	int done;
};

static void srcu_barrier_cb(struct rcu_head *head)
{
	/* Release: pairs with srcu_barrier()'s acquire. */
	smp_store_release(&container_of(head, struct srcu_barrier_head, head)->done, 1);
}

__qs_point void srcu_barrier(struct srcu_struct *ssp)
{
	struct srcu_barrier_head b = { .done = 0 };
	unsigned long flags, snap;

	might_sleep();
	/* One list, one invoker at a time: everything queued before b has
	 * run once b has. */
	call_srcu(ssp, &b.head, srcu_barrier_cb);
	flags = srcu_lock(ssp);
	snap = ssp->gp_seq_needed;	/* b's grace period, or a later one */
	srcu_unlock(ssp, flags);
	while (!smp_load_acquire(&b.done)) {
		struct rcu_head *list, **last;

		list = srcu_take_batch(ssp, &last);
		if (list)
			srcu_run_batch(ssp, list, last);
		else if (!srcu_step_and_wait(ssp, snap))
			continue;	/* waited for a scan */
		else
			cpu_relax();	/* another CPU invokes the batch */
	}
}

unsigned long srcu_batches_completed(struct srcu_struct *ssp)
{
	if (!__atomic_load_n(&ssp->ready, __ATOMIC_ACQUIRE))
		return 0;
	return rcu_seq_completed(&ssp->gp_seq);
}

bool srcu_needs_cpu(void)
{
	return __atomic_load_n(&pending_list, __ATOMIC_RELAXED) != NULL;
}

#define SRCU_TICK_BATCH	8

/* From the tick, interrupts off: step and invoke the pending domains. */
void srcu_tick(void)
{
	struct srcu_struct *todo[SRCU_TICK_BATCH];
	struct rcu_head *lists[SRCU_TICK_BATCH], **lasts[SRCU_TICK_BATCH];
	unsigned int n = 0;

	if (!srcu_needs_cpu() || !spin_trylock(&pending_lock))
		return;
	for (struct srcu_struct **pp = &pending_list; *pp && n < SRCU_TICK_BATCH;) {
		struct srcu_struct *ssp = *pp;
		bool idle;

		if (!spin_trylock(&ssp->lock)) {
			pp = &ssp->next_pending;	/* busy: next tick */
			continue;
		}
		idle = !ssp->cbs.len && !ssp->cbs.invoking;
		if (idle) {
			*pp = ssp->next_pending;
			__atomic_store_n(&ssp->on_pending, false, __ATOMIC_RELEASE);
			spin_unlock(&ssp->lock);
			continue;
		}
		/* In the section the try won: a tick never waits for the
		 * lock. Under pending_lock: cleanup_srcu_struct() unlinks the
		 * domain under it, then waits for the batch to finish. */
		lists[n] = srcu_take_batch_locked(ssp, &lasts[n]);
		spin_unlock(&ssp->lock);
		todo[n++] = ssp;
		pp = &ssp->next_pending;
	}
	spin_unlock(&pending_lock);
	/* Invoke outside pending_lock: a callback may call call_srcu(). */
	for (unsigned int i = 0; i < n; i++)
		if (lists[i])
			srcu_run_batch(todo[i], lists[i], lasts[i]);
}
