/* SPDX-License-Identifier: MIT */
/* armv7-a inline primitives for <arch.h>; see include/arch.h for contracts. */
#ifndef QUIESCE_ASM_ARCH_H
#define QUIESCE_ASM_ARCH_H

#include <compiler.h>

#define PSR_I_BIT	(1u << 7)

/* TPIDRPRW (PL1-only) holds the logical CPU index, set once at start. */
static inline unsigned int arch_cpu_id(void)
{
	unsigned int v;

	__asm__("mrc p15, 0, %0, c13, c0, 4" : "=r"(v));
	return v;
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, cpsr\n\tcpsid i" : "=r"(flags) :: "memory");
	return flags;
}

/* Restores only the I bit's state: the rest of CPSR is not the caller's. */
static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & PSR_I_BIT)
		__asm__ __volatile__("cpsid i" ::: "memory");
	else
		__asm__ __volatile__("cpsie i" ::: "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("cpsie i" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__("cpsid i" ::: "memory");
}

static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, cpsr" : "=r"(flags));
	return flags & PSR_I_BIT;
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
			     "cpsie i\n\tisb\n\tcpsid i" ::: "memory");
}

/* CNTVCT, the virtual count, through MRRC. */
static inline uint64_t arch_counter_read(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

/* Execute an instruction that is architecturally undefined (crash tests). */
static inline void arch_undefined_instruction(void)
{
	__asm__ __volatile__(".inst 0xe7f000f0" ::: "memory");	/* UDF #0 */
}

/* armv7 has no load-only DMB: the read barrier is a full one. */
#define __smp_mb()		__asm__ __volatile__("dmb ish" ::: "memory")
#define __smp_rmb()		__asm__ __volatile__("dmb ish" ::: "memory")
#define __smp_wmb()		__asm__ __volatile__("dmb ishst" ::: "memory")
#define __smp_mb_after_rmw()	__smp_mb()

#endif
