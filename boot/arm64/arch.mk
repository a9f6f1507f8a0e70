# arm64: aarch64-linux-gnu-gcc used freestanding, linked with picolibc.
CROSS		:= aarch64-linux-gnu-
TOOLCHAIN_PKGS	:= gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu picolibc-aarch64-linux-gnu
ARCH_CFLAGS	:= -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
		   -mno-omit-leaf-frame-pointer -mcmodel=small \
		   -DBOARD_TEXT_OFFSET=$(BOARD_TEXT_OFFSET)
ARCH_SRCS	:= $(wildcard boot/arm64/*.c boot/arm64/*.S boot/arm-common/*.c) drivers/fdt.c drivers/fdt_test.c
ARCH_LIBS	:= /usr/lib/picolibc/aarch64-linux-gnu/lib/libc.a
LINKER_SCRIPT	:= linker/arm.ld
# The Linux arm64 Image: the raw binary of the linked kernel.
IMAGE_NAME	:= Image
