"""Which field of the handout each flowable was made for, so a layout failure can name it.

Takes flowables and the path of the field they show (``("side_effects", 0, "groups", 0, "rows",
3, 1)``); ``mark`` gives each the path (kept by the parts a paragraph splits into). When content
cannot be laid out, ``culprit`` looks through what ReportLab was placing (inside tables, boxes,
lists and keep-together groups) for the tallest of the most precisely marked flowables, and gives
its path: the table cell, list item or paragraph that is taller than a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from reportlab.platypus import Flowable, Table

from handout_builder.pdf._reportlab import held_flowables, table_cells
from handout_builder.source.reader import PathKey

_F = TypeVar("_F", bound=Flowable)


def mark(flowables: list[_F], path: PathKey) -> list[_F]:
    """Give each flowable ``path`` as its field, unless a more precise one was given already
    (a cell's, inside the table it belongs to, is set before the table's)."""
    for flowable in flowables:
        flowable.__dict__.setdefault("field", path)
    return flowables


def field_of(flowable: Any) -> PathKey | None:
    found: PathKey | None = getattr(flowable, "field", None)
    return found


def culprit(flowables: Iterable[Any]) -> PathKey | None:
    """The field of the tallest innermost marked flowable among ``flowables`` and what they
    hold, or None when none of them was made for a field."""
    best: tuple[float, PathKey] | None = None
    for flowable in _innermost(flowables):
        path = field_of(flowable)
        assert path is not None
        height = float(getattr(flowable, "height", 0) or 0)
        if best is None or height > best[0]:
            best = (height, path)
    return best[1] if best else None


def _innermost(flowables: Iterable[Any]) -> Iterator[Any]:
    """The marked flowables that hold no marked flowable themselves."""
    for flowable in flowables:
        inner = list(_innermost(_held(flowable)))
        if inner:
            yield from inner
        elif field_of(flowable) is not None:
            yield flowable


def _held(flowable: Any) -> list[Any]:
    if isinstance(flowable, Table):
        out: list[Any] = []
        for row in table_cells(flowable):
            for cell in row:
                out.extend(cell if isinstance(cell, (list, tuple)) else [cell])
        return out
    parts = [getattr(flowable, name, None) for name in ("picture", "label", "body")]
    return held_flowables(flowable) + [p for p in parts if isinstance(p, Flowable)]
