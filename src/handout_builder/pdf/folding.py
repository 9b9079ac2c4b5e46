"""Folded sheets: where each laid-out page goes on the sides of the sheets that are printed and
folded (a saddle-stitched booklet, a letter-folded leaflet).

Takes the size of the pages or of the sheet (and, for a letter fold, how much narrower the flap
that folds in is); gives an ``Imposition``: the size of a printed sheet side and, for a number of
pages laid out, the ``Slot`` of each page on each side. Geometry only: ``impose`` moves the pages
(and their tags) onto the sides, and is imported only by a document that is folded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    """Where one page goes on a sheet side: the page (counting from 1 in the order laid out;
    None leaves the slot blank) and the slot's lower-left corner and size. A page is centred in
    its slot and clipped to it."""

    page: int | None
    x: float
    y: float
    width: float
    height: float


Side = tuple[Slot, ...]


@dataclass(frozen=True)
class Imposition:
    """How laid-out pages go onto printed sheet sides: the size of a side, and the sides for a
    given number of pages laid out."""

    size: tuple[float, float]
    plan: Callable[[int], list[Side]]


def saddle_stitch_order(pages: int) -> list[tuple[int | None, int | None]]:
    """The (left, right) pages of each sheet side of a saddle-stitched booklet, in printing
    order (front and back of the first sheet, then the next); ``pages`` is rounded up to a
    multiple of four and the pages past it are None (blank)."""
    total = -(-max(pages, 1) // 4) * 4

    def page(n: int) -> int | None:
        return n if n <= pages else None

    return [
        (page(total - i), page(i + 1)) if i % 2 == 0 else (page(i + 1), page(total - i))
        for i in range(total // 2)
    ]


def booklet(page_size: tuple[float, float], right_to_left: bool = False) -> Imposition:
    """Pages of ``page_size`` two to a side of a sheet twice as wide, in saddle-stitch order:
    print double-sided (flip on the short edge), fold the stack in half and staple the fold. A
    ``right_to_left`` booklet is bound on the right, as Arabic and Hebrew books are: each side
    is the mirror of a left-bound one's."""
    width, height = page_size

    def plan(pages: int) -> list[Side]:
        sides: list[Side] = []
        for left, right in saddle_stitch_order(pages):
            if right_to_left:
                left, right = right, left
            sides.append((Slot(left, 0, 0, width, height), Slot(right, width, 0, width, height)))
        return sides

    return Imposition((width * 2, height), plan)


LETTER_FOLD_PANELS = 6


def letter_fold(sheet: tuple[float, float], tuck: float, right_to_left: bool = False) -> Imposition:
    """Six panels of a letter-folded (tri-fold) sheet, given in reading order (front cover,
    inside flap, the three inside panels left to right, back cover), placed as printed: the
    outside side holds the inside flap, the back cover and the front cover, left to right; the
    inside side the three inside panels. The flap that folds in, and the inside panel behind it,
    are ``tuck`` points narrower than the others so the sheet folds flat; each panel is laid out
    at the width of a wide one and centred in its slot. Pages past six follow on further sides,
    three at a time, so a document too long to fold can still be looked at. A ``right_to_left``
    leaflet opens the other way: each side is the mirror of a left-to-right one's."""
    width, height = sheet
    wide = (width + tuck) / 3
    narrow = width - 2 * wide

    def side(pages: tuple[int | None, int | None, int | None], widths: list[float]) -> Side:
        order = list(zip(pages, widths, strict=True))
        slots, x = [], 0.0
        for page, w in order[::-1] if right_to_left else order:
            slots.append(Slot(page, x, 0, w, height))
            x += w
        return tuple(slots)

    def plan(pages: int) -> list[Side]:
        def page(n: int) -> int | None:
            return n if n <= pages else None

        sides = [
            side((page(2), page(6), page(1)), [narrow, wide, wide]),
            side((page(3), page(4), page(5)), [wide, wide, narrow]),
        ]
        for first in range(LETTER_FOLD_PANELS + 1, pages + 1, 3):
            sides.append(side((page(first), page(first + 1), page(first + 2)), [wide] * 3))
        return sides

    return Imposition(sheet, plan)


def panel_size(sheet: tuple[float, float], tuck: float) -> tuple[float, float]:
    """The size each panel of ``letter_fold(sheet, tuck)`` is laid out at."""
    return ((sheet[0] + tuck) / 3, sheet[1])
