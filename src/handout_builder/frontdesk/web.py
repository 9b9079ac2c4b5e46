"""The front-desk web application (Flask): the page, the search, and the packet it prints.

Takes a ``Catalogue`` (and optionally a ``UsageLog`` and the minutes after which an idle form
clears itself); gives a WSGI application:

- ``GET /`` lists the topics, one row per topic with its languages (searched on the server by
  ``q``, ``tag`` and ``lang`` when JavaScript is off);
- ``GET /api/search?q=`` the same search as JSON, for the page's script and anyone else;
- ``POST /api/plan`` how many pages and sheets the packet will have, before printing;
- ``POST /packet`` the packet PDF, inline for Print or as an attachment for Download; a script
  asking for JSON gets its mistakes as JSON, each with the form field it is about;
- ``GET /handouts/<id>.pdf`` one handout (no patient data in it);
- ``GET /infobutton`` the HL7 Infobutton answer for an EHR (see ``infobutton``).

Requests addressed to a host name it does not answer to (DNS rebinding) get 400, and a POST from
another site's page (a cross-site form) gets 403 (see ``create_app``). The patient's name and note
come only in the POST body and go straight to ``build_bundle``;
they are never logged, stored or cached (the usage log has topics, languages and layout only).
Every response is ``no-store``; the log has method, path, status and time, never a query string
or a form field. Errors are logged by
type and place only, since an exception message could quote what the user typed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    g,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from handout_builder.errors import HandoutError, PacketError, UsageError
from handout_builder.frontdesk import infobutton
from handout_builder.frontdesk.catalogue import Catalogue, Topic
from handout_builder.frontdesk.languages import own_name
from handout_builder.frontdesk.packet import (
    MAX_FROM,
    MAX_NAME,
    MAX_NOTE,
    MAX_TOPICS,
    build_bundle,
    plan_bundle,
)
from handout_builder.frontdesk.search import Found, SearchIndex
from handout_builder.frontdesk.server import MAX_REQUEST_BYTES
from handout_builder.frontdesk.usage import UsageLog
from handout_builder.frontdesk.words import page_languages, script_words, words_for
from handout_builder.look.fonts import font_dir
from handout_builder.look.theme import PAPER

log = logging.getLogger("handout_builder.frontdesk")

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    # Nothing is sent to other sites; the page's own form posts say where they come from
    # (with "no-referrer" a browser sends "Origin: null" even from the page itself).
    "Referrer-Policy": "same-origin",
}
WEB_FONTS = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
"""The names the front desk answers to unless told others (``allowed_hosts``)."""
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SAME_SITE = frozenset({"same-origin", "none"})  # Sec-Fetch-Site values a form of ours sends


def allowed_hosts(host: str = "127.0.0.1", extra: Iterable[str] = ()) -> list[str]:
    """The host names the front desk answers to when it listens on ``host``: the loopback names,
    ``host`` itself (unless it is a wildcard such as 0.0.0.0, which no one types), and ``extra``
    (``--allowed-host``: the name or address other computers use to reach it)."""
    names = [*LOOPBACK_NAMES, *([] if host in WILDCARD_ADDRESSES else [host]), *extra]
    return list(dict.fromkeys(filter(None, map(host_name, names))))


def host_name(host: str) -> str:
    """A ``Host`` header or a host as typed, without its port, in lower case: ``[::1]:8000`` ->
    ``::1``, ``Clinic.Example:80`` -> ``clinic.example``."""
    host = host.strip().lower()
    if host.startswith("["):  # an IPv6 address, with or without a port
        return host[1 : host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:  # a name or IPv4 address with a port
        host = host.split(":", 1)[0]
    return host.rstrip(".")


IDLE_MINUTES = 3.0
"""The form clears itself after this many minutes without use (``serve --idle-clear``)."""


def create_app(
    catalogue: Catalogue,
    hosts: Iterable[str] | None = None,
    *,
    usage_log: UsageLog | None = None,
    idle_minutes: float = IDLE_MINUTES,
    page_language: str = "en",
) -> Flask:
    """The application serving ``catalogue``; see the module docstring. The page's own words
    are in ``page_language`` (``words``); raises ``UsageError`` for a language without them.
    It answers only requests addressed to one of ``hosts`` (``allowed_hosts()`` by default), so
    a page on another site cannot reach it by pointing its own name at this computer (DNS
    rebinding), and takes a POST only from its own page (see ``_from_another_site``)."""
    answered = frozenset(host_name(h) for h in (allowed_hosts() if hosts is None else hosts))
    found = words_for(page_language)
    if found is None:
        raise UsageError(
            f"the page has no words in '{page_language}' yet; it has: "
            + ", ".join(page_languages())
        )
    words: dict[str, str] = found
    app = Flask(__name__)

    @app.context_processor
    def _page_words() -> dict[str, Any]:
        minutes = int(idle_minutes) if idle_minutes == int(idle_minutes) else idle_minutes
        return {
            "w": words,
            "js_words": script_words(words),
            "page_language": page_language,
            "idle_words": words["js_minute_one"]
            if minutes == 1
            else words["js_minute_many"].format(n=minutes),
        }

    app.config.update(
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        TEMPLATES_AUTO_RELOAD=False,
    )

    @app.before_request
    def _start_clock() -> Any:
        g.started = time.perf_counter()
        if host_name(request.host) not in answered:
            names = ", ".join(sorted(answered))
            return Response(
                f"This front desk answers only as {names}. To reach it by another name, start "
                "it with --allowed-host NAME.\n",
                status=400,
                mimetype="text/plain",
            )
        if request.method not in SAFE_METHODS and _from_another_site():
            return _page(  # the page itself, from which a packet can be printed
                catalogue,
                catalogue.topics(),
                errors=[
                    "This request came from another web site and was refused. Open the front "
                    "desk page itself and print from there."
                ],
                status=403,
            )
        return None

    @app.after_request
    def _headers_and_log(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = PAGE_POLICY
        ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info("%s %s %d %.0f ms", request.method, request.path, response.status_code, ms)
        return response

    @app.errorhandler(Exception)
    def _failed(exc: Exception) -> Any:
        if isinstance(exc, HTTPException):
            return exc
        frames = traceback.extract_tb(exc.__traceback__)
        where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames[::-1])
        log.error(
            "%s %s failed with %s at %s", request.method, request.path, type(exc).__name__, where
        )
        return _page(
            catalogue,
            [],
            errors=["Something went wrong on the server. Nothing was saved; please try again."],
            status=500,
        )

    @app.get("/")
    def index() -> Any:
        try:
            topics = catalogue.refresh()
        except (HandoutError, UsageError) as exc:
            return _page(
                catalogue, [], errors=[f"The handout library cannot be read: {exc}"], status=503
            )
        return _page(
            catalogue,
            topics,
            query=request.args.get("q", ""),
            tag=request.args.get("tag", ""),
            language=request.args.get("lang", ""),
            idle_minutes=idle_minutes,
        )

    @app.get("/api/search")
    def api_search() -> Any:
        """Topics for ``q`` (and ``tag``, ``lang``), best first, as JSON."""
        try:
            catalogue.refresh()
        except (HandoutError, UsageError):
            return jsonify({"error": "The handout library cannot be read."}), 503
        query = request.args.get("q", "")[:200]
        found = _search(catalogue, query, request.args.get("tag", ""), request.args.get("lang", ""))
        return jsonify(
            {
                "query": query,
                "total": len(catalogue.rows()),
                "partial": found.partial,
                "ignored": found.ignored,
                "did_you_mean": found.did_you_mean,
                "results": [
                    {
                        "id": hit.topic.id,
                        "title": hit.topic.title,
                        "languages": [
                            {"code": code, "name": own_name(code)} for code in hit.languages
                        ],
                        "pages": hit.topic.pages,
                        "score": hit.score,
                    }
                    for hit in found.hits
                ],
            }
        )

    @app.post("/api/plan")
    def api_plan() -> Any:
        """How many pages and sheets the packet in the form will take (nothing is kept)."""
        form = request.form
        try:
            catalogue.refresh()
            plan = plan_bundle(_chosen(catalogue, form), catalogue, **_packet_options(form))
        except PacketError as exc:
            return _json_errors(exc.fields, exc.reasons)
        except (HandoutError, UsageError) as exc:
            return _json_errors(["topic"], [_unavailable(exc)], 409)
        return jsonify(
            {
                "pages": plan.pages,
                "cover_pages": plan.cover_pages,
                "topics": [
                    {"id": t.id, "title": t.title, "language": t.language, "pages": part.pages}
                    for t, part in zip(plan.topics, plan.parts, strict=True)
                ],
                "sheets": {"one_sided": plan.pages, "two_sided": (plan.pages + 1) // 2},
            }
        )

    @app.get("/handouts/<topic_id>.pdf")
    def handout_pdf(topic_id: str) -> Any:
        """One handout's PDF, as it prints alone (it holds no patient data)."""
        catalogue.refresh()
        topic = catalogue.get(topic_id)
        if topic is None:
            abort(404)
        paper = request.args.get("paper") or None
        if paper is not None and paper not in PAPER:
            abort(400)
        try:
            rendered = catalogue.render(topic_id, paper)
        except HandoutError:
            return Response(
                "This handout has a problem and cannot be printed until it is fixed.\n",
                status=409,
                mimetype="text/plain",
            )
        response = Response(rendered.data, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="{topic_id}.pdf"'
        return response

    @app.get("/infobutton")
    def infobutton_request() -> Any:
        """An EHR's HL7 Infobutton knowledge request, answered with the matching handouts."""
        catalogue.refresh()
        try:
            asked = infobutton.parse_request(request.args.getlist)
        except infobutton.InfobuttonError as exc:
            return Response(str(exc) + "\n", status=400, mimetype="text/plain")

        def by_name(name: str) -> list[Topic]:
            found = _search(catalogue, name)
            return [h.topic for h in found.hits[:3] if not found.partial and h.score >= 80]

        answers = infobutton.answer(catalogue, asked, by_name)

        def pdf_url(topic: Topic) -> str:
            return url_for("handout_pdf", topic_id=topic.id, _external=True)

        if asked.response == "json":
            return jsonify(infobutton.as_json(asked, answers, pdf_url))
        if asked.response == "atom":
            feed = infobutton.as_atom(asked, answers, pdf_url, request.url)
            return Response(feed, mimetype="application/atom+xml")
        html = render_template(
            "infobutton.html",
            organisation=catalogue.brand.brand.organisation,
            asked=infobutton.describe(asked),
            answers=answers,
            pdf_url=pdf_url,
            own_name=own_name,
            language=asked.language,
        )
        return html

    @app.get("/fonts/<name>")
    def font(name: str) -> Any:
        """The page uses the leaflets' own font, served from the package (no CDN)."""
        if name not in WEB_FONTS:
            abort(404)
        response = send_from_directory(font_dir(), name, mimetype="font/ttf")
        return response

    @app.post("/packet")
    def packet() -> Any:
        form = request.form
        wants_json = _wants_json()
        filled = {
            "patient": form.get("patient", ""),
            "note": form.get("note", ""),
            "from": form.get("from", ""),
            "date": form.get("date", ""),
            "paper": form.get("paper", ""),
            "size": "large" if form.get("size") == "large" else "regular",
        }
        try:
            catalogue.refresh()
        except (HandoutError, UsageError) as exc:
            if wants_json:
                return _json_errors([""], ["The handout library cannot be read."], 503)
            return _page(
                catalogue, [], errors=[f"The handout library cannot be read: {exc}"], status=503
            )
        chosen = _chosen(catalogue, form)
        try:
            made = build_bundle(chosen, catalogue, **_packet_options(form))
        except PacketError as exc:
            if wants_json:
                return _json_errors(exc.fields, exc.reasons)
            return _page(
                catalogue,
                catalogue.topics(),
                errors=exc.reasons,
                fields=exc.fields,
                form=form,
                filled=filled,
                idle_minutes=idle_minutes,
                status=400,
            )
        except HandoutError as exc:
            unavailable = [t for t in catalogue.topics() if t.id in chosen and not t.available]
            if wants_json:
                why = [t.reason for t in unavailable] or [_unavailable(exc)]
                return _json_errors(["topic"] * len(why), why, 409)
            reasons = [f"{t.title}: {t.reason_in(words)}" for t in unavailable] or [
                f"A chosen topic is unavailable: {p}" for p in exc.problems
            ]
            return _page(
                catalogue,
                catalogue.topics(),
                errors=reasons,
                form=form,
                filled=filled,
                idle_minutes=idle_minutes,
                status=409,
            )
        action = "download" if form.get("action") == "download" else "print"
        if usage_log is not None:
            usage_log.record(
                made.topics,
                layout="large-print" if filled["size"] == "large" else "regular",
                paper=filled["paper"] or catalogue.brand.brand.paper,
                pages=made.pages,
                action=action,
            )
        disposition = "attachment" if action == "download" else "inline"
        response = Response(made.data, mimetype="application/pdf")
        response.headers["Content-Disposition"] = (
            f'{disposition}; filename="handouts-{dt.date.today().isoformat()}.pdf"'
        )
        response.headers["X-Packet-Pages"] = str(made.pages)
        return response

    return app


def _from_another_site() -> bool:
    """Whether a request that changes or makes something came from another site's page (a
    cross-site form post): by the browser's ``Sec-Fetch-Site`` when it sends one, else by its
    ``Origin``. A request with neither comes from no browser page (curl, a script), which
    cannot carry a visitor's browser along, so it is let through."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in SAME_SITE
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    # The scheme is left out: behind a proxy that ends TLS the page is https, the request http.
    return urlsplit(origin.strip().lower()).netloc != request.host.lower()


def _chosen(catalogue: Catalogue, form: MultiDict[str, str]) -> list[str]:
    """The ticked topics, each in the language chosen for it (``version-<id>`` names the
    translation to print; anything else keeps the topic itself)."""
    chosen = []
    for topic_id in form.getlist("topic"):
        version = form.get(f"version-{topic_id}", "")
        versions = {t.id for t in catalogue.versions(topic_id).values()}
        chosen.append(version if version in versions else topic_id)
    return chosen


def _packet_options(form: MultiDict[str, str]) -> dict[str, Any]:
    return {
        "patient": form.get("patient", ""),
        "note": form.get("note", ""),
        "given_by": form.get("from", ""),
        "date": form.get("date", ""),
        "paper": form.get("paper") or None,
        "large_print": form.get("size") == "large",
    }


def _wants_json() -> bool:
    """The page's script asks for the packet with ``Accept: application/pdf,
    application/json``; a plain form submission accepts HTML."""
    accept = request.accept_mimetypes
    return accept.accept_json and not accept.accept_html


def _json_errors(fields: list[str], reasons: list[str], status: int = 400) -> Any:
    errors = [{"field": f, "message": m} for f, m in zip(fields, reasons, strict=True)]
    return jsonify({"errors": errors}), status


def _unavailable(exc: HandoutError | UsageError) -> str:
    if isinstance(exc, HandoutError):
        names = sorted({p.file.rsplit("/", 1)[-1] for p in exc.problems})
        return (
            f"A chosen topic cannot be printed until its file is fixed ({', '.join(names)}). "
            "Untick it, or ask whoever looks after the handouts."
        )
    return "The handout library cannot be read. Ask whoever looks after the handouts."


def _search(catalogue: Catalogue, query: str, tag: str = "", language: str = "") -> Found:
    """The search on the catalogue's rows, only rows with ``tag`` and ``language`` (if given)."""
    rows = [
        row
        for row in catalogue.rows()
        if (not tag or any(t.handout and tag in t.handout.tags for t in row))
        and (not language or any(t.language == language for t in row))
    ]
    return SearchIndex(rows).search(query)


@dataclass(frozen=True)
class Row:
    """One topic on the page: its source, its versions by language, and the chosen one."""

    topic: Topic
    versions: list[tuple[str, str, Topic]]  # (language, its own name, the topic)
    chosen: str  # the id of the version to print

    @property
    def languages(self) -> str:
        return " ".join(code for code, _, _ in self.versions)


def _page(
    catalogue: Catalogue,
    topics: list[Topic],
    *,
    query: str = "",
    tag: str = "",
    language: str = "",
    errors: list[str] | None = None,
    fields: list[str] | None = None,
    form: MultiDict[str, str] | None = None,
    filled: dict[str, str] | None = None,
    idle_minutes: float = IDLE_MINUTES,
    status: int = 200,
) -> tuple[str, int]:
    filled = filled or {}
    form = form or MultiDict()
    handouts = [t.handout for t in topics if t.handout is not None]
    today = dt.date.today()
    field_errors: dict[str, list[str]] = {}
    general: list[str] = []
    for field, reason in zip(fields or [""] * len(errors or []), errors or [], strict=True):
        (field_errors.setdefault(field, []) if field else general).append(reason)
    rows = []
    for row in catalogue.rows() if topics else []:
        versions = [(t.language, own_name(t.language), t) for t in row if t.available]
        wanted = form.get(f"version-{row[0].id}", "")
        chosen = wanted if any(t.id == wanted for _, _, t in versions) else row[0].id
        rows.append(Row(row[0], versions, chosen))
    found = _search(catalogue, query, tag, language) if (query or tag or language) else None
    if found is not None:
        order = {hit.topic.id: i for i, hit in enumerate(found.hits)}
        rows.sort(key=lambda r: order.get(r.topic.id, len(order)))
    html = render_template(
        "index.html",
        organisation=catalogue.brand.brand.organisation,
        drafts=catalogue.drafts,
        waiting=catalogue.waiting(),
        rows=rows,
        shown={h.topic.id for h in found.hits} if found else {r.topic.id for r in rows},
        found=found,
        chosen=set(form.getlist("topic")),
        tags=sorted({tag for h in handouts for tag in h.tags}),
        languages=sorted({h.language for h in handouts}),
        own_name=own_name,
        query=query,
        tag=tag,
        language=language,
        errors=general,
        field_errors=field_errors,
        patient=filled.get("patient", ""),
        note=filled.get("note", ""),
        given_by=filled.get("from", ""),
        date=filled.get("date") or today.isoformat(),
        paper=filled.get("paper") or catalogue.brand.brand.paper,
        size=filled.get("size") or "regular",
        papers=list(PAPER),
        today=today,
        idle_minutes=idle_minutes,
        max_name=MAX_NAME,
        max_note=MAX_NOTE,
        max_from=MAX_FROM,
        max_topics=MAX_TOPICS,
    )
    return html, status
