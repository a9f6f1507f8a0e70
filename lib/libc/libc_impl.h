/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/libc: the x86_64 kernel's C library, the subset that
 * include/libc.h declares. LIBC_NAME() (the arch's <asm/libc.h>)
 * lets the host build link these next to glibc's (as qlibc_memcpy and so
 * on) and compare the two; in the kernel the names are the standard ones.
 */
#ifndef QUIESCE_LIBC_IMPL_H
#define QUIESCE_LIBC_IMPL_H

#include <compiler.h>
#include <asm/libc.h>		/* LIBC_NAME() */

/*
 * Optimisers replace byte loops with calls to memset() or memcpy()
 * (whether -ffreestanding stops that depends on the compiler and its
 * version), and inside memset() itself that is endless recursion.
 * __no_libcalls forbids it for one function, whatever the flags.
 */
#if defined(__clang__)
#define __no_libcalls	__attribute__((no_builtin))
#else
#define __no_libcalls	\
	__attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

void *LIBC_NAME(memcpy)(void *dst, const void *src, size_t n);
void *LIBC_NAME(memmove)(void *dst, const void *src, size_t n);
void *LIBC_NAME(memset)(void *s, int c, size_t n);
int LIBC_NAME(memcmp)(const void *a, const void *b, size_t n);
size_t LIBC_NAME(strlen)(const char *s);
size_t LIBC_NAME(strnlen)(const char *s, size_t max);
int LIBC_NAME(strcmp)(const char *a, const char *b);
int LIBC_NAME(strncmp)(const char *a, const char *b, size_t n);
char *LIBC_NAME(strchr)(const char *s, int c);
__printf(3, 0) int LIBC_NAME(vsnprintf)(char *buf, size_t size,
					const char *fmt, va_list ap);
__printf(3, 4) int LIBC_NAME(snprintf)(char *buf, size_t size,
				       const char *fmt, ...);

#endif
