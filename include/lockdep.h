/* SPDX-License-Identifier: MIT */
/*
 * Lock debugging (CONFIG_DEBUG): every lock embeds a lockdep_map, and
 * its lock and unlock operations call the hooks below. Three checks:
 *
 *  - recursive acquire: a CPU takes a lock it already holds (or waits for
 *    it as a reader while holding it: the locks here are fair, so a
 *    recursive read deadlocks as soon as a writer waits);
 *  - unlock by a CPU that does not hold the lock;
 *  - lock-order inversion: each lock belongs to a class (one per
 *    initialisation site, or one per named static lock); taking a lock of
 *    class B while holding one of class A records A->B, and the first time
 *    B->A is recorded too, both orders are reported with both lock names
 *    and the call sites where each was taken.
 *
 *  - interrupt safety: a class taken by an interrupt handler and also held
 *    with interrupts enabled (the handler could interrupt the holder on
 *    its own CPU and spin forever); irq_handle() brackets handlers with
 *    lockdep_hardirq_enter()/exit().
 *
 * A reported misuse is not carried out: a recursive acquire returns
 * without taking the lock (and its matching unlock does nothing), an
 * unlock by a non-holder leaves the lock held. The kernel therefore keeps
 * running after a report, which lets the tests trigger each check on
 * purpose and count the reports (lockdep_set_report_hook()). By default a
 * report prints its description and a backtrace, like WARN.
 *
 * Cost: one out-of-line call per lock and per unlock, with interrupts
 * masked briefly to update this CPU's held-lock stack, and a plain
 * per-CPU walk of that stack. The order graph is a bitmap read without
 * atomics; lockdep's own lock, taken only the first time a class or an
 * order is seen, uses uncounted atomics, so lockdep adds nothing to the
 * atomics_per_op of the lock under test.
 *
 * Trylocks are recorded as held (so locks taken under them record their
 * order), but record no order themselves: a trylock cannot deadlock.
 */
#ifndef QUIESCE_LOCKDEP_H
#define QUIESCE_LOCKDEP_H

#include <compiler.h>

/* The identity of a lock class: only its address matters. */
struct lock_class_key {
	char unused;
};

struct lock_class;

#ifdef CONFIG_DEBUG

struct lockdep_map {
	const char *name;			/* NULL: "lock@<address>" */
	const struct lock_class_key *key;	/* NULL: the map itself */
	struct lock_class *class;		/* cache, set on first use */
	int owner;		/* CPU + 1 holding it exclusively, 0 if none */
};

#define LOCKDEP_MAP_INIT(lockname)	.dep_map = { .name = #lockname },

/* Name a lock and give it the class key (one static key per init site). */
void lockdep_init_map(struct lockdep_map *map, const char *name,
		      const struct lock_class_key *key);

/*
 * Before waiting for the lock: check recursion and order, push the lock
 * on this CPU's held stack. Returns false if the acquire is a reported
 * misuse that the caller must skip (then lock_release() returns false
 * for the matching unlock too).
 */
bool lock_acquire(struct lockdep_map *map);
/* After a successful trylock: push on the held stack, no order check. */
void lock_acquire_try(struct lockdep_map *map);
/*
 * Before releasing: pop the lock from this CPU's held stack. Returns
 * false if the caller must not release it (a reported non-holder unlock,
 * or the unlock matching a skipped recursive acquire).
 */
bool lock_release(struct lockdep_map *map);

/*
 * A function that needs map's lock held by its caller (a _locked
 * function) says so: reported (LOCKDEP_NOT_HELD_BY_CALLER) if the calling
 * CPU does not hold it.
 */
void lock_assert_held(struct lockdep_map *map);

/* Print cpu's held (and awaited) locks: the watchdog's report. */
void lockdep_print_held(unsigned int cpu);

/* Around interrupt handlers (interrupts masked). */
void lockdep_hardirq_enter(void);
void lockdep_hardirq_exit(void);

/* The holder of an exclusive lock records itself, for the reports. */
static inline void lock_set_owner(struct lockdep_map *map, unsigned int cpu)
{
	__atomic_store_n(&map->owner, (int)cpu + 1, __ATOMIC_RELAXED);
}
static inline void lock_clear_owner(struct lockdep_map *map)
{
	__atomic_store_n(&map->owner, 0, __ATOMIC_RELAXED);
}

#else

struct lockdep_map { };
#define LOCKDEP_MAP_INIT(lockname)
static inline void lockdep_init_map(struct lockdep_map *map, const char *name,
				    const struct lock_class_key *key) { }
static inline bool lock_acquire(struct lockdep_map *map) { return true; }
static inline void lock_acquire_try(struct lockdep_map *map) { }
static inline bool lock_release(struct lockdep_map *map) { return true; }
static inline void lock_assert_held(struct lockdep_map *map) { }
static inline void lock_set_owner(struct lockdep_map *map, unsigned int cpu) { }
static inline void lock_clear_owner(struct lockdep_map *map) { }
static inline void lockdep_print_held(unsigned int cpu) { }
static inline void lockdep_hardirq_enter(void) { }
static inline void lockdep_hardirq_exit(void) { }

#endif

/* Any lock with a dep_map (spinlock_t, rwlock_t, rw_semaphore, ...). */
#define lockdep_assert_held(l)	lock_assert_held(&(l)->dep_map)

/* What a report is about; the tests read these. */
enum lockdep_kind {
	LOCKDEP_RECURSION,	/* lock: the lock; prev_ip: where it is held */
	LOCKDEP_NOT_HELD,	/* lock: the lock; owner: who holds it, -1 nobody */
	LOCKDEP_NOT_HELD_BY_CALLER,	/* as NOT_HELD; ip: the lock_assert_held() */
	LOCKDEP_INVERSION,	/* lock taken under other; other earlier under lock */
	LOCKDEP_TOO_DEEP,	/* held-lock stack overflow; checks stop */
	LOCKDEP_IRQ_UNSAFE,	/* lock: taken in a handler at ip, irqs on at other_ip */
	LOCKDEP_NR_KINDS,
};

struct lockdep_report {
	enum lockdep_kind kind;
	unsigned int cpu;
	const char *lock;	/* the lock being taken or released */
	uintptr_t ip;		/* where it is being taken or released */
	const char *other;	/* INVERSION: the lock held meanwhile */
	uintptr_t other_ip;	/* INVERSION: where that one was taken */
	/* INVERSION: the earlier, opposite nesting. */
	uintptr_t prev_outer_ip;	/* where lock was taken then */
	uintptr_t prev_inner_ip;	/* where other was taken under it */
	uintptr_t prev_ip;	/* RECURSION: where the lock is already held */
	int owner;		/* NOT_HELD*: CPU holding it exclusively, or -1 */
};

typedef void (*lockdep_hook_t)(const struct lockdep_report *r);

/*
 * Route reports to hook (NULL: the default, print and backtrace);
 * returns the previous hook. Reports still count in lockdep_reports[].
 */
lockdep_hook_t lockdep_set_report_hook(lockdep_hook_t hook);
/* Print a report's description (what the default hook prints). */
void lockdep_print_report(const struct lockdep_report *r);
/* Reports of each kind so far. */
extern unsigned long lockdep_reports[LOCKDEP_NR_KINDS];
/* Reports the default hook printed: none is expected in a passing run. */
extern unsigned long lockdep_unexpected;

#endif
