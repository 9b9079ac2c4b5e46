"""Design: text colours that can be read, text large enough, pictures described, key facts first.

``check_brand`` takes a ``LoadedBrand`` and the settings and gives ``Hit``s on the brand file:
each pair of brand colours that the renderers draw text in against a background must meet the
WCAG AA contrast ratio, and every paragraph style of the theme must be at least the smallest
text size (the 9.5 pt page footer, and the sources that a sheet or a trifold prints in small print
at the footer's size, are not held to it).
``check`` takes a ``LintContext`` and gives ``Hit``s for a handout without key facts, and for
images whose alt text says nothing (a file name, or a word such as 'image').
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from handout_builder.lint.config import LintConfig
from handout_builder.lint.core import Hit, LintContext, Rule
from handout_builder.look.brand import LoadedBrand
from handout_builder.source.reader import PathKey

FAMILY = "design"
CONTRAST = Rule(
    "HB-DESIGN-001",
    "text-contrast",
    FAMILY,
    "error",
    "Brand colours used for text have a contrast ratio of at least 4.5:1 (WCAG AA) against the "
    "background they are drawn on.",
    "Make the colour named darker (or, for white text on a tier colour, make the tier colour "
    "darker) until the ratio is 4.5 or more.",
)
TEXT_SIZE = Rule(
    "HB-DESIGN-002",
    "text-size",
    FAMILY,
    "error",
    "Every text style of the theme is at least 12 pt.",
    "Raise body_size in the brand file to 12 or more.",
)
ALT_TEXT = Rule(
    "HB-DESIGN-003",
    "image-alt-text",
    FAMILY,
    "error",
    "Every image has alt text that says what the picture shows.",
    "Describe the picture in a short sentence, e.g. 'A person bending forward over a shopping "
    "cart to ease leg pain'.",
)
KEY_POINTS = Rule(
    "HB-DESIGN-004",
    "key-points-missing",
    FAMILY,
    "warning",
    "The handout has key facts (key_points): the three to six lines a reader who reads nothing "
    "else should take away, printed first in a box on page 1.",
    "Add key_points: three to six short lines, e.g. when to take the medicine, what to avoid, "
    "and when to get help.",
)
RULES = (CONTRAST, TEXT_SIZE, ALT_TEXT, KEY_POINTS)

WHITE = "#FFFFFF"
# (text colour, background, where the renderers draw this pair). 'white' is not a brand colour.
TEXT_ON_BACKGROUND = (
    ("text", "white", "body text"),
    ("text", "tint", "text in callouts and table headings"),
    ("primary", "white", "title, headings and links"),
    ("muted", "white", "subtitle, captions, disclaimer and footer"),
    ("white", "emergency", "the EMERGENCY badge"),
    ("white", "today", "the TODAY badge"),
    ("white", "next_visit", "the NEXT VISIT badge"),
)
_EMPTY_ALT = re.compile(
    r"^\W*(an? )?(image|picture|photo|photograph|figure|fig|diagram|graphic|icon|logo|img|alt|"
    r"alt text|todo|tbd|imagen|foto|figura|dibujo)( \d+)?\W*$",
    re.IGNORECASE,
)


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two #RRGGBB colours (1 to 21)."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def check_brand(loaded: LoadedBrand, config: LintConfig) -> Iterator[Hit]:
    colours = loaded.brand.colours

    def value(name: str) -> str:
        return WHITE if name == "white" else getattr(colours, name)

    for fg, bg, used in TEXT_ON_BACKGROUND:
        ratio = contrast_ratio(value(fg), value(bg))
        if ratio < config.min_contrast:
            named = bg if fg == "white" else fg
            yield Hit(
                CONTRAST,
                ("colours", named),
                f"{fg} {value(fg)} on {bg} {value(bg)} ({used}) has a contrast ratio "
                f"of {ratio:.2f}:1; it needs {config.min_contrast:g}:1 or more: make "
                f"{named} darker",
            )
    from handout_builder.look.theme import FINE_PRINT, Theme

    theme = Theme(loaded, loaded.brand.paper)
    small = sorted(
        (s.fontSize, name)
        for name, s in theme.styles.items()
        if s.fontSize < config.min_text_size and name not in FINE_PRINT
    )
    if small:
        names = ", ".join(f"{name} ({size:g} pt)" for size, name in small)
        yield Hit(
            TEXT_SIZE,
            ("body_size",),
            f"text styles smaller than {config.min_text_size:g} pt: {names}; raise body_size",
        )


def check(ctx: LintContext) -> Iterator[Hit]:
    if not ctx.handout.key_points:
        yield Hit(
            KEY_POINTS,
            ("key_points",),
            "no key facts: add key_points, three to six short lines that say what matters most "
            "(they are printed first, in a box on page 1)",
        )
    for piece in ctx.pieces:
        if piece.path[-2:] != ("image", "alt"):
            continue
        src = _value(ctx.source.data, (*piece.path[:-1], "src")) or ""
        alt = piece.text.strip()
        names = {
            src.casefold(),
            PurePosixPath(src).name.casefold(),
            PurePosixPath(src).stem.casefold(),
        }
        if _EMPTY_ALT.match(alt) or alt.casefold() in names:
            yield Hit(
                ALT_TEXT,
                piece.path,
                f"alt text '{alt}' does not say what the picture shows: describe it in a "
                "short sentence",
            )


def _value(data: object, path: PathKey) -> str | None:
    for step in path:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data if isinstance(data, str) else None
