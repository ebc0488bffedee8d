"""The BM25 index: Lucene BM25 scores, in-place updates, and a saved file that survives damage."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.evidence.lexical import INDEX_FILE, LexicalIndex, index_path, tokenize

PASSAGES = {
    "veto": "Russia vetoed the renewal of the UN Panel of Experts in March 2024.",
    "treaty": "Putin and Kim signed a comprehensive strategic partnership treaty in June 2024.",
    "rail": "The Khasan-Rajin railway links Russia with the North Korean port of Rason.",
    "troops": "North Korean troops were deployed to the Kursk region in late 2024.",
    "debt": "Russia wrote off 90 percent of North Korea's Soviet-era debt in 2014.",
}


def _index(path=None) -> LexicalIndex:
    index = LexicalIndex(path)
    index.add(list(PASSAGES), list(PASSAGES.values()))
    return index


@pytest.mark.parametrize("text, tokens", [
    ("The Proteins bind to receptors.", ["protein", "bind", "receptor"]),
    ("Studies of 5 mice", ["study", "5", "mice"]),
    ("It was not a virus.", ["virus"]),  # stopwords and lone letters go; "virus" keeps its "us" ending
    ("Rason's port", ["rason", "port"]),
    ("Class, glass, analysis", ["class", "glass", "analysis"]),
])
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_scores_match_bm25s_lucene():
    """Our query-time BM25 equals bm25s' precomputed Lucene BM25 on the same tokens."""
    import bm25s

    index = _index()
    reference = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    reference.index([tokenize(t) for t in PASSAGES.values()], show_progress=False)
    ids = list(PASSAGES)
    for query in ("Russia North Korea treaty", "Rason railway port", "debt written off in 2014"):
        ours = dict(index.search(query, k=5))
        theirs = reference.get_scores(tokenize(query))
        for row, passage_id in enumerate(ids):
            assert ours.get(passage_id, 0.0) == pytest.approx(float(theirs[row]), rel=1e-5)


def test_search_ranks_exact_terms_first():
    index = _index()
    assert index.search("Which port does the Khasan-Rajin railway reach?", k=1)[0][0] == "rail"
    assert [i for i, _ in index.search("Kursk", k=5)] == ["troops"]
    assert index.search("zebra giraffe", k=5) == []


def test_add_replaces_and_remove_drops():
    index = _index()
    index.add(["rail"], ["A bridge over the Tumen river carries the railway."])
    assert len(index) == len(PASSAGES)
    assert "rail" not in [i for i, _ in index.search("Rason", k=5)]
    assert index.search("Tumen", k=5)[0][0] == "rail"
    assert index.remove(["veto", "treaty", "unknown"]) == 2
    assert len(index) == 3 and "veto" not in index
    assert index.search("vetoed Panel of Experts", k=5) == []
    # Rows kept after a removal still score as if freshly indexed.
    fresh = LexicalIndex()
    fresh.add(["rail", "troops", "debt"], ["A bridge over the Tumen river carries the railway.",
                                           PASSAGES["troops"], PASSAGES["debt"]])
    for query in ("Russia debt 2014", "North Korean troops", "Tumen railway"):
        assert dict(index.search(query, 3)) == pytest.approx(dict(fresh.search(query, 3)))


def test_save_and_load_round_trip(tmp_path):
    index = _index(tmp_path / "lexical")
    index.remove(["debt"])
    index.save()
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded.ids() == index.ids()
    for query in ("Russia veto", "North Korean port", "2024"):
        assert loaded.search(query, 5) == index.search(query, 5)
    assert not loaded.changed_on_disk()
    index.add(["debt"], [PASSAGES["debt"]])
    index.save()
    assert loaded.changed_on_disk()


def test_writes_after_searches_keep_every_row(tmp_path):
    """Searching keeps only the column-major copy of the counts (half the memory at scale); a write or a save
    after it rebuilds the rows, so searches, writes and saves in any order give what a fresh index gives."""
    index = _index(tmp_path / "lexical")
    queries = ("Russia debt 2014", "North Korean troops", "Tumen railway", "treaty June 2024")
    index.search("Russia", 5)  # rows dropped
    index.add(["rail"], ["A bridge over the Tumen river carries the railway."])
    index.search("railway", 5)
    index.remove(["veto"])
    index.search("Kursk", 5)
    index.save()  # saved from the column-major copy
    index.add(["bridge"], ["The Tumen river bridge was opened in 1959."])
    fresh = LexicalIndex()
    texts = {**PASSAGES, "rail": "A bridge over the Tumen river carries the railway.",
             "bridge": "The Tumen river bridge was opened in 1959."}
    del texts["veto"]
    fresh.add(list(texts), list(texts.values()))
    for query in queries:
        assert dict(index.search(query, 6)) == pytest.approx(dict(fresh.search(query, 6)))
    saved = LexicalIndex.load(tmp_path / "lexical")  # the save before the last add
    assert saved.ids() == set(texts) - {"bridge"}
    index.save()
    for query in queries:
        assert LexicalIndex.load(tmp_path / "lexical").search(query, 6) == index.search(query, 6)


def test_the_catalogue_of_documents_follows_adds_removals_and_saves(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    meta = lambda doc, title: {"doc_id": doc, "source": f"{doc}.md", "title": title, "url": "", "date": "2024-03-07"}
    index.add(["a1", "a2", "b1"], ["Sweden joined NATO.", "It was the 32nd member.", "Spain won Euro 2024."],
              [meta("a", "Sweden joins NATO"), meta("a", "Sweden joins NATO"), meta("b", "Euro 2024")])
    assert [(d, info["title"], n) for d, info, n in index.documents()] == [("a", "Sweden joins NATO", 2),
                                                                          ("b", "Euro 2024", 1)]
    index.add(["a2"], ["It became the 32nd member."], [meta("a", "Sweden becomes NATO's 32nd member")])
    index.remove(["b1"])
    index.save()
    for each in (index, LexicalIndex.load(tmp_path / "lexical")):
        assert [(d, info["title"], info["source"], n) for d, info, n in each.documents()] == [
            ("a", "Sweden becomes NATO's 32nd member", "a.md", 2)]
    index.remove(["a1", "a2"])
    assert index.documents() == []


def test_damaged_file_gives_an_empty_index(tmp_path):
    (tmp_path / INDEX_FILE).write_bytes(b"not an npz file")
    index = LexicalIndex.load(tmp_path)
    assert len(index) == 0 and index.search("Russia", 3) == []


def test_missing_folder_gives_an_empty_index_that_saves_there(tmp_path):
    index = LexicalIndex.load(tmp_path / "new")
    index.add(["a"], ["alpha beta"])
    index.save()
    assert (tmp_path / "new" / INDEX_FILE).is_file()
    saved = np.load(tmp_path / "new" / INDEX_FILE)
    assert saved["ids"].tolist() == ["a"]


def test_index_path(tmp_path, monkeypatch):
    assert index_path(str(tmp_path / "store"), "factcheck", remote=False) == tmp_path / "store" / "lexical" / "factcheck"
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path / "cache"))
    one = index_path("http://127.0.0.1:8000", "factcheck", remote=True)
    assert one.parent == tmp_path / "cache" / "lexical"
    assert one == index_path("http://127.0.0.1:8000/", "factcheck", remote=True)
    assert one != index_path("http://127.0.0.1:8001", "factcheck", remote=True)
    assert one != index_path("http://127.0.0.1:8000", "other", remote=True)


def test_saved_file_follows_the_umask(tmp_path):
    import os

    index = _index(tmp_path)
    old = os.umask(0o022)
    try:
        index.save()
    finally:
        os.umask(old)
    assert (tmp_path / INDEX_FILE).stat().st_mode & 0o777 == 0o644
