#!/usr/bin/env python3
"""`localdynamo serve --data DIR` when the disk is full (simulated with a file size limit,
RLIMIT_FSIZE, which makes a write past it fail with EFBIG as ENOSPC would once the server
ignores SIGXFSZ): boto3's PutItem gets InternalServerError (HTTP 500, DynamoDB's JSON error
shape) saying so, the server keeps running and answering reads, and once restarted without the
limit every acknowledged write is there and writes go through."""
import http.client
import json
import os
import resource
import sys
import tempfile
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None
MIB = 1024 * 1024


def LimitedServer(binary, fsize, *extra):
    """Server, started with its file size limit at `fsize` bytes (SIGXFSZ left at its default:
    subprocess restores it, so only the server's own handling keeps it alive)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    return Server(binary, *extra, preexec_fn=limit)


def client(server):
    # botocore retries a 500 (with back-off): one attempt, to see the error at once.
    return boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="x",
                        config=Config(retries={"max_attempts": 1, "mode": "standard"}))


def count(db):
    """The table's items, page by page (a page reads at most 1 MB)."""
    n, start = 0, {}
    while True:
        page = db.scan(TableName="things", Select="COUNT", **start)
        n += page["Count"]
        if "LastEvaluatedKey" not in page:
            return n
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def item(i):
    return {"pk": {"S": f"k{i:05}"}, "v": {"S": chr(ord("a") + i % 26) * 8000}}


def fill(test, db, stored, first):
    """Puts items from `first` on until one is refused; returns the refusal."""
    for i in range(first, first + 1000):
        try:
            db.put_item(TableName="things", Item=item(i))
        except ClientError as e:
            return e
        stored.append(i)
    test.fail("the file size limit was never reached")


class DiskFullTest(unittest.TestCase):
    def check_refusal(self, server, error, next_item):
        self.assertEqual(error.response["Error"]["Code"], "InternalServerError")
        self.assertEqual(error.response["ResponseMetadata"]["HTTPStatusCode"], 500)
        message = error.response["Error"]["Message"]
        self.assertIn("The database file can't grow", message)
        self.assertIn("file size limit", message)
        self.assertIsNone(server.proc.poll(), "the server died")
        # The answer's own shape, as DynamoDB sends an InternalServerError.
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("POST", "/", body=json.dumps({"TableName": "things", "Item": item(next_item)}),
                     headers={"X-Amz-Target": "DynamoDB_20120810.PutItem",
                              "Content-Type": "application/x-amz-json-1.0"})
        r = conn.getresponse()
        body = json.loads(r.read())
        conn.close()
        self.assertEqual(r.status, 500, body)
        self.assertEqual(set(body), {"__type", "message"})
        self.assertEqual(body["__type"], "com.amazonaws.dynamodb.v20120810#InternalServerError")
        self.assertIn("can't grow", body["message"])

    def check_reads(self, db, stored, missing):
        for i in stored:
            self.assertEqual(db.get_item(TableName="things", Key={"pk": item(i)["pk"]})["Item"], item(i))
        self.assertNotIn("Item", db.get_item(TableName="things", Key={"pk": item(missing)["pk"]}))
        self.assertEqual(count(db), len(stored))

    def test_disk_full_is_a_500_reads_go_on_and_nothing_acknowledged_is_lost(self):
        with tempfile.TemporaryDirectory() as parent:
            data = os.path.join(parent, "db")
            stored = []
            # Filled up to the limit: the write that meets it is cut short.
            with LimitedServer(BINARY, 2 * MIB, "--data", data, "--durability", "nosync") as server:
                db = client(server)
                db.create_table(TableName="things", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                BillingMode="PAY_PER_REQUEST")
                error = fill(self, db, stored, 0)
                self.assertGreater(len(stored), 50)
                self.check_refusal(server, error, len(stored))
                self.check_reads(db, stored, len(stored))
                self.assertEqual(server.stop(), 0)

            # A limit below the file's size: a write past it is refused outright, with SIGXFSZ,
            # which would end a server that didn't ignore it.
            before = len(stored)
            with LimitedServer(BINARY, 1 * MIB, "--data", data, "--durability", "nosync") as server:
                db = client(server)
                error = fill(self, db, stored, 2000)
                self.check_refusal(server, error, 2000 + len(stored) - before)
                self.check_reads(db, stored, 2000 + len(stored) - before)
                self.assertEqual(server.stop(), 0)

            # Without the limit: everything acknowledged is there, and writes go through.
            with Server(BINARY, "--data", data, "--durability", "nosync") as server:
                db = client(server)
                self.check_reads(db, stored, 5000)
                for i in range(5000, 5020):
                    db.put_item(TableName="things", Item=item(i))
                self.assertEqual(count(db), len(stored) + 20)


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
