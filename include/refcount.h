/* SPDX-License-Identifier: MIT */
/*
 * refcount_t: a reference count that cannot wrap. Linux names and
 * semantics.
 *
 * Saturation: any operation that would take the count past INT_MAX, or
 * below zero, or an increment from zero (a use after free), leaves the
 * count at REFCOUNT_SATURATED instead, reports once per kind with a
 * warning and a backtrace, and from then on the object is leaked, never
 * freed early: a saturated count stays saturated (increments and
 * decrements leave it in the saturated range, dec_and_test never returns
 * true). REFCOUNT_SATURATED is INT_MIN / 2 (0xc0000000 as unsigned): far
 * from both INT_MAX and zero, so racing CPUs that each move it a little
 * after it saturated cannot bring it back to a valid value.
 *
 * Ordering (as in Linux):
 *  - refcount_set/refcount_read: plain untorn accesses.
 *  - refcount_inc, refcount_add, refcount_inc_not_zero: unordered; the
 *    caller already holds a reference (or a lock/RCU keeps the object
 *    alive), so nothing needs ordering against the increment.
 *  - refcount_dec_and_test, refcount_sub_and_test, refcount_dec_and_lock:
 *    release on the decrement (every access this CPU made to the object
 *    happens before the count drops), and acquire when it returns true
 *    (the freeing CPU sees every other CPU's accesses: pairs with their
 *    releases). Implemented as one acquire-release RMW.
 *  - refcount_dec, refcount_dec_not_one: release.
 *
 * Any context; nothing here waits, except refcount_dec_and_lock, which
 * may spin on the lock.
 */
#ifndef QUIESCE_REFCOUNT_H
#define QUIESCE_REFCOUNT_H

#include <compiler.h>
#include <atomic.h>
#include <spinlock.h>

typedef struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n) }
#define REFCOUNT_MAX		0x7fffffff
#define REFCOUNT_SATURATED	((int)0xc0000000)

/* What went wrong, for the one-time report. */
enum refcount_saturation_type {
	REFCOUNT_ADD_OVF,	/* increment past REFCOUNT_MAX */
	REFCOUNT_ADD_UAF,	/* increment from 0 */
	REFCOUNT_SUB_UAF,	/* decrement below 0 */
	REFCOUNT_DEC_LEAK,	/* refcount_dec() to 0: the object leaks */
	REFCOUNT_NR_TYPES,
};

/*
 * Sets the count to REFCOUNT_SATURATED and warns (once per type).
 * refcount_saturations counts every call, for the tests.
 */
void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t);
extern atomic_t refcount_saturations;

/* old + i with wrap-around (no signed overflow), to detect overflow. */
static inline int __refcount_add(int old, int i)
{
	return (int)((unsigned int)old + (unsigned int)i);
}

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

/* A relaxed atomic load (not atomic_read()): ThreadSanitizer sees it as
 * the atomic access it is, racing with the RMWs by design. */
static inline int __refcount_load(const refcount_t *r)
{
	return __atomic_load_n(&r->refs.counter, __ATOMIC_RELAXED);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)__refcount_load(r);
}

static inline void refcount_add(int i, refcount_t *r)
{
	int old = atomic_fetch_add_relaxed(i, &r->refs);

	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || __refcount_add(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

static inline void refcount_inc(refcount_t *r)
{
	refcount_add(1, r);
}

/*
 * Add i unless the count is 0; returns false (and adds nothing) on 0.
 * The usual way to take a reference to an object found under RCU.
 */
static inline bool refcount_add_not_zero(int i, refcount_t *r)
{
	int old = __refcount_load(r);

	do {
		if (!old)
			return false;
		/* Saturated: stay there, but the object is alive. */
		if (old < 0)
			return true;
	} while (!atomic_try_cmpxchg_relaxed(&r->refs, &old, __refcount_add(old, i)));
	if (unlikely(__refcount_add(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
	return true;
}

static inline bool refcount_inc_not_zero(refcount_t *r)
{
	return refcount_add_not_zero(1, r);
}

/*
 * Subtract i; true if the count reached 0, i.e. the caller dropped the
 * last reference and must free the object.
 */
static inline bool refcount_sub_and_test(int i, refcount_t *r)
{
	/* Release: our accesses to the object before the drop; acquire:
	 * the freeing path after it (pairs with the other droppers'
	 * releases). */
	int old = __rmw(__atomic_fetch_sub(&r->refs.counter, i,
					   __ATOMIC_ACQ_REL));

	if (old == i)
		return true;
	if (unlikely(old < 0 || __refcount_add(old, -i) < 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	return refcount_sub_and_test(1, r);
}

/* Drop a reference that is known not to be the last one. */
static inline void refcount_dec(refcount_t *r)
{
	/* Release: pairs with the acquire in the final dec_and_test. */
	int old = atomic_fetch_sub_release(1, &r->refs);

	if (unlikely(old <= 1))
		refcount_warn_saturate(r, old == 1 ? REFCOUNT_DEC_LEAK
						   : REFCOUNT_SUB_UAF);
}

/* Decrement unless the count is 1; false if it was 1 (nothing done). */
static inline bool refcount_dec_not_one(refcount_t *r)
{
	int old = __refcount_load(r);

	do {
		if (unlikely(old < 0))
			return true;	/* saturated: stays saturated */
		if (old == 1)
			return false;
		if (unlikely(!old)) {
			refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
			return true;
		}
		/* Release: pairs with the acquire in the final drop. */
	} while (!atomic_try_cmpxchg_release(&r->refs, &old, old - 1));
	return true;
}

/*
 * Drop a reference; if it was the last, return true with lock held (so
 * the caller can unlink the object from a structure lock guards before
 * freeing it). Otherwise return false without the lock. May spin.
 */
static inline bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	spin_lock(lock);
	if (!refcount_dec_and_test(r)) {
		spin_unlock(lock);
		return false;
	}
	return true;
}

#endif
