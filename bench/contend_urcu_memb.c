// SPDX-License-Identifier: MIT
/*
 * liburcu's memb flavour, the one its README recommends: registered
 * reader threads, read_lock/read_unlock around each section, grace
 * periods forced with sys_membarrier() (no quiescent states to
 * announce).
 */
#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>
#include "urcu_bench.h"

#define C_VAR	contender_urcu_memb
#define C_NAME	"urcu-memb"
#define C_USAGE	"liburcu memb (recommended): registered readers, sys_membarrier grace periods"
#define URCU(name)	urcu_memb_##name
#include "contend_urcu.h"

static void c_init(unsigned int nthreads) { urcu_memb_init(); }
static inline void c_quiescent_state(void) { }
static void c_barrier(void) { urcu_memb_barrier(); }

#include "urcu_loops.h"
