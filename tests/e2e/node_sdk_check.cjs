// The AWS SDK for JavaScript v3, unchanged, against `localdynamo serve`: the Cruddur table's
// patterns through the low-level and document clients, errors as the SDK's typed
// exceptions, and the change stream through the Streams client.
//
//     NODE_PATH=<dir with @aws-sdk/*> node node_sdk_check.cjs http://127.0.0.1:PORT
//
// Run by test_server_node_sdk.py, which installs the SDK and starts the server.
const assert = require("node:assert/strict");
const ddb = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient, PutCommand, QueryCommand: DocQueryCommand } = require("@aws-sdk/lib-dynamodb");
const streams = require("@aws-sdk/client-dynamodb-streams");

const config = {
  endpoint: process.argv[2],
  region: "us-east-1",
  credentials: { accessKeyId: "x", secretAccessKey: "y" },
  maxAttempts: 1,
};
const TABLE = "cruddur-messages";
const GSI = "message-group-sk-index";

// The SDK's exception for `command`, which must fail.
async function failure(client, command) {
  try {
    await client.send(command);
  } catch (e) {
    return e;
  }
  assert.fail(`${command.constructor.name} succeeded`);
}

async function main() {
  const db = new ddb.DynamoDBClient(config);
  const doc = DynamoDBDocumentClient.from(db);

  await db.send(new ddb.CreateTableCommand({
    TableName: TABLE,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "message_group_uuid", AttributeType: "S" },
    ],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    GlobalSecondaryIndexes: [{
      IndexName: GSI,
      KeySchema: [{ AttributeName: "message_group_uuid", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
      Projection: { ProjectionType: "ALL" },
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
  }));
  const described = (await db.send(new ddb.DescribeTableCommand({ TableName: TABLE }))).Table;
  assert.equal(described.TableStatus, "ACTIVE");
  assert.ok(described.CreationDateTime instanceof Date, "timestamps parse as dates");
  assert.equal(described.GlobalSecondaryIndexes[0].IndexName, GSI);
  assert.match(described.LatestStreamArn, /^arn:aws:dynamodb:us-east-1:\d{12}:table\/cruddur-messages\/stream\//);

  // Messages through the document client: numbers, a number beyond a double, sets, binary.
  for (let i = 0; i < 30; i++) {
    await doc.send(new PutCommand({
      TableName: TABLE,
      Item: {
        pk: "MSG#g1", sk: `2023-03-${String(i).padStart(2, "0")}`, message_group_uuid: "g1",
        n: i, big: 12345678901234567890n, tags: new Set(["a", "b"]), bin: new Uint8Array([1, 2, 3]),
      },
    }));
  }
  // A conversation, newest first, 20 a page, as the app reads it.
  const page = await doc.send(new DocQueryCommand({
    TableName: TABLE,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :year)",
    ExpressionAttributeValues: { ":pk": "MSG#g1", ":year": "2023" },
    ScanIndexForward: false, Limit: 20, ReturnConsumedCapacity: "TOTAL",
  }));
  assert.equal(page.Count, 20);
  assert.deepEqual(page.Items.map((m) => m.n), [...Array(20).keys()].map((k) => 29 - k));
  assert.deepEqual(page.LastEvaluatedKey, { pk: "MSG#g1", sk: "2023-03-10" });
  assert.deepEqual(page.ConsumedCapacity, { TableName: TABLE, CapacityUnits: 0.5 });
  assert.ok(page.Items[0].tags instanceof Set && page.Items[0].tags.has("b"));
  assert.deepEqual([...page.Items[0].bin], [1, 2, 3]);
  const rest = await doc.send(new DocQueryCommand({
    TableName: TABLE, KeyConditionExpression: "pk = :pk AND sk BETWEEN :a AND :b",
    ExpressionAttributeValues: { ":pk": "MSG#g1", ":a": "2023-03-00", ":b": "2023-03-09" },
    ExclusiveStartKey: page.LastEvaluatedKey, ScanIndexForward: false,
  }));
  assert.deepEqual(rest.Items.map((m) => m.n), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  assert.equal(rest.LastEvaluatedKey, undefined);

  const got = await db.send(new ddb.GetItemCommand({ TableName: TABLE, Key: { pk: { S: "MSG#g1" }, sk: { S: "2023-03-05" } } }));
  assert.deepEqual(got.Item.n, { N: "5" });
  assert.deepEqual(got.Item.big, { N: "12345678901234567890" });
  assert.deepEqual(got.Item.tags.SS.sort(), ["a", "b"]);

  // Errors: the SDK's exception classes, DynamoDB's messages, HTTP 400, a request id.
  const conditional = await failure(db, new ddb.PutItemCommand({
    TableName: TABLE, Item: { pk: { S: "MSG#g1" }, sk: { S: "2023-03-05" } },
    ConditionExpression: "attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  }));
  assert.ok(conditional instanceof ddb.ConditionalCheckFailedException);
  assert.equal(conditional.message, "The conditional request failed");
  assert.equal(conditional.$metadata.httpStatusCode, 400);
  assert.deepEqual(conditional.Item.n, { N: "5" });
  const missing = await failure(db, new ddb.GetItemCommand({ TableName: "nope", Key: { pk: { S: "a" } } }));
  assert.ok(missing instanceof ddb.ResourceNotFoundException);
  assert.equal(missing.message, "Requested resource not found");
  assert.ok(missing.$metadata.requestId, "x-amzn-RequestId reaches the SDK");
  const invalid = await failure(db, new ddb.QueryCommand({ TableName: TABLE, KeyConditionExpression: "pk = :pk" }));
  assert.equal(invalid.name, "ValidationException");
  assert.equal(invalid.message, "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :pk");

  // A message group as the app creates it (a transaction), and a cancelled one.
  const cancelled = await failure(db, new ddb.TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: TABLE, Item: { pk: { S: "GRP#u1" }, sk: { S: "2023-03-29" } } } },
    { ConditionCheck: { TableName: TABLE, Key: { pk: { S: "MSG#g1" }, sk: { S: "2023-03-05" } }, ConditionExpression: "attribute_not_exists(pk)" } },
  ] }));
  assert.ok(cancelled instanceof ddb.TransactionCanceledException);
  assert.equal(cancelled.message, "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
  assert.deepEqual(cancelled.CancellationReasons, [{ Code: "None" }, { Code: "ConditionalCheckFailed", Message: "The conditional request failed" }]);
  await db.send(new ddb.TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: TABLE, Item: { pk: { S: "GRP#u1" }, sk: { S: "2023-03-29" }, message_group_uuid: { S: "g1" } } } },
  ] }));
  const group = await db.send(new ddb.QueryCommand({
    TableName: TABLE, IndexName: GSI, KeyConditionExpression: "message_group_uuid = :g",
    ExpressionAttributeValues: { ":g": { S: "g1" } }, Select: "COUNT",
  }));
  assert.equal(group.Count, 31);

  const updated = await db.send(new ddb.UpdateItemCommand({
    TableName: TABLE, Key: { pk: { S: "GRP#u1" }, sk: { S: "2023-03-29" } },
    UpdateExpression: "SET c = if_not_exists(c, :zero) + :one ADD s :s",
    ExpressionAttributeValues: { ":zero": { N: "0" }, ":one": { N: "1" }, ":s": { SS: ["q"] } }, ReturnValues: "UPDATED_NEW",
  }));
  assert.deepEqual(updated.Attributes, { c: { N: "1" }, s: { SS: ["q"] } });
  const written = await db.send(new ddb.BatchWriteItemCommand({ RequestItems: { [TABLE]: [
    { DeleteRequest: { Key: { pk: { S: "GRP#u1" }, sk: { S: "2023-03-29" } } } },
  ] } }));
  assert.deepEqual(written.UnprocessedItems, {});
  const batch = await db.send(new ddb.BatchGetItemCommand({ RequestItems: { [TABLE]: {
    Keys: [{ pk: { S: "MSG#g1" }, sk: { S: "2023-03-01" } }, { pk: { S: "GRP#u1" }, sk: { S: "2023-03-29" } }],
    ProjectionExpression: "sk",
  } } }));
  assert.deepEqual(batch.Responses, { [TABLE]: [{ sk: { S: "2023-03-01" } }] });
  const scanned = await db.send(new ddb.ScanCommand({ TableName: TABLE, Limit: 5 }));
  assert.equal(scanned.Count, 5);
  assert.ok(scanned.LastEvaluatedKey);
  const selected = await db.send(new ddb.ExecuteStatementCommand({
    Statement: `SELECT sk FROM "${TABLE}" WHERE pk = ?`, Parameters: [{ S: "MSG#g1" }], Limit: 2,
  }));
  assert.deepEqual(selected.Items, [{ sk: { S: "2023-03-00" } }, { sk: { S: "2023-03-01" } }]);
  assert.ok(selected.NextToken);
  await db.send(new ddb.DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: "MSG#g1" }, sk: { S: "2023-03-00" } } }));

  // The change stream: 30 puts, the transaction's put, the update, two deletes.
  const st = new streams.DynamoDBStreamsClient(config);
  const listed = await st.send(new streams.ListStreamsCommand({ TableName: TABLE }));
  assert.equal(listed.Streams.length, 1);
  const arn = listed.Streams[0].StreamArn;
  const shard = (await st.send(new streams.DescribeStreamCommand({ StreamArn: arn }))).StreamDescription.Shards[0];
  const iterator = (await st.send(new streams.GetShardIteratorCommand({
    StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON",
  }))).ShardIterator;
  const records = (await st.send(new streams.GetRecordsCommand({ ShardIterator: iterator }))).Records;
  assert.deepEqual(records.map((r) => r.eventName),
    [...Array(31).fill("INSERT"), "MODIFY", "REMOVE", "REMOVE"]);
  assert.ok(records[0].dynamodb.ApproximateCreationDateTime instanceof Date);
  assert.deepEqual(records[0].dynamodb.NewImage.n, { N: "0" });

  assert.deepEqual((await db.send(new ddb.ListTablesCommand({}))).TableNames, [TABLE]);
  await db.send(new ddb.DeleteTableCommand({ TableName: TABLE }));
  assert.deepEqual((await db.send(new ddb.ListTablesCommand({}))).TableNames, []);
  console.log("node SDK checks passed");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
