// SPDX-License-Identifier: MIT
/*
 * Host test runner: every KTEST linked into this binary, with threads as
 * CPUs, printing KTAP (kernel/ktest.c).
 * Usage: quiesce-host-tests [--list] [filter]
 * --list prints the name of each case it would run, one a line, and runs
 * none.
 */
#include <ktest.h>
#include <kernel.h>
#include <percpu.h>
#include "../../rcu/tree.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int passed = 0, failed;
	bool list = argc > 1 && !strcmp(argv[1], "--list");
	const char *filter = argc > 1 + list ? argv[1 + list] : NULL;

	if (list) {
		ktest_list(filter, HOST_NR_CPUS);
		return 0;
	}
	if (percpu_init(HOST_NR_CPUS)) {
		fprintf(stderr, "host: cannot allocate per-CPU areas\n");
		return 2;
	}
	/* RCU as rcu_init() leaves it at boot, whichever tests the filter picks. */
	rcu_start(RCU_FANOUT_LEAF, RCU_FANOUT);
	failed = ktest_run_all(filter, HOST_NR_CPUS, &passed);
	return failed ? 1 : 0;
}
