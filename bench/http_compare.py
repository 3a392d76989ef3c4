#!/usr/bin/env python3
"""Two builds of `localdynamo serve` side by side, for a change whose gain is smaller than
what a shared machine's speed moves by between runs.

    python3 bench/http_compare.py BEFORE/localdynamo AFTER/localdynamo [--rounds 6] [--duration 4]

Both servers run at once (pinned as http_bench.py pins them, seeded alike); each round drives
GetItem, Query and PutItem with wrk against one and then the other (the order alternating by
round), and the ratio AFTER/BEFORE is taken within the round. Prints both medians and the
median of the ratios.
"""
import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as hb  # noqa: E402

SCRIPTS = ["get_item.lua", "query.lua", "put_item.lua"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--duration", type=int, default=4)
    args = ap.parse_args()
    hb.ensure_wrk()
    servers = []
    try:
        for binary in (args.before, args.after):
            port = hb.free_port()
            servers.append((subprocess.Popen([binary, "serve", "--port", str(port), "--in-memory", "--threads", hb.SERVER_THREADS],
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                             preexec_fn=hb.on_core(hb.SERVER_CORE)), port))
            if not hb.wait_port(port):
                sys.exit(f"{binary} did not start")
            hb.seed(port)
        rps = {}
        for r in range(args.rounds):
            order = [0, 1] if r % 2 == 0 else [1, 0]
            for script in SCRIPTS:
                for which in order:
                    rps.setdefault((script, which), []).append(hb.wrk(servers[which][1], script, args.duration, 16)[0])
        for script in SCRIPTS:
            before, after = rps[(script, 0)], rps[(script, 1)]
            ratios = [a / b for a, b in zip(after, before)]
            print(f"{script}: before {statistics.median(before):,.0f} req/s, after {statistics.median(after):,.0f}; "
                  f"after/before by round {', '.join(f'{x:.3f}' for x in ratios)}; median {statistics.median(ratios):.3f}")
    finally:
        for p, _ in servers:
            p.terminate()
            p.wait()


if __name__ == "__main__":
    main()
