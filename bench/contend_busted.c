// SPDX-License-Identifier: MIT
/*
 * Not a contender: RCU whose grace periods end at once (synchronize
 * returns, call frees now), like rcutorture's busted flavour. Its
 * readers must report errors: the proof that the readers' check can
 * fail. Runs only when named (-c busted).
 */
#include "urcu_bench.h"

#define C_VAR	contender_busted
#define C_NAME	"busted"
#define C_USAGE	"grace periods that end at once: must report errors"

struct busted_head { char unused; };
typedef struct busted_head c_head_t;

static void c_init(unsigned int nthreads) { }
static void c_thread_online(unsigned int id) { }
static void c_thread_offline(unsigned int id) { }
static inline void c_read_lock(void) { __asm__ __volatile__("" ::: "memory"); }
static inline void c_read_unlock(void) { __asm__ __volatile__("" ::: "memory"); }
static inline void *c_dereference(void **slot) { return __atomic_load_n(slot, __ATOMIC_ACQUIRE); }

static inline void *c_replace(void **slot, void *new)
{
	return __atomic_exchange_n(slot, new, __ATOMIC_RELEASE);
}

static inline void c_quiescent_state(void) { }
static inline void c_tick(void) { }
static void c_synchronize(void) { }
static void c_call(c_head_t *head, void (*func)(c_head_t *)) { func(head); }
static void c_barrier(void) { }

#include "urcu_loops.h"
