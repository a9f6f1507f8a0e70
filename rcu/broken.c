// SPDX-License-Identifier: MIT
/* The broken-RCU switch of include/rcu_broken.h (tests only). */
#include <rcu_broken.h>

int rcu_broken = RCU_BROKEN_NONE;
