/* SPDX-License-Identifier: MIT */
/*
 * seqcount_t and seqlock_t: readers that never write shared memory.
 * Linux names and semantics.
 *
 * A writer makes the sequence odd, updates the data, makes it even again.
 * A reader samples an even sequence, reads the data, and retries if the
 * sequence changed meanwhile:
 *
 *	do {
 *		seq = read_seqcount_begin(&s);
 *		copy = data;
 *	} while (read_seqcount_retry(&s, seq));
 *
 * Whatever the reader copied before a successful retry check is a
 * consistent snapshot; anything it read may be torn until then, so it
 * must not act on (dereference, divide by, index with) the copy inside
 * the loop. Data a reader races with should be accessed with READ_ONCE
 * / WRITE_ONCE (or relaxed atomics), so the compiler neither tears nor
 * caches it.
 *
 * seqcount_t writers must be serialised by the caller (a lock, or a
 * single writer CPU) and must not be interrupted by a reader on the same
 * CPU (it would spin forever on the odd count): disable interrupts if a
 * reader can run in an interrupt handler. seqlock_t bundles the counter
 * with a spinlock that serialises its writers.
 *
 * Ordering: the writer's odd count is ordered before its data stores
 * (smp_wmb in the begin), and its data stores before the even count
 * (smp_wmb in the end). The reader's sample is an acquire (its data
 * loads cannot pass it: pairs with the end's smp_wmb), and its smp_rmb()
 * before the re-check keeps its data loads before the re-read of the
 * sequence (pairs with the begin's smp_wmb). Readers do no RMW and no
 * full barrier: atomics_per_op counts nothing for them.
 */
#ifndef QUIESCE_SEQLOCK_H
#define QUIESCE_SEQLOCK_H

#include <compiler.h>
#include <arch.h>
#include <atomic.h>
#include <spinlock.h>

typedef struct {
	unsigned int sequence;	/* odd while a write is in progress */
} seqcount_t;

#define SEQCNT_ZERO(name)	{ .sequence = 0 }
#define seqcount_init(s)	((s)->sequence = 0)

/* Wait for an even sequence and return it. Spins while a write runs. */
static inline unsigned int read_seqcount_begin(const seqcount_t *s)
{
	unsigned int seq;

	/* Acquire: the data loads that follow see at least the writes made
	 * before the end that produced seq (pairs with its smp_wmb()). */
	while ((seq = smp_load_acquire(&s->sequence)) & 1)
		cpu_relax();
	return seq;
}

/* Sample the sequence without waiting; may be odd (then retry fails). */
static inline unsigned int raw_read_seqcount(const seqcount_t *s)
{
	/* Acquire: as in read_seqcount_begin(). */
	return smp_load_acquire(&s->sequence);
}

/* True if the data read since read_seqcount_begin() returned start may be torn. */
static inline bool read_seqcount_retry(const seqcount_t *s, unsigned int start)
{
	/* Orders the data loads before the re-read; pairs with the smp_wmb()
	 * in raw_write_seqcount_begin(). */
	smp_rmb();
	return __atomic_load_n(&s->sequence, __ATOMIC_RELAXED) != start;
}

/* Begin a write: the caller serialises writers. */
static inline void raw_write_seqcount_begin(seqcount_t *s)
{
	/* A plain store: only the (serialised) writer writes sequence. */
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
	/* Orders the odd count before the data stores; pairs with the
	 * smp_rmb() in read_seqcount_retry(). */
	smp_wmb();
}

static inline void raw_write_seqcount_end(seqcount_t *s)
{
	/* Orders the data stores before the even count; pairs with the
	 * acquire in read_seqcount_begin(). */
	smp_wmb();
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
}

#define write_seqcount_begin(s)	raw_write_seqcount_begin(s)
#define write_seqcount_end(s)	raw_write_seqcount_end(s)

/*
 * Make readers that already started retry, without a data update (for
 * example before freeing what they might be looking at).
 */
static inline void write_seqcount_invalidate(seqcount_t *s)
{
	smp_wmb();	/* as in raw_write_seqcount_end() */
	__atomic_store_n(&s->sequence, s->sequence + 2, __ATOMIC_RELAXED);
}

/* seqlock_t: a seqcount whose writers a spinlock serialises. */
typedef struct {
	seqcount_t seqcount;
	spinlock_t lock;	/* serialises writers; readers never take it */
} seqlock_t;

#define __SEQLOCK_UNLOCKED(name) \
	{ .seqcount = SEQCNT_ZERO(name), .lock = __SPIN_LOCK_UNLOCKED(name.lock) }
#define DEFINE_SEQLOCK(name)	seqlock_t name = __SEQLOCK_UNLOCKED(name)
#define seqlock_init(sl)						\
	do {								\
		seqcount_init(&(sl)->seqcount);				\
		spin_lock_init(&(sl)->lock);				\
	} while (0)

/* Readers: lockless, may spin while a writer is inside. */
static inline unsigned int read_seqbegin(const seqlock_t *sl)
{
	return read_seqcount_begin(&sl->seqcount);
}

static inline bool read_seqretry(const seqlock_t *sl, unsigned int start)
{
	return read_seqcount_retry(&sl->seqcount, start);
}

/* Writers: take the lock (may spin), then bump the count. */
static inline void write_seqlock(seqlock_t *sl)
{
	spin_lock(&sl->lock);
	raw_write_seqcount_begin(&sl->seqcount);
}

static inline void write_sequnlock(seqlock_t *sl)
{
	raw_write_seqcount_end(&sl->seqcount);
	spin_unlock(&sl->lock);
}

#define write_seqlock_irqsave(sl, flags)				\
	do {								\
		spin_lock_irqsave(&(sl)->lock, flags);			\
		raw_write_seqcount_begin(&(sl)->seqcount);		\
	} while (0)
#define write_sequnlock_irqrestore(sl, flags)				\
	do {								\
		raw_write_seqcount_end(&(sl)->seqcount);		\
		spin_unlock_irqrestore(&(sl)->lock, flags);		\
	} while (0)

#endif
