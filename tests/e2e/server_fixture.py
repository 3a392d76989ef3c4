"""Starts `localdynamo serve --port 0` (a free port) and stops it with SIGTERM; runs an e2e
test module with the binary its --binary names."""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unittest


class Server:
    # `preexec_fn`: run in the child before the server starts (e.g. to set a resource limit).
    def __init__(self, binary, *extra, stderr=subprocess.DEVNULL, preexec_fn=None):
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=stderr, text=True, preexec_fn=preexec_fn)
        line = self.proc.stdout.readline()
        self.proc.stdout.close()  # the server prints only this line
        m = re.search(r"http://([\d.]+):(\d+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r}")
        self.port = int(m.group(2))
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def stop(self, timeout=10):
        """SIGTERM; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def npm_install(prefix, packages, what):
    """Installs npm `packages` (pinned "name@version" strings) into `prefix` once (a stamp file
    remembers which), for the tests that drive a Node.js client. Returns the node_modules
    folder, or None with the reason printed when node or npm is missing or npm cannot fetch
    them (no network): the caller then exits 77, CTest's SKIP_RETURN_CODE."""
    modules = os.path.join(prefix, "node_modules")
    stamp = os.path.join(prefix, "installed.txt")
    wanted = "\n".join(packages)
    if os.path.exists(stamp) and open(stamp).read() == wanted:
        return modules
    if not shutil.which("node") or not shutil.which("npm"):
        print("skipped: node or npm is not installed")
        return None
    os.makedirs(prefix, exist_ok=True)
    p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", prefix,
                        *packages], capture_output=True, text=True, timeout=240)
    if p.returncode != 0:
        print(f"skipped: npm could not install {what}: {(p.stderr or p.stdout).strip()[-500:]}")
        return None
    with open(stamp, "w") as f:
        f.write(wanted)
    return modules


def run_tests(module):
    """The e2e tests' main: `--binary PATH` sets module.BINARY (absolute), the rest goes to
    unittest, which runs the module's test cases."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    args, rest = ap.parse_known_args()
    module.BINARY = os.path.abspath(args.binary)
    unittest.main(module=module, argv=[sys.argv[0], *rest], verbosity=2)
