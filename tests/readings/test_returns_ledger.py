"""Each rule of the 2025 UK-France agreement, tested from the words of its article.

The words quoted in the docstrings are from the French text published by décret n° 2025-798 du
11 août 2025 (JORF) where the article is verified, otherwise from the secondary source named in
:mod:`manche.domain.agreements`. Expected dates are worked out by hand from those words.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from manche.domain.agreements import RULES, Parameters, rule
from manche.domain.events.base import Event
from manche.domain.events.correction import Correction
from manche.domain.events.returns import (
    AdmissionApplicationReceived,
    AdmissionArrived,
    AdmissionChecksCompleted,
    AdmissionVisaIssued,
    ReturnCaseExcluded,
    ReturnCaseOpened,
    ReturnRemovalScheduled,
    ReturnRemoved,
    ReturnRequestAnswered,
    ReturnRequestSent,
)
from manche.errors import RuleViolation
from manche.readings.returns import (
    AdmissionState,
    ReturnsLedger,
    ReturnState,
    add_months,
    uk_date,
)

NOON = 12


def at(day: date, hour: int = NOON) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def ev(cls: type[Event], day: date, **fields: Any) -> Any:
    agency = "FR-DGEF" if cls is ReturnRequestAnswered else "UK-HO"
    when = at(day)
    return cls(agency=agency, author="cw-0001", occurred_at=when, recorded_at=when, **fields)


ARRIVAL = date(2025, 9, 1)
RET = "RET-2025-000001"
ADM = "ADM-2025-000001"


def opened(number: str = RET, arrival: date = ARRIVAL, **kw: Any) -> ReturnCaseOpened:
    fields: dict[str, Any] = {"basis": "landed_after_rescue", "age_category": "adult"}
    fields.update(kw)
    return ev(ReturnCaseOpened, arrival, case_number=number, arrived_at=at(arrival, 4), **fields)


def rules_of(flags: list[Any]) -> set[str]:
    return {f.rule for f in flags}


def admitted(ledger: ReturnsLedger, number: str, day: date, persons: int = 1) -> None:
    """An admission case carried to arrival, the normal way."""
    ledger.apply(
        ev(
            AdmissionApplicationReceived,
            day,
            case_number=number,
            in_france=True,
            identity_document=True,
            proof_of_presence=True,
            accompanying_minors=persons - 1,
        )
    )
    ledger.apply(
        ev(AdmissionChecksCompleted, day + timedelta(days=2), case_number=number, passed=True)
    )
    ledger.apply(ev(AdmissionVisaIssued, day + timedelta(days=3), case_number=number))
    ledger.apply(
        ev(AdmissionArrived, day + timedelta(days=10), case_number=number, persons=persons)
    )


# ----------------------------------------------------------------------- Chapter II: returns


def test_the_normal_path_of_a_return_case() -> None:
    """Art. 4(1): « La France réadmet, à la demande du Royaume-Uni [...] » — request, acceptance,
    removal date, transfer: the case walks opened -> requested -> accepted -> scheduled -> removed
    and raises no flag."""
    ledger = ReturnsLedger()
    steps = [
        opened(),
        ev(ReturnRequestSent, date(2025, 9, 5), case_number=RET),
        ev(ReturnRequestAnswered, date(2025, 9, 12), case_number=RET, accepted=True),
        ev(
            ReturnRemovalScheduled,
            date(2025, 9, 13),
            case_number=RET,
            removal_on=at(date(2025, 9, 20)),
        ),
        ev(ReturnRemoved, date(2025, 9, 20), case_number=RET),
    ]
    states = []
    for step in steps:
        assert ledger.apply(step) == []
        states.append(ledger.returns[RET].state)
    assert states == [
        ReturnState.OPENED,
        ReturnState.REQUESTED,
        ReturnState.ACCEPTED,
        ReturnState.SCHEDULED,
        ReturnState.REMOVED,
    ]


@pytest.mark.parametrize(
    ("changes", "rule_id"),
    [
        ({"nationality_group": "eu"}, "return.scope"),
        ({"from_france": False}, "return.scope"),
        ({"age_category": "unaccompanied_minor"}, "return.adult_or_accompanied_minor"),
    ],
)
def test_scope_and_age(changes: dict[str, Any], rule_id: str) -> None:
    """Art. 3: « tout ressortissant d'un pays tiers [...] suite à une traversée périlleuse sur une
    embarcation légère depuis le territoire de la France »; Art. 4(1)(b): « un fonctionnaire
    habilité a établi qu'il s'agit d'un adulte ou d'un mineur accompagné ». An EU national, a
    crossing not from France, an unaccompanied minor: flagged at opening, and a request refused."""
    ledger = ReturnsLedger()
    assert rule_id in rules_of(ledger.apply(opened(**changes)))
    with pytest.raises(RuleViolation) as info:
        ledger.admit(ev(ReturnRequestSent, date(2025, 9, 3), case_number=RET))
    assert info.value.rule.startswith(rule_id)
    assert rule(rule_id).article in info.value.rule
    assert ledger.returns[RET].state is ReturnState.OPENED  # refused: nothing changed


def test_accompanied_minor_is_in_scope() -> None:
    """Art. 4(1)(b): « un adulte ou un mineur accompagné »: an accompanied minor may be returned."""
    ledger = ReturnsLedger()
    assert ledger.apply(opened(age_category="accompanied_minor")) == []
    assert ledger.admit(ev(ReturnRequestSent, date(2025, 9, 3), case_number=RET)) == []


def test_request_on_day_14_in_time_day_15_late() -> None:
    """Art. 4(1) criteria (secondary source): the procedure is not engaged for a person who
    'arrived more than fourteen days before the readmission request'. Arrival on 1 September:
    a request on 15 September (day 14) is in time; on 16 September (day 15) it is refused."""
    ledger = ReturnsLedger()
    ledger.apply(opened())
    assert ledger.check(ev(ReturnRequestSent, date(2025, 9, 15), case_number=RET)) == []
    late = ev(ReturnRequestSent, date(2025, 9, 16), case_number=RET)
    with pytest.raises(RuleViolation) as info:
        ledger.admit(late)
    assert "return.request_within_14_days" in info.value.rule
    assert "day 15" in info.value.message
    # Recorded anyway (the record is the truth of what was done): applied, and flagged.
    flags = ledger.apply(late)
    assert rules_of(flags) == {"return.request_within_14_days"}
    assert ledger.returns[RET].state is ReturnState.REQUESTED
    assert ledger.flags == flags


def test_day_counting_uses_the_uk_calendar() -> None:
    """Days count on the UK calendar: an arrival at 23:30 UTC on 31 August in summer is 00:30 on
    1 September in the UK (BST, UTC+1), so 15 September is day 14, not day 15."""
    arrival = datetime(2025, 8, 31, 23, 30, tzinfo=UTC)
    assert uk_date(arrival) == date(2025, 9, 1)
    ledger = ReturnsLedger()
    ledger.apply(
        ReturnCaseOpened(
            agency="UK-HO",
            author="cw",
            occurred_at=arrival,
            recorded_at=arrival,
            case_number=RET,
            arrived_at=arrival,
            basis="apprehended",
            age_category="adult",
        )
    )
    assert ledger.check(ev(ReturnRequestSent, date(2025, 9, 15), case_number=RET)) == []


def test_answer_within_14_days_or_28_in_exceptional_cases() -> None:
    """Reply time limit (secondary source): France replies « dans les meilleurs délais et
    s'efforce de le faire » within fourteen days, « vingt-huit jours » « dans des cas
    exceptionnels ». Request on 5 September: an answer on 19 September (day 14) is in time; on
    20 September it is late unless marked exceptional; on 4 October (day 29) it is late even so."""

    def answer(day: date, exceptional: bool = False) -> set[str]:
        ledger = ReturnsLedger()
        ledger.apply(opened())
        ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number=RET))
        return rules_of(
            ledger.apply(
                ev(
                    ReturnRequestAnswered,
                    day,
                    case_number=RET,
                    accepted=True,
                    exceptional=exceptional,
                )
            )
        )

    assert answer(date(2025, 9, 19)) == set()
    assert answer(date(2025, 9, 20)) == {"return.answer_within_14_days"}
    assert answer(date(2025, 9, 20), exceptional=True) == set()
    assert answer(date(2025, 10, 3), exceptional=True) == set()  # day 28
    assert answer(date(2025, 10, 4), exceptional=True) == {"return.answer_within_28_days"}


def test_late_answer_is_a_warning_not_a_refusal() -> None:
    """France « s'efforce » — the answer time limit is an aim: a late answer is recorded and
    flagged as a warning, never refused (the acceptance still stands)."""
    ledger = ReturnsLedger()
    ledger.apply(opened())
    ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number=RET))
    flags = ledger.admit(
        ev(ReturnRequestAnswered, date(2025, 9, 25), case_number=RET, accepted=True)
    )
    assert [f.severity.value for f in flags] == ["warn"]
    assert ledger.returns[RET].state is ReturnState.ACCEPTED


def test_three_month_procedure() -> None:
    """Art. 1(1): « une procédure complète d'une durée maximale de 3 mois, entre l'arrivée [...]
    et leur transfert ». Arrival 1 September 2025: target 1 December 2025; a removal on
    2 December is flagged, and the case is listed overdue from 2 December."""
    assert add_months(ARRIVAL, 3) == date(2025, 12, 1)
    ledger = ReturnsLedger()
    ledger.apply(opened())
    ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number=RET))
    ledger.apply(ev(ReturnRequestAnswered, date(2025, 9, 12), case_number=RET, accepted=True))
    assert [o.rule for o in ledger.overdue(date(2025, 12, 1))] == []
    overdue = ledger.overdue(date(2025, 12, 2))
    assert [(o.rule, o.due, o.days_over) for o in overdue] == [
        ("return.three_month_procedure", date(2025, 12, 1), 1)
    ]
    flags = ledger.apply(ev(ReturnRemoved, date(2025, 12, 2), case_number=RET))
    assert rules_of(flags) == {"return.three_month_procedure"}


def test_add_months_clamps_to_month_end() -> None:
    """Three months after 30 November is 28 February (2026 is not a leap year)."""
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("kind", "rule_id"),
    [
        ("asylum_claim", "return.exclusion.asylum_claim"),
        ("human_rights_claim", "return.exclusion.human_rights_claim"),
        ("suspensive_appeal", "return.exclusion.suspensive_appeal"),
        ("court_order", "return.exclusion.court_order"),
        ("public_order", "return.exclusion.public_order"),
        ("deadline_expired", "return.exclusion.deadlines_expired"),
    ],
)
def test_exclusions_stop_the_transfer(kind: str, rule_id: str) -> None:
    """Art. 4(1) criteria (secondary source): no admissible asylum or human-rights claim, no
    pending suspensive appeal, no injunction or court decision forbidding the transfer, no threat
    to public order, time limits not expired. While an exclusion applies, a removal is refused
    with the exclusion's rule; once lifted, the case goes back to where it was."""
    ledger = ReturnsLedger()
    ledger.apply(opened())
    ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number=RET))
    ledger.apply(ev(ReturnRequestAnswered, date(2025, 9, 12), case_number=RET, accepted=True))
    assert ledger.committed_returns == 1
    ledger.apply(ev(ReturnCaseExcluded, date(2025, 9, 14), case_number=RET, kind=kind))
    assert ledger.returns[RET].state is ReturnState.EXCLUDED
    assert ledger.committed_returns == 0
    with pytest.raises(RuleViolation) as info:
        ledger.admit(ev(ReturnRemoved, date(2025, 9, 20), case_number=RET))
    assert rule_id in info.value.rule
    ledger.apply(ev(ReturnCaseExcluded, date(2025, 9, 18), case_number=RET, kind=kind, lifted=True))
    assert ledger.returns[RET].state is ReturnState.ACCEPTED
    assert ledger.admit(ev(ReturnRemoved, date(2025, 9, 20), case_number=RET)) == []


def test_refusal_with_reason_ends_the_case() -> None:
    """France answers accepted or refused; a refusal carries its reason and no removal follows."""
    ledger = ReturnsLedger()
    ledger.apply(opened())
    ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number=RET))
    ledger.apply(
        ev(
            ReturnRequestAnswered,
            date(2025, 9, 12),
            case_number=RET,
            accepted=False,
            reason="transit_zone_only",
        )
    )
    case = ledger.returns[RET]
    assert (case.state, case.refusal_reason) == (ReturnState.REFUSED, "transit_zone_only")
    assert "case.sequence" in rules_of(
        ledger.check(ev(ReturnRemoved, date(2025, 9, 20), case_number=RET))
    )


def test_overdue_lists_missing_request_and_missing_answer() -> None:
    """14 days for the request (arrival + 14) and 14 for the answer (request + 14): on
    20 September, a case that arrived on 1 September with no request is 5 days overdue, and a
    request sent on 5 September with no answer is 1 day overdue."""
    ledger = ReturnsLedger()
    ledger.apply(opened("RET-2025-000001"))
    ledger.apply(opened("RET-2025-000002"))
    ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number="RET-2025-000002"))
    overdue = ledger.overdue(date(2025, 9, 20))
    assert [(o.subject, o.rule, o.days_over) for o in overdue] == [
        ("RET-2025-000001", "return.request_within_14_days", 5),
        ("RET-2025-000002", "return.answer_within_14_days", 1),
    ]


# -------------------------------------------------------------------- Chapter III: admissions


def test_the_normal_path_of_an_admission() -> None:
    """Art. 12: a voluntary application from France, checks, visa, arrival — no flag."""
    ledger = ReturnsLedger()
    ledger.apply(opened())  # one committed return, so one admission keeps parity
    ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number=RET))
    ledger.apply(ev(ReturnRequestAnswered, date(2025, 9, 12), case_number=RET, accepted=True))
    admitted(ledger, ADM, date(2025, 9, 10))
    case = ledger.admissions[ADM]
    assert case.state is AdmissionState.ARRIVED
    assert ledger.flags == []


@pytest.mark.parametrize(
    ("changes", "rule_id"),
    [
        ({"in_france": False}, "admission.voluntary_in_france"),
        ({"nationality_group": "eu"}, "admission.voluntary_in_france"),
        ({"identity_document": False}, "admission.identity_and_presence"),
        ({"proof_of_presence": False}, "admission.identity_and_presence"),
    ],
)
def test_application_must_come_from_france_with_documents(
    changes: dict[str, Any], rule_id: str
) -> None:
    """Art. 12(1)(a): « le ressortissant d'un pays tiers concerné se trouve sur le territoire de la
    France au moment où il fait la demande »; Art. 12(2): the route's conditions are set by UK
    immigration rules (identity document and proof of presence, per public reporting)."""
    fields: dict[str, Any] = {
        "in_france": True,
        "identity_document": True,
        "proof_of_presence": True,
    }
    fields.update(changes)
    ledger = ReturnsLedger()
    flags = ledger.apply(
        ev(AdmissionApplicationReceived, date(2025, 9, 10), case_number=ADM, **fields)
    )
    assert rule_id in rules_of(flags)


def test_visa_only_after_checks_passed() -> None:
    """Art. 12(2): « une personne ne peut se voir délivrer un visa [...] que si les critères de
    ladite réglementation sont bien réunis » — a visa before passed checks is refused."""
    ledger = ReturnsLedger(Parameters(parity_tolerance=10))
    ledger.apply(
        ev(AdmissionApplicationReceived, date(2025, 9, 10), case_number=ADM, in_france=True,
           identity_document=True, proof_of_presence=True)
    )  # fmt: skip
    with pytest.raises(RuleViolation) as info:
        ledger.admit(ev(AdmissionVisaIssued, date(2025, 9, 11), case_number=ADM))
    assert "admission.suitability_checks" in info.value.rule
    ledger.apply(
        ev(
            AdmissionChecksCompleted,
            date(2025, 9, 12),
            case_number=ADM,
            passed=False,
            failure="security",
        )
    )
    assert ledger.admissions[ADM].state is AdmissionState.CHECKS_FAILED
    assert "admission.suitability_checks" in rules_of(
        ledger.check(ev(AdmissionVisaIssued, date(2025, 9, 13), case_number=ADM))
    )


def test_visa_valid_three_months() -> None:
    """Art. 12(4): « Un visa délivré [...] a une période de validité de trois mois ». A visa
    issued on 1 October 2025 is valid to 1 January 2026; arriving on 2 January is flagged, and the
    unused visa shows as overdue from 2 January."""
    ledger = ReturnsLedger(Parameters(parity_tolerance=10))
    ledger.apply(
        ev(AdmissionApplicationReceived, date(2025, 9, 10), case_number=ADM, in_france=True,
           identity_document=True, proof_of_presence=True)
    )  # fmt: skip
    ledger.apply(ev(AdmissionChecksCompleted, date(2025, 9, 20), case_number=ADM, passed=True))
    ledger.apply(ev(AdmissionVisaIssued, date(2025, 10, 1), case_number=ADM))
    assert ledger.admissions[ADM].visa_expires == date(2026, 1, 1)
    assert ledger.overdue(date(2026, 1, 1)) == []
    assert [o.rule for o in ledger.overdue(date(2026, 1, 2))] == ["admission.visa_valid_3_months"]
    assert rules_of(ledger.check(ev(AdmissionArrived, date(2026, 1, 1), case_number=ADM))) == set()
    flags = ledger.apply(ev(AdmissionArrived, date(2026, 1, 2), case_number=ADM))
    assert rules_of(flags) == {"admission.visa_valid_3_months"}


def test_accompanying_minors_count_as_admitted_persons() -> None:
    """Art. 12(3): « Le Royaume-Uni délivre un visa aux mineurs (âgés de moins de 18 ans)
    accompagnant une personne qui obtient un visa » — an applicant with two minors is three
    persons admitted; four arriving on that case is flagged."""
    ledger = ReturnsLedger(Parameters(parity_tolerance=10))
    admitted(ledger, ADM, date(2025, 9, 10), persons=3)
    assert ledger.committed_admissions == 3
    assert ledger.balance()[-1].cumulative_admissions == 3
    other = "ADM-2025-000002"
    ledger.apply(
        ev(AdmissionApplicationReceived, date(2025, 9, 10), case_number=other, in_france=True,
           identity_document=True, proof_of_presence=True, accompanying_minors=2)
    )  # fmt: skip
    ledger.apply(ev(AdmissionChecksCompleted, date(2025, 9, 12), case_number=other, passed=True))
    ledger.apply(ev(AdmissionVisaIssued, date(2025, 9, 13), case_number=other))
    flags = ledger.apply(ev(AdmissionArrived, date(2025, 9, 20), case_number=other, persons=4))
    assert "admission.accompanying_minors" in rules_of(flags)


def test_priority_categories_are_configurable() -> None:
    """Art. 12(2): the UK may « accorder [...] la priorité » to some, « en consultation avec la
    France » — a category not in the agreed list is flagged (warning); the list is a parameter."""
    fields: dict[str, Any] = {
        "in_france": True,
        "identity_document": True,
        "proof_of_presence": True,
    }
    app = ev(
        AdmissionApplicationReceived,
        date(2025, 9, 10),
        case_number=ADM,
        priority=("family_ties_uk",),
        **fields,
    )
    assert ReturnsLedger().check(app) == []
    narrow = ReturnsLedger(Parameters(priority_categories=("vulnerable",)))
    flags = narrow.check(app)
    assert rules_of(flags) == {"admission.priority"}
    assert flags[0].severity.value == "warn"


# ----------------------------------------------------------------------------------- balance


def test_admission_refused_when_balance_says_pause() -> None:
    """Art. 12(1)(b): « la demande [...] s'inscrit dans le nombre limité de demandes qui doit être
    défini compte tenu de la nature réciproque du présent accord »; Art. 1(3): the numbers
    « doivent s'équilibrer de manière régulière ». With tolerance 2 and no returns, two visas
    may be issued, the third is refused naming Art. 12(1)(b)."""
    ledger = ReturnsLedger(Parameters(parity_tolerance=2))
    for n in (1, 2, 3):
        number = f"ADM-2025-00000{n}"
        ledger.apply(
            ev(AdmissionApplicationReceived, date(2025, 9, 10), case_number=number, in_france=True,
               identity_document=True, proof_of_presence=True)
        )  # fmt: skip
        ledger.apply(
            ev(AdmissionChecksCompleted, date(2025, 9, 12), case_number=number, passed=True)
        )
    ledger.admit(ev(AdmissionVisaIssued, date(2025, 9, 13), case_number="ADM-2025-000001"))
    ledger.admit(ev(AdmissionVisaIssued, date(2025, 9, 13), case_number="ADM-2025-000002"))
    assert ledger.status() == "admissions_paused"
    with pytest.raises(RuleViolation) as info:
        ledger.admit(ev(AdmissionVisaIssued, date(2025, 9, 13), case_number="ADM-2025-000003"))
    assert "admission.limited_number: Art. 12(1)(b)" in info.value.rule
    assert ledger.committed_admissions == 2


def test_returns_pause_when_ahead() -> None:
    """Art. 4(1) criteria (secondary source) and Art. 1(3): the number readmitted may not be out
    of balance with the number actually admitted — with tolerance 1, France's second acceptance
    with no admission is refused as an imbalance."""
    ledger = ReturnsLedger(Parameters(parity_tolerance=1))
    for n in (1, 2):
        number = f"RET-2025-00000{n}"
        ledger.apply(opened(number))
        ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number=number))
    ledger.admit(
        ev(ReturnRequestAnswered, date(2025, 9, 8), case_number="RET-2025-000001", accepted=True)
    )
    with pytest.raises(RuleViolation) as info:
        ledger.admit(
            ev(
                ReturnRequestAnswered,
                date(2025, 9, 8),
                case_number="RET-2025-000002",
                accepted=True,
            )
        )
    assert "return.exclusion.imbalance" in info.value.rule
    admitted(ledger, ADM, date(2025, 9, 1))
    assert (
        ledger.admit(
            ev(
                ReturnRequestAnswered,
                date(2025, 9, 12),
                case_number="RET-2025-000002",
                accepted=True,
            )
        )
        == []
    )


def test_weekly_balance_for_the_committee() -> None:
    """Art. 17(1)(d): the committee checks « sur la base de données hebdomadaires, le nombre de
    personnes réadmises [...] et celui des personnes admises ». Removals on Mon 15 Sep and
    Wed 24 Sep 2025 (ISO weeks 38 and 39), one admission arriving Sun 21 Sep (week 38): week 38
    has 1 return and 1 admission (gap 0); week 39 adds a return (cumulative 2 vs 1, gap 1)."""
    ledger = ReturnsLedger()
    for n, removal in ((1, date(2025, 9, 15)), (2, date(2025, 9, 24))):
        number = f"RET-2025-00000{n}"
        ledger.apply(opened(number))
        ledger.apply(ev(ReturnRequestSent, date(2025, 9, 5), case_number=number))
        ledger.apply(ev(ReturnRequestAnswered, date(2025, 9, 8), case_number=number, accepted=True))
        ledger.apply(ev(ReturnRemoved, removal, case_number=number))
    admitted(ledger, ADM, date(2025, 9, 11))  # arrives 21 Sep
    weeks = {w.week: w for w in ledger.balance()}
    assert (weeks["2025-W38"].returns_removed, weeks["2025-W38"].admissions_arrived) == (1, 1)
    assert (weeks["2025-W38"].cumulative_returns, weeks["2025-W38"].cumulative_admissions) == (1, 1)
    assert weeks["2025-W38"].gap == 0
    assert (
        weeks["2025-W39"].cumulative_returns,
        weeks["2025-W39"].cumulative_admissions,
        weeks["2025-W39"].gap,
    ) == (2, 1, 1)
    assert weeks["2025-W36"].requests_sent == 2  # Friday 5 September is in ISO week 36
    assert list(weeks) == ["2025-W36", "2025-W37", "2025-W38", "2025-W39"]


def test_before_entry_into_force_is_flagged() -> None:
    """The agreement entered into force on 6 August 2025: an arrival on 5 August is flagged."""
    assert "agreement.in_force" in rules_of(ReturnsLedger().apply(opened(arrival=date(2025, 8, 5))))


def test_nothing_recorded_is_lost_and_corrections_apply() -> None:
    """Rebuilt from the record: a correction of the request's date is applied (the request sent on
    15 September but recorded as 16th becomes in time), a retracted removal no longer counts, and
    events recorded out of order are replayed in the order they occurred."""
    late_request = ev(ReturnRequestSent, date(2025, 9, 16), case_number=RET)
    case_open = opened()
    accepted = ev(ReturnRequestAnswered, date(2025, 9, 18), case_number=RET, accepted=True)
    removed = ev(ReturnRemoved, date(2025, 9, 25), case_number=RET)
    when = at(date(2025, 9, 26))
    fix = Correction(
        agency="UK-HO", author="cw", occurred_at=when, recorded_at=when, target=late_request.id,
        changes={"occurred_at": at(date(2025, 9, 15)).isoformat()}, reason="wrong date",
    )  # fmt: skip
    retract = Correction(
        agency="UK-HO", author="cw", occurred_at=when, recorded_at=when, target=removed.id,
        retract=True, reason="removal did not take place",
    )  # fmt: skip
    raw = ReturnsLedger.rebuild([accepted, case_open, late_request, removed])
    assert "return.request_within_14_days" in rules_of(raw.flags)
    assert raw.returns[RET].state is ReturnState.REMOVED
    fixed = ReturnsLedger.rebuild([accepted, case_open, late_request, removed, fix, retract])
    assert fixed.flags == []
    assert fixed.returns[RET].state is ReturnState.ACCEPTED
    assert fixed.returns[RET].request_sent_on == date(2025, 9, 15)
    assert fixed.returns[RET].events == 3  # the retracted removal is gone, nothing else


def test_every_rule_has_an_article_and_words() -> None:
    """Each rule in the table names its article and carries words; unverified ones say so."""
    for r in RULES:
        assert r.article and r.words and r.summary
        assert ("unverified" in r.citation) == (not r.verified)
