"""What the desk keeps: the cached Checker and ReviewStore (one per process) and this session's state."""

from __future__ import annotations

import functools

import streamlit as st

from factcheck import Checker, Settings, StoreError
from factcheck.errors import StoreUnavailable
from factcheck.review.drafts import DraftStore
from factcheck.review.store import ReviewStore
from factcheck.review.workflow import Workflow
from factcheck.team import User


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


@st.cache_resource(show_spinner=False)
def get_drafts(location: str) -> DraftStore:
    return DraftStore(location)


@st.cache_resource(show_spinner=False)
def get_workflow(location: str) -> Workflow:
    return get_reviews(location).workflow


def workflow() -> Workflow:
    """Assignment and second review, kept beside the reviews."""
    return get_workflow(reviews_path())


def claim_reviews(report, aid: str) -> dict:
    """Claim id -> its Review for the current article: the saved one that follows the claim (from any version
    of the article), else an empty one carrying the key to save it under."""
    return reviews().for_claims(aid, [r.claim for r in report.claims], report.text)


def drafts() -> DraftStore:
    """Unsaved flags, notes and pasted text, kept in the review database."""
    reviews()  # the review store creates the database file and its folder first
    return get_drafts(reviews_path())


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


def init_session(user: User | None = None):
    """This browser session's state, with defaults on the first run. ``user``: who signed in (None on the
    single-user desk, where the reviewer names themselves)."""
    ss = st.session_state
    ss.setdefault("seen", {})  # claim key -> review version this session last loaded
    ss.setdefault("conflicts", {})  # claim key -> (message, other reviewer's Review, my draft)
    ss.setdefault("flash", [])
    if user is not None:  # the name saved with every change is the signed-in user's, never typed
        ss.reviewer = user.username
    elif "reviewer" not in ss:
        ss.reviewer = st.query_params.get("reviewer") or settings().reviewer
    return ss


def user() -> User | None:
    """The signed-in user; None on the single-user desk (no users file), which may do everything."""
    return st.session_state.get("user")


def flash(kind: str, message: str) -> None:
    """A message shown at the top of the next run (for callbacks, whose output would be lost)."""
    st.session_state.flash.append((kind, message))


def show_flash() -> None:
    for kind, message in st.session_state.flash:
        getattr(st, kind)(message)
    st.session_state.flash = []


def html_block(markup: str) -> None:
    st.markdown(markup, unsafe_allow_html=True)


def callback(func):
    """A widget callback that does nothing in a session cleared by signing out.

    Widgets drawn before the sign-out can still report a change on the next run (the browser keeps them until
    a run finishes drawing the sign-in page); their callbacks must not act on, or fail for, state that is gone.
    ``reviewer`` is set by ``init_session`` on every run of a signed-in (or single-user) session.
    """
    @functools.wraps(func)
    def run(*args, **kwargs):
        if "reviewer" not in st.session_state:
            return None
        return func(*args, **kwargs)
    return run


@callback
def select_claim(claim_id: str) -> None:
    """Open a claim for review (and name it in the URL, so a reload reopens it)."""
    st.session_state.selected = claim_id
    st.session_state.scroll_to_form = True  # the review form comes into view once, on opening
    st.query_params["claim"] = claim_id


# Warn before the page is left with work that has not reached the server (a note typed but not yet sent)
# or a draft not saved as a review; bring the review form into view when a claim was just opened.
# Runs in the parent page (the iframe shares its origin).
_PAGE_SCRIPT = """<script>
const page = window.parent;
const scrollTo = %s;
if (scrollTo) {
  let tries = 0;
  const bringIntoView = () => {
    const form = page.document.querySelector(scrollTo);
    if (form) form.scrollIntoView({block: "center", behavior: "instant"});
    else if (tries++ < 100) setTimeout(bringIntoView, 100);
  };
  bringIntoView();
}
page.__fcUnsaved = %s;
page.__fcTyping = false;
if (!page.__fcGuard) {
  // The listeners must live in the page itself: this iframe is replaced on every run.
  const guard = page.document.createElement("script");
  guard.textContent = `
    window.__fcGuard = true;
    document.addEventListener("input", (event) => {
      if (event.target.tagName === "TEXTAREA") window.__fcTyping = true;
    }, true);
    window.addEventListener("beforeunload", (event) => {
      if (window.__fcUnsaved || window.__fcTyping) { event.preventDefault(); event.returnValue = ""; }
    });`;
  page.document.head.appendChild(guard);
}
</script><!-- %s -->"""


def page_script() -> None:
    """Make the browser ask before a reload or a closed tab discards unsaved work (``unsaved`` in session
    state), and scroll the review form into view after a claim was opened."""
    ss = st.session_state
    ss.page_runs = ss.get("page_runs", 0) + 1  # a new snippet each run: typing is reset once it reached the server
    scroll = '".st-key-review-form"' if ss.pop("scroll_to_form", False) and ss.get("selected") else "null"
    st.iframe(_PAGE_SCRIPT % (scroll, "true" if ss.get("unsaved") else "false", ss.page_runs), height=1)
