#!/bin/sh
# Build an ISO in which GRUB loads the kernel by multiboot2, as on a real
# PC, bootable by BIOS and by UEFI: grub-mkrescue writes an El Torito
# entry for each GRUB platform installed (grub-pc-bin, grub-efi-amd64-bin),
# and both must be. Usage: mkiso.sh kernel.elf out.iso "command line"
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
for platform in i386-pc x86_64-efi; do
	[ -d "/usr/lib/grub/$platform" ] || {
		echo "mkiso: error: GRUB for $platform is not installed (make image installs it)" >&2
		exit 1
	}
done
echo "  ISO     $iso"
if ! grub-mkrescue -o "$iso" "$root" >"$dir/log" 2>&1; then
	cat "$dir/log" >&2
	echo "mkiso: error: grub-mkrescue failed" >&2
	exit 1
fi
