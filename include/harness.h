/* SPDX-License-Identifier: MIT */
/*
 * The run harness: what run= names, how each command reports, and the
 * SUMMARY line every run ends with.
 *
 * A command is registered with COMMAND(); kernel_main() runs the ones the
 * command line names, in order. Each calls harness_report() once per
 * check it makes (a test case, a torture type, a workload mode), so the
 * SUMMARY counts checks, not commands.
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

#endif
