"""The front desk in a real browser: Debian's headless Chromium, driven by Playwright, against the
real server started by ``handout serve``. Needs ``apt-get install chromium`` and the ``test``
extra (playwright); it never downloads a browser."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from fixtures import AMI, KNEE, flat, pdf_pages, write_library

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NAME = "Zoë O'Brien <b>&"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen]]:
    """``handout serve --port 0`` on a test library; gives its URL and the process."""
    library = write_library(tmp_path_factory.mktemp("handouts"))
    process = subprocess.Popen(
        [sys.executable, "-m", "handout_builder", "serve", "--port", "0", str(library)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert match, f"server did not start: {line!r} {process.stderr.read() if not line else ''}"
    yield match.group(0), process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def choose_two_topics(page: Page, url: str) -> None:
    """Search, tick one topic with the keyboard alone and another with the mouse, type a name."""
    page.goto(url)
    page.fill("#q", "elavil")
    assert page.is_visible(f'input[value="{AMI}"]')
    assert page.is_hidden(f'input[value="{KNEE}"]')
    assert page.inner_text("#shown") == "1 of 4 topics shown"
    page.focus("#q")
    for _ in range(4):  # search box -> tag -> language -> Search button -> the only topic shown
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.is_checked(f'input[value="{AMI}"]')
    page.fill("#q", "knee")
    page.click('label:has-text("Knee pain basics")')
    page.fill("#patient", NAME)
    page.fill("#note", "See you in two weeks")
    assert page.inner_text("#chosen").startswith("2 topics chosen")


def test_print_gives_one_packet_with_both_topics_and_the_name(
    browser: Browser, server: tuple[str, subprocess.Popen]
) -> None:
    url, _ = server
    context = browser.new_context()
    context.set_default_timeout(20_000)
    packets: list[tuple[dict[str, str], bytes]] = []

    def capture(route: Route) -> None:
        response = route.fetch()
        packets.append((response.headers, response.body()))
        route.fulfill(response=response)

    context.route("**/packet", capture)
    page = context.new_page()
    choose_two_topics(page, url)
    with context.expect_page():
        page.click("button:has-text('Print')")
    context.close()
    assert len(packets) == 1
    headers, data = packets[0]
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("inline")
    assert headers["cache-control"] == "no-store"
    text = flat(" ".join(pdf_pages(data)))
    assert "Amitriptyline for spinal stenosis" in text
    assert "Knee pain basics" in text
    assert f"Prepared for: {NAME}" in text


def test_download_saves_the_packet(
    browser: Browser, server: tuple[str, subprocess.Popen], tmp_path: Path
) -> None:
    url, _ = server
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    choose_two_topics(page, url)
    with page.expect_download() as download:
        page.click("button:has-text('Download PDF')")
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    context.close()
    assert target.suffix == ".pdf"
    pages = pdf_pages(target.read_bytes())
    assert NAME in flat(pages[0])
    assert "Amitriptyline for spinal stenosis" in pages[1]


def test_an_empty_packet_is_stopped_in_the_page(
    browser: Browser, server: tuple[str, subprocess.Popen]
) -> None:
    url, _ = server
    page = browser.new_page()
    page.goto(url)
    page.click("button:has-text('Download PDF')")
    assert page.inner_text("#packet-problem") == "Tick at least one topic first."
    assert page.evaluate("document.activeElement.name") == "topic"
    page.close()


def test_a_form_on_another_site_cannot_get_a_packet(
    browser: Browser, server: tuple[str, subprocess.Popen]
) -> None:
    """A page elsewhere that posts a form to the front desk (here a page of the browser's own,
    which is another origin) gets the refusal, not a packet; the front desk's own form, in the
    tests above, still works."""
    url, _ = server
    page = browser.new_page()
    page.set_content(
        f'<form method="post" action="{url}packet"><input name="topic" value="{KNEE}">'
        '<input name="patient" value="Someone Else"><input name="action" value="print"></form>'
    )
    with page.expect_navigation() as navigation:
        page.evaluate("document.forms[0].submit()")
    response = navigation.value
    assert response is not None and response.status == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "came from another web site and was refused" in page.inner_text("body")
    page.close()


def test_the_server_log_never_has_the_name(server: tuple[str, subprocess.Popen]) -> None:
    url, process = server
    form = urllib.parse.urlencode({"topic": KNEE, "patient": NAME, "note": "See you in two weeks"})
    with urllib.request.urlopen(url + "packet", data=form.encode()) as response:
        assert response.status == 200
    process.terminate()
    _, log = process.communicate(timeout=10)
    assert "POST /packet 200" in log
    assert "Zoë" not in log and "Brien" not in log and "two weeks" not in log
