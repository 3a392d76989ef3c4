#!/usr/bin/env python3
"""HTTP load benchmark: localdynamo serve vs dynalite vs the bare HTTP stack, same run.

    python3 bench/http_bench.py --build build [--duration 10] [--connections 16] [--rounds 3]

Starts `localdynamo serve --in-memory`, dynalite (in-memory; installed with npm into
bench/node_modules, git-ignored) and `http_baseline_server` (the server's own HTTP loop,
answering every request with an empty JSON body), seeds 100 partitions x 100
Cruddur messages into both DynamoDB endpoints with boto3, then drives GetItem, Query
(Limit 20, newest first) and PutItem with wrk (16 connections) and prints requests/s and
p99 latency. Each operation's requests also go to the empty handler: that is the HTTP
stack's own limit for those requests (same request sizes, same client cost), which the
"vs empty handler" column divides by; "empty handler vs dynalite" is the most any server
on this stack, doing no work at all, could show against dynalite in the same run. The empty
handler driven with one fixed request is shown too. With two cores or more, every server runs on one core with one event-loop
thread and wrk on the others with one thread per core (see PINNED); measurements still move, so the
whole set is measured `--rounds` times, interleaved (each round, per operation: the empty
handler, localdynamo, dynalite), and the table shows medians, with the range over rounds for
localdynamo and each ratio taken within a round. Query's answers are ~8 KB where the empty
handler's are 2 bytes: a second empty handler answering with as many bytes as localdynamo's
Query does is measured too, and shown below the table (the stack's limit for such answers). Also measures localdynamo's cold start
(process start to first answered request) and idle RSS, and how busy each server's core and
wrk's cores (on average) were in each run: the side near 100% set the pace.
"""
import argparse
import os
import statistics
import shutil
import re
import resource
import socket
import subprocess
import sys
import time

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))

# With two or more cores, each server runs on the first core and wrk on the others: left to
# the scheduler, the servers' and wrk's threads share both cores differently from run to run
# and the same binary measured 74k-118k req/s (empty handler); pinned, within ~10%.
PINNED = len(os.sched_getaffinity(0)) >= 2
SERVER_CORE = sorted(os.sched_getaffinity(0))[0] if PINNED else None
CLIENT_CORES = sorted(os.sched_getaffinity(0))[1:] if PINNED else None
# One event-loop thread on the one core (a second would only take turns with it, adding
# milliseconds to p99); unpinned, the server's default.
SERVER_THREADS = "1" if PINNED else "0"
# wrk: one thread per core it has (two on one core inflate its own latency figures when it
# is busy). On two cores that is one thread, and wrk's one core is what limits the fastest
# answers (GetItem, the empty handler): more cores lift that limit, not the servers' (one
# core each, dynalite's one Node.js thread and our one event loop alike).
WRK_THREADS = len(CLIENT_CORES) if PINNED else 2


def on_core(cores):
    """A preexec_fn pinning the child to a core (an int) or a list of cores; None: unpinned."""
    if cores is None:
        return None
    return lambda: os.sched_setaffinity(0, {cores} if isinstance(cores, int) else set(cores))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.01)
    return False


def client(port):
    return boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="x",
                        config=Config(retries={"max_attempts": 1}))


def seed(port):
    c = client(port)
    c.create_table(
        TableName="cruddur-messages",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("message_group_uuid", "pk", "sk")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "message-group-sk-index",
                                 "KeySchema": [{"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                                               {"AttributeName": "sk", "KeyType": "RANGE"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    for _ in range(100):
        if c.describe_table(TableName="cruddur-messages")["Table"]["TableStatus"] == "ACTIVE":
            break
        time.sleep(0.1)
    for p in range(100):
        reqs = []
        for i in range(100):
            reqs.append({"PutRequest": {"Item": {
                "pk": {"S": f"MSG#{p:08d}-5ae2-47a0-bc6d-fe2bc2700399"},
                "sk": {"S": f"2023-03-20T{i // 60:02d}:{i % 60:02d}:00.000000+00:00"},
                "message": {"S": "I think my favorite season is season 3. So many great episodes."},
                "message_uuid": {"S": "1506fa16-d775-4808-9f46-456661029af2"},
                "user_uuid": {"S": "2f1c7a1e-30e8-4c5c-9b0f-6a5b7a7d3e21"},
                "user_display_name": {"S": "Andrew Bayko"}, "user_handle": {"S": "bayko"}}}})
            if len(reqs) == 25:
                c.batch_write_item(RequestItems={"cruddur-messages": reqs})
                reqs = []


def query_answer_bytes(port):
    """The size of localdynamo's answer to the Query that query.lua sends (the same for
    every seeded partition)."""
    import http.client
    import json
    body = json.dumps({"TableName": "cruddur-messages", "KeyConditionExpression": "pk = :pk",
                       "ExpressionAttributeValues": {":pk": {"S": "MSG#00000000-5ae2-47a0-bc6d-fe2bc2700399"}},
                       "ScanIndexForward": False, "Limit": 20})
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("POST", "/", body, {"Content-Type": "application/x-amz-json-1.0",
                                     "X-Amz-Target": "DynamoDB_20120810.Query"})
    answer = conn.getresponse().read()
    conn.close()
    return len(answer)


def cpu_seconds(pid):
    """User + system CPU seconds the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(port, script, duration, connections, server_pid=None):
    """(requests/s, p99 ms, non-2xx answers, wrk's CPU busy fraction, the server's or None):
    the busy fractions tell which side set the pace (a side near 1.0 on its one core)."""
    env = dict(os.environ, LUA_DIR=os.path.join(HERE, "http"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = cpu_seconds(server_pid) if server_pid else None
    t0 = time.perf_counter()
    out = subprocess.run(["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}s", "--latency",
                          "-s", os.path.join(HERE, "http", script), f"http://127.0.0.1:{port}/"],
                         capture_output=True, text=True, env=env, check=True,
                         preexec_fn=on_core(CLIENT_CORES)).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_busy = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / wall / WRK_THREADS
    server_busy = (cpu_seconds(server_pid) - server_before) / wall if server_pid else None
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(non2xx.group(1)) if non2xx else 0, wrk_busy, server_busy


def cold_start(binary, runs=20):
    times, rss = [], []
    for _ in range(runs):
        port = free_port()
        t0 = time.perf_counter()
        proc = subprocess.Popen([binary, "serve", "--port", str(port), "--in-memory"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        body = b"{}"
        req = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
               f"X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        while True:
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=1)
                s.sendall(req)
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    s.close()
                    break
                s.close()
            except OSError:
                time.sleep(0.0002)
        times.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.2)
        with open(f"/proc/{proc.pid}/status") as f:
            rss.append(int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) / 1024)
        proc.terminate()
        proc.wait()
    times.sort()
    return times[len(times) // 2], max(rss)


def ensure_wrk():
    # The load generator is a Debian package; a fresh machine may not have it yet.
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def ensure_dynalite():
    cli = os.path.join(HERE, "node_modules", "dynalite", "cli.js")
    if not os.path.exists(cli):
        subprocess.run(["npm", "install", "--silent", "--prefix", HERE, "dynalite"], check=True)
    return cli


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    ensure_wrk()
    binary = os.path.join(args.build, "localdynamo")
    baseline = os.path.join(args.build, "http_baseline_server")
    procs = []
    try:
        ld_port, dl_port, base_port = free_port(), free_port(), free_port()
        server = dict(stdout=subprocess.DEVNULL, preexec_fn=on_core(SERVER_CORE))
        procs.append(subprocess.Popen([binary, "serve", "--port", str(ld_port), "--in-memory",
                                       "--threads", SERVER_THREADS], **server))
        procs.append(subprocess.Popen(["node", ensure_dynalite(), "--port", str(dl_port)], **server))
        procs.append(subprocess.Popen([baseline, str(base_port), SERVER_THREADS], **server))
        for p in (ld_port, dl_port, base_port):
            assert wait_port(p), f"port {p} did not open"
        seed(ld_port)
        seed(dl_port)
        answer_bytes = query_answer_bytes(ld_port)
        sized_port = free_port()
        procs.append(subprocess.Popen([baseline, str(sized_port), SERVER_THREADS, str(answer_bytes)], **server))
        assert wait_port(sized_port), f"port {sized_port} did not open"
        ops = (("GetItem", "get_item.lua"), ("Query Limit 20", "query.lua"), ("PutItem", "put_item.lua"))
        runs = {name: [] for name, _ in ops}  # per round: (localdynamo, dynalite, empty handler)
        empties = []  # the empty handler with one fixed request (ListTables, {})
        sized = []  # per round: (localdynamo's Query, the handler answering as many bytes)
        for _ in range(args.rounds):
            empties.append(wrk(base_port, "empty.lua", args.duration, args.connections))
            sized.append(wrk(sized_port, "query.lua", args.duration, args.connections))
            for name, script in ops:
                empty = wrk(base_port, script, args.duration, args.connections, procs[2].pid)
                runs[name].append((wrk(ld_port, script, args.duration, args.connections, procs[0].pid),
                                   wrk(dl_port, script, args.duration, args.connections, procs[1].pid), empty))
        cold_ms, rss_mb = cold_start(binary)
        med = statistics.median
        print(f"{args.rounds} rounds of {args.duration} s; medians (localdynamo's range over rounds)"
              + (f"; servers on core {SERVER_CORE} (one event-loop thread), wrk on core(s) {', '.join(map(str, CLIENT_CORES))} ({WRK_THREADS} thread(s))" if PINNED else ""))
        print(f"| operation ({args.connections} connections) | localdynamo req/s | p99 ms | dynalite req/s | p99 ms | ratio "
              f"| empty handler, same requests: req/s | localdynamo vs empty handler | empty handler vs dynalite |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, _ in ops:
            rs = runs[name]
            ld_rps = [ld[0] for ld, _, _ in rs]
            errors = sum(ld[2] + dl[2] for ld, dl, _ in rs)
            print(f"| {name} | {med(ld_rps):.0f} ({min(ld_rps):.0f}-{max(ld_rps):.0f}) | {med([ld[1] for ld, _, _ in rs]):.2f} "
                  f"| {med([dl[0] for _, dl, _ in rs]):.0f} | {med([dl[1] for _, dl, _ in rs]):.2f} "
                  f"| {med([ld[0] / dl[0] for ld, dl, _ in rs]):.1f}x | {med([e[0] for _, _, e in rs]):.0f} "
                  f"| {med([100 * ld[0] / e[0] for ld, _, e in rs]):.0f}% "
                  f"| {med([e[0] / dl[0] for _, dl, e in rs]):.1f}x |"
                  + (f" (non-2xx: {errors})" if errors else ""))
        e_rps = [e[0] for e in empties]
        print(f"| empty handler, one fixed request | | | | | | {med(e_rps):.0f} ({min(e_rps):.0f}-{max(e_rps):.0f}), "
              f"p99 {med([e[1] for e in empties]):.2f} ms | | |")
        # Which side set the pace: each on its own core, the one near 100% busy did.
        print(f"\n| cores busy (median) | localdynamo: server | wrk | dynalite: server | wrk | empty handler: server | wrk |")
        print("|---|---|---|---|---|---|---|")
        for name, _ in ops:
            rs = runs[name]
            cols = [f"{med([100 * run[i][k] for run in rs]):.0f}%" for i in range(3) for k in (4, 3)]
            print(f"| {name} | " + " | ".join(cols) + " |")
        q_rps = [ld[0] for ld, _, _ in runs["Query Limit 20"]]
        s_rps = [x[0] for x in sized]
        print(f"\nQuery's answers are {answer_bytes} bytes; the same HTTP stack answering the same requests with "
              f"{answer_bytes}-byte bodies (no database work): {med(s_rps):.0f} req/s ({min(s_rps):.0f}-{max(s_rps):.0f}); "
              f"localdynamo's Query: {med([100 * q / x for q, x in zip(q_rps, s_rps)]):.0f}% of it")
        print(f"\ncold start (process start to first answered request, median of 20): {cold_ms:.1f} ms")
        print(f"idle RSS: {rss_mb:.1f} MB")
    finally:
        for p in procs:
            p.terminate()
            p.wait()


if __name__ == "__main__":
    sys.exit(main())
