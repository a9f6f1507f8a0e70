/* SPDX-License-Identifier: MIT */
/*
 * The uprobe workload's instrumented code, named once for every arch:
 * workloads/uprobe/uprobe_targets.S defines the functions from the
 * instructions the arch's <asm/uprobe_target.h> names, and
 * workloads/uprobe/uprobe.c builds the one table of them (the "inodes"
 * uprobes attach to). C and assembly both include this header.
 *
 * Target n is unsigned long uprobe_target_<n>(unsigned long x), returning
 * x + UPROBE_TARGET_ADDS whether or not probes are planted in it, from
 * its first byte up to the label uprobe_target_<n>_end. Every target has
 * the same layout: UPROBE_SITES probe sites (NOP or ADD instructions the
 * arch's <asm/uprobe.h> can emulate) at the offsets in
 * uprobe_site_offsets[], which uprobe_targets.S measures from target 0.
 */
#ifndef QUIESCE_UPROBE_TARGETS_H
#define QUIESCE_UPROBE_TARGETS_H

#define UPROBE_NR_TARGETS	16
#define UPROBE_SITES		6
#define UPROBE_TARGET_ADDS	6

/* X(n) for every target n, in order (assembly: X(n) ends with ';'). */
#define UPROBE_FOR_EACH_TARGET(X)					\
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)				\
	X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

#endif
