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


# Byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)


def _too_many_controls(text: str) -> bool:
    """A decoding that yields many control characters means the bytes were never text."""
    sample = text[:5000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > 0.01 * len(sample)


def _decode_with_bom(data: bytes, name: str) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name} starts with a {encoding.upper()} byte-order mark but is not valid "
                                 f"{encoding.upper()} — save it as UTF-8 and try again") from exc
            if _too_many_controls(text):
                raise InputError(f"{name} looks binary, not text — convert it to .txt, .md, .html or .pdf")
            log.info("%s decoded as %s (byte-order mark)", name, encoding)
            return text
    return None


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: text mostly in one script leaves its NUL bytes on one side.

    The same clue charset detectors use: Latin text in UTF-16 has a NUL in every other byte, all at
    even offsets (big-endian) or all at odd ones (little-endian). Anything else stays binary.
    """
    sample = data[:8192]
    if len(data) % 2 or len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.3 * half and other <= 0.02 * half:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            # Real text of that shape is mostly ASCII with spaces; junk that merely has the NUL pattern is not.
            ascii_share = sum(1 for ch in text[:4096] if " " <= ch <= "~" or ch in "\n\r\t") / max(1, len(text[:4096]))
            if "\x00" in text or _too_many_controls(text) or ascii_share < 0.5 or not any(c.isspace() for c in text):
                return None
            return text
    return None


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as text: a byte-order mark's encoding, UTF-8, UTF-16 by its NUL pattern, then a
    detected encoding; refuse binary data with an InputError."""
    text = _decode_with_bom(data, name)
    if text is not None:
        if not text.strip():
            raise InputError(f"{name} is empty")
        return text
    if not data.strip():
        raise InputError(f"{name} is empty")
    if b"\x00" in data[:8192]:
        text = _guess_utf16(data)
        if text is None:
            raise InputError(f"{name} looks binary (NUL bytes), not text — convert it to .txt, .md, .html or .pdf")
        if not text.strip():
            raise InputError(f"{name} is empty")
        log.info("%s decoded as UTF-16 (no byte-order mark)", name)
        return text
    try:
        return data.decode("utf-8")
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
    if _too_many_controls(text):
        raise InputError(f"{name} looks binary, not text — convert it to .txt, .md, .html or .pdf")
    log.info("%s decoded as %s", name, best.encoding)
    return text


def read_article(name: str | Path, max_bytes: int = 50_000_000) -> str:
    """The text of one article file for ``check``; an InputError says why a path is not one.

    Folders, missing files and .jsonl collections are refused with what to do instead; a file
    without a suffix is read as plain text.
    """
    return read_dated_article(name, max_bytes)[0]


def read_dated_article(name: str | Path, max_bytes: int = 50_000_000) -> tuple[str, str | None]:
    """``read_article``'s text, and the article's date when its front matter or metadata gives one."""
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name} is a folder — `check` reads one article file; "
                         "`factcheck ingest` takes folders of evidence")
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if not path.is_file():
        raise InputError(f"{name} is not a regular file — pass an article (.txt, .md, .html or .pdf)")
    if path.suffix.lower() == ".jsonl":
        raise InputError(f"{name}: `check` reads one article (.txt, .md, .html, .pdf), not .jsonl")
    if path.suffix:
        document = load_file(path, max_bytes=max_bytes)[0]
        return document.text, document.date
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{name} is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit — split it")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read it ({exc.strerror})") from exc
    return decode_text(data, str(name)), None


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
    except TypeError as exc:  # a key that is no string ("? " alone, a list as a key): the library cannot take it
        raise InputError(f"{path}: broken front matter (a key that is not a name) — fix the YAML between the --- "
                         "lines") from exc
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


def _load_jsonl(path: Path, raw: str, skipped: list[SkippedFile] | None = None) -> list[SourceDocument]:
    docs: list[SourceDocument] = []
    bad: list[SkippedFile] = []
    for number, line in enumerate(raw.split("\n"), start=1):  # not splitlines(): JSON strings may hold U+2028
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = f"not JSON ({exc.msg})" if isinstance(exc, json.JSONDecodeError) else "not JSON (nested too deep)"
            bad.append(SkippedFile(where, reason))
            continue
        if not isinstance(record, dict):
            bad.append(SkippedFile(where, f"a JSON {type(record).__name__}, not an object"))
            continue
        body = record.get("text", record.get("abstract"))
        sentences = None
        if isinstance(body, list):
            sentences = [str(s).strip() for s in body if str(s).strip()]
            body = " ".join(sentences)
        if not isinstance(body, str) or not body.strip():
            bad.append(SkippedFile(where, "no `text` or `abstract`"))
            continue
        doc_id = _as_str(record.get("id", record.get("doc_id"))) or f"{path}#{number}"
        docs.append(SourceDocument(
            doc_id=doc_id, source=str(path), text=body,
            title=_as_str(record.get("title")), url=_as_str(record.get("url")),
            publisher=_as_str(record.get("publisher")), date=_as_str(record.get("date")),
            sentences=sentences,
        ))
    if not docs:
        first = f" (line {bad[0].path.rsplit(':', 1)[1]}: {bad[0].reason})" if bad else ""
        raise InputError(f"{path}: no usable lines{first} — each line must be a JSON object with `text` or `abstract`")
    for line in bad:
        log.info("%s: %s, skipped", line.path, line.reason)
    if skipped is not None:
        skipped.extend(bad)
    return docs


def load_file(path: str | Path, max_bytes: int = 50_000_000,
              skipped: list[SkippedFile] | None = None) -> list[SourceDocument]:
    """Read one file into documents (a .jsonl file may hold many); raise InputError if unusable.

    ``skipped``, if given, receives one ``SkippedFile`` (path ``FILE:LINE``, and why) for each
    unusable line of a .jsonl file whose other lines were read.
    """
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
        docs = _load_jsonl(path, raw, skipped)
    else:
        docs = [SourceDocument(doc_id=str(path), source=str(path), text=raw, title=path.stem)]
    for doc in docs:
        if not doc.text.strip():
            raise InputError(f"{path}: no text in the document")
    return docs
