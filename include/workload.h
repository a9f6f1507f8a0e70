/* SPDX-License-Identifier: MIT */
/*
 * The workload harness: one shape for all five workloads and all their
 * modes, so one harness runs, checks and compares them.
 *
 * A workload names its modes and supplies per-operation functions. For
 * each mode the harness builds the shared state (setup), puts a role on
 * every CPU (updater or reader), starts them together, runs operations
 * until ms= has passed, stops them together, tears the state down, waits
 * for every RCU callback (rcu_barrier) and checks that the allocator's
 * live-object count is back where it started. Then it prints one RESULT
 * line (DESIGN section 8) and counts the mode toward SUMMARY: a mode
 * passes with errors=0, a mode marked broken passes only with errors>0
 * (the proof that the check can fail).
 *
 * Context: operations run in thread context on their CPU with interrupts
 * on; they may take any lock and wait for grace periods (updaters).
 */
#ifndef QUIESCE_WORKLOAD_H
#define QUIESCE_WORKLOAD_H

#include <compiler.h>
#include <torture.h>
#include <harness.h>

struct wl_run;

struct wl_mode {
	const char *name;
	/*
	 * "before" (the code the seed's patch replaced; with several, the
	 * last is the one ratios compare against), "after" (the fix) or
	 * "also" (another variant).
	 */
	const char *kind;
	bool broken;		/* reproduces a bug: must report errors > 0 */
	unsigned int min_cpus;	/* skipped on fewer (a race needs two) */
	/*
	 * The workload's own value for the mode (its enum), read back in
	 * setup() as run->mode->id: the table names each mode once.
	 */
	int id;
};

/* update_hz of a workload whose updaters are not paced. */
#define WL_UNPACED	(~0ul)

/* Latency histogram: 8 sub-buckets per power of two of nanoseconds. */
#define WL_HIST_BUCKETS	(8 * 40)

/* Per-CPU state of one run; the workload may use ->priv. */
struct wl_cpu {
	unsigned int cpu;
	bool updater;
	unsigned long ops;		/* read operations completed */
	unsigned long updates;		/* update operations completed */
	unsigned long errors;		/* correctness violations seen */
	unsigned long misses;		/* clean, expected failures (-ENOENT ...) */
	/* The counting builds' counters over this CPU's read operations and
	 * over its update operations (see struct cpu_counts). */
	struct cpu_counts rd, up;
	struct torture_random rnd;
	uint32_t hist[WL_HIST_BUCKETS];
	bool started;			/* past the start (hotplug: a CPU resumes) */
	/* Pacing (updater CPUs, or readers doing their own updates). */
	uint64_t update_period_ns;	/* 0: not paced */
	uint64_t next_update_ns;	/* when this CPU's next update is due */
	void *priv;
} ____cacheline_aligned;

struct workload {
	const char *name;		/* run= name */
	const char *seed;		/* the thread it reproduces ("000") */
	const struct wl_mode *modes;
	unsigned int nr_modes;
	/*
	 * How many of ncpus CPUs update; the others read (at least one).
	 * NULL or 0: the readers do the updates themselves, each its share
	 * of the rate (as one CPU always does).
	 */
	unsigned int (*nr_updaters)(unsigned int ncpus);
	/*
	 * The update rate of the seed's situation: updates per second over
	 * all updater CPUs together, held with the timer at every CPU count
	 * (update_hz= overrides it; 0: no updates at all, WL_UNPACED: as
	 * fast as the updaters can). update_what says what one update is
	 * and why this rate (run=modes prints both).
	 */
	unsigned long update_hz;
	const char *update_what;
	/*
	 * Optional: a mode's own default rate where it is not update_hz
	 * (a test mode's race may need its updates flat out: WL_UNPACED);
	 * 0: update_hz.
	 */
	unsigned long (*mode_update_hz)(const struct wl_mode *mode);
	/*
	 * The seed's own headline measure: the name of the RESULT key that
	 * comes first (the workload fills run->headline_keys with it and
	 * its companions); NULL: ops_per_sec.
	 */
	const char *headline;
	/*
	 * Build the shared state for run->mode. 0 or -ENOMEM; on failure the
	 * harness still calls teardown(), which frees what was built. Boot CPU.
	 */
	int (*setup)(struct wl_run *run);
	/*
	 * Optional, on every CPU before the start: per-CPU preparation
	 * (fill c->priv). 0 or an error that aborts the mode.
	 */
	int (*cpu_setup)(struct wl_run *run, struct wl_cpu *c);
	/* One read / update operation. */
	void (*read_op)(struct wl_run *run, struct wl_cpu *c);
	void (*update_op)(struct wl_run *run, struct wl_cpu *c);
	/*
	 * Optional: a paced updater's own work while its next update is
	 * not yet due (vma-query: the target's page faults between its
	 * mmap/munmaps), short, counted by the workload; NULL: it waits.
	 */
	void (*idle_op)(struct wl_run *run, struct wl_cpu *c);
	/*
	 * The coherence build's lockstep takes in the updaters too (their
	 * operations and idle_op calls take turns with the reads), for a
	 * workload whose measure is the lines readers share with updaters
	 * (vma-query: the target's mmap_lock line); false: the readers only.
	 */
	bool lockstep_updaters;
	/* Free everything setup() and the operations allocated. Boot CPU. */
	void (*teardown)(struct wl_run *run);
};

struct wl_run {
	const struct workload *wl;
	const struct wl_mode *mode;
	unsigned int ncpus;
	unsigned int nr_updaters;
	bool readonly;			/* readonly=1: no CPU updates at all */
	uint64_t ms;
	uint64_t seed;
	bool stop;			/* set by CPU 0 when ms have passed */
	uint64_t start_ns, stop_ns;	/* CPU 0's clock at the start and the stop */
	void *priv;			/* the workload's shared state */
	/* Extra " key=value" text for the RESULT line, filled by the
	 * workload (usually in teardown), empty otherwise. */
	char result_keys[160];
	/*
	 * The seed's headline figures (" key=value ..."), the first on the
	 * RESULT line after cpus=; filled by the workload, empty: none.
	 */
	char headline_keys[192];
	unsigned long update_hz;	/* the target: 0 none, WL_UNPACED */
	struct wl_cpu *cpus;		/* ncpus entries */

	/* The faults the run survives (see workloads/harness.c). */
	bool hotplugging;		/* hotplug= is on for this run */
	struct torture_hotplug hotplug;	/* CPU 0's driver */
	atomic_long_t cbs_queued, cbs_invoked;	/* by CPUs going offline */
	bool failslab;			/* failslab= is on */
	unsigned long failslab_hits;	/* allocations it failed */
	unsigned long errors;		/* found by the harness itself */
};

/*
 * Register workload _var as run=_name (and as one of the workloads
 * run=all... default runs).
 */
#define DEFINE_WORKLOAD(_var, _name, _help)				\
	static const struct workload *const workload_ptr_##_var	\
		__used __section("workloads") = &_var;			\
	static void _var##_run(void) { workloads_run(_name); }		\
	COMMAND(_name, _help, NULL, _var##_run)

/* A latency histogram of the harness's shape (WL_HIST_BUCKETS): the
 * bucket of ns, and the pct-th percentile of total samples. */
unsigned int wl_hist_bucket(uint64_t ns);
uint64_t wl_hist_percentile(const uint32_t *hist, uint64_t total, unsigned int pct);

/* An updater CPU's pacing as the run's (wl_run_updaters_alone() uses it). */
void wl_pacing_init(struct wl_run *run, struct wl_cpu *c);
bool wl_update_due(struct wl_cpu *c);

/* Is this the named mode? */
bool wl_mode_is(const struct wl_run *run, const char *name);

/* Count a correctness violation; the first few are printed with what. */
void wl_error(struct wl_run *run, struct wl_cpu *c, const char *what);

/* Has CPU 0 called time? Updaters' long loops poll it. */
static inline bool wl_should_stop(const struct wl_run *run)
{
	return READ_ONCE(run->stop);
}

/* Run every workload named by run= in every mode mode= selects. */
void workloads_run(const char *name);

/* The end-of-run table of every RESULT, with before/after ratios. */
void workloads_print_table(void);

#endif
