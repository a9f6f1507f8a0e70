/* SPDX-License-Identifier: MIT */
/* SMC Calling Convention, SMC32: firmware calls through HVC or SMC (armv7). */
#ifndef QUIESCE_ASM_SMCCC_H
#define QUIESCE_ASM_SMCCC_H

#include <compiler.h>

#define SMCCC_CALL(insn, fn, a1, a2, a3) ({				\
	register unsigned long r0 __asm__("r0") = (fn);			\
	register unsigned long r1 __asm__("r1") = (a1);			\
	register unsigned long r2 __asm__("r2") = (a2);			\
	register unsigned long r3 __asm__("r3") = (a3);			\
	__asm__ __volatile__(insn " #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) \
			     :: "memory");					\
	r0;								\
})

static inline unsigned long smccc_hvc(unsigned long fn, unsigned long a1,
				      unsigned long a2, unsigned long a3)
{
	return SMCCC_CALL(".arch_extension virt\n\thvc", fn, a1, a2, a3);
}

static inline unsigned long smccc_smc(unsigned long fn, unsigned long a1,
				      unsigned long a2, unsigned long a3)
{
	return SMCCC_CALL(".arch_extension sec\n\tsmc", fn, a1, a2, a3);
}

/* PSCI function ids, SMC32 forms. */
#define PSCI_FN_CPU_ON		0x84000003
#define PSCI_FN_AFFINITY_INFO	0x84000004

#endif
