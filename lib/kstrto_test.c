// SPDX-License-Identifier: MIT
#include <ktest.h>
#include <kernel.h>

KTEST(kstrto, parses_decimal_and_hex)
{
	unsigned long long v = 0;

	EXPECT_EQ(t, kstrtoull("3000", &v), 0);
	EXPECT_EQ(t, v, 3000);
	EXPECT_EQ(t, kstrtoull("0x1F", &v), 0);
	EXPECT_EQ(t, v, 31);
}

KTEST(kstrto, rejects_garbage_empty_and_overflow)
{
	unsigned long long v = 7;

	EXPECT_EQ(t, kstrtoull("abc", &v), -EINVAL);
	EXPECT_EQ(t, kstrtoull("", &v), -EINVAL);
	EXPECT_EQ(t, kstrtoull("12x", &v), -EINVAL);
	EXPECT_EQ(t, kstrtoull("0x", &v), -EINVAL);
	EXPECT_EQ(t, kstrtoull("-1", &v), -EINVAL);
	EXPECT_EQ(t, kstrtoull("99999999999999999999", &v), -ERANGE);
	EXPECT_EQ(t, v, 7);
}
