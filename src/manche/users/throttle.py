"""Sign-in rate limit: failed password checks counted per user id and per client address.

After :data:`MAX_PER_USER` failures for one user id within :data:`WINDOW` (5 in 15 minutes),
further sign-ins for that id are refused until the oldest of those failures is older than the
window, **before** the password is checked (so a guesser learns nothing, not even from timing).
Independently, :data:`MAX_PER_ADDRESS` failures from one client address within the window
(20: an office behind one address has many users) refuse every sign-in from that address.

The limit must not tell which user ids exist: failures are counted for the id *as typed*
(trimmed, lower-cased), whether or not such a user exists, and the refusal is the same message
in every case. A successful sign-in clears that user id's failures (not the address's).

Failures are rows in the database (``login_failures``), so the limit holds across restarts and
across the workers of one server; rows older than the window are deleted as new ones come.
A refused attempt is not counted again (otherwise a guesser could keep a user locked out for
ever by trying once a minute); the lock-out therefore lasts at most :data:`WINDOW`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from manche.errors import TooManyAttempts
from manche.storage import Database

WINDOW = timedelta(minutes=15)
MAX_PER_USER = 5
MAX_PER_ADDRESS = 20

_DDL = [
    "CREATE TABLE IF NOT EXISTS login_failures ("
    " id SERIAL_PK, subject TEXT NOT NULL, failed_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS login_failures_subject ON login_failures (subject, failed_at)",
]

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _subjects(user_id: str, address: str | None) -> list[tuple[str, int]]:
    subjects = [(f"user:{user_id.strip().lower()}", MAX_PER_USER)]
    if address:
        subjects.append((f"address:{address}", MAX_PER_ADDRESS))
    return subjects


class SignInThrottle:
    """Counts failed sign-ins in ``db``; ``clock`` is the time source (tests move it)."""

    def __init__(self, db: Database, clock: Clock = _now) -> None:
        self.db = db
        self.clock = clock
        db.ensure_schema("login_failures", 1, _DDL)

    def check(self, user_id: str, address: str | None) -> None:
        """Raise :class:`TooManyAttempts` if sign-ins for ``user_id`` or from ``address`` are
        refused for now; the message is the same whichever limit was reached."""
        now = self.clock()
        since = _stamp(now - WINDOW)
        wait = 0.0
        with self.db.transaction() as tx:
            for subject, limit in _subjects(user_id, address):
                rows = tx.all(
                    "SELECT failed_at FROM login_failures WHERE subject = ? AND failed_at > ?"
                    " ORDER BY failed_at DESC",
                    (subject, since),
                )
                if len(rows) >= limit:
                    # refused until the limit-th most recent failure leaves the window
                    oldest = datetime.strptime(rows[limit - 1][0], "%Y-%m-%dT%H:%M:%S.%fZ")
                    until = oldest.replace(tzinfo=UTC) + WINDOW
                    wait = max(wait, (until - now).total_seconds())
        if wait > 0:
            minutes = max(1, math.ceil(wait / 60))
            raise TooManyAttempts(
                "too many failed sign-ins for this user id or from this address: try again in "
                f"{minutes} minute{'s' if minutes != 1 else ''}",
                retry_after=math.ceil(wait),
                field="user",
            )

    def failed(self, user_id: str, address: str | None) -> None:
        """Count one failed sign-in (for the id as typed, whether or not it exists)."""
        now = self.clock()
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM login_failures WHERE failed_at <= ?", (_stamp(now - WINDOW),))
            for subject, _ in _subjects(user_id, address):
                tx.execute(
                    "INSERT INTO login_failures (subject, failed_at) VALUES (?, ?)",
                    (subject, _stamp(now)),
                )

    def succeeded(self, user_id: str) -> None:
        """A right password: that user id's failures are forgotten."""
        subject = _subjects(user_id, None)[0][0]
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM login_failures WHERE subject = ?", (subject,))
