"""Backups of the review database: a consistent copy while the app is writing, and a restore.

SQLite's online backup API copies the database page by page under a read transaction, so a copy
taken while reviewers save is a snapshot of one moment, never half a save. A restore writes the
backup into the live database through the same API (so open connections see either the old or the
new reviews, never a torn file), after keeping a copy of what it replaces.

Reviews kept in PostgreSQL go through ``pg_dump`` / ``pg_restore`` (custom format): the dump runs in
a snapshot exported from a repeatable-read transaction that also counts the rows, so the counts are
the dump's; a restore replaces the tables in one transaction, after dumping what it replaces.
``backup_reviews`` and ``restore_reviews`` pick the method from the location.

>>> info = backup_reviews(".factcheck/reviews.sqlite3", "backups/reviews-monday.sqlite3")
>>> info = backup_reviews("postgresql://desk@127.0.0.1:5433/reviews", "backups/")   # reviews-….dump
>>> info.reviews, info.path
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from factcheck.errors import ReviewError, ServiceError
from factcheck.review.database import describe, is_server, libpq_url, open_database

_TABLES = ("articles", "reviews", "review_history")


@dataclass
class BackupInfo:
    """What a backup or restore wrote: where, and how many rows of each kind."""

    path: str
    articles: int
    reviews: int
    history: int
    kept: str | None = None  # restore only: the copy of the database it replaced

    def describe(self) -> str:
        line = f"{self.path}: {self.reviews} reviews ({self.history} saved versions) of {self.articles} articles"
        return line + (f"; the replaced database was kept at {self.kept}" if self.kept else "")

    def to_dict(self) -> dict:
        return asdict(self)


def _method(location: str) -> str:
    return "pg_dump" if is_server(location) else "sqlite"


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")


def _unique(path: Path) -> Path:
    """``path``, or ``path`` with -2, -3… before its suffix while that name is taken: two backups in one second
    must not overwrite each other (nor the backup being restored)."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _counts(conn: sqlite3.Connection, path: Path) -> tuple[int, int, int]:
    """Row counts of the review tables; ReviewError if ``conn`` is not a sound review database."""
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in _TABLES if t not in names]
        if missing:
            raise ReviewError(f"{path} is not a factcheck review database (no {', '.join(missing)} table) — "
                              "pass a file written by `factcheck reviews backup`")
        problem = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise ReviewError(f"{path} is damaged ({problem}) — use another backup")
        counts = [conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in _TABLES]  # noqa: S608
    except sqlite3.DatabaseError as exc:
        raise ReviewError(f"{path} is not a SQLite review database ({exc}) — "
                          "pass a file written by `factcheck reviews backup`") from exc
    return counts[0], counts[1], counts[2]


def _connect(path: Path, *, must_exist: bool) -> sqlite3.Connection:
    if must_exist and not path.is_file():
        what = "a folder" if path.is_dir() else "not there"
        raise ReviewError(f"{path} is {what} — pass the review database file (.factcheck/reviews.sqlite3 "
                          "or $FACTCHECK_REVIEWS)")
    uri = f"{path.resolve().as_uri()}?mode={'rw' if must_exist else 'rwc'}"
    try:
        return sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    except sqlite3.Error as exc:
        raise ReviewError(f"Cannot open {path} ({exc}) — check the path and its permissions") from exc


def _target(destination: Path) -> Path:
    if destination.is_dir():
        return _unique(destination / f"reviews-{_stamp()}.sqlite3")
    if not destination.parent.is_dir():
        raise ReviewError(f"The folder {destination.parent} does not exist — create it or pick another path")
    return destination


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Write ``source``'s snapshot to ``target`` atomically (a temporary file, then a rename)."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        out = sqlite3.connect(partial)
        try:
            source.backup(out)  # all pages in one step: one read transaction, one consistent moment
            out.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
        finally:
            out.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise ReviewError(f"Could not write the backup to {target} ({exc}) — check the folder is writable") from exc


def backup_reviews(database: str | Path, destination: str | Path) -> BackupInfo:
    """Copy the review database to ``destination`` (a file, or a folder for a timestamped file).

    Safe while the app is saving reviews: the copy is one consistent snapshot. Reviews in PostgreSQL are
    written with ``pg_dump`` (custom format; a folder gets ``reviews-TIMESTAMP.dump``).
    """
    if _method(str(database)) == "pg_dump":
        return _dump(str(database), Path(destination))
    database, destination = Path(database), Path(destination)
    target = _target(destination)
    if target.exists() and target.resolve() == database.resolve():
        raise ReviewError(f"{target} is the review database itself — back it up to another file")
    source = _connect(database, must_exist=True)
    try:
        _counts(source, database)
        _copy(source, target)
    finally:
        source.close()
    check = _connect(target, must_exist=True)
    try:
        articles, reviews, history = _counts(check, target)
    finally:
        check.close()
    return BackupInfo(str(target), articles, reviews, history)


def restore_reviews(backup: str | Path, database: str | Path) -> BackupInfo:
    """Replace the review database's contents with ``backup``, keeping a copy of what it held.

    The backup is checked (tables, integrity) before anything is touched; the current database,
    if there is one, is first backed up beside itself as ``NAME.before-restore-TIMESTAMP`` (for
    PostgreSQL: a dump beside the backup, ``reviews-before-restore-TIMESTAMP.dump``).
    """
    if _method(str(database)) == "pg_dump":
        return _pg_restore(Path(backup), str(database))
    backup, database = Path(backup), Path(database)
    source = _connect(backup, must_exist=True)
    try:
        _counts(source, backup)
        if database.exists() and database.resolve() == backup.resolve():
            raise ReviewError(f"{backup} is the review database itself — restore from a backup file")
        if database.is_dir():
            raise ReviewError(f"{database} is a folder — point $FACTCHECK_REVIEWS at a file such as reviews.sqlite3")
        kept = None
        if database.is_file():
            kept = backup_reviews(database, _unique(database.with_name(f"{database.name}.before-restore-{_stamp()}"))).path
        database.parent.mkdir(parents=True, exist_ok=True)
        live = _connect(database, must_exist=False)
        try:
            live.execute("PRAGMA journal_mode=WAL")
            source.backup(live)  # under the live database's own locks: readers see old or new, never a mix
            articles, reviews, history = _counts(live, database)
        except sqlite3.Error as exc:
            raise ReviewError(f"Could not restore into {database} ({exc}) — nothing was lost; the previous "
                              f"reviews are {'at ' + kept if kept else 'unchanged'}") from exc
        finally:
            live.close()
    finally:
        source.close()
    open_database(database)  # a backup from an earlier release is brought up to date
    return BackupInfo(str(database), articles, reviews, history, kept=kept)


# -- PostgreSQL: pg_dump and pg_restore --------------------------------------------------------------

def _pg_tool(name: str, *args: str) -> subprocess.CompletedProcess:
    from factcheck.servers.postgres import pg_binary

    try:
        return subprocess.run([pg_binary(name), *args], capture_output=True, text=True, timeout=3600)
    except ServiceError as exc:
        raise ReviewError(str(exc)) from exc
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReviewError(f"{name} did not run ({exc}) — check the PostgreSQL client programs") from exc


def _failure(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in (result.stderr or "").splitlines() if line.strip()]
    return lines[0].removeprefix("pg_dump: ").removeprefix("pg_restore: ") if lines else f"exit {result.returncode}"


def _server_counts(conn) -> tuple[int, int, int]:
    from sqlalchemy import func, select

    from factcheck.review import schema

    return tuple(conn.execute(select(func.count()).select_from(table)).scalar()  # type: ignore[return-value]
                 for table in (schema.articles, schema.reviews, schema.review_history))


def _dump(location: str, destination: Path) -> BackupInfo:
    """``pg_dump`` of the review database to ``destination`` (a file, or a folder for a dated one)."""
    from sqlalchemy import text

    target = _unique(destination / f"reviews-{_stamp()}.dump") if destination.is_dir() else destination
    if not target.parent.is_dir():
        raise ReviewError(f"The folder {target.parent} does not exist — create it or pick another path")
    database = open_database(location)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    with database.errors("Backing up the reviews"):
        # The counts and the dump read one snapshot: pg_dump joins the one this transaction exports.
        with database.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
            articles, reviews, history = _server_counts(conn)
            result = _pg_tool("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={partial}",
                              f"--dbname={libpq_url(location)}")
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise ReviewError(f"pg_dump could not back up {describe(location)} ({_failure(result)}) — "
                          "check the PostgreSQL server and the URL")
    os.replace(partial, target)
    return BackupInfo(str(target), articles, reviews, history)


def _pg_restore(backup: Path, location: str) -> BackupInfo:
    """Replace the server's review tables with a ``pg_dump`` backup, in one transaction, keeping a dump of them."""
    if not backup.is_file():
        what = "a folder" if backup.is_dir() else "not there"
        raise ReviewError(f"{backup} is {what} — pass a backup written by `factcheck reviews backup` (reviews-….dump)")
    listing = _pg_tool("pg_restore", "--list", str(backup))
    if listing.returncode != 0:
        raise ReviewError(f"{backup} is not a PostgreSQL backup ({_failure(listing)}) — pass a .dump written by "
                          "`factcheck reviews backup` with the reviews in PostgreSQL")
    tables = {line.split()[-2] for line in listing.stdout.splitlines() if " TABLE " in line and "TABLE DATA" not in line}
    missing = [t for t in _TABLES if t not in tables]
    if missing:
        raise ReviewError(f"{backup} is not a factcheck review backup (no {', '.join(missing)} table) — "
                          "pass a file written by `factcheck reviews backup`")
    kept = _dump(location, _unique(backup.parent / f"reviews-before-restore-{_stamp()}.dump")).path
    result = _pg_tool("pg_restore", "--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner",
                      f"--dbname={libpq_url(location)}", str(backup))
    if result.returncode != 0:
        raise ReviewError(f"Could not restore into {describe(location)} ({_failure(result)}) — nothing was changed; "
                          f"the reviews as they were are also at {kept}")
    database = open_database(location)  # a backup from an earlier release is brought up to date
    with database.errors("Counting the restored reviews"), database.read() as conn:
        articles, reviews, history = _server_counts(conn)
    return BackupInfo(describe(location), articles, reviews, history, kept=kept)
