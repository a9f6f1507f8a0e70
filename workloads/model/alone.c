// SPDX-License-Identifier: MIT
/*
 * The updaters alone: a workload's update role timed with its readers
 * idle, so it can report how much its readers slow its updaters down
 * (vma-query: page faults with and without PROCMAP_QUERY; nsproxy: setns
 * with and without remote readers). Called from setup(), before the
 * harness's own run, with the same roles the harness will use; the
 * updates go flat out, unless the workload has work between its updates
 * (idle_op), which is paced as in the run.
 */
#include "../model.h"
#include <kernel.h>
#include <ktime.h>
#include <rcupdate.h>
#include <smp.h>
#include <workload.h>

struct alone_ctx {
	struct wl_run *run;
	uint64_t t0, deadline;		/* set by CPU 0 before anyone starts */
	struct torture_barrier start;
};

/*
 * Past the deadline, go on (up to ALONE_MAX_TIMES as long) while some
 * updater has done fewer than ALONE_MIN_UPDATES: on a loaded host a
 * vCPU may not run at all for a short phase, which would make a zero
 * baseline. The counts are other CPUs', read racily: a late look only
 * extends the phase a little.
 */
#define ALONE_MIN_UPDATES	8
#define ALONE_MAX_TIMES		10

static bool alone_needs_longer(const struct alone_ctx *ctx)
{
	const struct wl_run *run = ctx->run;

	if (ktime_get_ns() >= ctx->t0 + ALONE_MAX_TIMES * (ctx->deadline - ctx->t0))
		return false;
	for (unsigned int i = 0; i < run->ncpus; i++)
		if (READ_ONCE(run->cpus[i].updater) &&
		    READ_ONCE(run->cpus[i].updates) < ALONE_MIN_UPDATES)
			return true;
	return false;
}

static void alone_cpu(void *arg)
{
	struct alone_ctx *ctx = arg;
	struct wl_run *run = ctx->run;
	unsigned int me = smp_processor_id();
	struct wl_cpu *c = &run->cpus[me];

	c->cpu = me;
	c->updater = run->nr_updaters ? me >= run->ncpus - run->nr_updaters : me == 0;
	torture_random_init(&c->rnd, run->seed * 7919 + me);
	torture_barrier_wait(&ctx->start, run->ncpus);
	/* A workload with work between its updates is paced as in the run. */
	if (run->wl->idle_op)
		wl_pacing_init(run, c);
	while (!wl_should_stop(run)) {
		if (c->updater && run->wl->idle_op && !wl_update_due(c)) {
			run->wl->idle_op(run, c);
		} else if (c->updater) {
			run->wl->update_op(run, c);
			c->updates++;
		} else
			cpu_relax();
		rcu_quiescent_state();
		if (me == 0 && ktime_get_ns() >= ctx->deadline && !alone_needs_longer(ctx))
			WRITE_ONCE(run->stop, true);
	}
}

uint64_t wl_run_updaters_alone(struct wl_run *run, uint64_t ms, unsigned long *updates)
{
	static struct alone_ctx ctx;
	uint64_t t0, elapsed;

	ctx.run = run;
	torture_barrier_init(&ctx.start);
	t0 = ktime_get_ns();
	ctx.t0 = t0;
	ctx.deadline = t0 + ms * NSEC_PER_MSEC;
	run_on_cpus(run->ncpus, alone_cpu, &ctx);
	elapsed = ktime_get_ns() - t0;
	WRITE_ONCE(run->stop, false);
	/* The harness counts its own run's updates from zero. */
	for (unsigned int i = 0; i < run->ncpus; i++) {
		if (updates)
			*updates += run->cpus[i].updates;
		run->cpus[i].updates = 0;
	}
	return elapsed;
}
