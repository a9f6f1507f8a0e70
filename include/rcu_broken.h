/* SPDX-License-Identifier: MIT */
/*
 * Deliberately broken RCU, for the tests only: rcutorture's busted-*
 * flavours switch one of these on for the length of their run, so that the
 * suite can show rcutorture fails on each (DESIGN.md: every torture test
 * has a broken variant that must make it fail). Off (RCU_BROKEN_NONE)
 * everywhere else; each hook is one test of rcu_broken where the bug
 * would stand.
 */
#ifndef QUIESCE_RCU_BROKEN_H
#define QUIESCE_RCU_BROKEN_H

#include <stdbool.h>

enum rcu_broken_mode {
	RCU_BROKEN_NONE,
	RCU_BROKEN_EARLY_CB,	/* callbacks invoked one grace period early */
	RCU_BROKEN_TICK_QS,	/* the tick reports a QS inside a reader */
	RCU_BROKEN_OFFLINE_CB,	/* a dead CPU's callbacks are left unadopted */
};

extern int rcu_broken;

static inline bool rcu_broken_is(enum rcu_broken_mode m)
{
	return __atomic_load_n(&rcu_broken, __ATOMIC_RELAXED) == (int)m;
}

static inline void rcu_broken_set(enum rcu_broken_mode m)
{
	__atomic_store_n(&rcu_broken, (int)m, __ATOMIC_RELAXED);
}

#endif
