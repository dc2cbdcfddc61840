"""POST and GET /api/v1/events: bad input is a 4xx naming the field with nothing stored;
batches are all or nothing; idempotency keys make retries safe; filters and cursor paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from manche.record.log import Log
from manche.service.events import MAX_BATCH
from tests.api.conftest import World, sighting


def _size(w: World) -> int:
    return Log(w.db).size()


def _post(w: World, body: Any, who: str = "UK-operator", **headers: str) -> Any:
    return w.client.post("/api/v1/events", json=body, headers={**w.auth(who), **headers})


NAIVE = (datetime.now(UTC) - timedelta(minutes=5)).replace(tzinfo=None).isoformat()
FUTURE = (datetime.now(UTC) + timedelta(minutes=20)).isoformat()


RESCUE_UK_ONLY = {
    "type": "rescue",
    "occurred_at": sighting()["occurred_at"],
    "taken_aboard": "UK-BF-SEEKER",
    "persons": {"total": 3},
    "releasability": "uk-only",
}
BAD_EVENTS: list[tuple[dict[str, Any], int, str]] = [
        ({**sighting(), "type": "rowing-race"}, 422, "type"),
        ({k: v for k, v in sighting().items() if k != "occurred_at"}, 422, "occurred_at"),
        ({k: v for k, v in sighting().items() if k != "source"}, 422, "source"),
        (sighting(occurred_at=NAIVE), 422, "occurred_at"),
        (sighting(position={"lon": 1.5, "lat": 95}), 422, "position.lat"),
        (sighting(occurred_at=FUTURE), 422, "occurred_at"),
        (sighting(agency="FR-CROSS-GN"), 403, "agency"),
        (sighting(author="someone-else"), 403, "author"),
        (sighting(recorded_at=datetime.now(UTC).isoformat()), 422, "recorded_at"),
        (sighting(releasability="fr-only"), 422, "releasability"),
        (RESCUE_UK_ONLY, 422, "releasability"),
]  # fmt: skip


def test_bad_event_is_refused_naming_the_field_and_nothing_is_stored(world: World) -> None:
    before = _size(world)
    for body, status, field in BAD_EVENTS:
        response = _post(world, body)
        assert response.status_code == status, (field, response.text)
        error = response.json()["error"]
        assert set(error) == {"code", "message", "field"}
        assert error["field"] == field, (field, error)
        assert _size(world) == before


def test_batch_is_all_or_nothing_and_names_the_bad_event(world: World) -> None:
    before = _size(world)
    batch = [sighting(), sighting(), sighting(position={"lon": 1.5, "lat": 95}), sighting()]
    response = _post(world, batch)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "events[2].position.lat"
    assert response.json()["error"]["message"].startswith("event 2:")
    assert _size(world) == before
    ok = _post(world, batch[:2] + batch[3:])
    assert ok.status_code == 201
    seqs = [e["seq"] for e in ok.json()["events"]]
    assert seqs == list(range(before, before + 3))
    assert _size(world) == before + 3


def test_oversize_batch_is_refused(world: World) -> None:
    before = _size(world)
    response = _post(world, [sighting()] * (MAX_BATCH + 1))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "events"
    assert str(MAX_BATCH) in response.json()["error"]["message"]
    assert _size(world) == before


def test_idempotency_key_makes_a_retry_safe(world: World) -> None:
    before = _size(world)
    body = [sighting(note="first"), sighting(note="second")]
    first = _post(world, body, **{"Idempotency-Key": "retry-1"})
    again = _post(world, body, **{"Idempotency-Key": "retry-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["events"] == first.json()["events"]
    assert _size(world) == before + 2
    reused = _post(world, [sighting(note="other")], **{"Idempotency-Key": "retry-1"})
    assert reused.status_code == 422
    assert reused.json()["error"]["field"] == "Idempotency-Key"
    # keys belong to a user: the same key from another user is a new request
    other = _post(world, body, who="FR-operator", **{"Idempotency-Key": "retry-1"})
    assert other.status_code == 201
    assert _size(world) == before + 4


def test_retry_after_a_crash_before_the_key_was_saved_appends_nothing_twice(world: World) -> None:
    body = sighting(note="crash")
    first = _post(world, body, **{"Idempotency-Key": "crash-1"})
    assert first.status_code == 201
    with world.db.transaction() as tx:  # as if the process died before recording the key
        tx.execute("DELETE FROM idempotency_keys WHERE idem_key = ?", ("crash-1",))
    size = _size(world)
    again = _post(world, body, **{"Idempotency-Key": "crash-1"})
    assert again.status_code == 201
    assert again.json()["events"] == first.json()["events"]
    assert _size(world) == size


def test_filters_and_cursor_paging(world: World) -> None:
    base = datetime.now(UTC) - timedelta(hours=3)
    batch = [
        sighting(
            occurred_at=(base + timedelta(minutes=i)).isoformat(),
            position={"lon": 1.30 + i * 0.01, "lat": 51.0},
            incident="INC-PAGE" if i % 2 == 0 else "INC-OTHER",
            boat={"hin": "FR-ZOD12345D626"} if i == 3 else None,
        )
        for i in range(7)
    ]
    assert _post(world, batch).status_code == 201
    headers = world.auth("UK-analyst")

    def ids(**params: Any) -> list[str]:
        response = world.client.get("/api/v1/events", headers=headers, params=params)
        assert response.status_code == 200, response.text
        return [item["event"]["incident"] for item in response.json()["events"]]

    assert ids(incident="INC-PAGE") == ["INC-PAGE"] * 4
    assert len(ids(boat="FR-ZOD12345D626")) == 1
    # occurred_at within [base+2min, base+5min): events 2, 3, 4
    window = {"since": (base + timedelta(minutes=2)).isoformat(),
              "until": (base + timedelta(minutes=5)).isoformat()}  # fmt: skip
    assert len(ids(**window)) == 3
    # bbox lon 1.295..1.325 holds events 0, 1, 2 (lon 1.30, 1.31, 1.32)
    assert len(ids(bbox="1.295,50.9,1.325,51.1")) == 3
    assert len(ids(type="arrest")) == 0
    assert len(ids(agency="UK-BF", incident="INC-OTHER")) == 3
    # paging: 3 per page over the 7 new events, in log order, no repeats
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {
            "limit": 3,
            "since": base.isoformat(),
            "until": (base + timedelta(hours=1)).isoformat(),  # the world's events are later
        }
        if cursor:
            params["cursor"] = cursor
        page = world.client.get("/api/v1/events", headers=headers, params=params).json()
        seen += [item["seq"] for item in page["events"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and seen == sorted(seen)


BAD_QUERIES = [
    ({"since": "2026-08-14T03:00:00"}, "since"),
    ({"until": "yesterday"}, "until"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "1,52,2,51"}, "bbox"),
    ({"limit": "0"}, "limit"),
    ({"cursor": "abc"}, "cursor"),
]


def test_bad_query_is_a_422_naming_the_parameter(world: World) -> None:
    for params, field in BAD_QUERIES:
        response = world.client.get(
            "/api/v1/events", headers=world.auth("FR-analyst"), params=params
        )
        assert response.status_code == 422, (params, response.text)
        assert response.json()["error"]["field"] == field, params


def test_clock_skew_is_configurable_and_never_looser_than_the_catalogue(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manche.config import get_settings
    from manche.service.events import EventService

    monkeypatch.setenv("MANCHE_CLOCK_SKEW_SECONDS", "60")
    get_settings.cache_clear()
    strict = EventService(world.db)
    assert strict.clock_skew == timedelta(seconds=60)
    world.client.app.state.manche_events = strict  # type: ignore[attr-defined]
    in_two_minutes = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()
    response = _post(world, sighting(occurred_at=in_two_minutes))
    assert response.status_code == 422 and response.json()["error"]["field"] == "occurred_at"
    assert "60 s" in response.json()["error"]["message"]
    in_one_minute = (datetime.now(UTC) + timedelta(seconds=30)).isoformat()
    assert _post(world, sighting(occurred_at=in_one_minute)).status_code == 201
    assert EventService(world.db, clock_skew=timedelta(hours=1)).clock_skew == timedelta(minutes=5)
