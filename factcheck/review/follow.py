"""Reviews that follow their claim: normalised claim keys, article versions, and matching reviews to claims.

A review is keyed by its article and the claim's normalised text (not the claim's id or a hash of its
span), so renumbered claims keep their reviews. An article pasted again with small edits is recognised
as a new version of one already seen (same first line, or most of its word shingles in common), and the
reviews of every version attach to it. A review whose claim is worded differently now still attaches to
the closest claim when the two wordings are alike enough, and says what it was reviewed as.

>>> review_key("Putin will visit North Korea.") == review_key("putin will visit  North Korea")
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import Protocol

# Two versions of one article: at least this share of word shingles in common (Jaccard), or the same
# first line when that line is long enough to name the article (a headline, not "Home" or a date).
SAME_ARTICLE_OVERLAP = 0.5
SHINGLE_WORDS = 3
TITLE_MIN_WORDS = 4
# A claim reworded by an edit or a newer extractor: word-sequence similarity at least this.
SAME_CLAIM_SIMILARITY = 0.6

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NON_WORD = re.compile(r"[^\w']+")


class _Claimlike(Protocol):
    id: str
    text: str
    status: str


class _Reviewlike(Protocol):
    claim_key: str
    claim_text: str
    updated_at: str


def normalise(text: str) -> str:
    """The claim's words as a comparison sees them: case, quotes, punctuation and spacing folded."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(word.strip("'") for word in _NON_WORD.sub(" ", folded).split() if word.strip("'"))


def review_key(claim_text: str, status: str | None = None) -> str:
    """The key of a claim's review within its article: a hash of the claim's normalised text.

    A denial ("Pyongyang has repeatedly denied this") often has the very words of the allegation it
    denies; it is another claim to review, so its key says so (``d-`` rather than ``t-``).
    """
    prefix = "d-" if status == "denied" else "t-"
    return prefix + hashlib.sha256(normalise(claim_text).encode("utf-8")).hexdigest()[:16]


def _kind(key: str) -> str | None:
    """"d" for a denial's key, "t" for another claim's, None for a first-schema key (either)."""
    return key[0] if key[:2] in ("d-", "t-") else None


def _claim_key(claim: _Claimlike) -> str:
    return review_key(claim.text, getattr(claim, "status", None))


def first_line(text: str) -> str:
    """The article's first non-empty line, normalised (its headline, usually)."""
    return next((normalise(line) for line in text.splitlines() if normalise(line)), "")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    words = normalise(text).split()
    return {tuple(words[i:i + size]) for i in range(max(1, len(words) - size + 1))} if words else set()


def article_overlap(a: str, b: str) -> float:
    """The share of word shingles two texts have in common (Jaccard, 0..1)."""
    left, right = shingles(a), shingles(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def same_article(a: str, b: str) -> bool:
    """True when ``b`` reads as another version of ``a``: the same headline, or most shingles shared."""
    title = first_line(a)
    if len(title.split()) >= TITLE_MIN_WORDS and title == first_line(b):
        return True
    return article_overlap(a, b) >= SAME_ARTICLE_OVERLAP


def claim_similarity(a: str, b: str) -> float:
    """How alike two claim wordings are (word-sequence ratio of the normalised texts, 0..1)."""
    return SequenceMatcher(None, normalise(a).split(), normalise(b).split(), autojunk=False).ratio()


def attach(claims: Sequence[_Claimlike], reviews: Iterable[_Reviewlike],
           legacy_keys: Mapping[str, str] | None = None) -> dict[str, _Reviewlike]:
    """Match saved reviews to the claims of an article; return claim id -> review for the claims that have one.

    In order: the claim's :func:`review_key` (its normalised text and whether it is a denial), a key of the
    first schema (``legacy_keys``: claim id -> that key), a review saved with the claim's wording, then,
    one to one and best pair first, the most similar remaining wording at or above
    ``SAME_CLAIM_SIMILARITY`` (a denial's review only to a denial). Among several reviews of one claim
    (two article versions), the most recently saved wins.
    """
    pool = sorted(reviews, key=lambda r: r.updated_at, reverse=True)
    by_key: dict[str, _Reviewlike] = {}
    for review in pool:
        by_key.setdefault(review.claim_key, review)
    attached: dict[str, _Reviewlike] = {}
    for claim in claims:
        found = by_key.get(_claim_key(claim))
        if found is None and legacy_keys and claim.id in legacy_keys:
            found = by_key.get(legacy_keys[claim.id])
        if found is not None:
            attached[claim.id] = found
    used = {id(r) for r in attached.values()}
    by_text: dict[str, _Reviewlike] = {}
    for review in pool:
        if id(review) not in used and review.claim_text:
            denial = "denied" if _kind(review.claim_key) == "d" else None
            by_text.setdefault(review_key(review.claim_text, denial), review)
    for claim in claims:
        found = by_text.get(_claim_key(claim)) if claim.id not in attached else None
        if found is not None:
            attached[claim.id] = found
            used.add(id(found))
    # Identical wordings may repeat in an article (a caption printed twice): they share one review, but a
    # review attached by wording is not offered again to the similarity pass.
    spare = [r for r in pool if id(r) not in used and r.claim_text]
    candidates = sorted(
        ((claim_similarity(claim.text, review.claim_text), n, k)
         for n, claim in enumerate(claims) if claim.id not in attached
         for k, review in enumerate(spare) if _kind(review.claim_key) in (None, _kind(_claim_key(claim)))),
        reverse=True)
    taken: set[int] = set()
    for score, n, k in candidates:
        if score < SAME_CLAIM_SIMILARITY:
            break
        if claims[n].id in attached or k in taken:
            continue
        attached[claims[n].id] = spare[k]
        taken.add(k)
    return attached
