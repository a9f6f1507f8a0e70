// SPDX-License-Identifier: MIT
/*
 * The shrinker core (see include/shrinker.h): registration, the three
 * ways of walking the shrinker list, and direct reclaim for the
 * allocator.
 *
 * Lock order: shrinker_rwsem, then whatever a shrinker's callbacks take.
 * shrinker_rwsem guards shrinker_list changes and ->registered in every
 * mode; in rwsem mode readers also hold it (trylock) across the walk.
 */
#include <shrinker.h>
#include <arch.h>
#include <kernel.h>
#include <ktest.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <percpu.h>
#include <rwsem.h>
#include <smp.h>
#include <srcu.h>
#include <torture.h>

static DECLARE_RWSEM(shrinker_rwsem);
static LIST_HEAD(shrinker_list);
static struct srcu_struct shrinker_srcu;
static bool srcu_ready;
static enum shrinker_mode shrinker_mode = SHRINKER_REFCOUNT_RCU;
static unsigned int nr_allocated;	/* guarded by shrinker_rwsem */
static DEFINE_PER_CPU(struct shrink_stats, shrink_stats);

int shrinker_set_mode(enum shrinker_mode mode)
{
	int err = 0;

	down_write(&shrinker_rwsem);
	if (nr_allocated)
		err = -EBUSY;
	else
		WRITE_ONCE(shrinker_mode, mode);
	if (!err && mode == SHRINKER_SRCU && !srcu_ready)
		err = init_srcu_struct(&shrinker_srcu);
	if (!err && mode == SHRINKER_SRCU)
		srcu_ready = true;
	up_write(&shrinker_rwsem);
	return err;
}

/* Release what shrinker_set_mode() set up (the SRCU domain); no shrinker may exist. */
void shrinker_reset(void)
{
	down_write(&shrinker_rwsem);
	if (srcu_ready && !nr_allocated) {
		cleanup_srcu_struct(&shrinker_srcu);
		srcu_ready = false;
	}
	up_write(&shrinker_rwsem);
}

struct shrinker *shrinker_alloc(unsigned int flags, const char *name)
{
	struct shrinker *s = kzalloc(sizeof(*s));

	(void)flags;
	if (!s)
		return NULL;
	s->magic = SHRINKER_MAGIC;
	snprintf(s->name, sizeof(s->name), "%s", name);
	INIT_LIST_HEAD(&s->list);
	down_write(&shrinker_rwsem);
	nr_allocated++;
	up_write(&shrinker_rwsem);
	return s;
}

void shrinker_register(struct shrinker *s)
{
	if (!s->batch)
		s->batch = SHRINK_BATCH;
	/* The initial reference, dropped by shrinker_free(). */
	refcount_set(&s->refcount, 1);
	init_completion(&s->done);
	down_write(&shrinker_rwsem);
	/* Release (in list_add_tail_rcu): walkers see an initialised shrinker. */
	list_add_tail_rcu(&s->list, &shrinker_list);
	s->registered = true;
	up_write(&shrinker_rwsem);
}

static void unlink_shrinker(struct shrinker *s)
{
	down_write(&shrinker_rwsem);
	if (s->registered) {
		list_del_rcu(&s->list);
		s->registered = false;
	}
	nr_allocated--;
	up_write(&shrinker_rwsem);
}

void shrinker_free(struct shrinker *s)
{
	if (!s)
		return;
	switch (READ_ONCE(shrinker_mode)) {
	case SHRINKER_RWSEM:
		/* down_write waits for every walker: none can still see it. */
		unlink_shrinker(s);
		s->magic = 0;
		kfree(s);
		return;
	case SHRINKER_SRCU:
		unlink_shrinker(s);
		/* Walkers that found it before the unlink are all gone after this. */
		synchronize_srcu(&shrinker_srcu);
		s->magic = 0;
		kfree(s);
		return;
	case SHRINKER_REFCOUNT_RCU:
		if (READ_ONCE(s->registered)) {
			shrinker_put(s);		/* the initial reference */
			/*
			 * Acquire (in the completion): pairs with the release in
			 * the last shrinker_put(); after it no walker runs the
			 * shrinker, and none can pin it again (the count is 0).
			 */
			wait_for_completion(&s->done);
		}
		unlink_shrinker(s);
		/* Walkers under rcu_read_lock() may still be stepping over it. */
		kfree_rcu(s, rcu);
		return;
	}
}

/* ---- the walk ---- */

static unsigned long do_shrink_slab(struct shrinker *s, int priority)
{
	struct shrink_control sc = { 0 };
	unsigned long freeable = s->count_objects(s, &sc), total_scan, freed = 0;

	if (!freeable || freeable == SHRINK_EMPTY)
		return 0;
	total_scan = freeable >> priority;
	while (total_scan) {
		unsigned long ret;

		sc.nr_to_scan = min(total_scan, (unsigned long)s->batch);
		sc.nr_scanned = sc.nr_to_scan;
		ret = s->scan_objects(s, &sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		total_scan -= min(total_scan, max(sc.nr_scanned, 1ul));
	}
	return freed;
}

/* A shrinker that reached the walk must be alive: count it if not. */
static bool shrinker_alive(struct shrink_stats *st, struct shrinker *s)
{
	if (READ_ONCE(s->magic) == SHRINKER_MAGIC)
		return true;
	st->poisoned++;
	return false;
}

static uint64_t now(void)
{
	return arch_counter_read();
}

static unsigned long shrink_slab_rwsem(struct shrink_stats *st, int priority)
{
	unsigned long freed = 0;
	struct shrinker *s;
	uint64_t t0 = now();

	if (!down_read_trylock(&shrinker_rwsem)) {
		/* A register/free holds it: give up, as Linux does. */
		st->trylock_failed++;
		st->lock_ns += now() - t0;
		return 0;
	}
	st->lock_ns += now() - t0;
	list_for_each_entry(s, &shrinker_list, list)
		if (shrinker_alive(st, s))
			freed += do_shrink_slab(s, priority);
	t0 = now();
	up_read(&shrinker_rwsem);
	st->lock_ns += now() - t0;
	return freed;
}

static unsigned long shrink_slab_srcu(struct shrink_stats *st, int priority)
{
	unsigned long freed = 0;
	struct shrinker *s;
	uint64_t t0 = now();
	int idx = srcu_read_lock(&shrinker_srcu);

	st->lock_ns += now() - t0;
	/*
	 * The _rcu walk pairs with list_add_tail_rcu()/list_del_rcu(); what
	 * keeps the entries alive here is SRCU: shrinker_free() waits for us.
	 */
	list_for_each_entry_rcu(s, &shrinker_list, list)
		if (shrinker_alive(st, s))
			freed += do_shrink_slab(s, priority);
	t0 = now();
	srcu_read_unlock(&shrinker_srcu, idx);
	st->lock_ns += now() - t0;
	return freed;
}

static unsigned long shrink_slab_refcount_rcu(struct shrink_stats *st, int priority)
{
	unsigned long freed = 0;
	struct shrinker *s;

	rcu_read_lock();
	/* Pairs with list_add_tail_rcu()/list_del_rcu() under shrinker_rwsem. */
	list_for_each_entry_rcu(s, &shrinker_list, list) {
		if (!shrinker_try_get(s))
			continue;	/* being freed: skip it */
		rcu_read_unlock();
		/*
		 * Pinned: shrinker_free() cannot return, so the shrinker and
		 * its cache stay alive while RCU is off.
		 */
		if (shrinker_alive(st, s))
			freed += do_shrink_slab(s, priority);
		rcu_read_lock();
		/*
		 * Put under RCU: if this was the last reference, shrinker_free()
		 * may unlink and kfree_rcu() it now, but not before we leave
		 * this read-side section, so s->list.next stays usable.
		 */
		shrinker_put(s);
	}
	rcu_read_unlock();
	return freed;
}

unsigned long shrink_slab(int priority)
{
	struct shrink_stats *st = this_cpu_ptr(&shrink_stats);
	uint64_t t0 = now();
	unsigned long freed;

	switch (READ_ONCE(shrinker_mode)) {
	case SHRINKER_RWSEM:
		freed = shrink_slab_rwsem(st, priority);
		break;
	case SHRINKER_SRCU:
		freed = shrink_slab_srcu(st, priority);
		break;
	default:
		freed = shrink_slab_refcount_rcu(st, priority);
		break;
	}
	st->calls++;
	st->freed += freed;
	st->ns += now() - t0;
	return freed;
}

void shrink_stats_sum(unsigned int ncpus, struct shrink_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		const struct shrink_stats *st = per_cpu_ptr(&shrink_stats, cpu);

		sum->calls += st->calls;
		sum->trylock_failed += st->trylock_failed;
		sum->freed += st->freed;
		sum->poisoned += st->poisoned;
		sum->ns += counter_to_ns(st->ns);
		sum->lock_ns += counter_to_ns(st->lock_ns);
	}
}

void shrink_stats_reset(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&shrink_stats, cpu), 0, sizeof(struct shrink_stats));
}

/* ---- direct reclaim ---- */

#ifndef QUIESCE_HOST
/*
 * The allocator's reclaimer (mm_set_reclaim()): walk the shrinkers at
 * falling priority until nr_pages objects were freed (objects, not
 * pages: a shrinker only reports objects).
 */
static unsigned long shrinker_reclaim(unsigned long nr_pages)
{
	unsigned long freed = 0;

	for (int prio = DEF_PRIORITY; prio >= 0 && freed < nr_pages; prio--)
		freed += shrink_slab(prio);
	return freed;
}

void shrinker_enable_reclaim(void)
{
	mm_set_reclaim(shrinker_reclaim);
}
#endif

/* ---- tests: the walk against register/free, in every mode ---- */

#define T_CACHES	8
#define T_ROUNDS	400

struct t_cache {
	uint32_t magic;			/* CACHE-like liveness check */
	atomic_t objs;
	struct shrinker *s;
};

struct t_shrink {
	struct t_cache *slot[T_CACHES];	/* owned by the updater CPU */
	atomic_t done, bad, freed_by_scan;
};

static struct t_shrink *t_state;

static unsigned long t_count(struct shrinker *s, struct shrink_control *sc)
{
	struct t_cache *c = s->private_data;

	if (READ_ONCE(c->magic) != SHRINKER_MAGIC)
		atomic_inc(&t_state->bad);
	return (unsigned long)atomic_read(&c->objs);
}

static unsigned long t_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct t_cache *c = s->private_data;
	unsigned long n = 0;

	if (READ_ONCE(c->magic) != SHRINKER_MAGIC) {
		atomic_inc(&t_state->bad);
		return SHRINK_STOP;
	}
	while (n < sc->nr_to_scan) {
		int v = atomic_read(&c->objs);

		if (v <= 0 || atomic_try_cmpxchg(&c->objs, &v, v - 1)) {
			if (v <= 0)
				break;
			n++;
		}
	}
	atomic_add((int)n, &t_state->freed_by_scan);
	return n;
}

static struct t_cache *t_mount(void)
{
	struct t_cache *c = kzalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->s = shrinker_alloc(0, "test");
	if (!c->s) {
		kfree(c);
		return NULL;
	}
	c->magic = SHRINKER_MAGIC;
	atomic_set(&c->objs, 64);
	c->s->count_objects = t_count;
	c->s->scan_objects = t_scan;
	c->s->private_data = c;
	shrinker_register(c->s);
	return c;
}

/* After shrinker_free() the cache goes at once: a late callback sees it. */
static void t_umount(struct t_cache *c)
{
	shrinker_free(c->s);
	c->magic = 0;
	kfree(c);
}

static void t_shrink_cpu(void *arg)
{
	struct t_shrink *ts = arg;
	struct torture_random rnd;

	torture_random_init(&rnd, smp_processor_id() + 11);
	if (smp_processor_id() == 1) {
		for (unsigned int r = 0; r < T_ROUNDS; r++) {
			struct t_cache **slot = &ts->slot[torture_random(&rnd) % T_CACHES];

			t_umount(*slot);
			*slot = t_mount();
			if (!*slot)
				atomic_inc(&ts->bad);
			rcu_quiescent_state();
		}
		atomic_inc(&ts->done);
		return;
	}
	do {
		shrink_slab(torture_random(&rnd) % 3);
		rcu_quiescent_state();
	} while (!atomic_read(&ts->done));
}

static void walk_against_free(struct ktest_ctx *t, enum shrinker_mode mode)
{
	struct t_shrink ts = { 0 };
	struct shrink_stats ss;

	ASSERT_EQ(t, shrinker_set_mode(mode), 0);
	t_state = &ts;
	shrink_stats_reset();
	for (unsigned int i = 0; i < T_CACHES; i++)
		ASSERT_NOT_NULL(t, ts.slot[i] = t_mount());
	run_on_cpus(min(num_online_cpus(), 4u), t_shrink_cpu, &ts);
	for (unsigned int i = 0; i < T_CACHES; i++)
		if (ts.slot[i])
			t_umount(ts.slot[i]);
	shrink_stats_sum(min(num_online_cpus(), 4u), &ss);
	EXPECT_EQ(t, atomic_read(&ts.bad), 0);
	EXPECT_EQ(t, ss.poisoned, 0);
	EXPECT_EQ(t, ss.freed, (unsigned long)atomic_read(&ts.freed_by_scan));
	EXPECT_GT(t, ss.calls, 0);
	rcu_barrier();
	ASSERT_EQ(t, shrinker_set_mode(SHRINKER_REFCOUNT_RCU), 0);
}

KTEST_SMP(shrinker, walk_never_runs_a_freed_shrinker_rwsem, 2)
{
	walk_against_free(t, SHRINKER_RWSEM);
}

KTEST_SMP(shrinker, walk_never_runs_a_freed_shrinker_srcu, 2)
{
	walk_against_free(t, SHRINKER_SRCU);
}

KTEST_SMP(shrinker, walk_never_runs_a_freed_shrinker_refcount_rcu, 2)
{
	walk_against_free(t, SHRINKER_REFCOUNT_RCU);
}

KTEST(shrinker, mode_change_refused_while_shrinkers_exist)
{
	struct shrinker *s = shrinker_alloc(0, "busy");

	ASSERT_NOT_NULL(t, s);
	EXPECT_EQ(t, shrinker_set_mode(SHRINKER_RWSEM), -EBUSY);
	shrinker_free(s);
	EXPECT_EQ(t, shrinker_set_mode(SHRINKER_REFCOUNT_RCU), 0);
	rcu_barrier();
}
