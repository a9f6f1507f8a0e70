/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks. Two algorithms with the same operations, and one kernel
 * interface built on each:
 *
 *   raw_ticket_t  ticket lock: FIFO-fair; every waiter spins on the lock
 *		   word, so each hand-off moves that line to every waiter.
 *   raw_mcs_t	   queued (MCS) lock: FIFO-fair; waiters queue on per-CPU
 *		   nodes and each spins on its own cache line, so a hand-off
 *		   touches only the next waiter's line.
 *
 * Raw operations (no debug checks, no interrupt handling), for each
 * <raw> in raw_ticket, raw_mcs:
 *	<raw>_init(l), <raw>_lock(l), <raw>_trylock(l), <raw>_unlock(l),
 *	<raw>_is_locked(l)
 *
 * Kernel interface, for each <pfx> in spin (spinlock_t, the kernel's
 * default: ticket), ticket_spin (ticket_spinlock_t), mcs_spin
 * (mcs_spinlock_t):
 *	DEFINE_<PFX>LOCK(x), <pfx>_lock_init(l)
 *	<pfx>_lock(l), <pfx>_trylock(l), <pfx>_unlock(l), <pfx>_is_locked(l)
 *	<pfx>_lock_irqsave(l, flags), <pfx>_unlock_irqrestore(l, flags)
 *	<pfx>_lock_irq(l), <pfx>_unlock_irq(l)
 * with the lockdep checks (include/lockdep.h) in debug builds.
 *
 * Context: a holder must not wait for anything that needs another CPU to
 * take the same lock. A lock an interrupt handler takes must be taken
 * with the _irqsave/_irq forms everywhere else. Waiters spin with the
 * architecture's relax hint (lock_wait_until()).
 *
 * Ordering: lock (and a successful trylock) is an acquire, unlock a
 * release; they pair, so a holder sees every write the previous holder
 * made under the lock. Neither is a full barrier.
 *
 * atomics_per_op: an uncontended lock+unlock is one RMW for both
 * algorithms (unlock is a plain release store); lockdep adds none.
 */
#ifndef QUIESCE_SPINLOCK_H
#define QUIESCE_SPINLOCK_H

#include <compiler.h>
#include <arch.h>
#include <atomic.h>
#include <lockdep.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the lock words below address their low half/byte directly");

/*
 * Wait until cond holds, with cpu_relax() between checks. cond must
 * contain the acquire that orders the caller's next accesses.
 *
 * Not arch_wait_event(): under QEMU 7.2 (TCG) a WFE waits for the next
 * interrupt whatever SEV or the event stream do, so a hand-off costs a
 * timer tick, and a waiter with interrupts masked (an _irqsave lock) may
 * never wake. Unlockers still send the event, for waiters that do use
 * it (struct completion).
 */
#define lock_wait_until(cond)						\
	do {								\
		while (!(cond))						\
			cpu_relax();					\
	} while (0)

/* ---- ticket lock ---------------------------------------------------- */

typedef struct {
	/* next (high 16 bits): the ticket the next arrival takes;
	 * owner (low 16 bits): the ticket now being served. */
	uint32_t val;
} raw_ticket_t;

#define RAW_TICKET_UNLOCKED	{ 0 }
#define TICKET_NEXT_ONE		(1u << 16)

static inline void raw_ticket_init(raw_ticket_t *l)
{
	l->val = 0;
}

/* An unlocked ticket word has owner == next. */
static inline bool raw_ticket_value_locked(uint32_t v)
{
	return (uint16_t)(v >> 16) != (uint16_t)v;
}

static inline bool raw_ticket_is_locked(raw_ticket_t *l)
{
	return raw_ticket_value_locked(__atomic_load_n(&l->val, __ATOMIC_RELAXED));
}

static inline void raw_ticket_lock(raw_ticket_t *l)
{
	/* Acquire: pairs with the release in raw_ticket_unlock(). */
	uint32_t old = __rmw(__atomic_fetch_add(&l->val, TICKET_NEXT_ONE,
						__ATOMIC_ACQUIRE));
	uint16_t ticket = (uint16_t)(old >> 16);

	if (likely((uint16_t)old == ticket))
		return;
	/* Acquire: as above, for the hand-off we waited for. */
	lock_wait_until((uint16_t)__atomic_load_n(&l->val, __ATOMIC_ACQUIRE) == ticket);
}

static inline bool raw_ticket_trylock(raw_ticket_t *l)
{
	uint32_t old = __atomic_load_n(&l->val, __ATOMIC_RELAXED);

	if (raw_ticket_value_locked(old))
		return false;
	/* Acquire: pairs with the release in raw_ticket_unlock(). */
	return try_cmpxchg_acquire(&l->val, &old, old + TICKET_NEXT_ONE);
}

static inline void raw_ticket_unlock(raw_ticket_t *l)
{
	/* Only the holder writes the owner half. */
	uint16_t *owner = (uint16_t *)&l->val;
	uint16_t next_owner = (uint16_t)(__atomic_load_n(owner, __ATOMIC_RELAXED) + 1);

	/* Release: the critical section before the hand-off; pairs with
	 * the acquire of the next holder. */
	__atomic_store_n(owner, next_owner, __ATOMIC_RELEASE);
	/*
	 * Send the event only if someone took a ticket. The load reads the
	 * next half alone: a word-sized load of the half just stored would
	 * wait for the store to leave the store buffer (x86 cannot forward
	 * a narrow store to a wider load), a stall on every unlock. An
	 * arrival this load misses is no loss: ticket waiters poll
	 * (lock_wait_until()), they do not sleep until the event.
	 */
	if (__atomic_load_n(owner + 1, __ATOMIC_RELAXED) != next_owner)
		arch_send_event();
}

/* ---- queued (MCS) lock ---------------------------------------------- */

/*
 * The lock word: bits 0-7 "locked" (0 or 1), bits 16-31 the queue tail,
 * ((cpu + 1) << 2 | node index) of the last waiter, 0 for no queue. The
 * holder is not in the queue: it needs no node while it holds the lock,
 * only while it waits, so a CPU needs one node per context that can be
 * waiting at once (thread, interrupt, and two spares for nesting).
 */
typedef struct {
	uint32_t val;
} raw_mcs_t;

#define RAW_MCS_UNLOCKED	{ 0 }
#define MCS_LOCKED		1u
#define MCS_LOCKED_MASK		0xffu
#define MCS_TAIL_SHIFT		16
#define MCS_NODES		4

_Static_assert(NR_CPUS < (1 << 14), "the MCS tail holds cpu + 1 in 14 bits");

/* A waiter's queue node; each on its own cache line. */
struct mcs_node {
	struct mcs_node *next;	/* our successor; set by it (release) */
	unsigned int locked;	/* set to 1 by our predecessor (release):
				 * we are now at the head of the queue */
	unsigned int count;	/* nodes[0] only: nodes this CPU uses */
} ____cacheline_aligned;

/* Slow path: queue up and wait; val is the lock word last seen. */
void raw_mcs_lock_slow(raw_mcs_t *l, uint32_t val);

static inline void raw_mcs_init(raw_mcs_t *l)
{
	l->val = 0;
}

static inline bool raw_mcs_is_locked(raw_mcs_t *l)
{
	return __atomic_load_n(&l->val, __ATOMIC_RELAXED) != 0;
}

static inline void raw_mcs_lock(raw_mcs_t *l)
{
	uint32_t val = 0;

	/* Acquire: pairs with the release in raw_mcs_unlock(). */
	if (likely(try_cmpxchg_acquire(&l->val, &val, MCS_LOCKED)))
		return;
	raw_mcs_lock_slow(l, val);
}

static inline bool raw_mcs_trylock(raw_mcs_t *l)
{
	uint32_t val = __atomic_load_n(&l->val, __ATOMIC_RELAXED);

	if (val)
		return false;
	/* Acquire: pairs with the release in raw_mcs_unlock(). */
	return try_cmpxchg_acquire(&l->val, &val, MCS_LOCKED);
}

static inline void raw_mcs_unlock(raw_mcs_t *l)
{
	/* Release: the critical section before the locked byte clears;
	 * pairs with the acquire of the next holder (fast path cmpxchg, or
	 * the queue head's load in raw_mcs_lock_slow()). Only the holder
	 * writes the locked byte, so a byte store suffices. */
	__atomic_store_n((uint8_t *)&l->val, 0, __ATOMIC_RELEASE);
	/* Only the queue head waits on the word: wake it if there is a
	 * queue (a waiter queued after this load saw the byte clear). */
	if (__atomic_load_n(&l->val, __ATOMIC_RELAXED) >> MCS_TAIL_SHIFT)
		arch_send_event();
}

/* ---- the kernel interface ------------------------------------------- */

/*
 * One interface per algorithm: pfx##_lock() etc. on type, built from
 * algo##_*(). The lockdep hooks run before waiting (so a deadlock is
 * reported before it happens) and before releasing.
 */
#define __SPINLOCK_VARIANT(pfx, type, algo)				\
typedef struct {							\
	union {								\
		algo##_t raw;						\
		uint32_t val;	/* the raw word; use pfx##_is_locked() */ \
	};								\
	struct lockdep_map dep_map;					\
} type;									\
									\
static inline void __##pfx##_lock_init(type *l, const char *name,	\
				       const struct lock_class_key *key) \
{									\
	algo##_init(&l->raw);						\
	lockdep_init_map(&l->dep_map, name, key);			\
}									\
									\
static inline void pfx##_lock(type *l)					\
{									\
	if (lock_acquire(&l->dep_map)) {				\
		algo##_lock(&l->raw);					\
		lock_set_owner(&l->dep_map, arch_cpu_id());		\
	}								\
}									\
									\
static inline bool pfx##_trylock(type *l)				\
{									\
	if (!algo##_trylock(&l->raw))					\
		return false;						\
	lock_acquire_try(&l->dep_map);					\
	lock_set_owner(&l->dep_map, arch_cpu_id());			\
	return true;							\
}									\
									\
static inline void pfx##_unlock(type *l)				\
{									\
	if (lock_release(&l->dep_map)) {				\
		lock_clear_owner(&l->dep_map);				\
		algo##_unlock(&l->raw);					\
	}								\
}									\
									\
static inline bool pfx##_is_locked(type *l)				\
{									\
	return algo##_is_locked(&l->raw);				\
}									\
									\
static inline unsigned long __##pfx##_lock_irqsave(type *l)		\
{									\
	unsigned long flags = arch_irq_save();				\
									\
	pfx##_lock(l);							\
	return flags;							\
}									\
									\
static inline void pfx##_unlock_irqrestore(type *l, unsigned long flags) \
{									\
	pfx##_unlock(l);						\
	arch_irq_restore(flags);					\
}									\
									\
static inline void pfx##_lock_irq(type *l)				\
{									\
	arch_irq_disable();						\
	pfx##_lock(l);							\
}									\
									\
static inline void pfx##_unlock_irq(type *l)				\
{									\
	pfx##_unlock(l);						\
	arch_irq_enable();						\
}

/* The initialisers: a static lock's class is the lock itself. */
#define __RAW_LOCK_INIT(raw_init, name)	{ .raw = raw_init, LOCKDEP_MAP_INIT(name) }
/* The run-time init: one lock class per call site. */
#define __LOCK_INIT(pfx, l)						\
	do {								\
		static struct lock_class_key __key;			\
		__##pfx##_lock_init((l), #l, &__key);			\
	} while (0)

/*
 * smp_mb__after_spinlock(): right after a lock (or successful trylock),
 * make the acquisition a full barrier: every access before the lock is
 * ordered before every access after it. Both algorithms take the lock
 * with an RMW, already a full barrier on x86 (a locked instruction);
 * ARM adds a DMB. Counted as a barrier in the stats build.
 */
#define smp_mb__after_spinlock()					\
	do {								\
		__atomic_stat(mb);					\
		races_barrier(RACES_ORDER_ALL);				\
		__smp_mb_after_rmw();					\
	} while (0)

__SPINLOCK_VARIANT(spin, spinlock_t, raw_ticket)
#define __SPIN_LOCK_UNLOCKED(name)	__RAW_LOCK_INIT(RAW_TICKET_UNLOCKED, name)
#define DEFINE_SPINLOCK(x)		spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define spin_lock_init(l)		__LOCK_INIT(spin, l)
#define spin_lock_irqsave(l, flags)	((flags) = __spin_lock_irqsave(l))

__SPINLOCK_VARIANT(ticket_spin, ticket_spinlock_t, raw_ticket)
#define __TICKET_SPIN_LOCK_UNLOCKED(name) __RAW_LOCK_INIT(RAW_TICKET_UNLOCKED, name)
#define DEFINE_TICKET_SPINLOCK(x)	ticket_spinlock_t x = __TICKET_SPIN_LOCK_UNLOCKED(x)
#define ticket_spin_lock_init(l)	__LOCK_INIT(ticket_spin, l)
#define ticket_spin_lock_irqsave(l, flags) ((flags) = __ticket_spin_lock_irqsave(l))

__SPINLOCK_VARIANT(mcs_spin, mcs_spinlock_t, raw_mcs)
#define __MCS_SPIN_LOCK_UNLOCKED(name)	__RAW_LOCK_INIT(RAW_MCS_UNLOCKED, name)
#define DEFINE_MCS_SPINLOCK(x)		mcs_spinlock_t x = __MCS_SPIN_LOCK_UNLOCKED(x)
#define mcs_spin_lock_init(l)		__LOCK_INIT(mcs_spin, l)
#define mcs_spin_lock_irqsave(l, flags)	((flags) = __mcs_spin_lock_irqsave(l))

#endif
