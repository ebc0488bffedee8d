"""Property-based tests for everything that takes arbitrary text: loaders, chunking, claims, renderers.

Hypothesis generates the inputs; each test states a property that must hold for all of them.
Example counts stay modest so `make test` stays fast; `--hypothesis-seed` reproduces a failure.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from factcheck.errors import InputError
from factcheck.evidence.chunking import chunk_document
from factcheck.evidence.loaders import SourceDocument, decode_text, load_file

from .pdfmaker import write_text_pdf

# Loaded machines make single examples slow now and then; a deadline would make that a failure.
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text a newsroom might paste: several scripts, digits, punctuation, quotes, odd whitespace and controls.
WORDS = st.sampled_from([
    "Finland", "joined", "NATO", "in", "April", "2023", "the", "minister", "said", "denied", "reportedly",
    "Москва", "заявила", "北京", "表示", "القاهرة", "قالت", "Zürich", "naïve", "“quoted”", "'s", "U.S.", "Dr.",
    "3.5%", "$1.2bn", "e.g.", "—", "-", "(", ")", ";", ":", ",", ".", "?", "!", "...", "#", "*", "<b>", "&amp;",
    "\u200b", "\u202e", "\x1b[31m", "\x07", "\t", "\r", "\n", "\n\n", "\u2028", " ", "  ",
])
ARTICLE_TEXT = st.one_of(
    st.lists(WORDS, min_size=1, max_size=80).map(" ".join),
    st.lists(WORDS, min_size=1, max_size=80).map("".join),
    st.text(min_size=1, max_size=400),
)


# -- loaders: any bytes become documents or our InputError, never another exception -----------------

def _pdf_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("pdf") / "ok.pdf"
    return write_text_pdf(path, ["The bridge opened in 1998.", "It cost 2 billion euros."]).read_bytes()


@pytest.fixture(scope="module")
def valid_pdf(tmp_path_factory) -> bytes:
    return _pdf_bytes(tmp_path_factory)


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace") if encoding != "utf-16" else text.encode("utf-16")


FILE_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.builds(_encoded, ARTICLE_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32",
                                                        "cp1252", "latin-1", "koi8-r", "gb18030"])),
    st.builds(lambda t: f"---\n{t}\n---\n{t}\n".encode(), ARTICLE_TEXT),  # front matter of any shape
    st.builds(lambda t: f"<html><body><script>{t}</script><p>{t}</p></body></html>".encode(), ARTICLE_TEXT),
    st.builds(lambda rows: "\n".join(rows).encode(), st.lists(st.one_of(
        ARTICLE_TEXT, st.just('{"text": "The bridge opened in 1998."}'), st.just('{"abstract": ["A.", 3, null]}'),
        st.just("[1, 2]"), st.just('{"text": 5}'), st.just("[" * 5000)), max_size=6)),
)


@FAST
@given(data=FILE_BYTES, suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl", ".pdf"]))
@example(data=b"\xff\xfeT\x00h\x00e\x00 \x00b\x00r\x00i\x00d\x00g\x00e\x00.\x00", suffix=".txt")
@example(data=b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", suffix=".pdf")
def test_any_bytes_load_as_documents_or_input_error(tmp_path, data, suffix):
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(data)
    try:
        docs = load_file(path)
    except InputError as exc:
        message = str(exc)
        assert message and "\n" not in message.strip(), message
        return
    assert docs and all(isinstance(d, SourceDocument) and d.text.strip() for d in docs)


@FAST
@given(cut=st.integers(min_value=0, max_value=2000), noise=st.binary(max_size=64))
def test_truncated_or_damaged_pdf_is_a_document_or_input_error(tmp_path, valid_pdf, cut, noise):
    path = tmp_path / "damaged.pdf"
    cut = min(cut, len(valid_pdf))
    path.write_bytes(valid_pdf[:cut] + noise)
    try:
        docs = load_file(path)
    except InputError:
        return
    assert docs[0].text.strip()


@FAST
@given(text=ARTICLE_TEXT, encoding=st.sampled_from(["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]))
def test_unicode_with_a_byte_order_mark_decodes_exactly(text, encoding):
    assume(text.strip() and "\x00" not in text)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    assume(controls <= 0.01 * len(text))
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    data = bom + text.encode(encoding)
    assert decode_text(data, "x") == text


# -- chunking: passages cover the text, and their offsets map back exactly ----------------------------

@FAST
@given(text=ARTICLE_TEXT, per=st.integers(1, 4), max_chars=st.integers(20, 900))
def test_passages_cover_the_text_with_exact_offsets(text, per, max_chars):
    assume(text.strip())
    doc = SourceDocument(doc_id="d", source="d.txt", text=text)
    passages = chunk_document(doc, per, max_chars)
    cursor, covered = 0, []
    for number, passage in enumerate(passages):
        assert passage.index == number and passage.text
        start = text.find(passage.text, cursor)
        assert start >= cursor, "passages must appear in the text, in order, without overlap"
        for a, b in passage.sentences:
            sentence = passage.text[a:b]
            assert sentence and sentence == sentence.strip() and text[start + a:start + b] == sentence
            covered.append((start + a, start + b))
        cursor = start + len(passage.text)
    # Nothing of substance is dropped: what no sentence covers is whitespace, punctuation or lone
    # characters (the splitter drops one-character "sentences" such as a stray bullet, and dashes).
    mask = [False] * len(text)
    for a, b in covered:
        mask[a:b] = [True] * (b - a)
    gaps = "".join(" " if hit else ch for ch, hit in zip(text, mask))
    assert all(sum(ch.isalnum() for ch in run) < 2 for run in gaps.split()), repr(gaps)
    assert len({p.id for p in passages}) == len(passages)


# -- claim extraction: spans are exact and inside their sentence (spaCy loads once) -------------------

@pytest.fixture(scope="module")
def extractor():
    from factcheck.claims.extract import ClaimExtractor

    extractor = ClaimExtractor(use_model=False)  # spans come from the parser; the scorer is not under test
    extractor.warm_up()
    return extractor


@pytest.mark.slow
@settings(FAST, max_examples=25)
@given(text=ARTICLE_TEXT)
def test_claim_spans_map_back_to_the_text(extractor, text):
    assume(text.strip())
    claims = extractor.extract(text)
    for claim in claims:
        span = text[claim.start:claim.end]
        assert span and span == span.strip(), claim
        assert claim.sentence_start <= claim.start < claim.end <= claim.sentence_end
        assert text[claim.sentence_start:claim.sentence_end] == claim.sentence
        for cue in claim.cues:
            assert text[cue.start:cue.end] == cue.text


# -- renderers: no raw HTML or control characters reach a terminal or a Markdown viewer ---------------

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _report(text: str, source: str, title: str, sentence: str, name: str):
    from factcheck.claims.extract import Claim
    from factcheck.report import ClaimResult, Report
    from factcheck.verdict import Evidence, Verdict

    claim = Claim(id="c1", text=text, sentence=text, start=0, end=max(1, len(text)), sentence_start=0,
                  sentence_end=max(1, len(text)), status="attributed", source=source)
    evidence = Evidence(source=source, doc_id=source, title=title, passage=sentence, sentence=sentence,
                        stance="refutes", score=0.9, similarity=0.8, reason=sentence, counts=True)
    return Report(input=name, text=text, claims=[ClaimResult(claim, Verdict("refuted", 0.9, 0, 1), [evidence])])


HOSTILE = st.one_of(ARTICLE_TEXT, st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\x1b]0;pwned\x07", "\x9b31m", "[x](javascript:alert(1))",
    "</p><iframe src=//evil>", "`code` *bold* _em_ | table |", "\r\x1b[2K fake line",
]))


@FAST
@given(text=HOSTILE, source=HOSTILE, title=HOSTILE, sentence=HOSTILE, name=HOSTILE)
def test_renderers_pass_no_controls_or_raw_html(text, source, title, sentence, name):
    report = _report(text, source, title, sentence, name)
    for rendered in (report.to_text(), report.to_markdown()):
        assert not CONTROL.search(rendered), repr(rendered)
    markdown = report.to_markdown()
    # Every '<' from a document is escaped, so no Markdown renderer can read a tag.
    assert not re.search(r"(?<!\\)<", markdown), markdown
