#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, property, e2e with boto3, the
# AWS CLI and the AWS SDK for JavaScript against `localdynamo serve`, and the Cruddur
# acceptance script).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/tools/install-deps.sh"
"$here/tools/build.sh"
cd "$here/build"
ctest --output-on-failure -j2 --timeout 300 -LE soak
