"""The Check & review page: take an article, check it, list its claims beside the marked-up text."""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path

import streamlit as st

from desk import state
from desk.corpus_page import build_store_button
from desk.export_panel import export_panel
from desk.html import ROOT, article_html, claim_head, summary_html
from desk.navigation import FILTERS, VERDICT_FILTERS, claim_numbers, filter_claims
from desk.review_panel import review_panel
from desk.state import html_block, select_claim
from desk.workflow_panel import assign_article, state_line, untouched
from factcheck import Checker, FactcheckError, Report
from factcheck.errors import StoreUnavailable
from factcheck.evidence.loaders import load_file
from factcheck.review.decision import reviewed_verdict
from factcheck.review.store import Review
from factcheck.team import can

EXAMPLE = ROOT / "seeds" / "000_5812b4ca549976e4.txt"
UPLOAD_TYPES = ["txt", "md", "markdown", "html", "htm", "pdf"]
LABELS = {**FILTERS, **VERDICT_FILTERS}
# Whether this library's Checker.check anchors relative dates ("on Tuesday") to an article date.
TAKES_DATE = "date" in inspect.signature(Checker.check).parameters
STAGES = {"claims": "Claims found; searching the evidence store…", "retrieval": "Evidence found; weighing it…",
          "stance": "Stance judged; aggregating verdicts…", "verdict": "Done."}


def run_check(text: str, name: str) -> None:
    """Check ``text`` and make it the current article (errors shown, never raised)."""
    ss = st.session_state
    bar = st.progress(0.0, text="Loading the models…")
    try:
        checker = state.warm_checker(state.store_path())
        bar.progress(0.05, text="Finding the claims…")
        dated = {"date": ss.get("article_date") or None} if TAKES_DATE else {}
        report = checker.check(text, input_name=name, **dated,
                               progress=lambda stage, fraction: bar.progress(min(fraction, 1.0), text=STAGES.get(stage, stage)))
        aid = state.reviews().remember_article(text, name)
    except FactcheckError as exc:
        bar.empty()
        st.error(str(exc))
        return
    bar.empty()
    ss.report, ss.article = report, aid
    ss.selected = None
    ss.seen, ss.conflicts = {}, {}
    st.query_params["article"] = aid
    st.query_params.pop("claim", None)


def read_upload(upload) -> tuple[str, str]:
    """The text of an uploaded article (via the library's loaders, which refuse bad files)."""
    name = Path(upload.name).name or "upload.txt"
    with tempfile.TemporaryDirectory() as tmp:
        # Under its own name, so the loader's messages name the file the user chose.
        path = Path(tmp) / name
        path.write_bytes(upload.getvalue())
        try:
            docs = load_file(path)
        except FactcheckError as exc:
            raise type(exc)(str(exc).replace(str(path), name)) from exc
    return docs[0].text, name


def reopen_from_url() -> None:
    """After a reload, reopen the article named in the URL (checked again; its reviews come from the database)."""
    ss = st.session_state
    aid = st.query_params.get("article")
    if not aid or ss.get("report") is not None or ss.get("reopen_tried") == aid:
        return
    ss.reopen_tried = aid
    claim = st.query_params.get("claim")
    info = state.reviews().article(aid)
    if info is not None:
        run_check(info.text, info.name)
        if ss.get("report") is not None and claim:
            select_claim(claim)
        return
    st.info(f"The link names article {aid}, which this review database ({state.reviews_path()}) has never seen — "
            "paste or upload the article to check it.")


@state.callback
def keep_pasted() -> None:
    ss = st.session_state
    state.drafts().keep_pasted(ss.reviewer, ss.paste_text)


def input_panel() -> None:
    ss = st.session_state
    mode_col, date_col = st.columns([3, 1], vertical_alignment="center")
    mode = mode_col.radio("Article", ["Paste text", "Upload a file", "Example article"], horizontal=True,
                          key="input_mode", label_visibility="collapsed")
    if TAKES_DATE:
        date_col.text_input("Article date", key="article_date", placeholder="YYYY-MM-DD (optional)",
                            help="Anchors “on Tuesday” and the like; else the date the article gives, if any")
    if mode == "Paste text":
        # A new session (a reload), or a reviewer who just named themselves: the text they last pasted.
        if "paste_text" not in ss or (ss.get("paste_owner") != ss.reviewer and not ss.paste_text.strip()):
            ss.paste_text = state.drafts().pasted(ss.reviewer)
        ss.paste_owner = ss.reviewer
        st.text_area("Paste the article", key="paste_text", height=180, on_change=keep_pasted,
                     placeholder="Paste an article or a few sentences…")
        if st.button("Check claims", type="primary", key="check_pasted"):
            run_check(ss.paste_text, "pasted")
    elif mode == "Upload a file":
        upload = st.file_uploader("Upload an article (.txt, .md, .html, .pdf)", type=UPLOAD_TYPES, key="upload")
        if st.button("Check claims", type="primary", disabled=upload is None, key="check_upload"):
            try:
                text, name = read_upload(upload)
            except FactcheckError as exc:
                st.error(str(exc))
            else:
                run_check(text, name)
    else:
        first_line = EXAMPLE.read_text(encoding="utf-8").strip().splitlines()[0] if EXAMPLE.is_file() else ""
        st.caption(f"Bundled example: *{first_line}* ({EXAMPLE.name})")
        if st.button("Open the example article", type="primary", key="check_example"):
            run_check(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    if ss.get("report") is None:
        st.info("Paste an article, upload one, or open the example. Each claim is matched against the evidence "
                "store; you then review it side by side with its evidence.")


def claim_list(report: Report, reviews: dict[str, Review], show_all: bool, which: str) -> None:
    ss = st.session_state
    numbers = claim_numbers(report)
    results = filter_claims(report, reviews, which, show_all)
    if not results and which == "all":
        st.info("No check-worthy claims in this text." + ("" if show_all else " Tick “show all sentences” to see the rest."))
    elif not results:
        st.info(f"No claims here: {LABELS[which].lower()}.")
    items = state.workflow().for_article(ss.article) if state.user() is not None else None
    for result in results:
        claim = result.claim
        decision = reviewed_verdict(result, reviews.get(claim.id))
        with st.container(border=True, key=f"claim-{claim.id}"):
            left, right = st.columns([5, 1.3], vertical_alignment="center")
            with left:
                html_block(claim_head(result, decision, numbers.get(claim.id)))
                if items is not None:  # the team desk: where the claim stands in the workflow
                    key = reviews[claim.id].claim_key if claim.id in reviews else report.review_key(result)
                    st.caption(state_line(items.get(key) or untouched(ss.article, key)))
            with right:
                chosen = ss.get("selected") == claim.id
                st.button("Review", key=f"open-{claim.id}", on_click=select_claim,
                          args=(claim.id,), type="primary" if chosen else "secondary", width="stretch")


@state.callback
def go_to_corpus() -> None:
    st.session_state.page = "Corpus"


def check_page() -> None:
    ss = st.session_state
    try:
        count, store_down = state.store_count(), False
    except StoreUnavailable as exc:
        # The server stopped answering: say so, and keep the current article reviewable (reviews live
        # in their own database). The next check works as soon as the server is back.
        st.error(str(exc))
        count, store_down = None, True
    if count is None and not store_down:
        if not can(state.user(), "add_documents"):
            st.warning(f"The evidence store at `{state.store_path()}` is not built yet: an editor builds it.")
            return
        st.warning(f"The evidence store at `{state.store_path()}` is not built yet. Build it from the bundled demo "
                   "corpus (about a minute), or add your own documents on the Corpus page.")
        build_store_button("build_store_check")
        return
    if count == 0:
        st.warning(f"The evidence store at `{state.store_path()}` is empty: add your documents on the Corpus page "
                   "before checking an article.")
        st.button("Go to the Corpus page", key="to_corpus", on_click=go_to_corpus)
        return
    pending = ss.pop("pending_article", None)
    pending_key = ss.pop("pending_key", None)  # a claim to open, from "Assigned to me" and the like
    info = state.reviews().article(pending) if pending else None
    if info is not None:
        run_check(info.text, info.name)
        if pending_key and ss.get("report") is not None:
            opened = state.claim_reviews(ss.report, ss.article)
            found = [cid for cid, review in opened.items() if review.claim_key == pending_key]
            if found:
                select_claim(found[0])
            else:
                st.warning("That claim is no longer in this article as it reads now.")
    reopen_from_url()
    input_panel()
    report: Report | None = ss.get("report")
    if report is None:
        return
    reviews = state.claim_reviews(report, ss.article)
    st.divider()
    title = report.text.strip().splitlines()[0] if report.text.strip() else report.input
    st.subheader(title[:160])
    st.caption(f"{report.input} · article {ss.article}")
    reviewed = sum(1 for r in report.shown if (rev := reviews.get(r.claim.id)) and rev.flag)
    html_block(summary_html(report, reviewed))
    toggle_col, filter_col = st.columns([1.25, 1], gap="medium", vertical_alignment="center")
    show_all = toggle_col.toggle("Show all sentences, including those that are not check-worthy", key="show_all")

    def with_count(which: str) -> str:
        return f"{LABELS[which]} ({len(filter_claims(report, reviews, which, show_all))})"

    which = filter_col.selectbox("Show", list(LABELS), format_func=with_count, key="claim_filter",
                                 label_visibility="collapsed")
    if state.user() is not None:
        assign_article(ss.article, [reviews[r.claim.id].claim_key if r.claim.id in reviews else report.review_key(r)
                                    for r in report.shown])
    article_col, list_col = st.columns([1.25, 1], gap="medium")
    with article_col:
        with st.container(height=560, border=True):
            decisions = {r.claim.id: reviewed_verdict(r, reviews.get(r.claim.id)) for r in report.shown}
            html_block(article_html(report, ss.get("selected"), show_all, claim_numbers(report), decisions))
    with list_col:
        with st.container(height=560, border=False):
            claim_list(report, reviews, show_all, which)
    if ss.get("selected"):
        review_panel(report, reviews)
    else:
        st.info("Pick a claim with **Review** to weigh it against its evidence.")
    export_panel(report, reviews)
