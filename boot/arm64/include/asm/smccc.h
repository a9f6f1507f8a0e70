/* SPDX-License-Identifier: MIT */
/* SMC Calling Convention: firmware calls through HVC or SMC (arm64). */
#ifndef QUIESCE_ASM_SMCCC_H
#define QUIESCE_ASM_SMCCC_H

#include <compiler.h>

#define SMCCC_CALL(insn, fn, a1, a2, a3) ({				\
	register unsigned long x0 __asm__("x0") = (fn);			\
	register unsigned long x1 __asm__("x1") = (a1);			\
	register unsigned long x2 __asm__("x2") = (a2);			\
	register unsigned long x3 __asm__("x3") = (a3);			\
	__asm__ __volatile__(insn " #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) \
			     :: "x4", "x5", "x6", "x7", "x8", "x9", "x10",	\
				"x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory"); \
	x0;								\
})

static inline unsigned long smccc_hvc(unsigned long fn, unsigned long a1,
				      unsigned long a2, unsigned long a3)
{
	return SMCCC_CALL("hvc", fn, a1, a2, a3);
}

static inline unsigned long smccc_smc(unsigned long fn, unsigned long a1,
				      unsigned long a2, unsigned long a3)
{
	return SMCCC_CALL("smc", fn, a1, a2, a3);
}

/* PSCI function ids with 64-bit arguments where the call has them. */
#define PSCI_FN_CPU_ON		0xc4000003
#define PSCI_FN_AFFINITY_INFO	0xc4000004

#endif
