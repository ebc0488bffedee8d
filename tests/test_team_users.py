"""The team desk's library: the users file, password hashing, roles × actions, corpus roots, the users CLI, the API."""

from __future__ import annotations

import json
import os
import re
import stat

import pytest
import yaml
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.errors import ConfigError, InputError, PermissionDenied
from factcheck.evidence.roots import files_under_roots, resolve_under_roots
from factcheck.team import ACTIONS, ROLES, User, UsersFile, can, require
from factcheck.team import users as users_module

PASSWORD = "tulip-orbit-93"


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    """The fewest bcrypt rounds: the hashes are as real, only cheaper to make in a test."""
    monkeypatch.setattr(users_module, "BCRYPT_ROUNDS", 4)
    monkeypatch.delenv("FACTCHECK_COOKIE_KEY", raising=False)
    monkeypatch.delenv("FACTCHECK_USERS", raising=False)


@pytest.fixture
def users(tmp_path) -> UsersFile:
    return UsersFile(tmp_path / "team" / "users.yaml")


# -- the users file -----------------------------------------------------------------------------------
def test_the_file_keeps_a_bcrypt_hash_never_the_password(users):
    users.add("ana", PASSWORD, "editor", name="Ana Lima")
    text = users.path.read_text(encoding="utf-8")
    assert PASSWORD not in text
    record = yaml.safe_load(text)["users"]["ana"]
    assert record["password_hash"].startswith("$2b$") and record["role"] == "editor" and record["name"] == "Ana Lima"
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600  # only the server's account reads the hashes
    assert users.verify("ana", PASSWORD) == User("ana", "Ana Lima", "editor")
    assert users.verify("ana", PASSWORD + "x") is None
    assert users.verify("nobody", PASSWORD) is None


def test_add_remove_passwd_and_the_rules_they_keep(users):
    users.add("root", PASSWORD, "admin")
    users.add("bo", PASSWORD, "reviewer")
    assert [u.username for u in users.users()] == ["bo", "root"]
    with pytest.raises(ConfigError, match="already exists"):
        users.add("bo", PASSWORD, "editor")
    with pytest.raises(ConfigError, match="at least 8"):
        users.add("cy", "short", "reviewer")
    with pytest.raises(ConfigError, match="at most 72 bytes"):
        users.add("cy", "é" * 40, "reviewer")
    with pytest.raises(ConfigError, match="Unknown role"):
        users.add("cy", PASSWORD, "owner")
    with pytest.raises(ConfigError, match="not usable"):
        users.add("Cy Smith", PASSWORD, "reviewer")
    with pytest.raises(ConfigError, match="only admin"):
        users.remove("root")
    users.set_password("bo", "new-password-1")
    assert users.verify("bo", PASSWORD) is None and users.verify("bo", "new-password-1").role == "reviewer"
    assert users.remove("bo").username == "bo" and users.get("bo") is None
    with pytest.raises(ConfigError, match="No user bo"):
        users.remove("bo")


def test_the_cookie_key_comes_from_configuration(users, monkeypatch):
    users.add("ana", PASSWORD, "admin")
    own = users.cookie()
    assert len(own.key) >= users_module.MIN_COOKIE_KEY and "key" not in repr(own).replace("key='…'", "")
    other = UsersFile(users.path.with_name("other.yaml"))
    other.add("ana", PASSWORD, "admin")
    assert other.cookie().key != own.key  # each file makes its own; none is built into the code
    monkeypatch.setenv("FACTCHECK_COOKIE_KEY", "k" * 40)
    assert users.cookie().key == "k" * 40
    monkeypatch.setenv("FACTCHECK_COOKIE_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        users.cookie()
    monkeypatch.delenv("FACTCHECK_COOKIE_KEY")
    data = yaml.safe_load(users.path.read_text())
    del data["cookie"]
    users.path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match="Sign-in needs a cookie key.*FACTCHECK_COOKIE_KEY"):
        users.cookie()


def test_api_tokens_are_kept_hashed(users):
    users.add("ana", PASSWORD, "editor")
    token = users.issue_token("ana")
    assert token not in users.path.read_text() and users.has_token("ana")
    assert users.user_for_token(token) == users.get("ana")
    assert users.user_for_token(token + "x") is None and users.user_for_token("") is None
    assert users.user_for_token(users.issue_token("ana")) is not None and users.user_for_token(token) is None


def test_a_broken_users_file_is_named_with_what_to_do(users):
    with pytest.raises(ConfigError, match="No users file.*factcheck users add"):
        users.users()
    users.path.parent.mkdir(parents=True)
    users.path.write_text("users: [ana, bo]\n")
    with pytest.raises(ConfigError, match="no 'users:' mapping"):
        users.users()


# -- roles × actions: the whole table -----------------------------------------------------------------
ALLOWED = {
    "reviewer": {"review", "submit"},
    "editor": {"review", "submit", "assign", "sign_off", "reopen", "export", "publish", "add_documents",
               "remove_documents", "ingest_folder"},
    "admin": set(ACTIONS),
}


@pytest.mark.parametrize("role,action", [(role, action) for role in ROLES for action in ACTIONS])
def test_every_role_and_action(role, action):
    user = User("someone", "Someone", role)
    assert can(user, action) == (action in ALLOWED[role])
    if action in ALLOWED[role]:
        require(user, action)
    else:
        with pytest.raises(PermissionDenied, match=f"someone is an? {role} and may not {ACTIONS[action]}"):
            require(user, action)
    require(None, action)  # the single-user desk: no users file, no roles


def test_an_unknown_action_is_a_bug_not_a_refusal():
    with pytest.raises(ValueError, match="unknown action"):
        can(User("a", "A", "admin"), "delete_everything")


# -- corpus roots -------------------------------------------------------------------------------------
@pytest.fixture
def corpus_root(tmp_path):
    root = tmp_path / "corpus-root"
    (root / "news" / "deep").mkdir(parents=True)
    (root / "news" / "a.md").write_text("Alpha.\n")
    (root / "news" / "deep" / "b.txt").write_text("Beta.\n")
    (root / "news" / ".hidden.txt").write_text("Hidden.\n")
    outside = tmp_path / "secrets"
    outside.mkdir()
    (outside / "passwords.txt").write_text("hunter2\n")
    return root, outside


def test_a_folder_under_a_root_is_read(corpus_root):
    root, _ = corpus_root
    selection = files_under_roots(root / "news", [root])
    assert sorted(p.name for p in selection.files) == ["a.md", "b.txt"] and not selection.refused
    assert files_under_roots("news", [root]).folder == (root / "news").resolve()  # relative: under a root


@pytest.mark.parametrize("path,message", [
    ("/etc", "outside the corpus roots"),
    ("/etc/passwd", "outside the corpus roots"),
    ("{root}/news/../../secrets", "'..' are refused"),
    ("../secrets", "'..' are refused"),
    ("{outside}", "outside the corpus roots"),
    ("{root}/link-out", "link that leads outside"),
])
def test_paths_outside_the_roots_are_refused(corpus_root, path, message):
    root, outside = corpus_root
    (root / "link-out").symlink_to(outside)
    with pytest.raises(PermissionDenied, match=message):
        resolve_under_roots(path.format(root=root, outside=outside), [root])


def test_links_inside_a_folder_that_lead_out_are_not_followed(corpus_root):
    root, outside = corpus_root
    (root / "news" / "innocent.txt").symlink_to(outside / "passwords.txt")
    (root / "news" / "more").symlink_to(outside)
    selection = files_under_roots(root / "news", [root])
    assert all(str(outside) not in str(p) for p in selection.files)
    assert {os.path.basename(r.path): r.reason for r in selection.refused} == {
        "innocent.txt": "a link to a file outside the corpus roots", "more": "a link to a folder outside the corpus roots"}


def test_no_roots_no_folder_ingest_and_a_missing_path_is_said(corpus_root):
    root, _ = corpus_root
    with pytest.raises(PermissionDenied, match="no corpus roots are configured.*FACTCHECK_CORPUS_ROOTS"):
        resolve_under_roots(root, [])
    with pytest.raises(InputError, match="No such file or folder under the corpus roots"):
        resolve_under_roots(root / "nothing-here", [root])
    with pytest.raises(InputError, match="Give the path"):
        resolve_under_roots("  ", [root])


# -- the users CLI ------------------------------------------------------------------------------------
def run(args, input=None, env=None):
    result = CliRunner().invoke(main, args, input=input, env=env)
    return result


def test_users_add_list_passwd_remove_from_the_command_line(tmp_path, caplog):
    path = tmp_path / "users.yaml"
    env = {"FACTCHECK_USERS": str(path), "FACTCHECK_REVIEWS": str(tmp_path / "no-desk-yet.sqlite3")}
    added = run(["users", "add", "ana", "--role", "admin", "--name", "Ana Lima"], input=f"{PASSWORD}\n{PASSWORD}\n",
                env=env)
    assert added.exit_code == 0, added.output
    assert "Added ana (Ana Lima) as admin" in added.output and PASSWORD not in added.output
    piped = run(["users", "add", "bo", "--role", "reviewer", "--password-stdin", "--users", str(path)],
                input=f"{PASSWORD}\n")
    assert piped.exit_code == 0, piped.output
    assert PASSWORD not in path.read_text() and PASSWORD not in caplog.text

    listed = run(["users", "list", "--format", "json"], env=env)
    assert [json.loads(line) for line in listed.output.splitlines()] == [
        {"username": "ana", "name": "Ana Lima", "role": "admin", "api_token": False, "locked_s": 0},
        {"username": "bo", "name": "bo", "role": "reviewer", "api_token": False, "locked_s": 0}]
    assert not (tmp_path / "no-desk-yet.sqlite3").exists()  # listing users starts no review database
    text = run(["users", "list"], env=env).output
    assert "$2b$" not in text and "ana\tadmin\tAna Lima" in text

    mismatch = run(["users", "add", "cy", "--role", "editor"], input=f"{PASSWORD}\nsomething-else\n{PASSWORD}\n{PASSWORD}\n",
                   env=env)
    assert mismatch.exit_code == 0 and "do not match" in mismatch.output.lower()
    assert run(["users", "add", "cy", "--role", "editor", "--password-stdin"], input=f"{PASSWORD}\n",
               env=env).exit_code == 1  # already there
    assert run(["users", "add", "dee", "--role", "boss"], env=env).exit_code == 2

    changed = run(["users", "passwd", "bo", "--password-stdin"], input="a-new-password\n", env=env)
    assert changed.exit_code == 0 and UsersFile(path).verify("bo", "a-new-password") is not None
    token = run(["users", "token", "bo"], env=env).output.strip()
    assert UsersFile(path).user_for_token(token).username == "bo" and token not in path.read_text()

    removed = run(["users", "remove", "bo"], env=env)
    assert removed.exit_code == 0 and UsersFile(path).get("bo") is None
    gone = run(["users", "remove", "bo"], env=env)
    assert gone.exit_code == 1 and gone.output.startswith("Error: No user bo")
    assert run(["users", "list"], env={"FACTCHECK_USERS": ""}).exit_code == 2  # no file named: says how


def test_users_list_shows_a_locked_account_and_users_unlock_lifts_the_lock(tmp_path):
    from factcheck.review.store import ReviewStore
    from factcheck.team.throttle import SignInThrottle

    users = UsersFile(tmp_path / "users.yaml")
    users.add("ana", PASSWORD, "admin")
    users.add("bo", PASSWORD, "reviewer")
    reviews = str(tmp_path / "reviews.sqlite3")
    env = {"FACTCHECK_USERS": str(users.path), "FACTCHECK_REVIEWS": reviews}
    throttle = SignInThrottle(ReviewStore(reviews))
    for _ in range(throttle.max_failures):
        throttle.failed("bo")

    ana, bo = run(["users", "list"], env=env).output.splitlines()
    assert ana == "ana\tadmin\tana" and re.fullmatch(r"bo\treviewer\tbo\tlocked for [1-5] min", bo)
    locked = [json.loads(line)["locked_s"] for line in run(["users", "list", "--format", "json"], env=env).output
              .splitlines()]
    assert locked[0] == 0 and 0 < locked[1] <= 300

    unlocked = run(["users", "unlock", "bo"], env=env)
    assert unlocked.exit_code == 0 and unlocked.output == "Unlocked bo: they can sign in again\n"
    assert throttle.locked_for("bo") == 0.0 and "locked" not in run(["users", "list"], env=env).output
    assert "was not locked" in run(["users", "unlock", "bo"], env=env).output
    unknown = run(["users", "unlock", "cy"], env=env)
    assert unknown.exit_code == 1 and unknown.output.startswith("Error: No user cy")
    nowhere = run(["users", "unlock", "bo", "--reviews", str(tmp_path / "typo.sqlite3")], env=env)
    assert nowhere.exit_code == 1 and "No review database at" in nowhere.output


# -- the HTTP API with a users file -------------------------------------------------------------------
def test_the_api_wants_a_token_and_writes_want_an_editor(tmp_path):
    from fastapi.testclient import TestClient

    from factcheck.server import create_app
    from factcheck.settings import Settings

    users = UsersFile(tmp_path / "users.yaml")
    users.add("rita", PASSWORD, "reviewer")
    users.add("ed", PASSWORD, "editor")
    rita, ed = users.issue_token("rita"), users.issue_token("ed")
    settings = Settings(store=str(tmp_path / "no-store"), users=str(users.path))
    client = TestClient(create_app(settings))  # no lifespan: no model loads, nothing is stored

    def post_ingest(token: str | None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.post("/ingest", json={"documents": []}, headers=headers)

    refused = post_ingest(None)
    assert refused.status_code == 401 and "Bearer" in refused.json()["error"]
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert post_ingest("fct_not-a-token").status_code == 401
    assert client.get("/sources", headers={"Authorization": PASSWORD}).status_code == 401  # a password is no token
    forbidden = post_ingest(rita)
    assert forbidden.status_code == 403 and "rita is a reviewer and may not add documents" in forbidden.json()["error"]
    assert post_ingest(ed).status_code == 422  # past the door: the empty document list is what is refused
    assert client.get("/sources", headers={"Authorization": f"Bearer {rita}"}).status_code not in (401, 403)
    assert client.get("/openapi.json").status_code == 200


@pytest.mark.slow
def test_reviews_export_on_a_team_desk_leaves_only_final_verdicts(tmp_path):
    from factcheck.memory import Archive
    from factcheck.review.store import Review, ReviewStore
    from factcheck.review.workflow import Workflow
    from factcheck.settings import Settings

    users = UsersFile(tmp_path / "users.yaml")
    users.add("ed", PASSWORD, "editor")
    settings = Settings(store=str(tmp_path / "store"), reviews=str(tmp_path / "reviews.sqlite3"))
    store, archive = ReviewStore(settings.reviews), Archive(settings)
    for key, text in [("k-final", "The council voted to abolish parking fees"), ("k-open", "The bridge opened in 1999")]:
        saved = store.save(Review("a1", key, flag="refuted", note=text), "rita")
        archive.record_review(saved, text, source="council.txt")
    flow = Workflow(store)
    flow.submit("a1", "k-final", by="rita")
    flow.sign_off("a1", "k-final", by="ed")
    flow.submit("a1", "k-open", by="rita")

    def export(*extra, team=True):
        env = {"FACTCHECK_USERS": str(users.path) if team else ""}
        result = run(["reviews", "export", "--format", "json", "--reviews", settings.reviews, *extra], env=env)
        assert result.exit_code == 0, result.output
        return sorted(item["note"] for item in json.loads(result.output))

    assert export() == ["The council voted to abolish parking fees"]
    assert len(export("--include-non-final")) == 2
    assert len(export(team=False)) == 2  # the single-user desk exports as before
