// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the kernel command line (kernel/cmdline.c) and
 * the key checks it calls, as kernel_main() and run_commands() use them:
 * cmdline_parse(), then each command run= names checks its own keys
 * (check_args: type=, mode=, ...) before anything runs.
 *
 * The input is the command line, a C string as the boot loader hands it
 * over (so it ends at its first NUL). The key checks linked in are every
 * one the host build can link (fuzz.mk says which are not).
 *
 * Checked: a line refused, or a command's keys refused, printed exactly
 * one line; a line accepted printed nothing, and cmdline_get() gives
 * back every key=value of it as written.
 */
#include "fuzz.h"
#include <cmdline.h>
#include <harness.h>
#include <kerrno.h>
#include <libc.h>
#include <stdlib.h>

extern const struct command *const __start_commands[] __weak;
extern const struct command *const __stop_commands[] __weak;
extern const struct cmdline_key *const __start_cmdline_keys[] __weak;
extern const struct cmdline_key *const __stop_cmdline_keys[] __weak;

static const struct command *command(const char *name, size_t len)
{
	for (const struct command *const *c = __start_commands; c < __stop_commands; c++)
		if (strlen((*c)->name) == len && !strncmp((*c)->name, name, len))
			return *c;
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Every word of an accepted line is a key=value that cmdline_get() returns. */
static void check_accepted(const char *line)
{
	const char *p = line;
	char key[1024];

	while (*p) {
		const char *word, *eq;
		size_t len;

		while (is_space(*p))
			p++;
		if (!*p)
			break;
		for (word = p; *p && !is_space(*p); p++)
			;
		len = (size_t)(p - word);
		eq = memchr(word, '=', len);
		FUZZ_CHECK(eq, "accepted the word '%.*s'", (int)len, word);
		FUZZ_CHECK((size_t)(eq - word) < sizeof(key), "a key of %zu bytes",
			   (size_t)(eq - word));
		memcpy(key, word, (size_t)(eq - word));
		key[eq - word] = '\0';
		FUZZ_CHECK(cmdline_get(key) &&
			   strlen(cmdline_get(key)) == (size_t)(p - eq - 1) &&
			   !strncmp(cmdline_get(key), eq + 1, (size_t)(p - eq - 1)),
			   "%s= gives '%s', the line says '%.*s'", key,
			   cmdline_get(key) ? cmdline_get(key) : "(nothing)",
			   (int)(p - eq - 1), eq + 1);
	}
}

/* run_commands()' first pass: every command named checks its keys. */
static void check_commands(void)
{
	const char *run = cmdline_get("run"), *p;

	for (p = run ? run : "all"; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const struct command *c = command(p, len);
		int err;

		FUZZ_CHECK(c, "run= accepted the unknown command '%.*s'", (int)len, p);
		if (c->check_args) {
			fuzz_output_reset();
			err = c->check_args();
			FUZZ_CHECK(err == 0 || err == -EINVAL, "%s: check error %d", c->name, err);
			if (err) {
				FUZZ_CHECK(fuzz_output_is_one_line(),
					   "%s refused its keys with %u lines", c->name,
					   fuzz_output_lines());
				return;		/* the kernel stops at the first */
			}
			FUZZ_CHECK(fuzz_output_lines() == 0, "%s accepted its keys, printing '%s'",
				   c->name, fuzz_output());
		}
		p = comma ? comma + 1 : p + len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	int err;

	fuzz_init_kernel();
	FUZZ_CHECK(__stop_cmdline_keys - __start_cmdline_keys > 1 &&
		   __stop_commands - __start_commands > 1, "no keys or no commands linked");
	FUZZ_CHECK(line, "out of memory for %zu bytes", size + 1);
	memcpy(line, data, size);
	line[size] = '\0';
	fuzz_output_reset();
	err = cmdline_parse(line);
	FUZZ_CHECK(err == 0 || err == -EINVAL, "cmdline_parse() gave %d", err);
	if (err) {
		FUZZ_CHECK(fuzz_output_is_one_line(), "refused with %u lines: '%s'",
			   fuzz_output_lines(), fuzz_output());
	} else {
		FUZZ_CHECK(fuzz_output_lines() == 0, "accepted, printing '%s'", fuzz_output());
		check_accepted(line);
		/* What commands then ask of the values. */
		cmdline_get_ull("ms", 0);
		cmdline_get_ull("seed", 0);
		list_contains(cmdline_get("mode"), "rcu-walk");
		list_contains(cmdline_get("type"), "rcu");
		check_commands();
	}
	free(line);
	return 0;
}
