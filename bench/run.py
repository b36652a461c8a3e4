"""`make bench`: the site under load, served by gunicorn on PostgreSQL, driven from another process.

Measures the article page three ways in one run and reports each as a ratio to the first:
- baseline: the article page fetched by a crawler (rendered, but no view is counted);
- counted views in direct mode (local-memory cache: one database write per view);
- counted views in buffered mode (Redis cache: increments buffered in Redis, flushed in batches);
plus the home page. Every counted request comes from a new visitor (a distinct X-Forwarded-For
address, with TRUSTED_PROXY_COUNT=1), the worst case for counting. After each mode the buffer is
flushed and the article's total is checked against the number of counted requests.

Uses its own database (newsroom_bench) and Redis db 12; targets only 127.0.0.1.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "3000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
DATABASE = "newsroom_bench"
REDIS_URL = "redis://127.0.0.1:6379/12"
ARTICLE = "/articles/china-and-russia-commemorate-korean-war-armistice-in-north-korea/"
ARTICLE_SLUG = ARTICLE.strip("/").split("/")[-1]
CRAWLER_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(static_root: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{PG_SERVER}/{DATABASE}",
        "CONN_MAX_AGE": "60",
        "STATIC_ROOT": static_root,
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def recreate_database():
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def view_total(env: dict) -> int:
    with psycopg.connect(env["DATABASE_URL"]) as connection:
        row = connection.execute(
            "SELECT view_count FROM articles_article WHERE slug = %s", [ARTICLE_SLUG]
        ).fetchone()
    return row[0]


class Server:
    def __init__(self, env: dict):
        self.env = env
        self.port = free_port()
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/"), timeout=2).read()
                return self
            except OSError:
                time.sleep(0.3)
        self.process.kill()
        raise SystemExit("gunicorn did not start within 30 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def load(server: Server, path: str, *extra: str) -> dict:
    output = subprocess.run(
        [
            PYTHON,
            str(ROOT / "bench" / "loadgen.py"),
            server.url(path),
            "--requests",
            str(REQUESTS),
            "--concurrency",
            str(CONCURRENCY),
            *extra,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def run_mode(env: dict, label: str, results: list):
    with Server(env) as server:
        load(server, ARTICLE, "--requests", "200")  # warm up caches and connections
        before = view_total(env)
        results.append(
            (
                f"article, crawler (not counted), {label}",
                load(server, ARTICLE, "--user-agent", CRAWLER_UA),
            )
        )
        counted = load(server, ARTICLE, "--distinct-clients")
        results.append((f"article, new visitor each (counted), {label}", counted))
        results.append((f"home page, {label}", load(server, "/")))
    manage(env, "flush_views")
    expected = before + counted["requests"] - counted["errors"]
    actual = view_total(env)
    verdict = "exact" if actual == expected else "MISMATCH"
    print(f"  {label}: view total after flush {actual}, expected {expected} ({verdict})")
    return actual == expected


def main():
    with tempfile.TemporaryDirectory() as static_root:
        env = base_env(static_root)
        print(f"bench: {REQUESTS} requests per scenario, {CONCURRENCY} concurrent clients")
        recreate_database()
        manage(env, "migrate", "--noinput")
        manage(env, "load_seeds")
        manage(env, "collectstatic", "--noinput")
        results = []
        exact = run_mode({**env, "CACHE_URL": "locmemcache://"}, "direct", results)
        redis.Redis.from_url(REDIS_URL).flushdb()
        exact &= run_mode({**env, "CACHE_URL": REDIS_URL}, "buffered", results)
    baseline = results[0][1]["rps"]
    print(f"\n{'scenario':52} {'req/s':>8} {'ratio':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    for name, result in results:
        ratio = result["rps"] / baseline if baseline else 0
        print(
            f"{name:52} {result['rps']:8.1f} {ratio:6.2f} {result['p50_ms']:8.2f} "
            f"{result['p95_ms']:8.2f} {result['errors']:6d}"
        )
    print("\nratio = requests per second / the first row's, measured in this run")
    sys.exit(0 if exact else 1)


if __name__ == "__main__":
    main()
