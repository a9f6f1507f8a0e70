// SPDX-License-Identifier: MIT
/*
 * liburcu's memb flavour, the one its README recommends: registered
 * reader threads, read_lock/read_unlock around each section, grace
 * periods forced with sys_membarrier() (no quiescent states to
 * announce). _LGPL_SOURCE inlines the fast paths.
 */
#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>
#include "urcu_bench.h"

#define C_VAR	contender_urcu_memb
#define C_NAME	"urcu-memb"
#define C_USAGE	"liburcu memb (recommended): registered readers, sys_membarrier grace periods"

typedef struct rcu_head c_head_t;

static void c_init(unsigned int nthreads) { urcu_memb_init(); }
static void c_thread_online(unsigned int id) { urcu_memb_register_thread(); }
static void c_thread_offline(unsigned int id) { urcu_memb_unregister_thread(); }
static inline void c_read_lock(void) { urcu_memb_read_lock(); }
static inline void c_read_unlock(void) { urcu_memb_read_unlock(); }
static inline void *c_dereference(void **slot) { return rcu_dereference(*slot); }

static inline void *c_replace(void **slot, void *new)
{
	void *old = CMM_LOAD_SHARED(*slot);

	rcu_assign_pointer(*slot, new);
	return old;
}

static inline void c_quiescent_state(void) { }
static inline void c_tick(void) { }
static void c_synchronize(void) { urcu_memb_synchronize_rcu(); }
static void c_call(c_head_t *head, void (*func)(c_head_t *)) { urcu_memb_call_rcu(head, func); }
static void c_barrier(void) { urcu_memb_barrier(); }

#include "urcu_loops.h"
