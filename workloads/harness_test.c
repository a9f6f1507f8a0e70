// SPDX-License-Identifier: MIT
/* The harness's printers (workloads/harness.c). */
#include <harness.h>
#include <ktest.h>

KTEST(harness, result_fixed_rounds_to_its_places)
{
	char b[24];

	EXPECT_STREQ(t, result_fixed(b, sizeof(b), 2, 3, 2), "0.67");
	EXPECT_STREQ(t, result_fixed(b, sizeof(b), 1, 200, 2), "0.01");	/* half up */
	EXPECT_STREQ(t, result_fixed(b, sizeof(b), 1, 201, 2), "0.00");
	EXPECT_STREQ(t, result_fixed(b, sizeof(b), 970, 10, 1), "97.0");
	EXPECT_STREQ(t, result_fixed(b, sizeof(b), 7, 2, 0), "4");
	EXPECT_STREQ(t, result_fixed(b, sizeof(b), 12345, 1, 3), "12345.000");
	EXPECT_STREQ(t, result_fixed(b, sizeof(b), 5, 0, 2), "0.00");
	EXPECT_STREQ(t, result_per_op(b, sizeof(b), false, 5, 1), "-");
}
