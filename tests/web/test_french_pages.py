"""Pages in French show no English from the domain or the charts: errors raised in English by
the domain (access, rules, not found) are translated at the web boundary, chart texts too."""

from __future__ import annotations

from lxml import html

from manche.record.log import Log
from tests.api.conftest import World
from tests.web.conftest import form_token, sign_in

FRENCH = {"accept": "text/html", "accept-language": "fr-FR,fr;q=0.9"}

# phrases of the domain's English messages and of the charts (as they were before translation)
ENGLISH = (
    "needs the role",
    "visible to",
    "is in the future",
    "Input should be",
    "must be releasable to both sides",
    "whoever can help must know",
    "events are always shared",
    "cannot record events as",
    "mandate does not cover",
    "Small boat arrivals",
    "People arrived",
    "provisional daily figures",
    "Crown copyright, Open Government Licence v3.0. Chart",
)


def _no_english(text: str, where: str) -> None:
    found = [phrase for phrase in ENGLISH if phrase in text]
    assert not found, f"{where}: English left in a French page: {found}"


def test_every_page_and_chart_in_french_has_no_domain_or_chart_english(web: World) -> None:
    client = web.client
    sign_in(client, "fr-operator")
    client.cookies.set("manche_lang", "fr")
    for url in ("/", "/statistics", "/picture", "/record", "/record/new", "/intelligence"):
        response = client.get(url, headers=FRENCH)
        assert response.status_code == 200, url
        _no_english(response.text, url)
    statistics = html.fromstring(client.get("/statistics", headers=FRENCH).text)
    for src in statistics.xpath("//figure[@class='chart']/img/@src"):
        _no_english(client.get(src).text, src)

    # a UK-only incident: 404 as in the API, its message in French
    hidden = client.get("/incidents/INC-uk-only", headers=FRENCH)
    assert hidden.status_code == 404
    _no_english(hidden.text, "404")
    assert "pas d\u2019incident INC-uk-only visible des utilisateurs FR" in hidden.text
    # an operator on the admin page: 403, the role it needs, in French
    refused = client.get("/admin", headers=FRENCH)
    assert refused.status_code == 403
    _no_english(refused.text, "403")
    assert "Il faut pour cela le rôle admin ; fr-operator a : operator." in refused.text


def test_a_refusal_by_the_rules_on_the_form_is_in_french(web: World) -> None:
    client = web.client
    sign_in(client, "fr-operator")
    client.cookies.set("manche_lang", "fr")
    before = Log(web.db).size()
    for fields, field, words in (
        (  # a distress must be shared (domain rule), refused on the releasability field
            {"type": "distress", "kinds": "signalled", "releasability": "fr-only"},
            "#releasability",
            "Un événement distress est toujours partagé",
        ),
        (  # a latitude past 90 passes the form's number check and is refused by the domain
            {"lat": "95"},
            "#lat",
            "position.lat : la valeur doit être au plus 90.",
        ),
    ):
        form = client.get("/record/new", headers=FRENCH).text
        data = {
            "csrf": form_token(form),
            "key": form_token(form, "key"),
            "type": "sighting",
            "occurred_at": "2026-11-23T09:45",
            "source": "drone",
            "lat": "50.95",
            "lon": "1.62",
            "releasability": "shared",
            **fields,
        }
        response = client.post("/record/new", data=data, headers=FRENCH, follow_redirects=False)
        assert response.status_code in (400, 422), response.text
        page = html.fromstring(response.text)
        summary = page.xpath("//div[@class='error-summary']//a")[0]
        assert summary.get("href") == field
        assert words in summary.text_content()
        assert not summary.xpath(".//*[@lang='en']")  # translated, so not marked English
        _no_english(response.text, field)
    assert Log(web.db).size() == before  # nothing stored


def test_an_unknown_message_is_shown_as_it_is_marked_english(web: World) -> None:
    from manche.web.error_words import error_words

    words = error_words("something the web does not know about")
    assert words == type(words)("something the web does not know about", False)
