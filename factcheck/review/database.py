"""Where the reviews live: a SQLite file (the default) or a PostgreSQL server, behind one SQLAlchemy engine.

``FACTCHECK_REVIEWS`` (and every ``--reviews`` option) is either a path, for a SQLite file beside the
desk, or a ``postgresql://user@host:port/db`` URL, for a team sharing one database. The review store,
the drafts, the archive, the evidence snapshots and the workflow all open it through
:func:`open_database`, which creates or upgrades the schema with the Alembic migrations shipped in
``review/migrations/`` (the same migrations on both, so a file made by any earlier release upgrades in
place, and a new server database gets the same tables).

>>> db = open_database(".factcheck/reviews.sqlite3")            # or "postgresql://desk@127.0.0.1:5433/reviews"
>>> with db.write() as conn:                                     # one transaction (BEGIN IMMEDIATE on SQLite)
...     conn.execute(...)
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from factcheck.errors import ReviewError

log = logging.getLogger(__name__)

REVIEWS_ENV = "FACTCHECK_REVIEWS"
SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
# The newest migration (review/migrations/versions/); a test checks it against the scripts.
HEAD = "0004"
MIGRATIONS = Path(__file__).with_name("migrations")
# A key for pg_advisory_xact_lock, so two processes opening a new server database do not both create it.
_MIGRATION_LOCK = 0x66_63_72_76  # "fcrv"
# What the first release's `PRAGMA user_version` meant, as the migration it equals.
_LEGACY_REVISIONS = {0: "0001", 1: "0002"}


def is_server(location: str | Path) -> bool:
    """Whether ``location`` names a PostgreSQL server (a URL) rather than a SQLite file."""
    return str(location).startswith(SERVER_SCHEMES)


def server_url(location: str) -> URL:
    """The SQLAlchemy URL of a ``postgresql://`` location (driver psycopg 3)."""
    try:
        url = make_url(location)
    except ArgumentError as exc:
        raise ReviewError(f"{location!r} is not a database URL ({exc}) — use postgresql://USER@HOST:PORT/DATABASE") from exc
    return url.set(drivername="postgresql+psycopg")


def libpq_url(location: str) -> str:
    """The location as libpq tools (pg_dump, psql) take it: ``postgresql://…`` without a driver name."""
    return server_url(location).set(drivername="postgresql").render_as_string(hide_password=False)


def describe(location: str | Path) -> str:
    """The location for messages: a URL without its password, or the file path."""
    if is_server(location):
        try:
            return server_url(str(location)).set(drivername="postgresql").render_as_string(hide_password=True)
        except ReviewError:
            return "the PostgreSQL URL in $FACTCHECK_REVIEWS"
    return str(location)


def _sqlite_engine(path: Path) -> Engine:
    # A connection per use, as before (NullPool): cheap for a file, and nothing stays open on a file
    # that a restore replaces. pysqlite's own transaction handling is off: we emit BEGIN ourselves, so
    # reads see one snapshot and writes take the write lock first (BEGIN IMMEDIATE) — a version check
    # and the write it guards are then atomic.
    engine = create_engine(URL.create("sqlite", database=str(path)), poolclass=NullPool,
                           connect_args={"timeout": 15, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


_engines: dict[tuple[int, str], Engine] = {}
_engines_lock = threading.Lock()


def _server_engine(location: str) -> Engine:
    # One pool per server and process (a forked process builds its own: connections never cross a fork).
    key = (os.getpid(), location)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = create_engine(server_url(location), pool_size=5, max_overflow=10, pool_pre_ping=True,
                                   connect_args={"connect_timeout": 10})
            _engines[key] = engine
        return engine


class ReviewDatabase:
    """One review database (SQLite file or PostgreSQL server): transactions and the schema's revision.

    ``path`` is the SQLite file (None for a server); ``location`` is what was given, as text.
    """

    def __init__(self, location: str | Path) -> None:
        self.location = str(location)
        self.server = is_server(self.location)
        self.path: Path | None = None if self.server else Path(location)
        if self.path is not None and self.path.is_dir():
            raise ReviewError(f"{self.path} is a folder — point {REVIEWS_ENV} at a file such as reviews.sqlite3")
        self.engine = _server_engine(self.location) if self.server else _sqlite_engine(self.path)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __repr__(self) -> str:
        return f"ReviewDatabase({describe(self.location)!r})"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction (one consistent view), closed after use."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed at the end of the block (rolled back on an error)."""
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def errors(self, doing: str, hint: str = "try again") -> Iterator[None]:
        """Turn a database failure while ``doing`` into a one-line ``ReviewError``."""
        try:
            yield
        except (SQLAlchemyError, OSError) as exc:
            raise ReviewError(self.explain(exc, doing, hint)) from exc

    def explain(self, exc: BaseException, doing: str, hint: str = "try again") -> str:
        """One line: what failed, the database's own reason, and what to do."""
        reason = getattr(exc, "orig", None) or exc
        first = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
        if self.server and isinstance(exc, OperationalError):
            if "does not exist" in first:
                hint = f"create the database (createdb) or check the URL in {REVIEWS_ENV}"
            else:
                hint = f"is the PostgreSQL server running? (`make team` starts one); check {REVIEWS_ENV}"
        return f"{doing} at {describe(self.location)} failed ({first}) — {hint}"

    # -- writes both dialects spell differently -----------------------------------------------
    def _insert(self, table: Table):
        return (postgresql_insert if self.server else sqlite_insert)(table)

    def upsert(self, conn: Connection, table: Table, values: dict | list[dict], update: Sequence[str] | None = None) -> None:
        """Insert rows, or on a primary-key clash update ``update``'s columns (all the others when None)."""
        rows = values if isinstance(values, list) else [values]
        if not rows:
            return
        keys = [column.name for column in table.primary_key.columns]
        statement = self._insert(table)
        columns = update if update is not None else [name for name in rows[0] if name not in keys]
        conn.execute(statement.on_conflict_do_update(
            index_elements=keys, set_={name: statement.excluded[name] for name in columns}), rows)

    def insert_new(self, conn: Connection, table: Table, values: dict) -> int:
        """Insert one row unless its primary key is taken (even by a transaction still in flight, which
        PostgreSQL waits for); return how many rows were written (0 or 1)."""
        key = list(table.primary_key.columns)[0]
        statement = self._insert(table).values(**values).on_conflict_do_nothing().returning(key)
        return len(conn.execute(statement).all())

    # -- the schema ---------------------------------------------------------------------------
    def revision(self, conn: Connection | None = None) -> str | None:
        """The migration the database is at (None: no schema yet, or one made before migrations)."""
        if conn is None:
            with self.read() as conn:
                return self.revision(conn)
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    @property
    def schema_version(self) -> int:
        """The schema's number: the newest migration it has had (``HEAD`` once opened by this release)."""
        return int(self.revision() or 0)

    def upgrade(self) -> None:
        """Create the schema, or bring an older one up to ``HEAD``, in one transaction.

        A SQLite file written before migrations (its ``PRAGMA user_version`` 0 or 1) is first marked as
        the migration it equals, then upgraded; a database from a newer release is refused.
        """
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.errors("Opening the review database", f"check the path or set {REVIEWS_ENV} to a writable "
                         "file or a postgresql:// URL"):
            with self.read() as conn:
                if self.revision(conn) == HEAD:
                    return
            if self.path is not None:
                raw = self.engine.raw_connection()  # outside a transaction: WAL is a property of the file
                try:
                    raw.driver_connection.execute("PRAGMA journal_mode=WAL")
                finally:
                    raw.close()
            with self.write() as conn:
                if self.server:  # another process may be creating the same schema
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                self._upgrade(conn)

    def _upgrade(self, conn: Connection) -> None:
        from alembic import command
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        scripts = ScriptDirectory.from_config(config)
        current = self.revision(conn)
        if current is None and inspect(conn).has_table("reviews"):
            legacy = conn.exec_driver_sql("PRAGMA user_version").scalar() if self.dialect == "sqlite" else 0
            if legacy not in _LEGACY_REVISIONS:
                raise ReviewError(f"{describe(self.location)} was written by a newer factcheck (schema {legacy}) — "
                                  "upgrade factcheck")
            command.stamp(config, _LEGACY_REVISIONS[legacy])
            current = _LEGACY_REVISIONS[legacy]
        if current == HEAD:
            return
        if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
            raise ReviewError(f"{describe(self.location)} was written by a newer factcheck (schema {current}) — "
                              "upgrade factcheck")
        command.upgrade(config, "head")
        if self.dialect == "sqlite":  # so a release from before migrations refuses the file with a clear message
            conn.exec_driver_sql(f"PRAGMA user_version = {int(HEAD)}")
        log.info("review database %s upgraded from %s to %s", describe(self.location), current or "nothing", HEAD)


def open_database(location: str | Path, what: str | None = None) -> ReviewDatabase:
    """The review database at ``location`` with its schema created or upgraded to ``HEAD``.

    ``what`` says what the caller keeps there, and leads an error's message ("Cannot keep drafts: …")."""
    try:
        database = ReviewDatabase(location)
        database.upgrade()
    except ReviewError as exc:
        if what is None:
            raise
        raise ReviewError(f"{what}: {exc}") from exc
    return database


class KeptInReviewDatabase:
    """A store kept in the review database: its ``location`` (path or URL, as given) and ``path`` (the
    SQLite file, None for a server) are the database's."""

    database: ReviewDatabase

    @property
    def location(self) -> str:
        return self.database.location

    @property
    def path(self) -> Path | None:
        return self.database.path
