"""HL7 Infobutton lookup: an EHR asks by code, the front desk answers with the matching handouts.

Takes the parameters of a URL-based Infobutton knowledge request (HL7 Version 3 Implementation
Guide: URL-Based Implementations of the Context-Aware Information Retrieval (Infobutton)
Domain), as MedlinePlus Connect takes them:

- ``mainSearchCriteria.v.c``: the code (repeatable, each with its own ``.v.cs`` and ``.v.dn``);
- ``mainSearchCriteria.v.cs``: the code system's OID (ICD-10-CM, SNOMED CT, RxNorm; see
  ``codes``), optional: without it a code is looked for in every system;
- ``mainSearchCriteria.v.dn``: the code's name, used to search titles and names when no
  handout carries the code;
- ``informationRecipient.languageCode.c``: the language wanted (``es``, ``en-US``);
- ``knowledgeResponseType``: ``text/xml`` or ``application/atom+xml`` (an Atom feed shaped as
  the Infobutton service-oriented implementation guide shapes it), ``application/json``, or
  ``text/html`` (a page a person reads; the default).

Gives the matching topics, each in the language asked for when a translation exists (else its
own), with the address of its PDF. Holds no patient data: a request carries codes only.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from handout_builder.codes import BY_OID, SYSTEMS, any_covers, normal_form
from handout_builder.frontdesk.catalogue import Catalogue, Topic

ATOM = "http://www.w3.org/2005/Atom"
RESPONSE_TYPES = {
    "text/html": "html",
    "text/xml": "atom",
    "application/atom+xml": "atom",
    "application/json": "json",
}
MAX_CRITERIA = 20


class InfobuttonError(ValueError):
    """A request that cannot be answered as asked; the message says what to send instead."""


@dataclass(frozen=True)
class Criterion:
    """One thing asked about: a code, its system (None: any) and its name."""

    code: str
    system: str | None
    display: str = ""


@dataclass(frozen=True)
class KnowledgeRequest:
    criteria: tuple[Criterion, ...]
    language: str
    response: str  # "html", "atom" or "json"


@dataclass(frozen=True)
class Answer:
    """One topic that answers a criterion, in the language chosen for the reader."""

    topic: Topic
    criterion: Criterion
    by: str  # "code" or "name"

    @property
    def language(self) -> str:
        return self.topic.language


def parse_request(get: Callable[[str], list[str]]) -> KnowledgeRequest:
    """The knowledge request in query parameters (``get(name)`` gives every value of one).
    Raises ``InfobuttonError`` for a request without a code, or with an unknown system or
    response type."""
    codes = [c.strip() for c in get("mainSearchCriteria.v.c")]
    oids = [c.strip() for c in get("mainSearchCriteria.v.cs")]
    names = [c.strip() for c in get("mainSearchCriteria.v.dn")]
    if not any(codes) and not any(names):
        raise InfobuttonError(
            "Send the code to look up as mainSearchCriteria.v.c (and its system's OID as "
            "mainSearchCriteria.v.cs), e.g. ?mainSearchCriteria.v.c=M48.062"
            "&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90"
        )
    if len(codes) > MAX_CRITERIA:
        raise InfobuttonError(f"Send at most {MAX_CRITERIA} codes in one request.")
    criteria = []
    for i in range(max(len(codes), len(names))):
        oid = oids[i] if i < len(oids) else ""
        system = None
        if oid:
            found = BY_OID.get(oid)
            if found is None:
                known = ", ".join(f"{s.oid} ({s.title})" for s in SYSTEMS.values())
                raise InfobuttonError(
                    f"The code system {oid} is not one this server knows; send one of: {known}."
                )
            system = found.name
        code = codes[i] if i < len(codes) else ""
        name = names[i] if i < len(names) else ""
        criteria.append(Criterion(normal_form(system, code) if system else code, system, name))
    wanted = (get("knowledgeResponseType") or ["text/html"])[0].strip().lower()
    if wanted not in RESPONSE_TYPES:
        raise InfobuttonError(
            f"knowledgeResponseType {wanted!r} is not supported; send one of: "
            f"{', '.join(RESPONSE_TYPES)}."
        )
    language = (get("informationRecipient.languageCode.c") or [""])[0].strip()
    return KnowledgeRequest(tuple(criteria), language, RESPONSE_TYPES[wanted])


def answer(
    catalogue: Catalogue,
    request: KnowledgeRequest,
    by_name: Callable[[str], list[Topic]] | None = None,
) -> list[Answer]:
    """The topics that answer ``request``, each once, in the order of its criteria: first those
    carrying a matching code (in any of their translations), then, for a criterion no code
    matched, those ``by_name`` finds for its display name."""
    answers: list[Answer] = []
    seen: set[str] = set()
    rows = [row for row in catalogue.rows() if any(t.available for t in row)]
    for criterion in request.criteria:
        found = False
        if criterion.code:
            for row in rows:
                codes = {(c.system, c.code) for t in row if t.handout for c in t.handout.codes}
                if any_covers(codes, criterion.code, criterion.system):
                    found = True
                    _add(answers, seen, row, criterion, "code", request.language)
        if not found and criterion.display and by_name is not None:
            for topic in by_name(criterion.display):
                for row in rows:
                    if any(t.id == topic.id for t in row):
                        _add(answers, seen, row, criterion, "name", request.language)
    return answers


def _add(
    answers: list[Answer],
    seen: set[str],
    row: list[Topic],
    criterion: Criterion,
    by: str,
    language: str,
) -> None:
    if row[0].id in seen:
        return
    seen.add(row[0].id)
    answers.append(Answer(in_language([t for t in row if t.available], language), criterion, by))


def in_language(versions: list[Topic], language: str) -> Topic:
    """The version in ``language`` ('es-MX' takes 'es' and the other way round), else the
    first (the source)."""
    wanted = language.lower()
    for match in (
        lambda t: t.language.lower() == wanted,
        lambda t: t.language.split("-")[0].lower() == wanted.split("-")[0],
    ):
        found = next((t for t in versions if wanted and match(t)), None)
        if found:
            return found
    return versions[0]


def as_json(
    request: KnowledgeRequest, answers: list[Answer], pdf_url: Callable[[Topic], str]
) -> dict:
    """The answer as JSON: the Atom feed's fields as plain keys."""
    return {
        "feed": {
            "title": "Patient handouts",
            "subtitle": _subtitle(request),
            "updated": _now(),
            "category": _categories(request),
            "entry": [
                {
                    "id": a.topic.id,
                    "title": a.topic.title,
                    "summary": a.topic.summary,
                    "language": a.language,
                    "pages": a.topic.pages,
                    "matched": {"code": a.criterion.code, "system": a.criterion.system, "by": a.by},
                    "link": {"href": pdf_url(a.topic), "type": "application/pdf"},
                }
                for a in answers
            ],
        }
    }


def as_atom(
    request: KnowledgeRequest,
    answers: list[Answer],
    pdf_url: Callable[[Topic], str],
    feed_id: str,
) -> bytes:
    """The answer as an Atom feed: the request's context as ``category`` elements (scheme is
    the parameter's name), one ``entry`` per topic with an ``alternate`` link to its PDF."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    if request.language:
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", request.language)
    _text(feed, "title", "Patient handouts")
    _text(feed, "subtitle", _subtitle(request))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "handout-builder")
    _text(feed, "updated", _now())
    _text(feed, "id", feed_id)
    for category in _categories(request):
        ET.SubElement(feed, f"{{{ATOM}}}category", category)
    for a in answers:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        entry.set("{http://www.w3.org/XML/1998/namespace}lang", a.language)
        _text(entry, "title", a.topic.title)
        link = ET.SubElement(entry, f"{{{ATOM}}}link")
        link.attrib.update(
            {
                "rel": "alternate",
                "type": "application/pdf",
                "hreflang": a.language,
                "title": a.topic.title,
                "href": pdf_url(a.topic),
            }
        )
        _text(entry, "id", pdf_url(a.topic))
        _text(entry, "updated", _now())
        _text(entry, "summary", a.topic.summary)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data


def _text(parent: ET.Element, name: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = text


def _categories(request: KnowledgeRequest) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for c in request.criteria:
        out.append({"scheme": "mainSearchCriteria.v.c", "term": c.code})
        if c.system:
            out.append({"scheme": "mainSearchCriteria.v.cs", "term": SYSTEMS[c.system].oid})
        if c.display:
            out.append({"scheme": "mainSearchCriteria.v.dn", "term": c.display})
    if request.language:
        out.append({"scheme": "informationRecipient.languageCode.c", "term": request.language})
    return out


def _subtitle(request: KnowledgeRequest) -> str:
    return "Handouts for " + "; ".join(_describe(c) for c in request.criteria)


def _describe(c: Criterion) -> str:
    system = SYSTEMS[c.system].title + " " if c.system else ""
    name = f" ({c.display})" if c.display and c.code else c.display
    return f"{system}{c.code}{name}"


def describe(request: KnowledgeRequest) -> list[str]:
    """Each criterion in words, for the page."""
    return [_describe(c) for c in request.criteria]


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
