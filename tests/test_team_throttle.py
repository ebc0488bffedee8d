"""Failed sign-ins: counted per account in the review database, a lock after too many, lifted by time or an admin."""

from __future__ import annotations

import pytest

from factcheck.review.store import ReviewStore
from factcheck.team.throttle import SignInThrottle


class Clock:
    """Seconds since the epoch that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def store(tmp_path) -> ReviewStore:
    return ReviewStore(tmp_path / "reviews.sqlite3")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(store, clock) -> SignInThrottle:
    return SignInThrottle(store, clock=clock)  # the defaults: 5 failures in 15 minutes lock for 5 minutes


def fail(throttle: SignInThrottle, username: str, times: int, clock: Clock, every_s: float = 10) -> float:
    locked = 0.0
    for _ in range(times):
        locked = throttle.failed(username)
        clock.advance(every_s)
    return locked


def test_four_failures_leave_the_account_open_the_fifth_locks_it(throttle, clock):
    assert fail(throttle, "ana", 4, clock) == 0.0 and throttle.locked_for("ana") == 0.0
    assert throttle.failed("ana") == 300.0
    assert throttle.locked_for("ana") == 300.0
    assert throttle.locked_for("bo") == 0.0  # per account


def test_the_lock_holds_across_processes_and_ends_after_five_minutes(reviews_location, clock):
    throttle = SignInThrottle(ReviewStore(reviews_location), clock=clock)
    fail(throttle, "ana", 5, clock, every_s=0)
    clock.advance(120)
    elsewhere = SignInThrottle(ReviewStore(reviews_location), clock=clock)  # another desk process, same database
    assert elsewhere.locked_for("ana") == 180.0
    assert elsewhere.failed("ana") == 180.0  # a try while locked is refused unchecked: it does not extend the lock
    clock.advance(180)
    assert throttle.locked_for("ana") == 0.0
    assert fail(throttle, "ana", 4, clock) == 0.0  # the count started again after the lock


def test_only_failures_within_the_window_count(throttle, clock):
    fail(throttle, "ana", 4, clock, every_s=0)
    clock.advance(15 * 60)  # those four are now older than the window
    assert fail(throttle, "ana", 4, clock) == 0.0
    assert throttle.failed("ana") == 300.0


def test_a_success_clears_the_count(throttle, clock):
    fail(throttle, "ana", 4, clock)
    throttle.succeeded("ana")
    assert fail(throttle, "ana", 4, clock) == 0.0 and throttle.locked_for("ana") == 0.0


def test_an_admin_unlocks_an_account(throttle, clock):
    assert throttle.unlock("ana") is False  # nothing to lift
    fail(throttle, "ana", 5, clock, every_s=0)
    assert throttle.unlock("ana") is True
    assert throttle.locked_for("ana") == 0.0
    assert fail(throttle, "ana", 4, clock) == 0.0  # and the count starts from nothing


def test_the_limits_are_settings(store, clock):
    strict = SignInThrottle(store, max_failures=2, window_s=60, lockout_s=30, clock=clock)
    assert strict.failed("ana") == 0.0 and strict.failed("ana") == 30.0
    with pytest.raises(ValueError, match="max_failures"):
        SignInThrottle(store, max_failures=0)
