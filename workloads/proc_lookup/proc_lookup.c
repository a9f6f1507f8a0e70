// SPDX-License-Identifier: MIT
/*
 * proc-lookup (seed 000): `ps -fe` on every CPU while tasks fork and exit.
 *
 * A reader walks /proc/<pid>/stat component by component and reads the
 * task's statistics, the way ps does for each process. The three modes
 * differ only in how the walk treats the /proc/<pid> dentries:
 *
 *  ref-walk       take a reference (lockref) on every dentry on the way;
 *  rcu-walk-bail  walk under RCU, but pid_revalidate() refuses LOOKUP_RCU
 *                 (-ECHILD), so the walk "unlazies" at /proc with
 *                 lockref_get_not_dead() on the /proc dentry - the one
 *                 every CPU hits - and finishes in ref-walk (before);
 *  rcu-walk       pid_revalidate() runs under RCU: it checks the task is
 *                 alive without references, and the whole walk and the
 *                 read stay lock-free (after).
 *
 * Updaters own a share of the tasks: they exit one and fork a new one, or
 * publish new statistics for one (under its stat_seq), so readers meet
 * dying tasks and changing fields. A walk that meets a dead task fails
 * with -ENOENT and is counted as a miss; a reader that sees freed memory
 * or torn statistics counts an error.
 */
#include "../model.h"
#include <kernel.h>
#include <libc.h>
#include <mm.h>
#include <workload.h>

#define NR_TASKS	64
#define PID_MIN		1000
#define PID_SPAN	(NR_TASKS + NR_TASKS / 4)
#define MAX_TASKS_PER_UPDATER NR_TASKS

enum walk_kind { REF_WALK, RCU_WALK_BAIL, RCU_WALK };

/*
 * One process as the updaters own it: the task and its /proc entries.
 * task == NULL: an empty slot (a fork failed for want of memory), which
 * a later update forks into again.
 */
struct proc_entry {
	struct task_struct *task;
	struct dentry *dir;		/* /proc/<pid> */
	struct dentry *stat;		/* /proc/<pid>/stat */
};

struct proc_state {
	enum walk_kind kind;
	struct dentry *root, *proc;
	struct qstr proc_name, stat_name;
	unsigned int nr_owners;		/* updater CPUs (1 in solo mode) */
	/* owned[i]: the entries updater i forks and exits; only it touches them. */
	struct proc_entry *owned[NR_CPUS];
	unsigned int nr_owned[NR_CPUS];
	unsigned long forks, exits;
};

static int pid_revalidate(struct dentry *d, unsigned int flags);
static int pid_revalidate_no_rcu(struct dentry *d, unsigned int flags);

static const struct dentry_operations pid_dentry_ops = {
	.d_revalidate = pid_revalidate,
};
/* Before the fix: pid_revalidate bails out of RCU-walk. */
static const struct dentry_operations pid_dentry_ops_no_rcu = {
	.d_revalidate = pid_revalidate_no_rcu,
};

/*
 * Is the task behind a /proc/<pid> dentry still alive? Under LOOKUP_RCU
 * the caller holds rcu_read_lock() and no reference: the task may be
 * exiting, but its memory stays valid until the read-side section ends
 * (tasks are freed after a grace period). Reads the task's credentials
 * the way Linux's pid_update_inode() does, through rcu_dereference().
 */
static int pid_revalidate(struct dentry *d, unsigned int flags)
{
	struct task_struct *task = READ_ONCE(d->d_task);
	const struct cred *cred;

	(void)flags;
	if (!task || !task_alive(task))
		return 0;
	cred = rcu_dereference_check(task->cred, 1);
	return cred && READ_ONCE(cred->uid) != (uint32_t)-1;
}

static int pid_revalidate_no_rcu(struct dentry *d, unsigned int flags)
{
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	return pid_revalidate(d, flags);
}

static const struct wl_mode proc_modes[] = {
	{ "ref-walk", "before", false, 1 },
	{ "rcu-walk-bail", "before", false, 1 },
	{ "rcu-walk", "after", false, 1 },
};

/* ---- reading one task's statistics ---- */

/*
 * The updater keeps stime == 2 * utime and start_time == pid: a reader
 * that sees anything else read a torn or freed task.
 */
static void read_stat(struct wl_run *run, struct wl_cpu *c, struct task_struct *t, int pid)
{
	uint64_t utime, stime, start;
	unsigned int seq;
	char comm[16];

	if (READ_ONCE(t->magic) != TASK_MAGIC) {
		wl_error(run, c, "read a task that was already freed");
		return;
	}
	do {
		seq = read_seqcount_begin(&t->stat_seq);
		utime = READ_ONCE(t->utime);
		stime = READ_ONCE(t->stime);
		start = READ_ONCE(t->start_time);
		memcpy(comm, t->comm, sizeof(comm));
	} while (read_seqcount_retry(&t->stat_seq, seq));
	if (stime != 2 * utime || start != (uint64_t)pid || comm[0] != 'p')
		wl_error(run, c, "inconsistent task statistics");
}

/* ---- the walk ---- */

static void pid_name(struct qstr *q, int pid)
{
	char buf[12];

	snprintf(buf, sizeof(buf), "%d", pid);
	qstr_init(q, buf);
}

/*
 * Ref-walk from start (referenced by the caller) over names[from..n):
 * each step takes the child's reference and drops the parent's. On
 * success *end is the last dentry, referenced.
 */
static int ref_walk(struct dentry *start, const struct qstr *const *names,
		    unsigned int from, unsigned int n, struct dentry **end)
{
	struct dentry *d = start;

	for (unsigned int i = from; i < n; i++) {
		struct dentry *child = d_lookup(d, names[i]);

		if (child && child->d_op && child->d_op->d_revalidate(child, 0) <= 0) {
			dput(child);
			child = NULL;
		}
		dput(d);
		if (!child)
			return -ENOENT;
		d = child;
	}
	*end = d;
	return 0;
}

static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	struct proc_state *ps = run->priv;
	int pid = PID_MIN + (int)(torture_random(&c->rnd) % PID_SPAN);
	const struct qstr *names[3];
	struct qstr pidq;
	struct dentry *d, *end;
	unsigned int seq, i;
	int err;

	pid_name(&pidq, pid);
	names[0] = &ps->proc_name;
	names[1] = &pidq;
	names[2] = &ps->stat_name;

	if (ps->kind == REF_WALK) {
		lockref_get(&ps->root->d_lockref);
		err = ref_walk(ps->root, names, 0, 3, &end);
		goto ref_done;
	}

	rcu_read_lock();
	d = ps->root;
	seq = read_seqcount_begin(&d->d_seq);
	for (i = 0; i < 3; i++) {
		unsigned int cseq;
		struct dentry *child = d_lookup_rcu(d, names[i], &cseq);
		int valid = 1;

		if (read_seqcount_retry(&d->d_seq, seq))
			goto unlazy;	/* d changed under us: redo in ref-walk */
		if (!child) {
			rcu_read_unlock();
			c->misses++;
			return;
		}
		if (READ_ONCE(child->magic) != DENTRY_MAGIC) {
			rcu_read_unlock();
			wl_error(run, c, "RCU walk reached a freed dentry");
			return;
		}
		if (child->d_op)
			valid = child->d_op->d_revalidate(child, LOOKUP_RCU);
		if (valid == -ECHILD)
			goto unlazy;	/* pid_revalidate refused RCU: drop to ref-walk here */
		if (valid <= 0) {
			rcu_read_unlock();
			c->misses++;
			return;
		}
		d = child;
		seq = cseq;
	}
	/* The whole walk stayed under RCU: read without taking anything. */
	read_stat(run, c, d->d_task, pid);
	if (read_seqcount_retry(&d->d_seq, seq))
		c->misses++;	/* unhashed meanwhile: the task exited */
	rcu_read_unlock();
	return;

unlazy:
	/*
	 * Leave RCU-walk: pin the dentry reached so far (for the seed's
	 * "before" this is /proc, the one every walker pins), check nothing
	 * changed since we sampled it, and continue in ref-walk.
	 */
	if (!lockref_get_not_dead(&d->d_lockref)) {
		rcu_read_unlock();
		c->misses++;
		return;
	}
	if (read_seqcount_retry(&d->d_seq, seq)) {
		rcu_read_unlock();
		dput(d);
		c->misses++;
		return;
	}
	rcu_read_unlock();
	err = ref_walk(d, names, i, 3, &end);
ref_done:
	if (err) {
		c->misses++;
		return;
	}
	read_stat(run, c, end->d_task, pid);
	dput(end);
}

/* ---- forking and exiting ---- */

static int add_process(struct proc_state *ps, struct proc_entry *e)
{
	const struct dentry_operations *ops =
		ps->kind == RCU_WALK_BAIL ? &pid_dentry_ops_no_rcu : &pid_dentry_ops;
	struct task_struct *t = fork_task(PID_MIN, PID_MIN + PID_SPAN, "ps-worker");
	char name[12];

	if (!t)
		return -ENOMEM;
	write_seqcount_begin(&t->stat_seq);
	t->comm[0] = 'p';
	t->start_time = (uint64_t)t->pid;
	t->utime = 1;
	t->stime = 2;
	write_seqcount_end(&t->stat_seq);
	snprintf(name, sizeof(name), "%d", t->pid);
	e->task = t;
	e->dir = d_alloc(ps->proc, name, ops, t);
	e->stat = e->dir ? d_alloc(e->dir, "stat", ops, t) : NULL;
	if (!e->stat) {
		if (e->dir) {
			d_drop(e->dir);
			dput(e->dir);
		}
		exit_task(t);
		put_task_struct(t);
		e->task = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void remove_process(struct proc_entry *e)
{
	exit_task(e->task);
	d_drop(e->stat);
	dput(e->stat);
	d_drop(e->dir);
	dput(e->dir);
	put_task_struct(e->task);
	e->task = NULL;
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	struct proc_state *ps = run->priv;
	unsigned int owner = c->updater ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
	unsigned int n = ps->nr_owned[owner];
	struct proc_entry *e;

	if (!n)
		return;
	e = &ps->owned[owner][torture_random(&c->rnd) % n];
	if (!e->task) {
		if (add_process(ps, e))
			c->misses++;
		return;
	}
	if (torture_random(&c->rnd) % 4) {
		/* New statistics, published under the task's seqcount. */
		struct task_struct *t = e->task;

		task_lock(t);
		write_seqcount_begin(&t->stat_seq);
		t->utime++;
		t->stime = 2 * t->utime;
		write_seqcount_end(&t->stat_seq);
		task_unlock(t);
		return;
	}
	remove_process(e);
	if (add_process(ps, e))
		c->misses++;	/* out of memory: the slot stays empty for now */
}

/* ---- setup and teardown ---- */

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 4 ? ncpus / 4 : 1;
}

static int setup(struct wl_run *run)
{
	struct proc_state *ps = kzalloc(sizeof(*ps));
	int err;

	if (!ps)
		return -ENOMEM;
	run->priv = ps;
	ps->kind = wl_mode_is(run, "ref-walk") ? REF_WALK :
		   wl_mode_is(run, "rcu-walk-bail") ? RCU_WALK_BAIL : RCU_WALK;
	qstr_init(&ps->proc_name, "proc");
	qstr_init(&ps->stat_name, "stat");
	ps->nr_owners = max(run->nr_updaters, 1u);
	err = pid_table_init(256);
	if (!err)
		err = dcache_init(1024);
	if (err)
		goto fail;
	err = -ENOMEM;
	ps->root = d_alloc(NULL, "/", NULL, NULL);
	ps->proc = ps->root ? d_alloc(ps->root, "proc", NULL, NULL) : NULL;
	if (!ps->proc)
		goto fail;
	for (unsigned int o = 0; o < ps->nr_owners; o++) {
		ps->owned[o] = kzalloc(MAX_TASKS_PER_UPDATER * sizeof(struct proc_entry));
		if (!ps->owned[o])
			goto fail;
	}
	for (unsigned int i = 0; i < NR_TASKS; i++) {
		unsigned int o = i % ps->nr_owners;

		if (add_process(ps, &ps->owned[o][ps->nr_owned[o]]))
			goto fail;
		ps->nr_owned[o]++;
	}
	return 0;
fail:
	return err;	/* the harness calls teardown(), which frees the rest */
}

static void teardown(struct wl_run *run)
{
	struct proc_state *ps = run->priv;

	if (!ps)
		return;
	for (unsigned int o = 0; o < NR_CPUS; o++) {
		for (unsigned int i = 0; i < ps->nr_owned[o]; i++)
			if (ps->owned[o][i].task)
				remove_process(&ps->owned[o][i]);
		kfree(ps->owned[o]);
	}
	if (ps->proc) {
		d_drop(ps->proc);
		dput(ps->proc);
	}
	if (ps->root)
		dput(ps->root);
	/* Pending RCU callbacks free tasks and dentries, never the tables. */
	dcache_destroy();
	pid_table_destroy();
	kfree(ps);
	run->priv = NULL;
}

static const struct workload proc_lookup = {
	.name = "proc-lookup",
	.seed = "000",
	.modes = proc_modes,
	.nr_modes = ARRAY_SIZE(proc_modes),
	.nr_updaters = nr_updaters,
	.update_hz = 2000,
	.update_what = "one fork or exit of a task; 2000/s: a busy machine's process churn beside 128 ps -fe (the seed gives no rate), held at 8 CPUs here",
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(proc_lookup, "proc-lookup",
		"seed 000: /proc/<pid>/stat walks, ref-walk vs RCU-walk");
