"""A throwaway PostgreSQL server for the tests (what pytest-postgresql does, in one page).

:func:`start` finds the server binaries (``initdb`` on PATH or Debian's
``/usr/lib/postgresql/*/bin``), creates a cluster in a temporary folder, starts it on
127.0.0.1 with a free port and returns its URL; :meth:`Server.stop` stops it and removes the
folder. PostgreSQL refuses to run as root, so under root the cluster is created and run as the
``postgres`` user (or ``nobody``) through ``runuser``. ``CORPUSBOT_TEST_POSTGRES_URL`` replaces
all this with an existing database. Each test gets a fresh schema (:func:`fresh_schema_url`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

ENV_URL = "CORPUSBOT_TEST_POSTGRES_URL"
SKIP_REASON = (
    "PostgreSQL tests skipped: no server binaries (install the OS package postgresql, "
    f"e.g. apt-get install postgresql) and {ENV_URL} is not set"
)


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or ``None``."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_as() -> str | None:
    """The user to run the server as when this process is root (``None`` if not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and neither the postgres nor the nobody user exists")


@dataclass
class Server:
    """A running throwaway cluster."""

    url: str
    folder: Path | None = None
    bin_dir: Path | None = None
    user: str | None = None

    def stop(self) -> None:
        """Stop the server (immediately) and remove its folder."""
        if self.folder is None or self.bin_dir is None:
            return
        _command(self, "pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _command(server: Server, name: str, *args: str) -> None:
    assert server.bin_dir is not None
    argv = [str(server.bin_dir / name), *args]
    if server.user is not None:
        argv = ["runuser", "-u", server.user, "--", *argv]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)


def available() -> bool:
    """Whether :func:`start` can give a server (an URL in the environment, or the binaries)."""
    return bool(os.environ.get(ENV_URL)) or find_bin_dir() is not None


def start() -> Server | None:
    """The server to test against: ``CORPUSBOT_TEST_POSTGRES_URL``'s, a new throwaway one, or
    ``None`` when neither is available."""
    if os.environ.get(ENV_URL):
        return Server(os.environ[ENV_URL])
    bin_dir = find_bin_dir()
    if bin_dir is None:
        return None
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="corpusbot-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    server = Server("", folder, bin_dir, user)
    port = _free_port()
    data = str(folder / "data")
    _command(server, "initdb", "-D", data, "-U", "corpusbot", "--auth=trust", "-E", "UTF8")
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
        "-c fsync=off -c max_connections=200 -c shared_buffers=16MB"
    )
    _command(server, "pg_ctl", "-D", data, "-o", options, "-l", str(folder / "log"), "-w", "start")
    server.url = f"postgresql://corpusbot@127.0.0.1:{port}/postgres"
    return server


def fresh_schema_url(url: str) -> tuple[str, str]:
    """A new schema's name and ``url`` with that schema as its search path (asyncpg passes
    unknown URL parameters to the server as settings)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    joiner = "&" if "?" in url else "?"
    return schema, f"{url}{joiner}search_path={schema}"


@asynccontextmanager
async def fresh_schema(server_url: str) -> AsyncIterator[str]:
    """A URL whose search path is a new, empty schema, dropped on exit."""
    import asyncpg

    schema, url = fresh_schema_url(server_url)
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        yield url
    finally:
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await admin.close()
