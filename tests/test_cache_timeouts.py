"""A Redis that accepts connections but never answers costs a request a timeout, not the page.

The site runs in a subprocess with its real settings, its cache pointed at a socket that listens and
never replies. The subprocess reports the timeouts its Redis client really uses (redis-py's default
is 5 s per call), and has a hard deadline so that a hang fails the test instead of the suite.
"""

import json
import socket
import subprocess
import sys

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
Article.objects.create(title="Hung", slug="hung", body="Text.", status="published",
                       published_at=timezone.now(), author=User.objects.create_user("writer"))
client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
comment = {"name": "Ada", "email": "ada@example.com", "body": "Hello.",
           "issued": issue_form_token()}
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


@pytest.fixture
def silent_redis():
    """A TCP socket that accepts connections (the kernel's backlog) and never sends a byte."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


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


def test_pages_and_comment_posts_answer_when_redis_never_replies(silent_redis, tmp_path):
    environment = {"DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    manage("migrate", "--noinput", **environment)
    environment |= {"CACHE_URL": silent_redis, "CACHE_REDIS_TIMEOUT": "0.1"}

    # check=True and timeout=60: a hang or a crash fails here.
    visit = json.loads(manage("shell", "--no-imports", "-c", SITE_VISIT, **environment).stdout)

    assert visit["options"] == {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}
    assert visit["home"] == 200
    assert visit["article"] == 200
    assert visit["comment"] == 302
