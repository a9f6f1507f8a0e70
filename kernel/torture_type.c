// SPDX-License-Identifier: MIT
/*
 * type=: which kinds a torture test or benchmark runs (see
 * include/torture.h). Apart from kernel/torture.c because the host
 * build has no command line.
 */
#include <torture.h>
#include <cmdline.h>
#include <kernel.h>
#include <libc.h>

/* Every command's list of type= kinds; weak: a list may be absent. */
#pragma weak locktorture_types
#pragma weak lockbench_types
#pragma weak rcutorture_types
#pragma weak rcubench_types
static const char *const *const type_lists[] = {
	locktorture_types, lockbench_types, rcutorture_types, rcubench_types,
};

static bool in_list(const char *const types[], const char *s, size_t len)
{
	for (unsigned int i = 0; types && types[i]; i++)
		if (strlen(types[i]) == len && !strncmp(types[i], s, len))
			return true;
	return false;
}

static bool known_type(const char *s, size_t len)
{
	if (len == 3 && !strncmp(s, "all", 3))
		return true;
	for (unsigned int i = 0; i < ARRAY_SIZE(type_lists); i++)
		if (in_list(type_lists[i], s, len))
			return true;
	return false;
}

/* The first item of list that is neither "all" nor in types, or NULL; *len gets its length. */
static const char *bad_item(const char *list, const char *const types[], size_t *len)
{
	while (*list) {
		const char *comma = strchr(list, ',');

		*len = comma ? (size_t)(comma - list) : strlen(list);
		if (!(*len == 3 && !strncmp(list, "all", 3)) && !in_list(types, list, *len))
			return list;
		list = comma ? comma + 1 : list + *len;
	}
	return NULL;
}

static int check_type(const char *value)
{
	return cmdline_check_list(value, known_type);
}

/* Each name once, though several commands share some (ticket, busted...). */
static void print_types(void)
{
	printk("all");
	for (unsigned int i = 0; i < ARRAY_SIZE(type_lists); i++)
		for (unsigned int j = 0; type_lists[i] && type_lists[i][j]; j++) {
			const char *name = type_lists[i][j];
			bool seen = false;

			for (unsigned int k = 0; k < i && !seen; k++)
				seen = in_list(type_lists[k], name, strlen(name));
			if (!seen)
				printk(" %s", name);
		}
}
CMDLINE_KEY_LIST(type, print_types, check_type);

int torture_check_types(const char *command, const char *const types[])
{
	const char *value = cmdline_get("type"), *bad;
	size_t len;

	if (!value || !(bad = bad_item(value, types, &len)))
		return 0;
	printk("%s: unknown type '%.*s' (valid: all", command, (int)len, bad);
	for (unsigned int i = 0; types[i]; i++)
		printk(" %s", types[i]);
	printk(")\n");
	return -EINVAL;
}

bool torture_type_selected(const char *name)
{
	const char *value = cmdline_get("type");

	return !value || list_contains(value, "all") || list_contains(value, name);
}
