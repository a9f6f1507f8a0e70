/* SPDX-License-Identifier: MIT */
/*
 * Between kernel/tsan.c (the __tsan_* entry points GCC's -fsanitize=thread
 * calls) and the runtimes it feeds: the coherence directory
 * (kernel/coherence.c, CONFIG_COHERENCE) and the race detector
 * (kernel/races.c, CONFIG_RACES). Private to those three files, none of
 * which is instrumented.
 */
#ifndef QUIESCE_KERNEL_TSAN_H
#define QUIESCE_KERNEL_TSAN_H

#include <compiler.h>

/* What an access does to memory. */
enum tsan_kind { TSAN_LOAD, TSAN_STORE, TSAN_RMW };

/*
 * Whether the access is marked (the race detector's word, after the Linux
 * memory model's): an __atomic builtin (include/atomic.h, smp_load_acquire,
 * rcu_dereference) or a volatile access (READ_ONCE, WRITE_ONCE), which
 * GCC tells apart with --param tsan-distinguish-volatile=1. A plain access
 * is any other load or store.
 */
enum tsan_mark { TSAN_PLAIN, TSAN_MARKED };

void coherence_access(const volatile void *p, size_t size, enum tsan_kind kind, uintptr_t pc);
void races_access(const volatile void *p, size_t size, enum tsan_kind kind, enum tsan_mark mark,
		  uintptr_t pc);
/* A fence of the given __ATOMIC_* order was executed (the weak-memory model). */
void races_fence(int mo);

#endif
