// SPDX-License-Identifier: MIT
/* Tests of the uprobe mechanism (uprobe.c): bad input, one hit end to end. */
#include "uprobe.h"
#include <arch.h>
#include <ktest.h>
#include <asm/text_patch.h>

static unsigned long test_hits;	/* one CPU, interrupts off: a plain count */

static void count_test_hit(struct uprobe_consumer *uc)
{
	(void)uc;
	test_hits++;
}

KTEST(uprobe, register_refuses_bad_offsets_and_duplicates)
{
	struct uprobe_consumer a = { count_test_hit }, b = { count_test_hit };
	unsigned long site0 = uprobe_site_offset(0);
	struct inode *inode;

	ASSERT_EQ(t, uprobes_init(UP_RCU_SEQCOUNT), 0);
	inode = uprobe_target_inode(0);
	EXPECT_EQ(t, uprobe_register(inode, inode->size, &a), -EINVAL);
	EXPECT_EQ(t, uprobe_register(inode, inode->size + 4096, &a), -EINVAL);
	/* Misaligned where the ISA has alignment, else mid-instruction. */
	EXPECT_EQ(t, uprobe_register(inode, uprobe_site_offset(1) + 2, &a), -EINVAL);
	/* The last instruction returns: it cannot be emulated. */
	EXPECT_EQ(t, uprobe_register(inode, inode->size - 1 - (inode->size - 1) % TEXT_POKE_SIZE, &a),
		  -EINVAL);
	ASSERT_EQ(t, uprobe_register(inode, site0, &a), 0);
	EXPECT_EQ(t, uprobe_register(inode, site0, &a), -EEXIST);
	EXPECT_EQ(t, uprobe_register(inode, site0, &b), -EBUSY);
	EXPECT_EQ(t, uprobe_unregister(inode, site0, &b), -ENOENT);
	EXPECT_EQ(t, uprobe_unregister(inode, site0, &a), 0);
	EXPECT_EQ(t, uprobe_unregister(inode, site0, &a), -ENOENT);
	uprobes_exit();
}

/* Release the hits a call made on this CPU; how many there were. */
static unsigned int release_hits(void)
{
	struct uprobe_cpu *uc = this_cpu_ptr(&uprobe_cpu);
	unsigned int n = uc->nr_active;

	for (unsigned int i = 0; i < n; i++)
		uprobe_hit_release(&uc->active[i]);
	uc->nr_active = 0;
	return n;
}

KTEST(uprobe, breakpoint_hit_runs_consumer_and_emulates)
{
	struct uprobe_consumer a = { count_test_hit };
	struct inode *inode;
	unsigned long flags;
	unsigned int n;

	ASSERT_EQ(t, uprobes_init(UP_RCU_SEQCOUNT), 0);
	test_hits = 0;
	inode = uprobe_target_inode(1);
	ASSERT_EQ(t, uprobe_register(inode, uprobe_site_offset(0), &a), 0);	/* NOP */
	ASSERT_EQ(t, uprobe_register(inode, uprobe_site_offset(1), &a), 0);	/* ADD #1 */
	flags = arch_irq_save();	/* stay on this CPU's hit list */
	EXPECT_EQ(t, uprobe_target_call(1, 10), 10 + UPROBE_TARGET_ADDS);
	n = release_hits();
	arch_irq_restore(flags);
	EXPECT_EQ(t, n, 2);
	EXPECT_EQ(t, test_hits, 2);
	EXPECT_EQ(t, uprobe_unregister(inode, uprobe_site_offset(0), &a), 0);
	EXPECT_EQ(t, uprobe_unregister(inode, uprobe_site_offset(1), &a), 0);
	EXPECT_EQ(t, uprobe_target_call(1, 10), 10 + UPROBE_TARGET_ADDS);
	EXPECT_EQ(t, test_hits, 2);
	uprobes_exit();
}

KTEST(uprobe, called_hit_takes_the_same_path_without_a_trap)
{
	struct uprobe_consumer a = { count_test_hit };
	const uint8_t *code;
	struct inode *inode;
	unsigned long flags;
	unsigned int n;

	ASSERT_EQ(t, uprobes_init(UP_SRCU), 0);
	test_hits = 0;
	inode = uprobe_target_inode(2);
	code = inode->code;
	ASSERT_EQ(t, uprobe_register(inode, uprobe_site_offset(2), &a), 0);
	flags = arch_irq_save();
	EXPECT_EQ(t, uprobe_call_hit(code + uprobe_site_offset(1)), false);	/* not probed */
	EXPECT_EQ(t, uprobe_call_hit(code + uprobe_site_offset(2)), true);
	n = release_hits();
	arch_irq_restore(flags);
	EXPECT_EQ(t, n, 1);
	EXPECT_EQ(t, test_hits, 1);
	EXPECT_EQ(t, uprobe_unregister(inode, uprobe_site_offset(2), &a), 0);
	EXPECT_EQ(t, uprobe_call_hit(code + uprobe_site_offset(2)), false);
	EXPECT_EQ(t, test_hits, 1);
	uprobes_exit();
}
