/* SPDX-License-Identifier: MIT */
/*
 * Host build: POSIX threads are the CPUs. Each thread that plays a CPU
 * sets host_cpu_id (tests/host/arch_host.c); "interrupts" are a per-thread
 * flag, since nothing interrupts a thread.
 */
#ifndef QUIESCE_ASM_ARCH_H
#define QUIESCE_ASM_ARCH_H

#include <compiler.h>
#include <sched.h>
#include <time.h>

extern __thread unsigned int host_cpu_id;
extern __thread unsigned long host_irq_flags;

static inline unsigned int arch_cpu_id(void) { return host_cpu_id; }

static inline unsigned long arch_irq_save(void)
{
	unsigned long f = host_irq_flags;

	host_irq_flags = 1;
	return f;
}
static inline void arch_irq_restore(unsigned long f) { host_irq_flags = f; }
static inline void arch_irq_enable(void) { host_irq_flags = 0; }
static inline void arch_irq_disable(void) { host_irq_flags = 1; }
static inline bool arch_irqs_disabled(void) { return host_irq_flags; }

/* Threads outnumber host cores in the tests: give the core away. */
static inline void cpu_relax(void) { sched_yield(); }
static inline void arch_wait_event(void) { sched_yield(); }
static inline void arch_send_event(void) { }
static inline void arch_idle_wait(void) { sched_yield(); }

static inline uint64_t arch_counter_read(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#define __smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define __smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define __smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define __smp_mb_after_rmw()	barrier()

#endif
