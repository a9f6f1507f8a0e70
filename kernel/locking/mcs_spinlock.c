// SPDX-License-Identifier: MIT
/*
 * The queued (MCS) spinlock's slow path (the fast path and the lock word
 * are in include/spinlock.h).
 *
 * A waiter appends its per-CPU node at the queue tail, links it behind
 * its predecessor and spins on its own node until the predecessor makes
 * it the head. The head spins on the lock word until the holder clears
 * the locked byte, takes the lock, and passes headship to its successor
 * (or empties the queue if it has none). Only the head ever reads the
 * lock word while waiting, so a release moves one cache line to one CPU.
 *
 * Who writes what: the fast path and the queue-emptying head set the
 * whole word by cmpxchg; enqueuers change only the tail, by cmpxchg; the
 * holder clears, and a head with a successor sets, the locked byte with a
 * plain store: nobody else can change it then (every cmpxchg that sets
 * it expects a word without a tail, and the head's tail is in the word).
 */
#include <spinlock.h>
#include <kernel.h>
#include <percpu.h>

static DEFINE_PER_CPU(struct mcs_node[MCS_NODES], mcs_nodes);

static uint32_t encode_tail(unsigned int cpu, unsigned int idx)
{
	return ((cpu + 1) << 2 | idx) << MCS_TAIL_SHIFT;
}

static struct mcs_node *decode_tail(uint32_t val)
{
	uint32_t tail = val >> MCS_TAIL_SHIFT;

	return &(*per_cpu_ptr(&mcs_nodes, (tail >> 2) - 1))[tail & 3];
}

void raw_mcs_lock_slow(raw_mcs_t *l, uint32_t val)
{
	struct mcs_node *nodes = *this_cpu_ptr(&mcs_nodes);
	unsigned int idx = nodes[0].count++;	/* an interrupt's wait nests */
	struct mcs_node *node = &nodes[idx], *next;
	uint32_t tail = encode_tail(arch_cpu_id(), idx);

	BUG_ON(idx >= MCS_NODES);
	__atomic_store_n(&node->next, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&node->locked, 0, __ATOMIC_RELAXED);

	/* Join the queue, or take the lock if it became free meanwhile. */
	for (;;) {
		if (!val) {
			/* Acquire: pairs with the release in raw_mcs_unlock(). */
			if (try_cmpxchg_acquire(&l->val, &val, MCS_LOCKED))
				goto out;
			continue;
		}
		/* Release: our node's initialisation before anyone can find
		 * it through the tail (the next enqueuer links to it). */
		if (try_cmpxchg_release(&l->val, &val,
					(val & MCS_LOCKED_MASK) | tail))
			break;
	}

	if (val >> MCS_TAIL_SHIFT) {
		struct mcs_node *prev = decode_tail(val);

		/* Release: our node's initialisation before our predecessor
		 * sees it; pairs with its acquire load of ->next below. */
		__atomic_store_n(&prev->next, node, __ATOMIC_RELEASE);
		/* Acquire: pairs with the predecessor's release of ->locked. */
		lock_wait_until(__atomic_load_n(&node->locked, __ATOMIC_ACQUIRE));
	}

	/* Head of the queue: wait for the holder to go. Acquire: pairs
	 * with the release of the locked byte in raw_mcs_unlock(). */
	lock_wait_until(!((val = __atomic_load_n(&l->val, __ATOMIC_ACQUIRE)) &
			  MCS_LOCKED_MASK));

	/* Alone in the queue: take the lock and empty the queue at once. */
	while ((val & ~MCS_LOCKED_MASK) == tail) {
		if (try_cmpxchg_relaxed(&l->val, &val, MCS_LOCKED))
			goto out;
	}

	/* Someone queued behind us: take the lock, then make it the head. */
	__atomic_store_n((uint8_t *)&l->val, MCS_LOCKED, __ATOMIC_RELAXED);
	/* Acquire: pairs with the successor's release store of ->next. */
	while (!(next = __atomic_load_n(&node->next, __ATOMIC_ACQUIRE)))
		cpu_relax();
	/* Release: orders nothing of ours the successor needs beyond the
	 * hand-off itself; it will acquire the lock word on its own. */
	__atomic_store_n(&next->locked, 1, __ATOMIC_RELEASE);
	arch_send_event();
out:
	nodes[0].count--;
}
