/* SPDX-License-Identifier: MIT */
/*
 * Pieces every torture test and workload shares: a cheap per-CPU random
 * stream, a start barrier so all CPUs begin together, and the run's end
 * time.
 */
#ifndef QUIESCE_TORTURE_H
#define QUIESCE_TORTURE_H

#include <compiler.h>
#include <atomic.h>

/* xorshift64*: fast, not cryptographic; one state per CPU or per thread. */
struct torture_random {
	uint64_t state;
};

static inline void torture_random_init(struct torture_random *r, uint64_t seed)
{
	r->state = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (!r->state)
		r->state = 1;
}

static inline uint32_t torture_random(struct torture_random *r)
{
	uint64_t x = r->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

/*
 * A reusable barrier for n CPUs: each caller waits until all n arrived.
 * Spins (thread context). Initialise with torture_barrier_init().
 */
struct torture_barrier {
	atomic_t arrived;
	atomic_t generation;
};

static inline void torture_barrier_init(struct torture_barrier *b)
{
	atomic_set(&b->arrived, 0);
	atomic_set(&b->generation, 0);
}

void torture_barrier_wait(struct torture_barrier *b, unsigned int n);

#endif
