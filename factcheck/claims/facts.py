"""Fact by fact: split a claim into its core proposition and the qualifiers that sharpen it.

"North Korea supplied Russia with millions of artillery shells since September 2023" is three checks:
the core ("North Korea supplied Russia with artillery shells"), a quantity ("millions of") and a time
("since September 2023"). A source can confirm the core and contradict a qualifier — what fact-checkers
call misleading — so each part is judged on its own: the core as a statement, each qualifier as the core
with only that qualifier put back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# "clause": a second (third, …) predicate coordinated with the core's ("… is contributing £2.5 million to the
# centre and will guarantee a job interview to 40 apprentices"), judged with its subject as a core of its own.
ROLES = ("core", "quantity", "time", "place", "agent", "attribution", "clause")
QUANTITY_ENTS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}  # entity labels that write an amount
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_PLACE_PREPOSITIONS = {"in", "at", "near", "across", "inside", "outside", "throughout"}
_TIME_PREPOSITIONS = {"in", "on", "since", "by", "during", "until", "till", "from", "before", "after", "between", "at",
                      "for"}
_MULTIPLES = {"millions", "thousands", "hundreds", "billions", "dozens", "tens", "scores"}
_TIME_WORDS = {"yesterday", "today", "tomorrow", "week", "month", "year", "decade", "century", "monday", "tuesday",
               "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
               "june", "july", "august", "september", "october", "november", "december", "spring", "summer",
               "autumn", "winter", "weekend", "morning", "evening", "night"}


@dataclass
class Part:
    """One checkable part of a claim: its words, its role and the statement it is judged as."""

    text: str  # the qualifier's words ("millions of"), or the core proposition itself
    role: str  # core | quantity | time | place | agent | attribution | clause
    statement: str  # what is searched and judged: the core, or the core with this qualifier only

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown part role {self.role!r}; expected one of {ROLES}")


def clause_groups(parts: Sequence) -> list[list]:
    """``parts`` (parts or judged facts: anything with a ``role``) grouped clause by clause: each core or coordinated
    clause with the qualifiers that follow it."""
    groups: list[list] = []
    for part in parts:
        if part.role in ("core", "clause") or not groups:
            groups.append([])
        groups[-1].append(part)
    return groups


def core_of(parts: Sequence, n: int) -> str:
    """The statement of the core or coordinated clause that part ``n`` of ``parts`` qualifies: the nearest before it."""
    return next((parts[k].statement for k in range(n, -1, -1) if parts[k].role in ("core", "clause")),
                parts[0].statement if parts else "")


def _is_time(ent) -> bool:
    if ent.label_ not in ("DATE", "TIME"):
        return False
    if ent.root.dep_ in ("amod", "compound") and ent.root.head.i >= ent.end:
        return False  # "a two-day trip": describes the noun, it is not when anything happened
    return any(t.lower_ in _TIME_WORDS or (t.like_num and len(t.text) == 4) for t in ent)


def _glued(doc, ent) -> bool:
    """True when the entity is part of a written-together token run ("7-2", "24/7", "9:30"): a vote tally or a
    ratio is one thing, not a number and a leftover."""
    before = doc[ent.start - 1] if ent.start > 0 else None
    after = doc[ent.end] if ent.end < len(doc) else None
    return bool((after is not None and not doc[ent.end - 1].whitespace_ and after.text[:1] in "-–/:")
                or (before is not None and not before.whitespace_ and before.text[-1:] in "-–/:"))


def _span_root(doc, tokens: set[int]):
    """The token of ``tokens`` whose head lies outside them, or that heads its sentence (the first such)."""
    return doc[min(tokens, key=lambda i: (doc[i].head.i in tokens and doc[i].head.i != i, i))]


def _with_preposition(tokens: set[int], doc, prepositions: set[str]) -> set[int]:
    """Grow a qualifier to take in the preposition that governs it ("since", "in") and its participle."""
    root = _span_root(doc, tokens)
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in prepositions:
        tokens = tokens | {head.i}
        # "starting on Tuesday": the participle carries nothing once its phrase leaves.
        participle = head.head
        if participle.dep_ in ("acl", "advcl") and participle.tag_ == "VBG" and all(
            c.i == head.i or c.dep_ == "punct" for c in participle.children
        ):
            tokens = tokens | {participle.i}
    return tokens


def _with_unit(doc, ent, span: set[int]) -> set[int]:
    """An amount's span with the currency sign before it and the "per cent" after it where the entity left them
    out ("£" in "£7.58", "per cent" in "Sixty-one per cent"): a core keeps neither without its figure."""
    span = set(span)
    if ent.start > 0 and doc[ent.start - 1].tag_ == "$":
        span.add(ent.start - 1)
    after = [t.lower_ for t in doc[ent.end:ent.end + 2]]
    if after[:1] in (["%"], ["percent"]):
        span.add(ent.end)
    elif after == ["per", "cent"]:
        span |= {ent.end, ent.end + 1}
    return span


def _qualifiers(doc, kept: set[int]) -> list[tuple[str, set[int]]]:
    """(role, token indices) for each qualifier among ``kept``, in text order."""
    found: list[tuple[str, set[int]]] = []
    claimed: set[int] = set()

    def add(role: str, tokens: set[int]) -> None:
        tokens &= kept
        if tokens and not tokens & claimed:
            found.append((role, tokens))
            claimed.update(tokens)

    for i in sorted(kept):
        token = doc[i]
        if token.lower_ in _MULTIPLES and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            of = next(c for c in token.children if c.dep_ == "prep" and c.lower_ == "of")
            add("quantity", {i, of.i} | {c.i for c in token.children if c.dep_ in ("advmod", "quantmod")})
        if token.dep_ == "agent" and token.head.tag_ == "VBN":
            add("agent", {t.i for t in token.subtree})
    for ent in doc.ents:
        span = set(range(ent.start, ent.end))
        if not span <= kept or _glued(doc, ent):
            continue
        if _is_time(ent):
            # With what hangs off it: "after three years of weekend closures", not "… closures" left behind.
            add("time", _with_preposition(span | {t.i for t in ent.root.subtree}, doc, _TIME_PREPOSITIONS))
        elif ent.label_ in QUANTITY_ENTS:
            span = _with_unit(doc, ent, span) & kept
            root = _span_root(doc, span)
            if root.dep_ in ("nsubj", "nsubjpass") and doc[max(span)].lower_ in ("cent", "percent", "%"):
                continue  # "Sixty-one per cent of the tenants backed it": the share is the subject, not a detail
            if root.dep_ == "nummod" and any(c.dep_ == "det" and c.lower_ in ("the", "these", "those")
                                             for c in root.head.children):
                continue  # "the two countries" names them, it does not count them
            if root.dep_ == "nummod" or root.head.i in span:
                add("quantity", span)  # "12,000 jobs": the number goes, the noun stays
            elif root.dep_ == "pobj":
                add("quantity", _with_preposition(span, doc, {"by", "to", "of", "at", "from"}))
        elif ent.label_ in _PLACE_ENTS and ent.root.dep_ == "pobj":
            preposition = ent.root.head
            if preposition.lower_ in _PLACE_PREPOSITIONS and preposition.head.pos_ in ("VERB", "AUX"):
                add("place", {preposition.i} | {t.i for t in ent.root.subtree})
    return sorted(found, key=lambda f: min(f[1]))


def _content_words(doc, indices) -> int:
    return sum(1 for i in indices if doc[i].is_alpha and not doc[i].is_stop)


# What makes a coordinated verb a predicate of its own: an object, a complement or a phrase it governs ("and will
# guarantee a job interview"); the first verb needs one of its own too (not "rose and fell by 3%", "bought and
# restored the mill", where it shares what follows).
_OWN_ARGUMENTS = {"dobj", "attr", "acomp", "prep", "xcomp", "ccomp", "dative", "oprd", "agent", "nsubj",
                  "nsubjpass", "advmod", "npadvmod"}
_SUBJECTS = {"nsubj", "nsubjpass"}
_SHARED = {"aux", "auxpass"}  # what a predicate without its own takes from the first ("will open … and run …")


def _clauses(doc, kept: set[int]) -> list[list[int]]:
    """The token indices of each predicate coordinated with the claim's main verb, in text order, each with the
    subject (and the auxiliary) it shares with the first: "Halvorsen is contributing £2.5 million to the centre and
    will guarantee a job interview to 40 apprentices" is two checks, which sources often make in two sentences.
    [] when the main verb has no coordinated predicate, or a clause would be left without substance."""
    root = _span_root(doc, kept)
    if root.pos_ not in ("VERB", "AUX"):
        return []
    chain, head = [root], root
    while True:
        head = next((c for c in head.children if c.dep_ == "conj" and c.i in kept and c.pos_ in ("VERB", "AUX")
                     and any(k.dep_ in _OWN_ARGUMENTS for k in c.children)), None)
        if head is None:
            break
        chain.append(head)
    if len(chain) < 2:
        return []
    if not any(k.dep_ in _OWN_ARGUMENTS - _SUBJECTS and k.i < chain[1].i for k in root.children):
        return []  # "bought and restored the mill", "rose and fell by 3%": the first verb shares what follows
    later = {c.i: {t.i for t in c.subtree} & kept for c in chain[1:]}
    for n, c in enumerate(chain[1:-1], start=1):
        later[c.i] -= later[chain[n + 1].i]  # each clause without the ones coordinated after it
    joints = {t.i for c in chain for t in c.children if t.dep_ in ("cc", "punct", "preconj")
              and any(t.i < c2.i and t.i > min(later[c2.i]) - 2 for c2 in chain[1:])}
    first = kept - set().union(*later.values()) - joints
    subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
    shared = ({t.i for t in subject.subtree} & kept) if subject is not None else set()
    clauses = [sorted(first)]
    for c in chain[1:]:
        tokens = later[c.i] - joints
        while tokens and (doc[min(tokens)].dep_ in ("cc", "punct") or doc[min(tokens)].lower_ in ("then", "also")):
            tokens.discard(min(tokens))
        if not any(k.dep_ in _SUBJECTS | {"expl"} for k in c.children):
            if not shared:
                return []
            tokens |= shared
            if not any(k.dep_ in _SHARED for k in c.children):
                tokens |= {k.i for k in root.children if k.dep_ in _SHARED and k.i in kept}
        clauses.append(sorted(tokens))
    if any(_content_words(doc, clause) < 2 for clause in clauses):
        return []
    return clauses


def split_parts(doc, indices: list[int], render: Callable[[list[int]], str]) -> list[Part]:
    """Split the claim whose core tokens are ``indices`` into a core part and one part per qualifier; a claim
    whose main verb has predicates coordinated with it is split clause by clause (``_clauses``), each clause's
    core a "clause" part after the first's qualifiers, with its own qualifiers after it.

    ``render`` turns token indices into the claim's standalone wording. A claim without qualifiers, or
    whose core would be left without substance, is a single core part.
    """
    clauses = _clauses(doc, set(indices))
    if clauses:
        parts = _split_clause(doc, clauses[0], render)
        for clause in clauses[1:]:
            mine = _split_clause(doc, clause, render)
            parts += [Part(mine[0].text, "clause", mine[0].statement), *mine[1:]]
        return parts
    return _split_clause(doc, indices, render)


def _split_clause(doc, indices: list[int], render: Callable[[list[int]], str]) -> list[Part]:
    """One clause's core part and one part per qualifier (``split_parts``)."""
    kept = set(indices)
    whole = render(indices)
    qualifiers = _qualifiers(doc, kept)
    if not qualifiers:
        return [Part(whole, "core", whole)]
    removed = set().union(*(tokens for _, tokens in qualifiers))
    core = [i for i in indices if i not in removed]
    # A preposition whose object left with a qualifier goes too ("approved a budget for [fiscal 2025]").
    left = set(core)
    core = [i for i in core if not (doc[i].dep_ == "prep" and any(c.i in removed for c in doc[i].children)
                                    and not any(t.i in left for t in doc[i].subtree if t.i != i))]
    if _content_words(doc, core) < 2 or not any(doc[i].pos_ in ("VERB", "AUX") for i in core):
        return [Part(whole, "core", whole)]
    core_text = render(core)
    parts = [Part(core_text, "core", core_text)]
    for role, tokens in qualifiers:
        statement = whole if len(qualifiers) == 1 else render(sorted(set(core) | tokens))
        words = render(sorted(tokens))
        if doc[min(tokens)].text[:1].islower():
            words = words[:1].lower() + words[1:]  # render() capitalises a claim's first word, not a phrase's
        parts.append(Part(words, role, statement))
    return parts
