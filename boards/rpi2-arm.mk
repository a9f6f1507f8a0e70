# Raspberry Pi 2 Model B (BCM2836, 4x Cortex-A7), armv7-a: QEMU raspi2b
# or the real board. The firmware (QEMU's boot stub) enters kernel7.img in
# HYP or SVC mode with the DTB in r2 and holds the other cores polling
# their mailbox 3 in the local block, which also routes timer interrupts
# and carries IPIs; UART0 is the PL011. QEMU loads a raw 32-bit image at
# 0x10000; the firmware is told the same address by config.txt.
ARCH		:= arm
BOARD_LINK_ADDR	:= 0x10000
BOARD_PERIPH_BASE := 0x3f000000
BOARD_DRIVERS	:= uart/pl011 irq/bcm_local timer/arm_generic exit/semihost
# A real board cannot take a semihosting call: exit=auto halts there.
BOARD_CFLAGS	:= -DBOARD_EXIT_DEFAULT=EXIT_HALT
BOARD_DTS	:= boards/dts/rpi2-arm.dts

# As for rpi3-arm64: 4 cores always, CPUS=n -> cpus=n, semihost=1.
QEMU		:= qemu-system-arm
QEMU_PKG	:= qemu-system-arm
QEMU_EXIT	:= semihost
QEMU_KEYS	 = semihost=1$(if $(filter-out 4,$(CPUS)), cpus=$(CPUS))
# The run options' ranges (Makefile, "Run options"): 4 cores and 1 GiB
# always, the SoC's CPU model; DTB= boots another tree (the firmware's).
BOARD_MACHINE	:= raspi2b
BOARD_MAX_CPUS	:= 4
BOARD_FIXED_CPUS := 4
BOARD_MEM_RANGE	:= 1024 1024
QEMU_ARGS	 = -M raspi2b $(if $(MEM),-m $(MEM)) $(QEMU_BASE) \
		   -semihosting-config enable=on,target=native \
		   -dtb $(RUN_DTB) -kernel $(IMAGE)

BOARD_IMAGE_CMD	 = tools/rpi_image.sh $(IMAGE) images/$(BOARD) kernel7.img \
		   $(BOARD_LINK_ADDR) 32 "$(CMDLINE)"
