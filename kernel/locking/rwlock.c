// SPDX-License-Identifier: MIT
/*
 * The slow paths of the writer-fair rwlock (include/rwlock.h), shared by
 * rwlock_t and struct rw_semaphore.
 *
 * Waiters of both kinds line up on wait_lock, a FIFO ticket lock. A
 * writer at its head announces itself with RW_WWAITING, which sends every
 * newly arriving reader to the slow path (behind it in the line), waits
 * for the readers inside to leave, and takes the lock. A reader at the
 * head of the line only waits for the writer byte to clear: RW_WWAITING
 * cannot be set by a writer behind it (that writer is still in line), so
 * it is ignored. Either way the line moves on as soon as the head is in.
 */
#include <rwlock.h>

void raw_read_lock_slow(raw_rwlock_t *l)
{
	/* Step back out; the fast path's count would hold off the writer
	 * we are about to queue behind. */
	__rmw(__atomic_fetch_sub(&l->cnts, RW_READER, __ATOMIC_RELAXED));
	raw_ticket_lock(&l->wait_lock);
	/* Acquire: pairs with the release in raw_write_unlock() when the
	 * writer byte is already clear. */
	__rmw(__atomic_fetch_add(&l->cnts, RW_READER, __ATOMIC_ACQUIRE));
	/* Acquire: pairs with the release of the writer byte. */
	lock_wait_until(!(__atomic_load_n(&l->cnts, __ATOMIC_ACQUIRE) & RW_WLOCKED));
	raw_ticket_unlock(&l->wait_lock);
}

void raw_write_lock_slow(raw_rwlock_t *l)
{
	uint32_t c;

	raw_ticket_lock(&l->wait_lock);
	__rmw(__atomic_fetch_or(&l->cnts, RW_WWAITING, __ATOMIC_RELAXED));
	for (;;) {
		/* Acquire: pairs with the releases of the last reader's or
		 * writer's unlock. */
		c = __atomic_load_n(&l->cnts, __ATOMIC_ACQUIRE);
		if (c == RW_WWAITING &&
		    try_cmpxchg_acquire(&l->cnts, &c, RW_WLOCKED))
			break;
		lock_wait_until(__atomic_load_n(&l->cnts, __ATOMIC_RELAXED) == RW_WWAITING);
	}
	raw_ticket_unlock(&l->wait_lock);
}
