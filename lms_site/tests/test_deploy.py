"""Production settings, the image's commands and the compose topology, checked without Docker.

Settings and the image's commands run in subprocesses: production settings are read once per
process, and the point is to see them exactly as a container would.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
ACCESS_LINE = '"GET /healthz HTTP/1.1" 200'
# Only a deadline for a state that never comes (a busy machine boots Django slowly); nothing waits for it.
DEADLINE = 120


def _pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _dockerfile_line(instruction: str, containing: str = "") -> str:
    """The Dockerfile instruction, continuation lines joined as Docker joins them."""
    text = re.sub(r"\\\n\s*", " ", (BASE_DIR / "Dockerfile").read_text())
    return next(
        line for line in text.splitlines() if line.startswith(f"{instruction} ") and containing in line
    )


def _dockerfile_exec_form(instruction: str) -> list[str]:
    """The JSON argument list of the image's CMD or HEALTHCHECK."""
    line = _dockerfile_line(instruction)
    return json.loads(line[line.index("CMD [") + len("CMD ") :])


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    """What a container gets: production settings, strong secrets, nothing from the test run."""
    return {
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        # django-environ reads a value starting with "$" as a reference to another variable.
        "SECRET_KEY": get_random_secret_key().replace("$", "-"),
        "ALLOWED_HOSTS": "example.com",
        "SITE_URL": "https://example.com",
        "JWT_PRIVATE_KEY": _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'db.sqlite3'}",
    }


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )


def test_check_deploy_reports_nothing_with_production_settings(production_env):
    result = _manage(production_env, "check", "--deploy")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stderr


@pytest.mark.parametrize(
    "variable", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "JWT_PRIVATE_KEY", "EMAIL_URL"]
)
def test_production_refuses_to_start_without_required_variable(production_env, variable):
    env = {name: value for name, value in production_env.items() if name != variable}

    result = _manage(env, "check")

    assert result.returncode != 0
    assert f"Set the {variable} environment variable" in result.stderr


@pytest.mark.parametrize(
    ("key", "complaint"),
    [
        ("-----BEGIN PRIVATE KEY-----\\nnot a key\\n-----END PRIVATE KEY-----", "not an unencrypted PEM"),
        (_pem(ec.generate_private_key(ec.SECP256R1())), "must be an RSA key"),
    ],
    ids=["garbage", "not-rsa"],
)
def test_production_refuses_to_start_with_unusable_jwt_key(production_env, key, complaint):
    result = _manage({**production_env, "JWT_PRIVATE_KEY": key}, "check")

    assert result.returncode != 0
    assert complaint in result.stderr


def test_with_s3_storage_course_files_are_still_served_by_the_site(production_env):
    """Wagtail's default for a storage without local paths is to redirect to the bucket's own address."""
    show = (
        "from django.conf import settings; from django.core.files.storage import storages; "
        "from wagtail.documents.models import Document; "
        "print(type(storages['default']).__name__, settings.WAGTAILDOCS_SERVE_METHOD, "
        "Document(id=7, collection_id=1, file='documents/handout.pdf').url)"
    )
    result = _manage({**production_env, "AWS_STORAGE_BUCKET_NAME": "course-files"}, "shell", "-c", show)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["S3Storage", "serve_view", "/documents/7/handout.pdf"]


def test_image_build_collects_static_files_without_secrets_or_database(tmp_path):
    # Only what the Dockerfile provides at that step: its ENV and its own throwaway values.
    database = tmp_path / "must-not-exist.sqlite3"
    env = {
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{database}",
    }
    command = _dockerfile_line("RUN", containing="collectstatic").removeprefix("RUN ")

    result = subprocess.run(  # noqa: S603 - the Dockerfile's own build step
        ["/bin/sh", "-c", command], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=DEADLINE
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert not database.exists()


@pytest.fixture(scope="module")
def image_server(production_env, tmp_path_factory):
    """The image's CMD, run as the container runs it, on a free local port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    logs = tmp_path_factory.mktemp("gunicorn")
    env = {**production_env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "PORT": str(port)}
    with (logs / "stdout.log").open("w") as out, (logs / "stderr.log").open("w") as err:
        server = subprocess.Popen(  # noqa: S603 - the Dockerfile's own CMD
            _dockerfile_exec_form("CMD"), cwd=BASE_DIR, env=env, stdout=out, stderr=err
        )
    try:
        # Started is answering, not listening: a worker boots (imports the whole app) after the port opens.
        deadline = time.monotonic() + DEADLINE
        while True:
            try:
                started = f"http://127.0.0.1:{port}/healthz?started"
                urllib.request.urlopen(started, timeout=DEADLINE)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{(logs / 'stderr.log').read_text()}")
                time.sleep(0.1)
        yield env, logs / "stdout.log"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_image_healthcheck_passes_over_plain_http_from_a_host_not_allowed(image_server):
    env, _ = image_server  # ALLOWED_HOSTS is example.com; the probe says 127.0.0.1 and speaks HTTP.

    result = subprocess.run(  # noqa: S603 - the Dockerfile's own HEALTHCHECK
        _dockerfile_exec_form("HEALTHCHECK"), env=env, capture_output=True, text=True, timeout=DEADLINE
    )

    assert result.returncode == 0, result.stderr


def test_image_server_writes_access_log_to_stdout(image_server):
    env, stdout = image_server
    subprocess.run(  # noqa: S603 - the Dockerfile's own HEALTHCHECK
        _dockerfile_exec_form("HEALTHCHECK"), env=env, capture_output=True, timeout=DEADLINE, check=True
    )

    # The worker logs the request just after answering it.
    deadline = time.monotonic() + DEADLINE
    while ACCESS_LINE not in stdout.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ACCESS_LINE in stdout.read_text()


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_compose_service_waits_for_migrations_and_redis(compose, service):
    depends_on = compose["services"][service]["depends_on"]

    assert depends_on["migrate"] == {"condition": "service_completed_successfully"}
    assert depends_on["redis"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("service", ["migrate", "worker", "beat"])
def test_compose_service_replaces_the_image_web_healthcheck(compose, service):
    # They share the web image, whose HEALTHCHECK asks gunicorn; none of them runs gunicorn.
    assert "healthcheck" in compose["services"][service]


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_compose_service_reaches_postgresql_through_pgbouncer_in_transaction_mode(compose, service):
    environment = compose["services"][service]["environment"]
    pgbouncer = compose["services"]["pgbouncer"]["environment"]

    assert "@pgbouncer:5432/" in environment["DATABASE_URL"]
    assert environment["DATABASE_TRANSACTION_POOLING"] == "true"
    assert pgbouncer["POOL_MODE"] == "transaction"
    assert "@postgres:5432/" in pgbouncer["DATABASE_URL"]
    assert compose["services"][service]["depends_on"]["pgbouncer"] == {"condition": "service_started"}


def test_compose_migrations_go_straight_to_postgresql(compose):
    # DDL and migration locks need one server connection throughout, which transaction pooling does not give.
    assert "@postgres:5432/" in compose["services"]["migrate"]["environment"]["DATABASE_URL"]
