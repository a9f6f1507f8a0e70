/* SPDX-License-Identifier: MIT */
/*
 * The run harness: what run= names, how each command reports, and the
 * SUMMARY line every run ends with.
 *
 * A command is registered with COMMAND(); harness_run_commands() runs the
 * ones the command line names, in order. Each calls harness_report() once per
 * check it makes (a test case, a torture type, a workload mode), so the
 * SUMMARY counts checks, not commands. A run that made no check fails:
 * what it asked for did not happen (a mode that needs more CPUs, a
 * test= that names no case).
 */
#ifndef QUIESCE_HARNESS_H
#define QUIESCE_HARNESS_H

#include <compiler.h>

struct command {
	const char *name;
	const char *help;
	/* Check this command's own keys (mode=, type=, ...) before anything
	 * runs; print one line naming a bad one and return -EINVAL. */
	int (*check_args)(void);
	void (*run)(void);
};

#define COMMAND(_name, _help, _check, _run)				\
	static const struct command command_##_run = {			\
		.name = _name, .help = _help,				\
		.check_args = _check, .run = _run,			\
	};								\
	static const struct command *const command_ptr_##_run		\
		__used __section("commands") = &command_##_run

/*
 * RUN_END_HOOK(fn): fn runs once after the last command of run=, before
 * SUMMARY (the workloads print their table so): with the CPU watcher
 * (<cpu_watch.h>), the only way the core calls into a layer above it.
 */
#define RUN_END_HOOK(_fn)						\
	static void (*const run_end_hook_##_fn)(void)			\
		__used __section("run_end_hooks") = _fn

/* Run the commands run= names (all without it), after every one of them
 * checked its keys; then the run-end hooks. The boot CPU, every CPU up. */
void harness_run_commands(void);

/* Count one check's outcome toward SUMMARY. */
void harness_report(bool passed);

/* Exit statuses the host runner understands (before any arch encoding). */
#define EXIT_PASS	0
#define EXIT_FAIL	1
#define EXIT_PANIC	2

/* Print "SUMMARY passed=N failed=M" and end the run with status. */
__noreturn void harness_finish(int status);

/* Number of CPUs a command should use: cpus= or every online CPU. */
unsigned int harness_cpus(void);

/*
 * The counters of the counting builds: atomic RMWs + full barriers
 * (CONFIG_ATOMIC_STATS), HITM and invalidations (CONFIG_COHERENCE, see
 * include/coherence.h). For one CPU, or summed over a role's CPUs.
 */
struct cpu_counts {
	unsigned long long atomics, hitm, inval;
};

/* cpu's counters so far, in thread context (interrupt handlers left out). */
struct cpu_counts cpu_counts_read(unsigned int cpu);

/* *sum += now - then. */
void cpu_counts_add(struct cpu_counts *sum, const struct cpu_counts *now,
		    const struct cpu_counts *then);

/* What one role's CPUs (the readers, or the updaters) did during a run. */
struct result_cost {
	unsigned long long ops;
	struct cpu_counts n;
};

/* The keys every RESULT line starts with. */
struct result_line {
	const char *workload, *mode;
	unsigned int cpus;
	/* " headline=<key> <key>=<value> ...": the seed's own measure, right
	 * after cpus= (NULL: none, as in rcubench and lockbench). */
	const char *headline;
	/* More " key=value" keys after the caller's, or NULL (printed on their
	 * own: one printk() formats at most 255 bytes). */
	const char *tail;
	unsigned long long ms, ops, ops_per_sec;
	struct result_cost readers;	/* atomics_per_op, hitm_per_op, inval_per_op */
	struct result_cost updaters;	/* upd_hitm_per_op, upd_inval_per_op */
};

/*
 * The one RESULT printer (workloads, rcubench, lockbench):
 *   RESULT workload= mode= cpus= [headline...] ms= ops= ops_per_sec= atomics_per_op=
 *	hitm_per_op= inval_per_op= upd_hitm_per_op= upd_inval_per_op=<fmt...>
 * A per-operation key is x.xx, or "-" in a build that does not count it
 * (atomics: CONFIG_ATOMIC_STATS; HITM, invalidations: CONFIG_COHERENCE)
 * and for the updaters of a run without updates. fmt continues the line
 * with the caller's keys (" key=value" each); the printer ends it with
 * races=N: the race build's new races since the last RESULT or TORTURE
 * line (include/races.h; their RACE lines come first), "-" in other
 * builds. Returns N (0 in other builds): a caller's check fails on N > 0
 * unless it exists to show a bug.
 */
__printf(2, 3) unsigned long result_print(const struct result_line *r, const char *fmt, ...);

/*
 * num/den rounded to places decimals (0 to 4), as "12.34": the one way a
 * console line prints a fraction (the kernel has no floating point).
 * Writes buf and returns it; 0 for den 0.
 */
const char *result_fixed(char *buf, size_t size, unsigned long long num,
			 unsigned long long den, unsigned int places);

/* One "x.xx" or "-", as result_print() prints it. */
const char *result_per_op(char *buf, size_t size, bool counted, unsigned long long count,
			  unsigned long long ops);

#endif
