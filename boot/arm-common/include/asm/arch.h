/* SPDX-License-Identifier: MIT */
/*
 * ARM inline primitives for <arch.h>, for arm64 and armv7-a alike; see
 * include/arch.h for the contracts. The ISA's spelling of each register
 * and instruction comes from <asm/arm_isa.h> (boot/arm64, boot/arm).
 */
#ifndef QUIESCE_ASM_ARCH_H
#define QUIESCE_ASM_ARCH_H

#include <compiler.h>
#include <asm/arm_isa.h>

#define PSR_I_BIT	(1u << 7)	/* CPSR.I and DAIF.I alike */

/* The logical CPU index, set once when the CPU starts (PL1/EL1 only). */
static inline unsigned int arch_cpu_id(void)
{
	unsigned long v;

	__asm__(SYSREG_READ(SR_CPU_ID) : "=r"(v));
	return (unsigned int)v;
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__(IRQ_FLAGS_READ "\n\t" IRQ_MASK : "=r"(flags) :: "memory");
	return flags;
}

static inline void arch_irq_enable(void)
{
	__asm__ __volatile__(IRQ_UNMASK ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__(IRQ_MASK ::: "memory");
}

static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__(IRQ_FLAGS_READ : "=r"(flags));
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
			     IRQ_UNMASK "\n\tisb\n\t" IRQ_MASK ::: "memory");
}

/* Execute an instruction that is architecturally undefined (crash tests). */
static inline void arch_undefined_instruction(void)
{
	__asm__ __volatile__(INSN_UDF ::: "memory");
}

#define __smp_mb()		__asm__ __volatile__("dmb ish" ::: "memory")
#define __smp_rmb()		__asm__ __volatile__(DMB_LOAD ::: "memory")
#define __smp_wmb()		__asm__ __volatile__("dmb ishst" ::: "memory")
#define __smp_mb_after_rmw()	__smp_mb()

#endif
