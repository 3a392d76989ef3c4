"""`localdynamo serve --data DIR` (durable): item writes are handled off the event loop, so that
concurrent writers share a sync (group commit), and each is answered only once it is on disk.
Through raw sockets and boto3: many connections writing at once all get their answers and
every answered write is there, also after a restart; answers on one connection keep the order
of its requests (a read sent behind a write sees it); a client that half-closes after its
write still gets the answer; SIGTERM with writes in flight answers them before exiting."""
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import unittest

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_fixture import Server, run_tests  # noqa: E402

BINARY = None


def request_bytes(target, payload):
    body = json.dumps(payload).encode()
    return (f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.{target}\r\n"
            f"Content-Type: application/x-amz-json-1.0\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


class Responses:
    """Reads responses off a socket one after the other, keeping what follows each."""

    def __init__(self, sock):
        self.sock, self.data = sock, b""

    def _more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise AssertionError(f"closed with {self.data!r} unread")
        self.data += chunk

    def next(self):
        while b"\r\n\r\n" not in self.data:
            self._more()
        head, rest = self.data.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = int(headers["content-length"])
        self.data = rest
        while len(self.data) < length:
            self._more()
        body, self.data = self.data[:length], self.data[length:]
        return int(lines[0].split(" ")[1]), json.loads(body)


class DurableServerTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ld_durable_")
        self.server = Server(BINARY, "--data", self.dir)
        self.client = self.client_for(self.server)
        self.client.create_table(TableName="durable", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                 BillingMode="PAY_PER_REQUEST")

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    @staticmethod
    def client_for(server):
        return boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                            aws_access_key_id="x", aws_secret_access_key="x")

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.server.port), timeout=10)

    def keys_stored(self, client):
        keys, kwargs = set(), {"TableName": "durable"}
        while True:
            page = client.scan(**kwargs)
            keys |= {item["pk"]["S"] for item in page["Items"]}
            if "LastEvaluatedKey" not in page:
                return keys
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def test_concurrent_writers_are_all_answered_and_kept(self):
        answered, errors, lock = set(), [], threading.Lock()

        def writer(t):
            sock = self.connect()
            responses = Responses(sock)
            try:
                for i in range(40):
                    key = f"w{t}-{i}"
                    sock.sendall(request_bytes("PutItem", {"TableName": "durable", "Item": {"pk": {"S": key}}}))
                    status, body = responses.next()
                    with lock:
                        (answered.add(key) if status == 200 else errors.append(body))
            finally:
                sock.close()

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(answered), 16 * 40)
        self.assertEqual(self.keys_stored(self.client), answered)
        # And after a restart on the same directory.
        self.assertEqual(self.server.stop(), 0)
        self.server = Server(BINARY, "--data", self.dir)
        self.assertEqual(self.keys_stored(self.client_for(self.server)), answered)

    def test_answers_keep_the_order_of_a_connections_requests(self):
        sock = self.connect()
        responses = Responses(sock)
        # A write, a read of it, a conditional write that must fail because of the first, and a
        # read again: sent at once, answered in order, each seeing those before it.
        sock.sendall(request_bytes("PutItem", {"TableName": "durable", "Item": {"pk": {"S": "p"}, "v": {"N": "1"}}}) +
                     request_bytes("GetItem", {"TableName": "durable", "Key": {"pk": {"S": "p"}}}) +
                     request_bytes("PutItem", {"TableName": "durable", "Item": {"pk": {"S": "p"}, "v": {"N": "2"}},
                                               "ConditionExpression": "attribute_not_exists(pk)"}) +
                     request_bytes("GetItem", {"TableName": "durable", "Key": {"pk": {"S": "p"}}}))
        self.assertEqual(responses.next(), (200, {}))
        self.assertEqual(responses.next(), (200, {"Item": {"pk": {"S": "p"}, "v": {"N": "1"}}}))
        status, body = responses.next()
        self.assertEqual(status, 400)
        self.assertTrue(body["__type"].endswith("ConditionalCheckFailedException"))
        self.assertEqual(responses.next(), (200, {"Item": {"pk": {"S": "p"}, "v": {"N": "1"}}}))
        sock.close()

    def test_a_client_that_half_closes_still_gets_its_answer(self):
        sock = self.connect()
        sock.sendall(request_bytes("PutItem", {"TableName": "durable", "Item": {"pk": {"S": "h"}}}))
        sock.shutdown(socket.SHUT_WR)
        self.assertEqual(Responses(sock).next(), (200, {}))
        self.assertEqual(sock.recv(1), b"")  # then closed
        sock.close()
        self.assertIn("h", self.keys_stored(self.client))

    def test_sigterm_answers_the_writes_in_flight(self):
        answered, lock, stop = set(), threading.Lock(), threading.Event()

        def writer(t):
            sock = self.connect()
            responses = Responses(sock)
            try:
                for i in range(100000):
                    if stop.is_set():
                        return
                    key = f"s{t}-{i}"
                    sock.sendall(request_bytes("PutItem", {"TableName": "durable", "Item": {"pk": {"S": key}}}))
                    status, _ = responses.next()
                    if status == 200:
                        with lock:
                            answered.add(key)
            except (OSError, AssertionError):
                return  # closed by the stopping server
            finally:
                sock.close()

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(8)]
        for t in threads:
            t.start()
        while len(answered) < 100:
            threading.Event().wait(0.01)
        self.assertEqual(self.server.stop(), 0)
        stop.set()
        for t in threads:
            t.join()
        self.server = Server(BINARY, "--data", self.dir)
        stored = self.keys_stored(self.client_for(self.server))
        self.assertLessEqual(answered, stored)  # every answered write is there


if __name__ == "__main__":
    run_tests(sys.modules[__name__])
