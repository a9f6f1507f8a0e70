// SPDX-License-Identifier: MIT
/*
 * uprobe (seed 004): breakpoint hits on every CPU, the hit path alone.
 *
 * The seed: with handle_swbp() running on all CPUs, every hit takes
 * read_lock(uprobes_treelock) (one line every CPU writes) and the
 * uprobe's reference count (a line shared by the CPUs hitting that
 * uprobe); patch 04/10 walks the tree under RCU validated by a seqcount
 * and takes refcount_inc_not_zero(); patch 07/10 holds an SRCU section
 * instead, so the hit path writes no shared line at all. The modes are
 * uprobe.c's; what they are run on is this file's:
 *
 *  - Readers call an instrumented target function in a loop; every read
 *    operation is one hit. probe=shared (the default, the seed's
 *    situation): every reader calls target 0, whose one probe site
 *    (site 0) is probed: all hits are on one uprobe. probe=disjoint:
 *    reader r calls target r % HOT_TARGETS, each with its own uprobe, so
 *    only the tree (and its lock) is shared.
 *  - hit=trap (the default): the probe is a real breakpoint, taken as an
 *    exception. hit=call: the same hit path (address to inode, lookup,
 *    pin, consumer, release) called directly, no breakpoint taken, so
 *    the lock's cost shows apart from the exception's (QEMU's TCG takes
 *    its global lock on every exception).
 *  - The consumer counts its hits per CPU (no shared counter on the hit
 *    path). The headline is hits_ps, hits per second over all readers.
 *  - Updaters register and unregister cold uprobes, on targets no reader
 *    calls (COLD_FIRST and up), at update_hz= (default 1/s): the tree
 *    and its seqcount change, each change IPIs every CPU (text patch),
 *    and the hot uprobes stay.
 *
 * The lifetime modes run their own situation, unpaced: rcu-racy (must
 * report errors) and rcu-churn (must not) have their updaters unregister
 * and re-register sites 0 and 1 of target 0, the ones every reader hits,
 * as fast as they can. rcu-racy's readers take the plain increment of
 * the review late (finish_hits()), after waiting for the count to drop;
 * a resurrected uprobe is held for RACY_HOLD_MS while its queued free
 * completes and poisons it. rcu-churn's readers, whose hit path lingered
 * until the count dropped (uprobe.c), hold what they still got over a
 * grace period and CHURN_HOLD_MS more, checking it stays alive and the
 * same: refcount_inc_not_zero() refuses a dying uprobe, a plain increment
 * (make mutants) resurrects it and the hold sees it freed or reused.
 */
#include "uprobe.h"
#include <cmdline.h>
#include <kernel.h>
#include <ktime.h>
#include <libc.h>
#include <mm.h>
#include <rcupdate.h>
#include <workload.h>

#define HOT_TARGETS	(UPROBE_NR_TARGETS / 2)	/* readers' targets: 0 .. HOT_TARGETS-1 */
#define COLD_FIRST	HOT_TARGETS		/* the updaters' targets */
#define NR_SITES	(UPROBE_NR_TARGETS * UPROBE_SITES)
#define NR_COLD		(NR_SITES - COLD_FIRST * UPROBE_SITES)
#define HOT_SITE	0			/* the probed site of a hot target */
#define REG_HZ		1			/* update_hz= default */
#define RACY_WINDOW_US	50
#define RACY_HOLD_MS	50
#define RACY_WAIT_MS	50
#define CHURN_HOLD_MS	20

static const struct wl_mode uprobe_modes[] = {
	{ "rwlock", "before", false, 1, UP_RWLOCK },
	{ "rcu-seqcount", "after", false, 1, UP_RCU_SEQCOUNT },
	{ "srcu", "also", false, 1, UP_SRCU },
	{ "rcu-racy", "also", true, 2, UP_RCU_RACY },	/* the race needs a second CPU */
	{ "rcu-churn", "also", false, 2, UP_RCU_CHURN },	/* an updater beside the readers */
};

/* The lifetime modes' races need their updates flat out. */
static unsigned long mode_update_hz(const struct wl_mode *mode)
{
	return !strcmp(mode->name, "rcu-racy") || !strcmp(mode->name, "rcu-churn") ?
	       WL_UNPACED : 0;
}

static int check_hit(const char *value)
{
	return strcmp(value, "trap") && strcmp(value, "call") ? -EINVAL : 0;
}
CMDLINE_KEY(hit, "trap or call (uprobe: hit the probes through real breakpoints, the "
	    "default, or call the same hit path directly)", check_hit);

static int check_probe(const char *value)
{
	return strcmp(value, "shared") && strcmp(value, "disjoint") ? -EINVAL : 0;
}
CMDLINE_KEY(probe, "shared or disjoint (uprobe: every reader hits one uprobe, the default, "
	    "or each reader its own)", check_probe);

/* Each CPU's figures and the rcu-racy references it holds; its CPU only. */
struct upwl_cpu {
	unsigned long hits;		/* by the consumer's handler */
	struct uprobe *held[UPROBE_MAX_ACTIVE];
	unsigned int nr_held;
	uint64_t held_since;
};
static DEFINE_PER_CPU(struct upwl_cpu, upwl_cpu);

struct uprobe_state {
	enum uprobe_mode mode;
	bool call;			/* hit=call */
	bool disjoint;			/* probe=disjoint */
	bool lifetime;			/* rcu-racy, rcu-churn: their own situation */
	struct uprobe_consumer consumer;
	bool registered[NR_SITES];	/* cold site i is owned by updater i % nr_owners */
	unsigned int nr_owners;
};

/* The consumer: count the hit on this CPU (no line shared with others). */
static void count_hit(struct uprobe_consumer *uc)
{
	(void)uc;
	this_cpu_ptr(&upwl_cpu)->hits++;
}

static void site_of(unsigned int site, struct inode **inode, unsigned long *offset)
{
	*inode = uprobe_target_inode(site / UPROBE_SITES);
	*offset = uprobe_site_offset(site % UPROBE_SITES);
}

/* ---- finishing hits ---- */

/*
 * rcu-racy: hold the resurrected-or-not references for a while, the way
 * a long single-step would, checking the uprobes are still alive; a free
 * queued before the plain increment completes meanwhile and poisons them.
 */
static void racy_check_held(struct wl_run *run, struct wl_cpu *c, struct upwl_cpu *wc,
			    bool release)
{
	for (unsigned int i = 0; i < wc->nr_held; i++) {
		struct uprobe *u = wc->held[i];

		if (!u)
			continue;
		if (READ_ONCE(u->magic) != UPROBE_MAGIC) {
			wl_error(run, c, "uprobe used after it was freed (poison found)");
			wc->held[i] = NULL;	/* freed: nothing of ours left to drop */
		} else if (release) {
			if (!put_uprobe(u))
				wl_error(run, c, "uprobe resurrected after its free was queued");
			wc->held[i] = NULL;
		}
	}
	if (release)
		wc->nr_held = 0;
}

/* rcu-racy: take the review's late plain reference on each active hit. */
static void racy_finish(struct wl_run *run, struct wl_cpu *c, struct uprobe_cpu *uc)
{
	struct upwl_cpu *wc = this_cpu_ptr(&upwl_cpu);
	uint64_t now = ktime_get_ns();

	racy_check_held(run, c, wc, wc->nr_held &&
			now - wc->held_since > RACY_HOLD_MS * NSEC_PER_MSEC);
	for (unsigned int i = 0; i < uc->nr_active; i++) {
		struct uprobe *u = uc->active[i].uprobe;
		uint64_t until = ktime_get_ns() + RACY_WAIT_MS * NSEC_PER_MSEC;
		bool resurrected;

		/*
		 * Widen the window on purpose: for the first hit, wait (a
		 * bounded time) for an unregister to drop what it thinks is
		 * the last reference; then increment anyway.
		 */
		if (i == 0)
			while (refcount_read(&u->ref) && ktime_get_ns() < until)
				cpu_relax();
		else
			udelay(RACY_WINDOW_US);
		resurrected = !refcount_read(&u->ref);
		get_uprobe_racy(u);
		rcu_read_unlock();		/* opened by the hit path */
		if (!resurrected) {
			put_uprobe(u);	/* the count was live: no harm done */
			continue;
		}
		/* Hold it like a long single-step would: the free that was
		 * already queued completes meanwhile (racy_check_held). */
		if (!wc->nr_held)
			wc->held_since = now;
		if (wc->nr_held < UPROBE_MAX_ACTIVE)
			wc->held[wc->nr_held++] = u;
		else if (!put_uprobe(u))
			wl_error(run, c, "uprobe resurrected after its free was queued");
	}
	uc->nr_active = 0;
}

/*
 * rcu-churn: a hit that saw its uprobe's count drop to zero and still got
 * a reference holds it over a grace period and up to CHURN_HOLD_MS more,
 * checking that the uprobe stays alive and the one the hit found (a
 * reference keeps it from being freed, and so from being reused); a free
 * queued before the reference completes meanwhile. Other hits check once.
 * False if it was freed (poison) or reused.
 */
static bool churn_check(struct wl_run *run, struct wl_cpu *c, const struct active_hit *h)
{
	const struct uprobe *u = h->uprobe;

	if (READ_ONCE(u->magic) != UPROBE_MAGIC) {
		wl_error(run, c, "uprobe freed while a hit held a reference (poison found)");
		return false;
	}
	if (READ_ONCE(u->inode) != h->inode || READ_ONCE(u->offset) != h->offset) {
		wl_error(run, c, "uprobe reused while a hit held a reference");
		return false;
	}
	return true;
}

static bool churn_hold(struct wl_run *run, struct wl_cpu *c, const struct active_hit *h)
{
	uint64_t until;

	if (!h->raced)
		return churn_check(run, c, h);
	synchronize_rcu();
	until = ktime_get_ns() + CHURN_HOLD_MS * NSEC_PER_MSEC;
	do {
		if (!churn_check(run, c, h))
			return false;
		udelay(10);
	} while (ktime_get_ns() < until);
	return true;
}

/* Finish the hits the hit path started: use each uprobe, then let go. */
static void finish_hits(struct wl_run *run, struct wl_cpu *c, const struct uprobe_state *st)
{
	struct uprobe_cpu *uc = this_cpu_ptr(&uprobe_cpu);

	for (; uc->poisoned; uc->poisoned--)
		wl_error(run, c, "breakpoint handler met a freed uprobe (poison found)");
	if (st->mode == UP_RCU_RACY) {
		racy_finish(run, c, uc);
		return;
	}
	for (unsigned int i = 0; i < uc->nr_active; i++) {
		if (st->mode == UP_RCU_CHURN && !churn_hold(run, c, &uc->active[i]))
			continue;	/* freed under us: nothing of ours to drop */
		uprobe_hit_release(&uc->active[i]);
	}
	uc->nr_active = 0;
}

/* ---- the operations ---- */

static unsigned int reader_target(const struct uprobe_state *st, const struct wl_cpu *c)
{
	return st->disjoint && !st->lifetime ? c->cpu % HOT_TARGETS : 0;
}

static void read_op(struct wl_run *run, struct wl_cpu *c)
{
	const struct uprobe_state *st = run->priv;
	unsigned int t = reader_target(st, c);

	if (st->call) {
		const uint8_t *code = uprobe_target_inode(t)->code;

		/* Every site the CPU would trap on, in order. */
		for (unsigned int s = 0; s < UPROBE_SITES; s++)
			uprobe_call_hit(code + uprobe_site_offset(s));
	} else {
		unsigned long x = torture_random(&c->rnd);

		if (uprobe_target_call(t, x) != x + UPROBE_TARGET_ADDS)
			wl_error(run, c, "displaced instruction emulated wrongly");
	}
	finish_hits(run, c, st);
}

/* The updater's index among the updaters (0 when the readers update). */
static unsigned int owner_of(const struct wl_run *run, const struct wl_cpu *c)
{
	return c->updater ? c->cpu - (run->ncpus - run->nr_updaters) : 0;
}

static void update_op(struct wl_run *run, struct wl_cpu *c)
{
	struct uprobe_state *st = run->priv;
	unsigned int owner = owner_of(run, c), site;
	struct inode *inode;
	unsigned long offset;
	int err;

	if (st->lifetime) {
		/* The sites of target 0 every reader is hitting. */
		site = owner % UPROBE_SITES;
	} else {
		/* A cold site of this updater's share. */
		site = torture_random(&c->rnd) % NR_COLD;
		site -= site % st->nr_owners;
		site += owner + COLD_FIRST * UPROBE_SITES;
		if (site >= NR_SITES)
			return;
	}
	site_of(site, &inode, &offset);
	if (st->registered[site])
		err = uprobe_unregister(inode, offset, &st->consumer);
	else
		err = uprobe_register(inode, offset, &st->consumer);
	if (err == -ENOMEM) {
		c->misses++;	/* registration could not allocate: try again later */
		return;
	}
	if (err) {
		wl_error(run, c, "uprobe (un)registration failed");
		return;
	}
	st->registered[site] = !st->registered[site];
}

static unsigned int nr_updaters(unsigned int ncpus)
{
	return ncpus >= 4 ? 2 : 1;
}

/* ---- setup and teardown ---- */

static int register_site(struct uprobe_state *st, unsigned int site)
{
	struct inode *inode;
	unsigned long offset;
	int err;

	site_of(site, &inode, &offset);
	err = uprobe_register(inode, offset, &st->consumer);
	if (!err)
		st->registered[site] = true;
	return err;
}

static int setup(struct wl_run *run)
{
	struct uprobe_state *st = kzalloc(sizeof(*st));
	const char *hit = cmdline_get("hit"), *probe = cmdline_get("probe");
	int err;

	if (!st)
		return -ENOMEM;
	run->priv = st;
	st->mode = run->mode->id;
	st->call = hit && !strcmp(hit, "call");
	st->disjoint = probe && !strcmp(probe, "disjoint");
	st->lifetime = st->mode == UP_RCU_RACY || st->mode == UP_RCU_CHURN;
	st->consumer.handler = count_hit;
	st->nr_owners = max(run->nr_updaters, 1u);
	for (unsigned int cpu = 0; cpu < run->ncpus; cpu++)
		memset(per_cpu_ptr(&upwl_cpu, cpu), 0, sizeof(struct upwl_cpu));
	err = uprobes_init(st->mode);
	if (err)
		return err;
	/* The hot uprobes: the one every reader hits, or one per reader's target. */
	for (unsigned int t = 0; t < (st->disjoint && !st->lifetime ? HOT_TARGETS : 1); t++) {
		err = register_site(st, t * UPROBE_SITES + HOT_SITE);
		if (err)
			return err;
	}
	/* The cold ones, every other site of the updaters' targets. */
	for (unsigned int s = COLD_FIRST * UPROBE_SITES; s < NR_SITES; s += 2) {
		err = register_site(st, s);
		if (err)
			return err;
	}
	return 0;
}

static void teardown(struct wl_run *run)
{
	struct uprobe_state *st = run->priv;
	unsigned long hits = 0, misses = 0;
	uint64_t ns = max(run->stop_ns - run->start_ns, (uint64_t)1);

	for (unsigned int cpu = 0; cpu < run->ncpus; cpu++) {
		struct uprobe_cpu *uc = per_cpu_ptr(&uprobe_cpu, cpu);
		struct upwl_cpu *wc = per_cpu_ptr(&upwl_cpu, cpu);

		hits += wc->hits;
		misses += uc->misses;
		uc->misses = 0;
		/* References the rcu-racy readers still hold (their CPUs are idle now). */
		for (unsigned int i = 0; i < wc->nr_held; i++)
			if (wc->held[i] && READ_ONCE(wc->held[i]->magic) == UPROBE_MAGIC)
				put_uprobe(wc->held[i]);
		wc->nr_held = 0;
	}
	snprintf(run->headline_keys, sizeof(run->headline_keys), " hits_ps=%llu",
		 (unsigned long long)(hits * 1000000000ull / ns));
	snprintf(run->result_keys, sizeof(run->result_keys),
		 " hits=%lu stale_traps=%lu hit=%s probe=%s", hits, misses,
		 st && st->call ? "call" : "trap",
		 st && st->disjoint && !st->lifetime ? "disjoint" : "shared");
	if (st) {
		for (unsigned int s = 0; s < NR_SITES; s++) {
			struct inode *inode;
			unsigned long offset;

			if (!st->registered[s])
				continue;
			site_of(s, &inode, &offset);
			uprobe_unregister(inode, offset, &st->consumer);
		}
		kfree(st);
		run->priv = NULL;
	}
	uprobes_exit();
}

static const struct workload uprobe_wl = {
	.name = "uprobe",
	.seed = "004",
	.modes = uprobe_modes,
	.nr_modes = ARRAY_SIZE(uprobe_modes),
	.nr_updaters = nr_updaters,
	.update_hz = REG_HZ,
	.mode_update_hz = mode_update_hz,
	.update_what = "one register or unregister of a cold uprobe (a text patch, an IPI to "
		       "every CPU), ~1/s as in the seed's scaling situation; rcu-racy and "
		       "rcu-churn toggle the readers' own sites as fast as they can",
	.headline = "hits_ps",
	.setup = setup,
	.read_op = read_op,
	.update_op = update_op,
	.teardown = teardown,
};
DEFINE_WORKLOAD(uprobe_wl, "uprobe", "seed 004: breakpoint hits, rwlock vs RCU+seqcount vs SRCU");
