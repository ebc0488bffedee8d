"""A passage's sentences read in their context: a sentence that opens on "He" or "She" names its person in the
sentence before it ("Dr Nadia Fairclough has been appointed chief executive … She will be the first woman to lead
the hospital …"). Read alone it holds too few of a claim's key words to be weighed, and it reads far from a claim
that names the person; read with the name in place of the pronoun it is about what it is about.

Only a person named at the very start of the sentence before (its subject, by the way English news writes
it) is put in: a first-and-last name, or a title and a name ("Dr Fairclough", "President Putin"). "It",
"They" and "This" are left alone: too often they stand for a clause, or for nothing ("It is expected that …").

Likewise a short description: a passage names its subject once ("the Riverside Rowing Club") and then calls it
"the club". ``named_descriptions`` writes the claim's name in its place for the stance model, which reads a
named thing against "the club" as another thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Titles that may come before a name ("Dr Nadia Fairclough", "Councillor Owen Briggs").
_TITLES = (r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sir|Dame|Lord|Lady|Councillor|Cllr|President|Premier|"
           r"Chancellor|Senator|Judge|Justice|General|Gen|Colonel|Captain|Archbishop|Bishop|Rev|Father|King|Queen|"
           r"Prince|Princess|Minister)\.?")
_UPPER, _LOWER = "A-ZÀ-ÖØ-ÞĀ-Ž", "a-zß-öø-ÿā-ž"  # Latin letters with their accents ("José Álvarez")
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:[-'’][{_UPPER}]?[{_LOWER}]+)*"
# A particle inside a name ("Ursula von der Leyen", "Luiz Inácio Lula da Silva").
_PARTICLE = r"(?:von|van|der|den|de|del|della|di|da|dos|du|la|le|bin|al|ibn)"
_NEXT_WORD = rf"(?: {_PARTICLE})* {_NAME_WORD}"
# A sentence's leading name, then a lower-case word (its verb: "has been appointed", "said", "will …").
_LEADING_NAME = re.compile(
    rf"^(?:(?P<titled>{_TITLES}(?:{_NEXT_WORD}){{1,3}})|(?P<plain>{_NAME_WORD}(?:{_NEXT_WORD}){{1,3}}))"
    rf"(?=,? [{_LOWER}])")
# Capitalised words that open sentences but are not names.
_NOT_NAMES = frozenset({"The", "A", "An", "This", "That", "These", "Those", "It", "In", "On", "At", "By", "For",
                        "After", "Before", "When", "While", "But", "And", "Last", "Next", "Under", "Over",
                        "According", "Since", "From", "During", "With", "Without", "Despite", "Although", "As",
                        "Its", "Their", "His", "Her", "He", "She", "They", "We", "Our", "Some", "Many", "Most",
                        "Officials", "Police", "Doctors", "Nurses", "Figures", "Data", "Residents", "Ministers"})
_SUBJECT = re.compile(r"^(?P<quote>[\"'‘“]?)(?P<pronoun>He|She|His|Her)\b(?P<rest> .*)$", re.DOTALL)


def leading_person(sentence: str) -> str | None:
    """The person a sentence opens on ("Dr Nadia Fairclough", "Jenny Town"), or None."""
    match = _LEADING_NAME.match(sentence.strip())
    if not match:
        return None
    name = match.group(0)
    if name.split()[0] in _NOT_NAMES or name.endswith(("'s", "’s")):
        return None  # "North Korea's leader …": the person is the one the possessive names, not the name
    return name


def in_context(sentences: Sequence[str], before: str = "") -> list[str]:
    """The sentences with a leading "He"/"She" ("His"/"Her") replaced by the person the sentence before opens
    on (for the first, ``before``: the document's sentence before the passage); the others as written. A
    run of them ("Dr Fairclough is … She trained as … She will be …") all stand for the person the run
    follows. A pronoun is replaced only where the sentence before names one person at its start."""
    out = list(sentences)
    for i in range(len(sentences)):
        match = _SUBJECT.match(sentences[i].strip())
        if not match:
            continue
        person = leading_person(out[i - 1] if i else before)
        if not person:
            continue
        name = person if match.group("pronoun") in ("He", "She") else f"{person}'s"
        out[i] = f"{match.group('quote')}{name}{match.group('rest')}"
    return out


# A name of two to five capitalised words ("Riverside Rowing Club", "Larkmoor District Hospital"); its last word
# is the head a text may call it by ("the club", "the hospital").
_NAME = re.compile(r"(?<![\w\-])(?:[A-Z][\w'’\-]*\s+){1,4}(?P<head>[A-Z][a-z]+)(?![\w\-])")
# Heads that never stand for a name's bearer alone ("the year", "the day").
_NOT_HEADS = frozenset({"year", "years", "day", "days", "month", "week", "time", "times", "people", "state", "states",
                        "party", "news", "service", "services", "group", "one"})


def named_descriptions(claim: str, text: str, context: Sequence[str] = ()) -> tuple[str, list[tuple[str, str]]]:
    """The text with "the <head>" written as the claim's name whose last word that head is ("the club" for a
    claim on the "Riverside Rowing Club" reads "the Riverside Rowing Club"): a passage names its subject once
    and calls it "the club" after, and the stance model reads a named thing against "the club" as another.
    Not where the text or its ``context`` (the passage's other sentences) names another bearer of the head
    ("Calderbrook General Hospital" beside "the hospital"). Returns the text and the (text's words, claim's
    name) changes."""
    names: dict[str, str] = {}  # head -> the claim's name
    for match in _NAME.finditer(claim):
        head = match.group("head").lower()
        words = match.group(0).split()
        while words and words[0] in _NOT_NAMES:  # "The UN Security Council" is the "UN Security Council"
            words.pop(0)
        if head not in _NOT_HEADS and len(words) >= 2:
            names.setdefault(head, " ".join(words))
    if not names:
        return text, []
    changes: list[tuple[str, str]] = []
    around = " ".join([text, *context])
    for head, name in names.items():
        if not re.search(rf"\b[Tt]he {head}\b", text):
            continue
        others = {m.group(0).strip() for m in _NAME.finditer(around) if m.group("head").lower() == head}
        if any(other != name and not name.endswith(other) and not other.endswith(name) for other in others):
            continue
        text = re.sub(rf"\b([Tt])he {head}\b", rf"\1he {name}", text)
        changes.append((f"the {head}", name))
    return text, changes
