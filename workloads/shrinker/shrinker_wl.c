// SPDX-License-Identifier: MIT
/*
 * shrinker (seed 002): the reclaim storm in many memcgs, and the mount
 * storm, in the three modes of the shrinker core (include/shrinker.h):
 * rwsem (before), srcu (the reverted version), refcount-rcu (after).
 *
 * The seed's situation: 4001 memcgs, each with its own tmpfs mount, 3001
 * of them with a writer; hierarchical reclaim visits the child memcgs
 * one after another from a shared cursor (mem_cgroup_iter) and, for each,
 * calls shrink_slab() over that memcg's shrinkers only (found through
 * the memcg's own map of shrinker ids). Before the fix every visit took
 * and dropped shrinker_rwsem, the line every reclaiming CPU writes: 58%
 * of the CPU in down_read_trylock + up_read. After it, a visit pins each
 * shrinker it finds with its refcount, a line only the CPU visiting that
 * memcg touches.
 *
 * Here: memcgs= per CPU (default 64, at least 10), each with one
 * memcg-aware "tmpfs" shrinker whose objects are all charged to it.
 *
 * Experiment A, the reclaim storm (the harness run): every reader CPU is
 * a writer and a reclaimer. One operation: write one object into the
 * next memcg of the CPU's own share of the written memcgs (3 in 4, as
 * 3001 of 4001; the write sets the memcg's bit for the mount), then take
 * the next memcg from the shared cursor and shrink_slab() it: everything
 * that memcg holds is reclaimed (priority 0). The figures: lock_pct
 * (share of shrink_slab() time spent entering and leaving the walk's
 * protection: trylock + up_read, srcu_read_lock/unlock, rcu_read_lock/
 * unlock + shrinker_try_get/put; the clock reads are taken out), the
 * shrink_slab() calls per second per CPU, objects freed per second, and
 * reclaim_skipped (failed trylocks, each retried: see shrinker.h). With
 * update_hz= above 0 (default 0: the seed's storm has no mounts), updater
 * CPUs also mount and unmount extra memcg-aware tmpfs instances in random
 * memcgs at that rate, so walks meet shrinker_free() (the checks below,
 * and the rwsem mode's failed trylocks); storm_unregister_ns and
 * storm_gps are then what an unmount costs beside the reclaimers.
 *
 * Experiment B, the mount storm (run first, in setup): every CPU mounts
 * (cache, shrinker_alloc, objects written, shrinker_register) and
 * unmounts (shrinker_free, cache freed) in a loop for ms/2, as
 * stress-ng --ramfs: mount_ops_ps (mount + unmount pairs per second),
 * unregister_ns (time in shrinker_free) and gps_per_unregister (grace
 * periods it waited for).
 *
 * Checks: a scan or count of a cache after its shrinker_free() returned
 * finds the cache dead or poisoned (error); a shrinker found freed by a
 * walk is counted by the core (error); objects are accounted exactly
 * (every object written is reclaimed by a shrinker, dropped by an
 * unmount or still cached at teardown), and shrink_slab()'s reported
 * total equals what the shrinkers freed.
 */
#include <shrinker.h>
#include <cmdline.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <spinlock.h>
#include <workload.h>

#define CACHE_MAGIC	0x7a5c0007u
#define OBJ_MAGIC	0x7a5c0008u
#define MEMCGS_PER_CPU	64	/* memcgs= default */
#define MEMCGS_MIN_PER_CPU 10
#define MEMCGS_MAX	3500	/* the seed's 4001, within SHRINKER_ID_MAX with the churn */
#define MEMCG_OBJS	8	/* objects a memcg's own mount can hold */
#define MOUNTS_PER_OWNER 16	/* churn mounts per updater (update_hz > 0) */
#define MOUNT_OBJS	4	/* objects a new churn or storm mount writes */
#define OBJ_SIZE	64	/* a cached object (dentry-sized) */

struct cache_obj {
	uint32_t magic;			/* OBJ_MAGIC while cached */
	struct list_head lru;		/* in cache->objs or cache->pool, under cache->lock */
};

/* A tmpfs mount: its objects, all charged to one memcg. */
struct obj_cache {
	uint32_t magic;			/* CACHE_MAGIC until freed */
	bool dead;			/* set once its shrinker_free() returned */
	spinlock_t lock;
	struct list_head objs;		/* reclaimable; guarded by lock */
	struct list_head pool;		/* reclaimed, to be written again; guarded by lock */
	unsigned long nr;		/* on objs; guarded by lock, read racily by count */
	struct mem_cgroup *memcg;	/* fixed */
	struct shrinker *shrinker;
};

/* Per-CPU object accounting; each field written only by its CPU. */
struct sh_cpu {
	unsigned long written, shrunk, dropped, bad_scans;
	unsigned long write_next;	/* the CPU's next memcg to write, in its share */
	unsigned long storm_ops;	/* experiment B: mount + unmount pairs */
} ____cacheline_aligned;

struct sh_state {
	unsigned int nr_memcgs;
	struct mem_cgroup **memcgs;
	struct obj_cache **mounts;		/* memcg i's own mount */
	struct obj_cache *churn[NR_CPUS][MOUNTS_PER_OWNER];	/* per updater */
	/*
	 * mem_cgroup_iter()'s position, the one line every reclaimer writes
	 * in every mode (as Linux's iter->position): alone on its line, so
	 * the fields the readers only read do not move with it.
	 */
	atomic_t cursor ____cacheline_aligned;
	unsigned int cursor_pad ____cacheline_aligned;
	struct sh_cpu *stats;
	unsigned int readers;
	/* experiment B */
	uint64_t storm_ns;
	struct shrink_stats storm;
	struct torture_barrier storm_start;
	uint64_t storm_deadline;
	bool storm_stop;
	uint64_t run_start_ns;
};

static struct sh_state *sh;		/* the callbacks find their accounting here */

static const struct wl_mode sh_modes[] = {
	{ "rwsem", "before", false, 1, SHRINKER_RWSEM },
	{ "srcu", "also", false, 1, SHRINKER_SRCU },
	{ "refcount-rcu", "after", false, 1, SHRINKER_REFCOUNT_RCU },
};

static int check_memcgs(const char *value)
{
	unsigned long long n;

	if (kstrtoull(value, &n) || n < MEMCGS_MIN_PER_CPU)
		return -EINVAL;
	return 0;
}
CMDLINE_KEY(memcgs, "memcgs per CPU of the shrinker workload (at least 10; default 64; "
	    "at most 3500 in all)", check_memcgs);

/* ---- the caches ---- */

static struct sh_cpu *my_stats(void)
{
	static struct sh_cpu discard;	/* setup failed before the stats existed */

	return sh && sh->stats ? &sh->stats[smp_processor_id()] : &discard;
}

/* A callback reached a cache: true if it is alive (else count it). */
static bool cache_alive(struct obj_cache *cache)
{
	if (READ_ONCE(cache->magic) == CACHE_MAGIC && !READ_ONCE(cache->dead))
		return true;
	my_stats()->bad_scans++;
	return false;
}

static unsigned long cache_count(struct shrinker *s, struct shrink_control *sc)
{
	struct obj_cache *cache = s->private_data;

	if (!cache_alive(cache))
		return 0;
	/* None of this memcg's objects are here (a stale bit, a reused id). */
	if (sc->memcg && sc->memcg != cache->memcg)
		return SHRINK_EMPTY;
	/* A racy snapshot is what count_objects promises, nothing more. */
	return READ_ONCE(cache->nr) ?: SHRINK_EMPTY;
}

static unsigned long cache_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct obj_cache *cache = s->private_data;
	unsigned long n = 0;

	if (!cache_alive(cache))
		return SHRINK_STOP;
	spin_lock(&cache->lock);
	while (n < sc->nr_to_scan && !list_empty(&cache->objs)) {
		struct cache_obj *o = list_first_entry(&cache->objs, struct cache_obj, lru);

		if (o->magic != OBJ_MAGIC)
			my_stats()->bad_scans++;
		list_del(&o->lru);
		list_add(&o->lru, &cache->pool);	/* reclaimed: its page is free again */
		n++;
	}
	WRITE_ONCE(cache->nr, cache->nr - n);
	spin_unlock(&cache->lock);
	sc->nr_scanned = n;
	my_stats()->shrunk += n;
	return n;
}

static void free_list(struct list_head *list)
{
	struct cache_obj *o, *tmp;

	list_for_each_entry_safe(o, tmp, list, lru) {
		o->magic = 0;
		kfree(o);
	}
	INIT_LIST_HEAD(list);
}

/* A mount of memcg with pool objects to write; registered by the caller. */
static struct obj_cache *cache_create(struct mem_cgroup *memcg, unsigned int pool)
{
	struct obj_cache *cache = kzalloc(sizeof(*cache));

	if (!cache)
		return NULL;
	cache->magic = CACHE_MAGIC;
	cache->memcg = memcg;
	spin_lock_init(&cache->lock);
	INIT_LIST_HEAD(&cache->objs);
	INIT_LIST_HEAD(&cache->pool);
	for (unsigned int i = 0; i < pool; i++) {
		struct cache_obj *o = kmalloc(OBJ_SIZE);

		if (!o)
			goto fail;
		o->magic = OBJ_MAGIC;
		list_add(&o->lru, &cache->pool);
	}
	cache->shrinker = shrinker_alloc(SHRINKER_MEMCG_AWARE, "tmpfs");
	if (!cache->shrinker)
		goto fail;
	cache->shrinker->count_objects = cache_count;
	cache->shrinker->scan_objects = cache_scan;
	cache->shrinker->private_data = cache;
	return cache;
fail:
	free_list(&cache->pool);
	kfree(cache);
	return NULL;
}

/* Write one object (a page of a file) into the mount; false if it is full. */
static bool cache_write(struct obj_cache *cache)
{
	bool ok = false;

	spin_lock(&cache->lock);
	if (!list_empty(&cache->pool)) {
		struct list_head *o = cache->pool.next;

		list_del(o);
		list_add(o, &cache->objs);
		WRITE_ONCE(cache->nr, cache->nr + 1);
		ok = true;
	}
	spin_unlock(&cache->lock);
	if (!ok)
		return false;
	set_shrinker_bit(cache->memcg, cache->shrinker->id);
	my_stats()->written++;
	return true;
}

/*
 * Unmount: after shrinker_free() nothing else can reach the cache, so
 * its objects are freed without its lock, and the cache at once.
 */
static void cache_destroy(struct obj_cache *cache)
{
	if (!cache)
		return;
	shrinker_free(cache->shrinker);
	WRITE_ONCE(cache->dead, true);
	my_stats()->dropped += cache->nr;
	free_list(&cache->objs);
	free_list(&cache->pool);
	cache->magic = 0;
	kfree(cache);
}

/* A mount in memcg with MOUNT_OBJS objects written, then registered. */
static struct obj_cache *mount_tmpfs(struct mem_cgroup *memcg)
{
	struct obj_cache *cache = cache_create(memcg, MOUNT_OBJS);

	if (!cache)
		return NULL;
	shrinker_register(cache->shrinker);
	for (unsigned int i = 0; i < MOUNT_OBJS; i++)
		cache_write(cache);
	return cache;
}

/* ---- experiment A: the roles ---- */

/* The next memcg this reader writes: its share, skipping every fourth. */
static unsigned int next_written_memcg(struct sh_state *st, struct wl_cpu *c)
{
	struct sh_cpu *me = &st->stats[c->cpu];
	unsigned long k = me->write_next++;

	if (k % 4 == 3)		/* every fourth memcg of the share has no writer */
		k = me->write_next++;
	return (unsigned int)((k * st->readers + c->cpu) % st->nr_memcgs);
}

static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	struct sh_state *st = run->priv;
	unsigned int m;

	/* The writer in this memcg; a full mount waits for reclaim. */
	if (!cache_write(st->mounts[next_written_memcg(st, c)]))
		c->misses++;
	/*
	 * mem_cgroup_iter(): the shared cursor hands out distinct memcgs.
	 * Relaxed: it only spreads the memcgs over the reclaimers and orders
	 * nothing (a memcg's own map and locks order what the visit reads).
	 */
	m = (unsigned int)atomic_fetch_add_relaxed(1, &st->cursor) % st->nr_memcgs;
	shrink_slab(st->memcgs[m], 0);
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	struct sh_state *st = run->priv;
	unsigned int owner = run->nr_updaters ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
	struct obj_cache **slot = &st->churn[owner][torture_random(&c->rnd) % MOUNTS_PER_OWNER];

	cache_destroy(*slot);
	*slot = mount_tmpfs(st->memcgs[torture_random(&c->rnd) % st->nr_memcgs]);
	if (!*slot)
		c->misses++;
}

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 4 ? 2 : 1;
}

/* ---- experiment B: the mount storm ---- */

static void storm_cpu(void *arg)
{
	struct wl_run *run = arg;
	struct sh_state *st = run->priv;
	unsigned int me = smp_processor_id();
	struct mem_cgroup *memcg = st->memcgs[me % st->nr_memcgs];
	unsigned long ops = 0;

	torture_barrier_wait(&st->storm_start, run->ncpus);
	while (!READ_ONCE(st->storm_stop)) {
		struct obj_cache *cache = mount_tmpfs(memcg);

		if (cache) {
			cache_destroy(cache);
			ops++;
		}
		rcu_quiescent_state();
		if (me == 0 && ktime_get_ns() >= st->storm_deadline)
			WRITE_ONCE(st->storm_stop, true);
	}
	st->stats[me].storm_ops = ops;
}

static void mount_storm(struct wl_run *run, struct sh_state *st)
{
	uint64_t t0 = ktime_get_ns();

	shrink_stats_reset();
	torture_barrier_init(&st->storm_start);
	st->storm_deadline = t0 + max(run->ms / 2, (uint64_t)20) * NSEC_PER_MSEC;
	run_on_cpus(run->ncpus, storm_cpu, run);
	st->storm_ns = ktime_get_ns() - t0;
	shrink_stats_sum(run->ncpus, &st->storm);
	shrink_stats_reset();
}

/* ---- setup and teardown ---- */

static int setup(struct wl_run *run)
{
	enum shrinker_mode mode = run->mode->id;
	struct sh_state *st = kzalloc(sizeof(*st));
	int err;

	if (!st)
		return -ENOMEM;
	run->priv = st;
	sh = st;
	err = shrinker_set_mode(mode);
	if (err)
		return err;
	st->nr_memcgs = (unsigned int)min(cmdline_get_ull("memcgs", MEMCGS_PER_CPU) * run->ncpus,
					  (unsigned long long)MEMCGS_MAX);
	st->readers = run->ncpus - run->nr_updaters;
	st->stats = kzalloc(run->ncpus * sizeof(*st->stats));
	st->memcgs = kzalloc(st->nr_memcgs * sizeof(*st->memcgs));
	st->mounts = kzalloc(st->nr_memcgs * sizeof(*st->mounts));
	if (!st->stats || !st->memcgs || !st->mounts)
		return -ENOMEM;
	for (unsigned int i = 0; i < st->nr_memcgs; i++) {
		if (!(st->memcgs[i] = mem_cgroup_alloc(i)))
			return -ENOMEM;
		if (!(st->mounts[i] = cache_create(st->memcgs[i], MEMCG_OBJS)))
			return -ENOMEM;
		shrinker_register(st->mounts[i]->shrinker);
	}
	mount_storm(run, st);
	for (unsigned int o = 0; run->nr_updaters && o < run->nr_updaters; o++)
		for (unsigned int i = 0; i < MOUNTS_PER_OWNER; i++)
			if (!(st->churn[o][i] = mount_tmpfs(st->memcgs[(o * 7 + i) % st->nr_memcgs])))
				return -ENOMEM;
	shrink_stats_reset();
	st->run_start_ns = ktime_get_ns();
	return 0;
}

static void account(struct wl_run *run, struct sh_state *st, unsigned long cached)
{
	unsigned long written = 0, shrunk = 0, dropped = 0, bad = 0, storm_ops = 0;
	uint64_t us = max((ktime_get_ns() - st->run_start_ns) / 1000, (uint64_t)1);
	uint64_t storm_us = max(st->storm_ns / 1000, (uint64_t)1);
	unsigned long long updates = 0, per_cpu, freed_ps, mount_ops_ps, unreg_ns;
	char gps[24], found[24], lock[24];
	struct shrink_stats ss;

	for (unsigned int i = 0; i < run->ncpus; i++) {
		written += st->stats[i].written;
		shrunk += st->stats[i].shrunk;
		dropped += st->stats[i].dropped;
		bad += st->stats[i].bad_scans;
		storm_ops += st->stats[i].storm_ops;
		updates += run->cpus[i].updates;
	}
	shrink_stats_sum(run->ncpus, &ss);
	if (bad)
		wl_error(run, &run->cpus[0], "a shrinker callback reached a dead or freed cache");
	if (ss.poisoned || st->storm.poisoned)
		wl_error(run, &run->cpus[0], "shrink_slab walked a freed shrinker");
	if (written != shrunk + dropped + cached) {
		printk("shrinker: %lu objects written, %lu reclaimed + %lu dropped + %lu cached\n",
		       written, shrunk, dropped, cached);
		wl_error(run, &run->cpus[0], "cached objects not accounted exactly");
	}
	if (ss.freed + st->storm.freed != shrunk) {
		printk("shrinker: shrink_slab reported %lu freed, shrinkers freed %lu\n",
		       ss.freed + st->storm.freed, shrunk);
		wl_error(run, &run->cpus[0], "shrink_slab's freed count is wrong");
	}
	result_fixed(lock, sizeof(lock), ss.lock_ns * 100, ss.ns, 1);
	per_cpu = ss.calls * 1000000ull / us / max(st->readers, 1u);
	freed_ps = ss.freed * 1000000ull / us;
	mount_ops_ps = storm_ops * 1000000ull / storm_us;
	unreg_ns = st->storm.unregisters ? st->storm.unregister_ns / st->storm.unregisters : 0;
	result_fixed(gps, sizeof(gps), st->storm.gps_waited, st->storm.unregisters, 2);
	result_fixed(found, sizeof(found), ss.found, ss.memcg_calls, 2);
	snprintf(run->headline_keys, sizeof(run->headline_keys),
		 " lock_pct=%s shrink_slab_ps_per_cpu=%llu freed_ps=%llu reclaim_skipped=%lu"
		 " mount_ops_ps=%llu unregister_ns=%llu gps_per_unregister=%s",
		 lock, per_cpu, freed_ps, ss.trylock_failed, mount_ops_ps,
		 unreg_ns, gps);
	snprintf(run->result_keys, sizeof(run->result_keys),
		 " shrinks_ps=%llu mounts_ps=%llu memcgs=%u found_per_call=%s",
		 ss.calls * 1000000ull / us, updates * 1000000ull / us, st->nr_memcgs, found);
	if (ss.unregisters) {
		/* update_hz > 0: the unmounts that met the reclaim storm's walkers. */
		char churn_gps[24];
		size_t len = strlen(run->result_keys);

		result_fixed(churn_gps, sizeof(churn_gps), ss.gps_waited, ss.unregisters, 2);
		snprintf(run->result_keys + len, sizeof(run->result_keys) - len,
			 " storm_unregister_ns=%llu storm_gps=%s",
			 (unsigned long long)(ss.unregister_ns / ss.unregisters), churn_gps);
	}
	printk("%s/%s: reclaim storm: lock_pct=%s (seed 002: 58%% before), %llu shrink_slab/s "
	       "per CPU, %llu objects freed/s, %lu failed trylocks retried\n", run->wl->name,
	       run->mode->name, lock, per_cpu, freed_ps, ss.trylock_failed);
	printk("%s/%s: mount storm: %llu mount+umount/s on %u CPUs, %llu ns per unregister, %s grace "
	       "periods waited per unregister\n", run->wl->name, run->mode->name, mount_ops_ps,
	       run->ncpus, unreg_ns, gps);
}

static void teardown(struct wl_run *run)
{
	struct sh_state *st = run->priv;
	unsigned long cached = 0;

	if (!st)
		return;
	for (unsigned int o = 0; o < NR_CPUS; o++)
		for (unsigned int i = 0; i < MOUNTS_PER_OWNER; i++)
			cache_destroy(st->churn[o][i]);
	/* What the memcgs' own mounts still hold is cached, not dropped. */
	for (unsigned int i = 0; st->mounts && i < st->nr_memcgs; i++) {
		if (!st->mounts[i])
			continue;
		cached += st->mounts[i]->nr;
		st->mounts[i]->nr = 0;
		cache_destroy(st->mounts[i]);
	}
	if (st->run_start_ns && st->stats)
		account(run, st, cached);
	for (unsigned int i = 0; st->memcgs && i < st->nr_memcgs; i++)
		mem_cgroup_free(st->memcgs[i]);
	kfree(st->mounts);
	kfree(st->memcgs);
	kfree(st->stats);
	kfree(st);
	sh = NULL;
	run->priv = NULL;
	shrinker_reset();
}

static const struct workload shrinker_wl = {
	.name = "shrinker",
	.seed = "002",
	.modes = sh_modes,
	.nr_modes = ARRAY_SIZE(sh_modes),
	.nr_updaters = nr_updaters,
	.update_hz = 0,
	.update_what = "one unmount and mount of an extra memcg-aware tmpfs during the reclaim "
		       "storm; 0/s: the seed's storm has no mounts (its mount storm is experiment "
		       "B, run flat out before it)",
	.headline = "lock_pct",
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(shrinker_wl, "shrinker",
		"seed 002: reclaim storm over many memcgs and mount storm, shrinker_rwsem vs "
		"refcount+RCU (and SRCU)");
