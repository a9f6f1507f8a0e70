/* SPDX-License-Identifier: MIT */
/*
 * spinlock_t: a fair ticket lock. Holders must not wait for anything that
 * needs another CPU to take the same lock; an interrupt handler that takes
 * a lock requires every other taker to use the _irqsave/_irq forms.
 *
 * Ordering: spin_lock() is an acquire, spin_unlock() a release; they pair,
 * so a holder sees every write the previous holder made under the lock.
 */
#ifndef QUIESCE_SPINLOCK_H
#define QUIESCE_SPINLOCK_H

#include <compiler.h>
#include <arch.h>
#include <atomic.h>

typedef struct {
	/* next (high 16 bits): the ticket the next arrival takes;
	 * owner (low 16 bits): the ticket now being served. */
	uint32_t val;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define spin_lock_init(l)	((l)->val = 0)

static inline void spin_lock(spinlock_t *l)
{
	/* The acquire pairs with the release in spin_unlock(). */
	uint32_t old = __rmw(__atomic_fetch_add(&l->val, 1u << 16, __ATOMIC_ACQUIRE));
	uint16_t ticket = (uint16_t)(old >> 16);

	while ((uint16_t)__atomic_load_n(&l->val, __ATOMIC_ACQUIRE) != ticket)
		arch_wait_event();
}

static inline bool spin_trylock(spinlock_t *l)
{
	uint32_t old = __atomic_load_n(&l->val, __ATOMIC_RELAXED);

	if ((uint16_t)(old >> 16) != (uint16_t)old)
		return false;
	return try_cmpxchg_acquire(&l->val, &old, old + (1u << 16));
}

static inline void spin_unlock(spinlock_t *l)
{
	/* Only the holder writes the owner half: a release store of owner+1. */
	uint16_t *owner = (uint16_t *)&l->val;	/* little-endian: low half */

	__atomic_store_n(owner, (uint16_t)(*owner + 1), __ATOMIC_RELEASE);
	arch_send_event();
}

static inline bool spin_is_locked(spinlock_t *l)
{
	uint32_t v = READ_ONCE(l->val);

	return (uint16_t)(v >> 16) != (uint16_t)v;
}

#define spin_lock_irqsave(l, flags)				\
	do { (flags) = arch_irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags)			\
	do { spin_unlock(l); arch_irq_restore(flags); } while (0)
#define spin_lock_irq(l)	do { arch_irq_disable(); spin_lock(l); } while (0)
#define spin_unlock_irq(l)	do { spin_unlock(l); arch_irq_enable(); } while (0)

#endif
