"""Check-worthiness: how much a sentence is worth fact-checking, in 0..1.

A logistic regression over MiniLM sentence embeddings and a few linguistic features (numbers,
dates, named actors, tense, opinion and question markers), trained on CLEF CheckThat! 2019 debate
sentences by ``factcheck.training.checkworthiness``. Its coefficients ship as JSON in
``factcheck/models/checkworthiness/`` so loading cannot execute code. News-article rules
(headings, captions, boilerplate, questions) are applied on top by ``news_rule``.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from factcheck.errors import ModelError
from factcheck.resources import MODELS_DIR

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = MODELS_DIR / "checkworthiness"
MODEL_FILE = "model.json"

_OPINION_LEMMAS = {"think", "believe", "feel", "hope", "guess", "love", "hate", "want", "wish", "like", "suppose"}
_EVALUATIVE = {
    "great", "terrible", "wonderful", "horrible", "bad", "good", "best", "worst", "amazing", "beautiful",
    "disgraceful", "incredible", "tremendous", "sad", "nice", "proud", "happy", "shameful", "excellent",
    "awful", "fantastic", "victory", "disaster", "important", "greatest", "finest", "brilliant", "shameful",
}
# Words that judge rather than report, for the opinion rule only (the model's features keep _EVALUATIVE).
_JUDGEMENTS = _EVALUATIVE | {
    "betrayal", "disgrace", "reckless", "scandal", "scandalous", "shame", "outrage", "outrageous", "travesty",
    "insult", "irresponsible", "unacceptable", "ridiculous", "absurd", "triumph", "catastrophe", "fiasco",
    "mistake", "failure", "pathetic", "disgusting", "appalling", "unfair", "unjust", "hypocrisy", "hypocritical",
}
_NORMATIVE_AUX = {"should", "ought", "must"}
_FIRST_PERSON = {"i", "me", "my", "we", "us", "our", "mine", "ours"}
_QUANTITY_ENTS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
_TIME_ENTS = {"DATE", "TIME"}
_ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
_EVENT_ENTS = {"EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}

FEATURE_NAMES = (
    "log_tokens",
    "short",
    "question",
    "exclamation",
    "has_number",
    "n_quantity_ents",
    "has_time",
    "n_actor_ents",
    "has_event",
    "past_tense",
    "perfect",
    "future_will",
    "modal",
    "first_person",
    "second_person",
    "opinion_verb",
    "evaluative",
    "superlative_comparative",
    "negation",
    "quote_mark",
    "imperative",
    "no_verb",
)


def linguistic_features(span) -> list[float]:
    """Return the hand-made features of a spaCy ``Doc`` or ``Span``, in ``FEATURE_NAMES`` order."""
    words = [t for t in span if not t.is_punct and not t.is_space]
    n = max(len(words), 1)
    lower = [t.lower_ for t in words]
    ents = list(span.ents)
    text = span.text.strip()
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in span)
    root = next((t for t in span if t.dep_ == "ROOT"), None)
    imperative = bool(
        root is not None and root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children)
    )
    return [
        math.log1p(n),
        float(n < 6),
        float(text.endswith("?")),
        float(text.endswith("!")),
        float(any(t.like_num for t in words)),
        min(sum(e.label_ in _QUANTITY_ENTS for e in ents), 3) / 3,
        float(any(e.label_ in _TIME_ENTS for e in ents)),
        min(sum(e.label_ in _ACTOR_ENTS for e in ents), 4) / 4,
        float(any(e.label_ in _EVENT_ENTS for e in ents)),
        float(any(t.tag_ == "VBD" for t in span)),
        float(any(t.tag_ == "VBN" and any(c.lemma_ == "have" and c.dep_ == "aux" for c in t.children) for t in span)),
        float(any(t.lower_ in ("will", "'ll", "gonna") for t in span)),
        float(any(t.tag_ == "MD" and t.lower_ not in ("will", "'ll") for t in span)),
        sum(w in _FIRST_PERSON for w in lower) / n,
        float("you" in lower or "your" in lower),
        float(any(t.lemma_.lower() in _OPINION_LEMMAS and t.pos_ == "VERB" for t in span)),
        float(any(w in _EVALUATIVE for w in lower)),
        float(any(t.tag_ in ("JJS", "RBS", "JJR", "RBR") for t in span)),
        float(any(t.dep_ == "neg" for t in span)),
        float(any(ch in text for ch in "\"“”")),
        float(imperative),
        float(not has_verb),
    ]


# Check-worthy when the model finds it more likely than not; a trained model stores its own threshold.
DEFAULT_THRESHOLD = 0.5


@dataclass
class CheckworthinessModel:
    """Standardised logistic-regression weights over [embedding, linguistic features]."""

    feature_names: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float = DEFAULT_THRESHOLD
    embedding_dim: int = 384
    metrics: dict = field(default_factory=dict)

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Return the probability of check-worthiness for each row of ``features``."""
        z = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = z @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def save(self, out_dir: Path) -> Path:
        """Write the model as JSON into ``out_dir`` and return the file path."""
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / MODEL_FILE
        payload = {
            "feature_names": self.feature_names,
            "embedding_dim": self.embedding_dim,
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": float(self.intercept),
            "threshold": float(self.threshold),
            "metrics": self.metrics,
        }
        path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, model_dir: Path = DEFAULT_MODEL_DIR) -> "CheckworthinessModel":
        """Read a model written by ``save``."""
        path = Path(model_dir) / MODEL_FILE
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"No usable check-worthiness model at {path} — run `factcheck train-checkworthiness "
                "--data ../shared/data/checkthat2019 --out factcheck/models/checkworthiness`."
            ) from exc
        if payload.get("feature_names") != list(FEATURE_NAMES):
            raise ModelError(f"The check-worthiness model at {path} was trained on other features — retrain it.")
        return cls(**payload)


def featurize(spans, texts: list[str], encoder) -> np.ndarray:
    """Return the model's input rows: embedding of each text followed by its span's features."""
    embeddings = encoder.encode(
        texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    feats = np.asarray([linguistic_features(s) for s in spans], dtype=np.float32)
    return np.hstack([embeddings.astype(np.float32), feats])


# --- rules for news articles -----------------------------------------------------------------

_BOILERPLATE = re.compile(
    r"^\s*(additional reporting|reporting|editing|writing|compiled|produced|translated|research)\s+by\b"
    r"|^\s*(photo|picture|image|video|graphic|illustration)s?\s*(:|by\b|credit)"
    r"|^\s*(read more|related|advertisement|sign up|subscribe|follow us|share this|click here|copyright|©)\b",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(r"\((?:photo:?\s*)?[A-Z][\w .&/'-]{0,40}\)\s*$")
_FINAL_PUNCT = re.compile(r"[.!?…:;\"”’')\]]\s*$")


def news_rule(
    sentence: str, line: str, seen_lines: set[str], single_line: bool = False
) -> tuple[float | None, str]:
    """Return (score cap, reason) when a news-article rule applies to ``sentence``, else (None, "").

    ``line`` is the whole input line the sentence sits on; ``seen_lines`` the normalised lines before;
    ``single_line`` says the input is one line, which is a claim typed without its full stop, not a heading.
    """
    stripped = line.strip()
    if _BOILERPLATE.search(sentence):
        return 0.02, "boilerplate"
    if " ".join(stripped.split()).lower() in seen_lines:
        return 0.05, "duplicate line"
    if not single_line and stripped and not _FINAL_PUNCT.search(stripped) and len(stripped.split()) <= 20:
        return 0.1, "heading"
    if _CREDIT_TAIL.search(stripped) and not stripped.endswith((".)", "?)")):
        return 0.1, "photo caption"
    if sentence.rstrip("”\"' ").endswith("?"):
        return 0.1, "question"
    return None, ""


_EMOTIONS = {
    "angry", "furious", "happy", "delighted", "upset", "worried", "thrilled", "disappointed", "excited",
    "pleased", "proud", "sad", "betrayed", "relieved", "shocked", "glad", "grateful", "nervous", "afraid",
    "scared", "outraged", "devastated", "ecstatic", "satisfied", "unhappy", "frustrated", "anxious",
}
_PREDICTIVE_AUX = {"will", "'ll", "would", "may", "might", "could"}


def opinion_rule(head) -> tuple[float | None, str]:
    """Return (score cap, reason) when the clause headed by ``head`` is opinion rather than fact."""
    children = list(head.children)
    predicate = [c for c in children if c.dep_ in ("acomp", "attr", "oprd", "xcomp")]
    predicate_words = {t.lower_ for p in predicate for t in p.subtree}
    future = any(c.dep_ in ("aux", "auxpass") and c.lower_ in _PREDICTIVE_AUX for c in children)
    if future and (head.lemma_.lower() == "feel" or predicate_words & _EMOTIONS or head.lower_ in _EMOTIONS):
        return 0.15, "prediction of feelings"
    normative = any(c.dep_ == "aux" and c.lower_ in _NORMATIVE_AUX for c in children)
    # A dated clause beside what ought to happen ("…, after the ministers met on Friday") does not make it a
    # record: for a normative clause, figures and dates count only outside its adverbial clauses.
    if _checkable(head, skip=("advcl",) if normative else ()):
        return None, ""
    if head.lemma_.lower() == "be" and predicate_words & _JUDGEMENTS:
        return 0.2, "opinion"
    # "The government should scrap the tax": what ought to happen, which no record can confirm.
    if normative:
        return 0.2, "opinion"
    subject = next((c for c in children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.lower_ in ("i", "we") and head.lemma_.lower() in _OPINION_LEMMAS:
        return 0.2, "opinion"
    return None, ""


def _checkable(head, skip: tuple[str, ...] = ()) -> bool:
    """Return True when a clause carries something a record could confirm: a number, a sum, a dated event
    (outside the subtrees of ``head``'s children whose dependency is in ``skip``)."""
    skipped = {t.i for c in head.children if c.dep_ in skip for t in c.subtree}
    for token in head.subtree:
        if token.i in skipped:
            continue
        if token.like_num or token.ent_type_ in ("PERCENT", "MONEY", "QUANTITY", "CARDINAL"):
            return True
        # "a shameful day" is not a date; "in March 2021" is.
        if token.ent_type_ in ("DATE", "TIME") and (token.is_digit or token.ent_iob_ == "B" and token.is_title):
            return True
    return False


class CheckworthinessScorer:
    """Score sentences for check-worthiness with the shipped model."""

    def __init__(self, model_dir: Path = DEFAULT_MODEL_DIR, threshold: float | None = None) -> None:
        self.model_dir = Path(model_dir)
        self._threshold = threshold
        self._model: CheckworthinessModel | None = None
        self._encoder = None

    @property
    def threshold(self) -> float:
        """The score at or above which a claim counts as check-worthy."""
        self.warm_up()
        return self._threshold if self._threshold is not None else self._model.threshold

    def warm_up(self) -> None:
        """Load the model and the shared encoder now."""
        if self._model is None:
            from factcheck.resources import get_sentence_encoder

            self._model = CheckworthinessModel.load(self.model_dir)
            self._encoder = get_sentence_encoder()
            log.debug("check-worthiness model from %s (MAP %s)", self.model_dir, self._model.metrics.get("map"))

    def score(self, spans, texts: list[str] | None = None) -> list[float]:
        """Return a 0..1 score for each spaCy span (embedding ``texts`` if given, else the span text)."""
        if not spans:
            return []
        self.warm_up()
        texts = texts if texts is not None else [s.text for s in spans]
        return [float(p) for p in self._model.predict(featurize(spans, texts, self._encoder))]
