"""Check-worthiness: the metric, the news-article rules, the shipped model and the training command."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from factcheck.claims.checkworthiness import (
    DEFAULT_MODEL_DIR,
    FEATURE_NAMES,
    MODEL_FILE,
    CheckworthinessModel,
    CheckworthinessScorer,
    linguistic_features,
    news_rule,
    opinion_rule,
)
from factcheck.training.checkworthiness import average_precision, load_debates, train_checkworthiness
from factcheck.errors import InputError, ModelError


def test_average_precision_matches_a_hand_computed_ranking():
    labels = np.array([1, 0, 1, 0])
    assert average_precision(labels, np.array([0.9, 0.8, 0.1, 0.05])) == pytest.approx((1 / 1 + 2 / 3) / 2)
    assert average_precision(labels, np.array([0.9, 0.1, 0.8, 0.05])) == pytest.approx(1.0)
    assert average_precision(labels, np.array([0.1, 0.2, 0.9, 0.8])) == pytest.approx((1 / 1 + 2 / 4) / 2)
    assert average_precision(np.array([0, 0]), np.array([0.3, 0.1])) == 0.0


@pytest.mark.parametrize(
    ("sentence", "line", "reason"),
    [
        ("Additional reporting by Reuters", None, "boilerplate"),
        ("Editing by Sam Holmes and Jo Park", None, "boilerplate"),
        ("Reporting by Lena Fischer in Berlin; Writing by Tom Hale", None, "boilerplate"),
        ("Photo: Getty Images", None, "boilerplate"),
        ("Wheat prices hit a ten-year high", None, "heading"),
        ("Firefighters battle a blaze near the port (AFP)", None, "photo caption"),
        ("Is the ceasefire holding?", None, "question"),
        ("Ministers met on Monday.", "Ministers met on Monday.", "duplicate line"),
        ("Wheat prices rose by 12% in March.", None, ""),
        ("The report, published by the OECD (Paris), was leaked.", None, ""),
    ],
)
def test_news_rules(sentence, line, reason):
    seen = {"ministers met on monday."}
    cap, why = news_rule(sentence, line or sentence, seen)
    assert why == reason
    assert (cap is None) == (reason == "") and (cap is None or cap < 0.5)


def test_shipped_model_is_small_safe_json_with_its_metrics():
    path = DEFAULT_MODEL_DIR / MODEL_FILE
    assert path.stat().st_size < 1_000_000
    model = CheckworthinessModel.load(DEFAULT_MODEL_DIR)
    assert model.feature_names == list(FEATURE_NAMES)
    width = model.embedding_dim + len(FEATURE_NAMES)
    assert len(model.coef) == len(model.mean) == len(model.scale) == width
    assert model.metrics["split"] == "leave-one-debate-out" and len(model.metrics["ap_per_debate"]) == 19
    assert model.metrics["map"] == pytest.approx(np.mean(list(model.metrics["ap_per_debate"].values())), abs=1e-3)
    scores = model.predict(np.zeros((3, width)))
    assert scores.shape == (3,) and np.all((scores > 0) & (scores < 1))


def test_missing_or_mismatched_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="train-checkworthiness"):
        CheckworthinessModel.load(tmp_path)
    payload = json.loads((DEFAULT_MODEL_DIR / MODEL_FILE).read_text())
    payload["feature_names"] = payload["feature_names"][:-1]
    (tmp_path / MODEL_FILE).write_text(json.dumps(payload))
    with pytest.raises(ModelError, match="retrain"):
        CheckworthinessModel.load(tmp_path)


def test_training_needs_debates(tmp_path):
    with pytest.raises(InputError, match="No debates"):
        load_debates(tmp_path)


@pytest.fixture(scope="module")
def nlp():
    from factcheck.resources import get_nlp

    return get_nlp()


@pytest.mark.slow
def test_features_have_the_declared_width_and_see_numbers_and_questions(nlp):
    fact = linguistic_features(nlp("Exports fell 7% in 2023."))
    question = linguistic_features(nlp("Why would anyone believe that?"))
    assert len(fact) == len(question) == len(FEATURE_NAMES)
    index = FEATURE_NAMES.index
    assert fact[index("has_number")] == 1 and fact[index("has_time")] == 1 and fact[index("question")] == 0
    assert question[index("question")] == 1 and question[index("has_number")] == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Supporters will be furious about the result.", "prediction of feelings"),
        ("Shoppers will feel cheated.", "prediction of feelings"),
        ("It was a shameful day for the league.", "opinion"),
        ("Rents were 14% higher in 2023.", ""),
        ("The final will be played in Lisbon.", ""),
        ("The council should cut the bus fares.", "opinion"),
        # What ought to happen stays an opinion beside a dated clause; a dated record does not.
        ("The merger should not lead to higher prices, after the regulator and the companies met on Friday.", "opinion"),
        ("The merger should be completed by March 2025.", ""),
        ("The board met on Friday after the merger was announced.", ""),
    ],
)
def test_opinion_rule(nlp, sentence, reason):
    doc = nlp(sentence)
    assert opinion_rule(doc[:].root)[1] == reason


@pytest.fixture(scope="module")
def scorer():
    s = CheckworthinessScorer()
    s.warm_up()
    return s


@pytest.mark.slow
@pytest.mark.parametrize(
    ("factual", "chatter"),
    [
        ("Unemployment rose to 7.2 percent in the third quarter of 2009.", "Thank you so much, everybody."),
        ("The vaccine cut hospital admissions by 60 percent in a 2021 trial.", "I love this country."),
        ("Brazil won the World Cup five times, most recently in 2002.", "Let me finish my answer, please."),
        ("The government spent $4.1 trillion on health care last year.", "We are going to have a great time."),
    ],
)
def test_model_ranks_facts_above_chatter(nlp, scorer, factual, chatter):
    docs = [nlp(factual), nlp(chatter)]
    high, low = scorer.score(docs)
    # The model ranks (that is what MAP measures); the boolean also needs the rules, see test_claims.
    assert high > low and high >= scorer.threshold


_TINY_DEBATE = [
    ("MOD", "Good evening and welcome to tonight's debate.", 0),
    ("A", "Thank you, it is great to be here.", 0),
    ("B", "Our state cut income taxes by 12 percent in 2015.", 1),
    ("A", "I think we can do better for our families.", 0),
    ("B", "Crime fell by a third while I was governor.", 1),
    ("MOD", "Let's move on to the next question.", 0),
    ("A", "The deficit doubled to $900 billion under his watch.", 1),
    ("B", "That is simply not true, and people know it.", 0),
]


@pytest.mark.slow
def test_training_command_writes_a_loadable_model_and_per_debate_map(tmp_path):
    data = tmp_path / "data"
    (data / "training").mkdir(parents=True)
    for n in range(3):
        rows = _TINY_DEBATE[n:] + _TINY_DEBATE[:n]
        lines = [f"{i + 1}\t{who}\t{text}\t{label}" for i, (who, text, label) in enumerate(rows)]
        (data / "training" / f"debate{n}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    metrics = train_checkworthiness(data, tmp_path / "model", seed=3)
    assert set(metrics["ap_per_debate"]) == {"debate0", "debate1", "debate2"}
    assert 0.0 < metrics["map"] <= 1.0 and metrics["n_sentences"] == 24 and metrics["n_positive"] == 9
    model = CheckworthinessModel.load(Path(tmp_path / "model"))
    assert model.threshold == 0.5 and model.metrics == metrics


def test_a_sentence_given_on_its_own_is_checked_whatever_the_model_scores():
    from factcheck.claims.extract import ClaimExtractor

    extractor = ClaimExtractor()
    record = "Kim Jong Un and Vladimir Putin first met in Vladivostok in April 2019."
    [alone] = extractor.extract(record)
    # The debate-trained model scores this dated record of what two named leaders did under its threshold…
    assert alone.checkworthiness < extractor.scorer.threshold
    # …but a sentence given on its own is the claim the user wants checked.
    assert alone.checkworthy and alone.checkworthy_reason.startswith("given on its own: a record")
    # Inside an article the score decides as before.
    article = f"{record} The summit was held on an island campus. Observers found it hard to read."
    in_article = [c for c in extractor.extract(article) if c.text.startswith("Kim Jong Un and Vladimir Putin")]
    assert in_article and not in_article[0].checkworthy
    # So is one that says what is the case now (a post held, a move under way), which the model scores low too.
    for present in ("Professor Anika Threlfall is the chief executive of Corran Biotech.",
                    "Corran Biotech is moving its laboratories to the Quayside science park."):
        [now] = extractor.extract(present)
        assert now.checkworthiness < extractor.scorer.threshold
        assert now.checkworthy and now.checkworthy_reason.startswith("given on its own: a record"), now
    # A forecast alone is no record of what someone did: the model's score decides.
    [forecast] = extractor.extract("Moscow will develop relations in the manner it chooses.")
    assert forecast.checkworthiness < extractor.scorer.threshold and not forecast.checkworthy
    # A rule's verdict still holds for a sentence alone: an opinion is no fact to check.
    [opinion] = extractor.extract("This budget is a betrayal of working families.")
    assert not opinion.checkworthy and opinion.opinion
