"""Article dates: find when an article was written, and anchor its relative dates on that day.

"The minister will visit on Tuesday" means nothing to a search of the evidence store until it says which
Tuesday. The article's date comes from the user (``check --date``), the front matter (``date:``) or a
dateline ("SEOUL, June 17 (Reuters) -"); relative expressions in a claim ("on Tuesday", "last month",
"since September", "this year", "yesterday") then get the calendar date they stand for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from factcheck.errors import InputError

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_ABBREVIATIONS = {m[:3]: n for n, m in enumerate(MONTHS, start=1)} | {"sept": 9}
_DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1}
_UNITS = ("week", "month", "year")
_FRONT_MATTER = re.compile(r"\A\s*---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_DATE = re.compile(r"^date:\s*[\"']?(\d{4}-\d{1,2}-\d{1,2})", re.MULTILINE)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# A dateline leading a line, with or without a date: "SEOUL, June 17 (Reuters) - ", "WASHINGTON, Sept. 3, 2024 (AP)
# — ", "SEOUL, South Korea — ", "Frankfurt — ". A place in capitals or up to three capitalised words, then a date
# or a region, an agency in brackets, and a dash before a capitalised word. ``article_date`` reads its date;
# ``dateline_length`` where the first sentence starts.
_PLACE = r"(?:[A-Z][A-Z.'/-]+(?:\s+[A-Z][A-Z.'/-]+){0,3}|(?P<named>[A-Z][a-z.'-]+(?:\s+[A-Z][a-z.'-]+){0,2}))"
_DATELINE = re.compile(
    rf"^\s*{_PLACE}(?:,\s+(?:(?P<month>[A-Z][a-z]{{2,8}})\.?\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))?(?:\s*\([^)\n]{1,40}\))?(?:\s*[–—]\s*|\s+--?\s+)(?=[A-Z\"“‘'])",
    re.MULTILINE,
)


def parse_date(value: str | dt.date | None, what: str = "--date") -> dt.date | None:
    """Return ``value`` as a date: a ``datetime.date`` or a ``YYYY-MM-DD`` string; None stays None.

    >>> parse_date("2024-06-14")
    datetime.date(2024, 6, 14)
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"{what} {value!r} is not a date — give it as YYYY-MM-DD, e.g. 2024-06-14") from None


def dateline_length(line: str) -> int:
    """How many characters of ``line`` a leading dateline takes ("SEOUL, June 17 (Reuters) - ", "Frankfurt — "),
    or 0: where the first sentence of a wire story starts.

    >>> line = "LONDON (AP) — The Bank of England held its rate."
    >>> line[dateline_length(line):]
    'The Bank of England held its rate.'
    """
    found = _DATELINE.match(line)
    if not found:
        return 0
    if found.group("named") and re.match(r"[^.!?]*?\s?[–—]", line[found.end():]):
        return 0  # "Russia — North Korea's main ally — has …": an aside between two dashes, not a dateline
    return found.end()


def body_start(text: str) -> int:
    """Where the article's body starts: after its front matter (``---`` … ``---``), if any."""
    front = _FRONT_MATTER.match(text)
    return front.end() if front else 0


def article_date(text: str) -> dt.date | None:
    """Return the date an article gives for itself (front matter ``date:``, else a dateline), or None.

    A dateline without a year takes the latest year the article mentions, when it mentions one.
    """
    front = _FRONT_MATTER.match(text)
    if front:
        found = _FRONT_MATTER_DATE.search(front.group(1))
        if found:
            try:
                return dt.date.fromisoformat("-".join(part.zfill(2) for part in found.group(1).split("-")))
            except ValueError:
                pass
    line = next((m for m in _DATELINE.finditer(text[:2000]) if m.group("month")), None)
    if line:
        month = _MONTH_ABBREVIATIONS.get(line.group("month").lower()[:4].rstrip(".")) or _MONTH_ABBREVIATIONS.get(
            line.group("month").lower()[:3])
        year = line.group("year")
        if year is None:
            years = [int(y) for y in _YEAR.findall(text)]
            year = max(years) if years else None
        if month and year:
            try:
                return dt.date(int(year), month, int(line.group("day")))
            except ValueError:
                return None
    return None


def format_day(day: dt.date) -> str:
    """'18 June 2024': the form the corpus writes dates in."""
    return f"{day.day} {MONTHS[day.month - 1].capitalize()} {day.year}"


def _month_name(month: int) -> str:
    return MONTHS[month - 1].capitalize()


@dataclass
class Anchored:
    """A relative date in a claim and the calendar date it stands for."""

    tokens: list[int]  # token indices the replacement covers
    text: str  # the replacement ("Tuesday 18 June 2024")
    mention: str  # the words it replaces ("Tuesday")


def _tense(head) -> str:
    """'future', 'past' or 'present' for the clause headed by ``head``."""
    words = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    if any(w.lower_ in ("will", "'ll", "shall") for w in words) or any(
        w.lower_ == "going" and any(g.lower_ == "to" for g in w.children) for w in words
    ):
        return "future"
    if head.tag_ == "VBD" or any(w.lower_ in ("had", "has", "have", "did", "was", "were") for w in words):
        return "past"
    if head.lower_ == "going" or head.lemma_.lower() in ("plan", "expect", "schedule"):
        return "future"
    return "present"


def _verb_of(token):
    """The verb whose clause a date word belongs to ("held … on Friday": held)."""
    head = token.head
    while head.head.i != head.i and not (head.pos_ in ("VERB", "AUX") and not (head.tag_ == "VBG" and head.dep_ in ("acl",))):
        head = head.head
    return head


def anchor_dates(doc, indices: list[int], anchor: dt.date) -> list[Anchored]:
    """Find the relative dates among ``indices`` of ``doc`` and anchor them on ``anchor``.

    A date in a past-tense clause looks back (the latest such day or month on or before the anchor),
    others look forward. A date that already names its year or day is left alone.
    """
    inside = set(indices)
    found: list[Anchored] = []
    used: set[int] = set()
    for i in indices:
        if i in used:
            continue
        token = doc[i]
        low = token.lower_
        tense = _tense(_verb_of(token))
        before = doc[i - 1] if i > 0 and i - 1 in inside else None
        after = doc[i + 1] if i + 1 < len(doc) else None
        preposition = before is not None and before.pos_ == "ADP"
        if low in _DAY_WORDS and token.ent_type_ in ("DATE", ""):
            day = anchor + dt.timedelta(days=_DAY_WORDS[low])
            found.append(Anchored([i], ("" if preposition else "on ") + format_day(day), token.text))
            used.add(i)
        elif low in WEEKDAYS and token.pos_ == "PROPN":
            if after is not None and (after.like_num or after.lower_ in MONTHS):
                continue  # "Tuesday 18 June" is already a date
            modifier = before.lower_ if before is not None and before.lower_ in ("last", "next", "this") else None
            direction = {"last": "past", "next": "future"}.get(modifier or "", tense)
            shift = (WEEKDAYS.index(low) - anchor.weekday()) % 7
            if direction == "past":
                day = anchor - dt.timedelta(days=(anchor.weekday() - WEEKDAYS.index(low)) % 7)
            else:
                day = anchor + dt.timedelta(days=shift or 7)
            covered = [i - 1, i] if modifier else [i]
            mention = " ".join(doc[j].text for j in covered)
            prefix = "on " if modifier and not (i - 2 in inside and doc[i - 2].pos_ == "ADP") else ""
            found.append(Anchored(covered, f"{prefix}{token.text} {format_day(day)}", mention))
            used.update(covered)
        elif low in MONTHS and token.pos_ == "PROPN" and token.ent_type_ == "DATE":
            if (after is not None and (after.like_num or after.lower_ == "of")) or (before is not None and before.like_num):
                continue  # "September 2023", "17 June", "June 17": already anchored
            if before is not None and before.lower_ in ("last", "next", "this"):
                continue
            month = MONTHS.index(low) + 1
            looks_back = tense == "past" or (before is not None and before.lower_ in ("since", "until", "till"))
            if looks_back:
                year = anchor.year if month <= anchor.month else anchor.year - 1
            elif tense == "future":
                year = anchor.year if month >= anchor.month else anchor.year + 1
            else:
                year = anchor.year
            found.append(Anchored([i], f"{token.text} {year}", token.text))
            used.add(i)
        elif low in ("last", "next", "this", "past") and after is not None and after.lower_ in _UNITS and i + 1 in inside:
            if low == "past":
                continue  # "the past year" is a span, not a calendar unit
            unit = after.lower_
            step = {"last": -1, "next": 1, "this": 0}[low]
            determiner = doc[i - 1] if i > 0 else None
            if determiner is not None and determiner.lower_ in ("the", "a", "every", "each"):
                continue
            if unit == "year":
                text = str(anchor.year + step)
            elif unit == "month":
                month_index = anchor.year * 12 + anchor.month - 1 + step
                text = f"{_month_name(month_index % 12 + 1)} {month_index // 12}"
            else:
                monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=step)
                text = f"the week of {format_day(monday)}"
            found.append(Anchored([i, i + 1], ("" if preposition else "in ") + text, f"{token.text} {after.text}"))
            used.update((i, i + 1))
    return found


_YEAR_TOKEN = re.compile(r"^(1[6-9]\d\d|20\d\d)$")


def same_year_dates(doc, indices: list[int]) -> list[Anchored]:
    """Dates a claim gives by its own earlier year ("appeared in July 2024 and came into force that September",
    "… in March 2019; later that year …", "the same year"): "that September" is September of the last year the
    claim named before it, "that year" that year. Needs no article date: the claim itself anchors them."""
    found: list[Anchored] = []
    year = None
    for i in indices:
        token = doc[i]
        if _YEAR_TOKEN.match(token.text):
            year = token.text
            continue
        if year is None or token.lower_ not in ("that", "the") or i + 1 >= len(doc) or i + 1 not in indices:
            continue
        after = doc[i + 1]
        same = after.lower_ == "same" and i + 2 < len(doc) and i + 2 in indices
        word = doc[i + 2] if same else after
        covered = [i, i + 1, i + 2] if same else [i, i + 1]
        preposition = "" if i > 0 and doc[i - 1].pos_ == "ADP" else "in "
        if word.lower_ in MONTHS:
            found.append(Anchored(covered, f"{preposition}{word.text} {year}", " ".join(doc[j].text for j in covered)))
        elif word.lower_ == "year":
            found.append(Anchored(covered, f"{preposition}{year}", " ".join(doc[j].text for j in covered)))
    return found
