/* SPDX-License-Identifier: MIT */
/*
 * The host build links glibc for include/libc.h, and lib/libc beside it
 * under qlibc_ names (LIBC_NAME(), lib/libc/libc_impl.h), so that
 * lib/libc_test.c can run the same tests on both and compare them.
 */
#ifndef QUIESCE_ASM_LIBC_H
#define QUIESCE_ASM_LIBC_H

#include <string.h>
#include <stdio.h>

#define LIBC_NAME(fn)	qlibc_##fn

/* The linked library (glibc) is a reference lib/libc is compared with. */
#define ARCH_HAS_REFERENCE_LIBC	1

#endif
