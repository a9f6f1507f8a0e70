/* SPDX-License-Identifier: MIT */
/*
 * What the four libFuzzer harnesses share (tests/fuzz/common.c).
 *
 * The code under test is the host build of the kernel's own parsers
 * (tests/host/host.mk's sources, compiled by tests/fuzz/fuzz.mk with
 * clang, libFuzzer, AddressSanitizer and UBSan). A harness calls the
 * parser the way the kernel does, on buffers sized exactly to what the
 * parser may read, so a read one byte too far is an ASan report; it then
 * checks the parser's documented contract with FUZZ_CHECK(), which
 * aborts: libFuzzer saves the input as a crash.
 *
 * Everything the code under test prints with printk() is captured, not
 * written (set FUZZ_VERBOSE=1 to see it on stderr), so that a harness
 * can check the "one clear line" rule for refused input.
 */
#ifndef QUIESCE_FUZZ_H
#define QUIESCE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* A broken contract: print what and where, then abort (a crash input). */
#define FUZZ_CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

__attribute__((noreturn, format(printf, 4, 5)))
void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...);

/* Forget what was printed so far. */
void fuzz_output_reset(void);
/* What printk() printed since the last reset (NUL-terminated). */
const char *fuzz_output(void);
/* How many complete lines (ending in '\n') that is. */
unsigned int fuzz_output_lines(void);
/*
 * The "one clear line" rule for refused input: what was printed since
 * the reset is exactly one non-empty line of text, ended by its newline,
 * with no control character a console or a log parser could take for a
 * line break (input echoed raw would be one).
 */
int fuzz_output_is_one_line(void);

/* Per-CPU areas and RCU, as at boot; once per process, CPU 0 only. */
void fuzz_init_kernel(void);

/* Reads little-endian integers from an input that may be too short. */
struct fuzz_input {
	const uint8_t *p;
	size_t left;
};
uint8_t fuzz_u8(struct fuzz_input *in);
uint16_t fuzz_u16(struct fuzz_input *in);
uint32_t fuzz_u32(struct fuzz_input *in);
uint64_t fuzz_u64(struct fuzz_input *in);

#endif
