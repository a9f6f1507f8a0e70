// SPDX-License-Identifier: MIT
/*
 * The memory and string functions of include/libc.h for the x86_64
 * kernel, which has no picolibc. Byte loops, except that memcpy() and
 * memset() move a word at a time once the pointers are word aligned,
 * because clearing and copying pages is the one hot use. Every function
 * is __no_libcalls: the compiler must not turn its loop into a call to
 * itself.
 */
#include <libc.h>
#include "libc_impl.h"

/* A word the compiler may let alias any object, as char does. */
typedef unsigned long __attribute__((may_alias)) word_t;
#define WORD	sizeof(word_t)

/*
 * Copies n bytes upwards. Each word or byte is read before it is
 * written and reads run ahead of writes, so this is also a correct
 * memmove() whenever dst is below src.
 */
__no_libcalls
static void copy_up(unsigned char *d, const unsigned char *s, size_t n)
{
	if (IS_ALIGNED((uintptr_t)d ^ (uintptr_t)s, WORD)) {
		for (; n && !IS_ALIGNED((uintptr_t)d, WORD); n--)
			*d++ = *s++;
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(word_t *)d = *(const word_t *)s;
	}
	while (n--)
		*d++ = *s++;
}

__no_libcalls
void *LIBC_NAME(memcpy)(void *dst, const void *src, size_t n)
{
	copy_up(dst, src, n);
	return dst;
}

__no_libcalls
void *LIBC_NAME(memmove)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Upwards is safe unless dst starts inside src. */
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		copy_up(d, s, n);
	} else {
		/* dst overlaps the end of src: copy downwards. */
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

__no_libcalls
void *LIBC_NAME(memset)(void *dst, int c, size_t n)
{
	unsigned char *d = dst, b = (unsigned char)c;
	word_t w = (word_t)-1 / 0xff * b;	/* b in every byte */

	for (; n && !IS_ALIGNED((uintptr_t)d, WORD); n--)
		*d++ = b;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = w;
	while (n--)
		*d++ = b;
	return dst;
}

__no_libcalls
int LIBC_NAME(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

__no_libcalls
size_t LIBC_NAME(strlen)(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

__no_libcalls
size_t LIBC_NAME(strnlen)(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Like strcmp(), bytes compare as unsigned char, as C requires. */
__no_libcalls
int LIBC_NAME(strcmp)(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y)
		x++, y++;
	return *x - *y;
}

__no_libcalls
int LIBC_NAME(strncmp)(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++)
		if (*x != *y || !*x)
			return *x - *y;
	return 0;
}

/* The terminating NUL counts as part of s, so strchr(s, 0) finds it. */
__no_libcalls
char *LIBC_NAME(strchr)(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
