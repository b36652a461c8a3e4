"""SQLite takes concurrent writers: a burst of comments on gunicorn (2 workers x 4 threads)
against a file database is stored in full; a lock held past the busy timeout is a 503.

The server runs in its own processes on a throw-away SQLite file, exactly as `make run` or a small
deployment would, so these tests exercise the real connection settings, not the test database's
in-memory one. They run in the SQLite pass of the suite.
"""

import http.cookiejar
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite configuration; runs in the SQLite pass"
)

POSTS = 16
SLUG = "burst"
CREATE_ARTICLE = f"""
from django.contrib.auth.models import User
from django.utils import timezone
from articles.models import Article
author = User.objects.create_user("writer")
Article.objects.create(title="Burst", slug="{SLUG}", body="Text.", author=author,
                       status="published", published_at=timezone.now())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sqlite_server(tmp_path):
    """gunicorn on a fresh SQLite file; yields (base URL, database path, env)."""
    database = tmp_path / "site.sqlite3"
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_URL": "locmemcache://",
        "COMMENTS_MODERATION": "none",
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
        "COMMENTS_RATE_LIMIT": "1000/60",
        "COMMENTS_NOTIFY": "false",
        "SQLITE_BUSY_TIMEOUT": "2",
        "LOG_LEVEL": "CRITICAL",
    }
    run = {"cwd": settings.BASE_DIR, "env": env, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    subprocess.run([sys.executable, "manage.py", "shell", "-c", CREATE_ARTICLE], **run)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--threads", "4", "--worker-class", "gthread"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        yield base, database
    finally:
        server.terminate()
        server.wait(timeout=30)


class Reader:
    """One browser: fetches the article page for its CSRF cookie and form token, then posts."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()]
        self.opener = urllib.request.build_opener(*handlers)
        page = self.opener.open(f"{base}/articles/{SLUG}/", timeout=30).read().decode()
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        self.issued = re.search(r'name="issued" value="([^"]+)"', page)[1]

    def post_comment(self, number) -> int:
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "issued": self.issued,
                "name": f"Reader {number}",
                "email": f"reader{number}@example.com",
                "body": f"Comment number {number}.",
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/comments/articles/{SLUG}/",
            data=data,
            headers={"Referer": f"{self.base}/articles/{SLUG}/"},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def stored_comments(database) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM comments_comment").fetchone()[0]


def test_a_burst_of_comment_posts_is_stored_in_full(sqlite_server):
    base, database = sqlite_server
    readers = [Reader(base) for _ in range(POSTS)]
    statuses = [None] * POSTS
    start = threading.Barrier(POSTS)

    def post(number):
        start.wait()
        statuses[number] = readers[number].post_comment(number)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * POSTS
    assert stored_comments(database) == POSTS


def test_a_lock_held_past_the_busy_timeout_is_a_503_not_a_500(sqlite_server):
    base, database = sqlite_server
    reader = Reader(base)
    blocker = sqlite3.connect(database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock longer than the timeout
    try:
        data = {
            "csrfmiddlewaretoken": reader.csrf,
            "issued": reader.issued,
            "name": "Patient reader",
            "email": "patient@example.com",
            "body": "Waiting my turn.",
        }
        request = urllib.request.Request(
            f"{base}/comments/articles/{SLUG}/",
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": f"{base}/articles/{SLUG}/"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            reader.opener.open(request, timeout=60)
    finally:
        blocker.rollback()
        blocker.close()
    assert refused.value.code == 503
    assert refused.value.headers["Retry-After"]
    assert "busy" in refused.value.read().decode()
    assert reader.post_comment(1) == 302  # once the lock is gone, sending again works
