"""`make run PORT=...`: every absolute link (mail, certificates, API) names the address it serves on."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make_run_commands(**variables) -> list[str]:
    """The commands `make run` would run (make -n), with the environment's SITE_URL as given."""
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env.update(variables.pop("environment", {}))
    arguments = [f"{name}={value}" for name, value in variables.items()]
    result = subprocess.run(  # noqa: S603 - make from PATH, arguments of our own
        [shutil.which("make"), "-n", "run", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def command(lines: list[str], name: str) -> str:
    return next(line for line in lines if f"manage.py {name}" in line)


def test_site_url_follows_host_and_port():
    lines = make_run_commands(PORT="8311")

    assert command(lines, "seed_demo").startswith("SITE_URL='http://127.0.0.1:8311' ")
    assert command(lines, "runserver").startswith("SITE_URL='http://127.0.0.1:8311' ")
    assert command(lines, "runserver").endswith("runserver 127.0.0.1:8311")


def test_a_site_url_that_is_set_wins():
    lines = make_run_commands(PORT="8311", environment={"SITE_URL": "https://lms.example.com"})

    assert command(lines, "runserver").startswith("SITE_URL='https://lms.example.com' ")


def test_links_are_built_on_the_site_url_the_server_is_given():
    code = "from lms_site.links import absolute_url; print(absolute_url('/certificates/ABC/'))"
    served_on = {"SITE_URL": "http://127.0.0.1:8311", "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    result = subprocess.run(  # noqa: S603 - our own interpreter, arguments of our own
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, **served_on},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.splitlines()[-1] == "http://127.0.0.1:8311/certificates/ABC/"
