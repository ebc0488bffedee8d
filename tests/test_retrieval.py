"""Retrieval on a real Chroma store on disk: hybrid fusion, dense similarity, BM25 kept in step with ingest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from factcheck import EvidenceStore, Ingester, Settings
from factcheck.evidence.chunking import Passage
from factcheck.evidence.lexical import INDEX_FILE, LexicalIndex
from factcheck.resources import get_embeddings
from factcheck.evidence.retrieval import Retriever, reciprocal_rank_fusion

pytestmark = pytest.mark.slow

# Paraphrases that an embedding ranks close to the question, and one passage that names the drug:
# the case where exact-term matching matters.
DRUG_DOCS = {
    "target": "Regulators withdrew ZQ-9127 in 2021 after reports of liver damage.",
    "faq": "Which adverse reactions can this medication cause?",
    "nausea": "Adverse reactions to the medicine included nausea, headaches and dizziness.",
    "fatigue": "Common side effects of the new drug were fatigue and mild stomach upset.",
    "insomnia": "Patients taking the tablets reported unwanted effects such as insomnia.",
    "rash": "Doctors warned that the pill can cause rashes and dry mouth in some users.",
    "library": "The city council approved a new budget for public libraries.",
    "rain": "Rainfall in the region was above average last spring.",
    "wheat": "Exports of wheat rose sharply after the harvest.",
}
DRUG_QUESTION = "What side effects does ZQ-9127 have?"


def _write_jsonl(path, docs: dict[str, str]) -> None:
    path.write_text("".join(json.dumps({"id": i, "abstract": [t]}) + "\n" for i, t in docs.items()))


def _build(tmp_path, docs: dict[str, str]) -> tuple[Settings, EvidenceStore]:
    source = tmp_path / "docs.jsonl"
    _write_jsonl(source, docs)
    settings = Settings(store=str(tmp_path / "store"))
    store = EvidenceStore(settings.store, settings.collection, create=True)
    Ingester(store, settings).ingest([source])
    return settings, store


def _doc_ranks(retriever: Retriever, query: str, k: int) -> list[str]:
    return [hit.passage.doc_id for hit in retriever.retrieve([query], k)[0]]


def test_rrf_orders_by_summed_reciprocal_ranks():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60)
    assert [i for i, _ in fused] == ["a", "c", "b"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_hybrid_finds_the_exact_term_dense_misses(tmp_path):
    settings, store = _build(tmp_path, DRUG_DOCS)
    dense = _doc_ranks(Retriever(store, Settings(store=settings.store, hybrid=False)), DRUG_QUESTION, 3)
    hybrid = _doc_ranks(Retriever(store, settings), DRUG_QUESTION, 3)
    assert dense[0] != "target", "the crafted case no longer needs exact terms: dense already wins"
    assert hybrid[0] == "target"
    assert "target" not in dense or dense.index("target") > hybrid.index("target")


def test_dense_only_matches_the_store_search(tmp_path):
    settings, store = _build(tmp_path, DRUG_DOCS)
    retriever = Retriever(store, Settings(store=settings.store, hybrid=False))
    hits = retriever.retrieve([DRUG_QUESTION, "budget for libraries"], 2)
    vector = retriever.embed([DRUG_QUESTION])[0]
    assert [(h.passage.id, round(h.similarity, 6)) for h in hits[0]] == [
        (p.id, round(s, 6)) for p, s in store.search_by_vector(vector, 2)]
    assert hits[1][0].passage.doc_id == "library" and hits[1][0].lexical_rank is None


def test_similarity_is_dense_cosine_for_every_hybrid_hit(tmp_path):
    settings, store = _build(tmp_path, DRUG_DOCS)
    settings.candidates = 2  # so some hits come from BM25 alone and need their similarity computed
    hits = Retriever(store, settings).retrieve([DRUG_QUESTION], 2)[0]
    assert [h.dense_rank is None for h in hits] == [False, True]
    query = np.asarray(get_embeddings().embed_query(DRUG_QUESTION))
    for hit in hits:
        passage = np.asarray(get_embeddings().embed_documents([hit.passage.text])[0])
        cosine = float(query @ passage / (np.linalg.norm(query) * np.linalg.norm(passage)))
        assert hit.similarity == pytest.approx(cosine, abs=1e-4)
    assert [h.rank for h in hits] == [1, 2]
    assert [h.fused_score for h in hits] == sorted((h.fused_score for h in hits), reverse=True)


def test_bm25_follows_reingest_and_removal(tmp_path):
    settings, store = _build(tmp_path, DRUG_DOCS)
    assert store.lexical.ids() == set(store._get_all(include=())["ids"])
    old_ids = store.ids_for_doc("target")

    changed = dict(DRUG_DOCS, target="Regulators withdrew ZQ-9127 in 2021 after cases of pancreatitis.")
    del changed["wheat"]
    _write_jsonl(tmp_path / "docs.jsonl", changed)
    summary = Ingester(store, settings).ingest([tmp_path / "docs.jsonl"])
    assert summary.passages_added == 1 and summary.passages_removed == 2

    lexical = store.lexical
    assert lexical.ids() == set(store._get_all(include=())["ids"])
    assert not old_ids & lexical.ids()
    assert [store.passages([i])[0].doc_id for i, _ in lexical.search("pancreatitis", 5)] == ["target"]
    assert lexical.search("liver", 5) == [] and lexical.search("wheat harvest", 5) == []

    store.remove_source("target")
    assert store.lexical.search("ZQ-9127 pancreatitis", 5) == []
    assert "target" not in _doc_ranks(Retriever(store, settings), DRUG_QUESTION, 8)
    # And the saved index agrees: a fresh store object reads the same ids without resyncing.
    assert EvidenceStore(settings.store).lexical.ids() == lexical.ids()


def _run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_bm25_index_persists_across_processes(tmp_path):
    source = tmp_path / "docs.jsonl"
    _write_jsonl(source, DRUG_DOCS)
    store_dir = tmp_path / "store"
    Ingester(EvidenceStore(store_dir, create=True)).ingest([source])
    index_file = store_dir / "lexical" / "factcheck" / INDEX_FILE
    assert index_file.is_file()
    saved_at = index_file.stat().st_mtime_ns

    # Another process loads the index this one wrote, and does not rebuild it.
    first = _run_python(f"""
        from factcheck import EvidenceStore, Settings
        from factcheck.evidence.retrieval import Retriever
        store = EvidenceStore({str(store_dir)!r})
        print(Retriever(store, Settings(store={str(store_dir)!r})).retrieve([{DRUG_QUESTION!r}], 1)[0][0].passage.doc_id)
    """)
    assert first == "target"
    assert index_file.stat().st_mtime_ns == saved_at, "a reader rebuilt the index instead of loading it"

    # A store written by a BM25-unaware client (index gone) is re-synced from Chroma on first use.
    index_file.unlink()
    assert len(EvidenceStore(store_dir).lexical) == len(DRUG_DOCS) and index_file.is_file()


def test_langchain_retriever_interface(tmp_path):
    from langchain_core.retrievers import BaseRetriever

    settings, store = _build(tmp_path, DRUG_DOCS)
    retriever = Retriever(store, settings).as_langchain(k=2)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke(DRUG_QUESTION)
    assert [d.metadata["doc_id"] for d in docs][0] == "target"
    assert len(docs) == 2 and docs[0].metadata["lexical_rank"] == 1 and 0 < docs[0].metadata["similarity"] < 1


@pytest.fixture
def chroma_server(tmp_path):
    """A real Chroma server on a free port, stopped by PID afterwards."""
    import socket
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([str(Path(sys.executable).with_name("chroma")), "run", "--path", str(tmp_path / "server"),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
                break
            except OSError:
                assert server.poll() is None and time.time() < deadline, "the Chroma server did not start"
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.server
def test_server_store_bm25_is_cached_locally_and_follows_other_clients(tmp_path, monkeypatch, chroma_server):
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "docs.jsonl"
    _write_jsonl(source, DRUG_DOCS)
    settings = Settings(store=chroma_server)
    store = EvidenceStore(chroma_server, settings.collection, create=True)
    Ingester(store, settings).ingest([source])
    cached = list((tmp_path / "cache" / "lexical").glob(f"*/{INDEX_FILE}"))
    assert len(cached) == 1
    assert _doc_ranks(Retriever(store, settings), DRUG_QUESTION, 1) == ["target"]

    # Each factcheck write leaves a write stamp on the server: a process whose cached index holds it does not
    # diff the server's ids again on opening (at a million passages that is seconds of HTTP).
    diffs = []
    sync = LexicalIndex.sync
    monkeypatch.setattr(LexicalIndex, "sync", lambda index, s: diffs.append(s.location) or sync(index, s))
    EvidenceStore(chroma_server, settings.collection).lexical  # noqa: B018 - takes the stamp after one diff
    diffs.clear()
    reader = EvidenceStore(chroma_server, settings.collection)
    assert len(reader.lexical) == store.count() and diffs == []
    # A factcheck client on another machine (its own cache) writes: the reader's next check sees a new stamp,
    # diffs, and finds the passage.
    monkeypatch.setattr(EvidenceStore, "lexical_recheck_s", 0.0)
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path / "other-machine"))
    writer = EvidenceStore(chroma_server, settings.collection)
    writer.add([Passage(id="fresh", doc_id="fresh", source="writer", text="QX-5531 was recalled in May.",
                        sentences=[(0, 28)], index=0)])
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path / "cache"))
    diffs.clear()
    assert "fresh" in reader.lexical and diffs == [chroma_server]
    reader.lexical  # noqa: B018 - in step again: no further diff
    assert diffs == [chroma_server]

    # Another client, unaware of BM25, writes to the server: our index catches up once the recheck is due.
    other = EvidenceStore(chroma_server, settings.collection)
    other.collection.add(ids=["late"], documents=["Regulators later cleared QX-5531 for children."],
                         metadatas=[{"doc_id": "late", "source": "other-client", "sentences": "[]"}],
                         embeddings=[get_embeddings().embed_query("Regulators later cleared QX-5531 for children.")])
    hits = Retriever(store, settings).retrieve(["Was QX-5531 cleared?"], 1)[0]
    assert hits[0].passage.doc_id == "late" and hits[0].lexical_rank == 1


def test_bm25_indexes_the_document_title(tmp_path):
    """A passage is found by its document's title, both when added and when rebuilt from the store."""
    source = tmp_path / "titled.jsonl"
    source.write_text(json.dumps({"id": "rail", "title": "Khasan-Rajin railway",
                                  "abstract": ["The line reopened in 2013 after a Russian-funded rebuild."]}) + "\n"
                      + json.dumps({"id": "other", "abstract": ["Wheat exports rose after the harvest."]}) + "\n")
    settings = Settings(store=str(tmp_path / "store"))
    store = EvidenceStore(settings.store, create=True)
    Ingester(store, settings).ingest([source])
    rail = store.ids_for_doc("rail")
    assert [i for i, _ in store.lexical.search("Rajin", 5)] == sorted(rail)
    (tmp_path / "store" / "lexical" / "factcheck" / INDEX_FILE).unlink()
    assert [i for i, _ in EvidenceStore(settings.store).lexical.search("Rajin", 5)] == sorted(rail)


def test_a_batch_gives_each_query_its_own_similarities(tmp_path):
    """Regression: a passage found for two queries once carried the last query's similarity into both."""
    settings, store = _build(tmp_path, DRUG_DOCS)
    retriever = Retriever(store, settings)
    queries = [DRUG_QUESTION, "Which medicine causes rashes?", "Exports of wheat"]
    batch = retriever.retrieve(queries, 4)
    for query, hits in zip(queries, batch):
        alone = retriever.retrieve([query], 4)[0]
        assert [(h.passage.id, round(h.similarity, 5)) for h in hits] == [
            (h.passage.id, round(h.similarity, 5)) for h in alone]


def test_a_claims_evidence_holds_at_most_two_passages_of_one_document(tmp_path):
    # One long background document whose every passage is on the topic, and four short sources.
    docs = {"report": [f"The harbour bridge toll rose this spring by {n} cents on route {n}." for n in range(1, 16)],
            "paper": ["The local paper reported that the harbour bridge toll went up again this spring."],
            "council": ["The council denied that the harbour bridge toll had risen this spring."],
            "radio": ["Commuters told the radio station the harbour bridge toll is now too high."],
            "blog": ["A transport blog listed every change to the harbour bridge toll since it opened."]}
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps({"id": i, "abstract": t}) + "\n" for i, t in docs.items()))
    settings = Settings(store=str(tmp_path / "store"), passage_sentences=1)
    store = EvidenceStore(settings.store, settings.collection, create=True)
    Ingester(store, settings).ingest([source])
    query = "The harbour bridge toll rose this spring."
    for hybrid in (True, False):
        uncapped = _doc_ranks(Retriever(store, Settings(store=settings.store, hybrid=hybrid, per_document=0)), query, 5)
        capped = _doc_ranks(Retriever(store, Settings(store=settings.store, hybrid=hybrid)), query, 5)
        assert uncapped.count("report") > 2, uncapped  # the case needs the cap
        assert capped.count("report") == 2 and len(capped) == 5, capped
        assert {"paper", "council"} <= set(capped), capped
    hits = Retriever(store, settings).retrieve([query], 5)[0]
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
