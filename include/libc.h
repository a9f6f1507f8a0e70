/* SPDX-License-Identifier: MIT */
/*
 * The C library subset the kernel uses, the same on every architecture:
 * picolibc provides it on ARM, lib/libc on x86_64, glibc in the host build
 * (the declarations are the arch's <asm/libc.h>: include/asm-generic for
 * the kernel, glibc's headers for the host).
 * Nothing else from a C library may be used, so every arch prints the
 * same bytes.
 */
#ifndef QUIESCE_LIBC_H
#define QUIESCE_LIBC_H

#include <compiler.h>
#include <asm/libc.h>

#endif
