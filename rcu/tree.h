/* SPDX-License-Identifier: MIT */
/*
 * Private to tree RCU (rcu/tree.c, rcu/exp.c, rcu/callback.c): the node
 * tree, the per-CPU data and the global state.
 *
 * Lock order (outermost first):
 *	rcu_state.gp_lock  ->  rcu_node.lock (one at a time, child before parent)
 *	rcu_data.cb_lock   ->  rcu_state.gp_lock is never taken (a cb_lock
 *			       holder drops it before requesting a grace period)
 *	rcu_state.exp_lock ->  rcu_node.lock
 * No two rcu_data.cb_locks are ever held at once. Every lock but
 * exp_lock and barrier_lock is taken with interrupts disabled.
 */
#ifndef QUIESCE_RCU_TREE_H
#define QUIESCE_RCU_TREE_H

#include "rcu.h"
#include <spinlock.h>

#define RCU_FANOUT_LEAF	16		/* CPUs per leaf node by default */
#define RCU_FANOUT	BITS_PER_LONG	/* children per interior node */
#define RCU_MAX_NODES	(2 * NR_CPUS)	/* enough for any fanout >= 2 */
#define RCU_STALL_MS	10000		/* stall warning after, plus... */
#define RCU_STALL_MS_PER_CPU 40		/* ...this per possible CPU */

/*
 * A node of the quiescent-state tree. A CPU reports to its leaf; the CPU
 * (or grace-period start) that clears a node's last bit reports the node
 * to its parent, so each grace period costs every node lock one
 * acquisition per child: contended updates grow with the tree's depth,
 * not with the number of CPUs.
 */
struct rcu_node {
	spinlock_t lock;
	/* Guarded by lock; read locklessly (acquire) as a hint. */
	unsigned long qsmask;	/* children still owing the current GP a QS */
	unsigned long expmask;	/* children still owing the expedited GP one */
	/* Set by rcu_init_geometry(), constant afterwards. */
	unsigned long initmask;	/* every child: the leaf's CPUs, or child nodes */
	unsigned long grpmask;	/* this node's bit in its parent's masks */
	struct rcu_node *parent;	/* NULL at the root */
	unsigned int grplo, grphi;	/* CPUs [grplo, grphi] below this node */
	unsigned int level;		/* 0 at the root */
	unsigned long report_locks;	/* stats: QS reports that took lock */
} ____cacheline_aligned;

/* Per-CPU RCU state. */
struct rcu_data {
	/*
	 * Odd: RCU watches this CPU. Even: extended quiescent state (idle,
	 * offline, or never started; zero at boot). Incremented only by its
	 * CPU, with a fully ordered RMW; read by grace-period starts.
	 */
	atomic_t eqs;
	bool irq_from_eqs;	/* owner only: an interrupt left the EQS */
	atomic_t exp_ipi_pending;	/* an expedited IPI is queued to this CPU */
	struct rcu_node *leaf;	/* constant after rcu_init_geometry() */
	unsigned long leafmask;	/* this CPU's bit in leaf's masks */

	/*
	 * Guarded by cb_lock (taken with interrupts off; its holder takes
	 * no other RCU lock).
	 */
	spinlock_t cb_lock;
	struct rcu_cblist cbs;	/* call_rcu() callbacks */
	struct rcu_head *kf_pending;	/* kfree_rcu() since the last batch */
	struct rcu_head *kf_waiting;	/* the batch waiting for kf_cookie */
	unsigned long kf_cookie;	/* the GP kf_waiting waits for */
	struct rcu_head barrier_head;	/* rcu_barrier()'s callback, while queued */
	/* End of the fields guarded by cb_lock. */

	/*
	 * call_rcu()'s queue, not yet on cbs: written by the owner alone,
	 * interrupts off, with plain stores (no lock, no RMW), and moved
	 * onto cbs by rcu_cbs_splice() at the owner's quiescent-state
	 * reports, ticks and EQS entry. rcu_barrier() peeks at new_head
	 * from other CPUs (relaxed atomics); a dead CPU's queue goes with
	 * its cbs (rcu_migrate_callbacks()).
	 */
	struct rcu_head *new_head;
	struct rcu_head **new_tail;	/* &new_head when empty */
	long new_len;

	uint64_t last_qs_ns;	/* stall reports: when this CPU last reported */
	unsigned long qs_reports;	/* stats */
	unsigned long idle_exits;	/* stats: owner writes, anyone reads */
	unsigned long help_iter;	/* owner: rcu_wait_help() iterations */
	unsigned long cbs_new;	/* owner, irqs off: call_rcu()s since rcu_quiescent_state() invoked */
	unsigned long kf_new;	/* owner, irqs off: kfree_rcu()s since it moved their batches */
	unsigned int wait_spin_ns;	/* owner: its waits spin this long, then sleep */
	unsigned int wait_probe;	/* owner: waits, for the full spin's probes */
};

DECLARE_PER_CPU(struct rcu_data, rcu_data);

struct rcu_state {
	struct rcu_node node[RCU_MAX_NODES];	/* breadth-first: parents first */
	unsigned int nr_nodes, nr_levels;
	unsigned int leaf_fanout, fanout;
	unsigned int first_leaf;	/* index of the first leaf node */

	spinlock_t gp_lock;	/* serialises grace-period start and end */
	unsigned long gp_seq;	/* written under gp_lock (release), read anywhere */
	unsigned long gp_seq_needed;	/* furthest snapshot requested (cmpxchg) */
	uint64_t gp_start_ns;	/* when the current grace period began */
	unsigned long gp_stall_reported;	/* gp_seq of the last stall report */
	unsigned long stall_ms;	/* set by rcu_init() */
	unsigned long stall_warnings;

	spinlock_t exp_lock;	/* one expedited grace period at a time */
	unsigned long exp_seq;	/* written under exp_lock, read anywhere */

	/* Sleeping waiters (ARCH_HAS_FUTEX): see rcu_wait_until(). */
	uint32_t wake_seq;	/* futex word: bumped when sleepers may go on */
	unsigned int sleepers;	/* waiters asleep or about to be (atomic) */
	unsigned long sleeps;	/* stats: how often a waiter slept (atomic) */
};

extern struct rcu_state rcu_state;

static inline struct rcu_node *rcu_root(void)
{
	return &rcu_state.node[0];
}

/* rcu/tree.c */
bool rcu_report_up(struct rcu_node *np, unsigned long mask, bool exp);
void rcu_arm_masks(bool exp, unsigned int self);
bool rcu_report_qs_cpu(struct rcu_data *rdp, bool must);
void rcu_request_gp(unsigned long snap);
void rcu_gp_kick(void);
void rcu_wait_help(void);
bool rcu_interrupted_quiescent(void);
void rcu_wait_until(bool (*done)(unsigned long arg), unsigned long arg);
void rcu_wake_sleepers(void);

/* rcu/callback.c */
void rcu_cbs_splice(struct rcu_data *rdp);
void rcu_callbacks_tick(struct rcu_data *rdp);
void rcu_invoke_cbs(struct rcu_data *rdp);
void rcu_invoke_cbs_qs(struct rcu_data *rdp);
void rcu_migrate_callbacks(struct rcu_data *from, struct rcu_data *to);
bool rcu_cpu_has_callbacks(struct rcu_data *rdp);

/* rcu/exp.c */
void rcu_exp_handler(void *unused);

#endif
