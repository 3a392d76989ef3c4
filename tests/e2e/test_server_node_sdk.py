#!/usr/bin/env python3
"""Another SDK than boto3, unchanged, against `localdynamo serve`: the AWS SDK for JavaScript
v3 runs node_sdk_check.cjs (the Cruddur patterns, typed errors, the Streams client), and
node_testing_check.cjs the Node.js test helper of tools/testing as a test suite uses it.

The SDK is installed with npm, at the versions below, next to the binary (in the build
directory, git-ignored), once. Without node or npm, or when npm cannot fetch the packages
(no network), the test is skipped (exit 77, CTest's SKIP_RETURN_CODE) and says why."""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, npm_install  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGES = ["@aws-sdk/client-dynamodb@3.1169.0", "@aws-sdk/lib-dynamodb@3.1169.0",
            "@aws-sdk/client-dynamodb-streams@3.1141.0"]
SKIP = 77



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    args = ap.parse_args()
    modules = npm_install(os.path.join(os.path.dirname(os.path.abspath(args.binary)), "node-sdk"),
                          PACKAGES, "the SDK")
    if modules is None:
        return SKIP
    env = dict(os.environ, NODE_PATH=modules, NODE_NO_WARNINGS="1")
    with Server(args.binary, "--in-memory") as server:
        p = subprocess.run(["node", os.path.join(HERE, "node_sdk_check.cjs"), server.endpoint],
                           capture_output=True, text=True, env=env, timeout=120)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    if p.returncode:
        return p.returncode
    # The Node.js test helper users get (tools/testing), which starts its own server.
    p = subprocess.run(["node", os.path.join(HERE, "node_testing_check.cjs"), os.path.abspath(args.binary)],
                       capture_output=True, text=True, env=env, timeout=120)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
