// SPDX-License-Identifier: MIT
/*
 * x86_64 paging: one identity map shared by every CPU, 4-level, 4 KiB
 * pages with 2 MiB pages where a whole aligned block is mapped alike.
 * RAM is write-back, devices uncached (PCD|PWT: PAT entry 3, UC); kernel
 * text is read-only+executable, rodata read-only, everything else
 * no-execute; CR0.WP makes read-only binding for the kernel too. Page 0
 * and the rest of the first MiB stay unmapped, so a NULL dereference
 * faults. Table pages come from a static pool, so mapping works before
 * the page allocator does; the pool lies below 4 GiB because a starting
 * CPU loads CR3 in 32-bit mode.
 *
 * Locking: tables change only on the boot CPU during bring-up and then
 * under map_lock; another CPU's walk sees the old or the new entry, never
 * a torn one (aligned 64-bit stores are single-copy atomic).
 */
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>
#include <spinlock.h>
#include <libc.h>
#include <asm/cpu.h>
#include "x86_64.h"

#define PT_ENTRIES	512
#define PT_POOL_PAGES	256
#define VA_BITS		48

#define PTE_P		(1UL << 0)
#define PTE_RW		(1UL << 1)
#define PTE_PWT		(1UL << 3)
#define PTE_PCD		(1UL << 4)
#define PTE_A		(1UL << 5)
#define PTE_D		(1UL << 6)
#define PTE_PS		(1UL << 7)	/* a 2 MiB page in a page directory */
#define PTE_NX		(1UL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000UL
#define LARGE_SIZE	(1UL << 21)

static uint64_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_pool_used;	/* guarded by map_lock */
static uint64_t *pt_root;		/* the PML4 */
static uint64_t nx_bit;			/* PTE_NX, or 0 on a CPU without NX */
static DEFINE_SPINLOCK(map_lock);

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

uint64_t mmu_root(void) { return (uintptr_t)pt_root; }
bool mmu_has_nx(void) { return nx_bit != 0; }

static uint64_t *pt_alloc(void)
{
	uint64_t *t;

	if (pt_pool_used == PT_POOL_PAGES)
		return NULL;
	t = pt_pool[pt_pool_used++];
	memset(t, 0, PAGE_SIZE);
	return t;
}

static uint64_t prot_to_pte(unsigned int prot)
{
	/* Accessed and dirty preset: the CPU never writes the tables. */
	uint64_t pte = PTE_P | PTE_A | PTE_D;

	if (prot & PROT_WRITE)
		pte |= PTE_RW;
	if (prot & PROT_DEVICE)
		pte |= PTE_PCD | PTE_PWT;
	if (!(prot & PROT_EXEC))
		pte |= nx_bit;
	return pte;
}

/*
 * The next-level table under *entry, allocated if absent; NULL with
 * -EEXIST if a 2 MiB page is there, or -ENOMEM. Intermediate entries
 * allow everything: the leaf decides.
 */
static uint64_t *pt_next(uint64_t *entry, int *err)
{
	uint64_t *t;

	if (*entry & PTE_P) {
		if (*entry & PTE_PS) {
			*err = -EEXIST;
			return NULL;
		}
		return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR_MASK);
	}
	t = pt_alloc();
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	WRITE_ONCE(*entry, (uint64_t)(uintptr_t)t | PTE_P | PTE_RW);
	return t;
}

/* The page directory covering va, allocating tables on the way. */
static uint64_t *pd_of(uintptr_t va, int *err)
{
	uint64_t *pdpt = pt_next(&pt_root[(va >> 39) & 511], err);

	return pdpt ? pt_next(&pdpt[(va >> 30) & 511], err) : NULL;
}

static int map_locked(uintptr_t va, uint64_t pa, size_t size, unsigned int prot)
{
	uint64_t attrs = prot_to_pte(prot);
	int err = 0;

	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || va + size > (1UL << (VA_BITS - 1)))
		return -EINVAL;
	while (size) {
		uint64_t *pd = pd_of(va, &err), *pde, *pt, *pte;

		if (!pd)
			return err;
		pde = &pd[(va >> 21) & 511];
		if (IS_ALIGNED(va | pa, LARGE_SIZE) && size >= LARGE_SIZE && !(*pde & PTE_P)) {
			WRITE_ONCE(*pde, pa | attrs | PTE_PS);
			va += LARGE_SIZE;
			pa += LARGE_SIZE;
			size -= LARGE_SIZE;
			continue;
		}
		if ((*pde & PTE_P) && (*pde & PTE_PS) && (prot & MAP_SKIP_MAPPED)) {
			size_t step = min((size_t)(ALIGN_DOWN(va, LARGE_SIZE) + LARGE_SIZE - va), size);

			va += step;
			pa += step;
			size -= step;
			continue;
		}
		pt = pt_next(pde, &err);
		if (!pt)
			return err;
		pte = &pt[(va >> 12) & 511];
		if (*pte & PTE_P) {
			if (!(prot & MAP_SKIP_MAPPED) && *pte != (pa | attrs))
				return -EEXIST;
		} else {
			WRITE_ONCE(*pte, pa | attrs);
		}
		va += PAGE_SIZE;
		pa += PAGE_SIZE;
		size -= PAGE_SIZE;
	}
	/* Only not-present entries became present: x86 caches no negative
	 * translations, so no TLB flush is needed. */
	return 0;
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

static void flush_tlb_local(void *unused)
{
	(void)unused;
	write_cr3(read_cr3());	/* no global pages: this flushes everything */
}

/*
 * Removes 4 KiB mappings (2 MiB pages are left alone). Other CPUs flush
 * through an IPI, so with other CPUs online the caller must have
 * interrupts on (see smp_call_function()).
 */
void arch_unmap(uintptr_t va, size_t size)
{
	unsigned long flags;

	spin_lock_irqsave(&map_lock, flags);
	for (uintptr_t a = va; a < va + size; a += PAGE_SIZE) {
		uint64_t e = pt_root[(a >> 39) & 511], *t;

		if (!(e & PTE_P))
			continue;
		t = (uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
		e = t[(a >> 30) & 511];
		if (!(e & PTE_P) || (e & PTE_PS))
			continue;
		t = (uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
		e = t[(a >> 21) & 511];
		if (!(e & PTE_P) || (e & PTE_PS))
			continue;
		t = (uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
		WRITE_ONCE(t[(a >> 12) & 511], 0);
		invlpg(a);
	}
	spin_unlock_irqrestore(&map_lock, flags);
	if (num_online_cpus() > 1)
		smp_call_function(flush_tlb_local, NULL, true);
}

void *ioremap(uint64_t pa, size_t size)
{
	uint64_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (arch_map(base, base, end - base, PROT_READ | PROT_WRITE | PROT_DEVICE))
		return NULL;
	return (void *)(uintptr_t)pa;
}

static void map_or_panic(uintptr_t start, uintptr_t end, unsigned int prot)
{
	int err = map_locked(start, start, end - start, prot);

	if (err)
		panic("x86_64: cannot map the kernel at %#lx: error %d",
		      (unsigned long)start, err);
}

/*
 * Boot CPU, on head.S's boot map, before anything else is mapped: build
 * the kernel's own map of its image and switch to it. RAM and devices
 * are added with arch_map() as they are found.
 */
void mmu_init(void)
{
	if (cpuid(0x80000001, 0).edx & CPUID81_EDX_NX)
		nx_bit = PTE_NX;
	pt_root = pt_alloc();
	map_or_panic((uintptr_t)_text, (uintptr_t)_etext, PROT_KERNEL_TEXT);
	map_or_panic((uintptr_t)_rodata, (uintptr_t)_erodata, PROT_READ);
	map_or_panic((uintptr_t)_data, (uintptr_t)_end, PROT_READ | PROT_WRITE);
	write_cr3(mmu_root());
	ap_boot_cr3 = (uint32_t)mmu_root();
}
