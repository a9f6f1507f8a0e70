// SPDX-License-Identifier: MIT
/*
 * Boot-time RCU setup (rcu_init(), from boot/init.c): the tree's
 * geometry from the command line (rcu_fanout=N puts N children under
 * every node, leaves included; by default 16 CPUs per leaf and
 * BITS_PER_LONG children per interior node), and RCU as the CPU watcher
 * the core reports to. Kernel only: the host tests pick geometries
 * themselves.
 */
#include "tree.h"
#include <cmdline.h>
#include <kernel.h>
#include <smp.h>

static int check_fanout(const char *value)
{
	unsigned long long n;

	if (kstrtoull(value, &n) || n < 2 || n > BITS_PER_LONG)
		return -EINVAL;
	return 0;
}
CMDLINE_KEY(rcu_fanout, "children per RCU tree node, 2 to the bits in a long", check_fanout);

void rcu_init(void)
{
	unsigned long long fanout = cmdline_get_ull("rcu_fanout", 0);

	/*
	 * The stall timeout grows with the CPU count, as the watchdog's does:
	 * under an emulator a busy grace period needs every vCPU scheduled
	 * once (6-7 s at 256 vCPUs on 2 host cores, see README "Scale").
	 */
	rcu_set_stall_timeout_ms(RCU_STALL_MS + RCU_STALL_MS_PER_CPU * nr_cpu_ids);
	if (fanout)
		rcu_start((unsigned int)fanout, (unsigned int)fanout);
	else
		rcu_start(RCU_FANOUT_LEAF, RCU_FANOUT);
	printk("rcu: tree of %u nodes in %u levels for %u CPUs\n", rcu_tree_nodes(),
	       rcu_tree_levels(), nr_cpu_ids);
}
