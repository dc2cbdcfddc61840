"""Events of the returns agreement (2025): return cases (Chapter II) and admission cases
(Chapter III).

A case is known by its pseudonymous case number only (:mod:`manche.domain.privacy`). Each event
is one step of one case; the readings in :mod:`manche.readings.returns` replay them into state
machines, deadlines and the weekly balance. Facts are dates, counts and codes from closed lists:
no field can hold a name or a document number, and the free-text ``note`` is screened.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from manche.domain.events.base import Event, FieldError, register
from manche.domain.events.examples import add_examples
from manche.domain.privacy import screen_note, validate_case_number
from manche.domain.values import UtcDatetime


class ArrivalBasis(StrEnum):
    """Art. 3 (a)-(c): how the person came within the scope of Chapter II."""

    CLAIMED_PROTECTION = "claimed_protection"
    APPREHENDED = "apprehended"
    LANDED_AFTER_RESCUE = "landed_after_rescue"


class AgeCategory(StrEnum):
    """Art. 4(1)(b): established by an authorised officer."""

    ADULT = "adult"
    ACCOMPANIED_MINOR = "accompanied_minor"
    UNACCOMPANIED_MINOR = "unaccompanied_minor"


class NationalityGroup(StrEnum):
    """Only the category the agreement needs: a third-country (non-EU) national or not."""

    THIRD_COUNTRY = "third_country"
    EU = "eu"
    UK = "uk"


class RefusalReason(StrEnum):
    """Why France refused a readmission request (or why a case left the procedure)."""

    NOT_IN_SCOPE = "not_in_scope"
    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    ASYLUM_CLAIM = "asylum_claim"
    HUMAN_RIGHTS_CLAIM = "human_rights_claim"
    SUSPENSIVE_APPEAL = "suspensive_appeal"
    COURT_ORDER = "court_order"
    PUBLIC_ORDER = "public_order"
    TRANSIT_ZONE_ONLY = "transit_zone_only"
    DEADLINE_EXPIRED = "deadline_expired"
    IMBALANCE = "imbalance"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    OTHER = "other"


class ExclusionKind(StrEnum):
    """Exclusions the UK records on a return case (Art. 4(1) criteria list)."""

    ASYLUM_CLAIM = "asylum_claim"
    HUMAN_RIGHTS_CLAIM = "human_rights_claim"
    SUSPENSIVE_APPEAL = "suspensive_appeal"
    COURT_ORDER = "court_order"
    PUBLIC_ORDER = "public_order"
    DEADLINE_EXPIRED = "deadline_expired"
    OTHER = "other"


class CheckFailure(StrEnum):
    """Why an admission application failed its checks."""

    ELIGIBILITY = "eligibility"
    SUITABILITY = "suitability"
    SECURITY = "security"
    IDENTITY = "identity"
    PREVIOUS_CROSSING = "previous_crossing"
    OTHER = "other"


class _CaseEvent(Event):
    """Common to every returns-agreement event: a case number, and a screened note."""

    case_number: str = Field(description="pseudonymous case number, e.g. RET-2025-000123")

    @field_validator("note")
    @classmethod
    def _screen(cls, value: str) -> str:
        return screen_note(value)


class _ReturnEvent(_CaseEvent):
    @field_validator("case_number")
    @classmethod
    def _return_number(cls, value: str) -> str:
        return validate_case_number(value, "RET")


class _AdmissionEvent(_CaseEvent):
    @field_validator("case_number")
    @classmethod
    def _admission_number(cls, value: str) -> str:
        return validate_case_number(value, "ADM")


# ---------------------------------------------------------------- return cases (Chapter II)


@register
class ReturnCaseOpened(_ReturnEvent):
    """The UK opens a return case for one person who arrived by small boat from France."""

    type: Literal["return-case-opened"] = "return-case-opened"
    arrived_at: UtcDatetime = Field(description="arrival in the UK (Art. 3)")
    basis: ArrivalBasis
    age_category: AgeCategory
    nationality_group: NationalityGroup = NationalityGroup.THIRD_COUNTRY
    from_france: bool = Field(True, description="the crossing started from French territory")
    landing_event: str | None = Field(
        None, max_length=64, description="id of the landing event in the record, when known"
    )


@register
class ReturnRequestSent(_ReturnEvent):
    """The UK sends France a readmission request (occurred_at = when it was sent)."""

    type: Literal["return-request-sent"] = "return-request-sent"


@register
class ReturnRequestAnswered(_ReturnEvent):
    """France's answer to a readmission request (occurred_at = when it was given)."""

    type: Literal["return-request-answered"] = "return-request-answered"
    accepted: bool
    reason: RefusalReason | None = Field(None, description="required when refused")
    exceptional: bool = Field(
        False, description="France used the exceptional 28-day time limit for this answer"
    )

    @model_validator(mode="after")
    def _reason_when_refused(self) -> ReturnRequestAnswered:
        if not self.accepted and self.reason is None:
            raise FieldError("reason", "a refusal needs a reason")
        if self.accepted and self.reason is not None:
            raise FieldError("reason", "an acceptance has no refusal reason")
        return self


@register
class ReturnRemovalScheduled(_ReturnEvent):
    """A removal date is set (occurred_at = when it was set)."""

    type: Literal["return-removal-scheduled"] = "return-removal-scheduled"
    removal_on: UtcDatetime = Field(description="the planned removal")


@register
class ReturnRemoved(_ReturnEvent):
    """The person was transferred to France (occurred_at = the transfer)."""

    type: Literal["return-removed"] = "return-removed"


@register
class ReturnCaseExcluded(_ReturnEvent):
    """An exclusion applies to the case (or, with ``lifted``, no longer applies)."""

    type: Literal["return-case-excluded"] = "return-case-excluded"
    kind: ExclusionKind
    lifted: bool = False


# ------------------------------------------------------------ admission cases (Chapter III)


@register
class AdmissionApplicationReceived(_AdmissionEvent):
    """An expression of interest received from someone in France (Art. 12(1))."""

    type: Literal["admission-application-received"] = "admission-application-received"
    nationality_group: NationalityGroup = NationalityGroup.THIRD_COUNTRY
    in_france: bool = Field(description="physically in France when applying (Art. 12(1)(a))")
    identity_document: bool = Field(
        description="an identity document was provided (not its number)"
    )
    proof_of_presence: bool = Field(description="proof of presence in France was provided")
    accompanying_minors: int = Field(0, ge=0, le=20, description="minors applying with them")
    priority: tuple[str, ...] = Field(
        (), max_length=8, description="priority category codes, e.g. family_ties_uk"
    )

    @field_validator("priority")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not code.replace("_", "").isalnum() or not code.islower() or len(code) > 40:
                raise ValueError(f"priority category {code!r} is not a lower_snake_case code")
        return value


@register
class AdmissionChecksCompleted(_AdmissionEvent):
    """Eligibility and suitability checks completed (Art. 12(2))."""

    type: Literal["admission-checks-completed"] = "admission-checks-completed"
    passed: bool
    failure: CheckFailure | None = None

    @model_validator(mode="after")
    def _failure_when_failed(self) -> AdmissionChecksCompleted:
        if not self.passed and self.failure is None:
            raise FieldError("failure", "failed checks need a failure code")
        if self.passed and self.failure is not None:
            raise FieldError("failure", "passed checks have no failure code")
        return self


@register
class AdmissionVisaIssued(_AdmissionEvent):
    """Entry clearance issued (occurred_at = issue); valid three months (Art. 12(4))."""

    type: Literal["admission-visa-issued"] = "admission-visa-issued"


@register
class AdmissionArrived(_AdmissionEvent):
    """The applicant (and accompanying minors) arrived in the UK."""

    type: Literal["admission-arrived"] = "admission-arrived"
    persons: int = Field(1, ge=1, le=21, description="applicant plus accompanying minors")


@register
class AdmissionWithdrawn(_AdmissionEvent):
    """The applicant withdrew, or the application was closed without a visa."""

    type: Literal["admission-withdrawn"] = "admission-withdrawn"


RETURN_EVENTS: tuple[type[Event], ...] = (
    ReturnCaseOpened,
    ReturnRequestSent,
    ReturnRequestAnswered,
    ReturnRemovalScheduled,
    ReturnRemoved,
    ReturnCaseExcluded,
)
ADMISSION_EVENTS: tuple[type[Event], ...] = (
    AdmissionApplicationReceived,
    AdmissionChecksCompleted,
    AdmissionVisaIssued,
    AdmissionArrived,
    AdmissionWithdrawn,
)


add_examples(
    {
        "return-case-opened": {
            "case_number": "RET-2026-000101",
            "arrived_at": "2026-08-14T04:50:00Z",
            "basis": "landed_after_rescue",
            "age_category": "adult",
        },
        "return-request-sent": {"case_number": "RET-2026-000101"},
        "return-request-answered": {"case_number": "RET-2026-000101", "accepted": True},
        "return-removal-scheduled": {
            "case_number": "RET-2026-000101",
            "removal_on": "2026-08-28T09:00:00Z",
        },
        "return-removed": {"case_number": "RET-2026-000101"},
        "return-case-excluded": {"case_number": "RET-2026-000101", "kind": "suspensive_appeal"},
        "admission-application-received": {
            "case_number": "ADM-2026-000042",
            "in_france": True,
            "identity_document": True,
            "proof_of_presence": True,
            "priority": ["family_ties_uk"],
        },
        "admission-checks-completed": {"case_number": "ADM-2026-000042", "passed": True},
        "admission-visa-issued": {"case_number": "ADM-2026-000042"},
        "admission-arrived": {"case_number": "ADM-2026-000042", "persons": 1},
        "admission-withdrawn": {"case_number": "ADM-2026-000042"},
    }
)
