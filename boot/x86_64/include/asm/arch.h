/* SPDX-License-Identifier: MIT */
/* x86_64 inline primitives for <arch.h>; see include/arch.h for contracts. */
#ifndef QUIESCE_ASM_ARCH_H
#define QUIESCE_ASM_ARCH_H

#include <compiler.h>

#define X86_EFLAGS_IF	(1UL << 9)

/*
 * GS base points at the CPU's struct x86_cpu, whose first field is the
 * logical index; set once when the CPU starts. Volatile so the read is
 * never hoisted above the WRMSR that sets GS base on a starting CPU.
 */
static inline unsigned int arch_cpu_id(void)
{
	unsigned int id;

	__asm__ __volatile__("movl %%gs:0, %0" : "=r"(id));
	return id;
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq\n\tpopq %0\n\tcli" : "=r"(flags) :: "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		__asm__ __volatile__("sti" ::: "memory");
	else
		__asm__ __volatile__("cli" ::: "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq\n\tpopq %0" : "=r"(flags));
	return !(flags & X86_EFLAGS_IF);
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

/* x86 has no event register: a spin-loop wait is a PAUSE. */
static inline void arch_wait_event(void)
{
	cpu_relax();
}

static inline void arch_send_event(void)
{
}

/*
 * STI's interrupt shadow covers the HLT, so an interrupt pending before
 * the STI wakes the HLT instead of being taken in between and lost.
 */
static inline void arch_idle_wait(void)
{
	__asm__ __volatile__("sti\n\thlt\n\tcli" ::: "memory");
}

/* The TSC; LFENCE keeps the read from executing before earlier loads. */
static inline uint64_t arch_counter_read(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

/* Execute an instruction that is architecturally undefined (crash tests). */
static inline void arch_undefined_instruction(void)
{
	__asm__ __volatile__("ud2" ::: "memory");
}

/*
 * x86 is TSO: loads are not reordered with loads, stores not with stores,
 * and a locked RMW is a full barrier. Only store->load needs a fence; a
 * locked no-op on the stack top is cheaper than MFENCE.
 */
#define __smp_mb()	__asm__ __volatile__("lock; orl $0, (%%rsp)" ::: "memory", "cc")
#define __smp_rmb()		barrier()
#define __smp_wmb()		barrier()
#define __smp_mb_after_rmw()	barrier()

#endif
