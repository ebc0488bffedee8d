"""Claim extraction: spans, ids and flags."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from factcheck.claims import ClaimExtractor
from factcheck.errors import InputError


@pytest.fixture(scope="session")
def extractor():
    ex = ClaimExtractor()
    ex.warm_up()
    return ex


def test_empty_text_is_an_input_error():
    with pytest.raises(InputError):
        ClaimExtractor().extract("  \n ")


@pytest.mark.slow
def test_spans_are_exact_and_ids_in_order(extractor):
    text = "Heading line\n\nThe bank raised rates to 5% in May. Did it help?\n"
    claims = extractor.extract(text)
    assert [c.id for c in claims] == [f"c{i + 1}" for i in range(len(claims))]
    for c in claims:
        assert text[c.start : c.end].strip() == text[c.start : c.end]
    assert any(not c.checkworthy and text[c.start : c.end].endswith("?") for c in claims)
