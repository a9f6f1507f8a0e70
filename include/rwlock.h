/* SPDX-License-Identifier: MIT */
/*
 * rwlock_t: many readers or one writer, spinning. Writer-fair: once a
 * writer waits, new readers queue behind it, so a stream of readers
 * cannot starve a writer; waiters of both kinds are served in order
 * through a ticket lock.
 *
 *	read_lock(l), read_trylock(l), read_unlock(l)
 *	write_lock(l), write_trylock(l), write_unlock(l)
 *	read_lock_irqsave(l, flags), read_unlock_irqrestore(l, flags),
 *	read_lock_irq(l), read_unlock_irq(l), and the same for write_
 *
 * Because new readers wait behind a waiting writer, a CPU that already
 * holds the lock for reading must not read_lock() it again (lockdep
 * reports it as recursion). Context rules as for spinlock_t.
 *
 * Ordering: read_lock and write_lock are acquires, the unlocks releases;
 * a reader sees every write of the writers before it, a writer every
 * access of the readers and writers before it.
 *
 * atomics_per_op (uncontended): read_lock+read_unlock 2 RMW, write_lock
 * +write_unlock 1 RMW (write_unlock is a plain release store).
 *
 * raw_rwlock_t is the algorithm alone (no debug checks), shared with
 * struct rw_semaphore.
 */
#ifndef QUIESCE_RWLOCK_H
#define QUIESCE_RWLOCK_H

#include <compiler.h>
#include <arch.h>
#include <atomic.h>
#include <lockdep.h>
#include <spinlock.h>

/*
 * cnts: bits 0-7 the writer byte (RW_WLOCKED while a writer holds it),
 * bit 8 RW_WWAITING (a writer waits: new readers take the slow path),
 * bits 9-31 the number of readers inside or arriving.
 */
typedef struct {
	uint32_t cnts;
	raw_ticket_t wait_lock;	/* orders the waiters of both kinds */
} raw_rwlock_t;

#define RW_WLOCKED	0xffu
#define RW_WWAITING	0x100u
#define RW_WMASK	(RW_WLOCKED | RW_WWAITING)
#define RW_READER	0x200u

#define RAW_RWLOCK_UNLOCKED	{ 0, RAW_TICKET_UNLOCKED }

void raw_read_lock_slow(raw_rwlock_t *l);
void raw_write_lock_slow(raw_rwlock_t *l);

static inline void raw_rwlock_init(raw_rwlock_t *l)
{
	l->cnts = 0;
	raw_ticket_init(&l->wait_lock);
}

static inline bool raw_rwlock_is_locked(raw_rwlock_t *l)
{
	return __atomic_load_n(&l->cnts, __ATOMIC_RELAXED) != 0;
}

static inline bool raw_read_trylock(raw_rwlock_t *l)
{
	uint32_t c = __atomic_load_n(&l->cnts, __ATOMIC_RELAXED);

	while (!(c & RW_WMASK))
		/* Acquire: pairs with the release in raw_write_unlock(). */
		if (try_cmpxchg_acquire(&l->cnts, &c, c + RW_READER))
			return true;
	return false;
}

static inline void raw_read_lock(raw_rwlock_t *l)
{
	/* Acquire: pairs with the release in raw_write_unlock(). */
	uint32_t c = __rmw(__atomic_fetch_add(&l->cnts, RW_READER, __ATOMIC_ACQUIRE));

	if (likely(!(c & RW_WMASK)))
		return;
	raw_read_lock_slow(l);
}

static inline void raw_read_unlock(raw_rwlock_t *l)
{
	/* Release: the read side before a writer can see the count drop;
	 * pairs with the writer's acquire in raw_write_lock_slow(). */
	uint32_t c = __rmw(__atomic_fetch_sub(&l->cnts, RW_READER, __ATOMIC_RELEASE));

	if (c & RW_WWAITING)
		arch_send_event();	/* the waiting writer watches cnts */
}

static inline bool raw_write_trylock(raw_rwlock_t *l)
{
	uint32_t c = __atomic_load_n(&l->cnts, __ATOMIC_RELAXED);

	/* Acquire: pairs with the releases of both unlocks. */
	return !c && try_cmpxchg_acquire(&l->cnts, &c, RW_WLOCKED);
}

static inline void raw_write_lock(raw_rwlock_t *l)
{
	uint32_t c = 0;

	/* Acquire: pairs with the releases of both unlocks. */
	if (likely(try_cmpxchg_acquire(&l->cnts, &c, RW_WLOCKED)))
		return;
	raw_write_lock_slow(l);
}

static inline void raw_write_unlock(raw_rwlock_t *l)
{
	/* Release: the write side before the next reader or writer gets
	 * in. Only the holder writes the writer byte. */
	__atomic_store_n((uint8_t *)&l->cnts, 0, __ATOMIC_RELEASE);
	if (__atomic_load_n(&l->cnts, __ATOMIC_RELAXED))
		arch_send_event();	/* readers or a writer arrived */
}

/* Turn a write hold into a read hold without letting a writer in. */
static inline void raw_downgrade_write(raw_rwlock_t *l)
{
	/* Release: the write side before other readers get in. One add:
	 * counts us as a reader and clears the writer byte at once. */
	__rmw(__atomic_fetch_add(&l->cnts, RW_READER - RW_WLOCKED, __ATOMIC_RELEASE));
	arch_send_event();
}

/* ---- rwlock_t: the kernel interface --------------------------------- */

typedef struct {
	raw_rwlock_t raw;
	struct lockdep_map dep_map;
} rwlock_t;

#define __RW_LOCK_UNLOCKED(name) { .raw = RAW_RWLOCK_UNLOCKED, LOCKDEP_MAP_INIT(name) }
#define DEFINE_RWLOCK(x)	rwlock_t x = __RW_LOCK_UNLOCKED(x)
#define rwlock_init(l)		__LOCK_INIT(rwlock, l)

static inline void __rwlock_lock_init(rwlock_t *l, const char *name,
				      const struct lock_class_key *key)
{
	raw_rwlock_init(&l->raw);
	lockdep_init_map(&l->dep_map, name, key);
}

static inline void read_lock(rwlock_t *l)
{
	if (lock_acquire(&l->dep_map))
		raw_read_lock(&l->raw);
}

static inline bool read_trylock(rwlock_t *l)
{
	if (!raw_read_trylock(&l->raw))
		return false;
	lock_acquire_try(&l->dep_map);
	return true;
}

static inline void read_unlock(rwlock_t *l)
{
	if (lock_release(&l->dep_map))
		raw_read_unlock(&l->raw);
}

static inline void write_lock(rwlock_t *l)
{
	if (lock_acquire(&l->dep_map)) {
		raw_write_lock(&l->raw);
		lock_set_owner(&l->dep_map, arch_cpu_id());
	}
}

static inline bool write_trylock(rwlock_t *l)
{
	if (!raw_write_trylock(&l->raw))
		return false;
	lock_acquire_try(&l->dep_map);
	lock_set_owner(&l->dep_map, arch_cpu_id());
	return true;
}

static inline void write_unlock(rwlock_t *l)
{
	if (lock_release(&l->dep_map)) {
		lock_clear_owner(&l->dep_map);
		raw_write_unlock(&l->raw);
	}
}

#define read_lock_irqsave(l, flags) \
	do { (flags) = arch_irq_save(); read_lock(l); } while (0)
#define read_unlock_irqrestore(l, flags) \
	do { read_unlock(l); arch_irq_restore(flags); } while (0)
#define read_lock_irq(l)	do { arch_irq_disable(); read_lock(l); } while (0)
#define read_unlock_irq(l)	do { read_unlock(l); arch_irq_enable(); } while (0)
#define write_lock_irqsave(l, flags) \
	do { (flags) = arch_irq_save(); write_lock(l); } while (0)
#define write_unlock_irqrestore(l, flags) \
	do { write_unlock(l); arch_irq_restore(flags); } while (0)
#define write_lock_irq(l)	do { arch_irq_disable(); write_lock(l); } while (0)
#define write_unlock_irq(l)	do { write_unlock(l); arch_irq_enable(); } while (0)

#endif
