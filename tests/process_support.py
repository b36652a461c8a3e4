"""Running the project in separate processes, as production does: `manage.py` commands under a given
environment, free ports for servers, waiting for a server to answer."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings

from tests.conftest import TEST_REDIS_URL

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "blog.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
    "CACHE_URL": TEST_REDIS_URL,
}


def process_env(**overrides):
    """This environment less DEBUG and SECRET_KEY, plus `overrides`; an override of None removes
    the variable, so the setting's own default applies. The checkout's .env still applies below."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(*args, **env_overrides):
    """`manage.py ARGS` in a new process under `process_env(**env_overrides)`."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=process_env(**env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def django_shell(code, **env_overrides):
    """Run Python `code` inside `manage.py shell` under the given environment."""
    return manage("shell", "-c", code, **env_overrides)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port():
    """A local port nobody listens on: connecting to it is refused at once."""
    return free_port()


def wait_for_http(url, *, timeout, process=None):
    """Poll `url` until it answers at all (any status); fail early if `process` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")
