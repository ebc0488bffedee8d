"""The review desk through Streamlit's AppTest: check, review, flag, persist, conflict, export, corpus."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factcheck.review.drafts import DraftStore
from factcheck.review.export import ReviewedArticle, byline, claimreview_problems, to_json
from factcheck.review.store import ReviewStore, article_id

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 600  # the first run loads every model; the machine may be busy


@pytest.fixture
def reviews_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "reviews.sqlite3"
    monkeypatch.setenv("FACTCHECK_REVIEWS", str(path))
    return path


@pytest.fixture
def app_env(corpus_store, reviews_db, monkeypatch) -> Path:
    """The app pointed at the shared corpus store and a fresh review database."""
    monkeypatch.setenv("FACTCHECK_STORE", str(corpus_store))
    return reviews_db


def new_app(reviewer: str = "ana", **query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key="reviewer").input(reviewer).run()
    return at


def click(at: AppTest, label: str) -> AppTest:
    (button,) = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def check_text(at: AppTest, text: str) -> AppTest:
    at.radio(key="input_mode").set_value("Paste text").run()
    at.text_area(key="paste_text").input(text)
    click(at, "Check claims")
    assert not at.error, [e.value for e in at.error]
    return at


def pick_claim(at: AppTest):
    """A check-worthy claim with evidence (preferring one linked to another claim)."""
    report = at.session_state["report"]
    candidates = [r for r in report.checkworthy if r.evidence]
    assert candidates, "the example article should have check-worthy claims with evidence"
    return next((r for r in candidates if r.claim.linked), candidates[0])


def open_claim(at: AppTest, claim_id: str) -> AppTest:
    at.button(key=f"open-{claim_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def review_widgets(at: AppTest):
    (flag,) = [r for r in at.radio if (r.key or "").startswith("flag-")]
    (note,) = [t for t in at.text_area if (t.key or "").startswith("note-")]
    return flag, note


def test_without_a_store_the_app_offers_to_build_one(tmp_path, reviews_db, monkeypatch):
    monkeypatch.setenv("FACTCHECK_STORE", str(tmp_path / "no-store-yet"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("not built yet" in w.value for w in at.warning)
    assert [b.label for b in at.button if b.key == "build_store_check"] == ["Build the evidence store from the demo corpus/"]


@pytest.mark.slow
def test_check_review_persist_and_export(app_env, example_article):
    at = new_app("ana")
    check_text(at, example_article)
    report = at.session_state["report"]
    aid = article_id(example_article)
    assert at.session_state["article"] == aid
    claim_buttons = [b.key for b in at.button if (b.key or "").startswith("open-")]
    assert claim_buttons == [f"open-{r.claim.id}" for r in report.shown]
    article_markup = next(m.value for m in at.markdown if 'class="fc-article"' in m.value)
    assert article_markup.count("<mark") >= 1
    # Opinions whose speaker was checked are listed, marked as opinions with no truth verdict.
    opinions = [r for r in report.shown if r.claim.opinion]
    assert opinions and not any(r.claim.checkworthy for r in opinions)
    heads = [m.value for m in at.markdown if "opinion · no truth verdict" in m.value]
    assert len(heads) == len(opinions) and all("who said it:" in h for h in heads)
    assert article_markup.count("fc-opinion-mark") == len(opinions)

    at.toggle(key="show_all").set_value(True).run()  # non-check-worthy sentences, on demand
    assert len([b for b in at.button if (b.key or "").startswith("open-")]) == len(report.claims)
    at.toggle(key="show_all").set_value(False).run()

    # Claims are numbered as the reader sees them (ids stay as they are in the JSON).
    numbers = {r.claim.id: n for n, r in enumerate(report.shown, start=1)}
    heads = [m.value for m in at.markdown if 'class="fc-claim' in m.value and "fc-quote" not in m.value]
    assert heads[0].startswith("<b>1</b>") and f">{report.shown[0].claim.id}<" not in heads[0]

    result = pick_claim(at)
    open_claim(at, result.claim.id)
    assert any(h.value == f"Claim {numbers[result.claim.id]} of {len(numbers)}" for h in at.subheader)
    assert any(c.value.startswith("Confidence ") for c in at.caption)  # the number beside the verdict, explained
    # When evidence was searched for the claim's core (an aside left out), the desk says so.
    core_notes = [m.value for m in at.markdown if "searched and judged for its core" in m.value]
    assert bool(core_notes) == (result.claim.query != result.claim.text), (result.claim.text, result.claim.query)
    columns = " ".join(m.value for m in at.markdown if "fc-colhead" in m.value)
    assert "Supporting (" in columns and "Conflicting (" in columns
    if result.supporting_evidence:  # the evidence sentence is highlighted within its passage
        assert any("<mark>" in m.value and "fc-ev-passage" in m.value for m in at.markdown)
    # Each card says whether it weighs in the verdict: as many "counts" notes as counting passages shown.
    cards = [m.value for m in at.markdown if "fc-ev-passage" in m.value]
    shown = [e for e in result.evidence if e.stance != "neutral"]
    assert sum('class="fc-counts"' in c for c in cards) == sum(e.counts for e in shown)
    assert sum('class="fc-weak"' in c for c in cards) >= sum(not e.counts for e in shown)
    for linked in result.claim.linked:
        assert at.button(key=f"linked-{result.claim.id}-{linked}").label == f"Open claim {numbers[linked]}"
    for evidence in result.evidence:  # the document's title and link say where it is from, not a server path
        assert not any(Path(evidence.source).name in c for c in cards)

    flag, note = review_widgets(at)
    assert flag.value is None
    flag.set_value("alleged")
    note.input("Only Washington says so; Pyongyang denies it.")
    click(at, "Save review")
    assert any("Saved" in s.value for s in at.success)
    key = at.session_state["report"].review_key(result)

    # The list narrows to flagged claims; "Next unreviewed" moves on to the next claim without a flag.
    at.selectbox(key="claim_filter").set_value("flagged").run()
    assert [b.key for b in at.button if (b.key or "").startswith("open-")] == [f"open-{result.claim.id}"]
    at.selectbox(key="claim_filter").set_value("unreviewed").run()
    assert len([b for b in at.button if (b.key or "").startswith("open-")]) == len(report.shown) - 1
    at.selectbox(key="claim_filter").set_value("all").run()
    at.button(key=f"next-{key}").click().run()
    after = [r.claim.id for r in report.shown]
    after = after[after.index(result.claim.id) + 1:] + after[:after.index(result.claim.id)]
    assert at.session_state["selected"] == after[0]
    open_claim(at, result.claim.id)
    stored = ReviewStore(app_env).get(aid, key)
    assert (stored.flag, stored.note, stored.reviewer, stored.version) == (
        "alleged", "Only Washington says so; Pyongyang denies it.", "ana", 1)

    # Pin the top-ranked passage: saved at once, as version 2.
    first = result.evidence[0]
    pins = [b for b in at.button if (b.key or "").startswith(f"pin-{key}-0-")]
    pins[0].click().run()
    assert ReviewStore(app_env).get(aid, key).pinned == [first.passage_id]
    neutral = [e for e in result.evidence if e.stance == "neutral"]
    assert any(x.label.startswith(f"Neutral evidence ({len(neutral)})") for x in at.expander) == bool(neutral)

    # Dismiss another passage: it leaves the columns for a folded "Dismissed" list (version 3).
    others = [(i, e) for i, e in enumerate(result.evidence) if e.passage_id != first.passage_id]
    dismissed_id = None
    if others:
        index, other = others[0]
        dismissed_id = other.passage_id
        at.button(key=f"dismiss-{key}-{index}-{other.passage_id}").click().run()
        assert ReviewStore(app_env).get(aid, key).dismissed == [dismissed_id]
        assert any(x.label == "Dismissed evidence (1)" for x in at.expander)
    changes = 3 if others else 2

    # A restart: a new session opened from the URL finds the article, the claim and the review.
    again = new_app("ana", article=aid, claim=result.claim.id)
    flag, note = review_widgets(again)
    assert flag.value == "alleged" and note.value == "Only Washington says so; Pyongyang denies it."
    assert any(e.label == f"History ({changes} changes)" for e in again.expander)
    assert any("PINNED" in m.value for m in again.markdown)

    # Or reopen it from the sidebar's recent articles.
    third = new_app("bo")
    assert "report" not in third.session_state
    third.button(key=f"recent-{aid}").click().run()
    assert third.session_state["article"] == aid
    assert third.button(key=f"open-{result.claim.id}").label == "Review"

    # Exports: each format, validated.
    again.text_input(key="meta-review-url").input("https://checks.example/putin-visit").run()
    again.text_input(key="meta-url").input("https://news.example/putin-visit").run()

    def export(fmt: str) -> str:
        again.radio(key="export_format").set_value(fmt).run()
        assert not again.exception
        assert any(d.label.startswith("Download") for d in again.get("download_button"))
        (code,) = again.code
        return code.value

    data = json.loads(export("json"))
    rebuilt = ReviewedArticle.from_dict(data)
    assert to_json(rebuilt) == json.dumps(data, ensure_ascii=False, indent=2)
    reviewed = [c for c in rebuilt.claims if c.review.flag]
    assert [(c.key, c.review.flag) for c in reviewed] == [(key, "alleged")]

    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert len(rows) == len(report.shown)
    (row,) = [r for r in rows if r["claim_key"] == key]
    assert row["flag"] == "alleged" and row["reviewer"] == "ana" and row["review_version"] == str(changes)

    markdown = export("markdown")
    assert f"## {result.claim.id} — Alleged" in markdown and "Only Washington says so" in markdown

    items = json.loads(export("claimreview"))
    assert len(items) == 1
    (item,) = items
    assert claimreview_problems(item) == []
    assert item["@type"] == "ClaimReview" and item["claimReviewed"] == result.claim.text
    assert item["reviewRating"]["alternateName"] == "Alleged"
    assert item["itemReviewed"]["@type"] == "Claim"
    assert item["itemReviewed"]["appearance"]["url"] == "https://news.example/putin-visit"
    assert item["url"] == f"https://checks.example/putin-visit#{key}"
    assert not [w for w in again.warning if w.value.startswith("ClaimReview")]


@pytest.mark.slow
def test_two_sessions_never_overwrite_each_other_silently(app_env, example_article):
    ana, bo = new_app("ana"), new_app("bo")
    for at in (ana, bo):
        check_text(at, example_article)
    result = pick_claim(ana)
    for at in (ana, bo):
        open_claim(at, result.claim.id)

    flag, note = review_widgets(bo)
    flag.set_value("refuted")
    note.input("Bo: the store contradicts it.")
    click(bo, "Save review")

    flag, _ = review_widgets(ana)
    flag.set_value("supported")
    click(ana, "Save review")
    (warning,) = [w for w in ana.warning if "Not saved" in w.value]
    assert "bo" in warning.value and "Refuted" in warning.value and "Supported" in warning.value
    key = ana.session_state["report"].review_key(result)
    stored = ReviewStore(app_env).get(article_id(example_article), key)
    assert (stored.flag, stored.reviewer, stored.version) == ("refuted", "bo", 1)

    # Ana's form now shows Bo's version; her own change is one click away, and saving it on top of Bo's
    # is a deliberate change that succeeds.
    flag, note = review_widgets(ana)
    assert flag.value == "refuted" and note.value == "Bo: the store contradicts it."
    click(ana, "Put my change back in the form")
    flag, note = review_widgets(ana)
    assert flag.value == "supported" and note.value == ""
    click(ana, "Save review")
    stored = ReviewStore(app_env).get(article_id(example_article), key)
    assert (stored.flag, stored.reviewer, stored.version) == ("supported", "ana", 2)
    assert [h.reviewer for h in ReviewStore(app_env).history(article_id(example_article), key)] == ["bo", "ana"]
    reviews, aid = ReviewStore(app_env), article_id(example_article)
    assert [(c.reviewer, c.resolution) for c in reviews.conflicts(aid, key)] == [("ana", "overwrote")]

    # Bo, still on his version 1, changes it and is refused in turn; he keeps Ana's version, and the refused
    # save is recorded as settled that way: nothing of his is saved, nothing of his is left pending.
    flag, _ = review_widgets(bo)
    flag.set_value("unverifiable")
    click(bo, "Save review")
    assert [w for w in bo.warning if "Not saved" in w.value]
    click(bo, "Keep their version")
    assert not [w for w in bo.warning if "Not saved" in w.value or "newer version" in w.value]
    assert any("Kept their version" in s.value for s in bo.success)
    flag, _ = review_widgets(bo)
    assert flag.value == "supported"
    stored = reviews.get(aid, key)
    assert (stored.flag, stored.reviewer, stored.version) == ("supported", "ana", 2)
    assert [(c.reviewer, c.resolution) for c in reviews.conflicts(aid, key)] == [("ana", "overwrote"),
                                                                                 ("bo", "reloaded")]
    assert DraftStore(app_env).get(aid, key, "bo") is None
    refused = [m.value for m in bo.markdown if m.value.startswith("Refused save")]
    assert sorted(line.rsplit(" · ", 1)[1] for line in refused) == ["kept their version", "saved over it afterwards"]


@pytest.mark.slow
def test_a_bad_upload_gets_a_clear_message(app_env):
    at = new_app()
    at.radio(key="input_mode").set_value("Upload a file").run()
    at.file_uploader(key="upload").upload("broken.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf").run()
    at.button(key="check_upload").click().run()
    assert not at.exception
    (error,) = at.error
    assert "broken.pdf" in error.value and "not a readable PDF" in error.value  # names the user's file
    assert "report" not in at.session_state


@pytest.mark.slow
def test_corpus_page_adds_escapes_and_removes_documents(corpus_store, reviews_db, tmp_path, monkeypatch):
    store = shutil.copytree(corpus_store, tmp_path / "store")
    monkeypatch.setenv("FACTCHECK_STORE", str(store))
    docs = tmp_path / "incoming"
    docs.mkdir()
    (docs / "zorblat.md").write_text(
        "---\nid: zorblat-note\ntitle: \"Zorblat <img src=x onerror=alert(1)>\"\npublisher: Evil <b>Press</b>\n---\n"
        "The Zorblat accord was signed in Quenton in 1999. <script>alert('owned')</script> "
        "The Zorblat accord created a joint fishery council.\n", encoding="utf-8")

    at = new_app()
    at.radio(key="page").set_value("Corpus").run()
    before = at.dataframe[0].value
    # The user's store is theirs: the demo corpus is offered quietly, behind a confirmation.
    assert not [b for b in at.button if (b.key or "").startswith("build_store")]
    assert at.button(key="add_demo").disabled and any(x.label.startswith("Bundled demo corpus") for x in at.expander)
    at.text_input(key="corpus_folder").input(str(docs)).run()
    at.button(key="add_folder").click().run()
    assert not at.exception and not at.error
    assert any("1 documents from 1 files" in s.value for s in at.success)
    sources = at.dataframe[0].value
    assert len(sources) == len(before) + 1 and "zorblat-note" in set(sources["doc_id"])

    at.radio(key="page").set_value("Check & review").run()
    check_text(at, "The Zorblat accord was signed in Quenton in 1999.")
    claim = at.session_state["report"].checkworthy[0].claim
    open_claim(at, claim.id)
    html_parts = [m.value for m in at.markdown if m.proto.allow_html]
    shown = "\n".join(html_parts)
    assert "Zorblat" in shown
    assert "<script" not in shown and "<img" not in shown and "<b>Press" not in shown
    assert "&lt;script&gt;" in shown or "&lt;img" in shown

    at.radio(key="page").set_value("Corpus").run()
    at.selectbox(key="remove_doc").set_value("zorblat-note").run()
    at.checkbox(key="remove_sure").check().run()
    at.button(key="remove_button").click().run()
    assert any("Removed" in s.value for s in at.success)
    assert "zorblat-note" not in set(at.dataframe[0].value["doc_id"])


@pytest.mark.slow
def test_pin_before_save_keeps_the_draft_and_a_reload_keeps_unsaved_work(app_env, example_article):
    """Issue 17, item 1: flag, note, then Pin before Save review — nothing typed may be lost."""
    at = new_app("ana")
    check_text(at, example_article)
    result = pick_claim(at)
    open_claim(at, result.claim.id)
    aid, key = article_id(example_article), at.session_state["report"].review_key(result)

    flag, note = review_widgets(at)
    flag.set_value("alleged")
    note.input("Only Washington says so.")
    at.run()
    assert any("Unsaved changes" in m.value for m in at.markdown)
    first = result.evidence[0]
    at.button(key=f"pin-{key}-0-{first.passage_id}").click().run()
    stored = ReviewStore(app_env).get(aid, key)
    assert (stored.flag, stored.note, stored.pinned, stored.version) == (
        "alleged", "Only Washington says so.", [first.passage_id], 1)
    flag, note = review_widgets(at)
    assert (flag.value, note.value) == ("alleged", "Only Washington says so.")
    assert not any("Unsaved changes" in m.value for m in at.markdown)

    # A change not saved yet survives reruns and a reload (a new session from the URL).
    note.input("Only Washington says so; Pyongyang denies it.")
    flag.set_value("denied")
    at.run()
    at.toggle(key="show_all").set_value(True).run()
    assert review_widgets(at)[1].value == "Only Washington says so; Pyongyang denies it."
    again = new_app("ana", article=aid, claim=result.claim.id)
    flag, note = review_widgets(again)
    assert (flag.value, note.value) == ("denied", "Only Washington says so; Pyongyang denies it.")
    assert any("Unsaved changes" in m.value for m in again.markdown)
    assert ReviewStore(app_env).get(aid, key).version == 1  # still a draft, not history
    other = new_app("bo", article=aid, claim=result.claim.id)  # a draft is its author's only
    assert review_widgets(other)[0].value == "alleged"

    # Dismiss saves the draft with it; Discard changes goes back to the saved review.
    second = result.evidence[1]
    again.button(key=f"dismiss-{key}-1-{second.passage_id}").click().run()
    stored = ReviewStore(app_env).get(aid, key)
    assert (stored.flag, stored.dismissed, stored.version) == ("denied", [second.passage_id], 2)
    flag, note = review_widgets(again)
    note.input("Scrap this").run()
    click(again, "Discard changes")
    assert review_widgets(again)[1].value == "Only Washington says so; Pyongyang denies it."

    # The pasted text survives a reload too.
    fresh = new_app("ana")
    assert fresh.text_area(key="paste_text").value == example_article


@pytest.mark.slow
def test_relabel_clear_flag_public_summary_and_publisher_details(app_env, example_article):
    """Issue 17, items 2 and 4: the reviewer's reading leads beside the model's; flags clear; ClaimReview."""
    at = new_app("ana")
    check_text(at, example_article)
    report = at.session_state["report"]
    result = next(r for r in report.checkworthy if r.supporting_evidence)
    open_claim(at, result.claim.id)
    aid, key = article_id(example_article), report.review_key(result)
    passage = result.supporting_evidence[0]
    index = result.evidence.index(passage)

    # Relabel a supporting passage as refuting: saved at once, shown in the other column, both readings shown.
    at.selectbox(key=f"relabel-{key}-{index}-{passage.passage_id}-0").set_value("refutes").run()
    assert not at.exception
    assert ReviewStore(app_env).get(aid, key).relabels == {passage.passage_id: "refutes"}
    refuting = " ".join(m.value for m in at.markdown if "fc-ev-passage" in m.value and "reviewer: refutes" in m.value)
    assert f"reviewer: refutes · model: supports {passage.score:.2f}" in refuting

    # A flag leads wherever the claim is shown, the model's verdict beside it; then it is cleared.
    flag, note = review_widgets(at)
    flag.set_value("supported")
    note.input("Internal: call the ministry.")
    at.text_area(key=f"summary-{key}").input("Officials in two countries confirm it.")
    click(at, "Save review")
    head = next(m.value for m in at.markdown if m.value.startswith("<b>") and "⚑ Supported" in m.value)
    assert f"model: {result.verdict.label.replace('_', ' ')}" in head
    stored = ReviewStore(app_env).get(aid, key)
    assert (stored.flag, stored.public_summary) == ("supported", "Officials in two countries confirm it.")

    at.radio(key="export_format").set_value("claimreview").run()
    assert any("cannot be posted as is" in e.value for e in at.error)  # no URL of the fact-check yet
    (item,) = json.loads(at.code[0].value)
    assert "Officials in two countries" in json.dumps(item) and "call the ministry" not in json.dumps(item)
    at.text_input(key="meta-org").input("Desk Checks").run()
    at.text_input(key="meta-review-url").input("https://checks.example/a").run()
    assert not any("cannot be posted" in e.value for e in at.error)

    click(at, "Clear flag")
    click(at, "Save review")
    assert ReviewStore(app_env).get(aid, key).flag is None
    assert [c.event for c in ReviewStore(app_env).history(aid, key)][-1] == "flag cleared"

    # Publisher details persist into a new session; the byline pre-fills the article's author.
    again = new_app("ana", article=aid)
    assert again.text_input(key="meta-org").value == "Desk Checks"
    assert again.text_input(key="meta-author").value == (byline(example_article) or "")
