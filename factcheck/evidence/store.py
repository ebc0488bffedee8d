"""Store: the Chroma vector store of evidence passages (embedded on disk, or a Chroma server over HTTP)."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from factcheck.evidence.chunking import Passage
from factcheck.errors import StoreError, StoreUnavailable
from factcheck.evidence.lexical import LexicalIndex, index_path, lexical_text
from factcheck.resources import get_embeddings

log = logging.getLogger(__name__)

# Chroma's embedded client is shared per path and breaks for good when two threads create it at once (the
# app's script threads do, when a rerun starts while the first run is still opening the store).
_OPENING = threading.Lock()
_GET_PAGE = 5000  # Chroma caps how many records one get() may return
# Collection metadata key: a server's write stamp, new after every factcheck write (``EvidenceStore.lexical``).
WRITE_STAMP = "factcheck:write-stamp"


@dataclass
class SourceInfo:
    """One document in the store and how many passages it holds."""

    doc_id: str
    source: str
    title: str | None
    passages: int
    url: str | None = None
    publisher: str | None = None
    date: str | None = None


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _start_hint(location: str) -> str:
    url = urlparse(location)
    return f"`chroma run --path DIR --host {url.hostname} --port {url.port or 8000}`"


def _answering(method):
    """Turn a Chroma server that stopped answering mid-use into a StoreError that says what to do.

    The HTTP client reconnects on its own, so once the server is back the next call works: nobody
    has to restart the app.
    """
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if not is_remote(self.location):
            return method(self, *args, **kwargs)
        import httpx

        try:
            return method(self, *args, **kwargs)
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"The evidence store at {self.location} is not answering — start it with "
                             f"{_start_hint(self.location)}, then try again") from exc
    return call


def _client_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class EvidenceStore:
    """A collection of passages in Chroma, searched through LangChain's ``Chroma`` vector store.

    ``location`` is a directory (embedded, persistent Chroma) or ``http://HOST:PORT``.
    With ``create=False`` a missing store is an error that says how to build one.
    """

    lexical_recheck_s = 5.0  # how stale the BM25 index may get behind writes by BM25-unaware clients

    def __init__(self, location: str | Path, collection: str = "factcheck", *, create: bool = False,
                 embeddings=None) -> None:
        self.location = str(location)
        self.collection_name = collection
        self.create = create
        self._embeddings = embeddings
        self._chroma = None  # the Chroma client
        self._collection = None
        self._vectorstore = None
        self._lexical: LexicalIndex | None = None
        self._lexical_count: int | None = None  # store count when the index was last known in step
        self._lexical_checked = float("-inf")  # when the store's count was last compared with the index
        self._bulk = 0

    # -- opening -------------------------------------------------------------------------------
    def _client(self):
        import chromadb

        if is_remote(self.location):
            url = urlparse(self.location)
            if not url.hostname:
                raise StoreError(f"Bad store URL {self.location!r} — use http://HOST:PORT")
            try:
                client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000,
                                             ssl=url.scheme == "https", settings=_client_settings())
                client.heartbeat()
            except Exception as exc:  # noqa: BLE001 - chromadb raises many types for a dead server
                raise StoreUnavailable(
                    f"Cannot reach the Chroma server at {self.location} — start it with "
                    f"{_start_hint(self.location)} or check the URL"
                ) from exc
            return client
        path = Path(self.location)
        if not self.create and not (path / "chroma.sqlite3").is_file():
            raise StoreError(f"No store at {self.location} — run `factcheck ingest corpus/ --store {self.location}` first")
        if path.exists() and not path.is_dir():
            raise StoreError(f"{self.location} is a file, not a store directory — pass a folder path")
        try:
            path.mkdir(parents=True, exist_ok=True)
            with _OPENING:
                return chromadb.PersistentClient(path=str(path), settings=_client_settings())
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"Cannot open the store at {self.location} ({exc}) — is it a Chroma store?") from exc

    @property
    def collection(self):
        """The Chroma collection, opened without an embedding function: listing, counting, deleting and
        writing given vectors need no model, so commands that only do those never load one."""
        if self._collection is None:
            client = self._chroma or self._client()
            if self.create:
                collection = client.get_or_create_collection(self.collection_name, embedding_function=None,
                                                             configuration={"hnsw": {"space": "cosine"}})
            else:
                try:
                    collection = client.get_collection(self.collection_name, embedding_function=None)
                except Exception as exc:  # noqa: BLE001 - NotFoundError differs across chromadb versions
                    raise StoreError(
                        f"The store at {self.location} has no collection {self.collection_name!r} — "
                        f"run `factcheck ingest corpus/ --store {self.location}` first"
                    ) from exc
            self._chroma, self._collection = client, collection
        return self._collection

    @property
    def vectorstore(self):
        """The LangChain ``Chroma`` vector store over the same collection, with our embeddings (opened on first use)."""
        if self._vectorstore is None:
            from langchain_chroma import Chroma

            self.collection  # noqa: B018 - opens the client and checks the collection exists
            self._vectorstore = Chroma(
                collection_name=self.collection_name,
                embedding_function=self._embeddings or get_embeddings(),
                client=self._chroma,
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
        return self._vectorstore

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 index of this store's passages: loaded once, and re-synced if the store moved on."""
        if self._lexical is None or self._lexical.changed_on_disk():
            self._lexical = LexicalIndex.load(index_path(self.location, self.collection_name, is_remote(self.location)))
            self._lexical_count = None
        elif time.monotonic() - self._lexical_checked < self.lexical_recheck_s:
            # Chroma's count() grows with the collection (~10 ms at 100k passages): not on every query.
            return self._lexical
        count = self.count()
        if is_remote(self.location):
            # A server may be written by other clients. Each factcheck writer leaves a new write stamp in the
            # collection's metadata; a cached index holding the server's stamp and as many passages is in
            # step, so its ids are not diffed (a million ids take seconds over HTTP). Read before the diff:
            # a write during it leaves another stamp, and the next check diffs again. A server no factcheck
            # writer has stamped is diffed once per process, and again when its count moves; so is one that a
            # BM25-unaware client wrote to (its count moves; a swap of as many passages waits for a stamp).
            stamp = self._server_stamp()
            first = self._lexical_count is None
            if count != len(self._lexical) or stamp != self._lexical.stamp or (first and not stamp):
                previous, self._lexical.stamp = self._lexical.stamp, stamp  # saved with the sync's own save
                try:
                    changed = self._lexical.sync(self)
                except BaseException:
                    self._lexical.stamp = previous
                    raise
                if not changed and previous != stamp:
                    self._lexical.save()
        elif count != len(self._lexical):
            # An embedded store is kept in step by add()/delete(); a count mismatch (an older writer, a
            # crash) resyncs.
            self._lexical.sync(self)
        self._lexical_count = count
        self._lexical_checked = time.monotonic()
        return self._lexical

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """Batch many add()/delete() calls: the BM25 index is saved once, at the end."""
        self._bulk += 1
        try:
            yield
        finally:
            self._bulk -= 1
            if not self._bulk and self._lexical is not None:
                self._lexical.save()

    def _lexical_changed(self, stamp_before: str | None = None) -> None:
        """After a write: a server gets a new write stamp, which our index takes when it was in step with the
        stamp before the write (else it stays unknown, and the next open diffs); the index is saved."""
        if stamp_before is not None:
            stamp = uuid.uuid4().hex
            self._set_server_stamp(stamp)
            self._lexical.stamp = stamp if stamp_before and stamp_before == self._lexical.stamp else ""
        if not self._bulk:
            self._lexical.save()
        self._lexical_count = len(self._lexical)

    @_answering
    def _server_stamp(self) -> str:
        """The write stamp a Chroma server's collection carries ("" if no factcheck writer left one)."""
        self.collection  # noqa: B018 - opens the client
        fresh = self._chroma.get_collection(self.collection_name, embedding_function=None)
        return str((fresh.metadata or {}).get(WRITE_STAMP, ""))

    @_answering
    def _set_server_stamp(self, stamp: str) -> None:
        self.collection  # noqa: B018 - opens the client
        fresh = self._chroma.get_collection(self.collection_name, embedding_function=None)
        self.collection.modify(metadata={**(fresh.metadata or {}), WRITE_STAMP: stamp})

    # -- reading -------------------------------------------------------------------------------
    @_answering
    def count(self) -> int:
        return self.collection.count()

    @_answering
    def _get_all(self, where: dict | None = None, include: Sequence[str] = ("metadatas",)) -> dict:
        ids: list[str] = []
        metas: list[dict] = []
        docs: list[str] = []
        offset = 0
        while True:
            page = self.collection.get(where=where, include=list(include), limit=_GET_PAGE, offset=offset)
            ids.extend(page["ids"])
            if "metadatas" in include:
                metas.extend(page["metadatas"] or [])
            if "documents" in include:
                docs.extend(page["documents"] or [])
            if len(page["ids"]) < _GET_PAGE:
                break
            offset += _GET_PAGE
        return {"ids": ids, "metadatas": metas, "documents": docs}

    def doc_ids_for_source(self, source: str) -> set[str]:
        """Return the doc_ids stored from one source path."""
        return {(m or {}).get("doc_id", "") for m in self._get_all(where={"source": source})["metadatas"]}

    def ids_for_doc(self, doc_id: str) -> set[str]:
        return set(self._get_all(where={"doc_id": doc_id}, include=())["ids"])

    def metadata_for_doc(self, doc_id: str) -> dict[str, dict]:
        """The stored metadata of one document's passages, by passage id."""
        got = self._get_all(where={"doc_id": doc_id})
        return {i: m or {} for i, m in zip(got["ids"], got["metadatas"])}

    @_answering
    def passages(self, ids: Sequence[str] | None = None) -> list[Passage]:
        """Return stored passages (all of them, or those with ``ids``)."""
        if ids is not None:
            got = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        else:
            got = self._get_all(include=("documents", "metadatas"))
        return [Passage.from_stored(i, d, m or {}) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]

    def sources(self) -> list[SourceInfo]:
        """List the documents in the store with their passage counts.

        Read from the catalogue the BM25 index keeps in step with the store (``LexicalIndex.documents``), not
        from every passage's metadata: at a million passages that read takes minutes.
        """
        return sorted(
            (SourceInfo(doc_id=doc_id, source=info["source"], title=info["title"] or None, passages=n,
                        url=info["url"] or None, publisher=info["publisher"] or None, date=info["date"] or None)
             for doc_id, info, n in self.lexical.documents()),
            key=lambda s: (s.source, s.doc_id),
        )

    @_answering
    def passages_with_vectors(self, ids: Sequence[str]) -> list[tuple[Passage, np.ndarray]]:
        """Return the stored passages with ``ids`` (those that exist) with their embeddings, in one read."""
        if not ids:
            return []
        got = self.collection.get(ids=list(ids), include=["documents", "metadatas", "embeddings"])
        return [(Passage.from_stored(i, d, m or {}), np.asarray(v, dtype=np.float32))
                for i, d, m, v in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])]

    @_answering
    def search_by_vector(self, vector: Sequence[float], k: int) -> list[tuple[Passage, float]]:
        """Return the ``k`` nearest passages to ``vector`` with cosine similarity."""
        hits = self.vectorstore.similarity_search_by_vector_with_relevance_scores(list(vector), k=k)
        results = []
        for doc, distance in hits:
            passage = Passage.from_stored(doc.id or "", doc.page_content, doc.metadata or {})
            results.append((passage, 1.0 - float(distance)))
        return results

    # -- writing -------------------------------------------------------------------------------
    @_answering
    def add(self, passages: Sequence[Passage], vectors: Sequence[Sequence[float]] | None = None) -> None:
        """Add passages (embedding them unless ``vectors`` are given)."""
        if not passages:
            return
        lexical = self.lexical  # in step before the write, so the count check stays meaningful
        stamp_before = self._server_stamp() if is_remote(self.location) else None
        if vectors is None:
            self.vectorstore.add_texts(
                texts=[p.text for p in passages], metadatas=[p.metadata() for p in passages],
                ids=[p.id for p in passages],
            )
        else:
            self.collection.upsert(ids=[p.id for p in passages], documents=[p.text for p in passages],
                                   metadatas=[p.metadata() for p in passages], embeddings=np.asarray(vectors, dtype=np.float32))
        self._index_lexically(lexical, passages, stamp_before)

    def _index_lexically(self, lexical: LexicalIndex, passages: Sequence[Passage], stamp_before: str | None) -> None:
        """Upsert passages into the BM25 index (its text holds the title) and its catalogue of documents."""
        lexical.add([p.id for p in passages], [lexical_text(p.text, p.title) for p in passages],
                    [p.metadata() for p in passages])
        self._lexical_changed(stamp_before)

    @_answering
    def refresh_metadata(self, passages: Sequence[Passage]) -> None:
        """Rewrite stored passages' metadata in place (the same ids, texts and vectors): a field added to
        ``Passage.metadata`` since they were written (``before``) reaches a store built earlier, and an edited
        title reaches the BM25 index and its catalogue too."""
        if not passages:
            return
        lexical = self.lexical
        stamp_before = self._server_stamp() if is_remote(self.location) else None
        for start in range(0, len(passages), _GET_PAGE):
            chunk = passages[start:start + _GET_PAGE]
            self.collection.update(ids=[p.id for p in chunk], metadatas=[p.metadata() for p in chunk])
        self._index_lexically(lexical, passages, stamp_before)

    @_answering
    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        lexical = self.lexical
        stamp_before = self._server_stamp() if is_remote(self.location) else None
        for start in range(0, len(ids), _GET_PAGE):
            self.collection.delete(ids=ids[start:start + _GET_PAGE])
        lexical.remove(ids)
        self._lexical_changed(stamp_before)

    def remove_source(self, doc_id_or_source: str) -> int:
        """Remove every passage of one document (by doc_id, or all documents of a source path); return the count."""
        ids = self._get_all(where={"doc_id": doc_id_or_source}, include=())["ids"]
        if not ids:
            ids = self._get_all(where={"source": doc_id_or_source}, include=())["ids"]
        if not ids:
            raise StoreError(f"No document {doc_id_or_source!r} in the store — `factcheck sources` lists them")
        self.delete(ids)
        return len(ids)
