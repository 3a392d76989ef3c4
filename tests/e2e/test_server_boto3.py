#!/usr/bin/env python3
"""boto3 against `localdynamo serve`: every operation, DynamoDB's errors, the HTTP protocol
details boto3 relies on (x-amz-crc32, x-amzn-RequestId), keep-alive, concurrency, shutdown."""
import http.client
import json
import os
import sys
import tempfile
import threading
import time
import unittest
import zlib

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None


def code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", "")
    return None, None


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY, "--in-memory")
        session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
        cfg = Config(retries={"max_attempts": 1})
        cls.c = session.client("dynamodb", endpoint_url=cls.server.endpoint, config=cfg)
        cls.streams = session.client("dynamodbstreams", endpoint_url=cls.server.endpoint, config=cfg)
        cls.c.create_table(
            TableName="tbl", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"},
                                  {"AttributeName": "g", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                     "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def raw(self, target, body, content_type="application/x-amz-json-1.0"):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        headers = {"Content-Type": content_type}
        if target:
            headers["X-Amz-Target"] = target
        conn.request("POST", "/", body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, dict(r.getheaders()), data

    def test_items_roundtrip_all_types(self):
        item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "n": {"N": "0100.500"}, "b": {"B": b"\x00\xff"},
                "bool": {"BOOL": True}, "null": {"NULL": True}, "m": {"M": {"x": {"L": [{"S": "y"}]}}},
                "ss": {"SS": ["p", "q"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": [b"1"]}}
        self.c.put_item(TableName="tbl", Item=item)
        got = self.c.get_item(TableName="tbl", Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]
        self.assertEqual(got["n"], {"N": "100.5"})
        self.assertEqual(got["b"], {"B": b"\x00\xff"})
        self.assertEqual(sorted(got["ns"]["NS"]), ["1", "2.5"])
        self.assertEqual(got["m"], item["m"])

    def test_update_condition_and_return_values(self):
        key = {"pk": {"S": "u"}, "sk": {"N": "1"}}
        r = self.c.update_item(TableName="tbl", Key=key, UpdateExpression="SET c = if_not_exists(c, :z) + :one",
                               ExpressionAttributeValues={":z": {"N": "0"}, ":one": {"N": "1"}}, ReturnValues="ALL_NEW")
        self.assertEqual(r["Attributes"]["c"], {"N": "1"})
        r = self.c.update_item(TableName="tbl", Key=key, UpdateExpression="ADD c :one", ExpressionAttributeValues={":one": {"N": "1"}},
                               ReturnValues="UPDATED_OLD")
        self.assertEqual(r["Attributes"], {"c": {"N": "1"}})
        # Nested paths: only the updated path comes back, in its place.
        self.c.update_item(TableName="tbl", Key=key, UpdateExpression="SET m = :m",
                           ExpressionAttributeValues={":m": {"M": {"a": {"N": "1"}, "b": {"N": "2"}}}})
        r = self.c.update_item(TableName="tbl", Key=key, UpdateExpression="SET m.a = :v", ExpressionAttributeValues={":v": {"N": "9"}},
                               ReturnValues="UPDATED_NEW")
        self.assertEqual(r["Attributes"], {"m": {"M": {"a": {"N": "9"}}}})
        err, msg = code(lambda: self.c.update_item(TableName="tbl", Key=key, UpdateExpression="SET pk = :v",
                                                   ExpressionAttributeValues={":v": {"S": "x"}}))
        self.assertEqual(err, "ValidationException")
        self.assertIn("Cannot update attribute pk", msg)
        err, _ = code(lambda: self.c.delete_item(TableName="tbl", Key=key, ConditionExpression="c = :v",
                                                 ExpressionAttributeValues={":v": {"N": "7"}}))
        self.assertEqual(err, "ConditionalCheckFailedException")
        self.assertIn("Item", self.c.get_item(TableName="tbl", Key=key))

    def test_query_scan_batch_transact(self):
        for i in range(30):
            self.c.put_item(TableName="tbl", Item={"pk": {"S": "q"}, "sk": {"N": str(i)}, "g": {"S": "G" if i % 2 else "H"}})
        r = self.c.query(TableName="tbl", KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
                         ExpressionAttributeValues={":p": {"S": "q"}, ":a": {"N": "5"}, ":b": {"N": "9"}}, ScanIndexForward=False)
        self.assertEqual([i["sk"]["N"] for i in r["Items"]], ["9", "8", "7", "6", "5"])
        r = self.c.query(TableName="tbl", IndexName="by-g", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "G"}})
        self.assertEqual(r["Count"], 15)
        self.assertEqual(set(r["Items"][0].keys()), {"pk", "sk", "g"})
        r = self.c.batch_get_item(RequestItems={"tbl": {"Keys": [{"pk": {"S": "q"}, "sk": {"N": "3"}}, {"pk": {"S": "q"}, "sk": {"N": "99"}}]}})
        self.assertEqual(len(r["Responses"]["tbl"]), 1)
        self.c.batch_write_item(RequestItems={"tbl": [{"DeleteRequest": {"Key": {"pk": {"S": "q"}, "sk": {"N": "3"}}}}]})
        err, msg = code(lambda: self.c.batch_write_item(RequestItems={"tbl": [
            {"DeleteRequest": {"Key": {"pk": {"S": "q"}, "sk": {"N": "4"}}}},
            {"DeleteRequest": {"Key": {"pk": {"S": "q"}, "sk": {"N": "4"}}}}]}))
        self.assertEqual((err, msg), ("ValidationException", "Provided list of item keys contains duplicates"))
        r = self.c.transact_get_items(TransactItems=[{"Get": {"TableName": "tbl", "Key": {"pk": {"S": "q"}, "sk": {"N": "4"}}}}])
        self.assertEqual(r["Responses"][0]["Item"]["sk"], {"N": "4"})
        try:
            self.c.transact_write_items(TransactItems=[
                {"ConditionCheck": {"TableName": "tbl", "Key": {"pk": {"S": "q"}, "sk": {"N": "4"}},
                                    "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
                {"Put": {"TableName": "tbl", "Item": {"pk": {"S": "q"}, "sk": {"N": "100"}}}}])
            self.fail("expected a cancellation")
        except ClientError as e:
            reasons = e.response["CancellationReasons"]
            self.assertEqual([x["Code"] for x in reasons], ["ConditionalCheckFailed", "None"])
            self.assertEqual(reasons[0]["Item"]["sk"], {"N": "4"})
        self.assertNotIn("Item", self.c.get_item(TableName="tbl", Key={"pk": {"S": "q"}, "sk": {"N": "100"}}))
        segs = [self.c.scan(TableName="tbl", Segment=s, TotalSegments=3)["Count"] for s in range(3)]
        self.assertEqual(sum(segs), self.c.scan(TableName="tbl", Select="COUNT")["Count"])

    def test_errors(self):
        self.assertEqual(code(lambda: self.c.describe_table(TableName="nope")),
                         ("ResourceNotFoundException", "Requested resource not found: Table: nope not found"))
        err, msg = code(lambda: self.c.query(TableName="tbl", KeyConditionExpression="pk = :p",
                                             ExpressionAttributeValues={":p": {"S": "x"}, ":unused": {"S": "y"}}))
        self.assertEqual(msg, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}")
        err, msg = code(lambda: self.c.scan(TableName="tbl", FilterExpression="name = :n", ExpressionAttributeValues={":n": {"S": "x"}}))
        self.assertEqual(msg, "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: name")
        # Set rules, checked once for the wire and the C++ API (same text both ways).
        self.assertEqual(code(lambda: self.c.put_item(TableName="tbl", Item={"pk": {"S": "s"}, "sk": {"N": "1"}, "ns": {"NS": ["2", "2.0"]}})),
                         ("ValidationException", "One or more parameter values were invalid: Input collection [2, 2] contains duplicates."))
        self.assertEqual(code(lambda: self.c.put_item(TableName="tbl", Item={"pk": {"S": "s"}, "sk": {"N": "1"}, "ss": {"SS": []}})),
                         ("ValidationException", "One or more parameter values were invalid: An string set  may not be empty"))
        self.assertNotIn("Item", self.c.get_item(TableName="tbl", Key={"pk": {"S": "s"}, "sk": {"N": "1"}}))
        status, headers, body = self.raw("DynamoDB_20120810.Nope", "{}")
        self.assertEqual(status, 400)
        self.assertIn("UnknownOperationException", json.loads(body)["__type"])
        status, _, body = self.raw("DynamoDB_20120810.ListTables", "{not json")
        self.assertEqual(status, 400)
        self.assertIn("SerializationException", json.loads(body)["__type"])
        status, _, body = self.raw("DynamoDB_20120810.GetItem", "{}")
        self.assertEqual(json.loads(body)["message"],
                         "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: "
                         "Member must not be null; Value null at 'key' failed to satisfy constraint: Member must not be null")
        status, _, body = self.raw("DynamoDB_20120810.ListTables", "{}", content_type="text/plain")
        self.assertEqual(status, 400)
        status, headers, _ = self.raw("DynamoDB_20120810.ListTables", "x" * (17 * 1024 * 1024))
        self.assertEqual(status, 413)
        self.assertEqual(len(headers["x-amzn-RequestId"]), 52)  # the loop's own refusals carry one too
        # The server is still serving.
        self.assertIn("tbl", self.c.list_tables()["TableNames"])

    def test_time_to_live(self):
        self.c.create_table(TableName="ttl", BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        self.assertEqual(self.c.describe_time_to_live(TableName="ttl")["TimeToLiveDescription"],
                         {"TimeToLiveStatus": "DISABLED"})
        r = self.c.update_time_to_live(TableName="ttl", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
        self.assertEqual(r["TimeToLiveSpecification"], {"Enabled": True, "AttributeName": "exp"})
        self.assertEqual(self.c.describe_time_to_live(TableName="ttl")["TimeToLiveDescription"],
                         {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"})
        for spec, message in (({"Enabled": True, "AttributeName": "exp"}, "TimeToLive is already enabled"),
                              ({"Enabled": False, "AttributeName": "other"},
                               "TimeToLive is active on a different AttributeName: current AttributeName is exp"),
                              ({"Enabled": False, "AttributeName": "exp"},
                               "Time to live has been modified multiple times within a fixed interval")):
            with self.assertRaises(ClientError) as e:
                self.c.update_time_to_live(TableName="ttl", TimeToLiveSpecification=spec)
            self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
            self.assertEqual(e.exception.response["Error"]["Message"], message)
        # Members the SDK would refuse to send, sent anyway.
        status, _, body = self.raw("DynamoDB_20120810.UpdateTimeToLive", json.dumps({"TableName": "ttl"}))
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["message"], "1 validation error detected: Value null at 'timeToLiveSpecification' "
                                                      "failed to satisfy constraint: Member must not be null")
        status, _, body = self.raw("DynamoDB_20120810.UpdateTimeToLive",
                                   json.dumps({"TableName": "ttl", "TimeToLiveSpecification": {}}))
        self.assertEqual(json.loads(body)["message"], "2 validation errors detected: Value null at 'timeToLiveSpecification.enabled' "
                                                      "failed to satisfy constraint: Member must not be null; Value null at "
                                                      "'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
                                                      "Member must not be null")
        with self.assertRaises(ClientError) as e:
            self.c.describe_time_to_live(TableName="missing")
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_tags_backups_and_limits(self):
        arn = self.c.create_table(TableName="tagged", BillingMode="PAY_PER_REQUEST",
                                  AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                  KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                  Tags=[{"Key": "env", "Value": "test"}])["TableDescription"]["TableArn"]
        self.assertEqual(self.c.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "env", "Value": "test"}])
        self.c.tag_resource(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "bayko"}, {"Key": "env", "Value": "prod"}])
        self.c.untag_resource(ResourceArn=arn, TagKeys=["owner", "never-set"])
        self.assertEqual(self.c.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "env", "Value": "prod"}])
        self.assertEqual(code(lambda: self.c.tag_resource(ResourceArn=arn, Tags=[{"Key": "aws:x", "Value": "1"}])),
                         ("ValidationException", "Tag Key cannot be prefixed with aws:, Key: aws:x"))
        self.assertEqual(code(lambda: self.c.list_tags_of_resource(ResourceArn=arn + "x")),
                         ("ResourceNotFoundException", f"Requested resource not found: ResourceArn: {arn}x not found"))
        self.assertEqual(code(lambda: self.c.list_tags_of_resource(ResourceArn="arn:aws:s3:::bucket"))[0], "AccessDeniedException")

        off = {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}
        self.assertEqual(self.c.describe_continuous_backups(TableName="tagged")["ContinuousBackupsDescription"], off)
        on = self.c.update_continuous_backups(TableName="tagged", PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 7})["ContinuousBackupsDescription"]
        recovery = on["PointInTimeRecoveryDescription"]
        self.assertEqual((recovery["PointInTimeRecoveryStatus"], recovery["RecoveryPeriodInDays"]), ("ENABLED", 7))
        self.assertLessEqual(recovery["EarliestRestorableDateTime"], recovery["LatestRestorableDateTime"])  # datetimes
        self.assertEqual(code(lambda: self.c.describe_continuous_backups(TableName="missing")),
                         ("TableNotFoundException", "Table not found: missing"))
        self.assertEqual(code(lambda: self.c.update_continuous_backups(TableName="tagged", PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": False, "RecoveryPeriodInDays": 7}))[1],
            "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.")
        self.c.update_continuous_backups(TableName="tagged", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
        self.assertEqual(self.c.describe_continuous_backups(TableName="tagged")["ContinuousBackupsDescription"], off)

        limits = self.c.describe_limits()
        del limits["ResponseMetadata"]
        self.assertEqual(limits, {"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                                  "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000})
        # One endpoint, cached for a day, as DynamoDB answers (SDKs skip discovery when given
        # an endpoint URL, so only explicit callers see it).
        endpoints = self.c.describe_endpoints()["Endpoints"]
        self.assertEqual([e["CachePeriodInMinutes"] for e in endpoints], [1440])
        self.assertTrue(endpoints[0]["Address"])
        self.c.delete_table(TableName="tagged")
        # Settings DynamoDB describes back (infrastructure tools compare them with what they asked).
        created = self.c.create_table(TableName="settings", BillingMode="PAY_PER_REQUEST",
                                      AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                      KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                      SSESpecification={"Enabled": True, "SSEType": "KMS"},
                                      TableClass="STANDARD_INFREQUENT_ACCESS",
                                      OnDemandThroughput={"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50})
        for d in (created["TableDescription"], self.c.describe_table(TableName="settings")["Table"]):
            self.assertEqual((d["SSEDescription"]["Status"], d["SSEDescription"]["SSEType"]), ("ENABLED", "KMS"))
            self.assertTrue(d["SSEDescription"]["KMSMasterKeyArn"].startswith("arn:aws:kms:us-east-1:"))
            self.assertEqual(d["TableClassSummary"], {"TableClass": "STANDARD_INFREQUENT_ACCESS"})
            self.assertEqual(d["OnDemandThroughput"], {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50})
        self.c.delete_table(TableName="settings")

    def test_backup_and_restore(self):
        self.c.create_table(TableName="to-back-up", BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                                  {"AttributeName": "g", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                            GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
                                                     "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}])
        for i in range(3):
            self.c.put_item(TableName="to-back-up", Item={"id": {"S": f"k{i}"}, "g": {"S": "x"}})
        details = self.c.create_backup(TableName="to-back-up", BackupName="before-the-change")["BackupDetails"]
        self.assertEqual((details["BackupStatus"], details["BackupType"]), ("CREATING", "USER"))
        arn = details["BackupArn"]
        self.assertRegex(arn, r"^arn:aws:dynamodb:us-east-1:\d{12}:table/to-back-up/backup/\d{14}-[0-9a-f]{8}$")
        self.c.delete_item(TableName="to-back-up", Key={"id": {"S": "k0"}})

        d = self.c.describe_backup(BackupArn=arn)["BackupDescription"]
        self.assertEqual(d["BackupDetails"]["BackupStatus"], "AVAILABLE")
        self.assertEqual(d["SourceTableDetails"]["ItemCount"], 3)
        self.assertEqual(d["SourceTableFeatureDetails"]["GlobalSecondaryIndexes"][0]["IndexName"], "by-g")
        summaries = self.c.list_backups(TableName="to-back-up")["BackupSummaries"]
        self.assertEqual([s["BackupArn"] for s in summaries], [arn])

        restored = self.c.restore_table_from_backup(TargetTableName="restored", BackupArn=arn)["TableDescription"]
        self.assertEqual(restored["TableStatus"], "CREATING")
        self.assertEqual(restored["RestoreSummary"]["SourceBackupArn"], arn)
        self.assertTrue(restored["RestoreSummary"]["RestoreInProgress"])
        self.c.get_waiter("table_exists").wait(TableName="restored", WaiterConfig={"Delay": 1})
        self.assertEqual(self.c.scan(TableName="restored")["Count"], 3)
        self.assertEqual(self.c.query(TableName="restored", IndexName="by-g", KeyConditionExpression="g = :g",
                                      ExpressionAttributeValues={":g": {"S": "x"}})["Count"], 3)
        self.assertEqual(code(lambda: self.c.restore_table_from_backup(TargetTableName="restored", BackupArn=arn)),
                         ("TableAlreadyExistsException", "Table already exists: restored"))
        self.assertEqual(code(lambda: self.c.create_backup(TableName="missing", BackupName="nightly")),
                         ("TableNotFoundException", "Table not found: missing"))

        self.c.delete_table(TableName="to-back-up")  # the backup outlives its table
        self.assertEqual(len(self.c.list_backups(TableName="to-back-up")["BackupSummaries"]), 1)
        deleted = self.c.delete_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]
        self.assertEqual(deleted["BackupStatus"], "DELETED")
        self.assertEqual(code(lambda: self.c.describe_backup(BackupArn=arn)),
                         ("BackupNotFoundException", f"Backup not found: {arn}"))
        self.assertEqual(self.c.list_backups(TableName="to-back-up")["BackupSummaries"], [])
        self.c.delete_table(TableName="restored")

    def test_point_in_time_restore(self):
        self.c.create_table(TableName="recovered", BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        self.c.put_item(TableName="recovered", Item={"id": {"S": "before"}})
        self.assertEqual(code(lambda: self.c.restore_table_to_point_in_time(
            SourceTableName="recovered", TargetTableName="recovered-copy", UseLatestRestorableTime=True)),
            ("PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'recovered'"))
        self.c.update_continuous_backups(TableName="recovered", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        time.sleep(0.01)
        self.c.put_item(TableName="recovered", Item={"id": {"S": "after"}})
        self.c.delete_item(TableName="recovered", Key={"id": {"S": "before"}})
        # Just turned on, the latest restorable time is when it was turned on.
        restored = self.c.restore_table_to_point_in_time(SourceTableName="recovered", TargetTableName="recovered-copy",
                                                         UseLatestRestorableTime=True)["TableDescription"]
        self.assertEqual(restored["TableStatus"], "CREATING")
        self.assertNotIn("SourceBackupArn", restored["RestoreSummary"])
        self.assertEqual([i["id"]["S"] for i in self.c.scan(TableName="recovered-copy")["Items"]], ["before"])
        self.assertEqual(code(lambda: self.c.restore_table_to_point_in_time(
            SourceTableName="recovered", TargetTableName="never", RestoreDateTime=1_000_000_000))[0], "InvalidRestoreTimeException")
        self.c.delete_table(TableName="recovered-copy")
        self.c.delete_table(TableName="recovered")

    def test_contributor_insights(self):
        self.assertEqual(self.c.describe_contributor_insights(TableName="tbl")["ContributorInsightsStatus"], "DISABLED")
        self.assertEqual(self.c.update_contributor_insights(TableName="tbl", IndexName="by-g", ContributorInsightsAction="ENABLE")
                         ["ContributorInsightsStatus"], "ENABLING")
        d = self.c.describe_contributor_insights(TableName="tbl", IndexName="by-g")
        self.assertEqual(d["ContributorInsightsStatus"], "ENABLED")
        self.assertTrue(d["ContributorInsightsRuleList"][0].startswith("DynamoDBContributorInsights-PKC-tbl-by-g-"))
        self.assertEqual([s.get("IndexName") for s in self.c.list_contributor_insights(TableName="tbl")["ContributorInsightsSummaries"]],
                         ["by-g"])
        self.assertEqual(code(lambda: self.c.describe_contributor_insights(TableName="tbl", IndexName="nope")),
                         ("ResourceNotFoundException", "Requested resource not found: Index: nope not found for table: tbl"))
        self.c.update_contributor_insights(TableName="tbl", IndexName="by-g", ContributorInsightsAction="DISABLE")
        self.assertEqual(self.c.list_contributor_insights()["ContributorInsightsSummaries"], [])

    def test_table_settings_rules(self):
        # A Terraform-style billing switch on a table with an index, and the settings' own rules.
        self.c.create_table(TableName="settings", BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                  {"AttributeName": "g", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                            GlobalSecondaryIndexes=[{"IndexName": "gix", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                     "Projection": {"ProjectionType": "ALL"},
                                                     "OnDemandThroughput": {"MaxReadRequestUnits": 100}}])
        self.assertEqual(self.c.describe_table(TableName="settings")["Table"]["GlobalSecondaryIndexes"][0]["OnDemandThroughput"],
                         {"MaxReadRequestUnits": 100})
        switch = dict(TableName="settings", BillingMode="PROVISIONED",
                      ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        self.assertEqual(code(lambda: self.c.update_table(**switch)),
                         ("ValidationException", "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: gix"))
        self.c.update_table(**switch, GlobalSecondaryIndexUpdates=[
            {"Update": {"IndexName": "gix", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}}}])
        d = self.c.describe_table(TableName="settings")["Table"]
        self.assertEqual(d["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"], 2)
        self.assertNotIn("OnDemandThroughput", d["GlobalSecondaryIndexes"][0])
        self.assertEqual(code(lambda: self.c.update_table(**switch)),
                         ("ValidationException", "The provisioned throughput for the table will not change. The requested value equals the "
                          "current value. Current ReadCapacityUnits provisioned for the table: 1. Requested ReadCapacityUnits: 1. Current "
                          "WriteCapacityUnits provisioned for the table: 1. Requested WriteCapacityUnits: 1. Refer to the Amazon DynamoDB "
                          "Developer Guide for current limits and how to request higher limits."))
        self.assertEqual(code(lambda: self.c.update_table(TableName="settings", ProvisionedThroughput={
            "ReadCapacityUnits": 50000, "WriteCapacityUnits": 1}))[0], "LimitExceededException")
        self.assertEqual(code(lambda: self.c.update_table(TableName="settings", SSESpecification={"Enabled": True, "SSEType": "AES256"})),
                         ("ValidationException", "One or more parameter values were invalid: SSEType AES256 is not supported"))
        self.c.delete_table(TableName="settings")

    def test_table_arn_as_table_name(self):
        arn = self.c.describe_table(TableName="tbl")["Table"]["TableArn"]
        self.c.put_item(TableName=arn, Item={"pk": {"S": "by-arn"}, "sk": {"N": "1"}})
        got = self.c.get_item(TableName=arn, Key={"pk": {"S": "by-arn"}, "sk": {"N": "1"}}, ReturnConsumedCapacity="TOTAL")
        self.assertIn("Item", got)
        self.assertEqual(got["ConsumedCapacity"]["TableName"], "tbl")
        self.assertEqual(self.c.describe_table(TableName=arn)["Table"]["TableName"], "tbl")
        batch = self.c.batch_get_item(RequestItems={arn: {"Keys": [{"pk": {"S": "by-arn"}, "sk": {"N": "1"}}]}})
        self.assertEqual(len(batch["Responses"][arn]), 1)
        self.c.transact_write_items(TransactItems=[{"Delete": {"TableName": arn, "Key": {"pk": {"S": "by-arn"}, "sk": {"N": "1"}}}}])
        self.assertEqual(code(lambda: self.c.describe_table(TableName=arn.replace("us-east-1", "eu-west-1"))),
                         ("ValidationException", f"1 validation error detected: Invalid AWS region in '{arn.replace('us-east-1', 'eu-west-1')}'"))
        self.assertEqual(code(lambda: self.c.get_item(TableName=arn + "/index/by-g", Key={"pk": {"S": "x"}}))[0], "ValidationException")
        self.assertEqual(code(lambda: self.c.describe_table(TableName=arn[:-3] + "nope")),
                         ("ResourceNotFoundException", "Requested resource not found: Table: nope not found"))

    def test_partiql(self):
        run = self.c.execute_statement
        for i in range(1, 4):
            self.assertEqual(run(Statement="INSERT INTO \"tbl\" VALUE {'pk': 'pq', 'sk': ?, 'msg': 'hi', 'tags': <<'a'>>}",
                                 Parameters=[{"N": str(i)}])["Items"], [])
        self.assertEqual(code(lambda: run(Statement="INSERT INTO tbl VALUE {'pk': 'pq', 'sk': 1}")),
                         ("DuplicateItemException", "Duplicate primary key exists in table"))
        page = run(Statement="SELECT sk, msg FROM tbl WHERE pk = 'pq' ORDER BY sk DESC", Limit=2)
        self.assertEqual(page["Items"], [{"sk": {"N": "3"}, "msg": {"S": "hi"}}, {"sk": {"N": "2"}, "msg": {"S": "hi"}}])
        rest = run(Statement="SELECT sk, msg FROM tbl WHERE pk = 'pq' ORDER BY sk DESC", Limit=2, NextToken=page["NextToken"])
        self.assertEqual([i["sk"]["N"] for i in rest["Items"]], ["1"])
        updated = run(Statement="UPDATE tbl SET n = 1 SET tags = set_add(tags, <<'b'>>) WHERE pk = 'pq' AND sk = 1 "
                                "RETURNING ALL NEW *")["Items"][0]
        self.assertEqual((updated["n"], updated["tags"]["SS"]), ({"N": "1"}, ["a", "b"]))
        self.assertEqual(code(lambda: run(Statement="UPDATE tbl SET n = 1 WHERE pk = 'pq' AND sk = 9")),
                         ("ConditionalCheckFailedException", "The conditional request failed"))
        self.assertEqual(code(lambda: run(Statement="SELEC * FROM tbl")),
                         ("ValidationException", "Statement wasn't well formed, can't be processed: Expected data manipulation"))
        tx = self.c.execute_transaction(TransactStatements=[
            {"Statement": "DELETE FROM tbl WHERE pk = 'pq' AND sk = 3"},
            {"Statement": "UPDATE tbl SET n = 2 WHERE pk = 'pq' AND sk = 1"}])
        self.assertEqual(tx["Responses"], [])
        with self.assertRaises(ClientError) as e:
            self.c.execute_transaction(TransactStatements=[{"Statement": "INSERT INTO tbl VALUE {'pk': 'pq', 'sk': 1}"}])
        self.assertEqual(e.exception.response["Error"]["Code"], "TransactionCanceledException")
        self.assertEqual(e.exception.response["CancellationReasons"],
                         [{"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}])
        batch = self.c.batch_execute_statement(Statements=[
            {"Statement": "SELECT n FROM tbl WHERE pk = 'pq' AND sk = 1"},
            {"Statement": "SELECT * FROM tbl WHERE pk = 'pq'"}])["Responses"]
        self.assertEqual(batch[0], {"TableName": "tbl", "Item": {"n": {"N": "2"}}})
        self.assertEqual(batch[1]["Error"]["Code"], "ValidationError")
        # A transaction's reads: one item each, projected.
        reads = self.c.execute_transaction(TransactStatements=[{"Statement": "SELECT sk FROM tbl WHERE pk = 'pq' AND sk = 2"}])
        self.assertEqual(reads["Responses"], [{"Item": {"sk": {"N": "2"}}}])

    def test_headers_and_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        ids = set()
        for _ in range(5):
            conn.request("POST", "/", body="{}", headers={"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                                          "Content-Type": "application/x-amz-json-1.0"})
            r = conn.getresponse()
            body = r.read()
            self.assertEqual(int(r.getheader("x-amz-crc32")), zlib.crc32(body))
            ids.add(r.getheader("x-amzn-RequestId"))
        conn.close()
        self.assertEqual(len(ids), 5)
        # DynamoDB's shape: 52 characters of base32hex, the last 26 the same on every response.
        for i in ids:
            self.assertRegex(i, r"^[0-9A-V]{52}$")
        self.assertEqual(len({i[26:] for i in ids}), 1)
        # What SDKs report as the request's id.
        self.assertIn(self.c.list_tables()["ResponseMetadata"]["RequestId"][26:], {i[26:] for i in ids})

    def test_concurrent_clients(self):
        errors = []

        def worker(n):
            try:
                session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
                c = session.client("dynamodb", endpoint_url=self.server.endpoint)
                for i in range(20):
                    c.put_item(TableName="tbl", Item={"pk": {"S": f"w{n}"}, "sk": {"N": str(i)}})
                    c.query(TableName="tbl", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": f"w{n}"}})
            except Exception as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(self.c.query(TableName="tbl", KeyConditionExpression="pk = :p",
                                      ExpressionAttributeValues={":p": {"S": "w3"}})["Count"], 20)

    def test_streams_api(self):
        arn = self.c.describe_table(TableName="tbl")["Table"]["LatestStreamArn"]
        self.assertEqual([s["StreamArn"] for s in self.streams.list_streams(TableName="tbl")["Streams"]], [arn])
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
        self.c.put_item(TableName="tbl", Item={"pk": {"S": "s"}, "sk": {"N": "1"}, "v": {"S": "one"}})
        self.c.put_item(TableName="tbl", Item={"pk": {"S": "s"}, "sk": {"N": "1"}, "v": {"S": "two"}})
        recs = self.streams.get_records(ShardIterator=it)["Records"]
        self.assertEqual([r["eventName"] for r in recs], ["INSERT", "MODIFY"])
        self.assertEqual(recs[1]["dynamodb"]["OldImage"]["v"], {"S": "one"})
        self.assertEqual(recs[1]["dynamodb"]["NewImage"]["v"], {"S": "two"})


class TimeToLiveSweepTest(unittest.TestCase):
    def test_expired_items_deleted_with_the_services_stream_record(self):
        with Server(BINARY, "--in-memory", "--ttl-sweep", "1") as server:
            session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
            c = session.client("dynamodb", endpoint_url=server.endpoint)
            streams = session.client("dynamodbstreams", endpoint_url=server.endpoint)
            c.create_table(TableName="sessions", BillingMode="PAY_PER_REQUEST",
                           AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                           StreamSpecification={"StreamEnabled": True, "StreamViewType": "OLD_IMAGE"})
            now = int(time.time())
            c.put_item(TableName="sessions", Item={"id": {"S": "old"}, "exp": {"N": str(now - 60)}})
            c.put_item(TableName="sessions", Item={"id": {"S": "new"}, "exp": {"N": str(now + 3600)}})
            c.update_time_to_live(TableName="sessions", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
            deadline = time.time() + 10
            while "Item" in c.get_item(TableName="sessions", Key={"id": {"S": "old"}}) and time.time() < deadline:
                time.sleep(0.1)
            self.assertNotIn("Item", c.get_item(TableName="sessions", Key={"id": {"S": "old"}}))
            self.assertIn("Item", c.get_item(TableName="sessions", Key={"id": {"S": "new"}}))
            arn = c.describe_table(TableName="sessions")["Table"]["LatestStreamArn"]
            shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
            it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            recs = streams.get_records(ShardIterator=it)["Records"]
            self.assertEqual([r["eventName"] for r in recs], ["INSERT", "INSERT", "REMOVE"])
            self.assertNotIn("userIdentity", recs[0])
            self.assertEqual(recs[2]["userIdentity"], {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"})
            self.assertEqual(recs[2]["dynamodb"]["OldImage"]["id"], {"S": "old"})


class AuthTest(unittest.TestCase):
    def test_sigv4_verified_with_auth(self):
        with Server(BINARY, "--in-memory", "--auth", "AKIDLOCAL:s3cret") as server:
            def client(key, secret):
                return boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                                    aws_access_key_id=key, aws_secret_access_key=secret,
                                    config=Config(retries={"max_attempts": 1}))
            self.assertEqual(client("AKIDLOCAL", "s3cret").list_tables()["TableNames"], [])
            self.assertEqual(code(lambda: client("other", "s3cret").list_tables())[0], "UnrecognizedClientException")
            self.assertEqual(code(lambda: client("AKIDLOCAL", "wrong").list_tables())[0], "InvalidSignatureException")

    def test_access_log_line_per_request(self):
        # --log: target, table, status, error code and microseconds, one line per request
        # (on one event-loop thread, which --threads sets).
        with tempfile.TemporaryFile(mode="w+") as log:
            with Server(BINARY, "--in-memory", "--log", "--threads", "1", stderr=log) as server:
                c = boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                                 aws_access_key_id="x", aws_secret_access_key="x",
                                 config=Config(retries={"max_attempts": 1}))
                c.list_tables()
                self.assertEqual(code(lambda: c.get_item(TableName="nope", Key={"k": {"S": "1"}}))[0],
                                 "ResourceNotFoundException")
            log.seek(0)
            lines = log.read().splitlines()
        self.assertEqual(len(lines), 2, lines)
        self.assertRegex(lines[0], r"^DynamoDB_20120810\.ListTables - 200 - \d+us$")
        self.assertRegex(lines[1], r"^DynamoDB_20120810\.GetItem nope 400 ResourceNotFoundException \d+us$")

    def test_sigterm_exits_cleanly(self):
        server = Server(BINARY, "--in-memory")
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
