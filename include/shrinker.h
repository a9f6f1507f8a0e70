/* SPDX-License-Identifier: MIT */
/*
 * Shrinkers: caches that give memory back when the allocator runs low.
 * Linux names and semantics (include/linux/shrinker.h after the
 * refcount+RCU rework):
 *
 *	s = shrinker_alloc(flags, "name");   fill s->count_objects,
 *	s->scan_objects, s->private_data;    shrinker_register(s);
 *	...                                  shrinker_free(s);
 *
 * count_objects() returns how many objects could be freed (0 or
 * SHRINK_EMPTY: nothing); scan_objects() tries to free sc->nr_to_scan of
 * them and returns how many it freed, or SHRINK_STOP. Both run in thread
 * context, may take the cache's own locks, must not wait for other CPUs
 * and must not allocate with reclaim (they are called from inside an
 * allocation: see mm_set_reclaim() in <mm.h>).
 *
 * Memory cgroups (memcgs): a shrinker allocated with SHRINKER_MEMCG_AWARE
 * gets an id; a memcg holding objects of it has that id's bit set in its
 * own map (set_shrinker_bit(), as list_lru_add() does in Linux), and
 * shrink_slab(memcg, priority) walks only the set bits of that memcg's
 * map, looking each shrinker up by id (shrinker_idr) and asking it for
 * that memcg's objects (sc->memcg). shrink_slab(NULL, priority) is root
 * reclaim: it walks the global list of every registered shrinker, with
 * sc->memcg NULL (every object). A memcg walk that finds a shrinker
 * empty for the memcg clears its bit.
 *
 * shrink_slab() asks each shrinker it walks to scan (count >> priority)
 * objects. How the walk is protected against
 * shrinker_free() is the shrinker "mode" - the seed's three versions:
 *
 *  SHRINKER_RWSEM	   walk under down_read_trylock(&shrinker_rwsem). Root
 *			   reclaim gives up when the trylock fails (a
 *			   register/free in progress) and returns 0; a memcg
 *			   walk counts the failure (reclaim_skipped) and
 *			   tries again, so the memcg's objects are reclaimed
 *			   by this call all the same: Linux moves on and a
 *			   later pass comes back to the memcg, the same work
 *			   later; a skip must not make the mode cheaper by
 *			   doing nothing. shrinker_free() takes it for
 *			   writing, so it waits for every walker.
 *  SHRINKER_SRCU	   walk under srcu_read_lock(); shrinker_free()
 *			   unlinks, then waits in synchronize_srcu().
 *  SHRINKER_REFCOUNT_RCU  walk under rcu_read_lock(); each shrinker is
 *			   pinned with shrinker_try_get() (refcount_inc_not_zero)
 *			   and RCU is dropped while it runs. shrinker_free()
 *			   drops the initial reference, waits for the
 *			   completion the last shrinker_put() signals, unlinks
 *			   and frees with kfree_rcu().
 *
 * In every mode, once shrinker_free() returns, no scan_objects() or
 * count_objects() of that shrinker is running or will run: the caller
 * may free the cache at once. shrinker_free() may wait: thread context,
 * outside RCU read-side sections.
 */
#ifndef QUIESCE_SHRINKER_H
#define QUIESCE_SHRINKER_H

#include <compiler.h>
#include <completion.h>
#include <rculist.h>
#include <rcupdate.h>
#include <refcount.h>

#define SHRINK_STOP	(~0UL)
#define SHRINK_EMPTY	(~0UL - 1)
#define SHRINK_BATCH	32
#define DEF_PRIORITY	2	/* first pass scans count >> DEF_PRIORITY */
#define SHRINKER_MAGIC	0x7a5c0006u
#define SHRINKER_MEMCG_AWARE	0x1	/* shrinker_alloc(): has an id, walked per memcg */
#define SHRINKER_ID_MAX	4096		/* memcg-aware shrinkers at once */
#define SHRINKER_MAP_LONGS	(SHRINKER_ID_MAX / BITS_PER_LONG)

/*
 * A memory cgroup as the shrinkers see it: its map of shrinker ids that
 * hold objects charged to it. Bits are set by whoever adds an object
 * (set_shrinker_bit) and cleared by a walk that finds nothing.
 */
struct mem_cgroup {
	unsigned int id;
	atomic_long_t *map;		/* SHRINKER_MAP_LONGS words */
};

struct mem_cgroup *mem_cgroup_alloc(unsigned int id);
/* No walk may be running on it. */
void mem_cgroup_free(struct mem_cgroup *memcg);
/* memcg now holds objects of the shrinker with this id. Any context. */
void set_shrinker_bit(struct mem_cgroup *memcg, int id);

struct shrink_control {
	unsigned long nr_to_scan;	/* in: objects to scan */
	unsigned long nr_scanned;	/* in/out: objects actually scanned */
	struct mem_cgroup *memcg;	/* in: whose objects; NULL: every one (root) */
};

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *s, struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s, struct shrink_control *sc);
	long batch;			/* objects per scan_objects call (0: SHRINK_BATCH) */
	void *private_data;		/* the cache */

	/* Private to the shrinker core. */
	uint32_t magic;			/* SHRINKER_MAGIC until freed */
	unsigned int flags;		/* SHRINKER_MEMCG_AWARE */
	int id;				/* memcg-aware: its slot in shrinker_idr, else -1 */
	bool registered;		/* guarded by shrinker_rwsem */
	struct list_head list;		/* shrinker_list; walked as the mode says */
	refcount_t refcount;		/* refcount-rcu: 1 (initial) + walkers */
	struct completion done;		/* refcount-rcu: the last shrinker_put() */
	struct rcu_head rcu;
	char name[24];
};

enum shrinker_mode { SHRINKER_RWSEM, SHRINKER_SRCU, SHRINKER_REFCOUNT_RCU };

/*
 * Choose the mode. Only while no shrinker is allocated: 0, or -EBUSY.
 * Thread context.
 */
int shrinker_set_mode(enum shrinker_mode mode);
/* Undo shrinker_set_mode()'s set-up; every shrinker must have been freed. */
void shrinker_reset(void);

/*
 * A new, unregistered shrinker (NULL: -ENOMEM, or no free id). flags: 0
 * or SHRINKER_MEMCG_AWARE (s->id is its id from here on).
 */
struct shrinker *shrinker_alloc(unsigned int flags, const char *name);
/* Make it visible to shrink_slab(). */
void shrinker_register(struct shrinker *s);
/* Unregister (if registered) and free; see the guarantee above. May wait. */
void shrinker_free(struct shrinker *s);

/* Pin a shrinker found under rcu_read_lock() (refcount-rcu mode). */
static inline bool shrinker_try_get(struct shrinker *s)
{
	return refcount_inc_not_zero(&s->refcount);
}

/* Unpin; the last put lets shrinker_free() go on. Any context. */
static inline void shrinker_put(struct shrinker *s)
{
	if (refcount_dec_and_test(&s->refcount))
		complete(&s->done);
}

/*
 * Ask the shrinkers of memcg (NULL: every shrinker, root reclaim) to scan
 * (count >> priority) objects; returns the number freed. Thread context;
 * never waits for another CPU to leave a section (the rwsem mode only
 * tries the lock; a memcg walk tries again until it has it).
 */
unsigned long shrink_slab(struct mem_cgroup *memcg, int priority);

/*
 * What shrink_slab() did on each CPU since the last shrink_stats_reset():
 * calls, time in it, time spent entering and leaving the walk's
 * protection where that is one pair of calls per walk (rwsem: trylock +
 * up_read; srcu: srcu_read_lock/unlock; refcount-rcu is not timed per
 * shrinker, where the clock reads would cost more than they measure),
 * failed trylocks, objects freed, and shrinkers found freed (poison) -
 * which must stay 0.
 */
struct shrink_stats {
	unsigned long calls, trylock_failed, freed, poisoned;
	uint64_t ns, lock_ns;
	/* memcg walks: shrinkers found through the map; the timed regions
	 * (each costs two clock reads, subtracted by shrink_stats_sum()) */
	unsigned long memcg_calls, found, regions;
	/* shrinker_free() of registered shrinkers: how many, time in it,
	 * grace periods it waited for (srcu: SRCU grace periods ended
	 * while it waited; the other modes wait for none) */
	unsigned long unregisters, gps_waited;
	uint64_t unregister_ns;
} ____cacheline_aligned;

void shrink_stats_sum(unsigned int ncpus, struct shrink_stats *sum);
void shrink_stats_reset(void);

/*
 * Make shrink_slab() the allocator's direct reclaim (mm_set_reclaim()):
 * from then on an allocation that finds free pages below the low
 * watermark walks the shrinkers first. Kernel only.
 */
void shrinker_enable_reclaim(void);

#endif
