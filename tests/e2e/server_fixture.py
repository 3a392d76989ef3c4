"""Starts `localdynamo serve --port 0` (a free port) and stops it with SIGTERM."""
import re
import signal
import subprocess
import time


class Server:
    def __init__(self, binary, *extra, stderr=subprocess.DEVNULL):
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=stderr, text=True)
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
