/* SPDX-License-Identifier: MIT */
/* arm64 system-register bits used by the boot code and the MMU. */
#ifndef QUIESCE_ASM_SYSREG_H
#define QUIESCE_ASM_SYSREG_H

#define HCR_EL2_RW		(1 << 31)
#define CNTHCTL_EL1PCTEN	(1 << 0)
#define CNTHCTL_EL1PCEN		(1 << 1)
#define CPTR_EL2_RES1		0x33ff
#define SCTLR_EL1_RES1		0x30d00800
#define SCTLR_EL1_M		(1 << 0)
#define SCTLR_EL1_C		(1 << 2)
#define SCTLR_EL1_SA		(1 << 3)
#define SCTLR_EL1_I		(1 << 12)
#define SPSR_EL1H_MASKED	0x3c5

#define ICC_SRE_EL2		S3_4_C12_C9_5

#endif
