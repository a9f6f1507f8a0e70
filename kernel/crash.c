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
#include <spinlock.h>
#include <ktime.h>

static const char *const kinds[] = {
	"data-abort", "undefined", "stack-overflow", "write-text", "panic",
	"hang", "lost-tick", "bug-on", "stack-smash", "ubsan",
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

/* Kinds that stop one CPU while another's watchdog watches it. */
static bool watched_kind(const char *kind)
{
	return !strcmp(kind, "hang") || !strcmp(kind, "lost-tick");
}

static int check_crash_args(void)
{
	const char *kind = cmdline_get("crash");

	if (!kind) {
		printk("crash: crash= is required (valid: ");
		print_kinds();
		printk(")\n");
		return -EINVAL;
	}
	if (watched_kind(kind) && num_online_cpus() < 2) {
		printk("crash: crash=%s needs a second CPU to run the watchdog\n", kind);
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

/*
 * The classic overrun: a copy bounded by its source, not its destination.
 * The source is longer than the buffer by one word (its NUL included):
 * gcc puts a protected function's guard right above its arrays (so on
 * arm64, armv7 and x86_64 alike), so the copy overwrites exactly the
 * guard and nothing the backtrace needs. Reached through a volatile
 * pointer: the compiler sees no overrun.
 */
#define SMASH_BUFFER	16
static char smash_source[SMASH_BUFFER + sizeof(uintptr_t)];
static char *volatile smash_source_ptr = smash_source;

static __noinline size_t copy_name(void)
{
	char name[SMASH_BUFFER];
	const char *src = smash_source_ptr;
	size_t n = 0;

	while ((name[n] = src[n]) != '\0')
		n++;
	printk("crash: copied '%s' (%lu bytes) into a %lu-byte buffer\n", name,
	       (unsigned long)n + 1, (unsigned long)sizeof(name));
	return n;	/* the protector stops the return */
}

/*
 * Signed overflow, undefined in C: the debug kernel's sanitizer reports
 * it; the compiler cannot fold it away, the operand is volatile.
 */
static volatile int ubsan_operand = 0x7fffffff;

static __noinline int overflow_int(void)
{
	int v = ubsan_operand;

	return v + 1;
}

/* An address nothing maps (the first page is never mapped). */
static volatile uintptr_t unmapped_address = 16;

/*
 * The last CPU of the run (cpus=, at least 2) hangs; the others watch.
 * It spins with interrupts off for a lock the CPU before it holds, as a
 * lock convoy would: the watchdog's report names the lock and its holder.
 */
static DEFINE_SPINLOCK(crash_hang_lock);
static bool crash_hang_held;

static void hang_on_this_cpu(void *arg)
{
	unsigned int *victim = arg, me = smp_processor_id();

	if (me == *victim - 1) {
		spin_lock(&crash_hang_lock);
		/* Release: the lock is held before the victim waits for it. */
		smp_store_release(&crash_hang_held, true);
		for (;;)	/* interrupts on: this CPU keeps ticking */
			cpu_relax();
	}
	if (me != *victim)
		return;
	while (!smp_load_acquire(&crash_hang_held))
		cpu_relax();
	printk("crash: CPU %u spins with interrupts off for a lock CPU %u holds\n",
	       me, me - 1);
	arch_irq_disable();
	spin_lock(&crash_hang_lock);
	panic("crash: CPU %u took a lock CPU %u holds", me, me - 1);
}

/* The last CPU stops its own tick and spins with interrupts on: the
 * watchdog must tell a lost tick from a hang (the CPU answers an IPI). */
static void lose_tick_on_this_cpu(void *arg)
{
	unsigned int *victim = arg;
	unsigned long flags;

	if (smp_processor_id() != *victim)
		return;
	printk("crash: CPU %u stops its tick and spins with interrupts on\n", *victim);
	flags = arch_irq_save();
	tick_stop();
	arch_irq_restore(flags);
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
	} else if (watched_kind(kind)) {
		/* The victim is the last CPU of the run (cpus=, at least 2). */
		unsigned int ncpus = max(harness_cpus(), 2u), victim = ncpus - 1;

		run_on_cpus(ncpus, !strcmp(kind, "hang") ? hang_on_this_cpu : lose_tick_on_this_cpu,
			    &victim);
	} else if (!strcmp(kind, "stack-smash")) {
		memset(smash_source, 'x', sizeof(smash_source) - 1);
		copy_name();
	} else if (!strcmp(kind, "ubsan")) {
		printk("crash: INT_MAX + 1 = %d\n", overflow_int());
	}
	printk("crash: %s did not crash the kernel\n", kind);
	harness_report(false);
}

COMMAND("crash", "a deliberate fault (crash=...), to test the crash path",
	check_crash_args, crash_run);
