/* SPDX-License-Identifier: MIT */
/*
 * The C library subset the kernel uses, the same on every architecture:
 * picolibc provides it on ARM, lib/libc on x86_64, glibc in the host build.
 * Nothing else from a C library may be used, so every arch prints the
 * same bytes.
 */
#ifndef QUIESCE_LIBC_H
#define QUIESCE_LIBC_H

#include <compiler.h>

#ifdef QUIESCE_HOST
#include <string.h>
#include <stdio.h>
#else
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
#endif

#endif
