// SPDX-License-Identifier: MIT
/*
 * The page-table core every arch shares: one identity map for all CPUs,
 * PT_LEVELS levels of 512 entries, 4 KiB pages and 2 MiB blocks where a
 * whole aligned block is mapped alike. The arch says how its entries are
 * built and how its TLBs are kept (<asm/pgtable.h>, see include/pgtable.h);
 * this file walks, allocates and checks. Table pages come from a static
 * pool in the kernel image, so mapping works before the page allocator
 * does (and, on x86_64, lies below 4 GiB, where a starting CPU loads CR3
 * in 32-bit mode).
 *
 * Locking: tables change only on the boot CPU during bring-up
 * (pt_map_early()) and then under map_lock; a walk by another CPU sees
 * either the old or the new entry, never a torn one (every arch here
 * stores an aligned 64-bit entry single-copy atomically: STR on arm64,
 * STRD with LPAE, MOV on x86_64).
 */
#include <pgtable.h>
#include <asm/pgtable.h>
#include <kernel.h>
#include <kerrno.h>
#include <mm.h>
#include <spinlock.h>
#include <libc.h>

#define PT_ENTRIES	512
#define BLOCK_SIZE	(1ULL << 21)

static uint64_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_pool_used;	/* guarded by map_lock */
static uint64_t *pt_root;		/* level 0; constant after pt_init() */
static DEFINE_SPINLOCK(map_lock);

/* Level 0 is the root; level PT_LEVELS - 1 maps 4 KiB pages. */
static uint64_t *pt_entry(uint64_t *table, unsigned int level, uintptr_t va)
{
	unsigned int shift = 12 + 9 * (PT_LEVELS - 1 - level);

	return &table[((uint64_t)va >> shift) & (PT_ENTRIES - 1)];
}

static uint64_t *pt_table_of(uint64_t e)
{
	return (uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
}

static uint64_t *pt_alloc(void)
{
	uint64_t *t;

	if (pt_pool_used == PT_POOL_PAGES)
		return NULL;
	t = pt_pool[pt_pool_used++];
	memset(t, 0, PAGE_SIZE);
	return t;
}

void pt_init(void)
{
	pt_root = pt_alloc();
}

uint64_t pt_root_pa(void)
{
	return (uint64_t)(uintptr_t)pt_root;
}

/*
 * The next-level table under *entry, allocated if absent; NULL with
 * -EEXIST if a block is there, or -ENOMEM. Table entries allow
 * everything: the leaf decides.
 */
static uint64_t *pt_next(uint64_t *entry, int *err)
{
	uint64_t *t;

	if (pte_present(*entry)) {
		if (pte_is_leaf(*entry)) {
			*err = -EEXIST;
			return NULL;
		}
		return pt_table_of(*entry);
	}
	t = pt_alloc();
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	pt_table_barrier();
	WRITE_ONCE(*entry, pte_mk_table((uint64_t)(uintptr_t)t));
	return t;
}

/* The table of 2 MiB entries covering va, allocating tables on the way. */
static uint64_t *pt_block_table(uintptr_t va, int *err)
{
	uint64_t *t = pt_root;

	for (unsigned int level = 0; t && level < PT_LEVELS - 2; level++)
		t = pt_next(pt_entry(t, level, va), err);
	return t;
}

/* map_lock held, or the boot CPU alone (pt_map_early()). */
static int map_locked(uintptr_t va, uint64_t pa, size_t size, unsigned int prot)
{
	uint64_t attrs = pt_prot_to_pte(prot);
	int err = 0;

	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || (uint64_t)va + size > PT_VA_LIMIT)
		return -EINVAL;
	while (size) {
		uint64_t *bt = pt_block_table(va, &err), *be, *pt, *pte;
		size_t step = PAGE_SIZE;

		if (!bt)
			return err;
		be = pt_entry(bt, PT_LEVELS - 2, va);
		if (IS_ALIGNED(va | pa, BLOCK_SIZE) && size >= BLOCK_SIZE && !pte_present(*be)) {
			WRITE_ONCE(*be, pte_mk_block(pa, attrs));
			step = BLOCK_SIZE;
		} else if (pte_present(*be) && pte_is_leaf(*be) && (prot & MAP_SKIP_MAPPED)) {
			step = min((size_t)(ALIGN_DOWN((uint64_t)va, BLOCK_SIZE) + BLOCK_SIZE - va), size);
		} else {
			pt = pt_next(be, &err);
			if (!pt)
				return err;
			pte = pt_entry(pt, PT_LEVELS - 1, va);
			if (!pte_present(*pte))
				WRITE_ONCE(*pte, pte_mk_page(pa, attrs));
			else if (!(prot & MAP_SKIP_MAPPED) && *pte != pte_mk_page(pa, attrs))
				return -EEXIST;
		}
		va += step;
		pa += step;
		size -= step;
	}
	/* Only invalid entries became valid: no TLB holds them (neither ARM
	 * nor x86 caches a failed walk), the writes need only complete. */
	pt_map_done();
	return 0;
}

int pt_map_early(uintptr_t va, uint64_t pa, size_t size, unsigned int prot)
{
	return map_locked(va, pa, size, prot);
}

int arch_map(uintptr_t va, uint64_t pa, size_t size, unsigned int prot)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&map_lock, flags);
	err = map_locked(va, pa, size, prot);
	spin_unlock_irqrestore(&map_lock, flags);
	return err;
}

/*
 * Removes 4 KiB mappings (2 MiB blocks are left alone). On x86_64 the
 * other CPUs flush through an IPI, so with other CPUs online the caller
 * must have interrupts on (see smp_call_function()).
 */
void arch_unmap(uintptr_t va, size_t size)
{
	unsigned long flags;

	spin_lock_irqsave(&map_lock, flags);
	for (uintptr_t a = va; a < va + size; a += PAGE_SIZE) {
		uint64_t *t = pt_root;
		unsigned int level;

		for (level = 0; level < PT_LEVELS - 1; level++) {
			uint64_t e = *pt_entry(t, level, a);

			if (!pte_present(e) || pte_is_leaf(e))
				break;
			t = pt_table_of(e);
		}
		if (level < PT_LEVELS - 1)
			continue;	/* nothing mapped, or a block */
		WRITE_ONCE(*pt_entry(t, level, a), 0);
		/* Break before make: the entry is gone before the page is reused. */
		pt_flush_page(a);
	}
	spin_unlock_irqrestore(&map_lock, flags);
	pt_unmap_done();
}

void *ioremap(uint64_t pa, size_t size)
{
	uint64_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (arch_map(base, base, end - base, PROT_READ | PROT_WRITE | PROT_DEVICE))
		return NULL;
	return (void *)(uintptr_t)pa;
}
