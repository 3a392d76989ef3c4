// Test helpers for Node.js (vitest, jest, node:test): a `localdynamo serve` of its own (in
// memory, on a free port of 127.0.0.1), AWS SDK v3 clients pointed at it, and its control API
// (clock, reset, sweep, wait).
//
//   const { startLocalDynamo } = require("localdynamo/tools/testing/localdynamo-testing.cjs");
//   let ld;
//   beforeAll(async () => { ld = await startLocalDynamo({ clock: 1679306400000, ids: "sequential" }); });
//   beforeEach(() => ld.reset());            // every test starts from an empty store
//   afterAll(() => ld.stop());
//   test("...", async () => { const ddb = ld.client(); /* ... */ await ld.advance(3600_000); });
//
// The binary: options.binary, else $LOCALDYNAMO_BINARY, else `localdynamo` on PATH. Clients
// need @aws-sdk/client-dynamodb (and -streams for streamsClient) in the project.
"use strict";
const { spawn } = require("node:child_process");
const readline = require("node:readline");

function startLocalDynamo(options = {}) {
  const binary = options.binary || process.env.LOCALDYNAMO_BINARY || "localdynamo";
  const args = ["serve", "--in-memory", "--port", "0", "--control"];
  if (options.clock !== undefined) args.push("--clock", String(options.clock));
  if (options.ids !== undefined) args.push("--ids", options.ids);
  args.push(...(options.args || []));
  const region = options.region || "us-east-1";
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`localdynamo serve exited (${code}) before listening`)));
    readline.createInterface({ input: child.stdout }).once("line", (line) => {
      const m = /http:\/\/([\d.]+):(\d+)/.exec(line);
      if (!m) {
        child.kill();
        reject(new Error(`localdynamo serve did not start: ${line}`));
        return;
      }
      child.removeAllListeners("exit");
      resolve(handle(child, `http://127.0.0.1:${m[2]}`, Number(m[2]), region));
    });
  });
}

function handle(child, endpoint, port, region) {
  const config = (extra) => ({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    ...extra,
  });
  // One call of the control API (/_localdynamo/NAME): its JSON answer; rejects with the
  // server's error when it refuses.
  async function control(name, body, method = "POST") {
    const response = await fetch(`${endpoint}/_localdynamo/${name}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: method === "GET" ? undefined : JSON.stringify(body || {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${name}: ${response.status} ${text}`);
    return JSON.parse(text);
  }
  return {
    endpoint,
    port,
    client(extra) {
      const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
      return new DynamoDBClient(config(extra));
    },
    streamsClient(extra) {
      const { DynamoDBStreamsClient } = require("@aws-sdk/client-dynamodb-streams");
      return new DynamoDBStreamsClient(config(extra));
    },
    control,
    now: async () => (await control("clock", undefined, "GET")).now,
    setClock: async (epochMillis) => (await control("clock", { set: epochMillis })).now,
    advance: async (millis) => (await control("clock", { advance: millis })).now,
    sweep: async () => (await control("sweep")).deleted,
    reset: async () => { await control("reset"); },
    wait: async () => { await control("wait"); },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}

module.exports = { startLocalDynamo };
