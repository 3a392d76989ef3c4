#!/usr/bin/env python3
"""Instructions the server executes per request, under callgrind (which, unlike timings on a
shared machine, do not move from run to run).

    python3 bench/http_instructions.py --build build-bench [--op GetItem|Query|PutItem] [--requests 2000] [--seeded]

Starts `localdynamo serve --in-memory --threads 1` under valgrind's callgrind, puts 100
Cruddur-shaped messages into one partition, zeroes the counters, sends the requests over one
keep-alive connection, dumps, and prints the event loop's instructions per request
(HttpLoop::Loop, inclusive) with the largest parts under it.
"""
import argparse
import glob
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as hb  # noqa: E402

PK = {"S": "MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399"}


def item(i):
    return {"pk": PK, "sk": {"S": f"2023-03-{i:04d}T10:00:00.000000+00:00"},
            "message_group_uuid": {"S": "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"},
            "message": {"S": f"hello there, this is message {i}"},
            "user_uuid": {"S": "2f1c7a1e-30e8-4c5c-9b0f-6a5b7a7d3e21"},
            "user_display_name": {"S": "Andrew Bayko"}, "user_handle": {"S": "bayko"}}


# --seeded: the HTTP benchmark's table (bench/http_bench.py seeds 100 x 100 Cruddur messages
# and a GSI) and its requests' shapes, for costs that grow with the table (LMDB's searches).
SEEDED_BODIES = {
    "GetItem": lambda i: {"TableName": "cruddur-messages", "Key": {
        "pk": {"S": f"MSG#{i % 100:08d}-5ae2-47a0-bc6d-fe2bc2700399"},
        "sk": {"S": f"2023-03-20T{(i * 7 % 100) // 60:02d}:{(i * 7 % 100) % 60:02d}:00.000000+00:00"}}},
    "Query": lambda i: {"TableName": "cruddur-messages", "KeyConditionExpression": "pk = :pk",
                        "ExpressionAttributeValues": {":pk": {"S": f"MSG#{i % 100:08d}-5ae2-47a0-bc6d-fe2bc2700399"}},
                        "ScanIndexForward": False, "Limit": 20},
    "PutItem": lambda i: {"TableName": "cruddur-messages", "Item": {
        "pk": {"S": f"MSG#{100 + i % 100:08d}-5ae2-47a0-bc6d-fe2bc2700399"},
        "sk": {"S": f"w{i * 7919 % 10000000:07d}-{i:010d}"}, "message_group_uuid": {"S": "g"},
        "message": {"S": "I think my favorite season is season 3."}, "user_handle": {"S": "bayko"}}},
}

BODIES = {
    "GetItem": lambda i: {"TableName": "msgs", "Key": {"pk": PK, "sk": item(i % 100)["sk"]}},
    "Query": lambda i: {"TableName": "msgs", "KeyConditionExpression": "pk = :pk",
                        "ExpressionAttributeValues": {":pk": PK}, "ScanIndexForward": False, "Limit": 20},
    "PutItem": lambda i: {"TableName": "msgs", "Item": item(i % 100)},
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-bench")
    ap.add_argument("--op", default="GetItem", choices=sorted(BODIES))
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--keep", metavar="FILE", help="copy callgrind's dump there (for callgrind_annotate --tree=caller)")
    ap.add_argument("--seeded", action="store_true",
                    help="the HTTP benchmark's 10,000-message table and request shapes instead of 100 messages")
    ap.add_argument("--threshold", type=float, default=0.04,
                    help="smallest share of the loop's instructions listed (default 0.04)")
    ap.add_argument("--self", type=int, default=0, metavar="N",
                    help="also print the N functions with the most instructions of their own")
    args = ap.parse_args()
    out_dir = tempfile.mkdtemp()
    out = os.path.join(out_dir, "callgrind.out")
    port = hb.free_port()
    srv = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                            os.path.join(args.build, "localdynamo"), "serve", "--port", str(port), "--in-memory",
                            "--threads", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not hb.wait_port(port, 60):
            sys.exit("serve did not start under valgrind")
        c = hb.client(port)
        bodies = SEEDED_BODIES if args.seeded else BODIES
        if args.seeded:
            hb.seed(port)
        else:
            c.create_table(TableName="msgs", BillingMode="PAY_PER_REQUEST",
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                 {"AttributeName": "sk", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
            for i in range(100):
                c.put_item(TableName="msgs", Item=item(i))
        conn = http.client.HTTPConnection("127.0.0.1", port)
        subprocess.run(["callgrind_control", "-z", str(srv.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        for i in range(args.requests):
            conn.request("POST", "/", json.dumps(bodies[args.op](i)),
                         {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"DynamoDB_20120810.{args.op}"})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                sys.exit(f"{args.op} answered {r.status}")
        subprocess.run(["callgrind_control", "-d", str(srv.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        time.sleep(1)
    finally:
        srv.terminate()
        srv.wait()
    dump = sorted(glob.glob(out + ".*"))[-1]
    if args.keep:
        shutil.copyfile(dump, args.keep)
    report = subprocess.run(["callgrind_annotate", "--inclusive=yes", dump], capture_output=True, text=True).stdout
    rows = []
    for line in report.splitlines():
        m = re.match(r"\s*([\d,]+) \([\d. %]+\)\s+\S*?:(.*?)(?: \[.*\])?$", line)
        if m:
            rows.append((int(m.group(1).replace(",", "")), m.group(2)))
    loop = next((n for n, name in rows if "HttpLoop::Loop(int)" in name), None)
    if loop is None:
        sys.exit("no HttpLoop::Loop in the profile")
    print(f"{args.op}: {loop / args.requests:,.0f} instructions per request in the event loop "
          f"({args.requests} requests)")
    for n, name in rows:
        if n < loop and n >= loop * args.threshold and "localdynamo::" in name and not name.startswith("std::"):
            short = name.replace("(anonymous namespace)::", "").replace("[abi:cxx11]", "").split("(")[0]
            print(f"  {n / args.requests:>8,.0f}  {short[:110]}")
    if args.self:
        own = subprocess.run(["callgrind_annotate", "--threshold=100", "--inclusive=no", dump],
                             capture_output=True, text=True).stdout
        print("instructions of their own, per request:")
        for line in own.splitlines():
            m = re.match(r"\s*([\d,]+) \([\d. %]+\)\s+\S*?:(.*?)(?: \[.*\])?$", line)
            if not m or args.self <= 0:
                continue
            n = int(m.group(1).replace(",", ""))
            if n >= 0.9 * loop:  # the thread's entry points, which callgrind charges with everything
                continue
            args.self -= 1
            print(f"  {n / args.requests:>8,.0f}  {m.group(2)[:110]}")


if __name__ == "__main__":
    main()
