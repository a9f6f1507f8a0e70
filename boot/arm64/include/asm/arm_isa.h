/* SPDX-License-Identifier: MIT */
/*
 * What the ARM primitives of boot/arm-common/include/asm/ need from the
 * ISA, in its A64 spelling: register names, instructions and system
 * registers, plus the two primitives whose logic differs from A32's.
 */
#ifndef QUIESCE_ASM_ARM_ISA_H
#define QUIESCE_ASM_ARM_ISA_H

#include <compiler.h>

/* System registers by name: MRS/MSR. */
#define SYSREG_READ(reg)	"mrs %0, " reg
#define SYSREG_WRITE(reg)	"msr " reg ", %0"
#define SR_CPU_ID		"tpidr_el1"	/* the logical CPU index */
#define SR_TLS			"tpidr_el0"	/* the thread pointer */
#define SR_MPIDR		"mpidr_el1"
#define SR_CNTFRQ		"cntfrq_el0"
#define SR_CNTV_CTL		"cntv_ctl_el0"
#define SR_CNTV_TVAL		"cntv_tval_el0"
#define SR_CNTKCTL		"cntkctl_el1"

/* DAIF holds the interrupt masks; I (bit 7) is where CPSR has it. */
#define IRQ_FLAGS_READ		"mrs %0, daif"
#define IRQ_MASK		"msr daifset, #2"
#define IRQ_UNMASK		"msr daifclr, #2"

#define INSN_UDF		"udf #0"
#define DMB_LOAD		"dmb ishld"
#define DC_CLEAN_POC		"dc cvac, %0"
/* TLBI VAAE1IS: drop a page, for every ASID, from every CPU's TLB. */
#define TLBI_PAGE_ALL_IS	"tlbi vaae1is, %0"
#define TLBI_PAGE_ARG(va)	((va) >> 12)
/* MPIDR_EL1's affinity fields Aff3, Aff2, Aff1, Aff0. */
#define MPIDR_AFF_MASK		0xff00ffffffULL

/* SMCCC (SMC64/HVC64 where the call has 64-bit arguments): x0-x3 carry
 * the call, x4-x17 the callee may clobber. */
/* The first four argument registers (SMCCC, semihosting). */
#define ARG_R0		"x0"
#define ARG_R1		"x1"
#define ARG_R2		"x2"
#define ARG_R3		"x3"
#define SMCCC_CLOBBERS		"x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", \
				"x12", "x13", "x14", "x15", "x16", "x17", "memory"
#define SMCCC_HVC		"hvc"
#define SMCCC_SMC		"smc"
#define PSCI_FN_CPU_ON		0xc4000003
#define PSCI_FN_AFFINITY_INFO	0xc4000004

/* Semihosting: HLT #0xF000; AArch64 SYS_EXIT takes a {reason, status}
 * block, so it carries a status. */
#define SEMIHOST_TRAP		"hlt #0xf000"
#define SEMIHOST_CLOBBERS	"memory"
#define SEMIHOST_OP_EXIT	0x18

/*
 * Restores only the I bit's state, as on armv7-a: head.S masks D, A and F
 * and nothing unmasks them. The immediate forms, not MSR DAIF, Xn: after
 * a DAIF register write QEMU's TCG leaves the translation block for its
 * main loop: a save/restore pair in a function, interrupts masked, took
 * 163 ns with MSR DAIF and 54 with DAIFSet/DAIFClr (a scratch loop of
 * 100,000); lockdep restores twice per lock and unlock.
 */
static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & (1u << 7))
		__asm__ __volatile__(IRQ_MASK ::: "memory");
	else
		__asm__ __volatile__(IRQ_UNMASK ::: "memory");
}

static inline uint64_t arch_counter_read(void)
{
	uint64_t v;

	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

#endif
