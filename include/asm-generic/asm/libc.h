/* SPDX-License-Identifier: MIT */
/*
 * The C library the kernel links (include/libc.h): declared here, defined
 * by picolibc on ARM and by lib/libc on x86_64, under the standard names.
 */
#ifndef QUIESCE_ASM_GENERIC_LIBC_H
#define QUIESCE_ASM_GENERIC_LIBC_H

#include <compiler.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
__printf(3, 0) int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);

/* lib/libc defines its functions under these names (lib/libc/libc_impl.h). */
#define LIBC_NAME(fn)	fn

/*
 * ARCH_HAS_REFERENCE_LIBC stays undefined: no second C library is linked
 * to compare lib/libc with (the host build's <asm/libc.h> links glibc).
 */

#endif
