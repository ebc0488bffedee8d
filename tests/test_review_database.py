"""The review database on SQLite and on a real PostgreSQL server: migrations, old files upgraded in place,
every feature on both, concurrent writers, moving a desk between them, and backups under writes."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from factcheck import Evidence
from factcheck.cli import main
from factcheck.errors import ReviewError
from factcheck.memory.archive import Archive, ArchiveFilter, ArchivedClaim
from factcheck.memory.snapshots import Snapshot, SnapshotStore
from factcheck.review import schema
from factcheck.review.backup import backup_reviews, restore_reviews
from factcheck.review.database import HEAD, MIGRATIONS, open_database
from factcheck.review.drafts import Draft, DraftStore
from factcheck.review.store import SCHEMA_VERSION, Review, ReviewConflict, ReviewStore
from factcheck.review.transfer import copy_reviews
from factcheck.settings import Settings

from .review_writers import save_many

ROOT = Path(__file__).resolve().parent.parent


def _evidence(passage_id: str, sentence: str) -> Evidence:
    return Evidence(passage_id=passage_id, doc_id="d1", source="d1.md", title="D1", passage=sentence,
                    sentence=sentence, stance="neutral", score=0.5, similarity=0.7)


# -- the schema -------------------------------------------------------------------------------------
def test_the_migrations_build_the_tables_the_code_describes(reviews_location):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD and SCHEMA_VERSION == int(HEAD)
    database = open_database(reviews_location)
    assert database.schema_version == SCHEMA_VERSION
    with database.read() as conn:
        inspector = inspect(conn)
        for table in schema.TABLES:
            built = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
            assert built == {c.name: c.nullable for c in table.columns}, table.name
            assert set(inspector.get_pk_constraint(table.name)["constrained_columns"]) == set(table.primary_key.columns.keys())
            assert {i["name"] for i in inspector.get_indexes(table.name)} == {i.name for i in table.indexes}


# -- files made by earlier releases upgrade in place ---------------------------------------------------
SCHEMA_0 = """
CREATE TABLE articles (article_id TEXT PRIMARY KEY, name TEXT NOT NULL, text TEXT NOT NULL,
                       first_seen TEXT NOT NULL, last_opened TEXT NOT NULL);
CREATE TABLE reviews (article_id TEXT NOT NULL, claim_key TEXT NOT NULL, claim_text TEXT NOT NULL DEFAULT '',
                      flag TEXT, note TEXT NOT NULL DEFAULT '', pinned TEXT NOT NULL DEFAULT '[]',
                      dismissed TEXT NOT NULL DEFAULT '[]', reviewer TEXT NOT NULL, updated_at TEXT NOT NULL,
                      version INTEGER NOT NULL, PRIMARY KEY (article_id, claim_key));
CREATE TABLE review_history (id INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL,
                             claim_key TEXT NOT NULL, version INTEGER NOT NULL, flag TEXT, note TEXT NOT NULL,
                             pinned TEXT NOT NULL, dismissed TEXT NOT NULL, reviewer TEXT NOT NULL,
                             changed_at TEXT NOT NULL);
CREATE INDEX review_history_claim ON review_history (article_id, claim_key, version);
"""
# What schema 1 added (the first release's _to_version_1), and the tables the drafts, the archive and the
# snapshots created for themselves (the drafts once without their public summary).
SCHEMA_1 = """
ALTER TABLE reviews ADD COLUMN relabels TEXT NOT NULL DEFAULT '{}';
ALTER TABLE reviews ADD COLUMN public_summary TEXT NOT NULL DEFAULT '';
ALTER TABLE review_history ADD COLUMN relabels TEXT NOT NULL DEFAULT '{}';
ALTER TABLE review_history ADD COLUMN public_summary TEXT NOT NULL DEFAULT '';
ALTER TABLE review_history ADD COLUMN event TEXT NOT NULL DEFAULT 'saved';
ALTER TABLE articles ADD COLUMN lineage TEXT;
UPDATE articles SET lineage = article_id;
CREATE INDEX articles_lineage ON articles (lineage);
CREATE TABLE labelled_pairs (id INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL, claim_key TEXT NOT NULL,
    passage_id TEXT NOT NULL, claim TEXT NOT NULL, sentence TEXT NOT NULL, label TEXT, model_stance TEXT,
    reviewer TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE review_drafts (article_id TEXT NOT NULL, claim_key TEXT NOT NULL, reviewer TEXT NOT NULL, flag TEXT,
    note TEXT NOT NULL DEFAULT '', base_version INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL,
    PRIMARY KEY (article_id, claim_key, reviewer));
CREATE TABLE archive_claims (claim_id TEXT PRIMARY KEY, origin TEXT NOT NULL, text TEXT NOT NULL, title TEXT,
    verdict TEXT, note TEXT NOT NULL DEFAULT '', reviewer TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
    url TEXT, source TEXT NOT NULL DEFAULT '', article_id TEXT, claim_key TEXT, added_at TEXT NOT NULL);
CREATE INDEX archive_claims_review ON archive_claims (article_id, claim_key);
CREATE TABLE evidence_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL,
    claim_key TEXT NOT NULL, review_version INTEGER NOT NULL, saved_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX evidence_snapshots_claim ON evidence_snapshots (article_id, claim_key, review_version);
PRAGMA user_version = 1;
"""


def _old_file(path: Path, version: int) -> None:
    """A review file as an earlier release left it: three articles, their reviews and every saved version."""
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_0 + (SCHEMA_1 if version == 1 else ""))
        for n in range(3):
            conn.execute("INSERT INTO articles (article_id, name, text, first_seen, last_opened) VALUES "
                         "(?, ?, ?, '2024-06-01T10:00:00+00:00', '2024-06-01T10:00:00+00:00')",
                         (f"a{n}", f"article {n}.txt", f"Article number {n} says something checkable."))
            for key in ("c1-aa", "c2-bb"):
                for version_number in (1, 2):
                    conn.execute("INSERT INTO review_history (article_id, claim_key, version, flag, note, pinned,"
                                 " dismissed, reviewer, changed_at) VALUES (?, ?, ?, 'refuted', ?, '[\"p1\"]', '[]',"
                                 " 'ana', '2024-06-01T10:05:00+00:00')", (f"a{n}", key, version_number, f"v{version_number}"))
                conn.execute("INSERT INTO reviews (article_id, claim_key, claim_text, flag, note, pinned, dismissed,"
                             " reviewer, updated_at, version) VALUES (?, ?, 'A claim.', 'refuted', 'v2', '[\"p1\"]',"
                             " '[]', 'ana', '2024-06-01T10:05:00+00:00', 2)", (f"a{n}", key))
        if version == 1:
            conn.execute("INSERT INTO review_drafts VALUES ('a0', 'c1-aa', 'bo', 'supported', 'not yet', 2, 'now')")
            conn.execute("INSERT INTO archive_claims (claim_id, origin, text, added_at) VALUES "
                         "('import:1', 'import', 'An imported claim', 'now')")
            conn.execute("INSERT INTO evidence_snapshots (article_id, claim_key, review_version, saved_at, body) "
                         "VALUES ('a0', 'c1-aa', 2, 'now', ?)", (json.dumps(Snapshot(
                             "a0", "c1-aa", 2, "now", "A claim.", "refuted", 0.8, "refuted", []).to_dict()),))
    conn.close()


@pytest.mark.parametrize("version", [0, 1])
def test_a_file_of_an_earlier_schema_upgrades_in_place_with_every_row(tmp_path, version):
    path = tmp_path / "reviews.sqlite3"
    _old_file(path, version)
    inode = path.stat().st_ino
    reviews = ReviewStore(path)
    assert path.stat().st_ino == inode and reviews.schema_version == SCHEMA_VERSION  # the same file, upgraded
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # older releases refuse it
    conn.close()
    for n in range(3):
        found = reviews.for_article(f"a{n}")
        assert {k: (r.version, r.note, r.pinned) for k, r in found.items()} == {
            "c1-aa": (2, "v2", ["p1"]), "c2-bb": (2, "v2", ["p1"])}
        assert [(h.claim_key, h.version, h.note, h.event) for h in reviews.history(f"a{n}")] == [
            ("c1-aa", 1, "v1", "saved"), ("c1-aa", 2, "v2", "saved"), ("c2-bb", 1, "v1", "saved"),
            ("c2-bb", 2, "v2", "saved")]
    assert [a.article_id for a in reviews.articles()] and reviews.versions("a1") == ["a1"]
    saved = reviews.save(replace(found["c1-aa"], flag="supported"), reviewer="bo")
    assert saved.version == 3 and reviews.history("a2", "c1-aa")[-1].version == 3
    if version == 1:
        assert DraftStore(path).get("a0", "c1-aa", "bo").base_version == 2
        assert len(Archive(Settings(reviews=str(path), store=str(tmp_path / "store")))) == 1
        assert SnapshotStore(path).latest("a0", "c1-aa").review_version == 2
    assert ReviewStore(path).schema_version == SCHEMA_VERSION  # opening again changes nothing


def test_a_file_from_a_newer_release_is_refused_clearly(tmp_path):
    path = tmp_path / "reviews.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_0 + "PRAGMA user_version = 7;")
    conn.close()
    with pytest.raises(ReviewError, match="newer factcheck"):
        ReviewStore(path)


# -- every feature on PostgreSQL ---------------------------------------------------------------------
def _fill_a_desk(location: str, store_dir: Path) -> None:
    """Something in every table, through the public APIs."""
    reviews = ReviewStore(location)
    aid = reviews.remember_article("The council approved the budget in March after a long debate.", "budget.txt")
    first = reviews.save(Review(aid, "k1", flag="refuted", note="wrong month", pinned=["p1"], claim_text="Budget"),
                         reviewer="ana")
    reviews.save(replace(first, note="wrong month, see minutes").relabel("p2", "refutes"), reviewer="bo",
                 evidence=[_evidence("p2", "The budget passed in April.")])
    with pytest.raises(ReviewConflict):
        reviews.save(replace(first, note="stale"), reviewer="cy")
    reviews.save_setting("publisher", {"name": "Desk", "url": "https://desk.example/"})
    DraftStore(location).put(Draft(aid, "k2", "ana", flag="supported", note="half-way"))
    DraftStore(location).keep_pasted("bo", "Pasted but not checked.")
    archive = Archive(Settings(reviews=location, store=str(store_dir)), index=_NoIndex())
    archive._upsert([ArchivedClaim("import:7", "import", "An imported claim", verdict="false", date="2024-05-01")])
    archive.decide("Some claim", "import:7", "rejected", "ana")
    SnapshotStore(location).record(reviews.get(aid, "k1"), _Result())
    reviews.workflow.assign(aid, ["k1", "k2"], "ana", by="ed")
    reviews.workflow.start(aid, "k1", by="ana")
    reviews.workflow.submit(aid, "k1", by="bo")


class _NoIndex:
    """The archive's matching index is Chroma's business, not the review database's."""

    def add(self, *args, **kwargs) -> None:
        pass

    def remove(self, *args, **kwargs) -> None:
        pass


class _Result:
    def __init__(self) -> None:
        from factcheck.claims.extract import Claim
        from factcheck.verdict import Verdict

        text = "The council approved the budget in March."
        self.claim = Claim(id="c1", text=text, sentence=text, start=0, end=len(text), sentence_start=0,
                           sentence_end=len(text))
        self.verdict = Verdict("refuted", 0.8, 0, 1)
        self.evidence = [_evidence("p2", "The budget passed in April.")]


def _desk_contents(location: str) -> dict[str, list]:
    database = open_database(location)
    with database.read() as conn:
        return {table.name: sorted(tuple(row) for row in conn.execute(table.select()))
                for table in schema.TABLES}


def test_every_feature_works_on_postgresql(fresh_postgres, tmp_path):
    _fill_a_desk(fresh_postgres, tmp_path / "store")
    reviews = ReviewStore(fresh_postgres)
    (article,) = reviews.articles()
    review = reviews.get(article.article_id, "k1")
    assert (review.version, review.reviewer, review.relabels) == (2, "bo", {"p2": "refutes"})
    assert article.reviewed_claims == 1 and reviews.find_article(article.text) == article.article_id
    assert [c.reviewer for c in reviews.conflicts(article.article_id)] == ["cy"]
    assert [p.label for p in reviews.labelled_pairs()] == ["refutes"]
    assert reviews.setting("publisher")["name"] == "Desk"
    assert DraftStore(fresh_postgres).for_article(article.article_id, "ana")["k2"].note == "half-way"
    assert DraftStore(fresh_postgres).pasted("bo") == "Pasted but not checked."
    archive = Archive(Settings(reviews=fresh_postgres, store=str(tmp_path / "store")), index=_NoIndex())
    assert [c.claim_id for c in archive.list(ArchiveFilter(source="", since="2024-01-01"))] == ["import:7"]
    assert archive.decisions("some claim!") == {"import:7": "rejected"}
    assert SnapshotStore(fresh_postgres).latest(article.article_id, "k1").verdict == "refuted"
    assert reviews.workflow.status(article.article_id, "k1").state == "awaiting_second_review"
    assert reviews.path is None and "postgresql" in repr(reviews) and "@" in repr(reviews)


def test_an_unreachable_server_is_one_clear_line(tmp_path):
    from factcheck.servers.postgres import free_port

    with pytest.raises(ReviewError, match="PostgreSQL server running") as info:
        ReviewStore(f"postgresql://nobody:secret@127.0.0.1:{free_port()}/reviews")
    assert "\n" not in str(info.value) and "secret" not in str(info.value)


# -- concurrent writers: real processes against the real server ---------------------------------------------
def test_four_writer_processes_lose_nothing_and_conflicts_are_surfaced(fresh_postgres):
    ReviewStore(fresh_postgres)
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(save_many, [(fresh_postgres, f"w{i}", 200, 6) for i in range(4)])
    saved = [s for r in results for s in r["saved"]]
    conflicts = sum(r["conflicts"] for r in results)
    assert len(saved) + conflicts == 800 and conflicts > 0 and len(saved) > 0
    store = ReviewStore(fresh_postgres)
    history = store.history("desk")
    assert sorted((h.claim_key, h.version, h.note) for h in history) == sorted(saved)  # every success, no other
    for key in {h.claim_key for h in history}:
        versions = [h.version for h in history if h.claim_key == key]
        assert sorted(versions) == list(range(1, len(versions) + 1))  # no version saved twice, none skipped
        assert store.get("desk", key).version == len(versions)
        assert store.get("desk", key).note == next(h.note for h in reversed(history) if h.claim_key == key)
    assert len(store.conflicts("desk")) == conflicts  # every refused save is kept, with what was tried


# -- moving a desk -------------------------------------------------------------------------------------
def test_a_desk_moves_to_postgresql_and_back_with_nothing_lost(tmp_path, fresh_postgres):
    sqlite_desk = str(tmp_path / "reviews.sqlite3")
    _fill_a_desk(sqlite_desk, tmp_path / "store")
    result = CliRunner().invoke(main, ["reviews", "copy", sqlite_desk, fresh_postgres])
    assert result.exit_code == 0, result.output
    assert "2 saved versions" in result.output and "secret" not in result.output
    original = _desk_contents(sqlite_desk)
    assert all(original[t.name] for t in schema.TABLES)  # every table had something to move
    assert _desk_contents(fresh_postgres) == original
    back = tmp_path / "back.sqlite3"
    info = copy_reviews(fresh_postgres, back)
    assert _desk_contents(str(back)) == original and info.counts["review_history"] == 2
    # The copies keep working: new ids follow the copied ones.
    moved = ReviewStore(fresh_postgres)
    (article,) = moved.articles()
    moved.save(moved.get(article.article_id, "k1"), reviewer="dee")
    assert [h.version for h in moved.history(article.article_id, "k1")] == [1, 2, 3]
    again = CliRunner().invoke(main, ["reviews", "copy", sqlite_desk, fresh_postgres])
    assert again.exit_code == 1 and "already holds a desk" in again.output


# -- backups of a server under writes -------------------------------------------------------------------
WRITER = """
import sys
from factcheck.review.store import Review, ReviewConflict, ReviewStore
store, name, count = ReviewStore(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(count):
    key = f"c{n % 25}"
    try:
        store.save(Review(name, key, flag="refuted", note=f"{name} {n}", version=store.get(name, key).version),
                   reviewer=name)
    except ReviewConflict:
        pass
"""


def _consistent(location: str) -> tuple[int, int]:
    """(reviews, saved versions) of a restored database, checking each review matches its newest version."""
    store = open_database(location)
    with store.read() as conn:
        from sqlalchemy import text

        mismatched = conn.execute(text(
            "SELECT COUNT(*) FROM reviews r WHERE r.version != (SELECT MAX(version) FROM review_history h "
            "WHERE h.article_id = r.article_id AND h.claim_key = r.claim_key)")).scalar()
        assert mismatched == 0
        return (conn.execute(text("SELECT COUNT(*) FROM reviews")).scalar(),
                conn.execute(text("SELECT COUNT(*) FROM review_history")).scalar())


def test_pg_dump_backup_while_three_processes_write_then_restore(tmp_path, postgres_cluster):
    live = postgres_cluster.create_database("backup_live")
    ReviewStore(live)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, live, f"w{i}", "100"], env=env) for i in range(3)]
    backups = []
    try:
        while any(w.poll() is None for w in writers) or not backups:
            info = backup_reviews(live, tmp_path)
            backups.append((Path(info.path), info.history))
            time.sleep(0.05)
    finally:
        for writer in writers:
            writer.wait(timeout=120)
    assert all(w.returncode == 0 for w in writers)
    assert all(path.suffix == ".dump" for path, _ in backups)
    final = backup_reviews(live, tmp_path / "final.dump")
    assert (final.reviews, final.history) == (75, 300)
    # Each dump is one moment: restored into a scratch database, its rows match the counts taken with it.
    for n, (path, history) in enumerate(backups[:: max(1, len(backups) // 3)]):
        scratch = postgres_cluster.create_database(f"backup_check_{n}")
        restore_reviews(path, scratch)
        assert _consistent(scratch)[1] == history
    assert any(0 < history < 300 for _, history in backups), "no backup was taken while the writers wrote"

    early, early_history = backups[0]
    restored = restore_reviews(early, live)
    assert restored.history == early_history and restored.kept and "@" in restored.path
    kept_check = postgres_cluster.create_database("backup_kept")
    restore_reviews(Path(restored.kept), kept_check)
    assert _consistent(kept_check) == (75, 300)  # what the restore replaced is kept, whole
    store = ReviewStore(live)
    saved = store.save(Review("w0", "new-claim", flag="supported"), reviewer="ana")  # the restored db takes writes
    assert store.get("w0", "new-claim").version == saved.version == 1


def test_restore_refuses_what_is_not_a_review_backup(tmp_path, fresh_postgres):
    (tmp_path / "x.dump").write_text("hello")
    result = CliRunner().invoke(main, ["reviews", "restore", str(tmp_path / "x.dump"), "--reviews", fresh_postgres])
    assert result.exit_code == 1 and "not a PostgreSQL backup" in result.output
    assert len(result.output.strip().splitlines()) == 1
