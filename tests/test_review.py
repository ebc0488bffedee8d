"""Review storage: persistence, versions, conflicts and history in a real SQLite file."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace

import pytest

from factcheck import Evidence
from factcheck.claims.extract import Claim
from factcheck.errors import ReviewError
from factcheck.review.follow import normalise, review_key, same_article
from factcheck.review.store import (
    FLAGS,
    SCHEMA_VERSION,
    Review,
    ReviewConflict,
    ReviewStore,
    article_id,
    claim_key,
    default_reviews_path,
    read_labelled_pairs,
)

# What the first release created (schema 0), as that release wrote it with raw sqlite3.
from .test_review_database import SCHEMA_0 as FIRST_SCHEMA  # noqa: E402

ARTICLE = "Putin will visit North Korea. Pyongyang is alleged to have sent shells."


@pytest.fixture
def reviews(tmp_path):
    return ReviewStore(tmp_path / "data" / "reviews.sqlite3")


def test_ids_are_stable_hashes_of_text():
    assert article_id(ARTICLE) == article_id(ARTICLE)
    assert article_id(ARTICLE) != article_id(ARTICLE + " ")
    assert claim_key("c1", "Putin will visit.") == claim_key("c1", "Putin will visit.")
    assert claim_key("c1", "Putin will visit.") != claim_key("c1", "Putin will not visit.")
    assert claim_key("c1", "x").startswith("c1-")


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("FACTCHECK_REVIEWS", raising=False)
    assert default_reviews_path() == ".factcheck/reviews.sqlite3"
    monkeypatch.setenv("FACTCHECK_REVIEWS", str(tmp_path / "r.db"))
    assert ReviewStore().path == tmp_path / "r.db"


def test_database_is_in_wal_mode(reviews):
    with sqlite3.connect(reviews.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unsaved_review_is_empty_version_zero(reviews):
    review = reviews.get("a1", "c1-x")
    assert review.version == 0 and review.is_empty


def test_save_persists_across_store_instances(reviews):
    aid, key = article_id(ARTICLE), claim_key("c2", "Pyongyang is alleged to have sent shells.")
    draft = replace(reviews.get(aid, key), flag="alleged", note="Only US and Seoul say so", pinned=["p1"],
                    dismissed=["p9"], claim_text="Pyongyang is alleged to have sent shells.")
    saved = reviews.save(draft, reviewer="ana")
    assert saved.version == 1 and saved.reviewer == "ana" and saved.updated_at
    reopened = ReviewStore(reviews.path).get(aid, key)
    assert reopened == saved
    assert ReviewStore(reviews.path).for_article(aid) == {key: saved}


def test_stale_save_raises_conflict_with_the_other_change(reviews):
    first = reviews.get("a", "k")
    mine, theirs = replace(first, flag="refuted"), replace(first, flag="supported", note="Source confirms")
    reviews.save(theirs, reviewer="bo")
    with pytest.raises(ReviewConflict) as caught:
        reviews.save(mine, reviewer="ana")
    assert isinstance(caught.value, ReviewError)
    assert caught.value.current.flag == "supported" and caught.value.current.reviewer == "bo"
    assert "bo" in str(caught.value) and "version 1" in str(caught.value)
    assert reviews.get("a", "k").flag == "supported"  # theirs survives
    # Saving again on top of their version works.
    again = reviews.save(replace(caught.value.current, flag="refuted"), reviewer="ana")
    assert again.version == 2


def test_concurrent_saves_of_one_version_let_exactly_one_win(reviews):
    base = reviews.save(reviews.get("a", "k"), reviewer="setup")
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def attempt(name: str) -> None:
        barrier.wait()
        try:
            reviews.save(replace(base, note=name), reviewer=name)
            outcomes.append("saved")
        except ReviewConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt, args=(f"r{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    assert reviews.get("a", "k").version == 2


def test_history_records_every_version(reviews):
    review = reviews.get("a", "k")
    review = reviews.save(replace(review, flag="unverifiable"), reviewer="ana")
    review = reviews.save(replace(review, flag="refuted", note="Wrong year"), reviewer="bo")
    reviews.save(replace(reviews.get("a", "other"), flag="denied"), reviewer="bo")
    history = reviews.history("a", "k")
    assert [(h.version, h.flag, h.reviewer) for h in history] == [(1, "unverifiable", "ana"), (2, "refuted", "bo")]
    assert len(reviews.history("a")) == 3


@pytest.mark.parametrize("flag", FLAGS)
def test_every_flag_can_be_saved(reviews, flag):
    assert reviews.save(Review("a", "k", flag=flag), reviewer="ana").flag == flag


def test_bad_reviews_are_refused_with_a_reason(reviews):
    with pytest.raises(ReviewError, match="Unknown flag"):
        Review("a", "k", flag="true-ish")
    with pytest.raises(ReviewError, match="both pinned and dismissed"):
        Review("a", "k", pinned=["p1"], dismissed=["p1"])
    with pytest.raises(ReviewError, match="reviewer"):
        reviews.save(Review("a", "k", flag="refuted"), reviewer="  ")


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(ReviewError, match="folder"):
        ReviewStore(tmp_path)


def test_articles_are_remembered_for_reopening(reviews):
    aid = reviews.remember_article(ARTICLE, "pasted")
    reviews.remember_article("Another text.", "other.txt")
    reviews.save(Review(aid, "c1-x", flag="supported"), reviewer="ana")
    listed = {a.article_id: a for a in reviews.articles()}
    assert listed[aid].text == ARTICLE and listed[aid].reviewed_claims == 1
    assert listed[article_id("Another text.")].reviewed_claims == 0
    assert reviews.article(aid) == listed[aid]
    assert reviews.article("never-seen") is None


# -- relabels and labelled pairs -------------------------------------------------------------------
def _evidence(pid: str, sentence: str, stance: str = "refutes") -> Evidence:
    return Evidence(source=f"corpus/{pid}.md", doc_id=pid, title=pid, passage=sentence, sentence=sentence,
                    stance=stance, score=0.87, similarity=0.6, passage_id=pid)


CLAIM = "The council approved the budget in March."
EVIDENCE = [_evidence("p1", "Councillors passed the budget on 14 March."),
            _evidence("p2", "The mayor opened a library.", stance="neutral")]


def test_every_relabel_is_kept_as_a_labelled_pair(reviews):
    review = Review("a", review_key(CLAIM), claim_text=CLAIM).relabel("p1", "supports").relabel("p2", "irrelevant")
    saved = reviews.save(review, reviewer="ana", evidence=EVIDENCE)
    assert saved.relabels == {"p1": "supports", "p2": "irrelevant"}
    assert reviews.get("a", saved.claim_key).relabels == saved.relabels
    pairs = reviews.labelled_pairs()
    assert [(p.claim, p.sentence, p.label, p.stance, p.model_stance, p.reviewer, p.passage_id) for p in pairs] == [
        (CLAIM, "Councillors passed the budget on 14 March.", "supports", "supports", "refutes", "ana", "p1"),
        (CLAIM, "The mayor opened a library.", "irrelevant", "neutral", "neutral", "ana", "p2")]
    assert all(p.created_at == saved.updated_at and p.article_id == "a" for p in pairs)
    # Relabelling again replaces the pair; giving the passage back to the model withdraws it.
    saved = reviews.save(saved.relabel("p1", "neutral").relabel("p2", None), reviewer="bo", evidence=EVIDENCE)
    assert [(p.passage_id, p.label, p.reviewer) for p in reviews.labelled_pairs()] == [("p1", "neutral", "bo")]
    # A save that does not touch the labels adds no pair.
    reviews.save(replace(saved, note="checked the minutes"), reviewer="ana")
    assert len(reviews.labelled_pairs()) == 1
    assert [p.label for p in read_labelled_pairs(reviews.path)] == ["neutral"]


def test_a_relabel_needs_the_passage_and_the_claim_and_a_known_label(reviews):
    with pytest.raises(ReviewError, match="Unknown evidence label 'true'"):
        Review("a", "k").relabel("p1", "true")
    with pytest.raises(ReviewError, match="not among the evidence"):
        reviews.save(Review("a", "k", claim_text=CLAIM).relabel("p9", "supports"), reviewer="ana", evidence=EVIDENCE)
    with pytest.raises(ReviewError, match="claim's wording"):
        reviews.save(Review("a", "k").relabel("p1", "supports"), reviewer="ana", evidence=EVIDENCE)
    assert reviews.get("a", "k").version == 0 and reviews.labelled_pairs() == []  # nothing half-saved


def test_reading_pairs_from_a_missing_database_says_where_it_looked(tmp_path):
    with pytest.raises(ReviewError, match="No review database at"):
        read_labelled_pairs(tmp_path / "none.sqlite3")
    assert not (tmp_path / "none.sqlite3").exists()


def test_clearing_a_flag_is_a_history_entry(reviews):
    review = reviews.save(Review("a", "k", flag="refuted", note="Wrong year"), reviewer="ana")
    cleared = reviews.save(review.clear_flag(), reviewer="bo")
    assert cleared.flag is None and cleared.note == "Wrong year" and reviews.get("a", "k").flag is None
    assert [(h.version, h.flag, h.event) for h in reviews.history("a", "k")] == [
        (1, "refuted", "saved"), (2, None, "flag cleared")]


def test_the_public_summary_is_kept_apart_from_the_note(reviews):
    saved = reviews.save(Review("a", "k", flag="refuted", note="Ask Ana's source again",
                                public_summary="The treaty was signed in 2000."), reviewer="ana")
    again = reviews.get("a", "k")
    assert (again.note, again.public_summary) == ("Ask Ana's source again", "The treaty was signed in 2000.")
    assert reviews.history("a", "k")[0].public_summary == saved.public_summary


def test_settings_persist_with_the_reviews(reviews):
    assert reviews.setting("publisher") is None and reviews.setting("publisher", {}) == {}
    reviews.save_setting("publisher", {"name": "Example Checks", "url": "https://checks.example"})
    reviews.save_setting("publisher", {"name": "Example Checks", "url": "https://checks.example/"})
    assert ReviewStore(reviews.path).setting("publisher") == {"name": "Example Checks", "url": "https://checks.example/"}


# -- reviews that follow their claim -----------------------------------------------------------------
STORY = ("City council approves new budget after long debate\n\n"
         "The council approved the budget in March. The mayor said taxes will not rise next year. "
         "Opposition councillors claimed the library fund was cut by 40 percent. "
         "The budget totals 120 million euros, up from 110 million last year.")


def _claims(text: str, *sentences: str, first: int = 1) -> list[Claim]:
    out = []
    for n, sentence in enumerate(sentences, start=first):
        start = text.index(sentence)
        out.append(Claim(id=f"c{n}", text=sentence, sentence=sentence, start=start, end=start + len(sentence),
                         sentence_start=start, sentence_end=start + len(sentence)))
    return out


@pytest.mark.parametrize("a, b", [("Putin will visit North Korea.", "putin will visit  North Korea"),
                                  ("It’s “final”, he said", "it's \"final\" he said")])
def test_review_keys_fold_case_quotes_and_punctuation(a, b):
    assert normalise(a) == normalise(b) and review_key(a) == review_key(b)
    assert review_key(a) != review_key(a + " not")


@pytest.mark.parametrize("edit, same", [
    (lambda t: t.replace("120 million", "121 million"), True),  # a corrected figure
    (lambda t: t.replace("City council approves new budget after long debate", "Budget approved"), True),  # new headline
    (lambda t: "Local news\n\n" + t.split("\n\n", 1)[1][:90], False),  # a short excerpt under another title
    (lambda t: "Storm closes schools across the region\n\nHeavy snow closed 40 schools on Monday.", False),
])
def test_an_edited_article_is_recognised_as_a_version_of_the_first(edit, same):
    assert same_article(STORY, edit(STORY)) is same


def test_reviews_follow_their_claims_into_an_edited_renumbered_article(reviews):
    first = reviews.remember_article(STORY, "budget.txt")
    claims = _claims(STORY, "The council approved the budget in March.",
                     "The budget totals 120 million euros, up from 110 million last year.")
    attached = reviews.for_claims(first, claims)
    assert all(r.version == 0 and r.claim_key == review_key(r.claim_text) for r in attached.values())
    reviews.save(replace(attached["c1"], flag="supported"), reviewer="ana")
    reviews.save(replace(attached["c2"], flag="refuted", note="It is 118 million"), reviewer="ana")

    edited = "UPDATED 14:05\n" + STORY.replace("120 million", "118 million")
    second = reviews.remember_article(edited, "budget.txt")
    assert second != first and reviews.versions(second) == [first, second]
    assert reviews.article(second).lineage == first and reviews.article(second).reviewed_claims == 2
    # A newer extractor numbers the claims differently; the changed figure changed one claim's wording.
    new_claims = _claims(edited, "The council approved the budget in March.",
                         "The budget totals 118 million euros, up from 110 million last year.", first=3)
    follow = reviews.for_claims(second, new_claims)
    assert follow["c3"].flag == "supported" and follow["c3"].reviewed_as(new_claims[0].text) is None
    assert follow["c4"].flag == "refuted"
    assert follow["c4"].reviewed_as(new_claims[1].text) == "The budget totals 120 million euros, up from 110 million last year."
    # Saving it from the new version updates the same review, and its history stays one.
    saved = reviews.save(replace(follow["c4"], note="Now corrected", claim_text=new_claims[1].text), reviewer="bo")
    assert saved.version == 2 and reviews.for_claims(second, new_claims)["c4"].reviewed_as(new_claims[1].text) is None
    assert [h.version for h in reviews.history(second, saved.claim_key)] == [1, 2]
    # An unrelated claim does not pick up a review.
    other = _claims(edited, "The mayor said taxes will not rise next year.", first=9)
    assert reviews.for_claims(second, other)["c9"].version == 0


def test_an_allegation_and_its_denial_in_the_same_words_keep_their_own_reviews(reviews):
    text = "Washington says the mayor took a bribe, though the mayor has repeatedly denied this."
    (alleged,), (denied,) = _claims(text, "the mayor took a bribe"), _claims(text, "the mayor took a bribe", first=2)
    alleged.status, denied.status = "alleged", "denied"
    aid = reviews.remember_article(text, "bribe.txt")
    first = reviews.for_claims(aid, [alleged, denied])
    assert first["c1"].claim_key != first["c2"].claim_key
    reviews.save(replace(first["c1"], flag="unverifiable"), reviewer="ana")
    reviews.save(replace(first["c2"], flag="denied"), reviewer="ana")
    # Renumbered, the denial first: each still finds its own.
    denied.id, alleged.id = "c1", "c2"
    again = reviews.for_claims(aid, [denied, alleged])
    assert (again["c1"].flag, again["c2"].flag) == ("denied", "unverifiable")


def test_a_different_article_keeps_its_reviews_apart(reviews):
    first = reviews.remember_article(STORY, "budget.txt")
    reviews.save(Review(first, review_key("The council approved the budget in March."), flag="supported",
                        claim_text="The council approved the budget in March."), reviewer="ana")
    text = "Storm closes schools across the region\n\nThe council approved the budget in March."
    other = reviews.remember_article(text, "storm.txt")
    assert reviews.versions(other) == [other]
    assert reviews.for_claims(other, _claims(text, "The council approved the budget in March."))["c1"].version == 0


# -- upgrading a database made by the first schema --------------------------------------------------
def test_a_database_of_the_first_schema_upgrades_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    claims = _claims(STORY, "The council approved the budget in March.", "The mayor said taxes will not rise next year.")
    aid = article_id(STORY)
    old_key_1 = claim_key("c1", STORY[claims[0].start:claims[0].end])
    old_key_2 = claim_key("c2", STORY[claims[1].start:claims[1].end])
    with sqlite3.connect(path) as conn:  # what the first release wrote
        conn.executescript(FIRST_SCHEMA)
        conn.execute("INSERT INTO articles VALUES (?, 'budget.txt', ?, '2024-06-01T10:00:00+00:00', "
                     "'2024-06-01T10:00:00+00:00')", (aid, STORY))
        for key, flag, text in ((old_key_1, "supported", claims[0].text), (old_key_2, "misleading", "")):
            conn.execute("INSERT INTO reviews VALUES (?, ?, ?, ?, 'note', '[]', '[]', 'ana', "
                         "'2024-06-01T10:05:00+00:00', 1)", (aid, key, text, flag))
            conn.execute("INSERT INTO review_history (article_id, claim_key, version, flag, note, pinned, dismissed,"
                         " reviewer, changed_at) VALUES (?, ?, 1, ?, 'note', '[]', '[]', 'ana', "
                         "'2024-06-01T10:05:00+00:00')", (aid, key, flag))
    assert ReviewStore(path).schema_version == SCHEMA_VERSION
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    reviews = ReviewStore(path)  # opening again is a no-op
    attached = reviews.for_claims(aid, claims)
    # Found by their first-schema keys (with or without the claim's wording saved).
    assert attached["c1"].flag == "supported" and attached["c1"].claim_key == old_key_1
    assert attached["c2"].flag == "misleading" and attached["c2"].claim_key == old_key_2
    assert [h.flag for h in reviews.history(aid, attached["c1"].claim_key)] == ["supported"]
    assert reviews.article(aid).lineage == aid and reviews.article(aid).reviewed_claims == 2
    saved = reviews.save(attached["c1"].relabel("p1", "supports"), reviewer="bo", evidence=EVIDENCE)
    assert saved.version == 2 and len(reviews.labelled_pairs()) == 1


# -- learning from the reviewers -------------------------------------------------------------------
RELABELLED = [  # claim, evidence sentence, the reviewer's label
    ("The council approved the budget in March.", "Councillors passed the budget on 14 March.", "supports"),
    ("The council approved the budget in March.", "The council rejected the budget in March.", "refutes"),
    ("Unemployment fell to 4 percent last year.", "Unemployment rose to 6 percent last year.", "refutes"),
    ("Unemployment fell to 4 percent last year.", "Official figures show unemployment fell to 4 percent.", "supports"),
    ("The striker scored twice in the final.", "The final was played in heavy rain.", "irrelevant"),
    ("The striker scored twice in the final.", "The club's new stadium opens next year.", "neutral"),
]


@pytest.fixture
def relabelled(reviews):
    """A review database whose reviewers relabelled six passages of three claims."""
    for n, claim in enumerate(dict.fromkeys(c for c, _, _ in RELABELLED)):
        rows = [(f"p{n}{k}", e, lab) for k, (c, e, lab) in enumerate(RELABELLED) if c == claim]
        review = Review("a", review_key(claim), claim_text=claim)
        for pid, _, label in rows:
            review = review.relabel(pid, label)
        reviews.save(review, reviewer="ana", evidence=[_evidence(pid, e, stance="neutral") for pid, e, _ in rows])
    return reviews


def test_labelled_pairs_become_calibration_items_and_training_pairs(relabelled):
    from factcheck.review.learning import labelled_pairs, stance_items, training_pairs

    pairs = labelled_pairs(relabelled.path)
    assert [(p.claim, p.sentence, p.label) for p in pairs] == RELABELLED
    items = stance_items(pairs)
    assert [(i.claim, i.sentences, i.label, i.source) for i in items][-2:] == [
        (RELABELLED[4][0], [RELABELLED[4][1]], "neutral", "reviews"), (RELABELLED[5][0], [RELABELLED[5][1]], "neutral", "reviews")]
    assert [p.label for p in training_pairs(pairs)] == [0, 1, 1, 0, 2, 2] and {p.source for p in training_pairs(pairs)} == {"reviews"}


def test_an_empty_review_database_is_refused_for_learning(reviews):
    from factcheck.review.learning import labelled_pairs

    with pytest.raises(ReviewError, match="holds no relabelled passages"):
        labelled_pairs(reviews.path)


def test_reviews_are_a_calibration_domain_of_their_own(relabelled):
    from factcheck.review.learning import labelled_pairs, stance_items
    from factcheck.training.calibration import domain_macro_f1, labelled_macro_f1

    items = stance_items(labelled_pairs(relabelled.path))
    perfect = [i.label for i in items]
    assert labelled_macro_f1(items, perfect) == {"reviews": 1.0}
    assert domain_macro_f1(items, ["neutral"] * len(items))["reviews"] == pytest.approx((0 + 0 + 0.5) / 3)


@pytest.mark.slow
def test_calibration_figures_on_the_reviews_before_and_after(relabelled):
    from factcheck.review.learning import labelled_pairs, stance_items
    from factcheck.stance.judge import StanceCalibration
    from factcheck.training.calibration import macro_f1_under

    items = stance_items(labelled_pairs(relabelled.path))
    figures = macro_f1_under(items, {"before": StanceCalibration.load(), "model": StanceCalibration().model_only()})
    assert set(figures) == {"before", "model"} and all(0.0 <= v <= 1.0 for v in figures.values())
    # The shipped judge reads these plain pairs mostly right: better than always saying "neutral".
    assert figures["before"] > (0 + 0 + 0.5) / 3


def test_cli_refuses_a_missing_review_database_before_training(tmp_path):
    from click.testing import CliRunner

    from factcheck.cli import main

    (tmp_path / "nli").mkdir()
    for command in (["calibrate", "--data", str(tmp_path)], ["train-stance", "--data", str(tmp_path / "nli")]):
        result = CliRunner().invoke(main, [*command, "--reviews", str(tmp_path / "none.sqlite3")])
        assert result.exit_code == 1 and "No review database at" in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_training_on_reviews_needs_a_stage_that_trains(relabelled, tmp_path):
    from factcheck.review.learning import labelled_pairs, train_stance_with_reviews

    with pytest.raises(ReviewError, match="none runs"):
        train_stance_with_reviews(tmp_path, tmp_path / "out", labelled_pairs(relabelled.path), init=tmp_path)


@pytest.mark.slow
def test_train_stance_takes_the_reviews_into_its_mix_and_reports_before_and_after(relabelled, tmp_path):
    import json

    from factcheck.review.learning import labelled_pairs, train_stance_with_reviews

    splits = tmp_path / "nli" / "_splits"
    splits.mkdir(parents=True)
    rows = [{"premise": e, "hypothesis": c, "label": {"supports": "entailment", "refutes": "contradiction"}.get(lab, "neutral")}
            for c, e, lab in RELABELLED]
    (splits / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:4]))
    (splits / "heldout.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[4:]))
    metrics = train_stance_with_reviews(tmp_path / "nli", tmp_path / "model", labelled_pairs(relabelled.path),
                                        max_steps=1, batch_size=4, log=lambda _: None)
    assert metrics["training"]["mix_by_source"]["reviews"] == len(RELABELLED)
    assert metrics["reviews"]["pairs"] == len(RELABELLED)
    assert set(metrics["reviews"]["before"]) == set(metrics["reviews"]["after"]) == {"accuracy", "macro_f1"}


def test_find_article_follows_versions_without_remembering_them(reviews):
    assert reviews.find_article(STORY) is None
    first = reviews.remember_article(STORY, "budget.txt")
    assert reviews.find_article(STORY) == first
    assert reviews.find_article(STORY.replace("120 million", "125 million")) == first
    assert reviews.find_article("Storm closes schools across the region\n\nHeavy snow closed 40 schools.") is None
    assert [a.article_id for a in reviews.articles()] == [first]  # looking did not add anything


def test_check_refuses_a_missing_review_database_before_loading_models(tmp_path):
    from click.testing import CliRunner

    from factcheck.cli import main

    article = tmp_path / "a.txt"
    article.write_text("The council approved the budget in March.", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(article), "--store", str(tmp_path / "store"),
                                       "--reviews", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 1 and "No review database at" in result.output
    assert not (tmp_path / "none.sqlite3").exists()
