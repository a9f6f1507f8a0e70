// SPDX-License-Identifier: MIT
/*
 * Quiesce's tree RCU, the host build of the rcu/ sources, used the way the host
 * tests use it: each thread plays a CPU (host_cpu_id), leaves its
 * extended quiescent state while it runs (rcu_idle_exit(), like a CPU
 * coming up) and enters it again before it ends. Readers report a
 * quiescent state every qs_every sections with rcu_quiescent_state(),
 * as a long kernel loop would; nothing ticks on the host, so the
 * updater runs the tick's RCU work itself (rcu_tick(), interrupts
 * "off") after its own quiescent states: that is where call_rcu()
 * callbacks run. Built without CONFIG_DEBUG and CONFIG_ATOMIC_STATS
 * (bench/bench.mk), as liburcu is built without its debug checks.
 */
#include <rcupdate.h>
#include <percpu.h>
#include <smp.h>
#include "rcu/tree.h"
#include "urcu_bench.h"

#define C_VAR	contender_quiesce
#define C_NAME	"quiesce"
#define C_USAGE	"Quiesce tree RCU (host build): threads as CPUs, rcu_quiescent_state() every qs_every reads"

typedef struct rcu_head c_head_t;

static void c_init(unsigned int nthreads)
{
	/* Every thread is a possible CPU; those not running are in an EQS. */
	nr_cpu_ids = nthreads;
	if (percpu_init(nthreads)) {
		fprintf(stderr, "urcu-bench: no memory for %u per-CPU areas\n", nthreads);
		exit(1);
	}
	rcu_init_geometry(RCU_FANOUT_LEAF, RCU_FANOUT);
}

static void c_thread_online(unsigned int id)
{
	host_set_cpu(id);
	rcu_idle_exit();
}

static void c_thread_offline(unsigned int id) { rcu_idle_enter(); }
static inline void c_read_lock(void) { rcu_read_lock(); }
static inline void c_read_unlock(void) { rcu_read_unlock(); }
static inline void *c_dereference(void **slot) { return rcu_dereference(*slot); }

static inline void *c_replace(void **slot, void *new)
{
	void *old = rcu_dereference_protected(*slot, 1);	/* the only updater */

	rcu_assign_pointer(*slot, new);
	return old;
}

static inline void c_quiescent_state(void) { rcu_quiescent_state(); }

static inline void c_tick(void)
{
	unsigned long flags = arch_irq_save();

	rcu_tick();
	arch_irq_restore(flags);
}

static void c_synchronize(void) { synchronize_rcu(); }
static void c_call(c_head_t *head, void (*func)(c_head_t *)) { call_rcu(head, func); }
static void c_barrier(void) { rcu_barrier(); }

#include "urcu_loops.h"
