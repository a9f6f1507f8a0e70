/* SPDX-License-Identifier: MIT */
/*
 * The body every contender shares: included once, at the end of each
 * contender file, after it has defined (static, inline where it is a
 * fast path):
 *
 *	C_VAR, C_NAME, C_USAGE		the struct contender and its strings
 *	c_head_t			the library's callback head type
 *	c_init(nthreads)		once per process
 *	c_thread_online(id)		a thread starts using the library
 *	c_thread_offline(id)		... and stops (before it exits)
 *	c_read_lock(), c_read_unlock()	a read-side section
 *	c_dereference(slot)		load the protected pointer in one
 *	c_replace(slot, new)		publish new, return the old pointer
 *					(the only updater: no other writer)
 *	c_quiescent_state()		every qs_every reads or updates
 *	c_tick()			the updater's, after its quiescent state
 *	c_synchronize()			wait for pre-existing readers
 *	c_call(head, func)		func(head) after a grace period
 *	c_barrier()			wait until every c_call() has run
 *
 * Readers check every object they see: a == b, and not the poison that
 * is written just before an object is freed. A reader that sees a torn
 * or poisoned object proves a grace period ended too early (the busted
 * contender shows the check fires).
 */
#include <stddef.h>

#define OBJ_POISON	0x6b6b6b6b6b6b6b6bULL

struct obj {
	uint64_t a, b;		/* both the object's sequence number while live */
	c_head_t head;
};

/* The protected pointer: a struct obj, never NULL after loops_init(). */
static void *shared_obj;

static struct obj *obj_new(uint64_t seq)
{
	struct obj *o = malloc(sizeof(*o));

	if (!o) {
		fprintf(stderr, "urcu-bench: out of memory (%s)\n", C_NAME);
		exit(1);
	}
	/* Relaxed: readers load them racily; the publication orders them. */
	__atomic_store_n(&o->a, seq, __ATOMIC_RELAXED);
	__atomic_store_n(&o->b, seq, __ATOMIC_RELAXED);
	return o;
}

static void obj_free(struct obj *o)
{
	__atomic_store_n(&o->a, OBJ_POISON, __ATOMIC_RELAXED);
	__atomic_store_n(&o->b, ~OBJ_POISON, __ATOMIC_RELAXED);
	free(o);
}

static void obj_free_cb(c_head_t *head)
{
	obj_free((struct obj *)((char *)head - offsetof(struct obj, head)));
}

static inline bool obj_bad(const struct obj *o)
{
	uint64_t a = __atomic_load_n(&o->a, __ATOMIC_RELAXED);
	uint64_t b = __atomic_load_n(&o->b, __ATOMIC_RELAXED);

	return a != b || a == OBJ_POISON;
}

static void loops_init(unsigned int nthreads)
{
	c_init(nthreads);
	shared_obj = obj_new(1);
}

static inline void read_batch(unsigned int n, unsigned long *errors)
{
	for (unsigned int i = 0; i < n; i++) {
		struct obj *o;

		c_read_lock();
		o = c_dereference(&shared_obj);
		if (obj_bad(o))
			(*errors)++;
		c_read_unlock();
	}
}

static void loops_reader(struct bench_run *run, unsigned int id)
{
	unsigned long ops = 0, errors = 0;

	c_thread_online(id);
	pthread_barrier_wait(&run->start);
	while (!bench_flag(&run->stop)) {
		read_batch(run->qs_every, &errors);
		ops += run->qs_every;
		c_quiescent_state();
	}
	run->thread[id].ops = ops;
	/* Uncounted: the updater's last wait still has readers to wait for. */
	while (!bench_flag(&run->readers_stop)) {
		read_batch(run->qs_every, &errors);
		c_quiescent_state();
	}
	run->thread[id].errors = errors;
	c_thread_offline(id);
}

static void loops_updater(struct bench_run *run)
{
	unsigned long n = 0;

	c_thread_online(0);
	pthread_barrier_wait(&run->start);
	while (!bench_flag(&run->stop)) {
		struct obj *o = obj_new(n + 2), *old;

		if (run->test == TEST_SYNC) {
			uint64_t t0 = bench_now_ns();

			old = c_replace(&shared_obj, o);
			c_synchronize();
			if (run->nr_samples < BENCH_MAX_SAMPLES)
				run->samples[run->nr_samples++] = bench_now_ns() - t0;
			obj_free(old);
		} else {
			old = c_replace(&shared_obj, o);
			c_call(&old->head, obj_free_cb);
		}
		if (++n % run->qs_every == 0) {
			c_quiescent_state();
			c_tick();
		}
	}
	if (run->test == TEST_CALL)
		c_barrier();
	run->end_ns = bench_now_ns();
	run->updates = n;
	bench_set_flag(&run->readers_stop);
	c_thread_offline(0);
}

const struct contender C_VAR = {
	.name = C_NAME,
	.usage = C_USAGE,
	.init = loops_init,
	.reader = loops_reader,
	.updater = loops_updater,
};
