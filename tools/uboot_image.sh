#!/bin/sh
# make image BOOT=uboot (the QEMU virt boards): a disk image as a board
# that boots with U-Boot has it: an MBR with one FAT partition holding
# the kernel and boot.scr, the script U-Boot's distro boot finds and runs.
#   uboot_image.sh IMAGE OUTDIR NAME LOAD_ADDR booti|bootz ARCH CMDLINE
# NAME is the kernel's file name on the partition (Image, zImage). bootz
# runs an armv7 zImage where it was loaded, and this kernel is not
# position-independent, so LOAD_ADDR is where it is linked; booti moves an
# arm64 Image to its text_offset itself, so LOAD_ADDR may be U-Boot's
# kernel_addr_r. The device tree is U-Boot's own ($fdtcontroladdr: the
# machine's, as U-Boot amended it).
set -eu
image=$1 out=$2 name=$3 addr=$4 cmd=$5 arch=$6 cmdline=$7
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/boot.cmd" <<EOF
# Quiesce: written by make image BOOT=uboot.
setenv bootargs "${cmdline:-run=selftest}"
load virtio 0:1 $addr $name
$cmd $addr - \${fdtcontroladdr}
EOF
mkimage -A "$arch" -O linux -T script -C none -n "Quiesce boot script" \
	-d "$tmp/boot.cmd" "$tmp/boot.scr" >/dev/null

# The FAT partition: 32 MiB from sector 2048 (1 MiB).
part_kib=32768
mkfs.vfat -C -n QUIESCE "$tmp/part.img" $part_kib >/dev/null
mcopy -i "$tmp/part.img" "$image" "::/$name"
mcopy -i "$tmp/part.img" "$tmp/boot.scr" "$tmp/boot.cmd" ::/

# The MBR: one bootable entry, type 0x0e (FAT16 LBA: mkfs.vfat picks FAT16 for 32 MiB), CHS fields unused.
python3 - "$tmp/mbr.img" 2048 $((part_kib * 2)) <<'PY'
import struct, sys
path, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mbr = bytearray(512)
mbr[446:462] = struct.pack("<B3sB3sII", 0x80, b"\xff\xff\xff", 0x0e, b"\xff\xff\xff", start, count)
mbr[510:512] = b"\x55\xaa"
with open(path, "wb") as f:
    f.write(mbr + bytes(start * 512 - 512))
PY
cat "$tmp/mbr.img" "$tmp/part.img" >"$out/disk.img"
cp "$tmp/boot.cmd" "$out/boot.cmd"
echo "  IMAGE   $out/disk.img: $name boot.scr ($cmd at $addr)"
