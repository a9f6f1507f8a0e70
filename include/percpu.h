/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables. DEFINE_PER_CPU() places a variable in the per-CPU
 * template section; percpu_init() gives every other possible CPU its own
 * zeroed copy (CPU 0 keeps the template itself, so per-CPU data works
 * before the allocator does). Per-CPU variables therefore take no
 * initializer: they start zeroed on every CPU. Copies live in separate
 * allocations, so two CPUs' copies never share a cache line.
 *
 * Access rules: this_cpu_ptr() and __this_cpu_*() name the calling CPU's
 * copy; the caller must not migrate (there is no preemption in Quiesce,
 * so only code that can be interrupted by code touching the same variable
 * must disable interrupts). per_cpu_ptr(var, cpu) may name any CPU's copy;
 * synchronisation with its owner is the caller's business.
 */
#ifndef QUIESCE_PERCPU_H
#define QUIESCE_PERCPU_H

#include <compiler.h>
#include <arch.h>

#ifndef NR_CPUS
#define NR_CPUS 512
#endif

#define PERCPU_SECTION "percpu_data"

#define DEFINE_PER_CPU(type, name) \
	__section(PERCPU_SECTION) __typeof__(type) name
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	__section(PERCPU_SECTION) ____cacheline_aligned __typeof__(type) name
#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name

/* Byte offset from the template to each CPU's copy. */
extern intptr_t __per_cpu_offset[NR_CPUS];

#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((uintptr_t)(ptr) + __per_cpu_offset[(cpu)]))
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), (cpu)))
#ifdef arch_this_cpu_offset	/* the arch keeps the calling CPU's offset at hand */
#define this_cpu_ptr(ptr) \
	((__typeof__(ptr))((uintptr_t)(ptr) + arch_this_cpu_offset()))
#else
#define this_cpu_ptr(ptr)	per_cpu_ptr(ptr, arch_cpu_id())
#endif
#define __this_cpu_read(var)	(*this_cpu_ptr(&(var)))
#define __this_cpu_write(var, v) (*this_cpu_ptr(&(var)) = (v))
#define __this_cpu_inc(var)	((*this_cpu_ptr(&(var)))++)
#define __this_cpu_add(var, n)	((*this_cpu_ptr(&(var))) += (n))

#define smp_processor_id()	arch_cpu_id()

/* Copy the template for CPUs 1..nr_cpus-1. 0 or -ENOMEM. */
int percpu_init(unsigned int nr_cpus);

#endif
