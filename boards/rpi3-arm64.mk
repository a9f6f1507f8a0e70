# Raspberry Pi 3 Model B (BCM2837, 4x Cortex-A53), 64-bit: QEMU raspi3b
# or the real board. The firmware (QEMU's boot stub) enters kernel8.img
# at EL2 at 0x80000 with the DTB in x0 and holds the other cores in a
# spin-table; the BCM2836-style local block routes timer interrupts and
# carries IPIs; UART0 is the PL011. Peripherals sit at BOARD_PERIPH_BASE
# (the firmware DTB says so through /soc ranges; our QEMU DTB likewise).
ARCH		:= arm64
BOARD_LINK_ADDR	:= 0x80000
BOARD_TEXT_OFFSET := 0x80000
BOARD_PERIPH_BASE := 0x3f000000
BOARD_DRIVERS	:= uart/pl011 irq/bcm_local timer/arm_generic exit/semihost
# A real board cannot take a semihosting call: exit=auto halts there.
BOARD_CFLAGS	:= -DBOARD_EXIT_DEFAULT=EXIT_HALT
BOARD_DTS	:= boards/dts/rpi3-arm64.dts

# QEMU's raspi machines always have 4 cores: CPUS=n below 4 becomes the
# kernel's cpus=n (commands use n CPUs; all 4 still come online), and
# semihost=1 lets the run report its status to QEMU.
QEMU		:= qemu-system-aarch64
QEMU_PKG	:= qemu-system-arm
QEMU_EXIT	:= semihost
QEMU_KEYS	 = semihost=1$(if $(filter-out 4,$(CPUS)), cpus=$(CPUS))
# The run options' ranges (Makefile, "Run options"): 4 cores and 1 GiB
# always, the SoC's CPU model; DTB= boots another tree (the firmware's).
BOARD_MACHINE	:= raspi3b
BOARD_MAX_CPUS	:= 4
BOARD_FIXED_CPUS := 4
BOARD_MEM_RANGE	:= 1024 1024
QEMU_ARGS	 = -M raspi3b $(if $(MEM),-m $(MEM)) $(QEMU_BASE) \
		   -semihosting-config enable=on,target=native \
		   -dtb $(RUN_DTB) -kernel $(IMAGE)

# make image: the files for the boot partition of a Raspberry Pi OS card.
BOARD_IMAGE_CMD	 = tools/rpi_image.sh $(IMAGE) images/$(BOARD) kernel8.img \
		   $(BOARD_LINK_ADDR) 64 "$(CMDLINE)"
