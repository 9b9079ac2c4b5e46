"""Colour contrast as WCAG 2.1 measures it, for the pairs of colours a leaflet is drawn with.

Takes a brand's colours; gives the contrast ratio of each pair of text and background colour the
renderers use, and the pairs that fall short of WCAG AA (4.5:1 for text, 3:1 for the lines and
bands that mark a callout or a care tier).
"""

from __future__ import annotations

from handout_builder.look.brand import Colours

WHITE = "#FFFFFF"
TEXT_AA = 4.5
GRAPHICS_AA = 3.0


def luminance(colour: str) -> float:
    """Relative luminance of a #RRGGBB colour (WCAG 2.1)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_pairs(c: Colours) -> list[tuple[str, str, str, float]]:
    """(what, foreground, background, ratio needed) for every pairing the renderers draw."""
    pairs = [
        ("body text on white", c.text, WHITE, TEXT_AA),
        ("body text on the tint", c.text, c.tint, TEXT_AA),
        ("muted text on white", c.muted, WHITE, TEXT_AA),
        ("headings and links on white", c.primary, WHITE, TEXT_AA),
        ("rules and borders on white", c.primary, WHITE, GRAPHICS_AA),
    ]
    for tier in ("emergency", "today", "next_visit"):
        colour = getattr(c, tier)
        pairs.append((f"white {tier} badge text", WHITE, colour, TEXT_AA))
        pairs.append((f"{tier} border on white", colour, WHITE, GRAPHICS_AA))
    return pairs


def contrast_problems(c: Colours) -> list[str]:
    """A sentence for each pairing below WCAG AA."""
    return [
        f"{what}: contrast {contrast_ratio(fg, bg):.2f}:1, WCAG AA needs {need:g}:1"
        for what, fg, bg, need in colour_pairs(c)
        if contrast_ratio(fg, bg) < need
    ]
