"""The front-desk web application (Flask): the page, the search, and the packet it prints.

Takes a ``Catalogue``; gives a WSGI application with two routes: ``GET /`` lists the topics
(filtered by ``q``, ``tag`` and ``lang`` when JavaScript is off; the page's script filters as you
type) and ``POST /packet`` returns the packet PDF, inline for Print or as an attachment for
Download. The patient's name and note come only in the POST body and go straight to
``build_bundle``; they are never logged, stored or cached. Every response is ``no-store``; the log
has method, path, status and time, never a query string or a form field. Errors are logged by
type and place only, since an exception message could quote what the user typed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from typing import Any

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
    "Referrer-Policy": "no-referrer",
}
WEB_FONTS = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def create_app(catalogue: Catalogue) -> Flask:
    """The application serving ``catalogue``; see the module docstring."""
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        TEMPLATES_AUTO_RELOAD=False,
    )

    @app.before_request
    def _start_clock() -> None:
        g.started = time.perf_counter()

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
            unavailable = [t for t in catalogue.topics() if t.id in chosen and not t.available]
            reasons = [f"{t.title}: {t.reason}" for t in unavailable] or [
                f"A chosen topic is unavailable: {p}" for p in exc.problems
            ]
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
        drafts=catalogue.drafts,
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
