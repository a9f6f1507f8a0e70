/* SPDX-License-Identifier: MIT */
/*
 * The race build (BUILD=races, RACES=1, CONFIG_RACES): a data-race
 * detector in the manner of Linux's KCSAN, on the coherence build's
 * instrumentation (GCC's -fsanitize=thread calling kernel/tsan.c).
 *
 * A data race: two accesses to the same bytes from two CPUs at the same
 * time, at least one a write and at least one plain (neither an atomic of
 * include/atomic.h nor READ_ONCE/WRITE_ONCE, smp_load_acquire,
 * rcu_dereference...). kernel/races.c finds them with watchpoints: it
 * samples 1 plain access in races_sample=, watches its bytes for
 * races_delay_us= with interrupts off, and any access from another CPU
 * that meets the watchpoint and conflicts with it is reported with both
 * sides; a value that changed across the delay with no such access seen
 * is reported with an unknown origin (a write by code that is not
 * instrumented, or one that fell between two samples of the watch).
 *
 * Reports are kept in a table, each unique pair of sites once per run,
 * and printed (RACE lines, docs/console.md) by races_flush(), which the
 * RESULT and TORTURE printers call: their races=N is the number of new
 * races since the previous flush, and races>0 fails the check unless the
 * mode exists to show a bug. Other builds: races_flush() returns 0,
 * RACES_ENABLED is 0 and RESULT lines say races=-.
 */
#ifndef QUIESCE_RACES_H
#define QUIESCE_RACES_H

#include <compiler.h>

/*
 * What a barrier orders, for races_barrier() (the weak-memory model):
 * earlier loads before later accesses, earlier stores before later
 * stores, and (a full barrier only: smp_mb(), a fully ordered RMW)
 * earlier stores before later loads.
 */
#define RACES_ORDER_LOADS	1u
#define RACES_ORDER_STORES	2u
#define RACES_ORDER_STORE_LOAD	4u
#define RACES_ORDER_ALL		(RACES_ORDER_LOADS | RACES_ORDER_STORES | RACES_ORDER_STORE_LOAD)

#ifdef CONFIG_RACES
#define RACES_ENABLED	1

/* Boot CPU, every CPU up: read the races_* keys and start watching. */
void races_start(void);

/* Print the races found since the last call (RACE lines); how many. */
unsigned long races_flush(void);

/* Accesses watched since races_start(), and the races found (*races). */
unsigned long races_watched(unsigned long *races);

/*
 * Whether a race was recorded and not yet flushed (printed by
 * races_flush()) whose two sites lie in the functions named a and b (either way round; b NULL: an unknown origin
 * with a watched access in a). For the detector's self-test.
 */
bool races_seen(const char *a, const char *b);

/*
 * The sample rate: 1 watched access in n (0: the races_sample= key's);
 * returns the rate it replaces. For the self-test, which watches more.
 */
unsigned long races_set_sample(unsigned long n);

/*
 * A barrier on the calling CPU (smp_mb(), smp_rmb(), smp_wmb() of
 * include/atomic.h; kernel/tsan.c reports release and fully ordered
 * atomics itself): with races_weak=1, a plain access the model let
 * appear later than program order is performed here, if the barrier
 * orders its kind (kernel/races.c).
 */
void races_barrier(unsigned int orders);

/* Turn the weak-memory model on or off (for its self-test); the old setting. */
bool races_set_weak(bool on);

/* data_race()'s brackets: the calling CPU's accesses are not checked. */
void races_disable(void);
void races_enable(void);

/* ASSERT_EXCLUSIVE_WRITER/ACCESS and ASSERT_STORE_ORDERED (below). */
void races_assert_exclusive(const volatile void *p, size_t size, bool access);
void races_assert_ordered(const volatile void *p);
void races_assert_begin(const volatile void *p, size_t size, bool access, bool zero);
void races_assert_end(const volatile void *p);

/* Assertions checked since races_start(): exclusive ones, ordered ones. */
void races_asserted(unsigned long *exclusive, unsigned long *ordered);

#else
#define RACES_ENABLED	0

static inline void races_start(void) { }
static inline unsigned long races_flush(void) { return 0; }
static inline unsigned long races_watched(unsigned long *races) { *races = 0; return 0; }
static inline bool races_seen(const char *a, const char *b) { return false; }
static inline unsigned long races_set_sample(unsigned long n) { return 0; }
static inline void races_barrier(unsigned int orders) { }
static inline bool races_set_weak(bool on) { return false; }
static inline void races_disable(void) { }
static inline void races_enable(void) { }
static inline void races_assert_exclusive(const volatile void *p, size_t size, bool access) { }
static inline void races_assert_ordered(const volatile void *p) { }
static inline void races_assert_begin(const volatile void *p, size_t size, bool access,
				      bool zero) { }
static inline void races_assert_end(const volatile void *p) { }
static inline void races_asserted(unsigned long *exclusive, unsigned long *ordered)
{ *exclusive = *ordered = 0; }
#endif

/*
 * Assertions, in the manner of KCSAN's: where the correct code's
 * invariant says "nobody else touches this now", which plain watchpoints
 * cannot check when the other side's accesses are marked (a reference
 * taken with an atomic on an object whose count already reached zero, a
 * remote xchg on a pointer only its owner may write). Each call is
 * watched (not sampled; they belong on slow paths: a count's last drop,
 * a free, a single writer's update) for races_assert_us= (default 100) with the
 * watchpoints of kernel/races.c, and any access of another CPU that
 * meets the watch and the assertion forbids, marked or not, is a race
 * reported with both sites (access=assert-writer or assert-access on the
 * asserting side); a value changed across the watch is one with an
 * unknown origin. No-ops outside the race build.
 *
 * ASSERT_EXCLUSIVE_WRITER(var): no other CPU writes var now (reads are
 * fine: refcount_inc_not_zero() may look at a zero count).
 * ASSERT_EXCLUSIVE_ACCESS(var): no other CPU reads or writes var now
 * (memory whose last reference is gone).
 */
/* &var, refused at compile time when a watch cannot cover it. */
#define __races_watchable(var) ({						\
	_Static_assert(sizeof(var) <= 8, "a watch covers up to 8 bytes");	\
	&(var);									\
})
#define ASSERT_EXCLUSIVE_WRITER(var)						\
	races_assert_exclusive(__races_watchable(var), sizeof(var), false)
#define ASSERT_EXCLUSIVE_ACCESS(var)						\
	races_assert_exclusive(__races_watchable(var), sizeof(var), true)

/*
 * Held assertions: ASSERT_EXCLUSIVE_WRITER_BEGIN(var) and
 * ASSERT_EXCLUSIVE_ACCESS_BEGIN(var) hold from the call until
 * ASSERT_EXCLUSIVE_END(var), which any CPU may make later (from a
 * count's last drop to the free after the grace period). Meanwhile every
 * access that conflicts, by any CPU (the asserting one's too), is
 * reported at once with both sites: no timing involved. The END must
 * come before the memory is reused; a BEGIN that finds its slot in use
 * (kernel/races.c) is dropped. The END also compares var with what it
 * held at the BEGIN (a change nobody was seen making: an unknown origin).
 * ASSERT_EXCLUSIVE_WRITER_BEGIN_ZERO(var): the same, where the caller
 * knows var is zero (a count its decrement took to 0): a nonzero var at
 * the BEGIN or at the END is reported too, so a write that came just
 * before the BEGIN is not missed.
 */
#define ASSERT_EXCLUSIVE_WRITER_BEGIN(var)					\
	races_assert_begin(__races_watchable(var), sizeof(var), false, false)
#define ASSERT_EXCLUSIVE_ACCESS_BEGIN(var)					\
	races_assert_begin(__races_watchable(var), sizeof(var), true, false)
#define ASSERT_EXCLUSIVE_WRITER_BEGIN_ZERO(var)					\
	races_assert_begin(__races_watchable(var), sizeof(var), false, true)
#define ASSERT_EXCLUSIVE_END(var)	races_assert_end(&(var))

/*
 * ASSERT_STORE_ORDERED(var): the calling CPU's last store to var is
 * visible to every CPU before any later load of this CPU: a full barrier
 * (smp_mb(), a fully ordered RMW) separates them. The place for it is
 * the load side of a store-buffering pairing ("the new sequence precedes
 * every bit set below"), where a release or an acquire would not be
 * enough. The race build keeps, per CPU, the stores not yet followed by
 * a full barrier (kernel/races.c); one to var there is reported as a
 * race between the store's site (access=unordered-store) and the
 * assertion's (access=assert-ordered). Checked on every call, whatever
 * the timing: a dropped barrier fails the first run that passes by.
 */
#define ASSERT_STORE_ORDERED(var)	races_assert_ordered(&(var))

/*
 * data_race(expr): expr's accesses race on purpose, and the detector
 * ignores them (they neither set nor meet a watchpoint). Each use says
 * in a comment why the race is harmless (a statistic read while it
 * moves, a hint that is rechecked under a lock...). Not a marked access:
 * the compiler may still tear, merge or repeat it; where that matters,
 * READ_ONCE/WRITE_ONCE is the tool. While expr runs, an interrupt on the
 * same CPU is not checked either.
 */
#ifdef CONFIG_RACES
#define data_race(expr) ({						\
	races_disable();						\
	__typeof__(expr) __data_race_v = (expr);			\
	races_enable();							\
	__data_race_v;							\
})
#else
#define data_race(expr)	(expr)
#endif

#endif
