// SPDX-License-Identifier: MIT
/*
 * Host test runner: every KTEST linked into this binary, with threads as
 * CPUs. Usage: quiesce-host-tests [filter]
 */
#include <ktest.h>
#include <kernel.h>
#include <percpu.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int passed = 0, failed;

	if (percpu_init(HOST_NR_CPUS)) {
		fprintf(stderr, "host: cannot allocate per-CPU areas\n");
		return 2;
	}
	ktest_announce = true;
	failed = ktest_run_all(argc > 1 ? argv[1] : NULL, HOST_NR_CPUS, &passed);
	return failed ? 1 : 0;
}
