/* SPDX-License-Identifier: MIT */
/*
 * The CPU watcher: what the core kernel says about each CPU's state to
 * the one layer above it that must know where every CPU is, without
 * knowing who that is. RCU (rcu/tree.c) is that layer: idle and offline
 * time are its extended quiescent states, the tick and interrupt entries
 * its other reports. It registers itself in rcu_init(), on the boot CPU
 * before the first tick and before any other CPU starts, so every CPU
 * sees the registration (the secondaries' start and the tick's first
 * interrupt order it); until then every call does nothing.
 *
 * Every hook runs on the CPU concerned with interrupts disabled, except
 * quiescent() and sleep_check() (thread context) and cpu_dead() (a
 * surviving CPU, thread context).
 */
#ifndef QUIESCE_CPU_WATCH_H
#define QUIESCE_CPU_WATCH_H

#include <compiler.h>

struct cpu_watcher {
	/* The end of tick_handler(), after the core's own tick work. */
	void (*tick)(void);
	/* An interrupt handler whose work may use RCU is entered / left. */
	void (*irq_enter)(void);
	void (*irq_exit)(void);
	/* The idle loop goes to sleep / wakes up. */
	void (*idle_enter)(void);
	void (*idle_exit)(void);
	/* May this CPU, entering idle, stop its tick? */
	bool (*tick_not_needed)(void);
	/* A CPU comes online (before it is marked so), leaves for good
	 * (its last report), is gone (busted: the watcher drops its work,
	 * hotplug=busted's deliberate bug). */
	void (*cpu_starting)(unsigned int cpu);
	void (*cpu_dying)(void);
	void (*cpu_dead)(unsigned int cpu, bool busted);
	/* The calling thread waits for another CPU and holds nothing. */
	void (*quiescent)(void);
	/* might_sleep() with interrupts on: is waiting wrong here? */
	void (*sleep_check)(const char *file, int line);
};

/* The registered watcher (kernel/cpu_watch.c); never NULL. */
extern const struct cpu_watcher *cpu_watcher;

/* Once, on the boot CPU, before its tick and the other CPUs start. */
void cpu_watcher_register(const struct cpu_watcher *w);

/*
 * __qs_point: the function only ever runs where the watcher may count
 * the CPU quiescent: it waits for other CPUs (barriers, run_on_cpus(),
 * SRCU waits), so it is never inside a read-side section. It lives in
 * .text.rcu_qs, so a tick or IPI that interrupted its own code knows
 * (rcu_pc_is_quiescent(), release builds). Code it calls is not
 * covered: loops that do more call rcu_quiescent_state().
 */
#define __qs_point	__attribute__((section(".text.rcu_qs"), noinline))

#endif
