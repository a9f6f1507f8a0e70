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
#include <stdint.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>

extern __thread unsigned int host_cpu_id;
extern __thread intptr_t host_cpu_offset;	/* __per_cpu_offset[host_cpu_id] */
extern __thread unsigned long host_irq_flags;

/* Make the calling thread CPU cpu (after percpu_init()). */
void host_set_cpu(unsigned int cpu);
static inline unsigned int arch_cpu_id(void) { return host_cpu_id; }
/* this_cpu_ptr()'s offset in one TLS load, not a TLS load and a table's. */
#define arch_this_cpu_offset()	host_cpu_offset

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

/*
 * Sleeping waits (optional in <arch.h>; only the host has them: a kernel
 * CPU that waits has nothing else to run). A thread that waits for
 * another gives its core away on a futex instead of polling, so the
 * thread it waits for can run: the kernel's sched_yield() does not make
 * a descheduled thread run sooner.
 *
 * arch_futex_wait(w, v): sleep while *w == v; may return spuriously.
 * arch_futex_wake(w): wake every thread sleeping on w.
 * arch_spin_pause(): one iteration of a short spin that does not yield.
 */
#define ARCH_HAS_FUTEX	1

/*
 * A thread-CPU runs only what its test hands it: no tick, no idle loop,
 * no IPI. So a test may rebuild state every CPU's tick reads
 * (rcu_init_geometry()) between grace periods.
 */
#define ARCH_CPUS_RUN_ONLY_TESTS	1

static inline void arch_futex_wait(uint32_t *w, uint32_t v)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
}

static inline void arch_futex_wake(uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

static inline void arch_spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	barrier();
#endif
}

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
