"""The front desk in a real browser: Debian's headless Chromium, driven by Playwright, against the
real server started by ``handout serve``: forgiving search, a language per topic, one-step print
and download, mistakes beside their fields, the next patient (by the button, after a while
without use, and through the back button and reload), and WCAG 2.2 AA checked by axe-core
injected into the page. Needs ``apt-get install chromium`` and the ``test`` extra (playwright); it
launches ``/usr/bin/chromium`` and never downloads a browser. axe-core comes from the npm
registry into ``.cache/axe`` (``scripts/test`` installs it)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from fixtures import AMI, KNEE, KNEE_ES, LONG, REPO, coded_library, flat, pdf_pages
from handout_builder.look.labels import long_date

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
AXE = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERVE = [sys.executable, "-m", "handout_builder", "serve"]
NAME = "Zoë O'Brien <b>&"
NOTE = "See you in two weeks"
GIVER = "Dr Lee, spine team"
PHONE = {"width": 390, "height": 844}
# Every Print in these tests goes to this stand-in for the print dialog, which counts the calls
# and says which document it was asked to print (Chromium's own dialog cannot be driven).
FAKE_PRINT = """
const own = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow");
Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", {
  configurable: true,
  get() {
    const win = own.get.call(this);
    const frame = this;
    if (win) win.print = () => { window.printed = (window.printed || []).concat([frame.src]); };
    return win;
  },
});
"""


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """``handout serve --port 0 --usage-log FILE`` on a test library with translations; gives
    its URL, the process and the usage log."""
    folder = tmp_path_factory.mktemp("frontdesk")
    library = coded_library(folder / "handouts")
    usage = folder / "usage.jsonl"
    process = subprocess.Popen(
        [*SERVE, "--port", "0", "--usage-log", str(usage), str(library)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    line = process.stdout.readline() if process.stdout else ""
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert match, f"server did not start: {line!r}"
    yield match.group(0), process, usage
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def url(served: tuple[str, subprocess.Popen, Path]) -> str:
    return served[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile; axe-core is injected into pages, so their script policy is
    bypassed (the page itself never runs inline script)."""
    made = browser.new_context(accept_downloads=True, bypass_csp=True)
    made.set_default_timeout(20_000)
    made.add_init_script(FAKE_PRINT)
    yield made
    made.close()


@pytest.fixture
def packets(context: BrowserContext) -> list[tuple[dict[str, str], bytes]]:
    """Every packet the server sends to the page: its headers and bytes."""
    seen: list[tuple[dict[str, str], bytes]] = []

    def capture(route: Route) -> None:
        response = route.fetch()
        seen.append((response.headers, response.body()))
        route.fulfill(response=response)

    context.route("**/packet", capture)
    return seen


def shown_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".results .topic:not([hidden])", "items => items.map(i => i.dataset.id)"
    )


def wait_for_search(page: Page, text: str) -> None:
    page.wait_for_function(
        "text => document.getElementById('shown').textContent === text", arg=text
    )


def fill_patient(page: Page) -> None:
    page.fill("#patient", NAME)
    page.fill("#note", NOTE)
    page.fill("#from", GIVER)


def choose_two_topics(page: Page, url: str) -> None:
    """Search with a misspelling, tick one topic with the keyboard alone and another (in
    Spanish) with the mouse, and fill in the patient's details."""
    page.goto(url)
    page.fill("#q", "amitryptiline")
    wait_for_search(page, "1 of 4 topics shown")
    assert shown_ids(page) == [AMI]
    page.focus("#q")
    for _ in range(5):  # search box -> tag -> language -> Search -> did you mean -> the topic
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.is_checked(f'input[value="{AMI}"]')
    page.fill("#q", "knee")
    wait_for_search(page, "1 of 4 topics shown")
    page.click('label:has-text("Knee pain basics")')
    page.select_option(f'select[name="version-{KNEE}"]', label="Español")
    fill_patient(page)
    assert page.inner_text("#chosen").startswith("2 topics chosen")


def test_search_forgives_suggests_and_has_a_way_back(context: BrowserContext, url: str) -> None:
    page = context.new_page()
    page.goto(url)
    page.fill("#q", "Elavil 10mg")
    wait_for_search(page, "1 of 4 topics shown")
    assert shown_ids(page) == [AMI]
    page.fill("#q", "amitryptiline")
    page.wait_for_selector("#suggest:not([hidden])")
    assert flat(page.inner_text("#suggest")) == "Did you mean Amitriptyline?"
    page.fill("#q", "back pain")
    wait_for_search(page, "3 of 4 topics shown")
    assert shown_ids(page)[0] == LONG or AMI in shown_ids(page)  # ranked, best first
    page.fill("#q", "M48.062")  # a diagnosis code from the EHR
    wait_for_search(page, "1 of 4 topics shown")
    assert shown_ids(page) == [AMI]
    page.fill("#q", "zzqqxx")
    wait_for_search(page, "0 of 4 topics shown")
    assert page.is_visible("#nothing")
    assert "No topic matches “zzqqxx”" in flat(page.inner_text("#nothing"))
    page.click("#show-all")
    wait_for_search(page, "4 of 4 topics shown")
    assert page.input_value("#q") == "" and page.is_hidden("#nothing")
    assert page.evaluate("document.activeElement.id") == "q"


def test_print_is_one_step_and_uses_each_topics_language(
    context: BrowserContext, url: str, packets: list
) -> None:
    page = context.new_page()
    choose_two_topics(page, url)
    plan = "Cover and 2 handouts: 4 pages, on 4 sheets printed one-sided or 2 sheets double-sided."
    page.wait_for_function("text => document.getElementById('plan').textContent === text", arg=plan)
    page.click("#print")
    page.wait_for_function("(window.printed || []).length === 1")
    assert len(context.pages) == 1  # no new tab: the print dialog opens over the page
    assert page.evaluate("window.printed[0]").startswith("blob:")
    assert "Sent 4 pages to the print dialog." in page.inner_text("#done")
    assert page.evaluate("document.activeElement.id") == "next-patient"
    (headers, data), *_ = packets
    assert headers["content-type"] == "application/pdf"
    assert headers["cache-control"] == "no-store"
    pages = pdf_pages(data)
    cover = flat(pages[0])
    assert f"Prepared for: {NAME}" in cover and f"From: {GIVER}" in cover and NOTE in cover
    assert "Amitriptyline for spinal stenosis" in flat(pages[1])
    assert "Dolor de rodilla: lo básico" in flat(pages[3])  # after the 2 pages of AMI


def test_download_saves_the_packet(context: BrowserContext, url: str, tmp_path: Path) -> None:
    page = context.new_page()
    choose_two_topics(page, url)
    with page.expect_download() as download:
        page.click("#download")
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert re.fullmatch(r"handouts-\d{4}-\d\d-\d\d\.pdf", target.name)
    pages = pdf_pages(target.read_bytes())
    assert NAME in flat(pages[0])
    assert "Amitriptyline for spinal stenosis" in pages[1]
    page.wait_for_function("document.getElementById('done').textContent.includes('Downloaded')")
    assert page.is_visible("#next-patient")


def test_next_patient_leaves_nothing_of_the_last_one(
    context: BrowserContext, url: str, packets: list
) -> None:
    page = context.new_page()
    choose_two_topics(page, url)
    page.fill("#date", "2020-01-02")
    page.click("#print")
    page.wait_for_function("(window.printed || []).length === 1")
    page.click("#next-patient")
    for field in ("#patient", "#note", "#from", "#q"):
        assert page.input_value(field) == ""
    assert page.input_value("#date") == dt.date.today().isoformat()
    assert page.eval_on_selector_all('input[name="topic"]:checked', "b => b.length") == 0
    assert page.input_value(f'select[name="version-{KNEE}"]') == KNEE
    assert page.inner_text("#done") == "Ready for the next patient."
    assert page.evaluate("document.getElementById('print-frame').src") == ""
    page.check(f'input[value="{LONG}"]')
    page.click("#print")
    page.wait_for_function("(window.printed || []).length === 2")
    second = " ".join(pdf_pages(packets[1][1]))
    for before in ("Zoë", "Brien", "two weeks", "Dr Lee", "Amitriptyline", "rodilla", "2020"):
        assert before not in second
    assert f"Date: {long_date(dt.date.today(), 'en')}" in flat(second)


def test_back_button_and_reload_bring_nothing_back(context: BrowserContext, url: str) -> None:
    page = context.new_page()
    page.goto(url)
    fill_patient(page)
    page.check(f'input[value="{AMI}"]')
    page.goto(url + "infobutton?mainSearchCriteria.v.c=M17")
    page.go_back()
    page.wait_for_load_state()
    for field in ("#patient", "#note", "#from"):
        assert page.input_value(field) == ""
    assert not page.is_checked(f'input[value="{AMI}"]')
    fill_patient(page)
    page.reload()
    assert page.input_value("#patient") == "" and page.input_value("#note") == ""
    personal = page.eval_on_selector_all(
        "#patient, #note, #from, #date, #q", "els => els.map(e => e.autocomplete)"
    )
    assert personal == ["off"] * 5
    assert page.get_attribute("#packet", "autocomplete") == "off"


def test_an_idle_form_clears_itself(context: BrowserContext, url: str) -> None:
    page = context.new_page()
    page.clock.install()
    page.goto(url)
    fill_patient(page)
    page.check(f'input[value="{KNEE}"]')
    page.clock.run_for("02:50")  # under the default 3 minutes: kept
    assert page.input_value("#patient") == NAME
    page.clock.run_for("00:20")
    assert page.input_value("#patient") == "" and page.input_value("#note") == ""
    assert not page.is_checked(f'input[value="{KNEE}"]')
    assert page.inner_text("#done") == "The form was cleared after 3 minutes without use."


def test_mistakes_show_beside_their_field_never_in_a_print_tab(
    context: BrowserContext, url: str
) -> None:
    page = context.new_page()
    page.goto(url)
    page.check(f'input[value="{KNEE}"]')
    page.fill("#patient", "Ann \U0001d11e")
    page.click("#print")
    page.wait_for_selector("#patient-error:not([hidden])")
    assert page.inner_text("#patient-error") == (
        "The name has characters that cannot be printed: \U0001d11e. "
        "Please remove them (they would print as empty boxes)."
    )
    assert page.get_attribute("#patient", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "patient"
    assert len(context.pages) == 1 and page.evaluate("window.printed") is None
    page.fill("#patient", "Ann")
    page.click("#print")
    page.wait_for_function("(window.printed || []).length === 1")
    assert page.is_hidden("#patient-error")


def test_an_empty_packet_is_stopped_in_the_page(context: BrowserContext, url: str) -> None:
    page = context.new_page()
    page.goto(url)
    page.click("#download")
    assert page.inner_text("#topic-error") == "Tick at least one topic first."
    assert page.evaluate("document.activeElement.name") == "topic"


def axe_violations(page: Page) -> list[dict]:
    """What axe-core finds against WCAG 2.2 level A and AA on the page as it is now."""
    assert AXE.exists(), f"{AXE} is missing: run scripts/test, which installs axe-core"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}}))
             .violations.map(v => ({id: v.id, help: v.help,
                                     nodes: v.nodes.map(n => n.target.join(" "))}))""",
        WCAG22_AA,
    )
    return list(found)


def small_targets(page: Page) -> list[str]:
    """Controls smaller than 24 x 24 CSS pixels (links inside sentences are exempt)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("input, select, button, textarea, a"))
          .filter(el => el.offsetParent !== null && !(el.tagName === "A" && el.closest("p")))
          .filter(el => { const r = el.getBoundingClientRect();
                          return r.width < 24 || r.height < 24; })
          .map(el => el.id || el.name || el.outerHTML.slice(0, 60))"""
    )


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_page_meets_wcag_22_aa_in_every_state(
    context: BrowserContext, url: str, viewport: dict | None
) -> None:
    page = context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(url)
    assert axe_violations(page) == []
    assert small_targets(page) == []
    if viewport:  # nothing wider than a phone's screen
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.fill("#q", "amitryptiline")
    page.wait_for_selector("#suggest:not([hidden])")
    choose = page.locator('input[name="topic"]').first
    choose.check()
    page.fill("#patient", "Ann \U0001d11e")
    page.click("#print")
    page.wait_for_selector("#patient-error:not([hidden])")
    assert axe_violations(page) == []
    page.fill("#q", "zzqqxx")
    wait_for_search(page, "0 of 4 topics shown")
    assert axe_violations(page) == []
    assert small_targets(page) == []


def test_the_checks_catch_what_they_look_for(context: BrowserContext, url: str) -> None:
    """The two checks above can fail: a field without its label, and the 13 x 13 px radio
    buttons the page used to have."""
    page = context.new_page()
    page.goto(url)
    page.evaluate("document.querySelector('label[for=patient]').remove()")
    page.add_style_tag(content="input[type=radio] { width: 13px; height: 13px; }")
    assert "label" in {v["id"] for v in axe_violations(page)}
    assert set(small_targets(page)) == {"paper-letter", "paper-a4", "size-regular", "size-large"}


def test_the_infobutton_page_meets_wcag_22_aa(context: BrowserContext, url: str) -> None:
    page = context.new_page()
    page.goto(url + "infobutton?mainSearchCriteria.v.c=M17&informationRecipient.languageCode.c=es")
    assert page.locator("a[hreflang=es]").inner_text() == "Dolor de rodilla: lo básico"
    assert axe_violations(page) == []


def test_a_form_on_another_site_cannot_get_a_packet(context: BrowserContext, url: str) -> None:
    """A page elsewhere that posts a form to the front desk (here a page of the browser's own,
    which is another origin) gets the refusal, not a packet; the front desk's own form, in the
    tests above, still works."""
    page = context.new_page()
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


def test_the_usage_log_and_server_log_never_have_the_patient(
    served: tuple[str, subprocess.Popen, Path],
) -> None:
    url, process, usage = served
    form = urllib.parse.urlencode(
        {"topic": KNEE, "patient": NAME, "note": NOTE, "from": GIVER, f"version-{KNEE}": KNEE_ES},
        doseq=True,
    )
    with urllib.request.urlopen(url + "packet", data=form.encode()) as response:
        assert response.status == 200
    process.terminate()
    _, log = process.communicate(timeout=10)
    assert "POST /packet 200" in log
    lines = [json.loads(line) for line in usage.read_text(encoding="utf-8").splitlines()]
    assert lines and lines[-1]["topics"] == [KNEE_ES] and lines[-1]["languages"] == ["es"]
    for private in ("Zoë", "Brien", "two weeks", "Dr Lee"):
        assert private not in log
        assert private not in usage.read_text(encoding="utf-8")


def test_the_page_in_spanish(browser: Browser, tmp_path: Path) -> None:
    """``serve --page-language es``: the page's own words, the script's messages and the
    accessibility check in Spanish."""
    library = coded_library(tmp_path / "handouts")
    process = subprocess.Popen(
        [*SERVE, "--port", "0", "--page-language", "es", str(library)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, f"server did not start: {line!r}"
        context = browser.new_context(bypass_csp=True)
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.goto(match.group(0))
        assert page.get_attribute("html", "lang") == "es"
        page.click("#download")
        assert page.inner_text("#topic-error") == "Marque primero al menos un tema."
        page.check(f'input[value="{KNEE}"]')
        plan = "Portada y 1 folleto: 2 páginas, en 2 hojas a una cara o 1 hoja a doble cara."
        page.wait_for_function(
            "text => document.getElementById('plan').textContent === text", arg=plan
        )
        assert page.inner_text("#chosen") == "1 tema elegido: Knee pain basics (English)"
        assert axe_violations(page) == []
        context.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
