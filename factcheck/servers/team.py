"""The team set-up behind `make team`: a Chroma server, a PostgreSQL cluster and the review desk, on 127.0.0.1.

Everything lives under one folder (``.factcheck/`` by default): ``chroma/`` (the evidence), ``pg/`` (the
review database's cluster), and ``team/`` with each server's pid, log, and ``env`` — the two settings
(``FACTCHECK_STORE``, ``FACTCHECK_REVIEWS``) that point the CLI at the same servers (``source
.factcheck/team/env``; readable by its owner only, as the database URL carries a password).
Starting again reuses whatever is still running; ``stop_team`` stops all three.

>>> info = start_team(Path(".factcheck"), corpus=Path("corpus"))
>>> info.app_url, info.store, info.reviews
>>> stop_team(Path(".factcheck"))
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from factcheck.errors import ServiceError
from factcheck.servers.postgres import PostgresCluster, free_port

log = logging.getLogger(__name__)

APP = Path(__file__).resolve().parents[2] / "app.py"
DEFAULT_APP_PORT = 8501


@dataclass
class TeamInfo:
    """Where the team's servers answer."""

    app_url: str
    store: str  # FACTCHECK_STORE: the Chroma server
    reviews: str  # FACTCHECK_REVIEWS: the PostgreSQL database (with its password)
    env_file: str

    def describe(self) -> str:
        from factcheck.review.database import describe

        return (f"Review desk: {self.app_url}\nEvidence store (Chroma): {self.store}\n"
                f"Reviews (PostgreSQL): {describe(self.reviews)}\n"
                f"For the command line: source {self.env_file}")

    def to_dict(self) -> dict:
        return asdict(self)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Process:
    """One server we start detached, with its pid, port and log under ``team/``."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.pid_file = folder / f"{name}.pid"
        self.port_file = folder / f"{name}.port"
        self.log_file = folder / f"{name}.log"

    def running(self) -> tuple[int, int] | None:
        """(pid, port) when our process is still alive, else None."""
        try:
            pid, port = int(self.pid_file.read_text()), int(self.port_file.read_text())
        except (OSError, ValueError):
            return None
        return (pid, port) if _alive(pid) else None

    def start(self, command: list[str], port: int, env: dict, wait_s: float, ready) -> int:
        found = self.running()
        if found:
            log.info("%s already running (pid %d, port %d)", self.name, *found)
            return found[1]
        with self.log_file.open("ab") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=APP.parent,
                                       start_new_session=True)  # its own group: stopped as one, never by name
        self.pid_file.write_text(str(process.pid))
        self.port_file.write_text(str(port))
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServiceError(f"{self.name} exited at start (status {process.returncode}) — see {self.log_file}")
            if ready(port):
                return port
            time.sleep(0.3)
        self.stop()
        raise ServiceError(f"{self.name} did not answer on port {port} within {wait_s:.0f} s — see {self.log_file}")

    def stop(self) -> bool:
        """Stop the process group we started (TERM, then KILL after 20 s); whether anything was running."""
        found = self.running()
        if found:
            pid = found[0]
            os.killpg(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while _alive(pid) and time.monotonic() < deadline:
                _reap(pid)
                time.sleep(0.2)
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        self.port_file.unlink(missing_ok=True)
        return found is not None


def _reap(pid: int) -> None:
    try:  # our own child (when started by this process): collect it so it does not linger as a zombie
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _app_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def start_team(root: Path = Path(".factcheck"), *, app_port: int | None = None, corpus: Path | None = None) -> TeamInfo:
    """Start (or find running) the Chroma server, the PostgreSQL cluster and the desk; ingest ``corpus`` into
    an empty store first when given."""
    root = root.resolve()
    folder = root / "team"
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    python_bin = Path(sys.executable).parent

    chroma = _Process(folder, "chroma")
    chroma_port = (chroma.running() or (0, free_port()))[1]
    chroma.start([str(python_bin / "chroma"), "run", "--path", str(root / "chroma"), "--host", "127.0.0.1",
                  "--port", str(chroma_port)], chroma_port, env, 90, _listening)
    store = f"http://127.0.0.1:{chroma_port}"

    reviews = PostgresCluster(root / "pg").start()

    env_file = folder / "env"
    env_file.touch(mode=0o600)
    env_file.write_text(f"export FACTCHECK_STORE='{store}'\nexport FACTCHECK_REVIEWS='{reviews}'\n", encoding="utf-8")
    env = {**env, "FACTCHECK_STORE": store, "FACTCHECK_REVIEWS": reviews}

    if corpus is not None:
        result = subprocess.run([sys.executable, "-m", "factcheck.cli", "ingest", str(corpus), "--store", store,
                                 "--if-empty"], env=env, capture_output=True, text=True, cwd=APP.parent)
        if result.returncode != 0:
            raise ServiceError(f"Ingesting {corpus} into {store} failed: {(result.stderr or result.stdout).strip()}")

    app = _Process(folder, "app")
    port = (app.running() or (0, app_port or (DEFAULT_APP_PORT if not _listening(DEFAULT_APP_PORT) else free_port())))[1]
    app.start([sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
              port, env, 120, _app_ready)
    return TeamInfo(f"http://127.0.0.1:{port}", store, reviews, str(env_file))


def stop_team(root: Path = Path(".factcheck")) -> list[str]:
    """Stop the desk, the Chroma server and the PostgreSQL cluster started under ``root``; return what was stopped."""
    root = root.resolve()
    folder = root / "team"
    stopped = [name for name in ("app", "chroma") if _Process(folder, name).stop()]
    cluster = PostgresCluster(root / "pg")
    if cluster.initialised and cluster.running:
        cluster.stop()
        stopped.append("postgres")
    return stopped
