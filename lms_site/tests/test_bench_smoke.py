"""A short run of `make bench` (bench/endpoints.py) on small data: it fails on errors, never on timings."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .test_celery_worker import redis_url  # noqa: F401 - the test Redis, or a skip (a failure on CI)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the benchmark runs on PostgreSQL")
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is missing (apt-get install wrk)")
        pytest.skip("wrk is missing")
    parts = urlparse(url)
    return parts._replace(path=f"{parts.path}_bench_smoke").geturl()


def test_the_benchmark_serves_every_endpoint_without_an_error(bench_database_url, redis_url, tmp_path):  # noqa: F811
    report = tmp_path / "performance.md"
    report.write_text("# Performance\n")
    environment = {**os.environ, "DATABASE_URL": bench_database_url, "REDIS_URL": redis_url}
    command = [sys.executable, "-m", "bench.endpoints", "--scale", "1", "--seconds", "1", "--workers", "2"]

    run = subprocess.run(  # noqa: S603 - our own benchmark
        [*command, "--port", "8799", "--write", str(report)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    rows = [line for line in report.read_text().splitlines() if line.startswith("| ") and "req/s" not in line]
    assert len(rows) == 11
    assert all(row.endswith("| 0 |") for row in rows)
