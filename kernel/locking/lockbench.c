// SPDX-License-Identifier: MIT
/*
 * run=lockbench [type=...] [ms=N]: the cost of each lock, uncontended
 * and contended. For each mode and for 1, 2 and all CPUs, every CPU runs
 * the mode's operation (an acquire and release around a one-counter
 * critical section, or one get/put pair) for ms milliseconds:
 *
 * RESULT workload=lockbench mode=<m> cpus=<n> ms=<ms> ops=<n>
 *	ops_per_sec=<n> atomics_per_op=<x.xx> uncontended_ns=<n> errors=<n>
 *
 * ops_per_sec divides by the longest CPU's measured loop time (a loop
 * ends at its first clock check past ms). uncontended_ns is one CPU alone, measured before the timed runs.
 * atomics_per_op is the atomic RMW operations plus full barriers the
 * timed loop counted on the CPUs taking part (include/atomic.h), per
 * operation: the lock's own atomics only (lockdep adds none; the loop's
 * clock reads add none). errors: exclusive modes check that the counter
 * they guard moved exactly once per operation. A benchmark, not a test:
 * nothing here passes or fails on a number.
 */
#include <cmdline.h>
#include <atomic.h>
#include <coherence.h>
#include <harness.h>
#include <kernel.h>
#include <ktime.h>
#include <lockref.h>
#include <refcount.h>
#include <rwlock.h>
#include <rwsem.h>
#include <seqlock.h>
#include <smp.h>
#include <torture.h>

#define DEFAULT_MS		200
#define UNCONTENDED_OPS		20000

static DEFINE_TICKET_SPINLOCK(lb_ticket);
static DEFINE_MCS_SPINLOCK(lb_mcs);
static DEFINE_RWLOCK(lb_rwlock);
static DECLARE_RWSEM(lb_rwsem);
static DEFINE_SEQLOCK(lb_seqlock);
static struct lockref lb_lockref = LOCKREF_INIT(1);
static refcount_t lb_refcount = REFCOUNT_INIT(1);

/* The data the modes guard; exclusive modes count their operations. */
static unsigned long lb_counter ____cacheline_aligned;

static void ticket_op(void)
{
	ticket_spin_lock(&lb_ticket);
	WRITE_ONCE(lb_counter, lb_counter + 1);
	ticket_spin_unlock(&lb_ticket);
}

static void mcs_op(void)
{
	mcs_spin_lock(&lb_mcs);
	WRITE_ONCE(lb_counter, lb_counter + 1);
	mcs_spin_unlock(&lb_mcs);
}

static void rwlock_write_op(void)
{
	write_lock(&lb_rwlock);
	WRITE_ONCE(lb_counter, lb_counter + 1);
	write_unlock(&lb_rwlock);
}

static void rwlock_read_op(void)
{
	read_lock(&lb_rwlock);
	(void)READ_ONCE(lb_counter);
	read_unlock(&lb_rwlock);
}

static void rwsem_write_op(void)
{
	down_write(&lb_rwsem);
	WRITE_ONCE(lb_counter, lb_counter + 1);
	up_write(&lb_rwsem);
}

static void rwsem_read_op(void)
{
	down_read(&lb_rwsem);
	(void)READ_ONCE(lb_counter);
	up_read(&lb_rwsem);
}

static void seqlock_write_op(void)
{
	write_seqlock(&lb_seqlock);
	WRITE_ONCE(lb_counter, lb_counter + 1);
	write_sequnlock(&lb_seqlock);
}

static void seqlock_read_op(void)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&lb_seqlock);
		(void)READ_ONCE(lb_counter);
	} while (read_seqretry(&lb_seqlock, seq));
}

static void lockref_op(void)
{
	lockref_get(&lb_lockref);
	if (lockref_put_return(&lb_lockref) < 0 && !lockref_put_or_lock(&lb_lockref))
		lockref_unlock(&lb_lockref);	/* cannot happen: base ref */
}

static void refcount_op(void)
{
	refcount_inc(&lb_refcount);
	(void)refcount_dec_and_test(&lb_refcount);
}

/*
 * The coherence build's own check (tests/qemu/coherence.py): three ways
 * to count, each one relaxed atomic increment per op, so atomics_per_op
 * is 1.00 for all three and only the transfers tell them apart. With 2
 * CPUs: one counter both CPUs increment (its line moves at every op that
 * follows the other CPU's: ~1 HITM/op), a counter per CPU in a line of
 * its own (0), and a counter per CPU with both in one line (false
 * sharing: ~1, like the shared counter). No ordering is needed: nothing
 * reads the counters but the final sum. The three are the same op, an
 * increment of the CPU's slot found once per CPU (lb_slot()), so they
 * differ only in where the slots lie: at 1 CPU they cost the same.
 */
static atomic_long_t lb_shared ____cacheline_aligned;
static struct {
	atomic_long_t v;
} ____cacheline_aligned lb_percpu[NR_CPUS];
static struct {
	atomic_long_t v[8];	/* one 64-byte line (half of it on armv7) */
} ____cacheline_aligned lb_pair;

static atomic_long_t *shared_counter_slot(unsigned int cpu)
{
	(void)cpu;
	return &lb_shared;
}

static atomic_long_t *percpu_counter_slot(unsigned int cpu)
{
	return &lb_percpu[cpu].v;
}

static atomic_long_t *false_sharing_slot(unsigned int cpu)
{
	return &lb_pair.v[cpu % 8];
}

struct lb_mode {
	const char *name;
	void (*op)(void);		/* one operation; or, the counters: */
	bool counts;	/* each op adds 1 to lb_counter */
	atomic_long_t *(*slot)(unsigned int cpu);	/* the CPU's counter */
};

static const struct lb_mode lb_modes[] = {
	{ "ticket", ticket_op, true, NULL },
	{ "mcs", mcs_op, true, NULL },
	{ "rwlock-write", rwlock_write_op, true, NULL },
	{ "rwlock-read", rwlock_read_op, false, NULL },
	{ "rwsem-write", rwsem_write_op, true, NULL },
	{ "rwsem-read", rwsem_read_op, false, NULL },
	{ "seqlock-write", seqlock_write_op, true, NULL },
	{ "seqlock-read", seqlock_read_op, false, NULL },
	{ "lockref", lockref_op, false, NULL },
	{ "refcount", refcount_op, false, NULL },
	{ "shared-counter", NULL, false, shared_counter_slot },
	{ "percpu-counter", NULL, false, percpu_counter_slot },
	{ "false-sharing", NULL, false, false_sharing_slot },
};

const char *const lockbench_types[] = {
	"ticket", "mcs", "rwlock-write", "rwlock-read", "rwsem-write",
	"rwsem-read", "seqlock-write", "seqlock-read", "lockref", "refcount",
	"shared-counter", "percpu-counter", "false-sharing", NULL,
};
_Static_assert(ARRAY_SIZE(lockbench_types) == ARRAY_SIZE(lb_modes) + 1,
	       "every lockbench mode is listed for type=");

struct lb_cpu {
	unsigned long ops;
	struct cpu_counts n;	/* over the timed loop */
	uint64_t elapsed_ns;	/* the loop ends a little after ms */
} ____cacheline_aligned;

static struct lb_cpu lb_cpus[NR_CPUS];
static struct torture_barrier lb_barrier;
static const struct lb_mode *lb_current;
static unsigned long lb_ms;

/* One operation of m; slot: the CPU's counter, for the counter modes. */
static inline void lb_op(const struct lb_mode *m, atomic_long_t *slot)
{
	if (slot)
		atomic_long_inc(slot);
	else
		m->op();
}

static void lb_worker(void *arg)
{
	unsigned int cpu = smp_processor_id();
	const struct lb_mode *m = lb_current;
	atomic_long_t *slot = m->slot ? m->slot(cpu) : NULL;
	unsigned long n = 0;
	struct cpu_counts n0, n1;
	uint64_t start, end, now;

	torture_barrier_wait(&lb_barrier, (unsigned int)(uintptr_t)arg);
	start = ktime_get_ns();
	end = start + lb_ms * NSEC_PER_MSEC;
	n0 = cpu_counts_read(cpu);
	do {
		for (unsigned int i = 0; i < 64; i++) {
			coherence_step(cpu, NULL);	/* the coherence build only */
			lb_op(m, slot);
		}
		n += 64;
	} while ((now = ktime_get_ns()) < end);
	n1 = cpu_counts_read(cpu);
	coherence_step_leave(cpu);
	lb_cpus[cpu].n = (struct cpu_counts){ 0 };
	cpu_counts_add(&lb_cpus[cpu].n, &n1, &n0);
	lb_cpus[cpu].elapsed_ns = now - start;
	lb_cpus[cpu].ops = n;
}

static unsigned long uncontended_ns(const struct lb_mode *m)
{
	atomic_long_t *slot = m->slot ? m->slot(smp_processor_id()) : NULL;
	uint64_t t0;

	for (unsigned int i = 0; i < 1000; i++)	/* warm the caches */
		lb_op(m, slot);
	t0 = ktime_get_ns();
	for (unsigned int i = 0; i < UNCONTENDED_OPS; i++)
		lb_op(m, slot);
	return (unsigned long)((ktime_get_ns() - t0) / UNCONTENDED_OPS);
}

static void lb_run(const struct lb_mode *m, unsigned int ncpus, unsigned long ns)
{
	unsigned long ops = 0, errors = 0, start = lb_counter, races;
	struct cpu_counts sum = { 0 }, zero = { 0 };
	uint64_t elapsed = 1;

	lb_current = m;
	torture_barrier_init(&lb_barrier);
	coherence_reset();
	coherence_lockstep_start(ncpus);
	run_on_cpus(ncpus, lb_worker, (void *)(uintptr_t)ncpus);
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		ops += lb_cpus[cpu].ops;
		cpu_counts_add(&sum, &lb_cpus[cpu].n, &zero);
		elapsed = max(elapsed, lb_cpus[cpu].elapsed_ns);
	}
	if (m->counts && lb_counter - start != ops)
		errors = 1;
	races = result_print(&(struct result_line){
			.workload = "lockbench", .mode = m->name, .cpus = ncpus, .ms = lb_ms,
			.ops = ops, .ops_per_sec = ops * 1000000000ull / elapsed,
			.readers = { .ops = ops, .n = sum },
		     },
		     " uncontended_ns=%lu errors=%lu", ns, errors);
	/* A line is a check: the guarded counter and, in the race build,
	 * no data race (RACE lines above). */
	harness_report(!errors && !races);
	if (errors)
		printk("lockbench: %s: the guarded counter moved %lu times for %lu ops\n",
		       m->name, lb_counter - start, ops);
}

static int lockbench_check(void)
{
	return torture_check_types("lockbench", lockbench_types);
}

static void lockbench_run(void)
{
	unsigned int all = harness_cpus(), counts[3] = { 1, 2, all };

	lb_ms = cmdline_get_ull("ms", DEFAULT_MS);
	for (unsigned int i = 0; i < ARRAY_SIZE(lb_modes); i++) {
		const struct lb_mode *m = &lb_modes[i];
		unsigned long ns;

		if (!torture_type_selected(m->name))
			continue;
		ns = uncontended_ns(m);
		for (unsigned int c = 0; c < ARRAY_SIZE(counts); c++) {
			if (counts[c] > all || (c && counts[c] <= counts[c - 1]))
				continue;
			lb_run(m, counts[c], ns);
		}
	}
}

COMMAND("lockbench", "lock costs, uncontended and contended (type=, ms=, cpus=)",
	lockbench_check, lockbench_run);
