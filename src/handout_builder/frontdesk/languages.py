"""Languages by their own names, as a patient would recognise them: 'Español', '中文', 'العربية'.

Takes a BCP 47 language tag; gives its name in that language from CLDR (through Babel), with its
first letter in capitals where the script has capitals; the tag itself when CLDR does not know it.
"""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError


@functools.cache
def own_name(language: str) -> str:
    """The language's name in itself ('es' gives 'Español', 'zh-Hant' gives '中文 (繁體)')."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return language
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:]
