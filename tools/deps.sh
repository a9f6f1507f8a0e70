#!/bin/sh
# tools/deps.sh "PKG ...": install the Debian packages in $1 that are not
# installed yet, with one line saying so. Uses sudo when not root.
#
# Every make rule that needs a package goes through here, so one lock
# serialises them all: two boards building at once, or a compile racing
# the DTB rule, never run two apt-gets (the second would fail on dpkg's
# lock, or compile with a compiler that is half unpacked). What is missing
# is decided after the lock is taken, so a waiter finds its packages
# installed by the one before it and does nothing.
#
# A failure ends with one line on stderr naming the packages and apt's
# own reason, and a non-zero status.
set -eu
pkgs=$1

missing() {
	m=""
	for pkg in $pkgs; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" ||
			m="$m $pkg"
	done
	echo "$m"
}

# Nothing to do: no lock, no output (the common case on every build).
[ -z "$(missing)" ] && exit 0

lock="${TMPDIR:-/tmp}/quiesce-deps.lock"
exec 9>>"$lock"
flock 9
need=$(missing)
[ -z "$need" ] && exit 0

echo "deps: installing$need (apt-get)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps: error: need root or sudo to install$need" >&2; exit 1; }
	sudo="sudo"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# apt's own lock may be held by something else on the machine: wait for it
# rather than fail.
apt_opts="-o DPkg::Lock::Timeout=300 -q"
if ! $sudo apt-get $apt_opts update >"$log" 2>&1 ||
   grep -q '^\(W\|E\): \(Failed to fetch\|Some index files failed\)' "$log"; then
	why=$(grep -m1 '^\(E\|W\): ' "$log" || tail -n 1 "$log")
	echo "deps: error: cannot reach the Debian package archive (apt-get update): $why" >&2
	exit 1
fi
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get $apt_opts install -y \
		--no-install-recommends $need >"$log" 2>&1; then
	why=$(grep -m1 '^E:' "$log" || tail -n 1 "$log")
	echo "deps: error: apt-get could not install$need: $why" >&2
	exit 1
fi
