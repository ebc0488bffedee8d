"""factcheck review desk: check an article, weigh each claim against its evidence, flag it, export.

Run with ``make run`` (or ``streamlit run app.py``). A thin layer over the library; its parts live in
``desk/`` (state, html, check_page, review_panel, export_panel, corpus_page). The store is
``$FACTCHECK_STORE`` (default .factcheck/store); reviews ``$FACTCHECK_REVIEWS``.
"""

from __future__ import annotations

import streamlit as st

from desk import signin, state
from desk.archive_page import archive_page
from desk.check_page import check_page
from desk.corpus_page import corpus_page
from desk.html import CSS, article_label, when
from desk.workflow_panel import my_lists
from factcheck import FactcheckError

PAGES = {"Check & review": check_page, "Archive": archive_page, "Corpus": corpus_page}


@state.callback
def open_article(aid: str) -> None:
    """Reopen a recent article: checked again on the next run, its reviews read back from the database."""
    st.session_state.page = "Check & review"
    st.session_state.pending_article = aid


def sidebar(user) -> str:
    with st.sidebar:
        st.title("factcheck")
        st.caption("Review desk")
        page = st.radio("Page", list(PAGES), key="page", label_visibility="collapsed")
        signin.sidebar_account(user)
        if user is not None:
            my_lists(user)
        try:
            recent = state.reviews().articles(limit=8)
        except FactcheckError as exc:
            st.error(str(exc))
            recent = []
        if recent:
            st.markdown("**Recent articles**")
            for info in recent:
                headline, opening = article_label(info.text, info.name)
                st.button(headline, key=f"recent-{info.article_id}", width="stretch", type="tertiary",
                          on_click=open_article, args=(info.article_id,))
                words = f"  \n“{opening}…”" if opening else ""
                st.caption(f"{when(info.last_opened)} · {info.reviewed_claims} reviewed{words}")
        st.divider()
        with st.expander("Where the data lives"):
            st.caption(f"Evidence store: `{state.store_path()}`  \nReviews: `{state.reviews_path()}`  \n"
                       "Set FACTCHECK_STORE and FACTCHECK_REVIEWS to change them.")
    return page


def main() -> None:
    st.set_page_config(page_title="factcheck review desk", page_icon="🔎", layout="wide")
    state.html_block(CSS)
    user = signin.gate()  # with a users file, only the sign-in page until someone signs in
    ss = state.init_session(user)
    ss.unsaved = False  # set by a page that shows a draft not saved yet
    try:
        page = sidebar(user)
        state.show_flash()
        PAGES[page]()
    except FactcheckError as exc:  # the one boundary where library errors become messages
        st.error(str(exc))
    with st.sidebar:
        state.page_script()


main()
