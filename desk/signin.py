"""Sign-in: with a users file ($FACTCHECK_USERS) the desk shows nothing but the sign-in form until a user signs in.

streamlit-authenticator draws the form, checks the password against the file's bcrypt hash and keeps the
browser signed in with a cookie signed by the configured key. It is handed the users as a mapping (never the
file's path), so it never writes to the users file; it fetches nothing without an API key or OAuth settings,
and we give it neither. Roles always come from the users file, read on every run: a removed user is signed
out on their next click, a changed role applies at once.

Failed sign-ins are counted per account in the review database (``factcheck.team.throttle``): five wrong
passwords within 15 minutes lock the account for 5 minutes, shared by every desk process and kept across
restarts. A locked account is refused before its password is checked, even the right one, with a message
saying for how long and that an admin can lift it (``factcheck users unlock NAME``); a browser that is
already signed in by its cookie stays signed in. The lock rides on streamlit-authenticator's own
``max_login_attempts``: each run hands it a count of 1 for a locked account and 0 for any other, and a count
that went up after ``login`` is a wrong password to record. Passwords are never logged.
"""

from __future__ import annotations

import logging
import math
import time

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from desk import state
from factcheck import FactcheckError
from factcheck.team import User, UsersFile
from factcheck.team.throttle import SignInThrottle

log = logging.getLogger(__name__)

# What streamlit-authenticator keeps in session state; everything else is the desk's, and goes on sign-out.
_AUTH_KEYS = {"authentication_status", "name", "username", "email", "roles", "logout", "init", "set", "delete"}
SINGLE_USER = "Single-user mode — no sign-in"
_SIGNED_OUT = "signed-out-at:"  # review-store setting: when a user last signed out (seconds since the epoch)
_ATTEMPTS = "failed_login_attempts"  # streamlit-authenticator's count of failed sign-ins in a user's entry
_LOCKED = 1  # that count, for a locked account: login(max_login_attempts=_LOCKED) refuses it unchecked


def users_file() -> UsersFile | None:
    """The configured users file, or None for the single-user desk."""
    path = state.settings().users
    return UsersFile(path) if path else None


def sign_out() -> None:
    st.session_state.signing_out = True


def _forget_the_session() -> None:
    """Drop everything the signed-out user had open (their article, drafts in widgets, selections)."""
    for key in list(st.session_state):
        if key not in _AUTH_KEYS:
            del st.session_state[key]
    st.query_params.clear()


def _refuse_cookies_from_before_sign_out(auth: stauth.Authenticate, users: UsersFile) -> None:
    """A cookie issued before its user last signed out no longer signs anyone in: signing out ends every
    remembered sign-in of that user, also one whose cookie the browser kept (or someone copied)."""
    token = auth.cookie_controller.get_cookie()
    if not token or "username" not in token:
        return
    issued = float(token.get("exp_date", 0)) - users.cookie().expiry_days * 86400
    try:
        signed_out = float(state.reviews().setting(_SIGNED_OUT + str(token["username"]), 0.0))
    except FactcheckError as exc:  # cannot tell whether the cookie was revoked: ask for the password
        log.warning("cookie sign-in refused, the review database did not answer: %s", exc)
        signed_out = float("inf")
    if issued <= signed_out:
        st.session_state["logout"] = True  # streamlit-authenticator then ignores the cookie in this session


class _Account(dict):
    """One user's entry in the mapping handed to streamlit-authenticator.

    Its ``login`` reads the failed-attempts mark of the username typed in, and of no other, before it checks
    the password; noting that read tells whose sign-in a refusal was (the form's fields are the library's).
    """

    typed_in = False
    mark = 0  # the count it was handed in this run

    def get(self, key, default=None):
        if key == _ATTEMPTS:
            self.typed_in = True
        return super().get(key, default)

    def failed_now(self) -> bool:
        """Whether streamlit-authenticator counted a wrong password for this user in this run."""
        return int(super().get(_ATTEMPTS, 0)) > self.mark


def _authenticator(users: UsersFile) -> tuple[stauth.Authenticate, dict[str, _Account]]:
    """The authenticator, and the users' entries it reads (the same objects: it counts failures in them)."""
    cookie = users.cookie()  # raises when no key is configured: sign-in never starts without one
    credentials = users.credentials()
    accounts = {name: _Account(record) for name, record in credentials["usernames"].items()}
    credentials["usernames"] = accounts
    # No pause before the form: the library waited for a cookie component once; it now reads request cookies.
    auth = stauth.Authenticate(credentials, cookie.name, cookie.key, cookie.expiry_days, auto_hash=False,
                               login_sleep_time=0)
    return auth, accounts


def _mark_locked(accounts: dict[str, _Account], throttle: SignInThrottle) -> dict[str, float]:
    """Mark the locked accounts so streamlit-authenticator refuses them before checking a password (even the
    right one); every other account starts at 0, so a wrong password shows as a count of 1. Return the locks."""
    locks = {name: throttle.locked_for(name) for name in accounts}
    for name, account in accounts.items():
        account.mark = account[_ATTEMPTS] = _LOCKED if locks[name] else 0
    return locks


def _locked_message(username: str, seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return (f"Too many failed sign-ins for this username — try again in about {minutes} minute"
            f"{'' if minutes == 1 else 's'}, or ask an admin to unlock it (`factcheck users unlock {username}`).")


def gate() -> User | None:
    """The signed-in user; None on the single-user desk. While nobody is signed in, draw the sign-in page
    and stop the run there, so no other page, sidebar or query parameter is ever reached."""
    users = users_file()
    if users is None:
        return None
    ss = st.session_state
    try:
        auth, accounts = _authenticator(users)
        throttle = SignInThrottle(state.reviews())
    except FactcheckError as exc:
        st.error(f"Sign-in cannot start: {exc}")
        st.stop()
    if ss.pop("signing_out", False):
        if ss.get("username"):
            try:
                state.reviews().save_setting(_SIGNED_OUT + ss["username"], time.time())
            except FactcheckError as exc:
                st.warning(f"Signed out here, but other remembered sign-ins could not be ended: {exc}")
        auth.logout(location="unrendered")  # clears the sign-in and asks this browser to drop the cookie
        _forget_the_session()
    locks: dict[str, float] = {}
    if not ss.get("authentication_status"):
        _refuse_cookies_from_before_sign_out(auth, users)
        try:
            locks = _mark_locked(accounts, throttle)
        except FactcheckError as exc:  # cannot tell who is locked out: sign nobody in with a password
            st.error(f"Sign-in cannot start: {exc}")
            st.stop()
    if ss.pop("cookie_pending", False) and ss.get("authentication_status"):
        auth.cookie_controller.set_cookie()  # the run after signing in: keep this browser signed in
    heading = st.empty()
    with_password: list[str] = []  # who signed in with their password in this run (a cookie does not count)
    locked_out = ""
    try:
        auth.login(location="main", key="signin", max_login_attempts=_LOCKED,
                   callback=lambda signed_in: with_password.append(signed_in["username"]), fields={
                       "Form name": "Sign in", "Username": "Username", "Password": "Password", "Login": "Sign in"})
    except LoginError as exc:
        typed = next((name for name, account in accounts.items() if account.typed_in), None)
        if typed is not None and locks.get(typed):
            locked_out = _locked_message(typed, locks[typed])
        else:
            st.error(f"Cannot sign in: {exc}.")
    try:
        for name in with_password:
            throttle.succeeded(name)
        for name in [name for name, account in accounts.items() if account.failed_now()]:
            seconds = throttle.failed(name)
            if seconds:
                locked_out = _locked_message(name, seconds)
    except FactcheckError as exc:
        log.warning("a sign-in could not be counted, the review database did not answer: %s", exc)
    if locked_out:
        st.error(locked_out)
    if ss.get("authentication_status"):
        user = users.get(ss.get("username") or "")
        if user is not None:
            if not ss.get("user") or ss.user.username != user.username:  # just signed in: a clean page
                ss.user = user
                ss.cookie_pending = True
                st.rerun()
            ss.user = user
            return user
        auth.logout(location="unrendered")
        _forget_the_session()
        st.warning("You are no longer a user of this desk — ask an admin.")
    elif ss.get("authentication_status") is False and not locked_out:
        st.error("Wrong username or password.")
    heading.markdown("## factcheck review desk\nSign in to review claims. Ask an admin for an account.")
    st.stop()


def sidebar_account(user: User | None) -> None:
    """Who is signed in and a Sign out button; on the single-user desk, the name to save reviews under."""
    if user is None:
        st.caption(SINGLE_USER)
        name = st.text_input("Reviewer", key="reviewer", help="Saved with every review you make.")
        if name and st.query_params.get("reviewer") != name:
            st.query_params["reviewer"] = name
        return
    st.markdown(f"Signed in as **{user.name}** · {user.role}")
    st.button("Sign out", key="sign_out", on_click=sign_out, icon=":material/logout:")
