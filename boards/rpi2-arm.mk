# Raspberry Pi 2 Model B (BCM2836, 4x Cortex-A7), armv7-a: QEMU raspi2b
# or the real board. The firmware (QEMU's boot stub) enters kernel7.img in
# HYP or SVC mode with the DTB in r2 and holds the other cores polling
# their mailbox 3 in the local block. QEMU loads a raw 32-bit image at
# 0x10000; the firmware is told the same address by config.txt.
ARCH		:= arm
BOARD_LINK_ADDR	:= 0x10000
BOARD_MACHINE	:= raspi2b
include boards/rpi.inc
