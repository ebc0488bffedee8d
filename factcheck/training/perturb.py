"""In-domain stance pairs generated from reference sentences by small, known edits.

Each parsed sentence of a reference document is set against edited versions of itself, and each edit
has one label, chosen for what a fact-checker reads from the evidence (the claim is the edited or the
original sentence, the evidence the other):

| kind | claim | evidence | label | why |
|---|---|---|---|---|
| restated | the sentence | the sentence with its neighbour | supports | the evidence states it |
| paraphrase | the sentence without its context (connective, parenthesis, apposition) | the sentence | supports | |
| attribution | the sentence | "X said that …" / "According to X, …" | supports | a reported statement |
| number | a figure changed | the sentence | refutes | one figure, one true value |
| date | a month changed | the sentence | refutes | |
| negation | negated, or its negation removed | the sentence | refutes | |
| antonym | one word swapped for its opposite (hand list) | the sentence | refutes | |
| swapped_roles | subject and object swapped, for verbs whose roles exclude each other ("beat") | the sentence | refutes | only one side can have won |
| other_actor | its subject replaced by another entity of the same type | the sentence | neutral | the evidence says nothing about the other actor: roles are rarely exclusive ("Iran supplied drones" does not refute "Syria supplied drones") |
| denial | the sentence | "X denied that …" | neutral | a denial is one side of a dispute, never support, and not proof either: the judge weighs reported denials itself (``stance.denial_weight``), so the model must not read one as support nor count it twice |
| other_sentence | the sentence | another sentence of the same document sharing few of its words | neutral | on topic, states something else |

Everything here is pure and deterministic: a document's pairs depend only on its text, its id and the
seed, never on the order documents arrive in. Documents are assigned to the training or the evaluation
side by a hash of their id (:func:`split_of`), so no document feeds both.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from factcheck.errors import InputError

KIND_LABELS: dict[str, str] = {
    "restated": "supports",
    "paraphrase": "supports",
    "attribution": "supports",
    "detail_dropped": "supports",
    "number": "refutes",
    "date": "refutes",
    "negation": "refutes",
    "antonym": "refutes",
    "swapped_roles": "refutes",
    "other_actor": "neutral",
    "denial": "neutral",
    "other_sentence": "neutral",
}
KINDS = tuple(KIND_LABELS)

EVAL_BUCKETS = 10  # one document in ten goes to the evaluation side

_ACTOR_TYPES = ("PERSON", "ORG", "GPE", "NORP")
# Replacement actors when the document offers no other entity of the type.
_STAND_INS = {
    "PERSON": ("Maria Lopez", "Daniel Okafor", "Anna Berg", "Hiroshi Tanaka", "Samuel Price"),
    "ORG": ("the World Bank", "Greenpeace", "the Red Cross", "Siemens", "the University of Oslo"),
    "GPE": ("Brazil", "Canada", "Kenya", "Norway", "Vietnam", "Chile"),
    "NORP": ("Brazilian", "Canadian", "Kenyan", "Norwegian", "Chilean"),
}
# Who reports or denies when the sentence names no actor.
_SPEAKERS = ("Officials", "The ministry", "A spokesperson", "The authors", "The report", "Researchers")
_DENIERS = ("Officials", "The ministry", "A spokesperson", "The government", "The company")
# A sentence that already reports or denies is not wrapped in another report or denial.
_REPORTING = {"say", "deny", "report", "claim", "reject", "dismiss", "tell", "announce", "state", "allege", "accuse"}
_ATTRIBUTIONS = ("{x} said that {s}.", "According to {x}, {s}.", "{x} reported that {s}.")
_DENIALS = ("{x} denied that {s}.", "{x} has rejected claims that {s}.", "{x} dismissed reports that {s}.")

# Verbs whose subject and object cannot trade places and stay true: one side beats the other.
_EXCLUSIVE_ROLES = {"beat", "defeat", "outscore", "outvote", "outperform", "overtake", "succeed", "precede",
                    "replace", "oust", "unseat", "eliminate", "acquire"}

_ANTONYM_PAIRS = [
    ("increased", "decreased"), ("increase", "decrease"), ("increases", "decreases"), ("rose", "fell"),
    ("rise", "fall"), ("rising", "falling"), ("won", "lost"), ("win", "lose"), ("higher", "lower"),
    ("more", "fewer"), ("before", "after"), ("first", "last"), ("largest", "smallest"), ("larger", "smaller"),
    ("highest", "lowest"), ("high", "low"), ("older", "younger"), ("earlier", "later"), ("north", "south"),
    ("east", "west"), ("positive", "negative"), ("positively", "negatively"), ("above", "below"),
    ("maximum", "minimum"), ("success", "failure"), ("successful", "unsuccessful"), ("alive", "dead"),
    ("approved", "rejected"), ("accepted", "refused"), ("allowed", "banned"), ("strengthened", "weakened"),
    ("improved", "worsened"), ("improves", "worsens"), ("reduces", "raises"), ("reduced", "raised"),
    ("promotes", "inhibits"), ("promoted", "inhibited"), ("upregulates", "downregulates"),
    ("upregulated", "downregulated"), ("upregulation", "downregulation"), ("activates", "suppresses"),
    ("activated", "suppressed"), ("effective", "ineffective"), ("present", "absent"), ("presence", "absence"),
    ("legal", "illegal"), ("possible", "impossible"), ("majority", "minority"), ("joined", "left"),
    ("entered", "withdrew from"), ("agreed", "refused"), ("ally", "rival"), ("allies", "rivals"),
    ("support", "oppose"), ("supported", "opposed"), ("supports", "opposes"), ("long", "short"),
    ("strong", "weak"), ("stronger", "weaker"), ("greater", "smaller"), ("increasing", "decreasing"),
]
ANTONYMS: dict[str, str] = {}
for _a, _b in _ANTONYM_PAIRS:
    ANTONYMS.setdefault(_a, _b)
    ANTONYMS.setdefault(_b, _a)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_CONNECTIVES = re.compile(
    r"^(however|but|meanwhile|moreover|in addition|also|still|yet|instead|nevertheless|furthermore|indeed|"
    r"thus|therefore|as a result|in contrast|by contrast|at the same time|in turn|similarly|likewise|finally|"
    r"in particular|notably|separately|later|then)\s*,?\s+",
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"\s*\([^()]{1,120}\)")
# A figure that a changed value may still satisfy ("before 2012" -> "before 2013"): left alone.
_BOUND_BEFORE = re.compile(
    r"\b(before|after|since|until|by|over|under|than|least|most|nearly|about|around|approximately|almost|"
    r"up to|within|exceed\w*|between|through|some|roughly|more|less|fewer)\W*$",
    re.IGNORECASE,
)
_STOP = frozenset("""a an the of to in on at for by with from and or but that this these those is are was were be been
has have had it its as their his her they he she we which who whom than into over after before""".split())


@dataclass(frozen=True)
class ReferenceDocument:
    """A document's sentences, with a stable id and where it came from (``corpus``, ``scifact``, ``nli``)."""

    doc_id: str
    source: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class GeneratedPair:
    """One generated (claim, evidence) pair, its label, the edit that made it and the document it came from."""

    claim: str
    evidence: str
    label: str
    kind: str
    doc_id: str
    source: str

    def __post_init__(self) -> None:
        if KIND_LABELS.get(self.kind) != self.label:
            raise ValueError(f"a {self.kind!r} pair is labelled {KIND_LABELS.get(self.kind)!r}, not {self.label!r}")

    def to_dict(self) -> dict:
        return asdict(self)


def split_of(doc_id: str) -> str:
    """"eval" for one document id in ten (by a CRC32 hash, stable across runs), else "train"."""
    return "eval" if zlib.crc32(doc_id.encode("utf-8")) % EVAL_BUCKETS == 0 else "train"


# ---------------------------------------------------------------- edits on one parsed sentence


def _replace(span, start: int, end: int, new: str) -> str:
    """The span's text with characters [start, end) (offsets into the span's doc) replaced by new."""
    text = span.text
    base = span.start_char
    return text[: start - base] + new + text[end - base :]


def _body(span) -> str:
    """The sentence as a clause to embed ("X said that <body>"): out of context, no final stop, first letter
    lowered unless it starts a name."""
    text = (decontextualised(span) or span.text.strip()).rstrip(".!?;: ")
    first = next((t for t in span if t.text[:1] == text[:1]), span[0])
    acronym = len(first.text) > 1 and first.text.isupper()
    if first.pos_ != "PROPN" and first.text != "I" and not first.ent_type_ and not acronym:
        text = text[:1].lower() + text[1:]
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _subject(span):
    """The root's nominal subject token, or None."""
    for token in span.root.children:
        if token.dep_ in {"nsubj", "nsubjpass"}:
            return token
    return None


def _entity_of(token):
    """The entity span a token belongs to (an actor type only), or None."""
    if token is None or token.ent_type_ not in _ACTOR_TYPES:
        return None
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _with_article(ent) -> tuple[int, str]:
    """Where an entity mention starts and its text, with a leading "the" ("the Kremlin")."""
    if ent.start > ent.sent.start and ent.doc[ent.start - 1].lower_ == "the":
        before = ent.doc[ent.start - 1]
        return before.idx, ent.doc.text[before.idx : ent.end_char]
    return ent.start_char, ent.text


def number_changed(span, rng: random.Random) -> str | None:
    """The sentence with one figure changed (not one under a bound such as "more than" or "before"), or None."""
    candidates = []
    for token in span:
        if not token.like_num or not re.search(r"\d", token.text):
            continue
        before = span.doc.text[max(span.start_char, token.idx - 24) : token.idx]
        if _BOUND_BEFORE.search(before):
            continue
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", token.text):
            candidates.append(token)
    if not candidates:
        return None
    token = rng.choice(candidates)
    new = other_number(token.text, rng)
    if new == token.text:
        return None
    return _replace(span, token.idx, token.idx + len(token.text), new)


def date_changed(span, rng: random.Random) -> str | None:
    """The sentence with a month name (inside a date) changed to another month, or None."""
    for token in span:
        if token.text in _MONTHS and token.ent_type_ == "DATE":
            new = rng.choice([m for m in _MONTHS if m != token.text])
            return _replace(span, token.idx, token.idx + len(token.text), new)
    return None


def negated(span) -> str | None:
    """The sentence negated at its main verb, or with its negation removed; None where neither reads cleanly."""
    root = span.root
    if root.pos_ not in {"VERB", "AUX"} or " than " in span.text:
        return None
    negs = [t for t in root.children if t.dep_ == "neg"]
    if negs:
        neg = negs[0]
        if neg.text.lower() == "n't":
            return None  # "didn't" -> "did" needs the contraction rebuilt; not worth it
        start = neg.idx
        end = neg.idx + len(neg.text_with_ws)
        if start > span.start_char and span.doc.text[start - 1] == " ":
            start -= 1
            end -= 1 if neg.whitespace_ else 0
        return _replace(span, start, end, "")
    auxes = [t for t in root.children if t.dep_ in {"aux", "auxpass"} and t.i < root.i]
    if auxes:
        aux = auxes[0]
        return _replace(span, aux.idx + len(aux.text), aux.idx + len(aux.text), " not")
    if root.lemma_ == "be" and root.tag_ in {"VBZ", "VBP", "VBD"}:
        return _replace(span, root.idx + len(root.text), root.idx + len(root.text), " not")
    helper = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(root.tag_)
    if helper and root.pos_ == "VERB" and root.lemma_.isalpha():
        return _replace(span, root.idx, root.idx + len(root.text), f"{helper} not {root.lemma_}")
    return None


def antonym_swapped(span) -> str | None:
    """The sentence with its first hand-listed word swapped for the opposite, or None."""
    lowered = span.text.lower()
    if any(t.dep_ == "neg" for t in span):
        return None  # "was not increased" vs "was not decreased" is no contradiction
    for token in span:
        word = token.text.lower()
        opposite = ANTONYMS.get(word)
        if opposite is None or re.search(rf"\b{re.escape(opposite)}\b", lowered):
            continue
        if token.pos_ not in {"VERB", "ADJ", "ADV", "NOUN", "ADP", "AUX"}:
            continue
        new = _capitalise(opposite) if token.text[:1].isupper() else opposite
        return _replace(span, token.idx, token.idx + len(token.text), new)
    return None


# Words whose loss changes what a sentence claims, not only how much it says ("the only", "the first", "no").
_KEPT_DETAIL = frozenset({"only", "first", "last", "sole", "no", "never", "not", "all", "every", "each", "any",
                          "same", "other", "former", "alleged", "suspected", "so-called", "fake", "false",
                          "ex", "non", "without", "except", "instead", "unlike"})


def detail_dropped(span, rng: random.Random) -> str | None:
    """The sentence less one detail the evidence keeps, as a claim the full sentence supports: a prepositional
    phrase of 2-6 words on the main verb ("cut its rate to 5 percent on 1 August 2024" -> "cut its rate to 5
    percent"). The reader of a fuller sentence should find a shorter claim supported, not read each detail the
    claim leaves out as changed. Never in a negated or compared sentence (there a lost detail makes the claim
    say more, "did not sell arms in 2020"), never a phrase with a word that changes what is claimed ("only",
    "first", "no"). Not an adjective: "a landing" is not what "a soft landing" says."""
    if any(t.dep_ == "neg" for t in span) or " than " in span.text or not span.text.strip().endswith("."):
        return None
    root = span.root
    options = []
    for token in root.children:
        if token.dep_ == "prep" and token.i > root.i:
            phrase = span.doc[token.left_edge.i : token.right_edge.i + 1]
            words = [t for t in phrase if not t.is_punct]
            if 2 <= len(words) <= 6 and not any(t.lower_ in _KEPT_DETAIL for t in phrase):
                options.append(phrase)
    if not options:
        return None
    cut = rng.choice(options)
    start, end = cut.start_char, cut.end_char
    text = span.doc.text
    if start > span.start_char and text[start - 1] == " ":
        start -= 1  # the space before the detail goes with it
    elif end < span.end_char and text[end : end + 1] == " ":
        end += 1
    shorter = re.sub(r"\s+([,.;:])", r"\1", _replace(span, start, end, ""))
    shorter = re.sub(r",\s*,", ",", shorter).strip()
    return shorter if len(shorter.split()) >= 4 and shorter != span.text.strip() else None


def roles_swapped(span) -> str | None:
    """Subject and object traded for a verb whose roles exclude each other ("A beat B" -> "B beat A"), or None."""
    root = span.root
    if root.lemma_.lower() not in _EXCLUSIVE_ROLES:
        return None
    subject = _entity_of(_subject(span))
    objects = [t for t in root.children if t.dep_ == "dobj"]
    obj = _entity_of(objects[0]) if objects else None
    if subject is None or obj is None or subject.text == obj.text or subject.end > obj.start:
        return None
    text = span.doc.text
    swapped = text[span.start_char : subject.start_char] + obj.text + text[subject.end_char : obj.start_char]
    return swapped + subject.text + text[obj.end_char : span.end_char]


def actor_replaced(span, document_entities: Sequence[tuple[str, str]], rng: random.Random) -> str | None:
    """The sentence with its subject (a person, organisation, place or people) replaced by another of the same
    type; None without such a subject, or for a verb whose roles exclude each other ("beat").

    People and organisations come from the same document when it names others; places and peoples always
    from a stand-in list, because a document's other places are often the same actor by another name
    ("Pyongyang" for North Korea), which would make the label wrong."""
    subject = _entity_of(_subject(span))
    if subject is None or span.root.lemma_.lower() in _EXCLUSIVE_ROLES:
        return None
    in_sentence = span.text.lower()
    in_document = " ".join(text.lower() for text, _ in document_entities)
    others = []
    if subject.label_ in {"PERSON", "ORG"}:
        others = sorted({text for text, label in document_entities
                         if label == subject.label_ and text.lower() not in in_sentence
                         and not set(text.lower().split()) & set(subject.text.lower().split())})
    pool = others or [s for s in _STAND_INS[subject.label_]
                      if s.lower().removeprefix("the ") not in in_sentence + " " + in_document]
    if not pool:
        return None
    new = rng.choice(pool)
    start, _ = _with_article(subject)
    if start == span.start_char:
        new = _capitalise(new)
    return _replace(span, start, subject.end_char, new)


def decontextualised(span) -> str | None:
    """The sentence without what ties it to its context: a leading connective, parentheses, an apposition.
    None when nothing was removed."""
    text = span.text.strip()
    for appos in [t for t in span if t.dep_ == "appos"]:
        sub = span.doc[appos.left_edge.i : appos.right_edge.i + 1]
        before = span.doc.text[sub.start_char - 2 : sub.start_char]
        after = span.doc.text[sub.end_char : sub.end_char + 1]
        if before == ", " and after == "," and len(sub) <= 12:
            text = text.replace(", " + sub.text + ",", "", 1)
            break
    text = _PARENTHESIS.sub("", text)
    stripped = _CONNECTIVES.sub("", text, count=1)
    if stripped != text:
        text = _capitalise(stripped)
    text = re.sub(r"\s+", " ", text).strip()
    return text if text != span.text.strip() and len(text.split()) >= 4 else None


def _speaker(span, document_entities: Sequence[tuple[str, str]], rng: random.Random, *, accused: bool) -> str:
    """Who reports or denies the sentence: its own subject when accused (a party denying what it is said to
    have done), else another actor of the document, else a generic speaker."""
    subject = _entity_of(_subject(span))
    if accused and subject is not None and subject.label_ != "NORP":
        return _capitalise(_with_article(subject)[1])
    # Only actors the document names twice: a one-off "organisation" is often a mis-tagged phrase.
    named = Counter(text for text, label in document_entities if label in {"PERSON", "ORG"})
    actors = sorted(text for text, count in named.items() if count > 1 and (subject is None or text != subject.text))
    return rng.choice(actors) if actors and rng.random() < 0.5 else rng.choice(_DENIERS if accused else _SPEAKERS)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2}


def _usable(span) -> bool:
    words = [t for t in span if t.is_alpha]
    return 6 <= len(words) <= 60 and span.root.pos_ in {"VERB", "AUX"} and span.text.strip()[-1:] in {".", "!"}


# ---------------------------------------------------------------- documents -> pairs


def sentence_pairs(sentences: Sequence, index: int, document_entities: Sequence[tuple[str, str]],
                   doc_id: str, source: str, rng: random.Random) -> list[GeneratedPair]:
    """Every pair the edits make from sentence ``index`` of a parsed document (one per kind that applies)."""
    span = sentences[index]
    sentence = span.text.strip()
    out: list[GeneratedPair] = []

    def add(kind: str, claim: str | None, evidence: str | None) -> None:
        if claim and evidence and claim.strip() != evidence.strip():
            out.append(GeneratedPair(claim.strip(), evidence.strip(), KIND_LABELS[kind], kind, doc_id, source))

    if len(sentences) > 1:
        first, second = (span, sentences[index + 1]) if index + 1 < len(sentences) else (sentences[index - 1], span)
        add("restated", sentence, f"{first.text.strip()} {second.text.strip()}")
    add("paraphrase", decontextualised(span), sentence)
    body = _body(span)
    reports = span.root.lemma_.lower() in _REPORTING
    speaker = _speaker(span, document_entities, rng, accused=False)
    template = rng.choice(_ATTRIBUTIONS)
    if template.startswith("According") and speaker in _SPEAKERS:
        speaker = speaker[:1].lower() + speaker[1:]
    add("attribution", sentence, None if reports else _capitalise(template.format(x=speaker, s=body)))
    add("detail_dropped", detail_dropped(span, rng), sentence)
    add("number", number_changed(span, rng), sentence)
    add("date", date_changed(span, rng), sentence)
    add("negation", negated(span), sentence)
    add("antonym", antonym_swapped(span), sentence)
    add("swapped_roles", roles_swapped(span), sentence)
    add("other_actor", actor_replaced(span, document_entities, rng), sentence)
    denier = _speaker(span, document_entities, rng, accused=True)
    add("denial", sentence, None if reports else rng.choice(_DENIALS).format(x=denier, s=body))
    words = _content_words(sentence)
    others = [s for i, s in enumerate(sentences) if i != index
              and len(words & _content_words(s.text)) <= 0.25 * max(1, len(words))]
    if others:
        add("other_sentence", sentence, rng.choice(others).text.strip())
    return out


def generate_pairs(documents: Iterable[ReferenceDocument], nlp, *, seed: int = 13,
                   batch_size: int = 64) -> Iterator[GeneratedPair]:
    """Parse each document's sentences with ``nlp`` (spaCy) and yield the pairs of every usable sentence.

    Sentences are parsed one by one (their boundaries are the document's), so a document's pairs depend only on
    its sentences, its id and the seed.
    """
    for document in documents:
        rng = random.Random(f"{seed}:{document.doc_id}")
        parsed = [doc[:] for doc in nlp.pipe(document.sentences, batch_size=batch_size)]
        entities = [(ent.text, ent.label_) for span in parsed for ent in span.ents if ent.label_ in _ACTOR_TYPES]
        for index, span in enumerate(parsed):
            if _usable(span):
                yield from sentence_pairs(parsed, index, entities, document.doc_id, document.source, rng)


def other_number(token: str, rng: random.Random) -> str:
    """A plausible but different number in the same format as token (years move by a few years)."""
    plain = token.replace(",", "")
    if "." in plain:
        value = float(plain)
        decimals = len(plain.split(".")[1])
        step = max(10**-decimals, round(value * rng.uniform(0.1, 0.4), decimals))
        new = value + rng.choice([-1, 1]) * step
        if new < 0:
            new = value + step
        return f"{new:.{decimals}f}"
    value = int(plain)
    if 1500 <= value <= 2100 and len(plain) == 4:
        new = value + rng.choice([-10, -3, -2, -1, 1, 2, 3, 10])
    elif value < 10:
        new = rng.choice([v for v in range(0, 13) if v != value])
    else:
        new = value + rng.choice([-1, 1]) * max(1, int(value * rng.uniform(0.1, 0.5)))
        new = abs(new) if new != value else value + 1
    return f"{new:,}" if "," in token else str(new)


# ---------------------------------------------------------------- reference documents


def corpus_documents(folder: Path, nlp) -> list[ReferenceDocument]:
    """The reference documents under folder (what `factcheck ingest` reads), split into sentences."""
    from factcheck.evidence.loaders import SkippedFile, iter_files, load_file

    documents = []
    for path in sorted(p for p in iter_files([folder]) if not isinstance(p, SkippedFile)):
        for doc in load_file(path):
            text = "\n".join(line for line in doc.text.splitlines() if not line.lstrip().startswith("#"))
            sentences = doc.sentences or [s.text.strip() for s in nlp(text).sents if s.text.strip()]
            documents.append(ReferenceDocument(f"corpus:{doc.doc_id}", "corpus", tuple(sentences)))
    if not documents:
        raise InputError(f"No reference documents under {folder}; pass --corpus pointing at the corpus/ folder.")
    return documents


def scifact_documents(scifact_dir: Path, limit: int | None = None, seed: int = 13) -> list[ReferenceDocument]:
    """SciFact abstracts that no claim outside the stance model's training quarter cites (so no evidence the
    calibration or evaluation claims are judged on is edited into training pairs); ``limit`` samples them."""
    from factcheck.training.calibration import trains_stance_model

    corpus_path, claims_path = scifact_dir / "corpus.jsonl", scifact_dir / "claims_train.jsonl"
    for path in (corpus_path, claims_path):
        if not path.is_file():
            raise InputError(f"SciFact file {path} does not exist; pass --scifact pointing at shared/data/scifact.")
    held: set[int] = set()
    with claims_path.open(encoding="utf-8") as fh:
        for claim in (json.loads(line) for line in fh if line.strip()):
            if not trains_stance_model(claim["id"]):
                held.update(int(d) for d in claim.get("evidence") or {})
                held.update(int(d) for d in claim.get("cited_doc_ids") or [])
    documents = []
    with corpus_path.open(encoding="utf-8") as fh:
        for row in (json.loads(line) for line in fh if line.strip()):
            if int(row["doc_id"]) not in held and row.get("abstract"):
                documents.append(ReferenceDocument(f"scifact:{row['doc_id']}", "scifact", tuple(row["abstract"])))
    if limit is not None and limit < len(documents):
        documents = sorted(random.Random(seed).sample(documents, limit), key=lambda d: d.doc_id)
    return documents


def nli_premise_documents(train_path: Path, limit: int | None = None, seed: int = 13) -> list[ReferenceDocument]:
    """Distinct premises of the NLI training split (never the held-out one), each a one- or few-sentence document."""
    if not train_path.is_file():
        raise InputError(f"NLI training file {train_path} does not exist; pass --data pointing at shared/data/nli.")
    premises: dict[str, str] = {}
    with train_path.open(encoding="utf-8") as fh:
        for row in (json.loads(line) for line in fh if line.strip()):
            premise = " ".join(row["premise"].split())
            premises.setdefault(premise, row.get("source", "nli"))
    ordered = sorted(premises)
    if limit is not None and limit < len(ordered):
        ordered = sorted(random.Random(seed).sample(ordered, limit))
    return [ReferenceDocument(f"nli:{zlib.crc32(p.encode('utf-8')):08x}", "nli", _split_premise(p)) for p in ordered]


def _split_premise(premise: str) -> tuple[str, ...]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", premise)
    return tuple(p for p in parts if p)


def reference_documents(*, corpus_dir: Path | None, scifact_dir: Path | None, nli_train: Path | None, nlp,
                        scifact_limit: int | None = None, nli_limit: int | None = None,
                        seed: int = 13) -> list[ReferenceDocument]:
    """The documents pairs are generated from: the shipped corpus, SciFact abstracts no held-out claim uses,
    and NLI training premises (each source optional, the last two sampled to a limit)."""
    documents: list[ReferenceDocument] = []
    if corpus_dir is not None:
        documents += corpus_documents(corpus_dir, nlp)
    if scifact_dir is not None:
        documents += scifact_documents(scifact_dir, scifact_limit, seed)
    if nli_train is not None:
        documents += nli_premise_documents(nli_train, nli_limit, seed)
    return documents
