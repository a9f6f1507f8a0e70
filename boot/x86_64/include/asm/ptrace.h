/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 exception frame: entry.S pushes the general registers below
 * the vector number, the error code (0 when the CPU pushes none) and the
 * frame the CPU pushed; C reads and edits it.
 */
#ifndef QUIESCE_ASM_PTRACE_H
#define QUIESCE_ASM_PTRACE_H

#define PT_R15		0
#define PT_RBP		80
#define PT_RAX		112
#define PT_VECTOR	120
#define PT_ERROR	128
#define PT_RIP		136
#define PT_CS		144
#define PT_RFLAGS	152
#define PT_RSP		160
#define PT_SS		168
#define PT_SIZE		176

#ifndef __ASSEMBLER__
#include <compiler.h>

struct pt_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rdx, rcx, rbx, rax;
	uint64_t vector;	/* IDT vector the entry stub pushed */
	uint64_t error_code;	/* the CPU's, or 0 */
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

_Static_assert(__builtin_offsetof(struct pt_regs, rbp) == PT_RBP, "pt_regs.rbp");
_Static_assert(__builtin_offsetof(struct pt_regs, rax) == PT_RAX, "pt_regs.rax");
_Static_assert(__builtin_offsetof(struct pt_regs, vector) == PT_VECTOR, "pt_regs.vector");
_Static_assert(__builtin_offsetof(struct pt_regs, error_code) == PT_ERROR, "pt_regs.error_code");
_Static_assert(__builtin_offsetof(struct pt_regs, rip) == PT_RIP, "pt_regs.rip");
_Static_assert(__builtin_offsetof(struct pt_regs, ss) == PT_SS, "pt_regs.ss");
_Static_assert(sizeof(struct pt_regs) == PT_SIZE, "pt_regs size");
/* The CPU pushes 5 words at a 16-byte aligned RSP; with 17 of ours the
 * handler is called with RSP 16-byte aligned (entry.S pushes 2 more). */
_Static_assert(PT_SIZE % 16 == 0, "pt_regs keeps the stack aligned");

#define regs_pc(r)	((r)->rip)
#define regs_fp(r)	((r)->rbp)
#endif

#endif
