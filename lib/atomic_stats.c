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

/* Interrupts are off and only this CPU writes its counters. */
void atomic_stats_irq_enter(void)
{
	struct atomic_stats *s = this_cpu_ptr(&atomic_stats);

	s->rmw0 = s->rmw;
	s->mb0 = s->mb;
}

void atomic_stats_irq_exit(void)
{
	struct atomic_stats *s = this_cpu_ptr(&atomic_stats);

	WRITE_ONCE(s->irq, s->irq + (s->rmw - s->rmw0) + (s->mb - s->mb0));
	WRITE_ONCE(s->rmw, s->rmw0);
	WRITE_ONCE(s->mb, s->mb0);
}
#else
unsigned long atomic_stats_read(unsigned int cpu)
{
	(void)cpu;
	return 0;
}

void atomic_stats_irq_enter(void) { }
void atomic_stats_irq_exit(void) { }
#endif
