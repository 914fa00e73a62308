"""Bounded load test of the SPARQL endpoint on loopback: N clients asking the example queries for S seconds.

Loads the corpus into a temporary store, serves it, and prints throughput and p50/p99 latency.
Run: `.venv/bin/python bench/load_endpoint.py [--clients 50] [--seconds 20] [--workers 2]`.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "examples" / "queries").glob("*.rq"))


def start_endpoint(store: Path, workers: int, cache_mb: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """The endpoint as a subprocess on a free port, once it says it is serving."""
    with log.open("wb") as err:
        command = [sys.executable, "-m", "engine", "serve", "--store", str(store), "--port", "0"]
        command += ["--workers", str(workers), "--cache-mb", str(cache_mb)]
        server = subprocess.Popen(command, stderr=err, cwd=ROOT)
    deadline = time.monotonic() + 60
    while not (match := re.search(r"serving .* at http://127\.0\.0\.1:(\d+)/query", log.read_text())):
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"endpoint did not start: {log.read_text()}")
        time.sleep(0.1)
    return server, int(match.group(1))


def client(port: int, until: float, latencies: list[float], failures: list[int], offset: int) -> None:
    """One keep-alive client asking the example queries in turn until `until`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = offset
    while time.monotonic() < until:
        body = urllib.parse.urlencode({"query": QUERIES[i % len(QUERIES)].read_text(encoding="utf-8")})
        i += 1
        started = time.monotonic()
        try:
            conn.request("POST", "/query", body, {"Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            failures.append(0)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(time.monotonic() - started)
        if response.status != 200:
            failures.append(response.status)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache-mb", type=int, default=64, help="the endpoint's answer cache; 0: none")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        corpus = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))
        load = [sys.executable, "-m", "engine.cli", "load", *map(str, corpus), "--store", str(store)]
        subprocess.run(load, cwd=ROOT, capture_output=True, check=False)
        server, port = start_endpoint(store, args.workers, args.cache_mb, Path(tmp) / "endpoint.log")
        try:
            latencies: list[float] = []
            failures: list[int] = []
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=client, args=(port, until, latencies, failures, i))
                for i in range(args.clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.terminate()
            server.wait(10)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(
        f"{args.clients} clients, {args.seconds:g} s, {args.workers} workers, answer cache {args.cache_mb} MB, "
        f"{len(QUERIES)} example queries, "
        f"{len(corpus)} documents"
    )
    print(
        f"{len(latencies)} answers ({len(latencies) / args.seconds:.1f}/s), {len(failures)} not 200; "
        f"p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms, max {max(latencies, default=0) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
