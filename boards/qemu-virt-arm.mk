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
QEMU_ARGS	 = -M virt,highmem=off$(if $(EL2),$(comma)virtualization=on) \
		   -cpu cortex-a15 -smp $(CPUS) -m 512M $(QEMU_BASE) \
		   -semihosting-config enable=on,target=native \
		   -kernel $(IMAGE)
