/* SPDX-License-Identifier: MIT */
/* Generic-timer registers (EL1 virtual timer) for drivers/timer/arm_generic.c. */
#ifndef QUIESCE_ASM_ARM_TIMER_H
#define QUIESCE_ASM_ARM_TIMER_H

#include <compiler.h>

static inline uint64_t cntfrq_read(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static inline void cntv_ctl_write(uint64_t v)
{
	__asm__ __volatile__("msr cntv_ctl_el0, %0\n\tisb" :: "r"(v) : "memory");
}

static inline void cntv_tval_write(uint64_t v)
{
	__asm__ __volatile__("msr cntv_tval_el0, %0\n\tisb" :: "r"(v) : "memory");
}

static inline void cntkctl_write(uint64_t v)
{
	__asm__ __volatile__("msr cntkctl_el1, %0\n\tisb" :: "r"(v) : "memory");
}

#endif
