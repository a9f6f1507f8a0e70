// SPDX-License-Identifier: MIT
/* rbtree: ordering and red-black invariants through inserts and erases. */
#include <rbtree.h>
#include <ktest.h>
#include <mm.h>
#include <torture.h>

struct item {
	struct rb_node node;
	unsigned long key;
};

#define NR_ITEMS	512

RB_DEFINE_ULONG_KEY(item, struct item, node, key)

static bool is_black(const struct rb_node *n)
{
	return !n || (n->__rb_parent_color & 1);
}

/* Black height of n's subtree, or -1 if an invariant fails below n. */
static int check_subtree(const struct rb_node *n, const struct rb_node *parent, int depth)
{
	int l, r;

	if (!n)
		return 1;
	if (rb_parent(n) != parent || depth > RB_MAX_DEPTH)
		return -1;
	if (!is_black(n) && (!is_black(n->rb_left) || !is_black(n->rb_right)))
		return -1;	/* red with a red child */
	l = check_subtree(n->rb_left, n, depth + 1);
	r = check_subtree(n->rb_right, n, depth + 1);
	if (l < 0 || r < 0 || l != r)
		return -1;	/* unequal black heights */
	return l + (is_black(n) ? 1 : 0);
}

static bool tree_ok(struct rb_root *root, unsigned int expect)
{
	unsigned int n = 0;
	unsigned long prev = 0;

	if (!is_black(root->rb_node) || check_subtree(root->rb_node, NULL, 0) < 0)
		return false;
	for (struct rb_node *p = rb_first(root); p; p = rb_next(p), n++) {
		unsigned long k = rb_entry(p, struct item, node)->key;

		if (n && k <= prev)
			return false;
		prev = k;
	}
	if (n != expect)
		return false;
	/* Backwards, the same keys in the opposite order. */
	for (struct rb_node *p = rb_last(root); p; p = rb_prev(p), n--) {
		unsigned long k = rb_entry(p, struct item, node)->key;

		if (n != expect && k >= prev)
			return false;
		prev = k;
	}
	return n == 0;
}

KTEST(rbtree, stays_balanced_and_ordered_through_random_inserts_and_erases)
{
	struct item *items = kmalloc(NR_ITEMS * sizeof(*items));
	struct rb_root root = RB_ROOT;
	static struct item *order[NR_ITEMS];
	struct torture_random r;
	unsigned int live = 0;

	ASSERT_NOT_NULL(t, items);
	torture_random_init(&r, 42);
	for (unsigned int i = 0; i < NR_ITEMS; i++) {
		items[i].key = i * 7919 % NR_ITEMS;	/* a permutation */
		EXPECT_NULL(t, rb_find_add(&items[i].node, &root, item_cmp));
		live++;
	}
	EXPECT_TRUE(t, tree_ok(&root, live));
	/* A duplicate is refused and the existing node returned. */
	{
		struct item dup = { .key = items[3].key };

		EXPECT_PTR_EQ(t, rb_find_add(&dup.node, &root, item_cmp), &items[3].node);
	}
	for (unsigned int i = 0; i < NR_ITEMS; i++) {
		unsigned long k = items[i].key;

		EXPECT_PTR_EQ(t, rb_find(&k, &root, item_key_cmp), &items[i].node);
		EXPECT_PTR_EQ(t, rb_find_rcu(&k, &root, item_key_cmp), &items[i].node);
	}
	/* Erase in a random order, checking the invariants as we go. */
	for (unsigned int i = 0; i < NR_ITEMS; i++)
		order[i] = &items[i];
	for (unsigned int n = NR_ITEMS; n; n--) {
		unsigned int i = torture_random(&r) % n;
		unsigned long k = order[i]->key;

		rb_erase(&order[i]->node, &root);
		order[i] = order[n - 1];
		EXPECT_NULL(t, rb_find(&k, &root, item_key_cmp));
		if ((n & 31) == 0 || n < 8)
			EXPECT_TRUE(t, tree_ok(&root, n - 1));
	}
	EXPECT_TRUE(t, RB_EMPTY_ROOT(&root));
	kfree(items);
}
