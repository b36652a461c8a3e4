"""A Redis that accepts connections but never answers costs a request a timeout, not the page.

The site runs in a subprocess with its real settings, its cache pointed at a socket that listens and
never replies. The subprocess reports the timeouts its Redis client really uses (redis-py's default
is 5 s per call), and has a hard deadline so that a hang fails the test instead of the suite.
"""

import json
import socket
import subprocess
import sys
import threading

import pytest
from django.conf import settings

SITE_VISIT = """
import json
from django.core.cache import cache
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone
from articles.models import Article
from comments.forms import issue_form_token
from django.contrib.auth.models import User

setup_test_environment()
article = Article.objects.create(title="Hung", slug="hung", body="Text.", status="published",
                                 published_at=timezone.now(),
                                 author=User.objects.create_user("writer"))
client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
comment = {"name": "Ada", "email": "ada@example.com", "body": "Hello.",
           "issued": issue_form_token(article.pk)}
print(json.dumps({
    "options": {key: cache._cache._pool_options.get(key)
                for key in ("socket_connect_timeout", "socket_timeout")},
    "home": client.get("/").status_code,
    "article": client.get("/articles/hung/").status_code,
    "comment": client.post("/comments/articles/hung/", comment).status_code,
}))
"""


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "LOG_LEVEL": "CRITICAL", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


class SilentRedis:
    """A TCP server that accepts connections, counts them and never sends a byte."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.url = f"redis://127.0.0.1:{self.server.getsockname()[1]}/0"
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.connections.append(self.server.accept()[0])
            except OSError:  # closed at the end of the test
                return

    def close(self):
        self.server.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def silent_redis():
    server = SilentRedis()
    yield server
    server.close()


def test_a_redis_cache_gets_connect_and_read_timeouts_by_default():
    printed = manage(
        "shell",
        "--no-imports",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default'].get('OPTIONS', {})))",
        CACHE_URL="redis://127.0.0.1:6379/0",
    )
    options = json.loads(printed.stdout)
    assert options.get("socket_connect_timeout") == 0.25
    assert options.get("socket_timeout") == 0.25


@pytest.fixture
def site_database(tmp_path):
    environment = {"DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    manage("migrate", "--noinput", **environment)
    return environment


def visit_site(environment):
    # check=True and timeout=60: a hang or a crash fails here.
    return json.loads(manage("shell", "--no-imports", "-c", SITE_VISIT, **environment).stdout)


def test_pages_and_comment_posts_answer_when_redis_never_replies(silent_redis, site_database):
    visit = visit_site(
        site_database | {"CACHE_URL": silent_redis.url, "CACHE_REDIS_TIMEOUT": "0.1"}
    )

    assert visit["options"] == {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}
    assert visit["home"] == 200
    assert visit["article"] == 200
    assert visit["comment"] == 302
    # The first timeout marks Redis down: the three requests' other cache calls never wait.
    assert len(silent_redis.connections) == 1


def test_redis_is_tried_again_after_the_pause(silent_redis, site_database):
    environment = site_database | {
        "CACHE_URL": silent_redis.url,
        "CACHE_REDIS_TIMEOUT": "0.05",
        "CACHE_REDIS_RETRY_AFTER": "0",
    }
    visit = visit_site(environment)

    assert (visit["home"], visit["article"], visit["comment"]) == (200, 200, 302)
    assert len(silent_redis.connections) >= 3, "without a pause, every request tries Redis"
