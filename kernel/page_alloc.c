// SPDX-License-Identifier: MIT
/*
 * The page allocator: one bitmap over physical memory (bit set = page in
 * use), first-fit search for contiguous runs starting at a roving hint.
 * All memory starts "in use"; page_alloc_add_region() frees what the
 * firmware reports, page_alloc_reserve() takes back what the kernel image,
 * the DTB and the firmware occupy.
 *
 * page_lock guards the bitmap, the hint and nr_free; it is taken with
 * interrupts off because kmalloc (and so this) may be called from them.
 */
#include <mm.h>
#include <kernel.h>
#include <spinlock.h>
#include <libc.h>
#include "page_alloc_internal.h"

/*
 * The span the bitmap covers, from the lowest RAM address: 64 GiB on the
 * 64-bit arches (a 2 MiB bitmap; RAM above 4 GiB: x86's beyond the PCI
 * hole, arm64 virt's past 4 GiB), all of the 32-bit physical space on
 * armv7 (no LPAE addresses above 4 GiB here). RAM beyond it is left out
 * with one line saying how much and why.
 */
#if __SIZEOF_LONG__ == 8
#define MAX_PAGES	(1UL << 24)
#define SPAN_NAME	"64 GiB"
#else
#define MAX_PAGES	(1UL << 20)
#define SPAN_NAME	"4 GiB"
#endif
#define BITS		(8 * sizeof(unsigned long))

static unsigned long page_bitmap[MAX_PAGES / BITS];	/* guarded by page_lock */
static uint64_t mem_base = ~0ULL;	/* set by the first region, then fixed */
static unsigned long max_pfn;		/* one past the highest usable page */
static unsigned long hint, nr_free, nr_total;
static DEFINE_SPINLOCK(page_lock);
static bool bitmap_ready;

static bool test_page(unsigned long i) { return page_bitmap[i / BITS] & (1UL << (i % BITS)); }
static void set_page(unsigned long i) { page_bitmap[i / BITS] |= 1UL << (i % BITS); }
static void clear_page(unsigned long i) { page_bitmap[i / BITS] &= ~(1UL << (i % BITS)); }

/* Boot CPU, before any allocation. */
void page_alloc_add_region(uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN_UP(base, PAGE_SIZE), end = ALIGN_DOWN(base + size, PAGE_SIZE);

	if (!bitmap_ready) {
		memset(page_bitmap, 0xff, sizeof(page_bitmap));
		bitmap_ready = true;
	}
	if (mem_base == ~0ULL)
		mem_base = start;
	if (start < mem_base) {
		printk("mm: ignoring memory at %#llx below the first region\n",
		       (unsigned long long)start);
		return;
	}
	if (end > mem_base + (uint64_t)MAX_PAGES * PAGE_SIZE) {
		uint64_t limit = mem_base + (uint64_t)MAX_PAGES * PAGE_SIZE;

		printk("mm: ignoring %llu MiB of RAM above %#llx: the page allocator spans "
		       SPAN_NAME " from the lowest RAM address\n",
		       (unsigned long long)((end - max(start, limit)) >> 20),
		       (unsigned long long)limit);
		if (start >= limit)
			return;
		end = limit;
	}
	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		unsigned long i = (a - mem_base) >> PAGE_SHIFT;

		if (test_page(i)) {
			clear_page(i);
			nr_free++;
			nr_total++;
		}
	}
	max_pfn = max(max_pfn, (unsigned long)((end - mem_base) >> PAGE_SHIFT));
}

/* Boot CPU, before any allocation. */
void page_alloc_reserve(uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN_DOWN(base, PAGE_SIZE), end = ALIGN_UP(base + size, PAGE_SIZE);

	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		unsigned long i;

		if (a < mem_base || a >= mem_base + max_pfn * PAGE_SIZE)
			continue;
		i = (a - mem_base) >> PAGE_SHIFT;
		if (!test_page(i)) {
			set_page(i);
			nr_free--;
			nr_total--;
		}
	}
}

static long find_run(unsigned long from, unsigned long to, unsigned int n)
{
	unsigned long run = 0;

	for (unsigned long i = from; i < to; i++) {
		if (test_page(i)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return (long)(i + 1 - n);
	}
	return -1;
}

void *alloc_pages(unsigned int n)
{
	unsigned long flags;
	long first;

	if (!n)
		return NULL;
	spin_lock_irqsave(&page_lock, flags);
	first = find_run(hint, max_pfn, n);
	if (first < 0)
		first = find_run(0, max_pfn, n);
	if (first >= 0) {
		for (unsigned long i = first; i < (unsigned long)first + n; i++)
			set_page(i);
		nr_free -= n;
		hint = first + n;
	}
	spin_unlock_irqrestore(&page_lock, flags);
	if (first < 0)
		return NULL;
	return (void *)(uintptr_t)(mem_base + ((uint64_t)first << PAGE_SHIFT));
}

void free_pages(void *addr, unsigned int n)
{
	uint64_t a = (uintptr_t)addr;
	unsigned long first, flags;

	if (!addr)
		return;
	BUG_ON(!IS_ALIGNED(a, PAGE_SIZE) || a < mem_base);
	first = (a - mem_base) >> PAGE_SHIFT;
	BUG_ON(first + n > max_pfn);
	spin_lock_irqsave(&page_lock, flags);
	for (unsigned long i = first; i < first + n; i++) {
		if (!test_page(i))
			panic("free_pages: page %#llx is already free",
			      (unsigned long long)(mem_base + ((uint64_t)i << PAGE_SHIFT)));
		clear_page(i);
	}
	nr_free += n;
	if (first < hint)
		hint = first;
	spin_unlock_irqrestore(&page_lock, flags);
}

unsigned long nr_free_pages(void) { return READ_ONCE(nr_free); }
unsigned long nr_total_pages(void) { return nr_total; }

/* Index of the page holding addr, for kmalloc's per-page metadata. */
long page_index(const void *addr)
{
	uint64_t a = (uintptr_t)addr;

	if (a < mem_base || a >= mem_base + ((uint64_t)max_pfn << PAGE_SHIFT))
		return -1;
	return (long)((a - mem_base) >> PAGE_SHIFT);
}

unsigned long page_index_limit(void) { return max_pfn; }

int map_new_pages(uintptr_t va, size_t size)
{
	void *pages = alloc_pages(size / PAGE_SIZE);

	if (!pages)
		return -ENOMEM;
	return arch_map(va, (uintptr_t)pages, size, PROT_READ | PROT_WRITE);
}
