// SPDX-License-Identifier: MIT
/*
 * kernel_main(), which every arch's entry code calls once its MMU is on:
 * the init sequence, in the order each layer needs the one before it.
 * It starts every layer, RCU's included, so it sits above them all
 * (docs/architecture.md, "Layers").
 *
 *   arch_early_init()      firmware tables: CPUs, memory, the console
 *   kmalloc_init()         the allocators
 *   cmdline_parse()        every key checked; a bad one ends the run here
 *   percpu_init()          per-CPU areas for every possible CPU
 *   rcu_init()             the tree's geometry; RCU watches CPU 0 and
 *                          registers as the CPU watcher (cpu_watch.h)
 *   arch_cpu_init(0), tick_start(), interrupts on
 *   smp_boot_secondaries() every other CPU online, each watched
 *   races_start()          the race build: from here on, every CPU up
 *   harness_run_commands() run=, then SUMMARY
 */
#include <arch.h>
#include <cmdline.h>
#include <harness.h>
#include <kernel.h>
#include <ktime.h>
#include <mm.h>
#include <percpu.h>
#include <printk.h>
#include <races.h>
#include <rcupdate.h>
#include <smp.h>

static void boot_cpu_main(void)
{
	if (percpu_init(nr_cpu_ids))
		panic("percpu: out of memory for %u CPUs", nr_cpu_ids);
	rcu_init();	/* before the first tick; CPU 0 is watched from here */
	arch_cpu_init(0);
	tick_start();
	arch_irq_enable();
	smp_boot_secondaries();
	races_start();
	harness_run_commands();
	harness_finish(EXIT_PASS);
}

void kernel_main(uintptr_t boot_info)
{
	arch_early_init(boot_info);
	kmalloc_init();
	printk("Quiesce: %u CPUs, command line '%s'\n", nr_cpu_ids, arch_cmdline());
	if (cmdline_parse(arch_cmdline()))
		harness_finish(EXIT_FAIL);
	arch_boot_switch_stack(boot_cpu_main);
}
