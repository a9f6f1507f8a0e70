// SPDX-License-Identifier: MIT
/* The command-line parser (see include/cmdline.h). */
#include <cmdline.h>
#include <kernel.h>
#include <libc.h>

#define CMDLINE_MAX	1024
#define MAX_ARGS	32

extern const struct cmdline_key *const __start_cmdline_keys[] __weak;
extern const struct cmdline_key *const __stop_cmdline_keys[] __weak;

static char buf[CMDLINE_MAX];
static struct {
	const char *key;
	const char *value;
} args[MAX_ARGS];
static unsigned int nr_args;

int cmdline_check_uint(const char *value)
{
	unsigned long long v;

	return kstrtoull(value, &v);
}

int cmdline_check_bool(const char *value)
{
	return strcmp(value, "0") && strcmp(value, "1") ? -EINVAL : 0;
}

static const struct cmdline_key *find_key(const char *name)
{
	for (const struct cmdline_key *const *k = __start_cmdline_keys;
	     k < __stop_cmdline_keys; k++)
		if (!strcmp((*k)->name, name))
			return *k;
	return NULL;
}

/* Ends the current console line with the list of keys. */
static void print_valid_keys(void)
{
	printk(" (valid keys:");
	for (const struct cmdline_key *const *k = __start_cmdline_keys;
	     k < __stop_cmdline_keys; k++)
		printk(" %s=", (*k)->name);
	printk(")\n");
}

/* What separates key=value words ('\r': a boot loader's CRLF file). */
static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int cmdline_parse(const char *line)
{
	char *p = buf;

	nr_args = 0;
#ifndef FUZZ_BROKEN	/* the fuzzer's proof that it finds the overflow of buf */
	if (strlen(line) >= CMDLINE_MAX) {
		printk("cmdline: too long (%lu bytes, at most %d)\n",
		       (unsigned long)strlen(line), CMDLINE_MAX - 1);
		return -EINVAL;
	}
#endif
	/* Any other control byte would be echoed into the error line, and
	 * can break it (a vertical tab, an escape sequence). */
	for (const char *c = line; *c; c++) {
		unsigned char b = (unsigned char)*c;

		if ((b < ' ' && !is_separator(*c)) || b == 0x7f) {
			printk("cmdline: byte %#x at offset %lu is not text\n", b,
			       (unsigned long)(c - line));
			return -EINVAL;
		}
	}
	memcpy(buf, line, strlen(line) + 1);
	for (;;) {
		const struct cmdline_key *key;
		char *word, *eq;
		int err;

		while (is_separator(*p))
			p++;
		if (!*p)
			return 0;
		word = p;
		while (*p && !is_separator(*p))
			p++;
		if (*p)
			*p++ = '\0';
		eq = strchr(word, '=');
		if (!eq) {
			printk("cmdline: '%s' is not key=value", word);
			print_valid_keys();
			return -EINVAL;
		}
		*eq = '\0';
		key = find_key(word);
		if (!key) {
			printk("cmdline: unknown key '%s'", word);
			print_valid_keys();
			return -EINVAL;
		}
		err = key->check ? key->check(eq + 1) : 0;
		if (err == -ENODEV)
			return -EINVAL;		/* the check said why */
		if (err) {
			printk("cmdline: bad value '%s' for %s= (valid: ", eq + 1, word);
			if (key->print_valid)
				key->print_valid();
			else
				printk("%s", key->valid);
			printk(")\n");
			return -EINVAL;
		}
		if (nr_args == MAX_ARGS) {
			printk("cmdline: more than %d keys\n", MAX_ARGS);
			return -EINVAL;
		}
		for (unsigned int i = 0; i < nr_args; i++)
			if (!strcmp(args[i].key, word)) {
				printk("cmdline: %s= given twice\n", word);
				return -EINVAL;
			}
		args[nr_args].key = word;
		args[nr_args].value = eq + 1;
		nr_args++;
	}
}

const char *cmdline_get(const char *key)
{
	for (unsigned int i = 0; i < nr_args; i++)
		if (!strcmp(args[i].key, key))
			return args[i].value;
	return NULL;
}

unsigned long long cmdline_get_ull(const char *key, unsigned long long def)
{
	const char *v = cmdline_get(key);
	unsigned long long n;

	if (!v || kstrtoull(v, &n))
		return def;
	return n;
}

int cmdline_check_list(const char *value, bool (*known)(const char *item, size_t len))
{
	const char *p = value;

	if (!*p)
		return -EINVAL;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (!known(p, len))
			return -EINVAL;
		p = comma ? comma + 1 : p + len;
	}
	return 0;
}

bool list_contains(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);

		if (len == n && !strncmp(list, word, n))
			return true;
		list = comma ? comma + 1 : NULL;
	}
	return false;
}
