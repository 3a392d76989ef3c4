#!/usr/bin/env python3
"""The HTTP layer of `localdynamo serve` under abuse, through raw sockets: ambiguous framing
(two Content-Length values, Transfer-Encoding) is refused and the connection closed; the
refusals of a DynamoDB request come in DynamoDB's JSON error shape (botocore reads them as
errors, not as unreadable answers); many large bodies at once keep the server's memory within
its budget for request buffers, while small requests are still answered, and the memory goes
back afterwards; slow clients, a storm of connections, garbage and deeply nested requests at
once leave a normal client served."""
import http.client
import json
import os
import socket
import sys
import threading
import time
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None
MIB = 1024 * 1024
MAX_BODY = 16 * MIB  # DynamoDB's request size limit, the server's too
BUDGET = 64 * MIB    # what the server holds in request buffers across connections


def head(length, target="DynamoDB_20120810.ListTables", extra=""):
    return (f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {target}\r\n"
            f"Content-Type: application/x-amz-json-1.0\r\n{extra}Content-Length: {length}\r\n\r\n").encode()


def read_response(sock):
    """One response off `sock`: (status, headers by lower-case name, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"closed before a whole head: {data!r}")
        data += chunk
    raw_head, body = data.split(b"\r\n\r\n", 1)
    lines = raw_head.decode().split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("closed before a whole body")
        body += chunk
    return status, headers, body[:length]


def closed_by_server(sock):
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


class HttpAbuseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY, "--in-memory")
        cls.call("CreateTable", {"TableName": "abuse", "BillingMode": "PAY_PER_REQUEST",
                                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
        cls.call("PutItem", {"TableName": "abuse", "Item": {"pk": {"S": "a"}, "v": {"S": "hello"}}})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    @classmethod
    def call(cls, operation, request, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", cls.server.port, timeout=timeout)
        conn.request("POST", "/", body=json.dumps(request),
                     headers={"X-Amz-Target": f"DynamoDB_20120810.{operation}", "Content-Type": "application/x-amz-json-1.0"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        if r.status != 200:
            raise AssertionError(f"{operation}: {r.status} {body!r}")
        return json.loads(body)

    def connect(self, timeout=10):
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=timeout)
        self.addCleanup(sock.close)
        return sock

    def assert_dynamodb_error(self, status, headers, body, expected_status, expected_type):
        self.assertEqual(status, expected_status)
        self.assertEqual(headers["content-type"], "application/x-amz-json-1.0")
        self.assertEqual(len(headers["x-amzn-requestid"]), 52)
        self.assertEqual(int(headers["x-amz-crc32"]), zlib.crc32(body))
        error = json.loads(body)
        self.assertEqual(error["__type"].split("#")[1], expected_type)
        self.assertTrue(error["message"])

    def test_differing_content_lengths_are_refused_and_closed(self):
        for lengths in ["Content-Length: 2\r\nContent-Length: 3\r\n", "Content-Length: 2, 3\r\n"]:
            sock = self.connect()
            # Read by the first value, "{}" would be a request and what follows another.
            sock.sendall(head(2).replace(b"Content-Length: 2\r\n", lengths.encode()) + b"{}" + head(2) + b"{}")
            status, headers, body = read_response(sock)
            self.assert_dynamodb_error(status, headers, body, 400, "SerializationException")
            self.assertEqual(headers.get("connection"), "close")
            self.assertTrue(closed_by_server(sock))

    def test_a_repeated_equal_content_length_is_read_as_one(self):
        sock = self.connect()
        sock.sendall(head(2, extra="Content-Length: 2\r\n") + b"{}")
        status, _, body = read_response(sock)
        self.assertEqual(status, 200, body)
        self.assertIn("TableNames", json.loads(body))

    def test_transfer_encoding_is_refused_and_closed(self):
        chunked = head(2, extra="Transfer-Encoding: chunked\r\n")
        for request in [chunked, chunked.replace(b"Content-Length: 2\r\n", b"")]:  # with and without a length
            sock = self.connect()
            sock.sendall(request + b"2\r\n{}\r\n0\r\n\r\n")
            status, headers, body = read_response(sock)
            self.assert_dynamodb_error(status, headers, body, 400, "SerializationException")
            self.assertTrue(closed_by_server(sock))

    def test_a_body_over_the_limit_gets_413_in_dynamodbs_shape(self):
        sock = self.connect()
        sock.sendall(head(MAX_BODY + 1))
        status, headers, body = read_response(sock)
        self.assert_dynamodb_error(status, headers, body, 413, "ValidationException")

    def test_botocore_reads_the_413_as_an_error(self):
        try:
            import boto3
            from botocore.config import Config
            from botocore.exceptions import ClientError
        except ImportError:
            self.skipTest("boto3 is not installed")
        client = boto3.client("dynamodb", endpoint_url=self.server.endpoint, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x",
                              config=Config(retries={"max_attempts": 1}))
        with self.assertRaises(ClientError) as caught:
            client.put_item(TableName="abuse", Item={"pk": {"S": "big"}, "v": {"S": "x" * (MAX_BODY + 1)}})
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 413)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationException")

    def test_garbage_gets_a_plain_400(self):
        sock = self.connect()
        sock.sendall(b"\x16\x03\x01 not HTTP\r\n\r\n")
        status, headers, _ = read_response(sock)
        self.assertEqual(status, 400)
        self.assertTrue(headers["content-type"].startswith("text/plain"))

    def test_many_large_bodies_stay_within_the_budget(self):
        # 20 GetItem requests of 16 MB each (the key, then spaces), sent at once: the server
        # reads as many as its budget holds and leaves the rest in the sockets.
        pid = self.server.proc.pid
        request = b'{"TableName": "abuse", "Key": {"pk": {"S": "a"}}'
        body = request + b" " * (MAX_BODY - len(request) - 1) + b"}"
        message = head(len(body), "DynamoDB_20120810.GetItem") + body
        baseline = rss_bytes(pid)
        results, peak, done = [], [baseline], threading.Event()

        def send_one():
            sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=20)
            try:
                sock.sendall(message)
                status, _, answer = read_response(sock)
                results.append((status, json.loads(answer)))
            except Exception as e:  # noqa: BLE001 - reported by the assertion below
                results.append((None, repr(e)))
            finally:
                sock.close()

        def watch():
            while not done.is_set():
                peak[0] = max(peak[0], rss_bytes(pid))
                time.sleep(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()
        senders = [threading.Thread(target=send_one) for _ in range(20)]
        started = time.monotonic()
        for t in senders:
            t.start()
        # A small request is answered meanwhile.
        time.sleep(0.2)
        asked = time.monotonic()
        item = self.call("GetItem", {"TableName": "abuse", "Key": {"pk": {"S": "a"}}}, timeout=5)["Item"]
        small_took = time.monotonic() - asked
        self.assertEqual(item["v"], {"S": "hello"})
        for t in senders:
            t.join()
        took = time.monotonic() - started
        done.set()
        watcher.join()
        self.assertEqual([r[0] for r in results], [200] * 20, results[:3])
        self.assertTrue(all(r[1]["Item"]["v"] == {"S": "hello"} for r in results))
        grew = peak[0] - baseline
        print(f"\n  20 x 16 MB: {took:.1f} s, RSS {baseline / MIB:.0f} MB -> peak {peak[0] / MIB:.0f} MB "
              f"(+{grew / MIB:.0f} MB), GetItem meanwhile {small_took * 1000:.0f} ms", file=sys.stderr)
        self.assertLess(grew, BUDGET + 32 * MIB)
        self.assertLess(small_took, 2)
        # The memory goes back.
        for _ in range(100):
            after = rss_bytes(pid)
            if after - baseline < 16 * MIB:
                break
            time.sleep(0.02)
        print(f"  RSS after: {after / MIB:.0f} MB", file=sys.stderr)
        self.assertLess(after - baseline, 16 * MIB)

    def test_a_normal_client_is_served_through_mixed_abuse(self):
        # Issue 21's bounded abuse run: slow clients trickling a head byte by byte, a storm of
        # idle connections, garbage, and requests nested 20,000 deep, all at once, while a
        # normal client reads an item over and over. The server stays up, answers the abusers
        # what it should, and the normal client's p99 and the server's RSS are recorded.
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
        pid = self.server.proc.pid
        baseline, peak, stop = rss_bytes(pid), [0], threading.Event()
        deep = ('{"TableName":"abuse","Item":{"pk":{"S":"d"},"x":' + '{"M":{"a":' * 20000 + '{"S":"z"}' +
                '}}' * 20000 + '}}').encode()
        outcomes = {"slow": 0, "storm": 0, "garbage": 0, "deep": 0}
        lock = threading.Lock()

        def count(kind):
            with lock:
                outcomes[kind] += 1

        def slow_client():
            sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
            try:
                # To the end, however long a loaded machine takes: the count is the server's.
                for byte in head(2, "DynamoDB_20120810.ListTables"):
                    sock.sendall(bytes([byte]))
                    time.sleep(0.02)
                sock.sendall(b"{}")
                if read_response(sock)[0] == 200:
                    count("slow")
            except OSError:
                pass
            finally:
                sock.close()

        def storm(n):
            socks = []
            try:
                for _ in range(n):
                    socks.append(socket.create_connection(("127.0.0.1", self.server.port), timeout=5))
                count("storm")
                stop.wait(3)
            finally:
                for sk in socks:
                    sk.close()

        def garbage():
            for i in range(100):
                sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
                try:
                    # Random bytes ending a head, or a head with a length that is no number.
                    junk = os.urandom(64).replace(b"\r", b"").replace(b"\n", b"") + b"\r\n\r\n"
                    sock.sendall(junk if i % 2 else b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n")
                    status, _, _ = read_response(sock)
                    if status == 400:
                        count("garbage")
                except (OSError, AssertionError):
                    count("garbage")  # closed without an answer: also a refusal
                finally:
                    sock.close()

        def deep_requests():
            for _ in range(20):
                sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
                try:
                    sock.sendall(head(len(deep), "DynamoDB_20120810.PutItem") + deep)
                    status, _, body = read_response(sock)
                    if status == 400 and b"Nesting Levels have exceeded supported limits" in body:
                        count("deep")
                finally:
                    sock.close()

        def watch():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_bytes(pid))
                time.sleep(0.01)

        threads = [threading.Thread(target=slow_client) for _ in range(100)]
        threads += [threading.Thread(target=storm, args=(1000,)), threading.Thread(target=garbage),
                    threading.Thread(target=deep_requests), threading.Thread(target=watch)]
        for t in threads:
            t.start()
        latencies = []
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=5)
        body = json.dumps({"TableName": "abuse", "Key": {"pk": {"S": "a"}}})
        ends = time.monotonic() + 3
        while time.monotonic() < ends:
            began = time.monotonic()
            conn.request("POST", "/", body=body, headers={"X-Amz-Target": "DynamoDB_20120810.GetItem",
                                                          "Content-Type": "application/x-amz-json-1.0"})
            r = conn.getresponse()
            self.assertEqual(json.loads(r.read())["Item"]["v"], {"S": "hello"})
            latencies.append(time.monotonic() - began)
        stop.set()
        for t in threads:
            t.join()
        conn.close()
        latencies.sort()
        p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
        print(f"\n  mixed abuse: {len(latencies)} GetItems, p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, "
              f"max {latencies[-1] * 1000:.1f} ms; RSS {baseline / MIB:.1f} -> peak {peak[0] / MIB:.1f} MB; "
              f"answered: {outcomes}", file=sys.stderr)
        self.assertEqual(self.server.proc.poll(), None)
        self.assertEqual(outcomes["deep"], 20)
        self.assertEqual(outcomes["garbage"], 100)
        self.assertEqual(outcomes["storm"], 1)
        self.assertGreater(outcomes["slow"], 90)
        self.assertLess(p99, 0.5)
        self.assertLess(peak[0] - baseline, 64 * MIB)


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
