#!/usr/bin/env python3
"""boto3 clients on several threads against `localdynamo serve` (issue 21): transfers between
accounts in TransactWriteItems (the debit conditional on the balance) while other clients read
every account with a consistent Scan and with TransactGetItems and find the same total each
time; UpdateItem ADD from every thread counts exactly. Each thread's choices come from a seeded
generator (LOCALDYNAMO_TEST_SEED overrides it). DynamoDB may also cancel a transaction for a
conflicting one (TransactionConflict); localdynamo serializes its writes and never does, and the
test holds it to that."""
import os
import random
import sys
import threading
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None
SEED = int(os.environ.get("LOCALDYNAMO_TEST_SEED", "20261204"))
ACCOUNTS = 8
OPENING = 100
WRITERS = 4
TRANSFERS = 60  # per writer


def key(i):
    return {"pk": {"S": "bank"}, "id": {"S": f"acct-{i:02}"}}


class ConcurrencyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY, "--in-memory")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def client(self):
        # One client per thread: boto3 clients are shared safely, but each thread with its own
        # connection pool is what makes the server see concurrent requests.
        session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
        return session.client("dynamodb", endpoint_url=self.server.endpoint,
                              config=Config(retries={"max_attempts": 1}))

    def run_threads(self, targets):
        errors = []

        def guarded(target):
            try:
                target()
            except Exception as e:  # noqa: BLE001 - reported on the test's thread
                errors.append(f"{target.__name__}: {e!r}")

        threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(errors, [])

    def test_transfers_keep_the_total_in_every_read(self):
        c = self.client()
        c.create_table(TableName="accounts", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                             {"AttributeName": "id", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                  {"AttributeName": "id", "KeyType": "RANGE"}])
        for i in range(ACCOUNTS):
            c.put_item(TableName="accounts", Item={**key(i), "balance": {"N": str(OPENING)}})
        total = ACCOUNTS * OPENING
        done = threading.Event()
        outcomes = {"committed": 0, "cancelled": 0}
        lock = threading.Lock()

        def check(where, balances):
            assert len(balances) == ACCOUNTS and sum(balances) == total and min(balances) >= 0, (where, balances)

        def writer(n):
            def transfers():
                rng = random.Random(SEED + n)
                w = self.client()
                for _ in range(TRANSFERS):
                    src, dst = rng.sample(range(ACCOUNTS), 2)
                    amount = {":a": {"N": str(rng.randint(1, 120))}}
                    try:
                        w.transact_write_items(TransactItems=[
                            {"Update": {"TableName": "accounts", "Key": key(src),
                                        "UpdateExpression": "SET balance = balance - :a",
                                        "ConditionExpression": "balance >= :a",
                                        "ExpressionAttributeValues": amount}},
                            {"Update": {"TableName": "accounts", "Key": key(dst),
                                        "UpdateExpression": "ADD balance :a", "ExpressionAttributeValues": amount}}])
                        outcome = "committed"
                    except ClientError as e:
                        reasons = [r["Code"] for r in e.response.get("CancellationReasons", [])]
                        assert reasons == ["ConditionalCheckFailed", "None"], e.response
                        outcome = "cancelled"
                    with lock:
                        outcomes[outcome] += 1
            transfers.__name__ = f"writer {n}"
            return transfers

        def scanner():
            r = self.client()
            reads = 0
            while not done.is_set() or reads < 5:
                page = r.scan(TableName="accounts", ConsistentRead=True)
                assert "LastEvaluatedKey" not in page
                check("scan", [int(i["balance"]["N"]) for i in page["Items"]])
                reads += 1

        def transact_getter():
            r = self.client()
            reads = 0
            items = [{"Get": {"TableName": "accounts", "Key": key(i)}} for i in range(ACCOUNTS)]
            while not done.is_set() or reads < 5:
                got = r.transact_get_items(TransactItems=items)["Responses"]
                check("transact get", [int(i["Item"]["balance"]["N"]) for i in got])
                reads += 1

        writers = [writer(n) for n in range(WRITERS)]

        def writers_then_done():
            try:
                self.run_threads(writers)
            finally:
                done.set()

        self.run_threads([writers_then_done, scanner, transact_getter])
        self.assertEqual(outcomes["committed"] + outcomes["cancelled"], WRITERS * TRANSFERS)
        self.assertGreater(outcomes["committed"], 0)
        check("final scan", [int(i["balance"]["N"]) for i in c.scan(TableName="accounts", ConsistentRead=True)["Items"]])

    def test_add_from_every_thread_counts_exactly(self):
        c = self.client()
        c.create_table(TableName="counters", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        added = [0] * WRITERS

        def incrementer(n):
            def increments():
                rng = random.Random(SEED + 100 + n)
                w = self.client()
                for _ in range(50):
                    by = rng.randint(1, 5)
                    w.update_item(TableName="counters", Key={"id": {"S": "c"}}, UpdateExpression="ADD hits :n",
                                  ExpressionAttributeValues={":n": {"N": str(by)}})
                    added[n] += by
            increments.__name__ = f"incrementer {n}"
            return increments

        self.run_threads([incrementer(n) for n in range(WRITERS)])
        item = c.get_item(TableName="counters", Key={"id": {"S": "c"}}, ConsistentRead=True)["Item"]
        self.assertEqual(int(item["hits"]["N"]), sum(added))


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
