#!/bin/sh
# tools/fetch_dtbs.sh OUTDIR: the Raspberry Pi device trees of Debian's
# own kernel packages (linux-image-<version>-armmp for the 32-bit Pi 2,
# -arm64 for the Pi 3), the trees the upstream kernel ships and a board's
# firmware is given, extracted into OUTDIR (a cache under build/; nothing
# of it is committed). One line says what is downloaded; done once.
#
# The packages are of Debian's armhf and arm64 architectures, so dpkg is
# told of those (one line saying so) for apt-get download to find them.
# An unreachable archive ends with one line naming the package and apt's
# reason, and a non-zero status. Serialised with tools/deps.sh (one lock
# around every apt call).
set -eu
out=$1
dtbs="armhf:bcm2836-rpi-2-b arm64:bcm2837-rpi-3-b arm64:bcm2837-rpi-3-b-plus"

have() {
	for d in $dtbs; do
		[ -f "$out/${d#*:}.dtb" ] || return 1
	done
}
have && exit 0

lock="${TMPDIR:-/tmp}/quiesce-deps.lock"
exec 9>>"$lock"
flock 9
have && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT
apt_opts="-o DPkg::Lock::Timeout=300 -q"

fail() {
	echo "fw: error: $1: $(grep -m1 '^\(E\|W\): ' "$log" || tail -n 1 "$log")" >&2
	exit 1
}

added=""
for arch in armhf arm64; do
	dpkg --print-foreign-architectures | grep -qx "$arch" || added="$added $arch"
done
if [ -n "$added" ]; then
	echo "fw: adding dpkg architectures$added (to download Debian's ARM kernel packages)"
	for arch in $added; do
		$sudo dpkg --add-architecture "$arch"
	done
fi
if [ -n "$added" ] || ! apt-cache show linux-image-arm64:arm64 >/dev/null 2>&1 ||
   ! apt-cache show linux-image-armmp:armhf >/dev/null 2>&1; then
	if ! $sudo apt-get $apt_opts update >"$log" 2>&1 ||
	   grep -q '^\(W\|E\): \(Failed to fetch\|Some index files failed\)' "$log"; then
		fail "cannot reach the Debian package archive (apt-get update)"
	fi
fi

mkdir -p "$out"
for flavour in armhf:armmp arm64:arm64; do
	arch=${flavour%%:*} meta=linux-image-${flavour#*:}
	# The meta package names the current kernel package.
	pkg=$(apt-cache depends "$meta:$arch" 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p" | head -n 1)
	[ -n "$pkg" ] || { echo "fw: error: the archive has no $meta:$arch" >&2; exit 1; }
	echo "fw: downloading $pkg:$arch (Debian) for its Raspberry Pi device trees"
	( cd "$work" && apt-get $apt_opts download "$pkg:$arch" ) >"$log" 2>&1 ||
		fail "cannot download $pkg:$arch"
	deb=$(ls "$work"/"$pkg"_*.deb)
	mkdir -p "$work/x"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/x" --wildcards '*/bcm283*-rpi-*.dtb'
	for d in $dtbs; do
		[ "${d%%:*}" = "$arch" ] || continue
		f=$(find "$work/x" -name "${d#*:}.dtb" | head -n 1)
		[ -n "$f" ] || { echo "fw: error: $pkg has no ${d#*:}.dtb" >&2; exit 1; }
		cp "$f" "$out/"
		echo "${d#*:}.dtb $pkg $(dpkg-deb -f "$deb" Version)" >>"$out/SOURCES"
	done
	rm -rf "$work/x" "$deb"
done
have
