"""Loading: read reference documents (.txt, .md, .html, .pdf, .jsonl) into plain text with metadata."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from factcheck.errors import InputError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl")


@dataclass
class SourceDocument:
    """One reference document, as text, with where it came from."""

    doc_id: str
    source: str  # the path or URL as ingested
    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    extra: dict = field(default_factory=dict)
    sentences: list[str] | None = None  # given sentence boundaries (a .jsonl list), else None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SkippedFile:
    """A file ingest did not read, and why."""

    path: str
    reason: str


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | SkippedFile]:
    """Yield supported files under ``paths`` (recursively, sorted), or a SkippedFile for the rest."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield SkippedFile(str(raw), "no such file or folder")
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue  # hidden files and folders (.git, .DS_Store) are never documents
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
                elif child.name.lower() not in ("readme", "license"):
                    yield SkippedFile(str(child), f"unsupported format {child.suffix or '(none)'}")
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path
        else:
            yield SkippedFile(str(path), f"unsupported format {path.suffix or '(none)'}; "
                              f"use one of {', '.join(SUPPORTED_SUFFIXES)}")


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as text: UTF-8 first, then a detected encoding; refuse binary data."""
    if not data.strip():
        raise InputError(f"{name} is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks binary (NUL bytes), not text — convert it to .txt, .md, .html or .pdf")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is not None:
        # Short texts are ambiguous between single-byte code pages; Western European (cp1252) is
        # the most common for English-language newsrooms' files, so it wins a near tie.
        western = [m for m in matches if m.encoding in ("cp1252", "latin_1", "iso8859_15")]
        if western and western[0].chaos <= best.chaos + 0.1:
            best = western[0]
    if best is None or best.encoding is None:
        raise InputError(f"{name}: cannot tell its text encoding — save it as UTF-8 and try again")
    text = str(best)
    # A guess that yields many control characters means the bytes were never text.
    controls = sum(1 for ch in text[:5000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 5000):
        raise InputError(f"{name} looks binary, not text — convert it to .txt, .md, .html or .pdf")
    log.info("%s decoded as %s", name, best.encoding)
    return text


def _as_str(value) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _plain(value):
    """A front-matter value as JSON-safe data: dates as ISO strings, lists and mappings walked."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _primary_url(meta: dict) -> str | None:
    """The document's link: its own ``url``, else the first of its ``sources`` that has one.

    ``sources`` is a list of ``{title, url, publisher, date}`` mappings (or, in older files, plain
    strings); the store keeps one scalar link per passage, so the primary source stands for them all.
    """
    url = _as_str(meta.pop("url", None))
    if url is not None:
        return url
    for source in meta.get("sources") or []:
        if isinstance(source, dict) and _as_str(source.get("url")):
            return str(source["url"])
    return None


def _load_markdown(path: Path, raw: str) -> SourceDocument:
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise InputError(f"{path}: broken front matter ({first}) — fix the YAML between the --- lines") from exc
    meta = dict(post.metadata)
    body = post.content
    title = _as_str(meta.pop("title", None))
    if title is None:
        for line in body.splitlines():
            if line.startswith("#"):
                title = line.lstrip("#").strip()
                break
    return SourceDocument(
        doc_id=_as_str(meta.pop("id", None)) or str(path),
        source=str(path),
        text=body,
        title=title or path.stem,
        url=_primary_url(meta),
        publisher=_as_str(meta.pop("publisher", None)),
        date=_as_str(meta.pop("date", None)),
        extra={k: _plain(v) for k, v in meta.items() if isinstance(v, (str, int, float, list))},
    )


def _load_html(path: Path, raw: str) -> SourceDocument:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, include_tables=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(f"{path}: no main text found in the HTML")
    return SourceDocument(
        doc_id=str(path), source=str(path), text=text,
        title=_as_str(getattr(doc, "title", None)) or path.stem,
        url=_as_str(getattr(doc, "url", None)),
        publisher=_as_str(getattr(doc, "sitename", None)),
        date=_as_str(getattr(doc, "date", None)),
    )


def _load_pdf(path: Path) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InputError(f"{path}: not a readable PDF ({exc.__class__.__name__}) — re-export it and try again") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise InputError(f"{path}: the PDF has no text layer (scanned?) — run OCR on it first")
    title = None
    try:
        title = _as_str(reader.metadata.title) if reader.metadata else None
    except Exception:  # noqa: BLE001 - broken metadata must not lose the text
        title = None
    return SourceDocument(doc_id=str(path), source=str(path), text=text, title=title or path.stem)


def _load_jsonl(path: Path, raw: str) -> list[SourceDocument]:
    docs: list[SourceDocument] = []
    bad = 0
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            bad += 1
            log.warning("%s line %d: not JSON, skipped", path, number)
            continue
        if not isinstance(record, dict):
            bad += 1
            continue
        body = record.get("text", record.get("abstract"))
        sentences = None
        if isinstance(body, list):
            sentences = [str(s).strip() for s in body if str(s).strip()]
            body = " ".join(sentences)
        if not isinstance(body, str) or not body.strip():
            bad += 1
            log.warning("%s line %d: no `text` or `abstract`, skipped", path, number)
            continue
        doc_id = _as_str(record.get("id", record.get("doc_id"))) or f"{path}#{number}"
        docs.append(SourceDocument(
            doc_id=doc_id, source=str(path), text=body,
            title=_as_str(record.get("title")), url=_as_str(record.get("url")),
            publisher=_as_str(record.get("publisher")), date=_as_str(record.get("date")),
            sentences=sentences,
        ))
    if not docs:
        raise InputError(f"{path}: no usable lines — each line must be a JSON object with `text` or `abstract`")
    if bad:
        log.warning("%s: %d bad lines skipped", path, bad)
    return docs


def load_file(path: str | Path, max_bytes: int = 50_000_000) -> list[SourceDocument]:
    """Read one file into documents (a .jsonl file may hold many); raise InputError if unusable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"{path}: unsupported format {suffix or '(none)'}; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from exc
    if size == 0:
        raise InputError(f"{path} is empty")
    if size > max_bytes:
        raise InputError(f"{path} is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit — split it")
    if suffix == ".pdf":
        return [_load_pdf(path)]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from exc
    raw = decode_text(data, str(path))
    if suffix in (".md", ".markdown"):
        docs = [_load_markdown(path, raw)]
    elif suffix in (".html", ".htm"):
        docs = [_load_html(path, raw)]
    elif suffix == ".jsonl":
        docs = _load_jsonl(path, raw)
    else:
        docs = [SourceDocument(doc_id=str(path), source=str(path), text=raw, title=path.stem)]
    for doc in docs:
        if not doc.text.strip():
            raise InputError(f"{path}: no text in the document")
    return docs
