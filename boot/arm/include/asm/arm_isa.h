/* SPDX-License-Identifier: MIT */
/*
 * What the ARM primitives of boot/arm-common/include/asm/ need from the
 * ISA, in its armv7-a (A32) spelling: register names, instructions and
 * CP15 registers, plus the two primitives whose logic differs from A64's.
 */
#ifndef QUIESCE_ASM_ARM_ISA_H
#define QUIESCE_ASM_ARM_ISA_H

#include <compiler.h>

/* System registers by CP15 encoding: MRC/MCR, 32 bits each. */
#define SYSREG_READ(reg)	"mrc " reg
#define SYSREG_WRITE(reg)	"mcr " reg
#define SR_CPU_ID		"p15, 0, %0, c13, c0, 4"	/* TPIDRPRW, PL1 only */
#define SR_TLS			"p15, 0, %0, c13, c0, 3"	/* TPIDRURO */
#define SR_MPIDR		"p15, 0, %0, c0, c0, 5"
#define SR_CNTFRQ		"p15, 0, %0, c14, c0, 0"
#define SR_CNTV_CTL		"p15, 0, %0, c14, c3, 1"
#define SR_CNTV_TVAL		"p15, 0, %0, c14, c3, 0"
#define SR_CNTKCTL		"p15, 0, %0, c14, c1, 0"

/* CPSR holds the interrupt masks; I is bit 7. */
#define IRQ_FLAGS_READ		"mrs %0, cpsr"
#define IRQ_MASK		"cpsid i"
#define IRQ_UNMASK		"cpsie i"

#define INSN_UDF		".inst 0xe7f000f0"	/* UDF #0 */
/* armv7 has no load-only DMB: the read barrier is a full one. */
#define DMB_LOAD		"dmb ish"
/* DCCMVAC: clean by address to the point of coherency. */
#define DC_CLEAN_POC		"mcr p15, 0, %0, c7, c10, 1"
/* TLBIMVAAIS: drop a page, for every ASID, from every CPU's TLB. */
#define TLBI_PAGE_ALL_IS	"mcr p15, 0, %0, c8, c3, 3"
#define TLBI_PAGE_ARG(va)	((va) & ~0xfffUL)
/* MPIDR's affinity fields Aff2, Aff1, Aff0. */
#define MPIDR_AFF_MASK		0xffffffUL

/* SMCCC, SMC32 forms: r0-r3 carry the call; the virtualization and
 * security extensions must be named for the assembler to take them. */
/* The first four argument registers (SMCCC, semihosting). */
#define ARG_R0		"r0"
#define ARG_R1		"r1"
#define ARG_R2		"r2"
#define ARG_R3		"r3"
#define SMCCC_CLOBBERS		"memory"
#define SMCCC_HVC		".arch_extension virt\n\thvc"
#define SMCCC_SMC		".arch_extension sec\n\tsmc"
#define PSCI_FN_CPU_ON		0x84000003
#define PSCI_FN_AFFINITY_INFO	0x84000004

/*
 * Semihosting: SVC 0x123456, taken in SVC mode, where the kernel runs:
 * LR is clobbered. AArch32 SYS_EXIT carries only a reason;
 * SYS_EXIT_EXTENDED takes the same {reason, status} block as AArch64's
 * SYS_EXIT, so QEMU exits with the kernel's status.
 */
#define SEMIHOST_TRAP		"svc #0x123456"
#define SEMIHOST_CLOBBERS	"memory", "lr"
#define SEMIHOST_OP_EXIT	0x20

/* Restores only the I bit's state: the rest of CPSR is not the caller's. */
static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & (1u << 7))
		__asm__ __volatile__("cpsid i" ::: "memory");
	else
		__asm__ __volatile__("cpsie i" ::: "memory");
}

/* CNTVCT, the virtual count, through MRRC. */
static inline uint64_t arch_counter_read(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

#endif
