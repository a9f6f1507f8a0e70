// SPDX-License-Identifier: MIT
/*
 * nsproxy (seed 003): tasks switch namespaces (setns) while other CPUs
 * take references to their namespaces, in the three modes of nsproxy.c:
 * task-lock (before), tagged-ptr (the NACKed RFC: must report errors)
 * and rcu (after).
 *
 * Updater CPUs are the tasks themselves: each owns some tasks and, for
 * one of them per operation, reads its own nsproxy pointer without a
 * lock (as current->nsproxy users do) and then setns's one namespace to
 * another from a pool. Reader CPUs are remote readers: a random task's
 * namespace of a random kind, referenced, checked and released.
 *
 * Errors: a task's own read that sees a reader's tag bit or a freed
 * nsproxy; a remote read that returns a freed or wrong namespace; any
 * anomaly nsproxy.c survived. On one CPU there is no concurrent owner,
 * so in tagged-ptr mode the owner's read is made in the reader's tag
 * window instead (nsproxy_set_reader_window): where the task would run
 * if the reader were preempted there.
 *
 * setns is also timed alone (readers idle) before the run: the RESULT
 * line has setns_per_sec with and without remote readers.
 */
#include "../model.h"
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <workload.h>

#define NR_TASKS	16
#define NS_POOL		4	/* namespaces of each kind to switch between */
#define OWN_READS	4	/* unlocked reads of its own pointer per setns */
#define ALONE_MS_DIV	4

struct ns_state {
	enum nsproxy_mode mode;
	struct task_struct *tasks[NR_TASKS];
	struct ns_common *pool[NS_NR_KINDS][NS_POOL];
	struct nsproxy *boot;			/* pool[*][0]: every task starts with it */
	unsigned long setns_alone;
	unsigned long anomalies0;		/* nsproxy_anomalies() at setup */
	uint64_t alone_ns, run_start_ns;
};

static const struct wl_mode ns_modes[] = {
	{ "task-lock", "before", false, 1 },
	{ "tagged-ptr", "also", true, 1 },
	{ "rcu", "after", false, 1 },
};

static struct wl_run *window_run;	/* for the one-CPU reader window */

static bool inum_ok(const struct ns_common *ns, enum ns_kind kind)
{
	return ns->inum % NS_NR_KINDS == kind;
}

/*
 * The task's own code reading current->nsproxy, no lock: must see an
 * untagged pointer to a live nsproxy whose namespaces are live.
 */
static void own_read(struct wl_run *run, struct wl_cpu *c, struct task_struct *t)
{
	struct nsproxy *nsp = task_nsproxy_own(t);

	if ((uintptr_t)nsp & 1) {
		wl_error(run, c, "the task's own read of its nsproxy saw a remote reader's tag bit");
		return;
	}
	rcu_read_lock();	/* only so that a wrongly freed one reads as poison */
	if (READ_ONCE(nsp->magic) != NSPROXY_MAGIC) {
		wl_error(run, c, "the task's own nsproxy pointer points to a freed nsproxy");
	} else {
		for (unsigned int k = 0; k < NS_NR_KINDS; k++) {
			const struct ns_common *ns = READ_ONCE(nsp->ns[k]);

			if (READ_ONCE(ns->magic) != NS_MAGIC || !inum_ok(ns, k)) {
				wl_error(run, c, "the task's own nsproxy holds a freed namespace");
				break;
			}
		}
	}
	rcu_read_unlock();
}

static void reader_window(struct task_struct *t)
{
	struct wl_run *run = READ_ONCE(window_run);

	if (run)
		own_read(run, &run->cpus[smp_processor_id()], t);
}

static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	struct ns_state *st = run->priv;
	uint32_t r = torture_random(&c->rnd);
	enum ns_kind kind = (r >> 8) % NS_NR_KINDS;
	struct ns_common *ns = task_get_ns(st->tasks[r % NR_TASKS], kind);

	if (!ns) {
		c->misses++;
		return;
	}
	if (ns->magic != NS_MAGIC || !inum_ok(ns, kind))
		wl_error(run, c, "a remote reader got a freed or wrong namespace");
	put_ns(ns);
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	struct ns_state *st = run->priv;
	unsigned int owners = max(run->nr_updaters, 1u);
	unsigned int owner = run->nr_updaters ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
	unsigned int i = owner + owners * (torture_random(&c->rnd) % (NR_TASKS / owners));
	struct task_struct *t = st->tasks[i];
	enum ns_kind kind = torture_random(&c->rnd) % NS_NR_KINDS;
	struct nsproxy *cur, *next;

	for (unsigned int n = 0; n < OWN_READS; n++)
		own_read(run, c, t);
	/* setns(): a new nsproxy from ours with one namespace replaced. */
	cur = (struct nsproxy *)((uintptr_t)task_nsproxy_own(t) & ~(uintptr_t)1);
	if (READ_ONCE(cur->magic) != NSPROXY_MAGIC || !refcount_read(&cur->count))
		cur = st->boot;		/* tagged-ptr left us a freed one: start afresh */
	next = create_nsproxy(cur, kind, st->pool[kind][torture_random(&c->rnd) % NS_POOL]);
	if (!next) {
		c->misses++;
		return;
	}
	switch_task_namespaces(t, next);
}

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 4 ? 2 : 1;
}

static int setup(struct wl_run *run)
{
	struct ns_state *st = kzalloc(sizeof(*st));
	int err;

	if (!st)
		return -ENOMEM;
	run->priv = st;
	st->mode = wl_mode_is(run, "task-lock") ? NSPROXY_TASK_LOCK :
		   wl_mode_is(run, "tagged-ptr") ? NSPROXY_TAGGED_PTR : NSPROXY_RCU;
	nsproxy_set_mode(st->mode);
	err = pid_table_init(32);
	if (err)
		return err;
	for (unsigned int k = 0; k < NS_NR_KINDS; k++)
		for (unsigned int i = 0; i < NS_POOL; i++)
			if (!(st->pool[k][i] = ns_alloc(k, (i + 1) * NS_NR_KINDS + k)))
				return -ENOMEM;
	st->boot = create_nsproxy(NULL, NS_NR_KINDS, NULL);
	if (!st->boot)
		return -ENOMEM;
	for (unsigned int k = 0; k < NS_NR_KINDS; k++) {
		st->boot->ns[k] = st->pool[k][0];
		get_ns(st->pool[k][0]);
	}
	for (unsigned int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = fork_task(3000, 3000 + 2 * NR_TASKS, "ns-task");

		if (!t)
			return -ENOMEM;
		st->tasks[i] = t;
		refcount_inc(&st->boot->count);
		t->nsproxy = st->boot;
	}
	st->anomalies0 = nsproxy_anomalies();
	st->alone_ns = wl_run_updaters_alone(run, max(run->ms / ALONE_MS_DIV, (uint64_t)20),
					     &st->setns_alone);
	if (run->ncpus == 1 && st->mode == NSPROXY_TAGGED_PTR) {
		WRITE_ONCE(window_run, run);
		nsproxy_set_reader_window(reader_window);
	}
	st->run_start_ns = ktime_get_ns();
	return 0;
}

static void teardown(struct wl_run *run)
{
	struct ns_state *st = run->priv;
	unsigned long anomalies;

	nsproxy_set_reader_window(NULL);
	WRITE_ONCE(window_run, NULL);
	if (!st)
		return;
	if (st->run_start_ns) {
		uint64_t us = max((ktime_get_ns() - st->run_start_ns) / 1000, (uint64_t)1);
		uint64_t alone_us = max(st->alone_ns / 1000, (uint64_t)1);
		unsigned long long updates = 0;

		for (unsigned int i = 0; i < run->ncpus; i++)
			updates += run->cpus[i].updates;
		snprintf(run->result_keys, sizeof(run->result_keys), " setns_ps=%llu setns_alone_ps=%llu",
			 updates * 1000000ull / us,
			 (unsigned long long)(st->setns_alone * 1000000ull / alone_us));
		printk("DETAIL workload=nsproxy mode=%s cpus=%u setns_per_sec=%llu "
		       "setns_alone_per_sec=%llu anomalies=%lu\n", run->mode->name, run->ncpus,
		       updates * 1000000ull / us,
		       (unsigned long long)(st->setns_alone * 1000000ull / alone_us),
		       nsproxy_anomalies() - st->anomalies0);
	}
	for (unsigned int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = st->tasks[i];

		if (!t)
			continue;
		switch_task_namespaces(t, NULL);
		exit_task(t);
		put_task_struct(t);
	}
	put_nsproxy(st->boot);
	for (unsigned int k = 0; k < NS_NR_KINDS; k++)
		for (unsigned int i = 0; i < NS_POOL; i++)
			if (st->pool[k][i])
				put_ns(st->pool[k][i]);
	pid_table_destroy();
	/* Quarantine is filled by RCU callbacks: let them all run first. */
	rcu_barrier();
	nsproxy_release_quarantine();
	anomalies = nsproxy_anomalies();
	if (st->run_start_ns && anomalies > st->anomalies0)
		wl_error(run, &run->cpus[0], "the tagged-pointer protocol let readers see freed or tagged pointers");
	kfree(st);
	run->priv = NULL;
}


static const struct workload nsproxy_wl = {
	.name = "nsproxy",
	.seed = "003",
	.modes = ns_modes,
	.nr_modes = ARRAY_SIZE(ns_modes),
	.nr_updaters = nr_updaters,
	.update_hz = WL_UNPACED,
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(nsproxy_wl, "nsproxy",
		"seed 003: remote nsproxy readers vs setns: task_lock, tagged pointer, RCU");
