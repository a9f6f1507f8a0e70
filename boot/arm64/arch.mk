# arm64: aarch64-linux-gnu-gcc used freestanding, linked with picolibc.
CROSS		:= aarch64-linux-gnu-
TOOLCHAIN_PKGS	:= gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu picolibc-aarch64-linux-gnu
ARCH_CFLAGS	:= -Iboot/arm-common/include -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
		   -mno-omit-leaf-frame-pointer -mcmodel=small \
		   -DBOARD_TEXT_OFFSET=$(BOARD_TEXT_OFFSET)
ARCH_SRCS	:= $(wildcard boot/arm64/*.c boot/arm64/*.S boot/arm-common/*.c) drivers/fdt.c drivers/fdt_test.c
ARCH_LIBS	:= /usr/lib/picolibc/aarch64-linux-gnu/lib/libc.a
# Cortex-A53 erratum 843419 (the Raspberry Pi 3's cores): by default ld
# rewrites an affected ADRP into an ADR when its target is near enough and
# adds a veneer otherwise, so moving data (the symbol table's second link,
# Makefile) can add a veneer and move text. Veneers only: the same in both links.
ARCH_LDFLAGS	:= -Wl,--fix-cortex-a53-843419=adrp
LINKER_SCRIPT	:= linker/arm.ld
# The Linux arm64 Image: the raw binary of the linked kernel.
IMAGE_NAME	:= Image
