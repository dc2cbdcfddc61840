"""Names of roles and registry kinds on the Administration pages, marked for translation."""

from __future__ import annotations

from manche.domain.access import Role
from manche.domain.registry import AgencyKind, AssetKind
from manche.web.i18n import N_

ROLES: dict[str, str] = {
    Role.OPERATOR.value: N_("Operator: records events for their agency"),
    Role.ANALYST.value: N_("Analyst: reads the record and the intelligence"),
    Role.CASEWORKER.value: N_("Caseworker: returns and equipment ledgers"),
    Role.AUDITOR.value: N_("Auditor: reads and verifies the record"),
    Role.ADMIN.value: N_("Admin: users, keys and registries of the side"),
}

AGENCY_KINDS: dict[str, str] = {
    AgencyKind.MINISTRY.value: N_("Ministry"),
    AgencyKind.BORDER.value: N_("Border agency"),
    AgencyKind.POLICE.value: N_("Police"),
    AgencyKind.NAVY.value: N_("Navy"),
    AgencyKind.SAR_COORDINATION.value: N_("Search and rescue coordination"),
    AgencyKind.SAR_UNIT.value: N_("Search and rescue unit"),
    AgencyKind.STATE_ACTION_AT_SEA.value: N_("State action at sea"),
}

ASSET_KINDS: dict[str, str] = {
    AssetKind.CUTTER.value: N_("Cutter"),
    AssetKind.COASTAL_PATROL_VESSEL.value: N_("Coastal patrol vessel"),
    AssetKind.PATROL_VESSEL.value: N_("Patrol vessel"),
    AssetKind.PATROL_BOAT.value: N_("Patrol boat"),
    AssetKind.LIFEBOAT.value: N_("Lifeboat"),
    AssetKind.AIRCRAFT.value: N_("Aircraft"),
    AssetKind.OTHER.value: N_("Other"),
}
