// SPDX-License-Identifier: MIT
/*
 * run=locktorture [type=...|all] [ms=N] [cpus=N]: every CPU hammers one
 * lock of each type in turn, and checks inside each critical section that
 * the lock did its job:
 *
 *  - a writer finds nobody inside, marks itself as the owner, bumps two
 *    counters with a random delay between them, and finds both equal and
 *    itself still the owner on the way out;
 *  - a reader finds no owner and equal counters;
 *  - a seqlock reader that accepts a snapshot finds all its words equal;
 *  - lockref and refcount count exactly: after the run the count is the
 *    one it started with, and no operation saw an impossible value.
 *
 * One line per type (DESIGN.md section 8):
 * TORTURE type=<t> cpus=<n> ms=<ms> acquisitions=<n> max=<per-CPU max>
 *	min=<per-CPU min> errors=<n> result=SUCCESS|FAILURE [fairness=unfair]
 * fairness=unfair when max > 2 * min. busted does not exclude at all; it
 * must fail, and counts toward SUMMARY as passed when it does.
 */
#include <cmdline.h>
#include <harness.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <lockref.h>
#include <races.h>
#include <refcount.h>
#include <rwlock.h>
#include <rwsem.h>
#include <seqlock.h>
#include <smp.h>
#include <torture.h>

#define DEFAULT_MS	1000

struct lt_cpu {
	unsigned int cpu;
	struct torture_random rnd;
	unsigned long acquisitions;
} ____cacheline_aligned;

static struct lt_cpu lt_cpus[NR_CPUS];
static struct torture_barrier lt_barrier;
static uint64_t lt_end_ns;
static atomic_t lt_errors;
static int lt_first_error;	/* set once: only the first error prints */

/*
 * What the critical sections check, written only inside them (so with a
 * working lock, by one writer at a time). Accessed with READ_ONCE and
 * WRITE_ONCE so that a broken lock shows as wrong values, not as
 * compiler-merged accesses.
 */
static struct {
	int owner;		/* CPU + 1 of the writer inside, 0: none */
	unsigned long a, b;	/* a == b whenever no writer is inside */
	unsigned long words[4];	/* seqlock: all equal outside a write */
} cs ____cacheline_aligned;

static void lt_error(struct lt_cpu *me, const char *what)
{
	atomic_inc(&lt_errors);
	if (!xchg_relaxed(&lt_first_error, 1))
		printk("locktorture: CPU %u: %s\n", me->cpu, what);
}

/* A random delay, now and then a long one so that waiters pile up. */
static void lt_delay(struct lt_cpu *me, unsigned int mask)
{
	uint32_t r = torture_random(&me->rnd);
	unsigned int n = (r & 0xfff) == 0 ? 2000 : (r >> 16) & mask;

	for (volatile unsigned int i = 0; i < n; i++)
		;
}

static void writer_cs(struct lt_cpu *me)
{
	int self = (int)me->cpu + 1;
	unsigned long a;

	if (READ_ONCE(cs.owner))
		lt_error(me, "writer found another writer inside");
	WRITE_ONCE(cs.owner, self);
	a = READ_ONCE(cs.a) + 1;
	WRITE_ONCE(cs.a, a);
	lt_delay(me, 63);
	WRITE_ONCE(cs.b, READ_ONCE(cs.b) + 1);
	if (READ_ONCE(cs.owner) != self)
		lt_error(me, "writer lost ownership inside its critical section");
	if (READ_ONCE(cs.a) != READ_ONCE(cs.b) || READ_ONCE(cs.a) != a)
		lt_error(me, "writer saw another writer's counter update");
	WRITE_ONCE(cs.owner, 0);
}

static void reader_cs(struct lt_cpu *me)
{
	unsigned long a, b;

	if (READ_ONCE(cs.owner))
		lt_error(me, "reader found a writer inside");
	a = READ_ONCE(cs.a);
	lt_delay(me, 15);
	b = READ_ONCE(cs.b);
	if (a != b || READ_ONCE(cs.owner))
		lt_error(me, "reader overlapped a writer");
}

/* ---- the types ------------------------------------------------------ */

static DEFINE_TICKET_SPINLOCK(lt_ticket);
static DEFINE_MCS_SPINLOCK(lt_mcs);
static DEFINE_RWLOCK(lt_rwlock);
static DECLARE_RWSEM(lt_rwsem);
static DEFINE_SEQLOCK(lt_seqlock);
static struct lockref lt_lockref;
static refcount_t lt_refcount;

/* Lock-free "lock": the proof that the checks can fail. */
static void busted_write(struct lt_cpu *me) { writer_cs(me); }

static void ticket_write(struct lt_cpu *me)
{
	ticket_spin_lock(&lt_ticket);
	writer_cs(me);
	ticket_spin_unlock(&lt_ticket);
}

static void mcs_write(struct lt_cpu *me)
{
	unsigned long flags;

	/* Now and then through the irqsave form, which must work the same
	 * (rarely: a long wait with interrupts off trips the watchdog). */
	if (torture_random(&me->rnd) & 7) {
		mcs_spin_lock(&lt_mcs);
		writer_cs(me);
		mcs_spin_unlock(&lt_mcs);
	} else {
		mcs_spin_lock_irqsave(&lt_mcs, flags);
		writer_cs(me);
		mcs_spin_unlock_irqrestore(&lt_mcs, flags);
	}
}

static void rwlock_write(struct lt_cpu *me)
{
	write_lock(&lt_rwlock);
	writer_cs(me);
	write_unlock(&lt_rwlock);
}

static void rwlock_read(struct lt_cpu *me)
{
	read_lock(&lt_rwlock);
	reader_cs(me);
	read_unlock(&lt_rwlock);
}

static void rwsem_write(struct lt_cpu *me)
{
	down_write(&lt_rwsem);
	writer_cs(me);
	if (torture_random(&me->rnd) & 1) {
		up_write(&lt_rwsem);
		return;
	}
	/* Downgraded: the counters stay put, no writer gets in. */
	downgrade_write(&lt_rwsem);
	reader_cs(me);
	up_read(&lt_rwsem);
}

static void rwsem_read(struct lt_cpu *me)
{
	if (!(torture_random(&me->rnd) & 7)) {
		if (!down_read_trylock(&lt_rwsem))
			return;
	} else {
		down_read(&lt_rwsem);
	}
	reader_cs(me);
	up_read(&lt_rwsem);
}

static void seqlock_write(struct lt_cpu *me)
{
	write_seqlock(&lt_seqlock);
	writer_cs(me);
	/* Four words, all the same new value, with delays in between. */
	for (unsigned int i = 0; i < ARRAY_SIZE(cs.words); i++) {
		WRITE_ONCE(cs.words[i], READ_ONCE(cs.a));
		lt_delay(me, 7);
	}
	write_sequnlock(&lt_seqlock);
}

static void seqlock_read(struct lt_cpu *me)
{
	unsigned long copy[ARRAY_SIZE(cs.words)];
	unsigned int seq;

	do {
		seq = read_seqbegin(&lt_seqlock);
		for (unsigned int i = 0; i < ARRAY_SIZE(copy); i++) {
			copy[i] = READ_ONCE(cs.words[i]);
			lt_delay(me, 3);
		}
	} while (read_seqretry(&lt_seqlock, seq));
	for (unsigned int i = 1; i < ARRAY_SIZE(copy); i++)
		if (copy[i] != copy[0])
			lt_error(me, "seqlock reader accepted a torn value");
}

/* The lockref holds one base reference throughout. */
static void lockref_write(struct lt_cpu *me)
{
	int c;

	lockref_lock(&lt_lockref);
	writer_cs(me);
	c = lockref_read(&lt_lockref);
	if (c < 1)
		lt_error(me, "lockref count below the base reference");
	__lockref_set(&lt_lockref, c + 1);
	lt_delay(me, 15);
	__lockref_set(&lt_lockref, lockref_read(&lt_lockref) - 1);
	lockref_unlock(&lt_lockref);
}

static void lockref_read_side(struct lt_cpu *me)
{
	switch (torture_random(&me->rnd) & 3) {
	case 0:
		lockref_get(&lt_lockref);
		break;
	case 1:
		if (!lockref_get_not_zero(&lt_lockref))
			lt_error(me, "lockref_get_not_zero failed on a live count");
		break;
	default:
		if (!lockref_get_not_dead(&lt_lockref))
			lt_error(me, "lockref_get_not_dead failed on a live count");
		break;
	}
	lt_delay(me, 15);
	if (torture_random(&me->rnd) & 1) {
		if (lockref_put_return(&lt_lockref) >= 0)
			return;
		/* Not possible locklessly: fall through to the other put. */
	}
	if (!lockref_put_or_lock(&lt_lockref)) {
		/* We hold a reference and so does the base: never <= 1. */
		lt_error(me, "lockref_put_or_lock found the last reference");
		lockref_unlock(&lt_lockref);
	}
}

static void refcount_write(struct lt_cpu *me)
{
	refcount_inc(&lt_refcount);
	lt_delay(me, 15);
	if (refcount_dec_and_test(&lt_refcount))
		lt_error(me, "refcount_dec_and_test hit 0 with the base reference held");
}

static void refcount_read_side(struct lt_cpu *me)
{
	if (!refcount_inc_not_zero(&lt_refcount)) {
		lt_error(me, "refcount_inc_not_zero failed on a live count");
		return;
	}
	lt_delay(me, 15);
	refcount_dec(&lt_refcount);
}

static void lockref_setup(void) { lockref_init(&lt_lockref, 1); }
static void refcount_setup(void) { refcount_set(&lt_refcount, 1); }

static unsigned long lockref_final(void)
{
	return lockref_read(&lt_lockref) != 1;
}

static unsigned long refcount_final(void)
{
	return refcount_read(&lt_refcount) != 1;
}

struct lt_type {
	const char *name;
	void (*write)(struct lt_cpu *me);
	void (*read)(struct lt_cpu *me);	/* NULL: writers only */
	unsigned int write_pct;			/* share of writes, % */
	void (*setup)(void);
	unsigned long (*final)(void);		/* errors found at the end */
	bool busted;				/* must fail */
};

static const struct lt_type lt_types[] = {
	{ .name = "ticket", .write = ticket_write, .write_pct = 100 },
	{ .name = "mcs", .write = mcs_write, .write_pct = 100 },
	{ .name = "rwlock", .write = rwlock_write, .read = rwlock_read, .write_pct = 25 },
	{ .name = "rwsem", .write = rwsem_write, .read = rwsem_read, .write_pct = 25 },
	{ .name = "seqlock", .write = seqlock_write, .read = seqlock_read, .write_pct = 25 },
	{ .name = "lockref", .write = lockref_write, .read = lockref_read_side,
	  .write_pct = 10, .setup = lockref_setup, .final = lockref_final },
	{ .name = "refcount", .write = refcount_write, .read = refcount_read_side,
	  .write_pct = 50, .setup = refcount_setup, .final = refcount_final },
	{ .name = "busted", .write = busted_write, .write_pct = 100, .busted = true },
};

const char *const locktorture_types[] = {
	"ticket", "mcs", "rwlock", "rwsem", "seqlock", "lockref", "refcount",
	"busted", NULL,
};
_Static_assert(ARRAY_SIZE(locktorture_types) == ARRAY_SIZE(lt_types) + 1,
	       "every torture type is listed for type=");

/* ---- the run -------------------------------------------------------- */

static const struct lt_type *lt_current;
#define BUSTED_ROUNDS	25	/* busted runs at most this many times ms= */

static void lt_worker(void *arg)
{
	const struct lt_type *t = lt_current;
	struct lt_cpu *me = &lt_cpus[smp_processor_id()];
	unsigned long n = 0;

	(void)arg;
	torture_barrier_wait(&lt_barrier, (unsigned int)(uintptr_t)arg);
	do {
		for (unsigned int i = 0; i < 16; i++) {
			if (t->read && torture_random(&me->rnd) % 100 >= t->write_pct)
				t->read(me);
			else
				t->write(me);
			n++;
			lt_delay(me, 15);
		}
	} while (ktime_get_ns() < READ_ONCE(lt_end_ns));
	me->acquisitions = n;
}

static void lt_run_type(const struct lt_type *t, unsigned int ncpus,
			unsigned long ms)
{
	unsigned long total = 0, max = 0, min = ~0ul, errors, races;
	bool failed;

	if (t->busted && ncpus < 2) {
		printk("TORTURE type=%s cpus=%u ms=%lu skipped: needs 2 CPUs to fail\n",
		       t->name, ncpus, ms);
		return;
	}
	memset(&cs, 0, sizeof(cs));
	atomic_set(&lt_errors, 0);
	lt_first_error = 0;
	if (t->setup)
		t->setup();
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		lt_cpus[cpu].cpu = cpu;
		lt_cpus[cpu].acquisitions = 0;
		torture_random_init(&lt_cpus[cpu].rnd,
				    cmdline_get_ull("seed", 1) * 1000 + cpu);
	}
	lt_current = t;
	/*
	 * busted must fail, and its writers overlap only while two vCPUs run
	 * at once: on a loaded host that may not happen within ms, so it goes
	 * on (up to BUSTED_ROUNDS times ms) until its checks have fired.
	 */
	for (unsigned int round = 0;; round++) {
		torture_barrier_init(&lt_barrier);
		lt_end_ns = ktime_get_ns() + ms * NSEC_PER_MSEC;
		run_on_cpus(ncpus, lt_worker, (void *)(uintptr_t)ncpus);
		if (!t->busted || atomic_read(&lt_errors) || round + 1 >= BUSTED_ROUNDS)
			break;
	}

	errors = (unsigned long)atomic_read(&lt_errors);
	if (t->final)
		errors += t->final();
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		unsigned long a = lt_cpus[cpu].acquisitions;

		total += a;
		max = max(max, a);
		min = min(min, a);
	}
	races = races_flush();	/* the race build: RACE lines before the TORTURE line */
	/* A data race fails a type, unless it is busted on purpose. */
	failed = errors > 0 || (races && !t->busted);
	printk("TORTURE type=%s cpus=%u ms=%lu acquisitions=%lu max=%lu min=%lu "
	       "errors=%lu result=%s%s%s", t->name, ncpus, ms, total, max, min,
	       errors, failed ? "FAILURE" : "SUCCESS",
	       max > 2 * min ? " fairness=unfair" : "",
	       t->busted ? " expected=FAILURE" : "");
	if (RACES_ENABLED)
		printk(" races=%lu", races);
	printk("\n");
	harness_report(t->busted ? failed : !failed);
}

static int locktorture_check(void)
{
	return torture_check_types("locktorture", locktorture_types);
}

static void locktorture_run(void)
{
	unsigned int ncpus = harness_cpus();
	unsigned long ms = cmdline_get_ull("ms", DEFAULT_MS);

	for (unsigned int i = 0; i < ARRAY_SIZE(lt_types); i++)
		if (torture_type_selected(lt_types[i].name))
			lt_run_type(&lt_types[i], ncpus, ms);
}

COMMAND("locktorture", "torture every lock type (type=, ms=, cpus=)",
	locktorture_check, locktorture_run);
