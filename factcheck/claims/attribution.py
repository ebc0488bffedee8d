"""Attribution: who a claim comes from and how firmly it is put, read off the dependency parse.

A *frame* is a reporting construction that governs a clause: a reporting verb and its subject
("Washington says …", "…, the Kremlin said"), "quoted X as saying", a passive report ("is alleged
to …"), a participle ("…, accusing X of …") or "according to X". Markers inside the clause itself
("reportedly", "could", "is expected to") refine the status. Only the frame that governs a clause
in the parse counts, so "denied" inside someone else's quoted clause cannot flip the wrong claim.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# Most specific first: when several cues apply to one claim the earliest status here wins.
STATUS_PRIORITY = ("denied", "alleged", "hedged", "attributed", "asserted")

REPORTING_VERBS: dict[str, str] = {
    **dict.fromkeys(
        "say tell announce state add note confirm explain warn write declare insist argue quote reply respond "
        "stress report tweet post testify acknowledge admit agree point reveal disclose conclude recall "
        "indicate find show say emphasise emphasize tell assert maintain mention observe remark caution "
        "complain boast brief inform notify".split(),
        "attributed",
    ),
    # "claim" vouches for its content less than "say" does: an allegation.
    **dict.fromkeys("claim allege accuse suspect charge contend rumor rumour purport".split(), "alleged"),
    **dict.fromkeys("deny reject dismiss refute dispute rebut deny contradict".split(), "denied"),
    **dict.fromkeys("believe think expect fear predict estimate forecast speculate hope suggest guess".split(), "hedged"),
}

# Passive reports: "X is alleged/said/believed to …", "it is reported that …".
PASSIVE_REPORT = {
    **dict.fromkeys("allege say report rumor rumour suspect accuse claim purport".split(), "alleged"),
    **dict.fromkeys("believe think expect estimate predict fear".split(), "hedged"),
}
ALLEGING_ADVERBS = {"reportedly", "allegedly", "purportedly", "supposedly", "apparently", "ostensibly"}
HEDGING_ADVERBS = {"possibly", "perhaps", "probably", "maybe", "likely", "potentially", "conceivably"}
HEDGING_MODALS = {"could", "may", "might"}
HEDGING_PREDICATES = {"likely", "unlikely", "possible"}  # "is likely to …"
HEDGING_RAISING = {"seem", "appear", "tend"}
# Nouns that stand for a claim made earlier: "denied this", "rejected the allegations".
ANAPHORIC_NOUNS = {
    "allegation", "claim", "report", "accusation", "charge", "assertion", "suggestion", "story", "rumour",
    "rumor", "assessment", "finding", "account",
}
ANAPHORIC_PRONOUNS = {"this", "that", "it", "these", "those", "them", "so"}
UNSOURCED_REPORTS = {"report", "reports", "sources", "source", "media", "rumours", "rumors"}
# A share of a group as the one who says: "48% of prisoners said …", "two-thirds of voters say …", "a majority of
# respondents said …". What such a sentence reports is a survey's finding, figure included, not a speaker's word.
SHARE_WORDS = {"%", "percent", "cent", "half", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth",
               "tenths", "majority", "minority", "proportion", "share"}


@dataclass
class Frame:
    """A reporting construction that governs a clause."""

    status: str
    cue: list  # tokens to highlight as the status cue
    source: list = field(default_factory=list)  # tokens naming who reports it ([] when unnamed)
    frame_tokens: set = field(default_factory=set)  # token indices that belong to the frame, not the claim
    negated: bool = False
    passive: bool = False  # "X is alleged to …": X is the claim's subject, not its source


@dataclass
class Attribution:
    """The status, source and deciding cues of one claim."""

    status: str = "asserted"
    source: str | None = None
    cues: list = field(default_factory=list)  # (token list, role) pairs, turned into Cue by the caller


def _lemma(token) -> str:
    return token.lemma_.lower()


def is_negated(token) -> bool:
    """Return True when ``token`` carries a negation ("not", "never", "n't")."""
    return any(c.dep_ == "neg" for c in token.children)


def subject_of(verb):
    """Return the subject token of ``verb`` (active or passive), or None."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return child
    return None


def is_share(subject) -> bool:
    """True for a subject that is a share of a group ("48% of prisoners", "a majority of respondents")."""
    return (subject is not None and subject.lower_ in SHARE_WORDS
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in subject.children))


def source_tokens(head) -> list:
    """Return the tokens naming a source: the subject's phrase, cut before an appositive or relative clause."""
    tokens = list(head.subtree)
    kept = []
    for tok in tokens:
        if tok.i > head.i and (tok.is_punct or tok.dep_ in ("relcl", "acl", "appos")):
            break
        if tok.i < head.i and tok.dep_ in ("punct",) and tok.text in "“”\"(":
            continue
        kept.append(tok)
    # Drop an opening conjunction ("But Moscow") or quote mark picked up at the phrase's edge.
    while kept and (kept[0].dep_ in ("cc", "punct") or kept[0].is_punct):
        kept.pop(0)
    while kept and kept[-1].is_punct:
        kept.pop()
    return kept


def source_text(tokens: list) -> str | None:
    """Return a source's display text: the phrase as written, a sentence-initial article lower-cased."""
    if not tokens:
        return None
    text = "".join(t.text_with_ws for t in tokens).strip()
    first = tokens[0]
    if first.is_sent_start and first.lower_ in ("the", "a", "an") and len(tokens) > 1:
        text = first.lower_ + text[len(first.text):]
    return text


def content_of(verb) -> list:
    """Return the clause heads a reporting verb reports (its complements), in text order."""
    # A bare base form with no auxiliary, "to" or "that" is no clause: the tagger took a noun for a verb
    # ("declared a measles outbreak on 14 February": "outbreak" parsed as a clause whose subject is "measles").
    heads = [c for c in verb.children if c.dep_ == "ccomp" and not (
        c.tag_ == "VB" and not any(g.dep_ in ("aux", "auxpass", "mark", "neg") for g in c.children))]
    if not heads:
        heads = [c for c in verb.children if c.dep_ == "parataxis" and c.pos_ in ("VERB", "AUX") and c.i < verb.i]
    return heads


def reporting_frame(verb) -> tuple[Frame | None, list]:
    """Return (frame, content heads) when ``verb`` reports other clauses, else (None, [])."""
    lemma = _lemma(verb)
    negated = is_negated(verb)
    neg_tokens = [c for c in verb.children if c.dep_ == "neg"]
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)

    # "X is alleged to have …" / "X is accused of …" / "it is reported that …"
    if passive and lemma in PASSIVE_REPORT:
        xcomps = [c for c in verb.children if c.dep_ in ("xcomp",)]
        of_clauses = [
            p for c in verb.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pcomp"
        ]
        ccomps = [c for c in verb.children if c.dep_ == "ccomp"]
        heads = xcomps or of_clauses or ccomps
        if heads:
            agent = [a for c in verb.children if c.dep_ == "agent" for a in c.children if a.dep_ == "pobj"]
            frame_tokens = {verb.i} | {c.i for c in verb.children if c.dep_ in ("auxpass", "aux", "neg", "advmod")}
            for h in heads:
                # "is alleged to have supplied" reads as "supplied"; "is expected to cut" keeps its "to".
                perfect = [t for t in h.children if t.dep_ == "aux" and t.lower_ == "have"]
                if perfect or h.tag_ in ("VBN", "VBD"):
                    frame_tokens |= {t.i for t in h.children if t.dep_ == "aux" and t.lower_ in ("to", "have")}
            for c in verb.children:
                if c.dep_ in ("agent", "prep", "punct") and c not in [h.head for h in of_clauses]:
                    frame_tokens |= {t.i for t in c.subtree}
                if c.dep_ == "prep" and c.lower_ == "of":
                    frame_tokens.add(c.i)
                if c.dep_ == "nsubjpass" and c.lower_ == "it":  # expletive "it is reported that"
                    frame_tokens.add(c.i)
            status = PASSIVE_REPORT[lemma]
            source = source_tokens(agent[0]) if agent else []
            return Frame(status, [verb], source, frame_tokens, negated, passive=True), heads

    if lemma not in REPORTING_VERBS or verb.pos_ not in ("VERB", "AUX"):
        return None, []
    if passive and lemma in PASSIVE_REPORT:
        # "The referee was accused of bias by both teams": the whole clause is the allegation.
        agent = [a for c in verb.children if c.dep_ == "agent" for a in c.children if a.dep_ == "pobj"]
        return Frame(PASSIVE_REPORT[lemma], [verb], source_tokens(agent[0]) if agent else []), [("whole", verb)]
    status = REPORTING_VERBS[lemma]
    subject = subject_of(verb)
    if is_share(subject):
        return None, []
    source = source_tokens(subject) if subject is not None else []
    heads = content_of(verb)

    # "RIA quoted a Kremlin aide as saying": the quoted person is the source.
    if lemma == "quote":
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None:
            source = source_tokens(obj)
        if not heads:  # "… as saying talks had failed": the content hangs off "saying"
            saying = [p for c in verb.children if c.lower_ == "as" for p in c.children if p.dep_ == "pcomp"]
            heads = [h for p in saying for h in content_of(p)]

    # "accusing the United States of seeking to …": the accused's act is the content.
    if lemma in ("accuse", "suspect", "charge"):
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        # "of" may hang off the object, a conjoined object ("the US and its allies of …") or the verb.
        holders = {verb.i} | ({t.i for t in obj.subtree if t.i == obj.i or t.dep_ == "conj"} if obj is not None else set())
        of_clauses = [
            p
            for c in verb.subtree
            if c.dep_ == "prep" and c.lower_ == "of" and c.head.i in holders
            for p in c.children
            if p.dep_ == "pcomp"
        ]
        if obj is not None and of_clauses:
            frame_tokens = {t.i for t in verb.subtree} - {t.i for t in obj.subtree} - {
                t.i for h in of_clauses for t in h.subtree
            }
            frame_tokens |= {h.head.i for h in of_clauses}
            # The accused is the claim's subject: keep it, drop the "of" that links it.
            return Frame("alleged", [verb], source, frame_tokens, negated), [("accused", obj, of_clauses[0])]

    if status == "alleged" and not heads:
        # "Prosecutors accused the minister of fraud": an allegation without a clause of its own.
        return Frame("alleged", [verb], source), [("whole", verb)]

    # Denials of an earlier claim: "denied this", "rejected the allegations", "denied supplying arms".
    if status == "denied" and not heads:
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "xcomp", "pcomp")), None)
        if obj is not None:
            frame_tokens = {t.i for t in verb.subtree} - {t.i for t in obj.subtree}
            return Frame("denied", [verb], source, frame_tokens, negated), [obj]

    if not heads:
        return None, []
    frame_tokens = {t.i for t in verb.subtree} - {t.i for h in heads for t in h.subtree}
    cue = [verb]
    if negated:
        cue += neg_tokens
        # A negated report leaves the content unconfirmed ("did not confirm that …"); a negated denial
        # leaves it standing as the speaker's position.
        status = {"attributed": "alleged", "denied": "attributed"}.get(status, status)
    return Frame(status, cue, source, frame_tokens, negated), heads


def according_to(head) -> tuple[list, list] | None:
    """Return (cue tokens, source tokens) for an "according to X" attached to ``head``, else None."""
    for child in head.children:
        if child.lower_ == "according" and child.dep_ in ("prep", "advcl", "advmod"):
            to = next((c for c in child.children if c.lower_ == "to"), None)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if pobj is not None:
                return [child, to], source_tokens(pobj)
    return None


def clause_markers(head) -> list[tuple[str, list]]:
    """Return (status, cue tokens) for status markers on a clause head: adverbs, modals, raising verbs."""
    found = []
    for child in head.children:
        low = child.lower_
        if child.dep_ == "advmod" and low in ALLEGING_ADVERBS:
            found.append(("alleged", [child]))
        elif child.dep_ == "advmod" and low in HEDGING_ADVERBS:
            found.append(("hedged", [child]))
        elif child.dep_ == "aux" and child.tag_ == "MD" and low in HEDGING_MODALS:
            found.append(("hedged", [child]))
    # "is likely to sign", "seems to have": the hedge sits on the head's governor.
    gov = head.head
    if head.dep_ == "xcomp" and gov is not head:
        if _lemma(gov) in HEDGING_RAISING or gov.lower_ in HEDGING_PREDICATES:
            found.append(("hedged", [gov]))
    if _lemma(head) in HEDGING_RAISING and any(c.dep_ == "xcomp" for c in head.children):
        found.append(("hedged", [head]))
    for child in head.children:
        if child.dep_ == "acomp" and child.lower_ in ("likely", "unlikely", "possible"):
            found.append(("hedged", [child]))
    return found


def decide(frame: Frame | None, head, clause_tokens: set) -> Attribution:
    """Combine the governing frame and the clause's own markers into one attribution."""
    candidates: list[tuple[str, list, list]] = []  # (status, cue tokens, source tokens)
    if frame is not None:
        candidates.append((frame.status, frame.cue, frame.source))
    acc = according_to(head)
    if acc is not None:
        cue, src = acc
        unsourced = bool(src) and src[-1].lower_ in UNSOURCED_REPORTS and not any(t.ent_type_ for t in src)
        candidates.append(("alleged" if unsourced else "attributed", cue, [] if unsourced else src))
    for status, cue in clause_markers(head):
        if all(t.i in clause_tokens for t in cue) or cue[0].head == head or cue[0] == head.head:
            candidates.append((status, cue, []))
    if not candidates:
        return Attribution()
    status = min((c[0] for c in candidates), key=STATUS_PRIORITY.index)
    source = next((c[2] for c in candidates if c[2]), [])
    cues = [(c[1], "status") for c in candidates]
    if source:
        cues.append((source, "source"))
    return Attribution(status=status, source=source_text(source), cues=cues)
