#!/usr/bin/env python3
"""Two processes on one database directory (issue 21): while `localdynamo serve --data DIR`
has it, a second `serve --data DIR` exits at once saying which process has the directory, and
so does a CLI command given `--data DIR`; the first server keeps serving throughout, the CLI
reaches the same data through its endpoint, and the directory is free again once the server
has stopped."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None
TABLE = dict(TableName="items", BillingMode="PAY_PER_REQUEST",
             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])


def client(endpoint):
    session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
    return session.client("dynamodb", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=10)


class TwoProcessesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ld_two_e2e_")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def assertRefused(self, p, holder):
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(f"the database directory {os.path.realpath(self.dir)} is in use by process {holder}",
                      p.stderr)
        self.assertIn("--endpoint", p.stderr)  # where to go instead

    def test_second_server_and_cli_are_refused_while_the_first_serves(self):
        with Server(BINARY, "--data", self.dir) as first:
            c = client(first.endpoint)
            c.create_table(**TABLE)
            c.put_item(TableName="items", Item={"pk": {"S": "a"}, "v": {"N": "1"}})

            second = run("serve", "--port", "0", "--data", self.dir)
            self.assertRefused(second, first.proc.pid)
            self.assertNotIn("listening", second.stdout)
            for args in (["list-tables"], ["scan", "items"], ["put-item", "items", "--item", '{"pk":{"S":"b"}}'],
                         ["cruddur", "schema-load"]):
                with self.subTest(args=args):
                    self.assertRefused(run(*args, "--data", self.dir), first.proc.pid)

            # The first server never noticed: it still answers, with its data unchanged.
            self.assertIsNone(first.proc.poll())
            c.put_item(TableName="items", Item={"pk": {"S": "c"}, "v": {"N": "2"}})
            self.assertEqual(sorted(i["pk"]["S"] for i in c.scan(TableName="items", ConsistentRead=True)["Items"]),
                             ["a", "c"])
            # The way the message points to: the CLI through the endpoint.
            via = run("list-tables", "--endpoint", first.endpoint)
            self.assertEqual(via.returncode, 0, via.stderr)
            self.assertIn("items", via.stdout.split())
            self.assertEqual(first.stop(), 0)

        # Stopped: the directory is free for the next process, with everything written.
        listed = run("scan", "items", "--data", self.dir)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        with Server(BINARY, "--data", self.dir) as again:
            items = client(again.endpoint).scan(TableName="items", ConsistentRead=True)["Items"]
            self.assertEqual(sorted(i["pk"]["S"] for i in items), ["a", "c"])

    def test_a_killed_server_leaves_the_directory_free(self):
        # flock is released by the kernel with the process: no stale lock after SIGKILL.
        with Server(BINARY, "--data", self.dir) as first:
            client(first.endpoint).create_table(**TABLE)
            first.proc.kill()
            first.proc.wait(timeout=10)
        with Server(BINARY, "--data", self.dir) as again:
            self.assertEqual(client(again.endpoint).list_tables()["TableNames"], ["items"])


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
