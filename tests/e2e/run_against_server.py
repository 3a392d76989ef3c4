#!/usr/bin/env python3
"""run_against_server.py --binary BIN -- SCRIPT.py [args]: runs SCRIPT with --endpoint pointing
at a fresh `BIN serve --in-memory` on a free port, and returns the script's exit status."""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("rest", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    rest = args.rest[1:] if args.rest and args.rest[0] == "--" else args.rest
    with Server(args.binary, "--in-memory") as server:
        rc = subprocess.call([sys.executable, *rest, "--endpoint", server.endpoint])
        status = server.stop()
        if status != 0:
            print(f"server exited with {status} after SIGTERM", file=sys.stderr)
            return 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
