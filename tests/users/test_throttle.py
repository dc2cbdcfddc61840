"""The sign-in rate limit: 5 failures for a user id in 15 minutes, 20 from an address; the
refusal does not depend on whether the user exists; it ends when the window has passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from manche.errors import TooManyAttempts
from manche.storage import Database
from manche.users.throttle import SignInThrottle


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_five_failures_lock_the_user_id_for_fifteen_minutes(database: Database) -> None:
    clock = Clock()
    throttle = SignInThrottle(database, clock)
    for minute in range(5):  # failures at 13:00 .. 13:04, from five different addresses
        throttle.check("bf-op-0142", f"10.0.0.{minute}")
        throttle.failed("bf-op-0142", f"10.0.0.{minute}")
        clock.now += timedelta(minutes=1)
    # 13:05: the sixth try is refused before any password check, from any address
    with pytest.raises(TooManyAttempts) as refused:
        throttle.check("bf-op-0142", "192.0.2.9")
    # the oldest failure (13:00) leaves the window at 13:15: 10 minutes from 13:05
    assert refused.value.retry_after == 600
    assert "10 minutes" in refused.value.message and refused.value.http_status == 429
    # same id typed differently counts as the same id; another id is not locked
    with pytest.raises(TooManyAttempts):
        throttle.check("  BF-OP-0142 ", None)
    throttle.check("bf-op-0143", "192.0.2.9")
    # 13:15:01: the first failure has left the window, four remain: allowed again
    clock.now = datetime(2026, 11, 23, 13, 15, 1, tzinfo=UTC)
    throttle.check("bf-op-0142", "192.0.2.9")


def test_an_unknown_user_id_is_limited_exactly_like_a_known_one(database: Database) -> None:
    from manche.users import UserStore

    UserStore(database).add("bf-op-0142", "UK-BF", ["operator"])
    clock = Clock()
    throttle = SignInThrottle(database, clock)
    messages = []
    for user in ("bf-op-0142", "no-such-user"):
        for _ in range(5):
            throttle.failed(user, "198.51.100.1" if user == "no-such-user" else "198.51.100.2")
        with pytest.raises(TooManyAttempts) as refused:
            throttle.check(user, "203.0.113.1")
        messages.append((refused.value.message, refused.value.retry_after))
    assert messages[0] == messages[1]


def test_twenty_failures_from_one_address_lock_that_address(database: Database) -> None:
    clock = Clock()
    throttle = SignInThrottle(database, clock)
    for n in range(20):  # 20 different ids, 4 each would stay under the per-user limit
        throttle.failed(f"guess-{n}", "203.0.113.7")
    with pytest.raises(TooManyAttempts):
        throttle.check("someone-else", "203.0.113.7")
    throttle.check("someone-else", "203.0.113.8")  # another address is not affected


def test_a_success_clears_the_user_ids_failures(database: Database) -> None:
    throttle = SignInThrottle(database, Clock())
    for _ in range(4):
        throttle.failed("bf-op-0142", "10.0.0.1")
    throttle.succeeded("bf-op-0142")
    for _ in range(4):
        throttle.failed("bf-op-0142", "10.0.0.1")
    throttle.check("bf-op-0142", "10.0.0.1")  # 4 since the success, not 8
