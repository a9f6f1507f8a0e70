# QEMU "virt" with Cortex-A15 cores (armv7-a): GICv2 (up to 8 CPUs),
# generic timer, PL011, PSCI (its conduit from the DTB). QEMU loads a raw
# 32-bit image 64 KiB into RAM, which starts at 1 GiB.
ARCH		:= arm
BOARD_LINK_ADDR	:= 0x40010000
BOARD_DRIVERS	:= uart/pl011 irq/gicv2 timer/arm_generic psci exit/semihost
BOARD_CFLAGS	:= -DBOARD_EXIT_DEFAULT=EXIT_SEMIHOST
QEMU		:= qemu-system-arm
QEMU_PKG	:= qemu-system-arm
QEMU_EXIT	:= semihost
# The run options' ranges (Makefile, "Run options"): GICv2 takes 8 CPUs;
# highmem=off keeps all RAM (from 1 GiB) below 4 GiB: at most 3G.
BOARD_MACHINE	:= virt
BOARD_MAX_CPUS	:= 8
BOARD_MEM	:= 512M
BOARD_MEM_RANGE	:= 128 3072
BOARD_QEMU_CPU	:= cortex-a15
QEMU_ARGS	 = -M virt,highmem=off$(if $(EL2),$(comma)virtualization=on) \
		   -cpu $(RUN_CPU) -smp $(CPUS) -m $(RUN_MEM) $(QEMU_BASE) \
		   -semihosting-config enable=on,target=native \
		   $(if $(DTB),-dtb $(DTB)) $(ARM_BOOT)

# BOOT=uboot: U-Boot's bootz runs the image (its zImage header: head.S)
# from boot.scr on a virtio disk, loaded where it is linked
# (make image BOOT=uboot; the Makefile's "Boot loaders").
BOARD_BOOTS	:= uboot
BOARD_UBOOT	:= /usr/lib/u-boot/qemu_arm/u-boot.bin
BOARD_UBOOT_ARGS := zImage $(BOARD_LINK_ADDR) bootz arm
BOARD_IMAGE_CMD	 = $(if $(filter uboot,$(BOOT)),$(UBOOT_IMAGE_CMD))
BOARD_CMDLINE_IN_IMAGE = $(filter uboot,$(BOOT))
BOARD_RUN_DEPS	:= $(if $(filter uboot,$(BOOT)),image)
