// SPDX-License-Identifier: MIT
/*
 * The undefined-behaviour sanitizer's runtime for the debug kernel
 * (make UBSAN=1). gcc's -fsanitize=undefined puts a check before each
 * operation that can be undefined and calls one of the __ubsan_handle_*
 * functions below when it fails, passing a static record of the check
 * (source location, operand types) and the operands. Each handler
 * prints what went wrong and where, and panics: undefined behaviour in
 * a kernel is a bug, and the run fails with a backtrace of it.
 *
 * The records' layout is the compiler's ABI (shared with clang's
 * compiler-rt); the structures below spell out the parts read here.
 * This file itself is built without the sanitizer (the Makefile), or
 * every handler would call itself.
 */
#include <arch.h>
#include <atomic.h>
#include <kernel.h>
#include <libc.h>

struct source_location {
	const char *file;
	uint32_t line;
	uint32_t column;
};

/*
 * kind 0: an integer, info = log2(bit width) << 1 | signed;
 * kind 1: a float; 0xffff: anything else. name is quoted already.
 */
struct type_descriptor {
	uint16_t kind;
	uint16_t info;
	char name[];
};

#define TYPE_KIND_INT	0

struct overflow_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct shift_out_of_bounds_data {
	struct source_location loc;
	const struct type_descriptor *lhs_type;
	const struct type_descriptor *rhs_type;
};

struct out_of_bounds_data {
	struct source_location loc;
	const struct type_descriptor *array_type;
	const struct type_descriptor *index_type;
};

struct type_mismatch_data_v1 {
	struct source_location loc;
	const struct type_descriptor *type;
	uint8_t log_alignment;
	uint8_t type_check_kind;
};

struct vla_bound_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct invalid_value_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct unreachable_data {
	struct source_location loc;
};

struct nonnull_arg_data {
	struct source_location loc;
	struct source_location attr_loc;
	int arg_index;
};

struct nonnull_return_data {
	struct source_location attr_loc;
};

struct pointer_overflow_data {
	struct source_location loc;
};

struct invalid_builtin_data {
	struct source_location loc;
	uint8_t kind;		/* 0: ctz, 1: clz */
};

/* Set by the first report; a check failing inside a report returns. */
static int reporting;

/*
 * Begin a report unless one is under way (the check failed again while
 * printing, on this CPU or another, which is about to panic anyway).
 */
static bool report_begin(void)
{
	return xchg(&reporting, 1) == 0;
}

static __noreturn void report_end(const char *check, const struct source_location *loc)
{
	panic("UBSAN: %s in %s:%u:%u", check, loc->file ? loc->file : "?",
	      (unsigned int)loc->line, (unsigned int)loc->column);
}

static unsigned int type_bits(const struct type_descriptor *type)
{
	return 1u << (type->info >> 1);
}

/* An operand: an integer of up to 64 bits, sign-extended if signed. */
struct value {
	const struct type_descriptor *type;
	bool known;		/* false: not such an integer */
	bool is_signed;
	uint64_t raw;
};

/*
 * The compiler passes an operand in the pointer-sized argument itself
 * when its type fits there, else a pointer to it.
 */
static struct value decode(const struct type_descriptor *type, const void *handle)
{
	unsigned int bits = type_bits(type);
	struct value v = { .type = type };

	if (type->kind != TYPE_KIND_INT || bits > 64)
		return v;
	v.known = true;
	v.is_signed = type->info & 1;
	v.raw = bits <= 8 * sizeof(uintptr_t) ? (uintptr_t)handle : *(const uint64_t *)handle;
	if (bits < 64 && v.is_signed)
		v.raw = (uint64_t)((int64_t)(v.raw << (64 - bits)) >> (64 - bits));
	else if (bits < 64)
		v.raw &= (1ULL << bits) - 1;
	return v;
}

static bool is_negative(struct value v)
{
	return v.known && v.is_signed && (int64_t)v.raw < 0;
}

/* The value in decimal, or "<N-bit value>" for what decode() cannot read. */
static const char *format(char *buf, size_t size, struct value v)
{
	if (!v.known)
		snprintf(buf, size, "<%u-bit value>",
			 v.type->kind == TYPE_KIND_INT ? type_bits(v.type) : 0);
	else if (v.is_signed)
		snprintf(buf, size, "%lld", (long long)v.raw);
	else
		snprintf(buf, size, "%llu", (unsigned long long)v.raw);
	return buf;
}

#define VALUE_CHARS	24

/*
 * Every handler has the compiler's name and arguments, and a prototype
 * here only because nothing but the compiler calls it.
 */
#define HANDLER(name, ...)					\
	void __ubsan_handle_##name(__VA_ARGS__);		\
	void __ubsan_handle_##name(__VA_ARGS__)

/*
 * The reports about one operand: fmt prints its value, then a type's name.
 * fmt is one of the literals below.
 */
static void report_operand(const char *check, const struct source_location *loc,
			   const char *fmt, const struct type_descriptor *type,
			   const void *handle, const char *type_name)
{
	char s[VALUE_CHARS];

	if (!report_begin())
		return;
	printk(fmt, format(s, sizeof(s), decode(type, handle)), type_name);
	report_end(check, loc);
}

static void arith_overflow(const struct overflow_data *d, const void *lhs,
			   const void *rhs, char op)
{
	struct value a = decode(d->type, lhs), b = decode(d->type, rhs);
	char sa[VALUE_CHARS], sb[VALUE_CHARS];

	if (!report_begin())
		return;
	printk("UBSAN: %s integer overflow: %s %c %s cannot be represented in type %s\n",
	       a.is_signed ? "signed" : "unsigned", format(sa, sizeof(sa), a), op,
	       format(sb, sizeof(sb), b), d->type->name);
	report_end(a.is_signed ? "signed-integer-overflow" : "unsigned-integer-overflow",
		   &d->loc);
}

HANDLER(add_overflow, const struct overflow_data *d, const void *lhs, const void *rhs)
{
	arith_overflow(d, lhs, rhs, '+');
}

HANDLER(sub_overflow, const struct overflow_data *d, const void *lhs, const void *rhs)
{
	arith_overflow(d, lhs, rhs, '-');
}

HANDLER(mul_overflow, const struct overflow_data *d, const void *lhs, const void *rhs)
{
	arith_overflow(d, lhs, rhs, '*');
}

HANDLER(negate_overflow, const struct overflow_data *d, const void *old)
{
	report_operand("signed-integer-overflow", &d->loc,
		       "UBSAN: negation of %s cannot be represented in type %s\n",
		       d->type, old, d->type->name);
}

HANDLER(divrem_overflow, const struct overflow_data *d, const void *lhs, const void *rhs)
{
	struct value a = decode(d->type, lhs), b = decode(d->type, rhs);
	char sa[VALUE_CHARS], sb[VALUE_CHARS];

	if (!report_begin())
		return;
	format(sa, sizeof(sa), a);
	if (b.known && b.raw == 0) {
		printk("UBSAN: division of %s by zero\n", sa);
		report_end("integer-divide-by-zero", &d->loc);
	}
	printk("UBSAN: division of %s by %s cannot be represented in type %s\n",
	       sa, format(sb, sizeof(sb), b), d->type->name);
	report_end("signed-integer-overflow", &d->loc);
}

/* The C rules in the order they are broken: exponent, then the value shifted. */
HANDLER(shift_out_of_bounds, const struct shift_out_of_bounds_data *d,
	const void *lhs, const void *rhs)
{
	struct value a = decode(d->lhs_type, lhs), b = decode(d->rhs_type, rhs);
	char sa[VALUE_CHARS], sb[VALUE_CHARS];

	if (!report_begin())
		return;
	format(sa, sizeof(sa), a);
	format(sb, sizeof(sb), b);
	if (is_negative(b))
		printk("UBSAN: shift exponent %s is negative\n", sb);
	else if (!b.known || b.raw >= type_bits(d->lhs_type))
		printk("UBSAN: shift exponent %s is too large for %u-bit type %s\n",
		       sb, type_bits(d->lhs_type), d->lhs_type->name);
	else if (is_negative(a))
		printk("UBSAN: left shift of negative value %s\n", sa);
	else
		printk("UBSAN: left shift of %s by %s places cannot be represented in type %s\n",
		       sa, sb, d->lhs_type->name);
	report_end("shift-out-of-bounds", &d->loc);
}

HANDLER(out_of_bounds, const struct out_of_bounds_data *d, const void *index)
{
	report_operand("array-index-out-of-bounds", &d->loc,
		       "UBSAN: index %s is out of range for type %s\n",
		       d->index_type, index, d->array_type->name);
}

/* What the access was, by type_check_kind (the compiler's numbering). */
static const char *const access_kinds[] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
	"upcast of", "cast to virtual base of", "_Nonnull binding to",
	"dynamic operation on",
};

/*
 * A pointer that is null, misaligned for its type, or (object-size)
 * points to less room than the type needs.
 */
HANDLER(type_mismatch_v1, const struct type_mismatch_data_v1 *d, const void *ptr)
{
	uintptr_t align = (uintptr_t)1 << d->log_alignment;
	const char *what = d->type_check_kind < ARRAY_SIZE(access_kinds) ?
			   access_kinds[d->type_check_kind] : "access to";

	if (!report_begin())
		return;
	if (!ptr) {
		printk("UBSAN: %s null pointer of type %s\n", what, d->type->name);
		report_end("null-pointer-dereference", &d->loc);
	}
	if ((uintptr_t)ptr & (align - 1)) {
		printk("UBSAN: %s misaligned address %p for type %s, which requires %lu-byte alignment\n",
		       what, ptr, d->type->name, (unsigned long)align);
		report_end("misaligned-access", &d->loc);
	}
	printk("UBSAN: %s address %p with insufficient space for an object of type %s\n",
	       what, ptr, d->type->name);
	report_end("object-size-mismatch", &d->loc);
}

HANDLER(vla_bound_not_positive, const struct vla_bound_data *d, const void *bound)
{
	report_operand("vla-bound-not-positive", &d->loc,
		       "UBSAN: variable length array bound %s (of type %s) is not positive\n",
		       d->type, bound, d->type->name);
}

/* A bool that is neither 0 nor 1, an enum outside its values. */
HANDLER(load_invalid_value, const struct invalid_value_data *d, const void *val)
{
	report_operand("invalid-load", &d->loc,
		       "UBSAN: load of value %s, which is not a valid value for type %s\n",
		       d->type, val, d->type->name);
}

HANDLER(nonnull_arg, const struct nonnull_arg_data *d)
{
	if (!report_begin())
		return;
	printk("UBSAN: null pointer passed as argument %d, which is declared to never be null\n",
	       d->arg_index);
	report_end("nonnull-argument", &d->loc);
}

HANDLER(nonnull_return_v1, const struct nonnull_return_data *d,
	const struct source_location *loc)
{
	(void)d;
	if (!report_begin())
		return;
	printk("UBSAN: null pointer returned from a function declared to never return null\n");
	report_end("nonnull-return", loc);
}

HANDLER(pointer_overflow, const struct pointer_overflow_data *d, const void *base,
	const void *result)
{
	if (!report_begin())
		return;
	printk("UBSAN: pointer arithmetic on %p overflowed to %p\n", base, result);
	report_end("pointer-overflow", &d->loc);
}

HANDLER(invalid_builtin, const struct invalid_builtin_data *d)
{
	if (!report_begin())
		return;
	printk("UBSAN: passing zero to %s, which is not a valid argument\n",
	       d->kind == 0 ? "ctz()" : "clz()");
	report_end("invalid-builtin-use", &d->loc);
}

/* Never returns, even inside a report: the compiler put nothing after it. */
__noreturn HANDLER(builtin_unreachable, const struct unreachable_data *d)
{
	if (!report_begin())
		arch_halt();
	printk("UBSAN: execution reached an unreachable program point\n");
	report_end("unreachable", &d->loc);
}
