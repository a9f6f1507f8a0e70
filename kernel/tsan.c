// SPDX-License-Identifier: MIT
/*
 * The entry points GCC's -fsanitize=thread calls on every load, store,
 * atomic and fence of instrumented code, in the two builds that
 * instrument (BUILD=coherence, BUILD=races). Each passes the access on,
 * with its size, kind (load, store, read-modify-write), whether it is
 * marked (kernel/tsan.h) and the instrumented code's address, to the
 * build's runtime: the coherence directory, the race detector, or both.
 *
 * Atomics are then done natively. GCC passes the memory order as a
 * value; the entry points do each one fully ordered (SEQ_CST), which is
 * at least as strong as asked. The ordering of include/atomic.h's
 * value-returning RMWs (__smp_mb_after_rmw() around them) is inline asm
 * and stays as it is.
 */
#include <compiler.h>

#if defined(CONFIG_COHERENCE) || defined(CONFIG_RACES)
#include "tsan.h"

static __always_inline void tsan_access(const volatile void *p, size_t size, enum tsan_kind kind,
					enum tsan_mark mark, uintptr_t pc)
{
#ifdef CONFIG_COHERENCE
	coherence_access(p, size, kind, pc);
#endif
#ifdef CONFIG_RACES
	races_access(p, size, kind, mark, pc);
#endif
}

#define PC	((uintptr_t)__builtin_return_address(0))

/* After a fully ordered RMW, for the weak-memory model's store buffer:
 * its own write is ordered before the later loads as well. */
static __always_inline void tsan_rmw_done(int mo)
{
#ifdef CONFIG_RACES
	if (mo == __ATOMIC_SEQ_CST)
		races_fence(mo);
#endif
}

/* An atomic's order, for the race detector's weak-memory model: a release
 * or fully ordered one is a barrier before the access. */
static __always_inline void tsan_order(int mo)
{
#ifdef CONFIG_RACES
	if (mo >= __ATOMIC_RELEASE)
		races_fence(mo);
#endif
}

/*
 * A compare-exchange, once done: to the coherence directory always a
 * read-modify-write (the CPU takes the line exclusive to compare, x86's
 * locked CMPXCHG and Arm's CAS alike), to the race detector a write only
 * if it stored. A failed one wrote nothing: a count at zero that
 * refcount_inc_not_zero() looks at and leaves alone meets no
 * ASSERT_EXCLUSIVE_WRITER. Checked after the exchange, when its outcome
 * is known; a plain access another CPU watches meanwhile still sees a
 * stored value change.
 */
static __always_inline void tsan_cas_done(const volatile void *p, size_t size, bool stored, int mo,
					  uintptr_t pc)
{
#ifdef CONFIG_COHERENCE
	coherence_access(p, size, TSAN_RMW, pc);
#endif
#ifdef CONFIG_RACES
	races_access(p, size, stored ? TSAN_RMW : TSAN_LOAD, TSAN_MARKED, pc);
#endif
	tsan_rmw_done(mo);
}

void __tsan_init(void);
void __tsan_init(void) { }
void __tsan_func_entry(void *pc);
void __tsan_func_entry(void *pc) { }
void __tsan_func_exit(void);
void __tsan_func_exit(void) { }

#define TSAN_RW1(name, n, kind, mark)					\
void __tsan_##name##n(void *p);						\
void __tsan_##name##n(void *p) { tsan_access(p, n, kind, mark, PC); }
#define TSAN_RW(n)							\
TSAN_RW1(read, n, TSAN_LOAD, TSAN_PLAIN)				\
TSAN_RW1(write, n, TSAN_STORE, TSAN_PLAIN)				\
TSAN_RW1(unaligned_read, n, TSAN_LOAD, TSAN_PLAIN)			\
TSAN_RW1(unaligned_write, n, TSAN_STORE, TSAN_PLAIN)			\
TSAN_RW1(volatile_read, n, TSAN_LOAD, TSAN_MARKED)			\
TSAN_RW1(volatile_write, n, TSAN_STORE, TSAN_MARKED)			\
TSAN_RW1(unaligned_volatile_read, n, TSAN_LOAD, TSAN_MARKED)		\
TSAN_RW1(unaligned_volatile_write, n, TSAN_STORE, TSAN_MARKED)
TSAN_RW(1)
TSAN_RW(2)
TSAN_RW(4)
TSAN_RW(8)
TSAN_RW(16)

/* Ranges: one access per 64-byte line (the coherence directory's unit). */
void __tsan_read_range(void *p, unsigned long size);
void __tsan_read_range(void *p, unsigned long size)
{
	for (unsigned long o = 0; o < size; o += 64)
		tsan_access((char *)p + o, 1, TSAN_LOAD, TSAN_PLAIN, PC);
}
void __tsan_write_range(void *p, unsigned long size);
void __tsan_write_range(void *p, unsigned long size)
{
	for (unsigned long o = 0; o < size; o += 64)
		tsan_access((char *)p + o, 1, TSAN_STORE, TSAN_PLAIN, PC);
}

#define TSAN_ATOMIC(n, T)							\
T __tsan_atomic##n##_load(const volatile T *p, int mo);			\
T __tsan_atomic##n##_load(const volatile T *p, int mo)				\
{ tsan_order(mo); tsan_access(p, n / 8, TSAN_LOAD, TSAN_MARKED, PC); return __atomic_load_n(p, __ATOMIC_SEQ_CST); } \
void __tsan_atomic##n##_store(volatile T *p, T v, int mo);			\
void __tsan_atomic##n##_store(volatile T *p, T v, int mo)			\
{ tsan_order(mo); tsan_access(p, n / 8, TSAN_STORE, TSAN_MARKED, PC); __atomic_store_n(p, v, __ATOMIC_SEQ_CST); } \
T __tsan_atomic##n##_exchange(volatile T *p, T v, int mo);			\
T __tsan_atomic##n##_exchange(volatile T *p, T v, int mo)			\
{ tsan_order(mo); tsan_access(p, n / 8, TSAN_RMW, TSAN_MARKED, PC); tsan_rmw_done(mo); return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); } \
TSAN_FETCH(n, T, add) TSAN_FETCH(n, T, sub) TSAN_FETCH(n, T, and)		\
TSAN_FETCH(n, T, or) TSAN_FETCH(n, T, xor) TSAN_FETCH(n, T, nand)		\
TSAN_CAS(n, T, strong) TSAN_CAS(n, T, weak)					\
T __tsan_atomic##n##_compare_exchange_val(volatile T *p, T old, T v, int mo, int fmo); \
T __tsan_atomic##n##_compare_exchange_val(volatile T *p, T old, T v, int mo, int fmo) \
{										\
	bool ok;								\
										\
	tsan_order(mo);								\
	ok = __atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST,	\
					 __ATOMIC_SEQ_CST);			\
	tsan_cas_done(p, n / 8, ok, mo, PC);					\
	return old;								\
}

/* Both kinds of compare-exchange: a weak one never fails spuriously here. */
#define TSAN_CAS(n, T, kind)							\
int __tsan_atomic##n##_compare_exchange_##kind(volatile T *p, T *old, T v, int mo, int fmo); \
int __tsan_atomic##n##_compare_exchange_##kind(volatile T *p, T *old, T v, int mo, int fmo) \
{										\
	bool ok;								\
										\
	tsan_order(mo);								\
	ok = __atomic_compare_exchange_n(p, old, v, false, __ATOMIC_SEQ_CST,	\
					 __ATOMIC_SEQ_CST);			\
	tsan_cas_done(p, n / 8, ok, mo, PC);					\
	return ok;								\
}

#define TSAN_FETCH(n, T, op)							\
T __tsan_atomic##n##_fetch_##op(volatile T *p, T v, int mo);			\
T __tsan_atomic##n##_fetch_##op(volatile T *p, T v, int mo)			\
{ tsan_order(mo); tsan_access(p, n / 8, TSAN_RMW, TSAN_MARKED, PC); tsan_rmw_done(mo); return __atomic_fetch_##op(p, v, __ATOMIC_SEQ_CST); }

TSAN_ATOMIC(8, uint8_t)
TSAN_ATOMIC(16, uint16_t)
TSAN_ATOMIC(32, uint32_t)
TSAN_ATOMIC(64, uint64_t)

/* A fence moves no line; the race detector's weak-memory model sees it. */
void __tsan_atomic_thread_fence(int mo);
void __tsan_atomic_thread_fence(int mo)
{
#ifdef CONFIG_RACES
	races_fence(mo);
#endif
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
void __tsan_atomic_signal_fence(int mo);
void __tsan_atomic_signal_fence(int mo) { __atomic_signal_fence(__ATOMIC_SEQ_CST); }
#endif
