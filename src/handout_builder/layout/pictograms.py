"""Pictograms for medicine instructions, drawn for this project as vector shapes.

Takes an icon's name (one of ``model.ICONS``), a size in points and the theme's colours; gives a
``Drawing`` of the icon, square, on a transparent ground: the outline in the ink colour (the
brand's primary), the sign that forbids something and the emergency beacon in the warning colour.
An icon never stands alone: it is drawn beside the words it stands for, and its alt text (the
label ``icon_<name>`` in the handout's language) is what a screen reader says for it.

- ``evening``: a crescent moon and two stars;   ``morning``: the sun;
- ``with-food``: a plate between a fork and a knife;
- ``no-alcohol``: a wine glass, crossed out;   ``no-driving``: a car, crossed out;
- ``call-care-team``: a mobile phone ringing;   ``call-emergency``: a flashing emergency beacon.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect
from reportlab.lib import colors

Point = tuple[float, float]
Painter = Callable[[Drawing, float, colors.Color, colors.Color], None]


def pictogram(name: str, size: float, ink: colors.Color, warning: colors.Color) -> Drawing:
    """The icon ``name`` in a ``size`` x ``size`` drawing (see the module docstring)."""
    drawing = Drawing(size, size)
    PICTOGRAMS[name](drawing, size, ink, warning)
    return drawing


def alt_label(name: str) -> str:
    """The key of an icon's alt text among the labels (``look.labels``)."""
    return "icon_" + name.replace("-", "_")


def _arc(cx: float, cy: float, r: float, start: float, end: float, steps: int = 48) -> list[Point]:
    """Points along a circle from angle ``start`` to ``end`` (degrees, either way round)."""
    return [
        (
            cx + r * math.cos(math.radians(start + (end - start) * i / steps)),
            cy + r * math.sin(math.radians(start + (end - start) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def _polygon(points: list[Point], s: float, fill: colors.Color) -> Polygon:
    return Polygon([v * s for p in points for v in p], fillColor=fill, strokeColor=None)


def _stroke(
    x0: float, y0: float, x1: float, y1: float, s: float, colour: colors.Color, width: float
) -> Line:
    return Line(
        x0 * s, y0 * s, x1 * s, y1 * s, strokeColor=colour, strokeWidth=width * s, strokeLineCap=1
    )


def _ring(cx: float, cy: float, r: float, s: float, colour: colors.Color, width: float) -> Circle:
    return Circle(cx * s, cy * s, r * s, fillColor=None, strokeColor=colour, strokeWidth=width * s)


def _forbidden(d: Drawing, s: float, warning: colors.Color) -> None:
    """The sign that forbids: a ring and a bar from top left to bottom right."""
    d.add(_ring(0.5, 0.5, 0.43, s, warning, 0.075))
    a = 0.43 * math.cos(math.radians(45))
    d.add(_stroke(0.5 - a, 0.5 + a, 0.5 + a, 0.5 - a, s, warning, 0.075))


def _evening(d: Drawing, s: float, ink: colors.Color, warning: colors.Color) -> None:
    (x1, y1, r1), (x2, y2, r2) = (0.42, 0.48, 0.36), (0.6, 0.62, 0.3)
    dist = math.hypot(x2 - x1, y2 - y1)
    along = (r1 * r1 - r2 * r2 + dist * dist) / (2 * dist)
    half = math.sqrt(r1 * r1 - along * along)
    toward = math.degrees(math.atan2(y2 - y1, x2 - x1))
    spread = math.degrees(math.atan2(half, along))
    # the bright limb: round the far side of the first circle, between the two crossings
    limb = _arc(x1, y1, r1, toward + spread, toward + 360 - spread)
    (ax, ay), (bx, by) = limb[-1], limb[0]
    # the inner edge: the second circle's side that faces the first, back to the start
    start = math.degrees(math.atan2(ay - y2, ax - x2))
    end = math.degrees(math.atan2(by - y2, bx - x2))
    if (end - start) % 360 > 180:
        end = start - (360 - (end - start) % 360)
    else:
        end = start + (end - start) % 360
    d.add(_polygon(limb + _arc(x2, y2, r2, start, end), s, ink))
    for cx, cy, r in ((0.76, 0.84, 0.085), (0.88, 0.56, 0.06)):
        star = [
            (
                cx + r * (1 if i % 2 == 0 else 0.32) * math.cos(math.radians(90 * i / 2 + 90)),
                cy + r * (1 if i % 2 == 0 else 0.32) * math.sin(math.radians(90 * i / 2 + 90)),
            )
            for i in range(8)
        ]
        d.add(_polygon(star, s, ink))


def _rays(
    d: Drawing,
    s: float,
    centre: Point,
    reach: tuple[float, float],
    angles: list[float],
    colour: colors.Color,
    width: float,
) -> None:
    """Short strokes pointing out from ``centre``, from ``reach[0]`` to ``reach[1]`` away."""
    (cx, cy), (near, far) = centre, reach
    for angle in angles:
        a = math.radians(angle)
        d.add(
            _stroke(
                cx + near * math.cos(a),
                cy + near * math.sin(a),
                cx + far * math.cos(a),
                cy + far * math.sin(a),
                s,
                colour,
                width,
            )
        )


def _morning(d: Drawing, s: float, ink: colors.Color, warning: colors.Color) -> None:
    d.add(Circle(0.5 * s, 0.5 * s, 0.2 * s, fillColor=ink, strokeColor=None))
    _rays(d, s, (0.5, 0.5), (0.29, 0.42), [n * 45 + 22.5 for n in range(8)], ink, 0.07)


def _with_food(d: Drawing, s: float, ink: colors.Color, warning: colors.Color) -> None:
    d.add(_ring(0.5, 0.5, 0.25, s, ink, 0.06))
    d.add(_ring(0.5, 0.5, 0.15, s, ink, 0.03))
    # fork: a handle, and three tines on a bar
    d.add(_stroke(0.12, 0.12, 0.12, 0.58, s, ink, 0.06))
    d.add(_stroke(0.055, 0.6, 0.185, 0.6, s, ink, 0.045))
    for x in (0.055, 0.12, 0.185):
        d.add(_stroke(x, 0.6, x, 0.88, s, ink, 0.035))
    # knife: a handle, and a blade with a rounded back
    d.add(_stroke(0.88, 0.12, 0.88, 0.5, s, ink, 0.06))
    blade = [(0.85, 0.48), (0.85, 0.88), *_arc(0.85, 0.72, 0.16, 90, 0, 12)[1:], (0.92, 0.48)]
    d.add(_polygon([(x, min(y, 0.88)) for x, y in blade], s, ink))


def _no_alcohol(d: Drawing, s: float, ink: colors.Color, warning: colors.Color) -> None:
    bowl = _arc(0.5, 0.72, 0.17, 180, 360, 24)
    d.add(_polygon([(x, 0.72 - (0.72 - y) * 1.25) for x, y in bowl], s, ink))
    d.add(_stroke(0.5, 0.5, 0.5, 0.27, s, ink, 0.05))
    d.add(_stroke(0.39, 0.25, 0.61, 0.25, s, ink, 0.05))
    _forbidden(d, s, warning)


def _no_driving(d: Drawing, s: float, ink: colors.Color, warning: colors.Color) -> None:
    body = Rect(0.2 * s, 0.38 * s, 0.6 * s, 0.15 * s, rx=0.04 * s, ry=0.04 * s)
    body.fillColor, body.strokeColor = ink, None
    d.add(body)
    d.add(_polygon([(0.31, 0.52), (0.38, 0.66), (0.62, 0.66), (0.7, 0.52)], s, ink))
    for x in (0.33, 0.67):
        d.add(Circle(x * s, 0.37 * s, 0.075 * s, fillColor=ink, strokeColor=None))
    _forbidden(d, s, warning)


def _call_care_team(d: Drawing, s: float, ink: colors.Color, warning: colors.Color) -> None:
    phone = Rect(0.22 * s, 0.1 * s, 0.34 * s, 0.8 * s, rx=0.07 * s, ry=0.07 * s)
    phone.fillColor, phone.strokeColor, phone.strokeWidth = None, ink, 0.06 * s
    d.add(phone)
    screen = Rect(0.3 * s, 0.28 * s, 0.18 * s, 0.48 * s)
    screen.fillColor, screen.strokeColor = ink, None
    d.add(screen)
    d.add(Circle(0.39 * s, 0.18 * s, 0.035 * s, fillColor=ink, strokeColor=None))
    for r in (0.14, 0.25):  # the sound of ringing, to the right
        points = [v * s for p in _arc(0.58, 0.62, r, -40, 40, 16) for v in p]
        d.add(PolyLine(points, strokeColor=ink, strokeWidth=0.045 * s, strokeLineCap=1))


def _call_emergency(d: Drawing, s: float, ink: colors.Color, warning: colors.Color) -> None:
    dome = _arc(0.5, 0.38, 0.22, 0, 180, 24)
    d.add(_polygon(dome, s, warning))
    base = Rect(0.22 * s, 0.2 * s, 0.56 * s, 0.12 * s, rx=0.03 * s, ry=0.03 * s)
    base.fillColor, base.strokeColor = ink, None
    d.add(base)
    _rays(d, s, (0.5, 0.38), (0.3, 0.43), [20, 55, 90, 125, 160], warning, 0.06)  # it flashes


PICTOGRAMS: dict[str, Painter] = {
    "evening": _evening,
    "morning": _morning,
    "with-food": _with_food,
    "no-alcohol": _no_alcohol,
    "no-driving": _no_driving,
    "call-care-team": _call_care_team,
    "call-emergency": _call_emergency,
}
