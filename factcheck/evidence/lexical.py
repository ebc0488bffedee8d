"""Lexical retrieval: a BM25 index of the store's passages, saved beside the store and updated with it.

Term counts are kept raw (a sparse passages x terms matrix) and the BM25 weights are computed at query
time, so adding or removing passages is an append or a row filter — never a re-tokenisation of the
corpus. An embedded store keeps its index in ``<store>/lexical/<collection>/``; a Chroma server's is
cached locally, keyed by the server URL and collection, and re-synced when the collection changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from factcheck.errors import StoreError

log = logging.getLogger(__name__)

INDEX_FILE = "bm25.npz"
_FORMAT = 3  # 2: passages indexed with their document's title; 3: and the catalogue of documents
# What the catalogue keeps of a passage's metadata, per document (``LexicalIndex.documents``).
DOCUMENT_FIELDS = ("source", "title", "url", "publisher", "date")
_TOKEN = re.compile(r"(?u)\w+")
# bm25s' English list: short, so negations and numbers still count as terms ("not" and "no" excepted).
_STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
    "will", "with",
))
_SYNC_PAGE = 5000


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stem(token: str) -> str:
    """Harman's S-stemmer: fold plurals ("proteins" -> "protein", "studies" -> "study"), nothing more."""
    if len(token) <= 3 or not token.endswith("s") or token.endswith(("ss", "us", "is")):
        return token
    if token.endswith("ies") and not token.endswith(("eies", "aies")):
        return token[:-3] + "y"
    if token.endswith("es") and not token.endswith(("aes", "ees", "oes")):
        return token[:-1]
    return token[:-1]


def lexical_text(text: str, title: str | None) -> str:
    """What BM25 indexes for a passage: its document's title, which names the topic, then its text."""
    return f"{title}\n{text}" if title else text


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens without stopwords or lone letters, plurals folded."""
    tokens = []
    for token in _TOKEN.findall(text.lower()):
        if token in _STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        tokens.append(_stem(token))
    return tokens


class LexicalIndex:
    """A BM25 (Lucene variant) index over passage ids, updatable in place and saved as one file.

    >>> index = LexicalIndex()
    >>> index.add(["p1", "p2"], ["Finland joined NATO in 2023.", "Sweden joined later."])
    >>> index.search("When did Finland join NATO?", k=1)[0][0]
    'p1'
    """

    def __init__(self, path: str | Path | None = None, k1: float = 1.5, b: float = 0.75) -> None:
        self.path = Path(path) if path is not None else None
        self.k1 = k1
        self.b = b
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._vocab: dict[str, int] = {}
        # CSR parts of the passages x terms count matrix.
        self._data = np.zeros(0, dtype=np.float32)
        self._indices = np.zeros(0, dtype=np.int32)
        self._indptr = np.zeros(1, dtype=np.int64)
        self._lengths = np.zeros(0, dtype=np.float32)
        self._csc: sparse.csc_matrix | None = None
        self._mtime: float | None = None
        # For a Chroma server's cached index: the server's write stamp this index is known to be in step with
        # ("" when unknown); see ``EvidenceStore.lexical``.
        self.stamp = ""
        # The catalogue of documents: each passage's row in a table of doc ids, and what each document is
        # (its source, title, …), so listing a million-passage store's documents reads no passage metadata.
        self._doc_of = np.zeros(0, dtype=np.int32)
        self._doc_ids: list[str] = []
        self._doc_row: dict[str, int] = {}
        self._doc_info: dict[str, dict] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, passage_id: str) -> bool:
        return passage_id in self._row

    def ids(self) -> set[str]:
        return set(self._ids)

    # -- writing -------------------------------------------------------------------------------
    def add(self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict] | None = None) -> None:
        """Index passages; an id already present is replaced (upsert, like the store). ``metadatas``: each
        passage's store metadata (``doc_id`` and the ``DOCUMENT_FIELDS``), for the catalogue of documents."""
        if len(ids) != len(texts) or (metadatas is not None and len(metadatas) != len(ids)):
            raise ValueError("add() needs one text (and one metadata, if any) per id")
        metas = dict(zip(ids, metadatas if metadatas is not None else [{}] * len(ids)))
        latest = dict(zip(ids, texts))  # a repeated id in one batch keeps its last text
        self.remove([i for i in latest if i in self._row])
        self._rows()
        data, indices, lengths, counts = [], [], [], []
        for text in latest.values():
            terms = Counter(tokenize(text))
            row = sorted((self._vocab.setdefault(term, len(self._vocab)), n) for term, n in terms.items())
            indices.extend(t for t, _ in row)
            data.extend(n for _, n in row)
            counts.append(len(row))
            lengths.append(sum(terms.values()))
        docs = []
        for passage_id in latest:
            self._row[passage_id] = len(self._ids)
            self._ids.append(passage_id)
            meta = metas[passage_id] or {}
            doc_id = str(meta.get("doc_id") or "")
            if doc_id not in self._doc_row:
                self._doc_row[doc_id] = len(self._doc_ids)
                self._doc_ids.append(doc_id)
            if doc_id not in self._doc_info or meta:
                self._doc_info[doc_id] = {f: str(meta.get(f) or "") for f in DOCUMENT_FIELDS}
            docs.append(self._doc_row[doc_id])
        self._doc_of = np.concatenate([self._doc_of, np.asarray(docs, dtype=np.int32)])
        self._data = np.concatenate([self._data, np.asarray(data, dtype=np.float32)])
        self._indices = np.concatenate([self._indices, np.asarray(indices, dtype=np.int32)])
        self._indptr = np.concatenate([self._indptr, self._indptr[-1] + np.cumsum(counts, dtype=np.int64)])
        self._lengths = np.concatenate([self._lengths, np.asarray(lengths, dtype=np.float32)])
        self._csc = None

    def remove(self, ids: Iterable[str]) -> int:
        """Drop passages by id (unknown ids are ignored); return how many went."""
        rows = sorted({self._row[i] for i in ids if i in self._row})
        if not rows:
            return 0
        keep = np.ones(len(self._ids), dtype=bool)
        keep[rows] = False
        self._rows()
        per_row = np.diff(self._indptr)
        entries = np.repeat(keep, per_row)
        self._data = self._data[entries]
        self._indices = self._indices[entries]
        self._indptr = np.concatenate([[0], np.cumsum(per_row[keep], dtype=np.int64)])
        self._lengths = self._lengths[keep]
        self._doc_of = self._doc_of[keep]
        left = set(np.unique(self._doc_of).tolist())
        for gone in [d for d in self._doc_info if self._doc_row[d] not in left]:
            del self._doc_info[gone]
        self._ids = [i for i, kept in zip(self._ids, keep) if kept]
        self._row = {passage_id: row for row, passage_id in enumerate(self._ids)}
        self._csc = None
        return len(rows)

    def documents(self) -> list[tuple[str, dict, int]]:
        """Every document with passages here: (doc_id, its ``DOCUMENT_FIELDS``, passage count), by doc_id."""
        counts = np.bincount(self._doc_of, minlength=len(self._doc_ids))
        return sorted((doc_id, info, int(counts[self._doc_row[doc_id]])) for doc_id, info in self._doc_info.items()
                      if counts[self._doc_row[doc_id]])

    # -- searching -----------------------------------------------------------------------------
    def _matrix(self) -> sparse.csc_matrix:
        """The counts column-major (one term's postings in one slice), for searching. The row-major parts are
        dropped once it is built — at a million passages each copy is about 300 MB — and rebuilt from it
        by the next write (``_rows``)."""
        if self._csc is None:
            shape = (len(self._ids), max(len(self._vocab), 1))
            self._csc = sparse.csr_matrix((self._data, self._indices, self._indptr), shape=shape).tocsc()
            self._data = self._indices = self._indptr = None
        return self._csc

    def _row_parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The row-major parts (data, indices, indptr): kept, or rebuilt from the column-major copy."""
        if self._indptr is not None:
            return self._data, self._indices, self._indptr
        rows = self._csc.tocsr()
        rows.sort_indices()
        return (rows.data.astype(np.float32, copy=False), rows.indices.astype(np.int32, copy=False),
                rows.indptr.astype(np.int64, copy=False))

    def _rows(self) -> None:
        """Before a write: keep the row-major parts again (searching dropped them)."""
        self._data, self._indices, self._indptr = self._row_parts()

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Return up to ``k`` (passage id, BM25 score) pairs, best first; passages sharing no term are left out."""
        terms = sorted({self._vocab[t] for t in tokenize(query) if t in self._vocab})
        if not terms or not self._ids or k < 1:
            return []
        matrix = self._matrix()
        n = len(self._ids)
        df = np.diff(matrix.indptr)[terms].astype(np.float64)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        columns = matrix[:, terms]
        rows = columns.indices
        tf = columns.data.astype(np.float64)
        norm = self.k1 * (1.0 - self.b + self.b * self._lengths[rows] / max(float(self._lengths.mean()), 1e-9))
        weights = np.repeat(idf, np.diff(columns.indptr)) * tf / (tf + norm)
        scores = np.bincount(rows, weights=weights, minlength=n)
        hit = np.flatnonzero(scores > 0)
        if hit.size > k:
            hit = hit[np.argpartition(-scores[hit], k - 1)[:k]]
        order = hit[np.lexsort((hit, -scores[hit]))]  # score, then insertion order: stable ties
        return [(self._ids[row], float(scores[row])) for row in order]

    # -- persistence ---------------------------------------------------------------------------
    def save(self) -> None:
        """Write the index to ``path`` atomically (readers never see a half-written file)."""
        if self.path is None:
            return
        self.path.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self._vocab, key=self._vocab.__getitem__)
        data, indices, indptr = self._row_parts()
        fd, tmp = tempfile.mkstemp(prefix=".bm25-", suffix=".npz", dir=self.path)
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, format=np.int64(_FORMAT), ids=np.asarray(self._ids, dtype=str),
                         vocab=np.asarray(vocab, dtype=str), data=data, indices=indices,
                         indptr=indptr, lengths=self._lengths, params=np.asarray([self.k1, self.b]),
                         stamp=np.asarray(self.stamp), doc_of=self._doc_of, doc_ids=np.asarray(self._doc_ids, dtype=str),
                         doc_info=np.asarray(json.dumps(self._doc_info)))
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; the index is as shareable as the store
            os.replace(tmp, self.path / INDEX_FILE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._mtime = (self.path / INDEX_FILE).stat().st_mtime

    @classmethod
    def load(cls, path: str | Path) -> "LexicalIndex":
        """Open the index saved in ``path``; a missing folder gives an empty index that saves there."""
        index = cls(path)
        file = index.path / INDEX_FILE
        if not file.is_file():
            return index
        try:
            with np.load(file, allow_pickle=False) as saved:
                if int(saved["format"]) != _FORMAT:
                    raise ValueError(f"written by another factcheck version (format {int(saved['format'])})")
                index.k1, index.b = (float(x) for x in saved["params"])
                index._ids = saved["ids"].tolist()
                index._vocab = {term: i for i, term in enumerate(saved["vocab"].tolist())}
                index._data, index._indices = saved["data"], saved["indices"]
                index._indptr, index._lengths = saved["indptr"], saved["lengths"]
                index.stamp = str(saved["stamp"]) if "stamp" in saved.files else ""
                index._doc_of = saved["doc_of"]
                index._doc_ids = saved["doc_ids"].tolist()
                index._doc_info = json.loads(str(saved["doc_info"]))
                if len(index._doc_of) != len(index._ids):
                    raise ValueError("its catalogue of documents does not match its passages")
        except (OSError, ValueError, KeyError) as exc:
            # The index is derived data: a damaged one is rebuilt from the store, not fatal.
            log.warning("BM25 index at %s not usable (%s); rebuilding it from the store", file, exc)
            return cls(path)
        index._row = {passage_id: row for row, passage_id in enumerate(index._ids)}
        index._doc_row = {doc_id: row for row, doc_id in enumerate(index._doc_ids)}
        index._mtime = file.stat().st_mtime
        return index

    def changed_on_disk(self) -> bool:
        """True when another process saved a newer index file since this one was loaded or saved."""
        if self.path is None:
            return False
        try:
            return (self.path / INDEX_FILE).stat().st_mtime != self._mtime
        except FileNotFoundError:
            return self._mtime is not None

    # -- keeping in step with a store ----------------------------------------------------------
    def sync(self, store) -> bool:
        """Make the index hold exactly the store's passages (by id diff); return True if it changed."""
        try:
            stored = set(store._get_all(include=())["ids"])
        except StoreError:
            raise  # already says what happened (a server that stopped answering)
        except Exception as exc:  # noqa: BLE001 - chromadb raises many types
            raise StoreError(f"Cannot read passage ids from the store at {store.location} ({exc})") from exc
        extra = self.ids() - stored
        missing = sorted(stored - self.ids())
        if not extra and not missing:
            return False
        log.info("BM25 index: syncing with the store (%d to add, %d to remove)", len(missing), len(extra))
        self.remove(extra)
        for start in range(0, len(missing), _SYNC_PAGE):
            page = store.collection.get(ids=missing[start:start + _SYNC_PAGE], include=["documents", "metadatas"])
            self.add(page["ids"], [lexical_text(d or "", (m or {}).get("title")) for d, m in
                                   zip(page["documents"], page["metadatas"])], page["metadatas"])
        self.save()
        return True


def cache_dir() -> Path:
    """Where BM25 indexes of Chroma servers are cached ($FACTCHECK_CACHE, else the XDG cache)."""
    if os.environ.get("FACTCHECK_CACHE"):
        return Path(os.environ["FACTCHECK_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factcheck"


def index_path(location: str, collection: str, remote: bool) -> Path:
    """The folder of a store's BM25 index: inside an embedded store, or a local cache for a server."""
    if not remote:
        return Path(location) / "lexical" / collection
    key = hashlib.sha256(f"{location.rstrip('/')}\x1f{collection}".encode()).hexdigest()[:16]
    return cache_dir() / "lexical" / key
