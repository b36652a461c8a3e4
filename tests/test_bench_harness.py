"""`make bench` on a tiny corpus, so the harness cannot rot: it starts gunicorn, drives it with wrk,
and writes its table and JSON, including the correctness checks."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_tiny_bench_run_reports_every_page_and_checks_correctness(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--databases", "sqlite", "--articles", "30"]
        + ["--comments", "120", "--authors", "2", "--duration", "1", "--connections", "4"]
        + ["--visitors", "30", "--rounds", "2"]
        + ["--output", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ratio" in result.stdout
    report = json.loads(next(tmp_path.glob("bench-*.json")).read_text())
    sqlite = report["databases"]["sqlite"]
    pages = {row["page"] for row in sqlite["rows"]}
    assert {"baseline (trivial view)", "home", "article, repeat visitor", "author"} <= pages
    assert all(row["requests"] > 0 and row["errors"] == 0 for row in sqlite["rows"])
    baseline, *measured = sqlite["rows"]
    assert all(len(row["rounds_rps"]) == 2 for row in measured)
    assert len(baseline["rounds_rps"]) == 2 * (1 + len(measured)), "again after every page"
    assert baseline["ratio"] == 1.0 and all(row["ratio"] > 0 for row in measured)
    correctness = sqlite["correctness"]
    assert correctness["views_counted"] == correctness["visitors_sent"]
    assert correctness["edit_seen_at_once"] and correctness["approval_seen_at_once"]
