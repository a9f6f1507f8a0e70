// SPDX-License-Identifier: MIT
/* The shrinker walk (shrinker.c) against register/free, in every mode. */
#include <shrinker.h>
#include <kernel.h>
#include <ktest.h>
#include <mm.h>
#include <smp.h>
#include <torture.h>

#define T_CACHES	8
#define T_ROUNDS	400
/* srcu: each free waits for an SRCU grace period, two of RCU's or more
 * (tens of milliseconds with vCPUs overcommitted): fewer rounds. */
#define T_ROUNDS_SRCU	100

struct t_cache {
	uint32_t magic;			/* CACHE-like liveness check */
	atomic_t objs;
	struct shrinker *s;
};

struct t_shrink {
	struct t_cache *slot[T_CACHES];	/* owned by the updater CPU */
	unsigned int rounds;
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
		for (unsigned int r = 0; r < ts->rounds; r++) {
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
	struct t_shrink ts = { .rounds = mode == SHRINKER_SRCU ? T_ROUNDS_SRCU : T_ROUNDS };
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
