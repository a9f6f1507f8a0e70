/* SPDX-License-Identifier: MIT */
/* Arm semihosting trap (A32: SVC 0x123456). */
#ifndef QUIESCE_ASM_SEMIHOST_H
#define QUIESCE_ASM_SEMIHOST_H

#include <compiler.h>

/*
 * AArch32 SYS_EXIT carries only a reason; SYS_EXIT_EXTENDED takes the
 * same {reason, status} block as AArch64's SYS_EXIT, so QEMU exits with
 * the kernel's status.
 */
#define SEMIHOST_OP_EXIT	0x20

/* The SVC is taken in SVC mode, where the kernel runs: LR is clobbered. */
static inline long semihost_call(unsigned long op, uintptr_t arg)
{
	register unsigned long r0 __asm__("r0") = op;
	register uintptr_t r1 __asm__("r1") = arg;

	__asm__ __volatile__("svc #0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
	return (long)r0;
}

#endif
