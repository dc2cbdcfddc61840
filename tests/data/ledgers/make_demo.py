"""Writes demo.jsonl: a small, synthetic September 2025 scenario for the two ledgers.

Not real cases: the case numbers, dates and quantities were chosen by hand to exercise every
rule (see PROVENANCE.md). Run: PYTHONPATH=src python tests/data/ledgers/make_demo.py
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

NAMESPACE = uuid.UUID("2f0e3b4c-6a1d-4c55-8f59-3c1c2d6e9a10")
rows: list[dict[str, Any]] = []


def add(event_type: str, agency: str, when: str, **fields: Any) -> None:
    occurred = f"2025-{when}:00Z"
    hour = int(occurred[11:13])
    recorded = occurred[:11] + f"{min(hour + 1, 23):02d}" + occurred[13:]
    event = {
        "id": str(uuid.uuid5(NAMESPACE, f"{len(rows)}")),
        "type": event_type,
        "agency": agency,
        "author": "cw-uk-0007" if agency.startswith("UK") else "cw-fr-0003",
        "occurred_at": occurred,
        "recorded_at": recorded,
        **fields,
    }
    rows.append(event)


def opened(
    n: int, when: str, arrived: str, age: str = "adult", basis: str = "landed_after_rescue"
) -> None:
    add(
        "return-case-opened",
        "UK-HO",
        when,
        case_number=f"RET-2025-{n:06d}",
        arrived_at=f"2025-{arrived}:00Z",
        basis=basis,
        age_category=age,
    )


def request(n: int, when: str) -> None:
    add("return-request-sent", "UK-HO", when, case_number=f"RET-2025-{n:06d}")


def answer(n: int, when: str, accepted: bool, reason: str | None = None) -> None:
    extra = {} if reason is None else {"reason": reason}
    add(
        "return-request-answered",
        "FR-PAF",
        when,
        case_number=f"RET-2025-{n:06d}",
        accepted=accepted,
        **extra,
    )


# ---- returns (Chapter II)
opened(101, "09-02T09:00", "09-02T04:10")
opened(102, "09-02T09:05", "09-02T04:10", basis="claimed_protection")
opened(103, "09-03T10:00", "09-03T06:30", age="accompanied_minor")
opened(104, "09-04T11:00", "09-04T05:00", age="unaccompanied_minor")
opened(105, "09-04T11:10", "09-04T05:00")
request(101, "09-05T14:00")
request(103, "09-08T10:00")
request(102, "09-10T09:30")
answer(101, "09-12T16:00", True)
add(
    "return-removal-scheduled",
    "UK-HO",
    "09-13T10:00",
    case_number="RET-2025-000101",
    removal_on="2025-09-18T08:00:00Z",
)
answer(103, "09-15T11:00", False, "transit_zone_only")
opened(106, "09-16T08:00", "09-16T03:40", basis="apprehended")
add("return-removed", "UK-HO", "09-18T08:30", case_number="RET-2025-000101")
request(105, "09-19T09:00")  # day 15 after arrival on 4 September: late
answer(102, "09-19T15:00", True)
opened(107, "09-20T09:00", "09-20T05:20")
request(106, "09-22T10:00")
answer(105, "09-24T12:00", False, "deadline_expired")
request(107, "09-24T10:00")
add("return-removed", "UK-HO", "09-25T07:45", case_number="RET-2025-000102")
opened(108, "09-25T09:00", "09-25T04:00")
answer(106, "09-29T10:00", True)
add(
    "return-case-excluded",
    "UK-HO",
    "09-30T12:00",
    case_number="RET-2025-000106",
    kind="suspensive_appeal",
    releasability="uk-only",
)

# ---- admissions (Chapter III)
base = {"in_france": True, "identity_document": True, "proof_of_presence": True}
add(
    "admission-application-received",
    "UK-HO",
    "09-01T10:00",
    case_number="ADM-2025-000201",
    priority=["family_ties_uk"],
    **base,
)
add(
    "admission-application-received",
    "UK-HO",
    "09-01T10:30",
    case_number="ADM-2025-000202",
    accompanying_minors=1,
    **base,
)
add("admission-application-received", "UK-HO", "09-03T09:00", case_number="ADM-2025-000203", **base)
add(
    "admission-application-received",
    "UK-HO",
    "09-05T09:00",
    case_number="ADM-2025-000204",
    **{**base, "in_france": False},
)
add(
    "admission-checks-completed", "UK-HO", "09-08T15:00", case_number="ADM-2025-000201", passed=True
)
add(
    "admission-checks-completed", "UK-HO", "09-09T15:00", case_number="ADM-2025-000202", passed=True
)
add("admission-visa-issued", "UK-HO", "09-10T12:00", case_number="ADM-2025-000201")
add(
    "admission-checks-completed",
    "UK-HO",
    "09-10T16:00",
    case_number="ADM-2025-000203",
    passed=False,
    failure="security",
)
add("admission-visa-issued", "UK-HO", "09-12T12:00", case_number="ADM-2025-000202")
add("admission-application-received", "UK-HO", "09-15T10:00", case_number="ADM-2025-000205", **base)
add("admission-arrived", "UK-HO", "09-20T17:00", case_number="ADM-2025-000201", persons=1)
add(
    "admission-checks-completed", "UK-HO", "09-22T15:00", case_number="ADM-2025-000205", passed=True
)
add("admission-arrived", "UK-HO", "09-27T17:00", case_number="ADM-2025-000202", persons=2)
add("admission-visa-issued", "UK-HO", "09-29T12:00", case_number="ADM-2025-000205")

# ---- equipment
add(
    "equipment-stock-count",
    "FR-MN",
    "09-01T08:00",
    equipment="life_jacket",
    quantity=100,
    location="calais",
)
add(
    "equipment-recovered",
    "UK-BF",
    "09-02T06:00",
    equipment="life_jacket",
    quantity=180,
    location="dover",
    incident="INC-2025-0412",
)
add(
    "equipment-recovered",
    "UK-BF",
    "09-02T06:05",
    equipment="thermal_blanket",
    quantity=40,
    location="dover",
    incident="INC-2025-0412",
)
add(
    "equipment-issued",
    "FR-MN",
    "09-03T02:30",
    equipment="life_jacket",
    quantity=60,
    location="calais",
    vessel="FR-FLAMANT",
    incident="INC-2025-0419",
)
add(
    "equipment-handed-over",
    "UK-BF",
    "09-10T11:00",
    equipment="life_jacket",
    quantity=150,
    location="dover",
    vessel="UK-BF-VALIANT",
    handover_ref="ho-2025-09-10-dover",
    to_agency="FR-MN",
    to_location="calais",
    to_vessel="FR-CORMORAN",
)
add(
    "equipment-received",
    "FR-MN",
    "09-10T11:30",
    equipment="life_jacket",
    quantity=148,
    location="calais",
    vessel="FR-CORMORAN",
    handover_ref="ho-2025-09-10-dover",
    from_agency="UK-BF",
    from_vessel="UK-BF-VALIANT",
)
add(
    "equipment-handed-over",
    "UK-BF",
    "09-24T10:00",
    equipment="thermal_blanket",
    quantity=40,
    location="dover",
    handover_ref="ho-2025-09-24-dover",
    to_agency="FR-MN",
    to_location="calais",
)
add(
    "equipment-handed-over",
    "UK-BF",
    "09-26T10:00",
    equipment="life_jacket",
    quantity=50,
    location="dover",
    handover_ref="ho-2025-09-26-dover",
    to_agency="FR-MN",
    to_location="calais",
)

rows.sort(key=lambda e: e["recorded_at"])
out = Path(__file__).with_name("demo.jsonl")
out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
print(f"wrote {out} ({len(rows)} events)")
