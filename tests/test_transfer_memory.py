"""Streaming: reading a 100 MB WordPress export needs a few megabytes, not the file's size.

The check runs in a fresh process, so its peak resident size (ru_maxrss) is the reader's own. The
baseline is the same process after Django has started; the full `import_blog` of the same file is
measured with /usr/bin/time -v and reported in docs/architecture.md.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from .big_wxr import write_big_wxr

MEGABYTE = 1024 * 1024
PROBE = """
import json, resource, sys
import django
django.setup()
from pathlib import Path
from transfer.sources import open_source

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

baseline = peak()
source = open_source(Path(sys.argv[1]))
posts = comments = 0
for post in source.posts():
    posts += 1
    comments += len(post.comments)
print(json.dumps({"baseline": baseline, "peak": peak(), "posts": posts,
                  "counted": source.post_count, "comments": comments}))
"""


def test_reading_a_100_mb_export_keeps_memory_flat(tmp_path):
    export = tmp_path / "big.xml"
    posts = write_big_wxr(export, megabytes=100)
    assert export.stat().st_size >= 100 * MEGABYTE
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(export)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
        timeout=300,
    )
    measured = json.loads(result.stdout)
    assert measured["posts"] == measured["counted"] == posts
    assert measured["comments"] == 2 * posts
    growth = measured["peak"] - measured["baseline"]
    assert growth < 25 * MEGABYTE, f"reading grew the process by {growth / MEGABYTE:.1f} MB"
