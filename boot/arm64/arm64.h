/* SPDX-License-Identifier: MIT */
/* Private to boot/arm64: the interface of the shared ARM boot code. */
#ifndef QUIESCE_BOOT_ARM64_H
#define QUIESCE_BOOT_ARM64_H

#include "../arm-common/arm_common.h"

#endif
