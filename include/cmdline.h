/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line: key=value pairs separated by blanks (space,
 * tab, newline, carriage return). Every key is declared where it is used,
 * with CMDLINE_KEY(); the parser rejects an unknown key, a value the key's
 * check refuses, or any other control byte with one line naming it (and
 * what is valid), and the run ends with a failure status.
 */
#ifndef QUIESCE_CMDLINE_H
#define QUIESCE_CMDLINE_H

#include <compiler.h>

struct cmdline_key {
	const char *name;
	const char *valid;		/* shown when a value is refused */
	void (*print_valid)(void);	/* or this prints the valid values */
	/* 0; -EINVAL: the parser names the bad value and the valid ones;
	 * -ENODEV: a valid value this machine cannot do, and the check has
	 * printed the one line saying why. NULL: anything goes. */
	int (*check)(const char *value);
};

#define __CMDLINE_KEY(_name, _valid, _print, _check)			\
	static const struct cmdline_key cmdline_key_##_name = {		\
		.name = #_name, .valid = _valid, .print_valid = _print,	\
		.check = _check,					\
	};								\
	static const struct cmdline_key *const cmdline_key_ptr_##_name	\
		__used __section("cmdline_keys") = &cmdline_key_##_name

/* A key whose valid values a fixed text describes. */
#define CMDLINE_KEY(name, valid, check)	__CMDLINE_KEY(name, valid, NULL, check)
/* A key whose valid values print_valid() lists (space-separated). */
#define CMDLINE_KEY_LIST(name, print_valid, check) \
	__CMDLINE_KEY(name, NULL, print_valid, check)

/* Checks for common value types. */
int cmdline_check_uint(const char *value);
int cmdline_check_bool(const char *value);

/*
 * Parse line (copied). 0, or -EINVAL after printing what is wrong. Runs
 * again from scratch on each call (the tests call it with bad lines).
 */
int cmdline_parse(const char *line);

/* The value given for key, or NULL if the line did not set it. */
const char *cmdline_get(const char *key);
/* The value of a numeric key, or def when absent. */
unsigned long long cmdline_get_ull(const char *key, unsigned long long def);

/*
 * A non-empty comma-separated list, each item of which known(item, len)
 * accepts: 0, else -EINVAL (the check of run=, mode= and friends).
 */
int cmdline_check_list(const char *value, bool (*known)(const char *item, size_t len));

/*
 * Is word one of the comma-separated items of list? ("a,b,c", "b") -> true.
 */
bool list_contains(const char *list, const char *word);

#endif
