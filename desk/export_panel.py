"""The export panel: JSON, CSV, Markdown and ClaimReview of the current article and its reviews."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from desk import state
from factcheck import Report
from factcheck.review.export import (
    EXPORTERS,
    NOT_POSTABLE,
    ArticleMeta,
    ReviewedArticle,
    claimreview_problems,
    to_claimreview,
)
from factcheck.review.store import Review
from factcheck.team import can
from factcheck.team.actions import exportable


# The ClaimReview details a reviewer can give: ArticleMeta field, widget key, label.
META_FIELDS = [
    ("title", "meta-title", "Article headline"),
    ("url", "meta-url", "Article URL"),
    ("author", "meta-author", "Article author (pre-filled from the byline)"),
    ("date_published", "meta-date", "Article date (YYYY-MM-DD)"),
    ("organisation", "meta-org", "Your organisation"),
    ("organisation_url", "meta-org-url", "Your organisation's home page"),
    ("review_url", "meta-review-url", "URL of your fact-check"),
]


def meta_from_form() -> ArticleMeta:
    ss = st.session_state
    values = {name: (ss.get(key) or "").strip() or None for name, key, _ in META_FIELDS}
    values["organisation"] = values["organisation"] or ArticleMeta().organisation
    return ArticleMeta(**values)


@state.callback
def keep_meta() -> None:
    """Keep the details with the reviews: the publisher's for every article, the article's for its versions."""
    meta_from_form().save(state.reviews(), st.session_state.article)


def export_panel(report: Report, reviews: dict[str, Review]) -> None:
    ss = st.session_state
    user = state.user()
    st.divider()
    st.subheader("Export")
    if not can(user, "export"):
        st.caption("Editors export the reviews and publish ClaimReview, once the verdicts are signed off.")
        return
    if ss.get("meta_article") != ss.article:  # another article: its saved details, else what its text gives
        saved = ArticleMeta.load(state.reviews(), ss.article, report.text)
        for name, key, _ in META_FIELDS:
            ss[key] = getattr(saved, name) or ""
        ss.meta_article = ss.article
    with st.expander("Article and publisher details (used by ClaimReview; kept with the reviews)"):
        columns = st.columns(2)
        for n, (name, key, label) in enumerate(META_FIELDS):
            columns[n % 2].text_input(label, key=key, on_change=keep_meta,
                                      placeholder="https://example.org/fact-checks/…" if name == "review_url" else None)
    meta = meta_from_form()
    article = ReviewedArticle.build(report, reviews, meta)
    if user is not None:  # the team desk exports what a second person has signed off, unless asked
        everything = st.checkbox("Include verdicts not signed off yet", key="export_non_final")
        article = exportable(article, state.workflow(), include_non_final=everything)
        if not everything:
            st.caption(f"Only final verdicts: {len(article.claims)} claim(s) signed off.")
    formats = [name for name in EXPORTERS if name != "claimreview" or can(user, "publish")]
    fmt = st.radio("Format", formats, format_func=lambda name: EXPORTERS[name].label, horizontal=True,
                   key="export_format")
    exporter = EXPORTERS[fmt]
    content = exporter.render(article)
    stem = Path(report.input).stem if report.input not in ("pasted", "-") else "article"
    st.download_button(f"Download {exporter.label}", data=content.encode("utf-8"), mime=exporter.mime,
                       file_name=f"{stem}-{article.article_id[:8]}{exporter.suffix}", type="primary",
                       key=f"download-{fmt}")
    if fmt == "claimreview":
        if not article.flagged:
            st.info("ClaimReview covers flagged claims only — flag at least one claim first.")
        problems = sorted({p for item in to_claimreview(article) for p in claimreview_problems(item)})
        if NOT_POSTABLE in problems:  # said first and plainly: this file is not ready to publish
            st.error(f"ClaimReview: {NOT_POSTABLE}.")
        for problem in problems:
            if problem != NOT_POSTABLE:
                st.warning(f"ClaimReview: {problem}.")
    with st.expander("Preview", expanded=False):
        st.code(content, language=exporter.language, wrap_lines=True)
