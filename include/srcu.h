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
 * masking), a full barrier on entry and a release store on exit; no
 * shared cache line is written.
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
	/* B: the count precedes the section's loads; pairs with A in
	 * srcu_readers_done(): a GP that misses this count started before
	 * it, and the section sees that GP's prior updates. */
	smp_mb();
	return idx;
}

/* Leave a read-side section. Any context, any CPU. */
static inline void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	unsigned int cpu = arch_cpu_id();
	unsigned long *c = &srcu_cpu_data(ssp, cpu)->unlock_count[in_hardirq_on(cpu)][idx];

	/*
	 * C: the release keeps the section's accesses, and the lock count,
	 * before this count; pairs with the acquire sums in
	 * srcu_readers_done(): an updater that counts this unlock sees the
	 * lock too (after its A), and frees nothing the section still uses.
	 * No full barrier: nothing after the section needs ordering.
	 */
	smp_store_release(c, *c + 1);
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
