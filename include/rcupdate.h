/* SPDX-License-Identifier: MIT */
/*
 * RCU for a non-preemptible kernel: the read side, publication, and the
 * update-side API. Linux names and semantics.
 *
 * Readers:
 *	rcu_read_lock(); p = rcu_dereference(gp); ... use *p ...; rcu_read_unlock();
 * A read-side section may not wait for anything (no synchronize_rcu(),
 * no might_sleep()) and must not call rcu_quiescent_state(). Sections
 * nest. Code that runs with interrupts disabled is a reader too: neither
 * the tick nor an expedited IPI can interrupt it.
 *
 * Updaters publish with rcu_assign_pointer() and free what they removed
 * only after a grace period: synchronize_rcu() (waits), call_rcu() /
 * kfree_rcu() (do not wait), synchronize_rcu_expedited() (waits, forces
 * quiescent states with IPIs: microseconds rather than ticks).
 *
 * Cost: in release builds (no CONFIG_DEBUG) rcu_read_lock() and
 * rcu_read_unlock() are compiler barriers and nothing else, as in Linux
 * without preemption. Quiescent states then come from idle and offline
 * CPUs, from rcu_quiescent_state() (loops call it between operations, as
 * Linux code calls cond_resched(); two loads and a compare until a grace
 * period or a callback batch needs the CPU), from waiters, and from a tick or
 * expedited IPI that interrupted a quiescent point: a function marked
 * __qs_point, which waits for other CPUs and so never runs inside a
 * reader. The interrupted PC says so; readers record nothing.
 * Debug builds keep a per-CPU nesting count (a plain increment and
 * decrement, no atomic, no barrier): the tick and the IPI report
 * whenever it is zero, and the debug checks use it.
 */
#ifndef QUIESCE_RCUPDATE_H
#define QUIESCE_RCUPDATE_H

#include <compiler.h>
#include <atomic.h>
#include <percpu.h>
#include <rcu_pointer.h>

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
typedef void (*rcu_callback_t)(struct rcu_head *head);

/*
 * A segmented callback list (operations private to rcu/, see rcu/rcu.h);
 * here because SRCU domains embed one.
 */
#define RCU_NSEGS	3
struct rcu_cblist {
	struct rcu_head *head;
	struct rcu_head **tails[RCU_NSEGS];
	unsigned long gp_seq[RCU_NSEGS];	/* WAIT, NEXT: ready at this value */
	long len;		/* queued and not yet invoked (incl. a batch in flight) */
	bool invoking;		/* a batch is being invoked: one invoker at a time */
};

#ifdef CONFIG_DEBUG
/* Read-side nesting of each CPU: written only by its owner (and by
 * interrupt handlers on it, which leave it as they found it). */
DECLARE_PER_CPU(int, rcu_read_nesting);

/* Begin a read-side section. Any context; never waits. */
static __always_inline void rcu_read_lock(void)
{
	__this_cpu_inc(rcu_read_nesting);
	/* Keeps the section's accesses after the increment as this CPU's
	 * tick or IPI sees it; other CPUs never read the count. */
	barrier();
}

/* End a read-side section. Any context; never waits. */
static __always_inline void rcu_read_unlock(void)
{
	/* The section's accesses stay before the decrement (see above). */
	barrier();
	__this_cpu_add(rcu_read_nesting, -1);
}

/* Debug: is the calling CPU inside rcu_read_lock()? */
static inline bool rcu_read_lock_held(void)
{
	return __this_cpu_read(rcu_read_nesting) > 0;
}
#else
/*
 * Release: the kernel is not preemptible, so a section is the code
 * between the two; the compiler barriers keep its accesses inside.
 */
static __always_inline void rcu_read_lock(void) { barrier(); }
static __always_inline void rcu_read_unlock(void) { barrier(); }

/* Release: nothing records readers. False, so that code which reports
 * quiescent states unless inside a reader reports (callers keep the
 * contract); the checks that would need the truth are debug-only. */
static inline bool rcu_read_lock_held(void) { return false; }
#endif

/* Is pc inside a __qs_point function (<cpu_watch.h>)? (The host: never.) */
bool rcu_pc_is_quiescent(uintptr_t pc);

/* Debug: inside rcu_read_lock() or with interrupts off (also a reader)? */
static inline bool rcu_read_lock_any_held(void)
{
	return rcu_read_lock_held() || arch_irqs_disabled();
}

/* Report an RCU usage error (rate-limited) and count it. */
void rcu_debug_warn(const char *file, int line, const char *what);
#ifdef CONFIG_DEBUG
#define RCU_LOCKDEP_WARN(cond, what)					\
	do {								\
		if (unlikely(cond))					\
			rcu_debug_warn(__FILE__, __LINE__, what);	\
	} while (0)
#else
#define RCU_LOCKDEP_WARN(cond, what)	do { } while (0)
#endif
/* Usage errors reported so far (the debug checks' tests read it). */
unsigned long rcu_debug_warnings(void);

/*
 * rcu_dereference_check(p, c): load an RCU-protected pointer for
 * dereferencing, legal inside a reader or where c holds (say, the
 * update-side lock is held). Pairs with rcu_assign_pointer()'s release:
 * the pointed-to object is seen as it was initialised.
 */
#define rcu_dereference_check(p, c) ({					\
	__typeof__(p) ___p = __rcu_load_dep(p);				\
	RCU_LOCKDEP_WARN(!(c) && !rcu_read_lock_any_held(),		\
			 "rcu_dereference() outside a read-side section"); \
	___p;								\
})
#define rcu_dereference(p)		rcu_dereference_check(p, 0)
/* Update side, c says why it is safe (lock held): a plain load. */
#define rcu_dereference_protected(p, c) ({				\
	RCU_LOCKDEP_WARN(!(c), "rcu_dereference_protected() without protection"); \
	__rcu_load(p);							\
})

/*
 * Update side. Unless said otherwise: thread context, interrupts on, not
 * inside a read-side section (debug builds warn), may spin for as long as
 * a grace period takes while helping it along.
 */

/* Wait until every read-side section that began before the call ended. */
void synchronize_rcu(void);
/* The same, forcing quiescent states with IPIs; faster, costs IPIs. */
void synchronize_rcu_expedited(void);

/*
 * Run func(head) after a grace period, in the tick's callback step of
 * the calling CPU (interrupts off) or in a waiter that helps. Any
 * context, including interrupt handlers and other callbacks; never
 * waits. Callbacks queued on one CPU run in the order they were queued.
 */
void call_rcu(struct rcu_head *head, rcu_callback_t func);

/*
 * kfree_rcu(ptr, field): kfree(ptr) after a grace period; field is ptr's
 * struct rcu_head. Batched per CPU: one grace-period cookie per batch.
 * Any context; never waits.
 */
void __kfree_rcu(struct rcu_head *head, size_t offset);
#define kfree_rcu(ptr, field)						\
	__kfree_rcu(&(ptr)->field, offsetof(__typeof__(*(ptr)), field))

/* Wait until every call_rcu() callback and kfree_rcu() queued before has run. */
void rcu_barrier(void);

/*
 * Grace-period cookies: get_state_synchronize_rcu() returns a cookie;
 * poll_state_synchronize_rcu(cookie) is true once a full grace period has
 * passed since. start_poll_synchronize_rcu() also makes sure one starts
 * (get_state alone does not). cond_synchronize_rcu() waits only if needed.
 * Any context for get/poll/start; cond_ is a waiter.
 */
unsigned long get_state_synchronize_rcu(void);
unsigned long start_poll_synchronize_rcu(void);
bool poll_state_synchronize_rcu(unsigned long cookie);
void cond_synchronize_rcu(unsigned long cookie);

/*
 * The fast path of rcu_quiescent_state(). rcu_qs_seq counts the grace
 * periods (normal and expedited) armed since boot, in steps of 2,
 * bumped once every CPU's bit is set (rcu_arm_masks()); rcu_qs_seen is
 * the value the calling CPU's last full quiescent state reported up to,
 * or the odd RCU_QS_WORK when call_rcu()/kfree_rcu() left it work. While
 * the two are equal this CPU owes nothing and has nothing to invoke, so
 * a quiescent state is a load of a read-mostly line and of a per-CPU
 * word, as in liburcu's QSBR.
 */
#define RCU_QS_WORK	1UL
extern unsigned long rcu_qs_seq;
DECLARE_PER_CPU(unsigned long, rcu_qs_seen);
void __rcu_quiescent_state(void);

/*
 * The calling CPU is in a quiescent state: long-running loops outside any
 * read-side section call this so they do not hold up grace periods
 * between ticks (on the host, where nothing ticks, it is the only way).
 * Thread context, outside any read-side section.
 */
static __always_inline void rcu_quiescent_state(void)
{
	RCU_LOCKDEP_WARN(rcu_read_lock_held(),
			 "rcu_quiescent_state() inside a read-side section");
	if (rcu_read_lock_held())
		return;
	/*
	 * Relaxed: a stale rcu_qs_seq only defers the report to a later
	 * quiescent state; the slow path reads it again with acquire
	 * before it looks at the masks (pairs with the release bump in
	 * rcu_arm_masks()).
	 */
	if (likely(__atomic_load_n(&rcu_qs_seq, __ATOMIC_RELAXED) == __this_cpu_read(rcu_qs_seen)))
		return;
	__rcu_quiescent_state();
}

/* Completed normal grace periods since boot (rcutorture, rcubench). */
unsigned long rcu_gp_completed(void);
/* Completed expedited grace periods since boot. */
unsigned long rcu_exp_completed(void);

/*
 * Stall warnings: a grace period older than this names each CPU that has
 * not reported a quiescent state. Returns the previous value.
 */
unsigned long rcu_set_stall_timeout_ms(unsigned long ms);
/* Stall warnings printed so far. */
unsigned long rcu_stall_warnings(void);

/*
 * rcu_init(): boot CPU, once, before its tick starts (boot/init.c); it
 * registers RCU as the CPU watcher the core reports to (include/
 * cpu_watch.h; the hooks in rcu/rcu.h). The three below are hooks the
 * host tests and benchmarks also call where they play the core: on the
 * CPU concerned, interrupts disabled.
 */
void rcu_init(void);
/* The tick, end of tick_handler(): quiescent states, callbacks, stalls. */
void rcu_tick(void);
/* Idle entry/exit: idle is an extended quiescent state. */
void rcu_idle_enter(void);
void rcu_idle_exit(void);
/*
 * run_on_cpus() for a role whose readers grace periods must wait for:
 * the host's threads playing CPUs start in an EQS (a CPU not yet
 * booted), so RCU watches each CPU of the role while it runs fn. The
 * role must report quiescent states (rcu_quiescent_state()). Kernel
 * CPUs are watched already: there it is run_on_cpus().
 */
void rcu_run_on_cpus(unsigned int ncpus, void (*fn)(void *arg), void *arg);

#endif
