// SPDX-License-Identifier: MIT
/*
 * The dentry cache of the workload object model: a tree of named dentries
 * in one hash keyed by (parent, name), with Linux's two ways to walk it.
 *
 * RCU-walk: d_lookup_rcu() under rcu_read_lock() takes nothing; it
 * returns the child and a d_seq snapshot the walker later validates with
 * read_seqcount_retry(), exactly like Linux's lookup_fast in LOOKUP_RCU.
 * Ref-walk: d_lookup() takes a reference with lockref_get_not_dead().
 *
 * A dentry is killed by d_drop() (unhash, bump d_seq so RCU walkers that
 * hold a snapshot notice) and by its last dput(), which marks the lockref
 * dead and frees after a grace period. d_rename_task() renames one in
 * place, as Linux's d_move(), inside a d_seq write section.
 */
#include "../model.h"
#include <kernel.h>
#include <libc.h>
#include <mm.h>
#include <races.h>

static DEFINE_SPINLOCK(dcache_hash_lock);
static struct hash_table dcache_hash;	/* chains guarded by dcache_hash_lock */

void qstr_init(struct qstr *q, const char *name)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; name[i] && i < DNAME_LEN - 1; i++) {
		q->name[i] = name[i];
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	}
	q->name[i] = '\0';
	q->len = (uint32_t)i;
	q->hash = h;
}

int dcache_init(unsigned int buckets)
{
	return hash_table_init(&dcache_hash, buckets);
}

/* Every dentry must be unhashed; a no-op after a failed dcache_init(). */
void dcache_destroy(void)
{
	hash_table_free(&dcache_hash);
}

static struct hlist_head *d_bucket(const struct dentry *parent, uint32_t hash)
{
	uintptr_t key = (uintptr_t)parent / 64 + hash;

	return hash_table_bucket(&dcache_hash, (uint32_t)key);
}

struct dentry *d_alloc(struct dentry *parent, const char *name,
		       const struct dentry_operations *op, struct task_struct *task)
{
	struct dentry *d = kzalloc(sizeof(*d));

	if (!d)
		return NULL;
	d->magic = DENTRY_MAGIC;
	lockref_init(&d->d_lockref, 1);
	seqcount_init(&d->d_seq);
	qstr_init(&d->d_name, name);
	d->d_op = op;
	INIT_LIST_HEAD(&d->d_subdirs);
	INIT_LIST_HEAD(&d->d_child);
	if (task) {
		get_task_struct(task);
		d->d_task = task;
	}
	if (parent) {
		lockref_get(&parent->d_lockref);	/* a child pins its parent */
		d->d_parent = parent;
		lockref_lock(&parent->d_lockref);
		list_add(&d->d_child, &parent->d_subdirs);
		lockref_unlock(&parent->d_lockref);
		spin_lock(&dcache_hash_lock);
		/* Publishes the initialised dentry to RCU walkers. */
		hlist_add_head_rcu(&d->d_hash, d_bucket(parent, d->d_name.hash));
		spin_unlock(&dcache_hash_lock);
	}
	return d;
}

void d_drop(struct dentry *d)
{
	lockref_lock(&d->d_lockref);
	/* RCU walkers holding a d_seq snapshot of d will retry. */
	write_seqcount_begin(&d->d_seq);
	spin_lock(&dcache_hash_lock);
	if (!d_unhashed(d))
		hlist_del_init_rcu(&d->d_hash);
	spin_unlock(&dcache_hash_lock);
	write_seqcount_end(&d->d_seq);
	lockref_unlock(&d->d_lockref);
}

static void d_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct dentry, d_rcu));
}

void dput(struct dentry *d)
{
	while (d) {
		struct dentry *parent = d->d_parent;

		/* Fast path: not the last reference, cmpxchg while unlocked. */
		if (lockref_put_or_lock(&d->d_lockref))
			return;
		/* Last reference, d_lock held: kill it. */
		lockref_mark_dead(&d->d_lockref);
		lockref_unlock(&d->d_lockref);
		d_drop(d);
		if (parent) {
			lockref_lock(&parent->d_lockref);
			list_del(&d->d_child);
			lockref_unlock(&parent->d_lockref);
		}
		if (d->d_task)
			put_task_struct(d->d_task);
		call_rcu(&d->d_rcu, d_free_rcu);
		d = parent;	/* drop the reference the child held */
	}
}

/*
 * Without d_lock: d_rename_task() may rewrite the name meanwhile. The
 * compare's answer is used only under a d_seq snapshot the caller checks
 * afterwards (read_seqcount_retry()), which throws away a compare that
 * met a rename, so the race is harmless by construction: data_race().
 */
static bool d_name_eq(const struct dentry *d, const struct qstr *name)
{
	return data_race(d->d_name.hash == name->hash && d->d_name.len == name->len &&
			 !memcmp(d->d_name.name, name->name, name->len));
}

struct dentry *d_lookup_rcu(struct dentry *parent, const struct qstr *name,
			    unsigned int *seq)
{
	struct dentry *d;

	hlist_for_each_entry_rcu(d, d_bucket(parent, name->hash), d_hash) {
		unsigned int s = raw_read_seqcount(&d->d_seq);

		if (READ_ONCE(d->d_parent) != parent || !d_name_eq(d, name))
			continue;
		if (s & 1)
			continue;	/* being changed: let the caller retry */
		*seq = s;
		return d;
	}
	return NULL;
}

/*
 * The name compare runs without d_lock: a rename between the compare and
 * the reference is caught by d_seq (the acquire in raw_read_seqcount()
 * and the smp_rmb() in read_seqcount_retry() pair with the write section
 * of d_rename_task()), and the lookup gives the reference back and
 * fails, as a lookup that ran just after the rename would.
 */
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name)
{
	struct dentry *d;

	rcu_read_lock();
	hlist_for_each_entry_rcu(d, d_bucket(parent, name->hash), d_hash) {
		unsigned int s = raw_read_seqcount(&d->d_seq);

		if (READ_ONCE(d->d_parent) != parent || !d_name_eq(d, name) || (s & 1))
			continue;
		if (!lockref_get_not_dead(&d->d_lockref)) {
			d = NULL;
		} else if (read_seqcount_retry(&d->d_seq, s)) {
			dput(d);
			d = NULL;
		}
		rcu_read_unlock();
		return d;
	}
	rcu_read_unlock();
	return NULL;
}

void d_rename_task(struct dentry *d, const char *name, struct task_struct *task)
{
	struct task_struct *old = d->d_task;
	struct dentry *child;

	lockref_lock(&d->d_lockref);
	/* RCU walkers that found d under its old name retry (read_seqcount_retry). */
	write_seqcount_begin(&d->d_seq);
	/*
	 * The children change inside d's section: a walker that saw d
	 * unchanged from before its child lookup to after it found the
	 * child with the task that matches d's name. (They go first: a walk
	 * that skipped d's check meets them changed as soon as it can.)
	 */
	list_for_each_entry(child, &d->d_subdirs, d_child) {
		lockref_lock(&child->d_lockref);
		write_seqcount_begin(&child->d_seq);
		if (child->d_task)
			put_task_struct(child->d_task);
		get_task_struct(task);
		WRITE_ONCE(child->d_task, task);
		write_seqcount_end(&child->d_seq);
		lockref_unlock(&child->d_lockref);
	}
	get_task_struct(task);
	WRITE_ONCE(d->d_task, task);
	spin_lock(&dcache_hash_lock);
	hlist_del_init_rcu(&d->d_hash);
	/* Walkers may compare the name while it changes: d_seq tells them. */
	qstr_init(&d->d_name, name);
	hlist_add_head_rcu(&d->d_hash, d_bucket(d->d_parent, d->d_name.hash));
	spin_unlock(&dcache_hash_lock);
	write_seqcount_end(&d->d_seq);
	lockref_unlock(&d->d_lockref);
	if (old)
		put_task_struct(old);
}
