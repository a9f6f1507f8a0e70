// SPDX-License-Identifier: MIT
/*
 * run=crash crash=<kind>: deliberate faults, so the tests can prove that
 * every way the kernel can die ends the run with a diagnostic and a
 * failure status, never a hang.
 */
#include <arch.h>
#include <cmdline.h>
#include <harness.h>
#include <kernel.h>
#include <libc.h>
#include <smp.h>

static const char *const kinds[] = {
	"data-abort", "undefined", "stack-overflow", "write-text", "panic",
	"hang", "bug-on",
};

static void print_kinds(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(kinds); i++)
		printk("%s%s", i ? " " : "", kinds[i]);
}

static int check_kind(const char *value)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(value, kinds[i]))
			return 0;
	return -EINVAL;
}
CMDLINE_KEY_LIST(crash, print_kinds, check_kind);

static int check_crash_args(void)
{
	const char *kind = cmdline_get("crash");

	if (!kind) {
		printk("crash: crash= is required (valid: ");
		print_kinds();
		printk(")\n");
		return -EINVAL;
	}
	if (!strcmp(kind, "hang") && num_online_cpus() < 2) {
		printk("crash: crash=hang needs a second CPU to run the watchdog\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * Each frame is big and used, so the recursion reaches the guard quickly;
 * the bound is far beyond any stack, and hides the intent from the compiler.
 */
static volatile int recurse_limit = 1 << 30;

static __noinline int recurse(volatile char *prev, int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	frame[511] = prev ? prev[0] : 0;
	if (depth >= recurse_limit)
		return 0;
	return recurse(frame, depth + 1) + frame[1];
}

/* An address nothing maps (the first page is never mapped). */
static volatile uintptr_t unmapped_address = 16;

static void hang_on_this_cpu(void *arg)
{
	(void)arg;
	if (smp_processor_id() != 1)
		return;
	printk("crash: CPU 1 spins with interrupts off\n");
	arch_irq_disable();
	for (;;)
		cpu_relax();
}

static void crash_run(void)
{
	const char *kind = cmdline_get("crash");

	printk("crash: triggering %s\n", kind);
	if (!strcmp(kind, "data-abort")) {
		printk("crash: read %d\n", *(volatile int *)unmapped_address);
	} else if (!strcmp(kind, "undefined")) {
		arch_undefined_instruction();
	} else if (!strcmp(kind, "stack-overflow")) {
		recurse(NULL, 0);
	} else if (!strcmp(kind, "write-text")) {
		*(volatile uint32_t *)(uintptr_t)crash_run = 0;
	} else if (!strcmp(kind, "panic")) {
		panic("crash: deliberate panic");
	} else if (!strcmp(kind, "bug-on")) {
		BUG_ON(kind != NULL);
	} else if (!strcmp(kind, "hang")) {
		run_on_cpus(2, hang_on_this_cpu, NULL);
	}
	printk("crash: %s did not crash the kernel\n", kind);
	harness_report(false);
}

COMMAND("crash", "a deliberate fault (crash=...), to test the crash path",
	check_crash_args, crash_run);
