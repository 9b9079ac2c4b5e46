// The front-desk page without reloads: search as you type (answered by /api/search), count what
// is chosen and how many pages and sheets it will print, print in one step (a hidden frame and
// the browser's print dialog) or download, show every mistake beside its field, and clear the
// form for the next patient: on request, after a while without use, and whenever the page is
// shown again from the browser's history. The page works without this script too.
"use strict";

(function () {
  const search = document.getElementById("search");
  const packet = document.getElementById("packet");
  if (!search || !packet) return;
  const $ = (id) => document.getElementById(id);
  const q = $("q");
  const tag = $("tag");
  const lang = $("lang");
  const list = packet.querySelector(".results");
  const items = Array.from(packet.querySelectorAll(".results .topic"));
  const byId = new Map(items.map((item) => [item.dataset.id, item]));
  const shown = $("shown");
  const chosen = $("chosen");
  const plan = $("plan");
  const problem = $("packet-problem");
  const done = $("done");
  const note = $("note");
  const noteCount = $("note-count");
  const nextPatient = $("next-patient");
  const frame = $("print-frame");
  const maxTopics = Number(packet.dataset.maxTopics);
  const idleMinutes = Number(packet.dataset.idleMinutes) || 3;
  const FIELDS = ["topic", "patient", "date", "from", "note", "paper"];
  // The page's words, in the page's language (frontdesk/words.py), with {placeholders} filled.
  const WORDS = JSON.parse($("page-words").textContent);
  const say = (key, values = {}) => WORDS[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  const count = (n, key) => (n === 1 ? say(`${key}_one`) : say(`${key}_many`, { n }));
  let searchTimer = 0;
  let planTimer = 0;
  let idleTimer = 0;
  let searchCount = 0;
  let planCount = 0;
  let packetUrl = null;

  // --- search ---------------------------------------------------------------------------------

  function showSearchHelp(data) {
    const suggest = $("suggest");
    const link = $("suggestion");
    suggest.hidden = !data.did_you_mean;
    if (data.did_you_mean) {
      link.textContent = data.did_you_mean;
      link.href = `/?q=${encodeURIComponent(data.did_you_mean)}`;
    }
    $("nothing").hidden = data.results.length > 0;
    $("nothing-query").textContent = data.query;
    $("partial").hidden = !data.partial;
  }

  async function runSearch() {
    const mine = ++searchCount;
    const params = new URLSearchParams({ q: q.value, tag: tag.value, lang: lang.value });
    let data;
    try {
      const response = await fetch(`/api/search?${params}`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (error) {
      if (mine !== searchCount) return;
      items.forEach((item) => { item.hidden = false; });
      shown.textContent = say("search_down");
      return;
    }
    if (mine !== searchCount) return; // a newer search has started
    const order = data.results.map((r) => r.id);
    const found = new Set(order);
    for (const id of order) list.appendChild(byId.get(id));
    for (const item of items) {
      if (!found.has(item.dataset.id)) list.appendChild(item);
      item.hidden = !found.has(item.dataset.id);
    }
    shown.textContent = say(items.length === 1 ? "shown_one" : "shown", { shown: found.size, total: items.length });
    showSearchHelp(data);
  }

  function searchSoon() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 150);
  }

  function showAll(event) {
    if (event) event.preventDefault();
    q.value = "";
    tag.value = "";
    lang.value = "";
    runSearch();
    q.focus();
  }

  // --- what is chosen, and how much paper it takes --------------------------------------------

  // The packet keeps the order in which topics were ticked, whatever order a search shows.
  let tickOrder = [];

  function ticked() {
    const boxes = Array.from(packet.querySelectorAll('input[name="topic"]:checked'));
    const rank = (box) => { const i = tickOrder.indexOf(box.value); return i < 0 ? 1e6 : i; };
    return boxes.sort((a, b) => rank(a) - rank(b));
  }

  function noteTick(box) {
    tickOrder = tickOrder.filter((id) => id !== box.value);
    if (box.checked) tickOrder.push(box.value);
  }

  function packetForm() {
    const body = new FormData(packet);
    body.delete("topic");
    for (const box of ticked()) body.append("topic", box.value);
    return body;
  }

  function countChosen() {
    const boxes = ticked();
    const titles = boxes.map((box) => {
      const title = document.querySelector(`label[for="${box.id}"]`).textContent;
      const choice = box.closest(".topic").querySelector(".version select");
      return choice ? `${title} (${choice.selectedOptions[0].textContent})` : title;
    });
    const n = boxes.length;
    chosen.textContent = n === 0 ? say("chosen_none")
      : say(n === 1 ? "chosen_one" : "chosen_many", { n, titles: titles.join("; ") });
  }

  async function updatePlan() {
    const mine = ++planCount;
    const n = ticked().length;
    if (n === 0 || n > maxTopics) {
      plan.hidden = true;
      return;
    }
    let data;
    try {
      const response = await fetch("/api/plan", {
        method: "POST",
        body: packetForm(),
        headers: { Accept: "application/json" },
      });
      data = await response.json();
    } catch (error) {
      plan.hidden = true;
      return;
    }
    if (mine !== planCount) return; // the form has changed since
    if (data.errors) {
      plan.hidden = true;
      return;
    }
    plan.textContent = say("plan", {
      handouts: count(data.topics.length, "handout"),
      pages: count(data.pages, "page"),
      one_sided: count(data.sheets.one_sided, "sheet"),
      two_sided: count(data.sheets.two_sided, "sheet"),
    });
    plan.hidden = false;
  }

  function planSoon() {
    clearTimeout(planTimer);
    planTimer = setTimeout(updatePlan, 300);
  }

  function countNote() {
    noteCount.textContent = say("note_count", { n: note.value.length, max: note.maxLength });
  }

  // --- mistakes, each beside its field --------------------------------------------------------

  function clearErrors() {
    for (const name of FIELDS) {
      const box = $(`${name}-error`);
      if (box) { box.hidden = true; box.textContent = ""; }
      const input = $(name);
      if (input) input.removeAttribute("aria-invalid");
    }
    problem.hidden = true;
    problem.textContent = "";
  }

  function showErrors(errors) {
    clearErrors();
    let first = null;
    for (const { field, message } of errors) {
      const box = $(`${field}-error`);
      if (box) {
        box.textContent = box.textContent ? `${box.textContent} ${message}` : message;
        box.hidden = false;
        const input = field === "topic"
          ? packet.querySelector('input[name="topic"]:not([disabled])')
          : field === "paper" ? packet.querySelector('input[name="paper"]') : $(field);
        if (input && field !== "topic" && field !== "paper") input.setAttribute("aria-invalid", "true");
        first = first || input;
      } else {
        problem.textContent = problem.textContent ? `${problem.textContent} ${message}` : message;
        problem.hidden = false;
      }
    }
    (first || q).focus();
  }

  // --- printing and downloading ---------------------------------------------------------------

  function forget() {
    if (packetUrl) URL.revokeObjectURL(packetUrl);
    packetUrl = null;
    frame.onload = null; // emptying the frame fires "load" too: never print that
    frame.removeAttribute("src");
  }

  async function makePacket(action) {
    const body = packetForm();
    body.set("action", action);
    const response = await fetch("/packet", {
      method: "POST",
      body,
      headers: { Accept: "application/pdf, application/json" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.startsWith("application/pdf")) {
      const data = type.startsWith("application/json") ? await response.json() : null;
      showErrors(data && data.errors ? data.errors
        : [{ field: "", message: say("server_error") }]);
      return null;
    }
    const disposition = response.headers.get("Content-Disposition") || "";
    const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || "handouts.pdf";
    forget();
    packetUrl = URL.createObjectURL(await response.blob());
    return { name, pages: Number(response.headers.get("X-Packet-Pages")) };
  }

  function finished(message) {
    done.textContent = say("finished", { message });
    nextPatient.classList.remove("secondary");
    nextPatient.classList.add("next");
    nextPatient.focus();
  }

  async function submit(event) {
    const action = event.submitter ? event.submitter.value : "print";
    event.preventDefault();
    const n = ticked().length;
    const message = n === 0 ? say("tick_first")
      : n > maxTopics ? say("too_many", { max: maxTopics, n }) : "";
    if (message) {
      showErrors([{ field: "topic", message }]);
      return;
    }
    clearErrors();
    done.textContent = say(action === "print" ? "preparing_print" : "preparing_download");
    let made;
    try {
      made = await makePacket(action);
    } catch (error) {
      done.textContent = "";
      showErrors([{ field: "", message: say("no_answer") }]);
      return;
    }
    if (!made) { done.textContent = ""; return; }
    if (action === "download") {
      const link = document.createElement("a");
      link.href = packetUrl;
      link.download = made.name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      finished(say("downloaded", { pages: count(made.pages, "page"), name: made.name }));
    } else {
      frame.onload = () => {
        frame.onload = null;
        frame.contentWindow.focus();
        frame.contentWindow.print();
        finished(say("sent", { pages: count(made.pages, "page") }));
      };
      frame.src = packetUrl;
    }
  }

  // --- the next patient -----------------------------------------------------------------------

  function clearPatient(reason) {
    clearTimeout(planTimer);
    planCount += 1;
    forget();
    for (const id of ["patient", "note", "from"]) $(id).value = "";
    $("date").value = packet.dataset.today;
    for (const box of packet.querySelectorAll('input[name="topic"]')) box.checked = false;
    tickOrder = [];
    for (const select of packet.querySelectorAll(".version select")) select.selectedIndex = 0;
    clearErrors();
    plan.hidden = true;
    nextPatient.classList.add("secondary");
    nextPatient.classList.remove("next");
    countChosen();
    countNote();
    q.value = "";
    tag.value = "";
    lang.value = "";
    runSearch();
    done.textContent = reason;
  }

  function hasPatient() {
    return ticked().length > 0 || ["patient", "note", "from"].some((id) => $(id).value) || packetUrl;
  }

  function stillHere() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (hasPatient()) {
        clearPatient(say("idle_cleared", { minutes: count(idleMinutes, "minute") }));
      }
    }, idleMinutes * 60 * 1000);
  }

  q.addEventListener("input", searchSoon);
  tag.addEventListener("change", runSearch);
  lang.addEventListener("change", runSearch);
  search.addEventListener("submit", (event) => { event.preventDefault(); runSearch(); });
  $("show-all").addEventListener("click", showAll);
  $("suggestion").addEventListener("click", (event) => {
    event.preventDefault();
    q.value = event.target.textContent;
    runSearch();
    q.focus();
  });
  packet.addEventListener("change", (event) => {
    if (event.target.name === "topic" || event.target.closest(".version")) {
      if (event.target.name === "topic") noteTick(event.target);
      countChosen();
      const box = $("topic-error");
      box.hidden = true;
    }
    planSoon();
  });
  note.addEventListener("input", () => { countNote(); planSoon(); });
  packet.addEventListener("submit", submit);
  nextPatient.hidden = false;
  nextPatient.addEventListener("click", () => {
    clearPatient(say("ready"));
    q.focus();
  });
  for (const kind of ["keydown", "pointerdown", "input", "change", "wheel"]) {
    document.addEventListener(kind, stillHere, { passive: true, capture: true });
  }
  // Nothing of a patient may come back with the page: clear it when the page is left, and
  // again when it is shown from the back-forward cache or with fields the browser restored.
  window.addEventListener("pagehide", () => { if (hasPatient()) clearPatient(""); });
  window.addEventListener("pageshow", (event) => {
    const navigation = performance.getEntriesByType("navigation")[0];
    if (event.persisted || (navigation && navigation.type === "back_forward")) clearPatient("");
  });
  const errors = $("errors");
  if (errors) errors.focus();
  countChosen();
  countNote();
  stillHere();
  if (ticked().length) planSoon();
})();
