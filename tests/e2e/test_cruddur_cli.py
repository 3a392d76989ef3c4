#!/usr/bin/env python3
"""The Cruddur demo through `localdynamo cruddur ...`: the stream updater moves the
conversation to the top, errors exit non-zero, and the same steps give byte-identical exports."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import run_tests  # noqa: E402

BINARY = None
GROUP = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"


def run(*args, check=True):
    p = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError(f"{args}: {p.returncode} {p.stderr}")
    return p


def demo(data):
    run("cruddur", "schema-load", "--data", data)
    run("cruddur", "seed", "--data", data)
    run("cruddur", "new-user", "londo", "--name", "Londo Mollari", "--clock", "1679306400000", "--data", data)
    run("cruddur", "send", "--from", "londo", "--to", "andrewbrown", "--text", "The Centauri will rise again.",
        "--clock", "1679310000000", "--data", data)
    run("cruddur", "send", "--from", "bayko", "--group", GROUP, "--text", "See you tomorrow!",
        "--clock", "1679313600000", "--data", data)


class CruddurCliTest(unittest.TestCase):
    def test_demo_and_determinism(self):
        exports = []
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(2):
                data = os.path.join(tmp, f"db{n}")
                demo(data)
                out = run("cruddur", "list-conversations", "andrewbrown", "--data", data).stdout
                lines = [l for l in out.splitlines() if l.startswith("  20")]
                self.assertIn("@bayko", lines[0])  # the updater moved the conversation to the top
                self.assertIn("2023-03-20T12:00", lines[0])
                self.assertIn("See you tomorrow!", out)
                convo = run("cruddur", "get-conversation", GROUP, "--as", "bayko", "--year", "2023", "--data", data).stdout
                self.assertTrue(convo.strip().splitlines()[-1].endswith("See you tomorrow!"))
                path = os.path.join(tmp, f"export{n}.jsonl")
                run("export", "cruddur-messages", path, "--data", data)
                with open(path, "rb") as f:
                    exports.append(f.read())
                p = run("cruddur", "send", "--from", "londo", "--group", GROUP, "--text", "let me in", "--data", data, check=False)
                self.assertEqual(p.returncode, 1)
                self.assertIn("londo is not in conversation", p.stderr)
        self.assertEqual(exports[0], exports[1])


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
