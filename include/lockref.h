/* SPDX-License-Identifier: MIT */
/*
 * struct lockref: a spinlock and a reference count in one 64-bit word.
 * While the lock is free, the count is changed by one cmpxchg of the
 * whole word, without taking the lock; a CPU that needs the count stable
 * (to act on it reaching zero, or to kill the object) takes the lock, and
 * every lockless update then fails until it is released. Linux names and
 * semantics:
 *
 *	lockref_get(lr)			count++
 *	lockref_get_not_zero(lr)	count++ unless count <= 0
 *	lockref_get_not_dead(lr)	count++ unless dead
 *	lockref_put_return(lr)		--count and return it; -1 (nothing
 *					done) if count <= 0 or the lock is held
 *	lockref_put_or_lock(lr)		count-- unless count <= 1; if it is,
 *					return false with the lock held
 *	lockref_mark_dead(lr)		(lock held) count = LOCKREF_DEAD
 *	lockref_lock(lr), lockref_unlock(lr)	the embedded lock
 *
 * The lock is a raw ticket lock (4 bytes, no lockdep map: there is no
 * room in the word). Any context; the lockless paths retry a bounded
 * number of times, then fall back to the lock, which may spin.
 *
 * Ordering: gets are unordered (the caller holds a reference or a lock
 * or RCU keeps the object alive); puts are releases (the caller's accesses
 * to the object before the count drops) and acquires (a CPU that sees
 * the count reach 0 sees every earlier holder's accesses). Under the
 * lock, the lock's acquire/release order everything.
 *
 * atomics_per_op: a lockless get or put is one RMW (more only when it
 * retries after a race).
 */
#ifndef QUIESCE_LOCKREF_H
#define QUIESCE_LOCKREF_H

#include <compiler.h>
#include <atomic.h>
#include <spinlock.h>

struct lockref {
	union {
		uint64_t lock_count;	/* the word the lockless paths swap */
		struct {
			raw_ticket_t lock;
			int count;	/* written under lock, or by cmpxchg
					 * of lock_count while unlocked */
		};
	};
} __aligned(8);

_Static_assert(sizeof(struct lockref) == 8 && sizeof(raw_ticket_t) == 4,
	       "lockref: lock and count must share one 64-bit word");
_Static_assert(offsetof(struct lockref, count) == 4,
	       "lockref: the count is the high half of lock_count");

#define LOCKREF_DEAD	(-128)
#define LOCKREF_RETRIES	100
#define LOCKREF_INIT(n)	{ { .lock_count = (uint64_t)(uint32_t)(n) << 32 } }

static inline void lockref_init(struct lockref *lr, int count)
{
	lr->lock_count = (uint64_t)(uint32_t)count << 32;
}

static inline int lockref_count_of(uint64_t word)
{
	return (int)(uint32_t)(word >> 32);
}

static inline uint64_t lockref_with_count(uint64_t word, int count)
{
	return (word & 0xffffffffull) | ((uint64_t)(uint32_t)count << 32);
}

static inline void lockref_lock(struct lockref *lr)
{
	raw_ticket_lock(&lr->lock);
}

static inline void lockref_unlock(struct lockref *lr)
{
	raw_ticket_unlock(&lr->lock);
}

/* The count, read under the lock (or as a racy hint without it). */
static inline int lockref_read(struct lockref *lr)
{
	return __atomic_load_n(&lr->count, __ATOMIC_RELAXED);
}

/* Under the lock: a plain store (lockless updaters fail while it is held). */
static inline void __lockref_set(struct lockref *lr, int count)
{
	__atomic_store_n(&lr->count, count, __ATOMIC_RELAXED);
}

/*
 * The lockless attempt: while the lock is free, apply step (a function
 * of the old count returning the new one, or false to give up) with one
 * cmpxchg. Returns 1 done, 0 step refused, -1 lock held or too many
 * races (the caller falls back to the lock).
 */
#define __LOCKREF_TRY(lr, order, old_count, new_count, refuse)		\
({									\
	uint64_t __old = __atomic_load_n(&(lr)->lock_count, __ATOMIC_RELAXED); \
	int __ret = -1;							\
									\
	for (int __i = 0; __i < LOCKREF_RETRIES; __i++) {		\
		int old_count = lockref_count_of(__old);		\
		if (raw_ticket_value_locked((uint32_t)__old))		\
			break;						\
		if (refuse) {						\
			__ret = 0;					\
			break;						\
		}							\
		if (__rmw(__atomic_compare_exchange_n(&(lr)->lock_count, &__old, \
			lockref_with_count(__old, (new_count)), false,	\
			order, __ATOMIC_RELAXED))) {			\
			__ret = 1;					\
			break;						\
		}							\
	}								\
	__ret;								\
})

static inline void lockref_get(struct lockref *lr)
{
	if (__LOCKREF_TRY(lr, __ATOMIC_RELAXED, c, c + 1, false) == 1)
		return;
	lockref_lock(lr);
	__lockref_set(lr, lockref_read(lr) + 1);
	lockref_unlock(lr);
}

/* Take a reference unless the count is zero or negative (dead). */
static inline bool lockref_get_not_zero(struct lockref *lr)
{
	int r = __LOCKREF_TRY(lr, __ATOMIC_RELAXED, c, c + 1, c <= 0);
	bool ok;

	if (r >= 0)
		return r;
	lockref_lock(lr);
	ok = lockref_read(lr) > 0;
	if (ok)
		__lockref_set(lr, lockref_read(lr) + 1);
	lockref_unlock(lr);
	return ok;
}

/* Take a reference unless the object was marked dead. */
static inline bool lockref_get_not_dead(struct lockref *lr)
{
	int r = __LOCKREF_TRY(lr, __ATOMIC_RELAXED, c, c + 1, c < 0);
	bool ok;

	if (r >= 0)
		return r;
	lockref_lock(lr);
	ok = lockref_read(lr) >= 0;
	if (ok)
		__lockref_set(lr, lockref_read(lr) + 1);
	lockref_unlock(lr);
	return ok;
}

/*
 * Drop a reference locklessly and return the new count; -1 if that was
 * not possible (count <= 0, or the lock held): the caller then takes
 * the lock and decides.
 */
static inline int lockref_put_return(struct lockref *lr)
{
	uint64_t old = __atomic_load_n(&lr->lock_count, __ATOMIC_RELAXED);

	for (int i = 0; i < LOCKREF_RETRIES; i++) {
		int c = lockref_count_of(old);

		if (raw_ticket_value_locked((uint32_t)old) || c <= 0)
			return -1;
		/* Acquire-release: see the header comment. */
		if (__rmw(__atomic_compare_exchange_n(&lr->lock_count, &old,
				lockref_with_count(old, c - 1), false,
				__ATOMIC_ACQ_REL, __ATOMIC_RELAXED)))
			return c - 1;
	}
	return -1;
}

/*
 * Drop a reference unless it is the last (count <= 1): then return
 * false with the lock held, so the caller can act on the count reaching
 * zero. true: dropped, lock not held.
 */
static inline bool lockref_put_or_lock(struct lockref *lr)
{
	if (__LOCKREF_TRY(lr, __ATOMIC_ACQ_REL, c, c - 1, c <= 1) == 1)
		return true;
	lockref_lock(lr);
	if (lockref_read(lr) <= 1)
		return false;
	__lockref_set(lr, lockref_read(lr) - 1);
	lockref_unlock(lr);
	return true;
}

/* Lock held: no lockref_get_not_dead() succeeds from now on. */
static inline void lockref_mark_dead(struct lockref *lr)
{
	__lockref_set(lr, LOCKREF_DEAD);
}

#endif
