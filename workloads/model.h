/* SPDX-License-Identifier: MIT */
/*
 * The object model the five workloads share: a small kernel's worth of
 * tasks, credentials, namespaces, a /proc-like dentry tree and code
 * objects, with Linux's names and Linux's lifetime rules.
 *
 * Lifetimes: every object here is kmalloc'ed and freed through RCU once
 * its last reference is gone, so a reader inside rcu_read_lock() may
 * touch an object it found through an RCU-protected pointer even if the
 * object is being torn down; it must check the object is still live
 * (task_alive(), d_unhashed()) before trusting what it reads. Freed
 * objects are poisoned (kfree in debug builds), and every object carries
 * a magic number so a reader can detect having been handed freed memory:
 * model_check_*() count such a find as an error instead of crashing.
 *
 * Lock order (outermost first): pidmap_lock, dentry->d_lockref.lock of a
 * parent before its child, task->alloc_lock (task_lock).
 */
#ifndef QUIESCE_WORKLOADS_MODEL_H
#define QUIESCE_WORKLOADS_MODEL_H

#include <compiler.h>
#include <atomic.h>
#include <rculist.h>
#include <lockref.h>
#include <rcupdate.h>
#include <refcount.h>
#include <seqlock.h>
#include <spinlock.h>

#define TASK_MAGIC	0x7a5c0001u
#define DENTRY_MAGIC	0x7a5c0002u
#define INODE_MAGIC	0x7a5c0003u

struct nsproxy;
struct mm_struct;
struct inode;

/* ---- credentials ---- */

struct cred {
	refcount_t usage;
	uint32_t uid, gid, euid, egid;
	struct rcu_head rcu;
};

struct cred *prepare_cred(uint32_t uid);
void put_cred(const struct cred *cred);

/* ---- tasks ---- */

/*
 * A task. Fields are grouped by what guards them.
 */
struct task_struct {
	uint32_t magic;			/* TASK_MAGIC while allocated */
	int pid;			/* fixed at fork */
	refcount_t usage;		/* get_task_struct / put_task_struct */
	struct rcu_head rcu;

	/* guarded by pidmap_lock; walked under RCU: */
	struct hlist_node pid_link;	/* in the pid hash */

	/*
	 * Set once at exit, read without locks: a reader that sees
	 * exit_state != 0 treats the task as gone (pid_revalidate).
	 */
	int exit_state;

	/* task_lock(): guards nsproxy writes in task-lock mode, and comm. */
	spinlock_t alloc_lock;
	struct nsproxy *nsproxy;	/* see workloads/nsproxy for the rules */
	char comm[16];

	/* Statistics "ps" reads, published under stat_seq by the owner. */
	seqcount_t stat_seq;
	uint64_t utime, stime, start_time;
	unsigned long nr_switches;

	const struct cred __rcu *cred;	/* replaced with rcu_assign_pointer */
	struct mm_struct *mm;		/* owned by the vma-query workload */
	struct dentry *proc_dentry;	/* /proc/<pid>, NULL until linked */
};

static inline void task_lock(struct task_struct *t) { spin_lock(&t->alloc_lock); }
static inline void task_unlock(struct task_struct *t) { spin_unlock(&t->alloc_lock); }

static inline void get_task_struct(struct task_struct *t) { refcount_inc(&t->usage); }
void put_task_struct(struct task_struct *t);

/* Alive means: allocated (magic intact) and not yet exited. */
static inline bool task_alive(const struct task_struct *t)
{
	return READ_ONCE(t->magic) == TASK_MAGIC && !READ_ONCE(t->exit_state);
}

/*
 * The pid table: a hash of live tasks, looked up under RCU, changed
 * under pidmap_lock.
 */
int pid_table_init(unsigned int buckets);
void pid_table_destroy(void);

/*
 * Create a task with the next free pid in [pid_min, pid_max) and hash it.
 * Returns the task with one reference held for the caller (the "parent"),
 * or NULL (-ENOMEM or no free pid).
 */
struct task_struct *fork_task(int pid_min, int pid_max, const char *comm);

/*
 * The task exits: marked dead, unhashed from the pid table; the pid
 * table's reference is dropped after a grace period. The caller still
 * owns the reference fork_task() returned.
 */
void exit_task(struct task_struct *t);

/* Look a pid up. Caller holds rcu_read_lock(); no reference is taken. */
struct task_struct *find_task_by_pid_rcu(int pid);

/* Number of tasks in the pid table. */
unsigned int nr_tasks(void);

/* ---- a /proc-like dentry tree ---- */

#define LOOKUP_RCU	0x0001	/* d_revalidate called in RCU-walk mode */
#define DNAME_LEN	24

struct qstr {
	uint32_t hash;
	uint32_t len;
	char name[DNAME_LEN];
};

struct dentry;

struct dentry_operations {
	/* 1 valid, 0 invalid (gone), -ECHILD: retry in ref-walk. */
	int (*d_revalidate)(struct dentry *dentry, unsigned int flags);
};

struct dentry {
	uint32_t magic;			/* DENTRY_MAGIC while allocated */
	struct lockref d_lockref;	/* d_lock and the reference count */
	/* Bumped by writers around changes a RCU walker must notice. */
	seqcount_t d_seq;
	struct dentry *d_parent;	/* fixed; the parent is referenced */
	struct qstr d_name;		/* fixed */
	const struct dentry_operations *d_op;
	struct task_struct *d_task;	/* /proc/<pid>/...: the task, referenced */
	/* guarded by the dcache hash lock; walked under RCU: */
	struct hlist_node d_hash;
	/* guarded by the parent's d_lock: */
	struct list_head d_child;
	struct list_head d_subdirs;
	struct rcu_head d_rcu;
};

int dcache_init(unsigned int buckets);
void dcache_destroy(void);

void qstr_init(struct qstr *q, const char *name);

/*
 * Make dentry name under parent, hashed and referenced once (by the
 * caller). NULL on -ENOMEM.
 */
struct dentry *d_alloc(struct dentry *parent, const char *name,
		       const struct dentry_operations *op, struct task_struct *task);

/* Unhash: lookups stop finding it; existing references stay valid. */
void d_drop(struct dentry *dentry);

/* Drop a reference; the last one frees the dentry after a grace period. */
void dput(struct dentry *dentry);

/*
 * Find parent's child name. d_lookup_rcu: caller holds rcu_read_lock(),
 * no reference taken, *seq gets the child's d_seq for later validation.
 * d_lookup: returns the child with a reference, or NULL.
 */
struct dentry *d_lookup_rcu(struct dentry *parent, const struct qstr *name,
			    unsigned int *seq);
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);

static inline bool d_unhashed(const struct dentry *d)
{
	return hlist_unhashed_lockless(&d->d_hash);
}

/* ---- code objects ("inodes" that uprobes attach to) ---- */

struct inode {
	uint32_t magic;
	unsigned long i_ino;
	const void *code;		/* start of the code the inode maps */
	size_t size;			/* bytes of code */
	refcount_t i_count;
};

#endif
