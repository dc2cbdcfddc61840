"""The returns ledger: every case of the 2025 agreement as a state machine fed by the record.

Return case (Chapter II)::

    opened ──request──> requested ──accepted──> accepted ──date set──> scheduled ──> removed
       │                    └──────refused────> refused
       └──(any step before removal)──exclusion──> excluded ──lifted──> (back where it was)

Admission case (Chapter III)::

    received ──checks──> checks_passed ──visa──> visa_issued ──> arrived
                 └─────> checks_failed          (withdrawn from any step before arrival)

Days are counted on the UK calendar (Europe/London): a request sent on the 14th day after the
arrival date is in time, on the 15th it is late. Every event is applied, whatever it says: the
record is the truth of what was done. An event that breaks a rule carries a :class:`Flag` naming
the rule and its article; :meth:`ReturnsLedger.check` answers, before anything is recorded,
which flags an event *would* raise, and :meth:`ReturnsLedger.admit` refuses one that breaks a
refusing rule with :class:`~manche.errors.RuleViolation`.

Balance (Art. 1(3), Art. 12(1)(b), Art. 17(1)(d)): *committed* returns are cases France accepted
and that are not excluded (accepted, scheduled or removed); *committed* admissions are persons
holding a visa or arrived (an unused visa counts until the case is withdrawn). When accepting one
more return would put returns ahead of admissions by more than ``parity_tolerance``, returns
pause; when one more visa would put admissions ahead, admissions pause. The weekly report counts
*effective* transfers (removed, arrived) per ISO week, as the joint committee does.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from manche.domain.agreements import IN_FORCE_FROM, Parameters
from manche.domain.events.base import Event
from manche.domain.events.returns import (
    AdmissionApplicationReceived,
    AdmissionArrived,
    AdmissionChecksCompleted,
    AdmissionVisaIssued,
    AdmissionWithdrawn,
    AgeCategory,
    ExclusionKind,
    NationalityGroup,
    RefusalReason,
    ReturnCaseExcluded,
    ReturnCaseOpened,
    ReturnRemovalScheduled,
    ReturnRemoved,
    ReturnRequestAnswered,
    ReturnRequestSent,
)
from manche.readings.flags import Flag
from manche.readings.replay import replay

UK_TIME = ZoneInfo("Europe/London")


def uk_date(moment: datetime) -> date:
    """The calendar date in the UK of a UTC instant (deadlines count UK calendar days)."""
    return moment.astimezone(UK_TIME).date()


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class ReturnState(StrEnum):
    OPENED = "opened"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    SCHEDULED = "scheduled"
    REMOVED = "removed"
    EXCLUDED = "excluded"


class AdmissionState(StrEnum):
    RECEIVED = "received"
    CHECKS_PASSED = "checks_passed"
    CHECKS_FAILED = "checks_failed"
    VISA_ISSUED = "visa_issued"
    ARRIVED = "arrived"
    WITHDRAWN = "withdrawn"


_EXCLUSION_RULE = {
    ExclusionKind.ASYLUM_CLAIM: "return.exclusion.asylum_claim",
    ExclusionKind.HUMAN_RIGHTS_CLAIM: "return.exclusion.human_rights_claim",
    ExclusionKind.SUSPENSIVE_APPEAL: "return.exclusion.suspensive_appeal",
    ExclusionKind.COURT_ORDER: "return.exclusion.court_order",
    ExclusionKind.PUBLIC_ORDER: "return.exclusion.public_order",
    ExclusionKind.DEADLINE_EXPIRED: "return.exclusion.deadlines_expired",
    ExclusionKind.TRANSIT_ZONE_ONLY: "return.exclusion.transit_zone",
    ExclusionKind.OTHER: "return.exclusion.other",
}


REFUSAL_RULE = {
    RefusalReason.NOT_IN_SCOPE: "return.scope",
    RefusalReason.UNACCOMPANIED_MINOR: "return.adult_or_accompanied_minor",
    RefusalReason.ASYLUM_CLAIM: "return.exclusion.asylum_claim",
    RefusalReason.HUMAN_RIGHTS_CLAIM: "return.exclusion.human_rights_claim",
    RefusalReason.SUSPENSIVE_APPEAL: "return.exclusion.suspensive_appeal",
    RefusalReason.COURT_ORDER: "return.exclusion.court_order",
    RefusalReason.PUBLIC_ORDER: "return.exclusion.public_order",
    RefusalReason.TRANSIT_ZONE_ONLY: "return.exclusion.transit_zone",
    RefusalReason.DEADLINE_EXPIRED: "return.exclusion.deadlines_expired",
    RefusalReason.IMBALANCE: "return.exclusion.imbalance",
}
"""The rule of the agreement a refusal reason invokes (insufficient evidence and other name
none)."""


def rule_cited(kind: str, code: str | None) -> tuple[str, str] | None:
    """``(rule id, article)`` behind a refusal reason (``kind`` "refusal") or an exclusion
    (``kind`` "exclusion"); ``None`` when the code names no rule."""
    if code is None:
        return None
    table: dict[Any, str] = REFUSAL_RULE if kind == "refusal" else _EXCLUSION_RULE
    try:
        rule_id = table.get(RefusalReason(code) if kind == "refusal" else ExclusionKind(code))
    except ValueError:
        return None
    if rule_id is None:
        return None
    flag = Flag.of(rule_id, "")
    return rule_id, flag.article


@dataclass
class ReturnCase:
    case_number: str
    state: ReturnState = ReturnState.OPENED
    arrived_on: date | None = None
    basis: str | None = None
    age_category: str | None = None
    eligible: bool = True
    request_sent_on: date | None = None
    answered_on: date | None = None
    accepted: bool | None = None
    refusal_reason: str | None = None
    exceptional: bool = False
    removal_on: date | None = None
    removed_on: date | None = None
    exclusions: list[str] = field(default_factory=list)
    state_before_exclusion: ReturnState | None = None
    flags: list[Flag] = field(default_factory=list)
    events: int = 0

    @property
    def request_due(self) -> date | None:
        return None if self.arrived_on is None else self.arrived_on + timedelta(days=14)

    @property
    def procedure_target(self) -> date | None:
        return None if self.arrived_on is None else add_months(self.arrived_on, 3)

    @property
    def committed(self) -> bool:
        """Counts as a committed return for the balance."""
        return self.state in (ReturnState.ACCEPTED, ReturnState.SCHEDULED, ReturnState.REMOVED)

    def answer_due(self, exceptional: bool = False) -> date | None:
        if self.request_sent_on is None:
            return None
        return self.request_sent_on + timedelta(days=28 if exceptional else 14)


@dataclass
class AdmissionCase:
    case_number: str
    state: AdmissionState = AdmissionState.RECEIVED
    received_on: date | None = None
    eligible: bool = True
    accompanying_minors: int = 0
    priority: tuple[str, ...] = ()
    checks_on: date | None = None
    check_failure: str | None = None
    visa_issued_on: date | None = None
    arrived_on: date | None = None
    persons_arrived: int = 0
    flags: list[Flag] = field(default_factory=list)
    events: int = 0

    @property
    def persons(self) -> int:
        return 1 + self.accompanying_minors

    @property
    def visa_expires(self) -> date | None:
        return None if self.visa_issued_on is None else add_months(self.visa_issued_on, 3)

    @property
    def committed_persons(self) -> int:
        if self.state is AdmissionState.ARRIVED:
            return self.persons_arrived
        if self.state is AdmissionState.VISA_ISSUED:
            return self.persons
        return 0


@dataclass
class Week:
    """One ISO week of the balance, as the joint committee reviews it (Art. 17(1)(d))."""

    week: str
    starts: date
    requests_sent: int = 0
    requests_accepted: int = 0
    requests_refused: int = 0
    returns_removed: int = 0
    applications_received: int = 0
    visas_issued: int = 0
    admissions_arrived: int = 0
    cumulative_returns: int = 0
    cumulative_admissions: int = 0
    committed_returns: int = 0
    committed_admissions: int = 0
    flags: int = 0

    @property
    def gap(self) -> int:
        """Effective returns minus effective admissions, cumulative to the end of the week."""
        return self.cumulative_returns - self.cumulative_admissions

    @property
    def committed_gap(self) -> int:
        return self.committed_returns - self.committed_admissions


@dataclass(frozen=True)
class Overdue:
    subject: str
    rule: str
    article: str
    what: str
    due: date
    days_over: int


class ReturnsLedger:
    """Cases, flags and balance, built by applying events in record order."""

    def __init__(self, parameters: Parameters | None = None) -> None:
        self.parameters = parameters or Parameters()
        self.returns: dict[str, ReturnCase] = {}
        self.admissions: dict[str, AdmissionCase] = {}
        self.flags: list[Flag] = []
        self.committed_returns = 0
        self.committed_admissions = 0
        self.weeks: dict[str, Week] = {}
        self.events_applied = 0

    # ------------------------------------------------------------------ building

    @classmethod
    def from_events(
        cls, events: Iterable[Event], parameters: Parameters | None = None
    ) -> ReturnsLedger:
        ledger = cls(parameters)
        for event in events:
            ledger.apply(event)
        return ledger

    @classmethod
    def rebuild(
        cls,
        events: Iterable[Event],
        parameters: Parameters | None = None,
        *,
        exercise: bool = False,
    ) -> ReturnsLedger:
        """From the record: corrections applied, in the order things happened (real events
        only, or with ``exercise`` only the training ones)."""
        return cls.from_events(replay(events, exercise=exercise).events, parameters)

    def apply(self, event: Event) -> list[Flag]:
        """Apply one event (of any type; others are ignored) and return the flags it raised."""
        handler = _HANDLERS.get(type(event))
        if handler is None:
            return []
        raised: list[Flag] = []
        handler(self, event, raised)
        self.events_applied += 1
        self.flags.extend(raised)
        for flag in raised:
            case = self.returns.get(flag.subject or "") or self.admissions.get(flag.subject or "")
            if case is not None:
                case.flags.append(flag)
        week = self._week(uk_date(event.occurred_at))
        week.flags += len(raised)
        week.committed_returns = self.committed_returns
        week.committed_admissions = self.committed_admissions
        return raised

    def check(self, event: Event) -> list[Flag]:
        """The flags ``event`` would raise if recorded now; the ledger is left unchanged."""
        return self._trial(event).apply(event)

    def _trial(self, event: Event) -> ReturnsLedger:
        """A copy that ``event`` may change without touching this ledger: only what one event
        can change is copied (its case, its week, the counters and the flag list)."""
        trial = copy.copy(self)
        trial.returns, trial.admissions = dict(self.returns), dict(self.admissions)
        number = str(getattr(event, "case_number", ""))
        if number in trial.returns:
            trial.returns[number] = copy.deepcopy(trial.returns[number])
        if number in trial.admissions:
            trial.admissions[number] = copy.deepcopy(trial.admissions[number])
        trial.flags = list(self.flags)
        trial.weeks = dict(self.weeks)
        label = iso_week(uk_date(event.occurred_at))
        if label in trial.weeks:
            trial.weeks[label] = copy.copy(trial.weeks[label])
        return trial

    def admit(self, event: Event) -> list[Flag]:
        """Apply ``event`` unless it breaks a refusing rule: then raise RuleViolation, unchanged."""
        for flag in self.check(event):
            if flag.refuses:
                raise flag.to_violation()
        return self.apply(event)

    # ------------------------------------------------------------------ helpers

    def _week(self, day: date) -> Week:
        label = iso_week(day)
        week = self.weeks.get(label)
        if week is None:
            monday = day - timedelta(days=day.weekday())
            week = self.weeks[label] = Week(label, monday)
        return week

    def _return_case(self, number: str, raised: list[Flag], event: Event) -> ReturnCase:
        case = self.returns.get(number)
        if case is None:
            case = self.returns[number] = ReturnCase(number)
            raised.append(
                Flag.of(
                    "case.sequence",
                    f"{event.type} for a case that was never opened",
                    event_id=event.id,
                    subject=number,
                    on=uk_date(event.occurred_at),
                )
            )
        return case

    def _admission_case(self, number: str, raised: list[Flag], event: Event) -> AdmissionCase:
        case = self.admissions.get(number)
        if case is None:
            case = self.admissions[number] = AdmissionCase(number)
            raised.append(
                Flag.of(
                    "case.sequence",
                    f"{event.type} for an application that was never received",
                    event_id=event.id,
                    subject=number,
                    on=uk_date(event.occurred_at),
                )
            )
        return case

    def _set_return_state(self, case: ReturnCase, state: ReturnState) -> None:
        was = case.committed
        case.state = state
        self.committed_returns += int(case.committed) - int(was)

    def _set_admission_state(
        self, case: AdmissionCase, state: AdmissionState, persons: int = 0
    ) -> None:
        was = case.committed_persons
        case.state = state
        if state is AdmissionState.ARRIVED:
            case.persons_arrived = persons
        self.committed_admissions += case.committed_persons - was

    # ------------------------------------------------------------------ readings

    def overdue(self, as_of: date) -> list[Overdue]:
        """Every case past a deadline on ``as_of`` (UK date), most overdue first."""
        found: list[Overdue] = []

        def add(subject: str, rule_id: str, what: str, due: date | None) -> None:
            if due is not None and as_of > due:
                f = Flag.of(rule_id, what)
                found.append(Overdue(subject, rule_id, f.article, what, due, (as_of - due).days))

        for case in self.returns.values():
            if case.state is ReturnState.OPENED and case.eligible:
                add(
                    case.case_number,
                    "return.request_within_14_days",
                    "no request sent",
                    case.request_due,
                )
            elif case.state is ReturnState.REQUESTED:
                add(
                    case.case_number,
                    "return.answer_within_14_days",
                    "no answer from France",
                    case.answer_due(),
                )
            if case.state in (ReturnState.ACCEPTED, ReturnState.SCHEDULED, ReturnState.REQUESTED):
                add(
                    case.case_number,
                    "return.three_month_procedure",
                    "not transferred within three months of arrival",
                    case.procedure_target,
                )
            if case.state is ReturnState.SCHEDULED:
                add(
                    case.case_number,
                    "case.sequence",
                    "removal date passed, no removal recorded",
                    case.removal_on,
                )
        for adm in self.admissions.values():
            if adm.state is AdmissionState.VISA_ISSUED:
                add(
                    adm.case_number,
                    "admission.visa_valid_3_months",
                    "visa expired, no arrival",
                    adm.visa_expires,
                )
        found.sort(key=lambda o: (-o.days_over, o.subject))
        return found

    def balance(self) -> list[Week]:
        """Weekly figures with cumulative totals, from the first week with activity to the last."""
        if not self.weeks:
            return []
        ordered = sorted(self.weeks.values(), key=lambda w: w.starts)
        first, last = ordered[0].starts, ordered[-1].starts
        result: list[Week] = []
        day = first
        cum_r = cum_a = 0
        committed = (0, 0)
        while day <= last:
            label = iso_week(day)
            week = self.weeks.get(label)
            if week is None:
                week = Week(
                    label, day, committed_returns=committed[0], committed_admissions=committed[1]
                )
            cum_r += week.returns_removed
            cum_a += week.admissions_arrived
            week.cumulative_returns, week.cumulative_admissions = cum_r, cum_a
            committed = (week.committed_returns, week.committed_admissions)
            result.append(week)
            day += timedelta(days=7)
        return result

    def status(self) -> str:
        """Which side may go on, on the committed figures now (see :func:`parity_status`)."""
        return parity_status(
            self.committed_returns - self.committed_admissions, self.parameters.parity_tolerance
        )


def parity_status(gap: int, tolerance: int) -> str:
    """``open``: both sides may go on; ``returns_paused``: one more accepted return would put
    returns ahead of admissions by more than ``tolerance``; ``admissions_paused``: the reverse."""
    if gap + 1 > tolerance:
        return "returns_paused"
    if -gap + 1 > tolerance:
        return "admissions_paused"
    return "open"


# ---------------------------------------------------------------------- event handlers


def _opened(ledger: ReturnsLedger, e: ReturnCaseOpened, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)

    def flag(rule_id: str, message: str) -> None:
        raised.append(Flag.of(rule_id, message, event_id=e.id, subject=e.case_number, on=on))

    if e.case_number in ledger.returns:
        flag("case.sequence", "case opened twice")
        case = ledger.returns[e.case_number]
    else:
        case = ledger.returns[e.case_number] = ReturnCase(e.case_number)
    case.events += 1
    case.arrived_on = uk_date(e.arrived_at)
    case.basis = e.basis.value
    case.age_category = e.age_category.value
    if e.nationality_group is not NationalityGroup.THIRD_COUNTRY:
        flag(
            "return.scope",
            f"a {e.nationality_group.value} national is not a third-country national",
        )
        case.eligible = False
    if not e.from_france:
        flag("return.scope", "the crossing did not start from France")
        case.eligible = False
    if e.age_category is AgeCategory.UNACCOMPANIED_MINOR:
        flag("return.adult_or_accompanied_minor", "an unaccompanied minor is excluded")
        case.eligible = False
    if case.arrived_on < IN_FORCE_FROM:
        flag("agreement.in_force", f"arrival on {case.arrived_on} is before {IN_FORCE_FROM}")
    if e.arrived_at > e.occurred_at:
        flag("case.sequence", "case opened before the arrival it records")


def _ineligible_flags(case: ReturnCase, e: Event, raised: list[Flag], on: date, what: str) -> None:
    if not case.eligible:
        rule_id = (
            "return.adult_or_accompanied_minor"
            if case.age_category == AgeCategory.UNACCOMPANIED_MINOR.value
            else "return.scope"
        )
        raised.append(
            Flag.of(
                rule_id,
                f"{what} for a person outside Chapter II",
                event_id=e.id,
                subject=case.case_number,
                on=on,
            )
        )
    for kind in case.exclusions:
        rule_id = _EXCLUSION_RULE[ExclusionKind(kind)]
        raised.append(
            Flag.of(
                rule_id,
                f"{what} while an exclusion ({kind}) applies",
                event_id=e.id,
                subject=case.case_number,
                on=on,
            )
        )


def _request(ledger: ReturnsLedger, e: ReturnRequestSent, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._return_case(e.case_number, raised, e)
    case.events += 1
    if case.state is not ReturnState.OPENED:
        raised.append(
            Flag.of(
                "case.sequence",
                f"request sent in state {case.state}",
                event_id=e.id,
                subject=e.case_number,
                on=on,
            )
        )
    _ineligible_flags(case, e, raised, on, "request sent")
    if case.arrived_on is not None:
        day = (on - case.arrived_on).days
        if day > ledger.parameters.request_days:
            raised.append(
                Flag.of(
                    "return.request_within_14_days",
                    f"request sent on day {day} after arrival on {case.arrived_on}",
                    event_id=e.id,
                    subject=e.case_number,
                    on=on,
                )
            )
    case.request_sent_on = on
    ledger._week(on).requests_sent += 1
    if case.state is ReturnState.OPENED:
        ledger._set_return_state(case, ReturnState.REQUESTED)


def _answer(ledger: ReturnsLedger, e: ReturnRequestAnswered, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._return_case(e.case_number, raised, e)
    case.events += 1
    params = ledger.parameters

    def flag(rule_id: str, message: str) -> None:
        raised.append(Flag.of(rule_id, message, event_id=e.id, subject=e.case_number, on=on))

    if case.state is not ReturnState.REQUESTED:
        flag("case.sequence", f"answer recorded in state {case.state}")
    if case.request_sent_on is not None:
        day = (on - case.request_sent_on).days
        if day > params.answer_days_exceptional:
            flag("return.answer_within_28_days", f"answer on day {day} after the request")
        elif day > params.answer_days and not e.exceptional:
            flag(
                "return.answer_within_14_days", f"answer on day {day} without the exceptional limit"
            )
    case.answered_on = on
    case.accepted = e.accepted
    case.exceptional = e.exceptional
    week = ledger._week(on)
    if e.accepted:
        week.requests_accepted += 1
        _ineligible_flags(case, e, raised, on, "request accepted")
        gap_after = (
            ledger.committed_returns + (0 if case.committed else 1) - ledger.committed_admissions
        )
        if gap_after > params.parity_tolerance:
            flag(
                "return.exclusion.imbalance",
                f"accepting makes committed returns exceed admissions by {gap_after} "
                f"(tolerance {params.parity_tolerance})",
            )
        if not case.exclusions:
            ledger._set_return_state(case, ReturnState.ACCEPTED)
        else:
            case.state_before_exclusion = ReturnState.ACCEPTED
    else:
        week.requests_refused += 1
        case.refusal_reason = e.reason.value if e.reason else RefusalReason.OTHER.value
        ledger._set_return_state(case, ReturnState.REFUSED)


def _scheduled(ledger: ReturnsLedger, e: ReturnRemovalScheduled, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._return_case(e.case_number, raised, e)
    case.events += 1
    removal = uk_date(e.removal_on)
    if case.state not in (ReturnState.ACCEPTED, ReturnState.SCHEDULED):
        raised.append(
            Flag.of(
                "case.sequence",
                f"removal date set in state {case.state}",
                event_id=e.id,
                subject=e.case_number,
                on=on,
            )
        )
    _ineligible_flags(case, e, raised, on, "removal date set")
    target = case.procedure_target
    if target is not None and removal > target:
        raised.append(
            Flag.of(
                "return.three_month_procedure",
                f"removal on {removal} is after the three-month target {target}",
                event_id=e.id,
                subject=e.case_number,
                on=on,
            )
        )
    case.removal_on = removal
    if case.state in (ReturnState.ACCEPTED, ReturnState.SCHEDULED):
        ledger._set_return_state(case, ReturnState.SCHEDULED)


def _removed(ledger: ReturnsLedger, e: ReturnRemoved, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._return_case(e.case_number, raised, e)
    case.events += 1
    if case.state not in (ReturnState.ACCEPTED, ReturnState.SCHEDULED):
        raised.append(
            Flag.of(
                "case.sequence",
                f"removal recorded in state {case.state}",
                event_id=e.id,
                subject=e.case_number,
                on=on,
            )
        )
    _ineligible_flags(case, e, raised, on, "removal")
    target = case.procedure_target
    if target is not None and on > target:
        raised.append(
            Flag.of(
                "return.three_month_procedure",
                f"transferred on {on}, after the three-month target {target}",
                event_id=e.id,
                subject=e.case_number,
                on=on,
            )
        )
    case.removed_on = on
    case.exclusions.clear()
    ledger._week(on).returns_removed += 1
    if case.state is not ReturnState.REMOVED:
        ledger._set_return_state(case, ReturnState.REMOVED)
    else:
        raised.append(
            Flag.of("case.sequence", "removed twice", event_id=e.id, subject=e.case_number, on=on)
        )


def _excluded(ledger: ReturnsLedger, e: ReturnCaseExcluded, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._return_case(e.case_number, raised, e)
    case.events += 1
    kind = e.kind.value
    if case.state is ReturnState.REMOVED:
        raised.append(
            Flag.of(
                "case.sequence",
                "exclusion recorded after removal",
                event_id=e.id,
                subject=e.case_number,
                on=on,
            )
        )
        return
    if e.lifted:
        if kind in case.exclusions:
            case.exclusions.remove(kind)
        else:
            raised.append(
                Flag.of(
                    "case.sequence",
                    f"lifting an exclusion ({kind}) never recorded",
                    event_id=e.id,
                    subject=e.case_number,
                    on=on,
                )
            )
        if not case.exclusions and case.state is ReturnState.EXCLUDED:
            ledger._set_return_state(case, case.state_before_exclusion or ReturnState.OPENED)
            case.state_before_exclusion = None
        return
    if kind not in case.exclusions:
        case.exclusions.append(kind)
    if case.state is not ReturnState.EXCLUDED:
        case.state_before_exclusion = case.state
        ledger._set_return_state(case, ReturnState.EXCLUDED)


def _application(
    ledger: ReturnsLedger, e: AdmissionApplicationReceived, raised: list[Flag]
) -> None:
    on = uk_date(e.occurred_at)

    def flag(rule_id: str, message: str) -> None:
        raised.append(Flag.of(rule_id, message, event_id=e.id, subject=e.case_number, on=on))

    if e.case_number in ledger.admissions:
        flag("case.sequence", "application received twice")
        case = ledger.admissions[e.case_number]
    else:
        case = ledger.admissions[e.case_number] = AdmissionCase(e.case_number)
    case.events += 1
    case.received_on = on
    was = case.committed_persons
    case.accompanying_minors = e.accompanying_minors
    ledger.committed_admissions += case.committed_persons - was
    case.priority = e.priority
    if not e.in_france:
        flag("admission.voluntary_in_france", "the applicant was not in France when applying")
        case.eligible = False
    if e.nationality_group is not NationalityGroup.THIRD_COUNTRY:
        flag(
            "admission.voluntary_in_france",
            f"a {e.nationality_group.value} national is not a third-country national",
        )
        case.eligible = False
    if not (e.identity_document and e.proof_of_presence):
        missing = [
            n
            for n, ok in (
                ("identity document", e.identity_document),
                ("proof of presence", e.proof_of_presence),
            )
            if not ok
        ]
        flag("admission.identity_and_presence", "missing " + " and ".join(missing))
        case.eligible = False
    unknown = [c for c in e.priority if c not in ledger.parameters.priority_categories]
    if unknown:
        flag("admission.priority", f"priority categories not agreed: {', '.join(unknown)}")
    if on < IN_FORCE_FROM:
        flag("agreement.in_force", f"application on {on} is before {IN_FORCE_FROM}")
    ledger._week(on).applications_received += 1


def _checks(ledger: ReturnsLedger, e: AdmissionChecksCompleted, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._admission_case(e.case_number, raised, e)
    case.events += 1
    if case.state is not AdmissionState.RECEIVED:
        raised.append(
            Flag.of(
                "case.sequence",
                f"checks recorded in state {case.state}",
                event_id=e.id,
                subject=e.case_number,
                on=on,
            )
        )
    case.checks_on = on
    case.check_failure = e.failure.value if e.failure else None
    if case.state in (
        AdmissionState.RECEIVED,
        AdmissionState.CHECKS_PASSED,
        AdmissionState.CHECKS_FAILED,
    ):
        ledger._set_admission_state(
            case, AdmissionState.CHECKS_PASSED if e.passed else AdmissionState.CHECKS_FAILED
        )


def _visa(ledger: ReturnsLedger, e: AdmissionVisaIssued, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._admission_case(e.case_number, raised, e)
    case.events += 1
    params = ledger.parameters

    def flag(rule_id: str, message: str) -> None:
        raised.append(Flag.of(rule_id, message, event_id=e.id, subject=e.case_number, on=on))

    if case.state is not AdmissionState.CHECKS_PASSED:
        flag(
            "admission.suitability_checks", f"visa issued in state {case.state}, checks not passed"
        )
    if not case.eligible:
        flag("admission.voluntary_in_france", "visa issued on an application outside Chapter III")
    if case.state is not AdmissionState.VISA_ISSUED:
        gap_after = ledger.committed_admissions + case.persons - ledger.committed_returns
        if gap_after > params.parity_tolerance:
            flag(
                "admission.limited_number",
                f"issuing makes committed admissions exceed returns by {gap_after} "
                f"(tolerance {params.parity_tolerance}): admissions are paused",
            )
    case.visa_issued_on = on
    ledger._week(on).visas_issued += 1
    if case.state not in (AdmissionState.ARRIVED, AdmissionState.WITHDRAWN):
        ledger._set_admission_state(case, AdmissionState.VISA_ISSUED)


def _arrived(ledger: ReturnsLedger, e: AdmissionArrived, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._admission_case(e.case_number, raised, e)
    case.events += 1

    def flag(rule_id: str, message: str) -> None:
        raised.append(Flag.of(rule_id, message, event_id=e.id, subject=e.case_number, on=on))

    if case.state is not AdmissionState.VISA_ISSUED:
        flag("case.sequence", f"arrival recorded in state {case.state}")
    expires = case.visa_expires
    if expires is not None and on > expires:
        flag("admission.visa_valid_3_months", f"arrived on {on}, the visa expired on {expires}")
    if e.persons > case.persons:
        flag(
            "admission.accompanying_minors", f"{e.persons} persons arrived, {case.persons} applied"
        )
    case.arrived_on = on
    ledger._week(on).admissions_arrived += e.persons
    ledger._set_admission_state(case, AdmissionState.ARRIVED, e.persons)


def _withdrawn(ledger: ReturnsLedger, e: AdmissionWithdrawn, raised: list[Flag]) -> None:
    on = uk_date(e.occurred_at)
    case = ledger._admission_case(e.case_number, raised, e)
    case.events += 1
    if case.state is AdmissionState.ARRIVED:
        raised.append(
            Flag.of(
                "case.sequence",
                "withdrawal recorded after arrival",
                event_id=e.id,
                subject=e.case_number,
                on=on,
            )
        )
        return
    ledger._set_admission_state(case, AdmissionState.WITHDRAWN)


_Handler = Callable[[ReturnsLedger, Any, list[Flag]], None]

_HANDLERS: dict[type[Event], _Handler] = {
    ReturnCaseOpened: _opened,
    ReturnRequestSent: _request,
    ReturnRequestAnswered: _answer,
    ReturnRemovalScheduled: _scheduled,
    ReturnRemoved: _removed,
    ReturnCaseExcluded: _excluded,
    AdmissionApplicationReceived: _application,
    AdmissionChecksCompleted: _checks,
    AdmissionVisaIssued: _visa,
    AdmissionArrived: _arrived,
    AdmissionWithdrawn: _withdrawn,
}
