// SPDX-License-Identifier: MIT
/*
 * Tree RCU for a non-preemptible kernel, driven without kthreads.
 *
 * A grace period (GP) ends once every CPU has passed through a quiescent
 * state (QS) after it began. Quiescent states here:
 *  - the tick interrupting code outside any read-side section (the
 *    per-CPU nesting count is zero): on a non-preemptible kernel every
 *    earlier reader of that CPU has then ended;
 *  - rcu_quiescent_state(), called by loops and by waiters themselves;
 *  - an expedited IPI that finds the nesting count at zero;
 *  - an extended quiescent state (EQS): idle or offline. An EQS CPU is
 *    never asked for anything: GP start samples its eqs counter and
 *    reports it at once, and a CPU entering an EQS reports any QS it
 *    still owes, so idle CPUs never wake up for a GP.
 *
 * (Release builds record no nesting: the tick and the IPI report when
 * they interrupted a __qs_point function instead, see rcupdate.h.)
 *
 * Who drives the machine: whoever needs a GP starts it (call_rcu(),
 * synchronize_rcu(), the tick of a CPU with callbacks), under gp_lock;
 * the CPU whose report empties the root ends it and starts the next one
 * if more are needed; waiters spin reporting their own QS. Callbacks run
 * in the tick's callback step, interrupts off (rcu/callback.c).
 *
 * Memory ordering, in one place: every QS report and GP start/end goes
 * through node locks (acquire/release), so each CPU's read-side sections
 * before its QS happen before the report that empties the root, which
 * happens before the release of the sequence's end that updaters and
 * callback invokers acquire. Full barriers at GP start and around the
 * eqs counter close the two store-buffering races (updater vs GP start,
 * GP start vs idle entry); each is commented where it stands.
 */
#include "tree.h"
#include <cpu_watch.h>
#include <kernel.h>
#include <rcu_broken.h>
#include <ktime.h>
#include <smp.h>
#include <irqchip.h>

#ifdef CONFIG_DEBUG
DEFINE_PER_CPU(int, rcu_read_nesting);
#endif
DEFINE_PER_CPU_ALIGNED(struct rcu_data, rcu_data);
DEFINE_PER_CPU(unsigned long, rcu_qs_seen);
/* Its own line: read at every quiescent state, written once per GP. */
unsigned long rcu_qs_seq ____cacheline_aligned;

struct rcu_state rcu_state = {
	.gp_seq = RCU_SEQ_INIT,
	.gp_seq_needed = RCU_SEQ_INIT,
	.exp_seq = RCU_SEQ_INIT,
	.stall_ms = RCU_STALL_MS,
};

static DEFINE_SPINLOCK(stall_lock);	/* one stall report at a time */
static unsigned long debug_warnings;	/* atomic */

static unsigned long mask_of(unsigned int n)
{
	return n >= BITS_PER_LONG ? ~0UL : (1UL << n) - 1;
}

/* A CPU's read-side nesting, for stall reports: -1 where not recorded. */
static int rcu_nesting_of(unsigned int cpu)
{
#ifdef CONFIG_DEBUG
	return __rcu_load(per_cpu(rcu_read_nesting, cpu));
#else
	return -1;
#endif
}

/*
 * From the tick or an expedited IPI: did the interrupt come in outside
 * any read-side section? Debug: the nesting count says. Release: only
 * if it interrupted a quiescent point (nothing else costs readers zero).
 */
bool rcu_interrupted_quiescent(void)
{
#ifdef CONFIG_DEBUG
	return !__this_cpu_read(rcu_read_nesting);
#else
	return rcu_pc_is_quiescent(irq_interrupted_pc());
#endif
}

/* ---- geometry ---------------------------------------------------------- */

void rcu_init_geometry(unsigned int leaf_fanout, unsigned int fanout)
{
	struct rcu_state *rsp = &rcu_state;
	unsigned int sizes[32], first[32], nl = 0, idx = 0, cpu;
	static bool data_ready;

	BUG_ON(leaf_fanout < 2 || leaf_fanout > BITS_PER_LONG);
	BUG_ON(fanout < 2 || fanout > BITS_PER_LONG);
	BUG_ON(rcu_seq_state(rsp->gp_seq) || rcu_seq_state(rsp->exp_seq));
	rsp->leaf_fanout = leaf_fanout;
	rsp->fanout = fanout;
	/* Level sizes bottom-up, then laid out top-down (breadth-first). */
	sizes[nl++] = DIV_ROUND_UP(nr_cpu_ids, leaf_fanout);
	while (sizes[nl - 1] > 1)
		sizes[nl] = DIV_ROUND_UP(sizes[nl - 1], fanout), nl++;
	for (unsigned int l = 0; l < nl; l++) {
		first[l] = idx;
		idx += sizes[nl - 1 - l];
	}
	BUG_ON(idx > RCU_MAX_NODES);
	rsp->nr_levels = nl;
	rsp->nr_nodes = idx;
	rsp->first_leaf = first[nl - 1];
	for (unsigned int l = 0; l < nl; l++) {
		for (unsigned int i = 0; i < sizes[nl - 1 - l]; i++) {
			struct rcu_node *np = &rsp->node[first[l] + i];

			spin_lock_init(&np->lock);
			np->qsmask = np->expmask = np->initmask = 0;
			np->level = l;
			np->report_locks = 0;
			np->grplo = ~0u;
			np->grphi = 0;
			if (l == 0) {
				np->parent = NULL;
				np->grpmask = 0;
			} else {
				np->parent = &rsp->node[first[l - 1] + i / fanout];
				np->grpmask = 1UL << (i % fanout);
			}
			if (l == nl - 1) {
				np->grplo = i * leaf_fanout;
				np->grphi = min(nr_cpu_ids, np->grplo + leaf_fanout) - 1;
				np->initmask = mask_of(np->grphi - np->grplo + 1);
			}
		}
	}
	/* Children after parents: fold each node into its parent. */
	for (unsigned int i = rsp->nr_nodes - 1; i > 0; i--) {
		struct rcu_node *np = &rsp->node[i];

		np->parent->initmask |= np->grpmask;
		np->parent->grplo = min(np->parent->grplo, np->grplo);
		np->parent->grphi = max(np->parent->grphi, np->grphi);
	}
	for_each_possible_cpu(cpu) {
		struct rcu_data *rdp = per_cpu_ptr(&rcu_data, cpu);

		rdp->leaf = &rsp->node[rsp->first_leaf + cpu / leaf_fanout];
		rdp->leafmask = 1UL << (cpu % leaf_fanout);
		if (!data_ready) {
			spin_lock_init(&rdp->cb_lock);
			rcu_cblist_init(&rdp->cbs);
			rdp->new_tail = &rdp->new_head;
		}
	}
	if (!data_ready) {
		spin_lock_init(&rsp->gp_lock);
		spin_lock_init(&rsp->exp_lock);
	}
	data_ready = true;
}

unsigned int rcu_tree_levels(void) { return rcu_state.nr_levels; }
unsigned int rcu_tree_nodes(void) { return rcu_state.nr_nodes; }

unsigned long rcu_report_locks(unsigned int level)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < rcu_state.nr_nodes; i++)
		if (rcu_state.node[i].level == level)
			n += __atomic_load_n(&rcu_state.node[i].report_locks, __ATOMIC_RELAXED);
	return n;
}

/* ---- quiescent-state reports -------------------------------------------- */

/*
 * Clear mask in np's qsmask (exp: expmask); np->lock is held, interrupts
 * off. If that empties the node, report the node to its parent, and so
 * on up. Drops every lock it holds. Returns true if it emptied the root.
 * Only the CPU that clears a node's last bit goes up, so each node is
 * reported to its parent exactly once per grace period.
 */
bool rcu_report_up(struct rcu_node *np, unsigned long mask, bool exp)
{
	for (;;) {
		unsigned long *m = exp ? &np->expmask : &np->qsmask;
		struct rcu_node *parent = np->parent;

		np->report_locks++;
		if (!(*m & mask)) {
			spin_unlock(&np->lock);
			return false;	/* already reported (a racing QS) */
		}
		/* Release: pairs with the lockless acquire peeks at the mask. */
		smp_store_release(m, *m & ~mask);
		if (*m) {
			spin_unlock(&np->lock);
			return false;
		}
		mask = np->grpmask;
		spin_unlock(&np->lock);
		if (!parent)
			return true;
		np = parent;
		spin_lock(&np->lock);
	}
}

static bool rcu_gp_advance_locked(void);

/*
 * The calling CPU is in a quiescent state now: clear whatever it owes
 * (normal and expedited). Interrupts off. The masks are read first as a
 * hint: a bit set after the peek is found by this CPU's next QS, and the
 * idle-entry path orders the peek after its eqs increment (see
 * rcu_eqs_enter()).
 *
 * must: the caller is entering an EQS, its last chance to report, so it
 * waits for the leaf lock. Everyone else only tries: a later QS counts
 * as well, and CPUs that spin for a contended leaf lock with interrupts
 * off form convoys when vCPUs outnumber host CPUs (a waiting vCPU whose
 * turn has come may not be running).
 *
 * Returns false if a trylock failed: the CPU still owes a report.
 */
bool rcu_report_qs_cpu(struct rcu_data *rdp, bool must)
{
	struct rcu_node *np = rdp->leaf;
	unsigned long bit = rdp->leafmask;

	/* Before the report: a GP that ends after it finds this CPU's
	 * earlier call_rcu()s on cbs (rcu_barrier() counts on it). */
	rcu_cbs_splice(rdp);
	if (smp_load_acquire(&np->qsmask) & bit) {
		if (!must && !spin_trylock(&np->lock))
			return false;
		if (must)
			spin_lock(&np->lock);
		__atomic_store_n(&rdp->last_qs_ns, ktime_get_ns(), __ATOMIC_RELAXED);
		rdp->qs_reports++;
		if (rcu_report_up(np, bit, false)) {
			bool ended;

			/* The root is empty: end the GP (and start the next). */
			spin_lock(&rcu_state.gp_lock);
			ended = rcu_gp_advance_locked();
			spin_unlock(&rcu_state.gp_lock);
			if (ended)
				rcu_wake_sleepers();
		}
	}
	if (smp_load_acquire(&np->expmask) & bit) {
		if (!must && !spin_trylock(&np->lock))
			return false;
		if (must)
			spin_lock(&np->lock);
		__atomic_store_n(&rdp->last_qs_ns, ktime_get_ns(), __ATOMIC_RELAXED);
		/* The expedited waiter may sleep until the root is empty. */
		if (rcu_report_up(np, bit, true))
			rcu_wake_sleepers();
	}
	return true;
}

/*
 * Arm a new grace period on every node: qsmask (exp: expmask) from
 * initmask, parents first, since a child can only report to an
 * initialised parent. Then report at once, leaf by leaf, the CPUs that
 * cannot be in a reader: those in an extended quiescent state (idle or
 * offline) and self (the caller, itself quiescent; NR_CPUS for none).
 * The caller holds gp_lock (exp: exp_lock), has interrupts off, and
 * started the GP's sequence with a full barrier after it: everything
 * the reports trigger sees the updaters' removals.
 */
void rcu_arm_masks(bool exp, unsigned int self)
{
	struct rcu_state *rsp = &rcu_state;

	lockdep_assert_held(exp ? &rsp->exp_lock : &rsp->gp_lock);
	ASSERT_STORE_ORDERED(*(exp ? &rsp->exp_seq : &rsp->gp_seq));	/* the race build */

	for (unsigned int i = 0; i < rsp->nr_nodes; i++) {
		struct rcu_node *np = &rsp->node[i];
		unsigned long quiet = 0;

		spin_lock(&np->lock);
		/* Release: pairs with the lockless acquire peeks at the mask. */
		smp_store_release(exp ? &np->expmask : &np->qsmask, np->initmask);
		if (i < rsp->first_leaf) {
			spin_unlock(&np->lock);
			continue;
		}
		/*
		 * The bits precede the eqs samples. Pairs with the fully
		 * ordered increment in rcu_eqs_enter() that precedes its peek
		 * at the masks: either this sees the CPU in its EQS, or the
		 * CPU sees its bit and reports it.
		 */
		smp_mb();
		ASSERT_STORE_ORDERED(*(exp ? &np->expmask : &np->qsmask));
		for (unsigned int cpu = np->grplo; cpu <= np->grphi; cpu++) {
			struct rcu_data *rdp = per_cpu_ptr(&rcu_data, cpu);

			if (cpu == self || !(atomic_read_acquire(&rdp->eqs) & 1))
				quiet |= rdp->leafmask;
		}
		if (quiet)
			rcu_report_up(np, quiet, exp);	/* may empty the root */
		else
			spin_unlock(&np->lock);
	}
	/*
	 * Release: every bit above precedes the new count, so a CPU whose
	 * rcu_quiescent_state() sees it (acquire, in the slow path) sees
	 * its bit. An RMW, not a store: a normal and an expedited GP may
	 * be arming at once (under different locks), and neither bump may
	 * be lost.
	 */
	__atomic_fetch_add(&rcu_qs_seq, 2, __ATOMIC_RELEASE);
}

/* ---- grace-period start and end (gp_lock held, interrupts off) ---------- */

static void rcu_gp_init(void)
{
	struct rcu_state *rsp = &rcu_state;

	rcu_seq_start(&rsp->gp_seq);
	__atomic_store_n(&rsp->gp_start_ns, ktime_get_ns(), __ATOMIC_RELAXED);
	/*
	 * The new sequence precedes every bit set below. With the full
	 * barrier an updater puts between its removal and its snapshot
	 * (rcu_seq_snap(), call_rcu()), either the updater saw this GP
	 * start (and waits for the next), or everything this GP's QS
	 * reporters do afterwards sees the removal.
	 */
	smp_mb();
	rcu_arm_masks(false, NR_CPUS);
}

/*
 * Start, end and start again as long as there is something to do.
 * Returns true if it ended a GP: the caller wakes the sleepers once it
 * dropped gp_lock (rcu_wake_sleepers()).
 */
static bool rcu_gp_advance_locked(void)
{
	struct rcu_state *rsp = &rcu_state;
	bool ended = false;

	lockdep_assert_held(&rsp->gp_lock);
	for (;;) {
		if (rcu_seq_state(rsp->gp_seq)) {
			if (smp_load_acquire(&rcu_root()->qsmask))
				return ended;	/* still waiting for someone */
			/* Every reader this GP waited for precedes its end
			 * (the acquire above ends the chain of reports). */
			smp_mb();
			rcu_seq_end(&rsp->gp_seq);
			ended = true;
			/*
			 * The end precedes the look at gp_seq_needed. Pairs
			 * with the fully ordered cmpxchg in rcu_request_gp()
			 * before rcu_gp_kick()'s look at gp_seq: a requester
			 * that saw this GP running, and left it to us, has its
			 * request seen here. Waiters that sleep rely on it.
			 */
			smp_mb();
		}
		if (!ULONG_CMP_LT(rsp->gp_seq,
				  __atomic_load_n(&rsp->gp_seq_needed, __ATOMIC_ACQUIRE)))
			return ended;
		rcu_gp_init();
	}
}

/* Start a GP if one is needed and none runs; never spins on gp_lock. */
void rcu_gp_kick(void)
{
	unsigned long gp = rcu_seq_load(&rcu_state.gp_seq), flags;
	bool ended = false;

	if (rcu_seq_state(gp) ||
	    !ULONG_CMP_LT(gp, __atomic_load_n(&rcu_state.gp_seq_needed, __ATOMIC_ACQUIRE)))
		return;
	flags = arch_irq_save();
	if (spin_trylock(&rcu_state.gp_lock)) {
		ended = rcu_gp_advance_locked();
		spin_unlock(&rcu_state.gp_lock);
	}
	/* A busy gp_lock means its holder is starting or ending a GP and
	 * looks at gp_seq_needed afterwards; if it looked too early, the
	 * requester's next tick or wait loop kicks again (a waiter about
	 * to sleep takes the lock: rcu_wait_sleep()). */
	arch_irq_restore(flags);
	if (ended)
		rcu_wake_sleepers();
}

/* Make sure the sequence will reach snap. Any context. */
void rcu_request_gp(unsigned long snap)
{
	unsigned long need = __atomic_load_n(&rcu_state.gp_seq_needed, __ATOMIC_RELAXED);

	/* Fully ordered cmpxchg: the request precedes the kick's look at gp_seq. */
	while (ULONG_CMP_LT(need, snap))
		if (try_cmpxchg(&rcu_state.gp_seq_needed, &need, snap))
			break;
	rcu_gp_kick();
}

/* ---- stall warnings ------------------------------------------------------ */

static void rcu_stall_dump(void *unused)
{
	printk("rcu: CPU %u is here (read-side nesting %d):\n", smp_processor_id(),
	       rcu_nesting_of(smp_processor_id()));
	dump_stack();
}

static void rcu_print_stall(unsigned long gp, uint64_t waited_ns)
{
	struct rcu_state *rsp = &rcu_state;
	uint64_t now = ktime_get_ns();
	unsigned int me = smp_processor_id();

	printk("rcu: INFO: grace period %lu stalled for %llu ms; no quiescent state from:\n",
	       (gp - RCU_SEQ_INIT) >> RCU_SEQ_STATE_BITS,
	       (unsigned long long)(waited_ns / NSEC_PER_MSEC));
	for (unsigned int i = rsp->first_leaf; i < rsp->nr_nodes; i++) {
		struct rcu_node *np = &rsp->node[i];
		unsigned long mask = smp_load_acquire(&np->qsmask);

		for (unsigned int cpu = np->grplo; cpu <= np->grphi; cpu++) {
			struct rcu_data *rdp = per_cpu_ptr(&rcu_data, cpu);
			uint64_t last;

			if (!(mask & rdp->leafmask))
				continue;
			last = __atomic_load_n(&rdp->last_qs_ns, __ATOMIC_RELAXED);
			printk("rcu:   CPU %u (%s, read-side nesting %d, last quiescent state %llu ms ago)\n",
			       cpu, cpu_online(cpu) ? "online" : "offline",
			       rcu_nesting_of(cpu),
			       (unsigned long long)(last ? (now - last) / NSEC_PER_MSEC : 0));
			/* Where it is: it prints its own backtrace from its IPI. */
			if (cpu == me)
				rcu_stall_dump(NULL);
			else
				smp_call_function_single(cpu, rcu_stall_dump, NULL, false);
		}
	}
	__atomic_add_fetch(&rsp->stall_warnings, 1, __ATOMIC_RELAXED);
}

/* Cheap unless the current GP is older than the stall timeout. */
static void rcu_check_stall(void)
{
	struct rcu_state *rsp = &rcu_state;
	unsigned long gp = rcu_seq_load(&rsp->gp_seq), flags;
	uint64_t start, now;

	if (!rcu_seq_state(gp))
		return;
	start = __atomic_load_n(&rsp->gp_start_ns, __ATOMIC_RELAXED);
	now = ktime_get_ns();
	if (now < start ||
	    now - start < __atomic_load_n(&rsp->stall_ms, __ATOMIC_RELAXED) * NSEC_PER_MSEC ||
	    __atomic_load_n(&rsp->gp_stall_reported, __ATOMIC_RELAXED) == gp)
		return;
	flags = arch_irq_save();
	if (spin_trylock(&stall_lock)) {
		if (rsp->gp_stall_reported != gp && rcu_seq_load(&rsp->gp_seq) == gp) {
			__atomic_store_n(&rsp->gp_stall_reported, gp, __ATOMIC_RELAXED);
			rcu_print_stall(gp, now - start);
		}
		spin_unlock(&stall_lock);
	}
	arch_irq_restore(flags);
}

unsigned long rcu_set_stall_timeout_ms(unsigned long ms)
{
	return __atomic_exchange_n(&rcu_state.stall_ms, ms, __ATOMIC_RELAXED);
}

unsigned long rcu_stall_warnings(void)
{
	return __atomic_load_n(&rcu_state.stall_warnings, __ATOMIC_RELAXED);
}

/* ---- extended quiescent states ------------------------------------------ */

static void rcu_eqs_enter(struct rcu_data *rdp)
{
	/*
	 * Fully ordered: this CPU's read-side sections precede the even
	 * count a GP start may sample, and the count precedes the peek at
	 * the masks in rcu_report_qs_cpu() (pairs with the smp_mb() in
	 * rcu_gp_init() and rcu_exp_run()).
	 */
	int v;

	/* Before the count: a GP start that sees this CPU in its EQS
	 * skips its report, and rcu_barrier() counts on cbs holding
	 * every call_rcu() made before it. */
	rcu_cbs_splice(rdp);
	v = atomic_inc_return(&rdp->eqs);
	WARN_ON_ONCE(v & 1);
	ASSERT_STORE_ORDERED(rdp->eqs);		/* the race build */
	rcu_report_qs_cpu(rdp, true);
}

static void rcu_eqs_exit(struct rcu_data *rdp)
{
	/*
	 * Fully ordered: a GP start that sampled the even count began
	 * before this increment, so the read-side sections that follow see
	 * every update made before that GP (pairs with the same smp_mb()).
	 */
	int v = atomic_inc_return(&rdp->eqs);

	WARN_ON_ONCE(!(v & 1));
}

void rcu_idle_enter(void)
{
	RCU_LOCKDEP_WARN(rcu_read_lock_held(), "idle inside an RCU read-side section");
	rcu_eqs_enter(this_cpu_ptr(&rcu_data));
}

void rcu_idle_exit(void)
{
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);

	rcu_eqs_exit(rdp);
	WRITE_ONCE(rdp->idle_exits, rdp->idle_exits + 1);
}

struct rcu_role {
	void (*fn)(void *arg);
	void *arg;
};

static void rcu_role_main(void *p)
{
	struct rcu_role *r = p;
	bool eqs = !(atomic_read(&this_cpu_ptr(&rcu_data)->eqs) & 1);
	unsigned long flags;

	if (eqs)
		rcu_idle_exit();
	r->fn(r->arg);
	if (!eqs)
		return;
	/* Interrupts off, as for the idle loop (see rcu_eqs_enter()). */
	flags = arch_irq_save();
	rcu_idle_enter();
	arch_irq_restore(flags);
}

void rcu_run_on_cpus(unsigned int ncpus, void (*fn)(void *arg), void *arg)
{
	struct rcu_role r = { .fn = fn, .arg = arg };

	run_on_cpus(ncpus, rcu_role_main, &r);
}

unsigned long rcu_idle_exits(unsigned int cpu)
{
	return READ_ONCE(per_cpu_ptr(&rcu_data, cpu)->idle_exits);
}

/* An interrupt taken in an EQS makes RCU watch the CPU while it runs. */
void rcu_irq_enter(void)
{
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);

	if (!(atomic_read(&rdp->eqs) & 1)) {
		rcu_eqs_exit(rdp);
		rdp->irq_from_eqs = true;
	}
}

void rcu_irq_exit(void)
{
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);

	if (rdp->irq_from_eqs) {
		rdp->irq_from_eqs = false;
		rcu_eqs_enter(rdp);
	}
}

void rcu_cpu_starting(unsigned int cpu)
{
	struct rcu_data *rdp = per_cpu_ptr(&rcu_data, cpu);

	BUG_ON(cpu != smp_processor_id());
	__atomic_store_n(&rdp->last_qs_ns, ktime_get_ns(), __ATOMIC_RELAXED);
	/* An expedited IPI lost when the CPU went down is not pending. */
	atomic_set(&rdp->exp_ipi_pending, 0);
	if (!(atomic_read(&rdp->eqs) & 1))
		rcu_eqs_exit(rdp);
}

/* Dying CPU, interrupts off, its last RCU act: an EQS for good. */
void rcu_report_dead(void)
{
	RCU_LOCKDEP_WARN(rcu_read_lock_held(), "going offline inside an RCU read-side section");
	rcu_eqs_enter(this_cpu_ptr(&rcu_data));
}

/* A surviving CPU, after cpu went offline: adopt its callbacks. */
void rcu_cpu_dead(unsigned int cpu)
{
	if (rcu_broken_is(RCU_BROKEN_OFFLINE_CB))
		return;		/* tests: left for rcu_barrier() to find */
	rcu_migrate_callbacks(per_cpu_ptr(&rcu_data, cpu), this_cpu_ptr(&rcu_data));
}

/* ---- the tick and explicit quiescent states ----------------------------- */

void rcu_tick(void)
{
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);
	bool was_idle = !(atomic_read(&rdp->eqs) & 1);

	if (was_idle)
		rcu_irq_enter();	/* an idle CPU ticks only for its callbacks */
	else if (rcu_interrupted_quiescent() || rcu_broken_is(RCU_BROKEN_TICK_QS))
		rcu_report_qs_cpu(rdp, false);	/* interrupted outside any reader */
	rcu_callbacks_tick(rdp);
	rcu_gp_kick();
	rcu_check_stall();
	srcu_tick();
	if (was_idle)
		rcu_irq_exit();
}

/* rcu_quiescent_state() found rcu_qs_seen behind rcu_qs_seq, or work. */
void __rcu_quiescent_state(void)
{
	unsigned long flags, seq;
	bool irqs_on;

	irqs_on = !arch_irqs_disabled();
	flags = arch_irq_save();
	/* Acquire: pairs with the release bump in rcu_arm_masks(). */
	seq = __atomic_load_n(&rcu_qs_seq, __ATOMIC_ACQUIRE);
	/*
	 * Up to date only if the report went through. Before the look at
	 * the callback counts in rcu_invoke_cbs_qs(), so work queued after
	 * that look (RCU_QS_WORK) is not overwritten.
	 */
	if (rcu_report_qs_cpu(this_cpu_ptr(&rcu_data), false))
		__this_cpu_write(rcu_qs_seen, seq);
	arch_irq_restore(flags);
	/* Nothing moves us to another CPU: this_cpu_ptr() stays ours. */
	if (irqs_on)
		rcu_invoke_cbs_qs(this_cpu_ptr(&rcu_data));
}

/* A waiter's work, once: report our QS, push the machine. */
static void __rcu_wait_help(void)
{
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);
	unsigned long flags = arch_irq_save();

	/* A waiter inside a reader (a bug, warned about) must not report:
	 * it would end a GP its own reader is part of. */
	if (!rcu_read_lock_held())
		rcu_report_qs_cpu(rdp, false);
	rcu_gp_kick();
	rcu_check_stall();
	arch_irq_restore(flags);
	/* Our ready callbacks, now and then: not a lock per spin. */
	if ((++rdp->help_iter & 63) == 0)
		rcu_invoke_cbs(rdp);
}

/* One iteration of a waiter's polling loop. */
void rcu_wait_help(void)
{
	__rcu_wait_help();
	cpu_relax();
}

/*
 * Sleeping waiters. Whoever ends a GP (the last QS report, usually a
 * reader's) or empties the expedited root wakes them; nobody polls.
 *
 * wake_seq is the futex word, sleepers the count of waiters that may be
 * asleep on it: a GP end costs a futex call only when someone sleeps.
 */
void rcu_wake_sleepers(void)
{
#ifdef ARCH_HAS_FUTEX
	struct rcu_state *rsp = &rcu_state;

	/*
	 * The GP's end (or the last clear of the expedited root) precedes
	 * the look at sleepers. Pairs with the smp_mb() after the increment
	 * in rcu_wait_sleep(): either we see the sleeper, or it sees the
	 * condition it waits for and does not sleep.
	 */
	smp_mb();
	if (!__atomic_load_n(&rsp->sleepers, __ATOMIC_RELAXED))
		return;
	/* Release: a sleeper that sees the new value sees the end too. */
	__atomic_add_fetch(&rsp->wake_seq, 1, __ATOMIC_RELEASE);
	arch_futex_wake(&rsp->wake_seq);
#endif
}

#ifdef ARCH_HAS_FUTEX
/*
 * How long a waiter spins before it sleeps, adapted per CPU: a GP whose
 * readers all run ends within a few of their quiescent states, so a
 * wait that ended while spinning keeps the longest spin. One that had
 * to sleep halves it: its readers were not running, and when they share
 * the waiter's core (more threads than cores, a loaded host) they run
 * only once it sleeps, so spinning just delays the GP. One wait in
 * RCU_WAIT_PROBE spins the longest anyway: a short spin rarely succeeds,
 * so it would not learn on its own that the readers run again.
 */
#define RCU_WAIT_SPIN_NS	2000
#define RCU_WAIT_SPIN_MIN_NS	100
#define RCU_WAIT_PROBE		16
/* Polls of the condition per help (a report, a kick, a clock read). */
#define RCU_WAIT_HELP_POLLS	16

/*
 * Sleep until the next wake-up, or not at all if done(arg) already. The
 * waiter enters an EQS first, as an idle CPU does: it reports what it
 * owes, and no GP waits for it while it sleeps.
 */
static void rcu_wait_sleep(bool (*done)(unsigned long), unsigned long arg)
{
	struct rcu_state *rsp = &rcu_state;
	struct rcu_data *rdp;
	unsigned long flags;
	bool watching, ended;
	uint32_t v;

	flags = arch_irq_save();
	rdp = this_cpu_ptr(&rcu_data);
	watching = atomic_read(&rdp->eqs) & 1;
	if (watching)
		rcu_eqs_enter(rdp);
	arch_irq_restore(flags);

	__atomic_add_fetch(&rsp->sleepers, 1, __ATOMIC_RELAXED);
	/* The count precedes the look at done(); pairs with the smp_mb()
	 * in rcu_wake_sleepers(). */
	smp_mb();
	/* Acquire: pairs with the waker's release increment. */
	v = __atomic_load_n(&rsp->wake_seq, __ATOMIC_ACQUIRE);
	if (!done(arg)) {
		/*
		 * A GP request lost to a busy gp_lock (rcu_gp_kick()) would
		 * leave us asleep for good: take the lock and start what is
		 * needed. A GP running now is followed by ours (see
		 * rcu_gp_advance_locked()).
		 */
		flags = arch_irq_save();
		spin_lock(&rsp->gp_lock);
		ended = rcu_gp_advance_locked();
		spin_unlock(&rsp->gp_lock);
		arch_irq_restore(flags);
		if (ended)
			rcu_wake_sleepers();
		if (!done(arg)) {
			__atomic_add_fetch(&rsp->sleeps, 1, __ATOMIC_RELAXED);
			arch_futex_wait(&rsp->wake_seq, v);
		}
	}
	__atomic_sub_fetch(&rsp->sleepers, 1, __ATOMIC_RELAXED);

	flags = arch_irq_save();
	if (watching)
		rcu_eqs_exit(rdp);
	arch_irq_restore(flags);
}
#endif

unsigned long rcu_wait_sleeps(void)
{
	return __atomic_load_n(&rcu_state.sleeps, __ATOMIC_RELAXED);
}

/*
 * Wait until done(arg), helping: report this CPU's QS, kick GPs, run
 * its ready callbacks. Where the arch can sleep (ARCH_HAS_FUTEX) the
 * waiter spins briefly, then sleeps until woken; elsewhere (a kernel
 * CPU has nothing else to run) it polls.
 */
void rcu_wait_until(bool (*done)(unsigned long), unsigned long arg)
{
#ifdef ARCH_HAS_FUTEX
	struct rcu_data *rdp = this_cpu_ptr(&rcu_data);
	uint64_t spin_end = 0;
	unsigned int polls = 0;
	bool slept = false;

	while (!done(arg)) {
		/*
		 * Between helps only the condition is polled: the GP's end
		 * is one store by whoever reports last, and a waiter that
		 * also kicked, checked for stalls and read the clock on
		 * every poll would see it late. The first poll helps.
		 */
		if (polls++ % RCU_WAIT_HELP_POLLS) {
			arch_spin_pause();
			continue;
		}
		if (!spin_end) {
			if (!rdp->wait_spin_ns || ++rdp->wait_probe % RCU_WAIT_PROBE == 0)
				rdp->wait_spin_ns = RCU_WAIT_SPIN_NS;
			spin_end = ktime_get_ns() + rdp->wait_spin_ns;
		}
		/* A waiter inside a reader (a bug) must not sleep in an EQS. */
		if (ktime_get_ns() < spin_end || rcu_read_lock_held()) {
			__rcu_wait_help();
			arch_spin_pause();
		} else {
			rcu_wait_sleep(done, arg);
			slept = true;
		}
	}
	if (slept)
		rdp->wait_spin_ns = max(rdp->wait_spin_ns / 2, RCU_WAIT_SPIN_MIN_NS);
	else if (spin_end)
		rdp->wait_spin_ns = RCU_WAIT_SPIN_NS;
#else
	while (!done(arg))
		rcu_wait_help();
#endif
}

/* ---- waiting and polling ------------------------------------------------- */

unsigned long get_state_synchronize_rcu(void)
{
	return rcu_seq_snap(&rcu_state.gp_seq);
}

unsigned long start_poll_synchronize_rcu(void)
{
	unsigned long cookie = get_state_synchronize_rcu();

	rcu_request_gp(cookie);
	return cookie;
}

bool poll_state_synchronize_rcu(unsigned long cookie)
{
	if (!rcu_seq_done(&rcu_state.gp_seq, cookie))
		return false;
	/* The GP's end precedes what the caller does next (free memory). */
	smp_mb();
	return true;
}

static bool rcu_gp_done(unsigned long cookie)
{
	return rcu_seq_done(&rcu_state.gp_seq, cookie);
}

/* Wait for the grace period cookie names, requested already. */
static void rcu_wait_cookie(unsigned long cookie)
{
	rcu_wait_until(rcu_gp_done, cookie);
	/* The GP's end precedes what the caller does next (free memory). */
	smp_mb();
}

void synchronize_rcu(void)
{
	unsigned long cookie;

	might_sleep();
	cookie = start_poll_synchronize_rcu();
	rcu_wait_cookie(cookie);
}

void cond_synchronize_rcu(unsigned long cookie)
{
	if (poll_state_synchronize_rcu(cookie))
		return;
	might_sleep();
	/* The cookie's own grace period, not a new one (which could be the
	 * one after it): requested, as a get_state cookie's is not yet. */
	rcu_request_gp(cookie);
	rcu_wait_cookie(cookie);
}

unsigned long rcu_gp_completed(void)
{
	return rcu_seq_completed(&rcu_state.gp_seq);
}

/* ---- debug checks --------------------------------------------------------- */

void rcu_debug_warn(const char *file, int line, const char *what)
{
	/* Not a counted atomic: this is an error path, not a workload's. */
	if (__atomic_add_fetch(&debug_warnings, 1, __ATOMIC_RELAXED) <= 10)
		__warn(file, line, what);
}

unsigned long rcu_debug_warnings(void)
{
	return __atomic_load_n(&debug_warnings, __ATOMIC_RELAXED);
}

/* ---- what the core kernel reports (include/cpu_watch.h) ------------------ */

static bool rcu_tick_not_needed(void)
{
	return !rcu_needs_cpu();
}

static void rcu_watch_cpu_dead(unsigned int cpu, bool busted)
{
	if (busted)
		rcu_cpu_dead_busted(cpu);
	else
		rcu_cpu_dead(cpu);
}

static void rcu_sleep_check(const char *file, int line)
{
	if (rcu_read_lock_held())
		/* Counted with RCU's other usage errors (tests read the count). */
		rcu_debug_warn(file, line, "waiting inside an RCU read-side section");
}

static const struct cpu_watcher rcu_cpu_watcher = {
	.tick = rcu_tick,
	.irq_enter = rcu_irq_enter,
	.irq_exit = rcu_irq_exit,
	.idle_enter = rcu_idle_enter,
	.idle_exit = rcu_idle_exit,
	.tick_not_needed = rcu_tick_not_needed,
	.cpu_starting = rcu_cpu_starting,
	.cpu_dying = rcu_report_dead,
	.cpu_dead = rcu_watch_cpu_dead,
	.quiescent = rcu_quiescent_state,
	.sleep_check = rcu_sleep_check,
};

void rcu_start(unsigned int leaf_fanout, unsigned int fanout)
{
	rcu_init_geometry(leaf_fanout, fanout);
	rcu_cpu_starting(smp_processor_id());
	cpu_watcher_register(&rcu_cpu_watcher);	/* the core reports to RCU from here */
}
