// SPDX-License-Identifier: MIT
/*
 * The run harness (include/harness.h): the commands run= names, each
 * checking its keys before any runs, the SUMMARY line every run ends
 * with, and the selftest command. boot/init.c brings the machine up and
 * calls it.
 */
#include <arch.h>
#include <cmdline.h>
#include <harness.h>
#include <kernel.h>
#include <ktest.h>
#include <libc.h>
#include <lockdep.h>
#include <races.h>
#include <smp.h>

/* Without run=: every workload in every mode (then their table, a run-end hook). */
#define DEFAULT_RUN	"all"

extern const struct command *const __start_commands[] __weak;
extern const struct command *const __stop_commands[] __weak;
extern void (*const __start_run_end_hooks[])(void) __weak;
extern void (*const __stop_run_end_hooks[])(void) __weak;

static int passed, failed;	/* boot CPU only */

static const struct command *find_command(const char *name, size_t len)
{
	for (const struct command *const *c = __start_commands; c < __stop_commands; c++)
		if (strlen((*c)->name) == len && !strncmp((*c)->name, name, len))
			return *c;
	return NULL;
}

static void print_commands(void)
{
	for (const struct command *const *c = __start_commands; c < __stop_commands; c++)
		printk("%s%s", c == __start_commands ? "" : " ", (*c)->name);
}

static bool command_known(const char *name, size_t len)
{
	return find_command(name, len) != NULL;
}

/* run=a,b,c: every name must be a command. */
static int check_run(const char *value)
{
	return cmdline_check_list(value, command_known);
}

static int check_exit(const char *value)
{
	return strcmp(value, "auto") && strcmp(value, "halt") ? -EINVAL : 0;
}

static int check_cpus(const char *value)
{
	unsigned long long n;

	if (kstrtoull(value, &n) || n == 0 || n > NR_CPUS)
		return -EINVAL;
	return 0;
}

CMDLINE_KEY_LIST(run, print_commands, check_run);
CMDLINE_KEY(ms, "a duration in milliseconds", cmdline_check_uint);
CMDLINE_KEY(cpus, "a CPU count from 1 to the number online", check_cpus);
CMDLINE_KEY(seed, "a number", cmdline_check_uint);
CMDLINE_KEY(exit, "auto (the board's way) or halt (print SUMMARY and halt)", check_exit);

void harness_report(bool ok)
{
	if (ok)
		passed++;
	else
		failed++;
}

unsigned int harness_cpus(void)
{
	unsigned long long n = cmdline_get_ull("cpus", num_online_cpus());

	return (unsigned int)min(n, (unsigned long long)num_online_cpus());
}

void harness_finish(int status)
{
	const char *exit_mode = cmdline_get("exit");

#ifdef CONFIG_DEBUG
	/* A lock misuse lockdep printed is a failure, whatever else passed. */
	if (READ_ONCE(lockdep_unexpected)) {
		printk("lockdep: %lu report(s) above: the run fails\n",
		       READ_ONCE(lockdep_unexpected));
		failed += !failed;
	}
#endif
	/* The race build: a race no RESULT or TORTURE line counted fails the run. */
	if (RACES_ENABLED) {
		unsigned long races = races_flush(), all, watched = races_watched(&all), excl, ordered;

		printk("races: %lu accesses watched, %lu race(s) found in this run\n", watched, all);
		races_asserted(&excl, &ordered);
		printk("races: %lu exclusive and %lu ordering assertions checked\n", excl, ordered);
		if (races) {
			printk("races: %lu race(s) above outside any check: the run fails\n", races);
			failed += !failed;
		}
	}
	if (status == EXIT_PASS && !passed && !failed) {
		printk("run: nothing it asked for ran (no check passed or failed): the run fails\n");
		failed = 1;
	}
	if (status == EXIT_PASS && failed)
		status = EXIT_FAIL;
	if (status != EXIT_PASS && !failed)
		failed = 1;	/* a run that failed without a failed check */
	printk("SUMMARY passed=%d failed=%d\n", passed, failed);
	if (exit_mode && !strcmp(exit_mode, "halt"))
		arch_halt();
	arch_exit(status);
}

void harness_run_commands(void)
{
	const char *run = cmdline_get("run");
	const char *p;

	if (!run)
		run = DEFAULT_RUN;
	/* Every command checks its own keys before any of them runs. */
	for (p = run; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const struct command *c = find_command(p, len);

		BUG_ON(!c);	/* check_run() accepted the line */
		if (c->check_args && c->check_args())
			harness_finish(EXIT_FAIL);
		p = comma ? comma + 1 : p + len;
	}
	for (p = run; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const struct command *c = find_command(p, len);

		printk("run: %s\n", c->name);
		c->run();
		p = comma ? comma + 1 : p + len;
	}
	for (void (*const *hook)(void) = __start_run_end_hooks; hook < __stop_run_end_hooks; hook++)
		(*hook)();
}

static void selftest_run(void)
{
	int ok = 0, bad = ktest_run_all(cmdline_get("test"), num_online_cpus(), &ok);

	passed += ok;
	failed += bad;
}

static int check_test(const char *value)
{
	return *value ? 0 : -EINVAL;
}
CMDLINE_KEY(test, "a substring of suite.case names", check_test);

COMMAND("selftest", "every in-kernel test case (test= filters)", NULL, selftest_run);
