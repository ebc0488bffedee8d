"""The team desk through Streamlit's AppTest: sign-in first, then what each role sees and may do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from factcheck.review.store import ReviewStore
from factcheck.team import UsersFile
from factcheck.team import users as users_module
from factcheck.team.throttle import SignInThrottle

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 600
PASSWORDS = {"rita": "rita-reviews-42", "ed": "ed-edits-4242", "eve": "eve-edits-4343", "ada": "ada-admin-4444"}
ROLES = {"rita": "reviewer", "ed": "editor", "eve": "editor", "ada": "admin"}


@pytest.fixture(scope="module")
def users_path(tmp_path_factory) -> Path:
    """A users file with a reviewer, two editors and an admin (cheap bcrypt rounds: the hashes are as real)."""
    path = tmp_path_factory.mktemp("team") / "users.yaml"
    rounds, users_module.BCRYPT_ROUNDS = users_module.BCRYPT_ROUNDS, 4
    try:
        users = UsersFile(path)
        for name, role in ROLES.items():
            users.add(name, PASSWORDS[name], role, name=name.capitalize())
    finally:
        users_module.BCRYPT_ROUNDS = rounds
    return path


@pytest.fixture
def team_env(users_path, tmp_path, monkeypatch) -> Path:
    """The app in team mode on a fresh review database (and no evidence store unless a test adds one)."""
    monkeypatch.setenv("FACTCHECK_USERS", str(users_path))
    monkeypatch.delenv("FACTCHECK_COOKIE_KEY", raising=False)
    monkeypatch.setenv("FACTCHECK_REVIEWS", str(tmp_path / "reviews.sqlite3"))
    monkeypatch.setenv("FACTCHECK_STORE", str(tmp_path / "no-store"))
    return tmp_path / "reviews.sqlite3"


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def text_box(at: AppTest, label: str):
    (box,) = [t for t in at.text_input if t.label == label]
    return box


def signed_in(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query)
    ok(at.run())
    text_box(at, "Username").input(name)
    text_box(at, "Password").input(PASSWORDS[name])
    (button,) = [b for b in at.button if b.label == "Sign in"]
    ok(button.click().run())
    return at


def test_signed_out_sees_only_the_sign_in_page(team_env):
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert not at.sidebar.radio and not at.radio  # no page switcher, no page
    assert any("Sign in to review claims" in m.value for m in at.markdown)
    # A link to an article does not get past the sign-in either.
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(article="0123456789abcdef", claim="c1")
    ok(at.run())
    assert [t.label for t in at.text_input] == ["Username", "Password"] and not at.radio


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(team_env):
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    text_box(at, "Username").input("rita")
    text_box(at, "Password").input("not-her-password")
    ok([b for b in at.button if b.label == "Sign in"][0].click().run())
    assert any("Wrong username or password" in e.value for e in at.error) and not at.radio

    at = signed_in("rita")
    assert at.session_state["reviewer"] == "rita" and at.session_state["user"].role == "reviewer"
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert "Signed in as **Rita** · reviewer" in sidebar
    assert not [t for t in at.text_input if t.key == "reviewer"]  # the name comes from the sign-in only
    ok(at.button(key="sign_out").click().run())
    assert [t.label for t in at.text_input] == ["Username", "Password"] and "user" not in at.session_state


def test_five_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(team_env):
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())

    def sign_in(password: str) -> list[str]:
        text_box(at, "Username").input("eve")
        text_box(at, "Password").input(password)
        ok([b for b in at.button if b.label == "Sign in"][0].click().run())
        return [e.value for e in at.error]

    for _ in range(4):
        assert sign_in("not-her-password") == ["Wrong username or password."]
    (locked,) = sign_in("not-her-password")
    assert locked.startswith("Too many failed sign-ins for this username — try again in about 5 minutes")
    assert "`factcheck users unlock eve`" in locked
    (refused,) = sign_in(PASSWORDS["eve"])  # the right password, but the account is locked
    assert refused.startswith("Too many failed sign-ins") and not at.radio and "user" not in at.session_state
    assert PASSWORDS["eve"] not in str(ReviewStore(team_env).setting("sign-in-failures:eve"))

    assert SignInThrottle(ReviewStore(team_env)).unlock("eve")  # what `factcheck users unlock eve` does
    assert sign_in(PASSWORDS["eve"]) == [] and at.session_state["user"].username == "eve"


def test_a_right_password_forgets_the_failed_sign_ins_and_keeps_the_browser_signed_in(team_env):
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())

    def sign_in(password: str) -> list[str]:
        text_box(at, "Username").input("ed")
        text_box(at, "Password").input(password)
        ok([b for b in at.button if b.label == "Sign in"][0].click().run())
        return [e.value for e in at.error]

    for _ in range(4):
        assert sign_in("not-his-password") == ["Wrong username or password."]
    assert sign_in(PASSWORDS["ed"]) == [] and at.session_state["user"].username == "ed"
    assert "cookie_token" in at.session_state  # handed to the browser's cookie component until it reports
    ok(at.button(key="sign_out").click().run())
    for _ in range(4):  # four more would lock the account had the right password not forgotten the first four
        assert sign_in("not-his-password") == ["Wrong username or password."]


def test_the_single_user_desk_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv("FACTCHECK_USERS", raising=False)
    monkeypatch.setenv("FACTCHECK_REVIEWS", str(tmp_path / "reviews.sqlite3"))
    monkeypatch.setenv("FACTCHECK_STORE", str(tmp_path / "no-store"))
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    assert any(c.value == "Single-user mode — no sign-in" for c in at.sidebar.caption)
    assert [t.key for t in at.sidebar.text_input] == ["reviewer"]


def test_no_cookie_key_no_sign_in(team_env, users_path, tmp_path, monkeypatch):
    keyless = tmp_path / "keyless.yaml"
    content = yaml.safe_load(users_path.read_text())
    del content["cookie"]
    keyless.write_text(yaml.safe_dump(content))
    monkeypatch.setenv("FACTCHECK_USERS", str(keyless))
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    assert any("Sign-in cannot start" in e.value and "FACTCHECK_COOKIE_KEY" in e.value for e in at.error)
    assert not at.text_input and not at.radio


# -- what each role sees and may do ---------------------------------------------------------------------
@pytest.fixture
def team_store(team_env, corpus_store, monkeypatch) -> Path:
    monkeypatch.setenv("FACTCHECK_STORE", str(corpus_store))  # read-only here: nothing is added or removed
    return corpus_store


def corpus_controls(at: AppTest) -> set[str]:
    keys = {w.key for kind in (at.button, at.text_input, at.selectbox, at.checkbox) for w in kind}
    return keys & {"remove_doc", "remove_button", "add_uploads", "corpus_folder", "add_folder", "add_demo",
                   "build_store_corpus"}


@pytest.mark.slow
def test_a_reviewer_reads_the_corpus_and_cannot_change_it(team_store):
    at = signed_in("rita")
    ok(at.radio(key="page").set_value("Corpus").run())
    assert len(at.dataframe[0].value) >= 55  # the documents are listed
    assert corpus_controls(at) == set() and not at.file_uploader
    assert any("editors add and remove documents" in c.value for c in at.caption)


@pytest.mark.slow
def test_an_editor_manages_the_corpus_and_reads_folders_only_under_the_roots(team_store, tmp_path, monkeypatch):
    at = signed_in("ed")
    ok(at.radio(key="page").set_value("Corpus").run())
    assert {"remove_doc", "remove_button", "add_uploads", "corpus_folder", "add_demo"} <= corpus_controls(at)
    assert at.text_input(key="corpus_folder").disabled  # no corpus roots configured: off, and said so
    assert any("no corpus roots are configured" in c.value for c in at.caption)

    root = tmp_path / "newsroom-corpus"
    root.mkdir()
    monkeypatch.setenv("FACTCHECK_CORPUS_ROOTS", str(root))
    ok(at.run())
    for path, message in [("/etc", "outside the corpus roots"), (f"{root}/../..", "'..' are refused")]:
        ok(at.text_input(key="corpus_folder").input(path).run())
        ok(at.button(key="add_folder").click().run())
        assert any(message in e.value for e in at.error), [e.value for e in at.error]
        assert not at.success


ARTICLE = ("The Zorblat accord was signed in Quenton in 1999, the ministry said. "
           "Officials reported that 4,000 boats joined the Zorblat fishery council in 2021.")


def click_key(at: AppTest, key: str) -> AppTest:
    return ok(at.button(key=key).click().run())


def keys_starting(at: AppTest, prefix: str) -> list[str]:
    return [b.key for b in at.button if (b.key or "").startswith(prefix)]


def open_from_sidebar(at: AppTest, title: str) -> AppTest:
    (section,) = [e for e in at.sidebar.expander if e.label.startswith(title)]
    (first, *_) = section.button
    return ok(first.click().run())


def save_flag(at: AppTest, flag: str) -> None:
    (radio,) = [r for r in at.radio if (r.key or "").startswith("flag-")]
    ok(radio.set_value(flag).run())
    (save,) = keys_starting(at, "save-")
    click_key(at, save)


@pytest.mark.slow
def test_assign_submit_and_a_second_person_signs_off(team_store):
    ed = signed_in("ed")
    ok(ed.radio(key="input_mode").set_value("Paste text").run())
    ed.text_area(key="paste_text").input(ARTICLE)
    ok([b for b in ed.button if b.label == "Check claims"][0].click().run())
    claims = ed.session_state["report"].checkworthy
    assert len(claims) >= 2, [c.claim.text for c in ed.session_state["report"].claims]
    ed.selectbox(key="assign-article-to").set_value("rita")
    click_key(ed, "assign-article")
    assert sum("Assigned to rita, not started" in c.value for c in ed.caption) == len(claims)

    # The reviewer: her list opens on sign-in and jumps to the claim; she saves and submits, nothing more.
    rita = signed_in("rita")
    (mine,) = [e for e in rita.sidebar.expander if e.label.startswith("Assigned to me")]
    assert mine.label == f"Assigned to me ({len(claims)})"
    open_from_sidebar(rita, "Assigned to me")
    assert rita.session_state["selected"] in {c.claim.id for c in claims}
    assert not keys_starting(rita, "assign") and not keys_starting(rita, "sign-off") and not keys_starting(rita, "download")
    assert any("Editors export the reviews" in c.value for c in rita.caption)
    assert rita.button(key=keys_starting(rita, "submit-")[0]).disabled  # nothing saved yet: nothing to submit
    save_flag(rita, "supported")
    history = ReviewStore(os.environ["FACTCHECK_REVIEWS"]).history(rita.session_state["article"])
    assert [change.reviewer for change in history] == ["rita"]  # the signed-in user, never a typed name
    click_key(rita, keys_starting(rita, "submit-")[0])
    assert any("Submitted for second review" in s.value for s in rita.success)
    assert not keys_starting(rita, "sign-off")  # a reviewer never signs off, not even a claim she did not submit

    # An editor signs off her submission: final.
    ed = signed_in("ed")
    open_from_sidebar(ed, "Awaiting my sign-off")
    (sign_off,) = keys_starting(ed, "sign-off-")
    assert not ed.button(key=sign_off).disabled
    click_key(ed, sign_off)
    assert any("the verdict is final" in s.value for s in ed.success)
    assert any("Final · signed off by ed" in c.value for c in ed.caption)  # in the claim list
    assert any("Only final verdicts: 1 claim(s) signed off." == c.value for c in ed.caption)

    # …but not his own: he reviews and submits the other claim, and his sign-off is refused.
    other = next(c.claim.id for c in claims if c.claim.id != ed.session_state["selected"])
    click_key(ed, f"open-{other}")
    save_flag(ed, "unverifiable")
    click_key(ed, keys_starting(ed, "submit-")[0])
    (own,) = keys_starting(ed, "sign-off-")
    assert ed.button(key=own).disabled
    assert any("You submitted it: a second person signs it off." == c.value for c in ed.caption)
    assert [e.label for e in ed.sidebar.expander if e.label.startswith("Awaiting my sign-off")] == ["Awaiting my sign-off (0)"]
