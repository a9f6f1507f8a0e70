/* SPDX-License-Identifier: MIT */
/* Arm semihosting trap (AArch64: HLT #0xF000). */
#ifndef QUIESCE_ASM_SEMIHOST_H
#define QUIESCE_ASM_SEMIHOST_H

#include <compiler.h>

/* AArch64 SYS_EXIT takes a {reason, status} block, so it carries a status. */
#define SEMIHOST_OP_EXIT	0x18

static inline long semihost_call(unsigned long op, uintptr_t arg)
{
	register unsigned long x0 __asm__("x0") = op;
	register uintptr_t x1 __asm__("x1") = arg;

	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return (long)x0;
}

#endif
