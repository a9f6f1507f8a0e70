/* SPDX-License-Identifier: MIT */
/* Arm semihosting: the ISA's trap (<asm/arm_isa.h>), op and argument in the first two argument registers. */
#ifndef QUIESCE_ASM_SEMIHOST_H
#define QUIESCE_ASM_SEMIHOST_H

#include <compiler.h>
#include <asm/arm_isa.h>

static inline long semihost_call(unsigned long op, uintptr_t arg)
{
	register unsigned long r0 __asm__(ARG_R0) = op;
	register uintptr_t r1 __asm__(ARG_R1) = arg;

	__asm__ __volatile__(SEMIHOST_TRAP : "+r"(r0) : "r"(r1) : SEMIHOST_CLOBBERS);
	return (long)r0;
}

#endif
