#!/usr/bin/env python3
"""boto3 against `localdynamo serve --data DIR`: a TransactWriteItems (and ExecuteTransaction)
ClientRequestToken outlives the server being killed (SIGKILL) or stopped and started again on
the same directory. An SDK that retries after a server crash sends exactly this: the same
request with the same token, which must not apply the transaction a second time
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html)."""
import os
import shutil
import signal
import sys
import tempfile
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None
KEY = {"id": {"S": "a"}}


def increment(by="1", token="retry-token-1", **extra):
    return dict(TransactItems=[{"Update": {"TableName": "counters", "Key": KEY, "UpdateExpression": "ADD c :by",
                                           "ExpressionAttributeValues": {":by": {"N": by}}}}],
                ClientRequestToken=token, **extra)


class TokenRestartTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ld_token_e2e_")
        self.server = None
        self.start()
        self.c.create_table(TableName="counters", BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        self.c.put_item(TableName="counters", Item={**KEY, "c": {"N": "0"}})

    def tearDown(self):
        if self.server:
            self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self):
        self.server = Server(BINARY, "--data", self.dir)
        session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
        self.c = session.client("dynamodb", endpoint_url=self.server.endpoint,
                                config=Config(retries={"max_attempts": 1}))

    def kill(self):
        self.server.proc.send_signal(signal.SIGKILL)
        self.server.proc.wait(timeout=10)
        self.server = None

    def counter(self):
        return self.c.get_item(TableName="counters", Key=KEY, ConsistentRead=True)["Item"]["c"]["N"]

    def test_sigkill_then_same_token_is_not_applied_again(self):
        self.c.transact_write_items(**increment())
        self.assertEqual(self.counter(), "1")
        self.kill()
        self.start()
        r = self.c.transact_write_items(**increment(ReturnConsumedCapacity="TOTAL"))
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        # A retry reports the read of the item (a transactional read: 2 units), not a write.
        self.assertEqual(r["ConsumedCapacity"], [{"TableName": "counters", "CapacityUnits": 2.0}])
        self.assertEqual(self.counter(), "1")
        with self.assertRaises(ClientError) as e:
            self.c.transact_write_items(**increment(by="2"))
        self.assertEqual(e.exception.response["Error"]["Code"], "IdempotentParameterMismatchException")
        self.assertEqual(e.exception.response["Error"]["Message"],
                         "Request body does not match the previous request with the same ClientRequestToken.")
        self.assertEqual(self.counter(), "1")
        # Another token is another transaction.
        self.c.transact_write_items(**increment(token="retry-token-2"))
        self.assertEqual(self.counter(), "2")

    def test_clean_stop_then_same_token_is_not_applied_again(self):
        self.c.transact_write_items(**increment())
        self.assertEqual(self.server.stop(), 0)
        self.start()
        self.c.transact_write_items(**increment())
        self.assertEqual(self.counter(), "1")

    def test_execute_transaction_token_after_sigkill(self):
        statements = [{"Statement": "UPDATE counters SET c = c + ? WHERE id = 'a'", "Parameters": [{"N": "5"}]}]
        self.c.execute_transaction(TransactStatements=statements, ClientRequestToken="statement-token")
        self.kill()
        self.start()
        self.c.execute_transaction(TransactStatements=statements, ClientRequestToken="statement-token")
        self.assertEqual(self.counter(), "5")


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
