// SPDX-License-Identifier: MIT
/*
 * The race detector of the race build (include/races.h says what it
 * finds). Not instrumented, like the rest of the runtime (kernel/tsan.c
 * calls it on every access of instrumented code).
 *
 * Watchpoints. A table of races_watchpoints= slots (a power of two up to
 * RACES_MAX_WATCH), a slot chosen by the 8-byte granule of an address.
 * Each CPU counts its plain accesses down from a random skip (mean
 * races_sample=); at zero the access is watched: the CPU claims the slot
 * of its first granule (or gives up when another watch holds it), reads
 * the bytes, spins races_delay_us= on the arch counter with interrupts
 * off, reads them again and frees the slot. Meanwhile every access of
 * every other CPU looks up the slots of its own granules (and the one
 * before, for a watch that straddles into it); one that overlaps the
 * watched bytes and conflicts (one of the two a write: the watched one is
 * plain) consumes the watchpoint and leaves its side there: CPU, code
 * address, size, kind. The watcher reports the pair; a value changed
 * across the delay with nobody consuming the watch is reported with an
 * unknown origin. Marked accesses (kernel/tsan.h) never set a watch, and
 * two marked accesses never race; a marked access does consume a watch on
 * a plain one, as a plain read racing a WRITE_ONCE() is a race.
 *
 * A slot's word, changed by atomics only: 0 free; WATCH_BUSY while its
 * watcher tears it down; else VALID | cpu | write | size | address (the
 * low 48 bits: kernel addresses that differ only above bit 47 would
 * alias, which no board's memory map has) | CONSUMED once a conflicting
 * access met it. The checker's side goes into the slot's other fields
 * after its CAS won (interrupts off, so it is not held up), then
 * other_ready is released; the watcher's exchange to WATCH_BUSY sees
 * CONSUMED and acquires other_ready before reading them, and frees the
 * slot (release) only after.
 *
 * Weak memory (races_weak=1). Half the sampled plain accesses are held
 * back (one per CPU at a time) instead of watched where they are: the
 * CPU performs them, checked and watched, at the next barrier that
 * orders them (races_barrier(): smp_mb() orders both kinds, smp_rmb()
 * loads, smp_wmb() stores; a release or fully ordered atomic, or a fence,
 * through races_fence()), or REORDER_MAX accesses later at the latest:
 * as if the access became visible to the other CPUs that late, which
 * the Linux memory model allows a plain access with no barrier after it.
 * A held-back access to a stack frame that has since returned is
 * dropped. Marked accesses are never held back.
 *
 * Assertions (include/races.h). ASSERT_EXCLUSIVE_WRITER/ACCESS watch
 * their bytes at every call, as a watched plain read (a writer's
 * assertion: any write conflicts) or a plain write (an access
 * assertion: anything does), so marked accesses of other CPUs meet them
 * as they meet any plain watch. ASSERT_STORE_ORDERED is checked against
 * the CPU's store buffer: the last SB_MAX stores (plain or marked, and
 * the writes of RMWs that are not fully ordered) since its last full
 * barrier (races_barrier() with RACES_ORDER_STORE_LOAD: smp_mb(), a
 * fully ordered RMW or fence; a release or an acquire does not drain
 * it). A store older than the last SB_MAX is forgotten: missed, never
 * reported wrongly.
 *
 * Held assertions (ASSERT_EXCLUSIVE_*_BEGIN ... ASSERT_EXCLUSIVE_END):
 * a second table of HELD_MAX slots, hashed like the watchpoints, whose
 * word has the watch's layout (no CPU: any CPU's access conflicts, the
 * asserting one's included) and stays until the END, whichever CPU
 * calls it. check() looks each access up there too; the first conflict
 * sets CONSUMED and records the report itself (the asserting side is not
 * waiting anywhere). The END compares the bytes with the BEGIN's: a change
 * nobody was seen making (a write just before the BEGIN was published, or
 * by code not instrumented) is a race with an unknown origin. A BEGIN
 * whose slot is taken gives up (its END then finds someone else's word and
 * leaves it).
 *
 * Reports. A table of RACES_MAX_REPORTS unique pairs of sites (code
 * addresses, either order; an unknown origin pairs a site with 0), under
 * one bare lock taken with interrupts off; a pair seen again counts up.
 * races_flush() prints the unprinted ones. A race past the table's end is
 * counted as new but not kept (the flush says how many).
 *
 * Re-entry: the report path calls kmalloc_object(), which is
 * instrumented, and an interrupt can arrive anywhere outside a watch; a
 * per-CPU depth (also data_race()'s) makes the runtime ignore the
 * calling CPU's accesses while it is set. What the runtime does not see:
 * what the coherence build does not instrument (kernel/coherence.c's
 * header), accesses larger than 8 bytes (checked, never watched), CPUs
 * from RACES_MAX_CPUS up, and everything before races_start().
 */
#include <races.h>

#ifdef CONFIG_RACES
#include <arch.h>
#include <cmdline.h>
#include <kernel.h>
#include <ksyms.h>
#include <libc.h>
#include <mm.h>
#include <printk.h>
#include "tsan.h"

#define RACES_MAX_CPUS		64
#define RACES_MAX_WATCH		1024
#define RACES_MAX_REPORTS	128
#define DEFAULT_SAMPLE		1000
#define DEFAULT_DELAY_US	20
#define DEFAULT_ASSERT_US	100
#define DEFAULT_WATCHPOINTS	64
#define REORDER_MAX		64	/* a power of two */
#define SB_MAX			8	/* stores remembered since the last full barrier */
#define HELD_MAX		256	/* held assertions; a power of two */
#define DEAD_STACK		0x10000	/* bytes: more than any stack */

#define ADDR_MASK	((1ull << 48) - 1)
#define SIZE_SHIFT	48		/* 5 bits: 1..16 */
#define WRITE_BIT	(1ull << 53)
#define CONSUMED	(1ull << 54)
#define CPU_SHIFT	55		/* 6 bits */
#define WATCH_BUSY	(1ull << 62)
#define VALID		(1ull << 63)

/*
 * Kinds as reported: bit 0 write, bit 1 marked; K_ASSERT: an exclusive
 * assertion (with K_WRITE: of access, else of writer); K_ORDER: the two
 * sides of an ordering report (with K_WRITE: the unordered store).
 */
#define K_WRITE		1u
#define K_MARKED	2u
#define K_ASSERT	4u
#define K_ORDER		8u

struct watch {
	uint64_t word;
	int other_ready;
	unsigned int other_cpu, other_kind, other_size;
	uintptr_t other_pc;
} ____cacheline_aligned;

struct race_side {
	uintptr_t pc;		/* 0: unknown origin */
	unsigned int cpu, kind, size;
};

struct race_report {
	struct race_side a, b;	/* a: the watcher */
	uintptr_t addr;
	const char *obj;	/* kmalloc cache, or NULL */
	uintptr_t obj_off;
	unsigned long count;
	bool printed;
};

struct races_cpu {
	int depth;		/* > 0: this CPU's accesses are ignored */
	long skip;		/* plain accesses until the next watch */
	uint32_t rnd;
	unsigned long watched;	/* accesses this CPU watched */
	/* races_weak=1: a sampled access held back (the header) */
	bool pending;
	int pend_left;		/* accesses until it is performed at the latest */
	uintptr_t pend_addr;
	struct race_side pend;
	/* the store buffer of ASSERT_STORE_ORDERED: a ring, sb_n in use */
	unsigned int sb_n, sb_next;
	uintptr_t sb_addr[SB_MAX], sb_pc[SB_MAX];
	unsigned int sb_size[SB_MAX];
	unsigned long asserted_excl, asserted_order;	/* assertions checked */
} ____cacheline_aligned;

static struct watch watches[RACES_MAX_WATCH];
static struct held {
	uint64_t word;		/* 0 free, else the watch layout without a CPU */
	uintptr_t pc;		/* the BEGIN's site; written before word (release) */
	unsigned int cpu;
	uint64_t value;		/* the bytes at the BEGIN */
} held[HELD_MAX];
static struct races_cpu rcpus[RACES_MAX_CPUS];
static struct race_report reports[RACES_MAX_REPORTS];
static unsigned int nr_reports;
static unsigned long reports_lost, races_new, races_total;
static int reports_lock;

/* Set by races_start(), read by every access. In .data: instrumented code
 * runs before .bss is cleared. */
static bool races_on __section(".data");
static unsigned long sample = DEFAULT_SAMPLE, watch_mask = DEFAULT_WATCHPOINTS - 1;
static uint64_t delay_ticks, assert_ticks;
/* races_busted=1: watchpoints are set but nobody looks them up. */
static bool races_busted;
/* races_weak=1: the weak-memory model (see above). */
static bool races_weak;

static void bare_lock(int *lock)
{
	/* Acquire: pairs with the release in bare_unlock(). */
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void bare_unlock(int *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

static inline struct watch *slot_of(uintptr_t granule)
{
	return &watches[(uint32_t)((uint64_t)granule * 0x9E3779B97F4A7C15ull >> 40) & watch_mask];
}

static inline unsigned int kind_of(enum tsan_kind kind, enum tsan_mark mark)
{
	return (kind != TSAN_LOAD ? K_WRITE : 0) | (mark == TSAN_MARKED ? K_MARKED : 0);
}

static void record(const struct race_side *a, const struct race_side *b, uintptr_t addr)
{
	uintptr_t k1 = min(a->pc, b->pc), k2 = max(a->pc, b->pc), off = 0;
	const char *obj = kmalloc_object((const void *)addr, &off);

	bare_lock(&reports_lock);
	for (unsigned int i = 0; i < nr_reports; i++) {
		struct race_report *r = &reports[i];

		if (min(r->a.pc, r->b.pc) == k1 && max(r->a.pc, r->b.pc) == k2) {
			r->count++;
			bare_unlock(&reports_lock);
			return;
		}
	}
	if (nr_reports < RACES_MAX_REPORTS)
		reports[nr_reports++] = (struct race_report){
			.a = *a, .b = *b, .addr = addr, .obj = obj, .obj_off = off, .count = 1,
		};
	else
		reports_lost++;
	races_new++;
	races_total++;
	bare_unlock(&reports_lock);
}

/* The bytes at a, for the value check (unaligned: byte by byte). */
static uint64_t peek(uintptr_t a, size_t size)
{
	uint64_t v = 0;

	if (IS_ALIGNED(a, size)) {
		switch (size) {
		case 1: return *(const volatile uint8_t *)a;
		case 2: return *(const volatile uint16_t *)a;
		case 4: return *(const volatile uint32_t *)a;
		case 8: if (sizeof(long) == 8) return *(const volatile uint64_t *)a;
		}
	}
	for (size_t i = 0; i < size; i++)
		v = v << 8 | *(const volatile uint8_t *)(a + i);
	return v;
}

/* A plain access of cpu's that the sampler picked (or an assertion):
 * watch it for ticks. */
static void watch(uintptr_t a, size_t size, unsigned int kind, unsigned int cpu, uintptr_t pc,
		  uint64_t ticks)
{
	struct watch *w = slot_of(a >> 3);
	uint64_t enc = VALID | (uint64_t)cpu << CPU_SHIFT | (kind & K_WRITE ? WRITE_BIT : 0) |
		       (uint64_t)size << SIZE_SHIFT | ((uint64_t)a & ADDR_MASK), old, before, after, t0;
	unsigned long flags = arch_irq_save();

	/*
	 * Claim the slot. Release: orders nothing the checkers rely on but
	 * the word itself; pairs with their acquire load in check().
	 */
	old = 0;
	if (!__atomic_compare_exchange_n(&w->word, &old, enc, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED)) {
		arch_irq_restore(flags);
		return;
	}
	rcpus[cpu].watched++;
	before = peek(a, size);
	t0 = arch_counter_read();
	while (arch_counter_read() - t0 < ticks)
		cpu_relax();
	after = peek(a, size);
	/* Acq-rel: its acquire pairs with the checker's CAS that set CONSUMED. */
	old = __atomic_exchange_n(&w->word, WATCH_BUSY, __ATOMIC_ACQ_REL);
	if (old & CONSUMED) {
		struct race_side me = { .pc = pc, .cpu = cpu, .kind = kind, .size = (unsigned int)size };
		struct race_side other;

		/* Acquire: pairs with the checker's release of other_ready. */
		while (!__atomic_load_n(&w->other_ready, __ATOMIC_ACQUIRE))
			cpu_relax();
		other = (struct race_side){ .pc = w->other_pc, .cpu = w->other_cpu,
					    .kind = w->other_kind, .size = w->other_size };
		__atomic_store_n(&w->other_ready, 0, __ATOMIC_RELAXED);
		record(&me, &other, a);
	} else if (before != after) {
		struct race_side me = { .pc = pc, .cpu = cpu, .kind = kind, .size = (unsigned int)size };
		struct race_side unknown = { .pc = 0 };

		record(&me, &unknown, a);
	}
	/* Release: the slot's other fields are read before the next watch claims it. */
	__atomic_store_n(&w->word, 0, __ATOMIC_RELEASE);
	arch_irq_restore(flags);
}

static void record(const struct race_side *a, const struct race_side *b, uintptr_t addr);

static inline struct held *held_of(uintptr_t granule)
{
	return &held[(uint32_t)((uint64_t)granule * 0x9E3779B97F4A7C15ull >> 40) & (HELD_MAX - 1)];
}

static inline bool overlaps(uint64_t v, uint64_t lo, uint64_t hi)
{
	uint64_t wlo = v & ADDR_MASK, whi = wlo + (v >> SIZE_SHIFT & 31) - 1;

	return !(whi < lo || wlo > hi);
}

/* cpu's access against the held assertions (any CPU's). */
static void check_held(uintptr_t g0, uintptr_t g1, uint64_t lo, uint64_t hi, unsigned int kind,
		       unsigned int cpu, uintptr_t pc)
{
	for (uintptr_t g = g0; g <= g1; g++) {
		struct held *h = held_of(g);
		/* Acquire: pairs with the release in races_assert_begin(); pc is set. */
		uint64_t v = __atomic_load_n(&h->word, __ATOMIC_ACQUIRE);
		struct race_side mine, other;

		if (!(v & VALID) || (v & CONSUMED) || !overlaps(v, lo, hi) ||
		    (!(v & WRITE_BIT) && !(kind & K_WRITE)))
			continue;
		/* Relaxed: only who reports is decided here. */
		if (!__atomic_compare_exchange_n(&h->word, &v, v | CONSUMED, false, __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED))
			continue;
		mine = (struct race_side){ .pc = h->pc, .cpu = h->cpu,
					   .kind = K_ASSERT | (v & WRITE_BIT ? K_WRITE : 0),
					   .size = (unsigned int)(v >> SIZE_SHIFT & 31) };
		other = (struct race_side){ .pc = pc, .cpu = cpu, .kind = kind,
					    .size = (unsigned int)(hi - lo + 1) };
		record(&mine, &other, (uintptr_t)(v & ADDR_MASK));
		return;
	}
}

/* cpu's access a..a+size-1 against the watchpoints of the other CPUs. */
static void check(uintptr_t a, size_t size, unsigned int kind, unsigned int cpu, uintptr_t pc)
{
	uintptr_t g0 = (a >> 3) - 1, g1 = (a + size - 1) >> 3;
	uint64_t lo = (uint64_t)a & ADDR_MASK, hi = lo + size - 1;

	check_held(g0, g1, lo, hi, kind, cpu, pc);

	for (uintptr_t g = g0; g <= g1; g++) {
		struct watch *w = slot_of(g);
		/* Acquire: pairs with the claim in watch(). */
		uint64_t v = __atomic_load_n(&w->word, __ATOMIC_ACQUIRE), wlo, whi;
		unsigned long flags;

		if (!(v & VALID) || (v & CONSUMED) || (v >> CPU_SHIFT & 63) == cpu)
			continue;
		wlo = v & ADDR_MASK;
		whi = wlo + (v >> SIZE_SHIFT & 31) - 1;
		if (whi < lo || wlo > hi)
			continue;
		if (!(v & WRITE_BIT) && !(kind & K_WRITE))
			continue;	/* two reads */
		flags = arch_irq_save();
		/* Acq-rel: the watcher's exchange acquires it (see watch()). */
		if (__atomic_compare_exchange_n(&w->word, &v, v | CONSUMED, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
			w->other_pc = pc;
			w->other_cpu = cpu;
			w->other_kind = kind;
			w->other_size = (unsigned int)size;
			/* Release: the fields above before the flag; pairs with watch(). */
			__atomic_store_n(&w->other_ready, 1, __ATOMIC_RELEASE);
		}
		arch_irq_restore(flags);
		return;
	}
}

/*
 * The access the weak-memory model held back happens now: check and
 * watch it. Unless it was to this CPU's stack below the current frame:
 * the function that made it has returned, and the runtime's own frames
 * now reuse those bytes (a write nobody else made). Stacks grow down on
 * every arch, and none is larger than DEAD_STACK bytes.
 */
static void perform_pending(struct races_cpu *c, unsigned int cpu)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

	c->pending = false;
	if (c->pend_addr < sp && sp - c->pend_addr < DEAD_STACK)
		return;
	if (!races_busted)
		check(c->pend_addr, c->pend.size, c->pend.kind, cpu, c->pend.pc);
	watch(c->pend_addr, c->pend.size, c->pend.kind, cpu, c->pend.pc, delay_ticks);
}

static uint32_t next_random(struct races_cpu *c)
{
	uint32_t x = c->rnd ? c->rnd : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	c->rnd = x;
	return x;
}

/* The calling CPU's state and number, or NULL while the detector is off
 * (relaxed: a flag set once at boot; a late sight of it misses a few
 * accesses) or for a CPU beyond RACES_MAX_CPUS. */
static struct races_cpu *this_races_cpu(unsigned int *cpu)
{
	if (!__atomic_load_n(&races_on, __ATOMIC_RELAXED))
		return NULL;
	*cpu = arch_cpu_id();
	return *cpu < RACES_MAX_CPUS ? &rcpus[*cpu] : NULL;
}

/* A store of this CPU's: in its store buffer until a full barrier. */
static void sb_add(struct races_cpu *c, uintptr_t a, size_t size, uintptr_t pc)
{
	unsigned int i = c->sb_next++ % SB_MAX;

	c->sb_addr[i] = a;
	c->sb_size[i] = (unsigned int)size;
	c->sb_pc[i] = pc;
	if (c->sb_n < SB_MAX)
		c->sb_n++;
}

void races_access(const volatile void *p, size_t size, enum tsan_kind kind, enum tsan_mark mark,
		  uintptr_t pc)
{
	unsigned int cpu, k;
	struct races_cpu *c = this_races_cpu(&cpu);

	if (!c)
		return;
	/* Only this CPU writes its own fields; an interrupt restores what it changed. */
	if (c->depth)
		return;
	c->depth++;
	k = kind_of(kind, mark);
	if (!races_busted)
		check((uintptr_t)p, size, k, cpu, pc);
	if (kind != TSAN_LOAD)
		sb_add(c, (uintptr_t)p, size, pc);
	if (c->pending && --c->pend_left <= 0)
		perform_pending(c, cpu);
	if (mark == TSAN_PLAIN && size <= 8 && --c->skip <= 0) {
		unsigned long n = __atomic_load_n(&sample, __ATOMIC_RELAXED);
		uint32_t r = next_random(c);

		c->skip = 1 + (long)(r % (2 * n));
		if (__atomic_load_n(&races_weak, __ATOMIC_RELAXED) && !c->pending && (r & 1 << 31)) {
			/* Performed later: at the next barrier that orders it. */
			c->pending = true;
			c->pend_left = 1 + (int)(r >> 8 & (REORDER_MAX - 1));
			c->pend_addr = (uintptr_t)p;
			c->pend = (struct race_side){ .pc = pc, .cpu = cpu, .kind = k,
						      .size = (unsigned int)size };
		} else {
			watch((uintptr_t)p, size, k, cpu, pc, delay_ticks);
		}
	}
	c->depth--;
}

void races_barrier(unsigned int orders)
{
	unsigned int cpu;
	struct races_cpu *c = this_races_cpu(&cpu);

	if (!c || c->depth)
		return;
	if (orders & RACES_ORDER_STORE_LOAD)
		c->sb_n = 0;	/* every earlier store is visible now */
	if (!c->pending ||
	    !(orders & (c->pend.kind & K_WRITE ? RACES_ORDER_STORES : RACES_ORDER_LOADS)))
		return;
	c->depth++;
	perform_pending(c, cpu);
	c->depth--;
}

/*
 * A fence: release orders every earlier access before the later ones
 * (but not an earlier store before a later load), acquire the earlier
 * loads, a fully ordered one (SEQ_CST) everything. kernel/tsan.c calls
 * it for the fences, before the access for release and fully ordered
 * atomics, and after it for fully ordered RMWs (whose own write is
 * ordered before the later loads too).
 */
void races_fence(int mo)
{
	if (mo == __ATOMIC_SEQ_CST)
		races_barrier(RACES_ORDER_ALL);
	else if (mo == __ATOMIC_RELEASE || mo == __ATOMIC_ACQ_REL)
		races_barrier(RACES_ORDER_LOADS | RACES_ORDER_STORES);
	else if (mo == __ATOMIC_ACQUIRE)
		races_barrier(RACES_ORDER_LOADS);
}

void races_assert_exclusive(const volatile void *p, size_t size, bool access)
{
	uintptr_t pc = (uintptr_t)__builtin_return_address(0);
	unsigned int cpu, k = K_ASSERT | (access ? K_WRITE : 0);
	struct races_cpu *c = this_races_cpu(&cpu);

	if (!c || c->depth)
		return;
	c->depth++;
	c->asserted_excl++;
	/* A watch another CPU already set there conflicts as well. */
	if (!races_busted)
		check((uintptr_t)p, size, k, cpu, pc);
	watch((uintptr_t)p, size, k, cpu, pc, assert_ticks);
	c->depth--;
}

void races_assert_begin(const volatile void *p, size_t size, bool access, bool zero)
{
	uintptr_t pc = (uintptr_t)__builtin_return_address(0);
	unsigned int cpu;
	struct races_cpu *c = this_races_cpu(&cpu);
	struct held *h = held_of((uintptr_t)p >> 3);
	uint64_t enc = VALID | (access ? WRITE_BIT : 0) | (uint64_t)size << SIZE_SHIFT |
		       ((uint64_t)(uintptr_t)p & ADDR_MASK), old = 0;

	if (!c || c->depth)
		return;
	c->asserted_excl++;
	/* Claim the slot if free (WATCH_BUSY: checkers and ENDs skip it). */
	if (!__atomic_compare_exchange_n(&h->word, &old, WATCH_BUSY, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	h->pc = pc;
	h->cpu = cpu;
	h->value = zero ? 0 : peek((uintptr_t)p, size);
	if (zero && peek((uintptr_t)p, size)) {
		/* Written between the caller's zero and here: by whom, unknown. */
		struct race_side mine = { .pc = pc, .cpu = cpu, .kind = K_ASSERT, .size = size };
		struct race_side unknown = { .pc = 0 };

		c->depth++;
		record(&mine, &unknown, (uintptr_t)p);
		c->depth--;
	}
	/* Release: pc and cpu before the word; pairs with check_held()'s acquire. */
	__atomic_store_n(&h->word, enc, __ATOMIC_RELEASE);
}

void races_assert_end(const volatile void *p)
{
	struct held *h = held_of((uintptr_t)p >> 3);
	/* Acquire: pc and value are the BEGIN's (pairs with its release). */
	uint64_t v = __atomic_load_n(&h->word, __ATOMIC_ACQUIRE);
	unsigned int cpu, size = (unsigned int)(v >> SIZE_SHIFT & 31);
	struct races_cpu *c = this_races_cpu(&cpu);
	struct race_side mine = { .pc = h->pc, .cpu = h->cpu, .size = size,
				  .kind = K_ASSERT | (v & WRITE_BIT ? K_WRITE : 0) };
	struct race_side unknown = { .pc = 0 };
	bool changed;

	if (!(v & VALID) || (v & ADDR_MASK) != ((uint64_t)(uintptr_t)p & ADDR_MASK))
		return;		/* not ours: our BEGIN gave up */
	changed = peek((uintptr_t)p, size) != h->value;
	/* Ours (with or without CONSUMED): free it. Relaxed: nothing is published. */
	while (!__atomic_compare_exchange_n(&h->word, &v, 0, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
	if (changed && !(v & CONSUMED) && c && !c->depth) {
		c->depth++;
		record(&mine, &unknown, (uintptr_t)p);
		c->depth--;
	}
}

void races_assert_ordered(const volatile void *p)
{
	uintptr_t pc = (uintptr_t)__builtin_return_address(0), a = (uintptr_t)p;
	unsigned int cpu;
	struct races_cpu *c = this_races_cpu(&cpu);

	if (!c || c->depth)
		return;
	c->depth++;
	c->asserted_order++;
	for (unsigned int i = 0; i < c->sb_n && !races_busted; i++) {
		unsigned int j = (c->sb_next - 1 - i) % SB_MAX;

		if (a >= c->sb_addr[j] && a < c->sb_addr[j] + c->sb_size[j]) {
			struct race_side store = { .pc = c->sb_pc[j], .cpu = cpu,
						   .kind = K_ORDER | K_WRITE, .size = c->sb_size[j] };
			struct race_side here = { .pc = pc, .cpu = cpu, .kind = K_ORDER,
						  .size = c->sb_size[j] };

			record(&store, &here, a);
			break;
		}
	}
	c->depth--;
}

void races_asserted(unsigned long *exclusive, unsigned long *ordered)
{
	*exclusive = *ordered = 0;
	for (unsigned int i = 0; i < RACES_MAX_CPUS; i++) {
		*exclusive += __atomic_load_n(&rcpus[i].asserted_excl, __ATOMIC_RELAXED);
		*ordered += __atomic_load_n(&rcpus[i].asserted_order, __ATOMIC_RELAXED);
	}
}

void races_disable(void)
{
	unsigned int cpu = arch_cpu_id();

	if (cpu < RACES_MAX_CPUS)
		rcpus[cpu].depth++;
}

void races_enable(void)
{
	unsigned int cpu = arch_cpu_id();

	if (cpu < RACES_MAX_CPUS)
		rcpus[cpu].depth--;
}

unsigned long races_set_sample(unsigned long n)
{
	unsigned long old = __atomic_load_n(&sample, __ATOMIC_RELAXED);

	if (!n)
		n = cmdline_get_ull("races_sample", DEFAULT_SAMPLE);
	__atomic_store_n(&sample, n, __ATOMIC_RELAXED);
	/* Every CPU's countdown restarts at the new rate soon: skip is at most 2n. */
	return old;
}

bool races_set_weak(bool on)
{
	bool old = __atomic_load_n(&races_weak, __ATOMIC_RELAXED);

	__atomic_store_n(&races_weak, on, __ATOMIC_RELAXED);
	return old;
}

/* The parser prints the one line naming a bad value (the key's text). */
static int check_power_of_two(const char *v)
{
	unsigned long long n;

	if (kstrtoull(v, &n) || !n || n > RACES_MAX_WATCH || (n & (n - 1)))
		return -EINVAL;
	return 0;
}

static int check_positive(const char *v)
{
	unsigned long long n;

	return kstrtoull(v, &n) || !n ? -EINVAL : 0;
}

CMDLINE_KEY(races_sample, "a number >= 1 (race build: 1 plain access in n, on average, is "
	    "watched; default 1000)", check_positive);
CMDLINE_KEY(races_delay_us, "microseconds (race build: how long a watched access waits for "
	    "another CPU's; default 20)", cmdline_check_uint);
CMDLINE_KEY(races_assert_us, "microseconds (race build: how long an ASSERT_EXCLUSIVE_* "
	    "watches its bytes; default 100)", cmdline_check_uint);
CMDLINE_KEY(races_watchpoints, "a power of two, 1..1024 (race build: watchpoint slots; "
	    "default 64)", check_power_of_two);
CMDLINE_KEY(races_weak, "0 or 1 (race build: half the watched plain accesses appear later "
	    "than program order, up to the next barrier that orders them; default 0)",
	    cmdline_check_bool);
CMDLINE_KEY(races_busted, "0 or 1 (race build: watchpoints are set but never looked up, so "
	    "no race is found; its self-test must fail)", cmdline_check_bool);

void races_start(void)
{
	uint64_t us = cmdline_get_ull("races_delay_us", DEFAULT_DELAY_US);

	sample = cmdline_get_ull("races_sample", DEFAULT_SAMPLE);
	watch_mask = cmdline_get_ull("races_watchpoints", DEFAULT_WATCHPOINTS) - 1;
	delay_ticks = us * arch_counter_freq() / 1000000;
	assert_ticks = cmdline_get_ull("races_assert_us", DEFAULT_ASSERT_US) * arch_counter_freq() /
		       1000000;
	races_busted = cmdline_get_ull("races_busted", 0);
	races_weak = cmdline_get_ull("races_weak", 0);
	for (unsigned int i = 0; i < RACES_MAX_CPUS; i++) {
		rcpus[i].rnd = 0x9e3779b9u * (i + 1);
		rcpus[i].skip = 1 + (long)(next_random(&rcpus[i]) % (2 * sample));
	}
	printk("races: 1 plain access in %lu watched for %llu us, %lu watchpoints%s%s\n", sample,
	       (unsigned long long)us, watch_mask + 1, races_weak ? ", weak memory" : "",
	       races_busted ? " (busted: never checked)" : "");
	/* Release: the settings above before any CPU sees the detector on. */
	__atomic_store_n(&races_on, true, __ATOMIC_RELEASE);
}

static const char *kind_name(unsigned int kind)
{
	static const char *const names[] = { "read", "write", "marked-read", "marked-write" };

	if (kind & K_ASSERT)
		return kind & K_WRITE ? "assert-access" : "assert-writer";
	if (kind & K_ORDER)
		return kind & K_WRITE ? "unordered-store" : "assert-ordered";
	return names[kind & 3];
}

static void print_site(const char *prefix, const struct race_side *s)
{
	uintptr_t off = 0;
	const char *fn;

	if (!s->pc) {
		printk(" %scpu=? %ssite=unknown-origin", prefix, prefix);
		return;
	}
	fn = ksym_lookup(s->pc, &off);
	printk(" %scpu=%u %ssite=", prefix, s->cpu, prefix);
	if (fn)
		printk("%s+0x%lx", fn, (unsigned long)off);
	else
		printk("0x%lx", (unsigned long)s->pc);
	printk(" %saccess=%s %ssize=%u", prefix, kind_name(s->kind), prefix, s->size);
}

/*
 * RACE addr= object= cpu= site= access= size= other_cpu= other_site=
 *	other_access= other_size=
 * site: the watched access; other_site: the access that met it, or
 * unknown-origin (the value changed across the watch).
 */
/* Take the reports' lock: interrupts off, and this CPU's accesses ignored
 * meanwhile (a watch sampled under it would record(), taking it again). */
static unsigned long reports_lock_take(void)
{
	unsigned long flags = arch_irq_save();

	races_disable();
	bare_lock(&reports_lock);
	return flags;
}

static void reports_lock_drop(unsigned long flags)
{
	bare_unlock(&reports_lock);
	races_enable();
	arch_irq_restore(flags);
}

/* The first report not printed yet, marked printed, into *r; false: none. */
static bool next_unprinted(struct race_report *r)
{
	unsigned long flags = reports_lock_take();
	bool found = false;

	for (unsigned int i = 0; i < nr_reports && !found; i++) {
		if (reports[i].printed)
			continue;
		reports[i].printed = true;
		*r = reports[i];
		found = true;
	}
	reports_lock_drop(flags);
	return found;
}

static void print_report(const struct race_report *r)
{
	uintptr_t off = 0;
	const char *sym = ksym_lookup_data(r->addr, &off);

	printk("RACE addr=0x%lx object=", (unsigned long)r->addr);
	if (sym)
		printk("%s+0x%lx", sym, (unsigned long)off);
	else if (r->obj)
		printk("%s+0x%lx", r->obj, (unsigned long)r->obj_off);
	else
		printk("-");
	print_site("", &r->a);
	print_site("other_", &r->b);
	printk("\n");
}

/*
 * RACE addr= object= cpu= site= access= size= other_cpu= other_site=
 *	other_access= other_size=
 * site: the watched access; other_site: the access that met it, or
 * unknown-origin (the value changed across the watch).
 */
unsigned long races_flush(void)
{
	unsigned long n, lost, flags;
	struct race_report r;

	while (next_unprinted(&r))
		print_report(&r);
	flags = reports_lock_take();
	n = races_new;
	lost = reports_lost;
	races_new = 0;
	reports_lost = 0;
	reports_lock_drop(flags);
	if (lost)
		printk("races: %lu more race(s) not kept: the table of %d is full\n", lost,
		       RACES_MAX_REPORTS);
	return n;
}

unsigned long races_watched(unsigned long *races)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < RACES_MAX_CPUS; i++)
		n += __atomic_load_n(&rcpus[i].watched, __ATOMIC_RELAXED);
	*races = __atomic_load_n(&races_total, __ATOMIC_RELAXED);
	return n;
}

static bool in_function(uintptr_t pc, const char *name)
{
	uintptr_t off;
	const char *fn = pc ? ksym_lookup(pc, &off) : NULL;

	return fn && !strcmp(fn, name);
}

bool races_seen(const char *a, const char *b)
{
	unsigned long flags = reports_lock_take();
	bool seen = false;

	for (unsigned int i = 0; i < nr_reports && !seen; i++) {
		const struct race_report *r = &reports[i];

		if (r->printed)
			continue;
		if (!b)
			seen = !r->b.pc && in_function(r->a.pc, a);
		else
			seen = (in_function(r->a.pc, a) && in_function(r->b.pc, b)) ||
			       (in_function(r->a.pc, b) && in_function(r->b.pc, a));
	}
	reports_lock_drop(flags);
	return seen;
}
#endif
