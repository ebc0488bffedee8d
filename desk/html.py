"""The desk's HTML: its stylesheet and pure renderers, testable without Streamlit.

Every string that comes from a document or a reviewer passes through ``esc`` before it reaches the page.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

from factcheck import ClaimResult, Evidence, Report
from factcheck.review.decision import ReviewedVerdict, ShownEvidence
from factcheck.review.store import FLAG_LABELS

ROOT = Path(__file__).resolve().parent.parent

VERDICTS = {  # label, strong colour, light tint
    "supported": ("Supported", "#1a7f37", "#dafbe1"),
    "refuted": ("Refuted", "#cf222e", "#ffebe9"),
    "conflicting": ("Conflicting", "#9a6700", "#fff1c2"),
    "not_enough_evidence": ("Not enough evidence", "#57606a", "#eaeef2"),
}
FLAG_COLOURS = {"supported": "supported", "refuted": "refuted", "misleading": "conflicting",
                "alleged": "conflicting", "denied": "conflicting"}

CSS = """
<style>
.fc-article {font-family: Georgia, 'Times New Roman', serif; font-size: 1.02rem; line-height: 1.75;
  white-space: pre-wrap; color: #1f2328;}
.fc-article mark {border-radius: 3px; padding: 1px 0; color: inherit;}
.fc-article mark sup {font-family: system-ui, sans-serif; font-size: .68rem; font-weight: 600; margin-left: 2px;}
.fc-article mark.fc-selected {outline: 2px solid #0969da; outline-offset: 1px;}
.fc-article mark.fc-minor {background: transparent; border-bottom: 1px dotted #8c959f;}
.fc-badge {display: inline-block; border-radius: 4px; padding: 1px 8px; font-size: .78rem; font-weight: 600;
  color: #fff; font-family: system-ui, sans-serif; white-space: nowrap;}
.fc-chip {display: inline-block; border-radius: 999px; padding: 0 9px; font-size: .75rem; margin-right: 4px;
  border: 1px solid #d0d7de; background: #f6f8fa; color: #1f2328; font-family: system-ui, sans-serif;
  white-space: nowrap;}
.fc-chip.fc-alleged {background: #fff8c5; border-color: #d4a72c;}
.fc-chip.fc-denied {background: #ffebe9; border-color: #ff8182;}
.fc-chip.fc-hedged {background: #ddf4ff; border-color: #54aeff;}
.fc-chip.fc-attributed {background: #fbefff; border-color: #c297ff;}
.fc-chip.fc-opinion {background: #f6f8fa; border-color: #8250df; color: #8250df; font-weight: 600;}
.fc-article mark.fc-opinion-mark {background: #fbefff; border-bottom: 2px dashed #8250df;}
.fc-flag {display: inline-block; border-radius: 4px; padding: 0 7px; font-size: .75rem; font-weight: 600;
  border: 2px solid; font-family: system-ui, sans-serif; white-space: nowrap;}
.fc-claim {font-size: .92rem; line-height: 1.45; margin-top: 4px; color: #1f2328;}
.fc-claim.fc-muted {color: #6e7781;}
.fc-quote {font-family: Georgia, serif; font-size: 1.1rem; line-height: 1.55; border-left: 4px solid;
  padding: 6px 12px; margin: 6px 0 10px 0; background: #f6f8fa;}
.fc-ev-title {font-weight: 600; font-size: .95rem; line-height: 1.3;}
.fc-ev-meta {color: #57606a; font-size: .8rem; margin: 2px 0 6px 0;}
.fc-ev-passage {font-size: .9rem; line-height: 1.55; color: #424a53;}
.fc-ev-passage mark {background: #fff1a8; color: #1f2328; padding: 1px 2px; border-radius: 2px;}
.fc-ev-score {font-size: .8rem; color: #57606a; margin-top: 6px;}
.fc-bar {height: 5px; background: #eaeef2; border-radius: 3px; margin-top: 3px;}
.fc-bar > div {height: 5px; border-radius: 3px;}
.fc-reason {font-size: .82rem; margin-top: 4px; color: #424a53;}
.fc-reason b {color: #57606a; font-weight: 600;}
.fc-counts {font-size: .78rem; margin-top: 3px; color: #1a7f37; font-weight: 600;}
.fc-weak {font-size: .78rem; margin-top: 3px; color: #6e7781; font-style: italic;}
.fc-pinned {display: inline-block; font-size: .7rem; font-weight: 700; letter-spacing: .04em; color: #0969da;
  border: 1px solid #0969da; border-radius: 3px; padding: 0 4px; margin-right: 6px; vertical-align: 2px;}
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem;}
.fc-facts {font-size: .88rem; margin: 0 0 8px 0;}
.fc-fact {margin-top: 3px;}
.fc-colhead {font-weight: 700; font-size: 1rem; border-bottom: 3px solid; padding-bottom: 3px; margin-bottom: 8px;}
</style>
"""

esc = html.escape  # every document-derived string that goes into HTML passes through this


def verdict_badge(label: str, confidence: float | None = None) -> str:
    name, colour, _ = VERDICTS.get(label, (label, "#57606a", "#eaeef2"))
    text = name + (f" · {confidence:.2f}" if confidence is not None else "")
    title = f' title="{esc(confidence_note(label, confidence))}"' if confidence is not None else ""
    return f'<span class="fc-badge" style="background:{colour}"{title}>{esc(text)}</span>'


def confidence_note(label: str, confidence: float) -> str:
    """What the number beside a verdict means, in a reader's words (see factcheck.verdict.aggregate)."""
    if label == "supported":
        return (f"Confidence {confidence:.2f}: the stance score of the strongest supporting passage that counts "
                "(no refuting passage counts).")
    if label == "refuted":
        return (f"Confidence {confidence:.2f}: the stance score of the strongest refuting passage that counts "
                "(no supporting passage counts).")
    if label == "conflicting":
        return (f"Confidence {confidence:.2f}: the weaker of the strongest supporting and the strongest refuting "
                "passage — how firmly both sides are backed.")
    return (f"Confidence {confidence:.2f} that nothing in the store settles the claim: 1.00 when no passage leans "
            "either way; lower when some passage leans but too weakly, or too far from the claim, to count. "
            "It says nothing about whether the claim is true.")


def decision_badge(decision: ReviewedVerdict) -> str:
    """The decision that leads (the reviewer's where there is one) in its colour, the model's beside it:
    "⚑ Supported" then "model: refuted 0.87"."""
    if not decision.by_reviewer:
        return verdict_badge(decision.model.label, decision.model.confidence)
    colour = VERDICTS[decision.verdict][1]
    mark = "⚑ " if decision.decided_by == "reviewer" else "✎ "
    return (f'<span class="fc-badge" style="background:{colour}" title="{esc(decision.describe())}">'
            f"{mark}{esc(decision.text)}</span> "
            f'<span class="fc-chip" title="{esc(confidence_note(decision.model.label, decision.model.confidence))}">'
            f"model: {esc(decision.model_text)}</span>")


OPINION_TITLE = "An opinion gets no truth verdict: only who said it is checked"


def said_by(result: ClaimResult):
    """An opinion's attribution part (who said it, with its own verdict), or None."""
    return next((f for f in getattr(result, "facts", None) or [] if f.role == "attribution"), None)


def as_opinion(result: ClaimResult, decision: ReviewedVerdict | None) -> bool:
    """An opinion is shown as one (no truth verdict, who said it) unless a reviewer has decided on it."""
    return result.claim.opinion and not (decision and decision.by_reviewer)


def _said_name(fact) -> str:
    """How the speaker checks out, in the verdict's reader name ("Supported")."""
    return VERDICTS.get(fact.verdict, (fact.verdict,))[0]


def opinion_badges(result: ClaimResult) -> str:
    """An opinion's mark instead of a truth verdict: the "opinion" chip and how its speaker checks out
    ("who said it: Supported")."""
    chip = f'<span class="fc-chip fc-opinion" title="{esc(OPINION_TITLE)}">opinion · no truth verdict</span>'
    fact = said_by(result)
    if fact is None:
        return chip
    name, colour = _said_name(fact), VERDICTS.get(fact.verdict, (None, "#57606a"))[1]
    title = f"Whether {fact.text} said it: {fact.reason or name}"
    return (f'{chip}<span class="fc-badge" style="background:{colour}" title="{esc(title)}">'
            f"who said it: {esc(name)}</span>")


def status_chip(status: str) -> str:
    return f'<span class="fc-chip fc-{esc(status)}" title="How the article presents the claim">{esc(status)}</span>'


def flag_chip(flag: str | None) -> str:
    if not flag:
        return ""
    colour = VERDICTS[FLAG_COLOURS.get(flag, "not_enough_evidence")][1]
    return (f'<span class="fc-flag" style="border-color:{colour};color:{colour}" title="The reviewer\'s flag">'
            f"⚑ {esc(FLAG_LABELS[flag])}</span>")


def source_chip(source: str | None) -> str:
    return f'<span class="fc-chip">by {esc(source)}</span>' if source else ""


def safe_url(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def when(stamp: str) -> str:
    """An ISO timestamp as a reader sees it: 28 Nov 2026, 04:27 UTC."""
    try:
        return datetime.fromisoformat(stamp).astimezone(timezone.utc).strftime("%-d %b %Y, %H:%M UTC")
    except ValueError:
        return stamp


def display_source(source: str) -> str:
    """A document's path as the reader knows it: relative to the project when it lies inside it."""
    try:
        return str(Path(source).resolve().relative_to(ROOT))
    except (ValueError, OSError):
        return source


def article_html(report: Report, selected: str | None, show_all: bool, numbers: dict[str, int] | None = None,
                 decisions: dict[str, ReviewedVerdict] | None = None) -> str:
    """The article text, escaped, with each claim's span marked in its verdict colour and its number.

    ``numbers`` maps claim ids to the numbers the reader sees (``desk.navigation.claim_numbers``); without
    it the ids are shown. ``decisions`` (claim id -> ``reviewed_verdict``) colours a reviewed claim by the
    reviewer's decision. A claim whose span lies inside an earlier one (an allegation and its denial in
    one sentence) adds its number to that mark rather than nesting marks.
    """
    def shown_as(cid: str) -> str:
        if numbers is None:
            return cid
        return str(numbers[cid]) if cid in numbers else "·"

    shown = report.claims if show_all else report.shown
    marks: list[tuple[ClaimResult, list[str]]] = []
    end = 0
    for result in sorted(shown, key=lambda r: (r.claim.start, -r.claim.end)):
        claim = result.claim
        if claim.end <= claim.start:
            continue
        if marks and claim.start < end:
            marks[-1][1].append(claim.id)
            continue
        marks.append((result, [claim.id]))
        end = claim.end
    out, pos = [], 0
    for result, ids in marks:
        claim = result.claim
        out.append(esc(report.text[pos:claim.start]))
        classes = ["fc-selected"] if selected in ids else []
        labels = [shown_as(cid) for cid in ids]
        who = ("claim " if numbers is not None else "") + ", ".join(labels)
        decision = (decisions or {}).get(claim.id)
        if as_opinion(result, decision):
            classes.append("fc-opinion-mark")
            fact = said_by(result)
            colour, style = "#8250df", ""
            title = f"{who}: opinion, no truth verdict" + (f"; who said it: {_said_name(fact)}" if fact else "")
        elif claim.checkworthy or claim.opinion:
            label = decision.verdict if decision else result.verdict.label
            _, colour, tint = VERDICTS[label]
            style = f'style="background:{tint};border-bottom:2px solid {colour}"'
            title = f"{who}: " + (decision.describe() if decision and decision.by_reviewer else VERDICTS[label][0])
        else:
            classes.append("fc-minor")
            colour, style, title = "#8c959f", "", f"{who}: not check-worthy"
        sup = f'<sup style="color:{colour}">{esc(" ".join(labels))}</sup>'
        out.append(f'<mark class="{" ".join(classes)}" {style} title="{esc(title)}">'
                   f"{esc(report.text[claim.start:claim.end])}{sup}</mark>")
        pos = claim.end
    out.append(esc(report.text[pos:]))
    return f'<div class="fc-article">{"".join(out)}</div>'


def claim_head(result: ClaimResult, decision: ReviewedVerdict | None, number: int | None = None) -> str:
    """A claim in the list: its number (else its id), its decision (the reviewer's leading, the model's
    beside it), status and source chips, and its (shortened) text."""
    claim = result.claim
    head = [f"<b>{number if number is not None else esc(claim.id)}</b>"]
    if as_opinion(result, decision):
        head += [opinion_badges(result), status_chip(claim.status), source_chip(claim.source)]
    elif claim.checkworthy or claim.opinion:
        badge = decision_badge(decision) if decision else verdict_badge(result.verdict.label, result.verdict.confidence)
        head += [badge, status_chip(claim.status), source_chip(claim.source)]
    else:
        head.append('<span class="fc-chip">not check-worthy</span>')
    text = claim.text if len(claim.text) <= 180 else claim.text[:177] + "…"
    muted = "" if claim.checkworthy or claim.opinion else " fc-muted"
    return " ".join(h for h in head if h) + f'<div class="fc-claim{muted}">{esc(text)}</div>'


def summary_html(report: Report, reviewed: int) -> str:
    """The line above the article: how many claims, how many reviewed, how many of each verdict."""
    counts = report.counts()
    badges = " ".join(f'{verdict_badge(label)}&nbsp;<b>{counts[label]}</b>&nbsp;&nbsp;'
                      for label in VERDICTS if counts.get(label))
    if counts.get("opinion"):
        badges += (f' <span class="fc-chip fc-opinion" title="{esc(OPINION_TITLE)}">opinion</span>'
                   f'&nbsp;<b>{counts["opinion"]}</b>')
    return (f"<div style='margin:4px 0 8px 0'><b>{len(report.checkworthy)}</b> check-worthy claims of "
            f"{len(report.claims)} sentences &nbsp;·&nbsp; <b>{reviewed}</b> reviewed &nbsp;&nbsp; {badges}</div>")


def claim_summary(result: ClaimResult, label: str | None = None, decision: ReviewedVerdict | None = None) -> str:
    """Decision (else verdict), status and source chips of a claim, after ``label`` (its number or id)."""
    claim = result.claim
    if as_opinion(result, decision):
        badge = opinion_badges(result)
    else:
        badge = decision_badge(decision) if decision else verdict_badge(result.verdict.label,
                                                                         result.verdict.confidence)
    return (f"{f'<b>{esc(label)}</b> ' if label else ''}{badge} "
            f"{status_chip(claim.status)} {source_chip(claim.source)}")


def passage_html(evidence: Evidence) -> str:
    """The passage, escaped, with the evidence sentence highlighted."""
    passage, start, end = evidence.passage, evidence.sentence_start, evidence.sentence_end
    if not (0 <= start < end <= len(passage)):
        start = passage.find(evidence.sentence) if evidence.sentence else -1
        end = start + len(evidence.sentence)
    if start < 0:
        return esc(passage)
    while start < end and passage[start].isspace():  # keep the highlight on the words, not the gap before them
        start += 1
    while end > start and passage[end - 1].isspace():
        end -= 1
    # A finding read across the passage's start (``Evidence.sentence_before``): the document's sentence before the
    # passage leads, marked as part of the finding and set apart, since the passage itself does not hold it.
    lead = (f'<mark class="fc-lead" title="the sentence before this passage in its document">'
            f'{esc(evidence.sentence_before)}</mark> ' if evidence.sentence_before else "")
    return f"{lead}{esc(passage[:start])}<mark>{esc(passage[start:end])}</mark>{esc(passage[end:])}"


def evidence_html(evidence: Evidence | ShownEvidence, pinned: bool | None = None) -> str:
    """An evidence card's body: title, meta line, passage with its sentence marked, score bar and reason.

    Given a ``ShownEvidence``, the reviewer's label leads ("reviewer: supports · model: refutes 0.87").
    The document's title and its link say where a passage comes from; server paths stay off the card.
    """
    shown = evidence if isinstance(evidence, ShownEvidence) else ShownEvidence(evidence, evidence.stance)
    evidence = shown.evidence
    pinned = shown.pinned if pinned is None else pinned
    colour = {"supports": VERDICTS["supported"][1], "refutes": VERDICTS["refuted"][1]}.get(shown.stance, "#8c959f")
    meta = [esc(x) for x in (evidence.publisher, evidence.date) if x]
    url = safe_url(evidence.url)
    if url:
        meta.append(f'<a href="{esc(url, quote=True)}" target="_blank" rel="noopener noreferrer">source ↗</a>')
    pin_mark = '<span class="fc-pinned">PINNED</span>' if pinned else ""
    reason = f'<div class="fc-reason"><b>Why:</b> {esc(evidence.reason)}</div>' if evidence.reason else ""
    if evidence.weight_note and not shown.by_reviewer:
        weight_class = "fc-counts" if evidence.counts else "fc-weak"
        reason += f'<div class="{weight_class}">{esc(evidence.weight_note)}</div>'
    elif shown.by_reviewer:
        weight_class = "fc-counts" if shown.counts else "fc-weak"
        weight = "counts towards the decision" if shown.counts else "does not count towards the decision"
        reason += f'<div class="{weight_class}">Your reading {weight}</div>'
    reading = f"<b>{esc(shown.describe())}</b>" if shown.by_reviewer else f"{esc(shown.stance)} <b>{evidence.score:.2f}</b>"
    return (
        f'<div class="fc-ev-title">{pin_mark}{esc(evidence.title or evidence.doc_id)}</div>'
        f'<div class="fc-ev-meta">{" · ".join(meta)}</div>'
        f'<div class="fc-ev-passage">{passage_html(evidence)}</div>'
        f'<div class="fc-ev-score">{reading} · similarity {evidence.similarity:.2f}'
        f'<div class="fc-bar"><div style="width:{max(0.0, min(evidence.score, 1.0)) * 100:.0f}%;background:{colour}"></div></div></div>'
        f"{reason}"
    )


def column_head(title: str, colour: str, count: int) -> str:
    return f'<div class="fc-colhead" style="border-color:{colour};color:{colour}">{esc(title)} ({count})</div>'


def article_label(text: str, name: str, words: int = 8) -> tuple[str, str]:
    """An article as a list shows it: its headline (first line, shortened) and the first words after it,
    which tell two versions with one headline apart."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    headline = lines[0] if lines else name
    body = [line for line in lines[1:] if line != headline]
    opening = " ".join(" ".join(body).split()[:words]) if body else ""
    return (headline if len(headline) <= 60 else headline[:57] + "…"), opening


def facts_html(facts: list) -> str:
    """A claim's parts (its core and qualifiers such as a quantity or a date), each with its own verdict.

    ``facts``: ``ClaimResult.facts`` (objects with ``text``, ``role``, ``verdict``, ``confidence``, ``reason``).
    """
    rows = []
    for fact in facts:
        reason = f' <span class="fc-ev-meta">— {esc(fact.reason)}</span>' if getattr(fact, "reason", "") else ""
        rows.append(f'<div class="fc-fact"><span class="fc-chip">{esc(fact.role)}</span> “{esc(fact.text)}” '
                    f"{verdict_badge(fact.verdict, fact.confidence)}{reason}</div>")
    return f'<div class="fc-facts"><b>Parts of the claim</b>{"".join(rows)}</div>'
