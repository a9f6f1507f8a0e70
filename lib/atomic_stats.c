// SPDX-License-Identifier: MIT
/* Per-CPU counters of atomic RMW operations and full barriers. */
#include <atomic.h>

#ifdef CONFIG_ATOMIC_STATS
DEFINE_PER_CPU(struct atomic_stats, atomic_stats);

unsigned long atomic_stats_read(unsigned int cpu)
{
	const struct atomic_stats *s = per_cpu_ptr(&atomic_stats, cpu);

	return READ_ONCE(s->rmw) + READ_ONCE(s->mb);
}
#else
unsigned long atomic_stats_read(unsigned int cpu)
{
	(void)cpu;
	return 0;
}
#endif
