// SPDX-License-Identifier: MIT
/* Debug check for waiting where waiting is wrong (see include/kernel.h). */
#include <kernel.h>
#include <arch.h>

void __might_sleep(const char *file, int line)
{
	if (arch_irqs_disabled())
		__warn(file, line, "waiting with interrupts disabled");
}
