// The front-desk page without reloads: filter topics as you type, count what is chosen, and
// stop an empty packet before it is sent. The page works without this script too.
"use strict";

(function () {
  const search = document.getElementById("search");
  const packet = document.getElementById("packet");
  if (!search || !packet) return;
  const q = document.getElementById("q");
  const tag = document.getElementById("tag");
  const lang = document.getElementById("lang");
  const items = Array.from(document.querySelectorAll(".results .topic"));
  const shown = document.getElementById("shown");
  const chosen = document.getElementById("chosen");
  const problem = document.getElementById("packet-problem");
  const note = document.getElementById("note");
  const noteCount = document.getElementById("note-count");
  const maxTopics = Number(packet.dataset.maxTopics);

  // The same folding as catalogue.fold(): lower case, accents dropped.
  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

  function filter() {
    const words = fold(q.value).split(/\s+/).filter(Boolean);
    let count = 0;
    for (const item of items) {
      const text = item.dataset.search;
      const match = words.every((w) => text.includes(w))
        && (!tag.value || item.dataset.tags.split(" ").includes(tag.value))
        && (!lang.value || item.dataset.lang === lang.value);
      item.hidden = !match;
      if (match) count += 1;
    }
    shown.textContent = `${count} of ${items.length} ${items.length === 1 ? "topic" : "topics"} shown`;
  }

  function ticked() {
    return Array.from(packet.querySelectorAll('input[name="topic"]:checked'));
  }

  function countChosen() {
    const boxes = ticked();
    const titles = boxes.map((b) => document.querySelector(`label[for="${b.id}"]`).textContent);
    chosen.textContent = boxes.length === 0 ? "No topics chosen yet"
      : `${boxes.length} topic${boxes.length === 1 ? "" : "s"} chosen: ${titles.join("; ")}`;
    problem.hidden = true;
  }

  function countNote() {
    noteCount.textContent = `${note.value.length} of ${note.maxLength} characters`;
  }

  q.addEventListener("input", filter);
  tag.addEventListener("change", filter);
  lang.addEventListener("change", filter);
  search.addEventListener("submit", (event) => { event.preventDefault(); filter(); });
  packet.addEventListener("change", (event) => {
    if (event.target.name === "topic") countChosen();
  });
  note.addEventListener("input", countNote);
  packet.addEventListener("submit", (event) => {
    const n = ticked().length;
    const message = n === 0 ? "Tick at least one topic first."
      : n > maxTopics ? `A packet can have at most ${maxTopics} topics; ${n} are ticked.` : "";
    if (message) {
      event.preventDefault();
      problem.textContent = message;
      problem.hidden = false;
      (packet.querySelector('input[name="topic"]:not([disabled])') || q).focus();
    }
  });
  const errors = document.getElementById("errors");
  if (errors) errors.focus();
  filter();
  countChosen();
  countNote();
})();
