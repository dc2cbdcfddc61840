"""Every string the pages show has a French translation, and the language is chosen right.

The extraction is Babel's own (the same as ``pybabel extract -F src/manche/web/babel.cfg``),
run over the templates and the web modules; the catalogue must hold every extracted msgid with
a non-empty French msgstr and no stale or fuzzy entries.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from lxml import html

from manche.api.app import create_app
from manche.storage import Database
from manche.web import i18n

WEB = Path(i18n.__file__).resolve().parent


def _extracted() -> set[str]:
    method_map, options_map = parse_mapping_cfg((WEB / "babel.cfg").open())
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), method_map, options_map, keywords={"_": None, "gettext": None, "N_": None,
                                                     "ngettext": (1, 2)}
    ):  # fmt: skip
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.add(text)
    return found


def test_every_marked_string_has_a_french_translation() -> None:
    extracted = _extracted()
    # the extraction really ran over the templates and the Python modules
    assert {"Skip to main content", "By year", "Sign in to Manche", "Small boat statistics"} <= (
        extracted
    )
    with i18n.catalogue_path("fr").open("rb") as source:
        catalogue = read_po(source, locale="fr")
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}
    plural_forms = {form for m in catalogue if isinstance(m.id, tuple | list) for form in m.id}
    missing = sorted(extracted - set(entries) - plural_forms)
    assert not missing, f"not in locale/fr/LC_MESSAGES/messages.po: {missing[:10]}"
    untranslated = sorted(
        key
        for key, m in entries.items()
        if not (m.string if isinstance(m.string, str) else all(m.string))
    )
    assert not untranslated, f"no French for: {untranslated[:10]}"
    fuzzy = sorted(key for key, m in entries.items() if m.fuzzy)
    assert not fuzzy, f"fuzzy (to be checked): {fuzzy[:10]}"
    stale = sorted(set(entries) - extracted)  # a plural entry is keyed by its singular
    assert not stale, f"in the catalogue but no longer used: {stale[:10]}"


def test_placeholders_survive_translation() -> None:
    with i18n.catalogue_path("fr").open("rb") as source:
        catalogue = read_po(source, locale="fr")
    for message in catalogue:
        if not message.id or not isinstance(message.id, str):
            continue
        for pattern in (r"%\((\w+)\)s", r"\{(\w+)\}"):  # Python's and the scripts' placeholders
            names = sorted(re.findall(pattern, message.id))
            assert sorted(re.findall(pattern, str(message.string))) == names, message.id


def test_language_from_accept_language_then_cookie(database: Database) -> None:
    with TestClient(create_app(database)) as client:
        english = client.get("/statistics", headers={"accept-language": "en-GB,en;q=0.9"})
        assert html.fromstring(english.text).get("lang") == "en"
        french = client.get("/statistics", headers={"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"})
        page = html.fromstring(french.text)
        assert page.get("lang") == "fr" and french.headers["content-language"] == "fr"
        assert "Par année" in [h.text_content() for h in page.xpath("//h2")]
        # French number format: 45 755 with a narrow no-break space (CLDR fr)
        rows = page.xpath("//table[@id='years']/tbody/tr")
        year_2022 = next(r for r in rows if r.xpath("./th")[0].text_content() == "2022")
        assert year_2022.xpath("./td")[0].text_content() == "45\u202f755"
        # the switch's cookie overrides the browser
        switched = client.get("/language?lang=en&next=/statistics", follow_redirects=False)
        assert switched.headers["location"] == "/statistics"
        client.cookies.set(i18n.COOKIE, "en")
        again = client.get("/statistics", headers={"accept-language": "fr-FR"})
        assert html.fromstring(again.text).get("lang") == "en"


# Words that are the same in both languages (names, codes, units), allowed outside _().
SAME_IN_BOTH = {"Manche", "JSON", "CSV", "UTC", "SVG", "GeoJSON", "SAR", "nm", "kn"}


def _bare_text(template: Path) -> list[str]:
    """Text a template shows that is not inside a Jinja expression or tag: a sentence there
    would never be translated."""
    source = template.read_text(encoding="utf-8")
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"<script\b.*?</script>", " ", source, flags=re.S)
    source = re.sub(r"<style\b.*?</style>", " ", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", source, flags=re.S)
    found = []
    for attr in re.findall(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"', source):
        found.append(attr)
    text = re.sub(r"<[^>]*>", " ", source)
    found.extend(text.split())
    words = []
    for chunk in found:
        for word in re.findall(r"[A-Za-zÀ-ÿ]{2,}", chunk):
            if word not in SAME_IN_BOTH:
                words.append(f"{template.name}: {word}")
    return words


def test_templates_show_no_unmarked_text() -> None:
    templates = sorted((WEB / "templates").glob("*.html"))
    assert len(templates) >= 5
    bare = [word for template in templates for word in _bare_text(template)]
    assert not bare, f"text outside _() in templates: {bare[:15]}"
