"""A real PgBouncer (Debian's package) in transaction mode, started for a test on a free port."""

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest

from .unavailable import unavailable

START_DEADLINE_SECONDS = 60  # a deadline for a busy machine; the start is waited for, not slept through
PGBOUNCER_PATHS = ("pgbouncer", "/usr/sbin/pgbouncer")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pgbouncer_binary() -> str:
    found = next((path for name in PGBOUNCER_PATHS if (path := shutil.which(name))), None)
    if found is None:
        unavailable("PgBouncer is not installed (apt-get install pgbouncer)")
    return found


def admin_console(port: int, user: str):
    """PgBouncer's own console (SHOW CLIENTS, SHOW POOLS), a plain connection in autocommit."""
    console = psycopg2.connect(host="127.0.0.1", port=port, dbname="pgbouncer", user=user)
    console.autocommit = True
    return console


def clients_of(port: int, *, user: str, database: str) -> int:
    """Client connections PgBouncer holds for `database`."""
    console = admin_console(port, user)
    try:
        with console.cursor() as cursor:
            cursor.execute("SHOW CLIENTS")
            columns = [column.name for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        console.close()
    return sum(1 for row in rows if row["database"] == database)


@contextmanager
def running_pgbouncer(folder: Path, *, server_host: str, server_port: int, user: str):
    """PgBouncer in transaction mode before the PostgreSQL at server_host:server_port, trusting `user`.

    The pool is one server connection per database, so that clients really share it. Idle server
    connections are checked before reuse (server_check_delay = 0): that check is PgBouncer's job,
    which lets the application keep its own connections without a health-check query per request.
    """
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "userlist.txt").write_text(f'"{user}" ""\n')
    config = folder / "pgbouncer.ini"
    config.write_text(
        "\n".join(
            [
                "[databases]",
                f"* = host={server_host} port={server_port}",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                f"listen_port = {port}",
                "unix_socket_dir =",
                "auth_type = trust",
                f"auth_file = {folder / 'userlist.txt'}",
                f"admin_users = {user}",
                "pool_mode = transaction",
                "default_pool_size = 1",
                "max_client_conn = 100",
                "server_check_delay = 0",
                "ignore_startup_parameters = extra_float_digits,options",
                "",
            ]
        )
    )
    # PgBouncer refuses to run as root; CI runs as root.
    run_as = ["-u", "nobody"] if os.geteuid() == 0 else []
    if run_as:
        folder.chmod(0o755)
    log = folder / "pgbouncer.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [pgbouncer_binary(), *run_as, str(config)], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while True:
            try:
                admin_console(port, user).close()
                break
            except psycopg2.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"PgBouncer did not start; its output:\n{log.read_text()}")
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
