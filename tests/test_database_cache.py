"""The production default cache (DatabaseCache on SQLite, as `make run` uses it) is shared by all
gunicorn workers: `cache.add()` — what view de-duplication relies on — succeeds exactly once per key
even when several processes race for the same keys."""

import subprocess
import sys
import time

from django.conf import settings

from tests.process_support import PRODUCTION_ENV, manage, process_env

KEYS = 120
PROCESSES = 6

# Every process starts adding at the same moment, after Django has started in all of them.
RACE = f"""
import os, time
from django.core.cache import cache
time.sleep(max(0, float(os.environ["RACE_START"]) - time.time()))
won = [i for i in range({KEYS}) if cache.add(f"visitor:{{i}}", 1, timeout=600)]
print("won", *won)
"""


def test_database_cache_add_is_exact_across_processes(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": None,
    }
    created = manage("createcachetable", **env)
    assert created.returncode == 0, created.stderr

    start_at = time.time() + 5
    racers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", RACE],
            cwd=settings.BASE_DIR,
            env=process_env(**env, RACE_START=str(start_at)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    wins = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err
        line = next(line for line in out.splitlines() if line.startswith("won"))
        wins += [int(key) for key in line.split()[1:]]

    assert sorted(wins) == list(range(KEYS))  # every key won once: none twice, none lost
