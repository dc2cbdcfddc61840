"""Who may do what, and who may see what. Pure: no I/O, no framework.

A :class:`Principal` is an authenticated user as the rules see it: a pseudonymous user id, the
agency it belongs to, that agency's side, and its roles. Every boundary (HTTP API, CLI, later
web pages and exports) builds a Principal and asks this module; nothing else decides access.

The rules, in one place (docs/access.md prints :func:`access_table`):

- Roles grant actions (:data:`GRANTS`). Roles add up; a user may hold several.
- An operator records events **for its own agency only**: the events are signed with that
  agency's key, so writing as another agency would be forging its signature. The ledgers'
  casework types (:data:`CASEWORK_TYPES`: returns, admissions, equipment) may also be recorded
  by a caseworker, and the analysts' link decisions (:data:`ANALYSIS_TYPES`: ``link-confirmed``,
  ``link-split``) by an analyst, under the same own-agency rule.
- An agency's ``mandate`` lists the event types its operators record (an RNLI crew does not
  record arrests). **Distress and rescue are exempt** (:data:`ALWAYS_RECORDABLE`): an operator
  of *any* agency may record them, whatever the mandate says, because a permission must never
  stand between a boat in distress and the record of it (IAMSAR: distress is answered by
  whoever can help). The agency and signature rules still hold.
- Releasability: a UK principal never sees an ``fr-only`` event and a FR principal never sees a
  ``uk-only`` one, whatever its roles (an admin included). An event an agency records must be
  visible to that agency's own side (a UK operator cannot mark an event ``fr-only``), and
  distress and rescue events are always ``shared``.
- An admin manages the users (and their tokens) of its own side only, and edits the registry
  rows of its own side only (a UK admin cannot change CROSS
  Gris-Nez's mandate or a French vessel); codes carry the side (``UK-``/``FR-``).
- Invisible and absent look the same: an event the caller may not see is "not found" (404),
  never "forbidden", so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from manche.domain.values import Releasability, Side
from manche.errors import AccessDenied, InputError, RuleViolation


class Role(StrEnum):
    OPERATOR = "operator"
    ANALYST = "analyst"
    CASEWORKER = "caseworker"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Action(StrEnum):
    RECORD_EVENTS = "record events (own agency)"
    RECORD_CASEWORK = "record casework events: returns, admissions, equipment (own agency)"
    RECORD_ANALYSIS = "record link decisions: link-confirmed, link-split (own agency)"
    READ_EVENTS = "read events (releasable to own side)"
    READ_LOG = "read checkpoints and proofs"
    VERIFY_LOG = "verify the log"
    READ_REGISTRY = "read registries"
    EDIT_REGISTRY = "edit registries"
    MANAGE_USERS = "manage users and tokens"
    MANAGE_KEYS = "manage signing keys"
    USE_LEDGERS = "use ledgers (returns, equipment)"


GRANTS: dict[Action, frozenset[Role]] = {
    Action.RECORD_EVENTS: frozenset({Role.OPERATOR}),
    Action.RECORD_CASEWORK: frozenset({Role.CASEWORKER, Role.OPERATOR}),
    Action.RECORD_ANALYSIS: frozenset({Role.ANALYST, Role.OPERATOR}),
    Action.READ_EVENTS: frozenset({Role.OPERATOR, Role.ANALYST, Role.CASEWORKER, Role.AUDITOR}),
    Action.READ_LOG: frozenset({Role.OPERATOR, Role.ANALYST, Role.CASEWORKER, Role.AUDITOR}),
    Action.VERIFY_LOG: frozenset({Role.AUDITOR, Role.ADMIN}),
    Action.READ_REGISTRY: frozenset(Role),
    Action.EDIT_REGISTRY: frozenset({Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.MANAGE_KEYS: frozenset({Role.ADMIN}),
    Action.USE_LEDGERS: frozenset({Role.CASEWORKER}),
}

CASEWORK_TYPES: frozenset[str] = frozenset(
    {
        "return-case-opened", "return-request-sent", "return-request-answered",
        "return-removal-scheduled", "return-removed", "return-case-excluded",
        "admission-application-received", "admission-checks-completed", "admission-visa-issued",
        "admission-arrived", "admission-withdrawn",
        "equipment-issued", "equipment-recovered", "equipment-handed-over", "equipment-received",
        "equipment-stock-count", "equipment-statement-endorsed",
    }
)  # fmt: skip
"""The ledgers' event types (returns agreement, equipment): recorded by caseworkers (or
operators); every other type is operational and recorded by operators only. A test keeps this
equal to the types of :mod:`manche.domain.events.returns` and ``.equipment``."""

ANALYSIS_TYPES: frozenset[str] = frozenset({"link-confirmed", "link-split"})
"""An analyst's decisions about the intelligence registry's links (docs/intelligence.md,
section 2): recorded by analysts (or operators)."""


def recording_action(event_type: str) -> Action:
    """The action that recording an event of this type needs."""
    if event_type in CASEWORK_TYPES:
        return Action.RECORD_CASEWORK
    if event_type in ANALYSIS_TYPES:
        return Action.RECORD_ANALYSIS
    return Action.RECORD_EVENTS


ALWAYS_RECORDABLE: frozenset[str] = frozenset({"distress", "rescue"})
"""Event types any operator of any agency may record, whatever its agency's mandate."""

ALWAYS_SHARED: frozenset[str] = frozenset({"distress", "rescue"})
"""Event types that must be releasable to both sides."""


@dataclass(frozen=True)
class Principal:
    """An authenticated user as the access rules see it."""

    user_id: str
    agency: str
    side: Side
    roles: frozenset[Role] = field(default_factory=frozenset)

    def has(self, role: Role) -> bool:
        return role in self.roles


def may(principal: Principal, action: Action) -> bool:
    return bool(principal.roles & GRANTS[action])


def require(principal: Principal, action: Action) -> None:
    """Raise :class:`AccessDenied` unless one of the principal's roles grants ``action``."""
    if not may(principal, action):
        needed = ", ".join(sorted(role.value for role in GRANTS[action]))
        held = ", ".join(sorted(role.value for role in principal.roles)) or "none"
        raise AccessDenied(
            f"{action.value} needs the role {needed}; {principal.user_id} has {held}"
        )


def may_see(principal: Principal, releasability: Releasability | str) -> bool:
    """Whether an event of this releasability may reach the principal. Roles do not matter."""
    return Releasability(releasability).visible_to(principal.side)


def visible_releasabilities(principal: Principal) -> tuple[Releasability, ...]:
    """The releasabilities the principal may see, for filtering in a query."""
    return tuple(r for r in Releasability if r.visible_to(principal.side))


def check_record(
    principal: Principal,
    *,
    event_type: str,
    event_agency: str,
    releasability: Releasability | str,
    mandate: tuple[str, ...] = ("*",),
) -> None:
    """Raise unless ``principal`` may record this event. ``mandate``: its agency's mandate.

    Order matters for the message: the agency is checked first (it is the signature), then
    the role and mandate (with the distress exemption), then releasability.
    """
    if event_agency != principal.agency:
        raise AccessDenied(
            f"{principal.user_id} belongs to {principal.agency} and cannot record events as "
            f"{event_agency} (each agency signs its own events)",
            field="agency",
        )
    require(principal, recording_action(event_type))
    if event_type not in ALWAYS_RECORDABLE and "*" not in mandate and event_type not in mandate:
        raise AccessDenied(
            f"{principal.agency}'s mandate does not cover {event_type!r} events "
            f"(it covers: {', '.join(mandate) or 'distress and rescue only'})",
            field="type",
        )
    rel = Releasability(releasability)
    if event_type in ALWAYS_SHARED and rel is not Releasability.SHARED:
        raise RuleViolation(
            f"a {event_type} event must be releasable to both sides ('shared'), not "
            f"{rel.value!r}: whoever can help must know",
            rule="distress-always-shared",
            field="releasability",
        )
    if not rel.visible_to(principal.side):
        raise InputError(
            f"a {principal.side.value} agency cannot record an event marked {rel.value!r}: "
            "its own side could not read it",
            field="releasability",
        )


def check_registry_edit(principal: Principal, *codes: str) -> None:
    """Raise unless ``principal`` is an admin and every code (row, owning agency) is its side's."""
    require(principal, Action.EDIT_REGISTRY)
    for code in codes:
        if not code.startswith(f"{principal.side.value}-"):
            raise AccessDenied(
                f"a {principal.side.value} admin edits {principal.side.value} registry rows "
                f"only, not {code}",
                field="code",
            )


def check_user_admin(principal: Principal, agency: str) -> None:
    """Raise unless ``principal`` is an admin of the side of ``agency`` (the user's agency)."""
    require(principal, Action.MANAGE_USERS)
    if not agency.startswith(f"{principal.side.value}-"):
        raise AccessDenied(
            f"a {principal.side.value} admin manages {principal.side.value} users only, "
            f"not users of {agency}",
            field="agency",
        )


def check_key_admin(principal: Principal, agency: str) -> None:
    """Raise unless ``principal`` may manage keys and ``agency`` is of its own side (an admin
    generates keys for its own side's agencies only)."""
    require(principal, Action.MANAGE_KEYS)
    if not agency.startswith(f"{principal.side.value}-"):
        raise AccessDenied(
            f"a {principal.side.value} admin generates keys for {principal.side.value} "
            f"agencies only, not {agency}",
            field="agency",
        )


def check_key_import(principal: Principal, agency: str) -> None:
    """Raise unless ``principal`` may pin a public key of ``agency``: the *other* side's keys
    only (its own side's keys are generated on this server, never imported, so a pasted file
    cannot add a key that would sign as one of its own agencies)."""
    require(principal, Action.MANAGE_KEYS)
    if agency.startswith(f"{principal.side.value}-"):
        raise AccessDenied(
            f"{agency} is of your own side: its keys are generated here, not imported",
            field="keys",
        )


def check_not_self_lockout(
    principal: Principal, user_id: str, roles: frozenset[Role] | None = None
) -> None:
    """An admin cannot revoke itself (``roles`` None) nor take the admin role off itself:
    either would lock it out of the page it is using. Another admin, or the server console,
    can."""
    if user_id != principal.user_id:
        return
    if roles is None:
        raise AccessDenied(
            "you cannot revoke yourself; another admin of your side or the server console can",
            field="user",
        )
    if Role.ADMIN not in roles:
        raise AccessDenied(
            "you cannot take the admin role off yourself; another admin of your side or the "
            "server console can",
            field="roles",
        )


def access_table() -> list[tuple[str, ...]]:
    """Rows ``(action, operator, analyst, caseworker, auditor, admin)`` with "yes"/"-"."""
    return [
        (action.value, *("yes" if role in GRANTS[action] else "-" for role in Role))
        for action in Action
    ]
