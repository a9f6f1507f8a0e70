/* SPDX-License-Identifier: MIT */
/*
 * Private to rcu/: grace-period sequence numbers and the segmented
 * callback list that tree RCU and SRCU share, and hooks for the tests.
 */
#ifndef QUIESCE_RCU_PRIVATE_H
#define QUIESCE_RCU_PRIVATE_H

#include <rcupdate.h>

/*
 * Grace-period sequence numbers (tree RCU, expedited RCU, SRCU):
 *
 *	bits [BITS_PER_LONG-1 : 2]	completed grace periods (the counter)
 *	bits [1:0]			state: 0 idle, non-zero in progress
 *					(SRCU uses 1 and 2 for its two phases)
 *
 * rcu_seq_start() moves idle -> 1; rcu_seq_end() moves any state to the
 * next counter value with state 0. A snapshot taken now is the value the
 * sequence must reach for a full grace period to have elapsed since: the
 * end of the next grace period to start (one already running may have
 * begun before the caller's update). Every comparison is wrap-safe (the
 * counters start 300 grace periods before wrapping, so each boot tests it).
 */
#define RCU_SEQ_STATE_BITS	2
#define RCU_SEQ_STATE_MASK	((1UL << RCU_SEQ_STATE_BITS) - 1)
#define RCU_SEQ_INIT		((0UL - 300UL) << RCU_SEQ_STATE_BITS)

#define ULONG_CMP_GE(a, b)	(~0UL / 2 >= (unsigned long)((a) - (b)))
#define ULONG_CMP_LT(a, b)	(~0UL / 2 < (unsigned long)((a) - (b)))

static inline unsigned long rcu_seq_state(unsigned long s)
{
	return s & RCU_SEQ_STATE_MASK;
}

static inline unsigned long rcu_seq_ctr(unsigned long s)
{
	return s >> RCU_SEQ_STATE_BITS;
}

/* Load a sequence: acquire, so what the grace period's end ordered
 * before its store (callbacks may now run, memory may be freed) holds. */
static inline unsigned long rcu_seq_load(const unsigned long *sp)
{
	return smp_load_acquire(sp);
}

/* Writers of a sequence are serialised by a lock; readers are lockless. */
static inline void rcu_seq_set(unsigned long *sp, unsigned long v)
{
	/* Release: pairs with rcu_seq_load(). */
	smp_store_release(sp, v);
}

/* Idle -> in progress; the sequence's lock is held. */
static inline void rcu_seq_start(unsigned long *sp)
{
	RCU_LOCKDEP_WARN(rcu_seq_state(*sp), "rcu_seq_start() of a sequence in progress");
	rcu_seq_set(sp, *sp + 1);
}

/* In progress -> the next counter value, idle; the sequence's lock is held. */
static inline void rcu_seq_end(unsigned long *sp)
{
	RCU_LOCKDEP_WARN(!rcu_seq_state(*sp), "rcu_seq_end() of an idle sequence");
	rcu_seq_set(sp, (*sp | RCU_SEQ_STATE_MASK) + 1);
}

/* The value s must reach for a full grace period to follow s. */
static inline unsigned long rcu_seq_snap_of(unsigned long s)
{
	return (s + 2 * RCU_SEQ_STATE_MASK + 1) & ~RCU_SEQ_STATE_MASK;
}

static inline unsigned long rcu_seq_snap(const unsigned long *sp)
{
	/* The caller's earlier accesses (the removal) precede the sample:
	 * a grace period the sample counts as not yet started cannot have
	 * started before them. */
	smp_mb();
	return rcu_seq_snap_of(rcu_seq_load(sp));
}

/* Grace periods completed since the sequence started at RCU_SEQ_INIT. */
static inline unsigned long rcu_seq_completed(const unsigned long *sp)
{
	return (rcu_seq_load(sp) - RCU_SEQ_INIT) >> RCU_SEQ_STATE_BITS;
}

static inline bool rcu_seq_done(const unsigned long *sp, unsigned long snap)
{
	return ULONG_CMP_GE(rcu_seq_load(sp), snap);
}

/*
 * A segmented callback list: one singly linked list cut into segments by
 * tail pointers.
 *
 *	DONE	grace period over: ready to invoke
 *	WAIT	waiting for the sequence to reach gp_seq[WAIT]
 *	NEXT	waiting for gp_seq[NEXT] (later than WAIT's)
 *
 * tails[i] points at the next field that ends segment i (or at head);
 * segment i is empty when tails[i] == tails[i - 1]. Callbacks are tagged
 * with rcu_seq_snap() when queued. Tags only grow and, once the list has
 * been advanced with the same sequence value used for a new tag, at most
 * two tags are ever pending, so two waiting segments suffice. NEXT is
 * non-empty only if WAIT is. The owner serialises all operations.
 */
enum { RCU_DONE, RCU_WAIT, RCU_NEXT };	/* struct rcu_cblist: <rcupdate.h> */

void rcu_cblist_init(struct rcu_cblist *l);
/* Move every segment whose grace period cur has reached to DONE. */
void rcu_cblist_advance(struct rcu_cblist *l, unsigned long cur);
/* Advance with cur, then append first..*lastp (n callbacks) tagged snap_of(cur). */
void rcu_cblist_enqueue(struct rcu_cblist *l, unsigned long cur,
			struct rcu_head *first, struct rcu_head **lastp, long n);
/*
 * Detach the whole DONE segment (NULL if empty) in constant time; the
 * list taken is terminated by NULL and *lastp gets its last next field.
 * What the caller does not invoke it gives back with
 * rcu_cblist_return_done() (first..*lastp go back ahead of what was
 * queued meanwhile); the invoking flag keeps other takers away between.
 */
struct rcu_head *rcu_cblist_take_done(struct rcu_cblist *l, struct rcu_head ***lastp);
void rcu_cblist_return_done(struct rcu_cblist *l, struct rcu_head *first,
			    struct rcu_head **lastp);
/* Detach every callback; *lastp gets its tail, returns the count. */
long rcu_cblist_take_all(struct rcu_cblist *l, struct rcu_head **first,
			 struct rcu_head ***lastp);
/* The tag that the last waiting callback needs, or false if none waits. */
bool rcu_cblist_next_gp(const struct rcu_cblist *l, unsigned long *gp);

static inline bool rcu_cblist_seg_empty(const struct rcu_cblist *l, int seg)
{
	return l->tails[seg] == (seg ? l->tails[seg - 1] : &l->head);
}

/* Callbacks invoked per batch: bounds the time spent with interrupts off. */
#define RCU_BATCH	256

/* Invoke up to limit callbacks of a detached list; returns how many
 * ran, *listp the first not run (NULL once all ran). */
long rcu_invoke_list(struct rcu_head **listp, long limit);

/* SRCU's part of the tick (rcu/srcu.c). */
void srcu_tick(void);
bool srcu_needs_cpu(void);

/*
 * Tests: rebuild the tree with another geometry. Only while nothing is
 * in flight (no grace period, no callbacks): the host tests call it
 * between cases. leaf_fanout and fanout are 2..BITS_PER_LONG.
 */
void rcu_init_geometry(unsigned int leaf_fanout, unsigned int fanout);
/* rcu_init()'s start: the geometry, the calling CPU watched, RCU the CPU
 * watcher (include/cpu_watch.h). The host tests' main calls it too, with
 * the defaults: every test finds RCU as a booted kernel leaves it. */
void rcu_start(unsigned int leaf_fanout, unsigned int fanout);

/* The CPU watcher's hooks (rcu/tree.c's rcu_cpu_watcher; interrupts off
 * on the CPU concerned, but rcu_cpu_dead*(): a surviving CPU, thread
 * context). */
/* An interrupt handler that may use RCU is entered/left (IPIs). */
void rcu_irq_enter(void);
void rcu_irq_exit(void);
/* Has this CPU RCU work that needs its tick (callbacks, kfree_rcu)? */
bool rcu_needs_cpu(void);
/* Hotplug: a CPU comes online / leaves for good / is gone. */
void rcu_cpu_starting(unsigned int cpu);
void rcu_report_dead(void);
void rcu_cpu_dead(unsigned int cpu);
/* Tests only (hotplug=busted): lose the dead cpu's callbacks instead. */
void rcu_cpu_dead_busted(unsigned int cpu);
/* Levels and nodes of the current tree. */
unsigned int rcu_tree_levels(void);
unsigned int rcu_tree_nodes(void);
/* Node lock acquisitions for quiescent-state reports, per level (tests). */
unsigned long rcu_report_locks(unsigned int level);
/* How often a waiter slept until woken (ARCH_HAS_FUTEX; tests). */
unsigned long rcu_wait_sleeps(void);
/* How often cpu has left idle: woken by an interrupt (rcubench). */
unsigned long rcu_idle_exits(unsigned int cpu);


#endif
