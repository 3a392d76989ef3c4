#!/usr/bin/env python3
"""The AWS CLI against `localdynamo serve`, and localdynamo's own CLI on a database directory
and on an endpoint."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None
AWS_ENV = dict(os.environ, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION="us-east-1",
               AWS_PAGER="", AWS_MAX_ATTEMPTS="1")

SCHEMA = {
    "TableName": "cruddur-messages",
    "AttributeDefinitions": [{"AttributeName": "message_group_uuid", "AttributeType": "S"},
                             {"AttributeName": "pk", "AttributeType": "S"},
                             {"AttributeName": "sk", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "GlobalSecondaryIndexes": [{"IndexName": "message-group-sk-index",
                                "KeySchema": [{"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                                              {"AttributeName": "sk", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"},
                                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}],
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    "BillingMode": "PROVISIONED",
    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
}


def run(*args, env=None, check=True):
    p = subprocess.run(list(args), capture_output=True, text=True, env=env, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError(f"{args} failed ({p.returncode}): {p.stderr}")
    return p


class AwsCliTest(unittest.TestCase):
    def test_aws_cli(self):
        with Server(BINARY, "--in-memory") as server:
            aws = ["aws", "dynamodb", "--endpoint-url", server.endpoint, "--output", "json"]
            run(*aws, "create-table", "--cli-input-json", json.dumps(SCHEMA), env=AWS_ENV)
            run(*aws, "wait", "table-exists", "--table-name", "cruddur-messages", env=AWS_ENV)
            self.assertEqual(json.loads(run(*aws, "list-tables", env=AWS_ENV).stdout)["TableNames"], ["cruddur-messages"])
            run(*aws, "put-item", "--table-name", "cruddur-messages", "--item",
                json.dumps({"pk": {"S": "MSG#g"}, "sk": {"S": "2023"}, "message": {"S": "hi"}}), env=AWS_ENV)
            out = json.loads(run(*aws, "query", "--table-name", "cruddur-messages", "--key-condition-expression",
                                 "pk = :pk", "--expression-attribute-values", json.dumps({":pk": {"S": "MSG#g"}}),
                                 env=AWS_ENV).stdout)
            self.assertEqual(out["Items"][0]["message"], {"S": "hi"})
            # The CLI paginates scans itself through LastEvaluatedKey.
            self.assertEqual(json.loads(run(*aws, "scan", "--table-name", "cruddur-messages", "--page-size", "1",
                                            env=AWS_ENV).stdout)["Count"], 1)
            run(*aws, "update-time-to-live", "--table-name", "cruddur-messages", "--time-to-live-specification",
                "Enabled=true,AttributeName=expires", env=AWS_ENV)
            self.assertEqual(json.loads(run(*aws, "describe-time-to-live", "--table-name", "cruddur-messages",
                                            env=AWS_ENV).stdout)["TimeToLiveDescription"],
                             {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"})
            arn = json.loads(run(*aws, "describe-table", "--table-name", "cruddur-messages", env=AWS_ENV).stdout)["Table"]["TableArn"]
            run(*aws, "tag-resource", "--resource-arn", arn, "--tags", "Key=env,Value=dev", env=AWS_ENV)
            self.assertEqual(json.loads(run(*aws, "list-tags-of-resource", "--resource-arn", arn, env=AWS_ENV).stdout)["Tags"],
                             [{"Key": "env", "Value": "dev"}])
            run(*aws, "update-continuous-backups", "--table-name", "cruddur-messages",
                "--point-in-time-recovery-specification", "PointInTimeRecoveryEnabled=true", env=AWS_ENV)
            self.assertEqual(json.loads(run(*aws, "describe-continuous-backups", "--table-name", "cruddur-messages",
                                            env=AWS_ENV).stdout)["ContinuousBackupsDescription"]
                             ["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "ENABLED")
            self.assertEqual(json.loads(run(*aws, "describe-limits", env=AWS_ENV).stdout)["TableMaxReadCapacityUnits"], 40000)
            backup = json.loads(run(*aws, "create-backup", "--table-name", "cruddur-messages", "--backup-name", "nightly",
                                    env=AWS_ENV).stdout)["BackupDetails"]["BackupArn"]
            self.assertEqual([b["BackupArn"] for b in json.loads(run(*aws, "list-backups", env=AWS_ENV).stdout)["BackupSummaries"]],
                             [backup])
            run(*aws, "restore-table-from-backup", "--target-table-name", "restored", "--backup-arn", backup, env=AWS_ENV)
            self.assertEqual(json.loads(run(*aws, "scan", "--table-name", "restored", env=AWS_ENV).stdout)["Count"], 1)
            run(*aws, "delete-backup", "--backup-arn", backup, env=AWS_ENV)
            run(*aws, "delete-table", "--table-name", "restored", env=AWS_ENV)
            out = json.loads(run(*aws, "execute-statement", "--statement",
                                 "SELECT message FROM \"cruddur-messages\" WHERE pk = ? AND sk = '2023'",
                                 "--parameters", json.dumps([{"S": "MSG#g"}]), env=AWS_ENV).stdout)
            self.assertEqual(out["Items"], [{"message": {"S": "hi"}}])
            p = run(*aws, "describe-table", "--table-name", "nope", env=AWS_ENV, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("ResourceNotFoundException", p.stderr)
            run(*aws, "delete-table", "--table-name", "cruddur-messages", env=AWS_ENV)


class OwnCliTest(unittest.TestCase):
    def exercise(self, target):
        with tempfile.TemporaryDirectory() as tmp:
            schema = os.path.join(tmp, "schema.json")
            with open(schema, "w") as f:
                json.dump(SCHEMA, f)
            ld = [BINARY]
            run(*ld, "create-table", *target, "--schema", schema)
            self.assertEqual(run(*ld, "list-tables", *target).stdout.split(), ["cruddur-messages"])
            for i in range(3):
                run(*ld, "put-item", "cruddur-messages", *target, "--item",
                    json.dumps({"pk": {"S": "MSG#g"}, "sk": {"S": f"2023-0{i}"}, "message": {"S": f"m{i}"}}))
            got = json.loads(run(*ld, "get-item", "cruddur-messages", *target, "--key",
                                 json.dumps({"pk": {"S": "MSG#g"}, "sk": {"S": "2023-01"}})).stdout)
            self.assertEqual(got["message"], {"S": "m1"})
            lines = run(*ld, "query", "cruddur-messages", *target, "--key-condition", "pk = :p AND begins_with(sk, :y)",
                        "--values", json.dumps({":p": {"S": "MSG#g"}, ":y": {"S": "2023"}}), "--descending",
                        "--limit", "2").stdout.splitlines()
            self.assertEqual([json.loads(x)["sk"]["S"] for x in lines], ["2023-02", "2023-01"])
            table = run(*ld, "scan", "cruddur-messages", *target, "--output", "table").stdout
            self.assertIn("(3 items)", table)
            export = os.path.join(tmp, "export.jsonl")
            run(*ld, "export", "cruddur-messages", *target, export)
            with open(export) as f:
                rows = [json.loads(x) for x in f]
            self.assertEqual(len(rows), 3)
            self.assertIn("Item", rows[0])
            records = run(*ld, "stream", "tail", "cruddur-messages", *target, "--from-start", "--no-follow").stdout.splitlines()
            self.assertEqual([json.loads(r)["eventName"] for r in records], ["INSERT"] * 3)
            run(*ld, "delete-table", "cruddur-messages", *target)
            run(*ld, "create-table", *target, "--schema", schema)
            run(*ld, "import", "cruddur-messages", *target, export)
            self.assertIn("(3 items)", run(*ld, "scan", "cruddur-messages", *target, "--output", "table").stdout)
            lines = run(*ld, "execute-statement", 'SELECT sk FROM "cruddur-messages" WHERE pk = ? ORDER BY sk DESC', *target,
                        "--parameters", json.dumps([{"S": "MSG#g"}])).stdout.splitlines()
            self.assertEqual([json.loads(x) for x in lines], [{"sk": {"S": f"2023-0{i}"}} for i in (2, 1, 0)])
            p = run(*ld, "execute-statement", "SELEC 1", *target, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("Statement wasn't well formed", p.stderr)
            arn = run(*ld, "create-backup", "cruddur-messages", "before-delete", *target).stdout.strip()
            self.assertEqual(run(*ld, "list-backups", *target, "--table", "cruddur-messages").stdout.split("\t")[:3],
                             [arn, "before-delete", "cruddur-messages"])
            run(*ld, "delete-table", "cruddur-messages", *target)
            run(*ld, "restore-table-from-backup", "cruddur-messages", "--backup-arn", arn, *target)
            self.assertIn("(3 items)", run(*ld, "scan", "cruddur-messages", *target, "--output", "table").stdout)
            run(*ld, "delete-backup", arn, *target)
            self.assertEqual(run(*ld, "list-backups", *target).stdout, "")
            p = run(*ld, "describe-table", "missing-table", *target, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("ResourceNotFoundException", p.stderr)
            self.newcomer(ld, target, tmp)

    def newcomer(self, ld, target, tmp):
        """What a new user met (issue 28): get-item of a missing key, --output table on
        describe-table and stream tail, update-table, and the --cli-input-json form."""
        request = os.path.join(tmp, "table.json")
        with open(request, "w") as f:
            json.dump({"TableName": "plain", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                       "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}, f)
        run(*ld, "create-table", *target, "--cli-input-json", "file://" + request)
        key = json.dumps({"pk": {"S": "nobody"}})
        # As the AWS CLI: nothing printed, exit 0; --fail-if-missing for scripts that want 1.
        p = run(*ld, "get-item", "plain", *target, "--key", key)
        self.assertEqual((p.stdout, p.stderr), ("", ""))
        p = run(*ld, "get-item", "plain", *target, "--key", key, "--fail-if-missing", check=False)
        self.assertEqual((p.returncode, p.stderr), (1, "localdynamo: no such item\n"))
        rows = dict(line.split(None, 1) for line in
                    run(*ld, "describe-table", "plain", *target, "--output", "table").stdout.splitlines())
        self.assertEqual(rows["Table.TableName"], "plain")
        self.assertEqual(rows["Table.KeySchema[0].AttributeName"], "pk")
        self.assertEqual(rows["Table.BillingModeSummary.BillingMode"], "PAY_PER_REQUEST")
        # No stream yet: the error says how to add one, and update-table does.
        p = run(*ld, "stream", "tail", "plain", *target, "--no-follow", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("localdynamo update-table plain --stream NEW_AND_OLD_IMAGES", p.stderr)
        run(*ld, "update-table", "plain", *target, "--stream", "NEW_AND_OLD_IMAGES")
        run(*ld, "put-item", "plain", *target, "--item", '{"pk":{"S":"a"},"n":{"N":"1"}}')
        lines = run(*ld, "stream", "tail", "plain", *target, "--from-start", "--no-follow",
                    "--output", "table").stdout.splitlines()
        self.assertEqual(len(lines), 1)
        self.assertRegex(lines[0], r"^\d+  INSERT  pk=a  -> n=1 pk=a$")
        # Indexes, billing and time to live, each its own UpdateTable (as DynamoDB wants).
        run(*ld, "update-table", "plain", *target, "--attribute-definitions", '[{"AttributeName":"n","AttributeType":"N"}]',
            "--add-gsi", json.dumps({"IndexName": "by-n", "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "KEYS_ONLY"}}))
        self.assertEqual(json.loads(run(*ld, "query", "plain", *target, "--index", "by-n", "--key-condition", "n = :n",
                                        "--values", '{":n":{"N":"1"}}').stdout), {"pk": {"S": "a"}, "n": {"N": "1"}})
        run(*ld, "update-table", "plain", *target, "--delete-gsi", "by-n")
        run(*ld, "update-table", "plain", *target, "--billing-mode", "PROVISIONED", "--read", "3", "--write", "4")
        described = json.loads(run(*ld, "describe-table", "plain", *target).stdout)["Table"]
        self.assertEqual(described["ProvisionedThroughput"]["WriteCapacityUnits"], 4)
        self.assertNotIn("GlobalSecondaryIndexes", described)
        run(*ld, "update-table", "plain", *target, "--ttl", "expires")
        run(*ld, "update-table", "plain", *target, "--stream", "off")
        with open(os.path.join(tmp, "update.json"), "w") as f:  # the --cli-input-json form
            json.dump({"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}}, f)
        run(*ld, "update-table", "plain", *target, "--request", "file://" + os.path.join(tmp, "update.json"))
        self.assertEqual(json.loads(run(*ld, "describe-table", "plain", *target).stdout)["Table"]["StreamSpecification"],
                         {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        p = run(*ld, "create-table", *target, "--schema", os.path.join(tmp, "missing.json"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--schema: cannot read", p.stderr)
        p = run(*ld, "update-table", "plain", *target, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("nothing to change", p.stderr)

    def test_on_a_directory(self):
        with tempfile.TemporaryDirectory() as d:
            self.exercise(["--data", d])

    def test_on_an_endpoint(self):
        with Server(BINARY, "--in-memory") as server:
            self.exercise(["--endpoint", server.endpoint])

    def test_deep_json_is_refused_not_a_crash(self):
        # Issue 21: every recursive reader bounds its depth, the CLI's JSON arguments included.
        deep = '{"M":{"a":' * 10000 + '{"S":"z"}' + '}}' * 10000  # an argument's limit is 128 KB
        with tempfile.TemporaryDirectory() as d:
            schema = os.path.join(d, "schema.json")
            with open(schema, "w") as f:
                json.dump({"TableName": "tbl", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                           "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}, f)
            run(BINARY, "create-table", "--data", d, "--schema", schema)
            for item in ('{"pk":{"S":"a"},"x":' + deep + '}', '{"pk":{"S":"a"},"x":' + deep[:40 * 40] + '}'):
                p = run(BINARY, "put-item", "--data", d, "tbl", "--item", item, check=False)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertTrue("nested deeper" in p.stderr or "Nesting Levels" in p.stderr, p.stderr)
            self.assertEqual(run(BINARY, "scan", "--data", d, "tbl").stdout, "")

    def test_check(self):
        # `localdynamo check DIR`: 0 and a summary when consistent, 1 and a line per problem, 2 when
        # it can't check (no database; another process, a server, has it open).
        with tempfile.TemporaryDirectory() as d:
            schema = os.path.join(d, "schema.json")
            with open(schema, "w") as f:
                json.dump({"TableName": "tbl", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                           "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}, f)
            data = os.path.join(d, "db")
            run(BINARY, "create-table", "--data", data, "--schema", schema)
            run(BINARY, "put-item", "--data", data, "tbl", "--item", '{"pk":{"S":"a"},"zz":{"S":"marker"}}')
            p = run(BINARY, "check", data)
            self.assertEqual(p.stdout, "ok: 1 table, 1 item, 0 index entries, 0 stream records, 0 recovery-log records, "
                                       "0 backups (0 items)\n")
            with Server(BINARY, "--data", data):
                p = run(BINARY, "check", data, check=False)
                self.assertEqual(p.returncode, 2, p.stdout)
                self.assertIn("in use by process", p.stderr)
            # The item's attribute zz (name, tag S, length, text) given a tag no value has.
            with open(os.path.join(data, "data.mdb"), "r+b") as f:
                image = f.read()
                self.assertIn(b"\x02zz\x01\x06marker", image)
                f.seek(0)
                f.write(image.replace(b"\x02zz\x01\x06marker", b"\x02zz\x7f\x06marker"))
            p = run(BINARY, "check", data, check=False)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertEqual(p.stdout, 'table tbl: item {"pk":{"S":"a"}} does not decode\n')
            p = run(BINARY, "check", os.path.join(d, "nothing-here"), check=False)
            self.assertEqual(p.returncode, 2)
            self.assertIn("no database in", p.stderr)
            self.assertFalse(os.path.exists(os.path.join(d, "nothing-here")))

    def test_help(self):
        self.assertIn("serve", run(BINARY, "--help").stdout)
        self.assertRegex(run(BINARY, "--version").stdout, r"^localdynamo \d+\.\d+\.\d+\n$")
        self.assertNotIn("schema-load", run(BINARY, "create-table", "--help").stdout)
        self.assertIn("--key-condition", run(BINARY, "query", "--help").stdout)


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
