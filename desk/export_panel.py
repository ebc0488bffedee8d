"""The export panel: JSON, CSV, Markdown and ClaimReview of the current article and its reviews."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from factcheck import Report
from factcheck.review.export import EXPORTERS, ArticleMeta, ReviewedArticle, claimreview_problems, to_claimreview
from factcheck.review.store import Review


def export_panel(report: Report, reviews: dict[str, Review]) -> None:
    ss = st.session_state
    st.divider()
    st.subheader("Export")
    first_line = report.text.strip().splitlines()[0][:200] if report.text.strip() else report.input
    with st.expander("Article and publisher details (used by ClaimReview)"):
        a, b = st.columns(2)
        title = a.text_input("Article headline", value=first_line, key=f"meta-title-{ss.article}")
        url = a.text_input("Article URL", key="meta-url")
        author = a.text_input("Article author", key="meta-author")
        date = b.text_input("Article date (YYYY-MM-DD)", key="meta-date")
        organisation = b.text_input("Your organisation", value="factcheck review desk", key="meta-org")
        review_url = b.text_input("URL of your fact-check", key="meta-review-url",
                                  placeholder="https://example.org/fact-checks/…")
    meta = ArticleMeta(title=title or None, url=url or None, author=author or None, date_published=date or None,
                       organisation=organisation or "factcheck review desk", review_url=review_url or None)
    article = ReviewedArticle.build(report, reviews, meta)
    fmt = st.radio("Format", list(EXPORTERS), format_func=lambda name: EXPORTERS[name].label, horizontal=True,
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
        for problem in problems:
            st.warning(f"ClaimReview: {problem}.")
    with st.expander("Preview", expanded=False):
        st.code(content, language=exporter.language, wrap_lines=True)
