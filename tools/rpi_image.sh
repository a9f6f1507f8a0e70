#!/bin/sh
# make image for the Raspberry Pi boards: the files to copy onto the boot
# (FAT) partition of a Raspberry Pi OS SD card, next to its firmware.
#   rpi_image.sh IMAGE OUTDIR KERNEL_NAME LOAD_ADDR 32|64 CMDLINE
# config.txt points the firmware at our kernel and command-line file, so
# the card's own kernel and cmdline.txt stay untouched.
set -eu
image=$1 out=$2 name=$3 addr=$4 bits=$5 cmdline=$6
mkdir -p "$out"
cp "$image" "$out/$name"
{
	echo "# Quiesce: boot $name instead of Linux (written by make image)."
	[ "$bits" = 64 ] && echo "arm_64bit=1"
	echo "kernel=$name"
	echo "kernel_address=$addr"
	echo "cmdline=quiesce-cmdline.txt"
	echo "# The serial console: UART0 (the PL011) on GPIO 14 (TX) and 15 (RX), 115200 8N1."
	echo "enable_uart=1"
	[ "$bits" = 64 ] && echo "dtoverlay=disable-bt"
	true
} > "$out/config.txt"
# The firmware puts its own Linux parameters first: "--" marks where ours begin.
echo "-- ${cmdline:-run=selftest}" > "$out/quiesce-cmdline.txt"
echo "  IMAGE   $out: $name config.txt quiesce-cmdline.txt"
