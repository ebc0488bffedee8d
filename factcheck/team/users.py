"""The users file: who may sign in to the desk and the API, their role, and the session cookie's key.

A YAML file (``$FACTCHECK_USERS``) that holds bcrypt hashes, never a password::

    cookie:
      name: factcheck_session
      key: …                      # signs the sign-in cookie; $FACTCHECK_COOKIE_KEY wins over it
      expiry_days: 7
    users:
      ana:
        name: Ana Lima
        role: editor
        password_hash: $2b$12$…
        token_sha256: …           # only after `factcheck users token ana`: the API token's SHA-256

The first ``add`` creates the file (mode 0600) with a random cookie key of its own; every write replaces the
file whole (a temporary file renamed over it, under a lock), so a reader never sees half of one.

>>> users = UsersFile(".factcheck/users.yaml")
>>> users.add("ana", "correct horse battery", "editor", name="Ana Lima")
>>> users.verify("ana", "correct horse battery")
User(username='ana', name='Ana Lima', role='editor')
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import bcrypt
import yaml

from factcheck.errors import ConfigError
from factcheck.team.roles import check_role

log = logging.getLogger(__name__)

COOKIE_KEY_ENV = "FACTCHECK_COOKIE_KEY"
USERS_ENV = "FACTCHECK_USERS"
COOKIE_NAME = "factcheck_session"
COOKIE_EXPIRY_DAYS = 7
MIN_COOKIE_KEY = 32  # characters: a key an attacker cannot guess to forge a sign-in cookie
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further, and bcrypt 5 refuses longer passwords outright
BCRYPT_ROUNDS = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class User:
    """A person who can sign in: ``username`` (saved with every change they make), display ``name``, ``role``."""

    username: str
    name: str
    role: str

    def __post_init__(self) -> None:
        check_role(self.role)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CookieConfig:
    """The sign-in cookie: its name, the key that signs it, and how many days it keeps a browser signed in."""

    name: str
    key: str
    expiry_days: float

    def __repr__(self) -> str:  # never print the key
        return f"CookieConfig(name={self.name!r}, key='…', expiry_days={self.expiry_days!r})"


def check_username(username: str) -> str:
    if not _USERNAME.match(username or ""):
        raise ConfigError(f"Username {username!r} is not usable: use 1–40 lower-case letters, digits, '.', '_' or '-', "
                          "starting with a letter or digit")
    return username


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"The password is too short: use at least {MIN_PASSWORD} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ConfigError(f"The password is too long: bcrypt reads at most {MAX_PASSWORD_BYTES} bytes — use a "
                          "shorter one")
    if password != password.strip():
        raise ConfigError("The password starts or ends with a space — type it without one")
    return password


def hash_password(password: str) -> str:
    """A bcrypt hash of ``password`` (after checking it is usable)."""
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode("ascii")


def password_matches(password: str, password_hash: str) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:  # bcrypt 5 raises on these; no stored password is that long
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
    except ValueError:  # a malformed hash in the file: no password matches it
        log.warning("a password hash in the users file is malformed")
        return False


def token_digest(token: str) -> str:
    """What the users file keeps of an API token: its SHA-256 (tokens are random, so no slow hash is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class UsersFile:
    """The users file at ``path``: read on every call, so a change made with ``factcheck users`` applies at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()

    # -- reading --------------------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.is_file()

    def _read(self) -> dict:
        if not self.path.exists():
            raise ConfigError(f"No users file at {self.path} — create it with `factcheck users add NAME --role admin`, "
                              f"or unset {USERS_ENV} for the single-user desk")
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ConfigError(f"Cannot read the users file {self.path} ({type(exc).__name__}) — fix it or restore it "
                              "from a backup") from None
        if not isinstance(data, dict) or not isinstance(data.get("users") or {}, dict):
            raise ConfigError(f"The users file {self.path} has no 'users:' mapping — fix it or recreate it with "
                              "`factcheck users add`")
        data.setdefault("users", {})
        data["users"] = data["users"] or {}
        return data

    def _records(self) -> dict[str, dict]:
        return self._read()["users"]

    @staticmethod
    def _user(username: str, record: dict) -> User:
        try:
            return User(username=username, name=str(record.get("name") or username), role=str(record.get("role")))
        except ConfigError as exc:
            raise ConfigError(f"User {username} in the users file: {exc}") from None

    def users(self) -> list[User]:
        """Every user, by username."""
        return [self._user(name, record) for name, record in sorted(self._records().items())]

    def get(self, username: str) -> User | None:
        record = self._records().get(username)
        return self._user(username, record) if record is not None else None

    def user(self, username: str) -> User:
        """The user called ``username``, else a ConfigError saying how to see who there is."""
        found = self.get(username)
        if found is None:
            raise ConfigError(f"No user {username} in {self.path} — `factcheck users list` shows who there is")
        return found

    def check_new(self, username: str) -> None:
        """Raise ConfigError unless ``username`` is usable and not taken (before a password is asked for)."""
        check_username(username)
        if self.exists() and username in self._records():
            raise ConfigError(f"User {username} already exists — `factcheck users passwd {username}` changes "
                              "their password, `factcheck users remove` removes them")

    def verify(self, username: str, password: str) -> User | None:
        """The user whose password this is, else None (an unknown name costs as much time as a wrong password)."""
        record = self._records().get((username or "").strip().lower())
        stored = str(record.get("password_hash") or "") if record else ""
        if not stored:
            password_matches(password, _dummy_hash())
            return None
        return self._user(username.strip().lower(), record) if password_matches(password, stored) else None

    def user_for_token(self, token: str) -> User | None:
        """The user an API token belongs to, else None."""
        if not token:
            return None
        digest = token_digest(token)
        found = None
        for username, record in self._records().items():
            stored = str(record.get("token_sha256") or "")
            if stored and hmac.compare_digest(stored, digest):
                found = self._user(username, record)
        return found

    def credentials(self) -> dict:
        """The users in the form streamlit-authenticator reads: usernames, names, bcrypt hashes, roles."""
        return {"usernames": {username: {"name": str(record.get("name") or username),
                                         "password": str(record.get("password_hash") or ""),
                                         "roles": [str(record.get("role"))]}
                              for username, record in self._records().items() if record.get("password_hash")}}

    def cookie(self) -> CookieConfig:
        """The sign-in cookie's settings; its key from $FACTCHECK_COOKIE_KEY, else the file's ``cookie.key``.

        Raises ConfigError when there is no key, or one too short to be safe: sign-in must not start then.
        """
        section = self._read().get("cookie") or {}
        key = os.environ.get(COOKIE_KEY_ENV) or str(section.get("key") or "")
        if not key:
            raise ConfigError(f"Sign-in needs a cookie key and there is none: set {COOKIE_KEY_ENV} (at least "
                              f"{MIN_COOKIE_KEY} random characters) or add cookie.key to {self.path}")
        if len(key) < MIN_COOKIE_KEY:
            raise ConfigError(f"The sign-in cookie key is too short ({len(key)} characters): use at least "
                              f"{MIN_COOKIE_KEY} random characters in {COOKIE_KEY_ENV} or cookie.key of {self.path}")
        try:
            days = float(section.get("expiry_days", COOKIE_EXPIRY_DAYS))
        except (TypeError, ValueError):
            raise ConfigError(f"cookie.expiry_days in {self.path} must be a number of days") from None
        return CookieConfig(name=str(section.get("name") or COOKIE_NAME), key=key, expiry_days=days)

    # -- writing --------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _editing(self) -> Iterator[dict]:
        """The file's contents to change in place, written back whole when the block ends without an error."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.path.exists():
                data = self._read()
            else:  # a new file gets a cookie key of its own, never one shared through the repository
                data = {"cookie": {"name": COOKIE_NAME, "key": secrets.token_urlsafe(48),
                                   "expiry_days": COOKIE_EXPIRY_DAYS}, "users": {}}
            yield data
            self._write(data)

    def _write(self, data: dict) -> None:
        text = ("# factcheck users: bcrypt hashes only. Manage with `factcheck users add|remove|list|passwd|token`.\n"
                + yaml.safe_dump(data, sort_keys=True, allow_unicode=True))
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp makes it 0600
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def add(self, username: str, password: str, role: str, name: str | None = None) -> User:
        """Add a user (the password is kept only as a bcrypt hash). Refuses a username already there."""
        check_username(username)
        check_role(role)
        password_hash = hash_password(password)
        with self._editing() as data:
            if username in data["users"]:
                raise ConfigError(f"User {username} already exists — `factcheck users passwd {username}` changes "
                                  "their password, `factcheck users remove` removes them")
            data["users"][username] = {"name": (name or "").strip() or username, "role": role,
                                       "password_hash": password_hash}
        log.info("added user %s (%s)", username, role)
        return User(username, (name or "").strip() or username, role)

    def remove(self, username: str) -> User:
        """Remove a user (never the last admin: someone must be able to manage users)."""
        with self._editing() as data:
            record = data["users"].get(username)
            if record is None:
                raise ConfigError(f"No user {username} in {self.path} — `factcheck users list` shows who there is")
            user = self._user(username, record)
            admins = [n for n, r in data["users"].items() if r.get("role") == "admin"]
            if user.role == "admin" and admins == [username]:
                raise ConfigError(f"{username} is the only admin — add another admin before removing them")
            del data["users"][username]
        log.info("removed user %s", username)
        return user

    def set_password(self, username: str, password: str) -> None:
        password_hash = hash_password(password)
        with self._editing() as data:
            if username not in data["users"]:
                raise ConfigError(f"No user {username} in {self.path} — `factcheck users list` shows who there is")
            data["users"][username]["password_hash"] = password_hash
        log.info("changed the password of %s", username)

    def issue_token(self, username: str) -> str:
        """A new API token for ``username`` (replacing any earlier one); only its SHA-256 is kept, so show it now."""
        token = "fct_" + secrets.token_urlsafe(32)
        with self._editing() as data:
            if username not in data["users"]:
                raise ConfigError(f"No user {username} in {self.path} — `factcheck users list` shows who there is")
            data["users"][username]["token_sha256"] = token_digest(token)
        log.info("issued an API token for %s", username)
        return token

    def has_token(self, username: str) -> bool:
        return bool((self._records().get(username) or {}).get("token_sha256"))


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the username is unknown, so a wrong name takes as long as a wrong password."""
    return bcrypt.hashpw(b"factcheck: no such user", bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode("ascii")
