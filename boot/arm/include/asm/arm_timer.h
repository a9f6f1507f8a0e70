/* SPDX-License-Identifier: MIT */
/* Generic-timer registers (PL1 virtual timer, CP15) for drivers/timer/arm_generic.c. */
#ifndef QUIESCE_ASM_ARM_TIMER_H
#define QUIESCE_ASM_ARM_TIMER_H

#include <compiler.h>

static inline uint64_t cntfrq_read(void)
{
	uint32_t v;

	__asm__ __volatile__("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}

static inline void cntv_ctl_write(uint64_t v)
{
	__asm__ __volatile__("mcr p15, 0, %0, c14, c3, 1\n\tisb" :: "r"((uint32_t)v) : "memory");
}

/* TVAL is a signed 32-bit down-counter: callers keep deltas below 2^31. */
static inline void cntv_tval_write(uint64_t v)
{
	__asm__ __volatile__("mcr p15, 0, %0, c14, c3, 0\n\tisb" :: "r"((uint32_t)v) : "memory");
}

static inline void cntkctl_write(uint64_t v)
{
	__asm__ __volatile__("mcr p15, 0, %0, c14, c1, 0\n\tisb" :: "r"((uint32_t)v) : "memory");
}

#endif
