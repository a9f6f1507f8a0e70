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
#include <rwsem.h>

#define TASK_MAGIC	0x7a5c0001u
#define DENTRY_MAGIC	0x7a5c0002u
#define INODE_MAGIC	0x7a5c0003u

struct nsproxy;
struct mm_struct;
struct inode;

/* ---- hash tables (the pid table, the dentry hash) ---- */

/*
 * A table of buckets (a power of two) of hlists. Its users guard the
 * chains with their own lock and walk them under RCU; the table itself
 * is built before and freed after every walker.
 */
struct hash_table {
	struct hlist_head *heads;
	unsigned int mask;		/* buckets - 1 */
};

/* Empty buckets; 0 or -ENOMEM. Boot CPU, before any user. */
int hash_table_init(struct hash_table *t, unsigned int buckets);
/* Every chain must be empty; a table whose init failed is a no-op. */
void hash_table_free(struct hash_table *t);

/* The bucket of key, by Knuth's multiplicative hash (its high bits). */
static inline struct hlist_head *hash_table_bucket(const struct hash_table *t, uint32_t key)
{
	return &t->heads[key * 2654435761u >> 8 & t->mask];
}

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
	/*
	 * The nsproxy the task holds its reference on: what its last
	 * switch installed, which tagged-ptr's readers can overwrite in
	 * nsproxy with one it had dropped. Only the task reads or writes it.
	 */
	struct nsproxy *nsproxy_owned;
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
	struct qstr d_name;		/* changed only by d_rename_task() */
	const struct dentry_operations *d_op;
	/* /proc/<pid>/...: the task, referenced; changed by d_rename_task() */
	struct task_struct *d_task;
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
 * Rename dentry (hashed, with a parent) to name in the same directory and
 * make it and its children stand for task (referenced; the old task's
 * references are dropped), in one d_seq write section of dentry with
 * each child's nested in it, so RCU walkers that validate d_seq never
 * pair the new name with the old task or the reverse. One writer per
 * dentry at a time (its owner); may spin.
 */
void d_rename_task(struct dentry *dentry, const char *name, struct task_struct *task);

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

/* ---- address spaces (workloads/model/mm.c) ---- */

/*
 * An mm is a set of VMAs, looked up two ways, as in Linux with
 * CONFIG_PER_VMA_LOCK:
 *  - under mmap_lock (read for lookups, write for every change), or
 *  - under rcu_read_lock() with only the VMA's own lock taken:
 *    lock_vma_under_rcu() / find_and_lock_vma_rcu().
 *
 * Lock order: mmap_lock, then a VMA's vm_lock. A VMA is changed only by
 * a CPU that holds mmap_lock for writing and has called
 * vma_start_write() on it; mmap_write_unlock() releases every VMA it
 * write-locked at once (it bumps mm_lock_seq).
 */

#define VMA_MAGIC	0x7a5c0005u
#define VM_READ		0x1ul
#define VM_WRITE	0x2ul
#define VM_EXEC		0x4ul
#define VM_SHARED	0x8ul
#define VMA_NAME_MAX	64	/* bytes of a VMA name, NUL included */

/*
 * A VMA's name (Linux's anon_vma_name): shared by the VMAs a split
 * makes, referenced by each, never changed once made. A VMA's name
 * pointer changes only under vma_start_write(), so a CPU holding the
 * VMA's read lock (or mmap_lock) may read the name it points to - except
 * after vma_set_anon_name_mmap_locked(), which keeps the older rule
 * (mmap_lock only) to reproduce the seed's review. The last reference
 * scribbles over the name before freeing it, so a reader that still
 * reads it sees a broken name in every build, not only in debug ones.
 */
struct anon_vma_name {
	refcount_t kref;
	char name[];
};

struct anon_vma_name *anon_vma_name_alloc(const char *name);
void anon_vma_name_get(struct anon_vma_name *n);
void anon_vma_name_put(struct anon_vma_name *n);

struct vm_area_struct {
	uint32_t magic;			/* VMA_MAGIC until freed */
	struct mm_struct *vm_mm;	/* fixed */
	struct rcu_head rcu;

	/*
	 * Changed only with mmap_lock held for writing and the VMA
	 * write-locked: stable for a holder of either read lock.
	 */
	unsigned long vm_start, vm_end;
	unsigned long vm_flags;		/* VM_READ | VM_WRITE | ... */
	unsigned long vm_pgoff;		/* in pages; vm_start >> PAGE_SHIFT here */
	unsigned long vm_ino;		/* backing inode number, 0: anonymous */
	struct anon_vma_name *anon_name;	/* NULL: unnamed */
	bool detached;			/* removed from the mm: lookups must fail */

	/* The per-VMA lock. */
	struct rw_semaphore vm_lock;
	/* == mm->mm_lock_seq while write-locked; written under vm_lock. */
	int vm_lock_seq;

	atomic_long_t nr_pages;		/* pages populated by faults */
};

/* One VMA's range in the lookup array (the range is copied: see mm.c). */
struct vma_slot {
	unsigned long start, end;
	struct vm_area_struct *vma;
};

/* The lookup structure: a sorted array replaced as a whole (see mm.c). */
struct vma_array {
	unsigned int nr;
	struct rcu_head rcu;
	struct vma_slot slot[];
};

/*
 * mmap_lock, mm_lock_seq and the VMA tree's root share a cache line (kept
 * together on purpose, as a compact mm_struct has them): a page fault on
 * the per-VMA path reads mm_lock_seq and the root, so every RMW on
 * mmap_lock (a query's mmap_read_lock, a writer's mmap_write_lock) takes
 * that line away from the faulting CPUs - the disturbance seed 001
 * removes from the query (docs/performance.md shows the line).
 */
struct mm_struct {
	struct rw_semaphore mmap_lock;
	/*
	 * Bumped (release) by mmap_write_unlock(): every VMA whose
	 * vm_lock_seq equals it is write-locked. Written under mmap_lock
	 * held for writing; read locklessly by vma_start_read().
	 */
	int mm_lock_seq;
	/* Replaced under mmap_lock (write); read under it or under RCU. */
	struct vma_array __rcu *vmas;
	unsigned long task_size;	/* addresses are below this */
	/*
	 * The writers' wait (arch counter ticks) to get mmap_lock for
	 * writing and to write-lock VMAs (vma_start_write() waits for the
	 * VMA's readers), and the write sections: written under mmap_lock
	 * held for writing, read when the mm is quiet.
	 */
	uint64_t write_wait;
	uint64_t vma_write_wait;	/* the part of it in vma_start_write() */
	unsigned long write_locks;
	uint64_t section_wait;		/* the current write section's wait */
	/* If set: called with each section's wait, still under the lock. */
	void (*section_hook)(void *arg, uint64_t wait);
	void *section_arg;
};

struct mm_struct *mm_alloc(unsigned long task_size);
/* Free the mm and every VMA; nobody may use it any more. */
void mmput(struct mm_struct *mm);

void mmap_read_lock(struct mm_struct *mm);
void mmap_read_unlock(struct mm_struct *mm);
void mmap_write_lock(struct mm_struct *mm);
void mmap_write_unlock(struct mm_struct *mm);

/*
 * Per-VMA lock. vma_start_read(): caller holds rcu_read_lock(); true
 * with the VMA read-locked, false if a writer holds it (the caller falls
 * back to mmap_lock). vma_start_write(): caller holds mmap_lock for
 * writing; waits for the VMA's readers to leave.
 */
bool vma_start_read(struct vm_area_struct *vma);
void vma_end_read(struct vm_area_struct *vma);
void vma_start_write(struct vm_area_struct *vma);

/* First VMA with vm_end > addr, or NULL. Caller holds mmap_lock. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/*
 * Under RCU, find the VMA covering addr (lock_vma_under_rcu) or the first
 * VMA ending above addr (find_and_lock_vma_rcu) and read-lock it. Takes
 * and drops rcu_read_lock() itself. Returns the VMA read-locked, NULL
 * when there is no such VMA, or (find_and_lock_vma_rcu) sets *retry when
 * the VMA lock could not be taken: the caller falls back to mmap_lock.
 */
struct vm_area_struct *lock_vma_under_rcu(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_and_lock_vma_rcu(struct mm_struct *mm, unsigned long addr,
					     bool *retry);

/*
 * A page fault at addr: find the VMA with the per-VMA lock, falling back
 * to mmap_lock, check the access, populate. 0, -EFAULT (no VMA or the
 * access is not allowed). *fallback is set when mmap_lock was needed.
 */
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, bool write, bool *fallback);

/*
 * The writers, each a syscall taking mmap_lock for writing. addr/len are
 * page aligned. 0 or -EINVAL (bad range or flags, a name of
 * VMA_NAME_MAX bytes or more), -ENOENT (no VMA at addr),
 * -EEXIST (range in use), -ENOMEM.
 *  do_mmap:	 map [addr, addr+len) with flags, inode, name (NULL: none)
 *  do_munmap:	 unmap the whole VMA containing addr
 *  do_mprotect: set the VMA's flags (r/w/x; VM_SHARED is kept)
 *  split_vma:	 split the VMA containing addr at addr
 *  merge_vma:	 merge the VMA containing addr with the next one (they
 *		 must be adjacent and alike: flags, inode, name)
 *  vma_set_name: rename the VMA containing addr (NULL: unnamed)
 */
int do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	    unsigned long flags, unsigned long ino, const char *name);
int do_munmap(struct mm_struct *mm, unsigned long addr);
int do_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long flags);
int split_vma(struct mm_struct *mm, unsigned long addr);
int merge_vma(struct mm_struct *mm, unsigned long addr);
int vma_set_name(struct mm_struct *mm, unsigned long addr, const char *name);
/*
 * The rule Linux had when seed 001 was reviewed: an anonymous VMA's name
 * (anon_vma_name()) is stable under mmap_lock, so a rename takes
 * mmap_write_lock alone and does not write-lock the VMA; a reader that
 * holds only the VMA's read lock may see the name replaced and freed
 * under it (the review's bug). 0, -ENOENT, -EINVAL (a file-backed VMA,
 * whose name is its file's, or a name too long), -ENOMEM.
 */
int vma_set_anon_name_mmap_locked(struct mm_struct *mm, unsigned long addr, const char *name);

/* Number of VMAs (a snapshot). */
unsigned int mm_nr_vmas(struct mm_struct *mm);

/* ---- namespaces (workloads/nsproxy/nsproxy.c) ---- */

/*
 * A task's namespaces, shared through a refcounted nsproxy. Only the
 * task itself changes task->nsproxy (setns: switch_task_namespaces());
 * it reads its own pointer without any lock; other tasks' code ("remote
 * readers": /proc/<pid>/ns files, get_net_ns_by_pid) takes a reference on
 * one namespace of it with task_get_ns(). How the remote read and the
 * switch are synchronized is the nsproxy mode (see nsproxy.c).
 */

#define NS_MAGIC	0x7a5c0009u
#define NSPROXY_MAGIC	0x7a5c000au

enum ns_kind { NS_UTS, NS_IPC, NS_MNT, NS_NET, NS_CGROUP, NS_NR_KINDS };

struct ns_common {
	uint32_t magic;			/* NS_MAGIC until freed */
	enum ns_kind kind;
	unsigned int inum;		/* fixed; what /proc/<pid>/ns/<kind> shows */
	refcount_t count;		/* freed after a grace period at 0 */
	struct rcu_head rcu;
	void *quarantine_next;		/* tagged-ptr mode only (see nsproxy.c) */
};

struct nsproxy {
	uint32_t magic;			/* NSPROXY_MAGIC until freed */
	refcount_t count;
	struct ns_common *ns[NS_NR_KINDS];	/* fixed; each referenced */
	struct rcu_head rcu;
	void *quarantine_next;		/* tagged-ptr mode only */
};

/*
 * TASK_LOCK, TAGGED_PTR, RCU (call_rcu), RCU_SYNC (the historical design:
 * the switch waits in synchronize_rcu() before freeing) and RCU_NOGP (a
 * bug on purpose: RCU readers, but the old nsproxy freed - poisoned - at
 * once, without a grace period). See nsproxy.c.
 */
enum nsproxy_mode {
	NSPROXY_TASK_LOCK, NSPROXY_TAGGED_PTR, NSPROXY_RCU, NSPROXY_RCU_SYNC, NSPROXY_RCU_NOGP,
};

/* Choose the mode; no nsproxy may exist. */
void nsproxy_set_mode(enum nsproxy_mode mode);

/* A namespace with one reference (NULL: -ENOMEM). */
struct ns_common *ns_alloc(enum ns_kind kind, unsigned int inum);
void get_ns(struct ns_common *ns);
void put_ns(struct ns_common *ns);

/*
 * A new nsproxy with one reference: a copy of from (NULL: of nothing,
 * then every ns[] must be supplied by set) whose namespace of kind is
 * replaced by ns (NULL: kept). NULL on -ENOMEM.
 */
struct nsproxy *create_nsproxy(const struct nsproxy *from, enum ns_kind kind,
			       struct ns_common *ns);
void put_nsproxy(struct nsproxy *nsp);

/*
 * setns: install new (its reference passes to the task) and drop the
 * task's reference on the old one. Only the task itself calls this
 * (and its start, on a task with none, and its exit, with new == NULL).
 * Thread context.
 */
void switch_task_namespaces(struct task_struct *t, struct nsproxy *new);

/*
 * Remote read: a reference on t's namespace of kind, or NULL (the task
 * has no nsproxy, or - tagged-ptr mode - the read found garbage, which
 * nsproxy_anomalies() counts). Thread context; may spin on task_lock.
 */
struct ns_common *task_get_ns(struct task_struct *t, enum ns_kind kind);

/*
 * The task's own unlocked read of its namespace of kind
 * (current->nsproxy->ns[kind]), in an RCU read-side section. In the
 * tagged-ptr mode t->nsproxy can carry a reader's tag bit (the bug the
 * thread's NACK names: OWN_NS_TAGGED) or point to a dropped nsproxy a
 * reader's xchg put back (OWN_NS_FREED); *ns is set for OWN_NS_OK only.
 */
enum own_ns { OWN_NS_OK, OWN_NS_TAGGED, OWN_NS_FREED };
enum own_ns task_own_ns(struct task_struct *t, enum ns_kind kind, struct ns_common **ns);

/* Anomalies nsproxy.c met and survived (tagged-ptr, rcu-nogp); per-CPU sums. */
unsigned long nsproxy_anomalies(void);
/* This CPU's share of them (a thread's reads stay on its CPU). */
unsigned long nsproxy_cpu_anomalies(void);
/* Free what tagged-ptr mode quarantined. Nothing may use it any more. */
void nsproxy_release_quarantine(void);

/*
 * Tagged-ptr mode: fn(t) runs while this CPU's remote reader still has
 * its tag set on t (after task_unlock, before the tag is cleared) - where
 * the task would run if the reader were interrupted or preempted there.
 * Lets a one-CPU run show what the task's own read sees. NULL: none.
 */
void nsproxy_set_reader_window(void (*fn)(struct task_struct *t));

/* ---- the updaters alone (workloads/model/alone.c) ---- */

struct wl_run;

/*
 * From a workload's setup(): run only its update role for ms, on the
 * CPUs and with the roles the harness will use, the readers idle; the
 * baseline for "updates with and without readers". Returns the elapsed
 * ns and adds the update operations done to *updates (may be NULL).
 */
uint64_t wl_run_updaters_alone(struct wl_run *run, uint64_t ms, unsigned long *updates);

#endif
