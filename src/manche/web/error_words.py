"""Error messages of the domain and services, in the page's language.

The domain raises its errors in English (the API's ``message``, the CLI's output, the logs): it
knows nothing of languages. A page that shows such a message translates it here, at the web
boundary: each known message shape is a pattern whose named parts (a reference, a role, a user)
are put into a translated sentence (gettext msgids of the web catalogue). A message of no known
shape is shown as it is, marked ``lang="en"`` by the templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from manche.web.i18n import N_, gettext

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), words)
    for pattern, words in (
        (
            r"(?P<action>[\w -]+?) needs the role (?P<roles>[\w, -]+); (?P<user>\S+) has "
            r"(?P<held>[\w, -]+)",
            N_("This needs the role %(roles)s; %(user)s has %(held)s."),
        ),
        (
            r"no incident '(?P<ref>[^']+)' visible to (?P<side>\w+) users",
            N_("There is no incident %(ref)s that %(side)s users may see."),
        ),
        (r"no boat or engine '(?P<id>[^']+)'", N_("There is no boat or engine %(id)s.")),
        (
            r"no vintage '(?P<label>[^']+)'; stored vintages: (?P<known>.*)",
            N_("There is no vintage %(label)s; the stored vintages are: %(known)s."),
        ),
        (
            r"(?P<user>\S+) belongs to (?P<agency>\S+) and cannot record events as (?P<other>\S+)"
            r" \(each agency signs its own events\)",
            N_(
                "%(user)s belongs to %(agency)s and cannot record events as %(other)s (each "
                "agency signs its own events)."
            ),
        ),
        (
            r"(?P<agency>\S+)'s mandate does not cover '(?P<type>[^']+)' events "
            r"\(it covers: (?P<covers>.*)\)",
            N_("The mandate of %(agency)s does not cover %(type)s events (it covers: %(covers)s)."),
        ),
        (
            r"a (?P<type>\S+) event must be releasable to both sides \('shared'\), not "
            r"'(?P<rel>[^']+)': whoever can help must know",
            N_(
                "A %(type)s event must be shared with both sides, not marked %(rel)s: whoever "
                "can help must know."
            ),
        ),
        (
            r"field 'releasability': (?P<type>\S+) events are always shared: safety-of-life "
            r"information must reach both rescue coordination centres \(MRCC Dover and CROSS "
            r"Gris-Nez\), whichever agency records it; got '(?P<rel>[^']+)'",
            N_(
                "A %(type)s event is always shared: safety-of-life information must reach both "
                "rescue coordination centres (MRCC Dover and CROSS Gris-Nez), whichever agency "
                "records it; not %(rel)s."
            ),
        ),
        (
            r"a (?P<side>\w+) agency cannot record an event marked '(?P<rel>[^']+)': its own "
            r"side could not read it",
            N_(
                "A %(side)s agency cannot record an event marked %(rel)s: its own side could "
                "not read it."
            ),
        ),
        (
            r"occurred_at (?P<when>\S+) is in the future \(server time (?P<now>\S+), allowed "
            r"clock skew (?P<skew>\d+) s\)",
            N_(
                "The time of the event (%(when)s) is in the future: server time %(now)s, "
                "%(skew)s s of clock difference allowed."
            ),
        ),
        (
            r"field '(?P<field>[^']+)': Input should be less than or equal to (?P<limit>[-\d.]+)",
            N_("%(field)s: the value must be at most %(limit)s."),
        ),
        (
            r"field '(?P<field>[^']+)': Input should be greater than or equal to "
            r"(?P<limit>[-\d.]+)",
            N_("%(field)s: the value must be at least %(limit)s."),
        ),
        (
            r"this Idempotency-Key was already used for a different request; use a new key for a "
            r"new request \(nothing appended\)",
            N_(
                "This form was already sent with other values: open the form again (nothing was "
                "recorded)."
            ),
        ),
        (
            r"the batch clashes with the log; nothing appended",
            N_("This clashes with what is already recorded; nothing was recorded."),
        ),
    )
)


@dataclass(frozen=True)
class Words:
    text: str
    translated: bool  # False: the domain's English, to be marked lang="en"


def error_words(message: str) -> Words:
    """The message in the current page language when its shape is known, else as it is."""
    for pattern, words in PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            return Words(gettext(words) % found.groupdict(), True)
    return Words(message, False)
