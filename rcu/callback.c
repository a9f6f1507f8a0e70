// SPDX-License-Identifier: MIT
/*
 * Callbacks: call_rcu(), kfree_rcu(), rcu_barrier(), and their migration
 * when a CPU goes offline.
 *
 * call_rcu() appends to its CPU's own queue with plain stores; the
 * owner moves the queue onto its segmented list (rcu/rcu.h) at its next
 * quiescent-state report, tick or idle entry, one cb_lock section per
 * batch, and that is when the callbacks' grace period is chosen. The
 * lists are guarded by cb_lock so that rcu_barrier() and CPU hotplug
 * can reach other CPUs' lists without an IPI; the owner is the only CPU
 * that takes its lock in the common case. Callbacks run in batches,
 * interrupts off: in the owner's tick, in a waiter that helps, or in the
 * owner's rcu_quiescent_state() once it has queued a batch's worth. One
 * invoker at a time per list keeps a list's callbacks in queueing order,
 * which rcu_barrier() needs.
 *
 * kfree_rcu() objects collect in a per-CPU batch; the tick gives the
 * batch one grace-period cookie and frees it all once the cookie has
 * expired: one grace period per batch, not per object.
 */
#include "tree.h"
#include <kernel.h>
#include <rcu_broken.h>
#include <mm.h>
#include <smp.h>
#include <ktime.h>

/* kfree_rcu() objects a CPU queues before its rcu_quiescent_state() moves
 * its batches along (the tick does every TICK_NS anyway). */
#define KFREE_QS_BATCH	16

/*
 * call_rcu(): the caller's removal of the object precedes this call.
 * The callback goes on this CPU's own queue with plain stores: no lock,
 * no RMW, no barrier (an RMW here also waited for the caller's store
 * buffer: 92% of call_rcu()'s samples on the host's updater). The
 * queue's grace period is chosen when rcu_cbs_splice() moves it onto
 * cbs, soon: the next rcu_quiescent_state() (RCU_QS_WORK below), tick,
 * quiescent-state report or idle entry of this CPU.
 */
void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	struct rcu_data *rdp;
	unsigned long flags;
	bool first;

	head->func = func;
	flags = arch_irq_save();
	rdp = this_cpu_ptr(&rcu_data);
	head->next = NULL;
	/* Relaxed: new_tail may be &new_head, which rcu_barrier() peeks at. */
	__atomic_store_n(rdp->new_tail, head, __ATOMIC_RELAXED);
	rdp->new_tail = &head->next;
	/* The first is work for the next rcu_quiescent_state() (the
	 * splice), and so is every RCU_BATCH-th (rcu_invoke_cbs_qs()). */
	first = rdp->new_len++ == 0;
	if (++rdp->cbs_new >= RCU_BATCH || first)
		__this_cpu_write(rcu_qs_seen, RCU_QS_WORK);
	arch_irq_restore(flags);
}

/*
 * Move rdp's call_rcu() queue onto cbs. cb_lock held, by rdp's owner
 * with interrupts off or for a dead owner. Returns false if the queue
 * was empty; else *snap is the GP its callbacks wait for.
 */
static bool rcu_cbs_splice_locked(struct rcu_data *rdp, unsigned long *snap)
{
	struct rcu_head *first = rdp->new_head;
	unsigned long cur;

	if (!first)
		return false;
	/*
	 * The removals precede the sample of gp_seq the tag is made from:
	 * the owner queued them (program order) before this lock's RMW,
	 * and smp_mb__after_spinlock() made it a full barrier (the
	 * caller's). Pairs with the smp_mb() after rcu_seq_start() in
	 * rcu_gp_init(): a GP sampled as not started cannot miss them.
	 */
	ASSERT_STORE_ORDERED(container_of(rdp->new_tail, struct rcu_head, next)->func);
	cur = rcu_seq_load(&rcu_state.gp_seq);
	rcu_cblist_enqueue(&rdp->cbs, cur, first, rdp->new_tail, rdp->new_len);
	__atomic_store_n(&rdp->new_head, NULL, __ATOMIC_RELAXED);
	rdp->new_tail = &rdp->new_head;
	rdp->new_len = 0;
	*snap = rcu_seq_snap_of(cur);
	return true;
}

/* The owner, interrupts off: its call_rcu() queue onto cbs, and the GP requested. */
void rcu_cbs_splice(struct rcu_data *rdp)
{
	unsigned long snap;
	bool queued;

	if (!rdp->new_head)
		return;
	spin_lock(&rdp->cb_lock);
	smp_mb__after_spinlock();	/* see rcu_cbs_splice_locked() */
	queued = rcu_cbs_splice_locked(rdp, &snap);
	spin_unlock(&rdp->cb_lock);
	if (queued)
		rcu_request_gp(snap);
}

/*
 * Invoke a batch of rdp's callbacks whose grace period is over; any CPU.
 * Returns false when none were ready, or another CPU is invoking (then
 * *busy is set, if busy is given).
 */
static bool rcu_invoke_batch(struct rcu_data *rdp, bool *busy)
{
	unsigned long flags = arch_irq_save();
	struct rcu_head *list, **last;
	long n;

	spin_lock(&rdp->cb_lock);
	if (rdp->cbs.invoking) {
		spin_unlock(&rdp->cb_lock);
		arch_irq_restore(flags);
		if (busy)
			*busy = true;
		return false;
	}
	/* Acquire (rcu_seq_load): each GP's end precedes its callbacks.
	 * RCU_BROKEN_EARLY_CB (tests) counts one GP more than has ended. */
	rcu_cblist_advance(&rdp->cbs, rcu_seq_load(&rcu_state.gp_seq) +
			   (rcu_broken_is(RCU_BROKEN_EARLY_CB) ? 1UL << RCU_SEQ_STATE_BITS : 0));
	list = rcu_cblist_take_done(&rdp->cbs, &last);
	if (!list) {
		spin_unlock(&rdp->cb_lock);
		arch_irq_restore(flags);
		return false;
	}
	rdp->cbs.invoking = true;
	spin_unlock(&rdp->cb_lock);
	n = rcu_invoke_list(&list, RCU_BATCH);
	spin_lock(&rdp->cb_lock);
	if (list)
		rcu_cblist_return_done(&rdp->cbs, list, last);
	rdp->cbs.len -= n;
	rdp->cbs.invoking = false;
	spin_unlock(&rdp->cb_lock);
	arch_irq_restore(flags);
	return true;
}

/* Invoke ready callbacks in batches, for at most about a millisecond. */
void rcu_invoke_cbs(struct rcu_data *rdp)
{
	uint64_t end = ktime_get_ns() + NSEC_PER_MSEC;

	while (rcu_invoke_batch(rdp, NULL) && ktime_get_ns() < end)
		;
}

static void kfree_list(struct rcu_head *h)
{
	while (h) {
		struct rcu_head *next = h->next;

		kfree((char *)h - (uintptr_t)h->func);
		h = next;
	}
}

void __kfree_rcu(struct rcu_head *head, size_t offset)
{
	unsigned long flags = arch_irq_save();
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);

	/* The offset rides in func: the batch frees, it calls nothing. */
	head->func = (rcu_callback_t)offset;
	spin_lock(&rdp->cb_lock);
	head->next = rdp->kf_pending;
	rdp->kf_pending = head;
	spin_unlock(&rdp->cb_lock);
	if (++rdp->kf_new >= KFREE_QS_BATCH)
		__this_cpu_write(rcu_qs_seen, RCU_QS_WORK);	/* see rcu_invoke_cbs_qs() */
	arch_irq_restore(flags);
}

/*
 * Move rdp's kfree_rcu() batches along, cb_lock held: the waiting batch,
 * once its cookie expired, goes to *expired for the caller to free after
 * the unlock; then the pending objects, if none wait, become the waiting
 * batch with a new cookie. Returns true if a batch still waits (its
 * cookie in *cookie, for the caller to request).
 */
static bool kfree_rcu_step(struct rcu_data *rdp, struct rcu_head **expired,
			   unsigned long *cookie)
{
	lockdep_assert_held(&rdp->cb_lock);
	*expired = NULL;
	if (rdp->kf_waiting && poll_state_synchronize_rcu(rdp->kf_cookie)) {
		*expired = rdp->kf_waiting;
		rdp->kf_waiting = NULL;
	}
	if (!rdp->kf_waiting && rdp->kf_pending) {
		/* Every object in the batch was queued before this cookie. */
		rdp->kf_waiting = rdp->kf_pending;
		rdp->kf_pending = NULL;
		rdp->kf_cookie = get_state_synchronize_rcu();
	}
	*cookie = rdp->kf_cookie;
	return rdp->kf_waiting;
}

/* The tick's callback step; interrupts off. */
void rcu_callbacks_tick(struct rcu_data *rdp)
{
	struct rcu_head *expired;
	unsigned long gp = 0, cookie;
	bool waiting, kf_waiting;

	rcu_cbs_splice(rdp);
	rcu_invoke_cbs(rdp);
	spin_lock(&rdp->cb_lock);
	waiting = rcu_cblist_next_gp(&rdp->cbs, &gp);
	kf_waiting = kfree_rcu_step(rdp, &expired, &cookie);
	spin_unlock(&rdp->cb_lock);
	/* Re-request: a request can be lost to a busy gp_lock (rcu_gp_kick()). */
	if (waiting)
		rcu_request_gp(gp);
	if (kf_waiting)
		rcu_request_gp(cookie);
	kfree_list(expired);
}

/*
 * rcu_quiescent_state() with interrupts on: once this CPU has queued
 * RCU_BATCH callbacks since the last time, invoke the ready ones (for a
 * millisecond at most, interrupts on between batches); once it has queued KFREE_QS_BATCH kfree_rcu() objects, move its
 * kfree_rcu() batches along as the tick does. A CPU that queues faster
 * than its ticks can retire (call_rcu() in a loop) keeps its backlog to
 * about a grace period's worth, not to everything queued since the run
 * began, and its freed objects come back to its kmalloc() cache while
 * they are still warm. Safe as the tick is: the tick could have
 * interrupted the caller right here, with nothing held that an
 * interrupt may not take.
 */
void rcu_invoke_cbs_qs(struct rcu_data *rdp)
{
	unsigned long flags = arch_irq_save(), cookie;
	bool cbs_due = rdp->cbs_new >= RCU_BATCH;
	bool kf_due = rdp->kf_new >= KFREE_QS_BATCH;
	struct rcu_head *expired = NULL;
	bool kf_waiting = false;

	if (cbs_due)
		rdp->cbs_new = 0;
	if (kf_due) {
		rdp->kf_new = 0;
		spin_lock(&rdp->cb_lock);
		kf_waiting = kfree_rcu_step(rdp, &expired, &cookie);
		spin_unlock(&rdp->cb_lock);
	}
	arch_irq_restore(flags);
	if (cbs_due)
		rcu_invoke_cbs(rdp);	/* all that are ready: a short batch leaves no debt */
	if (kf_waiting)
		rcu_request_gp(cookie);
	kfree_list(expired);
}

bool rcu_needs_cpu(void)
{
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);
	unsigned long flags = arch_irq_save();
	bool need;

	/* Under cb_lock: rcu_barrier() queues on a CPU only if it sees
	 * callbacks there, so either it sees none or this sees its. */
	spin_lock(&rdp->cb_lock);
	need = rdp->cbs.len || rdp->new_head || rdp->kf_pending || rdp->kf_waiting;
	spin_unlock(&rdp->cb_lock);
	arch_irq_restore(flags);
	return need || srcu_needs_cpu();
}

/* Hand from's callbacks (from is offline) to to, the calling CPU. */
void rcu_migrate_callbacks(struct rcu_data *from, struct rcu_data *to)
{
	struct rcu_head *first, **lastp, *kf;
	unsigned long flags = arch_irq_save(), cur = 0, snap;
	long n;

	spin_lock(&from->cb_lock);
	WARN_ON(from->cbs.invoking);
	/* Empty unless the CPU died without its EQS entry (which splices). */
	smp_mb__after_spinlock();	/* see rcu_cbs_splice_locked() */
	rcu_cbs_splice_locked(from, &snap);
	n = rcu_cblist_take_all(&from->cbs, &first, &lastp);
	kf = from->kf_pending;
	if (from->kf_waiting) {
		struct rcu_head *h = from->kf_waiting;

		while (h->next)
			h = h->next;
		h->next = kf;
		kf = from->kf_waiting;
	}
	from->kf_pending = from->kf_waiting = NULL;
	spin_unlock(&from->cb_lock);

	spin_lock(&to->cb_lock);
	if (n) {
		/* All of them wait for a GP that starts from now on: longer
		 * than some needed, never shorter. Their order is kept. */
		smp_mb();
		cur = rcu_seq_load(&rcu_state.gp_seq);
		rcu_cblist_enqueue(&to->cbs, cur, first, lastp, n);
	}
	while (kf) {
		struct rcu_head *next = kf->next;

		kf->next = to->kf_pending;
		to->kf_pending = kf;
		kf = next;
	}
	spin_unlock(&to->cb_lock);
	if (n)
		rcu_request_gp(rcu_seq_snap_of(cur));
	arch_irq_restore(flags);
}

/*
 * hotplug=busted (tests only): what a hotplug path that forgets the dead
 * CPU's callbacks does. They are dropped, never invoked, all but the one
 * rcu_barrier() may have queued, which is adopted as usual: the run must
 * fail by its counts, not hang in rcu_barrier().
 */
void rcu_cpu_dead_busted(unsigned int cpu)
{
	struct rcu_data *rdp = per_cpu_ptr(&rcu_data, cpu);
	struct rcu_head *first, **lastp;
	unsigned long flags = arch_irq_save();
	bool barrier = false;

	spin_lock(&rdp->cb_lock);
	rcu_cblist_take_all(&rdp->cbs, &first, &lastp);
	for (struct rcu_head *h = first; h; h = h->next)
		barrier |= h == &rdp->barrier_head;
	if (barrier)
		rcu_cblist_enqueue(&rdp->cbs, rcu_seq_load(&rcu_state.gp_seq),
				   &rdp->barrier_head, &rdp->barrier_head.next, 1);
	rdp->kf_pending = rdp->kf_waiting = NULL;
	spin_unlock(&rdp->cb_lock);
	arch_irq_restore(flags);
	rcu_cpu_dead(cpu);
}

/* ---- rcu_barrier() ------------------------------------------------------- */

static DEFINE_SPINLOCK(barrier_lock);	/* one rcu_barrier() at a time; irqs on */
static atomic_t barrier_left;		/* barrier callbacks not yet run, +1 */

static void rcu_barrier_cb(struct rcu_head *head)
{
	/* Release: the callbacks queued before this one (already run)
	 * precede the count; pairs with rcu_barrier()'s acquire. The last
	 * one wakes rcu_barrier() if it sleeps. */
	if (atomic_fetch_sub_release(1, &barrier_left) == 1)
		rcu_wake_sleepers();
}

/*
 * Invoke every ready callback of rdp. Returns false if another CPU was
 * invoking rdp's callbacks: some may still be ready after it is done.
 */
static bool rcu_invoke_all_ready(struct rcu_data *rdp)
{
	bool busy = false;

	while (rcu_invoke_batch(rdp, &busy))
		;
	return !busy;
}

/* Queue a barrier callback behind rdp's callbacks, if it has any. */
static void rcu_barrier_entrain(struct rcu_data *rdp)
{
	unsigned long flags = arch_irq_save(), cur = 0;
	bool queued = false;

	spin_lock(&rdp->cb_lock);
	/* len counts a batch being invoked too: it ends before ours runs. */
	if (rdp->cbs.len) {
		atomic_inc(&barrier_left);
		rdp->barrier_head.func = rcu_barrier_cb;
		cur = rcu_seq_load(&rcu_state.gp_seq);
		rcu_cblist_enqueue(&rdp->cbs, cur, &rdp->barrier_head,
				   &rdp->barrier_head.next, 1);
		queued = true;
	}
	spin_unlock(&rdp->cb_lock);
	if (queued)
		rcu_request_gp(rcu_seq_snap_of(cur));
	arch_irq_restore(flags);
}

/* rcu_barrier() may go on: its callbacks ran, or a GP ended since gp. */
static bool rcu_barrier_progress(unsigned long gp)
{
	return !atomic_read_acquire(&barrier_left) ||
	       rcu_seq_load(&rcu_state.gp_seq) != gp;
}

void rcu_barrier(void)
{
	struct rcu_head *kf = NULL;
	unsigned int cpu;

	might_sleep();
	/*
	 * A CPU's call_rcu() queue is on its cbs by the end of the next GP
	 * (it splices before its report or its EQS entry): wait for one if
	 * any CPU's queue holds callbacks. A call_rcu() made before this
	 * call stored its queue's head before this peek, so the peek sees
	 * it, or the NULL of the splice that took it, whose cb_lock section
	 * then precedes rcu_barrier_entrain()'s.
	 */
	for_each_possible_cpu(cpu)
		if (__atomic_load_n(&per_cpu_ptr(&rcu_data, cpu)->new_head, __ATOMIC_RELAXED)) {
			synchronize_rcu();
			break;
		}
	/* Waiters keep reporting quiescent states: the holder needs them. */
	while (!spin_trylock(&barrier_lock))
		rcu_wait_help();
	/* No CPU comes or goes meanwhile: an offline CPU's callbacks have
	 * all been migrated, an online CPU's are on its own list. */
	cpus_read_lock();
	atomic_set(&barrier_left, 1);
	for_each_possible_cpu(cpu)
		rcu_barrier_entrain(per_cpu_ptr(&rcu_data, cpu));
	cpus_read_unlock();
	atomic_dec(&barrier_left);
	while (atomic_read_acquire(&barrier_left)) {
		unsigned long gp = rcu_seq_load(&rcu_state.gp_seq);
		bool all = rcu_invoke_all_ready(this_cpu_ptr(&rcu_data));

		/* CPUs in an EQS may not tick (host threads that ended, an
		 * idle CPU between ticks, a waiter asleep): run their ready
		 * callbacks here. */
		for_each_possible_cpu(cpu) {
			struct rcu_data *rdp = per_cpu_ptr(&rcu_data, cpu);

			if (!(atomic_read_acquire(&rdp->eqs) & 1))
				all &= rcu_invoke_all_ready(rdp);
		}
		/*
		 * Every callback ready at gp has run (unless another CPU was
		 * invoking some): what is left waits for a later GP, or for
		 * an online CPU's tick. Wait for either: a GP's end and the
		 * last barrier callback both wake sleepers.
		 */
		if (all)
			rcu_wait_until(rcu_barrier_progress, gp);
		else
			rcu_wait_help();
	}

	/* kfree_rcu() batches: take them all, one GP covers every one. */
	for_each_possible_cpu(cpu) {
		struct rcu_data *rdp = per_cpu_ptr(&rcu_data, cpu);
		unsigned long flags = arch_irq_save();

		spin_lock(&rdp->cb_lock);
		for (struct rcu_head **l = &rdp->kf_pending;; l = &rdp->kf_waiting) {
			while (*l) {
				struct rcu_head *h = *l;

				*l = h->next;
				h->next = kf;
				kf = h;
			}
			if (l == &rdp->kf_waiting)
				break;
		}
		spin_unlock(&rdp->cb_lock);
		arch_irq_restore(flags);
	}
	if (kf) {
		synchronize_rcu();
		kfree_list(kf);
	}
	spin_unlock(&barrier_lock);
}
