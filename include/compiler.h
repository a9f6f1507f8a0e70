/* SPDX-License-Identifier: MIT */
/*
 * Compiler helpers used everywhere: attributes, READ_ONCE/WRITE_ONCE,
 * container_of. Nothing here is architecture specific.
 */
#ifndef QUIESCE_COMPILER_H
#define QUIESCE_COMPILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define __used		__attribute__((used))
#define __unused	__attribute__((unused))
#define __noreturn	__attribute__((noreturn))
#define __aligned(x)	__attribute__((aligned(x)))
#define __packed	__attribute__((packed))
#define __section(s)	__attribute__((section(s)))
#define __weak		__attribute__((weak))
#define __noinline	__attribute__((noinline))
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __maybe_unused	__attribute__((unused))

/* Marks a pointer that readers load with rcu_dereference() (no checker
 * enforces it; it documents the rule at the declaration). */
#define __rcu

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Stops the compiler from moving memory accesses across this point. */
#define barrier()	__asm__ __volatile__("" ::: "memory")

/*
 * READ_ONCE/WRITE_ONCE: one untorn access the compiler may neither merge,
 * split nor repeat. They order nothing against other CPUs by themselves.
 * Their form is the arch's (the host build's differs).
 */
#include <asm/rwonce.h>

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))

#define __stringify_1(x) #x
#define __stringify(x)	__stringify_1(x)

#define BITS_PER_LONG	(8 * (int)sizeof(long))
#define BITS_TO_LONGS(n) DIV_ROUND_UP(n, BITS_PER_LONG)

#define CACHELINE_SIZE	64
#define ____cacheline_aligned __aligned(CACHELINE_SIZE)

#endif
