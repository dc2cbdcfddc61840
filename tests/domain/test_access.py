"""The access policy, as pure functions: roles, agency, mandate, the distress exemption,
releasability."""

from __future__ import annotations

import pytest

from manche.domain.access import (
    ALWAYS_RECORDABLE,
    GRANTS,
    Action,
    Principal,
    Role,
    access_table,
    check_record,
    may,
    may_see,
    require,
)
from manche.domain.values import Side
from manche.errors import AccessDenied, InputError, RuleViolation

UK_OP = Principal("bf-op-1", "UK-BF", Side.UK, frozenset({Role.OPERATOR}))
FR_ANALYST = Principal("fr-an-1", "FR-CROSS-GN", Side.FR, frozenset({Role.ANALYST}))
RNLI_OP = Principal("rnli-op-1", "UK-RNLI", Side.UK, frozenset({Role.OPERATOR}))
RNLI_MANDATE = ("sighting", "distress", "rescue", "landing")


@pytest.mark.parametrize(
    ("side", "releasability", "visible"),
    [
        (Side.UK, "shared", True),
        (Side.UK, "uk-only", True),
        (Side.UK, "fr-only", False),
        (Side.FR, "shared", True),
        (Side.FR, "fr-only", True),
        (Side.FR, "uk-only", False),
    ],
)
def test_releasability_depends_on_side_only(side: Side, releasability: str, visible: bool) -> None:
    for roles in (frozenset(), frozenset(Role)):  # even every role, admin included
        assert may_see(Principal("u", f"{side.value}-X", side, roles), releasability) is visible


def test_operator_may_not_write_as_another_agency() -> None:
    with pytest.raises(AccessDenied) as caught:
        check_record(
            UK_OP, event_type="sighting", event_agency="FR-CROSS-GN", releasability="shared"
        )
    assert caught.value.field == "agency"
    with pytest.raises(AccessDenied, match="belongs to UK-BF"):
        check_record(UK_OP, event_type="distress", event_agency="UK-HMCG", releasability="shared")


def test_analyst_may_not_record() -> None:
    with pytest.raises(AccessDenied, match="needs the role operator"):
        check_record(
            FR_ANALYST, event_type="sighting", event_agency="FR-CROSS-GN", releasability="shared"
        )


def test_mandate_limits_types_but_never_distress_or_rescue() -> None:
    with pytest.raises(AccessDenied) as caught:
        check_record(
            RNLI_OP,
            event_type="arrest",
            event_agency="UK-RNLI",
            releasability="shared",
            mandate=RNLI_MANDATE,
        )
    assert caught.value.field == "type"
    # An agency whose mandate is empty may still record distress and rescue.
    for event_type in sorted(ALWAYS_RECORDABLE):
        check_record(
            RNLI_OP,
            event_type=event_type,
            event_agency="UK-RNLI",
            releasability="shared",
            mandate=(),
        )


def test_distress_must_be_shared_and_own_side_must_see_the_event() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_record(UK_OP, event_type="rescue", event_agency="UK-BF", releasability="uk-only")
    assert caught.value.field == "releasability"
    with pytest.raises(InputError, match="its own side could not read it"):
        check_record(UK_OP, event_type="sighting", event_agency="UK-BF", releasability="fr-only")
    check_record(UK_OP, event_type="sighting", event_agency="UK-BF", releasability="uk-only")


def test_roles_grant_the_documented_actions() -> None:
    admin = Principal("adm", "UK-HO", Side.UK, frozenset({Role.ADMIN}))
    auditor = Principal("aud", "FR-PREMAR-MANCHE", Side.FR, frozenset({Role.AUDITOR}))
    assert may(admin, Action.EDIT_REGISTRY) and not may(admin, Action.READ_EVENTS)
    assert may(auditor, Action.READ_LOG) and may(auditor, Action.VERIFY_LOG)
    assert not may(auditor, Action.RECORD_EVENTS)
    with pytest.raises(AccessDenied, match="needs the role admin"):
        require(FR_ANALYST, Action.MANAGE_USERS)
    # every role reads the registries; only an admin edits them
    assert GRANTS[Action.READ_REGISTRY] == frozenset(Role)
    assert GRANTS[Action.EDIT_REGISTRY] == frozenset({Role.ADMIN})


def test_access_table_has_a_row_per_action_and_a_column_per_role() -> None:
    table = access_table()
    assert [row[0] for row in table] == [a.value for a in Action]
    assert all(len(row) == 1 + len(Role) for row in table)
    record_row = next(row for row in table if row[0] == Action.RECORD_EVENTS.value)
    assert record_row[1:] == ("yes", "-", "-", "-", "-")


def test_docs_access_md_prints_the_table_the_code_enforces() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "access.md").read_text()
    header = "| action | " + " | ".join(role.value for role in Role) + " |"
    rows = ["| " + " | ".join(row) + " |" for row in access_table()]
    block = "\n".join([header, "|---|" + "---|" * len(Role), *rows])
    assert block in docs


def test_casework_types_are_exactly_the_ledgers_event_types() -> None:
    from manche.domain.access import CASEWORK_TYPES
    from manche.domain.events import catalogue

    ledger_modules = ("manche.domain.events.returns", "manche.domain.events.equipment")
    defined = {name for name, cls in catalogue().items() if cls.__module__ in ledger_modules}
    assert defined == CASEWORK_TYPES


def test_an_analyst_records_link_decisions_but_not_operations() -> None:
    # issue 5: "an analyst can confirm or split a link (a new event, never an edit)"
    analyst = Principal("an-uk-1", "UK-BF", Side.UK, frozenset({Role.ANALYST}))
    for event_type in ("link-confirmed", "link-split"):
        check_record(analyst, event_type=event_type, event_agency="UK-BF", releasability="shared")
    with pytest.raises(AccessDenied, match="needs the role operator"):
        check_record(analyst, event_type="sighting", event_agency="UK-BF", releasability="shared")
    with pytest.raises(AccessDenied, match="belongs to UK-BF"):
        check_record(
            analyst, event_type="link-split", event_agency="FR-PAF", releasability="shared"
        )
    auditor = Principal("au-uk-1", "UK-BF", Side.UK, frozenset({Role.AUDITOR}))
    with pytest.raises(AccessDenied, match="analyst, operator"):
        check_record(auditor, event_type="link-split", event_agency="UK-BF", releasability="shared")
    # the agency's mandate still applies: HM Coastguard's covers search and rescue only
    coastguard = Principal("an-uk-2", "UK-HMCG", Side.UK, frozenset({Role.ANALYST}))
    with pytest.raises(AccessDenied, match="mandate does not cover 'link-split'"):
        check_record(
            coastguard,
            event_type="link-split",
            event_agency="UK-HMCG",
            releasability="shared",
            mandate=("sighting", "distress"),
        )


def test_a_caseworker_records_casework_but_not_operations() -> None:
    caseworker = Principal("cw-uk-1", "UK-HO", Side.UK, frozenset({Role.CASEWORKER}))
    check_record(
        caseworker, event_type="return-case-opened", event_agency="UK-HO", releasability="shared"
    )
    with pytest.raises(AccessDenied, match="needs the role operator"):
        check_record(
            caseworker, event_type="sighting", event_agency="UK-HO", releasability="shared"
        )
    with pytest.raises(AccessDenied, match="belongs to UK-HO"):
        check_record(
            caseworker,
            event_type="return-case-opened",
            event_agency="UK-BF",
            releasability="shared",
        )
    analyst = Principal("an-uk-1", "UK-HO", Side.UK, frozenset({Role.ANALYST}))
    with pytest.raises(AccessDenied, match="caseworker, operator"):
        check_record(
            analyst, event_type="return-case-opened", event_agency="UK-HO", releasability="shared"
        )
