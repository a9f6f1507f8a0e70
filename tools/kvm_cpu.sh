#!/bin/sh
# tools/kvm_cpu.sh QEMU MACHINE CACHE "MODELS": the first CPU model of
# MODELS (e.g. "host max qemu64") that this host's KVM accepts, printed on stdout; one line on
# stderr says which and why the others were passed over. A model KVM
# rejects makes QEMU abort at once (a nested KVM without some MSR: "failed
# to set MSR 0x10a"); one it accepts leaves QEMU waiting (-S) until killed.
# The answer is cached in CACHE (key, model, that line), keyed by QEMU's
# version and the host CPU; a cached answer prints no line (make run
# prints the cached one: sed -n 3p CACHE).
set -u
qemu=$1 machine=$2 cache=$3 models=$4
key="$("$qemu" --version | head -n 1) $machine $models / $(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2)"
if [ -f "$cache" ] && [ "$(sed -n 1p "$cache")" = "$key" ]; then
	sed -n 2p "$cache"
	exit 0
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
skipped=""
for model in $models; do
	"$qemu" -accel kvm -machine "$machine" -cpu "$model" -nodefaults -display none \
		-monitor none -serial none -S >"$log" 2>&1 &
	pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		wait "$pid" 2>/dev/null
		line="kvm: -cpu $model, the first of $models this host's KVM accepts${skipped:+ (rejected:$skipped)}"
		echo "$line" >&2
		mkdir -p "$(dirname "$cache")"
		printf '%s\n%s\n%s\n' "$key" "$model" "$line" >"$cache"
		echo "$model"
		exit 0
	fi
	wait "$pid" 2>/dev/null
	skipped="$skipped $model ($(grep -m1 -o 'error: .*' "$log" || head -n 1 "$log"))"
done
echo "kvm: error: this host's KVM accepts none of -cpu $models:$skipped" >&2
exit 1
