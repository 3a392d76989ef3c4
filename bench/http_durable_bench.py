#!/usr/bin/env python3
"""Durable PutItem over HTTP at 1, 4, 16 and 64 connections: `localdynamo serve --data DIR`
(every write on disk before its answer; concurrent writes share a sync) beside dynalite
(in memory, no sync at all), same run.

    python3 bench/http_durable_bench.py --build build-bench [--duration 5] [--rounds 3]
        [--connections 1,4,16,64] [--data-parent DIR]

The data directory is made under --data-parent (default: the system's temporary directory;
it must be a real disk for the figures to mean anything: on tmpfs a sync costs nothing). Both
tables are seeded as http_bench.py seeds them (10,000 Cruddur messages, one GSI), then
bench/http/put_item.lua inserts new messages with wrk. Servers and wrk are pinned as in
http_bench.py (each server on the first core, wrk on the others). Per connection count, the
median over rounds of: requests/s and p99 for both, the server's CPU time per request, and
the ratios the issue asks for: localdynamo at N connections against its 1-connection rate,
and against dynalite's rate at N.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as hb  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-bench")
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", default="1,4,16,64")
    ap.add_argument("--data-parent", default=tempfile.gettempdir())
    args = ap.parse_args()
    counts = [int(c) for c in args.connections.split(",")]
    hb.ensure_wrk()
    dynalite = hb.ensure_dynalite()
    data = tempfile.mkdtemp(prefix="ld_durable_bench_", dir=args.data_parent)
    procs = []
    try:
        ld_port, dl_port = hb.free_port(), hb.free_port()
        procs.append(subprocess.Popen(
            [os.path.join(args.build, "localdynamo"), "serve", "--port", str(ld_port), "--data", data,
             "--threads", hb.SERVER_THREADS],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=hb.on_core(hb.SERVER_CORE)))
        procs.append(subprocess.Popen(["node", dynalite, "--port", str(dl_port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      preexec_fn=hb.on_core(hb.SERVER_CORE)))
        for port in (ld_port, dl_port):
            if not hb.wait_port(port):
                sys.exit(f"a server on port {port} did not start")
            hb.seed(port)
        runs = {n: [] for n in counts}
        for _ in range(args.rounds):
            for n in counts:
                ld = hb.wrk(ld_port, "put_item.lua", args.duration, n, procs[0].pid)
                dl = hb.wrk(dl_port, "put_item.lua", args.duration, n, procs[1].pid)
                runs[n].append((ld, dl))
        print(f"Durable PutItem (localdynamo serve --data on {args.data_parent}) vs dynalite (in memory); "
              f"{args.rounds} round(s) of {args.duration} s, medians"
              + (f"; servers on core {hb.SERVER_CORE}, wrk on core(s) {', '.join(map(str, hb.CLIENT_CORES))}"
                 if hb.PINNED else ""))
        print("\n| connections | localdynamo req/s | p99 ms | server CPU µs/req | vs its 1-connection rate "
              "| dynalite req/s | p99 ms | localdynamo / dynalite | non-2xx |")
        print("|---|---|---|---|---|---|---|---|---|")
        base = statistics.median(r[0][0] for r in runs[counts[0]])
        for n in counts:
            ld_rps = statistics.median(r[0][0] for r in runs[n])
            ld_p99 = statistics.median(r[0][1] for r in runs[n])
            cpu_us = statistics.median(r[0][4] / r[0][0] * 1e6 for r in runs[n])
            dl_rps = statistics.median(r[1][0] for r in runs[n])
            dl_p99 = statistics.median(r[1][1] for r in runs[n])
            ratio = statistics.median(r[0][0] / r[1][0] for r in runs[n])
            non2xx = sum(r[0][2] + r[1][2] for r in runs[n])
            print(f"| {n} | {ld_rps:,.0f} | {ld_p99:.2f} | {cpu_us:.0f} | {ld_rps / base:.1f}x "
                  f"| {dl_rps:,.0f} | {dl_p99:.2f} | {ratio:.2f}x | {non2xx} |")
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
