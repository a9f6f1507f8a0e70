// SPDX-License-Identifier: MIT
/*
 * The coherence build's runtime (see include/coherence.h): a directory
 * of cache lines with a MESI-like state each, fed by the __tsan_* entry
 * points of kernel/tsan.c (every load, store and atomic of instrumented
 * code) through coherence_access().
 *
 * The directory: COH_SETS sets of COH_WAYS lines (16384 x 4 = 65536 lines,
 * 4 MiB of memory tracked at once; 5 MiB of .bss on 64-bit, 3 MiB on
 * armv7), a line's set chosen by a multiplicative hash of its address.
 * When a set is full, the line with the fewest transfers so far is
 * evicted (a private line before a contended one) and its state
 * forgotten, as if written back to memory: its next access is a plain
 * miss, no transfer. coherence_evictions() counts them; c2c=1 prints it.
 *
 * A line's state: owner, the CPU holding it modified (-1: none), and
 * sharers, the CPUs holding a copy (the owner's bit alone when it has
 * one). Transitions, for CPU c:
 *   load  - a line another CPU holds modified: HITM, both share it;
 *           otherwise c joins the sharers;
 *   store - unless c owns it: an invalidation if any other CPU holds a
 *           copy (shared or modified); c owns it alone;
 *   RMW   - unless c owns it: HITM if another CPU holds it modified,
 *           else an invalidation if others share it; c owns it alone.
 * There is no Exclusive state: a CPU's first load of a line nobody holds
 * makes it a sharer, and its store then costs nothing unless another CPU
 * read the line meanwhile. A line straddled by an access is counted once
 * per line.
 *
 * Not instrumented: this file, kernel/tsan.c, kernel/races.c and
 * kernel/ksyms.c (the runtime: it must not call itself), boot/ (early boot before the MMU and per-CPU ids,
 * exception entry and the arch code: head.S, vectors, traps, MMU, CPU
 * start), drivers/ (device registers are not cached memory; the FDT and
 * ACPI parsers run once at boot), assembly and inline asm (the arch's
 * barriers and counter reads: a barrier moves no line), block copies and
 * clears GCC expands inline (its tsan pass instruments scalar accesses;
 * the out-of-line memcpy/memset of lib/libc are instrumented), CPUs 64
 * and up, and everything before the first coherence_reset(). Interrupt
 * handlers are instrumented (the lines they touch change state) but
 * their transfers count apart, per CPU and per line: coherence_read()
 * and the c2c report leave them out, as atomic_stats_read() does.
 *
 * Locking: one bare test-and-set lock per set, on uninstrumented
 * atomics, held for one transition (no other lock is taken under it, and
 * interrupts are masked meanwhile: a handler on this CPU touching a line
 * of the same set would spin on it forever). The fast path takes no lock:
 * an access that changes no state (a load of a line this CPU holds, a
 * store to a line it owns) reads the way's tag and state racily and
 * returns. A racing change can make one access look like a hit when the
 * state had just moved on: it undercounts by that one transfer, never
 * invents one.
 */
#include <coherence.h>

#ifdef CONFIG_COHERENCE
#include <arch.h>
#include <cmdline.h>
#include <kernel.h>
#include <ksyms.h>
#include "tsan.h"

#define COH_SETS_SHIFT	14
#define COH_SETS	(1u << COH_SETS_SHIFT)
#define COH_WAYS	4


struct coh_way {
	uintptr_t tag;			/* line number + 1; 0: empty */
	int owner;			/* CPU holding it modified, -1: none */
	uint64_t sharers;		/* CPUs holding a copy */
	uint64_t cpus;			/* CPUs that took part in a transfer */
	uint32_t hitm, inval;		/* transfers of this line (thread context) */
	uintptr_t first;		/* the address the first of them accessed */
	uintptr_t funcs[COH_LINE_FUNCS];	/* functions that caused them */
};

struct coh_set {
	int lock;
	struct coh_way way[COH_WAYS];
};

struct coh_cpu {
	unsigned long hitm, inval;	/* thread context */
	unsigned long irq_hitm, irq_inval;
	unsigned int irq_depth;
} ____cacheline_aligned;

static struct coh_set dir[COH_SETS];
static struct coh_cpu coh_cpus[COH_MAX_CPUS];
static unsigned long evictions;
/* In .data, not .bss: instrumented code runs before .bss is cleared. */
static bool coh_on __section(".data");
/* coherence_busted=1: the directory forgets each line at once (counts nothing). */
static bool coh_busted;

static inline struct coh_set *set_of(uintptr_t line)
{
	return &dir[(uint32_t)((uint64_t)line * 0x9E3779B97F4A7C15ull >> (64 - COH_SETS_SHIFT))];
}

static void coh_lock(int *lock)
{
	/* Acquire: pairs with the release in coh_unlock(). */
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void coh_unlock(int *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

/* No state change needed: the lock-free fast path. */
static bool is_hit(struct coh_set *s, uintptr_t tag, unsigned int cpu, enum tsan_kind kind)
{
	for (unsigned int i = 0; i < COH_WAYS; i++) {
		struct coh_way *w = &s->way[i];

		/* Relaxed: a racy look, rechecked under the lock on a miss. */
		if (__atomic_load_n(&w->tag, __ATOMIC_RELAXED) != tag)
			continue;
		if (__atomic_load_n(&w->owner, __ATOMIC_RELAXED) == (int)cpu)
			return true;
		return kind == TSAN_LOAD && __atomic_load_n(&w->owner, __ATOMIC_RELAXED) < 0 &&
		       (__atomic_load_n(&w->sharers, __ATOMIC_RELAXED) >> cpu & 1);
	}
	return false;
}

/* The way holding tag, or a new one (evicting the least contended). Locked. */
static struct coh_way *way_of(struct coh_set *s, uintptr_t tag)
{
	struct coh_way *victim = NULL;

	for (unsigned int i = 0; i < COH_WAYS; i++) {
		struct coh_way *w = &s->way[i];

		if (w->tag == tag)
			return w;
		if (!w->tag) {
			if (!victim || victim->tag)
				victim = w;
		} else if (!victim || (victim->tag && w->hitm + w->inval < victim->hitm + victim->inval)) {
			victim = w;
		}
	}
	if (victim->tag)
		evictions++;
	*victim = (struct coh_way){ .owner = -1 };
	__atomic_store_n(&victim->tag, tag, __ATOMIC_RELAXED);
	return victim;
}

static void note_func(struct coh_way *w, uintptr_t pc)
{
	uintptr_t off, fn;

	if (!ksym_lookup(pc, &off))
		return;
	fn = pc - off;
	for (unsigned int i = 0; i < COH_LINE_FUNCS; i++) {
		if (w->funcs[i] == fn)
			return;
		if (!w->funcs[i]) {
			w->funcs[i] = fn;
			return;
		}
	}
}

/* Apply cpu's access to a line it does not already hold as needed. Locked. */
static void transition(struct coh_way *w, unsigned int cpu, enum tsan_kind kind, uintptr_t addr,
		       uintptr_t pc)
{
	struct coh_cpu *me = &coh_cpus[cpu];
	uint64_t bit = 1ull << cpu, old_sharers = w->sharers;
	int old_owner = w->owner;
	bool remote_m = old_owner >= 0 && old_owner != (int)cpu;
	bool others = remote_m || (old_sharers & ~bit);
	bool hitm = false, inval = false;

	if (old_owner == (int)cpu)
		return;
	if (kind == TSAN_LOAD) {
		hitm = remote_m;
		if (remote_m)
			__atomic_store_n(&w->owner, -1, __ATOMIC_RELAXED);
		__atomic_store_n(&w->sharers, w->sharers | bit, __ATOMIC_RELAXED);
	} else {
		hitm = kind == TSAN_RMW && remote_m;
		inval = !hitm && others;
		__atomic_store_n(&w->sharers, bit, __ATOMIC_RELAXED);
		__atomic_store_n(&w->owner, (int)cpu, __ATOMIC_RELAXED);
	}
	if (!hitm && !inval)
		return;
	if (me->irq_depth) {	/* the state moved; the counts go aside */
		me->irq_hitm += hitm;
		me->irq_inval += inval;
		return;
	}
	w->cpus |= bit | (remote_m ? 1ull << old_owner : 0) | (inval ? old_sharers : 0);
	if (!w->hitm && !w->inval)
		w->first = addr;
	if (hitm) {
		w->hitm++;
		__atomic_store_n(&me->hitm, me->hitm + 1, __ATOMIC_RELAXED);
	} else {
		w->inval++;
		__atomic_store_n(&me->inval, me->inval + 1, __ATOMIC_RELAXED);
	}
	note_func(w, pc);
}

static void access_line(uintptr_t line, uintptr_t addr, unsigned int cpu, enum tsan_kind kind,
			uintptr_t pc)
{
	struct coh_set *s = set_of(line);
	uintptr_t tag = line + 1;
	unsigned long flags;

	if (is_hit(s, tag, cpu, kind) || coh_busted)
		return;
	flags = arch_irq_save();
	coh_lock(&s->lock);
	transition(way_of(s, tag), cpu, kind, addr, pc);
	coh_unlock(&s->lock);
	arch_irq_restore(flags);
}

void coherence_access(const volatile void *p, size_t size, enum tsan_kind kind, uintptr_t pc)
{
	uintptr_t a = (uintptr_t)p, first, last;
	unsigned int cpu;

	if (!__atomic_load_n(&coh_on, __ATOMIC_RELAXED))
		return;
	cpu = arch_cpu_id();
	if (cpu >= COH_MAX_CPUS)
		return;
	first = a >> COH_LINE_SHIFT;
	last = (a + size - 1) >> COH_LINE_SHIFT;
	access_line(first, a, cpu, kind, pc);
	if (last != first)
		access_line(last, last << COH_LINE_SHIFT, cpu, kind, pc);
}

/* ---- the kernel's side ---- */

void coherence_read(unsigned int cpu, struct coh_counts *c)
{
	if (cpu >= COH_MAX_CPUS) {
		c->hitm = c->inval = 0;
		return;
	}
	/* Relaxed: counters written by their CPU only, read after a barrier wait. */
	c->hitm = __atomic_load_n(&coh_cpus[cpu].hitm, __ATOMIC_RELAXED);
	c->inval = __atomic_load_n(&coh_cpus[cpu].inval, __ATOMIC_RELAXED);
}

void coherence_reset(void)
{
	for (unsigned int i = 0; i < COH_SETS; i++) {
		struct coh_set *s = &dir[i];
		unsigned long flags = arch_irq_save();

		coh_lock(&s->lock);
		for (unsigned int w = 0; w < COH_WAYS; w++) {
			s->way[w] = (struct coh_way){ .owner = -1 };
		}
		coh_unlock(&s->lock);
		arch_irq_restore(flags);
	}
	__atomic_store_n(&evictions, 0, __ATOMIC_RELAXED);
	coh_busted = cmdline_get_ull("coherence_busted", 0);
	__atomic_store_n(&coh_on, true, __ATOMIC_RELAXED);
}
CMDLINE_KEY(coherence_busted, "0 or 1 (coherence build: the directory keeps no line, so it "
	    "counts no transfer; its self-test must fail)", cmdline_check_bool);

unsigned long coherence_evictions(void)
{
	return __atomic_load_n(&evictions, __ATOMIC_RELAXED);
}

unsigned int coherence_top_lines(struct coh_line_report *out, unsigned int n)
{
	unsigned int found = 0;

	for (unsigned int i = 0; i < COH_SETS; i++) {
		struct coh_set *s = &dir[i];
		unsigned long flags = arch_irq_save();

		coh_lock(&s->lock);
		for (unsigned int w = 0; w < COH_WAYS; w++) {
			const struct coh_way *l = &s->way[w];
			unsigned long t = (unsigned long)l->hitm + l->inval;
			unsigned int pos = found;

			if (!l->tag || !t)
				continue;
			/* Insertion into out[], kept sorted by transfers, most first. */
			while (pos && out[pos - 1].hitm + out[pos - 1].inval < t) {
				if (pos < n)
					out[pos] = out[pos - 1];
				pos--;
			}
			if (pos >= n)
				continue;
			out[pos] = (struct coh_line_report){
				.addr = (l->tag - 1) << COH_LINE_SHIFT, .first = l->first,
				.hitm = l->hitm, .inval = l->inval,
				.cpus = (unsigned int)__builtin_popcountll(l->cpus),
			};
			for (unsigned int f = 0; f < COH_LINE_FUNCS; f++)
				out[pos].funcs[f] = l->funcs[f];
			if (found < n)
				found++;
		}
		coh_unlock(&s->lock);
		arch_irq_restore(flags);
	}
	return found;
}

/*
 * Lockstep: the stepping CPUs take turns, one operation each, in CPU
 * order (a CPU that left is skipped). The emulator's vCPUs do not run at
 * the same pace, and a CPU left alone for a while would own every line it
 * writes and count no transfer; in turns, the readers interleave op by op
 * as the seeds' CPUs do when they all run the same path at the same time,
 * and the counts do not depend on how the host schedules the vCPUs. A CPU
 * holds the turn from coherence_step()'s return to its next call (or to
 * coherence_step_leave()), so whoever waits for it is between two of its
 * own operations, holding nothing an operation could need. The state
 * lives in this uninstrumented file: the pacing moves no counted line.
 * step_lock (acquire/release, like the set locks) orders the turn's
 * handoffs against the CPUs joining and leaving; the waiters' relaxed
 * polls of turn order nothing else.
 */
static int step_lock;
static unsigned int step_cpus;		/* CPUs 0..step_cpus-1 step together */
static int turn = -1;			/* the CPU whose operation it is */
static bool stepping[COH_MAX_CPUS];	/* in the rotation; under step_lock */
static bool holds[COH_MAX_CPUS];	/* took its turn; only its CPU */

/* The next CPU after cpu in the rotation, cpu itself if alone, -1 if none. */
static int next_turn(int cpu)
{
	for (unsigned int i = 1; i <= step_cpus; i++) {
		unsigned int j = ((unsigned int)cpu + i) % step_cpus;

		if (stepping[j])
			return (int)j;
	}
	return -1;
}

void coherence_lockstep_start(unsigned int ncpus)
{
	coh_lock(&step_lock);
	step_cpus = ncpus < COH_MAX_CPUS ? ncpus : COH_MAX_CPUS;
	for (unsigned int i = 0; i < COH_MAX_CPUS; i++) {
		stepping[i] = i < step_cpus;
		holds[i] = false;
	}
	__atomic_store_n(&turn, step_cpus ? 0 : -1, __ATOMIC_RELAXED);
	coh_unlock(&step_lock);
}

void coherence_step(unsigned int cpu, const bool *stop)
{
	if (cpu >= __atomic_load_n(&step_cpus, __ATOMIC_RELAXED))
		return;
	coh_lock(&step_lock);
	if (holds[cpu] && turn == (int)cpu)	/* its operation is done: pass on */
		__atomic_store_n(&turn, next_turn((int)cpu), __ATOMIC_RELAXED);
	if (!stepping[cpu]) {			/* back from offline */
		stepping[cpu] = true;
		if (turn < 0)
			__atomic_store_n(&turn, (int)cpu, __ATOMIC_RELAXED);
	}
	coh_unlock(&step_lock);
	holds[cpu] = true;
	while (__atomic_load_n(&turn, __ATOMIC_RELAXED) != (int)cpu &&
	       !(stop && __atomic_load_n(stop, __ATOMIC_RELAXED)))
		cpu_relax();
}

void coherence_step_leave(unsigned int cpu)
{
	if (cpu >= __atomic_load_n(&step_cpus, __ATOMIC_RELAXED))
		return;
	coh_lock(&step_lock);
	stepping[cpu] = false;
	holds[cpu] = false;
	if (turn == (int)cpu)
		__atomic_store_n(&turn, next_turn((int)cpu), __ATOMIC_RELAXED);
	coh_unlock(&step_lock);
}

void coherence_irq_enter(void)
{
	unsigned int cpu = arch_cpu_id();

	if (cpu < COH_MAX_CPUS)
		coh_cpus[cpu].irq_depth++;
}

void coherence_irq_exit(void)
{
	unsigned int cpu = arch_cpu_id();

	if (cpu < COH_MAX_CPUS)
		coh_cpus[cpu].irq_depth--;
}
#endif
