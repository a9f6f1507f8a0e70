# x86_64: the host gcc used freestanding, linked with the in-tree libc
# (lib/libc), since Debian packages picolibc only for ARM. The kernel is
# linked and identity-mapped below 2 GiB, so the small code model fits.
CROSS		:=
TOOLCHAIN_PKGS	:= gcc binutils
ARCH_CFLAGS	:= -m64 -march=x86-64 -mno-red-zone -mno-mmx -mno-sse -mno-sse2 \
		   -mgeneral-regs-only -mcmodel=small -mno-omit-leaf-frame-pointer \
		   -fno-asynchronous-unwind-tables -fcf-protection=none
ARCH_SRCS	:= $(wildcard boot/x86_64/*.c boot/x86_64/*.S) \
		   lib/libc/string.c lib/libc/printf.c drivers/acpi.c drivers/acpi_test.c
ARCH_LIBS	:=
LINKER_SCRIPT	:= linker/x86_64.ld
# One ELF for QEMU -kernel (PVH note) and GRUB (multiboot2 header).
IMAGE_NAME	:= kernel.elf
