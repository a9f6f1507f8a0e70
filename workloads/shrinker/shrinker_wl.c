// SPDX-License-Identifier: MIT
/*
 * shrinker (seed 002): allocations under real memory pressure while
 * "tmpfs" instances are mounted and unmounted.
 *
 * Setup inflates a balloon (whole pages taken straight from the page
 * allocator) until free memory sits just above the allocator's low
 * watermark. Reader CPUs then allocate 2 KiB objects into their own
 * cache ("pagecache", one per CPU); once their kmalloc class has grown
 * past the last free pages, every kmalloc() finds free pages below the
 * watermark and runs direct reclaim, i.e. shrink_slab(), which asks
 * every cache's shrinker to give objects back. The freed objects go
 * back to kmalloc's free lists, not to the page allocator, so the
 * pressure never lifts: a reclaim storm, the seed's scenario, with one
 * shrink_slab() walk (or a few) per allocation. Updater CPUs mount
 * (allocate a cache, fill it, shrinker_alloc + shrinker_register) and
 * unmount (shrinker_free, then free the cache at once) in a loop: the
 * stress-ng ramfs test of the thread. The modes are the shrinker core's
 * (include/shrinker.h): rwsem (before), srcu (reverted), refcount-rcu
 * (after).
 *
 * Checks: a scan or count of a cache after its shrinker_free() returned
 * finds the cache dead or poisoned (error); a shrinker found freed by
 * the walk is counted by the core (error); and the objects are
 * accounted exactly: every object added is freed by a shrinker, by an
 * unmount or by teardown, and shrink_slab()'s reported total equals
 * what the shrinkers freed.
 */
#include <shrinker.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <spinlock.h>
#include <workload.h>

#define CACHE_MAGIC	0x7a5c0007u
#define OBJ_MAGIC	0x7a5c0008u
#define MOUNTS_PER_OWNER 16
#define MOUNT_OBJS	4	/* objects a new mount writes */
#define OBJ_SIZE	2048	/* a cached object: the largest kmalloc class */
#define HEADROOM	16	/* free pages above the watermark after the balloon */
#define BALLOON_CHUNK	256	/* pages per balloon allocation */

/* One cached object (OBJ_SIZE bytes). */
struct cache_obj {
	uint32_t magic;			/* OBJ_MAGIC while cached */
	struct list_head lru;		/* in cache->objs, under cache->lock */
};

struct obj_cache {
	uint32_t magic;			/* CACHE_MAGIC until freed */
	bool dead;			/* set once its shrinker_free() returned */
	spinlock_t lock;
	struct list_head objs;		/* guarded by lock */
	unsigned long nr;		/* guarded by lock; read racily by count */
	struct shrinker *shrinker;
};

/* Per-CPU object accounting; each field written only by its CPU. */
struct sh_cpu {
	unsigned long added, shrunk, dropped, bad_scans;
} ____cacheline_aligned;

struct balloon_chunk {
	struct balloon_chunk *next;
	unsigned int npages;
};

struct sh_state {
	struct obj_cache **pagecache;		/* one per CPU (readers use theirs) */
	struct obj_cache *mounts[NR_CPUS][MOUNTS_PER_OWNER];	/* per owner */
	unsigned int nr_owners;
	struct sh_cpu *stats;
	struct balloon_chunk *balloon;
	unsigned long balloon_pages;
	uint64_t run_start_ns;
};

static struct sh_state *sh;		/* the callbacks find their accounting here */

static const struct wl_mode sh_modes[] = {
	{ "rwsem", "before", false, 1 },
	{ "srcu", "also", false, 1 },
	{ "refcount-rcu", "after", false, 1 },
};

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
	/* A racy snapshot is what count_objects promises, nothing more. */
	return READ_ONCE(cache->nr) ?: SHRINK_EMPTY;
}

/* Free a list of objects taken off a cache; returns how many. */
static unsigned long free_objs(struct list_head *list)
{
	struct cache_obj *o, *tmp;
	unsigned long n = 0;

	list_for_each_entry_safe(o, tmp, list, lru) {
		if (o->magic != OBJ_MAGIC)
			my_stats()->bad_scans++;
		o->magic = 0;
		kfree(o);
		n++;
	}
	return n;
}

static unsigned long cache_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct obj_cache *cache = s->private_data;
	LIST_HEAD(victims);
	unsigned long n = 0;

	if (!cache_alive(cache))
		return SHRINK_STOP;
	spin_lock(&cache->lock);
	while (n < sc->nr_to_scan && !list_empty(&cache->objs)) {
		struct list_head *victim = cache->objs.next;

		list_del(victim);
		list_add(victim, &victims);
		n++;
	}
	WRITE_ONCE(cache->nr, cache->nr - n);
	spin_unlock(&cache->lock);
	sc->nr_scanned = n;
	n = free_objs(&victims);
	my_stats()->shrunk += n;
	return n;
}

static struct obj_cache *cache_create(const char *name)
{
	struct obj_cache *cache = kzalloc(sizeof(*cache));

	if (!cache)
		return NULL;
	cache->magic = CACHE_MAGIC;
	spin_lock_init(&cache->lock);
	INIT_LIST_HEAD(&cache->objs);
	cache->shrinker = shrinker_alloc(0, name);
	if (!cache->shrinker) {
		kfree(cache);
		return NULL;
	}
	cache->shrinker->count_objects = cache_count;
	cache->shrinker->scan_objects = cache_scan;
	cache->shrinker->private_data = cache;
	return cache;
}

/*
 * Add a freshly allocated object to the cache. The allocation happens
 * before the lock: kmalloc() may reclaim, and reclaim takes cache locks.
 */
static bool cache_add(struct obj_cache *cache)
{
	struct cache_obj *o = kmalloc(OBJ_SIZE);

	if (!o)
		return false;
	o->magic = OBJ_MAGIC;
	spin_lock(&cache->lock);
	list_add(&o->lru, &cache->objs);
	WRITE_ONCE(cache->nr, cache->nr + 1);
	spin_unlock(&cache->lock);
	my_stats()->added++;
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
	my_stats()->dropped += free_objs(&cache->objs);
	cache->magic = 0;
	kfree(cache);
}

/* Mount a "tmpfs": a cache with a few pages written, then its shrinker. */
static struct obj_cache *mount_tmpfs(void)
{
	struct obj_cache *cache = cache_create("tmpfs");

	if (!cache)
		return NULL;
	for (unsigned int i = 0; i < MOUNT_OBJS; i++)
		cache_add(cache);
	shrinker_register(cache->shrinker);
	return cache;
}

/* ---- the roles ---- */

static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	/* Under pressure this kmalloc() runs shrink_slab() first. */
	if (!cache_add(sh->pagecache[c->cpu]))
		c->misses++;
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	unsigned int owner = run->nr_updaters ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
	struct obj_cache **slot = &sh->mounts[owner][torture_random(&c->rnd) % MOUNTS_PER_OWNER];

	cache_destroy(*slot);
	*slot = mount_tmpfs();
	if (!*slot)
		c->misses++;
}

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 4 ? 2 : 1;
}

/* ---- the balloon: free memory down to just above the watermark ---- */

/*
 * Take every page, then give back whole chunks until HEADROOM pages above
 * the watermark are free. Giving back the last chunks taken leaves the
 * free memory in one run, which the page allocator's first-fit search
 * finds at once (scattered single free pages would make every
 * allocation of the run scan the whole bitmap).
 */
static void balloon_inflate(struct sh_state *st)
{
	unsigned long target = mm_low_watermark() + HEADROOM;
	unsigned int n = BALLOON_CHUNK;

	for (;;) {
		struct balloon_chunk *b = alloc_pages(n);

		if (!b && n > 1) {
			n = 1;		/* the last, fragmented pages */
			continue;
		}
		if (!b)
			break;
		b->npages = n;
		b->next = st->balloon;
		st->balloon = b;
		st->balloon_pages += n;
	}
	while (st->balloon && nr_free_pages() < target) {
		struct balloon_chunk *b = st->balloon;

		st->balloon = b->next;
		st->balloon_pages -= b->npages;
		free_pages(b, b->npages);
	}
}

static void balloon_deflate(struct sh_state *st)
{
	while (st->balloon) {
		struct balloon_chunk *b = st->balloon;

		st->balloon = b->next;
		free_pages(b, b->npages);
	}
}

/* ---- setup and teardown ---- */

static int setup(struct wl_run *run)
{
	enum shrinker_mode mode = wl_mode_is(run, "rwsem") ? SHRINKER_RWSEM :
				  wl_mode_is(run, "srcu") ? SHRINKER_SRCU : SHRINKER_REFCOUNT_RCU;
	struct sh_state *st = kzalloc(sizeof(*st));
	int err;

	if (!st)
		return -ENOMEM;
	run->priv = st;
	sh = st;
	err = shrinker_set_mode(mode);
	if (err)
		return err;
	st->nr_owners = max(run->nr_updaters, 1u);
	st->stats = kzalloc(run->ncpus * sizeof(*st->stats));
	st->pagecache = kzalloc(run->ncpus * sizeof(*st->pagecache));
	if (!st->stats || !st->pagecache)
		return -ENOMEM;
	for (unsigned int i = 0; i < run->ncpus; i++) {
		st->pagecache[i] = cache_create("pagecache");
		if (!st->pagecache[i])
			return -ENOMEM;
		shrinker_register(st->pagecache[i]->shrinker);
	}
	for (unsigned int o = 0; o < st->nr_owners; o++)
		for (unsigned int i = 0; i < MOUNTS_PER_OWNER; i++)
			if (!(st->mounts[o][i] = mount_tmpfs()))
				return -ENOMEM;
	shrinker_enable_reclaim();
	balloon_inflate(st);
	shrink_stats_reset();
	st->run_start_ns = ktime_get_ns();
	return 0;
}

static void account(struct wl_run *run, struct sh_state *st)
{
	unsigned long added = 0, shrunk = 0, dropped = 0, bad = 0;
	uint64_t us = max((ktime_get_ns() - st->run_start_ns) / 1000, (uint64_t)1);
	unsigned long long updates = 0, share_x10, shrinks, mounts;
	struct shrink_stats ss;

	for (unsigned int i = 0; i < run->ncpus; i++) {
		added += st->stats[i].added;
		shrunk += st->stats[i].shrunk;
		dropped += st->stats[i].dropped;
		bad += st->stats[i].bad_scans;
		updates += run->cpus[i].updates;
	}
	shrink_stats_sum(run->ncpus, &ss);
	if (bad)
		wl_error(run, &run->cpus[0], "a shrinker callback reached a dead or freed cache");
	if (ss.poisoned)
		wl_error(run, &run->cpus[0], "shrink_slab walked a freed shrinker");
	if (added != shrunk + dropped) {
		printk("shrinker: %lu objects added, %lu shrunk + %lu dropped\n", added, shrunk,
		       dropped);
		wl_error(run, &run->cpus[0], "cached objects not accounted exactly");
	}
	if (ss.freed != shrunk) {
		printk("shrinker: shrink_slab reported %lu freed, shrinkers freed %lu\n",
		       ss.freed, shrunk);
		wl_error(run, &run->cpus[0], "shrink_slab's freed count is wrong");
	}
	share_x10 = ss.ns ? (ss.lock_ns * 1000 + ss.ns / 2) / ss.ns : 0;
	shrinks = ss.calls * 1000000ull / us;
	mounts = updates * 1000000ull / us;
	snprintf(run->result_keys, sizeof(run->result_keys), " shrinks_ps=%llu lock_pct=%llu.%llu mounts_ps=%llu",
		 shrinks, share_x10 / 10, share_x10 % 10, mounts);
	printk("DETAIL workload=shrinker mode=%s cpus=%u shrink_slab_per_sec=%llu ns_per_shrink=%llu"
	       " lock_share_pct=%llu.%llu trylock_failed=%lu mounts_per_sec=%llu shrunk=%lu"
	       " balloon_pages=%lu\n", run->mode->name, run->ncpus, shrinks,
	       (unsigned long long)(ss.calls ? ss.ns / ss.calls : 0), share_x10 / 10,
	       share_x10 % 10, ss.trylock_failed, mounts, shrunk, st->balloon_pages);
}

static void teardown(struct wl_run *run)
{
	struct sh_state *st = run->priv;

	if (!st)
		return;
	balloon_deflate(st);
	for (unsigned int o = 0; o < NR_CPUS; o++)
		for (unsigned int i = 0; i < MOUNTS_PER_OWNER; i++)
			cache_destroy(st->mounts[o][i]);
	for (unsigned int i = 0; st->pagecache && i < run->ncpus; i++)
		cache_destroy(st->pagecache[i]);
	if (st->run_start_ns && st->stats)
		account(run, st);
	kfree(st->pagecache);
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
	.update_hz = WL_UNPACED,
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(shrinker_wl, "shrinker",
		"seed 002: shrink_slab under pressure, shrinker_rwsem vs refcount+RCU");
