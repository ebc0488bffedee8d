"""Claims in context and fact by fact: the standalone form, anchored dates, the parts of a claim, opinions.

The tables are the spec. Each row is a short article (several sentences, so the context comes from the
text itself) and what a careful reader makes of its last claim.
"""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.claims.dates import anchor_dates, article_date, dateline_length, parse_date
from factcheck.claims.extract import ClaimExtractor
from factcheck.claims.facts import ROLES
from factcheck.errors import InputError

# --- the article's date: no model needed ------------------------------------------------------

DATED = [
    ("---\ntitle: Budget day\ndate: 2023-11-22\n---\nThe chancellor cut national insurance.", dt.date(2023, 11, 22)),
    ("LONDON, March 3 (Reuters) - Shares fell on Monday. Profits in 2021 had doubled.", dt.date(2021, 3, 3)),
    ("NAIROBI, Sept. 14, 2019 (AP) — The runner broke the record on Saturday.", dt.date(2019, 9, 14)),
    ("The council voted on Tuesday to close the library.", None),  # no date of its own
    ("PARIS, June 40 (AFP) - A date that does not exist in 2024.", None),
]


@pytest.mark.parametrize(("text", "expected"), DATED, ids=[t[:30] for t, _ in DATED])
def test_article_date_from_front_matter_or_dateline(text, expected):
    assert article_date(text) == expected


@pytest.mark.parametrize(("line", "rest"), [
    ("LONDON, March 3 (Reuters) - Shares fell on Monday.", "Shares fell on Monday."),
    ("NAIROBI, Sept. 14, 2019 (AP) — The runner broke the record.", "The runner broke the record."),
    ("SEOUL, South Korea (AP) — North Korea fired two missiles.", "North Korea fired two missiles."),
    ("Frankfurt — The European Central Bank cut its rates.", "The European Central Bank cut its rates."),
    ("WASHINGTON—The Federal Reserve kept its rates on hold.", "The Federal Reserve kept its rates on hold."),
    # No dateline: a sentence, a title, an aside between two dashes, a dash before a lower-case word.
    ("Vladimir Putin will visit North Korea.", None),
    ("Putin to visit North Korea for first time in 24 years", None),
    ("Russia — North Korea's closest ally — has denied it.", None),
    ("Kim Jong Un — who rarely travels — went by train.", None),
])
def test_a_leading_dateline_is_measured_and_nothing_else(line, rest):
    cut = dateline_length(line)
    assert (line[cut:] if cut else None) == rest


def test_a_claim_never_starts_with_the_dateline(extractor):
    text = ("North Korea fires missiles\n\nSEOUL, June 17, 2024 (Reuters) - North Korea fired two ballistic missiles "
            "into the sea on Monday, South Korea's military said.\n\nFrankfurt — The bank cut its rates.")
    claims = extractor.extract(text)
    first = next(c for c in claims if "missiles into" in c.text)
    assert first.text.startswith("North Korea fired") and text[first.start:first.end] == first.text
    assert "June 2024" in first.standalone, first.standalone  # the dateline still dates the claim
    # Only the article's opening carries a dateline: a later line starting like one is left as written.
    assert any(c.text.startswith("Frankfurt") for c in claims)


def test_a_bad_date_is_an_input_error_that_says_the_format():
    assert parse_date("2024-06-14") == dt.date(2024, 6, 14)
    for bad in ("14/06/2024", "2024-13-01", "yesterday"):
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            parse_date(bad)


# --- the parse-based tables ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    ex = ClaimExtractor(use_model=False)  # the rules decide everything tested here
    ex.warm_up()
    return ex


# (article, date, words the last claim's standalone form must contain, words it must not contain)
STANDALONE = [
    # A role phrase becomes the one person the article named who fits it.
    ("German Chancellor Olaf Scholz met Emmanuel Macron in Paris. The German chancellor promised more aid.",
     None, ["Olaf Scholz promised more aid"], ["The German chancellor"]),
    ("Joe Biden hosted Japanese Prime Minister Fumio Kishida at the White House. The Japanese leader announced "
     "a new defence budget.", None, ["Fumio Kishida announced"], []),
    # Two who fit: the phrase stays as written.
    ("Joe Biden hosted Fumio Kishida at the White House. The Japanese leader announced a new defence budget.",
     None, ["The Japanese leader announced"], []),
    ("Rishi Sunak met Keir Starmer in parliament. The British leader promised lower taxes.",
     None, ["The British leader promised"], []),
    # An organisation named in full earlier stands behind "the council".
    ("Leeds City Council approved the plan in March. The city council will sell the depot next year.",
     dt.date(2024, 5, 2), ["Leeds City Council will sell the depot in 2025"], []),
    # A capital acting as its government becomes the country.
    ("Tensions rose over the strait. Beijing recalled its ambassador on Monday.",
     dt.date(2024, 4, 10), ["China (Beijing) recalled its ambassador on Monday 8 April 2024"], []),
    # "he" opening a sentence stands for the person the previous sentence was about.
    ("Serena Williams won the final in three sets. She has now won 23 Grand Slam titles.",
     None, ["Serena Williams has now won 23 Grand Slam titles"], []),
    # "her offer" is the offer the sentence before spelled out.
    ("Mayor Anne Hidalgo invited the athletes to swim in the Seine. The champion accepted her offer on Friday.",
     dt.date(2024, 7, 15), ["offer to swim in the Seine", "Friday 12 July 2024"], ["her offer"]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "date", "present", "absent"), STANDALONE, ids=[r[0][:40] for r in STANDALONE])
def test_standalone_form_resolves_from_the_article(extractor, text, date, present, absent):
    claim = extractor.extract(text, date=date)[-1]
    for words in present:
        assert words in claim.standalone, (claim.standalone, claim.context)
    for words in absent:
        assert words not in claim.standalone, (claim.standalone, claim.context)
    # The claim's own words and span stay as written; what changed is listed for the reviewer.
    assert text[claim.start : claim.end] in text and claim.text
    if claim.standalone != claim.text:
        assert claim.context and all(r.resolved in claim.standalone for r in claim.context)


# (sentence, article date, the anchored words the standalone form must contain)
DATES = [
    ("The minister will visit Nairobi on Tuesday.", dt.date(2024, 6, 14), "on Tuesday 18 June 2024"),
    ("The minister visited Nairobi on Tuesday.", dt.date(2024, 6, 14), "on Tuesday 11 June 2024"),
    ("The club sacked its manager yesterday.", dt.date(2023, 3, 1), "on 28 February 2023"),
    ("Inflation has fallen since September.", dt.date(2024, 6, 14), "since September 2023"),
    ("The probe will reach the asteroid in October.", dt.date(2024, 6, 14), "in October 2024"),
    ("Exports fell by 9% last month.", dt.date(2024, 1, 20), "in December 2023"),
    ("The factory will reopen next week.", dt.date(2024, 6, 14), "in the week of 17 June 2024"),
    ("Turnout rose this year.", dt.date(2022, 11, 8), "in 2022"),
    ("The ceasefire ended last Friday.", dt.date(2024, 6, 12), "on Friday 7 June 2024"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("sentence", "date", "anchored"), DATES, ids=[r[0][:40] for r in DATES])
def test_relative_dates_are_anchored_on_the_article_date(extractor, sentence, date, anchored):
    (claim,) = extractor.extract(sentence, date=date)
    assert anchored in claim.standalone, claim.standalone
    assert claim.text == extractor.extract(sentence)[0].text  # the date changes the standalone form only
    assert extractor.extract(sentence)[0].standalone == claim.text  # no date known: nothing anchored


@pytest.mark.slow
def test_dates_that_name_their_day_or_year_are_left_alone(extractor):
    for sentence in ("The treaty was signed on 19 June 2024.", "Turnout fell in September 2019.",
                     "The bank will decide on Thursday 6 June."):
        (claim,) = extractor.extract(sentence, date=dt.date(2024, 6, 14))
        assert claim.standalone == claim.text, claim.standalone
        assert anchor_dates(extractor._nlp(sentence), list(range(len(extractor._nlp(sentence)))),
                            dt.date(2024, 6, 14)) == []


@pytest.mark.slow
@pytest.mark.parametrize(("sentence", "anchored"), [
    ("The law was published in July 2024 and came into force that September.", "in September 2024"),
    ("The band formed in March 2019 and released its first album later that year.", "later in 2019"),
    ("The plant opened in 2010 and closed the same year.", "closed in 2010"),
    ("The plant opened in 2010 and closed in that same year.", "closed in 2010"),
])
def test_a_claim_dates_that_month_or_that_year_by_its_own_earlier_year(extractor, sentence, anchored):
    # No article date is needed: the claim names the year it refers back to.
    (claim,) = extractor.extract(sentence)
    assert anchored in claim.standalone, claim.standalone
    assert claim.text.rstrip(".") in sentence  # the claim's words and spans are untouched


# (sentence, the core, {role: qualifier words})
FACTS = [
    ("North Korea supplied Russia with millions of artillery shells since September 2023.",
     "North Korea supplied Russia with artillery shells", {"quantity": "millions of", "time": "since September 2023"}),
    ("The company cut 12,000 jobs in 2023.", "The company cut jobs", {"quantity": "12,000", "time": "in 2023"}),
    ("Measles cases rose by 79% in Europe in 2023.",
     "Measles cases rose", {"quantity": "by 79%", "place": "in Europe", "time": "in 2023"}),
    ("The vaccine was approved by the European Medicines Agency in December 2020.",
     "The vaccine was approved", {"agent": "by the European Medicines Agency", "time": "in December 2020"}),
    ("The protesters gathered in Berlin on Saturday.", "The protesters gathered",
     {"place": "in Berlin", "time": "on Saturday"}),
    # What hangs off a date goes with it; a preposition left without its object goes; a tally stays whole.
    ("The stadium has reopened to fans after four years of repairs.", "The stadium has reopened to fans",
     {"time": "after four years of repairs"}),
    ("The board approved a $40 million plan for fiscal 2026 in a 5-4 vote.",
     "The board approved a plan in a 5-4 vote", {"quantity": "$40 million", "time": "for fiscal 2026"}),
    # A currency sign and "per cent" go with their figure; a share that is the subject stays in the core.
    ("The weekly rent goes up by £7.58 from April.", "The weekly rent goes up", {"quantity": "by £7.58",
                                                                              "time": "from April"}),
    ("Unemployment fell to 4.9 per cent in June.", "Unemployment fell", {"quantity": "to 4.9 per cent",
                                                                         "time": "in June"}),
    ("Sixty-one per cent of the tenants backed the merger.", "Sixty-one per cent of the tenants backed the merger",
     {}),
    # Nothing to split off: one core part.
    ("The bridge carries the main road over the river.", "The bridge carries the main road over the river", {}),
    # "the two countries" names them; it does not count them.
    ("The two countries signed a partnership agreement.", "The two countries signed a partnership agreement", {}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("sentence", "core", "qualifiers"), FACTS, ids=[r[0][:40] for r in FACTS])
def test_claim_splits_into_core_and_qualifiers(extractor, sentence, core, qualifiers):
    (claim,) = extractor.extract(sentence)
    got = {p.role: p.text for p in claim.parts if p.role != "core"}
    assert [p.text for p in claim.parts if p.role == "core"] == [core], claim.parts
    assert got == qualifiers, claim.parts
    assert all(p.role in ROLES for p in claim.parts)
    for part in claim.parts[1:]:
        # A qualifier is judged as the core with that qualifier only.
        assert core.split()[0] in part.statement and part.text.split()[-1] in part.statement
        others = [q for r, q in qualifiers.items() if q != part.text]
        if others:
            assert not any(other in part.statement for other in others), part


# (sentence, [(role, statement)] of the core and each coordinated clause)
CLAUSES = [
    # A second predicate with its own object: judged as a clause of its own, with the subject and the auxiliary
    # it shares; its qualifiers follow it and are judged with it, not with the first.
    ("The Halvorsen firm is giving £2.5 million to the college and will guarantee a job interview to its apprentices "
     "each year.",
     [("core", "The Halvorsen firm is giving £2.5 million to the college"),
      ("clause", "The Halvorsen firm will guarantee a job interview to its apprentices")]),
    ("Passengers on the diverted flight faced a coach trip back to Carrowby and got home three hours late.",
     [("core", "Passengers on the diverted flight faced a coach trip back to Carrowby"),
      ("clause", "Passengers on the diverted flight got home three hours late")]),
    # Coordinated subjects or objects are one act, not two clauses.
    ("Russia and North Korea signed a treaty in June 2024.", [("core", "Russia and North Korea signed a treaty")]),
    ("The council sold the library and the museum.", [("core", "The council sold the library and the museum")]),
    # A first verb that shares what follows it is one act with the second.
    ("The council bought and restored the old mill.", [("core", "The council bought and restored the old mill")]),
    ("Prices rose and fell by 3% in 2023.", [("core", "Prices rose and fell")]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("sentence", "clauses"), CLAUSES, ids=[r[0][:40] for r in CLAUSES])
def test_a_claim_of_coordinated_predicates_is_checked_clause_by_clause(extractor, sentence, clauses):
    (claim,) = extractor.extract(sentence)
    assert [(p.role, p.statement) for p in claim.parts if p.role in ("core", "clause")] == clauses, claim.parts
    if len(clauses) > 1:
        # "each year" qualifies the second clause: it is judged with that clause's core.
        for part in claim.parts:
            if part.role == "time":
                assert part.statement.startswith(clauses[1][1].split(" will ")[0]) and "guarantee" in part.statement
                assert "£2.5 million" not in part.statement


# (text, opinion?, who is checked)
OPINIONS = [
    ("“This budget is a betrayal of working families,” the opposition leader said.", True, "the opposition leader"),
    ("The new stadium is a disgrace, the fans' union said.", True, "the fans' union"),
    ("The council's decision was reckless.", True, None),
    ("The government should scrap the tax, the economist argued.", True, "the economist"),
    ("The budget cut spending on schools by 4%, the opposition leader said.", False, None),
    ("The stadium cost £1.2 billion to build.", False, None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "opinion", "source"), OPINIONS, ids=[r[0][:40] for r in OPINIONS])
def test_opinions_are_marked_and_only_their_speaker_is_checked(extractor, text, opinion, source):
    (claim,) = extractor.extract(text)
    assert claim.opinion is opinion, (claim.text, claim.checkworthy_reason)
    if not opinion:
        assert claim.parts and claim.parts[0].role == "core"
    elif source is None:
        assert claim.parts == []  # nobody to check it against
    else:
        (part,) = claim.parts
        assert part.role == "attribution" and part.text.lower() == source.lower()
        assert part.statement.lower().startswith(f"{source.lower()} said that ")


# --- how a report shows it: no model needed ---------------------------------------------------


def _result(verdicts: dict[str, str], opinion: bool = False):
    from factcheck.claims.context import Resolved
    from factcheck.claims.extract import Claim
    from factcheck.report import ClaimResult, Fact
    from factcheck.verdict import Verdict

    claim = Claim(id="c1", text="The mayor opened 3 schools on Monday", sentence="The mayor opened 3 schools on Monday.",
                  start=0, end=36, sentence_start=0, sentence_end=37, source="the council" if opinion else None,
                  standalone="Ana Ruiz opened 3 schools on Monday 2 September 2024", opinion=opinion,
                  context=[Resolved("The mayor", "Ana Ruiz"), Resolved("Monday", "Monday 2 September 2024")])
    facts = [Fact(text=text, role=role, statement=text, verdict=verdict) for (role, text), verdict in
             zip([("core", "Ana Ruiz opened schools"), ("quantity", "3"), ("time", "on Monday 2 September 2024")],
                 verdicts.values())]
    return ClaimResult(claim=claim, verdict=Verdict("supported", 0.8, 1, 0), facts=facts, reason="core supported")


@pytest.mark.parametrize(("verdicts", "misleading"), [
    ({"core": "supported", "quantity": "refuted", "time": "supported"}, True),
    ({"core": "supported", "quantity": "supported", "time": "not_enough_evidence"}, False),
    ({"core": "refuted", "quantity": "refuted", "time": "refuted"}, False),  # false, not misleading
    ({"core": "not_enough_evidence", "quantity": "refuted", "time": "supported"}, False),
])
def test_a_supported_core_with_a_refuted_qualifier_is_misleading(verdicts, misleading):
    assert _result(verdicts).misleading is misleading


def test_reports_show_the_standalone_form_and_the_parts():
    from factcheck.report import Report

    result = _result({"core": "supported", "quantity": "supported", "time": "supported"})
    report = Report(input="-", text=result.claim.sentence, claims=[result], date="2024-09-05")
    data = report.to_dict()
    assert data["date"] == "2024-09-05"
    (claim,) = data["claims"]
    assert claim["standalone"] == result.claim.standalone and claim["text"] == result.claim.text
    assert [f["role"] for f in claim["facts"]] == ["core", "quantity", "time"] and "parts" not in claim
    assert claim["context"][0] == {"mention": "The mayor", "resolved": "Ana Ruiz"}
    for rendering in (report.to_text(), report.to_markdown()):
        assert "Ana Ruiz opened 3 schools on Monday 2 September 2024" in rendering
        assert "core supported" in rendering


def test_an_aside_saying_where_a_thing_is_from_is_judged_with_the_claim():
    from factcheck.pipeline import judged_text

    extractor = ClaimExtractor()
    based = extractor.extract("Conflict Armament Research, the US-based weapons-tracing group, examined the remains "
                              "of the missile in February 2024.")[0]
    assert "US-based" not in based.query  # searched for without the aside …
    assert "US-based" in judged_text(based)  # … but judged with it: it is a checkable detail
    # An aside that only names its thing again is context: the claim is judged as searched.
    plain = extractor.extract("Maria Lopez, the city's chief prosecutor, resigned from her post in May 2019.")[0]
    assert judged_text(plain) == plain.query
