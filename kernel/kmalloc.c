// SPDX-License-Identifier: MIT
/*
 * kmalloc: power-of-two size classes from 16 to 2048 bytes carved from
 * single pages, larger requests as runs of whole pages.
 *
 * Each CPU keeps a small stack of free objects per class (touched only by
 * its owner, with interrupts off), refilled from and drained to a global
 * free list per class under class->lock. The fast path is therefore free
 * of atomics and shared cache lines.
 *
 * Debug builds: freed objects are filled with POISON_FREE and checked on
 * reuse (a write after free is reported with the address), and a per-page
 * bitmap of allocated objects makes a double free or a free of a pointer
 * kmalloc never returned an immediate panic.
 *
 * failslab: between failslab_start() and failslab_stop() (torture tests
 * and workloads bracket their runs with them), one kmalloc() in every
 * failslab=<one_in> fails on purpose, so that every caller's error path
 * runs. Each CPU draws from its own random stream, seeded from seed=.
 *
 * CPU hotplug: kmalloc_cpu_dead() hands a dead CPU's cached objects back
 * to the global lists, so they are not stranded while it is offline.
 *
 * Lock order: class->lock, then page_lock (page_alloc.c).
 */
#include <mm.h>
#include <kernel.h>
#include <spinlock.h>
#include <smp.h>
#include <libc.h>
#include <cmdline.h>
#include "page_alloc_internal.h"

#define MIN_SHIFT	4
#define MAX_SHIFT	11
#define NR_CLASSES	(MAX_SHIFT - MIN_SHIFT + 1)
#define CPU_CACHE	32	/* objects per CPU per class */
#define RECLAIM_BATCH	8	/* reclaim to this many pages above the watermark */

enum page_kind { PAGE_UNUSED, PAGE_SLAB, PAGE_LARGE_HEAD, PAGE_LARGE_TAIL };

/* Metadata of each page kmalloc owns, indexed by page_index(). */
struct page_info {
	uint8_t kind;
	uint8_t shift;			/* PAGE_SLAB: object size 1 << shift */
	uint32_t npages;		/* PAGE_LARGE_HEAD: run length */
#ifdef CONFIG_DEBUG
	/* PAGE_SLAB: one bit per object (a page holds at most 256). */
	unsigned long inuse[BITS_TO_LONGS(PAGE_SIZE >> MIN_SHIFT)];
#endif
};

struct free_obj {
	struct free_obj *next;
};

struct size_class {
	spinlock_t lock;
	struct free_obj *free;		/* guarded by lock */
	unsigned long nr_free;		/* guarded by lock */
} ____cacheline_aligned;

struct cpu_cache {
	void *objs[NR_CLASSES][CPU_CACHE];
	unsigned int count[NR_CLASSES];
	long allocs, frees;		/* live objects = sum(allocs - frees) */
	uint64_t fail_rng;		/* failslab random state */
	unsigned long fail_hits;	/* failures injected on this CPU */
	bool in_reclaim;		/* this CPU is running the reclaimer */
};

static struct size_class classes[NR_CLASSES];
static DEFINE_PER_CPU(struct cpu_cache, cpu_cache);
static struct page_info *page_info;	/* set once (cmpxchg), then fixed */
static unsigned int failslab_one_in;	/* 0: no injection; read locklessly */
/* Set once by mm_set_reclaim(), read locklessly by every kmalloc(). */
static unsigned long (*reclaimer)(unsigned long nr_pages);
static unsigned long low_watermark;

/*
 * The metadata table, made by kmalloc_init() at boot, or by the first
 * kmalloc() if one comes earlier (arm's TLS, also on the boot CPU).
 * Should it ever be made later, on any CPU with others racing it, the
 * first table published wins and the others are freed.
 *
 * Not lazily in the first kmalloc() of a run: zeroing the table (one
 * entry per page from the lowest RAM page to the highest, holes
 * included: 40 MiB on a q35 with 3 GiB, whose RAM ends above the 2 GiB
 * PCI hole) took up to a second under TCG with interrupts off, inside
 * a class lock, on every CPU that raced for it, and rcutorture's readers
 * spun on that lock for all of ms=: no reads at all.
 */
static struct page_info *page_info_table(void)
{
	/* Acquire: pairs with the cmpxchg below; the zeroed table is seen. */
	struct page_info *pi = smp_load_acquire(&page_info), *none = NULL;
	unsigned int pages;

	if (likely(pi))
		return pi;
	pages = DIV_ROUND_UP(page_index_limit() * sizeof(struct page_info), PAGE_SIZE);
	pi = alloc_pages(pages);
	if (!pi)
		panic("kmalloc: no memory for page metadata");
	memset(pi, 0, (size_t)pages * PAGE_SIZE);
	/* Fully ordered: the memset precedes the pointer's publication. */
	if (try_cmpxchg(&page_info, &none, pi))
		return pi;
	free_pages(pi, pages);
	return none;	/* the winner's table (the cmpxchg loaded it) */
}

void kmalloc_init(void)
{
	page_info_table();
}

static struct page_info *info_of(const void *p)
{
	struct page_info *table = page_info_table();
	long i = page_index(p);

	return i < 0 ? NULL : &table[i];
}

#ifdef CONFIG_DEBUG
/* Allocation bitmap updates: allocator bookkeeping, not counted as atomics. */
static bool mark_inuse(struct page_info *pi, unsigned int idx, bool inuse)
{
	unsigned long bit = 1UL << (idx % BITS_PER_LONG), old;

	if (inuse)
		old = __atomic_fetch_or(&pi->inuse[idx / BITS_PER_LONG], bit, __ATOMIC_RELAXED);
	else
		old = __atomic_fetch_and(&pi->inuse[idx / BITS_PER_LONG], ~bit, __ATOMIC_RELAXED);
	return old & bit;
}

static void check_poison(void *obj, size_t size)
{
	const uint8_t *b = obj;

	/* The first word may hold the free-list link. */
	for (size_t i = sizeof(struct free_obj); i < size; i++)
		if (b[i] != POISON_FREE)
			panic("kmalloc: object %p (size %lu) written after free at offset %lu",
			      obj, (unsigned long)size, (unsigned long)i);
}
#endif

static int size_to_class(size_t size)
{
	int shift = MIN_SHIFT;

	while ((1UL << shift) < size)
		shift++;
	return shift - MIN_SHIFT;
}

/* Global list empty: carve a fresh page into objects. Called with class->lock. */
static bool grow_class(int c)
{
	unsigned int shift = c + MIN_SHIFT, n = PAGE_SIZE >> shift;
	uint8_t *page = alloc_pages(1);
	struct page_info *pi;

	if (!page)
		return false;
	pi = info_of(page);
	pi->kind = PAGE_SLAB;
	pi->shift = (uint8_t)shift;
	for (unsigned int i = 0; i < n; i++) {
		struct free_obj *o = (struct free_obj *)(page + ((size_t)i << shift));

#ifdef CONFIG_DEBUG
		memset(o, POISON_FREE, 1UL << shift);
#endif
		o->next = classes[c].free;
		classes[c].free = o;
	}
	classes[c].nr_free += n;
	return true;
}

/* Interrupts off (cc is this CPU's). */
static bool failslab_hit(struct cpu_cache *cc)
{
	unsigned int one_in = READ_ONCE(failslab_one_in);
	uint64_t x;

	if (!one_in)
		return false;
	x = cc->fail_rng ? cc->fail_rng : 0x9e3779b97f4a7c15ULL + arch_cpu_id();
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	cc->fail_rng = x;
	if (x % one_in)
		return false;
	cc->fail_hits++;
	return true;
}

static void *alloc_large(size_t size)
{
	unsigned int n = DIV_ROUND_UP(size, PAGE_SIZE);
	uint8_t *p = alloc_pages(n);
	struct page_info *pi;

	if (!p)
		return NULL;
	pi = info_of(p);
	pi->kind = PAGE_LARGE_HEAD;
	pi->npages = n;
	for (unsigned int i = 1; i < n; i++)
		pi[i].kind = PAGE_LARGE_TAIL;
	return p;
}

/*
 * Free pages are below the low watermark: let the reclaimer free some
 * before we take more. Only with interrupts on (thread context: the
 * reclaimer takes locks) and not from inside the reclaimer.
 */
static void direct_reclaim(void)
{
	unsigned long (*reclaim)(unsigned long) = READ_ONCE(reclaimer);
	unsigned long free = nr_free_pages(), low = READ_ONCE(low_watermark);
	struct cpu_cache *cc;

	if (!reclaim || free >= low || arch_irqs_disabled())
		return;
	/* Interrupts are on, but nothing moves us to another CPU. */
	cc = this_cpu_ptr(&cpu_cache);
	if (cc->in_reclaim)
		return;
	cc->in_reclaim = true;
	reclaim(low + RECLAIM_BATCH - free);
	cc->in_reclaim = false;
}

void *kmalloc(size_t size)
{
	unsigned long flags;
	struct cpu_cache *cc;
	void *obj = NULL;
	int c;

	if (unlikely(nr_free_pages() < READ_ONCE(low_watermark)))
		direct_reclaim();
	flags = arch_irq_save();
	cc = this_cpu_ptr(&cpu_cache);

	if (failslab_hit(cc) || size == 0)
		goto out;
	if (size > (1UL << MAX_SHIFT)) {
		obj = alloc_large(size);
		goto out;
	}
	c = size_to_class(size);
	if (!cc->count[c]) {
		struct size_class *sc = &classes[c];

		spin_lock(&sc->lock);
		if (!sc->free)
			grow_class(c);
		while (sc->free && cc->count[c] < CPU_CACHE / 2) {
			cc->objs[c][cc->count[c]++] = sc->free;
			sc->free = sc->free->next;
			sc->nr_free--;
		}
		spin_unlock(&sc->lock);
		if (!cc->count[c])
			goto out;
	}
	obj = cc->objs[c][--cc->count[c]];
#ifdef CONFIG_DEBUG
	{
		struct page_info *pi = info_of(obj);
		unsigned int idx = ((uintptr_t)obj & (PAGE_SIZE - 1)) >> pi->shift;

		check_poison(obj, 1UL << pi->shift);
		if (mark_inuse(pi, idx, true))
			panic("kmalloc: free list hands out live object %p", obj);
	}
#endif
out:
	if (obj)
		cc->allocs++;
	arch_irq_restore(flags);
	return obj;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Drain a CPU's cache of class c down to keep objects. Interrupts off. */
static void drain(struct cpu_cache *cc, int c, unsigned int keep)
{
	struct size_class *sc = &classes[c];

	spin_lock(&sc->lock);
	while (cc->count[c] > keep) {
		struct free_obj *o = cc->objs[c][--cc->count[c]];

		o->next = sc->free;
		sc->free = o;
		sc->nr_free++;
	}
	spin_unlock(&sc->lock);
}

void kfree(const void *p)
{
	struct page_info *pi;
	struct cpu_cache *cc;
	unsigned long flags;
	void *obj = (void *)p;
	int c;

	if (!p)
		return;
	pi = info_of(p);
	if (!pi || (pi->kind != PAGE_SLAB && pi->kind != PAGE_LARGE_HEAD))
		panic("kfree: %p was not allocated by kmalloc", p);
	flags = arch_irq_save();
	cc = this_cpu_ptr(&cpu_cache);
	cc->frees++;
	if (pi->kind == PAGE_LARGE_HEAD) {
		unsigned int n = pi->npages;

		if ((uintptr_t)p & (PAGE_SIZE - 1))
			panic("kfree: %p is inside an allocation", p);
		for (unsigned int i = 0; i < n; i++)
			pi[i].kind = PAGE_UNUSED;
		arch_irq_restore(flags);
		free_pages(obj, n);
		return;
	}
	if ((uintptr_t)p & ((1UL << pi->shift) - 1))
		panic("kfree: %p is inside an object of size %lu", p, 1UL << pi->shift);
#ifdef CONFIG_DEBUG
	if (!mark_inuse(pi, ((uintptr_t)p & (PAGE_SIZE - 1)) >> pi->shift, false))
		panic("kfree: double free of %p", p);
	memset(obj, POISON_FREE, 1UL << pi->shift);
#endif
	c = pi->shift - MIN_SHIFT;
	if (cc->count[c] == CPU_CACHE)
		drain(cc, c, CPU_CACHE / 2);
	cc->objs[c][cc->count[c]++] = obj;
	arch_irq_restore(flags);
}

const char *kmalloc_object(const void *p, uintptr_t *offset)
{
	static const char *const names[NR_CLASSES] = {
		"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
		"kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k",
	};
	/* Acquire: pairs with the publication in page_info_table(). */
	struct page_info *table = smp_load_acquire(&page_info);
	long i = page_index(p);

	if (!table || i < 0)
		return NULL;
	if (table[i].kind == PAGE_SLAB) {
		*offset = (uintptr_t)p & ((1UL << table[i].shift) - 1);
		return names[table[i].shift - MIN_SHIFT];
	}
	if (table[i].kind != PAGE_LARGE_HEAD && table[i].kind != PAGE_LARGE_TAIL)
		return NULL;
	while (i > 0 && table[i].kind == PAGE_LARGE_TAIL)
		i--;
	*offset = (uintptr_t)p - ((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1)) +
		  (uintptr_t)(page_index(p) - i) * PAGE_SIZE;
	return "kmalloc-large";
}

long kmalloc_live_objects(void)
{
	long live = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		const struct cpu_cache *cc = per_cpu_ptr(&cpu_cache, cpu);

		live += READ_ONCE(cc->allocs) - READ_ONCE(cc->frees);
	}
	return live;
}

unsigned long mm_low_watermark(void)
{
	return max(nr_total_pages() / 128, 64ul);
}

void mm_set_reclaim(unsigned long (*reclaim)(unsigned long nr_pages))
{
	/*
	 * No ordering needed: a kmalloc() racing with this sees the old or
	 * new watermark and a NULL or valid function (code, never freed);
	 * any combination is a correct, at worst skipped, reclaim.
	 */
	WRITE_ONCE(low_watermark, mm_low_watermark());
	WRITE_ONCE(reclaimer, reclaim);
}

void mm_set_failslab(unsigned int one_in, uint64_t seed)
{
	unsigned int cpu;

	/* Other CPUs' streams are reseeded racily: any value is random enough. */
	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu_ptr(&cpu_cache, cpu)->fail_rng,
			   seed ? seed * 0x9e3779b97f4a7c15ULL + cpu : 0);
	WRITE_ONCE(failslab_one_in, one_in);
}

unsigned long mm_failslab_hits(void)
{
	unsigned long hits = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		hits += READ_ONCE(per_cpu_ptr(&cpu_cache, cpu)->fail_hits);
	return hits;
}

static unsigned long failslab_hits0;	/* mm_failslab_hits() at failslab_start() */
static bool failslab_paused;

void failslab_pause(bool pause)
{
	failslab_paused = pause;
}

bool failslab_start(void)
{
	unsigned int one_in = failslab_paused ? 0 : (unsigned int)cmdline_get_ull("failslab", 0);

	failslab_hits0 = mm_failslab_hits();
	mm_set_failslab(one_in, cmdline_get_ull("seed", 1));
	return one_in != 0;
}

unsigned long failslab_stop(void)
{
	mm_set_failslab(0, 0);
	return mm_failslab_hits() - failslab_hits0;
}

static int check_failslab(const char *value)
{
	unsigned long long v;

	return kstrtoull(value, &v) || v > ~0u ? -EINVAL : 0;
}
CMDLINE_KEY(failslab, "N: one kmalloc() in N fails during rcutorture and workload runs "
	    "(0: none)", check_failslab);

/* A surviving CPU, after cpu went offline: its cached objects go back
 * to the global lists (nothing else touches its cache meanwhile). */
void kmalloc_cpu_dead(unsigned int cpu)
{
	struct cpu_cache *cc = per_cpu_ptr(&cpu_cache, cpu);
	unsigned long flags = arch_irq_save();

	for (int c = 0; c < NR_CLASSES; c++)
		drain(cc, c, 0);
	arch_irq_restore(flags);
}
