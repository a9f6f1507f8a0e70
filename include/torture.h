/* SPDX-License-Identifier: MIT */
/*
 * Pieces every torture test and workload shares: a cheap per-CPU random
 * stream, a start barrier so all CPUs begin together, and the run's end
 * time.
 */
#ifndef QUIESCE_TORTURE_H
#define QUIESCE_TORTURE_H

#include <compiler.h>
#include <atomic.h>

/* xorshift64*: fast, not cryptographic; one state per CPU or per thread. */
struct torture_random {
	uint64_t state;
};

static inline void torture_random_init(struct torture_random *r, uint64_t seed)
{
	r->state = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (!r->state)
		r->state = 1;
}

static inline uint32_t torture_random(struct torture_random *r)
{
	uint64_t x = r->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

/*
 * A reusable barrier for n CPUs: each caller waits until all n arrived.
 * Spins (thread context). Initialise with torture_barrier_init().
 */
struct torture_barrier {
	atomic_t arrived;
	atomic_t generation;
};

static inline void torture_barrier_init(struct torture_barrier *b)
{
	atomic_set(&b->arrived, 0);
	atomic_set(&b->generation, 0);
}

void torture_barrier_wait(struct torture_barrier *b, unsigned int n);

/*
 * type=: the kinds a torture test or benchmark runs ("all" or a
 * comma-separated list). Each one lists its kinds in a NULL-terminated
 * array that kernel/torture.c names (weakly, so each list is optional);
 * the key accepts the union, and each command's check_args() then
 * refuses kinds that are not its own with torture_check_types().
 */
extern const char *const locktorture_types[];
extern const char *const lockbench_types[];
extern const char *const rcutorture_types[];
extern const char *const rcubench_types[];

/*
 * check_args helper: every item of type= (if given) is "all" or in
 * types[]; otherwise print one line naming it and the valid values, and
 * return -EINVAL.
 */
int torture_check_types(const char *command, const char *const types[]);
/* run=rcutorture itself (every type= flavour, ms=, hotplug=, failslab=): for run=soak. */
void rcutorture_run(void);
/* Does type= (absent or "all": every kind) select name? */
bool torture_type_selected(const char *name);

/*
 * hotplug=: CPUs go offline and come back while rcutorture or a workload
 * runs. CPU 0 (which never goes) drives it; every other CPU of the run
 * polls cpu_offline_pending() between operations and leaves with
 * cpu_offline_now(), resuming its role when it comes back (<smp.h>).
 * busted: the same with cpu_hotplug_set_busted(), so the run must fail.
 */
enum torture_hotplug_mode {
	TORTURE_HOTPLUG_OFF, TORTURE_HOTPLUG_ON, TORTURE_HOTPLUG_BUSTED,
};
enum torture_hotplug_mode torture_hotplug_mode(void);

/* CPU 0's hotplug driver for one run; used by CPU 0 only. */
struct torture_hotplug {
	bool on;
	unsigned int ncpus;		/* CPUs 1..ncpus-1 go and come */
	uint64_t next_ns;		/* when the next operation is due */
	struct torture_random rnd;
	void (*before_down)(unsigned int cpu);	/* or NULL */
	unsigned long offlines;		/* cpu_down()s that succeeded */
	unsigned long cycles;		/* of those, CPUs back online */
	unsigned long errors;		/* CPUs that did not come back */
};

/*
 * Set up h for a run on ncpus CPUs as hotplug= says; false if hotplug is
 * off (or ncpus < 2), and then the other calls do nothing. before_down
 * (NULL: none) runs on CPU 0 before each cpu_down() of a CPU.
 */
bool torture_hotplug_init(struct torture_hotplug *h, unsigned int ncpus, uint64_t seed,
			  void (*before_down)(unsigned int cpu));
/*
 * CPU 0, between two of its operations (no lock held, outside every
 * read-side section: cpu_down() waits for the CPU to leave): when the
 * random interval has passed, take a random CPU offline or bring it back.
 */
void torture_hotplug_step(struct torture_hotplug *h);
/* CPU 0, at the end of the run: bring every CPU back online. */
void torture_hotplug_finish(struct torture_hotplug *h);

#endif
