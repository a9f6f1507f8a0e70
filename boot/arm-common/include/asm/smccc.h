/* SPDX-License-Identifier: MIT */
/*
 * SMC Calling Convention: firmware calls through HVC or SMC, the call in
 * the first four argument registers, the result in the first. The ISA's
 * registers, instructions and PSCI ids: <asm/arm_isa.h>.
 */
#ifndef QUIESCE_ASM_SMCCC_H
#define QUIESCE_ASM_SMCCC_H

#include <compiler.h>
#include <asm/arm_isa.h>

#define SMCCC_CALL(insn, fn, a1, a2, a3) ({				\
	register unsigned long r0 __asm__(ARG_R0) = (fn);		\
	register unsigned long r1 __asm__(ARG_R1) = (a1);		\
	register unsigned long r2 __asm__(ARG_R2) = (a2);		\
	register unsigned long r3 __asm__(ARG_R3) = (a3);		\
	__asm__ __volatile__(insn " #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) \
			     :: SMCCC_CLOBBERS);				\
	r0;								\
})

static inline unsigned long smccc_hvc(unsigned long fn, unsigned long a1,
				      unsigned long a2, unsigned long a3)
{
	return SMCCC_CALL(SMCCC_HVC, fn, a1, a2, a3);
}

static inline unsigned long smccc_smc(unsigned long fn, unsigned long a1,
				      unsigned long a2, unsigned long a3)
{
	return SMCCC_CALL(SMCCC_SMC, fn, a1, a2, a3);
}

#endif
