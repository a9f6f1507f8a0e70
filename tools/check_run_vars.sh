#!/bin/sh
# The run variables of make run/test/bench/debug/soak, checked before QEMU
# starts: prints one line naming the bad value and the board's valid range
# (and exits 1), or nothing. The Makefile calls it with name=value words:
#   board= cpus= max_cpus= fixed_cpus= mem= mem_min= mem_max= (MiB)
#   arch= qemu= machine= qemu_cpu= board_cpu= extra= accel= kvm_arch= dtb=
set -u
board="" cpus="" max_cpus="" fixed_cpus="" mem="" mem_min="" mem_max=""
arch="" qemu="" machine="" qemu_cpu="" board_cpu="" extra="" accel="" kvm_arch="" dtb=""
for kv in "$@"; do
	eval "${kv%%=*}=\${kv#*=}"
done

fail() {
	echo "$*"
	exit 1
}

is_uint() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
	[ ${#1} -le 9 ]
}

# CPUS=: a count QEMU's machine and the kernel both take.
if [ -n "$fixed_cpus" ]; then
	range="1 to $fixed_cpus (the machine always has $fixed_cpus; fewer run the command on that many)"
else
	range="1 to $max_cpus"
fi
if ! is_uint "$cpus" || [ "$cpus" -lt 1 ] || [ "$cpus" -gt "$max_cpus" ]; then
	fail "CPUS=$cpus is not a CPU count for $board (valid: $range)"
fi

# MEM=: <n>, <n>M or <n>G (QEMU's -m; M when no unit), in the board's range.
mib_name() {
	if [ $(($1 % 1024)) -eq 0 ]; then echo "$(($1 / 1024))G"; else echo "${1}M"; fi
}
if [ -n "$mem" ]; then
	if [ "$mem_min" = "$mem_max" ]; then
		mrange="$(mib_name "$mem_min") only: the machine's RAM is fixed"
	else
		mrange="$(mib_name "$mem_min") to $(mib_name "$mem_max"), as <n>M or <n>G"
	fi
	num=${mem%[MmGg]}
	unit=${mem#"$num"}
	is_uint "$num" || fail "MEM=$mem is not a memory size for $board (valid: $mrange)"
	case $unit in
	G | g) mib=$((num * 1024)) ;;
	*) mib=$num ;;
	esac
	if [ "$mib" -lt "$mem_min" ] || [ "$mib" -gt "$mem_max" ]; then
		fail "MEM=$mem is out of range for $board (valid: $mrange)"
	fi
fi

# QEMU_CPU=: a CPU model this QEMU has (its name before any ,feature=).
if [ -n "$qemu_cpu" ]; then
	[ -n "$board_cpu" ] ||
		fail "QEMU_CPU=$qemu_cpu: $board's CPU is fixed by its machine ($machine); leave QEMU_CPU= unset"
	model=${qemu_cpu%%,*}
	if command -v "$qemu" >/dev/null 2>&1 &&
	   ! "$qemu" -machine "$machine" -cpu help 2>/dev/null |
		awk -v m="$model" '{ for (i = 1; i <= NF; i++) if ($i == m) f = 1 } END { exit !f }'; then
		fail "QEMU_CPU=$qemu_cpu is not a CPU model of $qemu (valid: a name from '$qemu -cpu help', e.g. $board_cpu)"
	fi
fi

# QEMU_EXTRA=: anything but what the variables above own.
for w in $extra; do
	case $w in
	-m | -m=*) fail "QEMU_EXTRA='$extra': set memory with MEM=, not $w" ;;
	-smp | -smp=*) fail "QEMU_EXTRA='$extra': set the CPU count with CPUS=, not $w" ;;
	-cpu | -cpu=*) fail "QEMU_EXTRA='$extra': set the CPU model with QEMU_CPU=, not $w" ;;
	-accel | -accel=* | -enable-kvm) fail "QEMU_EXTRA='$extra': set the accelerator with ACCEL=, not $w" ;;
	-kernel | -dtb) fail "QEMU_EXTRA='$extra': $w is the board's (DTB= picks another device tree)" ;;
	-*) ;;
	esac
done

# ACCEL=: tcg (the default) or kvm, the latter only for the board of the
# host's own architecture, with /dev/kvm usable.
case $accel in
'' | tcg) ;;
kvm)
	host=$(uname -m)
	[ "$host" = "$kvm_arch" ] ||
		fail "ACCEL=kvm runs only the board of this host's architecture ($host: $( [ "$host" = aarch64 ] && echo qemu-virt-arm64 || echo pc-x86_64)), not $board"
	[ -r /dev/kvm ] && [ -w /dev/kvm ] ||
		fail "ACCEL=kvm: /dev/kvm is missing or not usable by $(id -un) (no KVM on this host, or not in group kvm)"
	;;
*) fail "ACCEL=$accel is not an accelerator (valid: tcg, kvm)" ;;
esac

# DTB=: a device tree file to pass instead of the board's own.
if [ -n "$dtb" ] && [ "$arch" = x86_64 ]; then
	fail "DTB=$dtb: $board boots from ACPI, not a device tree (DTB= is for the ARM boards)"
fi
if [ -n "$dtb" ] && [ ! -f "$dtb" ]; then
	fail "DTB=$dtb: no such file (valid: a .dtb, e.g. from make upstream-dtbs)"
fi
exit 0
