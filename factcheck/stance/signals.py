"""Consistency signals: explainable checks between a claim and an evidence sentence.

They look for what fact-checking contradictions are usually made of — a changed year, month or
number, opposite terms ("rose" vs "fell"), a flipped negation — and measure how much of the claim the sentence talks about at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import asdict, dataclass, field
from typing import Literal

from factcheck.claims.dates import WEEKDAYS

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*")
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)s?\b")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|per cent|percent)(?!age))?")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
MONTH_WORDS = frozenset(_MONTHS)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
# A figure in words below a hundred, with what follows it: "sixty-one per cent", "thirty two homes", "seven votes".
_UNITS = "|".join(k for k in _NUMBER_WORDS if _NUMBER_WORDS[k] < 10)
_WORD_FIGURE = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})(?:[\s-](?P<unit>{_UNITS}))?|"
    rf"(?P<small>{'|'.join(k for k in _NUMBER_WORDS if _NUMBER_WORDS[k] < 20)}))"
    # What the figure counts follows a space, or a hyphen in a compound ("a five-year contract", "a ten-week
    # consultation"), never another number word ("sixty-one" is one figure) nor a fraction ("two-thirds").
    rf"(?:\s+|-(?!(?:{_UNITS}|half|halves|thirds?|quarters?|[a-z]+ths?)\b))"
    r"(?P<noun>per\s*cent\b|percent\b|[a-z][a-z\-]+)")


def _word_figure(match: re.Match) -> float:
    """The value of a ``_WORD_FIGURE`` match ("sixty-one" -> 61)."""
    if match.group("small"):
        return float(_NUMBER_WORDS[match.group("small")])
    return float(_TENS[match.group("tens")] + (_NUMBER_WORDS[match.group("unit")] if match.group("unit") else 0))


_NEGATIONS = {"not", "no", "never", "n't", "none", "neither", "nor", "without", "cannot", "denied", "denies",
              "deny", "denying", "rejected", "rejects", "false", "untrue", "failed", "refused", "refuses"}
_STOP = set("""a an the of in on at to for from by with and or but as is are was were be been being has have had
do does did this that these those it its their his her he she they them we our you your i me my which who whom
whose what when where why how than then there here also such very more most less least so into over about after
before between during since until up down out off again further once all any both each few other some own same
can will would could should may might must shall said says say according""".split())


# Pairs of opposite terms (any form in a group against any in its partner). Only words specific enough
# to flip a claim: "up"/"down", "first"/"last", "before"/"after" say too little out of context, and
# "North"/"South" are mostly parts of names (North Korea is not the opposite of South Korea).
_OPPOSITES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split())) for a, b in (
        ("rise rose risen rising climb climbed climbing increase increased increasing grew grow growing "
         "raise raised raising hike hiked surge surged soared jumped",
         "fall fell fallen falling drop dropped dropping decline declined declining decrease decreased "
         "decreasing cut cutting lower lowered lowering shrank shrink reduce reduced reducing slashed plunged"),
        ("won win winning victory beat defeated", "lost lose losing defeat"),
        ("favour favor supported backed endorsed endorse endorses", "against opposed oppose opposes rejected rejects"),
        # "refused" as a decision ("refused planning permission"), not "refused to comment" (``_opposite_terms``).
        # Base forms of verbs only where they are seldom nouns ("accept", not "grant" or "block").
        ("approved accepted ratified passed granted approve approves accept accepts ratify ratifies",
         "vetoed blocked rejected rejects refused refuses reject rejecting refuse refusing"),
        # A complaint, an appeal or a ground of challenge is upheld, or rejected or dismissed.
        ("upheld uphold upholds upholding", "overturned quashed rejected dismissed"),
        ("higher highest", "lower lowest"),
        ("larger largest bigger biggest", "smaller smallest"),
        ("profit profitable surplus", "loss deficit"),
        ("legal legalised legalized allowed permitted", "illegal banned prohibited outlawed"),
        ("alive survived", "dead died killed"),
        ("male", "female"),
        ("older oldest", "younger youngest"),
        ("succeeded successful successfully success", "failed failure unsuccessful"),
        ("convicted guilty", "acquitted"),
        ("opened reopened", "closed shut"),
        ("joined", "quit withdrew withdrawn withdrawing"),
        ("voted", "abstained abstaining"),  # "China voted with Russia to veto" / "…, with China abstaining"
        ("kept keeps retained retains", "lost loses"),  # "kept its award" / "has lost its award"
    ))


_KEPT: list = []  # the per-text memos, emptied by ``forget``


def _per_text(function):
    """``function`` of a text (and flags), worked out once per text while it is kept: a claim is compared with
    every candidate sentence of every passage retrieved for it, and a sentence with every claim and part it is a
    candidate for (the example article: 322 comparisons of 21 claims and 152 sentences). A set, dict or list is
    returned as a copy, so a caller may change it."""
    kept = functools.lru_cache(maxsize=8192)(function)
    _KEPT.append(kept)

    @functools.wraps(function)
    def once(*args, **kwargs):
        value = kept(*args, **kwargs)
        return value.copy() if isinstance(value, (set, dict, list)) else value

    once.cache_clear = kept.cache_clear
    return once


def forget() -> None:
    """Drop what the signals keep per text (words, years, figures …): the next comparison works each out anew.
    For benchmarks that time a first check."""
    for kept in _KEPT:
        kept.cache_clear()


@_per_text
def _word_forms(text: str) -> set[str]:
    """Every word as written (lower-cased) and in its normalised form ("increases" and "increase")."""
    return {form for m in _WORD.finditer(text) for form in (m.group().lower(), _norm(m.group()))}


# Opposites that take a phrase to say. How someone travelled: flying is not going by train, road or sea
# ("Kim Jong Un flew to Vladivostok" against "Kim Jong Un travelled to Vladivostok by train"); each way is
# named by its verb or by "by <means>" / "aboard <means>", not by the bare noun ("a train station", "fighter
# jets"). And when something happened against its plan: "earlier than scheduled" is not "later than scheduled".
_MEANS = r"(?:a|an|his|her|their|its|the)\s+(?:\w+\s+)?"
_PHRASE_OPPOSITES: tuple[tuple[tuple[str, re.Pattern], ...], ...] = (
    (("flew", re.compile(r"\b(?:flew|flown|fly|flies)\b(?!\s+(?:the|a|its|their)\s+flags?)|\bflying\s+(?:to|from|into|in)\b"
                         rf"|\bby\s+(?:plane|air|aircraft|jet|helicopter)\b|\baboard\s+{_MEANS}(?:plane|aircraft|jet|airliner)\b",
                         re.IGNORECASE)),
     ("by train", re.compile(rf"\bby\s+(?:\w+\s+)?(?:train|rail)\b|\baboard\s+{_MEANS}train\b|\barmou?red\s+train\b",
                             re.IGNORECASE)),
     ("by road", re.compile(rf"\bby\s+(?:car|road|motorcade|bus)\b|\bdrove\s+(?:to|from|into|across)\b", re.IGNORECASE)),
     ("by sea", re.compile(rf"\bby\s+(?:sea|ship|boat|ferry)\b|\bsailed\s+(?:to|from|into|across)\b|\baboard\s+{_MEANS}(?:ship|yacht|ferry)\b",
                           re.IGNORECASE))),
    (("unanimously", re.compile(r"\bunanimous(?:ly)?\b|\bwithout (?:a single )?dissent\b", re.IGNORECASE)),
     ("by a split vote", re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s*(?:-|–|to)\s*(?:[1-9]\d*|one|two|"
                                    r"three|four|five|six|seven|eight|nine|ten)\s+(?:vote|decision|majority|ruling)\b"
                                    r"|\b(?:[1-9]\d*|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+){0,4}?voted\s+"
                                    r"(?:against|to keep|to hold|to leave|no\b)|\b[1-9]\d*\s+votes?\s+against\b|\bsplit vote\b"
                                    r"|\bnarrow(?:ly)?\s+(?:vote|decision|majority)", re.IGNORECASE))),
    (("still", re.compile(r"\b(?:remain(?:s|ed|ing)?|still|continue[sd]? to)\b", re.IGNORECASE)),
     ("no longer", re.compile(r"\bno longer\b|\bceased to\b|\bnot any longer\b", re.IGNORECASE))),
    # Doing more of something or less of it: "scale back their cooperation" against "raise their cooperation".
    (("scaled back", re.compile(r"\bscal(?:e|es|ed|ing)\s+(?:back|down)\b|\bcurtail(?:s|ed|ing)?\b"
                                r"|\bwind(?:s|ing)?\s+down\b|\bwound\s+down\b|\bcut(?:s|ting)?\s+back\b", re.IGNORECASE)),
     ("expanded", re.compile(r"\bexpand(?:s|ed|ing)?\b|\bscal(?:e|es|ed|ing)\s+up\b|\bstep(?:s|ped|ping)?\s+up\b"
                             r"|\bdeepen(?:s|ed|ing)?\b|\bstrengthen(?:s|ed|ing)?\b|\braise[sd]?\b|\braising\b"
                             r"|\bboost(?:s|ed|ing)?\b", re.IGNORECASE))),
    (("earlier than planned", re.compile(r"\b(?:earlier|sooner)\s+than\s+(?:scheduled|planned|expected|intended)\b"
                                         r"|\bahead\s+of\s+schedule\b", re.IGNORECASE)),
     ("later than planned", re.compile(r"\blater\s+than\s+(?:scheduled|planned|expected|intended)\b|\bbehind\s+schedule\b"
                                       r"|\boverr(?:an|uns?)\b", re.IGNORECASE))),
)


# "Russian-flagged vessels" and "North Korean-flagged vessels", "Iranian-made drones" and "Russian-made
# drones": one kind of compound with another name in front.
_COMPOUND = re.compile(r"\b((?:[A-Z][\w'’]*\s+)?[A-Z][\w'’]*)-(flagged|made|built|owned|backed|led|funded|registered|"
                       r"based|operated|designed|produced)\b")


def name_compounds(text: str) -> set[str]:
    """The name-built compounds of a text ("US-based", "North Korean-flagged"): where its things are from or
    who is behind them."""
    return {m.group(0) for m in _COMPOUND.finditer(text)}


def _other_compound(claim: str, evidence: str) -> tuple[str, str] | None:
    """(the claim's compound, the evidence's) when both use one kind ("-flagged") with other names in front
    and neither also uses the other's."""
    mine, theirs = {}, {}
    for text, found in ((claim, mine), (evidence, theirs)):
        for m in _COMPOUND.finditer(text):
            found.setdefault(m.group(2).lower(), set()).add(m.group(1).lower())
    for kind, names in mine.items():
        other = theirs.get(kind, set())
        if other and not names & other:
            return f"{sorted(names)[0].title()}-{kind}", f"{sorted(other)[0].title()}-{kind}"
    return None


# A named place in a slot both texts write alike: the two words before it the same, the second a preposition of
# place ("a smaller site in Kelderby", "the neighbouring town of Wexley", "Abbey Street from Halden Park").
_PLACE_SLOT_PREPS = frozenset({"in", "at", "on", "from", "to", "into", "beneath", "under", "near", "outside", "inside",
                               "off", "via", "towards"})
# "of" names a place only after a word for one ("the town of Wexley"; not "the leader of Vale First").
_PLACE_KINDS = frozenset({"town", "city", "village", "county", "borough", "district", "island", "isle", "port",
                          "parish", "suburb", "region", "province", "hamlet", "estate", "valley"})
_SLOT_NAME = re.compile(r"(?<![\w'’\-])([A-Z][a-z][\w'’\-]*(?:\s+[A-Z][a-z][\w'’\-]*)*)")
_SLOT_WORD = re.compile(r"[\w'’\-]+")
# Capitalised words that are no place's name: days, months, titles, labels.
_NOT_SLOT_NAMES = frozenset({"the", "a", "an", "year", "phase", "stage", "section", "part", "chapter", "page",
                             "mr", "mrs", "ms", "dr", "cllr", "councillor", "sir", "lord", "lady", "easter",
                             "christmas", "good"}) | MONTH_WORDS | frozenset(WEEKDAYS)
# Words a place's name shares with unrelated places ("Cordwainer Road", "Tanyard Street"): what is left tells them apart.
_PLACE_GENERIC = frozenset({"road", "street", "lane", "avenue", "way", "park", "square", "hall", "centre", "center",
                            "court", "house", "docks", "dock", "quay", "bridge", "green", "hill", "north", "south",
                            "east", "west", "upper", "lower", "great", "little", "new", "old", "st", "saint", "the",
                            "and", "of", "estate", "industrial", "station", "airport", "harbour", "river"})


@_per_text
def _slotted_places(text: str) -> dict[tuple[str, str], str]:
    """(the two words before, lower case) -> the name, for each capitalised name after a preposition of place
    (``_PLACE_SLOT_PREPS``, or "of" after a word for a place) that does not open the text."""
    found = {}
    for m in _SLOT_NAME.finditer(text):
        before = _SLOT_WORD.findall(text[max(0, m.start() - 60):m.start()])
        if len(before) < 2 or not text[m.start() - 1:m.start()].isspace():
            continue
        first, prep = before[-2].lower(), before[-1].lower()
        if not (prep in _PLACE_SLOT_PREPS or prep == "of" and first in _PLACE_KINDS):
            continue
        name = m.group(1)
        if {w.lower() for w in name.split()} & _NOT_SLOT_NAMES:
            continue
        found.setdefault((first, prep), name)
    return found


def _distinct_words(name: str) -> set[str]:
    return {w.lower() for w in name.split()} - _PLACE_GENERIC


@functools.lru_cache(maxsize=1)
def _hand_table():
    """The alias table of the hand list alone (countries, capitals, peoples): a name it knows may hold, or lie
    in, another ("in Russia" and "in Vladivostok"), which ``roles.another_place`` compares with the parse."""
    from factcheck.stance.roles import AliasTable  # roles reads this module

    return AliasTable()


def other_place_in_slot(claim: str, evidence: str) -> tuple[str, str] | None:
    """(the claim's words, the evidence's) when the evidence writes the claim's place slot with another name
    ("offered jobs at its smaller site in Kelderby" for "… at its smaller site in Lindholt"; "the neighbouring
    town of Wexley" for "the neighbouring town of Norbridge"), neither text naming the other's place: the
    claim's act said of another place. The judge weighs it only in a sentence holding most of the claim."""
    theirs = _slotted_places(evidence)
    if not theirs:
        return None
    claim_words, evidence_words = set(_SLOT_WORD.findall(claim.lower())), set(_SLOT_WORD.findall(evidence.lower()))
    for slot, mine in _slotted_places(claim).items():
        other = theirs.get(slot)
        if other is None:
            continue
        mine_distinct, other_distinct = _distinct_words(mine), _distinct_words(other)
        if (mine_distinct and other_distinct and not mine_distinct & evidence_words
                and not other_distinct & claim_words
                and not (_hand_table().known(mine) or _hand_table().known(other))):
            return f"{' '.join(slot)} {mine}", f"{' '.join(slot)} {other}"
    return None


# An office named by its kind ("defence minister", "Foreign Minister Choe", "the finance ministry").
_OFFICE = re.compile(r"\b([A-Za-z]{3,})\s+(minister|ministry|secretary|spokesman|spokeswoman|spokesperson|envoy|"
                     r"ambassador|adviser|advisor|commander)\b", re.IGNORECASE)
_SPELLINGS = {"defense": "defence"}


def _other_office(claim: str, evidence: str) -> tuple[str, str] | None:
    """(the claim's office, the evidence's) when both name one kind of office ("minister") by another field
    ("defence minister" against "Foreign Minister Choe Son Hui") and the evidence never names the claim's field:
    someone else, of whom the evidence says nothing about the claim's."""
    evidence_words = {_SPELLINGS.get(w, w) for w in content_words(evidence)}
    mine, theirs = {}, {}
    for text, found in ((claim, mine), (evidence, theirs)):
        for m in _OFFICE.finditer(text):
            field = _SPELLINGS.get(m.group(1).lower(), m.group(1).lower())
            if field not in _STOP:
                found.setdefault(_norm(m.group(2)), set()).add(field)
    for office, fields in mine.items():
        other = theirs.get(office, set())
        if other and not fields & other and not fields & evidence_words:
            return f"{sorted(fields)[0]} {office}", f"{sorted(other)[0]} {office}"
    return None


# "food and consumer goods rather than munitions": the claim says one thing and not another.
_CONTRAST = re.compile(r"\b(rather than|instead of)\s+((?:[\w'’\-]+\s*){1,4})", re.IGNORECASE)


def _contrast_reversed(claim: str, evidence: str) -> tuple[str, str] | None:
    """(the claim's "A rather than B", B) when the evidence says B, every key word of it, and not A: "the
    cargo was most likely North Korean munitions" against "… food and consumer goods rather than munitions"."""
    evidence_words = content_words(evidence)
    for m in _CONTRAST.finditer(claim):
        this, not_this = " ".join(_WORD.findall(claim[:m.start()])[-4:]), m.group(2).strip()
        rejected = content_words(not_this) - content_words(this)
        chosen = content_words(this) - rejected
        if rejected and chosen and rejected <= evidence_words and not chosen <= evidence_words:
            return f"{this} {m.group(1).lower()} {not_this}", not_this
    return None


_INSTEAD_CLAUSE = re.compile(r"\b(rather than|instead of|in place of)\s+([^,;:.()]{3,80})", re.IGNORECASE)
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’\-]*[a-z][\w'’\-]*")


def _instead_named(claim: str, evidence: str) -> tuple[str, str] | None:
    """(the claim's name, the evidence's) when the evidence names the claim's place or party only as what was
    not done, "A instead of B", and the claim has B where the evidence has A: "will be taken to Corvane's plant
    at Pellington … instead of being sent to landfill at Stannick Quarry" against "will send rubbish to a plant
    at Stannick Quarry". Names are capitalised words inside a sentence."""
    claim_names = {w.lower() for w in _PROPER.findall(claim)}
    for m in _INSTEAD_CLAUSE.finditer(evidence):
        rejected = {w.lower() for w in _PROPER.findall(m.group(2))}
        chosen = {w.lower() for w in _PROPER.findall(evidence[:m.start()])} - rejected
        outside = {w.lower() for w in _PROPER.findall(evidence[:m.start()] + " " + evidence[m.end():])}
        said = (rejected & claim_names) - outside
        if said and chosen and not chosen & claim_names:
            named = [w for w in _PROPER.findall(evidence[:m.start()]) if w.lower() in chosen]
            return (" ".join(w for w in _PROPER.findall(m.group(2)) if w.lower() in said),
                    f"{named[-1]}, {m.group(1).lower()} {' '.join(m.group(2).split()[:6])}")
    return None


def opposite_way(claim: str, evidence: str) -> tuple[str, str] | None:
    """(claim's way, evidence's way) when the two say the event happened in different ways of one kind (how
    someone travelled, whether a vote was unanimous, against the plan: ``_PHRASE_OPPOSITES``) and neither also
    says the other's way."""
    for ways in _PHRASE_OPPOSITES:
        said = [name for name, pattern in ways if pattern.search(claim)]
        other = [name for name, pattern in ways if pattern.search(evidence)]
        if len(said) == 1 and other and said[0] not in other:
            return said[0], other[0]
    return None


_EVER = re.compile(r"\bfirst[\s-]ever\b|\bfirst\b[^.;:]{0,60}?\bever\b|\bnever before\b", re.IGNORECASE)
# "the first … since the 2008 financial crisis", "… since March 2020": the year the last one came (compared with
# another such year). ``_FIRST_SINCE`` below takes a bare year only: against "first ever", "the first visit to
# Pyongyang since July 2000" is often about a later visit than the evidence's first-ever one (the example
# article's invitation claim read conflicting when it took this wider form).
_FIRST_SINCE_YEAR = re.compile(r"\bfirst\b[^.;:]{0,60}?\b(?P<since>since\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?"
                               r"(?:[A-Z][a-z]+\s+)?(?P<year>(?:1[6-9]|20)\d\d))\b")
_FIRST_SINCE = re.compile(r"\bfirst\b[^.;:]{0,60}?\b(?:in\s+(?:\d+|a|two|three|four|five|six|seven|eight|nine|ten|"
                          r"eleven|twelve|several|many|more than \w+)\s+(?:years|decades|months)|since\s+(?:1[6-9]|20)\d\d)\b",
                          re.IGNORECASE)


def _first_ever(claim: str, evidence: str) -> tuple[str, str] | None:
    """("first ever", "first in 24 years") when the claim says a first that never happened before and the
    evidence says it is the first only for a while ("Putin's first trip to North Korea in 24 years" for "the
    first Kremlin leader ever to visit North Korea"): there was an earlier one. And the other way round.
    Also ("since 2008", "since March 2020") when both say the first since a year and the years differ ("its
    first rate cut since the 2008 financial crisis" for "… since March 2020"): the last one came another year."""
    mine_ever, mine_since = _EVER.search(claim), _FIRST_SINCE.search(claim)
    their_ever, their_since = _EVER.search(evidence), _FIRST_SINCE.search(evidence)
    if mine_ever and their_since and not mine_since and not their_ever:
        return "first ever", their_since.group(0)
    if mine_since and their_ever and not mine_ever and not their_since:
        return mine_since.group(0), "first ever"
    mine_year, their_year = _FIRST_SINCE_YEAR.search(claim), _FIRST_SINCE_YEAR.search(evidence)
    if mine_year and their_year and mine_year.group("year") != their_year.group("year"):
        return mine_year.group("since"), their_year.group("since")
    return None


def _opposite_terms(claim: str, evidence: str) -> tuple[str, str] | None:
    """(claim word, evidence word) when the two use opposite terms and neither uses the other's."""
    # "declined to pass on the award" is a refusal, not a fall (``_DECLINED``).
    # "refused to comment" is no decision refused ("refused planning permission"): such a refusal is read by the
    # negation signals, not as the opposite of an approval.
    claim, evidence = (_REFUSED_TO.sub("balked at", _DECLINED_TO.sub("refused to", _decisions_as_words(text)))
                       for text in (claim, evidence))
    claim_words, evidence_words = _word_forms(claim) | _way_gone(claim), _word_forms(evidence) | _way_gone(evidence)
    for a, b in _OPPOSITES:
        for mine, theirs in ((a, b), (b, a)):
            said, other = claim_words & mine, evidence_words & theirs
            if not said or not other or claim_words & theirs:
                continue
            if evidence_words & mine:
                # Both ways in one sentence ("Overnight stays fell by 3 per cent, while day trips rose"): the
                # clause about the claim's thing says which.
                clause = _clause_about(claim, evidence, {_norm(w) for w in a | b})
                if clause is None:
                    continue
                clause_words = _word_forms(clause)
                other = clause_words & theirs
                if not other or clause_words & mine:
                    continue
            if "abstained" in a | b and not _abstainer_named(claim, evidence):
                continue
            return sorted(said)[0], sorted(other)[0]
    return (opposite_way(claim, evidence) or _other_compound(claim, evidence) or _contrast_reversed(claim, evidence)
            or _instead_named(claim, evidence) or _first_ever(claim, evidence))


# Where one sentence joins two findings: "X fell by 3 per cent, while Y rose", "X rose; Y fell", "X rose but Y fell".
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;]\s*(?:while|whereas|but|and)\b|\bwhile\b|\bwhereas\b|;)\s*", re.IGNORECASE)


def _clause_about(claim: str, evidence: str, ignore: frozenset[str] = frozenset()) -> str | None:
    """The one clause of the evidence (``_CLAUSE_BREAK``) that holds more of the claim's key words (less those
    in ``ignore``: the terms compared) than any other; None when the evidence is one clause or two clauses tie."""
    clauses = [c for c in _CLAUSE_BREAK.split(evidence) if c.strip()]
    if len(clauses) < 2:
        return None
    words = content_words(claim) - ignore
    shares = sorted(((len(words & content_words(c)), c) for c in clauses), key=lambda x: -x[0])
    return shares[0][1] if shares[0][0] > shares[1][0] else None


# A figure set beside its earlier value says which way it went: "about 46,000, up from 39,000", "34 per cent …,
# compared with 27 per cent a year earlier".
_UP_DOWN_FROM = re.compile(r"\b(up|down)\s+from\s+(?:about\s+|around\s+)?[£$€]?\d", re.IGNORECASE)
_COMPARED = re.compile(r"[£$€]?(\d[\d,]*(?:\.\d+)?)\s*(%|per\s*cent|percent|million|billion)?[^.;:\d]{0,100}?\bcompared\s+"
                       r"(?:with|to)\s+[£$€]?(\d[\d,]*(?:\.\d+)?)\s*(%|per\s*cent|percent|million|billion)?\s+"
                       r"(?:a\s+year\s+(?:earlier|before|ago)|the\s+(?:year|month)\s+before|last\s+year|in\s+(?:19|20)\d\d"
                       r"|(?:in\s+)?the\s+previous\s+(?:year|month|quarter))\b", re.IGNORECASE)


@_per_text
def _way_gone(text: str) -> set[str]:
    """{"rose"} or {"fell"} when the text sets a figure beside its earlier value (``_UP_DOWN_FROM``, ``_COMPARED``)
    and every such figure went the same way; an empty set otherwise (none, or some up and some down)."""
    ways = {("rose" if m.group(1).lower() == "up" else "fell") for m in _UP_DOWN_FROM.finditer(text)}
    for m in _COMPARED.finditer(text):
        now, then = (float(m.group(i).replace(",", "")) for i in (1, 3))
        if (m.group(2) or "").replace(" ", "").lower() == (m.group(4) or "").replace(" ", "").lower() and now != then:
            ways.add("rose" if now > then else "fell")
    return ways if len(ways) == 1 else set()


# Who abstained, by name: "…, with China abstaining", "China abstained".
_ABSTAINER = re.compile(r"\b((?:[A-Z][\w'’\-]*\s+)*[A-Z][\w'’\-]*)\s+(?:abstaining|abstained)\b")


def _abstainer_named(claim: str, evidence: str) -> bool:
    """True when the evidence names who abstained and the claim names it too: "with China abstaining" is the
    opposite of "China voted with Russia", "with two councillors abstaining" no opposite of "the council voted"."""
    return any(name.lower() in other.lower() for text, other in ((evidence, claim), (claim, evidence))
               for name in _ABSTAINER.findall(text))


_ROLE_VERBS = r"beat|beats|defeated|defeats|overtook|overtakes|succeeded|replaced|replaces|acquired|acquires|bought|buys|invaded|invades"
_ROLES = re.compile(rf"\b([A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)\s+(?:has\s+|have\s+|had\s+)?({_ROLE_VERBS})\s+"
                    rf"(?:the\s+)?([A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)")


def _roles(text: str) -> set[tuple[str, str, str]]:
    """(agent, verb stem, patient) for "Argentina beat France"-like clauses between two names."""
    return {(m.group(1).lower(), m.group(2).lower()[:5], m.group(3).lower()) for m in _ROLES.finditer(text)}


# "France won the final", "Argentina have won the title": the winner a claim names.
_WINNER = re.compile(r"\b([A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)\s+(?:has\s+|have\s+|had\s+)?(?:won|wins|clinched|clinches)\b")


# "The Federal Reserve cut its rates before the European Central Bank": which of two named parties came first.
_NAME = r"[A-Z][\w'’\-]*(?:\s+(?:of\s+)?[A-Z][\w'’\-]*)*"
_ORDER_WORDS = {"before": "<", "ahead of": "<", "earlier than": "<", "sooner than": "<", "after": ">",
                "later than": ">"}
_ORDER_CLAUSE = re.compile(rf"\b({_NAME})\b[^.;:]{{0,60}}?\b(before|ahead of|earlier than|sooner than|after|later than)"
                           rf"\s+(?:the\s+)?({_NAME})")
_LEADING = re.compile(rf"^(?:(?:the|a|an|in|on|at|by|when|while|as|{'|'.join(_MONTHS)})\s+)+", re.IGNORECASE)


@_per_text
def _orders(text: str) -> set[tuple[str, str]]:
    """(earlier, later) for each "A … before B" or "A … after B" between two names in the text."""
    found = set()
    for m in _ORDER_CLAUSE.finditer(text):
        first, second = (_LEADING.sub("", m.group(i)) for i in (1, 3))
        if first and second and first.lower() != second.lower() and first.lower() not in _MONTHS:
            found.add((first, second) if _ORDER_WORDS[m.group(2)] == "<" else (second, first))
    return found


def _same_name(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or a.endswith(" " + b) or b.endswith(" " + a)


_MORE = r"more|greater|higher|larger|bigger|longer|heavier|stronger|faster|warmer|hotter|older|richer"
_LESS = r"less|fewer|lower|smaller|shorter|lighter|weaker|slower|cooler|colder|younger|poorer"
_COMPARISON = re.compile(rf"^(?P<left>.*?)\b(?P<cmp>{_MORE}|{_LESS})\b(?P<mid>[^.;:]*?)\bthan\s+(?P<right>[^,;:.()]+)",
                         re.IGNORECASE)


def _comparison(text: str) -> tuple[set[str], bool, set[str], re.Match] | None:
    """(the words before the comparison, True for "more", the words after "than", the match) of a text's first
    one."""
    m = _COMPARISON.search(text)
    if not m:
        return None
    more = bool(re.fullmatch(_MORE, m.group("cmp"), re.IGNORECASE))
    return content_words(m.group("left")), more, content_words(m.group("right")), m


def _swapped_comparison(claim: str, evidence: str) -> str | None:
    """The claim's "A … more … than B" against the evidence's "B … more … than A" (or "less" against "less"):
    the comparison the other way round. "A more than B" against "B less than A" says the same. The sides are
    told apart by the words only one of the claim's sides has ("10/66 dementia" against "DSM-IV dementia")."""
    mine, theirs = _comparison(claim), _comparison(evidence)
    if not mine or not theirs:
        return None
    (left, more, right, _), (their_left, their_more, their_right, m) = mine, theirs
    only_left, only_right = left - right, right - left
    crossed = (only_right & their_left) - their_right, (only_left & their_right) - their_left
    if all(crossed) and not only_right & their_right and more == their_more:
        said = f"{m.group('left').strip()} {m.group('cmp')}{m.group('mid').rstrip()} than {m.group('right').strip()}"
        short = said if len(said) <= 90 else said[:87].rsplit(" ", 1)[0] + "…"
        return f"comparison the other way round: the evidence says “{short}”"
    return None


def _swapped_roles(claim: str, evidence: str) -> str | None:
    """The claim's "A beat B" against the evidence's "B beat A", the claim's "A won" against the
    evidence's "B beat A" (A lost), or the claim's "A … before B" against the evidence's "B … before A":
    what the reason says, or None."""
    theirs = _roles(evidence)
    for agent, verb, patient in _roles(claim):
        if (patient, verb, agent) in theirs and (agent, verb, patient) not in theirs:
            return f"roles swapped: the evidence has {patient.title()} doing it to {agent.title()}"
    their_orders = _orders(evidence)
    for earlier, later in _orders(claim):
        if any(_same_name(earlier, b) and _same_name(later, a) for a, b in their_orders) \
                and not any(_same_name(earlier, a) and _same_name(later, b) for a, b in their_orders):
            return f"order swapped: the evidence has {later} before {earlier}"
    winners = {m.group(1).lower() for m in _WINNER.finditer(claim)}
    for agent, verb, patient in theirs:
        if verb in ("beat", "defea") and patient in winners and agent not in winners:
            return f"roles swapped: the claim has {patient.title()} winning, the evidence has {agent.title()} beating them"
    # The claim's "A defeated B" against the evidence's "B won … (by beating A)".
    their_winners = {m.group(1).lower() for m in _WINNER.finditer(evidence)}
    for agent, verb, patient in _roles(claim):
        if (verb in ("beat", "defea") and any(_same_name(patient, w) for w in their_winners)
                and not any(_same_name(agent, w) for w in their_winners)):
            return f"roles swapped: the claim has {agent.title()} beating {patient.title()}, the evidence has {patient.title()} winning"
    return _swapped_comparison(claim, evidence)


def _norm(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@_per_text
def content_words(text: str) -> set[str]:
    """Lower-cased content words (stop words, negations and punctuation dropped), crudely singularised. Found once
    per text (``_per_text``; the example article: 1,796 calls, 0.19 s, to a few hundred texts)."""
    words = {"percent"} if re.search(r"\d\s*%|\bper\s?cent\b", text, re.IGNORECASE) else set()
    for match in _WORD.finditer(text):
        word = _norm(match.group())
        if word not in _STOP and word not in _NEGATIONS and len(word) > 1:
            words.add(word)
    return words


# A date after one of these opens or closes a period ("since September", "by early 2024"), or is what a figure
# is compared with ("6 per cent more than in the same period of 2023", "compared with 2023"): a bound or a
# baseline, which other dates do not contradict.
_RANGE_WORDS = {"since", "after", "before", "until", "till", "by", "from", "through", "between", "starting",
                "beginning", "to", "than", "compared", "versus"}
_DATE_FILLER = {"early", "late", "mid", "the", "end", "start", "summer", "winter", "spring", "autumn", "fall",
                "of", "in", "middle", "beginning", "same", "period", "with"}


def _bounded(text: str, start: int) -> bool:
    """True when the date starting at ``start`` follows a range word, over day numbers and fillers."""
    for word in reversed(re.findall(r"[a-z]+|\d+", text[max(0, start - 50):start].lower())[-6:]):
        if word in _RANGE_WORDS:
            return True
        if not (word in _DATE_FILLER or word.isdigit() or word in _MONTHS):
            return False
    return False


_DEADLINE = re.compile(r"\bby\s+(?:(?:the\s+)?(?:end|start|middle)\s+of\s+|(?:early|mid|late)[\s-]+)?(1[6-9]\d\d|20\d\d)\b",
                       re.IGNORECASE)


@_per_text
def deadlines(text: str) -> set[str]:
    """The years a text sets as deadlines: "net zero by 2045", "by the end of 2030"."""
    return set(_DEADLINE.findall(text))


@_per_text
def years(text: str, bounds: bool = True) -> set[str]:
    """Years mentioned in ``text``; with ``bounds=False`` not those that open or close a period."""
    return {m.group(1) for m in _YEAR.finditer(text) if bounds or not _bounded(text, m.start())}


@_per_text
def months(text: str, bounds: bool = True) -> set[str]:
    """Months mentioned in ``text`` ("may" only as a date); ``bounds`` as for :func:`years`."""
    lowered = text.lower()
    found = set()
    for m in _MONTHS:
        # "may" is a month only before a day or a year ("May 2023", "May 9"), not the modal verb.
        pattern = (r"\bmay(?=\s+(?:\d{1,2}\b|1[6-9]\d\d|20\d\d))|(?<=\d\s)may\b" if m == "may"
                   else rf"\b{m}\b")
        if any(bounds or not _bounded(lowered, hit.start()) for hit in re.finditer(pattern, lowered)):
            found.add(m)
    return found


# A date to the day, the month or the year: "3 November 2016", "November 3, 2016", "November 2016", "2016".
_MONTH_NAMES = "|".join(_MONTHS)

# A start date: "pay double council tax from April 2026", "starting in January 2025", "with effect from 1 May 2024".
_START = re.compile(rf"\b(?:from|starting|beginning)\s+(?:in\s+|on\s+)?(?:(?:the\s+)?(?:end|start|middle|beginning)\s+"
                    rf"of\s+|(?:early|mid|late)[\s-]+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:(?:{_MONTH_NAMES})\s+)?"
                    r"(1[6-9]\d\d|20\d\d)\b(?!\s*(?:-|–|to\b|and\b))", re.IGNORECASE)


@_per_text
def starts(text: str) -> set[str]:
    """The years a text starts something from: "from April 2026", "starting in 2025" (not a range's first year:
    "from 2019 to 2021", "2023-24")."""
    return set(_START.findall(text))

_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH_NAMES})(?:,?\s+(?P<y1>1[6-9]\d\d|20\d\d))?"
    rf"|(?P<m2>{_MONTH_NAMES})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>1[6-9]\d\d|20\d\d))?"
    rf"|(?P<m3>{_MONTH_NAMES}),?\s+(?P<y3>1[6-9]\d\d|20\d\d)"
    r"|(?P<y4>1[6-9]\d\d|20\d\d)(?!s\b|\d))", re.IGNORECASE)
# A claim that places an event before or after a date ("was born after 1983", "released before 3 November
# 2016"). "Since", "by" and "until" are left out: they bound a period ("has supplied shells since
# September"), and an event inside or outside it does not contradict the claim.
_ORDER = re.compile(r"\b(after|before|prior to|later than|earlier than)\s+(?:(?:the|early|late|mid|end of|start of)\s+)?$",
                    re.IGNORECASE)


def _date_parts(match: re.Match) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a ``_DATE`` match, each None where it does not give it."""
    year = match.group("y1") or match.group("y2") or match.group("y3") or match.group("y4")
    month = match.group("m1") or match.group("m2") or match.group("m3")
    day = match.group("d1") or match.group("d2")
    return (int(year) if year else None, _MONTHS.index(month.lower()) + 1 if month else None,
            int(day) if day and month else None)


@_per_text
def _dates(text: str) -> list[tuple[int, tuple[int, ...]]]:
    """Dates with a year, as (start offset, (year, month, day) as far as given); days without a month and
    months without a year are left out."""
    found = []
    for m in _DATE.finditer(text):
        year, month, day = _date_parts(m)
        if year:
            found.append((m.start(), tuple(p for p in (year, month, day) if p is not None)))
    return found


def _same_day_other_year(claim: str, evidence: str) -> str | None:
    """A date of the claim's and one of the evidence's on the same day of the same month, in other years,
    with the claim's year nowhere in the evidence's dates: one event dated two ways ("approved on June 18,
    2023" against "approved on June 18, 2024"), though both texts share another year ("fiscal 2025")."""
    evidence_dates = [parts for _, parts in _dates(evidence)]
    evidence_years = {parts[0] for parts in evidence_dates}
    for _, mine in _dates(claim):
        if len(mine) < 3 or mine[0] in evidence_years:
            continue
        for theirs in evidence_dates:
            if len(theirs) == 3 and theirs[1:] == mine[1:] and theirs[0] != mine[0]:
                return f"year mismatch: {_date_text(mine)} vs {_date_text(theirs)}"
    return None


def _days(text: str) -> list[tuple[int, int, int | None]]:
    """(day, month, year or None) for each date a text gives to the day ("3 July", "July 3, 2024")."""
    return [(day, month, year) for year, month, day in map(_date_parts, _DATE.finditer(text))
            if day is not None and 1 <= day <= 31]


_NAME_PAIR = re.compile(r"\b([A-Z][\w'’\-]*)(?=\s+([A-Za-z][\w'’\-]*))")


def _renamed(claim: str, evidence: str) -> bool:
    """True when the two put other names before the same word ("Kestrel Bank" and "Harrow Bank"), neither
    name being in the other text."""
    claim_words = {w.lower() for w in _WORD.findall(claim)}
    evidence_words = {w.lower() for w in _WORD.findall(evidence)}

    def pairs(text: str, other: set[str]) -> set[tuple[str, str]]:
        return {(m.group(1).lower(), m.group(2).lower()) for m in _NAME_PAIR.finditer(text)
                if m.start() > 0 and m.group(1).lower() not in other and m.group(1).lower() not in MONTH_WORDS}

    mine, theirs = pairs(claim, evidence_words), pairs(evidence, claim_words)
    return any(after == other_after for _, after in mine for _, other_after in theirs)


def _same_day_other_month(claim: str, evidence: str) -> str | None:
    """A date of the claim's and one of the evidence's on the same day of another month, of the same year where
    both give one, with the claim's month nowhere in the evidence's days: one date told two ways ("declared on 14
    February 2024" against "declared on 14 March 2024", "closes on 30 November" against "closes on 30
    September"). The caller asks that the two share most of the claim's key words, so that it is one event."""
    if _renamed(claim, evidence):
        return None  # "the Kestrel Bank board" against "the Harrow Bank board": another's event
    theirs = _days(evidence)
    for day, month, year in _days(claim):
        if any(m == month for _, m, _ in theirs):
            continue
        for other_day, other_month, other_year in theirs:
            if other_day == day and (year is None or other_year is None or year == other_year):
                return (f"date mismatch: {day} {_MONTHS[month - 1].title()} vs {other_day} "
                        f"{_MONTHS[other_month - 1].title()} (the same day of another month)")
    return None


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth")
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))\s+([A-Za-z][\w'-]*)(?:\s+([A-Za-z][\w'-]*))?",
                      re.IGNORECASE)


_PLACED = re.compile(r"\b(?:finish(?:ed|es|ing)?|c[oa]m(?:e|es|ing)|placed|end(?:ed|s)?|rank(?:ed|s)?)\s+(?:up\s+)?"
                     r"(?:in\s+)?(?:a\s+)?(" + "|".join(_ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))\b(?!\s+(?:place|time)\b)",
                     re.IGNORECASE)


# A superlative with no ordinal before it ranks its thing first: "Haldershire's most visited destination", "the
# busiest airport" (against "the second most visited destination", "the third busiest airport").
_SUPERLATIVE = re.compile(r"\b(?:the|its|their|his|her|[A-Za-z]+['’]s)\s+((?:most|least)\s+[a-z][\w'-]*|largest|"
                          r"biggest|busiest|highest|lowest|oldest|longest|tallest|fastest|smallest|greatest|best|worst|"
                          r"richest|poorest|strongest|youngest)\b", re.IGNORECASE)


# Words that say nothing of what an ordinal counts ("the third country ever to …").
_ORDINAL_FILLERS = {"ever"}


def _ordinal_name(rank: str) -> str:
    """"2" as "second" (as far as the word list goes, then "13th")."""
    return _ORDINALS[int(rank) - 1] if 0 < int(rank) <= len(_ORDINALS) else f"{rank}th"


def _ranked(match: re.Match) -> tuple[str, ...]:
    """What an ``_ORDINAL`` match ranks: its next two words less stop words, normalised."""
    return tuple(_norm(w) for w in (match.group(2), match.group(3)) if w and _norm(w) not in _STOP | _ORDINAL_FILLERS)


def _ordinals(text: str) -> dict[tuple[str, ...], set[str]]:
    """What each ordinal counts, as its next two words less stop words ("its second nuclear test on" ->
    {("nuclear", "test"): {"2"}}), with the ranks given to it."""
    found: dict[tuple[str, ...], set[str]] = {}
    for m in _ORDINAL.finditer(text):
        word = m.group(1).lower()
        rank = str(_ORDINALS.index(word) + 1) if word in _ORDINALS else re.sub(r"\D", "", word)
        counted = _ranked(m)
        if counted:
            found.setdefault(counted, set()).add(rank)
    for m in _SUPERLATIVE.finditer(text):  # "the county's most visited destination" ranks it first
        first = _ORDINAL.match("first " + text[m.start(1):])
        counted = _ranked(first) if first else ()
        if counted:
            found.setdefault(counted, set()).add("1")
    for m in _PLACED.finditer(text):  # "came third", "finished second in the election": a place in a contest
        word = m.group(1).lower()
        found.setdefault(("place",), set()).add(str(_ORDINALS.index(word) + 1) if word in _ORDINALS
                                                else re.sub(r"\D", "", word))
    return found


def _ranks_of(counted: tuple[str, ...], found: dict[tuple[str, ...], set[str]]) -> set[str]:
    """The ranks ``found`` gives the thing ``counted`` names: under the same words, or under words that open
    with the same one ("the fourth country to achieve a soft landing" counts what "the third country ever to
    make a soft landing" does: ("country",) against ("country", "soft"))."""
    return {rank for other, ranks in found.items() if other == counted or other[0] == counted[0] for rank in ranks}


def _ranks_once(claim: str) -> bool:
    """The claim ranks one thing only ("India became the third country …"), not two of a series ("its second
    nuclear test … was larger than its first test"), where a rank the evidence gives otherwise may be the
    other one's."""
    return len(_ORDINAL.findall(claim)) == 1


def _ordinal_mismatch(claim: str, evidence: str) -> str | None:
    """The claim counts a thing one way ("its first nuclear test"), the evidence the same thing another ("its
    second nuclear test"), and never the claim's way: "ordinal mismatch: first vs second nuclear test". The
    claim may name the thing it ranks otherwise: where it ranks one thing only, the evidence ranking a thing the
    claim names in two words or more ("a second Aurus limousine" for "the Aurus limousine … was the first car he
    had given him") ranks the claim's."""
    theirs = _ordinals(evidence)
    mine = _ordinals(claim)
    for counted, ranks in mine.items():
        other = _ranks_of(counted, theirs)
        if other and not ranks & other:
            return (f"ordinal mismatch: {_ordinal_name(min(ranks, key=int))} vs {_ordinal_name(min(other, key=int))} "
                    f"{' '.join(counted)}")
    # Not a claim that ranks an occurrence ("for the third time"): the evidence's ranked thing is another count.
    if len(mine) == 1 and _ranks_once(claim) and ("time",) not in mine:
        (ranks,) = mine.values()
        claim_words = {_norm(w) for w in _WORD.findall(claim)}
        for m in _ORDINAL.finditer(evidence):
            counted = _ranked(m)
            other = theirs.get(counted, set())
            if len(counted) >= 2 and set(counted) <= claim_words and counted not in mine and not ranks & other:
                return (f"ordinal mismatch: {_ordinal_name(min(ranks, key=int))} vs "
                        f"{_ordinal_name(min(other, key=int))} {m.group(2)} {m.group(3)}")
    return None


_REPEAT = re.compile(r"\b(once again|again|once more|anew|for (?:a|the) (?:second|third|fourth|fifth) time)\b", re.I)


def _repeated(claim: str, evidence: str) -> str | None:
    """Either side marks its event as a repeat of an earlier one ("cut its rates again in December", "raised its
    rate again, to 0.25 percent, on 31 July"): "the claim's is a repeat ('again')", "the evidence's …" or
    "both are repeats". The event recurs, so with dates that differ the two speak of different occurrences
    (``compare`` makes it another instance) and the dates do not conflict."""
    mine, theirs = _REPEAT.search(claim), _REPEAT.search(evidence)
    if mine and theirs:
        return "repeat: both are repeats of an earlier one"
    if not (mine or theirs):
        return None
    side, marker = ("claim", mine) if mine else ("evidence", theirs)
    return f"repeat: the {side}'s is a repeat ('{marker.group(1).lower()}')"


def _later_instance(claim: str, claim_words: set[str], evidence: str) -> str | None:
    """The evidence counts a thing of the claim's as a later one ("a second Aurus limousine") where the claim
    counts nothing: "ordinal mismatch: the evidence's is a second one" (``compare`` makes it another instance
    when the dates differ too, and nothing otherwise)."""
    mine = _ordinals(claim)
    for counted, ranks in _ordinals(evidence).items():
        if counted not in mine and set(counted) <= claim_words and "1" not in ranks:
            return f"ordinal mismatch: the evidence's is a {_ordinal_name(min(ranks))} one"
    return None


_DAY = re.compile(r"^\d{1,2}(st|nd|rd|th)?$")


def _same_event(claim_words: set[str], evidence: str, claim: str = "") -> bool:
    """True when the evidence holds every key word of the claim but its dates (years, months, day numbers),
    at least three of them, close together (within twice as many words, plus two; three times for six or more
    words): what the two say happened is the same, only its date differs. Of five or more such words, one that is not part of a name
    in ``claim`` may be written otherwise ("went into administration" for "collapsed into administration").
    Not "Lavrov visited Pyongyang … and discussed preparations for a Putin visit" for "Putin visited
    Pyongyang"."""
    undated = {w for w in claim_words if not (_YEAR.fullmatch(w.rstrip(".,")) or w in _MONTHS or _DAY.match(w))}
    if len(undated) < 3:
        return False
    words = [_norm(m.group()) for m in _WORD.finditer(evidence)]
    missing = undated - set(words)
    if missing:
        names = {_norm(w) for w in re.findall(r"\b[A-Z][\w'’\-]*", claim)}
        if len(undated) < 5 or len(missing) > 1 or missing & names:
            return False
        undated -= missing
    # The shortest run of the evidence's words that holds them all.
    best, last_seen = len(words), {}
    for i, word in enumerate(words):
        if word in undated:
            last_seen[word] = i
            if len(last_seen) == len(undated):
                best = min(best, i - min(last_seen.values()) + 1)
    # Six or more shared words are specific enough to be spread further ("walked free from the Court of Appeal
    # … after three judges quashed his conviction for the murder").
    return best <= (3 if len(undated) >= 6 else 2) * len(undated) + 2


_DATED_NOUN = re.compile(rf"\b(?:the|its|their|his|her|this|that)\s+((?:\d{{1,2}}\s+)?(?:(?:{_MONTH_NAMES})\s+)?"
                         rf"(?:\d{{1,2}},?\s+)?(?:1[6-9]\d\d|20\d\d))\s+([a-z][a-z\-]+)(?:\s+([a-z][a-z\-]+))?",
                         re.IGNORECASE)
_NOT_NOUNS = frozenset({"and", "or", "to", "in", "on", "at", "by", "for", "of", "with", "was", "were", "is", "are",
                        "had", "has", "when", "after", "before", "that", "which", "the", "a", "an", "as", "from"})


def _dated_instance(text: str) -> str | None:
    """The first thing the text names by its date ("the 9 October 2006 test", "its 2023 report"): one of a
    series, told from the others by when it was; None when every date is said of an event ("born in 1975")."""
    for m in _DATED_NOUN.finditer(text):
        date, first, second = m.group(1), m.group(2), m.group(3)
        if first.lower() in _NOT_NOUNS:
            continue
        return f"the {date} {first}" + (f" {second}" if second and second.lower() not in _NOT_NOUNS else "")
    return None


def _date_text(parts: tuple[int, ...]) -> str:
    """(2016, 11, 3) as "3 November 2016", (2016, 11) as "November 2016", (2016,) as "2016"."""
    words = [str(parts[0])]
    if len(parts) > 1:
        words.insert(0, _MONTHS[parts[1] - 1].title())
    if len(parts) > 2:
        words.insert(0, str(parts[2]))
    return " ".join(words)


def ordered_dates(claim: str) -> list[tuple[str, tuple[int, ...], str]]:
    """The claim's "before"/"after" dates, each with the word it dates: ("after", (1983,), "born") for
    "was born after 1983" (the last content word before "after"; "" when there is none)."""
    out = []
    for start, parts in _dates(claim):
        window = claim[max(0, start - 30):start]
        word = _ORDER.search(window)
        if word:
            direction = word.group(1).lower()
            before = [w for w in _WORD.findall(claim[:max(0, start - 30) + word.start()]) if w.lower() not in _STOP]
            out.append(("after" if direction in ("after", "later than") else "before", parts,
                        before[-1].lower() if before else ""))
    return out


def _same_word(a: str, b: str) -> bool:
    """"released" and "release", "born" and "born": the same word, give or take an ending."""
    a, b = a.lower(), b.lower()
    return a == b or (min(len(a), len(b)) >= 5 and a[:5] == b[:5])


def _date_order_mismatch(claim: str, evidence: str) -> str | None:
    """A date the claim puts an event before or after, against an evidence sentence whose dates all fall on
    the wrong side of it (compared as far as both are given: "after 1983" against "19 January 1982" is
    1983 against 1982). A date that opens or closes a period in the evidence does not count, and one
    evidence date on the right side is enough to keep quiet (the sentence may be about other events) —
    unless the evidence dates the claim's own word: "born after 1990" against "(born 14 May 1987) … moved
    to London in 2009" compares 1987 only."""
    bounds = ordered_dates(claim)
    if not bounds:
        return None
    lowered = evidence.lower()
    dated = [(start, parts) for start, parts in _dates(evidence) if not _bounded(lowered, start)]
    if not dated:
        return None
    for direction, bound, anchor in bounds:
        # Dates just after the claim's own word in the evidence ("born 14 May 1987"), when there are any.
        ends = [m.end() for m in _WORD.finditer(evidence) if anchor and _same_word(m.group(), anchor)]
        anchored = [parts for start, parts in dated if any(0 <= start - end <= 25 for end in ends)]
        points = anchored or [parts for _, parts in dated]

        def fits(point: tuple[int, ...]) -> bool:
            n = min(len(point), len(bound))
            return point[:n] >= bound[:n] if direction == "after" else point[:n] <= bound[:n]
        if not any(fits(point) for point in points):
            return f"date mismatch: {direction} {_date_text(bound)} vs {_date_text(points[0])}"
    return None


# A bound or an approximation written before a number: "more than 40", "under 5%", "about 300".
# "no more than 5" is at most 5, "not fewer than 40" at least 40: a bound turned round by its "no" / "not".
_AT_LEAST = re.compile(r"(?:(?<!\bno )(?<!\bnot )(?:more|greater|higher|larger|bigger|longer|older) than|over|above|"
                       r"at least|exceed\w*|in excess of|upwards of|not? (?:less|fewer|lower|smaller|shorter) than|"
                       r"a minimum of|minimum of)\s*$")
_AT_MOST = re.compile(r"(?:(?<!\bno )(?<!\bnot )(?:less|fewer|lower|smaller|shorter|younger) than|under|below|at most|"
                      r"up to|not? (?:more|greater|higher|larger|bigger|longer) than|a maximum of|maximum of|"
                      r"just under)\s*$")
_ABOUT = re.compile(r"(?:about|around|approximately|roughly|some|close to|(?:an )?estimated|nearly|almost|"
                    r"circa)\s*$")


def _qualifier(before: str) -> str | None:
    """">" / "<" / "~" when the words just before a number make it a bound or an approximation."""
    before = before.lower().rstrip(" $€£")
    if _AT_LEAST.search(before):
        return ">"
    if _AT_MOST.search(before):
        return "<"
    if _ABOUT.search(before):
        return "~"
    return None


def _consistent(value: float, qualifier: str | None, other: float, other_qualifier: str | None) -> bool:
    """Can a number stated as (value, qualifier) and one stated as (other, other_qualifier) both be true?"""
    if abs(other - value) <= 0.01 * max(abs(value), 1) and not {qualifier, other_qualifier} & {">", "<"}:
        # Two figures within rounding of each other; a bound is compared exactly ("more than 13,650 tests"
        # is false of 13,624).
        return True
    if other == value:
        # "More than 300" against "300": a figure at the bound itself is often the same figure rounded.
        return True
    for bound, q, x in ((value, qualifier, other), (other, other_qualifier, value)):
        if q == ">" and x >= bound:
            return True
        if q == "<" and x <= bound:
            return True
        if q == "~" and abs(x - bound) <= 0.1 * max(abs(bound), 1):
            return True
    return False


def _figure(value: float) -> str:
    """A number as a reader writes it: 44500000 as "44,500,000", 15.3 as "15.3"."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.6g}"


_CURRENCIES = {"$": "dollar", "€": "euro", "£": "pound"}
# A figure's scale written short after its digits: "£5m", "$1.2bn", "€40k", "2tn".
SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "tn": 1_000_000_000_000,
           "trn": 1_000_000_000_000}
_SCALE_SUFFIX = re.compile(r"(bn|mn|trn|tn|m|k)\b", re.IGNORECASE)
_CURRENCY = re.compile(r"([$€£])\s?$")
_SYMBOLS = {unit: symbol for symbol, unit in _CURRENCIES.items()}
# A currency named after its country: "3 billion US dollars" counts dollars, not "us" (as "$3 billion" does).
_COUNTRY_CURRENCY = re.compile(r"\s*(?:us|u\.s\.|american|canadian|australian|new\s+zealand|hong\s+kong|singapore|"
                               r"east\s+caribbean)\s+(dollars?)\b")


def _amount(value: float, unit: str) -> str:
    """One figure with its unit as a reader writes it: "$412,000,000", "5%", "2,000 container"."""
    if unit in _SYMBOLS:
        return f"{_SYMBOLS[unit]}{_figure(value)}"
    return f"{_figure(value)}%" if unit == "percent" else f"{_figure(value)} {unit}".strip()


def _amounts(value: float, other: float, unit: str) -> str:
    """Two figures of one unit as a reader writes them: "$700,000 vs $663,232", "76% vs 67%", "500 vs 5,000
    patient" (the unit as compared, singular)."""
    first = _amount(value, unit) if unit in _SYMBOLS or unit == "percent" else _figure(value)
    return f"{first} vs {_amount(other, unit)}"


_FRACTIONS = {"half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 33.3, "one third": 33.3,
              "two thirds": 66.7, "a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0}
_FRACTION = re.compile(r"\b(" + "|".join(sorted((k.replace(" ", r"[\s-]+") for k in _FRACTIONS), key=len, reverse=True))
                       + r")\s+of\b")


# Spans of time, in days: "two days" and "one week" are figures of one unit.
_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "fortnight": 14.0, "month": 30.4375, "year": 365.25}
# Spans told in different units, one more than this many times the other, measure different things.
_OTHER_SCALE = 50
# "a week after the final" is one week; "up 6 per cent on a year earlier", "than a year ago" name a baseline.
_ONE_SPAN = re.compile(r"(?<!\btimes )(?<!\bonce )(?<!\btwice )(?<!\bper )(?<!\bon )(?<!\bthan )(?<!\bfrom )"
                       r"\b(?:a|an)\s+(hour|day|week|fortnight|month|year)\b(?!\s+(?:earlier|ago)\b)")


_COPULAS = {"is", "are", "was", "were", "be", "been"}


_LEAD_SKIP = frozenset({"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "and", "with", "was", "were",
                        "is", "are", "about", "around", "some", "more", "than", "less", "nearly", "almost", "over"})


def _lead_words(text: str, value: float) -> set[str]:
    """The words (four at most, small ones left out) just before the first place ``text`` writes the figure
    ``value`` ("an average of 47 minutes": {"average"}), as a plain figure or in millions or billions ("loans of
    £1.8 million"); empty where it is not written so."""
    digits = _figure(value).replace(",", "")
    forms = [re.escape(_figure(value)), re.escape(digits)]
    for scale, words in ((1e9, r"(?:billion|bn)\b"), (1e6, r"(?:million|mn|m)\b")):
        if value >= scale and abs(round(value / scale, 3) * scale - value) < 0.5:
            forms.append(rf"{re.escape(f'{value / scale:g}')}\s*{words}")
    written = re.search(rf"(?<![\d.,])(?:{'|'.join(forms)})(?![\d])", text)
    if not written:
        return set()
    before = re.findall(r"[a-z][a-z\-]*", text[max(0, written.start() - 40):written.start()].lower())[-4:]
    return {word for word in before if word not in _LEAD_SKIP}


def figure_words(claim: str, evidence: str, values: tuple[float, float]) -> bool:
    """True when the evidence writes its figure (``values[1]``) after words the claim writes its own
    (``values[0]``) after: "debts of £610,000" against "debts of £710,000" count one thing."""
    return bool(_lead_words(claim, values[0]) & _lead_words(evidence, values[1]))


# A change of a rate in points: "25 basis points" is a quarter of a percentage point, "half a percentage point" and
# "a half-point" are 0.5 of one. Both are read in percentage points, so the two ways of writing agree and differ.
POINTS = "percentage point"
# The fractions of a whole (``_FRACTIONS``), of one point; "a quarter-point" has no article.
_POINT_WORDS = {words: share / 100 for words, share in _FRACTIONS.items()} | {"quarter": 0.25}
_POINT_FRACTION = re.compile(
    r"\b(" + "|".join(sorted((k.replace(" ", r"[\s-]+") for k in _POINT_WORDS), key=len, reverse=True)) + r")"
    r"(?:\s+of)?(?:\s+a)?(?:\s+percentage[\s-]+point|[\s-]+point)\b")


# A number that names a group or a place in a scheme, not a count: "Year 7 pupils", "Band D", "Key Stage 2".
_LABEL_WORDS = r"(?:Year|Grade|Class|Form|Key Stage|Band|Section|Level|Stage|Tier|Phase|Category|Route|Platform|Junction)"
_LABEL_BEFORE = re.compile(rf"\b{_LABEL_WORDS}\s+$")
_LABEL_AFTER = re.compile(rf"\s*{_LABEL_WORDS}\s+[\dA-Z]\w*\s+([a-z][a-z\-]*)")


# A figure for each of many: "three councillors elected in each", "two seats apiece" (not "each year", a rate in time).
_EACH = re.compile(r"\s*[a-z][a-z\-]*(?:\s+[a-z]+){0,2}?\s+(?:(?:in|for|from|to|of)\s+each|apiece|per|each)\b"
                   r"(?!\s+(?:year|month|week|day|hour|minute|season|term|night)\b)", re.IGNORECASE)


# A share told as a ratio: "nine in ten", "one in five", "2 out of 3".
_RATIO_TERM = r"(\d{1,3}|" + "|".join(k for k in _NUMBER_WORDS if _NUMBER_WORDS[k] <= 20) + ")"
_RATIO = re.compile(rf"\b{_RATIO_TERM}\s+(?:in|out\s+of)\s+{_RATIO_TERM}\b(?!\s*(?:%|per\s*cent|percent))",
                    re.IGNORECASE)


def _ratio(match: re.Match) -> float | None:
    """The percentage a ratio match states (one decimal), or None when it is no share of a whole."""
    a, b = (float(_NUMBER_WORDS.get(g.lower(), 0) or g) if not g.isdigit() else float(g)
            for g in (match.group(1), match.group(2)))
    return round(100 * a / b, 1) if 0 < a < b <= 100 else None


# Words that follow a figure without saying what it counts ("46,000 in 2024", "from 39,000 to 46,000").
_NO_UNIT = frozenset("in on at to from a an the by for and or with after before since as than into over under "
                     "during until between against this last next".split())


# A figure stated as the most there is of something ("a catamaran that carries up to 180 passengers", "fines of up
# to £5,000"): a bound to what happens, but the maximum itself is a fact.
_MAXIMUM = re.compile(r"\b(?:up to|a maximum of|maximum of|at most)\s+", re.IGNORECASE)


@_per_text
def stated_maxima(text: str) -> frozenset[float]:
    """The figures ``text`` states as a maximum ("up to 180 passengers", "a maximum of £5,000"). Two stated maxima of
    one thing are compared as figures, not as bounds: "can carry up to 250 passengers" is false of a catamaran that
    "carries up to 180", though each "up to" alone would allow the other's figure."""
    found = set()
    for match in _MAXIMUM.finditer(text):
        figures = qualified_numbers(text[match.end():match.end() + 40])
        if figures:
            found.add(next(iter(figures)))
    return frozenset(found)


@_per_text
def qualified_numbers(text: str) -> dict[float, tuple[str, str | None]]:
    """Numbers that are not years: value -> (the word that follows it, and its bound: ">", "<", "~" or None)."""
    found: dict[float, tuple[str, str | None]] = {}
    inside = []
    for match in _RATIO.finditer(text):  # "nine in ten" is about 90 percent
        share = _ratio(match)
        if share is not None:
            found[share] = ("percent", "~")
            inside.append(match.span())
    for match in _NUMBER.finditer(text):
        raw = match.group(1)
        if (_YEAR.fullmatch(raw) or _LABEL_BEFORE.search(text[max(0, match.start() - 12):match.start()])
                or any(a <= match.start() < b for a, b in inside)):
            continue
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            continue
        end = match.end()
        scaled = _SCALE_SUFFIX.match(text, end)
        currency = _CURRENCY.search(text[max(0, match.start() - 4):match.start()])
        if scaled and (currency or scaled.group(1).lower() not in ("m", "k")):
            # "£5m", "$1.2bn", "3bn barrels": a figure's scale written short; "m" and "k" only after a currency
            # ("a 5m wall" is five metres).
            value *= SCALES[scaled.group(1).lower()]
            end = scaled.end()
        after = text[end:end + 30].lower()
        # The word it counts, also joined by a hyphen: "a 72-hour strike" is 72 hours, like "for 72 hours".
        following = re.match(r"(?:-|\s*)([a-z][a-z\-]*)", after)
        # "5%", "5 per cent" and "5 percent" are the same unit; so are "$5" and "5 dollars".
        unit = "percent" if match.group(2) else (following.group(1) if following else "")
        labelled = _LABEL_AFTER.match(text[end:end + 40])
        if labelled and not match.group(2):
            unit = labelled.group(1)  # "180 Year 7 pupils" counts pupils, not years
        if unit and unit != "percent" and _EACH.match(text[end:end + 50]):
            unit += " each"  # "three councillors elected in each (ward)": a share of each one, not a total
        if unit in _COPULAS:
            # "52 were children", "41 are children": the number counts what its copula names.
            named = re.match(r"\s*[a-z]+\s+(?:(?:a|an|the|all)\s+)?([a-z][a-z\-]*)", after)
            unit = named.group(1) if named else unit
        if unit == "of":
            # "411 of the 650 seats": a part of a whole counts the whole's noun.
            whole = re.match(r"\s*of\s+(?:the\s+|its\s+|their\s+|all\s+)?[\d,.]+\s+([a-z][a-z\-]*)",
                             text[end:end + 60].lower())
            unit = whole.group(1) if whole else unit
        if unit in ("million", "billion", "thousand"):
            value *= _NUMBER_WORDS[unit]
            rest = re.match(r"\s*\w+\s+([a-z][a-z\-]+)", after)
            unit = rest.group(1) if rest else unit
        # After "3 billion" its currency's name starts one word on.
        named_currency = _COUNTRY_CURRENCY.match(re.sub(r"^\s*(?:million|billion|thousand)\b", "", after))
        if named_currency:
            unit = named_currency.group(1)
        if currency:
            unit = _CURRENCIES[currency.group(1)]
        if re.match(r"\s*basis[\s-]+points?\b", after):
            value, unit = value / 100, POINTS  # "25 basis points": 0.25 of a percentage point
        elif re.match(r"\s*percentage[\s-]+points?\b", after):
            unit = POINTS
        found[value] = (_norm(unit) if unit else "", _qualifier(text[max(0, match.start() - 30):match.start()]))
    lowered = text.lower()
    in_points = []
    for match in _POINT_FRACTION.finditer(lowered):  # "half a percentage point", "a quarter-point"
        found.setdefault(_POINT_WORDS[re.sub(r"[\s-]+", " ", match.group(1))],
                         (POINTS, _qualifier(lowered[max(0, match.start() - 30):match.start()])))
        in_points.append(match.span())
    for match in _FRACTION.finditer(lowered):  # "about half of the debt" is 50 percent of it
        if any(start <= match.start() < end for start, end in in_points):
            continue  # "a quarter of a percentage point" is no quarter of a whole
        found.setdefault(_FRACTIONS[re.sub(r"[\s-]+", " ", match.group(1))],
                         ("percent", _qualifier(lowered[max(0, match.start() - 30):match.start()])))
    for match in _ONE_SPAN.finditer(lowered):  # "a week after the final" is one week
        found.setdefault(1.0, (match.group(1), _qualifier(lowered[max(0, match.start() - 30):match.start()])))
    for match in _WORD_FIGURE.finditer(lowered):
        if any(a <= match.start() < b for a, b in inside):
            continue
        value, noun = _word_figure(match), match.group("noun")
        scale = re.match(r"(hundred|thousand|million|billion)\s+([a-z][a-z\-]+)", lowered[match.start("noun"):])
        if scale:  # "three million people" counts people, three million of them
            value, noun = value * _NUMBER_WORDS[scale.group(1)], scale.group(2)
        if value not in found or found[value][0] in _MONTHS:
            # A figure in words outranks a date's day of the same value ("six nuclear tests in all: … 6 January
            # 2016 …"), which would otherwise hide it.
            unit = "percent" if noun.startswith("per") and noun.replace(" ", "") in ("percent", "per cent") else _norm(noun)
            each = " each" if unit != "percent" and _EACH.match(lowered[match.start("noun") - 1:match.start("noun") + 50]) else ""
            found[value] = (unit + each, _qualifier(lowered[max(0, match.start() - 30):match.start()]))
    return found


# A change from one figure to another: "from £46 million to £51.5 million", "from 14 turbines to nine".
_FIGURE_TEXT = (r"(?:[$€£]\s?)?\d[\d,.]*(?:\s*(?:%|per\s*cent|percent|million|billion|thousand)|(?:bn|mn|m|k)\b)?"
                rf"|(?:{'|'.join(_TENS)})(?:[\s-](?:{_UNITS}))?|(?:{'|'.join(k for k in _NUMBER_WORDS if _NUMBER_WORDS[k] < 20)})")
_FROM_TO = re.compile(rf"\bfrom\s+(?:about\s+|around\s+)?(?P<a>{_FIGURE_TEXT})(?:\s+[a-z][a-z\-]*){{0,2}}?\s+to\s+"
                      rf"(?:about\s+|around\s+)?(?P<b>{_FIGURE_TEXT})\b", re.IGNORECASE)


@_per_text
def changes(text: str) -> set[tuple[float, float]]:
    """The changes a text gives from one figure to another, as (from, to) values: "rose from £46 million to £51.5
    million" and "will grow from £46m to £51.5m" give {(46e6, 51.5e6)}; "cut from 14 turbines to nine" (14, 9).
    Whatever verb carries it, the same two figures state the same change."""
    found = set()
    for match in _FROM_TO.finditer(text):
        ends = [qualified_numbers(match.group(side) + " units") for side in ("a", "b")]
        if all(len(values) == 1 for values in ends):
            found.add((next(iter(ends[0])), next(iter(ends[1]))))
    return found


def numbers(text: str) -> dict[float, str]:
    """Numbers that are not years, with the word that follows each (its unit or noun)."""
    return {value: unit for value, (unit, _) in qualified_numbers(text).items()}


# "not only X but also Y", "no doubt", "not least", "no less than": the words of a negation, none negating.
# "no more than five minutes late", "no later than 9am": a bound on a figure or a time, not a negation.
_NON_NEGATING = re.compile(r"\b(?:not only|not just|not merely|not least|no doubt|"
                           r"not? (?:less|more|fewer|later|earlier|greater|higher|lower|longer|shorter|sooner|bigger|"
                           r"smaller) than|"
                           # "inspected without notice", "dismissed without warning": how, not whether
                           r"without (?:prior |any |advance )?(?:notice|warning|delay|fanfare|exception|incident)|"
                           # "a vote of no confidence", "lost a no-confidence motion": the name of a vote
                           r"no[\s\-]+confidence|"
                           # "No single overflow discharged more often than the one at …": a superlative ("the
                           # worst"), not a negation (not "no plans to spend more than": a plan denied).
                           r"(?:no|none|nobody|no\s+one)(?:\s+(?!to\b)[\w'’\-]+){0,6}?\s+(?:more|less|fewer|higher|lower|"
                           r"bigger|larger|greater|longer|shorter|faster|slower|better|worse|busier|earlier|later)\b"
                           r"[^.;]{0,80}?\bthan)\b",
                           re.IGNORECASE)


# Verbs that say their complement did not happen: "declined to commit", "refused to sign", "failed to reach"
# (not "declined to 3 percent", "declined to its lowest level": a fall).
# "to" then a verb, not a level ("declined to 3 percent", "to its lowest level").
_TO_VERB = (r"\s+to(?=\s+(?!(?:the|a|an|its|their|his|her|about|around|under|below|just|nearly|roughly|some|record)\b)"
            r"[a-z])")
_NEGATIVE_VERB = r"(?:declin(?:ed|es|e|ing)|refus(?:ed|es|e|ing)|fail(?:ed|s|ing)?)" + _TO_VERB
_NEGATOR = re.compile(rf"\b(no|not|never|n't|{_NEGATIVE_VERB})\b", re.IGNORECASE)
_DECLINED = re.compile(rf"\b{_NEGATIVE_VERB}", re.IGNORECASE)
_DECLINED_TO = re.compile(r"\bdeclin(?:ed|es|e|ing)" + _TO_VERB, re.IGNORECASE)
_REFUSED_TO = re.compile(r"\brefus(?:ed|es|e|ing)\s+to\b", re.IGNORECASE)
# A decision in a phrase, read as its one word: "turned down", "voted down" and "threw out" the plan rejected it;
# "gave it the go-ahead" or "the green light" approved it.
_PHRASED_DECISIONS = ((re.compile(r"\b(?:turn(?:ed|s|ing)?|vot(?:ed|es|ing|e))\s+(?:\w+\s+){0,4}?down\b|"
                                  r"\bthr(?:ew|own|ows|owing|ow)\s+out\b", re.IGNORECASE), "rejected"),
                      (re.compile(r"\b(?:gave|given|give|gives|giving|got|gets|won|received)\s+(?:\w+\s+){0,3}?"
                                  r"(?:go-ahead|green\s+light)\b", re.IGNORECASE), "approved"))


def _decisions_as_words(text: str) -> str:
    """``text`` with each decision phrased in several words (``_PHRASED_DECISIONS``) put as its one word."""
    for pattern, word in _PHRASED_DECISIONS:
        text = pattern.sub(word, text)
    return text
_AUXILIARIES = {"do", "does", "did", "has", "have", "had", "is", "are", "was", "were", "be", "been", "will", "would",
                "can", "could", "should", "may", "might", "must", "a", "an", "any", "the", "ever", "yet", "so", "far"}


# "had no intention of exporting", "has no plans to visit": what is meant or planned, negated, negates the act.
_INTENT = {"intention", "intent", "plan", "plans", "desire", "wish", "need", "of", "to"}


def word_among(word: str, words: set[str]) -> bool:
    """``word`` or another form of it is in ``words`` ("attend" for "attended": a shared start of five letters)."""
    return word in words or (len(word) >= 5 and any(len(w) >= 5 and w[:5] == word[:5] for w in words))


def _negates_claim(claim_words: set[str], evidence: str) -> str | None:
    """The evidence's words that negate the claim's own predicate: a negation between a claim word and the next
    claim word, with only auxiliaries and determiners beside it ("produced no joint statement" for "produced
    a joint statement", "has not ratified the treaty" for "ratified the treaty"), or before two claim words in
    the passive ("no agreements had been signed" for "signed an agreement"); None otherwise."""
    for match in _NEGATOR.finditer(evidence):
        if _NON_NEGATING.match(evidence, match.start()):
            continue
        before = [_norm(w) for w in _WORD.findall(evidence[:match.start()])]
        following = [w for w in (_norm(w) for w in _WORD.findall(evidence[match.end():])[:7])
                     if w not in _AUXILIARIES and w not in _INTENT]
        before = [w for w in before if w not in _AUXILIARIES][-1:]
        after = following[:1]
        passive = (len(following) >= 2 and all(word_among(w, claim_words) for w in following[:2])
                   and re.match(r"\s+\w", evidence[match.end():]) is not None)  # not "No, the leaders signed"
        if after and word_among(after[0], claim_words) and before and word_among(before[0], claim_words):
            start = evidence.rfind(" ", 0, max(0, match.start() - 1 - len(before[0]) - 12))
            return " ".join(evidence[start + 1:match.end() + 30].split()[:6])
        if after and passive:
            return " ".join(evidence[match.start():].split()[:6])
    return None


# "mannequins instead of astronauts" says there were no astronauts.
_INSTEAD = re.compile(r"\b(?:instead of|in place of|in (?:his|her|its|their) place)\b", re.IGNORECASE)


# "false" or "untrue" before the noun it describes ("wrote a false account", "false accounting") says what the thing
# was, not that the sentence is untrue; "the claims were false and misleading" negates.
_ATTRIBUTIVE_FALSE = re.compile(r"\b(?:false|untrue)(?=\s+(?!(?:and|or|but|to|in|by|of|that|as|for|with|on|at)\b)"
                                r"[a-z])", re.IGNORECASE)


@_per_text
def has_negation(text: str) -> bool:
    text = _ACT_REJECTED.sub(" ", _ATTRIBUTIVE_FALSE.sub(" ", _NON_NEGATING.sub(" ", text)))
    return bool(_DECLINED.search(text)) or bool(_INSTEAD.search(text)) or any(_norm(m.group()) in _NEGATIONS or m.group().lower().endswith("n't")
                                               for m in _WORD.finditer(text))


_PLAIN_NEGATIONS = {"not", "never", "no"}
_CONTRACTED = {"can't": "can", "won't": "will", "cannot": "can"}


def unnegated(text: str, about: set[str]) -> str | None:
    """``text`` with its negations taken out ("had not signed any agreements" -> "had signed any agreements",
    "no agreements had been signed" -> "agreements had been signed"), when each is a plain one ("not", "n't",
    "never", "no") with one of the words ``about`` in the four words after it; None otherwise (no negation, a
    negating verb such as "denied" or "refused", or a negation of something else)."""
    if _NON_NEGATING.search(text) or _DECLINED.search(text) or _INSTEAD.search(text):
        return None
    words = list(_WORD.finditer(text))
    found = False
    for i, match in enumerate(words):
        word = match.group().lower().replace("’", "'")
        plain = word in _PLAIN_NEGATIONS or word.endswith("n't") or word == "cannot"
        if not plain:
            if _norm(word) in _NEGATIONS:
                return None
            continue
        if not {_norm(w.group()) for w in words[i + 1:i + 5]} & about:
            return None
        found = True
    if not found:
        return None
    out = re.sub(r"\b(?:not|never|no)\s+", "", text, flags=re.IGNORECASE)
    out = re.sub(r"\b(can['’]t|won['’]t|cannot)\b", lambda m: _CONTRACTED[m.group(1).lower().replace("’", "'")], out,
                 flags=re.IGNORECASE)
    return re.sub(r"n['’]t\b", "", out)


# A sentence that says what a study set out to do, asks, or how it went about it — not what it found:
# "OBJECTIVE To assess …", "The aim of this study was to …", "We sought to …", "METHODS We enrolled …",
# a question. It can be on the claim's very subject and still bear on it neither way. (On SciFact's fit
# half, 1 of 467 rationale sentences reads like this, against 180 of the 2,064 other sentences of the same
# abstracts.)
_AIM = re.compile(
    r"^\s*(?:(?:OBJECTIVES?|PURPOSE|AIMS?|GOALS?|METHODS?(?!\s+AND\s+RESULTS)|DESIGN|SETTING|PARTICIPANTS|"
    r"MATERIALS? AND METHODS)\b"
    r"|To (?:determine|investigate|examine|assess|evaluate|test|compare|explore|identify|describe|characteri[sz]e|"
    r"study|analy[sz]e|establish|clarify|elucidate|quantify|estimate)\b)"
    r"|(?i:\b(?:the\s+|our\s+)?(?:main\s+|primary\s+)?(?:aims?|purposes?|objectives?|goals?)\s+of\s+"
    r"(?:this|the|our|the present)\s+(?:study|trial|review|analysis|work|paper|investigation|research|survey|"
    r"experiment)s?\s+(?:was|were|is|are)\s+to\b"
    r"|\bour\s+(?:main\s+|primary\s+)?(?:aims?|purposes?|objectives?|goals?)\s+(?:was|were|is|are)\s+to\b"
    r"|\bwe\s+(?:sought|aimed|set out|wanted|attempted)\s+to\b"
    r"|\b(?:this|the present|the current|our)\s+(?:study|trial|review|analysis|work|paper|investigation)\s+"
    r"(?:aimed|aims|sought|seeks|was designed|is designed|set out)\b)"
    r"|\?\s*$")


def states_aim(sentence: str) -> bool:
    """True when a sentence states a study's aim, question or method rather than a finding (``_AIM``)."""
    return bool(_AIM.search(sentence))


SignalKind = Literal["year_mismatch", "event_year", "event_date", "month_mismatch", "date_order", "number_mismatch", "swapped_roles",
                     "opposite_terms", "negation_mismatch", "negated_claim", "denial", "another_actor",
                     "another_instance", "another_event", "swapped_person", "swapped_doer", "bound_only",
                     "unstated_detail", "another_place"]
# Kinds that hold the sentence off the claim rather than contradict it (or, for "bound_only" and
# "unstated_detail", confirm it: the evidence leaves the claim's figure or detail unsaid).
NOT_ABOUT_CLAIM: frozenset[str] = frozenset({"another_actor", "another_instance", "another_event", "bound_only",
                                             "unstated_detail"})


@dataclass
class Signal:
    """One explainable finding, e.g. ``year mismatch: 2021 vs 2023``."""

    kind: SignalKind
    detail: str
    # For a number mismatch: (the claim's figure, the evidence's figure), so the judge can check with the
    # parse that both count the same thing.
    values: tuple[float, float] | None = None
    # It ranks the claim's one ranked thing otherwise ("ordinal mismatch: third vs fourth country" for a claim
    # that ranks nothing else): as decisive as an opposite term (``judge._pins_opposite``).
    decisive: bool = False

    def __str__(self) -> str:
        return self.detail


# What is not a sentence of evidence, though a splitter returns it as one: a Markdown heading, a front-matter
# line ("date: 2024-06-17"), a list bullet of front matter, a caption or photo credit, a title on its own.
_HEADING = re.compile(r"^\s*#{1,6}\s")
_FRONT_MATTER = re.compile(r"^\s*(?:---\s*$|[a-z_][a-z_\-]{1,24}:(?:\s|$)|-\s+[\"“])")
_CAPTION = re.compile(r"^\s*(?:photo(?:graph)?|image|picture|caption|figure|fig\.|credit|video|watch|read more|"
                      r"related|pictured)\b\s*[:\-–—|\d]", re.IGNORECASE)
_CREDIT = re.compile(r"\((?:AP|AFP|Reuters|Getty[\w ]*|Sputnik|EPA|Xinhua|Yonhap|KCNA|TASS|[A-Z][\w]* Photo[^)]*)\)\s*$")
_TERMINAL = (".", "!", "?", "\"", "”", "’", "'", ")", ":", ";")


def is_furniture(sentence: str) -> bool:
    """True for a heading, title, caption or front-matter line: text around evidence, never evidence itself."""
    text = sentence.strip()
    if not text or _HEADING.match(text) or _FRONT_MATTER.match(text) or _CAPTION.match(text):
        return True
    if _CREDIT.search(text):
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'’\-]*", text)]
    if text.endswith(_TERMINAL) or not words or len(words) > 14:
        return False
    # A short line with no closing punctuation, most of its words capitalised: a heading or a title.
    capitalised = sum(w[0].isupper() for w in words if w.lower() not in _STOP)
    content = sum(1 for w in words if w.lower() not in _STOP) or 1
    return capitalised / content >= 0.6


# Evidence that is itself an accusation: it shows the accusation was made, not that it is true.
_ALLEGATION = re.compile(r"\b(?:accus(?:ed|es|ing)|alleg(?:ed|edly|es|ing|ations?)|reportedly|purportedly|"
                         r"suspected of|charged with)\b", re.IGNORECASE)


def reports_allegation(sentence: str) -> bool:
    """True when the sentence relays an accusation or an unconfirmed report ("X accused Y of …", "Y allegedly
    …"), and is not a dispute (an allegation with its denial) nor a denial."""
    return bool(_ALLEGATION.search(sentence)) and not reports_dispute(sentence) and not _DENIAL.search(sentence)


@dataclass
class Consistency:
    """How an evidence sentence relates to a claim, in explainable terms."""

    overlap: float  # share of the claim's content words the sentence mentions
    signals: list[Signal] = field(default_factory=list)
    # Set when a signal was confirmed to be about the claim by other means than word overlap
    # (a denial whose denied clause is semantically close to the claim; see stance.StanceJudge).
    topical: bool = False
    # For a "denial" signal: how close the denied clause is to the claim (MiniLM cosine), which sets
    # how far it pulls towards "refutes".
    denial_similarity: float = 0.0
    # The sentence states an aim, a question or a method, not a finding (``states_aim``).
    aim: bool = False
    # The claim gives figures and the sentence states each of them, or one consistent with it (``_states_figures``).
    figures: bool = False

    @property
    def contradicts(self) -> bool:
        return any(s.kind not in NOT_ABOUT_CLAIM for s in self.signals)

    def reason(self) -> str:
        return "; ".join(str(s) for s in self.signals)

    def to_dict(self) -> dict:
        return asdict(self)


_DENIAL = re.compile(r"\b(den(?:y|ies|ied|ying|ials?)|dismiss(?:ed|es)?|refut(?:ed|es)|reject(?:ed|s)?)\b", re.IGNORECASE)
# "Reject" and "dismiss" deny only a statement ("rejected claims that …", "dismissed the report as baseless"); what
# else they take is an act: a vote against it ("voters rejected a proposal"), a sacking ("was dismissed").
_STATEMENT_OBJECT = (r"\s+(?:[\w'’\-]+\s+){0,4}?(?:allegations?|accusations?|claims?|reports?|suggestions?|charges?|"
                     r"criticisms?|assertions?|ideas?|notion|findings?|conclusions?|accounts?|stor(?:y|ies)|"
                     r"rumou?rs?|speculation|characteri[sz]ations?|that)\b"
                     r"|[^.;]{0,60}?\bas\s+(?:\w+\s+)?(?:false|untrue|baseless|nonsense|unfounded|wrong|inaccurate|"
                     r"misleading|groundless|lies|fabricat\w+|ridiculous|absurd|speculation)\b")
_ACT_REJECTED = re.compile(rf"\b(?:reject|dismiss)(?:ed|es|s|ing)?\b(?!{_STATEMENT_OBJECT})", re.IGNORECASE)


# What a denial denies may come wrapped: "denied (the) allegations by the US that X", "rejected claims that X".
_DENIED_FRAME = re.compile(
    r"^(?:[\w'’\-]+,?\s+){0,5}?(?:(?:allegations?|accusations?|claims?|reports?|suggestions?|charges?)"
    r"\b[^.;]{0,80}?\bthat\s+|that\s+)", re.IGNORECASE)


_DENIAL_NOUN_LINK = re.compile(
    r"(?:of|that|(?:\w+\s+){0,2}?(?:conflicts?|contradicts?|clash(?:es)?|runs? counter to)(?:\s+with)?)\s+",
    re.IGNORECASE)


# One sentence that relays both sides of a dispute: a party's denial of what others allege ("the North
# Korean denials conflict with allegations by Washington that …", "Moscow denied accusations that …",
# "Washington says …, an allegation Pyongyang has denied"). Only the "deny" family and "rejected/dismissed
# allegations/accusations" count: "the results refute the claim that …" is a finding, not a dispute.
_ALLEGED = (r"(?:allegations?|accusations?|(?:claims?|charges?|reports?)\b[^.;]{0,80}?\bthat)")
_DISPUTE = re.compile(
    rf"\bden(?:y|ies|ied|ying|ials?)\b[^.;]*?\b{_ALLEGED}"
    rf"|\b{_ALLEGED}\b[^.;]*?\bden(?:y|ies|ied|ying|ials?)\b"
    r"|\b(?:reject|dismiss)(?:ed|es|s)?\s+(?:\w+\s+){0,4}?(?:allegations?|accusations?)\b", re.IGNORECASE)


def reports_dispute(evidence: str) -> bool:
    """True when the sentence reports both an allegation and a party's denial of it: evidence for a
    fact-checker that the record conflicts, whichever way a stance model reads it."""
    return bool(_DISPUTE.search(evidence))


def denied_clause(claim: str, evidence: str) -> tuple[str, str] | None:
    """(cue, what follows it) when the evidence reports a denial and the claim does not.

    "North Korea has denied supplying artillery shells to Russia" gives ("denied", "supplying artillery
    shells to Russia"). Whether that clause is about the claim is for the caller to decide.
    """
    if _DENIAL.search(claim):
        return None
    match = next((m for m in _DENIAL.finditer(evidence) if not _ACT_REJECTED.match(evidence, m.start())), None)
    if not match:
        return None
    clause = evidence[match.end():].strip(" ,.;:")
    if match.group(1).lower() in ("denial", "denials"):
        # The noun names what is denied through "of"/"that", or through the allegation it answers:
        # "the denials conflict with allegations that X". Otherwise ("the denial was issued on
        # Friday") what follows is not the denied content.
        opening = _DENIAL_NOUN_LINK.match(clause)
        if not opening:
            return None
        clause = clause[opening.end():]
    clause = _DENIED_FRAME.sub("", clause, count=1)
    return (match.group(1), clause) if len(content_words(clause)) >= 2 else None


# Verbs that frame a report with or without "that" ("officials said (that) X").
_SAY_VERBS = ("said|says|say|stated|states|warned|estimated|believed|believes|maintained|maintains|insisted|insists|"
              "argued|argues")
# A reporting frame: "US officials said (in 2022, citing intelligence,) that X", "analysts estimate that X",
# "the agency told lawmakers that X", "Washington has information that X".
_REPORTED = re.compile(
    rf"\b(?<!United )(?:{_SAY_VERBS}|reported|reports|alleged|alleges|claimed|claims|concluded|found|find|estimate|"
    r"believe|confirmed|announced|showed|show|shows|suggested|suggest|suggests|indicated|indicate|indicates|"
    r"demonstrated|demonstrate|revealed|asserted|asserts|accused\s+\w+\s+of|"
    r"told|tells|informed|informs|(?:had|has|have)\s+(?:information|evidence|intelligence|indications))\b"
    r"[^.;]{0,120}?\bthat\s+", re.IGNORECASE)
# The same frame without "that" ("officials said North Korea had shipped …", "Both governments said the
# treaty was defensive"): only "say" verbs, and only when a subject follows at once (a determiner, a pronoun
# or a name), so "said on Monday", "said in a statement" and "told reporters" are no frames.
_WHEN_WORDS = ("On|In|At|By|During|After|Before|Last|This|Next|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
               "Sunday|" + "|".join(m.title() for m in _MONTHS))
_REPORTED_BARE = re.compile(
    rf"\b(?<!United )(?:{_SAY_VERBS}|added)\s+(?=(?:the|a|an|its|their|his|her|this|these|those|it|they|he|she|we|"
    rf"there|some|many|most|all|no|[A-Z][\w'’\-]+)\s)(?!(?:{_WHEN_WORDS})\b)")
_ACCORDING = re.compile(r"^\s*according to [^,]{2,80},\s*", re.IGNORECASE)
_NEGATED_FRAME = re.compile(r"\b(?:not|never|no)\b[^,;]{0,20}$", re.IGNORECASE)


def reported_clause(evidence: str) -> str | None:
    """What a sentence reports someone as saying or finding, without the frame; None if it has no frame.

    "US officials said in 2022, citing declassified intelligence, that Russia was buying shells from North
    Korea" gives "Russia was buying shells from North Korea": a stance model reads the frame as neutral
    ("they said so" does not entail it), while for a fact-checker the report is evidence, shown with its
    source. A denial ("Moscow denied that ...") or a negated frame ("did not say that") gives None.
    """
    match = _REPORTED.search(evidence) or _ACCORDING.search(evidence) or _REPORTED_BARE.search(evidence)
    if not match or _NEGATED_FRAME.search(evidence[:match.start()]) or _DENIAL.search(evidence[:match.end()]):
        return None
    clause = evidence[match.end():].strip(" ,.;:")
    denial = _DENIAL.search(clause)
    if denial:
        # "… that X, an allegation Moscow has denied": the report is X; the denial is judged on its own.
        comma = clause.rfind(",", 0, denial.start())
        if comma < 0:
            return None
        clause = clause[:comma].strip(" ,.;:")
    return clause if len(content_words(clause)) >= 3 else None


def _bound_only(claim_numbers: dict, evidence_numbers: dict) -> Signal | None:
    """A figure the claim states (exactly or "about") that the evidence only bounds, at another value ("about
    2,000 containers" against "more than 1,000 containers"): the two can both be true, but the evidence does
    not confirm the claim's figure, so it is no support for it (nor a refutation)."""
    for value, (unit, bound) in claim_numbers.items():
        if not unit or bound in (">", "<"):
            continue
        same_unit = {v: q for v, (u, q) in evidence_numbers.items() if u == unit}
        if same_unit and all(q in (">", "<") and _consistent(value, bound, v, q)
                             and not _consistent(value, bound, v, None) for v, q in same_unit.items()):
            other, q = min(same_unit.items(), key=lambda item: abs(item[0] - value))
            stated = "about " if bound == "~" else ""
            said = {">": "more than ", "<": "less than "}[q]
            return Signal("bound_only", f"figure not confirmed: {stated}{_amount(value, unit)} in the claim, only "
                                        f"{said}{_amount(other, unit)} in the evidence", values=(value, other))
    return None


def _states_figures(claim_numbers: dict, evidence_numbers: dict) -> bool:
    """True when the claim gives figures (numbers with a unit or counted noun, not years) and the evidence
    states each of them, or a figure consistent with it, of the same unit: a confirmation of its figures
    (``qualified_numbers`` of each side)."""
    figures = {v: uq for v, uq in claim_numbers.items() if uq[0]}
    return bool(figures) and all(any(u == unit and _consistent(value, bound, v, q)
                                     for v, (u, q) in evidence_numbers.items())
                                 for value, (unit, bound) in figures.items())


def states_qualifier(role: str, words: str, statement: str, core: str, sentence: str) -> bool:
    """Does ``sentence`` state a claim's time or quantity qualifier (``words``, judged as ``statement``, the core
    with the qualifier put back)? A time qualifier's years and months must be among the sentence's ("since 2019"
    is not stated by a sentence that gives no year). Its figures ("for at least five years"), like a quantity's —
    those ``statement`` has and ``core`` has not — must each be stated, or one consistent with it, of the same
    unit (``_states_figures``). True for any other part, and for a qualifier with nothing to compare ("on
    Tuesday", "millions of")."""
    if role not in ("time", "quantity"):
        return True
    if role == "time" and not (years(words) <= years(sentence) and months(words) <= months(sentence)):
        return False
    core_numbers = qualified_numbers(core)
    figures = {v: uq for v, uq in qualified_numbers(statement).items() if v not in core_numbers and uq[0]}
    return not figures or _states_figures(figures, qualified_numbers(sentence))


# The signals that date the evidence's event otherwise than the claim's: the plain mismatches (before anything says
# whether the two date one event), and all of them.
DATE_MISMATCHES = frozenset({"year_mismatch", "month_mismatch"})
_EVENT_DATED = ("year_mismatch", "event_date", "event_year", "month_mismatch")


def _dated_otherwise(claim: str, evidence: str, word: str) -> bool:
    """True when the evidence dates its ``word`` in the words before it ("the August 2024 cut", "its 2023
    rise"), and the claim gives a year or month that date does not have: the evidence's act is another."""
    found = re.search(rf"\b((?:{_MONTH_NAMES})\s+)?(1[6-9]\d\d|20\d\d)\s+{re.escape(word)}\b", evidence, re.IGNORECASE)
    if not found:
        return False
    claim_years, claim_months = years(claim, bounds=False), months(claim, bounds=False)
    if claim_years and found.group(2) not in claim_years:
        return True
    month = (found.group(1) or "").strip().lower()
    return bool(month and claim_months and month not in claim_months)


def compare(claim: str, evidence: str, min_overlap: float = 0.5) -> Consistency:
    """Compare a claim with one evidence sentence: topical overlap and any mismatch signals.

    A negation mismatch is looked for only when the sentence holds ``min_overlap`` of the claim's key words
    (the judge passes its fitted ``min_signal_overlap``): "not" in a sentence about something else says
    nothing about the claim."""
    claim_words = content_words(claim)
    evidence_words = content_words(evidence)
    overlap = len(claim_words & evidence_words) / len(claim_words) if claim_words else 0.0
    signals: list[Signal] = []

    claim_years, evidence_years = years(claim, bounds=False), years(evidence, bounds=False)
    if claim_years and evidence_years and not (claim_years | _year_before(claim, claim_years)) & evidence_years:
        signals.append(Signal("year_mismatch",
                              f"year mismatch: {', '.join(sorted(claim_years))} vs {', '.join(sorted(evidence_years))}"))
    claim_by, evidence_by = deadlines(claim), deadlines(evidence)
    if not signals and claim_by and evidence_by and not claim_by & evidence_by:
        # A deadline is a bound, left out above, but two deadlines compare ("net zero by 2040" against "by 2045").
        signals.append(Signal("year_mismatch", f"year mismatch: by {', '.join(sorted(claim_by))} vs by "
                                               f"{', '.join(sorted(evidence_by))}"))
    claim_from, evidence_from = starts(claim), starts(evidence)
    if not signals and claim_from and evidence_from and not claim_from & evidence_from:
        # So do two start dates ("double council tax from April 2026" against "from April 2025").
        signals.append(Signal("year_mismatch", f"year mismatch: from {', '.join(sorted(claim_from))} vs from "
                                               f"{', '.join(sorted(evidence_from))}"))

    if not signals:
        moved = _same_day_other_year(claim, evidence)
        if moved:
            signals.append(Signal("event_year", moved))

    claim_months, evidence_months = months(claim, bounds=False), months(evidence, bounds=False)
    if claim_months and evidence_months and not claim_months & evidence_months and not signals:
        signals.append(Signal("month_mismatch",
                              f"date mismatch: {', '.join(sorted(claim_months))} vs {', '.join(sorted(evidence_months))}"))

    if overlap >= min_overlap and not any(s.kind in ("year_mismatch", "event_year") for s in signals):
        moved = _same_day_other_month(claim, evidence)
        if moved:
            # The same day of another month, in a sentence holding most of the claim: its event, dated otherwise.
            signals[:] = [s for s in signals if s.kind != "month_mismatch"] + [Signal("event_date", moved)]

    if signals and signals[0].kind in ("year_mismatch", "month_mismatch") and _same_event(claim_words, evidence, claim):
        # Every other key word of the claim is there: the same event, dated otherwise ("Lavrov visited
        # Pyongyang in March 2022" against "Lavrov visited Pyongyang on 18-19 October 2023").
        signals[0] = Signal("event_date", f"{signals[0]} (the same event: the claim's other key words are there)")

    if not signals:
        order = _date_order_mismatch(claim, evidence)
        if order:
            signals.append(Signal("date_order", order))

    claim_numbers, evidence_numbers = qualified_numbers(claim), qualified_numbers(evidence)
    maxima = stated_maxima(claim), stated_maxima(evidence)
    for value, (unit, bound) in claim_numbers.items():
        if not unit:
            continue
        if value in evidence_numbers and (not evidence_numbers[value][0]
                                          or {unit, evidence_numbers[value][0]} & _NO_UNIT):
            # The claim's figure stands bare in the evidence, its unit left to the context ("China won 40 gold
            # medals …, while Japan was third on gold medals with 20" for "Japan won 20 gold medals"), or one side
            # follows it with a word that is no unit ("rose to about 46,000 in 2024" against "attracted about
            # 46,000 visitors"): it may well be the claim's figure; another figure there is not proof against it.
            continue
        # Evidence numbers of the same unit (a span of time in any of its units: "two days" against "one
        # week"), less those another of the claim's numbers accounts for ("79 years old in 2005 and 81 in
        # 2007" against a sentence about 2005 only).
        same_unit, shown, every = {}, {}, {}
        for v, (u, q) in evidence_numbers.items():
            if u != unit and (u not in _DAYS or unit not in _DAYS):
                continue
            if u != unit:  # months and years vary in length: compared as "about"
                v, shown_as = v * _DAYS[u] / _DAYS[unit], f"{_figure(v)} {u}{'s' if v != 1 else ''}"
                if value and v and max(v / value, value / v) > _OTHER_SCALE:
                    # A span told in a unit of another scale is another span ("a two-day trip" against "his first
                    # visit in 24 years"): 2 days and 24 years are not two readings of one length.
                    continue
                q = q or ("~" if {u, unit} & {"month", "year"} else None)
                shown[v] = shown_as
            every[v] = q
            if not any(_consistent(c, cq, v, q) for c, (cu, cq) in claim_numbers.items() if cu == unit and c != value):
                same_unit[v] = q
        if any(len(figures) >= 2 and _consistent(value, bound, sum(figures), None) for figures in (same_unit, every)):
            # The claim's figure is the evidence's figures added up: "a £4.2 million repair paid for by …" against
            # "the borough paid £2.5 million, the county £1.1 million and an appeal the remaining £600,000", also
            # where the claim names one of the parts ("a £6m loan pays for most of the £9.4m cost" against "a £6m
            # loan and £3.4m from reserves").
            continue
        if same_unit and not any(_consistent(value, None, v, None) if value in maxima[0] and v in maxima[1]
                                 else _consistent(value, bound, v, q) for v, q in same_unit.items()):
            # The figure the evidence states in the claim's words ("an average of 47 minutes … against a standard
            # of 15 minutes" for "an average of 27 minutes"), else the nearest.
            lead = _lead_words(claim, value)
            other = max(same_unit, key=lambda v: (len(lead & _lead_words(evidence, v)), -abs(v - value)))
            stated = "up to " if value in maxima[0] else {">": "more than ", "<": "less than ", "~": "about "}.get(
                bound or "", "")
            amounts = (f"{_figure(value)} {unit}{'s' if value != 1 else ''} vs {shown[other]}" if other in shown
                       else _amounts(value, other, unit))
            signals.append(Signal("number_mismatch", f"number mismatch: {stated}{amounts}", values=(value, other)))
            break

    if not any(s.kind == "number_mismatch" for s in signals):
        bound_only = _bound_only(claim_numbers, evidence_numbers)
        if bound_only:
            signals.append(bound_only)
        ordinal = _ordinal_mismatch(claim, evidence)
        dated = [s for s in signals if s.kind in _EVENT_DATED]
        if dated and not ordinal:
            ordinal = _later_instance(claim, claim_words, evidence) or _repeated(claim, evidence)
        if ordinal and dated:
            # Another of a series, at another date ("its fifth nuclear test on 9 September 2016" for "its first
            # nuclear test in 2006"): about another instance, not the claim's; the dates do not conflict.
            signals[:] = [s for s in signals if s not in dated]
            signals.append(Signal("another_instance", f"another instance: {ordinal.split(': ', 1)[1]}, "
                                                      f"at another date"))
        elif ordinal:
            signals.append(Signal("number_mismatch", ordinal, decisive=_ranks_once(claim)))

    dated = [s for s in signals if s.kind in DATE_MISMATCHES]
    instance = _dated_instance(evidence) if dated and overlap < min_overlap else None
    if instance:
        # One of a series named by its date ("the yield of the 9 October 2006 test" for a claim on the September
        # 2016 test), sharing too little of the claim for the dates to conflict: another instance, not the
        # claim's. Not a date said of the event itself ("born 11 January 1975", "discovered in 1935").
        signals[:] = [s for s in signals if s not in dated]
        signals.append(Signal("another_instance", f"another instance: the evidence's is {instance}, at another date"))

    swapped = _swapped_roles(claim, evidence)
    if swapped:
        signals.append(Signal("swapped_roles", swapped))
    slot = other_place_in_slot(claim, evidence)
    if slot:
        signals.append(Signal("another_place", f"another place: the evidence has '{slot[1]}', the claim '{slot[0]}'"))
    office = _other_office(claim, evidence)
    if office:
        signals.append(Signal("another_actor", f"another office: the evidence names the {office[1]}, the claim the "
                                               f"{office[0]}"))

    opposite = _opposite_terms(claim, evidence)
    dated = [s for s in signals if s.kind in _EVENT_DATED]
    # Dated otherwise by a mismatch, or in the evidence's own words ("after the August 2024 cut").
    if opposite and (dated or _dated_otherwise(claim, evidence, opposite[1])):
        # Another act at another date ("raised Bank Rate to 5.25 percent on 3 August 2023" for "cut rates to
        # 5 percent in August 2024"): another event, whose date and figures say nothing against the claim's.
        signals[:] = [s for s in signals if s not in dated and s.kind not in ("number_mismatch", "bound_only")]
        signals.append(Signal("another_event", f"another event: '{opposite[1]}' at another date, not the claim's "
                                               f"'{opposite[0]}'"))
    elif opposite:
        signals.append(Signal("opposite_terms", f"opposite terms: '{opposite[0]}' vs '{opposite[1]}'"))

    if overlap >= min_overlap and has_negation(claim) != has_negation(evidence):
        negated = None if has_negation(claim) else _negates_claim(claim_words, evidence)
        if negated:
            # The claim's own predicate negated ("Lagarde declined to commit" for "Lagarde committed"): decisive,
            # like an opposite term, where the text holds most of the claim (``judge._pins_opposite``).
            signals.append(Signal("negated_claim", f"negated: the evidence says “{negated}”", decisive=True))
        else:
            which = "the evidence" if has_negation(evidence) else "the claim"
            signals.append(Signal("negation_mismatch", f"negation mismatch: only {which} is negated"))
    return Consistency(overlap=overlap, signals=signals, aim=states_aim(evidence),
                       figures=_states_figures(claim_numbers, evidence_numbers))


# A date to the day or the month with no year ("on Friday 8 November", "at the end of September"): a news report
# dates it in its own year, or the next or the last where that is nearer its publication date.
_BARE_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH_NAMES})|(?P<m2>{_MONTH_NAMES})(?:\s+(?P<d2>\d{{1,2}})"
    rf"(?:st|nd|rd|th)?)?)\b(?!,?\s+(?:1[6-9]\d\d|20\d\d)\b|\s+\d)", re.IGNORECASE)


def published_year(month: str, day: int | None, published: str | None) -> str | None:
    """The year a report published on ``published`` (YYYY-MM-DD) means by ``day`` ``month`` written without one:
    the nearest such date to publication, within half a year either side; None without a publication date."""
    try:
        when = dt.date.fromisoformat((published or "")[:10])
    except ValueError:
        return None
    number = _MONTHS.index(month.lower()) + 1
    options = [dt.date(year, number, min(day or 15, 28)) for year in (when.year - 1, when.year, when.year + 1)]
    return str(min(options, key=lambda d: abs((d - when).days)).year)


def dated_by_publication(text: str, published: str | None) -> str:
    """``text`` with the year its publication gives each date written without one, where the text names no year
    ("suspended on Friday 8 November" in a report of 2024-11-09 -> "… 8 November 2024"); ``text`` otherwise."""
    if not published or years(text) or not months(text):
        return text

    def dated(match: re.Match) -> str:
        month = match.group("m1") or match.group("m2")
        if month.lower() == "may" and not (match.group("d1") or match.group("d2")):
            return match.group()  # "may" alone is the verb
        day = match.group("d1") or match.group("d2")
        year = published_year(month, int(day) if day else None, published)
        return f"{match.group()} {year}" if year else match.group()

    return _BARE_DATE.sub(dated, text)


# The claim compares with the year before its own: "up 6 percent on a year earlier", "than last year".
_YEAR_BEFORE = re.compile(r"\b(?:(?:a|one|the) year (?:earlier|before|ago)|(?:the )?previous year|last year|"
                          r"year[- ]on[- ]year)\b", re.IGNORECASE)


def _year_before(claim: str, claimed: set[str]) -> set[str]:
    """The year before each of the claim's years, where the claim compares with the year before ("in the third
    quarter of 2024, up 6 percent on a year earlier" also speaks of 2023); empty otherwise."""
    return {str(int(y) - 1) for y in claimed} if _YEAR_BEFORE.search(claim) else set()


# A date the claim gives, from its preposition to its year: "from 5 January 2025", "in the 2024", "since 2013".
_DATE_PHRASE = re.compile(
    rf"(\s*,?\s*(?:\b(?:in|during|of|since|from|until|by|on|at the (?:end|start|beginning) of)\s+)?"
    rf"(?:(?:{'|'.join(WEEKDAYS)}),?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:(?:{_MONTH_NAMES})\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?)?)"
    r"(?<![\d/–\-])\b(1[6-9]\d\d|20\d\d)\b(?![/–\-]\d|s\b)", re.IGNORECASE)


def without_unstated_years(claim: str, evidence: str, passage: str = "") -> str:
    """The claim without the dates whose years the evidence does not state, when the evidence states no year the
    claim does not ("Turnout in the 2024 election rose to 31.8%, from 27.4% in 2020" against "… up from 27.4% at
    the previous contest in 2020" -> "Turnout in the election rose …"): a stance model reads a date the evidence
    leaves out as contradicted, while the sentence says nothing about it. A year the evidence gives otherwise is
    kept, and weighs as a year mismatch. Against a sentence that dates nothing, the claim's dates go only where
    the rest of its ``passage`` gives each of their years and months ("From 5 January 2025 the Metro Pass will cost £71"
    against "The monthly Metro Pass will increase from £68 to £71" in a passage on the January 2025 fare
    changes): a sentence of an undated passage cannot confirm them."""
    claimed, stated = years(claim), years(evidence)
    if not claimed or (stated and (not stated <= claimed | _year_before(claim, claimed) or claimed <= stated)):
        return claim
    if not stated and (months(evidence) or not claimed <= years(passage) or not months(claim) <= months(passage)):
        return claim
    unstated = claimed - stated
    out = _DATE_PHRASE.sub(lambda m: "" if m.group(2) in unstated else m.group(), claim)
    out = re.sub(r"\s{2,}", " ", out).replace(" ,", ",").strip(" ,")
    return (out[:1].upper() + out[1:]) if out else claim

