"""Shared fixtures: real stores built once per test session."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One compute thread per test worker (and per process a test starts): on a machine with as many cores as
    # workers, more threads only make the workers take turns.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ARTICLE = ROOT / "seeds" / "000_5812b4ca549976e4.txt"


def pytest_configure(config) -> None:
    """Under pytest-xdist, the controller names the run itself, so that it knows which shared ingest its workers
    made (``tests/stores.py``) and can remove it when they are done."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        if not config.option.testrunuid:
            config.option.testrunuid = uuid.uuid4().hex


def pytest_sessionfinish(session) -> None:
    """The controller removes the workers' shared ingest once they end."""
    run = getattr(session.config.option, "testrunuid", None)
    if run and not hasattr(session.config, "workerinput"):
        from .stores import remove_shared_store

        remove_shared_store(run)


@pytest.fixture(scope="session")
def corpus_store() -> Path:
    """An embedded store holding the shipped corpus/, ingested once per session. Treat it as read-only.

    It is the same store ``tests/stores.py`` builds for the CLI tests, so a full run ingests once.
    """
    from .stores import corpus_store_path

    return corpus_store_path()


@pytest.fixture(scope="session")
def example_article() -> str:
    """The bundled example news article."""
    return EXAMPLE_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def postgres_cluster():
    """A real PostgreSQL server (Debian's binaries, a cluster in a temporary folder, a free port on 127.0.0.1),
    started once per test session and stopped at its end."""
    import shutil
    import tempfile

    from factcheck.servers.postgres import PostgresCluster, postgres_available

    if not postgres_available():
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed — "
                    "apt-get install postgresql to run the PostgreSQL tests")
    # Its own folder straight under the temporary directory: when we are root the server runs as the postgres
    # user, which cannot enter pytest's root-only tmp_path.
    folder = Path(tempfile.mkdtemp(prefix="factcheck-pg-"))
    cluster = PostgresCluster(folder, durable=False)  # throwaway: no fsync
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster) -> str:
    """The URL of a database on the session's PostgreSQL server (shared: tests that need an empty one use
    ``fresh_postgres``)."""
    return postgres_cluster.url()


@pytest.fixture
def fresh_postgres(postgres_url, request) -> str:
    """The URL of an empty review database on the session's PostgreSQL server, for this test alone: a schema of
    its own in the shared database (``search_path`` in the URL), far quicker to make than a new database."""
    import re

    import psycopg

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + "_" + os.urandom(3).hex()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    return f"{postgres_url}?options=-csearch_path%3D{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def reviews_location(request, tmp_path) -> str:
    """A review database location on each backend: a SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "reviews.sqlite3")
    return request.getfixturevalue("fresh_postgres")
