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
 * shrink_slab(priority) walks every registered shrinker and asks each
 * to scan (count >> priority) objects. How the walk is protected against
 * shrinker_free() is the shrinker "mode" - the seed's three versions:
 *
 *  SHRINKER_RWSEM	   walk under down_read_trylock(&shrinker_rwsem); a
 *			   failed trylock (a register/free in progress)
 *			   returns 0 freed. shrinker_free() takes it for
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

struct shrink_control {
	unsigned long nr_to_scan;	/* in: objects to scan */
	unsigned long nr_scanned;	/* in/out: objects actually scanned */
};

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *s, struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s, struct shrink_control *sc);
	long batch;			/* objects per scan_objects call (0: SHRINK_BATCH) */
	void *private_data;		/* the cache */

	/* Private to the shrinker core. */
	uint32_t magic;			/* SHRINKER_MAGIC until freed */
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

/* A new, unregistered shrinker (NULL: -ENOMEM). flags: none yet, pass 0. */
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
 * Ask every shrinker to scan (count >> priority) objects; returns the
 * number freed. Thread context; never waits for another CPU (the rwsem
 * mode only tries the lock).
 */
unsigned long shrink_slab(int priority);

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
