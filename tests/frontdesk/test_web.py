"""The front-desk web application over HTTP (Flask's test client): search, packets, privacy,
broken and edited handouts."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from fixtures import (
    AMI,
    ESPALDA,
    KNEE,
    LONG,
    REPO,
    approved,
    flat,
    library_handout,
    pdf_pages,
    results,
    write_library,
    write_yaml,
)
from handout_builder import frontdesk as web
from handout_builder.frontdesk import server
from handout_builder.frontdesk.catalogue import Catalogue

NAME = "Zoë O'Brien <b>&"
NOTE = "Private note: start 10 mg on Monday"


def shown(client: FlaskClient, query: str) -> set[str]:
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    return {k for k, v in results(response.text).items() if v["shown"]}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "handouts")


@pytest.fixture
def client(library: Path) -> FlaskClient:
    return web.create_app(Catalogue([library])).test_client()


def test_page_lists_each_topic_with_summary_pages_and_review_date(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    items = results(response.text)
    assert set(items) == {AMI, KNEE, ESPALDA, LONG}
    ami = items[AMI]["text"]
    assert "Amitriptyline for spinal stenosis" in ami
    assert "How it may help and how to take it" in ami  # the subtitle
    assert "2 pages" in ami and "review due 2099-01-01" in ami
    long = items[LONG]["text"]
    assert "Paragraph 1 about living with sciatica." in long  # first overview sentence
    assert "It explains" not in long
    assert "3 pages" in long


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=elavil", {AMI}),  # a brand name of its medicine
        ("q=STENOSIS", {AMI}),  # a condition, any case
        ("q=amitriptyline", {AMI}),  # the medicine's name
        ("q=sintomas", {ESPALDA}),  # accents do not matter
        ("q=knee+basics", {KNEE}),  # every word must match
        ("q=knee+elavil", {AMI, KNEE}),  # no topic has both: those with either, marked partial
        ("q=amitryptiline", {AMI}),  # misspelt
        ("q=Elavil+10mg", {AMI}),  # a dose is set aside
        ("q=xyzzy", set()),
        ("tag=back-pain", {AMI, ESPALDA, LONG}),
        ("tag=back-pain&lang=es", {ESPALDA}),
        ("lang=en&q=", {AMI, KNEE, LONG}),
        ("", {AMI, KNEE, ESPALDA, LONG}),
    ],
)
def test_search_matches_titles_tags_conditions_and_medicine_names(
    client: FlaskClient, query: str, expected: set[str]
) -> None:
    assert shown(client, query) == expected


def test_print_serves_the_packet_inline_and_uncached(client: FlaskClient) -> None:
    response = client.post(
        "/packet",
        data={
            "topic": [AMI, KNEE],
            "patient": NAME,
            "note": NOTE,
            "date": "2025-05-06",
            "paper": "a4",
            "action": "print",
        },
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert NAME not in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    cover = flat(pages[0])
    assert f"Prepared for: {NAME}" in cover and NOTE in cover and "May 6, 2025" in cover
    assert "Amitriptyline for spinal stenosis" in pages[1]
    assert "Knee pain basics" in pages[3]  # after the two pages of the first


def test_large_print_can_be_chosen_on_the_page(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'name="size" value="large"' in page
    regular = client.post("/packet", data={"topic": [LONG], "action": "print"})
    large = client.post("/packet", data={"topic": [LONG], "size": "large", "action": "print"})
    assert regular.status_code == large.status_code == 200
    assert len(pdf_pages(large.data)) > len(pdf_pages(regular.data))


def test_download_is_an_attachment(client: FlaskClient) -> None:
    response = client.post("/packet", data={"topic": KNEE, "action": "download"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"


def test_every_page_is_uncached_and_locked_down(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_page_uses_only_files_it_ships(client: FlaskClient) -> None:
    html = client.get("/").text
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links and all(link.startswith(("/", "#", "data:")) for link in links)
    static = [link for link in links if link.startswith("/static/")]
    assert static
    for link in static:
        assert client.get(link).status_code == 200
    css = client.get("/static/style.css").text
    fonts = re.findall(r'url\("([^"]+)"\)', css)
    assert fonts
    for font in fonts:
        assert client.get(font).status_code == 200
    assert client.get("/fonts/../../etc/passwd").status_code == 404


def test_patient_data_never_reaches_the_log(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client.get("/?q=secret-search-words")
    client.post("/packet", data={"topic": [KNEE], "patient": NAME, "note": NOTE})
    client.post("/packet", data={"topic": [KNEE], "patient": NAME * 10, "note": NOTE})
    client.post("/packet?patient=Zo%C3%AB", data={"topic": ["nope"], "patient": NAME})
    logged = caplog.text
    assert "GET / 200" in logged
    assert "POST /packet 200" in logged and "POST /packet 400" in logged
    for secret in ("Zoë", "Brien", "Private note", "secret-search", "patient="):
        assert secret not in logged


def test_a_server_error_is_logged_without_what_the_user_typed(
    client: FlaskClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, patient: str = "", **kwargs: object) -> None:
        raise ValueError(f"cannot lay out {patient!r}")

    monkeypatch.setattr("handout_builder.frontdesk.web.build_bundle", fail)
    caplog.set_level(logging.DEBUG)
    response = client.post("/packet", data={"topic": [KNEE], "patient": NAME})
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "ValueError" in caplog.text and "app.py:" in caplog.text
    assert "Zoë" not in caplog.text


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({}, 400, "Choose at least one topic."),
        ({"topic": ["nope"]}, 400, "There is no topic with the id &#39;nope&#39;."),
        (
            {"topic": [KNEE], "patient": "x" * 101},
            400,
            "The name is too long: 101 characters; the limit is 100.",
        ),
        (
            {"topic": [KNEE], "note": "y" * 501},
            400,
            "The note is too long: 501 characters; the limit is 500.",
        ),
        ({"topic": [f"t{n}" for n in range(21)]}, 400, "Choose at most 20 topics (you chose 21)."),
        ({"topic": [KNEE], "date": "tomorrow"}, 400, "The date must be a real date"),
    ],
)
def test_bad_requests_get_the_page_back_with_a_clear_message(
    client: FlaskClient, form: dict, status: int, message: str
) -> None:
    form = {"patient": "Ann Lee", **form}
    response = client.post("/packet", data=form)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert message in response.text
    assert 'role="alert"' in response.text
    if len(form["patient"]) <= 100:
        assert 'value="Ann Lee"' in response.text  # nothing typed is lost


def test_markup_in_patient_text_is_escaped_on_the_page(client: FlaskClient) -> None:
    response = client.post("/packet", data={"patient": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_patient_data_is_only_accepted_in_a_post_body(client: FlaskClient) -> None:
    assert client.get("/packet?topic=knee-pain-basics&patient=Ann").status_code == 405
    too_big = client.post("/packet", data={"topic": [KNEE], "note": "z" * 70_000})
    assert too_big.status_code == 413


def test_a_broken_handout_is_listed_as_unavailable_and_the_rest_still_print(
    library: Path, client: FlaskClient
) -> None:
    (library / "broken.yaml").write_text("schema: 1\nid: broken-topic\ntitle: 5\n")
    (library / "unreadable.yaml").write_text("schema: 1\nid: [oops\n")
    write_yaml(
        library / "late.yaml",
        approved(
            library_handout("overdue-review", "Late", review_due="2026-01-01", paragraphs=1)
            | {"last_reviewed": "2025-01-01"}
        ),
    )
    items = results(client.get("/").text)
    broken = next(v for k, v in items.items() if k.startswith("broken.yaml"))
    assert not broken["available"]
    assert "Not available: its file has a mistake, so it cannot be printed." in broken["text"]
    assert "Please tell the person who looks after the handouts" in broken["text"]
    assert re.search(
        r"5 problems\).*broken\.yaml:1:1: last_reviewed: field required", broken["text"]
    )
    unreadable = next(v for k, v in items.items() if k.startswith("unreadable.yaml"))
    assert "unreadable.yaml:2:5: YAML syntax error" in unreadable["text"]
    assert items[KNEE]["available"]
    late = next(v for k, v in items.items() if k.startswith("Late"))
    assert not late["available"]  # an overdue review is an error of the checks
    assert "Not available: it did not pass its safety and reading checks." in late["text"]
    assert "the review was due on 2026-01-01" in late["text"] and "HB-GOV-001" in late["text"]
    response = client.post("/packet", data={"topic": ["broken-topic"]})
    assert response.status_code == 409
    assert "Not available: its file has a mistake" in response.text
    assert client.post("/packet", data={"topic": [KNEE, AMI]}).status_code == 200


def test_edits_new_and_removed_handouts_are_picked_up_without_restart(
    library: Path, client: FlaskClient
) -> None:
    assert "Knee pain basics" in results(client.get("/").text)[KNEE]["text"]
    path = library / f"{KNEE}.yaml"
    write_yaml(path, library_handout(KNEE, "Knee pain: what helps", tags=["knee"], paragraphs=13))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    item = results(client.get("/").text)[KNEE]
    assert "Knee pain: what helps" in item["text"] and "3 pages" in item["text"]
    packet = client.post("/packet", data={"topic": [KNEE]})
    assert "Knee pain: what helps" in pdf_pages(packet.data)[1]

    write_yaml(library / "new.yaml", library_handout("shoulder-pain", "Shoulder pain"))
    (library / f"{ESPALDA}.yaml").unlink()
    path.write_text("schema: 1\n")  # broken while the server runs
    items = results(client.get("/").text)
    assert "shoulder-pain" in items and ESPALDA not in items
    assert not items["knee-pain-basics.yaml"]["available"]
    assert client.post("/packet", data={"topic": [KNEE]}).status_code == 409


def test_the_server_keeps_requests_and_packets_in_memory() -> None:
    # waitress spools big request bodies and responses to temporary files; a packet holds the
    # patient's name, so bodies are capped well below the first limit and the second is raised.
    srv = server.make_server(_tiny_app, "127.0.0.1", 0)
    try:
        adj = srv.adj
        assert adj.max_request_body_size < adj.inbuf_overflow
        assert adj.outbuf_overflow >= 64 * 1024 * 1024
        assert server.urls(srv) == [f"http://127.0.0.1:{srv.effective_port}/"]
        assert int(srv.effective_port) > 0
    finally:
        srv.close()


def _tiny_app(environ: dict, start_response: object) -> list[bytes]:  # pragma: no cover
    return [b""]


def test_shipped_handouts_are_found_by_brand_name_and_condition() -> None:
    shipped = REPO / "handouts"
    client = web.create_app(Catalogue([shipped], drafts=True)).test_client()  # they are drafts
    for query in ("q=elavil", "q=Elavil", "q=stenosis", "q=spinal+stenosis"):
        assert "amitriptyline-lumbar-spinal-stenosis" in shown(client, query)
    assert "amitriptyline-lumbar-spinal-stenosis" not in shown(client, "q=knee")


# --- the doors: host names and cross-site posts ------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost", 200),
        ("localhost:8000", 200),
        ("LocalHost.:8000", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),  # a name pointed at this computer by another site (DNS rebinding)
        ("evil.example:8000", 400),
        ("127.0.0.1.evil.example", 400),
        ("0.0.0.0:8000", 400),
        ("", 400),
    ],
)
def test_only_the_hosts_it_is_served_as_are_answered(
    client: FlaskClient, host: str, status: int
) -> None:
    get = client.get("/", headers={"Host": host})
    post = client.post("/packet", data={"topic": KNEE, "patient": NAME}, headers={"Host": host})
    assert (get.status_code, post.status_code) == (status, status)
    if status == 400:
        assert "--allowed-host" in get.text and "Amitriptyline" not in get.text
        assert post.mimetype == "text/plain" and NAME not in post.text


def test_allowed_hosts_are_loopback_the_host_and_those_named() -> None:
    assert web.allowed_hosts() == ["localhost", "127.0.0.1", "::1"]
    assert web.allowed_hosts("0.0.0.0", ["FrontDesk.Clinic.lan", "[fe80::1]"]) == [
        "localhost",
        "127.0.0.1",
        "::1",
        "frontdesk.clinic.lan",
        "fe80::1",
    ]
    assert web.allowed_hosts("192.168.1.20")[-1] == "192.168.1.20"


def test_an_allowed_host_is_answered(library: Path) -> None:
    hosts = web.allowed_hosts("0.0.0.0", ["frontdesk.clinic.lan"])
    client = web.create_app(Catalogue([library]), hosts).test_client()
    assert client.get("/", headers={"Host": "frontdesk.clinic.lan:8080"}).status_code == 200
    assert client.get("/", headers={"Host": "other.clinic.lan:8080"}).status_code == 400


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}, 200),  # our own form
        ({"Origin": "http://localhost"}, 200),  # a browser without Sec-Fetch-Site
        ({}, 200),  # no browser at all (curl, a script): nobody's session to ride on
        ({"Sec-Fetch-Site": "none"}, 200),  # typed or bookmarked by the user
        ({"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403),
        ({"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:3000"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "http://localhost:3000"}, 403),  # another program on this computer
        ({"Origin": "null"}, 403),  # a sandboxed frame or a file
    ],
)
def test_a_post_from_another_site_is_refused(
    client: FlaskClient, headers: dict[str, str], status: int
) -> None:
    response = client.post(
        "/packet", data={"topic": KNEE, "patient": NAME, "action": "print"}, headers=headers
    )
    assert response.status_code == status
    if status == 403:
        assert response.mimetype == "text/html"
        assert "came from another web site and was refused" in response.text
        assert NAME not in response.text  # nothing of what was sent is shown back
    else:
        assert response.mimetype == "application/pdf"


def test_the_real_server_refuses_other_hosts(library: Path) -> None:
    """Through waitress, as ``handout serve`` runs it: the Host header as sent on the wire."""
    import contextlib
    import http.client
    import threading

    app = web.create_app(Catalogue([library]))
    srv = server.make_server(app, "127.0.0.1", 0)

    def serve() -> None:
        with contextlib.suppress(OSError):  # closing the socket ends select() this way
            srv.run()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        port = srv.effective_port
        answers = {}
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"rebound.example:{port}"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/", headers={"Host": host})
            answers[host.split(":")[0]] = connection.getresponse().status
            connection.close()
    finally:
        srv.close()
        thread.join(timeout=10)
    assert answers == {"127.0.0.1": 200, "localhost": 200, "rebound.example": 400}
