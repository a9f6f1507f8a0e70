// SPDX-License-Identifier: MIT
/*
 * Lock debugging: recursion, unlock by a non-holder, lock-order
 * inversion (see include/lockdep.h for what is checked and what it costs).
 *
 * State:
 *  - held_locks (per CPU): the locks this CPU holds or is waiting for,
 *    in acquisition order. Only its CPU touches it, with interrupts
 *    masked (a handler may take locks in the middle of an update).
 *  - classes[], after[][], edges[]: the lock classes and the recorded
 *    orders, guarded by graph_lock. after[] is also read without it: a
 *    set bit never clears, so a reader that sees it set is right, and
 *    one that sees it clear takes graph_lock and looks again.
 *
 * graph_lock is a bare test-and-set lock on uncounted atomics: lockdep's
 * bookkeeping must not show up in the atomics statistics of the locks it
 * checks. It is taken only when a class or an order is seen for the
 * first time, always with interrupts masked, and no lock is taken under it.
 */
#include <lockdep.h>
#include <arch.h>
#include <kernel.h>
#include <ksyms.h>
#include <percpu.h>

#pragma weak ksym_lookup	/* the host build has no symbol table */

#define MAX_CLASSES	256
#define MAX_EDGES	1024
#define MAX_HELD	16

/* How a class has been taken, for the interrupt-safety check. */
enum lock_usage {
	USED_IN_HARDIRQ,	/* taken (waiting) by an interrupt handler */
	USED_IRQS_ON,		/* held with interrupts enabled */
	NR_USAGE,
};

struct lock_class {
	const void *key;	/* lock_class_key or, for a static lock, the map */
	const char *name;	/* the first lock's name; NULL: unnamed */
	unsigned int index;	/* in classes[] and after[] */
	uintptr_t usage_ip[NR_USAGE];	/* first such use, 0: none; graph_lock */
};

/* The first time "to" was taken while "from" was held, and where. */
struct lock_edge {
	uint16_t from, to;
	uintptr_t from_ip, to_ip;
};

struct held_lock {
	struct lockdep_map *map;
	struct lock_class *class;	/* NULL: out of classes, not tracked */
	uintptr_t ip;			/* where it was taken */
	bool skip;			/* a reported recursion: not taken */
};

struct held_stack {
	unsigned int depth;
	struct held_lock held[MAX_HELD];
};

#ifdef CONFIG_DEBUG
static DEFINE_PER_CPU(struct held_stack, held_locks);
static DEFINE_PER_CPU(unsigned int, hardirq_depth);	/* only its CPU */

static int graph_lock;
static struct lock_class classes[MAX_CLASSES];	/* guarded by graph_lock */
static unsigned int nr_classes;			/* guarded by graph_lock */
static uint64_t after[MAX_CLASSES][MAX_CLASSES / 64];	/* set under graph_lock */
static struct lock_edge edges[MAX_EDGES];	/* guarded by graph_lock */
static unsigned int nr_edges;			/* guarded by graph_lock */
static bool lockdep_off;	/* set once, on overflow: checks stop */
#endif

unsigned long lockdep_reports[LOCKDEP_NR_KINDS];
unsigned long lockdep_unexpected;	/* reports printed by the default hook */
static lockdep_hook_t report_hook;

#ifdef CONFIG_DEBUG
static void graph_lock_take(void)
{
	/* A handler that interrupted us here would deadlock on it. */
	BUG_ON(!arch_irqs_disabled());
	/* Acquire: pairs with the release in graph_lock_drop(). */
	while (__atomic_exchange_n(&graph_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void graph_lock_drop(void)
{
	__atomic_store_n(&graph_lock, 0, __ATOMIC_RELEASE);
}

static bool order_seen(unsigned int a, unsigned int b)
{
	return __atomic_load_n(&after[a][b / 64], __ATOMIC_RELAXED) & (1ull << (b % 64));
}

#endif

static void print_ip(uintptr_t ip)
{
	uintptr_t off;
	const char *name = ksym_lookup ? ksym_lookup(ip, &off) : NULL;

	if (name)
		printk("%s+0x%lx", name, (unsigned long)off);
	else
		printk("0x%lx", (unsigned long)ip);
}

void lockdep_print_report(const struct lockdep_report *r)
{
	switch (r->kind) {
	case LOCKDEP_RECURSION:
		printk("lockdep: recursive locking on CPU %u: %s taken at ",
		       r->cpu, r->lock);
		print_ip(r->ip);
		printk(", already held since ");
		print_ip(r->prev_ip);
		printk("\n");
		break;
	case LOCKDEP_NOT_HELD:
	case LOCKDEP_NOT_HELD_BY_CALLER: {
		bool unlock = r->kind == LOCKDEP_NOT_HELD;

		printk("lockdep: CPU %u %s %s at ", r->cpu, unlock ? "unlocks" : "must hold",
		       r->lock);
		print_ip(r->ip);
		if (r->owner >= 0)
			printk(" but CPU %d holds it\n", r->owner);
		else
			printk(unlock ? " but does not hold it\n" : " but nobody holds it\n");
		break;
	}
	case LOCKDEP_INVERSION:
		printk("lockdep: lock order inversion on CPU %u: %s taken at ",
		       r->cpu, r->lock);
		print_ip(r->ip);
		printk(" while holding %s taken at ", r->other);
		print_ip(r->other_ip);
		printk("; earlier %s was taken at ", r->other);
		print_ip(r->prev_inner_ip);
		printk(" while holding %s taken at ", r->lock);
		print_ip(r->prev_outer_ip);
		printk("\n");
		break;
	case LOCKDEP_IRQ_UNSAFE:
		printk("lockdep: %s is taken in an interrupt handler at ", r->lock);
		print_ip(r->ip);
		printk(" and held with interrupts enabled at ");
		print_ip(r->other_ip);
		printk(": an interrupt on the CPU holding it would deadlock\n");
		break;
	default:
		printk("lockdep: more than %d locks held on CPU %u at ",
		       MAX_HELD, r->cpu);
		print_ip(r->ip);
		printk("; lock checking is off from now on\n");
		break;
	}
}

lockdep_hook_t lockdep_set_report_hook(lockdep_hook_t hook)
{
	return __atomic_exchange_n(&report_hook, hook, __ATOMIC_RELAXED);
}

/*
 * Without CONFIG_DEBUG the hooks in include/lockdep.h are empty: nothing
 * below runs, and the reporting interface above only keeps its callers
 * (the lockdep tests, which are then skipped) compiling.
 */
#ifdef CONFIG_DEBUG
static void report(struct lockdep_report *r)
{
	lockdep_hook_t hook = __atomic_load_n(&report_hook, __ATOMIC_RELAXED);

	r->cpu = arch_cpu_id();
	__atomic_fetch_add(&lockdep_reports[r->kind], 1, __ATOMIC_RELAXED);
	if (hook) {
		hook(r);
		return;
	}
	__atomic_fetch_add(&lockdep_unexpected, 1, __ATOMIC_RELAXED);
	lockdep_print_report(r);
	dump_stack();
}

/* Unnamed locks (zero-initialised) print as lock@<address>. */
static const char *report_name(struct lockdep_map *map, const struct lock_class *c)
{
	return c && c->name ? c->name : map->name ? map->name : "(unnamed lock)";
}

/*
 * The lock's class, registered on first use; NULL if the table is full.
 * Interrupts masked: a handler on this CPU that needed graph_lock while
 * we held it would spin on it forever.
 */
static struct lock_class *map_class(struct lockdep_map *map)
{
	struct lock_class *c = __atomic_load_n(&map->class, __ATOMIC_ACQUIRE);
	const void *key = map->key ? (const void *)map->key : (const void *)map;

	if (c)
		return c;
	graph_lock_take();
	for (unsigned int i = 0; i < nr_classes; i++)
		if (classes[i].key == key) {
			c = &classes[i];
			break;
		}
	if (!c && nr_classes < MAX_CLASSES) {
		c = &classes[nr_classes];
		c->key = key;
		c->name = map->name;
		c->index = nr_classes++;
	}
	graph_lock_drop();
	/* Release: the class's fields before the pointer to it. */
	if (c)
		__atomic_store_n(&map->class, c, __ATOMIC_RELEASE);
	return c;
}

/*
 * The first time c is taken while held's class is held: record the order
 * and report it if the opposite one was recorded before. Out of line and
 * apart from check_order(), like every report below: a report on the
 * stack is 72 bytes that the compiler clears with a call to memset() (on
 * ARM picolibc's, a byte loop: about 330 ns per lock under QEMU's TCG), and the
 * lock fast path builds none.
 */
static __noinline void record_order(const struct held_lock *held, struct lock_class *c,
				    struct lockdep_map *map, uintptr_t ip)
{
	unsigned int a = held->class->index, b = c->index;
	struct lockdep_report r = { .kind = LOCKDEP_INVERSION };
	bool inverted = false;

	graph_lock_take();
	if (!order_seen(a, b)) {
		__atomic_store_n(&after[a][b / 64], after[a][b / 64] | (1ull << (b % 64)),
				 __ATOMIC_RELAXED);
		if (nr_edges < MAX_EDGES)
			edges[nr_edges++] = (struct lock_edge){ a, b, held->ip, ip };
		if (order_seen(b, a)) {
			inverted = true;
			for (unsigned int i = 0; i < nr_edges; i++)
				if (edges[i].from == b && edges[i].to == a) {
					r.prev_outer_ip = edges[i].from_ip;
					r.prev_inner_ip = edges[i].to_ip;
					break;
				}
		}
	}
	graph_lock_drop();
	if (!inverted)
		return;
	r.lock = report_name(map, c);
	r.ip = ip;
	r.other = report_name(held->map, held->class);
	r.other_ip = held->ip;
	report(&r);
}

/* held (taken at held->ip) is held and c is being taken at ip. */
static inline void check_order(const struct held_lock *held, struct lock_class *c,
			       struct lockdep_map *map, uintptr_t ip)
{
	if (!order_seen(held->class->index, c->index))
		record_order(held, c, map, ip);
}

/* The first use of c of this kind: record it, report an unsafe mix. */
static __noinline void record_irq_usage(struct lockdep_map *map, struct lock_class *c,
					uintptr_t ip, enum lock_usage use)
{
	struct lockdep_report r = { .kind = LOCKDEP_IRQ_UNSAFE };
	bool unsafe;

	graph_lock_take();
	unsafe = !c->usage_ip[use] && c->usage_ip[!use];
	if (!c->usage_ip[use])
		__atomic_store_n(&c->usage_ip[use], ip, __ATOMIC_RELAXED);
	r.ip = c->usage_ip[USED_IN_HARDIRQ];
	r.other_ip = c->usage_ip[USED_IRQS_ON];
	graph_lock_drop();
	if (!unsafe)
		return;
	r.lock = report_name(map, c);
	report(&r);
}

/*
 * Interrupts are masked (the caller saved them: irqs_on is how the lock's
 * user had them). A class both taken by interrupt handlers and held with
 * interrupts on can deadlock one CPU against itself: reported once, the
 * first time the second kind of use appears. A trylock cannot wait, so
 * in a handler it does not count (try is true); held, it still does.
 */
static inline void check_irq_usage(struct lockdep_map *map, struct lock_class *c,
				   uintptr_t ip, bool irqs_on, bool try)
{
	enum lock_usage use;

	if (*this_cpu_ptr(&hardirq_depth))
		use = USED_IN_HARDIRQ;
	else if (irqs_on)
		use = USED_IRQS_ON;
	else
		return;
	if (!c || (use == USED_IN_HARDIRQ && try) ||
	    __atomic_load_n(&c->usage_ip[use], __ATOMIC_RELAXED))
		return;
	record_irq_usage(map, c, ip, use);
}

void lockdep_hardirq_enter(void)
{
	(*this_cpu_ptr(&hardirq_depth))++;
}

void lockdep_hardirq_exit(void)
{
	(*this_cpu_ptr(&hardirq_depth))--;
}

static struct held_lock *push(struct held_stack *hs, struct lockdep_map *map,
			      struct lock_class *c, uintptr_t ip)
{
	struct held_lock *h;

	if (hs->depth == MAX_HELD) {
		struct lockdep_report r = { .kind = LOCKDEP_TOO_DEEP, .ip = ip };

		WRITE_ONCE(lockdep_off, true);
		report(&r);
		return NULL;
	}
	h = &hs->held[hs->depth++];
	*h = (struct held_lock){ .map = map, .class = c, .ip = ip };
	return h;
}

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      const struct lock_class_key *key)
{
	map->name = name;
	map->key = key;
	map->class = NULL;
	map->owner = 0;
}

/* noinline: __builtin_return_address(0) is then the lock's call site. */
__noinline bool lock_acquire(struct lockdep_map *map)
{
	uintptr_t ip = (uintptr_t)__builtin_return_address(0);
	struct held_stack *hs;
	struct lock_class *c;
	unsigned long flags;
	bool irqs_on, ok = true;

	if (READ_ONCE(lockdep_off))
		return true;
	irqs_on = !arch_irqs_disabled();
	/* Masked before map_class(): graph_lock is never taken with interrupts on. */
	flags = arch_irq_save();
	c = map_class(map);
	check_irq_usage(map, c, ip, irqs_on, false);
	hs = this_cpu_ptr(&held_locks);
	for (unsigned int i = 0; i < hs->depth; i++) {
		if (hs->held[i].map == map) {
			struct lockdep_report r = {
				.kind = LOCKDEP_RECURSION, .ip = ip,
				.lock = report_name(map, c),
				.prev_ip = hs->held[i].ip,
			};
			struct held_lock *h = push(hs, map, c, ip);

			if (h)
				h->skip = true;
			report(&r);
			ok = false;
			goto out;
		}
	}
	if (c)
		for (unsigned int i = 0; i < hs->depth; i++)
			if (hs->held[i].class && hs->held[i].class != c)
				check_order(&hs->held[i], c, map, ip);
	push(hs, map, c, ip);
out:
	arch_irq_restore(flags);
	return ok;
}

__noinline void lock_acquire_try(struct lockdep_map *map)
{
	uintptr_t ip = (uintptr_t)__builtin_return_address(0);
	struct lock_class *c;
	unsigned long flags;
	bool irqs_on;

	if (READ_ONCE(lockdep_off))
		return;
	irqs_on = !arch_irqs_disabled();
	flags = arch_irq_save();
	c = map_class(map);
	check_irq_usage(map, c, ip, irqs_on, true);
	push(this_cpu_ptr(&held_locks), map, c, ip);
	arch_irq_restore(flags);
}

/* map is not on this CPU's held stack at ip; interrupts are masked. */
static void report_not_held(struct lockdep_map *map, enum lockdep_kind kind, uintptr_t ip)
{
	struct lockdep_report r = {
		.kind = kind, .ip = ip,
		.lock = report_name(map, __atomic_load_n(&map->class, __ATOMIC_ACQUIRE)),
		.owner = __atomic_load_n(&map->owner, __ATOMIC_RELAXED) - 1,
	};

	report(&r);
}

/* The held stack is this CPU's own: masking interrupts is all it takes. */
__noinline void lock_assert_held(struct lockdep_map *map)
{
	uintptr_t ip = (uintptr_t)__builtin_return_address(0);
	struct held_stack *hs;
	unsigned long flags;
	unsigned int i;

	if (READ_ONCE(lockdep_off))
		return;
	flags = arch_irq_save();
	hs = this_cpu_ptr(&held_locks);
	for (i = 0; i < hs->depth; i++)
		if (hs->held[i].map == map)
			break;
	if (i == hs->depth)
		report_not_held(map, LOCKDEP_NOT_HELD_BY_CALLER, ip);
	arch_irq_restore(flags);
}

__noinline bool lock_release(struct lockdep_map *map)
{
	uintptr_t ip = (uintptr_t)__builtin_return_address(0);
	unsigned long flags;
	struct held_stack *hs;
	bool ok = true;
	int i;

	if (READ_ONCE(lockdep_off))
		return true;
	flags = arch_irq_save();
	hs = this_cpu_ptr(&held_locks);
	for (i = (int)hs->depth - 1; i >= 0; i--)
		if (hs->held[i].map == map)
			break;
	if (i < 0) {
		report_not_held(map, LOCKDEP_NOT_HELD, ip);
		ok = false;
	} else {
		ok = !hs->held[i].skip;
		hs->depth--;
		for (; i < (int)hs->depth; i++)
			hs->held[i] = hs->held[i + 1];
	}
	arch_irq_restore(flags);
	return ok;
}

/*
 * For the watchdog's report on a CPU stuck with interrupts off: what it
 * holds and, last, what it may be spinning for. Reads another CPU's held
 * stack without its consent; that CPU is not running lockdep code if it
 * is stuck, and a torn line in a panic report is the worst outcome.
 */
void lockdep_print_held(unsigned int cpu)
{
	struct held_stack *hs = per_cpu_ptr(&held_locks, cpu);
	unsigned int depth = READ_ONCE(hs->depth);

	if (depth > MAX_HELD)
		depth = MAX_HELD;
	printk("lockdep: CPU %u holds %u lock%s%s\n", cpu, depth, depth == 1 ? "" : "s",
	       depth ? ", oldest first:" : "");
	for (unsigned int i = 0; i < depth; i++) {
		struct held_lock *h = &hs->held[i];
		struct lockdep_map *map = READ_ONCE(h->map);
		int owner = __atomic_load_n(&map->owner, __ATOMIC_RELAXED) - 1;

		printk("lockdep:   %s taken at ", report_name(map, READ_ONCE(h->class)));
		print_ip(READ_ONCE(h->ip));
		if (owner == (int)cpu)
			printk(", held\n");
		else if (owner >= 0)
			printk(", waiting: held by CPU %d\n", owner);
		else
			printk(", no exclusive owner (shared, a trylock or being handed over)\n");
	}
}
#endif /* CONFIG_DEBUG */
