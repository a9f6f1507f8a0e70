// SPDX-License-Identifier: MIT
/*
 * Where the __qs_point functions lie: one range of kernel text that
 * the linker script brackets (.text.rcu_qs). Kernel only: the host build
 * has no such range, and its arch says no PC is a quiescent point.
 */
#include <rcupdate.h>

extern const char __rcu_qs_text_start[], __rcu_qs_text_end[];

bool rcu_pc_is_quiescent(uintptr_t pc)
{
	return pc >= (uintptr_t)__rcu_qs_text_start && pc < (uintptr_t)__rcu_qs_text_end;
}
