// SPDX-License-Identifier: MIT
/* The page allocator (kernel/page_alloc.c) hands out all of RAM. */
#include <kernel.h>
#include <ktest.h>
#include <mm.h>
#include "page_alloc_internal.h"

/* One past the highest usable RAM address, found from a page p in RAM. */
static uint64_t ram_top(const void *p)
{
	uint64_t base = (uintptr_t)p - ((uint64_t)page_index(p) << PAGE_SHIFT);

	return base + ((uint64_t)page_index_limit() << PAGE_SHIFT);
}

/*
 * RAM up to its top is handed out (above 4 GiB where the firmware put RAM
 * there: q35's beyond its PCI hole, QEMU virt's with more than 3 GiB):
 * take 2 MiB runs until none is left, noting them in a list allocated
 * first, and check they reached the top of RAM; the highest one is written
 * and read back through the kernel's map (one run only: touching every
 * one would make the emulator back all of the guest's RAM). CPU 0 alone;
 * the others idle.
 */
#define TEST_RUN	512	/* pages: 2 MiB */
KTEST(page_alloc, hands_out_ram_up_to_its_top)
{
	uint64_t top, highest = 0;
	unsigned long free0 = nr_free_pages(), max_runs = free0 / TEST_RUN + 1, n = 0;
	unsigned int list_pages = DIV_ROUND_UP(max_runs * sizeof(uintptr_t), PAGE_SIZE);
	uintptr_t *runs = alloc_pages(list_pages);
	uint64_t *hi = NULL;

	ASSERT_NOT_NULL(t, runs);
	top = ram_top(runs);
	for (void *p; n < max_runs && (p = alloc_pages(TEST_RUN)); n++) {
		runs[n] = (uintptr_t)p;
		if ((uintptr_t)p + TEST_RUN * PAGE_SIZE > highest) {
			highest = (uintptr_t)p + TEST_RUN * PAGE_SIZE;
			hi = p;
		}
	}
	ASSERT_NOT_NULL(t, hi);
	for (unsigned int i = 0; i < TEST_RUN * PAGE_SIZE / sizeof(*hi); i += PAGE_SIZE / sizeof(*hi))
		hi[i] = (uintptr_t)&hi[i];
	for (unsigned int i = 0; i < TEST_RUN * PAGE_SIZE / sizeof(*hi); i += PAGE_SIZE / sizeof(*hi))
		EXPECT_EQ(t, hi[i], (uintptr_t)&hi[i]);
	while (n)
		free_pages((void *)runs[--n], TEST_RUN);
	free_pages(runs, list_pages);
	printk("page_alloc: handed out RAM up to %#llx of %#llx\n", (unsigned long long)highest,
	       (unsigned long long)top);
	/* What is left at the top is a fragment smaller than a run. */
	EXPECT_GE(t, highest + 2 * TEST_RUN * PAGE_SIZE, top);
	EXPECT_EQ(t, nr_free_pages(), free0);
}
