"""What the desk keeps: the cached Checker and ReviewStore (one per process) and this session's state."""

from __future__ import annotations

import streamlit as st

from factcheck import Checker, Settings, StoreError
from factcheck.errors import StoreUnavailable
from factcheck.review.store import ReviewStore


def settings() -> Settings:
    """The settings as the environment gives them now ($FACTCHECK_STORE, $FACTCHECK_REVIEWS, …)."""
    return Settings()


def store_path() -> str:
    return settings().store


def reviews_path() -> str:
    return settings().reviews


@st.cache_resource(show_spinner=False)
def get_checker(location: str) -> Checker:
    """One Checker per store; its models load on first use and stay loaded."""
    return Checker(Settings(store=location))


@st.cache_resource(show_spinner="Loading the models (once)…")
def warm_checker(location: str) -> Checker:
    checker = get_checker(location)
    checker.warm_up()
    return checker


@st.cache_resource(show_spinner=False)
def get_reviews(location: str) -> ReviewStore:
    return ReviewStore(location)


def reviews() -> ReviewStore:
    """The review database this process uses."""
    return get_reviews(reviews_path())


def store_count() -> int | None:
    """Passages in the store, or None when there is no usable store yet.

    A Chroma server that is not answering raises ``StoreUnavailable``: it is not "no store yet",
    and offering to build one there would mislead.
    """
    try:
        return get_checker(store_path()).store.count()
    except StoreUnavailable:
        raise
    except StoreError:
        return None


def store_changed() -> None:
    """Forget the cached Checker so retrieval sees the store's new contents."""
    get_checker.clear()
    warm_checker.clear()


def init_session():
    """This browser session's state, with defaults on the first run."""
    ss = st.session_state
    ss.setdefault("seen", {})  # claim key -> review version this session last loaded
    ss.setdefault("conflicts", {})  # claim key -> (message, other reviewer's Review, my draft)
    ss.setdefault("flash", [])
    if "reviewer" not in ss:
        ss.reviewer = st.query_params.get("reviewer") or settings().reviewer
    return ss


def flash(kind: str, message: str) -> None:
    """A message shown at the top of the next run (for callbacks, whose output would be lost)."""
    st.session_state.flash.append((kind, message))


def show_flash() -> None:
    for kind, message in st.session_state.flash:
        getattr(st, kind)(message)
    st.session_state.flash = []


def html_block(markup: str) -> None:
    st.markdown(markup, unsafe_allow_html=True)


def select_claim(claim_id: str) -> None:
    """Open a claim for review (and name it in the URL, so a reload reopens it)."""
    st.session_state.selected = claim_id
    st.query_params["claim"] = claim_id
