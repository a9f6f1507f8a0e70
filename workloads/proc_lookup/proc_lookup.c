// SPDX-License-Identifier: MIT
/*
 * proc-lookup (seed 000): `ps -fe` on every reader CPU while a few
 * processes fork and exit.
 *
 * Each reader CPU runs ps sweeps, as ps does them: open /proc and read
 * its pids (readdir), then for every pid, in pid order, open and read
 * /proc/<pid>/stat, status and cmdline, each a path walk of three
 * components from the root. One read operation is one step of a sweep
 * (the readdir, or one file), so that the coherence build's lockstep
 * interleaves the readers file by file, as CPUs running at once do. The modes differ in how the walk treats the
 * /proc/<pid> dentries and how it ends:
 *
 *  ref-walk        take a reference (lockref) on every dentry on the way;
 *  rcu-walk-bail   walk under RCU, but pid_revalidate() refuses LOOKUP_RCU
 *                  (-ECHILD), so the walk "unlazies" at /proc with
 *                  lockref_get_not_dead() on the /proc dentry - the line
 *                  every walker writes - and finishes in ref-walk (before);
 *  rcu-walk        pid_revalidate() runs under RCU and the walk stays lazy
 *                  into /proc/<pid>; it ends as Linux's terminate_walk():
 *                  a reference on the final dentry, and the open takes one
 *                  on the task, both dropped at close - lines shared only
 *                  by the readers of that pid at that moment (after);
 *  rcu-walk-ideal  the same walk ending without any reference: the file
 *                  is read inside the RCU section and d_seq validated
 *                  after (what the fix would be if opens took nothing);
 *  rename-churn    the correctness test of the RCU walk's d_seq checks
 *                  (issue 15): the rcu-walk readers, while the updaters
 *                  rename /proc/<pid> directories (d_rename_task(): the
 *                  directory and its files now stand for another pid) and
 *                  remove and re-create them (dentries freed after a grace
 *                  period), flat out; and each walker, now and then,
 *                  renames or removes one of its own directories right
 *                  after finding it, before looking its file up
 *                  (churn_in_window()). A walk whose d_seq checks were
 *                  dropped returns one pid's file for another's path; a
 *                  dentry freed without a grace period is found freed.
 *
 * Opening /proc for the readdir takes its reference in every mode but
 * rcu-walk-ideal (the open file pins it), once per sweep; the readdir
 * finds each pid under RCU in the pid table and pins the task while it
 * emits it (next_tgid()). The files' contents are read under the task's
 * stat_seq: stat the times, status the pid and credentials, cmdline the
 * command (the model's task has no mm to read arguments from).
 *
 * Checks: every file read carries its task's pid (start_time, pid): a
 * read of another pid's task through /proc/<pid> is an error, as are torn
 * statistics and a dentry or task found freed. A pid that exited between
 * the readdir and the open is a miss (-ENOENT), as for ps.
 *
 * The headline: ps sweeps per second per reader CPU, and the share of
 * the sweeps' time spent in the /proc dentry's lockref (timed with the
 * clock around every get and put of that dentry's reference, the clock
 * reads themselves taken out): the seed's perf profile, where that
 * lockref was the top of 97% system time.
 */
#include "../model.h"
#include <cmdline.h>
#include <coherence.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <workload.h>

#define NR_TASKS	64	/* processes ps lists */
#define PID_MIN		1000
#define PID_SPAN	(NR_TASKS + NR_TASKS / 4)	/* pids and names in use or free */
#define WALK_TRIES	4	/* RCU walks retried after a d_seq change, then a miss */
#define CHURN_NAMES	10	/* rename-churn: names per owner, at least 2 (one in 5 free) */
#define WINDOW_EVERY	16	/* rename-churn: a walker renames its directory in 1 walk in this many */

enum walk_kind { REF_WALK, RCU_WALK_BAIL, RCU_WALK, RCU_WALK_IDEAL };
enum proc_file { F_STAT, F_STATUS, F_CMDLINE, NR_FILES };

static const char *const file_names[NR_FILES] = { "stat", "status", "cmdline" };

/*
 * One /proc/<pid> directory and its files as their owner (one updater)
 * keeps them. task == NULL: an empty slot (a fork failed for want of
 * memory), which a later update fills again. In rename-churn the slots
 * are the names PID_MIN + i, dir == NULL a free name.
 */
struct proc_entry {
	struct task_struct *task;
	struct dentry *dir;		/* /proc/<pid> */
	struct dentry *file[NR_FILES];	/* /proc/<pid>/stat, status, cmdline */
};

/* Per reader CPU: where its ps is, and the headline's clock. */
struct ps_cpu {
	int pids[PID_SPAN];		/* what the sweep's readdir returned */
	unsigned int n;			/* how many */
	unsigned int pos;		/* 0: readdir next; k: file k - 1 of the sweep next */
	bool begun;			/* past the first readdir */
	bool partial;			/* the sweep began at a random file: not counted */
	unsigned long sweeps, files;	/* whole sweeps done, files read */
	unsigned long window_renames, window_removes;	/* rename-churn: churn_in_window() */
	uint64_t step_ticks;		/* in read_op(), clock reads included */
	uint64_t lockref_ticks;		/* in the /proc dentry's lockref, the same */
	unsigned long regions;		/* timed lockref regions */
} ____cacheline_aligned;

struct proc_state {
	enum walk_kind kind;
	bool churn;			/* rename-churn */
	bool window;			/* rename-churn with updates: churn_in_window() on */
	struct dentry *root, *proc;
	struct qstr proc_name, file_qstr[NR_FILES];
	const struct dentry_operations *ops;
	/*
	 * Owners: updater o (0 in solo mode) is owner o; in rename-churn
	 * reader CPU r is owner nr_upd_owners + r too (see churn_in_window()).
	 */
	unsigned int nr_owners, nr_upd_owners;
	/* owned[o]: the entries owner o forks, exits, renames; only it touches them. */
	struct proc_entry *owned[NR_CPUS + 1];
	unsigned int nr_owned[NR_CPUS + 1];
	/* rename-churn: the task of each name PID_MIN + i, referenced here. */
	struct task_struct *named[PID_SPAN];
	unsigned int nr_dirs;		/* /proc/<pid> directories made at setup */
	struct ps_cpu *pcpu;		/* ncpus entries */
	unsigned long renames[NR_CPUS + 1], removes[NR_CPUS + 1];	/* per owner */
};

static uint64_t empty_region;		/* clock ticks of an empty timed region */

static int pid_revalidate(struct dentry *d, unsigned int flags);
static int pid_revalidate_no_rcu(struct dentry *d, unsigned int flags);
static int make_dentries(struct proc_state *ps, struct proc_entry *e, int name,
			 struct task_struct *t);
static void drop_dentries(struct proc_entry *e);

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
	{ "ref-walk", "before", false, 1, REF_WALK },
	{ "rcu-walk-bail", "before", false, 1, RCU_WALK_BAIL },
	{ "rcu-walk", "after", false, 1, RCU_WALK },
	{ "rcu-walk-ideal", "also", false, 1, RCU_WALK_IDEAL },
	{ "rename-churn", "also", false, 1, RCU_WALK },	/* RCU walks beside renames */
};

/* ---- the clock around the /proc dentry's lockref ---- */

static uint64_t now(void)
{
	return arch_counter_read();
}

/* Take a reference on d (lockref_get_not_dead), timed when d is /proc. */
static bool pin(struct proc_state *ps, struct ps_cpu *pc, struct dentry *d)
{
	uint64_t t0;
	bool ok;

	if (d != ps->proc)
		return lockref_get_not_dead(&d->d_lockref);
	t0 = now();
	ok = lockref_get_not_dead(&d->d_lockref);
	pc->lockref_ticks += now() - t0;
	pc->regions++;
	return ok;
}

static void unpin(struct proc_state *ps, struct ps_cpu *pc, struct dentry *d)
{
	uint64_t t0;

	if (d != ps->proc) {
		dput(d);
		return;
	}
	t0 = now();
	dput(d);
	pc->lockref_ticks += now() - t0;
	pc->regions++;
}

/*
 * Leaving RCU-walk at d: pin it and check it did not change since its
 * lookup sampled seq (d_seq; a rename or removal since then bumps it).
 * True: pinned, still inside the caller's rcu_read_lock(). False: not
 * pinned, and the RCU read-side section is over.
 */
static bool pin_unchanged(struct proc_state *ps, struct ps_cpu *pc, struct dentry *d,
			  unsigned int seq)
{
	if (!pin(ps, pc, d)) {
		rcu_read_unlock();
		return false;
	}
	if (read_seqcount_retry(&d->d_seq, seq)) {
		rcu_read_unlock();
		unpin(ps, pc, d);
		return false;
	}
	return true;
}

/* ---- reading a file ---- */

/*
 * The updater keeps stime == 2 * utime and start_time == pid: a reader
 * that sees anything else read a torn task, or another pid's.
 */
static void show_file(struct wl_run *run, struct wl_cpu *c, struct task_struct *t, int pid,
		      enum proc_file f)
{
	uint64_t utime, stime, start;
	const struct cred *cred;
	unsigned int seq;
	char comm[16];
	bool ok = true;

	if (!t || READ_ONCE(t->magic) != TASK_MAGIC) {
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
	if (start != (uint64_t)pid || READ_ONCE(t->pid) != pid) {
		wl_error(run, c, "a walk of /proc/<pid> returned another pid's task");
		return;
	}
	switch (f) {
	case F_STAT:
		ok = stime == 2 * utime && comm[0] == 'p';
		break;
	case F_STATUS:
		rcu_read_lock();
		cred = rcu_dereference(t->cred);
		ok = cred && READ_ONCE(cred->uid) == 1000;
		rcu_read_unlock();
		break;
	case F_CMDLINE:
		ok = !memcmp(comm, "ps-worker", 10);
		break;
	default:
		BUG_ON(1);
	}
	if (!ok)
		wl_error(run, c, "inconsistent task statistics");
}

/* ---- the walk ---- */

/* What an open returns: the dentry and task, referenced (or, ideal, under RCU). */
struct open_file {
	struct dentry *d;
	struct task_struct *task;
	unsigned int seq;		/* rcu-walk-ideal: d's d_seq, validated at close */
};

/*
 * Ref-walk from start (referenced by the caller) over names[from..n):
 * each step takes the child's reference and drops the parent's. On
 * success *end is the last dentry, referenced.
 */
static int ref_walk(struct proc_state *ps, struct ps_cpu *pc, struct dentry *start,
		    const struct qstr *const *names, unsigned int from, unsigned int n,
		    struct dentry **end)
{
	struct dentry *d = start;

	for (unsigned int i = from; i < n; i++) {
		struct dentry *child;

		if (d == ps->root) {
			/* The lookup that pins /proc: timed with it. */
			uint64_t t0 = now();

			child = d_lookup(d, names[i]);
			pc->lockref_ticks += now() - t0;
			pc->regions++;
		} else {
			child = d_lookup(d, names[i]);
		}
		if (child && child->d_op && child->d_op->d_revalidate(child, 0) <= 0) {
			unpin(ps, pc, child);
			child = NULL;
		}
		unpin(ps, pc, d);
		if (!child)
			return -ENOENT;
		d = child;
	}
	*end = d;
	return 0;
}

/* A random slot of e[0..n) with (dir != NULL) == used, or -1: none. */
static int find_slot(const struct proc_entry *e, unsigned int n, bool used, uint32_t r)
{
	for (unsigned int k = 0; k < n; k++) {
		unsigned int i = (r + k) % n;

		if (!!e[i].dir == used)
			return (int)i;
	}
	return -1;
}

/* Rename e[from]'s directory to e[to]'s free name. Caller: their owner. */
static void churn_rename(struct proc_entry *e, int from, int to)
{
	struct task_struct *t = e[to].task;
	char buf[12];

	snprintf(buf, sizeof(buf), "%d", t->pid);
	d_rename_task(e[from].dir, buf, t);
	memcpy(e[to].file, e[from].file, sizeof(e[to].file));
	e[to].dir = e[from].dir;
	e[from].dir = NULL;
}

/*
 * rename-churn, in 1 walk in WINDOW_EVERY: the walker has found the
 * directory d and is about to look its file up; if d is one of this
 * CPU's own, rename it now, or remove it (freed after a grace period)
 * and make it again under a free name, as an updater would if this CPU
 * were interrupted here (a vCPU the host preempts is, but seldom at this
 * point), so that the window the d_seq check closes, and the lifetime
 * rule the walk relies on (d stays allocated until the walker's RCU
 * section ends), are met on every run, on one CPU too; the other walkers
 * meet these changes as they meet the updaters'. Caller holds
 * rcu_read_lock(): d's memory is valid; d_task may be stale, so only a d
 * still in the slot it names is changed.
 */
static void churn_in_window(struct proc_state *ps, struct wl_cpu *c, struct ps_cpu *pc,
			    struct dentry *d)
{
	unsigned int me = ps->nr_upd_owners + c->cpu;
	struct task_struct *t = READ_ONCE(d->d_task);
	unsigned int i, o, k;
	struct proc_entry *e;
	int to;

	if (!t || READ_ONCE(t->pid) < PID_MIN || READ_ONCE(t->pid) >= PID_MIN + PID_SPAN)
		return;
	i = (unsigned int)(READ_ONCE(t->pid) - PID_MIN);	/* the name d stands for */
	o = i % ps->nr_owners;
	k = i / ps->nr_owners;				/* its slot, as setup_churn() made them */
	if (o != me || k >= ps->nr_owned[o])
		return;
	e = ps->owned[o];
	if (e[k].dir != d)
		return;
	to = find_slot(e, ps->nr_owned[o], false, torture_random(&c->rnd));
	if (to >= 0 && torture_random(&c->rnd) % 2) {
		churn_rename(e, (int)k, to);
		pc->window_renames++;
		return;
	}
	drop_dentries(&e[k]);
	pc->window_removes++;
	if (to < 0)
		to = (int)k;
	if (make_dentries(ps, &e[to], e[to].task->pid, e[to].task))
		c->misses++;	/* out of memory: the name stays free */
}

/*
 * One RCU walk of names[0..n) from the root. 0: *f is open (references
 * held, out of the RCU section; rcu-walk-ideal: no references, still in
 * it); -ENOENT: a name is not there (or its process is gone); -EAGAIN: a
 * dentry changed under the walk (d_seq), the caller walks again.
 */
static int rcu_walk(struct wl_run *run, struct wl_cpu *c, struct proc_state *ps,
		    struct ps_cpu *pc, const struct qstr *const *names, unsigned int n,
		    struct open_file *f)
{
	struct task_struct *task;
	struct dentry *d, *end;
	unsigned int seq, i;
	int err;

	rcu_read_lock();
	d = ps->root;
	seq = read_seqcount_begin(&d->d_seq);
	for (i = 0; i < n; i++) {
		struct dentry *child;
		unsigned int cseq;
		int valid = 1;

		if (ps->window && i == 2 && torture_random(&c->rnd) % WINDOW_EVERY == 0)
			churn_in_window(ps, c, pc, d);
		child = d_lookup_rcu(d, names[i], &cseq);
		/*
		 * d is allocated until this RCU section ends, even if it was
		 * removed since its lookup (dentries are freed after a grace
		 * period): pairs with the call_rcu() in dput().
		 */
		if (READ_ONCE(d->magic) != DENTRY_MAGIC) {
			rcu_read_unlock();
			wl_error(run, c, "RCU walk stood on a freed dentry");
			return -ENOENT;
		}

		/*
		 * d kept its name and place from its own lookup until after its
		 * child's: pairs with the write sections of d_drop() and
		 * d_rename_task(), which change d's children inside them.
		 */
		if (read_seqcount_retry(&d->d_seq, seq))
			goto changed;
		if (!child) {
			rcu_read_unlock();
			return -ENOENT;
		}
		if (READ_ONCE(child->magic) != DENTRY_MAGIC) {
			rcu_read_unlock();
			wl_error(run, c, "RCU walk reached a freed dentry");
			return -ENOENT;
		}
		if (child->d_op)
			valid = child->d_op->d_revalidate(child, LOOKUP_RCU);
		if (valid == -ECHILD)
			goto unlazy;	/* pid_revalidate refused RCU: drop to ref-walk here */
		if (valid <= 0) {
			rcu_read_unlock();
			return -ENOENT;
		}
		d = child;
		seq = cseq;
	}
	/* The task this name stands for, validated with d below. */
	task = READ_ONCE(d->d_task);
	if (ps->kind == RCU_WALK_IDEAL) {
		*f = (struct open_file){ .d = d, .task = task, .seq = seq };
		return 0;
	}
	/*
	 * terminate_walk(): pin the final dentry and check that it did not
	 * change since its lookup (d_seq, as above): then task is the one d
	 * stands for. The open pins the task too: its memory is valid (RCU)
	 * and its count above zero, held by d (or, rename-churn, by the
	 * table of named tasks), so a plain get is safe.
	 */
	if (!pin_unchanged(ps, pc, d, seq))
		return -EAGAIN;
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	*f = (struct open_file){ .d = d, .task = task };
	return 0;

changed:
	rcu_read_unlock();
	return -EAGAIN;

unlazy:
	/*
	 * Leave RCU-walk: pin the dentry reached so far (for the seed's
	 * "before" this is /proc, the one every walker pins), check nothing
	 * changed since we sampled it, and continue in ref-walk.
	 */
	if (!pin_unchanged(ps, pc, d, seq))
		return -EAGAIN;
	rcu_read_unlock();
	err = ref_walk(ps, pc, d, names, i, n, &end);
	if (err)
		return err;
	task = READ_ONCE(end->d_task);
	if (task)
		get_task_struct(task);
	*f = (struct open_file){ .d = end, .task = task };
	return 0;
}

/* Open names[0..n) in the run's mode. 0 or -ENOENT (a miss). */
static int path_open(struct wl_run *run, struct wl_cpu *c, struct proc_state *ps,
		     struct ps_cpu *pc, const struct qstr *const *names, unsigned int n,
		     struct open_file *f)
{
	struct dentry *end;
	int err = -EAGAIN;

	if (ps->kind == REF_WALK) {
		lockref_get(&ps->root->d_lockref);
		err = ref_walk(ps, pc, ps->root, names, 0, n, &end);
		if (err)
			return err;
		*f = (struct open_file){ .d = end, .task = READ_ONCE(end->d_task) };
		if (f->task)
			get_task_struct(f->task);
		return 0;
	}
	for (unsigned int tries = 0; err == -EAGAIN && tries < WALK_TRIES; tries++)
		err = rcu_walk(run, c, ps, pc, names, n, f);
	return err == -EAGAIN ? -ENOENT : err;
}

/* Close what path_open() opened. False: rcu-walk-ideal's d changed, the read is void. */
static bool path_close(struct proc_state *ps, struct ps_cpu *pc, struct open_file *f)
{
	if (ps->kind == RCU_WALK_IDEAL) {
		bool ok = !read_seqcount_retry(&f->d->d_seq, f->seq);

		rcu_read_unlock();
		return ok;
	}
	if (f->task)
		put_task_struct(f->task);
	unpin(ps, pc, f->d);
	return true;
}

static void pid_name(struct qstr *q, int pid)
{
	char buf[12];

	snprintf(buf, sizeof(buf), "%d", pid);
	qstr_init(q, buf);
}

/*
 * opendir("/proc"), getdents, closedir: the pids of live tasks in pid
 * order, each found under RCU and pinned while it is emitted, as Linux's
 * next_tgid() does. Returns how many went into pc->pids.
 */
static unsigned int proc_readdir(struct wl_run *run, struct wl_cpu *c, struct proc_state *ps,
				 struct ps_cpu *pc)
{
	const struct qstr *names[1] = { &ps->proc_name };
	struct open_file dir;
	unsigned int n = 0;

	if (path_open(run, c, ps, pc, names, 1, &dir)) {
		c->misses++;
		return 0;
	}
	for (int pid = PID_MIN; pid < PID_MIN + PID_SPAN; pid++) {
		struct task_struct *t;

		if (ps->kind != RCU_WALK_IDEAL)
			rcu_read_lock();
		t = find_task_by_pid_rcu(pid);
		if (t && task_alive(t)) {
			if (ps->kind != RCU_WALK_IDEAL)
				get_task_struct(t);	/* alive: the pid table holds it */
			pc->pids[n++] = pid;
			if (ps->kind != RCU_WALK_IDEAL)
				put_task_struct(t);
		}
		if (ps->kind != RCU_WALK_IDEAL)
			rcu_read_unlock();
	}
	path_close(ps, pc, &dir);
	return n;
}

/*
 * One step of this CPU's `ps -fe`: the readdir that starts a sweep, or
 * the next file of it (open, read, close). A CPU's first sweep starts at
 * a random file, as a ps started earlier would be, so that readers are
 * not all at the same pid at once (the seed's 128 ps are not either);
 * it is not counted as a sweep.
 */
static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	struct proc_state *ps = run->priv;
	struct ps_cpu *pc = &ps->pcpu[c->cpu];
	uint64_t t0 = now();
	const struct qstr *names[3];
	struct open_file file;
	struct qstr pidq;
	unsigned int i, f;

	if (!pc->pos) {
		pc->n = proc_readdir(run, c, ps, pc);
		pc->pos = pc->n ? 1 : 0;
		if (!pc->begun && pc->n) {
			pc->begun = true;
			pc->partial = true;
			pc->pos = 1 + torture_random(&c->rnd) % (NR_FILES * pc->n);
		}
		goto out;
	}
	i = (pc->pos - 1) / NR_FILES;
	f = (pc->pos - 1) % NR_FILES;
	if (++pc->pos > NR_FILES * pc->n) {
		pc->pos = 0;
		pc->sweeps += !pc->partial;
		pc->partial = false;
	}
	pid_name(&pidq, pc->pids[i]);
	names[0] = &ps->proc_name;
	names[1] = &pidq;
	names[2] = &ps->file_qstr[f];
	if (path_open(run, c, ps, pc, names, 3, &file)) {
		c->misses++;	/* the process exited since the readdir */
		goto out;
	}
	show_file(run, c, file.task, pc->pids[i], (enum proc_file)f);
	if (!path_close(ps, pc, &file))
		c->misses++;
	pc->files++;
out:
	pc->step_ticks += now() - t0;
}

/* ---- forking, exiting, renaming ---- */

/* Make /proc/<name> and its files for task. -ENOMEM undoes it all. */
static int make_dentries(struct proc_state *ps, struct proc_entry *e, int name,
			 struct task_struct *t)
{
	bool made;
	char buf[12];

	snprintf(buf, sizeof(buf), "%d", name);
	e->dir = d_alloc(ps->proc, buf, ps->ops, t);
	made = e->dir;
	for (unsigned int f = 0; f < NR_FILES; f++) {
		e->file[f] = made ? d_alloc(e->dir, file_names[f], ps->ops, t) : NULL;
		made = made && e->file[f];
	}
	if (made)
		return 0;
	for (unsigned int f = 0; f < NR_FILES; f++) {
		if (e->file[f]) {
			d_drop(e->file[f]);
			dput(e->file[f]);
		}
		e->file[f] = NULL;
	}
	if (e->dir) {
		d_drop(e->dir);
		dput(e->dir);
	}
	e->dir = NULL;
	return -ENOMEM;
}

/* Unhash and drop /proc/<name> and its files: freed after a grace period. */
static void drop_dentries(struct proc_entry *e)
{
	for (unsigned int f = 0; f < NR_FILES; f++) {
		d_drop(e->file[f]);
		dput(e->file[f]);
		e->file[f] = NULL;
	}
	d_drop(e->dir);
	dput(e->dir);
	e->dir = NULL;
}

static int add_process(struct proc_state *ps, struct proc_entry *e)
{
	struct task_struct *t = fork_task(PID_MIN, PID_MIN + PID_SPAN, "ps-worker");

	if (!t)
		return -ENOMEM;
	write_seqcount_begin(&t->stat_seq);
	t->start_time = (uint64_t)t->pid;
	t->utime = 1;
	t->stime = 2;
	write_seqcount_end(&t->stat_seq);
	if (make_dentries(ps, e, t->pid, t)) {
		exit_task(t);
		put_task_struct(t);
		return -ENOMEM;
	}
	e->task = t;
	return 0;
}

static void remove_process(struct proc_entry *e)
{
	exit_task(e->task);
	drop_dentries(e);
	put_task_struct(e->task);
	e->task = NULL;
}

static unsigned int owner_of(const struct wl_run *run, const struct wl_cpu *c)
{
	return c->updater ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
}

/*
 * rename-churn: rename one of the owner's directories to one of its
 * free names (7 times in 8), or remove one and make it again under a
 * free name (or its own, with none free). The owner's entries are the
 * names i with i % nr_owners == owner.
 */
static void churn_op(struct wl_cpu *c, struct proc_state *ps, unsigned int owner)
{
	struct proc_entry *e = ps->owned[owner];
	unsigned int n = ps->nr_owned[owner];
	int from, to;

	from = find_slot(e, n, true, torture_random(&c->rnd));
	to = find_slot(e, n, false, torture_random(&c->rnd));
	if (from >= 0 && to >= 0 && torture_random(&c->rnd) % 8) {
		churn_rename(e, from, to);
		ps->renames[owner]++;
		return;
	}
	if (from >= 0) {
		drop_dentries(&e[from]);
		ps->removes[owner]++;
		if (to < 0)
			to = from;
	}
	if (to >= 0 && make_dentries(ps, &e[to], e[to].task->pid, e[to].task))
		c->misses++;	/* out of memory: the name stays free */
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	struct proc_state *ps = run->priv;
	unsigned int owner = owner_of(run, c);
	unsigned int n = ps->nr_owned[owner];
	struct proc_entry *e;
	struct task_struct *t;

	if (!n)
		return;
	if (ps->churn) {
		churn_op(c, ps, owner);
		return;
	}
	/* One process exits and another is forked in its place. */
	e = &ps->owned[owner][torture_random(&c->rnd) % n];
	if (e->task)
		remove_process(e);
	if (add_process(ps, e))
		c->misses++;	/* out of memory: the slot stays empty for now */
	/* And one of the owner's processes ran: new statistics, under its seqcount. */
	t = ps->owned[owner][torture_random(&c->rnd) % n].task;
	if (!t)
		return;
	task_lock(t);
	write_seqcount_begin(&t->stat_seq);
	t->utime++;
	t->stime = 2 * t->utime;
	write_seqcount_end(&t->stat_seq);
	task_unlock(t);
}

/* ---- setup and teardown ---- */

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 4 ? ncpus / 4 : 1;
}

/*
 * rename-churn: one task per name; each owner gets the names i with
 * i % nr_owners == owner, one in 5 free. Few names, so that each
 * directory is renamed often while walkers are in it.
 */
static int setup_churn(struct proc_state *ps)
{
	unsigned int nr_names = min(CHURN_NAMES * ps->nr_owners, (unsigned int)PID_SPAN);

	for (unsigned int i = 0; i < nr_names; i++) {
		struct task_struct *t = fork_task(PID_MIN, PID_MIN + PID_SPAN, "ps-worker");

		if (!t)
			return -ENOMEM;
		BUG_ON(t->pid < PID_MIN || t->pid >= PID_MIN + PID_SPAN || ps->named[t->pid - PID_MIN]);
		ps->named[t->pid - PID_MIN] = t;
		write_seqcount_begin(&t->stat_seq);
		t->start_time = (uint64_t)t->pid;
		t->utime = 1;
		t->stime = 2;
		write_seqcount_end(&t->stat_seq);
	}
	for (unsigned int i = 0; i < nr_names; i++) {
		unsigned int o = i % ps->nr_owners;
		struct proc_entry *e = &ps->owned[o][ps->nr_owned[o]++];

		e->task = ps->named[i];
		if (i / ps->nr_owners % 5 == 4)
			continue;
		if (make_dentries(ps, e, e->task->pid, e->task))
			return -ENOMEM;
		ps->nr_dirs++;
	}
	return 0;
}

static int setup(struct wl_run *run)
{
	struct proc_state *ps = kzalloc(sizeof(*ps));
	int err;

	if (!ps)
		return -ENOMEM;
	run->priv = ps;
	ps->churn = wl_mode_is(run, "rename-churn");
	ps->window = ps->churn && !run->readonly;	/* readonly=1: nobody renames */
	ps->kind = run->mode->id;
	ps->ops = ps->kind == RCU_WALK_BAIL ? &pid_dentry_ops_no_rcu : &pid_dentry_ops;
	/* The race wants renames back to back, unless update_hz= says otherwise. */
	if (ps->churn && run->update_hz && !cmdline_get("update_hz"))
		run->update_hz = WL_UNPACED;
	qstr_init(&ps->proc_name, "proc");
	for (unsigned int f = 0; f < NR_FILES; f++)
		qstr_init(&ps->file_qstr[f], file_names[f]);
	ps->nr_upd_owners = max(run->nr_updaters, 1u);
	ps->nr_owners = ps->nr_upd_owners + (ps->churn ? run->ncpus - run->nr_updaters : 0);
	empty_region = counter_empty_region();
	err = pid_table_init(256);
	if (!err)
		err = dcache_init(1024);
	if (err)
		goto fail;
	err = -ENOMEM;
	ps->pcpu = kzalloc(run->ncpus * sizeof(*ps->pcpu));
	ps->root = d_alloc(NULL, "/", NULL, NULL);
	ps->proc = ps->root ? d_alloc(ps->root, "proc", NULL, NULL) : NULL;
	if (!ps->proc || !ps->pcpu)
		goto fail;
	for (unsigned int o = 0; o < ps->nr_owners; o++) {
		ps->owned[o] = kzalloc(PID_SPAN * sizeof(struct proc_entry));
		if (!ps->owned[o])
			goto fail;
	}
	if (ps->churn)
		return setup_churn(ps);
	for (unsigned int i = 0; i < NR_TASKS; i++) {
		unsigned int o = i % ps->nr_upd_owners;

		if (add_process(ps, &ps->owned[o][ps->nr_owned[o]]))
			goto fail;
		ps->nr_owned[o]++;
		ps->nr_dirs++;
	}
	return 0;
fail:
	return err;	/* the harness calls teardown(), which frees the rest */
}

/* The headline: sweeps/s per reader, the /proc lockref's share of their time. */
static void account(struct wl_run *run, struct proc_state *ps)
{
	unsigned int readers = max(run->ncpus - run->nr_updaters, 1u);
	uint64_t ns = max(run->stop_ns - run->start_ns, (uint64_t)1);
	uint64_t sweep = 0, lockref = 0, clock;
	unsigned long long sweeps = 0, files = 0, regions = 0, renames = 0, removes = 0, window = 0;
	unsigned long long wremoves = 0;
	unsigned long long per_cpu;
	char pct[24];

	for (unsigned int i = 0; i < run->ncpus; i++) {
		const struct ps_cpu *pc = &ps->pcpu[i];

		sweeps += pc->sweeps;
		files += pc->files;
		regions += pc->regions;
		sweep += pc->step_ticks;
		lockref += pc->lockref_ticks;
		window += pc->window_renames;
		wremoves += pc->window_removes;
	}
	for (unsigned int o = 0; o <= NR_CPUS; o++) {
		renames += ps->renames[o];
		removes += ps->removes[o];
	}
	/* The clock reads of the lockref regions are inside both sums: out of both. */
	clock = regions * empty_region;
	sweep -= min(clock, sweep);
	lockref -= min(clock, lockref);
	result_fixed(pct, sizeof(pct), lockref * 100, sweep, 1);
	per_cpu = sweeps * NSEC_PER_MSEC * 1000 / ns / readers;
	snprintf(run->headline_keys, sizeof(run->headline_keys),
		 " ps_sweeps_ps_per_cpu=%llu proc_lockref_pct=%s files_ps=%llu",
		 per_cpu, pct, files * NSEC_PER_MSEC * 1000 / ns);
	snprintf(run->result_keys, sizeof(run->result_keys),
		 " sweeps=%llu procs=%u renames=%llu removes=%llu window_renames=%llu"
		 " window_removes=%llu", sweeps, ps->nr_dirs, renames, removes, window, wremoves);
	printk("%s/%s: %llu ps -fe sweeps/s per CPU (%u readers), %s%% of their time in "
	       "the /proc dentry's lockref (seed 000: 97%% sys before, 85%% after, ps x3-4)\n",
	       run->wl->name, run->mode->name, per_cpu, readers, pct);
	if (COHERENCE_ENABLED)
		printk("%s/%s: the /proc dentry's lockref is on line 0x%lx\n", run->wl->name,
		       run->mode->name, (unsigned long)&ps->proc->d_lockref & ~63ul);
}

static void teardown(struct wl_run *run)
{
	struct proc_state *ps = run->priv;

	if (!ps)
		return;
	if (ps->pcpu && ps->proc && run->start_ns)
		account(run, ps);
	for (unsigned int o = 0; o <= NR_CPUS; o++) {
		for (unsigned int i = 0; i < ps->nr_owned[o]; i++) {
			struct proc_entry *e = &ps->owned[o][i];

			if (ps->churn && e->dir)
				drop_dentries(e);
			else if (!ps->churn && e->task)
				remove_process(e);
		}
		kfree(ps->owned[o]);
	}
	for (unsigned int i = 0; i < PID_SPAN; i++) {
		if (ps->named[i]) {
			exit_task(ps->named[i]);
			put_task_struct(ps->named[i]);
		}
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
	kfree(ps->pcpu);
	kfree(ps);
	run->priv = NULL;
}

static const struct workload proc_lookup = {
	.name = "proc-lookup",
	.seed = "000",
	.modes = proc_modes,
	.nr_modes = ARRAY_SIZE(proc_modes),
	.nr_updaters = nr_updaters,
	.update_hz = 100,
	.update_what = "one process exits and another is forked (its /proc entries with it); "
		       "100/s: a stable process set beside the ps loops (the seed gives no rate); "
		       "rename-churn renames flat out unless update_hz= is given",
	.headline = "ps_sweeps_ps_per_cpu",
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(proc_lookup, "proc-lookup",
		"seed 000: ps -fe over /proc/<pid>/{stat,status,cmdline}, ref-walk vs RCU-walk");
