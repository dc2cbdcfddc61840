"""Releasability on the other areas' reading routes too: a uk-only event recorded through the
API never reaches a French caller through the live picture or an incident page, and a fr-only
one never reaches a British caller (the area's own suites test the rest of their behaviour)."""

from __future__ import annotations

from tests.api.conftest import World

OTHER = {"UK": "fr-only", "FR": "uk-only"}


def test_the_live_picture_and_incident_pages_respect_releasability(world: World) -> None:
    for side in ("UK", "FR"):
        headers = world.auth(f"{side}-analyst")
        hidden = world.events[OTHER[side]]
        incident = f"INC-{OTHER[side]}"
        picture = world.client.get("/api/v1/picture", headers=headers)
        assert picture.status_code == 200, picture.text
        assert hidden["id"] not in picture.text and incident not in picture.text, side
        page = world.client.get(f"/api/v1/incidents/{incident}", headers=headers)
        assert page.status_code == 404, (side, page.text)
        own = world.client.get(f"/api/v1/incidents/INC-{OTHER['FR' if side == 'UK' else 'UK']}",
                               headers=headers)  # fmt: skip
        assert own.status_code == 200, (side, own.text)
