"""The team desk in a real browser: nothing but sign-in until a real password is given, then what a reviewer sees."""

from __future__ import annotations

import pytest

from factcheck.team import UsersFile

from .test_browser import SCRIPT_IDLE, page, running_app  # noqa: F401 - the browser fixture and the app server

PASSWORD = "rita-reads-carefully-7"


@pytest.fixture
def team_server(corpus_store, tmp_path):
    """The desk with a users file (real bcrypt cost) on the shared corpus store."""
    users = UsersFile(tmp_path / "users.yaml")
    users.add("rita", PASSWORD, "reviewer", name="Rita Reviewer")
    users.add("ada", "ada-admin-password", "admin")
    with running_app(corpus_store, tmp_path / "reviews.sqlite3", tmp_path / "streamlit.log",
                     FACTCHECK_USERS=str(users.path)) as url:
        yield url


def _sign_in(page, user: str, password: str, expect_text: str) -> None:
    """Fill the sign-in form and submit it until ``expect_text`` shows. Under a loaded machine the page's
    first rerun after loading can redraw the form and drop what was typed; the fields are checked before
    each submit, and a second attempt is made only when the first brought no answer in a minute."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    for attempt in range(2):
        for name, value in (("Username", user), ("Password", password)):
            field = page.get_by_role("textbox", name=name)
            # While a rerun redraws the form, the old field can stand beside the new one for a moment: wait for
            # one (a form drawn twice for good still fails here).
            expect(field).to_have_count(1, timeout=30_000)
            field.fill(value)
            expect(field).to_have_value(value)
        page.get_by_role("button", name="Sign in").click()
        try:
            page.get_by_text(expect_text).wait_for(timeout=60_000)
            return
        except PlaywrightTimeout:
            if attempt:
                raise


@pytest.mark.browser
@pytest.mark.slow
def test_signed_out_browser_reaches_only_sign_in_and_a_reviewer_cannot_manage_the_corpus(team_server, page):  # noqa: F811
    from playwright.sync_api import expect

    for path in ("/", "/?article=0123456789abcdef&claim=c1"):
        page.goto(team_server + path)
        page.get_by_role("button", name="Sign in").wait_for()
        expect(page.get_by_text("Sign in to review claims")).to_be_visible()
        assert page.get_by_text("Check & review").count() == 0 and page.get_by_text("Corpus").count() == 0

    _sign_in(page, "rita", "not-her-password", expect_text="Wrong username or password")
    assert page.get_by_text("Signed in as").count() == 0

    _sign_in(page, "rita", PASSWORD, expect_text="Signed in as")  # both fields again: a rerun may redraw the form
    expect(page.get_by_text("Rita Reviewer")).to_be_visible()
    assert page.get_by_role("textbox", name="Reviewer").count() == 0  # no typed name in team mode

    page.get_by_text("Corpus", exact=True).click()
    page.get_by_text("editors add and remove documents").wait_for()
    expect(page.locator("[data-testid='stDataFrame']")).to_be_visible()
    for control in ("Remove a document", "Add documents", "Or a folder on this server", "Add the folder"):
        assert page.get_by_text(control).count() == 0, control

    page.reload()  # the signed cookie keeps this browser signed in
    page.get_by_text("Signed in as").wait_for()
    kept = [c for c in page.context.cookies() if c["name"] == "factcheck_session"]
    assert kept and PASSWORD not in kept[0]["value"]
    # Once the reloaded page has settled (its cookie reader reruns the app once after loading), as a reader
    # would click: a click while that rerun redraws the sidebar can land on the button being replaced.
    for _ in range(2):
        page.wait_for_function(SCRIPT_IDLE, timeout=120_000)
        page.wait_for_timeout(1000)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    # Signing out ends the remembered sign-in for good: the old cookie, kept or copied, no longer works.
    page.context.add_cookies(kept)
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()
    page.wait_for_timeout(2000)  # time for a cookie sign-in, were it still accepted
    assert page.get_by_text("Signed in as").count() == 0


@pytest.mark.browser
@pytest.mark.slow
def test_signing_in_and_out_again_and_again_always_takes(team_server, page):  # noqa: F811
    """The cookie component's reports start reruns that cut runs short; a sign-out or a sign-in must still
    take every time (a sign-out once got lost when a report's rerun ended the run that was doing it)."""
    page.goto(team_server)

    def cookie() -> str | None:
        return next((c["value"] for c in page.context.cookies() if c["name"] == "factcheck_session"), None)

    for _ in range(4):
        before = cookie()
        page.get_by_role("button", name="Sign in").wait_for()
        _sign_in(page, "rita", PASSWORD, expect_text="Signed in as")
        for _ in range(300):  # the browser takes the new cookie from a component, after the page is drawn (its
            if cookie() not in (None, before):  # frame took over 10 s to load once, in a fresh clone's full run)
                break
            page.wait_for_timeout(100)
        assert cookie() not in (None, before), "signing in did not give this browser a new cookie"
        page.reload()
        page.get_by_text("Signed in as").wait_for(timeout=30_000)  # the cookie signed it in
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
        for _ in range(300):  # and the browser is asked to drop the cookie until it has
            if cookie() is None:
                break
            page.wait_for_timeout(100)
        assert cookie() is None, "signing out left the cookie in the browser"
