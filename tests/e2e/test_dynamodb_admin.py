#!/usr/bin/env python3
"""dynamodb-admin (the npm GUI people pair with DynamoDB Local), unchanged, against
`localdynamo serve`, through the HTTP requests its pages make (no browser): the table list,
the "Create table" form, a table's items and an item's page.

dynamodb-admin is installed with npm, at the version below, next to the binary (in the build
directory, git-ignored), once. Without node or npm, or when npm cannot fetch the package
(no network), the test is skipped (exit 77, CTest's SKIP_RETURN_CODE) and says why.

The routes and bodies are dynamodb-admin 5.3.3's: dist/backend.js (setupRoutes) and the
pages' scripts in views/ (create-table.ejs, scan.ejs, item.ejs)."""
import argparse
import html
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, npm_install, run_tests  # noqa: E402

BINARY = None
ADMIN_MODULES = None  # the node_modules folder holding dynamodb-admin
PACKAGES = ["dynamodb-admin@5.3.3"]
SKIP = 77

SEEDED = "seeded-by-boto3"  # created with boto3 before dynamodb-admin starts
CREATED = "created-by-admin"  # created through dynamodb-admin's form (step 2)
CREATED_INDEXED = "created-by-admin-indexed"  # the same form with a GSI and an LSI added



def encode_uri_component(s):
    """JavaScript's encodeURIComponent (the pages build their links with it)."""
    return urllib.parse.quote(str(s), safe="-_.!~*'()")


class Admin:
    """dynamodb-admin's own command (its package's "bin"), on a free port of 127.0.0.1, in its
    own process group, its environment pointed at `endpoint`."""

    def __init__(self, endpoint):
        pkg_dir = os.path.join(ADMIN_MODULES, "dynamodb-admin")
        with open(os.path.join(pkg_dir, "package.json")) as f:
            bin_ = json.load(f)["bin"]
        script = os.path.join(pkg_dir, bin_["dynamodb-admin"] if isinstance(bin_, dict) else bin_)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "NODE_ENV"}
        # dist/backend.js createAwsConfig and dist/dynamodb-admin.js's options read these.
        env.update(DYNAMO_ENDPOINT=endpoint, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="key",
                   AWS_SECRET_ACCESS_KEY="secret", NODE_NO_WARNINGS="1")
        self.proc = subprocess.Popen(["node", script, "--host", "127.0.0.1", "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=env, start_new_session=True)
        self.lines = []  # everything it prints (it logs a failed request's error stack on stdout)
        self.listening = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if not self.listening.wait(30) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("dynamodb-admin did not start:\n" + self.output())
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 15
        while True:  # it answers once it is listening; wait for its first page all the same
            try:
                with urllib.request.urlopen(self.base + "/api/tables", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError) as e:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"dynamodb-admin does not answer: {e}\n{self.output()}")
                time.sleep(0.1)

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m and not self.listening.is_set():
                self.port = int(m.group(1))
                self.listening.set()

    def output(self):
        return "\n".join(self.lines)

    def logged_errors(self, since):
        """The first lines of the error stacks it logged after line `since`."""
        return [l for l in self.lines[since:] if re.match(r"^\w*(Error|Exception)\b", l)]

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.reader.join(timeout=5)


class DynamodbAdminTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY, "--in-memory")
        session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
        cls.c = session.client("dynamodb", endpoint_url=cls.server.endpoint, config=Config(retries={"max_attempts": 1}))
        cls.c.create_table(
            TableName=SEEDED, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        try:
            cls.admin = Admin(cls.server.endpoint)
        except BaseException:
            cls.server.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.admin.stop()
        cls.server.stop()

    # --- dynamodb-admin's HTTP interface -------------------------------------------------

    def request(self, method, path, body=None):
        """(status, text) of a request to dynamodb-admin, as its pages send it."""
        data = None if body is None else json.dumps(body).encode()
        headers = {} if body is None else {"Content-Type": "application/json"}
        req = urllib.request.Request(self.admin.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def get_ok(self, path):
        status, text = self.request("GET", path)
        self.assertEqual(status, 200, f"GET {path} on dynamodb-admin: {status} {text[:1000]}")
        return text

    def home_page_tables(self):
        """The table names the home page lists (views/tables.ejs: one
        <li class="list-group-item" data-table-name="NAME"> per table, from GET /) and those
        GET /api/tables answers (the same listAllTables: ListTables, then DescribeTable each)."""
        page = self.get_ok("/")
        listed = [html.unescape(n) for n in re.findall(r'<li class="list-group-item" data-table-name="([^"]*)"', page)]
        api = [t["TableName"] for t in json.loads(self.get_ok("/api/tables"))]
        self.assertEqual(sorted(listed), sorted(api))
        return listed

    def create_table_through_form(self, table_definition, secondary_indexes):
        """POST /create-table with the body views/create-table.ejs's submit handler sends:
        every field is the string value of its form input (jQuery serializeArray), so the
        capacities are strings ("3", the inputs' default); an unset range key is ""."""
        self.get_ok("/create-table")  # the form page renders
        since = len(self.admin.lines)
        body = {"TableDefinition": table_definition, "SecondaryIndexes": secondary_indexes}
        status, text = self.request("POST", "/create-table", body)
        if status != 204:  # dist/backend.js answers 204 once CreateTable succeeded
            try:
                message = json.loads(text)["message"]
            except (ValueError, KeyError, TypeError):
                message = text
            time.sleep(0.2)  # let the reader catch the error stack dynamodb-admin logs
            logged = "; ".join(self.admin.logged_errors(since)) or "(nothing)"
            self.fail(f"creating table {table_definition['TableName']!r} through dynamodb-admin's "
                      f"\"Create table\" form failed: POST /create-table answered {status}: {message!r}. "
                      f"dynamodb-admin logged the server's error as: {logged}. "
                      f"(The page sends ReadCapacityUnits/WriteCapacityUnits as the strings of its "
                      f"<input type=number> fields, and dynamodb-admin passes them unchanged to "
                      f"CreateTable, e.g. \"ProvisionedThroughput\":{{\"ReadCapacityUnits\":\"3\",...}}: "
                      f"github.com/aaronshaf/dynamodb-admin/issues/518.)")

    def item_page(self, table, item_key):
        """The item dynamodb-admin's item page shows, reached the way the table page does:
        views/scan.ejs fetches /tables/T/items (JSON: Items, each with __key, the item's key
        in key-schema order) and links each item to
        /tables/T/items/encodeURIComponent(Object.values(__key).join(',')); that page
        (views/item.ejs) shows JSON.stringify(Item, null, 2) in <div id='documentTextarea'>."""
        t = encode_uri_component(table)
        self.assertIn(table, self.get_ok(f"/tables/{t}"))  # the table (scan) page renders
        listing = json.loads(self.get_ok(f"/tables/{t}/items"))
        matches = [i for i in listing["Items"] if i["__key"] == item_key]
        self.assertEqual(len(matches), 1, f"the table page's items do not hold the key {item_key}: {listing['Items']}")
        link = encode_uri_component(",".join(str(v) for v in matches[0]["__key"].values()))
        page = self.get_ok(f"/tables/{t}/items/{link}")
        m = re.search(r"<div id='documentTextarea'[^>]*>(.*?)</div>", page, re.S)
        self.assertIsNotNone(m, f"no item editor on the item page: {page[:2000]}")
        return json.loads(html.unescape(m.group(1)))

    def check_item_page(self, table):
        """Puts an item with boto3 and opens it through dynamodb-admin."""
        self.c.put_item(TableName=table, Item={
            "pk": {"S": "Ünïcode artist / 1"}, "sk": {"N": "7"}, "title": {"S": "<b>&'\"</b>"},
            "rating": {"N": "4.5"}, "live": {"BOOL": True}, "nothing": {"NULL": True},
            "tags": {"L": [{"S": "x"}, {"N": "2"}, {"BOOL": False}]}, "info": {"M": {"label": {"S": "v"}}}})
        shown = self.item_page(table, {"pk": "Ünïcode artist / 1", "sk": 7})
        self.assertEqual(shown, {"pk": "Ünïcode artist / 1", "sk": 7, "title": "<b>&'\"</b>", "rating": 4.5,
                                 "live": True, "nothing": None, "tags": ["x", 2, False], "info": {"label": "v"}})

    def table_exists(self, name):
        try:
            self.c.describe_table(TableName=name)
            return True
        except ClientError:
            return False

    # --- the steps ---------------------------------------------------------------------

    def test_1_home_page_lists_tables(self):
        self.assertEqual(self.home_page_tables(), [SEEDED])

    def test_2_create_table_through_form(self):
        self.create_table_through_form({
            "TableName": CREATED, "HashAttributeName": "pk", "HashAttributeType": "S",
            "RangeAttributeName": "sk", "RangeAttributeType": "N",
            "ReadCapacityUnits": "3", "WriteCapacityUnits": "3"}, [])
        t = self.c.describe_table(TableName=CREATED)["Table"]
        self.assertEqual(t["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"},
                                          {"AttributeName": "sk", "KeyType": "RANGE"}])
        self.assertEqual(sorted((a["AttributeName"], a["AttributeType"]) for a in t["AttributeDefinitions"]),
                         [("pk", "S"), ("sk", "N")])
        self.assertEqual((t["ProvisionedThroughput"]["ReadCapacityUnits"],
                          t["ProvisionedThroughput"]["WriteCapacityUnits"]), (3, 3))

    def test_2b_create_table_with_indexes_through_form(self):
        # "New Secondary Index" twice: a global one (its capacities are strings too) and a
        # local one (the page leaves its capacities out); no range key on the GSI ("").
        self.create_table_through_form({
            "TableName": CREATED_INDEXED, "HashAttributeName": "pk", "HashAttributeType": "S",
            "RangeAttributeName": "sk", "RangeAttributeType": "N",
            "ReadCapacityUnits": "3", "WriteCapacityUnits": "3"}, [
            {"IndexName": "by-title", "IndexType": "global", "HashAttributeName": "title", "HashAttributeType": "S",
             "RangeAttributeName": "", "RangeAttributeType": "", "ReadCapacityUnits": "3", "WriteCapacityUnits": "3"},
            {"IndexName": "by-rating", "IndexType": "local", "HashAttributeName": "pk", "HashAttributeType": "S",
             "RangeAttributeName": "rating", "RangeAttributeType": "N"}])
        t = self.c.describe_table(TableName=CREATED_INDEXED)["Table"]
        gsi, = t["GlobalSecondaryIndexes"]
        self.assertEqual((gsi["IndexName"], gsi["KeySchema"], gsi["Projection"]),
                         ("by-title", [{"AttributeName": "title", "KeyType": "HASH"}], {"ProjectionType": "ALL"}))
        self.assertEqual((gsi["ProvisionedThroughput"]["ReadCapacityUnits"],
                          gsi["ProvisionedThroughput"]["WriteCapacityUnits"]), (3, 3))
        lsi, = t["LocalSecondaryIndexes"]
        self.assertEqual((lsi["IndexName"], lsi["KeySchema"]),
                         ("by-rating", [{"AttributeName": "pk", "KeyType": "HASH"},
                                        {"AttributeName": "rating", "KeyType": "RANGE"}]))

    def test_3a_item_page_table_created_by_boto3(self):
        self.check_item_page(SEEDED)

    def test_3b_item_page_table_created_through_form(self):
        if not self.table_exists(CREATED):
            self.skipTest(f"table {CREATED!r} does not exist: creating it through the form failed (step 2)")
        self.check_item_page(CREATED)

    def test_4_home_page_lists_created_table(self):
        if not self.table_exists(CREATED):
            self.skipTest(f"table {CREATED!r} does not exist: creating it through the form failed (step 2)")
        self.assertIn(CREATED, self.home_page_tables())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    args, _ = ap.parse_known_args()
    global ADMIN_MODULES
    ADMIN_MODULES = npm_install(os.path.join(os.path.dirname(os.path.abspath(args.binary)), "dynamodb-admin"),
                                PACKAGES, "dynamodb-admin")
    if ADMIN_MODULES is None:
        return SKIP
    run_tests(sys.modules[__name__])


if __name__ == "__main__":
    sys.exit(main())
