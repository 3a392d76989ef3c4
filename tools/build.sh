#!/usr/bin/env bash
# Configures and builds into build/ (Release with debug info), using ccache when present.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOCALDYNAMO_BENCH=OFF "$@" >/dev/null
cmake --build "$here/build" -j"$jobs"
