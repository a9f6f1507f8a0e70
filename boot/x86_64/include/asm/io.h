/* SPDX-License-Identifier: MIT */
/* x86 port I/O. */
#ifndef QUIESCE_ASM_IO_H
#define QUIESCE_ASM_IO_H

#include <compiler.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" :: "a"(v), "Nd"(port) : "memory");
}

#endif
