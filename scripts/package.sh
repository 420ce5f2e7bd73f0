#!/usr/bin/env bash
# Builds the .deb with CPack, installs it with dpkg on this machine, and checks that the
# installed shopctl runs and that `man shopctl` shows its page. Needs root (dpkg -i).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
for p in man-db dpkg-dev file; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || MISSING="${MISSING:-} $p"
done
if [ -n "${MISSING:-}" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $MISSING >/dev/null; fi
BUILD_DIR=build-package BUILD_TYPE=Release scripts/build.sh -DSHOPCTL_TESTS=OFF -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
(cd build-package && cpack -G DEB >/dev/null)
deb=$(ls build-package/shopctl_*.deb | head -n 1)
echo "package: $deb"
dpkg-deb --info "$deb" | grep -E "Package|Version|Depends"
dpkg -i "$deb" >/dev/null
# Debian's minimal images exclude man pages from dpkg; the check says so instead of failing silently.
/usr/bin/shopctl --version
test -f /usr/share/bash-completion/completions/shopctl && echo "bash completion: installed"
if man -w shopctl >/dev/null 2>&1; then
  MANWIDTH=80 man shopctl 2>/dev/null | head -n 8
else
  echo "man shopctl: page not found (is /usr/share/man excluded by /etc/dpkg/dpkg.cfg.d?)" >&2
  exit 1
fi
t=$(mktemp -d)
/usr/bin/shopctl --db "$t/s.db" init >/dev/null
/usr/bin/shopctl --db "$t/s.db" load fixtures/demo.json >/dev/null
/usr/bin/shopctl --db "$t/s.db" checkout fixtures/demo-cart.json --json | jq -e '.status == "PAID"' >/dev/null
rm -rf "$t"
echo "installed shopctl works"
