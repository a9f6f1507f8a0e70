// SPDX-License-Identifier: MIT
/*
 * The baseline: a pthread rwlock (default attributes) around each read
 * and each replacement. The write lock already waits for every reader,
 * so there is no grace period: "synchronize" is the write lock's wait,
 * and "call" frees the old object at once.
 */
#include "urcu_bench.h"

#define C_VAR	contender_rwlock
#define C_NAME	"rwlock"
#define C_USAGE	"pthread_rwlock_t: rdlock per read, wrlock per replacement, free at once"

struct rw_head { char unused; };
typedef struct rw_head c_head_t;

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;	/* guards shared_obj */

static void c_init(unsigned int nthreads) { }
static void c_thread_online(unsigned int id) { }
static void c_thread_offline(unsigned int id) { }
static inline void c_read_lock(void) { pthread_rwlock_rdlock(&lock); }
static inline void c_read_unlock(void) { pthread_rwlock_unlock(&lock); }
/* Relaxed: the lock orders it (the loads just stay untorn). */
static inline void *c_dereference(void **slot) { return __atomic_load_n(slot, __ATOMIC_RELAXED); }

static inline void *c_replace(void **slot, void *new)
{
	void *old;

	pthread_rwlock_wrlock(&lock);
	old = *slot;
	__atomic_store_n(slot, new, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&lock);
	return old;
}

static inline void c_quiescent_state(void) { }
static inline void c_tick(void) { }
static void c_synchronize(void) { }
static void c_call(c_head_t *head, void (*func)(c_head_t *)) { func(head); }
static void c_barrier(void) { }

#include "urcu_loops.h"
