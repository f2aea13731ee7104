"""Endpoint benchmark: each endpoint alone under wrk, against a bare Django floor, with its SQL count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python -m bench.endpoints --scale 100 --write docs/performance.md

With --scale N the database named in DATABASE_URL (its name must contain "bench") is dropped, created,
migrated and seeded with `seed_demo --scale N` first, progress shown. Then gunicorn with the production
settings and config/gunicorn.py serves on loopback and wrk (-t2 -c16 by default) drives one endpoint at a
time: requests per second, p50 and p99 latency, errors (non-2xx and socket errors), the ratio of its
throughput to the floor's (bench/floor.py: 20 course rows as JSON, one query) and the SQL queries one
warm request runs. Exits non-zero on any error, whatever the timings.
"""

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from .load import HOST, ROOT, _environment, _path, _wait_until_up

SCALE_DOMAIN = "scale.example.com"
DURATION_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass
class Endpoint:
    name: str
    path: str
    signed_in: bool = False


@dataclass
class Measure:
    endpoint: Endpoint
    rate: float
    p50: float
    p99: float
    errors: int
    queries: int


def fresh_database(scale: int, environment: dict) -> None:
    """Drop, create, migrate and seed the benchmark's database, showing the seeder's progress."""
    import psycopg2

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop {name!r}: the benchmark's database name must contain 'bench'.")
    _progress(f"recreating database {name}")
    connection = psycopg2.connect(url._replace(path="/postgres").geturl())
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    for command in (["migrate", "-v1"], ["seed_demo", "--scale", str(scale)]):
        _progress(f"manage.py {' '.join(command)}")
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=environment, check=True)  # noqa: S603


def _progress(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)  # noqa: T201


def endpoints_and_cookie() -> tuple[list[Endpoint], str]:
    """The endpoints, on a published course and a scale student with enrolments, and that student's
    session cookie."""
    import django

    django.setup()
    from django.test import Client

    from catalog.models import CoursePage
    from learners.models import Enrollment
    from lms_site.demo import DEMO_PASSWORD

    course = CoursePage.objects.in_catalog().order_by("pk").first()
    enrolment = Enrollment.objects.filter(student__email__endswith=SCALE_DOMAIN).select_related("student")
    student = (enrolment.first() or Enrollment.objects.select_related("student").first()).student
    client = Client(HTTP_HOST=HOST)
    if not client.login(username=student.email, password=DEMO_PASSWORD):
        raise SystemExit(f"could not sign in {student.email}")
    word = re.findall(r"[^\W_]{4,}", course.title)[0][:5].lower()
    endpoints = [
        Endpoint("floor: 20 courses as JSON", "/floor/api/courses/"),
        Endpoint("catalog list API", "/api/v1/courses/"),
        Endpoint("catalog list API, page 3", "/api/v1/courses/?page=3"),
        Endpoint("catalog list API, signed in (never cached)", "/api/v1/courses/", signed_in=True),
        Endpoint(f"search API ({word!r}), anonymous", f"/api/v1/courses/?search={word}"),
        Endpoint(
            f"search API ({word!r}), signed in (never cached: the index)",
            f"/api/v1/courses/?search={word}",
            signed_in=True,
        ),
        Endpoint("course detail API", f"/api/v1/courses/{course.pk}/"),
        Endpoint("a student's enrolments API", "/api/v1/enrollments/", signed_in=True),
        Endpoint("catalog HTML, anonymous (page cache)", "/courses/"),
        Endpoint("course page HTML, anonymous (page cache)", _path(course.url_path)),
        Endpoint("floor: catalog HTML, bare view", "/floor/courses/"),
    ]
    return endpoints, f"sessionid={client.cookies['sessionid'].value}"


def queries_per_request(endpoint: Endpoint, cookie: str) -> int:
    """SQL queries of one warm request, in this process against the same database and cache."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST, headers={"Cookie": cookie} if endpoint.signed_in else {})
    client.get(endpoint.path, secure=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(endpoint.path, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{endpoint.path} answered {response.status_code}")
    return len(queries)


def wrk(endpoint: Endpoint, cookie: str, *, port: int, seconds: int, threads: int, connections: int):
    headers = ["-H", f"Host: {HOST}:{port}", "-H", "X-Forwarded-Proto: https"]
    if endpoint.signed_in:
        headers += ["-H", f"Cookie: {cookie}"]
    # A slow answer is measured, not dropped: wrk's own 2 s timeout would count it as an error.
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout=30s",
        "--latency",
        *headers,
    ]
    output = subprocess.run(  # noqa: S603 - wrk on loopback
        [*command, f"http://{HOST}:{port}{endpoint.path}"], capture_output=True, text=True, check=True
    ).stdout
    return output


def parse(endpoint: Endpoint, output: str, queries: int) -> Measure:
    def latency(percentile: str) -> float:
        found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if found is None:
            raise SystemExit(f"wrk's output has no {percentile}% latency:\n{output}")
        value, unit = found.groups()
        return float(value) * DURATION_UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket.groups())) if socket else 0)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return Measure(endpoint, rate, latency("50"), latency("99"), errors, queries)


def table(measures: list[Measure]) -> str:
    floor = measures[0].rate
    lines = [
        "| endpoint | req/s | p50 ms | p99 ms | ratio to the floor | queries per request | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for measure in measures:
        lines.append(
            f"| {measure.endpoint.name} | {measure.rate:.0f} | {measure.p50:.1f} | {measure.p99:.1f} | "
            f"{measure.rate / floor:.2f}x | {measure.queries} | {measure.errors} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, help="first recreate and seed the database at this scale")
    parser.add_argument("--seconds", type=int, default=20, help="wrk's run per endpoint")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")
    environment = {
        **_environment(args.port),
        # Throttles stay on and count every request, at a rate the load does not reach.
        "API_THROTTLE_ANON": "100000000/min",
        "API_THROTTLE_USER": "100000000/min",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_BIND": f"{HOST}:{args.port}",
    }
    os.environ.update(environment)
    if args.scale is not None:
        fresh_database(args.scale, environment)
    _progress("collectstatic")
    collectstatic = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collectstatic, cwd=ROOT, env=environment, check=True)  # noqa: S603
    endpoints, cookie = endpoints_and_cookie()
    _progress(f"gunicorn, {args.workers} workers, config/gunicorn.py")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, on loopback
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--config=config/gunicorn.py",
            "--access-logfile=/dev/null",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    measures = []
    try:
        _wait_until_up(args.port)
        for endpoint in endpoints:
            queries = queries_per_request(endpoint, cookie)
            _progress(f"{endpoint.name}: {endpoint.path}, {queries} queries; wrk for {args.seconds} s")
            output = wrk(
                endpoint,
                cookie,
                port=args.port,
                seconds=args.seconds,
                threads=args.threads,
                connections=args.connections,
            )
            measures.append(parse(endpoint, output, queries))
            _progress(
                f"{measures[-1].rate:.0f} req/s, p99 {measures[-1].p99:.1f} ms, {measures[-1].errors} errors"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = table(measures)
    print(report, flush=True)  # noqa: T201
    if args.write:
        write(args, report)
    if errors := sum(measure.errors for measure in measures):
        raise SystemExit(f"{errors} errors")


def write(args, report: str) -> None:
    """The table replaces the one between the markers in the file."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalog_coursepage")
        courses = cursor.fetchone()[0]
    text = args.write.read_text()
    start, end = "<!-- endpoints:start -->", "<!-- endpoints:end -->"
    measured = (
        f"{start}\nMeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {courses:,} courses, gunicorn "
        f"({args.workers} workers, config/gunicorn.py, production settings), wrk -t{args.threads} "
        f"-c{args.connections} for {args.seconds} s per endpoint, {os.cpu_count()} cores shared by "
        f"everything.\n\n{report}\n{end}"
    )
    if start in text:
        text = text[: text.index(start)] + measured + text[text.index(end) + len(end) :]
    else:
        text += "\n" + measured + "\n"
    args.write.write_text(text)


if __name__ == "__main__":
    main()
