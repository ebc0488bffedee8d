"""The in-domain pair generator: each edit on sentences from several domains, its label, and its limits."""

from __future__ import annotations

import re

import pytest

from factcheck.resources import get_nlp
from factcheck.training.perturb import (
    KIND_LABELS,
    GeneratedPair,
    ReferenceDocument,
    generate_pairs,
    split_of,
)

# A few documents across domains (none is from the shipped corpus or the example article).
DOCUMENTS = (
    ReferenceDocument("politics", "corpus", (
        "However, Germany approved the new climate law in March 2021.",
        "The parliament in Berlin voted 412 to 180 for the bill (after a long debate).",
        "Chancellor Olaf Scholz said the law would cut emissions.",
    )),
    ReferenceDocument("sport", "corpus", (
        "Argentina beat France in the 2022 World Cup final.",
        "The match in Lusail drew more than 88,000 spectators.",
        "Lionel Messi scored twice for the winners.",
    )),
    ReferenceDocument("science", "scifact", (
        "Metformin reduces the risk of colorectal cancer in diabetic patients.",
        "Expression of p53 was not increased in 45% of the tumours.",
        "The trial enrolled 5,000 patients across 12 countries.",
    )),
    ReferenceDocument("caption", "nli", (
        "A man is riding a red motorcycle down the street.",
    )),
    ReferenceDocument("space", "corpus", (
        "NASA launched the Artemis I mission in November 2022.",
        "The Orion capsule returned to Earth after 25 days.",
    )),
    ReferenceDocument("economy", "corpus", (
        "The central bank raised its main interest rate to 4.5% in June.",
        "Inflation has fallen for three months in a row.",
        "Economists at the bank expect growth to slow next year.",
    )),
)


@pytest.fixture(scope="module")
def pairs() -> list[GeneratedPair]:
    return list(generate_pairs(DOCUMENTS, get_nlp(), seed=7))


def _of(pairs, kind, sentence):
    """The pair of one kind generated from one source sentence (the original is the claim or the evidence)."""
    found = [p for p in pairs if p.kind == kind and sentence in (p.claim, p.evidence)]
    return found[0] if found else None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w.,%$]+", text)


@pytest.mark.parametrize(
    "kind, sentence, check",
    [
        # number: one figure changed, the rest untouched
        ("number", "The trial enrolled 5,000 patients across 12 countries.",
         lambda p: len(set(_words(p.claim)) ^ set(_words(p.evidence))) == 2),
        ("number", "The central bank raised its main interest rate to 4.5% in June.",
         lambda p: "4.5" not in p.claim and p.claim.startswith("The central bank raised its main interest rate to")),
        # date: a month name changed
        ("date", "However, Germany approved the new climate law in March 2021.",
         lambda p: "March" not in p.claim and "2021" in p.claim),
        # negation: added at the main verb, or removed
        ("negation", "Metformin reduces the risk of colorectal cancer in diabetic patients.",
         lambda p: p.claim.startswith("Metformin does not reduce the risk")),
        ("negation", "Expression of p53 was not increased in 45% of the tumours.",
         lambda p: p.claim == "Expression of p53 was increased in 45% of the tumours."),
        ("negation", "Inflation has fallen for three months in a row.",
         lambda p: p.claim == "Inflation has not fallen for three months in a row."),
        # antonym: one hand-listed word flipped
        ("antonym", "Metformin reduces the risk of colorectal cancer in diabetic patients.",
         lambda p: "raises" in p.claim and "reduces" not in p.claim),
        ("antonym", "The central bank raised its main interest rate to 4.5% in June.",
         lambda p: "reduced" in p.claim),
        # swapped roles: only for verbs where one side excludes the other
        ("swapped_roles", "Argentina beat France in the 2022 World Cup final.",
         lambda p: p.claim == "France beat Argentina in the 2022 World Cup final."),
        # another actor: the subject replaced by another of its type, never a name already in the document
        ("other_actor", "However, Germany approved the new climate law in March 2021.",
         lambda p: "Germany" not in p.claim and p.claim.endswith("approved the new climate law in March 2021.")),
        # a denial as evidence, by the sentence's own subject when it names one
        ("denial", "Lionel Messi scored twice for the winners.",
         lambda p: p.claim == "Lionel Messi scored twice for the winners."
         and p.evidence.startswith("Lionel Messi ") and "Messi scored twice for the winners" in p.evidence
         and re.search(r"denied|rejected|dismissed", p.evidence)),
        # an attribution as evidence: the sentence, reported
        ("attribution", "The trial enrolled 5,000 patients across 12 countries.",
         lambda p: "the trial enrolled 5,000 patients across 12 countries" in p.evidence
         and re.search(r"said that|According to|reported that", p.evidence)),
        # a caption's article is lowered inside the frame, an acronym is not
        ("denial", "A man is riding a red motorcycle down the street.",
         lambda p: re.search(r"(denied|rejected claims|dismissed reports) that a man is riding", p.evidence)),
        ("attribution", "NASA launched the Artemis I mission in November 2022.",
         lambda p: "NASA launched the Artemis I mission in November 2022" in p.evidence),
        # a paraphrase out of context: no connective, no parenthesis
        ("paraphrase", "However, Germany approved the new climate law in March 2021.",
         lambda p: p.claim == "Germany approved the new climate law in March 2021."),
        ("paraphrase", "The parliament in Berlin voted 412 to 180 for the bill (after a long debate).",
         lambda p: p.claim == "The parliament in Berlin voted 412 to 180 for the bill."),
        # the sentence less a phrase on its verb, as a claim the full sentence supports
        ("detail_dropped", "The central bank raised its main interest rate to 4.5% in June.",
         lambda p: p.evidence == "The central bank raised its main interest rate to 4.5% in June."
         and p.claim in ("The central bank raised its main interest rate to 4.5%.",
                         "The central bank raised its main interest rate in June.")),
        # the sentence with its neighbour
        ("restated", "Lionel Messi scored twice for the winners.",
         lambda p: p.claim == "Lionel Messi scored twice for the winners." and p.evidence.endswith(p.claim)),
        # another sentence of the same document that does not state it
        ("other_sentence", "Inflation has fallen for three months in a row.",
         lambda p: p.evidence in DOCUMENTS[-1].sentences and p.evidence != p.claim),
    ],
)
def test_each_edit_makes_its_pair_with_its_label(pairs, kind, sentence, check):
    pair = _of(pairs, kind, sentence)
    assert pair is not None, f"no {kind} pair from {sentence!r}"
    assert pair.label == KIND_LABELS[kind]
    assert check(pair), pair


@pytest.mark.parametrize(
    "kind, sentence, why",
    [
        ("number", "The match in Lusail drew more than 88,000 spectators.", "a figure under a bound may stay true"),
        ("antonym", "Expression of p53 was not increased in 45% of the tumours.", "not increased / not decreased"),
        ("other_actor", "Argentina beat France in the 2022 World Cup final.", "exclusive roles: another winner refutes"),
        ("swapped_roles", "Chancellor Olaf Scholz said the law would cut emissions.", "roles that do not exclude"),
        ("denial", "Chancellor Olaf Scholz said the law would cut emissions.", "a report is not wrapped again"),
        ("date", "The trial enrolled 5,000 patients across 12 countries.", "no month to change"),
        ("detail_dropped", "Expression of p53 was not increased in 45% of the tumours.",
         "a negated sentence less a detail says more"),
        ("detail_dropped", "The match in Lusail drew more than 88,000 spectators.",
         "a comparison less a detail may say more"),
    ],
)
def test_an_edit_that_would_mislabel_is_not_made(pairs, kind, sentence, why):
    assert _of(pairs, kind, sentence) is None, why


def test_labels_follow_the_table_and_a_denial_is_never_support(pairs):
    assert {p.kind for p in pairs} == set(KIND_LABELS)
    assert all(p.label == KIND_LABELS[p.kind] for p in pairs)
    assert KIND_LABELS["denial"] == "neutral" and KIND_LABELS["attribution"] == "supports"
    with pytest.raises(ValueError, match="labelled"):
        GeneratedPair("a", "b", "supports", "denial", "d", "corpus")


def test_generation_is_deterministic_and_independent_of_document_order(pairs):
    nlp = get_nlp()
    again = list(generate_pairs(DOCUMENTS, nlp, seed=7))
    reordered = list(generate_pairs(DOCUMENTS[::-1], nlp, seed=7))
    assert again == pairs
    assert sorted(reordered, key=repr) == sorted(pairs, key=repr)
    other_seed = list(generate_pairs(DOCUMENTS, nlp, seed=8))
    assert other_seed != pairs  # the seed picks the replacement values


def test_split_by_document_is_stable_and_about_one_in_ten():
    ids = [f"doc-{i}" for i in range(2000)]
    sides = [split_of(i) for i in ids]
    assert sides == [split_of(i) for i in ids]
    assert 0.07 < sides.count("eval") / len(ids) < 0.13
