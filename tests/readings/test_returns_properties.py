"""Property tests for the balance (Art. 1(3): « Le nombre de personnes effectivement réadmises
[...] et celui des personnes effectivement admises [...] doivent s'équilibrer de manière
régulière »; Art. 12(1)(b): admissions within « le nombre limité de demandes [...] compte tenu de
la nature réciproque du présent accord »)."""

from __future__ import annotations

import random
from dataclasses import astuple
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from manche.domain.agreements import Parameters
from manche.domain.events.base import Event
from manche.domain.events.returns import (
    AdmissionApplicationReceived,
    AdmissionArrived,
    AdmissionChecksCompleted,
    AdmissionVisaIssued,
    AdmissionWithdrawn,
    ReturnCaseExcluded,
    ReturnCaseOpened,
    ReturnRemovalScheduled,
    ReturnRemoved,
    ReturnRequestAnswered,
    ReturnRequestSent,
)
from manche.errors import RuleViolation
from manche.readings.returns import AdmissionState, ReturnsLedger, ReturnState

START = datetime(2025, 9, 1, 8, tzinfo=UTC)

step = st.tuples(
    st.sampled_from(
        [
            "open", "request", "accept", "refuse", "schedule", "remove", "exclude", "lift",
            "apply", "pass", "fail", "visa", "arrive", "withdraw",
        ]
    ),
    st.integers(0, 3),  # which case
    st.integers(0, 2),  # accompanying minors / persons extra
    st.integers(1, 30),  # hours since the previous step
)  # fmt: skip


def build(steps: list[tuple[str, int, int, int]]) -> list[Event]:
    events: list[Event] = []
    when = START
    for op, n, extra, hours in steps:
        when = when + timedelta(hours=hours)
        ret, adm = f"RET-2025-00000{n}", f"ADM-2025-00000{n}"
        common: dict[str, Any] = {
            "agency": "UK-HO",
            "author": "cw",
            "occurred_at": when,
            "recorded_at": when,
        }
        event: Event
        if op == "open":
            arrived = when - timedelta(hours=2)
            event = ReturnCaseOpened(**common, case_number=ret, arrived_at=arrived,
                                     basis="apprehended", age_category="adult")  # fmt: skip
        elif op == "request":
            event = ReturnRequestSent(**common, case_number=ret)
        elif op == "accept":
            event = ReturnRequestAnswered(**common, case_number=ret, accepted=True)
        elif op == "refuse":
            event = ReturnRequestAnswered(**common, case_number=ret, accepted=False, reason="other")
        elif op == "schedule":
            event = ReturnRemovalScheduled(
                **common, case_number=ret, removal_on=when + timedelta(days=3)
            )
        elif op == "remove":
            event = ReturnRemoved(**common, case_number=ret)
        elif op in ("exclude", "lift"):
            event = ReturnCaseExcluded(
                **common, case_number=ret, kind="court_order", lifted=op == "lift"
            )
        elif op == "apply":
            event = AdmissionApplicationReceived(**common, case_number=adm, in_france=True,
                                                 identity_document=True, proof_of_presence=True,
                                                 accompanying_minors=extra)  # fmt: skip
        elif op in ("pass", "fail"):
            failure = None if op == "pass" else "security"
            event = AdmissionChecksCompleted(
                **common, case_number=adm, passed=op == "pass", failure=failure
            )
        elif op == "visa":
            event = AdmissionVisaIssued(**common, case_number=adm)
        elif op == "arrive":
            event = AdmissionArrived(**common, case_number=adm, persons=1 + extra)
        else:
            event = AdmissionWithdrawn(**common, case_number=adm)
        events.append(event)
    return events


def recount(ledger: ReturnsLedger) -> tuple[int, int]:
    returns = sum(c.committed for c in ledger.returns.values())
    admissions = sum(c.committed_persons for c in ledger.admissions.values())
    return returns, admissions


sequences = st.lists(step, min_size=1, max_size=60)


def everything(ledger: ReturnsLedger) -> tuple[Any, ...]:
    """Every case, week and counter, as plain values (to prove a refusal changed nothing)."""
    return (
        {k: astuple(c) for k, c in ledger.returns.items()},
        {k: astuple(c) for k, c in ledger.admissions.items()},
        {k: astuple(w) for k, w in ledger.weeks.items()},
        ledger.committed_returns,
        ledger.committed_admissions,
        list(ledger.flags),
    )


@settings(max_examples=150, deadline=None)
@given(sequences, st.integers(1, 4))
def test_balance_figures_always_agree_with_the_cases(steps: list[Any], tolerance: int) -> None:
    """Whatever is recorded, in whatever order: the committed counters equal a fresh count over
    the cases, the weekly figures add up to the removals and arrivals recorded, and the last
    week's gap is effective returns minus effective admissions."""
    events = build(steps)
    ledger = ReturnsLedger(Parameters(parity_tolerance=tolerance))
    for event in events:
        ledger.apply(event)
        assert (ledger.committed_returns, ledger.committed_admissions) == recount(ledger)
    weeks = ledger.balance()
    removals = sum(isinstance(e, ReturnRemoved) for e in events)
    arrivals = sum(e.persons for e in events if isinstance(e, AdmissionArrived))
    assert sum(w.returns_removed for w in weeks) == removals
    assert sum(w.admissions_arrived for w in weeks) == arrivals
    assert weeks[-1].gap == removals - arrivals
    for earlier, later in pairwise(weeks):
        assert later.starts - earlier.starts == timedelta(days=7)
        assert later.cumulative_returns >= earlier.cumulative_returns


@settings(max_examples=150, deadline=None)
@given(sequences, st.integers(1, 4))
def test_strict_admission_keeps_parity(steps: list[Any], tolerance: int) -> None:
    """Checked before recording (``admit``), no acceptance leaves committed returns more than the
    tolerance ahead of admissions, and no visa leaves admissions more than the tolerance ahead;
    a refused event leaves the ledger exactly as it was."""
    ledger = ReturnsLedger(Parameters(parity_tolerance=tolerance))
    for event in build(steps):
        before = (ledger.committed_returns, ledger.committed_admissions, len(ledger.flags))
        snapshot = everything(ledger)
        try:
            ledger.admit(event)
        except RuleViolation:
            assert everything(ledger) == snapshot
            assert (
                ledger.committed_returns,
                ledger.committed_admissions,
                len(ledger.flags),
            ) == before
            continue
        gap = ledger.committed_returns - ledger.committed_admissions
        if (
            isinstance(event, ReturnRequestAnswered)
            and event.accepted
            and ledger.committed_returns > before[0]
        ):
            assert gap <= tolerance
        if isinstance(event, AdmissionVisaIssued) and ledger.committed_admissions > before[1]:
            assert -gap <= tolerance


@settings(max_examples=150, deadline=None)
@given(sequences, st.integers(1, 4))
def test_flag_whenever_parity_is_broken(steps: list[Any], tolerance: int) -> None:
    """Recorded as is (nothing refused), every acceptance or visa that takes its side beyond the
    tolerance carries the balance rule's flag: the imbalance is never silent."""
    ledger = ReturnsLedger(Parameters(parity_tolerance=tolerance))
    for event in build(steps):
        before = (ledger.committed_returns, ledger.committed_admissions)
        flags = {f.rule for f in ledger.apply(event)}
        gap = ledger.committed_returns - ledger.committed_admissions
        if (
            ledger.committed_returns > before[0]
            and isinstance(event, ReturnRequestAnswered)
            and gap > tolerance
        ):
            assert "return.exclusion.imbalance" in flags
        if (
            ledger.committed_admissions > before[1]
            and isinstance(event, AdmissionVisaIssued)
            and -gap > tolerance
        ):
            assert "admission.limited_number" in flags


@settings(max_examples=80, deadline=None)
@given(sequences, st.randoms(use_true_random=False))
def test_rebuild_does_not_depend_on_record_order(steps: list[Any], rnd: random.Random) -> None:
    """Readings are rebuilt from the record alone: the order in which events were written does not
    change the cases, flags or weekly figures (they are replayed in the order they occurred)."""
    events = build(steps)
    shuffled = list(events)
    rnd.shuffle(shuffled)
    a, b = ReturnsLedger.rebuild(events), ReturnsLedger.rebuild(shuffled)
    assert {k: (c.state, c.events) for k, c in a.returns.items()} == {
        k: (c.state, c.events) for k, c in b.returns.items()
    }
    assert {k: c.state for k, c in a.admissions.items()} == {
        k: c.state for k, c in b.admissions.items()
    }
    assert a.flags == b.flags
    assert [(w.week, w.gap) for w in a.balance()] == [(w.week, w.gap) for w in b.balance()]


def test_states_cover_the_machine() -> None:
    """A guard for the generator above: it reaches every state of both machines."""
    rnd = random.Random(7)
    seen_r: set[ReturnState] = set()
    seen_a: set[AdmissionState] = set()
    ops = ["open", "request", "accept", "refuse", "schedule", "remove", "exclude", "lift",
           "apply", "pass", "fail", "visa", "arrive", "withdraw"]  # fmt: skip
    for _ in range(200):
        steps = [
            (rnd.choice(ops), rnd.randrange(4), rnd.randrange(3), rnd.randrange(1, 30))
            for _ in range(40)
        ]
        ledger = ReturnsLedger.from_events(build(steps))
        seen_r |= {c.state for c in ledger.returns.values()}
        seen_a |= {c.state for c in ledger.admissions.values()}
    assert seen_r == set(ReturnState)
    assert seen_a == set(AdmissionState)
    assert date(2025, 9, 1) == START.date()
