// SPDX-License-Identifier: MIT
/*
 * liburcu's QSBR flavour, as its README says: every reader thread is
 * registered (online) and announces a quiescent state periodically;
 * read_lock/read_unlock are empty. _LGPL_SOURCE inlines the fast paths
 * (Quiesce's are inline too). call_rcu() is called online, from a
 * registered thread; rcu_barrier() offline, since an online QSBR thread
 * counts as inside a read-side section.
 */
#define _LGPL_SOURCE
#include <urcu/urcu-qsbr.h>
#include "urcu_bench.h"

#define C_VAR	contender_urcu_qsbr
#define C_NAME	"urcu-qsbr"
#define C_USAGE	"liburcu QSBR: registered readers, quiescent state every qs_every reads"

typedef struct rcu_head c_head_t;

static void c_init(unsigned int nthreads) { }
static void c_thread_online(unsigned int id) { urcu_qsbr_register_thread(); }
static void c_thread_offline(unsigned int id) { urcu_qsbr_unregister_thread(); }
static inline void c_read_lock(void) { urcu_qsbr_read_lock(); }
static inline void c_read_unlock(void) { urcu_qsbr_read_unlock(); }
static inline void *c_dereference(void **slot) { return rcu_dereference(*slot); }

static inline void *c_replace(void **slot, void *new)
{
	void *old = CMM_LOAD_SHARED(*slot);

	rcu_assign_pointer(*slot, new);
	return old;
}

static inline void c_quiescent_state(void) { urcu_qsbr_quiescent_state(); }
static inline void c_tick(void) { }
static void c_synchronize(void) { urcu_qsbr_synchronize_rcu(); }
static void c_call(c_head_t *head, void (*func)(c_head_t *)) { urcu_qsbr_call_rcu(head, func); }

static void c_barrier(void)
{
	urcu_qsbr_thread_offline();
	urcu_qsbr_barrier();
	urcu_qsbr_thread_online();
}

#include "urcu_loops.h"
