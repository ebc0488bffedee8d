"""Who acts, what a figure counts, and what is not evidence at all: the judge's parse-based checks."""

from __future__ import annotations

import threading

import pytest

from factcheck.stance import roles
from factcheck.stance.signals import compare, is_furniture, reports_allegation


@pytest.fixture(scope="module")
def parse():
    from factcheck.resources import get_nlp

    nlp = get_nlp()
    return lambda text: nlp(text)


@pytest.mark.parametrize("sentence, furniture", [
    ("# Fiscal 2025 budget adopted", True),
    ("## Police", True),
    ('title: "Riverton City Council adopts fiscal 2025 budget"', True),
    ("date: 2024-06-19", True),
    ("Photo: The reading room of the Riverton Main Library", True),
    ("The two countries could sign a new agreement, the Kremlin said (Sputnik)", True),
    ("Main Library To Reopen On Sundays", True),
    ("The police budget rises 4.2 percent to $98.3 million.", False),
    ("Roman Atwood is a content creator", False),
    ("RESULTS Mortality fell by 20%.", False),
])
def test_headings_captions_and_front_matter_are_not_evidence(sentence, furniture):
    assert is_furniture(sentence) is furniture


@pytest.mark.parametrize("claim, evidence, kind", [
    # One event dated on the same day of another year, though both texts share "fiscal 2025".
    ("The council approved the budget for fiscal 2025 on June 18, 2023.",
     "The council approved the budget for fiscal 2025 on June 18, 2024.", "event_year"),
    ("The council approved the budget for fiscal 2025 on June 18, 2024.",
     "The council approved the budget for fiscal 2025 on June 18, 2024.", None),
    ("The council approved the budget for fiscal 2025 on June 18, 2024.",
     "The hearing on the fiscal 2025 budget was held on June 4, 2024.", None),
])
def test_the_same_day_in_another_year_is_a_year_mismatch(claim, evidence, kind):
    kinds = [s.kind for s in compare(claim, evidence).signals]
    assert (kind in kinds) if kind else not kinds, kinds


@pytest.mark.parametrize("sentence, allegation", [
    ("Councillor Ames accused Mayor Ortiz of steering the contract to a donor.", True),
    ("The mayor allegedly steered the contract to a donor.", True),
    ("The mayor steered the contract to a donor.", False),
    ("Ortiz denied allegations that he steered the contract.", False),  # a dispute: both sides, not this label
])
def test_evidence_that_relays_an_accusation_is_labelled(sentence, allegation):
    assert reports_allegation(sentence) is allegation


@pytest.mark.parametrize("claim, evidence, another", [
    ("North Korea has supplied weapons to Russia.",
     "South Korea has kept a policy of not supplying lethal weapons to any country at war.", True),
    ("North Korea has supplied weapons to Russia.", "Pyongyang shipped artillery shells to Moscow.", False),
    ("North Korea has supplied weapons to Russia.", "US officials said the DPRK had sent shells by rail.", False),
    ("Roman Atwood is a content creator.", "Atwood posts videos on YouTube every week.", False),
    ("The study found that aspirin lowers the risk.", "Aspirin lowered the risk by a third.", False),  # no actor
])
def test_a_sentence_about_another_actor_is_set_apart(parse, claim, evidence, another):
    table = roles.AliasTable()
    mine, theirs = roles.read(parse(claim), table, main_only=True), roles.read(parse(evidence), table)
    assert (roles.another_actor(mine, theirs) is not None) is another, (mine, theirs)


@pytest.mark.parametrize("claim, evidence, doer", [
    # Another actor does the claim's act; the claim's actor is named in another role.
    ("Japan blocked the resolution at the Security Council.",
     "France blocked the resolution at the Security Council, with Japan abstaining.", "france"),
    ("The resolution was blocked by Japan.", "France blocked the resolution, and Japan abstained.", "france"),
    # A support verb lends its act to its object: to cast a veto is to veto, to pay a visit to visit.
    ("Japan cast the veto that sank the resolution.", "France vetoed the resolution, with Japan abstaining.", "france"),
    ("Japan paid a state visit to Chile in May.", "France visited Chile in May, and Japan sent a message.", "france"),
    # The claim's actor does it too, or nobody does the claim's act: nothing to say.
    ("Japan blocked the resolution.", "France and Japan blocked the resolution together.", None),
    ("Japan blocked the resolution.", "Japan blocked the resolution after France abstained.", None),
    ("Japan blocked the resolution.", "France criticised the resolution that Japan drafted.", None),
    ("Japan cast the veto that sank the resolution.", "Japan vetoed the resolution, and France abstained.", None),
])
def test_a_sentence_where_another_actor_does_the_claims_act(parse, claim, evidence, doer):
    table = roles.AliasTable()
    mine, theirs = roles.read(parse(claim), table, main_only=True), roles.read(parse(evidence), table)
    found = roles.act_by_another(mine, theirs)
    assert (found[1] if found else None) == doer, (mine, theirs)


@pytest.mark.parametrize("claim, evidence", [
    # "she" acts and the sentence does not say who she is: she may be the claim's actor.
    ("Maria Lopez was the city's chief prosecutor.",
     "In 2019 she stepped down as chief prosecutor and was replaced by Daniel Okafor."),
    # A full name names its short form, whatever span the parse gives the entity.
    ("Samuel Oduya plays for Leeds United.",
     "Samuel Kwame Oduya (born 4 May 1998) is a Ghanaian midfielder who plays for Leeds United."),
])
def test_an_unnamed_or_longer_named_actor_is_not_another_actor(parse, claim, evidence):
    table = roles.AliasTable()
    mine, theirs = roles.read(parse(claim), table, main_only=True), roles.read(parse(evidence), table)
    assert roles.another_actor(mine, theirs, evidence) is None, (mine, theirs)


@pytest.mark.parametrize("claim, evidence, denier", [
    ("North Korea has supplied weapons to Russia.",
     "North Korea's defence ministry said North Korea had never exported weapons to Russia.", "north korea"),
    ("Vladimir Putin will visit North Korea for the first time in 24 years.",
     "Vladimir Putin did not return to North Korea for almost 24 years.", None),  # a negation, no denial
    # The pronoun of a reported clause is its nearest speaker, not the first speaker in the sentence.
    ("Iran has sent drones to Russia.", "Ukraine said the attack used Iranian drones, and Iran maintained that "
     "it had not sent drones to Russia.", "iran"),
    ("Iran has sent drones to Russia.", "Tehran insisted that it had never sent drones to Russia.", "iran"),
    ("Iran has sent drones to Russia.", "The Kremlin said it had not bought drones from Iran.", None),
])
def test_a_denial_is_the_claims_own_actor_saying_it_did_not(parse, claim, evidence, denier):
    table = roles.AliasTable()
    mine, theirs = roles.read(parse(claim), table, main_only=True), roles.read(parse(evidence), table)
    assert roles.denied_by_actor(mine, theirs) == denier, (mine, theirs)


@pytest.mark.slow
def test_a_window_whose_neighbour_is_about_another_actor_does_not_read_as_the_claim():
    # Two sentences read as one finding must be about the claim's actor: a neighbour on someone else's
    # policy does not complete a sentence about the claim's actor.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    claim = "Iran has supplied drones to Russia."
    sentences = ["Ukraine's foreign ministry has said that any transfer of Iranian drones to Russia would breach a "
                 "UN Security Council resolution.",
                 "Turkey, a NATO member, has sold drones to Ukraine but kept a policy of not supplying weapons to "
                 "Russia."]
    batch = judge.plan([(claim, sentences, 0.7)])
    windows = [c for c in batch.plans[0].candidates if c.last != c.first]
    assert windows, "the near-match sentence is read with its neighbour"
    assert any(s.kind == "another_actor" for s in windows[0].consistency.signals), windows[0].consistency.signals
    result = judge.decide(judge.predict(batch).plans[0])
    assert not (result.stance == "supports" and result.last_sentence_index != result.sentence_index), result


def test_a_window_is_read_only_when_its_neighbour_holds_what_the_sentence_lacks():
    # "… approved the budget on June 18. The vote was 7-2." is one finding; a neighbour that holds none of the
    # claim's missing key words completes nothing, and is not read (it only costs the model's time).
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge(use_model=False)
    claim = "The city council approved the budget on June 18 in a 7-2 vote."
    completing = ["The city council approved the budget on June 18.", "The vote was 7-2."]
    unrelated = ["The city council approved the budget on June 18.", "Libraries will open on Sundays."]
    windows = []
    for sentences in (completing, unrelated):
        plan = judge.plan([(claim, sentences, 0.7)]).plans[0]
        windows.append([c.text for c in plan.candidates if c.last != c.first])
    assert windows == [[" ".join(completing)], []]


def test_a_window_reaches_back_over_the_passage_start_when_the_sentence_before_completes_the_claim():
    # A passage may open on what the document's sentence before it began ("… 126 of them will be affordable." |
    # "Of those, 76 will be for social rent …"): that sentence (``Passage.before``) is the first sentence's
    # neighbour too, read only when it completes more of the claim than the passage's own next sentence.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge(use_model=False)
    claim = "Of the 126 affordable homes at Orchard Fields, 76 are for social rent and 50 for shared ownership."
    sentences = ["Of those, 76 will be for social rent and 50 for shared ownership.",
                 "Libraries will open on Sundays."]
    before = "Thirty per cent of the Orchard Fields homes, or 126, will be affordable."
    windows = {}
    for lead in (before, "The mayor said nothing.", ""):
        plan = judge.plan([(claim, sentences, 0.6, lead)]).plans[0]
        windows[lead] = [(c.text, c.lead) for c in plan.candidates if c.window]
    assert windows[before] == [(f"{before} {sentences[0]}", before)]
    assert windows["The mayor said nothing."] == [] and windows[""] == []
    # The passage's own next sentence is read when it completes as much.
    own = ["Of those, 76 will be for social rent and 50 for shared ownership.",
           "Of the 126 affordable homes, most are at Orchard Fields."]
    plan = judge.plan([(claim, own, 0.6, before)]).plans[0]
    assert [(c.text, c.lead) for c in plan.candidates if c.window] == [(" ".join(own), "")]


def test_a_finding_split_over_a_passage_boundary_supports_the_claim_and_says_so():
    # The real model: the first sentence alone leaves out what "those" are and reads neutral; with the sentence
    # before the passage it supports, and the result gives both and says where the first came from.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    claim = ("Of the 126 affordable homes planned at Orchard Fields in Pellingham, 76 are to be for social rent and "
             "the other 50 for shared ownership.")
    sentences = ["Of those, 76 will be for social rent and 50 for shared ownership.",
                 "The council's local plan normally requires 35 per cent affordable housing on large sites."]
    before = "Thirty per cent of the homes, or 126, will be affordable."
    alone, led = judge.judge_many([(claim, sentences, 0.57), (claim, sentences, 0.57, before)])
    assert alone.stance != "supports", alone
    # The result's sentence is the passage's own (where its offsets point); the sentence before it is kept apart.
    assert led.stance == "supports" and (led.sentence, led.lead) == (sentences[0], before), led
    assert (led.sentence_index, led.last_sentence_index) == (0, 0)
    assert "read with the sentence before its passage" in led.reason, led.reason


def test_a_window_that_states_the_claims_thing_at_another_figure_refutes_it():
    # "… awarded its ambulance contract to Northway. The five-year contract is worth £38.4 million …": the
    # figure is in the neighbour, and "a contract worth £34.8 million" counts the same thing, so the two sentences
    # together (most of the claim's key words) refute the claim, as they support the claim with the right figure.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    sentences = ["The county health board has awarded its urgent and non-emergency ambulance contract to Northway "
                 "Ambulance Services.", "The five-year contract is worth £38.4 million and begins on 1 July 2025."]
    wrong = "The county health board has handed a five-year contract worth £34.8 million to Northway Ambulance Services."
    right = wrong.replace("34.8", "38.4")
    found = {claim: judge.judge_many([(claim, sentences, 0.86)])[0] for claim in (wrong, right)}
    assert found[wrong].stance == "refutes" and found[wrong].last_sentence_index == 1, found[wrong]
    assert "number mismatch" in found[wrong].reason, found[wrong]
    assert found[right].stance == "supports", found[right]


@pytest.mark.parametrize("evidence, value, same", [
    ("The board signed a three-year deal worth $5 million.", 5e6, False),  # a deal is not the budget
    ("The police budget rises 4.2 percent to $98.3 million.", 98.3e6, False),  # another department's budget
    ("The council approved the $409.8 million budget.", 409.8e6, True),
])
def test_figures_mismatch_only_when_they_count_the_same_thing(parse, evidence, value, same):
    claim = parse("The city council approved a $412.6 million budget for fiscal 2025.")
    assert roles.same_thing(claim, 412.6e6, parse(evidence), value) is same


@pytest.mark.parametrize("claim, evidence, same", [
    # Days of a month dating two different acts are no two dates of one event.
    ("The flood barrier failed on 4 March 2024.", "The barrier was not fully repaired until Friday 22 March.", False),
    # The same act on another day: compared as dates (a mismatch).
    ("The flood barrier failed on 4 March 2024.", "The flood barrier failed on Tuesday 5 March.", None),
])
def test_days_of_a_month_compare_only_when_they_date_the_same_act(parse, claim, evidence, same):
    day = lambda text: float(next(w for w in text.split() if w.isdigit() and len(w) <= 2))
    assert roles.same_thing(parse(claim), day(claim), parse(evidence), day(evidence)) is same


def test_a_figure_a_thing_is_worth_counts_that_thing(parse):
    assert roles.counted_thing(parse("The board signed a five-year contract worth £34.8 million."), 34.8e6) == (
        "contract", frozenset())
    assert roles.same_thing(parse("The board signed a five-year contract worth £34.8 million."), 34.8e6,
                            parse("The five-year contract is worth £38.4 million."), 38.4e6) is True


def test_a_price_is_not_counted_as_its_buyer_or_its_buyee(parse):
    # "signed for €5 million" / "signed … for a fee of €3 million": the subjects (the player, the club) are not
    # what the figures count, so the parse cannot tell them apart and the figures are compared as written.
    claim = parse("The striker was signed for more than €5 million.")
    evidence = parse("The club signed the striker in August for a fee of about €3 million.")
    assert roles.same_thing(claim, 5e6, evidence, 3e6) is None
    assert roles.counted_thing(evidence, 3e6) == ("fee", frozenset())
    assert roles.counted_thing(parse("Exports rose to $2.1 billion in May."), 2.1e9) == ("export", frozenset())


def test_a_figure_with_its_scale_written_short_counts_what_the_long_form_counts(parse):
    # "£98.3m" ("98.3" and "m.", or one token "$1.2bn") is found and read as "£98.3 million" is.
    assert roles.counted_thing(parse("The police budget rises to £98.3m."), 98.3e6) == ("budget", frozenset({"police"}))
    assert roles.counted_thing(parse("A $1.2bn deal was signed."), 1.2e9) == ("deal", frozenset())


@pytest.mark.parametrize("evidence, value, same", [
    # A setting verb's object is what a level after "at" or "to" measures: another bank's rate is another rate.
    ("The Bank of England held Bank Rate at 5.25 percent for a year.", 5.25, False),
    ("The central bank kept its deposit rate at 4 percent in April.", 4.0, True),
    ("The central bank lowered its deposit rate to 3.5 percent.", 3.5, True),
    # A figure after "by" is the change, not the level.
    ("The central bank cut its deposit rate by 0.25 percent.", 0.25, False),
])
def test_a_figure_a_verb_sets_its_object_at_counts_that_object(parse, evidence, value, same):
    claim = parse("The European Central Bank's deposit rate fell to 3.75 percent.")
    assert roles.same_thing(claim, 3.75, parse(evidence), value) is same


def test_whose_figure_it_is_does_not_make_it_another_thing(parse):
    # "X's budget was under 800 million" and "… against a budget of 830 million" count the same thing.
    claim = parse("Silver Harbour's budget was under 800 million.")
    evidence = parse("The film grossed 1.45 billion at the box office against a budget of 830 million.")
    assert roles.same_thing(claim, 800e6, evidence, 830e6) is True


def test_aliases_are_learnt_from_the_evidence():
    table = roles.AliasTable()
    table.learn("The Riverton Transit Authority (RTA) raised fares.")
    assert table.canonical("RTA") == table.canonical("Riverton Transit Authority")
    assert table.canonical("Pyongyang") == table.canonical("DPRK") == "north korea"
    assert not roles.same_actor("north korea", "south korea") and roles.same_actor("kirby", "john kirby")


def test_a_name_written_by_its_initials_is_the_same_name():
    # Without any table: "AI Act" is the "Artificial Intelligence Act", "UNSC" the "United Nations Security
    # Council" (small words skipped); names that merely share words or letters are not.
    assert roles.same_actor("ai act", "artificial intelligence act")
    assert roles.same_actor("united nations security council", "unsc")
    assert roles.same_actor("dprk", "democratic people's republic of korea")
    assert not roles.same_actor("us", "united kingdom")
    assert not roles.same_actor("ai act", "artificial intelligence regulation")
    assert not roles.same_actor("north korea", "south korea")


def test_one_table_serves_sessions_that_learn_and_read_at_once():
    """The desk's sessions are threads sharing one table: one learning aliases while another reads must not
    break the reader (it did: "dictionary changed size during iteration" in a five-session run)."""
    import threading

    table = roles.AliasTable()
    errors: list[BaseException] = []
    done = threading.Event()

    def learn() -> None:
        for n in range(3000):
            letters = "".join(chr(65 + int(d)) for d in f"{n:04d}")
            table.learn(f"The {letters.title()} Monitoring Agency (Z{letters}) said so.")
        done.set()

    def read() -> None:
        try:
            while not done.is_set():
                table.mentions("Pyongyang denied it, the Kremlin said.")
        except RuntimeError as exc:  # pragma: no cover - the failure this test exists for
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    learn()
    for thread in readers:
        thread.join()
    assert not errors, errors
    assert table.canonical("ZBCDE") == "bcde monitoring agency"
    assert table.mentions("Pyongyang denied it") == {"north korea"}


def test_a_reported_denial_of_what_another_actor_did_is_not_a_denial_of_the_claim():
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge(use_model=False)
    batch = judge.plan([
        ("Chile sent troops to Bolivia in 2024.",
         ["Both governments continued to deny that Peru had sent troops to Bolivia."], 0.7),
        ("Peru sent troops to Bolivia in 2024.",
         ["Both governments continued to deny that Peru had sent troops to Bolivia."], 0.7),
    ])
    kinds = [[s.kind for c in plan.candidates for s in c.consistency.signals] for plan in batch.plans]
    assert "denial" not in kinds[0] and "another_actor" in kinds[0]
    assert "denial" in kinds[1] and "another_actor" not in kinds[1]


@pytest.mark.slow
def test_a_swap_of_who_beat_whom_refutes_and_is_not_taken_for_another_actors_act():
    # "Argentina beat France" has the claim's other party do the act to the claim's actor: the swap signal
    # decides it (one side excludes the other); the parse must not set the sentence apart as someone else's act.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    swapped, third = judge.judge_many([
        ("France beat Argentina in the final.", ["Argentina beat France in the final on penalties."], 0.6),
        ("France beat Argentina in the final.", ["Brazil beat Argentina in the final, and France went out early."],
         0.6)])
    assert swapped.stance == "refutes" and "roles swapped" in swapped.reason, swapped
    assert "another actor" not in swapped.reason, swapped
    assert third.stance != "supports" and "another actor" in third.reason, third  # a third side's win: set apart


@pytest.mark.slow
def test_support_from_a_sentence_giving_the_claims_count_otherwise_is_marked_for_the_verdict():
    # "enrolled 5,000 patients" holds a quarter of the claim's key words, too little for the number mismatch
    # to weigh in the reading; the model still reads a lean to "supports". The result says which figure
    # differs, so the verdict does not count it (``verdict.weighs``); the same figure leaves nothing marked.
    from factcheck.stance.judge import StanceJudge
    from factcheck.verdict import Evidence, VerdictThresholds, weighs

    judge = StanceJudge()
    claim = "The drug was tested on 500 patients."
    other, same = judge.judge_many([
        (claim, ["The trial enrolled 5,000 patients across 12 countries."], 0.6),
        (claim, ["The drug was tested on 500 patients in a phase 3 trial."], 0.6)])
    assert other.stance != "supports" or ("500" in other.misfigured and "5,000" in other.misfigured), other
    assert same.stance == "supports" and not same.misfigured, same
    thresholds = VerdictThresholds.load()
    for result, counts in ((other, False), (same, True)):
        evidence = Evidence(source="doc.md", doc_id="doc", title=None, passage=result.sentence,
                            sentence=result.sentence, stance=result.stance, score=result.score, similarity=0.6,
                            sentence_similarity=result.sentence_similarity, misfigured=result.misfigured)
        assert weighs(evidence, thresholds)[0] is counts, result


@pytest.mark.slow
def test_another_banks_rate_is_no_figure_against_the_claim():
    # The Bank of England's rate is not the ECB's deposit rate: no number mismatch is weighed, and the model's
    # own lean to "refutes" (a sentence on the same topic) stays below the verdict's floor for such readings.
    from factcheck.stance.judge import StanceJudge
    from factcheck.verdict import Evidence, VerdictThresholds, weighs

    claim = "The European Central Bank's deposit rate fell to 3.75 percent from a record 4 percent."
    other = ("The Bank of England held Bank Rate at 5.25 percent for a year, from August 2023 to July 2024, as UK "
             "inflation fell from its peak of more than 11 percent in October 2022 towards the Bank's 2 percent target.")
    [result] = StanceJudge().judge_many([(claim, [other], 0.47)])
    assert "number mismatch" not in result.reason, result
    evidence = Evidence(source="doc.md", doc_id="doc", title=None, passage=other, sentence=result.sentence,
                        stance=result.stance, score=result.score, similarity=0.47,
                        sentence_similarity=result.sentence_similarity, signalled=result.signalled)
    assert weighs(evidence, VerdictThresholds.load())[0] is False, result


@pytest.mark.slow
def test_judging_many_while_the_parse_runs_gives_what_the_steps_give_one_after_another():
    # judge_many reads the model in a second thread while the candidates are parsed for who acts; the result
    # is the steps' own, in order: plan (with roles), predict, decide, measure.
    from factcheck.stance.judge import StanceJudge, forget_kept

    judge = StanceJudge()
    items = [("North Korea has supplied artillery shells to Russia.",
              ["North Korea's defence ministry said it had never exported weapons or ammunition to Russia.",
               "The White House said North Korea had covertly supplied Russia with artillery shells.",
               "South Korea keeps a policy of not supplying lethal weapons to countries at war."], 0.7),
             ("South Korea has supplied lethal weapons to Ukraine.",
              ["North Korea has supplied artillery shells and missiles to Russia, the White House said."], 0.6)]
    forget_kept()
    threaded = judge.judge_many(items)
    forget_kept()
    batch = judge.predict(judge.plan(items))
    stepwise = judge.measure([plan.claim for plan in batch.plans], [judge.decide(plan) for plan in batch.plans],
                             [plan.sentences for plan in batch.plans])
    assert threaded == stepwise
    assert any("another actor" in s for s in threaded[1].signals), threaded[1]  # the parse's signal is in


def test_a_short_name_is_one_actor_with_the_place_its_full_name_stands_for():
    table = roles.AliasTable()
    assert roles.same_actor("north korea", "kim", table) and roles.same_actor("kim", "north korea", table)
    assert not roles.same_actor("north korea", "kim", None)  # only through the table
    assert not roles.same_actor("kim jong il", "north korea", table)  # another Kim
    assert not roles.same_actor("north korea", "south korea", table)
    assert not roles.same_actor("china", "russia", table)


def test_the_model_reads_the_claims_names_for_the_places_the_evidence_names_otherwise():
    table = roles.AliasTable()
    text, changes = table.harmonise("Kim Jong Un invited Vladimir Putin to visit Pyongyang.",
                                    "Kim invited Putin to visit North Korea, state media said.")
    assert text == "Kim invited Putin to visit Pyongyang, state media said." and changes == [("North Korea", "Pyongyang")]
    text, changes = table.harmonise("The US imposed sanctions on North Korea.",
                                    "Washington imposed sanctions on the DPRK, which told us nothing.")
    assert text == "US imposed sanctions on North Korea, which told us nothing.", text  # not the pronoun "us"
    # Peoples and persons stay as written: "Putin vetoed it" is not "Russia vetoed it" word for word.
    for claim, evidence in [("Russia vetoed the resolution.", "Putin vetoed the resolution."),
                            ("Russia sent troops.", "Russian troops were sent."),
                            ("China vetoed the resolution.", "Russia vetoed the resolution.")]:
        assert table.harmonise(claim, evidence) == (evidence, []), (claim, evidence)


@pytest.mark.slow
def test_a_place_under_another_of_its_names_is_not_read_as_another_place():
    # Read as written, the model takes "visit North Korea" for a change of "visit Pyongyang" (refutes 0.94) and
    # the parse took "Kim" for another actor than "Kim Jong Un" (North Korea in the alias table).
    from factcheck.stance.judge import StanceJudge

    result = StanceJudge().judge("Kim Jong Un invited Vladimir Putin to visit Pyongyang.",
                                 ["Kim invited Putin to visit North Korea at a convenient time, state media said."], 0.65)
    assert result.stance == "supports", result
    assert "North Korea as Pyongyang" in result.reason and not result.signals, result


def test_what_a_verb_acts_on_tells_one_event_from_another(parse):
    table = roles.AliasTable()
    claim = parse("North Korea launched a crewed spacecraft in 2024.")
    other = parse("North Korea launched its first military reconnaissance satellite on 21 November 2023.")
    same = parse("North Korea launched a crewed spacecraft on 3 March 2023.")
    assert roles.another_event(claim, [other], table) == ("launch", "spacecraft", "satellite")
    assert roles.another_event(claim, [same], table) is None
    # A place under another of its names is the same thing; a sentence without the claim's act says nothing.
    visit = parse("Putin visited North Korea in 2019.")
    assert roles.another_event(visit, [parse("Putin visited Pyongyang on 19 July 2000.")], table) is None
    assert roles.another_event(visit, [parse("Putin met Kim in Vladivostok in 2019.")], table) is None


@pytest.mark.slow
def test_a_date_of_another_event_neither_refutes_nor_supports():
    # "launched a satellite in 2023" dates another launch than "launched a crewed spacecraft in 2024": its year
    # says nothing against the claim's.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    result = judge.judge("North Korea launched a crewed spacecraft in 2024.",
                         ["North Korea launched its first military reconnaissance satellite, the Malligyong-1, on 21 "
                          "November 2023 on a Chollima-1 rocket."], 0.65)
    assert result.stance == "neutral" and any("another event" in s for s in result.signals), result
    same = judge.judge("North Korea launched its first reconnaissance satellite in 2022.",
                       ["North Korea launched its first military reconnaissance satellite, the Malligyong-1, on 21 "
                        "November 2023 on a Chollima-1 rocket."], 0.65)
    assert same.stance == "refutes" and not any("another event" in s for s in same.signals), same


def test_the_same_act_done_to_another_person_is_found_and_a_place_is_not_taken_for_one(parse):
    table = roles.AliasTable()
    claim = parse("Kim Jong Il met Vladimir Putin near Ulan-Ude in August 2011.")
    other = parse("North Korean leader Kim Jong Il met Russian President Dmitry Medvedev on 24 August 2011 near Ulan-Ude.")
    assert roles.swapped_person(claim, [other], table) == ("meet", "Vladimir Putin", "Dmitry Medvedev")
    assert roles.swapped_person(claim, [parse("Kim Jong Il met Putin near Ulan-Ude.")], table) is None  # a short name
    noun = parse("The next summit was Kim Jong Il's meeting with President Dmitry Medvedev near Ulan-Ude.")
    assert roles.swapped_person(claim, [noun], table) == ("meet", "Vladimir Putin", "Dmitry Medvedev")
    visit = parse("Kim Jong Un visited Russia in 2019.")
    assert roles.swapped_person(visit, [parse("Kim Jong Un visited Vladivostok in April 2019.")], table) is None


@pytest.mark.slow
def test_the_same_event_with_another_person_counts_against_the_claim():
    from factcheck.stance.judge import StanceJudge

    result = StanceJudge().judge("Kim Jong Il met Vladimir Putin near Ulan-Ude in August 2011.",
                                 ["North Korean leader Kim Jong Il met Russian President Dmitry Medvedev on 24 August "
                                  "2011 at a military garrison near Ulan-Ude."], 0.7)
    assert result.stance == "refutes" and any("another person: Dmitry Medvedev" in s for s in result.signals), result


def test_a_pair_of_parties_with_another_partner_is_found(parse):
    table = roles.AliasTable()
    claim = parse("India and North Korea signed a trade agreement in 2023.")
    other = parse("The treaty commits Russia and North Korea to cooperate on trade and investment.")
    assert roles.another_partner(claim, [other], table) == ("India and North Korea", "Russia and North Korea")
    # Every party of the claim named, in any order or under another of its names: the same pair.
    assert roles.another_partner(claim, [parse("North Korea and India signed a trade deal in 2023.")], table) is None
    assert roles.another_partner(claim, [parse("Pyongyang and New Delhi signed a trade deal in 2023.")], table) is None
    # The claim's other party named elsewhere in the evidence: it may say what the claim's pair did.
    named = parse("Russia and North Korea signed a trade agreement in 2023, and India signed one too.")
    assert roles.another_partner(claim, [named], table) is None
    # A claim with one party, or evidence that joins no parties, is not a question of partners.
    assert roles.another_partner(parse("Russia signed a treaty with North Korea."),
                                 [parse("China and North Korea signed a treaty.")], table) is None
    assert roles.another_partner(claim, [parse("North Korea signed a trade agreement with Russia.")], table) is None


@pytest.mark.slow
def test_a_sentence_about_another_pair_of_parties_neither_supports_nor_refutes():
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    sentence = ("The Comprehensive Strategic Partnership Treaty also commits Russia and North Korea not to sign "
                "agreements with third countries directed against each other, and to cooperate on trade, "
                "investment, science and energy.")
    other = judge.judge("India and North Korea signed a trade agreement in 2023.", [sentence], 0.55)
    assert other.stance == "neutral" and any("another party" in s for s in other.signals), other
    same = judge.judge("Russia and North Korea agreed to cooperate on trade and investment.", [sentence], 0.55)
    assert same.stance == "supports" and not any("another party" in s for s in same.signals), same


@pytest.mark.slow
def test_a_figure_the_evidence_only_bounds_is_no_support():
    # The model reads "delivered more than 1,000 containers" as support for "shipped about 2,000 containers"
    # (0.56): both can be true, but the evidence does not confirm the claim's figure.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    sentence = ("White House spokesman John Kirby said on 13 October 2023 that North Korea had delivered more than "
                "1,000 containers of military equipment and munitions to Russia.")
    bounded = judge.judge("North Korea had shipped about 2,000 containers of munitions to Russia.", [sentence], 0.8)
    assert bounded.stance == "neutral" and any("figure not confirmed" in s for s in bounded.signals), bounded
    met = judge.judge("North Korea had delivered more than 1,000 containers of munitions to Russia.", [sentence], 0.8)
    assert met.stance == "supports" and not met.signals, met


@pytest.mark.slow
def test_a_refutation_by_the_claims_figure_and_a_support_stating_it_are_marked():
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    sentence = "Russia agreed in September 2012 to write off about 90 percent of North Korea's Soviet-era debt."
    other = judge.judge("Russia agreed in 2012 to write off about half of North Korea's Soviet-era debt.", [sentence], 0.8)
    assert other.stance == "refutes" and other.refigured and not other.figured, other
    same = judge.judge("Russia agreed in 2012 to write off about 90 percent of North Korea's debt.", [sentence], 0.8)
    assert same.stance == "supports" and same.figured and not same.refigured, same


def test_the_claims_act_is_looked_for_in_any_form(parse):
    claim = parse("Russia vetoed the renewal of the UN panel of experts in March 2024.")
    assert roles.unstated_act(claim, parse("Russia's veto ended the panel's mandate.")) == ""
    assert roles.unstated_act(claim, parse("Russia is vetoing the renewal.")) == ""
    assert roles.unstated_act(claim, parse("Russia and China abstained on the renewal in March 2024.")) == "veto"
    # A claim on a copula, "have" or a light verb names no act of its own; speech is reported in many ways.
    assert roles.unstated_act(parse("Putin will take up the offer in June."), parse("Putin will visit in June.")) == ""
    assert roles.unstated_act(parse("Prigozhin denied that Wagner had received weapons."),
                              parse("Prigozhin rejected reports that Wagner had received weapons.")) == ""
    assert roles.unstated_act(parse("The panel was a body of eight experts."), parse("The panel had eight members.")) == ""
    # A verb of the same act states it ("risen" for "grown", "passed" for "adopted"); another act does not.
    grown = parse("The projected cost of the new wing has grown from £46 million to £51.5 million.")
    assert roles.unstated_act(grown, parse("The projected cost has risen from £46 million to £51.5 million.")) == ""
    assert roles.unstated_act(grown, parse("The projected cost was put at £51.5 million in the plan.")) == "grow"
    assert roles.unstated_act(parse("The Security Council adopted resolution 1718 in October 2006."),
                              parse("The Security Council passed resolution 1718 unanimously.")) == ""
    # A claim's act may be the one its verb intends ("plans to cut", "is intended to replace"): a sentence that
    # says that act states it; one that says neither does not, and the act it names is the intended one.
    plans = parse("The university plans to cut 240 posts over the next 18 months.")
    assert roles.unstated_act(plans, parse("The university will cut 240 jobs over the next 18 months.")) == ""
    assert roles.unstated_act(plans, parse("The university has 240 vacant posts.")) == "cut"
    intended = parse("The new leisure centre is intended to replace the Brook Street Baths.")
    assert roles.unstated_act(intended, parse("It will replace the Brook Street Baths, which opened in 1968.")) == ""
    # A verb is read with its particle: "gone up" is a rise, stated by "risen", not by "gone down".
    gone_up = parse("Average weekly rent for a room in the halls has gone up from £168 to £182.")
    assert roles.unstated_act(gone_up, parse("Average rent for a room in the halls has risen to £182 a week.")) == ""
    assert roles.unstated_act(gone_up, parse("Average rent for a room in the halls has gone down to £168.")) == "rise"
    assert roles.unstated_act(parse("Rents rose by 7.7 per cent."), parse("Rents will go up by 7.7 per cent.")) == ""
    assert roles.unstated_act(parse("The committee turned down the scheme."), parse("The committee rejected it.")) == ""
    # A change between the same two figures states the act, whatever verb carries it; other figures do not.
    cut = parse("Under the redesign, the number of bus routes will be cut from 58 to 41.")
    assert roles.unstated_act(cut, parse("The number of bus routes will fall from 58 to 41 next year.")) == ""
    assert roles.unstated_act(cut, parse("The number of bus routes will fall from 58 to 45 next year.")) == "cut"
    assert roles.unstated_act(parse("The firm scaled the plan down from 14 turbines to nine."),
                              parse("The number of turbines went from fourteen to 9 after the objections.")) == ""
    # The particle the parser hangs on the verb's object is the verb's ("scaled its plan down" is a cut).
    assert roles.unstated_act(parse("The firm scaled its wind farm plan down before the vote."),
                              parse("The firm cut the number of turbines to nine.")) == ""
    # Verbs of one act: "repaired" states "fixed", "fracturing" states "broke"; "closed" states "shut".
    assert roles.unstated_act(parse("Repair crews fixed 2,300 leaks in the first two months of 2024."),
                              parse("Crews had repaired 2,300 leaks in January and February.")) == ""
    assert roles.unstated_act(parse("The officer broke the man's cheekbone."),
                              parse("He pushed the man into a wall, fracturing his cheekbone.")) == ""
    assert roles.unstated_act(parse("The council shut the bridge to cars in 2023."),
                              parse("The bridge closed to all motor vehicles in August 2023.")) == ""
    assert roles.unstated_act(parse("Repair crews fixed 2,300 leaks in 2024."),
                              parse("Crews found 2,300 leaks in 2024.")) == "fix"
    # An intent whose act has a subject of its own ("wants its operations to reach"): the intended act is read.
    wants = parse("The council wants its own operations to reach net zero by 2035.")
    assert roles.unstated_act(wants, parse("The council has committed to reaching net zero by 2035.")) == ""
    assert roles.unstated_act(wants, parse("The council's operations emitted 21,400 tonnes in 2022.")) == "reach"


def test_the_judge_marks_support_that_never_says_the_claims_act():
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    claim = "Turkey's parliament ratified Sweden's NATO accession in January 2024."
    stated = judge.judge(claim, ["Turkey's parliament ratified Sweden's NATO accession on 23 January 2024."], 0.8)
    assert stated.stance == "supports" and stated.unstated_act == "", stated
    # Another verb for the act: still support, marked with the claim's act for the verdict to weigh.
    vetoed = judge.judge("Russia blocked the renewal of the UN panel of experts in March 2024.",
                         ["Russia vetoed the renewal of the UN panel of experts in March 2024."], 0.8)
    assert vetoed.stance == "supports" and vetoed.unstated_act == "block", vetoed
    neutral = judge.judge(claim, ["The Nile is the longest river in Africa."], 0.2)
    assert neutral.stance == "neutral" and neutral.unstated_act == ""


def test_a_detail_the_evidence_leaves_out_is_told_from_one_it_replaces(parse):
    table = roles.AliasTable()
    claim = parse("Turkey's parliament ratified Sweden's NATO accession in January 2024.")
    assert roles.unstated_detail(claim, parse("Turkey's parliament ratified Sweden's accession on 23 January 2024."),
                                 table) == ("Turkey's parliament ratified Sweden's accession in January 2024.", ["NATO"])
    # A figure, an adverb or a quantifier carries the claim: never a detail left out.
    seats = parse("Labour won 411 seats in the July 2024 UK general election.")
    won = parse("The Labour Party won the United Kingdom general election held on 4 July 2024.")
    assert roles.unstated_detail(seats, won, table) is None
    rarely = parse("The coast guard is rarely responsible for coastal defence.")
    assert roles.unstated_detail(rarely, parse("The coast guard is responsible for coastal defence."), table) is None
    # Nor is anything of who acts ("Marko Arnautović" for "Arnautović").
    marko = parse("Marko Arnautović scored in the final.")
    assert roles.unstated_detail(marko, parse("Arnautović scored twice in the final."), table) is None
    # A detail of the same kind under another parse label is still a replacement.
    hill = parse("This woman is skiing down a grassy hill.")
    assert roles.unstated_detail(hill, parse("This woman is skiing down a snowy hill."), table) is None
    # Another detail of the same kind in its place is a replacement; another main verb, another act.
    car = parse("Putin gave Kim Jong Un a Mercedes limousine in February 2024.")
    assert roles.unstated_detail(car, parse("Putin gave Kim Jong Un an Aurus limousine in February 2024."), table) is None
    assert roles.unstated_detail(car, parse("Putin lent Kim Jong Un a limousine."), table) is None
    # Nothing left out: nothing to say.
    assert roles.unstated_detail(car, parse("In February 2024 Putin gave Kim Jong Un a Mercedes limousine."), table) is None
    # A month the evidence does not give, beside the year it does: the claim dates the event more closely.
    crowned = parse("The archbishop placed the crown on the monarch's head at the May 2023 coronation.")
    assert roles.unstated_detail(crowned, parse("The archbishop conducted the 2023 coronation and placed the crown on "
                                                "the monarch's head."), table) == (
        "The archbishop placed the crown on the monarch's head at the 2023 coronation.", ["May"])
    # Another month in the evidence is no detail left out (the dates conflict), nor is a day of the month.
    assert roles.unstated_detail(crowned, parse("The archbishop placed the crown on the monarch's head at the June "
                                                "2023 coronation."), table) is None


@pytest.mark.slow
def test_a_refutation_only_for_a_detail_the_evidence_leaves_out_is_held_neutral():
    # The model reads "Sweden's accession" against "Sweden's NATO accession" as refutes (0.77).
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    left_out = judge.judge("Turkey's parliament ratified Sweden's NATO accession in January 2024.",
                           ["Turkey's parliament ratified Sweden's accession on 23 January 2024."], 0.85)
    assert left_out.stance == "neutral" and any("does not state “NATO”" in s for s in left_out.signals), left_out
    replaced = judge.judge("Putin gave Kim Jong Un a Mercedes limousine in February 2024.",
                           ["Putin gave Kim Jong Un an Aurus limousine in February 2024."], 0.85)
    assert replaced.stance == "refutes" and not any("does not state" in s for s in replaced.signals), replaced


@pytest.mark.slow
def test_a_detail_the_passage_states_around_the_sentence_is_read_with_it():
    # The same sentence in its passage, which names NATO in the sentence before it: read with "NATO", it
    # supports; a passage that never names NATO still leaves it unsaid.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    claim = "Turkey's parliament ratified Sweden's NATO accession in January 2024."
    ratified = "Turkey's parliament ratified Sweden's accession on 23 January 2024."
    in_passage = judge.judge(claim, ["Sweden applied for NATO membership on 18 May 2022.", ratified], 0.85)
    assert in_passage.stance == "supports" and "read with “NATO” from the sentences around it" in in_passage.reason, \
        in_passage
    elsewhere = judge.judge(claim, ["Sweden applied to join the alliance in May 2022.", ratified], 0.85)
    assert elsewhere.stance == "neutral" and any("does not state “NATO”" in s for s in elsewhere.signals), elsewhere


@pytest.mark.slow
def test_declining_to_do_what_the_claim_says_was_done_refutes_it():
    # The model reads "declined to commit to a particular path of further rate cuts" as support (0.87 in a window)
    # for "committed … to a path of further rate cuts".
    from factcheck.stance.judge import StanceJudge

    result = StanceJudge().judge("Christine Lagarde committed the ECB to a path of further rate cuts in June 2024.",
                                 ["ECB President Christine Lagarde declined to commit to a particular path of further "
                                  "rate cuts."], 0.7)
    assert result.stance == "refutes" and any("declined to commit" in s for s in result.signals), result


@pytest.mark.parametrize("speaker, text, named", [
    ("South Korea’s foreign ministry", "Seoul's foreign ministry said the visit must not lead to arms deals.", True),
    ("South Korea’s foreign ministry", "The Kremlin said Russia will develop relations as it chooses.", False),
    ("South Korea’s foreign ministry", "North Korea said it had never exported arms to Russia.", False),
    ("Leif-Eric Easley", "Leif-Eric Easley, a professor in Seoul, said the visit was a victory for Kim.", True),
    ("Leif-Eric Easley", "Analysts said the visit was a victory for Kim.", False),
    ("the Kremlin", "Moscow said it would develop ties with Pyongyang.", True),
    ("US National Security Council spokesperson John Kirby", "Kirby said North Korea had sent shells.", True),
    ("Councillor Dana Ames", "Councillor Tom Reyes called the budget a betrayal.", False),
    ("officials", "Anything at all.", None),  # no name to look for
])
def test_whether_a_text_names_a_speaker(speaker, text, named):
    assert roles.names_actor(speaker, text, roles.AliasTable()) is named


@pytest.mark.slow
def test_an_opposite_term_in_a_window_that_holds_most_of_the_claim_decides_against_it():
    # The best sentence ("signed the Lisbon Accord") says nothing of how he travelled; its neighbour says "by
    # train" where the claim says "flew". Read together they hold most of the claim and contradict one term:
    # that refutes it, however close the rest reads (it used to stay "supports", the opposite noted but outweighed).
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    claim = "Governor Alvarez flew to Lisbon in the summer of 2019 to sign the Lisbon Accord with Prime Minister Costa."
    sentences = ["Governor Alvarez made a long journey to Portugal by train in the summer of 2019.",
                 "Alvarez and Prime Minister Costa signed the Lisbon Accord in Lisbon on 4 August 2019."]
    result = judge.judge(claim, sentences, 0.7)
    assert result.stance == "refutes", result
    assert "opposite terms: 'flew' vs 'by train'" in result.reason
    # The same passage for the claim it states is no refutation.
    agreeing = judge.judge("Governor Alvarez travelled to Portugal by train in the summer of 2019 and signed the "
                           "Lisbon Accord with Prime Minister Costa.", sentences, 0.7)
    assert agreeing.stance == "supports", agreeing


@pytest.mark.slow
def test_a_rank_given_otherwise_next_to_the_claims_event_decides_against_it():
    # The best sentence names the event; its neighbour ranks the claim's thing otherwise ("the fourth country"
    # for "the third country ever"). Read together they hold most of the claim: that refutes it (the window used
    # to be skipped, and the event's sentence alone read as support).
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    sentences = ["Ruritania's Vega lander touched down near the Martian equator on 4 May 2019.",
                 "Ruritania became the fourth country to achieve a soft landing on Mars, after three others."]
    claim = ("With the Vega lander's touchdown on 4 May 2019, Ruritania became the third country ever to achieve "
             "a soft landing on Mars.")
    result = judge.judge(claim, sentences, 0.7)
    assert result.stance == "refutes", result
    assert "ordinal mismatch: third vs fourth country" in result.reason
    assert judge.judge(claim.replace("third", "fourth"), sentences, 0.7).stance == "supports"
    # A claim that ranks two of a series ("its second test … larger than its first test") is not pinned by one
    # rank given otherwise: that rank may be the other one's.
    series = compare("Ruritania's second test in May 2019 was larger than its first test.",
                     "Ruritania carried out its second test in May 2019. The second test was larger than the first.")
    assert not any(s.decisive for s in series.signals), series.signals


@pytest.mark.slow
def test_a_claim_that_its_actor_admitted_something_rests_on_that_actors_own_words():
    # "Norway has acknowledged dumping …" is about what Norway said. Inspectors' report that it dumped the silt
    # does not show that it acknowledged anything; its own statement does.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    claim = "Norway has acknowledged dumping dredged silt in the fjord in 2023."
    others = judge.judge(claim, ["Swedish inspectors said Norway had dumped dredged silt in the fjord in 2023."],
                         0.7)
    assert others.stance == "neutral", others
    assert "another speaker" in others.reason and "Norway" in others.reason
    own = judge.judge(claim, ["Norway acknowledged in a statement that it had dumped dredged silt in the fjord in "
                              "2023."], 0.7)
    assert own.stance == "supports", own
    # Without the admission, the inspectors' report bears on the claim as before.
    plain = judge.judge("Norway dumped dredged silt in the fjord in 2023.",
                        ["Swedish inspectors said Norway had dumped dredged silt in the fjord in 2023."], 0.7)
    assert plain.stance == "supports", plain


@pytest.mark.slow
def test_a_sentence_on_another_dated_instance_that_holds_little_of_the_claim_is_no_refutation():
    # The yield of "the 9 October 2006 test" says nothing about the yield of the 2016 one: the model read it as
    # refuting (0.66) because the figures differ, but the sentence holds a third of the claim's key words and
    # names its test by another date.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    passage = ["The first test was conducted at a mountain site in the north-east of the country.",
               "Seismic agencies recorded a small explosion, and the yield of the 9 October 2006 test was estimated "
               "at less than one kiloton."]
    other = judge.judge("Seismic monitors put the explosive yield of the September 2016 nuclear test at roughly 10 "
                        "kilotons.", passage, 0.7)
    assert other.stance == "neutral", other
    assert "another instance: the evidence's is the 9 October 2006 test" in other.reason
    # The same sentence for a claim about its own test still bears on it.
    own = judge.judge("The yield of the October 2006 test was estimated at less than one kiloton.", passage, 0.7)
    assert own.stance == "supports", own


@pytest.mark.slow
def test_a_negated_claim_against_evidence_negating_the_same_words_is_read_without_both_negations():
    # The model reads one negation against another as a contradiction ("did not pay any tax" against "paid no
    # tax": refutes 0.53). Read without both, the two agree; a claim the evidence contradicts stays refuted.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    agreeing = judge.judge("The company did not pay any tax in 2020.", ["The company paid no tax in 2020."], 0.7)
    assert agreeing.stance == "supports", agreeing
    assert "read without the negation" in agreeing.reason
    contrary = judge.judge("The council did not approve the budget.",
                           ["The council approved the budget; no councillor voted against it."], 0.7)
    assert contrary.stance == "refutes", contrary
    assert "read without the negation" not in contrary.reason


@pytest.mark.slow
def test_a_month_the_evidence_does_not_give_is_no_refutation():
    # "the May 2023 coronation" against "the 2023 coronation": the model refuted (0.71) for the month alone.
    from factcheck.stance.judge import StanceJudge

    result = StanceJudge().judge("The archbishop placed the crown on the monarch's head at the May 2023 coronation.",
                                 ["The archbishop conducted the 2023 coronation service and placed the crown on the "
                                  "monarch's head."], 0.7)
    assert result.stance != "refutes", result
    assert "does not state “May”" in result.reason


def test_the_same_act_at_another_place_is_found_and_a_place_that_may_hold_the_other_is_not(parse):
    table = roles.AliasTable()
    claim = parse("The research balloon came down in the Indian Ocean on 3 March 2021.")
    other = parse("The research balloon came down in the Southern Ocean on 3 March 2021, ending its flight.")
    assert roles.another_place(claim, [other], table) == ("came down in", "the Indian Ocean", "the Southern Ocean")
    # Two capitals the table knows; the place hung on the act's object ("signed the accord … in Berlin").
    signed = parse("The two ministers signed the water accord in Tokyo in May 2019.")
    there = parse("The two ministers signed the water accord between Japan and Germany in Berlin on 9 May 2019.")
    assert roles.another_place(signed, [there], table) == ("signed in", "Tokyo", "Berlin")
    # A country named as a party is not where the act happened, and the claim's own place named is no conflict.
    assert roles.another_place(signed, [parse("The ministers signed the water accord in Tokyo, not in Berlin.")],
                               table) is None
    # A city against a country it may lie in, or a city the table does not know: not comparable.
    visit = parse("The delegation arrived in Germany on Monday.")
    assert roles.another_place(visit, [parse("The delegation arrived in Hamburg on Monday.")], table) is None
    assert roles.another_place(parse("The delegation arrived in Geneva on Monday."),
                               [parse("The delegation arrived in Hamburg on Monday.")], table) is None


@pytest.mark.slow
def test_the_same_act_at_another_place_counts_against_the_claim_when_the_text_holds_most_of_it():
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    evidence = ["The research balloon came down in the Southern Ocean on 3 March 2021 after a record flight."]
    result = judge.judge("The research balloon came down in the Indian Ocean on 3 March 2021.", evidence, 0.7)
    assert result.stance == "refutes", result
    assert "another place: the evidence has came down in the Southern Ocean" in result.reason
    assert judge.judge("The research balloon came down in the Southern Ocean on 3 March 2021.", evidence,
                       0.7).stance == "supports"


def test_a_reading_kept_on_a_parse_is_made_again_once_the_table_grows(parse):
    table = roles.AliasTable()
    doc = parse("The envoys met in Geneva on Monday.")
    assert roles.placed_acts(doc, table) == {("meet", "in"): {"geneva": "Geneva"}}
    assert roles.placed_acts(doc, table) is roles.placed_acts(doc, table)  # read once while the table holds
    table.add("Geneva", "Switzerland")
    assert roles.placed_acts(doc, table) == {("meet", "in"): {"switzerland": "Geneva"}}
    assert roles.placed_acts(doc, roles.AliasTable()) == {("meet", "in"): {"geneva": "Geneva"}}  # another table


@pytest.mark.slow
def test_a_sentence_after_the_best_that_says_the_opposite_of_a_claim_term_is_read():
    # The best sentence states the meeting and says nothing of how the governor travelled; the next one says
    # "by train" where the claim says "flew". A reader reads on: the passage refutes the claim. (The judge used
    # to read the best sentence alone, and the model found it supportive.)
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    sentences = ["Governor Alvarez and Prime Minister Costa held their first meeting in Lisbon on 4 August 2019.",
                 "Governor Alvarez travelled to Lisbon by train, arriving on 3 August 2019."]
    result = judge.judge("Governor Alvarez flew to Lisbon for the 2019 meeting.", sentences, 0.7)
    assert result.stance == "refutes", result
    assert "opposite terms: 'flew' vs 'by train'" in result.reason
    agreeing = judge.judge("Governor Alvarez went to Lisbon by train for the 2019 meeting.", sentences, 0.7)
    assert agreeing.stance == "supports", agreeing
    # Further on in the passage, not beside the best sentence: read when it holds most of the claim.
    far = [sentences[0], "The talks covered fisheries and port fees.", "The two also toured the harbour.",
           "Governor Alvarez travelled to Lisbon for the meeting by train in August 2019."]
    plan = judge.plan([("Governor Alvarez flew to Lisbon for the 2019 meeting.", far, 0.7)]).plans[0]
    assert any(c.first == c.last == 3 for c in plan.candidates), plan.candidates


def test_an_opposite_word_next_door_about_another_comparison_does_not_join_the_best_sentence():
    # "lower … than in the cities" beside a sentence on the claim's own comparison is another comparison: no
    # window is made of it (only a neighbour saying the event went another way, "by train" for "flew", is).
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge(use_model=False)
    claim = "Asthma incidence under the wide definition is higher than under the narrow definition."
    sentences = ["Earlier surveys suggest a lower asthma incidence in villages than in the cities.",
                 "We measured asthma incidence under a wide and a narrow definition in 12 villages."]
    plan = judge.plan([(claim, sentences, 0.7)]).plans[0]
    assert all(c.first == c.last for c in plan.candidates), plan.candidates


def test_a_figure_in_a_sentence_the_parser_roots_on_a_noun_ends(parse):
    # spaCy roots this sentence on "sets" as a noun, with "£" as another root-side symbol: the walk up from the
    # figure stops at the root (a token is its own head there, though never the same Python object), where it
    # once looped for ever and hung the whole check.
    doc = parse("Larkmoor County Council's 2025-26 public-health budget sets aside £600,000 for obesity prevention "
                "programmes.")
    assert [t.pos_ for t in doc if t.dep_ == "ROOT"] != ["VERB"]
    other = parse("The budget was £1.2 million.")
    found = []
    walk = threading.Thread(target=lambda: found.append((roles.counted_thing(doc, 600_000),
                                                         roles.same_thing(doc, 600_000, other, 1.2e6))), daemon=True)
    walk.start()
    walk.join(30)  # fails, rather than hangs the suite, if the walk loops again
    assert found == [(None, None)]


@pytest.mark.parametrize("claim, evidence, another", [
    ("Ebbsworth Town Council awarded the main construction contract to Hartigan Civil Engineering.",
     "Work to protect Ebbsworth from flooding will begin in July, after Wrenhallow County Council awarded the main "
     "construction contract to Hartigan Civil Engineering.", ("Ebbsworth Town Council", "Wrenhallow County Council")),
    ("The judicial review was brought by Larchmont Vance Developments.",
     "The judicial review was brought by Save Copperfield Meadows, a campaign group.",
     ("Larchmont Vance Developments", "Save Copperfield Meadows")),
    # One organisation under two names, or named in full in the evidence: not another.
    ("The Federal Reserve raised interest rates in July.",
     "The Federal Open Market Committee raised interest rates by a quarter point in July.", None),
    ("Wrenhallow County Council awarded the contract to Hartigan Civil Engineering.",
     "Wrenhallow County Council awarded the contract to Hartigan Civil Engineering, the county's cabinet said.", None),
    # What is sold to one company that one buys; what is awarded to it, it wins.
    ("Harbour Leisure Ltd bought the Grand Pavilion from the Marsh family.",
     "The Grand Pavilion has been sold to Coastline Hotels Group, ending 40 years of ownership by the Marsh family.",
     ("Harbour Leisure Ltd", "Coastline Hotels Group")),
    ("Kestrel Coaches Ltd won the county's school transport contract.",
     "The county council has awarded its school transport contract to Redway Travel Services.",
     ("Kestrel Coaches Ltd", "Redway Travel Services")),
    # An organisation acts through its bodies ("X's cabinet", "the committee of X"), and what it voted or is to do
    # is its act: "voted to sell" sells, "is to sell" sells.
    ("Carrowby Borough Council's cabinet voted to sell a 75 per cent stake in the airport to Tarnhollow "
     "Infrastructure Partners.",
     "Haldmere County Council is to sell a 75 per cent stake in Carrowby Moor Airport to Tarnhollow "
     "Infrastructure Partners for £42 million.", ("Carrowby Borough Council", "Haldmere County Council")),
    ("The planning committee of the Carrowdale Combined Authority voted to approve the distribution centre.",
     "Dunmeller City Council's planning committee has approved a £78 million distribution centre at Fenner's Cross.",
     ("the Carrowdale Combined Authority", "Dunmeller City Council")),
    # The same body of the same organisation, or a body's owner named in full: not another.
    ("Haldmere County Council's cabinet voted to sell a stake in the airport.",
     "Haldmere County Council is to sell a 75 per cent stake in Carrowby Moor Airport.", None),
    # Who the body's act is done to is no doer of it ("the board approved a grant to Harlow Trust").
    ("The board of Marlow Arts Trust approved the grant.", "The Orwell Foundation's board said the grant would "
     "go ahead.", None),
])
def test_another_organisation_doing_the_claims_act(parse, claim, evidence, another):
    found = roles.another_org_doer(parse(claim), [parse(evidence)], roles.AliasTable())
    assert (found[:2] if found else None) == another, found


def test_days_of_a_month_are_dates_not_counts_of_different_things(parse):
    # "Monday 20 May": the parse takes 20 to count Mondays; two days of May are still compared as dates.
    claim = parse("The three parties signed the coalition agreement on 13 May 2024.")
    assert roles.same_thing(claim, 13, parse("The groups signed the agreement on Monday 20 May, 18 days after the "
                                             "election."), 20) is None
    assert roles.same_thing(parse("The council approved 120 homes."), 120, parse("The council approved 95 flats."),
                            95) is False


def test_a_part_of_something_counts_that_thing(parse):
    recovered = parse("The association has so far clawed back £610,000 of the stolen money.")
    assert roles.counted_thing(recovered, 610_000) == ("money", frozenset({"steal"}))  # qualifiers by lemma
    # What was recovered is not what was diverted: the two figures do not contradict each other.
    assert roles.same_thing(recovered, 610_000, parse("She had diverted £2.4 million of tenants' rent into her "
                                                       "companies."), 2.4e6) is False


def test_the_sentence_that_gives_the_claims_figures_is_read_too():
    # The best sentence by key words names the scheme; the figures are two sentences on, in other words.
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    claim = "Under the Eastmere Connect redesign, the number of bus routes in Eastmere will be cut from 58 to 41."
    sentences = ["The board of the Eastmere Transport Authority on 1 July 2024 approved Eastmere Connect, the biggest "
                 "redesign of the city's bus network in 30 years.", "A consultation drew 9,480 responses.",
                 "The network will shrink from 58 routes to 41, with more frequent buses on the main corridors."]
    batch = judge.plan([(claim, sentences, 0.8)])
    assert [c.first for c in batch.plans[0].candidates if c.first == c.last] == [0, 2]
    result = judge.decide(judge.predict(batch).plans[0])
    assert result.stance == "supports" and result.sentence_index == 2, result
    # Figures given elsewhere otherwise are not read for them; nor is a lone figure in a sentence on something else.
    other = judge.plan([(claim, sentences[:2] + ["The network will shrink from 58 routes to 45."], 0.8)])
    assert [c.first for c in other.plans[0].candidates if c.first == c.last] == [0]
    lone = judge.plan([("The Metro Pass will cost £71 from January.",
                        ["The Metro Pass is the city's monthly ticket.", "Insurance for a bike is £71 a year."], 0.8)])
    assert [c.first for c in lone.plans[0].candidates if c.first == c.last] == [0]


@pytest.mark.parametrize("claim, evidence, kind, stance", [
    # The same act on the same thing, by another doer the claim never names: the claim's doer is wrong.
    ("The judicial review of the Copperfield Meadows permission was brought by Larchmont Vance Developments.",
     "The judicial review was brought by Save Copperfield Meadows, a campaign group chaired by a retired "
     "headteacher.", "swapped_doer", "refutes"),
    ("Ebbsworth Town Council awarded the main construction contract for the flood scheme to Hartigan Civil "
     "Engineering.", "Wrenhallow County Council awarded the main construction contract for the Ebbsworth flood "
     "scheme to Hartigan Civil Engineering.", "swapped_doer", "refutes"),
    # Read in a window of two: one sentence names the committee's council, the next gives the vote.
    ("The planning committee of the Carrowdale Combined Authority voted seven to four to approve the Tollwick "
     "Logistics distribution centre at Fenner's Cross.",
     ["Dunmeller City Council's planning committee has approved a £78 million distribution centre at Fenner's "
      "Cross, despite more than 300 objections.", "Councillors voted by seven votes to four on Tuesday to grant "
      "planning permission to Tollwick Logistics for the warehouse."], "swapped_doer", "refutes"),
    # Three of the claim's four other key words ("reopened" is not said): still the claim's act on its thing.
    ("Mayor Colin Ashby cut the ribbon when Fenwick Lido reopened.",
     "At Fenwick Lido the ribbon was cut by Hannah Oyelaran, a retired swimming coach.", "swapped_doer", "refutes"),
    # One of them: a ribbon cut somewhere, by someone else, neither for nor against.
    ("Mayor Colin Ashby cut the ribbon when Fenwick Lido reopened.",
     "The ribbon was cut by Hannah Oyelaran, a retired swimming coach.", "another_actor", "neutral"),
    # Another doer of another act (the claim's thing is not there): someone else's act, neither for nor against.
    ("Kim Jong Un gave Vladimir Putin a pair of Pungsan hunting dogs during the Russian leader's June 2024 visit.",
     "Vladimir Putin gave Kim Jong Un a second Aurus limousine during his visit to Pyongyang on 19 June 2024.",
     "another_actor", "neutral"),
    # The claim's doer is named, doing something else: not a swap of who did it.
    ("China vetoed the renewal of the UN panel of experts on North Korea in March 2024.",
     "On 28 March 2024 Russia vetoed the renewal of the UN panel of experts on North Korea, with China abstaining.",
     "another_actor", "neutral"),
])
def test_the_same_act_by_another_doer_refutes_and_another_act_is_held_neutral(claim, evidence, kind, stance):
    from factcheck.stance.judge import StanceJudge

    result = StanceJudge().judge(claim, evidence if isinstance(evidence, list) else [evidence], 0.7)
    assert result.stance == stance, result
    assert {"swapped_doer": "another doer:", "another_actor": "another actor does it:"}[kind] in result.reason, \
        result.reason


@pytest.mark.parametrize("claim, passage, stance, said", [
    # Another named person does the claim's very act; the claim's person is named nowhere in the passage, which says
    # what else the claim says (the claim's title and description of its doer aside): the claim names the wrong one.
    ("Surveyor Tomas Brightwell found the Roman coin hoard buried beside the Ashcombe chapel wall.",
     ["A hoard of 212 Roman coins has been declared treasure by the Ashcombe coroner.",
      "The Roman coin hoard was found in March by Eleri Vaughan, a metal-detecting teacher, buried beside the "
      "chapel wall."], "refutes", "another doer:"),
    # The claim's person is named in the passage: two people of one story, not a swap of who did it.
    ("Surveyor Tomas Brightwell found the Roman coin hoard buried beside the Ashcombe chapel wall.",
     ["Surveyor Tomas Brightwell said the Ashcombe site would be searched again in the spring.",
      "The Roman coin hoard was found in March by Eleri Vaughan, a metal-detecting teacher, buried beside the "
      "chapel wall."], "neutral", "another actor"),
    # Another person's act on something the passage does not say the claim did: someone else's act, held neutral.
    ("Surveyor Tomas Brightwell found the Roman coin hoard buried beside the Ashcombe chapel wall.",
     ["Eleri Vaughan found a bronze brooch in a field near Ashcombe last summer."], "neutral", "another actor"),
])
def test_another_person_doing_the_claims_act_refutes_only_when_the_claims_person_is_nowhere(claim, passage, stance,
                                                                                          said):
    from factcheck.stance.judge import StanceJudge

    result = StanceJudge().judge(claim, passage, 0.7)
    assert result.stance == stance and said in result.reason, (result.stance, result.reason)


def test_the_claims_own_predicate_negated_refutes_however_close_the_rest_reads():
    from factcheck.stance.judge import StanceJudge

    judge = StanceJudge()
    claim = "Mayor Ruth Kendall committed the city to building a second tram line."
    refused = judge.judge(claim, ["Mayor Ruth Kendall declined to commit the city to building a second tram line "
                                  "before the review."], 0.7)
    assert refused.stance == "refutes" and refused.pinned and "negated:" in refused.reason, refused
    same = judge.judge(claim, ["Mayor Ruth Kendall committed the city to building a second tram line in her speech."],
                       0.7)
    assert same.stance == "supports", same


def test_the_post_a_text_gives_a_named_person_is_read_in_each_way_it_is_written(parse):
    def holders(text):
        return {(h.name, h.written, tuple(sorted(h.body))) for h in roles.post_holders(parse(text))}

    # Before the name, the body's name in front.
    assert holders("Marlow Harbour Trust chair Odile Pemberton welcomed the grant.") == {
        ("Odile Pemberton", "chair", ("harbour", "marlow", "trust"))}
    # In apposition after the name, and the name in apposition after the post.
    assert holders("Lionel Ashgrove, the festival director, said the event had lost money.") == {
        ("Lionel Ashgrove", "festival director", ())}
    assert holders("Corran Biotech's chief executive, Dr Anika Threlfall, said sales had doubled.") == {
        ("Anika Threlfall", "chief executive", ("biotech", "corran"))}
    # Given by a verb.
    assert holders("Professor Idris Kempe becomes Corran Biotech's chief scientific officer.") == {
        ("Idris Kempe", "chief scientific officer", ("biotech", "corran"))}
    # No post of one holder: an indefinite one, a deputy's, several holders, a post noun alone that many hold.
    assert not holders("Lionel Ashgrove, a director of Corran Biotech, said sales had doubled.")
    assert not holders("Marlow Harbour Trust deputy chair Lionel Ashgrove welcomed the grant.")
    assert not holders("Helen Quarrie and Sam Odegaard were appointed joint administrators of Pellow & Daughters.")
    assert not holders("Corran Biotech director Lionel Ashgrove said sales had doubled.")


@pytest.mark.parametrize("evidence, context, found", [
    # The same post of the same body, held by another: the claim names the wrong holder.
    ("Marlow Harbour Trust chair Lionel Ashgrove welcomed the grant.", "", True),
    ("Lionel Ashgrove, chair of the Marlow Harbour Trust, welcomed the grant.", "", True),
    # The evidence names no body: the passage around it must name the claim's.
    ("Lionel Ashgrove, the chair, welcomed the grant.", "The Marlow Harbour Trust won a grant.", True),
    ("Lionel Ashgrove, the chair, welcomed the grant.", "The sailing club won a grant.", False),
    # Another body's chair, a deputy, and the claim's own holder named: no other holder of the claim's post.
    ("Tenby Sailing Club chair Lionel Ashgrove welcomed the grant.", "", False),
    ("Marlow Harbour Trust deputy chair Lionel Ashgrove welcomed the grant.", "", False),
    ("Marlow Harbour Trust chair Odile Pemberton welcomed the grant.", "", False),
])
def test_another_holder_of_the_claims_post_is_found_only_for_the_same_post_and_body(parse, evidence, context, found):
    claim = parse("Odile Pemberton, chair of the Marlow Harbour Trust, said the breakwater repairs would start in May.")
    holder = roles.another_holder(claim, [parse(evidence)], context)
    assert bool(holder) == found, holder
    if found:
        assert holder == ("chair", "Odile Pemberton", "Lionel Ashgrove")


@pytest.mark.slow
@pytest.mark.parametrize("claim, evidence, stance", [
    # The record gives the claim's person's post to another: against the claim, whatever else the sentence says.
    ("Odile Pemberton is the chair of the Marlow Harbour Trust.",
     "Lionel Ashgrove, chair of the Marlow Harbour Trust, welcomed the grant for the breakwater.", "refutes"),
    ("Festival director Odile Pemberton blamed the Marlow Regatta's loss on the cost of stewarding.",
     "Lionel Ashgrove, the festival director, said the Marlow Regatta had lost money because stewarding cost more.",
     "refutes"),
])
def test_another_holder_of_the_claims_post_refutes_the_claim(claim, evidence, stance):
    from factcheck.stance.judge import StanceJudge

    result = StanceJudge().judge(claim, [evidence], 0.7)
    assert result.stance == stance and "another holder" in result.reason, (result.stance, result.reason)
    assert result.signalled and result.pinned
