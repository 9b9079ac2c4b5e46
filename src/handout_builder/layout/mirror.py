"""Tables mirrored for right-to-left handouts.

Takes a table's rows, its ReportLab style commands and column widths as a left-to-right layout
would have them; gives them mirrored: columns in reverse order (a row that is one spanning cell,
such as a group label, keeps its cell first, where ReportLab looks for it), and each command's
columns, left and right edges (``LINEBEFORE``/``LINEAFTER``) and paddings swapped. Reading order
stays that of the rows given: the first column, now on the right, is read first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_SWAP = {
    "LINEBEFORE": "LINEAFTER",
    "LINEAFTER": "LINEBEFORE",
    "LEFTPADDING": "RIGHTPADDING",
    "RIGHTPADDING": "LEFTPADDING",
}


def spanning(row: Sequence[Any]) -> bool:
    """A row whose only content is its first cell (spanned across the table)."""
    return len(row) > 1 and all(isinstance(cell, str) and not cell for cell in row[1:])


def mirror_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [list(row) if spanning(row) else list(row)[::-1] for row in rows]


def mirror_style(style: Sequence[tuple], columns: int) -> list[tuple]:
    """Style commands for the mirrored table (see the module docstring)."""
    out = []
    for command in style:
        name, start, end, *rest = command
        (c0, r0), (c1, r1) = start, end
        first, last = _column(c0, columns), _column(c1, columns)
        mirrored = (columns - 1 - last, r0), (columns - 1 - first, r1)
        out.append((_SWAP.get(name, name), *mirrored, *rest))
    return out


def _column(index: int, columns: int) -> int:
    return index + columns if index < 0 else index
