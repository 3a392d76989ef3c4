#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, property, e2e with boto3, the
# AWS CLI and the AWS SDK for JavaScript against `localdynamo serve`, and the Cruddur
# acceptance script), then the `concurrency` tests again under ThreadSanitizer. Left out:
# labels `soak` (long) and `fuzz` (needs clang-14; `ctest -L fuzz`).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/tools/install-deps.sh"
"$here/tools/build.sh"
cd "$here/build"
ctest --output-on-failure -j2 --timeout 300 -LE "soak|fuzz"
# ThreadSanitizer: only test_engine is built (the e2e tests of the label need the CLI).
cmake -S "$here" -B "$here/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOCALDYNAMO_BENCH=OFF \
  -DLOCALDYNAMO_SANITIZE=thread >/dev/null
cmake --build "$here/build-tsan" -j"$(nproc 2>/dev/null || echo 2)" --target test_engine
cd "$here/build-tsan"
ctest --output-on-failure --timeout 300 -L concurrency -R '^engine_'
