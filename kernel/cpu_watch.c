// SPDX-License-Identifier: MIT
/* The CPU watcher the core reports to (include/cpu_watch.h). */
#include <cpu_watch.h>
#include <kernel.h>

static void nothing(void) { }
static bool tick_not_needed(void) { return true; }
static void cpu_nothing(unsigned int cpu) { }
static void dead_nothing(unsigned int cpu, bool busted) { }
static void sleep_nothing(const char *file, int line) { }

/* Until one registers: a watcher that wants nothing. */
static const struct cpu_watcher no_watcher = {
	.tick = nothing,
	.irq_enter = nothing,
	.irq_exit = nothing,
	.idle_enter = nothing,
	.idle_exit = nothing,
	.tick_not_needed = tick_not_needed,
	.cpu_starting = cpu_nothing,
	.cpu_dying = nothing,
	.cpu_dead = dead_nothing,
	.quiescent = nothing,
	.sleep_check = sleep_nothing,
};

/*
 * Written once, on the boot CPU before its tick and the other CPUs
 * start: every later reader is ordered after it by its own start (the
 * secondaries' boot protocol, the first tick's interrupt), so a plain
 * pointer suffices.
 */
const struct cpu_watcher *cpu_watcher = &no_watcher;

void cpu_watcher_register(const struct cpu_watcher *w)
{
	BUG_ON(cpu_watcher != &no_watcher && cpu_watcher != w);
	cpu_watcher = w;
}
