#!/bin/sh
# Install the Debian packages in $1 that are not installed yet, with one
# line saying so. Uses sudo when not root. Fails loudly if apt fails.
set -eu
missing=""
for pkg in $1; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing (apt-get)"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
log=$(mktemp)
if ! { $sudo apt-get update -qq && \
       DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "deps: error: apt-get could not install$missing" >&2
	rm -f "$log"
	exit 1
fi
rm -f "$log"
