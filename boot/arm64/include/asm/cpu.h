/* SPDX-License-Identifier: MIT */
/* arm64 constants and instructions for boot/arm-common (see arm_common.h). */
#ifndef QUIESCE_ASM_CPU_H
#define QUIESCE_ASM_CPU_H

#include <compiler.h>

#define ARCH_NAME		"arm64"

/* Stacks: thread (SP_EL0) and exception (SP_EL1), 16 KiB each. */
#define STACK_WINDOW		0x7000000000UL
#define THREAD_STACK_SIZE	0x4000UL
#define EXC_STACK_SIZE		0x4000UL
#define NR_EXC_STACKS		1

/* 4 KiB granule, three levels from a 1 GiB level-1 table. */
#define MMU_VA_BITS		39

/* AArch64 TLS variant 1: TPIDR_EL0 points at a 16-byte TCB, .tdata follows. */
#define TLS_TCB_SIZE		16

/* TCR_EL1: T0SZ for MMU_VA_BITS, write-back inner-shareable walks, no TTBR1. */
static inline uint64_t mmu_tcr_value(void)
{
	uint64_t parange;

	__asm__ __volatile__("mrs %0, id_aa64mmfr0_el1" : "=r"(parange));
	parange &= 0xf;		/* TCR_EL1.IPS uses the same encoding */
	if (parange > 6)
		parange = 6;
	return (64 - MMU_VA_BITS)		/* T0SZ */
		| (1UL << 8) | (1UL << 10)	/* walks: inner/outer write-back */
		| (3UL << 12)			/* inner shareable */
		| (1UL << 23)			/* EPD1: no TTBR1 walks */
		| (parange << 32);		/* IPS */
}

/* Descriptor bits every mapping carries: UXN: nothing executes at EL0. */
#define PTE_XN_UNPRIV		(1ULL << 54)

/*
 * RNDR (FEAT_RNG, when ID_AA64ISAR0_EL1.RNDR says so): 64 random bits,
 * or NZCV.Z set when the generator could not deliver in reasonable time.
 * The name of the instruction, or NULL.
 */
static inline const char *cpu_random_long(unsigned long *v)
{
	uint64_t isar0, val, nzcv;

	__asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if (!((isar0 >> 60) & 0xf))
		return NULL;
	for (int tries = 0; tries < 16; tries++) {
		__asm__ __volatile__("mrs %0, s3_3_c2_c4_0\n\tmrs %1, nzcv"
				     : "=r"(val), "=r"(nzcv));
		if (!(nzcv & (1UL << 30))) {
			*v = val;
			return "RNDR";
		}
	}
	return NULL;
}

#endif
