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

The browser's cookie is set and deleted by a component that reports back, and every report starts a new run
that cuts the running one short. So nothing here is a one-shot flag consumed at the start of a run: the Sign
out callback only writes session state, with no I/O that could fail or stall halfway (the session is signed
out before the next run starts); what follows — noting the time in the review
database, clearing the page — is redone by every run until done; and the cookie is asked for on every run
until the browser reports it stored (or, after signing out, gone). Widget callbacks skip a cleared session.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime, timedelta

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from desk import state
from factcheck import FactcheckError
from factcheck.team import User, UsersFile
from factcheck.team.throttle import SignInThrottle

log = logging.getLogger(__name__)

SINGLE_USER = "Single-user mode — no sign-in"
_DROP_COOKIE = "drop_cookie"  # set on sign-out until the browser reports the cookie gone
_COOKIE_TOKEN = "cookie_token"  # set on sign-in until the browser reports it stores this token
_COOKIE_EXPIRES = "cookie_expires"
_RECORD_SIGN_OUT = "record_sign_out"  # who just signed out, until the review database notes when
_RECORD_SIGN_IN = "record_sign_in"  # who just signed in with a password, until the sign-in throttle notes it
_FORGET = "forget_the_session"  # set on sign-out until the run that clears the signed-out user's page
# What streamlit-authenticator and the cookie keep in session state; the rest is the desk's, gone on sign-out.
_AUTH_KEYS = {"authentication_status", "name", "username", "email", "roles", "logout", "init", "set", "delete",
              _DROP_COOKIE, _RECORD_SIGN_OUT}
_SIGNED_OUT = "signed-out-at:"  # review-store setting: when a user last signed out (seconds since the epoch)
_ATTEMPTS = "failed_login_attempts"  # streamlit-authenticator's count of failed sign-ins in a user's entry
_LOCKED = 1  # that count, for a locked account: login(max_login_attempts=_LOCKED) refuses it unchecked


def users_file() -> UsersFile | None:
    """The configured users file, or None for the single-user desk."""
    path = state.settings().users
    return UsersFile(path) if path else None


def sign_out() -> None:
    """The Sign out button's callback: signs this session out before the next run starts.

    It only writes session state: a callback that did the database write too was once seen to stop between
    its first and last line, leaving the session signed in. The review database is written on the next run.
    """
    ss = st.session_state
    ss[_RECORD_SIGN_OUT] = ss.get("username") or ""
    ss["logout"] = True  # what streamlit-authenticator's own logout sets: it then ignores the cookie here
    for key in ("name", "username", "authentication_status", "email", "roles"):
        ss[key] = None
    ss[_DROP_COOKIE] = True
    ss[_FORGET] = True  # the next run clears the page: other widgets' callbacks may still run after this one


def _record_sign_out() -> None:
    """Note when the user signed out, so that no cookie issued before then signs anyone in again; on every run
    until it is written (a run cut short does it again)."""
    ss = st.session_state
    username = ss.get(_RECORD_SIGN_OUT)
    if username:
        try:
            state.reviews().save_setting(_SIGNED_OUT + username, time.time())
        except FactcheckError as exc:
            st.warning(f"Signed out here, but other remembered sign-ins could not be ended: {exc}")
    ss.pop(_RECORD_SIGN_OUT, None)


def _forget_the_session() -> None:
    """Drop everything the signed-out user had open (their article, drafts in widgets, selections); the
    query parameters go first, the desk's keys (this flag among them) last, so a run cut short does it again."""
    st.query_params.clear()
    for key in list(st.session_state):
        if key not in _AUTH_KEYS:
            del st.session_state[key]


def _sync_cookie(auth: stauth.Authenticate) -> None:
    """Ask the browser to store (after signing in) or drop (after signing out) the sign-in cookie, on every
    run until it reports that it did: a run cut short by a rerun cannot lose the request."""
    ss = st.session_state
    model = auth.cookie_controller.cookie_model
    # The cookies as the browser last reported them (the component's value, empty until its first report);
    # read before a set or delete below changes the dict.
    reported = model.cookie_manager.cookies
    if ss.get(_DROP_COOKIE) and not ss.get("authentication_status"):
        if reported and model.cookie_name not in reported:  # a report (there are other cookies) without ours
            del ss[_DROP_COOKIE]
        else:
            auth.cookie_controller.delete_cookie()  # the component, keyed "delete"
    token = ss.get(_COOKIE_TOKEN)
    if token and ss.get("authentication_status"):
        if reported.get(model.cookie_name) == token:
            del ss[_COOKIE_TOKEN]
        else:  # the same token every time: the component sets it once and reports once
            model.cookie_manager.set(model.cookie_name, token, key="set",
                                     expires_at=datetime.fromtimestamp(ss[_COOKIE_EXPIRES]))


def _issue_cookie(auth: stauth.Authenticate, username: str) -> None:
    """The token that keeps this browser signed in, in streamlit-authenticator's format (a JWT of the username
    and the expiry, signed with the configured key); ``_sync_cookie`` hands it to the browser."""
    model = auth.cookie_controller.cookie_model
    expires = (datetime.now() + timedelta(days=model.cookie_expiry_days)).timestamp()
    st.session_state.pop(_DROP_COOKIE, None)  # signed in again: the new cookie replaces the old one
    st.session_state[_COOKIE_EXPIRES] = expires
    st.session_state[_COOKIE_TOKEN] = jwt.encode({"username": username, "exp_date": expires}, model.cookie_key,
                                                 algorithm="HS256")


def _signed_in_with_password(auth: stauth.Authenticate, username: str) -> None:
    """streamlit-authenticator's callback on a right password: only session state, like the Sign out callback.
    The library draws its own cookie component right after it, and a rerun started by a component's report
    can end the run there; a cookie issued later in the run was lost that way (the browser stayed without
    one), so the token and the note for the throttle are kept here, before anything is drawn."""
    _issue_cookie(auth, username)
    st.session_state[_RECORD_SIGN_IN] = username


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
    if ss.get(_FORGET):
        _forget_the_session()
    if _RECORD_SIGN_OUT in ss:
        _record_sign_out()
    _sync_cookie(auth)
    locks: dict[str, float] = {}
    if not ss.get("authentication_status"):
        _refuse_cookies_from_before_sign_out(auth, users)
        try:
            locks = _mark_locked(accounts, throttle)
        except FactcheckError as exc:  # cannot tell who is locked out: sign nobody in with a password
            st.error(f"Sign-in cannot start: {exc}")
            st.stop()
    heading = st.empty()
    locked_out = ""
    try:
        auth.login(location="main", key="signin", max_login_attempts=_LOCKED,
                   callback=lambda signed_in: _signed_in_with_password(auth, signed_in["username"]), fields={
                       "Form name": "Sign in", "Username": "Username", "Password": "Password", "Login": "Sign in"})
    except LoginError as exc:
        typed = next((name for name, account in accounts.items() if account.typed_in), None)
        if typed is not None and locks.get(typed):
            locked_out = _locked_message(typed, locks[typed])
        else:
            st.error(f"Cannot sign in: {exc}.")
    try:
        if ss.get(_RECORD_SIGN_IN):
            throttle.succeeded(ss[_RECORD_SIGN_IN])
        for name in [name for name, account in accounts.items() if account.failed_now()]:
            seconds = throttle.failed(name)
            if seconds:
                locked_out = _locked_message(name, seconds)
    except FactcheckError as exc:
        log.warning("a sign-in could not be counted, the review database did not answer: %s", exc)
    ss.pop(_RECORD_SIGN_IN, None)
    if locked_out:
        st.error(locked_out)
    if ss.get("authentication_status"):
        user = users.get(ss.get("username") or "")
        if user is not None:
            if not ss.get("user") or ss.user.username != user.username:  # just signed in: a clean page
                ss.user = user
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
