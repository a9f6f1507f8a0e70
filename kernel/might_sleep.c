// SPDX-License-Identifier: MIT
/* Debug check for waiting where waiting is wrong (see include/kernel.h). */
#include <kernel.h>
#include <arch.h>
#include <cpu_watch.h>

void __might_sleep(const char *file, int line)
{
	if (arch_irqs_disabled())
		__warn(file, line, "waiting with interrupts disabled");
	else
		cpu_watcher->sleep_check(file, line);	/* inside an RCU reader? */
}
