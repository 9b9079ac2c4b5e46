"""Finding topics over HTTP: the forgiving search at /api/search, languages per topic
(``translation_of``), one handout's PDF, the packet's plan and its mistakes as JSON, and the
HL7 Infobutton answer an EHR gets at /infobutton (JSON, the Atom feed, and a page)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from fixtures import (
    AMI,
    ESPALDA,
    KNEE,
    KNEE_ES,
    KNEE_ZH,
    LONG,
    coded_library,
    flat,
    pdf_pages,
    run_cli,
)
from handout_builder import frontdesk as web
from handout_builder.frontdesk.catalogue import Catalogue
from handout_builder.frontdesk.words import ENGLISH, catalogues

ATOM = "{http://www.w3.org/2005/Atom}"
ICD = "2.16.840.1.113883.6.90"
SNOMED = "2.16.840.1.113883.6.96"
RXNORM = "2.16.840.1.113883.6.88"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    library = coded_library(tmp_path_factory.mktemp("handouts"))
    return web.create_app(Catalogue([library])).test_client()


def search(client: FlaskClient, query: str, **more: str) -> dict:
    response = client.get("/api/search", query_string={"q": query, **more})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("amitryptiline", AMI),  # a common misspelling
        ("Elavil 10mg", AMI),  # a brand name with its dose
        ("amitrip", AMI),  # the start of a word
        ("stenosis", AMI),  # a condition word
        ("M48.062", AMI),  # a more specific ICD-10-CM code than the topic's M48.06
        ("704", AMI),  # an RxNorm code
        ("kne pian", KNEE),  # two mistakes
        ("rodilla", KNEE),  # a word of its Spanish translation finds the topic
        ("sciatica", LONG),
    ],
)
def test_search_forgives_and_ranks(client: FlaskClient, query: str, first: str) -> None:
    data = search(client, query)
    assert data["results"], data
    assert data["results"][0]["id"] == first
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 100 for s in scores)


def test_search_results_carry_what_the_page_shows(client: FlaskClient) -> None:
    data = search(client, "knee")
    (knee,) = data["results"]
    assert knee == {
        "id": KNEE,
        "title": "Knee pain basics",
        "languages": [
            {"code": "en", "name": "English"},
            {"code": "es", "name": "Español"},
            {"code": "zh", "name": "中文"},
        ],
        "pages": 1,
        "score": 100,
    }
    assert data["total"] == 4  # one row per topic: translations are not topics of their own
    assert not data["partial"] and data["did_you_mean"] is None


def test_a_misspelling_gets_a_did_you_mean(client: FlaskClient) -> None:
    data = search(client, "amitryptiline")
    assert data["did_you_mean"] == "Amitriptyline"
    assert search(client, "Amitriptyline")["did_you_mean"] is None


def test_nothing_found_says_so_and_the_page_offers_a_way_back(client: FlaskClient) -> None:
    data = search(client, "xyzzy plugh")
    assert data["results"] == [] and data["ignored"] == ["xyzzy", "plugh"]
    page = client.get("/", query_string={"q": "xyzzy"}).text
    assert 'id="nothing"' in page and 'id="nothing" hidden' not in page
    assert '<a id="show-all" href="/">show all topics</a>' in flat(page)


def test_a_near_miss_with_no_match_suggests_a_word(client: FlaskClient) -> None:
    data = search(client, "sciatca")  # one letter short: still found
    assert data["results"][0]["id"] == LONG
    data = search(client, "zciatikka")  # too far to match, close enough to suggest
    assert data["results"] == [] and data["did_you_mean"] == "sciatica"


def test_words_on_no_single_topic_give_the_closest_marked_partial(client: FlaskClient) -> None:
    data = search(client, "knee elavil")
    assert {r["id"] for r in data["results"]} == {AMI, KNEE}
    assert data["partial"]


def test_search_filters_by_tag_and_language(client: FlaskClient) -> None:
    assert [r["id"] for r in search(client, "", lang="zh")["results"]] == [KNEE]
    assert {r["id"] for r in search(client, "", tag="back-pain")["results"]} == {
        AMI,
        ESPALDA,
        LONG,
    }


def test_the_page_lists_each_topic_once_with_its_languages_by_their_own_names(
    client: FlaskClient,
) -> None:
    page = client.get("/").text
    assert page.count('name="topic"') == 4
    assert f'value="{KNEE_ES}"' in page and f'value="{KNEE_ZH}"' in page
    assert '<option value="dolor-de-rodilla" lang="es" data-pages="1" >Español</option>' in page
    assert 'lang="zh" data-pages="1" >中文</option>' in page


def test_a_packet_uses_the_language_chosen_for_each_topic(client: FlaskClient) -> None:
    response = client.post(
        "/packet",
        data={"topic": [AMI, KNEE], f"version-{KNEE}": KNEE_ES, f"version-{AMI}": KNEE_ES},
    )
    assert response.status_code == 200
    pages = pdf_pages(response.data)
    assert "Dolor de rodilla: lo básico" in flat(pages[0])
    assert "Amitriptyline for spinal stenosis" in flat(pages[1])  # not a version of AMI: ignored
    assert "Dolor de rodilla" in flat(pages[3])  # after the two pages of AMI


def test_the_plan_counts_pages_and_sheets_before_printing(client: FlaskClient) -> None:
    response = client.post("/api/plan", data={"topic": [AMI, LONG], "patient": "Ann"})
    assert response.status_code == 200
    plan = response.get_json()
    assert plan["pages"] == 6 and plan["cover_pages"] == 1
    assert [(t["id"], t["pages"]) for t in plan["topics"]] == [(AMI, 2), (LONG, 3)]
    assert plan["sheets"] == {"one_sided": 6, "two_sided": 3}
    made = client.post("/packet", data={"topic": [AMI, LONG], "patient": "Ann"})
    assert made.headers["X-Packet-Pages"] == "6" and len(pdf_pages(made.data)) == 6


def test_a_script_gets_each_mistake_with_its_field_never_a_pdf(client: FlaskClient) -> None:
    response = client.post(
        "/packet",
        data={"topic": [KNEE], "patient": "Ann \U0001d11e", "date": "someday", "from": "x" * 101},
        headers={"Accept": "application/pdf, application/json"},
    )
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    errors = response.get_json()["errors"]
    assert [e["field"] for e in errors] == ["patient", "from", "date"]
    assert "cannot be printed: \U0001d11e" in errors[0]["message"]
    assert "Please remove them" in errors[0]["message"]


def test_without_a_script_the_mistakes_sit_beside_their_fields(client: FlaskClient) -> None:
    response = client.post("/packet", data={"topic": [KNEE], "patient": "Ann \U0001d11e"})
    assert response.status_code == 400
    page = response.text
    assert 'id="patient-error" class="field-error" >' in page
    assert "cannot be printed: \U0001d11e" in page
    assert 'aria-describedby="patient-error"' in page


def test_one_handout_pdf_is_served_by_id(client: FlaskClient) -> None:
    response = client.get(f"/handouts/{KNEE_ES}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Dolor de rodilla" in flat(pdf_pages(response.data)[0])
    assert client.get("/handouts/nope.pdf").status_code == 404
    assert client.get(f"/handouts/{KNEE}.pdf?paper=legal").status_code == 400


def infobutton(client: FlaskClient, **params: str) -> FlaskClient:
    return client.get("/infobutton", query_string=params)


def test_infobutton_json_finds_a_topic_from_a_more_specific_icd_code(client: FlaskClient) -> None:
    response = infobutton(
        client,
        **{
            "mainSearchCriteria.v.c": "M48.062",
            "mainSearchCriteria.v.cs": ICD,
            "mainSearchCriteria.v.dn": "Spinal stenosis, lumbar region, with neurogenic "
            "claudication",
            "knowledgeResponseType": "application/json",
        },
    )
    assert response.status_code == 200
    feed = response.get_json()["feed"]
    assert [e["id"] for e in feed["entry"]] == [AMI]
    entry = feed["entry"][0]
    assert entry["link"]["href"] == f"http://localhost/handouts/{AMI}.pdf"
    assert entry["matched"] == {"code": "M48.062", "system": "icd-10-cm", "by": "code"}
    assert {"scheme": "mainSearchCriteria.v.cs", "term": ICD} in feed["category"]


@pytest.mark.parametrize(
    ("code", "oid", "found"),
    [
        ("704", RXNORM, [AMI]),
        ("18347007", SNOMED, [AMI]),
        ("M17.11", ICD, [KNEE]),
        ("m1711", ICD, [KNEE]),  # as some EHRs send it
        ("M48.06", None, [AMI]),  # no system: any
        ("704", SNOMED, []),  # the right code in the wrong system
        ("M48", ICD, []),  # less specific than the topic's code
    ],
)
def test_infobutton_by_system(
    client: FlaskClient, code: str, oid: str | None, found: list[str]
) -> None:
    params = {"mainSearchCriteria.v.c": code, "knowledgeResponseType": "application/json"}
    if oid:
        params["mainSearchCriteria.v.cs"] = oid
    feed = infobutton(client, **params).get_json()["feed"]
    assert [e["id"] for e in feed["entry"]] == found


def test_infobutton_atom_feed_in_the_patients_language(client: FlaskClient) -> None:
    response = infobutton(
        client,
        **{
            "mainSearchCriteria.v.c": "M17.11",
            "mainSearchCriteria.v.cs": ICD,
            "informationRecipient.languageCode.c": "es-MX",
            "knowledgeResponseType": "text/xml",
        },
    )
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    terms = {c.get("scheme"): c.get("term") for c in feed.iter(f"{ATOM}category")}
    assert terms["mainSearchCriteria.v.c"] == "M17.11"
    assert terms["informationRecipient.languageCode.c"] == "es-MX"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Dolor de rodilla: lo básico"
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("hreflang") == "es" and link.get("type") == "application/pdf"
    pdf = infobutton_pdf(client, link.get("href") or "")
    assert "Dolor de rodilla" in flat(pdf_pages(pdf)[0])


def infobutton_pdf(client: FlaskClient, href: str) -> bytes:
    response = client.get(href.removeprefix("http://localhost"))
    assert response.status_code == 200
    return response.data


def test_infobutton_falls_back_to_the_source_language(client: FlaskClient) -> None:
    params = {
        "mainSearchCriteria.v.c": "704",
        "mainSearchCriteria.v.cs": RXNORM,
        "informationRecipient.languageCode.c": "es",
        "knowledgeResponseType": "application/json",
    }
    (entry,) = infobutton(client, **params).get_json()["feed"]["entry"]
    assert entry["id"] == AMI and entry["language"] == "en"


def test_infobutton_finds_by_name_when_no_topic_has_the_code(client: FlaskClient) -> None:
    params = {
        "mainSearchCriteria.v.c": "M54.31",
        "mainSearchCriteria.v.cs": ICD,
        "mainSearchCriteria.v.dn": "Sciatica, right side",
        "knowledgeResponseType": "application/json",
    }
    (entry,) = infobutton(client, **params).get_json()["feed"]["entry"]
    assert entry["id"] == LONG and entry["matched"]["by"] == "name"


def test_infobutton_page_for_a_person(client: FlaskClient) -> None:
    response = infobutton(
        client,
        **{
            "mainSearchCriteria.v.c": "M17",
            "mainSearchCriteria.v.cs": ICD,
            "informationRecipient.languageCode.c": "zh",
        },
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert f'href="http://localhost/handouts/{KNEE_ZH}.pdf" hreflang="zh"' in response.text
    assert "ICD-10-CM M17" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Send the code to look up as mainSearchCriteria.v.c"),
        (
            {
                "mainSearchCriteria.v.c": "724.02",
                "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.103",
            },
            "The code system 2.16.840.1.113883.6.103 is not one this server knows; send one of: "
            "2.16.840.1.113883.6.90 (ICD-10-CM)",
        ),
        (
            {"mainSearchCriteria.v.c": "M17", "knowledgeResponseType": "application/pdf"},
            "knowledgeResponseType 'application/pdf' is not supported",
        ),
    ],
)
def test_infobutton_mistakes_say_what_to_send(
    client: FlaskClient, params: dict, message: str
) -> None:
    response = infobutton(client, **params)
    assert response.status_code == 400
    assert message in response.text


def test_the_pages_own_words_come_from_catalogues(tmp_path: Path) -> None:
    """Like the leaflets' words: English in words.py, other languages in .po catalogues, each
    with every word and its {placeholders}."""
    assert "es" in catalogues()
    for catalogue in catalogues().values():
        assert set(catalogue.labels) == set(ENGLISH), catalogue.language
        for key, english in ENGLISH.items():
            wanted = set(re.findall(r"\{\w+\}", english))
            assert set(re.findall(r"\{\w+\}", catalogue.labels[key])) == wanted, key
    library = coded_library(tmp_path / "handouts")
    client = web.create_app(Catalogue([library]), page_language="es-MX").test_client()
    page = client.get("/").text
    assert '<html lang="es-MX">' in page
    assert '<label for="q">Buscar temas</label>' in page
    assert ">Imprimir</button>" in page and ">Siguiente paciente</button>" in page
    assert "tras 3 minutos sin uso" in page
    assert '"tick_first": "Marque primero al menos un tema."' in page
    nothing = client.get("/", query_string={"q": "zzqqxx"}).text
    assert 'Ningún tema coincide con «<span id="nothing-query">zzqqxx</span>»' in nothing
    result = run_cli("serve", "--page-language", "fr", library)
    assert result.exit_code == 2
    assert "the page has no words in 'fr' yet; it has: en, es" in result.stderr
