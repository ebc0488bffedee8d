"""Chunking: cut documents into passages of a few sentences, keeping each sentence's offsets."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from factcheck.evidence.context import in_context
from factcheck.evidence.loaders import SourceDocument
from factcheck.resources import get_sentence_splitter


@dataclass
class Passage:
    """A few consecutive sentences of one document, ready to store and search."""

    id: str
    doc_id: str
    source: str
    text: str
    sentences: list[tuple[int, int]]  # offsets of each sentence within ``text``
    index: int  # position of the passage in its document
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    # The document's sentence just before this passage, as read in its context (``context.in_context``; "" for
    # a document's first passage): what a pronoun opening the passage stands for is named there.
    before: str = ""

    def sentence_texts(self) -> list[str]:
        return [self.text[a:b] for a, b in self.sentences]

    def metadata(self) -> dict:
        """Chroma metadata: scalars only, with the sentence offsets as JSON."""
        meta = {
            "doc_id": self.doc_id, "source": self.source, "index": self.index,
            "sentences": json.dumps(self.sentences),
            "title": self.title or "", "url": self.url or "", "publisher": self.publisher or "",
            "date": self.date or "", "before": self.before,
        }
        return meta

    @classmethod
    def from_stored(cls, passage_id: str, text: str, meta: dict) -> "Passage":
        return cls(
            id=passage_id, doc_id=meta.get("doc_id", ""), source=meta.get("source", ""), text=text,
            sentences=[tuple(x) for x in json.loads(meta.get("sentences") or "[]")] or [(0, len(text))],
            index=int(meta.get("index", 0)), title=meta.get("title") or None, url=meta.get("url") or None,
            publisher=meta.get("publisher") or None, date=meta.get("date") or None,
            before=meta.get("before") or "",
        )

    def to_dict(self) -> dict:
        return asdict(self)


def _sentence_spans(text: str, given: Sequence[str] | None) -> list[tuple[int, int]]:
    if given:
        spans, cursor = [], 0
        for sentence in given:
            start = text.find(sentence, cursor)
            if start < 0:
                break
            spans.append((start, start + len(sentence)))
            cursor = start + len(sentence)
        else:
            return spans
    spans = []
    # Paragraphs first: a sentence never crosses a blank line (headings, list items).
    offset = 0
    for block in text.split("\n\n"):
        if block.strip():
            doc = get_sentence_splitter()(block)
            for sent in doc.sents:
                stripped = sent.text.strip()
                if len(stripped) < 2:
                    continue
                start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                spans.append((start, start + len(stripped)))
        offset += len(block) + 2
    return spans


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences (the same splitter ingest uses)."""
    return [text[a:b] for a, b in _sentence_spans(text, None)]


def _passage_id(doc_id: str, index: int, text: str) -> str:
    digest = hashlib.sha256(f"{doc_id}\x1f{index}\x1f{text}".encode()).hexdigest()
    return digest[:32]


# How much of the sentence before a passage is kept with it (``Passage.before``).
BEFORE_CHARS = 400


def chunk_document(doc: SourceDocument, sentences_per_passage: int = 3, max_chars: int = 900) -> list[Passage]:
    """Split a document into passages of up to ``sentences_per_passage`` sentences (content-derived ids)."""
    spans = _sentence_spans(doc.text, doc.sentences)
    passages: list[Passage] = []
    group: list[tuple[int, int]] = []
    # Each sentence as read in its context: a run of "She …" sentences crossing into the next passage still
    # names its person there (``Passage.before``).
    read = in_context([doc.text[a:b] for a, b in spans])
    last_span: int | None = None  # the index of the last sentence of the passage before

    def flush() -> None:
        nonlocal last_span
        if not group:
            return
        start, end = group[0][0], group[-1][1]
        before = read[last_span][:BEFORE_CHARS] if last_span is not None else ""
        text = doc.text[start:end]
        index = len(passages)
        passages.append(Passage(
            id=_passage_id(doc.doc_id, index, text), doc_id=doc.doc_id, source=doc.source, text=text,
            sentences=[(a - start, b - start) for a, b in group], index=index, title=doc.title,
            url=doc.url, publisher=doc.publisher, date=doc.date, before=before,
        ))
        last_span = group_end
        group.clear()

    group_end = 0  # the index of the group's last sentence
    for k, span in enumerate(spans):
        if group and (len(group) >= sentences_per_passage or span[1] - group[0][0] > max_chars):
            flush()
        group.append(span)
        group_end = k
    flush()
    return passages
