/* SPDX-License-Identifier: MIT */
/*
 * Generic-timer registers (the PL1/EL1 virtual timer) for
 * drivers/timer/arm_generic.c; 32-bit CP15 registers on armv7-a.
 */
#ifndef QUIESCE_ASM_ARM_TIMER_H
#define QUIESCE_ASM_ARM_TIMER_H

#include <compiler.h>
#include <asm/arm_isa.h>

static inline uint64_t cntfrq_read(void)
{
	unsigned long v;

	__asm__ __volatile__(SYSREG_READ(SR_CNTFRQ) : "=r"(v));
	return v;
}

static inline void cntv_ctl_write(uint64_t v)
{
	__asm__ __volatile__(SYSREG_WRITE(SR_CNTV_CTL) "\n\tisb"
			     :: "r"((unsigned long)v) : "memory");
}

/* TVAL is a signed 32-bit down-counter: callers keep deltas below 2^31. */
static inline void cntv_tval_write(uint64_t v)
{
	__asm__ __volatile__(SYSREG_WRITE(SR_CNTV_TVAL) "\n\tisb"
			     :: "r"((unsigned long)v) : "memory");
}

static inline void cntkctl_write(uint64_t v)
{
	__asm__ __volatile__(SYSREG_WRITE(SR_CNTKCTL) "\n\tisb"
			     :: "r"((unsigned long)v) : "memory");
}

#endif
