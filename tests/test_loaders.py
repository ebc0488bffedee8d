"""Loading and chunking: every format, bad files refused with a clear message, exact sentence offsets."""

from __future__ import annotations

import json

import pytest

from factcheck.evidence.chunking import chunk_document, split_sentences
from factcheck.errors import InputError
from factcheck.evidence.loaders import SkippedFile, decode_text, iter_files, load_file

from .pdfmaker import write_blank_pdf, write_text_pdf


def test_txt_utf8_and_latin1(tmp_path):
    (tmp_path / "a.txt").write_text("Café owners in Zürich raised prices by 4% in 2023.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("Les élèves de Besançon ont manifesté à Noël, déclare le préfet.".encode("latin-1"))
    assert load_file(tmp_path / "a.txt")[0].text.startswith("Café")
    doc = load_file(tmp_path / "b.txt")[0]
    assert "élèves" in doc.text and "Besançon" in doc.text
    assert doc.doc_id == str(tmp_path / "b.txt") and doc.source == str(tmp_path / "b.txt")


@pytest.mark.parametrize("payload, message", [
    (b"", "empty"),
    (b"   \n\t  ", "empty"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200, "binary"),
])
def test_bad_text_files_are_refused(tmp_path, payload, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(payload)
    with pytest.raises(InputError, match=message):
        load_file(path)


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "veto.md"
    path.write_text('---\ntitle: "The March 2024 veto"\npublisher: UN\ndate: 2024-03-28\nid: veto-2024\n'
                    'url: https://example.org/veto\nsources:\n  - "UNSC meeting record"\n---\n'
                    "Russia vetoed the renewal. China abstained.\n", encoding="utf-8")
    doc = load_file(path)[0]
    assert (doc.doc_id, doc.title, doc.publisher, doc.date, doc.url) == (
        "veto-2024", "The March 2024 veto", "UN", "2024-03-28", "https://example.org/veto")
    assert doc.text.strip() == "Russia vetoed the renewal. China abstained."
    assert doc.extra["sources"] == ["UNSC meeting record"]


SOURCED_VETO = (
    '---\ntitle: "The March 2024 veto"\npublisher: factcheck reference desk\ndate: 2024-03-28\nid: veto-2024\n'
    "sources:\n"
    '  - title: "Joint statement on the vote"\n    publisher: "five Council members"\n    date: 2024-03-28\n'
    '    url_reason: "no stable public address"\n'
    '  - title: "Security Council fails to extend the Panel\'s mandate (SC/15648)"\n    publisher: United Nations\n'
    "    date: 2024-03-28\n    url: https://press.un.org/en/2024/sc15648.doc.htm\n"
    "---\nRussia vetoed the renewal. China abstained.\n")


def test_markdown_sources_list_gives_the_document_its_primary_link(tmp_path):
    path = tmp_path / "veto.md"
    path.write_text(SOURCED_VETO, encoding="utf-8")
    doc = load_file(path)[0]
    # No document-level url: the first source with one stands for the document.
    assert doc.url == "https://press.un.org/en/2024/sc15648.doc.htm"
    sources = doc.extra["sources"]
    assert [s.get("url") for s in sources] == [None, "https://press.un.org/en/2024/sc15648.doc.htm"]
    assert sources[0]["date"] == "2024-03-28"  # YAML dates come back as ISO strings, JSON-safe
    json.dumps(doc.to_dict())
    # A document-level url wins over the sources.
    path.write_text(SOURCED_VETO.replace("id: veto-2024\n", "id: veto-2024\nurl: https://example.org/veto\n"),
                    encoding="utf-8")
    assert load_file(path)[0].url == "https://example.org/veto"
    # Every passage carries the link as a scalar, as Chroma requires.
    for passage in chunk_document(doc):
        meta = passage.metadata()
        assert meta["url"] == "https://press.un.org/en/2024/sc15648.doc.htm"
        assert all(isinstance(v, (str, int, float, bool)) for v in meta.values()), meta


@pytest.mark.parametrize("front", ["title: [unclosed", "?", "[a, b]: c"])
def test_markdown_broken_front_matter(tmp_path, front):
    path = tmp_path / "broken.md"
    path.write_text(f"---\n{front}\n---\nBody.\n", encoding="utf-8")
    with pytest.raises(InputError, match="front matter"):
        load_file(path)


def test_html_keeps_main_text_and_drops_boilerplate(tmp_path):
    article = " ".join(f"The central bank raised its main rate to {4 + i / 10:.1f} percent in meeting {i}." for i in range(12))
    page = f"""<html><head><title>Rates decision</title></head><body>
    <nav><a href="/">Home</a> <a href="/subscribe">Subscribe now</a> Cookie settings</nav>
    <article><h1>Rates decision</h1><p>{article}</p><p>{article}</p></article>
    <footer>Copyright 2024 Example Media. All rights reserved. Privacy policy.</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = load_file(path)[0]
    assert "central bank raised its main rate" in doc.text
    assert "Subscribe now" not in doc.text and "All rights reserved" not in doc.text


def test_pdf_text_layer_and_scanned_pdf(tmp_path):
    pdf = write_text_pdf(tmp_path / "brief.pdf", ["Finland joined NATO on 4 April 2023.", "Sweden followed in March 2024."])
    doc = load_file(pdf)[0]
    assert "Finland joined NATO" in doc.text and "Sweden followed" in doc.text
    with pytest.raises(InputError, match="no text layer"):
        load_file(write_blank_pdf(tmp_path / "scan.pdf"))
    (tmp_path / "fake.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(InputError, match="PDF"):
        load_file(tmp_path / "fake.pdf")


def test_jsonl_text_abstract_lists_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "d1", "title": "One", "text": "Plain text document."}),
        "this line is not json",
        json.dumps({"doc_id": 7, "abstract": ["First sentence.", "Second sentence."], "url": "https://x.org/7"}),
        json.dumps({"id": "empty", "text": ""}),
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    docs = load_file(path)
    assert [d.doc_id for d in docs] == ["d1", "7"]
    assert docs[1].sentences == ["First sentence.", "Second sentence."]
    assert docs[1].text == "First sentence. Second sentence." and docs[1].url == "https://x.org/7"
    (tmp_path / "none.jsonl").write_text("nope\n{}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no usable lines"):
        load_file(tmp_path / "none.jsonl")


def test_iter_files_recurses_and_reports_skips(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("A.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("B.", encoding="utf-8")
    (tmp_path / "c.docx").write_bytes(b"PK")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("D.", encoding="utf-8")
    found = list(iter_files([tmp_path, tmp_path / "missing.txt"]))
    files = [f.name for f in found if not isinstance(f, SkippedFile)]
    skipped = {f.path: f.reason for f in found if isinstance(f, SkippedFile)}
    assert files == ["b.txt", "a.md"]
    assert "unsupported format .docx" in skipped[str(tmp_path / "c.docx")]
    assert skipped[str(tmp_path / "missing.txt")] == "no such file or folder"


def test_decode_text_refuses_undecodable_binary():
    with pytest.raises(InputError):
        decode_text(bytes([0x00, 0xFF, 0xFE, 0x01] * 500), "blob")


def test_chunks_keep_exact_sentence_offsets_and_stable_ids(tmp_path):
    text = ("Finland joined NATO on 4 April 2023. Sweden joined on 7 March 2024. Both had been neutral for decades.\n\n"
            "The alliance now has 32 members. Its summit in 2024 was held in Washington. Leaders met for three days.\n\n"
            "A final paragraph stands alone.")
    path = tmp_path / "nato.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_file(path)[0]
    passages = chunk_document(doc, sentences_per_passage=3)
    assert len(passages) == 3
    for passage in passages:
        assert 1 <= len(passage.sentences) <= 3
        assert passage.text in text
        for start, end in passage.sentences:
            sentence = passage.text[start:end]
            assert sentence == sentence.strip() and sentence[-1] in ".!?"
    assert passages[0].sentence_texts()[1] == "Sweden joined on 7 March 2024."
    again = chunk_document(load_file(path)[0], sentences_per_passage=3)
    assert [p.id for p in again] == [p.id for p in passages]
    assert len({p.id for p in passages}) == 3
    assert split_sentences("One is here. Two is there.") == ["One is here.", "Two is there."]
