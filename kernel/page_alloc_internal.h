/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's page numbering, for kmalloc's per-page metadata
 * and the allocator's own tests; not for other users.
 */
#ifndef QUIESCE_PAGE_ALLOC_INTERNAL_H
#define QUIESCE_PAGE_ALLOC_INTERNAL_H

/* Index of the page holding addr from the lowest RAM page, or -1 outside RAM. */
long page_index(const void *addr);
/* One past the highest usable page's index. */
unsigned long page_index_limit(void);

#endif
