// SPDX-License-Identifier: MIT
/*
 * Tests of the C library subset in include/libc.h.
 *
 * The first half pins down, with literal expected output, what the kernel
 * relies on; it runs against whichever library is linked (picolibc on
 * ARM, lib/libc on x86_64, glibc in the host build, which checks the
 * expectations themselves) and, in the host build, also against lib/libc
 * under its qlibc_ names. The second half, host only, compares lib/libc
 * with glibc over a sweep of formats, values and buffer sizes.
 */
#include <ktest.h>
#include <kernel.h>
#include <libc.h>
#include "libc/libc_impl.h"

#ifdef ARCH_HAS_REFERENCE_LIBC
#include <limits.h>	/* the reference's limits, for the sweeps below */
#endif

/* One C library's functions, so every test runs on each the same way. */
struct libc_impl {
	const char *name;
	void *(*memcpy_fn)(void *, const void *, size_t);
	void *(*memmove_fn)(void *, const void *, size_t);
	void *(*memset_fn)(void *, int, size_t);
	int (*memcmp_fn)(const void *, const void *, size_t);
	size_t (*strlen_fn)(const char *);
	size_t (*strnlen_fn)(const char *, size_t);
	int (*strcmp_fn)(const char *, const char *);
	int (*strncmp_fn)(const char *, const char *, size_t);
	char *(*strchr_fn)(const char *, int);
	int (*vsnprintf_fn)(char *, size_t, const char *, va_list);
};

static const struct libc_impl impls[] = {
	{
		"linked libc", memcpy, memmove, memset, memcmp, strlen,
		strnlen, strcmp, strncmp, strchr, vsnprintf,
	},
#ifdef ARCH_HAS_REFERENCE_LIBC
	{
		"lib/libc", qlibc_memcpy, qlibc_memmove, qlibc_memset,
		qlibc_memcmp, qlibc_strlen, qlibc_strnlen, qlibc_strcmp,
		qlibc_strncmp, qlibc_strchr, qlibc_vsnprintf,
	},
#endif
};

#define for_each_impl(lc) \
	for (const struct libc_impl *lc = impls; lc < impls + ARRAY_SIZE(impls); lc++)

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/*
 * Formats fmt with every library into a 64-byte buffer and checks both
 * the text and the return value against want; line is the caller's.
 */
__printf(4, 5)
static void expect_fmt(struct ktest_ctx *t, int line, const char *want,
		       const char *fmt, ...)
{
	for_each_impl(lc) {
		char buf[64];
		va_list ap;
		int n;

		va_start(ap, fmt);
		n = lc->vsnprintf_fn(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		if (strcmp(buf, want) || n != (int)strlen(want))
			ktest_fail(t, __FILE__, line,
				   "%s: \"%s\" gave \"%s\" (%d), expected \"%s\" (%d)",
				   lc->name, fmt, buf, n, want, (int)strlen(want));
	}
}

#define EXPECT_FMT(t, want, ...)	expect_fmt(t, __LINE__, want, __VA_ARGS__)

/*
 * Hides a format from the compiler's check, for combinations it warns
 * about although C defines them (flags it ignores: "%08.3d", "%+ d";
 * %hhd of an int outside char, which converts it), and for %p with
 * flags, which glibc defines and C leaves open.
 */
static const char *unchecked(const char *fmt)
{
	return fmt;
}

__printf(4, 5)
static int impl_snprintf(const struct libc_impl *lc, char *buf, size_t size,
			 const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = lc->vsnprintf_fn(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

KTEST(libc, printf_signed_integers_at_every_length)
{
	EXPECT_FMT(t, "0 -1 42", "%d %i %d", 0, -1, 42);
	EXPECT_FMT(t, "-2147483648 2147483647", "%d %d", -2147483647 - 1,
		   2147483647);
	EXPECT_FMT(t, "-9223372036854775808",
		   "%lld", -9223372036854775807LL - 1);
	EXPECT_FMT(t, "9223372036854775807", "%lld", 9223372036854775807LL);
	EXPECT_FMT(t, "-56 4464 -32768", unchecked("%hhd %hd %hd"), 200, 70000, 32768);
	EXPECT_FMT(t, "-123456789 -5 -7", "%ld %zd %td", -123456789L,
		   (ptrdiff_t)-5, (ptrdiff_t)-7);
}

KTEST(libc, printf_unsigned_and_hex_at_every_length)
{
	EXPECT_FMT(t, "4294967295", "%u", 4294967295u);
	EXPECT_FMT(t, "18446744073709551615 ffffffffffffffff",
		   "%llu %llx", ~0ULL, ~0ULL);
	EXPECT_FMT(t, "abcdef ABCDEF", "%x %X", 0xabcdef, 0xabcdef);
	EXPECT_FMT(t, "ff 2345 255 65535", unchecked("%hhx %hx %hhu %hu"), 0x1ff,
		   0x12345, -1, -1);
	EXPECT_FMT(t, "deadbeef 1234 ff", "%lx %zx %tx", 0xdeadbeefUL,
		   (size_t)0x1234, (ptrdiff_t)0xff);
	EXPECT_FMT(t, "0xff 0XFF 0", "%#x %#X %#x", 255, 255, 0);
	EXPECT_FMT(t, "0x1234", "%p", (void *)0x1234);
}

KTEST(libc, printf_width_precision_and_flags)
{
	EXPECT_FMT(t, "   42|42   |", "%5d|%-5d|", 42, 42);
	EXPECT_FMT(t, "-0042 +5  5 +5", unchecked("%05d %+d % d %+ d"), -42,
		   5, 5, 5);
	EXPECT_FMT(t, "007 |    -007|     007",
		   unchecked("%.3d |%8.3d|%08.3d"), 7, -7, 7);
	/* Precision 0 prints no digits for 0, but a sign if asked. */
	EXPECT_FMT(t, "[][   ][+][0x]", "[%.0d][%3.0u][%+.0d][%#.0x%s]", 0, 0,
		   0, 0, "0x");
	EXPECT_FMT(t, "0x0000ff 0xff    | 000ff", "%#08x %#-8x| %05x", 255,
		   255, 255);
	EXPECT_FMT(t, "    42 42    |0003 3", "%*d %-*d|%.*d %.*d", 6, 42,
		   -6, 42, 4, 3, -1, 3);
	EXPECT_FMT(t, "  005", "%*.*d", 5, 3, 5);
	EXPECT_FMT(t, "0x00001234 0x000000001234", unchecked("%.8p %014p"),
		   (void *)0x1234, (void *)0x1234);
}

KTEST(libc, printf_chars_strings_and_percent)
{
	static const char unterminated[3] = { 'a', 'b', 'c' };

	EXPECT_FMT(t, "x  y|z  |", "%c%3c|%-3c|", 'x', 'y', 'z');
	EXPECT_FMT(t, "abc   abc|abc  |", "%s%6s|%-5s|", "abc", "abc", "abc");
	EXPECT_FMT(t, "ab|   ab|abc", "%.2s|%5.2s|%.*s", "abcdef", "abcdef",
		   3, "abcdef");
	/* The precision bounds the read: no NUL needed within it. */
	EXPECT_FMT(t, "abc", "%.3s", unterminated);
	EXPECT_FMT(t, "100% done", "%d%% %s", 100, "done");
	EXPECT_FMT(t, "", "%s", "");
}

KTEST(libc, printf_returns_full_length_and_truncates_with_nul)
{
	for_each_impl(lc) {
		char buf[8];
		int n;

		memset(buf, 'Z', sizeof(buf));
		n = impl_snprintf(lc, buf, 4, "%d", 123456);
		EXPECT_EQ(t, n, 6);
		EXPECT_STREQ(t, buf, "123");
		EXPECT_EQ(t, buf[4], 'Z');

		memset(buf, 'Z', sizeof(buf));
		EXPECT_EQ(t, impl_snprintf(lc, buf, 1, "%s", "abc"), 3);
		EXPECT_EQ(t, buf[0], '\0');
		EXPECT_EQ(t, buf[1], 'Z');

		/* Size 0 writes nothing at all, so buf may be NULL. */
		EXPECT_EQ(t, impl_snprintf(lc, NULL, 0, "%s-%d", "abc", 12),
			  6);
		EXPECT_EQ(t, impl_snprintf(lc, buf, 8, "%s", "abcdefgh"),
			  8);
		EXPECT_STREQ(t, buf, "abcdefg");
	}
}

KTEST(libc, memcpy_memmove_and_memset_at_every_alignment)
{
	for_each_impl(lc) {
		unsigned char a[64], b[64], want[64];

		for (size_t off = 0; off < 9; off++) {
			for (size_t n = 0; n < 40; n++) {
				for (size_t i = 0; i < sizeof(a); i++)
					a[i] = (unsigned char)(i * 7 + 1);
				memset(b, 0xee, sizeof(b));
				lc->memcpy_fn(b + off, a + 3, n);
				for (size_t i = 0; i < sizeof(b); i++)
					want[i] = i >= off && i < off + n ?
						  a[3 + i - off] : 0xee;
				EXPECT_EQ(t, memcmp(b, want, sizeof(b)), 0);

				/* Overlapping, in both directions. */
				memcpy(want, a, sizeof(a));
				for (size_t i = 0; i < n; i++)
					want[off + 8 + i] = a[8 + i];
				lc->memmove_fn(a + off + 8, a + 8, n);
				EXPECT_EQ(t, memcmp(a, want, sizeof(a)), 0);
				memcpy(want, a, sizeof(a));
				for (size_t i = 0; i < n; i++)
					want[8 + i] = a[off + 8 + i];
				lc->memmove_fn(a + 8, a + off + 8, n);
				EXPECT_EQ(t, memcmp(a, want, sizeof(a)), 0);

				memset(b, 0xee, sizeof(b));
				EXPECT_PTR_EQ(t, lc->memset_fn(b + off, 0x1a5, n),
					      b + off);
				for (size_t i = 0; i < sizeof(b); i++)
					want[i] = i >= off && i < off + n ?
						  0xa5 : 0xee;
				EXPECT_EQ(t, memcmp(b, want, sizeof(b)), 0);
			}
		}
	}
}

KTEST(libc, compares_bytes_as_unsigned)
{
	for_each_impl(lc) {
		EXPECT_EQ(t, sign(lc->memcmp_fn("ab\x80", "ab\x01", 3)), 1);
		EXPECT_EQ(t, sign(lc->memcmp_fn("ab\x80", "ab\x01", 2)), 0);
		EXPECT_EQ(t, sign(lc->memcmp_fn("a", "b", 0)), 0);
		EXPECT_EQ(t, sign(lc->strcmp_fn("abc", "abc")), 0);
		EXPECT_EQ(t, sign(lc->strcmp_fn("abc", "abd")), -1);
		EXPECT_EQ(t, sign(lc->strcmp_fn("ab", "abc")), -1);
		EXPECT_EQ(t, sign(lc->strcmp_fn("\xff", "a")), 1);
		EXPECT_EQ(t, sign(lc->strncmp_fn("abcX", "abcY", 3)), 0);
		EXPECT_EQ(t, sign(lc->strncmp_fn("abcX", "abcY", 4)), -1);
		EXPECT_EQ(t, sign(lc->strncmp_fn("ab", "ab\0x", 4)), 0);
		EXPECT_EQ(t, sign(lc->strncmp_fn("\x80", "\x7f", 1)), 1);
		EXPECT_EQ(t, sign(lc->strncmp_fn("x", "y", 0)), 0);
	}
}

KTEST(libc, measures_and_searches_strings)
{
	static const char s[] = "hello, w\xf6rld";

	for_each_impl(lc) {
		EXPECT_EQ(t, lc->strlen_fn(""), 0);
		EXPECT_EQ(t, lc->strlen_fn(s), sizeof(s) - 1);
		EXPECT_EQ(t, lc->strnlen_fn(s, 3), 3);
		EXPECT_EQ(t, lc->strnlen_fn(s, 100), sizeof(s) - 1);
		EXPECT_EQ(t, lc->strnlen_fn("abc", 0), 0);
		EXPECT_PTR_EQ(t, lc->strchr_fn(s, 'l'), s + 2);
		EXPECT_PTR_EQ(t, lc->strchr_fn(s, 0xf6), s + 8);
		EXPECT_PTR_EQ(t, lc->strchr_fn(s, 'z'), NULL);
		/* The NUL is part of the string. */
		EXPECT_PTR_EQ(t, lc->strchr_fn(s, '\0'), s + sizeof(s) - 1);
		/* c is converted to char: 0x16c finds 'l'. */
		EXPECT_PTR_EQ(t, lc->strchr_fn(s, 0x16c), s + 2);
	}
}

#ifdef ARCH_HAS_REFERENCE_LIBC
/*
 * lib/libc against glibc. glibc is the reference for everything but the
 * two documented differences (%p of NULL, %s of NULL with a precision),
 * which the sweeps avoid and lib_libc_prints_documented_choices pins.
 */

/*
 * Formats with both libraries into a buffer of size bytes and reports a
 * mismatch in return value or buffer contents, including whether bytes
 * past the NUL were left alone. Returns true if they agreed.
 */
#define CMP_BUF 48
__printf(4, 0)
static bool compare_at(struct ktest_ctx *t, int line, size_t size,
		       const char *fmt, va_list ap)
{
	char want[CMP_BUF], got[CMP_BUF];
	va_list a1, a2;
	int wn, gn;

	memset(want, 0x5a, sizeof(want));
	memset(got, 0x5a, sizeof(got));
	va_copy(a1, ap);
	va_copy(a2, ap);
	wn = vsnprintf(want, size, fmt, a1);
	gn = qlibc_vsnprintf(got, size, fmt, a2);
	va_end(a1);
	va_end(a2);
	if (wn == gn && !memcmp(want, got, sizeof(want)))
		return true;
	ktest_fail(t, __FILE__, line,
		   "\"%s\" at size %zu: glibc \"%.*s\" (%d), lib/libc \"%.*s\" (%d)",
		   fmt, size, (int)size, want, wn, (int)size, got, gn);
	return false;
}

/* compare_at() at sizes 0, step, 2 * step... and the whole buffer. */
__printf(4, 0)
static bool vcompare(struct ktest_ctx *t, int line, size_t step,
		     const char *fmt, va_list ap)
{
	for (size_t size = 0; size < CMP_BUF; size += step)
		if (!compare_at(t, line, size, fmt, ap))
			return false;
	return compare_at(t, line, CMP_BUF, fmt, ap);
}

/* vcompare() at every buffer size. */
__printf(3, 4)
static bool compare(struct ktest_ctx *t, int line, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vcompare(t, line, 1, fmt, ap);
	va_end(ap);
	return ok;
}

/*
 * vcompare() at sizes 0 and the whole buffer only, for sweeps of many
 * formats: truncation does not depend on the format, and compare()
 * checks it at every size.
 */
__printf(2, 3)
static bool compare_some(struct ktest_ctx *t, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vcompare(t, __LINE__, CMP_BUF, fmt, ap);
	va_end(ap);
	return ok;
}

#define COMPARE(t, ...)	compare(t, __LINE__, __VA_ARGS__)

/* NULL for %s, where the compiler cannot see it is NULL and object. */
static const char *volatile null_string;

KTEST(libc, lib_libc_matches_glibc_on_limits_and_truncation)
{
	COMPARE(t, "%d|%i|%d", INT_MIN, INT_MAX, 0);
	COMPARE(t, "%lld|%lld", LLONG_MIN, LLONG_MAX);
	COMPARE(t, "%ld|%lu|%lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
	COMPARE(t, "%llu|%llx|%llX", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	COMPARE(t, "%zu|%zx|%zd|%td", SIZE_MAX, SIZE_MAX, (ptrdiff_t)-1,
		PTRDIFF_MIN);
	COMPARE(t, "%hhd|%hhu|%hd|%hu", (signed char)SCHAR_MIN,
		(unsigned char)UCHAR_MAX, (short)SHRT_MIN,
		(unsigned short)USHRT_MAX);
	COMPARE(t, "[%-+8d][%+08d][% 08d][%- 8d]", INT_MIN, 42, 42, 42);
	COMPARE(t, "[%#.10llx][%#20.3llX][%-#20llx]", ULLONG_MAX, 1ULL,
		0xabcULL);
	COMPARE(t, "[%20.15lld][%-20.15lld][%020lld]", LLONG_MIN, LLONG_MIN,
		LLONG_MIN);
	COMPARE(t, unchecked("[%p][%18p][%-18p][%018p][%.20p]"), (void *)0xffff0000u,
		(void *)&t, (void *)1, (void *)0xabc, (void *)0x10);
	COMPARE(t, "[%c][%5c][%-5c][%c]", 'a', 'b', 'c', 0xff);
	COMPARE(t, "[%s][%10s][%-10s][%.0s][%.4s][%10.2s]", "str", "str",
		"str", "str", "str", "str");
	COMPARE(t, "[%s][%5s][%.3s]", null_string, null_string, "abcdef");
	COMPARE(t, "[%*s][%-*s][%.*s][%*.*s]", 7, "ab", 7, "ab", 1, "ab",
		-7, 0, "ab");
	COMPARE(t, "100%% %d%%%s", 5, "%");
	COMPARE(t, "no conversions at all, just long enough to truncate");
	COMPARE(t, "%s", "");
}

/* Formats fmt (a %d/%u/%x family conversion of length len) with v. */
static bool compare_int(struct ktest_ctx *t, const char *fmt, char conv,
			const char *len, long long v)
{
	bool is_signed = conv == 'd' || conv == 'i';

	if (!strcmp(len, "hh"))
		return is_signed ? compare_some(t, fmt, (signed char)v) :
				   compare_some(t, fmt, (unsigned char)v);
	if (!strcmp(len, "h"))
		return is_signed ? compare_some(t, fmt, (short)v) :
				   compare_some(t, fmt, (unsigned short)v);
	if (!strcmp(len, "l"))
		return is_signed ? compare_some(t, fmt, (long)v) :
				   compare_some(t, fmt, (unsigned long)v);
	if (!strcmp(len, "ll"))
		return compare_some(t, fmt, v);
	if (!strcmp(len, "z"))
		return compare_some(t, fmt, (size_t)v);
	if (!strcmp(len, "t"))
		return compare_some(t, fmt, (ptrdiff_t)v);
	return is_signed ? compare_some(t, fmt, (int)v) :
			   compare_some(t, fmt, (unsigned int)v);
}

KTEST(libc, lib_libc_matches_glibc_on_every_flag_width_precision_mix)
{
	static const char *const widths[] = { "", "1", "6", "22" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".21" };
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "z", "t" };
	static const char convs[] = "diuxX";
	static const long long values[] = {
		0, 1, -1, 7, -42, 255, 0x7fff, -32768, 65535, INT_MAX, INT_MIN,
		UINT_MAX, LLONG_MAX, LLONG_MIN, 0x123456789abcLL,
	};
	static const char flag_chars[] = "-0 +#";
	unsigned int mismatches = 0;

	for (unsigned int flags = 0; flags < 32; flags++) {
		char fl[8];
		size_t nf = 0;

		for (unsigned int i = 0; i < 5; i++)
			if (flags & (1u << i))
				fl[nf++] = flag_chars[i];
		fl[nf] = '\0';
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
		for (size_t p = 0; p < ARRAY_SIZE(precs); p++)
		for (size_t l = 0; l < ARRAY_SIZE(lens); l++)
		for (const char *c = convs; *c; c++) {
			char fmt[32];

			snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", fl,
				 widths[w], precs[p], lens[l], *c);
			for (size_t v = 0; v < ARRAY_SIZE(values); v++)
				if (!compare_int(t, fmt, *c, lens[l], values[v]) &&
				    ++mismatches > 10)
					return;
		}
	}
}

KTEST(libc, lib_libc_matches_glibc_on_star_fields)
{
	static const int stars[] = { -30, -5, -1, 0, 1, 3, 12, 30 };

	for (size_t i = 0; i < ARRAY_SIZE(stars); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(stars); j++) {
			int w = stars[i], p = stars[j];

			COMPARE(t, "[%*.*d]", w, p, -1234);
			COMPARE(t, unchecked("[%0*.*x]"), w, p, 0xbeefu);
			COMPARE(t, "[%-*.*s]", w, p, "stars");
			COMPARE(t, "[%*c]", w, 'c');
			COMPARE(t, unchecked("[%*.*p]"), w, p, (void *)0xfeed);
		}
	}
}

KTEST(libc, lib_libc_prints_documented_choices)
{
	char buf[32];

	/* glibc prints "(nil)"; the kernel never prints NULL on purpose. */
	qlibc_snprintf(buf, sizeof(buf), "%p", NULL);
	EXPECT_STREQ(t, buf, "0x0");
	/* glibc prints nothing here; "(nu" is the precision's worth. */
	qlibc_snprintf(buf, sizeof(buf), "%.3s", null_string);
	EXPECT_STREQ(t, buf, "(nu");
}

KTEST(libc, lib_libc_prints_unsupported_conversions_verbatim)
{
	/* Built at run time so the compiler's format check lets them by. */
	const char *fmts[][2] = {
		{ "a%qb", "a%qb" }, { "%n", "%n" }, { "%lo", "%lo" },
		{ "%5.2f", "%5.2f" }, { "end%", "end%" }, { "%-08", "%-08" },
	};
	int dummy = 0;

	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		char buf[32];
		const char *fmt = fmts[i][0];
		int n = qlibc_snprintf(buf, sizeof(buf), fmt, &dummy);

		EXPECT_STREQ(t, buf, fmts[i][1]);
		EXPECT_EQ(t, n, (int)strlen(fmts[i][1]));
	}
	/* %n in particular must never store. */
	EXPECT_EQ(t, dummy, 0);
}
#endif
