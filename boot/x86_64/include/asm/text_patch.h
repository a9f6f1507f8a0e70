/* SPDX-License-Identifier: MIT */
/* x86_64 side of kernel/text_patch.c: single bytes (INT3 and back). */
#ifndef QUIESCE_ASM_TEXT_PATCH_H
#define QUIESCE_ASM_TEXT_PATCH_H

#include <compiler.h>

#define TEXT_ALIAS_BASE	0x7100000000UL
#define TEXT_POKE_SIZE	1

/* A one-byte store is atomic; x86 keeps fetch coherent with stores. */
static inline void arch_text_write(void *alias, void *addr, const void *insn)
{
	(void)addr;
	WRITE_ONCE(*(volatile uint8_t *)alias, *(const uint8_t *)insn);
}

/* Nothing: returning from the IPI (IRETQ) serialises the CPU. */
static inline void arch_sync_core(void)
{
}

#endif
