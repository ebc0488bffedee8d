"""The team desk's workflow: a claim's state and its next step, assigning an article, and the signed-in user's
lists ("Assigned to me", "Awaiting my sign-off") that jump to a claim. Only drawn when a user is signed in;
every step goes through ``factcheck.team.actions``, which checks the role."""

from __future__ import annotations

import streamlit as st

from desk import state
from desk.signin import users_file
from desk.state import flash
from factcheck import FactcheckError
from factcheck.review.workflow import Assignment
from factcheck.team import User, can
from factcheck.team import actions
from factcheck.review.workflow import STATE_LABELS

STATE_ICONS = {"unassigned": "○", "in_progress": "◐", "awaiting_second_review": "◑", "final": "●"}


def untouched(article: str, key: str) -> Assignment:
    """A claim that has no workflow row yet (``Workflow.status`` says the same, one query per claim)."""
    return Assignment(article, key, "unassigned", None, None, None, None, "")


def state_line(item: Assignment) -> str:
    """One line for a claim's place in the workflow: "◑ Awaiting second review · rita submitted"."""
    parts = [f"{STATE_ICONS[item.state]} {STATE_LABELS[item.state]}"]
    if item.state == "unassigned" and item.assignee:  # assigned, not started yet
        parts = [f"{STATE_ICONS[item.state]} Assigned to {item.assignee}, not started"]
    if item.state == "in_progress" and item.assignee:
        parts.append(f"assigned to {item.assignee}")
    if item.state == "awaiting_second_review" and item.submitted_by:
        parts.append(f"submitted by {item.submitted_by}")
    if item.state == "final" and item.signed_off_by:
        parts.append(f"signed off by {item.signed_off_by}")
    return " · ".join(parts)


@state.callback
def _step(step, *args, done: str) -> None:
    """Run one workflow step for the signed-in user (a callback: its message shows on the next run)."""
    try:
        step(state.workflow(), state.user(), *args)
    except FactcheckError as exc:
        flash("error", str(exc))
        return
    flash("success", done)


@state.callback
def _assign(article: str, keys: list[str], widget: str) -> None:
    username = st.session_state.get(widget)
    if not username:
        flash("warning", "Choose who to assign it to first.")
        return
    assignee = users_file().user(username)
    _step(actions.assign, article, keys, assignee, done=f"Assigned {len(keys)} claim(s) to {assignee.name}.")


def _team() -> dict[str, User]:
    """Everyone who can sign in, by username."""
    return {u.username: u for u in users_file().users()}


def _who(user: User) -> str:
    return f"{user.name} ({user.username}, {user.role})"


def claim_workflow(article: str, key: str, has_review: bool) -> None:
    """The selected claim's state and the steps this user may take now."""
    user = state.user()
    item = state.workflow().status(article, key)
    with st.container(border=True, key="workflow-box"):
        st.markdown(f"**Workflow** — {state_line(item)}")
        if can(user, "assign") and item.state in ("unassigned", "in_progress"):
            team = _team()
            names = list(team)
            widget = f"assignee-{key}"
            left, right = st.columns([2, 1], vertical_alignment="bottom")
            left.selectbox("Assign to", names, key=widget, index=names.index(item.assignee) if item.assignee in names else None,
                           placeholder="Choose a reviewer", format_func=lambda n: _who(team[n]))
            right.button("Assign", key=f"assign-{key}", on_click=_assign, args=(article, [key], widget))
        if item.state in ("unassigned", "in_progress") and can(user, "submit"):
            st.button("Submit for second review", key=f"submit-{key}", disabled=not has_review,
                      help=None if has_review else "Save a review first",
                      on_click=_step, args=(actions.submit, article, key),
                      kwargs={"done": "Submitted for second review."})
        if item.state == "awaiting_second_review" and can(user, "sign_off"):
            refusal = actions.sign_off_refusal(user, item)
            st.button("Sign off as final", key=f"sign-off-{key}", type="primary", disabled=refusal is not None,
                      help=refusal, on_click=_step, args=(actions.sign_off, article, key),
                      kwargs={"done": "Signed off: the verdict is final."})
            if refusal:
                st.caption(refusal + ".")
        if item.state in ("awaiting_second_review", "final") and can(user, "reopen"):
            st.button("Reopen", key=f"reopen-{key}", type="tertiary", on_click=_step, args=(actions.reopen, article, key),
                      kwargs={"done": "Reopened: back in progress."})


def assign_article(article: str, keys: list[str]) -> None:
    """For editors: every check-worthy claim of the article to one reviewer (final ones stay as they are)."""
    if not can(state.user(), "assign") or not keys:
        return
    items = state.workflow().for_article(article)
    open_keys = [k for k in keys if k not in items or items[k].state != "final"]
    with st.expander("Assign this article"):
        team = _team()
        st.selectbox("Reviewer", list(team), key="assign-article-to", index=None, placeholder="Choose a reviewer",
                     format_func=lambda n: _who(team[n]))
        st.button(f"Assign its {len(open_keys)} open claim(s)", key="assign-article", disabled=not open_keys,
                  on_click=_assign, args=(article, open_keys, "assign-article-to"))


@state.callback
def open_claim_at(article: str, key: str) -> None:
    """Jump to one claim of an article (checked again on the Check & review page)."""
    ss = st.session_state
    ss.page = "Check & review"
    ss.pending_article = article
    ss.pending_key = key


def _item_label(item: Assignment) -> str:
    review = state.reviews().get(item.article, item.key)
    info = state.reviews().article(item.article)
    name = info.name if info else item.article
    text = review.claim_text or item.key
    return f"{text[:70]}{'…' if len(text) > 70 else ''} ({name})"


def my_lists(user: User) -> None:
    """The sidebar's "Assigned to me" and "Awaiting my sign-off", open when they hold something."""
    try:
        assigned = state.workflow().assigned_to(user.username)
        awaiting = state.workflow().awaiting_sign_off(user.username) if can(user, "sign_off") else []
    except FactcheckError as exc:
        st.error(str(exc))
        return
    lists = [("Assigned to me", "mine", assigned)]
    if can(user, "sign_off"):
        lists.append(("Awaiting my sign-off", "sign", awaiting))
    for title, prefix, items in lists:
        with st.expander(f"{title} ({len(items)})", expanded=bool(items)):
            if not items:
                st.caption("Nothing here.")
            for item in items:
                st.button(_item_label(item), key=f"{prefix}-{item.article}-{item.key}", type="tertiary",
                          on_click=open_claim_at, args=(item.article, item.key))
