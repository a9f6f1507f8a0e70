// SPDX-License-Identifier: MIT
/*
 * The object model's hash tables (workloads/model.h): the pid table and
 * the dentry hash are both one of these.
 */
#include "../model.h"
#include <kernel.h>
#include <mm.h>

int hash_table_init(struct hash_table *t, unsigned int buckets)
{
	BUG_ON(!buckets || (buckets & (buckets - 1)));
	t->heads = kzalloc(buckets * sizeof(*t->heads));
	if (!t->heads)
		return -ENOMEM;
	t->mask = buckets - 1;
	return 0;
}

void hash_table_free(struct hash_table *t)
{
	if (!t->heads)
		return;
	for (unsigned int i = 0; i <= t->mask; i++)
		BUG_ON(!hlist_empty(&t->heads[i]));
	kfree(t->heads);
	t->heads = NULL;
}
