/* SPDX-License-Identifier: MIT */
/*
 * Memory: the page allocator, kmalloc, and the mapping calls every
 * architecture's MMU code provides.
 *
 * Allocation failure is an ordinary result: every caller checks for NULL.
 * failslab (mm_set_failslab()) makes kmalloc fail on purpose so the error
 * paths are exercised. Debug builds (CONFIG_DEBUG) poison freed kmalloc
 * memory with POISON_FREE and check the poison on the next allocation, so
 * a write after free is reported, and report a double free.
 */
#ifndef QUIESCE_MM_H
#define QUIESCE_MM_H

#include <compiler.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define POISON_FREE	0x6b
#define POISON_FREE64	0x6b6b6b6b6b6b6b6bULL

/* Page allocator: contiguous runs of physical pages (identity mapped). */
void page_alloc_add_region(uint64_t base, uint64_t size);
void page_alloc_reserve(uint64_t base, uint64_t size);
void *alloc_pages(unsigned int npages);
void free_pages(void *addr, unsigned int npages);
unsigned long nr_free_pages(void);
unsigned long nr_total_pages(void);

/*
 * kmalloc/kfree: any context (interrupts may be on or off); kmalloc
 * returns NULL on failure, kzalloc zeroes. kfree(NULL) does nothing.
 */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(const void *p);

/* Objects allocated minus objects freed, over all CPUs. */
long kmalloc_live_objects(void);

/*
 * Boot CPU, once the page allocator has all of memory and before the
 * other CPUs start: build kmalloc's per-page metadata (tens of MiB to
 * zero with big memories), so that no kmalloc() pays for it later.
 */
void kmalloc_init(void);

/*
 * The kmalloc cache p lies in ("kmalloc-64", ..., "kmalloc-large") and
 * p's offset in its object, or NULL when kmalloc does not own p's page
 * (the object may since have been freed: this reads only the page's
 * metadata). For reports such as the coherence build's c2c lines.
 */
const char *kmalloc_object(const void *p, uintptr_t *offset);

/*
 * Direct reclaim. A kmalloc() called with interrupts enabled that finds
 * fewer free pages than mm_low_watermark() first calls the reclaimer,
 * asking it to free about nr_pages (the shrinkers: <shrinker.h>). Not
 * recursively: allocations made by the reclaimer itself do not reclaim.
 * So a caller of kmalloc() with interrupts on must not hold a lock the
 * reclaimer (a shrinker's callbacks) takes. One reclaimer; NULL: none.
 */
void mm_set_reclaim(unsigned long (*reclaim)(unsigned long nr_pages));
/* The low watermark in pages: 1/128 of memory, at least 64. */
unsigned long mm_low_watermark(void);

/*
 * Fail one in every `one_in` kmalloc calls on purpose (0: never); with
 * a fixed seed the failures are reproducible. Any context.
 */
void mm_set_failslab(unsigned int one_in, uint64_t seed);
/* Failures injected since boot, over all CPUs. */
unsigned long mm_failslab_hits(void);
/*
 * The failslab=<one_in> command-line key, for runs that bracket
 * themselves with these (rcutorture, workloads): start injecting at that
 * rate, seeded by seed=; true if injection is on. failslab_stop() turns
 * it off and returns how many failures it injected since the start.
 * Boot CPU, not nested.
 */
bool failslab_start(void);
unsigned long failslab_stop(void);
/* While paused, failslab_start() injects nothing (run=soak's clean rounds). */
void failslab_pause(bool pause);

/* CPU hotplug: cpu is offline; return its cached free objects (kernel/smp.c). */
void kmalloc_cpu_dead(unsigned int cpu);

/* Mapping: prot bits for arch_map(). */
#define PROT_READ	1u
#define PROT_WRITE	2u
#define PROT_EXEC	4u
#define PROT_DEVICE	8u
#define MAP_SKIP_MAPPED	0x100u	/* leave already-mapped pages as they are */

/*
 * make BUSTED=1 breaks the hardening the crash tests check, to show that
 * they fail then: kernel text mapped writable (crash=write-text), and the
 * guard page below each thread stack mapped (crash=stack-overflow).
 */
#ifdef CONFIG_BUSTED_HARDENING
#define BUSTED_HARDENING	1
#else
#define BUSTED_HARDENING	0
#endif
/* Kernel text: read-only and executable (W^X). */
#define PROT_KERNEL_TEXT	(PROT_READ | PROT_EXEC | (BUSTED_HARDENING ? PROT_WRITE : 0))

/*
 * Map [va, va+size) to pa with prot; page aligned. 0, -ENOMEM when out of
 * page-table pages, -EEXIST when a different mapping is in the way.
 */
int arch_map(uintptr_t va, uint64_t pa, size_t size, unsigned int prot);
/* Remove a mapping and invalidate the TLBs of every CPU. */
void arch_unmap(uintptr_t va, size_t size);
/* Map fresh pages read-write at [va, va+size) (a stack): 0 or -errno. */
int map_new_pages(uintptr_t va, size_t size);

/* Map a device's registers (identity, uncached); NULL on failure. */
void *ioremap(uint64_t pa, size_t size);

#endif
