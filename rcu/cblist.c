// SPDX-License-Identifier: MIT
/*
 * The segmented callback list (see rcu/rcu.h). Pure list manipulation:
 * the caller holds whatever lock guards the list.
 */
#include "rcu.h"
#include <kernel.h>

void rcu_cblist_init(struct rcu_cblist *l)
{
	l->head = NULL;
	for (int i = 0; i < RCU_NSEGS; i++) {
		l->tails[i] = &l->head;
		l->gp_seq[i] = 0;
	}
	l->len = 0;
	l->invoking = false;
}

void rcu_cblist_advance(struct rcu_cblist *l, unsigned long cur)
{
	while (!rcu_cblist_seg_empty(l, RCU_WAIT) &&
	       ULONG_CMP_GE(cur, l->gp_seq[RCU_WAIT])) {
		/* WAIT joins DONE; NEXT (possibly empty) becomes WAIT. */
		l->tails[RCU_DONE] = l->tails[RCU_WAIT];
		l->tails[RCU_WAIT] = l->tails[RCU_NEXT];
		l->gp_seq[RCU_WAIT] = l->gp_seq[RCU_NEXT];
	}
}

void rcu_cblist_enqueue(struct rcu_cblist *l, unsigned long cur,
			struct rcu_head *first, struct rcu_head **lastp, long n)
{
	unsigned long tag = rcu_seq_snap_of(cur);
	int seg;

	rcu_cblist_advance(l, cur);
	if (rcu_cblist_seg_empty(l, RCU_WAIT) || l->gp_seq[RCU_WAIT] == tag) {
		/* NEXT is empty whenever WAIT is, or when WAIT has our tag
		 * (NEXT's tag would be later than any tag issued so far). */
		seg = RCU_WAIT;
	} else {
		/*
		 * WAIT holds an older tag. A third distinct tag cannot
		 * exist: snap_of(cur) exceeding NEXT's tag, itself above
		 * WAIT's, implies cur >= WAIT's tag, and the advance above
		 * has already emptied WAIT.
		 */
		BUG_ON(!rcu_cblist_seg_empty(l, RCU_NEXT) && l->gp_seq[RCU_NEXT] != tag);
		seg = RCU_NEXT;
	}
	*l->tails[RCU_NEXT] = first;
	*lastp = NULL;
	l->tails[RCU_NEXT] = lastp;
	if (seg == RCU_WAIT)
		l->tails[RCU_WAIT] = lastp;
	l->gp_seq[seg] = tag;
	l->len += n;
}

struct rcu_head *rcu_cblist_take_done(struct rcu_cblist *l, struct rcu_head ***lastp)
{
	struct rcu_head *first = l->head, **done_tail = l->tails[RCU_DONE];

	if (done_tail == &l->head)
		return NULL;
	/* The whole segment at once: no walk over callbacks not yet run. */
	l->head = *done_tail;
	*done_tail = NULL;
	for (int i = 0; i < RCU_NSEGS; i++)
		if (l->tails[i] == done_tail)
			l->tails[i] = &l->head;
	*lastp = done_tail;
	return first;
}

void rcu_cblist_return_done(struct rcu_cblist *l, struct rcu_head *first,
			    struct rcu_head **lastp)
{
	/* Ahead of everything queued since: they were ready first. */
	*lastp = l->head;
	for (int i = 0; i < RCU_NSEGS; i++)
		if (l->tails[i] == &l->head)
			l->tails[i] = lastp;
	l->head = first;
}

long rcu_cblist_take_all(struct rcu_cblist *l, struct rcu_head **first,
			 struct rcu_head ***lastp)
{
	long n = 0;

	*first = l->head;
	*lastp = l->tails[RCU_NEXT];
	for (struct rcu_head *h = l->head; h; h = h->next)
		n++;
	l->head = NULL;
	for (int i = 0; i < RCU_NSEGS; i++)
		l->tails[i] = &l->head;
	l->len -= n;
	return n;
}

bool rcu_cblist_next_gp(const struct rcu_cblist *l, unsigned long *gp)
{
	if (rcu_cblist_seg_empty(l, RCU_WAIT))
		return false;
	*gp = l->gp_seq[rcu_cblist_seg_empty(l, RCU_NEXT) ? RCU_WAIT : RCU_NEXT];
	return true;
}

long rcu_invoke_list(struct rcu_head **listp, long limit)
{
	struct rcu_head *list = *listp;
	long n = 0;

	while (list && n < limit) {
		struct rcu_head *next = list->next;	/* func may free list */

		list->func(list);
		list = next;
		n++;
	}
	*listp = list;
	return n;
}
