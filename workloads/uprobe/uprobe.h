/* SPDX-License-Identifier: MIT */
/*
 * uprobes (seed 004), the mechanism in uprobe.c: the tree of uprobes by
 * (inode, offset), registration that plants a breakpoint in kernel text,
 * the breakpoint handler and the lookup-and-pin path it takes on every
 * hit, in each of the seed's variants (enum uprobe_mode). The workload
 * (uprobe_wl.c) and the tests (uprobe_test.c) use it.
 *
 * A hit, whether a real breakpoint (handle_swbp(), hit=trap) or called
 * directly (uprobe_call_hit(), hit=call), finds and pins the uprobe, runs
 * its consumer's handler on the hitting CPU and records the hit as active
 * in that CPU's struct uprobe_cpu. As in Linux, the pin is held until the
 * displaced instruction has been dealt with: the caller finishes every
 * active hit (uprobe_hit_release()) when the instrumented code returns.
 *
 * Lock order: uprobes_reg_lock, then uprobes_treelock.
 */
#ifndef QUIESCE_WORKLOADS_UPROBE_H
#define QUIESCE_WORKLOADS_UPROBE_H

#include <compiler.h>
#include <percpu.h>
#include <rbtree.h>
#include <rcupdate.h>
#include <refcount.h>
#include <uprobe_targets.h>
#include <asm/uprobe.h>
#include "../model.h"

enum uprobe_mode {
	UP_RWLOCK,		/* lookup under uprobes_treelock, then a reference */
	UP_RCU_SEQCOUNT,	/* lockless lookup, refcount_inc_not_zero() */
	UP_SRCU,		/* lockless lookup in an SRCU section, no reference */
	UP_RCU_RACY,		/* the review's plain increment, taken late */
	UP_RCU_CHURN,		/* rcu-seqcount with a widened window (a test) */
};

#define UPROBE_MAGIC	0x7a5c0004u
#define UPROBE_MAX_ACTIVE	(UPROBE_TARGET_ADDS + 2)	/* hits per call of a target */
#define UPROBE_CHURN_WINDOW_MS	20

struct uprobe_consumer {
	/* Runs at every hit, on the hitting CPU, before the displaced
	 * instruction is emulated (interrupts as the hit path has them). */
	void (*handler)(struct uprobe_consumer *uc);
};

/*
 * Two cache lines, as in Linux's struct uprobe (where the key is two lines
 * past the count): what every hit only reads, and the count every pinning
 * hit writes (kmalloc's power-of-two objects are aligned to their size).
 */
struct uprobe {
	uint32_t magic;			/* UPROBE_MAGIC until freed */
	struct inode *inode;		/* the key */
	unsigned long offset;
	uprobe_insn_t insn;		/* the displaced instruction */
	struct uprobe_consumer *consumer;
	refcount_t ref ____cacheline_aligned;
	int free_queued;		/* set once the free is queued */
	struct rb_node rb_node;		/* in uprobes_tree, under uprobes_treelock */
	struct rcu_head rcu;
};

/* A hit the hit path started and its caller finishes. */
struct active_hit {
	struct uprobe *uprobe;
	int srcu_idx;			/* srcu: the section to leave */
	struct inode *inode;		/* what the hit found: the uprobe must stay it */
	unsigned long offset;
	bool raced;			/* rcu-churn: saw the count drop to zero */
};

/* Each CPU's hits; written by its CPU only (hit path and caller). */
struct uprobe_cpu {
	struct active_hit active[UPROBE_MAX_ACTIVE];
	unsigned int nr_active;
	unsigned long misses;		/* hits that found no uprobe (stale traps) */
	unsigned long poisoned;		/* freed uprobes the hit path met */
};
DECLARE_PER_CPU(struct uprobe_cpu, uprobe_cpu);

/* Target t's code object, and calling its code (hit=trap). */
struct inode *uprobe_target_inode(unsigned int t);
unsigned long uprobe_target_call(unsigned int t, unsigned long x);
/* The offset of probe site s (< UPROBE_SITES) in every target. */
unsigned long uprobe_site_offset(unsigned int s);

/*
 * Start the mechanism in mode (the inodes, the breakpoint handler, the
 * tree's seqcount, the SRCU domain): 0 or -ENOMEM. uprobes_exit() after
 * every uprobe is unregistered: waits for the frees. Boot CPU.
 */
int uprobes_init(enum uprobe_mode mode);
void uprobes_exit(void);

/*
 * Plant a uprobe at (inode, offset) with consumer uc. 0, or -EINVAL
 * (offset outside the code, misaligned, or an instruction that cannot be
 * emulated), -EEXIST (uc is already registered there), -EBUSY (another
 * consumer is), -ENOMEM. Thread context; IPIs every CPU.
 */
int uprobe_register(struct inode *inode, unsigned long offset, struct uprobe_consumer *uc);
/* Remove the uprobe at (inode, offset) registered by uc. 0 or -ENOENT. */
int uprobe_unregister(struct inode *inode, unsigned long offset, struct uprobe_consumer *uc);

/*
 * hit=call: the hit path for the site at addr, called directly instead
 * of through a breakpoint; nothing is emulated. True if a uprobe was hit
 * (and is now active on this CPU).
 */
bool uprobe_call_hit(const void *addr);

/* Finish an active hit the way the mode pinned it (not rcu-racy). */
void uprobe_hit_release(const struct active_hit *h);

/* Drop a reference; false if it found the uprobe's free already queued. */
bool put_uprobe(struct uprobe *u);
/* rcu-racy: the broken get from the review, a plain increment (0 -> 1 possible). */
void get_uprobe_racy(struct uprobe *u);

#endif
