#!/usr/bin/env bash
# Configures and builds into build/ (Release with debug info), using ccache when present.
#   tools/build.sh                  everything: the library, the executable, the tests
#   tools/build.sh localdynamo_cli  only the given targets (tools/demo.sh: the executable)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$here/build" -j"$jobs" "${targets[@]}"
