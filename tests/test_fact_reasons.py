"""How a part's reason names its evidence: each side by document, a reported dispute as a dispute, never as support."""

from __future__ import annotations

import pytest

from factcheck.pipeline import _fact_reason
from factcheck.verdict import Evidence


def _evidence(title: str, stance: str, disputed: bool = False, denial: bool = False) -> Evidence:
    return Evidence(source=f"{title}.md", doc_id=title.lower(), title=title, passage="p", sentence="s",
                    stance=stance, score=0.9, similarity=0.8, counts=True, disputed=disputed, denial=denial)


US = _evidence("US statement", "supports")
DENIAL = _evidence("Defence ministry denial", "refutes")
DISPUTE = _evidence("Reports of the dispute", "refutes", disputed=True)
SELF_DENIAL = _evidence("Ministry says it never did", "refutes", denial=True)


@pytest.mark.parametrize("label, counted, expected", [
    ("supported", [US], "supported by “US statement”"),
    ("refuted", [DENIAL], "refuted by “Defence ministry denial”"),
    ("conflicting", [US, DENIAL], "supported by “US statement” but refuted by “Defence ministry denial”"),
    ("conflicting", [US, DENIAL, DISPUTE],
     "supported by “US statement” but refuted by “Defence ministry denial”; disputed in “Reports of the dispute”"),
    ("conflicting", [DISPUTE], "disputed in “Reports of the dispute”"),
    ("conflicting", [US, DISPUTE], "supported by “US statement”; disputed in “Reports of the dispute”"),
    ("not_enough_evidence", [], "unverified: no passage bears on it strongly enough"),
    # A denial beside independent confirmation: the part is supported, and the denial is named as one.
    ("supported", [US, SELF_DENIAL], "supported by “US statement”; denied in “Ministry says it never did”"),
    ("supported", [US, SELF_DENIAL, DISPUTE],
     "supported by “US statement”; denied in “Ministry says it never did”; disputed in “Reports of the dispute”"),
    ("refuted", [SELF_DENIAL], "refuted by “Ministry says it never did”"),
])
def test_reason_names_each_side_and_a_dispute_as_a_dispute(label, counted, expected):
    assert _fact_reason(label, counted) == expected


def test_a_reported_dispute_is_never_named_as_support():
    reason = _fact_reason("conflicting", [DISPUTE, _evidence("Other dispute", "supports", disputed=True)])
    assert "supported by" not in reason and "refuted by" not in reason
    assert reason == "disputed in “Reports of the dispute”, “Other dispute”"


def test_a_part_whose_support_never_states_it_says_so():
    assert _fact_reason("not_enough_evidence", [], unstated=2) == (
        "unverified: no passage states it (2 support the rest of the claim without it)")
    assert _fact_reason("not_enough_evidence", [], unstated=1).endswith("(1 supports the rest of the claim without it)")
