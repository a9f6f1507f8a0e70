/* SPDX-License-Identifier: MIT */
/*
 * Untorn single accesses for the host build, which runs under
 * ThreadSanitizer: it models neither volatile accesses nor address
 * dependencies, so these are relaxed atomics, and the dependent load of
 * rcu_dereference() is an acquire (include/asm-generic/asm/rwonce.h is
 * the kernel's form).
 */
#ifndef QUIESCE_ASM_RWONCE_H
#define QUIESCE_ASM_RWONCE_H

#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#define __rcu_load_dep(p)	__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define __rcu_load(p)		__atomic_load_n(&(p), __ATOMIC_RELAXED)
#define __rcu_store(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELAXED)

#endif
