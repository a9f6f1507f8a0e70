// SPDX-License-Identifier: MIT
/*
 * Ending a run under QEMU through its isa-debug-exit device (QEMU option
 * -device isa-debug-exit,iobase=0xf4,iosize=0x04): a write of value makes
 * QEMU exit with status (value << 1) | 1, which the host runner maps
 * back. On a real PC nothing listens on the port, and the CPU halts.
 */
#include <drivers.h>
#include <arch.h>
#include <asm/io.h>

#define ISA_DEBUG_EXIT_PORT	0xf4

void isa_debug_exit(int status)
{
	outl(ISA_DEBUG_EXIT_PORT, (uint32_t)status);
	arch_halt();
}
