# QEMU "virt" with Cortex-A15 cores (armv7-a): GICv2 (up to 8 CPUs).
# QEMU loads a raw 32-bit image 64 KiB into RAM, which starts at 1 GiB.
ARCH		:= arm
BOARD_LINK_ADDR	:= 0x40010000
BOARD_DRIVERS	:= uart/pl011 irq/gicv2 timer/arm_generic psci exit/semihost
QEMU		:= qemu-system-arm
# The run options' ranges (Makefile, "Run options"): GICv2 takes 8 CPUs;
# highmem=off keeps all RAM (from 1 GiB) below 4 GiB: at most 3G.
BOARD_MAX_CPUS	:= 8
BOARD_MEM_RANGE	:= 128 3072
BOARD_QEMU_CPU	:= cortex-a15
VIRT_MACHINE_OPTS := ,highmem=off
VIRT_ACCEL	:=
# U-Boot's bootz runs the image (its zImage header: head.S), loaded where
# it is linked.
BOARD_UBOOT	:= /usr/lib/u-boot/qemu_arm/u-boot.bin
BOARD_UBOOT_ARGS := zImage $(BOARD_LINK_ADDR) bootz arm
include boards/qemu-virt.inc
