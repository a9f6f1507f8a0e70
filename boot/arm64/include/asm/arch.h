/* SPDX-License-Identifier: MIT */
/* arm64 inline primitives for <arch.h>; see include/arch.h for contracts. */
#ifndef QUIESCE_ASM_ARCH_H
#define QUIESCE_ASM_ARCH_H

#include <compiler.h>

/* TPIDR_EL1 holds the logical CPU index, set once when the CPU starts. */
static inline unsigned int arch_cpu_id(void)
{
	unsigned long v;

	__asm__("mrs %0, tpidr_el1" : "=r"(v));
	return (unsigned int)v;
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif\n\tmsr daifset, #2"
			     : "=r"(flags) :: "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr daif, %0" :: "r"(flags) : "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
}

static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif" : "=r"(flags));
	return flags & (1UL << 7);
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

/*
 * WFE wakes on SEV, on an interrupt, or on the timer event stream that
 * arch_cpu_init() enables, so a missed SEV costs at most one stream period.
 */
static inline void arch_wait_event(void)
{
	__asm__ __volatile__("wfe" ::: "memory");
}

/* The DSB makes the waker's stores visible before the event is sent. */
static inline void arch_send_event(void)
{
	__asm__ __volatile__("dsb ishst\n\tsev" ::: "memory");
}

/* WFI wakes on a pending interrupt even while it is masked. */
static inline void arch_idle_wait(void)
{
	__asm__ __volatile__("dsb sy\n\twfi\n\t"
			     "msr daifclr, #2\n\tisb\n\tmsr daifset, #2"
			     ::: "memory");
}

static inline uint64_t arch_counter_read(void)
{
	uint64_t v;

	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

/* Execute an instruction that is architecturally undefined (crash tests). */
static inline void arch_undefined_instruction(void)
{
	__asm__ __volatile__("udf #0" ::: "memory");
}

#define __smp_mb()		__asm__ __volatile__("dmb ish" ::: "memory")
#define __smp_rmb()		__asm__ __volatile__("dmb ishld" ::: "memory")
#define __smp_wmb()		__asm__ __volatile__("dmb ishst" ::: "memory")
#define __smp_mb_after_rmw()	__smp_mb()

#endif
