"""Test helpers for code that talks to DynamoDB: a `localdynamo serve` of its own (in memory,
on a free port of 127.0.0.1), boto3 clients pointed at it, and its control API (clock, reset,
sweep, wait). No dependency beyond the standard library and boto3.

    from localdynamo_testing import LocalDynamo

    with LocalDynamo(clock=1679306400000, ids="sequential") as ld:
        ddb = ld.client()                   # boto3 "dynamodb" client (ld.client("dynamodbstreams"))
        ddb.create_table(...)
        ld.advance(3600 * 1000)             # an hour later, for time to live, as the server sees it
        ld.sweep()                          # expired items deleted now
        ld.reset()                          # every table gone: the next test starts from nothing

The binary: `binary=`, else $LOCALDYNAMO_BINARY, else `localdynamo` on PATH. pytest users get
the `localdynamo` fixture from pytest_localdynamo.py (its server started once per session and
reset before each test)."""
import json
import os
import re
import shutil
import signal
import subprocess
import urllib.error
import urllib.request

__all__ = ["LocalDynamo", "find_binary"]


def find_binary(binary=None):
    """The localdynamo executable to run: `binary`, $LOCALDYNAMO_BINARY, or `localdynamo` on PATH."""
    path = binary or os.environ.get("LOCALDYNAMO_BINARY") or shutil.which("localdynamo")
    if not path or not os.path.exists(path):
        raise FileNotFoundError("localdynamo not found: pass binary=, set LOCALDYNAMO_BINARY, or put it on PATH")
    return os.path.abspath(path)


class LocalDynamo:
    """A `localdynamo serve --in-memory --port 0` of its own, stopped by stop() or on leaving a
    `with` block. clock: start the server's clock at this epoch millisecond (it then moves only
    through advance/set_clock); ids: "sequential" or "sequential:SEED" for the same ids every
    run; args: more `serve` options."""

    def __init__(self, binary=None, clock=None, ids=None, args=(), region="us-east-1"):
        command = [find_binary(binary), "serve", "--in-memory", "--port", "0", "--control"]
        if clock is not None:
            command += ["--clock", str(int(clock))]
        if ids is not None:
            command += ["--ids", ids]
        command += list(args)
        self.region = region
        # Its stderr is the test's (a pipe nobody reads could fill and stop the server).
        self._proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        line = self._proc.stdout.readline()
        self._proc.stdout.close()  # the server prints only this line
        m = re.search(r"http://([\d.]+):(\d+)", line)
        if not m:
            self._proc.kill()
            self._proc.wait()
            raise RuntimeError(f"localdynamo serve did not start (see its stderr above): {line!r}")
        self.port = int(m.group(2))
        self.endpoint = f"http://127.0.0.1:{self.port}"

    # ---- clients ---------------------------------------------------------------------------
    def client(self, service="dynamodb", **kwargs):
        """A boto3 client ("dynamodb" or "dynamodbstreams") for this server."""
        import boto3
        return boto3.client(service, endpoint_url=self.endpoint, region_name=self.region,
                            aws_access_key_id="local", aws_secret_access_key="local", **kwargs)

    def resource(self, **kwargs):
        """A boto3 DynamoDB service resource for this server."""
        import boto3
        return boto3.resource("dynamodb", endpoint_url=self.endpoint, region_name=self.region,
                              aws_access_key_id="local", aws_secret_access_key="local", **kwargs)

    # ---- the control API -------------------------------------------------------------------
    def control(self, name, body=None, method="POST"):
        """One call of the control API (/_localdynamo/NAME); its JSON answer. Raises RuntimeError
        with the server's error when it refuses."""
        data = None if method == "GET" else json.dumps(body or {}).encode()
        req = urllib.request.Request(f"{self.endpoint}/_localdynamo/{name}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"control {name}: {e.code} {e.read().decode(errors='replace')}") from None

    def now(self):
        """The server's clock, epoch milliseconds."""
        return self.control("clock", method="GET")["now"]

    def set_clock(self, epoch_millis):
        return self.control("clock", {"set": int(epoch_millis)})["now"]

    def advance(self, millis):
        return self.control("clock", {"advance": int(millis)})["now"]

    def sweep(self):
        """Time to live's deletions, now; how many items went."""
        return self.control("sweep")["deleted"]

    def reset(self):
        """Every table, backup and stream gone: the store as new; with clock= and ids=
        "sequential", the clock and the ids start again too (the server as it started)."""
        self.control("reset")

    def wait(self):
        """Returns once every change answered so far is readable by stream readers."""
        self.control("wait")

    # ---- lifetime --------------------------------------------------------------------------
    def stop(self, timeout=10):
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
