/* SPDX-License-Identifier: MIT */
/*
 * struct rw_semaphore: a read-write lock whose holders may wait for
 * other CPUs (grace periods, completions) while holding it. Linux names
 * and semantics:
 *
 *	down_read(s), down_read_trylock(s), up_read(s)
 *	down_write(s), down_write_trylock(s), up_write(s), downgrade_write(s)
 *
 * There is no scheduler yet, so waiting spins (wait-for-event hint) on
 * the writer-fair algorithm of rwlock_t (include/rwlock.h): fairness,
 * ordering and atomics_per_op are the same. down_read/down_write call
 * might_sleep(): thread context, interrupts enabled, outside RCU
 * read-side sections. The trylocks and the ups may be called anywhere
 * the lock is held. A CPU that holds it for reading must not down_read()
 * it again (a waiting writer would deadlock it; lockdep reports it).
 */
#ifndef QUIESCE_RWSEM_H
#define QUIESCE_RWSEM_H

#include <compiler.h>
#include <kernel.h>
#include <rwlock.h>

struct rw_semaphore {
	raw_rwlock_t raw;
	struct lockdep_map dep_map;
};

#define __RWSEM_INITIALIZER(name) { .raw = RAW_RWLOCK_UNLOCKED, LOCKDEP_MAP_INIT(name) }
#define DECLARE_RWSEM(name)	struct rw_semaphore name = __RWSEM_INITIALIZER(name)
#define init_rwsem(s)		__LOCK_INIT(rwsem, s)

static inline void __rwsem_lock_init(struct rw_semaphore *s, const char *name,
				     const struct lock_class_key *key)
{
	raw_rwlock_init(&s->raw);
	lockdep_init_map(&s->dep_map, name, key);
}

static inline void down_read(struct rw_semaphore *s)
{
	might_sleep();
	if (lock_acquire(&s->dep_map))
		raw_read_lock(&s->raw);
}

static inline bool down_read_trylock(struct rw_semaphore *s)
{
	if (!raw_read_trylock(&s->raw))
		return false;
	lock_acquire_try(&s->dep_map);
	return true;
}

static inline void up_read(struct rw_semaphore *s)
{
	if (lock_release(&s->dep_map))
		raw_read_unlock(&s->raw);
}

static inline void down_write(struct rw_semaphore *s)
{
	might_sleep();
	if (lock_acquire(&s->dep_map)) {
		raw_write_lock(&s->raw);
		lock_set_owner(&s->dep_map, arch_cpu_id());
	}
}

static inline bool down_write_trylock(struct rw_semaphore *s)
{
	if (!raw_write_trylock(&s->raw))
		return false;
	lock_acquire_try(&s->dep_map);
	lock_set_owner(&s->dep_map, arch_cpu_id());
	return true;
}

static inline void up_write(struct rw_semaphore *s)
{
	if (lock_release(&s->dep_map)) {
		lock_clear_owner(&s->dep_map);
		raw_write_unlock(&s->raw);
	}
}

/* Keep holding it, for reading: other readers may enter, no writer. */
static inline void downgrade_write(struct rw_semaphore *s)
{
	lock_clear_owner(&s->dep_map);
	raw_downgrade_write(&s->raw);
}

static inline bool rwsem_is_locked(struct rw_semaphore *s)
{
	return raw_rwlock_is_locked(&s->raw);
}

#endif
