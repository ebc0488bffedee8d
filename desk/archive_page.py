"""The desk's memory: earlier checks of the claim under review, what changed since a save, and the archive page."""

from __future__ import annotations

import streamlit as st

from desk import state
from desk.html import esc, when
from desk.state import flash, html_block
from factcheck import FactcheckError
from factcheck.memory.archive import Archive, ArchiveFilter, review_claim_id
from factcheck.memory.export import archive_export
from factcheck.memory.record import matching_text
from factcheck.memory.record import remember_saved as remember_saved_review
from factcheck.memory.snapshots import SnapshotStore, recheck_diff
from factcheck.review.store import FLAGS, FLAG_LABELS
from factcheck.team import can
from factcheck.team.actions import exportable_archive

EXPORTS = {"CSV": ("csv", "text/csv", "csv"), "JSON": ("json", "application/json", "json"),
           "ClaimReview JSON-LD": ("claimreview", "application/ld+json", "jsonld")}


@st.cache_resource(show_spinner=False)
def get_archive(store: str, reviews: str) -> Archive:
    settings = state.settings()
    settings.store, settings.reviews = store, reviews
    return Archive(settings)


def archive() -> Archive:
    return get_archive(state.store_path(), state.reviews_path())


def remember_saved(saved) -> None:
    """After a review save: snapshot the evidence the reviewer saw and archive the claim (never loses the save)."""
    report = st.session_state.get("report")
    if report is None:
        return
    try:
        remember_saved_review(archive().settings, report, st.session_state.article, saved, state.reviews(),
                              archive=archive())
    except FactcheckError as exc:
        flash("warning", f"The review was saved, but not archived: {exc}")


@state.callback
def _decide(query: str, claim_id: str, decision: str) -> None:
    try:
        archive().decide(query, claim_id, decision, st.session_state.get("reviewer", ""))
    except FactcheckError as exc:
        flash("error", str(exc))


def memory_box(report, result, review) -> None:
    """Earlier checks of this claim (linked or suggested) and, for a saved review, what changed since.

    ``review``: the claim's review as ``ReviewStore.for_claims`` attached it, perhaps saved on an earlier
    version of the article (so under that version's id)."""
    key = review.claim_key
    own = review_claim_id(review.article_id, key)
    query = matching_text(result.claim)
    matches = archive().match([query], exclude=[own])[0]
    for n, match in enumerate(matches):
        earlier = match.archived
        where = f" · {esc(earlier.source)}" if earlier.source else ""
        with st.container(border=True, key=f"match-{match.kind}-{n}"):
            if match.kind == "suggested":
                html_block(f'<div class="fc-ev-meta">Possibly reviewed before ({match.similarity:.2f}){where}</div>'
                           f"<div><b>{esc(earlier.headline())}</b></div><div>{esc(earlier.text)}</div>")
                confirm, reject = st.columns(2)
                confirm.button("Same claim", key=f"confirm-{key}-{n}", on_click=_decide,
                               args=(query, earlier.claim_id, "confirmed"))
                reject.button("Not the same", key=f"reject-{key}-{n}", on_click=_decide,
                              args=(query, earlier.claim_id, "rejected"))
            else:
                html_block(f'<div class="fc-ev-meta">Reviewed before{where}</div>'
                           f"<div><b>Reviewed before: {esc(earlier.headline())}</b></div><div>{esc(earlier.text)}</div>")
    try:
        snapshot = SnapshotStore(state.reviews_path()).latest(review.article_id, key)
    except FactcheckError as exc:
        st.warning(str(exc))
        return
    if snapshot is not None:
        diff = recheck_diff(snapshot, result, state.get_checker(state.store_path()).store)
        (st.caption if diff.unchanged else st.info)(f"{diff.summary()} (snapshot of version {snapshot.review_version}, "
                                                     f"{when(snapshot.saved_at)}).")


def archive_page() -> None:
    st.header("Archive")
    st.caption("Every reviewed claim across articles, and any fact-checks imported with `factcheck archive import`.")
    arch = archive()
    query = st.text_input("Search", key="archive-query", placeholder="A claim in any words…")
    flag_col, reviewer_col, since_col, until_col, source_col = st.columns(5)
    flag = flag_col.selectbox("Flag", [None, *FLAGS], format_func=lambda f: "Any" if f is None else FLAG_LABELS[f],
                              key="archive-flag")
    reviewer = reviewer_col.text_input("Reviewer", key="archive-reviewer")
    since = since_col.date_input("From", value=None, key="archive-since")
    until = until_col.date_input("To", value=None, key="archive-until")
    source = source_col.text_input("Source or article", key="archive-source")
    filters = ArchiveFilter(flag=flag, reviewer=reviewer.strip() or None, since=since.isoformat() if since else None,
                            until=until.isoformat() if until else None, source=source.strip() or None)
    if query.strip():
        found = [claim for claim, _ in arch.search(query, filters, k=50)]
    else:
        found = arch.list(filters, limit=500)
    st.caption(f"{len(found)} claim(s)")
    if not found:
        st.info("No archived claim matches. Reviews enter the archive when they are saved.")
        return
    for n, claim in enumerate(found):
        with st.expander(f"{claim.verdict or 'no verdict'} · {claim.text[:110]}", expanded=n == 0 and bool(query)):
            st.markdown(f"**{esc(claim.headline())}**  \n{esc(claim.source)}")
            if claim.article_id and claim.claim_key:
                for change in reversed(state.reviews().history(claim.article_id, claim.claim_key)):
                    st.caption(f"v{change.version} · {when(change.changed_at)} · {change.reviewer} · "
                               f"{change.flag or 'no flag'} {('— ' + change.note) if change.note else ''}")
                try:
                    snapshot = SnapshotStore(state.reviews_path()).latest(claim.article_id, claim.claim_key)
                except FactcheckError as exc:
                    st.warning(str(exc))
                    snapshot = None
                if snapshot:
                    st.markdown(f"Evidence when saved (verdict {snapshot.verdict}):")
                    for item in snapshot.evidence:
                        st.caption(f"{item.stance} {item.score:.2f} · {item.doc_id} · {item.passage[:200]}")
    user = state.user()
    if not can(user, "export"):
        st.caption("Editors export the archive.")
        return
    if user is not None:  # the team desk: reviews made here leave it once signed off, unless asked
        everything = st.checkbox("Include verdicts not signed off yet", key="archive-non-final")
        found = exportable_archive(found, state.workflow(), include_non_final=everything)
        st.caption(f"{len(found)} claim(s) to export.")
    formats = [name for name in EXPORTS if EXPORTS[name][0] != "claimreview" or can(user, "publish")]
    label = st.radio("Export as", formats, horizontal=True, key="archive-format")
    fmt, mime, suffix = EXPORTS[label]
    st.download_button(f"Download {label}", archive_export(found, fmt) if fmt != "claimreview" or any(
        c.verdict for c in found) else "[]", file_name=f"archive.{suffix}", mime=mime, key="archive-download")
