# Raspberry Pi 3 Model B (BCM2837, 4x Cortex-A53), 64-bit: QEMU raspi3b
# or the real board. The firmware (QEMU's boot stub) enters kernel8.img
# at EL2 at 0x80000 with the DTB in x0 and holds the other cores in a
# spin-table.
ARCH		:= arm64
BOARD_LINK_ADDR	:= 0x80000
BOARD_TEXT_OFFSET := 0x80000
BOARD_MACHINE	:= raspi3b
include boards/rpi.inc
