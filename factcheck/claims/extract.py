"""Claim extraction: split an article into checkable propositions with exact character spans.

Each sentence is decomposed along its dependency parse: coordinated clauses with their own subject
("Finland joined NATO …, and Sweden followed …") and contrastive subordinate clauses ("… while China
abstained") become separate claims; reporting frames ("Washington says …", "…, the Kremlin said")
come off the claim and become its source and status (``attribution``). A denial of "this" is linked
to the claim it denies. ``checkworthiness`` scores every claim; the rules for headings, captions,
duplicates and boilerplate cap the score.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import asdict, dataclass, field

from factcheck.claims.attribution import (
    ANAPHORIC_NOUNS,
    ANAPHORIC_PRONOUNS,
    REPORTING_VERBS,
    Frame,
    content_of,
    decide,
    reporting_frame,
    source_text,
    source_tokens,
    subject_of,
)
from factcheck.claims.context import ArticleContext, Resolved, Substitution
from factcheck.claims.dates import anchor_dates, article_date, body_start, dateline_length, parse_date, same_year_dates
from factcheck.claims.facts import QUANTITY_ENTS, Part, split_parts
from factcheck.claims.checkworthiness import DEFAULT_THRESHOLD, CheckworthinessScorer, news_rule, opinion_rule
from factcheck.errors import InputError

log = logging.getLogger(__name__)

STATUSES = ("asserted", "attributed", "alleged", "denied", "hedged")
# Without the check-worthiness model (``use_model=False``) every claim scores the midpoint and counts
# as check-worthy at it: the rules alone decide which claims are not worth checking.
UNSCORED_CHECKWORTHINESS = 0.5


@dataclass
class Cue:
    """A word or phrase in the input that decided a claim's status or source."""

    text: str
    start: int
    end: int
    role: str  # e.g. "status", "source", "negation"


@dataclass
class Claim:
    """One checkable proposition found in the input text.

    ``start``/``end`` are character offsets of the claim's span in the input;
    ``sentence_start``/``sentence_end`` those of the sentence it came from.
    ``standalone`` is the claim as it reads out of its article: names for "the Russian president" or "he",
    calendar dates for "on Tuesday" (``context`` lists each substitution); ``query`` is the standalone
    claim without its asides, used to search for and judge evidence. ``parts`` split that core into the
    proposition and its qualifiers (quantity, time, place, agent), each judged on its own. An ``opinion``
    gets no truth verdict: only who said it (its ``source``) can be checked.
    """

    id: str
    text: str
    sentence: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    checkworthy: bool = True
    checkworthiness: float = UNSCORED_CHECKWORTHINESS
    status: str = "asserted"
    source: str | None = None
    cues: list[Cue] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # ids of claims this one relates to
    query: str = ""
    # why a rule capped the score ("heading", "boilerplate", …), or why a low score is checked all the same
    # ("given on its own: …", a one-sentence input), else ""
    checkworthy_reason: str = ""
    standalone: str = ""
    context: list[Resolved] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    opinion: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown claim status {self.status!r}; expected one of {STATUSES}")
        if not 0.0 <= self.checkworthiness <= 1.0:
            raise ValueError(f"checkworthiness must be in 0..1, got {self.checkworthiness}")
        # Read back from JSON (an export, a saved review), the nested parts arrive as dicts.
        self.cues = [c if isinstance(c, Cue) else Cue(**c) for c in self.cues]
        self.context = [r if isinstance(r, Resolved) else Resolved(**r) for r in self.context]
        self.parts = [p if isinstance(p, Part) else Part(**p) for p in self.parts]
        if not self.standalone:
            self.standalone = self.text
        if not self.query:
            self.query = self.standalone
        if not self.parts and not self.opinion:  # an opinion has no core to check, only its speaker
            self.parts = [Part(self.query, "core", self.query)]

    def to_dict(self) -> dict:
        return asdict(self)


_LINE = re.compile(r"[^\n]+")
_SEGMENT = re.compile(r"[^;]+;?")
_QUOTES = "“”\"‘’'«»"
# Subordinating conjunctions that join two separate assertions rather than qualify one.
_CONTRASTIVE_MARKS = {"while", "whereas", "though", "although", "but"}
_SOURCE_PRONOUNS = {"it": "sing", "he": "person", "she": "person", "they": "plur"}
_PERSON_NOUNS = {
    "minister", "president", "official", "spokesman", "spokeswoman", "spokesperson", "aide", "leader", "coach",
    "captain", "chairman", "chairwoman", "director", "secretary", "governor", "mayor", "senator", "ambassador",
    "general", "investigator", "prosecutor", "judge", "economist", "scientist", "researcher", "professor",
    "analyst", "diplomat", "negotiator", "manager", "executive", "owner", "author", "doctor", "player",
}
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they", "it": "it"}
_SUBJECT_PRONOUNS = {"it": "sing", "he": "person", "she": "person", "they": "plur", "we": "plur", "i": "person"}


@dataclass
class _Draft:
    """A claim while extraction still links and scores it; ``to_claim`` makes the public :class:`Claim`."""

    text: str
    query: str
    sentence: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    status: str
    source: str | None
    cues: list[Cue]
    span: object  # the spaCy Span the claim covers, for the check-worthiness features
    head: object  # the spaCy Token heading the proposition, for the opinion rule
    source_number: str | None = None  # "sing", "plur" or "person": what a pronoun source may stand for
    anaphoric: bool = False  # stands for an earlier claim ("denied this", "rejected the allegations")
    pronoun: bool = False  # … through a pronoun ("this"), so it may point at any claim just before
    quoted: bool = False  # the sentence opens with a quote mark
    has_frame: bool = False  # a reporting frame governs the claim
    antecedent: int | None = None  # index of the draft an anaphoric draft stands for
    cap: float | None = None  # the score a rule caps check-worthiness at, if one applies
    reason: str = ""  # the rule that capped it
    checkworthiness: float = 0.0
    checkworthy: bool = False
    standalone: str = ""
    context: list[Resolved] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)

    @property
    def opinion(self) -> bool:
        return self.reason == "opinion"

    def to_claim(self, claim_id: str) -> Claim:
        return Claim(
            id=claim_id, text=self.text, sentence=self.sentence, start=self.start, end=self.end,
            sentence_start=self.sentence_start, sentence_end=self.sentence_end, checkworthy=self.checkworthy,
            checkworthiness=self.checkworthiness, status=self.status, source=self.source, cues=self.cues,
            linked=[], query=self.query, checkworthy_reason=self.reason, standalone=self.standalone,
            context=self.context, parts=self._claim_parts(), opinion=self.opinion,
        )

    def _claim_parts(self) -> list[Part]:
        if not self.opinion:
            return self.parts
        # A quoted opinion is checked for who said it, and only when someone is said to have said it.
        if not self.source:
            return []
        said = self.standalone if self.span[0].pos_ == "PROPN" else self.standalone[:1].lower() + self.standalone[1:]
        return [Part(self.source, "attribution", f"{self.source} said that {said}")]


@dataclass
class _Unit:
    """One proposition found in a sentence, before it becomes a Claim."""

    head: object  # spaCy Token heading the proposition
    tokens: set[int]  # token indices whose text makes up the claim
    frame: Frame | None = None
    anaphoric: bool = False  # "denied this": stands for an earlier claim
    prefix: str = ""  # a subject shared with an earlier clause, for the text only


def _has_subject(token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in token.children)


def _is_clause(token) -> bool:
    return token.pos_ in ("VERB", "AUX") or _has_subject(token)


def _mark(token) -> str:
    return " ".join(c.lower_ for c in token.children if c.dep_ == "mark")


def _even_as(clause) -> bool:
    """ "…, even as knife offences went up by 11%": a contrast, a proposition of its own."""
    return _mark(clause) == "as" and any(c.dep_ == "advmod" and c.lower_ == "even" for c in clause.children)


def _splits_off(child) -> bool:
    """Return True when ``child`` heads a proposition of its own rather than part of its head's."""
    if child.dep_ == "conj" and _is_clause(child) and _has_subject(child):
        return True
    if child.dep_ == "advcl" and _has_subject(child) and (_mark(child) in _CONTRASTIVE_MARKS or _even_as(child)):
        return True
    # Participial and coordinated reports without a subject of their own ("…, accusing the US of …",
    # "… denied wrongdoing and said she would cooperate") report for the clause's subject.
    return child.dep_ in ("advcl", "conj") and not _has_subject(child) and reporting_frame(child)[0] is not None


def _parataxis_frame(head) -> Frame | None:
    """Return the frame of an interjected report ("The minister, he said, resigned"), if any."""
    for child in head.children:
        if child.dep_ == "parataxis" and child.lemma_.lower() in REPORTING_VERBS and not content_of(child):
            subject = subject_of(child)
            if subject is None:
                continue
            status = REPORTING_VERBS[child.lemma_.lower()]
            return Frame(status, [child], source_tokens(subject), {t.i for t in child.subtree})
    return None


def _is_anaphor(token) -> bool:
    """Return True for an object that points back to an earlier claim ("this", "the allegations")."""
    if token.lower_ in ANAPHORIC_PRONOUNS:
        return True
    # "the allegations that …" / "reports of …" carry their own content; "the allegations as baseless" does not.
    return (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in ANAPHORIC_NOUNS
        and any(c.dep_ == "det" and c.lower_ in ("the", "these", "those", "this", "such") for c in token.children)
        and not any(c.dep_ in ("acl", "relcl", "ccomp") or (c.dep_ == "prep" and c.lower_ != "as") for c in token.children)
    )


def _walk(head, frame: Frame | None, units: list[_Unit]) -> None:
    """Collect the propositions under ``head``; ``frame`` is the report that governs it, if any."""
    own, contents = reporting_frame(head)
    if own is not None:
        if not own.source and not own.passive and not _has_subject(head):
            # A subjectless participle ("accusing …") reports for whoever governs it.
            if frame is not None and frame.source:
                own.source = frame.source
            elif head.head.i != head.i and subject_of(head.head) is not None:
                own.source = source_tokens(subject_of(head.head))
        handled = set()
        for content in contents:
            if isinstance(content, tuple) and content[0] == "whole":
                tokens = {t.i for t in head.subtree if not (t.dep_ in ("cc",) and t.head.i == head.i)}
                tokens -= {t.i for c in head.children if _splits_off(c) for t in c.subtree}
                units.append(_Unit(head, tokens, own, prefix=_shared_subject(head)))
            elif isinstance(content, tuple):  # ("accused", object, act)
                _, obj, act = content
                tokens = ({t.i for t in obj.subtree} | {t.i for t in act.subtree}) - own.frame_tokens
                units.append(_Unit(act, tokens, own))
                handled |= {obj.i, act.i}
            elif own.status == "denied" and content.dep_ != "ccomp" and _is_anaphor(content):
                tokens = {t.i for t in head.subtree if not (t.dep_ in ("cc", "mark") and t.head.i == head.i)}
                tokens -= {t.i for c in head.children if _splits_off(c) for t in c.subtree}
                units.append(_Unit(head, tokens, own, anaphoric=True))
                handled.add(content.i)
            elif content.dep_ in ("ccomp", "xcomp", "pcomp", "parataxis") and _is_clause(content):
                if content.dep_ in ("xcomp", "pcomp"):
                    # "X is alleged to have …", "X denied taking …": X is the claim's subject.
                    subj = next(
                        (c for c in head.children if c.dep_ in ("nsubjpass", "nsubj") and c.lower_ != "it"), None
                    )
                    prefix = ""
                    if subj is None and head.dep_ == "conj" and subject_of(head.head) is not None:
                        # "X did A and is widely estimated to have done B": B's subject is X, which
                        # belongs to A's span, so it joins B's text only.
                        prefix = source_text(source_tokens(subject_of(head.head))) or ""
                    sub = [] if subj is None else [subj]
                    _walk_clause(content, own, units, extra=sub, prefix=prefix)
                else:
                    # A report inside a report is content, not a frame: in "the prosecutor said the
                    # minister never denied it", nobody denies the prosecutor's claim.
                    _walk_clause(content, own, units)
                handled.add(content.i)
            else:  # "denied any wrongdoing": the whole clause is the denied claim
                tokens = {t.i for t in head.subtree if not (t.dep_ in ("cc",) and t.head.i == head.i)}
                tokens -= {t.i for c in head.children if _splits_off(c) for t in c.subtree}
                units.append(_Unit(head, tokens, Frame(own.status, own.cue, own.source, set(), own.negated)))
                handled.add(content.i)
        for child in head.children:
            if child.i not in handled and _splits_off(child):
                _walk(child, frame, units)
        return
    _walk_clause(head, frame, units)


def _shared_subject(verb) -> str:
    """For a verb joined to an earlier one without a subject of its own ("the suspect was arrested and
    charged with theft"), the words it shares: "the suspect was"; "" otherwise."""
    if verb.dep_ != "conj" or _has_subject(verb) or verb.head.pos_ not in ("VERB", "AUX"):
        return ""
    subject = subject_of(verb.head)
    if subject is None or subject.lower_ in _SUBJECT_PRONOUNS:
        return ""
    words = [t.text_with_ws for t in subject.subtree]
    if not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        words += [c.text_with_ws for c in verb.head.children if c.dep_ in ("aux", "auxpass") and c.i < verb.head.i]
    return "".join(words).strip()


def _speakers_act(child, head, frame: Frame | None) -> bool:
    """A verb the parse joined to a passive reported clause that its subject cannot do: in "Ortiz said the
    contract was awarded through an open bid and called the accusation a stunt", "called" is Ortiz's (an
    active verb with an object of its own, no subject, after a passive one)."""
    return (frame is not None and bool(frame.source) and child.dep_ == "conj" and child.pos_ == "VERB"
            and not _has_subject(child) and head.dep_ == "ccomp"
            and any(c.dep_ == "nsubjpass" for c in head.children)
            and not any(c.dep_ in ("auxpass", "aux") for c in child.children)
            and any(c.dep_ == "dobj" for c in child.children))


def _walk_clause(
    head, frame: Frame | None, units: list[_Unit], extra: list | None = None, prefix: str = ""
) -> None:
    """Add the plain clause under ``head`` as a unit and recurse into the clauses that split off it."""
    split = [c for c in head.children if _splits_off(c)]
    if frame is None:
        frame = _parataxis_frame(head)
    stray = [c for c in head.children if _speakers_act(c, head, frame)]
    tokens = {t.i for t in head.subtree}
    for c in split + stray:
        tokens -= {t.i for t in c.subtree}
        # The conjunction that joins ``c`` (the nearest before it), not an earlier one that joins a verb kept
        # here ("convicted her on four counts but cleared her of …, and she was given …": "but" stays).
        joining = [t.i for t in c.head.children if t.dep_ == "cc" and t.i < c.i]
        tokens -= set(joining[-1:])
    for c in stray:  # the speaker's own act, asserted by the text: "Ortiz … called the accusation a stunt"
        units.append(_Unit(c, {t.i for t in c.subtree}, None, prefix=source_text(frame.source) or ""))
    if frame is not None:
        tokens -= frame.frame_tokens
    for token in extra or []:
        tokens |= {t.i for t in token.subtree}
    tokens -= {c.i for c in head.children if c.dep_ == "mark" and c.lower_ in ("that", "whether")}
    # "According to X" is a frame too: it names the source, it is not part of the claim.
    tokens -= {t.i for c in head.children if c.lower_ == "according" for t in c.subtree}
    if tokens:
        units.append(_Unit(head, tokens, frame, prefix=prefix))
    for c in split:
        _walk(c, frame, units)


def _is_edge_punct(token) -> bool:
    return (token.is_punct or token.dep_ == "punct") and token.text not in "%$£€¥"


def _apposed_denials(sent) -> list[_Unit]:
    """Find "…, a charge the government denied" / "…, an accusation Moscow rejects": a denial in apposition."""
    found = []
    for noun in sent:
        if noun.lemma_.lower() not in ANAPHORIC_NOUNS or noun.pos_ != "NOUN":
            continue
        left = noun.left_edge
        if left.i == 0 or left.doc[left.i - 1].text not in ",—–(":
            continue
        for verb in noun.children:
            if verb.dep_ == "relcl" and REPORTING_VERBS.get(verb.lemma_.lower()) == "denied":
                speaker = next((c for c in verb.children if c.dep_ in ("nsubj", "compound")), None)
                source = source_tokens(speaker) if speaker is not None else []
                tokens = {t.i for t in noun.subtree}
                found.append(_Unit(verb, tokens, Frame("denied", [verb], source), anaphoric=True))
    return found


def _leading_even(doc, indices: list[int]) -> bool:
    """The "even" of a leading "even as" ("even as knife offences went up")."""
    return (doc[indices[0]].lower_ == "even" and doc[indices[0]].dep_ == "advmod" and len(indices) > 1
            and doc[indices[1]].lower_ == "as" and doc[indices[1]].dep_ == "mark")


def _trim(doc, indices: list[int]) -> list[int]:
    """Drop punctuation, conjunctions and markers at the edges of a claim."""
    while indices and (_is_edge_punct(doc[indices[0]]) or doc[indices[0]].dep_ in ("cc", "mark")
                       or _leading_even(doc, indices)):
        indices = indices[1:]
    while indices and (_is_edge_punct(doc[indices[-1]]) or doc[indices[-1]].dep_ in ("cc", "mark")):
        if doc[indices[-1]].text in ")]" and any(doc[i].text in "([" for i in indices):
            break
        indices = indices[:-1]
    return indices


_ASIDE_OPENERS = {",", "(", "—", "–"}
# "for its war in Ukraine", "for use in the invasion": what the thing was for, an intent sources seldom
# repeat ("for the new library" names what money buys, and stays).
_PURPOSE_NOUNS = {"war", "use", "invasion", "fight", "offensive", "campaign", "effort", "efforts", "conflict",
                  "assault", "operation", "operations", "aggression"}
# The writer's own weighing of a thing ("vital artillery shells"): not what a source confirms or refutes.
_EVALUATIVE = {"vital", "crucial", "critical", "essential", "much-needed", "badly-needed", "precious",
               "valuable", "desperately", "sorely"}


def _purpose(token, first) -> bool:
    """True for a purpose clause: "in order to fund the war", or "to help it fight" after the verb's
    object ("supplied weapons to Russia to help it fight"; not "went out of its way to publicise"), or a
    purpose phrase "for its war in Ukraine" / "for use in …" after the verb's object."""
    if token.dep_ == "advcl" and first.lower_ == "to" and first.dep_ == "aux" and first.head.i == token.i:
        objects = [c for c in token.head.children if c.dep_ == "dobj"]
        # Not what money is for: "sets aside $6.5 million to repair the bridge" is the fact itself; nor an outcome
        # with a figure of its own ("… from conceding the opening goal to beat Stannington Rovers 3-1"): what
        # a source reports, and what finds it.
        return (bool(objects) and objects[0].i < first.i and not _amount(objects[0])
                and not any(t.like_num or t.ent_type_ in QUANTITY_ENTS for t in token.subtree))
    if token.dep_ == "prep" and token.lower_ == "for" and token.head.pos_ in ("NOUN", "VERB"):
        objects = [c for c in token.children if c.dep_ == "pobj"]
        return bool(objects) and objects[0].lemma_.lower() in _PURPOSE_NOUNS and (
            objects[0].lower_ == "use" or any(c.dep_ == "poss" for c in objects[0].children))
    return (token.dep_ == "prep" and token.lower_ == "in"
            and any(c.dep_ == "pobj" and c.lower_ == "order" for c in token.children))


def _summary(token, left: int, right: int, inside: set[int]) -> bool:
    """A noun phrase after a comma that sums up the clause before it and ends it: "rises 4.2 percent to
    $98.3 million, *the largest increase of any department*" (the parse often makes it a second object of
    the verb; "gave the award, a bronze medal, to the firefighter" goes on, and is not one)."""
    if token.dep_ not in ("dobj", "npadvmod", "attr") or token.head.pos_ not in ("VERB", "AUX") or token.i < token.head.i:
        return False
    if any(not token.doc[j].is_punct for j in inside if j > right):
        return False
    if any(c.dep_ == "dobj" and c.i < token.i for c in token.head.children):
        return False  # a second object after the first: an apposition of it, parsed with what follows
    # The verb already has its complement before the comma.
    return any(c.dep_ in ("dobj", "npadvmod", "prep", "attr", "acomp") and token.head.i < c.i < left - 1
               for c in token.head.children)


def _amount(token) -> bool:
    """A sum or a count as the object: "$6.5 million", "200 officers", "a third of its budget"."""
    return token.ent_type_ in QUANTITY_ENTS or token.like_num or any(
        c.dep_ == "nummod" or c.ent_type_ in ("MONEY", "CARDINAL") for c in token.children)


def _evaluative(token) -> bool:
    """An adjective (or its adverb) that weighs the thing rather than describing it: "vital shells"."""
    return token.dep_ in ("amod", "advmod") and token.lower_ in _EVALUATIVE and token.head.pos_ in ("NOUN", "ADJ")


def _participial(token) -> bool:
    """A participle clause with no subject of its own that hangs off the main verb after a comma: ", turning
    to Moscow as it faces isolation", ", citing security concerns". It frames or adds to the main
    proposition; sources that confirm the main fact seldom repeat the frame."""
    return (token.dep_ == "advcl" and token.tag_ in ("VBG", "VBN") and token.head.pos_ in ("VERB", "AUX")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in token.children)
            and token.i > token.head.i)


def _asides(doc, indices: list[int]) -> set[int]:
    """Tokens of the claim's asides: ", when Putin and Kim last met", ", the leader,", "to help it fight",
    "for its war in Ukraine", the writer's "vital", ", the largest increase of any department".

    A relative clause or apposition set off by a comma adds a proposition of its own, and a purpose
    clause states an intent sources seldom repeat; the claim's core is what remains. Evidence is
    searched and judged against the core, so an aside that no source repeats does not hide the
    evidence for the main proposition (its dates and numbers still count: the consistency signals
    read the whole claim).
    """
    inside = set(indices)
    removed: set[int] = set()
    for i in indices:
        token = doc[i]
        if token.i in removed:
            continue
        subtree = [t.i for t in token.subtree]
        left, right = min(subtree), max(subtree)
        if _purpose(token, doc[left]):
            removed |= set(subtree) & inside
            continue
        if _evaluative(token):
            removed |= {token.i} | ({c.i for c in token.children if c.dep_ == "advmod"} & inside)
            continue
        if not (token.dep_ in ("relcl", "appos") or _participial(token) or _summary(token, left, right, inside)) \
                or left - 1 not in inside or doc[left - 1].text not in _ASIDE_OPENERS:
            continue
        span = set(range(left - 1, right + 1))
        if right + 1 in inside and doc[right + 1].text in {",", ")", "—", "–"}:
            span.add(right + 1)
        removed |= span & inside
    core = [i for i in indices if i not in removed]
    # An aside is cut only when a checkable core remains.
    if sum(1 for i in core if doc[i].is_alpha and not doc[i].is_stop) < 3:
        return set()
    return removed


_ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
_RECORD_ENTS = {"DATE", "TIME"} | set(QUANTITY_ENTS)
_PAST_AUX = frozenset({"has", "have", "had", "was", "were"})
_PRESENT_AUX = frozenset({"is", "are", "am", "has", "have"})


def _record(span) -> bool:
    """True when ``span`` names an actor or a place (an entity, or a proper noun the parse tags no entity) and
    either a date or figure or a main verb in the past or the present ("agreed", "has supplied", "is the chief
    executive of", "holds a stake in", "is moving into"): a record of what someone did or what is the case, not
    a forecast, a wish or an opinion ("Moscow will develop relations as it chooses": a modal's claim is the
    model's to score)."""
    labels = {ent.label_ for ent in span.ents}
    if not labels & _ACTOR_ENTS and not any(t.pos_ == "PROPN" for t in span):
        return False
    root = span.root
    auxiliaries = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" for c in auxiliaries):
        return bool(labels & _RECORD_ENTS) and bool(labels & _ACTOR_ENTS)
    helpers = {c.lower_ for c in auxiliaries}
    past = root.tag_ == "VBD" or (root.tag_ == "VBN" and bool(helpers & _PAST_AUX))
    present = root.tag_ in ("VBZ", "VBP") or (root.tag_ in ("VBG", "VBN") and bool(helpers & _PRESENT_AUX))
    return bool(labels & _RECORD_ENTS) or past or present


def _agrees(pronoun: str, token) -> bool:
    kind = _SUBJECT_PRONOUNS[pronoun]
    if kind == "person":
        return token.ent_type_ == "PERSON" or token.lower_ in _PERSON_NOUNS
    if kind == "sing":
        return token.tag_ in ("NN", "NNP") and token.ent_type_ != "PERSON"
    return token.tag_ in ("NNS", "NNPS") or token.ent_type_ in ("ORG", "GPE", "NORP")


def _antecedent(pronoun_token, unit: _Unit, doc, low: str) -> str | None:
    """Return what a subject pronoun of a claim stands for, where the parse makes it clear."""
    frame = unit.frame
    if frame is not None and frame.source:
        src_head = next((t for t in frame.source if t.head not in frame.source or t.head.i == t.i), frame.source[-1])
        if low == "i" or _agrees(low, src_head):
            return source_text(frame.source)
    if low in ("i", "we"):
        return None
    # Otherwise the nearest earlier subject in the sentence that agrees in number.
    for tok in reversed(doc[pronoun_token.sent.start : pronoun_token.i]):
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ in ("PROPN", "NOUN") and _agrees(low, tok):
            if frame is not None and tok in frame.source:
                continue
            return source_text(source_tokens(tok))
    if _SUBJECT_PRONOUNS[low] == "person":
        # No subject of the sentence is a person, and it names one person before the pronoun: "A jury convicted
        # … Marianne Holloway-Treece …, and she was given a six-year term". A possessor is not one ("Putin's
        # spokesman …, and he": the spokesman).
        named = {ent.text for ent in pronoun_token.doc.ents if ent.label_ == "PERSON" and ent.root.dep_ != "poss"
                 and pronoun_token.sent.start <= ent.start and ent.end <= pronoun_token.i
                 and not (frame is not None and any(t.i in range(ent.start, ent.end) for t in frame.source))}
        if len(named) == 1:
            return named.pop()
    return None


def _number(cues: list) -> str | None:
    """Return "sing" or "plur" for the head noun of a claim's source, if there is one."""
    for tokens, role in cues:
        if role == "source":
            head = next((t for t in tokens if t.head not in tokens or t.head.i == t.i), tokens[-1])
            if head.tag_ in ("NNS", "NNPS") or head.lower_ in ("they", "we"):
                return "plur"
            if head.ent_type_ == "PERSON" or head.lower_ in _PERSON_NOUNS or head.lower_ in ("he", "she"):
                return "person"
            return "sing"
    return None


_THIRD_PERSON = {"am": "is", "have": "has", "do": "does", "'m": "is", "'ve": "has"}


def _agreeing_verb(subject, kept: set[int]) -> dict[int, str]:
    """The verb that agrees with an "I" replaced by a name, in the third person: "I think …" said by Eileen
    Thwaite reads "Eileen Thwaite thinks …", not "Eileen Thwaite think …"."""
    if subject.dep_ not in ("nsubj", "nsubjpass"):
        return {}
    head = subject.head
    finite = next((c for c in head.children if c.dep_ in ("aux", "auxpass") and c.i > subject.i), None)
    verb = finite if finite is not None else head
    if verb.tag_ != "VBP" or verb.i not in kept:
        return {}
    low = verb.lower_
    if low in _THIRD_PERSON:
        word = _THIRD_PERSON[low]
    elif re.search(r"(?:s|sh|ch|x|z|o)$", low):
        word = low + "es"
    elif re.search(r"[^aeiou]y$", low):
        word = low[:-1] + "ies"
    else:
        word = low + "s"
    word = word if not verb.text[:1].isupper() else word.capitalize()
    # A contraction ("I'm", "I've") leaves no space after the name that replaces "I".
    return {verb.i: word if subject.whitespace_ else f" {word}"}


def _render(doc, indices: list[int], substitutions: dict[int, str]) -> str:
    """Join the claim's tokens into readable text, closing the gaps left by removed frames."""
    parts: list[str] = []
    previous = None
    for i in indices:
        tok = doc[i]
        if previous is not None and i != previous + 1:
            # A frame was cut out here: drop the comma or quote left dangling before the gap.
            while parts and parts[-1].strip() in (",", "—", "–", "-") :
                parts.pop()
            if parts and not parts[-1].endswith(" "):
                parts[-1] += " "
            if tok.is_punct and tok.text in ",—–":
                previous = i
                continue
        word = substitutions.get(i, tok.text)
        if word == "":  # covered by the substitution of an earlier token
            previous = i
            continue
        if i in substitutions and tok.is_sent_start is False and i == indices[0]:
            word = word[:1].upper() + word[1:]
        last = i
        while substitutions.get(last + 1) == "":
            last += 1
        parts.append(word + doc[last].whitespace_)
        previous = i
    text = "".join(parts).strip()
    # Quote marks that lost their partner when the frame came off only get in the way.
    for open_q, close_q in (("“", "”"), ('"', '"')):
        if open_q == close_q:
            if text.count(open_q) % 2:
                text = text.replace(open_q, "")
        elif text.count(open_q) != text.count(close_q):
            text = text.replace(open_q, "").replace(close_q, "")
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"\s{2,}", " ", text).strip(" ,;:")
    return text[:1].upper() + text[1:] if text else text


def _in_context(
    doc, indices: list[int], head, substitutions: dict[int, str], resolutions, anchor: dt.date | None
) -> tuple[dict[int, str], list[Resolved]]:
    """The substitutions that make a claim standalone (names, the offer meant, calendar dates), and what each resolved.

    A substitution applies only when the claim holds every word it replaces; an empty string marks a
    word covered by the substitution before it.
    """
    inside = set(indices)
    merged = dict(substitutions)
    resolved = [Resolved(doc[i].text, text) for i, text in substitutions.items() if text.lower() != doc[i].lower_]
    replacements = [(r.first, r.last, r.text, r.mention) for r in resolutions]
    replacements += [(min(a.tokens), max(a.tokens), a.text, a.mention) for a in same_year_dates(doc, indices)]
    if anchor is not None:
        replacements += [(min(a.tokens), max(a.tokens), a.text, a.mention) for a in anchor_dates(doc, indices, anchor)]
    for first, last, text, mention in sorted(replacements):
        covered = set(range(first, last + 1))
        if not covered <= inside or covered & merged.keys():
            continue
        merged[first] = text
        merged.update({i: "" for i in range(first + 1, last + 1)})
        resolved.append(Resolved(mention, text))
    return merged, resolved


# A dateline leads one of the body's first lines (a title and a standfirst may come before it).
_DATELINE_LINES = 3


def _without_dateline(lines: list[tuple[int, str]], start: int) -> list[tuple[int, str]]:
    """``lines`` (offset, text) with a dateline cut from the start of the first body line that has one
    ("SEOUL, June 17 (Reuters) - North Korea fired …" is a claim about North Korea, not about Seoul)."""
    body = [i for i, (offset, _) in enumerate(lines) if offset >= start][:_DATELINE_LINES]
    for i in body:
        offset, line = lines[i]
        cut = dateline_length(line)
        if cut:
            return lines[:i] + [(offset + cut, line[cut:])] + lines[i + 1:]
    return lines


class ClaimExtractor:
    """Split text into claims: one per checkable proposition, with status, source and check-worthiness."""

    def __init__(self, scorer: CheckworthinessScorer | None = None, use_model: bool = True) -> None:
        self._nlp = None
        self.use_model = use_model
        self.scorer = scorer or (CheckworthinessScorer() if use_model else None)

    def warm_up(self) -> None:
        """Load the shared spaCy pipeline and the check-worthiness model now rather than on first use."""
        if self._nlp is None:
            from factcheck.resources import get_nlp

            self._nlp = get_nlp()
        if self.scorer is not None:
            self.scorer.warm_up()

    def extract(self, text: str, date: dt.date | str | None = None) -> list[Claim]:
        """Return every claim in ``text`` in text order, non-check-worthy ones flagged.

        ``date`` is the article's date (``YYYY-MM-DD``); without it, the date the text gives for itself
        (front matter or dateline), if any, anchors relative dates in the claims' ``standalone`` form.
        """
        if not isinstance(text, str) or not text.strip():
            raise InputError("The text is empty — give an article or at least one sentence to check.")
        anchor = parse_date(date) or article_date(text)
        self.warm_up()
        context = ArticleContext()
        # Lines are hard boundaries: headings and captions have no final punctuation. A semicolon
        # joins independent clauses, and the parser tends to nest the first under the second.
        lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]
        lines = _without_dateline(lines, body_start(text))
        segments = [
            (offset + seg.start(), seg.group(), line)
            for offset, line in lines
            for seg in _SEGMENT.finditer(line)
            if seg.group().strip()
        ]
        drafts: list[_Draft] = []
        seen_lines: set[str] = set()
        previous_line = None
        texts = [segment for _, segment, _ in segments]
        for (offset, _segment, line), doc in zip(segments, self._nlp.pipe(texts, batch_size=64)):
            if previous_line is not None and line is not previous_line:
                seen_lines.add(" ".join(previous_line.split()).lower())
            previous_line = line
            for sent in doc.sents:
                if not sent.text.strip():
                    continue
                cap, reason = news_rule(sent.text, line, seen_lines, single_line=len(lines) == 1)
                resolutions = context.resolve(sent)
                for draft in self._propositions(sent, doc, offset, resolutions, anchor):
                    draft.cap, draft.reason = cap, reason
                    if cap is None:
                        draft.cap, draft.reason = opinion_rule(draft.head)
                    drafts.append(draft)
        self._resolve_links(drafts)
        self._score(drafts, alone=len(lines) == 1 and len({d.sentence_start for d in drafts}) == 1)
        claims = [d.to_claim(f"c{n}") for n, d in enumerate(drafts, start=1)]
        for d, claim in zip(drafts, claims):
            if d.antecedent is not None:
                target = claims[d.antecedent]
                claim.linked.append(target.id)
                target.linked.append(claim.id)
        log.debug("extracted %d claims from %d lines", len(claims), len(lines))
        return claims

    def _propositions(
        self, sent, doc, offset: int, resolutions: list[Substitution] = (), anchor: dt.date | None = None
    ) -> list[_Draft]:
        """Decompose one sentence into draft claims with spans in input coordinates."""
        sentence_tokens = [t for t in sent if not t.is_space]
        s_start = offset + sentence_tokens[0].idx
        s_end = offset + sentence_tokens[-1].idx + len(sentence_tokens[-1])
        sentence_text = doc.text[sentence_tokens[0].idx : sentence_tokens[-1].idx + len(sentence_tokens[-1])]
        units: list[_Unit] = []
        _walk(sent.root, None, units)
        for denial in _apposed_denials(sent):
            for unit in units:
                unit.tokens -= denial.tokens
            units = [u for u in units if u.tokens] + [denial]
        drafts = []
        for unit in sorted(units, key=lambda u: min(u.tokens)):
            indices = _trim(doc, sorted(i for i in unit.tokens if sent.start <= i < sent.end and not doc[i].is_space))
            if not indices or all(doc[i].is_punct for i in indices):
                continue
            first, last = doc[indices[0]], doc[indices[-1]]
            attribution = decide(unit.frame, unit.head, set(indices))
            substitutions = {}
            subject = subject_of(unit.head)
            if subject is None and doc[indices[0]].lower_ in _OBJECT_PRONOUNS:
                subject = doc[indices[0]]  # "accused him of …": the accused opens the claim
            if subject is not None and subject.i in indices:
                pronoun = _OBJECT_PRONOUNS.get(subject.lower_, subject.lower_)
                if pronoun in _SUBJECT_PRONOUNS:
                    resolved = _antecedent(subject, unit, doc, pronoun)
                    if resolved:
                        substitutions[subject.i] = resolved
                        if pronoun == "i":
                            substitutions.update(_agreeing_verb(subject, set(indices)))
            def render(kept: list[int], substituted: dict[int, str] = substitutions) -> str:
                text = _render(doc, kept, substituted)
                if unit.prefix and text and substituted.get(kept[0]) is None:
                    opening = doc[kept[0]].text
                    text = f"{unit.prefix[:1].upper()}{unit.prefix[1:]} {opening}{text[len(opening):]}"
                return text

            claim_text = render(indices)
            asides = _asides(doc, indices)
            core = [i for i in indices if i not in asides]
            in_context, context = _in_context(doc, indices, unit.head, substitutions, resolutions, anchor)
            query = render(core, in_context)
            parts = split_parts(doc, core, lambda kept: render(kept, in_context))
            drafts.append(
                _Draft(
                    text=claim_text,
                    query=query,
                    sentence=sentence_text,
                    start=offset + first.idx,
                    end=offset + last.idx + len(last),
                    sentence_start=s_start,
                    sentence_end=s_end,
                    status=attribution.status,
                    source=attribution.source,
                    cues=[
                        Cue(
                            text=doc.text[toks[0].idx : toks[-1].idx + len(toks[-1])],
                            start=offset + toks[0].idx,
                            end=offset + toks[-1].idx + len(toks[-1]),
                            role=role,
                        )
                        for toks, role in ((sorted(ts, key=lambda t: t.i), role) for ts, role in attribution.cues)
                        if toks
                    ],
                    source_number=_number(attribution.cues),
                    anaphoric=unit.anaphoric,
                    pronoun=unit.anaphoric and any(
                        doc[i].lower_ in ANAPHORIC_PRONOUNS and doc[i].dep_ in ("dobj", "nsubjpass") for i in indices
                    ),
                    quoted=sentence_text[:1] in _QUOTES,
                    has_frame=unit.frame is not None,
                    span=doc[indices[0] : indices[-1] + 1],
                    head=unit.head,
                    standalone=render(indices, in_context),
                    context=context,
                    parts=parts,
                )
            )
        return drafts

    @staticmethod
    def _resolve_links(drafts: list[_Draft]) -> None:
        """Point denials of "this" at the claim they deny, and carry a quote's speaker into its continuation."""
        sentence_order = sorted({d.sentence_start for d in drafts})
        for n, d in enumerate(drafts):
            # "…, though it said …": a pronoun source is the latest earlier source it can stand for.
            if d.source and d.source.lower() in _SOURCE_PRONOUNS:
                wanted = _SOURCE_PRONOUNS[d.source.lower()]
                for earlier in reversed(drafts[max(0, n - 4) : n]):
                    if earlier.source and earlier.source_number == wanted:
                        if earlier.source.lower() not in _SOURCE_PRONOUNS:
                            d.source = earlier.source
                            break
            target = drafts[n - 1] if n > 0 else None
            near = target is not None and sentence_order.index(d.sentence_start) - sentence_order.index(
                target.sentence_start
            ) <= 1
            # "denied this" points at the claim just before; "rejected the allegations" only at an allegation.
            if d.anaphoric and near and (d.pronoun or target.status in ("alleged", "attributed")):
                d.antecedent = n - 1
                d.text, d.query, d.standalone = target.text, target.query, target.standalone
                d.context, d.parts = list(target.context), list(target.parts)
                # A claim someone denies is contested: what its source says becomes an allegation.
                if target.status in ("asserted", "attributed"):
                    target.status = "alleged"
            elif d.quoted and not d.has_frame and d.status == "asserted" and n > 0:
                previous = drafts[n - 1]
                if previous.quoted and previous.source and previous.sentence_start != d.sentence_start:
                    # A quote that runs on into the next paragraph keeps its speaker.
                    d.status, d.source = "attributed", previous.source
                    d.cues.append(Cue(d.sentence[0], d.sentence_start, d.sentence_start + 1, "status"))

    def _score(self, drafts: list[_Draft], alone: bool = False) -> None:
        """Fill in check-worthiness: the model's score, or a rule's score where a rule applies.

        ``alone``: the input is one sentence, a claim given to be checked. When it records what named actors
        did or what is the case (a date or a figure, or a main verb in the past or the present: ``_record``), or
        the sentence around a relayed claim records who said it ("Putin wrote in Rodong Sinmun that …"), it is
        checked whatever the model scores (the model learnt from debate transcripts, and scores some such
        records under its threshold: "Kim Jong Un and Vladimir Putin first met in Vladivostok in April 2019"
        0.37, "Professor Rhian Talbot-Vance is the chief scientific officer of Glassmoth Robotics" 0.24); a
        rule's cap (opinion, question, boilerplate) still holds, a forecast is the model's to score, and
        chatter ("Thank you all for coming tonight.") names no actor."""
        # Rule-capped claims (headings, duplicates, boilerplate, opinion) keep the rule's score, and a
        # repeated claim is scored once: the encoder is the slowest stage.
        keys = [(d.text, d.span.text) for d in drafts if d.cap is None]
        unique = list(dict.fromkeys(keys))
        threshold = DEFAULT_THRESHOLD
        scored: dict = {}
        if self.scorer is not None and unique:
            first = {}
            for d in drafts:
                first.setdefault((d.text, d.span.text), d)
            spans = [first[k].span for k in unique]
            scored = dict(zip(unique, self.scorer.score(spans, [k[0] for k in unique])))
            threshold = self.scorer.threshold
        for d in drafts:
            if d.cap is not None:
                score = d.cap
            else:
                score = scored.get((d.text, d.span.text), UNSCORED_CHECKWORTHINESS)
            d.checkworthiness = round(float(min(max(score, 0.0), 1.0)), 4)
            d.checkworthy = d.cap is None and d.checkworthiness >= threshold
            if alone and d.cap is None and not d.checkworthy and (_record(d.span) or _record(d.span.sent)):
                d.checkworthy = True
                d.reason = ("given on its own: a record of what named actors did or what is the case, checked whatever "
                            "its score")
