/* SPDX-License-Identifier: MIT */
/*
 * SRCU: sleepable RCU, one domain per srcu_struct. Read-side sections may
 * be long (they may spin, wait for other CPUs, even span quiescent states
 * of normal RCU); a grace period of one domain waits only for that
 * domain's readers. Linux names and semantics.
 *
 *	idx = srcu_read_lock(&ss); p = srcu_dereference(gp, &ss); ...
 *	srcu_read_unlock(&ss, idx);
 *
 * Readers count themselves in per-CPU counters, one pair per index; a
 * grace period flips the index readers use and waits until the old
 * index's lock and unlock counts agree. Cost per reader: two per-CPU
 * counter updates (a plain load and store each: no RMW, no interrupt
 * masking, no barrier); no shared cache line is written. The ordering
 * a full barrier in each reader would give comes from the updater, as
 * Linux's SRCU-lite has it: between its sum of the unlocks and its sum
 * of the locks lies a grace period of normal RCU, in which every CPU
 * that may be in a reader executes a full barrier (rcu/srcu.c,
 * srcu_readers_done()). An SRCU grace period so costs two of RCU's or
 * more; readers cost nothing but their two counts.
 *
 * srcu_read_unlock() may run on another CPU than the lock did, as long
 * as it gets the index that srcu_read_lock() returned.
 */
#ifndef QUIESCE_SRCU_H
#define QUIESCE_SRCU_H

#include <rcupdate.h>
#include <spinlock.h>
#include <irqchip.h>

/*
 * Per-CPU counts, [context][idx]. Each is written only by its CPU, in
 * one context: [0] outside interrupt handlers, [1] inside them. A handler
 * runs to completion with interrupts off before the code it interrupted
 * resumes, and uses the other counters, so an update of either is a
 * plain load and store that nothing can come between: no RMW, no
 * interrupt masking (Linux's per-CPU counters without preemption).
 */
struct srcu_data {
	unsigned long lock_count[2][2];
	unsigned long unlock_count[2][2];
} ____cacheline_aligned;

struct srcu_struct {
	unsigned long idx;		/* readers use idx & 1; flipped under lock */
	struct srcu_data *sda;		/* per-CPU counts */
	bool sda_percpu;		/* sda is a DEFINE_PER_CPU template */
	spinlock_t lock;		/* guards everything below */
	unsigned long gp_seq;		/* rcu/rcu.h layout; states 1, 2: the two waits */
	bool scanning;			/* a scan's unlock sum taken, its RCU GP running */
	unsigned long scan_unlocks;	/* that sum */
	unsigned long scan_cookie;	/* that GP (start_poll_synchronize_rcu()) */
	unsigned long gp_seq_needed;
	struct rcu_cblist cbs;			/* call_srcu() callbacks */
	bool on_pending;		/* on the list the tick drives */
	struct srcu_struct *next_pending;
	bool ready;			/* initialised (static ones lazily) */
};

/*
 * A statically allocated domain: DEFINE_SRCU(name) or DEFINE_STATIC_SRCU.
 * Zero-initialised except for the counters' location.
 */
#define DEFINE_SRCU(name)						\
	static DEFINE_PER_CPU(struct srcu_data, name##_srcu_data);	\
	struct srcu_struct name = { .sda = &name##_srcu_data, .sda_percpu = true }
#define DEFINE_STATIC_SRCU(name)					\
	static DEFINE_PER_CPU(struct srcu_data, name##_srcu_data);	\
	static struct srcu_struct name = { .sda = &name##_srcu_data, .sda_percpu = true }

/* A dynamically allocated domain. 0 or -ENOMEM. Thread context. */
int init_srcu_struct(struct srcu_struct *ssp);
/* Tear it down: no reader, no callback may remain (srcu_barrier() first). */
void cleanup_srcu_struct(struct srcu_struct *ssp);

static inline struct srcu_data *srcu_cpu_data(struct srcu_struct *ssp, unsigned int cpu)
{
	return ssp->sda_percpu ? per_cpu_ptr(ssp->sda, cpu) : &ssp->sda[cpu];
}

/* Enter a read-side section; returns the index to unlock with. Any context. */
static inline int srcu_read_lock(struct srcu_struct *ssp)
{
	int idx = (int)(__rcu_load(ssp->idx) & 1);
	unsigned int cpu = arch_cpu_id();
	unsigned long *c = &srcu_cpu_data(ssp, cpu)->lock_count[in_hardirq_on(cpu)][idx];

	/* One writer per counter (this CPU in this context): no RMW. */
	__atomic_store_n(c, *c + 1, __ATOMIC_RELAXED);
	/*
	 * B: the count before the section's loads, with no barrier: the
	 * RCU grace period between srcu_readers_done()'s two sums (A) is
	 * one. Either this CPU's quiescent state for it came before the
	 * count (then the section's loads follow its full barrier and see
	 * every update made before the scan) or after (then the lock sum
	 * sees the count). Compiler barrier only: the count stays first.
	 */
	barrier();
	return idx;
}

/* Leave a read-side section. Any context, any CPU. */
static inline void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	unsigned int cpu = arch_cpu_id();
	unsigned long *c = &srcu_cpu_data(ssp, cpu)->unlock_count[in_hardirq_on(cpu)][idx];

	/*
	 * C: the release keeps the section's accesses, and the lock count,
	 * before this count (the unlock may run on another CPU than the
	 * lock; on arm64 a store-release costs no more than a store). A
	 * scan that sums this count then waits for an RCU grace period,
	 * whose quiescent state on this CPU comes after it, before it sums
	 * the locks or frees anything the section used.
	 */
	smp_store_release(c, *c + 1);
}

/*
 * A, the updater's side of B and C: a scan's fence between its sum of
 * the unlocks and its sum of the locks, a grace period of normal RCU
 * (every CPU that may be in a reader executes a full barrier in it).
 * Polled: rcu/srcu.c never waits under its lock. Start it, then sum the
 * locks once srcu_scan_fence_done() says so. Any context.
 */
static inline unsigned long srcu_scan_fence_start(void)
{
	return start_poll_synchronize_rcu();
}

static inline bool srcu_scan_fence_done(unsigned long fence)
{
	return poll_state_synchronize_rcu(fence);
}

/* Load an SRCU-protected pointer (inside srcu_read_lock(ssp)). */
#define srcu_dereference(p, ssp)	rcu_dereference_raw(p)

/* Wait for every reader of ssp that began before the call. Thread context. */
void synchronize_srcu(struct srcu_struct *ssp);
/* Run func after an SRCU grace period of ssp. Any context; never waits. */
void call_srcu(struct srcu_struct *ssp, struct rcu_head *head, rcu_callback_t func);
/* Wait until every call_srcu() callback queued on ssp before has run. */
void srcu_barrier(struct srcu_struct *ssp);
/* Completed grace periods of ssp. */
unsigned long srcu_batches_completed(struct srcu_struct *ssp);

#endif
