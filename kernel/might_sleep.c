// SPDX-License-Identifier: MIT
/* Debug check for waiting where waiting is wrong (see include/kernel.h). */
#include <kernel.h>
#include <arch.h>
#include <rcupdate.h>

void __might_sleep(const char *file, int line)
{
	if (arch_irqs_disabled())
		__warn(file, line, "waiting with interrupts disabled");
	else if (rcu_read_lock_held())
		/* Counted with RCU's other usage errors (tests read the count). */
		rcu_debug_warn(file, line, "waiting inside an RCU read-side section");
}
