/* SPDX-License-Identifier: MIT */
/*
 * Lists that readers walk under rcu_read_lock() while one writer (holding
 * the list's lock) adds and removes entries. Linux's names and rules:
 *
 *  - an add publishes the fully initialised entry with a release store
 *    (rcu_assign_pointer), pairing with the reader's dependency-ordered
 *    load in the _rcu iterators: a reader that sees the entry sees its
 *    contents;
 *  - a delete unlinks the entry but leaves its ->next intact, so a reader
 *    standing on it can still move on; the entry may be freed only after
 *    a grace period (call_rcu, kfree_rcu, synchronize_rcu).
 *
 * Writers still serialise against each other with their own lock.
 */
#ifndef QUIESCE_RCULIST_H
#define QUIESCE_RCULIST_H

#include <list.h>
#include <rcupdate.h>

#define list_next_rcu(l)	(*((struct list_head __rcu **)(&(l)->next)))

/* Link n, initialised, between prev and next: readers see it whole. */
static inline void __list_add_rcu(struct list_head *n, struct list_head *prev,
				  struct list_head *next)
{
	n->next = next;
	n->prev = prev;
	rcu_assign_pointer(list_next_rcu(prev), n);	/* publish n, initialised */
	next->prev = n;
}

/* At the head: forward walks see n first. */
static inline void list_add_rcu(struct list_head *n, struct list_head *head)
{
	__list_add_rcu(n, head, head->next);
}

/* At the tail: forward walks see n last. */
static inline void list_add_tail_rcu(struct list_head *n, struct list_head *head)
{
	__list_add_rcu(n, head->prev, head);
}

/*
 * Unlink e; readers on e still reach the rest through e->next. The store
 * that skips e is a release too: a reader that loads it reaches e->next,
 * whose contents were published by an earlier release it must also see
 * (free on every arch here by address dependency; the host build's
 * ThreadSanitizer needs it said).
 */
static inline void list_del_rcu(struct list_head *e)
{
	struct list_head *prev = e->prev, *next = e->next;

	next->prev = prev;
	rcu_assign_pointer(list_next_rcu(prev), next);
	e->prev = (struct list_head *)0x122;
}

#define list_entry_rcu(ptr, type, member) \
	container_of(rcu_dereference_raw(ptr), type, member)

/* Walk under rcu_read_lock() (or with the writer's lock held). */
#define list_for_each_entry_rcu(pos, head, member)			\
	for ((pos) = list_entry_rcu((head)->next, __typeof__(*(pos)), member); \
	     &(pos)->member != (head);					\
	     (pos) = list_entry_rcu((pos)->member.next, __typeof__(*(pos)), member))

#define hlist_first_rcu(h)	(*((struct hlist_node __rcu **)(&(h)->first)))
#define hlist_next_rcu(n)	(*((struct hlist_node __rcu **)(&(n)->next)))

static inline void hlist_add_head_rcu(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	WRITE_ONCE(n->pprev, &h->first);
	rcu_assign_pointer(hlist_first_rcu(h), n);	/* publish n, initialised */
	if (first)
		first->pprev = &n->next;
}

/* Unlink n (release, as list_del_rcu); readers on n still move on. */
static inline void __hlist_del_rcu(struct hlist_node *n)
{
	struct hlist_node *next = n->next, **pprev = n->pprev;

	rcu_assign_pointer(*(struct hlist_node __rcu **)pprev, next);
	if (next)
		next->pprev = pprev;
}

static inline void hlist_del_rcu(struct hlist_node *n)
{
	__hlist_del_rcu(n);
	WRITE_ONCE(n->pprev, (struct hlist_node **)0x122);
}

/* Unlink n and mark it unhashed (hlist_unhashed_lockless sees it). */
static inline void hlist_del_init_rcu(struct hlist_node *n)
{
	if (!hlist_unhashed(n)) {
		__hlist_del_rcu(n);
		WRITE_ONCE(n->pprev, NULL);
	}
}

#define hlist_for_each_entry_rcu(pos, head, member)			\
	for ((pos) = hlist_entry_safe(rcu_dereference_raw(hlist_first_rcu(head)), \
				      __typeof__(*(pos)), member);	\
	     (pos);							\
	     (pos) = hlist_entry_safe(rcu_dereference_raw(hlist_next_rcu(&(pos)->member)), \
				      __typeof__(*(pos)), member))

#endif
