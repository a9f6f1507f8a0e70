/* SPDX-License-Identifier: MIT */
/*
 * Red-black trees with Linux's names (lib/rbtree.c), including lookups
 * that run without the writers' lock, under rcu_read_lock(), validated by
 * a seqcount (seed 004's rb_find_rcu()):
 *
 *	rcu_read_lock();
 *	do {
 *		seq = read_seqcount_begin(&tree_seq);
 *		node = rb_find_rcu(&key, &tree, cmp);
 *		if (node)
 *			break;		   a hit is always the right node
 *	} while (read_seqcount_retry(&tree_seq, seq));	a miss may be false
 *	... use node (refcount_inc_not_zero() to keep it past the section) ...
 *	rcu_read_unlock();
 *
 * Writers hold a lock, wrap each insert/erase in write_seqcount_begin/end,
 * and free erased nodes only after a grace period. Every child-pointer
 * store of an insert, erase or rotation is a release, and each operation
 * orders its stores so that a lockless reader following child pointers
 * never meets a cycle: it may go down the wrong side of a node being
 * moved and miss a key (false negative), never find a wrong node (a hit
 * is a node whose key compared equal) and never loop. Readers also stop
 * after RB_MAX_DEPTH steps, so even a bug cannot make them spin forever.
 */
#ifndef QUIESCE_RBTREE_H
#define QUIESCE_RBTREE_H

#include <compiler.h>
#include <rcu_pointer.h>

struct rb_node {
	unsigned long __rb_parent_color;	/* parent | colour (bit 0: black) */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __aligned(sizeof(long));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT			(struct rb_root) { NULL }
#define RB_EMPTY_ROOT(root)	(READ_ONCE((root)->rb_node) == NULL)
#define rb_entry(ptr, type, member)	container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) ({				\
	__typeof__(ptr) ____ptr = (ptr);				\
	____ptr ? rb_entry(____ptr, type, member) : NULL;		\
})
#define rb_parent(r)	((struct rb_node *)((r)->__rb_parent_color & ~3UL))

/* A node not in any tree points to itself (RB_CLEAR_NODE). */
#define RB_EMPTY_NODE(node)	((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node)	((node)->__rb_parent_color = (unsigned long)(node))

/* Height bound of any red-black tree addressable here: 2 * log2(nodes). */
#define RB_MAX_DEPTH	(2 * 8 * (int)sizeof(long))

/* Writers (under their lock). */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order walks (writers, or readers holding the writers' lock). */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* Link node under parent at *link, red, before rb_insert_color(). */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

/* The same, publishing node to lockless readers: its fields first. */
static inline void rb_link_node_rcu(struct rb_node *node, struct rb_node *parent,
				    struct rb_node **link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	/* Release: pairs with rb_find_rcu()'s dependency-ordered loads. */
	rcu_assign_pointer(*link, node);
}

/* Insert node ordered by less(); duplicates go right. Writer. */
static inline void rb_add(struct rb_node *node, struct rb_root *tree,
			  bool (*less)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = less(node, parent) ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node_rcu(node, parent, link);
	rb_insert_color(node, tree);
}

/* Insert node unless one comparing equal exists: then return that one. */
static inline struct rb_node *rb_find_add(struct rb_node *node, struct rb_root *tree,
					  int (*cmp)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_node, *parent = NULL;

	while (*link) {
		int c;

		parent = *link;
		c = cmp(node, parent);
		if (c < 0)
			link = &parent->rb_left;
		else if (c > 0)
			link = &parent->rb_right;
		else
			return parent;
	}
	rb_link_node_rcu(node, parent, link);
	rb_insert_color(node, tree);
	return NULL;
}

/* Every insert publishes with release already: the _rcu name is Linux's. */
#define rb_find_add_rcu(node, tree, cmp)	rb_find_add(node, tree, cmp)

/* Look key up; writer, or holding the writers' lock. */
static inline struct rb_node *rb_find(const void *key, const struct rb_root *tree,
				      int (*cmp)(const void *key, const struct rb_node *))
{
	struct rb_node *node = tree->rb_node;

	while (node) {
		int c = cmp(key, node);

		if (c < 0)
			node = node->rb_left;
		else if (c > 0)
			node = node->rb_right;
		else
			return node;
	}
	return NULL;
}

/*
 * Look key up without the lock, inside rcu_read_lock(): a non-NULL result
 * is the node with that key; NULL may be a miss caused by a concurrent
 * rotation: retry while the tree's seqcount says it changed.
 */
static inline struct rb_node *rb_find_rcu(const void *key, const struct rb_root *tree,
					  int (*cmp)(const void *key, const struct rb_node *))
{
	/* Dependency-ordered loads: pair with the writers' release stores. */
	struct rb_node *node = rcu_dereference_raw(tree->rb_node);

	for (int depth = 0; node && depth < RB_MAX_DEPTH; depth++) {
		int c = cmp(key, node);

		if (c < 0)
			node = rcu_dereference_raw(node->rb_left);
		else if (c > 0)
			node = rcu_dereference_raw(node->rb_right);
		else
			return node;
	}
	return NULL;
}

/*
 * The two comparators of a tree of type keyed by its unsigned long
 * key_member: prefix##_cmp(a, b) for rb_find_add(), prefix##_key_cmp(key,
 * n) for rb_find(), the key given by address.
 */
#define RB_DEFINE_ULONG_KEY(prefix, type, node_member, key_member)			\
static __maybe_unused int prefix##_cmp(struct rb_node *a, const struct rb_node *b)	\
{											\
	unsigned long x = rb_entry(a, type, node_member)->key_member;			\
	unsigned long y = rb_entry(b, type, node_member)->key_member;			\
											\
	return x < y ? -1 : x > y;							\
}											\
static __maybe_unused int prefix##_key_cmp(const void *key, const struct rb_node *n)	\
{											\
	unsigned long k = *(const unsigned long *)key;					\
	unsigned long y = rb_entry(n, type, node_member)->key_member;			\
											\
	return k < y ? -1 : k > y;							\
}

#endif
