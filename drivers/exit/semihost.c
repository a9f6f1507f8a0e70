// SPDX-License-Identifier: MIT
/*
 * Ending a run under QEMU through Arm semihosting, which makes QEMU exit
 * with the status the kernel gives. Needs QEMU's -semihosting-config
 * enable=on; on a real board without a debugger the trap is undefined,
 * which is why boards there use exit=halt.
 */
#include <drivers.h>
#include <arch.h>
#include <asm/semihost.h>

#define ADP_STOPPED_APPLICATION_EXIT	0x20026

void semihost_exit(int status)
{
	static uintptr_t block[2];

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = (uintptr_t)status;
	semihost_call(SEMIHOST_OP_EXIT, (uintptr_t)block);
	for (;;)
		arch_idle_wait();
}
