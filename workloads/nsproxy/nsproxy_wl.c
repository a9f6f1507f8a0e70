// SPDX-License-Identifier: MIT
/*
 * nsproxy (seed 003): the writer's question. setns() - docker's, or
 * make_fake_routers.sh's - is the operation the thread is about; the
 * remote read that makes the fd setns is handed (open /proc/<pid>/ns/<x>)
 * comes with it, one per setns; and task_lock, which the task-lock design
 * takes in both, is also the lock of unrelated users of the task
 * (allocation, mempolicy, comm). The modes are nsproxy.c's: task-lock
 * (before, Linux since 728dba3a39c), tagged-ptr (the NACKed RFC: must
 * report the owner's broken read), rcu-sync (the design 728dba3a39c
 * replaced: synchronize_rcu() before freeing), rcu (call_rcu: the safe
 * lock-free reader), rcu-churn (the test of rcu: its frees under
 * readers that hold what is freed) and rcu-nogp (the lifetime-race test:
 * rcu readers, frees without a grace period: must report errors).
 *
 * Tasks: TASKS_PER_CPU per CPU, owned by the updaters (or, with none, by
 * the one reader CPU). An update is one setns of a task it owns: a remote
 * read of another task's namespace of some kind (task_get_ns), the task's
 * own unlocked reads of its nsproxy, a new nsproxy with that namespace,
 * switch_task_namespaces(); paced at update_hz= (default 10000/s) and
 * timed (setns_p50_ns, setns_p99_ns: the headline with setns_ps). The
 * readers are the unrelated task_lock users: a short allocation-like hold
 * of a random task's alloc_lock, the wait for it timed (lock_wait_ns per
 * hold); every REMOTE_EVERY-th op they also read a namespace of the task
 * remotely (lsns, ps reading /proc/<pid>/ns), so frees meet readers. In
 * rcu-churn and rcu-nogp, the lifetime tests, each updater switches one
 * task and the readers only read those tasks remotely, every op (the
 * pattern of the nsproxy self-tests, which the correct modes pass); every
 * HELD_EVERY-th read also holds the task's nsproxy under rcu_read_lock()
 * across two of its switches (held_read()), so a free without a grace
 * period is met by work, not by luck.
 *
 * setns is also run alone (readers idle, unpaced) before the run:
 * setns_max_ps, what the mode allows at most.
 *
 * Errors: a task's own read that sees a reader's tag bit or a freed
 * nsproxy; a remote read that returns a freed or wrong namespace; any
 * anomaly nsproxy.c survived (tagged-ptr; rcu-nogp: a reader found its
 * nsproxy poisoned); a held nsproxy freed or reused under its reader. In
 * tagged-ptr mode the owner's read is also made in the reader's tag window
 * (nsproxy_set_reader_window): where the task would run if the reader
 * were preempted there. On one updater there is no concurrent owner at
 * all, and with more the owners' own reads meet a reader's window only
 * while both vCPUs run at once, which a loaded host may not give within
 * the run (errors=0 once at 4 CPUs).
 */
#include "../model.h"
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <smp.h>
#include <workload.h>

#define TASKS_PER_CPU	32
#define MAX_TASKS	1024
#define NS_POOL		4	/* namespaces of each kind to switch between */
#define OWN_READS	4	/* unlocked reads of its own pointer per setns */
#define ALONE_MS_DIV	4
#define REMOTE_EVERY	16	/* a reader's remote read every this many holds */
#define HELD_EVERY	16	/* lifetime tests: a held read every this many reads */
#define HELD_POLLS	(1UL << 24)	/* a held read's bound, for a stalled updater */
#define SETNS_HZ	10000	/* update_hz= default */

/* Per-CPU figures; each written only by its CPU. */
struct ns_cpu {
	uint32_t setns_hist[WL_HIST_BUCKETS];
	unsigned long setns, remote_reads, holds;
	uint64_t wait_ns;		/* counter ticks waiting for alloc_lock */
} ____cacheline_aligned;

struct ns_state {
	enum nsproxy_mode mode;
	struct task_struct **tasks;
	unsigned int nr_tasks;
	struct ns_cpu *cpu;
	struct ns_common *pool[NS_NR_KINDS][NS_POOL];
	struct nsproxy *boot;			/* pool[*][0]: every task starts with it */
	bool churn;				/* rcu-churn, rcu-nogp: the lifetime tests */
	unsigned long *switches;		/* per task: setns done; its owner writes */
	unsigned long setns_alone;
	unsigned long anomalies0;		/* nsproxy_anomalies() at setup */
	uint64_t alone_ns, run_start_ns;
};

static const struct wl_mode ns_modes[] = {
	{ "task-lock", "before", false, 1, NSPROXY_TASK_LOCK },
	{ "tagged-ptr", "also", true, 1, NSPROXY_TAGGED_PTR },
	{ "rcu-sync", "also", false, 1, NSPROXY_RCU_SYNC },
	{ "rcu", "after", false, 1, NSPROXY_RCU },
	{ "rcu-churn", "also", false, 2, NSPROXY_RCU },
	{ "rcu-nogp", "also", true, 2, NSPROXY_RCU_NOGP },
};

static struct wl_run *window_run;	/* for the reader window (tagged-ptr) */

/* The CPU that switches task i in the lifetime tests (update_op()); none
 * (NR_CPUS) when the readers' solo updates do it. */
static unsigned int owner_cpu(const struct wl_run *run, unsigned int i)
{
	return run->nr_updaters ? run->ncpus - run->nr_updaters + i : NR_CPUS;
}

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
	rcu_read_lock();	/* only so that a wrongly freed one reads as poison */
	for (unsigned int k = 0; k < NS_NR_KINDS; k++) {
		struct ns_common *ns;
		enum own_ns r = task_own_ns(t, k, &ns);

		if (r == OWN_NS_TAGGED) {
			wl_error(run, c, "the task's own read of its nsproxy saw a remote reader's tag bit");
			break;
		}
		if (r == OWN_NS_FREED) {
			wl_error(run, c, "the task's own nsproxy pointer points to a freed nsproxy");
			break;
		}
		if (READ_ONCE(ns->magic) != NS_MAGIC || !inum_ok(ns, k)) {
			wl_error(run, c, "the task's own nsproxy holds a freed namespace");
			break;
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

/* A remote read of t's namespace of kind, checked; NULL when there was none. */
static struct ns_common *remote_read(struct wl_run *run, struct wl_cpu *c,
				     struct task_struct *t, enum ns_kind kind)
{
	unsigned long anomalies = nsproxy_cpu_anomalies();
	struct ns_common *ns = task_get_ns(t, kind);

	((struct ns_state *)run->priv)->cpu[c->cpu].remote_reads++;
	if (nsproxy_cpu_anomalies() != anomalies)
		wl_error(run, c, "a remote reader found freed (poisoned) or tagged memory");
	if (!ns) {
		c->misses++;
		return NULL;
	}
	if (READ_ONCE(ns->magic) != NS_MAGIC || !inum_ok(ns, kind)) {
		wl_error(run, c, "a remote reader got a freed or wrong namespace");
		return NULL;	/* not ours to put */
	}
	return ns;
}

/*
 * The lifetime tests' long reader: hold task i's nsproxy under
 * rcu_read_lock() until the task has switched twice since (its first
 * switch after our load replaced it, and put it), then check it. RCU
 * keeps it unfreed until we unlock: its magic stands and its count, the
 * task's reference, is 0 (the boot nsproxy, which every task started
 * with, keeps other tasks' references). A free without a grace period
 * shows as poison, or as the slot reused: another nsproxy (count 1) or
 * another object (magic). Bounded by the run's end, by the owner going
 * offline, and by HELD_POLLS, for an updater the host does not run.
 */
static void held_read(struct wl_run *run, struct wl_cpu *c, unsigned int i)
{
	struct ns_state *st = run->priv;
	unsigned long s0, polls = 0;
	struct nsproxy *nsp;

	rcu_read_lock();
	/* Acquire: pairs with the release in update_op(); the switches
	 * counted so far precede our load of the pointer. */
	s0 = smp_load_acquire(&st->switches[i]);
	/* Pairs with rcu_assign_pointer() in switch_task_namespaces(). */
	nsp = rcu_dereference(st->tasks[i]->nsproxy);
	/*
	 * The pointer load before the count's reload (smp_rmb()). A switch
	 * counted between the two loads (this vCPU held up) may have
	 * installed nsp, and two counted after s0 would not have replaced
	 * it: skip this one. Else nsp came from a switch up to s0 + 1, and
	 * switch s0 + 2, once counted, has replaced it and dropped its ref.
	 */
	smp_rmb();
	if (READ_ONCE(st->switches[i]) != s0) {
		rcu_read_unlock();
		return;
	}
	/*
	 * Acquire: the switches counted (and their puts) precede the checks.
	 * Not while task i's owner is offline (hotplug=1): it switches
	 * nothing, and CPU 0, which would bring it back, may be us.
	 */
	while (smp_load_acquire(&st->switches[i]) - s0 < 2) {
		if (wl_should_stop(run) || ++polls == HELD_POLLS ||
		    (owner_cpu(run, i) != NR_CPUS && !cpu_online(owner_cpu(run, i)))) {
			rcu_read_unlock();
			return;
		}
		cpu_relax();
	}
	if (READ_ONCE(nsp->magic) != NSPROXY_MAGIC ||
	    (nsp != st->boot && refcount_read(&nsp->count)))
		wl_error(run, c, "a reader's nsproxy was freed or reused under rcu_read_lock()");
	rcu_read_unlock();
}

/*
 * An unrelated user of the task's alloc_lock (allocation, mempolicy,
 * get_task_comm): a short hold, the wait for it timed.
 */
static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	struct ns_state *st = run->priv;
	struct ns_cpu *me = &st->cpu[c->cpu];
	uint32_t r = torture_random(&c->rnd);
	struct task_struct *t = st->tasks[r % st->nr_tasks];
	uint64_t t0;
	char comm[sizeof(t->comm)];

	if (st->churn) {
		/* The lifetime tests: only remote reads of the tasks being switched. */
		unsigned int i = r % max(run->nr_updaters, 1u);
		struct ns_common *ns = remote_read(run, c, st->tasks[i], (r >> 8) % NS_NR_KINDS);

		if (ns)
			put_ns(ns);
		if (me->remote_reads % HELD_EVERY == 0)
			held_read(run, c, i);
		return;
	}
	t0 = arch_counter_read();
	task_lock(t);
	me->wait_ns += arch_counter_read() - t0;
	memcpy(comm, t->comm, sizeof(comm));
	WRITE_ONCE(t->comm[0], comm[0]);
	task_unlock(t);
	me->holds++;
	if (me->holds % REMOTE_EVERY == 0) {
		struct ns_common *ns = remote_read(run, c, t, (r >> 8) % NS_NR_KINDS);

		if (ns)
			put_ns(ns);
	}
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	struct ns_state *st = run->priv;
	struct ns_cpu *me = &st->cpu[c->cpu];
	unsigned int owners = max(run->nr_updaters, 1u);
	unsigned int owner = run->nr_updaters ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
	/* The lifetime tests switch one task per owner: the readers' target. */
	unsigned int i = owner + (st->churn ? 0 :
				  owners * (torture_random(&c->rnd) % (st->nr_tasks / owners)));
	struct task_struct *t = st->tasks[i];
	/* The fd's task: another task, if possible another owner's. */
	struct task_struct *from = st->tasks[(i + 1 + torture_random(&c->rnd) %
					      (st->nr_tasks - 1)) % st->nr_tasks];
	enum ns_kind kind = torture_random(&c->rnd) % NS_NR_KINDS;
	struct ns_common *ns = remote_read(run, c, from, kind);
	struct nsproxy *next;
	uint64_t t0;

	if (!ns)
		ns = st->pool[kind][0];		/* none: the boot namespace */
	else
		put_ns(ns);			/* the pool holds it for the run */
	for (unsigned int n = 0; n < OWN_READS; n++)
		own_read(run, c, t);
	t0 = arch_counter_read();
	/*
	 * setns(): a new nsproxy from ours with one namespace replaced: the
	 * one the task holds. (Tagged-ptr's readers can leave a tagged or a
	 * dropped pointer in t->nsproxy: own_read() reports what the task
	 * would find there; copying it would take references on namespaces
	 * it no longer holds.)
	 */
	next = create_nsproxy(t->nsproxy_owned, kind, ns);
	if (!next) {
		c->misses++;
		return;
	}
	switch_task_namespaces(t, next);
	/* Release: the switch and its put precede the count; pairs with
	 * held_read()'s acquires. Only t's owner writes it. */
	smp_store_release(&st->switches[i], st->switches[i] + 1);
	me->setns_hist[wl_hist_bucket(counter_to_ns(arch_counter_read() - t0))]++;
	me->setns++;
}

static unsigned int nr_updaters(unsigned int ncpus)
{
	return max(ncpus / 2, 1u);
}

static int setup(struct wl_run *run)
{
	struct ns_state *st = kzalloc(sizeof(*st));
	int err;

	if (!st)
		return -ENOMEM;
	run->priv = st;
	st->mode = run->mode->id;
	nsproxy_set_mode(st->mode);
	st->churn = wl_mode_is(run, "rcu-churn") || st->mode == NSPROXY_RCU_NOGP;
	st->nr_tasks = min(TASKS_PER_CPU * run->ncpus, (unsigned int)MAX_TASKS);
	st->tasks = kzalloc(st->nr_tasks * sizeof(*st->tasks));
	st->switches = kzalloc(st->nr_tasks * sizeof(*st->switches));
	st->cpu = kzalloc(run->ncpus * sizeof(*st->cpu));
	if (!st->tasks || !st->switches || !st->cpu)
		return -ENOMEM;
	err = pid_table_init(256);
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
	for (unsigned int i = 0; i < st->nr_tasks; i++) {
		struct task_struct *t = fork_task(3000, 3000 + 2 * st->nr_tasks, "ns-task");

		if (!t)
			return -ENOMEM;
		st->tasks[i] = t;
		refcount_inc(&st->boot->count);
		switch_task_namespaces(t, st->boot);
	}
	st->anomalies0 = nsproxy_anomalies();
	st->alone_ns = wl_run_updaters_alone(run, max(run->ms / ALONE_MS_DIV, (uint64_t)20),
					     &st->setns_alone);
	memset(st->cpu, 0, run->ncpus * sizeof(*st->cpu));	/* the alone run's */
	if (st->mode == NSPROXY_TAGGED_PTR) {
		WRITE_ONCE(window_run, run);
		nsproxy_set_reader_window(reader_window);
	}
	st->run_start_ns = ktime_get_ns();
	return 0;
}

static void report(struct wl_run *run, struct ns_state *st)
{
	static uint32_t hist[WL_HIST_BUCKETS];
	uint64_t us = max((ktime_get_ns() - st->run_start_ns) / 1000, (uint64_t)1);
	uint64_t alone_us = max(st->alone_ns / 1000, (uint64_t)1);
	unsigned long long setns = 0, remote = 0, holds = 0, wait = 0;
	char per_setns[24];

	memset(hist, 0, sizeof(hist));
	for (unsigned int i = 0; i < run->ncpus; i++) {
		setns += st->cpu[i].setns;
		remote += st->cpu[i].remote_reads;
		holds += st->cpu[i].holds;
		wait += counter_to_ns(st->cpu[i].wait_ns);
		for (unsigned int b = 0; b < WL_HIST_BUCKETS; b++)
			hist[b] += st->cpu[i].setns_hist[b];
	}
	snprintf(run->headline_keys, sizeof(run->headline_keys),
		 " setns_ps=%llu setns_p50_ns=%llu setns_p99_ns=%llu lock_wait_ns=%llu",
		 setns * 1000000ull / us,
		 (unsigned long long)wl_hist_percentile(hist, setns, 50),
		 (unsigned long long)wl_hist_percentile(hist, setns, 99),
		 holds ? wait / holds : 0);
	snprintf(run->result_keys, sizeof(run->result_keys),
		 " setns_max_ps=%llu remote_per_setns=%s tasks=%u",
		 (unsigned long long)(st->setns_alone * 1000000ull / alone_us),
		 result_fixed(per_setns, sizeof(per_setns), remote, setns, 2), st->nr_tasks);
	printk("%s/%s: seed 003: %llu setns/s (p50 %llu ns, p99 %llu ns; %llu/s alone, unpaced), "
	       "alloc_lock users waited %llu ns per hold\n", run->wl->name, run->mode->name,
	       setns * 1000000ull / us, (unsigned long long)wl_hist_percentile(hist, setns, 50),
	       (unsigned long long)wl_hist_percentile(hist, setns, 99),
	       (unsigned long long)(st->setns_alone * 1000000ull / alone_us),
	       holds ? wait / holds : 0);
}

static void teardown(struct wl_run *run)
{
	struct ns_state *st = run->priv;
	unsigned long anomalies;

	nsproxy_set_reader_window(NULL);
	WRITE_ONCE(window_run, NULL);
	if (!st)
		return;
	if (st->run_start_ns)
		report(run, st);
	for (unsigned int i = 0; st->tasks && i < st->nr_tasks; i++) {
		struct task_struct *t = st->tasks[i];

		if (!t)
			continue;
		switch_task_namespaces(t, NULL);
		exit_task(t);
		put_task_struct(t);
	}
	if (st->boot)
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
	kfree(st->tasks);
	kfree(st->switches);
	kfree(st->cpu);
	kfree(st);
	run->priv = NULL;
}


static const struct workload nsproxy_wl = {
	.name = "nsproxy",
	.seed = "003",
	.modes = ns_modes,
	.nr_modes = ARRAY_SIZE(ns_modes),
	.nr_updaters = nr_updaters,
	.update_hz = SETNS_HZ,
	.update_what = "one setns of a task (with the remote read that makes its fd); 10000/s: "
		       "docker-like namespace switching beside many tasks' allocations",
	.headline = "setns_ps",
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(nsproxy_wl, "nsproxy",
		"seed 003: remote nsproxy readers vs setns: task_lock, tagged pointer, RCU");
