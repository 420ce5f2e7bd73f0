#!/usr/bin/env bash
# Installs what shopctl needs to build and test, from Debian 12's packages, when missing;
# more package names as arguments (the benchmarks' tools, say).
set -euo pipefail
packages=(build-essential cmake pkg-config libcli11-dev libsqlitecpp-dev libsqlite3-dev nlohmann-json3-dev
          libcurl4-openssl-dev catch2 libcpp-httplib-dev jq libpq-dev postgresql zsh "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
