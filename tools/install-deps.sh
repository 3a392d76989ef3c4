#!/usr/bin/env bash
# Installs what localdynamo needs to build and test, from Debian's packages (as root, or with sudo).
set -euo pipefail
packages=(build-essential cmake pkg-config ccache liblmdb-dev nlohmann-json3-dev libfmt-dev
          doctest-dev libbenchmark-dev libcli11-dev libssl-dev zlib1g-dev
          librapidcheck-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
