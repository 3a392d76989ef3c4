#!/usr/bin/env python3
"""Deterministic tests over the endpoint (issue 24): `serve --clock` and `--ids sequential`,
and the control API under /_localdynamo/ (clock, sweep, reset, wait): on by default with
--in-memory on loopback, refused when off, signed like any request under --auth. Two fresh
servers started the same way answer the same requests byte for byte, headers included but
Date."""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import unittest

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "testing"))
from localdynamo_testing import LocalDynamo  # noqa: E402
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None
START = 1679306400000  # 2023-03-20T10:00:00Z
TABLE = {
    "TableName": "messages",
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                             {"AttributeName": "sk", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "BillingMode": "PAY_PER_REQUEST",
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
}


def request(server, method, path, body=b"", headers=None):
    """(status, headers without Date, body) of one HTTP request."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, [(k, v) for k, v in r.getheaders() if k.lower() != "date"], data


def control(server, name, body=None, method="POST"):
    status, _, data = request(server, method, "/_localdynamo/" + name,
                              b"" if body is None else json.dumps(body).encode(),
                              {"Content-Type": "application/json"})
    return status, json.loads(data)


def dynamodb(server, operation, body, service="DynamoDB_20120810"):
    return request(server, "POST", "/", json.dumps(body).encode(),
                   {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"{service}.{operation}",
                    "Authorization": "AWS4-HMAC-SHA256 Credential=x/20230320/us-east-1/dynamodb/aws4_request, "
                                     "SignedHeaders=host, Signature=0"})


def client(server):
    return boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="x")


class ControlTest(unittest.TestCase):
    def test_clock(self):
        with Server(BINARY, "--in-memory", "--clock", str(START)) as server:
            self.assertEqual(control(server, "clock", method="GET"), (200, {"now": START}))
            self.assertEqual(control(server, "clock", method="GET"), (200, {"now": START}))  # it stands still
            self.assertEqual(control(server, "clock", {"advance": 1500}), (200, {"now": START + 1500}))
            self.assertEqual(control(server, "clock", {"set": START - 10}), (200, {"now": START - 10}))
            for bad in ({}, {"set": "1"}, {"set": 1, "advance": 2}, {"advance": 1.5}, [1]):
                status, body = control(server, "clock", bad)
                self.assertEqual(status, 400, bad)
                self.assertEqual(body["__type"], "com.amazon.coral.validate#ValidationException")
            # The clock is the one DynamoDB's answers use: a table created now is created at START.
            control(server, "clock", {"set": START})
            created = client(server).create_table(**TABLE)["TableDescription"]["CreationDateTime"]
            self.assertEqual(created.timestamp(), START / 1000)
            status, body = control(server, "nothing-here")
            self.assertEqual((status, body["__type"]), (404, "com.amazon.coral.service#UnknownOperationException"))

    def test_bad_flags_are_refused(self):
        for flags in (["--ids", "sequential:"], ["--ids", "sequential:x"], ["--ids", "sequentially"],
                      ["--account-id", "12345"]):
            p = subprocess.run([BINARY, "serve", "--in-memory", "--port", "0", *flags], capture_output=True,
                               text=True, timeout=10)
            self.assertEqual(p.returncode, 2, flags)
            self.assertIn("localdynamo: --", p.stderr)

    def test_system_clock_is_not_set(self):
        with Server(BINARY, "--in-memory") as server:
            status, body = control(server, "clock", {"advance": 1})
            self.assertEqual(status, 400)
            self.assertIn("--clock EPOCH_MS", body["message"])

    # These two through the test helpers users get (tools/testing/localdynamo_testing.py).
    def test_sweep_follows_the_clock(self):
        with LocalDynamo(binary=BINARY, clock=START, args=["--ttl-sweep", "0"]) as ld:
            ddb = ld.client()
            ddb.create_table(**TABLE)
            ddb.update_time_to_live(TableName="messages", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
            for i, expires in enumerate((START // 1000 + 60, START // 1000 + 3600)):
                ddb.put_item(TableName="messages", Item={"pk": {"S": "p"}, "sk": {"S": str(i)}, "expires": {"N": str(expires)}})
            self.assertEqual(ld.sweep(), 0)
            self.assertEqual(ld.advance(120_000), START + 120_000)
            self.assertEqual(ld.now(), START + 120_000)
            self.assertEqual(ld.sweep(), 1)
            ld.wait()
            keys = [i["sk"]["S"] for i in ddb.scan(TableName="messages")["Items"]]
            self.assertEqual(keys, ["1"])
            # The REMOVE record is the service's, as DynamoDB's time to live writes it.
            streams = ld.client("dynamodbstreams")
            arn = ddb.describe_table(TableName="messages")["Table"]["LatestStreamArn"]
            shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
            it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            removed = [r for r in streams.get_records(ShardIterator=it)["Records"] if r["eventName"] == "REMOVE"]
            self.assertEqual(removed[0]["userIdentity"], {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"})

    def test_reset(self):
        with LocalDynamo(binary=BINARY) as ld:
            ddb = ld.client()
            ddb.create_table(**TABLE)
            ddb.put_item(TableName="messages", Item={"pk": {"S": "p"}, "sk": {"S": "s"}})
            ddb.create_backup(TableName="messages", BackupName="before-reset")
            ld.reset()
            self.assertEqual(ddb.list_tables()["TableNames"], [])
            self.assertEqual(ddb.list_backups()["BackupSummaries"], [])
            ddb.create_table(**TABLE)  # the name is free again, and the table empty
            self.assertEqual(ddb.scan(TableName="messages")["Count"], 0)
            with self.assertRaisesRegex(RuntimeError, "400"):
                ld.advance(1)  # the system clock: not to be moved

    def test_snapshots(self):
        with LocalDynamo(binary=BINARY) as ld:
            ddb = ld.client()
            ddb.create_table(**TABLE)
            for i in range(3):
                ddb.put_item(TableName="messages", Item={"pk": {"S": "p"}, "sk": {"S": str(i)}})
            self.assertEqual(ld.control("snapshots/fixtures"), {})
            ddb.delete_item(TableName="messages", Key={"pk": {"S": "p"}, "sk": {"S": "0"}})
            ddb.create_table(**dict(TABLE, TableName="scratch"))
            self.assertEqual(ld.control("snapshots/fixtures/restore"), {})
            self.assertEqual(ddb.list_tables()["TableNames"], ["messages"])
            self.assertEqual(ddb.scan(TableName="messages")["Count"], 3)
            with self.assertRaisesRegex(RuntimeError, "400.*Snapshot not found: other"):
                ld.control("snapshots/other/restore")

    def test_off_unless_enabled(self):
        with tempfile.TemporaryDirectory() as d, Server(BINARY, "--data", d, "--durability", "nosync") as server:
            status, body = control(server, "reset")
            self.assertEqual(status, 403)
            self.assertIn("--control", body["message"])
        with Server(BINARY, "--in-memory", "--no-control") as server:
            self.assertEqual(control(server, "clock", method="GET")[0], 403)
        with tempfile.TemporaryDirectory() as d, Server(BINARY, "--data", d, "--durability", "nosync", "--control") as server:
            self.assertEqual(control(server, "reset"), (200, {}))

    def test_signed_under_auth(self):
        with Server(BINARY, "--in-memory", "--auth", "AKIDLOCAL:s3cret") as server:
            status, body = control(server, "reset")
            self.assertEqual(status, 400)
            self.assertIn("MissingAuthenticationToken", body["__type"])
            req = AWSRequest(method="POST", url=server.endpoint + "/_localdynamo/reset", data=b"",
                             headers={"Content-Type": "application/json"})
            botocore.auth.SigV4Auth(Credentials("AKIDLOCAL", "s3cret"), "dynamodb", "us-east-1").add_auth(req)
            status, _, data = request(server, "POST", "/_localdynamo/reset", b"", dict(req.headers.items()))
            self.assertEqual((status, json.loads(data)), (200, {}))

    def test_two_runs_answer_byte_for_byte(self):
        def script(server):
            answers = []
            answers.append(dynamodb(server, "CreateTable", TABLE))
            for i in range(3):
                answers.append(dynamodb(server, "PutItem", {"TableName": "messages", "Item": {
                    "pk": {"S": "p"}, "sk": {"S": str(i)}, "n": {"N": str(i)}}}))
            answers.append(dynamodb(server, "UpdateItem", {
                "TableName": "messages", "Key": {"pk": {"S": "p"}, "sk": {"S": "1"}},
                "UpdateExpression": "SET n = n + :one", "ExpressionAttributeValues": {":one": {"N": "1"}},
                "ReturnValues": "ALL_NEW"}))
            answers.append(dynamodb(server, "Query", {"TableName": "messages", "KeyConditionExpression": "pk = :p",
                                                      "ExpressionAttributeValues": {":p": {"S": "p"}}}))
            answers.append(dynamodb(server, "GetItem", {"TableName": "missing", "Key": {"pk": {"S": "p"}}}))
            answers.append(dynamodb(server, "DescribeTable", {"TableName": "messages"}))
            arn = json.loads(answers[-1][2])["Table"]["LatestStreamArn"]
            answers.append(dynamodb(server, "DescribeStream", {"StreamArn": arn}, "DynamoDBStreams_20120810"))
            shard = json.loads(answers[-1][2])["StreamDescription"]["Shards"][0]["ShardId"]
            answers.append(dynamodb(server, "GetShardIterator", {"StreamArn": arn, "ShardId": shard,
                                                                 "ShardIteratorType": "TRIM_HORIZON"},
                                    "DynamoDBStreams_20120810"))
            iterator = json.loads(answers[-1][2])["ShardIterator"]
            answers.append(dynamodb(server, "GetRecords", {"ShardIterator": iterator}, "DynamoDBStreams_20120810"))
            return answers

        flags = ("--in-memory", "--clock", str(START), "--ids", "sequential:3")
        with Server(BINARY, *flags) as server:
            first = script(server)
            # After a reset the server is as it started: the clock and the ids too.
            control(server, "clock", {"advance": 5000})
            control(server, "reset")
            after_reset = script(server)
        with Server(BINARY, *flags) as server:
            second = script(server)
        self.assertEqual(len(json.loads(first[-1][2])["Records"]), 4)
        for a, b, c in zip(first, second, after_reset):
            self.assertEqual(a, b)
            self.assertEqual(a[0], c[0])
            self.assertEqual(a[2], c[2])
            # The request id is the id source's: after reset it starts again too.
            self.assertEqual(a[1], c[1])


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
