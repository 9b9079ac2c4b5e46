"""The front-desk web application (Flask): the page, the search, and the packet it prints.

Takes a ``Catalogue`` (and the host names it answers to); gives a WSGI application with two
routes: ``GET /`` lists the topics (filtered by ``q``, ``tag`` and ``lang`` when JavaScript is off;
the page's script filters as you type) and ``POST /packet`` returns the packet PDF, inline for
Print or as an attachment for Download. Requests addressed to another host name (DNS rebinding)
get 400, and a POST from another site's page (a cross-site form) gets 403. The patient's name
and note come only in the POST body and go straight to ``build_bundle``; they are never logged,
stored or cached. Every response is ``no-store``; the log
has method, path, status and time, never a query string or a form field. Errors are logged by
type and place only, since an exception message could quote what the user typed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, render_template, request, send_from_directory
from werkzeug.exceptions import HTTPException

from handout_builder.errors import HandoutError, PacketError, UsageError
from handout_builder.frontdesk.catalogue import Catalogue, Topic
from handout_builder.frontdesk.packet import MAX_NAME, MAX_NOTE, MAX_TOPICS, build_bundle
from handout_builder.frontdesk.server import MAX_REQUEST_BYTES
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


def create_app(catalogue: Catalogue, hosts: Iterable[str] | None = None) -> Flask:
    """The application serving ``catalogue``; see the module docstring. It answers only
    requests addressed to one of ``hosts`` (``allowed_hosts()`` by default), so a page on
    another site cannot reach it by pointing its own name at this computer (DNS rebinding),
    and takes a POST only from its own page (see ``_from_another_site``)."""
    answered = frozenset(host_name(h) for h in (allowed_hosts() if hosts is None else hosts))
    app = Flask(__name__)
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
        )

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
        chosen = form.getlist("topic")
        filled = {
            "patient": form.get("patient", ""),
            "note": form.get("note", ""),
            "date": form.get("date", ""),
            "paper": form.get("paper", ""),
            "size": "large" if form.get("size") == "large" else "regular",
        }
        try:
            catalogue.refresh()
        except (HandoutError, UsageError) as exc:
            return _page(
                catalogue, [], errors=[f"The handout library cannot be read: {exc}"], status=503
            )
        try:
            made = build_bundle(
                chosen,
                catalogue,
                patient=filled["patient"],
                note=filled["note"],
                date=filled["date"],
                paper=filled["paper"] or None,
                large_print=filled["size"] == "large",
            )
        except PacketError as exc:
            return _page(
                catalogue,
                catalogue.topics(),
                errors=exc.reasons,
                chosen=chosen,
                filled=filled,
                status=400,
            )
        except HandoutError as exc:
            reasons = [f"A chosen topic is unavailable: {p}" for p in exc.problems]
            return _page(
                catalogue,
                catalogue.topics(),
                errors=reasons,
                chosen=chosen,
                filled=filled,
                status=409,
            )
        disposition = "attachment" if form.get("action") == "download" else "inline"
        response = Response(made.data, mimetype="application/pdf")
        response.headers["Content-Disposition"] = (
            f'{disposition}; filename="handouts-{dt.date.today().isoformat()}.pdf"'
        )
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


def _page(
    catalogue: Catalogue,
    topics: list[Topic],
    *,
    query: str = "",
    tag: str = "",
    language: str = "",
    errors: list[str] | None = None,
    chosen: list[str] | None = None,
    filled: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    filled = filled or {}
    handouts = [t.handout for t in topics if t.handout is not None]
    today = dt.date.today()
    html = render_template(
        "index.html",
        organisation=catalogue.brand.brand.organisation,
        topics=topics,
        shown={t.id for t in topics if t.matches(query, tag, language)},
        chosen=set(chosen or ()),
        tags=sorted({tag for h in handouts for tag in h.tags}),
        languages=sorted({h.language for h in handouts}),
        query=query,
        tag=tag,
        language=language,
        errors=errors or [],
        patient=filled.get("patient", ""),
        note=filled.get("note", ""),
        date=filled.get("date") or today.isoformat(),
        paper=filled.get("paper") or catalogue.brand.brand.paper,
        size=filled.get("size") or "regular",
        papers=list(PAPER),
        today=today,
        max_name=MAX_NAME,
        max_note=MAX_NOTE,
        max_topics=MAX_TOPICS,
    )
    return html, status
