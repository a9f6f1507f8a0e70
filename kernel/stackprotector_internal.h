/* SPDX-License-Identifier: MIT */
/*
 * The stack protector's guard and how it was drawn (kernel/stackprotector.c),
 * for its tests (kernel/stackprotector_test.c); nothing else reads these.
 */
#ifndef QUIESCE_STACKPROTECTOR_INTERNAL_H
#define QUIESCE_STACKPROTECTOR_INTERNAL_H

#include <compiler.h>

/* The guard every protected function copies into its frame. */
extern uintptr_t __stack_chk_guard;

/* What this boot's guard was drawn from: the CPU instruction's name (or
 * NULL) and the bytes of boot information mixed in. Set once at boot. */
extern const char *canary_rng;
extern size_t canary_boot_info;

/*
 * One draw of a guard value, lowest byte zero: the CPU's random generator,
 * the counter and up to 64 KiB of the boot information at boot_info (0 for
 * none). *rng and *info_len say what went in. Any context.
 */
uintptr_t canary_draw(uintptr_t boot_info, const char **rng, size_t *info_len);

#endif
