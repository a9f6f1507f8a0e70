/* SPDX-License-Identifier: MIT */
/* Private to kernel/: the panic state other core files consult. */
#ifndef QUIESCE_KERNEL_PANIC_H
#define QUIESCE_KERNEL_PANIC_H

#include <compiler.h>

bool panic_in_progress(void);
void printk_flush(void);

#endif
