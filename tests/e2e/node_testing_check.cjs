// The Node.js test helper users get (tools/testing/localdynamo-testing.cjs), as a test suite
// would use it: its own server with a fixed clock and sequential ids, SDK clients, the clock
// moved for time to live, and reset between tests.
//
//     NODE_PATH=<dir with @aws-sdk/*> node node_testing_check.cjs LOCALDYNAMO_BINARY
//
// Run by test_server_node_sdk.py, which installs the SDK.
const assert = require("node:assert/strict");
const path = require("node:path");
const ddb = require("@aws-sdk/client-dynamodb");
const { startLocalDynamo } = require(path.join(__dirname, "..", "..", "tools", "testing", "localdynamo-testing.cjs"));

const START = 1679306400000;

async function main() {
  const ld = await startLocalDynamo({ binary: process.argv[2], clock: START, ids: "sequential:1", args: ["--ttl-sweep", "0"] });
  try {
    const client = ld.client({ maxAttempts: 1 });
    await client.send(new ddb.CreateTableCommand({
      TableName: "sessions",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }));
    const created = await client.send(new ddb.DescribeTableCommand({ TableName: "sessions" }));
    assert.equal(created.Table.CreationDateTime.getTime(), START);
    await client.send(new ddb.UpdateTimeToLiveCommand({
      TableName: "sessions", TimeToLiveSpecification: { Enabled: true, AttributeName: "expires" },
    }));
    await client.send(new ddb.PutItemCommand({
      TableName: "sessions", Item: { id: { S: "a" }, expires: { N: String(START / 1000 + 60) } },
    }));
    assert.equal(await ld.now(), START);
    assert.equal(await ld.sweep(), 0);
    assert.equal(await ld.advance(61_000), START + 61_000);
    assert.equal(await ld.sweep(), 1);
    await ld.wait();
    assert.equal((await client.send(new ddb.ScanCommand({ TableName: "sessions" }))).Count, 0);
    await ld.reset();
    assert.deepEqual((await client.send(new ddb.ListTablesCommand({}))).TableNames, []);
    assert.equal(await ld.setClock(START), START);
    await assert.rejects(ld.control("no-such-control"), /404/);
    console.log("node test helper: ok");
  } finally {
    await ld.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
