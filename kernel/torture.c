// SPDX-License-Identifier: MIT
/* Shared torture/workload helpers (see include/torture.h). */
#include <torture.h>
#include <arch.h>
#include <cpu_watch.h>

__qs_point void torture_barrier_wait(struct torture_barrier *b, unsigned int n)
{
	int gen = atomic_read_acquire(&b->generation);

	/* Fully ordered: each CPU's work before the barrier precedes the
	 * release of the generation the last arrival publishes. */
	if ((unsigned int)atomic_inc_return(&b->arrived) == n) {
		atomic_set(&b->arrived, 0);
		atomic_set_release(&b->generation, gen + 1);
		return;
	}
	/* Acquire: pairs with the last arrival's release. */
	while (atomic_read_acquire(&b->generation) == gen)
		cpu_relax();
}
