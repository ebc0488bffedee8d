"""One claim under review: the claim and its review form beside its supporting and refuting evidence."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from desk import state
from desk.archive_page import memory_box, remember_saved
from desk.html import VERDICTS, claim_summary, column_head, esc, evidence_html, flag_chip, when
from desk.state import flash, html_block, select_claim
from factcheck import Evidence, FactcheckError, Report
from factcheck.review.store import FLAG_LABELS, FLAGS, Review, ReviewConflict


def seen_review(key: str, current: Review) -> int:
    """The review version this session works from (set the first time the claim is opened)."""
    return st.session_state.seen.setdefault(key, current.version)


def save_review(key: str, change) -> None:
    """Save ``change(review)`` on top of the version this session saw; a stale version becomes a visible conflict."""
    ss = st.session_state
    reviews = state.reviews()
    current = reviews.get(ss.article, key)
    draft = change(replace(current, version=ss.seen.get(key, current.version)))
    try:
        saved = reviews.save(draft, reviewer=ss.reviewer)
    except ReviewConflict as exc:
        ss.conflicts[key] = (str(exc), exc.current, draft)
        ss.seen[key] = exc.current.version  # the form now shows their version
        return
    except FactcheckError as exc:
        flash("error", str(exc))
        return
    ss.seen[key] = saved.version
    ss.conflicts.pop(key, None)
    remember_saved(saved, key)  # evidence snapshot + archive (desk/archive_page.py)
    ss.saved_notice = (key, f"Saved: {saved.summary()} (version {saved.version}).")


def submit_form(key: str, version: int, claim_text: str) -> None:
    ss = st.session_state
    flag = ss.get(f"flag-{key}-{version}")
    note = ss.get(f"note-{key}-{version}", "")
    save_review(key, lambda review: replace(review, flag=flag, note=note, claim_text=claim_text))


def change_evidence(key: str, passage_id: str, action: str) -> None:
    """Pin, unpin, dismiss or restore one passage (a ``Review`` method of that name)."""
    save_review(key, lambda review: getattr(review, action)(passage_id))


def load_theirs(key: str) -> None:
    st.session_state.seen.pop(key, None)
    st.session_state.conflicts.pop(key, None)


def evidence_card(evidence: Evidence, key: str, index: int, review: Review) -> None:
    pinned = evidence.passage_id in review.pinned
    dismissed = evidence.passage_id in review.dismissed
    with st.container(border=True):
        html_block(evidence_html(evidence, pinned))
        pin_col, dismiss_col = st.columns(2)
        base = f"{key}-{index}-{evidence.passage_id}"
        pin_col.button("Unpin" if pinned else "Pin", key=f"pin-{base}", on_click=change_evidence, width="stretch",
                       icon=":material/keep_off:" if pinned else ":material/keep:",
                       args=(key, evidence.passage_id, "unpin" if pinned else "pin"))
        dismiss_col.button("Restore" if dismissed else "Dismiss", key=f"dismiss-{base}", on_click=change_evidence,
                           icon=":material/undo:" if dismissed else ":material/block:",
                           width="stretch", args=(key, evidence.passage_id, "restore" if dismissed else "dismiss"))


def evidence_column(title: str, colour: str, items: list[tuple[int, Evidence]], key: str, review: Review, empty: str) -> None:
    html_block(column_head(title, colour, len(items)))
    if not items:
        st.caption(empty)
    for index, evidence in items:
        evidence_card(evidence, key, index, review)


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
            html_block(f'<div class="fc-ev-meta">Linked claim</div>{claim_summary(other)}'
                       f'<div class="fc-claim">{esc(other.claim.text)}</div>')
            st.button(f"Open {linked_id}", key=f"linked-{claim.id}-{linked_id}", on_click=select_claim, args=(linked_id,))


def review_form(key: str, current: Review, version: int, claim_text: str) -> None:
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
    elif current.version > version:
        st.warning(f"{current.reviewer} saved a newer version ({current.version}: {current.summary()}) at "
                   f"{when(current.updated_at)} since you opened this claim.")
        st.button("Load their version", key=f"reload-{key}", on_click=load_theirs, args=(key,))

    with st.container(key="review-form"), st.form(f"review-{key}-{version}", border=True):
        st.markdown("**Your review**")
        st.radio("Flag", FLAGS, index=FLAGS.index(current.flag) if current.flag in FLAGS else None,
                 format_func=FLAG_LABELS.get, key=f"flag-{key}-{version}", horizontal=True)
        st.text_area("Note", value=current.note, key=f"note-{key}-{version}", height=90,
                     placeholder="What the evidence shows, what is missing, who to call…")
        st.form_submit_button("Save review", type="primary", on_click=submit_form, args=(key, version, claim_text))
    notice = ss.get("saved_notice")
    if notice and notice[0] == key:
        st.success(notice[1], icon=":material/check_circle:")
        del ss.saved_notice
    if current.version:
        st.caption(f"Saved by {current.reviewer} at {when(current.updated_at)} · version {current.version}")
    else:
        st.caption("Not reviewed yet.")
    history = state.reviews().history(ss.article, key)
    if history:
        with st.expander(f"History ({len(history)} changes)"):
            for change in reversed(history):
                flag = FLAG_LABELS.get(change.flag, "no flag") if change.flag else "no flag"
                note = f" — “{change.note}”" if change.note else ""
                st.markdown(f"v{change.version} · {when(change.changed_at)} · **{change.reviewer}** · {flag}{note}"
                            f" · {len(change.pinned)} pinned, {len(change.dismissed)} dismissed")


def review_panel(report: Report, reviews: dict[str, Review]) -> None:
    ss = st.session_state
    try:
        result = report.get(ss.selected)
    except KeyError:
        return
    claim = result.claim
    key = report.review_key(result)
    current = reviews.get(key) or Review(article_id=ss.article, claim_key=key)
    version = seen_review(key, current)

    st.divider()
    claim_col, support_col, refute_col = st.columns([1.15, 1, 1], gap="medium")
    with claim_col:
        st.subheader(f"Claim {claim.id}")
        colour = VERDICTS[result.verdict.label][1]
        html_block(claim_summary(result, with_id=False) + " " + flag_chip(current.flag)
                   + f'<div class="fc-quote" style="border-color:{colour}">{esc(claim.text)}</div>')
        claim_details(report, result)
        memory_box(report, result, key)
        review_form(key, current, version, claim.text)

    position = {id(e): i for i, e in enumerate(result.evidence)}  # widget keys follow the ranking
    columns = result.columns(pinned=current.pinned, dismissed=current.dismissed)

    def indexed(items: list[Evidence]) -> list[tuple[int, Evidence]]:
        return [(position[id(e)], e) for e in items]

    with support_col:
        evidence_column("Supporting", VERDICTS["supported"][1], indexed(columns.supporting), key, current,
                        "No passage in the store supports this claim.")
    with refute_col:
        evidence_column("Conflicting", VERDICTS["refuted"][1], indexed(columns.refuting), key, current,
                        "No passage in the store contradicts this claim.")
    if columns.neutral:
        with st.expander(f"Neutral evidence ({len(columns.neutral)}) — retrieved, but neither supports nor contradicts"):
            cols = st.columns(2)
            for n, (i, e) in enumerate(indexed(columns.neutral)):
                with cols[n % 2]:
                    evidence_card(e, key, i, current)
    if columns.dismissed:
        with st.expander(f"Dismissed evidence ({len(columns.dismissed)})"):
            for i, e in indexed(columns.dismissed):
                evidence_card(e, key, i, current)
