// SPDX-License-Identifier: MIT
/*
 * vsnprintf() for the x86_64 kernel: the subset of C99 the kernel uses,
 * printing the same bytes as glibc and picolibc for it.
 *
 * Conversions: %d %i %u %x %X %c %s %p %%. Length modifiers hh h l ll z t
 * (ignored on %c %s %p). Flags - 0 space + #, field width and precision,
 * either as digits or '*'. No floating point, no %o, and no %n: anything
 * unsupported is copied to the output as written, so a bad format shows
 * up in the text instead of consuming arguments.
 *
 * Where C leaves a choice: %s of NULL prints "(null)" as glibc does
 * (glibc prints nothing when the precision is below 6; this prints the
 * first precision bytes of "(null)"), and %p prints "0x" and lowercase
 * hex digits for every value, so NULL is "0x0" rather than glibc's
 * "(nil)". The kernel does not print NULL pointers on purpose, so no
 * output depends on that difference.
 */
#include <libc.h>
#include "libc_impl.h"

#define FL_LEFT		0x01	/* '-': pad on the right */
#define FL_ZERO		0x02	/* '0': pad numbers with zeros */
#define FL_SPACE	0x04	/* ' ': a space where '+' would be */
#define FL_PLUS		0x08	/* '+': always print the sign */
#define FL_ALT		0x10	/* '#': 0x prefix on non-zero %x */

enum length { LEN_HH, LEN_H, LEN_INT, LEN_L, LEN_LL, LEN_Z, LEN_T };

/* One conversion specification, parsed. */
struct spec {
	unsigned int flags;
	int width;
	int prec;		/* -1 when not given */
	enum length len;
};

/* The output: buf holds at most size - 1 bytes; len counts them all. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

__no_libcalls
static void put_n(struct out *o, char c, size_t n)
{
	for (size_t i = 0; i < n && o->len + i + 1 < o->size; i++)
		o->buf[o->len + i] = c;
	o->len += n;
}

static void put(struct out *o, char c)
{
	put_n(o, c, 1);
}

__no_libcalls
static void put_str(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n && o->len + i + 1 < o->size; i++)
		o->buf[o->len + i] = s[i];
	o->len += n;
}

static void pad(struct out *o, const struct spec *sp, size_t used)
{
	if (sp->width > 0 && (size_t)sp->width > used)
		put_n(o, ' ', (size_t)sp->width - used);
}

/*
 * Prints v (its magnitude; negative says whether it had a '-') in base
 * 10 or 16 as sp asks: [spaces][sign][prefix][zeros]digits[spaces].
 */
static void put_number(struct out *o, const struct spec *sp,
		       unsigned long long v, bool negative, unsigned int base,
		       bool upper, const char *prefix)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];	/* 20 decimal digits for 2^64 - 1 */
	size_t nd = 0, zeros = 0, used;
	char sign = negative ? '-' : sp->flags & FL_PLUS ? '+' :
		    sp->flags & FL_SPACE ? ' ' : 0;

	for (; v; v /= base)
		digits[nd++] = hex[v % base];
	/* Zero has one digit, or none at precision 0. */
	if (!nd && sp->prec != 0)
		digits[nd++] = '0';
	if (sp->prec > 0 && (size_t)sp->prec > nd)
		zeros = (size_t)sp->prec - nd;
	used = !!sign + LIBC_NAME(strlen)(prefix) + zeros + nd;
	/* '0' widens the zeros to the field, unless '-' or a precision. */
	if ((sp->flags & (FL_ZERO | FL_LEFT)) == FL_ZERO && sp->prec < 0 &&
	    sp->width > 0 && (size_t)sp->width > used) {
		zeros += (size_t)sp->width - used;
		used = (size_t)sp->width;
	}
	if (!(sp->flags & FL_LEFT))
		pad(o, sp, used);
	if (sign)
		put(o, sign);
	put_str(o, prefix, LIBC_NAME(strlen)(prefix));
	put_n(o, '0', zeros);
	while (nd)
		put(o, digits[--nd]);
	if (sp->flags & FL_LEFT)
		pad(o, sp, used);
}

/* Fetches a %d argument of length len, sign-extended. */
static long long get_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		/* The signed type of size_t's width. */
		return (ptrdiff_t)va_arg(*ap, size_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Fetches a %u/%x argument of length len, zero-extended. */
static unsigned long long get_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Parses a run of decimal digits at *p, saturating instead of overflowing. */
static int get_digits(const char **p)
{
	int v = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		int d = **p - '0';

		v = v > (__INT_MAX__ - d) / 10 ? __INT_MAX__ : v * 10 + d;
	}
	return v;
}

/*
 * Parses flags, width, precision and length after a '%' at *p, leaving
 * *p on the conversion character. '*' takes an int argument; a negative
 * width means '-', a negative precision means none.
 */
static void parse_spec(const char **p, va_list *ap, struct spec *sp)
{
	const char *f = *p;

	sp->flags = 0;
	for (;; f++) {
		if (*f == '-')
			sp->flags |= FL_LEFT;
		else if (*f == '0')
			sp->flags |= FL_ZERO;
		else if (*f == ' ')
			sp->flags |= FL_SPACE;
		else if (*f == '+')
			sp->flags |= FL_PLUS;
		else if (*f == '#')
			sp->flags |= FL_ALT;
		else
			break;
	}

	if (*f == '*') {
		f++;
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= FL_LEFT;
			/* -INT_MIN does not fit; such a field is as good as huge. */
			sp->width = sp->width == -__INT_MAX__ - 1 ? __INT_MAX__ :
				    -sp->width;
		}
	} else {
		sp->width = get_digits(&f);
	}

	sp->prec = -1;
	if (*f == '.') {
		f++;
		if (*f == '*') {
			f++;
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
		} else {
			sp->prec = get_digits(&f);
		}
	}

	sp->len = LEN_INT;
	if (*f == 'h') {
		f++;
		sp->len = LEN_H;
		if (*f == 'h') {
			f++;
			sp->len = LEN_HH;
		}
	} else if (*f == 'l') {
		f++;
		sp->len = LEN_L;
		if (*f == 'l') {
			f++;
			sp->len = LEN_LL;
		}
	} else if (*f == 'z') {
		f++;
		sp->len = LEN_Z;
	} else if (*f == 't') {
		f++;
		sp->len = LEN_T;
	}
	*p = f;
}

/*
 * C99 vsnprintf(): writes at most size - 1 bytes and a NUL (when size is
 * not 0) to buf, and returns the length the whole output has, or -1 if
 * that exceeds INT_MAX. Safe in any context: no locks, no allocation.
 */
int LIBC_NAME(vsnprintf)(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	va_list args;

	/* A copy, so the helpers can take it by pointer on every ABI. */
	va_copy(args, ap);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp;
		unsigned long long u;
		long long v;
		const char *s;
		size_t n;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &args, &sp);
		switch (*fmt) {
		case 'd':
		case 'i':
			v = get_signed(&args, sp.len);
			u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
			put_number(&o, &sp, u, v < 0, 10, false, "");
			break;
		case 'u':
			u = get_unsigned(&args, sp.len);
			sp.flags &= ~(FL_PLUS | FL_SPACE);
			put_number(&o, &sp, u, false, 10, false, "");
			break;
		case 'x':
		case 'X':
			u = get_unsigned(&args, sp.len);
			sp.flags &= ~(FL_PLUS | FL_SPACE);
			put_number(&o, &sp, u, false, 16, *fmt == 'X',
				   (sp.flags & FL_ALT) && u ?
				   (*fmt == 'X' ? "0X" : "0x") : "");
			break;
		case 'p':
			/* Like glibc: flags, width and precision all apply. */
			u = (uintptr_t)va_arg(args, void *);
			put_number(&o, &sp, u, false, 16, false, "0x");
			break;
		case 'c':
			if (!(sp.flags & FL_LEFT))
				pad(&o, &sp, 1);
			put(&o, (char)va_arg(args, int));
			if (sp.flags & FL_LEFT)
				pad(&o, &sp, 1);
			break;
		case 's':
			s = va_arg(args, const char *);
			if (!s)
				s = "(null)";
			n = LIBC_NAME(strnlen)(s, sp.prec < 0 ? (size_t)-1 :
					       (size_t)sp.prec);
			if (!(sp.flags & FL_LEFT))
				pad(&o, &sp, n);
			put_str(&o, s, n);
			if (sp.flags & FL_LEFT)
				pad(&o, &sp, n);
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unsupported: print it as written (without the NUL). */
			if (*fmt)
				fmt++;
			put_str(&o, start, (size_t)(fmt - start));
			continue;
		}
		fmt++;
	}
	va_end(args);

	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > __INT_MAX__ ? -1 : (int)o.len;
}

int LIBC_NAME(snprintf)(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = LIBC_NAME(vsnprintf)(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
