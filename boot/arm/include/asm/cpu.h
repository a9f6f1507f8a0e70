/* SPDX-License-Identifier: MIT */
/* armv7-a constants and instructions for boot/arm-common (see arm_common.h). */
#ifndef QUIESCE_ASM_CPU_H
#define QUIESCE_ASM_CPU_H

#include <compiler.h>

#define ARCH_NAME		"armv7"

/*
 * Stacks: the thread stack (SVC mode) and one each for IRQ, abort and
 * undefined mode (FIQ is never unmasked and shares the undefined one).
 * The window lies above any RAM of QEMU virt (512 MiB at 1 GiB) and of
 * the Raspberry Pis (1 GiB at 0).
 */
#define STACK_WINDOW		0xe0000000UL
#define THREAD_STACK_SIZE	0x4000UL
#define EXC_STACK_SIZE		0x2000UL
#define NR_EXC_STACKS		3
#define EXC_STACK_IRQ		0
#define EXC_STACK_ABT		1
#define EXC_STACK_UND		2

/* LPAE: 32-bit virtual addresses from a level-1 table of 1 GiB entries. */
#define MMU_VA_BITS		32

/* ARM TLS variant 1: TPIDRURO points at an 8-byte TCB, .tdata follows. */
#define TLS_TCB_SIZE		8

/*
 * TTBCR: EAE (long descriptors), T0SZ 0 (TTBR0 covers all 4 GiB),
 * write-back inner-shareable walks, EPD1 (no TTBR1 walks).
 */
static inline uint64_t mmu_tcr_value(void)
{
	return (1UL << 31)			/* EAE */
		| (1UL << 8) | (1UL << 10)	/* walks: inner/outer write-back */
		| (3UL << 12)			/* inner shareable */
		| (1UL << 23);			/* EPD1 */
}

/* Descriptor bits every mapping carries: bit 54 is XN for PL1 too; PL0 has no access at all. */
#define PTE_XN_UNPRIV		0

/* armv7-a has no random-number instruction (cf. arm64's RNDR). */
static inline const char *cpu_random_long(unsigned long *v)
{
	(void)v;
	return NULL;
}

#endif
