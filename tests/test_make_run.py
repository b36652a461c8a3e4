"""`make run` on a fresh checkout: production mode with no configuration; the lock it installs."""

import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.process_support import free_port, wait_for_http

UV = Path(sys.executable).with_name("uv")
# What a new machine has: no DATABASE_URL, CACHE_URL, DEBUG or SECRET_KEY of ours.
CLEAN_ENV = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}


def fresh_checkout(destination):
    """The files a clone of this checkout would have (tracked and new, minus ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = settings.BASE_DIR / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """`make run` in a fresh checkout, on a free port; stopped (gunicorn and all) afterwards."""
    checkout = fresh_checkout(tmp_path_factory.mktemp("clone"))
    port = free_port()
    log = (checkout / "run.log").open("w")
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=checkout,
        env=CLEAN_ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz/live", timeout=300, process=server)
        yield checkout, f"http://127.0.0.1:{port}"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        log.close()


def test_make_run_serves_the_sites_own_404_in_production_mode(served_site):
    _, base = served_site
    status, headers, body = fetch(f"{base}/no-such-page/")
    assert status == 404
    assert "Page not found" in body
    assert "Django tried these URL patterns" not in body  # the DEBUG page


def test_make_run_serves_the_seeded_site_over_plain_http(served_site):
    checkout, base = served_site
    status, headers, body = fetch(f"{base}/")
    assert status == 200
    assert "Strict-Transport-Security" not in headers
    assert "China and Russia Commemorate Korean War Armistice" in body  # the seed article
    assert fetch(f"{base}/healthz")[0] == 200
    assert "SECRET_KEY=" in (checkout / ".env").read_text()


def test_make_run_serves_hashed_compressed_static_files(served_site):
    checkout, base = served_site
    _, _, body = fetch(f"{base}/")
    stylesheet = next(part for part in body.split('"') if part.startswith("/static/css/site."))
    assert stylesheet != "/static/css/site.css"  # hashed name from the manifest
    request = urllib.request.Request(f"{base}{stylesheet}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]


def test_lock_matches_pyproject_and_a_changed_pyproject_fails_the_check(tmp_path):
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy2(settings.BASE_DIR / name, tmp_path / name)
    in_sync = subprocess.run([UV, "lock", "--check"], cwd=tmp_path, capture_output=True, text=True)
    assert in_sync.returncode == 0, in_sync.stderr

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            "dependencies = [\n", 'dependencies = [\n    "six>=1.16",\n', 1
        )
    )
    drifted = subprocess.run([UV, "lock", "--check"], cwd=tmp_path, capture_output=True, text=True)
    assert drifted.returncode != 0
    assert "needs to be updated" in drifted.stderr
