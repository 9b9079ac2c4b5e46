"""The front-desk page's own words, per language, from gettext catalogues like the leaflets'.

Takes a BCP 47 language tag (``serve --page-language``); gives the page's words in that language:
English as written below, every other language from its catalogue,
``data/locale/frontdesk/<tag>.po`` (one message per word, its key as the message context and
the English words as the message id, read as ``look.labels`` reads the leaflets' catalogues). A
tag uses the most specific catalogue there is ('es-MX' uses 'es'); a word a catalogue lacks is
English. ``{placeholders}`` are filled by the template or the page's script. Messages the page's
script shows are those whose key starts with ``js_``; they reach it as JSON in the page.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from handout_builder.look.labels import Catalogue, read_catalogue

ENGLISH: dict[str, str] = {
    "page_title": "Patient handouts",
    "skip": "Skip to topics",
    "lead": "Find the topics for your patient, tick them, choose each one's language, add a "
    "name if you like, then print one packet.",
    "errors_heading": "Please check",
    "find_topics": "Find topics",
    "search_placeholder": "Condition, medicine, brand name or code",
    "search_help": "Spelling mistakes are forgiven: try a medicine, brand name, condition or "
    "diagnosis code.",
    "tag": "Tag",
    "all_tags": "All tags",
    "language": "Language",
    "all_languages": "All languages",
    "search": "Search",
    "did_you_mean": "Did you mean {link}?",
    "nothing": "No topic matches “{query}”. Check the spelling, try another word, or {link}.",
    "show_all": "show all topics",
    "partial": "No topic matches every word; these match some of them.",
    "topics": "Topics",
    "page_one": "1 page",
    "page_many": "{n} pages",
    "review_due": "review due {date}",
    "review_overdue": "review overdue since {date}",
    "language_for_topic": "Language for this topic",
    "unavailable": "Unavailable",
    "reason_broken": "Not available: its file has a mistake, so it cannot be printed.",
    "reason_checks": "Not available: it did not pass its safety and reading checks.",
    "reason_changed": "Not available: it was changed after it was approved, and must be "
    "approved again before it is given to patients.",
    "ask_keeper": "Please tell the person who looks after the handouts (file {file}).",
    "editor_details_one": "Details for the handout editor (1 problem)",
    "editor_details": "Details for the handout editor ({n} problems)",
    "reviewing_title": "Review copy mode:",
    "reviewing": "drafts are listed and marked “Draft”. A packet with a draft in it is printed "
    "with “DRAFT — not approved for patient use” on its pages: do not give it to a patient.",
    "draft_badge": "Draft — not approved for patient use",
    "no_handouts": "No handouts found.",
    "drafts_waiting_one": "1 handout is a draft waiting for a clinician's approval, so it is "
    "not offered here.",
    "drafts_waiting": "{n} handouts are drafts waiting for a clinician's approval, so they are "
    "not offered here.",
    "for_patient": "For this patient",
    "never_saved": "(optional, never saved)",
    "patient_name": "Patient's name",
    "date": "Date",
    "from": "From",
    "from_help": "(clinician or team)",
    "note": "Note from the clinician",
    "note_limit": "Up to {n} characters.",
    "paper": "Paper",
    "letter": "Letter",
    "text_size": "Text size",
    "regular": "Regular",
    "large_print": "Large print (18 pt)",
    "print": "Print",
    "download": "Download PDF",
    "next_patient": "Next patient",
    "print_help": "Print opens your printer's dialog. Names and notes are never saved, and the "
    "form clears itself after {minutes} without use.",
    "frame_title": "Packet to print",
    "for_codes": "For {codes}",
    "in_language": "in {language}",
    "not_translated": "(not yet translated into {language})",
    "no_answer": "No handout is about this yet. All handouts can be searched by name on {link}.",
    "handouts_page": "the handouts page",
    "js_shown_one": "{shown} of 1 topic shown",
    "js_shown": "{shown} of {total} topics shown",
    "js_search_down": "Search is not answering; all topics are shown.",
    "js_chosen_none": "No topics chosen yet",
    "js_chosen_one": "1 topic chosen: {titles}",
    "js_chosen_many": "{n} topics chosen: {titles}",
    "js_plan": "Cover and {handouts}: {pages}, on {one_sided} printed one-sided or {two_sided} "
    "double-sided.",
    "js_handout_one": "1 handout",
    "js_handout_many": "{n} handouts",
    "js_page_one": "1 page",
    "js_page_many": "{n} pages",
    "js_sheet_one": "1 sheet",
    "js_sheet_many": "{n} sheets",
    "js_minute_one": "1 minute",
    "js_minute_many": "{n} minutes",
    "js_note_count": "{n} of {max} characters",
    "js_tick_first": "Tick at least one topic first.",
    "js_too_many": "A packet can have at most {max} topics; {n} are ticked.",
    "js_preparing_print": "Preparing the packet to print…",
    "js_preparing_download": "Preparing the download…",
    "js_server_error": "Something went wrong on the server. Nothing was saved; please try again.",
    "js_no_answer": "The server did not answer. Check that it is running, then try again.",
    "js_downloaded": "Downloaded {pages} as {name}.",
    "js_sent": "Sent {pages} to the print dialog.",
    "js_finished": "{message} When you have finished with this patient, press Next patient.",
    "js_idle_cleared": "The form was cleared after {minutes} without use.",
    "js_ready": "Ready for the next patient.",
}
"""The English words, the source of every catalogue."""


def catalogue_dir() -> Path:
    return Path(str(resources.files("handout_builder") / "data" / "locale" / "frontdesk"))


@functools.cache
def catalogues() -> dict[str, Catalogue]:
    """Every catalogue of the page's words that ships, by language tag."""
    return {path.stem: read_catalogue(path) for path in sorted(catalogue_dir().glob("*.po"))}


def page_languages() -> list[str]:
    """The languages the page can be shown in: English and every catalogue."""
    return ["en", *catalogues()]


def words_for(language: str) -> dict[str, str] | None:
    """The page's words in ``language`` (English for any a catalogue lacks), or None when there
    is no catalogue for it."""
    parts = language.split("-")
    if parts[0].lower() == "en":
        return dict(ENGLISH)
    for n in range(len(parts), 0, -1):
        found = catalogues().get("-".join(parts[:n]))
        if found is not None:
            return {**ENGLISH, **found.labels}
    return None


def script_words(words: dict[str, str]) -> dict[str, str]:
    """The words the page's script shows, by key without the ``js_`` prefix."""
    return {key[3:]: text for key, text in words.items() if key.startswith("js_")}
