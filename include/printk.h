/* SPDX-License-Identifier: MIT */
/*
 * printk: console output. Lines from different CPUs never interleave: each
 * CPU assembles its line in a private buffer and writes it whole under
 * the console lock. Safe in any context, including exceptions and panic
 * (a CPU that faults while holding the console lock re-enters it; during
 * a panic a lock held by a stopped CPU is broken after a bounded wait).
 */
#ifndef QUIESCE_PRINTK_H
#define QUIESCE_PRINTK_H

#include <compiler.h>

__printf(1, 2) void printk(const char *fmt, ...);
__printf(1, 0) void vprintk(const char *fmt, va_list ap);

#define pr_info(...)	printk(__VA_ARGS__)
#define pr_warn(...)	printk("warning: " __VA_ARGS__)
#define pr_err(...)	printk("error: " __VA_ARGS__)

#endif
