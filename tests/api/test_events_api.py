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
        (sighting(grading={"scheme": "5x5x5", "code": "B26"}), 422, "grading"),
        (sighting(grading={"scheme": "5x5x5", "code": "Z11"}), 422, "grading"),
        (sighting(grading={"scheme": "5x5x5", "code": "B24", "conditions": "x"}), 422, "grading"),
        (sighting(grading={"scheme": "9x9", "code": "1AP"}), 422, "grading"),
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


def test_a_5x5x5_grade_is_mapped_and_the_grade_as_given_kept(world: World) -> None:
    # mapping from the table in docs/intelligence.md: C -> 2 (untested), 3 -> B (corroborated),
    # handling 1 -> P; B -> 1, 2 -> A, handling 4 -> C "originator-only"
    body = [
        sighting(incident="INC-G1", grading={"scheme": "5x5x5", "code": "C31"}),
        sighting(incident="INC-G2", grading="B24", releasability="uk-only"),
    ]
    response = _post(world, body)
    assert response.status_code == 201, response.text
    ids = [e["id"] for e in response.json()["events"]]
    stored = [
        world.client.get(f"/api/v1/events/{i}", headers=world.auth("UK-analyst")).json()["event"]
        for i in ids
    ]
    first, second = (event["grading"] for event in stored)
    assert first == {"source": "2", "intelligence": "B", "handling": "P", "conditions": None,
                     "as_given": {"scheme": "5x5x5", "code": "C31"}}  # fmt: skip
    assert (second["source"], second["intelligence"], second["handling"]) == ("1", "A", "C")
    assert "originator-only" in second["conditions"]
    assert second["as_given"] == {"scheme": "5x5x5", "code": "B24"}


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


def test_keyed_retry_is_answered_from_the_log_itself(world: World) -> None:
    # No table of keys: the events' ids derive from (user, key, position), so a retry, even
    # after the server died right after the append, collides with them inside the log.
    body = [sighting(note="a"), sighting(note="b")]
    first = _post(world, body, **{"Idempotency-Key": "crash-1"})
    assert first.status_code == 201
    size = _size(world)
    again = _post(world, body, **{"Idempotency-Key": "crash-1"})
    assert again.status_code == 200 and again.json()["events"] == first.json()["events"]
    assert _size(world) == size
    # a shorter batch under the same key is not the same request
    shorter = _post(world, body[:1], **{"Idempotency-Key": "crash-1"})
    assert shorter.status_code == 422 and shorter.json()["error"]["field"] == "Idempotency-Key"
    # without a key, a repeated explicit id is a conflict naming it, nothing appended
    event_id = first.json()["events"][0]["id"]
    clash = _post(world, sighting(id=event_id))
    assert clash.status_code == 409 and clash.json()["error"]["field"] == "id"
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


def test_concurrent_retries_of_one_keyed_request_append_it_once(world: World) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from manche.users import UserStore

    service = world.client.app.state.manche_events  # type: ignore[attr-defined]
    principal = UserStore(world.db).principal("uk-operator")
    body = [sighting(note="same request"), sighting(note="same request, 2")]
    before = _size(world)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(lambda _: service.submit(principal, body, idempotency_key="race-1"), range(4))
        )
    assert _size(world) == before + 2
    assert sum(1 for r in results if not r.replayed) == 1
    assert len({tuple((e.id, e.seq) for e in r.events) for r in results}) == 1


def test_a_revoked_token_is_refused_at_once(world: World) -> None:
    from manche.users import UserStore

    headers = world.auth("FR-analyst")
    assert world.client.get("/api/v1/me", headers=headers).status_code == 200
    UserStore(world.db).revoke("fr-analyst")
    response = world.client.get("/api/v1/events", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_every_4xx_has_the_one_error_shape(world: World) -> None:
    first = _post(world, sighting()).json()["events"][0]
    uk = world.auth("UK-operator")
    answers = {
        401: world.client.get("/api/v1/events"),
        403: world.client.get("/api/v1/users", headers=uk),
        404: world.client.get("/api/v1/events/no-such-id", headers=uk),
        405: world.client.delete(f"/api/v1/events/{first['id']}", headers=uk),
        409: _post(world, sighting(id=first["id"])),
        422: world.client.post(
            "/api/v1/events",
            content=b"{not json",
            headers={**uk, "Content-Type": "application/json"},
        ),
    }
    for status, response in answers.items():
        assert response.status_code == status, (status, response.text)
        body = response.json()
        assert list(body) == ["error"], status
        assert set(body["error"]) == {"code", "message", "field"}, status
        assert isinstance(body["error"]["code"], str) and body["error"]["message"], status


def test_a_body_that_is_not_json_is_refused_saying_where(world: World) -> None:
    """Cut short after 21 characters: the message names the body and the character; nothing
    is stored."""
    before = Log(world.db).size()
    response = world.client.post(
        "/api/v1/events",
        content=b'{"type": "sighting", ',
        headers={**world.auth("UK-operator"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and error["field"] == "body"
    assert error["message"].startswith("the request body is not valid JSON")
    assert error["message"].endswith("at character 21"), error["message"]
    assert Log(world.db).size() == before
