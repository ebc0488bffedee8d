"""A time or quantity part of a claim is supported only by a sentence that states it (issue 16, part 2).

"Roy Ekwueme has been chair of the federation since 2019" against "Roy Ekwueme, chair of the federation, said
…": the sentence confirms that he chairs it, not since when. tests/data/qualifiers/ holds two short documents
written for this test (an invented town). Real models, a real Chroma store on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck import Checker, Settings
from factcheck.stance.signals import states_qualifier
from factcheck.verdict import Evidence, weighs

DOCS = Path(__file__).resolve().parent / "data" / "qualifiers"


@pytest.mark.parametrize("role, words, statement, core, sentence, stated", [
    ("time", "since 2019", "He has chaired it since 2019", "He has chaired it", "He chairs it, he said.", False),
    ("time", "since 2019", "He has chaired it since 2019", "He has chaired it", "He has chaired it since 2019.", True),
    ("time", "in May 2024", "It was ordered in May 2024", "It was ordered", "It was ordered on 14 May 2024.", True),
    ("time", "in May 2024", "It was ordered in May 2024", "It was ordered", "It was ordered in March 2024.", False),
    # A span of time is a figure: "at least five years" is not stated by "three years", but is by "six years".
    ("time", "for at least five years", "She was a tenant for at least five years", "She was a tenant",
     "She had been a tenant for three years.", False),
    ("time", "for at least five years", "She was a tenant for at least five years", "She was a tenant",
     "She had been a tenant for six years.", True),
    # A quantity's own figures, in digits or in words; the core's figures are not the part's.
    ("quantity", "Sixty-one per cent", "Sixty-one per cent of tenants backed it", "tenants backed it",
     "Of the tenants, 61 per cent backed it.", True),
    ("quantity", "by £7.58", "The rent rises by £7.58 to £105.98", "The rent rises to £105.98",
     "The rent rises by £6.20 to £105.98.", False),
    ("quantity", "by £7.58", "The rent rises by £7.58 to £105.98", "The rent rises to £105.98",
     "The rent rises to £105.98, an increase of £7.58.", True),
    # Nothing to compare: a weekday, a vague multiple, a place.
    ("time", "on Tuesday", "He arrived on Tuesday", "He arrived", "He arrived.", True),
    ("quantity", "millions of", "It sent millions of shells", "It sent shells", "It sent shells.", True),
    ("place", "in Berlin", "They met in Berlin", "They met", "They met.", True),
])
def test_a_sentence_states_a_qualifier_only_with_its_date_or_figure(role, words, statement, core, sentence, stated):
    assert states_qualifier(role, words, statement, core, sentence) is stated


def test_support_that_does_not_state_the_part_never_counts_for_it():
    item = Evidence(source="a.md", doc_id="a", title="A", passage="p", sentence="s", stance="supports", score=0.9,
                    similarity=0.8, sentence_similarity=0.8, overlap=0.9)
    assert weighs(item)[0]
    item.unstated_part = "since 2019"
    counts, note = weighs(item)
    assert not counts and "since 2019" in note


@pytest.mark.slow
def test_a_time_part_is_not_supported_by_a_sentence_that_never_dates_it(tmp_path):
    from factcheck import EvidenceStore, Ingester

    summary = Ingester(EvidenceStore(tmp_path, create=True)).ingest([DOCS])
    assert summary.documents == 2 and not summary.skipped, summary.describe()
    checker = Checker(Settings(store=str(tmp_path)))
    claims = ["Roy Ekwueme has been chair of the Pellingham Tenants' Federation since 2019.",
              "Pellingham Borough Council was ordered to pay £4,250 to tenant Carla Benning over damp in her flat "
              "in March 2022."]
    for text in claims:
        (result,) = [r for r in checker.check(text).claims if r.claim.checkworthy]
        core, *qualifiers = result.facts
        assert core.role == "core" and core.verdict == "supported", result.facts  # the documents say the rest
        (time,) = [f for f in qualifiers if f.role == "time"]
        year = time.text.split()[-1]
        assert time.verdict != "supported", time
        for item in time.evidence:
            sentence = result.evidence[item.index].sentence
            if item.stance == "supports" and year not in sentence:
                assert not item.counts, (time, sentence)
        assert f"'{time.text}' supported" not in result.reason, result.reason
