"""Names shown for the codes the readings use (states, SAR phases, zones, event types), marked
for translation. Codes themselves (``FR-TS``, ``DETRESFA``, rule codes) are shown as they are:
they are the shared vocabulary of both centres."""

from __future__ import annotations

from manche.web.i18n import N_, gettext

STATES = {
    "launched": N_("Launched"),
    "at-sea": N_("At sea"),
    "escorted": N_("Escorted"),
    "in-distress": N_("In distress"),
    "rescued": N_("Rescued"),
    "intercepted": N_("Intercepted"),
    "landed-uk": N_("Landed in the UK"),
    "returned-fr": N_("Returned to France"),
    "prevented": N_("Prevented"),
    "lost": N_("Lost"),
}

STATE_COLOURS = {
    "launched": "#ffdd00",
    "at-sea": "#1d70b8",
    "escorted": "#4c2c92",
    "in-distress": "#d4351c",
    "rescued": "#00703c",
    "intercepted": "#5694ca",
    "landed-uk": "#505a5f",
    "returned-fr": "#505a5f",
    "prevented": "#b1b4b6",
    "lost": "#0b0c0c",
}

PHASES = {
    "DETRESFA": N_("Distress phase"),
    "ALERFA": N_("Alert phase"),
    "INCERFA": N_("Uncertainty phase"),
    "-": N_("No SAR phase"),
}

ZONES = {
    "UK-TS": N_("UK territorial sea"),
    "FR-TS": N_("French territorial sea"),
    "BE-TS": N_("Belgian territorial sea"),
    "UK-EEZ": N_("UK side, beyond 12 nm"),
    "FR-EEZ": N_("French side, beyond 12 nm"),
    "UK-LAND": N_("UK, on land"),
    "FR-LAND": N_("France, on land"),
    "BE-LAND": N_("Belgium, on land"),
    "OUTSIDE": N_("Outside the area"),
}

EVENT_TYPES = {
    "launch": N_("Launch"),
    "prevention": N_("Launch prevented"),
    "sighting": N_("Sighting"),
    "escort": N_("Escort"),
    "distress": N_("Distress"),
    "rescue": N_("Rescue"),
    "interception": N_("Interception"),
    "handover": N_("Handover offered"),
    "handover-acceptance": N_("Handover answered"),
    "landing": N_("Landing"),
    "return-to-france": N_("Return to France"),
    "fatality": N_("Fatality"),
    "seizure": N_("Seizure"),
    "arrest": N_("Arrest"),
    "asset-position": N_("Asset position"),
    "purchase-reported": N_("Purchase reported"),
    "link-confirmed": N_("Link confirmed (same boat or engine)"),
    "link-split": N_("Link split (not the same)"),
    "return-case-opened": N_("Return case opened"),
    "return-request-sent": N_("Readmission request sent"),
    "return-request-answered": N_("France's answer to the request"),
    "return-removal-scheduled": N_("Removal date set"),
    "return-removed": N_("Removed to France"),
    "return-case-excluded": N_("Exclusion recorded (or lifted)"),
    "admission-application-received": N_("Admission application received"),
    "admission-checks-completed": N_("Admission checks completed"),
    "admission-visa-issued": N_("Visa issued"),
    "admission-arrived": N_("Arrived in the UK"),
    "admission-withdrawn": N_("Application withdrawn"),
    "equipment-issued": N_("Equipment issued"),
    "equipment-recovered": N_("Equipment recovered"),
    "equipment-handed-over": N_("Equipment handed over"),
    "equipment-received": N_("Equipment received"),
    "equipment-stock-count": N_("Equipment stock count"),
    "equipment-statement-endorsed": N_("Handover statement endorsed"),
    "correction": N_("Correction"),
}


def label(table: dict[str, str], code: str | None) -> str:
    """The translated name of ``code`` in ``table``, or the code itself."""
    if code is None:
        return "\u2013"
    return gettext(table[code]) if code in table else code


RELEASABILITY = {
    "shared": N_("Both sides"),
    "uk-only": N_("UK only"),
    "fr-only": N_("France only"),
}
