/* SPDX-License-Identifier: MIT */
/* Time: a monotonic nanosecond clock, busy-wait delays, the per-CPU tick. */
#ifndef QUIESCE_KTIME_H
#define QUIESCE_KTIME_H

#include <compiler.h>

#define HZ		250
#define TICK_NS		(1000000000ULL / HZ)
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL

/* Nanoseconds since boot; any context, every CPU agrees. */
uint64_t ktime_get_ns(void);
/* Counter ticks to nanoseconds (for code that reads the counter itself). */
uint64_t counter_to_ns(uint64_t ticks);

void udelay(unsigned long us);
void mdelay(unsigned long ms);

/* Boot CPU, once arch_counter_freq() is known. */
void time_init(void);

/* Start / stop the calling CPU's periodic tick. */
void tick_start(void);
void tick_stop(void);
/* Called by the arch timer interrupt on the calling CPU. */
void tick_handler(void);

/* Ticks taken by cpu so far. */
unsigned long tick_count(unsigned int cpu);

/* The watchdog, driven by the tick (kernel/watchdog.c). */
void watchdog_tick(void);
void watchdog_idle(bool idle);

#endif
