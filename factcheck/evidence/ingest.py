"""Ingest: load files, chunk them into passages and write them to the store, idempotently."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from factcheck.evidence.chunking import Passage, chunk_document
from factcheck.errors import InputError
from factcheck.evidence.loaders import SkippedFile, iter_files, load_file
from factcheck.settings import Settings
from factcheck.evidence.store import EvidenceStore

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (phase, done, total)

_WRITE_BATCH = 256


@dataclass
class IngestSummary:
    """What one ingest run did."""

    files: int = 0
    documents: int = 0
    passages_added: int = 0
    passages_removed: int = 0
    documents_unchanged: int = 0
    # Kept passages whose stored metadata was out of date (a field added since they were written, such as
    # ``Passage.before``, or a sentence before them edited): rewritten in place, texts and vectors untouched.
    passages_refreshed: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    skipped_lines: list[SkippedFile] = field(default_factory=list)  # unusable .jsonl lines, as FILE:LINE

    def to_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        lines = [
            f"{self.documents} documents from {self.files} files: {self.passages_added} passages added, "
            f"{self.passages_removed} removed, {self.documents_unchanged} documents unchanged."
            + (f" {self.passages_refreshed} kept passages' details brought up to date."
               if self.passages_refreshed else "")
        ]
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} files:")
            lines.extend(f"  {s.path}: {s.reason}" for s in self.skipped)
        if self.skipped_lines:
            lines.append(f"Skipped {len(self.skipped_lines)} lines:")
            lines.extend(f"  {s.path}: {s.reason}" for s in self.skipped_lines)
        return "\n".join(lines)


def _outdated(passage: Passage, stored: dict) -> bool:
    """Whether a stored passage's metadata differs from what the passage has now (a missing field too)."""
    return any(stored.get(key) != value for key, value in passage.metadata().items())


class Ingester:
    """Turns files into passages in an ``EvidenceStore``.

    Passage ids derive from content, so re-ingesting an unchanged file adds nothing, a changed
    file replaces its old passages, and a run killed halfway is completed by running it again.
    """

    def __init__(self, store: EvidenceStore, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()

    def ingest(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IngestSummary:
        summary = IngestSummary()
        files: list[Path] = []
        for item in iter_files(paths):
            if isinstance(item, SkippedFile):
                summary.skipped.append(item)
            else:
                files.append(item)
        summary.files = len(files)

        pending: list[tuple[str, list[Passage], set[str]]] = []  # (doc_id, passages, stale ids)
        refresh: list[Passage] = []  # kept passages whose stored metadata is out of date (``_outdated``)
        for number, path in enumerate(files, start=1):
            try:
                docs = load_file(path, max_bytes=self.settings.max_file_bytes, skipped=summary.skipped_lines)
            except InputError as exc:
                summary.skipped.append(SkippedFile(str(path), str(exc).removeprefix(f"{path}: ")))
                continue
            finally:
                if progress:
                    progress("reading", number, len(files))
            seen_docs = set()
            for doc in docs:
                seen_docs.add(doc.doc_id)
                passages = chunk_document(doc, self.settings.passage_sentences, self.settings.passage_max_chars)
                stored = self.store.metadata_for_doc(doc.doc_id)
                existing = set(stored)
                wanted = {p.id for p in passages}
                summary.documents += 1
                # A kept passage whose stored metadata is not what it would be now: written before a field
                # existed (a store built before ``Passage.before``), or its sentence before was edited.
                refresh.extend(p for p in passages if p.id in stored and _outdated(p, stored[p.id]))
                if wanted == existing:
                    summary.documents_unchanged += 1
                    continue
                pending.append((doc.doc_id, [p for p in passages if p.id not in existing], existing - wanted))
            # Documents that vanished from a file (a .jsonl line removed) leave the store too.
            for gone in self.store.doc_ids_for_source(str(path)) - seen_docs:
                pending.append((gone, [], self.store.ids_for_doc(gone)))

        to_add = [p for _, passages, _ in pending for p in passages]
        total = len(to_add)
        with self.store.bulk():  # the BM25 index is saved once per run, not once per batch
            for start in range(0, total, _WRITE_BATCH):
                batch = to_add[start:start + _WRITE_BATCH]
                self.store.add(batch)
                summary.passages_added += len(batch)
                if progress:
                    progress("embedding", min(start + _WRITE_BATCH, total), total)
            # Stale passages go only after their replacements are in: a crash never loses a document.
            stale = [i for _, _, ids in pending for i in ids]
            self.store.delete(stale)
            self.store.refresh_metadata(refresh)
            summary.passages_refreshed = len(refresh)
        summary.passages_removed = len(stale)
        log.info("ingest: %s", summary.describe())
        return summary
