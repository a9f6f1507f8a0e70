/* SPDX-License-Identifier: MIT */
/*
 * Untorn single accesses, for every architecture that supplies no
 * <asm/rwonce.h> of its own (-Iinclude/asm-generic comes after the arch's
 * include folder). A volatile access is one the compiler may neither
 * merge, split nor repeat; every CPU Quiesce runs on keeps a load that
 * depends on a loaded pointer after that load, so the dependent load of
 * rcu_dereference() is the same plain access.
 */
#ifndef QUIESCE_ASM_GENERIC_RWONCE_H
#define QUIESCE_ASM_GENERIC_RWONCE_H

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) do { *(volatile __typeof__(x) *)&(x) = (v); } while (0)

/* RCU-protected pointers (include/rcu_pointer.h). */
#define __rcu_load_dep(p)	READ_ONCE(p)
#define __rcu_load(p)		READ_ONCE(p)
#define __rcu_store(p, v)	WRITE_ONCE(p, v)

#endif
