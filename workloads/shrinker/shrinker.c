// SPDX-License-Identifier: MIT
/*
 * The shrinker core (see include/shrinker.h): registration, the three
 * ways of walking the shrinkers (the global list for root reclaim, a
 * memcg's map for memcg reclaim), and direct reclaim for the allocator.
 *
 * Lock order: shrinker_rwsem, then whatever a shrinker's callbacks take.
 * shrinker_rwsem guards shrinker_list, shrinker_idr, shrinker_nr_max and
 * ->registered changes in every mode; in rwsem mode walkers also hold it
 * (trylock) across the walk.
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
/*
 * Memcg-aware shrinkers by id. Slots are written under shrinker_rwsem
 * (rcu_assign_pointer: a walker that finds a shrinker sees it initialised)
 * and read by walkers as their mode says. shrinker_nr_max only grows
 * (while shrinkers exist): the ids a walk must look at.
 */
static struct shrinker __rcu *shrinker_idr[SHRINKER_ID_MAX];
static int shrinker_nr_max;
static DEFINE_PER_CPU(struct shrink_stats, shrink_stats);
static uint64_t empty_region;		/* counter ticks of an empty timed region */

static uint64_t now(void)
{
	return arch_counter_read();
}

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
	if (!err && !nr_allocated)
		shrinker_nr_max = 0;
	up_write(&shrinker_rwsem);
	empty_region = counter_empty_region();
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

/* Ids allocated but not yet registered (or unlinked): guarded by shrinker_rwsem. */
static unsigned long ids_taken[SHRINKER_MAP_LONGS];

static bool id_taken(int id)
{
	return ids_taken[id / BITS_PER_LONG] & (1ul << (id % BITS_PER_LONG));
}

static void reserve_id(int id)
{
	ids_taken[id / BITS_PER_LONG] |= 1ul << (id % BITS_PER_LONG);
}

static void release_id(int id)
{
	ids_taken[id / BITS_PER_LONG] &= ~(1ul << (id % BITS_PER_LONG));
}

/* ---- memcgs ---- */

struct mem_cgroup *mem_cgroup_alloc(unsigned int id)
{
	struct mem_cgroup *memcg = kzalloc(sizeof(*memcg));

	if (!memcg)
		return NULL;
	memcg->id = id;
	memcg->map = kzalloc(SHRINKER_MAP_LONGS * sizeof(*memcg->map));
	if (!memcg->map) {
		kfree(memcg);
		return NULL;
	}
	return memcg;
}

void mem_cgroup_free(struct mem_cgroup *memcg)
{
	if (!memcg)
		return;
	kfree(memcg->map);
	kfree(memcg);
}

void set_shrinker_bit(struct mem_cgroup *memcg, int id)
{
	atomic_long_t *w = &memcg->map[id / BITS_PER_LONG];
	long bit = 1l << (id % BITS_PER_LONG);

	/*
	 * Full barrier (fetch_or): the object the caller added precedes the
	 * bit; pairs with the walk's clear-then-count (shrink_one_memcg):
	 * either the walk's second count sees the object, or we see its
	 * clear and set the bit again. Only when it is not already set, so
	 * a memcg that keeps its bit costs no write.
	 */
	if (!(atomic_long_read(w) & bit))
		atomic_long_fetch_or(bit, w);
}

struct shrinker *shrinker_alloc(unsigned int flags, const char *name)
{
	struct shrinker *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->magic = SHRINKER_MAGIC;
	s->flags = flags;
	s->id = -1;
	snprintf(s->name, sizeof(s->name), "%s", name);
	INIT_LIST_HEAD(&s->list);
	down_write(&shrinker_rwsem);
	if (flags & SHRINKER_MEMCG_AWARE) {
		/* The lowest free id (the slot is filled at register). */
		for (int id = 0; id < SHRINKER_ID_MAX; id++) {
			if (!rcu_access_pointer(shrinker_idr[id]) && !id_taken(id)) {
				s->id = id;
				break;
			}
		}
		if (s->id < 0) {
			up_write(&shrinker_rwsem);
			kfree(s);
			return NULL;
		}
		reserve_id(s->id);
	}
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
	if (s->id >= 0) {
		/* Release: pairs with the walkers' rcu_dereference() of the slot. */
		rcu_assign_pointer(shrinker_idr[s->id], s);
		if (s->id >= shrinker_nr_max)
			WRITE_ONCE(shrinker_nr_max, s->id + 1);
	}
	s->registered = true;
	up_write(&shrinker_rwsem);
}

static void unlink_shrinker(struct shrinker *s)
{
	down_write(&shrinker_rwsem);
	if (s->registered) {
		list_del_rcu(&s->list);
		if (s->id >= 0)
			RCU_INIT_POINTER(shrinker_idr[s->id], NULL);
		s->registered = false;
	}
	if (s->id >= 0)
		release_id(s->id);
	nr_allocated--;
	up_write(&shrinker_rwsem);
}

static void shrinker_free_mode(struct shrinker *s, struct shrink_stats *st);

void shrinker_free(struct shrinker *s)
{
	struct shrink_stats *st = this_cpu_ptr(&shrink_stats);
	bool timed = s && READ_ONCE(s->registered);
	uint64_t t0 = now();

	if (!s)
		return;
	shrinker_free_mode(s, st);
	if (timed) {
		st = this_cpu_ptr(&shrink_stats);	/* the same CPU: threads do not migrate */
		st->unregisters++;
		st->unregister_ns += now() - t0;
	}
}

static void shrinker_free_mode(struct shrinker *s, struct shrink_stats *st)
{
	unsigned long gp0;

	switch (READ_ONCE(shrinker_mode)) {
	case SHRINKER_RWSEM:
		/* down_write waits for every walker: none can still see it. */
		unlink_shrinker(s);
		s->magic = 0;
		kfree(s);
		return;
	case SHRINKER_SRCU:
		unlink_shrinker(s);
		gp0 = READ_ONCE(shrinker_srcu.gp_seq);
		/* Walkers that found it before the unlink are all gone after this. */
		synchronize_srcu(&shrinker_srcu);
		/* Grace periods that ended while we waited (state bits shifted out). */
		st->gps_waited += (READ_ONCE(shrinker_srcu.gp_seq) - gp0 + 2) >> 2;
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

/* Returns the objects freed, or SHRINK_EMPTY when the shrinker has none for memcg. */
static unsigned long do_shrink_slab(struct shrinker *s, struct mem_cgroup *memcg, int priority)
{
	struct shrink_control sc = { .memcg = memcg };
	unsigned long freeable = s->count_objects(s, &sc), total_scan, freed = 0;

	if (freeable == SHRINK_EMPTY)
		return SHRINK_EMPTY;
	if (!freeable)
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

/* do_shrink_slab() for a root walk: an empty shrinker freed nothing. */
static unsigned long shrink_root_one(struct shrinker *s, int priority)
{
	unsigned long ret = do_shrink_slab(s, NULL, priority);

	return ret == SHRINK_EMPTY ? 0 : ret;
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
			freed += shrink_root_one(s, priority);
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
			freed += shrink_root_one(s, priority);
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
			freed += shrink_root_one(s, priority);
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

/* ---- memcg walks: the set bits of the memcg's own map ---- */

/*
 * Shrink the shrinker with bit id of memcg: as Linux, an empty result
 * clears the bit, then counts once more, and sets the bit again if an
 * object came in meanwhile. The clear is a full barrier (fetch_andnot):
 * pairs with set_shrinker_bit()'s fetch_or, so an object added after our
 * first count is either seen by the second or sets the bit after the
 * clear.
 */
static unsigned long shrink_one_memcg(struct shrink_stats *st, struct shrinker *s,
				      struct mem_cgroup *memcg, int id, int priority)
{
	unsigned long ret;

	st->found++;
	if (!shrinker_alive(st, s))
		return 0;
	ret = do_shrink_slab(s, memcg, priority);
	if (ret != SHRINK_EMPTY)
		return ret;
	atomic_long_fetch_andnot(1l << (id % BITS_PER_LONG), &memcg->map[id / BITS_PER_LONG]);
	ret = do_shrink_slab(s, memcg, priority);
	if (ret == SHRINK_EMPTY)
		return 0;
	set_shrinker_bit(memcg, id);
	return ret;
}

/* The next set bit of map at or after id, below nr; nr if none. */
static int next_bit(atomic_long_t *map, int id, int nr)
{
	while (id < nr) {
		unsigned long w = (unsigned long)atomic_long_read(&map[id / BITS_PER_LONG]) >>
				  (id % BITS_PER_LONG);

		if (w)
			return min(id + __builtin_ctzl(w), nr);
		id = (id / BITS_PER_LONG + 1) * BITS_PER_LONG;
	}
	return nr;
}

#define for_each_map_bit(id, map, nr) \
	for (id = next_bit(map, 0, nr); id < (nr); id = next_bit(map, id + 1, nr))

static unsigned long shrink_memcg_rwsem(struct shrink_stats *st, struct mem_cgroup *memcg,
					int priority)
{
	unsigned long freed = 0;
	uint64_t t0 = now();
	int id, nr;

	/* See include/shrinker.h: a visit whose trylock fails is counted once and retried. */
	if (!down_read_trylock(&shrinker_rwsem)) {
		st->trylock_failed++;
		while (!down_read_trylock(&shrinker_rwsem))
			cpu_relax();
	}
	st->lock_ns += now() - t0;
	nr = shrinker_nr_max;		/* stable under the rwsem */
	for_each_map_bit(id, memcg->map, nr) {
		struct shrinker *s = rcu_dereference_protected(shrinker_idr[id], 1);

		if (s)
			freed += shrink_one_memcg(st, s, memcg, id, priority);
	}
	t0 = now();
	up_read(&shrinker_rwsem);
	st->lock_ns += now() - t0;
	st->regions += 2;
	return freed;
}

static unsigned long shrink_memcg_srcu(struct shrink_stats *st, struct mem_cgroup *memcg,
				       int priority)
{
	unsigned long freed = 0;
	uint64_t t0 = now();
	int idx = srcu_read_lock(&shrinker_srcu), id, nr;

	st->lock_ns += now() - t0;
	nr = READ_ONCE(shrinker_nr_max);
	for_each_map_bit(id, memcg->map, nr) {
		/*
		 * Pairs with rcu_assign_pointer() at register; SRCU keeps the
		 * shrinker alive: shrinker_free() waits for us after the unlink.
		 */
		struct shrinker *s = srcu_dereference(shrinker_idr[id], &shrinker_srcu);

		if (s)
			freed += shrink_one_memcg(st, s, memcg, id, priority);
	}
	t0 = now();
	srcu_read_unlock(&shrinker_srcu, idx);
	st->lock_ns += now() - t0;
	st->regions += 2;
	return freed;
}

static unsigned long shrink_memcg_refcount_rcu(struct shrink_stats *st, struct mem_cgroup *memcg,
					       int priority)
{
	unsigned long freed = 0;
	uint64_t t0 = now();
	int id, nr;

	rcu_read_lock();
	st->lock_ns += now() - t0;
	st->regions++;
	nr = READ_ONCE(shrinker_nr_max);
	for_each_map_bit(id, memcg->map, nr) {
		/* Pairs with rcu_assign_pointer() at register. */
		struct shrinker *s;
		bool pinned;

		t0 = now();
		s = rcu_dereference(shrinker_idr[id]);
		pinned = s && shrinker_try_get(s);
		if (pinned)
			rcu_read_unlock();
		st->lock_ns += now() - t0;
		st->regions++;
		if (!pinned)
			continue;	/* none, or being freed */
		/* Pinned: shrinker_free() cannot return while we use it. */
		freed += shrink_one_memcg(st, s, memcg, id, priority);
		t0 = now();
		rcu_read_lock();
		/* The last put lets shrinker_free() kfree_rcu() it: after our section. */
		shrinker_put(s);
		st->lock_ns += now() - t0;
		st->regions++;
	}
	t0 = now();
	rcu_read_unlock();
	st->lock_ns += now() - t0;
	st->regions++;
	return freed;
}

unsigned long shrink_slab(struct mem_cgroup *memcg, int priority)
{
	struct shrink_stats *st = this_cpu_ptr(&shrink_stats);
	uint64_t t0 = now();
	unsigned long freed;

	if (memcg) {
		switch (READ_ONCE(shrinker_mode)) {
		case SHRINKER_RWSEM:
			freed = shrink_memcg_rwsem(st, memcg, priority);
			break;
		case SHRINKER_SRCU:
			freed = shrink_memcg_srcu(st, memcg, priority);
			break;
		default:
			freed = shrink_memcg_refcount_rcu(st, memcg, priority);
			break;
		}
		st->memcg_calls++;
		st->calls++;
		st->freed += freed;
		st->ns += now() - t0;
		return freed;
	}
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
		/* Take the clock reads of the timed regions out of both times. */
		uint64_t clock = st->regions * empty_region;

		sum->ns += counter_to_ns(st->ns - min(clock, st->ns));
		sum->lock_ns += counter_to_ns(st->lock_ns - min(clock, st->lock_ns));
		sum->memcg_calls += st->memcg_calls;
		sum->found += st->found;
		sum->regions += st->regions;
		sum->unregisters += st->unregisters;
		sum->gps_waited += st->gps_waited;
		sum->unregister_ns += counter_to_ns(st->unregister_ns);
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
		freed += shrink_slab(NULL, prio);
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
		shrink_slab(NULL, torture_random(&rnd) % 3);
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
	rcu_run_on_cpus(min(num_online_cpus(), 4u), t_shrink_cpu, &ts);
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
