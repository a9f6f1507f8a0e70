// SPDX-License-Identifier: MIT
/*
 * What the harnesses share (see fuzz.h): the contract check, printk
 * capture and input readers. The fuzzers are single-threaded: CPU 0
 * runs everything, so none of this needs a lock.
 */
#define _GNU_SOURCE	/* vasprintf() */
#include "fuzz.h"
#include <percpu.h>
#include <rcupdate.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTPUT_MAX	8192

static char output[OUTPUT_MAX];		/* the first OUTPUT_MAX - 1 bytes printed */
static size_t output_len;		/* all bytes printed, kept or not */
static unsigned int output_lines;	/* newlines printed */
static char output_last;		/* the last byte printed */
static unsigned int output_controls;	/* control bytes other than '\t', '\n' */
static bool verbose;

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: %s:%d: contract broken: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (output_len)
		fprintf(stderr, "fuzz: the code under test printed:\n%s\n", output);
	abort();
}

/*
 * The link (fuzz.mk) sends the code under test's printk() calls here
 * with --wrap=printk. The count of lines covers everything printed,
 * also what does not fit the buffer.
 */
void __wrap_printk(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "fuzz: out of memory formatting a printk\n");
		abort();
	}
	if (verbose)
		fputs(s, stderr);
	for (int i = 0; i < n; i++) {
		if (output_len < OUTPUT_MAX - 1)
			output[output_len] = s[i];
		output_len++;
		output_lines += s[i] == '\n';
		output_controls += ((unsigned char)s[i] < ' ' && s[i] != '\t' && s[i] != '\n') ||
				   s[i] == 0x7f;
		output_last = s[i];
	}
	output[output_len < OUTPUT_MAX - 1 ? output_len : OUTPUT_MAX - 1] = '\0';
	free(s);
}

void fuzz_output_reset(void)
{
	output_len = 0;
	output_lines = 0;
	output_controls = 0;
	output_last = '\0';
	output[0] = '\0';
}

const char *fuzz_output(void)
{
	return output;
}

unsigned int fuzz_output_lines(void)
{
	return output_lines;
}

int fuzz_output_is_one_line(void)
{
	return output_len > 1 && output_lines == 1 && output_last == '\n' && !output_controls;
}

void fuzz_init_kernel(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (percpu_init(HOST_NR_CPUS)) {
		fprintf(stderr, "fuzz: cannot allocate per-CPU areas\n");
		exit(2);
	}
	rcu_init();	/* as at boot; the queries and the mm use RCU */
	fuzz_output_reset();
}

/* Bytes past the end of the input read as zero. */
static uint64_t read_le(struct fuzz_input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++) {
		uint8_t b = 0;

		if (in->left) {
			b = *in->p++;
			in->left--;
		}
		v |= (uint64_t)b << (8 * i);
	}
	return v;
}

uint8_t fuzz_u8(struct fuzz_input *in) { return (uint8_t)read_le(in, 1); }
uint16_t fuzz_u16(struct fuzz_input *in) { return (uint16_t)read_le(in, 2); }
uint32_t fuzz_u32(struct fuzz_input *in) { return (uint32_t)read_le(in, 4); }
uint64_t fuzz_u64(struct fuzz_input *in) { return read_le(in, 8); }
