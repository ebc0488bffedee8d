"""Lint the reference corpus in ``corpus/`` (pure Python, no models).

Every ``corpus/**/*.md`` file must carry YAML front matter with a title, a
publisher, an ISO date and a non-empty list of primary sources, and a body of
real prose (at least three paragraphs and 120 words).  No two documents may
duplicate each other (same title, or bodies sharing more than half of their
word 5-gram shingles).  The tests are parametrized per file so that a failure
names the offending document.

Front matter::

    title: "..."                  # required
    publisher: "..."              # required: who wrote this document
    date: 2024-03-28              # required, YYYY-MM-DD
    url: https://...              # the primary source's address; required when any source has one
    sources:                      # required, at least one
      - title: "..."              # what the source is (a press release, a briefing, a treaty)
        publisher: "..."          # who issued it
        date: 2024-03-28          # YYYY-MM-DD, or "YYYY-MM" / "YYYY" when only that is known
        url: https://...          # its stable public address, only when confirmed ...
        url_reason: "..."         # ... or, instead, why it has none (e.g. "KCNA dispatch; kcna.kp
                                  #     gives no stable public address")
    id: a-slug                    # optional

A source carries exactly one of ``url`` and ``url_reason``: a link is given only
when it is known to be the real, stable address of that primary source, never
guessed.  The document's ``url`` must be one of its sources' links (the loader
falls back to the first of them when ``url`` is absent).

The Korea–Russia collection must also agree with itself: ``KEY_FACTS`` finds
every statement of a few key facts (summit, vote, treaty and test dates, vote
and container counts) and asserts the value is the same in every document.
That the example article's check-worthy claims still find evidence in the
collection needs the models, so ``tests/test_corpus_check.py`` checks it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

try:  # python-frontmatter is a declared dependency; fall back to plain YAML.
    import frontmatter  # type: ignore
except ImportError:  # pragma: no cover - exercised only without the package
    frontmatter = None

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
MAIN_DIR = CORPUS / "korea-russia"
OTHER_DIR = CORPUS / "other"

MIN_MAIN_DOCS = 40
MIN_OTHER_DOCS = 15
MIN_PARAGRAPHS = 3
MIN_WORDS = 120
SHINGLE_SIZE = 5
MAX_JACCARD = 0.5

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTIAL_DATE_RE = re.compile(r"^\d{4}(?:-\d{2})?$")
WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
ALLOWED_KEYS = {"title", "publisher", "date", "sources", "url", "id"}
SOURCE_KEYS = {"title", "publisher", "date", "url", "url_reason"}

FILES = sorted(CORPUS.rglob("*.md"))


def _rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@lru_cache(maxsize=None)
def _parse(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if frontmatter is not None:
        post = frontmatter.loads(text)
        return dict(post.metadata), post.content
    match = re.match(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", text, re.S)
    if not match:
        return {}, text
    meta = yaml.safe_load(match.group(1)) or {}
    return dict(meta), match.group(2)


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def _words(body: str) -> list[str]:
    return WORD_RE.findall(body.lower())


@lru_cache(maxsize=None)
def _shingles(path: Path) -> frozenset[tuple[str, ...]]:
    words = _words(_parse(path)[1])
    return frozenset(
        tuple(words[i : i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)
    )


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


file_params = pytest.mark.parametrize("path", FILES, ids=[_rel(p) for p in FILES])


def test_corpus_folders_meet_minimum_counts():
    main = sorted(MAIN_DIR.glob("*.md"))
    other = sorted(OTHER_DIR.glob("*.md"))
    assert len(main) >= MIN_MAIN_DOCS, f"corpus/korea-russia has {len(main)} docs, need {MIN_MAIN_DOCS}"
    assert len(other) >= MIN_OTHER_DOCS, f"corpus/other has {len(other)} docs, need {MIN_OTHER_DOCS}"
    stray = [_rel(p) for p in FILES if p.parent not in (MAIN_DIR, OTHER_DIR)]
    assert not stray, f"documents outside corpus/korea-russia and corpus/other: {stray}"


@file_params
def test_file_name_is_kebab_case(path: Path):
    assert SLUG_RE.match(path.stem), f"{_rel(path)}: file name must be a kebab-case slug"


def _check_source(name: str, number: int, src) -> str | None:
    """Assert one ``sources`` entry is well formed; return its url, if it has one."""
    where = f"{name}: source {number}"
    assert isinstance(src, dict), f"{where} must be a mapping of {sorted(SOURCE_KEYS)}, not {src!r}"
    unknown = set(src) - SOURCE_KEYS
    assert not unknown, f"{where}: unexpected keys {sorted(unknown)}"
    for key in ("title", "publisher"):
        assert isinstance(src.get(key), str) and src[key].strip(), f"{where}: '{key}' must be a non-empty string"
    date = src.get("date")
    if isinstance(date, str):
        assert ISO_DATE_RE.match(date) or PARTIAL_DATE_RE.match(date), (
            f"{where}: 'date' {date!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    else:
        assert isinstance(date, dt.date) and not isinstance(date, dt.datetime), (
            f"{where}: 'date' missing or not a date")
    url, reason = src.get("url"), src.get("url_reason")
    assert (url is None) != (reason is None), f"{where}: give exactly one of 'url' and 'url_reason'"
    if url is not None:
        assert isinstance(url, str) and url.startswith("https://") and " " not in url, (
            f"{where}: 'url' must be an https:// address (give a 'url_reason' when unsure)")
        return url
    assert isinstance(reason, str) and reason.strip(), f"{where}: 'url_reason' must say why there is no link"
    return None


@file_params
def test_front_matter_fields(path: Path):
    meta, _ = _parse(path)
    name = _rel(path)
    assert meta, f"{name}: missing or unparsable YAML front matter"
    unknown = set(meta) - ALLOWED_KEYS
    assert not unknown, f"{name}: unexpected front-matter keys {sorted(unknown)}"

    for key in ("title", "publisher"):
        value = meta.get(key)
        assert isinstance(value, str) and value.strip(), f"{name}: '{key}' must be a non-empty string"

    date = meta.get("date")
    if isinstance(date, dt.datetime):
        pytest.fail(f"{name}: 'date' must be a plain YYYY-MM-DD date, not a timestamp")
    if isinstance(date, str):
        assert ISO_DATE_RE.match(date), f"{name}: 'date' {date!r} is not ISO YYYY-MM-DD"
        dt.date.fromisoformat(date)
    else:
        assert isinstance(date, dt.date), f"{name}: 'date' missing or not a YYYY-MM-DD date"

    sources = meta.get("sources")
    assert isinstance(sources, list) and sources, f"{name}: 'sources' must be a non-empty list"
    links = [_check_source(name, number, src) for number, src in enumerate(sources, start=1)]
    links = [link for link in links if link]

    if "url" in meta:
        assert isinstance(meta["url"], str) and meta["url"].startswith("https://"), (
            f"{name}: 'url' must be an https:// address (omit it when unsure)"
        )
        assert meta["url"] in links, f"{name}: 'url' {meta['url']!r} is not the url of any of its sources"
    else:
        assert not links, f"{name}: a source has a url ({links[0]}), so the document needs 'url' (its primary source's)"
    if "id" in meta:
        assert isinstance(meta["id"], str) and SLUG_RE.match(meta["id"]), f"{name}: 'id' must be a slug"


@file_params
def test_body_is_substantial_prose(path: Path):
    _, body = _parse(path)
    name = _rel(path)
    paragraphs = _paragraphs(body)
    words = _words(body)
    assert len(paragraphs) >= MIN_PARAGRAPHS, f"{name}: {len(paragraphs)} paragraphs, need {MIN_PARAGRAPHS}"
    assert len(words) >= MIN_WORDS, f"{name}: {len(words)} words, need {MIN_WORDS}"
    assert "TODO" not in body and "TBD" not in body, f"{name}: body contains a placeholder"


@file_params
def test_no_duplicate_documents(path: Path):
    meta, _ = _parse(path)
    title = str(meta.get("title", "")).strip().casefold()
    doc_id = meta.get("id")
    mine = _shingles(path)
    for other in FILES:
        if other == path:
            continue
        other_meta, _ = _parse(other)
        assert str(other_meta.get("title", "")).strip().casefold() != title, (
            f"{_rel(path)} and {_rel(other)} share the title {meta.get('title')!r}"
        )
        if doc_id is not None:
            assert other_meta.get("id") != doc_id, f"{_rel(path)} and {_rel(other)} share the id {doc_id!r}"
        overlap = _jaccard(mine, _shingles(other))
        assert overlap <= MAX_JACCARD, (
            f"{_rel(path)} and {_rel(other)} overlap too much "
            f"({overlap:.2f} Jaccard on {SHINGLE_SIZE}-word shingles)"
        )


def test_duplicate_check_catches_copies():
    """Guard the guard: the shingle measure flags a copy and passes distinct text."""
    text_a = "the council adopted the resolution by thirteen votes with one against and one abstention"
    text_b = "finland joined the alliance in april after its parliament approved the accession treaty"

    def sh(text: str) -> frozenset:
        w = _words(text)
        return frozenset(tuple(w[i : i + SHINGLE_SIZE]) for i in range(len(w) - SHINGLE_SIZE + 1))

    assert _jaccard(sh(text_a), sh(text_a)) == 1.0
    assert _jaccard(sh(text_a), sh(text_b)) == 0.0


# Facts the example article's check relies on; each must be stated somewhere in
# the Korea-Russia collection so that evidence retrieval has something to find.
ANCHORS = [
    "19 July 2000",
    "Kim Jong Il",
    "9 October 2006",
    "resolution 1718",
    "14 October 2006",
    "resolution 1874",
    "28 March 2024",
    "30 April 2024",
    "abstained",
    "Vostochny Cosmodrome",
    "Vladivostok",
    "19 June 2024",
    "Comprehensive Strategic Partnership",
    "denied",
    "artillery shells",
    "38 North",
]


@pytest.mark.parametrize("anchor", ANCHORS)
def test_korea_russia_collection_states_anchor_fact(anchor: str):
    docs = sorted(MAIN_DIR.glob("*.md"))
    assert any(anchor.lower() in _parse(p)[1].lower() for p in docs), (
        f"no document in corpus/korea-russia mentions {anchor!r}"
    )


@pytest.mark.parametrize("src, message", [
    ("UN press release of 28 March 2024", "must be a mapping"),
    ({"title": "SC/15648", "publisher": "United Nations", "date": dt.date(2024, 3, 28)}, "exactly one of"),
    ({"title": "SC/15648", "publisher": "United Nations", "date": dt.date(2024, 3, 28),
      "url": "https://press.un.org/en/2024/sc15648.doc.htm", "url_reason": "none"}, "exactly one of"),
    ({"title": "SC/15648", "publisher": "United Nations", "date": dt.date(2024, 3, 28),
      "url": "http://press.un.org/en/2024/sc15648.doc.htm"}, "https://"),
    ({"title": "SC/15648", "publisher": "United Nations", "date": "28 March 2024", "url_reason": "x"}, "YYYY-MM-DD"),
    ({"title": "", "publisher": "United Nations", "date": "2024", "url_reason": "x"}, "'title'"),
    ({"title": "KCNA", "publisher": "KCNA", "date": "2024-05", "url_reason": " "}, "'url_reason'"),
    ({"title": "KCNA", "publisher": "KCNA", "date": "2024-05", "link": "x", "url_reason": "x"}, "unexpected keys"),
])
def test_source_check_refuses_bad_entries(src, message):
    with pytest.raises(AssertionError, match=message):
        _check_source("doc.md", 1, src)


# -- Key facts: the collection must state each of these the same way everywhere ----------------------

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = rf"\d{{1,2}} {_MONTH} \d{{4}}"
_NUMBER_WORDS = {"eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15"}


@dataclass(frozen=True)
class KeyFact:
    """A fact the collection states in several places, and how to find each statement of it.

    ``pattern`` has one group per alternative phrasing; the first group that matched is the value
    stated.  Only sentences matching ``context`` (when given) are read, so a like-shaped sentence about
    another event is not taken for this fact.  ``min_statements`` keeps the check honest: a pattern
    that silently stops matching fails too.  ``wrong`` is a sentence stating the fact with a wrong
    value, which the check must catch.
    """

    name: str
    pattern: str
    expected: str
    min_statements: int
    wrong: str
    context: str = ""


KEY_FACTS = [
    KeyFact("Putin's first Pyongyang visit", r"(?:visited|travelled to|been in|visit to) Pyongyang (?:on |since )?"
            r"(\d{1,2}[–-]\d{1,2} July 2000)", "19–20 July 2000", 4,
            "Vladimir Putin visited Pyongyang on 19–21 July 2000."),
    KeyFact("Putin in Pyongyang, June 2024", r"(?:visit to|arrived in|left|[Ii]n) Pyongyang (?:in the early hours of |on )"
            r"(\d{1,2}(?:[–-]\d{1,2})? June 2024)", "19 June 2024", 4,
            "Vladimir Putin arrived in Pyongyang in the early hours of 20 June 2024."),
    KeyFact("Vostochny Cosmodrome summit", rf"Vostochny Cosmodrome(?: summit)? on ({_DATE})|on ({_DATE}) at the "
            rf"Vostochny Cosmodrome|Vostochny Cosmodrome, ({_DATE})", "13 September 2023", 5,
            "Kim Jong Un and Putin met on 12 September 2023 at the Vostochny Cosmodrome."),
    KeyFact("Panel of Experts veto: votes in favour",
            r"\b(\d{1,2}|(?i:eleven|twelve|thirteen|fourteen|fifteen))\b(?=(?:(?!\d)[^.;]){0,60}?\b(?:in favour|voted to renew))",
            "13", 3, "Twelve Security Council members voted in favour of renewing the Panel of Experts.",
            context=r"(?i)panel|mandate|renew"),
    KeyFact("Panel of Experts veto: date", rf"\bveto(?:ed)?\b[^.]{{0,80}}?\b(?:on|of) ({_DATE})|\b[Oo]n ({_DATE}),? "
            r"Russia (?:used its veto|vetoed|cast a veto)", "28 March 2024", 5,
            "Russia vetoed the renewal of the Panel of Experts on 29 March 2024.", context=r"(?i)panel"),
    KeyFact("Panel of Experts mandate expiry", rf"(?:expired|expires|ended|ran out|lapsed|expiry of the Panel of Experts' "
            rf"mandate) on ({_DATE})", "30 April 2024", 5, "The Panel of Experts' mandate expired on 30 May 2024.",
            context=r"(?i)panel|mandate"),
    KeyFact("Comprehensive Strategic Partnership Treaty signed", rf"\bsign(?:ed|ing)\b(?:(?!ratif)[^.]){{0,120}}?({_DATE})",
            "19 June 2024", 3, "Putin and Kim signed the Comprehensive Strategic Partnership Treaty on 18 June 2024.",
            context="Comprehensive Strategic Partnership"),
    KeyFact("Treaty in force", rf"(?:entered into force|exchanged instruments of ratification)[^.]{{0,40}}? on ({_DATE})",
            "4 December 2024", 1, "The two countries exchanged instruments of ratification in Moscow on 5 December 2024."),
    KeyFact("2000 friendship treaty signed", rf"Treaty on Friendship, Good-Neighbourliness and Cooperation[^.]{{0,80}}? "
            rf"on ({_DATE})", "9 February 2000", 1,
            "Ivanov signed a Treaty on Friendship, Good-Neighbourliness and Cooperation on 19 February 2000."),
    KeyFact("1961 Soviet treaty signed", rf"Treaty of Friendship, Cooperation and Mutual Assistance[^.]{{0,40}}? on ({_DATE})",
            "6 July 1961", 1, "They signed a Treaty of Friendship, Cooperation and Mutual Assistance on 11 July 1961."),
    KeyFact("First nuclear test", rf"first nuclear test (?:on|of) ({_DATE})", "9 October 2006", 3,
            "North Korea carried out its first nuclear test on 10 October 2006."),
    KeyFact("Resolution 1718 adopted", rf"adopt(?:ed|ing) resolution 1718 on ({_DATE})", "14 October 2006", 2,
            "The Council unanimously adopted resolution 1718 on 15 October 2006."),
    KeyFact("White House container count, October 2023", r"(more than [\d,]+) containers", "more than 1,000", 3,
            "The White House said more than 2,000 containers had been delivered.", context=r"White House|Kirby"),
    KeyFact("South Korean container count, February 2024", r"([\d,]+) containers of (?:North Korean )?munitions",
            "6,700", 2, "South Korea's Shin Won-sik said about 7,600 containers of munitions had been shipped.",
            context=r"South Korea|Shin Won-sik"),
]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _normalise(value: str) -> str:
    value = re.sub(r"\s+", " ", value.strip()).replace("-", "–")
    return _NUMBER_WORDS.get(value.lower(), value)


def _statements(fact: KeyFact, text: str) -> list[str]:
    """Every value ``text`` states for ``fact``."""
    found = []
    for sentence in _sentences(text):
        if fact.context and not re.search(fact.context, sentence):
            continue
        for match in re.finditer(fact.pattern, sentence):
            found.append(_normalise(next(group for group in match.groups() if group)))
    return found


@pytest.mark.parametrize("fact", KEY_FACTS, ids=[f.name for f in KEY_FACTS])
def test_key_fact_is_stated_the_same_way_in_every_document(fact: KeyFact):
    statements = []
    for path in sorted(MAIN_DIR.glob("*.md")):
        meta, body = _parse(path)
        statements += [(_rel(path), value) for value in _statements(fact, f"{meta.get('title', '')}.\n{body}")]
    assert len(statements) >= fact.min_statements, (
        f"{fact.name}: found {len(statements)} statements, expected at least {fact.min_statements} — "
        f"has the wording changed? {statements}")
    differing = [(name, value) for name, value in statements if value != fact.expected]
    assert not differing, f"{fact.name}: the key-facts table says {fact.expected!r}, but {differing}"


@pytest.mark.parametrize("fact", KEY_FACTS, ids=[f.name for f in KEY_FACTS])
def test_key_fact_check_catches_a_wrong_value(fact: KeyFact):
    """Guard the guard: each fact's pattern reads its deliberately wrong sentence, and the value differs."""
    stated = _statements(fact, fact.wrong)
    assert stated and all(value != fact.expected for value in stated), (fact.name, stated)
