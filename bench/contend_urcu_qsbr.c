// SPDX-License-Identifier: MIT
/*
 * liburcu's QSBR flavour, as its README says: every reader thread is
 * registered (online) and announces a quiescent state periodically;
 * read_lock/read_unlock are empty. call_rcu() is called online;
 * rcu_barrier() offline, since an online QSBR thread counts as inside a
 * read-side section.
 */
#define _LGPL_SOURCE
#include <urcu/urcu-qsbr.h>
#include "urcu_bench.h"

#define C_VAR	contender_urcu_qsbr
#define C_NAME	"urcu-qsbr"
#define C_USAGE	"liburcu QSBR: registered readers, quiescent state every qs_every reads"
#define URCU(name)	urcu_qsbr_##name
#include "contend_urcu.h"

static void c_init(unsigned int nthreads) { }
static inline void c_quiescent_state(void) { urcu_qsbr_quiescent_state(); }

static void c_barrier(void)
{
	urcu_qsbr_thread_offline();
	urcu_qsbr_barrier();
	urcu_qsbr_thread_online();
}

#include "urcu_loops.h"
