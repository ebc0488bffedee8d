"""Backups of the review database: a consistent copy while the app is writing, and a restore.

SQLite's online backup API copies the database page by page under a read transaction, so a copy
taken while reviewers save is a snapshot of one moment, never half a save. A restore writes the
backup into the live database through the same API (so open connections see either the old or the
new reviews, never a torn file), after keeping a copy of what it replaces.

Reviews kept in PostgreSQL (not implemented yet) would go through ``pg_dump`` / ``pg_restore``:
``backup_reviews`` and ``restore_reviews`` pick the method from the location, so that path is one
more branch in ``_method``.

>>> info = backup_reviews(".factcheck/reviews.sqlite3", "backups/reviews-monday.sqlite3")
>>> info.reviews, info.path
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from factcheck.errors import ReviewError

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
    if location.startswith(("postgres://", "postgresql://")):
        raise ReviewError("Reviews in PostgreSQL are backed up with `pg_dump` — not supported by factcheck yet")
    return "sqlite"


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")


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
        return destination / f"reviews-{_stamp()}.sqlite3"
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

    Safe while the app is saving reviews: the copy is one consistent snapshot.
    """
    _method(str(database))
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
    if there is one, is first backed up beside itself as ``NAME.before-restore-TIMESTAMP``.
    """
    _method(str(database))
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
            kept = backup_reviews(database, database.with_name(f"{database.name}.before-restore-{_stamp()}")).path
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
    return BackupInfo(str(database), articles, reviews, history, kept=kept)
