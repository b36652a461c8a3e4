"""Load generator for `make bench`: runs in its own process, talks HTTP to a real server.

    python bench/loadgen.py URL --requests 2000 --concurrency 8 [--distinct-clients]

Prints one JSON line: requests, errors, seconds, requests per second, p50/p95 latency in ms.
Bounded by --requests and --timeout; only loopback addresses are accepted.
"""

import argparse
import http.client
import ipaddress
import json
import statistics
import threading
import time
import urllib.parse

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--user-agent", default=BROWSER_UA)
    parser.add_argument(
        "--distinct-clients",
        action="store_true",
        help="Send a different X-Forwarded-For address with every request (a new visitor each).",
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="Stop after this many seconds."
    )
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.url).hostname
    if not ipaddress.ip_address(host if host != "localhost" else "127.0.0.1").is_loopback:
        parser.error("the benchmark only targets loopback addresses")
    return args


def main():
    args = parse_args()
    url = urllib.parse.urlsplit(args.url)
    path = url.path + (f"?{url.query}" if url.query else "")
    counter = iter(range(args.requests))
    lock = threading.Lock()
    latencies, errors = [], []
    deadline = time.monotonic() + args.timeout

    def worker():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            headers = {"User-Agent": args.user_agent}
            if args.distinct_clients:
                headers["X-Forwarded-For"] = str(ipaddress.ip_address("10.0.0.0") + number)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                (latencies if ok else errors).append(elapsed)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    print(
        json.dumps(
            {
                "requests": len(latencies) + len(errors),
                "errors": len(errors),
                "seconds": round(seconds, 3),
                "rps": round(len(latencies) / seconds, 1) if seconds else 0.0,
                "p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
                "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2)
                if latencies
                else None,
            }
        )
    )


if __name__ == "__main__":
    main()
