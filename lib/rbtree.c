// SPDX-License-Identifier: MIT
/*
 * Red-black trees (see include/rbtree.h), balanced the textbook way:
 * insertion recolours up the tree and rotates at most twice; erasure
 * splices out the node (or its in-order successor, which then takes the
 * node's place) and fixes a missing black with at most three rotations.
 *
 * Lockless readers (rb_find_rcu()) only follow rb_left/rb_right, so:
 *  - every store to a child pointer is a release (rb_set_child()), pairing
 *    with the readers' dependency-ordered loads;
 *  - each restructuring unhooks a subtree before hanging it elsewhere,
 *    so no intermediate tree has a cycle (comments at each step). A node
 *    a reader stands on may be moved, sending it down the wrong side:
 *    a miss, which the seqcount retry covers.
 * Parent pointers and colours are for writers only.
 */
#include <rbtree.h>
#include <atomic.h>

#define RB_RED		0UL
#define RB_BLACK	1UL

static inline bool rb_is_black(const struct rb_node *n)
{
	return !n || (n->__rb_parent_color & RB_BLACK);	/* NULL leaves are black */
}

static inline bool rb_is_red(const struct rb_node *n)
{
	return !rb_is_black(n);
}

static inline void rb_set_black(struct rb_node *n)
{
	n->__rb_parent_color |= RB_BLACK;
}

static inline void rb_set_red(struct rb_node *n)
{
	n->__rb_parent_color &= ~RB_BLACK;
}

static inline void rb_set_parent(struct rb_node *n, struct rb_node *p)
{
	n->__rb_parent_color = (n->__rb_parent_color & 3UL) | (unsigned long)p;
}

static inline void rb_set_parent_color(struct rb_node *n, struct rb_node *p,
				       unsigned long color)
{
	n->__rb_parent_color = (unsigned long)p | color;
}

/* A child pointer store: release, for lockless readers. */
static inline void rb_set_child(struct rb_node **slot, struct rb_node *v)
{
	smp_store_release(slot, v);
}

/* Make new take old's place under parent (or at the root). */
static void rb_change_child(struct rb_node *old, struct rb_node *new,
			    struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		rb_set_child(&root->rb_node, new);
	else if (parent->rb_left == old)
		rb_set_child(&parent->rb_left, new);
	else
		rb_set_child(&parent->rb_right, new);
}

/*
 * Children by side, so each mirrored pair of cases is written once: dir
 * is RB_LEFT or RB_RIGHT, !dir the other side.
 */
#define RB_LEFT		0
#define RB_RIGHT	1

static inline struct rb_node **rb_child(struct rb_node *n, int dir)
{
	return dir == RB_LEFT ? &n->rb_left : &n->rb_right;
}

/*
 * Rotate x towards dir: its child y on the other side moves up and x
 * becomes y's dir child (RB_LEFT: the textbook left rotation). Order for
 * lockless readers: unhook y's dir subtree b from y onto x first (y and
 * its other subtree become unreachable for a moment: a reader may miss
 * them), then hang x under y, then y in x's old place. x cannot reach y
 * after the first store, so no step creates a cycle.
 */
static void rb_rotate(struct rb_node *x, int dir, struct rb_root *root)
{
	struct rb_node *y = *rb_child(x, !dir), *b = *rb_child(y, dir), *p = rb_parent(x);

	rb_set_child(rb_child(x, !dir), b);
	if (b)
		rb_set_parent(b, x);
	rb_set_child(rb_child(y, dir), x);
	rb_set_parent(y, p);
	rb_set_parent(x, y);
	rb_change_child(x, y, p, root);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;

	/* node is red; the only possible violation is a red parent. */
	while ((parent = rb_parent(node)) && rb_is_red(parent)) {
		/* gparent exists: a red node is not the root. */
		int side;

		gparent = rb_parent(parent);
		side = parent == gparent->rb_left ? RB_LEFT : RB_RIGHT;
		uncle = *rb_child(gparent, !side);
		if (rb_is_red(uncle)) {
			/* Push the blackness down from gparent. */
			rb_set_black(parent);
			rb_set_black(uncle);
			rb_set_red(gparent);
			node = gparent;
			continue;
		}
		/* node on the inside: rotate it to the outside first. */
		if (node == *rb_child(parent, !side)) {
			rb_rotate(parent, side, root);
			node = parent;
			parent = rb_parent(node);
		}
		rb_set_black(parent);
		rb_set_red(gparent);
		rb_rotate(gparent, !side, root);
	}
	rb_set_black(root->rb_node);
}

/* x (maybe NULL) under parent carries an extra black: push it out. */
static void rb_erase_fixup(struct rb_node *x, struct rb_node *parent, struct rb_root *root)
{
	struct rb_node *w;

	while (x != root->rb_node && rb_is_black(x)) {
		int side = x == parent->rb_left ? RB_LEFT : RB_RIGHT;

		w = *rb_child(parent, !side);	/* exists: x's side is one black short */
		if (rb_is_red(w)) {
			rb_set_black(w);
			rb_set_red(parent);
			rb_rotate(parent, side, root);
			w = *rb_child(parent, !side);
		}
		if (rb_is_black(w->rb_left) && rb_is_black(w->rb_right)) {
			rb_set_red(w);
			x = parent;
			parent = rb_parent(x);
			continue;
		}
		if (rb_is_black(*rb_child(w, !side))) {
			rb_set_black(*rb_child(w, side));
			rb_set_red(w);
			rb_rotate(w, !side, root);
			w = *rb_child(parent, !side);
		}
		w->__rb_parent_color = (w->__rb_parent_color & ~RB_BLACK) |
				       (parent->__rb_parent_color & RB_BLACK);
		rb_set_black(parent);
		rb_set_black(*rb_child(w, !side));
		rb_rotate(parent, side, root);
		x = root->rb_node;
		break;
	}
	if (x)
		rb_set_black(x);
}

/*
 * Erased nodes keep their own child pointers (a reader standing on one
 * continues into the live tree) until the caller frees them after a
 * grace period.
 */
void rb_erase(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *p = rb_parent(z), *x, *xparent;
	bool removed_black;

	if (!z->rb_left || !z->rb_right) {
		/* At most one child: it takes z's place. */
		x = z->rb_left ? z->rb_left : z->rb_right;
		removed_black = rb_is_black(z);
		xparent = p;
		if (x)
			rb_set_parent(x, p);
		rb_change_child(z, x, p, root);
	} else {
		/* Two children: z's in-order successor s takes z's place. */
		struct rb_node *s = z->rb_right, *sp;

		while (s->rb_left)
			s = s->rb_left;
		sp = rb_parent(s);
		x = s->rb_right;
		removed_black = rb_is_black(s);
		if (sp == z) {
			xparent = s;	/* s keeps its right subtree */
		} else {
			/*
			 * Unhook s first (its right subtree moves up to sp),
			 * then give s z's right subtree: s is unreachable
			 * in between, so s -> z->rb_right -> ... -> sp never
			 * leads back to s.
			 */
			xparent = sp;
			rb_set_child(&sp->rb_left, x);
			if (x)
				rb_set_parent(x, sp);
			rb_set_child(&s->rb_right, z->rb_right);
			rb_set_parent(z->rb_right, s);
		}
		/* s->rb_left was NULL; z's left subtree cannot reach s. */
		rb_set_child(&s->rb_left, z->rb_left);
		rb_set_parent(z->rb_left, s);
		rb_set_parent_color(s, p, z->__rb_parent_color & RB_BLACK);
		rb_change_child(z, s, p, root);
	}
	if (removed_black)
		rb_erase_fixup(x, xparent, root);
}

/* The last node on the dir side below n (n itself if it has no such child). */
static struct rb_node *rb_outermost(struct rb_node *n, int dir)
{
	while (*rb_child(n, dir))
		n = *rb_child(n, dir);
	return n;
}

/* The in-order neighbour of node on the dir side (RB_RIGHT: the next). */
static struct rb_node *rb_step(const struct rb_node *node, int dir)
{
	struct rb_node *n = (struct rb_node *)node, *parent;

	if (*rb_child(n, dir))
		return rb_outermost(*rb_child(n, dir), !dir);
	/* Climb while n is on the dir side of its parent. */
	while ((parent = rb_parent(n)) && n == *rb_child(parent, dir))
		n = parent;
	return parent;
}

struct rb_node *rb_first(const struct rb_root *root)
{
	return root->rb_node ? rb_outermost(root->rb_node, RB_LEFT) : NULL;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	return root->rb_node ? rb_outermost(root->rb_node, RB_RIGHT) : NULL;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	return rb_step(node, RB_RIGHT);
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	return rb_step(node, RB_LEFT);
}
