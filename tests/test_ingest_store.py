"""Ingest into a real Chroma store on disk: idempotent, replaces changed files, survives a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from factcheck import EvidenceStore, Ingester, Settings, StoreError
from factcheck.evidence.retrieval import Retriever

pytestmark = pytest.mark.slow

FACTCHECK = [sys.executable, "-m", "factcheck.cli"]


def _write_docs(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nato.md").write_text(
        "---\ntitle: NATO enlargement\nid: nato\ndate: 2024-03-07\n---\n"
        "Finland joined NATO on 4 April 2023. Sweden joined NATO on 7 March 2024. "
        "The alliance then had 32 members.\n\nTurkey and Hungary were the last members to ratify Sweden's bid.\n",
        encoding="utf-8")
    (folder / "rates.txt").write_text(
        "The European Central Bank cut its deposit rate to 3.75 percent on 6 June 2024. "
        "It was the first cut since 2019.", encoding="utf-8")
    lines = [{"id": f"sci-{i}", "title": f"Study {i}", "abstract": [f"Study {i} measured sleep in {10 * i} adults.",
                                                                        "Longer sleep improved memory."]}
             for i in range(1, 4)]
    (folder / "studies.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 10)


def test_ingest_is_idempotent_and_replaces_changed_files(tmp_path):
    docs = tmp_path / "docs"
    _write_docs(docs)
    store = EvidenceStore(tmp_path / "store", create=True)
    summary = Ingester(store).ingest([docs])
    assert summary.documents == 5 and summary.files == 4
    assert {Path(s.path).name for s in summary.skipped} == {"notes.docx", "blob.txt"}
    first_count = store.count()
    assert first_count == summary.passages_added >= 5

    again = Ingester(store).ingest([docs])
    assert again.passages_added == 0 and again.passages_removed == 0 and again.documents_unchanged == 5
    assert store.count() == first_count

    (docs / "rates.txt").write_text("The European Central Bank cut its deposit rate to 3.5 percent in September 2024.",
                                    encoding="utf-8")
    changed = Ingester(store).ingest([docs])
    assert changed.documents_unchanged == 4 and changed.passages_added == 1 and changed.passages_removed == 1
    texts = [p.text for p in store.passages() if p.doc_id.endswith("rates.txt")]
    assert texts == ["The European Central Bank cut its deposit rate to 3.5 percent in September 2024."]

    # A .jsonl line removed from its file leaves the store too.
    lines = (docs / "studies.jsonl").read_text().splitlines()
    (docs / "studies.jsonl").write_text("\n".join(lines[:2]), encoding="utf-8")
    Ingester(store).ingest([docs])
    assert "sci-3" not in {s.doc_id for s in store.sources()}
    assert {"nato", "sci-1", "sci-2"} <= {s.doc_id for s in store.sources()}

    removed = store.remove_source("nato")
    assert removed >= 1 and "nato" not in {s.doc_id for s in store.sources()}
    with pytest.raises(StoreError, match="No document"):
        store.remove_source("nato")


def _listing_from_metadata(store) -> list[tuple]:
    """What ``sources()`` must say, read the slow way: every passage's metadata from the store itself."""
    from collections import Counter

    metas = store._get_all()["metadatas"]
    counts = Counter(m["doc_id"] for m in metas)
    first = {}
    for m in metas:
        first.setdefault(m["doc_id"], m)
    return sorted((first[d]["source"], d, first[d]["title"] or None, n, first[d]["date"] or None)
                  for d, n in counts.items())


def _listing(store) -> list[tuple]:
    return sorted((s.source, s.doc_id, s.title, s.passages, s.date) for s in store.sources())


def test_the_document_listing_comes_from_the_catalogue_and_matches_the_store(tmp_path):
    """sources() reads the catalogue kept with the BM25 index (a million passages' metadata take minutes to
    read); it says what the passages' own metadata say after ingests, a removal, a rebuild and an upgrade."""
    from factcheck.evidence.lexical import INDEX_FILE

    docs = tmp_path / "docs"
    _write_docs(docs)
    store = EvidenceStore(tmp_path / "store", create=True)
    Ingester(store).ingest([docs])
    assert _listing(store) == _listing_from_metadata(store) and len(_listing(store)) == 5
    calls = []
    store._get_all = lambda *a, **k: calls.append(a) or EvidenceStore._get_all(store, *a, **k)
    store.sources()
    assert calls == []  # no passage metadata read
    del store._get_all
    store.remove_source("nato")
    assert _listing(store) == _listing_from_metadata(store) and "nato" not in {s.doc_id for s in store.sources()}

    index_file = tmp_path / "store" / "lexical" / "factcheck" / INDEX_FILE
    index_file.unlink()  # rebuilt from the store, catalogue and all
    assert _listing(EvidenceStore(tmp_path / "store")) == _listing_from_metadata(store)
    # An index written before the catalogue existed (format 2) is rebuilt the same way.
    with np.load(index_file) as saved:
        old = {k: saved[k] for k in saved.files if k not in ("doc_of", "doc_ids", "doc_info")}
    old["format"] = np.int64(2)
    with open(index_file, "wb") as handle:
        np.savez(handle, **old)
    assert _listing(EvidenceStore(tmp_path / "store")) == _listing_from_metadata(store)


def test_retrieval_finds_the_relevant_passage_with_similarity(tmp_path):
    docs = tmp_path / "docs"
    _write_docs(docs)
    store = EvidenceStore(tmp_path / "store", create=True)
    Ingester(store).ingest([docs])
    hits = Retriever(store, Settings(top_k=3)).retrieve(["When did Sweden become a NATO member?",
                                                          "ECB interest rate cut in June 2024"])
    assert hits[0][0].passage.doc_id == "nato" and "Sweden" in hits[0][0].passage.text
    assert hits[1][0].passage.doc_id.endswith("rates.txt")
    assert all(-1.0 <= h.similarity <= 1.0 for row in hits for h in row)
    assert hits[0][0].similarity > hits[0][-1].similarity
    passage = hits[0][0].passage
    assert passage.title == "NATO enlargement" and passage.date == "2024-03-07"
    assert all(passage.text[a:b].strip() for a, b in passage.sentences)


def test_a_document_with_a_sources_list_ingests_and_its_link_reaches_the_evidence(tmp_path):
    from factcheck import Checker

    from .test_loaders import SOURCED_VETO

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "veto.md").write_text(SOURCED_VETO.replace(
        "Russia vetoed the renewal. China abstained.",
        "Russia vetoed the renewal of the UN Panel of Experts on North Korea on 28 March 2024. China abstained."),
        encoding="utf-8")
    store = EvidenceStore(tmp_path / "store", create=True)
    summary = Ingester(store).ingest([docs])
    assert summary.documents == 1 and not summary.skipped, summary.describe()
    assert {p.url for p in store.passages()} == {"https://press.un.org/en/2024/sc15648.doc.htm"}

    report = Checker(Settings(store=str(tmp_path / "store")), store=store).check(
        "Russia vetoed the renewal of the UN panel of experts on North Korea in March 2024.")
    evidence = [e for result in report.claims for e in result.evidence]
    assert evidence and {e.url for e in evidence} == {"https://press.un.org/en/2024/sc15648.doc.htm"}


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="No store at .* run `factcheck ingest"):
        EvidenceStore(tmp_path / "nowhere").count()
    with pytest.raises(StoreError, match="Cannot reach the Chroma server"):
        EvidenceStore("http://127.0.0.1:9").count()


def test_killed_ingest_leaves_a_usable_store_that_a_rerun_completes(tmp_path):
    docs = tmp_path / "many"
    docs.mkdir()
    for i in range(400):
        (docs / f"doc{i:03d}.txt").write_text(
            f"Report {i} says the harbour at site {i} handled {i * 37} containers in {1990 + i % 30}. "
            f"Inspectors visited site {i} twice. The operator of site {i} disputed the count.", encoding="utf-8")
    store_dir = tmp_path / "store"
    env = {**os.environ, "FACTCHECK_STORE": str(store_dir)}
    proc = subprocess.Popen([*FACTCHECK, "ingest", str(docs)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    # Wait until the store exists and some passages are being written, then kill without warning.
    while time.time() < deadline and proc.poll() is None:
        db = store_dir / "chroma.sqlite3"
        if db.exists() and db.stat().st_size > 400_000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; the corpus is too small for this test"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    partial = EvidenceStore(store_dir).count()  # opens: the kill did not corrupt it
    summary = Ingester(EvidenceStore(store_dir)).ingest([docs])  # the rerun, in this process
    full = EvidenceStore(store_dir).count()
    assert full >= partial and full == 400
    assert summary.documents == 400 and not summary.skipped, summary.describe()


def test_an_edited_title_alone_reaches_the_stored_passages_and_the_document_list(tmp_path):
    from factcheck import EvidenceStore, Ingester

    docs = tmp_path / "docs"
    docs.mkdir()
    body = "The Riverside Rowing Club was founded in 1901. It trains on the river every morning.\n"
    (docs / "club.md").write_text(f"---\ntitle: Old title\n---\n{body}", encoding="utf-8")
    store = EvidenceStore(tmp_path / "store", create=True)
    Ingester(store).ingest([docs])
    (docs / "club.md").write_text(f"---\ntitle: Riverside Rowing Club history\n---\n{body}", encoding="utf-8")
    summary = Ingester(store).ingest([docs])
    assert (summary.passages_added, summary.passages_removed, summary.passages_refreshed) == (0, 0, 1)
    reopened = EvidenceStore(tmp_path / "store")
    assert [p.title for p in reopened.passages()] == ["Riverside Rowing Club history"]
    assert [s.title for s in reopened.sources()] == ["Riverside Rowing Club history"]
