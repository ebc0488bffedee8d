"""A PostgreSQL cluster under a folder, on a free port of 127.0.0.1: for `make team` and for the tests.

The cluster is made once with ``initdb`` (password authentication; the password is kept in the folder,
readable by its owner only) and run with ``pg_ctl``. PostgreSQL refuses to run as root, so when we are
root the binaries run as the ``postgres`` system user (``runuser``) and the folder is handed to it;
as anyone else they run as that user.

>>> cluster = PostgresCluster(Path(".factcheck/pg"))
>>> url = cluster.start()              # postgresql://factcheck:…@127.0.0.1:PORT/reviews
>>> cluster.stop()
"""

from __future__ import annotations

import glob
import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

from factcheck.errors import ServiceError

log = logging.getLogger(__name__)

SYSTEM_USER = "postgres"  # who runs the server when we are root
ROLE = "factcheck"
DATABASE = "reviews"


def pg_binary(name: str) -> str:
    """The path of one PostgreSQL program (initdb, pg_ctl, pg_dump, pg_restore), all from one installation.

    Debian keeps them in /usr/lib/postgresql/VERSION/bin (its /usr/bin/pg_dump is a wrapper that may pick
    another version); ``initdb`` on PATH names the installation to use.
    """
    folders = []
    initdb = shutil.which("initdb")
    if initdb:
        folders.append(Path(os.path.realpath(initdb)).parent)
    folders += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)]
    for folder in folders:
        if (folder / name).is_file() and os.access(folder / name, os.X_OK):
            return str(folder / name)
    found = shutil.which(name)
    if found:
        return found
    raise ServiceError(f"PostgreSQL's {name} is not installed — install Debian's postgresql package "
                       "(apt-get install postgresql) or put its bin folder on PATH")


def _version_key(folder: str) -> tuple:
    version = Path(folder).parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def postgres_available() -> bool:
    """Whether the PostgreSQL server programs are installed here."""
    try:
        return all(pg_binary(name) for name in ("initdb", "pg_ctl", "postgres"))
    except ServiceError:
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresCluster:
    """One PostgreSQL cluster in ``folder`` (``data/``, ``postgres.log``, ``password``), served on 127.0.0.1."""

    def __init__(self, folder: str | Path, port: int | None = None, *, durable: bool = True) -> None:
        self.folder = Path(folder).resolve()
        # durable=False: no fsync, for a throwaway cluster (the tests) that a crash may lose entirely.
        self.durable = durable
        self.data = self.folder / "data"
        self.log_file = self.folder / "postgres.log"
        self.password_file = self.folder / "password"
        self.port = port

    # -- running the binaries as the right user -------------------------------------------------
    @property
    def _as_root(self) -> bool:
        return os.geteuid() == 0

    def _run(self, name: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [pg_binary(name), *args]
        if self._as_root:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.folder)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ServiceError(f"{name} did not run ({exc}) — see {self.log_file}") from exc
        return result

    def _hand_over(self) -> None:
        """Give the folder to the postgres system user (we are root): the server may not run as root."""
        try:
            entry = pwd.getpwnam(SYSTEM_USER)
        except KeyError as exc:
            raise ServiceError(f"PostgreSQL refuses to run as root and there is no {SYSTEM_USER!r} user — "
                               "install Debian's postgresql package, or run as another user") from exc
        for path in [self.folder, *self.folder.rglob("*")]:
            if path.name != "password":
                os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
        probe = subprocess.run(["runuser", "-u", SYSTEM_USER, "--", "test", "-w", str(self.folder)],
                               capture_output=True)
        if probe.returncode != 0:
            raise ServiceError(f"The {SYSTEM_USER} user cannot reach {self.folder} (a parent folder is closed to "
                               "other users) — put the cluster in a folder it can reach")

    # -- the cluster ----------------------------------------------------------------------------
    @property
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").is_file()

    @property
    def password(self) -> str:
        return self.password_file.read_text(encoding="utf-8").strip()

    def init(self) -> None:
        """Create the cluster (once): UTF-8, C collation, password authentication, TCP on 127.0.0.1 only."""
        if self.initialised:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.password_file.exists():
            self.password_file.touch(mode=0o600)
            self.password_file.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        # initdb reads the password from a file it can open; that copy is removed straight after.
        handed = self.folder / ".initdb-password"
        handed.write_text(self.password, encoding="utf-8")
        handed.chmod(0o600)
        if self._as_root:
            self._hand_over()
        try:
            result = self._run("initdb", "-D", str(self.data), "-U", ROLE, f"--pwfile={handed}", "--auth=scram-sha-256",
                               "--encoding=UTF8", "--no-locale")
        finally:
            handed.unlink(missing_ok=True)
        if result.returncode != 0:
            raise ServiceError(f"initdb failed in {self.data}: {_last_line(result)}")
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# factcheck: TCP on 127.0.0.1 only, no Unix socket (its path may be too long)\n"
                       "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n")

    @property
    def running(self) -> bool:
        return self.initialised and self._run("pg_ctl", "-D", str(self.data), "status").returncode == 0

    def url(self, database: str = DATABASE) -> str:
        """The cluster's URL for factcheck (``FACTCHECK_REVIEWS``), password included."""
        if self.port is None:
            self.port = self._running_port()
        return f"postgresql://{ROLE}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _running_port(self) -> int:
        try:  # postmaster.pid's fourth line is the port the server listens on
            return int((self.data / "postmaster.pid").read_text().splitlines()[3])
        except (OSError, IndexError, ValueError) as exc:
            raise ServiceError(f"The PostgreSQL cluster in {self.folder} is not running — start it first") from exc

    def start(self) -> str:
        """Initialise if needed, start the server (on ``port``, else a free one), create the database;
        return its URL. A cluster already running is left as it is."""
        self.init()
        if self.running:
            self.port = self._running_port()
        else:
            self.port = self.port or free_port()
            if self._as_root:
                self._hand_over()
            options = f"-p {self.port}"
            if not self.durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            result = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_file), "-w", "-t", "60",
                               "-o", options, "start")
            if result.returncode != 0:
                raise ServiceError(f"PostgreSQL did not start on port {self.port}: {_last_line(result)} — "
                                   f"see {self.log_file}")
        self.create_database(DATABASE)
        log.info("PostgreSQL cluster %s listening on 127.0.0.1:%d", self.folder, self.port)
        return self.url()

    def create_database(self, name: str) -> str:
        """Create database ``name`` unless it exists; return its URL."""
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=5) as conn:
                    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                        conn.execute(f'CREATE DATABASE "{name}"')
                return self.url(name)
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise ServiceError(f"PostgreSQL on port {self.port} does not answer ({exc}) — "
                                       f"see {self.log_file}") from exc
                time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are ended, nothing committed is lost)."""
        if not self.initialised:
            return
        result = self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        if result.returncode != 0 and self.running:
            raise ServiceError(f"PostgreSQL in {self.folder} did not stop: {_last_line(result)}")


def _last_line(result: subprocess.CompletedProcess) -> str:
    lines = (result.stderr or result.stdout or "").strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"
