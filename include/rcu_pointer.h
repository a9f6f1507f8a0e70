/* SPDX-License-Identifier: MIT */
/*
 * Publishing and loading RCU-protected pointers: only memory ordering, no
 * call into RCU, so code below rcu/ (lib/rbtree) may publish for readers.
 * The checked rcu_dereference() and the rest of the API: <rcupdate.h>.
 *
 * The loads are the arch's (<asm/rwonce.h>): a plain untorn load keeps
 * a dependent load after it on every CPU Quiesce runs on; the host build
 * uses acquire / relaxed atomics, which ThreadSanitizer understands.
 */
#ifndef QUIESCE_RCU_POINTER_H
#define QUIESCE_RCU_POINTER_H

#include <compiler.h>
#include <atomic.h>

/* No check: the caller has its own reason the pointer is stable. */
#define rcu_dereference_raw(p)		__rcu_load_dep(p)
/* The pointer's value, not to be dereferenced (compare with NULL...). */
#define rcu_access_pointer(p)		__rcu_load(p)

/*
 * Publish v at p: a release store, so a reader that loads v with
 * rcu_dereference() sees everything written to *v before. Pairs with
 * the dependency ordering (host: acquire) of rcu_dereference().
 */
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
/* Store without ordering: NULL, or an object no reader can reach yet. */
#define RCU_INIT_POINTER(p, v)		__rcu_store(p, v)

#endif
