/* SPDX-License-Identifier: MIT */
/*
 * struct completion: wait until another CPU says something happened.
 * Linux names and semantics.
 *
 * done counts complete() calls not yet consumed by a waiter;
 * complete_all() sets it to COMPLETION_ALL, which no waiter consumes, so
 * every present and future waiter passes until reinit_completion().
 *
 * There is no scheduler: wait_for_completion() spins (with the
 * architecture's wait-for-event hint; complete() sends the event). It
 * calls might_sleep(), so it must not be called with interrupts disabled
 * or inside an RCU read-side section. complete() and complete_all() may
 * be called from any context, interrupt handlers included.
 *
 * Ordering: complete() is a release and a waiter's return an acquire:
 * whatever the completing CPU wrote before complete() is visible to the
 * waiter after wait_for_completion() returns.
 */
#ifndef QUIESCE_COMPLETION_H
#define QUIESCE_COMPLETION_H

#include <compiler.h>
#include <arch.h>
#include <atomic.h>
#include <kernel.h>

#define COMPLETION_ALL	0xffffffffu

struct completion {
	unsigned int done;	/* updated only by RMW; COMPLETION_ALL sticks */
};

#define COMPLETION_INITIALIZER(work)	{ .done = 0 }
#define DECLARE_COMPLETION(work)	struct completion work = COMPLETION_INITIALIZER(work)

static inline void init_completion(struct completion *x)
{
	WRITE_ONCE(x->done, 0);
}

/* Reuse a completion; no waiter may be waiting on it. */
static inline void reinit_completion(struct completion *x)
{
	WRITE_ONCE(x->done, 0);
}

/* Let one waiter (present or future) pass. Any context. */
static inline void complete(struct completion *x)
{
	unsigned int old = __atomic_load_n(&x->done, __ATOMIC_RELAXED);

	/* Release: the caller's earlier writes before the count; pairs
	 * with the acquire in try_wait_for_completion(). Saturates one
	 * below COMPLETION_ALL, and leaves COMPLETION_ALL alone. */
	do {
		if (old >= COMPLETION_ALL - 1)
			break;
	} while (!try_cmpxchg_release(&x->done, &old, old + 1));
	arch_send_event();
}

/* Let every waiter, present and future, pass. Any context. */
static inline void complete_all(struct completion *x)
{
	/* Release: as in complete(). */
	xchg_release(&x->done, COMPLETION_ALL);
	arch_send_event();
}

/* Consume one complete() if there is one; never waits. Any context. */
static inline bool try_wait_for_completion(struct completion *x)
{
	/* Acquire loads and RMW: pair with the release in complete(). */
	unsigned int old = __atomic_load_n(&x->done, __ATOMIC_ACQUIRE);

	do {
		if (!old)
			return false;
		if (old == COMPLETION_ALL)
			return true;
	} while (!try_cmpxchg_acquire(&x->done, &old, old - 1));
	return true;
}

/* True if a waiter would pass now (without consuming anything). */
static inline bool completion_done(struct completion *x)
{
	return __atomic_load_n(&x->done, __ATOMIC_ACQUIRE) != 0;
}

/*
 * Wait until complete() or complete_all() was called, consuming one
 * complete(). Spins; thread context with interrupts enabled.
 */
static inline void wait_for_completion(struct completion *x)
{
	might_sleep();
	while (!try_wait_for_completion(x)) {
		/* Wait without writing the line until something changed. */
		while (!__atomic_load_n(&x->done, __ATOMIC_RELAXED))
			arch_wait_event();
	}
}

#endif
