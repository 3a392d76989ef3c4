#!/usr/bin/env python3
"""`serve --auth`: boto3 signing with the real clock is accepted (the DynamoDB and the Streams
clients); a signature dated more than 15 minutes from the server's clock, or scoped to another
service, is refused with DynamoDB's InvalidSignatureException and text, as DynamoDB refuses it.
botocore signs with the time its signer reads, so the stale and future requests move that
clock, in this process only."""
import datetime
import json
import os
import re
import sys
import unittest
import urllib.error
import urllib.request
from unittest import mock

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None
KEY, SECRET = "AKIDLOCAL", "s3cret"
STAMP = r"\d{8}T\d{6}Z"


def code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", "")
    return None, None


def signing_at(offset):
    """botocore's signer reads the clock `offset` (a timedelta) away from the real one."""
    def now(remove_tzinfo=True):
        t = datetime.datetime.now(datetime.timezone.utc) + offset
        return t.replace(tzinfo=None) if remove_tzinfo else t
    return mock.patch.object(botocore.auth, "get_current_datetime", now)


class AuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not hasattr(botocore.auth, "get_current_datetime"):
            raise unittest.SkipTest("this botocore's signer reads the clock another way")
        cls.server = Server(BINARY, "--in-memory", "--auth", f"{KEY}:{SECRET}")
        session = boto3.session.Session(aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                                        region_name="us-east-1")
        cfg = Config(retries={"max_attempts": 1})
        cls.c = session.client("dynamodb", endpoint_url=cls.server.endpoint, config=cfg)
        cls.streams = session.client("dynamodbstreams", endpoint_url=cls.server.endpoint, config=cfg)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_signed_now_is_accepted_by_both_clients(self):
        self.c.create_table(TableName="authed", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                            BillingMode="PAY_PER_REQUEST",
                            StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        self.assertIn("authed", self.c.list_tables()["TableNames"])
        # The Streams client signs with the signing name "dynamodb", as DynamoDB wants.
        self.assertEqual([s["TableName"] for s in self.streams.list_streams(TableName="authed")["Streams"]], ["authed"])

    def test_within_15_minutes_either_way_is_accepted(self):
        for minutes in (-14, 14):
            with self.subTest(minutes=minutes), signing_at(datetime.timedelta(minutes=minutes)):
                self.assertIsInstance(self.c.list_tables()["TableNames"], list)

    def test_signed_more_than_15_minutes_ago_has_expired(self):
        for offset in (datetime.timedelta(minutes=-16), datetime.timedelta(days=-1), datetime.timedelta(days=-365)):
            with self.subTest(offset=offset), signing_at(offset):
                c, m = code(lambda: self.c.list_tables())
                self.assertEqual(c, "InvalidSignatureException")
                self.assertRegex(m, rf"^Signature expired: {STAMP} is now earlier than {STAMP} \({STAMP} - 15 min\.\)$")
        with signing_at(datetime.timedelta(minutes=-16)):
            c, _ = code(lambda: self.streams.list_streams())
            self.assertEqual(c, "InvalidSignatureException")

    def test_signed_more_than_15_minutes_ahead_is_not_yet_current(self):
        for offset in (datetime.timedelta(minutes=16), datetime.timedelta(days=1)):
            with self.subTest(offset=offset), signing_at(offset):
                c, m = code(lambda: self.c.list_tables())
                self.assertEqual(c, "InvalidSignatureException")
                self.assertRegex(m, rf"^Signature not yet current: {STAMP} is still later than {STAMP} "
                                    rf"\({STAMP} \+ 15 min\.\)$")

    def test_the_expiry_quotes_the_request_and_the_server_times(self):
        with signing_at(datetime.timedelta(hours=-2)):
            _, m = code(lambda: self.c.list_tables())
        signed, bound, now = re.findall(STAMP, m)
        fmt = "%Y%m%dT%H%M%SZ"
        as_time = lambda s: datetime.datetime.strptime(s, fmt)  # noqa: E731
        self.assertEqual(as_time(now) - as_time(bound), datetime.timedelta(minutes=15))
        self.assertAlmostEqual((as_time(now) - as_time(signed)).total_seconds(), 7200, delta=60)

    def post_signed(self, service):
        """ListTables signed by botocore's SigV4 signer for `service`: (HTTP status, JSON body)."""
        body = b"{}"
        req = AWSRequest(method="POST", url=self.server.endpoint + "/", data=body,
                         headers={"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                  "Content-Type": "application/x-amz-json-1.0"})
        botocore.auth.SigV4Auth(Credentials(KEY, SECRET), service, "us-east-1").add_auth(req)
        http = urllib.request.Request(self.server.endpoint + "/", data=body, method="POST",
                                      headers=dict(req.headers.items()))
        try:
            with urllib.request.urlopen(http, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def test_scope_for_another_service_is_refused(self):
        self.assertEqual(self.post_signed("dynamodb")[0], 200)
        status, body = self.post_signed("s3")
        self.assertEqual(status, 400)
        self.assertTrue(body["__type"].endswith("#InvalidSignatureException"), body)
        self.assertEqual(body["message"], "Credential should be scoped to correct service: 'dynamodb'. ")


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
