"""One claim under review: the claim and its review form beside its supporting and refuting evidence."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from desk import state
from desk.archive_page import memory_box, remember_saved
from desk.html import (
    OPINION_TITLE,
    VERDICTS,
    claim_summary,
    column_head,
    confidence_note,
    esc,
    evidence_html,
    facts_html,
    when,
)
from desk.navigation import claim_numbers, next_unreviewed
from desk.state import flash, html_block, select_claim
from desk.workflow_panel import claim_workflow
from factcheck import FactcheckError, Report
from factcheck.review.decision import ShownEvidence, reviewed_verdict
from factcheck.review.drafts import Draft
from factcheck.review.store import FLAG_LABELS, FLAGS, ConflictRecord, Review, ReviewChange, ReviewConflict
from factcheck.team.actions import check_editable
from factcheck.team.actions import saved as saved_step


def form_keys(key: str) -> tuple[str, str, str]:
    """The session-state keys of a claim's flag, note and public-summary widgets: the reviewer's working copy."""
    return f"flag-{key}", f"note-{key}", f"summary-{key}"


def set_form(key: str, flag: str | None, note: str, summary: str = "") -> None:
    flag_key, note_key, summary_key = form_keys(key)
    st.session_state[flag_key], st.session_state[note_key], st.session_state[summary_key] = flag, note, summary


def show_review(key: str, review: Review) -> None:
    set_form(key, review.flag, review.note, review.public_summary)


def open_form(key: str, current: Review) -> int:
    """Fill the form the first time a claim is shown in this session: the reviewer's kept draft, else the
    saved review. Return the review version this session works from."""
    ss = st.session_state
    owners = ss.setdefault("form_owners", {})  # claim key -> the reviewer whose draft the form holds
    if form_keys(key)[0] not in ss or owners.get(key) != ss.reviewer:
        owners[key] = ss.reviewer
        draft = state.drafts().get(ss.article, key, ss.reviewer)
        if draft is not None and key not in ss.conflicts:
            ss.seen.setdefault(key, draft.base_version)
            set_form(key, draft.flag, draft.note, draft.public_summary)
        else:
            show_review(key, current)
    return ss.seen.setdefault(key, current.version)


def form_values(key: str) -> tuple[str | None, str, str]:
    flag_key, note_key, summary_key = form_keys(key)
    ss = st.session_state
    return ss.get(flag_key), ss.get(note_key) or "", ss.get(summary_key) or ""


@state.callback
def keep_draft(key: str) -> None:
    """Keep what the reviewer has chosen or typed so far, so no rerun, reload or click can lose it."""
    ss = st.session_state
    flag, note, summary = form_values(key)
    current = state.reviews().get(ss.article, key)
    draft = Draft(ss.article, key, ss.reviewer, flag=flag, note=note, public_summary=summary,
                  base_version=ss.seen.get(key, current.version))
    if draft.differs_from(current):
        state.drafts().put(draft)
    else:
        state.drafts().discard(ss.article, key, ss.reviewer)


def save_review(key: str, claim_id: str, change) -> None:
    """Save ``change(review)`` on top of the version this session saw; a stale version becomes a visible conflict.

    The form's flag, note and public summary always go with the change, so pinning, dismissing or
    relabelling a passage also saves the draft.
    """
    ss = st.session_state
    reviews = state.reviews()
    result = ss.report.get(claim_id)
    current = reviews.get(ss.article, key)
    flag, note, summary = form_values(key)
    draft = change(replace(current, version=ss.seen.get(key, current.version), flag=flag, note=note,
                           public_summary=summary, claim_text=result.claim.text))
    try:
        if state.user() is not None:  # the team desk: a final verdict is reopened before it changes
            check_editable(state.workflow(), state.user(), ss.article, key)
        saved = reviews.save(draft, reviewer=ss.reviewer, evidence=result.evidence)
    except ReviewConflict as exc:
        ss.conflicts[key] = (str(exc), exc.current, draft)
        ss.seen[key] = exc.current.version  # the form now shows their version; theirs and mine in the warning
        show_review(key, exc.current)
        state.drafts().discard(ss.article, key, ss.reviewer)
        return
    except FactcheckError as exc:
        flash("error", str(exc))
        return
    state.drafts().discard(ss.article, key, ss.reviewer)
    if state.user() is not None:  # the team desk: the claim is now being worked on
        try:
            saved_step(state.workflow(), state.user(), ss.article, key)
        except FactcheckError as exc:
            flash("warning", f"Saved, but the workflow did not follow: {exc}")
    ss.seen[key] = saved.version
    ss.conflicts.pop(key, None)
    remember_saved(saved)  # evidence snapshot + archive (desk/archive_page.py)
    ss.saved_notice = (key, f"Saved: {saved.summary()} (version {saved.version}).")


@state.callback
def submit_form(key: str, claim_id: str) -> None:
    save_review(key, claim_id, lambda review: review)


@state.callback
def change_evidence(key: str, claim_id: str, passage_id: str, action: str) -> None:
    """Pin, unpin, dismiss or restore one passage (a ``Review`` method of that name), saving the draft with it."""
    save_review(key, claim_id, lambda review: getattr(review, action)(passage_id))


@state.callback
def relabel_passage(key: str, claim_id: str, passage_id: str, widget: str) -> None:
    """The reviewer's reading of one passage (or back to the model's), saved with the draft.

    Streamlit can report a reading as changed when it is only shown again (the selectboxes are keyed by the
    review's version, so each save makes new ones; one of another claim may report after the article
    changed): a reading the saved review already holds saves nothing, or every save would start another.
    """
    label = st.session_state[widget]
    reading = None if label == MODEL else label
    if state.reviews().get(st.session_state.article, key).relabels.get(passage_id) == reading:
        return
    save_review(key, claim_id, lambda review: review.relabel(passage_id, reading))


@state.callback
def clear_flag(key: str) -> None:
    """Take the flag off the form (saving then records "flag cleared" in the history)."""
    st.session_state[form_keys(key)[0]] = None
    keep_draft(key)


@state.callback
def load_theirs(key: str) -> None:
    """Show the newest saved version in the form (the reviewer asked to, so their draft goes)."""
    ss = st.session_state
    current = state.reviews().get(ss.article, key)
    ss.seen[key] = current.version
    ss.conflicts.pop(key, None)
    show_review(key, current)
    state.drafts().discard(ss.article, key, ss.reviewer)


@state.callback
def keep_theirs(key: str) -> None:
    """After a conflict, settle it the other way: the other reviewer's version stays, this reviewer's change goes.

    The refused save is recorded as resolved ("reloaded"), so the review's history says it was not lost by
    accident; the form already shows their version.
    """
    ss = st.session_state
    try:
        state.reviews().resolve_conflict(ss.article, key, ss.reviewer, "reloaded")
    except FactcheckError as exc:
        flash("error", f"Could not record that you kept their version: {exc}")
        return
    ss.conflicts.pop(key, None)
    load_theirs(key)
    ss.saved_notice = (key, "Kept their version; your change was dropped.")


@state.callback
def restore_mine(key: str) -> None:
    """After a conflict, put the reviewer's own change back in the form, to save over theirs on purpose."""
    ss = st.session_state
    _, _, mine = ss.conflicts.pop(key)
    show_review(key, mine)
    keep_draft(key)


@state.callback
def discard_draft(key: str) -> None:
    ss = st.session_state
    show_review(key, state.reviews().get(ss.article, key))
    state.drafts().discard(ss.article, key, ss.reviewer)


SETTLED = {"overwrote": "saved over it afterwards", "reloaded": "kept their version"}  # a refused save's resolution

MODEL = "model"  # the relabel choice that gives a passage back to the model's reading
READINGS = {MODEL: "Model's reading", "supports": "Supports", "refutes": "Refutes", "neutral": "Neutral",
            "irrelevant": "Irrelevant"}


def evidence_card(shown: ShownEvidence, key: str, claim_id: str, index: int, version: int) -> None:
    evidence = shown.evidence
    pinned, dismissed = shown.pinned, shown.dismissed
    with st.container(border=True):
        html_block(evidence_html(shown))
        base = f"{key}-{index}-{evidence.passage_id}"
        widget = f"relabel-{base}-{version}"
        current = shown.stance if shown.by_reviewer else MODEL
        st.selectbox("Your reading", list(READINGS), index=list(READINGS).index(current), key=widget,
                     format_func=lambda r: f"{READINGS[r]} ({evidence.stance} {evidence.score:.2f})" if r == MODEL else READINGS[r],
                     on_change=relabel_passage, args=(key, claim_id, evidence.passage_id, widget))
        pin_col, dismiss_col = st.columns(2)
        pin_col.button("Unpin" if pinned else "Pin", key=f"pin-{base}", on_click=change_evidence, width="stretch",
                       icon=":material/keep_off:" if pinned else ":material/keep:",
                       args=(key, claim_id, evidence.passage_id, "unpin" if pinned else "pin"))
        dismiss_col.button("Restore" if dismissed else "Dismiss", key=f"dismiss-{base}", on_click=change_evidence,
                           icon=":material/undo:" if dismissed else ":material/block:", width="stretch",
                           args=(key, claim_id, evidence.passage_id, "restore" if dismissed else "dismiss"))


def evidence_column(title: str, colour: str, items: list[tuple[int, ShownEvidence]], key: str, claim_id: str,
                    version: int, empty: str) -> None:
    """A column of passages: those that count towards the decision (or are pinned) first, the rest folded."""
    html_block(column_head(title, colour, len(items)))
    if not items:
        st.caption(empty)
    shown = [(i, e) for i, e in items if e.counts or e.pinned]
    folded = [(i, e) for i, e in items if not (e.counts or e.pinned)]
    for index, item in shown:
        evidence_card(item, key, claim_id, index, version)
    if folded:
        with st.expander(f"{len(folded)} more that do not count towards the verdict"):
            for index, item in folded:
                evidence_card(item, key, claim_id, index, version)


@state.callback
def open_next(after: str) -> None:
    """Open the next claim in reading order that nobody has flagged yet."""
    ss = st.session_state
    following = next_unreviewed(ss.report, state.claim_reviews(ss.report, ss.article), after)
    if following is None:
        flash("success", "Every check-worthy claim in this article has a flag.")
    else:
        select_claim(following)


def claim_details(report: Report, result) -> None:
    """The claim's sentence, the core searched for, its cues and its linked claims."""
    claim = result.claim
    if claim.sentence and claim.sentence.strip() != claim.text.strip():
        html_block(f'<div class="fc-ev-meta">In the sentence: “{esc(claim.sentence)}”</div>')
    if claim.query and claim.query.strip() != claim.text.strip():
        html_block(f'<div class="fc-ev-meta">Evidence searched and judged for its core: “{esc(claim.query)}”</div>')
    if claim.cues:
        cues = ", ".join(f"“{esc(c.text)}” ({esc(c.role)})" for c in claim.cues)
        html_block(f'<div class="fc-ev-meta">Cues: {cues}</div>')
    for linked_id in claim.linked:
        try:
            other = report.get(linked_id)
        except KeyError:
            continue
        with st.container(border=True):
            label = str(claim_numbers(report).get(linked_id, linked_id))
            html_block(f'<div class="fc-ev-meta">Linked claim</div>{claim_summary(other, label)}'
                       f'<div class="fc-claim">{esc(other.claim.text)}</div>')
            st.button(f"Open claim {label}", key=f"linked-{claim.id}-{linked_id}", on_click=select_claim,
                      args=(linked_id,))


def review_form(key: str, claim_id: str, current: Review, version: int) -> None:
    ss = st.session_state
    conflict = ss.conflicts.get(key)
    if conflict:
        _, theirs, mine = conflict
        st.warning(f"**Not saved — {theirs.reviewer} changed this review at {when(theirs.updated_at)}, "
                   f"after you opened it.**\n\n"
                   f"**Their version ({theirs.version}):** {theirs.summary()}\n\n"
                   f"**Your change:** {mine.summary()}\n\n"
                   "The form now shows their version. Re-apply your change and save again if you still disagree.",
                   icon=":material/group:")
        if mine.note.strip():
            st.text_area("Your note (not saved)", value=mine.note, disabled=True, key=f"mine-{key}")
        # One above the other: side by side, the long label wraps in the claim column.
        st.button("Put my change back in the form", key=f"mine-back-{key}", on_click=restore_mine, args=(key,),
                  help="Then Save review saves it over theirs, and that is recorded")
        st.button("Keep their version", key=f"keep-theirs-{key}", on_click=keep_theirs, args=(key,),
                  help="Drop your change; the refused save is recorded as settled")
    elif current.version > version:
        st.warning(f"{current.reviewer} saved a newer version ({current.version}: {current.summary()}) at "
                   f"{when(current.updated_at)} since you opened this claim.")
        st.button("Load their version", key=f"reload-{key}", on_click=load_theirs, args=(key,))

    flag_key, note_key, summary_key = form_keys(key)
    with st.container(key="review-form", border=True):
        st.markdown("**Your review**")
        st.radio("Flag", FLAGS, format_func=FLAG_LABELS.get, key=flag_key, horizontal=True,
                 on_change=keep_draft, args=(key,))
        st.text_area("Note", key=note_key, height=90, on_change=keep_draft, args=(key,),
                     placeholder="Internal: what the evidence shows, what is missing, who to call…")
        st.text_area("Public summary", key=summary_key, height=68, on_change=keep_draft, args=(key,),
                     placeholder="Published with the ClaimReview; the note stays internal.")
        flag, note, summary = form_values(key)
        unsaved = (flag, note.strip(), summary.strip()) != (current.flag, current.note.strip(),
                                                            current.public_summary.strip())
        # Two buttons a row: three truncate their labels in the claim column of a 1440-pixel screen.
        save_col, next_col = st.columns([1, 1.3])
        save_col.button("Save review", type="primary", key=f"save-{key}", on_click=submit_form, args=(key, claim_id))
        next_col.button("Next unreviewed", key=f"next-{key}", on_click=open_next, args=(ss.selected,),
                        icon=":material/arrow_forward:", help="Open the next claim that has no flag yet")
        if flag:
            st.button("Clear flag", key=f"clear-{key}", on_click=clear_flag, args=(key,), type="tertiary",
                      help="Take the flag off; Save review records that it was cleared")
        if unsaved:
            ss.unsaved = True
            st.markdown(":orange[● **Unsaved changes**] — kept as your draft; **Save review** adds them to the history.")
            st.button("Discard changes", key=f"discard-{key}", on_click=discard_draft, args=(key,), type="tertiary")
    notice = ss.get("saved_notice")
    if notice and notice[0] == key:
        st.success(notice[1], icon=":material/check_circle:")
        del ss.saved_notice
    if current.version:
        st.caption(f"Saved by {current.reviewer} at {when(current.updated_at)} · version {current.version}")
    else:
        st.caption("Not reviewed yet.")
    history = state.reviews().history(current.article_id, key)
    if history:
        refused = state.reviews().conflicts(current.article_id, key)  # saves refused because someone saved first
        with st.expander(f"History ({len(history)} changes)"):
            lines = [(change.changed_at, history_line(change)) for change in history]
            lines += [(conflict.at, refused_line(conflict)) for conflict in refused]
            for _, line in sorted(lines, key=lambda item: item[0], reverse=True):
                st.markdown(line)


def history_line(change: ReviewChange) -> str:
    if change.event == "flag cleared":
        flag = "flag cleared"
    else:
        flag = FLAG_LABELS.get(change.flag, "no flag") if change.flag else "no flag"
    note = f" — “{change.note}”" if change.note else ""
    relabelled = f", {len(change.relabels)} relabelled" if change.relabels else ""
    return (f"v{change.version} · {when(change.changed_at)} · **{change.reviewer}** · {flag}{note}"
            f" · {len(change.pinned)} pinned, {len(change.dismissed)} dismissed{relabelled}")


def refused_line(conflict: ConflictRecord) -> str:
    """A refused save in the history, with how its reviewer settled it."""
    outcome = SETTLED.get(conflict.resolution or "", "not settled yet")
    return (f"Refused save · {when(conflict.at)} · **{conflict.reviewer}** tried {conflict.attempted.summary()} "
            f"after {conflict.current_reviewer} saved v{conflict.current_version} · {outcome}")


def review_panel(report: Report, reviews: dict[str, Review]) -> None:
    """The selected claim: its decision (the reviewer's leading, the model's beside it), the review form,
    and its evidence in columns by the stance shown (the reviewer's reading where they gave one)."""
    ss = st.session_state
    try:
        result = report.get(ss.selected)
    except KeyError:
        return
    claim = result.claim
    current = reviews.get(claim.id) or Review(article_id=ss.article, claim_key=report.review_key(result))
    key = current.claim_key
    version = open_form(key, current)
    decision = reviewed_verdict(result, current)

    st.divider()
    facts = getattr(result, "facts", None) or []  # the claim's parts with their own verdicts, where judged
    if len(facts) > 1:
        html_block(facts_html(facts))
    claim_col, support_col, refute_col = st.columns([1.15, 1, 1], gap="medium")
    numbers = claim_numbers(report)
    with claim_col:
        if claim.id in numbers:
            st.subheader(f"Claim {numbers[claim.id]} of {len(numbers)}")
        else:
            st.subheader(f"Sentence {claim.id} (not check-worthy)")
        colour = VERDICTS[decision.verdict][1]
        html_block(claim_summary(result, decision=decision)
                   + f'<div class="fc-quote" style="border-color:{colour}">{esc(claim.text)}</div>')
        standalone = getattr(claim, "standalone", "")
        if standalone and standalone.strip() != claim.text.strip():  # the claim as it reads out of its article
            html_block(f'<div class="fc-ev-meta">In context: “{esc(standalone)}”</div>')
        if decision.by_reviewer:
            st.caption(decision.describe())
        if claim.opinion:
            st.caption(f"{OPINION_TITLE}. {result.reason}")
        else:
            st.caption(confidence_note(result.verdict.label, result.verdict.confidence))
        reviewed_as = current.reviewed_as(claim.text)
        if reviewed_as:
            st.caption(f"Reviewed as “{reviewed_as}” — the wording has changed since.")
        review_form(key, claim.id, current, version)
        if state.user() is not None:
            claim_workflow(ss.article, key, has_review=bool(current.version))
        claim_details(report, result)
        memory_box(report, result, current)  # below the form, so the form opens in view

    position = {id(e): i for i, e in enumerate(result.evidence)}  # widget keys follow the ranking

    def indexed(items: list[ShownEvidence]) -> list[tuple[int, ShownEvidence]]:
        return [(position[id(item.evidence)], item) for item in items]

    with support_col:
        evidence_column("Supporting", VERDICTS["supported"][1], indexed(decision.supporting), key, claim.id,
                        current.version, "No passage in the store supports this claim.")
    with refute_col:
        evidence_column("Conflicting", VERDICTS["refuted"][1], indexed(decision.refuting), key, claim.id,
                        current.version, "No passage in the store contradicts this claim.")
    neutral = decision.neutral + decision.irrelevant
    if neutral:
        with st.expander(f"Neutral evidence ({len(neutral)}) — retrieved, but neither supports nor contradicts"):
            cols = st.columns(2)
            for n, (i, item) in enumerate(indexed(neutral)):
                with cols[n % 2]:
                    evidence_card(item, key, claim.id, i, current.version)
    if decision.dismissed:
        with st.expander(f"Dismissed evidence ({len(decision.dismissed)})"):
            for i, item in indexed(decision.dismissed):
                evidence_card(item, key, claim.id, i, current.version)
