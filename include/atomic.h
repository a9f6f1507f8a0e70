/* SPDX-License-Identifier: MIT */
/*
 * Atomics and barriers with Linux's names and ordering rules:
 *
 *  - atomic_read/atomic_set are untorn relaxed accesses (no ordering; a
 *    relaxed atomic rather than a volatile access so that ThreadSanitizer
 *    in the host build sees them as atomics);
 *  - RMW operations that return nothing (atomic_inc, atomic_add, ...)
 *    and the _relaxed variants are unordered;
 *  - _acquire / _release variants order like smp_load_acquire /
 *    smp_store_release;
 *  - RMW operations that return a value (atomic_inc_return, cmpxchg,
 *    xchg, atomic_dec_and_test, ...) are fully ordered: as if smp_mb()
 *    stood on both sides.
 *
 * The stats build (CONFIG_ATOMIC_STATS) counts every RMW operation and
 * every full barrier on the calling CPU, with a plain per-CPU increment;
 * atomic_stats_read() sums them, so any region of code can report
 * atomics_per_op. With the option off the counters compile away.
 */
#ifndef QUIESCE_ATOMIC_H
#define QUIESCE_ATOMIC_H

#include <compiler.h>
#include <percpu.h>
#include <races.h>

#ifdef CONFIG_ATOMIC_STATS
struct atomic_stats {
	unsigned long rmw;	/* read-modify-write operations */
	unsigned long mb;	/* full barriers outside RMW operations */
	unsigned long irq;	/* both, done by interrupt handlers */
	unsigned long rmw0, mb0;	/* rmw and mb when the handler began */
};
DECLARE_PER_CPU(struct atomic_stats, atomic_stats);
#define __atomic_stat(field)	(this_cpu_ptr(&atomic_stats)->field++)
#define ATOMIC_STATS_ENABLED	1
#else
#define __atomic_stat(field)	do { } while (0)
#define ATOMIC_STATS_ENABLED	0	/* atomics_per_op prints "-" */
#endif

/*
 * RMW operations plus full barriers counted on cpu so far, in the code
 * the CPU runs (thread context and exceptions it takes, such as a uprobe
 * breakpoint), not in interrupt handlers: a read path's atomics_per_op
 * should not depend on what the tick and IPIs happened to do meanwhile.
 */
unsigned long atomic_stats_read(unsigned int cpu);

/* Bracket an interrupt handler (interrupts off): what it counts moves to irq. */
void atomic_stats_irq_enter(void);
void atomic_stats_irq_exit(void);

/*
 * The barriers tell the race build's weak-memory model (include/races.h,
 * races_barrier()) what they order; a no-op in every other build.
 */
#define smp_mb()	do { __atomic_stat(mb); races_barrier(RACES_ORDER_ALL); __smp_mb(); } while (0)
#define smp_rmb()	do { races_barrier(RACES_ORDER_LOADS); __smp_rmb(); } while (0)
#define smp_wmb()	do { races_barrier(RACES_ORDER_STORES); __smp_wmb(); } while (0)
/* Upgrade the preceding/following unordered RMW to a full barrier. */
#define smp_mb__before_atomic()	do { races_barrier(RACES_ORDER_ALL); __smp_mb(); } while (0)
#define smp_mb__after_atomic()	do { races_barrier(RACES_ORDER_ALL); __smp_mb(); } while (0)

/*
 * smp_load_acquire: no later access is reordered before the load.
 * smp_store_release: no earlier access is reordered after the store.
 * They pair with each other: a reader that acquires a value written by
 * a release sees everything the writer did before the release.
 */
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

/*
 * Fully ordered RMW: the builtin with SEQ_CST gives acquire+release on the
 * access itself; __smp_mb_after_rmw() (a DMB on ARM, nothing on x86 where
 * a locked instruction is already a full barrier) stops later plain
 * accesses from passing it, as Linux's value-returning atomics guarantee.
 */
#define __rmw_full(expr) ({					\
	__atomic_stat(rmw);					\
	__typeof__(expr) __r = (expr);				\
	__smp_mb_after_rmw();					\
	__r;							\
})
#define __rmw(expr) ({ __atomic_stat(rmw); (expr); })

#define xchg(p, v)	__rmw_full(__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST))
#define xchg_relaxed(p, v) __rmw(__atomic_exchange_n((p), (v), __ATOMIC_RELAXED))
#define xchg_release(p, v) __rmw(__atomic_exchange_n((p), (v), __ATOMIC_RELEASE))
#define xchg_acquire(p, v) __rmw(__atomic_exchange_n((p), (v), __ATOMIC_ACQUIRE))

/*
 * try_cmpxchg(p, &old, new): if *p == old store new and return true, else
 * load *p into old and return false.
 */
#define try_cmpxchg(p, oldp, n) __rmw_full(__atomic_compare_exchange_n(	\
	(p), (oldp), (n), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
#define try_cmpxchg_relaxed(p, oldp, n) __rmw(__atomic_compare_exchange_n( \
	(p), (oldp), (n), false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
#define try_cmpxchg_acquire(p, oldp, n) __rmw(__atomic_compare_exchange_n( \
	(p), (oldp), (n), false, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
#define try_cmpxchg_release(p, oldp, n) __rmw(__atomic_compare_exchange_n( \
	(p), (oldp), (n), false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))

/* cmpxchg(p, old, new): returns the value found; stored iff it was old. */
#define __cmpxchg_variant(tryfn, p, o, n) ({				\
	__typeof__(*(p)) __old = (o);					\
	tryfn((p), &__old, (n));					\
	__old;								\
})
#define cmpxchg(p, o, n)	 __cmpxchg_variant(try_cmpxchg, p, o, n)
#define cmpxchg_relaxed(p, o, n) __cmpxchg_variant(try_cmpxchg_relaxed, p, o, n)
#define cmpxchg_acquire(p, o, n) __cmpxchg_variant(try_cmpxchg_acquire, p, o, n)
#define cmpxchg_release(p, o, n) __cmpxchg_variant(try_cmpxchg_release, p, o, n)

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { int64_t counter; } atomic64_t;

#define ATOMIC_INIT(i)	{ (i) }

/* One set of operations for each of atomic_t, atomic_long_t, atomic64_t. */
#define __ATOMIC_OPS(pfx, T, I)						\
static inline I pfx##_read(const T *v)					\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline void pfx##_set(T *v, I i)					\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline I pfx##_read_acquire(const T *v)				\
{ return smp_load_acquire(&v->counter); }				\
static inline void pfx##_set_release(T *v, I i)			\
{ smp_store_release(&v->counter, i); }					\
static inline void pfx##_add(I i, T *v)					\
{ __rmw(__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED)); }	\
static inline void pfx##_sub(I i, T *v)					\
{ __rmw(__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED)); }	\
static inline void pfx##_inc(T *v) { pfx##_add(1, v); }			\
static inline void pfx##_dec(T *v) { pfx##_sub(1, v); }			\
static inline void pfx##_or(I i, T *v)					\
{ __rmw(__atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED)); }	\
static inline void pfx##_and(I i, T *v)					\
{ __rmw(__atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED)); }	\
static inline I pfx##_fetch_add_relaxed(I i, T *v)			\
{ return __rmw(__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED)); }	\
static inline I pfx##_fetch_add_acquire(I i, T *v)			\
{ return __rmw(__atomic_fetch_add(&v->counter, i, __ATOMIC_ACQUIRE)); }	\
static inline I pfx##_fetch_add_release(I i, T *v)			\
{ return __rmw(__atomic_fetch_add(&v->counter, i, __ATOMIC_RELEASE)); }	\
static inline I pfx##_fetch_add(I i, T *v)				\
{ return __rmw_full(__atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST)); } \
static inline I pfx##_fetch_sub(I i, T *v)				\
{ return __rmw_full(__atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST)); } \
static inline I pfx##_fetch_sub_release(I i, T *v)			\
{ return __rmw(__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELEASE)); }	\
static inline I pfx##_fetch_or(I i, T *v)				\
{ return __rmw_full(__atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST)); } \
static inline I pfx##_fetch_andnot(I i, T *v)				\
{ return __rmw_full(__atomic_fetch_and(&v->counter, ~i, __ATOMIC_SEQ_CST)); } \
static inline I pfx##_add_return(I i, T *v) { return pfx##_fetch_add(i, v) + i; } \
static inline I pfx##_sub_return(I i, T *v) { return pfx##_fetch_sub(i, v) - i; } \
static inline I pfx##_inc_return(T *v) { return pfx##_add_return(1, v); }	\
static inline I pfx##_dec_return(T *v) { return pfx##_sub_return(1, v); }	\
static inline bool pfx##_dec_and_test(T *v) { return pfx##_dec_return(v) == 0; } \
static inline bool pfx##_inc_and_test(T *v) { return pfx##_inc_return(v) == 0; } \
static inline I pfx##_xchg(T *v, I i) { return xchg(&v->counter, i); }	\
static inline I pfx##_cmpxchg(T *v, I o, I n) { return cmpxchg(&v->counter, o, n); } \
static inline bool pfx##_try_cmpxchg(T *v, I *o, I n)			\
{ return try_cmpxchg(&v->counter, o, n); }				\
static inline bool pfx##_try_cmpxchg_relaxed(T *v, I *o, I n)		\
{ return try_cmpxchg_relaxed(&v->counter, o, n); }			\
static inline bool pfx##_try_cmpxchg_acquire(T *v, I *o, I n)		\
{ return try_cmpxchg_acquire(&v->counter, o, n); }			\
static inline bool pfx##_try_cmpxchg_release(T *v, I *o, I n)		\
{ return try_cmpxchg_release(&v->counter, o, n); }

__ATOMIC_OPS(atomic, atomic_t, int)
__ATOMIC_OPS(atomic_long, atomic_long_t, long)
__ATOMIC_OPS(atomic64, atomic64_t, int64_t)

#endif
