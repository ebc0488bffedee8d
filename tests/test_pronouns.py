"""A sentence that opens on "He" or "She" is read as being about the person named just before it, also across
a passage boundary, and is shown as the document writes it."""

from __future__ import annotations

import pytest

from factcheck.evidence.chunking import Passage, chunk_document
from factcheck.evidence.loaders import SourceDocument
from factcheck.evidence.context import in_context, leading_person

# An invented club and coach, written for this test: the fourth sentence opens the document's second passage.
STORY = ("Maria Okafor has been named head coach of the Riverside Rowing Club. "
         "She previously coached the junior squad at Lakeside for six years. "
         "She won a silver medal in the women's pair at the 2012 Olympic Games. "
         "She will be the first woman to coach the club since it was founded in 1901. "
         "The club's members approved the appointment at a meeting on 3 May.")


def test_a_leading_he_or_she_reads_as_the_person_named_before():
    sentences = ["Dr Nadia Fairclough has been appointed chief executive.", "She trained as a physician.",
                 "Her appointment was unanimous.", "It was announced on Monday."]
    assert in_context(sentences) == [
        "Dr Nadia Fairclough has been appointed chief executive.", "Dr Nadia Fairclough trained as a physician.",
        "Dr Nadia Fairclough's appointment was unanimous.", "It was announced on Monday."]
    # The sentence before the passage names the person for its first sentence.
    assert in_context(["He said no."], before="Jenny Town, a researcher, spoke on Friday.") == ["Jenny Town said no."]


@pytest.mark.parametrize("before", ["The hospital said it was sorry.", "In 2000 Putin visited.", "",
                                    "Officials said so."])
def test_no_person_at_the_start_before_leaves_the_pronoun(before):
    assert in_context(["He said no."], before=before) == ["He said no."]


def test_a_leading_name_may_hold_accents_and_particles_but_not_end_on_a_possessive():
    assert leading_person("Ursula von der Leyen said on Monday that …") == "Ursula von der Leyen"
    assert leading_person("José Álvarez resigned on Friday.") == "José Álvarez"
    assert leading_person("North Korea's leader Kim Jong Un said so.") is None
    assert in_context(["North Korea's leader spoke.", "He said no."]) == ["North Korea's leader spoke.", "He said no."]


def test_a_leading_name_needs_two_names_or_a_title():
    assert leading_person("President Putin arrived on Tuesday.") == "President Putin"
    assert leading_person("Kim Jong Un met him at the airport.") == "Kim Jong Un"
    assert leading_person("Putin arrived on Tuesday.") is None
    assert leading_person("The Riverside Rowing Club said so.") is None


def test_each_passage_keeps_the_sentence_before_it_through_the_store_metadata():
    doc = SourceDocument(doc_id="club", source="club.txt", text=STORY)
    first, second = chunk_document(doc, sentences_per_passage=3)
    assert first.before == ""
    # As read in its context: the run of "She …" sentences goes on naming Maria Okafor.
    assert second.before == "Maria Okafor won a silver medal in the women's pair at the 2012 Olympic Games."
    assert second.sentence_texts()[0].startswith("She will be the first woman")
    stored = Passage.from_stored(second.id, second.text, second.metadata())
    assert stored.before == second.before


@pytest.mark.slow
def test_a_claim_about_the_person_is_judged_on_the_pronoun_sentence_of_the_next_passage(tmp_path):
    from factcheck import Checker, EvidenceStore, Ingester, Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "club.txt").write_text(STORY, encoding="utf-8")
    store = tmp_path / "store"
    Ingester(EvidenceStore(store, create=True)).ingest([docs])
    checker = Checker(Settings(store=str(store)))

    def verdict(claim: str):
        (checked,) = [c for c in checker.check(claim).claims if c.claim.checkworthy]
        return checked

    true = verdict("Maria Okafor will be the first woman to coach the Riverside Rowing Club since it was founded in "
                   "1901.")
    assert true.verdict.label == "supported", true.verdict.note
    # Shown as the document writes it, not as the judge read it.
    assert any(e.sentence.startswith("She will be the first woman") for e in true.evidence if e.stance == "supports")
    false = verdict("Maria Okafor will be the second woman to coach the Riverside Rowing Club since it was founded "
                    "in 1901.")
    assert false.verdict.label == "refuted", false.verdict.note


@pytest.mark.slow
def test_ingest_brings_a_store_built_before_the_sentence_before_up_to_date(tmp_path, monkeypatch):
    from factcheck import EvidenceStore, Ingester

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "club.txt").write_text(STORY, encoding="utf-8")
    store = EvidenceStore(tmp_path / "store", create=True)
    # A store written by a version whose passages had no "before" in their metadata.
    written = Passage.metadata
    monkeypatch.setattr(Passage, "metadata", lambda self: {k: v for k, v in written(self).items() if k != "before"})
    Ingester(store).ingest([docs])
    monkeypatch.undo()
    assert [p.before for p in store.passages()] == ["", ""]

    summary = Ingester(store).ingest([docs])
    assert (summary.passages_added, summary.passages_removed, summary.passages_refreshed) == (0, 0, 2)
    assert "brought up to date" in summary.describe()
    by_index = {p.index: p for p in EvidenceStore(tmp_path / "store").passages()}
    assert by_index[1].before.startswith("Maria Okafor won a silver medal")  # read in its context
    assert Ingester(store).ingest([docs]).passages_refreshed == 0  # nothing left to do

    # An edit of the sentence before a passage changes that passage's "before" but not its text or id.
    (docs / "club.txt").write_text(STORY.replace("a silver medal", "a bronze medal"), encoding="utf-8")
    summary = Ingester(store).ingest([docs])
    assert (summary.passages_added, summary.passages_removed, summary.passages_refreshed) == (1, 1, 1)
    by_index = {p.index: p for p in EvidenceStore(tmp_path / "store").passages()}
    assert "bronze medal" in by_index[1].before and by_index[1].text.startswith("She will be the first woman")
