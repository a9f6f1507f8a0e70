// SPDX-License-Identifier: MIT
/*
 * Tasks, credentials and the pid table of the workload object model
 * (see workloads/model.h).
 *
 * The pid table holds one reference on each task it hashes. exit_task()
 * unhashes the task under pidmap_lock and drops that reference through
 * call_rcu(), so a reader that found the task under rcu_read_lock() may
 * still dereference it until its read-side section ends; the final
 * put_task_struct() frees the task after another grace period.
 */
#include "../model.h"
#include <kernel.h>
#include <libc.h>
#include <mm.h>

static DEFINE_SPINLOCK(pidmap_lock);
static struct hash_table pid_hash;	/* chains guarded by pidmap_lock */
static int last_pid;			/* guarded by pidmap_lock */
static unsigned int nr_hashed;		/* guarded by pidmap_lock */

struct cred *prepare_cred(uint32_t uid)
{
	struct cred *c = kzalloc(sizeof(*c));

	if (!c)
		return NULL;
	refcount_set(&c->usage, 1);
	c->uid = c->euid = uid;
	c->gid = c->egid = uid;
	return c;
}

static void cred_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct cred, rcu));
}

void put_cred(const struct cred *cred)
{
	struct cred *c = (struct cred *)cred;

	if (c && refcount_dec_and_test(&c->usage))
		call_rcu(&c->rcu, cred_free_rcu);
}

int pid_table_init(unsigned int buckets)
{
	last_pid = 0;
	nr_hashed = 0;
	return hash_table_init(&pid_hash, buckets);
}

/* Every task must have exited; waits for the pid table's references. */
void pid_table_destroy(void)
{
	BUG_ON(nr_hashed);
	hash_table_free(&pid_hash);
}

static struct hlist_head *pid_bucket(int pid)
{
	return hash_table_bucket(&pid_hash, (uint32_t)pid);
}

struct task_struct *find_task_by_pid_rcu(int pid)
{
	struct task_struct *t;

	hlist_for_each_entry_rcu(t, pid_bucket(pid), pid_link)
		if (READ_ONCE(t->pid) == pid)
			return t;
	return NULL;
}

/* Caller holds pidmap_lock. */
static bool pid_in_use(int pid)
{
	struct task_struct *t;

	hlist_for_each_entry(t, pid_bucket(pid), pid_link)
		if (t->pid == pid)
			return true;
	return false;
}

static void task_free_rcu(struct rcu_head *head)
{
	struct task_struct *t = container_of(head, struct task_struct, rcu);

	put_cred(rcu_dereference_protected(t->cred, 1));
	kfree(t);
}

void put_task_struct(struct task_struct *t)
{
	if (refcount_dec_and_test(&t->usage))
		call_rcu(&t->rcu, task_free_rcu);
}

struct task_struct *fork_task(int pid_min, int pid_max, const char *comm)
{
	struct task_struct *t = kzalloc(sizeof(*t));
	struct cred *cred = prepare_cred(1000);
	int pid = -1;

	if (!t || !cred) {
		kfree(t);
		put_cred(cred);
		return NULL;
	}
	t->magic = TASK_MAGIC;
	refcount_set(&t->usage, 2);	/* the caller's and the pid table's */
	spin_lock_init(&t->alloc_lock);
	seqcount_init(&t->stat_seq);
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	RCU_INIT_POINTER(t->cred, cred);

	spin_lock(&pidmap_lock);
	/* The next pid after the last one given, from pid_min if that was outside the range. */
	int next = last_pid >= pid_min && last_pid < pid_max ? last_pid + 1 - pid_min : 0;

	for (int tries = 0; tries < pid_max - pid_min; tries++) {
		int cand = pid_min + (next + tries) % (pid_max - pid_min);

		if (!pid_in_use(cand)) {
			pid = cand;
			break;
		}
	}
	if (pid >= 0) {
		t->pid = pid;
		last_pid = pid;
		nr_hashed++;
		/* Publishes the initialised task (release in hlist_add_head_rcu). */
		hlist_add_head_rcu(&t->pid_link, pid_bucket(pid));
	}
	spin_unlock(&pidmap_lock);
	if (pid < 0) {
		put_cred(cred);
		RCU_INIT_POINTER(t->cred, NULL);
		kfree(t);
		return NULL;
	}
	return t;
}

static void pid_table_put_rcu(struct rcu_head *head)
{
	put_task_struct(container_of(head, struct task_struct, rcu));
}

void exit_task(struct task_struct *t)
{
	/* Readers that see exit_state set treat the task as gone. */
	WRITE_ONCE(t->exit_state, 1);
	spin_lock(&pidmap_lock);
	hlist_del_rcu(&t->pid_link);
	nr_hashed--;
	spin_unlock(&pidmap_lock);
	/*
	 * The pid table's reference goes after a grace period: until then a
	 * reader may still be looking at the task it found in the hash.
	 * (t->rcu is free for this use: the final free needs it only after
	 * this callback dropped the reference.)
	 */
	call_rcu(&t->rcu, pid_table_put_rcu);
}
