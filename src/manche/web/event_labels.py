"""Words of the event form, marked for translation: a label (and sometimes a hint) for every
field of the catalogue's event types, and a name for every value of their closed lists.

A nested field is looked up by its dotted path first (``persons.total``), then by its own name
(``total``); an engine's inputs (``engines.0.serial``) by ``engines.serial``. A test requires a
label here for every input :func:`manche.web.event_form.form_fields` makes.
"""

from __future__ import annotations

import re

from manche.web.i18n import N_

LABELS = {
    # common
    "occurred_at": N_("When (UTC)"),
    "incident": N_("Incident reference"),
    "lat": N_("Latitude (N)"),
    "lon": N_("Longitude (E)"),
    "releasability": N_("Releasable to"),
    "assets": N_("Assets involved"),
    "note": N_("Note"),
    # people and craft
    "persons": N_("People"),
    "persons.total": N_("People (total)"),
    "persons.adults": N_("of whom adults"),
    "persons.minors": N_("of whom minors"),
    "boat.make": N_("Boat: make"),
    "boat.model": N_("Boat: model"),
    "boat.length_m": N_("Boat: length (m)"),
    "boat.colour": N_("Boat: colour"),
    "boat.hin": N_("Boat: hull identification number (HIN)"),
    "engines.make": N_("Engine %(n)s: make"),
    "engines.model": N_("Engine %(n)s: model"),
    "engines.power_hp": N_("Engine %(n)s: power (hp)"),
    "engines.serial": N_("Engine %(n)s: serial number"),
    "nationalities": N_("Nationalities (counts)"),
    # the grade
    "grading.source": N_("Grade: source evaluation"),
    "grading.intelligence": N_("Grade: intelligence assessment"),
    "grading.handling": N_("Grade: handling"),
    "grading.conditions": N_("Grade: handling conditions"),
    # at sea
    "mode": N_("How"),
    "place": N_("Place"),
    "setting": N_("Where it was stopped"),
    "source": N_("Seen by"),
    "course_deg": N_("Course (degrees)"),
    "speed_kn": N_("Speed (knots)"),
    "vessel": N_("Vessel"),
    "action": N_("Start or end"),
    "kinds": N_("What is happening"),
    "persons_in_water": N_("People in the water"),
    "reported_by": N_("Reported by"),
    "taken_aboard": N_("Taken aboard"),
    "by": N_("Intercepted by"),
    "subject": N_("What is handed over"),
    "from_agency": N_("From agency"),
    "to_agency": N_("To agency"),
    "from_asset": N_("From asset"),
    "to_asset": N_("To asset"),
    "handover": N_("Handover answered (event id)"),
    "accepted": N_("Accepted"),
    "reason": N_("Reason"),
    "kind": N_("Kind"),
    "how": N_("How"),
    "dead": N_("Dead"),
    "missing": N_("Missing"),
    "minors": N_("of whom minors"),
    # enforcement and intelligence
    "items": N_("Other items seized"),
    "role": N_("Role"),
    "count": N_("Number of people"),
    "case_ref": N_("Case reference"),
    "a.event": N_("First observation: event id"),
    "a.item": N_("First observation: item"),
    "b.event": N_("Second observation: event id"),
    "b.item": N_("Second observation: item"),
    "price_eur": N_("Price paid (euros)"),
    "grade_as_given": N_("Grade as given"),
    # asset position
    "asset": N_("Asset"),
    "mmsi": N_("MMSI"),
    "heading_deg": N_("Heading (degrees)"),
    # corrections
    "target": N_("Entry corrected (event id)"),
    "retract": N_("Withdraw the entry"),
    "changes": N_("Changes"),
    # returns agreement
    "case_number": N_("Case number"),
    "arrived_at": N_("Arrived in the UK (UTC)"),
    "basis": N_("Basis (Art. 3)"),
    "age_category": N_("Age category"),
    "nationality_group": N_("Nationality group"),
    "from_france": N_("Crossed from France"),
    "landing_event": N_("Landing event id"),
    "exceptional": N_("Exceptional 28-day time limit used"),
    "removal_on": N_("Removal planned (UTC)"),
    "lifted": N_("Exclusion lifted"),
    "in_france": N_("In France when applying"),
    "identity_document": N_("Identity document provided"),
    "proof_of_presence": N_("Proof of presence in France provided"),
    "accompanying_minors": N_("Accompanying minors"),
    "priority": N_("Priority categories"),
    "passed": N_("Checks passed"),
    "failure": N_("Why the checks failed"),
    # equipment
    "equipment": N_("Equipment"),
    "quantity": N_("Quantity"),
    "location": N_("Location"),
    "handover_ref": N_("Handover reference"),
    "to_location": N_("To location"),
    "to_vessel": N_("To vessel"),
    "from_vessel": N_("From vessel"),
    "period_start": N_("Period start"),
    "period_end": N_("Period end"),
    "counterpart": N_("Other agency"),
    "statement_sha256": N_("Statement SHA-256"),
}

# the 3x5x2 grade (College of Policing APP; docs/intelligence.md, section 3): its codes repeat
# across its parts ("C" is an intelligence assessment and a handling code), so each part names
# its own options
GRADING_OPTIONS = {
    "grading.source": {
        "1": N_("1: reliable"),
        "2": N_("2: untested"),
        "3": N_("3: not reliable"),
    },
    "grading.intelligence": {
        "A": N_("A: known directly"),
        "B": N_("B: known indirectly, corroborated"),
        "C": N_("C: known indirectly"),
        "D": N_("D: not known"),
        "E": N_("E: suspected to be false"),
    },
    "grading.handling": {
        "P": N_("P: lawful sharing permitted"),
        "C": N_("C: sharing permitted with conditions"),
    },
}

HINTS = {
    "occurred_at": N_("Universal time (UTC), not local time"),
    "incident": N_("The boat's incident, for example INC-2026-0412; leave empty for a new boat"),
    "assets": N_("One asset code a line, for example UK-BF-VALIANT"),
    "note": N_("No names: counts and categories only"),
    "releasability": N_("A distress or a rescue is always shared with both sides."),
    "boat.hin": N_("As read off the hull, even if it looks wrong"),
    "boat.length_m": N_("A number, or the text as written"),
    "engines.power_hp": N_("A number, or the text as written"),
    "engines.serial": N_("As read off the plate, even if it looks wrong"),
    "nationalities": N_("One a line, as Name: count, for example Eritrea: 12"),
    "items": N_("One a line"),
    "priority": N_("One code a line, for example family_ties_uk"),
    "case_number": N_("Pseudonymous case number only, for example RET-2026-000101"),
    "case_ref": N_("Pseudonymous case number, never a name"),
    "changes": N_(
        'The fields changed and their new values, as JSON, e.g. {"persons": {"total": 41}}'
    ),
    "target": N_("Filled in when you follow “Correct this entry”"),
    "handover_ref": N_("The reference both sides quote, for example ho-2026-08-20-dover"),
    "equipment": N_("A code, for example life_jacket or thermal_blanket"),
    "location": N_("A code, for example dover or calais"),
    "to_location": N_("A code, for example dover or calais"),
    "grading.source": N_("3x5x2 grade; leave the three parts empty for an ungraded record"),
    "grading.conditions": N_("Only with handling C, for example originator-only"),
    "grade_as_given": N_(
        "Only for a grade that is not 3x5x2 (a 5x5x5 code such as B24, or as written): kept as "
        "given and read; never exchanged while its handling cannot be established"
    ),
    "a.item": N_("boat, or engine/0 for the first engine"),
    "b.item": N_("boat, or engine/0 for the first engine"),
    "exceptional": N_("Art. 6: France may take 28 days instead of 14 to answer"),
}

VALUES = {
    # yes/no are in event_form
    "shared": N_("Both sides"),
    "uk-only": N_("UK only"),
    "fr-only": N_("France only"),
    "beach": N_("Beach"),
    "taxi-boat": N_("Taxi boat (picked up in the water)"),
    "inland": N_("Inland"),
    "water": N_("In the water"),
    "radar": N_("Radar"),
    "aircraft": N_("Aircraft"),
    "drone": N_("Drone"),
    "camera": N_("Camera"),
    "vessel": N_("Vessel"),
    "ais": N_("AIS"),
    "shore": N_("From the shore"),
    "phone": N_("Phone call"),
    "manual": N_("Entered by hand"),
    "other": N_("Other"),
    "escort": N_("Escort"),
    "shadowing": N_("Shadowing"),
    "start": N_("Start"),
    "end": N_("End"),
    "signalled": N_("Distress signalled"),
    "people-in-water": N_("People in the water"),
    "deflating-tubes": N_("Deflating tubes"),
    "taking-water": N_("Taking water"),
    "engine-failure": N_("Engine failure"),
    "overcrowded": N_("Overcrowded"),
    "coordination": N_("Coordination"),
    "monitoring": N_("Monitoring"),
    "persons": N_("The people"),
    "boat": N_("The boat"),
    "controlled": N_("Controlled (by an authority, at a port)"),
    "uncontrolled": N_("Uncontrolled (on a beach)"),
    "landed-by-french-asset": N_("Landed by a French asset"),
    "boat-turned-back": N_("The boat turned back"),
    "handed-to-french-asset": N_("Handed to a French asset"),
    "facilitator": N_("Facilitator"),
    "pilot": N_("Pilot"),
    "claimed_protection": N_("Claimed protection"),
    "apprehended": N_("Apprehended"),
    "landed_after_rescue": N_("Landed after a rescue"),
    "adult": N_("Adult"),
    "accompanied_minor": N_("Accompanied minor"),
    "unaccompanied_minor": N_("Unaccompanied minor"),
    "third_country": N_("Third-country national"),
    "eu": N_("EU national"),
    "uk": N_("UK national"),
    "not_in_scope": N_("Not in scope"),
    "asylum_claim": N_("Asylum claim"),
    "human_rights_claim": N_("Human rights claim"),
    "suspensive_appeal": N_("Suspensive appeal"),
    "court_order": N_("Court order"),
    "public_order": N_("Public order"),
    "transit_zone_only": N_("Transit zone only"),
    "deadline_expired": N_("Deadline expired"),
    "imbalance": N_("Imbalance"),
    "insufficient_evidence": N_("Insufficient evidence"),
    "eligibility": N_("Eligibility"),
    "suitability": N_("Suitability"),
    "security": N_("Security"),
    "identity": N_("Identity"),
    "previous_crossing": N_("Previous crossing"),
}

_SLOT = re.compile(r"\.\d+\.")


def _key(name: str) -> str:
    return _SLOT.sub(".", name)


def field_label(name: str, key: str) -> str:
    """The label's msgid for an input (its dotted path, or its own name)."""
    return LABELS.get(_key(name)) or LABELS.get(key) or key


def field_hint(name: str, key: str) -> str | None:
    return HINTS.get(_key(name)) or HINTS.get(key)


def engine_number(name: str) -> int | None:
    """1 for ``engines.0.serial`` (the labels say "Engine 1")."""
    found = re.match(r"^engines\.(\d+)\.", name)
    return int(found.group(1)) + 1 if found else None
