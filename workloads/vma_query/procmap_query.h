/* SPDX-License-Identifier: MIT */
/*
 * PROCMAP_QUERY: Linux's ioctl on /proc/<pid>/maps that returns one VMA
 * by address, with the same structure, flags and errors.
 */
#ifndef QUIESCE_PROCMAP_QUERY_H
#define QUIESCE_PROCMAP_QUERY_H

#include <compiler.h>

struct mm_struct;

enum procmap_query_flags {
	/* Filters: the VMA must have these permissions. */
	PROCMAP_QUERY_VMA_READABLE		= 0x01,
	PROCMAP_QUERY_VMA_WRITABLE		= 0x02,
	PROCMAP_QUERY_VMA_EXECUTABLE		= 0x04,
	PROCMAP_QUERY_VMA_SHARED		= 0x08,
	/* Not only the VMA covering query_addr: the first one at or above. */
	PROCMAP_QUERY_COVERING_OR_NEXT_VMA	= 0x10,
	/* Only VMAs backed by a file (inode). */
	PROCMAP_QUERY_FILE_BACKED_VMA		= 0x20,
};

#define PROCMAP_QUERY_VALID_FLAGS	0x3fULL

/* Laid out as Linux's uapi struct procmap_query. */
struct procmap_query {
	uint64_t size;		/* in: sizeof(struct procmap_query) the caller knows */
	uint64_t query_flags;	/* in: enum procmap_query_flags */
	uint64_t query_addr;	/* in */
	uint64_t vma_start;	/* out */
	uint64_t vma_end;	/* out */
	uint64_t vma_flags;	/* out: PROCMAP_QUERY_VMA_* bits */
	uint64_t vma_page_size;	/* out */
	uint64_t vma_offset;	/* out: file offset of vma_start, bytes */
	uint64_t inode;		/* out: 0 for anonymous memory */
	uint32_t dev_major;	/* out */
	uint32_t dev_minor;	/* out */
	uint32_t vma_name_size;	/* in: buffer size (0: no name wanted); out: name length + 1 */
	uint32_t build_id_size;	/* in/out: always 0 here */
	uint64_t vma_name_addr;	/* in: the buffer */
	uint64_t build_id_addr;	/* in: must be 0 with build_id_size 0 */
};

/* The smallest size accepted: everything up to query_addr. */
#define PROCMAP_QUERY_MIN_SIZE	(offsetof(struct procmap_query, query_addr) + sizeof(uint64_t))

/* The longest name a query returns, NUL included: "[anon:" + name + "]"
 * (VMA_NAME_MAX: ../model.h). */
#define PROCMAP_NAME_MAX	(VMA_NAME_MAX + 8)

/*
 * How the lookup is locked (the workload's modes):
 *  PROCMAP_MMAP_LOCK		mmap_read_lock() for the whole query (before);
 *  PROCMAP_PER_VMA_RCU		the VMA found under RCU and read-locked alone,
 *				its name read under that lock (after; needs
 *				renames that write-lock the VMA);
 *  PROCMAP_PER_VMA_MMAP_NAME	as PER_VMA_RCU, but a query that asks for the
 *				name takes mmap_lock for the whole query (the
 *				review's answer: "start simple" with mmap_lock
 *				where the name needs it).
 */
enum procmap_lock { PROCMAP_MMAP_LOCK, PROCMAP_PER_VMA_RCU, PROCMAP_PER_VMA_MMAP_NAME };

/*
 * What an open /proc/<pid>/maps holds (the mm is pinned by the opener).
 * The counters are statistics of the opener's own queries.
 */
struct proc_maps_private {
	struct mm_struct *mm;
	enum procmap_lock lock;
	unsigned long nr_fallbacks;	/* queries that needed mmap_lock */
	/*
	 * Names that changed while the query held the lock that was to
	 * keep them stable (what the review predicted for names read under
	 * the VMA lock alone); 0 unless the renames break the lock's rule.
	 */
	unsigned long nr_name_races;
};

/*
 * The ioctl: arg points at the caller's struct procmap_query, whose
 * `size` says how much of it the caller knows. Thread context; may wait
 * for mmap_lock. Returns 0, or
 *   -EINVAL	  size below PROCMAP_QUERY_MIN_SIZE, unknown query_flags, a
 *		  name/build-id size without an address or the reverse
 *   -E2BIG	  size beyond a page (the caller's structure is read whole),
 *		  or beyond ours with non-zero bytes we do not know
 *   -ENOENT	  no VMA matches (e.g. query_addr past the last VMA)
 *   -ENAMETOOLONG the VMA's name does not fit vma_name_size
 *   -ESRCH	  the mm is gone
 */
int do_procmap_query(struct proc_maps_private *priv, void *arg);

/*
 * The workload and the tests name VMAs "n<k>-<k>": true if a name read
 * back (with or without the "[anon:...]" wrapping) still has that form,
 * i.e. was not torn or freed under the reader.
 */
bool procmap_name_consistent(const char *name);

#endif
