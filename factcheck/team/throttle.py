"""Failed sign-ins, counted per account: too many in a short time lock the account for a while.

The counts are kept with the reviews (the review store's settings), so every desk process that shares the
review database — SQLite or PostgreSQL — sees the same count, and a restart does not reset it. Only accounts
in the users file are counted: a made-up username leaves nothing behind.

>>> throttle = SignInThrottle(ReviewStore(".factcheck/reviews.sqlite3"))
>>> for _ in range(5):
...     locked = throttle.failed("ana")
>>> locked  # seconds the account stays locked
300.0
>>> throttle.unlock("ana")  # what `factcheck users unlock ana` does
True
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

MAX_FAILURES = 5
WINDOW_S = 15 * 60
LOCKOUT_S = 5 * 60
_SETTING = "sign-in-failures:"  # + username: the account's recent failures and lock, as JSON


class SettingsStore(Protocol):
    """Where the counts live: ``ReviewStore`` (its ``setting`` and ``save_setting``)."""

    def setting(self, name: str, default: Any = None) -> Any: ...

    def save_setting(self, name: str, value: Any) -> None: ...


@dataclass
class _Account:
    failures: list[float] = field(default_factory=list)  # when each recent failed sign-in happened
    locked_until: float = 0.0

    @classmethod
    def from_setting(cls, value: Any) -> _Account:
        if not isinstance(value, dict):
            return cls()
        failures = [float(t) for t in value.get("failures") or [] if isinstance(t, (int, float))]
        locked = value.get("locked_until")
        return cls(failures, float(locked) if isinstance(locked, (int, float)) else 0.0)

    def to_setting(self) -> dict:
        return {"failures": self.failures, "locked_until": self.locked_until}


class SignInThrottle:
    """Locks an account for ``lockout_s`` seconds after ``max_failures`` failed sign-ins within ``window_s``.

    ``store``: the review store (anything with ``setting`` and ``save_setting``); ``clock``: seconds since
    the epoch (``time.time``; tests pass their own). After a lock the count starts again from nothing; a
    successful sign-in, or an admin's ``unlock``, clears both.

    Two failures at the very same moment in two processes may count as one (each reads, adds and writes
    the count); a guesser gains at most a few tries from that, never an open door.
    """

    def __init__(self, store: SettingsStore, *, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 lockout_s: float = LOCKOUT_S, clock: Callable[[], float] = time.time) -> None:
        if max_failures < 1 or window_s <= 0 or lockout_s <= 0:
            raise ValueError("max_failures must be at least 1, window_s and lockout_s above 0")
        self.store = store
        self.max_failures = max_failures
        self.window_s = float(window_s)
        self.lockout_s = float(lockout_s)
        self.clock = clock

    @staticmethod
    def _name(username: str) -> str:
        return _SETTING + username.strip().lower()

    def _account(self, username: str) -> _Account:
        return _Account.from_setting(self.store.setting(self._name(username)))

    def locked_for(self, username: str) -> float:
        """Seconds until ``username`` may try to sign in again; 0.0 when they may now."""
        return max(0.0, self._account(username).locked_until - self.clock())

    def failed(self, username: str) -> float:
        """Count a failed sign-in of ``username``; return the seconds the account is now locked for (0.0: not)."""
        now = self.clock()
        account = self._account(username)
        if account.locked_until > now:  # refused before its password was checked: not another guess
            return account.locked_until - now
        account.failures = [t for t in account.failures if now - t < self.window_s] + [now]
        if len(account.failures) >= self.max_failures:
            account = _Account(failures=[], locked_until=now + self.lockout_s)
            log.warning("sign-in of %s locked for %.0f s after %d failed attempts", username, self.lockout_s,
                        self.max_failures)
        self.store.save_setting(self._name(username), account.to_setting())
        return max(0.0, account.locked_until - now)

    def succeeded(self, username: str) -> None:
        """A correct password: forget the account's failed sign-ins."""
        if self._account(username) != _Account():
            self.store.save_setting(self._name(username), _Account().to_setting())

    def unlock(self, username: str) -> bool:
        """Lift a lock and forget the failed sign-ins (an admin's tool); return whether the account was locked."""
        was_locked = self.locked_for(username) > 0
        self.store.save_setting(self._name(username), _Account().to_setting())
        if was_locked:
            log.info("sign-in of %s unlocked", username)
        return was_locked
