"""`make bench`: the site as production runs it, under load from a separate process (wrk).

For each database (the default SQLite, and PostgreSQL + Redis) it builds a fresh corpus with
`generate_content`, starts gunicorn with DEBUG off, and drives every page with wrk for --duration
seconds at --connections connections. Every row is reported as a ratio to the baseline, a trivial
view through the same settings, middleware and server, measured just before and after each page.
It then checks correctness: views counted for a fixed number of new visitors equal that number
after a flush, and an edit and a comment approval are visible on the next request.

Results go to one JSON file per run (bench/results/, see bench/README.md). Uses its own databases
(a temporary SQLite file; PostgreSQL database newsroom_bench) and Redis db 12; loopback only.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "newsroom_bench"
REDIS_URL = "redis://127.0.0.1:6379/12"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--authors", type=int, default=20)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rounds", type=int, default=1, help="pages measured this many times, interleaved"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--visitors", type=int, default=400, help="new visitors sent for the view-count check"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    unknown = set(args.databases.split(",")) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed: apt-get install -y wrk")
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database: str, workdir: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS_ONLY": "false",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
        "COMMENTS_NOTIFY": "false",
    }
    if database == "postgres":
        env |= {"DATABASE_URL": f"{PG_SERVER}/{PG_DATABASE}", "CACHE_URL": REDIS_URL}
        env["CONN_MAX_AGE"] = "60"
    else:
        # No CACHE_URL: the database cache `make run` uses, shared by all workers.
        env |= {"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"}
        env.pop("CACHE_URL", None)
    return env


def run(env: dict, *command: str) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return result.stdout


def manage(env: dict, *args: str) -> str:
    return run(env, PYTHON, "manage.py", *args)


def prepare(database: str, env: dict, args) -> tuple[dict, float]:
    if database == "postgres":
        import psycopg
        import redis

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
        redis.Redis.from_url(REDIS_URL).flushdb()
    manage(env, "migrate", "--noinput")
    if database == "sqlite":
        manage(env, "createcachetable")
    manage(env, "load_seeds")
    manage(env, "collectstatic", "--noinput")
    started = time.monotonic()
    manage(
        env,
        "generate_content",
        f"--articles={args.articles}",
        f"--comments={args.comments}",
        f"--authors={args.authors}",
        "--verbosity=0",
    )
    generated = time.monotonic() - started
    if database == "postgres":
        # As a database in service would be: statistics current, no autovacuum of the fresh
        # corpus running into the measurement.
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/{PG_DATABASE}", autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
    found = json.loads(run({**env, "PYTHONPATH": str(ROOT)}, PYTHON, "bench/targets.py"))
    return found, generated


class Server:
    def __init__(self, env: dict, workers: int):
        self.env, self.workers, self.port = env, workers, free_port()

    def __enter__(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(self.workers), "--worker-class", "sync", "--timeout", "60"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/bench/trivial/"), timeout=2).read()
                return self
            except OSError:
                time.sleep(0.3)
        self.process.kill()
        raise SystemExit("gunicorn did not start within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def peak_rss_mb(self) -> float:
        """The largest peak resident set (VmHWM) of any worker so far."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        peaks = []
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)


def fetch(url: str, visitor: str = "10.255.0.1") -> tuple[int, str, int]:
    request = urllib.request.Request(
        url,
        headers={
            "X-Forwarded-For": visitor,
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode(), int(response.headers["X-Bench-Queries"])


def wrk(server: Server, path: str, args, *, new_visitors: bool, round_number: int = 0) -> dict:
    env = {**os.environ, "BENCH_ROUND": str(round_number)}
    if new_visitors:
        env["BENCH_NEW_VISITORS"] = "1"
    output = subprocess.run(
        ["wrk", f"-t{min(2, args.connections)}", f"-c{args.connections}", f"-d{args.duration}s"]
        + ["-s", str(ROOT / "bench" / "visitors.lua"), server.url(path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = round(result["requests"] / result["seconds"], 1) if result["seconds"] else 0
    return result


def queries_per_request(server: Server, path: str, *, new_visitors: bool) -> float:
    counts = [
        fetch(server.url(path), f"10.254.0.{number + 1}" if new_visitors else "10.255.0.1")[2]
        for number in range(20)
    ]
    return sum(counts) / len(counts)


def measure(server: Server, targets: dict, args) -> list[dict]:
    """Each page for --duration seconds, --rounds times, with the baseline measured again between
    every two pages.

    A shared machine drifts by tens of percent within a minute, so a page is compared with the
    baseline runs just before and just after it: its ratio in a round is its req/s over their mean,
    and the reported ratio is the median round's (p99 alike). Req/s and latencies shown are the
    page's median round.
    """
    warmup = argparse.Namespace(**{**vars(args), "duration": 1})
    for path in targets.values():
        wrk(server, path, warmup, new_visitors=False)
    (baseline_name, baseline_path), *pages = targets.items()
    rounds = {name: [] for name in targets}
    for number in range(args.rounds):
        before = wrk(server, baseline_path, args, new_visitors=False, round_number=number)
        rounds[baseline_name].append(before)
        for name, path in pages:
            new_visitors = "new visitor" in name
            result = wrk(server, path, args, new_visitors=new_visitors, round_number=number)
            after = wrk(server, baseline_path, args, new_visitors=False, round_number=number)
            rounds[baseline_name].append(after)
            result["ratio"] = _paired(result, before, after, "rps")
            result["p99_ratio"] = _paired(result, before, after, "p99_ms")
            rounds[name].append(result)
            before = after
    for result in rounds[baseline_name]:
        result["ratio"] = result["p99_ratio"] = 1.0
    rows = []
    for name, path in targets.items():
        new_visitors = "new visitor" in name
        results = sorted(rounds[name], key=lambda result: result["rps"])
        result = results[len(results) // 2]
        result |= {
            "ratio": _median(each["ratio"] for each in rounds[name]),
            "p99_ratio": _median(each["p99_ratio"] for each in rounds[name]),
            "rounds_rps": [each["rps"] for each in rounds[name]],
            "page": name,
            "path": path,
            "queries": queries_per_request(server, path, new_visitors=new_visitors),
            "peak_rss_mb": round(server.peak_rss_mb(), 1),
        }
        rows.append(result)
    return rows


def _paired(result: dict, before: dict, after: dict, measure: str) -> float:
    reference = (before[measure] + after[measure]) / 2
    return round(result[measure] / reference, 3) if reference else 0.0


def _median(values) -> float:
    return round(statistics.median(values), 3)


def check_correctness(server: Server, env: dict, found: dict, visitors: int) -> dict:
    """Exact view counts for a known number of new visitors; no stale page after a change."""
    article_path = found["targets"]["article, new visitor each (counted)"]
    article_id = found["article_id"]
    manage(env, "flush_views")
    before = int(manage(env, "shell", "--no-imports", "-c", VIEW_TOTAL.format(article_id)))
    for number in range(visitors):
        fetch(server.url(article_path), f"10.200.{number // 256}.{number % 256}")
    manage(env, "flush_views")
    counted = (
        int(manage(env, "shell", "--no-imports", "-c", VIEW_TOTAL.format(article_id))) - before
    )
    fetch(server.url(article_path))  # the page is now in the cache
    title = f"Edited under load {secrets.token_hex(4)}"
    manage(env, "shell", "-c", EDIT_TITLE.format(article_id, title))
    edit_seen = title in fetch(server.url(article_path))[1]
    body = f"Approved under load {secrets.token_hex(4)}"
    manage(env, "shell", "-c", APPROVE_COMMENT.format(article_id, body))
    approval_seen = body in fetch(server.url(article_path))[1]
    return {
        "visitors_sent": visitors,
        "views_counted": counted,
        "edit_seen_at_once": edit_seen,
        "approval_seen_at_once": approval_seen,
    }


VIEW_TOTAL = "from articles.models import Article; print(Article.objects.get(pk={}).view_count)"
EDIT_TITLE = (
    "from articles.models import Article; a = Article.objects.get(pk={0}); "
    "a.title = {1!r}; a.save()"
)
APPROVE_COMMENT = (
    "from articles.models import Article; from comments.models import Comment; "
    "from comments import services; a = Article.objects.get(pk={0}); "
    "c = Comment.objects.create(article=a, name='Bench', email='bench@example.com', "
    "body={1!r}, reason=Comment.Reason.TRUSTED); "
    "services.moderate_comments(comments=Comment.objects.filter(pk=c.pk), status='approved', "
    "moderator=None, site_url='http://127.0.0.1')"
)


def print_table(database: str, rows: list[dict]):
    print(f"\n{database}")
    header = f"{'page':42} {'req/s':>8} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8}"
    print(header + f" {'p99/base':>8} {'SQL/req':>7} {'RSS MB':>7} {'errors':>6}")
    for row in rows:
        print(
            f"{row['page'][:42]:42} {row['rps']:8.1f} {row['ratio']:6.2f} {row['p50_ms']:8.2f} "
            f"{row['p99_ms']:8.2f} {row['p99_ratio']:8.2f} {row['queries']:7.1f} "
            f"{row['peak_rss_mb']:7.1f} {row['errors']:6d}"
        )


def main():
    args = parse_args()
    report = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "options": {k: str(v) for k, v in vars(args).items()},
        "databases": {},
    }
    print(
        f"bench: {args.articles:,} articles, {args.comments:,} comments; {args.duration} s per "
        f"page x {args.rounds} round(s) at {args.connections} connections, {args.workers} gunicorn "
        "workers"
    )
    ok = True
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory() as workdir:
            env = environment(database, Path(workdir))
            found, generated = prepare(database, env, args)
            with Server(env, args.workers) as server:
                rows = measure(server, found["targets"], args)
                correctness = check_correctness(server, env, found, args.visitors)
        print_table(database, rows)
        print(f"  corpus generated in {generated:.1f} s; correctness: {correctness}")
        ok &= correctness["views_counted"] == correctness["visitors_sent"]
        ok &= correctness["edit_seen_at_once"] and correctness["approval_seen_at_once"]
        report["databases"][database] = {
            "corpus_seconds": round(generated, 1),
            "rows": rows,
            "correctness": correctness,
        }
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2))
    print(
        "\nratio = req/s of the page / req/s of the baseline runs just before and after it, median"
        f" round; results: {path}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
