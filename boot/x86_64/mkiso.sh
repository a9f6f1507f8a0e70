#!/bin/sh
# Build a BIOS-bootable ISO in which GRUB loads the kernel by multiboot2,
# as on a real PC. Usage: mkiso.sh kernel.elf out.iso "command line"
set -eu
elf=$1
iso=$2
cmdline=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
root=$dir/iso
mkdir -p "$root/boot/grub"
cp "$elf" "$root/boot/quiesce.elf"
cat > "$root/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "Quiesce" {
	multiboot2 /boot/quiesce.elf $cmdline
	boot
}
CFG
echo "  ISO     $iso"
if ! grub-mkrescue -o "$iso" "$root" >"$dir/log" 2>&1; then
	cat "$dir/log" >&2
	echo "mkiso: error: grub-mkrescue failed" >&2
	exit 1
fi
