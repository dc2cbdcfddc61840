"""Languages of the web pages: English (the source language) and French.

Strings are marked in templates with ``{{ _("...") }}`` / ``{% trans %}`` and in Python with
:func:`N_`; the French catalogue is ``locale/fr/LC_MESSAGES/messages.po``. It is compiled in
memory when first needed (Babel reads the .po, writes the .mo into a buffer), so there is no
build step and no compiled file in the repository. ``babel.cfg`` next to this module says what
is extracted; ``tests/web/test_i18n.py`` fails if a marked string is missing from the catalogue
or has no French.

The language of a request: the ``manche_lang`` cookie (set by the language switch) if any, else
the best match of the browser's ``Accept-Language``, else English. Dates, times and numbers are
formatted for that language with Babel (:func:`format_number`, :func:`format_datetime`...);
times are shown in UTC, labelled so.
"""

from __future__ import annotations

import gettext as gettext_module
import io
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
DEFAULT = "en"
FORMATS: dict[str, str] = {"en": "en_GB", "fr": "fr_FR"}
"""The Babel locale each language formats dates and numbers with (British English)."""
COOKIE = "manche_lang"

NONE = "\u2013"  # an en dash stands for "no value"

_current: ContextVar[str] = ContextVar("manche_locale", default=DEFAULT)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> gettext_module.NullTranslations:
    path = catalogue_path(language)
    if language == DEFAULT or not path.exists():
        return gettext_module.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def negotiate(request: Request) -> str:
    """The language of a request: cookie, then Accept-Language, then English."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    wanted = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            wanted.append((quality, tag.replace("_", "-")))
    wanted.sort(key=lambda item: -item[0])  # stable: equal weights keep the browser's order
    try:
        found = Locale.negotiate([tag for _, tag in wanted], list(LANGUAGES), sep="-")
    except (ValueError, UnknownLocaleError):
        found = None
    return str(found) if found is not None else DEFAULT


def activate(language: str) -> None:
    """Make ``language`` the one templates render in (for the current request)."""
    _current.set(language if language in LANGUAGES else DEFAULT)


def current() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def format_number(value: int | float | None, default: str = NONE) -> str:
    if value is None:
        return default
    return numbers.format_decimal(value, locale=FORMATS[current()])


def format_percent_change(value: float | None) -> str:
    """A signed change in percent with one decimal, e.g. +12.5% / +12,5 %."""
    if value is None:
        return NONE
    return numbers.format_percent(value / 100, "+#,##0.0%;-#,##0.0%", locale=FORMATS[current()])


def _parse(value: date | datetime | str) -> date | datetime:
    if isinstance(value, str):
        text = value.replace("Z", "+00:00")
        return (
            datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)
        )
    return value


def format_date(value: date | datetime | str | None, form: str = "long") -> str:
    if value is None or value == "":
        return NONE
    parsed = _parse(value)
    day = parsed.date() if isinstance(parsed, datetime) else parsed
    return dates.format_date(day, form, locale=FORMATS[current()])


def format_datetime(value: datetime | str | None, form: str = "medium") -> str:
    """Date and time in UTC, e.g. '29 Apr 2025, 04:12 UTC' / '29 avr. 2025, 04:12 UTC'."""
    if value is None or value == "":
        return NONE
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return format_date(parsed)
    day = dates.format_date(parsed, form, locale=FORMATS[current()])
    time = dates.format_time(parsed, "HH:mm", tzinfo=dates.UTC, locale=FORMATS[current()])
    return f"{day}, {time} UTC"


def format_time(value: datetime | str | None) -> str:
    if value is None or value == "":
        return NONE
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return NONE
    return dates.format_time(parsed, "HH:mm", tzinfo=dates.UTC, locale=FORMATS[current()]) + " UTC"
