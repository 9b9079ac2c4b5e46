"""What a language tag says about how its text is set, from CLDR (through Babel).

Takes a BCP 47 language tag ('ar', 'zh-Hant', 'pt-BR'); gives its direction, whether its lines
break between characters, its name, and Babel's ``Locale`` for dates and numbers. A tag Babel does
not know is treated as left to right, broken at spaces.
"""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError

CHARACTER_WRAP = frozenset({"zh", "ja", "yue"})
"""Languages whose lines break between characters (Korean breaks at spaces)."""


@functools.cache
def locale_of(language: str) -> Locale | None:
    """Babel's locale for a language tag, or None for one CLDR does not know."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def primary(language: str) -> str:
    """The primary subtag: 'es' for 'es-MX'."""
    return language.split("-")[0].lower()


@functools.cache
def is_rtl_language(language: str) -> bool:
    found = locale_of(language)
    return found is not None and found.text_direction == "rtl"


def wraps_between_characters(language: str) -> bool:
    return primary(language) in CHARACTER_WRAP


def language_name(language: str, in_language: str = "en") -> str:
    """The language's name ('Arabic', or in its own language with ``in_language=language``)."""
    found = locale_of(language)
    if found is None:
        return language
    return found.get_display_name(locale_of(in_language) or "en") or language
