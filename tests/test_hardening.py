"""Hardening: what a new user's bad input, a dying store, odd articles and live backups must survive.

The bad-input table is the probe from issue 21, kept: every row must end in exactly one line on
stderr, a non-zero exit and no traceback. Add a row for every bad input found since.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.errors import InputError, StoreError
from factcheck.evidence.loaders import load_file, read_article
from factcheck.review.backup import backup_reviews, restore_reviews
from factcheck.review.store import Review, ReviewStore

from .pdfmaker import write_text_pdf

ROOT = Path(__file__).resolve().parent.parent


def _write(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def _truncated_pdf(d: Path) -> str:
    whole = write_text_pdf(d / "whole.pdf", ["The bridge opened in 1998."]).read_bytes()
    return _write(d / "truncated.pdf", whole[: len(whole) // 2])


def _no_store_args(d: Path) -> list[str]:
    return ["--store", str(d / "no-store")]


# (id, arguments built in a temporary folder, standard input, what the one line must say)
BAD_INPUTS = [
    ("stance-missing-file", lambda d: ["stance", str(d / "missing.jsonl")], None, "cannot read it"),
    ("stance-folder", lambda d: ["stance", str(d)], None, "is a directory"),
    ("stance-not-json", lambda d: ["stance", _write(d / "p.jsonl", "{claim: 1}\n")], None, "line 1: not JSON"),
    ("stance-deep-json", lambda d: ["stance", _write(d / "p.jsonl", "[" * 100_000 + "\n")], None, "line 1"),
    ("stance-missing-fields", lambda d: ["stance", _write(d / "p.jsonl", '{"claim": "x"}\n')], None, "line 1"),
    ("stance-empty", lambda d: ["stance", _write(d / "p.jsonl", "\n\n")], None, "no pairs"),
    ("check-missing-file", lambda d: ["check", str(d / "missing.txt")], None, "no such file"),
    ("check-folder", lambda d: ["check", str(d)], None, "is a folder"),
    ("check-jsonl", lambda d: ["check", _write(d / "a.jsonl", '{"text": "x"}')], None, "not .jsonl"),
    ("check-empty-file", lambda d: ["check", _write(d / "a.txt", "")], None, "empty"),
    ("check-blank-stdin", lambda d: ["check", "-"], "  \n\t ", "empty"),
    ("check-too-long-stdin", lambda d: ["check", "-"], "word " * 50_000, "characters"),
    ("check-binary", lambda d: ["check", _write(d / "a.txt", bytes(range(256)) * 40)], None, "binary"),
    ("check-binary-no-suffix", lambda d: ["check", _write(d / "blob", b"\x7fELF\x02\x01" + b"\x00" * 300)], None, "binary"),
    ("check-bad-utf16-bom", lambda d: ["check", _write(d / "a.txt", b"\xff\xfe" + b"\x00\xd8" * 8)], None, "UTF-16"),
    ("check-truncated-pdf", lambda d: ["check", _truncated_pdf(d)], None, "PDF"),
    ("check-pdf-header-only", lambda d: ["check", _write(d / "a.pdf", "%PDF-1.7\n")], None, "PDF"),
    ("check-script-only-html", lambda d: ["check", _write(d / "a.html", "<html><script>var x = 1;</script></html>")],
     None, "no main text"),
    ("check-broken-front-matter", lambda d: ["check", _write(d / "a.md", "---\ntitle: [x\n---\nBody.\n")], None,
     "front matter"),
    ("check-unsupported-suffix", lambda d: ["check", _write(d / "a.docx", "PK")], None, "unsupported format"),
    ("check-no-store", lambda d: ["check", *_no_store_args(d), "-"], "The bridge opened in 1998.", "factcheck ingest"),
    ("check-dead-server", lambda d: ["check", "--store", "http://127.0.0.1:9", "-"], "The bridge opened in 1998.",
     "Cannot reach the Chroma server"),
    ("check-bad-store-url", lambda d: ["check", "--store", "http://", "-"], "The bridge opened in 1998.",
     "Bad store URL"),
    ("check-top-k-zero", lambda d: ["check", "--top-k", "0", "-"], "The bridge opened in 1998.", "top_k"),
    ("check-top-k-negative", lambda d: ["check", "--top-k", "-3", "-"], "The bridge opened in 1998.", "-3"),
    ("check-format-xml", lambda d: ["check", "--format", "xml", "-"], "The bridge opened in 1998.", "'xml'"),
    ("ingest-missing-path", lambda d: ["ingest", str(d / "nothing"), "--store", str(d / "s")], None,
     "No documents were ingested"),
    ("ingest-store-is-a-file", lambda d: ["ingest", _write(d / "a.txt", "The bridge opened in 1998."),
                                          "--store", _write(d / "store-file", "x")], None, "is a file"),
    ("sources-no-store", lambda d: ["sources", *_no_store_args(d)], None, "factcheck ingest"),
    ("remove-no-store", lambda d: ["remove", "x", *_no_store_args(d)], None, "factcheck ingest"),
    ("backup-no-database", lambda d: ["reviews", "backup", str(d / "b.sqlite3"), "--reviews", str(d / "none")], None,
     "not there"),
    ("backup-into-missing-folder", lambda d: ["reviews", "backup", str(d / "no" / "b.sqlite3"), "--reviews",
                                              str(ReviewStore(d / "r.sqlite3").path)], None, "does not exist"),
    ("restore-not-a-database", lambda d: ["reviews", "restore", _write(d / "b.sqlite3", "hello"), "--reviews",
                                          str(d / "r.sqlite3")], None, "not a SQLite review database"),
    ("restore-empty-file", lambda d: ["reviews", "restore", _write(d / "b.sqlite3", b""), "--reviews",
                                      str(d / "r.sqlite3")], None, "not a factcheck review database"),
    ("restore-missing", lambda d: ["reviews", "restore", str(d / "none.sqlite3")], None, "not there"),
]


@pytest.mark.parametrize("make_args, stdin, expected", [row[1:] for row in BAD_INPUTS],
                         ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_is_answered_in_one_line(tmp_path, make_args, stdin, expected):
    result = CliRunner().invoke(main, make_args(tmp_path), input=stdin)
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # anything else is a traceback
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0] and "Traceback" not in result.stderr


def test_library_log_lines_only_with_verbose(tmp_path):
    pdf = _truncated_pdf(tmp_path)
    quiet = CliRunner().invoke(main, ["check", pdf])
    loud = CliRunner().invoke(main, ["-v", "check", pdf])
    assert "pypdf" not in quiet.stderr and len(quiet.stderr.strip().splitlines()) == 1
    assert "WARNING pypdf" in loud.stderr, loud.stderr
    assert loud.stderr.strip().splitlines()[-1] == quiet.stderr.strip()


# -- encodings: a byte-order mark says what the text is ---------------------------------------------

TEXT = "Café owners in Zürich said prices rose 4% in 2023. 北京 disagreed.\n"


@pytest.mark.parametrize("data", [
    b"\xff\xfe" + TEXT.encode("utf-16-le"),
    b"\xfe\xff" + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-32"),
    TEXT.encode("utf-8-sig"),
    TEXT.encode("utf-16-le"),  # no mark: the NUL bytes on one side give it away
    TEXT.encode("utf-16-be"),
], ids=["utf16le-bom", "utf16be-bom", "utf32-bom", "utf8-bom", "utf16le-bare", "utf16be-bare"])
def test_unicode_encodings_are_read_not_refused(tmp_path, data):
    assert load_file(Path(_write(tmp_path / "a.txt", data)))[0].text == TEXT
    assert read_article(_write(tmp_path / "article", data)) == TEXT


def test_check_on_a_folder_points_at_ingest(tmp_path):
    with pytest.raises(InputError, match="`factcheck ingest` takes folders"):
        read_article(tmp_path)


# -- ingest: skipped lines are counted and named like skipped files ---------------------------------

@pytest.mark.slow
def test_ingest_names_skipped_jsonl_lines_and_reads_utf16(tmp_path):
    docs = tmp_path / "docs"
    _write(docs / "notes.txt", b"\xff\xfe" + "The bridge opened in 1998. It cost 2 billion euros.".encode("utf-16-le"))
    _write(docs / "abstracts.jsonl", "\n".join([
        json.dumps({"id": "a1", "text": "Finland joined NATO in April 2023."}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no body"}),
        json.dumps({"id": "a2", "abstract": ["Sweden joined in March 2024.", "It was the 32nd member."]}),
    ]))
    result = CliRunner().invoke(main, ["ingest", str(docs), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "3 documents from 2 files" in result.stdout
    assert "Skipped 3 lines:" in result.stdout
    for number, why in ((2, "not JSON"), (3, "not an object"), (4, "no `text` or `abstract`")):
        assert f"abstracts.jsonl:{number}: " in result.stdout and why in result.stdout
    assert "WARNING" not in result.stderr


# -- the shipped app's Streamlit settings ------------------------------------------------------------

def test_shipped_app_does_not_watch_the_checkout():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["address"] == "127.0.0.1"


# -- long and odd articles: the claim splitter holds ------------------------------------------------

@pytest.fixture(scope="module")
def extractor():
    from factcheck.claims.extract import ClaimExtractor

    extractor = ClaimExtractor()
    extractor.warm_up()
    return extractor


def _long_sentence() -> str:
    words = "the minister said that prices rose by 5 percent in 2023 while officials denied reports of".split()
    text = " ".join(words[i * 7 % len(words)] for i in range(2000))
    return text[:9_999].rsplit(" ", 1)[0] + "."


@pytest.mark.slow
@pytest.mark.parametrize("make_text", [
    _long_sentence,
    lambda: "\n".join(f"item{i}" for i in range(500)),
    lambda: ("Москва заявила 5 марта, что переговоры провалились. 北京表示谈判失败。 القاهرة قالت إن المحادثات فشلت. "
             "Zürich's café owners — “quoted” — said prices rose 3.5%.\n") * 10,
], ids=["one-10k-sentence", "500-one-word-lines", "mixed-scripts"])
def test_odd_articles_split_into_exact_spans(extractor, make_text):
    text = make_text()
    claims = extractor.extract(text)
    assert claims
    for claim in claims:
        assert text[claim.sentence_start:claim.sentence_end] == claim.sentence
        assert claim.sentence_start <= claim.start < claim.end <= claim.sentence_end


# -- a Chroma server that goes away and comes back -------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_chroma(data: Path, port: int) -> subprocess.Popen:
    """Start `chroma run` on 127.0.0.1:port and wait until it listens (a helper other tests may reuse)."""
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen([str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    pytest.fail("chroma run did not start listening within 90 s")


def stop_chroma(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.mark.slow
@pytest.mark.server
def test_store_that_goes_away_and_comes_back(tmp_path):
    from factcheck import Checker, EvidenceStore, Ingester, Settings

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    _write(tmp_path / "docs" / "veto.md", "---\nid: veto\n---\nOn 28 March 2024 Russia vetoed the renewal of the UN "
                                          "panel of experts on North Korea sanctions. China abstained.\n")
    server = start_chroma(tmp_path / "data", port)
    try:
        Ingester(EvidenceStore(url, create=True)).ingest([tmp_path / "docs"])
        checker = Checker(Settings(store=url, use_stance_model=False))
        claim = "Russia vetoed the renewal of the panel of experts in March 2024."
        assert checker.check(claim).claims[0].evidence
        stop_chroma(server)
        with pytest.raises(StoreError, match=f"evidence store at {url} is not answering — start it with") as info:
            checker.check(claim)
        assert "\n" not in str(info.value)
        server = start_chroma(tmp_path / "data", port)
        assert checker.check(claim).claims[0].evidence[0].doc_id == "veto"  # same checker: no restart needed
    finally:
        stop_chroma(server)


# -- backups: consistent while three processes write ------------------------------------------------

WRITER = """
import sys
from factcheck.review.store import Review, ReviewConflict, ReviewStore
store, name, count = ReviewStore(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store.remember_article("article " + name, name + ".txt")
for n in range(count):
    key = f"c{n % 25}"
    review = store.get(name, key)
    try:
        store.save(Review(name, key, flag="refuted", note=f"{name} {n}", version=review.version), reviewer=name)
    except ReviewConflict:
        pass
"""


def _snapshot_is_consistent(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # A save writes the review and its history row in one transaction: a torn copy would differ.
        mismatched = conn.execute(
            "SELECT COUNT(*) FROM reviews r WHERE r.version != "
            "(SELECT MAX(version) FROM review_history h WHERE h.article_id = r.article_id "
            "AND h.claim_key = r.claim_key)").fetchone()[0]
        assert mismatched == 0
        return (conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM review_history").fetchone()[0])


@pytest.mark.slow
def test_backup_while_three_processes_write_then_restore(tmp_path):
    live = tmp_path / "reviews.sqlite3"
    ReviewStore(live)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(live), f"w{i}", "100"], env=env) for i in range(3)]
    backups = []
    try:
        while any(w.poll() is None for w in writers) or not backups:
            info = backup_reviews(live, tmp_path / f"backup-{len(backups)}.sqlite3")
            backups.append((Path(info.path), info.history))
            time.sleep(0.05)
    finally:
        for writer in writers:
            writer.wait(timeout=120)
    assert all(w.returncode == 0 for w in writers)
    assert any(0 < history < 300 for _, history in backups), "no backup was taken while the writers wrote"
    for path, history in backups:
        assert _snapshot_is_consistent(path)[1] == history
    final = backup_reviews(live, tmp_path / "final.sqlite3")
    assert (final.reviews, final.history) == (75, 300)

    # Restore an early snapshot over the live database: the current one is kept, nothing lost.
    early, early_history = backups[0]
    restored = restore_reviews(early, live)
    assert restored.history == early_history and restored.kept
    assert _snapshot_is_consistent(Path(restored.kept)) == (75, 300)
    store = ReviewStore(live)
    saved = store.save(Review("w0", "new-claim", flag="supported"), reviewer="ana")  # the restored db takes writes
    assert store.get("w0", "new-claim").version == saved.version == 1


def test_backup_refuses_to_overwrite_the_database_itself(tmp_path):
    live = ReviewStore(tmp_path / "reviews.sqlite3").path
    with pytest.raises(Exception, match="the review database itself"):
        backup_reviews(live, live)
    with pytest.raises(Exception, match="PostgreSQL"):
        backup_reviews("postgresql://localhost/reviews", tmp_path / "b.sqlite3")


@pytest.mark.slow
@pytest.mark.server
def test_app_says_the_store_is_not_answering_keeps_reviews_and_recovers(tmp_path, monkeypatch):
    from factcheck import EvidenceStore, Ingester

    from .test_app import check_text, click, new_app, open_claim, review_widgets

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    _write(tmp_path / "docs" / "veto.md", "---\nid: veto\n---\nOn 28 March 2024 Russia vetoed the renewal of the UN "
                                          "panel of experts on North Korea sanctions. China abstained.\n")
    reviews_db = tmp_path / "reviews.sqlite3"
    monkeypatch.setenv("FACTCHECK_STORE", url)
    monkeypatch.setenv("FACTCHECK_REVIEWS", str(reviews_db))
    server = start_chroma(tmp_path / "data", port)
    try:
        Ingester(EvidenceStore(url, create=True)).ingest([tmp_path / "docs"])
        at = new_app("ana")
        text = "Russia vetoed the renewal of the panel of experts in March 2024."
        check_text(at, text)
        result = at.session_state["report"].checkworthy[0]

        stop_chroma(server)
        open_claim(at, result.claim.id)  # any rerun now meets the dead server
        assert any("is not answering — start it with" in e.value and url in e.value for e in at.error), \
            [e.value for e in at.error]
        flag, note = review_widgets(at)  # the article stays reviewable, and the review is saved
        flag.set_value("alleged")
        note.input("Checked while the store was down.")
        click(at, "Save review")
        stored = ReviewStore(reviews_db).for_article(at.session_state["article"])
        assert [r.note for r in stored.values()] == ["Checked while the store was down."]
        at.text_area(key="paste_text").input("China abstained in the vote on the panel of experts.")
        click(at, "Check claims")
        assert any("not answering" in e.value for e in at.error)

        server = start_chroma(tmp_path / "data", port)
        check_text(at, text)  # same app process, same cached Checker: no restart
        assert at.session_state["report"].checkworthy[0].evidence[0].doc_id == "veto"
    finally:
        stop_chroma(server)
