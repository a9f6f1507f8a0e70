# armv7-a: arm-none-eabi-gcc, ARM state, no FP/SIMD registers in kernel
# code (soft-float ABI), linked with picolibc's matching armv7-a soft-float
# multilib. -mapcs-frame gives every function the same frame record, which
# the backtrace walks (boot/arm/traps.c). armv7ve: Cortex-A7/A15, with
# LPAE (the MMU), the virtualization extensions (HYP mode) and LDREXD/STREXD
# for the 64-bit atomics.
CROSS		:= arm-none-eabi-
TOOLCHAIN_PKGS	:= gcc-arm-none-eabi binutils-arm-none-eabi picolibc-arm-none-eabi
ARCH_CFLAGS	:= -Iboot/arm-common/include -marm -march=armv7ve -mfloat-abi=soft -mno-unaligned-access \
		   -mapcs-frame -mtp=cp15
ARCH_SRCS	:= $(wildcard boot/arm/*.c boot/arm/*.S boot/arm-common/*.c) drivers/fdt.c drivers/fdt_test.c
ARCH_LIBS	:= /usr/lib/picolibc/arm-none-eabi/lib/thumb/v7-a/nofp/libc.a
LINKER_SCRIPT	:= linker/arm.ld
# A raw binary: QEMU -kernel and the Raspberry Pi firmware enter its first
# byte with the DTB in r2.
IMAGE_NAME	:= Image
